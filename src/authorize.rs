//! Step 1 of the flow: the advertiser authorization URL and its `state`.

use crate::credentials::{constant_time_eq, AppId};
use crate::error::{Error, Result};
use crate::text::cat;
use crate::url::{encode_component, parse_http_url};

/// TikTok's portal; the authorization page is `{auth base}/portal/auth`.
/// (npm/facts.js carries it for JavaScript; www/config.js and the TypeScript docs name it too:
/// tests/facts.rs holds them equal.)
pub const PRODUCTION_AUTH_BASE: &str = "https://business-api.tiktok.com";

const PORTAL_PATH: &str = "/portal/auth";
/// The legacy portal older integrations still use (`https://ads.tiktok.com/marketing_api/auth`;
/// airbyte-platform `TikTokMarketingOAuthFlow.kt`, docs/tiktok.md, "Legacy portal").
const LEGACY_PORTAL_PATH: &str = "/marketing_api/auth";
const MAX_STATE_BYTES: usize = 1024;

/// Checks a caller-supplied `state`: 1 to 1024 bytes, no control characters.
///
/// ```
/// assert!(tiktok_ads_auth::validate_state("any Unicode, even ✓").is_ok());
/// assert!(tiktok_ads_auth::validate_state("line\nbreak").is_err());
/// ```
pub fn validate_state(state: &str) -> Result<&str> {
    if state.is_empty() {
        return Err(Error::invalid("state", "must not be empty when given"));
    }
    if state.len() > MAX_STATE_BYTES {
        return Err(Error::invalid("state", "is too long (over 1024 bytes)"));
    }
    if state.chars().any(char::is_control) {
        return Err(Error::invalid("state", "must not contain control characters"));
    }
    Ok(state)
}

/// Encodes random bytes as a URL-safe `state` (base64url, no padding).
///
/// Pass at least 16 bytes from a CSPRNG; in wasm, `generate_state` does this with
/// `crypto.getRandomValues` and 32 bytes.
///
/// ```
/// let state = tiktok_ads_auth::state_from_random_bytes(&[0xfb; 16]);
/// assert_eq!(state, "-_v7-_v7-_v7-_v7-_v7-w");
/// ```
pub fn state_from_random_bytes(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut out = String::with_capacity(bytes.len() * 4 / 3 + 2);
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |acc, (i, &b)| acc | u32::from(b) << (16 - 8 * i));
        for i in 0..=chunk.len() {
            out.push(ALPHABET[(n >> (18 - 6 * i) & 63) as usize] as char);
        }
    }
    out
}

/// The authorization page URL: `{auth base}/portal/auth?app_id=…&state=…&redirect_uri=…`.
///
/// `auth_base` defaults to [`PRODUCTION_AUTH_BASE`]; a base that already ends in `/portal/auth`
/// or in the legacy `/marketing_api/auth` is the endpoint itself
/// (`https://ads.tiktok.com/marketing_api/auth` gives `https://ads.tiktok.com/marketing_api/auth?app_id=…`).
/// `redirect_uri` must be the exact URL registered in the TikTok app.
///
/// ```
/// let url = tiktok_ads_auth::authorization_url(
///     "7123456789012345678",
///     "https://example.github.io/tiktok/",
///     "r4nd0m-state",
///     None,
/// )?;
/// assert_eq!(
///     url,
///     "https://business-api.tiktok.com/portal/auth?app_id=7123456789012345678\
///      &state=r4nd0m-state&redirect_uri=https%3A%2F%2Fexample.github.io%2Ftiktok%2F"
/// );
/// # Ok::<(), tiktok_ads_auth::Error>(())
/// ```
pub fn authorization_url(
    app_id: &str,
    redirect_uri: &str,
    state: &str,
    auth_base: Option<&str>,
) -> Result<String> {
    let app_id = AppId::parse(app_id)?;
    let redirect = parse_http_url("redirectUri", redirect_uri)?;
    if redirect.fragment.is_some() {
        return Err(Error::invalid(
            "redirectUri",
            "must not contain a fragment (#…): TikTok appends the code to the query",
        ));
    }
    let state = validate_state(state)?;
    let portal = portal_url(auth_base.unwrap_or(PRODUCTION_AUTH_BASE))?;
    Ok(cat(&[
        &portal,
        "?app_id=",
        app_id.as_str(),
        "&state=",
        &encode_component(state),
        "&redirect_uri=",
        &encode_component(redirect_uri),
    ]))
}

fn portal_url(auth_base: &str) -> Result<String> {
    let base = parse_http_url("authBase", auth_base)?;
    crate::url::require_https_unless_loopback("authBase", &base)?;
    if base.query.is_some() || base.fragment.is_some() {
        return Err(Error::invalid(
            "authBase",
            "must not contain a query (?…) or fragment (#…)",
        ));
    }
    let trimmed = crate::text::trim_end_byte(auth_base, b'/');
    if trimmed.ends_with(PORTAL_PATH) || trimmed.ends_with(LEGACY_PORTAL_PATH) {
        Ok(trimmed.to_owned())
    } else {
        Ok(cat(&[trimmed, PORTAL_PATH]))
    }
}

/// The state check's outcome when it does not fail.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StateVerdict {
    /// The returned state equals the one this flow issued.
    Verified,
    /// This flow issued no state (e.g. the link was copied from TikTok's portal): nothing to
    /// verify, so the caller should warn before exchanging.
    NotIssued,
}

