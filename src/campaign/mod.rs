//! Durable bulk campaigns: a job planned once into chunks with stable keys
//! (`plan`), a ledger that lets each chunk be sent at most once across
//! consumers, redeliveries and crashes (`ledger`), and the report built
//! from per-chunk outcomes with the same accounting as `sendBulk`
//! (`report`), with the targets the plan sorts out (`dropped`: suppressed,
//! repeats) and, when asked, the sessions' delivery receipts (`delivery`,
//! `delivery_report`). Everything here is pure data in, data out: the Durable
//! Object, an in-memory store or a user's own store only keeps the strings
//! (`api`) and makes each call atomic.

pub mod api;
pub mod delivery;
pub mod delivery_report;
pub mod dropped;
pub mod ledger;
pub mod plan;
pub mod report;
