//! The operations the package offers, typed: what the wasm boundary calls
//! after converting its inputs, and what the native JSON interface
//! ([`crate::api`]) calls for tests and fuzzers. Inputs arrive already read
//! (a [`Slot`] or an [`Any`]); outputs are serde types.

use crate::issues::{Issue, IssueCode, IssueList};
use crate::model::{RequestView, SendBatchRequest};
use crate::options::{check_options, Checked};
use crate::outcome::{self, ErrorInfo, Outcome, Reply, TransportFailure};
use crate::prepare::{prepare_request, Prepared};
use crate::preview::{preview, Preview};
use crate::proxy::ProxySettings;
use crate::read::{Any, RawRequest, Slot};
use crate::retry::parse_retry_after;
use crate::text::quoted;
use crate::validate::{validate as check, ValidateOptions, Validation};
use serde::Serialize;

fn one_issue(path: &str, code: IssueCode, message: String) -> IssueList {
    let mut list = IssueList::default();
    list.push(&|| path.to_string(), code, message);
    list
}

/// `validateBatch`'s answer.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct ValidationReport {
    pub ok: bool,
    pub errors: Vec<Issue>,
    pub error_count: usize,
    pub warnings: Vec<Issue>,
    pub warning_count: usize,
    pub normalized: Option<SendBatchRequest>,
}

impl From<Validation> for ValidationReport {
    fn from(v: Validation) -> Self {
        ValidationReport {
            ok: v.ok(),
            error_count: v.errors.total,
            errors: v.errors.items,
            warning_count: v.warnings.total,
            warnings: v.warnings.items,
            normalized: v.normalized,
        }
    }
}

/// Reads `{ templates?, maxTargets?, allowTemplates? }`. `maxTargets`
/// defaults to one request's limit; `null` lifts it (bulk input); a bad
/// value (NaN, 0, 1.5) is an error, never "no limit".
pub fn validate_options(options: &Any) -> Result<ValidateOptions, IssueList> {
    let bad = |message: String| one_issue("(options)", IssueCode::WrongType, message);
    let entries = crate::options::entries(options, "options").map_err(bad)?;
    let mut out = ValidateOptions::single_request();
    for (key, value) in entries {
        match (key.as_str(), value) {
            ("templates", Any::Null) | ("allowTemplates", Any::Null) => {}
            ("templates", Any::Object(map)) => {
                for (id, text) in map {
                    let Any::String(text) = text else {
                        return Err(bad("templates must map each TemplateId to its text".into()));
                    };
                    out.templates.insert(id.clone(), text.clone());
                }
            }
            ("maxTargets", Any::Null) => out.max_targets = None,
            ("maxTargets", n) => match n.as_u64().filter(|n| *n > 0) {
                Some(n) => out.max_targets = Some(n as usize),
                None => return Err(bad(format!("maxTargets must be a positive integer, got {}", n.shown()))),
            },
            ("allowTemplates", Any::Array(ids)) => {
                let ids: Option<Vec<String>> = ids.iter().map(|id| id.as_str().map(str::to_string)).collect();
                out.allow_templates =
                    Some(ids.ok_or_else(|| bad("allowTemplates must be an array of strings".into()))?);
            }
            ("templates" | "allowTemplates", _) => return Err(bad(format!("{key} has the wrong type"))),
            _ => return Err(bad(format!("unknown option {}", quoted(key)))),
        }
    }
    Ok(out)
}

/// Validates with the options as given by the caller.
pub fn validate_with(input: Slot<RawRequest>, options: &Any) -> Validation {
    match validate_options(options) {
        Ok(options) => check(input, &options),
        Err(errors) => Validation { errors, ..Validation::default() },
    }
}

/// `validateBatch`.
pub fn validate_batch(input: Slot<RawRequest>, options: &Any) -> ValidationReport {
    validate_with(input, options).into()
}

/// `new Client(options)`: checked once, kept by the client.
pub fn client(options: &Any) -> Result<Checked, ErrorInfo> {
    if let Some(why) = options.unreadable() {
        let why = if why.is_empty() { "a function, a Symbol or a cycle where data belongs" } else { why };
        return Err(ErrorInfo::config(format!("options must be plain data ({why})")));
    }
    check_options(options).map_err(ErrorInfo::config)
}

/// `sendBatch`'s per-call options.
pub fn send_options(options: &Any) -> Result<crate::options::send::SendOptions, ErrorInfo> {
    crate::options::check_send_options(options).map_err(ErrorInfo::config)
}

/// The TemplateIds of a request, each once (none when it is invalid: its
/// validation errors are reported without asking uSpeedo anything).
pub fn template_ids(input: Slot<RawRequest>) -> Vec<String> {
    let options = ValidateOptions { max_targets: None, ..ValidateOptions::default() };
    let mut ids: Vec<String> = Vec::new();
    for task in check(input, &options).normalized.map(|r| r.task_content).unwrap_or_default() {
        if !ids.contains(&task.template_id) {
            ids.push(task.template_id);
        }
    }
    ids
}

/// A prepared request and the account it is for (the resend request built
/// from the answer names the same account).
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PreparedCall {
    pub prepared: Prepared,
    pub account_id: Option<u64>,
    /// The normalised request, to match uSpeedo's failure list against.
    #[serde(skip)]
    pub request: SendBatchRequest,
}

