//! A campaign's delivery tracking through the ledger's text steps: records
//! started from recorded chunks, rounds sized and matched by `Tracking`,
//! statuses kept, the end of tracking, and the delivery report.

use super::*;
use crate::bulk::plan::{plan, PlanOptions};
use crate::campaign::api::{self, LedgerSettings, Texts};
use crate::campaign::ledger::ClaimAnswer;
use crate::campaign::plan::{plan_job, DEFAULT_MAX_CHUNK_BYTES};
use crate::model::{FailedTarget, FailedTask, SendBatchRequest, SendBatchResponse, Target, Task};
use crate::reads::delivery::tests::receipt;
use crate::reads::receipts::Receipt;

const TRACK: TrackSettings = TrackSettings { interval_ms: 100.0, timeout_ms: 10_000.0 };

fn request() -> SendBatchRequest {
    let target = |j: usize| Target { phone: format!("(1)415{j:07}"), ..Target::default() };
    SendBatchRequest {
        account_id: None,
        task_content: vec![Task {
            template_id: "T".into(),
            sender_id: None,
            target: (0..6).map(target).collect(),
        }],
    }
}

/// The ledger's values after planning `request()` in chunks of 3 (one more
/// line suppressed) and recording both chunks: S0 with one number refused.
struct Ledger {
    meta: String,
    chunks: Vec<String>,
    states: Vec<String>,
    dropped: Vec<String>,
}

/// What the rounds store: the delivery records and the tracking status.
#[derive(Default)]
struct Kept {
    deliveries: Vec<String>,
    status: Option<String>,
}

impl Ledger {
    /// The stored texts, with what the rounds kept.
    fn texts<'a>(&'a self, kept: &'a Kept) -> Texts<'a> {
        Texts {
            meta: &self.meta,
            chunks: &self.chunks,
            states: &self.states,
            dropped: &self.dropped,
            deliveries: &kept.deliveries,
            tracking: kept.status.as_deref(),
        }
    }
}

fn ledger(track: Option<TrackSettings>) -> Ledger {
    let mut req = request();
    req.task_content[0].target.push(Target { phone: "(1)4159999999".into(), ..Target::default() });
    let suppress = ["(1)4159999999".to_string()].into_iter().collect();
    let p = plan(req, &PlanOptions { chunk_size: 3, suppress, ..PlanOptions::default() });
    let job = plan_job(&p, "j", 3, DEFAULT_MAX_CHUNK_BYTES).unwrap();
    let settings = LedgerSettings { interval_ms: 0.0, claim_timeout_ms: 0.0, resend_unknown: false, track };
    let records = api::create(&job, settings).unwrap();
    let mut meta = records.meta;
    let mut states = Vec::new();
    for (i, c) in records.chunks.iter().enumerate() {
        let claim = api::claim(&meta, &c.state, &c.key, 0.0).unwrap();
        assert!(matches!(claim.answer, ClaimAnswer::Send { token: 1, .. }));
        let mut response =
            SendBatchResponse { success_count: 3, session_no: Some(format!("S{i}")), ..Default::default() };
        if i == 0 {
            response.success_count = 2;
            let refused = FailedTarget { phone: "(1)4150000001".into(), ..Default::default() };
            response.fail_content =
                vec![FailedTask { template_id: "T".into(), target: vec![refused], ..Default::default() }];
        }
        let outcome =
            serde_json::json!({ "result": { "response": response, "requestId": null } }).to_string();
        let step = api::record(&claim.meta, &claim.state, 1, &outcome).unwrap();
        assert_eq!(step.track_in_ms, track.map(|t| t.interval_ms));
        meta = step.meta;
        states.push(step.state);
    }
    let chunks = records.chunks.iter().map(|c| c.chunk.clone()).collect();
    Ledger { meta, chunks, states, dropped: records.dropped.into_iter().map(|d| d.text).collect() }
}

