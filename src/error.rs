//! The one error type of the crate, its stable `kind` strings, and hints for TikTok's known codes.

use crate::text::{cat, decimal_i64, decimal_u64};
use core::fmt;

/// What is wrong with an `apiBase` on the sandbox host, for an `oauth2/*` call (docs/tiktok.md,
/// "Sandbox"); its [`Error::hint`] says where sandbox tokens come from. Here, not in `api_base`,
/// which refuses with it: the error module depends on no step.
pub(crate) const SANDBOX_OAUTH2: &str =
    "is TikTok's sandbox, which does not run this authorization flow (oauth2/*: the exchange, the advertiser lookup, revoke); nothing was sent";

/// A `Result` whose error is this crate's [`Error`].
pub type Result<T, E = Error> = core::result::Result<T, E>;

/// Everything that can go wrong between building the authorization URL and holding a token.
///
/// No variant ever holds the app secret, an access token or an auth code: messages are built
/// from argument names and from server text that was redacted first.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Error {
    /// An argument is empty, malformed or out of range.
    InvalidInput {
        /// The argument's name as the caller spelled it (`appId`, `redirectUri`, …).
        argument: &'static str,
        /// What is wrong with it, as the end of a sentence.
        problem: &'static str,
    },
    /// The redirect carries neither `auth_code` nor `code`.
    MissingAuthCode,
    /// The redirect carries `error` / `error_description` instead of a code.
    AuthorizationDenied {
        /// The `error` parameter (e.g. `access_denied`).
        error: String,
        /// The `error_description` parameter, when present.
        description: Option<String>,
    },
    /// The returned `state` differs from the one this flow issued.
    StateMismatch,
    /// The request never got an HTTP answer: offline, DNS, refused, or blocked by CORS.
    Network {
        /// Host the request went to.
        host: String,
        /// What the platform said, when it said anything useful (e.g. `ECONNREFUSED`).
        detail: Option<String>,
    },
    /// No answer within the timeout.
    Timeout {
        /// The timeout that elapsed, in milliseconds.
        timeout_ms: u32,
    },
    /// The caller gave up before an answer came (the JS API's `signal` was aborted); its kind is
    /// [`ErrorKind::Timeout`], as the request may have reached the server all the same.
    Aborted {
        /// Host the request went to.
        host: String,
    },
    /// An HTTP status outside 200–299.
    HttpStatus {
        /// The HTTP status code.
        status: u16,
        /// The start of the body, redacted and on one line.
        excerpt: String,
    },
    /// TikTok answered with an envelope whose `code` is not 0.
    Api {
        /// TikTok's numeric code.
        code: i64,
        /// TikTok's message (redacted).
        message: String,
        /// TikTok's `request_id`, to quote to TikTok support.
        request_id: Option<String>,
    },
    /// The body is not the expected JSON envelope, or `data` lacks a required field.
    InvalidResponse {
        /// What is wrong, naming the field.
        problem: String,
        /// TikTok's `request_id`, when the envelope had one.
        request_id: Option<String>,
    },
}

/// The stable, machine-readable category of an [`Error`]; `as_str` gives the JS `kind` string.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// `invalid_input`
    InvalidInput,
    /// `missing_auth_code`
    MissingAuthCode,
    /// `authorization_denied`
    AuthorizationDenied,
    /// `state_mismatch`
    StateMismatch,
    /// `network`
    Network,
    /// `timeout`
    Timeout,
    /// `http_status`
    HttpStatus,
    /// `api_error`
    ApiError,
    /// `invalid_response`
    InvalidResponse,
}

impl ErrorKind {
    /// The `kind` string of the JavaScript `TikTokAuthError`.
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorKind::InvalidInput => "invalid_input",
            ErrorKind::MissingAuthCode => "missing_auth_code",
            ErrorKind::AuthorizationDenied => "authorization_denied",
            ErrorKind::StateMismatch => "state_mismatch",
            ErrorKind::Network => "network",
            ErrorKind::Timeout => "timeout",
            ErrorKind::HttpStatus => "http_status",
            ErrorKind::ApiError => "api_error",
            ErrorKind::InvalidResponse => "invalid_response",
        }
    }
}

impl Error {
    pub(crate) fn invalid(argument: &'static str, problem: &'static str) -> Self {
        Error::InvalidInput { argument, problem }
    }

    pub(crate) fn invalid_response(problem: impl Into<String>, request_id: Option<&str>) -> Self {
        Error::InvalidResponse {
            problem: problem.into(),
            request_id: request_id.map(str::to_owned),
        }
    }

