//! `getReceipts` and `getTemplates`: the ids split into calls of at most
//! 100, sent with bounded concurrency under the read rule (repeated after a
//! timeout, a reset or a 5xx), the pages merged in the order asked.

use super::convert::{any, error, to_js};
use super::net::js::{nonce, now_s};
use super::net::send::{no_random, CallOptions};
use super::net::{SendError, Transport};
use super::options::{signal, take};
use crate::options::read::check_read_options;
use crate::outcome::ErrorInfo;
use crate::reads::{plan_ids, receipts, templates, ReadAction, ReadCall, ReadPage};
use js_sys::{Array, Promise};
use std::cell::{Cell, RefCell};
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::{future_to_promise, JsFuture};

struct ReadRun {
    transport: Rc<Transport>,
    action: ReadAction,
    calls: Vec<Vec<String>>,
    options: CallOptions,
    next: Cell<usize>,
    pages: RefCell<Vec<Option<Result<ReadPage, SendError>>>>,
}

impl ReadRun {
    async fn one(&self, ids: &[String]) -> Result<ReadPage, SendError> {
        let nonce = nonce().map_err(|e| SendError::new(no_random(), Some(e)))?;
        let checked = &self.transport.checked;
        let prepared = crate::prepare::prepare_read(
            self.action,
            ids,
            checked,
            checked.settings.account_id,
            now_s(),
            &nonce,
        )
        .map_err(|why| SendError::new(ErrorInfo::config(why), None))?;
        self.transport.send(&prepared, &self.options, &ReadCall { action: self.action }).await
    }

    async fn worker(self: Rc<Self>) -> Result<JsValue, JsValue> {
        while self.next.get() < self.calls.len() {
            let index = self.next.get();
            self.next.set(index + 1);
            let ids = self.calls.get(index).cloned().unwrap_or_default();
            let page = self.one(&ids).await;
            if let Some(slot) = self.pages.borrow_mut().get_mut(index) {
                *slot = Some(page);
            }
        }
        Ok(JsValue::UNDEFINED)
    }
}

/// The pages of `calls`, in order; the first failure (after the read rule's
/// retries) ends it.
async fn fetch(
    transport: Rc<Transport>,
    action: ReadAction,
    calls: Vec<Vec<String>>,
    options: CallOptions,
    concurrency: usize,
) -> Result<Vec<(Vec<String>, ReadPage)>, JsValue> {
    let run = Rc::new(ReadRun {
        transport,
        action,
        pages: RefCell::new((0..calls.len()).map(|_| None).collect()),
        calls,
        options,
        next: Cell::new(0),
    });
    let workers = Array::new();
    for _ in 0..concurrency.min(run.calls.len()) {
        workers.push(&future_to_promise(run.clone().worker()));
    }
    JsFuture::from(Promise::all(&workers)).await?;
    let pages: Vec<Option<Result<ReadPage, SendError>>> = run.pages.borrow_mut().drain(..).collect();
    let mut out = Vec::with_capacity(pages.len());
    for (ids, page) in run.calls.iter().zip(pages) {
        match page {
            Some(Ok(page)) => out.push((ids.clone(), page)),
            Some(Err(failed)) => return Err(failed.into_js()),
            None => return Err(error(&ErrorInfo::config("a read call was never made".into()))),
        }
    }
    Ok(out)
}

/// The error for a page whose `Data` could not be read, with its request id.
fn unusable(page: &ReadPage) -> impl FnOnce(ErrorInfo) -> JsValue + '_ {
    move |mut e| {
        e.request_id = page.request_id.clone();
        error(&e)
    }
}

/// Templates for `ids` (already checked), as `getTemplates` gives them.
pub async fn fetch_templates(
    transport: Rc<Transport>,
    ids: &[String],
    options: CallOptions,
) -> Result<templates::TemplatesResult, JsValue> {
    let calls = ids.chunks(crate::reads::MAX_TEMPLATES_PER_CALL).map(<[String]>::to_vec).collect();
    let concurrency = crate::options::read::DEFAULT_READ_CONCURRENCY as usize;
    let mut out = templates::TemplatesResult::default();
    for (ids, page) in fetch(transport, ReadAction::Templates, calls, options, concurrency).await? {
        templates::add_page(&mut out, &page.data, &ids).map_err(unusable(&page))?;
    }
    Ok(out)
}

