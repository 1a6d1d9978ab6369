//! The meeting chapter of `baton demo`: a meeting ends, the router takes it, the steps run,
//! the rep approves the email and the tasks, the summary, the chained jobs, the execution
//! metadata and the audit trail.

use anyhow::{Context, bail};
use baton_core::{sequence::Sequence, status::JobStatus};
use baton_platform::{sequences::Definitions, store};
use baton_schemas::{Message, OrchestratorEvent};
use serde_json::Value;
use uuid::Uuid;

use super::{
    Demo, JobView, Rep, Shown, gate_or_end,
    render::{compact, count, heading, short, slack_box},
    step_done,
};
use crate::provider_requests::meetingbaas_complete;
use baton_core::outputs::clip;

impl Demo<'_> {
    /// The story, chapter by chapter; returns the meeting's job.
    pub(super) async fn tell(&self, meeting: &Value, rep: &Rep<'_>) -> anyhow::Result<Uuid> {
        let (_, defs) = baton_skills::config::load(self.config)?;
        let seq = defs
            .current("meeting_ended")
            .context("no meeting_ended sequence")?;
        let event_id = self.meeting_ended(meeting, rep.name).await?;
        let job_id = self.routed(&event_id, seq).await?;
        heading("3  The steps");
        let mut shown = Shown::default();
        let first_gate = "the first approval gate";
        let gate = self
            .follow(job_id, seq, &mut shown, first_gate, Self::open_gate)
            .await?;
        self.approve_email(job_id, seq, gate, &mut shown, rep)
            .await?;
        self.approve_the_rest(job_id, seq, &mut shown, rep).await?;
        self.summary(job_id, rep.name).await?;
        heading("7  The chained job");
        self.chained(job_id, &defs).await?;
        self.metadata_and_audit(job_id).await?;
        Ok(job_id)
    }

    /// 1: the recorder's bot posts its `complete` webhook to the ingress, which stores the
    /// transcript on the meeting and publishes meeting_ended; its id.
    async fn meeting_ended(&self, meeting: &Value, rep_name: &str) -> anyhow::Result<String> {
        heading("1  A meeting ended");
        let others: Vec<&str> = meeting["attendees"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|p| p["role"] != "rep")
            .filter_map(|p| p["name"].as_str())
            .collect();
        println!(
            "   \"{}\" — {rep_name} with {}; {} transcript segments",
            meeting["title"].as_str().unwrap_or("?"),
            others.join(", "),
            count(&meeting["segments"])
        );
        let id = meeting["id"].as_str().context("the meeting has no id")?;
        // As when Baton sent the bot: the meeting is known, its transcript is not yet.
        let mut tx = store::begin_for_org(self.pool, self.org_id).await?;
        sqlx::query("UPDATE meetings SET transcript = NULL WHERE id = $1")
            .bind(id)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;

        let bot = Uuid::new_v4().to_string();
        let body = meetingbaas_complete(meeting, self.org_id.as_str(), &bot, id);
        let kb = body.len().div_ceil(1024);
        let headers = vec![
            ("content-type", "application/json".to_string()),
            (
                "x-meeting-baas-api-key",
                self.webhooks.meetingbaas_key().to_string(),
            ),
        ];
        let path = "/webhooks/meetingbaas";
        let status = self
            .webhooks
            .post(path, (headers, body.into_bytes()))
            .await?;
        println!(
            "   the recorder's bot posted complete ({kb} KB of words) to {} → {status}",
            self.webhooks.url(path)
        );
        let stored: Option<i32> = {
            let mut tx = store::begin_for_org(self.pool, self.org_id).await?;
            sqlx::query_scalar(
                "SELECT jsonb_array_length(transcript->'segments') FROM meetings WHERE id = $1",
            )
            .bind(id)
            .fetch_one(&mut *tx)
            .await?
        };
        let event_id = baton_ingress::meetingbaas::meeting_ended_id(&bot);
        println!(
            "   the ingress stored the transcript ({} segments) and published meeting_ended {} on {}",
            stored.unwrap_or(0),
            short(&event_id.to_string()),
            self.svc.producer.topic(OrchestratorEvent::TOPIC)
        );
        Ok(event_id.to_string())
    }

    /// 2: the router's checks, the job, and the context it loaded.
    async fn routed(&self, event_id: &str, seq: &Sequence) -> anyhow::Result<Uuid> {
        heading("2  The router takes it");
        let job_id = self.job_of(event_id).await?;
        // The router creates a job only once the event passed its checks; a deferred or paused
        // job says which one held it.
        let first = self.job(job_id).await?;
        match first.status {
            JobStatus::Deferred | JobStatus::Paused => bail!(
                "the router {} the job ({}): the demo expects it to run now",
                first.status,
                first.state["paused_reason"]
                    .as_str()
                    .unwrap_or("quiet hours")
            ),
            _ => println!(
                "   checked: the org and user exist, not a duplicate, feature {} on, AI budget left, not in quiet hours",
                seq.feature.as_deref().unwrap_or("-")
            ),
        }
        println!(
            "   job {} runs sequence meeting_ended ({} steps, pinned to version {})",
            short(&job_id.to_string()),
            seq.steps.len(),
            &seq.version[..12]
        );
        // What the context-loader actually loaded (tier 1 always; tier 2 for the payload's
        // contact and deal).
        let loaded: Vec<String> = self
            .wait("the context-loader's result", || async {
                let job = self.job(job_id).await?;
                Ok(job.state["context"].as_object().map(|c| {
                    let mut keys: Vec<String> = c
                        .iter()
                        .filter(|(_, v)| !v.is_null())
                        .map(|(k, v)| match v.as_array() {
                            Some(a) => format!("{k} ({})", a.len()),
                            None => k.replace('_', " "),
                        })
                        .collect();
                    keys.sort();
                    keys
                }))
            })
            .await?;
        println!("   context loaded: {}", loaded.join(", "));
        Ok(job_id)
    }

    /// 4 and 5: the email gate as the rep sees it, approved through the Slack path, and the
    /// email the provider received.
    async fn approve_email(
        &self,
        job_id: Uuid,
        seq: &Sequence,
        gate: i32,
        shown: &mut Shown,
        rep: &Rep<'_>,
    ) -> anyhow::Result<()> {
        heading(&format!("4  What {} sees in Slack", self.first_name));
        let (pending, blocks, text) = self.approval_message(job_id, gate).await?;
        slack_box(rep.name, &blocks, &text);
        heading(&format!("5  {} clicks Approve", self.first_name));
        self.click(pending, rep.slack_id).await?;
        let sent = self
            .wait("the email provider to receive the send", || async {
                Ok(self.mailbox.sends().into_iter().next())
            })
            .await?;
        let approved = |j: &JobView| step_done(j, gate);
        self.follow(job_id, seq, shown, "the approved step to finish", approved)
            .await?;
        let (key, body) = sent;
        println!(
            "   ✉  the email provider received 1 request: \"{}\" to {} (Idempotency-Key {key})",
            body["input"]["draft"]["subject"].as_str().unwrap_or("?"),
            body["input"]["draft"]["to"]["name"]
                .as_str()
                .unwrap_or("the prospect"),
        );
        let (status, by): (String, String) = {
            let mut tx = store::begin_for_org(self.pool, self.org_id).await?;
            sqlx::query_as(
                "SELECT status, COALESCE(decided_by, '') FROM slack_pending_actions WHERE id = $1",
            )
            .bind(pending.uuid())
            .fetch_one(&mut *tx)
            .await?
        };
        println!(
            "   the gate is {status} (by {by}); the notifier updates the original message to say so"
        );
        Ok(())
    }

    /// The task gate follows, if the meeting gave the rep tasks; approved the same way.
    async fn approve_the_rest(
        &self,
        job_id: Uuid,
        seq: &Sequence,
        shown: &mut Shown,
        rep: &Rep<'_>,
    ) -> anyhow::Result<()> {
        let next = self
            .follow(job_id, seq, shown, "the next gate or the end", gate_or_end)
            .await?;
        if let Some(gate) = next {
            let (pending, blocks, text) = self.approval_message(job_id, gate).await?;
            println!();
            println!("   the next gate:");
            slack_box(rep.name, &blocks, &text);
            println!("   {} approves this one too", self.first_name);
            self.click(pending, rep.slack_id).await?;
            let completed = |j: &JobView| (j.status == JobStatus::Completed).then_some(());
            self.follow(job_id, seq, shown, "the job to complete", completed)
                .await?;
        }
        let tasks: i64 = {
            let mut tx = store::begin_for_org(self.pool, self.org_id).await?;
            sqlx::query_scalar("SELECT count(*) FROM tasks WHERE source_job_id = $1")
                .bind(job_id)
                .fetch_one(&mut *tx)
                .await?
        };
        if tasks > 0 {
            println!("   {tasks} CRM tasks written (each with its own idempotency key)");
        }
        Ok(())
    }

    /// 6: the post-meeting summary as delivered.
    async fn summary(&self, job_id: Uuid, rep_name: &str) -> anyhow::Result<()> {
        heading("6  The summary in Slack (inform only, no buttons)");
        let informs = self.delivered(job_id).await?;
        for (blocks, text) in informs {
            slack_box(rep_name, &blocks.unwrap_or(Value::Null), &text);
        }
        Ok(())
    }

    /// 7: each follow-up job, followed until it waits or ends.
    async fn chained(&self, job_id: Uuid, defs: &Definitions) -> anyhow::Result<()> {
        let job = self.job(job_id).await?;
        let children: Vec<Uuid> = job.chain["children"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|c| c.as_str().and_then(|c| Uuid::parse_str(c).ok()))
            .collect();
        if children.is_empty() {
            println!("   this meeting queued no follow-up jobs");
        }
        for (n, child) in children.iter().enumerate() {
            if n > 0 {
                println!();
            }
            self.chained_job(*child, defs).await?;
        }
        Ok(())
    }

    /// One follow-up job: its link to the parent, its steps, and where it settled.
    async fn chained_job(&self, child: Uuid, defs: &Definitions) -> anyhow::Result<()> {
        let c = self.job(child).await?;
        println!(
            "   {} job {} — parent {} (chain depth {})",
            c.event_type,
            short(&child.to_string()),
            short(c.chain["parent"].as_str().unwrap_or("-")),
            c.depth
        );
        let Some(seq) = defs.current(&c.event_type) else {
            println!(
                "   (no sequence for {}: the router skipped it)",
                c.event_type
            );
            return Ok(());
        };
        let mut shown = Shown::default();
        let settled = self
            .follow(child, seq, &mut shown, "the chained job to settle", |j| {
                (j.status == JobStatus::AwaitingApproval
                    || j.status == JobStatus::Paused
                    || j.status.is_terminal())
                .then(|| (j.status, Self::open_gate(j)))
            })
            .await?;
        match settled {
            (_, Some(gate)) => {
                let (_, _, text) = self.approval_message(child, gate).await?;
                println!("   it waits at its own gate: \"{text}\"");
            }
            (status, None) => {
                let c = self.job(child).await?;
                match c.state["failure"].as_str() {
                    Some(f) if f.contains("not configured") => println!(
                        "   {status}: its step calls an edge function the demo does not run (the ✗ above says which setting)"
                    ),
                    Some(f) => println!("   {status}: {}", clip(f, 100)),
                    None => println!("   {status}"),
                }
            }
        }
        Ok(())
    }

    /// 8 and 9: the execution metadata and the audit trail.
    async fn metadata_and_audit(&self, job_id: Uuid) -> anyhow::Result<()> {
        heading("8  Execution metadata");
        let job = self.job(job_id).await?;
        let m = &job.state["execution_metadata"];
        println!(
            "   status {} · steps: {} succeeded, {} skipped, {} failed ({} run by the step-executor, the rest decided by the router)",
            m["status"].as_str().unwrap_or(job.status.as_str()),
            m["steps_completed"],
            m["steps_skipped"],
            m["steps_failed"],
            m["steps_attempted"],
        );
        println!(
            "   {} approval gates · {} follow-ups queued · {} ms from event to done · AI cost ${:.4}",
            m["approval_gates_hit"],
            m["followups_queued"],
            m["total_duration_ms"],
            m["total_ai_cost_usd"].as_f64().unwrap_or(0.0)
        );
        heading(&format!(
            "9  Audit trail of job {}",
            short(&job_id.to_string())
        ));
        type Audit = (chrono::DateTime<chrono::Utc>, String, String, Value);
        let audit: Vec<Audit> = self
            .rows(
                "SELECT occurred_at, service, action, detail FROM audit_log WHERE job_id = $1 ORDER BY occurred_at, id",
                job_id,
            )
            .await?;
        for (at, service, action, detail) in audit {
            let detail = compact(&detail, 56);
            println!(
                "   {}  {service:<16} {action:<22} {detail}",
                at.format("%H:%M:%S%.3f")
            );
        }
        Ok(())
    }
}
