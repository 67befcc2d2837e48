//! Keeping the credentials out of anything quoted from a server: a relay or a misbehaving
//! gateway may echo the request that carried them, in any case or encoding.

use crate::json::push_json_string;
use crate::text::find_bytes;
use crate::url::encode_component;

/// Server text made safe to quote: every copy of a credential (in any ASCII case, raw,
/// JSON-escaped or percent-encoded) becomes `[redacted]`, and then every run of 20 or more
/// "opaque" characters (letters, digits, `+ / = % _ - \\`) becomes `…`.
///
/// Applied to everything a server sends back before it can reach an error message, since a relay
/// or a misbehaving gateway may echo the request that carried the secret. Rather than chase every
/// encoding of an echo (upper-case hex, base64, base64url, double percent-encoding…), no long
/// opaque run is ever quoted: a TikTok credential is 40 such characters in every one of those
/// encodings, while TikTok's messages are words (an advertiser id has 19 digits).
///
/// Last, every piece of a credential that is still there once separators are ignored (see
/// [`redact_pieces`]) becomes `[redacted]`: an echo with spaces, colons or dots between its
/// characters or chunks has no long run.
pub(crate) fn redact(text: &str, secrets: &[&str]) -> String {
    redact_pieces(&elide_opaque_runs(&redact_exact(text, secrets)), secrets)
}

/// [`redact_exact`], then [`redact_pieces`]: for text shown whole (a `request_id`, an
/// advertiser's name), where a long run of letters and digits is normal.
pub(crate) fn redact_credentials(text: &str, secrets: &[&str]) -> String {
    redact_pieces(&redact_exact(text, secrets), secrets)
}

/// Shortest piece of a credential [`redact_pieces`] finds (10 characters: 40 bits of a hex
/// credential); a credential shorter than that is caught by its exact forms only.
const PIECE: usize = 10;

/// Replaces every stretch of `text` that, read as its ASCII letters and digits only (in any
/// case; spaces, colons, dots, dashes, `%` and any other character skipped), holds
/// [`PIECE`] or more consecutive characters of a credential, or twice as many of its hex
/// encoding (spaced or colon-separated hex bytes, percent-encoding), by `[redacted]`.
pub(crate) fn redact_pieces(text: &str, secrets: &[&str]) -> String {
    // The letters and digits of `text`, lower-cased, with the byte offset each came from.
    let (norm, at): (Vec<u8>, Vec<usize>) = text
        .bytes()
        .enumerate()
        .filter(|(_, b)| b.is_ascii_alphanumeric())
        .map(|(i, b)| (b.to_ascii_lowercase(), i))
        .unzip();
    let mut covered = vec![false; norm.len()];
    for secret in secrets {
        let plain: Vec<u8> = secret
            .bytes()
            .filter(u8::is_ascii_alphanumeric)
            .map(|b| b.to_ascii_lowercase())
            .collect();
        if plain.len() < PIECE {
            continue;
        }
        const HEX: &[u8; 16] = b"0123456789abcdef";
        let hex: Vec<u8> = secret
            .bytes()
            .flat_map(|b| [HEX[usize::from(b >> 4)], HEX[usize::from(b & 15)]])
            .collect();
        mark_pieces(&norm, &plain, PIECE, &mut covered);
        mark_pieces(&norm, &hex, 2 * PIECE, &mut covered);
    }
    if !covered.contains(&true) {
        return text.to_owned();
    }
    let mut out = String::with_capacity(text.len());
    let mut done = 0;
    let mut i = 0;
    while i < norm.len() {
        if !covered[i] {
            i += 1;
            continue;
        }
        let start = at[i];
        while i < norm.len() && covered[i] {
            i += 1;
        }
        // Every covered byte is ASCII, so both ends are character boundaries.
        out.push_str(text.get(done..start).unwrap_or_default());
        out.push_str("[redacted]");
        done = at[i - 1] + 1;
    }
    out.push_str(text.get(done..).unwrap_or_default());
    out
}

/// Marks in `covered` every window of `len` bytes of `norm` that occurs in `form`. A rolling
/// hash finds candidate windows in one pass (the text may be 1 MiB), each checked byte by byte.
fn mark_pieces(norm: &[u8], form: &[u8], len: usize, covered: &mut [bool]) {
    if norm.len() < len || form.len() < len {
        return;
    }
    const BASE: u64 = 257;
    let hash = |w: &[u8]| {
        w.iter()
            .fold(0u64, |h, &b| h.wrapping_mul(BASE).wrapping_add(u64::from(b)))
    };
    let grams: Vec<u64> = form.windows(len).map(hash).collect();
    let top = (1..len).fold(1u64, |p, _| p.wrapping_mul(BASE));
    let mut h = hash(&norm[..len]);
    for start in 0..=norm.len() - len {
        if start > 0 {
            h = h
                .wrapping_sub(u64::from(norm[start - 1]).wrapping_mul(top))
                .wrapping_mul(BASE)
                .wrapping_add(u64::from(norm[start + len - 1]));
        }
        let window = &norm[start..start + len];
        if grams.contains(&h) && form.windows(len).any(|w| w == window) {
            covered[start..start + len].iter_mut().for_each(|c| *c = true);
        }
    }
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
