//! The sales-day sequences end to end on the embedded bus with the three sequencing services
//! in this process, on the DEV data (calendars seeded from ../shared/data/calendars).

use std::sync::Arc;

use baton_core::clock::ManualClock;
use baton_platform::component::Component;
use baton_platform::config::BusKind;
use serde_json::{Value, json};

use crate::harness::{Env, InProcess, data, event, read_json};

/// What Rachel Kim wrote (em_dev_027), as the payload an email triage or a producer sends.
const RACHEL: &str = "For the permitting session I can do Tuesday Dec 1 or Wednesday Dec 2, anywhere between 8 and 10:30am Mountain. An hour would be ideal.";

fn starts(v: &Value) -> Vec<Value> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|s| s["start_utc"].clone())
        .collect()
}

#[tokio::test]
async fn calendar_find_times_offers_the_true_slots_for_approval() {
    let env = Env::new(BusKind::Embedded, None).await;
    let clock = ManualClock::at("2026-11-30T15:00:00Z".parse().unwrap());
    let services = InProcess::start(&env, Arc::new(clock)).await;
    let mut ev = event(
        "calendar_find_times",
        json!({"contact_id": "ct_rachel_kim", "text": RACHEL, "said_at": "2026-11-30T07:45:00-07:00"}),
    );
    ev.user_id = "u_bl_priya".into();
    env.publish(&ev).await;
    env.wait(
        &format!(
            "SELECT bool_or(status = 'awaiting_approval') FROM sequence_jobs WHERE event_id = '{}'",
            ev.event_id
        ),
        "the calendar_find_times job to reach its send gate",
    )
    .await;
    let id: String = env
        .scalar(&format!(
            "SELECT id::text FROM sequence_jobs WHERE event_id = '{}'",
            ev.event_id
        ))
        .await;
    let state = env.job(&id).await["context"].clone();
    let found = &state["outputs"]["find_slots"];
    // The same request as sr_dev_002 without its optional attendee: the same slots.
    let truth =
        read_json(data().join("calendars/scheduling_requests.json"))["truth"]["sr_dev_002"].clone();
    assert_eq!(
        starts(&found["slots"]),
        starts(&truth["slots"]),
        "{found:#}"
    );
    assert_eq!(found["request"]["duration_min"], 60);
    assert_eq!(
        found["assumed_working_hours"],
        json!([]),
        "both calendars were loaded"
    );
    let draft = &state["outputs"]["draft_email"];
    let body = draft["body"].as_str().unwrap();
    assert!(body.starts_with("Hi Rachel,"), "{body}");
    assert_eq!(
        body.matches("\n- ").count(),
        draft["slots_offered"].as_u64().unwrap() as usize
    );
    assert!(draft["slots_offered"].as_u64().unwrap() >= 1);
    assert!(body.contains("MST"), "times in Rachel's zone: {body}");
    assert_eq!(draft["to"]["contact_id"], "ct_rachel_kim");
    assert_eq!(
        state["pending_approvals"],
        json!([2]),
        "the send_times gate"
    );
    services.stop().await;
}

async fn job_of(env: &Env, ev: &baton_schemas::OrchestratorEvent) -> String {
    env.scalar(&format!(
        "SELECT id::text FROM sequence_jobs WHERE event_id = '{}'",
        ev.event_id
    ))
    .await
}

/// Maya approves `job`'s open gate.
async fn maya_approves(env: &Env, job: &str) {
    use baton_schemas::Resolution::Approve;
    crate::harness::resolve_gate(env, job, Approve, "u_bl_maya", None).await;
}

