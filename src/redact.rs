//! Keeping the credentials out of anything quoted from a server: a relay or a misbehaving
//! gateway may echo the request that carried them, in any case or encoding.

use crate::json::push_json_string;
use crate::url::encode_component;

/// Server text made safe to quote: every copy of a credential (in any ASCII case, raw,
/// JSON-escaped or percent-encoded) becomes `[redacted]`, every run of 20 or more "opaque"
/// characters (letters, digits, `+ / = % _ - \\`) becomes `…`, and every piece of a credential
/// still there once separators are ignored becomes `[redacted]`.
///
/// Applied to everything a server sends back before it can reach an error message, since a relay
/// or a misbehaving gateway may echo the request that carried the secret. Rather than chase every
/// encoding of an echo (upper-case hex, base64, base64url, double percent-encoding…), no long
/// opaque run is ever quoted: a TikTok credential is 40 such characters in every one of those
/// encodings, while TikTok's messages are words (an advertiser id has 19 digits). An echo with
/// spaces, colons or dots between its characters or chunks has no long run: its pieces (see
/// [`redact_pieces`]) give it away.
pub(crate) fn redact(text: &str, secrets: &[&str]) -> String {
    scan(&redact_exact(text, secrets), secrets, true)
}

/// [`redact_exact`], then [`redact_pieces`]: for text shown whole (a `request_id`, an
/// advertiser's name), where a long run of letters and digits is normal.
pub(crate) fn redact_credentials(text: &str, secrets: &[&str]) -> String {
    scan(&redact_exact(text, secrets), secrets, false)
}

/// Replaces every stretch of `text` that, read as its ASCII letters and digits only (in any
/// case; spaces, colons, dots, dashes, `%` and any other character skipped), holds
/// [`PIECE`] or more consecutive characters of a credential, or 10 bytes of it written out one
/// by one (hex: spaced or colon-separated bytes, percent-encoding, `0x33`, `&#x33;`, `\u0033`;
/// decimal: a Go or Python byte list, a `Buffer` as JSON, `&#51;`), or [`BASE64_PIECE`]
/// characters of its base64, by `[redacted]`.
pub(crate) fn redact_pieces(text: &str, secrets: &[&str]) -> String {
    scan(text, secrets, false)
}

/// Shortest piece of a credential [`redact_pieces`] finds (10 characters: 40 bits of a hex
/// credential); a credential shorter than that is caught by its exact forms only.
const PIECE: usize = 10;

/// Shortest piece of a credential's base64 [`redact_pieces`] finds: 12 characters. Base64 of
/// any 10 bytes of it (80 bits) holds at least 12 characters made of those bytes only (6 bits
/// each, whatever the alignment), so no 10 bytes survive.
const BASE64_PIECE: usize = 12;

/// Shortest run of opaque characters [`redact`] never quotes.
const OPAQUE_RUN: usize = 20;

/// What becomes of one byte of a text being redacted (plain bytes, not an enum: a zeroed
/// `Vec<u8>` costs the wasm nothing new).
type Fate = u8;
/// Quoted as it is.
const KEEP: Fate = 0;
/// Part of a long opaque run: the run becomes `…`.
const ELIDE: Fate = 1;
/// Part of a credential or a piece of one: the stretch becomes `[redacted]`.
const HIDE: Fate = 2;

/// `text` with every stretch of bytes that share a fate other than [`KEEP`] replaced. Each
/// stretch starts and ends on a character boundary: the callers mark whole characters.
fn rebuild(text: &str, fate: &[Fate]) -> String {
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    while at < fate.len() {
        let this = fate[at];
        let end = at + fate[at..].iter().take_while(|&&f| f == this).count();
        out.push_str(match this {
            KEEP => text.get(at..end).unwrap_or_default(),
            ELIDE => "…",
            _ => "[redacted]",
        });
        at = end;
    }
    out
}

