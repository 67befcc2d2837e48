//! The Rust API (feature `fetch`: `exchange_auth_code`, `get_advertisers`, `revoke_token` on
//! gloo-net) against the TikTok stand-in, in Node and in headless browsers, and (feature
//! `serde`) its types through serde-wasm-bindgen in the JS API's shape.
//!
//! It shares with the JS API's tests beside it the stand-in and four helpers (`get`, `text`,
//! `js_function`, `with_replaced`).

use js_sys::{Array, Object, Reflect, JSON};
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll, Waker};
use tiktok_ads_auth::{
    exchange_auth_code, get_advertisers, revoke_token, AccessToken, AppSecret, AuthCode, ErrorKind,
    TokenCall, TokenRequest,
};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::wasm_bindgen_test;

const SECRET: &str = "s3cr3t-'\"$(touch x)-value";
const APP_ID: &str = "7123456789012345678";
const MIB: usize = 1 << 20;
const GRANT_BODY: &str = r#"{"code":0,"message":"OK","request_id":"r1","data":{"access_token":"ec3e0a1b2c3d4e5f60718293a4b5c6d7e8f90a1b","advertiser_ids":["7000000000000000001"],"scope":[4]}}"#;

fn standin() -> &'static str {
    match option_env!("TIKTOK_STANDIN_URL") {
        Some(url) => url,
        None => panic!("build with TIKTOK_STANDIN_URL=http://127.0.0.1:PORT (the test command does)"),
    }
}

/// A scenario name unique to this run and engine, so browser and Node runs never share records.
fn scenario(name: &str) -> String {
    let nonce = (js_sys::Math::random() * 1e9) as u64;
    format!("rust-{name}-{nonce}")
}

