//! The URL pieces the flow needs, in pure Rust: percent-encoding, query parsing, and checking
//! that a caller's URL is an absolute `http:`/`https:` URL of the expected shape.

use crate::error::{Error, Result};
use crate::text::{find_bytes, has_byte, rsplit_once_byte, split_byte, split_once_byte};

/// Longest URL accepted from a caller.
const MAX_URL_BYTES: usize = 4096;

/// Percent-encodes everything but RFC 3986's unreserved characters, so the value survives any
/// position in a query string and decodes back to exactly itself.
pub(crate) fn encode_component(value: &str) -> String {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let mut out = String::with_capacity(value.len());
    for &b in value.as_bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(b as char);
        } else {
            out.push('%');
            out.push(HEX[usize::from(b >> 4)] as char);
            out.push(HEX[usize::from(b & 0xf)] as char);
        }
    }
    out
}

/// Decodes one `application/x-www-form-urlencoded` component the way `URLSearchParams` does:
/// `+` is a space, a broken `%` escape stays as it is, invalid UTF-8 becomes U+FFFD.
pub(crate) fn decode_component(raw: &str) -> String {
    fn hex(b: u8) -> Option<u8> {
        match b {
            b'0'..=b'9' => Some(b - b'0'),
            b'a'..=b'f' => Some(b - b'a' + 10),
            b'A'..=b'F' => Some(b - b'A' + 10),
            _ => None,
        }
    }
    let bytes = raw.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b == b'%' {
            let high = bytes.get(i + 1).copied().and_then(hex);
            let low = bytes.get(i + 2).copied().and_then(hex);
            if let (Some(h), Some(l)) = (high, low) {
                out.push(h << 4 | l);
                i += 3;
                continue;
            }
        }
        out.push(if b == b'+' { b' ' } else { b });
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Splits a query string (without `?`) into decoded name/value pairs, in order.
pub(crate) fn parse_query(query: &str) -> Vec<(String, String)> {
    split_byte(query, b'&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| match split_once_byte(pair, b'=') {
            Some((name, value)) => (decode_component(name), decode_component(value)),
            None => (decode_component(pair), String::new()),
        })
        .collect()
}

/// The value of 1 to 5 ASCII digits (callers check that they are digits).
fn small_decimal(digits: &str) -> u32 {
    digits
        .bytes()
        .fold(0, |n, b| n * 10 + u32::from(b.wrapping_sub(b'0')))
}

/// An absolute `http:`/`https:` URL split into its parts (borrowed from the input).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct HttpUrl<'a> {
    /// `scheme://authority`, as given.
    pub origin: &'a str,
    /// The path, possibly empty.
    pub path: &'a str,
    /// The query without `?`, when there is a `?`.
    pub query: Option<&'a str>,
    /// The fragment without `#`, when there is a `#`.
    pub fragment: Option<&'a str>,
}

/// Checks that a base the secret or the user is sent to is `https:`; plain `http:` only to a
/// loopback host (`localhost`, `127.0.0.0/8`, `[::1]`), for local relays and tests.
pub(crate) fn require_https_unless_loopback(argument: &'static str, url: &HttpUrl<'_>) -> Result<()> {
    let (scheme, authority) = split_once_byte(url.origin, b':').unwrap_or_default();
    if scheme.eq_ignore_ascii_case("https") {
        return Ok(());
    }
    let authority = authority.get(2..).unwrap_or_default();
    let host = match authority.strip_prefix("[") {
        Some(v6) => split_once_byte(v6, b']').map_or(v6, |(addr, _)| addr),
        None => split_once_byte(authority, b':').map_or(authority, |(host, _)| host),
    };
    let loopback = host.eq_ignore_ascii_case("localhost")
        || host == "::1"
        || (is_dotted_quad(host) && host.starts_with("127."));
    if loopback {
        Ok(())
    } else {
        Err(Error::invalid(
            argument,
            "must start with https:// (plain http:// only for localhost, 127.0.0.1 or [::1])",
        ))
    }
}

