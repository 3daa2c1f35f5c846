//! What one attempt ended in: a result, or a typed error that says whether
//! the batch may have been processed (`delivery`). The transport
//! (`wasm::net`) reports what happened on the wire; every judgement about it
//! is made here.

pub use crate::error_info::{Delivery, ErrorCode, ErrorInfo};
use crate::model::{SendBatchRequest, SendBatchResponse};
use crate::resend::{flatten, resend_request, FailedNumber};
use crate::response;
use crate::text::quoted;
use serde::Serialize;

/// A successful call: uSpeedo's answer plus what the caller needs next.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct SendResult {
    #[serde(flatten)]
    pub response: SendBatchResponse,
    pub request_id: Option<String>,
    /// Every number the API did not send, with its reason.
    pub failed: Vec<FailedNumber>,
    /// A request for exactly the failed numbers, or `null`.
    pub resend_request: Option<SendBatchRequest>,
    /// Set when uSpeedo's failure list named numbers that were not in the
    /// request (or one more often than it was sent): those are left out of
    /// `failed` and `resendRequest`.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "typescript", ts(optional))]
    pub mismatch: Option<String>,
}

/// What one attempt ended in; `R` is the answer of the action called (a
/// send's `SendResult`, a read's page).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
// An outcome lives for one attempt; boxing the error would only add noise.
#[allow(clippy::large_enum_variant)]
pub enum Outcome<R = SendResult> {
    Result {
        result: R,
    },
    Error {
        error: ErrorInfo,
        /// The attempt may be repeated (after a delay the retry rule picks).
        retryable: bool,
    },
}

/// What the HTTP exchange returned, as the transport saw it.
pub struct Reply<'a> {
    pub status: u16,
    pub body: &'a str,
    pub request_id_header: Option<&'a str>,
    /// Already converted to milliseconds by [`crate::retry::parse_retry_after`].
    pub retry_after_ms: Option<u64>,
    pub account_id: Option<u64>,
    /// The request this answers, when known: failures are matched to it.
    pub sent: Option<&'a SendBatchRequest>,
}

const EXCERPT_CHARS: usize = 200;

pub(crate) fn excerpt(body: &str) -> String {
    let mut out: String =
        body.chars().take(EXCERPT_CHARS).map(|c| if c.is_control() { ' ' } else { c }).collect();
    if body.chars().nth(EXCERPT_CHARS).is_some() {
        out.push('…');
    }
    out
}

fn error(mut e: ErrorInfo, request_id: Option<String>, retryable: bool) -> Outcome {
    e.request_id = request_id;
    Outcome::Error { error: e, retryable }
}

/// Interprets one HTTP reply to `SendBatchUSMSMessage`.
pub fn interpret(reply: &Reply) -> Outcome {
    let header_id = reply.request_id_header.filter(|id| !id.is_empty()).map(str::to_string);
    let status = reply.status;
    if !(200..300).contains(&status) {
        // A 4xx means the request was refused as a whole; a 5xx (or anything
        // odd) may come after the batch was processed.
        // A redirect is an answer that declines the request here: uSpeedo's
        // API never redirects, and a signed request is never sent on to
        // another address (it would carry the key and signature there).
        // Browsers hide a redirect's status behind an opaque answer (status 0).
        let redirect = status == 0 || (300..=399).contains(&status);
        let (delivery, retryable) = match status {
            429 => (Delivery::NotSent, true),
            0 | 300..=499 => (Delivery::NotSent, false),
            _ => (Delivery::Unknown, false),
        };
        let why = match delivery {
            Delivery::NotSent if retryable => "rate limited; nothing was sent",
            Delivery::NotSent if redirect => {
                "a redirect, which is not followed (a signed request goes to the configured address only); \
                 nothing was processed: check baseUrl"
            }
            Delivery::NotSent => "the request was refused; nothing was sent",
            Delivery::Unknown => "the batch may or may not have been processed, so it was not sent again",
        };
        let mut e = ErrorInfo::new(ErrorCode::Http, delivery, format!("HTTP {status} from uSpeedo: {why}"));
        e.status = Some(status);
        e.body_excerpt = Some(excerpt(reply.body)).filter(|b| !b.is_empty());
        e.retry_after_ms = if status == 429 { reply.retry_after_ms } else { None };
        return error(e, header_id, retryable);
    }
    let parsed = match response::parse(reply.body) {
        Ok(parsed) => parsed,
        Err(response::ParseError(why)) => {
            let mut e = ErrorInfo::new(
                ErrorCode::BadResponse,
                Delivery::Unknown,
                format!("uSpeedo's answer could not be read ({why}); the batch may have been processed"),
            );
            e.status = Some(status);
            e.body_excerpt = Some(excerpt(reply.body)).filter(|b| !b.is_empty());
            return error(e, header_id, false);
        }
    };
    let request_id = header_id.or_else(|| parsed.req_uuid.clone());
    if parsed.ret_code != 0 {
        let mut e = ErrorInfo::new(
            ErrorCode::Api,
            Delivery::NotSent,
            format!("uSpeedo refused the request: RetCode {} {}", parsed.ret_code, quoted(&parsed.message)),
        );
        e.status = Some(status);
        e.ret_code = Some(parsed.ret_code);
        e.api_message = Some(parsed.message);
        e.fail_content = Some(parsed.fail_content);
        return error(e, request_id, false);
    }
    let (listed, unmatched) = match reply.sent {
        Some(sent) => crate::resend::matched(&parsed.fail_content, sent),
        None => (parsed.fail_content.clone(), 0),
    };
    let mismatch = (unmatched > 0).then(|| {
        format!("{unmatched} failures in FailContent name numbers that were not in this request; they are not in failed or resendRequest")
    });
    let failed = flatten(&listed);
    let resend = resend_request(&listed, reply.account_id);
    Outcome::Result {
        result: SendResult { response: parsed, request_id, failed, resend_request: resend, mismatch },
    }
}

