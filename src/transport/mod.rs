//! What sending decides without doing I/O: the headers a call carries,
//! what the hooks are shown, how a failed fetch is classified, and what
//! comes after each attempt (return, throw, or retry after a delay). The
//! wasm door (`wasm::net`) does the fetch, the timers and the reading, and
//! asks here at every turn.

pub mod call;
pub mod classify;
pub mod events;
pub mod step;

use crate::options::ClientSettings;
use crate::text::StringMap;

/// Beyond this a response is not read (a real one is far smaller).
pub const MAX_RESPONSE_BYTES: usize = 8 * 1024 * 1024;

/// The headers one call goes out with: the caller's extra headers first, so
/// they can never replace the signature headers, then `User-Agent`.
pub fn call_headers(prepared: &StringMap, settings: &ClientSettings) -> StringMap {
    let mut headers = settings.headers.clone();
    headers.extend(prepared.iter().map(|(k, v)| (k.clone(), v.clone())));
    if let Some(agent) = &settings.user_agent {
        headers.insert("User-Agent".into(), agent.clone());
    }
    headers
}

/// A retry goes out with a fresh `X-Timestamp` and `X-Nonce` (neither is
/// signed). Unsigned requests (to the proxy) carry neither.
pub fn restamp(headers: &mut StringMap, timestamp_s: u64, nonce: &str) {
    if let Some(stamp) = headers.get_mut("X-Timestamp") {
        *stamp = timestamp_s.to_string();
        headers.insert("X-Nonce".into(), nonce.to_string());
    }
}

/// Text as a fetch body reads it: invalid UTF-8 replaced, a leading BOM
/// dropped (what `TextDecoder` does).
pub fn decode_body(bytes: &[u8]) -> String {
    let text = String::from_utf8_lossy(bytes);
    text.strip_prefix('\u{feff}').unwrap_or(&text).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn restamp_changes_only_signed_requests() {
        let mut signed: StringMap = [("X-Timestamp".to_string(), "1".to_string())].into_iter().collect();
        restamp(&mut signed, 2, "n2");
        assert_eq!((signed["X-Timestamp"].as_str(), signed["X-Nonce"].as_str()), ("2", "n2"));
        let mut proxied = StringMap::new();
        restamp(&mut proxied, 2, "n2");
        assert!(proxied.is_empty());
    }

    #[test]
    fn bodies_decode_like_text_decoder() {
        assert_eq!(decode_body(b"\xef\xbb\xbf{}"), "{}");
        assert_eq!(decode_body(b"a\xffb"), "a\u{fffd}b");
    }
}
