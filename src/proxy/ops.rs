//! The signing proxy, typed (server builds only: the browser build has no
//! signing, so it has no proxy either).

use crate::ops::{prepare, PreparedCall};
use crate::options::Checked;
use crate::outcome::ErrorInfo;
use crate::prepare::{prepare_read, Prepared};
use crate::proxy::actions::{requested_action, ProxyAction};
use crate::proxy::{rejection, ProxySettings, Refusal};
use crate::read::{RawRequest, Slot};
use crate::reads::request::{check_read_request, ReadLimits};
use crate::reads::ReadAction;

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

/// The action a browser's request asks for (`?Action=` on the URL), if
/// this proxy offers it.
pub fn proxy_action(url: &str, settings: &ProxySettings) -> Result<ProxyAction, Refusal> {
    requested_action(url, &settings.allow_actions).map_err(|e| Refusal::of(&e))
}

/// The proxy's check-and-sign of a browser's read, or the refusal.
pub fn proxy_prepare_read(
    action: ReadAction,
    body: &str,
    checked: &Checked,
    settings: &ProxySettings,
    timestamp_s: u64,
    nonce: &str,
) -> Result<Prepared, Refusal> {
    let configured = checked.settings.account_id;
    let accounts = settings.allowed_accounts(configured);
    let limits = ReadLimits { accounts: &accounts, templates: settings.allow_templates.as_deref() };
    let request = check_read_request(action, body, &limits).map_err(|e| Refusal::of(&e))?;
    let account_id = request.account_id.or(configured);
    prepare_read(action, &request.ids, checked, account_id, timestamp_s, nonce)
        .map_err(|why| Refusal::of(&ErrorInfo::config(why)))
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
