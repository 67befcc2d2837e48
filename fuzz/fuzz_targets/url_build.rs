//! Building requests: `authorization_url`, `TokenRequest` (body, URL, curl), `TokenCall`,
//! `ApiBase::parse` and `validate_timeout_ms` on any arguments.
//!
//! Input: UTF-8 (lossy) fields separated by U+001E, in this order: appId, redirectUri, state,
//! authBase, secret, authCode, apiBase, accessToken, timeoutMs. A missing field takes a valid
//! default, so the fuzzer can vary one argument at a time; `~` as authBase/apiBase means none.
//!
//! Invariants: nothing panics; refusals are `invalid_input`; what is built decodes back —
//! with decoders that are not the crate's — to exactly the (trimmed) arguments: the
//! authorization URL's query, the JSON body, the advertiser URL's query, and the curl command
//! split into words the way a POSIX shell does.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tiktok_ads_auth::{
    authorization_url, validate_timeout_ms, AccessToken, ApiBase, AppSecret, AuthCode, ErrorKind, TokenCall,
    TokenRequest, PRODUCTION_API_BASE,
};

fn trim(s: &str) -> &str {
    s.trim_matches(|c| matches!(c, ' ' | '\t' | '\n' | '\r' | '\x0c'))
}

fn query_pairs(query: &str) -> Vec<(String, String)> {
    form_urlencoded::parse(query.as_bytes()).into_owned().collect()
}

/// Splits a command into words like a POSIX shell: blanks separate words, backslash-newline
/// joins lines, `'…'` is literal, a backslash outside quotes escapes the next character.
/// Returns `None` for anything else a shell would interpret (`$`, `` ` ``, `"`, `;`, …) outside
/// single quotes, since the command must not rely on it.
fn shell_words(command: &str) -> Option<Vec<String>> {
    let mut words = Vec::new();
    let mut word: Option<String> = None;
    let mut chars = command.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            ' ' | '\t' => {
                if let Some(w) = word.take() {
                    words.push(w);
                }
            }
            '\\' => match chars.next()? {
                '\n' => {}
                other => word.get_or_insert_with(String::new).push(other),
            },
            '\'' => {
                let w = word.get_or_insert_with(String::new);
                loop {
                    match chars.next()? {
                        '\'' => break,
                        other => w.push(other),
                    }
                }
            }
            c if c.is_ascii_alphanumeric() || "-_./:".contains(c) || !c.is_ascii() => {
                word.get_or_insert_with(String::new).push(c)
            }
            _ => return None,
        }
    }
    words.extend(word);
    Some(words)
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let mut fields = text.split('\u{1e}');
    let mut next = |default: &'static str| {
        fields
            .next()
            .map(str::to_owned)
            .unwrap_or_else(|| default.to_owned())
    };
    let app_id = next("7000000000000000001");
    let redirect = next("https://me.example/cb/");
    let state = next("st4te");
    let auth_base = Some(next("~")).filter(|b| b != "~");
    let secret = next("s3cret");
    let code = next("c0de");
    let api_base = Some(next("~")).filter(|b| b != "~");
    let token = next("t0ken");
    let timeout = next("30000");

    match authorization_url(&app_id, &redirect, &state, auth_base.as_deref()) {
        Ok(url) => {
            let (_, query) = url.split_once('?').expect("a query");
            assert!(
                query
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b"-._~%&=".contains(&b)),
                "{url}"
            );
            assert_eq!(
                query_pairs(query),
                [
                    ("app_id".to_owned(), trim(&app_id).to_owned()),
                    ("state".to_owned(), state.clone()),
                    ("redirect_uri".to_owned(), redirect.clone()),
                ]
            );
        }
        Err(e) => assert_eq!(e.kind(), ErrorKind::InvalidInput),
    }

    match TokenRequest::new(
        &app_id,
        &AppSecret::new(secret.as_str()),
        &AuthCode::new(code.as_str()),
        api_base.as_deref(),
    ) {
        Ok(request) => {
            let body: serde_json::Value = serde_json::from_str(&request.body()).expect("the body is JSON");
            assert_eq!(
                body,
                serde_json::json!({"app_id": trim(&app_id), "secret": trim(&secret), "auth_code": trim(&code)})
            );
            let base = api_base
                .as_deref()
                .map_or(PRODUCTION_API_BASE, |b| b.trim_end_matches('/'));
            let url = format!("{base}/oauth2/access_token/");
            assert_eq!(request.url(), url);
            let words = shell_words(&request.curl()).expect("the curl command is plain quoted words");
            assert_eq!(
                words,
                [
                    "curl",
                    "-sS",
                    "-g",
                    "-X",
                    "POST",
                    &url,
                    "-H",
                    "Content-Type: application/json",
                    "--data-raw",
                    &request.body()
                ]
            );
            // `Debug` shows nothing of the secret: it reads the same with any other valid secret.
            // (Not "never contains the default secret's text": an API base may hold that text.)
            let other = TokenRequest::new(
                &app_id,
                &AppSecret::new("0123456789abcdef0123456789abcdef01234567"),
                &AuthCode::new(code.as_str()),
                api_base.as_deref(),
            )
            .expect("another valid secret is accepted with the same arguments");
            assert_eq!(
                format!("{request:?}"),
                format!("{other:?}"),
                "Debug depends on the secret"
            );
        }
        Err(e) => assert_eq!(e.kind(), ErrorKind::InvalidInput),
    }

    match TokenCall::new(
        &AccessToken::new(token.as_str()),
        &app_id,
        &AppSecret::new(secret.as_str()),
        api_base.as_deref(),
    ) {
        Ok(call) => {
            let list = call.advertisers_request();
            let (_, query) = list
                .url
                .split_once("/oauth2/advertiser/get/?")
                .expect("the endpoint");
            assert_eq!(
                query_pairs(query),
                [
                    ("app_id".to_owned(), trim(&app_id).to_owned()),
                    ("secret".to_owned(), trim(&secret).to_owned())
                ]
            );
            assert_eq!(list.headers, [("Access-Token", trim(&token).to_owned())]);
            let revoke = call.revoke_request();
            let body: serde_json::Value =
                serde_json::from_str(revoke.body.as_deref().expect("a body")).expect("JSON");
            assert_eq!(
                body,
                serde_json::json!({"app_id": trim(&app_id), "secret": trim(&secret), "access_token": trim(&token)})
            );
        }
        Err(e) => assert_eq!(e.kind(), ErrorKind::InvalidInput),
    }

    if let Some(base) = api_base.as_deref() {
        match ApiBase::parse(base) {
            Ok(b) => {
                assert!(!b.as_str().ends_with('/'));
                assert_eq!(
                    ApiBase::parse(b.as_str()).map(|again| again.as_str().to_owned()),
                    Ok(b.as_str().to_owned())
                );
            }
            Err(e) => assert_eq!(e.kind(), ErrorKind::InvalidInput),
        }
    }

    if let Ok(ms) = timeout.trim().parse::<f64>() {
        match validate_timeout_ms(ms) {
            Ok(v) => assert!((1..=600_000).contains(&v) && f64::from(v) == ms),
            Err(e) => assert_eq!(e.kind(), ErrorKind::InvalidInput),
        }
    }
});
