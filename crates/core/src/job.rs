//! The job state machine: what the router does with each result of a run. Pure — it takes
//! the definition the job is pinned to, the job's state and one signal, updates the state
//! and returns the commands to carry out (dispatch a step, ask for approval, schedule a
//! retry, queue a follow-up, finish). The router persists the state and stages the
//! commands in one transaction, so a redelivered or reordered signal is recognised here and
//! changes nothing.

use std::{collections::BTreeMap, time::Duration};

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};

pub use crate::status::JobStatus;
use crate::{
    chain,
    expr::Scope,
    sequence::{Action, OnFailure, Sequence},
};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StepOutcome {
    Succeeded,
    Skipped,
    Failed,
}

/// `sequence_jobs.context`: the SequenceState.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct JobState {
    pub status: JobStatus,
    /// Context loaded by the context-loader (`None` until it arrives).
    pub context: Option<Value>,
    /// Outcome per step index, in the order they finished.
    pub steps_completed: Vec<(usize, StepOutcome)>,
    /// The step being run or waited for.
    pub current_step: Option<usize>,
    /// Attempt of the current step (1-based).
    pub attempt: u32,
    /// Outputs by step name.
    pub outputs: Map<String, Value>,
    /// Steps whose approval gate is open.
    pub pending_approvals: Vec<usize>,
    /// Steps a human approved (their action may now run).
    pub approved: Vec<usize>,
    pub queued_followups: Vec<QueuedFollowup>,
    pub cost_micros: i64,
    pub approval_gates_hit: u32,
    pub steps_attempted: u32,
    pub failure: Option<String>,
    /// Why the job is paused (`budget_exceeded`, …); cleared when it resumes.
    #[serde(default)]
    pub paused_reason: Option<String>,
    /// A rep's edits at a gate, by step name: merged into that step's input when it runs.
    #[serde(default)]
    pub approval_edits: BTreeMap<String, Value>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QueuedFollowup {
    pub step: usize,
    pub item: usize,
    pub event: String,
    pub payload: Value,
}

impl Default for JobState {
    fn default() -> Self {
        Self {
            status: JobStatus::Pending,
            context: None,
            steps_completed: Vec::new(),
            current_step: None,
            attempt: 0,
            outputs: Map::new(),
            pending_approvals: Vec::new(),
            approved: Vec::new(),
            queued_followups: Vec::new(),
            cost_micros: 0,
            approval_gates_hit: 0,
            steps_attempted: 0,
            failure: None,
            paused_reason: None,
            approval_edits: BTreeMap::new(),
        }
    }
}

/// What arrives for a job.
#[derive(Debug, Clone, PartialEq)]
pub enum Signal {
    ContextLoaded {
        context: Value,
    },
    StepFinished {
        index: usize,
        attempt: u32,
        outcome: StepOutcome,
        output: Option<Value>,
        error: Option<String>,
        retryable: bool,
        cost_micros: i64,
    },
    /// The step could not run yet (rate limited, budget): try the same attempt later.
    StepDeferred {
        index: usize,
        attempt: u32,
        delay: Duration,
        reason: String,
    },
    ApprovalResolved {
        index: usize,
        decision: Decision,
    },
    /// The step cannot run until someone acts (the org's AI budget is spent): the job is
    /// paused, visibly, with `reason`, at the same step and attempt.
    StepPaused {
        index: usize,
        attempt: u32,
        reason: String,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    Approve,
    Skip,
    Cancel,
}

/// What the router must do.
#[derive(Debug, Clone, PartialEq)]
pub enum Command {
    Dispatch {
        index: usize,
        attempt: u32,
    },
    DispatchLater {
        index: usize,
        attempt: u32,
        delay: Duration,
        reason: String,
    },
    RequestApproval {
        index: usize,
    },
    Followup(QueuedFollowup),
    Pause {
        reason: String,
    },
    /// Ask for the job's context (a job that was created paused, resumed).
    RequestContext,
    Finish(JobStatus),
}

/// Why a signal changed nothing.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Ignored {
    #[error("the job is already {0:?}")]
    Terminal(JobStatus),
    #[error("a result for step {index} attempt {attempt}, but the job waits for {expected}")]
    NotCurrent {
        index: usize,
        attempt: u32,
        expected: String,
    },
    #[error("no approval is pending for step {0}")]
    NoPendingApproval(usize),
    #[error("context was loaded already")]
    ContextAgain,
}