/// What went wrong below HTTP, as `transport::classify` named it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TransportFailure {
    /// Refused or unresolvable before any byte was sent.
    ConnectFailed,
    /// Reset, closed or broken once the request may have been sent.
    Broken,
    /// Our time limit ran out.
    TimedOut,
    /// The caller's signal fired before the request was sent.
    AbortedBeforeSend,
    /// The caller's signal fired while the request was in flight.
    Aborted,
    /// The answer was larger than any real one; it was not read.
    TooLarge,
}

impl TransportFailure {
    pub fn from_name(name: &str) -> Option<Self> {
        Some(match name {
            "connect_failed" => Self::ConnectFailed,
            "broken" => Self::Broken,
            "timed_out" => Self::TimedOut,
            "aborted_before_send" => Self::AbortedBeforeSend,
            "aborted" => Self::Aborted,
            "too_large" => Self::TooLarge,
            _ => return None,
        })
    }
}

/// Interprets a failed fetch; `detail` is the platform's own wording.
pub fn transport_failure<R>(failure: TransportFailure, detail: &str, timeout_ms: u64) -> Outcome<R> {
    use TransportFailure::*;
    let detail = excerpt(detail);
    let (code, delivery, retryable, message) = match failure {
        ConnectFailed => (
            ErrorCode::Network,
            Delivery::NotSent,
            true,
            format!("could not connect to uSpeedo ({detail}); nothing was sent"),
        ),
        Broken => (
            ErrorCode::Network,
            Delivery::Unknown,
            false,
            format!("the connection failed after the request was sent ({detail}); the batch may have been processed, so it was not sent again"),
        ),
        TimedOut => (
            ErrorCode::Timeout,
            Delivery::Unknown,
            false,
            format!("no answer within {timeout_ms} ms; the batch may have been processed, so it was not sent again"),
        ),
        AbortedBeforeSend => {
            (ErrorCode::Aborted, Delivery::NotSent, false, "aborted before sending; nothing was sent".to_string())
        }
        Aborted => (
            ErrorCode::Aborted,
            Delivery::Unknown,
            false,
            "aborted while the request was in flight; the batch may have been processed".to_string(),
        ),
        TooLarge => (
            ErrorCode::BadResponse,
            Delivery::Unknown,
            false,
            format!("uSpeedo's answer was too large to be real ({detail}); the batch may have been processed"),
        ),
    };
    Outcome::Error { error: ErrorInfo::new(code, delivery, message), retryable }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reply(status: u16, body: &str) -> Reply<'_> {
        Reply {
            status,
            body,
            request_id_header: Some("hdr-id"),
            retry_after_ms: Some(2000),
            account_id: None,
            sent: None,
        }
    }

    fn err(o: Outcome) -> (ErrorInfo, bool) {
        match o {
            Outcome::Error { error, retryable } => (error, retryable),
            Outcome::Result { .. } => panic!("expected an error"),
        }
    }

    #[test]
    fn partial_failure_is_a_result() {
        let body = r#"{"RetCode":0,"SuccessCount":1,"SessionNo":"s1","ReqUuid":"body-id","FailContent":[
            {"TemplateId":"T","Target":[{"Phone":"1234","FailureDetails":"phone in the black list"}]}]}"#;
        match interpret(&reply(200, body)) {
            Outcome::Result { result } => {
                assert_eq!(result.request_id.as_deref(), Some("hdr-id"));
                assert_eq!(result.failed.len(), 1);
                assert!(result.resend_request.is_some());
            }
            Outcome::Error { .. } => panic!("expected a result"),
        }
    }

    #[test]
    fn classifies_errors_by_what_may_have_happened() {
        let (e, retry) =
            err(interpret(&reply(200, r#"{"RetCode":215398,"Message":"Failed to parse token"}"#)));
        assert_eq!((e.code, e.delivery, retry), (ErrorCode::Api, Delivery::NotSent, false));
        assert_eq!(e.ret_code, Some(215398));
        let (e, retry) = err(interpret(&reply(429, "slow down")));
        assert_eq!(
            (e.code, e.delivery, retry, e.retry_after_ms),
            (ErrorCode::Http, Delivery::NotSent, true, Some(2000))
        );
        let (e, retry) = err(interpret(&reply(307, "")));
        assert_eq!((e.code, e.delivery, retry), (ErrorCode::Http, Delivery::NotSent, false));
        assert!(e.message.contains("redirect"), "{}", e.message);
        let (e, retry) = err(interpret(&reply(502, "<html>bad gateway</html>")));
        assert_eq!((e.code, e.delivery, retry), (ErrorCode::Http, Delivery::Unknown, false));
        assert_eq!(e.retry_after_ms, None);
        let (e, _) = err(interpret(&reply(200, r#"{"RetCode":0,"Succ"#)));
        assert_eq!((e.code, e.delivery), (ErrorCode::BadResponse, Delivery::Unknown));
        let (e, retry) = err(transport_failure(TransportFailure::ConnectFailed, "ECONNREFUSED", 1));
        assert_eq!((e.code, e.delivery, retry), (ErrorCode::Network, Delivery::NotSent, true));
        let (e, retry) = err(transport_failure(TransportFailure::TimedOut, "", 30_000));
        assert_eq!((e.code, e.delivery, retry), (ErrorCode::Timeout, Delivery::Unknown, false));
    }

    #[test]
    fn excerpt_is_short_and_single_line() {
        let long = "x\n".repeat(500);
        let e = excerpt(&long);
        assert_eq!(e.chars().count(), EXCERPT_CHARS + 1);
        assert!(!e.contains('\n'));
    }
}
