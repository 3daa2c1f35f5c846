//! Reading one option's value: strings, integers in a range (numeric
//! strings accepted, as environment variables arrive), string maps, and the
//! message every option check gives for a value that is not one.

use crate::read::Any;
use crate::text::{quoted, StringMap};

pub(crate) fn string(o: &Any, field: &str) -> Result<Option<String>, String> {
    match o.get(field) {
        None | Some(Any::Null) => Ok(None),
        Some(Any::String(s)) => Ok(Some(s.clone())),
        Some(_) => Err(format!("{field} must be a string")),
    }
}

pub(crate) fn integer(o: &Any, field: &str, min: u64, max: u64) -> Result<Option<u64>, String> {
    let n = match o.get(field) {
        None | Some(Any::Null) => return Ok(None),
        // Environment variables arrive as strings.
        Some(Any::String(s)) => s.trim().parse::<u64>().ok(),
        // NaN, Infinity and fractions are wrong values, never "not given".
        Some(other) => other.as_u64(),
    };
    integer_in(n, field, min, max).map(Some)
}

/// An integer option within `min..=max`, or the message every option check
/// of the crate gives for one that is not.
pub(crate) fn integer_in(n: Option<u64>, field: &str, min: u64, max: u64) -> Result<u64, String> {
    n.filter(|n| (min..=max).contains(n))
        .ok_or_else(|| format!("{field} must be an integer from {min} to {max}"))
}

/// The keys of an options object, or the message for a non-object.
pub(crate) fn entries<'a>(value: &'a Any, what: &str) -> Result<&'a [(String, Any)], String> {
    match value {
        Any::Object(entries) => Ok(entries),
        Any::Null => Ok(&[]),
        _ => Err(format!("{what} must be an object")),
    }
}

pub(crate) fn string_map(o: &Any, field: &str) -> Result<StringMap, String> {
    match o.get(field) {
        None | Some(Any::Null) => Ok(StringMap::default()),
        Some(Any::Object(entries)) => {
            let mut map = StringMap::new();
            for (k, v) in entries {
                let Any::String(s) = v else {
                    return Err(format!("{field}[{}] must be a string", quoted(k)));
                };
                if map.insert(k.clone(), s.clone()).is_some() {
                    return Err(format!("{field}: duplicate {k}"));
                }
            }
            Ok(map)
        }
        Some(_) => Err(format!("{field} must be an object of strings")),
    }
}
