//! A validated request turned into what goes on the wire: URL, headers
//! (with the signature) and body. The private key goes into the hash and
//! nowhere else.

use crate::model::RequestView;
use crate::text::StringMap;
use serde::Serialize;
use std::fmt;

pub const DEFAULT_BASE_URL: &str = "https://api.uspeedo.com/api";
/// The API's own ceiling for `X-Nonce`.
pub const MAX_NONCE_CHARS: usize = 32;

/// Who signs: the key pair and where to send.
#[derive(Clone)]
pub struct Signer {
    pub public_key: String,
    pub private_key: String,
    pub account_id: Option<u64>,
    pub base_url: Option<String>,
}

/// Never prints the private key, whoever formats a `Signer`.
impl fmt::Debug for Signer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Signer")
            .field("public_key", &self.public_key)
            .field("private_key", &"[redacted]")
            .field("account_id", &self.account_id)
            .field("base_url", &self.base_url)
            .finish()
    }
}

fn header_safe(value: &str) -> bool {
    !value.is_empty() && value.bytes().all(|b| b.is_ascii_graphic())
}

impl Signer {
    /// Checks the configuration; messages never quote the private key.
    pub fn check(&self) -> Result<(), String> {
        if !header_safe(&self.public_key) {
            return Err("publicKey must be a non-empty string of visible ASCII characters \
                        (set USPEEDO_PUBLIC_KEY or pass publicKey)"
                .into());
        }
        if self.private_key.is_empty() {
            return Err(
                "privateKey must be a non-empty string (set USPEEDO_PRIVATE_KEY or pass privateKey)".into()
            );
        }
        if self.private_key.chars().any(char::is_whitespace) {
            return Err("privateKey contains whitespace; check how it was copied".into());
        }
        if let Some(url) = &self.base_url {
            check_base_url(url)?;
        }
        if self.account_id == Some(0) {
            return Err("accountId must be a positive integer".into());
        }
        Ok(())
    }

    #[cfg(feature = "signing")]
    fn base_url(&self) -> &str {
        self.base_url.as_deref().unwrap_or(DEFAULT_BASE_URL)
    }
}

pub fn check_base_url(url: &str) -> Result<(), String> {
    crate::endpoint::check_base_url(url, header_safe)
}

/// The request as it goes on the wire.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS), ts(rename = "PreparedRequest"))]
pub struct Prepared {
    pub url: String,
    pub method: String,
    #[cfg_attr(feature = "typescript", ts(type = "Record<string, string>"))]
    pub headers: StringMap,
    pub body: String,
}

/// The JSON body: `Action`, then the request's own fields, written by
/// serde_json (as a serializer only).
#[cfg(feature = "signing")]
#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct Payload<'a> {
    action: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    account_id: Option<u64>,
    task_content: &'a [crate::model::TaskView<'a>],
}

#[cfg(feature = "signing")]
fn payload_json(request: &RequestView, account_id: Option<u64>) -> String {
    let payload =
        Payload { action: crate::model::SEND_BATCH_ACTION, account_id, task_content: &request.task_content };
    // Strings and integers only: serialising cannot fail.
    serde_json::to_string(&payload).unwrap_or_default()
}

/// `url` with `?Action=...` added, as the official SDKs send it.
pub fn action_url(base_url: &str, action: &str) -> String {
    let separator = if base_url.contains('?') { '&' } else { '?' };
    format!("{base_url}{separator}Action={action}")
}

/// The wire form of a validated request for the configured mode: signed
/// with the key pair, or unsigned for the proxy.
pub fn prepare_request(
    request: &RequestView,
    checked: &crate::options::Checked,
    timestamp_s: u64,
    nonce: &str,
) -> Result<Prepared, String> {
    match (&checked.signer, &checked.settings.proxy_url) {
        (Some(signer), _) => prepare_send_batch(request, signer, timestamp_s, nonce),
        (None, Some(proxy_url)) => prepare_for_proxy(request, proxy_url),
        (None, None) => Err("no key pair and no proxyUrl".to_string()),
    }
}

