//! uSpeedo's answers to the read actions, whatever the wire brings: the read
//! rule and the receipt and template pages must return a value, never panic,
//! and every asked id ends up listed once (found or not).
#![no_main]

use libfuzzer_sys::fuzz_target;
use uspeedo_sms::ops::RawReply;
use uspeedo_sms::outcome::Outcome;
use uspeedo_sms::read::Any;
use uspeedo_sms::reads::{receipts, templates, ReadAction, ReadCall};
use uspeedo_sms::transport::call::Call;

fuzz_target!(|data: &[u8]| {
    let body = String::from_utf8_lossy(data);
    for action in [ReadAction::Receipts, ReadAction::Templates] {
        for status in [200, 500] {
            let reply =
                RawReply { status, body: &body, request_id: None, retry_after: None, now_ms: 0.0, account_id: None, sent: None };
            let outcome = ReadCall { action }.reply(&reply);
            if status != 200 {
                assert!(matches!(outcome, Outcome::Error { retryable: true, .. }), "a 5xx read is retried");
            }
        }
    }
    let Ok(value) = Any::from_json(&body) else { return };
    let asked: Vec<String> = ["a", "b", "a"].iter().map(|s| s.to_string()).collect();
    let mut r = receipts::ReceiptsResult::default();
    if receipts::add_page(&mut r, &value, &asked).is_ok() {
        let listed = r.sessions_without_receipts.len();
        assert!(listed <= asked.len());
        assert!(r.receipts.iter().all(|x| asked.contains(&x.session_no)));
    }
    let mut t = templates::TemplatesResult::default();
    if templates::add_page(&mut t, &value, &asked).is_ok() {
        assert_eq!(t.templates.len() + t.unknown.len(), asked.len());
    }
});