/// One round against `answer`, stored into `kept`; returns its calls and
/// when it asks to run again.
fn round(l: &Ledger, kept: &mut Kept, now_ms: f64, answer: Vec<Receipt>) -> (Vec<Vec<String>>, Option<f64>) {
    let wanted = api::track_wanted(&l.meta, &l.states, &kept.deliveries).unwrap();
    let chunks: Vec<String> = wanted.iter().map(|&i| l.chunks[i].clone()).collect();
    let r = api::track_start(&l.meta, &l.states, &chunks, &kept.deliveries, kept.status.as_deref(), now_ms)
        .unwrap();
    let calls = r.calls();
    let receipts = ReceiptsResult { receipts: answer, ..Default::default() };
    let out = r.finish(Ok(&receipts), now_ms).unwrap();
    kept.status = Some(out.status);
    let deliveries = &mut kept.deliveries;
    for rec in out.records {
        match deliveries.iter().position(|d| d.contains(&format!("\"index\":{},", rec.index))) {
            Some(at) => deliveries[at] = rec.text,
            None => deliveries.push(rec.text),
        }
    }
    (calls, out.next_in_ms)
}

fn delivery(l: &Ledger, kept: &Kept, now_ms: f64) -> serde_json::Value {
    api::with_delivery(&l.texts(kept), now_ms, false, |d| serde_json::to_value(d).unwrap()).unwrap()
}

