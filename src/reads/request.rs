//! A read as a browser's client sends it through the signing proxy,
//! `{ Action?, AccountId?, SessionNoSet | TemplateId }`, checked as strictly
//! as a send before the proxy signs it: one uSpeedo call's worth of ids,
//! each a plain string, no other fields, an account the server allows.

use super::{one, plan_ids, ReadAction};
use crate::issues::{IssueCode, IssueList};
use crate::outcome::ErrorInfo;
use crate::read::Any;
use crate::text::quoted;
use crate::validate::account::{account_id, not_an_account};

/// What the proxy signs for a read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadRequest {
    pub account_id: Option<u64>,
    pub ids: Vec<String>,
}

/// Where a proxied read may reach: the accounts the server sends for, and
/// (with `allowTemplates`) the templates a page may look up.
pub struct ReadLimits<'a> {
    pub accounts: &'a [u64],
    pub templates: Option<&'a [String]>,
}

/// Checks `body` as a read of `action` and says what to sign.
pub fn check_read_request(
    action: ReadAction,
    body: &str,
    limits: &ReadLimits,
) -> Result<ReadRequest, ErrorInfo> {
    let invalid = |code, message| Err(ErrorInfo::validation(one("", code, message)));
    let entries = match Any::from_json(body) {
        Ok(Any::Object(entries)) => entries,
        Ok(other) => {
            return invalid(IssueCode::WrongType, format!("must be an object, got {}", other.kind()))
        }
        Err(why) => return invalid(IssueCode::InvalidJson, format!("the body is not JSON ({why})")),
    };
    let field = action.ids_field();
    let mut issues = IssueList::default();
    let mut account = None;
    let mut ids = None;
    for (key, value) in &entries {
        let path = || key.clone();
        match (key.as_str(), value) {
            ("Action", Any::String(name)) if name == action.name() => {}
            ("Action", other) => {
                let got = other.as_str().map_or_else(|| other.kind().to_string(), quoted);
                let message =
                    format!("must be \"{}\" (the URL's Action) or omitted, got {got}", action.name());
                issues.push(&path, IssueCode::WrongAction, message);
            }
            ("AccountId", Any::Number(n)) => match account_id(*n, Some(limits.accounts)) {
                Ok(id) => account = Some(id),
                Err((code, message)) => issues.push(&path, code, message),
            },
            ("AccountId", other) => {
                issues.push(&path, IssueCode::InvalidAccountId, not_an_account(other.kind()))
            }
            (k, Any::Array(items)) if k == field && items.len() > action.per_call() => {
                let message = format!(
                    "holds {} ids; one call through the proxy takes at most {}",
                    items.len(),
                    action.per_call()
                );
                issues.push(&path, IssueCode::TooManyIds, message);
            }
            (k, value) if k == field => match plan_ids(action, value) {
                Ok(calls) => {
                    outside_templates(action, value, limits.templates, &mut issues);
                    ids = Some(calls.concat());
                }
                Err(error) => {
                    for issue in error.issues.unwrap_or_default() {
                        issues.push(&|| issue.path.clone(), issue.code, issue.message.clone());
                    }
                }
            },
            _ => issues.push(&path, IssueCode::UnknownField, format!("is not a field of {}", action.name())),
        }
    }
    if ids.is_none() && issues.is_empty() {
        issues.push(&|| field.to_string(), IssueCode::Required, "is required".into());
    }
    match ids {
        Some(ids) if issues.is_empty() => Ok(ReadRequest { account_id: account, ids }),
        _ => Err(ErrorInfo::validation(issues)),
    }
}

/// With `allowTemplates`, a page looks up only the templates it may send.
fn outside_templates(action: ReadAction, ids: &Any, allowed: Option<&[String]>, issues: &mut IssueList) {
    let (ReadAction::Templates, Some(allowed), Any::Array(items)) = (action, allowed, ids) else { return };
    for (i, id) in items.iter().enumerate().filter_map(|(i, v)| Some((i, v.as_str()?))) {
        if !allowed.iter().any(|a| a == id) {
            let message = format!("{} is not a template this proxy offers", quoted(id));
            issues.push(&|| format!("TemplateId[{i}]"), IssueCode::TemplateNotAllowed, message);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn codes(action: ReadAction, body: &str) -> Vec<(String, IssueCode)> {
        let limits = ReadLimits { accounts: &[7], templates: Some(&["T".to_string()]) };
        let error = check_read_request(action, body, &limits).unwrap_err();
        error.issues.unwrap().into_iter().map(|i| (i.path, i.code)).collect()
    }

    #[test]
    fn a_proxied_read_is_one_call_of_plain_ids() {
        let limits = ReadLimits { accounts: &[7], templates: None };
        let body = r#"{"Action":"GetUSMSSendReceipt","AccountId":7,"SessionNoSet":["a","b","a"]}"#;
        let ok = check_read_request(ReadAction::Receipts, body, &limits);
        assert_eq!(ok.unwrap(), ReadRequest { account_id: Some(7), ids: vec!["a".into(), "b".into()] });
        let r = ReadAction::Receipts;
        let t = ReadAction::Templates;
        let too_many = format!(r#"{{"SessionNoSet":[{}]}}"#, vec![r#""s""#; 101].join(","));
        assert_eq!(codes(r, &too_many), [("SessionNoSet".into(), IssueCode::TooManyIds)]);
        assert_eq!(codes(r, "[1]"), [("".into(), IssueCode::WrongType)]);
        assert_eq!(codes(r, "{"), [("".into(), IssueCode::InvalidJson)]);
        assert_eq!(codes(r, "{}"), [("SessionNoSet".into(), IssueCode::Required)]);
        assert_eq!(
            codes(t, r#"{"Action":"GetUSMSSendReceipt","TemplateId":["T"]}"#),
            [("Action".into(), IssueCode::WrongAction)]
        );
        assert_eq!(
            codes(t, r#"{"TemplateId":["T"],"Extra":1}"#),
            [("Extra".into(), IssueCode::UnknownField)]
        );
        assert_eq!(
            codes(t, r#"{"TemplateId":["T"],"AccountId":8}"#),
            [("AccountId".into(), IssueCode::AccountNotAllowed)]
        );
        assert_eq!(
            codes(t, r#"{"TemplateId":["T"],"AccountId":"7"}"#),
            [("AccountId".into(), IssueCode::InvalidAccountId)]
        );
        assert_eq!(
            codes(t, r#"{"TemplateId":["T",1,"\u200b"]}"#),
            [
                ("TemplateId[1]".into(), IssueCode::WrongType),
                ("TemplateId[2]".into(), IssueCode::ControlCharacter)
            ]
        );
        assert_eq!(
            codes(t, r#"{"TemplateId":["T","U"]}"#),
            [("TemplateId[1]".into(), IssueCode::TemplateNotAllowed)]
        );
        let long = format!(r#"{{"TemplateId":["{}"]}}"#, "x".repeat(129));
        assert_eq!(codes(t, &long), [("TemplateId[0]".into(), IssueCode::IdTooLong)]);
    }
}
