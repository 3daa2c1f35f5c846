//! The operations over JSON text, for native callers: the Rust tests, the
//! property tests and the fuzzers read and write JSON through serde_json
//! here and reach exactly the code the wasm build runs (see [`crate::ops`]).
//! Answers keep the package's shapes: `{ ok: true, ... }` or
//! `{ ok: false, error }`.

use crate::ops;
use crate::outcome::ErrorInfo;
use crate::read::{from_json, Any, RawRequest, Slot};
use serde::Serialize;
use serde_json::{json, Value};

fn to_text(value: &impl Serialize) -> String {
    serde_json::to_string(value).unwrap_or_default()
}

fn failed(error: &ErrorInfo) -> String {
    to_text(&json!({ "ok": false, "error": error }))
}

fn answer<T: Serialize>(key: &str, result: Result<T, ErrorInfo>) -> String {
    match result {
        Ok(value) => {
            let mut object = serde_json::Map::new();
            object.insert("ok".into(), Value::Bool(true));
            object.insert(key.into(), serde_json::to_value(value).unwrap_or(Value::Null));
            to_text(&object)
        }
        Err(e) => failed(&e),
    }
}

/// Options text; an empty string stands for `{}`.
fn options(text: &str) -> Any {
    if text.trim().is_empty() {
        return Any::Object(Vec::new());
    }
    Any::from_json(text).unwrap_or_else(Any::Unreadable)
}

pub fn request(text: &str) -> Slot<RawRequest> {
    from_json(text)
}

/// `validateBatch`: `{ ok, errors, errorCount, warnings, warningCount, normalized }`.
pub fn validate(request_json: &str, options_json: &str) -> String {
    to_text(&ops::validate_batch(request(request_json), &options(options_json)))
}

/// `new Client(options)`: `{ ok: true, settings }` or `{ ok: false, error }`.
pub fn client_options(config_json: &str) -> String {
    answer("settings", ops::client(&options(config_json)).map(|c| c.settings))
}

/// `prepare`: `{ ok: true, prepared, accountId }` or `{ ok: false, error }`.
pub fn prepare(request_json: &str, config_json: &str, timestamp_s: f64, nonce: &str) -> String {
    let result = ops::client(&options(config_json))
        .and_then(|checked| ops::prepare(request(request_json), &checked, timestamp_s, nonce, None));
    match result {
        Ok(call) => to_text(&json!({ "ok": true, "prepared": call.prepared, "accountId": call.account_id })),
        Err(e) => failed(&e),
    }
}

/// Interprets an HTTP reply: the outcome `{ kind, result | error, retryable }`.
pub fn interpret(
    status: u16,
    body: &str,
    request_id: Option<&str>,
    retry_after: Option<&str>,
    now_ms: f64,
    account_id: Option<u64>,
) -> String {
    let raw = ops::RawReply { status, body, request_id, retry_after, now_ms, account_id, sent: None };
    to_text(&ops::interpret(&raw))
}

pub fn transport_failure(kind: &str, detail: &str, timeout_ms: f64) -> String {
    to_text(&ops::transport_failure(kind, detail, timeout_ms))
}

/// `signPayload`: `{ ok: true, signature }` or `{ ok: false, error }`.
pub fn sign(payload_json: &str, private_key: &str) -> String {
    let payload = match Any::from_json(payload_json) {
        Ok(payload) => payload,
        Err(e) => Any::Unreadable(format!("the payload is not valid JSON: {e}")),
    };
    answer("signature", ops::sign(&payload, private_key))
}

/// `previewMessage`: `{ ok: true, preview }` or `{ ok: false, error }`.
pub fn preview_message(template: &str, params_json: &str) -> String {
    let params = Any::from_json(params_json).unwrap_or_else(Any::Unreadable);
    answer("preview", ops::preview_message(&Any::String(template.to_string()), &params))
}

/// `planBulk`: `{ ok: true, plan }` or `{ ok: false, error }`.
pub fn plan_bulk(request_json: &str, config_json: &str, options_json: &str) -> String {
    let result = ops::client(&options(config_json)).and_then(|checked| {
        crate::bulk::session::plan_bulk(request(request_json), &checked, &options(options_json))
    });
    answer("plan", result)
}
