//! Inputs the fuzzers (tests/fuzz) found, kept as plain tests so the fixes
//! stay fixed. Each comment says what the bug was and where.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};
use uspeedo_sms::read::Any;
use uspeedo_sms::{api, phone::normalize_phone, sign};

/// Records the largest single allocation, so a test can show that a small
/// input does not make the crate allocate a gigabyte.
struct Largest;

static LARGEST: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Largest {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        LARGEST.fetch_max(layout.size(), Ordering::Relaxed);
        System.alloc(layout)
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        System.dealloc(ptr, layout)
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        LARGEST.fetch_max(new_size, Ordering::Relaxed);
        System.realloc(ptr, layout, new_size)
    }
}

#[global_allocator]
static ALLOCATOR: Largest = Largest;

const KEY: &str = "NTk1Mzk0MAItOWI0My10MGM4LTg0NmMMNDM0ZGM5Y2ZkMmNk";

/// Found by the `phone` fuzz target (input `" )001234"`, minimised from
/// `"0 00 00000"`; fixed in ef44b2e). src/phone.rs, `normalize_phone`, the
/// "no country code" branch: a leading separator hid a `00` prefix from the
/// `strip_prefix("00")` test, so the digits passed through as `001234`; read
/// again, `001234` is the international prefix 00 + `1234`, which is too
/// short. Effects were: `normalized` from `validate` failed or changed when
/// validated again (e.g. by the proxy after the browser normalised it), and
/// `-0044 7911 123456` was not seen as a duplicate of `+44 7911 123456`.
#[test]
fn plain_digits_starting_00_are_a_fixed_point() {
    for input in [" )001234", "0 00 00000", "-0044 7911 123456", ".00852 5531 1111", "0 012345"] {
        if let Ok(once) = normalize_phone(input) {
            assert_eq!(normalize_phone(&once), Ok(once.clone()), "{input:?} -> {once:?}");
        }
    }
    let request = r#"{"TaskContent":[{"TemplateId":"T","Target":[{"Phone":"-0044 7911 123456"}]}]}"#;
    let first: serde_json::Value = serde_json::from_str(&api::validate(request, "")).unwrap();
    if first["ok"] == true {
        let second: serde_json::Value =
            serde_json::from_str(&api::validate(&first["normalized"].to_string(), "")).unwrap();
        assert_eq!(second["normalized"], first["normalized"], "{second}");
    }
}

/// Found by the `sign` fuzz target as an out-of-memory (`…E1234567890`, 2.2 GB)
/// and a 13-second unit (`11E00000000000947476890`); fixed in ef44b2e.
/// src/sign.rs, `plain_decimal`: `"0".repeat(point …)` wrote the number out
/// in full, so the 11 bytes `1e999999999` made a 1 GB string, and two such
/// numbers in a payload passed to `api::sign` (signPayload) exhausted memory.
#[test]
fn huge_exponents_are_signed_without_gigabytes() {
    let payload = r#"{"AccountId":1e99999999}"#; // 100 MB with the bug
    LARGEST.store(0, Ordering::Relaxed);
    // Beyond any f64 (and any JS number): not a payload anyone can send.
    let out: serde_json::Value = serde_json::from_str(&api::sign(payload, KEY)).unwrap();
    assert_eq!(out["ok"], false);
    let _ = sign::sign(&Any::Number(1e308), KEY);
    let largest = LARGEST.load(Ordering::Relaxed);
    assert!(largest < 1 << 20, "signing {payload} allocated {largest} bytes at once");
}

/// Same place: an exponent that did not fit an i32 was read as 0
/// (`e.parse::<i32>().unwrap_or(0)`), so `1e99999999999` was signed as if it
/// were `1`: a signature over a value other than the one sent.
#[test]
fn huge_exponents_beyond_i32_are_not_read_as_zero() {
    let huge = Any::from_json("[1e300]").unwrap();
    let one = Any::from_json("[1]").unwrap();
    assert_ne!(sign::canonical_string(&huge), sign::canonical_string(&one));
    assert_ne!(api::sign("[1e99999999999]", KEY), api::sign("[1]", KEY));
}

/// Neighbours of the findings that must keep working.
#[test]
fn fuzz_findings_that_hold() {
    // Small exponents are still written out exactly, without exponent.
    for (number, want) in [
        ("1.5e-7", "0.00000015"),
        ("42.0", "42"),
        ("1e21", "1000000000000000000000"),
        ("-0.0", "0"),
        ("-0", "0"),
        ("1E+2", "100"),
        ("100e-2", "1"),
        ("-2.50", "-2.5"),
        // Beyond 2^53 a number holds what a JS number holds, as in the browser.
        ("123456789012345678901234567890", "123456789012345680000000000000"),
    ] {
        let v = Any::from_json(number).unwrap();
        assert_eq!(sign::canonical_string(&v), want, "{number}");
    }
    // Deep nesting is refused, not a stack overflow.
    assert!(Any::from_json(&"[".repeat(100_000)).is_err());
    assert!(
        uspeedo_sms::response::parse(&format!("{{\"RetCode\":0,\"x\":{}}}", "[".repeat(100_000))).is_err()
    );
    // Duplicate keys are refused in requests and responses alike.
    let v: serde_json::Value =
        serde_json::from_str(&api::validate(r#"{"TaskContent":[],"TaskContent":[]}"#, "")).unwrap();
    assert_eq!(v["errors"][0]["code"], "INVALID_JSON");
    assert!(uspeedo_sms::response::parse(r#"{"RetCode":0,"RetCode":1}"#).is_err());
}
