//! Property tests across modules: nothing panics on any input, the JSON
//! interface keeps its invariants, signing ignores key order and number
//! notation, phone normalisation is a fixed point, previews add up.
//! Case counts are kept modest so the whole `cargo test` stays quick.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use proptest::collection::{btree_map, vec};
use proptest::prelude::*;
use proptest::test_runner::Config;
use serde_json::{json, Map, Value};
use uspeedo_sms::read::Any;
use uspeedo_sms::{api, phone::normalize_phone, preview, response, sign};

fn config(cases: u32) -> Config {
    Config { cases, failure_persistence: None, ..Config::default() }
}

// ---------------------------------------------------------------- generators

/// Any JSON value, a few levels deep.
fn any_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        (-1e6f64..1e6).prop_map(Value::from),
        ".{0,12}".prop_map(Value::String),
    ];
    leaf.prop_recursive(3, 24, 4, |inner| {
        prop_oneof![
            vec(inner.clone(), 0..4).prop_map(Value::Array),
            btree_map(".{0,6}", inner, 0..4).prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

/// A field that is absent, well-typed, or anything at all.
fn field(good: BoxedStrategy<Value>) -> BoxedStrategy<Option<Value>> {
    prop_oneof![
        2 => Just(None),
        7 => good.prop_map(Some),
        1 => any_json().prop_map(Some),
    ]
    .boxed()
}

fn object(fields: Vec<(&'static str, Option<Value>)>) -> Value {
    Value::Object(
        fields.into_iter().filter_map(|(k, v)| v.map(|v| (k.to_string(), v))).collect::<Map<String, Value>>(),
    )
}

/// Phone numbers in the forms people write, valid or nearly so.
fn phone_text() -> BoxedStrategy<String> {
    let code = prop_oneof![
        Just("1"),
        Just("7"),
        Just("44"),
        Just("86"),
        Just("852"),
        Just("683"),
        Just("259"),
        Just("0"),
        Just("")
    ];
    let prefix = (code, 0..6usize).prop_map(|(c, form)| match form {
        0 => String::new(),
        1 => format!("+{c} "),
        2 => format!("00{c}"),
        3 => format!("({c})"),
        4 => format!("(+{c}) "),
        _ => format!("+{c}"),
    });
    let groups = vec("[0-9]{1,5}", 0..5);
    let separator = prop_oneof![Just(""), Just(" "), Just("-"), Just("."), Just("\t"), Just("("), Just(")")];
    let structured = (prefix, groups, separator, separator_noise())
        .prop_map(|(p, g, s, noise)| format!("{noise}{p}{}", g.join(s)));
    prop_oneof![
        6 => structured,
        3 => "[0-9 +().\\-]{0,20}",
        1 => ".{0,20}",
    ]
    .boxed()
}

fn separator_noise() -> impl Strategy<Value = &'static str> {
    prop_oneof![8 => Just(""), 1 => Just(" "), 1 => Just("-"), 1 => Just(")"), 1 => Just(".")]
}

fn id_text() -> BoxedStrategy<Value> {
    prop_oneof![
        6 => good_id(),
        1 => prop_oneof![Just(""), Just(" T"), Just("T\n"), Just("t")].prop_map(Value::from),
        1 => ".{0,8}".prop_map(Value::from),
    ]
    .boxed()
}

fn good_id() -> BoxedStrategy<Value> {
    prop_oneof![Just("T"), Just("U"), Just("A"), Just("UTA2233108MUY3HZ")].prop_map(Value::from).boxed()
}

/// Numbers that normalise: every accepted form, a known code, enough digits.
fn good_phone() -> BoxedStrategy<Value> {
    let code = prop_oneof![Just("1"), Just("7"), Just("44"), Just("86"), Just("852"), Just("683")];
    // Few distinct numbers, so duplicates (and their warnings) happen.
    let a = prop_oneof![3 => "[1-9][0-9]{3}", 1 => Just("5531".to_string())];
    let b = prop_oneof![3 => "[0-9]{0,6}", 1 => Just("1111".to_string())];
    (code, 0..6usize, a, b)
        .prop_map(|(c, form, a, b)| {
            let text = match form {
                0 => format!("{a}{b}"),
                1 => format!("+{c} {a} {b}"),
                2 => format!("00{c}-{a}-{b}"),
                3 => format!("({c}){a}{b}"),
                4 => format!("(+{c}) {a}.{b}"),
                _ => format!(" +{c}{a}{b} "),
            };
            Value::from(text)
        })
        .boxed()
}

fn params() -> BoxedStrategy<Value> {
    vec(prop_oneof![4 => "[a-z0-9]{0,6}".prop_map(Value::from), 1 => any_json()], 0..4)
        .prop_map(Value::Array)
        .boxed()
}

fn good_params() -> BoxedStrategy<Value> {
    vec("[a-z0-9]{0,6}".prop_map(Value::from), 0..3).prop_map(Value::Array).boxed()
}

/// A required field: always there when `noisy` is false.
fn required(noisy: bool, good: BoxedStrategy<Value>) -> BoxedStrategy<Option<Value>> {
    if noisy {
        field(good)
    } else {
        good.prop_map(Some).boxed()
    }
}

/// An optional field: absent or well-typed when `noisy` is false.
fn optional(noisy: bool, good: BoxedStrategy<Value>) -> BoxedStrategy<Option<Value>> {
    if noisy {
        field(good)
    } else {
        proptest::option::of(good).boxed()
    }
}

fn extra(noisy: bool) -> BoxedStrategy<Option<Value>> {
    if noisy {
        prop::option::weighted(0.05, any_json()).boxed()
    } else {
        Just(None).boxed()
    }
}

fn target(noisy: bool) -> impl Strategy<Value = Value> {
    let (phone, id) = if noisy {
        (phone_text().prop_map(Value::from).boxed(), id_text())
    } else {
        (good_phone(), good_id())
    };
    (
        required(noisy, phone),
        optional(noisy, if noisy { params() } else { good_params() }),
        optional(noisy, id.clone()),
        optional(noisy, id.clone()),
        optional(noisy, id),
        extra(noisy),
    )
        .prop_map(|(phone, params, sender, extend, user, extra)| {
            object(vec![
                ("Phone", phone),
                ("TemplateParams", params),
                ("SenderId", sender),
                ("ExtendCode", extend),
                ("UserId", user),
                ("phone", extra),
            ])
        })
}

fn task(noisy: bool) -> impl Strategy<Value = Value> {
    let id = if noisy { id_text() } else { good_id() };
    let targets = if noisy { 0..5 } else { 1..5 };
    (
        required(noisy, id.clone()),
        optional(noisy, id),
        required(noisy, vec(target(noisy), targets).prop_map(Value::Array).boxed()),
        extra(noisy),
    )
        .prop_map(|(template, sender, targets, extra)| {
            object(vec![
                ("TemplateId", template),
                ("SenderId", sender),
                ("Target", targets),
                ("Targets", extra),
            ])
        })
}

/// Objects with the request's real field names: half of them well-formed
/// (so the paths after validation are reached), half with values of any type.
fn request() -> impl Strategy<Value = Value> {
    prop_oneof![request_of(false), request_of(true)]
}

fn request_of(noisy: bool) -> BoxedStrategy<Value> {
    let account = if noisy {
        prop_oneof![
            4 => (1u64..100_000).prop_map(Value::from),
            1 => Just(json!(0)),
            1 => Just(json!(-3)),
            1 => Just(json!(1.5)),
            1 => Just(json!("10001")),
        ]
        .boxed()
    } else {
        (1u64..100_000).prop_map(Value::from).boxed()
    };
    let action = if noisy {
        prop_oneof![4 => Just(json!("SendBatchUSMSMessage")), 1 => Just(json!("Send"))].boxed()
    } else {
        Just(json!("SendBatchUSMSMessage")).boxed()
    };
    let tasks = if noisy { 0..4 } else { 1..4 };
    (
        optional(noisy, action),
        optional(noisy, account),
        required(noisy, vec(task(noisy), tasks).prop_map(Value::Array).boxed()),
        extra(noisy),
    )
        .prop_map(|(action, account, tasks, extra)| {
            object(vec![("Action", action), ("AccountId", account), ("TaskContent", tasks), ("Extra", extra)])
        })
        .boxed()
}

fn options() -> impl Strategy<Value = Value> {
    let templates = btree_map(
        prop_oneof![Just("T".to_string()), Just("U".to_string())],
        prop_oneof![
            Just(json!("code {1} {2}")),
            Just(json!("hi")),
            "[a-z{}0-9 ]{0,12}".prop_map(Value::from)
        ],
        0..3,
    )
    .prop_map(|m| Value::Object(m.into_iter().collect()));
    (
        field(templates.boxed()),
        field(prop_oneof![Just(Value::Null), (1u64..6).prop_map(Value::from)].boxed()),
        field(vec(id_text(), 0..3).prop_map(Value::Array).boxed()),
    )
        .prop_map(|(templates, max, allow)| {
            object(vec![("templates", templates), ("maxTargets", max), ("allowTemplates", allow)])
        })
}

// ------------------------------------------------------- validate and prepare

/// The reply's invariants, whatever the input.
fn check_validation(out: &str) -> Value {
    let v: Value = serde_json::from_str(out).unwrap_or_else(|e| panic!("not JSON ({e}): {out}"));
    let errors = v["errors"].as_array().expect("errors");
    let warnings = v["warnings"].as_array().expect("warnings");
    let error_count = v["errorCount"].as_u64().expect("errorCount") as usize;
    let warning_count = v["warningCount"].as_u64().expect("warningCount") as usize;
    assert!(errors.len() <= 100 && errors.len() <= error_count, "{out}");
    assert!(warnings.len() <= 100 && warnings.len() <= warning_count, "{out}");
    assert_eq!(errors.len(), error_count.min(100), "{out}");
    assert_eq!(v["ok"], Value::Bool(error_count == 0), "{out}");
    assert_eq!(v["normalized"].is_null(), error_count != 0, "{out}");
    for issue in errors.iter().chain(warnings) {
        assert!(issue["path"].is_string() && issue["code"].is_string(), "{out}");
        assert!(!issue["message"].as_str().unwrap_or("").is_empty(), "{out}");
    }
    v
}

/// Normalising twice changes nothing.
fn check_idempotent(v: &Value, options: &str) {
    if v["ok"] != true {
        return;
    }
    let again = check_validation(&api::validate(&v["normalized"].to_string(), options));
    assert_eq!(again["ok"], true, "{v} then {again}");
    assert_eq!(again["normalized"], v["normalized"]);
}

const KEY_CONFIG: &str = r#"{"publicKey":"pk","privateKey":"sk-secret","accountId":77}"#;

fn check_prepare(request: &str, validation: &Value) {
    let out = api::prepare(request, KEY_CONFIG, 1.7e9, "n0nce");
    let p: Value = serde_json::from_str(&out).unwrap_or_else(|e| panic!("not JSON ({e}): {out}"));
    assert!(!out.contains("sk-secret"), "{out}");
    assert_eq!(p["ok"], validation["ok"], "{out} vs {validation}");
    if p["ok"] != true {
        assert!(p["error"]["code"].is_string(), "{out}");
        return;
    }
    let body = p["prepared"]["body"].as_str().expect("body");
    let parsed = Any::from_json(body).expect("the body is JSON");
    let signature = sign::sign(&parsed, "sk-secret");
    assert_eq!(p["prepared"]["headers"]["X-Signature"].as_str(), Some(signature.as_str()));
    let body: Value = serde_json::from_str(body).unwrap();
    assert_eq!(body["Action"], "SendBatchUSMSMessage");
    // The request's own AccountId wins over the configured one.
    let want_account = validation["normalized"].get("AccountId").cloned().unwrap_or(json!(77));
    assert_eq!(body["AccountId"], want_account);
    assert_eq!(body["TaskContent"], validation["normalized"]["TaskContent"]);
}

proptest! {
    #![proptest_config(config(256))]

    #[test]
    fn validate_never_panics_on_any_string(request in any::<String>(), options in any::<String>()) {
        check_validation(&api::validate(&request, "{}"));
        check_validation(&api::validate("{}", &options));
        check_validation(&api::validate(&request, &options));
    }

    #[test]
    fn prepare_never_panics_on_any_string(
        request in any::<String>(),
        config in any::<String>(),
        timestamp in any::<f64>(),
        nonce in any::<String>(),
    ) {
        for out in [
            api::prepare(&request, &config, timestamp, &nonce),
            api::prepare(&request, KEY_CONFIG, timestamp, &nonce),
            api::prepare(r#"{"TaskContent":[{"TemplateId":"T","Target":[{"Phone":"1111"}]}]}"#, &config, timestamp, &nonce),
        ] {
            let v: Value = serde_json::from_str(&out).unwrap();
            prop_assert!(v["ok"].is_boolean());
        }
    }
}

proptest! {
    #![proptest_config(config(192))]

    #[test]
    fn validate_structured_requests(request in request(), options in options()) {
        let text = request.to_string();
        let options = options.to_string();
        let v = check_validation(&api::validate(&text, &options));
        check_idempotent(&v, &options);
        let plain = check_validation(&api::validate(&text, "{}"));
        check_idempotent(&plain, "{}");
        check_prepare(&text, &plain);
    }

    #[test]
    fn prepare_structured_requests(
        request in request(),
        timestamp in prop_oneof![Just(1.7e9), any::<f64>()],
        nonce in prop_oneof![Just("abc".to_string()), ".{0,40}"],
        proxy in any::<bool>(),
    ) {
        let config = if proxy { r#"{"proxyUrl":"/sms"}"# } else { KEY_CONFIG };
        let out = api::prepare(&request.to_string(), config, timestamp, &nonce);
        let v: Value = serde_json::from_str(&out).unwrap();
        prop_assert!(v["ok"].is_boolean());
        prop_assert!(!out.contains("sk-secret"));
    }
}

// ------------------------------------------------------------------ responses

fn response_text_field() -> BoxedStrategy<Value> {
    "[A-Za-z0-9 -]{0,10}".prop_map(Value::from).boxed()
}

/// Objects around the real response shape, values of any type.
fn response_json() -> impl Strategy<Value = Value> {
    let failed_target = (
        field(phone_text().prop_map(Value::from).boxed()),
        field(params()),
        field(response_text_field()),
        field(response_text_field()),
        field(response_text_field()),
        field(any::<bool>().prop_map(Value::Bool).boxed()),
    )
        .prop_map(|(phone, params, extend, user, details, invalid)| {
            object(vec![
                ("Phone", phone),
                ("TemplateParams", params),
                ("ExtendCode", extend),
                ("UserId", user),
                ("FailureDetails", details),
                ("Invalid", invalid),
            ])
        });
    let failed_task = (
        field(id_text()),
        field(response_text_field()),
        field(response_text_field()),
        field(vec(failed_target, 0..3).prop_map(Value::Array).boxed()),
    )
        .prop_map(|(template, sender, details, targets)| {
            object(vec![
                ("TemplateId", template),
                ("SenderId", sender),
                ("FailureDetails", details),
                ("Target", targets),
            ])
        });
    let code = prop_oneof![
        Just(json!(0)),
        Just(json!(215398)),
        Just(json!("0")),
        Just(json!(" 123 ")),
        Just(json!(-1)),
        any::<i64>().prop_map(Value::from),
    ];
    (
        field(code.boxed()),
        field(response_text_field()),
        field(response_text_field()),
        field(response_text_field()),
        field(response_text_field()),
        field(prop_oneof![(0u64..1000).prop_map(Value::from), Just(json!("2")), Just(json!(-1))].boxed()),
        field(vec(failed_task, 0..3).prop_map(Value::Array).boxed()),
    )
        .prop_map(|(code, action, message, session, uuid, success, fail)| {
            object(vec![
                ("RetCode", code),
                ("Action", action),
                ("Message", message),
                ("SessionNo", session),
                ("ReqUuid", uuid),
                ("SuccessCount", success),
                ("FailContent", fail),
            ])
        })
}

/// A failed number: phone, parameters, reason.
type FailedTarget = (String, Vec<String>, String);

/// A response whose every field has the documented type.
#[derive(Debug, Clone)]
struct WellTyped {
    ret_code: i64,
    message: String,
    session: Option<String>,
    success: u64,
    /// TemplateId and its failed numbers.
    failed: Vec<(String, Vec<FailedTarget>)>,
}

fn well_typed() -> impl Strategy<Value = WellTyped> {
    let target = ("[0-9()]{4,12}", vec("[a-z0-9]{0,4}", 0..3), "[a-z ]{0,10}");
    let task = ("UTA[A-Z0-9]{5}", vec(target, 0..3));
    (
        // Integers JS numbers hold exactly (replies are read as JS reads them).
        prop_oneof![Just(0i64), -(1i64 << 53)..=(1i64 << 53)],
        "[a-z ]{0,12}",
        proptest::option::of("[a-f0-9-]{1,12}"),
        // Read through i64 (RetCode and SuccessCount share the reader).
        0..=(1u64 << 53),
        vec(task, 0..3),
    )
        .prop_map(|(ret_code, message, session, success, failed)| WellTyped {
            ret_code,
            message,
            session,
            success,
            failed,
        })
}

fn well_typed_json(w: &WellTyped, code_as_string: bool) -> Value {
    let fail: Vec<Value> = w
        .failed
        .iter()
        .map(|(id, targets)| {
            let t: Vec<Value> = targets
                .iter()
                .map(|(phone, params, why)| json!({"Phone": phone, "TemplateParams": params, "FailureDetails": why}))
                .collect();
            json!({"TemplateId": id, "SenderId": "uSpeedo", "FailureDetails": "", "Target": t})
        })
        .collect();
    let code = if code_as_string { json!(w.ret_code.to_string()) } else { json!(w.ret_code) };
    let mut v = json!({
        "RetCode": code,
        "Action": "SendBatchUSMSMessageResponse",
        "Message": w.message,
        "SuccessCount": w.success,
        "FailContent": fail,
        "ReqUuid": "req-1",
        "Unknown": {"x": [1, 2]}
    });
    if let Some(s) = &w.session {
        v["SessionNo"] = json!(s);
    }
    v
}

proptest! {
    #![proptest_config(config(256))]

    #[test]
    fn response_parse_never_panics_on_bytes(bytes in vec(any::<u8>(), 0..200)) {
        let text = String::from_utf8_lossy(&bytes);
        let _ = response::parse(&text);
        let out = api::interpret(200, &text, None, Some(&text), 0.0, None);
        prop_assert!(serde_json::from_str::<Value>(&out).is_ok());
    }

    #[test]
    fn response_parse_never_panics_on_strings(text in any::<String>(), status in any::<u16>()) {
        let _ = response::parse(&text);
        let out = api::interpret(status, &text, Some(&text), Some(&text), f64::NAN, Some(1));
        prop_assert!(serde_json::from_str::<Value>(&out).is_ok());
    }

    #[test]
    fn response_parse_on_shaped_json(v in response_json()) {
        let text = v.to_string();
        let parsed = response::parse(&text);
        let out = api::interpret(200, &text, None, None, 0.0, Some(10001));
        let outcome: Value = serde_json::from_str(&out).unwrap();
        // A result exactly when the body parsed and RetCode is 0.
        let accepted = matches!(&parsed, Ok(r) if r.ret_code == 0);
        prop_assert_eq!(outcome["kind"] == "result", accepted, "{}", out);
        if accepted {
            // Every failed number is listed, and the resend request has exactly them.
            let listed: usize = parsed.as_ref().map(|r| r.fail_content.iter().map(|t| t.target.len()).sum()).unwrap_or(0);
            prop_assert_eq!(outcome["result"]["failed"].as_array().map(Vec::len), Some(listed));
            let resend = &outcome["result"]["resendRequest"];
            let resend_count: usize = resend["TaskContent"].as_array().map(|ts| {
                ts.iter().map(|t| t["Target"].as_array().map_or(0, Vec::len)).sum()
            }).unwrap_or(0);
            prop_assert_eq!(resend_count, listed, "{}", out);
        }
    }

    #[test]
    fn well_typed_responses_parse_exactly(w in well_typed(), code_as_string in any::<bool>()) {
        let text = well_typed_json(&w, code_as_string).to_string();
        let r = response::parse(&text).unwrap_or_else(|e| panic!("{e:?}: {text}"));
        prop_assert_eq!(r.ret_code, w.ret_code);
        prop_assert_eq!(r.success_count, w.success);
        prop_assert_eq!(&r.message, &w.message);
        prop_assert_eq!(r.session_no.as_deref(), w.session.as_deref());
        prop_assert_eq!(r.req_uuid.as_deref(), Some("req-1"));
        prop_assert_eq!(r.fail_content.len(), w.failed.len());
        for (task, (id, targets)) in r.fail_content.iter().zip(&w.failed) {
            prop_assert_eq!(&task.template_id, id);
            prop_assert_eq!(task.failure_details.as_deref(), None);
            prop_assert_eq!(task.target.len(), targets.len());
            for (t, (phone, params, why)) in task.target.iter().zip(targets) {
                prop_assert_eq!(&t.phone, phone);
                prop_assert_eq!(&t.template_params, params);
                // Empty strings count as absent.
                prop_assert_eq!(t.failure_details.as_deref(), Some(why.as_str()).filter(|s| !s.is_empty()));
            }
        }
    }
}

// -------------------------------------------------------------------- signing

/// A JSON tree whose object entries keep the order they were generated in.
#[derive(Debug, Clone)]
enum Tree {
    Null,
    Bool(bool),
    Int(i64),
    /// `digits × 10^-scale`, written in several notations.
    Decimal(u32, u8),
    Str(String),
    Array(Vec<Tree>),
    Object(Vec<(String, Tree)>),
}

fn tree() -> impl Strategy<Value = Tree> {
    let leaf = prop_oneof![
        Just(Tree::Null),
        any::<bool>().prop_map(Tree::Bool),
        any::<i64>().prop_map(Tree::Int),
        (any::<u32>(), 0u8..6).prop_map(|(d, s)| Tree::Decimal(d, s)),
        ".{0,8}".prop_map(Tree::Str),
    ];
    leaf.prop_recursive(4, 40, 6, |inner| {
        prop_oneof![
            vec(inner.clone(), 0..5).prop_map(Tree::Array),
            // Unique keys, in a random order (not sorted).
            btree_map("[A-Za-z_]{1,6}|.{1,4}", inner, 0..6)
                .prop_map(|m| m.into_iter().collect::<Vec<_>>())
                .prop_shuffle()
                .prop_map(Tree::Object),
        ]
    })
}

/// How keys are ordered when writing an object, and how numbers and
/// whitespace look: every style describes the same JSON value.
#[derive(Debug, Clone, Copy)]
enum Style {
    AsGenerated,
    Reversed,
    SortedDescending,
    Rotated,
}

fn json_string(s: &str, escape_all: bool) -> String {
    if !escape_all {
        return serde_json::to_string(s).unwrap();
    }
    // Every character as \u escapes (surrogate pairs beyond the BMP).
    let mut out = String::from("\"");
    for unit in s.encode_utf16() {
        out.push_str(&format!("\\u{unit:04x}"));
    }
    out.push('"');
    out
}

/// `digits × 10^-scale` in one of several notations.
fn decimal_text(digits: u32, scale: u8, form: usize) -> String {
    let scale = i32::from(scale);
    match form % 4 {
        // 12345e-2
        0 => format!("{digits}e-{scale}"),
        // 123.450 (plain, one trailing zero)
        1 => {
            let s = format!("{:0>width$}", digits, width = scale as usize + 1);
            let (a, b) = s.split_at(s.len() - scale as usize);
            format!("{a}.{b}0")
        }
        // 1.2345E+2 style: mantissa with one integer digit
        2 => {
            let s = digits.to_string();
            let (a, b) = s.split_at(1);
            let exp = (s.len() as i32 - 1) - scale;
            if b.is_empty() {
                format!("{a}E{exp:+}")
            } else {
                format!("{a}.{b}E{exp:+}")
            }
        }
        // 1234500e-4 (extra zeros in the mantissa)
        _ => format!("{digits}00e-{}", scale + 2),
    }
}

fn write(t: &Tree, style: Style, depth: usize, out: &mut String) {
    let space = if depth % 2 == 1 { " \n\t" } else { "" };
    match t {
        Tree::Null => out.push_str("null"),
        Tree::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Tree::Int(i) => out.push_str(&i.to_string()),
        Tree::Decimal(d, s) => out.push_str(&decimal_text(*d, *s, style as usize + depth)),
        Tree::Str(s) => out.push_str(&json_string(s, matches!(style, Style::Reversed))),
        Tree::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(space);
                write(item, style, depth + 1, out);
            }
            out.push(']');
        }
        Tree::Object(entries) => {
            let mut entries: Vec<&(String, Tree)> = entries.iter().collect();
            match style {
                Style::AsGenerated => {}
                Style::Reversed => entries.reverse(),
                Style::SortedDescending => entries.sort_by(|a, b| b.0.cmp(&a.0)),
                Style::Rotated => {
                    let n = entries.len();
                    if n > 0 {
                        entries.rotate_left((depth + 1) % n);
                    }
                }
            }
            out.push('{');
            for (i, (k, v)) in entries.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(space);
                out.push_str(&json_string(k, matches!(style, Style::Rotated)));
                out.push_str(space);
                out.push(':');
                write(v, style, depth + 1, out);
            }
            out.push_str(space);
            out.push('}');
        }
    }
}

fn text_of(t: &Tree, style: Style) -> String {
    let mut out = String::new();
    write(t, style, 0, &mut out);
    out
}

/// The tree with a `null` member added to every object (nulls are not signed).
fn with_nulls(t: &Tree) -> Tree {
    match t {
        Tree::Array(items) => Tree::Array(items.iter().map(with_nulls).collect()),
        Tree::Object(entries) => {
            let mut e: Vec<(String, Tree)> =
                entries.iter().map(|(k, v)| (k.clone(), with_nulls(v))).collect();
            if !e.iter().any(|(k, _)| k == "~null") {
                e.insert(e.len() / 2, ("~null".to_string(), Tree::Null));
            }
            Tree::Object(e)
        }
        other => other.clone(),
    }
}

fn is_signature(s: &str) -> bool {
    s.len() == 40 && s.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

const KEY: &str = "NTk1Mzk0MAItOWI0My10MGM4LTg0NmMMNDM0ZGM5Y2ZkMmNk";

proptest! {
    #![proptest_config(config(256))]

    #[test]
    fn signature_ignores_key_order_whitespace_escapes_and_number_notation(t in tree(), key in "[!-~]{1,40}") {
        let styles = [Style::AsGenerated, Style::Reversed, Style::SortedDescending, Style::Rotated];
        let texts: Vec<String> = styles.iter().map(|s| text_of(&t, *s)).collect();
        let mut signatures = Vec::new();
        for text in &texts {
            // serde_json reads the text as the same value (a check on the generator).
            let plain: Value = serde_json::from_str(text).unwrap_or_else(|e| panic!("{e}: {text}"));
            let value = Any::from_json(text).unwrap_or_else(|e| panic!("{e}: {text}"));
            let signature = sign::sign(&value, &key);
            prop_assert!(is_signature(&signature), "{}", signature);
            // Through the JSON interface too.
            let out: Value = serde_json::from_str(&api::sign(text, &key)).unwrap();
            prop_assert_eq!(out["signature"].as_str(), Some(signature.as_str()));
            let _ = plain;
            signatures.push(signature);
        }
        for (s, text) in signatures.iter().zip(&texts) {
            prop_assert_eq!(s, &signatures[0], "{} vs {}", text, texts[0]);
        }
        // Null members are skipped entirely.
        let nulls = Any::from_json(&text_of(&with_nulls(&t), Style::Reversed)).unwrap();
        prop_assert_eq!(sign::sign(&nulls, &key), signatures[0].clone());
        // SHA-1 over the canonical string plus the key, as the spec says.
        use sha1::{Digest, Sha1};
        let canonical = sign::canonical_string(&Any::from_json(&texts[0]).unwrap());
        let digest = Sha1::digest(format!("{canonical}{key}").as_bytes());
        let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
        prop_assert_eq!(hex, signatures[0].clone());
    }

    #[test]
    fn canonical_numbers_have_no_exponent_and_keep_the_value(x in -1e15f64..1e15, scale in -30i32..30, scientific in any::<bool>()) {
        let x = x / 10f64.powi(scale);
        // Shortest round-trip digits, as JSON.stringify writes them.
        let text = if scientific { format!("{x:e}") } else { format!("{x}") };
        let v = Any::from_json(&format!("[{text}]")).unwrap();
        let canonical = sign::canonical_string(&v);
        prop_assert!(!canonical.contains(['e', 'E']), "{} -> {}", text, canonical);
        prop_assert!(!canonical.ends_with(".0") && !canonical.ends_with('.'), "{} -> {}", text, canonical);
        prop_assert!(!canonical.starts_with("-0") || canonical.starts_with("-0."), "{} -> {}", text, canonical);
        prop_assert_eq!(canonical.parse::<f64>().unwrap(), x, "{} -> {}", text, canonical);
    }

    #[test]
    fn different_values_sign_differently(a in ".{0,8}", b in ".{0,8}") {
        prop_assume!(a != b);
        let sa = sign::sign(&Any::from_json(&json!({"k": a}).to_string()).unwrap(), KEY);
        let sb = sign::sign(&Any::from_json(&json!({"k": b}).to_string()).unwrap(), KEY);
        prop_assert_ne!(sa, sb);
    }
}

// --------------------------------------------------------------------- phones

fn all_digits(s: &str) -> bool {
    s.bytes().all(|b| b.is_ascii_digit())
}

/// `^\(\d{1,3}\)\d{4,}$` or `^\d{4,15}$`.
fn well_formed_phone(s: &str) -> bool {
    if let Some(rest) = s.strip_prefix('(') {
        match rest.split_once(')') {
            Some((code, national)) => {
                (1..=3).contains(&code.len())
                    && all_digits(code)
                    && national.len() >= 4
                    && all_digits(national)
            }
            None => false,
        }
    } else {
        (4..=15).contains(&s.len()) && all_digits(s)
    }
}

proptest! {
    #![proptest_config(config(512))]

    #[test]
    fn normalised_phones_are_well_formed_fixed_points(input in phone_text()) {
        if let Ok(out) = normalize_phone(&input) {
            prop_assert!(well_formed_phone(&out), "{:?} -> {:?}", input, out);
            prop_assert_eq!(normalize_phone(&out), Ok(out.clone()), "{:?} -> {:?}", input, out);
        }
    }

    #[test]
    fn phone_never_panics(input in any::<String>()) {
        if let Ok(out) = normalize_phone(&input) {
            prop_assert!(well_formed_phone(&out), "{:?} -> {:?}", input, out);
        }
    }

    #[test]
    fn international_forms_agree(code in prop_oneof![Just("1"), Just("44"), Just("852"), Just("86")], national in "[1-9][0-9]{5,9}") {
        let want = normalize_phone(&format!("({code}){national}"));
        prop_assert!(want.is_ok());
        for form in [
            format!("+{code}{national}"),
            format!("+{code} {national}"),
            format!("00{code}{national}"),
            format!("(+{code}) {national}"),
            format!(" 00 {code}-{national} "),
        ] {
            prop_assert_eq!(normalize_phone(&form), want.clone(), "{}", form);
        }
    }
}

// -------------------------------------------------------------------- preview

fn template_text() -> impl Strategy<Value = String> {
    prop_oneof!["[a-z {}0-9]{0,30}", "[a-z€\\[\\]^~{}0-9]{0,30}", "[中文{}1-3😀]{0,20}", ".{0,30}",]
}

proptest! {
    #![proptest_config(config(256))]

    #[test]
    fn preview_adds_up(template in template_text(), params in vec(prop_oneof![".{0,20}", "[a-z€]{0,200}"], 0..4)) {
        let p = preview::preview(&template, &params);
        prop_assert_eq!(p.segments == 0, p.text.is_empty(), "{:?}", p);
        prop_assert_eq!(p.characters, p.text.chars().count());
        prop_assert!(p.characters <= p.units && p.units <= 2 * p.characters, "{:?}", p);
        prop_assert_eq!(p.too_long, p.characters > preview::MAX_MESSAGE_CHARS);
        prop_assert!(p.missing_params.iter().all(|n| *n > params.len()), "{:?}", p);
        // More parts never hold fewer units than one full part each but the last.
        if p.segments > 1 {
            let part = if matches!(p.encoding, preview::Encoding::Gsm7) { 154 } else { 67 };
            prop_assert!(p.units > (p.segments - 2) * (part - 1), "{:?}", p);
            prop_assert!(p.units <= p.segments * part, "{:?}", p);
        }
        let out: Value = serde_json::from_str(&api::preview_message(&template, &serde_json::to_string(&params).unwrap())).unwrap();
        prop_assert_eq!(&out["ok"], &json!(true));
        prop_assert_eq!(out["preview"]["segments"].as_u64(), Some(p.segments as u64));
    }

    #[test]
    fn preview_message_never_panics(template in any::<String>(), params in any::<String>()) {
        let out: Value = serde_json::from_str(&api::preview_message(&template, &params)).unwrap();
        prop_assert!(out["ok"].is_boolean());
    }
}
