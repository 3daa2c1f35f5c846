//! A bulk job's accounting: every input target ends in exactly one bucket
//! (accepted, failed, unknown, not attempted; or dropped as a duplicate when
//! asked), decided here from each chunk's final outcome. The sending loop
//! (`wasm::bulk`) only sends chunks and reports back what happened.

use crate::bulk::plan::{chunk_request, group_into_tasks, Plan};
use crate::model::{SendBatchRequest, SendBatchResponse};
use crate::outcome::{Delivery, ErrorInfo};
use serde::Serialize;

/// RetCodes that mean every later chunk would fail the same way.
const CREDENTIAL_RET_CODES: &[i64] = &[215398];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bucket {
    Pending,
    Accepted,
    Failed,
    Unknown,
    NotAttempted,
}

impl Bucket {
    pub(crate) fn name(self) -> &'static str {
        match self {
            Bucket::Pending => "pending",
            Bucket::Accepted => "accepted",
            Bucket::Failed => "failed",
            Bucket::Unknown => "unknown",
            Bucket::NotAttempted => "not_attempted",
        }
    }
}

/// The final word on one chunk, as the report shows it.
#[derive(Debug, Clone, Default)]
pub struct ChunkRecord {
    pub done: bool,
    pub request_id: Option<String>,
    pub session_no: Option<String>,
    pub success_count: Option<u64>,
    pub failed_count: usize,
    pub error: Option<ChunkError>,
    /// Set when SuccessCount + failures did not add up to the chunk's size.
    pub mismatch: Option<String>,
    pub attempts: Option<u64>,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS), ts(rename = "BulkChunkError"))]
pub struct ChunkError {
    /// An error code, or `DEADLINE` / `STOPPED` for chunks never sent.
    pub code: String,
    pub message: String,
    #[cfg_attr(feature = "typescript", ts(type = "Delivery"))]
    pub delivery: String,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS), ts(rename = "BulkProgress"))]
pub struct Counts {
    pub chunks_done: usize,
    pub chunks_total: usize,
    pub accepted: usize,
    pub failed: usize,
    pub unknown: usize,
    pub not_attempted: usize,
    /// Not yet decided (chunks still queued or in flight); 0 in a final report.
    pub pending: usize,
}

impl Counts {
    fn of(&mut self, bucket: Bucket) -> &mut usize {
        match bucket {
            Bucket::Accepted => &mut self.accepted,
            Bucket::Failed => &mut self.failed,
            Bucket::Unknown => &mut self.unknown,
            Bucket::NotAttempted => &mut self.not_attempted,
            Bucket::Pending => &mut self.pending,
        }
    }
}

/// Where a chunk's final error puts its numbers, and whether the job must
/// stop (the same error would hit every later chunk). One rule, used by
/// `sendBulk` and by the campaign ledger.
pub fn error_effect(error: &ErrorInfo) -> (Bucket, bool) {
    let code = error.code.as_str();
    let status = error.status.map(u64::from);
    let bucket = if error.delivery != Delivery::NotSent {
        Bucket::Unknown
    } else if matches!(code, "NETWORK" | "ABORTED") || status == Some(429) {
        Bucket::NotAttempted
    } else {
        Bucket::Failed
    };
    let stop = error.ret_code.is_some_and(|c| CREDENTIAL_RET_CODES.contains(&c))
        || matches!(status, Some(401 | 403))
        || (code == "NETWORK" && bucket == Bucket::NotAttempted)
        || matches!(code, "CONFIG" | "INTERNAL");
    (bucket, stop)
}

pub struct Job {
    pub(crate) plan: Plan,
    pub(crate) bucket: Vec<Bucket>,
    pub(crate) reason: Vec<Option<String>>,
    pub(crate) chunks: Vec<ChunkRecord>,
    pub(crate) stopped: Option<ChunkError>,
    /// The counts `onProgress` is given after every chunk, kept as targets
    /// move between buckets: counted from the buckets each time, a job of
    /// n numbers in n/1000 chunks read n²/1000 buckets (10 million for
    /// 100,000 numbers, a billion for a million).
    tally: Counts,
}

impl Job {
    pub fn new(plan: Plan) -> Job {
        let n = plan.targets.len();
        let chunks = vec![ChunkRecord::default(); plan.chunks.len()];
        let tally = Counts { chunks_total: chunks.len(), pending: n, ..Counts::default() };
        Job { plan, bucket: vec![Bucket::Pending; n], reason: vec![None; n], chunks, stopped: None, tally }
    }

    pub fn plan(&self) -> &Plan {
        &self.plan
    }

    pub fn chunk_request(&self, index: usize) -> Option<SendBatchRequest> {
        self.plan.chunks.get(index).map(|c| chunk_request(&self.plan, c))
    }

