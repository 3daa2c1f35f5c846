//! A campaign's plan: the validated input cut into chunks of at most
//! `chunkSize` numbers *and* at most `max_chunk_bytes` of stored JSON, so a
//! chunk fits one Queue message and one Durable Object storage value.
//! Each chunk gets a stable key (job id, index, hash of its request): the
//! same input and job id give the same chunks and keys.

use super::dropped::DroppedPart;
use crate::bulk::plan::{chunk_request, Chunk, Plan, PlannedTarget, Position};
use crate::model::SendBatchRequest;
use serde::{Deserialize, Serialize};
use sha1::{Digest, Sha1};

/// Queue messages and (KV-backed) Durable Object values are limited to
/// 128 KiB; this leaves room for the message envelope and the JSON a
/// runtime adds around a stored string.
pub const DEFAULT_MAX_CHUNK_BYTES: usize = 120_000;
/// Below this a chunk could not even hold one ordinary target.
pub const MIN_CHUNK_BYTES: usize = 1_000;

/// One chunk as stored in the ledger (and, if a user wants, as a message):
/// the request to send and where each of its targets was in the input.
/// It holds no key or signature: it is signed when sent.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ChunkData {
    pub job_id: String,
    pub index: usize,
    pub key: String,
    pub request: SendBatchRequest,
    /// (task, target) of each target of `request`, in its order.
    pub at: Vec<(usize, usize)>,
}

/// What the producer learns from planning: the chunks, ready to store.
#[derive(Debug, Clone)]
pub struct JobPlan {
    pub job_id: String,
    pub account_id: Option<u64>,
    /// Targets in the chunks (to be sent).
    pub targets: usize,
    pub chunks: Vec<ChunkData>,
    /// The suppressed targets and repeats, as the ledger stores them.
    pub dropped: Vec<DroppedPart>,
}

impl JobPlan {
    /// Every input target: in a chunk, suppressed or a dropped repeat.
    pub fn input_targets(&self) -> usize {
        self.targets + self.dropped.iter().map(|d| d.suppressed.len() + d.duplicates.len()).sum::<usize>()
    }
}

/// `{job_id}:{index}:{first 16 hex digits of SHA-1 of the request JSON}`.
pub fn chunk_key(job_id: &str, index: usize, request_json: &[u8]) -> String {
    let digest = Sha1::digest(request_json);
    let hex: String = digest.iter().take(8).map(|b| format!("{b:02x}")).collect();
    format!("{job_id}:{index}:{hex}")
}

/// Serialised size of one target inside a chunk, over-estimated a little:
/// its JSON, a comma and its position pair (`[task,target],`).
fn target_bytes(t: &PlannedTarget) -> usize {
    serde_json::to_vec(&t.target).map_or(0, |v| v.len()) + 1 + 24
}

/// A task entry's own bytes (`{"TemplateId":..,"SenderId":..,"Target":[]}`).
fn task_bytes(t: &PlannedTarget) -> usize {
    t.template_id.len() + t.sender_id.as_ref().map_or(0, |s| s.len()) + 64
}

/// Cuts the plan's targets (in input order) into chunks bounded by count
/// and by estimated bytes; [`finish`] checks the real size.
fn cut(targets: &[PlannedTarget], chunk_size: usize, budget: usize) -> Vec<Vec<usize>> {
    let mut chunks: Vec<Vec<usize>> = Vec::new();
    let mut current: Vec<usize> = Vec::new();
    let mut bytes = 0;
    let mut last_task = None;
    for (i, t) in targets.iter().enumerate() {
        let mut size = target_bytes(t);
        if last_task != Some(t.at.task) || current.is_empty() {
            size += task_bytes(t);
        }
        if !current.is_empty() && (current.len() >= chunk_size || bytes + size > budget) {
            chunks.push(std::mem::take(&mut current));
            bytes = 0;
            size = target_bytes(t) + task_bytes(t);
        }
        current.push(i);
        bytes += size;
        last_task = Some(t.at.task);
    }
    if !current.is_empty() {
        chunks.push(current);
    }
    chunks
}

