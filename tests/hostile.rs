//! Malformed and hostile input through every pure entry point: each call must return (never
//! panic), refuse with the right kind, and never echo a credential.
#![cfg(not(target_arch = "wasm32"))]

use tiktok_ads_auth::*;

fn megabyte(c: char) -> String {
    std::iter::repeat_n(c, 1 << 20).collect()
}

/// Strings that have broken parsers before: escapes, NULs, odd Unicode, huge and empty values.
fn nasty_strings() -> Vec<String> {
    let mut v: Vec<String> = [
        "",
        " ",
        "\0",
        "%",
        "%%",
        "%0",
        "%zz",
        "%E0%A4%A",
        "%FF%FE%00",
        "+",
        "&",
        "=",
        "?",
        "#",
        "&&==&&",
        "\u{feff}",
        "\u{202e}",
        "é",
        "😀",
        "\u{fffd}",
        "\\",
        "\"",
        "'",
        "`",
        "$(id)",
        "<script>",
        "\r\n",
        "https://",
        "http://[::1",
        "https://a@b",
        "https://a:b@c/",
        "javascript:alert(1)",
        "data:,x",
        "{",
        "[",
        "{\"code\":",
        "null",
        "0",
        "-0",
        "1e999",
        "NaN",
        "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    v.push(megabyte('a'));
    v.push(megabyte('%'));
    v.push(megabyte('['));
    v.push(megabyte('9'));
    v.push(format!("?auth_code={}", megabyte('c')));
    v.push(format!("https://h/?{}", "auth_code=a&".repeat(50_000)));
    v
}

#[test]
fn no_pure_function_panics_on_hostile_strings() {
    let strings = nasty_strings();
    let mut calls = 0usize;
    for s in &strings {
        let _ = parse_redirect(s);
        let _ = strip_redirect_params(s);
        let _ = parse_token_response(s);
        let _ = validate_app_id(s);
        let _ = validate_state(s);
        let _ = validate_auth_code(s);
        let _ = ApiBase::parse(s);
        let _ = authorization_url(s, s, s, Some(s));
        let _ = authorization_url("1", "https://a/", s, None);
        let _ = authorization_url("1", s, "st", None);
        let _ = verify_state(Some(s), Some("x"));
        let _ = TokenRequest::new(
            "1",
            &AppSecret::new(s.as_str()),
            &AuthCode::new(s.as_str()),
            Some(s),
        );
        if let Ok(r) = TokenRequest::new("1", &AppSecret::new(s.as_str()), &AuthCode::new("c"), None) {
            let _ = r.curl();
            for status in [0, 100, 200, 204, 299, 300, 404, 500, 599, u16::MAX] {
                let _ = r.read_answer(status, s);
            }
        }
        if let Ok(c) = TokenCall::new(&AccessToken::new("t"), "1", &AppSecret::new(s.as_str()), None) {
            let _ = c.read_advertisers(200, s);
            let _ = c.read_revoke(200, s);
        }
        calls += 1;
    }
    assert_eq!(calls, strings.len());
}

#[test]
fn json_with_wrong_types_is_invalid_response_naming_the_field() {
    let cases = [
        (
            r#"{"code":0,"data":{"access_token":null,"advertiser_ids":[]}}"#,
            "`data.access_token`",
        ),
        (
            r#"{"code":0,"data":{"access_token":["t"],"advertiser_ids":[]}}"#,
            "`data.access_token`",
        ),
        (
            r#"{"code":0,"data":{"access_token":"","advertiser_ids":[]}}"#,
            "`data.access_token`",
        ),
        (
            r#"{"code":0,"data":{"advertiser_ids":["1"]}}"#,
            "`data.access_token`",
        ),
        (r#"{"code":0,"data":"ok"}"#, "`data`"),
        (r#"{"code":null}"#, "`code`"),
        (r#"{"code":true}"#, "`code`"),
        (r#"{"code":"\u00010","data":{"access_token":"t"}}"#, "`code`"),
        (r#"{"code":0.0,"data":{"access_token":"t"}}"#, "`code`"),
        (r#"{"code":12345678901234567890}"#, "`code`"),
    ];
    for (body, field) in cases {
        let e = parse_token_response(body).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::InvalidResponse, "{body}");
        assert!(e.message().contains(field), "{body}: {}", e.message());
    }
}

/// With a token in hand, odd ids are warnings naming the field, and the rest of the grant stays.
#[test]
fn odd_ids_beside_a_token_are_warnings_naming_the_field() {
    let cases = [
        (
            r#""scope":[4],"advertiser_ids":{"0":"1"}"#,
            "`data.advertiser_ids`",
        ),
        (
            r#""scope":[4],"advertiser_ids":[true,"2"]"#,
            "`data.advertiser_ids[0]`",
        ),
        (
            r#""scope":[4],"advertiser_ids":["2",-5]"#,
            "`data.advertiser_ids[1]`",
        ),
        (
            r#""scope":[4],"advertiser_ids":["2",7e3]"#,
            "`data.advertiser_ids[1]`",
        ),
        (
            r#""scope":[4],"advertiser_ids":["2",9007199254740993.0]"#,
            "`data.advertiser_ids[1]`",
        ),
        (r#""advertiser_ids":["2"],"scope":{}"#, "`data.scope`"),
        (r#""advertiser_ids":["2"],"scope":[-1]"#, "`data.scope[0]`"),
        (
            r#""advertiser_ids":["2"],"scope":[4,"Ad Insight"]"#,
            "`data.scope[1]`",
        ),
        (r#""advertiser_ids":["2"],"scope":"all""#, "`data.scope`"),
        (r#""advertiser_ids":["2"],"scope":[4,1e2]"#, "`data.scope[1]`"),
        (r#""advertiser_ids":["2"]"#, "`data.scope`"),
        (r#""scope":[4]"#, "`data.advertiser_ids`"),
    ];
    for (members, field) in cases {
        let body = format!(
            r#"{{"code":0,"data":{{"access_token":"ec3e0a1b2c3d4e5f60718293a4b5c6d7e8f90a1b",{members}}}}}"#
        );
        let grant = parse_token_response(&body).unwrap_or_else(|e| panic!("{body}: {e}"));
        assert_eq!(
            grant.access_token.secret(),
            "ec3e0a1b2c3d4e5f60718293a4b5c6d7e8f90a1b"
        );
        assert_eq!(grant.warnings.len(), 1, "{body}: {:?}", grant.warnings);
        assert!(grant.warnings[0].contains(field), "{body}: {:?}", grant.warnings);
        assert!(!grant.warnings[0].contains("ec3e0a1b2c3d4e5f60718293a4b5c6d7e8f90a1b"));
        // What was read is kept, and nothing inexact was rounded into it.
        for id in grant.advertiser_ids.iter().chain(&grant.scope) {
            assert!(["2", "4"].contains(&id.as_str()), "{body}: {id}");
        }
    }
}

#[test]
fn repeated_parameters_and_broken_escapes_in_redirects() {
    let denied = parse_redirect("?error=a&error=b").unwrap_err();
    assert_eq!(denied.kind(), ErrorKind::InvalidInput);
    // Same value twice is not a conflict.
    assert_eq!(
        parse_redirect("?code=x&code=x&state=s&state=s")
            .unwrap()
            .auth_code
            .secret(),
        "x"
    );
    // A broken escape stays literal, like URLSearchParams: `%zz` is kept, so the code is "a%zz".
    assert_eq!(
        parse_redirect("?auth_code=a%zz").unwrap().auth_code.secret(),
        "a%zz"
    );
    // A decoded NUL or newline in the code is refused, not passed on.
    for bad in ["?auth_code=a%00", "?auth_code=a%0Ab", "?auth_code=a%20b"] {
        assert_eq!(
            parse_redirect(bad).unwrap_err().kind(),
            ErrorKind::InvalidInput,
            "{bad}"
        );
    }
}

#[test]
fn credentials_never_appear_in_any_error() {
    let secret = "SEKRET-value-123";
    let code = "AUTHCODE-value-456";
    let request = TokenRequest::new("1", &AppSecret::new(secret), &AuthCode::new(code), None).unwrap();
    let echoes = [
        format!("{secret} {code}"),
        format!("{{\"code\":40101,\"message\":\"{secret}\",\"request_id\":\"{code}\"}}"),
        format!("{{\"code\":0,\"data\":{{\"access_token\":\"{secret}"),
        format!("<html>{secret}</html>"),
    ];
    for body in &echoes {
        for status in [200, 400, 500] {
            let e = request.read_answer(status, body).unwrap_err();
            let shown = format!("{e} | {e:?} | {:?} | {:?}", e.hint(), e.request_id());
            assert!(!shown.contains(secret) && !shown.contains(code), "{shown}");
        }
    }
    for bad_secret in [format!("{secret}\0"), format!("{secret}\u{7}")] {
        let e = TokenRequest::new("1", &AppSecret::new(bad_secret), &AuthCode::new(code), None).unwrap_err();
        assert!(!format!("{e} {e:?}").contains(secret));
    }
}
