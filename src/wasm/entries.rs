//! A bulk report's entries as JS objects, made from runs of rows, and the
//! report with its four buckets laid out that way.
//!
//! `JSON.parse` of 1,000 entries as objects measured ~0.8-1 ms in Node (two
//! thirds of the per-chunk cost of a 100,000-number `sendBulk`); the same
//! entries as runs of flat values, parsed and turned into object literals
//! of one shape by `pkg/src/report-entries.js`, ~0.18 ms (figures in the
//! README's performance section). The rows are written by serde_json like
//! every other output; this only chooses their layout.

use super::convert::to_js;
use crate::bulk::report::{Entries, Report};
use serde::ser::{Serialize, SerializeSeq, Serializer};
use wasm_bindgen::prelude::*;

#[wasm_bindgen(raw_module = "../src/report-entries.js")]
extern "C" {
    /// The entries of `rows` as objects; `undefined` if `rows` is not the
    /// flat array [`Rows`] writes.
    #[wasm_bindgen(js_name = entryObjects)]
    fn entry_objects(rows: &JsValue) -> JsValue;
}

/// The entries as runs of one TemplateId, chunk and task, written flat:
/// `width`, then per run `TemplateId, chunk, task, n` and `n` rows of
/// `width` values: the target's index in its task, Phone, then UserId or
/// null (width 3 or more) and reason or null (width 4), the order of
/// `BulkEntry`'s fields that `pkg/src/report-entries.js` reads them in. A
/// run shares its TemplateId, chunk and task instead of repeating them: half the
/// text of one flat row per entry, and half the time to parse and lay out;
/// the path is put together there from the task and the index (written
/// here as text it was a quarter of this module's cost; see the README).
struct Rows<'a>(&'a Entries<'a>);

/// A stretch of consecutive entries with one TemplateId, chunk and task.
struct Stretch<'a> {
    template_id: &'a str,
    chunk: usize,
    task: usize,
    n: usize,
}

impl<'a> Rows<'a> {
    /// The runs, and how many values each entry needs.
    fn runs(&self) -> (Vec<Stretch<'a>>, usize) {
        let mut runs: Vec<Stretch> = Vec::new();
        let mut width = 2;
        for e in self.0.iter() {
            width = width.max(if e.reason.is_some() {
                4
            } else if e.user_id.is_some() {
                3
            } else {
                2
            });
            match runs.last_mut() {
                Some(run)
                    if run.template_id == e.template_id
                        && run.chunk == e.chunk
                        && run.task == e.path.task =>
                {
                    run.n += 1
                }
                _ => {
                    runs.push(Stretch { template_id: e.template_id, chunk: e.chunk, task: e.path.task, n: 1 })
                }
            }
        }
        (runs, width)
    }
}

impl Serialize for Rows<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let (runs, width) = self.runs();
        let mut seq = serializer.serialize_seq(None)?;
        seq.serialize_element(&width)?;
        let mut entries = self.0.iter();
        for run in &runs {
            seq.serialize_element(run.template_id)?;
            seq.serialize_element(&run.chunk)?;
            seq.serialize_element(&run.task)?;
            seq.serialize_element(&run.n)?;
            for e in entries.by_ref().take(run.n) {
                seq.serialize_element(&e.path.target)?;
                seq.serialize_element(e.phone)?;
                if width > 2 {
                    seq.serialize_element(&e.user_id)?;
                }
                if width > 3 {
                    seq.serialize_element(&e.reason)?;
                }
            }
        }
        seq.end()
    }
}

/// `entries` as an array of `BulkEntry` objects, the same as `to_js` of
/// them would give.
pub fn entries_to_js(entries: &Entries) -> JsValue {
    let made = entry_objects(&to_js(&Rows(entries)));
    if made.is_undefined() {
        // Not expected (the rows are ours); the objects made by JSON.parse.
        return to_js(entries);
    }
    made
}

/// The report as a JS object, its four buckets laid out from rows, the
/// `accepted` one given when the caller made it already (chunk by chunk).
/// serde writes the rest with the buckets empty, and each is put in its
/// place (setting a key keeps its order).
pub fn report_to_js<'a>(make: impl Fn() -> Report<'a>, accepted: Option<JsValue>) -> JsValue {
    let report = make();
    let buckets = [
        ("accepted", accepted.unwrap_or_else(|| entries_to_js(&report.accepted))),
        ("failed", entries_to_js(&report.failed)),
        ("unknown", entries_to_js(&report.unknown)),
        ("notAttempted", entries_to_js(&report.not_attempted)),
    ];
    let out = to_js(&report.without_entries());
    let set = |(key, entries): &(&str, JsValue)| js_sys::Reflect::set(&out, &JsValue::from_str(key), entries);
    if buckets.iter().all(|bucket| set(bucket).unwrap_or(false)) {
        out
    } else {
        // Not expected (`out` is a plain object JSON.parse made); the report
        // made whole by serde.
        to_js(&make())
    }
}
