//! The ledger as JSON text in and out: what a store keeps (`meta`, one
//! `chunk:<i>` and one `state:<i>` per chunk, the sorted-out targets in
//! `dropped:<i>`, and with `trackDelivery` one `delivery:<i>` per chunk
//! sent and `tracking`) and the steps it applies atomically. The wasm
//! surface and the native tests both call these.

pub use super::delivery::TrackSettings;
use super::delivery::{self, ChunkDelivery, Round, TrackStatus};
use super::delivery_report::CampaignDelivery;
use super::dropped::DroppedPart;
pub use super::ledger::DEFAULT_CLAIM_TIMEOUT_MS;
use super::ledger::{
    self, ChunkOutcome, ChunkState, ClaimAnswer, JobMeta, RecordAnswer, StoredError, DEFAULT_MAX_ATTEMPTS,
};
use super::plan::{ChunkData, JobPlan, DEFAULT_MAX_CHUNK_BYTES};
use super::report::{self, CampaignReport, Progress, Stored};
use crate::outcome::ErrorInfo;
use crate::reads::receipts::ReceiptsResult;
use serde::de::DeserializeOwned;
use serde::Serialize;

fn read<T: DeserializeOwned>(text: &str, what: &str) -> Result<T, String> {
    serde_json::from_str(text).map_err(|e| format!("the ledger's {what} is unreadable: {e}"))
}

fn write<T: Serialize>(value: &T) -> Result<String, String> {
    serde_json::to_string(value).map_err(|e| e.to_string())
}

/// One chunk as the store keeps it at creation.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct StoredChunk {
    pub index: usize,
    pub key: String,
    pub chunk: String,
    pub state: String,
}

/// One stored value of a list (a part of the sorted-out targets, a
/// delivery record): its index and its text.
#[derive(Debug, Clone, Serialize)]
pub struct StoredPart {
    pub index: usize,
    pub text: String,
}

/// How the ledger runs the job (from the campaign's options).
#[derive(Debug, Clone, Copy)]
pub struct LedgerSettings {
    pub interval_ms: f64,
    pub claim_timeout_ms: f64,
    pub resend_unknown: bool,
    pub track: Option<TrackSettings>,
}

/// The job's records: its meta, each chunk with its first state, and the
/// sorted-out targets.
pub struct Records {
    pub meta: String,
    pub chunks: Vec<StoredChunk>,
    pub dropped: Vec<StoredPart>,
}

pub fn create(plan: &JobPlan, settings: LedgerSettings) -> Result<Records, String> {
    let LedgerSettings { interval_ms, claim_timeout_ms, resend_unknown, track } = settings;
    let meta = JobMeta {
        job_id: plan.job_id.clone(),
        account_id: plan.account_id,
        chunk_count: plan.chunks.len(),
        targets: plan.targets,
        interval_ms,
        next_start_ms: 0.0,
        max_attempts: DEFAULT_MAX_ATTEMPTS,
        claim_timeout_ms,
        resend_unknown,
        cancelled: false,
        stopped: None,
        track,
    };
    let chunks = plan
        .chunks
        .iter()
        .map(|c| {
            let state = ChunkState::new(c.index, c.key.clone(), c.request.target_count());
            Ok(StoredChunk { index: c.index, key: c.key.clone(), chunk: write(c)?, state: write(&state)? })
        })
        .collect::<Result<_, String>>()?;
    let dropped = plan
        .dropped
        .iter()
        .enumerate()
        .map(|(index, part)| Ok(StoredPart { index, text: write(part)? }))
        .collect::<Result<_, String>>()?;
    Ok(Records { meta: write(&meta)?, chunks, dropped })
}

/// New meta, new state, and the answer; the store writes both or neither.
pub struct Step<A> {
    pub meta: String,
    pub state: String,
    pub answer: A,
    /// The chunk now has a session to track: ask for its receipts in this
    /// many ms (the store arms its alarm, unless one is set).
    pub track_in_ms: Option<f64>,
}

