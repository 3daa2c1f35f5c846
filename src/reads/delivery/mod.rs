//! `trackDelivery`: the numbers of a send (a `sendBulk` report, a
//! `SendResult`, or SessionNos) and what their receipts say, until every
//! accepted number has a final status. Numbers that never got a SessionNo
//! (unknown, failed, not attempted) are listed as such, never guessed.

use super::receipts::{ReceiptStatus, ReceiptsResult};
use crate::read::Any;
use serde::Serialize;
use std::collections::BTreeMap;

/// Receipts one `trackDelivery` call asks for at most (about 1.5 MB of JSON).
pub const MAX_RECEIPTS_PER_CALL: usize = 10_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(
    feature = "typescript",
    derive(ts_rs::TS),
    ts(rename = "DeliveryStatus", rename_all = "snake_case")
)]
pub enum DeliveryStatus {
    Delivered,
    Failed,
    Pending,
    /// The send itself may or may not have reached uSpeedo: no SessionNo.
    Unknown,
    /// uSpeedo refused the number when it was sent.
    NotAccepted,
    /// Never sent (aborted, deadline, stopped).
    NotAttempted,
    /// On the `suppress` list: never sent, by design.
    Suppressed,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS), ts(rename = "DeliveryEntry"))]
pub struct Entry {
    /// Where the number was in a `sendBulk` report's input.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "typescript", ts(optional))]
    pub path: Option<String>,
    #[serde(rename = "TemplateId", skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "typescript", ts(optional))]
    pub template_id: Option<String>,
    #[serde(rename = "Phone")]
    pub phone: String,
    #[serde(rename = "UserId", skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "typescript", ts(optional))]
    pub user_id: Option<String>,
    #[serde(rename = "SessionNo")]
    pub session_no: Option<String>,
    pub status: DeliveryStatus,
    /// `ReceiptDesc` for a failed receipt, the send's reason otherwise.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "typescript", ts(optional))]
    pub reason: Option<String>,
    #[serde(rename = "CostCount")]
    #[cfg_attr(feature = "typescript", ts(type = "number"))]
    pub cost_count: i64,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS), ts(rename = "DeliveryTotals"))]
pub struct Totals {
    pub delivered: usize,
    pub failed: usize,
    pub pending: usize,
    pub unknown: usize,
    pub not_accepted: usize,
    pub not_attempted: usize,
    pub suppressed: usize,
    /// SMS parts billed, from the receipts.
    #[cfg_attr(feature = "typescript", ts(type = "number"))]
    pub cost_count: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct DeliveryReport {
    /// Every number, once, with its status.
    pub numbers: Vec<Entry>,
    pub totals: Totals,
    /// Totals by country calling code (`"86"`, `"852"`…).
    pub by_country: BTreeMap<String, Totals>,
    /// Totals by TemplateId (numbers known by SessionNo only have none).
    pub by_template: BTreeMap<String, Totals>,
    /// Whether every accepted number reached a final status.
    pub complete: bool,
    /// Sessions asked for that had no receipt at all.
    pub sessions_without_receipts: Vec<String>,
}

/// The numbers being tracked.
#[derive(Debug, Clone, Default)]
pub struct Tracking {
    numbers: Vec<Entry>,
    /// SessionNos given without numbers: their receipts add numbers.
    open_sessions: Vec<String>,
    without_receipts: Vec<String>,
}

fn text(v: &Any, key: &str) -> Option<String> {
    v.get(key).and_then(Any::as_str).filter(|s| !s.is_empty()).map(str::to_string)
}

fn list<'a>(v: &'a Any, key: &str) -> &'a [Any] {
    match v.get(key) {
        Some(Any::Array(items)) => items,
        _ => &[],
    }
}

impl Tracking {
    /// From what the caller hands in: a `sendBulk` report, a `SendResult`, or
    /// an array of SessionNos.
    pub fn from_input(input: &Any) -> Result<Tracking, String> {
        let mut t = Tracking::default();
        match input {
            Any::Array(ids) => {
                for id in ids {
                    match id.as_str().filter(|s| !s.is_empty()) {
                        Some(id) => t.open_sessions.push(id.to_string()),
                        None => return Err("SessionNos must be non-empty strings".into()),
                    }
                }
            }
            Any::Object(_) if input.get("totals").is_some() => t.add_report(input)?,
            Any::Object(_) if input.get("RetCode").is_some() => match text(input, "SessionNo") {
                Some(session) => t.open_sessions.push(session),
                None => return Err("this SendResult has no SessionNo: nothing was accepted".into()),
            },
            _ => {
                return Err(
                    "trackDelivery takes a sendBulk report, a SendResult or an array of SessionNos".into()
                )
            }
        }
        t.open_sessions.dedup();
        Ok(t)
    }