    /// Why the job stopped early (bad credentials, server unreachable), if it did.
    pub fn stopped(&self) -> Option<&ChunkError> {
        self.stopped.as_ref()
    }

    pub(crate) fn members(&self, index: usize) -> Vec<usize> {
        self.plan.chunks.get(index).map(|c| c.members.clone()).unwrap_or_default()
    }

    fn set(&mut self, target: usize, bucket: Bucket, reason: Option<String>) {
        if let (Some(b), Some(r)) = (self.bucket.get_mut(target), self.reason.get_mut(target)) {
            let was = self.tally.of(*b);
            *was = was.saturating_sub(1);
            *self.tally.of(bucket) += 1;
            *b = bucket;
            *r = reason;
        }
    }

    fn record(&mut self, index: usize) -> Option<&mut ChunkRecord> {
        self.chunks.get_mut(index).filter(|r| !r.done)
    }

    /// Marks a chunk's record final.
    fn finish(&mut self, index: usize) -> Option<&mut ChunkRecord> {
        let record = self.chunks.get_mut(index).filter(|r| !r.done)?;
        record.done = true;
        self.tally.chunks_done += 1;
        Some(record)
    }

    /// Records a chunk's successful call (the `SendResult` the client got).
    pub fn record_result(
        &mut self,
        index: usize,
        parsed: &SendBatchResponse,
        request_id: Option<&str>,
    ) -> Result<(), String> {
        if self.record(index).is_none() {
            return Err(format!("chunk {index} is unknown or already recorded"));
        }
        let members = self.members(index);
        // Nothing failed (the common case): no matching needed.
        let none_failed = parsed.fail_content.iter().all(|t| t.target.is_empty());
        // Match each failed number to one still-unmatched member with the same
        // template and phone (a multiset match: repeats are counted, not merged).
        let keys: Vec<(&str, &str)> = if none_failed {
            Vec::new()
        } else {
            members
                .iter()
                .filter_map(|&m| self.plan.targets.get(m))
                .map(|t| (&*t.template_id, t.target.phone.as_str()))
                .collect()
        };
        // The same matching as sendBatch's: only numbers of this chunk, each once.
        let matching = crate::resend::match_failures(&keys, &parsed.fail_content);
        let unmatched = matching.unmatched;
        let mut taken = vec![false; members.len()];
        let mut failures: Vec<(usize, String)> = Vec::new();
        for ((i, j), slot) in matching.matched {
            let task = parsed.fail_content.get(i);
            let reason = task
                .and_then(|task| task.target.get(j))
                .and_then(|t| t.failure_details.clone())
                .or_else(|| task.and_then(|t| t.failure_details.clone()))
                .unwrap_or_else(|| crate::resend::UNSTATED_REASON.to_string());
            if let Some(flag) = taken.get_mut(slot) {
                *flag = true;
            }
            failures.push((slot, reason));
        }
        let failed = failures.len();
        let success = parsed.success_count;
        let size = members.len();
        let adds_up = unmatched == 0 && success as usize + failed == size;
        let mismatch = (!adds_up).then(|| {
            format!(
                "SuccessCount {success} + {failed} failed{} does not match the {size} numbers sent; \
                 numbers not listed as failed are reported as unknown",
                if unmatched > 0 {
                    format!(" (+{unmatched} failures that match no number sent)")
                } else {
                    String::new()
                }
            )
        });
        for (slot, &m) in members.iter().enumerate() {
            if !taken.get(slot).copied().unwrap_or(false) {
                let (bucket, reason) = if adds_up {
                    (Bucket::Accepted, None)
                } else {
                    (Bucket::Unknown, Some("the response's counts do not add up".to_string()))
                };
                self.set(m, bucket, reason);
            }
        }
        for (slot, reason) in failures {
            if let Some(&m) = members.get(slot) {
                self.set(m, Bucket::Failed, Some(reason));
            }
        }
        if let Some(record) = self.finish(index) {
            record.request_id = request_id.map(str::to_string).or_else(|| parsed.req_uuid.clone());
            record.session_no = parsed.session_no.clone();
            record.success_count = Some(success);
            record.failed_count = failed;
            record.mismatch = mismatch;
        }
        Ok(())
    }

    /// Records a chunk's final error. Returns whether the job must stop: the
    /// same error would hit every later chunk.
    pub fn record_error(&mut self, index: usize, error: &ErrorInfo) -> Result<bool, String> {
        if self.record(index).is_none() {
            return Err(format!("chunk {index} is unknown or already recorded"));
        }
        let code = error.code.as_str().to_string();
        let delivery = error.delivery.as_str().to_string();
        let message = error.message.clone();
        let (bucket, stop) = error_effect(error);
        let chunk_error = ChunkError { code, message: message.clone(), delivery };
        for m in self.members(index) {
            self.set(m, bucket, Some(message.clone()));
        }
        if let Some(record) = self.finish(index) {
            record.request_id = error.request_id.clone();
            record.attempts = error.attempts.map(u64::from);
            record.error = Some(chunk_error.clone());
        }
        if stop && self.stopped.is_none() {
            self.stopped = Some(chunk_error);
        }
        Ok(stop)
    }