/// Applies `signal` to `state`. `event` is the triggering event (as JSON), `jitter` in
/// [0, 1) spreads retry delays.
pub fn apply(
    seq: &Sequence,
    state: &mut JobState,
    event: &Value,
    chain_depth: i32,
    signal: Signal,
    jitter: f64,
) -> Result<Vec<Command>, Ignored> {
    if state.status.is_terminal() {
        return Err(Ignored::Terminal(state.status));
    }
    match signal {
        Signal::ContextLoaded { context } => {
            if state.context.is_some() {
                return Err(Ignored::ContextAgain);
            }
            state.context = Some(context);
            state.status = JobStatus::InProgress;
            Ok(advance(seq, state, event, chain_depth, 0))
        }
        Signal::StepFinished {
            index,
            attempt,
            outcome,
            output,
            error,
            retryable,
            cost_micros,
        } => {
            expect_current(state, index, attempt)?;
            state.cost_micros += cost_micros;
            let step = &seq.steps[index];
            match outcome {
                StepOutcome::Succeeded | StepOutcome::Skipped => {
                    if let Some(output) = output {
                        state.outputs.insert(step.name.clone(), output);
                    }
                    state.steps_completed.push((index, outcome));
                    Ok(advance(seq, state, event, chain_depth, index + 1))
                }
                StepOutcome::Failed => {
                    let reason = error.unwrap_or_else(|| "failed".into());
                    match &step.on_failure {
                        OnFailure::Retry(policy) if retryable => {
                            if let Some(delay) = policy.delay_before(attempt + 1, jitter) {
                                state.attempt = attempt + 1;
                                return Ok(vec![Command::DispatchLater {
                                    index,
                                    attempt: attempt + 1,
                                    delay,
                                    reason,
                                }]);
                            }
                            Ok(fail(
                                state,
                                index,
                                format!(
                                    "step {} failed after {attempt} attempts: {reason}",
                                    step.name
                                ),
                            ))
                        }
                        OnFailure::Continue => {
                            state.steps_completed.push((index, StepOutcome::Failed));
                            Ok(advance(seq, state, event, chain_depth, index + 1))
                        }
                        _ => Ok(fail(
                            state,
                            index,
                            format!("step {} failed: {reason}", step.name),
                        )),
                    }
                }
            }
        }
        Signal::StepDeferred {
            index,
            attempt,
            delay,
            reason,
        } => {
            expect_current(state, index, attempt)?;
            Ok(vec![Command::DispatchLater {
                index,
                attempt,
                delay,
                reason,
            }])
        }
        Signal::StepPaused {
            index,
            attempt,
            reason,
        } => {
            expect_current(state, index, attempt)?;
            state.status = JobStatus::Paused;
            state.paused_reason = Some(reason.clone());
            Ok(vec![Command::Pause { reason }])
        }
        Signal::ApprovalResolved { index, decision } => {
            if !state.pending_approvals.contains(&index) {
                return Err(Ignored::NoPendingApproval(index));
            }
            state.pending_approvals.retain(|i| *i != index);
            match decision {
                Decision::Approve => {
                    state.approved.push(index);
                    state.status = JobStatus::InProgress;
                    Ok(dispatch(state, index))
                }
                Decision::Skip => {
                    state.status = JobStatus::InProgress;
                    state.steps_completed.push((index, StepOutcome::Skipped));
                    Ok(advance(seq, state, event, chain_depth, index + 1))
                }
                Decision::Cancel => {
                    state.status = JobStatus::Cancelled;
                    state.current_step = None;
                    Ok(vec![Command::Finish(JobStatus::Cancelled)])
                }
            }
        }
    }
}

/// The output key of a follow-up step: the event types it queued (none when its `when` or
/// the chain depth let nothing through).
pub const FOLLOWUPS_QUEUED: &str = "followups_queued";

