//! Sequence definitions: one YAML file per event type (`sequences/<event>.yaml`), parsed and
//! validated as a set, so a reference to a missing step, skill or event type is an error
//! at start-up that names the file and line, never a surprise in the middle of a run.
//!
//! Every definition is identified by the SHA-256 of its file: a run is pinned to that hash
//! and finishes on the version it started with.

use std::{
    collections::{BTreeMap, BTreeSet},
    fmt,
    time::Duration,
};

use serde::{Deserialize, Serialize};
use serde_saphyr::Spanned;
use sha2::{Digest, Sha256};

use crate::expr::Expr;

/// Tier-3 context sources a step may declare in `requires_context`.
pub const CONTEXT_SOURCES: &[&str] = &[
    "calendars",
    "crm",
    "inbox",
    "week_meetings",
    "enrichment",
    "linkedin",
    "company_news",
    "proposal_templates",
    "campaign_metrics",
];

/// Human-in-the-loop patterns a gate may use (each has its own Slack layout).
pub const APPROVAL_PATTERNS: &[&str] =
    &["email_draft", "task_list", "deal_stage_change", "proposal"];

/// The default step timeout.
pub const DEFAULT_STEP_TIMEOUT: Duration = Duration::from_secs(60);
/// The default dedupe window per event type.
pub const DEFAULT_DEDUPE_WINDOW: Duration = Duration::from_secs(24 * 3600);

/// What the loader needs to know about the actions a step can name.
#[derive(Debug, Clone, Default)]
pub struct Catalog {
    /// Skill keys (built-in and HTTP), with the effect each has.
    pub skills: BTreeMap<String, Effect>,
    /// CRM actions (`crm: create-task`), with their effect.
    pub crm_actions: BTreeMap<String, Effect>,
    /// Notification templates (`notify: <template>`).
    pub notify_templates: BTreeSet<String>,
    /// Event types that start no sequence here but may be published as follow-ups (handled
    /// by another system). Empty by default: every follow-up needs a sequence.
    pub external_events: BTreeSet<String>,
}

/// What running an action does outside Baton: the product's rule is that sending email as
/// the rep, changing a deal's stage and creating tasks from detected intents need a human.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Effect {
    pub requires_approval: bool,
    /// An email send: its gate may never time out to "approve" (there is no such option),
    /// and it is named in errors as such.
    pub sends_email: bool,
}

/// A validated sequence.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Sequence {
    pub event: String,
    pub description: Option<String>,
    /// `notification_feature_settings` feature that must be on for the org; `None` = always.
    pub feature: Option<String>,
    /// Run even during the user's quiet hours (delivery is still deferred by the notifier).
    pub run_in_quiet_hours: bool,
    #[serde(with = "humantime_serde_compat")]
    pub dedupe_window: Duration,
    /// The dedupe key; without one, the event's `dedupe_key` or, failing that, its id.
    pub dedupe_key: Option<Expr>,
    pub steps: Vec<Step>,
    /// SHA-256 of the file's bytes (hex).
    pub version: String,
    pub source_file: String,
    /// The YAML text the version hash was computed from (stored with each pinned run).
    #[serde(skip)]
    pub source: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Step {
    pub name: String,
    pub action: Action,
    pub when: Option<Expr>,
    /// Named inputs (CEL); without them the action gets the whole state.
    pub input: BTreeMap<String, Expr>,
    pub approval: Option<Approval>,
    pub on_failure: OnFailure,
    pub ai: bool,
    pub requires_context: Vec<String>,
    #[serde(with = "humantime_serde_compat")]
    pub timeout: Duration,
    /// 1-based line of the step in its file, for messages.
    pub line: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    Skill(String),
    Function(String),
    Crm(String),
    Notify(String),
    Followup(Followup),
    Branch(Branch),
}

