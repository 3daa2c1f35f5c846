//! The bulk report: totals, the four buckets (with each target's path,
//! chunk and reason), the suppressed targets, duplicates, per-chunk records, SessionNos, why the
//! job stopped, and the resend request.

use crate::bulk::job::{Bucket, ChunkError, Counts, Job};
use crate::bulk::plan::Position;
use crate::model::SendBatchRequest;
use serde::Serialize;
use std::ops::Range;
use std::rc::Rc;

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS), ts(rename = "BulkReport"))]
pub struct Report<'a> {
    pub totals: Totals,
    #[cfg_attr(feature = "typescript", ts(type = "Array<BulkEntry>"))]
    pub accepted: Entries<'a>,
    #[cfg_attr(feature = "typescript", ts(type = "Array<BulkEntry>"))]
    pub failed: Entries<'a>,
    #[cfg_attr(feature = "typescript", ts(type = "Array<BulkEntry>"))]
    pub unknown: Entries<'a>,
    #[cfg_attr(feature = "typescript", ts(type = "Array<BulkEntry>"))]
    pub not_attempted: Entries<'a>,
    /// Targets on the `suppress` list: never sent.
    pub suppressed: Vec<Suppressed<'a>>,
    pub duplicates: Vec<Duplicate>,
    pub chunks: Vec<ChunkReport<'a>>,
    pub session_nos: Vec<&'a str>,
    pub stopped_by: Option<&'a ChunkError>,
    pub resend_request: Option<SendBatchRequest>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS), ts(rename = "BulkTotals"))]
pub struct Totals {
    pub targets: usize,
    pub sent: usize,
    pub accepted: usize,
    pub failed: usize,
    pub unknown: usize,
    pub not_attempted: usize,
    pub duplicates_dropped: usize,
    pub suppressed: usize,
    pub chunks: usize,
}

#[derive(Debug, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS), ts(rename = "BulkEntry"))]
pub struct Entry<'a> {
    #[cfg_attr(feature = "typescript", ts(type = "string"))]
    pub path: Position,
    #[serde(rename = "TemplateId")]
    pub template_id: &'a str,
    #[serde(rename = "Phone")]
    pub phone: &'a str,
    #[serde(rename = "UserId", skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "typescript", ts(optional))]
    pub user_id: Option<&'a str>,
    pub chunk: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "typescript", ts(optional))]
    pub reason: Option<&'a str>,
}

/// The entries of one bucket, made one at a time as they are written: a
/// list of 100,000 accepted entries measured 4.4 MB of a report's peak wasm
/// memory.
pub struct Entries<'a> {
    job: &'a Job,
    bucket: Bucket,
    chunk_of: ChunkOf,
    /// The targets looked at (indices into the plan's targets).
    range: Range<usize>,
}

/// Which chunk each target went in.
enum ChunkOf {
    /// Per target, shared by the four buckets of a report.
    Each(Rc<[usize]>),
    /// The one chunk whose members are the range.
    All(usize),
}

impl Report<'_> {
    /// The report with its four buckets empty (their keys stay, in their
    /// order), for a caller that lays out their entries itself: the wasm
    /// build makes them JS objects from rows (`src/wasm/entries.rs`).
    pub fn without_entries(mut self) -> Self {
        for bucket in [&mut self.accepted, &mut self.failed, &mut self.unknown, &mut self.not_attempted] {
            bucket.range = 0..0;
        }
        self
    }
}

impl<'a> Entries<'a> {
    pub fn iter(&self) -> impl Iterator<Item = Entry<'a>> + '_ {
        let (job, bucket) = (self.job, self.bucket);
        let targets = job.plan.targets.get(self.range.clone()).unwrap_or_default();
        targets.iter().zip(self.range.clone()).filter_map(move |(t, i)| {
            let b = job.bucket.get(i).copied().unwrap_or(Bucket::Pending);
            // Nothing is pending once the job is over; were anything left
            // undecided it would not have been sent, so it counts here.
            let counts = b == bucket || (bucket == Bucket::NotAttempted && b == Bucket::Pending);
            counts.then(|| Entry {
                path: t.at,
                template_id: &t.template_id,
                phone: &t.target.phone,
                user_id: t.target.user_id.as_deref(),
                chunk: match &self.chunk_of {
                    ChunkOf::Each(of) => of.get(i).copied().unwrap_or(0),
                    ChunkOf::All(index) => *index,
                },
                reason: job.reason.get(i).and_then(Option::as_deref),
            })
        })
    }
}

impl std::fmt::Debug for Entries<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

impl Serialize for Entries<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.iter())
    }
}

/// A target never sent because its number is on the suppression list.
#[derive(Debug, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS), ts(rename = "BulkSuppressed"))]
pub struct Suppressed<'a> {
    #[cfg_attr(feature = "typescript", ts(type = "string"))]
    pub path: Position,
    #[serde(rename = "TemplateId")]
    pub template_id: &'a str,
    #[serde(rename = "Phone")]
    pub phone: &'a str,
    #[serde(rename = "UserId", skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "typescript", ts(optional))]
    pub user_id: Option<&'a str>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS), ts(rename = "BulkDuplicate"))]
