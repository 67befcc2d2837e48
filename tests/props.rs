//! Properties over arbitrary input. Every input the crate accepts must round-trip exactly —
//! checked with an independent decoder (`form_urlencoded`), an independent JSON parser
//! (`serde_json`) and real shells — and every input it refuses must be refused with
//! `invalid_input`, never with a panic. `PROPTEST_CASES=N` changes the number of cases.
#![cfg(not(target_arch = "wasm32"))]

use proptest::prelude::*;
use proptest::test_runner::{Config, TestCaseError, TestRunner};
use std::cell::Cell;
use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};
use tiktok_ads_auth::*;

// ---- runner and generators ----

fn runner(default_cases: u32) -> TestRunner {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default_cases);
    TestRunner::new(Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    })
}

/// Prints how many generated inputs a property saw, and checks both branches were exercised.
fn report(name: &str, accepted: usize, refused: usize, min_accepted: usize) {
    println!("property {name}: {accepted} accepted, {refused} refused");
    assert!(
        accepted >= min_accepted,
        "{name}: only {accepted} accepted inputs, the generators need fixing"
    );
}

/// Characters that have broken quoting, escaping and parsing before.
const NASTY: &str = "'\"$`\\!*?[]{}~#&;|<>()%+=@^:/, \t\n\r\x0b\x0c\0\u{7f}\u{85}\u{a0}\
    \u{2028}\u{2029}\u{feff}\u{202e}\u{200b}éß😀\u{fffd}\u{10ffff}";

/// Any character, often an awkward one.
fn any_char() -> impl Strategy<Value = char> {
    prop_oneof![
        3 => any::<char>(),
        3 => prop::sample::select(NASTY.chars().collect::<Vec<_>>()),
        4 => prop::char::range('!', '~'),
    ]
}

fn string_of(
    chars: impl Strategy<Value = char>,
    len: std::ops::RangeInclusive<usize>,
) -> impl Strategy<Value = String> {
    prop::collection::vec(chars, len).prop_map(|v| v.into_iter().collect())
}

fn any_string(max: usize) -> impl Strategy<Value = String> {
    string_of(any_char(), 0..=max)
}

/// Visible characters: anything but control characters (C0, DEL, C1).
fn visible_char() -> impl Strategy<Value = char> {
    any_char().prop_filter("no control characters", |c| !c.is_control())
}

/// ASCII whitespace as `trim_ascii` sees it.
fn ascii_ws() -> impl Strategy<Value = String> {
    string_of(prop::sample::select(vec![' ', '\t', '\n', '\r', '\x0c']), 0..=2)
}

/// An independent trim, matching the crate's documented "surrounding ASCII whitespace".
fn trim(s: &str) -> &str {
    s.trim_matches(|c| matches!(c, ' ' | '\t' | '\n' | '\r' | '\x0c'))
}

fn valid_app_id() -> impl Strategy<Value = String> {
    (ascii_ws(), "[0-9]{1,32}", ascii_ws()).prop_map(|(a, d, b)| format!("{a}{d}{b}"))
}

fn any_app_id() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => valid_app_id(),
        1 => "[0-9]{33,40}",
        1 => "[0-9]{0,5}[.eE+ -][0-9]{0,5}",
        2 => any_string(24),
    ]
}

/// ASCII allowed in a URL's path and query by the crate (besides letters and digits).
const URL_ASCII: &[char] = &[
    '!', '$', '&', '\'', '(', ')', '*', '+', ',', '-', '.', '/', ':', ';', '=', '@', '[', ']', '_', '~', '%',
    '?',
];

