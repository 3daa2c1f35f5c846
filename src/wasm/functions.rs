//! The stand-alone functions: validation, signing, preview, and the reply
//! interpretation and retry rule the JS transport asks for.

use super::convert::{answer, any, slot, to_js};
use crate::ops;
use wasm_bindgen::prelude::*;

/// `validateBatch`: never throws; every problem is an issue.
#[wasm_bindgen(js_name = validateBatch)]
pub fn validate_batch(request: JsValue, options: JsValue) -> JsValue {
    to_js(&ops::validate_batch(slot(request), &any(options)))
}

/// `signPayload`: the X-Signature of any payload.
#[wasm_bindgen(js_name = signPayload)]
pub fn sign_payload(payload: JsValue, private_key: JsValue) -> Result<String, JsValue> {
    let key = private_key.as_string().unwrap_or_default();
    ops::sign(&any(payload), &key).map_err(|e| super::convert::error(&e))
}

/// `previewMessage`: the rendered text and its SMS parts.
#[wasm_bindgen(js_name = previewMessage)]
pub fn preview_message(template: JsValue, params: JsValue) -> Result<JsValue, JsValue> {
    answer(ops::preview_message(&any(template), &any(params)))
}

/// Interprets one HTTP reply: `{ kind: "result", result }` or
/// `{ kind: "error", error, retryable }`.
#[wasm_bindgen(js_name = interpretReply)]
pub fn interpret_reply(
    status: u16,
    body: &str,
    request_id: Option<String>,
    retry_after: Option<String>,
    now_ms: f64,
    account_id: Option<f64>,
) -> JsValue {
    let account_id = account_id.filter(|id| id.is_finite() && *id >= 1.0).map(|id| id as u64);
    to_js(&ops::interpret(status, body, request_id.as_deref(), retry_after.as_deref(), now_ms, account_id))
}

/// Interprets a failed fetch, as the transport classified it.
#[wasm_bindgen(js_name = transportFailure)]
pub fn transport_failure(kind: &str, detail: &str, timeout_ms: f64) -> JsValue {
    to_js(&ops::transport_failure(kind, detail, timeout_ms))
}

/// Delay before the next retry in ms, or -1 for "do not retry".
#[wasm_bindgen(js_name = retryDelay)]
pub fn retry_delay(retries_done: u32, max_retries: u32, retry_after_ms: f64, jitter: f64) -> f64 {
    ops::retry_delay(retries_done, max_retries, retry_after_ms, jitter)
}

/// Wasm linear memory in bytes, for the memory benchmarks and leak tests.
#[wasm_bindgen(js_name = memoryBytes)]
pub fn memory_bytes() -> f64 {
    (core::arch::wasm32::memory_size(0) * 65536) as f64
}

/// Test builds only: lets the package tests prove that a panic leaves the
/// package usable (the instance is re-created) and surfaces as an error.
#[cfg(feature = "panic-hook-test")]
#[wasm_bindgen(js_name = forcePanic)]
#[allow(clippy::panic)]
pub fn force_panic() {
    panic!("forced by the panic-safety test");
}
