//! Timers and abort listeners that undo themselves when dropped, so no
//! attempt leaves a timer keeping Node alive or a listener on a caller's
//! signal.

use super::js::{clear_timeout, set_timeout};
use js_sys::{Function, Promise};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{AbortSignal, AddEventListenerOptions};

/// `setTimeout(callback, ms)` until dropped.
pub struct Timer {
    id: JsValue,
    _callback: Option<Closure<dyn FnMut()>>,
}

impl Timer {
    pub fn new(ms: f64, callback: impl FnOnce() + 'static) -> Timer {
        let callback = Closure::once(callback);
        let id = set_timeout(callback.as_ref().unchecked_ref(), ms);
        Timer { id, _callback: Some(callback) }
    }

    fn calling(function: &Function, ms: f64) -> Timer {
        Timer { id: set_timeout(function, ms), _callback: None }
    }
}

impl Drop for Timer {
    fn drop(&mut self) {
        clear_timeout(&self.id);
    }
}

/// An `abort` listener on a signal until dropped.
pub struct OnAbort {
    signal: AbortSignal,
    callback: Closure<dyn FnMut()>,
}

impl OnAbort {
    pub fn new(signal: &AbortSignal, callback: impl FnMut() + 'static) -> OnAbort {
        let callback = Closure::<dyn FnMut()>::new(callback);
        let options = AddEventListenerOptions::new();
        options.set_once(true);
        // A signal that refuses listeners only means the caller cannot abort.
        let _ = signal.add_event_listener_with_callback_and_add_event_listener_options(
            "abort",
            callback.as_ref().unchecked_ref(),
            &options,
        );
        OnAbort { signal: signal.clone(), callback }
    }
}

impl Drop for OnAbort {
    fn drop(&mut self) {
        let _ =
            self.signal.remove_event_listener_with_callback("abort", self.callback.as_ref().unchecked_ref());
    }
}

/// Waits `ms`; `Err(())` when `signal` fired first (or had already).
pub async fn sleep(ms: f64, signal: Option<&AbortSignal>) -> Result<(), ()> {
    let aborted = || signal.is_some_and(AbortSignal::aborted);
    if aborted() {
        return Err(());
    }
    let mut resolve = None;
    let promise = Promise::new(&mut |done, _| resolve = Some(done));
    let Some(resolve) = resolve else { return Err(()) };
    let _timer = Timer::calling(&resolve, ms);
    let _listener = signal.map(|s| {
        let resolve = resolve.clone();
        OnAbort::new(s, move || {
            let _ = resolve.call0(&JsValue::UNDEFINED);
        })
    });
    let _ = JsFuture::from(promise).await;
    if aborted() {
        Err(())
    } else {
        Ok(())
    }
}

/// A promise that settles when the attempt is stopped (our timeout or the
/// caller's abort), raced against every step, so a fetch or a body that
/// ignores its `AbortSignal` cannot hold the call past its timeout.
#[derive(Clone)]
pub struct Stop {
    promise: Promise,
    resolve: Function,
    token: JsValue,
}

impl Stop {
    pub fn new() -> Option<Stop> {
        let mut resolve = None;
        let promise = Promise::new(&mut |done, _| resolve = Some(done));
        Some(Stop { promise, resolve: resolve?, token: js_sys::Object::new().into() })
    }

    pub fn fire(&self) {
        let _ = self.resolve.call1(&JsValue::UNDEFINED, &self.token);
    }

    /// `value` awaited, unless the stop comes first (then an error).
    pub async fn race(&self, value: &JsValue) -> Result<JsValue, JsValue> {
        let both = js_sys::Array::of2(&Promise::resolve(value), &self.promise);
        let settled = JsFuture::from(Promise::race(&both)).await?;
        if js_sys::Object::is(&settled, &self.token) {
            Err(js_sys::Error::new("stopped: timed out or aborted").into())
        } else {
            Ok(settled)
        }
    }
}
