//! One API call: attempts until the core says the result is final. Only an
//! attempt that provably was not processed is repeated, with a fresh
//! timestamp and nonce.

use super::attempt::{Attempt, Ending};
use super::js::{nonce, now_s};
use super::timer::sleep;
use super::{Relay, SendError, Transport};
use crate::outcome::{transport_failure, Delivery, ErrorCode, ErrorInfo, Outcome, TransportFailure};
use crate::prepare::Prepared;
use crate::transport::call::Answer;
use crate::transport::call::Call;
use crate::transport::step::{after_attempt, Step};
use crate::transport::{call_headers, restamp};
use wasm_bindgen::JsValue;
use web_sys::AbortSignal;

/// Per call: the caller's signal, this call's timeout, and where the proxy
/// wants the last answer.
pub struct CallOptions {
    pub signal: Option<AbortSignal>,
    pub timeout_ms: u64,
    pub relay: Option<Relay>,
}

fn aborted_before_send(attempts: u32, signal: &AbortSignal) -> SendError {
    let mut info = match transport_failure::<()>(TransportFailure::AbortedBeforeSend, "", 0) {
        Outcome::Error { error, .. } => error,
        Outcome::Result { .. } => ErrorInfo::new(ErrorCode::Aborted, Delivery::NotSent, String::new()),
    };
    info.attempts = Some(attempts);
    SendError::new(info, Some(signal.reason()))
}

impl Transport {
    /// Sends `prepared`, judging each attempt as `call` says (a send or a read).
    pub async fn send<C: Call>(
        &self,
        prepared: &Prepared,
        options: &CallOptions,
        call: &C,
    ) -> Result<C::Answer, SendError> {
        let mut headers = call_headers(&prepared.headers, &self.checked.settings);
        let max_retries = self.checked.settings.max_retries;
        let mut retries = 0u32;
        loop {
            if let Some(signal) = options.signal.as_ref().filter(|s| s.aborted()) {
                return Err(aborted_before_send(retries, signal));
            }
            let attempt = Attempt {
                transport: self,
                url: &prepared.url,
                headers: &headers,
                body: &prepared.body,
                number: retries + 1,
                timeout_ms: options.timeout_ms,
                signal: options.signal.as_ref(),
                relay: options.relay.as_ref(),
            };
            let ended = attempt.run().await;
            let (outcome, cause) = match ended.ending {
                Ok(ending) => judge(call, ending, options.timeout_ms),
                Err((object, mut info)) => {
                    info.attempts = Some(retries + 1);
                    return Err(SendError { info, relayed: Some(object), cause: None });
                }
            };
            let (request_id, error) = match &outcome {
                Outcome::Result { result } => (result.request_id(), None),
                Outcome::Error { error, .. } => (error.request_id.as_deref(), Some(error.code)),
            };
            attempt.response_hook(ended.status, ended.started, request_id, error);
            match after_attempt(outcome, retries, max_retries, js_sys::Math::random()) {
                Step::Done(result) => return Ok(result),
                Step::Fail(info) => return Err(SendError::new(info, cause)),
                Step::Retry { after_ms } => {
                    retries += 1;
                    // Aborted while waiting: the check at the top reports it.
                    if sleep(after_ms as f64, options.signal.as_ref()).await.is_ok() {
                        let fresh = nonce().map_err(|e| SendError::new(no_random(), Some(e)))?;
                        restamp(&mut headers, now_s(), &fresh);
                    }
                }
            }
        }
    }
}

/// What `call` makes of an attempt's end (a send and a read differ here
/// only), with what the runtime threw, if anything.
fn judge<C: Call>(call: &C, ending: Ending, timeout_ms: u64) -> (Outcome<C::Answer>, Option<JsValue>) {
    match ending {
        Ending::Reply { status, text, request_id, retry_after } => {
            let mut outcome = call.reply(&crate::ops::RawReply {
                status,
                body: &text,
                request_id: request_id.as_deref(),
                retry_after: retry_after.as_deref(),
                now_ms: super::js::now_ms(),
                account_id: None,
                sent: None,
            });
            if let (Outcome::Error { error, .. }, Some(id)) = (&mut outcome, request_id) {
                error.request_id.get_or_insert(id);
            }
            (outcome, None)
        }
        Ending::NotAResponse => (call.not_a_response(), None),
        Ending::TooLarge => {
            let detail = format!("more than {} bytes", crate::transport::MAX_RESPONSE_BYTES);
            (call.failure(TransportFailure::TooLarge, &detail, timeout_ms), None)
        }
        Ending::Failed { failure, detail, thrown } => {
            (call.failure(failure, &detail, timeout_ms), Some(thrown))
        }
        Ending::NotBuilt(message) => {
            (Outcome::Error { error: ErrorInfo::config(message), retryable: false }, None)
        }
    }
}

pub fn no_random() -> ErrorInfo {
    ErrorInfo::new(
        ErrorCode::Internal,
        Delivery::NotSent,
        "crypto.getRandomValues failed; nothing was sent".into(),
    )
}
