//! Delivery receipts for a campaign's sessions, kept by its ledger. When
//! the campaign was started with `trackDelivery`, each chunk recorded with
//! a SessionNo gets a record (`delivery:<i>`): its accepted numbers (found
//! by the shared accounting, the chunk replayed through `bulk::job::Job`)
//! and where each one's SMS stands. A round (the Durable Object's alarm)
//! asks `GetUSMSSendReceipt` for the sessions with pending numbers through
//! `trackDelivery`'s own `Tracking`: its calls (`pending_calls`), its
//! matching of receipts to numbers (`apply`) and its statuses.

use super::ledger::{complete, ChunkOutcome, ChunkState, JobMeta, Status, StoredError};
use super::plan::{plan_from_chunks, ChunkData};
use crate::bulk::job::Job;
use crate::read::Any;
use crate::reads::delivery::{DeliveryStatus, Tracking};
use crate::reads::receipts::ReceiptsResult;
use serde::{Deserialize, Serialize};

/// How often the ledger asks and for how long after each chunk's send, in
/// ms: `trackDelivery`'s `intervalMs` and `timeoutMs`, checked by the same
/// rule (`options::read::check_track_options`).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TrackSettings {
    pub interval_ms: f64,
    pub timeout_ms: f64,
}

/// The `trackDelivery` option of a campaign: `true` (the defaults, 30 s and
/// 15 minutes) or `{ intervalMs?, timeoutMs? }`; absent or `false`: off.
pub fn track_settings(value: &Any) -> Result<Option<TrackSettings>, String> {
    let options = match value {
        Any::Null | Any::Bool(false) => return Ok(None),
        Any::Bool(true) => Any::Object(Vec::new()),
        other => other.clone(),
    };
    if options.get("signal").is_some() || options.get("onProgress").is_some() {
        return Err("a campaign's trackDelivery runs in its ledger (an alarm), not in this call: it takes \
                    intervalMs and timeoutMs only; read the statuses with delivery()"
            .into());
    }
    let (interval, total) = crate::options::read::check_track_options(&options)?;
    Ok(Some(TrackSettings { interval_ms: interval as f64, timeout_ms: total as f64 }))
}

/// One chunk's session and its accepted numbers' statuses, as stored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ChunkDelivery {
    pub index: usize,
    pub session_no: String,
    /// Asked until then (the chunk's claim + `timeoutMs`); pending numbers
    /// stay `pending` after it.
    pub until_ms: f64,
    /// The chunk's accepted numbers, in the report's order.
    pub phones: Vec<String>,
    /// One letter per number: `d` delivered, `f` failed, `p` pending.
    pub status: String,
    /// SMS parts billed per number (0 until its receipt says).
    pub cost: Vec<i64>,
    /// `ReceiptDesc` of failed numbers: (position, text).
    pub reasons: Vec<(usize, String)>,
    /// The latest answer had no receipt at all for this session.
    pub without_receipts: bool,
}

/// Longest stored `ReceiptDesc` (uSpeedo's are short codes and phrases).
const MAX_REASON_CHARS: usize = 200;

impl ChunkDelivery {
    pub fn pending(&self) -> bool {
        self.status.contains('p')
    }

    /// Its JSON, at most `max_bytes`: reasons are shortened until it fits
    /// (a record bounded like a chunk fits one storage value).
    pub fn text(&mut self, max_bytes: usize) -> Result<String, String> {
        let mut limit = MAX_REASON_CHARS;
        loop {
            for (_, reason) in &mut self.reasons {
                if reason.chars().count() > limit {
                    *reason = reason.chars().take(limit).collect();
                }
            }
            let text = serde_json::to_string(self).map_err(|e| e.to_string())?;
            if text.len() <= max_bytes {
                return Ok(text);
            }
            if limit == 0 {
                return Err(format!("chunk {}'s delivery record is over {max_bytes} bytes", self.index));
            }
            limit /= 2;
        }
    }
}

/// The chunk's SessionNo, if its recorded outcome has one.
pub fn session_of(state: &ChunkState) -> Option<&str> {
    match (&state.status, &state.outcome) {
        (Status::Done, Some(ChunkOutcome::Result { response, .. })) => {
            response.session_no.as_deref().filter(|s| !s.is_empty())
        }
        _ => None,
    }
}

/// Chunks recorded with a SessionNo that have no delivery record yet.
pub fn wanted(meta: &JobMeta, states: &[ChunkState], have: &[ChunkDelivery]) -> Vec<usize> {
    if meta.track.is_none() {
        return Vec::new();
    }
    let mut known: Vec<usize> = have.iter().map(|d| d.index).collect();
    known.sort_unstable();
    states
        .iter()
        .filter(|s| session_of(s).is_some() && known.binary_search(&s.index).is_err())
        .map(|s| s.index)
        .collect()
}