/// Validates (with the proxy's limits, when given), normalises and signs.
pub fn prepare(
    input: Slot<RawRequest>,
    checked: &Checked,
    timestamp_s: f64,
    nonce: &str,
    proxy: Option<&ProxySettings>,
) -> Result<PreparedCall, ErrorInfo> {
    let mut options = ValidateOptions {
        templates: checked.settings.templates.clone(),
        ..ValidateOptions::single_request()
    };
    checked.book.apply(&mut options);
    if let Some(proxy) = proxy {
        options.max_targets = Some(proxy.max_targets);
        options.allow_templates = proxy.allow_templates.clone();
        options.allow_account_ids = Some(proxy.allowed_accounts(checked.settings.account_id));
        options.limits = proxy.limits.clone();
    }
    let validation = check(input, &options);
    let request = match validation.normalized {
        Some(request) if validation.errors.is_empty() => request,
        _ => return Err(ErrorInfo::validation(validation.errors)),
    };
    prepare_valid(request, checked, timestamp_s, nonce)
}

/// Signs (or shapes for the proxy) an already validated request, kept in
/// the call to match uSpeedo's failure list against (taken, not copied: a
/// 1,000-number copy per chunk showed in the bulk profile).
pub fn prepare_valid(
    request: SendBatchRequest,
    checked: &Checked,
    timestamp_s: f64,
    nonce: &str,
) -> Result<PreparedCall, ErrorInfo> {
    let (prepared, account_id) = prepare_view(&request.view(), checked, timestamp_s, nonce)?;
    Ok(PreparedCall { prepared, account_id, request })
}

/// Signs (or shapes for the proxy) a validated request given as a view
/// (a bulk chunk over its plan's targets), with the account it goes to.
pub fn prepare_view(
    request: &RequestView,
    checked: &Checked,
    timestamp_s: f64,
    nonce: &str,
) -> Result<(Prepared, Option<u64>), ErrorInfo> {
    let account_id = request.account_id.or(checked.settings.account_id);
    let prepared =
        prepare_request(request, checked, unix_seconds(timestamp_s), nonce).map_err(ErrorInfo::config)?;
    Ok((prepared, account_id))
}

/// A timestamp handed in from JS (seconds, as a double) as an integer.
pub fn unix_seconds(timestamp_s: f64) -> u64 {
    if timestamp_s.is_finite() && timestamp_s >= 0.0 {
        timestamp_s as u64
    } else {
        0
    }
}

/// An HTTP reply as the transport saw it; `retry_after` is the raw header.
#[derive(Clone, Copy)]
pub struct RawReply<'a> {
    pub status: u16,
    pub body: &'a str,
    pub request_id: Option<&'a str>,
    pub retry_after: Option<&'a str>,
    pub now_ms: f64,
    pub account_id: Option<u64>,
    pub sent: Option<&'a SendBatchRequest>,
}

/// Interprets an HTTP reply.
pub fn interpret(raw: &RawReply) -> Outcome {
    let reply = Reply {
        status: raw.status,
        body: raw.body,
        request_id_header: raw.request_id,
        retry_after_ms: raw.retry_after.and_then(|v| parse_retry_after(v, raw.now_ms)),
        account_id: raw.account_id,
        sent: raw.sent,
    };
    outcome::interpret(&reply)
}

/// Interprets a failed fetch, as classified by the transport.
pub fn transport_failure(kind: &str, detail: &str, timeout_ms: f64) -> Outcome {
    let failure = TransportFailure::from_name(kind).unwrap_or(TransportFailure::Broken);
    let timeout = if timeout_ms.is_finite() && timeout_ms > 0.0 { timeout_ms as u64 } else { 0 };
    outcome::transport_failure(failure, detail, timeout)
}

/// `signPayload`: the X-Signature of any payload.
pub fn sign(payload: &Any, private_key: &str) -> Result<String, ErrorInfo> {
    if private_key.is_empty() {
        return Err(ErrorInfo::config("privateKey must be a non-empty string".into()));
    }
    let not_json = |message: String| ErrorInfo::validation(one_issue("", IssueCode::InvalidJson, message));
    if let Some(why) = payload.unreadable() {
        let why = if why.is_empty() { "a function, a Symbol or a cycle" } else { why };
        return Err(not_json(format!("the payload cannot be sent as JSON ({why})")));
    }
    if let Some(n) = crate::sign::non_finite(payload) {
        let n = crate::read::number_text(n);
        return Err(not_json(format!("the payload holds {n}, which JSON cannot carry")));
    }
    #[cfg(feature = "signing")]
    return Ok(crate::sign::sign(payload, private_key));
    #[cfg(not(feature = "signing"))]
    Err(ErrorInfo::config(crate::prepare::NO_SIGNING.into()))
}

/// `previewMessage`: `params` must be an array of strings (or absent).
pub fn preview_message(template: &Any, params: &Any) -> Result<Preview, ErrorInfo> {
    let Any::String(template) = template else {
        let issues = one_issue("templateText", IssueCode::WrongType, "templateText must be a string".into());
        return Err(ErrorInfo::validation(issues));
    };
    let params: Option<Vec<String>> = match params {
        Any::Null => Some(Vec::new()),
        Any::Array(items) => items.iter().map(|p| p.as_str().map(str::to_string)).collect(),
        _ => None,
    };
    match params {
        Some(params) => Ok(preview(template, &params)),
        None => Err(ErrorInfo::validation(one_issue(
            "params",
            IssueCode::WrongType,
            "params must be an array of strings".into(),
        ))),
    }
}
