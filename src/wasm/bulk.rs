//! The bulk loop: chunks sent with bounded concurrency, an optional rate
//! ceiling, the caller's signal and a deadline. The job (`BulkSession`)
//! accounts for every number; this loop only decides when to send.

use super::convert::{error, to_js};
use super::entries::{entries_to_js, report_to_js};
use super::net::js::{nonce, now_ms, now_s};
use super::net::send::{no_random, CallOptions};
use super::net::timer::{sleep, OnAbort, Timer};
use super::net::Transport;
use crate::bulk::session::BulkSession;
use crate::outcome::{Delivery, ErrorCode, ErrorInfo};
use crate::transport::call::SendCall;
use js_sys::{Array, Function, Promise};
use std::cell::{Cell, RefCell};
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::{future_to_promise, JsFuture};
use web_sys::{AbortController, AbortSignal};

/// Why the loop stops starting chunks: `"aborted"` (the caller's signal),
/// `"deadline"`, or `"stopped"` (an error that would hit every chunk).
type StopReason = Cell<Option<&'static str>>;

struct Run {
    transport: Rc<Transport>,
    session: RefCell<BulkSession>,
    on_progress: Option<Function>,
    /// Aborts requests in flight on the caller's abort and at the deadline.
    controller: AbortController,
    stop: StopReason,
    next: Cell<usize>,
    /// When the next request may start (ms), under the rate ceiling.
    next_start_ms: Cell<f64>,
    /// Each chunk's accepted entries as JS objects (and how many), made
    /// when its outcome is recorded, while later chunks are in flight: made
    /// at the end, the report's 100,000 accepted entries were a sixth of a
    /// sendBulk to the loopback mock, after the last answer.
    accepted: RefCell<Vec<Option<(usize, JsValue)>>>,
}

impl Run {
    fn stop(&self, why: &'static str) {
        if self.stop.get().is_none() {
            self.stop.set(Some(why));
        }
        if why != "stopped" {
            self.controller.abort();
        }
    }

    fn progress(&self) {
        if let Some(f) = &self.on_progress {
            let counts = to_js(&self.session.borrow().progress());
            // A failing progress callback must not lose the report.
            let _ = f.call1(&JsValue::UNDEFINED, &counts);
        }
    }

    fn record_error(&self, index: usize, info: &ErrorInfo) {
        if self.session.borrow_mut().record_error(index, info).unwrap_or(false) {
            self.stop("stopped");
        }
    }

    /// Waits for this chunk's turn under the rate ceiling.
    async fn rate_limit(&self, interval_ms: f64) -> Result<(), ()> {
        if interval_ms <= 0.0 {
            return Ok(());
        }
        let now = now_ms();
        let at = now.max(self.next_start_ms.get());
        self.next_start_ms.set(at + interval_ms);
        if at > now {
            sleep(at - now, Some(&self.controller.signal())).await?;
        }
        Ok(())
    }

    async fn send_chunk(&self, index: usize, interval_ms: f64) -> Result<(), JsValue> {
        let waited = self.rate_limit(interval_ms).await;
        if let Some(why) = self.stop.get().or(waited.err().map(|_| "aborted")) {
            self.session.borrow_mut().record_not_attempted(index, why);
            return Ok(());
        }
        let Ok(nonce) = nonce() else {
            self.record_error(index, &no_random());
            return Ok(());
        };
        let call = self.session.borrow().prepare_chunk(index, now_s() as f64, &nonce);
        let (prepared, account_id) = match call {
            Ok(call) => call,
            Err(info) => {
                self.record_error(index, &info);
                return Ok(());
            }
        };
        let options = CallOptions {
            signal: Some(self.controller.signal()),
            timeout_ms: self.transport.checked.settings.timeout_ms,
            relay: None,
        };
        // No request to match failures against: the job matches them
        // against the plan when it records the result.
        let judge = SendCall { account_id, sent: None };
        match self.transport.send(&prepared, &options, &judge).await {
            Ok(result) => {
                self.session.borrow_mut().record_result(index, &result).map_err(|why| {
                    let message = format!("uspeedo-sms: could not record chunk {index}: {why}");
                    error(&ErrorInfo::new(ErrorCode::Internal, Delivery::Unknown, message))
                })?;
                self.keep_accepted(index);
                Ok(())
            }
            Err(failed) => {
                self.record_error(index, &failed.info);
                Ok(())
            }
        }
    }

