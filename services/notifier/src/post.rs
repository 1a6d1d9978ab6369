//! Posting a notification to the rep's DM at most once. `chat.postMessage` has no
//! idempotency key, so each attempt is recorded (and committed) before the call and the
//! message carries the notification id in its metadata; a later attempt that finds an
//! earlier one in doubt first looks for that message in the DM (a crash may have come
//! between Slack's 200 and recording the delivery) and posts only if it is not there.

use baton_platform::{runtime::Handled, store};
use baton_schemas::{Notification, OrgId};
use uuid::Uuid;

use crate::{Notifier, Posted, Slack, SlackError, repo};

/// A post's result: `Ok((posted, true))` when an earlier attempt had posted it (found, not
/// posted again).
pub(crate) type Posting = Result<(Posted, bool), SlackError>;

pub(crate) async fn post_once(
    nf: &Notifier,
    slack: &Slack,
    n: &Notification,
    org: &OrgId,
    id: Uuid,
    to: &str,
) -> Handled<Posting> {
    let attempt = {
        let mut tx = store::begin_for_org(&nf.svc.pool, org).await?;
        let attempt = repo::record_attempt(&mut tx, id, org.as_str(), nf.svc.now()).await?;
        tx.commit().await?;
        attempt
    };
    let delivery = id.to_string();
    // Only an attempt that may have posted (a crash, or no clear answer) needs the lookup.
    if attempt.attempts > 1 && attempt.earlier_in_doubt == Some(true) {
        let since = attempt.first - chrono::Duration::minutes(1);
        match look_for(slack, to, since, &delivery).await {
            Ok(Some(posted)) => {
                tracing::info!(notification = %id, attempts = attempt.attempts, "an earlier attempt posted this message: recording it, not posting again");
                return Ok(Ok((posted, true)));
            }
            Ok(None) => {}
            // Without the scopes to look (im:write, im:history), deliver rather than lose
            // the message: at worst the rep sees it twice.
            Err(SlackError::Refused(code)) => {
                tracing::warn!(notification = %id, code, "cannot look for an earlier post in the DM; posting (grant the bot im:write and im:history)");
            }
            Err(e) => return Ok(Err(e)),
        }
    }
    let posted = slack.post(to, &n.text, n.blocks.as_ref(), &delivery).await;
    match &posted {
        Ok(_) => {
            // Fault tests stop here: Slack has the message, the delivery is not recorded.
            fail::fail_point!("notifier_after_slack_post");
        }
        // Slack answered that it did not post: a retry need not look for the message.
        Err(SlackError::RateLimited(_) | SlackError::Refused(_)) => {
            let mut tx = store::begin_for_org(&nf.svc.pool, org).await?;
            repo::not_in_doubt(&mut tx, id).await?;
            tx.commit().await?;
        }
        Err(SlackError::Transient(_)) => {}
    }
    Ok(posted.map(|p| (p, false)))
}

/// The message carrying delivery id `delivery` in the rep's DM, posted after `since`.
async fn look_for(
    slack: &Slack,
    to: &str,
    since: chrono::DateTime<chrono::Utc>,
    delivery: &str,
) -> Result<Option<Posted>, SlackError> {
    let channel = slack.open_dm(to).await?;
    slack.find_delivery(&channel, since, delivery).await
}
