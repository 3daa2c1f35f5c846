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
}

impl Job {
    pub fn new(plan: Plan) -> Job {
        let n = plan.targets.len();
        let chunks = vec![ChunkRecord::default(); plan.chunks.len()];
        Job { plan, bucket: vec![Bucket::Pending; n], reason: vec![None; n], chunks, stopped: None }
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
            *b = bucket;
            *r = reason;
        }
    }

    fn record(&mut self, index: usize) -> Option<&mut ChunkRecord> {
        self.chunks.get_mut(index).filter(|r| !r.done)
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
        if let Some(record) = self.record(index) {
            record.done = true;
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
        if let Some(record) = self.record(index) {
            record.done = true;
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
        if let Some(record) = self.record(index) {
            record.done = true;
            record.error =
                Some(ChunkError { code: code.into(), message: message.into(), delivery: "not_sent".into() });
        }
    }

    pub fn counts(&self) -> Counts {
        let mut c = Counts { chunks_total: self.chunks.len(), ..Counts::default() };
        c.chunks_done = self.chunks.iter().filter(|r| r.done).count();
        for b in &self.bucket {
            match b {
                Bucket::Accepted => c.accepted += 1,
                Bucket::Failed => c.failed += 1,
                Bucket::Unknown => c.unknown += 1,
                Bucket::NotAttempted => c.not_attempted += 1,
                Bucket::Pending => c.pending += 1,
            }
        }
        c
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