fn api_base(scenario: &str, behaviour: &str) -> String {
    format!("{}/s/{scenario}/{behaviour}/open_api/v1.3", standin())
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

/// What the stand-in received under `scenario`, preflights left out (they are the browser's).
async fn records(scenario: &str) -> Vec<JsValue> {
    let all = Array::from(&control("GET", &format!("/__standin/requests?scenario={scenario}")).await);
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

fn token_request(code: &str, base: &str) -> TokenRequest {
    TokenRequest::new(APP_ID, &AppSecret::new(SECRET), &AuthCode::new(code), Some(base)).unwrap()
}

/// No credential in what a person or a log would see of an error.
fn assert_clean(e: &tiktok_ads_auth::Error) {
    let shown = format!("{e} {e:?} {:?}", e.hint());
    assert!(!shown.contains(SECRET), "the secret leaked: {shown}");
}

fn is_browser() -> bool {
    Reflect::has(&js_sys::global(), &"document".into()).unwrap()
}

// ------------------------------------------------------------------- against the stand-in

/// Each call sends exactly one request, the one the pure API prepares, and reads the answer.
#[wasm_bindgen_test]
async fn the_rust_api_exchanges_lists_and_revokes_with_one_exact_request_each() {
    let s = scenario("flow");
    let code = issue_code(&s).await;
    let base = api_base(&s, "ok");
    let grant = exchange_auth_code(&token_request(&code, &base), 30_000)
        .await
        .unwrap();
    assert_eq!(
        grant.advertiser_ids,
        ["7000000000000000001", "7000000000000000002"]
    );
    // The stand-in sends the 19-digit permission id as a bare JSON number.
    assert_eq!(
        grant.scope,
        ["4", "10", "100", "200", "210", "220", "30", "7043626160646815746"]
    );
    assert!(grant.warnings.is_empty(), "{:?}", grant.warnings);
    assert!(grant.request_id.is_some());
    let recs = records(&s).await;
    assert_eq!(recs.len(), 1, "exactly one request");
    let r = &recs[0];
    assert_eq!(text(r, "method"), "POST");
    assert!(text(r, "path").ends_with("/open_api/v1.3/oauth2/access_token/"));
    let headers = get(r, "headers");
    assert_eq!(text(&headers, "content-type"), "application/json");
    // `credentials: omit` and `referrer-policy: no-referrer`.
    for absent in ["cookie", "referer"] {
        assert!(get(&headers, absent).is_undefined(), "{absent} was sent");
    }
    let body = JSON::parse(&text(r, "body")).unwrap();
    assert_eq!(
        (
            text(&body, "app_id"),
            text(&body, "secret"),
            text(&body, "auth_code")
        ),
        (APP_ID.into(), SECRET.into(), code)
    );
    assert_eq!(
        Object::keys(body.unchecked_ref::<Object>()).length(),
        3,
        "{}",
        text(r, "body")
    );
    assert!(
        get(&get(r, "query"), "secret").is_undefined(),
        "secret in the URL"
    );

    let call = TokenCall::new(
        &AccessToken::new(grant.access_token.secret()),
        APP_ID,
        &AppSecret::new(SECRET),
        Some(&base),
    )
    .unwrap();
    let advertisers = get_advertisers(&call, 30_000).await.unwrap();
    assert_eq!(advertisers.len(), 2);
    assert_eq!(advertisers[0].advertiser_id, "7000000000000000001");
    let revoked = revoke_token(&call, 30_000).await.unwrap();
    assert_eq!(revoked, ["7000000000000000001", "7000000000000000002"]);

    let recs = records(&s).await;
    assert_eq!(
        recs.iter().map(|r| text(r, "method")).collect::<Vec<_>>(),
        ["POST", "GET", "POST"],
        "one request per call"
    );
    let lookup = &recs[1];
    assert!(text(lookup, "path").ends_with("/oauth2/advertiser/get/"));
    assert_eq!(
        (
            text(&get(lookup, "query"), "app_id"),
            text(&get(lookup, "query"), "secret")
        ),
        (APP_ID.into(), SECRET.into())
    );
    assert_eq!(
        text(&get(lookup, "headers"), "access-token"),
        grant.access_token.secret()
    );
    assert!(text(&recs[2], "path").ends_with("/oauth2/revoke_token/"));
    let body = JSON::parse(&text(&recs[2], "body")).unwrap();
    assert_eq!(text(&body, "access_token"), grant.access_token.secret());
    // A revoked token is refused by the stand-in: the lookup now fails as TikTok's 40105.
    let e = get_advertisers(&call, 30_000).await.unwrap_err();
    assert_eq!((e.kind(), e.code()), (ErrorKind::ApiError, Some(40105)), "{e}");
}

/// TikTok's refusal keeps its kind, code, request id and hint; a spent code is not retried.
#[wasm_bindgen_test]
async fn an_api_error_keeps_its_kind_code_and_hint_and_nothing_is_retried() {
    let s = scenario("reuse");
    let code = issue_code(&s).await;
    let request = token_request(&code, &api_base(&s, "ok"));
    exchange_auth_code(&request, 30_000).await.unwrap();
    let e = exchange_auth_code(&request, 30_000).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::ApiError, "{e}");
    assert_eq!(e.code(), Some(40110));
    assert!(e.request_id().is_some());
    assert!(e.hint().unwrap().contains("fresh code"), "{:?}", e.hint());
    assert_clean(&e);
    assert_eq!(records(&s).await.len(), 2, "one request per call");
    // An HTTP error is its own kind, with its status.
    let e = exchange_auth_code(&token_request("c", &api_base(&s, "http-503")), 30_000)
        .await
        .unwrap_err();
    assert_eq!((e.kind(), e.status()), (ErrorKind::HttpStatus, Some(503)), "{e}");
}

/// No answer within the timeout is `timeout`, at the timeout; a closed port is `network`.
#[wasm_bindgen_test]
async fn a_timeout_is_timeout_and_a_dead_host_is_network() {
    let s = scenario("timeout");
    let started = js_sys::Date::now();
    let e = exchange_auth_code(&token_request("c", &api_base(&s, "hang")), 300)
        .await
        .unwrap_err();
    let took = js_sys::Date::now() - started;
    assert_eq!(e.kind(), ErrorKind::Timeout, "{e}");
    assert!(e.message().contains("300 ms"), "{e}");
    assert!((290.0..10_000.0).contains(&took), "ended after {took} ms");
    // The timeout also bounds a body that is slow to come: `slow-MS` answers after MS.
    let code = issue_code(&s).await;
    let e = exchange_auth_code(&token_request(&code, &api_base(&s, "slow-3000")), 300)
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Timeout, "{e}");
    // The same call with time to spare gets the grant: the code was never used.
    let grant = exchange_auth_code(&token_request(&code, &api_base(&s, "slow-100")), 30_000).await;
    assert_eq!(grant.unwrap().advertiser_ids.len(), 2);

    let e = exchange_auth_code(&token_request("c", "http://127.0.0.1:9/open_api/v1.3"), 30_000)
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Network, "{e}");
    assert!(e.message().contains("127.0.0.1"), "{e}");
    assert_clean(&e);
}

/// A 307/308 would re-send the secret and the code to its `Location`: `redirect: error`.
#[wasm_bindgen_test]
async fn a_redirect_is_never_followed() {
    for status in [307, 308] {
        let s = scenario("redirect");
        let code = issue_code(&s).await;
        let base = api_base(&s, &format!("redirect-{status}"));
        let e = exchange_auth_code(&token_request(&code, &base), 30_000)
            .await
            .unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Network, "{status}: {e}");
        let behaviours: Vec<String> = records(&s).await.iter().map(|r| text(r, "behaviour")).collect();
        assert_eq!(behaviours, [format!("redirect-{status}")], "followed");
    }
}

