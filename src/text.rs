//! Small string helpers that keep `core::fmt` out of the wasm build's message paths.

/// Joins string pieces into one `String` (a `format!` without the formatting machinery).
pub(crate) fn cat(parts: &[&str]) -> String {
    let mut out = String::with_capacity(parts.iter().map(|p| p.len()).sum());
    for part in parts {
        out.push_str(part);
    }
    out
}

/// The exact decimal digits of an unsigned integer.
pub(crate) fn decimal_u64(mut n: u64) -> String {
    let mut digits = [0u8; 20];
    let mut at = digits.len();
    loop {
        at -= 1;
        digits[at] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    digits[at..].iter().map(|&d| d as char).collect()
}

/// The exact decimal digits of a signed integer.
pub(crate) fn decimal_i64(n: i64) -> String {
    if n < 0 {
        cat(&["-", &decimal_u64(n.unsigned_abs())])
    } else {
        decimal_u64(n as u64)
    }
}

/// At most `max_chars` characters of `text` on one line, control characters shown as spaces,
/// with an ellipsis when cut: safe to put in an error message.
pub(crate) fn excerpt(text: &str, max_chars: usize) -> String {
    let mut out = String::new();
    for (i, c) in text.trim_ascii().chars().enumerate() {
        if i == max_chars {
            out.push('…');
            break;
        }
        out.push(if c.is_control() { ' ' } else { c });
    }
    out
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
        crate::json::push_json_string(&mut json, secret);
        let json = json.get(1..json.len() - 1).unwrap_or_default().to_owned();
        let percent = crate::url::encode_component(secret);
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
        while let Some(at) = crate::url::find_bytes(rest, &secret) {
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
    fn decimals_are_exact_at_the_edges() {
        assert_eq!(decimal_u64(0), "0");
        assert_eq!(decimal_u64(u64::MAX), u64::MAX.to_string());
        assert_eq!(decimal_i64(i64::MIN), i64::MIN.to_string());
        assert_eq!(decimal_i64(-40110), "-40110");
    }

    #[test]
    fn excerpt_cuts_on_characters_and_hides_controls() {
        assert_eq!(excerpt("  a\nb\0c  ", 10), "a b c");
        assert_eq!(excerpt("ééééé", 3), "ééé…");
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