    /// Marks a chunk that was never sent. `why` is `"aborted"` (the caller's
    /// signal), `"deadline"` (the job's deadline passed) or `"stopped"` (an
    /// earlier chunk's error stopped the job).
    pub fn record_not_attempted(&mut self, index: usize, why: &str) {
        if self.record(index).is_none() {
            return;
        }
        let (code, message) = match why {
            "aborted" => ("ABORTED", "not sent: the job was aborted".to_string()),
            "deadline" => ("DEADLINE", "not sent: the job's deadline passed".to_string()),
            _ => (
                "STOPPED",
                match &self.stopped {
                    Some(e) => format!("not sent: the job stopped after {} ({})", e.code, e.message),
                    None => "not sent: the job stopped".to_string(),
                },
            ),
        };
        if self.stopped.is_none() && code != "STOPPED" {
            self.stopped =
                Some(ChunkError { code: code.into(), message: message.clone(), delivery: "not_sent".into() });
        }
        let message = message.as_str();
        for m in self.members(index) {
            self.set(m, Bucket::NotAttempted, Some(message.to_string()));
        }
        if let Some(record) = self.finish(index) {
            record.error =
                Some(ChunkError { code: code.into(), message: message.into(), delivery: "not_sent".into() });
        }
    }

    pub fn counts(&self) -> Counts {
        self.tally
    }

    /// A request for the failed and not attempted numbers (and the unknown
    /// ones, only when asked), each with all its own fields.
    pub fn resend_request(&self, include_unknown: bool) -> Option<SendBatchRequest> {
        let wanted = |b: Bucket| {
            matches!(b, Bucket::Failed | Bucket::NotAttempted | Bucket::Pending)
                || (include_unknown && b == Bucket::Unknown)
        };
        let tasks = group_into_tasks(
            self.plan.targets.iter().zip(&self.bucket).filter(|(_, b)| wanted(**b)).map(|(t, _)| t),
        );
        (!tasks.is_empty())
            .then_some(SendBatchRequest { account_id: self.plan.account_id, task_content: tasks })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bulk::plan::{plan, PlanOptions};
    use crate::model::{FailedTarget, FailedTask, SendBatchRequest, Target, Task};

    /// The counts as they were computed before they were kept: from every bucket.
    fn recount(job: &Job) -> Counts {
        let mut c = Counts { chunks_total: job.chunks.len(), ..Counts::default() };
        c.chunks_done = job.chunks.iter().filter(|r| r.done).count();
        for &b in &job.bucket {
            *c.of(b) += 1;
        }
        c
    }

    #[test]
    fn kept_counts_match_the_buckets_after_every_record() {
        let targets = (0..50).map(|k| Target { phone: format!("(1)415{k:07}"), ..Target::default() });
        let task = Task { template_id: "T".into(), sender_id: None, target: targets.collect() };
        let request = SendBatchRequest { account_id: None, task_content: vec![task] };
        let mut job = Job::new(plan(request, &PlanOptions { chunk_size: 10, ..PlanOptions::default() }));
        assert_eq!(job.counts(), recount(&job));
        assert_eq!(job.counts().pending, 50);
        let refused = FailedTarget { phone: job.plan.targets[2].target.phone.clone(), ..Default::default() };
        let failed = FailedTask { template_id: "T".into(), target: vec![refused], ..Default::default() };
        let partly = SendBatchResponse { success_count: 9, fail_content: vec![failed], ..Default::default() };
        job.record_result(0, &partly, None).unwrap();
        assert_eq!(job.counts(), recount(&job));
        let timeout = ErrorInfo::new(crate::outcome::ErrorCode::Timeout, Delivery::Unknown, "t".into());
        job.record_error(1, &timeout).unwrap();
        assert_eq!(job.counts(), recount(&job));
        // Counts that do not add up: every number of the chunk is unknown.
        let short = SendBatchResponse { success_count: 3, ..Default::default() };
        job.record_result(2, &short, None).unwrap();
        assert_eq!(job.counts(), recount(&job));
        job.record_not_attempted(3, "deadline");
        // A chunk recorded twice is refused and changes nothing.
        assert!(job.record_result(3, &partly, None).is_err());
        job.record_not_attempted(0, "aborted");
        let c = job.counts();
        assert_eq!(c, recount(&job));
        assert_eq!(
            (c.accepted, c.failed, c.unknown, c.not_attempted, c.pending, c.chunks_done),
            (9, 1, 20, 10, 10, 4)
        );
    }
}