impl Action {
    /// The kind and target, e.g. `skill detect-intents`.
    pub fn describe(&self) -> String {
        match self {
            Action::Skill(k) => format!("skill {k}"),
            Action::Function(f) => format!("function {f}"),
            Action::Crm(a) => format!("crm {a}"),
            Action::Notify(t) => format!("notify {t}"),
            Action::Followup(f) => format!("follow-up {}", f.event),
            Action::Branch(b) => format!("branch to {}", b.goto),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Followup {
    pub event: String,
    pub for_each: Option<Expr>,
    pub when: Option<Expr>,
    pub payload: BTreeMap<String, Expr>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Branch {
    pub when: Option<Expr>,
    pub goto: String,
    /// Index of the target step.
    pub target: usize,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OnTimeout {
    Skip,
    Cancel,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Approval {
    pub pattern: String,
    pub editable: Vec<String>,
    #[serde(with = "humantime_serde_compat")]
    pub expires_in: Duration,
    pub on_timeout: OnTimeout,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum OnFailure {
    Stop,
    Continue,
    Retry(RetryPolicy),
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct RetryPolicy {
    /// Attempts in all, the first included.
    pub attempts: u32,
    #[serde(with = "humantime_serde_compat")]
    pub backoff: Duration,
    #[serde(with = "humantime_serde_compat")]
    pub max_backoff: Duration,
}

impl RetryPolicy {
    /// Delay before attempt `next_attempt` (2, 3, …): exponential, capped, with up to 20 %
    /// jitter taken from `jitter` in [0, 1) so callers (and tests) control randomness.
    /// `None` once the attempts are used up.
    pub fn delay_before(&self, next_attempt: u32, jitter: f64) -> Option<Duration> {
        if next_attempt < 2 || next_attempt > self.attempts {
            return None;
        }
        let exp = self
            .backoff
            .saturating_mul(1u32 << (next_attempt - 2).min(20))
            .min(self.max_backoff);
        Some(exp.mul_f64(1.0 + 0.2 * jitter.clamp(0.0, 1.0)))
    }
}

/// Durations as humantime text (`30s`, `24h`) in the stored JSON form.
mod humantime_serde_compat {
    use std::time::Duration;

    use serde::Serializer;

    pub fn serialize<S: Serializer>(d: &Duration, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&humantime::format_duration(*d).to_string())
    }
}

/// Every problem found in a set of definitions, each with file and line.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct LoadErrors(pub Vec<Problem>);

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub file: String,
    pub line: u64,
    pub column: u64,
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.line == 0 {
            write!(f, "{}: {}", self.file, self.message)
        } else {
            write!(
                f,
                "{}:{}:{}: {}",
                self.file, self.line, self.column, self.message
            )
        }
    }
}

impl fmt::Display for LoadErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = self.0.len();
        writeln!(
            f,
            "{n} problem{} in the sequence definitions:",
            if n == 1 { "" } else { "s" }
        )?;
        for p in &self.0 {
            writeln!(f, "  {p}")?;
        }
        Ok(())
    }
}

/// All sequences, by event type.
#[derive(Debug, Clone, Default)]
pub struct SequenceSet {
    by_event: BTreeMap<String, Sequence>,
}

impl SequenceSet {
    /// Parses and validates `files` (file name → YAML text) together.
    pub fn parse<'a>(
        files: impl IntoIterator<Item = (&'a str, &'a str)>,
        catalog: &Catalog,
    ) -> Result<Self, LoadErrors> {
        let mut problems = Vec::new();
        let mut raws = Vec::new();
        for (file, text) in files {
            match serde_saphyr::from_str::<RawSequence>(text) {
                Ok(raw) => raws.push((file, text, raw)),
                Err(e) => {
                    let (line, column) = e.location().map_or((0, 0), |l| (l.line(), l.column()));
                    problems.push(Problem {
                        file: file.to_string(),
                        line,
                        column,
                        message: first_line(&e.to_string()),
                    });
                }
            }
        }
        let mut defined: BTreeMap<String, &str> = BTreeMap::new();
        for (file, _, raw) in &raws {
            if let Some(previous) = defined.insert(raw.event.value.clone(), file) {
                problems.push(at(
                    file,
                    &raw.event,
                    format!(
                        "event type `{}` is already defined in {previous}",
                        raw.event.value
                    ),
                ));
            }
        }
        let mut by_event = BTreeMap::new();
        for (file, text, raw) in raws {
            let mut v = Validator {
                file,
                catalog,
                defined: &defined,
                problems: &mut problems,
                pinned: false,
            };
            if let Some(seq) = v.sequence(raw, text) {
                by_event.insert(seq.event.clone(), seq);
            }
        }
        if problems.is_empty() {
            Ok(Self { by_event })
        } else {
            Err(LoadErrors(problems))
        }
    }

    /// Re-reads one stored definition (a run pinned to a version that may no longer be in
    /// `sequences/`). Skills and expressions are checked against today's catalog; follow-up
    /// targets are not (they were checked with the set the version was loaded with).
    pub fn parse_pinned(file: &str, text: &str, catalog: &Catalog) -> Result<Sequence, LoadErrors> {
        let raw = serde_saphyr::from_str::<RawSequence>(text).map_err(|e| {
            let (line, column) = e.location().map_or((0, 0), |l| (l.line(), l.column()));
            LoadErrors(vec![Problem {
                file: file.to_string(),
                line,
                column,
                message: first_line(&e.to_string()),
            }])
        })?;
        let defined = BTreeMap::new();
        let mut problems = Vec::new();
        let mut v = Validator {
            file,
            catalog,
            defined: &defined,
            problems: &mut problems,
            pinned: true,
        };
        match v.sequence(raw, text) {
            Some(seq) => Ok(seq),
            None => Err(LoadErrors(problems)),
        }
    }

    pub fn get(&self, event_type: &str) -> Option<&Sequence> {
        self.by_event.get(event_type)
    }

    pub fn iter(&self) -> impl Iterator<Item = &Sequence> {
        self.by_event.values()
    }

    pub fn len(&self) -> usize {
        self.by_event.len()
    }

    pub fn is_empty(&self) -> bool {
        self.by_event.is_empty()
    }
}

fn first_line(s: &str) -> String {
    s.lines().next().unwrap_or_default().to_string()
}

fn at<T>(file: &str, spanned: &Spanned<T>, message: String) -> Problem {
    Problem {
        file: file.to_string(),
        line: spanned.referenced.line(),
        column: spanned.referenced.column(),
        message,
    }
}

// ---- the file format -------------------------------------------------------------------

/// An optional string, with where it stands in the file.
type Text = Option<Spanned<String>>;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSequence {
    event: Spanned<String>,
    description: Option<String>,
    feature: Text,
    #[serde(default)]
    run_in_quiet_hours: bool,
    dedupe: Option<RawDedupe>,
    steps: Spanned<Vec<RawStep>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDedupe {
    window: Text,
    key: Text,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawStep {
    name: Spanned<String>,
    skill: Text,
    function: Text,
    crm: Text,
    notify: Text,
    followup: Option<Spanned<RawFollowup>>,
    branch: Option<Spanned<RawBranch>>,
    when: Text,
    #[serde(default)]
    input: BTreeMap<String, Spanned<String>>,
    approval: Option<Spanned<RawApproval>>,
    on_failure: Option<Spanned<RawOnFailure>>,
    #[serde(default)]
    ai: bool,
    #[serde(default)]
    requires_context: Vec<Spanned<String>>,
    timeout: Text,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFollowup {
    event: Spanned<String>,
    for_each: Text,
    when: Text,
    #[serde(default)]
    payload: BTreeMap<String, Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawBranch {
    when: Text,
    goto: Spanned<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawApproval {
    pattern: Spanned<String>,
    #[serde(default)]
    editable: Vec<String>,
    expires_in: Text,
    on_timeout: OnTimeout,
}

#[derive(Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
enum RawOnFailure {
    Stop,
    Continue,
    Retry(RawRetry),
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRetry {
    attempts: u32,
    backoff: Spanned<String>,
    max_backoff: Text,
}

// ---- validation -------------------------------------------------------------------------

struct Validator<'a> {
    file: &'a str,
    catalog: &'a Catalog,
    defined: &'a BTreeMap<String, &'a str>,
    problems: &'a mut Vec<Problem>,
    /// Re-reading a stored version: its follow-up targets were checked when it was first
    /// loaded, against the set it belonged to then.
    pinned: bool,
}

impl<'a> Validator<'a> {
    fn problem<T>(&mut self, spanned: &Spanned<T>, message: String) {
        self.problems.push(at(self.file, spanned, message));
    }

    /// The effect of `name` in `known` (a skill, a CRM action); an unknown name is a problem
    /// that lists the known ones.
    fn known(
        &mut self,
        name: &Spanned<String>,
        known: &'a BTreeMap<String, Effect>,
        what: &str,
        plural: &str,
    ) -> Effect {
        if let Some(e) = known.get(&name.value) {
            return *e;
        }
        let message = format!(
            "unknown {what} `{}`; known {plural}: {}",
            name.value,
            join(known.keys())
        );
        self.problem(name, message);
        Effect::default()
    }

    fn expr(&mut self, raw: &Spanned<String>, allow_item: bool) -> Option<Expr> {
        match Expr::compile(&raw.value, allow_item) {
            Ok(e) => Some(e),
            Err(e) => {
                self.problem(raw, e.to_string());
                None
            }
        }
    }

    fn duration(&mut self, raw: &Spanned<String>, what: &str) -> Option<Duration> {
        match humantime::parse_duration(&raw.value) {
            Ok(d) if !d.is_zero() => Some(d),
            Ok(_) => {
                self.problem(raw, format!("{what} must be longer than zero"));
                None
            }
            Err(e) => {
                self.problem(
                    raw,
                    format!(
                        "{what} `{}` is not a duration ({e}); write e.g. 30s, 5m, 24h",
                        raw.value
                    ),
                );
                None
            }
        }
    }

    fn sequence(&mut self, raw: RawSequence, text: &str) -> Option<Sequence> {
        let before = self.problems.len();
        let stem = self
            .file
            .rsplit(['/', '\\'])
            .next()
            .unwrap_or(self.file)
            .trim_end_matches(".yaml")
            .trim_end_matches(".yml");
        if raw.event.value != stem {
            self.problem(
                &raw.event,
                format!(
                    "event `{}` does not match the file name: a sequence lives in <event>.yaml (rename the file to {}.yaml or fix the event)",
                    raw.event.value, raw.event.value
                ),
            );
        }
        let dedupe_window = match raw.dedupe.as_ref().and_then(|d| d.window.as_ref()) {
            Some(w) => self.duration(w, "dedupe.window"),
            None => Some(DEFAULT_DEDUPE_WINDOW),
        };
        let dedupe_key = raw
            .dedupe
            .as_ref()
            .and_then(|d| d.key.as_ref())
            .map(|k| self.expr(k, false));
        if raw.steps.value.is_empty() {
            self.problem(&raw.steps, "a sequence needs at least one step".into());
        }
        let mut names: BTreeMap<&str, usize> = BTreeMap::new();
        for (i, s) in raw.steps.value.iter().enumerate() {
            if names.insert(&s.name.value, i).is_some() {
                self.problem(
                    &s.name,
                    format!("step name `{}` is used twice", s.name.value),
                );
            }
        }
        let mut steps = Vec::new();
        for (i, s) in raw.steps.value.iter().enumerate() {
            if let Some(step) = self.step(i, s, &names) {
                steps.push(step);
            }
        }
        self.unreachable(&raw.steps.value, &steps);
        if self.problems.len() > before {
            return None;
        }
        Some(Sequence {
            event: raw.event.value,
            description: raw.description,
            feature: raw.feature.map(|f| f.value),
            run_in_quiet_hours: raw.run_in_quiet_hours,
            dedupe_window: dedupe_window?,
            dedupe_key: dedupe_key.flatten(),
            steps,
            version: hex::encode(Sha256::digest(text.as_bytes())),
            source_file: self.file.to_string(),
            source: text.to_string(),
        })
    }

    fn step(&mut self, index: usize, s: &RawStep, names: &BTreeMap<&str, usize>) -> Option<Step> {
        let before = self.problems.len();
        let name = &s.name;
        let set = [
            s.skill.is_some(),
            s.function.is_some(),
            s.crm.is_some(),
            s.notify.is_some(),
            s.followup.is_some(),
            s.branch.is_some(),
        ]
        .into_iter()
        .filter(|b| *b)
        .count();
        if set != 1 {
            self.problem(
                name,
                format!(
                    "step `{}` must have exactly one action (skill, function, crm, notify, followup or branch); it has {set}",
                    name.value
                ),
            );
            return None;
        }
        let mut effect = Effect::default();
        let action = if let Some(k) = &s.skill {
            effect = self.known(k, &self.catalog.skills, "skill", "skills");
            Action::Skill(k.value.clone())
        } else if let Some(f) = &s.function {
            if !is_identifier(&f.value) {
                self.problem(
                    f,
                    format!(
                        "function name `{}` must be lowercase letters, digits, - and _",
                        f.value
                    ),
                );
            }
            Action::Function(f.value.clone())
        } else if let Some(a) = &s.crm {
            effect = self.known(a, &self.catalog.crm_actions, "crm action", "actions");
            Action::Crm(a.value.clone())
        } else if let Some(t) = &s.notify {
            if !self.catalog.notify_templates.contains(&t.value) {
                self.problem(
                    t,
                    format!(
                        "unknown notification template `{}`; known templates: {}",
                        t.value,
                        join(self.catalog.notify_templates.iter())
                    ),
                );
            }
            Action::Notify(t.value.clone())
        } else if let Some(f) = &s.followup {
            let ev = &f.value.event;
            if !self.pinned
                && !self.defined.contains_key(&ev.value)
                && !self.catalog.external_events.contains(&ev.value)
            {
                self.problem(
                    ev,
                    format!(
                        "follow-up to undefined event type `{}`: add sequences/{}.yaml (defined: {})",
                        ev.value,
                        ev.value,
                        join(self.defined.keys())
                    ),
                );
            }
            let for_each = f.value.for_each.as_ref().map(|e| self.expr(e, false));
            let has_item = for_each.is_some();
            let when = f.value.when.as_ref().map(|e| self.expr(e, has_item));
            let payload = f
                .value
                .payload
                .iter()
                .filter_map(|(k, e)| self.expr(e, has_item).map(|e| (k.clone(), e)))
                .collect();
            Action::Followup(Followup {
                event: ev.value.clone(),
                for_each: for_each.flatten(),
                when: when.flatten(),
                payload,
            })
        } else if let Some(b) = &s.branch {
            let when = b.value.when.as_ref().and_then(|e| self.expr(e, false));
            let goto = &b.value.goto;
            let target = match names.get(goto.value.as_str()) {
                Some(&t) if t > index => t,
                Some(_) => {
                    self.problem(
                        goto,
                        format!(
                            "branch in step `{}` jumps back to `{}`: branches may only jump forward (no loops)",
                            name.value, goto.value
                        ),
                    );
                    0
                }
                None => {
                    self.problem(
                        goto,
                        format!(
                            "goto to a missing step `{}`; steps are: {}",
                            goto.value,
                            join(names.keys())
                        ),
                    );
                    0
                }
            };
            Action::Branch(Branch {
                when,
                goto: goto.value.clone(),
                target,
            })
        } else {
            // Unreachable: exactly one action is set (checked above).
            return None;
        };

        let when = s.when.as_ref().and_then(|e| self.expr(e, false));
        let input = s
            .input
            .iter()
            .filter_map(|(k, e)| self.expr(e, false).map(|e| (k.clone(), e)))
            .collect();
        let approval = s.approval.as_ref().and_then(|a| self.approval(a));
        if effect.requires_approval && s.approval.is_none() {
            self.problem(
                name,
                format!(
                    "step `{}` runs {}, which {}: it must have an `approval` gate",
                    name.value,
                    action.describe(),
                    if effect.sends_email {
                        "sends email as the rep"
                    } else {
                        "changes the CRM on the rep's behalf"
                    }
                ),
            );
        }
        if s.approval.is_some() && matches!(action, Action::Followup(_) | Action::Branch(_)) {
            self.problem(
                name,
                format!(
                    "step `{}`: follow-ups and branches cannot be gated",
                    name.value
                ),
            );
        }
        let on_failure = match &s.on_failure {
            None => OnFailure::Stop,
            Some(f) => match &f.value {
                RawOnFailure::Stop => OnFailure::Stop,
                RawOnFailure::Continue => OnFailure::Continue,
                RawOnFailure::Retry(r) => {
                    if r.attempts < 2 {
                        self.problem(
                            f,
                            "retry.attempts counts the first attempt too: it must be at least 2"
                                .into(),
                        );
                    }
                    let backoff = self.duration(&r.backoff, "retry.backoff");
                    let max_backoff = match &r.max_backoff {
                        Some(m) => self.duration(m, "retry.max_backoff"),
                        None => backoff.map(|b| b.saturating_mul(32)),
                    };
                    OnFailure::Retry(RetryPolicy {
                        attempts: r.attempts,
                        backoff: backoff.unwrap_or_default(),
                        max_backoff: max_backoff.unwrap_or_default(),
                    })
                }
            },
        };
        for source in &s.requires_context {
            if !CONTEXT_SOURCES.contains(&source.value.as_str()) {
                self.problem(
                    source,
                    format!(
                        "unknown context source `{}`; tier-3 sources are: {}",
                        source.value,
                        CONTEXT_SOURCES.join(", ")
                    ),
                );
            }
        }
        let timeout = match &s.timeout {
            Some(t) => self.duration(t, "timeout").unwrap_or_default(),
            None => DEFAULT_STEP_TIMEOUT,
        };
        if self.problems.len() > before {
            return None;
        }
        Some(Step {
            name: name.value.clone(),
            action,
            when,
            input,
            approval,
            on_failure,
            ai: s.ai,
            requires_context: s.requires_context.iter().map(|c| c.value.clone()).collect(),
            timeout,
            line: name.referenced.line(),
        })
    }

    fn approval(&mut self, a: &Spanned<RawApproval>) -> Option<Approval> {
        if !APPROVAL_PATTERNS.contains(&a.value.pattern.value.as_str()) {
            self.problem(
                &a.value.pattern,
                format!(
                    "unknown approval pattern `{}`; patterns: {}",
                    a.value.pattern.value,
                    APPROVAL_PATTERNS.join(", ")
                ),
            );
            return None;
        }
        let expires_in = match &a.value.expires_in {
            Some(e) => self.duration(e, "approval.expires_in")?,
            None => Duration::from_secs(24 * 3600),
        };
        Some(Approval {
            pattern: a.value.pattern.value.clone(),
            editable: a.value.editable.clone(),
            expires_in,
            on_timeout: a.value.on_timeout.clone(),
        })
    }

    /// A branch without `when` always jumps: the steps it jumps over can never run.
    fn unreachable(&mut self, raw: &[RawStep], steps: &[Step]) {
        if steps.len() != raw.len() {
            return; // indices would not line up; the other problems come first
        }
        for (i, step) in steps.iter().enumerate() {
            if let Action::Branch(b) = &step.action
                && b.when.is_none()
            {
                for skipped in &raw[i + 1..b.target] {
                    let reachable = steps[..i].iter().chain(&steps[i + 1..]).any(
                        |s| matches!(&s.action, Action::Branch(o) if o.goto == skipped.name.value),
                    );
                    if !reachable {
                        self.problem(
                            &skipped.name,
                            format!(
                                "step `{}` is unreachable: the branch in `{}` always jumps over it",
                                skipped.name.value, step.name
                            ),
                        );
                    }
                }
            }
        }
    }
}

fn is_identifier(s: &str) -> bool {
    !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_')
}

fn join<S: AsRef<str>>(items: impl Iterator<Item = S>) -> String {
    let v: Vec<String> = items.map(|s| s.as_ref().to_string()).collect();
    if v.is_empty() {
        "(none)".into()
    } else {
        v.join(", ")
    }
}
