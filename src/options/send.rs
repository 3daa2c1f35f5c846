//! `sendBatch`'s per-call options.

use super::client::MAX_TIMEOUT_MS;
use super::fields::{entries, integer};
use crate::read::Any;
use crate::text::quoted;

/// `sendBatch(request, { signal?, timeoutMs? })` (the signal stays in JS):
/// the per-call timeout, checked like the client's.
pub fn check_send_options(o: &Any) -> Result<Option<u64>, String> {
    let keys = entries(o, "sendBatch options")?;
    if let Some((unknown, _)) = keys.iter().find(|(k, _)| k.as_str() != "timeoutMs") {
        return Err(format!(
            "unknown sendBatch option {}; known options: signal, timeoutMs",
            quoted(unknown)
        ));
    }
    integer(o, "timeoutMs", 1, MAX_TIMEOUT_MS)
}
