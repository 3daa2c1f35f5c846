//! The JSON interface for bulk sending: `planBulk` (pure) and a job object
//! the JS loop drives chunk by chunk (prepare, send, record), ending in a
//! report that accounts for every input target.

use crate::bulk::Job;
use crate::issues::IssueList;
use crate::json::{self, ObjectWriter, Value};
use crate::options::{integer_in, Checked};
use crate::outcome::ErrorInfo;
use crate::plan::{chunk_request, plan, Plan, PlanOptions};
use crate::prepare::prepare_request;
use crate::validate::ValidateOptions;

/// How the JS loop runs a job; checked here with the planning options so
/// every option is validated in one place.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LoopSettings {
    pub concurrency: u64,
    /// Requests per second × 1000 (kept as an integer: float parsing
    /// would add 15 KB of tables to the wasm).
    pub rate_per_second_milli: Option<u64>,
    pub deadline_ms: Option<u64>,
    pub resend_unknown: bool,
}

pub const DEFAULT_CONCURRENCY: u64 = 4;
const MAX_CONCURRENCY: u64 = 64;

/// `{ chunkSize?, dedupe?, concurrency?, ratePerSecond?, deadlineMs?,
/// resendUnknown? }` (`signal` and `onProgress` stay in JS).
fn bulk_options(options_json: &str) -> Result<(PlanOptions, LoopSettings), String> {
    let mut plan = PlanOptions::default();
    let mut run = LoopSettings {
        concurrency: DEFAULT_CONCURRENCY,
        rate_per_second_milli: None,
        deadline_ms: None,
        resend_unknown: false,
    };
    let text = if options_json.trim().is_empty() { "{}" } else { options_json };
    let Ok(Value::Object(o)) = json::parse(text) else {
        return Err("bulk options must be an object".into());
    };
    let int = |v: &Value, key: &str, min: u64, max: u64| integer_in(v.as_u64(), key, min, max);
    for (key, value) in &o {
        match (key.as_str(), value) {
            (_, Value::Null) => {}
            ("chunkSize", v) => {
                plan.chunk_size = int(v, key, 1, crate::model::MAX_TARGETS_PER_REQUEST as u64)? as usize
            }
            ("dedupe", Value::Bool(b)) => plan.dedupe = *b,
            ("concurrency", v) => run.concurrency = int(v, key, 1, MAX_CONCURRENCY)?,
            ("deadlineMs", v) => run.deadline_ms = Some(int(v, key, 1, 24 * 3600 * 1000)?),
            ("ratePerSecond", Value::Number(n)) => {
                let milli = thousandths(n.as_str()).filter(|m| *m > 0);
                run.rate_per_second_milli = Some(milli.ok_or("ratePerSecond must be at least 0.001")?);
            }
            ("resendUnknown", Value::Bool(b)) => run.resend_unknown = *b,
            ("dedupe" | "ratePerSecond" | "resendUnknown", _) => {
                return Err(format!("{key} has the wrong type"))
            }
            _ => {
                return Err(format!(
                "unknown bulk option {}; known: chunkSize, dedupe, concurrency, ratePerSecond, deadlineMs, \
                     resendUnknown, signal, onProgress",
                crate::text::quoted(key)
            ))
            }
        }
    }
    Ok((plan, run))
}

/// A non-negative JSON number × 1000, truncated: `"2.5"` → 2500.
fn thousandths(number: &str) -> Option<u64> {
    let plain = crate::sign::plain_decimal(number);
    if plain.starts_with('-') {
        return None;
    }
    let (int, frac) = plain.split_once('.').unwrap_or((&plain, ""));
    let frac: String = frac.chars().chain(std::iter::repeat('0')).take(3).collect();
    int.parse::<u64>().ok()?.checked_mul(1000)?.checked_add(frac.parse::<u64>().ok()?)
}

impl crate::json::ToJson for LoopSettings {
    fn write_json(&self, out: &mut String) {
        let mut o = ObjectWriter::new(out);
        o.field("concurrency", &self.concurrency)
            .field("ratePerSecondMilli", &self.rate_per_second_milli)
            .field("deadlineMs", &self.deadline_ms)
            .field("resendUnknown", &self.resend_unknown);
        o.end();
    }
}

/// Validates the whole input (no 1000 limit) and plans it.
fn make_plan(
    request_json: &str,
    config_json: &str,
    options_json: &str,
) -> Result<(Plan, IssueList, LoopSettings, Checked), Box<ErrorInfo>> {
    let checked = crate::api::parse_config(config_json)?;
    let (plan_options, settings) = bulk_options(options_json).map_err(|m| Box::new(ErrorInfo::config(m)))?;
    let options =
        ValidateOptions { templates: checked.settings.templates.clone(), ..ValidateOptions::default() };
    let validation = crate::api::validate_text(request_json, &options);
    match validation.normalized {
        Some(request) if validation.errors.is_empty() => {
            Ok((plan(&request, plan_options), validation.warnings, settings, checked))
        }
        _ => Err(Box::new(ErrorInfo::validation(validation.errors))),
    }
}

