//! Lenient reading of what a user or a server hands us, through serde.
//!
//! A derived `Deserialize` stops at the first error and, with
//! serde-wasm-bindgen, never sees an undeclared key. Validation must see
//! every key and every wrong type at once, so fields are read into
//! [`Slot`]s that record what was there instead of failing. The same types
//! read JS values (serde-wasm-bindgen) in wasm and JSON text (serde_json)
//! natively, so tests and fuzzers exercise the real code.

mod any;
mod request;

pub use any::Any;
pub use request::{RawRequest, RawTarget, RawTask, ROOT_FIELDS, TARGET_FIELDS, TASK_FIELDS};

use serde::de::{self, Deserialize, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use std::borrow::Cow;
use std::fmt;
use std::marker::PhantomData;

/// What one field held.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum Slot<T> {
    #[default]
    Missing,
    /// `null` or `undefined`.
    Null,
    Got(T),
    /// A value of another type (or none JSON can express). Boxed: it is
    /// rare, and unboxed it made every read field 8 bytes larger (a read
    /// target 168 bytes, moved several times while it is read).
    Wrong(Box<Wrong>),
}

impl<T> Slot<T> {
    pub fn is_missing(&self) -> bool {
        matches!(self, Slot::Missing)
    }

    /// A value of the wrong kind, with its text (see [`Wrong`]).
    pub fn wrong(kind: Kind, text: String) -> Self {
        Slot::Wrong(Box::new(Wrong { kind, text }))
    }
}

/// A value of the wrong type, described for messages.
#[derive(Debug, Clone, PartialEq)]
pub struct Wrong {
    pub kind: Kind,
    /// The value as JSON text, for scalars (`12`, `true`, `"x"`); empty otherwise.
    pub text: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Bool,
    Number,
    String,
    Array,
    Object,
    /// A function, a Symbol, a Set... or, natively, text that is not JSON.
    Unreadable,
}

impl Wrong {
    /// `a number`, `an array`, ...
    pub fn describe(&self) -> &'static str {
        match self.kind {
            Kind::Bool => "a boolean",
            Kind::Number => "a number",
            Kind::String => "a string",
            Kind::Array => "an array",
            Kind::Object => "an object",
            Kind::Unreadable => "a value JSON cannot express (a function, a Symbol, a Map or Set?)",
        }
    }

    /// The value's text when it has one, else its kind.
    pub fn shown(&self) -> String {
        if self.text.is_empty() {
            self.describe().to_string()
        } else {
            self.text.clone()
        }
    }
}

/// The largest integer a JS number holds exactly.
pub const MAX_SAFE_INTEGER: f64 = 9_007_199_254_740_991.0;

/// A number as JavaScript writes it (`12`, `0.5`, `NaN`, `Infinity`),
/// without exponent (`1e21` → `1000000000000000000000`, as signing needs).
/// The browser build, which signs nothing, asks the engine instead: Rust's
/// float formatting would cost it 7 KB.
pub fn number_text(n: f64) -> String {
    #[cfg(all(target_arch = "wasm32", not(feature = "signing")))]
    return crate::wasm::convert::js_number_text(n);
    #[cfg(not(all(target_arch = "wasm32", not(feature = "signing"))))]
    rust_number_text(n)
}

#[cfg(not(all(target_arch = "wasm32", not(feature = "signing"))))]
fn rust_number_text(n: f64) -> String {
    if n.is_nan() {
        "NaN".into()
    } else if n.is_infinite() {
        if n > 0.0 { "Infinity" } else { "-Infinity" }.into()
    } else if n == 0.0 {
        "0".into()
    } else {
        format!("{n}")
    }
}

/// How a type is read from each shape of value; `None` means "wrong type".
/// Only the shapes a type accepts need overriding.
pub trait Lenient: Sized {
    fn from_bool(_: bool) -> Option<Self> {
        None
    }
    fn from_number(_: f64) -> Option<Self> {
        None
    }
    fn from_string(_: &str) -> Option<Self> {
        None
    }
    fn from_seq<'de, A: SeqAccess<'de>>(mut seq: A) -> Result<Option<Self>, A::Error> {
        while seq.next_element::<Skip>()?.is_some() {}
        Ok(None)
    }
    fn from_map<'de, A: MapAccess<'de>>(mut map: A) -> Result<Option<Self>, A::Error> {
        while map.next_key::<Skip>()?.is_some() {
            map.next_value::<Skip>()?;
        }
        Ok(None)
    }
}

