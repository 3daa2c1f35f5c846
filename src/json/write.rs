//! Writing JSON: a `ToJson` trait implemented by hand for the few types the
//! core returns (cheaper in wasm than serde's generated code).

pub trait ToJson {
    fn write_json(&self, out: &mut String);
}

pub fn to_string<T: ToJson + ?Sized>(value: &T) -> String {
    let mut out = String::new();
    value.write_json(&mut out);
    out
}

/// Appends `s` as a JSON string literal.
pub fn escape_into(s: &str, out: &mut String) {
    out.reserve(s.len() + 2);
    out.push('"');
    let mut start = 0;
    for (i, b) in s.bytes().enumerate() {
        let escape: Option<&str> = match b {
            b'"' => Some("\\\""),
            b'\\' => Some("\\\\"),
            b'\n' => Some("\\n"),
            b'\r' => Some("\\r"),
            b'\t' => Some("\\t"),
            0x08 => Some("\\b"),
            0x0c => Some("\\f"),
            0..=0x1f => Some(""),
            _ => None,
        };
        if let Some(escape) = escape {
            out.push_str(s.get(start..i).unwrap_or(""));
            if escape.is_empty() {
                const HEX: &[u8; 16] = b"0123456789abcdef";
                out.push_str("\\u00");
                out.push(char::from(HEX.get(usize::from(b >> 4)).copied().unwrap_or(b'0')));
                out.push(char::from(HEX.get(usize::from(b & 15)).copied().unwrap_or(b'0')));
            } else {
                out.push_str(escape);
            }
            start = i + 1;
        }
    }
    out.push_str(s.get(start..).unwrap_or(""));
    out.push('"');
}

impl ToJson for str {
    fn write_json(&self, out: &mut String) {
        escape_into(self, out);
    }
}

impl ToJson for String {
    fn write_json(&self, out: &mut String) {
        escape_into(self, out);
    }
}

impl ToJson for bool {
    fn write_json(&self, out: &mut String) {
        out.push_str(if *self { "true" } else { "false" });
    }
}

macro_rules! integer_to_json {
    ($($t:ty),*) => {$(
        impl ToJson for $t {
            fn write_json(&self, out: &mut String) {
                out.push_str(&self.to_string());
            }
        }
    )*};
}
integer_to_json!(u16, u32, u64, usize, i64);

impl<T: ToJson> ToJson for Option<T> {
    fn write_json(&self, out: &mut String) {
        match self {
            Some(v) => v.write_json(out),
            None => out.push_str("null"),
        }
    }
}

impl<T: ToJson> ToJson for [T] {
    fn write_json(&self, out: &mut String) {
        out.push('[');
        for (i, item) in self.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            item.write_json(out);
        }
        out.push(']');
    }
}

impl<T: ToJson> ToJson for Vec<T> {
    fn write_json(&self, out: &mut String) {
        self.as_slice().write_json(out);
    }
}

impl<T: ToJson + ?Sized> ToJson for &T {
    fn write_json(&self, out: &mut String) {
        (**self).write_json(out);
    }
}

/// Already-written JSON, inserted as is.
pub struct Raw<'a>(pub &'a str);

impl ToJson for Raw<'_> {
    fn write_json(&self, out: &mut String) {
        out.push_str(self.0);
    }
}

/// Writes `{ "key": value, ... }` one field at a time.
pub struct ObjectWriter<'a> {
    out: &'a mut String,
    empty: bool,
}

impl<'a> ObjectWriter<'a> {
    pub fn new(out: &'a mut String) -> Self {
        out.push('{');
        ObjectWriter { out, empty: true }
    }

    /// `value` is a trait object on purpose: one copy of this code instead
    /// of one per field type (measured: several KB of wasm).
    pub fn field(&mut self, key: &str, value: &dyn ToJson) -> &mut Self {
        if !self.empty {
            self.out.push(',');
        }
        self.empty = false;
        escape_into(key, self.out);
        self.out.push(':');
        value.write_json(self.out);
        self
    }

    /// Like `field`, but writes nothing for `None` (the API omits absent fields).
    pub fn optional<T: ToJson>(&mut self, key: &str, value: &Option<T>) -> &mut Self {
        match value {
            Some(v) => self.field(key, v),
            None => self,
        }
    }

    pub fn end(self) {
        self.out.push('}');
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_like_json_stringify() {
        assert_eq!(to_string("a\"b\\c\n\u{1}é😀"), r#""a\"b\\c\n\u0001é😀""#);
        let mut out = String::new();
        let mut o = ObjectWriter::new(&mut out);
        o.field("a", &1u64).optional("b", &None::<u64>).field("c", &vec!["x".to_string()]);
        o.end();
        assert_eq!(out, r#"{"a":1,"c":["x"]}"#);
    }
}