    /// The error's category.
    ///
    /// ```
    /// let e = tiktok_ads_auth::parse_redirect("https://me.example/cb?state=s").unwrap_err();
    /// assert_eq!(e.kind().as_str(), "missing_auth_code");
    /// assert!(e.hint().is_some());
    /// ```
    pub fn kind(&self) -> ErrorKind {
        match self {
            Error::InvalidInput { .. } => ErrorKind::InvalidInput,
            Error::MissingAuthCode => ErrorKind::MissingAuthCode,
            Error::AuthorizationDenied { .. } => ErrorKind::AuthorizationDenied,
            Error::StateMismatch => ErrorKind::StateMismatch,
            Error::Network { .. } => ErrorKind::Network,
            Error::Timeout { .. } | Error::Aborted { .. } => ErrorKind::Timeout,
            Error::HttpStatus { .. } => ErrorKind::HttpStatus,
            Error::Api { .. } => ErrorKind::ApiError,
            Error::InvalidResponse { .. } => ErrorKind::InvalidResponse,
        }
    }

    /// TikTok's numeric code, for [`Error::Api`].
    pub fn code(&self) -> Option<i64> {
        match self {
            Error::Api { code, .. } => Some(*code),
            _ => None,
        }
    }

    /// The HTTP status, for [`Error::HttpStatus`].
    pub fn status(&self) -> Option<u16> {
        match self {
            Error::HttpStatus { status, .. } => Some(*status),
            _ => None,
        }
    }

    /// TikTok's `request_id`, when the answer carried one.
    pub fn request_id(&self) -> Option<&str> {
        match self {
            Error::Api { request_id, .. } | Error::InvalidResponse { request_id, .. } => {
                request_id.as_deref()
            }
            _ => None,
        }
    }

    /// What to do next, where there is something specific to say.
    pub fn hint(&self) -> Option<&'static str> {
        match self {
            Error::Api { code, .. } => hint_for_code(*code),
            Error::InvalidInput { problem, .. } if *problem == SANDBOX_OAUTH2 => Some(
                "A sandbox access token is generated on your app's sandbox page in the TikTok developer portal \
                 (My Apps → your app → Sandbox), not exchanged from a code. Use the production API base to get a token this way.",
            ),
            // docs/tiktok.md, "CORS" and "Blockers": business-api.tiktok.com is on public ad-block
            // and DNS block lists.
            Error::Network { .. } => Some(
                "In a browser, TikTok's API may refuse calls from a web page (CORS), or a content blocker, \
                 DNS filter or company firewall may block business-api.tiktok.com: try another browser or network, \
                 or allow that host (a DNS filter also stops curl and a relay on that machine). \
                 Or run the curl command (tokenRequestCurl) in a terminal and paste TikTok's JSON answer \
                 into parseTokenResponse. The auth code stays valid for one hour.",
            ),
            Error::Timeout { .. } | Error::Aborted { .. } => Some(
                "The request may still have reached TikTok and used the auth code. Check your network; \
                 if a retry fails with code 40110, authorize again for a fresh code.",
            ),
            Error::StateMismatch => Some(
                "Start the authorization again from this page. If you opened a link you did not create, close it.",
            ),
            Error::MissingAuthCode => Some(
                "Open this page through the TikTok authorization link, or paste the whole address TikTok redirected to.",
            ),
            Error::AuthorizationDenied { .. } => Some(
                "Authorize again and accept the requested permissions, or ask the advertiser account's admin to do it.",
            ),
            _ => None,
        }
    }

    /// A sentence a person can act on. Never contains a secret.
    pub fn message(&self) -> String {
        match self {
            Error::InvalidInput { argument, problem } => cat(&["`", argument, "` ", problem, "."]),
            Error::MissingAuthCode => {
                "The address has no `auth_code` (nor `code`) parameter, so there is nothing to exchange."
                    .to_owned()
            }
            Error::AuthorizationDenied { error, description } => {
                let mut m = cat(&["TikTok did not authorize the app (", error, ")"]);
                if let Some(d) = description {
                    m.push_str(": ");
                    m.push_str(d);
                }
                m.push('.');
                m
            }
            Error::StateMismatch => {
                "The redirect's `state` does not match the one this page issued, so the answer may not be \
                 for your request; the code was not exchanged."
                    .to_owned()
            }
            Error::Network { host, detail } => {
                let mut m = cat(&[
                    "The request to ",
                    host,
                    " got no HTTP answer: blocked by the browser (CORS), the network offline or the host unreachable",
                ]);
                if let Some(d) = detail {
                    m.push_str(" (");
                    m.push_str(d);
                    m.push(')');
                }
                m.push('.');
                m
            }
            Error::Timeout { timeout_ms } => {
                cat(&["No answer within ", &decimal_u64(u64::from(*timeout_ms)), " ms."])
            }
            Error::Aborted { host } => cat(&[
                "The request to ",
                host,
                " was cancelled (its signal was aborted) before an answer came.",
            ]),
            Error::HttpStatus { status, excerpt } => {
                let mut m = cat(&["The server answered HTTP ", &decimal_u64(u64::from(*status))]);
                if !excerpt.is_empty() {
                    m.push_str(": ");
                    m.push_str(excerpt);
                }
                m.push('.');
                m
            }
            Error::Api { code, message, .. } => cat(&[
                "TikTok refused the request (code ",
                &decimal_i64(*code),
                "): ",
                if message.is_empty() { "no message" } else { message },
            ]),
            Error::InvalidResponse { problem, .. } => {
                cat(&["TikTok's answer is not what was expected: ", problem, "."])
            }
        }
    }
}

