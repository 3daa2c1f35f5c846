//! The client's core: the options, checked once when the client is made,
//! and the operations that need them.

use super::bulk::BulkJob;
use super::convert::{answer, any, error, slot, to_js};
use crate::api_bulk::{plan_bulk, BulkSession};
use crate::ops;
use crate::options::Checked;
use wasm_bindgen::prelude::*;

#[wasm_bindgen]
pub struct ClientCore {
    checked: Checked,
}

#[wasm_bindgen]
impl ClientCore {
    /// Checks the data options (the JS shell keeps the functions).
    #[wasm_bindgen(constructor)]
    pub fn new(options: JsValue) -> Result<ClientCore, JsValue> {
        ops::client(&any(options)).map(|checked| ClientCore { checked }).map_err(|e| error(&e))
    }

    /// What is safe to show: the settings, never the private key.
    pub fn settings(&self) -> JsValue {
        to_js(&self.checked.settings)
    }

    /// `sendBatch`'s per-call options: this call's timeout in ms.
    #[wasm_bindgen(js_name = callTimeout)]
    pub fn call_timeout(&self, options: JsValue) -> Result<f64, JsValue> {
        let timeout = ops::send_options(&any(options)).map_err(|e| error(&e))?;
        Ok(timeout.unwrap_or(self.checked.settings.timeout_ms) as f64)
    }

    /// Validated, normalised and signed (or shaped for the proxy):
    /// `{ prepared, accountId }`.
    pub fn prepare(&self, request: JsValue, timestamp_s: f64, nonce: &str) -> Result<JsValue, JsValue> {
        answer(ops::prepare(slot(request), &self.checked, timestamp_s, nonce, None))
    }

    /// `planBulk`: chunks and counts; nothing is sent.
    #[wasm_bindgen(js_name = planBulk)]
    pub fn plan_bulk(&self, request: JsValue, options: JsValue) -> Result<JsValue, JsValue> {
        answer(plan_bulk(slot(request), &self.checked, &any(options)))
    }

    /// A bulk job over this client's options.
    #[wasm_bindgen(js_name = bulkJob)]
    pub fn bulk_job(&self, request: JsValue, options: JsValue) -> Result<BulkJob, JsValue> {
        BulkSession::create(slot(request), &self.checked, &any(options)).map(BulkJob).map_err(|e| error(&e))
    }
}
