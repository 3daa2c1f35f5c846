//! Options objects mix data (checked by the core) with functions and
//! signals (kept here). This splits them: a copy without the named keys
//! goes to the core; the taken values are checked for their JS type.

use super::net::js::get;
use crate::outcome::ErrorInfo;
use js_sys::{Array, Function, Object, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::AbortSignal;

/// `options` without `names` (a shallow copy), and the values taken out
/// (`undefined` where absent). Anything but a plain object is passed on as
/// it is, for the core to name.
pub fn take<const N: usize>(options: &JsValue, names: [&str; N]) -> (JsValue, [JsValue; N]) {
    if !options.is_object() || Array::is_array(options) {
        return (options.clone(), names.map(|_| JsValue::UNDEFINED));
    }
    let copy = Object::assign(&Object::new(), options.unchecked_ref());
    let taken = names.map(|name| {
        let value = get(&copy, name);
        let _ = Reflect::delete_property(&copy, &JsValue::from_str(name));
        value
    });
    (copy.into(), taken)
}

/// The data of options that also take `signal` and `onProgress` (sendBulk,
/// trackDelivery), and those two, checked.
pub fn with_progress(
    options: &JsValue,
) -> Result<(JsValue, Option<AbortSignal>, Option<Function>), ErrorInfo> {
    let (data, [signal_value, on_progress]) = take(options, ["signal", "onProgress"]);
    Ok((data, signal(&signal_value)?, function(&on_progress, "onProgress")?))
}

/// A function option, or `None` when not given.
pub fn function(value: &JsValue, name: &str) -> Result<Option<Function>, ErrorInfo> {
    if value.is_undefined() {
        return Ok(None);
    }
    value
        .dyn_ref::<Function>()
        .cloned()
        .map(Some)
        .ok_or_else(|| ErrorInfo::config(format!("{name} must be a function")))
}

/// `signal`: anything that behaves as an `AbortSignal` (signals from
/// another realm or a polyfill included), or `None` when not given.
pub fn signal(value: &JsValue) -> Result<Option<AbortSignal>, ErrorInfo> {
    if value.is_undefined() || value.is_null() {
        return Ok(None);
    }
    let usable = get(value, "aborted").as_bool().is_some() && get(value, "addEventListener").is_function();
    if usable {
        Ok(Some(value.clone().unchecked_into()))
    } else {
        Err(ErrorInfo::config("signal must be an AbortSignal (from an AbortController)".into()))
    }
}
