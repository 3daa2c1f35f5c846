//! Options objects mix data (checked by the core) with functions and
//! signals (kept here). This splits them: a copy without the named keys
//! goes to the core; the taken values are checked for their JS type.

use super::net::js::get;
use crate::outcome::ErrorInfo;
use js_sys::{Array, Function, Object, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::AbortSignal;

/// `options` without `names` (a shallow copy), and the values taken out.
/// Anything but a plain object is passed on as it is, for the core to name.
pub fn take(options: &JsValue, names: &[&str]) -> (JsValue, Vec<JsValue>) {
    if !options.is_object() || Array::is_array(options) {
        return (options.clone(), names.iter().map(|_| JsValue::UNDEFINED).collect());
    }
    let copy = Object::assign(&Object::new(), options.unchecked_ref());
    let taken = names
        .iter()
        .map(|name| {
            let value = get(&copy, name);
            let _ = Reflect::delete_property(&copy, &JsValue::from_str(name));
            value
        })
        .collect();
    (copy.into(), taken)
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
