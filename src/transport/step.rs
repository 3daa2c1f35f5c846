//! After an attempt: the result, the error to throw, or a retry after a
//! delay. Only what the outcome marks retryable (HTTP 429, a connection
//! refused before sending) is ever repeated.

use crate::outcome::{ErrorInfo, Outcome};
use crate::retry::retry_delay_ms;

#[derive(Debug)]
pub enum Step<R> {
    Done(R),
    Retry { after_ms: u64 },
    Fail(ErrorInfo),
}

/// `retries_done` retries were made before this attempt; `jitter` is in [0, 1).
pub fn after_attempt<R>(outcome: Outcome<R>, retries_done: u32, max_retries: u32, jitter: f64) -> Step<R> {
    match outcome {
        Outcome::Result { result } => Step::Done(result),
        Outcome::Error { mut error, retryable } => {
            if retryable {
                if let Some(after_ms) =
                    retry_delay_ms(retries_done, max_retries, error.retry_after_ms, jitter)
                {
                    return Step::Retry { after_ms };
                }
            }
            error.attempts = Some(retries_done + 1);
            Step::Fail(error)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::outcome::{transport_failure, TransportFailure};

    #[test]
    fn refused_is_retried_until_the_budget_is_spent() {
        let refused = || transport_failure::<()>(TransportFailure::ConnectFailed, "ECONNREFUSED", 1);
        assert!(matches!(after_attempt(refused(), 0, 2, 0.5), Step::Retry { .. }));
        assert!(matches!(after_attempt(refused(), 1, 2, 0.5), Step::Retry { .. }));
        match after_attempt(refused(), 2, 2, 0.5) {
            Step::Fail(e) => assert_eq!(e.attempts, Some(3)),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn may_have_been_sent_is_never_retried() {
        let timeout = transport_failure::<()>(TransportFailure::TimedOut, "", 1);
        assert!(matches!(after_attempt(timeout, 0, 10, 0.5), Step::Fail(_)));
    }
}
