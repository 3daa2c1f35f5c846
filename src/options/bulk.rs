//! `sendBulk` / `planBulk` options: how the plan is cut and how the loop runs.

use super::fields::{entries, integer_in};
use crate::bulk::plan::PlanOptions;
use crate::read::Any;
use serde::Serialize;

/// How the loop runs a job; checked here with the planning options so
/// every option is validated in one place.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LoopSettings {
    pub concurrency: u64,
    /// Requests per second × 1000.
    pub rate_per_second_milli: Option<u64>,
    pub deadline_ms: Option<u64>,
    pub resend_unknown: bool,
    /// Load the request's templates from uSpeedo first (sendBulk only).
    pub check_templates: bool,
}

pub const DEFAULT_CONCURRENCY: u64 = 4;
const MAX_CONCURRENCY: u64 = 64;
const KNOWN: &[&str] = &[
    "chunkSize",
    "dedupe",
    "concurrency",
    "ratePerSecond",
    "deadlineMs",
    "resendUnknown",
    "checkTemplates",
    "suppress",
    "prices",
    "signal",
    "onProgress",
];

/// `{ chunkSize?, dedupe?, suppress?, prices?, concurrency?, ratePerSecond?,
/// deadlineMs?, resendUnknown?, checkTemplates? }` (`signal` and
/// `onProgress` stay in JS).
pub fn bulk_options(options: &Any) -> Result<(PlanOptions, LoopSettings), String> {
    let mut plan = PlanOptions::default();
    let mut run = LoopSettings {
        concurrency: DEFAULT_CONCURRENCY,
        rate_per_second_milli: None,
        deadline_ms: None,
        resend_unknown: false,
        check_templates: false,
    };
    let int = |v: &Any, key: &str, min: u64, max: u64| integer_in(v.as_u64(), key, min, max);
    for (key, value) in entries(options, "bulk options")? {
        match (key.as_str(), value) {
            (_, Any::Null) => {}
            ("chunkSize", v) => {
                plan.chunk_size = int(v, key, 1, crate::model::MAX_TARGETS_PER_REQUEST as u64)? as usize
            }
            ("dedupe", Any::Bool(b)) => plan.dedupe = *b,
            ("concurrency", v) => run.concurrency = int(v, key, 1, MAX_CONCURRENCY)?,
            ("deadlineMs", v) => run.deadline_ms = Some(int(v, key, 1, 24 * 3600 * 1000)?),
            ("ratePerSecond", Any::Number(n)) if n.is_finite() && *n >= 0.001 && *n <= 1e6 => {
                run.rate_per_second_milli = Some((n * 1000.0) as u64);
            }
            ("ratePerSecond", _) => return Err("ratePerSecond must be a number from 0.001 to 1000000".into()),
            ("resendUnknown", Any::Bool(b)) => run.resend_unknown = *b,
            ("checkTemplates", Any::Bool(b)) => run.check_templates = *b,
            ("suppress", v) => plan.suppress = super::lists::suppress_list(v)?,
            ("prices", v) => plan.prices = Some(super::lists::price_table(v)?),
            ("dedupe" | "resendUnknown" | "checkTemplates", _) => {
                return Err(format!("{key} must be a boolean"))
            }
            _ => {
                let hint = crate::hint::did_you_mean(key, KNOWN);
                return Err(format!(
                    "unknown bulk option {}{hint}; known: {}",
                    crate::text::quoted(key),
                    KNOWN.join(", ")
                ));
            }
        }
    }
    Ok((plan, run))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn options(text: &str) -> Result<(PlanOptions, LoopSettings), String> {
        bulk_options(&Any::from_json(text).unwrap())
    }

    #[test]
    fn bulk_options_are_checked() {
        assert!(options(r#"{"chunkSize":1001}"#).is_err());
        assert!(options(r#"{"concurrency":0}"#).is_err());
        assert!(options(r#"{"ratePerSecond":0}"#).is_err());
        assert!(options(r#"{"chunksize":10}"#).unwrap_err().contains("did you mean chunkSize"));
        let (plan, run) =
            options(r#"{"chunkSize":10,"dedupe":true,"ratePerSecond":2.5,"deadlineMs":100}"#).unwrap();
        assert_eq!(
            (plan.chunk_size, plan.dedupe, run.rate_per_second_milli, run.deadline_ms),
            (10, true, Some(2500), Some(100))
        );
    }

    #[test]
    fn non_finite_numbers_are_wrong_values() {
        for bad in [f64::NAN, f64::INFINITY, 1.5] {
            let o = Any::Object(vec![("concurrency".into(), Any::Number(bad))]);
            assert!(bulk_options(&o).is_err(), "{bad}");
        }
    }
}
