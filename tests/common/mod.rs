//! One body of tests for the JS-facing API, run in headless browsers (`browser.rs`) and in
//! Node (`node.rs`): the functions the wasm exports. The network calls (`exchangeAuthCode`, …)
//! are the npm package's JavaScript, tested in Node against the stand-in (`tests/network/`).

use js_sys::{Array, Object, Reflect};
use tiktok_ads_auth::js;
use wasm_bindgen::{JsCast, JsValue};

mod api;
mod hostile;
mod requests;
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
