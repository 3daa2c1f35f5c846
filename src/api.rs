//! The JSON-string interface the wasm facade exposes, kept here (native, no
//! wasm) so `cargo test` and the fuzzers reach it. JS hands in
//! `JSON.stringify` output and parses what comes back: one string each way
//! is cheaper than crossing the boundary field by field.

use crate::issues::{IssueCode, IssueList};
use crate::model::MAX_TARGETS_PER_REQUEST;
use crate::outcome::{self, ErrorInfo, Outcome, Reply, TransportFailure};
use crate::prepare::{prepare_send_batch, Signer};
use crate::preview::preview;
use crate::retry::{parse_retry_after, retry_delay_ms};
use crate::strict_json;
use crate::validate::{validate as check, ValidateOptions, Validation};
use serde::{Deserialize, Serialize};
use serde_json::json;

fn to_json<T: Serialize>(value: &T) -> String {
    serde_json::to_string(value).unwrap_or_else(|e| {
        // Only non-string map keys make serde_json fail; none exist here.
        json!({ "ok": false, "error": { "code": "INTERNAL", "message": e.to_string(), "delivery": "not_sent" } })
            .to_string()
    })
}

fn one_issue(path: &str, code: IssueCode, message: String) -> IssueList {
    let mut list = IssueList::default();
    list.push(|| path.to_string(), code, message);
    list
}

/// Options as JS spells them; `maxTargets` defaults to one request's limit
/// and `null` lifts it (bulk input).
#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct JsValidateOptions {
    #[serde(default)]
    templates: std::collections::BTreeMap<String, String>,
    #[serde(default = "one_request")]
    max_targets: Option<usize>,
    #[serde(default)]
    allow_templates: Option<Vec<String>>,
}

fn one_request() -> Option<usize> {
    Some(MAX_TARGETS_PER_REQUEST)
}

fn parse_options(options_json: &str) -> Result<ValidateOptions, IssueList> {
    let text = if options_json.trim().is_empty() {
        "{}"
    } else {
        options_json
    };
    serde_json::from_str::<JsValidateOptions>(text)
        .map(|o| ValidateOptions {
            templates: o.templates,
            max_targets: o.max_targets,
            allow_templates: o.allow_templates,
        })
        .map_err(|e| one_issue("(options)", IssueCode::WrongType, format!("invalid options: {e}")))
}

