//! The network calls' decisions, which the wasm makes and `npm/net.js` carries: the request
//! `__prepare` gives, the answer `__read` reads, the errors `__fail` builds.

use super::*;
use js_sys::JSON;
use wasm_bindgen_test::wasm_bindgen_test;

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
