//! The functions the wasm exports, through JS: URLs, redirects, states, answers, curl commands,
//! and the wasm's own allocator.

use super::*;
use wasm_bindgen_test::wasm_bindgen_test;

// ---------------------------------------------------------------- pure functions through JS

#[wasm_bindgen_test]
fn authorization_url_generates_a_strong_state_and_decodes_back() {
    let redirect = "https://me.example/tiktok/cb?x=1&y=a%20b+c&z=é";
    let options = obj(&[("appId", APP_ID.into()), ("redirectUri", redirect.into())]);
    let first = js::authorization_url(options.clone()).unwrap();
    let second = js::authorization_url(options).unwrap();
    let state = text(&first, "state");
    assert!(state.len() >= 22, "state too short for 128 bits: {state}");
    assert!(state
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'));
    assert_ne!(state, text(&second, "state"), "two calls gave the same state");
    // Decode with the platform's own URL parser, independent of the crate.
    let url = web_sys_url(&text(&first, "url"));
    assert_eq!(url.0, "https://business-api.tiktok.com/portal/auth");
    assert_eq!(
        url.1,
        vec![
            ("app_id".into(), APP_ID.into()),
            ("state".into(), state),
            ("redirect_uri".into(), redirect.into())
        ]
    );
}

/// (origin + path, query pairs) as the platform's `URL` sees them.
fn web_sys_url(href: &str) -> (String, Vec<(String, String)>) {
    let ctor: js_sys::Function = get(&js_sys::global(), "URL").unchecked_into();
    let url = Reflect::construct(&ctor, &Array::of1(&href.into())).unwrap();
    let params = get(&url, "searchParams");
    let entries = js_sys::try_iter(&params).unwrap().unwrap();
    let pairs = entries
        .map(|e| {
            let e = Array::from(&e.unwrap());
            (e.get(0).as_string().unwrap(), e.get(1).as_string().unwrap())
        })
        .collect();
    (
        format!("{}{}", text(&url, "origin"), text(&url, "pathname")),
        pairs,
    )
}

#[wasm_bindgen_test]
fn authorization_url_refuses_bad_arguments_by_name() {
    let cases: Vec<(JsValue, &str)> = vec![
        (
            obj(&[
                ("appId", 7123456789.0.into()),
                ("redirectUri", "https://a/".into()),
            ]),
            "appId",
        ),
        (
            obj(&[("appId", "12x".into()), ("redirectUri", "https://a/".into())]),
            "appId",
        ),
        (obj(&[("appId", "1".into())]), "redirectUri"),
        (
            obj(&[("appId", "1".into()), ("redirectUri", "https://a/#frag".into())]),
            "redirectUri",
        ),
        (
            obj(&[
                ("appId", "1".into()),
                ("redirectUri", "https://a/".into()),
                ("state", 5.into()),
            ]),
            "state",
        ),
        (
            obj(&[
                ("appId", "1".into()),
                ("redirectUri", "https://a/".into()),
                ("authBase", "x".into()),
            ]),
            "authBase",
        ),
        (JsValue::UNDEFINED, "options"),
        ("appId=1".into(), "options"),
    ];
    for (options, argument) in cases {
        let e = assert_error(&js::authorization_url(options).unwrap_err(), "invalid_input");
        assert!(
            text(&e, "message").contains(&format!("`{argument}`")),
            "{}",
            text(&e, "message")
        );
    }
}

#[wasm_bindgen_test]
fn parse_redirect_reads_code_state_and_errors() {
    let r = js::parse_redirect("https://me.example/cb?auth_code=abc&code=abc&state=x%20y".into()).unwrap();
    assert_eq!(
        (text(&r, "authCode"), text(&r, "state")),
        ("abc".into(), "x y".into())
    );
    assert_eq!(text(&r, "codeParam"), "auth_code");
    let r = js::parse_redirect("code=def".into()).unwrap();
    assert_eq!(text(&r, "authCode"), "def");
    assert!(get(&r, "state").is_null());
    // `code` alone: another TikTok flow, which the caller should warn about.
    assert_eq!(text(&r, "codeParam"), "code");
    let r =
        js::parse_redirect("https://me.example/cb?code=x1&scopes=user.info.basic&state=s".into()).unwrap();
    assert_eq!(
        (text(&r, "authCode"), text(&r, "codeParam")),
        ("x1".into(), "code".into())
    );
    let r = js::parse_redirect("?auth_code=y2&state=s".into()).unwrap();
    assert_eq!(text(&r, "codeParam"), "auth_code");
    assert_error(
        &js::parse_redirect("https://me.example/cb?state=s".into()).unwrap_err(),
        "missing_auth_code",
    );
    let denied = assert_error(
        &js::parse_redirect("?error=access_denied&error_description=%3Cb%3Enope%3C%2Fb%3E".into())
            .unwrap_err(),
        "authorization_denied",
    );
    assert!(text(&denied, "message").contains("<b>nope</b>"));
    assert_error(
        &js::parse_redirect("?auth_code=a&auth_code=b".into()).unwrap_err(),
        "invalid_input",
    );
    assert_error(
        &js::parse_redirect(JsValue::from(42)).unwrap_err(),
        "invalid_input",
    );
}

#[wasm_bindgen_test]
fn state_verdicts() {
    let v = |e: &str, r: &str| js::state_verdict(obj(&[("expected", e.into()), ("returned", r.into())]));
    assert_eq!(v("abc", "abc").unwrap(), "verified");
    assert_eq!(
        js::state_verdict(obj(&[("expected", JsValue::NULL), ("returned", "x".into())])).unwrap(),
        "not_issued"
    );
    assert_error(&v("abc", "abd").unwrap_err(), "state_mismatch");
    assert_error(
        &js::state_verdict(obj(&[("expected", "abc".into())])).unwrap_err(),
        "state_mismatch",
    );
}

#[wasm_bindgen_test]
fn strip_and_normalize() {
    assert_eq!(
        js::strip_redirect_params("https://a.example/sub/?lang=en&auth_code=c&code=c&state=s#x".into())
            .unwrap(),
        "https://a.example/sub/?lang=en#x"
    );
    assert_eq!(
        js::normalize_api_base("http://127.0.0.1:1/open_api/v1.3///".into()).unwrap(),
        "http://127.0.0.1:1/open_api/v1.3"
    );
    assert_error(
        &js::normalize_api_base("javascript:alert(1)".into()).unwrap_err(),
        "invalid_input",
    );
}

#[wasm_bindgen_test]
fn parse_token_response_keeps_19_digit_ids_exact_through_json_parse() {
    let grant = js::parse_token_response(
        r#"{"code":0,"message":"OK","request_id":"r","data":{"access_token":"ec3e0a1b2c3d4e5f60718293a4b5c6d7e8f90a1b","advertiser_ids":[7123456789012345678,"7000000000000000002",12],"scope":[4,10,7043626160646815746,"200","7043626160646815747"]}}"#.into(),
    )
    .unwrap();
    assert_eq!(
        strings(&get(&grant, "advertiserIds")),
        ["7123456789012345678", "7000000000000000002", "12"]
    );
    assert_eq!(
        text(&grant, "accessToken"),
        "ec3e0a1b2c3d4e5f60718293a4b5c6d7e8f90a1b"
    );
    // JSON.parse alone would give 7043626160646815700 for the bare 19-digit number.
    assert_eq!(
        strings(&get(&grant, "scope")),
        ["4", "10", "7043626160646815746", "200", "7043626160646815747"]
    );
    assert_eq!(text(&grant, "requestId"), "r");
    assert!(strings(&get(&grant, "warnings")).is_empty());
}

/// The parsed grant's warnings, after checking that none shows the token.
fn warnings_of(grant: &JsValue) -> Vec<String> {
    let warnings = strings(&get(grant, "warnings"));
    let token = text(grant, "accessToken");
    for w in &warnings {
        assert!(!w.contains(&token), "a warning shows the token: {w}");
    }
    warnings
}

#[wasm_bindgen_test]
fn parse_token_response_keeps_the_token_whatever_the_scope_and_warns() {
    let grant = |data: &str| {
        js::parse_token_response(
            format!(r#"{{"code":0,"message":"OK","request_id":"r","data":{data}}}"#).into(),
        )
        .unwrap_or_else(|e| panic!("{data}: {:?}", text(&e, "message")))
    };
    let cases: [(&str, &[&str], &[&str], &str); 8] = [
        // data, scope, advertiser ids, what the one warning names
        (
            r#"{"access_token":"0f1e2d3c4b5a69788796a5b4c3d2e1f00a1b2c3d","advertiser_ids":["1"],"scope":["4","7043626160646815746"]}"#,
            &["4", "7043626160646815746"],
            &["1"],
            "",
        ),
        (
            r#"{"access_token":"0f1e2d3c4b5a69788796a5b4c3d2e1f00a1b2c3d","advertiser_ids":["1"],"scope":"all"}"#,
            &[],
            &["1"],
            "\"all\"",
        ),
        (
            r#"{"access_token":"0f1e2d3c4b5a69788796a5b4c3d2e1f00a1b2c3d","advertiser_ids":["1"]}"#,
            &[],
            &["1"],
            "`data.scope`",
        ),
        (
            r#"{"access_token":"0f1e2d3c4b5a69788796a5b4c3d2e1f00a1b2c3d","advertiser_ids":["1"],"scope":[4,9007199254740993.0]}"#,
            &["4"],
            &["1"],
            "`data.scope[1]` (9007199254740993.0)",
        ),
        (
            r#"{"access_token":"0f1e2d3c4b5a69788796a5b4c3d2e1f00a1b2c3d","advertiser_ids":["1"],"scope":[7e3,10]}"#,
            &["10"],
            &["1"],
            "`data.scope[0]` (7e3)",
        ),
        (
            r#"{"access_token":"0f1e2d3c4b5a69788796a5b4c3d2e1f00a1b2c3d","advertiser_ids":[7e3,"2"],"scope":[4]}"#,
            &["4"],
            &["2"],
            "`data.advertiser_ids[0]`",
        ),
        (
            r#"{"access_token":"0f1e2d3c4b5a69788796a5b4c3d2e1f00a1b2c3d","advertiser_ids":"7000000000000000001","scope":[4]}"#,
            &["4"],
            &["7000000000000000001"],
            "not a list",
        ),
        (
            r#"{"access_token":"0f1e2d3c4b5a69788796a5b4c3d2e1f00a1b2c3d","advertiser_ids":["1"],"scope":[4,"0f1e2d3c4b5a69788796a5b4c3d2e1f00a1b2c3d"]}"#,
            &["4"],
            &["1"],
            "`data.scope[1]`",
        ),
    ];
    for (data, scope, ids, warned) in cases {
        let g = grant(data);
        assert_eq!(
            text(&g, "accessToken"),
            "0f1e2d3c4b5a69788796a5b4c3d2e1f00a1b2c3d",
            "{data}"
        );
        assert_eq!(strings(&get(&g, "scope")), scope, "{data}");
        assert_eq!(strings(&get(&g, "advertiserIds")), ids, "{data}");
        let warnings = warnings_of(&g);
        if warned.is_empty() {
            assert!(warnings.is_empty(), "{data}: {warnings:?}");
        } else {
            assert_eq!(warnings.len(), 1, "{data}: {warnings:?}");
            assert!(warnings[0].contains(warned), "{data}: {warnings:?}");
        }
    }
    // Still errors: no token, or not TikTok's envelope.
    for body in [
        r#"{"code":0,"data":{"advertiser_ids":["1"],"scope":[4]}}"#,
        r#"{"code":0,"data":{"access_token":"","scope":[4]}}"#,
        r#"{"code":0,"data":[]}"#,
        r#"{"access_token":"0f1e2d3c4b5a69788796a5b4c3d2e1f00a1b2c3d"}"#,
        // The marker that keeps long integers exact cannot be forged from a string.
        r#"{"code":"\u00010","data":{"access_token":"0f1e2d3c4b5a69788796a5b4c3d2e1f00a1b2c3d"}}"#,
    ] {
        assert_error(
            &js::parse_token_response(body.into()).unwrap_err(),
            "invalid_response",
        );
    }
    let smuggled = grant(
        r#"{"access_token":"0f1e2d3c4b5a69788796a5b4c3d2e1f00a1b2c3d","advertiser_ids":["\u00017000000000000000001"],"scope":["\u00014"]}"#,
    );
    assert_eq!(strings(&get(&smuggled, "scope")), Vec::<String>::new());
    // The scope id is left out; the advertiser id is kept, flagged as not all digits.
    assert_eq!(warnings_of(&smuggled).len(), 2);
}

#[wasm_bindgen_test]
fn hostile_bodies_are_invalid_response_and_the_module_survives() {
    let deep = "[".repeat(200_000);
    let huge_string = format!("{{\"code\":0,\"data\":{{\"note\":\"{}\"}}}}", "x".repeat(1 << 20));
    for body in [
        "",
        "<html>",
        "{\"code\":0,\"data\":{\"access_token\":\"tok-trunc",
        &deep,
        "{\"code\":0,\"data\":{\"access_token\":5,\"advertiser_ids\":[]}}",
        &huge_string,
        "\0",
    ] {
        let e = assert_error(
            &js::parse_token_response(body.into()).unwrap_err(),
            "invalid_response",
        );
        assert!(!text(&e, "message").contains("tok-trunc"));
    }
    let e = assert_error(
        &js::parse_token_response(r#"{"code":40110,"message":"expired","request_id":"rq"}"#.into())
            .unwrap_err(),
        "api_error",
    );
    assert_eq!(get(&e, "code").as_f64(), Some(40110.0));
    assert_eq!(text(&e, "requestId"), "rq");
    assert!(text(&e, "hint").contains("once"));
    // Still alive and correct after all of that.
    assert_eq!(js::normalize_api_base("https://h/".into()).unwrap(), "https://h");
}

#[wasm_bindgen_test]
fn curl_command_carries_the_exact_request() {
    let curl = js::token_request_curl(obj(&[
        ("appId", APP_ID.into()),
        ("secret", SECRET.into()),
        ("authCode", "c0de".into()),
    ]))
    .unwrap();
    assert!(curl.starts_with(
        "curl -sS -g -X POST 'https://business-api.tiktok.com/open_api/v1.3/oauth2/access_token/'"
    ));
    assert!(curl.contains("-H 'Content-Type: application/json'"));
    assert!(curl.contains(r#"--data-raw '{"app_id":"7123456789012345678","secret":"s3cr3t-'\''\"$(touch x)-value","auth_code":"c0de"}'"#), "{curl}");
    assert_error(
        &js::token_request_curl(obj(&[("appId", APP_ID.into()), ("authCode", "c".into())])).unwrap_err(),
        "invalid_input",
    );
}

#[wasm_bindgen_test]
fn the_advertiser_curl_command_is_the_lookup_with_the_trimmed_secret() {
    let curl = js::advertisers_request_curl(obj(&[
        ("accessToken", " t0ken-1 ".into()),
        ("appId", APP_ID.into()),
        ("secret", "  s3cr3t value\t".into()),
        ("apiBase", "http://127.0.0.1:9/open_api/v1.3/".into()),
    ]))
    .unwrap();
    assert_eq!(
        curl,
        "curl -sS -g -X GET 'http://127.0.0.1:9/open_api/v1.3/oauth2/advertiser/get/?app_id=7123456789012345678&secret=s3cr3t%20value' \\\n  -H 'Access-Token: t0ken-1'"
    );
    assert_error(
        &js::advertisers_request_curl(obj(&[("appId", APP_ID.into()), ("secret", "s".into())])).unwrap_err(),
        "invalid_input",
    );
}

/// Asserts the error refuses TikTok's sandbox and says where sandbox tokens come from.
fn assert_sandbox_refusal(e: &JsValue) {
    assert_error(e, "invalid_input");
    assert!(
        text(e, "message").starts_with("`apiBase` is TikTok's sandbox"),
        "{}",
        text(e, "message")
    );
    assert!(text(e, "hint").contains("sandbox page in the TikTok developer portal"));
}

/// The network calls' refusal of the sandbox is tested in tests/network/api.test.mjs.
#[wasm_bindgen_test]
fn the_sandbox_is_refused_before_any_oauth2_request() {
    let sandbox = || JsValue::from("https://sandbox-ads.tiktok.com/open_api/v1.3");
    let token_options = obj(&[
        ("accessToken", "t0ken".into()),
        ("appId", APP_ID.into()),
        ("secret", SECRET.into()),
        ("apiBase", sandbox()),
    ]);
    assert_sandbox_refusal(&js::advertisers_request_curl(token_options).unwrap_err());
    assert_sandbox_refusal(
        &js::token_request_curl(obj(&[
            ("appId", APP_ID.into()),
            ("secret", SECRET.into()),
            ("authCode", "c".into()),
            ("apiBase", sandbox()),
        ]))
        .unwrap_err(),
    );
    // The sandbox stays a valid base to name; only the oauth2/* calls are refused.
    assert_eq!(
        js::normalize_api_base(sandbox()).unwrap(),
        "https://sandbox-ads.tiktok.com/open_api/v1.3"
    );
}

// ---------------------------------------------------------------- more pure functions

#[wasm_bindgen_test]
fn a_legacy_portal_base_is_the_endpoint_itself() {
    let url = js::authorization_url(obj(&[
        ("appId", APP_ID.into()),
        ("redirectUri", "https://me.example/cb".into()),
        ("state", "st".into()),
        ("authBase", "https://ads.tiktok.com/marketing_api/auth".into()),
    ]))
    .unwrap();
    assert_eq!(
        text(&url, "url"),
        format!("https://ads.tiktok.com/marketing_api/auth?app_id={APP_ID}&state=st&redirect_uri=https%3A%2F%2Fme.example%2Fcb")
    );
    let portal = js::authorization_url(obj(&[
        ("appId", APP_ID.into()),
        ("redirectUri", "https://me.example/cb".into()),
        ("authBase", "https://business-api.tiktok.com/portal/auth/".into()),
    ]))
    .unwrap();
    assert!(text(&portal, "url").starts_with("https://business-api.tiktok.com/portal/auth?app_id="));
}

/// The package's allocator: blocks suit their layout, freed blocks are reused by their class,
/// and a burst of allocations and frees does not keep growing the memory.
#[wasm_bindgen_test]
fn the_size_class_allocator_reuses_blocks_and_respects_alignment() {
    use std::alloc::{GlobalAlloc, Layout};
    use tiktok_ads_auth::alloc::SizeClassAlloc;

    let heap = SizeClassAlloc::new();
    let layouts: Vec<Layout> = [
        (1, 1),
        (16, 8),
        (17, 1),
        (100, 4),
        (4096, 64),
        (70_000, 8),
        (300_000, 16),
    ]
    .iter()
    .map(|&(size, align)| Layout::from_size_align(size, align).unwrap())
    .collect();
    unsafe {
        let mut blocks = Vec::new();
        for &layout in &layouts {
            let p = heap.alloc(layout);
            assert!(!p.is_null(), "{layout:?}");
            assert_eq!(p as usize % layout.align(), 0, "{layout:?}");
            std::ptr::write_bytes(p, 0xAB, layout.size());
            blocks.push((p, layout));
        }
        // Blocks do not overlap: each still holds only its own bytes after all were written.
        for (i, &(p, layout)) in blocks.iter().enumerate() {
            std::ptr::write_bytes(p, i as u8, layout.size());
        }
        for (i, &(p, layout)) in blocks.iter().enumerate() {
            let bytes = std::slice::from_raw_parts(p, layout.size());
            assert!(bytes.iter().all(|&b| b == i as u8), "{layout:?} was overwritten");
        }
        // A freed block comes back for the next layout of its class.
        let (p, layout) = blocks[3];
        heap.dealloc(p, layout);
        assert_eq!(heap.alloc(Layout::from_size_align(120, 8).unwrap()), p);
        // Growing within the class keeps the block; growing past it moves the contents.
        let small = heap.alloc(Layout::from_size_align(20, 1).unwrap());
        std::ptr::copy_nonoverlapping(b"abcdefghijklmnopqrst".as_ptr(), small, 20);
        let same = heap.realloc(small, Layout::from_size_align(20, 1).unwrap(), 32);
        assert_eq!(same, small);
        let moved = heap.realloc(same, Layout::from_size_align(32, 1).unwrap(), 1000);
        assert_ne!(moved, same);
        assert_eq!(std::slice::from_raw_parts(moved, 20), b"abcdefghijklmnopqrst");
        // 10 000 rounds of allocate and free reuse the same memory.
        let pages_before = core::arch::wasm32::memory_size(0);
        for round in 0..10_000usize {
            let layout = Layout::from_size_align(1 + round % 5000, 1).unwrap();
            let p = heap.alloc(layout);
            assert!(!p.is_null());
            heap.dealloc(p, layout);
        }
        assert!(core::arch::wasm32::memory_size(0) <= pages_before + 1);
    }
}