/// A chunk's first record: its accepted numbers, all pending. They are
/// found by replaying the chunk's outcome through the bulk accounting,
/// so they are exactly the report's `accepted` entries of that chunk.
pub fn start(chunk: &ChunkData, state: &ChunkState, settings: TrackSettings) -> Option<ChunkDelivery> {
    let session_no = session_of(state)?.to_string();
    let Some(ChunkOutcome::Result { response, request_id }) = &state.outcome else { return None };
    let mut job = Job::new(plan_from_chunks(None, std::slice::from_ref(chunk), &[]));
    job.record_result(0, response, request_id.as_deref()).ok()?;
    let phones: Vec<String> = job.report(false).accepted.iter().map(|e| e.phone.to_string()).collect();
    Some(ChunkDelivery {
        index: chunk.index,
        session_no,
        until_ms: state.claimed_at_ms + settings.timeout_ms,
        status: "p".repeat(phones.len()),
        cost: vec![0; phones.len()],
        phones,
        reasons: Vec::new(),
        without_receipts: false,
    })
}

fn number(n: usize) -> Any {
    Any::Number(n as f64)
}

/// One round of receipts: `trackDelivery`'s tracking over the records with
/// pending numbers still inside their time (all of a session's numbers, so
/// receipts are matched as `trackDelivery` matches them).
pub struct Round {
    tracking: Tracking,
    /// Indices (into the records) of the sessions asked for, in order.
    fed: Vec<usize>,
}

impl Round {
    pub fn new(records: &[ChunkDelivery], now_ms: f64) -> Result<Round, String> {
        let fed: Vec<usize> = (0..records.len())
            .filter(|&i| records.get(i).is_some_and(|r| r.pending() && now_ms < r.until_ms))
            .collect();
        let mut chunks = Vec::new();
        let mut accepted = Vec::new();
        for (k, r) in fed.iter().filter_map(|&i| records.get(i)).enumerate() {
            chunks.push(Any::Object(vec![("SessionNo".into(), Any::String(r.session_no.clone()))]));
            for phone in &r.phones {
                accepted.push(Any::Object(vec![
                    ("Phone".into(), Any::String(phone.clone())),
                    ("chunk".into(), number(k)),
                ]));
            }
        }
        let report = Any::Object(vec![
            ("totals".into(), Any::Object(Vec::new())),
            ("chunks".into(), Any::Array(chunks)),
            ("accepted".into(), Any::Array(accepted)),
        ]);
        Ok(Round { tracking: Tracking::from_input(&report)?, fed })
    }

    /// The `GetUSMSSendReceipt` calls (SessionNos), sized by `Tracking`.
    pub fn calls(&self) -> Vec<Vec<String>> {
        self.tracking.pending_calls()
    }

    /// Applies the answers to the records asked for. A final status is
    /// kept when a later answer lacks the number's receipt.
    pub fn apply(mut self, records: &mut [ChunkDelivery], receipts: &ReceiptsResult) -> Vec<usize> {
        self.tracking.apply(receipts);
        let numbers = self.tracking.report().numbers;
        let mut at = numbers.iter();
        for &i in &self.fed {
            let Some(r) = records.get_mut(i) else { continue };
            let mut status: Vec<char> = r.status.chars().collect();
            let mut reasons: Vec<Option<String>> = vec![None; status.len()];
            for (p, reason) in std::mem::take(&mut r.reasons) {
                if let Some(slot) = reasons.get_mut(p) {
                    *slot = Some(reason);
                }
            }
            for j in 0..status.len() {
                let Some(e) = at.next() else { break };
                let new = match e.status {
                    DeliveryStatus::Delivered => 'd',
                    DeliveryStatus::Failed => 'f',
                    _ => 'p',
                };
                let (Some(old), Some(cost), Some(reason)) =
                    (status.get_mut(j), r.cost.get_mut(j), reasons.get_mut(j))
                else {
                    continue;
                };
                if new == 'p' && *old != 'p' {
                    continue;
                }
                *old = new;
                *cost = e.cost_count;
                *reason = if new == 'f' { e.reason.clone() } else { None };
            }
            r.status = status.into_iter().collect();
            r.reasons = reasons.into_iter().enumerate().filter_map(|(p, why)| Some((p, why?))).collect();
            r.without_receipts = receipts.sessions_without_receipts.contains(&r.session_no);
        }
        self.fed
    }
}

/// When to ask again (ms from now), or `None`: every sent number is final
/// or past its time, and no consumer has claimed a chunk within `timeoutMs`
/// (a chunk recorded later arms the alarm again).
pub fn next_in_ms(
    meta: &JobMeta,
    states: &[ChunkState],
    records: &[ChunkDelivery],
    now_ms: f64,
) -> Option<f64> {
    let track = meta.track?;
    let asking = records.iter().any(|r| r.pending() && now_ms + track.interval_ms <= r.until_ms);
    let active = !complete(meta, states, now_ms)
        && states.iter().any(|s| s.attempts > 0 && now_ms - s.claimed_at_ms < track.timeout_ms);
    let unstarted = !wanted(meta, states, records).is_empty();
    (asking || active || unstarted).then_some(track.interval_ms)
}

/// What the last round learnt, stored as `tracking`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TrackStatus {
    pub rounds: u64,
    pub last_round_ms: f64,
    /// Why the last round's receipts could not be read (it is asked again).
    pub last_error: Option<StoredError>,
    /// When the last round asked to be run again (`None`: it asked for no
    /// more). Until that round has run the ledger is tracking: it may still
    /// ask, even when, judged by the clock of a later report, nothing is
    /// left worth asking for.
    #[serde(default)]
    pub next_round_ms: Option<f64>,
}

#[cfg(test)]
#[path = "delivery_tests.rs"]
mod tests;