/// Without CORS headers a browser hides the answer: `network`. Node has no CORS: the same
/// request gets the grant there.
#[wasm_bindgen_test]
async fn a_cors_refusal_is_network() {
    let s = scenario("nocors");
    let code = issue_code(&s).await;
    let outcome = exchange_auth_code(&token_request(&code, &api_base(&s, "nocors")), 30_000).await;
    if is_browser() {
        let e = outcome.unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Network, "{e}");
        assert!(e.message().contains("CORS"), "{e}");
        assert_clean(&e);
    } else {
        assert_eq!(outcome.unwrap().advertiser_ids.len(), 2);
    }
}

// -------------------------------------------------- answers from a fetch of the test's own

// The parent module's: a property, a string property, a JS function from source, and
// `target[key]` replaced for a while.
use super::{get, js_function, text, with_replaced};

/// A waker that does nothing (`Waker::noop` is newer than the crate's MSRV).
fn noop_waker() -> Waker {
    struct Noop;
    impl std::task::Wake for Noop {
        fn wake(self: std::sync::Arc<Self>) {}
    }
    Waker::from(std::sync::Arc::new(Noop))
}

/// Polls `future` once and returns it to be awaited: a Rust future does nothing until polled,
/// and these tests must start it (call `fetch`) while `fetch` is replaced.
fn started<'a, T: 'a>(future: impl Future<Output = T> + 'a) -> Pin<Box<dyn Future<Output = T> + 'a>> {
    let mut future = Box::pin(future);
    let waker = noop_waker();
    match future.as_mut().poll(&mut Context::from_waker(&waker)) {
        Poll::Ready(output) => Box::pin(std::future::ready(output)),
        Poll::Pending => future,
    }
}

/// The exchange, sent through `fetch` (JS source of a function) instead of the global one.
async fn exchange_through(fetch: &str) -> tiktok_ads_auth::Result<tiktok_ads_auth::TokenGrant> {
    let request = token_request("c0de", "http://127.0.0.1:9/open_api/v1.3");
    let fetch = js_function("", fetch);
    let future = with_replaced(&js_sys::global(), "fetch", &fetch, || {
        started(exchange_auth_code(&request, 30_000))
    });
    future.await
}

fn wasm_memory_bytes() -> usize {
    let memory: js_sys::WebAssembly::Memory = wasm_bindgen::memory().unchecked_into();
    memory
        .buffer()
        .unchecked_into::<js_sys::ArrayBuffer>()
        .byte_length() as usize
}

/// Up to 1 MiB is read; one byte more is `invalid_response`, refused by its `Content-Length`
/// before it is read, or while it is read when it has none: an endless body is read no further
/// than the limit, so the wasm's memory (which never shrinks) grows by about that much at most.
#[wasm_bindgen_test]
async fn a_body_over_1_mib_is_invalid_response_and_never_copied_whole() {
    let padded = |extra: usize| {
        format!(
            "return Promise.resolve(new Response({GRANT_BODY:?} + ' '.repeat({})));",
            MIB - GRANT_BODY.len() + extra
        )
    };
    let grant = exchange_through(&padded(0)).await.unwrap();
    assert_eq!(grant.advertiser_ids, ["7000000000000000001"]);
    let too_large = |outcome: tiktok_ads_auth::Result<_>, case: &str| {
        let e = outcome.unwrap_err();
        assert_eq!(e.kind(), ErrorKind::InvalidResponse, "{case}: {e}");
        assert!(e.message().contains("over 1 MiB"), "{case}: {e}");
    };
    too_large(exchange_through(&padded(1)).await, "1 MiB + 1 byte");
    // A short body announced as over the limit: only its Content-Length can refuse it.
    too_large(
        exchange_through(&format!(
            "return Promise.resolve(new Response({GRANT_BODY:?}, {{ headers: {{ 'content-length': '{}' }} }}));",
            MIB + 1
        ))
        .await,
        "Content-Length over 1 MiB",
    );
    // An endless body in 64 KiB chunks, and 400 000 "€" (1.2 MB of UTF-8, one chunk).
    for (case, body) in [
        (
            "endless",
            "new ReadableStream({ pull(c) { c.enqueue(new Uint8Array(65536).fill(32)); } })",
        ),
        ("euros", "'\\u20ac'.repeat(400000)"),
    ] {
        let before = wasm_memory_bytes();
        too_large(
            exchange_through(&format!("return Promise.resolve(new Response({body}));")).await,
            case,
        );
        let grown = wasm_memory_bytes() - before;
        assert!(grown <= 2 * MIB, "{case}: the wasm memory grew by {grown} bytes");
    }
}

/// A page's `fetch` whose thenable calls back twice, or that hands over something that is not a
/// `Response`, throws or rejects with a non-Error: one answer per call (the grant or `network`),
/// never a panic; the module still works afterwards.
#[wasm_bindgen_test]
async fn a_misbehaving_fetch_gives_one_answer_per_call_and_never_a_panic() {
    for late in [false, true] {
        let fetch = format!(
            r#"const response = new Response({GRANT_BODY:?});
            return {{ then(onValue, onError) {{
                const run = () => {{ onValue(response); onError(new Error('late')); onValue(response); }};
                if ({late}) Promise.resolve().then(run); else run();
            }} }};"#
        );
        for _ in 0..50 {
            let grant = exchange_through(&fetch).await.unwrap();
            assert_eq!(grant.advertiser_ids, ["7000000000000000001"]);
        }
    }
    for fetch in [
        format!("return Promise.resolve({{ status: 200, text: () => Promise.resolve({GRANT_BODY:?}) }});"),
        "throw new Error('fetch is broken on this page');".to_owned(),
        "return Promise.reject('not an Error');".to_owned(),
        "return 42;".to_owned(),
    ] {
        let e = exchange_through(&fetch).await.unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Network, "{fetch}: {e}");
    }
    let s = scenario("after-hostile");
    let code = issue_code(&s).await;
    let grant = exchange_auth_code(&token_request(&code, &api_base(&s, "ok")), 30_000).await;
    assert_eq!(grant.unwrap().advertiser_ids.len(), 2);
}

