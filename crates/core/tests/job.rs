//! The job state machine: the rules step by step, and a property test that no interleaving
//! of duplicate or reordered results applies a step twice or loses one.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::{collections::BTreeSet, time::Duration};

use baton_core::{
    job::{
        Command, Control, Decision, FOLLOWUPS_QUEUED, Ignored, JobState, JobStatus, Refused,
        Signal, StepOutcome, apply, control,
    },
    sequence::{Catalog, Effect, Sequence, SequenceSet},
};
use proptest::prelude::*;
use serde_json::{Value, json};

const YAML: &str = r#"
event: meeting_ended
steps:
  - name: a
    skill: work
  - name: b
    skill: work
    on_failure: { retry: { attempts: 3, backoff: 30s, max_backoff: 2m } }
  - name: c
    followup:
      event: meeting_ended
      when: "outputs.a.propose"
      payload: { from: "'c'" }
  - name: d
    skill: send
    approval: { pattern: email_draft, on_timeout: skip }
  - name: e
    skill: work
    when: "outputs.a.propose"
    on_failure: continue
"#;

fn sequence() -> Sequence {
    let mut c = Catalog::default();
    c.skills.insert("work".into(), Effect::default());
    c.skills.insert(
        "send".into(),
        Effect {
            requires_approval: true,
            sends_email: true,
        },
    );
    SequenceSet::parse([("meeting_ended.yaml", YAML)], &c)
        .unwrap()
        .get("meeting_ended")
        .unwrap()
        .clone()
}

fn finished(index: usize, attempt: u32, outcome: StepOutcome, output: Value) -> Signal {
    Signal::StepFinished {
        index,
        attempt,
        outcome,
        output: Some(output),
        error: (outcome == StepOutcome::Failed).then(|| "boom".into()),
        retryable: true,
        cost_micros: 10,
    }
}

fn step(seq: &Sequence, st: &mut JobState, s: Signal) -> Result<Vec<Command>, Ignored> {
    apply(seq, st, &json!({"payload": {}}), 0, s, 0.5)
}

#[test]
fn runs_gates_queues_and_completes() {
    let seq = sequence();
    let mut st = JobState::default();
    let c = step(&seq, &mut st, Signal::ContextLoaded { context: json!({}) }).unwrap();
    assert_eq!(
        c,
        [Command::Dispatch {
            index: 0,
            attempt: 1
        }]
    );
    let c = step(
        &seq,
        &mut st,
        finished(0, 1, StepOutcome::Succeeded, json!({"propose": true})),
    )
    .unwrap();
    assert_eq!(
        c,
        [Command::Dispatch {
            index: 1,
            attempt: 1
        }]
    );
    // b fails: retried through a timer with backoff (30 s × jitter 1.1), not at once.
    let c = step(
        &seq,
        &mut st,
        finished(1, 1, StepOutcome::Failed, json!(null)),
    )
    .unwrap();
    assert!(
        matches!(&c[..], [Command::DispatchLater { index: 1, attempt: 2, delay, .. }] if *delay == Duration::from_secs(33))
    );
    // The late duplicate of attempt 1 changes nothing.
    assert!(
        step(
            &seq,
            &mut st,
            finished(1, 1, StepOutcome::Failed, json!(null))
        )
        .is_err()
    );
    let c = step(
        &seq,
        &mut st,
        finished(1, 2, StepOutcome::Succeeded, json!({})),
    )
    .unwrap();
    // c queues the follow-up, d waits at its gate.
    assert_eq!(c.len(), 2, "{c:?}");
    assert!(
        matches!(&c[0], Command::Followup(f) if f.event == "meeting_ended" && f.payload == json!({"from": "c"}))
    );
    assert_eq!(c[1], Command::RequestApproval { index: 3 });
    assert_eq!(st.status, JobStatus::AwaitingApproval);
    let c = step(
        &seq,
        &mut st,
        Signal::ApprovalResolved {
            index: 3,
            decision: Decision::Approve,
        },
    )
    .unwrap();
    assert_eq!(
        c,
        [Command::Dispatch {
            index: 3,
            attempt: 1
        }]
    );
    assert!(
        step(
            &seq,
            &mut st,
            Signal::ApprovalResolved {
                index: 3,
                decision: Decision::Cancel
            }
        )
        .is_err(),
        "decided once"
    );
    step(
        &seq,
        &mut st,
        finished(3, 1, StepOutcome::Succeeded, json!({})),
    )
    .unwrap();
    // e fails with on_failure continue: the job still completes.
    let c = step(
        &seq,
        &mut st,
        finished(4, 1, StepOutcome::Failed, json!(null)),
    )
    .unwrap();
    assert_eq!(c, [Command::Finish(JobStatus::Completed)]);
    assert_eq!(st.cost_micros, 50, "the ignored duplicate costs nothing");
    assert_eq!(st.approval_gates_hit, 1);
}

