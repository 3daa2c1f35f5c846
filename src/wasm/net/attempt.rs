//! One attempt: fetch with this attempt's timeout and the caller's signal,
//! the request hook and the capped read. Not generic over the kind of call,
//! so the browser's wasm holds this I/O once for sends and reads alike.

use super::body::read_capped;
use super::fetch::{readable_response, start, FetchCall, Start};
use super::js::{get, header, now_ms, shown};
use super::timer::{OnAbort, Stop, Timer};
use super::{Relay, Reply, Transport};
use crate::outcome::{ErrorCode, ErrorInfo, TransportFailure};
use crate::proxy::PROXY_ERROR_HEADER;
use crate::text::StringMap;
use crate::transport::classify::{classify, FetchFailure};
use crate::transport::events::{redacted, RequestEvent, ResponseEvent};
use crate::transport::MAX_RESPONSE_BYTES;
use js_sys::Function;
use std::cell::Cell;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use web_sys::{AbortController, AbortSignal};

/// The messages of the causes below `cause`, one a line, for Deno's words
/// (today in `cause` itself; looked for further down in case that changes).
/// The bound stops a cycle. The browser build does not read them (see
/// `crate::transport::classify`).
#[cfg(feature = "signing")]
fn deeper_messages(cause: &JsValue) -> Option<String> {
    let mut messages: Vec<String> = Vec::new();
    let mut error = get(cause, "cause");
    for _ in 0..8 {
        messages.extend(get(&error, "message").as_string());
        error = get(&error, "cause");
    }
    (!messages.is_empty()).then(|| messages.join("\n"))
}

#[cfg(not(feature = "signing"))]
fn deeper_messages(_: &JsValue) -> Option<String> {
    None
}

/// What an attempt met, before any judgement: the same I/O serves a send
/// and a read, and only the small judging step (`send.rs`) knows which.
pub enum Ending {
    /// An HTTP answer, read whole.
    Reply { status: u16, text: String, request_id: Option<String>, retry_after: Option<String> },
    /// fetch resolved to something that is not a Response.
    NotAResponse,
    /// The body was longer than any real answer.
    TooLarge,
    /// fetch or the body read threw, timed out or was aborted.
    Failed { failure: TransportFailure, detail: String, thrown: JsValue },
    /// The request could not even be made (a relative `proxyUrl` outside a
    /// page, no global fetch): nothing was sent. The message says so.
    NotBuilt(String),
}

/// An attempt's end, or the signing proxy's own refusal, passed on as it
/// came and never retried.
pub struct Ended {
    pub ending: Result<Ending, (JsValue, ErrorInfo)>,
    pub status: Option<u16>,
    pub started: f64,
}

pub struct Attempt<'a> {
    pub transport: &'a Transport,
    pub url: &'a str,
    pub headers: &'a StringMap,
    pub body: &'a str,
    pub number: u32,
    pub timeout_ms: u64,
    pub signal: Option<&'a AbortSignal>,
    pub relay: Option<&'a Relay>,
}

fn hook<T: serde::Serialize>(function: &Option<Function>, event: &T) {
    if let Some(f) = function {
        // A failing hook must not turn a sent batch into an error.
        let _ = f.call1(&JsValue::UNDEFINED, &super::super::convert::to_js(event));
    }
}