/// Builds without the `signing` feature (the browser build) cannot sign:
/// a private key has no business in a web page.
#[cfg(not(feature = "signing"))]
pub fn prepare_send_batch(_: &RequestView, _: &Signer, _: u64, _: &str) -> Result<Prepared, String> {
    Err(NO_SIGNING.into())
}

pub const NO_SIGNING: &str =
    "the browser build of uspeedo-sms cannot sign requests: keep the private key on a server \
     and use new Client({ proxyUrl }) with createProxyHandler there";

/// Serialises and signs an already validated request. `timestamp_s` and
/// `nonce` come from the caller (the wasm door reads the clock and the
/// platform's CSPRNG).
#[cfg(feature = "signing")]
pub fn prepare_send_batch(
    request: &RequestView,
    signer: &Signer,
    timestamp_s: u64,
    nonce: &str,
) -> Result<Prepared, String> {
    check_signing(signer, nonce)?;
    let account_id = request.account_id.or(signer.account_id);
    let body = payload_json(request, account_id);
    // Signed straight from the typed request (parsing the body back cost a
    // sixth of `prepare`); tests/properties.rs proves the two agree.
    let signature = crate::sign::sign_send_batch(account_id, &request.task_content, &signer.private_key);
    let headers = signed_headers(signer, timestamp_s, nonce, signature);
    Ok(Prepared {
        url: action_url(signer.base_url(), crate::model::SEND_BATCH_ACTION),
        method: "POST".into(),
        headers,
        body,
    })
}

/// The key pair and the nonce are usable (messages never quote the key).
#[cfg(feature = "signing")]
fn check_signing(signer: &Signer, nonce: &str) -> Result<(), String> {
    signer.check()?;
    if !header_safe(nonce) || nonce.chars().count() > MAX_NONCE_CHARS {
        return Err(format!("the nonce must be 1 to {MAX_NONCE_CHARS} visible ASCII characters"));
    }
    Ok(())
}

/// The headers of every signed call.
#[cfg(feature = "signing")]
fn signed_headers(signer: &Signer, timestamp_s: u64, nonce: &str, signature: String) -> StringMap {
    let mut headers = json_headers();
    headers.insert("X-Access-Key-Id".into(), signer.public_key.clone());
    headers.insert("X-Nonce".into(), nonce.to_string());
    headers.insert("X-Signature".into(), signature);
    headers.insert("X-Timestamp".into(), timestamp_s.to_string());
    headers
}

/// A read call (`GetUSMSSendReceipt`, `QueryUSMSTemplate`) for `ids`:
/// signed with the key pair, or unsigned to the signing proxy, which learns
/// the action from `?Action=` on its URL as uSpeedo's endpoint does.
pub fn prepare_read(
    action: crate::reads::ReadAction,
    ids: &[String],
    checked: &crate::options::Checked,
    account_id: Option<u64>,
    timestamp_s: u64,
    nonce: &str,
) -> Result<Prepared, String> {
    let payload = crate::reads::ReadPayload::new(action, account_id, ids);
    match (&checked.signer, &checked.settings.proxy_url) {
        (Some(signer), _) => sign_read(&payload, signer, timestamp_s, nonce),
        (None, Some(proxy_url)) => Ok(Prepared {
            url: action_url(proxy_url, action.name()),
            method: "POST".into(),
            headers: json_headers(),
            body: serde_json::to_string(&payload).unwrap_or_default(),
        }),
        (None, None) => Err("no key pair and no proxyUrl".to_string()),
    }
}

#[cfg(feature = "signing")]
fn sign_read(
    payload: &crate::reads::ReadPayload,
    signer: &Signer,
    timestamp_s: u64,
    nonce: &str,
) -> Result<Prepared, String> {
    check_signing(signer, nonce)?;
    let body = serde_json::to_string(payload).unwrap_or_default();
    let signature = crate::sign::sign(&payload.value(), &signer.private_key);
    let headers = signed_headers(signer, timestamp_s, nonce, signature);
    Ok(Prepared { url: action_url(signer.base_url(), payload.action), method: "POST".into(), headers, body })
}

