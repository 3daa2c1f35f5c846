//! Every `IssueCode` through the JSON-string interface the wasm facade uses
//! (`api::validate`), with the exact `path` each finding points at.
//! Messages are only checked to be non-empty: their wording may still change.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use serde_json::{json, Value};
use uspeedo_sms::api;

const NO_OPTIONS: &str = "{}";
const TWO_PARAMS: &str = r#"{"templates":{"T":"code {1} {2}"}}"#;
const ALLOW_A: &str = r#"{"allowTemplates":["A"]}"#;

fn run(request: &str, options: &str) -> Value {
    let out = api::validate(request, options);
    let v: Value =
        serde_json::from_str(&out).unwrap_or_else(|e| panic!("validate returned non-JSON {out:?}: {e}"));
    check_shape(&v);
    v
}

/// Invariants of the reply, whatever the input.
fn check_shape(v: &Value) {
    let errors = v["errors"].as_array().expect("errors is an array");
    let warnings = v["warnings"].as_array().expect("warnings is an array");
    let error_count = v["errorCount"].as_u64().expect("errorCount is a number") as usize;
    let warning_count = v["warningCount"].as_u64().expect("warningCount is a number") as usize;
    assert!(errors.len() <= 100 && errors.len() <= error_count, "{v}");
    assert!(warnings.len() <= 100 && warnings.len() <= warning_count, "{v}");
    assert_eq!(v["ok"], Value::Bool(error_count == 0), "{v}");
    assert_eq!(v["normalized"].is_null(), error_count != 0, "{v}");
    for issue in errors.iter().chain(warnings) {
        assert!(issue["path"].is_string(), "{issue}");
        assert!(issue["code"].is_string(), "{issue}");
        let message = issue["message"].as_str().expect("message is a string");
        assert!(!message.trim().is_empty(), "empty message in {issue}");
    }
}

/// `(path, code)` of each finding, sorted so the order of checks inside the
/// validator does not matter.
fn pairs(list: &Value) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|i| (i["path"].as_str().unwrap().to_string(), i["code"].as_str().unwrap().to_string()))
        .collect();
    out.sort();
    out
}

fn expected(list: &[(&str, &str)]) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = list.iter().map(|(p, c)| (p.to_string(), c.to_string())).collect();
    out.sort();
    out
}

/// A valid one-target request for template `T` with two parameters, with
/// `patch` merged into the task, target or root.
fn request(root: Value, task: Value, target: Value) -> String {
    let mut t = json!({"Phone": "(852)55311111", "TemplateParams": ["1234", "Ann"]});
    merge(&mut t, target);
    let mut k = json!({"TemplateId": "T", "SenderId": "uSpeedo", "Target": [t]});
    merge(&mut k, task);
    let mut r = json!({"Action": "SendBatchUSMSMessage", "AccountId": 10001, "TaskContent": [k]});
    merge(&mut r, root);
    r.to_string()
}

/// Sets each key of `patch`; a key whose value is the string "<absent>" is removed.
fn merge(into: &mut Value, patch: Value) {
    let (Value::Object(into), Value::Object(patch)) = (into, patch) else {
        panic!("merge wants two objects");
    };
    for (k, v) in patch {
        if v == json!("<absent>") {
            into.remove(&k);
        } else {
            into.insert(k, v);
        }
    }
}

fn none() -> Value {
    json!({})
}

const T0: &str = "TaskContent[0]";
const P0: &str = "TaskContent[0].Target[0].Phone";
const PARAMS0: &str = "TaskContent[0].Target[0].TemplateParams";

struct Case {
    name: &'static str,
    request: String,
    options: &'static str,
    errors: Vec<(&'static str, &'static str)>,
    warnings: Vec<(&'static str, &'static str)>,
}

fn case(
    name: &'static str,
    request: String,
    options: &'static str,
    errors: Vec<(&'static str, &'static str)>,
) -> Case {
    Case { name, request, options, errors, warnings: vec![] }
}

fn phone(p: &str) -> String {
    request(none(), none(), json!({ "Phone": p }))
}

