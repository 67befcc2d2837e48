//! Redacted newtypes for the three credentials of the flow, and `redact` for server text.
//!
//! `Debug` prints a redaction, there is no `Display`, and the value is reached only through an
//! explicit `.secret()` call, so a credential cannot slip into a log line or an error by accident.
//! There is no `PartialEq` either: comparing secrets belongs in [`crate::constant_time_eq`].

use crate::json::push_json_string;
use crate::text::find_bytes;
use crate::url::encode_component;
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

/// Replaces every occurrence of each non-empty secret in `text` by `[redacted]`.
///
/// Applied to everything a server sends back before it can reach an error message, since a relay
/// or a misbehaving gateway may echo the request that carried the secret.
pub(crate) fn redact(text: &str, secrets: &[&str]) -> String {
    let mut out = text.to_owned();
    // Each secret as sent (JSON body, URL query) may come back in that escaped form.
    let mut forms: Vec<String> = Vec::new();
    for secret in secrets.iter().filter(|s| !s.is_empty()) {
        let mut json = String::new();
        push_json_string(&mut json, secret);
        let json = json.get(1..json.len() - 1).unwrap_or_default().to_owned();
        let percent = encode_component(secret);
        // Some encoders write the hex digits in lower case (%2f): only those change.
        let mut lower_hex = String::with_capacity(percent.len());
        let mut after_percent = 0u8;
        for c in percent.chars() {
            lower_hex.push(if after_percent > 0 {
                c.to_ascii_lowercase()
            } else {
                c
            });
            after_percent = if c == '%' {
                2
            } else {
                after_percent.saturating_sub(1)
            };
        }
        for form in [(*secret).to_owned(), json, percent, lower_hex] {
            if !forms.contains(&form) {
                forms.push(form);
            }
        }
    }
    // Longest first, so that no shorter form cuts a longer one in half (a plain selection:
    // a handful of items, and no sort routine in the wasm).
    while let Some(at) = (0..forms.len()).max_by_key(|&i| forms.get(i).map_or(0, String::len)) {
        let secret = forms.swap_remove(at);
        let mut scrubbed = String::with_capacity(out.len());
        let mut rest = out.as_str();
        while let Some(at) = find_bytes(rest, &secret) {
            scrubbed.push_str(rest.get(..at).unwrap_or_default());
            scrubbed.push_str("[redacted]");
            rest = rest.get(at + secret.len()..).unwrap_or_default();
        }
        scrubbed.push_str(rest);
        out = scrubbed;
    }
    out
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
    fn redact_catches_escaped_echoes() {
        let shown = redact(
            r#"json "a\"b/Ü" url a%22b%2F%C3%9C lower a%22b%2f%c3%9c"#,
            &["a\"b/Ü"],
        );
        assert_eq!(shown, "json \"[redacted]\" url [redacted] lower [redacted]");
    }

    #[test]
    fn redact_removes_every_copy() {
        assert_eq!(redact("x=SEC y=SEC", &["SEC", ""]), "x=[redacted] y=[redacted]");
    }
}
