//! The ledger as JSON text in and out: what a store keeps (`meta`, one
//! `chunk:<i>` and one `state:<i>` per chunk) and the steps it applies
//! atomically. The wasm surface and the native tests both call these.

pub use super::ledger::DEFAULT_CLAIM_TIMEOUT_MS;
use super::ledger::{
    self, ChunkOutcome, ChunkState, ClaimAnswer, JobMeta, RecordAnswer, DEFAULT_MAX_ATTEMPTS,
};
use super::plan::{ChunkData, JobPlan};
use super::report::{self, CampaignReport, Progress};
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

/// The job's records: its meta and each chunk with its first state.
/// How the ledger runs the job (from the campaign's options).
#[derive(Debug, Clone, Copy)]
pub struct LedgerSettings {
    pub interval_ms: f64,
    pub claim_timeout_ms: f64,
    pub resend_unknown: bool,
}

pub fn create(plan: &JobPlan, settings: LedgerSettings) -> Result<(String, Vec<StoredChunk>), String> {
    let LedgerSettings { interval_ms, claim_timeout_ms, resend_unknown } = settings;
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
    };
    let chunks = plan
        .chunks
        .iter()
        .map(|c| {
            let state = ChunkState::new(c.index, c.key.clone(), c.request.target_count());
            Ok(StoredChunk { index: c.index, key: c.key.clone(), chunk: write(c)?, state: write(&state)? })
        })
        .collect::<Result<_, String>>()?;
    Ok((write(&meta)?, chunks))
}

/// New meta, new state, and the answer; the store writes both or neither.
pub struct Step<A> {
    pub meta: String,
    pub state: String,
    pub answer: A,
}

pub fn claim(meta: &str, state: &str, key: &str, now_ms: f64) -> Result<Step<ClaimAnswer>, String> {
    let (mut m, mut s): (JobMeta, ChunkState) = (read(meta, "meta")?, read(state, "chunk state")?);
    let answer = ledger::claim(&mut m, &mut s, key, now_ms);
    Ok(Step { meta: write(&m)?, state: write(&s)?, answer })
}

pub fn record(meta: &str, state: &str, token: u32, outcome: &str) -> Result<Step<RecordAnswer>, String> {
    let (mut m, mut s): (JobMeta, ChunkState) = (read(meta, "meta")?, read(state, "chunk state")?);
    let outcome: ChunkOutcome = read(outcome, "outcome")?;
    let answer = ledger::record(&mut m, &mut s, token, outcome);
    Ok(Step { meta: write(&m)?, state: write(&s)?, answer })
}

pub fn cancel(meta: &str) -> Result<String, String> {
    let mut m: JobMeta = read(meta, "meta")?;
    ledger::cancel(&mut m);
    write(&m)
}

fn states(texts: &[String]) -> Result<Vec<ChunkState>, String> {
    texts.iter().map(|t| read(t, "chunk state")).collect()
}

pub fn progress(meta: &str, state_texts: &[String], now_ms: f64) -> Result<Progress, String> {
    Ok(report::progress(&read(meta, "meta")?, &states(state_texts)?, now_ms))
}

pub fn with_report<T>(
    meta: &str,
    chunk_texts: &[String],
    state_texts: &[String],
    now_ms: f64,
    f: impl FnOnce(&CampaignReport) -> T,
) -> Result<T, String> {
    let m: JobMeta = read(meta, "meta")?;
    let chunks: Vec<ChunkData> = chunk_texts.iter().map(|t| read(t, "chunk")).collect::<Result<_, _>>()?;
    Ok(report::with_report(&m, &chunks, &states(state_texts)?, now_ms, f))
}

/// A chunk's request (for the consumer to send), from its stored text.
pub fn chunk(text: &str) -> Result<ChunkData, String> {
    read(text, "chunk")
}
