//! A fetch that failed without an HTTP answer, told apart by what the
//! runtime said: only "never connected" is provably not sent.

use crate::outcome::TransportFailure;

/// Node's codes for "the connection was never established".
const NEVER_CONNECTED: &[&str] = &[
    "ECONNREFUSED",
    "ENOTFOUND",
    "EAI_AGAIN",
    "EAI_NONAME",
    "ENETUNREACH",
    "EHOSTUNREACH",
    "EADDRNOTAVAIL",
    "UND_ERR_CONNECT_TIMEOUT",
];

/// What the transport knows about a failed fetch.
#[derive(Debug, Default)]
pub struct FetchFailure<'a> {
    /// Our own flags: runtimes rewrite abort errors (workerd turns a timeout
    /// into a plain `Error`), so their names are never read.
    pub timed_out: bool,
    pub user_aborted: bool,
    /// `error.cause.code`, else `error.code`.
    pub code: Option<&'a str>,
    /// `error.cause.message`.
    pub cause_message: Option<&'a str>,
}

pub fn classify(failure: &FetchFailure) -> TransportFailure {
    if failure.user_aborted {
        return TransportFailure::Aborted;
    }
    if failure.timed_out {
        return TransportFailure::TimedOut;
    }
    let never_connected = failure.code.is_some_and(|c| NEVER_CONNECTED.contains(&c))
        // Node's fetch refuses some ports before connecting.
        || failure.cause_message == Some("bad port");
    if never_connected {
        TransportFailure::ConnectFailed
    } else {
        TransportFailure::Broken
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_never_connected_is_connect_failed() {
        let refused = FetchFailure { code: Some("ECONNREFUSED"), ..Default::default() };
        assert_eq!(classify(&refused), TransportFailure::ConnectFailed);
        let reset = FetchFailure { code: Some("UND_ERR_SOCKET"), ..Default::default() };
        assert_eq!(classify(&reset), TransportFailure::Broken);
        let ours = FetchFailure { timed_out: true, code: Some("ECONNREFUSED"), ..Default::default() };
        assert_eq!(classify(&ours), TransportFailure::TimedOut);
        let both = FetchFailure { timed_out: true, user_aborted: true, ..Default::default() };
        assert_eq!(classify(&both), TransportFailure::Aborted);
    }
}
