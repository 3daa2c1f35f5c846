//! The JSON-string interface the wasm facade exposes, kept here (native, no
//! wasm) so `cargo test` and the fuzzers reach it. JS hands in
//! `JSON.stringify` output and parses what comes back: one string each way
//! is cheaper than crossing the boundary field by field.

use crate::issues::{IssueCode, IssueList};
use crate::json::{self, ObjectWriter, ToJson, Value};
use crate::model::SendBatchRequest;
use crate::options::{check_options, Checked};
use crate::outcome::{self, ErrorInfo, Reply, TransportFailure};
use crate::prepare::prepare_request;
use crate::preview::preview;
use crate::proxy::ProxySettings;
use crate::retry::{parse_retry_after, retry_delay_ms};
use crate::text::quoted;
use crate::validate::{validate as check, ValidateOptions, Validation};

fn one_issue(path: &str, code: IssueCode, message: String) -> IssueList {
    let mut list = IssueList::default();
    list.push(&|| path.to_string(), code, message);
    list
}

/// `{ "ok": true, <key>: value }`.
pub(crate) fn ok(key: &str, value: &dyn ToJson) -> String {
    let mut out = String::new();
    let mut o = ObjectWriter::new(&mut out);
    o.field("ok", &true).field(key, value);
    o.end();
    out
}

/// `{ "ok": false, "error": error }`.
pub(crate) fn failed(error: &ErrorInfo) -> String {
    let mut out = String::new();
    let mut o = ObjectWriter::new(&mut out);
    o.field("ok", &false).field("error", error);
    o.end();
    out
}

/// Reads `{ templates?, maxTargets?, allowTemplates? }` as JS spells it.
/// `maxTargets` defaults to one request's limit; `null` lifts it (bulk input).
fn parse_options(options_json: &str) -> Result<ValidateOptions, IssueList> {
    let bad = |message: &str| one_issue("(options)", IssueCode::WrongType, message.to_string());
    let text = if options_json.trim().is_empty() { "{}" } else { options_json };
    let value = json::parse(text).map_err(|_| bad("options must be a JSON object"))?;
    let Value::Object(o) = value else {
        return Err(bad("options must be an object"));
    };
    let mut options = ValidateOptions::single_request();
    for (key, value) in o.into_entries() {
        match (key.as_str(), value) {
            ("templates", Value::Null) | ("allowTemplates", Value::Null) => {}
            ("templates", Value::Object(map)) => {
                for (id, text) in map.into_entries() {
                    let Value::String(text) = text else {
                        return Err(bad("templates must map each TemplateId to its text"));
                    };
                    options.templates.insert(id, text);
                }
            }
            ("maxTargets", Value::Null) => options.max_targets = None,
            ("maxTargets", Value::Number(n)) if n.as_u64().is_some_and(|n| n > 0) => {
                options.max_targets = n.as_u64().map(|n| n as usize)
            }
            ("allowTemplates", Value::Array(ids)) => {
                let ids: Option<Vec<String>> =
                    ids.into_iter().map(|id| id.as_str().map(str::to_string)).collect();
                options.allow_templates =
                    Some(ids.ok_or_else(|| bad("allowTemplates must be an array of strings"))?);
            }
            ("templates" | "maxTargets" | "allowTemplates", _) => {
                return Err(bad(&format!("{key} has the wrong type")));
            }
            _ => return Err(bad(&format!("unknown option {}", quoted(&key)))),
        }
    }
    Ok(options)
}

pub(crate) fn validate_text(request_json: &str, options: &ValidateOptions) -> Validation {
    match json::parse(request_json) {
        Ok(value) => check(&value, options),
        Err(e) => Validation {
            errors: one_issue("", IssueCode::InvalidJson, format!("the request is not valid JSON: {e}")),
            ..Validation::default()
        },
    }
}

/// Parses and validates; any failure to even read the input is an issue too.
pub fn run_validation(request_json: &str, options_json: &str) -> Validation {
    match parse_options(options_json) {
        Ok(options) => validate_text(request_json, &options),
        Err(errors) => Validation { errors, ..Validation::default() },
    }
}

fn write_issues(o: &mut ObjectWriter, items: &str, count: &str, list: &IssueList) {
    o.field(items, &list.items).field(count, &list.total);
}

/// `validateBatch`: `{ ok, errors, errorCount, warnings, warningCount, normalized }`.
pub fn validate(request_json: &str, options_json: &str) -> String {
    let v = run_validation(request_json, options_json);
    let mut out = String::new();
    let mut o = ObjectWriter::new(&mut out);
    o.field("ok", &v.ok());
    write_issues(&mut o, "errors", "errorCount", &v.errors);
    write_issues(&mut o, "warnings", "warningCount", &v.warnings);
    o.field("normalized", &v.normalized);
    o.end();
    out
}

/// A timestamp handed in from JS (seconds, as a double) as an integer.
pub(crate) fn unix_seconds(timestamp_s: f64) -> u64 {
    if timestamp_s.is_finite() && timestamp_s >= 0.0 {
        timestamp_s as u64
    } else {
        0
    }
}

pub(crate) fn parse_config(config_json: &str) -> Result<Checked, Box<ErrorInfo>> {
    let value = json::parse(config_json)
        .map_err(|_| Box::new(ErrorInfo::config("client options could not be read as JSON".into())))?;
    check_options(&value).map_err(|message| Box::new(ErrorInfo::config(message)))
}

