//! Properties of the token exchange: the curl command, pasted into real shells, sends exactly
//! the exchange request, and the inputs the documented rules allow are accepted.
#![cfg(not(target_arch = "wasm32"))]

mod props_common;

use props_common::*;
use proptest::prelude::*;
use proptest::test_runner::{TestCaseError, TestRunner};
use std::cell::Cell;
use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};
use tiktok_ads_auth::*;

/// A runner whose failures persist beside this file (see `props_common::runner_for`).
fn runner(default_cases: u32) -> TestRunner {
    runner_for(file!(), default_cases)
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
