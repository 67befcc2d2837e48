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

/// Server text made safe to quote: every copy of a credential (in any ASCII case, raw,
/// JSON-escaped or percent-encoded) becomes `[redacted]`, and then every run of 20 or more
/// "opaque" characters (letters, digits, `+ / = % _ - \\`) becomes `…`.
///
/// Applied to everything a server sends back before it can reach an error message, since a relay
/// or a misbehaving gateway may echo the request that carried the secret. Rather than chase every
/// encoding of an echo (upper-case hex, base64, base64url, double percent-encoding…), no long
/// opaque run is ever quoted: a TikTok credential is 40 such characters in every one of those
/// encodings, while TikTok's messages are words (an advertiser id has 19 digits).
pub(crate) fn redact(text: &str, secrets: &[&str]) -> String {
    elide_opaque_runs(&redact_exact(text, secrets))
}

/// Shortest run of opaque characters [`redact`] never quotes.
const OPAQUE_RUN: usize = 20;

fn elide_opaque_runs(text: &str) -> String {
    let opaque =
        |b: u8| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'=' | b'%' | b'_' | b'-' | b'\\');
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    while at < bytes.len() {
        // A run of opaque bytes, then one of the others: both end on a character boundary,
        // since every opaque byte is ASCII.
        let run = at + bytes[at..].iter().take_while(|&&b| opaque(b)).count();
        let gap = run + bytes[run..].iter().take_while(|&&b| !opaque(b)).count();
        if run - at >= OPAQUE_RUN {
            out.push('…');
        } else {
            out.push_str(text.get(at..run).unwrap_or_default());
        }
        out.push_str(text.get(run..gap).unwrap_or_default());
        at = gap;
    }
    out
}

/// Replaces every copy of each non-empty secret, in any ASCII case, raw or in the escaped forms
/// it was sent in (JSON body, URL query), by `[redacted]`.
pub(crate) fn redact_exact(text: &str, secrets: &[&str]) -> String {
    let mut out = text.to_owned();
    let mut forms: Vec<String> = Vec::new();
    for secret in secrets.iter().filter(|s| !s.is_empty()) {
        let mut json = String::new();
        push_json_string(&mut json, secret);
        let json = json.get(1..json.len() - 1).unwrap_or_default().to_owned();
        for form in [(*secret).to_owned(), json, encode_component(secret)] {
            let form = form.to_ascii_lowercase();
            if !forms.contains(&form) {
                forms.push(form);
            }
        }
    }
    // Longest first, so that no shorter form cuts a longer one in half (a plain selection:
    // a handful of items, and no sort routine in the wasm).
    while let Some(at) = (0..forms.len()).max_by_key(|&i| forms.get(i).map_or(0, String::len)) {
        let secret = forms.swap_remove(at);
        // ASCII lower-casing keeps every byte where it is: positions found in `lower` hold in `out`.
        let lower = out.to_ascii_lowercase();
        let mut scrubbed = String::with_capacity(out.len());
        let mut done = 0;
        let mut from = 0;
        while let Some(found) = lower.get(from..).and_then(|rest| find_bytes(rest, &secret)) {
            let at = from + found;
            scrubbed.push_str(out.get(done..at).unwrap_or_default());
            scrubbed.push_str("[redacted]");
            done = at + secret.len();
            from = done;
        }
        scrubbed.push_str(out.get(done..).unwrap_or_default());
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
    fn no_echo_is_quoted_in_any_case_or_encoding() {
        let secret = "0123456789abcdef0123456789abcdef01234567";
        let upper_hex: String = secret.bytes().map(|b| format!("{b:02X}")).collect();
        let double_percent: String = secret.bytes().map(|b| format!("%25{b:02X}")).collect();
        for echo in [
            secret.to_owned(),
            secret.to_ascii_uppercase(),
            upper_hex,
            double_percent,
            // base64 and base64url of the secret, and of it with one and two bytes before it
            "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWYwMTIzNDU2Nw==".to_owned(),
            "eDAxMjM0NTY3ODlhYmNkZWYwMTIzNDU2Nzg5YWJjZGVmMDEyMzQ1Njc".to_owned(),
            "eHkwMTIzNDU2Nzg5YWJjZGVmMDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3".to_owned(),
        ] {
            let shown = redact(&format!("bad secret: {echo}, try again"), &[secret]);
            assert!(
                !shown.contains(&echo) && shown.starts_with("bad secret: ") && shown.ends_with(", try again"),
                "{shown}"
            );
        }
        // Short credentials are caught in any case by their exact forms.
        assert_eq!(
            redact("x=S3CRET y=s3cret", &["s3Cret"]),
            "x=[redacted] y=[redacted]"
        );
        // Words, ids and TikTok's messages stay readable.
        for text in [
            "Auth code is invalid, has expired or has already been used.",
            "Advertiser 7000000000000000001 has no permission (see https://business-api.tiktok.com/portal/docs?id=1738373164380162).",
        ] {
            assert_eq!(redact(text, &[secret]), text);
        }
    }

    #[test]
    fn redact_removes_every_copy() {
        assert_eq!(redact("x=SEC y=SEC", &["SEC", ""]), "x=[redacted] y=[redacted]");
    }
}