/// Plain-language advice for TikTok's known error codes (docs/tiktok.md, "Error codes":
/// TikTok's official SDK `tiktok_code.py`, its error-code list as compiled by api-evangelist/tiktok-ads,
/// PostHog's TikTok Ads source and its tests). Never a secret; an unknown code has none.
///
/// ```
/// use tiktok_ads_auth::hint_for_code;
/// assert!(hint_for_code(40110).unwrap().contains("once"));
/// assert!(hint_for_code(40115).unwrap().contains("Advertiser authorization URL"));
/// assert!(hint_for_code(51004).unwrap().contains("TikTok's side"));
/// assert_eq!(hint_for_code(12345), None);
/// ```
pub fn hint_for_code(code: i64) -> Option<&'static str> {
    Some(match code {
        40110 => "The auth code is invalid, expired (it lives one hour) or already used (it works once). Authorize again to get a fresh code.",
        40101 => "The App ID and secret do not match, or the auth code is stale or from another app. Copy the App ID and Secret again from the TikTok developer portal, then authorize again for a fresh code.",
        40113 => "TikTok says the app is blocked or does not exist, as it does for a wrong secret or App ID. Copy the App ID and Secret again from the TikTok developer portal and check the app's status there.",
        40115 => "The auth code came from another TikTok flow (a creator or account-holder login, or sandbox instead of production). Authorize again through the app's \"Advertiser authorization URL\" in the TikTok developer portal.",
        40100 => "TikTok is rate-limiting this app. Wait a minute, then try once more.",
        40102 => "The access token has expired. Authorize again for a new one.",
        40104 => "No access token was sent. Exchange an auth code for a token first.",
        40105 => "The access token is invalid or was revoked. Authorize again for a new one.",
        40000 => "TikTok found the request malformed; often the App ID and secret (or token) belong to different apps. Check the App ID and Secret in the TikTok developer portal.",
        40001 => "No permission for this advertiser or operation, or the advertiser was deleted (not an App ID and Secret problem). An admin of the ad account should authorize again, granting every permission asked for.",
        40002 => "A parameter is missing or malformed; TikTok's message names it. Copy the App ID and Secret again, whole.",
        40118 => "The app or advertiser is not on TikTok's allowlist for this feature. Apply for it, or use an advertiser that has it.",
        40119 => "The app's developer and this advertiser are not in the same business. Use this advertiser's own token, or an advertiser of the developer's business.",
        40124 => "The app owner's developer profile is incomplete or not approved yet. Complete it in the TikTok developer portal and wait for approval.",
        40125 => "The app's developer lacks the permission for this call. Add it to the app in the TikTok developer portal, then authorize again.",
        40130 => "The token was not granted the permission this call needs. Authorize again, keeping every permission ticked.",
        40133 => "TikTok is rate-limiting this advertiser. Wait a minute, then send fewer requests for it.",
        41000 => "TikTok refuses requests from this IP address's country or region (your computer's, or your relay's). Call from a region TikTok serves.",
        40107 => "TikTok does not refresh Marketing API tokens: they are long-term, valid until revoked. Use the token you have, or authorize again for a new one.",
        50000..=59999 => "The error is on TikTok's side: whether the request took effect (for a token exchange: whether the auth code was used) is unknown. Try once more; if TikTok then answers 40110, authorize again for a fresh code.",
        60001 => "TikTok's API is under maintenance. Try again later.",
        _ => return None,
    })
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message())
    }
}