pub fn claim(meta: &str, state: &str, key: &str, now_ms: f64) -> Result<Step<ClaimAnswer>, String> {
    let (mut m, mut s): (JobMeta, ChunkState) = (read(meta, "meta")?, read(state, "chunk state")?);
    let answer = ledger::claim(&mut m, &mut s, key, now_ms);
    Ok(Step { meta: write(&m)?, state: write(&s)?, answer, track_in_ms: None })
}

pub fn record(meta: &str, state: &str, token: u32, outcome: &str) -> Result<Step<RecordAnswer>, String> {
    let (mut m, mut s): (JobMeta, ChunkState) = (read(meta, "meta")?, read(state, "chunk state")?);
    let outcome: ChunkOutcome = read(outcome, "outcome")?;
    let answer = ledger::record(&mut m, &mut s, token, outcome);
    let track_in_ms = m.track.filter(|_| delivery::session_of(&s).is_some()).map(|t| t.interval_ms);
    Ok(Step { meta: write(&m)?, state: write(&s)?, answer, track_in_ms })
}

pub fn cancel(meta: &str) -> Result<String, String> {
    let mut m: JobMeta = read(meta, "meta")?;
    ledger::cancel(&mut m);
    write(&m)
}

fn all<T: DeserializeOwned>(texts: &[String], what: &str) -> Result<Vec<T>, String> {
    texts.iter().map(|t| read(t, what)).collect()
}

fn states(texts: &[String]) -> Result<Vec<ChunkState>, String> {
    all(texts, "chunk state")
}

pub fn progress(meta: &str, state_texts: &[String], now_ms: f64) -> Result<Progress, String> {
    Ok(report::progress(&read(meta, "meta")?, &states(state_texts)?, now_ms))
}

/// The ledger's stored values, as read for a report (lists in key order).
pub struct Texts<'a> {
    pub meta: &'a str,
    pub chunks: &'a [String],
    pub states: &'a [String],
    pub dropped: &'a [String],
    pub deliveries: &'a [String],
    /// The `tracking` status the last round of receipts stored, if any.
    pub tracking: Option<&'a str>,
}

struct Parsed {
    meta: JobMeta,
    chunks: Vec<ChunkData>,
    states: Vec<ChunkState>,
    dropped: Vec<DroppedPart>,
    deliveries: Vec<ChunkDelivery>,
    tracking: TrackStatus,
}

impl Parsed {
    fn of(t: &Texts) -> Result<Parsed, String> {
        Ok(Parsed {
            meta: read(t.meta, "meta")?,
            chunks: all(t.chunks, "chunk")?,
            states: states(t.states)?,
            dropped: all(t.dropped, "sorted-out targets")?,
            deliveries: all(t.deliveries, "delivery record")?,
            tracking: track_status(t.tracking)?,
        })
    }

    fn stored(&self) -> Stored<'_> {
        Stored {
            meta: &self.meta,
            chunks: &self.chunks,
            states: &self.states,
            dropped: &self.dropped,
            deliveries: &self.deliveries,
            tracking: &self.tracking,
        }
    }
}

/// The report; `asking`: a round of receipts is in flight.
pub fn with_report<T>(
    t: &Texts,
    now_ms: f64,
    asking: bool,
    f: impl FnOnce(&CampaignReport) -> T,
) -> Result<T, String> {
    Ok(report::with_report(Parsed::of(t)?.stored(), now_ms, asking, f))
}

/// The stored `tracking` value, or the status before any round.
fn track_status(text: Option<&str>) -> Result<TrackStatus, String> {
    Ok(text.map(|s| read(s, "tracking status")).transpose()?.unwrap_or_default())
}

/// The delivery report; `asking`: a round of receipts is in flight.
pub fn with_delivery<T>(
    t: &Texts,
    now_ms: f64,
    asking: bool,
    f: impl FnOnce(&CampaignDelivery) -> T,
) -> Result<T, String> {
    Ok(report::with_delivery(Parsed::of(t)?.stored(), now_ms, asking, f))
}

