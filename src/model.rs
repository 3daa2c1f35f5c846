//! The `SendBatchUSMSMessage` request and response, with uSpeedo's own
//! PascalCase field names on the wire and in JS. Absent optional fields are
//! omitted when written, as the API documents.

use serde::{Deserialize, Serialize};

pub const SEND_BATCH_ACTION: &str = "SendBatchUSMSMessage";

/// At most this many numbers in one `SendBatchUSMSMessage` (documented limit).
pub const MAX_TARGETS_PER_REQUEST: usize = 1000;

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS), ts(optional_fields, rename_all = "PascalCase"))]
pub struct SendBatchRequest {
    /// Optional: an account has a default service account.
    #[cfg_attr(feature = "typescript", ts(as = "Option<f64>"))]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub account_id: Option<u64>,
    pub task_content: Vec<Task>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS), ts(optional_fields, rename_all = "PascalCase"))]
pub struct Task {
    pub template_id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sender_id: Option<String>,
    pub target: Vec<Target>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS), ts(optional_fields, rename_all = "PascalCase"))]
pub struct Target {
    pub phone: String,
    /// The template's `{1}`, `{2}`, ... in order. Omitted on the wire when
    /// empty: the docs say a template without variables takes none.
    #[cfg_attr(feature = "typescript", ts(as = "Option<Vec<String>>"))]
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub template_params: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sender_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub extend_code: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user_id: Option<String>,
}

impl SendBatchRequest {
    pub fn target_count(&self) -> usize {
        self.task_content.iter().map(|t| t.target.len()).sum()
    }

    /// The request as a view, as it is serialised and signed.
    pub fn view(&self) -> RequestView<'_> {
        let task_content = self
            .task_content
            .iter()
            .map(|task| TaskView {
                template_id: &task.template_id,
                sender_id: task.sender_id.as_deref(),
                target: task.target.iter().collect(),
            })
            .collect();
        RequestView { account_id: self.account_id, task_content }
    }
}

/// A request whose targets are borrowed, written and signed exactly as a
/// [`SendBatchRequest`] is. A bulk chunk is one of these over the plan's
/// targets: made as an owned request, each chunk cloned its 1,000 targets
/// (a third of preparing a chunk natively, by callgrind) only to serialise
/// them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct RequestView<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub account_id: Option<u64>,
    pub task_content: Vec<TaskView<'a>>,
}

/// A [`Task`] over borrowed targets; the same fields in the same order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct TaskView<'a> {
    pub template_id: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sender_id: Option<&'a str>,
    pub target: Vec<&'a Target>,
}

impl TaskView<'_> {
    /// The task with its targets copied.
    pub fn to_task(&self) -> Task {
        Task {
            template_id: self.template_id.to_string(),
            sender_id: self.sender_id.map(str::to_string),
            target: self.target.iter().map(|&t| t.clone()).collect(),
        }
    }
}

/// The parsed answer to `SendBatchUSMSMessage`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS), ts(optional_fields, rename_all = "PascalCase"))]
pub struct SendBatchResponse {
    #[cfg_attr(feature = "typescript", ts(type = "number"))]
    pub ret_code: i64,
    pub action: String,
    pub message: String,
    /// Present when at least one SMS was accepted; the key for receipts.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub session_no: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub req_uuid: Option<String>,
    #[cfg_attr(feature = "typescript", ts(type = "number"))]
    pub success_count: u64,
    pub fail_content: Vec<FailedTask>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS), ts(optional_fields, rename_all = "PascalCase"))]
pub struct FailedTask {
    pub template_id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sender_id: Option<String>,
    /// Set when the whole template / SenderId check failed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub failure_details: Option<String>,
    pub target: Vec<FailedTarget>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS), ts(optional_fields, rename_all = "PascalCase"))]
pub struct FailedTarget {
    pub phone: String,
    pub template_params: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub extend_code: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user_id: Option<String>,
    /// Per-number reason; empty when the batch-level check failed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub failure_details: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub invalid: Option<bool>,
}
