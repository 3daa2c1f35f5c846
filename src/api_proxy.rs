//! The signing proxy's JSON interface (server builds only: the browser
//! build has no signing, so it has no proxy either).

use crate::api::{failed, ok, prepare_with};
use crate::json::{self, ObjectWriter, Value};
use crate::outcome::{Delivery, ErrorCode, ErrorInfo};
use crate::proxy::{error_body, proxy_settings, rejection, status_for};

/// The proxy's own options: `{ ok: true, settings }` or `{ ok: false, error }`.
pub fn proxy_options(options_json: &str) -> String {
    match proxy_settings(options_json) {
        Ok(settings) => ok("settings", &settings),
        Err(message) => failed(&ErrorInfo::config(message)),
    }
}

/// The proxy's check-and-sign of a browser's body: `{ ok: true, prepared }`
/// or `{ ok: false, status, body }` (the refusal to send back).
pub fn proxy_prepare(
    body: &str,
    config_json: &str,
    options_json: &str,
    timestamp_s: f64,
    nonce: &str,
) -> String {
    let settings = match proxy_settings(options_json) {
        Ok(settings) => settings,
        Err(message) => return proxy_refusal(&ErrorInfo::config(message)),
    };
    match prepare_with(body, config_json, timestamp_s, nonce, Some(&settings)) {
        Ok(reply) => reply,
        Err(error) => proxy_refusal(&error),
    }
}

/// `{ ok: false, status, body }` for an error the proxy answers itself.
pub fn proxy_refusal(error: &ErrorInfo) -> String {
    let mut out = String::new();
    let mut o = ObjectWriter::new(&mut out);
    o.field("ok", &false).field("status", &status_for(error)).field("body", &error_body(error));
    o.end();
    out
}

/// A refusal decided before the body is read (`method`, `content_type`,
/// `too_large`, `forbidden`, `unreadable`).
pub fn proxy_rejection(kind: &str, detail: &str) -> String {
    let (status, error) = rejection(kind, detail);
    let mut out = String::new();
    let mut o = ObjectWriter::new(&mut out);
    o.field("ok", &false).field("status", &status).field("body", &error_body(&error));
    o.end();
    out
}

/// The refusal for an upstream failure the proxy met (error JSON from JS).
pub fn proxy_upstream_error(error_json: &str) -> String {
    let error = json::parse(error_json)
        .ok()
        .map(|v| error_info_from(&v))
        .unwrap_or_else(|| ErrorInfo::new(ErrorCode::Internal, Delivery::Unknown, "unreadable error".into()));
    proxy_refusal(&error)
}

/// An `ErrorInfo` from its JSON form: the fields that decide the status
/// and what the browser is told.
fn error_info_from(value: &Value) -> ErrorInfo {
    let text = |k: &str| value.get(k).and_then(Value::as_str).map(str::to_string);
    let code = text("code").and_then(|c| ErrorCode::from_name(&c)).unwrap_or(ErrorCode::Internal);
    let delivery =
        if text("delivery").as_deref() == Some("not_sent") { Delivery::NotSent } else { Delivery::Unknown };
    let mut info = ErrorInfo::new(code, delivery, text("message").unwrap_or_default());
    info.request_id = text("requestId");
    info
}
