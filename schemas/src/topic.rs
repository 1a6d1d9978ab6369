use std::fmt;

/// Every topic Baton uses. Names are `<prefix><suffix>`, the prefix configurable (`baton.`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Topic {
    Events,
    ContextRequests,
    StepRequests,
    StepResults,
    ApprovalRequests,
    ApprovalDecisions,
    Notifications,
    Audit,
    DeadLetter,
}

impl Topic {
    pub const ALL: [Topic; 9] = [
        Topic::Events,
        Topic::ContextRequests,
        Topic::StepRequests,
        Topic::StepResults,
        Topic::ApprovalRequests,
        Topic::ApprovalDecisions,
        Topic::Notifications,
        Topic::Audit,
        Topic::DeadLetter,
    ];

    pub fn suffix(self) -> &'static str {
        match self {
            Topic::Events => "events",
            Topic::ContextRequests => "context.requests",
            Topic::StepRequests => "step.requests",
            Topic::StepResults => "step.results",
            Topic::ApprovalRequests => "approval.requests",
            Topic::ApprovalDecisions => "approval.decisions",
            Topic::Notifications => "notifications",
            Topic::Audit => "audit",
            Topic::DeadLetter => "deadletter",
        }
    }

    /// The full topic name under `prefix` (e.g. `baton.` → `baton.events`).
    pub fn name(self, prefix: &str) -> String {
        format!("{prefix}{}", self.suffix())
    }
}

impl fmt::Display for Topic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.suffix())
    }
}
