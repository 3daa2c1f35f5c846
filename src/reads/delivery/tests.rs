//! Tests of delivery tracking; `receipt` is shared with the campaign's delivery tests.

use super::*;
use crate::reads::receipts::Receipt;

/// A receipt of `result` (`Success`, `Fail`, `Unknow`) for tests here
/// and in the campaign's delivery tests.
pub(crate) fn receipt(session: &str, phone: &str, result: &str) -> Receipt {
    Receipt {
        session_no: session.into(),
        phone: phone.into(),
        user_id: String::new(),
        receipt_result: result.into(),
        receipt_code: String::new(),
        receipt_desc: if result == "Fail" { "undeliverable".into() } else { String::new() },
        receipt_time: 0,
        cost_count: 1,
        status: ReceiptStatus::of(result),
    }
}

#[test]
fn a_report_is_tracked_to_the_end_and_every_number_keeps_one_status() {
    let report = Any::from_json(
        r#"{"totals":{},"chunks":[{"SessionNo":"s0"},{"SessionNo":null}],
            "accepted":[{"TemplateId":"T","Phone":"(86)1","chunk":0},{"TemplateId":"T","Phone":"(852)2","chunk":0}],
            "failed":[{"TemplateId":"T","Phone":"(86)3","chunk":0,"reason":"black list"}],
            "unknown":[{"TemplateId":"T","Phone":"(86)4","chunk":1}],"notAttempted":[],
            "suppressed":[{"path":"TaskContent[0].Target[9]","TemplateId":"T","Phone":"(86)9","UserId":"u9"}]}"#,
    )
    .unwrap();
    let mut t = Tracking::from_input(&report).unwrap();
    assert_eq!(t.pending_sessions(), ["s0"]);
    let held = t.numbers.iter().find(|e| e.phone == "(86)9").unwrap();
    assert_eq!(
        (held.status, held.path.as_deref(), held.user_id.as_deref()),
        (DeliveryStatus::Suppressed, Some("TaskContent[0].Target[9]"), Some("u9"))
    );
    assert_eq!(t.report().totals.suppressed, 1);
    let mut round = ReceiptsResult {
        receipts: vec![receipt("s0", "(86)1", "Success"), receipt("s0", "(852)2", "Unknow")],
        ..Default::default()
    };
    t.apply(&round);
    assert!(!t.report().complete);
    round.receipts = vec![receipt("s0", "(852)2", "Fail")];
    t.apply(&round);
    let r = t.report();
    assert!(r.complete);
    assert_eq!(r.numbers.len(), 5);
    let totals =
        (r.totals.delivered, r.totals.failed, r.totals.not_accepted, r.totals.unknown, r.totals.cost_count);
    assert_eq!(totals, (1, 1, 1, 1, 2));
    assert_eq!(r.by_country["852"].failed, 1);
    assert_eq!(r.by_template["T"].delivered, 1);
    assert!(t.pending_sessions().is_empty());
}

#[test]
fn a_number_sent_twice_in_one_request_gets_both_receipts() {
    let report = Any::from_json(
        r#"{"totals":{},"chunks":[{"SessionNo":"s0"}],
            "accepted":[{"TemplateId":"A","Phone":"(86)1","chunk":0},{"TemplateId":"B","Phone":"(86)1","chunk":0}],
            "failed":[],"unknown":[],"notAttempted":[]}"#,
    )
    .unwrap();
    let mut t = Tracking::from_input(&report).unwrap();
    let receipts = vec![receipt("s0", "861", "Success"), receipt("s0", "(86)1", "Fail")];
    t.apply(&ReceiptsResult { receipts, ..Default::default() });
    let r = t.report();
    assert!(r.complete, "both entries are final");
    let by_template: Vec<_> = r.numbers.iter().map(|n| (n.template_id.clone().unwrap(), n.status)).collect();
    assert_eq!(by_template, [("A".into(), DeliveryStatus::Delivered), ("B".into(), DeliveryStatus::Failed)]);
}

#[test]
fn calls_hold_at_most_ten_thousand_expected_receipts() {
    let mut t = Tracking::default();
    for s in 0..25 {
        for n in 0..1000 {
            t.numbers.push(Entry {
                path: None,
                template_id: None,
                phone: format!("(86)1{s:03}{n:04}"),
                user_id: None,
                session_no: Some(format!("s{s}")),
                status: DeliveryStatus::Pending,
                reason: None,
                cost_count: 0,
            });
        }
    }
    t.open_sessions = (0..150).map(|i| format!("small{i}")).collect();
    let sizes: Vec<usize> = t.pending_calls().iter().map(Vec::len).collect();
    // 150 sessions of unknown size count as full sends: 10 per call.
    assert_eq!(sizes.iter().sum::<usize>(), 175);
    assert!(sizes.iter().all(|&n| n <= 10), "{sizes:?}");
}

#[test]
fn session_nos_alone_learn_their_numbers_from_the_receipts() {
    let mut t = Tracking::from_input(&Any::from_json(r#"["s1","s1"]"#).unwrap()).unwrap();
    assert_eq!(t.pending_sessions(), ["s1"]);
    let round = ReceiptsResult { receipts: vec![receipt("s1", "(86)9", "Success")], ..Default::default() };
    t.apply(&round);
    assert_eq!((t.report().totals.delivered, t.report().complete), (1, true));
    assert!(Tracking::from_input(&Any::String("x".into())).is_err());
}
