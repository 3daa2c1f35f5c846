//! The ledger's state machine, one chunk at a time. A chunk is `pending`
//! until a consumer claims it (`claimed`, with a token: the attempt
//! number); the claimant records its outcome (`done`). A claim on a chunk
//! already claimed means the first claimant died or timed out mid-send, or
//! the message was delivered twice: the chunk becomes `abandoned` (its
//! numbers `unknown`) and is never sent again; the claimant may still
//! record its real outcome over that. Only an outcome that proves nothing
//! was sent (429, a refused connection) puts the chunk back to `pending`
//! for the queue to redeliver, up to `max_attempts` claims.
//!
//! Each function here is one atomic step: the store (a Durable Object, a
//! map, a user's database) must apply a call's whole result or none of it.

use super::delivery::TrackSettings;
use crate::bulk::job::error_effect;
use crate::error_info::{Delivery, ErrorCode, ErrorInfo};
use crate::model::SendBatchResponse;
use serde::{Deserialize, Serialize};

/// Claims a chunk may get when each ended in a provable not-sent.
pub const DEFAULT_MAX_ATTEMPTS: u32 = 3;
/// Delay before a released chunk is redelivered when the API named none.
const DEFAULT_RETRY_DELAY_MS: u64 = 1_000;
/// How long a claimant may still record after its chunk was abandoned: a
/// Queue consumer runs at most 15 minutes of wall time.
pub const DEFAULT_CLAIM_TIMEOUT_MS: f64 = 15.0 * 60.0 * 1000.0;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct JobMeta {
    pub job_id: String,
    pub account_id: Option<u64>,
    pub chunk_count: usize,
    pub targets: usize,
    /// Minimum time between request starts across all consumers (0: none).
    pub interval_ms: f64,
    pub next_start_ms: f64,
    pub max_attempts: u32,
    /// An abandoned chunk counts as settled this long after its claim: until
    /// then its claimant may still be sending, and the job is not complete.
    pub claim_timeout_ms: f64,
    pub resend_unknown: bool,
    pub cancelled: bool,
    /// The error that stops the job (bad credentials, ...): unsent chunks
    /// are skipped from then on.
    pub stopped: Option<StoredError>,
    /// `trackDelivery`: the ledger asks for its sessions' receipts. Absent
    /// (and not written) when off, so a meta without it reads back.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub track: Option<TrackSettings>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Pending,
    Claimed,
    Abandoned,
    Done,
    Skipped,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ChunkState {
    pub index: usize,
    pub key: String,
    pub targets: usize,
    pub status: Status,
    /// Claims given so far; the current claim's token.
    pub attempts: u32,
    /// When the current claim was given (ms since the epoch).
    pub claimed_at_ms: f64,
    pub outcome: Option<ChunkOutcome>,
    /// For `skipped`: `"aborted"` (cancelled) or `"stopped"`.
    pub skipped: Option<String>,
}

impl ChunkState {
    pub fn new(index: usize, key: String, targets: usize) -> ChunkState {
        ChunkState {
            index,
            key,
            targets,
            status: Status::Pending,
            attempts: 0,
            claimed_at_ms: 0.0,
            outcome: None,
            skipped: None,
        }
    }
}

/// What a send ended in, as the consumer hands it to `record`. Externally
/// tagged (`{"result": ...}` / `{"error": ...}`): an internally tagged enum
/// buffers its content and measured +60 KB of wasm (before wasm-opt) in
/// deserializer copies.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum ChunkOutcome {
    #[serde(rename_all = "camelCase")]
    Result {
        response: SendBatchResponse,
        request_id: Option<String>,
    },
    Error {
        error: StoredError,
    },
}

/// The fields of an `ErrorInfo` the accounting reads (no excerpts, no
/// issue lists: small, and nothing that could echo a request).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StoredError {
    pub code: String,
    pub delivery: String,
    pub message: String,
    pub status: Option<u16>,
    pub ret_code: Option<i64>,
    pub request_id: Option<String>,
    pub attempts: Option<u32>,
    pub retry_after_ms: Option<u64>,
}

impl StoredError {
    pub fn from_info(e: &ErrorInfo) -> StoredError {
        StoredError {
            code: e.code.as_str().into(),
            delivery: e.delivery.as_str().into(),
            message: e.message.clone(),
            status: e.status,
            ret_code: e.ret_code,
            request_id: e.request_id.clone(),
            attempts: e.attempts,
            retry_after_ms: e.retry_after_ms,
        }
    }

