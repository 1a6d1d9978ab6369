//! The approval-gateway with the sequencing services (in-process, embedded bus, injected
//! clock): the gate exists before its message, the message carries the four buttons,
//! decisions are authorised and applied at most once, edits are validated, and expiry
//! resolves per on_timeout after a reminder — an email is never sent by a timeout.

use std::sync::Arc;

use baton_approval_gateway::By;
use baton_core::clock::ManualClock;
use baton_platform::{component::Component, config::BusKind};
use baton_schemas::{Decision, Notification, NotificationKind, PendingActionId};
use chrono::{DateTime, Utc};
use serde_json::{Value, json};

use crate::harness::{EmailProvider, Env, InProcess, ORG, meeting_ended};

struct Setup {
    env: Env,
    clock: ManualClock,
    services: InProcess,
    gateway: baton_approval_gateway::Gateway,
    gateway_task: tokio::task::JoinHandle<anyhow::Result<()>>,
    email: EmailProvider,
    job: String,
    pending: PendingActionId,
}

async fn to_the_email_gate() -> Setup {
    let email = EmailProvider::start().await;
    let mut env = Env::new(BusKind::Embedded, None).await;
    env.config.skills.email_url = Some(email.url.clone());
    let clock = ManualClock::at("2026-11-17T16:00:00Z".parse().unwrap());
    let services = InProcess::start(&env, Arc::new(clock.clone())).await;
    let gateway = baton_approval_gateway::Gateway::build(&env.config, Arc::new(clock.clone()))
        .await
        .unwrap();
    let gateway_task = tokio::spawn(gateway.clone().run(services.shutdown.clone()));
    let ev = meeting_ended("mtg_dev_001", "d_keystone", "ct_linda_marsh");
    env.publish(&ev).await;
    env.wait(
        "SELECT count(*) = 1 FROM slack_pending_actions WHERE step_index = 6",
        "the email gate's pending action",
    )
    .await;
    let job: String = env
        .scalar(&format!(
            "SELECT id::text FROM sequence_jobs WHERE event_id = '{}'",
            ev.event_id
        ))
        .await;
    let pending = PendingActionId::from_uuid(
        env.scalar("SELECT id FROM slack_pending_actions WHERE step_index = 6")
            .await,
    );
    Setup {
        env,
        clock,
        services,
        gateway,
        gateway_task,
        email,
        job,
        pending,
    }
}

async fn decide(s: &Setup, org: &str, decision: Decision, by: By<'_>, edits: Option<Value>) {
    let org = org.parse().unwrap();
    baton_approval_gateway::publish_decision(&s.env.svc, &org, s.pending, decision, by, edits)
        .await
        .unwrap();
}

async fn audits(env: &Env, action: &str) -> Vec<Value> {
    sqlx::query_scalar("SELECT detail FROM audit_log WHERE action = $1 ORDER BY occurred_at, id")
        .bind(action)
        .fetch_all(&env.owner)
        .await
        .unwrap()
}

async fn wait_audits(env: &Env, action: &str, n: usize) {
    env.wait(
        &format!("SELECT count(*) = {n} FROM audit_log WHERE action = '{action}'"),
        &format!("{n} `{action}` audit records"),
    )
    .await;
}