impl StateVerdict {
    /// `verified` or `not_issued`, as the JS `stateVerdict` returns it.
    pub fn as_str(self) -> &'static str {
        match self {
            StateVerdict::Verified => "verified",
            StateVerdict::NotIssued => "not_issued",
        }
    }
}

/// Compares the state this flow issued with the one the redirect returned, in constant time.
///
/// A missing or different returned state is [`Error::StateMismatch`] when one was issued.
///
/// ```
/// use tiktok_ads_auth::{verify_state, StateVerdict};
/// assert_eq!(verify_state(Some("abc"), Some("abc")), Ok(StateVerdict::Verified));
/// assert_eq!(verify_state(None, Some("abc")), Ok(StateVerdict::NotIssued));
/// assert!(verify_state(Some("abc"), Some("abd")).is_err());
/// assert!(verify_state(Some("abc"), None).is_err());
/// ```
pub fn verify_state(expected: Option<&str>, returned: Option<&str>) -> Result<StateVerdict> {
    match (expected.filter(|s| !s.is_empty()), returned) {
        (None, _) => Ok(StateVerdict::NotIssued),
        (Some(expected), Some(returned)) if constant_time_eq(expected, returned) => {
            Ok(StateVerdict::Verified)
        }
        (Some(_), _) => Err(Error::StateMismatch),
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::url::{decode_component, parse_query};

    fn query_of(url: &str) -> Vec<(String, String)> {
        parse_query(url.split_once('?').unwrap().1)
    }

    #[test]
    fn url_decodes_back_to_the_inputs() {
        let redirect = "https://example.com/cb/?x=1&y=a+b%20c";
        let state = "st&ate=?#/ é😀 +";
        let url = authorization_url(" 7123456789012345678 ", redirect, state, None).unwrap();
        assert!(url.starts_with("https://business-api.tiktok.com/portal/auth?"));
        assert_eq!(
            query_of(&url),
            vec![
                ("app_id".into(), "7123456789012345678".into()),
                ("state".into(), state.into()),
                ("redirect_uri".into(), redirect.into()),
            ]
        );
    }

    #[test]
    fn auth_base_accepts_trailing_slash_and_full_portal_path() {
        for base in [
            "http://127.0.0.1:8081",
            "http://127.0.0.1:8081/",
            "http://127.0.0.1:8081/portal/auth/",
        ] {
            let url = authorization_url("1", "http://localhost:8080/", "s", Some(base)).unwrap();
            assert!(
                url.starts_with("http://127.0.0.1:8081/portal/auth?app_id=1&"),
                "{url}"
            );
        }
        let sub = authorization_url("1", "http://l/", "s", Some("https://h/s/t1/ok")).unwrap();
        assert!(sub.starts_with("https://h/s/t1/ok/portal/auth?"));
    }

    #[test]
    fn a_legacy_portal_base_is_the_endpoint_itself() {
        for base in [
            "https://ads.tiktok.com/marketing_api/auth",
            "https://ads.tiktok.com/marketing_api/auth/",
        ] {
            let url = authorization_url("7", "https://me.example/", "s", Some(base)).unwrap();
            assert_eq!(
                url,
                "https://ads.tiktok.com/marketing_api/auth?app_id=7&state=s&redirect_uri=https%3A%2F%2Fme.example%2F"
            );
        }
        // Only the whole last segments count: a path merely ending in "auth" gets the portal path.
        let other = authorization_url(
            "7",
            "https://me.example/",
            "s",
            Some("https://h/my_marketing_api_auth"),
        )
        .unwrap();
        assert!(
            other.starts_with("https://h/my_marketing_api_auth/portal/auth?"),
            "{other}"
        );
    }

    #[test]
    fn bad_inputs_name_their_argument() {
        let cases: [(&str, &str, &str, Option<&str>, &str); 9] = [
            ("", "https://a/", "s", None, "appId"),
            ("12a", "https://a/", "s", None, "appId"),
            ("1e5", "https://a/", "s", None, "appId"),
            (&"9".repeat(33), "https://a/", "s", None, "appId"),
            ("1", "https://a/#x", "s", None, "redirectUri"),
            ("1", "/relative", "s", None, "redirectUri"),
            ("1", "https://a/", "", None, "state"),
            ("1", "https://a/", "a\0b", None, "state"),
            ("1", "https://a/", "s", Some("https://h/?q"), "authBase"),
        ];
        for (app_id, redirect, state, base, argument) in cases {
            match authorization_url(app_id, redirect, state, base) {
                Err(Error::InvalidInput { argument: a, .. }) => assert_eq!(a, argument),
                other => panic!("{app_id:?} {redirect:?} {state:?}: {other:?}"),
            }
        }
    }

    #[test]
    fn state_encoding_is_base64url() {
        assert_eq!(state_from_random_bytes(b""), "");
        assert_eq!(state_from_random_bytes(b"f"), "Zg");
        assert_eq!(state_from_random_bytes(b"fo"), "Zm8");
        assert_eq!(state_from_random_bytes(b"foo"), "Zm9v");
        assert_eq!(state_from_random_bytes(&[0xff; 4]), "_____w");
        let s = state_from_random_bytes(&[0xa5; 32]);
        assert_eq!(s.len(), 43);
        assert_eq!(decode_component(&encode_component(&s)), s);
        assert!(s
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'));
    }
}
