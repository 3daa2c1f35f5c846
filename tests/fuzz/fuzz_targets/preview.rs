//! `preview`: the first line of the input is the template, each further line
//! one parameter. No panic, and the figures agree with the text.
#![no_main]

use libfuzzer_sys::fuzz_target;
use uspeedo_sms::{api, preview, template};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let mut lines = text.split('\n');
    let template_text = lines.next().unwrap_or("");
    let params: Vec<String> = lines.map(str::to_string).collect();
    let p = preview::preview(template_text, &params);
    assert_eq!(p.segments == 0, p.text.is_empty(), "{p:?}");
    assert_eq!(p.characters, p.text.chars().count());
    assert!(p.characters <= p.units && p.units <= 2 * p.characters, "{p:?}");
    assert_eq!(p.too_long, p.characters > preview::MAX_MESSAGE_CHARS);
    assert!(p.missing_params.iter().all(|n| *n > params.len()), "{p:?}");
    assert!(template::variable_count(template_text) >= p.missing_params.len());
    let json = serde_json::to_string(&params).expect("params serialise");
    let out: serde_json::Value =
        serde_json::from_str(&api::preview_message(template_text, &json)).expect("JSON");
    assert_eq!(out["ok"], serde_json::Value::Bool(true));
});
