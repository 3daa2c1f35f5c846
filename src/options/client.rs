//! `new Client(options)`: every data option is checked here, field by field,
//! so a mistake is named precisely. Messages never quote a key's value.
//! (Function options — `fetch`, `onRequest`, `onResponse` — stay in JS.)

use super::fields::{entries, integer, string, string_map};
use crate::prepare::{check_base_url, Signer, DEFAULT_BASE_URL};
use crate::read::Any;
use crate::text::quoted;
use crate::text::StringMap;
use serde::Serialize;

pub const DEFAULT_TIMEOUT_MS: u64 = 30_000;
pub const DEFAULT_MAX_RETRIES: u32 = 2;
pub(crate) const MAX_TIMEOUT_MS: u64 = 10 * 60_000;
const MAX_MAX_RETRIES: u64 = 10;
/// Headers the package sets itself; a caller's `headers` may not replace them.
const RESERVED_HEADERS: &[&str] =
    &["content-type", "x-access-key-id", "x-signature", "x-timestamp", "x-nonce", "content-length", "host"];

/// The checked options, minus the private key (which stays in `Signer`).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct ClientSettings {
    /// `"direct"` signs with a key pair; `"proxy"` posts unsigned batches to `proxyUrl`.
    #[cfg_attr(feature = "typescript", ts(type = r#""direct" | "proxy""#))]
    pub mode: &'static str,
    pub public_key: Option<String>,
    #[cfg_attr(feature = "typescript", ts(type = "number | null"))]
    pub account_id: Option<u64>,
    pub base_url: String,
    pub proxy_url: Option<String>,
    #[cfg_attr(feature = "typescript", ts(type = "number"))]
    pub timeout_ms: u64,
    pub max_retries: u32,
    pub user_agent: Option<String>,
    #[cfg_attr(feature = "typescript", ts(type = "Record<string, string>"))]
    pub headers: StringMap,
    #[cfg_attr(feature = "typescript", ts(type = "Record<string, string>"))]
    pub templates: StringMap,
}

#[derive(Clone)]
pub struct Checked {
    pub settings: ClientSettings,
    pub signer: Option<Signer>,
    /// Templates loaded from uSpeedo (`loadTemplates`, `checkTemplates`).
    pub book: crate::reads::templates::TemplateBook,
}

/// What fetch accepts in a header value without refusing the request.
fn ascii_text(value: &str) -> bool {
    value.bytes().all(|b| b == b'\t' || (b' '..=b'~').contains(&b))
}

fn check_headers(headers: &StringMap) -> Result<(), String> {
    for (name, value) in headers {
        let token = !name.is_empty()
            && name.bytes().all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b));
        if !token {
            return Err(format!("headers: {} is not a valid header name", quoted(name)));
        }
        if RESERVED_HEADERS.contains(&name.to_ascii_lowercase().as_str()) {
            return Err(format!("headers: {name} is set by the package and cannot be overridden"));
        }
        if value.chars().any(|c| c.is_control()) {
            return Err(format!("headers: the value of {name} contains a control character"));
        }
        if !ascii_text(value) {
            return Err(format!(
                "headers: the value of {name} must be ASCII text (fetch refuses other characters)"
            ));
        }
    }
    Ok(())
}

const KNOWN: &[&str] = &[
    "publicKey",
    "privateKey",
    "accountId",
    "baseUrl",
    "proxyUrl",
    "timeoutMs",
    "maxRetries",
    "userAgent",
    "headers",
    "templates",
];

