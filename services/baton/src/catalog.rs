//! `baton sequences …` and `baton skills …`: what a deployment can run, as configured.

use std::path::PathBuf;

use anyhow::Context;
use baton_core::sequence::{Action, OnFailure, OnTimeout, Sequence, SequenceSet};
use baton_platform::config::Config;
use baton_skills::Registry;
use clap::Subcommand;

#[derive(Subcommand)]
pub enum SequencesCmd {
    /// Validate every definition in sequences.dir; problems name the file and line.
    Validate,
    /// Print a definition as Baton understood it.
    Show {
        /// The event type, e.g. meeting_ended.
        event: String,
        /// Print the stored JSON form instead.
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand)]
pub enum SkillsCmd {
    /// List the skills and CRM actions this deployment can run, with the output shape each
    /// built-in declares (its JSON Schema; every output is checked against it).
    List,
    /// One skill: what it does, its effect, and the JSON Schema its output must match (the
    /// same schema constrains a model's answer when the skill is served by an LLM).
    Show { key: String },
    /// Run one skill on a JSON input and print its output (transcript skills accept a
    /// meeting file in the sample-data format, e.g. services/baton/sample/meetings/*.json).
    Run {
        key: String,
        #[arg(long)]
        input: PathBuf,
        /// The org the input is about (an org file in the sample-data format), given to the
        /// skill as the input's `org` field (classify-email matches senders against it).
        #[arg(long)]
        org: Option<PathBuf>,
        /// Idempotency key sent with the call's side effects.
        #[arg(long, default_value = "cli:run:1")]
        idempotency_key: String,
    },
}

/// The skill registry the configuration describes.
pub fn registry(config: &Config) -> anyhow::Result<Registry> {
    Registry::from_config(&config.skills).map_err(anyhow::Error::msg)
}

pub fn load_sequences(config: &Config, registry: &Registry) -> anyhow::Result<SequenceSet> {
    Ok(baton_platform::sequences::load_dir(
        &config.sequences.dir,
        &registry.catalog(),
    )?)
}

