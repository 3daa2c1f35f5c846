//! Where requests may go. A signed request carries the access key and a
//! signature that covers neither timestamp nor nonce, so it must not cross a
//! network in clear text, and nothing may travel in the URL's user info.

/// The part of an absolute URL between `scheme://` and the path.
fn authority(rest: &str) -> &str {
    rest.split(['/', '?', '#']).next().unwrap_or("")
}

/// The host and the port (if written) of an authority without user info.
fn host_and_port(authority: &str) -> (&str, Option<&str>) {
    if let Some(bracketed) = authority.strip_prefix('[') {
        // An IPv6 literal: `[::1]:8080`.
        return match bracketed.split_once(']') {
            Some((host, tail)) => (host, tail.strip_prefix(':')),
            None => (authority, None),
        };
    }
    match authority.rsplit_once(':') {
        Some((host, port)) => (host, Some(port)),
        None => (authority, None),
    }
}

/// `localhost`, `127.x.y.z` (four decimal octets) or `::1`: the hosts a
/// plain-http test or mock may use.
fn is_loopback(host: &str) -> bool {
    let octets: Vec<Option<u8>> = host.split('.').map(|part| part.parse::<u8>().ok()).collect();
    let ipv4_loopback =
        octets.len() == 4 && octets.iter().all(Option::is_some) && octets.first() == Some(&Some(127));
    host.eq_ignore_ascii_case("localhost") || ipv4_loopback || host == "::1"
}

/// Whether an absolute URL carries `user:pass@` (relative URLs carry none).
pub fn has_user_info(url: &str) -> bool {
    url.split_once("://").is_some_and(|(_, rest)| authority(rest).contains('@'))
}

/// Checks `baseUrl`. Messages never repeat the URL's user info.
pub fn check_base_url(url: &str, visible_ascii: impl Fn(&str) -> bool) -> Result<(), String> {
    let (secure, rest) = match (url.strip_prefix("https://"), url.strip_prefix("http://")) {
        (Some(rest), _) => (true, rest),
        (None, Some(rest)) => (false, rest),
        (None, None) => return Err("baseUrl must be an absolute https:// URL".into()),
    };
    let authority = authority(rest);
    if authority.contains('@') {
        return Err("baseUrl must not carry a user name or password (user:pass@…): uSpeedo authenticates \
                    by the key pair, and fetch refuses such URLs"
            .into());
    }
    if !visible_ascii(url) || url.contains('#') {
        return Err(
            "baseUrl must be an absolute https:// URL of visible ASCII characters, without a fragment".into(),
        );
    }
    let (host, port) = host_and_port(authority);
    if host.is_empty() {
        return Err("baseUrl has no host".into());
    }
    if let Some(port) = port {
        let valid = port.bytes().all(|b| b.is_ascii_digit()) && port.parse::<u16>().is_ok_and(|p| p >= 1);
        if !valid {
            return Err("baseUrl has a port that is not a number from 1 to 65535".into());
        }
    }
    if !secure && !is_loopback(host) {
        return Err(format!(
            "baseUrl uses http:// to {host}, which is not a loopback address: the signed request \
             (access key and signature) would cross the network unencrypted; use https://"
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(url: &str) -> Result<(), String> {
        check_base_url(url, |v| v.bytes().all(|b| b.is_ascii_graphic()))
    }

    #[test]
    fn accepts_https_and_loopback_http() {
        for ok in [
            "https://api.uspeedo.com/api",
            "https://api.uspeedo.com:8443/api?x=1",
            "http://127.0.0.1:9/api",
            "http://localhost:8080/api",
            "http://[::1]:8080/api",
        ] {
            assert_eq!(check(ok), Ok(()), "{ok}");
        }
    }

    #[test]
    fn refuses_what_fetch_refuses_or_what_leaks() {
        let e = check("https://user:secret-pass@api.uspeedo.com/api").unwrap_err();
        assert!(e.contains("user name or password") && !e.contains("secret-pass"), "{e}");
        assert!(check("https://api.uspeedo.com:99999/api").unwrap_err().contains("port"));
        assert!(check("https://api.uspeedo.com:/api").unwrap_err().contains("port"));
        assert!(check("http://api.uspeedo.com/api").unwrap_err().contains("unencrypted"));
        assert!(check("http://127.0.0.1.evil.example/api").unwrap_err().contains("unencrypted"));
        assert!(check("ftp://x/api").is_err());
        assert!(check("https://x/api#frag").is_err());
        assert!(check("https:///api").is_err());
    }
}
