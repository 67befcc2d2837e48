//! Redacted newtypes for the three credentials of the flow.
//!
//! `Debug` prints a redaction, there is no `Display`, and the value is reached only through an
//! explicit `.secret()` call, so a credential cannot slip into a log line or an error by accident.
//! There is no `PartialEq` either: comparing secrets belongs in [`crate::constant_time_eq`].

use core::fmt;

macro_rules! secret_newtype {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone)]
        pub struct $name(String);

        impl $name {
            /// Wraps a value without validating it (validation happens where it is used).
            pub fn new(value: impl Into<String>) -> Self {
                Self(value.into())
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
    AppSecret
);
secret_newtype!(
    /// A long-term Marketing API access token. It stays valid until the advertiser revokes it.
    AccessToken
);
secret_newtype!(
    /// The `auth_code` TikTok appends to the redirect URL: valid for one hour, usable once.
    AuthCode
);

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
}
