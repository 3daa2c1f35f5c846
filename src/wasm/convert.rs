//! JS values in and out. Inputs are read leniently (a function or a Symbol
//! becomes a finding, not a throw); outputs are plain JSON-compatible
//! objects (no `Map`s, no keys holding `undefined`); errors are real
//! `UspeedoError`s, made here and nowhere else.

use crate::outcome::ErrorInfo;
use crate::read::{Any, Kind, Lenient, Slot};
use serde::Serialize;
use wasm_bindgen::prelude::*;

#[wasm_bindgen(raw_module = "../src/errors.js")]
extern "C" {
    /// The package's one error class (pkg/src/errors.js).
    #[wasm_bindgen(js_name = UspeedoError)]
    type UspeedoErrorClass;

    #[wasm_bindgen(constructor, js_class = "UspeedoError")]
    fn new(info: &JsValue, options: &JsValue) -> UspeedoErrorClass;
}

#[cfg(feature = "signing")]
#[wasm_bindgen(raw_module = "../src/input.js")]
extern "C" {
    /// The value as JSON text when JSON says exactly what it holds
    /// (pkg/src/input.js says when it does not).
    #[wasm_bindgen(js_name = exactJsonText)]
    fn exact_json_text(value: &JsValue) -> Option<js_sys::JsString>;
}

#[wasm_bindgen(raw_module = "../src/input.js")]
extern "C" {
    /// The value read once in JS, so reading it here throws nothing (a
    /// getter that throws becomes a Symbol at its key).
    #[wasm_bindgen(js_name = readableInput)]
    fn readable_input(value: &JsValue) -> JsValue;
}

/// A typed input, read leniently.
///
/// The server builds first take the value as JSON text and read it with
/// serde_json, which they carry anyway for bodies and replies: one string
/// across the boundary instead of a call per key and value (that crossing
/// was 62 % of a 1,000-number `prepare`; see the README's performance table),
/// its UTF-8 written into the wasm memory by the engine ([`super::utf8`]).
/// When JSON would not say exactly what the value holds, or any of the
/// text cannot be read, serde-wasm-bindgen reads the value itself, so the
/// validator sees a NaN, a function or a Symbol as it is. The browser build
/// always does: serde_json's parser would cost it 20 KB gzip.
pub fn slot<T: Lenient>(value: JsValue) -> Slot<T> {
    #[cfg(feature = "signing")]
    if let Some(slot) = exact_json_text(&value)
        .and_then(|text| super::utf8::utf8_bytes(&text))
        .and_then(|bytes| crate::read::from_exact_json(&bytes))
    {
        return slot;
    }
    serde_wasm_bindgen::from_value(readable_input(&value))
        .unwrap_or_else(|_| Slot::wrong(Kind::Unreadable, String::new()))
}

/// An input of no fixed shape (options, payloads, results handed back).
pub fn any(value: JsValue) -> Any {
    serde_wasm_bindgen::from_value(readable_input(&value)).unwrap_or_else(|_| Any::Unreadable(String::new()))
}

/// An output as a plain object: serde_json writes it as text and the
/// engine's `JSON.parse` builds it (see [`super::json_out`]). Through
/// serde-wasm-bindgen's `json_compatible()` serializer every key and string
/// was its own call and its own decode: the validation report of 1,000
/// numbers measured 25.6 % of `validateBatch` that way (see the README's
/// performance table for the before and after). JSON has no `Map`s and no
/// keys holding `undefined`, as required of outputs.
pub fn to_js<T: Serialize + ?Sized>(value: &T) -> JsValue {
    // Our outputs are strings, integers below 2^53, finite numbers,
    // booleans and lists: writing them cannot fail, and the text is JSON.
    super::json_out::to_js_via_json(value).unwrap_or(JsValue::NULL)
}

/// The `UspeedoError` for `info`, to throw.
pub fn error(info: &ErrorInfo) -> JsValue {
    error_from(&to_js(info), None)
}

/// A `UspeedoError` from an error's plain form, with what the runtime threw
/// as its `cause`.
pub fn error_from(info: &JsValue, cause: Option<&JsValue>) -> JsValue {
    let options = match cause {
        Some(cause) => {
            let options = js_sys::Object::new();
            let _ = js_sys::Reflect::set(&options, &"cause".into(), cause);
            options.into()
        }
        None => JsValue::UNDEFINED,
    };
    UspeedoErrorClass::new(info, &options).into()
}

/// `Ok` as a plain object, `Err` as a thrown `UspeedoError`.
pub fn answer<T: Serialize>(result: Result<T, ErrorInfo>) -> Result<JsValue, JsValue> {
    result.map(|v| to_js(&v)).map_err(|e| error(&e))
}

/// JSON text read by the engine's `JSON.parse` (the browser build has no
/// JSON parser of its own: serde_json's would cost 20 KB gzip there).
#[cfg(not(feature = "signing"))]
pub fn parse_json_text(text: &str) -> Result<Any, String> {
    match js_sys::JSON::parse(text) {
        Ok(value) => match any(value) {
            Any::Unreadable(why) => Err(why),
            value => Ok(value),
        },
        Err(e) => Err(js_sys::Error::from(e).message().into()),
    }
}

/// A number as the engine writes it (`String(n)`).
#[cfg(not(feature = "signing"))]
pub fn js_number_text(n: f64) -> String {
    js_sys::Number::from(n).to_string_with_radix(10).map(String::from).unwrap_or_default()
}