/// A character the crate accepts in a URL, outside `excluded`.
fn url_char(excluded: &'static [char]) -> impl Strategy<Value = char> {
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
fn host() -> impl Strategy<Value = String> {
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
fn browser_reads_as_ipv4(host: &str) -> bool {
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

fn is_canonical_ipv4(host: &str) -> bool {
    let parts: Vec<&str> = host.split('.').collect();
    parts.len() == 4
        && parts
            .iter()
            .all(|p| p.parse::<u8>().is_ok_and(|n| n.to_string() == *p))
}

/// An absolute http(s) URL that the documented rules accept: http/https in any case, a host,
/// an optional port, and arbitrary Unicode in the path and query (no fragment).
fn valid_http_url(with_query: bool) -> impl Strategy<Value = String> {
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
fn valid_base_url() -> impl Strategy<Value = String> {
    valid_http_url(false).prop_map(|u| match u.split_once("://") {
        Some((scheme, rest)) if scheme.eq_ignore_ascii_case("http") => format!("https://{rest}"),
        _ => u,
    })
}

/// A valid URL with one character inserted somewhere: mostly refused, sometimes not.
fn mutated_url() -> impl Strategy<Value = String> {
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

fn valid_state() -> impl Strategy<Value = String> {
    prop_oneof![
        8 => string_of(visible_char(), 1..=48),
        1 => "[a-zA-Z0-9_-]{43}",
        1 => (1000usize..=1024).prop_map(|n| "s".repeat(n)),
        1 => (254usize..=256).prop_map(|n| "😀".repeat(n)), // 1016..1024 bytes
    ]
}

// ---- a stand-in curl and real shells ----

/// Feeds `command` to `shell` (`bash` or `sh`) on standard input, as a paste into a terminal
/// would, through `tests/harness/paste.sh` (the runner `tests/soak/curl.test.mjs` uses too: a
/// clean environment, an empty directory, a stand-in `curl` first on PATH), and returns the
/// arguments that curl received. Fails when the command did more than call curl.
fn run_pasted(shell: &str, command: &str) -> Result<Vec<String>, String> {
    let paste = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/harness/paste.sh");
    let mut child = Command::new("sh")
        .arg(&paste)
        .arg(shell)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("sh {}: {e}", paste.display()))?;
    let mut stdin = child.stdin.take().unwrap();
    stdin.write_all(command.as_bytes()).unwrap();
    stdin.write_all(b"\n").unwrap();
    drop(stdin);
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    match out.status.code() {
        Some(0) => {}
        Some(3) => {
            return Err(format!(
                "the command did more than call curl: {command} ({stderr})"
            ))
        }
        _ => return Err(format!("paste.sh {shell} failed: {stderr}")),
    }
    let stdout = String::from_utf8(out.stdout).map_err(|e| format!("not UTF-8: {e}"))?;
    let mut args: Vec<String> = stdout.split('\0').map(str::to_owned).collect();
    if args.pop().as_deref() != Some("") {
        return Err(format!(
            "{shell} printed no complete argument list; stderr: {stderr}"
        ));
    }
    Ok(args)
}

/// An interactive bash (history expansion of `!` on, like a terminal) and POSIX `sh` (dash),
/// as `tests/harness/paste.sh` starts them.
const SHELLS: [&str; 2] = ["bash", "sh"];

fn shell_available(shell: &str) -> bool {
    Path::new("/bin").join(shell).exists() || Path::new("/usr/bin").join(shell).exists()
}

// ---- authorization URL ----

fn expected_portal(base: Option<&str>) -> String {
    match base {
        None => "https://business-api.tiktok.com/portal/auth".to_owned(),
        Some(b) => {
            let t = b.trim_end_matches('/');
            if t.ends_with("/portal/auth") {
                t.to_owned()
            } else {
                format!("{t}/portal/auth")
            }
        }
    }
}

fn auth_bases() -> impl Strategy<Value = Option<String>> {
    prop_oneof![
        3 => Just(None),
        2 => prop::sample::select(vec![
            "http://127.0.0.1:8081",
            "http://127.0.0.1:8081/",
            "https://h.example/s/t1/ok",
            "https://h.example/portal/auth/",
            "HTTPS://Portal.Example:443/x'y$(z)/",
        ])
        .prop_map(|s| Some(s.to_owned())),
        1 => valid_base_url().prop_map(Some),
    ]
}

/// The query of an authorization URL, decoded by `form_urlencoded` (not the crate's decoder).
fn check_authorization_url(
    url: &str,
    app_id: &str,
    redirect: &str,
    state: &str,
    base: Option<&str>,
) -> Result<(), TestCaseError> {
    let (head, query) = url
        .split_once('?')
        .ok_or_else(|| TestCaseError::fail(format!("no query in {url:?}")))?;
    prop_assert_eq!(head, expected_portal(base));
    prop_assert!(
        query
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-._~%&=".contains(&b)),
        "the query carries a character that is not percent-encoded: {}",
        query
    );
    let pairs: Vec<(String, String)> = form_urlencoded::parse(query.as_bytes()).into_owned().collect();
    let expected = vec![
        ("app_id".to_owned(), trim(app_id).to_owned()),
        ("state".to_owned(), state.to_owned()),
        ("redirect_uri".to_owned(), redirect.to_owned()),
    ];
    prop_assert_eq!(pairs, expected);
    Ok(())
}

#[test]
fn valid_authorization_inputs_are_accepted_and_decode_back_exactly() {
    let accepted = Cell::new(0);
    runner(512)
        .run(
            &(valid_app_id(), valid_http_url(true), valid_state(), auth_bases()),
            |(app_id, redirect, state, base)| {
                let url = authorization_url(&app_id, &redirect, &state, base.as_deref())
                    .map_err(|e| TestCaseError::fail(format!("refused valid input: {e}")))?;
                accepted.set(accepted.get() + 1);
                check_authorization_url(&url, &app_id, &redirect, &state, base.as_deref())
            },
        )
        .unwrap();
    report("authorization_url (valid)", accepted.get(), 0, 1);
}

#[test]
fn any_authorization_input_round_trips_or_is_invalid_input() {
    let (accepted, refused) = (Cell::new(0), Cell::new(0));
    let redirect = prop_oneof![
        3 => valid_http_url(true),
        2 => mutated_url(),
        1 => any_string(40),
        1 => valid_http_url(true).prop_map(|u| format!("{u}#frag")),
    ];
    let state = prop_oneof![2 => valid_state(), 1 => any_string(24)];
    let base =
        prop_oneof![3 => auth_bases(), 1 => mutated_url().prop_map(Some), 1 => any_string(20).prop_map(Some)];
    runner(1024)
        .run(
            &(any_app_id(), redirect, state, base),
            |(app_id, redirect, state, base)| {
                match authorization_url(&app_id, &redirect, &state, base.as_deref()) {
                    Ok(url) => {
                        accepted.set(accepted.get() + 1);
                        check_authorization_url(&url, &app_id, &redirect, &state, base.as_deref())?;
                    }
                    Err(e) => {
                        refused.set(refused.get() + 1);
                        prop_assert_eq!(e.kind(), ErrorKind::InvalidInput, "{}", e);
                        let m = e.message();
                        prop_assert!(
                            ["`appId`", "`redirectUri`", "`state`", "`authBase`"]
                                .iter()
                                .any(|a| m.starts_with(a)),
                            "the message names no argument: {}",
                            m
                        );
                    }
                }
                Ok(())
            },
        )
        .unwrap();
    report("authorization_url (any)", accepted.get(), refused.get(), 100);
}

// ---- the curl command, run by real shells ----

fn secret_strategy() -> impl Strategy<Value = String> {
    prop_oneof![
        2 => any_string(40),
        1 => "[0-9a-f]{40}",
        2 => (ascii_ws(), string_of(visible_char(), 1..=40), ascii_ws()).prop_map(|(a, s, b)| format!("{a}{s}{b}")),
    ]
}

fn code_strategy() -> impl Strategy<Value = String> {
    prop_oneof![
        1 => any_string(40),
        2 => "[0-9a-f]{40}",
        2 => string_of(visible_char().prop_filter("no space", |c| *c != ' '), 1..=40),
    ]
}

fn api_bases() -> impl Strategy<Value = Option<String>> {
    prop_oneof![
        2 => Just(None),
        2 => prop::sample::select(vec![
            "https://business-api.tiktok.com/open_api/v1.3",
            "https://business-api.tiktok.com/open_api/v1.3/",
            "http://127.0.0.1:9/s/x/ok/open_api/v1.3",
            "https://relay.example/it's/$(touch pwned)/`id`/!!/a;b&c*/open_api/v1.3/",
        ])
        .prop_map(|s| Some(s.to_owned())),
        2 => valid_base_url().prop_map(Some),
        1 => any_string(30).prop_map(Some),
    ]
}

/// Integers of 16 digits or more are read as strings (so that 19-digit ids stay exact); a
/// negative one then passes as an advertiser id, and a numeric token as a token, where the
/// same values with fewer digits are refused.
#[test]
fn long_integers_are_held_to_the_same_rules_as_short_ones() {
    for id in ["-1", "-1000000000000000", "-7123456789012345678"] {
        let body = format!(r#"{{"code":0,"data":{{"access_token":"t","advertiser_ids":[{id}]}}}}"#);
        let grant = parse_token_response(&body).unwrap();
        assert!(grant.advertiser_ids.is_empty(), "id {id} accepted");
        assert!(
            grant.warnings[0].contains("`data.advertiser_ids[0]`") && grant.warnings[0].contains("negative"),
            "{:?}",
            grant.warnings
        );
    }
    for token in ["1234", "1234567890123456789"] {
        let body = format!(r#"{{"code":0,"data":{{"access_token":{token},"advertiser_ids":[]}}}}"#);
        let e = parse_token_response(&body).err();
        assert_eq!(
            e.map(|e| e.kind()),
            Some(ErrorKind::InvalidResponse),
            "numeric token {token} accepted"
        );
    }
}

#[test]
fn curl_command_sends_exactly_the_exchange_request_through_real_shells() {
    let shells: Vec<&str> = SHELLS.iter().copied().filter(|s| shell_available(s)).collect();
    assert!(!shells.is_empty(), "neither bash nor sh found");
    let (accepted, refused) = (Cell::new(0), Cell::new(0));
    runner(384)
        .run(
            &(
                prop_oneof![6 => valid_app_id(), 1 => any_app_id()],
                secret_strategy(),
                code_strategy(),
                api_bases(),
            ),
            |(app_id, secret, code, base)| {
                let request = match TokenRequest::new(
                    &app_id,
                    &AppSecret::new(secret.as_str()),
                    &AuthCode::new(code.as_str()),
                    base.as_deref(),
                ) {
                    Ok(r) => r,
                    Err(e) => {
                        refused.set(refused.get() + 1);
                        prop_assert_eq!(e.kind(), ErrorKind::InvalidInput, "{}", e);
                        return Ok(());
                    }
                };
                accepted.set(accepted.get() + 1);
                // What exchangeAuthCode sends.
                let http = request.http_request();
                let body = request.body();
                prop_assert_eq!(http.method, Method::Post);
                prop_assert_eq!(&http.url, &request.url());
                prop_assert_eq!(
                    &http.headers,
                    &vec![("Content-Type", "application/json".to_owned())]
                );
                prop_assert_eq!(http.body.as_deref(), Some(body.as_str()));
                let expected_url = format!(
                    "{}/oauth2/access_token/",
                    base.as_deref()
                        .map_or(PRODUCTION_API_BASE, |b| b.trim_end_matches('/'))
                );
                prop_assert_eq!(&http.url, &expected_url);
                // The body is the three trimmed fields, read back by an independent JSON parser.
                let parsed: serde_json::Value = serde_json::from_str(&body)
                    .map_err(|e| TestCaseError::fail(format!("body is not JSON ({e}): {body}")))?;
                let expected = serde_json::json!({
                    "app_id": trim(&app_id), "secret": trim(&secret), "auth_code": trim(&code),
                });
                prop_assert_eq!(parsed, expected);
                prop_assert!(body.starts_with("{\"app_id\":"), "field order: {}", body);
                // The same request, as the shells see the pasted command.
                let want = vec![
                    "-sS".to_owned(),
                    "-g".to_owned(),
                    "-X".to_owned(),
                    "POST".to_owned(),
                    expected_url,
                    "-H".to_owned(),
                    "Content-Type: application/json".to_owned(),
                    "--data-raw".to_owned(),
                    body,
                ];
                let command = request.curl();
                for shell in &shells {
                    // Fails when the command did more than call curl (a file appeared).
                    let got = run_pasted(shell, &command).map_err(TestCaseError::fail)?;
                    prop_assert_eq!(&got, &want, "{} ran {}", shell, command);
                }
                Ok(())
            },
        )
        .unwrap();
    report("curl through bash -i and sh", accepted.get(), refused.get(), 80);
}

#[test]
fn inputs_the_documented_rules_allow_are_accepted_by_the_exchange() {
    let accepted = Cell::new(0);
    let secret = (ascii_ws(), string_of(visible_char(), 1..=64), ascii_ws())
        .prop_filter("not blank", |(_, s, _)| !trim(s).is_empty())
        .prop_map(|(a, s, b)| format!("{a}{s}{b}"));
    let code = string_of(visible_char().prop_filter("no space", |c| *c != ' '), 1..=64);
    runner(256)
        .run(&(valid_app_id(), secret, code), |(app_id, secret, code)| {
            let r = TokenRequest::new(
                &app_id,
                &AppSecret::new(secret.as_str()),
                &AuthCode::new(code.as_str()),
                None,
            );
            prop_assert!(r.is_ok(), "refused: {:?}", r.err().map(|e| e.message()));
            accepted.set(accepted.get() + 1);
            Ok(())
        })
        .unwrap();
    report("TokenRequest::new (documented-valid)", accepted.get(), 0, 1);
}

// ---- the redirect ----

const OAUTH_PARAMS: [&str; 8] = [
    "auth_code",
    "code",
    "state",
    "error",
    "error_description",
    "error_code",
    "error_reason",
    "error_uri",
];

fn encode(pairs: &[(String, String)]) -> String {
    let mut s = form_urlencoded::Serializer::new(String::new());
    for (k, v) in pairs {
        s.append_pair(k, v);
    }
    s.finish()
}

/// How the code comes back: where it sits and under which name.
#[derive(Debug, Clone)]
struct RedirectCase {
    code: String,
    state: String,
    extras: Vec<(String, String)>,
    /// 0: `https://…?q`, 1: `?q`, 2: bare `q`, 3: `https://…#q`, 4: `https://…?extras#q`
    shape: u8,
    /// 0: auth_code, 1: code, 2: both (equal)
    names: u8,
    base: String,
    order: prop::sample::Index,
    padding: (String, String),
}

fn redirect_case() -> impl Strategy<Value = RedirectCase> {
    let code = prop_oneof![
        4 => string_of(visible_char().prop_filter("no space", |c| *c != ' '), 1..=40),
        1 => "[0-9a-f]{40}",
        1 => (2000usize..=2048).prop_map(|n| "c".repeat(n)),
    ];
    let extra_name = any_string(10).prop_filter("not an OAuth parameter", |n| {
        let decoded: String = form_urlencoded::parse(encode(&[(n.clone(), String::new())]).as_bytes())
            .next()
            .map(|(k, _)| k.into_owned())
            .unwrap_or_default();
        !OAUTH_PARAMS.contains(&decoded.as_str()) && !n.is_empty()
    });
    (
        code,
        any_string(40),
        prop::collection::vec((extra_name, any_string(16)), 0..4),
        0u8..5,
        0u8..3,
        valid_http_url(false),
        any::<prop::sample::Index>(),
        (ascii_ws(), ascii_ws()),
    )
        .prop_map(
            |(code, state, extras, shape, names, base, order, padding)| RedirectCase {
                code,
                state,
                extras,
                shape,
                names,
                base,
                order,
                padding,
            },
        )
}

impl RedirectCase {
    fn url(&self) -> String {
        let mut oauth = Vec::new();
        if self.names != 1 {
            oauth.push(("auth_code".to_owned(), self.code.clone()));
        }
        if self.names != 0 {
            oauth.push(("code".to_owned(), self.code.clone()));
        }
        oauth.push(("state".to_owned(), self.state.clone()));
        let mut all = self.extras.clone();
        let at = self.order.index(all.len() + 1);
        for (i, p) in oauth.into_iter().enumerate() {
            all.insert(at + i, p);
        }
        let q = encode(&all);
        let inner = match self.shape {
            0 => format!("{}?{q}", self.base),
            1 => format!("?{q}"),
            2 => q,
            3 => format!("{}#{q}", self.base),
            _ => format!("{}?{}#{}", self.base, encode(&self.extras), encode(&all)),
        };
        format!("{}{inner}{}", self.padding.0, self.padding.1)
    }
}

#[test]
fn parse_redirect_returns_the_values_a_url_was_built_from() {
    let (accepted, refused) = (Cell::new(0), Cell::new(0));
    runner(1024)
        .run(&redirect_case(), |case| {
            let url = case.url();
            match parse_redirect(&url) {
                Ok(r) => {
                    accepted.set(accepted.get() + 1);
                    prop_assert_eq!(r.auth_code.secret(), case.code.as_str(), "{}", url);
                    let state = Some(case.state.clone()).filter(|s| !s.is_empty());
                    prop_assert_eq!(r.state, state, "{}", url);
                }
                Err(e) => {
                    // Only a code over 2048 bytes may be refused, and only as invalid_input.
                    refused.set(refused.get() + 1);
                    prop_assert_eq!(e.kind(), ErrorKind::InvalidInput, "{}: {}", url, e);
                    prop_assert!(case.code.len() > 2048, "refused {}: {}", url, e);
                }
            }
            // Stripping removes exactly the OAuth parameters, keeping the others byte for byte.
            if matches!(case.shape, 0 | 3 | 4) {
                let kept = encode(&case.extras);
                let mut want = case.base.clone();
                if !kept.is_empty() && case.shape != 3 {
                    want.push('?');
                    want.push_str(&kept);
                }
                if !kept.is_empty() && case.shape != 0 {
                    want.push('#');
                    want.push_str(&kept);
                }
                prop_assert_eq!(strip_redirect_params(trim(&url)), want, "{}", url);
            }
            Ok(())
        })
        .unwrap();
    report("parse_redirect (built URLs)", accepted.get(), refused.get(), 500);
}

#[test]
fn parse_redirect_never_panics_and_refuses_with_known_kinds() {
    let counts = Cell::new(0);
    let input = prop_oneof![
        2 => any_string(80),
        2 => redirect_case().prop_map(|c| c.url()),
        2 => (redirect_case(), any::<prop::sample::Index>(), any_string(4)).prop_map(|(c, at, s)| {
            let url: Vec<char> = c.url().chars().collect();
            let at = at.index(url.len() + 1);
            url[..at].iter().collect::<String>() + &s + &url[at..].iter().collect::<String>()
        }),
        1 => prop::collection::vec(prop::sample::select(vec!["auth_code=", "code=", "state=", "error=", "&", "?", "#", "=", "%", "%2", "+", "a", "%00", "%E2%80%A8"]), 0..24)
            .prop_map(|v| v.concat()),
    ];
    runner(2048)
        .run(&input, |s| {
            counts.set(counts.get() + 1);
            let _ = strip_redirect_params(&s);
            if let Err(e) = parse_redirect(&s) {
                prop_assert!(
                    matches!(
                        e.kind(),
                        ErrorKind::InvalidInput | ErrorKind::MissingAuthCode | ErrorKind::AuthorizationDenied
                    ),
                    "{:?} for {:?}",
                    e.kind(),
                    s
                );
            }
            Ok(())
        })
        .unwrap();
    report("parse_redirect (hostile)", counts.get(), 0, 1);
}

// ---- TikTok's answers ----

fn arb_json() -> impl Strategy<Value = serde_json::Value> {
    use serde_json::Value;
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        any::<f64>()
            .prop_filter("finite", |f| f.is_finite())
            .prop_map(Value::from),
        any_string(12).prop_map(Value::String),
        prop::sample::select(vec![
            "code",
            "data",
            "access_token",
            "advertiser_ids",
            "list",
            "0"
        ])
        .prop_map(|s| Value::String(s.to_owned())),
    ];
    leaf.prop_recursive(4, 48, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(serde_json::Value::Array),
            prop::collection::vec(
                (
                    prop_oneof![
                        3 => prop::sample::select(vec!["code", "message", "request_id", "data", "access_token", "advertiser_ids", "scope", "list", "advertiser_id", "advertiser_name"]).prop_map(str::to_owned),
                        1 => any_string(6),
                    ],
                    inner
                ),
                0..6
            )
            .prop_map(|m| serde_json::Value::Object(m.into_iter().collect())),
        ]
    })
}

/// Envelopes that are nearly right: mostly the real shape, with any value anywhere.
fn envelope_like() -> impl Strategy<Value = String> {
    let id = prop_oneof![
        any_string(8).prop_map(serde_json::Value::from),
        any::<u64>().prop_map(serde_json::Value::from),
        any::<i64>().prop_map(serde_json::Value::from),
        arb_json(),
    ];
    (
        prop_oneof![3 => Just(serde_json::json!(0)), 1 => arb_json()],
        prop_oneof![any_string(10).prop_map(serde_json::Value::from), arb_json()],
        prop::collection::vec(id.clone(), 0..4),
        prop::collection::vec(
            (
                id,
                prop_oneof![any_string(8).prop_map(serde_json::Value::from), arb_json()],
            ),
            0..3,
        ),
        arb_json(),
    )
        .prop_map(|(code, token, ids, list, extra)| {
            let list: Vec<_> = list
                .into_iter()
                .map(|(i, n)| serde_json::json!({"advertiser_id": i, "advertiser_name": n}))
                .collect();
            serde_json::json!({
                "code": code, "message": "m", "request_id": extra,
                "data": {"access_token": token, "advertiser_ids": ids, "scope": [4, 5], "list": list},
            })
            .to_string()
        })
}

#[test]
fn answer_readers_never_panic_and_fail_with_answer_kinds() {
    let request = TokenRequest::new("1", &AppSecret::new("s"), &AuthCode::new("c"), None).unwrap();
    let call = TokenCall::new(&AccessToken::new("t"), "1", &AppSecret::new("s"), None).unwrap();
    let counts = (Cell::new(0), Cell::new(0));
    let body = prop_oneof![
        3 => envelope_like(),
        2 => arb_json().prop_map(|v| v.to_string()),
        1 => any_string(60),
        1 => envelope_like().prop_flat_map(|s| {
            let n = s.len();
            (Just(s), 0..=n).prop_map(|(s, cut)| s.get(..cut).unwrap_or("").to_owned())
        }),
    ];
    let status = prop_oneof![4 => Just(200u16), 1 => any::<u16>(), 1 => prop::sample::select(vec![0u16, 199, 204, 299, 300, 404, 500, 599])];
    runner(2048)
        .run(&(body, status), |(body, status)| {
            let outcomes = [
                parse_token_response(&body).map(|_| ()),
                request.read_answer(status, &body).map(|_| ()),
                call.read_advertisers(status, &body).map(|_| ()),
                call.read_revoke(status, &body).map(|_| ()),
            ];
            for outcome in outcomes {
                match outcome {
                    Ok(()) => counts.0.set(counts.0.get() + 1),
                    Err(e) => {
                        counts.1.set(counts.1.get() + 1);
                        prop_assert!(
                            matches!(
                                e.kind(),
                                ErrorKind::ApiError | ErrorKind::InvalidResponse | ErrorKind::HttpStatus
                            ),
                            "{:?}: {}",
                            e.kind(),
                            e
                        );
                        prop_assert_eq!(e.status().is_some(), e.kind() == ErrorKind::HttpStatus);
                        prop_assert_eq!(e.code().is_some(), e.kind() == ErrorKind::ApiError);
                    }
                }
            }
            Ok(())
        })
        .unwrap();
    report("answer readers (hostile)", counts.0.get(), counts.1.get(), 100);
}

/// An id as TikTok may send it, and the exact string it must come out as.
fn id_in_and_out() -> impl Strategy<Value = (serde_json::Value, String)> {
    prop_oneof![
        "[0-9]{1,19}".prop_map(|s| (serde_json::Value::from(s.clone()), s)),
        (ascii_ws(), string_of(visible_char(), 1..=20), ascii_ws())
            .prop_filter("not blank", |(_, s, _)| !trim(s).is_empty())
            .prop_map(|(a, s, b)| {
                let raw = format!("{a}{s}{b}");
                (serde_json::Value::from(raw.clone()), trim(&raw).to_owned())
            }),
        any::<u64>().prop_map(|n| (serde_json::Value::from(n), n.to_string())),
        (7_000_000_000_000_000_000u64..=u64::MAX).prop_map(|n| (serde_json::Value::from(n), n.to_string())),
    ]
}

#[test]
fn successful_answers_come_back_exactly_and_ids_are_never_rounded() {
    let request = TokenRequest::new(
        "1",
        &AppSecret::new("SECRET-VALUE"),
        &AuthCode::new("CODE-VALUE"),
        None,
    )
    .unwrap();
    let call = TokenCall::new(
        &AccessToken::new("TOKEN-VALUE"),
        "1",
        &AppSecret::new("SECRET-VALUE"),
        None,
    )
    .unwrap();
    let accepted = Cell::new(0);
    let token = string_of(visible_char(), 1..=64);
    let names = any_string(16);
    runner(512)
        .run(
            &(
                token,
                prop::collection::vec((id_in_and_out(), names), 0..6),
                prop::collection::vec(
                    prop_oneof![
                        any::<u64>().prop_map(|n| (serde_json::Value::from(n), n.to_string())),
                        "[1-9][0-9]{15,25}".prop_map(|s| (serde_json::Value::from(s.clone()), s)),
                        // 19-digit ids as TikTok sends them: bare JSON numbers (spliced in
                        // below, since serde_json's Value would round those beyond u64).
                        "[1-9][0-9]{15,25}"
                            .prop_map(|s| (serde_json::Value::from(format!("#BARE#{s}#END#")), s)),
                    ],
                    0..5,
                ),
                "[0-9A-Za-z]{1,40}",
            ),
            |(token, ids, scope, request_id)| {
                let (raw_ids, want_ids): (Vec<_>, Vec<_>) = ids
                    .iter()
                    .map(|((raw, want), _)| (raw.clone(), want.clone()))
                    .unzip();
                let (raw_scope, want_scope): (Vec<_>, Vec<_>) = scope.into_iter().unzip();
                let body = serde_json::json!({
                    "code": 0, "message": "OK", "request_id": request_id,
                    "data": {"access_token": token, "advertiser_ids": raw_ids, "scope": raw_scope},
                })
                .to_string()
                .replace("\"#BARE#", "")
                .replace("#END#\"", "");
                for grant in [parse_token_response(&body), request.read_answer(200, &body)] {
                    let grant = grant.map_err(|e| TestCaseError::fail(format!("{e}: {body}")))?;
                    prop_assert_eq!(grant.access_token.secret(), token.as_str());
                    prop_assert_eq!(&grant.advertiser_ids, &want_ids);
                    prop_assert_eq!(&grant.scope, &want_scope);
                    prop_assert_eq!(grant.request_id.as_deref(), Some(request_id.as_str()));
                    // Only what TikTok would not send is flagged: a token not of its shape (40
                    // lowercase hex), an advertiser id that is not all digits; both are kept.
                    let odd_token = !(token.len() == 40
                        && token
                            .bytes()
                            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)));
                    let odd_ids = want_ids
                        .iter()
                        .filter(|id| !id.bytes().all(|b| b.is_ascii_digit()))
                        .count();
                    prop_assert_eq!(
                        grant.warnings.len(),
                        usize::from(odd_token) + odd_ids,
                        "{:?}",
                        grant.warnings
                    );
                    for w in &grant.warnings {
                        prop_assert!(token.len() < 8 || !w.contains(token.as_str()), "{}", w);
                    }
                }
                let revoke = serde_json::json!({"code": 0, "data": {"advertiser_ids": raw_ids}}).to_string();
                prop_assert_eq!(
                    call.read_revoke(200, &revoke)
                        .map_err(|e| TestCaseError::fail(e.to_string()))?,
                    want_ids.clone()
                );
                let list: Vec<_> = ids
                    .iter()
                    .map(
                        |((raw, _), name)| serde_json::json!({"advertiser_id": raw, "advertiser_name": name}),
                    )
                    .collect();
                let advertisers = serde_json::json!({"code": 0, "data": {"list": list}}).to_string();
                let got = call
                    .read_advertisers(200, &advertisers)
                    .map_err(|e| TestCaseError::fail(e.to_string()))?;
                let want: Vec<Advertiser> = ids
                    .iter()
                    .map(|((_, id), name)| Advertiser {
                        advertiser_id: id.clone(),
                        advertiser_name: name.clone(),
                    })
                    .collect();
                prop_assert_eq!(got, want);
                accepted.set(accepted.get() + 1);
                Ok(())
            },
        )
        .unwrap();
    report("answers read back exactly", accepted.get(), 0, 1);
}

/// Since TikTok spends the single-use code when it answers, an id that cannot be exact never
/// costs the token: it is left out with a warning naming it, and never rounded.
#[test]
fn ids_that_are_not_exact_integers_are_left_out_not_rounded() {
    let count = Cell::new(0);
    let raw = prop_oneof![
        any::<i64>()
            .prop_filter("negative", |n| *n < 0)
            .prop_map(|n| n.to_string()),
        "-[1-9][0-9]{15,30}",
        "[1-9][0-9]{0,18}\\.[0-9]{1,3}",
        "[1-9](\\.[0-9]{1,5})?[eE][+-]?[0-9]{1,3}",
        "[1-9][0-9]{15,30}",
        "0|[1-9][0-9]{0,14}",
        "[1-9][0-9]{15,18}\\.0",
        prop::sample::select(vec![
            "\"\"",
            "\" \\t\"",
            "true",
            "null",
            "{}",
            "[]",
            "1.0",
            "7e3",
            "1e400",
            "9007199254740993.0"
        ])
        .prop_map(str::to_owned),
    ];
    runner(512)
        .run(&raw, |raw| {
            count.set(count.get() + 1);
            let exact = raw.bytes().all(|b| b.is_ascii_digit());
            for field in ["advertiser_ids", "scope"] {
                let body = format!(r#"{{"code":0,"data":{{"access_token":"ec3e0a1b2c3d4e5f60718293a4b5c6d7e8f90a1b","advertiser_ids":["1"],"scope":["1"],"{field}":["1",{raw}]}}}}"#);
                let g = parse_token_response(&body).map_err(|e| TestCaseError::fail(format!("{e}: {body}")))?;
                let got = if field == "scope" { &g.scope } else { &g.advertiser_ids };
                if exact {
                    prop_assert_eq!(got, &vec!["1".to_owned(), raw.clone()]);
                    prop_assert!(g.warnings.is_empty(), "{:?}", g.warnings);
                } else {
                    prop_assert_eq!(got, &vec!["1".to_owned()], "{}", raw);
                    prop_assert_eq!(g.warnings.len(), 1, "{:?}", g.warnings);
                    let name = format!("`data.{field}[1]`");
                    prop_assert!(g.warnings[0].contains(&name), "{:?}", g.warnings);
                }
            }
            Ok(())
        })
        .unwrap();
    report("inexact ids left out with a warning", count.get(), 0, 1);
}

// ---- no credential in any error or Debug output ----

/// Server bodies that echo the credentials in every shape a gateway or relay might.
fn echoing_body(secrets: Vec<String>) -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        3 => prop::sample::select(secrets).prop_map(|s| s.to_owned()),
        2 => any_string(12),
        1 => prop::sample::select(vec!["\"", "\\", " ", "\n", "<b>", "&", "%", "{", "}"]).prop_map(str::to_owned),
    ];
    let text = prop::collection::vec(piece, 1..6).prop_map(|v| v.concat());
    (text.clone(), text, 0u8..9).prop_map(|(a, b, template)| {
        let (ja, jb) = (
            serde_json::Value::from(a.clone()),
            serde_json::Value::from(b.clone()),
        );
        match template {
            0 => a,
            1 => format!("<html><body>{a}</body></html>"),
            2 => format!(r#"{{"code":40101,"message":{ja},"request_id":{jb}}}"#),
            3 => format!(r#"{{"code":0,"message":{ja},"request_id":{jb},"data":{{}}}}"#),
            4 => format!(
                r#"{{"code":0,"request_id":{jb},"data":{{"access_token":"t","advertiser_ids":[{ja}]}}}}"#
            ),
            5 => format!(r#"{{"code":0,"data":{{"list":[{{"advertiser_id":{ja}}}],"access_token":{jb}}}}}"#),
            6 => format!("{a}{{\"code\":0,\"data\":{{\"access_token\":{jb}"),
            7 => format!(r#"{{"code":0,"data":{{"access_token":{jb},"advertiser_ids":{ja},"scope":[{ja},{jb},-1,1.5]}}}}"#),
            _ => format!(r#"{{"code":"{a}","message":{jb}}}"#),
        }
    })
}

fn shown(e: &Error) -> String {
    format!(
        "{e} | {e:?} | {} | {:?} | {:?} | {:?} | {:?}",
        e.message(),
        e.hint(),
        e.request_id(),
        e.code(),
        e.status()
    )
}

#[test]
fn credentials_never_appear_in_errors_or_debug_output() {
    let count = Cell::new(0);
    let creds = ("[A-Za-z0-9_-]{12,40}", "[A-Za-z0-9]{12,40}", "[a-f0-9]{12,64}");
    runner(512)
        .run(
            &creds.prop_flat_map(|(secret, code, token)| {
                let all = vec![secret.clone(), code.clone(), token.clone()];
                (
                    Just(secret),
                    Just(code),
                    Just(token),
                    echoing_body(all),
                    any::<u16>(),
                )
            }),
            |(secret, code, token, body, status)| {
                count.set(count.get() + 1);
                let (request, call) = exchange_and_lookup(&secret, &code, &token);
                let mut errors = Vec::new();
                for st in [200, status] {
                    match request.read_answer(st, &body) {
                        Err(e) => errors.push(("exchange", e, vec![&secret, &code])),
                        // A grant's warnings may quote odd values: never a credential.
                        Ok(grant) => {
                            let token = grant.access_token.secret();
                            for w in &grant.warnings {
                                prop_assert!(!w.contains(&secret) && !w.contains(&code), "{}", w);
                                prop_assert!(token.len() < 12 || !w.contains(token), "{}", w);
                            }
                        }
                    }
                    if let Err(e) = call.read_advertisers(st, &body) {
                        errors.push(("advertisers", e, vec![&secret, &token]));
                    }
                    if let Err(e) = call.read_revoke(st, &body) {
                        errors.push(("revoke", e, vec![&secret, &token]));
                    }
                }
                for (what, e, creds) in &errors {
                    let text = shown(e);
                    for c in creds {
                        prop_assert!(
                            !text.contains(c.as_str()),
                            "{} error shows a credential: {}",
                            what,
                            text
                        );
                    }
                }
                let debug = format!(
                    "{request:?} {:?} {call:?} {:?} {:?} {:?} {:?}",
                    request.http_request(),
                    call.advertisers_request(),
                    call.revoke_request(),
                    AppSecret::new(secret.as_str()),
                    AuthCode::new(code.as_str())
                );
                for c in [&secret, &code, &token] {
                    prop_assert!(!debug.contains(c.as_str()), "Debug shows a credential: {}", debug);
                }
                Ok(())
            },
        )
        .unwrap();
    report("no credential in errors", count.get(), 0, 1);
}

// ---- regressions: defects these properties found ----

/// An exchange answered with an HTTP error status whose body carries a token (a relay that
/// passes TikTok's success body through with a 5xx, or a gateway that re-labels it) quotes the
/// token in the error message: `http_status` excerpts the body without looking at it.
#[test]
fn an_error_status_never_quotes_a_token_from_the_body() {
    let request = TokenRequest::new("1", &AppSecret::new("s3cret"), &AuthCode::new("c0de"), None).unwrap();
    let body = r#"{"code":0,"message":"OK","data":{"access_token":"NEWTOKEN-1234567890abcdef","advertiser_ids":["1"]}}"#;
    for status in [500, 502, 503, 404] {
        let e = request.read_answer(status, body).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::HttpStatus);
        assert!(!shown(&e).contains("NEWTOKEN"), "{}", e.message());
    }
}

/// A secret with a character that JSON or a URL escapes is echoed by a relay in its escaped
/// form (`a\"b`, `a%26b`), which the redaction does not recognise.
#[test]
fn escaped_echoes_of_the_secret_are_redacted() {
    let secret = r#"s3cr&t"value/x"#;
    let request = TokenRequest::new("1", &AppSecret::new(secret), &AuthCode::new("c0de"), None).unwrap();
    let call = TokenCall::new(&AccessToken::new("t0ken"), "1", &AppSecret::new(secret), None).unwrap();
    // A relay answering 400 with the request it could not forward.
    let echo = format!("bad request: {}", request.body());
    let e = request.read_answer(400, &echo).unwrap_err();
    assert!(!e.message().contains(r#"s3cr&t\"value"#), "{}", e.message());
    // A gateway's 404 page naming the URL, secret percent-encoded.
    let url = call.advertisers_request().url;
    let e = call
        .read_advertisers(404, &format!("Cannot GET {url}"))
        .unwrap_err();
    assert!(!e.message().contains("s3cr%26t"), "{}", e.message());
}

/// The letters and digits of `text`, lower-cased: what is left of an echo once its separators
/// (spaces, colons, dots, dashes…) are ignored.
fn letters_and_digits(text: &str) -> String {
    text.chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// Whether `text`, read without separators, holds 10 consecutive characters of `secret`.
fn holds_a_piece_of(text: &str, secret: &str) -> bool {
    let (text, secret) = (letters_and_digits(text), letters_and_digits(secret));
    secret
        .as_bytes()
        .windows(10)
        .any(|w| text.contains(std::str::from_utf8(w).unwrap()))
}

/// An echo of a credential with separators between its characters, its chunks or its hex bytes
/// is never quoted: not in a message, a `request_id` or an advertiser's name.
#[test]
fn no_separated_echo_of_a_credential_is_quoted() {
    let count = Cell::new(0);
    let echo = (
        "[0-9a-f]{40}",
        1usize..=12,
        prop::sample::select(vec![" ", ":", ".", "-", ", ", " · ", "\u{200b}", "_"]),
        any::<bool>(),
        any::<bool>(),
        20usize..=40,
    );
    runner(256)
        .run(&echo, |(secret, chunk, sep, as_hex, upper, prefix)| {
            count.set(count.get() + 1);
            let token = format!("{}{}", &secret[20..], &secret[..20]);
            let units: Vec<String> = if as_hex {
                secret.bytes().map(|b| format!("{b:02x}")).collect()
            } else {
                secret.chars().map(String::from).collect()
            };
            let mut echo = units
                .chunks(chunk)
                .map(|c| c.concat())
                .collect::<Vec<_>>()
                .join(sep);
            if upper {
                echo = echo.to_ascii_uppercase();
            }
            let (request, call) = exchange_and_lookup(&secret, "c0de", &token);
            let body = serde_json::json!({
                "code": 40101, "message": format!("bad secret: {echo}, try again"),
                "request_id": &secret[..prefix],
            })
            .to_string();
            for e in [
                request.read_answer(200, &body).unwrap_err(),
                call.read_advertisers(200, &body).unwrap_err(),
            ] {
                let shown = format!("{} {:?}", e.message(), e.request_id());
                prop_assert!(!holds_a_piece_of(&shown, &secret), "{}", shown);
                prop_assert!(
                    e.message().contains("bad secret: ") && e.message().ends_with(", try again"),
                    "{}",
                    shown
                );
            }
            let not_json = format!("echo: {echo}");
            let e = request.read_answer(500, &not_json).unwrap_err();
            prop_assert!(!holds_a_piece_of(&e.message(), &secret), "{}", e.message());
            let list = serde_json::json!({"code": 0, "data": {"list": [
                {"advertiser_id": "7000000000000000001", "advertiser_name": &secret},
                {"advertiser_id": "7000000000000000002", "advertiser_name": format!("Shop {echo}")},
                {"advertiser_id": "7000000000000000003", "advertiser_name": &token[..prefix]},
            ]}})
            .to_string();
            for a in call.read_advertisers(200, &list).unwrap() {
                prop_assert!(
                    !holds_a_piece_of(&a.advertiser_name, &secret)
                        && !holds_a_piece_of(&a.advertiser_name, &token),
                    "{}",
                    a.advertiser_name
                );
            }
            Ok(())
        })
        .unwrap();
    report("separated echoes never quoted", count.get(), 0, 1);
}

/// The exchange and the advertiser lookup of app `1` with these credentials, on TikTok's base.
fn exchange_and_lookup(secret: &str, code: &str, token: &str) -> (TokenRequest, TokenCall) {
    let secret = AppSecret::new(secret);
    let request = TokenRequest::new("1", &secret, &AuthCode::new(code), None).unwrap();
    let call = TokenCall::new(&AccessToken::new(token), "1", &secret, None).unwrap();
    (request, call)
}

/// The encodings a relay, a gateway or a language's default formatting prints bytes in.
const BYTE_ENCODINGS: &[&str] = &[
    "go",
    "python",
    "buffer",
    "0x",
    "html",
    "html-hex",
    "base64-chunks",
    "base64",
    "base64url",
    "percent",
    "utf16",
];

/// `bytes` printed as `how` (one of [`BYTE_ENCODINGS`]), after `pad` bytes (base64 offsets).
fn encode_bytes(how: &str, bytes: &[u8], pad: &[u8]) -> String {
    let list =
        |f: &dyn Fn(u8) -> String, sep: &str| bytes.iter().map(|&b| f(b)).collect::<Vec<_>>().join(sep);
    let base64 = |table: &[u8]| {
        let data: Vec<u8> = pad.iter().chain(bytes).copied().collect();
        let mut out = String::new();
        for chunk in data.chunks(3) {
            let n = chunk
                .iter()
                .enumerate()
                .fold(0u32, |n, (i, &b)| n | u32::from(b) << (16 - 8 * i));
            for i in 0..=chunk.len() {
                out.push(table[(n >> (18 - 6 * i) & 63) as usize] as char);
            }
        }
        out
    };
    const STD: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    const URL: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    match how {
        "go" => format!("[{}]", list(&|b| b.to_string(), " ")),
        "python" => format!("[{}]", list(&|b| b.to_string(), ", ")),
        "buffer" => format!(
            r#"{{"type":"Buffer","data":[{}]}}"#,
            list(&|b| b.to_string(), ",")
        ),
        "0x" => list(&|b| format!("0x{b:02x}"), ", "),
        "html" => list(&|b| format!("&#{b};"), ""),
        "html-hex" => list(&|b| format!("&#x{b:x};"), ""),
        "base64-chunks" => {
            let all = base64(STD);
            all.as_bytes()
                .chunks(8)
                .map(|c| std::str::from_utf8(c).unwrap())
                .collect::<Vec<_>>()
                .join(" ")
        }
        "base64" => base64(STD),
        "base64url" => base64(URL),
        "percent" => list(&|b| format!("%{b:02X}"), ""),
        "utf16" => list(&|b| format!("\\u{b:04x}"), ""),
        other => unreachable!("{other}"),
    }
}

/// Every run of bytes a reader can decode out of `text` if they know it is printed as `how`: each
/// stretch between two redactions or elisions on its own, base64 at each of its 4 alignments.
fn decode_bytes(how: &str, text: &str) -> Vec<Vec<u8>> {
    let mut runs = Vec::new();
    for part in text.split("[redacted]").flat_map(|p| p.split('…')) {
        let hex_after = |mark: &str, digits: usize| -> Vec<u8> {
            part.split(mark)
                .skip(1)
                .filter_map(|s| {
                    let h: String = s
                        .chars()
                        .take(digits)
                        .take_while(char::is_ascii_hexdigit)
                        .collect();
                    u8::from_str_radix(&h, 16).ok()
                })
                .collect()
        };
        match how {
            "go" | "python" | "buffer" | "html" => runs.push(
                part.split(|c: char| !c.is_ascii_digit())
                    .filter_map(|n| n.parse::<u8>().ok())
                    .collect(),
            ),
            "0x" => runs.push(hex_after("0x", 2)),
            "html-hex" => runs.push(hex_after("&#x", 2)),
            "percent" => runs.push(hex_after("%", 2)),
            "utf16" => runs.push(hex_after("\\u", 4)),
            _ => {
                // base64, base64url, chunked: the alphabet's characters, whatever separates them
                let values: Vec<u32> = part
                    .bytes()
                    .filter_map(|c| match c {
                        b'A'..=b'Z' => Some(u32::from(c - b'A')),
                        b'a'..=b'z' => Some(u32::from(c - b'a') + 26),
                        b'0'..=b'9' => Some(u32::from(c - b'0') + 52),
                        b'+' | b'-' => Some(62),
                        b'/' | b'_' => Some(63),
                        _ => None,
                    })
                    .collect();
                for skip in 0..4.min(values.len()) {
                    let (mut acc, mut bits, mut out) = (0u32, 0, Vec::new());
                    for &v in &values[skip..] {
                        acc = (acc << 6 | v) & 0xffff;
                        bits += 6;
                        if bits >= 8 {
                            bits -= 8;
                            out.push((acc >> bits) as u8);
                        }
                    }
                    runs.push(out);
                }
            }
        }
    }
    runs
}

/// A piece of a credential (10 to 40 of its characters) printed as bytes in any of
/// [`BYTE_ENCODINGS`] — a Go or Python byte list, a Node `Buffer` as JSON, `0x` bytes, HTML
/// entities, base64 whole, at any offset or in 8-character chunks, percent-encoding, `\u00XX` —
/// never lets a reader decode 10 consecutive characters of it from a message, a `request_id`, an
/// id's warning or an advertiser's name; ordinary text around it stays readable.
#[test]
fn no_byte_encoded_echo_of_a_credential_is_quoted() {
    let count = Cell::new(0);
    let echo = (
        "[0-9a-f]{40}",
        prop::sample::select(BYTE_ENCODINGS.to_vec()),
        0usize..=30,
        10usize..=40,
        prop::collection::vec(any::<u8>(), 0..=2),
        any::<bool>(),
    );
    runner(512)
        .run(&echo, |(secret, how, from, len, pad, token_echoed)| {
            count.set(count.get() + 1);
            let token = format!("{}{}", &secret[20..], &secret[..20]);
            let credential = if token_echoed { &token } else { &secret };
            let piece = &credential[from.min(40 - len)..][..len];
            let printed = encode_bytes(how, piece.as_bytes(), &pad);
            let (request, call) = exchange_and_lookup(&secret, "c0de", &token);
            let leaks = |text: &str| {
                decode_bytes(how, text)
                    .iter()
                    .any(|run| holds_a_piece_of(&String::from_utf8_lossy(run), credential))
            };
            // Checked first: the test's own reader decodes what is printed.
            prop_assert!(leaks(&printed), "{} {}", how, printed);
            let body = serde_json::json!({
                "code": 40101, "message": format!("bad secret: {printed}, try again"),
                "request_id": printed,
            })
            .to_string();
            // The exchange does not know the token yet: it keeps only its own credentials out.
            let mut errors = vec![
                call.read_advertisers(200, &body).unwrap_err(),
                call.read_revoke(502, &format!("echo: {printed}")).unwrap_err(),
            ];
            if !token_echoed {
                errors.push(request.read_answer(200, &body).unwrap_err());
                errors.push(request.read_answer(502, &format!("echo: {printed}")).unwrap_err());
            }
            for e in errors {
                let shown = format!("{} {}", e.message(), e.request_id().unwrap_or_default());
                prop_assert!(!leaks(&shown), "{}: {}", how, shown);
            }
            let e = call.read_advertisers(200, &body).unwrap_err();
            prop_assert!(
                e.message().contains("bad secret: ") && e.message().contains(", try again"),
                "{}",
                e.message()
            );
            let list = serde_json::json!({"code": 0, "data": {"list": [
                {"advertiser_id": "7000000000000000001", "advertiser_name": format!("Shop {printed}")},
            ]}})
            .to_string();
            for a in call.read_advertisers(200, &list).unwrap() {
                prop_assert!(!leaks(&a.advertiser_name), "{}: {}", how, a.advertiser_name);
            }
            let grant = serde_json::json!({"code": 0, "data": {
                "access_token": &token, "advertiser_ids": ["1"], "scope": [format!("4 {printed}")],
            }})
            .to_string();
            let grant = request.read_answer(200, &grant).unwrap();
            for w in &grant.warnings {
                prop_assert!(!leaks(w), "{}: {}", how, w);
            }
            Ok(())
        })
        .unwrap();
    report("byte-encoded echoes never quoted", count.get(), 0, 1);
}
