//! The signing proxy (server builds): a Fetch-API handler whose every step
//! is here. Its settings are checked once; for each browser request the
//! core decides (refuse, or check again and sign), the transport forwards,
//! and uSpeedo's final answer is passed through as it came.

use super::client::transport_from;
use super::convert::{any, error};
use super::net::body::read_capped;
use super::net::js::{get, header, nonce, now_s};
use super::net::send::CallOptions;
use super::net::{Relay, Transport};
use super::options::{function, take};
use crate::outcome::ErrorInfo;
use crate::prepare::Prepared;
use crate::proxy::actions::ProxyAction;
use crate::proxy::ops::{
    proxy_action, proxy_prepare, proxy_prepare_read, proxy_rejection, proxy_upstream_error,
};
use crate::proxy::{
    declared_too_large, is_json, upstream_not_json, ProxySettings, Refusal, PROXY_ERROR_HEADER,
};
use crate::read::from_json;
use crate::reads::ReadCall;
use crate::transport::call::{Call, SendCall};
use gloo_net::http::Response;
use js_sys::{Function, Promise, Reflect};
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::{future_to_promise, JsFuture};

const JSON_TYPE: &str = "application/json; charset=utf-8";

struct Proxy {
    transport: Transport,
    settings: ProxySettings,
    authorize: Option<Function>,
}

#[wasm_bindgen]
pub struct ProxyCore {
    proxy: Rc<Proxy>,
}

/// Every proxy answer: JSON, never sniffed as anything else, never cached.
fn respond(status: u16, body: &str, headers: &[(&str, Option<&str>)]) -> Result<JsValue, JsValue> {
    let mut builder = Response::builder()
        .status(status)
        .header("X-Content-Type-Options", "nosniff")
        .header("Cache-Control", "no-store");
    for (name, value) in headers {
        if let Some(value) = value {
            builder = builder.header(name, value);
        }
    }
    let response = builder.body(Some(body)).map_err(|e| JsValue::from(js_sys::Error::new(&e.to_string())))?;
    Ok(web_sys::Response::from(response).into())
}

fn answer(refusal: &Refusal) -> Result<JsValue, JsValue> {
    respond(
        refusal.status,
        &refusal.body,
        &[("Content-Type", Some(JSON_TYPE)), (PROXY_ERROR_HEADER, Some("1"))],
    )
}

fn refuse(kind: &str, detail: &str) -> Result<JsValue, JsValue> {
    answer(&proxy_rejection(kind, detail))
}

impl Proxy {
    async fn allowed(&self, request: &JsValue, action: ProxyAction) -> bool {
        let Some(authorize) = &self.authorize else { return true };
        let Ok(verdict) = authorize.call2(&JsValue::UNDEFINED, request, &action.name().into()) else {
            return false;
        };
        // Only `true` lets a request through; a throw or a rejection is a no.
        JsFuture::from(Promise::resolve(&verdict)).await.is_ok_and(|v| v.as_bool() == Some(true))
    }

    async fn handle(&self, request: JsValue) -> Result<JsValue, JsValue> {
        // Read as any object: a handler handed something that is not a
        // Request (null, a bare object) answers 400, never throws.
        let headers = get(&request, "headers");
        if !get(&headers, "get").is_function() {
            return refuse("unreadable", "");
        }
        let header = |name: &str| header(&headers, name);
        if get(&request, "method").as_string().as_deref() != Some("POST") {
            return refuse("method", "");
        }
        if !is_json(header("content-type").as_deref()) {
            return refuse("content_type", "");
        }
        let limit = self.settings.max_body_bytes;
        if declared_too_large(header("content-length").as_deref(), limit) {
            return refuse("too_large", &limit.to_string());
        }
        let url = get(&request, "url").as_string().unwrap_or_default();
        let action = match proxy_action(&url, &self.settings) {
            Ok(action) => action,
            Err(refusal) => return answer(&refusal),
        };
        if !self.allowed(&request, action).await {
            return refuse("forbidden", "");
        }
        let body = match read_capped(&request, limit as usize, None).await {
            Ok(Some(body)) => body,
            Ok(None) => return refuse("too_large", &limit.to_string()),
            Err(_) => return refuse("unreadable", ""),
        };
        let nonce = nonce()?;
        let checked = &self.transport.checked;
        match action {
            ProxyAction::Send => {
                match proxy_prepare(from_json(&body), checked, &self.settings, now_s() as f64, &nonce) {
                    Ok(call) => {
                        let judge = SendCall { account_id: call.account_id, sent: Some(&call.request) };
                        self.forward(&call.prepared, &judge).await
                    }
                    Err(refusal) => answer(&refusal),
                }
            }
            ProxyAction::Read(read) => {
                match proxy_prepare_read(read, &body, checked, &self.settings, now_s(), &nonce) {
                    Ok(prepared) => self.forward(&prepared, &ReadCall { action: read }).await,
                    Err(refusal) => answer(&refusal),
                }
            }
        }
    }

