//! One body of tests for the JS-facing API, run in headless browsers (`browser.rs`) and in
//! Node (`node.rs`). Network tests talk to the TikTok stand-in from `tests/standin/`, whose
//! address the test command passes at build time as `TIKTOK_STANDIN_URL`.

use js_sys::{Array, Object, Reflect, JSON};
use tiktok_ads_auth::js;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::wasm_bindgen_test;

#[cfg(feature = "fetch")]
mod rust_api;

/// The network functions return Promises; these await them like a JS caller would.
mod api {
    use wasm_bindgen::JsValue;
    use wasm_bindgen_futures::JsFuture;

    pub async fn exchange_auth_code(options: JsValue) -> Result<JsValue, JsValue> {
        JsFuture::from(tiktok_ads_auth::js::exchange_auth_code(options).expect("handed back a Promise")).await
    }
    pub async fn get_advertisers(options: JsValue) -> Result<JsValue, JsValue> {
        JsFuture::from(tiktok_ads_auth::js::get_advertisers(options).expect("handed back a Promise")).await
    }
    pub async fn revoke_token(options: JsValue) -> Result<JsValue, JsValue> {
        JsFuture::from(tiktok_ads_auth::js::revoke_token(options).expect("handed back a Promise")).await
    }
}

const SECRET: &str = "s3cr3t-'\"$(touch x)-value";
const APP_ID: &str = "7123456789012345678";

fn standin() -> &'static str {
    match option_env!("TIKTOK_STANDIN_URL") {
        Some(url) => url,
        None => panic!("build with TIKTOK_STANDIN_URL=http://127.0.0.1:PORT (the test command does)"),
    }
}

/// A scenario name unique to this run and engine, so browser and Node runs never share records.
fn scenario(name: &str) -> String {
    let nonce = (js_sys::Math::random() * 1e9) as u64;
    format!("{name}-{nonce}")
}

fn api_base(scenario: &str, behaviour: &str) -> String {
    format!("{}/s/{scenario}/{behaviour}/open_api/v1.3", standin())
}

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

async fn rejected(
    promise: impl std::future::Future<Output = Result<JsValue, JsValue>>,
    kind: &str,
) -> JsValue {
    match promise.await {
        Ok(v) => panic!("expected a {kind} rejection, got {v:?}"),
        Err(e) => assert_error(&e, kind),
    }
}

async fn control(method: &str, path: &str) -> JsValue {
    let url = format!("{}{path}", standin());
    let request = if method == "POST" {
        gloo_net::http::Request::post(&url)
    } else {
        gloo_net::http::Request::get(&url)
    };
    let response = request.send().await.expect("the stand-in answers");
    JSON::parse(&response.text().await.unwrap()).unwrap()
}

async fn records(scenario: &str) -> Vec<JsValue> {
    let all = Array::from(&control("GET", &format!("/__standin/requests?scenario={scenario}")).await);
    // Preflights are the browser's business; the assertions are about real requests.
    all.iter().filter(|r| text(r, "method") != "OPTIONS").collect()
}

async fn issue_code(scenario: &str) -> String {
    let v = control(
        "POST",
        &format!("/__standin/issue?scenario={scenario}&app_id={APP_ID}"),
    )
    .await;
    text(&v, "auth_code")
}

