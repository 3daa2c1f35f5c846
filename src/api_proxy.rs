//! The signing proxy, typed (server builds only: the browser build has no
//! signing, so it has no proxy either).

use crate::ops::{prepare, PreparedCall};
use crate::options::Checked;
use crate::outcome::{Delivery, ErrorCode, ErrorInfo};
use crate::proxy::{rejection, ProxySettings, Refusal};
use crate::read::{Any, RawRequest, Slot};

/// The proxy's check-and-sign of a browser's body, or the refusal to send back.
pub fn proxy_prepare(
    body: Slot<RawRequest>,
    checked: &Checked,
    settings: &ProxySettings,
    timestamp_s: f64,
    nonce: &str,
) -> Result<PreparedCall, Refusal> {
    prepare(body, checked, timestamp_s, nonce, Some(settings)).map_err(|e| Refusal::of(&e))
}

/// A refusal decided before the body is read (`method`, `content_type`,
/// `too_large`, `forbidden`, `unreadable`).
pub fn proxy_rejection(kind: &str, detail: &str) -> Refusal {
    let (_, error) = rejection(kind, detail);
    Refusal::of(&error)
}

/// The refusal for an upstream failure the proxy met (the error's fields).
pub fn proxy_upstream_error(error: &Any) -> Refusal {
    Refusal::of(&error_info_from(error))
}

/// An `ErrorInfo` from its JS form: the fields that decide the status and
/// what the browser is told.
fn error_info_from(value: &Any) -> ErrorInfo {
    let text = |k: &str| value.get(k).and_then(Any::as_str).map(str::to_string);
    let code = text("code").and_then(|c| ErrorCode::from_name(&c)).unwrap_or(ErrorCode::Internal);
    let delivery =
        if text("delivery").as_deref() == Some("not_sent") { Delivery::NotSent } else { Delivery::Unknown };
    let mut info = ErrorInfo::new(code, delivery, text("message").unwrap_or_default());
    info.request_id = text("requestId");
    info
}
