//! The client's core: the options, checked once when the client is made,
//! the transport it sends with, and the operations that need them.

use super::bulk::run_bulk;
use super::convert::{any, error, slot, to_js};
use super::net::js::{nonce, now_s};
use super::net::send::CallOptions;
use super::net::Transport;
use super::options::{function, signal, take, with_progress};
use super::templates::{learn_templates, Current};
use crate::bulk::session::{plan_bulk, BulkSession};
use crate::error_info::{Delivery, ErrorCode};
use crate::ops;
use crate::options::bulk::bulk_options;
use crate::outcome::ErrorInfo;
use crate::read::Any;
use crate::reads::templates::TemplateBook;
use crate::reads::ReadAction;
use crate::transport::call::SendCall;
use js_sys::Promise;
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::future_to_promise;

#[wasm_bindgen]
pub struct ClientCore {
    /// Replaced (never changed in place) when templates are learnt, so a
    /// call in flight keeps the options it started with.
    current: Current,
}

/// A transport from client options: the data checked by the core, the
/// function options (`fetch`, `onRequest`, `onResponse`) kept as they are.
pub(crate) fn transport_from(options: &JsValue) -> Result<Transport, ErrorInfo> {
    let (data, [fetch, on_request, on_response]) = take(options, ["fetch", "onRequest", "onResponse"]);
    let fetch = function(&fetch, "fetch")?;
    let on_request = function(&on_request, "onRequest")?;
    let on_response = function(&on_response, "onResponse")?;
    let checked = ops::client(&any(data))?;
    Ok(Transport { checked, fetch, on_request, on_response })
}

/// A call's options: `{ signal?, timeoutMs?, checkTemplates? }`.
fn call_options(
    options: &JsValue,
) -> Result<(crate::options::send::SendOptions, Option<web_sys::AbortSignal>), ErrorInfo> {
    let (data, [signal_value]) = take(options, ["signal"]);
    Ok((ops::send_options(&any(data))?, signal(&signal_value)?))
}

/// The transport to validate `request` with: the current one, after
/// learning the request's templates from uSpeedo when asked to.
async fn transport_for(
    current: &Current,
    request: &JsValue,
    check_templates: bool,
    signal: Option<web_sys::AbortSignal>,
) -> Result<Rc<Transport>, JsValue> {
    if check_templates {
        learn_templates(current, request, signal).await?;
    }
    Ok(current.borrow().clone())
}

impl ClientCore {
    fn transport(&self) -> Rc<Transport> {
        self.current.borrow().clone()
    }
}

#[wasm_bindgen]
impl ClientCore {
    /// Checks the options; a bad one throws a CONFIG error now.
    #[wasm_bindgen(constructor)]
    pub fn new(options: JsValue) -> Result<ClientCore, JsValue> {
        let transport = transport_from(&options).map_err(|e| error(&e))?;
        Ok(ClientCore { current: Rc::new(RefCell::new(Rc::new(transport))) })
    }

    /// What this client learnt about templates (`loadTemplates`,
    /// `checkTemplates`), for a fresh instance: see `relearn`.
    pub fn learnt(&self) -> JsValue {
        to_js(&self.transport().checked.book.to_parts())
    }

    /// Takes what a client made from the same options learnt in an instance
    /// the package replaced to give its memory back (pkg/src/wasm.js).
    pub fn relearn(&self, learnt: JsValue) -> Result<(), JsValue> {
        // Read as any other input (its wasm-bindgen Vec<String> glue cost the
        // browser build more than the whole feature).
        let parts: Option<Vec<String>> = match any(learnt) {
            Any::Array(items) => {
                items.into_iter().map(|i| if let Any::String(s) = i { Some(s) } else { None }).collect()
            }
            _ => None,
        };
        let Some(book) = parts.as_deref().and_then(TemplateBook::from_parts) else {
            let message = "templates carried into a fresh instance could not be read".to_string();
            return Err(error(&ErrorInfo::new(ErrorCode::Internal, Delivery::NotSent, message)));
        };
        let mut next = Transport::clone(&self.current.borrow());
        next.checked.book = book;
        *self.current.borrow_mut() = Rc::new(next);
        Ok(())
    }

    /// What is safe to show: the settings, never the private key.
    pub fn settings(&self) -> JsValue {
        to_js(&self.transport().checked.settings)
    }

    /// Validated, normalised and signed (or shaped for the proxy), not sent.
    pub fn prepare(&self, request: JsValue, options: JsValue) -> Promise {
        let current = self.current.clone();
        future_to_promise(async move {
            let (options, signal) = call_options(&options).map_err(|e| error(&e))?;
            let transport = transport_for(&current, &request, options.check_templates, signal).await?;
            let nonce = nonce()?;
            let call = ops::prepare(slot(request), &transport.checked, now_s() as f64, &nonce, None);
            call.map(|c| prepared_to_js(&c.prepared)).map_err(|e| error(&e))
        })
    }

