//! Quoting user text in messages. JSON string syntax is what JS users read
//! anyway, and reusing the JSON escaper keeps `core::fmt::Debug`'s Unicode
//! tables (several KB of wasm) out of the build.

/// `s` as a JSON string literal: `"a\nb"`.
pub fn quoted(s: &str) -> String {
    crate::json::to_string(s)
}

/// `c` as a JSON string literal.
pub fn quoted_char(c: char) -> String {
    let mut buf = [0u8; 4];
    quoted(c.encode_utf8(&mut buf))
}
