//! Templates a client learns from uSpeedo (`loadTemplates`, the
//! `checkTemplates` option), and the door to the read actions (signed
//! here, or through the signing proxy in the browser build). A client's
//! transport is replaced, never changed in place, when it learns: a call in
//! flight keeps the options it started with.

use super::convert::error;
use super::net::Transport;
use crate::reads::ReadAction;
use js_sys::Promise;
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::prelude::*;

/// The client's current transport (options, template book, functions).
pub type Current = Rc<RefCell<Rc<Transport>>>;

use crate::reads::plan_ids;
use crate::wasm::convert::{any, to_js};
use crate::wasm::net::send::CallOptions;
use crate::wasm::reads::{fetch_templates, read_options, run_reads};
use wasm_bindgen_futures::future_to_promise;

pub fn track(transport: Rc<Transport>, input: JsValue, options: JsValue) -> Promise {
    future_to_promise(crate::wasm::reads::track_delivery(transport, input, options))
}

pub fn read(transport: Rc<Transport>, action: ReadAction, ids: JsValue, options: JsValue) -> Promise {
    future_to_promise(run_reads(transport, action, ids, options))
}

/// Learns the templates of `ids` this client does not know yet.
pub async fn learn(
    current: &Current,
    ids: &[String],
    options: CallOptions,
) -> Result<crate::reads::templates::TemplatesResult, JsValue> {
    let transport = current.borrow().clone();
    let result = fetch_templates(transport, ids, options).await?;
    // From the latest transport: another call may have learnt meanwhile.
    let mut next = Transport::clone(&current.borrow());
    next.checked.book.learn(&result);
    *current.borrow_mut() = Rc::new(next);
    Ok(result)
}

/// Learns the templates of `request` this client does not know yet.
pub async fn learn_templates(
    current: &Current,
    request: &JsValue,
    signal: Option<web_sys::AbortSignal>,
) -> Result<(), JsValue> {
    let ids = crate::ops::template_ids(crate::wasm::convert::slot(request.clone()));
    let transport = current.borrow().clone();
    let missing = transport.checked.book.missing(&ids);
    if missing.is_empty() {
        return Ok(());
    }
    let options = CallOptions { signal, timeout_ms: transport.checked.settings.timeout_ms, relay: None };
    learn(current, &missing, options).await.map(|_| ())
}

pub fn load(current: Current, ids: JsValue, options: JsValue) -> Promise {
    future_to_promise(async move {
        let transport = current.borrow().clone();
        let (options, _) = read_options(&transport, &options)?;
        let ids: Vec<String> = if ids.is_undefined() {
            transport.checked.book.ids()
        } else {
            plan_ids(ReadAction::Templates, &any(ids)).map_err(|e| error(&e))?.concat()
        };
        let result = learn(&current, &ids, options).await?;
        Ok(to_js(&result))
    })
}
