//! The client's core: the options, checked once when the client is made,
//! the transport it sends with, and the operations that need them.

use super::bulk::run_bulk;
use super::convert::{any, error, slot, to_js};
use super::net::js::{nonce, now_s};
use super::net::send::CallOptions;
use super::net::Transport;
use super::options::{function, signal, take};
use crate::bulk::session::{plan_bulk, BulkSession};
use crate::ops;
use crate::outcome::ErrorInfo;
use crate::reads::ReadAction;
use crate::transport::call::SendCall;
use js_sys::Promise;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::future_to_promise;

impl ClientCore {
    #[cfg(feature = "signing")]
    fn read(&self, action: ReadAction, ids: JsValue, options: JsValue) -> Promise {
        future_to_promise(super::reads::run_reads(self.transport.clone(), action, ids, options))
    }

    /// The browser build talks to the signing proxy, which does not offer
    /// the reads yet; saying so costs the page no transport code.
    #[cfg(not(feature = "signing"))]
    fn read(&self, action: ReadAction, _: JsValue, _: JsValue) -> Promise {
        let message = format!(
            "{} is not available in the browser build yet (the signing proxy does not offer it): call it on the server",
            action.name()
        );
        Promise::reject(&error(&ErrorInfo::config(message)))
    }
}

#[wasm_bindgen]
pub struct ClientCore {
    transport: Rc<Transport>,
}

/// A transport from client options: the data checked by the core, the
/// function options (`fetch`, `onRequest`, `onResponse`) kept as they are.
pub(crate) fn transport_from(options: &JsValue) -> Result<Transport, ErrorInfo> {
    let (data, taken) = take(options, &["fetch", "onRequest", "onResponse"]);
    let [fetch, on_request, on_response] =
        [0, 1, 2].map(|i| taken.get(i).cloned().unwrap_or(JsValue::UNDEFINED));
    let fetch = function(&fetch, "fetch")?;
    let on_request = function(&on_request, "onRequest")?;
    let on_response = function(&on_response, "onResponse")?;
    let checked = ops::client(&any(data))?;
    Ok(Transport { checked, fetch, on_request, on_response })
}

/// A bulk call's options: the data for the core, then the signal and
/// `onProgress`.
type BulkOptions = (JsValue, Option<web_sys::AbortSignal>, Option<js_sys::Function>);

fn bulk_options(options: &JsValue) -> Result<BulkOptions, ErrorInfo> {
    let (data, taken) = take(options, &["signal", "onProgress"]);
    let signal = signal(taken.first().unwrap_or(&JsValue::UNDEFINED))?;
    let on_progress = function(taken.get(1).unwrap_or(&JsValue::UNDEFINED), "onProgress")?;
    Ok((data, signal, on_progress))
}

#[wasm_bindgen]
impl ClientCore {
    /// Checks the options; a bad one throws a CONFIG error now.
    #[wasm_bindgen(constructor)]
    pub fn new(options: JsValue) -> Result<ClientCore, JsValue> {
        transport_from(&options).map(|t| ClientCore { transport: Rc::new(t) }).map_err(|e| error(&e))
    }

    /// What is safe to show: the settings, never the private key.
    pub fn settings(&self) -> JsValue {
        to_js(&self.transport.checked.settings)
    }

    /// Validated, normalised and signed (or shaped for the proxy), not sent.
    pub fn prepare(&self, request: JsValue) -> Result<JsValue, JsValue> {
        let nonce = nonce()?;
        let call = ops::prepare(slot(request), &self.transport.checked, now_s() as f64, &nonce, None);
        call.map(|c| to_js(&c.prepared)).map_err(|e| error(&e))
    }

    /// Exactly one API call: a promise of the `SendResult`.
    #[wasm_bindgen(js_name = sendBatch)]
    pub fn send_batch(&self, request: JsValue, options: JsValue) -> Promise {
        let transport = self.transport.clone();
        future_to_promise(async move {
            let (data, taken) = take(&options, &["signal"]);
            let signal = signal(taken.first().unwrap_or(&JsValue::UNDEFINED)).map_err(|e| error(&e))?;
            let timeout = ops::send_options(&any(data)).map_err(|e| error(&e))?;
            let nonce = nonce()?;
            let call = ops::prepare(slot(request), &transport.checked, now_s() as f64, &nonce, None)
                .map_err(|e| error(&e))?;
            let options = CallOptions {
                signal,
                timeout_ms: timeout.unwrap_or(transport.checked.settings.timeout_ms),
                relay: None,
            };
            let judge = SendCall { account_id: call.account_id, sent: Some(&call.request) };
            match transport.send(&call.prepared, &options, &judge).await {
                Ok(result) => Ok(to_js(&result)),
                Err(e) => Err(e.into_js()),
            }
        })
    }

    /// `planBulk`: chunks and counts; nothing is sent.
    #[wasm_bindgen(js_name = planBulk)]
    pub fn plan_bulk(&self, request: JsValue, options: JsValue) -> Result<JsValue, JsValue> {
        let (data, _, _) = bulk_options(&options).map_err(|e| error(&e))?;
        super::convert::answer(plan_bulk(slot(request), &self.transport.checked, &any(data)))
    }

    /// Delivery receipts for any number of SessionNos (100 per call).
    #[wasm_bindgen(js_name = getReceipts)]
    pub fn get_receipts(&self, session_nos: JsValue, options: JsValue) -> Promise {
        self.read(ReadAction::Receipts, session_nos, options)
    }

    /// Templates as uSpeedo has them, for any number of ids.
    #[wasm_bindgen(js_name = getTemplates)]
    pub fn get_templates(&self, template_ids: JsValue, options: JsValue) -> Promise {
        self.read(ReadAction::Templates, template_ids, options)
    }

    /// Any number of recipients: a promise of the report, which accounts
    /// for every number, also when aborted.
    #[wasm_bindgen(js_name = sendBulk)]
    pub fn send_bulk(&self, request: JsValue, options: JsValue) -> Promise {
        let transport = self.transport.clone();
        future_to_promise(async move {
            let (data, signal, on_progress) = bulk_options(&options).map_err(|e| error(&e))?;
            let session =
                BulkSession::create(slot(request), &transport.checked, &any(data)).map_err(|e| error(&e))?;
            run_bulk(transport, session, signal, on_progress).await
        })
    }
}
