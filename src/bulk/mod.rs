//! Bulk sending: the plan (validation over the whole input, chunks of at
//! most 1000, duplicates), the job that accounts for every number chunk by
//! chunk, the report, and the session a sending loop drives.

pub mod cost;
pub mod job;
pub mod plan;
pub mod report;
pub mod session;