    /// Exactly one API call: a promise of the `SendResult`.
    #[wasm_bindgen(js_name = sendBatch)]
    pub fn send_batch(&self, request: JsValue, options: JsValue) -> Promise {
        let current = self.current.clone();
        future_to_promise(async move {
            let (options, signal) = call_options(&options).map_err(|e| error(&e))?;
            let transport =
                transport_for(&current, &request, options.check_templates, signal.clone()).await?;
            let nonce = nonce()?;
            let call = ops::prepare(slot(request), &transport.checked, now_s() as f64, &nonce, None)
                .map_err(|e| error(&e))?;
            let timeout_ms = options.timeout_ms.unwrap_or(transport.checked.settings.timeout_ms);
            let call_options = CallOptions { signal, timeout_ms, relay: None };
            let judge = SendCall { account_id: call.account_id, sent: Some(&call.request) };
            match transport.send(&call.prepared, &call_options, &judge).await {
                Ok(result) => Ok(to_js(&result)),
                Err(e) => Err(e.into_js()),
            }
        })
    }

    /// `planBulk`: chunks and counts; nothing is sent. Synchronous, so it
    /// validates against the templates already loaded only.
    #[wasm_bindgen(js_name = planBulk)]
    pub fn plan_bulk(&self, request: JsValue, options: JsValue) -> Result<JsValue, JsValue> {
        let (data, _, _) = with_progress(&options).map_err(|e| error(&e))?;
        let data = any(data);
        if data.get("checkTemplates").is_some_and(|v| !v.is_null()) {
            let message = "planBulk is synchronous and cannot load templates: call loadTemplates first";
            return Err(error(&ErrorInfo::config(message.into())));
        }
        super::convert::answer(plan_bulk(slot(request), &self.transport().checked, &data))
    }

    /// Any number of recipients: a promise of the report, which accounts
    /// for every number, also when aborted.
    #[wasm_bindgen(js_name = sendBulk)]
    pub fn send_bulk(&self, request: JsValue, options: JsValue) -> Promise {
        let current = self.current.clone();
        future_to_promise(async move {
            let (data, signal, on_progress) = with_progress(&options).map_err(|e| error(&e))?;
            let parsed = bulk_options(&any(data)).map_err(|m| error(&ErrorInfo::config(m)))?;
            let transport =
                transport_for(&current, &request, parsed.1.check_templates, signal.clone()).await?;
            let session =
                BulkSession::create(slot(request), &transport.checked, parsed).map_err(|e| error(&e))?;
            run_bulk(transport, session, signal, on_progress).await
        })
    }

    /// Delivery receipts for any number of SessionNos (100 per call).
    #[wasm_bindgen(js_name = getReceipts)]
    pub fn get_receipts(&self, session_nos: JsValue, options: JsValue) -> Promise {
        super::templates::read(self.transport(), ReadAction::Receipts, session_nos, options)
    }

    /// Templates as uSpeedo has them, for any number of ids.
    #[wasm_bindgen(js_name = getTemplates)]
    pub fn get_templates(&self, template_ids: JsValue, options: JsValue) -> Promise {
        super::templates::read(self.transport(), ReadAction::Templates, template_ids, options)
    }

    /// Polls receipts for a send's numbers until each has a final status.
    #[wasm_bindgen(js_name = trackDelivery)]
    pub fn track_delivery(&self, input: JsValue, options: JsValue) -> Promise {
        super::templates::track(self.transport(), input, options)
    }

    /// Fetches templates once and keeps them on the client: later
    /// validations use their texts and refuse templates that are not
    /// approved or unknown. Without ids, refreshes the ones already loaded.
    #[wasm_bindgen(js_name = loadTemplates)]
    pub fn load_templates(&self, template_ids: JsValue, options: JsValue) -> Promise {
        super::templates::load(self.current.clone(), template_ids, options)
    }
}

/// `prepare()`'s answer. The body is JSON text already: it goes over as a
/// string of its own instead of being escaped into the answer's JSON and
/// read back (measured 10 % of a 1,000-number `prepare`).
fn prepared_to_js(prepared: &crate::prepare::Prepared) -> JsValue {
    #[derive(serde::Serialize)]
    struct Head<'a> {
        url: &'a str,
        method: &'a str,
        headers: &'a crate::text::StringMap,
    }
    let crate::prepare::Prepared { url, method, headers, body } = prepared;
    let out = to_js(&Head { url, method, headers });
    let _ = js_sys::Reflect::set(&out, &JsValue::from_str("body"), &JsValue::from_str(body));
    out
}
