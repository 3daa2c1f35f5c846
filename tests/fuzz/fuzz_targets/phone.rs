//! `normalize_phone`: no panic, and an accepted number comes out in one of
//! the two documented forms and is a fixed point.
#![no_main]

use libfuzzer_sys::fuzz_target;
use uspeedo_sms::phone::normalize_phone;

fn digits(s: &str) -> bool {
    s.bytes().all(|b| b.is_ascii_digit())
}

/// `(CC)national` with a 1-3 digit code and 4+ national digits, or 4-15 plain digits.
fn well_formed(s: &str) -> bool {
    if let Some(rest) = s.strip_prefix('(') {
        let Some((code, national)) = rest.split_once(')') else {
            return false;
        };
        (1..=3).contains(&code.len()) && digits(code) && national.len() >= 4 && digits(national)
    } else {
        (4..=15).contains(&s.len()) && digits(s)
    }
}

fuzz_target!(|data: &[u8]| {
    let Ok(input) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(out) = normalize_phone(input) {
        assert!(well_formed(&out), "{input:?} -> {out:?}");
        assert_eq!(normalize_phone(&out), Ok(out.clone()), "{input:?} -> {out:?}");
    }
});
