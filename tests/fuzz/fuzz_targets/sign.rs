//! Signing any JSON text: 40 lowercase hex characters, independent of key
//! order and whitespace, the same through the JSON interface; the lenient
//! reader agrees with serde_json's own `Value` on every text both accept.
#![no_main]

use libfuzzer_sys::fuzz_target;
use uspeedo_sms::read::Any;
use uspeedo_sms::{api, sign};

const KEY: &str = "NTk1Mzk0MAItOWI0My10MGM4LTg0NmMMNDM0ZGM5Y2ZkMmNk";

/// The reader's value as serde_json's, numbers as f64 (as JS holds them).
fn plain(v: &Any) -> serde_json::Value {
    match v {
        Any::Null | Any::Unreadable(_) => serde_json::Value::Null,
        Any::Bool(b) => serde_json::Value::Bool(*b),
        Any::Number(n) => serde_json::json!(n),
        Any::String(s) => serde_json::Value::String(s.clone()),
        Any::Array(items) => serde_json::Value::Array(items.iter().map(plain).collect()),
        Any::Object(entries) => {
            serde_json::Value::Object(entries.iter().map(|(k, v)| (k.clone(), plain(v))).collect())
        }
    }
}

fn as_f64(v: &serde_json::Value) -> serde_json::Value {
    match v {
        serde_json::Value::Number(n) => serde_json::json!(n.as_f64()),
        serde_json::Value::Array(items) => serde_json::Value::Array(items.iter().map(as_f64).collect()),
        serde_json::Value::Object(map) => {
            serde_json::Value::Object(map.iter().map(|(k, v)| (k.clone(), as_f64(v))).collect())
        }
        other => other.clone(),
    }
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let ours = Any::from_json(text);
    let theirs = serde_json::from_str::<serde_json::Value>(text);
    let out: serde_json::Value = serde_json::from_str(&api::sign(text, KEY)).expect("api::sign returns JSON");
    let (Ok(value), Ok(theirs)) = (ours, theirs) else {
        assert_eq!(out["ok"], false, "{text:?}");
        return;
    };
    let signature = sign::sign(&value, KEY);
    assert_eq!(signature.len(), 40);
    assert!(signature.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f')));
    assert_eq!(out["signature"].as_str(), Some(signature.as_str()));
    // A repeated key has no single meaning (serde_json keeps the last; a JS
    // object cannot hold one): nothing more to compare.
    if value.repeated_key().is_some() {
        return;
    }
    assert_eq!(plain(&value), as_f64(&theirs), "{text:?}");
    // Written back out (serde_json's own writer) it reads and signs the same.
    let written = plain(&value).to_string();
    let again = Any::from_json(&written).expect("re-read what serde_json wrote");
    assert_eq!(sign::sign(&again, KEY), signature, "{written}");
});
