//! Tolerant parsing of the `SendBatchUSMSMessage` answer: unknown fields are
//! ignored, missing optional ones defaulted, numbers may arrive as numeric
//! strings (seen in the wild). Anything that would make the accounting
//! guesswork (no RetCode, a FailContent that is not a list, duplicate keys)
//! is an error value, never a panic.

use crate::model::{FailedTarget, FailedTask, SendBatchResponse};
use crate::read::{number_text, Any, MAX_SAFE_INTEGER};
use crate::text::quoted;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError(pub String);

pub(crate) type Parsed<T> = Result<T, ParseError>;

pub(crate) fn wrong(field: &str, expected: &str, got: &Any) -> ParseError {
    ParseError(format!("{field} should be {expected}, got {}", got.kind()))
}

/// An integer given as a JSON number or a numeric string.
pub(crate) fn integer(object: &Any, field: &str) -> Parsed<Option<i64>> {
    match object.get(field) {
        None | Some(Any::Null) => Ok(None),
        Some(Any::Number(n)) if n.fract() == 0.0 && n.abs() <= MAX_SAFE_INTEGER => Ok(Some(*n as i64)),
        Some(Any::Number(n)) => Err(ParseError(format!("{field} is {}", number_text(*n)))),
        Some(Any::String(s)) => s
            .trim()
            .parse::<i64>()
            .map(Some)
            .map_err(|_| ParseError(format!("{field} is the non-numeric string {}", quoted(s)))),
        Some(other) => Err(wrong(field, "an integer", other)),
    }
}

/// An optional string; empty strings count as absent.
pub(crate) fn text(object: &Any, field: &str) -> Parsed<Option<String>> {
    match object.get(field) {
        None | Some(Any::Null) => Ok(None),
        Some(Any::String(s)) if s.is_empty() => Ok(None),
        Some(Any::String(s)) => Ok(Some(s.clone())),
        // Ids sometimes come back as numbers; the value is still meaningful.
        Some(Any::Number(n)) => Ok(Some(number_text(*n))),
        Some(other) => Err(wrong(field, "a string", other)),
    }
}

pub(crate) fn list<'v>(object: &'v Any, field: &str) -> Parsed<&'v [Any]> {
    match object.get(field) {
        None | Some(Any::Null) => Ok(&[]),
        Some(Any::Array(items)) => Ok(items),
        Some(other) => Err(wrong(field, "an array", other)),
    }
}

pub(crate) fn object<'v>(value: &'v Any, what: &str) -> Parsed<&'v Any> {
    match value {
        Any::Object(_) => Ok(value),
        other => Err(wrong(what, "an object", other)),
    }
}

fn failed_target(value: &Any) -> Parsed<FailedTarget> {
    let t = object(value, "FailContent[].Target[]")?;
    let phone = text(t, "Phone")?.ok_or_else(|| ParseError("a failed target has no Phone".into()))?;
    let template_params = list(t, "TemplateParams")?
        .iter()
        .map(|p| match p {
            Any::String(s) => Ok(s.clone()),
            Any::Number(n) => Ok(number_text(*n)),
            other => Err(wrong("TemplateParams[]", "a string", other)),
        })
        .collect::<Parsed<_>>()?;
    let invalid = match t.get("Invalid") {
        None | Some(Any::Null) => None,
        Some(Any::Bool(b)) => Some(*b),
        Some(other) => return Err(wrong("Invalid", "a boolean", other)),
    };
    Ok(FailedTarget {
        phone,
        template_params,
        extend_code: text(t, "ExtendCode")?,
        user_id: text(t, "UserId")?,
        failure_details: text(t, "FailureDetails")?,
        invalid,
    })
}

fn failed_task(value: &Any) -> Parsed<FailedTask> {
    let t = object(value, "FailContent[]")?;
    Ok(FailedTask {
        template_id: text(t, "TemplateId")?.unwrap_or_default(),
        sender_id: text(t, "SenderId")?,
        failure_details: text(t, "FailureDetails")?,
        target: list(t, "Target")?.iter().map(failed_target).collect::<Parsed<_>>()?,
    })
}

