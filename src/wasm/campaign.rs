//! Campaigns on the JS side, thin: planning and sending a chunk with the
//! client's options (`CampaignCore`), and the ledger's steps as functions
//! over the stored JSON text. The rules are all in `crate::campaign`.
//! Server builds only (`signing`): a queue consumer signs.

use super::client::transport_from;
use super::convert::{any, error, slot, to_js};
use super::net::js::{nonce, now_ms, now_s};
use super::net::send::{no_random, CallOptions};
use super::net::Transport;
use super::options::take;
use crate::bulk::session::{make_plan, Warnings};
use crate::campaign::delivery::track_settings;
use crate::campaign::delivery_report::CampaignDelivery;
use crate::campaign::ledger::{ChunkOutcome, StoredError};
use crate::campaign::plan::{plan_job, DEFAULT_MAX_CHUNK_BYTES};
use crate::campaign::{api, report::CampaignReport};
use crate::options::bulk::bulk_options;
use crate::outcome::{Delivery, ErrorCode, ErrorInfo};
use crate::reads::{receipts, ReadAction, ReadCall};
use crate::transport::call::SendCall;
use js_sys::Promise;
use serde::Serialize;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::future_to_promise;

/// A ledger's stored text that does not read back is a bug (or a store
/// that changed it); nothing is sent on it.
fn ledger_error(why: String) -> JsValue {
    error(&ErrorInfo::new(
        ErrorCode::Internal,
        Delivery::NotSent,
        format!("uspeedo-sms campaign ledger: {why}"),
    ))
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Planned {
    job_id: String,
    /// Every input target; `sent` of them are in chunks.
    targets: usize,
    sent: usize,
    duplicates_dropped: usize,
    suppressed: usize,
    chunk_count: usize,
    meta: String,
    chunks: Vec<api::StoredChunk>,
    dropped: Vec<api::StoredPart>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct StepOut<'a, A: Serialize> {
    meta: &'a str,
    state: &'a str,
    answer: &'a A,
    track_in_ms: Option<f64>,
}

fn step<A: Serialize>(s: Result<api::Step<A>, String>) -> Result<JsValue, JsValue> {
    let s = s.map_err(ledger_error)?;
    Ok(to_js(&StepOut { meta: &s.meta, state: &s.state, answer: &s.answer, track_in_ms: s.track_in_ms }))
}

fn config(message: String) -> JsValue {
    error(&ErrorInfo::config(message))
}

#[wasm_bindgen]
pub struct CampaignCore {
    transport: Rc<Transport>,
}

#[wasm_bindgen]
impl CampaignCore {
    /// The client options (as `new Client` takes them), checked now.
    #[wasm_bindgen(constructor)]
    pub fn new(options: JsValue) -> Result<CampaignCore, JsValue> {
        let transport = transport_from(&options).map_err(|e| error(&e))?;
        Ok(CampaignCore { transport: Rc::new(transport) })
    }

    /// Validates the whole request and plans it into the job's records.
    /// Options: `chunkSize`, `dedupe`, `suppress`, `ratePerSecond`,
    /// `resendUnknown`, `maxChunkBytes`, `claimTimeoutMs`, `trackDelivery`.
    pub fn plan(&self, request: JsValue, options: JsValue, job_id: String) -> Result<JsValue, JsValue> {
        let (data, [max_bytes, claim_timeout, track]) =
            take(&options, ["maxChunkBytes", "claimTimeoutMs", "trackDelivery"]);
        let track = if track.is_undefined() { None } else { track_settings(&any(track)).map_err(config)? };
        let claim_timeout_ms = match claim_timeout.as_f64() {
            None if claim_timeout.is_undefined() || claim_timeout.is_null() => api::DEFAULT_CLAIM_TIMEOUT_MS,
            Some(n) if n.is_finite() && (0.0..=86_400_000.0).contains(&n) => n,
            _ => {
                let message = "claimTimeoutMs must be a number of milliseconds from 0 to 86400000";
                return Err(config(message.into()));
            }
        };
        let max_bytes = match max_bytes.as_f64() {
            None if max_bytes.is_undefined() || max_bytes.is_null() => DEFAULT_MAX_CHUNK_BYTES,
            Some(n) if n.fract() == 0.0 && (1_000.0..=DEFAULT_MAX_CHUNK_BYTES as f64).contains(&n) => {
                n as usize
            }
            _ => {
                let message =
                    format!("maxChunkBytes must be an integer from 1000 to {DEFAULT_MAX_CHUNK_BYTES}");
                return Err(config(message));
            }
        };
        let parsed = bulk_options(&any(data)).map_err(config)?;
        let (plan_options, settings) = parsed;
        let plan = make_plan(slot(request), &self.transport.checked, &plan_options, Warnings::NotShown)
            .map_err(|e| error(&e))?
            .plan;
        let job = plan_job(&plan, &job_id, plan_options.chunk_size, max_bytes).map_err(config)?;
        let interval_ms = settings.rate_per_second_milli.map_or(0.0, |milli| 1e6 / milli as f64);
        let ledger = api::LedgerSettings {
            interval_ms,
            claim_timeout_ms,
            resend_unknown: settings.resend_unknown,
            track,
        };
        let records = api::create(&job, ledger).map_err(ledger_error)?;
        Ok(to_js(&Planned {
            job_id,
            targets: plan.targets.len() + plan.duplicates.len() + plan.suppressed.len(),
            sent: job.targets,
            duplicates_dropped: plan.duplicates.len(),
            suppressed: plan.suppressed.len(),
            chunk_count: records.chunks.len(),
            meta: records.meta,
            chunks: records.chunks,
            dropped: records.dropped,
        }))
    }

    /// Sends one stored chunk (already validated when planned): a promise of
    /// the outcome's text for `ledgerRecord`. A failed send is an outcome,
    /// not a throw.
    #[wasm_bindgen(js_name = sendChunk)]
    pub fn send_chunk(&self, chunk_text: String) -> Promise {
        let transport = self.transport.clone();
        future_to_promise(async move {
            let chunk = api::chunk(&chunk_text).map_err(ledger_error)?;
            let outcome = match nonce() {
                Err(_) => ChunkOutcome::Error { error: StoredError::from_info(&no_random()) },
                Ok(nonce) => send(&transport, chunk.request, &nonce).await,
            };
            serde_json::to_string(&outcome).map(JsValue::from).map_err(|e| ledger_error(e.to_string()))
        })
    }
}

async fn send(transport: &Transport, request: crate::model::SendBatchRequest, nonce: &str) -> ChunkOutcome {
    let fail = |info: &ErrorInfo| ChunkOutcome::Error { error: StoredError::from_info(info) };
    let call = match crate::ops::prepare_valid(request, &transport.checked, now_s() as f64, nonce) {
        Ok(call) => call,
        Err(info) => return fail(&info),
    };
    let options =
        CallOptions { signal: None, timeout_ms: transport.checked.settings.timeout_ms, relay: None };
    let judge = SendCall { account_id: call.account_id, sent: Some(&call.request) };
    match transport.send(&call.prepared, &options, &judge).await {
        Ok(result) => ChunkOutcome::Result { response: result.response, request_id: result.request_id },
        Err(failed) => fail(&failed.info),
    }
}

/// One claim: `{ meta, state, answer: { action: "send", token, waitMs } | { action: "skip", reason } }`.
#[wasm_bindgen(js_name = ledgerClaim)]
pub fn ledger_claim(meta: &str, state: &str, key: &str, now_ms: f64) -> Result<JsValue, JsValue> {
    step(api::claim(meta, state, key, now_ms))
}

/// One record: `{ meta, state, answer: { action: "ack" } | { action: "retry", delayMs } }`.
#[wasm_bindgen(js_name = ledgerRecord)]
pub fn ledger_record(meta: &str, state: &str, token: u32, outcome: &str) -> Result<JsValue, JsValue> {
    step(api::record(meta, state, token, outcome))
}

#[wasm_bindgen(js_name = ledgerCancel)]
pub fn ledger_cancel(meta: &str) -> Result<String, JsValue> {
    api::cancel(meta).map_err(ledger_error)
}

#[wasm_bindgen(js_name = ledgerProgress)]
pub fn ledger_progress(meta: &str, states: Vec<String>, now_ms: f64) -> Result<JsValue, JsValue> {
    api::progress(meta, &states, now_ms).map(|p| to_js(&p)).map_err(ledger_error)
}

/// The ledger's lists, as the store read them (in key order).
fn texts<'a>(meta: &'a str, lists: &'a [Vec<String>; 4], tracking: Option<&'a str>) -> api::Texts<'a> {
    let [chunks, states, dropped, deliveries] = lists;
    api::Texts { meta, chunks, states, dropped, deliveries, tracking }
}

