//! Deciding a gate: an ApprovalDecision (Slack, web inbox, CLI) passes each check in turn —
//! the gate exists in the org, the decider may decide it, it is still open and unexpired,
//! its job is still running, an edit changes only editable fields — or is refused or
//! ignored with the reason in the audit trail. A decision that passes is applied once:
//! the gate closes, the router gets the resolution, the message shows the outcome.

use baton_core::status::PendingActionStatus;
use baton_platform::{
    jobs::{self, Actor},
    runtime::{Handled, HandlerCtx, Stop, parse_field},
};
use baton_schemas::{
    ApprovalDecision, Decision, DecisionChannel, OrgId, PendingActionId, Resolution, UserId,
};
use serde_json::{Value, json};

use crate::{
    SERVICE, outcome,
    repo::{self, Closed, Pending},
};

/// Why a decision changes nothing: `refused` (it may not be applied) or `ignored` (it came
/// too late), with the reason.
struct Refusal {
    action: &'static str,
    reason: String,
}

fn refused(reason: impl Into<String>) -> Stop<Refusal> {
    Stop::Refused(Refusal {
        action: "approval.refused",
        reason: reason.into(),
    })
}

fn ignored(reason: impl Into<String>) -> Stop<Refusal> {
    Stop::Refused(Refusal {
        action: "approval.ignored",
        reason: reason.into(),
    })
}

/// One check: the decision passes it, or is stopped.
type Check<T = ()> = Result<T, Stop<Refusal>>;

pub(crate) async fn on_decision(ctx: &mut HandlerCtx<'_>, d: ApprovalDecision) -> Handled {
    let org = ctx.enter_org(&d.org_id).await?;
    let id: PendingActionId = parse_field("pending_action_id", &d.pending_action_id)?;
    let Some(p) = repo::lock(ctx.tx, id).await? else {
        return unknown_gate(ctx, &org, id, &d).await;
    };
    match check(ctx, &p, &d).await {
        Ok(accepted) => apply(ctx, &p, &d, accepted).await,
        Err(Stop::Refused(r)) => {
            let detail = json!({ "reason": r.reason, "decided_by": d.decided_by, "decision": d.decision, "via": d.via, "decision_id": d.decision_id });
            outcome::audit(ctx, &p, r.action, detail).await
        }
        Err(Stop::Failed(e)) => Err(e),
    }
}

/// Unknown here, or another org's: either way nothing to apply.
async fn unknown_gate(
    ctx: &mut HandlerCtx<'_>,
    org: &OrgId,
    id: PendingActionId,
    d: &ApprovalDecision,
) -> Handled {
    tracing::warn!(org = %org, pending_action = %id, "decision for a gate this org does not have: refused");
    let who = Actor {
        service: SERVICE,
        actor: &d.decided_by,
        org_id: org,
        job_id: None,
    };
    let detail = json!({ "pending_action_id": d.pending_action_id, "reason": "no such pending action in this org", "decision_id": d.decision_id });
    jobs::audit(ctx, who, "approval.refused", detail).await
}

/// What an accepted decision applies: who decided, and the edits when it is an edit.
struct Accepted {
    decider: UserId,
    modifications: Option<Value>,
}

/// The checks, in order; the first that fails says why.
async fn check(ctx: &mut HandlerCtx<'_>, p: &Pending, d: &ApprovalDecision) -> Check<Accepted> {
    let decider = decider(ctx, p, d).await?;
    still_open(p, ctx.now())?;
    job_running(ctx, p).await?;
    let modifications = match d.decision {
        Decision::Edit => Some(validate_edits(p, d.user_modifications.as_ref()).map_err(refused)?),
        _ => None,
    };
    Ok(Accepted {
        decider,
        modifications,
    })
}

/// Who is deciding — a Slack user of the org's workspace mapped to a Baton user, or a Baton
/// user through the CLI or web — and that they may: one of the gate's allowed deciders (its
/// user), or an org admin. From the CLI, deciding another user's gate takes `--as-admin`.
async fn decider(ctx: &mut HandlerCtx<'_>, p: &Pending, d: &ApprovalDecision) -> Check<UserId> {
    channel_matches_login(ctx.source_login(), d.via).map_err(refused)?;
    let user = match d.via {
        DecisionChannel::Slack => {
            // A Slack user id is unique only within its workspace (team).
            let Some(team) = d.slack_team_id.as_deref() else {
                return Err(refused(
                    "a Slack decision must name its workspace (team id)",
                ));
            };
            repo::slack_user(ctx.tx, &p.org_id, team, &d.decided_by).await?
        }
        DecisionChannel::Cli if d.operator.as_deref().is_none_or(|o| o.trim().is_empty()) => {
            return Err(refused("a CLI decision must name its operator"));
        }
        _ => Some(d.decided_by.clone()),
    };
    let Some(user) = user else {
        tracing::warn!(pending_action = %p.id, "decision by a Slack user the org does not know: refused");
        return Err(refused(
            "the Slack user is not one of the org's users in its workspace",
        ));
    };
    let own = p.allowed_deciders.contains(&user);
    if !own && d.via == DecisionChannel::Cli && !d.as_admin {
        return Err(refused(format!(
            "deciding {}'s gate from the CLI as {user} needs --as-admin",
            p.user_id
        )));
    }
    let allowed = own || repo::is_admin(ctx.tx, &p.org_id, &user).await?;
    match user.parse::<UserId>().ok().filter(|_| allowed) {
        Some(u) => Ok(u),
        None => {
            tracing::warn!(pending_action = %p.id, "decision by someone who may not decide: refused");
            Err(refused(
                "only the gate's allowed deciders (its user) or an org admin may decide",
            ))
        }
    }
}