/// `new Client(options)`: `{ ok: true, settings }` or `{ ok: false, error }`.
/// `settings` never holds the private key.
pub fn client_options(config_json: &str) -> String {
    match parse_config(config_json) {
        Ok(checked) => ok("settings", &checked.settings),
        Err(e) => failed(&e),
    }
}

/// `sendBatch`'s per-call options: `{ ok: true, timeoutMs }` or `{ ok: false, error }`.
pub fn send_options(options_json: &str) -> String {
    let checked = json::parse(options_json)
        .map_err(|_| "sendBatch options must be plain data".to_string())
        .and_then(|v| crate::options::check_send_options(&v));
    match checked {
        Ok(timeout) => ok("timeoutMs", &timeout),
        Err(message) => failed(&ErrorInfo::config(message)),
    }
}

/// `prepare`: `{ ok: true, prepared, targetCount, accountId }` or
/// `{ ok: false, error }`. In proxy mode the request is validated and
/// normalised but not signed: the proxy signs it with a key the browser
/// never sees.
pub fn prepare(request_json: &str, config_json: &str, timestamp_s: f64, nonce: &str) -> String {
    match prepare_with(request_json, config_json, timestamp_s, nonce, None) {
        Ok(reply) => reply,
        Err(e) => failed(&e),
    }
}

/// Validates (with the proxy's limits, when given), normalises and signs:
/// the `{ ok: true, ... }` reply, or the error.
pub(crate) fn prepare_with(
    request_json: &str,
    config_json: &str,
    timestamp_s: f64,
    nonce: &str,
    proxy: Option<&ProxySettings>,
) -> Result<String, Box<ErrorInfo>> {
    let checked = parse_config(config_json)?;
    let mut options = ValidateOptions {
        templates: checked.settings.templates.clone(),
        ..ValidateOptions::single_request()
    };
    if let Some(proxy) = proxy {
        options.max_targets = Some(proxy.max_targets);
        options.allow_templates = proxy.allow_templates.clone();
    }
    let validation = validate_text(request_json, &options);
    let request: SendBatchRequest = match validation.normalized {
        Some(request) if validation.errors.is_empty() => request,
        _ => return Err(Box::new(ErrorInfo::validation(validation.errors))),
    };
    let timestamp = unix_seconds(timestamp_s);
    let account_id = request.account_id.or(checked.settings.account_id);
    let prepared =
        prepare_request(&request, &checked, timestamp, nonce).map_err(|m| Box::new(ErrorInfo::config(m)))?;
    Ok(ok_with_account(&prepared, account_id))
}

/// `{ ok: true, prepared, accountId }`: the account id comes back so the
/// resend request built from the answer names the same account.
pub(crate) fn ok_with_account(prepared: &crate::prepare::Prepared, account_id: Option<u64>) -> String {
    let mut out = String::with_capacity(prepared.body.len() + 512);
    let mut o = ObjectWriter::new(&mut out);
    o.field("ok", &true).field("prepared", prepared).field("accountId", &account_id);
    o.end();
    out
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
    json::to_string(&outcome::interpret(&reply))
}

/// Interprets a failed fetch, as classified by the transport.
pub fn transport_failure(kind: &str, detail: &str, timeout_ms: f64) -> String {
    let failure = TransportFailure::from_name(kind).unwrap_or(TransportFailure::Broken);
    let timeout = if timeout_ms.is_finite() && timeout_ms > 0.0 { timeout_ms as u64 } else { 0 };
    json::to_string(&outcome::transport_failure(failure, detail, timeout))
}

/// Delay before the next retry in ms, or -1 for "do not retry".
pub fn retry_delay(retries_done: u32, max_retries: u32, retry_after_ms: f64, jitter: f64) -> f64 {
    let after = (retry_after_ms.is_finite() && retry_after_ms >= 0.0).then_some(retry_after_ms as u64);
    retry_delay_ms(retries_done, max_retries, after, jitter).map_or(-1.0, |ms| ms as f64)
}

/// `signPayload`: `{ ok: true, signature }` or `{ ok: false, error }`.
pub fn sign(payload_json: &str, private_key: &str) -> String {
    if private_key.is_empty() {
        return failed(&ErrorInfo::config("privateKey must be a non-empty string".into()));
    }
    match json::parse(payload_json) {
        #[cfg(feature = "signing")]
        Ok(value) => ok("signature", &crate::sign::sign(&value, private_key)),
        #[cfg(not(feature = "signing"))]
        Ok(_) => failed(&ErrorInfo::config(crate::prepare::NO_SIGNING.into())),
        Err(e) => failed(&ErrorInfo::validation(one_issue(
            "",
            IssueCode::InvalidJson,
            format!("the payload is not valid JSON: {e}"),
        ))),
    }
}

/// `previewMessage`: `{ ok: true, preview }`, or `{ ok: false, error }` when
/// `params` is not an array of strings.
pub fn preview_message(template: &str, params_json: &str) -> String {
    let params: Option<Vec<String>> = match json::parse(params_json) {
        Ok(Value::Null) => Some(Vec::new()),
        Ok(Value::Array(items)) => items.into_iter().map(|p| p.as_str().map(str::to_string)).collect(),
        _ => None,
    };
    match params {
        Some(params) => ok("preview", &preview(template, &params)),
        None => failed(&ErrorInfo::validation(one_issue(
            "params",
            IssueCode::WrongType,
            "params must be an array of strings".into(),
        ))),
    }
}