impl Lenient for String {
    fn from_string(s: &str) -> Option<Self> {
        Some(s.to_string())
    }
}

impl Lenient for f64 {
    fn from_number(n: f64) -> Option<Self> {
        Some(n)
    }
}

impl Lenient for bool {
    fn from_bool(b: bool) -> Option<Self> {
        Some(b)
    }
}

impl<T: Lenient> Lenient for Vec<Slot<T>> {
    fn from_seq<'de, A: SeqAccess<'de>>(mut seq: A) -> Result<Option<Self>, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(4096));
        while let Some(item) = seq.next_element::<Slot<T>>()? {
            items.push(item);
        }
        // JSON text says no length in advance, so the list grew by doubling;
        // given back in place, the spare room of 100,000 read targets and
        // of their parameter lists measured 8 MB of a plan's peak.
        items.shrink_to_fit();
        Ok(Some(items))
    }
}

impl<'de, T: Lenient> Deserialize<'de> for Slot<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        // serde-wasm-bindgen refuses functions, Symbols and the like with an
        // error; it is the field's problem, not the whole input's.
        match deserializer.deserialize_any(SlotVisitor(PhantomData)) {
            Ok(slot) => Ok(slot),
            Err(e) => {
                UNREADABLE_SEEN.with(|seen| seen.set(seen.get().wrapping_add(1)));
                Ok(Slot::wrong(Kind::Unreadable, unreadable_text(&e)))
            }
        }
    }
}

/// Natively the error is a JSON syntax error worth showing; in wasm it
/// names a JS value, which the kind already describes.
fn unreadable_text(e: &dyn fmt::Display) -> String {
    if cfg!(target_arch = "wasm32") {
        String::new()
    } else {
        e.to_string()
    }
}

struct SlotVisitor<T>(PhantomData<T>);

impl<T: Lenient> SlotVisitor<T> {
    fn or_wrong(value: Option<T>, kind: Kind, text: impl FnOnce() -> String) -> Slot<T> {
        match value {
            Some(v) => Slot::Got(v),
            None => Slot::wrong(kind, text()),
        }
    }
}

impl<'de, T: Lenient> Visitor<'de> for SlotVisitor<T> {
    type Value = Slot<T>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any value")
    }
    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(Slot::Null)
    }
    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(Slot::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        Slot::deserialize(d)
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
        Ok(Self::or_wrong(T::from_bool(v), Kind::Bool, || v.to_string()))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
        self.visit_f64(v as f64)
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        self.visit_f64(v as f64)
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
        Ok(Self::or_wrong(T::from_number(v), Kind::Number, || number_text(v)))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(Self::or_wrong(T::from_string(v), Kind::String, || crate::text::quoted(v)))
    }
    fn visit_bytes<E: de::Error>(self, _: &[u8]) -> Result<Self::Value, E> {
        Ok(Slot::wrong(Kind::Unreadable, String::new()))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
        Ok(Self::or_wrong(T::from_seq(seq)?, Kind::Array, String::new))
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
        Ok(Self::or_wrong(T::from_map(map)?, Kind::Object, String::new))
    }
}

/// Reads past a value without looking at it (serde-wasm-bindgen does not
/// even walk it, so a cycle in an unknown field costs nothing).
pub struct Skip;

impl<'de> Deserialize<'de> for Skip {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_ignored_any(IgnoredAny).map(|_| Skip)
    }
}

/// An object key: borrowed from JSON text when it holds no escape, so the
/// keys of 100,000 targets are read without a `String` each (an allocation
/// and a free per key, measured in a 100,000-number plan); owned otherwise
/// (escapes, serde-wasm-bindgen's JS strings).
pub struct Key<'de>(pub Cow<'de, str>);

impl<'de> Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct KeyVisitor;
        impl<'de> Visitor<'de> for KeyVisitor {
            type Value = Key<'de>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a key")
            }
            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Borrowed(v)))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(v.to_string())))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(v)))
            }
        }
        deserializer.deserialize_str(KeyVisitor)
    }
}