pub struct Duplicate {
    #[cfg_attr(feature = "typescript", ts(type = "string"))]
    pub path: Position,
    #[cfg_attr(feature = "typescript", ts(type = "string"))]
    pub duplicate_of: Position,
}

#[derive(Debug, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS), ts(rename = "BulkChunk"))]
pub struct ChunkReport<'a> {
    pub index: usize,
    #[cfg_attr(
        feature = "typescript",
        ts(type = r#""accepted" | "partial" | "mismatch" | "failed" | "unknown" | "not_attempted""#)
    )]
    pub status: &'static str,
    pub targets: usize,
    #[serde(rename = "requestId")]
    pub request_id: Option<&'a str>,
    #[serde(rename = "SessionNo")]
    pub session_no: Option<&'a str>,
    #[serde(rename = "SuccessCount")]
    #[cfg_attr(feature = "typescript", ts(type = "number | null"))]
    pub success_count: Option<u64>,
    pub failed: usize,
    pub error: Option<&'a ChunkError>,
    pub mismatch: Option<&'a str>,
    #[cfg_attr(feature = "typescript", ts(type = "number | null"))]
    pub attempts: Option<u64>,
}

impl Job {
    fn chunk_of(&self) -> Rc<[usize]> {
        let mut of = vec![0; self.plan.targets.len()];
        for chunk in &self.plan.chunks {
            for &m in &chunk.members {
                if let Some(slot) = of.get_mut(m) {
                    *slot = chunk.index;
                }
            }
        }
        of.into()
    }

