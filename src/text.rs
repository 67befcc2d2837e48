//! Small string and byte helpers that keep `core::fmt` and core's `char` searchers out of the
//! wasm build. A leaf: it uses no other module of the crate.

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

/// At most `max_chars` characters of `text` on one line, control characters and bidi controls
/// shown as spaces, with an ellipsis when cut: safe to put in an error message.
pub(crate) fn excerpt(text: &str, max_chars: usize) -> String {
    let mut out = String::new();
    for (i, c) in text.trim_ascii().chars().enumerate() {
        if i == max_chars {
            out.push('…');
            break;
        }
        out.push(if c.is_control() || is_bidi_control(c) {
            ' '
        } else {
            c
        });
    }
    out
}

/// The explicit bidi embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069): in
/// server text they could reorder the rest of a message as shown (an id or a hint read backwards).
fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// `text.split_once(byte)` for an ASCII byte, found by a byte scan: core's `char` searchers
/// (UTF-8 encoding, `memchr`, both directions) stay out of the wasm build. The same goes for the
/// helpers below; the crate uses them instead of `char` patterns.
pub(crate) fn split_once_byte(text: &str, byte: u8) -> Option<(&str, &str)> {
    debug_assert!(byte.is_ascii());
    let i = text.bytes().position(|b| b == byte)?;
    Some((&text[..i], &text[i + 1..]))
}

/// `text.rsplit_once(byte)` for an ASCII byte.
pub(crate) fn rsplit_once_byte(text: &str, byte: u8) -> Option<(&str, &str)> {
    debug_assert!(byte.is_ascii());
    let i = text.bytes().rposition(|b| b == byte)?;
    Some((&text[..i], &text[i + 1..]))
}

/// `text.split(byte)` for an ASCII byte.
pub(crate) fn split_byte(text: &str, byte: u8) -> impl Iterator<Item = &str> {
    let mut rest = Some(text);
    core::iter::from_fn(move || {
        let current = rest?;
        Some(match split_once_byte(current, byte) {
            Some((piece, after)) => {
                rest = Some(after);
                piece
            }
            None => {
                rest = None;
                current
            }
        })
    })
}

/// `text.contains(byte)` for an ASCII byte.
pub(crate) fn has_byte(text: &str, byte: u8) -> bool {
    text.bytes().any(|b| b == byte)
}

/// `text.trim_end_matches(byte)` for an ASCII byte.
pub(crate) fn trim_end_byte(text: &str, byte: u8) -> &str {
    debug_assert!(byte.is_ascii());
    let bytes = text.as_bytes();
    let mut end = bytes.len();
    while end > 0 && bytes[end - 1] == byte {
        end -= 1;
    }
    &text[..end]
}

/// Where `needle` first occurs in `haystack` (a plain search: inputs are short, and it keeps
/// core's two-way string searcher out of the wasm build).
pub(crate) fn find_bytes(haystack: &str, needle: &str) -> Option<usize> {
    let (h, n) = (haystack.as_bytes(), needle.as_bytes());
    let first = *n.first()?;
    (0..(h.len() + 1).saturating_sub(n.len()))
        .find(|&i| h.get(i) == Some(&first) && h.get(i..i + n.len()) == Some(n))
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
    fn excerpt_neutralises_bidi_controls() {
        let controls = "\u{202A}\u{202B}\u{202C}\u{202D}\u{202E}\u{2066}\u{2067}\u{2068}\u{2069}";
        let shown = excerpt(&cat(&["id ", controls, "1234 ok"]), 100);
        assert_eq!(shown, "id          1234 ok");
        // Hebrew and Arabic letters, and the marks next to the range, are kept.
        assert_eq!(
            excerpt("שלום مرحبا \u{2029}\u{2065}\u{206A}", 100),
            "שלום مرحبا \u{2029}\u{2065}\u{206A}"
        );
    }

    #[test]
    fn byte_helpers_agree_with_the_char_pattern_methods() {
        let texts = [
            "",
            "a",
            "&",
            "&&",
            "a&b",
            "&a&",
            "a&&b&",
            "é&😀&",
            "x=1&y=2#z",
            "[::1]:80",
            "...",
            "a.b.",
            "ab//",
            "/",
            "日本&語",
            "a=b=c",
        ];
        for text in texts {
            for byte in [b'&', b'=', b'.', b'#', b'?', b':', b'/', b']'] {
                let c = char::from(byte);
                assert_eq!(split_once_byte(text, byte), text.split_once(c), "{text:?} {c}");
                assert_eq!(rsplit_once_byte(text, byte), text.rsplit_once(c), "{text:?} {c}");
                assert_eq!(
                    split_byte(text, byte).collect::<Vec<_>>(),
                    text.split(c).collect::<Vec<_>>(),
                    "{text:?} {c}"
                );
                assert_eq!(has_byte(text, byte), text.contains(c), "{text:?} {c}");
                assert_eq!(
                    trim_end_byte(text, byte),
                    text.trim_end_matches(c),
                    "{text:?} {c}"
                );
            }
        }
    }
}
