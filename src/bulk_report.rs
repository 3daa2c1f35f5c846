//! The bulk report as JSON: totals, the four buckets (with each target's
//! path, chunk and reason), duplicates, per-chunk records, SessionNos, why
//! the job stopped, and the resend request.

use crate::bulk::{Bucket, ChunkError, ChunkRecord, Counts, Job};
use crate::json::{ObjectWriter, ToJson};
use crate::plan::PlannedTarget;

impl Job {
    fn chunk_of(&self) -> Vec<usize> {
        let mut of = vec![0; self.plan.targets.len()];
        for chunk in &self.plan.chunks {
            for &m in &chunk.members {
                if let Some(slot) = of.get_mut(m) {
                    *slot = chunk.index;
                }
            }
        }
        of
    }

    /// The whole account, as JSON.
    pub fn report_json(&self, include_unknown: bool) -> String {
        let counts = self.counts();
        let chunk_of = self.chunk_of();
        let mut out = String::with_capacity(self.plan.targets.len() * 80 + 1024);
        let mut o = ObjectWriter::new(&mut out);
        o.field(
            "totals",
            &Totals { counts, targets: self.bucket.len(), duplicates: self.plan.duplicates.len() },
        );
        for (key, bucket) in [
            ("accepted", Bucket::Accepted),
            ("failed", Bucket::Failed),
            ("unknown", Bucket::Unknown),
            ("notAttempted", Bucket::NotAttempted),
        ] {
            let entries: Vec<Entry> = self
                .plan
                .targets
                .iter()
                .enumerate()
                .filter(|(i, _)| {
                    let b = self.bucket.get(*i).copied().unwrap_or(Bucket::Pending);
                    b == bucket || (bucket == Bucket::NotAttempted && b == Bucket::Pending)
                })
                .map(|(i, t)| Entry {
                    target: t,
                    chunk: chunk_of.get(i).copied().unwrap_or(0),
                    reason: self.reason.get(i).and_then(Option::as_deref),
                })
                .collect();
            o.field(key, &entries);
        }
        let duplicates: Vec<Duplicate> = self
            .plan
            .duplicates
            .iter()
            .map(|(at, kept)| Duplicate { path: at.path(), kept: kept.path() })
            .collect();
        o.field("duplicates", &duplicates);
        let chunks: Vec<ChunkJson> = self
            .chunks
            .iter()
            .enumerate()
            .map(|(index, record)| ChunkJson { index, job: self, record })
            .collect();
        o.field("chunks", &chunks);
        let sessions: Vec<&String> = self.chunks.iter().filter_map(|r| r.session_no.as_ref()).collect();
        o.field("sessionNos", &sessions);
        o.field("stoppedBy", &self.stopped.as_ref().map(ErrorJson));
        o.field("resendRequest", &self.resend_request(include_unknown));
        o.end();
        out
    }
}

struct Totals {
    counts: Counts,
    targets: usize,
    duplicates: usize,
}

impl ToJson for Counts {
    fn write_json(&self, out: &mut String) {
        let mut o = ObjectWriter::new(out);
        o.field("chunksDone", &self.chunks_done)
            .field("chunksTotal", &self.chunks_total)
            .field("accepted", &self.accepted)
            .field("failed", &self.failed)
            .field("unknown", &self.unknown)
            .field("notAttempted", &self.not_attempted)
            .field("pending", &self.pending);
        o.end();
    }
}

impl ToJson for Totals {
    fn write_json(&self, out: &mut String) {
        let c = self.counts;
        let mut o = ObjectWriter::new(out);
        o.field("targets", &(self.targets + self.duplicates))
            .field("sent", &self.targets)
            .field("accepted", &c.accepted)
            .field("failed", &c.failed)
            .field("unknown", &c.unknown)
            // Nothing is pending once the job is over; were anything left
            // undecided it would not have been sent, so it counts here.
            .field("notAttempted", &(c.not_attempted + c.pending))
            .field("duplicatesDropped", &self.duplicates)
            .field("chunks", &c.chunks_total);
        o.end();
    }
}

struct Entry<'a> {
    target: &'a PlannedTarget,
    chunk: usize,
    reason: Option<&'a str>,
}

impl ToJson for Entry<'_> {
    fn write_json(&self, out: &mut String) {
        let t = self.target;
        let mut o = ObjectWriter::new(out);
        o.field("path", &t.at.path())
            .field("TemplateId", &t.template_id)
            .field("Phone", &t.target.phone)
            .optional("UserId", &t.target.user_id)
            .field("chunk", &self.chunk)
            .optional("reason", &self.reason);
        o.end();
    }
}

struct Duplicate {
    path: String,
    kept: String,
}

impl ToJson for Duplicate {
    fn write_json(&self, out: &mut String) {
        let mut o = ObjectWriter::new(out);
        o.field("path", &self.path).field("duplicateOf", &self.kept);
        o.end();
    }
}

struct ErrorJson<'a>(&'a ChunkError);

impl ToJson for ErrorJson<'_> {
    fn write_json(&self, out: &mut String) {
        let mut o = ObjectWriter::new(out);
        o.field("code", &self.0.code).field("message", &self.0.message).field("delivery", &self.0.delivery);
        o.end();
    }
}

struct ChunkJson<'a> {
    index: usize,
    job: &'a Job,
    record: &'a ChunkRecord,
}

impl ToJson for ChunkJson<'_> {
    fn write_json(&self, out: &mut String) {
        let r = self.record;
        let members = self.job.members(self.index);
        let buckets: Vec<Bucket> = members.iter().filter_map(|&m| self.job.bucket.get(m).copied()).collect();
        let all = |b: Bucket| buckets.iter().all(|x| *x == b);
        let status = if !r.done {
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
        };
        let mut o = ObjectWriter::new(out);
        o.field("index", &self.index)
            .field("status", &status)
            .field("targets", &members.len())
            .field("requestId", &r.request_id)
            .field("SessionNo", &r.session_no)
            .field("SuccessCount", &r.success_count)
            .field("failed", &r.failed_count)
            .field("error", &r.error.as_ref().map(ErrorJson))
            .field("mismatch", &r.mismatch)
            .field("attempts", &r.attempts);
        o.end();
    }
}
