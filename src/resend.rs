//! What to do with `FailContent`: a flat list of failed numbers with their
//! reasons, and a ready-to-send request for exactly those numbers.

use crate::model::{FailedTask, SendBatchRequest, Target, Task};
use serde::Serialize;

/// One number the API did not send, with the reason it gave.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS), ts(optional_fields, rename_all = "PascalCase"))]
pub struct FailedNumber {
    pub template_id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sender_id: Option<String>,
    pub phone: String,
    pub template_params: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub extend_code: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user_id: Option<String>,
    /// The number's own reason, else its template's, else a generic one.
    pub failure_details: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub invalid: Option<bool>,
}

/// Used when uSpeedo listed a number as failed without saying why.
pub const UNSTATED_REASON: &str = "listed in FailContent without a reason";

pub fn flatten(fail_content: &[FailedTask]) -> Vec<FailedNumber> {
    fail_content
        .iter()
        .flat_map(|task| {
            task.target.iter().map(move |t| FailedNumber {
                template_id: task.template_id.clone(),
                sender_id: task.sender_id.clone(),
                phone: t.phone.clone(),
                template_params: t.template_params.clone(),
                extend_code: t.extend_code.clone(),
                user_id: t.user_id.clone(),
                failure_details: t
                    .failure_details
                    .clone()
                    .or_else(|| task.failure_details.clone())
                    .unwrap_or_else(|| UNSTATED_REASON.to_string()),
                invalid: t.invalid,
            })
        })
        .collect()
}

/// A request that sends exactly the failed numbers again, each with its own
/// parameters, `ExtendCode` and `UserId`; `None` when nothing failed.
/// uSpeedo's failure list matched to the numbers sent: each failure to one
/// still-unmatched number with the same template and phone (a multiset
/// match: repeats are counted, not merged). `keys` are the (TemplateId,
/// phone) of the numbers sent, in their order.
pub struct Matching {
    /// (task, target) of each matched failure in `FailContent`, and the
    /// index in `keys` of the number it names.
    pub matched: Vec<((usize, usize), usize)>,
    /// Failures that name no number sent (or one more often than it was).
    pub unmatched: usize,
}

pub fn match_failures(keys: &[(&str, &str)], fail_content: &[FailedTask]) -> Matching {
    // Most answers name no failure: sorting 1,000 keys for nothing measured
    // 5.6 % of a 100,000-number sendBulk.
    if fail_content.iter().all(|task| task.target.is_empty()) {
        return Matching { matched: Vec::new(), unmatched: 0 };
    }
    let order = crate::order::sorted_indices(keys.len(), &|a, b| (keys.get(a), a).cmp(&(keys.get(b), b)));
    let sorted: Vec<(&str, &str)> = order.iter().filter_map(|&i| keys.get(i).copied()).collect();
    let mut taken = vec![false; keys.len()];
    let mut matching = Matching { matched: Vec::new(), unmatched: 0 };
    for (i, task) in fail_content.iter().enumerate() {
        for (j, t) in task.target.iter().enumerate() {
            let key = (task.template_id.as_str(), t.phone.as_str());
            let start = sorted.partition_point(|k| *k < key);
            let found = (start..sorted.len())
                .take_while(|&p| sorted.get(p) == Some(&key))
                .filter_map(|p| order.get(p).copied())
                .find(|&slot| taken.get(slot) == Some(&false));
            match found.and_then(|slot| taken.get_mut(slot).map(|flag| (slot, flag))) {
                Some((slot, flag)) => {
                    *flag = true;
                    matching.matched.push(((i, j), slot));
                }
                None => matching.unmatched += 1,
            }
        }
    }
    matching
}

