//! The targets a campaign's plan sorts out before anything is sent: those
//! on the `suppress` list and (with `dedupe`) the repeats. They are in no
//! chunk, so the ledger keeps them beside the chunks (`dropped:<i>`), in
//! parts no larger than a chunk may be, and the report puts them back into
//! the plan it replays: `sendBulk`'s `suppressed` and `duplicates` buckets
//! come out of the same code for both.

use crate::bulk::plan::{Plan, PlannedTarget, Position};
use crate::model::Target;
use serde::{Deserialize, Serialize};

/// A suppressed target as the report shows it: (task, target, TemplateId,
/// Phone, UserId). Its parameters are not kept: nothing is ever sent to it.
type Held = (usize, usize, String, String, Option<String>);
/// A repeat: (task, target) of the dropped line and of the line kept.
type Repeat = (usize, usize, usize, usize);

/// One stored value of sorted-out targets, in input order.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct DroppedPart {
    #[serde(default, rename = "s", skip_serializing_if = "Vec::is_empty")]
    pub suppressed: Vec<Held>,
    #[serde(default, rename = "d", skip_serializing_if = "Vec::is_empty")]
    pub duplicates: Vec<Repeat>,
}

/// Bytes one item adds to a part: its JSON and a comma.
fn size<T: Serialize>(item: &T) -> usize {
    serde_json::to_vec(item).map_or(usize::MAX / 4, |v| v.len()) + 1
}

/// The plan's sorted-out targets in parts of at most `max_bytes` of JSON
/// (each item's real size is counted, so the bound holds exactly).
pub fn parts(plan: &Plan, max_bytes: usize) -> Result<Vec<DroppedPart>, String> {
    // `{"s":[],"d":[]}` around the items.
    const FRAME: usize = 16;
    let mut out: Vec<DroppedPart> = Vec::new();
    let mut current = DroppedPart::default();
    let mut bytes = FRAME;
    let mut push = |current: &mut DroppedPart, bytes: &mut usize, n: usize| -> Result<(), String> {
        if n + FRAME > max_bytes {
            return Err(format!(
                "a sorted-out target is {n} bytes, over the {max_bytes}-byte limit of a stored value"
            ));
        }
        if *bytes + n > max_bytes {
            out.push(std::mem::take(current));
            *bytes = FRAME;
        }
        *bytes += n;
        Ok(())
    };
    for t in &plan.suppressed {
        let item: Held = (
            t.at.task,
            t.at.target,
            t.template_id.to_string(),
            t.target.phone.clone(),
            t.target.user_id.clone(),
        );
        push(&mut current, &mut bytes, size(&item))?;
        current.suppressed.push(item);
    }
    for (at, kept) in &plan.duplicates {
        let item: Repeat = (at.task, at.target, kept.task, kept.target);
        push(&mut current, &mut bytes, size(&item))?;
        current.duplicates.push(item);
    }
    if current != DroppedPart::default() {
        out.push(current);
    }
    Ok(out)
}