    fn chunk_status(&self, index: usize) -> &'static str {
        let Some(r) = self.chunks.get(index) else { return "not_attempted" };
        let buckets: Vec<Bucket> =
            self.members(index).iter().filter_map(|&m| self.bucket.get(m).copied()).collect();
        let all = |b: Bucket| buckets.iter().all(|x| *x == b);
        if !r.done {
            "not_attempted"
        } else if r.error.is_some() {
            buckets.first().copied().unwrap_or(Bucket::Failed).name()
        } else if all(Bucket::Accepted) {
            "accepted"
        } else if all(Bucket::Failed) {
            "failed"
        } else if r.mismatch.is_some() {
            "mismatch"
        } else {
            "partial"
        }
    }

    fn entries(&self, bucket: Bucket, chunk_of: &Rc<[usize]>) -> Entries<'_> {
        let range = 0..self.plan.targets.len();
        Entries { job: self, bucket, chunk_of: ChunkOf::Each(Rc::clone(chunk_of)), range }
    }

    /// Whether the chunks are the plan's targets cut in order (chunk 0 the
    /// first ones, and so on): then the accepted entries of the chunks, one
    /// after the other, are the report's `accepted` list.
    pub fn chunks_in_order(&self) -> bool {
        let mut next = 0;
        for chunk in &self.plan.chunks {
            if chunk.members.iter().enumerate().any(|(k, &m)| m != next + k) {
                return false;
            }
            next += chunk.members.len();
        }
        next == self.plan.targets.len()
    }

    /// One chunk's accepted entries and how many there are. They are final
    /// once the chunk's outcome is recorded (nothing leaves `accepted`), so
    /// a sending loop can make them while later chunks are in flight. Only
    /// meaningful when [`Job::chunks_in_order`].
    pub fn accepted_in_chunk(&self, index: usize) -> (usize, Entries<'_>) {
        let members = self.plan.chunks.get(index).map_or(&[][..], |c| &c.members[..]);
        let range = members.first().map_or(0..0, |&first| first..first + members.len());
        let accepted = self
            .bucket
            .get(range.clone())
            .map_or(0, |b| b.iter().filter(|b| **b == Bucket::Accepted).count());
        (accepted, Entries { job: self, bucket: Bucket::Accepted, chunk_of: ChunkOf::All(index), range })
    }

    /// The whole account of the job.
    pub fn report(&self, include_unknown: bool) -> Report<'_> {
        let c: Counts = self.counts();
        let chunk_of = self.chunk_of();
        Report {
            totals: Totals {
                targets: self.bucket.len() + self.plan.duplicates.len() + self.plan.suppressed.len(),
                sent: self.bucket.len(),
                accepted: c.accepted,
                failed: c.failed,
                unknown: c.unknown,
                not_attempted: c.not_attempted + c.pending,
                duplicates_dropped: self.plan.duplicates.len(),
                suppressed: self.plan.suppressed.len(),
                chunks: c.chunks_total,
            },
            accepted: self.entries(Bucket::Accepted, &chunk_of),
            failed: self.entries(Bucket::Failed, &chunk_of),
            unknown: self.entries(Bucket::Unknown, &chunk_of),
            not_attempted: self.entries(Bucket::NotAttempted, &chunk_of),
            suppressed: self
                .plan
                .suppressed
                .iter()
                .map(|t| Suppressed {
                    path: t.at,
                    template_id: &t.template_id,
                    phone: &t.target.phone,
                    user_id: t.target.user_id.as_deref(),
                })
                .collect(),
            duplicates: self
                .plan
                .duplicates
                .iter()
                .map(|(at, kept)| Duplicate { path: *at, duplicate_of: *kept })
                .collect(),
            chunks: self
                .chunks
                .iter()
                .enumerate()
                .map(|(index, r)| ChunkReport {
                    index,
                    status: self.chunk_status(index),
                    targets: self.plan.chunks.get(index).map_or(0, |c| c.members.len()),
                    request_id: r.request_id.as_deref(),
                    session_no: r.session_no.as_deref(),
                    success_count: r.success_count,
                    failed: r.failed_count,
                    error: r.error.as_ref(),
                    mismatch: r.mismatch.as_deref(),
                    attempts: r.attempts,
                })
                .collect(),
            session_nos: self.chunks.iter().filter_map(|r| r.session_no.as_deref()).collect(),
            stopped_by: self.stopped.as_ref(),
            resend_request: self.resend_request(include_unknown),
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::bulk::job::Job;
    use crate::bulk::plan::{plan, PlanOptions};
    use crate::model::{FailedTarget, FailedTask, SendBatchRequest, SendBatchResponse, Target, Task};
    use crate::outcome::{Delivery, ErrorCode, ErrorInfo};

    fn request(sizes: &[usize]) -> SendBatchRequest {
        let task = |t: usize, n: usize| Task {
            template_id: format!("T{t}"),
            sender_id: None,
            target: (0..n)
                .map(|k| Target {
                    phone: format!("(1)415{:07}", t * 10_000 + k % 2_000),
                    ..Target::default()
                })
                .collect(),
        };
        SendBatchRequest {
            account_id: None,
            task_content: sizes.iter().enumerate().map(|(t, &n)| task(t, n)).collect(),
        }
    }

    /// The accepted entries chunk by chunk, one after the other, are the
    /// report's `accepted` list (what the bulk loop hands to JS early).
    #[test]
    fn accepted_parts_in_chunk_order_are_the_accepted_list() {
        // 8,000 targets of which 4,000 repeat: dropped, then the rest cut in chunks.
        let options = PlanOptions { chunk_size: 900, dedupe: true, ..PlanOptions::default() };
        let mut job = Job::new(plan(request(&[2_500, 5_500]), &options));
        assert_eq!((job.plan.duplicates.len(), job.plan.chunks.len()), (4_000, 5));
        assert!(job.chunks_in_order());
        let chunks = job.plan.chunks.len();
        for index in 0..chunks {
            let members = job.plan.chunks[index].members.clone();
            let phone = |k: usize| job.plan.targets[members[k]].target.phone.clone();
            match index % 3 {
                0 => {
                    let response =
                        SendBatchResponse { success_count: members.len() as u64, ..Default::default() };
                    job.record_result(index, &response, Some("r")).unwrap();
                }
                1 => {
                    let refused = FailedTarget { phone: phone(3), ..Default::default() };
                    let template_id = job.plan.targets[members[3]].template_id.to_string();
                    let response = SendBatchResponse {
                        success_count: members.len() as u64 - 1,
                        fail_content: vec![FailedTask {
                            template_id,
                            target: vec![refused],
                            ..Default::default()
                        }],
                        ..Default::default()
                    };
                    job.record_result(index, &response, None).unwrap();
                }
                _ => {
                    let error = ErrorInfo::new(ErrorCode::Timeout, Delivery::Unknown, "timed out".into());
                    job.record_error(index, &error).unwrap();
                }
            }
        }
        let whole = serde_json::to_value(job.report(true)).unwrap();
        let mut parts = Vec::new();
        let mut counted = 0;
        for index in 0..chunks {
            let (count, entries) = job.accepted_in_chunk(index);
            let part = serde_json::to_value(&entries).unwrap();
            assert_eq!(part.as_array().unwrap().len(), count);
            counted += count;
            parts.extend(part.as_array().unwrap().iter().cloned());
        }
        assert_eq!(serde_json::Value::Array(parts), whole["accepted"]);
        assert_eq!(counted as u64, whole["totals"]["accepted"].as_u64().unwrap());
        // The four buckets empty, their keys in their places (the caller's
        // entries go where serde's were), the rest as it was.
        let without = serde_json::to_string(&job.report(true).without_entries()).unwrap();
        assert!(
            without.contains(r#","accepted":[],"failed":[],"unknown":[],"notAttempted":[],"suppressed":"#)
        );
        let without: serde_json::Value = serde_json::from_str(&without).unwrap();
        assert_eq!(without["totals"], whole["totals"]);
        assert_eq!(without["chunks"], whole["chunks"]);
        // Chunks that do not cut the targets in order are not joined.
        job.plan.chunks[1].members.swap(0, 1);
        assert!(!job.chunks_in_order());
    }
}