/// Parses and validates; any failure to even read the input is an issue too.
pub fn run_validation(request_json: &str, options_json: &str) -> Validation {
    let options = match parse_options(options_json) {
        Ok(options) => options,
        Err(errors) => {
            return Validation {
                errors,
                ..Validation::default()
            }
        }
    };
    match strict_json::parse(request_json) {
        Ok(value) => check(&value, &options),
        Err(e) => Validation {
            errors: one_issue(
                "",
                IssueCode::InvalidJson,
                format!("the request is not valid JSON: {e}"),
            ),
            ..Validation::default()
        },
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ValidationJson<'a> {
    ok: bool,
    errors: &'a [crate::issues::Issue],
    error_count: usize,
    warnings: &'a [crate::issues::Issue],
    warning_count: usize,
    normalized: &'a Option<crate::model::SendBatchRequest>,
}

/// `validateBatch`: `{ ok, errors, errorCount, warnings, warningCount, normalized }`.
pub fn validate(request_json: &str, options_json: &str) -> String {
    let v = run_validation(request_json, options_json);
    to_json(&ValidationJson {
        ok: v.ok(),
        errors: &v.errors.items,
        error_count: v.errors.total,
        warnings: &v.warnings.items,
        warning_count: v.warnings.total,
        normalized: &v.normalized,
    })
}

fn parse_signer(signer_json: &str) -> Result<Signer, Box<ErrorInfo>> {
    // serde's own messages may quote the offending value, which could be
    // the private key: name the field and the expected type instead.
    let signer: Signer = serde_json::from_str(signer_json).map_err(|_| {
        Box::new(ErrorInfo::config(
            "invalid client options: publicKey and privateKey must be strings, \
             accountId a positive integer and baseUrl a string"
                .into(),
        ))
    })?;
    signer.check().map_err(|m| Box::new(ErrorInfo::config(m)))?;
    Ok(signer)
}

/// Checks client options once, at construction: `null` or a CONFIG error.
pub fn check_signer(signer_json: &str) -> String {
    match parse_signer(signer_json) {
        Ok(_) => "null".into(),
        Err(e) => to_json(&e),
    }
}

/// `prepare`: `{ ok: true, prepared, targetCount }` or `{ ok: false, error }`.
pub fn prepare(
    request_json: &str,
    signer_json: &str,
    options_json: &str,
    timestamp_s: f64,
    nonce: &str,
) -> String {
    let fail = |error: ErrorInfo| to_json(&json!({ "ok": false, "error": error }));
    let signer = match parse_signer(signer_json) {
        Ok(signer) => signer,
        Err(e) => return fail(*e),
    };
    let validation = run_validation(request_json, options_json);
    let request = match validation.normalized {
        Some(request) if validation.errors.is_empty() => request,
        _ => return fail(ErrorInfo::validation(validation.errors)),
    };
    let timestamp = if timestamp_s.is_finite() && timestamp_s >= 0.0 {
        timestamp_s as u64
    } else {
        0
    };
    match prepare_send_batch(&request, &signer, timestamp, nonce) {
        Ok(prepared) => {
            to_json(&json!({ "ok": true, "prepared": prepared, "targetCount": request.target_count() }))
        }
        Err(message) => fail(ErrorInfo::config(message)),
    }
}

/// Interprets an HTTP reply; `retry_after` is the raw header.
pub fn interpret(
    status: u16,
    body: &str,
    request_id: Option<&str>,
    retry_after: Option<&str>,
    now_ms: f64,
    account_id: Option<u64>,
) -> String {
    let reply = Reply {
        status,
        body,
        request_id_header: request_id,
        retry_after_ms: retry_after.and_then(|v| parse_retry_after(v, now_ms)),
        account_id,
    };
    to_json(&outcome::interpret(&reply))
}

/// Interprets a failed fetch, as classified by the transport.
pub fn transport_failure(kind: &str, detail: &str, timeout_ms: f64) -> String {
    let failure = TransportFailure::from_name(kind).unwrap_or(TransportFailure::Broken);
    let timeout = if timeout_ms.is_finite() && timeout_ms > 0.0 {
        timeout_ms as u64
    } else {
        0
    };
    to_json(&outcome::transport_failure(failure, detail, timeout))
}

/// Delay before the next retry in ms, or -1 for "do not retry".
pub fn retry_delay(retries_done: u32, max_retries: u32, retry_after_ms: f64, jitter: f64) -> f64 {
    let after = (retry_after_ms.is_finite() && retry_after_ms >= 0.0).then_some(retry_after_ms as u64);
    retry_delay_ms(retries_done, max_retries, after, jitter).map_or(-1.0, |ms| ms as f64)
}

/// `signPayload`: `{ ok: true, signature }` or `{ ok: false, error }`.
pub fn sign(payload_json: &str, private_key: &str) -> String {
    match strict_json::parse(payload_json) {
        Ok(value) => to_json(&json!({ "ok": true, "signature": crate::sign::sign(&value, private_key) })),
        Err(e) => to_json(&json!({
            "ok": false,
            "error": ErrorInfo::validation(one_issue("", IssueCode::InvalidJson, format!("the payload is not valid JSON: {e}")))
        })),
    }
}

/// `previewMessage`: the preview, or `{ ok: false, error }` when `params` is
/// not an array of strings.
pub fn preview_message(template: &str, params_json: &str) -> String {
    match serde_json::from_str::<Option<Vec<String>>>(params_json) {
        Ok(params) => {
            to_json(&json!({ "ok": true, "preview": preview(template, &params.unwrap_or_default()) }))
        }
        Err(_) => to_json(&json!({
            "ok": false,
            "error": ErrorInfo::validation(one_issue("params", IssueCode::WrongType, "params must be an array of strings".into()))
        })),
    }
}

/// What `Outcome` looks like to the JS side (kept public for tests).
pub fn outcome_json(outcome: &Outcome) -> String {
    to_json(outcome)
}
