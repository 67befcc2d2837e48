//! The flow's credentials as types that carry their validation: [`AppId`], checked when it is
//! made, and the three secrets ([`AppSecret`], [`AuthCode`], [`AccessToken`]), each with a
//! `parse` that checks it as a request needs it.
//!
//! A secret's `Debug` prints a redaction, there is no `Display`, and the value is reached only
//! through an explicit `.secret()` call, so a credential cannot slip into a log line or an error
//! by accident. There is no `PartialEq` either: comparing secrets belongs in
//! [`crate::constant_time_eq`].

use crate::error::{Error, Result};
use core::fmt;

/// How one credential is checked once a paste's surrounding whitespace is gone: the argument
/// its errors name, its longest length in bytes, and the characters it may hold.
struct Rule {
    argument: &'static str,
    required: &'static str,
    max_bytes: usize,
    too_long: &'static str,
    chars: Chars,
    bad_chars: &'static str,
}

/// The characters a credential may hold.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Chars {
    /// Decimal digits only, checked before the length: `7.1e18` is no id at all, not a long one.
    Digits,
    /// Anything but control characters.
    NoControl,
    /// Anything but spaces and control characters.
    NoSpaceOrControl,
    /// Visible ASCII only (it travels in an HTTP header, which only carries that safely).
    VisibleAscii,
}

const APP_ID: Rule = Rule {
    argument: "appId",
    required: "is required",
    max_bytes: 32,
    too_long: "is too long (over 32 digits)",
    chars: Chars::Digits,
    bad_chars: "must contain only the digits 0-9 (copy the App ID from the app's page in the TikTok developer portal)",
};
const SECRET: Rule = Rule {
    argument: "secret",
    required: "is required (the app's Secret from the TikTok developer portal)",
    max_bytes: 1024,
    too_long: "is too long to be a TikTok app secret",
    chars: Chars::NoControl,
    bad_chars: "must not contain control characters",
};
const AUTH_CODE: Rule = Rule {
    argument: "authCode",
    required: "is required",
    max_bytes: 2048,
    too_long: "is too long to be a TikTok auth code",
    chars: Chars::NoSpaceOrControl,
    bad_chars: "must not contain spaces or control characters",
};
const ACCESS_TOKEN: Rule = Rule {
    argument: "accessToken",
    required: "is required",
    max_bytes: 4096,
    too_long: "is too long to be a TikTok access token",
    chars: Chars::VisibleAscii,
    bad_chars: "must contain only visible ASCII characters",
};

/// `value` without surrounding ASCII whitespace, when it follows `rule`.
fn check<'a>(value: &'a str, rule: &Rule) -> Result<&'a str> {
    let value = value.trim_ascii();
    let chars_ok = match rule.chars {
        Chars::Digits => value.bytes().all(|b| b.is_ascii_digit()),
        Chars::NoControl => !value.chars().any(char::is_control),
        Chars::NoSpaceOrControl => !value.chars().any(|c| c == ' ' || c.is_control()),
        Chars::VisibleAscii => value.bytes().all(|b| b.is_ascii_graphic()),
    };
    let problem = if value.is_empty() {
        rule.required
    } else if !chars_ok && rule.chars == Chars::Digits {
        rule.bad_chars
    } else if value.len() > rule.max_bytes {
        rule.too_long
    } else if !chars_ok {
        rule.bad_chars
    } else {
        return Ok(value);
    };
    Err(Error::invalid(rule.argument, problem))
}

/// [`check`], keeping the value.
fn parse(value: &str, rule: &Rule) -> Result<String> {
    check(value, rule).map(str::to_owned)
}

/// A TikTok app id, checked: decimal digits only, as a string (ids exceed 2^53, so never a
/// number).
///
/// ```
/// use tiktok_ads_auth::AppId;
/// assert_eq!(AppId::parse(" 7123456789012345678\n")?.as_str(), "7123456789012345678");
/// assert_eq!(AppId::parse("7.1e18").unwrap_err().kind().as_str(), "invalid_input");
/// # Ok::<(), tiktok_ads_auth::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AppId(String);

impl AppId {
    /// Checks an app id as [`validate_app_id`] does, keeping it without the surrounding
    /// whitespace of a paste.
    // Inlined, as every `parse` here: a call of its own would copy the whole `Result` once more.
    #[inline(always)]
    pub fn parse(app_id: &str) -> Result<Self> {
        parse(app_id, &APP_ID).map(Self)
    }