impl Attempt<'_> {
    pub async fn run(&self) -> Ended {
        let flags = Rc::new((Cell::new(false), Cell::new(false))); // (timed out, caller aborted)
        let (controller, stop) = match (AbortController::new(), Stop::new()) {
            (Ok(c), Some(stop)) => (c, stop),
            (Err(e), _) => return self.failed((false, false), e, now_ms()),
            (_, None) => return self.failed((false, false), JsValue::NULL, now_ms()),
        };
        let _timer = Timer::new(self.timeout_ms as f64, {
            let (flags, controller, stop) = (flags.clone(), controller.clone(), stop.clone());
            move || {
                flags.0.set(true);
                controller.abort();
                stop.fire();
            }
        });
        // Our controller is aborted with its own reason: a caller's reason
        // that is not an Error never reaches fetch.
        let _listener = self.signal.map(|signal| {
            let (flags, controller, stop) = (flags.clone(), controller.clone(), stop.clone());
            OnAbort::new(signal, move || {
                flags.1.set(true);
                controller.abort();
                stop.fire();
            })
        });
        if self.transport.on_request.is_some() {
            let headers = redacted(self.headers);
            hook(
                &self.transport.on_request,
                &RequestEvent { method: "POST", url: self.url, attempt: self.number, headers },
            );
        }
        if let Some(relay) = self.relay {
            relay.replace(None);
        }
        let started = now_ms();
        let call =
            FetchCall { url: self.url, headers: self.headers, body: self.body, signal: &controller.signal() };
        let started_fetch = match start(self.transport, &call) {
            Ok(fetch) => fetch,
            Err(Start::NotBuilt(why)) => {
                let message =
                    format!("the request to {} could not be made ({why}); nothing was sent", self.url);
                return ended(Ending::NotBuilt(message), None, started);
            }
            Err(Start::Threw(thrown)) => return self.failed((flags.0.get(), flags.1.get()), thrown, started),
        };
        let fetched = stop.race(&started_fetch.promise).await;
        let value = match fetched {
            Ok(value) => value,
            Err(thrown) => {
                return self.failed((flags.0.get(), flags.1.get()), thrown, started);
            }
        };
        let Some((status, headers)) = readable_response(&value) else {
            return ended(Ending::NotAResponse, None, started);
        };
        let header_id = header(&headers, "x-speedo-request-uuid");
        let text = match read_capped(&value, MAX_RESPONSE_BYTES, Some(&stop)).await {
            Ok(Some(text)) => text,
            Ok(None) => return ended(Ending::TooLarge, Some(status), started),
            Err(thrown) => {
                return self.failed((flags.0.get(), flags.1.get()), thrown, started);
            }
        };
        let retry_after = header(&headers, "retry-after");
        if let Some(relay) = self.relay {
            relay.replace(Some(Reply {
                status,
                text: text.clone(),
                request_id: header_id.clone(),
                retry_after: retry_after.clone(),
                content_type: header(&headers, "content-type"),
            }));
        }
        if header(&headers, PROXY_ERROR_HEADER).is_some() {
            if let Some(refusal) = self.relayed(&text, header_id.as_deref(), status, started) {
                return Ended { ending: Err(refusal), status: Some(status), started };
            }
        }
        let reply = Ending::Reply { status, text, request_id: header_id, retry_after };
        ended(reply, Some(status), started)
    }

    /// The proxy's refusal (`{ "error": { "code": … } }`), if `text` is one.
    fn relayed(
        &self,
        text: &str,
        header_id: Option<&str>,
        status: u16,
        started: f64,
    ) -> Option<(JsValue, ErrorInfo)> {
        let object = get(&js_sys::JSON::parse(text).ok()?, "error");
        get(&object, "code").as_string()?;
        if let Some(id) = header_id.filter(|_| get(&object, "requestId").is_falsy()) {
            let _ = js_sys::Reflect::set(&object, &"requestId".into(), &id.into());
        }
        let info = ErrorInfo::from_any(&super::super::convert::any(object.clone()));
        self.response_hook(Some(status), started, info.request_id.as_deref(), Some(info.code));
        Some((object, info))
    }

    /// `flags`: (we timed out, the caller aborted).
    fn failed(&self, flags: (bool, bool), thrown: JsValue, started: f64) -> Ended {
        let cause = get(&thrown, "cause");
        let code = get(&cause, "code").as_string().or_else(|| get(&thrown, "code").as_string());
        let cause_message = get(&cause, "message").as_string();
        let deeper = deeper_messages(&cause);
        let failure = FetchFailure {
            timed_out: flags.0,
            user_aborted: flags.1,
            code: code.as_deref(),
            cause_message: cause_message.as_deref(),
            deeper_messages: deeper.as_deref(),
        };
        let detail =
            code.clone().or_else(|| get(&thrown, "message").as_string()).unwrap_or_else(|| shown(&thrown));
        ended(Ending::Failed { failure: classify(&failure), detail, thrown }, None, started)
    }

    /// `onResponse`, once the attempt is judged.
    pub fn response_hook(
        &self,
        status: Option<u16>,
        started: f64,
        request_id: Option<&str>,
        error: Option<ErrorCode>,
    ) {
        let event = ResponseEvent {
            method: "POST",
            url: self.url,
            attempt: self.number,
            status,
            duration_ms: now_ms() - started,
            request_id,
            error,
        };
        hook(&self.transport.on_response, &event);
    }
}

fn ended(ending: Ending, status: Option<u16>, started: f64) -> Ended {
    Ended { ending: Ok(ending), status, started }
}