    fn keep_accepted(&self, index: usize) {
        let session = self.session.borrow();
        if let Some(slot) = self.accepted.borrow_mut().get_mut(index) {
            let (count, entries) = session.accepted_in_chunk(index);
            *slot = Some((count, entries_to_js(&entries)));
        }
    }

    /// The report. Its `accepted` list is the chunks' parts one after the
    /// other, each made again here if it changed since (or was never made).
    fn report(&self, include_unknown: bool) -> JsValue {
        let session = self.session.borrow();
        report_to_js(|| session.report(include_unknown), self.accepted_parts(&session))
    }

    /// The accepted entries joined from the parts kept chunk by chunk, or
    /// `None` when the chunks do not cut the targets in order (the report
    /// then lays them out whole).
    fn accepted_parts(&self, session: &BulkSession) -> Option<JsValue> {
        if !session.chunks_in_order() {
            return None;
        }
        let kept = self.accepted.borrow();
        let parts = Array::new();
        for index in 0..session.chunk_count() {
            let (count, entries) = session.accepted_in_chunk(index);
            match kept.get(index) {
                Some(Some((made, part))) if *made == count => parts.push(part),
                _ => parts.push(&entries_to_js(&entries)),
            };
        }
        // One concat of all the parts: [].concat(part0, part1, ...).
        let concat = js_sys::Reflect::get(&Array::new(), &"concat".into()).ok()?;
        concat.dyn_into::<Function>().ok()?.apply(&Array::new(), &parts).ok()
    }

    async fn worker(self: Rc<Self>, total: usize, interval_ms: f64) -> Result<JsValue, JsValue> {
        while self.next.get() < total {
            let index = self.next.get();
            self.next.set(index + 1);
            match self.stop.get() {
                Some(why) => self.session.borrow_mut().record_not_attempted(index, why),
                None => self.send_chunk(index, interval_ms).await?,
            }
            self.progress();
        }
        Ok(JsValue::UNDEFINED)
    }
}

/// Runs a job to its report.
pub async fn run_bulk(
    transport: Rc<Transport>,
    session: BulkSession,
    signal: Option<AbortSignal>,
    on_progress: Option<Function>,
) -> Result<JsValue, JsValue> {
    let settings = session.settings();
    let total = session.chunk_count();
    let run = Rc::new(Run {
        transport,
        session: RefCell::new(session),
        on_progress,
        controller: AbortController::new()?,
        stop: Cell::new(None),
        next: Cell::new(0),
        next_start_ms: Cell::new(0.0),
        accepted: RefCell::new(vec![None; total]),
    });
    if signal.as_ref().is_some_and(AbortSignal::aborted) {
        run.stop("aborted");
    }
    let _listener = signal.as_ref().map(|s| {
        let run = run.clone();
        OnAbort::new(s, move || run.stop("aborted"))
    });
    let _deadline = settings.deadline_ms.map(|ms| {
        let run = run.clone();
        Timer::new(ms as f64, move || run.stop("deadline"))
    });
    let interval_ms = settings.rate_per_second_milli.map_or(0.0, |milli| 1e6 / milli as f64);
    let workers = Array::new();
    for _ in 0..(settings.concurrency as usize).min(total.max(1)) {
        workers.push(&future_to_promise(run.clone().worker(total, interval_ms)));
    }
    JsFuture::from(Promise::all(&workers)).await?;
    Ok(run.report(settings.resend_unknown))
}
