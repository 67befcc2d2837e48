//! A minimal JSON value that both worlds can produce, and the request-body writer.
//!
//! Parsing is delegated: `serde_json` (through this type's serde `Deserialize`) natively, the
//! platform's `JSON.parse` in wasm, so no JSON parser is compiled into the module. Before either
//! runs, [`prepare`] makes the text safe: every number that a double might not hold exactly (an
//! integer of 16 digits or more, and any number with a fraction or exponent) becomes a marked
//! string, so a 19-digit id is never rounded and `7e3` or `9007199254740993.0` is never taken for
//! an integer; and nesting depth is bounded (wasm has no guard page against stack overflow).

use crate::text::decimal_i64;
#[cfg(not(target_arch = "wasm32"))]
use crate::text::decimal_u64;
#[cfg(not(target_arch = "wasm32"))]
use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use std::borrow::Cow;

/// Deepest nesting accepted; TikTok's envelopes are three levels deep.
const MAX_DEPTH: usize = 32;
/// Most values an answer may hold (counted as array items and object members): the largest
/// TikTok answer that fits in 1 MiB, a list of about 13 000 advertisers of 3 values each, holds
/// about 40 000. Each costs the wasm some 50 bytes once parsed, so 1 MiB of `1,1,1…` (520 000
/// ids) would take tens of MiB it never gives back; an answer past this is refused unparsed.
const MAX_VALUES: usize = 50_000;
/// Integers with this many digits or more may exceed 2^53 and are kept as strings.
const LONG_INTEGER_DIGITS: usize = 16;
/// Starts a string that [`prepare`] made from a number, so that it is read back as that number
/// (its exact text) and not as a string. A string of the input that itself starts with this
/// character gets it doubled by [`prepare`], and loses one when read, so input cannot forge a
/// number: `"\u0001123"` stays the string it is.
const NUMBER_MARK: &str = "\u{1}";
const NUMBER_MARK_ESCAPED: &[u8] = b"\\u0001";

/// What kind of number a JSON number token is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum NumberKind {
    /// Digits only (with an optional `-`).
    Integer,
    /// With a fraction or an exponent.
    NotInteger,
}

/// The kind of a token in JSON's number grammar, `None` when it is not one
/// (`-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`).
fn number_kind(token: &str) -> Option<NumberKind> {
    let b = token.strip_prefix("-").unwrap_or(token).as_bytes();
    let digits = |from: usize| {
        b.get(from..)
            .map_or(0, |r| r.iter().take_while(|d| d.is_ascii_digit()).count())
    };
    let int = digits(0);
    if int == 0 || (int > 1 && b[0] == b'0') {
        return None;
    }
    let mut at = int;
    if b.get(at) == Some(&b'.') {
        let frac = digits(at + 1);
        if frac == 0 {
            return None;
        }
        at += 1 + frac;
    }
    if matches!(b.get(at), Some(b'e' | b'E')) {
        at += 1;
        if matches!(b.get(at), Some(b'+' | b'-')) {
            at += 1;
        }
        let exp = digits(at);
        if exp == 0 {
            return None;
        }
        at += exp;
    }
    match (at == b.len(), at == int) {
        (false, _) => None,
        (true, true) => Some(NumberKind::Integer),
        (true, false) => Some(NumberKind::NotInteger),
    }
}

/// A parsed string, or the number [`prepare`] turned into one.
fn string_or_number(s: String) -> Json {
    let Some(rest) = s.strip_prefix(NUMBER_MARK) else {
        return Json::Str(s);
    };
    if rest.starts_with(NUMBER_MARK) {
        // An input string that started with the mark: `prepare` doubled it.
        return Json::Str(rest.to_owned());
    }
    match number_kind(rest) {
        Some(NumberKind::Integer) => Json::Int(rest.to_owned()),
        Some(NumberKind::NotInteger) => Json::Float(rest.to_owned()),
        // `prepare` marks nothing else, and input cannot reach here (see NUMBER_MARK).
        None => Json::Str(s),
    }
}

/// A parsed JSON value. Integers are kept exactly, as their decimal digits.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Json {
    Null,
    Bool(bool),
    /// An integer, exactly (its decimal digits, with a leading `-` when negative).
    Int(String),
    /// A number with a fraction or exponent, as written (never rounded to an integer).
    Float(String),
    Str(String),
    Arr(Vec<Json>),
    Obj(Vec<(String, Json)>),
}

/// `items.iter().enumerate().map(f).collect::<Result<Vec<_>, _>>()` as a plain loop: the
/// iterator adapters cost about half a kilobyte of wasm for each use.
pub(crate) fn try_map<T, E>(
    items: &[Json],
    mut f: impl FnMut(usize, &Json) -> Result<T, E>,
) -> Result<Vec<T>, E> {
    let mut out = Vec::with_capacity(items.len());
    for (i, item) in items.iter().enumerate() {
        out.push(f(i, item)?);
    }
    Ok(out)
}

