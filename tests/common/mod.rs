//! One body of tests for the JS-facing API, run in headless browsers (`browser.rs`) and in
//! Node (`node.rs`): the functions the wasm exports. The network calls (`exchangeAuthCode`, …)
//! are the npm package's JavaScript, tested in Node against the stand-in (`tests/network/`).

use js_sys::{Array, Object, Reflect, JSON};
use tiktok_ads_auth::js;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::wasm_bindgen_test;

#[cfg(feature = "fetch")]
mod rust_api;

const SECRET: &str = "s3cr3t-'\"$(touch x)-value";
const APP_ID: &str = "7123456789012345678";

fn obj(fields: &[(&str, JsValue)]) -> JsValue {
    let o = Object::new();
    for (k, v) in fields {
        Reflect::set(&o, &(*k).into(), v).unwrap();
    }
    o.into()
}

fn get(v: &JsValue, key: &str) -> JsValue {
    Reflect::get(v, &key.into()).unwrap()
}

fn text(v: &JsValue, key: &str) -> String {
    get(v, key)
        .as_string()
        .unwrap_or_else(|| panic!("{key} is not a string: {:?}", get(v, key)))
}

fn strings(v: &JsValue) -> Vec<String> {
    Array::from(v).iter().map(|s| s.as_string().unwrap()).collect()
}

/// Asserts the value is a proper `TikTokAuthError` of `kind` that leaks no secret, and returns it.
fn assert_error(e: &JsValue, kind: &str) -> JsValue {
    assert!(
        e.is_instance_of::<js_sys::Error>(),
        "not an Error instance: {e:?}"
    );
    assert_eq!(text(e, "name"), "TikTokAuthError");
    assert_eq!(text(e, "kind"), kind, "message: {}", text(e, "message"));
    assert!(js::is_tiktok_auth_error(e.clone()));
    let own = Object::get_own_property_names(e.unchecked_ref::<Object>());
    for key in ["kind", "message"] {
        assert!(own.includes(&key.into(), 0), "{key} is not an own property");
    }
    let shown = format!(
        "{} {:?} {:?}",
        text(e, "message"),
        get(e, "hint"),
        get(e, "stack")
    );
    for secret in [SECRET, "tok-"] {
        assert!(!shown.contains(secret), "a secret leaked into the error: {shown}");
    }
    e.clone()
}

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

// ------------------------------------------- the network calls' decisions (npm/net.js carries)

