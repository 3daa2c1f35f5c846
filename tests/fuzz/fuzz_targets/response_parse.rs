//! uSpeedo's answer, whatever the wire brings: `response::parse` and the
//! whole interpretation of an HTTP reply must return a value, never panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use uspeedo_sms::{api, response, retry};

fuzz_target!(|data: &[u8]| {
    let body = String::from_utf8_lossy(data);
    let parsed = response::parse(&body);
    if let Ok(r) = &parsed {
        // Parsing is deterministic and the result serialises.
        assert_eq!(response::parse(&body).as_ref(), Ok(r));
        let written = serde_json::to_string(r).expect("a response serialises");
        assert!(serde_json::from_str::<serde_json::Value>(&written).is_ok(), "{written}");
    }
    for status in [200, 429, 502] {
        let out = api::interpret(status, &body, Some("req-1"), Some(&body), 1.7e12, Some(10001));
        let v: serde_json::Value = serde_json::from_str(&out).expect("interpret returns JSON");
        let kind = v.get("kind").and_then(serde_json::Value::as_str);
        assert!(matches!(kind, Some("result" | "error")), "{out}");
        if status == 200 {
            // A result exactly when the body parsed with RetCode 0.
            let ok = matches!(&parsed, Ok(r) if r.ret_code == 0);
            assert_eq!(kind == Some("result"), ok, "{out}");
        }
    }
    let _ = retry::parse_retry_after(&body, 1.7e12);
});
