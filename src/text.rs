//! Quoting user text in messages, as JSON string literals (what JS users
//! read anyway), and the string table type used for headers and templates.

/// Header names to values, template ids to texts: sorted, keys unique.
pub type StringMap = std::collections::BTreeMap<String, String>;

/// `s` as a JSON string literal: `"a\nb"`.
pub fn quoted(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_default()
}

/// `c` as a JSON string literal.
pub fn quoted_char(c: char) -> String {
    let mut buf = [0u8; 4];
    quoted(c.encode_utf8(&mut buf))
}
