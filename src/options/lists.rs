//! The bulk options that are lists: the suppression list (numbers never to
//! text, in any phone form the validator accepts) and the price table of
//! the cost estimate (price per SMS part by country calling code).

use crate::calling_codes::is_calling_code;
use crate::phone::normalize_phone;
use crate::read::Any;
use crate::text::quoted;
use std::collections::{BTreeMap, BTreeSet};

/// At most this many suppressed numbers (a national do-not-call list fits).
pub const MAX_SUPPRESSED: usize = 10_000_000;

/// `suppress: ["+852 5531 1111", "(86)13800138000", ...]`, normalised as
/// targets are, so any accepted form matches.
pub fn suppress_list(value: &Any) -> Result<BTreeSet<String>, String> {
    let Any::Array(items) = value else {
        return Err(format!("suppress must be an array of phone numbers, got {}", value.kind()));
    };
    if items.len() > MAX_SUPPRESSED {
        return Err(format!("suppress holds {} numbers; at most {MAX_SUPPRESSED}", items.len()));
    }
    let mut out = BTreeSet::new();
    for (i, item) in items.iter().enumerate() {
        let Some(text) = item.as_str() else {
            return Err(format!("suppress[{i}] must be a phone number string, got {}", item.kind()));
        };
        let phone = normalize_phone(text)
            .map_err(|why| format!("suppress[{i}] ({}) {}", quoted(text), why.describe()))?;
        out.insert(phone);
    }
    Ok(out)
}

/// `prices: { "852": 0.045, "86": 0.03 }`: a price per SMS part (any
/// currency) by country calling code.
pub fn price_table(value: &Any) -> Result<BTreeMap<String, f64>, String> {
    let Any::Object(entries) = value else {
        return Err(format!("prices must be an object of calling code to price, got {}", value.kind()));
    };
    let mut out = BTreeMap::new();
    for (code, price) in entries {
        let code = code.trim_start_matches('+');
        if !is_calling_code(code) {
            return Err(format!("prices: {} is not a country calling code", quoted(code)));
        }
        match price {
            Any::Number(n) if n.is_finite() && *n >= 0.0 => out.insert(code.to_string(), *n),
            other => {
                return Err(format!("prices[{}] must be a number ≥ 0, got {}", quoted(code), other.kind()))
            }
        };
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn any(text: &str) -> Any {
        Any::from_json(text).unwrap()
    }

    #[test]
    fn suppressed_numbers_are_normalised_and_checked() {
        let list =
            suppress_list(&any(r#"["+852 5531 1111", "00852-5531-1111", "(86)13800138000"]"#)).unwrap();
        assert_eq!(list.into_iter().collect::<Vec<_>>(), ["(852)55311111", "(86)13800138000"]);
        assert!(suppress_list(&any(r#"["+852 5531 1111", "nope"]"#)).unwrap_err().starts_with("suppress[1]"));
        assert!(suppress_list(&any(r#"[1]"#)).unwrap_err().contains("suppress[0]"));
        assert!(suppress_list(&any(r#""+852""#)).is_err());
    }

    #[test]
    fn prices_are_by_calling_code() {
        let table = price_table(&any(r#"{"852":0.045,"+86":0}"#)).unwrap();
        assert_eq!(table.get("86"), Some(&0.0));
        assert!(price_table(&any(r#"{"999":1}"#)).is_err());
        assert!(price_table(&any(r#"{"852":-1}"#)).is_err());
        assert!(price_table(&any(r#"{"852":"1"}"#)).is_err());
    }
}
