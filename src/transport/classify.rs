//! A fetch that failed without an HTTP answer, told apart by what the
//! runtime said: only "never connected" is provably not sent.

use crate::outcome::TransportFailure;

/// Node's and Bun's codes for "the connection was never established" (Bun
/// puts `ECONNREFUSED` on the error itself, Node on its `cause`).
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

/// Deno gives no code, only text (its Rust HTTP client's): "error sending
/// request for url (…): client error (Connect): tcp connect error: Connection
/// refused (os error 111)". "client error (Connect)" is the client's connect
/// phase, before a byte of the request is written; the refused text is
/// matched as well in case the wrapping changes. A reset reads "Connection
/// reset by peer (os error 104)" and matches neither.
#[cfg(feature = "signing")]
const NEVER_CONNECTED_TEXT: &[&str] = &["client error (Connect)", "Connection refused (os error"];

/// Whether a cause's message says the connection was never made. Only the
/// server build (which Deno and Bun resolve, through the `node` condition)
/// reads Deno's words: browsers say "Failed to fetch" for everything, and
/// the browser wasm stays as it was (reading them there measured +0.24 to
/// +0.4 KB gzip).
#[cfg(feature = "signing")]
fn said_never_connected(failure: &FetchFailure) -> bool {
    [failure.cause_message, failure.deeper_messages]
        .into_iter()
        .flatten()
        .any(|message| NEVER_CONNECTED_TEXT.iter().any(|t| message.contains(t)))
}

#[cfg(not(feature = "signing"))]
fn said_never_connected(_: &FetchFailure) -> bool {
    false
}

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
    /// The messages of the causes below `error.cause`, one a line (read by
    /// the server build only, see `said_never_connected`).
    pub deeper_messages: Option<&'a str>,
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
        || failure.cause_message == Some("bad port")
        || said_never_connected(failure);
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

    /// `messages[0]` as `cause.message`, the rest as the deeper causes.
    fn with_causes(messages: &[&str]) -> TransportFailure {
        let deeper = messages.get(1..).map(|m| m.join("\n"));
        let failure = FetchFailure {
            cause_message: messages.first().copied(),
            deeper_messages: deeper.as_deref().filter(|d| !d.is_empty()),
            ..Default::default()
        };
        classify(&failure)
    }

    #[test]
    fn node_bad_port_is_connect_failed() {
        assert_eq!(with_causes(&["bad port"]), TransportFailure::ConnectFailed);
        assert_eq!(with_causes(&["a bad port"]), TransportFailure::Broken);
    }

    #[cfg(feature = "signing")]
    #[test]
    fn deno_refused_is_connect_failed_and_its_reset_is_broken() {
        // As Deno 2.9 words them (in the cause of a TypeError "fetch failed").
        let refused = "error sending request for url (http://127.0.0.1:9/api): client error (Connect): \
                       tcp connect error: Connection refused (os error 111)";
        assert_eq!(with_causes(&[refused]), TransportFailure::ConnectFailed);
        // Deeper in the chain, or without the client's wrapping.
        let bare = "Connection refused (os error 111)";
        assert_eq!(with_causes(&["wrapped", bare]), TransportFailure::ConnectFailed);
        let reset = "Connection reset by peer (os error 104)";
        assert_eq!(with_causes(&[reset]), TransportFailure::Broken);
        assert_eq!(with_causes(&[]), TransportFailure::Broken);
    }

    #[test]
    fn bun_codes_on_the_error_itself() {
        // Bun 1.4: TypeError with `code`, no cause.
        let refused = FetchFailure { code: Some("ECONNREFUSED"), ..Default::default() };
        assert_eq!(classify(&refused), TransportFailure::ConnectFailed);
        let reset = FetchFailure { code: Some("ECONNRESET"), ..Default::default() };
        assert_eq!(classify(&reset), TransportFailure::Broken);
    }
}
