//! Skills: the work a sequence step does. A [`Registry`] holds the built-in Rust skills and
//! the HTTP skills configured for a deployment, with the effect each has (so the sequence
//! loader can insist on approval gates) and cost accounting.

pub mod intents;
pub mod transcript;