    fn add_report(&mut self, report: &Any) -> Result<(), String> {
        let sessions: Vec<Option<String>> =
            list(report, "chunks").iter().map(|c| text(c, "SessionNo")).collect();
        let entry = |e: &Any, status: DeliveryStatus, with_session: bool| {
            let chunk = e.get("chunk").and_then(Any::as_u64).map(|c| c as usize);
            Entry {
                path: text(e, "path"),
                template_id: text(e, "TemplateId"),
                phone: text(e, "Phone").unwrap_or_default(),
                user_id: text(e, "UserId"),
                session_no: if with_session {
                    chunk.and_then(|c| sessions.get(c).cloned().flatten())
                } else {
                    None
                },
                status,
                reason: text(e, "reason"),
                cost_count: 0,
            }
        };
        for e in list(report, "accepted") {
            let mut entry = entry(e, DeliveryStatus::Pending, true);
            if entry.session_no.is_none() {
                entry.status = DeliveryStatus::Unknown;
            }
            self.numbers.push(entry);
        }
        for (bucket, status) in [
            ("failed", DeliveryStatus::NotAccepted),
            ("unknown", DeliveryStatus::Unknown),
            ("notAttempted", DeliveryStatus::NotAttempted),
            ("suppressed", DeliveryStatus::Suppressed),
        ] {
            self.numbers.extend(list(report, bucket).iter().map(|e| entry(e, status, false)));
        }
        if self.numbers.is_empty() && report.get("accepted").is_none() {
            return Err("the report has no buckets (accepted, failed, unknown, notAttempted)".into());
        }
        Ok(())
    }

    /// The sessions still worth asking about.
    pub fn pending_sessions(&self) -> Vec<String> {
        let mut out: Vec<String> = self.open_sessions.clone();
        for e in self.numbers.iter().filter(|e| e.status == DeliveryStatus::Pending) {
            if let Some(s) = &e.session_no {
                if !out.contains(s) {
                    out.push(s.clone());
                }
            }
        }
        out
    }

    /// The pending sessions in calls: at most 100 SessionNos per call
    /// (uSpeedo's limit) and about [`MAX_RECEIPTS_PER_CALL`] receipts, so an
    /// answer for sessions of 1000-number sends stays far below the size a
    /// response may have. A session given by SessionNo alone counts as a
    /// full send.
    pub fn pending_calls(&self) -> Vec<Vec<String>> {
        let mut size: BTreeMap<&str, usize> = BTreeMap::new();
        for e in &self.numbers {
            if let Some(s) = &e.session_no {
                *size.entry(s.as_str()).or_default() += 1;
            }
        }
        let mut calls: Vec<Vec<String>> = Vec::new();
        let mut receipts = 0;
        for session in self.pending_sessions() {
            let n =
                size.get(session.as_str()).copied().unwrap_or(crate::model::MAX_TARGETS_PER_REQUEST).max(1);
            match calls.last_mut() {
                Some(call)
                    if call.len() < super::MAX_SESSIONS_PER_CALL && receipts + n <= MAX_RECEIPTS_PER_CALL =>
                {
                    call.push(session);
                    receipts += n;
                }
                _ => {
                    calls.push(vec![session]);
                    receipts = n;
                }
            }
        }
        calls
    }

