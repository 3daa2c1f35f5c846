//! The few globals sending needs, present in Node, workerd and browsers:
//! timers, `fetch`, `crypto.getRandomValues`, the clock.

use js_sys::{Function, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_name = setTimeout)]
    pub fn set_timeout(callback: &Function, ms: f64) -> JsValue;

    #[wasm_bindgen(js_name = clearTimeout)]
    pub fn clear_timeout(id: &JsValue);
}

/// `value[key]`, or `undefined` (also when `value` is not an object).
pub fn get(value: &JsValue, key: &str) -> JsValue {
    if !value.is_object() && !value.is_function() {
        return JsValue::UNDEFINED;
    }
    Reflect::get(value, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
}

/// `value[name](...args)`, with anything thrown (no such method included)
/// as the error.
pub fn method(value: &JsValue, name: &str, args: &[&JsValue]) -> Result<JsValue, JsValue> {
    let function: Function = get(value, name)
        .dyn_into()
        .map_err(|_| JsValue::from(js_sys::Error::new(&format!("{name} is not a function"))))?;
    let list: js_sys::Array = args.iter().copied().collect();
    function.apply(value, &list)
}

/// A header of a `Headers`-like object, or `None` (also when reading throws).
pub fn header(headers: &JsValue, name: &str) -> Option<String> {
    method(headers, "get", &[&JsValue::from_str(name)]).ok()?.as_string()
}

/// The global `fetch`, looked up at call time (tests and users replace it).
pub fn global_fetch() -> Option<Function> {
    get(&js_sys::global(), "fetch").dyn_into::<Function>().ok()
}

/// 32 random hex digits from the platform's CSPRNG.
pub fn nonce() -> Result<String, JsValue> {
    let crypto: web_sys::Crypto = get(&js_sys::global(), "crypto").unchecked_into();
    let mut bytes = [0u8; 16];
    crypto.get_random_values_with_u8_array(&mut bytes)?;
    Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
}

pub fn now_ms() -> f64 {
    js_sys::Date::now()
}

pub fn now_s() -> u64 {
    (now_ms() / 1000.0) as u64
}

/// `String(value)`, as JS would print it.
pub fn shown(value: &JsValue) -> String {
    js_sys::JsString::from(value.clone()).as_string().unwrap_or_default()
}
