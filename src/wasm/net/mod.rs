//! Sending, in Rust: one API call with its timeout, the caller's signal,
//! the hooks and the retry rule (`crate::transport` decides; this module
//! does the I/O). The request is built with gloo-net; fetch is called
//! through js-sys (see `fetch.rs` for why).

mod attempt;
pub(crate) mod body;
mod fetch;
pub(crate) mod js;
pub(crate) mod send;
pub(crate) mod timer;

use crate::options::Checked;
use crate::outcome::ErrorInfo;
use js_sys::Function;
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::prelude::*;

/// What a client sends with: its checked options and the functions the
/// caller gave (a custom `fetch`, the hooks).
#[derive(Clone)]
pub struct Transport {
    pub checked: Checked,
    pub fetch: Option<Function>,
    pub on_request: Option<Function>,
    pub on_response: Option<Function>,
}

/// The last HTTP answer of a call, as it came (the signing proxy passes
/// uSpeedo's final answer through unchanged). Cleared at each attempt, so an
/// earlier attempt's answer is never relayed for a later failure.
#[derive(Debug, Clone)]
// Only the proxy (server builds) reads it back.
#[cfg_attr(not(feature = "signing"), allow(dead_code))]
pub struct Reply {
    pub status: u16,
    pub text: String,
    pub request_id: Option<String>,
    pub retry_after: Option<String>,
    pub content_type: Option<String>,
}

pub type Relay = Rc<RefCell<Option<Reply>>>;

/// A call that failed: the error, and what to throw for it.
pub struct SendError {
    /// The error as the core sees it (recorded by bulk jobs, mapped to a
    /// status by the proxy).
    pub info: ErrorInfo,
    /// The signing proxy's own error object, thrown as it came (it carries
    /// the issues the server found).
    relayed: Option<JsValue>,
    /// What the runtime threw (kept as the error's `cause`).
    cause: Option<JsValue>,
}

impl SendError {
    pub fn new(info: ErrorInfo, cause: Option<JsValue>) -> SendError {
        SendError { info, relayed: None, cause }
    }

    /// The `UspeedoError` to throw.
    pub fn into_js(self) -> JsValue {
        let info = match self.relayed {
            Some(object) => {
                if let Some(n) = self.info.attempts {
                    let _ = js_sys::Reflect::set(&object, &"attempts".into(), &n.into());
                }
                object
            }
            None => super::convert::to_js(&self.info),
        };
        super::convert::error_from(&info, self.cause.as_ref())
    }
}