/// The failures that name numbers of `sent`, each at most as often as it
/// was sent (uSpeedo's list is not trusted to match the request), and how
/// many did not.
pub fn matched(fail_content: &[FailedTask], sent: &SendBatchRequest) -> (Vec<FailedTask>, usize) {
    let keys: Vec<(&str, &str)> = sent
        .task_content
        .iter()
        .flat_map(|task| task.target.iter().map(move |t| (task.template_id.as_str(), t.phone.as_str())))
        .collect();
    let matching = match_failures(&keys, fail_content);
    let mut keep: Vec<Vec<bool>> = fail_content.iter().map(|t| vec![false; t.target.len()]).collect();
    for ((i, j), _) in &matching.matched {
        if let Some(flag) = keep.get_mut(*i).and_then(|task| task.get_mut(*j)) {
            *flag = true;
        }
    }
    let kept = fail_content
        .iter()
        .zip(keep)
        .filter_map(|(task, keep)| {
            let target: Vec<_> =
                task.target.iter().zip(keep).filter(|(_, k)| *k).map(|(t, _)| t.clone()).collect();
            (!target.is_empty()).then(|| FailedTask { target, ..task.clone() })
        })
        .collect();
    (kept, matching.unmatched)
}

pub fn resend_request(fail_content: &[FailedTask], account_id: Option<u64>) -> Option<SendBatchRequest> {
    let task_content: Vec<Task> = fail_content
        .iter()
        .filter(|task| !task.target.is_empty())
        .map(|task| Task {
            template_id: task.template_id.clone(),
            sender_id: task.sender_id.clone(),
            target: task
                .target
                .iter()
                .map(|t| Target {
                    phone: t.phone.clone(),
                    template_params: t.template_params.clone(),
                    sender_id: None,
                    extend_code: t.extend_code.clone(),
                    user_id: t.user_id.clone(),
                })
                .collect(),
        })
        .collect();
    (!task_content.is_empty()).then_some(SendBatchRequest { account_id, task_content })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::FailedTarget;

    #[test]
    fn only_numbers_of_the_request_each_once_are_kept() {
        let sent = SendBatchRequest {
            account_id: None,
            task_content: vec![Task {
                template_id: "T1".into(),
                sender_id: None,
                target: vec![Target {
                    phone: "(86)13800000000".into(),
                    template_params: vec![],
                    sender_id: None,
                    extend_code: None,
                    user_id: None,
                }],
            }],
        };
        let mut listed = failures();
        let first = listed[0].target[0].clone();
        listed[0].target.extend([first.clone(), first]);
        let (kept, unmatched) = matched(&listed, &sent);
        assert_eq!(kept.len(), 1);
        assert_eq!(kept[0].target.len(), 1);
        let all: usize = listed.iter().map(|t| t.target.len()).sum();
        assert_eq!(unmatched, all - 1);
    }

    fn failures() -> Vec<FailedTask> {
        vec![
            FailedTask {
                template_id: "T1".into(),
                sender_id: Some("S".into()),
                failure_details: None,
                target: vec![FailedTarget {
                    phone: "(86)13800000000".into(),
                    template_params: vec!["1".into()],
                    extend_code: Some("77".into()),
                    user_id: Some("u1".into()),
                    failure_details: Some("phone in the black list".into()),
                    invalid: Some(false),
                }],
            },
            FailedTask {
                template_id: "T2".into(),
                sender_id: None,
                failure_details: Some("template not exist".into()),
                target: vec![FailedTarget { phone: "5550100".into(), ..Default::default() }],
            },
            FailedTask { template_id: "T3".into(), ..Default::default() },
        ]
    }

    #[test]
    fn flat_list_carries_the_best_reason() {
        let flat = flatten(&failures());
        assert_eq!(flat.len(), 2);
        assert_eq!(flat[0].failure_details, "phone in the black list");
        assert_eq!(flat[1].failure_details, "template not exist");
        assert_eq!(flat[1].template_id, "T2");
    }

    #[test]
    fn resend_keeps_each_numbers_fields() {
        let req = resend_request(&failures(), Some(7)).unwrap();
        assert_eq!(req.account_id, Some(7));
        assert_eq!(req.task_content.len(), 2);
        let t = &req.task_content[0].target[0];
        assert_eq!((t.extend_code.as_deref(), t.user_id.as_deref()), (Some("77"), Some("u1")));
        assert_eq!(t.template_params, vec!["1".to_string()]);
        assert!(resend_request(&[], None).is_none());
    }
}
