//! Signing what the crate's strict JSON parser accepts: 40 lowercase hex
//! characters, the same after a write/re-parse round trip, the same through
//! the JSON interface. The parser itself is checked against serde_json.
#![no_main]

use libfuzzer_sys::fuzz_target;
use uspeedo_sms::json::{self, Value};
use uspeedo_sms::{api, sign};

const KEY: &str = "NTk1Mzk0MAItOWI0My10MGM4LTg0NmMMNDM0ZGM5Y2ZkMmNk";

/// The tree's shape and strings, numbers left out (the crate keeps their
/// text, serde_json converts them).
fn shape(v: &Value) -> serde_json::Value {
    match v {
        Value::Null => serde_json::Value::Null,
        Value::Bool(b) => serde_json::Value::Bool(*b),
        Value::Number(_) => serde_json::Value::String("<number>".into()),
        Value::String(s) => serde_json::Value::String(s.clone()),
        Value::Array(items) => serde_json::Value::Array(items.iter().map(shape).collect()),
        Value::Object(map) => {
            serde_json::Value::Object(map.iter().map(|(k, v)| (k.clone(), shape(v))).collect())
        }
    }
}

fn serde_shape(v: &serde_json::Value) -> serde_json::Value {
    match v {
        serde_json::Value::Number(_) => serde_json::Value::String("<number>".into()),
        serde_json::Value::Array(items) => serde_json::Value::Array(items.iter().map(serde_shape).collect()),
        serde_json::Value::Object(map) => {
            serde_json::Value::Object(map.iter().map(|(k, v)| (k.clone(), serde_shape(v))).collect())
        }
        other => other.clone(),
    }
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let ours = json::parse(text);
    let theirs = serde_json::from_str::<serde_json::Value>(text);
    // Whatever we accept, serde_json reads as the same tree (it may refuse
    // numbers beyond f64; we keep their text).
    if let (Ok(ours), Ok(theirs)) = (&ours, &theirs) {
        assert_eq!(shape(ours), serde_shape(theirs), "{text:?}");
    }
    if ours.is_err() {
        if theirs.is_ok() {
            // serde_json keeps the last of duplicate keys; we refuse them.
            // Anything else serde_json reads, we read too.
            assert!(
                has_duplicate_keys(text),
                "serde_json accepts what json::parse refuses: {text:?} ({:?})",
                ours.as_ref().err()
            );
        }
        return;
    }
    let Ok(value) = ours else { return };
    let signature = sign::sign(&value, KEY);
    assert_eq!(signature.len(), 40);
    assert!(signature.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f')));
    // Written back out (sorted keys, other whitespace) it reads and signs the same.
    let written = json::to_string(&value);
    let again = json::parse(&written).expect("re-parse what json::to_string wrote");
    assert_eq!(again, value, "{written}");
    assert_eq!(sign::sign(&again, KEY), signature);
    let out: serde_json::Value = serde_json::from_str(&api::sign(text, KEY)).expect("api::sign returns JSON");
    assert_eq!(out["signature"].as_str(), Some(signature.as_str()));
});

/// Whether some object in `text` repeats a key (serde_json's view).
fn has_duplicate_keys(text: &str) -> bool {
    use serde::de::{Deserializer, MapAccess, SeqAccess, Visitor};
    struct Dup;
    impl<'de> Visitor<'de> for Dup {
        type Value = bool;
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("JSON")
        }
        fn visit_bool<E>(self, _: bool) -> Result<bool, E> {
            Ok(false)
        }
        fn visit_i64<E>(self, _: i64) -> Result<bool, E> {
            Ok(false)
        }
        fn visit_u64<E>(self, _: u64) -> Result<bool, E> {
            Ok(false)
        }
        fn visit_f64<E>(self, _: f64) -> Result<bool, E> {
            Ok(false)
        }
        fn visit_str<E>(self, _: &str) -> Result<bool, E> {
            Ok(false)
        }
        fn visit_unit<E>(self) -> Result<bool, E> {
            Ok(false)
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<bool, A::Error> {
            let mut dup = false;
            while let Some(d) = seq.next_element_seed(DupSeed)? {
                dup |= d;
            }
            Ok(dup)
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<bool, A::Error> {
            let mut keys = std::collections::BTreeSet::new();
            let mut dup = false;
            while let Some(k) = map.next_key::<String>()? {
                dup |= !keys.insert(k);
                dup |= map.next_value_seed(DupSeed)?;
            }
            Ok(dup)
        }
    }
    struct DupSeed;
    impl<'de> serde::de::DeserializeSeed<'de> for DupSeed {
        type Value = bool;
        fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<bool, D::Error> {
            d.deserialize_any(Dup)
        }
    }
    let mut d = serde_json::Deserializer::from_str(text);
    serde::de::DeserializeSeed::deserialize(DupSeed, &mut d).unwrap_or(false)
}