fn exchange_options(code: &str, base: &str, timeout_ms: Option<f64>) -> JsValue {
    let mut fields = vec![
        ("appId", APP_ID.into()),
        ("secret", SECRET.into()),
        ("authCode", code.into()),
        ("apiBase", base.into()),
    ];
    if let Some(t) = timeout_ms {
        fields.push(("timeoutMs", t.into()));
    }
    obj(&fields)
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

#[wasm_bindgen_test]
async fn the_sandbox_is_refused_before_any_oauth2_request() {
    let sandbox = || JsValue::from("https://sandbox-ads.tiktok.com/open_api/v1.3");
    let token_options = obj(&[
        ("accessToken", "t0ken".into()),
        ("appId", APP_ID.into()),
        ("secret", SECRET.into()),
        ("apiBase", sandbox()),
    ]);
    // Without the refusal these would be sent (and fail as `network`: the sandbox is not reachable here).
    assert_sandbox_refusal(
        &api::exchange_auth_code(exchange_options(
            "c",
            "https://sandbox-ads.tiktok.com/open_api/v1.3",
            None,
        ))
        .await
        .unwrap_err(),
    );
    assert_sandbox_refusal(&api::get_advertisers(token_options.clone()).await.unwrap_err());
    assert_sandbox_refusal(&api::revoke_token(token_options.clone()).await.unwrap_err());
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

// ---------------------------------------------------------------- network, against the stand-in

#[wasm_bindgen_test]
async fn exchange_sends_one_exact_request_and_reads_the_grant() {
    let s = scenario("exchange-ok");
    let code = issue_code(&s).await;
    let grant = api::exchange_auth_code(exchange_options(&code, &api_base(&s, "ok"), None))
        .await
        .unwrap();
    assert!(!text(&grant, "accessToken").is_empty());
    assert_eq!(
        strings(&get(&grant, "advertiserIds")),
        ["7000000000000000001", "7000000000000000002"]
    );
    // The stand-in sends the 19-digit permission id as a bare JSON number.
    assert_eq!(
        strings(&get(&grant, "scope")),
        ["4", "10", "100", "200", "210", "220", "30", "7043626160646815746"]
    );
    assert!(warnings_of(&grant).is_empty());
    assert!(get(&grant, "requestId").is_string());
    let recs = records(&s).await;
    assert_eq!(recs.len(), 1, "exactly one request");
    let r = &recs[0];
    assert_eq!(text(r, "method"), "POST");
    assert!(
        text(r, "path").ends_with("/open_api/v1.3/oauth2/access_token/"),
        "{}",
        text(r, "path")
    );
    assert_eq!(text(&get(r, "headers"), "content-type"), "application/json");
    let body = JSON::parse(&text(r, "body")).unwrap();
    assert_eq!(
        (
            text(&body, "app_id"),
            text(&body, "secret"),
            text(&body, "auth_code")
        ),
        (APP_ID.into(), SECRET.into(), code)
    );
    assert!(
        Reflect::get(&get(r, "query"), &"secret".into())
            .unwrap()
            .is_undefined(),
        "secret must not be in the URL"
    );
}

#[wasm_bindgen_test]
async fn a_used_code_is_40110_and_nothing_is_retried() {
    let s = scenario("reuse");
    let code = issue_code(&s).await;
    api::exchange_auth_code(exchange_options(&code, &api_base(&s, "ok"), None))
        .await
        .unwrap();
    let e = rejected(
        api::exchange_auth_code(exchange_options(&code, &api_base(&s, "ok"), None)),
        "api_error",
    )
    .await;
    assert_eq!(get(&e, "code").as_f64(), Some(40110.0));
    assert!(get(&e, "requestId").is_string());
    assert!(text(&e, "hint").contains("fresh code"));
    assert_eq!(records(&s).await.len(), 2, "one request per call");
}

/// A spent code whose answer is odd still gives the token, with warnings; the token works.
#[wasm_bindgen_test]
async fn odd_scopes_from_the_exchange_still_give_the_token() {
    let cases: [(&str, &[&str], &str); 3] = [
        ("scope-strings", &["4", "10", "200", "7043626160646815746"], ""),
        ("scope-all", &[], "\"all\""),
        (
            "scope-odd",
            &["4", "10", "7043626160646815746"],
            "9007199254740993.0",
        ),
    ];
    for (behaviour, scope, warned) in cases {
        let s = scenario(behaviour);
        let code = issue_code(&s).await;
        let base = api_base(&s, behaviour);
        let grant = api::exchange_auth_code(exchange_options(&code, &base, None))
            .await
            .unwrap_or_else(|e| panic!("{behaviour}: {:?}", text(&e, "message")));
        assert_eq!(strings(&get(&grant, "scope")), scope, "{behaviour}");
        let warnings = warnings_of(&grant);
        if warned.is_empty() {
            assert!(warnings.is_empty(), "{behaviour}: {warnings:?}");
        } else {
            assert!(
                warnings.iter().any(|w| w.contains(warned)),
                "{behaviour}: {warnings:?}"
            );
        }
        if behaviour == "scope-odd" {
            // Both inexact ids are named, and neither was rounded into the list.
            assert_eq!(warnings.len(), 2, "{warnings:?}");
            assert!(warnings[1].contains("7e3"), "{warnings:?}");
        }
        let list = api::get_advertisers(obj(&[
            ("accessToken", get(&grant, "accessToken")),
            ("appId", APP_ID.into()),
            ("secret", SECRET.into()),
            ("apiBase", base.as_str().into()),
        ]))
        .await
        .unwrap();
        assert_eq!(Array::from(&list).length(), 2, "{behaviour}: the token works");
    }
}

/// Revoke: `code: 0` means revoked, with or without `data.advertiser_ids`.
#[wasm_bindgen_test]
async fn a_revoke_answer_without_ids_resolves_to_an_empty_list() {
    let s = scenario("revoke-bare");
    let base = api_base(&s, "revoke-bare");
    let grant = api::exchange_auth_code(exchange_options(&issue_code(&s).await, &base, None))
        .await
        .unwrap();
    let options = obj(&[
        ("accessToken", get(&grant, "accessToken")),
        ("appId", APP_ID.into()),
        ("secret", SECRET.into()),
        ("apiBase", base.as_str().into()),
    ]);
    let revoked = api::revoke_token(options.clone()).await.unwrap();
    assert!(Array::is_array(&revoked));
    assert_eq!(strings(&revoked), Vec::<String>::new());
    // It really was revoked: the stand-in now refuses the token.
    let e = rejected(api::revoke_token(options), "api_error").await;
    assert_eq!(get(&e, "code").as_f64(), Some(40105.0));
}

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

#[wasm_bindgen_test]
async fn every_known_code_is_an_api_error_with_a_hint() {
    let s = scenario("codes");
    // What each hint must say (docs/tiktok.md, "Error codes").
    let says: [(i64, &str); 12] = [
        (40115, "Advertiser authorization URL"),
        (40113, "wrong secret or App ID"),
        (40101, "stale"),
        (40000, "App ID and Secret"),
        (40001, "App ID and Secret"),
        (40002, "App ID and Secret"),
        (40107, "long-term"),
        (50000, "whether the auth code was used"),
        (50002, "whether the auth code was used"),
        (51000, "whether the auth code was used"),
        (51305, "if TikTok then answers 40110"),
        (60001, "maintenance"),
    ];
    for (code, phrase) in says {
        let e = rejected(
            api::exchange_auth_code(exchange_options(
                "c",
                &api_base(&s, &format!("code-{code}")),
                None,
            )),
            "api_error",
        )
        .await;
        assert_eq!(get(&e, "code").as_f64(), Some(code as f64));
        assert!(text(&e, "hint").contains(phrase), "{code}: {}", text(&e, "hint"));
    }
    let e = rejected(
        api::exchange_auth_code(exchange_options("c", &api_base(&s, "code-40115"), None)),
        "api_error",
    )
    .await;
    assert!(!text(&e, "hint").contains("clock"));
    for code in [40110, 40101, 40113, 40100, 40102, 40104, 40105, 40115] {
        let e = rejected(
            api::exchange_auth_code(exchange_options(
                "c",
                &api_base(&s, &format!("code-{code}")),
                None,
            )),
            "api_error",
        )
        .await;
        assert_eq!(get(&e, "code").as_f64(), Some(code as f64));
        assert!(get(&e, "hint").is_string(), "no hint for {code}");
    }
}

#[wasm_bindgen_test]
async fn http_errors_bad_bodies_and_silence_have_their_kinds() {
    let s = scenario("faults");
    let e = rejected(
        api::exchange_auth_code(exchange_options("c", &api_base(&s, "http-502"), None)),
        "http_status",
    )
    .await;
    assert_eq!(get(&e, "status").as_f64(), Some(502.0));
    assert!(text(&e, "message").len() < 300, "body not kept short");
    rejected(
        api::exchange_auth_code(exchange_options("c", &api_base(&s, "nonjson"), None)),
        "invalid_response",
    )
    .await;
    rejected(
        api::exchange_auth_code(exchange_options("c", &api_base(&s, "truncated"), None)),
        "invalid_response",
    )
    .await;
    rejected(
        api::exchange_auth_code(exchange_options("c", &api_base(&s, "wrong-types"), None)),
        "invalid_response",
    )
    .await;
    let e = rejected(
        api::exchange_auth_code(exchange_options("c", &api_base(&s, "hang"), Some(300.0))),
        "timeout",
    )
    .await;
    assert!(text(&e, "message").contains("300 ms"));
    rejected(
        api::exchange_auth_code(exchange_options("c", &api_base(&s, "drop"), None)),
        "network",
    )
    .await;
    // Nothing listens on port 9 of loopback: a refused connection.
    let e = rejected(
        api::exchange_auth_code(exchange_options("c", "http://127.0.0.1:9/open_api/v1.3", None)),
        "network",
    )
    .await;
    assert!(text(&e, "message").contains("127.0.0.1:9"));
    assert!(text(&e, "hint").contains("curl"));
    assert_eq!(records(&s).await.len(), 6, "one request per call, no retries");
}

#[wasm_bindgen_test]
async fn numeric_ids_on_the_wire_stay_exact() {
    let s = scenario("numeric");
    let code = issue_code(&s).await;
    let grant = api::exchange_auth_code(exchange_options(&code, &api_base(&s, "numeric-ids"), None))
        .await
        .unwrap();
    assert_eq!(strings(&get(&grant, "advertiserIds"))[0], "7123456789012345678");
}

#[wasm_bindgen_test]
async fn bad_options_reject_without_sending() {
    let s = scenario("noreq");
    for timeout in [0.0, 1.5, 600_001.0, f64::NAN] {
        rejected(
            api::exchange_auth_code(exchange_options("c", &api_base(&s, "ok"), Some(timeout))),
            "invalid_input",
        )
        .await;
    }
    rejected(
        api::exchange_auth_code(obj(&[
            ("appId", APP_ID.into()),
            ("secret", "".into()),
            ("authCode", "c".into()),
        ])),
        "invalid_input",
    )
    .await;
    rejected(api::exchange_auth_code(JsValue::NULL), "invalid_input").await;
    assert_eq!(records(&s).await.len(), 0);
}

#[wasm_bindgen_test]
async fn advertisers_then_revoke() {
    let s = scenario("accounts");
    let code = issue_code(&s).await;
    let base = api_base(&s, "ok");
    let grant = api::exchange_auth_code(exchange_options(&code, &base, None))
        .await
        .unwrap();
    let token = text(&grant, "accessToken");
    let options = obj(&[
        ("accessToken", token.as_str().into()),
        ("appId", APP_ID.into()),
        ("secret", SECRET.into()),
        ("apiBase", base.as_str().into()),
    ]);
    let list = Array::from(&api::get_advertisers(options.clone()).await.unwrap());
    assert_eq!(list.length(), 2);
    assert_eq!(text(&list.get(0), "advertiserId"), "7000000000000000001");
    assert!(!text(&list.get(0), "advertiserName").is_empty());
    let revoked = api::revoke_token(options.clone()).await.unwrap();
    assert_eq!(strings(&revoked), ["7000000000000000001", "7000000000000000002"]);
    let e = rejected(api::get_advertisers(options), "api_error").await;
    assert_eq!(get(&e, "code").as_f64(), Some(40105.0));
    let recs = records(&s).await;
    let advertiser_get = &recs[1];
    assert_eq!(text(advertiser_get, "method"), "GET");
    assert!(text(advertiser_get, "path").ends_with("/oauth2/advertiser/get/"));
    assert_eq!(text(&get(advertiser_get, "headers"), "access-token"), token);
    assert_eq!(text(&recs[2], "method"), "POST");
    assert!(text(&recs[2], "path").ends_with("/oauth2/revoke_token/"));
    assert_eq!(recs.len(), 4);
}

/// Used by the browser suite only: Node has no CORS.
#[allow(dead_code)]
pub async fn assert_cors_block_is_network() {
    let s = scenario("nocors");
    let code = issue_code(&s).await;
    let e = rejected(
        api::exchange_auth_code(exchange_options(&code, &api_base(&s, "nocors"), None)),
        "network",
    )
    .await;
    assert!(text(&e, "message").contains("CORS"));
    assert!(text(&e, "hint").contains("tokenRequestCurl"));
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

// ------------------------------------ the transport against a hostile page's builtins

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

fn wasm_memory_bytes() -> u32 {
    let memory: js_sys::WebAssembly::Memory = wasm_bindgen::memory().unchecked_into();
    memory
        .buffer()
        .unchecked_into::<js_sys::ArrayBuffer>()
        .byte_length()
}

const GRANT_BODY: &str = r#"{"code":0,"message":"OK","request_id":"r1","data":{"access_token":"ec3e0a1b2c3d4e5f60718293a4b5c6d7e8f90a1b","advertiser_ids":["7000000000000000001"],"scope":[4]}}"#;

/// A body over 1 MiB is refused by the JS API, before it is copied into the
/// wasm's memory (which never shrinks): 8 MiB of ASCII, and 400 000 "€" (1.2 MB of UTF-8 in
/// fewer than 1 Mi UTF-16 units).
#[wasm_bindgen_test]
async fn the_js_api_refuses_a_body_over_1_mib_before_copying_it() {
    let global = js_sys::global();
    for body in ["'a'.repeat(8 * 1024 * 1024)", "'\\u20ac'.repeat(400000)"] {
        let fetch = js_function(
            "",
            &format!("const body = {body}; return Promise.resolve({{ status: 200, text: () => Promise.resolve(body) }});"),
        );
        let before = wasm_memory_bytes();
        let js = with_replaced(&global, "fetch", &fetch, || {
            js::exchange_auth_code(exchange_options("c0de", "http://127.0.0.1:9/open_api/v1.3", None))
                .unwrap()
        });
        let js_error = wasm_bindgen_futures::JsFuture::from(js).await.unwrap_err();
        assert!(text(&assert_error(&js_error, "invalid_response"), "message").contains("over 1 MiB"));
        // Measuring the text a slice at a time reuses one slice's worth of memory.
        let grown = wasm_memory_bytes() - before;
        assert!(
            grown <= 256 * 1024,
            "{body}: the wasm memory grew by {grown} bytes"
        );
    }
}

/// A page whose `Promise.resolve` throws: the call fails as `network` (a JS exception thrown
/// through the wasm would leak its shadow stack instead), and works afterwards.
#[wasm_bindgen_test]
async fn a_throwing_promise_resolve_fails_the_call_as_network() {
    let global = js_sys::global();
    let fetch = js_function(
        "",
        &format!(
            "return new Promise((ok) => ok({{ status: 200, text: () => Promise.resolve({GRANT_BODY:?}) }}));"
        ),
    );
    let promise: JsValue = get(&global, "Promise");
    let throwing = js_function("", "throw new Error('Promise.resolve is broken on this page')");
    let js = with_replaced(&global, "fetch", &fetch, || {
        with_replaced(&promise, "resolve", &throwing, || {
            js::exchange_auth_code(exchange_options("c0de", "http://127.0.0.1:9/open_api/v1.3", None))
                .unwrap()
        })
    });
    let js_error = wasm_bindgen_futures::JsFuture::from(js).await.unwrap_err();
    assert_error(&js_error, "network");
    // And with the page's builtins back, it goes through.
    let js = with_replaced(&global, "fetch", &fetch, || {
        js::exchange_auth_code(exchange_options("c0de", "http://127.0.0.1:9/open_api/v1.3", None)).unwrap()
    });
    let grant = wasm_bindgen_futures::JsFuture::from(js).await.unwrap();
    assert_eq!(strings(&get(&grant, "advertiserIds")), ["7000000000000000001"]);
}

/// A spying `bind` sees what a call binds: no object of the wasm, and its
/// steps into the wasm bound to a number. Calling such a step again with it, or with any other
/// number or object, does nothing.
#[wasm_bindgen_test]
async fn a_spying_bind_sees_only_numbers_and_cannot_forge_a_step() {
    let global = js_sys::global();
    let function_prototype = Reflect::get_prototype_of(&js_function("", "")).unwrap();
    let real_bind = get(&function_prototype, "bind");
    let seen = Array::new();
    let spy = js_function(
        "seen, bind",
        "return function (...args) { seen.push([this, args]); return bind.apply(this, args); };",
    )
    .call2(&JsValue::NULL, &seen, &real_bind)
    .unwrap();
    let fetch = js_function(
        "",
        &format!("return Promise.resolve({{ status: 200, text: () => Promise.resolve({GRANT_BODY:?}) }});"),
    );
    let js = with_replaced(&global, "fetch", &fetch, || {
        with_replaced(&function_prototype, "bind", &spy, || {
            js::exchange_auth_code(exchange_options("c0de", "http://127.0.0.1:9/open_api/v1.3", None))
                .unwrap()
        })
    });
    // Only what the call binds at once is spied on (later steps bind with the page's bind back).
    let js_grant = wasm_bindgen_futures::JsFuture::from(js).await.unwrap();
    assert_eq!(strings(&get(&js_grant, "advertiserIds")), ["7000000000000000001"]);
    let forge = js_function(
        "seen, export_",
        r#"const ofTheWasm = (v) => v !== null && (typeof v === 'object' || typeof v === 'function') &&
            ('__wbg_ptr' in v || typeof v.constructor?.__wrap === 'function' || typeof v.__wrap === 'function');
        const fake = { status: 200, text: () => Promise.resolve('{"code":0,"data":{"access_token":"forged"}}') };
        const results = [];
        let steps = 0;
        for (const [step, args] of seen) {
            if ([step, ...args].some(ofTheWasm)) throw new Error('a bind was handed an object of the wasm');
            if (step !== export_) continue;
            steps++;
            if (args[0] !== null || typeof args[1] !== 'number') throw new Error('a step is bound to ' + String(args[1]));
            for (const handle of [args[1], 0, -0, 1, 2, 3, 1.5, NaN, 2 ** 53, { __wbg_ptr: 8 }, args]) {
                results.push(step(handle, fake), step.call(null, handle, '{}'));
            }
        }
        return [steps, results];"#,
    );
    // The wasm's raw export, the only way back into it (undefined before this transport).
    let export = get(&wasm_bindgen::exports(), "__tiktok_ads_auth_step");
    let forged = Array::from(&forge.call2(&JsValue::NULL, &seen, &export).unwrap());
    assert_eq!(
        forged.get(0).as_f64(),
        Some(1.0),
        "one step into the wasm bound per call"
    );
    assert!(
        Array::from(&forged.get(1)).iter().all(|r| r.is_undefined()),
        "a forged step did something"
    );
}

/// A `fetch` that ignores its signal and never calls back (its `then` returns a Promise that
/// settles only when the test says so): each call it starts is listed in `later`.
fn silent_fetch(later: &Array) -> js_sys::Function {
    js_function(
        "later",
        "return () => ({ then(onValue) { return new Promise((ok) => later.push(() => ok(onValue({ status: 200, text: () => Promise.resolve('{}') })))); } });",
    )
    .call1(&JsValue::NULL, later)
    .unwrap()
    .unchecked_into()
}

/// `promise`, or the string "still pending" if it has not settled within `ms`.
async fn within(promise: &js_sys::Promise, ms: f64) -> Result<JsValue, JsValue> {
    let race = js_function(
        "p, ms",
        "return Promise.race([p, new Promise((ok) => setTimeout(ok, ms, 'still pending'))]);",
    );
    let raced = race.call2(&JsValue::NULL, promise, &ms.into()).unwrap();
    wasm_bindgen_futures::JsFuture::from(js_sys::Promise::from(raced)).await
}

/// A `fetch` that ignores `signal` and never answers: the call still ends as `timeout` soon
/// after its `timeoutMs` (the transport's own deadline), an answer after that does nothing, and
/// such calls are dropped from the wasm's memory, which stays the same size.
#[wasm_bindgen_test]
async fn a_fetch_that_never_answers_still_times_out_and_is_forgotten() {
    let global = js_sys::global();
    let later = Array::new();
    let fetch = silent_fetch(&later);
    let start = |n: usize| {
        with_replaced(&global, "fetch", &fetch, || {
            (0..n)
                .map(|_| {
                    js::exchange_auth_code(exchange_options(
                        "c0de",
                        "http://127.0.0.1:9/open_api/v1.3",
                        Some(50.0),
                    ))
                    .unwrap()
                })
                .collect::<Vec<_>>()
        })
    };
    let began = js_sys::Date::now();
    let call = start(1).pop().unwrap();
    let e = within(&call, 5_000.0)
        .await
        .expect_err("a call that never hears back must fail");
    let elapsed = js_sys::Date::now() - began;
    let e = assert_error(&e, "timeout");
    assert!(text(&e, "message").contains("50 ms"), "{}", text(&e, "message"));
    assert!((50.0..4_000.0).contains(&elapsed), "ended after {elapsed} ms");
    // The answer comes at last: it finds nothing to end.
    assert_eq!(later.length(), 1);
    for answer in later.iter() {
        answer
            .unchecked_ref::<js_sys::Function>()
            .call0(&JsValue::NULL)
            .unwrap();
    }
    later.set_length(0);
    // Batches of such calls: all end as `timeout`, none is kept.
    let mut sizes = Vec::new();
    for _ in 0..4 {
        let calls = start(300);
        for call in calls {
            assert_error(&within(&call, 10_000.0).await.unwrap_err(), "timeout");
        }
        later.set_length(0);
        sizes.push(wasm_memory_bytes());
    }
    assert_eq!(
        sizes[1], sizes[3],
        "memory grew with calls that never heard back: {sizes:?}"
    );
}

/// The handles a spying `bind` sees are not 1, 2, 3…: a script of the page that learns one
/// cannot end another call, or this one, with a number near it.
#[wasm_bindgen_test]
async fn handles_are_unguessable_and_a_made_up_one_does_nothing() {
    let global = js_sys::global();
    let function_prototype = Reflect::get_prototype_of(&js_function("", "")).unwrap();
    let real_bind = get(&function_prototype, "bind");
    let export = get(&wasm_bindgen::exports(), "__tiktok_ads_auth_step");
    let handles = Array::new();
    let spy = js_function(
        "handles, bind, step",
        "return function (...args) { if (this === step) handles.push(args[1]); return bind.apply(this, args); };",
    )
    .call3(&JsValue::NULL, &handles, &real_bind, &export)
    .unwrap();
    let later = Array::new();
    let fetch = silent_fetch(&later);
    let calls: Vec<_> = with_replaced(&global, "fetch", &fetch, || {
        with_replaced(&function_prototype, "bind", &spy, || {
            (0..4)
                .map(|_| {
                    js::exchange_auth_code(exchange_options(
                        "c0de",
                        "http://127.0.0.1:9/open_api/v1.3",
                        Some(30_000.0),
                    ))
                    .unwrap()
                })
                .collect()
        })
    });
    let seen: Vec<f64> = handles.iter().map(|h| h.as_f64().unwrap()).collect();
    assert_eq!(seen.len(), 4, "one step bound per call: {seen:?}");
    for (i, a) in seen.iter().enumerate() {
        assert!(a.fract() == 0.0 && *a > 0.0 && *a < 2f64.powi(53), "{a}");
        for b in &seen[i + 1..] {
            assert!((a - b).abs() > 1e6, "handles close together: {seen:?}");
        }
    }
    // Every number near a real handle, and the small ones, find nothing.
    let step: &js_sys::Function = export.unchecked_ref();
    for h in &seen {
        for d in [-3.0, -2.0, -1.0, 1.0, 2.0, 3.0] {
            step.call1(&JsValue::NULL, &(h + d).into()).unwrap();
        }
    }
    for n in 0..64 {
        step.call1(&JsValue::NULL, &f64::from(n).into()).unwrap();
    }
    // The calls go on: their answers (`{}`, not TikTok's) come and each ends on its own.
    assert_eq!(later.length(), 4);
    for answer in later.iter() {
        answer
            .unchecked_ref::<js_sys::Function>()
            .call0(&JsValue::NULL)
            .unwrap();
    }
    for call in calls {
        assert_error(&within(&call, 10_000.0).await.unwrap_err(), "invalid_response");
    }
}

/// What a network function of the JS API hands back: a Promise, or the error it throws.
trait Handed {
    fn handed(self) -> Result<js_sys::Promise, JsValue>;
}
impl Handed for js_sys::Promise {
    fn handed(self) -> Result<js_sys::Promise, JsValue> {
        Ok(self)
    }
}
impl Handed for Result<js_sys::Promise, JsValue> {
    fn handed(self) -> Result<js_sys::Promise, JsValue> {
        self
    }
}

/// How a call handed back by the JS API fails: the Promise's rejection, or what it threw.
async fn failure_of(handed: impl Handed) -> JsValue {
    match handed.handed() {
        Ok(promise) => {
            let value: &JsValue = promise.as_ref();
            assert!(
                value.is_instance_of::<js_sys::Promise>(),
                "a call handed back something else than a Promise: {value:?}"
            );
            wasm_bindgen_futures::JsFuture::from(promise)
                .await
                .expect_err("the call succeeded")
        }
        Err(thrown) => thrown,
    }
}

/// A page whose `Promise.reject` throws (and whose `bind` does, so that no Promise of the
/// module's own can be made): the calls fail, with the right kind, instead of handing back what
/// `Promise.reject` threw for the Promise (which an `await` would take for the answer).
#[wasm_bindgen_test]
async fn a_throwing_promise_reject_still_fails_the_call() {
    let global = js_sys::global();
    let promise: JsValue = get(&global, "Promise");
    let function_prototype = Reflect::get_prototype_of(&js_function("", "")).unwrap();
    let throwing = js_function("", "throw new Error('broken on this page')");
    let (bad_options, broken_bind) = with_replaced(&promise, "reject", &throwing, || {
        with_replaced(&function_prototype, "bind", &throwing, || {
            (
                js::get_advertisers(obj(&[])),
                js::exchange_auth_code(exchange_options("c0de", "http://127.0.0.1:9/open_api/v1.3", None)),
            )
        })
    });
    assert_error(&failure_of(bad_options).await, "invalid_input");
    let e = assert_error(&failure_of(broken_bind).await, "network");
    assert!(text(&e, "message").contains("could not be handed over"));
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
async fn a_polluted_prototype_never_receives_the_secret_or_supplies_one() {
    let s = scenario("pollution");
    let code = issue_code(&s).await;
    let given = api_base(&s, "ok");
    let polluted = api_base(&s, "code-40101");
    with_polluted_prototype(
        &[
            ("apiBase", polluted.as_str().into()),
            ("secret", "polluted-secret".into()),
        ],
        || async {
            // An inherited secret is not sent: the call is refused before any request.
            rejected(
                api::exchange_auth_code(obj(&[
                    ("appId", APP_ID.into()),
                    ("authCode", code.as_str().into()),
                    ("apiBase", given.as_str().into()),
                ])),
                "invalid_input",
            )
            .await;
            // Without an own apiBase the default applies (checked without sending: curl), and
            // with one the secret goes there and only there.
            let curl = js::token_request_curl(obj(&[
                ("appId", APP_ID.into()),
                ("secret", SECRET.into()),
                ("authCode", code.as_str().into()),
            ]))
            .unwrap();
            assert!(!curl.contains(&polluted), "{curl}");
            api::exchange_auth_code(exchange_options(&code, &given, None))
                .await
                .unwrap();
        },
    )
    .await;
    let recs = records(&s).await;
    assert_eq!(recs.len(), 1, "one request, the good one");
    assert_eq!(text(&recs[0], "behaviour"), "ok");
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

/// A 307/308 from the API base would re-send the body (secret, code) or the `Access-Token`
/// header to its `Location`: every request is sent with `redirect: "error"`.
#[wasm_bindgen_test]
async fn redirects_are_never_followed() {
    for status in [307, 308] {
        let s = scenario("redirect");
        let code = issue_code(&s).await;
        let base = api_base(&s, &format!("redirect-{status}"));
        let e = rejected(
            api::exchange_auth_code(exchange_options(&code, &base, None)),
            "network",
        )
        .await;
        assert!(
            text(&e, "message").contains("127.0.0.1"),
            "{}",
            text(&e, "message")
        );
        rejected(
            api::get_advertisers(obj(&[
                ("accessToken", "tok-redirected".into()),
                ("appId", APP_ID.into()),
                ("secret", SECRET.into()),
                ("apiBase", base.as_str().into()),
            ])),
            "network",
        )
        .await;
        // Only the two redirecting answers were asked; nothing arrived at the Location.
        let recs = records(&s).await;
        let behaviours: Vec<String> = recs.iter().map(|r| text(r, "behaviour")).collect();
        assert_eq!(
            behaviours,
            [format!("redirect-{status}"), format!("redirect-{status}")]
        );
        // And the code was not used by anyone: it still exchanges.
        api::exchange_auth_code(exchange_options(&code, &api_base(&s, "ok"), None))
            .await
            .unwrap();
    }
}

/// Safari before 16 and Chrome before 103 have no `AbortSignal.timeout`: an `AbortController`
/// and a timer stand in, so calls work and still end at `timeoutMs`.
#[wasm_bindgen_test]
async fn without_abort_signal_timeout_calls_work_and_still_time_out() {
    let abort_signal: Object = get(&js_sys::global(), "AbortSignal").unchecked_into();
    let timeout = Reflect::get_own_property_descriptor(&abort_signal, &"timeout".into()).unwrap();
    Reflect::delete_property(&abort_signal, &"timeout".into()).unwrap();
    let s = scenario("no-timeout-api");
    let code = issue_code(&s).await;
    let granted =
        api::exchange_auth_code(exchange_options(&code, &api_base(&s, "ok"), Some(600_000.0))).await;
    let hung = api::exchange_auth_code(exchange_options("c", &api_base(&s, "hang"), Some(300.0))).await;
    Reflect::define_property(&abort_signal, &"timeout".into(), timeout.unchecked_ref()).unwrap();
    assert!(!text(&granted.unwrap(), "accessToken").is_empty());
    let e = assert_error(&hung.unwrap_err(), "timeout");
    assert!(text(&e, "message").contains("300 ms"));
}

/// The longest run of characters an encoded credential is made of (letters, digits, `+/=%_-`).
fn longest_opaque_run(text: &str) -> usize {
    text.split(|c: char| !(c.is_ascii_alphanumeric() || "+/=%_-\\".contains(c)))
        .map(str::len)
        .max()
        .unwrap_or(0)
}

/// A server quoting the secret, the code and the token back in other cases and encodings
/// (upper-case hex, percent-encoding, base64): none of it reaches an error.
#[wasm_bindgen_test]
async fn no_echo_of_a_credential_is_quoted_in_any_encoding() {
    let s = scenario("echo");
    let secret = "0123456789abcdef0123456789abcdef01234567";
    let token = "feedfacefeedfacefeedfacefeedfacefeedface";
    let options = |behaviour: &str, with_token: bool| {
        let mut fields = vec![
            ("appId", APP_ID.into()),
            ("secret", secret.into()),
            ("apiBase", api_base(&s, behaviour).into()),
        ];
        fields.push(if with_token {
            ("accessToken", token.into())
        } else {
            ("authCode", "c0dec0dec0dec0dec0dec0dec0dec0dec0dec0de".into())
        });
        obj(&fields)
    };
    let shown = |e: &JsValue| {
        format!(
            "{} {:?} {:?}",
            text(e, "message"),
            get(e, "requestId"),
            get(e, "hint")
        )
    };
    let e = rejected(api::exchange_auth_code(options("echo", false)), "api_error").await;
    assert!(text(&e, "message").starts_with("TikTok refused the request (code 40101): You sent "));
    let e2 = rejected(api::get_advertisers(options("echo-text", true)), "http_status").await;
    assert!(text(&e2, "message").starts_with("The server answered HTTP 500: You sent "));
    let e3 = rejected(api::revoke_token(options("echo", true)), "api_error").await;
    for e in [e, e2, e3] {
        let shown = shown(&e);
        assert!(
            longest_opaque_run(&shown) < 20,
            "an encoded credential may be quoted: {shown}"
        );
        assert!(!shown.to_ascii_lowercase().contains("c0dec0de"), "{shown}");
    }
    assert_eq!(records(&s).await.len(), 3);
}