/// What an operator asks of a job (`baton jobs resume|cancel|retry`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Control {
    /// A paused job runs its step again (the pause's cause is gone: budget, …).
    Resume,
    /// A job that has not finished stops here; nothing after it runs.
    Cancel,
    /// A failed job runs the step that failed again, as a new attempt.
    Retry,
}

/// Why an operator's request does not apply to the job as it is now.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refused {
    #[error("only a paused job can be resumed; this job is {0}")]
    NotPaused(JobStatus),
    #[error("the job has already finished ({0}); there is nothing to cancel")]
    AlreadyFinished(JobStatus),
    #[error("only a failed job can be retried; this job is {0}")]
    NotFailed(JobStatus),
    #[error("the job failed before any step ran; nothing to retry")]
    NoFailedStep,
}

impl Control {
    /// Whether the job in `status` can take this request (checked again under its lock).
    pub fn check(self, status: JobStatus) -> Result<(), Refused> {
        match self {
            Control::Resume if status != JobStatus::Paused => Err(Refused::NotPaused(status)),
            Control::Cancel if status.is_terminal() => Err(Refused::AlreadyFinished(status)),
            Control::Retry if status != JobStatus::Failed => Err(Refused::NotFailed(status)),
            _ => Ok(()),
        }
    }
}

/// Applies an operator's request to `state`, like [`apply`] does a signal.
pub fn control(
    seq: &Sequence,
    state: &mut JobState,
    event: &Value,
    chain_depth: i32,
    control: Control,
) -> Result<Vec<Command>, Refused> {
    control.check(state.status)?;
    match control {
        Control::Resume => {
            state.paused_reason = None;
            if state.context.is_none() {
                // Paused when it was created: it starts as a new job does.
                state.status = JobStatus::Pending;
                return Ok(vec![Command::RequestContext]);
            }
            let Some(index) = state.current_step else {
                state.status = JobStatus::InProgress;
                return Ok(advance(seq, state, event, chain_depth, 0));
            };
            state.status = JobStatus::InProgress;
            Ok(vec![Command::Dispatch {
                index,
                attempt: state.attempt,
            }])
        }
        Control::Cancel => {
            state.status = JobStatus::Cancelled;
            state.current_step = None;
            state.pending_approvals.clear();
            state.paused_reason = None;
            Ok(vec![Command::Finish(JobStatus::Cancelled)])
        }
        Control::Retry => {
            let Some(&(index, StepOutcome::Failed)) = state.steps_completed.last() else {
                return Err(Refused::NoFailedStep);
            };
            let failed_attempt = state.attempt;
            state.steps_completed.pop();
            state.failure = None;
            state.status = JobStatus::InProgress;
            let mut commands = advance(seq, state, event, chain_depth, index);
            // A new attempt number: the failed attempt's recorded result is not replayed.
            for c in &mut commands {
                if let Command::Dispatch { index: i, attempt } = c
                    && *i == index
                {
                    *attempt = failed_attempt + 1;
                    state.attempt = *attempt;
                }
            }
            Ok(commands)
        }
    }
}

fn expect_current(state: &JobState, index: usize, attempt: u32) -> Result<(), Ignored> {
    if state.status == JobStatus::InProgress
        && state.current_step == Some(index)
        && state.attempt == attempt
    {
        Ok(())
    } else {
        Err(Ignored::NotCurrent {
            index,
            attempt,
            expected: match state.current_step {
                Some(i) if state.status == JobStatus::InProgress => {
                    format!("step {i} attempt {}", state.attempt)
                }
                _ => format!("no step result (the job is {:?})", state.status),
            },
        })
    }
}

fn fail(state: &mut JobState, index: usize, reason: String) -> Vec<Command> {
    state.steps_completed.push((index, StepOutcome::Failed));
    state.current_step = None;
    state.status = JobStatus::Failed;
    state.failure = Some(reason);
    vec![Command::Finish(JobStatus::Failed)]
}

fn dispatch(state: &mut JobState, index: usize) -> Vec<Command> {
    state.current_step = Some(index);
    state.attempt = 1;
    state.steps_attempted += 1;
    vec![Command::Dispatch { index, attempt: 1 }]
}

