//! TikTok's answers: `parse_token_response` and every `read_*` on any status and body.
//!
//! Invariants: nothing panics; failures are `http_status`, `api_error` or `invalid_response`
//! with their fields set consistently; no message, hint, request id or Debug output contains
//! the secret, the auth code or the access token of the call, even when the body echoes them;
//! what is accepted is well formed (non-empty token, trimmed non-empty ids, digit-only scope ids,
//! warnings without a credential).
//!
//! Input: two bytes of HTTP status (big-endian), then the body.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tiktok_ads_auth::{
    parse_token_response, AccessToken, AppSecret, AuthCode, Error, ErrorKind, TokenCall, TokenGrant,
    TokenRequest,
};

const SECRET: &str = "SEKRET-7f3a";
const CODE: &str = "AUTHCODE-51c0";
const TOKEN: &str = "TOKEN-9d2e";

fn check_error(e: &Error, credentials: &[&str]) {
    assert!(
        matches!(
            e.kind(),
            ErrorKind::HttpStatus | ErrorKind::ApiError | ErrorKind::InvalidResponse
        ),
        "{:?}",
        e.kind()
    );
    assert_eq!(e.status().is_some(), e.kind() == ErrorKind::HttpStatus);
    assert_eq!(e.code().is_some(), e.kind() == ErrorKind::ApiError);
    let shown = format!("{e} {e:?} {:?} {:?}", e.hint(), e.request_id());
    for c in credentials {
        assert!(!shown.contains(c), "{c} in {shown}");
    }
    let message = e.message();
    assert!(!message.contains('\n') && !message.contains('\r'), "{message:?}");
}

fn check_grant(g: &TokenGrant, credentials: &[&str]) {
    let token = g.access_token.secret();
    assert!(!token.is_empty());
    for id in &g.advertiser_ids {
        assert!(!id.is_empty() && id.trim_ascii() == id.as_str(), "{id:?}");
    }
    // Permission ids are exact decimal digits, never a rounded or odd value.
    for id in &g.scope {
        assert!(!id.is_empty() && id.bytes().all(|b| b.is_ascii_digit()), "{id:?}");
    }
    // Warnings may quote odd values, but never a credential (nor the token, when it is long
    // enough not to occur in the warnings' own words).
    for w in &g.warnings {
        for c in credentials {
            assert!(!w.contains(c), "{c} in {w}");
        }
        assert!(token.len() < 8 || !w.contains(token), "token in {w}");
        assert!(!w.contains('\n') && !w.contains('\r'), "{w:?}");
    }
    assert_eq!(format!("{:?}", g.access_token), "AccessToken([redacted])");
}

fuzz_target!(|data: &[u8]| {
    let (status, body) = match data {
        [a, b, rest @ ..] => (u16::from_be_bytes([*a, *b]), rest),
        _ => (200, data),
    };
    let body = String::from_utf8_lossy(body);
    // Put the call's credentials where the fuzzer put the markers, so echoes are exercised.
    let body = body
        .replace("$S", SECRET)
        .replace("$C", CODE)
        .replace("$T", TOKEN);

    let request = TokenRequest::new(
        "7000000000000000001",
        &AppSecret::new(SECRET),
        &AuthCode::new(CODE),
        None,
    )
    .expect("valid request");
    let call = TokenCall::new(
        &AccessToken::new(TOKEN),
        "7000000000000000001",
        &AppSecret::new(SECRET),
        None,
    )
    .expect("valid call");

    match parse_token_response(&body) {
        Ok(g) => check_grant(&g, &[]),
        Err(e) => check_error(&e, &[]),
    }
    for status in [status, 200] {
        match request.read_answer(status, &body) {
            Ok(g) => {
                assert!((200..=299).contains(&status));
                check_grant(&g, &[SECRET, CODE]);
            }
            Err(e) => check_error(&e, &[SECRET, CODE]),
        }
        match call.read_advertisers(status, &body) {
            Ok(list) => {
                for a in list {
                    assert!(!a.advertiser_id.is_empty());
                }
            }
            Err(e) => check_error(&e, &[SECRET, TOKEN]),
        }
        match call.read_revoke(status, &body) {
            Ok(ids) => assert!(ids.iter().all(|id| !id.is_empty())),
            Err(e) => check_error(&e, &[SECRET, TOKEN]),
        }
    }
});