/// A read's options: the call options and how many calls may be in flight.
pub fn read_options(transport: &Transport, options: &JsValue) -> Result<(CallOptions, usize), JsValue> {
    let (data, [signal_value]) = take(options, ["signal"]);
    let signal = signal(&signal_value).map_err(|e| error(&e))?;
    let (timeout, concurrency) = check_read_options(&any(data)).map_err(|m| error(&ErrorInfo::config(m)))?;
    let timeout_ms = timeout.unwrap_or(transport.checked.settings.timeout_ms);
    Ok((CallOptions { signal, timeout_ms, relay: None }, concurrency))
}

/// `trackDelivery`: receipts asked for the pending sessions every
/// `intervalMs` until every accepted number has a final status, the time
/// is up or the signal fires; resolves to the delivery report in any case.
pub async fn track_delivery(
    transport: Rc<Transport>,
    input: JsValue,
    options: JsValue,
) -> Result<JsValue, JsValue> {
    use crate::options::read::check_track_options;
    use crate::reads::delivery::Tracking;
    let (data, signal, on_progress) = super::options::with_progress(&options).map_err(|e| error(&e))?;
    let (interval_ms, total_ms) =
        check_track_options(&any(data)).map_err(|m| error(&ErrorInfo::config(m)))?;
    let mut tracking = Tracking::from_input(&any(input)).map_err(|m| error(&ErrorInfo::config(m)))?;
    let deadline = super::net::js::now_ms() + total_ms as f64;
    let concurrency = crate::options::read::DEFAULT_READ_CONCURRENCY as usize;
    loop {
        let calls = tracking.pending_calls();
        if calls.is_empty() {
            break;
        }
        let options = CallOptions {
            signal: signal.clone(),
            timeout_ms: transport.checked.settings.timeout_ms,
            relay: None,
        };
        let mut round = receipts::ReceiptsResult::default();
        for (ids, page) in fetch(transport.clone(), ReadAction::Receipts, calls, options, concurrency).await?
        {
            receipts::add_page(&mut round, &page.data, &ids).map_err(unusable(&page))?;
        }
        tracking.apply(&round);
        let report = tracking.report();
        if let Some(f) = &on_progress {
            // The totals, and the report so far for views that show every
            // number live. A failing callback must not lose the report.
            let _ = f.call2(&JsValue::UNDEFINED, &to_js(&report.totals), &to_js(&report));
        }
        if report.complete || super::net::js::now_ms() + interval_ms as f64 > deadline {
            break;
        }
        if super::net::timer::sleep(interval_ms as f64, signal.as_ref()).await.is_err() {
            break; // aborted: the report says what is known so far
        }
    }
    Ok(to_js(&tracking.report()))
}

/// Runs one read action over `ids` to its merged result.
pub async fn run_reads(
    transport: Rc<Transport>,
    action: ReadAction,
    ids: JsValue,
    options: JsValue,
) -> Result<JsValue, JsValue> {
    let (options, concurrency) = read_options(&transport, &options)?;
    let calls = plan_ids(action, &any(ids)).map_err(|e| error(&e))?;
    let pages = fetch(transport, action, calls, options, concurrency).await?;
    let mut receipts_out = receipts::ReceiptsResult::default();
    let mut templates_out = templates::TemplatesResult::default();
    for (ids, page) in pages {
        let added = match action {
            ReadAction::Receipts => {
                receipts_out.request_ids.extend(page.request_id.clone());
                receipts::add_page(&mut receipts_out, &page.data, &ids)
            }
            ReadAction::Templates => templates::add_page(&mut templates_out, &page.data, &ids),
        };
        added.map_err(unusable(&page))?;
    }
    Ok(match action {
        ReadAction::Receipts => to_js(&receipts_out),
        ReadAction::Templates => to_js(&templates_out),
    })
}