#[test]
fn the_option_is_trackdeliverys() {
    let parse = |t: &str| track_settings(&Any::from_json(t).unwrap());
    assert_eq!(parse("true"), Ok(Some(TrackSettings { interval_ms: 30_000.0, timeout_ms: 900_000.0 })));
    assert_eq!(parse("false"), Ok(None));
    assert_eq!(parse(r#"{"intervalMs":50,"timeoutMs":60000}"#).unwrap().unwrap().interval_ms, 50.0);
    assert!(parse(r#"{"intervalMs":1}"#).is_err());
    assert!(parse(r#"{"intervalms":100}"#).unwrap_err().contains("intervalMs"));
    assert!(parse(r#"{"onProgress":1}"#).unwrap_err().contains("delivery()"));
}

#[test]
fn sessions_are_tracked_to_the_end_and_every_number_keeps_one_status() {
    let l = ledger(Some(TRACK));
    let mut kept = Kept::default();
    // First round: both sessions asked in one call; S1 still pending.
    let answer = vec![
        receipt("S0", "(1)4150000000", "Success"),
        receipt("S0", "14150000002", "Fail"),
        receipt("S1", "(1)4150000003", "Unknow"),
    ];
    let (calls, next) = round(&l, &mut kept, 1_000.0, answer);
    assert_eq!(calls, [["S0".to_string(), "S1".to_string()]]);
    assert_eq!(next, Some(100.0));
    assert_eq!(kept.deliveries.len(), 2);
    let d = delivery(&l, &kept, 1_000.0);
    assert_eq!((d["totals"]["delivered"].as_u64(), d["totals"]["failed"].as_u64()), (Some(1), Some(1)));
    assert_eq!((d["totals"]["pending"].as_u64(), d["complete"].as_bool()), (Some(3), Some(false)));
    // Second round: only S1 is asked; S0's final statuses stay.
    let answer = ["(1)4150000003", "(1)4150000004", "(1)4150000005"].map(|p| receipt("S1", p, "Success"));
    let (calls, next) = round(&l, &mut kept, 1_100.0, answer.to_vec());
    assert_eq!(calls, [["S1".to_string()]]);
    assert_eq!(next, None, "all final and no consumer at work");
    let d = delivery(&l, &kept, 1_100.0);
    let t = &d["totals"];
    let counts: Vec<u64> = ["delivered", "failed", "pending", "notAccepted", "suppressed"]
        .iter()
        .map(|k| t[k].as_u64().unwrap())
        .collect();
    assert_eq!(counts, [4, 1, 0, 1, 1]);
    assert_eq!(
        (d["complete"].as_bool(), d["tracking"].as_bool(), d["rounds"].as_u64()),
        (Some(true), Some(false), Some(2))
    );
    let failed = d["numbers"].as_array().unwrap().iter().find(|n| n["status"] == "failed").unwrap();
    assert_eq!(
        (failed["Phone"].as_str(), failed["reason"].as_str()),
        (Some("(1)4150000002"), Some("undeliverable"))
    );
    assert_eq!(failed["path"], "TaskContent[0].Target[2]");
    // The report carries the totals.
    let texts = l.texts(&kept);
    let report = api::with_report(&texts, 1_100.0, false, |r| serde_json::to_value(r).unwrap()).unwrap();
    assert_eq!(report["delivery"]["totals"], d["totals"]);
    assert_eq!(report["totals"]["suppressed"], 1);
}

#[test]
fn pending_numbers_past_their_time_stay_pending_and_tracking_ends() {
    let l = ledger(Some(TRACK));
    let mut kept = Kept::default();
    let (_, next) = round(&l, &mut kept, 1_000.0, vec![receipt("S0", "(1)4150000000", "Success")]);
    assert_eq!(next, Some(100.0));
    // The chunks were claimed at 0: past 10 s nothing is asked.
    let (calls, next) = round(&l, &mut kept, 10_000.0, vec![]);
    assert!(calls.is_empty());
    assert_eq!(next, None);
    let d = delivery(&l, &kept, 10_000.0);
    assert_eq!((d["totals"]["pending"].as_u64(), d["totals"]["delivered"].as_u64()), (Some(4), Some(1)));
    assert_eq!((d["complete"].as_bool(), d["tracking"].as_bool()), (Some(false), Some(false)));
    // While a round's calls are in flight, its answers may still change the
    // statuses: the ledger says it is tracking.
    let texts = l.texts(&kept);
    let d = api::with_delivery(&texts, 10_000.0, true, |d| serde_json::to_value(d).unwrap()).unwrap();
    assert_eq!(d["tracking"].as_bool(), Some(true));
    let r = api::with_report(&texts, 10_000.0, true, |r| serde_json::to_value(r).unwrap()).unwrap();
    assert_eq!(r["delivery"]["tracking"].as_bool(), Some(true));
}

#[test]
fn tracking_lasts_until_the_round_the_last_one_asked_for_has_run() {
    // The CI race: a round at 9,850 asks again in 100 ms (9,950 is inside
    // the 10 s); a report at 9,920 sees nothing worth asking for by its own
    // clock (9,920 + 100 is past the time), yet the round at 9,950 still
    // asks. Whoever waits for tracking: false must see no call after it.
    let l = ledger(Some(TRACK));
    let mut kept = Kept::default();
    let (calls, next) = round(&l, &mut kept, 9_850.0, vec![]);
    assert_eq!((calls.len(), next), (1, Some(100.0)));
    assert_eq!(delivery(&l, &kept, 9_920.0)["tracking"].as_bool(), Some(true));
    let texts = l.texts(&kept);
    let r = api::with_report(&texts, 9_920.0, false, |r| serde_json::to_value(r).unwrap()).unwrap();
    assert_eq!(r["delivery"]["tracking"].as_bool(), Some(true));
    let (calls, next) = round(&l, &mut kept, 9_950.0, vec![]);
    assert_eq!((calls.len(), next), (1, None));
    let d = delivery(&l, &kept, 9_960.0);
    assert_eq!((d["tracking"].as_bool(), d["rounds"].as_u64()), (Some(false), Some(2)));
}

#[test]
fn without_the_option_nothing_is_tracked() {
    let l = ledger(None);
    assert!(api::track_wanted(&l.meta, &l.states, &[]).unwrap().is_empty());
    let kept = Kept::default();
    let texts = l.texts(&kept);
    let report = api::with_report(&texts, 0.0, false, |r| serde_json::to_value(r).unwrap()).unwrap();
    assert!(report.get("delivery").is_none());
    assert!(!l.meta.contains("track"));
}

#[test]
fn a_record_stays_under_the_value_limit_with_long_reasons() {
    let mut r = ChunkDelivery {
        index: 0,
        session_no: "S".into(),
        until_ms: 0.0,
        phones: (0..1000).map(|j| format!("(86)139{j:08}")).collect(),
        status: "f".repeat(1000),
        cost: vec![1; 1000],
        reasons: (0..1000).map(|j| (j, format!("{j} {}", "é".repeat(400)))).collect(),
        without_receipts: false,
    };
    let text = r.text(DEFAULT_MAX_CHUNK_BYTES).unwrap();
    assert!(text.len() <= DEFAULT_MAX_CHUNK_BYTES, "{}", text.len());
    assert!(r.reasons.iter().all(|(_, why)| !why.is_empty()));
}
