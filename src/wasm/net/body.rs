//! Reading a body (of a response, or of a request the proxy received) up
//! to a limit, so a hostile or broken peer cannot make us buffer gigabytes.

use crate::transport::decode_body;
use js_sys::{Reflect, Uint8Array};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{ReadableStream, ReadableStreamDefaultReader};

/// The text of `stream`, or `None` when it holds more than `limit` bytes.
pub async fn read_capped(stream: ReadableStream, limit: usize) -> Result<Option<String>, JsValue> {
    let reader: ReadableStreamDefaultReader = stream.get_reader().unchecked_into();
    let mut bytes = Vec::new();
    loop {
        let chunk = JsFuture::from(reader.read()).await?;
        if Reflect::get(&chunk, &"done".into())?.is_truthy() {
            break;
        }
        let value: Uint8Array = Reflect::get(&chunk, &"value".into())?.unchecked_into();
        if bytes.len() + value.length() as usize > limit {
            // Not read further; whatever the peer still sends is dropped.
            let _ = reader.cancel();
            return Ok(None);
        }
        let start = bytes.len();
        bytes.resize(start + value.length() as usize, 0);
        if let Some(tail) = bytes.get_mut(start..) {
            value.copy_to(tail);
        }
    }
    Ok(Some(decode_body(&bytes)))
}