/// Checks the options object (functions already taken out at the wasm door).
pub fn check_options(o: &Any) -> Result<Checked, String> {
    let keys = entries(o, "options")?;
    if matches!(o, Any::Null) {
        return Err("options must be an object".into());
    }
    if let Some((unknown, _)) = keys.iter().find(|(k, _)| !KNOWN.contains(&k.as_str())) {
        let hint = crate::hint::did_you_mean(unknown, KNOWN);
        return Err(format!("unknown option {}{hint}; known options: {}", quoted(unknown), KNOWN.join(", ")));
    }
    let timeout_ms = integer(o, "timeoutMs", 1, MAX_TIMEOUT_MS)?.unwrap_or(DEFAULT_TIMEOUT_MS);
    let max_retries = integer(o, "maxRetries", 0, MAX_MAX_RETRIES)?.map_or(DEFAULT_MAX_RETRIES, |n| n as u32);
    let account_id = integer(o, "accountId", 1, u64::MAX)?;
    let user_agent = string(o, "userAgent")?;
    if user_agent.as_deref().is_some_and(|ua| ua.chars().any(|c| c.is_control())) {
        return Err("userAgent contains a control character".into());
    }
    if user_agent.as_deref().is_some_and(|ua| !ascii_text(ua)) {
        return Err("userAgent must be ASCII text (fetch refuses other characters in a header)".into());
    }
    let headers = string_map(o, "headers")?;
    check_headers(&headers)?;
    let templates = string_map(o, "templates")?;
    let proxy_url = string(o, "proxyUrl")?;
    let public_key = string(o, "publicKey")?;
    let private_key = string(o, "privateKey")?;
    let base_url = string(o, "baseUrl")?;

    let mut settings = ClientSettings {
        mode: "direct",
        public_key: public_key.clone(),
        account_id,
        base_url: base_url.clone().unwrap_or_else(|| DEFAULT_BASE_URL.to_string()),
        proxy_url: None,
        timeout_ms,
        max_retries,
        user_agent,
        headers,
        templates,
    };
    if let Some(proxy) = proxy_url {
        if private_key.is_some() {
            return Err(
                "proxyUrl and privateKey exclude each other: with a proxy the key stays on the server".into(),
            );
        }
        // Relative URLs ("/sms") are resolved by the browser against the page.
        if proxy.is_empty() || proxy.chars().any(|c| c.is_control() || c == ' ') || !ascii_text(&proxy) {
            return Err("proxyUrl must be a URL such as \"/sms\" or \"https://example.com/sms\"".into());
        }
        if crate::endpoint::has_user_info(&proxy) {
            return Err("proxyUrl must not carry a user name or password (user:pass@…)".into());
        }
        settings.mode = "proxy";
        settings.proxy_url = Some(proxy);
        return Ok(Checked { settings, signer: None, book: Default::default() });
    }
    if let Some(url) = &base_url {
        check_base_url(url)?;
    }
    #[cfg(not(feature = "signing"))]
    if private_key.is_some() {
        return Err(crate::prepare::NO_SIGNING.into());
    }
    let signer = Signer {
        public_key: public_key.unwrap_or_default(),
        private_key: private_key.unwrap_or_default(),
        account_id,
        base_url,
    };
    signer.check()?;
    Ok(Checked { settings, signer: Some(signer), book: Default::default() })
}

#[cfg(test)]
mod tests {
    use super::*;
    fn check(v: &str) -> Result<ClientSettings, String> {
        check_options(&Any::from_json(v).unwrap()).map(|c| c.settings)
    }

    #[test]
    #[cfg(feature = "signing")]
    fn defaults_and_env_strings() {
        let s = check(r#"{"publicKey":"pk","privateKey":"sk","accountId":"60000011"}"#).unwrap();
        assert_eq!((s.timeout_ms, s.max_retries, s.account_id), (DEFAULT_TIMEOUT_MS, 2, Some(60000011)));
        assert_eq!(s.base_url, DEFAULT_BASE_URL);
        assert_eq!(s.mode, "direct");
    }

    #[test]
    #[cfg(not(feature = "signing"))]
    fn the_browser_build_refuses_a_private_key() {
        let e = check(r#"{"publicKey":"pk","privateKey":"secret-value-1"}"#).unwrap_err();
        assert!(e.contains("cannot sign") && !e.contains("secret-value-1"));
    }

    #[test]
    #[cfg(feature = "signing")]
    fn names_the_wrong_option_and_never_the_key() {
        let cases = [
            (r#"{"publicKey":"pk","privateKey":"sk","timeoutMs":0}"#, "timeoutMs"),
            (r#"{"publicKey":"pk","privateKey":"sk","maxRetries":-1}"#, "maxRetries"),
            (r#"{"publicKey":"pk","privateKey":"sk","accountId":"abc"}"#, "accountId"),
            (r#"{"publicKey":"pk","privateKey":"sk","timeout":5}"#, "unknown option \"timeout\""),
            (r#"{"publicKey":"pk","privateKey":"sk","headers":{"X-Signature":"x"}}"#, "cannot be overridden"),
            (r#"{"publicKey":"pk","privateKey":"sk","headers":{"X-A":"a\r\nb"}}"#, "control character"),
            (r#"{"publicKey":"pk"}"#, "privateKey"),
            (r#"{"privateKey":"secret-value-1"}"#, "publicKey"),
            (r#"{"publicKey":"pk","privateKey":7}"#, "privateKey must be a string"),
            (r#"{"proxyUrl":"/sms","privateKey":"secret-value-1"}"#, "exclude each other"),
            (r#""nope""#, "options must be an object"),
        ];
        for (options, want) in cases {
            let e = check(options).unwrap_err();
            assert!(e.contains(want), "{options}: {e}");
            assert!(!e.contains("secret-value-1"));
        }
    }

    #[test]
    fn proxy_mode_needs_no_key() {
        let s = check(r#"{"proxyUrl":"/sms"}"#).unwrap();
        assert_eq!((s.mode, s.proxy_url.as_deref()), ("proxy", Some("/sms")));
    }
}