/// The CLI's database login publishes only CLI decisions, and only it publishes them; Slack
/// decisions come from the ingress (which verified Slack's signature) or the router
/// (translating an external gateway's `slack_approval_received`); web decisions from the
/// console (which signed the user in). The embedded log records who
/// appended each decision; on Kafka the topic ACLs decide.
fn channel_matches_login(login: Option<&str>, via: DecisionChannel) -> Result<(), String> {
    use baton_platform::store::produced_by;
    let from_cli = produced_by(login, "cli");
    let slack_producer = produced_by(login, "ingress") || produced_by(login, "router");
    match (login, via) {
        (Some(l), DecisionChannel::Cli) if !from_cli => Err(format!(
            "a CLI decision appended by {l}: only the CLI's login publishes them"
        )),
        (Some(l), via) if via != DecisionChannel::Cli && l == "baton_cli" => Err(format!(
            "the CLI's login may publish only CLI decisions, not {via}"
        )),
        (Some(l), DecisionChannel::Slack) if !slack_producer => Err(format!(
            "a Slack decision appended by {l}: only the ingress (or the router) publishes them"
        )),
        (Some(l), DecisionChannel::Web) if !produced_by(login, "console") => Err(format!(
            "a web decision appended by {l}: only the console publishes them"
        )),
        _ => Ok(()),
    }
}

/// The gate is still waiting for a decision, and has not expired.
fn still_open(p: &Pending, now: chrono::DateTime<chrono::Utc>) -> Check {
    match p.status {
        PendingActionStatus::Pending if p.expires_at <= now => {
            Err(ignored(format!("the gate expired at {}", p.expires_at)))
        }
        PendingActionStatus::Pending => Ok(()),
        PendingActionStatus::Expired => {
            Err(ignored(format!("the gate expired at {}", p.expires_at)))
        }
        closed => Err(ignored(format!(
            "the gate was already decided ({closed}{})",
            p.decided_by
                .as_deref()
                .map(|b| format!(" by {b}"))
                .unwrap_or_default()
        ))),
    }
}

/// A job that already ended takes no more decisions.
async fn job_running(ctx: &mut HandlerCtx<'_>, p: &Pending) -> Check {
    match repo::job_status(ctx.tx, p.job_id).await? {
        Some(status) if status.is_terminal() => {
            Err(ignored(format!("the job is already {status}")))
        }
        _ => Ok(()),
    }
}

/// An edit may change only the gate's editable fields, each keeping the type the draft gave
/// it, none emptied (`baton_core::edits`, the rule the ingress's Slack modal applies too).
/// Returns the edits to merge.
fn validate_edits(p: &Pending, edits: Option<&Value>) -> Result<Value, String> {
    baton_core::edits::validate(&p.draft, &p.editable_fields, edits)
        .map(Value::Object)
        .map_err(|e| e.message)
}

/// Closes the gate, tells the router, shows the outcome and records it.
async fn apply(
    ctx: &mut HandlerCtx<'_>,
    p: &Pending,
    d: &ApprovalDecision,
    a: Accepted,
) -> Handled {
    let now = ctx.now();
    let status = PendingActionStatus::decided(d.decision);
    let closed = Closed {
        status,
        decision: d.decision.as_str().to_string(),
        decided_by: Some(&a.decider),
        at: now,
        modifications: a.modifications.as_ref(),
    };
    repo::close(ctx.tx, p.id, closed).await?;
    let resolution = match d.decision {
        Decision::Approve => Resolution::Approve,
        Decision::Edit => Resolution::Edit,
        Decision::Skip => Resolution::Skip,
        Decision::Cancel => Resolution::Cancel,
    };
    let by = a.decider.to_string();
    outcome::resolved(
        ctx,
        p,
        resolution,
        Some(by.clone()),
        a.modifications.clone(),
    )?;
    let shown = format!(
        "{} by {by} at {}.",
        capitalised(status.as_str()),
        now.format("%Y-%m-%d %H:%M UTC")
    );
    outcome::show(ctx, p, shown).await?;
    let fields: Vec<&String> = a
        .modifications
        .as_ref()
        .and_then(Value::as_object)
        .map(|m| m.keys().collect())
        .unwrap_or_default();
    let mut detail = json!({ "decision": status.as_str(), "decided_by": by, "via": d.via, "edited_fields": fields, "decision_id": d.decision_id });
    if d.via == DecisionChannel::Cli {
        detail["operator"] = json!(d.operator);
        detail["as_admin"] = json!(d.as_admin);
    }
    outcome::audit(ctx, p, "approval.decided", detail).await
}

fn capitalised(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().collect::<String>() + c.as_str())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_cli_login_publishes_cli_decisions_and_only_those() {
        use DecisionChannel::*;
        assert!(channel_matches_login(Some("baton_cli"), Cli).is_ok());
        assert!(channel_matches_login(Some("baton_cli"), Slack).is_err());
        assert!(channel_matches_login(Some("baton_router"), Cli).is_err());
        // The router translates Slack's events into Slack decisions.
        assert!(channel_matches_login(Some("baton_router"), Slack).is_ok());
        // Kafka (no login known) and the owner's development login: the ACLs and the owner.
        assert!(channel_matches_login(None, Cli).is_ok());
        assert!(channel_matches_login(Some("postgres"), Slack).is_ok());
    }
}
