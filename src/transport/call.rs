//! What a call is to the transport: how its HTTP answer and its failures
//! are judged. A send and a read differ only here: a send that may have
//! been processed is never repeated; a read is repeated after a timeout, a
//! reset or a 5xx, because reading twice texts nobody.

use crate::model::SendBatchRequest;
use crate::ops::RawReply;
use crate::outcome::{
    transport_failure, Delivery, ErrorCode, ErrorInfo, Outcome, SendResult, TransportFailure,
};

/// What the hooks and errors need from a call's answer.
pub trait Answer {
    fn request_id(&self) -> Option<&str>;
}

impl Answer for SendResult {
    fn request_id(&self) -> Option<&str> {
        self.request_id.as_deref()
    }
}

/// How one kind of call judges what came back.
pub trait Call {
    type Answer: Answer;
    fn reply(&self, reply: &RawReply) -> Outcome<Self::Answer>;
    fn failure(&self, failure: TransportFailure, detail: &str, timeout_ms: u64) -> Outcome<Self::Answer>;

    /// fetch resolved to something that is not a response.
    fn not_a_response(&self) -> Outcome<Self::Answer> {
        let message = "fetch resolved to something that is not a Response; the batch may have been processed";
        let error = ErrorInfo::new(ErrorCode::BadResponse, Delivery::Unknown, message.into());
        Outcome::Error { error, retryable: false }
    }
}

/// `SendBatchUSMSMessage`: the rule that never sends an SMS twice.
pub struct SendCall<'a> {
    pub account_id: Option<u64>,
    /// The request, to match uSpeedo's failure list against.
    pub sent: Option<&'a SendBatchRequest>,
}

impl Call for SendCall<'_> {
    type Answer = SendResult;

    fn reply(&self, reply: &RawReply) -> Outcome<SendResult> {
        crate::ops::interpret(&RawReply { account_id: self.account_id, sent: self.sent, ..*reply })
    }

    fn failure(&self, failure: TransportFailure, detail: &str, timeout_ms: u64) -> Outcome<SendResult> {
        transport_failure(failure, detail, timeout_ms)
    }
}
