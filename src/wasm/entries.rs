//! A bulk report's entries as JS objects, made from runs of rows.
//!
//! `JSON.parse` of 1,000 entries as objects measured ~0.8-1 ms in Node (two
//! thirds of the per-chunk cost of a 100,000-number `sendBulk`); the same
//! entries as runs of flat values, parsed and turned into object literals
//! of one shape by `pkg/src/report-entries.js`, ~0.18 ms (figures in the
//! README's performance section). The rows are written by serde_json like
//! every other output; this only chooses their layout.

use super::convert::to_js;
use crate::bulk::report::Entries;
use serde::ser::{Serialize, SerializeSeq, Serializer};
use wasm_bindgen::prelude::*;

#[wasm_bindgen(raw_module = "../src/report-entries.js")]
extern "C" {
    /// The entries of `rows` as objects; `undefined` if `rows` is not the
    /// flat array [`Rows`] writes.
    #[wasm_bindgen(js_name = entryObjects)]
    fn entry_objects(rows: &JsValue) -> JsValue;
}

/// The entries as runs of one TemplateId and chunk, written flat:
/// `width`, then per run `TemplateId, chunk, n` and `n` rows of `width`
/// values: path, Phone, then UserId or null (width 3 or more) and reason
/// or null (width 4), the order of `BulkEntry`'s fields that
/// `pkg/src/report-entries.js` reads them in. A run shares its TemplateId
/// and chunk instead of repeating them: half the text of one flat row per
/// entry, and half the time to parse and lay out (see the README).
struct Rows<'a, 'b>(&'b Entries<'a>);

/// A run of consecutive entries with one TemplateId and chunk.
struct Run<'a> {
    template_id: &'a str,
    chunk: usize,
    n: usize,
}

impl<'a> Rows<'a, '_> {
    /// The runs, and how many values each entry needs.
    fn runs(&self) -> (Vec<Run<'a>>, usize) {
        let mut runs: Vec<Run> = Vec::new();
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
                Some(run) if run.template_id == e.template_id && run.chunk == e.chunk => run.n += 1,
                _ => runs.push(Run { template_id: e.template_id, chunk: e.chunk, n: 1 }),
            }
        }
        (runs, width)
    }
}

impl Serialize for Rows<'_, '_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let (runs, width) = self.runs();
        let mut seq = serializer.serialize_seq(None)?;
        seq.serialize_element(&width)?;
        let mut entries = self.0.iter();
        for run in &runs {
            seq.serialize_element(run.template_id)?;
            seq.serialize_element(&run.chunk)?;
            seq.serialize_element(&run.n)?;
            for e in entries.by_ref().take(run.n) {
                seq.serialize_element(&e.path)?;
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