/// Checks that `value` is an absolute `http:`/`https:` URL with a host; `argument` names it in errors.
pub(crate) fn parse_http_url<'a>(argument: &'static str, value: &'a str) -> Result<HttpUrl<'a>> {
    if value.is_empty() {
        return Err(Error::invalid(argument, "is required"));
    }
    if value.len() > MAX_URL_BYTES {
        return Err(Error::invalid(argument, "is too long (over 4096 bytes)"));
    }
    // Bytes, not chars: the forbidden set is ASCII (non-ASCII is percent-encoded when used).
    let forbidden = |b: u8| {
        b <= b' '
            || matches!(
                b,
                0x7f | b'<' | b'>' | b'"' | b'\\' | b'^' | b'`' | b'{' | b'|' | b'}'
            )
    };
    if value.bytes().any(forbidden) || value.chars().any(char::is_control) {
        return Err(Error::invalid(
            argument,
            "must not contain spaces, control characters or any of < > \" \\ ^ ` { | }",
        ));
    }
    let scheme_len = match find_bytes(value, "://") {
        Some(n) if value[..n].eq_ignore_ascii_case("https") || value[..n].eq_ignore_ascii_case("http") => n,
        _ => {
            return Err(Error::invalid(
                argument,
                "must be an absolute URL starting with https:// or http://",
            ))
        }
    };
    let after_scheme = scheme_len + 3;
    let authority_len = value[after_scheme..]
        .bytes()
        .position(|b| matches!(b, b'/' | b'?' | b'#'))
        .unwrap_or(value.len() - after_scheme);
    let authority = &value[after_scheme..after_scheme + authority_len];
    check_authority(argument, authority)?;
    let origin_end = after_scheme + authority_len;
    let rest = &value[origin_end..];
    let (rest, fragment) = match split_once_byte(rest, b'#') {
        Some((r, f)) => (r, Some(f)),
        None => (rest, None),
    };
    let (path, query) = match split_once_byte(rest, b'?') {
        Some((p, q)) => (p, Some(q)),
        None => (rest, None),
    };
    Ok(HttpUrl {
        origin: &value[..origin_end],
        path,
        query,
        fragment,
    })
}

fn check_authority(argument: &'static str, authority: &str) -> Result<()> {
    if has_byte(authority, b'@') {
        return Err(Error::invalid(
            argument,
            "must not contain a user name or password",
        ));
    }
    let port = if let Some(v6) = authority.strip_prefix("[") {
        match split_once_byte(v6, b']') {
            Some((addr, rest))
                if !addr.is_empty()
                    && addr
                        .bytes()
                        .all(|b| b.is_ascii_hexdigit() || b == b':' || b == b'.')
                    && (rest.is_empty() || rest.starts_with(":")) =>
            {
                rest.strip_prefix(":")
            }
            _ => return Err(Error::invalid(argument, "has a malformed IPv6 host")),
        }
    } else {
        let (host, port) = match rsplit_once_byte(authority, b':') {
            Some((h, p)) => (h, Some(p)),
            None => (authority, None),
        };
        if host.is_empty() {
            return Err(Error::invalid(argument, "must name a host (https://host/...)"));
        }
        // What every URL parser agrees on: an ASCII name (international names in punycode).
        if !host
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_'))
        {
            return Err(Error::invalid(
                argument,
                "has a host that is not a plain ASCII name (write international names as xn--…)",
            ));
        }
        if ends_in_number(host) && !is_dotted_quad(host) {
            // Browsers read such a host as an IPv4 address and refuse the link if it is not one.
            return Err(Error::invalid(
                argument,
                "has a numeric host that is not an IPv4 address like 127.0.0.1",
            ));
        }
        port
    };
    if let Some(port) = port {
        let valid = !port.is_empty()
            && port.len() <= 5
            && port.bytes().all(|b| b.is_ascii_digit())
            && small_decimal(port) <= 65_535;
        if !valid {
            return Err(Error::invalid(
                argument,
                "has a port that is not a number from 0 to 65535",
            ));
        }
    }
    Ok(())
}

/// The URL Standard's "ends in a number": the last label (ignoring one trailing dot) is decimal
/// digits or a `0x` hex number, which makes a browser parse the whole host as IPv4.
fn ends_in_number(host: &str) -> bool {
    let host = host.strip_suffix(".").unwrap_or(host);
    let last = rsplit_once_byte(host, b'.').map_or(host, |(_, last)| last);
    if !last.is_empty() && last.bytes().all(|b| b.is_ascii_digit()) {
        return true;
    }
    match last.get(..2) {
        Some(p) if p.eq_ignore_ascii_case("0x") => last[2..].bytes().all(|b| b.is_ascii_hexdigit()),
        _ => false,
    }
}

