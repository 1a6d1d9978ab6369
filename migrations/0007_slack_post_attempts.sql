-- chat.postMessage has no idempotency key. Before each post the notifier records the
-- attempt here in a transaction of its own (committed before the HTTP call), and carries the
-- notification id in the message's metadata. A later attempt at the same notification that
-- finds an earlier one looks for the message in the DM's history (conversations.history with
-- include_all_metadata) before posting, so a crash between Slack's 200 and recording the
-- delivery never leaves the rep with two messages. `in_doubt` is cleared when Slack answered
-- that it did not post (HTTP 429, ok:false), so such a retry posts without a lookup; network
-- errors and crashes leave it set. The row is deleted in the transaction that records the
-- delivery (sent or failed).
CREATE TABLE slack_post_attempts (
    notification_id   UUID PRIMARY KEY,
    org_id            TEXT        NOT NULL REFERENCES orgs (id),
    attempts          INT         NOT NULL DEFAULT 1,
    in_doubt          BOOLEAN     NOT NULL DEFAULT true,
    first_attempt_at  TIMESTAMPTZ NOT NULL,
    last_attempt_at   TIMESTAMPTZ NOT NULL
);
SELECT baton_enable_tenant_rls('slack_post_attempts');
