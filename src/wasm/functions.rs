//! The stand-alone functions: validation, signing, preview.

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

/// Test builds only: a panic inside an async call, after a timer (the poll
/// then runs from a microtask, not from a call the guard wraps).
#[cfg(feature = "panic-hook-test")]
#[wasm_bindgen(js_name = forcePanicLater)]
#[allow(clippy::panic)]
pub fn force_panic_later() -> js_sys::Promise {
    wasm_bindgen_futures::future_to_promise(async {
        let _ = super::net::timer::sleep(10.0, None).await;
        panic!("forced inside an async call by the panic-safety test");
    })
}
