//! The read actions on the same endpoint and signing: delivery receipts
//! (`GetUSMSSendReceipt`) and templates (`QueryUSMSTemplate`). Their rule
//! differs from a send's in one way: a read that may have reached uSpeedo
//! is repeated (after a timeout, a reset, a 5xx or an unreadable answer),
//! because reading twice texts nobody.

pub mod delivery;
pub mod receipts;
pub mod request;
pub mod templates;

use crate::issues::{IssueCode, IssueList};
use crate::ops::RawReply;
use crate::outcome::{transport_failure, Delivery, ErrorCode, ErrorInfo, Outcome, TransportFailure};
use crate::read::Any;
use crate::response::{integer, parse_text, text, unambiguous, ParseError};
use crate::text::quoted;
use crate::transport::call::{Answer, Call};
use serde::Serialize;

/// At most this many SessionNos per `GetUSMSSendReceipt` call (uSpeedo's limit).
pub const MAX_SESSIONS_PER_CALL: usize = 100;
/// Template ids per `QueryUSMSTemplate` call.
pub const MAX_TEMPLATES_PER_CALL: usize = 100;
/// Longer than any SessionNo (a UUID) or TemplateId uSpeedo issues.
pub const MAX_ID_CHARS: usize = 128;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReadAction {
    Receipts,
    Templates,
}

impl ReadAction {
    pub fn name(self) -> &'static str {
        match self {
            ReadAction::Receipts => "GetUSMSSendReceipt",
            ReadAction::Templates => "QueryUSMSTemplate",
        }
    }

    /// The request field that carries the ids.
    pub fn ids_field(self) -> &'static str {
        match self {
            ReadAction::Receipts => "SessionNoSet",
            ReadAction::Templates => "TemplateId",
        }
    }

    pub fn per_call(self) -> usize {
        match self {
            ReadAction::Receipts => MAX_SESSIONS_PER_CALL,
            ReadAction::Templates => MAX_TEMPLATES_PER_CALL,
        }
    }
}

/// The ids a caller asked for, checked (strings, no control or invisible
/// characters, not empty), without repeats, in calls of at most the
/// action's limit.
pub fn plan_ids(action: ReadAction, ids: &Any) -> Result<Vec<Vec<String>>, ErrorInfo> {
    let field = action.ids_field();
    let Any::Array(items) = ids else {
        let issues =
            one(field, IssueCode::WrongType, format!("must be an array of strings, got {}", ids.kind()));
        return Err(ErrorInfo::validation(issues));
    };
    let mut seen = std::collections::BTreeSet::new();
    let mut unique = Vec::new();
    let mut issues = IssueList::default();
    for (i, item) in items.iter().enumerate() {
        let path = || format!("{field}[{i}]");
        match item {
            Any::String(s) if s.is_empty() => {
                issues.push(&path, IssueCode::Empty, "must not be empty".into())
            }
            Any::String(s) if s.chars().any(crate::invisible::is_invisible_control) => issues.push(
                &path,
                IssueCode::ControlCharacter,
                "contains a control or invisible character".into(),
            ),
            Any::String(s) if s.chars().count() > MAX_ID_CHARS => issues.push(
                &path,
                IssueCode::IdTooLong,
                format!("is {} characters long; uSpeedo's ids are at most {MAX_ID_CHARS}", s.chars().count()),
            ),
            Any::String(s) => {
                if seen.insert(s.clone()) {
                    unique.push(s.clone());
                }
            }
            other => {
                issues.push(&path, IssueCode::WrongType, format!("must be a string, got {}", other.kind()))
            }
        }
    }
    if issues.total > 0 {
        return Err(ErrorInfo::validation(issues));
    }
    Ok(unique.chunks(action.per_call()).map(<[String]>::to_vec).collect())
}

fn one(path: &str, code: IssueCode, message: String) -> IssueList {
    let mut list = IssueList::default();
    list.push(&|| path.to_string(), code, message);
    list
}

/// The body of one read call (keys in any order: the signature sorts them).
#[derive(Serialize)]
pub struct ReadPayload<'a> {
    #[serde(rename = "Action")]
    pub action: &'static str,
    #[serde(rename = "AccountId", skip_serializing_if = "Option::is_none")]
    pub account_id: Option<u64>,
    #[serde(flatten)]
    pub ids: ReadIds<'a>,
}