/// Makes the stored chunks, halving any whose real JSON is over the limit
/// (the estimate should prevent it; this makes the bound a guarantee).
fn finish(
    plan: &Plan,
    job_id: &str,
    groups: Vec<Vec<usize>>,
    max_bytes: usize,
) -> Result<Vec<ChunkData>, String> {
    let mut out: Vec<ChunkData> = Vec::new();
    let mut todo: Vec<Vec<usize>> = groups.into_iter().rev().collect();
    while let Some(members) = todo.pop() {
        let index = out.len();
        let data = chunk_data(plan, job_id, index, &members)?;
        let size = serde_json::to_vec(&data).map_err(|e| e.to_string())?.len();
        if size <= max_bytes {
            out.push(data);
            continue;
        }
        if members.len() < 2 {
            let path = members.first().and_then(|&m| plan.targets.get(m)).map(|t| t.at.path());
            return Err(format!(
                "{} alone is {size} bytes as a chunk, over the {max_bytes}-byte limit of a queue message",
                path.unwrap_or_default()
            ));
        }
        let (a, b) = members.split_at(members.len() / 2);
        todo.push(b.to_vec());
        todo.push(a.to_vec());
    }
    Ok(out)
}

fn chunk_data(plan: &Plan, job_id: &str, index: usize, members: &[usize]) -> Result<ChunkData, String> {
    let request = chunk_request(plan, &Chunk { index, members: members.to_vec() });
    let json = serde_json::to_vec(&request).map_err(|e| e.to_string())?;
    let at = members.iter().filter_map(|&m| plan.targets.get(m)).map(|t| (t.at.task, t.at.target)).collect();
    Ok(ChunkData { job_id: job_id.to_string(), index, key: chunk_key(job_id, index, &json), request, at })
}

/// The job for an already validated plan (see `bulk::session::make_plan`).
pub fn plan_job(plan: &Plan, job_id: &str, chunk_size: usize, max_bytes: usize) -> Result<JobPlan, String> {
    let chunk_size = chunk_size.clamp(1, crate::model::MAX_TARGETS_PER_REQUEST);
    let max_bytes = max_bytes.max(MIN_CHUNK_BYTES);
    // The estimate aims under the limit so halving is rare.
    let groups = cut(&plan.targets, chunk_size, max_bytes.saturating_sub(512));
    let chunks = finish(plan, job_id, groups, max_bytes)?;
    Ok(JobPlan {
        job_id: job_id.to_string(),
        account_id: plan.account_id,
        targets: plan.targets.len(),
        chunks,
        // Sorted out now, as sendBulk's plan does: never in a chunk, kept
        // for the report in values bounded like the chunks.
        dropped: super::dropped::parts(plan, max_bytes)?,
    })
}

