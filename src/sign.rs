//! uSpeedo's request signature: SHA-1 over the payload's values in a
//! canonical order, followed by the private key.
//!
//! ```text
//! enc(string) = the string; enc(bool) = true|false; enc(number) = decimal
//! enc(array)  = enc(item0) + enc(item1) + ...
//! enc(object) = for each key in byte-wise order: key + enc(value)
//! null and absent fields contribute nothing (and are not sent either)
//! ```

use crate::read::{number_text, Any};

/// Feeds the canonical encoding of `value` to `sink`, piece by piece, so a
/// 100,000-number payload is hashed without building one large string.
/// Numbers are written as JavaScript writes them, without exponent (Rust's
/// shortest round-trip decimal: `1e21` → `1000000000000000000000`).
pub fn encode(value: &Any, sink: &mut impl FnMut(&str)) {
    match value {
        Any::Null | Any::Unreadable(_) => {}
        Any::Bool(b) => sink(if *b { "true" } else { "false" }),
        Any::Number(n) => sink(&number_text(*n)),
        Any::String(s) => sink(s),
        Any::Array(items) => items.iter().for_each(|item| encode(item, sink)),
        Any::Object(entries) => {
            let mut sorted: Vec<&(String, Any)> = entries.iter().filter(|(_, v)| !v.is_null()).collect();
            sorted.sort_unstable_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
            for (key, item) in sorted {
                sink(key);
                encode(item, sink);
            }
        }
    }
}

/// The first number JSON cannot carry (NaN, ±Infinity) in `value`.
pub fn non_finite(value: &Any) -> Option<f64> {
    match value {
        Any::Number(n) if !n.is_finite() => Some(*n),
        Any::Array(items) => items.iter().find_map(non_finite),
        Any::Object(entries) => entries.iter().find_map(|(_, v)| non_finite(v)),
        _ => None,
    }
}

/// The canonical string (useful for debugging signatures; not secret).
pub fn canonical_string(value: &Any) -> String {
    let mut out = String::new();
    encode(value, &mut |piece| out.push_str(piece));
    out
}

/// `X-Signature`: 40 lowercase hex characters.
#[cfg(feature = "signing")]
pub fn sign(payload: &Any, private_key: &str) -> String {
    use sha1::{Digest, Sha1};
    let mut hasher = Sha1::new();
    encode(payload, &mut |piece| hasher.update(piece.as_bytes()));
    hasher.update(private_key.as_bytes());
    hex(&hasher.finalize())
}

/// The signature of a `SendBatchUSMSMessage` payload, encoded from the typed
/// request in canonical (byte-wise sorted) key order, without building a
/// JSON tree: `AccountId`, `Action`, `TaskContent`; per task `SenderId`,
/// `Target`, `TemplateId`; per target `ExtendCode`, `Phone`, `SenderId`,
/// `TemplateParams` (omitted when empty, as in the body), `UserId`.
#[cfg(feature = "signing")]
pub fn sign_send_batch(
    account_id: Option<u64>,
    tasks: &[crate::model::TaskView],
    private_key: &str,
) -> String {
    use sha1::{Digest, Sha1};
    let mut h = Sha1::new();
    let mut put = |piece: &str| h.update(piece.as_bytes());
    let field = |key: &str, value: Option<&str>, put: &mut dyn FnMut(&str)| {
        if let Some(v) = value {
            put(key);
            put(v);
        }
    };
    if let Some(id) = account_id {
        field("AccountId", Some(&id.to_string()), &mut put);
    }
    field("Action", Some(crate::model::SEND_BATCH_ACTION), &mut put);
    put("TaskContent");
    for task in tasks {
        field("SenderId", task.sender_id, &mut put);
        put("Target");
        for t in &task.target {
            field("ExtendCode", t.extend_code.as_deref(), &mut put);
            field("Phone", Some(&t.phone), &mut put);
            field("SenderId", t.sender_id.as_deref(), &mut put);
            if !t.template_params.is_empty() {
                put("TemplateParams");
                t.template_params.iter().for_each(|p| put(p));
            }
            field("UserId", t.user_id.as_deref(), &mut put);
        }
        field("TemplateId", Some(task.template_id), &mut put);
    }
    h.update(private_key.as_bytes());
    hex(&h.finalize())
}

#[cfg(feature = "signing")]
fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        // Writing to a String cannot fail.
        let _ = write!(out, "{b:02x}");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(feature = "signing")]
    const KEY: &str = "NTk1Mzk0MAItOWI0My10MGM4LTg0NmMMNDM0ZGM5Y2ZkMmNk";

    #[cfg(feature = "signing")]
    fn sig(json: &str, key: &str) -> String {
        sign(&Any::from_json(json).unwrap(), key)
    }

    #[test]
    #[cfg(feature = "signing")]
    fn official_vectors() {
        assert_eq!(
            sig(
                r#"{"Action":"CreateUSMSTemplate","AccountId":60000011,"Purpose":1,"Template":"your code is {1}","TemplateName":"demo"}"#,
                KEY
            ),
            "11a0430ae6f1a4dc0c656e64dfc1886b0ac4b63a"
        );
        assert_eq!(
            sig(
                r#"{"Action":"QueryUSMSTemplate","AccountId":60000011,"TemplateId":["UTA230227EL4IW1","UTA230227JVIB02"]}"#,
                KEY
            ),
            "258dc3d2d7115e9e7c9f4dd4910e671e17b224f1"
        );
        assert_eq!(
            sig(
                r#"{"Action":"SendBatchUSMSMessage","TaskContent":[{"TemplateId":"UTAXXXXXXXXXXX","SenderId":"uspeedo","Target":[{"Phone":"1111","TemplateParams":["1111"]}]}]}"#,
                KEY
            ),
            "7175ca50d6204dfd469e8aab447810c08f9da53f"
        );
        assert_eq!(
            sig(
                r#"{"Action":"SendBatchUSMSMessage","AccountId":10001,"TaskContent":[{"TemplateId":"UTA2233108MUY3HZ","SenderId":"uSpeedo","Target":[{"TemplateParams":["123456","653132","nickname1"],"Phone":"55212345780"},{"TemplateParams":["123457","765421","nickname2"],"Phone":"55212345781"}]}]}"#,
                "MjI3YmYyMjItNmM4Mi00ZGM5LWEwNDQtN2EzZjM0Yzk2OWE1"
            ),
            "69cc15724cda05b63c99cebf8226202d4c69ef0f"
        );
    }

    #[test]
    fn encoding_rules() {
        let v =
            Any::from_json(r#"{"b":[1,true,null,"x",[]],"a":null,"B":2.5,"c":42.0,"d":-3,"e":{},"f":[]}"#)
                .unwrap();
        assert_eq!(canonical_string(&v), "B2.5b1truexc42d-3ef");
    }

    #[test]
    fn floats_print_without_exponent() {
        for (n, want) in [
            (42.0, "42"),
            (-1.5e-7, "-0.00000015"),
            (1e21, "1000000000000000000000"),
            (125.0, "125"),
            (0.1, "0.1"),
            (-0.0, "0"),
            (1234.56, "1234.56"),
        ] {
            assert_eq!(number_text(n), want, "{n}");
        }
        for f in [0.1f64, 1e-7, 3.0e21, 123.456, -2.5, 1e300] {
            assert_eq!(number_text(f).parse::<f64>().unwrap(), f);
            assert!(!number_text(f).contains('e'));
        }
    }
}
