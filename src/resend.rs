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
/// The failures that name numbers of `sent`, each at most as often as it
/// was sent (uSpeedo's list is not trusted to match the request), and how
/// many did not.
pub fn matched(fail_content: &[FailedTask], sent: &SendBatchRequest) -> (Vec<FailedTask>, usize) {
    // (TemplateId, phone) of every number sent, sorted; `used` marks the
    // ones a failure has matched, so a repeat matches only a repeat.
    let mut keys: Vec<(&str, &str)> = sent
        .task_content
        .iter()
        .flat_map(|task| task.target.iter().map(move |t| (task.template_id.as_str(), t.phone.as_str())))
        .collect();
    keys.sort_unstable();
    let mut used = vec![false; keys.len()];
    let mut unmatched = 0;
    let mut kept = Vec::new();
    for task in fail_content {
        let mut task = task.clone();
        let template_id = task.template_id.clone();
        task.target.retain(|t| {
            let key = (template_id.as_str(), t.phone.as_str());
            let start = keys.partition_point(|k| *k < key);
            let free = (start..keys.len())
                .take_while(|&i| keys.get(i) == Some(&key))
                .find(|&i| used.get(i) == Some(&false));
            match free.and_then(|i| used.get_mut(i)) {
                Some(flag) => {
                    *flag = true;
                    true
                }
                None => {
                    unmatched += 1;
                    false
                }
            }
        });
        if !task.target.is_empty() {
            kept.push(task);
        }
    }
    (kept, unmatched)
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