/// The one pass of [`redact`] and [`redact_pieces`] over `text`: with `elide`, every run of
/// [`OPAQUE_RUN`] or more opaque bytes is elided; then every piece of a credential in what is
/// left is hidden. An elided run reads as a separator, as its `…` would.
fn scan(text: &str, secrets: &[&str], elide: bool) -> String {
    let bytes = text.as_bytes();
    let mut fate = vec![KEEP; bytes.len()];
    if elide {
        let opaque = |b: &u8| {
            b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'=' | b'%' | b'_' | b'-' | b'\\')
        };
        let mut start = 0;
        for end in 0..=bytes.len() {
            if !bytes.get(end).is_some_and(opaque) {
                if end - start >= OPAQUE_RUN {
                    fate[start..end].fill(ELIDE);
                }
                start = end + 1;
            }
        }
    }
    // The letters and digits left, lower-cased, and the offset of each in `text`.
    let (mut norm, mut at) = (Vec::new(), Vec::new());
    for (i, &b) in bytes.iter().enumerate() {
        if fate[i] == KEEP && b.is_ascii_alphanumeric() {
            norm.push(b.to_ascii_lowercase());
            at.push(i);
        }
    }
    for secret in secrets {
        const HEX: &[u8; 16] = b"0123456789abcdef";
        let mut plain = Vec::new();
        for b in secret.bytes() {
            if b.is_ascii_alphanumeric() {
                plain.push(b.to_ascii_lowercase());
            }
        }
        if plain.len() < PIECE {
            continue;
        }
        mark_pieces(&norm, &at, &plain, PIECE, &mut fate);
        // Its bytes written out one by one, as `norm` reads them: hex (`33`, `%33`, `33:66`), hex
        // after `x` (`&#x33;`, `\x33`), `0x` or `u00` (`\u0033`), and decimal (marked `#`: Go's
        // `[51 102]`, Python's `[51, 102]`, a `Buffer` as JSON, `&#51;`; 2 or 3 digits a byte, so
        // 10 bytes are 20 digits or more). Each found by windows of 10 bytes' worth (`unit` a byte).
        for (prefix, unit) in [("", 2), ("x", 3), ("0x", 4), ("u00", 5), ("#", 2)] {
            let mut form = Vec::new();
            for b in secret.bytes() {
                if unit == 2 && !prefix.is_empty() {
                    if b >= 100 {
                        form.push(b'0' + b / 100);
                    }
                    if b >= 10 {
                        form.push(b'0' + b / 10 % 10);
                    }
                    form.push(b'0' + b % 10);
                } else {
                    form.extend_from_slice(prefix.as_bytes());
                    form.push(HEX[usize::from(b >> 4)]);
                    form.push(HEX[usize::from(b & 15)]);
                }
            }
            mark_pieces(&norm, &at, &form, unit * PIECE, &mut fate);
        }
        // Base64 (and base64url: `+ / - _` are not letters) of the credential at each of the 3
        // offsets a byte can have in it: the characters that depend on its bytes only.
        let bits = secret.len() * 8;
        for mut bit in [0, 2, 4] {
            let mut base64 = Vec::new();
            while bit + 6 <= bits {
                let mut v = 0;
                for i in bit..bit + 6 {
                    v = v << 1 | secret.as_bytes()[i / 8] >> (7 - i % 8) & 1;
                }
                bit += 6;
                base64.push(match v {
                    0..=25 => b'a' + v,
                    26..=51 => b'a' + v - 26,
                    52..=61 => b'0' + v - 52,
                    _ => continue,
                });
            }
            mark_pieces(&norm, &at, &base64, BASE64_PIECE, &mut fate);
        }
    }
    // Between two hidden letters that follow each other in `norm`, everything is hidden too
    // (separators, elided runs): a stretch of them becomes one `[redacted]`. Both ends are ASCII,
    // so character boundaries.
    for pair in at.windows(2) {
        if fate[pair[0]] == HIDE && fate[pair[1]] == HIDE {
            fate[pair[0]..pair[1]].fill(HIDE);
        }
    }
    rebuild(text, &fate)
}

/// Hides the letters of every window of `len` bytes of `norm` that occurs in `form` (`at` says
/// where each letter is in the text). Only the windows of `form` that start with the same byte
/// are compared, a handful for a credential of a few dozen bytes: a text of 1 MiB takes a
/// fraction of a second.
#[inline(never)]
fn mark_pieces(norm: &[u8], at: &[usize], form: &[u8], len: usize, fate: &mut [Fate]) {
    if norm.len() < len || form.len() < len {
        return;
    }
    // The windows of `form` by their first byte, as chains: `first[b]` is one plus where the
    // first window starting with `b` starts, `next[q]` the same for the next one after `q`
    // (zero ends a chain).
    let mut first = [0usize; 256];
    let mut next = vec![0usize; form.len()];
    for q in (0..=form.len() - len).rev() {
        let b = usize::from(form[q]);
        next[q] = first[b];
        first[b] = q + 1;
    }
    for start in 0..=norm.len() - len {
        let window = &norm[start..start + len];
        let mut q = first[usize::from(window[0])];
        while q > 0 {
            if form[q - 1..q - 1 + len] == *window {
                for &i in &at[start..start + len] {
                    fate[i] = HIDE;
                }
                break;
            }
            q = next[q - 1];
        }
    }
}