/// A chunk's request (for the consumer to send), from its stored text.
pub fn chunk(text: &str) -> Result<ChunkData, String> {
    read(text, "chunk")
}

/// The chunks whose delivery records a round must start (it reads them).
pub fn track_wanted(meta: &str, state_texts: &[String], deliveries: &[String]) -> Result<Vec<usize>, String> {
    let have: Vec<ChunkDelivery> = all(deliveries, "delivery record")?;
    Ok(delivery::wanted(&read(meta, "meta")?, &states(state_texts)?, &have))
}

/// A round of receipts between reading the ledger and writing it back.
pub struct TrackRound {
    meta: JobMeta,
    states: Vec<ChunkState>,
    records: Vec<ChunkDelivery>,
    /// Records to write back: new ones and those asked about.
    changed: Vec<usize>,
    round: Option<Round>,
    status: TrackStatus,
}

/// Reads the ledger's values for a round and starts the records of
/// `chunks` (the texts of the chunks `track_wanted` named).
pub fn track_start(
    meta: &str,
    state_texts: &[String],
    chunks: &[String],
    deliveries: &[String],
    status: Option<&str>,
    now_ms: f64,
) -> Result<TrackRound, String> {
    let meta: JobMeta = read(meta, "meta")?;
    let states = states(state_texts)?;
    let mut records: Vec<ChunkDelivery> = all(deliveries, "delivery record")?;
    let status = track_status(status)?;
    let mut changed = Vec::new();
    if let Some(track) = meta.track {
        for text in chunks {
            let chunk: ChunkData = read(text, "chunk")?;
            let started = states
                .iter()
                .find(|s| s.index == chunk.index)
                .and_then(|s| delivery::start(&chunk, s, track));
            if let Some(record) = started {
                changed.push(records.len());
                records.push(record);
            }
        }
    }
    let round = match meta.track {
        Some(_) => Some(Round::new(&records, now_ms)?),
        None => None,
    };
    Ok(TrackRound { meta, states, records, changed, round, status })
}

/// What a round writes back: the changed records, the status, and when to
/// ask again (`None`: nothing more to ask for).
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TrackOut {
    pub records: Vec<StoredPart>,
    pub status: String,
    pub next_in_ms: Option<f64>,
}

impl TrackRound {
    pub fn calls(&self) -> Vec<Vec<String>> {
        self.round.as_ref().map(Round::calls).unwrap_or_default()
    }

    /// The account the job was sent from.
    pub fn account_id(&self) -> Option<u64> {
        self.meta.account_id
    }

    /// Ends the round with the receipts read, or the error that stopped
    /// reading them (the next round asks again: reading twice texts nobody).
    pub fn finish(
        mut self,
        read: Result<&ReceiptsResult, &ErrorInfo>,
        now_ms: f64,
    ) -> Result<TrackOut, String> {
        let asked = !self.calls().is_empty();
        if let (Some(round), Ok(receipts)) = (self.round.take(), read) {
            let fed = round.apply(&mut self.records, receipts);
            self.changed.extend(fed);
        }
        if asked {
            self.status.rounds += 1;
            self.status.last_round_ms = now_ms;
            self.status.last_error = read.err().map(StoredError::from_info);
        }
        self.changed.sort_unstable();
        self.changed.dedup();
        let mut records = Vec::with_capacity(self.changed.len());
        for &i in &self.changed {
            if let Some(r) = self.records.get_mut(i) {
                records.push(StoredPart { index: r.index, text: r.text(DEFAULT_MAX_CHUNK_BYTES)? });
            }
        }
        let next_in_ms = delivery::next_in_ms(&self.meta, &self.states, &self.records, now_ms);
        self.status.next_round_ms = next_in_ms.map(|ms| now_ms + ms);
        Ok(TrackOut { records, status: write(&self.status)?, next_in_ms })
    }
}
