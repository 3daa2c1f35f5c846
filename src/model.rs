//! The `SendBatchUSMSMessage` request and response, with uSpeedo's own
//! PascalCase field names on the wire and in JS. Absent optional fields are
//! omitted when written, as the API documents.

use crate::json::{ObjectWriter, ToJson};

pub const SEND_BATCH_ACTION: &str = "SendBatchUSMSMessage";

/// At most this many numbers in one `SendBatchUSMSMessage` (documented limit).
pub const MAX_TARGETS_PER_REQUEST: usize = 1000;

#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS), ts(optional_fields, rename_all = "PascalCase"))]
pub struct SendBatchRequest {
    /// Optional: an account has a default service account.
    #[cfg_attr(feature = "typescript", ts(as = "Option<f64>"))]
    pub account_id: Option<u64>,
    pub task_content: Vec<Task>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS), ts(optional_fields, rename_all = "PascalCase"))]
pub struct Task {
    pub template_id: String,
    pub sender_id: Option<String>,
    pub target: Vec<Target>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS), ts(optional_fields, rename_all = "PascalCase"))]
pub struct Target {
    pub phone: String,
    /// The template's `{1}`, `{2}`, ... in order. Omitted on the wire when
    /// empty: the docs say a template without variables takes none.
    #[cfg_attr(feature = "typescript", ts(as = "Option<Vec<String>>"))]
    pub template_params: Vec<String>,
    pub sender_id: Option<String>,
    pub extend_code: Option<String>,
    pub user_id: Option<String>,
}

impl SendBatchRequest {
    pub fn target_count(&self) -> usize {
        self.task_content.iter().map(|t| t.target.len()).sum()
    }
}

impl ToJson for SendBatchRequest {
    fn write_json(&self, out: &mut String) {
        let mut o = ObjectWriter::new(out);
        o.optional("AccountId", &self.account_id).field("TaskContent", &self.task_content);
        o.end();
    }
}

impl ToJson for Task {
    fn write_json(&self, out: &mut String) {
        let mut o = ObjectWriter::new(out);
        o.field("TemplateId", &self.template_id)
            .optional("SenderId", &self.sender_id)
            .field("Target", &self.target);
        o.end();
    }
}

impl ToJson for Target {
    fn write_json(&self, out: &mut String) {
        let mut o = ObjectWriter::new(out);
        o.field("Phone", &self.phone);
        if !self.template_params.is_empty() {
            o.field("TemplateParams", &self.template_params);
        }
        o.optional("SenderId", &self.sender_id)
            .optional("ExtendCode", &self.extend_code)
            .optional("UserId", &self.user_id);
        o.end();
    }
}

/// The parsed answer to `SendBatchUSMSMessage`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS), ts(optional_fields, rename_all = "PascalCase"))]
pub struct SendBatchResponse {
    #[cfg_attr(feature = "typescript", ts(type = "number"))]
    pub ret_code: i64,
    pub action: String,
    pub message: String,
    /// Present when at least one SMS was accepted; the key for receipts.
    pub session_no: Option<String>,
    pub req_uuid: Option<String>,
    #[cfg_attr(feature = "typescript", ts(type = "number"))]
    pub success_count: u64,
    pub fail_content: Vec<FailedTask>,
}

impl SendBatchResponse {
    /// The fields, into an object another type is writing (results add theirs).
    pub fn write_fields(&self, o: &mut ObjectWriter) {
        o.field("RetCode", &self.ret_code)
            .field("Action", &self.action)
            .field("Message", &self.message)
            .optional("SessionNo", &self.session_no)
            .optional("ReqUuid", &self.req_uuid)
            .field("SuccessCount", &self.success_count)
            .field("FailContent", &self.fail_content);
    }
}

impl ToJson for SendBatchResponse {
    fn write_json(&self, out: &mut String) {
        let mut o = ObjectWriter::new(out);
        self.write_fields(&mut o);
        o.end();
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS), ts(optional_fields, rename_all = "PascalCase"))]
pub struct FailedTask {
    pub template_id: String,
    pub sender_id: Option<String>,
    /// Set when the whole template / SenderId check failed.
    pub failure_details: Option<String>,
    pub target: Vec<FailedTarget>,
}

impl ToJson for FailedTask {
    fn write_json(&self, out: &mut String) {
        let mut o = ObjectWriter::new(out);
        o.field("TemplateId", &self.template_id)
            .optional("SenderId", &self.sender_id)
            .optional("FailureDetails", &self.failure_details)
            .field("Target", &self.target);
        o.end();
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS), ts(optional_fields, rename_all = "PascalCase"))]
pub struct FailedTarget {
    pub phone: String,
    pub template_params: Vec<String>,
    pub extend_code: Option<String>,
    pub user_id: Option<String>,
    /// Per-number reason; empty when the batch-level check failed.
    pub failure_details: Option<String>,
    pub invalid: Option<bool>,
}

impl ToJson for FailedTarget {
    fn write_json(&self, out: &mut String) {
        let mut o = ObjectWriter::new(out);
        o.field("Phone", &self.phone)
            .field("TemplateParams", &self.template_params)
            .optional("ExtendCode", &self.extend_code)
            .optional("UserId", &self.user_id)
            .optional("FailureDetails", &self.failure_details)
            .optional("Invalid", &self.invalid);
        o.end();
    }
}
