//! The `#[wasm_bindgen]` surface: converts and delegates to [`crate::api`],
//! decides nothing. The package's JS wraps these in `Client`,
//! `validateBatch`, `signPayload` and `previewMessage`.

#[cfg(feature = "signing")]
use crate::api_proxy;
use crate::{api, api_bulk};
use wasm_bindgen::prelude::*;

#[wasm_bindgen(js_name = validateJson)]
pub fn validate_json(request: &str, options: &str) -> String {
    api::validate(request, options)
}

#[wasm_bindgen(js_name = clientOptionsJson)]
pub fn client_options_json(config: &str) -> String {
    api::client_options(config)
}

#[wasm_bindgen(js_name = sendOptionsJson)]
pub fn send_options_json(options: &str) -> String {
    api::send_options(options)
}

#[wasm_bindgen(js_name = prepareJson)]
pub fn prepare_json(request: &str, config: &str, timestamp_s: f64, nonce: &str) -> String {
    api::prepare(request, config, timestamp_s, nonce)
}

#[wasm_bindgen(js_name = interpretReply)]
pub fn interpret_reply(
    status: u16,
    body: &str,
    request_id: Option<String>,
    retry_after: Option<String>,
    now_ms: f64,
    account_id: Option<f64>,
) -> String {
    let account_id = account_id.filter(|id| id.is_finite() && *id >= 1.0).map(|id| id as u64);
    let (request_id, retry_after) = (request_id.as_deref(), retry_after.as_deref());
    api::interpret(status, body, request_id, retry_after, now_ms, account_id)
}

#[cfg(feature = "signing")]
#[wasm_bindgen(js_name = proxyOptionsJson)]
pub fn proxy_options_json(options: &str) -> String {
    api_proxy::proxy_options(options)
}

#[cfg(feature = "signing")]
#[wasm_bindgen(js_name = proxyPrepareJson)]
pub fn proxy_prepare_json(body: &str, config: &str, options: &str, timestamp_s: f64, nonce: &str) -> String {
    api_proxy::proxy_prepare(body, config, options, timestamp_s, nonce)
}

#[cfg(feature = "signing")]
#[wasm_bindgen(js_name = proxyRejectionJson)]
pub fn proxy_rejection_json(kind: &str, detail: &str) -> String {
    api_proxy::proxy_rejection(kind, detail)
}

#[cfg(feature = "signing")]
#[wasm_bindgen(js_name = proxyUpstreamErrorJson)]
pub fn proxy_upstream_error_json(error: &str) -> String {
    api_proxy::proxy_upstream_error(error)
}

#[wasm_bindgen(js_name = transportFailure)]
pub fn transport_failure(kind: &str, detail: &str, timeout_ms: f64) -> String {
    api::transport_failure(kind, detail, timeout_ms)
}

#[wasm_bindgen(js_name = retryDelay)]
pub fn retry_delay(retries_done: u32, max_retries: u32, retry_after_ms: f64, jitter: f64) -> f64 {
    api::retry_delay(retries_done, max_retries, retry_after_ms, jitter)
}

#[wasm_bindgen(js_name = signJson)]
pub fn sign_json(payload: &str, private_key: &str) -> String {
    api::sign(payload, private_key)
}

#[wasm_bindgen(js_name = previewJson)]
pub fn preview_json(template: &str, params: &str) -> String {
    api::preview_message(template, params)
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

#[wasm_bindgen(js_name = planBulkJson)]
pub fn plan_bulk_json(request: &str, config: &str, options: &str) -> String {
    api_bulk::plan_bulk(request, config, options)
}

/// A bulk job between chunks; the JS loop must call `free()` when done.
#[wasm_bindgen]
pub struct BulkJob(api_bulk::BulkSession);

#[wasm_bindgen]
impl BulkJob {
    /// Throws the error JSON (a string) when the input cannot be planned.
    pub fn create(request: &str, config: &str, options: &str) -> Result<BulkJob, String> {
        api_bulk::BulkSession::create(request, config, options).map(BulkJob)
    }

    #[wasm_bindgen(js_name = settingsJson)]
    pub fn settings_json(&self) -> String {
        self.0.settings_json()
    }

    #[wasm_bindgen(js_name = chunkCount)]
    pub fn chunk_count(&self) -> usize {
        self.0.chunk_count()
    }

    #[wasm_bindgen(js_name = prepareChunk)]
    pub fn prepare_chunk(&self, index: usize, timestamp_s: f64, nonce: &str) -> String {
        self.0.prepare_chunk(index, timestamp_s, nonce)
    }

    /// Returns an empty string, or why the result could not be recorded.
    #[wasm_bindgen(js_name = recordResult)]
    pub fn record_result(&mut self, index: usize, result: &str) -> String {
        self.0.record_result(index, result).err().unwrap_or_default()
    }

    /// Whether the job must stop (the same error would hit every chunk).
    #[wasm_bindgen(js_name = recordError)]
    pub fn record_error(&mut self, index: usize, error: &str) -> bool {
        self.0.record_error(index, error).unwrap_or(false)
    }

    #[wasm_bindgen(js_name = recordNotAttempted)]
    pub fn record_not_attempted(&mut self, index: usize, why: &str) {
        self.0.record_not_attempted(index, why)
    }

    #[wasm_bindgen(js_name = progressJson)]
    pub fn progress_json(&self) -> String {
        self.0.progress_json()
    }

    #[wasm_bindgen(js_name = reportJson)]
    pub fn report_json(&self, include_unknown: bool) -> String {
        self.0.report_json(include_unknown)
    }
}