pub async fn sequences(config: &Config, cmd: SequencesCmd) -> anyhow::Result<()> {
    let registry = registry(config)?;
    let set = load_sequences(config, &registry)?;
    match cmd {
        SequencesCmd::Validate => {
            for seq in set.iter() {
                println!(
                    "ok  {:<24} {:>2} steps  version {}  ({})",
                    seq.event,
                    seq.steps.len(),
                    &seq.version[..12],
                    seq.source_file
                );
            }
            println!("{} sequences valid", set.len());
            Ok(())
        }
        SequencesCmd::Show { event, json } => {
            let seq = set.get(&event).with_context(|| {
                format!(
                    "no sequence for event type {event:?}; defined: {}",
                    set.iter()
                        .map(|s| s.event.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            })?;
            if json {
                println!("{}", serde_json::to_string_pretty(seq)?);
            } else {
                print!("{}", describe(seq));
            }
            Ok(())
        }
    }
}

/// A definition as `sequences show` prints it. One function on purpose: it reads like the
/// output it writes, a line per field of every step.
fn describe(seq: &Sequence) -> String {
    let mut out = format!(
        "{}  ({}, version {})\n",
        seq.event,
        seq.source_file,
        &seq.version[..12]
    );
    if let Some(d) = &seq.description {
        out.push_str(&format!("  {d}\n"));
    }
    out.push_str(&format!(
        "  feature: {}   quiet hours: {}   dedupe: {} within {}\n",
        seq.feature.as_deref().unwrap_or("(always on)"),
        if seq.run_in_quiet_hours {
            "runs anyway"
        } else {
            "deferred to the next active window"
        },
        seq.dedupe_key
            .as_ref()
            .map_or("event dedupe_key or id", |k| k.source()),
        humantime::format_duration(seq.dedupe_window)
    ));
    for (i, step) in seq.steps.iter().enumerate() {
        out.push_str(&format!(
            "  {:>2}. {:<24} {}\n",
            i + 1,
            step.name,
            step.action.describe()
        ));
        if let Some(w) = &step.when {
            out.push_str(&format!("        when {}\n", w.source()));
        }
        if let Action::Followup(f) = &step.action {
            if let Some(w) = &f.when {
                out.push_str(&format!("        if {}\n", w.source()));
            }
            if let Some(e) = &f.for_each {
                out.push_str(&format!("        for each {}\n", e.source()));
            }
        }
        if let Some(a) = &step.approval {
            out.push_str(&format!(
                "        approval: {} (editable: {}), expires in {}, then {}\n",
                a.pattern,
                if a.editable.is_empty() {
                    "nothing".into()
                } else {
                    a.editable.join(", ")
                },
                humantime::format_duration(a.expires_in),
                match a.on_timeout {
                    OnTimeout::Skip => "skip",
                    OnTimeout::Cancel => "cancel",
                }
            ));
        }
        let mut notes = Vec::new();
        if step.ai {
            notes.push("AI (budget checked)".to_string());
        }
        if !step.requires_context.is_empty() {
            notes.push(format!("context: {}", step.requires_context.join(", ")));
        }
        notes.push(match &step.on_failure {
            OnFailure::Stop => "on failure: stop".into(),
            OnFailure::Continue => "on failure: continue".into(),
            OnFailure::Retry(r) => format!(
                "on failure: retry ×{} from {} (max {})",
                r.attempts,
                humantime::format_duration(r.backoff),
                humantime::format_duration(r.max_backoff)
            ),
        });
        notes.push(format!(
            "timeout {}",
            humantime::format_duration(step.timeout)
        ));
        out.push_str(&format!("        {}\n", notes.join(" · ")));
    }
    out
}

pub async fn skills(config: &Config, cmd: SkillsCmd) -> anyhow::Result<()> {
    let registry = registry(config)?;
    match cmd {
        SkillsCmd::List => {
            println!(
                "{:<32} {:<22} {:<9} description",
                "skill", "kind", "approval"
            );
            for s in registry.skills() {
                println!(
                    "{:<32} {:<22} {:<9} {}",
                    s.key,
                    s.kind_name(),
                    if s.effect.requires_approval {
                        "required"
                    } else {
                        "-"
                    },
                    s.description
                );
                if let Some(shape) = baton_skills::output_schema::shape(&s.key) {
                    println!("{:<32} output {shape}", "");
                }
            }
            for s in registry.crm_actions() {
                println!(
                    "{:<32} {:<22} {:<9} {}",
                    format!("crm: {}", s.key),
                    s.kind_name(),
                    if s.effect.requires_approval {
                        "required"
                    } else {
                        "-"
                    },
                    s.description
                );
            }
            Ok(())
        }
        SkillsCmd::Show { key } => {
            let info = registry
                .get(&key)
                .or_else(|| registry.crm_actions().find(|s| s.key == key))
                .with_context(|| {
                    format!("no skill `{key}` in this deployment (`baton skills list` names them)")
                })?;
            println!("{}: {}", info.key, info.description);
            println!("kind: {}", info.kind_name());
            println!(
                "approval: {}",
                if info.effect.requires_approval {
                    "required before it runs"
                } else {
                    "not required"
                }
            );
            match baton_skills::output_schema::SCHEMAS.get(info.key.as_str()) {
                Some(schema) => {
                    println!("output schema:\n{}", serde_json::to_string_pretty(schema)?)
                }
                None => println!(
                    "output schema: none declared (an HTTP skill answers in its own shape)"
                ),
            }
            Ok(())
        }
        SkillsCmd::Run {
            key,
            input,
            org,
            idempotency_key,
        } => {
            let mut value = read_json("--input", &input)?;
            if let Some(org) = org {
                let org = read_json("--org", &org)?;
                value
                    .as_object_mut()
                    .context("--org needs an --input that is a JSON object")?
                    .insert("org".into(), org);
            }
            let out = registry.run(&key, &idempotency_key, &value).await?;
            println!("{}", serde_json::to_string_pretty(&out.output)?);
            eprintln!(
                "cost: ${:.6} ({}, {} tokens in, {} out)",
                out.cost.usd_micros as f64 / 1e6,
                out.cost.model,
                out.cost.input_tokens,
                out.cost.output_tokens
            );
            Ok(())
        }
    }
}

fn read_json(flag: &str, path: &std::path::Path) -> anyhow::Result<serde_json::Value> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("reading {flag} {}", path.display()))?;
    serde_json::from_str(&text).with_context(|| format!("{flag} {} is not JSON", path.display()))
}