/// `__prepare` reads each option once (a getter runs once), gives the exact request with the
/// validated timeout, and `__read` reads the answer with those options; `__fail` builds the
/// errors of a call with no answer, with their hints.
#[wasm_bindgen_test]
fn the_wasm_prepares_each_request_and_reads_its_answer() {
    let reads = Array::new();
    let options = obj(&[
        ("appId", APP_ID.into()),
        ("authCode", "c0de".into()),
        ("timeoutMs", 5000.into()),
    ]);
    let counter: JsValue =
        js_sys::Function::new_with_args("reads", "return function () { reads.push(1); return this._s; };")
            .call1(&JsValue::NULL, &reads)
            .unwrap();
    Reflect::set(&options, &"_s".into(), &SECRET.into()).unwrap();
    Reflect::define_property(
        options.unchecked_ref::<Object>(),
        &"secret".into(),
        obj(&[("get", counter), ("enumerable", true.into())]).unchecked_ref(),
    )
    .unwrap();
    let prepared = js::prepare(0, options).unwrap();
    assert_eq!(reads.length(), 1, "the secret's getter ran once");
    assert!(
        Reflect::get_prototype_of(&prepared).unwrap().is_null(),
        "a bare object"
    );
    assert_eq!(
        text(&prepared, "url"),
        "https://business-api.tiktok.com/open_api/v1.3/oauth2/access_token/"
    );
    let init = get(&prepared, "init");
    assert!(Reflect::get_prototype_of(&init).unwrap().is_null(), "a bare init");
    assert_eq!(text(&init, "method"), "POST");
    assert_eq!(text(&init, "redirect"), "error");
    assert_eq!(text(&init, "credentials"), "omit");
    assert_eq!(text(&init, "referrerPolicy"), "no-referrer");
    assert_eq!(text(&get(&init, "headers"), "Content-Type"), "application/json");
    let body = JSON::parse(&text(&init, "body")).unwrap();
    assert_eq!(text(&body, "secret"), SECRET);
    assert_eq!(text(&body, "auth_code"), "c0de");
    assert_eq!(get(&prepared, "timeoutMs").as_f64(), Some(5000.0));
    assert_eq!(text(&prepared, "host"), "business-api.tiktok.com");
    assert!(get(&prepared, "fetch").is_undefined() && get(&prepared, "signal").is_undefined());
    let grant = js::read(0, prepared.clone(), 200, r#"{"code":0,"message":"OK","request_id":"r","data":{"access_token":"t0ken","advertiser_ids":["1"],"scope":[4]}}"#.into()).unwrap();
    assert_eq!(text(&grant, "accessToken"), "t0ken");
    // An echo of the secret is redacted with the options prepare read.
    let quoted = String::from(JSON::stringify(&SECRET.into()).unwrap());
    let echo = format!(r#"{{"code":40101,"message":{quoted},"request_id":"r"}}"#);
    let e = assert_error(
        &js::read(0, prepared.clone(), 200, echo.into()).unwrap_err(),
        "api_error",
    );
    assert!(text(&e, "hint").contains("stale"));
    assert_error(
        &js::read(0, prepared, 200, JsValue::from(7)).unwrap_err(),
        "invalid_response",
    );
    // A GET with the token in its header, for the advertiser list.
    let token = obj(&[
        ("appId", APP_ID.into()),
        ("secret", SECRET.into()),
        ("accessToken", "tok-1".into()),
    ]);
    let prepared = js::prepare(1, token).unwrap();
    let init = get(&prepared, "init");
    assert_eq!(text(&init, "method"), "GET");
    assert!(get(&init, "body").is_null());
    assert_eq!(text(&get(&init, "headers"), "Access-Token"), "tok-1");
    assert_eq!(get(&prepared, "timeoutMs").as_f64(), Some(30_000.0));
    // Bad options, a fetch that is not a function, a signal that is not an object.
    for (key, value) in [
        ("fetch", JsValue::from("fetch")),
        ("signal", JsValue::from(true)),
        ("timeoutMs", JsValue::from(0)),
    ] {
        let o = obj(&[
            ("appId", APP_ID.into()),
            ("secret", SECRET.into()),
            ("accessToken", "tok-1".into()),
            (key, value),
        ]);
        let e = assert_error(&js::prepare(2, o).unwrap_err(), "invalid_input");
        assert!(text(&e, "message").contains(key), "{}", text(&e, "message"));
    }
    let kinds: Vec<String> = (0..5)
        .map(|why| text(&js::fail(why, "h.example".into(), 300), "kind"))
        .collect();
    assert_eq!(
        kinds,
        [
            "network",
            "timeout",
            "timeout",
            "invalid_response",
            "invalid_input"
        ]
    );
    assert!(text(&js::fail(0, "h.example".into(), 300), "hint").contains("tokenRequestCurl"));
    assert!(text(&js::fail(1, "h.example".into(), 300), "message").contains("300 ms"));
    let aborted = js::fail(2, "h.example".into(), 300);
    assert!(text(&aborted, "message").contains("h.example") && text(&aborted, "message").contains("aborted"));
    assert!(text(&aborted, "hint").contains("may still have reached TikTok"));
    assert!(text(&js::fail(3, "h".into(), 1), "message").contains("over 1 MiB"));
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

// ------------------------------------------------- a hostile built-in

/// A JS function from source (the tests' own stand-ins for a hostile page's builtins).
fn js_function(args: &str, body: &str) -> js_sys::Function {
    js_sys::Function::new_with_args(args, body)
}

/// Replaces `target[key]` with `value` for the length of `body`, then puts the old one back.
fn with_replaced<T>(target: &JsValue, key: &str, value: &JsValue, body: impl FnOnce() -> T) -> T {
    let (target, key) = (target.unchecked_ref::<Object>(), JsValue::from_str(key));
    let old = Reflect::get_own_property_descriptor(target, &key).unwrap();
    Reflect::set(target, &key, value).unwrap();
    let result = body();
    if old.is_undefined() {
        Reflect::delete_property(target, &key).unwrap();
    } else {
        Reflect::define_property(target, &key, old.unchecked_ref()).unwrap();
    }
    result
}

/// A page whose `String.prototype.slice` gives numbers: measuring a long text is a clean error,
/// not an exception through the wasm.
#[wasm_bindgen_test]
fn a_slice_that_gives_no_string_is_a_clean_error() {
    let string_prototype = get(&get(&js_sys::global(), "String"), "prototype");
    let long = JsValue::from_str(&"\u{20ac}".repeat(400_000));
    let answer = with_replaced(&string_prototype, "slice", &js_function("", "return 42;"), || {
        js::parse_token_response(long.clone())
    });
    assert!(js::is_tiktok_auth_error(answer.unwrap_err()));
}

// ------------------------------------------------- a hostile host page (SECURITY.md, API rows)

/// `Object.prototype`, which every options object of a host page inherits from.
fn object_prototype() -> Object {
    Reflect::get_prototype_of(&Object::new()).unwrap()
}

/// Sets `keys` on `Object.prototype` (as a host page's pollution bug would), runs `body`, and
/// removes them again.
async fn with_polluted_prototype<F: std::future::Future<Output = ()>>(
    keys: &[(&str, JsValue)],
    body: impl FnOnce() -> F,
) {
    let proto = object_prototype();
    for (key, value) in keys {
        Reflect::set(&proto, &(*key).into(), value).unwrap();
    }
    body().await;
    for (key, _) in keys {
        Reflect::delete_property(&proto, &(*key).into()).unwrap();
    }
}

#[wasm_bindgen_test]
async fn options_inherited_from_a_polluted_prototype_are_ignored() {
    let pollution = [
        ("state", "polluted-state".into()),
        ("authBase", "https://evil.example/".into()),
        ("apiBase", "https://evil.example/open_api/v1.3".into()),
        ("secret", "polluted-secret".into()),
        ("expected", "polluted".into()),
        ("name", "TikTokAuthError".into()),
        ("kind", "network".into()),
    ];
    with_polluted_prototype(&pollution, || async {
        // A fresh random state and the production portal, not the inherited ones.
        let auth = js::authorization_url(obj(&[
            ("appId", APP_ID.into()),
            ("redirectUri", "https://me.example/cb/".into()),
        ]))
        .unwrap();
        let state = text(&auth, "state");
        assert_ne!(state, "polluted-state");
        assert_eq!(state.len(), 43, "{state}");
        assert!(text(&auth, "url").starts_with("https://business-api.tiktok.com/portal/auth?"));
        // No inherited secret is sent, and the inherited base is not where it would go.
        let e =
            js::token_request_curl(obj(&[("appId", APP_ID.into()), ("authCode", "c".into())])).unwrap_err();
        assert!(text(&assert_error(&e, "invalid_input"), "message").contains("`secret`"));
        let curl = js::token_request_curl(obj(&[
            ("appId", APP_ID.into()),
            ("secret", SECRET.into()),
            ("authCode", "c".into()),
        ]))
        .unwrap();
        assert!(
            curl.contains("'https://business-api.tiktok.com/open_api/v1.3/oauth2/access_token/'"),
            "{curl}"
        );
        // No inherited `expected` state to compare with.
        assert_eq!(
            js::state_verdict(obj(&[("returned", "other".into())])).unwrap(),
            "not_issued"
        );
        // An inherited `name` and `kind` do not make any object one of ours.
        assert!(!js::is_tiktok_auth_error(Object::new().into()));
    })
    .await;
}

#[wasm_bindgen_test]
fn results_are_own_properties_that_run_no_inherited_setter() {
    // A host page whose Object.prototype captures any `accessToken` assigned to any object.
    let proto = object_prototype();
    let captured = Array::new();
    let setter = wasm_bindgen::closure::Closure::<dyn FnMut(JsValue)>::new({
        let captured = captured.clone();
        move |v: JsValue| {
            captured.push(&v);
        }
    });
    let descriptor = obj(&[("set", setter.as_ref().clone()), ("configurable", true.into())]);
    Reflect::define_property(&proto, &"accessToken".into(), descriptor.unchecked_ref()).unwrap();
    let grant = js::parse_token_response(
        r#"{"code":0,"message":"OK","request_id":"r","data":{"access_token":"tok-captured","advertiser_ids":["1"]}}"#.into(),
    );
    Reflect::delete_property(&proto, &"accessToken".into()).unwrap();
    let grant = grant.unwrap();
    assert_eq!(captured.length(), 0, "an inherited setter saw the token");
    assert!(
        Object::get_own_property_names(grant.unchecked_ref::<Object>()).includes(&"accessToken".into(), 0)
    );
    assert_eq!(text(&grant, "accessToken"), "tok-captured");
}
