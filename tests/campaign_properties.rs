//! The campaign ledger under any interleaving of deliveries (duplicates,
//! concurrent), sends, crashes (after claiming, after sending) and records:
//! no chunk is ever sent twice when its first send may have reached the
//! API, and the final report puts every number in exactly one bucket
//! (with a repeat dropped by `dedupe` and a number on the `suppress` list,
//! sorted out when planned and kept beside the chunks).

#![cfg(feature = "campaign")]

use proptest::prelude::*;
use uspeedo_sms::bulk::plan::{plan, PlanOptions};
use uspeedo_sms::campaign::delivery::TrackStatus;
use uspeedo_sms::campaign::dropped::DroppedPart;
use uspeedo_sms::campaign::ledger::{self, ChunkOutcome, ChunkState, ClaimAnswer, RecordAnswer, StoredError};
use uspeedo_sms::campaign::plan::{plan_job, DEFAULT_MAX_CHUNK_BYTES};
use uspeedo_sms::campaign::{api, report};
use uspeedo_sms::model::{SendBatchRequest, SendBatchResponse, Target, Task};

#[derive(Debug, Clone)]
enum Op {
    /// The queue delivers chunk `n`'s message (again).
    Deliver(usize),
    /// Consumer `n` (modulo those alive) takes its next step.
    Step(usize, u8),
}

fn ops() -> impl Strategy<Value = Vec<Op>> {
    let op =
        prop_oneof![(0..4usize).prop_map(Op::Deliver), (0..8usize, 0..5u8).prop_map(|(c, s)| Op::Step(c, s))];
    prop::collection::vec(op, 0..60)
}

#[derive(Debug, Clone, PartialEq)]
enum Phase {
    Claimed,
    Sent(ChunkOutcome, bool),
}

struct Consumer {
    chunk: usize,
    token: u32,
    phase: Phase,
}

fn accepted(n: u64) -> ChunkOutcome {
    let response = SendBatchResponse { success_count: n, session_no: Some("S".into()), ..Default::default() };
    ChunkOutcome::Result { response, request_id: None }
}

fn failed(status: Option<u16>, delivery: &str, code: &str) -> ChunkOutcome {
    ChunkOutcome::Error {
        error: StoredError {
            code: code.into(),
            delivery: delivery.into(),
            message: "x".into(),
            status,
            ret_code: None,
            request_id: None,
            attempts: Some(1),
            retry_after_ms: None,
        },
    }
}

fn request() -> SendBatchRequest {
    let target = |j: usize| Target { phone: format!("(1)415{j:07}"), ..Default::default() };
    SendBatchRequest {
        account_id: None,
        task_content: vec![
            // The sixth line of A repeats its first; B's last number is suppressed.
            Task {
                template_id: "A".into(),
                sender_id: None,
                target: (0..5).chain([0]).map(target).collect(),
            },
            Task {
                template_id: "B".into(),
                sender_id: None,
                target: (5..12).chain([99]).map(target).collect(),
            },
        ],
    }
}

