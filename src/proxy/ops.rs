//! The signing proxy, typed (server builds only: the browser build has no
//! signing, so it has no proxy either).

use crate::ops::{prepare, PreparedCall};
use crate::options::Checked;
use crate::outcome::ErrorInfo;
use crate::proxy::{rejection, ProxySettings, Refusal};
use crate::read::{RawRequest, Slot};

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

/// The refusal for an upstream failure the proxy met.
pub fn proxy_upstream_error(error: &ErrorInfo) -> Refusal {
    Refusal::of(error)
}
