//! The JSON value tree.

use super::write::{to_string, ToJson};
use crate::order::{permute, sorted_indices};
use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Value {
    Null,
    Bool(bool),
    Number(Number),
    String(String),
    Array(Vec<Value>),
    Object(Map),
}

/// A JSON number as its validated source text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Number(String);

impl Number {
    /// `text` must match the JSON number grammar (the parser guarantees it).
    pub(super) fn from_validated(text: &str) -> Self {
        Number(text.to_string())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Integer without fraction or exponent, in range.
    pub fn as_u64(&self) -> Option<u64> {
        self.0.parse().ok()
    }

    pub fn as_i64(&self) -> Option<i64> {
        self.0.parse().ok()
    }

    pub fn is_integer(&self) -> bool {
        !self.0.contains(['.', 'e', 'E'])
    }
}

impl From<u64> for Number {
    fn from(n: u64) -> Self {
        Number(n.to_string())
    }
}

impl fmt::Display for Number {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// String keys to values, sorted byte-wise, keys unique: JSON objects
/// ([`Map`]) and string tables such as headers ([`StringMap`]). A sorted
/// vector instead of a `BTreeMap` saves about 15 KB of wasm.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SortedMap<V>(Vec<(String, V)>);

pub type Map = SortedMap<Value>;
pub type StringMap = SortedMap<String>;

impl<V> Default for SortedMap<V> {
    fn default() -> Self {
        SortedMap(Vec::new())
    }
}

impl<V> SortedMap<V> {
    /// Sorts `entries`; returns the first duplicated key as the error.
    pub fn from_entries(entries: Vec<(String, V)>) -> Result<Self, String> {
        let order = sorted_indices(entries.len(), &|a, b| match (entries.get(a), entries.get(b)) {
            (Some(x), Some(y)) => x.0.cmp(&y.0),
            _ => std::cmp::Ordering::Equal,
        });
        let entries = permute(entries, &order);
        if let Some(pair) = entries.windows(2).find(|w| matches!(w, [a, b] if a.0 == b.0)) {
            return Err(pair.first().map(|(k, _)| k.clone()).unwrap_or_default());
        }
        Ok(SortedMap(entries))
    }

    fn position(&self, key: &str) -> Result<usize, usize> {
        self.0.binary_search_by(|(k, _)| k.as_str().cmp(key))
    }

    pub fn get(&self, key: &str) -> Option<&V> {
        self.position(key).ok().and_then(|i| self.0.get(i)).map(|(_, v)| v)
    }

    /// Inserts or replaces.
    pub fn insert(&mut self, key: String, value: V) {
        match self.position(&key) {
            Ok(i) => {
                if let Some(slot) = self.0.get_mut(i) {
                    slot.1 = value;
                }
            }
            Err(i) => self.0.insert(i, (key, value)),
        }
    }

    pub fn contains_key(&self, key: &str) -> bool {
        self.get(key).is_some()
    }

    pub fn iter(&self) -> impl Iterator<Item = (&String, &V)> {
        self.0.iter().map(|(k, v)| (k, v))
    }

    pub fn keys(&self) -> impl Iterator<Item = &String> {
        self.0.iter().map(|(k, _)| k)
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn into_entries(self) -> Vec<(String, V)> {
        self.0
    }
}

impl<'a, V> IntoIterator for &'a SortedMap<V> {
    type Item = (&'a String, &'a V);
    type IntoIter = std::iter::Map<std::slice::Iter<'a, (String, V)>, fn(&'a (String, V)) -> Self::Item>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.iter().map(|(k, v)| (k, v))
    }
}

impl<V: ToJson> ToJson for SortedMap<V> {
    fn write_json(&self, out: &mut String) {
        out.push('{');
        for (i, (k, v)) in self.0.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            k.write_json(out);
            out.push(':');
            v.write_json(out);
        }
        out.push('}');
    }
}

impl Value {
    pub fn as_object(&self) -> Option<&Map> {
        match self {
            Value::Object(m) => Some(m),
            _ => None,
        }
    }

    pub fn as_array(&self) -> Option<&Vec<Value>> {
        match self {
            Value::Array(a) => Some(a),
            _ => None,
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_u64(&self) -> Option<u64> {
        match self {
            Value::Number(n) => n.as_u64(),
            _ => None,
        }
    }

    /// "a string", "an array", ...: for messages about wrong types.
    pub fn kind(&self) -> &'static str {
        match self {
            Value::Null => "null",
            Value::Bool(_) => "a boolean",
            Value::Number(_) => "a number",
            Value::String(_) => "a string",
            Value::Array(_) => "an array",
            Value::Object(_) => "an object",
        }
    }

    pub fn is_null(&self) -> bool {
        matches!(self, Value::Null)
    }

    /// `self[key]` for objects; `None` otherwise.
    pub fn get(&self, key: &str) -> Option<&Value> {
        self.as_object().and_then(|m| m.get(key))
    }
}

/// Compact JSON text.
impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&to_string(self))
    }
}

impl ToJson for Value {
    fn write_json(&self, out: &mut String) {
        match self {
            Value::Null => out.push_str("null"),
            Value::Bool(b) => b.write_json(out),
            Value::Number(n) => out.push_str(n.as_str()),
            Value::String(s) => s.write_json(out),
            Value::Array(items) => items.write_json(out),
            Value::Object(map) => map.write_json(out),
        }
    }
}
