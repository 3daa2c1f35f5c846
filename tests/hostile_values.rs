//! Values JSON cannot express, as the wasm boundary can meet them in
//! options and payloads: NaN, ±Infinity, fractions, and `Unreadable` (a
//! function, a Symbol, a cycle). Every option reader and `signPayload` must
//! refuse them with a message, never panic, and never read them as "not
//! given" (a limit can never be lifted by a bad value).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use proptest::collection::vec;
use proptest::prelude::*;
use proptest::test_runner::Config;
use uspeedo_sms::ops;
use uspeedo_sms::options::bulk::bulk_options;
use uspeedo_sms::options::proxy::proxy_settings;
use uspeedo_sms::options::read::check_read_options;
use uspeedo_sms::read::Any;

fn config(cases: u32) -> Config {
    Config { cases, failure_persistence: None, ..Config::default() }
}

/// A number JSON cannot carry, or one no integer option accepts.
fn bad_number() -> impl Strategy<Value = f64> {
    prop_oneof![
        Just(f64::NAN),
        Just(f64::INFINITY),
        Just(f64::NEG_INFINITY),
        Just(1.5),
        Just(-1.0),
        Just(1e300)
    ]
}

/// Any value, hostile ones included, a few levels deep.
fn hostile() -> impl Strategy<Value = Any> {
    let leaf = prop_oneof![
        Just(Any::Null),
        any::<bool>().prop_map(Any::Bool),
        bad_number().prop_map(Any::Number),
        (-1e6f64..1e6).prop_map(Any::Number),
        ".{0,8}".prop_map(Any::String),
        prop_oneof![Just("a function"), Just("a Symbol"), Just("")].prop_map(|s| Any::Unreadable(s.into())),
    ];
    leaf.prop_recursive(3, 24, 4, |inner| {
        prop_oneof![
            vec(inner.clone(), 0..4).prop_map(Any::Array),
            vec((".{0,6}", inner), 0..4).prop_map(Any::Object),
        ]
    })
}

const INTEGER_OPTIONS: &[(&str, &str)] = &[
    ("client", "timeoutMs"),
    ("client", "maxRetries"),
    ("client", "accountId"),
    ("bulk", "chunkSize"),
    ("bulk", "concurrency"),
    ("bulk", "deadlineMs"),
    ("bulk", "ratePerSecond"),
    ("proxy", "maxTargets"),
    ("proxy", "maxBodyBytes"),
    ("proxy", "maxParams"),
    ("proxy", "maxParamLength"),
    ("read", "timeoutMs"),
    ("read", "concurrency"),
    ("validate", "maxTargets"),
];

fn check(kind: &str, options: &Any) -> Result<(), String> {
    let keys = || {
        Any::Object(vec![
            ("publicKey".into(), Any::String("pk".into())),
            ("privateKey".into(), Any::String("sk".into())),
        ])
    };
    match kind {
        "client" => {
            let mut o = keys();
            if let (Any::Object(base), Any::Object(extra)) = (&mut o, options) {
                base.extend(extra.iter().cloned());
            }
            ops::client(&o).map(|_| ()).map_err(|e| e.message)
        }
        "bulk" => bulk_options(options).map(|_| ()),
        "proxy" => proxy_settings(options).map(|_| ()),
        "read" => check_read_options(options).map(|_| ()),
        _ => ops::validate_options(options).map(|_| ()).map_err(|e| format!("{e:?}")),
    }
}

proptest! {
    #![proptest_config(config(256))]

    #[test]
    fn a_bad_number_is_never_not_given(index in 0..INTEGER_OPTIONS.len(), n in bad_number()) {
        let (kind, name) = INTEGER_OPTIONS[index];
        // ratePerSecond accepts fractions from 0.001; everything else wants integers.
        prop_assume!(!(name == "ratePerSecond" && n.is_finite() && (0.001..=1e6).contains(&n)));
        let options = Any::Object(vec![(name.to_string(), Any::Number(n))]);
        let refused = check(kind, &options);
        prop_assert!(refused.is_err(), "{kind} {name} = {n} was accepted");
        prop_assert!(refused.unwrap_err().contains(name), "the message names {name}");
    }

    #[test]
    fn hostile_option_values_never_panic(value in hostile(), index in 0..INTEGER_OPTIONS.len()) {
        let (kind, name) = INTEGER_OPTIONS[index];
        let _ = check(kind, &Any::Object(vec![(name.to_string(), value.clone())]));
        let _ = check(kind, &value);
    }

    #[test]
    fn sign_refuses_what_json_cannot_carry(value in hostile()) {
        let bad = uspeedo_sms::sign::non_finite(&value).is_some() || value.unreadable().is_some();
        let signed = ops::sign(&value, "key");
        prop_assert_eq!(signed.is_err(), bad, "{:?}", value);
        if let Err(e) = signed {
            prop_assert_eq!(e.code.as_str(), "VALIDATION");
        }
    }
}