    /// The digits.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Checks an app id: decimal digits only (never a number: ids exceed 2^53), at most 32 of them.
/// Surrounding whitespace from a paste is ignored. [`AppId::parse`] keeps the result.
///
/// ```
/// use tiktok_ads_auth::validate_app_id;
/// assert_eq!(validate_app_id(" 7123456789012345678\n"), Ok("7123456789012345678"));
/// assert!(validate_app_id("7.1e18").is_err());
/// ```
pub fn validate_app_id(app_id: &str) -> Result<&str> {
    check(app_id, &APP_ID)
}

macro_rules! secret_newtype {
    ($(#[$doc:meta])* $name:ident, $rule:ident, $(#[$parse_doc:meta])*) => {
        $(#[$doc])*
        #[derive(Clone)]
        pub struct $name(String);

        impl $name {
            /// Wraps a value as it is, unchecked: for a value to hold rather than send (a token
            /// TikTok returned is kept whatever its shape). `parse` checks one for a request.
            pub fn new(value: impl Into<String>) -> Self {
                Self(value.into())
            }

            $(#[$parse_doc])*
            #[inline(always)]
            pub fn parse(value: &str) -> Result<Self> {
                parse(value, &$rule).map(Self)
            }

            /// The raw value. Every call site is a place where the secret leaves its box.
            pub fn secret(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(concat!(stringify!($name), "([redacted])"))
            }
        }
    };
}

secret_newtype!(
    /// The app secret from the TikTok developer portal ("Secret" on the app's page).
    AppSecret,
    SECRET,
    /// Checks a secret for a request: surrounding whitespace from a paste removed, then 1 to
    /// 1024 bytes without control characters. Errors name the argument `secret`.
    ///
    /// ```
    /// use tiktok_ads_auth::AppSecret;
    /// assert_eq!(AppSecret::parse(" s3cret\n")?.secret(), "s3cret");
    /// assert!(AppSecret::parse("  ").is_err());
    /// # Ok::<(), tiktok_ads_auth::Error>(())
    /// ```
);
secret_newtype!(
    /// A long-term Marketing API access token. It stays valid until the advertiser revokes it.
    AccessToken,
    ACCESS_TOKEN,
    /// Checks a token for a request: surrounding whitespace from a paste removed, then 1 to 4096
    /// visible ASCII characters (it travels in an HTTP header). Errors name the argument
    /// `accessToken`.
    ///
    /// ```
    /// use tiktok_ads_auth::AccessToken;
    /// assert_eq!(AccessToken::parse(" t0ken ")?.secret(), "t0ken");
    /// assert!(AccessToken::parse("t0 ken").is_err());
    /// # Ok::<(), tiktok_ads_auth::Error>(())
    /// ```
);
secret_newtype!(
    /// The `auth_code` TikTok appends to the redirect URL: valid for one hour, usable once.
    AuthCode,
    AUTH_CODE,
    /// Checks a code as [`validate_auth_code`] does, keeping it without the surrounding
    /// whitespace of a paste. Errors name the argument `authCode`.
    ///
    /// ```
    /// use tiktok_ads_auth::AuthCode;
    /// assert_eq!(AuthCode::parse(" c0de ")?.secret(), "c0de");
    /// # Ok::<(), tiktok_ads_auth::Error>(())
    /// ```
);

/// With the `serde` feature, [`AccessToken`] and [`AuthCode`] (in a [`crate::TokenGrant`] or a
/// [`crate::Redirect`]) serialize as their value, as the JS API hands them out: a serialized
/// grant holds the live token, to be kept like one. `Debug` stays redacted. They deserialize
/// through `parse`, so a value that could not be sent (empty, over its length, bad characters)
/// is refused with that error, and surrounding whitespace is dropped.
#[cfg(feature = "serde")]
macro_rules! serde_secret {
    ($($name:ident),*) => {$(
        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> core::result::Result<S::Ok, S::Error> {
                serializer.serialize_str(self.secret())
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> core::result::Result<Self, D::Error> {
                let value = String::deserialize(deserializer)?;
                Self::parse(&value).map_err(serde::de::Error::custom)
            }
        }
    )*};
}
#[cfg(feature = "serde")]
serde_secret!(AccessToken, AuthCode);

/// Checks an auth code: non-empty, no spaces or control characters, at most 2048 bytes.
/// Surrounding whitespace from a paste is ignored. [`AuthCode::parse`] keeps the result.
///
/// ```
/// assert_eq!(tiktok_ads_auth::validate_auth_code(" c0de "), Ok("c0de"));
/// assert!(tiktok_ads_auth::validate_auth_code("c0 de").is_err());
/// ```
pub fn validate_auth_code(auth_code: &str) -> Result<&str> {
    check(auth_code, &AUTH_CODE)
}

/// Compares two strings in time that depends only on their lengths, not on where they differ.
///
/// Used for the OAuth `state`, so that a forged state cannot be guessed byte by byte from timing.
///
/// ```
/// assert!(tiktok_ads_auth::constant_time_eq("abc", "abc"));
/// assert!(!tiktok_ads_auth::constant_time_eq("abc", "abd"));
/// assert!(!tiktok_ads_auth::constant_time_eq("abc", "abcd"));
/// ```
pub fn constant_time_eq(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    let diff = a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y));
    // black_box keeps the optimiser from turning the fold into an early-exit comparison.
    core::hint::black_box(diff) == 0
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    #[test]
    fn debug_never_shows_the_value() {
        let shown = format!(
            "{:?} {:?} {:?}",
            AppSecret::new("s3cr3t-value"),
            AccessToken::new("tok-value"),
            AuthCode::new("code-value")
        );
        assert_eq!(
            shown,
            "AppSecret([redacted]) AccessToken([redacted]) AuthCode([redacted])"
        );
    }

    #[test]
    fn constant_time_eq_matches_plain_equality() {
        for (a, b) in [
            ("", ""),
            ("a", ""),
            ("", "a"),
            ("abc", "abc"),
            ("abc", "abC"),
            ("é", "e"),
        ] {
            assert_eq!(constant_time_eq(a, b), a == b, "{a:?} vs {b:?}");
        }
    }

    #[test]
    fn parse_trims_a_paste_and_checks_what_a_request_needs() {
        assert_eq!(AppId::parse(" 42\n").unwrap().as_str(), "42");
        assert_eq!(
            AppSecret::parse(" it's s3cret\t").unwrap().secret(),
            "it's s3cret"
        );
        assert_eq!(AccessToken::parse("\nt0ken ").unwrap().secret(), "t0ken");
        assert_eq!(AuthCode::parse(" c0de ").unwrap().secret(), "c0de");
        let long = |n: usize| "7".repeat(n);
        let cases: [(Result<()>, &str, &str); 16] = [
            (AppId::parse(" ").map(drop), "appId", "is required"),
            (
                AppId::parse("7e18").map(drop),
                "appId",
                "must contain only the digits 0-9",
            ),
            (
                AppId::parse(&long(33)).map(drop),
                "appId",
                "is too long (over 32 digits)",
            ),
            (
                AppSecret::parse("\n").map(drop),
                "secret",
                "is required (the app's Secret",
            ),
            (AppSecret::parse(&long(1025)).map(drop), "secret", "is too long"),
            (
                AppSecret::parse("a\u{7}b").map(drop),
                "secret",
                "must not contain control characters",
            ),
            (AccessToken::parse("").map(drop), "accessToken", "is required"),
            (
                AccessToken::parse(&long(4097)).map(drop),
                "accessToken",
                "is too long",
            ),
            (
                AccessToken::parse("t0 ken").map(drop),
                "accessToken",
                "must contain only visible ASCII",
            ),
            (AuthCode::parse("").map(drop), "authCode", "is required"),
            (AuthCode::parse(&long(2049)).map(drop), "authCode", "is too long"),
            (
                AuthCode::parse("c0\u{85}de").map(drop),
                "authCode",
                "must not contain spaces or control",
            ),
            // Two faults: an app id's characters are checked before its length, the others' after.
            (
                AppId::parse(&"x".repeat(40)).map(drop),
                "appId",
                "must contain only the digits",
            ),
            (
                AppSecret::parse(&"\u{7}".repeat(1025)).map(drop),
                "secret",
                "is too long",
            ),
            (
                AccessToken::parse(&" x".repeat(2049)).map(drop),
                "accessToken",
                "is too long",
            ),
            (
                AuthCode::parse(&" x".repeat(1025)).map(drop),
                "authCode",
                "is too long",
            ),
        ];
        for (result, argument, problem) in cases {
            match result {
                Err(Error::InvalidInput {
                    argument: a,
                    problem: p,
                }) => {
                    assert_eq!(a, argument);
                    assert!(p.starts_with(problem), "{argument}: {p}");
                }
                other => panic!("{argument} {problem}: {other:?}"),
            }
        }
        // The longest accepted values.
        assert!(AppId::parse(&long(32)).is_ok() && AppSecret::parse(&long(1024)).is_ok());
        assert!(AccessToken::parse(&long(4096)).is_ok() && AuthCode::parse(&long(2048)).is_ok());
        // What the borrowed checks return is what the types keep.
        assert_eq!(
            validate_app_id(" 42 ").unwrap(),
            AppId::parse(" 42 ").unwrap().as_str()
        );
        assert_eq!(
            validate_auth_code(" c ").unwrap(),
            AuthCode::parse(" c ").unwrap().secret()
        );
    }
}