#[derive(Serialize)]
pub enum ReadIds<'a> {
    #[serde(rename = "SessionNoSet")]
    SessionNoSet(&'a [String]),
    #[serde(rename = "TemplateId")]
    TemplateId(&'a [String]),
}

impl<'a> ReadPayload<'a> {
    pub fn new(action: ReadAction, account_id: Option<u64>, ids: &'a [String]) -> Self {
        let ids = match action {
            ReadAction::Receipts => ReadIds::SessionNoSet(ids),
            ReadAction::Templates => ReadIds::TemplateId(ids),
        };
        ReadPayload { action: action.name(), account_id, ids }
    }

    /// The same payload as a value, for the signature.
    pub fn value(&self) -> Any {
        let (field, ids) = match self.ids {
            ReadIds::SessionNoSet(ids) => ("SessionNoSet", ids),
            ReadIds::TemplateId(ids) => ("TemplateId", ids),
        };
        let mut entries = vec![("Action".to_string(), Any::String(self.action.to_string()))];
        if let Some(id) = self.account_id {
            entries.push(("AccountId".to_string(), Any::Number(id as f64)));
        }
        entries.push((field.to_string(), Any::Array(ids.iter().cloned().map(Any::String).collect())));
        Any::Object(entries)
    }
}

/// One read call's answer: the parsed `Data` and the request id.
#[derive(Debug, Clone, PartialEq)]
pub struct ReadPage {
    pub data: Any,
    pub request_id: Option<String>,
}

impl Answer for ReadPage {
    fn request_id(&self) -> Option<&str> {
        self.request_id.as_deref()
    }
}

/// A read call, judged by the read rule.
pub struct ReadCall {
    pub action: ReadAction,
}

fn read_error(code: ErrorCode, message: String, status: Option<u16>, retryable: bool) -> Outcome<ReadPage> {
    // A read texts nobody: whatever happened, nothing was sent.
    let mut error = ErrorInfo::new(code, Delivery::NotSent, message);
    error.status = status;
    Outcome::Error { error, retryable }
}

impl Call for ReadCall {
    type Answer = ReadPage;

    fn reply(&self, reply: &RawReply) -> Outcome<ReadPage> {
        let action = self.action.name();
        let status = reply.status;
        let header_id = reply.request_id.filter(|id| !id.is_empty()).map(str::to_string);
        let with_id = |mut outcome: Outcome<ReadPage>| {
            if let Outcome::Error { error, .. } = &mut outcome {
                error.request_id = header_id.clone();
                if status == 429 {
                    error.retry_after_ms =
                        reply.retry_after.and_then(|v| crate::retry::parse_retry_after(v, reply.now_ms));
                }
            }
            outcome
        };
        if !(200..300).contains(&status) {
            // Repeated where a send is not: 429 and any 5xx.
            let retryable = status == 429 || status >= 500;
            let message = format!("HTTP {status} from uSpeedo for {action}");
            return with_id(read_error(ErrorCode::Http, message, Some(status), retryable));
        }
        let parsed = match parse_text(reply.body).and_then(|v| unambiguous(&v).map(|()| v).map_err(|e| e.0)) {
            Ok(value) => value,
            Err(why) => {
                let message = format!("uSpeedo's answer to {action} could not be read ({why})");
                return with_id(read_error(ErrorCode::BadResponse, message, Some(status), true));
            }
        };
        let ret_code = match integer(&parsed, "RetCode") {
            Ok(Some(code)) => code,
            Ok(None) | Err(_) => {
                let message = format!("uSpeedo's answer to {action} has no readable RetCode");
                return with_id(read_error(ErrorCode::BadResponse, message, Some(status), true));
            }
        };
        let body_id = text(&parsed, "ReqUuid").ok().flatten();
        if ret_code != 0 {
            let api_message = text(&parsed, "Message").ok().flatten().unwrap_or_default();
            let mut error = ErrorInfo::new(
                ErrorCode::Api,
                Delivery::NotSent,
                format!("uSpeedo refused {action}: RetCode {ret_code} {}", quoted(&api_message)),
            );
            error.status = Some(status);
            error.ret_code = Some(ret_code);
            error.api_message = Some(api_message);
            error.request_id = header_id.or(body_id);
            return Outcome::Error { error, retryable: false };
        }
        let data = parsed.get("Data").cloned().unwrap_or(Any::Null);
        Outcome::Result { result: ReadPage { data, request_id: header_id.or(body_id) } }
    }

    fn failure(&self, failure: TransportFailure, detail: &str, timeout_ms: u64) -> Outcome<ReadPage> {
        match transport_failure::<ReadPage>(failure, detail, timeout_ms) {
            Outcome::Error { mut error, .. } => {
                // Only the caller's abort ends a read at once.
                let retryable =
                    !matches!(failure, TransportFailure::Aborted | TransportFailure::AbortedBeforeSend);
                error.delivery = Delivery::NotSent;
                error.message =
                    format!("{} ({} is a read: nothing was sent)", error.message, self.action.name());
                Outcome::Error { error, retryable }
            }
            other => other,
        }
    }

    fn not_a_response(&self) -> Outcome<ReadPage> {
        let message = format!("fetch resolved to something that is not a Response ({})", self.action.name());
        read_error(ErrorCode::BadResponse, message, None, true)
    }
}

/// A tolerant read of one `Data` entry failed: the answer is unusable.
pub fn bad_data(action: ReadAction, why: ParseError) -> ErrorInfo {
    ErrorInfo::new(
        ErrorCode::BadResponse,
        Delivery::NotSent,
        format!("uSpeedo's answer to {} could not be read ({})", action.name(), why.0),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn raw(status: u16, body: &str) -> RawReply<'_> {
        RawReply {
            status,
            body,
            request_id: Some("rid"),
            retry_after: None,
            now_ms: 0.0,
            account_id: None,
            sent: None,
        }
    }

    #[test]
    fn reads_are_repeated_where_sends_are_not() {
        let call = ReadCall { action: ReadAction::Receipts };
        for (status, body, retry) in [
            (500, "", true),
            (502, "<html>", true),
            (429, "", true),
            (400, "", false),
            (200, "{", true),
            (200, r#"{"RetCode":215398,"Message":"bad token"}"#, false),
            (200, r#"{"RetCode":0,"Data":[],"RetCode":1}"#, true),
        ] {
            match call.reply(&raw(status, body)) {
                Outcome::Error { error, retryable } => {
                    assert_eq!((retryable, error.delivery), (retry, Delivery::NotSent), "{status} {body}");
                    assert_eq!(error.request_id.as_deref(), Some("rid"));
                }
                Outcome::Result { .. } => panic!("{status} {body}: expected an error"),
            }
        }
        let timeout = call.failure(TransportFailure::TimedOut, "", 1);
        assert!(matches!(timeout, Outcome::Error { retryable: true, .. }));
        let aborted = call.failure(TransportFailure::Aborted, "", 1);
        assert!(matches!(aborted, Outcome::Error { retryable: false, .. }));
        match call.reply(&raw(200, r#"{"RetCode":"0","Data":[]}"#)) {
            Outcome::Result { result } => assert_eq!(result.data, Any::Array(vec![])),
            Outcome::Error { error, .. } => panic!("{error:?}"),
        }
    }

    #[test]
    fn ids_are_checked_deduplicated_and_split() {
        let ids: Vec<Any> = (0..250).map(|i| Any::String(format!("s{}", i % 240))).collect();
        let calls = plan_ids(ReadAction::Receipts, &Any::Array(ids)).unwrap();
        assert_eq!(calls.iter().map(Vec::len).collect::<Vec<_>>(), vec![100, 100, 40]);
        let bad =
            plan_ids(ReadAction::Templates, &Any::Array(vec![Any::Number(1.0), Any::String("".into())]));
        let issues = bad.unwrap_err().issues.unwrap();
        assert_eq!(
            issues.iter().map(|i| i.path.as_str()).collect::<Vec<_>>(),
            ["TemplateId[0]", "TemplateId[1]"]
        );
        assert!(plan_ids(ReadAction::Receipts, &Any::String("s".into())).is_err());
    }

    #[test]
    #[cfg(feature = "signing")]
    fn the_official_template_query_vector_signs() {
        let ids = ["UTA230227EL4IW1".to_string(), "UTA230227JVIB02".to_string()];
        let payload = ReadPayload::new(ReadAction::Templates, Some(60000011), &ids);
        let key = "NTk1Mzk0MAItOWI0My10MGM4LTg0NmMMNDM0ZGM5Y2ZkMmNk";
        assert_eq!(crate::sign::sign(&payload.value(), key), "258dc3d2d7115e9e7c9f4dd4910e671e17b224f1");
        let body = serde_json::to_string(&payload).unwrap();
        assert_eq!(
            crate::sign::sign(&Any::from_json(&body).unwrap(), key),
            "258dc3d2d7115e9e7c9f4dd4910e671e17b224f1"
        );
    }
}