impl Json {
    /// The member `key` of an object (the last one, like `JSON.parse`, when repeated).
    pub(crate) fn get(&self, key: &str) -> Option<&Json> {
        match self {
            Json::Obj(members) => members.iter().rev().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    /// Moves the member `key` out of an object (the last one when repeated).
    pub(crate) fn take(&mut self, key: &str) -> Option<Json> {
        match self {
            Json::Obj(members) => {
                let at = members.iter().rposition(|(k, _)| k == key)?;
                Some(members.swap_remove(at).1)
            }
            _ => None,
        }
    }

    /// A short name of the value's type, for error messages (never the value itself).
    pub(crate) fn type_name(&self) -> &'static str {
        match self {
            Json::Null => "null",
            Json::Bool(_) => "a boolean",
            Json::Int(_) | Json::Float(_) => "a number",
            Json::Str(_) => "a string",
            Json::Arr(_) => "an array",
            Json::Obj(_) => "an object",
        }
    }
}

/// Why a text could not be parsed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ParseFailure {
    NotJson,
    TooDeep,
    /// More than [`MAX_VALUES`] values.
    TooMany,
}

/// Marks numbers (see [`NUMBER_MARK`]) and checks nesting depth and the number of values, without allocating when
/// nothing changes.
pub(crate) fn prepare(text: &str) -> Result<Cow<'_, str>, ParseFailure> {
    let bytes = text.as_bytes();
    let mut out: Option<String> = None;
    let mut copied = 0; // bytes of `text` already copied into `out`
    let mut depth = 0usize;
    let mut values = 0usize;
    let mut in_string = false;
    let mut escaped = false;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if in_string {
            match (escaped, b) {
                (true, _) => escaped = false,
                (false, b'\\') => escaped = true,
                (false, b'"') => in_string = false,
                _ => {}
            }
            i += 1;
            continue;
        }
        match b {
            b'"' => {
                in_string = true;
                if bytes.get(i + 1..i + 1 + NUMBER_MARK_ESCAPED.len()) == Some(NUMBER_MARK_ESCAPED) {
                    // A string that starts with the mark: double it (see NUMBER_MARK).
                    let o = out.get_or_insert_with(|| String::with_capacity(text.len() + 16));
                    o.push_str(&text[copied..=i]);
                    o.push_str("\\u0001");
                    copied = i + 1;
                }
            }
            b'[' | b'{' | b',' => {
                if b != b',' {
                    depth += 1;
                    if depth > MAX_DEPTH {
                        return Err(ParseFailure::TooDeep);
                    }
                }
                values += 1;
                if values > MAX_VALUES {
                    return Err(ParseFailure::TooMany);
                }
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            b'-' | b'0'..=b'9' => {
                let start = i;
                let mut end = i + 1;
                while end < bytes.len()
                    && matches!(bytes[end], b'0'..=b'9' | b'.' | b'e' | b'E' | b'+' | b'-')
                {
                    end += 1;
                }
                let token = &text[start..end];
                let digits = token.strip_prefix("-").unwrap_or(token);
                // A token outside JSON's grammar stays as it is, for the parser to refuse.
                let mark = match number_kind(token) {
                    Some(NumberKind::Integer) => digits.len() >= LONG_INTEGER_DIGITS,
                    Some(NumberKind::NotInteger) => true,
                    None => false,
                };
                if mark {
                    let o = out.get_or_insert_with(|| String::with_capacity(text.len() + 16));
                    o.push_str(&text[copied..start]);
                    o.push('"');
                    o.push_str("\\u0001");
                    o.push_str(token);
                    o.push('"');
                    copied = end;
                }
                i = end;
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    Ok(match out {
        Some(mut o) => {
            o.push_str(&text[copied..]);
            Cow::Owned(o)
        }
        None => Cow::Borrowed(text),
    })
}

/// Parses JSON text into a [`Json`] value.
pub(crate) fn parse(text: &str) -> Result<Json, ParseFailure> {
    let prepared = prepare(text)?;
    parse_prepared(&prepared)
}

#[cfg(not(target_arch = "wasm32"))]
fn parse_prepared(text: &str) -> Result<Json, ParseFailure> {
    serde_json::from_str(text).map_err(|_| ParseFailure::NotJson)
}

/// `JSON.parse`, then a walk over the resulting JS value. (serde-wasm-bindgen's
/// `deserialize_any` would do the same walk, but its error path links core's float
/// formatting: ~20 KB of wasm for a message no JSON text can trigger.)
#[cfg(target_arch = "wasm32")]
fn parse_prepared(text: &str) -> Result<Json, ParseFailure> {
    let value = js_sys::JSON::parse(text).map_err(|_| ParseFailure::NotJson)?;
    from_js(&value)
}

#[cfg(target_arch = "wasm32")]
fn from_js(value: &wasm_bindgen::JsValue) -> Result<Json, ParseFailure> {
    use wasm_bindgen::JsCast;
    if value.is_null() {
        return Ok(Json::Null);
    }
    if let Some(b) = value.as_bool() {
        return Ok(Json::Bool(b));
    }
    if let Some(n) = value.as_f64() {
        return Ok(number_from_f64(n));
    }
    if let Some(s) = value.as_string() {
        return Ok(string_or_number(s));
    }
    if let Some(array) = value.dyn_ref::<js_sys::Array>() {
        let mut items = Vec::with_capacity(array.length() as usize);
        for i in 0..array.length() {
            items.push(from_js(&array.get(i))?);
        }
        return Ok(Json::Arr(items));
    }
    // `JSON.parse` made it: anything else of type "object" is a plain object.
    if value.is_object() {
        let entries = js_sys::Object::entries(value.unchecked_ref());
        let mut members = Vec::with_capacity(entries.length() as usize);
        for i in 0..entries.length() {
            let entry: js_sys::Array = entries.get(i).unchecked_into();
            let key = entry.get(0).as_string().ok_or(ParseFailure::NotJson)?;
            members.push((key, from_js(&entry.get(1))?));
        }
        return Ok(Json::Obj(members));
    }
    Err(ParseFailure::NotJson)
}

/// A JSON number as a double gives it. After [`prepare`] only integers of up to 15 digits reach
/// here, all exact; anything else would be kept as a number of unknown text, never rounded.
fn number_from_f64(v: f64) -> Json {
    if v.is_finite() && v.fract() == 0.0 && v.abs() <= MAX_EXACT_DOUBLE {
        Json::Int(decimal_i64(v as i64))
    } else {
        Json::Float(String::new())
    }
}

#[cfg(not(target_arch = "wasm32"))]
impl<'de> Deserialize<'de> for Json {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(JsonVisitor)
    }
}

#[cfg(not(target_arch = "wasm32"))]
struct JsonVisitor;

/// 2^53: above this a double no longer holds every integer.
const MAX_EXACT_DOUBLE: f64 = 9_007_199_254_740_992.0;

#[cfg(not(target_arch = "wasm32"))]
impl<'de> Visitor<'de> for JsonVisitor {
    type Value = Json;

    fn expecting(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("a JSON value")
    }
    fn visit_unit<E: de::Error>(self) -> Result<Json, E> {
        Ok(Json::Null)
    }
    fn visit_none<E: de::Error>(self) -> Result<Json, E> {
        Ok(Json::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Json, D::Error> {
        Json::deserialize(d)
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Json, E> {
        Ok(Json::Bool(v))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Json, E> {
        Ok(Json::Int(decimal_i64(v)))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Json, E> {
        Ok(Json::Int(decimal_u64(v)))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Json, E> {
        Ok(number_from_f64(v))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Json, E> {
        Ok(string_or_number(v.to_owned()))
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<Json, E> {
        Ok(string_or_number(v))
    }
    // Reachable from `deserialize_any` in serde-wasm-bindgen (typed arrays). Answering it here,
    // with a fixed message, keeps serde's `Unexpected` formatting (and float printing) out of
    // the wasm binary.
    fn visit_bytes<E: de::Error>(self, _: &[u8]) -> Result<Json, E> {
        Err(E::custom("binary data is not JSON"))
    }
    fn visit_byte_buf<E: de::Error>(self, _: Vec<u8>) -> Result<Json, E> {
        Err(E::custom("binary data is not JSON"))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Json, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element()? {
            items.push(item);
        }
        Ok(Json::Arr(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Json, A::Error> {
        let mut members = Vec::new();
        // Keys go through this same visitor (not `String`'s), for the same reason as above.
        while let Some((key, value)) = map.next_entry::<Json, Json>()? {
            match key {
                Json::Str(k) => members.push((k, value)),
                _ => return Err(de::Error::custom("object keys must be strings")),
            }
        }
        Ok(Json::Obj(members))
    }
}

/// Appends `value` as a JSON string literal (quotes included).
pub(crate) fn push_json_string(out: &mut String, value: &str) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    out.push('"');
    for c in value.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => {
                out.push_str("\\u00");
                out.push(HEX[(c as usize) >> 4] as char);
                out.push(HEX[(c as usize) & 0xf] as char);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

/// A flat JSON object of string members, in the given order.
pub(crate) fn object_of_strings(members: &[(&str, &str)]) -> String {
    let mut out = String::from("{");
    for (i, (key, value)) in members.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        push_json_string(&mut out, key);
        out.push(':');
        push_json_string(&mut out, value);
    }
    out.push('}');
    out
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    #[test]
    fn long_integers_stay_exact_integers() {
        let v = parse(r#"{"ids":[7123456789012345678, 12, -9007199254740993, 1.5e300]}"#).unwrap();
        assert_eq!(
            v.get("ids"),
            Some(&Json::Arr(vec![
                Json::Int("7123456789012345678".into()),
                Json::Int("12".into()),
                Json::Int("-9007199254740993".into()),
                Json::Float("1.5e300".into()),
            ]))
        );
    }

    #[test]
    fn a_fraction_or_exponent_is_never_an_integer() {
        let v = parse(r#"[7e3, 9007199254740993.0, 1.0, -2E+2, 0.5, 7]"#).unwrap();
        let floats = ["7e3", "9007199254740993.0", "1.0", "-2E+2", "0.5"];
        let mut expected: Vec<Json> = floats.iter().map(|f| Json::Float((*f).into())).collect();
        expected.push(Json::Int("7".into()));
        assert_eq!(v, Json::Arr(expected));
    }

    #[test]
    fn the_number_mark_cannot_be_smuggled_in_from_a_string() {
        // Each of these once read as the integer after the mark.
        let v = parse(
            r#"{"code":"\u00010","id":"\u00017043626160646815746","f":"\u00011.5","k":"\u0001\u0001x"}"#,
        )
        .unwrap();
        assert_eq!(v.get("code"), Some(&Json::Str("\u{1}0".into())));
        assert_eq!(v.get("id"), Some(&Json::Str("\u{1}7043626160646815746".into())));
        assert_eq!(v.get("f"), Some(&Json::Str("\u{1}1.5".into())));
        assert_eq!(v.get("k"), Some(&Json::Str("\u{1}\u{1}x".into())));
        // A mark later in the string is plain text too.
        assert_eq!(
            parse(r#"["a\u00011"]"#).unwrap(),
            Json::Arr(vec![Json::Str("a\u{1}1".into())])
        );
    }

    #[test]
    fn number_tokens_outside_the_grammar_stay_invalid() {
        for text in [
            "[01234567890123456789]",
            "[1.]",
            "[1.5.5]",
            "[1e]",
            "[1e+]",
            "[-]",
            "[--1]",
            "[1-2]",
            "[00]",
        ] {
            assert_eq!(parse(text), Err(ParseFailure::NotJson), "{text}");
        }
    }

    #[test]
    fn number_kinds_follow_the_json_grammar() {
        use NumberKind::*;
        for (token, kind) in [
            ("0", Some(Integer)),
            ("-0", Some(Integer)),
            ("7043626160646815746", Some(Integer)),
            ("1.0", Some(NotInteger)),
            ("7e3", Some(NotInteger)),
            ("-1.5E-7", Some(NotInteger)),
            ("01", None),
            ("1.", None),
            (".5", None),
            ("1e", None),
            ("", None),
            ("-", None),
            ("1x", None),
        ] {
            assert_eq!(number_kind(token), kind, "{token:?}");
        }
    }

    #[test]
    fn numbers_inside_strings_are_left_alone() {
        let text = r#"{"a":"7123456789012345678","b":"x\"1234567890123456789"}"#;
        assert!(matches!(prepare(text), Ok(Cow::Borrowed(_))));
    }

    #[test]
    fn deep_nesting_is_refused_before_parsing() {
        let deep = "[".repeat(100_000);
        assert_eq!(parse(&deep), Err(ParseFailure::TooDeep));
        let ok = format!("{}{}", "[".repeat(MAX_DEPTH), "]".repeat(MAX_DEPTH));
        assert!(parse(&ok).is_ok());
    }

    #[test]
    fn garbage_is_not_json() {
        for text in ["", "<html>", "{", "{\"a\":}", "\0", "nul", "{\"a\":1}}"] {
            assert_eq!(parse(text), Err(ParseFailure::NotJson), "{text:?}");
        }
    }

    #[test]
    fn repeated_keys_take_the_last_like_json_parse() {
        let v = parse(r#"{"code":1,"code":0}"#).unwrap();
        assert_eq!(v.get("code"), Some(&Json::Int("0".into())));
    }

    #[test]
    fn string_writer_round_trips_through_a_real_parser() {
        let nasty = "a\"b\\c\n\r\t\0\u{1f}\u{7f}é😀\u{2028}'$`";
        let body = object_of_strings(&[("k", nasty), ("app_id", "1")]);
        let back: serde_json::Value = serde_json::from_str(&body).unwrap();
        assert_eq!(back["k"], nasty);
        assert_eq!(back["app_id"], "1");
        assert!(!body.contains('\0'));
    }
}