/// Keys an object held that its type does not know, and keys it held twice
/// (only JSON text can repeat a key; a JS object cannot). Boxed, and only
/// when there are any: every target has one, and two empty lists in each
/// of 100,000 read targets measured 3 MB of wasm memory.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Extra(Option<Box<ExtraKeys>>);

#[derive(Debug, Clone, PartialEq, Default)]
struct ExtraKeys {
    unknown: Vec<String>,
    repeated: Vec<String>,
}

impl Extra {
    pub fn unknown(&self) -> &[String] {
        self.0.as_ref().map_or(&[], |keys| &keys.unknown)
    }

    pub fn repeated(&self) -> &[String] {
        self.0.as_ref().map_or(&[], |keys| &keys.repeated)
    }

    fn keys(&mut self) -> &mut ExtraKeys {
        self.0.get_or_insert_with(Box::default)
    }

    /// Reads the value of a known field into its slot, noting a repeat.
    pub fn put<'de, A: MapAccess<'de>, T: Lenient>(
        &mut self,
        slot: &mut Slot<T>,
        key: &str,
        map: &mut A,
    ) -> Result<(), A::Error> {
        let value: Slot<T> = map.next_value()?;
        if !slot.is_missing() {
            self.keys().repeated.push(key.to_string());
        }
        *slot = value;
        Ok(())
    }

    /// Skips the value of a field the type does not know.
    pub fn skip<'de, A: MapAccess<'de>>(&mut self, key: String, map: &mut A) -> Result<(), A::Error> {
        map.next_value::<Skip>()?;
        self.keys().unknown.push(key);
        Ok(())
    }
}

thread_local! {
    /// How many field values could not be read, ever: lets
    /// [`from_exact_json`] tell that a reading hid an error in a field.
    static UNREADABLE_SEEN: std::cell::Cell<u64> = const { std::cell::Cell::new(0) };
}

/// Reads JSON text that says exactly what a JS value holds: `None` when any
/// of it could not be read (serde_json's depth limit, say), so the caller
/// reads the value another way instead of reporting our reading's failure
/// as the user's field.
pub fn from_exact_json<T: Lenient>(text: &[u8]) -> Option<Slot<T>> {
    let before = UNREADABLE_SEEN.with(|seen| seen.get());
    // Checked as UTF-8 once, whole: from bytes serde_json checks each string
    // on its own, a call per phone number and key.
    let text = std::str::from_utf8(text).ok()?;
    let slot = serde_json::from_str::<Slot<T>>(text).ok()?;
    (UNREADABLE_SEEN.with(|seen| seen.get()) == before).then_some(slot)
}

/// Reads JSON text (native callers, the server build's proxy and replies).
pub fn from_json<T: Lenient>(text: &str) -> Slot<T> {
    serde_json::from_str::<Slot<T>>(text).unwrap_or_else(|e| Slot::wrong(Kind::Unreadable, e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exact_json_is_read_when_every_part_reads() {
        let slot = from_exact_json::<RawTarget>(br#"{"Phone":"+8613900000000","Foo":1}"#);
        let Some(Slot::Got(target)) = slot else { panic!("read: {slot:?}") };
        assert_eq!(target.phone, Slot::Got("+8613900000000".to_string()));
        assert_eq!(target.extra.unknown(), ["Foo".to_string()]);
    }

    #[test]
    fn a_part_that_cannot_be_read_sends_the_caller_the_other_way() {
        // serde_json refuses a lone surrogate, which a JS string may hold:
        // the lenient reading would call the phone unreadable, which it is not.
        let lone = r#"{"Phone":"\ud800","UserId":"u"}"#;
        assert!(matches!(from_json::<RawTarget>(lone), Slot::Got(_) | Slot::Wrong(_)));
        assert_eq!(from_exact_json::<RawTarget>(lone.as_bytes()), None);
        assert_eq!(from_exact_json::<RawTarget>(b"{"), None);
        // The counter does not make later readings fail.
        assert!(from_exact_json::<RawTarget>(br#"{"Phone":"1"}"#).is_some());
    }
}
