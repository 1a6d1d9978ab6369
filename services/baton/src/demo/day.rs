//! The rest of the rep's day for `baton demo`: an email that needs a reply (drafted,
//! approved, sent), an email asking for a meeting (handed to calendar_find_times, which finds
//! the times and drafts the offer), and the morning brief. Each is picked from the sample
//! data by what it is (the emails by what classify-email makes of them), so `--data` works
//! on any set in the same layout.

use anyhow::Context;
use baton_core::status::JobStatus;
use baton_platform::sequences::Definitions;
use baton_skills::{Registry, email::display_name};
use clap::ValueEnum;
use serde_json::{Value, json};
use uuid::Uuid;

use super::{
    Cast, Demo, JobView, Rep, Shown,
    render::{heading, slack_box},
};

/// Which part of the day `baton demo` tells.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, ValueEnum)]
pub enum Scenario {
    /// All of it, in order: the meeting, the email, the scheduling request, the brief.
    #[default]
    Day,
    /// A meeting ends: follow-up email, tasks, summary, chained jobs, audit trail.
    Meeting,
    /// An email that needs an answer: classified, a reply drafted, approved, sent.
    Email,
    /// An email asking for a meeting: the times found in both calendars, offered for approval.
    Scheduling,
    /// The rep's morning brief.
    Brief,
}

impl Scenario {
    fn has(self, part: Scenario) -> bool {
        self == Scenario::Day || self == part
    }
}

impl Demo<'_> {
    /// The chapters `scenario` asks for; returns the first job (for exploring afterwards).
    pub(super) async fn day(&self, scenario: Scenario, cast: &Cast) -> anyhow::Result<Uuid> {
        let (_, defs) = baton_skills::config::load(self.config)?;
        let mut first = None;
        if scenario.has(Scenario::Meeting) {
            let rep = cast.rep(&cast.rep_id)?;
            first.get_or_insert(self.tell(&cast.meeting, &rep).await?);
        }
        if scenario.has(Scenario::Email) {
            let (email, rep) = cast.email_that("draft_reply_needs_approval").await?;
            first.get_or_insert(self.email_reply(&defs, &email, &rep).await?);
        }
        if scenario.has(Scenario::Scheduling) {
            let (email, rep) = cast.email_that("find_meeting_times").await?;
            first.get_or_insert(self.meeting_request(&defs, &email, &rep).await?);
        }
        if scenario.has(Scenario::Brief) {
            let rep = cast.rep(&cast.rep_id)?;
            first.get_or_insert(self.brief(&defs, cast, &rep).await?);
        }
        first.context("the scenario told nothing")
    }

    /// An email that needs an answer: classified, a reply drafted in the rep's voice, the rep
    /// approves it in Slack, the provider receives it.
    async fn email_reply(
        &self,
        defs: &Definitions,
        email: &Value,
        rep: &Rep<'_>,
    ) -> anyhow::Result<Uuid> {
        heading("── An email arrives that needs an answer");
        let job = self.email_arrives(email, rep).await?;
        let seq = defs
            .current("email_received")
            .context("no email_received sequence")?;
        let mut shown = Shown::default();
        let gate = self
            .follow(job, seq, &mut shown, "the reply's gate", Self::open_gate)
            .await?;
        self.classified(job).await?;
        self.approve_and_send(job, gate, rep).await?;
        let done = |j: &JobView| (j.status == JobStatus::Completed).then_some(());
        self.follow(job, seq, &mut shown, "the job to complete", done)
            .await?;
        Ok(job)
    }

    /// An email asking for a meeting: handed to calendar_find_times as a follow-up, which
    /// finds the times both calendars allow and drafts the offer; the rep approves it.
    async fn meeting_request(
        &self,
        defs: &Definitions,
        email: &Value,
        rep: &Rep<'_>,
    ) -> anyhow::Result<Uuid> {
        heading("── A prospect asks for a meeting");
        let job = self.email_arrives(email, rep).await?;
        let seq = defs
            .current("email_received")
            .context("no email_received sequence")?;
        let done = |j: &JobView| (j.status == JobStatus::Completed).then_some(());
        self.follow(job, seq, &mut Shown::default(), "the email's job", done)
            .await?;
        self.classified(job).await?;
        // The child job exists once the router has taken the follow-up event.
        let child = self
            .wait("the calendar_find_times job", || async {
                let parent = self.job(job).await?;
                Ok(parent.chain["children"][0]
                    .as_str()
                    .and_then(|c| Uuid::parse_str(c).ok()))
            })
            .await?;
        println!();
        println!(
            "   calendar_find_times job {} (its child):",
            super::render::short(&child.to_string())
        );
        let seq = defs
            .current("calendar_find_times")
            .context("no calendar_find_times sequence")?;
        let gate = self
            .follow(
                child,
                seq,
                &mut Shown::default(),
                "the times' gate",
                Self::open_gate,
            )
            .await?;
        let found = self.job(child).await?.state["outputs"]["find_slots"].clone();
        println!(
            "   {} start times fit both calendars; the best {} are offered:",
            found["count"],
            found["proposed"].as_array().map_or(0, Vec::len)
        );
        for s in found["proposed"].as_array().into_iter().flatten() {
            println!("     · {}", s["start_local"].as_str().unwrap_or("?"));
        }
        self.approve_and_send(child, gate, rep).await?;
        Ok(job)
    }

    /// The rep's morning brief for today (or their next working day), as delivered.
    async fn brief(&self, defs: &Definitions, cast: &Cast, rep: &Rep<'_>) -> anyhow::Result<Uuid> {
        let date = cast.brief_day();
        heading(&format!("── The morning brief for {date}"));
        let ev = self
            .publish(
                "morning_brief",
                "demo-schedule",
                rep.id,
                json!({ "date": date }),
            )
            .await?;
        let job = self.job_of(&ev.event_id).await?;
        let seq = defs
            .current("morning_brief")
            .context("no morning_brief sequence")?;
        let done = |j: &JobView| (j.status == JobStatus::Completed).then_some(());
        self.follow(job, seq, &mut Shown::default(), "the brief", done)
            .await?;
        for (blocks, text) in self.delivered(job).await? {
            slack_box(rep.name, &blocks.unwrap_or(Value::Null), &text);
        }
        Ok(job)
    }

    /// Publishes email_received for `email` (as the mail provider's webhook producer would)
    /// and returns its job.
    async fn email_arrives(&self, email: &Value, rep: &Rep<'_>) -> anyhow::Result<Uuid> {
        let from = email["from"].as_str().unwrap_or("");
        println!(
            "   \"{}\" from {} to {}",
            email["subject"].as_str().unwrap_or("?"),
            display_name(from).unwrap_or_else(|| "an unnamed sender".into()),
            rep.name
        );
        let ev = self
            .publish(
                "email_received",
                "demo-mail-webhook",
                rep.id,
                json!({ "email": email }),
            )
            .await?;
        self.job_of(&ev.event_id).await
    }

    /// What classify-email made of the job's email.
    async fn classified(&self, job: Uuid) -> anyhow::Result<()> {
        let c = self.job(job).await?.state["outputs"]["classify"].clone();
        let or_none = |k: &str| c[k].as_str().unwrap_or("none").to_string();
        println!(
            "   classified: {} → {} (language {}, contact {}, deal {})",
            or_none("category"),
            or_none("action"),
            or_none("language"),
            or_none("contact_id"),
            or_none("deal_id")
        );
        Ok(())
    }

    /// The gate's message as the rep sees it, their Approve, and the send it releases.
    async fn approve_and_send(&self, job: Uuid, gate: i32, rep: &Rep<'_>) -> anyhow::Result<()> {
        let (pending, blocks, text) = self.approval_message(job, gate).await?;
        slack_box(rep.name, &blocks, &text);
        let before = self.mailbox.sends().len();
        self.click(pending, rep.slack_id).await?;
        let (key, body) = self
            .wait("the email provider to receive the send", || async {
                Ok(self.mailbox.sends().into_iter().nth(before))
            })
            .await?;
        println!(
            "   ✉  the email provider received \"{}\" to {} (Idempotency-Key {key})",
            body["input"]["draft"]["subject"].as_str().unwrap_or("?"),
            body["input"]["draft"]["to"]["name"]
                .as_str()
                .unwrap_or("the contact"),
        );
        Ok(())
    }
}

