//! The signing proxy's own options (besides the client options it signs with).

use super::fields::{entries, integer_in};
use crate::model::MAX_TARGETS_PER_REQUEST;
use crate::read::Any;
use serde::Serialize;

pub const DEFAULT_MAX_BODY_BYTES: u64 = 1024 * 1024;
const MAX_MAX_BODY_BYTES: u64 = 16 * 1024 * 1024;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ProxySettings {
    pub max_body_bytes: u64,
    pub max_targets: usize,
    pub allow_templates: Option<Vec<String>>,
    /// Accounts a browser's request may name besides the configured
    /// `accountId` (none by default).
    pub allow_account_ids: Vec<u64>,
    /// The uSpeedo actions a browser may ask for (the send and both reads
    /// by default).
    #[serde(skip)]
    pub allow_actions: Vec<crate::proxy::actions::ProxyAction>,
    /// Abuse controls added to validation.
    #[serde(skip)]
    pub limits: crate::validate::Limits,
}

impl ProxySettings {
    /// The accounts a browser's request may name: the server's own and
    /// `allowAccountIds`.
    pub fn allowed_accounts(&self, configured: Option<u64>) -> Vec<u64> {
        configured.into_iter().chain(self.allow_account_ids.iter().copied()).collect()
    }
}

/// `{ allowActions?, allowTemplates?, allowAccountIds?, allowSenderIds?, rejectDuplicates?,
/// maxParams?, maxParamLength?, maxTargets?, maxBodyBytes? }`.
pub fn proxy_settings(options: &Any) -> Result<ProxySettings, String> {
    let mut s = ProxySettings {
        max_body_bytes: DEFAULT_MAX_BODY_BYTES,
        max_targets: MAX_TARGETS_PER_REQUEST,
        allow_templates: None,
        allow_account_ids: Vec::new(),
        allow_actions: crate::proxy::actions::ALL_ACTIONS.to_vec(),
        limits: crate::validate::Limits::default(),
    };
    for (key, value) in entries(options, "proxy options")? {
        match (key.as_str(), value) {
            (_, Any::Null) => {}
            ("maxBodyBytes", v) => {
                s.max_body_bytes = integer_in(v.as_u64(), "maxBodyBytes", 1024, MAX_MAX_BODY_BYTES)?;
            }
            ("maxTargets", v) => {
                s.max_targets =
                    integer_in(v.as_u64(), "maxTargets", 1, MAX_TARGETS_PER_REQUEST as u64)? as usize;
            }
            ("allowActions", Any::Array(names)) => {
                let names: Vec<Option<&str>> = names.iter().map(Any::as_str).collect();
                s.allow_actions = crate::proxy::actions::allow_actions(&names)?;
            }
            ("allowActions", _) => s.allow_actions = crate::proxy::actions::allow_actions(&[None])?,
            ("allowTemplates", Any::Array(ids)) => {
                let ids: Option<Vec<String>> = ids.iter().map(|v| v.as_str().map(str::to_string)).collect();
                s.allow_templates = Some(ids.ok_or("allowTemplates must be an array of TemplateIds")?);
            }
            ("allowTemplates", _) => return Err("allowTemplates must be an array of TemplateIds".into()),
            ("allowAccountIds", Any::Array(ids)) => {
                let ids: Option<Vec<u64>> = ids.iter().map(|v| v.as_u64().filter(|n| *n > 0)).collect();
                s.allow_account_ids = ids.ok_or("allowAccountIds must be an array of positive integers")?;
            }
            ("allowAccountIds", _) => {
                return Err("allowAccountIds must be an array of positive integers".into())
            }
            ("allowSenderIds", Any::Array(ids)) => {
                let ids: Option<Vec<String>> = ids.iter().map(|v| v.as_str().map(str::to_string)).collect();
                s.limits.allow_sender_ids = Some(ids.ok_or("allowSenderIds must be an array of SenderIds")?);
            }
            ("allowSenderIds", _) => return Err("allowSenderIds must be an array of SenderIds".into()),
            ("rejectDuplicates", Any::Bool(b)) => s.limits.reject_duplicates = *b,
            ("rejectDuplicates", _) => return Err("rejectDuplicates must be a boolean".into()),
            ("maxParams", v) => {
                s.limits.max_params = Some(integer_in(v.as_u64(), "maxParams", 0, 1000)? as usize)
            }
            ("maxParamLength", v) => {
                s.limits.max_param_length =
                    Some(integer_in(v.as_u64(), "maxParamLength", 1, 10_000)? as usize)
            }
            _ => return Err(format!("unknown proxy option {}", crate::text::quoted(key))),
        }
    }
    Ok(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings_are_checked() {
        assert_eq!(proxy_settings(&Any::Object(vec![])).unwrap().max_targets, 1000);
        for bad in [
            r#"{"maxTargets":1001}"#,
            r#"{"maxBodyBytes":10}"#,
            r#"{"allowTemplates":[1]}"#,
            r#"{"allowtemplates":[]}"#,
            r#"{"allowActions":[]}"#,
            r#"{"allowActions":"GetUSMSSendReceipt"}"#,
        ] {
            assert!(proxy_settings(&Any::from_json(bad).unwrap()).is_err(), "{bad}");
        }
    }
}
