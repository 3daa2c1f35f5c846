//! A campaign's delivery report: `trackDelivery`'s shape, made by
//! `trackDelivery`'s own code. The campaign's report is handed to
//! `Tracking` as a `sendBulk` report would be, and the stored statuses as
//! one round of receipts, so every number keeps its bucket's status
//! (not accepted, unknown, not attempted, suppressed) and accepted ones
//! get what their receipts said.

use super::delivery::ChunkDelivery;
use crate::bulk::report::{Entries, Entry, Report};
use crate::read::Any;
use crate::reads::delivery::{DeliveryReport, Totals, Tracking};
use crate::reads::receipts::{Receipt, ReceiptStatus, ReceiptsResult};
use serde::Serialize;

/// In `report()` when the campaign tracks delivery: the totals only (the
/// numbers are in `delivery()`).
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DeliverySummary {
    pub totals: Totals,
    pub complete: bool,
    /// The ledger still asks for receipts.
    pub tracking: bool,
}

/// `delivery()`: `trackDelivery`'s report plus the job id, whether the
/// ledger still asks, how many rounds it made and the last round's error.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CampaignDelivery<'a> {
    pub job_id: &'a str,
    pub tracking: bool,
    pub rounds: u64,
    pub last_error: Option<&'a super::ledger::StoredError>,
    #[serde(flatten)]
    pub report: DeliveryReport,
}

fn text(s: &str) -> Any {
    Any::String(s.to_string())
}

/// A report entry as `Tracking` reads a `sendBulk` report's.
fn entry(e: &Entry) -> Any {
    let mut fields = vec![
        ("path".to_string(), Any::String(e.path.path())),
        ("TemplateId".to_string(), text(e.template_id)),
        ("Phone".to_string(), text(e.phone)),
        ("chunk".to_string(), Any::Number(e.chunk as f64)),
    ];
    fields.extend(e.user_id.map(|u| ("UserId".to_string(), text(u))));
    fields.extend(e.reason.map(|r| ("reason".to_string(), text(r))));
    Any::Object(fields)
}

/// The report as the value `trackDelivery` takes (without a JSON round trip).
fn as_input(report: &Report) -> Any {
    let entries = |list: &Entries| Any::Array(list.iter().map(|e| entry(&e)).collect());
    let chunks = report
        .chunks
        .iter()
        .map(|c| Any::Object(vec![("SessionNo".into(), c.session_no.map_or(Any::Null, text))]))
        .collect();
    let suppressed = report
        .suppressed
        .iter()
        .map(|s| {
            let mut fields = vec![
                ("path".into(), Any::String(s.path.path())),
                ("TemplateId".into(), text(s.template_id)),
                ("Phone".into(), text(s.phone)),
            ];
            fields.extend(s.user_id.map(|u| ("UserId".to_string(), text(u))));
            Any::Object(fields)
        })
        .collect();
    Any::Object(vec![
        ("totals".into(), Any::Object(Vec::new())),
        ("chunks".into(), Any::Array(chunks)),
        ("accepted".into(), entries(&report.accepted)),
        ("failed".into(), entries(&report.failed)),
        ("unknown".into(), entries(&report.unknown)),
        ("notAttempted".into(), entries(&report.not_attempted)),
        ("suppressed".into(), Any::Array(suppressed)),
    ])
}

/// The stored statuses as one round of receipts, each number's in its
/// record's order: `Tracking` gives the k-th receipt of a (session,
/// number) to that pair's k-th entry, which is the same number.
fn as_receipts(records: &[ChunkDelivery]) -> ReceiptsResult {
    let mut out = ReceiptsResult::default();
    for r in records {
        if r.without_receipts {
            out.sessions_without_receipts.push(r.session_no.clone());
        }
        let mut reasons: Vec<Option<&str>> = vec![None; r.phones.len()];
        for (p, why) in &r.reasons {
            if let Some(slot) = reasons.get_mut(*p) {
                *slot = Some(why);
            }
        }
        for (j, (phone, letter)) in r.phones.iter().zip(r.status.chars()).enumerate() {
            let (status, result) = match letter {
                'd' => (ReceiptStatus::Delivered, "Success"),
                'f' => (ReceiptStatus::Failed, "Fail"),
                _ => (ReceiptStatus::Pending, "Unknow"),
            };
            out.receipts.push(Receipt {
                session_no: r.session_no.clone(),
                phone: phone.clone(),
                user_id: String::new(),
                receipt_result: result.into(),
                receipt_code: String::new(),
                receipt_desc: reasons.get(j).copied().flatten().unwrap_or_default().to_string(),
                receipt_time: 0,
                cost_count: r.cost.get(j).copied().unwrap_or(0),
                status,
            });
        }
    }
    out
}

/// The delivery report of the campaign's report and stored statuses.
/// `complete` also needs the job to be complete: chunks still to be sent
/// will have numbers to track.
pub fn delivery_report(report: &Report, records: &[ChunkDelivery], job_complete: bool) -> DeliveryReport {
    let mut tracking = Tracking::from_input(&as_input(report)).unwrap_or_default();
    tracking.apply(&as_receipts(records));
    let mut out = tracking.report();
    out.complete &= job_complete;
    out
}

pub fn summary(report: &DeliveryReport, tracking: bool) -> DeliverySummary {
    DeliverySummary { totals: report.totals.clone(), complete: report.complete, tracking }
}