/// Reads a response object (already parsed: by `JSON.parse` in browsers, by
/// serde_json elsewhere).
pub fn from_value(value: &Any) -> Parsed<SendBatchResponse> {
    unambiguous(value)?;
    let r = object(value, "the response")?;
    let ret_code = integer(r, "RetCode")?.ok_or_else(|| ParseError("the response has no RetCode".into()))?;
    let success_count = integer(r, "SuccessCount")?.unwrap_or(0);
    Ok(SendBatchResponse {
        ret_code,
        action: text(r, "Action")?.unwrap_or_default(),
        message: text(r, "Message")?.unwrap_or_default(),
        session_no: text(r, "SessionNo")?,
        req_uuid: text(r, "ReqUuid")?,
        success_count: u64::try_from(success_count)
            .map_err(|_| ParseError(format!("SuccessCount is negative ({success_count})")))?,
        fail_content: list(r, "FailContent")?.iter().map(failed_task).collect::<Parsed<_>>()?,
    })
}

/// What every answer must be before any field is read: no key twice (a
/// naive reader takes the last `RetCode`, another the first), nothing JSON
/// cannot hold.
pub(crate) fn unambiguous(value: &Any) -> Parsed<()> {
    if let Some(key) = value.repeated_key() {
        return Err(ParseError(format!("the key {} appears twice", quoted(key))));
    }
    if let Some(why) = value.unreadable() {
        return Err(ParseError(format!("the response is not valid JSON ({why})")));
    }
    Ok(())
}

/// JSON text to a value: serde_json, which sees repeated keys, natively and
/// in the server build; the engine's `JSON.parse` in the browser build.
pub(crate) fn parse_text(text: &str) -> Result<Any, String> {
    #[cfg(all(target_arch = "wasm32", not(feature = "signing")))]
    return crate::wasm::convert::parse_json_text(text);
    #[cfg(not(all(target_arch = "wasm32", not(feature = "signing"))))]
    Any::from_json(text)
}

/// Parses a response body.
pub fn parse(body: &str) -> Parsed<SendBatchResponse> {
    if body.trim().is_empty() {
        return Err(ParseError("the response body is empty".into()));
    }
    let value = parse_text(body).map_err(|e| ParseError(format!("the response is not valid JSON ({e})")))?;
    from_value(&value)
}

#[cfg(test)]
mod tests {
    use super::*;

    const DOCS_EXAMPLE: &str = r#"{"RetCode":0,"Message":"","SessionNo":"18a9e9f1-0a3a-4d8e-a7c5-5b3f5b3e6c11",
        "SuccessCount":2,"Action":"SendBatchUSMSMessageResponse","FailContent":[{"TemplateId":"UTA2233108MUY3HZ",
        "SenderId":"uSpeedo","FailureDetails":"","Target":[{"Phone":"55212345782","TemplateParams":["1","2","n"],
        "FailureDetails":"phone in the black list","Invalid":false}]}],"ReqUuid":"abc","Extra":{"x":1}}"#;

    #[test]
    fn parses_the_docs_example() {
        let r = parse(DOCS_EXAMPLE).unwrap();
        assert_eq!(r.ret_code, 0);
        assert_eq!(r.success_count, 2);
        assert_eq!(r.req_uuid.as_deref(), Some("abc"));
        let task = &r.fail_content[0];
        assert_eq!(task.failure_details, None);
        assert_eq!(task.target[0].failure_details.as_deref(), Some("phone in the black list"));
        assert_eq!(task.target[0].invalid, Some(false));
    }

    #[test]
    fn tolerates_strings_for_numbers_and_missing_fields() {
        let r = parse(r#"{"RetCode":"215398","Message":"Failed to parse token"}"#).unwrap();
        assert_eq!(r.ret_code, 215398);
        assert_eq!(r.success_count, 0);
        assert!(r.fail_content.is_empty());
        assert_eq!(parse(r#"{"RetCode":0,"SuccessCount":"3"}"#).unwrap().success_count, 3);
    }

    #[test]
    fn rejects_what_cannot_be_accounted_for() {
        for body in [
            "",
            "<html><body>502 Bad Gateway</body></html>",
            r#"{"RetCode":0,"SuccessCount":2"#,
            r#"[]"#,
            r#"{"Message":"no code"}"#,
            r#"{"RetCode":"zero"}"#,
            r#"{"RetCode":0,"SuccessCount":{}}"#,
            r#"{"RetCode":0,"FailContent":"none"}"#,
            r#"{"RetCode":0,"FailContent":[{"Target":[{"TemplateParams":[]}]}]}"#,
            r#"{"RetCode":0,"RetCode":1}"#,
            r#"{"RetCode":0,"SuccessCount":-1}"#,
        ] {
            assert!(parse(body).is_err(), "{body}");
        }
    }
}
