//! `sendBatch`'s per-call options.

use super::client::MAX_TIMEOUT_MS;
use super::fields::{entries, integer};
use crate::read::Any;
use crate::text::quoted;

/// A call's own options.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SendOptions {
    /// Overrides the client's timeout for this call.
    pub timeout_ms: Option<u64>,
    /// Load the request's templates from uSpeedo first (those this client
    /// does not know yet) and validate against them.
    pub check_templates: bool,
}

/// `sendBatch(request, { signal?, timeoutMs?, checkTemplates? })` and
/// `prepare(request, { checkTemplates? })` (the signal is taken out at the
/// wasm door).
pub fn check_send_options(o: &Any) -> Result<SendOptions, String> {
    const KNOWN: &[&str] = &["signal", "timeoutMs", "checkTemplates"];
    let keys = entries(o, "sendBatch options")?;
    let mut out =
        SendOptions { timeout_ms: integer(o, "timeoutMs", 1, MAX_TIMEOUT_MS)?, check_templates: false };
    for (key, value) in keys {
        match (key.as_str(), value) {
            ("timeoutMs", _) | (_, Any::Null) => {}
            ("checkTemplates", Any::Bool(b)) => out.check_templates = *b,
            ("checkTemplates", _) => return Err("checkTemplates must be a boolean".into()),
            _ => {
                let hint = crate::hint::did_you_mean(key, KNOWN);
                return Err(format!(
                    "unknown sendBatch option {}{hint}; known options: {}",
                    quoted(key),
                    KNOWN.join(", ")
                ));
            }
        }
    }
    Ok(out)
}
