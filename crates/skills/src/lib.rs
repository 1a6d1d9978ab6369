//! Skills: the work a sequence step does. A [`Registry`] holds the built-in Rust skills and
//! the HTTP skills configured for a deployment, with the effect each has (so the sequence
//! loader can insist on approval gates) and cost accounting.

/// Declares lazily compiled, case-insensitive patterns (built-in literals), one a line.
macro_rules! patterns {
    ($($(#[$doc:meta])* $name:ident = $pattern:literal;)+) => {
        $($(#[$doc])* static $name: std::sync::LazyLock<regex::Regex> =
            std::sync::LazyLock::new(|| $crate::intents::re($pattern));)+
    };
}

pub mod brief;
pub mod brief_text;
pub mod builtin;
pub mod calendar;
pub mod coaching;
pub mod config;
pub mod digest;
pub mod email;
pub mod http;
pub mod intents;
mod json;
pub mod llm;
pub mod messages;
pub mod output_schema;
pub mod pipeline;
pub mod pipeline_actions;
pub mod pm5;
pub mod prep;
pub mod proposal;
pub mod replies;
pub mod said;
pub mod scheduling;
pub mod slots;
pub mod transcript;
pub mod triage;
pub mod triage_crm;
pub mod triage_words;

use std::{collections::BTreeMap, time::Duration};

use baton_core::sequence::{Catalog, Effect};
use serde::Serialize;
use serde_json::Value;

pub use http::HttpSkill;

/// What a skill run cost. Built-in skills are priced as the model they stand in for would
/// be, from the characters they read and wrote (≈ 4 per token) at [`Pricing`].
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Cost {
    pub model: String,
    pub input_tokens: u32,
    pub output_tokens: u32,
    pub usd_micros: i64,
}

/// Token prices for the built-in skills' cost estimate (USD per million tokens).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Pricing {
    pub input_per_mtok: f64,
    pub output_per_mtok: f64,
}

impl Default for Pricing {
    fn default() -> Self {
        Self {
            input_per_mtok: 3.0,
            output_per_mtok: 15.0,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SkillOutput {
    pub output: Value,
    pub cost: Cost,
}

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum SkillError {
    #[error("unknown skill `{key}` (see `baton skills list`)")]
    Unknown { key: String },
    #[error("skill `{key}`: bad input: {message}")]
    BadInput { key: String, message: String },
    #[error("skill `{key}` is rate limited: retry after {}s", retry_after.as_secs())]
    RateLimited { key: String, retry_after: Duration },
    #[error("skill `{key}` failed (retryable): {message}")]
    Transient { key: String, message: String },
    #[error("skill `{key}` failed: {message}")]
    Failed { key: String, message: String },
    #[error("skill `{key}` is not configured: set {setting}")]
    NotConfigured { key: String, setting: String },
    #[error("`{key}` writes the CRM tables: it runs inside the step-executor, not on its own")]
    NeedsStore { key: String },
    #[error("skill `{key}`: the model call would overrun the org's AI budget")]
    BudgetExceeded { key: String },
}

impl SkillError {
    /// Whether trying again later can succeed.
    pub fn retryable(&self) -> bool {
        matches!(self, Self::RateLimited { .. } | Self::Transient { .. })
    }
}

#[derive(Debug, Clone)]
pub enum Kind {
    Builtin(builtin::BuiltinFn),
    /// A built-in served by the configured model (`skills.serve.<key>`).
    Model(llm::Model),
    Http(HttpSkill),
    /// An HTTP skill whose endpoint is not configured in this deployment.
    Unconfigured {
        setting: String,
    },
    /// A CRM action: applied by the step-executor inside its transaction.
    Crm,
}

#[derive(Debug, Clone)]
pub struct SkillInfo {
    pub key: String,
    pub description: String,
    pub effect: Effect,
    /// Reads the meeting transcript (the executor attaches `meeting` to the input).
    pub needs_transcript: bool,
    /// Matches an email's sender in the CRM (the executor attaches the sender's contact,
    /// company and deals as `org`).
    pub needs_sender_crm: bool,
    /// A built-in priced as the model it stands in for ([`Pricing`]); the benchmark's
    /// compute steps stand in for none and cost nothing.
    pub priced: bool,
    pub kind: Kind,
}

impl SkillInfo {
    pub fn kind_name(&self) -> &'static str {
        match self.kind {
            Kind::Builtin(_) => "built-in",
            Kind::Model(ref m) if m.fallback.is_some() => "llm (built-in fallback)",
            Kind::Model(_) => "llm",
            Kind::Http(_) => "http",
            Kind::Unconfigured { .. } => "http (not configured)",
            Kind::Crm => "crm",
        }
    }
}

/// Every skill and CRM action a deployment can run.
#[derive(Debug, Clone)]
pub struct Registry {
    skills: BTreeMap<String, SkillInfo>,
    crm: BTreeMap<String, SkillInfo>,
    functions: BTreeMap<String, HttpSkill>,
    client: reqwest::Client,
    pricing: Pricing,
}

/// Where the HTTP-backed built-ins send their requests.
#[derive(Debug, Clone, Default)]
pub struct Endpoints {
    /// The email provider for `email-send-as-rep`.
    pub email: Option<HttpSkill>,
    /// Extra HTTP skills by key.
    pub skills: BTreeMap<String, HttpSkill>,
    /// Edge functions by name (`function: <name>` steps).
    pub functions: BTreeMap<String, HttpSkill>,
}

impl Registry {
    /// The built-in skills plus the HTTP skills in `endpoints`.
    pub fn new(endpoints: Endpoints, pricing: Pricing) -> Self {
        // reqwest is built without a TLS provider of its own (see the workspace manifest);
        // an Err means one is installed already, which serves as well.
        let _ = rustls::crypto::ring::default_provider().install_default();
        let mut skills = BTreeMap::new();
        let mut add =
            |key: &str, description: &str, effect: Effect, transcript: bool, kind: Kind| {
                skills.insert(
                    key.to_string(),
                    SkillInfo {
                        key: key.to_string(),
                        description: description.to_string(),
                        effect,
                        needs_transcript: transcript,
                        needs_sender_crm: key == "classify-email",
                        priced: true,
                        kind,
                    },
                );
            };
        let pure = Effect::default();
        add(
            "extract-action-items",
            "Action items from a meeting transcript, with owner and assignee",
            pure,
            true,
            Kind::Builtin(builtin::extract_action_items),
        );
        add(
            "detect-intents",
            "Commitments (speaker, owner, intent, verbatim phrase, confidence) and the look-alikes that are not",
            pure,
            true,
            Kind::Builtin(builtin::detect_intents),
        );
        add(
            "suggest-next-actions",
            "Next actions for the rep from the meeting's commitments and competitor mentions",
            pure,
            true,
            Kind::Builtin(builtin::suggest_next_actions),
        );
        add(
            "post-meeting-followup-drafter",
            "The recap email to the prospect: what each side agreed to",
            pure,
            true,
            Kind::Builtin(builtin::post_meeting_followup_drafter),
        );
        add(
            "slack-post-meeting",
            "Inform-only post-meeting summary for the rep (no approval)",
            pure,
            true,
            Kind::Builtin(builtin::slack_post_meeting),
        );
        add(
            "generate-proposal",
            "A proposal and its cover email from the deal, the product profile and the proposal template",
            pure,
            false,
            Kind::Builtin(proposal::generate_proposal),
        );
        add(
            "find-stale-deals",
            "Open deals with no activity for more than 14 days (threshold_days) before the org's now, most neglected first, per owner",
            pure,
            false,
            Kind::Builtin(pipeline::find_stale_deals),
        );
        add(
            "monitor-campaigns",
            "Each campaign's bounce, open and reply rates over the last 7 days, and whether (and why) it underperforms",
            pure,
            false,
            Kind::Builtin(pipeline::monitor_campaigns),
        );
        add(
            "find-available-slots",
            "Every start at which the required participants are free (working hours, busy events, recurrences, buffers, limits, allowed windows; DST-correct), and the best 3 to propose",
            pure,
            false,
            Kind::Builtin(slots::find_available_slots),
        );
        add(
            "classify-email",
            "An inbound email's category (10), action (5), language, and the CRM contact and deal it is about; autoreplies are never answered",
            pure,
            false,
            Kind::Builtin(triage::classify_email),
        );
        add(
            "morning-brief",
            "One rep's morning brief for a date: due time, today's meetings with contacts, needs your attention, pipeline pulse, overnight updates (working days only)",
            pure,
            false,
            Kind::Builtin(brief::morning_brief),
        );
        add(
            "coaching-analysis",
            "A call's talk ratio, open discovery questions and agreed next steps, from its transcript",
            pure,
            true,
            Kind::Builtin(coaching::coaching_analysis),
        );
        add(
            "draft-scheduling-email",
            "The rep's email offering the proposed meeting times in the contact's zone (or asking for others when none fit)",
            pure,
            false,
            Kind::Builtin(scheduling::draft_scheduling_email),
        );
        add(
            "draft-email-reply",
            "The rep's reply to a pricing question, an objection or good news, in the sender's language",
            pure,
            false,
            Kind::Builtin(replies::draft_email_reply),
        );
        add(
            "email-triage-notice",
            "Inform-only note to the rep about an email only they can handle, or what was recorded from it",
            pure,
            false,
            Kind::Builtin(replies::email_triage_notice),
        );
        add(
            "draft-revival-email",
            "A short check-in to the contact of a deal that went quiet, for the rep to approve",
            pure,
            false,
            Kind::Builtin(pipeline_actions::draft_revival_email),
        );
        add(
            "campaign-alert",
            "Inform-only note to a campaign's owner naming each underperforming campaign and why",
            pure,
            false,
            Kind::Builtin(pipeline_actions::campaign_alert),
        );
        add(
            "meeting-prep",
            "The rep's prep brief for a customer meeting: attendees, deal, last meeting's commitments, open tasks, recent threads, talking points (inform only)",
            pure,
            true,
            Kind::Builtin(prep::meeting_prep),
        );
        add(
            "coaching-digest",
            "The rep's week in calls (talk ratio, open questions, next steps) for the rep and their manager",
            pure,
            false,
            Kind::Builtin(digest::coaching_digest),
        );
        add(
            "email-send-as-rep",
            "Sends an email as the rep through the configured provider (needs approval)",
            Effect {
                requires_approval: true,
                sends_email: true,
            },
            false,
            endpoints.email.map_or(
                Kind::Unconfigured {
                    setting: "skills.email_url (BATON_SKILLS__EMAIL_URL)".into(),
                },
                Kind::Http,
            ),
        );
        for (key, http) in endpoints.skills {
            add(&key, "HTTP skill", pure, false, Kind::Http(http));
        }
        let mut crm = BTreeMap::new();
        for (key, description, requires_approval) in [
            (
                "create-task",
                "Creates CRM tasks from action items (needs approval)",
                true,
            ),
            (
                "update-deal-stage",
                "Moves a deal to another stage (needs approval)",
                true,
            ),
            (
                "record-proposal",
                "Stores the drafted proposal and its document (`status` draft), or marks it sent",
                false,
            ),
            (
                "record-email",
                "Stores an inbound email on its thread; an opt-out marks the sender do-not-contact, an out-of-office records the return date",
                false,
            ),
        ] {
            crm.insert(
                key.to_string(),
                SkillInfo {
                    key: key.to_string(),
                    description: description.to_string(),
                    effect: Effect {
                        requires_approval,
                        sends_email: false,
                    },
                    needs_transcript: false,
                    needs_sender_crm: false,
                    priced: false,
                    kind: Kind::Crm,
                },
            );
        }
        Self {
            skills,
            crm,
            functions: endpoints.functions,
            client: reqwest::Client::new(),
            pricing,
        }
    }

    /// Adds the PM5 benchmark's skills and its send-email CRM action (`skills.benchmark`,
    /// set by `baton bench pm5`); a deployment's registry never has them.
    pub fn with_benchmark_skills(mut self) -> Self {
        for (key, description, f) in pm5::SKILLS {
            self.skills.insert(
                key.to_string(),
                SkillInfo {
                    key: key.to_string(),
                    description: description.to_string(),
                    effect: Effect::default(),
                    needs_transcript: false,
                    needs_sender_crm: false,
                    priced: false,
                    kind: Kind::Builtin(f),
                },
            );
        }
        self.crm.insert(
            pm5::SEND_EMAIL.to_string(),
            SkillInfo {
                key: pm5::SEND_EMAIL.to_string(),
                description: "PM5 benchmark step 5 (bench only): records the email in `sent_emails`, counting repeats".into(),
                effect: Effect::default(),
                needs_transcript: false,
                needs_sender_crm: false,
                priced: false,
                kind: Kind::Crm,
            },
        );
        self
    }

    /// The built-ins only, with no endpoints configured.
    pub fn builtin() -> Self {
        Self::new(Endpoints::default(), Pricing::default())
    }

    /// What the sequence loader validates against.
    pub fn catalog(&self) -> Catalog {
        Catalog {
            skills: self
                .skills
                .iter()
                .map(|(k, s)| (k.clone(), s.effect))
                .collect(),
            crm_actions: self
                .crm
                .iter()
                .map(|(k, s)| (k.clone(), s.effect))
                .collect(),
            notify_templates: ["post_meeting_summary", "budget_exceeded"]
                .into_iter()
                .map(String::from)
                .collect(),
            external_events: Default::default(),
        }
    }

    pub fn skills(&self) -> impl Iterator<Item = &SkillInfo> {
        self.skills.values()
    }

    pub fn crm_actions(&self) -> impl Iterator<Item = &SkillInfo> {
        self.crm.values()
    }

    pub fn get(&self, key: &str) -> Option<&SkillInfo> {
        self.skills.get(key)
    }

    /// Runs skill `key` on `input`. `idempotency_key` travels with every side effect.
    pub async fn run(
        &self,
        key: &str,
        idempotency_key: &str,
        input: &Value,
    ) -> Result<SkillOutput, SkillError> {
        let info = self
            .skills
            .get(key)
            .or_else(|| self.crm.get(key))
            .ok_or_else(|| SkillError::Unknown {
                key: key.to_string(),
            })?;
        match &info.kind {
            Kind::Builtin(f) => {
                let output = f(input).map_err(|message| SkillError::BadInput {
                    key: key.to_string(),
                    message,
                })?;
                output_schema::check(key, &output).map_err(|message| SkillError::Failed {
                    key: key.to_string(),
                    message,
                })?;
                let cost = if info.priced {
                    self.estimate(key, input, &output)
                } else {
                    Cost::default()
                };
                Ok(SkillOutput { cost, output })
            }
            Kind::Model(model) => model.run(&self.client, key, input).await,
            Kind::Http(http) => http.call(&self.client, key, idempotency_key, input).await,
            Kind::Unconfigured { setting } => Err(SkillError::NotConfigured {
                key: key.to_string(),
                setting: setting.clone(),
            }),
            Kind::Crm => Err(SkillError::NeedsStore {
                key: key.to_string(),
            }),
        }
    }

    /// Calls edge function `name` (POST JSON with the idempotency key). An unconfigured
    /// function is an error naming the setting.
    pub async fn call_function(
        &self,
        name: &str,
        idempotency_key: &str,
        input: &Value,
    ) -> Result<SkillOutput, SkillError> {
        match self.functions.get(name) {
            Some(http) => http.call(&self.client, name, idempotency_key, input).await,
            None => Err(SkillError::NotConfigured {
                key: name.to_string(),
                setting: format!(
                    "skills.functions.{name}.url (BATON_SKILLS__FUNCTIONS__{}__URL)",
                    name.to_uppercase().replace('-', "_")
                ),
            }),
        }
    }

    /// What running `key` on `input` is expected to cost before it runs: for a skill served
    /// by a model, the prompt priced at the model's rates; `None` for the others (a built-in
    /// is priced from its output, an HTTP skill reports its own usage).
    pub fn estimate_before(&self, key: &str, input: &Value) -> Option<Cost> {
        match &self.skills.get(key)?.kind {
            Kind::Model(model) => model.estimate(input),
            _ => None,
        }
    }

    /// Serves built-in `key` with the model (`fallback`: the built-in when the model's
    /// answer is unusable). Only skills with a model task can be.
    pub fn serve_with_model(
        &mut self,
        key: &str,
        client: &llm::LlmClient,
        fallback: bool,
    ) -> Result<(), String> {
        let task = llm::task(key).ok_or_else(|| {
            format!("skills.serve.{key}: no model task for `{key}` (detect-intents and classify-email have one)")
        })?;
        let info = self
            .skills
            .get_mut(key)
            .ok_or_else(|| format!("skills.serve.{key}: no skill `{key}`"))?;
        let Kind::Builtin(builtin) = info.kind else {
            return Err(format!("skills.serve.{key}: `{key}` is not a built-in"));
        };
        info.kind = Kind::Model(llm::Model {
            task,
            client: client.clone(),
            fallback: fallback.then_some(builtin),
        });
        Ok(())
    }

    fn estimate(&self, key: &str, input: &Value, output: &Value) -> Cost {
        let tokens = |v: &Value| u32::try_from(v.to_string().len().div_ceil(4)).unwrap_or(u32::MAX);
        let (input_tokens, output_tokens) = (tokens(input), tokens(output));
        let usd = f64::from(input_tokens) * self.pricing.input_per_mtok / 1e6
            + f64::from(output_tokens) * self.pricing.output_per_mtok / 1e6;
        Cost {
            model: format!("builtin:{key}"),
            input_tokens,
            output_tokens,
            usd_micros: (usd * 1e6).round() as i64,
        }
    }
}