impl Setup {
    async fn stop(self) {
        self.services.stop().await;
        self.gateway_task.await.unwrap().unwrap();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn decisions_are_authorised_validated_and_applied_once() {
    let s = to_the_email_gate().await;
    let env = &s.env;

    // The approval message: Block Kit with the draft and four buttons naming the gate.
    let notes: Vec<Notification> = env.logged().await;
    let msg = notes
        .iter()
        .find(|n| n.kind == NotificationKind::Approval)
        .expect("an approval notification");
    assert_eq!(
        msg.pending_action_id.as_deref(),
        Some(s.pending.to_string().as_str())
    );
    assert!(
        msg.text
            .starts_with("Send this follow-up email to Linda Marsh?"),
        "{}",
        msg.text
    );
    let blocks = msg.blocks.as_ref().unwrap().as_array().unwrap();
    let buttons = blocks.last().unwrap()["elements"].as_array().unwrap();
    let actions: Vec<&str> = buttons
        .iter()
        .map(|b| b["action_id"].as_str().unwrap())
        .collect();
    assert_eq!(
        actions,
        ["baton.approve", "baton.edit", "baton.skip", "baton.cancel"]
    );
    assert_eq!(
        blocks.last().unwrap()["block_id"],
        format!("baton_actions:{}", s.pending)
    );
    assert!(buttons.iter().all(|b| b["value"] == s.pending.to_string()));
    assert!(
        blocks[1]["text"]["text"]
            .as_str()
            .unwrap()
            .starts_with("*Subject:* Follow-up:")
    );
    // Expiry and a reminder two hours before it are on the timers.
    let expire: DateTime<Utc> = env
        .scalar("SELECT due_at FROM timers WHERE kind = 'approval_expire'")
        .await;
    let remind: DateTime<Utc> = env
        .scalar("SELECT due_at FROM timers WHERE kind = 'approval_reminder'")
        .await;
    assert_eq!(
        expire,
        "2026-11-18T16:00:00Z".parse::<DateTime<Utc>>().unwrap()
    );
    assert_eq!(expire - remind, chrono::Duration::hours(2));

    // Another rep of the same org, and someone from another org: refused, audited, no change.
    decide(
        &s,
        ORG,
        Decision::Approve,
        By::Web {
            user: "u_bl_daniel",
        },
        None,
    )
    .await;
    decide(
        &s,
        "org_other",
        Decision::Approve,
        By::Web { user: "u_bl_maya" },
        None,
    )
    .await;
    // An edit of a field the gate does not allow.
    decide(
        &s,
        ORG,
        Decision::Edit,
        By::Web { user: "u_bl_maya" },
        Some(json!({ "to": "someone else" })),
    )
    .await;
    // An admin deciding the rep's gate through the CLI channel without --as-admin (a
    // decision published directly, past the CLI's own check).
    decide(
        &s,
        ORG,
        Decision::Approve,
        By::Cli {
            user: "u_bl_tom",
            operator: "ops",
            as_admin: false,
        },
        None,
    )
    .await;
    wait_audits(env, "approval.refused", 4).await;
    let refused = audits(env, "approval.refused").await;
    assert_eq!(
        refused[3]["reason"],
        "deciding u_bl_maya's gate from the CLI as u_bl_tom needs --as-admin"
    );
    assert_eq!(
        refused[0]["reason"],
        "only the gate's allowed deciders (its user) or an org admin may decide"
    );
    assert_eq!(refused[1]["reason"], "no such pending action in this org");
    assert!(
        refused[2]["reason"]
            .as_str()
            .unwrap()
            .starts_with("field `to` is not editable"),
        "{refused:?}"
    );
    assert_eq!(env.gate_status(&s.pending).await, "pending");

    // Approve (Maya, clicking in Slack) and cancel race: exactly one takes effect; the same
    // approval delivered again changes nothing either.
    decide(
        &s,
        ORG,
        Decision::Approve,
        By::Slack {
            team: crate::harness::TEAM,
            user: "U05K2M8QZ1A",
        },
        None,
    )
    .await;
    decide(
        &s,
        ORG,
        Decision::Cancel,
        By::Web { user: "u_bl_maya" },
        None,
    )
    .await;
    decide(
        &s,
        ORG,
        Decision::Approve,
        By::Slack {
            team: crate::harness::TEAM,
            user: "U05K2M8QZ1A",
        },
        None,
    )
    .await;
    wait_audits(env, "approval.ignored", 2).await;
    let decided = audits(env, "approval.decided").await;
    assert_eq!(decided.len(), 1);
    assert_eq!(decided[0]["decision"], "approved");
    assert_eq!(
        decided[0]["decided_by"], "u_bl_maya",
        "the Slack user mapped to the rep"
    );
    let ignored = audits(env, "approval.ignored").await;
    assert!(
        ignored.iter().all(|i| i["reason"]
            .as_str()
            .unwrap()
            .starts_with("the gate was already decided (approved by u_bl_maya)")),
        "{ignored:?}"
    );

    // The approval resumed the job: the email went out once and the task gate is next.
    env.wait(
        &format!("SELECT status = 'awaiting_approval' AND context->'current_step' = '7' FROM sequence_jobs WHERE id = '{}'", s.job),
        "the task gate",
    )
    .await;
    assert_eq!(s.email.count(), 1);
    // The approval message is replaced by the outcome (same gate; the notifier updates it).
    let notes: Vec<Notification> = env.logged().await;
    let outcome: Vec<_> = notes
        .iter()
        .filter(|n| {
            n.kind == NotificationKind::Approval
                && n.pending_action_id.as_deref() == Some(s.pending.to_string().as_str())
        })
        .skip(1)
        .collect();
    assert_eq!(outcome.len(), 1, "{notes:#?}");
    assert!(
        outcome[0]
            .text
            .contains("Approved by u_bl_maya at 2026-11-17 16:00 UTC"),
        "{}",
        outcome[0].text
    );
    let blocks = outcome[0].blocks.as_ref().unwrap().as_array().unwrap();
    assert!(
        blocks.iter().all(|b| b["type"] != "actions"),
        "no buttons once decided"
    );
    s.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unanswered_gate_reminds_then_expires_per_on_timeout_never_sending() {
    let s = to_the_email_gate().await;
    let env = &s.env;
    // This gate's timers (the follow-up jobs open gates of their own, with theirs).
    let timer = |kind: &str| {
        format!(
            "SELECT due_at FROM timers WHERE kind = '{kind}' AND dedupe_key = '{}'",
            s.pending
        )
    };
    let remind: DateTime<Utc> = env.scalar(&timer("approval_reminder")).await;
    let expire: DateTime<Utc> = env.scalar(&timer("approval_expire")).await;

    s.clock.set(remind);
    env.wait(
        &format!(
            "SELECT count(*) = 1 FROM audit_log WHERE action = 'approval.reminded' AND job_id = '{}'",
            s.job
        ),
        "the reminder",
    )
    .await;
    let notes: Vec<Notification> = env.logged().await;
    let reminder = notes
        .iter()
        .find(|n| {
            n.text.starts_with("Reminder:")
                && n.pending_action_id.as_deref() == Some(s.pending.to_string().as_str())
        })
        .expect("a reminder notification");
    assert_eq!(
        reminder.pending_action_id.as_deref(),
        Some(s.pending.to_string().as_str())
    );
    assert_eq!(
        s.gateway.fire_due_timers().await.unwrap(),
        0,
        "the reminder fires once"
    );

    s.clock.set(expire);
    env.wait(
        &format!(
            "SELECT status = 'expired' FROM slack_pending_actions WHERE id = '{}'",
            s.pending.uuid()
        ),
        "the gate to expire",
    )
    .await;
    // on_timeout: skip — the send step is skipped and the job moves on to the task gate.
    env.wait(
        &format!("SELECT status = 'awaiting_approval' AND context->'current_step' = '7' FROM sequence_jobs WHERE id = '{}'", s.job),
        "the job to move past the expired gate",
    )
    .await;
    let steps: Value = env
        .scalar(&format!(
            "SELECT context->'steps_completed' FROM sequence_jobs WHERE id = '{}'",
            s.job
        ))
        .await;
    assert!(
        steps.as_array().unwrap().contains(&json!([6, "skipped"])),
        "{steps}"
    );
    assert_eq!(s.email.count(), 0, "an email is never sent by a timeout");

    // A decision after expiry changes nothing and says so.
    decide(
        &s,
        ORG,
        Decision::Approve,
        By::Web { user: "u_bl_maya" },
        None,
    )
    .await;
    wait_audits(env, "approval.ignored", 1).await;
    let ignored = audits(env, "approval.ignored").await;
    assert!(
        ignored[0]["reason"]
            .as_str()
            .unwrap()
            .starts_with("the gate expired"),
        "{ignored:?}"
    );
    assert_eq!(s.email.count(), 0);
    s.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_cli_lists_gates_and_decides_through_the_gateway() {
    let s = to_the_email_gate().await;
    let env = &s.env;
    let baton = |args: &[&str]| env.cli(args);
    let (ok, out, err) = baton(&["approvals", "list", "--org", ORG]);
    assert!(ok, "{err}");
    assert!(
        out.contains(&s.pending.to_string()) && out.contains("email_draft"),
        "{out}"
    );
    let id = s.pending.to_string();
    let (ok, _, err) = baton(&[
        "approvals",
        "decide",
        &id,
        "edit",
        "--org",
        ORG,
        "--by",
        "u_bl_maya",
    ]);
    assert!(!ok);
    assert!(err.contains("`edit` needs --body or --edits"), "{err}");
    // An unknown gate, a blank or unknown decider, a negative limit: refused, non-zero, said.
    let approve_as = |gate: &str, by: &str| {
        baton(&[
            "approvals",
            "decide",
            gate,
            "approve",
            "--org",
            ORG,
            "--by",
            by,
        ])
    };
    let unknown = format!("pa_{}", uuid::Uuid::now_v7());
    let (ok, _, err) = approve_as(&unknown, "u_bl_maya");
    assert!(
        !ok && err.contains(&format!("no approval gate {unknown} in {ORG}")),
        "{err}"
    );
    let (ok, _, err) = approve_as(&id, " ");
    assert!(!ok && err.contains("--by"), "{err}");
    let (ok, _, err) = approve_as(&id, "u_nobody");
    assert!(
        !ok && err.contains("--by u_nobody is not a user of"),
        "{err}"
    );
    let (ok, _, err) = baton(&["jobs", "list", "--org", ORG, "--limit=-5"]);
    assert!(
        !ok && err.contains("--limit") && !err.contains("SQLSTATE"),
        "{err}"
    );
    // Maya's gate decided by someone else (Tom, an admin) needs --as-admin; with it, the
    // decision is audited with the operator who ran the command.
    let (ok, _, err) = approve_as(&id, "u_bl_tom");
    assert!(
        !ok && err.contains("is u_bl_maya's: deciding it as u_bl_tom needs --as-admin"),
        "{err}"
    );
    let (ok, out, err) = baton(&[
        "approvals",
        "decide",
        &id,
        "edit",
        "--org",
        ORG,
        "--by",
        "u_bl_tom",
        "--as-admin",
        "--body",
        "Short and sweet.",
    ]);
    assert!(ok, "{err}");
    assert!(out.contains("published"), "{out}");
    wait_audits(env, "approval.decided", 1).await;
    let decided = audits(env, "approval.decided").await;
    assert_eq!(decided[0]["decision"], "edited");
    assert_eq!(decided[0]["via"], "cli");
    assert_eq!(decided[0]["decided_by"], "u_bl_tom");
    assert_eq!(decided[0]["as_admin"], true);
    assert_eq!(
        decided[0]["operator"],
        baton_platform::config::CliConfig::default().operator()
    );
    assert_eq!(decided[0]["edited_fields"], json!(["body"]));
    env.wait(
        &format!(
            "SELECT context->'current_step' = '7' FROM sequence_jobs WHERE id = '{}'",
            s.job
        ),
        "the job to move on",
    )
    .await;
    assert_eq!(s.email.count(), 1);
    s.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_cli_publishes_an_event_and_shows_the_job() {
    let env = Env::new(BusKind::Embedded, None).await;
    let services = InProcess::start(&env, Arc::new(baton_core::clock::SystemClock)).await;
    let baton = |args: &[&str]| env.cli(args);
    let (ok, _, err) = baton(&[
        "publish",
        "meeting_ended",
        "--org",
        ORG,
        "--user",
        "u_bl_maya",
        "--payload",
        "[1]",
    ]);
    assert!(!ok);
    assert!(err.contains("payload must be a JSON object"), "{err}");
    let payload =
        r#"{"meeting_id": "mtg_dev_001", "deal_id": "d_keystone", "contact_id": "ct_linda_marsh"}"#;
    let (ok, out, err) = baton(&[
        "publish",
        "meeting_ended",
        "--org",
        ORG,
        "--user",
        "u_bl_maya",
        "--payload",
        payload,
    ]);
    assert!(ok, "{err}");
    assert!(out.starts_with("published meeting_ended"), "{out}");
    env.wait(
        "SELECT bool_or(status = 'awaiting_approval') FROM sequence_jobs WHERE event_type = 'meeting_ended'",
        "the published event's job",
    )
    .await;
    let job: String = env
        .scalar("SELECT id::text FROM sequence_jobs WHERE event_type = 'meeting_ended'")
        .await;
    let (ok, out, err) = baton(&[
        "jobs",
        "list",
        "--org",
        ORG,
        "--status",
        "awaiting_approval",
    ]);
    assert!(ok, "{err}");
    assert!(out.contains(&job) && out.contains("meeting_ended"), "{out}");
    let (ok, out, err) = baton(&["jobs", "show", &job, "--org", ORG]);
    assert!(ok, "{err}");
    for wanted in [
        "awaiting_approval  (meeting_ended from cli)",
        "extract_action_items",
        "draft_followup",
        "draft \"Follow-up: Keystone Comfort",
        "4 (decided by the router: succeeded)",
        "waiting for approval at step 6",
        "job.created",
        "followup.queued",
        "approval.requested",
    ] {
        assert!(out.contains(wanted), "`{wanted}` missing from:\n{out}");
    }
    assert!(
        !out.contains("lmarsh@"),
        "no email addresses in the summary:\n{out}"
    );
    services.stop().await;
}

/// The embedded log records which database login appended each message: a decision that
/// claims to come from Slack but was appended with the CLI's login is refused (the CLI's
/// credential publishes only CLI decisions), as is one appended by another service that is
/// not the ingress, and the gate stays open.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_slack_decision_appended_with_the_cli_login_is_refused() {
    use baton_platform::bus::{Bus, embedded::EmbeddedBus};
    let s = to_the_email_gate().await;
    let env = &s.env;
    let cli = baton_platform::store::connect_service(&env.config.database, "cli")
        .await
        .unwrap();
    let bus = EmbeddedBus::new(cli, env.config.bus.partitions);
    let forged = baton_schemas::ApprovalDecision {
        decision_id: uuid::Uuid::now_v7().to_string(),
        pending_action_id: s.pending.to_string(),
        org_id: ORG.into(),
        decision: Decision::Approve,
        decided_by: crate::harness::MAYA_SLACK.into(),
        via: baton_schemas::DecisionChannel::Slack,
        user_modifications: None,
        decided_at: Utc::now(),
        slack_team_id: Some(crate::harness::TEAM.into()),
        operator: None,
        as_admin: false,
    };
    bus.publish(vec![env.svc.producer.envelope(&forged).unwrap()])
        .await
        .unwrap();
    wait_audits(env, "approval.refused", 1).await;
    assert_eq!(
        audits(env, "approval.refused").await[0]["reason"],
        "the CLI's login may publish only CLI decisions, not slack"
    );
    let status: String = env.gate_status(&s.pending).await;
    assert_eq!(status, "pending");
    let producer: String = env
        .scalar("SELECT producer FROM bus_log WHERE topic LIKE '%approval.decisions'")
        .await;
    assert_eq!(
        producer, "baton_cli",
        "stamped from the login, not the message"
    );
    // Nor from another service's login: Slack decisions are the ingress's (and the router's).
    let executor = baton_platform::store::connect_service(&env.config.database, "step-executor")
        .await
        .unwrap();
    let again = baton_schemas::ApprovalDecision {
        decision_id: uuid::Uuid::now_v7().to_string(),
        ..forged
    };
    EmbeddedBus::new(executor, env.config.bus.partitions)
        .publish(vec![env.svc.producer.envelope(&again).unwrap()])
        .await
        .unwrap();
    wait_audits(env, "approval.refused", 2).await;
    assert_eq!(
        audits(env, "approval.refused").await[1]["reason"],
        "a Slack decision appended by baton_step_executor: only the ingress (or the router) publishes them"
    );
    let status: String = env.gate_status(&s.pending).await;
    assert_eq!(status, "pending");
    s.stop().await;
}