    /// Sends a checked, signed call and answers with uSpeedo's final reply.
    async fn forward<C: Call>(&self, prepared: &Prepared, judge: &C) -> Result<JsValue, JsValue> {
        let relay = Relay::default();
        let options = CallOptions {
            signal: None,
            timeout_ms: self.transport.checked.settings.timeout_ms,
            relay: Some(relay.clone()),
        };
        let sent = self.transport.send(prepared, &options, judge).await;
        let last = relay.borrow().clone();
        match (sent, last) {
            // An upstream redirect is never passed on (the browser would
            // treat it as one): the proxy's own error, not_sent, 502.
            (Err(failed), Some(reply)) if (300..=399).contains(&reply.status) => {
                let mut info = failed.info;
                info.status = Some(502);
                answer(&Refusal::of(&info))
            }
            // uSpeedo's final answer: its status, Retry-After and request id
            // as they came; its body when it is JSON (or was read as uSpeedo's
            // JSON whatever its type said), else a JSON description of it.
            (sent, Some(reply)) => {
                let json = sent.is_ok() || is_json(reply.content_type.as_deref());
                let body = if json {
                    reply.text
                } else {
                    upstream_not_json(reply.status, reply.content_type.as_deref(), &reply.text)
                };
                let content_type = reply.content_type.filter(|t| json && is_json(Some(t)));
                respond(
                    reply.status,
                    &body,
                    &[
                        ("Content-Type", Some(content_type.as_deref().unwrap_or(JSON_TYPE))),
                        ("X-Speedo-Request-Uuid", reply.request_id.as_deref()),
                        ("Retry-After", reply.retry_after.as_deref()),
                    ],
                )
            }
            // No HTTP answer on the final attempt: the proxy's own error,
            // never an earlier attempt's reply.
            (Err(failed), None) => answer(&proxy_upstream_error(&failed.info)),
            (Ok(_), None) => answer(&proxy_upstream_error(&ErrorInfo::new(
                crate::outcome::ErrorCode::Internal,
                crate::outcome::Delivery::Unknown,
                "the upstream answer was lost".into(),
            ))),
        }
    }
}

#[wasm_bindgen]
impl ProxyCore {
    /// `{ publicKey, privateKey, authorize?, allowActions?, allowTemplates?,
    /// maxTargets?, maxBodyBytes?, ...clientOptions }`, checked now.
    #[wasm_bindgen(constructor)]
    pub fn new(options: JsValue) -> Result<ProxyCore, JsValue> {
        Self::create(&options).map_err(|e| error(&e))
    }

    /// A refusal decided before the handler runs (`host`, `origin`,
    /// `unreadable`; the Node adapter's checks), as a `Response`.
    pub fn refuse(kind: &str) -> Result<JsValue, JsValue> {
        refuse(kind, "")
    }

    /// `(Request) => Promise<Response>`.
    pub fn handle(&self, request: JsValue) -> Promise {
        let proxy = self.proxy.clone();
        future_to_promise(async move { proxy.handle(request).await })
    }
}

impl ProxyCore {
    fn create(options: &JsValue) -> Result<ProxyCore, ErrorInfo> {
        let names = [
            "authorize",
            "allowActions",
            "allowTemplates",
            "allowAccountIds",
            "allowSenderIds",
            "rejectDuplicates",
            "maxParams",
            "maxParamLength",
            "maxTargets",
            "maxBodyBytes",
        ];
        let (client_options, taken) = take(options, names);
        let [authorize, ..] = &taken;
        let authorize = function(authorize, "authorize")?;
        if !get(&client_options, "proxyUrl").is_undefined() {
            return Err(ErrorInfo::config(
                "the proxy signs itself: pass publicKey/privateKey, not proxyUrl".into(),
            ));
        }
        // The browser's client drives retries (it sees 429 and Retry-After
        // passed through); retrying here as well would multiply requests.
        if client_options.is_object() && get(&client_options, "maxRetries").is_undefined() {
            let _ = Reflect::set(&client_options, &"maxRetries".into(), &0.into());
        }
        let transport = transport_from(&client_options)?;
        let proxy_options = js_sys::Object::new();
        for (name, value) in names.iter().zip(&taken).skip(1) {
            let _ = Reflect::set(&proxy_options, &JsValue::from_str(name), value);
        }
        let settings = crate::proxy::proxy_settings(&any(proxy_options.into())).map_err(ErrorInfo::config)?;
        Ok(ProxyCore { proxy: Rc::new(Proxy { transport, settings, authorize }) })
    }
}