/// The plan's `suppressed` and `duplicates` back from the stored parts.
pub fn restore(plan: &mut Plan, parts: &[DroppedPart]) {
    for part in parts {
        plan.suppressed.extend(part.suppressed.iter().map(|(task, target, template_id, phone, user_id)| {
            PlannedTarget {
                at: Position { task: *task, target: *target },
                template_id: template_id.as_str().into(),
                sender_id: None,
                target: Target { phone: phone.clone(), user_id: user_id.clone(), ..Target::default() },
            }
        }));
        plan.duplicates.extend(
            part.duplicates.iter().map(|&(task, target, kt, ki)| {
                (Position { task, target }, Position { task: kt, target: ki })
            }),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bulk::plan::{plan, PlanOptions};
    use crate::model::{SendBatchRequest, Task};

    /// 300 lines: every third repeats the one before it; numbers ending in 7 are suppressed.
    fn request() -> SendBatchRequest {
        let target = |j: usize| Target {
            phone: format!("(1)415{:07}", j - usize::from(j % 3 == 2)),
            user_id: Some(format!("u{j}")),
            ..Target::default()
        };
        SendBatchRequest {
            account_id: None,
            task_content: vec![Task {
                template_id: "T".into(),
                sender_id: None,
                target: (0..300).map(target).collect(),
            }],
        }
    }

    #[test]
    fn parts_are_bounded_and_come_back_in_order() {
        let suppress = (0..300).filter(|j| j % 10 == 7).map(|j| format!("(1)415{j:07}")).collect();
        let p = plan(request(), &PlanOptions { dedupe: true, suppress, ..PlanOptions::default() });
        assert!(!p.suppressed.is_empty() && !p.duplicates.is_empty());
        let stored = parts(&p, 1_000).unwrap();
        assert!(stored.len() > 1, "{} parts", stored.len());
        for part in &stored {
            assert!(serde_json::to_vec(part).unwrap().len() <= 1_000);
        }
        let mut back = Plan { suppressed: Vec::new(), duplicates: Vec::new(), ..p.clone() };
        let texts: Vec<String> = stored.iter().map(|s| serde_json::to_string(s).unwrap()).collect();
        let read: Vec<DroppedPart> = texts.iter().map(|t| serde_json::from_str(t).unwrap()).collect();
        restore(&mut back, &read);
        assert_eq!(back.duplicates, p.duplicates);
        let held = |p: &Plan| {
            p.suppressed
                .iter()
                .map(|t| (t.at, t.target.phone.clone(), t.target.user_id.clone()))
                .collect::<Vec<_>>()
        };
        assert_eq!(held(&back), held(&p));
        assert!(parts(&plan(request(), &PlanOptions::default()), 1_000).unwrap().is_empty());
    }

    /// The campaign's report, through the ledger's text steps, is the one
    /// sendBulk's accounting gives for the same plan and answers.
    #[test]
    fn a_campaigns_report_has_sendbulks_buckets() {
        use crate::bulk::job::Job;
        use crate::campaign::api::{self, LedgerSettings, Texts};
        use crate::campaign::plan::plan_job;
        use crate::model::SendBatchResponse;
        let suppress = (0..300).filter(|j| j % 10 == 7).map(|j| format!("(1)415{j:07}")).collect();
        let p = plan(
            request(),
            &PlanOptions { chunk_size: 10, dedupe: true, suppress, ..PlanOptions::default() },
        );
        let job = plan_job(&p, "j", 10, 1_300).unwrap();
        assert_eq!(job.chunks.len(), p.chunks.len());
        assert!(job.dropped.len() > 1, "the sorted-out targets take several values");
        assert_eq!(job.input_targets(), 300);
        let settings =
            LedgerSettings { interval_ms: 0.0, claim_timeout_ms: 0.0, resend_unknown: false, track: None };
        let records = api::create(&job, settings).unwrap();
        let mut bulk = Job::new(p.clone());
        let mut meta = records.meta;
        let mut states = Vec::new();
        for (i, c) in records.chunks.iter().enumerate() {
            let size = job.chunks[i].request.target_count() as u64;
            let response = SendBatchResponse {
                success_count: size,
                session_no: Some(format!("S{i}")),
                ..Default::default()
            };
            bulk.record_result(i, &response, None).unwrap();
            let claim = api::claim(&meta, &c.state, &c.key, 0.0).unwrap();
            let outcome =
                serde_json::json!({ "result": { "response": response, "requestId": null } }).to_string();
            let step = api::record(&claim.meta, &claim.state, 1, &outcome).unwrap();
            meta = step.meta;
            states.push(step.state);
        }
        let chunks: Vec<String> = records.chunks.iter().map(|c| c.chunk.clone()).collect();
        let dropped: Vec<String> = records.dropped.into_iter().map(|d| d.text).collect();
        let texts = Texts {
            meta: &meta,
            chunks: &chunks,
            states: &states,
            dropped: &dropped,
            deliveries: &[],
            tracking: None,
        };
        let got = api::with_report(&texts, 0.0, false, |r| serde_json::to_value(&r.report).unwrap()).unwrap();
        let expected = serde_json::to_value(bulk.report(false)).unwrap();
        assert_eq!(got, expected);
        let t = &got["totals"];
        assert_eq!(t["targets"], 300);
        assert_eq!(
            t["accepted"].as_u64().unwrap()
                + t["duplicatesDropped"].as_u64().unwrap()
                + t["suppressed"].as_u64().unwrap(),
            300
        );
        assert_eq!(got["duplicates"][0]["duplicateOf"], "TaskContent[0].Target[1]");
    }
}