proptest! {
    #[test]
    fn no_chunk_is_sent_twice_and_every_number_is_accounted_for(ops in ops()) {
        let suppress = [format!("(1)415{:07}", 99)].into_iter().collect();
        let p = plan(request(), &PlanOptions { dedupe: true, suppress, ..PlanOptions::default() });
        let job = plan_job(&p, "job", 3, DEFAULT_MAX_CHUNK_BYTES).map_err(TestCaseError::fail)?;
        prop_assert_eq!(job.chunks.len(), 4);
        let settings = api::LedgerSettings { interval_ms: 0.0, claim_timeout_ms: 1_000.0, resend_unknown: false, track: None };
        let records = api::create(&job, settings).map_err(TestCaseError::fail)?;
        let (meta_text, stored) = (records.meta, records.chunks);
        let dropped: Vec<DroppedPart> = records.dropped.iter().map(|d| serde_json::from_str(&d.text)).collect::<Result<_, _>>()
            .map_err(|e| TestCaseError::fail(e.to_string()))?;
        let mut meta: ledger::JobMeta = serde_json::from_str(&meta_text).map_err(|e| TestCaseError::fail(e.to_string()))?;
        let mut states: Vec<ChunkState> = stored.iter().map(|s| serde_json::from_str(&s.state)).collect::<Result<_, _>>()
            .map_err(|e| TestCaseError::fail(e.to_string()))?;
        let keys: Vec<String> = stored.iter().map(|s| s.key.clone()).collect();
        let sizes: Vec<u64> = job.chunks.iter().map(|c| c.request.target_count() as u64).collect();
        // Sends that may have reached the API, per chunk.
        let mut reached = [0usize; 4];
        let mut unrecorded = [false; 4];
        let mut consumers: Vec<Consumer> = Vec::new();
        let deliver = |chunk: usize, meta: &mut ledger::JobMeta, states: &mut Vec<ChunkState>, consumers: &mut Vec<Consumer>| {
            if let ClaimAnswer::Send { token, .. } = ledger::claim(meta, &mut states[chunk], &keys[chunk], 0.0) {
                consumers.push(Consumer { chunk, token, phase: Phase::Claimed });
            }
        };
        for op in ops {
            match op {
                Op::Deliver(chunk) => deliver(chunk, &mut meta, &mut states, &mut consumers),
                Op::Step(_, _) if consumers.is_empty() => {}
                Op::Step(c, step) => {
                    let at = c % consumers.len();
                    let chunk = consumers[at].chunk;
                    match (consumers[at].phase.clone(), step) {
                        // Crashes: after claiming, or after sending.
                        (Phase::Sent(_, true), 0) => { consumers.remove(at); unrecorded[chunk] = true; }
                        (_, 0) => { consumers.remove(at); }
                        (Phase::Claimed, s) => {
                            let (outcome, may_reach) = match s {
                                1 => (accepted(sizes[chunk]), true),
                                2 => (failed(Some(429), "not_sent", "HTTP"), false),
                                3 => (failed(None, "not_sent", "NETWORK"), false),
                                _ => (failed(None, "unknown", "TIMEOUT"), true),
                            };
                            if may_reach { reached[chunk] += 1; }
                            prop_assert!(reached[chunk] <= 1, "chunk {} sent twice", chunk);
                            consumers[at].phase = Phase::Sent(outcome, may_reach);
                        }
                        (Phase::Sent(outcome, _), _) => {
                            let token = consumers[at].token;
                            consumers.remove(at);
                            let _: RecordAnswer = ledger::record(&mut meta, &mut states[chunk], token, outcome);
                        }
                    }
                }
            }
        }
        // In-flight consumers die; every message is then redelivered until
        // the queue has nothing left (each delivery a clean send + record).
        for c in &consumers { if matches!(c.phase, Phase::Sent(_, true)) { unrecorded[c.chunk] = true; } }
        consumers.clear();
        for _round in 0..4 {
            for chunk in 0..4 {
                deliver(chunk, &mut meta, &mut states, &mut consumers);
            }
            for c in std::mem::take(&mut consumers) {
                reached[c.chunk] += 1;
                prop_assert!(reached[c.chunk] <= 1, "chunk {} sent twice", c.chunk);
                ledger::record(&mut meta, &mut states[c.chunk], c.token, accepted(sizes[c.chunk]));
            }
        }
        // Claims were all at t = 0: complete once the claim timeout has passed.
        prop_assert!(ledger::complete(&meta, &states, 1_000.0));
        let tracking = TrackStatus::default();
        let stored = report::Stored { meta: &meta, chunks: &job.chunks, states: &states, dropped: &dropped, deliveries: &[], tracking: &tracking };
        report::with_report(stored, 1_000.0, false, |r| -> Result<(), TestCaseError> {
            let t = &r.report.totals;
            prop_assert!(r.complete);
            prop_assert_eq!(t.accepted + t.failed + t.unknown + t.not_attempted, 12);
            prop_assert_eq!((t.targets, t.duplicates_dropped, t.suppressed), (14, 1, 1));
            // Every input line once: in a bucket, suppressed, or a dropped repeat.
            let mut paths: Vec<String> = [&r.report.accepted, &r.report.failed, &r.report.unknown, &r.report.not_attempted]
                .iter().flat_map(|b| b.iter().map(|e| e.path.path())).collect();
            paths.extend(r.report.suppressed.iter().map(|s| s.path.path()));
            paths.extend(r.report.duplicates.iter().map(|d| d.path.path()));
            paths.sort_unstable();
            paths.dedup();
            prop_assert_eq!(paths.len(), 14);
            prop_assert_eq!(r.report.suppressed[0].path.path(), "TaskContent[1].Target[7]");
            prop_assert_eq!(r.report.duplicates[0].duplicate_of.path(), "TaskContent[0].Target[0]");
            let mut phones: Vec<&str> = [&r.report.accepted, &r.report.failed, &r.report.unknown, &r.report.not_attempted]
                .iter().flat_map(|b| b.iter().map(|e| e.phone)).collect();
            phones.sort_unstable();
            phones.dedup();
            prop_assert_eq!(phones.len(), 12);
            // A chunk sent and never recorded is unknown (or, if another
            // claimant's outcome landed... there is none: at most one send).
            for (chunk, lost) in unrecorded.iter().enumerate() {
                if *lost {
                    prop_assert!(r.report.unknown.iter().filter(|e| e.chunk == chunk).count() as u64 == sizes[chunk]);
                }
            }
            Ok(())
        })?;
    }
}