#[test]
fn when_false_skips_and_retries_run_out() {
    let seq = sequence();
    let (st, c) = failed_at_b(&seq);
    assert_eq!(c, [Command::Finish(JobStatus::Failed)]);
    assert!(st.failure.as_deref().unwrap().contains("after 3 attempts"));

    let mut st = JobState::default();
    step(&seq, &mut st, Signal::ContextLoaded { context: json!({}) }).unwrap();
    step(
        &seq,
        &mut st,
        finished(0, 1, StepOutcome::Succeeded, json!({"propose": false})),
    )
    .unwrap();
    let c = step(
        &seq,
        &mut st,
        finished(1, 1, StepOutcome::Succeeded, json!({})),
    )
    .unwrap();
    assert_eq!(
        c,
        [Command::RequestApproval { index: 3 }],
        "no follow-up when `when` is false"
    );
    let c = step(
        &seq,
        &mut st,
        Signal::ApprovalResolved {
            index: 3,
            decision: Decision::Skip,
        },
    )
    .unwrap();
    assert_eq!(
        c,
        [Command::Finish(JobStatus::Completed)],
        "e is skipped by its when"
    );
    assert!(st.steps_completed.contains(&(4, StepOutcome::Skipped)));
}

#[test]
fn a_paused_step_holds_the_job_until_it_resumes() {
    let seq = sequence();
    let mut st = JobState::default();
    step(&seq, &mut st, Signal::ContextLoaded { context: json!({}) }).unwrap();
    let c = step(
        &seq,
        &mut st,
        Signal::StepPaused {
            index: 0,
            attempt: 1,
            reason: "budget_exceeded".into(),
        },
    )
    .unwrap();
    assert_eq!(
        c,
        [Command::Pause {
            reason: "budget_exceeded".into()
        }]
    );
    assert_eq!(st.status, JobStatus::Paused);
    assert_eq!(st.paused_reason.as_deref(), Some("budget_exceeded"));
    assert_eq!(
        st.current_step,
        Some(0),
        "it stays at the step it paused before"
    );
    // A late result for the paused step does not run the job on.
    assert!(
        step(
            &seq,
            &mut st,
            finished(0, 1, StepOutcome::Succeeded, json!({}))
        )
        .is_err()
    );
    assert!(st.steps_completed.is_empty());
}

#[test]
fn at_the_maximum_depth_nothing_is_queued() {
    let seq = sequence();
    let mut st = JobState::default();
    let ev = json!({"payload": {}});
    apply(
        &seq,
        &mut st,
        &ev,
        3,
        Signal::ContextLoaded { context: json!({}) },
        0.0,
    )
    .unwrap();
    apply(
        &seq,
        &mut st,
        &ev,
        3,
        finished(0, 1, StepOutcome::Succeeded, json!({"propose": true})),
        0.0,
    )
    .unwrap();
    let c = apply(
        &seq,
        &mut st,
        &ev,
        3,
        finished(1, 1, StepOutcome::Succeeded, json!({})),
        0.0,
    )
    .unwrap();
    assert_eq!(c, [Command::RequestApproval { index: 3 }]);
    assert!(st.queued_followups.is_empty());
}

