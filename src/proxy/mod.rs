//! The signing proxy's rules: what a browser may send through it, and which
//! HTTP status each refusal gets. The proxy never trusts the browser: the
//! body is parsed and validated again here before anything is signed.

pub mod actions;
#[cfg(feature = "signing")]
pub mod ops;

use crate::issues::IssueCode;
use crate::outcome::{Delivery, ErrorCode, ErrorInfo};
use serde::Serialize;

/// Response header that marks an error answered by the proxy itself (as
/// opposed to uSpeedo's own answer, which is passed through unchanged).
pub const PROXY_ERROR_HEADER: &str = "X-Uspeedo-Proxy-Error";

pub use crate::options::proxy::{proxy_settings, ProxySettings};

/// Refusals the proxy decides before looking at the body's content.
pub fn rejection(kind: &str, detail: &str) -> (u16, ErrorInfo) {
    let (status, message) = match kind {
        "method" => (405, "the proxy accepts POST only".to_string()),
        "content_type" => (415, "the proxy accepts Content-Type: application/json only".to_string()),
        "too_large" => (413, format!("the body is larger than the proxy's limit of {detail} bytes")),
        "forbidden" => (403, "the request was not authorized".to_string()),
        // The Node adapter's checks (DNS rebinding, cross-site requests).
        "host" => (403, "the request's Host is not one this server answers to".to_string()),
        "origin" => (403, "cross-origin requests are not accepted".to_string()),
        _ => (400, "the request could not be read".to_string()),
    };
    // An HTTP-level refusal: the browser's error gets code HTTP and this status.
    let mut error = ErrorInfo::new(ErrorCode::Http, Delivery::NotSent, message);
    error.status = Some(status);
    (status, error)
}

/// `Content-Type: application/json`, with or without parameters.
pub fn is_json(content_type: Option<&str>) -> bool {
    let Some(value) = content_type else { return false };
    if !value.get(..16).is_some_and(|head| head.eq_ignore_ascii_case("application/json")) {
        return false;
    }
    // `application/jsonx` is another type; `; charset=…` is a parameter.
    !value.get(16..).unwrap_or("").starts_with(|c: char| c.is_ascii_alphanumeric() || c == '_')
}

/// Whether a `Content-Length` already says the body is over the limit.
pub fn declared_too_large(content_length: Option<&str>, limit: u64) -> bool {
    content_length.and_then(|v| v.trim().parse::<u64>().ok()).is_some_and(|n| n > limit)
}

/// The body that replaces an upstream answer that is not JSON (an HTML
/// error page): the proxy serves JSON only, so the page is described, never
/// served from the application's origin. Status and `Retry-After` are kept,
/// so the browser's client judges the answer as it would in direct mode.
pub fn upstream_not_json(status: u16, content_type: Option<&str>, body: &str) -> String {
    #[derive(Serialize)]
    #[serde(rename_all = "camelCase")]
    struct Upstream<'a> {
        status: u16,
        content_type: Option<&'a str>,
        body_excerpt: String,
    }
    #[derive(Serialize)]
    struct Body<'a> {
        upstream: Upstream<'a>,
    }
    let upstream = Upstream { status, content_type, body_excerpt: crate::outcome::excerpt(body) };
    serde_json::to_string(&Body { upstream }).unwrap_or_default()
}

/// The status for an error the proxy answers itself.
pub fn status_for(error: &ErrorInfo) -> u16 {
    if let (ErrorCode::Http, Some(status)) = (error.code, error.status) {
        return status;
    }
    let not_allowed = error.issues.as_ref().is_some_and(|issues| {
        issues.iter().any(|i| {
            matches!(
                i.code,
                IssueCode::TemplateNotAllowed
                    | IssueCode::AccountNotAllowed
                    | IssueCode::SenderNotAllowed
                    | IssueCode::ActionNotAllowed
            )
        })
    });
    match error.code {
        ErrorCode::Validation if not_allowed => 403,
        ErrorCode::Validation => 400,
        ErrorCode::Timeout => 504,
        ErrorCode::Config | ErrorCode::Internal => 500,
        _ => 502,
    }
}

/// `{ "error": ... }`, the body of every proxy refusal; the error carries
/// the status too, so the browser can tell a refusal's kind without parsing
/// its message.
pub fn error_body(error: &ErrorInfo) -> String {
    #[derive(Serialize)]
    struct Body<'a> {
        error: &'a ErrorInfo,
    }
    let mut error = error.clone();
    error.status = Some(status_for(&error));
    serde_json::to_string(&Body { error: &error }).unwrap_or_default()
}

/// A refusal the proxy answers itself: its status and JSON body.
#[derive(Debug, Serialize)]
pub struct Refusal {
    pub status: u16,
    pub body: String,
}

impl Refusal {
    pub fn of(error: &ErrorInfo) -> Refusal {
        Refusal { status: status_for(error), body: error_body(error) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::read::Any;

    #[test]
    fn refusals_round_trip_to_the_browser() {
        let mut list = crate::issues::IssueList::default();
        list.push(
            &|| "TaskContent[0].TemplateId".into(),
            IssueCode::TemplateNotAllowed,
            "not allowed".into(),
        );
        let e = ErrorInfo::validation(list);
        assert_eq!(status_for(&e), 403);
        let body = Any::from_json(&error_body(&e)).unwrap();
        let error = body.get("error").unwrap();
        assert_eq!(error.get("code").and_then(Any::as_str), Some("VALIDATION"));
        assert_eq!(error.get("delivery").and_then(Any::as_str), Some("not_sent"));
        assert_eq!(rejection("too_large", "1024").0, 413);
    }

    #[test]
    fn only_json_bodies_are_read() {
        assert!(is_json(Some("application/json")));
        assert!(is_json(Some("Application/JSON; charset=utf-8")));
        assert!(!is_json(Some("application/jsonx")));
        assert!(!is_json(Some("text/plain")));
        assert!(!is_json(Some("é")));
        assert!(!is_json(None));
        assert!(declared_too_large(Some("2048"), 1024));
        assert!(!declared_too_large(Some("nonsense"), 1024));
    }
}