    /// Read back the safe way: an unknown code is INTERNAL, anything but
    /// `not_sent` is `unknown`.
    pub fn to_info(&self) -> ErrorInfo {
        let code = ErrorCode::from_name(&self.code).unwrap_or(ErrorCode::Internal);
        let delivery = if self.delivery == "not_sent" { Delivery::NotSent } else { Delivery::Unknown };
        let mut info = ErrorInfo::new(code, delivery, self.message.clone());
        info.status = self.status;
        info.ret_code = self.ret_code;
        info.request_id = self.request_id.clone();
        info.attempts = self.attempts;
        info.retry_after_ms = self.retry_after_ms;
        info
    }

    /// Proven not sent, and worth another try later: 429, or a connection
    /// refused (NETWORK is only ever `not_sent` when nothing went out).
    fn retryable(&self) -> bool {
        self.delivery == "not_sent" && (self.status == Some(429) || self.code == "NETWORK")
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "action", rename_all = "camelCase")]
pub enum ClaimAnswer {
    /// Send now (after `wait_ms`, the job's rate slot), then record with `token`.
    #[serde(rename_all = "camelCase")]
    Send { token: u32, wait_ms: f64 },
    /// Do not send; acknowledge the message.
    Skip { reason: String },
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "action", rename_all = "camelCase")]
pub enum RecordAnswer {
    /// Acknowledge the message.
    Ack,
    /// Nothing was sent: let the queue deliver the message again after the delay.
    #[serde(rename_all = "camelCase")]
    Retry { delay_ms: u64 },
}

/// One claim: at most one `Send` per chunk unless a recorded outcome proved
/// the earlier one sent nothing.
pub fn claim(meta: &mut JobMeta, state: &mut ChunkState, key: &str, now_ms: f64) -> ClaimAnswer {
    let skip = |reason: &str| ClaimAnswer::Skip { reason: reason.into() };
    if key != state.key {
        return skip("the message's key does not match this job's chunk: not sent");
    }
    match state.status {
        Status::Pending if meta.cancelled || meta.stopped.is_some() => {
            state.status = Status::Skipped;
            state.skipped = Some(if meta.cancelled { "aborted" } else { "stopped" }.into());
            skip("the job was cancelled or stopped: not sent")
        }
        Status::Pending => {
            state.attempts += 1;
            state.status = Status::Claimed;
            state.claimed_at_ms = now_ms;
            let start = now_ms.max(meta.next_start_ms);
            if meta.interval_ms > 0.0 {
                meta.next_start_ms = start + meta.interval_ms;
            }
            ClaimAnswer::Send { token: state.attempts, wait_ms: start - now_ms }
        }
        Status::Claimed => {
            state.status = Status::Abandoned;
            skip("claimed before with no outcome recorded: it may have been sent, so it is not sent again")
        }
        Status::Abandoned | Status::Done | Status::Skipped => skip("already settled"),
    }
}

/// Records the claimant's outcome. A stale token (an earlier claim that
/// was released) or a settled chunk is ignored: the message is acknowledged.
pub fn record(meta: &mut JobMeta, state: &mut ChunkState, token: u32, outcome: ChunkOutcome) -> RecordAnswer {
    let open = matches!(state.status, Status::Claimed | Status::Abandoned);
    if !open || token != state.attempts {
        return RecordAnswer::Ack;
    }
    if let ChunkOutcome::Error { error } = &outcome {
        let may_retry = error.retryable() && !meta.cancelled && meta.stopped.is_none();
        if may_retry && state.attempts < meta.max_attempts {
            state.status = Status::Pending;
            return RecordAnswer::Retry { delay_ms: error.retry_after_ms.unwrap_or(DEFAULT_RETRY_DELAY_MS) };
        }
        let (_, stop) = error_effect(&error.to_info());
        if stop && meta.stopped.is_none() {
            meta.stopped = Some(error.clone());
        }
    }
    state.status = Status::Done;
    state.outcome = Some(outcome);
    RecordAnswer::Ack
}

/// Cancels the job: chunks not yet claimed are skipped when their message comes.
pub fn cancel(meta: &mut JobMeta) {
    meta.cancelled = true;
}