// ledgerReport and ledgerDelivery take their arguments flat, as a
// wasm-bindgen export does: the ledger's four stored lists, its tracking
// status, whether a round is in flight, and the clock.

/// The report (sendBulk's shape plus `jobId`, `complete`, `cancelled` and,
/// with `trackDelivery`, `delivery`).
#[wasm_bindgen(js_name = ledgerReport)]
#[allow(clippy::too_many_arguments)]
pub fn ledger_report(
    meta: &str,
    chunks: Vec<String>,
    states: Vec<String>,
    dropped: Vec<String>,
    deliveries: Vec<String>,
    status: Option<String>,
    asking: bool,
    now_ms: f64,
) -> Result<JsValue, JsValue> {
    let lists = [chunks, states, dropped, deliveries];
    api::with_report(&texts(meta, &lists, status.as_deref()), now_ms, asking, |r: &CampaignReport| to_js(r))
        .map_err(ledger_error)
}

/// The delivery report (trackDelivery's shape plus `jobId`, `tracking`,
/// `rounds`, `lastError`).
#[wasm_bindgen(js_name = ledgerDelivery)]
#[allow(clippy::too_many_arguments)]
pub fn ledger_delivery(
    meta: &str,
    chunks: Vec<String>,
    states: Vec<String>,
    dropped: Vec<String>,
    deliveries: Vec<String>,
    status: Option<String>,
    asking: bool,
    now_ms: f64,
) -> Result<JsValue, JsValue> {
    let lists = [chunks, states, dropped, deliveries];
    api::with_delivery(&texts(meta, &lists, status.as_deref()), now_ms, asking, |d: &CampaignDelivery| {
        to_js(d)
    })
    .map_err(ledger_error)
}

