//! A JS string's UTF-8 bytes, written by the engine's `TextEncoder` straight
//! into the wasm memory.
//!
//! wasm-bindgen copies a string in by a JS loop over its characters, and
//! `TextEncoder.encode` first makes a buffer of its own outside the wasm:
//! for a 100,000-number request (7 MB of JSON) that buffer was a 7 MB
//! `malloc` per job, which raised glibc's thresholds for the rest of the
//! process (it then kept freed memory; see the README's Memory figures).
//! `encodeInto` a view of the vector that will hold the bytes has neither.

use js_sys::{JsString, Uint8Array};
use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    /// The engine's `TextEncoder`, bound here for `encodeInto` with a JS
    /// string as the source: web-sys 0.3 binds only `encode`, from a Rust
    /// `&str`, which would be copied in first (the very copy this avoids).
    #[wasm_bindgen(js_name = TextEncoder)]
    type TextEncoder;
    #[wasm_bindgen(constructor, js_class = "TextEncoder", catch)]
    fn new() -> Result<TextEncoder, JsValue>;
    #[wasm_bindgen(method, js_class = "TextEncoder", js_name = encodeInto)]
    fn encode_into(this: &TextEncoder, source: &JsString, destination: &Uint8Array) -> EncodeIntoResult;

    /// What `encodeInto` answers: UTF-16 units read, bytes written.
    type EncodeIntoResult;
    #[wasm_bindgen(method, getter)]
    fn read(this: &EncodeIntoResult) -> f64;
    #[wasm_bindgen(method, getter)]
    fn written(this: &EncodeIntoResult) -> f64;
}

thread_local! {
    static ENCODER: Option<TextEncoder> = TextEncoder::new().ok();
}

/// The UTF-8 bytes of `text`; `None` if the memory for them cannot be had
/// or the engine has no `TextEncoder` (the caller then reads the value
/// another way).
pub fn utf8_bytes(text: &JsString) -> Option<Vec<u8>> {
    ENCODER.with(|encoder| encode(encoder.as_ref()?, text))
}

fn encode(encoder: &TextEncoder, text: &JsString) -> Option<Vec<u8>> {
    let units = text.length() as usize;
    // One byte per UTF-16 unit holds ASCII, which JSON text mostly is; what
    // does not fit is encoded in a second pass with room for the worst case
    // (three bytes a unit), so two passes always suffice.
    let mut bytes: Vec<u8> = Vec::new();
    bytes.try_reserve_exact(units).ok()?;
    let read = encode_at_end(encoder, text, &mut bytes)?;
    if read < units {
        bytes.try_reserve_exact((units - read) * 3).ok()?;
        let rest = text.slice(read as u32, units as u32);
        if read + encode_at_end(encoder, &rest, &mut bytes)? < units {
            return None; // not what encodeInto promises: read the value another way
        }
    }
    Some(bytes)
}

/// Encodes as much of `text` as fits into the spare capacity of `bytes`,
/// appending it; returns how many UTF-16 units were read.
fn encode_at_end(encoder: &TextEncoder, text: &JsString, bytes: &mut Vec<u8>) -> Option<usize> {
    let filled = bytes.len();
    let spare = bytes.capacity() - filled;
    // SAFETY: the view covers the vector's spare capacity and lives only for
    // the `encodeInto` call below, during which nothing in the wasm runs (so
    // nothing can allocate, move the vector or grow the memory).
    let view = unsafe { Uint8Array::view_mut_raw(bytes.as_mut_ptr().add(filled), spare) };
    let result = encoder.encode_into(text, &view);
    let (read, written) = (result.read() as usize, result.written() as usize);
    if written > spare {
        return None;
    }
    // SAFETY: encodeInto wrote `written` bytes at the start of the spare capacity.
    unsafe { bytes.set_len(filled + written) };
    Some(read)
}