/// Runs from step `from` until something must wait (a dispatched step or a gate) or the
/// sequence ends. `when`, branches and follow-ups are decided here, by the router.
fn advance(
    seq: &Sequence,
    state: &mut JobState,
    event: &Value,
    chain_depth: i32,
    from: usize,
) -> Vec<Command> {
    let mut commands = Vec::new();
    let mut i = from;
    let context = state.context.clone().unwrap_or(Value::Null);
    // One snapshot of the outputs for the loop; a follow-up step's output is added to both.
    let mut outputs = Value::Object(state.outputs.clone());
    while i < seq.steps.len() {
        let step = &seq.steps[i];
        let scope = Scope {
            event,
            context: &context,
            outputs: &outputs,
            item: None,
        };
        if let Some(when) = &step.when {
            match when.eval_bool(&scope) {
                Ok(true) => {}
                Ok(false) => {
                    state.steps_completed.push((i, StepOutcome::Skipped));
                    i += 1;
                    continue;
                }
                Err(e) => {
                    commands.extend(fail(state, i, format!("step {}: {e}", step.name)));
                    return commands;
                }
            }
        }
        match &step.action {
            Action::Branch(b) => {
                let jump = match &b.when {
                    None => Ok(true),
                    Some(w) => w.eval_bool(&scope),
                };
                match jump {
                    Ok(jump) => {
                        state.steps_completed.push((i, StepOutcome::Succeeded));
                        i = if jump { b.target } else { i + 1 };
                    }
                    Err(e) => {
                        commands.extend(fail(state, i, format!("step {}: {e}", step.name)));
                        return commands;
                    }
                }
            }
            Action::Followup(f) => {
                match followups(f, i, &scope, chain_depth) {
                    Ok(queued) => {
                        // What was actually queued is the step's output: later steps (the
                        // post-meeting summary) report it, never what might have been.
                        let events: Vec<&str> = queued.iter().map(|q| q.event.as_str()).collect();
                        let output = json!({ FOLLOWUPS_QUEUED: events });
                        outputs[step.name.as_str()] = output.clone();
                        state.outputs.insert(step.name.clone(), output);
                        for q in queued {
                            state.queued_followups.push(q.clone());
                            commands.push(Command::Followup(q));
                        }
                        state.steps_completed.push((i, StepOutcome::Succeeded));
                    }
                    Err(e) => {
                        commands.extend(fail(state, i, format!("step {}: {e}", step.name)));
                        return commands;
                    }
                }
                i += 1;
            }
            _ => {
                if step.approval.is_some() && !state.approved.contains(&i) {
                    state.current_step = Some(i);
                    state.status = JobStatus::AwaitingApproval;
                    state.pending_approvals.push(i);
                    state.approval_gates_hit += 1;
                    commands.push(Command::RequestApproval { index: i });
                } else {
                    state.status = JobStatus::InProgress;
                    commands.extend(dispatch(state, i));
                }
                return commands;
            }
        }
    }
    state.current_step = None;
    state.status = JobStatus::Completed;
    commands.push(Command::Finish(JobStatus::Completed));
    commands
}

fn followups(
    f: &crate::sequence::Followup,
    step: usize,
    scope: &Scope<'_>,
    chain_depth: i32,
) -> Result<Vec<QueuedFollowup>, String> {
    if chain::follow_up_depth(chain_depth).is_err() {
        // At the maximum depth a job queues nothing (the router logs the warning).
        return Ok(Vec::new());
    }
    let items = match &f.for_each {
        Some(e) => e.eval_list(scope).map_err(|e| e.to_string())?,
        None => vec![Value::Null],
    };
    let mut out = Vec::new();
    for (n, item) in items.iter().enumerate() {
        let s = Scope {
            item: f.for_each.as_ref().map(|_| item),
            ..*scope
        };
        if let Some(when) = &f.when
            && !when.eval_bool(&s).map_err(|e| e.to_string())?
        {
            continue;
        }
        let mut payload = Map::new();
        for (k, e) in &f.payload {
            payload.insert(k.clone(), e.eval(&s).map_err(|e| e.to_string())?);
        }
        out.push(QueuedFollowup {
            step,
            item: n,
            event: f.event.clone(),
            payload: Value::Object(payload),
        });
    }
    Ok(out)
}
