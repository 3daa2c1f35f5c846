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

pub struct Call<'a> {
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

/// Starts the fetch, or returns what was thrown synchronously.
pub fn start(transport: &Transport, call: &Call) -> Result<Started, JsValue> {
    let (result, request) = match &transport.fetch {
        Some(custom) => {
            (custom.call2(&JsValue::UNDEFINED, &call.url.into(), &plain_init(call)?.into())?, None)
        }
        None => {
            let headers = Headers::new();
            for (name, value) in call.headers {
                headers.set(name, value);
            }
            let request: web_sys::Request = Request::post(call.url)
                .headers(headers)
                .abort_signal(Some(call.signal))
                .body(call.body)
                .map_err(|e| JsValue::from(js_sys::Error::new(&e.to_string())))?
                .into();
            let fetch =
                global_fetch().ok_or_else(|| js_sys::Error::new("this runtime has no global fetch"))?;
            (fetch.call1(&js_sys::global(), &request)?, Some(request))
        }
    };
    Ok(Started { promise: Promise::resolve(&result), _request: request })
}

fn plain_init(call: &Call) -> Result<Object, JsValue> {
    let init = Object::new();
    Reflect::set(&init, &"method".into(), &"POST".into())?;
    Reflect::set(&init, &"headers".into(), &super::super::convert::to_js(call.headers))?;
    Reflect::set(&init, &"body".into(), &call.body.into())?;
    Reflect::set(&init, &"signal".into(), call.signal)?;
    Ok(init)
}

/// A fetch result we can read: an object with a numeric `status` and a
/// `headers` object with `get` (a custom fetch may resolve to anything).
pub fn readable_response(value: &JsValue) -> Option<(u16, JsValue)> {
    let status = get(value, "status").as_f64().filter(|s| s.fract() == 0.0 && (0.0..=999.0).contains(s))?;
    let headers = get(value, "headers");
    get(&headers, "get").is_function().then_some((status as u16, headers))
}
