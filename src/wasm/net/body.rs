//! Reading a body (of a response, or of a request the proxy received) up
//! to a limit, so a hostile or broken peer cannot make us buffer gigabytes.
//! Every step is a call that may throw (a custom fetch may hand back any
//! object), so each goes through js-sys with its error caught: a throw
//! here must become an outcome, never escape into the async task.

use super::js::{get, method};
use super::timer::Stop;
use crate::transport::decode_body;
use js_sys::{Promise, Uint8Array};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

/// The text of `message.body` (or `message.text()` when it has no body),
/// or `None` when it holds more than `limit` bytes. Each step is raced
/// against `stop`, when given.
pub async fn read_capped(
    message: &JsValue,
    limit: usize,
    stop: Option<&Stop>,
) -> Result<Option<String>, JsValue> {
    let awaited = |value: JsValue| async move {
        match stop {
            Some(stop) => stop.race(&value).await,
            None => JsFuture::from(Promise::resolve(&value)).await,
        }
    };
    let stream = get(message, "body");
    if stream.is_null() || stream.is_undefined() {
        let text = awaited(method(message, "text", &[])?).await?;
        return Ok(Some(text.as_string().unwrap_or_default()));
    }
    let reader = method(&stream, "getReader", &[])?;
    let mut bytes = Vec::new();
    loop {
        let chunk = awaited(method(&reader, "read", &[])?).await?;
        if get(&chunk, "done").is_truthy() {
            break;
        }
        let value = get(&chunk, "value");
        let Some(value) = value.dyn_ref::<Uint8Array>() else {
            return Err(js_sys::Error::new("the body stream gave something other than bytes").into());
        };
        let size = value.length() as usize;
        if bytes.len() + size > limit {
            // Not read further; whatever the peer still sends is dropped.
            if let Ok(cancelled) = method(&reader, "cancel", &[]) {
                let _ = awaited(cancelled).await;
            }
            return Ok(None);
        }
        let start = bytes.len();
        bytes.resize(start + size, 0);
        if let Some(tail) = bytes.get_mut(start..) {
            value.copy_to(tail);
        }
    }
    Ok(Some(decode_body(&bytes)))
}
