//! Baton's domain rules. Pure: no I/O, and time comes from a [`Clock`] the caller injects,
//! so every rule is tested exhaustively and fast, DST changes included.

pub mod budget;
pub mod chain;
pub mod clock;
pub mod edits;
pub mod expr;
pub mod job;
pub mod outputs;
pub mod quiet_hours;
pub mod sequence;
pub mod status;

pub use baton_schemas::{EventId, JobId, OrgId, PendingActionId, UserId};
pub use clock::{Clock, ManualClock, SystemClock};
pub use quiet_hours::{QuietHours, UserTime};
pub use status::{DeliveryStatus, JobStatus, PendingActionStatus};
