//! The error every failure becomes: a stable `code`, a human message, and
//! `delivery`, which says whether the numbers may have been texted.

use crate::issues::{Issue, IssueList};
use crate::model::FailedTask;
use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS), ts(rename_all = "SCREAMING_SNAKE_CASE"))]
pub enum ErrorCode {
    Validation,
    Api,
    Http,
    Network,
    Timeout,
    Aborted,
    BadResponse,
    Config,
    /// A bug in this package (the wasm instance was re-created).
    Internal,
}

/// Whether the numbers of a failed call may have been texted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS), ts(rename_all = "snake_case"))]
pub enum Delivery {
    /// Provably not processed: safe to send again.
    NotSent,
    /// May have been processed: sending again could text people twice.
    Unknown,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS), ts(rename = "ErrorDetails"))]
pub struct ErrorInfo {
    pub code: ErrorCode,
    pub message: String,
    pub delivery: Delivery,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "typescript", ts(optional))]
    pub request_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "typescript", ts(optional))]
    pub status: Option<u16>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "typescript", ts(optional))]
    pub body_excerpt: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "typescript", ts(optional, type = "number"))]
    pub ret_code: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "typescript", ts(optional))]
    pub api_message: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "typescript", ts(optional))]
    pub fail_content: Option<Vec<FailedTask>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "typescript", ts(optional))]
    pub issues: Option<Vec<Issue>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "typescript", ts(optional, type = "number"))]
    pub issue_count: Option<usize>,
    /// Set on HTTP 429 when the server said when to come back.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "typescript", ts(optional, type = "number"))]
    pub retry_after_ms: Option<u64>,
    /// How many attempts the call made (set by the transport).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "typescript", ts(optional))]
    pub attempts: Option<u32>,
}

impl ErrorInfo {
    pub fn new(code: ErrorCode, delivery: Delivery, message: String) -> Self {
        ErrorInfo {
            code,
            message,
            delivery,
            request_id: None,
            status: None,
            body_excerpt: None,
            ret_code: None,
            api_message: None,
            fail_content: None,
            issues: None,
            issue_count: None,
            retry_after_ms: None,
            attempts: None,
        }
    }

    /// The fields that decide what happens next, read back from an error's
    /// JS form (the signing proxy's answer, the native JSON interface). A
    /// missing or unknown code reads as INTERNAL, a missing delivery as
    /// unknown: the safe reading.
    pub fn from_any(value: &crate::read::Any) -> ErrorInfo {
        use crate::read::Any;
        let text = |k: &str| value.get(k).and_then(Any::as_str).map(str::to_string);
        let int = |k: &str| value.get(k).and_then(Any::as_u64);
        let code = text("code").and_then(|c| ErrorCode::from_name(&c)).unwrap_or(ErrorCode::Internal);
        let delivery = if text("delivery").as_deref() == Some("not_sent") {
            Delivery::NotSent
        } else {
            Delivery::Unknown
        };
        let mut info = ErrorInfo::new(code, delivery, text("message").unwrap_or_default());
        info.request_id = text("requestId");
        info.status = int("status").and_then(|n| u16::try_from(n).ok());
        info.ret_code = value.get("retCode").and_then(|v| match v {
            Any::Number(n) if n.fract() == 0.0 && n.abs() <= crate::read::MAX_SAFE_INTEGER => Some(*n as i64),
            _ => None,
        });
        info.retry_after_ms = int("retryAfterMs");
        info.attempts = int("attempts").and_then(|n| u32::try_from(n).ok());
        info
    }

    pub fn validation(errors: IssueList) -> Self {
        let first = errors.items.first().map(|i| format!(": {} {}", i.path, i.message)).unwrap_or_default();
        let more = match errors.total {
            0 | 1 => String::new(),
            n => format!(" (and {} more)", n - 1),
        };
        let mut e = Self::new(
            ErrorCode::Validation,
            Delivery::NotSent,
            format!("the request is invalid{first}{more}; nothing was sent"),
        );
        e.issue_count = Some(errors.total);
        e.issues = Some(errors.items);
        e
    }

    pub fn config(message: String) -> Self {
        Self::new(ErrorCode::Config, Delivery::NotSent, message)
    }
}

impl ErrorCode {
    const ALL: [ErrorCode; 9] = [
        ErrorCode::Validation,
        ErrorCode::Api,
        ErrorCode::Http,
        ErrorCode::Network,
        ErrorCode::Timeout,
        ErrorCode::Aborted,
        ErrorCode::BadResponse,
        ErrorCode::Config,
        ErrorCode::Internal,
    ];

    /// The code a name (as written by `as_str`) stands for.
    pub fn from_name(name: &str) -> Option<ErrorCode> {
        Self::ALL.into_iter().find(|c| c.as_str() == name)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            ErrorCode::Validation => "VALIDATION",
            ErrorCode::Api => "API",
            ErrorCode::Http => "HTTP",
            ErrorCode::Network => "NETWORK",
            ErrorCode::Timeout => "TIMEOUT",
            ErrorCode::Aborted => "ABORTED",
            ErrorCode::BadResponse => "BAD_RESPONSE",
            ErrorCode::Config => "CONFIG",
            ErrorCode::Internal => "INTERNAL",
        }
    }
}

impl Delivery {
    pub fn as_str(self) -> &'static str {
        match self {
            Delivery::NotSent => "not_sent",
            Delivery::Unknown => "unknown",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_read_back_from_their_names() {
        for code in ErrorCode::ALL {
            assert_eq!(ErrorCode::from_name(code.as_str()), Some(code));
        }
        assert_eq!(ErrorCode::from_name("DEADLINE"), None);
    }
}
