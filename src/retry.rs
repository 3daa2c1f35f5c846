//! The retry rule. Only an attempt that provably was not processed may be
//! repeated (HTTP 429, a connection refused before sending); the outcome
//! module decides that. This module decides *when*: exponential backoff with
//! jitter, or the server's `Retry-After` when it gave one.

/// First backoff step.
pub const BASE_DELAY_MS: u64 = 500;
/// Longest backoff step.
pub const MAX_BACKOFF_MS: u64 = 8_000;
/// A `Retry-After` longer than this is not waited out: the error goes to the
/// caller, who may have a deadline of their own.
pub const MAX_RETRY_AFTER_MS: u64 = 60_000;

/// Milliseconds to wait before retry number `retries_done + 1`, or `None`
/// when no retry should be made. `jitter` is a random number in [0, 1).
pub fn retry_delay_ms(
    retries_done: u32,
    max_retries: u32,
    retry_after_ms: Option<u64>,
    jitter: f64,
) -> Option<u64> {
    if retries_done >= max_retries {
        return None;
    }
    if let Some(after) = retry_after_ms {
        return (after <= MAX_RETRY_AFTER_MS).then_some(after);
    }
    let step = BASE_DELAY_MS.saturating_mul(1u64 << retries_done.min(16)).min(MAX_BACKOFF_MS);
    // "Equal jitter": half fixed, half random, so retries spread out but
    // never come back at once.
    let jitter = if jitter.is_finite() { jitter.clamp(0.0, 1.0) } else { 0.5 };
    Some(step / 2 + (step as f64 / 2.0 * jitter) as u64)
}

/// Reads a `Retry-After` value: delay-seconds or an IMF-fixdate
/// (`Wed, 21 Oct 2015 07:28:00 GMT`), relative to `now_ms` (Unix ms).
pub fn parse_retry_after(value: &str, now_ms: f64) -> Option<u64> {
    let value = value.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(seconds.saturating_mul(1000));
    }
    let at_ms = parse_http_date(value)?.saturating_mul(1000);
    let now_ms = if now_ms.is_finite() && now_ms > 0.0 { now_ms as u64 } else { 0 };
    Some(at_ms.saturating_sub(now_ms))
}

/// IMF-fixdate to Unix seconds.
fn parse_http_date(value: &str) -> Option<u64> {
    let mut parts = value.split_whitespace();
    let _weekday = parts.next()?;
    let day: u64 = parts.next()?.parse().ok()?;
    let month = match parts.next()? {
        "Jan" => 1,
        "Feb" => 2,
        "Mar" => 3,
        "Apr" => 4,
        "May" => 5,
        "Jun" => 6,
        "Jul" => 7,
        "Aug" => 8,
        "Sep" => 9,
        "Oct" => 10,
        "Nov" => 11,
        "Dec" => 12,
        _ => return None,
    };
    let year: u64 = parts.next()?.parse().ok()?;
    let mut clock = parts.next()?.split(':').map(|p| p.parse::<u64>().ok());
    let (h, m, s) = (clock.next()??, clock.next()??, clock.next()??);
    if parts.next()? != "GMT" || !(1..=31).contains(&day) || h > 23 || m > 59 || s > 60 || year < 1970 {
        return None;
    }
    Some(days_from_civil(year, month, day)? * 86_400 + h * 3600 + m * 60 + s)
}

/// Days since 1970-01-01 (Howard Hinnant's algorithm, for years ≥ 1970).
fn days_from_civil(year: u64, month: u64, day: u64) -> Option<u64> {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y / 400;
    let yoe = y % 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    (era * 146_097 + doe).checked_sub(719_468)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_grows_caps_and_stops() {
        assert_eq!(retry_delay_ms(0, 2, None, 0.0), Some(250));
        assert_eq!(retry_delay_ms(0, 2, None, 1.0), Some(500));
        assert_eq!(retry_delay_ms(1, 2, None, 0.0), Some(500));
        assert_eq!(retry_delay_ms(2, 2, None, 0.0), None);
        assert_eq!(retry_delay_ms(10, 20, None, 1.0), Some(MAX_BACKOFF_MS));
        assert_eq!(retry_delay_ms(0, 0, Some(1000), 0.0), None);
        assert_eq!(retry_delay_ms(0, 2, None, f64::NAN), Some(375));
    }

    #[test]
    fn retry_after_is_honoured_within_reason() {
        assert_eq!(retry_delay_ms(0, 2, Some(3000), 0.9), Some(3000));
        assert_eq!(retry_delay_ms(0, 2, Some(MAX_RETRY_AFTER_MS + 1), 0.9), None);
    }

    #[test]
    fn parses_both_retry_after_forms() {
        assert_eq!(parse_retry_after(" 2 ", 0.0), Some(2000));
        let now = 1_445_412_480_000.0; // 2015-10-21T07:28:00Z
        assert_eq!(parse_retry_after("Wed, 21 Oct 2015 07:28:05 GMT", now), Some(5000));
        assert_eq!(parse_retry_after("Wed, 21 Oct 2015 07:27:00 GMT", now), Some(0));
        assert_eq!(parse_retry_after("soon", now), None);
        assert_eq!(parse_retry_after("Wed, 32 Oct 2015 07:28:05 GMT", now), None);
        assert_eq!(parse_retry_after("-1", now), None);
    }
}