impl Cast {
    /// The first sample email (by id) that classify-email says needs `action`, with the rep
    /// it was sent to.
    async fn email_that(&self, action: &str) -> anyhow::Result<(Value, Rep<'_>)> {
        let registry = Registry::builtin();
        let mut emails: Vec<&Value> = self.sample.emails.iter().collect();
        emails.sort_by_key(|e| e["id"].as_str().unwrap_or("").to_string());
        for email in emails {
            let Some(rep) = self.addressee(email) else {
                continue;
            };
            let input = json!({ "email": email, "org": self.sample.org });
            let out = registry.run("classify-email", "demo:pick:1", &input).await;
            if out.is_ok_and(|o| o.output["action"] == action) {
                return Ok((email.clone(), rep));
            }
        }
        anyhow::bail!(
            "{} has no email to a user of its org that classify-email says needs {action}",
            self.sample.from
        )
    }

    /// The org user an email was sent to.
    fn addressee(&self, email: &Value) -> Option<Rep<'_>> {
        let to: Vec<String> = baton_skills::messages::strings(&email["to"])
            .filter_map(baton_skills::email::address)
            .collect();
        let user = self.sample.org["users"].as_array()?.iter().find(|u| {
            u["email"]
                .as_str()
                .is_some_and(|a| to.iter().any(|t| t.eq_ignore_ascii_case(a)))
        })?;
        self.rep(user["id"].as_str()?).ok()
    }

    /// The day the brief is for: today, or the rep's next working day when today has no
    /// working hours in their calendar (a weekend has no brief).
    fn brief_day(&self) -> String {
        let today = chrono::Utc::now().date_naive();
        let hours = self
            .sample
            .calendars
            .iter()
            .find(|c| c["owner"]["id"] == self.rep_id.as_str())
            .map(|c| c["working_hours"].clone());
        let works = |d: chrono::NaiveDate| {
            let key = d.format("%a").to_string().to_lowercase();
            hours
                .as_ref()
                .is_none_or(|h| h[key.as_str()].as_array().is_some_and(|i| !i.is_empty()))
        };
        let day = today
            .iter_days()
            .take(7)
            .find(|d| works(*d))
            .unwrap_or(today);
        day.format("%Y-%m-%d").to_string()
    }
}