// ------------------------------------------------------------ serde (serde-wasm-bindgen)

/// `serde_wasm_bindgen::to_value` gives a grant the shape `parseTokenResponse` gives it:
/// camelCase, ids as exact strings (19 digits, sent as bare JSON numbers); and the JS API's
/// object reads back into the same grant.
#[cfg(feature = "serde")]
#[wasm_bindgen_test]
fn serde_wasm_bindgen_gives_the_js_apis_shape() {
    use tiktok_ads_auth::js;
    let same = |rust: &JsValue, js: &JsValue| {
        let keys = |v: &JsValue| Object::keys(v.unchecked_ref::<Object>()).to_vec();
        assert_eq!(keys(rust), keys(js));
        assert_eq!(JSON::stringify(rust).unwrap(), JSON::stringify(js).unwrap());
    };
    let body = r#"{"code":0,"message":"OK","request_id":"202612061200000000","data":{"access_token":"t0ken",
        "advertiser_ids":[7123456789012345678,"7000000000000000002"],"scope":[4,7043626160646815746]}}"#;
    let grant = tiktok_ads_auth::parse_token_response(body).unwrap();
    let rust = serde_wasm_bindgen::to_value(&grant).unwrap();
    let js = js::parse_token_response(body.into()).unwrap();
    same(&rust, &js);
    let ids = get(&rust, "advertiserIds");
    assert_eq!(
        Array::from(&ids).get(0).as_string().as_deref(),
        Some("7123456789012345678")
    );
    assert_eq!(text(&rust, "accessToken"), "t0ken");
    let back: tiktok_ads_auth::TokenGrant = serde_wasm_bindgen::from_value(js).unwrap();
    assert_eq!(back.advertiser_ids, grant.advertiser_ids);
    assert_eq!(back.scope, ["4", "7043626160646815746"]);
    assert_eq!(back.access_token.secret(), "t0ken");

    // Where the JS API gives `null` (no request id, no state), the JSON-compatible serializer
    // does too; plain `to_value` leaves the field `undefined`.
    let json = serde_wasm_bindgen::Serializer::json_compatible();
    let body = r#"{"code":0,"message":"OK","data":{"access_token":"t0ken","advertiser_ids":[],"scope":[]}}"#;
    let grant = tiktok_ads_auth::parse_token_response(body).unwrap();
    same(
        &serde::Serialize::serialize(&grant, &json).unwrap(),
        &js::parse_token_response(body.into()).unwrap(),
    );
    assert!(get(&serde_wasm_bindgen::to_value(&grant).unwrap(), "requestId").is_undefined());
    for url in [
        "https://me.example/cb?auth_code=c0de&state=s1",
        "https://me.example/cb?code=c0de",
    ] {
        let redirect = tiktok_ads_auth::parse_redirect(url).unwrap();
        same(
            &serde::Serialize::serialize(&redirect, &json).unwrap(),
            &js::parse_redirect(url.into()).unwrap(),
        );
    }
    // A credential that could not be sent is refused on the way in, by its name.
    let bad = JSON::parse(r#"{"authCode":"c0 de","state":null,"codeParam":"auth_code"}"#).unwrap();
    let e = serde_wasm_bindgen::from_value::<tiktok_ads_auth::Redirect>(bad).unwrap_err();
    assert!(e.to_string().contains("authCode"), "{e}");
}
