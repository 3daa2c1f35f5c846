//! `new Client(options)`: every data option is checked here, field by field,
//! so a mistake is named precisely. Messages never quote a key's value.
//! (Function options — `fetch`, `onRequest`, `onResponse` — stay in JS.)

use crate::json::{Map, ObjectWriter, StringMap, ToJson, Value};
use crate::prepare::{check_base_url, Signer, DEFAULT_BASE_URL};
use crate::text::quoted;

pub const DEFAULT_TIMEOUT_MS: u64 = 30_000;
pub const DEFAULT_MAX_RETRIES: u32 = 2;
const MAX_TIMEOUT_MS: u64 = 10 * 60_000;
const MAX_MAX_RETRIES: u64 = 10;
/// Headers the package sets itself; a caller's `headers` may not replace them.
const RESERVED_HEADERS: &[&str] =
    &["content-type", "x-access-key-id", "x-signature", "x-timestamp", "x-nonce", "content-length", "host"];

/// The checked options, minus the private key (which stays in `Signer`).
#[derive(Debug, Clone, PartialEq)]
pub struct ClientSettings {
    /// `"direct"` signs with a key pair; `"proxy"` posts unsigned batches to `proxyUrl`.
    pub mode: &'static str,
    pub public_key: Option<String>,
    pub account_id: Option<u64>,
    pub base_url: String,
    pub proxy_url: Option<String>,
    pub timeout_ms: u64,
    pub max_retries: u32,
    pub user_agent: Option<String>,
    pub headers: StringMap,
    pub templates: StringMap,
}

impl ToJson for ClientSettings {
    fn write_json(&self, out: &mut String) {
        let mut o = ObjectWriter::new(out);
        o.field("mode", &self.mode)
            .field("publicKey", &self.public_key)
            .field("accountId", &self.account_id)
            .field("baseUrl", &self.base_url)
            .field("proxyUrl", &self.proxy_url)
            .field("timeoutMs", &self.timeout_ms)
            .field("maxRetries", &self.max_retries)
            .field("userAgent", &self.user_agent)
            .field("headers", &self.headers)
            .field("templates", &self.templates);
        o.end();
    }
}

pub struct Checked {
    pub settings: ClientSettings,
    pub signer: Option<Signer>,
}

fn string(o: &Map, field: &str) -> Result<Option<String>, String> {
    match o.get(field) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(_) => Err(format!("{field} must be a string")),
    }
}

fn integer(o: &Map, field: &str, min: u64, max: u64) -> Result<Option<u64>, String> {
    let n = match o.get(field) {
        None | Some(Value::Null) => return Ok(None),
        Some(Value::Number(n)) => n.as_u64(),
        // Environment variables arrive as strings.
        Some(Value::String(s)) => s.trim().parse::<u64>().ok(),
        Some(_) => None,
    };
    integer_in(n, field, min, max).map(Some)
}

/// An integer option within `min..=max`, or the message every option check
/// of the crate gives for one that is not.
pub(crate) fn integer_in(n: Option<u64>, field: &str, min: u64, max: u64) -> Result<u64, String> {
    n.filter(|n| (min..=max).contains(n))
        .ok_or_else(|| format!("{field} must be an integer from {min} to {max}"))
}

fn string_map(o: &Map, field: &str) -> Result<StringMap, String> {
    match o.get(field) {
        None | Some(Value::Null) => Ok(StringMap::default()),
        Some(Value::Object(m)) => m
            .iter()
            .map(|(k, v)| match v {
                Value::String(s) => Ok((k.clone(), s.clone())),
                _ => Err(format!("{field}[{}] must be a string", quoted(k))),
            })
            .collect::<Result<Vec<_>, _>>()
            .and_then(|entries| {
                StringMap::from_entries(entries).map_err(|k| format!("{field}: duplicate {k}"))
            }),
        Some(_) => Err(format!("{field} must be an object of strings")),
    }
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
    }
    Ok(())
}

/// `sendBatch(request, { signal?, timeoutMs? })` (the signal stays in JS):
/// the per-call timeout, checked like the client's.
pub fn check_send_options(value: &Value) -> Result<Option<u64>, String> {
    let o = value.as_object().ok_or("sendBatch options must be an object")?;
    if let Some(unknown) = o.keys().find(|k| k.as_str() != "timeoutMs") {
        return Err(format!(
            "unknown sendBatch option {}; known options: signal, timeoutMs",
            quoted(unknown)
        ));
    }
    integer(o, "timeoutMs", 1, MAX_TIMEOUT_MS)
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

/// Checks the options object (functions already removed by the JS side).
pub fn check_options(value: &Value) -> Result<Checked, String> {
    let o = value.as_object().ok_or("options must be an object")?;
    if let Some(unknown) = o.keys().find(|k| !KNOWN.contains(&k.as_str())) {
        return Err(format!("unknown option {}; known options: {}", quoted(unknown), KNOWN.join(", ")));
    }
    let timeout_ms = integer(o, "timeoutMs", 1, MAX_TIMEOUT_MS)?.unwrap_or(DEFAULT_TIMEOUT_MS);
    let max_retries = integer(o, "maxRetries", 0, MAX_MAX_RETRIES)?.map_or(DEFAULT_MAX_RETRIES, |n| n as u32);
    let account_id = integer(o, "accountId", 1, u64::MAX)?;
    let user_agent = string(o, "userAgent")?;
    if user_agent.as_deref().is_some_and(|ua| ua.chars().any(|c| c.is_control())) {
        return Err("userAgent contains a control character".into());
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
        if proxy.is_empty() || proxy.chars().any(|c| c.is_control() || c == ' ') {
            return Err("proxyUrl must be a URL such as \"/sms\" or \"https://example.com/sms\"".into());
        }
        settings.mode = "proxy";
        settings.proxy_url = Some(proxy);
        return Ok(Checked { settings, signer: None });
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
    Ok(Checked { settings, signer: Some(signer) })
}

#[cfg(test)]
mod tests {
    use super::*;
    fn check(v: &str) -> Result<ClientSettings, String> {
        check_options(&crate::json::parse(v).unwrap()).map(|c| c.settings)
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
