//! Bulk sending, typed: `planBulk` (pure) and the job a sending loop drives
//! chunk by chunk (prepare, send, record), ending in a report that accounts
//! for every input target.

use crate::bulk::{Counts, Job};
use crate::bulk_report::Report;
use crate::issues::Issue;
use crate::options::{entries, integer_in, Checked};
use crate::outcome::{ErrorInfo, SendResult};
use crate::plan::{chunk_request, plan, Plan, PlanOptions};
use crate::read::{Any, RawRequest, Slot};
use crate::validate::{validate, ValidateOptions};
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
    "signal",
    "onProgress",
];

/// `{ chunkSize?, dedupe?, concurrency?, ratePerSecond?, deadlineMs?,
/// resendUnknown? }` (`signal` and `onProgress` stay in JS).
pub fn bulk_options(options: &Any) -> Result<(PlanOptions, LoopSettings), String> {
    let mut plan = PlanOptions::default();
    let mut run = LoopSettings {
        concurrency: DEFAULT_CONCURRENCY,
        rate_per_second_milli: None,
        deadline_ms: None,
        resend_unknown: false,
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
            ("dedupe" | "resendUnknown", _) => return Err(format!("{key} must be a boolean")),
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

/// `planBulk`'s answer: what would be sent; nothing is.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PlanSummary {
    pub targets: usize,
    pub sent: usize,
    pub duplicates_dropped: usize,
    pub chunk_count: usize,
    pub chunk_sizes: Vec<usize>,
    pub warnings: Vec<Issue>,
    pub warning_count: usize,
}

/// Validates the whole input (no 1000 limit) and plans it.
fn make_plan(
    input: Slot<RawRequest>,
    checked: &Checked,
    options: &Any,
) -> Result<(Plan, crate::issues::IssueList, LoopSettings), ErrorInfo> {
    let (plan_options, settings) = bulk_options(options).map_err(ErrorInfo::config)?;
    let options =
        ValidateOptions { templates: checked.settings.templates.clone(), ..ValidateOptions::default() };
    let validation = validate(input, &options);
    match validation.normalized {
        Some(request) if validation.errors.is_empty() => {
            Ok((plan(&request, plan_options), validation.warnings, settings))
        }
        _ => Err(ErrorInfo::validation(validation.errors)),
    }
}

/// `planBulk`. Nothing is sent.
pub fn plan_bulk(
    input: Slot<RawRequest>,
    checked: &Checked,
    options: &Any,
) -> Result<PlanSummary, ErrorInfo> {
    let (plan, warnings, _) = make_plan(input, checked, options)?;
    Ok(PlanSummary {
        targets: plan.targets.len() + plan.duplicates.len(),
        sent: plan.targets.len(),
        duplicates_dropped: plan.duplicates.len(),
        chunk_count: plan.chunks.len(),
        chunk_sizes: plan.chunks.iter().map(|c| c.members.len()).collect(),
        warnings: warnings.items,
        warning_count: warnings.total,
    })
}

/// A bulk job between chunks.
pub struct BulkSession {
    job: Job,
    settings: LoopSettings,
    /// The client's checked options, kept so chunks are signed without
    /// reading the options again for each of them.
    checked: Checked,
}

impl BulkSession {
    /// The job, or the error (VALIDATION, CONFIG) that prevents it.
    pub fn create(
        input: Slot<RawRequest>,
        checked: &Checked,
        options: &Any,
    ) -> Result<BulkSession, ErrorInfo> {
        let (plan, _, settings) = make_plan(input, checked, options)?;
        Ok(BulkSession { job: Job::new(plan), settings, checked: checked.clone() })
    }

    /// The checked loop settings (concurrency, rate, deadline, resendUnknown).
    pub fn settings(&self) -> LoopSettings {
        self.settings
    }

    pub fn chunk_count(&self) -> usize {
        self.job.plan().chunks.len()
    }

    /// Signs chunk `index` (or shapes it for the proxy).
    pub fn prepare_chunk(
        &self,
        index: usize,
        timestamp_s: f64,
        nonce: &str,
    ) -> Result<crate::ops::PreparedCall, ErrorInfo> {
        let Some(chunk) = self.job.plan().chunks.get(index) else {
            return Err(ErrorInfo::config(format!("there is no chunk {index}")));
        };
        let request = chunk_request(self.job.plan(), chunk);
        crate::ops::prepare_valid(&request, &self.checked, timestamp_s, nonce)
    }

    pub fn record_result(&mut self, index: usize, result: &SendResult) -> Result<(), String> {
        self.job.record_result(index, &result.response, result.request_id.as_deref())
    }

    /// Records a chunk's final error; whether the job must stop.
    pub fn record_error(&mut self, index: usize, error: &ErrorInfo) -> Result<bool, String> {
        self.job.record_error(index, error)
    }

    pub fn record_not_attempted(&mut self, index: usize, why: &str) {
        self.job.record_not_attempted(index, why)
    }

    pub fn progress(&self) -> Counts {
        self.job.counts()
    }

    pub fn report(&self, include_unknown: bool) -> Report<'_> {
        self.job.report(include_unknown)
    }
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
