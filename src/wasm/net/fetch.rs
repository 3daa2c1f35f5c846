//! Calling fetch. The request is built with gloo-net's `RequestBuilder`;
//! fetch itself is called through js-sys because gloo-net's `send` turns
//! the rejection into a message and drops `cause`, where Node says whether
//! the connection was refused (provably not sent) or reset (maybe sent). A
//! caller's own `fetch` is called as `fetch(url, init)` with plain objects,
//! as the README documents.

use super::js::{get, global_fetch};
use super::Transport;
use crate::text::StringMap;
use gloo_net::http::{Headers, Request};
use js_sys::{Object, Promise, Reflect};
use wasm_bindgen::prelude::*;
use web_sys::AbortSignal;

pub struct FetchCall<'a> {
    pub url: &'a str,
    pub headers: &'a StringMap,
    pub body: &'a str,
    pub signal: &'a AbortSignal,
}

/// A fetch in flight.
pub struct Started {
    pub promise: Promise,
    /// Held until the attempt ends: Node's fetch follows our signal from the
    /// `Request` through a weak reference, so once the `Request` is garbage
    /// collected an abort (our timeout) no longer reaches the fetch, and a
    /// server that never answers would hang the call forever.
    pub _request: Option<web_sys::Request>,
}

/// Why a fetch did not start.
pub enum Start {
    /// The request could not be made: nothing was sent.
    NotBuilt(String),
    /// A custom fetch threw synchronously: what it did first is unknown.
    Threw(JsValue),
}

/// Starts the fetch.
pub fn start(transport: &Transport, call: &FetchCall) -> Result<Started, Start> {
    let (result, request) = match &transport.fetch {
        Some(custom) => {
            let init = plain_init(call).map_err(|e| Start::NotBuilt(super::js::shown(&e)))?;
            (custom.call2(&JsValue::UNDEFINED, &call.url.into(), &init.into()).map_err(Start::Threw)?, None)
        }
        None => {
            // Names and values were checked with the options (tokens, ASCII).
            let headers = Headers::new();
            for (name, value) in call.headers {
                headers.set(name, value);
            }
            let request: web_sys::Request = Request::post(call.url)
                .headers(headers)
                .abort_signal(Some(call.signal))
                // Never re-posted elsewhere: a 3xx is an answer (see outcome).
                .redirect(web_sys::RequestRedirect::Manual)
                .body(call.body)
                .map_err(|e| Start::NotBuilt(e.to_string()))?
                .into();
            let fetch =
                global_fetch().ok_or_else(|| Start::NotBuilt("this runtime has no global fetch".into()))?;
            (fetch.call1(&js_sys::global(), &request).map_err(Start::Threw)?, Some(request))
        }
    };
    Ok(Started { promise: Promise::resolve(&result), _request: request })
}

fn plain_init(call: &FetchCall) -> Result<Object, JsValue> {
    let init = Object::new();
    Reflect::set(&init, &"method".into(), &"POST".into())?;
    Reflect::set(&init, &"headers".into(), &super::super::convert::to_js(call.headers))?;
    Reflect::set(&init, &"body".into(), &call.body.into())?;
    Reflect::set(&init, &"signal".into(), call.signal)?;
    Reflect::set(&init, &"redirect".into(), &"manual".into())?;
    Ok(init)
}

/// A fetch result we can read: an object with a numeric `status` and a
/// `headers` object with `get` (a custom fetch may resolve to anything).
pub fn readable_response(value: &JsValue) -> Option<(u16, JsValue)> {
    let status = get(value, "status").as_f64().filter(|s| s.fract() == 0.0 && (0.0..=999.0).contains(s))?;
    let headers = get(value, "headers");
    get(&headers, "get").is_function().then_some((status as u16, headers))
}
