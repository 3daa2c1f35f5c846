//! A bulk job between chunks; the JS loop must call `free()` when done.

use super::convert::{answer, any, to_js};
use crate::api_bulk::BulkSession;
use wasm_bindgen::prelude::*;

#[wasm_bindgen]
pub struct BulkJob(pub(crate) BulkSession);

#[wasm_bindgen]
impl BulkJob {
    /// The checked loop settings (concurrency, rate, deadline, resendUnknown).
    pub fn settings(&self) -> JsValue {
        to_js(&self.0.settings())
    }

    #[wasm_bindgen(js_name = chunkCount)]
    pub fn chunk_count(&self) -> usize {
        self.0.chunk_count()
    }

    /// `{ prepared, accountId }` for chunk `index`.
    #[wasm_bindgen(js_name = prepareChunk)]
    pub fn prepare_chunk(&self, index: usize, timestamp_s: f64, nonce: &str) -> Result<JsValue, JsValue> {
        answer(self.0.prepare_chunk(index, timestamp_s, nonce))
    }

    /// Records a chunk's result; throws when it cannot be accounted for.
    #[wasm_bindgen(js_name = recordResult)]
    pub fn record_result(&mut self, index: usize, result: JsValue) -> Result<(), JsValue> {
        self.0.record_result(index, &any(result)).map_err(|why| {
            let message = format!("uspeedo-sms: could not record chunk {index}: {why}");
            super::convert::error(&crate::outcome::ErrorInfo::new(
                crate::outcome::ErrorCode::Internal,
                crate::outcome::Delivery::Unknown,
                message,
            ))
        })
    }

    /// Records a chunk's final error; whether the job must stop.
    #[wasm_bindgen(js_name = recordError)]
    pub fn record_error(&mut self, index: usize, error: JsValue) -> bool {
        self.0.record_error(index, &any(error)).unwrap_or(false)
    }

    #[wasm_bindgen(js_name = recordNotAttempted)]
    pub fn record_not_attempted(&mut self, index: usize, why: &str) {
        self.0.record_not_attempted(index, why)
    }

    pub fn progress(&self) -> JsValue {
        to_js(&self.0.progress())
    }

    pub fn report(&self, include_unknown: bool) -> JsValue {
        to_js(&self.0.report(include_unknown))
    }
}