fn cases() -> Vec<Case> {
    let many: Vec<Value> =
        (0..1001).map(|i| json!({"Phone": format!("+852 5{i:07}"), "TemplateParams": ["1", "2"]})).collect();
    vec![
        case("valid baseline", request(none(), none(), none()), TWO_PARAMS, vec![]),
        // INVALID_JSON
        case("not JSON", "{".into(), NO_OPTIONS, vec![("", "INVALID_JSON")]),
        case("empty string", "".into(), NO_OPTIONS, vec![("", "INVALID_JSON")]),
        case("trailing garbage", r#"{"TaskContent":[]} x"#.into(), NO_OPTIONS, vec![("", "INVALID_JSON")]),
        case(
            "duplicate key",
            r#"{"TaskContent":[{"TemplateId":"T","TemplateId":"U","Target":[{"Phone":"1111"}]}]}"#.into(),
            NO_OPTIONS,
            vec![("TaskContent[0].TemplateId", "INVALID_JSON")],
        ),
        // WRONG_TYPE
        case("root is an array", "[]".into(), NO_OPTIONS, vec![("", "WRONG_TYPE")]),
        case("root is null", "null".into(), NO_OPTIONS, vec![("", "WRONG_TYPE")]),
        case(
            "TaskContent is a string",
            request(json!({"TaskContent": "x"}), none(), none()),
            NO_OPTIONS,
            vec![("TaskContent", "WRONG_TYPE")],
        ),
        case(
            "task is a number",
            request(json!({"TaskContent": [1]}), none(), none()),
            NO_OPTIONS,
            vec![(T0, "WRONG_TYPE")],
        ),
        case(
            "Target is an object",
            request(none(), json!({"Target": {"Phone": "1111"}}), none()),
            NO_OPTIONS,
            vec![("TaskContent[0].Target", "WRONG_TYPE")],
        ),
        case(
            "target is a string",
            request(none(), json!({"Target": ["(852)55311111"]}), none()),
            NO_OPTIONS,
            vec![("TaskContent[0].Target[0]", "WRONG_TYPE")],
        ),
        case(
            "TemplateId is a number",
            request(none(), json!({"TemplateId": 7}), none()),
            NO_OPTIONS,
            vec![("TaskContent[0].TemplateId", "WRONG_TYPE")],
        ),
        case(
            "Phone is a number",
            request(none(), none(), json!({"Phone": 85255311111_u64})),
            NO_OPTIONS,
            vec![(P0, "WRONG_TYPE")],
        ),
        case(
            "TemplateParams is a string",
            request(none(), none(), json!({"TemplateParams": "1234"})),
            NO_OPTIONS,
            vec![(PARAMS0, "WRONG_TYPE")],
        ),
        case(
            "a parameter is a number",
            request(none(), none(), json!({"TemplateParams": ["1", 2]})),
            NO_OPTIONS,
            vec![("TaskContent[0].Target[0].TemplateParams[1]", "WRONG_TYPE")],
        ),
        case(
            "UserId is a boolean",
            request(none(), none(), json!({"UserId": true})),
            NO_OPTIONS,
            vec![("TaskContent[0].Target[0].UserId", "WRONG_TYPE")],
        ),
        case("options not JSON", request(none(), none(), none()), "{", vec![("(options)", "WRONG_TYPE")]),
        case("options an array", request(none(), none(), none()), "[]", vec![("(options)", "WRONG_TYPE")]),
        case(
            "unknown option",
            request(none(), none(), none()),
            r#"{"maxTarget":5}"#,
            vec![("(options)", "WRONG_TYPE")],
        ),
        case(
            "template text not a string",
            request(none(), none(), none()),
            r#"{"templates":{"T":1}}"#,
            vec![("(options)", "WRONG_TYPE")],
        ),
        // REQUIRED
        case("empty object", "{}".into(), NO_OPTIONS, vec![("TaskContent", "REQUIRED")]),
        case(
            "TaskContent null",
            request(json!({"TaskContent": null}), none(), none()),
            NO_OPTIONS,
            vec![("TaskContent", "REQUIRED")],
        ),
        case(
            "no TemplateId",
            request(none(), json!({"TemplateId": "<absent>"}), none()),
            NO_OPTIONS,
            vec![("TaskContent[0].TemplateId", "REQUIRED")],
        ),
        case(
            "no Target",
            request(none(), json!({"Target": "<absent>"}), none()),
            NO_OPTIONS,
            vec![("TaskContent[0].Target", "REQUIRED")],
        ),
        case(
            "no Phone",
            request(none(), none(), json!({"Phone": "<absent>"})),
            NO_OPTIONS,
            vec![(P0, "REQUIRED")],
        ),
        case(
            "Phone null",
            request(none(), none(), json!({"Phone": null})),
            NO_OPTIONS,
            vec![(P0, "REQUIRED")],
        ),
        // EMPTY
        case(
            "TaskContent empty",
            request(json!({"TaskContent": []}), none(), none()),
            NO_OPTIONS,
            vec![("TaskContent", "EMPTY")],
        ),
        case(
            "Target empty",
            request(none(), json!({"Target": []}), none()),
            NO_OPTIONS,
            vec![("TaskContent[0].Target", "EMPTY")],
        ),
        case(
            "TemplateId empty",
            request(none(), json!({"TemplateId": ""}), none()),
            NO_OPTIONS,
            vec![("TaskContent[0].TemplateId", "EMPTY")],
        ),
        case(
            "SenderId empty",
            request(none(), json!({"SenderId": ""}), none()),
            NO_OPTIONS,
            vec![("TaskContent[0].SenderId", "EMPTY")],
        ),
        case("Phone empty", phone(""), NO_OPTIONS, vec![(P0, "EMPTY")]),
        case("Phone blank", phone("   "), NO_OPTIONS, vec![(P0, "EMPTY")]),
        // UNKNOWN_FIELD
        case(
            "unknown root field",
            request(json!({"Foo": 1}), none(), none()),
            NO_OPTIONS,
            vec![("Foo", "UNKNOWN_FIELD")],
        ),
        case(
            "miscased task field",
            request(none(), json!({"templateId": "T"}), none()),
            NO_OPTIONS,
            vec![("TaskContent[0].templateId", "UNKNOWN_FIELD")],
        ),
        case(
            "unknown target field",
            request(none(), none(), json!({"Params": ["1"]})),
            NO_OPTIONS,
            vec![("TaskContent[0].Target[0].Params", "UNKNOWN_FIELD")],
        ),
        // WRONG_ACTION
        case(
            "other action",
            request(json!({"Action": "SendUSMSMessage"}), none(), none()),
            NO_OPTIONS,
            vec![("Action", "WRONG_ACTION")],
        ),
        case(
            "action a number",
            request(json!({"Action": 1}), none(), none()),
            NO_OPTIONS,
            vec![("Action", "WRONG_ACTION")],
        ),
        case(
            "action omitted is fine",
            request(json!({"Action": "<absent>"}), none(), none()),
            NO_OPTIONS,
            vec![],
        ),
        // INVALID_ACCOUNT_ID
        case(
            "AccountId zero",
            request(json!({"AccountId": 0}), none(), none()),
            NO_OPTIONS,
            vec![("AccountId", "INVALID_ACCOUNT_ID")],
        ),
        case(
            "AccountId negative",
            request(json!({"AccountId": -5}), none(), none()),
            NO_OPTIONS,
            vec![("AccountId", "INVALID_ACCOUNT_ID")],
        ),
        case(
            "AccountId fractional",
            request(json!({"AccountId": 1.5}), none(), none()),
            NO_OPTIONS,
            vec![("AccountId", "INVALID_ACCOUNT_ID")],
        ),
        case(
            "AccountId a string",
            request(json!({"AccountId": "10001"}), none(), none()),
            NO_OPTIONS,
            vec![("AccountId", "INVALID_ACCOUNT_ID")],
        ),
        case(
            "AccountId omitted is fine",
            request(json!({"AccountId": "<absent>"}), none(), none()),
            NO_OPTIONS,
            vec![],
        ),
        // TOO_MANY_TARGETS
        case(
            "1001 numbers",
            request(none(), json!({"Target": many}), none()),
            NO_OPTIONS,
            vec![("TaskContent", "TOO_MANY_TARGETS")],
        ),
        case(
            "over a custom maxTargets, counted across tasks",
            request(
                json!({"TaskContent": [
                    {"TemplateId": "T", "Target": [{"Phone": "1111"}, {"Phone": "2222"}]},
                    {"TemplateId": "U", "Target": [{"Phone": "3333"}]}
                ]}),
                none(),
                none(),
            ),
            r#"{"maxTargets":2}"#,
            vec![("TaskContent", "TOO_MANY_TARGETS")],
        ),
        // CONTROL_CHARACTER
        case(
            "newline in TemplateId",
            request(none(), json!({"TemplateId": "T\n"}), none()),
            NO_OPTIONS,
            vec![("TaskContent[0].TemplateId", "CONTROL_CHARACTER")],
        ),
        case(
            "NUL in UserId",
            request(none(), none(), json!({"UserId": "u\u{0}1"})),
            NO_OPTIONS,
            vec![("TaskContent[0].Target[0].UserId", "CONTROL_CHARACTER")],
        ),
        case(
            "tab in ExtendCode",
            request(none(), none(), json!({"ExtendCode": "1\t2"})),
            NO_OPTIONS,
            vec![("TaskContent[0].Target[0].ExtendCode", "CONTROL_CHARACTER")],
        ),
        // SURROUNDING_WHITESPACE
        case(
            "space before TemplateId",
            request(none(), json!({"TemplateId": " T"}), none()),
            NO_OPTIONS,
            vec![("TaskContent[0].TemplateId", "SURROUNDING_WHITESPACE")],
        ),
        case(
            "space after target SenderId",
            request(none(), none(), json!({"SenderId": "uSpeedo "})),
            NO_OPTIONS,
            vec![("TaskContent[0].Target[0].SenderId", "SURROUNDING_WHITESPACE")],
        ),
        // PHONE_*
        case(
            "letters in phone",
            phone("+1 415 CALL NOW"),
            NO_OPTIONS,
            vec![(P0, "PHONE_INVALID_CHARACTERS")],
        ),
        case(
            "underscore in phone",
            phone("+852 5531_1111"),
            NO_OPTIONS,
            vec![(P0, "PHONE_INVALID_CHARACTERS")],
        ),
        case("plus in the middle", phone("852+55311111"), NO_OPTIONS, vec![(P0, "PHONE_INVALID_CHARACTERS")]),
        case(
            "unknown code in brackets",
            phone("(259)1234567"),
            NO_OPTIONS,
            vec![(P0, "PHONE_UNKNOWN_COUNTRY_CODE")],
        ),
        case(
            "unknown code after +",
            phone("+2591234567"),
            NO_OPTIONS,
            vec![(P0, "PHONE_UNKNOWN_COUNTRY_CODE")],
        ),
        case("too short plain", phone("123"), NO_OPTIONS, vec![(P0, "PHONE_TOO_SHORT")]),
        case("too short national", phone("+852 123"), NO_OPTIONS, vec![(P0, "PHONE_TOO_SHORT")]),
        case("too long plain", phone("1234567890123456"), NO_OPTIONS, vec![(P0, "PHONE_TOO_LONG")]),
        case("too long international", phone("+86 13812345678901"), NO_OPTIONS, vec![(P0, "PHONE_TOO_LONG")]),
        // PARAMS_COUNT_MISMATCH
        case(
            "one parameter short",
            request(none(), none(), json!({"TemplateParams": ["1234"]})),
            TWO_PARAMS,
            vec![(PARAMS0, "PARAMS_COUNT_MISMATCH")],
        ),
        case(
            "one parameter too many",
            request(none(), none(), json!({"TemplateParams": ["1", "2", "3"]})),
            TWO_PARAMS,
            vec![(PARAMS0, "PARAMS_COUNT_MISMATCH")],
        ),
        case(
            "parameters omitted",
            request(none(), none(), json!({"TemplateParams": "<absent>"})),
            TWO_PARAMS,
            vec![(PARAMS0, "PARAMS_COUNT_MISMATCH")],
        ),
        case(
            "unknown template is not checked",
            request(none(), json!({"TemplateId": "U"}), json!({"TemplateParams": ["1"]})),
            TWO_PARAMS,
            vec![],
        ),
        // MESSAGE_TOO_LONG
        case(
            "rendered over 500 characters",
            request(none(), none(), json!({"TemplateParams": ["x".repeat(494), "y"]})),
            TWO_PARAMS,
            vec![(PARAMS0, "MESSAGE_TOO_LONG")],
        ),
        case(
            "rendered exactly 500 characters",
            // "code " + 493 + " " + "y" = 500 characters
            request(none(), none(), json!({"TemplateParams": ["x".repeat(493), "y"]})),
            TWO_PARAMS,
            vec![],
        ),
        // TEMPLATE_NOT_ALLOWED
        case(
            "template not on the allow-list",
            request(none(), none(), none()),
            ALLOW_A,
            vec![("TaskContent[0].TemplateId", "TEMPLATE_NOT_ALLOWED")],
        ),
        case(
            "template on the allow-list",
            request(none(), json!({"TemplateId": "A"}), none()),
            ALLOW_A,
            vec![],
        ),
        // DUPLICATE_PHONE (a warning: the request stays valid)
        Case {
            name: "same number twice, written differently",
            request: request(
                none(),
                json!({"Target": [{"Phone": "(852)55311111"}, {"Phone": "+852 5531 1111"}]}),
                none(),
            ),
            options: NO_OPTIONS,
            errors: vec![],
            warnings: vec![("TaskContent[0].Target[1].Phone", "DUPLICATE_PHONE")],
        },
        Case {
            name: "same number in a second task with the same template",
            request: request(
                json!({"TaskContent": [
                    {"TemplateId": "T", "Target": [{"Phone": "55212345780"}]},
                    {"TemplateId": "T", "SenderId": "x", "Target": [{"Phone": "55212345780"}]}
                ]}),
                none(),
                none(),
            ),
            options: NO_OPTIONS,
            errors: vec![],
            warnings: vec![("TaskContent[1].Target[0].Phone", "DUPLICATE_PHONE")],
        },
        case(
            "same number for two templates is no duplicate",
            request(
                json!({"TaskContent": [
                    {"TemplateId": "T", "Target": [{"Phone": "55212345780"}]},
                    {"TemplateId": "U", "Target": [{"Phone": "55212345780"}]}
                ]}),
                none(),
                none(),
            ),
            NO_OPTIONS,
            vec![],
        ),
    ]
}

#[test]
fn each_case_reports_exact_paths_and_codes() {
    let mut failures = Vec::new();
    for c in cases() {
        let v = run(&c.request, c.options);
        let (got_e, got_w) = (pairs(&v["errors"]), pairs(&v["warnings"]));
        let (want_e, want_w) = (expected(&c.errors), expected(&c.warnings));
        if got_e != want_e || got_w != want_w {
            failures.push(format!(
                "{}: errors {got_e:?} (want {want_e:?}), warnings {got_w:?} (want {want_w:?})",
                c.name
            ));
        }
        if c.errors.is_empty() {
            assert!(v["normalized"].is_object(), "{}: {v}", c.name);
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn every_issue_code_has_a_case() {
    const ALL: &[&str] = &[
        "INVALID_JSON",
        "WRONG_TYPE",
        "REQUIRED",
        "EMPTY",
        "UNKNOWN_FIELD",
        "WRONG_ACTION",
        "INVALID_ACCOUNT_ID",
        "TOO_MANY_TARGETS",
        "CONTROL_CHARACTER",
        "SURROUNDING_WHITESPACE",
        "PHONE_INVALID_CHARACTERS",
        "PHONE_UNKNOWN_COUNTRY_CODE",
        "PHONE_TOO_SHORT",
        "PHONE_TOO_LONG",
        "PARAMS_COUNT_MISMATCH",
        "MESSAGE_TOO_LONG",
        "TEMPLATE_NOT_ALLOWED",
        "DUPLICATE_PHONE",
    ];
    let covered: Vec<&str> = cases()
        .iter()
        .flat_map(|c| c.errors.iter().chain(&c.warnings).map(|(_, code)| *code).collect::<Vec<_>>())
        .collect();
    for code in ALL {
        assert!(covered.contains(code), "no case for {code}");
    }
    // And the list above is the enum: every variant is written as one of them.
    use uspeedo_sms::issues::IssueCode::*;
    let variants = [
        InvalidJson,
        WrongType,
        Required,
        Empty,
        UnknownField,
        WrongAction,
        InvalidAccountId,
        TooManyTargets,
        ControlCharacter,
        SurroundingWhitespace,
        PhoneInvalidCharacters,
        PhoneUnknownCountryCode,
        PhoneTooShort,
        PhoneTooLong,
        ParamsCountMismatch,
        MessageTooLong,
        TemplateNotAllowed,
        DuplicatePhone,
    ];
    let names: Vec<String> =
        variants.iter().map(|v| serde_json::to_value(v).unwrap().as_str().unwrap().to_string()).collect();
    assert_eq!(names, ALL);
}

#[test]
fn duplicate_is_only_a_warning() {
    let v =
        run(&request(none(), json!({"Target": [{"Phone": "1111"}, {"Phone": "1111"}]}), none()), NO_OPTIONS);
    assert_eq!(v["ok"], true);
    assert_eq!(v["errorCount"], 0);
    assert_eq!(v["warningCount"], 1);
    assert_eq!(v["normalized"]["TaskContent"][0]["Target"].as_array().unwrap().len(), 2);
}

#[test]
fn every_problem_is_reported_at_once() {
    let request = json!({
        "Action": "SendSms",
        "AccountId": -1,
        "Extra": true,
        "TaskContent": [
            {"TemplateId": "", "Target": [{"Phone": "12"}]}
        ]
    });
    let v = run(&request.to_string(), NO_OPTIONS);
    assert_eq!(v["errorCount"], 5, "{v}");
    assert_eq!(
        pairs(&v["errors"]),
        expected(&[
            ("Action", "WRONG_ACTION"),
            ("AccountId", "INVALID_ACCOUNT_ID"),
            ("Extra", "UNKNOWN_FIELD"),
            ("TaskContent[0].TemplateId", "EMPTY"),
            (P0, "PHONE_TOO_SHORT"),
        ])
    );
    assert_eq!(v["ok"], false);
    assert!(v["normalized"].is_null());
}

#[test]
fn errors_in_many_tasks_and_targets_are_all_found() {
    let request = json!({"TaskContent": [
        {"TemplateId": "T", "Target": [{"Phone": "1111"}, {"Phone": "x"}, {"Phone": "2222", "TemplateParams": [1]}]},
        {"TemplateId": " U", "Target": [{"Phone": "3333"}, {}]},
    ]});
    let v = run(&request.to_string(), NO_OPTIONS);
    assert_eq!(
        pairs(&v["errors"]),
        expected(&[
            ("TaskContent[0].Target[1].Phone", "PHONE_INVALID_CHARACTERS"),
            ("TaskContent[0].Target[2].TemplateParams[0]", "WRONG_TYPE"),
            ("TaskContent[1].TemplateId", "SURROUNDING_WHITESPACE"),
            ("TaskContent[1].Target[1].Phone", "REQUIRED"),
        ])
    );
}

#[test]
fn findings_are_bounded_but_all_counted() {
    let targets: Vec<Value> = (0..250).map(|i| json!({"Phone": format!("+259{i:07}")})).collect();
    let request = json!({"TaskContent": [{"TemplateId": "T", "Target": targets}]});
    let v = run(&request.to_string(), NO_OPTIONS);
    assert_eq!(v["errorCount"], 250);
    let errors = v["errors"].as_array().unwrap();
    assert_eq!(errors.len(), 100);
    // The ones kept are the first ones, in order.
    for (i, e) in errors.iter().enumerate() {
        assert_eq!(e["path"], format!("TaskContent[0].Target[{i}].Phone"));
        assert_eq!(e["code"], "PHONE_UNKNOWN_COUNTRY_CODE");
    }
}

#[test]
fn warnings_are_bounded_but_all_counted() {
    let targets: Vec<Value> = (0..150).map(|_| json!({"Phone": "55212345780"})).collect();
    let request = json!({"TaskContent": [{"TemplateId": "T", "Target": targets}]});
    let v = run(&request.to_string(), NO_OPTIONS);
    assert_eq!(v["ok"], true);
    assert_eq!(v["warningCount"], 149);
    assert_eq!(v["warnings"].as_array().unwrap().len(), 100);
}

#[test]
fn max_targets_default_null_and_custom() {
    let targets = |n: usize| -> String {
        let t: Vec<Value> = (0..n).map(|i| json!({"Phone": format!("(44)79{i:08}")})).collect();
        json!({"TaskContent": [{"TemplateId": "T", "Target": t}]}).to_string()
    };
    let exactly = run(&targets(1000), NO_OPTIONS);
    assert_eq!(exactly["ok"], true, "{}", exactly["errors"]);
    let over = run(&targets(1500), NO_OPTIONS);
    assert_eq!(pairs(&over["errors"]), expected(&[("TaskContent", "TOO_MANY_TARGETS")]));
    let empty_options = run(&targets(1500), "");
    assert_eq!(empty_options["errorCount"], 1);
    let lifted = run(&targets(1500), r#"{"maxTargets":null}"#);
    assert_eq!(lifted["ok"], true, "{}", lifted["errors"]);
    assert_eq!(lifted["normalized"]["TaskContent"][0]["Target"].as_array().unwrap().len(), 1500);
    let custom = run(&targets(5), r#"{"maxTargets":4}"#);
    assert_eq!(pairs(&custom["errors"]), expected(&[("TaskContent", "TOO_MANY_TARGETS")]));
    // 0, negative and fractional limits are option errors, not silent defaults.
    for bad in
        [r#"{"maxTargets":0}"#, r#"{"maxTargets":-1}"#, r#"{"maxTargets":2.5}"#, r#"{"maxTargets":"5"}"#]
    {
        let v = run(&targets(1), bad);
        assert_eq!(pairs(&v["errors"]), expected(&[("(options)", "WRONG_TYPE")]), "{bad}");
    }
}

#[test]
fn phones_are_normalised_for_one_two_and_three_digit_codes() {
    let cases = [
        ("+1 (415) 555-0100", "(1)4155550100"),
        ("001 415 555 0100", "(1)4155550100"),
        ("(1)4155550100", "(1)4155550100"),
        ("+7 912 345-67-89", "(7)9123456789"),
        ("+44 7911 123456", "(44)7911123456"),
        ("0044.7911.123456", "(44)7911123456"),
        ("(+86) 138 1234 5678", "(86)13812345678"),
        ("+55 21 2345 6780", "(55)2123456780"),
        ("+852 5531 1111", "(852)55311111"),
        ("00852-5531-1111", "(852)55311111"),
        ("(852)55311111", "(852)55311111"),
        ("+234 803 123 4567", "(234)8031234567"),
        ("+683 4002", "(683)4002"),
        ("  55212345780  ", "55212345780"),
        ("555-0100", "5550100"),
    ];
    let targets: Vec<Value> = cases.iter().map(|(p, _)| json!({"Phone": p})).collect();
    let request = json!({"TaskContent": [{"TemplateId": "T", "Target": targets}]});
    let v = run(&request.to_string(), NO_OPTIONS);
    let got: Vec<&str> = v["normalized"]["TaskContent"][0]["Target"]
        .as_array()
        .unwrap_or_else(|| panic!("no normalized request: {v}"))
        .iter()
        .map(|t| t["Phone"].as_str().unwrap())
        .collect();
    let want: Vec<&str> = cases.iter().map(|(_, w)| *w).collect();
    assert_eq!(got, want);
}

#[test]
fn normalized_keeps_fields_and_drops_empty_params() {
    let request = json!({
        "Action": "SendBatchUSMSMessage",
        "AccountId": 10001,
        "TaskContent": [{
            "TemplateId": "T",
            "SenderId": "uSpeedo",
            "Target": [
                {"Phone": "+852 5531 1111", "TemplateParams": ["1", "2"], "ExtendCode": "12", "UserId": "u1", "SenderId": "s"},
                {"Phone": "55212345780", "TemplateParams": []}
            ]
        }]
    });
    let v = run(&request.to_string(), TWO_PARAMS);
    // The second target has no parameters for a two-parameter template.
    assert_eq!(
        pairs(&v["errors"]),
        expected(&[("TaskContent[0].Target[1].TemplateParams", "PARAMS_COUNT_MISMATCH")])
    );
    let v = run(&request.to_string(), NO_OPTIONS);
    assert_eq!(
        v["normalized"],
        json!({
            "AccountId": 10001,
            "TaskContent": [{
                "TemplateId": "T",
                "SenderId": "uSpeedo",
                "Target": [
                    {"Phone": "(852)55311111", "TemplateParams": ["1", "2"], "SenderId": "s", "ExtendCode": "12", "UserId": "u1"},
                    {"Phone": "55212345780"}
                ]
            }]
        })
    );
}

#[test]
fn normalized_request_validates_again_to_itself() {
    let request = request(
        none(),
        json!({"Target": [{"Phone": "+852 5531 1111", "TemplateParams": ["1", "2"]}, {"Phone": "0044 7911 123456", "TemplateParams": ["3", "4"]}]}),
        none(),
    );
    let first = run(&request, TWO_PARAMS);
    assert_eq!(first["ok"], true, "{first}");
    let second = run(&first["normalized"].to_string(), TWO_PARAMS);
    assert_eq!(second["ok"], true, "{second}");
    assert_eq!(first["normalized"], second["normalized"]);
}
