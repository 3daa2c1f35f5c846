//! One API call: attempts until the core says the result is final. Only an
//! attempt that provably was not processed is repeated, with a fresh
//! timestamp and nonce.

use super::attempt::{Attempt, Ending};
use super::js::{nonce, now_s};
use super::timer::sleep;
use super::{Relay, SendError, Transport};
use crate::outcome::{transport_failure, Delivery, ErrorCode, ErrorInfo, Outcome, TransportFailure};
use crate::prepare::Prepared;
use crate::transport::call::Call;
use crate::transport::step::{after_attempt, Step};
use crate::transport::{call_headers, restamp};
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
                call,
                url: &prepared.url,
                headers: &headers,
                body: &prepared.body,
                number: retries + 1,
                timeout_ms: options.timeout_ms,
                signal: options.signal.as_ref(),
                relay: options.relay.as_ref(),
            };
            let (outcome, cause) = match attempt.run().await {
                Ending::Judged(outcome, cause) => (outcome, cause),
                Ending::Relayed { object, mut info } => {
                    info.attempts = Some(retries + 1);
                    return Err(SendError { info, relayed: Some(object), cause: None });
                }
            };
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

pub fn no_random() -> ErrorInfo {
    ErrorInfo::new(
        ErrorCode::Internal,
        Delivery::NotSent,
        "crypto.getRandomValues failed; nothing was sent".into(),
    )
}
