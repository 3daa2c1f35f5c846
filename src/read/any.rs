//! A dynamic value for inputs without a fixed shape: options objects, the
//! payload of `signPayload`, uSpeedo's replies.
//!
//! Not `serde_json::Value`: that one reads NaN and Infinity as `null` (the
//! very "not given" mistake options must refuse), cannot hold a function or
//! a Symbol as a finding, and keeps the last of two repeated keys silently.

use super::{number_text, unreadable_text, Key};
use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use std::fmt;

/// Deeper than this is refused (a cycle in a JS object would never end).
pub const MAX_DEPTH: usize = 64;

#[derive(Debug, Clone, PartialEq)]
pub enum Any {
    Null,
    Bool(bool),
    Number(f64),
    String(String),
    Array(Vec<Any>),
    /// Entries in input order; a repeated key appears twice.
    Object(Vec<(String, Any)>),
    /// Something JSON cannot express, or nesting beyond [`MAX_DEPTH`].
    Unreadable(String),
}

impl Any {
    pub fn get(&self, key: &str) -> Option<&Any> {
        match self {
            Any::Object(entries) => entries.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            Any::String(s) => Some(s),
            _ => None,
        }
    }

    pub fn is_null(&self) -> bool {
        matches!(self, Any::Null)
    }

    /// A non-negative integer that a u64 holds exactly (no NaN, no 1.5).
    pub fn as_u64(&self) -> Option<u64> {
        match self {
            Any::Number(n) if n.fract() == 0.0 && *n >= 0.0 && *n <= super::MAX_SAFE_INTEGER => {
                Some(*n as u64)
            }
            _ => None,
        }
    }

    /// `a number`, `an object`, ... for messages.
    pub fn kind(&self) -> &'static str {
        match self {
            Any::Null => "null",
            Any::Bool(_) => "a boolean",
            Any::Number(_) => "a number",
            Any::String(_) => "a string",
            Any::Array(_) => "an array",
            Any::Object(_) => "an object",
            Any::Unreadable(_) => "a value JSON cannot express (a function, a Symbol, a cycle?)",
        }
    }

    /// A short text of the value for messages: scalars as JSON, others by kind.
    pub fn shown(&self) -> String {
        match self {
            Any::Null => "null".into(),
            Any::Bool(b) => b.to_string(),
            Any::Number(n) => number_text(*n),
            Any::String(s) => crate::text::quoted(s),
            other => other.kind().into(),
        }
    }

    /// The first key that appears twice in this object or any object inside.
    pub fn repeated_key(&self) -> Option<&str> {
        match self {
            Any::Object(entries) => entries
                .iter()
                .enumerate()
                .find(|(i, (k, _))| entries.iter().skip(i + 1).any(|(k2, _)| k2 == k))
                .map(|(_, (k, _))| k.as_str())
                .or_else(|| entries.iter().find_map(|(_, v)| v.repeated_key())),
            Any::Array(items) => items.iter().find_map(Any::repeated_key),
            _ => None,
        }
    }

    /// The first value inside that JSON cannot express, if any.
    pub fn unreadable(&self) -> Option<&str> {
        match self {
            Any::Unreadable(why) => Some(why),
            Any::Object(entries) => entries.iter().find_map(|(_, v)| v.unreadable()),
            Any::Array(items) => items.iter().find_map(Any::unreadable),
            _ => None,
        }
    }
}

impl<'de> serde::Deserialize<'de> for Any {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        AnySeed { depth: 0 }.deserialize(deserializer)
    }
}

#[derive(Clone, Copy)]
struct AnySeed {
    depth: usize,
}

impl<'de> DeserializeSeed<'de> for AnySeed {
    type Value = Any;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Any, D::Error> {
        if self.depth > MAX_DEPTH {
            return deserializer
                .deserialize_ignored_any(serde::de::IgnoredAny)
                .map(|_| Any::Unreadable(format!("nested more than {MAX_DEPTH} levels deep")));
        }
        match deserializer.deserialize_any(self) {
            Ok(v) => Ok(v),
            Err(e) => Ok(Any::Unreadable(unreadable_text(&e))),
        }
    }
}

impl<'de> Visitor<'de> for AnySeed {
    type Value = Any;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any value")
    }
    fn visit_unit<E: de::Error>(self) -> Result<Any, E> {
        Ok(Any::Null)
    }
    fn visit_none<E: de::Error>(self) -> Result<Any, E> {
        Ok(Any::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Any, D::Error> {
        DeserializeSeed::deserialize(self, d)
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Any, E> {
        Ok(Any::Bool(v))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Any, E> {
        Ok(Any::Number(v as f64))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Any, E> {
        Ok(Any::Number(v as f64))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Any, E> {
        Ok(Any::Number(v))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Any, E> {
        Ok(Any::String(v.to_string()))
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<Any, E> {
        Ok(Any::String(v))
    }
    fn visit_bytes<E: de::Error>(self, _: &[u8]) -> Result<Any, E> {
        Ok(Any::Unreadable("a typed array".into()))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Any, A::Error> {
        let inner = AnySeed { depth: self.depth + 1 };
        let mut items = Vec::new();
        while let Some(item) = seq.next_element_seed(inner)? {
            items.push(item);
        }
        Ok(Any::Array(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Any, A::Error> {
        let inner = AnySeed { depth: self.depth + 1 };
        let mut entries = Vec::new();
        while let Some(Key(key)) = map.next_key::<Key>()? {
            entries.push((key.into_owned(), map.next_value_seed(inner)?));
        }
        Ok(Any::Object(entries))
    }
}

impl Any {
    /// Reads JSON text; `Err` with serde_json's message when it is not JSON.
    pub fn from_json(text: &str) -> Result<Any, String> {
        let value: Any = serde_json::from_str(text).map_err(|e| e.to_string())?;
        match value.unreadable() {
            Some(why) => Err(why.to_string()),
            None => Ok(value),
        }
    }
}