/// The rep's notices that `job` stopped on a failure, once there are `n` (or after 10 s).
async fn failure_notices(env: &Env, job: &str, n: usize) -> Vec<baton_schemas::Notification> {
    let mut found = Vec::new();
    for _ in 0..100 {
        let notices: Vec<baton_schemas::Notification> = env.logged().await;
        found = notices
            .into_iter()
            .filter(|x| x.job_id.as_deref() == Some(job) && x.text.starts_with("Baton stopped"))
            .collect();
        if found.len() >= n {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    found
}

fn email_event(id: &str, user: &str) -> baton_schemas::OrchestratorEvent {
    let mut ev = event(
        "email_received",
        json!({"email": read_json(data().join(format!("emails/{id}.json")))}),
    );
    ev.user_id = user.into();
    ev
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn email_received_does_what_each_email_needs() {
    let mail = crate::harness::EmailProvider::start().await;
    let mut env = Env::new(BusKind::Embedded, None).await;
    env.config.skills.email_url = Some(mail.url.clone());
    // The DEV calendars' week: the emails are read when they arrive.
    let clock = ManualClock::at("2026-11-30T15:00:00Z".parse().unwrap());
    let services = InProcess::start_with_gateway(&env, Arc::new(clock.clone())).await;

    // A meeting request: stored, and handed to calendar_find_times with what Rachel said,
    // which finds sr_dev_002's slots and waits at its send gate.
    let meeting = email_event("em_dev_027", "u_bl_priya");
    // A pricing question: a reply drafted in Linda's thread, waiting for Maya.
    let pricing = email_event("em_dev_002", "u_bl_maya");
    // An opt-out: the contact becomes do-not-contact and Maya is told.
    let opt_out = email_event("em_dev_017", "u_bl_maya");
    // "On hold until Q3": Maya is asked whether to close Evergreen lost.
    let on_hold = email_event("em_dev_016", "u_bl_maya");
    // The wrong person, who names the right one: she becomes a contact.
    let referral = email_event("em_dev_021", "u_bl_maya");
    for ev in [&meeting, &pricing, &opt_out, &on_hold, &referral] {
        env.publish(ev).await;
    }
    env.wait(
        "SELECT count(*) = 1 FROM sequence_jobs WHERE event_type = 'calendar_find_times' AND status = 'awaiting_approval'",
        "the scheduling follow-up at its send gate",
    )
    .await;
    let parent = job_of(&env, &meeting).await;
    let child: Value = env
        .scalar(&format!(
            "SELECT baton_job_state(sequence_jobs) FROM sequence_jobs WHERE event_chain->>'parent' = '{parent}'"
        ))
        .await;
    let truth =
        read_json(data().join("calendars/scheduling_requests.json"))["truth"]["sr_dev_002"].clone();
    assert_eq!(
        starts(&child["outputs"]["find_slots"]["slots"]),
        starts(&truth["slots"])
    );
    let parent_state = env.job(&parent).await["context"].clone();
    assert_eq!(
        parent_state["outputs"]["classify"]["category"],
        "meeting_request"
    );
    assert_eq!(
        parent_state["outputs"]["record"]["thread_id"], meeting.payload["email"]["thread_id"],
        "stored on the email's own thread"
    );
    let stored: i64 = env
        .scalar("SELECT count(*) FROM email_threads WHERE contact_id = 'ct_rachel_kim'")
        .await;
    assert_eq!(stored, 1, "the message is stored on its thread");

    env.wait(
        &format!(
            "SELECT bool_or(status = 'awaiting_approval') FROM sequence_jobs WHERE event_id = '{}'",
            pricing.event_id
        ),
        "the pricing reply at its gate",
    )
    .await;
    let state = env.job(&job_of(&env, &pricing).await).await["context"].clone();
    assert_eq!(state["outputs"]["classify"]["category"], "pricing_question");
    let draft = &state["outputs"]["draft_reply"];
    assert!(
        draft["body"].as_str().unwrap().starts_with("Hi Linda,"),
        "{draft:#}"
    );
    assert_eq!(
        draft["subject"],
        "Re: Brightlane proposal - Keystone Comfort Services"
    );
    assert_eq!(
        state["pending_approvals"],
        json!([4]),
        "the send_reply gate"
    );

    env.wait(
        &format!(
            "SELECT bool_or(status = 'completed') FROM sequence_jobs WHERE event_id = '{}'",
            opt_out.event_id
        ),
        "the opt-out job to complete",
    )
    .await;
    let dnc: bool = env
        .scalar("SELECT do_not_contact FROM contacts WHERE id = 'ct_mike_dufresne'")
        .await;
    assert!(dnc, "an opt-out marks the contact do-not-contact");
    let state = env.job(&job_of(&env, &opt_out).await).await["context"].clone();
    let notice = state["outputs"]["tell_rep"]["notification"]["text"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(notice.contains("do-not-contact"), "{notice}");
    assert!(
        !notice.contains('@'),
        "no addresses in what the rep is told: {notice}"
    );

    env.wait(
        &format!(
            "SELECT bool_or(status = 'awaiting_approval') FROM sequence_jobs WHERE event_id = '{}'",
            on_hold.event_id
        ),
        "the close-lost question at its gate",
    )
    .await;
    let on_hold_job = job_of(&env, &on_hold).await;
    let state = env.job(&on_hold_job).await["context"].clone();
    let close = state["pending_approvals"][0].as_u64().unwrap();
    assert_eq!(
        state["steps_completed"].as_array().unwrap().len() as u64,
        close,
        "every step before the gate ran or was decided"
    );
    let gates: Vec<baton_schemas::ApprovalRequest> = env.logged().await;
    let gate = gates
        .iter()
        .find(|g| g.job_id == on_hold_job)
        .expect("the close-lost approval request");
    assert_eq!(
        (gate.step_name.as_str(), gate.pattern.as_str()),
        ("close_lost", "deal_stage_change")
    );
    assert_eq!(
        gate.draft,
        json!({"deal_id": "d_evergreen", "stage": "closed_lost"})
    );

    env.wait(
        &format!(
            "SELECT bool_or(status = 'completed') FROM sequence_jobs WHERE event_id = '{}'",
            referral.event_id
        ),
        "the referral job to complete",
    )
    .await;
    let (name, title): (String, Option<String>) = sqlx::query_as(
        "SELECT name, title FROM contacts WHERE email = 'tgreene@peachtreefireprotection.com'",
    )
    .fetch_one(&env.owner)
    .await
    .unwrap();
    assert_eq!(name, "Tasha Greene");
    let truth =
        read_json(data().join("emails/truth.json"))["em_dev_021"]["referred_to"]["title"].clone();
    assert_eq!(json!(title), truth);
    let state = env.job(&job_of(&env, &referral).await).await["context"].clone();
    let notice = state["outputs"]["tell_rep"]["notification"]["text"]
        .as_str()
        .unwrap();
    assert!(
        notice.contains("Tasha Greene, now a contact in your CRM"),
        "{notice}"
    );

    // Mike writes again with a question: the reply is drafted, the rep approves, and the send
    // step refuses with the do-not-contact reason; nothing reaches the email provider.
    let mut again = email_event("em_dev_017", "u_bl_maya");
    again.payload["email"]["message_id"] = json!("<again@granitestatehvac.com>");
    again.payload["email"]["body_text"] =
        json!("Actually, what would it cost for 22 techs?\n\nMike");
    env.publish(&again).await;
    env.wait(
        &format!(
            "SELECT bool_or(status = 'awaiting_approval') FROM sequence_jobs WHERE event_id = '{}'",
            again.event_id
        ),
        "the reply to Mike at its gate",
    )
    .await;
    let job = job_of(&env, &again).await;
    maya_approves(&env, &job).await;
    env.wait(
        &format!("SELECT status = 'failed' FROM sequence_jobs WHERE id = '{job}'"),
        "the send to a do-not-contact address to fail",
    )
    .await;
    let failure: String = env
        .scalar(&format!("SELECT error FROM step_runs WHERE job_id = '{job}' AND step_index = 4 ORDER BY attempt DESC LIMIT 1"))
        .await;
    assert!(failure.contains("asked not to be contacted"), "{failure}");
    assert_eq!(mail.count(), 0, "nothing was sent");

    // on_failure: stop — Maya is told what failed and why, with the job to retry.
    let notice = failure_notices(&env, &job, 1).await;
    assert_eq!(notice.len(), 1, "{notice:#?}");
    let (notice, to) = (&notice[0].text, &notice[0].user_id);
    assert_eq!(to, "u_bl_maya");
    assert!(
        notice.contains("send_reply") && notice.contains("asked not to be contacted"),
        "{notice}"
    );
    assert!(
        notice.contains(&format!("baton jobs retry {job}")),
        "{notice}"
    );
    assert!(
        !notice.contains('@'),
        "no addresses in the notice: {notice}"
    );

    // An operator retries it: a new attempt, refused again for the same reason, told again;
    // a finished job cannot be cancelled, and the CLI says so.
    let org = ["--org", "org_brightlane"];
    let (ok, out, err) = env
        .cli_async(&["jobs", "retry", &job, org[0], org[1], "--by", "ops"])
        .await;
    assert!(
        ok && out.contains("asked the router to retry"),
        "{out}{err}"
    );
    env.wait(
        &format!("SELECT count(*) = 2 FROM step_runs WHERE job_id = '{job}' AND step_index = 4 AND status = 'failed'"),
        "the retried send to fail again, as a second attempt",
    )
    .await;
    env.wait(
        &format!("SELECT status = 'failed' FROM sequence_jobs WHERE id = '{job}'"),
        "the retried job to fail again",
    )
    .await;
    let told = failure_notices(&env, &job, 2).await.len();
    assert_eq!(told, 2, "told again");
    assert_eq!(mail.count(), 0, "still nothing was sent");
    let (ok, _, err) = env
        .cli_async(&["jobs", "cancel", &job, org[0], org[1]])
        .await;
    assert!(!ok && err.contains("already finished (failed)"), "{err}");

    // The pricing reply still waits at its gate: cancelled by an operator, it finishes.
    let pricing_job = job_of(&env, &pricing).await;
    let (ok, out, err) = env
        .cli_async(&["jobs", "cancel", &pricing_job, org[0], org[1]])
        .await;
    assert!(ok && out.contains("is now cancelled"), "{out}{err}");
    let by: String = env
        .scalar(&format!("SELECT detail->>'by' FROM audit_log WHERE job_id = '{pricing_job}' AND action = 'job.cancel'"))
        .await;
    assert!(!by.is_empty());
    // Its gate is withdrawn when its reminder comes due: closed as cancelled, its message
    // without buttons, and Maya is not reminded of a job that no longer exists.
    let gate = format!("(SELECT id FROM slack_pending_actions WHERE job_id = '{pricing_job}')");
    let remind: chrono::DateTime<chrono::Utc> = env
        .scalar(&format!(
            "SELECT due_at FROM timers WHERE kind = 'approval_reminder' AND payload->>'pending_action_id' = 'pa_' || {gate}"
        ))
        .await;
    clock.set(remind);
    env.wait(
        &format!("SELECT status = 'cancelled' AND decision = 'withdrawn:job_cancelled' FROM slack_pending_actions WHERE job_id = '{pricing_job}'"),
        "the cancelled job's gate to be withdrawn",
    )
    .await;
    let (withdrawn, reminded): (i64, i64) = sqlx::query_as(
        "SELECT count(*) FILTER (WHERE action = 'approval.withdrawn'),
                count(*) FILTER (WHERE action = 'approval.reminded')
         FROM audit_log WHERE job_id = $1::uuid",
    )
    .bind(&pricing_job)
    .fetch_one(&env.owner)
    .await
    .unwrap();
    assert_eq!((withdrawn, reminded), (1, 0));
    services.stop().await;
}

#[tokio::test]
async fn morning_brief_builds_the_brief_from_its_sources_and_delivers_it() {
    let env = Env::new(BusKind::Embedded, None).await;
    let clock = ManualClock::at("2026-12-01T13:00:00Z".parse().unwrap());
    let services = InProcess::start(&env, Arc::new(clock)).await;
    let mut ev = event("morning_brief", json!({}));
    ev.user_id = "u_bl_maya".into();
    env.publish(&ev).await;
    env.wait(
        &format!(
            "SELECT bool_or(status = 'completed') FROM sequence_jobs WHERE event_id = '{}'",
            ev.event_id
        ),
        "the morning_brief job to complete",
    )
    .await;
    let state = env.job(&job_of(&env, &ev).await).await["context"].clone();
    let brief = &state["outputs"]["brief"];
    // The date is Maya's local date at 13:00Z (08:00 in New York): the truth's brief.
    let truth = read_json(data().join("calendars/morning_brief_truth.json"));
    let want = truth["briefs"]
        .as_array()
        .unwrap()
        .iter()
        .find(|b| b["user_id"] == "u_bl_maya" && b["local_date"] == "2026-12-01")
        .unwrap();
    assert_eq!(brief["due_utc"], want["brief_due_utc"]);
    let ids = |v: &Value| {
        v.as_array()
            .unwrap()
            .iter()
            .map(|m| m["event_id"].clone())
            .collect::<Vec<_>>()
    };
    assert_eq!(
        ids(&brief["meetings"]),
        ids(&want["meetings_with_contacts"])
    );
    let at_risk: Vec<&Value> = brief["pipeline_pulse"]["at_risk"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| &d["deal_id"])
        .collect();
    assert!(at_risk.contains(&&json!("d_evergreen")), "{at_risk:?}");
    let sent: Vec<baton_schemas::Notification> = env.logged().await;
    let mine: Vec<_> = sent
        .iter()
        .filter(|n| n.text.starts_with("Good morning, Maya."))
        .collect();
    assert_eq!(mine.len(), 1, "one brief delivered to the notifier");
    assert!(mine[0].blocks.is_some(), "with Block Kit");
    services.stop().await;
}

async fn finished(env: &Env, ev: &baton_schemas::OrchestratorEvent, status: &str) -> Value {
    env.wait(
        &format!(
            "SELECT bool_or(status = '{status}') FROM sequence_jobs WHERE event_id = '{}'",
            ev.event_id
        ),
        &format!("the {} job to be {status}", ev.event_type),
    )
    .await;
    env.job(&job_of(env, ev).await).await["context"].clone()
}

#[tokio::test]
async fn stale_deals_get_a_revival_draft_and_campaign_owners_an_alert() {
    let env = Env::new(BusKind::Embedded, None).await;
    // The org's as_of: the DEV truth's "now" for staleness and campaign health.
    let clock = ManualClock::at("2026-11-30T12:00:00Z".parse().unwrap());
    let services = InProcess::start(&env, Arc::new(clock)).await;
    let mut stale = event("stale_deal_revival", json!({"deal_id": "d_evergreen"}));
    stale.user_id = "u_bl_maya".into();
    let mut closed = event("stale_deal_revival", json!({"deal_id": "d_thornbury_main"}));
    closed.user_id = "u_bl_priya".into();
    let mut daniel = event("campaign_check", json!({}));
    daniel.user_id = "u_bl_daniel".into();
    let mut maya = event("campaign_check", json!({}));
    maya.user_id = "u_bl_maya".into();
    for ev in [&stale, &closed, &daniel, &maya] {
        env.publish(ev).await;
    }
    let state = finished(&env, &stale, "awaiting_approval").await;
    let draft = &state["outputs"]["draft_revival"];
    assert_eq!(draft["to"]["contact_id"], "ct_hollis_vandermeer");
    assert!(draft["body"].as_str().unwrap().starts_with("Hi Hollis,"));
    assert_eq!(draft["days_since_activity"], 31);
    assert_eq!(state["pending_approvals"], json!([1]));

    let state = finished(&env, &closed, "failed").await;
    assert!(
        state["failure"].to_string().contains("closed_won"),
        "{:#}",
        state["failure"]
    );

    // Daniel's cmp_q4_list bounces too much (the truth); Maya's campaign is healthy.
    let state = finished(&env, &daniel, "completed").await;
    assert_eq!(
        state["outputs"]["alert"]["underperforming"],
        json!(["cmp_q4_list"])
    );
    let text = state["outputs"]["alert"]["notification"]["text"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(text.contains("bounce rate"), "{text}");
    let state = finished(&env, &maya, "completed").await;
    assert!(
        state["outputs"].get("alert").is_none_or(Value::is_null),
        "no alert for a healthy campaign"
    );
    let sent: Vec<baton_schemas::Notification> = env.logged().await;
    assert_eq!(
        sent.iter()
            .filter(|n| n.text.starts_with("Campaign check"))
            .count(),
        1
    );
    services.stop().await;
}

/// slack_approval_received is translated into an ApprovalDecision, which the gateway
/// authorises like any other: a click by someone who is not the gate's rep changes nothing,
/// the rep's resumes the job; a payload that names no gate is skipped with its reason.
#[tokio::test]
async fn slack_approval_received_resumes_a_gate_only_through_the_gateway() {
    let mail = crate::harness::EmailProvider::start().await;
    let mut env = Env::new(BusKind::Embedded, None).await;
    env.config.skills.email_url = Some(mail.url.clone());
    let clock = ManualClock::at("2026-11-30T15:00:00Z".parse().unwrap());
    let services = InProcess::start(&env, Arc::new(clock.clone())).await;
    let gateway = baton_approval_gateway::Gateway::build(&env.config, Arc::new(clock))
        .await
        .unwrap();
    let gateway_task = tokio::spawn(gateway.run(services.shutdown.clone()));
    let pricing = email_event("em_dev_002", "u_bl_maya");
    env.publish(&pricing).await;
    env.wait(
        "SELECT count(*) = 1 FROM slack_pending_actions",
        "the reply's pending action",
    )
    .await;
    let gate: uuid::Uuid = env.scalar("SELECT id FROM slack_pending_actions").await;
    let job = job_of(&env, &pricing).await;
    let click = |user: &str, team: &str| {
        let body = json!({"type": "block_actions", "user": {"id": user}, "team": {"id": team},
                          "actions": [{"action_id": "baton.approve", "block_id": format!("baton_actions:pa_{gate}"), "value": format!("pa_{gate}")}]});
        event("slack_approval_received", json!({ "payload": body }))
    };
    // Someone else's click, and Maya's Slack user id from another workspace: both refused
    // by the gateway, the job still waits.
    env.publish(&click("U0NOTMAYA", crate::harness::TEAM)).await;
    env.publish(&click(crate::harness::MAYA_SLACK, "T0ELSEWHERE"))
        .await;
    env.wait(
        "SELECT count(*) >= 2 FROM audit_log WHERE action = 'approval.refused'",
        "the gateway to refuse a click by someone else and one from another workspace",
    )
    .await;
    assert_eq!(env.job(&job).await["status"], "awaiting_approval");
    // Maya's click: approved once, the reply is sent, the job completes.
    env.publish(&click(crate::harness::MAYA_SLACK, crate::harness::TEAM))
        .await;
    env.wait(
        &format!("SELECT status = 'completed' FROM sequence_jobs WHERE id = '{job}'"),
        "the job to complete",
    )
    .await;
    assert_eq!(mail.count(), 1);
    // A payload that names no gate does nothing but leave its reason.
    let bad = event(
        "slack_approval_received",
        json!({"decision": "approve", "slack_user_id": "U1"}),
    );
    env.publish(&bad).await;
    env.wait(
        &format!("SELECT count(*) = 1 FROM skipped_events WHERE event_id = '{}' AND reason = 'bad_approval_event'", bad.event_id),
        "the bad approval event to be skipped with its reason",
    )
    .await;
    services.stop().await;
    gateway_task.await.unwrap().unwrap();
}

#[tokio::test]
async fn pre_meeting_90min_prepares_the_rep_from_the_last_meeting_and_the_deal() {
    let env = Env::new(BusKind::Embedded, None).await;
    let clock = ManualClock::at("2026-12-01T16:30:00Z".parse().unwrap());
    let services = InProcess::start(&env, Arc::new(clock)).await;
    let mut ev = event(
        "pre_meeting_90min",
        json!({"event_id": "ev_maya_002", "deal_id": "d_keystone", "contact_id": "ct_linda_marsh"}),
    );
    ev.user_id = "u_bl_maya".into();
    env.publish(&ev).await;
    let state = finished(&env, &ev, "completed").await;
    let prep = &state["outputs"]["prep"];
    assert_eq!(prep["title"], "Keystone Comfort — Brightlane demo");
    assert_eq!(prep["deal"]["stage"], "discovery");
    assert_eq!(
        prep["last_meeting"]["id"], "mtg_dev_001",
        "the recorded discovery call"
    );
    assert!(
        !prep["open_commitments"]["yours"]
            .as_array()
            .unwrap()
            .is_empty()
    );
    assert!(
        !prep["open_commitments"]["theirs"]
            .as_array()
            .unwrap()
            .is_empty()
    );
    let linda = prep["attendees"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["name"] == "Linda Marsh")
        .unwrap();
    assert_eq!(linda["title"], "VP Operations");
    let sent: Vec<baton_schemas::Notification> = env.logged().await;
    let mine: Vec<_> = sent
        .iter()
        .filter(|n| n.text.starts_with("PREP: Keystone Comfort"))
        .collect();
    assert_eq!(mine.len(), 1);
    assert!(
        !mine[0].text.contains('@'),
        "names, not addresses: {}",
        mine[0].text
    );
    services.stop().await;
}

#[tokio::test]
async fn coaching_digest_goes_to_the_rep_and_their_manager() {
    let env = Env::new(BusKind::Embedded, None).await;
    let clock = ManualClock::at("2026-11-28T12:00:00Z".parse().unwrap());
    let services = InProcess::start(&env, Arc::new(clock)).await;
    let mut ev = event("coaching_digest", json!({}));
    ev.user_id = "u_bl_maya".into();
    env.publish(&ev).await;
    let state = finished(&env, &ev, "completed").await;
    let digest = &state["outputs"]["digest"];
    // Maya's recorded calls in the 7 days before Nov 28: mtg_dev_003 and mtg_dev_008.
    let ids: Vec<&Value> = digest["calls"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| &c["meeting_id"])
        .collect();
    assert_eq!(ids, [&json!("mtg_dev_003"), &json!("mtg_dev_008")]);
    for call in digest["calls"].as_array().unwrap() {
        let truth = read_json(data().join(format!(
            "meetings/{}.truth.json",
            call["meeting_id"].as_str().unwrap()
        )))["coaching"]
            .clone();
        assert!(
            (call["rep_talk_ratio"].as_f64().unwrap() - truth["rep_talk_ratio"].as_f64().unwrap())
                .abs()
                <= 0.05
        );
    }
    let sent: Vec<baton_schemas::Notification> = env.logged().await;
    let to = |user: &str| {
        sent.iter()
            .filter(|n| n.text.starts_with("COACHING") && n.user_id == user)
            .count()
    };
    assert_eq!(
        (to("u_bl_maya"), to("u_bl_tom")),
        (1, 1),
        "the rep and her manager"
    );
    services.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_proposal_is_stored_attached_and_marked_sent() {
    use base64::Engine as _;
    let mail = crate::harness::EmailProvider::start().await;
    let mut env = Env::new(BusKind::Embedded, None).await;
    env.config.skills.email_url = Some(mail.url.clone());
    let clock = ManualClock::at("2026-11-17T16:00:00Z".parse().unwrap());
    let services = InProcess::start_with_gateway(&env, Arc::new(clock)).await;

    let ev = event(
        "proposal_generation",
        json!({"deal_id": "d_keystone", "contact_id": "ct_linda_marsh", "commitment": "I'll get you a proposal by Friday"}),
    );
    env.publish(&ev).await;
    env.wait(
        "SELECT bool_or(status = 'awaiting_approval') FROM sequence_jobs WHERE event_type = 'proposal_generation'",
        "the proposal at its send gate",
    )
    .await;
    let job = job_of(&env, &ev).await;
    // Stored when drafted, with its document.
    let (status, document): (String, String) = (
        env.scalar(&format!(
            "SELECT status FROM proposals WHERE source_job_id = '{job}'"
        ))
        .await,
        env.scalar(&format!(
            "SELECT body->>'document' FROM proposals WHERE source_job_id = '{job}'"
        ))
        .await,
    );
    assert_eq!(status, "draft");
    assert!(
        document.contains("## Pricing") && document.contains("I'll get you a proposal by Friday")
    );

    maya_approves(&env, &job).await;
    env.wait(
        &format!("SELECT status = 'sent' FROM proposals WHERE source_job_id = '{job}'"),
        "the proposal to be marked sent",
    )
    .await;
    // The provider received the email with the document attached, exactly as stored.
    let sends = mail.sends();
    assert_eq!(sends.len(), 1);
    let draft = &sends[0].1["input"]["draft"];
    let attached = &draft["attachments"][0];
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(attached["content_base64"].as_str().unwrap())
        .unwrap();
    assert_eq!(String::from_utf8(bytes).unwrap(), document);
    let name = attached["filename"].as_str().unwrap();
    assert!(
        draft["body"]
            .as_str()
            .unwrap()
            .contains(&format!("attached ({name})"))
    );
    let rows: i64 = env
        .scalar(&format!(
            "SELECT count(*) FROM proposals WHERE source_job_id = '{job}'"
        ))
        .await;
    assert_eq!(rows, 1, "marking it sent updates the draft's row");
    services.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_pipeline_scan_queues_one_revival_per_stale_deal_for_its_owner() {
    let env = Env::new(BusKind::Embedded, None).await;
    let clock = ManualClock::at("2026-11-30T12:00:00Z".parse().unwrap());
    let services = InProcess::start(&env, Arc::new(clock)).await;
    let org = read_json(data().join("org/org_brightlane.json"));
    let truth: Vec<(String, String)> = org["truth"]["stale_deals"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            let s = |k: &str| d[k].as_str().unwrap().to_string();
            (s("deal_id"), s("owner_user_id"))
        })
        .collect();

    let (ok, out, err) = env
        .cli_async(&["scan", "pipeline", "--org", "org_brightlane"])
        .await;
    assert!(ok, "{out}{err}");
    assert!(out.contains(&format!("{} stale: ", truth.len())), "{out}");
    env.wait(
        &format!(
            "SELECT count(*) = {} FROM sequence_jobs WHERE event_type = 'stale_deal_revival'",
            truth.len()
        ),
        "one revival job per stale deal",
    )
    .await;
    let jobs: Vec<(String, String, String)> = sqlx::query_as(
        "SELECT trigger_payload->>'deal_id', user_id, event_source FROM sequence_jobs
         WHERE event_type = 'stale_deal_revival' ORDER BY (trigger_payload->>'days_since_activity')::float8 DESC",
    )
    .fetch_all(&env.owner)
    .await
    .unwrap();
    let got: Vec<(String, String)> = jobs
        .iter()
        .map(|(d, u, _)| (d.clone(), u.clone()))
        .collect();
    assert_eq!(got, truth, "the truth's stale deals, each for its owner");
    assert!(jobs.iter().all(|(_, _, s)| s == "baton/pipeline-scan"));

    // The same scan again (tomorrow's schedule, a retry): the sequence's dedupe window keeps
    // each deal to one revival.
    let (ok, out, err) = env
        .cli_async(&["scan", "pipeline", "--org", "org_brightlane"])
        .await;
    assert!(ok, "{out}{err}");
    env.wait(
        &format!(
            "SELECT count(*) >= {} FROM skipped_events WHERE event_type = 'stale_deal_revival'",
            truth.len()
        ),
        "the repeats to be skipped as duplicates",
    )
    .await;
    let n: i64 = env
        .scalar("SELECT count(*) FROM sequence_jobs WHERE event_type = 'stale_deal_revival'")
        .await;
    assert_eq!(n as usize, truth.len());
    let (ok, _, err) = env
        .cli_async(&[
            "scan",
            "pipeline",
            "--org",
            "org_brightlane",
            "--threshold-days",
            "0",
        ])
        .await;
    assert!(!ok && err.contains("--threshold-days"), "{err}");
    services.stop().await;
}

/// mtg_dev_003: the rep promised a pricing quote and a contract, kinds with no sequence of
/// their own. They become tasks at the task gate; the summary claims nothing was queued.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn promises_without_a_sequence_become_tasks_and_the_summary_claims_only_what_ran() {
    let mail = crate::harness::EmailProvider::start().await;
    let mut env = Env::new(BusKind::Embedded, None).await;
    env.config.skills.email_url = Some(mail.url.clone());
    let clock = ManualClock::at("2026-11-17T16:00:00Z".parse().unwrap());
    let services = InProcess::start_with_gateway(&env, Arc::new(clock)).await;
    let ev = crate::harness::meeting_ended("mtg_dev_003", "d_harbor", "ct_victor_amadi");
    env.publish(&ev).await;
    let gate = |n: usize| {
        format!(
            "SELECT COALESCE(bool_or(status = 'awaiting_approval'
                 AND (context->>'approval_gates_hit')::int = {n}), false)
             FROM sequence_jobs WHERE event_id = '{}'",
            ev.event_id
        )
    };
    env.wait(&gate(1), "the email gate").await;
    let job = job_of(&env, &ev).await;
    maya_approves(&env, &job).await;
    env.wait(&gate(2), "the task gate").await;
    let state = env.job(&job).await["context"].clone();
    let items = state["outputs"]["extract_action_items"]["items"]
        .as_array()
        .unwrap()
        .clone();
    let rep_intents: Vec<&str> = items
        .iter()
        .filter(|i| i["owner"] == "rep")
        .map(|i| i["intent"].as_str().unwrap())
        .collect();
    assert!(
        rep_intents.contains(&"pricing") && rep_intents.contains(&"send_contract"),
        "{rep_intents:?}"
    );
    maya_approves(&env, &job).await;
    env.wait(
        &format!("SELECT status = 'completed' FROM sequence_jobs WHERE id = '{job}'"),
        "the job to complete",
    )
    .await;
    let tasks: i64 = env
        .scalar(&format!(
            "SELECT count(*) FROM tasks WHERE source_job_id = '{job}'"
        ))
        .await;
    assert_eq!(
        tasks as usize,
        rep_intents.len(),
        "every promise of the rep is a task"
    );
    let state = env.job(&job).await["context"].clone();
    let text = state["outputs"]["slack_summary"]["notification"]["text"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(text.contains("Nothing queued."), "{text}");
    assert!(
        !text.contains("pricing quote") && !text.contains("contract draft"),
        "{text}"
    );
    assert!(
        text.contains(&format!("{tasks} tasks added to your CRM.")),
        "{text}"
    );
    services.stop().await;
}

/// Everyone on the thread or in the meeting must be free: Ellen's email copies Dana, so the
/// times are sr_dev_001's (Daniel, Ellen and Dana); mtg_dev_001 had Linda and Greg, and
/// Greg, who shares no calendar, is assumed to keep office hours.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn scheduling_asks_every_participant_of_the_thread_or_meeting() {
    let env = Env::new(BusKind::Embedded, None).await;
    let clock = ManualClock::at("2026-11-30T15:00:00Z".parse().unwrap());
    let services = InProcess::start(&env, Arc::new(clock)).await;
    let ellen = email_event("em_dev_003", "u_bl_daniel");
    let meeting = crate::harness::meeting_ended("mtg_dev_001", "d_keystone", "ct_linda_marsh");
    env.publish(&ellen).await;
    env.publish(&meeting).await;
    let child_of = |parent: String| {
        format!(
            "SELECT COALESCE(bool_or(status = 'awaiting_approval'), false) FROM sequence_jobs
             WHERE event_type = 'calendar_find_times' AND event_chain->>'parent' = '{parent}'"
        )
    };
    env.wait(
        &format!(
            "SELECT count(*) = 2 FROM sequence_jobs WHERE event_id IN ('{}', '{}')",
            ellen.event_id, meeting.event_id
        ),
        "both jobs",
    )
    .await;
    let (from_email, from_meeting) = (job_of(&env, &ellen).await, job_of(&env, &meeting).await);
    env.wait(
        &child_of(from_email.clone()),
        "the thread's scheduling job at its gate",
    )
    .await;
    let envr = &env;
    let found = |parent: String| async move {
        let state: Value = envr
            .scalar(&format!(
                "SELECT baton_job_state(sequence_jobs) FROM sequence_jobs WHERE event_type = 'calendar_find_times'
                 AND event_chain->>'parent' = '{parent}'"
            ))
            .await;
        state["outputs"]["find_slots"].clone()
    };
    let out = found(from_email).await;
    let truth = read_json(data().join("calendars/scheduling_requests.json"));
    let request = truth["requests"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == "sr_dev_001")
        .unwrap()
        .clone();
    assert_eq!(out["request"]["participants"], request["participants"]);
    assert_eq!(
        starts(&out["slots"]),
        starts(&truth["truth"]["sr_dev_001"]["slots"])
    );

    env.wait(
        &child_of(from_meeting.clone()),
        "the meeting's scheduling job at its gate",
    )
    .await;
    let out = found(from_meeting).await;
    assert_eq!(
        out["request"]["participants"],
        json!(["u_bl_maya", "ct_linda_marsh", "ct_greg_tull"])
    );
    assert_eq!(
        out["assumed_working_hours"],
        json!(["ct_greg_tull"]),
        "{out:#}"
    );
    services.stop().await;
}