/// `planBulk`: `{ ok: true, plan }` or `{ ok: false, error }`. Nothing is sent.
pub fn plan_bulk(request_json: &str, config_json: &str, options_json: &str) -> String {
    match make_plan(request_json, config_json, options_json) {
        Err(e) => crate::api::failed(&e),
        Ok((plan, warnings, _, _)) => {
            let mut out = String::new();
            let mut o = ObjectWriter::new(&mut out);
            o.field("ok", &true);
            let mut summary = String::new();
            let mut s = ObjectWriter::new(&mut summary);
            s.field("targets", &(plan.targets.len() + plan.duplicates.len()))
                .field("sent", &plan.targets.len())
                .field("duplicatesDropped", &plan.duplicates.len())
                .field("chunkCount", &plan.chunks.len());
            let sizes: Vec<usize> = plan.chunks.iter().map(|c| c.members.len()).collect();
            s.field("chunkSizes", &sizes)
                .field("warnings", &warnings.items)
                .field("warningCount", &warnings.total);
            s.end();
            o.field("plan", &json::Raw(&summary));
            o.end();
            out
        }
    }
}

/// A bulk job held by the JS side between chunks.
pub struct BulkSession {
    job: Job,
    settings: LoopSettings,
    /// The client's checked options, kept so chunks are signed without
    /// reading the options again for each of them.
    checked: Checked,
}

impl BulkSession {
    /// The job, or the error JSON (VALIDATION, CONFIG) that prevents it.
    pub fn create(request_json: &str, config_json: &str, options_json: &str) -> Result<BulkSession, String> {
        make_plan(request_json, config_json, options_json)
            .map(|(plan, _, settings, checked)| BulkSession { job: Job::new(plan), settings, checked })
            .map_err(|e| json::to_string(&*e))
    }

    /// The checked loop settings (concurrency, rate, deadline, resendUnknown).
    pub fn settings_json(&self) -> String {
        json::to_string(&self.settings)
    }

    pub fn chunk_count(&self) -> usize {
        self.job.plan().chunks.len()
    }

    /// Signs chunk `index` (or shapes it for the proxy): `{ ok, prepared }`.
    pub fn prepare_chunk(&self, index: usize, timestamp_s: f64, nonce: &str) -> String {
        let Some(chunk) = self.job.plan().chunks.get(index) else {
            return crate::api::failed(&ErrorInfo::config(format!("there is no chunk {index}")));
        };
        let mut request = chunk_request(self.job.plan(), chunk);
        request.account_id = request.account_id.or(self.checked.settings.account_id);
        let timestamp = crate::api::unix_seconds(timestamp_s);
        match prepare_request(&request, &self.checked, timestamp, nonce) {
            Ok(p) => crate::api::ok_with_account(&p, request.account_id),
            Err(message) => crate::api::failed(&ErrorInfo::config(message)),
        }
    }

    pub fn record_result(&mut self, index: usize, result_json: &str) -> Result<(), String> {
        self.job.record_result(index, result_json)
    }

    pub fn record_error(&mut self, index: usize, error_json: &str) -> Result<bool, String> {
        self.job.record_error(index, error_json)
    }

    pub fn record_not_attempted(&mut self, index: usize, why: &str) {
        self.job.record_not_attempted(index, why)
    }

    pub fn progress_json(&self) -> String {
        json::to_string(&self.job.counts())
    }

    pub fn report_json(&self, include_unknown: bool) -> String {
        self.job.report_json(include_unknown)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rates_are_read_without_floats() {
        assert_eq!(thousandths("2.5"), Some(2500));
        assert_eq!(thousandths("10"), Some(10_000));
        assert_eq!(thousandths("1e-3"), Some(1));
        assert_eq!(thousandths("0.0001"), Some(0));
        assert_eq!(thousandths("-1"), None);
    }

    #[test]
    fn bulk_options_are_checked() {
        assert!(bulk_options(r#"{"chunkSize":1001}"#).is_err());
        assert!(bulk_options(r#"{"concurrency":0}"#).is_err());
        assert!(bulk_options(r#"{"ratePerSecond":0}"#).is_err());
        assert!(bulk_options(r#"{"chunksize":10}"#).unwrap_err().contains("unknown bulk option"));
        let (plan, run) =
            bulk_options(r#"{"chunkSize":10,"dedupe":true,"ratePerSecond":2.5,"deadlineMs":100}"#).unwrap();
        assert_eq!(
            (plan.chunk_size, plan.dedupe, run.rate_per_second_milli, run.deadline_ms),
            (10, true, Some(2500), Some(100))
        );
    }
}
