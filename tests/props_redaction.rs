//! Properties of redaction: no credential, whole, escaped, separated or printed as bytes, appears
//! in an error, a warning or `Debug` output.
#![cfg(not(target_arch = "wasm32"))]

mod props_common;

use props_common::*;
use proptest::prelude::*;
use proptest::test_runner::TestRunner;
use std::cell::Cell;
use tiktok_ads_auth::*;

/// A runner whose failures persist beside this file (see `props_common::runner_for`).
fn runner(default_cases: u32) -> TestRunner {
    runner_for(file!(), default_cases)
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