    /// Applies a round of receipts.
    pub fn apply(&mut self, receipts: &ReceiptsResult) {
        let slots = self.entries_of(receipts);
        for (r, slot) in receipts.receipts.iter().zip(slots) {
            let status = match r.status {
                ReceiptStatus::Delivered => DeliveryStatus::Delivered,
                ReceiptStatus::Failed => DeliveryStatus::Failed,
                ReceiptStatus::Pending => DeliveryStatus::Pending,
            };
            let reason =
                (status == DeliveryStatus::Failed).then(|| r.receipt_desc.clone()).filter(|d| !d.is_empty());
            match slot.and_then(|i| self.numbers.get_mut(i)) {
                Some(e) => {
                    e.status = status;
                    e.reason = reason.or(e.reason.take());
                    e.cost_count = r.cost_count;
                }
                None if self.open_sessions.contains(&r.session_no) => self.numbers.push(Entry {
                    path: None,
                    template_id: None,
                    phone: r.phone.clone(),
                    user_id: Some(r.user_id.clone()).filter(|u| !u.is_empty()),
                    session_no: Some(r.session_no.clone()),
                    status,
                    reason,
                    cost_count: r.cost_count,
                }),
                None => {}
            }
        }
        // A session given by SessionNo is done once its numbers are known.
        let answered: Vec<&str> = receipts.receipts.iter().map(|r| r.session_no.as_str()).collect();
        self.open_sessions.retain(|s| !answered.contains(&s.as_str()));
        self.without_receipts = receipts.sessions_without_receipts.clone();
    }

    /// For each receipt, the entry it is about: the k-th receipt of a
    /// (session, number) in a round is that pair's k-th entry (a number sent
    /// twice in one request, under two templates, gets both of its receipts;
    /// a search per receipt found the first entry every time, and was
    /// quadratic). One sort of indices (`crate::order`), no map: each
    /// distinct map or sort instantiation costs the browser wasm kilobytes.
    fn entries_of(&self, receipts: &ReceiptsResult) -> Vec<Option<usize>> {
        let digits = |p: &str| p.chars().filter(char::is_ascii_digit).collect::<String>();
        let n = self.numbers.len();
        let keys: Vec<Option<String>> = self
            .numbers
            .iter()
            .map(|e| e.session_no.as_ref().map(|s| format!("{s}\n{}", digits(&e.phone))))
            .chain(receipts.receipts.iter().map(|r| Some(format!("{}\n{}", r.session_no, digits(&r.phone)))))
            .collect();
        let key = |i: usize| keys.get(i).and_then(Option::as_deref);
        let order = crate::order::sorted_indices(keys.len(), &|a, b| key(a).cmp(&key(b)).then(a.cmp(&b)));
        let mut slots = vec![None; receipts.receipts.len()];
        // Walk groups of one key: its entries come first (lower indices),
        // then its receipts in the order they came.
        let mut group_entries: Vec<usize> = Vec::new();
        let mut taken = 0;
        let mut last: Option<&str> = None;
        for &i in &order {
            let k = key(i);
            if k != last {
                (group_entries, taken, last) = (Vec::new(), 0, k);
            }
            if k.is_none() {
                continue;
            }
            if i < n {
                group_entries.push(i);
            } else if let Some(slot) = slots.get_mut(i - n) {
                *slot = group_entries.get(taken).copied();
                taken += 1;
            }
        }
        slots
    }

    pub fn report(&self) -> DeliveryReport {
        let mut totals = Totals::default();
        let mut by_country: BTreeMap<String, Totals> = BTreeMap::new();
        let mut by_template: BTreeMap<String, Totals> = BTreeMap::new();
        let count = |t: &mut Totals, e: &Entry| {
            match e.status {
                DeliveryStatus::Delivered => t.delivered += 1,
                DeliveryStatus::Failed => t.failed += 1,
                DeliveryStatus::Pending => t.pending += 1,
                DeliveryStatus::Unknown => t.unknown += 1,
                DeliveryStatus::NotAccepted => t.not_accepted += 1,
                DeliveryStatus::NotAttempted => t.not_attempted += 1,
                DeliveryStatus::Suppressed => t.suppressed += 1,
            }
            t.cost_count += e.cost_count;
        };
        for e in &self.numbers {
            count(&mut totals, e);
            let country = crate::phone::calling_code_of(&e.phone).unwrap_or("unknown");
            count(by_country.entry(country.to_string()).or_default(), e);
            if let Some(id) = &e.template_id {
                count(by_template.entry(id.clone()).or_default(), e);
            }
        }
        DeliveryReport {
            complete: totals.pending == 0 && self.open_sessions.is_empty(),
            numbers: self.numbers.clone(),
            totals,
            by_country,
            by_template,
            sessions_without_receipts: self.without_receipts.clone(),
        }
    }
}

#[cfg(test)]
pub(crate) mod tests;