/// The bulk plan back from stored chunks (in index order) and sorted-out
/// targets: the report's accounting (`bulk::job::Job`) runs over it exactly
/// as `sendBulk`'s does.
pub fn plan_from_chunks(account_id: Option<u64>, chunks: &[ChunkData], dropped: &[DroppedPart]) -> Plan {
    let mut targets = Vec::new();
    let mut plan_chunks = Vec::new();
    for (index, chunk) in chunks.iter().enumerate() {
        let start = targets.len();
        let mut at = chunk.at.iter();
        for task in &chunk.request.task_content {
            let template_id: std::rc::Rc<str> = task.template_id.as_str().into();
            let sender_id: Option<std::rc::Rc<str>> = task.sender_id.as_deref().map(Into::into);
            for target in &task.target {
                let (t, i) = at.next().copied().unwrap_or((0, 0));
                targets.push(PlannedTarget {
                    at: Position { task: t, target: i },
                    template_id: std::rc::Rc::clone(&template_id),
                    sender_id: sender_id.clone(),
                    target: target.clone(),
                });
            }
        }
        plan_chunks.push(Chunk { index, members: (start..targets.len()).collect() });
    }
    let mut plan =
        Plan { account_id, targets, chunks: plan_chunks, duplicates: Vec::new(), suppressed: Vec::new() };
    super::dropped::restore(&mut plan, dropped);
    plan
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bulk::plan::{plan, PlanOptions};
    use crate::model::{Target, Task};

    pub(crate) fn request(sizes: &[usize], param_len: usize) -> SendBatchRequest {
        SendBatchRequest {
            account_id: Some(7),
            task_content: sizes
                .iter()
                .enumerate()
                .map(|(i, &n)| Task {
                    template_id: format!("T{i}"),
                    sender_id: None,
                    target: (0..n)
                        .map(|j| Target {
                            phone: format!("(1)415{:07}", j),
                            template_params: vec!["x".repeat(param_len)],
                            ..Default::default()
                        })
                        .collect(),
                })
                .collect(),
        }
    }

    #[test]
    fn same_input_same_chunks_and_keys() {
        let p = plan(request(&[2500, 3], 5), &PlanOptions::default());
        let a = plan_job(&p, "job1", 1000, DEFAULT_MAX_CHUNK_BYTES).unwrap();
        let b = plan_job(&p, "job1", 1000, DEFAULT_MAX_CHUNK_BYTES).unwrap();
        assert_eq!(a.chunks, b.chunks);
        let sizes: Vec<usize> = a.chunks.iter().map(|c| c.request.target_count()).collect();
        assert_eq!(sizes, vec![1000, 1000, 503]);
        assert!(a.chunks[2].key.starts_with("job1:2:"));
        let other = plan_job(&p, "job2", 1000, DEFAULT_MAX_CHUNK_BYTES).unwrap();
        assert_ne!(other.chunks[0].key, a.chunks[0].key);
    }

    #[test]
    fn long_parameters_are_split_under_the_byte_limit() {
        // 1000 numbers with 300-character parameters: ~330 KB in one request.
        let p = plan(request(&[1000], 300), &PlanOptions::default());
        let job = plan_job(&p, "j", 1000, DEFAULT_MAX_CHUNK_BYTES).unwrap();
        assert!(job.chunks.len() >= 3, "{} chunks", job.chunks.len());
        for c in &job.chunks {
            assert!(serde_json::to_vec(c).unwrap().len() <= DEFAULT_MAX_CHUNK_BYTES);
        }
        let total: usize = job.chunks.iter().map(|c| c.request.target_count()).sum();
        assert_eq!(total, 1000);
        // A tight bound the estimate misses still holds: chunks are halved.
        let job = plan_job(&p, "j", 1000, 5_000).unwrap();
        assert!(job.chunks.iter().all(|c| serde_json::to_vec(c).unwrap().len() <= 5_000));
    }

    #[test]
    fn a_target_too_large_for_any_chunk_is_refused() {
        let p = plan(request(&[1], 3_000), &PlanOptions::default());
        let err = plan_job(&p, "j", 1000, 1_000).unwrap_err();
        assert!(err.contains("TaskContent[0].Target[0]"), "{err}");
    }

    #[test]
    fn the_plan_comes_back_from_stored_chunks_in_input_order() {
        let p = plan(request(&[1500, 2, 700], 1), &PlanOptions::default());
        let job = plan_job(&p, "j", 1000, DEFAULT_MAX_CHUNK_BYTES).unwrap();
        let back = plan_from_chunks(p.account_id, &job.chunks, &job.dropped);
        let paths =
            |p: &Plan| p.targets.iter().map(|t| (t.at.path(), t.target.phone.clone())).collect::<Vec<_>>();
        assert_eq!(paths(&back), paths(&p));
        assert_eq!(back.chunks.len(), job.chunks.len());
    }
}