#[cfg(not(feature = "signing"))]
fn sign_read(_: &crate::reads::ReadPayload, _: &Signer, _: u64, _: &str) -> Result<Prepared, String> {
    Err(NO_SIGNING.into())
}

fn json_headers() -> StringMap {
    let mut headers = StringMap::default();
    headers.insert("Content-Type".into(), "application/json".into());
    headers
}

/// The unsigned form for a browser talking to the signing proxy: the same
/// JSON body, no credentials; the proxy validates again and signs.
pub fn prepare_for_proxy(request: &RequestView, proxy_url: &str) -> Result<Prepared, String> {
    let body = serde_json::to_string(request).unwrap_or_default();
    Ok(Prepared { url: proxy_url.to_string(), method: "POST".into(), headers: json_headers(), body })
}

#[cfg(all(test, feature = "signing"))]
mod tests {
    use super::*;
    use crate::model::{SendBatchRequest, Target, Task};

    fn signer() -> Signer {
        Signer {
            public_key: "pub-key".into(),
            private_key: "NTk1Mzk0MAItOWI0My10MGM4LTg0NmMMNDM0ZGM5Y2ZkMmNk".into(),
            account_id: None,
            base_url: None,
        }
    }

    fn request() -> SendBatchRequest {
        SendBatchRequest {
            account_id: None,
            task_content: vec![Task {
                template_id: "UTAXXXXXXXXXXX".into(),
                sender_id: Some("uspeedo".into()),
                target: vec![Target {
                    phone: "1111".into(),
                    template_params: vec!["1111".into()],
                    ..Default::default()
                }],
            }],
        }
    }

    #[test]
    fn matches_the_official_vector_and_omits_absent_fields() {
        let p = prepare_send_batch(&request().view(), &signer(), 1_700_000_000, "n0nce").unwrap();
        assert_eq!(p.headers.get("X-Signature").unwrap(), "7175ca50d6204dfd469e8aab447810c08f9da53f");
        assert_eq!(p.url, "https://api.uspeedo.com/api?Action=SendBatchUSMSMessage");
        assert_eq!(
            p.body,
            r#"{"Action":"SendBatchUSMSMessage","TaskContent":[{"TemplateId":"UTAXXXXXXXXXXX","SenderId":"uspeedo","Target":[{"Phone":"1111","TemplateParams":["1111"]}]}]}"#
        );
        assert_eq!(p.headers.get("X-Timestamp").unwrap(), "1700000000");
    }

    #[test]
    fn empty_params_are_omitted_and_account_defaults_apply() {
        let mut req = request();
        req.task_content[0].target[0].template_params.clear();
        let s =
            Signer { account_id: Some(42), base_url: Some("http://127.0.0.1:1/api?x=1".into()), ..signer() };
        let p = prepare_send_batch(&req.view(), &s, 1, "n").unwrap();
        assert!(p.body.contains(r#""AccountId":42"#));
        assert!(!p.body.contains("TemplateParams"));
        assert!(p.url.ends_with("?x=1&Action=SendBatchUSMSMessage"));
    }

    #[test]
    fn bad_configuration_is_refused_without_quoting_the_key() {
        let key = signer().private_key;
        for s in [
            Signer { public_key: String::new(), ..signer() },
            Signer { public_key: "a\r\nb".into(), ..signer() },
            Signer { private_key: String::new(), ..signer() },
            Signer { base_url: Some("ftp://x".into()), ..signer() },
        ] {
            let e = prepare_send_batch(&request().view(), &s, 1, "n").unwrap_err();
            assert!(!e.contains(&key));
        }
        assert!(prepare_send_batch(&request().view(), &signer(), 1, &"n".repeat(33)).is_err());
        assert!(!format!("{:?}", signer()).contains(&key));
    }
}
