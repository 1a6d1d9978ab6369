-- The console's connect flows ("Add to Slack", Google and Microsoft consent) store and remove
-- an org's credentials, sealed by the console before they reach the database, in the org the
-- session is scoped to (row-level security keeps every other org's rows out of reach; the
-- (provider, account) uniqueness still refuses an account another org holds).
GRANT SELECT, INSERT, UPDATE, DELETE ON connections TO baton_console;

-- "Why is it waiting?" says when a run's message (a gate's approval message, a notify step's)
-- is held by the user's quiet hours or hourly limit, or by Slack's rate limit.
GRANT SELECT ON notification_deliveries TO baton_console;
