//! Generators and helpers shared by the property tests (`tests/props_*.rs`): arbitrary input,
//! checked with an independent decoder (`form_urlencoded`), an independent JSON parser
//! (`serde_json`) and real shells. Every input the crate accepts must round-trip exactly, and
//! every input it refuses must be refused with `invalid_input`, never with a panic.
//! `PROPTEST_CASES=N` changes the number of cases. Each test file includes this module, and
//! uses only part of it.
#![allow(dead_code)]

use proptest::prelude::*;
use proptest::test_runner::{Config, FileFailurePersistence, TestRunner};

// ---- runner and generators ----

/// A runner for `default_cases` cases (`PROPTEST_CASES` overrides it). A failing case is saved
/// beside `source_file` (the test file's `file!()`), in `<name>.proptest-regressions`, and
/// replayed first on every later run: commit that file with the fix.
pub fn runner_for(source_file: &'static str, default_cases: u32) -> TestRunner {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default_cases);
    TestRunner::new(Config {
        cases,
        failure_persistence: Some(Box::new(FileFailurePersistence::WithSource(
            "proptest-regressions",
        ))),
        source_file: Some(source_file),
        ..Config::default()
    })
}

/// Prints how many generated inputs a property saw, and checks both branches were exercised.
pub fn report(name: &str, accepted: usize, refused: usize, min_accepted: usize) {
    println!("property {name}: {accepted} accepted, {refused} refused");
    assert!(
        accepted >= min_accepted,
        "{name}: only {accepted} accepted inputs, the generators need fixing"
    );
}

/// Characters that have broken quoting, escaping and parsing before.
pub const NASTY: &str = "'\"$`\\!*?[]{}~#&;|<>()%+=@^:/, \t\n\r\x0b\x0c\0\u{7f}\u{85}\u{a0}\
    \u{2028}\u{2029}\u{feff}\u{202e}\u{200b}éß😀\u{fffd}\u{10ffff}";

/// Any character, often an awkward one.
pub fn any_char() -> impl Strategy<Value = char> {
    prop_oneof![
        3 => any::<char>(),
        3 => prop::sample::select(NASTY.chars().collect::<Vec<_>>()),
        4 => prop::char::range('!', '~'),
    ]
}

pub fn string_of(
    chars: impl Strategy<Value = char>,
    len: std::ops::RangeInclusive<usize>,
) -> impl Strategy<Value = String> {
    prop::collection::vec(chars, len).prop_map(|v| v.into_iter().collect())
}

pub fn any_string(max: usize) -> impl Strategy<Value = String> {
    string_of(any_char(), 0..=max)
}

/// Visible characters: anything but control characters (C0, DEL, C1).
pub fn visible_char() -> impl Strategy<Value = char> {
    any_char().prop_filter("no control characters", |c| !c.is_control())
}

/// ASCII whitespace as `trim_ascii` sees it.
pub fn ascii_ws() -> impl Strategy<Value = String> {
    string_of(prop::sample::select(vec![' ', '\t', '\n', '\r', '\x0c']), 0..=2)
}

/// An independent trim, matching the crate's documented "surrounding ASCII whitespace".
pub fn trim(s: &str) -> &str {
    s.trim_matches(|c| matches!(c, ' ' | '\t' | '\n' | '\r' | '\x0c'))
}

pub fn valid_app_id() -> impl Strategy<Value = String> {
    (ascii_ws(), "[0-9]{1,32}", ascii_ws()).prop_map(|(a, d, b)| format!("{a}{d}{b}"))
}

pub fn any_app_id() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => valid_app_id(),
        1 => "[0-9]{33,40}",
        1 => "[0-9]{0,5}[.eE+ -][0-9]{0,5}",
        2 => any_string(24),
    ]
}

/// ASCII allowed in a URL's path and query by the crate (besides letters and digits).
pub const URL_ASCII: &[char] = &[
    '!', '$', '&', '\'', '(', ')', '*', '+', ',', '-', '.', '/', ':', ';', '=', '@', '[', ']', '_', '~', '%',
    '?',
];

