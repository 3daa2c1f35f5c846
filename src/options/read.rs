//! `getReceipts` / `getTemplates` options (the signal is taken out at the
//! wasm door).

use super::client::MAX_TIMEOUT_MS;
use super::fields::{entries, integer};
use crate::read::Any;
use crate::text::quoted;

pub const DEFAULT_READ_CONCURRENCY: u64 = 4;
const MAX_READ_CONCURRENCY: u64 = 16;

/// `{ timeoutMs?, concurrency? }`: this call's timeout (if given) and how
/// many read calls may be in flight.
pub fn check_read_options(o: &Any) -> Result<(Option<u64>, usize), String> {
    let keys = entries(o, "read options")?;
    if let Some((unknown, _)) = keys.iter().find(|(k, _)| !matches!(k.as_str(), "timeoutMs" | "concurrency"))
    {
        let hint = crate::hint::did_you_mean(unknown, &["signal", "timeoutMs", "concurrency"]);
        return Err(format!(
            "unknown read option {}{hint}; known options: signal, timeoutMs, concurrency",
            quoted(unknown)
        ));
    }
    let timeout = integer(o, "timeoutMs", 1, MAX_TIMEOUT_MS)?;
    let concurrency = integer(o, "concurrency", 1, MAX_READ_CONCURRENCY)?.unwrap_or(DEFAULT_READ_CONCURRENCY);
    Ok((timeout, concurrency as usize))
}

/// `trackDelivery(input, { intervalMs?, timeoutMs?, signal?, onProgress? })`:
/// how often to ask (default 30 s: receipts take minutes) and for how long
/// in all (default 15 min), in ms.
pub fn check_track_options(o: &Any) -> Result<(u64, u64), String> {
    let keys = entries(o, "trackDelivery options")?;
    let known = ["signal", "onProgress", "intervalMs", "timeoutMs"];
    if let Some((unknown, _)) = keys.iter().find(|(k, _)| !matches!(k.as_str(), "intervalMs" | "timeoutMs")) {
        let hint = crate::hint::did_you_mean(unknown, &known);
        return Err(format!(
            "unknown trackDelivery option {}{hint}; known options: {}",
            quoted(unknown),
            known.join(", ")
        ));
    }
    let interval = integer(o, "intervalMs", 10, 3_600_000)?.unwrap_or(30_000);
    let total = integer(o, "timeoutMs", 1, 24 * 3_600_000)?.unwrap_or(15 * 60_000);
    Ok((interval, total))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn read_options_are_checked() {
        let check = |t: &str| check_read_options(&Any::from_json(t).unwrap());
        assert_eq!(check("{}"), Ok((None, 4)));
        assert_eq!(check(r#"{"timeoutMs":5,"concurrency":2}"#), Ok((Some(5), 2)));
        assert!(check(r#"{"concurrency":0}"#).is_err());
        assert!(check(r#"{"timeoutms":5}"#).unwrap_err().contains("did you mean timeoutMs"));
    }
}
