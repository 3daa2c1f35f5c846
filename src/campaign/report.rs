//! A campaign's progress (cheap: chunk states only) and its report: the
//! stored chunks replayed through `bulk::job::Job`, the accounting
//! `sendBulk` uses, so both reports have the same four buckets and rules.

use super::delivery::{next_in_ms, ChunkDelivery, TrackStatus};
use super::delivery_report::{delivery_report, summary, CampaignDelivery, DeliverySummary};
use super::dropped::DroppedPart;
use super::ledger::{complete, ChunkOutcome, ChunkState, JobMeta, Status};
use super::plan::{plan_from_chunks, ChunkData};
use crate::bulk::job::Job;
use crate::bulk::report::Report;
use crate::error_info::{Delivery, ErrorCode, ErrorInfo};
use serde::Serialize;

#[derive(Debug, Default, Serialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct Progress {
    pub job_id: String,
    pub chunks_total: usize,
    /// Chunks with a recorded outcome, skipped, or abandoned.
    pub chunks_done: usize,
    pub chunks_in_flight: usize,
    pub chunks_pending: usize,
    pub targets: usize,
    pub targets_settled: usize,
    pub complete: bool,
    pub cancelled: bool,
    pub stopped: bool,
}

pub fn progress(meta: &JobMeta, states: &[ChunkState], now_ms: f64) -> Progress {
    let mut p = Progress {
        job_id: meta.job_id.clone(),
        chunks_total: meta.chunk_count,
        targets: meta.targets,
        complete: complete(meta, states, now_ms),
        cancelled: meta.cancelled,
        stopped: meta.stopped.is_some(),
        ..Progress::default()
    };
    for s in states {
        match s.status {
            Status::Pending => p.chunks_pending += 1,
            Status::Claimed => p.chunks_in_flight += 1,
            Status::Abandoned | Status::Done | Status::Skipped => {
                p.chunks_done += 1;
                p.targets_settled += s.targets;
            }
        }
    }
    p
}

/// `sendBulk`'s report plus the job id, whether the job is over and, when
/// the campaign tracks delivery, the delivery totals.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CampaignReport<'a> {
    pub job_id: &'a str,
    pub complete: bool,
    pub cancelled: bool,
    #[serde(flatten)]
    pub report: Report<'a>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub delivery: Option<DeliverySummary>,
}

/// What the ledger holds, read back.
#[derive(Clone, Copy)]
pub struct Stored<'a> {
    pub meta: &'a JobMeta,
    pub chunks: &'a [ChunkData],
    pub states: &'a [ChunkState],
    /// Suppressed targets and repeats, sorted out when planned.
    pub dropped: &'a [DroppedPart],
    /// Delivery records (`trackDelivery` only).
    pub deliveries: &'a [ChunkDelivery],
    /// What the last round of receipts stored (the default before any).
    pub tracking: &'a TrackStatus,
}

/// Whether the ledger is still tracking receipts: a round is in flight
/// (`asking`, a run-time fact, not a stored one: its answers may still
/// change the statuses), the last round asked for another that has not run
/// yet (it may still ask, so a caller who waits for `tracking: false` sees
/// no receipt call after it), or there is something to ask for now.
fn tracking(s: Stored, now_ms: f64, asking: bool) -> bool {
    asking
        || s.tracking.next_round_ms.is_some()
        || next_in_ms(s.meta, s.states, s.deliveries, now_ms).is_some()
}

/// Numbers of a chunk claimed with no outcome: maybe sent, so `unknown`.
fn no_outcome(in_flight: bool) -> ErrorInfo {
    let message = if in_flight {
        "claimed by a consumer that has not recorded an outcome yet; it may have been sent"
    } else {
        "claimed by a consumer that recorded no outcome (it crashed or timed out); it may have been sent, so it is not sent again"
    };
    // TIMEOUT with delivery unknown: the bucket sendBulk gives a timeout.
    ErrorInfo::new(ErrorCode::Timeout, Delivery::Unknown, message.into())
}

/// The job's accounting, replayed from the ledger. Outcomes first, so a
/// stopping error is known before the chunks it stopped are marked.
pub fn replay(meta: &JobMeta, chunks: &[ChunkData], states: &[ChunkState], dropped: &[DroppedPart]) -> Job {
    let mut job = Job::new(plan_from_chunks(meta.account_id, chunks, dropped));
    for s in states.iter().filter(|s| s.status == Status::Done) {
        // A chunk recorded twice or out of range is the store's bug; the
        // job keeps the first record and skips the rest.
        let _ = match &s.outcome {
            Some(ChunkOutcome::Result { response, request_id }) => {
                job.record_result(s.index, response, request_id.as_deref())
            }
            Some(ChunkOutcome::Error { error }) => job.record_error(s.index, &error.to_info()).map(|_| ()),
            None => job.record_error(s.index, &no_outcome(false)).map(|_| ()),
        };
    }
    for s in states {
        match s.status {
            Status::Claimed | Status::Abandoned => {
                let _ = job.record_error(s.index, &no_outcome(s.status == Status::Claimed));
            }
            Status::Skipped => job.record_not_attempted(s.index, s.skipped.as_deref().unwrap_or("stopped")),
            Status::Pending if meta.cancelled => job.record_not_attempted(s.index, "aborted"),
            Status::Pending if meta.stopped.is_some() => job.record_not_attempted(s.index, "stopped"),
            Status::Pending | Status::Done => {}
        }
    }
    job
}

/// The report, `resendRequest` and `complete` as the ledger can state them.
fn final_report<'a>(s: Stored<'a>, job: &'a Job, now_ms: f64) -> (Report<'a>, bool) {
    let complete = complete(s.meta, s.states, now_ms);
    let mut report = job.report(s.meta.resend_unknown);
    if !complete {
        report.resend_request = None;
    }
    (report, complete)
}

/// Calls `f` with the report. `resendRequest` is only given once the job is
/// complete: chunks still queued will be sent, and resending them now would
/// text their numbers twice.
pub fn with_report<T>(s: Stored, now_ms: f64, asking: bool, f: impl FnOnce(&CampaignReport) -> T) -> T {
    let job = replay(s.meta, s.chunks, s.states, s.dropped);
    let (report, complete) = final_report(s, &job, now_ms);
    let delivery = s
        .meta
        .track
        .map(|_| summary(&delivery_report(&report, s.deliveries, complete), tracking(s, now_ms, asking)));
    f(&CampaignReport { job_id: &s.meta.job_id, complete, cancelled: s.meta.cancelled, report, delivery })
}

/// Calls `f` with the delivery report (`trackDelivery`'s shape).
pub fn with_delivery<T>(s: Stored, now_ms: f64, asking: bool, f: impl FnOnce(&CampaignDelivery) -> T) -> T {
    let job = replay(s.meta, s.chunks, s.states, s.dropped);
    let (report, complete) = final_report(s, &job, now_ms);
    f(&CampaignDelivery {
        job_id: &s.meta.job_id,
        tracking: tracking(s, now_ms, asking),
        rounds: s.tracking.rounds,
        last_error: s.tracking.last_error.as_ref(),
        report: delivery_report(&report, s.deliveries, complete),
    })
}