/// Four decimal parts from 0 to 255 without leading zeros: the form browsers keep unchanged.
fn is_dotted_quad(host: &str) -> bool {
    let mut parts = 0;
    for part in split_byte(host, b'.') {
        parts += 1;
        let canonical = !part.is_empty()
            && part.len() <= 3
            && part.bytes().all(|b| b.is_ascii_digit())
            && (part == "0" || !part.starts_with("0"))
            && small_decimal(part) <= 255;
        if !canonical || parts > 4 {
            return false;
        }
    }
    parts == 4
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    #[test]
    fn plain_http_only_to_loopback_hosts() {
        let check =
            |u: &str| require_https_unless_loopback("apiBase", &parse_http_url("apiBase", u).unwrap());
        for good in [
            "https://relay.example/open_api/v1.3",
            "HTTPS://relay.example:8443",
            "http://localhost:8080/x",
            "http://LOCALHOST",
            "http://127.0.0.1:9/open_api/v1.3",
            "http://127.255.0.7",
            "http://[::1]:8080/",
        ] {
            assert!(check(good).is_ok(), "{good}");
        }
        for bad in [
            "http://relay.example/open_api/v1.3",
            "http://10.0.0.1/",
            "http://128.0.0.1/",
            "http://localhost.relay.example/",
            "http://127.0.0.1.relay.example/",
            "http://[::2]/",
            "HTTP://business-api.tiktok.com/open_api/v1.3",
        ] {
            match check(bad) {
                Err(Error::InvalidInput {
                    argument: "apiBase", ..
                }) => {}
                other => panic!("{bad}: {other:?}"),
            }
        }
    }

    #[test]
    fn encode_then_decode_is_identity() {
        for s in [
            "",
            "a b+c&d=e%f",
            "https://x.test/cb?a=1#f",
            "é😀\0\u{7f}",
            "~-._",
        ] {
            assert_eq!(decode_component(&encode_component(s)), s);
        }
        assert_eq!(encode_component("a b/é"), "a%20b%2F%C3%A9");
    }

    #[test]
    fn decoding_is_lenient_like_urlsearchparams() {
        assert_eq!(decode_component("a+b"), "a b");
        assert_eq!(decode_component("%41%4a%4A"), "AJJ");
        assert_eq!(decode_component("%"), "%");
        assert_eq!(decode_component("%4"), "%4");
        assert_eq!(decode_component("%zz%"), "%zz%");
        assert_eq!(decode_component("%ff"), "\u{fffd}");
        assert_eq!(decode_component("%00"), "\0");
    }

    #[test]
    fn query_pairs_keep_order_and_empty_values() {
        assert_eq!(
            parse_query("a=1&&b&c=%3D=x"),
            vec![
                ("a".into(), "1".into()),
                ("b".into(), String::new()),
                ("c".into(), "==x".into())
            ]
        );
    }

    #[test]
    fn http_urls_are_split() {
        let u = parse_http_url("u", "HTTPS://Example.com:8443/a/b?x=1#frag").unwrap();
        assert_eq!(u.origin, "HTTPS://Example.com:8443");
        assert_eq!((u.path, u.query, u.fragment), ("/a/b", Some("x=1"), Some("frag")));
        let u = parse_http_url("u", "http://[::1]:8080").unwrap();
        assert_eq!((u.origin, u.path, u.query), ("http://[::1]:8080", "", None));
    }

    #[test]
    fn bad_urls_are_refused_with_the_argument_name() {
        for bad in [
            "",
            "example.com",
            "ftp://x",
            "javascript:alert(1)",
            "https://",
            "https:///path",
            "https://a b",
            "https://u:p@host/",
            "https://host:99999/",
            "https://host:/",
            "https://[zz]/",
            "https://ho st",
            "https://host/\0",
            "//host/path",
            "https://host:80:80/",
            "https://1e9991.5/",
            "https://256.0.0.1/",
            "https://127.1/",
            "https://01.2.3.4/",
            "https://1.2.3.4./",
            "https://example.0x1f/",
            "https://example.0X/",
            "https://1.2.3.4.5/",
        ] {
            let e = parse_http_url("redirectUri", bad).unwrap_err();
            assert!(
                e.message().starts_with("`redirectUri` "),
                "{bad:?}: {}",
                e.message()
            );
        }
        assert!(parse_http_url("u", &"https://h/".repeat(1000)).is_err());
        for good in [
            "https://127.0.0.1:8081/",
            "https://0.0.0.0/",
            "https://255.255.255.255/",
            "https://a1.5x/",
            "https://5.example/",
            "https://example.0xg/",
            "https://example.com./",
        ] {
            assert!(parse_http_url("u", good).is_ok(), "{good}");
        }
    }

    #[test]
    fn small_decimal_reads_the_digits() {
        for n in [0_u32, 7, 10, 255, 256, 65_535, 65_536, 99_999] {
            assert_eq!(small_decimal(&n.to_string()), n);
        }
        assert_eq!(small_decimal("00080"), 80);
    }
}