impl std::error::Error for Error {}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    #[test]
    fn every_known_code_has_a_hint() {
        for code in [
            40110, 40101, 40113, 40100, 40102, 40104, 40105, 40115, 40000, 40001, 40002, 40107, 40118, 40119,
            40124, 40125, 40130, 40133, 41000, 50000, 50002, 51000, 51234, 59999, 60001,
        ] {
            let e = Error::Api {
                code,
                message: "m".into(),
                request_id: Some("r".into()),
            };
            assert!(e.hint().is_some(), "{code}");
            assert_eq!(e.kind().as_str(), "api_error");
            assert_eq!(e.code(), Some(code));
            assert_eq!(e.request_id(), Some("r"));
        }
    }

    #[test]
    fn hints_say_what_each_code_really_means() {
        let hint = |code| hint_for_code(code).unwrap();
        assert!(!hint(40115).contains("clock") && !hint(40115).contains("timestamp"));
        assert!(hint(40115).contains("\"Advertiser authorization URL\""));
        assert!(hint(40113).contains("wrong secret or App ID"));
        assert!(hint(40101).contains("stale") && hint(40101).contains("authorize again"));
        assert!(hint(40000).contains("App ID and Secret"));
        // 40001 is "No permission to perform the related operation" (TikTok's error list), not a
        // mismatch of App ID and secret; 40002 is a parameter error (docs/tiktok.md, "Error codes").
        assert!(hint(40001).starts_with("No permission") && hint(40001).contains("admin of the ad account"));
        for wrong in [
            "do not match",
            "mismatch",
            "the same app",
            "malformed",
            "Check the App ID",
        ] {
            assert!(!hint(40001).contains(wrong), "{wrong}");
        }
        assert!(
            hint(40002).contains("parameter is missing or malformed") && hint(40002).contains("names it")
        );
        assert_ne!(hint(40001), hint(40002));
        assert_ne!(hint(40000), hint(40002));
        assert!(hint(40107).contains("long-term"));
        for code in [50000, 50001, 51000, 51021, 59999] {
            assert!(hint(code).contains("whether the auth code was used"), "{code}");
            assert!(hint(code).contains("40110"), "{code}");
        }
        assert!(hint(60001).contains("maintenance"));
        for code in [49999, 60000, 60002, 40003, 5000, 500000, -50000] {
            assert_eq!(hint_for_code(code), None, "{code}");
        }
    }

    #[test]
    fn codes_users_report_say_what_they_mean_and_what_to_do() {
        // TikTok's error list as compiled by api-evangelist/tiktok-ads (40130: reported, not verified).
        let says: [(i64, &[&str]); 7] = [
            (40118, &["allowlist", "Apply for it"]),
            (40119, &["same business", "developer's business"]),
            (40124, &["developer profile", "approval"]),
            (40125, &["developer lacks the permission", "authorize again"]),
            (40130, &["not granted the permission", "Authorize again"]),
            (40133, &["this advertiser", "Wait a minute"]),
            (41000, &["country or region", "relay"]),
        ];
        for (code, phrases) in says {
            let e = Error::Api {
                code,
                message: "m".into(),
                request_id: None,
            };
            let hint = e.hint().unwrap();
            for phrase in phrases {
                assert!(hint.contains(phrase), "{code}: {hint}");
            }
        }
        let distinct: std::collections::HashSet<_> = says.iter().map(|(c, _)| hint_for_code(*c)).collect();
        assert_eq!(distinct.len(), says.len());
        for code in [40117, 40120, 40126, 40131, 40134, 41001, 40999] {
            assert_eq!(hint_for_code(code), None, "{code}");
        }
    }

    #[test]
    fn a_network_failure_names_blockers_not_only_cors() {
        let e = Error::Network {
            host: "business-api.tiktok.com".into(),
            detail: None,
        };
        let hint = e.hint().unwrap();
        for phrase in [
            "CORS",
            "content blocker",
            "DNS filter",
            "company firewall",
            "business-api.tiktok.com",
            "another browser or network",
            "allow that host",
            "also stops curl and a relay on that machine",
            "tokenRequestCurl",
        ] {
            assert!(hint.contains(phrase), "{phrase}: {hint}");
        }
    }

    #[test]
    fn messages_name_the_argument() {
        let e = Error::invalid("appId", "must contain only the digits 0-9");
        assert_eq!(e.message(), "`appId` must contain only the digits 0-9.");
        assert_eq!(e.to_string(), e.message());
        assert_eq!(e.kind(), ErrorKind::InvalidInput);
    }

    #[test]
    fn http_status_message_keeps_the_status() {
        let e = Error::HttpStatus {
            status: 502,
            excerpt: "Bad Gateway".into(),
        };
        assert_eq!(e.message(), "The server answered HTTP 502: Bad Gateway.");
        assert_eq!(e.status(), Some(502));
    }
}