/// A job whose steps a and b succeeded (a asking for the follow-up when `propose`): it
/// waits at d's gate.
fn past_b(seq: &Sequence, propose: bool) -> JobState {
    let mut st = JobState::default();
    step(seq, &mut st, Signal::ContextLoaded { context: json!({}) }).unwrap();
    let a = finished(0, 1, StepOutcome::Succeeded, json!({"propose": propose}));
    step(seq, &mut st, a).unwrap();
    step(
        seq,
        &mut st,
        finished(1, 1, StepOutcome::Succeeded, json!({})),
    )
    .unwrap();
    st
}

#[test]
fn follow_up_steps_record_what_they_queued() {
    let seq = sequence();
    for propose in [true, false] {
        let st = past_b(&seq, propose);
        let expected = if propose {
            json!(["meeting_ended"])
        } else {
            json!([])
        };
        assert_eq!(
            st.outputs["c"][FOLLOWUPS_QUEUED], expected,
            "the events queued; none when the follow-up's `when` let nothing through"
        );
    }
}

fn ctl(seq: &Sequence, st: &mut JobState, c: Control) -> Result<Vec<Command>, Refused> {
    control(seq, st, &json!({"payload": {}}), 0, c)
}

#[test]
fn an_operator_resumes_a_paused_job_at_the_same_attempt() {
    let seq = sequence();
    let mut st = JobState::default();
    step(&seq, &mut st, Signal::ContextLoaded { context: json!({}) }).unwrap();
    assert_eq!(
        ctl(&seq, &mut st, Control::Resume),
        Err(Refused::NotPaused(JobStatus::InProgress))
    );
    assert_eq!(
        ctl(&seq, &mut st, Control::Retry),
        Err(Refused::NotFailed(JobStatus::InProgress))
    );
    let paused = Signal::StepPaused {
        index: 0,
        attempt: 1,
        reason: "budget_exceeded".into(),
    };
    step(&seq, &mut st, paused).unwrap();
    let c = ctl(&seq, &mut st, Control::Resume).unwrap();
    assert_eq!(
        c,
        [Command::Dispatch {
            index: 0,
            attempt: 1
        }]
    );
    assert_eq!(
        (st.status, st.paused_reason.as_deref()),
        (JobStatus::InProgress, None)
    );
    // The resumed attempt's result is the one the job takes.
    let c = step(
        &seq,
        &mut st,
        finished(0, 1, StepOutcome::Succeeded, json!({})),
    )
    .unwrap();
    assert_eq!(
        c,
        [Command::Dispatch {
            index: 1,
            attempt: 1
        }]
    );
}

/// A job whose step b failed its three attempts; what the last failure returned.
fn failed_at_b(seq: &Sequence) -> (JobState, Vec<Command>) {
    let mut st = JobState::default();
    step(seq, &mut st, Signal::ContextLoaded { context: json!({}) }).unwrap();
    step(
        seq,
        &mut st,
        finished(0, 1, StepOutcome::Succeeded, json!({"propose": false})),
    )
    .unwrap();
    let mut last = Vec::new();
    for attempt in 1..=3 {
        last = step(
            seq,
            &mut st,
            finished(1, attempt, StepOutcome::Failed, json!(null)),
        )
        .unwrap();
    }
    (st, last)
}

#[test]
fn an_operator_retries_a_failed_step_as_a_new_attempt() {
    let seq = sequence();
    let (mut st, _) = failed_at_b(&seq);
    assert_eq!(st.status, JobStatus::Failed);
    assert_eq!(
        ctl(&seq, &mut st, Control::Cancel),
        Err(Refused::AlreadyFinished(JobStatus::Failed))
    );
    let c = ctl(&seq, &mut st, Control::Retry).unwrap();
    assert_eq!(
        c,
        [Command::Dispatch {
            index: 1,
            attempt: 4
        }],
        "never attempt 1 again"
    );
    assert_eq!(
        (st.status, st.failure.as_ref()),
        (JobStatus::InProgress, None)
    );
    assert!(!st.steps_completed.contains(&(1, StepOutcome::Failed)));
    // A late result of a failed attempt changes nothing; the new attempt's does.
    assert!(
        step(
            &seq,
            &mut st,
            finished(1, 3, StepOutcome::Succeeded, json!({}))
        )
        .is_err()
    );
    let c = step(
        &seq,
        &mut st,
        finished(1, 4, StepOutcome::Succeeded, json!({})),
    )
    .unwrap();
    assert_eq!(c, [Command::RequestApproval { index: 3 }]);
}