/// No chunk waits for a message or a consumer any more, and no claimant of
/// an abandoned chunk can still be sending (it would record over `unknown`).
pub fn complete(meta: &JobMeta, states: &[ChunkState], now_ms: f64) -> bool {
    states.iter().all(|s| match s.status {
        Status::Pending | Status::Claimed => false,
        Status::Abandoned => now_ms - s.claimed_at_ms >= meta.claim_timeout_ms,
        Status::Done | Status::Skipped => true,
    })
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    pub(crate) fn meta(interval_ms: f64) -> JobMeta {
        JobMeta {
            job_id: "j".into(),
            account_id: None,
            chunk_count: 1,
            targets: 1,
            interval_ms,
            next_start_ms: 0.0,
            max_attempts: DEFAULT_MAX_ATTEMPTS,
            claim_timeout_ms: 1_000.0,
            resend_unknown: false,
            cancelled: false,
            stopped: None,
            track: None,
        }
    }

    pub(crate) fn error(
        code: &str,
        delivery: &str,
        status: Option<u16>,
        ret_code: Option<i64>,
    ) -> ChunkOutcome {
        ChunkOutcome::Error {
            error: StoredError {
                code: code.into(),
                delivery: delivery.into(),
                message: format!("{code} {status:?}"),
                status,
                ret_code,
                request_id: None,
                attempts: Some(1),
                retry_after_ms: status.filter(|s| *s == 429).map(|_| 2_000),
            },
        }
    }

    #[test]
    fn a_second_claim_never_sends() {
        let (mut m, mut s) = (meta(0.0), ChunkState::new(0, "k".into(), 3));
        assert!(matches!(claim(&mut m, &mut s, "k", 0.0), ClaimAnswer::Send { token: 1, .. }));
        assert!(matches!(claim(&mut m, &mut s, "k", 0.0), ClaimAnswer::Skip { .. }));
        assert_eq!(s.status, Status::Abandoned);
        // Not complete while the first claimant may still be sending.
        assert!(!complete(&m, std::slice::from_ref(&s), 999.0));
        assert!(complete(&m, std::slice::from_ref(&s), 1_000.0));
        // The first claimant's real outcome still lands.
        let ok = ChunkOutcome::Result { response: SendBatchResponse::default(), request_id: None };
        assert_eq!(record(&mut m, &mut s, 1, ok), RecordAnswer::Ack);
        assert_eq!(s.status, Status::Done);
        assert!(matches!(claim(&mut m, &mut s, "k", 0.0), ClaimAnswer::Skip { .. }));
    }

    #[test]
    fn a_429_is_released_until_the_attempts_run_out() {
        let (mut m, mut s) = (meta(0.0), ChunkState::new(0, "k".into(), 3));
        for attempt in 1..=3 {
            assert!(
                matches!(claim(&mut m, &mut s, "k", 0.0), ClaimAnswer::Send { token, .. } if token == attempt)
            );
            let answer = record(&mut m, &mut s, attempt, error("HTTP", "not_sent", Some(429), None));
            if attempt < 3 {
                assert_eq!(answer, RecordAnswer::Retry { delay_ms: 2_000 });
            } else {
                assert_eq!(answer, RecordAnswer::Ack);
            }
        }
        assert_eq!(s.status, Status::Done);
        // A stale record from attempt 1 changes nothing.
        assert_eq!(record(&mut m, &mut s, 1, error("HTTP", "unknown", Some(500), None)), RecordAnswer::Ack);
        assert!(matches!(&s.outcome, Some(ChunkOutcome::Error { error }) if error.status == Some(429)));
    }

    #[test]
    fn bad_credentials_stop_the_job_and_cancel_skips() {
        let mut m = meta(0.0);
        let (mut a, mut b) = (ChunkState::new(0, "a".into(), 1), ChunkState::new(1, "b".into(), 1));
        assert!(matches!(claim(&mut m, &mut a, "a", 0.0), ClaimAnswer::Send { .. }));
        record(&mut m, &mut a, 1, error("API", "not_sent", None, Some(215398)));
        assert!(m.stopped.is_some());
        assert!(matches!(claim(&mut m, &mut b, "b", 0.0), ClaimAnswer::Skip { .. }));
        assert_eq!((b.status, b.skipped.as_deref()), (Status::Skipped, Some("stopped")));

        let mut m = meta(0.0);
        let mut c = ChunkState::new(0, "c".into(), 1);
        cancel(&mut m);
        assert!(matches!(claim(&mut m, &mut c, "c", 0.0), ClaimAnswer::Skip { .. }));
        assert_eq!(c.skipped.as_deref(), Some("aborted"));
    }

    #[test]
    fn the_rate_slot_spaces_starts_across_consumers() {
        let mut m = meta(250.0);
        let waits: Vec<f64> = (0..4)
            .map(|i| {
                let mut s = ChunkState::new(i, "k".into(), 1);
                match claim(&mut m, &mut s, "k", 1_000.0) {
                    ClaimAnswer::Send { wait_ms, .. } => wait_ms,
                    ClaimAnswer::Skip { .. } => -1.0,
                }
            })
            .collect();
        assert_eq!(waits, vec![0.0, 250.0, 500.0, 750.0]);
    }

    #[test]
    fn a_wrong_key_is_not_sent() {
        let (mut m, mut s) = (meta(0.0), ChunkState::new(0, "k".into(), 1));
        assert!(matches!(claim(&mut m, &mut s, "other", 0.0), ClaimAnswer::Skip { .. }));
        assert_eq!(s.status, Status::Pending);
    }
}
