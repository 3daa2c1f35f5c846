//! What `onRequest` and `onResponse` are shown: never a signature.

use crate::outcome::ErrorCode;
use crate::text::StringMap;
use serde::Serialize;

const REDACTED: &str = "[redacted]";

#[derive(Debug, Serialize)]
pub struct RequestEvent<'a> {
    pub method: &'a str,
    pub url: &'a str,
    pub attempt: u32,
    /// `X-Signature` and `X-Access-Key-Id` are replaced by `[redacted]`.
    pub headers: StringMap,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ResponseEvent<'a> {
    pub method: &'a str,
    pub url: &'a str,
    pub attempt: u32,
    /// `None` (null) when no HTTP answer arrived.
    pub status: Option<u16>,
    pub duration_ms: f64,
    pub request_id: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<ErrorCode>,
}

pub fn redacted(headers: &StringMap) -> StringMap {
    headers
        .iter()
        .map(|(name, value)| {
            let secret =
                name.eq_ignore_ascii_case("x-signature") || name.eq_ignore_ascii_case("x-access-key-id");
            (name.clone(), if secret { REDACTED.to_string() } else { value.clone() })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signature_headers_are_redacted_in_any_case() {
        let headers: StringMap = [("x-SIGNATURE", "s"), ("X-Access-Key-Id", "k"), ("X-Nonce", "n")]
            .into_iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        let shown = redacted(&headers);
        assert_eq!(shown["x-SIGNATURE"], REDACTED);
        assert_eq!(shown["X-Access-Key-Id"], REDACTED);
        assert_eq!(shown["X-Nonce"], "n");
    }
}