/// A character the crate accepts in a URL, outside `excluded`.
pub fn url_char(excluded: &'static [char]) -> impl Strategy<Value = char> {
    prop_oneof![
        3 => prop::char::range('a', 'z'),
        1 => prop::char::range('0', '9'),
        1 => prop::char::range('A', 'Z'),
        3 => prop::sample::select(URL_ASCII),
        2 => any::<char>().prop_filter("non-ASCII, visible", |c| !c.is_ascii() && !c.is_control()),
    ]
    .prop_filter("excluded", move |c| !excluded.contains(c))
}

/// A host every URL parser agrees on: an ASCII name (international ones in punycode), an IPv4
/// or a bracketed IPv6 address.
pub fn host() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => "[a-z0-9][a-z0-9-]{0,15}(\\.[a-z0-9-]{1,10}){0,3}",
        1 => "127\\.0\\.0\\.[0-9]{1,3}",
        1 => prop::sample::select(vec!["[::1]", "[2001:db8::7]", "[::ffff:127.0.0.1]", "xn--bcher-kva.example"])
            .prop_map(str::to_owned),
        2 => "[A-Za-z0-9._-]{1,12}",
    ]
    .prop_filter("a browser reads a host ending in a number as IPv4", |h| {
        !browser_reads_as_ipv4(h) || is_canonical_ipv4(h)
    })
}

/// The URL Standard: a host whose last label (one trailing dot aside) is decimal digits or `0x`
/// hex goes through the IPv4 parser.
pub fn browser_reads_as_ipv4(host: &str) -> bool {
    let last = host
        .strip_suffix('.')
        .unwrap_or(host)
        .rsplit('.')
        .next()
        .unwrap_or("");
    let hex = last.len() >= 2
        && last[..2].eq_ignore_ascii_case("0x")
        && last[2..].chars().all(|c| c.is_ascii_hexdigit());
    hex || (!last.is_empty() && last.chars().all(|c| c.is_ascii_digit()))
}

pub fn is_canonical_ipv4(host: &str) -> bool {
    let parts: Vec<&str> = host.split('.').collect();
    parts.len() == 4
        && parts
            .iter()
            .all(|p| p.parse::<u8>().is_ok_and(|n| n.to_string() == *p))
}

/// An absolute http(s) URL that the documented rules accept: http/https in any case, a host,
/// an optional port, and arbitrary Unicode in the path and query (no fragment).
pub fn valid_http_url(with_query: bool) -> impl Strategy<Value = String> {
    (
        prop::sample::select(vec!["http", "https", "HTTPS", "Http"]),
        host(),
        prop::option::of(0u32..=65_535),
        prop::option::of(string_of(url_char(&['?', '#']), 0..=24)),
        if with_query {
            prop::option::of(string_of(url_char(&['#']), 0..=24)).boxed()
        } else {
            Just(None).boxed()
        },
    )
        .prop_map(|(scheme, host, port, path, query)| {
            let mut url = format!("{scheme}://{host}");
            if let Some(p) = port {
                url.push_str(&format!(":{p}"));
            }
            if let Some(path) = path {
                url.push('/');
                url.push_str(&path);
            }
            if let Some(q) = query {
                url.push('?');
                url.push_str(&q);
            }
            url
        })
}

/// A valid API or auth base: `https:`, since plain `http:` is only for loopback hosts (those
/// are in the fixed lists).
pub fn valid_base_url() -> impl Strategy<Value = String> {
    valid_http_url(false).prop_map(|u| match u.split_once("://") {
        Some((scheme, rest)) if scheme.eq_ignore_ascii_case("http") => format!("https://{rest}"),
        _ => u,
    })
}

/// A valid URL with one character inserted somewhere: mostly refused, sometimes not.
pub fn mutated_url() -> impl Strategy<Value = String> {
    (valid_http_url(true), any::<prop::sample::Index>(), any_char()).prop_map(|(url, at, c)| {
        let chars: Vec<char> = url.chars().collect();
        let at = at.index(chars.len() + 1);
        chars[..at]
            .iter()
            .chain(std::iter::once(&c))
            .chain(&chars[at..])
            .collect()
    })
}

pub fn valid_state() -> impl Strategy<Value = String> {
    prop_oneof![
        8 => string_of(visible_char(), 1..=48),
        1 => "[a-zA-Z0-9_-]{43}",
        1 => (1000usize..=1024).prop_map(|n| "s".repeat(n)),
        1 => (254usize..=256).prop_map(|n| "😀".repeat(n)), // 1016..1024 bytes
    ]
}