#[test]
fn an_operator_cancels_a_job_waiting_at_a_gate() {
    let seq = sequence();
    let mut st = past_b(&seq, false);
    assert_eq!(st.status, JobStatus::AwaitingApproval);
    let c = ctl(&seq, &mut st, Control::Cancel).unwrap();
    assert_eq!(c, [Command::Finish(JobStatus::Cancelled)]);
    // The rep's late Approve finds nothing to resume.
    let late = Signal::ApprovalResolved {
        index: 3,
        decision: Decision::Approve,
    };
    assert!(step(&seq, &mut st, late).is_err());
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]
    /// Signals are delivered in any order, any number of times. Whatever happens: no step
    /// completes twice, no (step, attempt) is dispatched twice, and once every signal has
    /// been delivered the job is terminal with every step accounted for.
    #[test]
    fn duplicates_and_reordering_never_double_apply_or_lose_a_step(
        picks in prop::collection::vec(any::<prop::sample::Index>(), 1..80),
        fail_mask in any::<u32>(),
        decisions in prop::collection::vec(0u8..3, 4),
        propose in any::<bool>(),
    ) {
        let seq = sequence();
        let mut st = JobState::default();
        let mut pool: Vec<Signal> = vec![Signal::ContextLoaded { context: json!({}) }];
        let mut dispatched = BTreeSet::new();
        let mut followups = 0;
        let mut deliver = |st: &mut JobState, pool: &mut Vec<Signal>, s: Signal| -> Result<(), TestCaseError> {
            if let Ok(commands) = step(&seq, st, s) {
                for c in commands {
                    match c {
                        Command::Dispatch { index, attempt } | Command::DispatchLater { index, attempt, .. } => {
                            prop_assert!(dispatched.insert((index, attempt)), "({index}, {attempt}) dispatched twice");
                            let fails = fail_mask & (1 << (index * 3 + attempt as usize)) != 0;
                            let outcome = if fails { StepOutcome::Failed } else { StepOutcome::Succeeded };
                            pool.push(finished(index, attempt, outcome, json!({"propose": propose})));
                        }
                        Command::RequestApproval { index } => {
                            let decision = [Decision::Approve, Decision::Skip, Decision::Cancel][decisions[index % 4] as usize];
                            pool.push(Signal::ApprovalResolved { index, decision });
                            // A racing second decision.
                            pool.push(Signal::ApprovalResolved { index, decision: Decision::Cancel });
                        }
                        Command::Followup(_) => followups += 1,
                        Command::Pause { .. } | Command::RequestContext | Command::Finish(_) => {}
                    }
                }
            }
            let mut seen = BTreeSet::new();
            for (i, _) in &st.steps_completed {
                prop_assert!(seen.insert(*i), "step {i} completed twice: {:?}", st.steps_completed);
            }
            Ok(())
        };
        for pick in picks {
            let s = pool[pick.index(pool.len())].clone();
            deliver(&mut st, &mut pool, s)?;
        }
        // Deliver everything until nothing changes.
        for _ in 0..20 {
            for s in pool.clone() {
                deliver(&mut st, &mut pool, s)?;
            }
        }
        prop_assert!(st.status.is_terminal(), "job left {:?}", st.status);
        prop_assert!(followups <= 1, "the follow-up was queued {followups} times");
        if st.status == JobStatus::Completed {
            let done: BTreeSet<usize> = st.steps_completed.iter().map(|(i, _)| *i).collect();
            prop_assert_eq!(done, (0..seq.steps.len()).collect::<BTreeSet<_>>());
        }
    }
}
