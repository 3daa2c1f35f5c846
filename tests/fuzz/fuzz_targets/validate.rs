//! `api::validate` on any request text (default options) and with any text
//! as the options. Beyond "no panic", the reply's invariants are checked,
//! and a request that validated must validate again to itself.
#![no_main]

use libfuzzer_sys::fuzz_target;
use serde_json::Value;
use uspeedo_sms::read::Any;
use uspeedo_sms::{api, sign};

const VALID: &str = r#"{"Action":"SendBatchUSMSMessage","AccountId":10001,"TaskContent":[{"TemplateId":"T","SenderId":"uSpeedo","Target":[{"Phone":"+852 5531 1111","TemplateParams":["1234","Ann"]}]}]}"#;

fn check(out: &str) -> Value {
    let v: Value = serde_json::from_str(out).expect("validate returns JSON");
    let errors = v["errors"].as_array().expect("errors");
    let warnings = v["warnings"].as_array().expect("warnings");
    let error_count = v["errorCount"].as_u64().expect("errorCount") as usize;
    let warning_count = v["warningCount"].as_u64().expect("warningCount") as usize;
    assert!(errors.len() <= 100 && errors.len() <= error_count, "{out}");
    assert!(warnings.len() <= 100 && warnings.len() <= warning_count, "{out}");
    assert_eq!(v["ok"], Value::Bool(error_count == 0), "{out}");
    assert_eq!(v["normalized"].is_null(), error_count != 0, "{out}");
    for issue in errors.iter().chain(warnings) {
        assert!(!issue["message"].as_str().unwrap_or("").is_empty(), "{out}");
    }
    v
}

/// Normalising twice changes nothing.
fn idempotent(v: &Value, options: &str) {
    if v["ok"] != Value::Bool(true) {
        return;
    }
    let again = check(&api::validate(&v["normalized"].to_string(), options));
    assert_eq!(again["ok"], Value::Bool(true), "{v} then {again}");
    assert_eq!(again["normalized"], v["normalized"], "{v} then {again}");
}

const CONFIG: &str = r#"{"publicKey":"pk","privateKey":"sk-secret"}"#;

/// `prepare` agrees with `validate`, and what it signs is what it sends.
fn prepared(text: &str, v: &Value) {
    let out = api::prepare(text, CONFIG, 1.7e9, "nonce-1");
    let p: Value = serde_json::from_str(&out).expect("prepare returns JSON");
    assert_eq!(p["ok"], v["ok"], "{out} vs {v}");
    if p["ok"] != Value::Bool(true) {
        return;
    }
    let body = p["prepared"]["body"].as_str().expect("body");
    let headers = &p["prepared"]["headers"];
    let parsed = Any::from_json(body).expect("the body is JSON");
    assert_eq!(headers["X-Signature"].as_str(), Some(sign::sign(&parsed, "sk-secret").as_str()));
    assert!(!out.contains("sk-secret"), "{out}");
    let again = check(&api::validate(body, "{}"));
    assert_eq!(again["normalized"], v["normalized"], "{body}");
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let v = check(&api::validate(text, "{}"));
    idempotent(&v, "{}");
    prepared(text, &v);
    let with_options = check(&api::validate(VALID, text));
    idempotent(&with_options, text);
});