/// The chunks whose delivery records the next round starts.
#[wasm_bindgen(js_name = ledgerTrackWanted)]
pub fn ledger_track_wanted(
    meta: &str,
    states: Vec<String>,
    deliveries: Vec<String>,
) -> Result<Vec<u32>, JsValue> {
    let wanted = api::track_wanted(meta, &states, &deliveries).map_err(ledger_error)?;
    Ok(wanted.into_iter().map(|i| i as u32).collect())
}

/// One round of delivery receipts for the job's sessions, signed with
/// `options` (client options, as `new Client` takes them): a promise of
/// `{ records: [{ index, text }], status, nextInMs }`. A read that fails
/// (bad options too) is kept as the status's `lastError`, not thrown.
#[wasm_bindgen(js_name = ledgerTrack)]
pub fn ledger_track(
    options: JsValue,
    meta: String,
    states: Vec<String>,
    chunks: Vec<String>,
    deliveries: Vec<String>,
    status: Option<String>,
) -> Promise {
    future_to_promise(async move {
        let round = api::track_start(&meta, &states, &chunks, &deliveries, status.as_deref(), now_ms())
            .map_err(ledger_error)?;
        let calls = round.calls();
        let read = if calls.is_empty() {
            Ok(receipts::ReceiptsResult::default())
        } else {
            match transport_from(&options) {
                Ok(transport) => read_receipts(&transport, round.account_id(), &calls).await,
                Err(e) => Err(e),
            }
        };
        let out = round.finish(read.as_ref(), now_ms()).map_err(ledger_error)?;
        Ok(to_js(&out))
    })
}

/// The receipts of `calls`, one call after another (a Durable Object's
/// alarm has few subrequests to spare), under the read rule.
async fn read_receipts(
    transport: &Transport,
    account_id: Option<u64>,
    calls: &[Vec<String>],
) -> Result<receipts::ReceiptsResult, ErrorInfo> {
    let checked = &transport.checked;
    let options = CallOptions { signal: None, timeout_ms: checked.settings.timeout_ms, relay: None };
    let action = ReadAction::Receipts;
    let mut out = receipts::ReceiptsResult::default();
    for ids in calls {
        let nonce = nonce().map_err(|_| no_random())?;
        let account = account_id.or(checked.settings.account_id);
        let prepared = crate::prepare::prepare_read(action, ids, checked, account, now_s(), &nonce)
            .map_err(ErrorInfo::config)?;
        let page = transport.send(&prepared, &options, &ReadCall { action }).await.map_err(|f| f.info)?;
        out.request_ids.extend(page.request_id.clone());
        receipts::add_page(&mut out, &page.data, ids).map_err(|mut e| {
            e.request_id = page.request_id.clone();
            e
        })?;
    }
    Ok(out)
}
