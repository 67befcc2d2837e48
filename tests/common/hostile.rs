//! A hostile page around the wasm: built-ins that misbehave, a polluted `Object.prototype`.

use super::*;
use wasm_bindgen_test::wasm_bindgen_test;

// ------------------------------------------------- a hostile built-in
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