/// Replaces every copy of each non-empty secret, in any ASCII case, raw or in the escaped forms
/// it was sent in (JSON body, URL query), by `[redacted]`; copies that touch or overlap become
/// one.
pub(crate) fn redact_exact(text: &str, secrets: &[&str]) -> String {
    // ASCII lower-casing keeps every byte where it is: what is found in `lower` is there in `text`.
    let lower = text.to_ascii_lowercase();
    let mut fate = vec![KEEP; text.len()];
    for secret in secrets.iter().filter(|s| !s.is_empty()) {
        let mut json = String::new();
        push_json_string(&mut json, secret);
        let json = json.get(1..json.len() - 1).unwrap_or_default();
        for form in [secret, json, &encode_component(secret)] {
            let form = form.to_ascii_lowercase();
            let (text, form) = (lower.as_bytes(), form.as_bytes());
            // Every copy, overlapping ones too; each is whole characters, since UTF-8 never
            // matches from inside one.
            for at in 0..(text.len() + 1).saturating_sub(form.len()) {
                if text[at] == form[0] && text[at..at + form.len()] == *form {
                    fate[at..at + form.len()].fill(HIDE);
                }
            }
        }
    }
    rebuild(text, &fate)
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
    fn every_copy_is_hidden_even_overlapping_ones() {
        // Copies that overlap or touch become one `[redacted]`, with nothing of them left over.
        assert_eq!(redact_exact("x bbb y", &["bb"]), "x [redacted] y");
        assert_eq!(redact_exact("a:   ", &["a: ", "  "]), "[redacted]");
        assert_eq!(redact_exact("SECSEC, sec", &["sec"]), "[redacted], [redacted]");
        // A short credential never cuts into the `[redacted]` of another.
        assert_eq!(
            redact("got 0123456789abcdef, a", &["0123456789abcdef", "a"]),
            "got [redacted], [redacted]"
        );
    }

    #[test]
    fn a_piece_is_found_across_an_elided_run() {
        let secret = "abcdefghij0123456789abcdefghij0123456789";
        let run = "Z".repeat(25);
        let text = format!("id abcde {run} fghij.");
        // Elided, the run is a separator like its `…`: the halves around it are one piece.
        assert_eq!(redact(&text, &[secret]), "id [redacted].");
        // Kept (a `request_id`, a name), the run is letters between the halves.
        assert_eq!(redact_credentials(&text, &[secret]), text);
        assert_eq!(redact_pieces(&text, &[secret]), text);
    }

    #[test]
    fn every_piece_is_found_whatever_its_first_letter_shares() {
        // Every window of a form that starts with the window's first byte is compared: every
        // other byte of the hex form `6162636465…` is `6`.
        let secret = "abcdefghijklmnop";
        let hex: String = secret.bytes().map(|b| format!("{b:02x}")).collect();
        for piece in [
            &hex[..20],
            &hex[6..26],
            &hex[12..32],
            &secret[3..13],
            &secret[6..16],
        ] {
            let shown = redact_pieces(&format!("[{piece}]"), &[secret]);
            assert_eq!(shown, "[[redacted]]", "{piece}");
        }
        // Nine characters are not a piece.
        assert_eq!(redact_pieces("[abcdefghi]", &[secret]), "[abcdefghi]");
    }

    #[test]
    fn byte_lists_and_chunked_base64_of_a_credential_are_hidden() {
        let secret = "3f9a0c1b2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f70";
        let bytes = || secret.bytes().map(|b| b.to_string());
        for echo in [
            format!("[{}]", bytes().collect::<Vec<_>>().join(" ")),
            format!("[{}]", bytes().collect::<Vec<_>>().join(", ")),
            format!(
                r#"{{"type":"Buffer","data":[{}]}}"#,
                bytes().collect::<Vec<_>>().join(",")
            ),
            secret.bytes().map(|b| format!("0x{b:02X}, ")).collect(),
            secret.bytes().map(|b| format!("&#{b};")).collect(),
            secret.bytes().map(|b| format!("&#x{b:x};")).collect(),
            secret.bytes().map(|b| format!("\\u{b:04x}")).collect(),
            // base64 in 8-character chunks
            "M2Y5YTBj MWIyZDNl NGY1YTZi N2M4ZDll MGYxYTJi M2M0ZDVl NmY3MA==".to_owned(),
        ] {
            for shown in [redact(&echo, &[secret]), redact_pieces(&echo, &[secret])] {
                assert!(
                    !shown.contains("51") && !shown.contains("33") && !shown.contains("YTBj"),
                    "{shown}"
                );
            }
        }
        // Numbers and lists in ordinary text stay readable.
        for text in [
            "ids [1 2 3] and 0x10, 0x20; 7000000000000000001 has 255 of 256 (&#169; 2024)",
            "Request 2024-06-01 12:30:45, retry in 30 s (x64 build, u0041)",
        ] {
            assert_eq!(redact(text, &[secret]), text);
        }
    }

    #[test]
    fn redact_removes_every_copy() {
        assert_eq!(redact("x=SEC y=SEC", &["SEC", ""]), "x=[redacted] y=[redacted]");
    }
}
