//! The `serde` feature natively (serde_json): the JS API's shape, the round trip, and the
//! credentials checked on the way in. (`tests/common/rust_api.rs` compares the shape with the
//! JS API's own objects in wasm.)
#![cfg(all(feature = "serde", not(target_arch = "wasm32")))]

use serde_json::{from_value, json, to_value};
use tiktok_ads_auth::{parse_redirect, parse_token_response, Advertiser, CodeParam, Redirect, TokenGrant};

const BODY: &str = r#"{"code":0,"message":"OK","request_id":"202612061200000000","data":{"access_token":"ec3e0a1b2c3d4e5f60718293a4b5c6d7e8f90a1b",
    "advertiser_ids":[7123456789012345678,"7000000000000000002"],"scope":[4,7043626160646815746]}}"#;

#[test]
fn a_grant_serializes_in_the_js_apis_shape_and_back() {
    let grant = parse_token_response(BODY).unwrap();
    let value = to_value(&grant).unwrap();
    assert_eq!(
        value,
        json!({
            "accessToken": "ec3e0a1b2c3d4e5f60718293a4b5c6d7e8f90a1b",
            "advertiserIds": ["7123456789012345678", "7000000000000000002"],
            "scope": ["4", "7043626160646815746"],
            "requestId": "202612061200000000",
            "warnings": [],
        })
    );
    let text = serde_json::to_string(&grant).unwrap();
    let back: TokenGrant = serde_json::from_str(&text).unwrap();
    assert_eq!(
        back.access_token.secret(),
        "ec3e0a1b2c3d4e5f60718293a4b5c6d7e8f90a1b"
    );
    assert_eq!(back.advertiser_ids, grant.advertiser_ids);
    assert_eq!(back.scope, grant.scope);
    assert_eq!(back.request_id, grant.request_id);
    assert_eq!(back.warnings, grant.warnings);
    assert_eq!(to_value(&back).unwrap(), value);
    // `Debug` stays redacted, serialized or not.
    assert!(!format!("{back:?}").contains("ec3e0a1b2c3d4e5f60718293a4b5c6d7e8f90a1b"));
    // The JS API's `null` request id reads as none.
    let mut null_id = value.clone();
    null_id["requestId"] = serde_json::Value::Null;
    assert_eq!(from_value::<TokenGrant>(null_id).unwrap().request_id, None);
}

#[test]
fn ids_stay_exact_strings_both_ways() {
    // A number is refused rather than read as an id it may not be (2^53 and beyond round).
    let numeric = json!({
        "accessToken": "ec3e0a1b2c3d4e5f60718293a4b5c6d7e8f90a1b", "advertiserIds": [7123456789012345678u64], "scope": [],
        "requestId": null, "warnings": [],
    });
    assert!(from_value::<TokenGrant>(numeric).is_err());
    let advertiser = Advertiser {
        advertiser_id: "7123456789012345678".into(),
        advertiser_name: "Shop".into(),
    };
    let value = to_value(&advertiser).unwrap();
    assert_eq!(
        value,
        json!({"advertiserId": "7123456789012345678", "advertiserName": "Shop"})
    );
    assert_eq!(from_value::<Advertiser>(value).unwrap(), advertiser);
}

#[test]
fn a_redirect_serializes_in_the_js_apis_shape_and_back() {
    for (url, shape) in [
        (
            "https://me.example/cb?auth_code=c0de&code=c0de&state=s1",
            json!({"authCode": "c0de", "state": "s1", "codeParam": "auth_code"}),
        ),
        (
            "https://me.example/cb?code=c0de",
            json!({"authCode": "c0de", "state": null, "codeParam": "code"}),
        ),
    ] {
        let redirect = parse_redirect(url).unwrap();
        assert_eq!(to_value(&redirect).unwrap(), shape);
        let back: Redirect = from_value(shape).unwrap();
        assert_eq!(back.auth_code.secret(), redirect.auth_code.secret());
        assert_eq!(back.state, redirect.state);
        assert_eq!(back.code_param, redirect.code_param);
    }
    assert_eq!(to_value(CodeParam::AuthCode).unwrap(), json!("auth_code"));
}

/// A credential is checked on the way in as `parse` checks it: the error names it and does not
/// quote it; surrounding whitespace is dropped.
#[test]
fn credentials_are_checked_on_the_way_in() {
    let redirect = |code: &str| {
        from_value::<Redirect>(json!({"authCode": code, "state": null, "codeParam": "auth_code"}))
    };
    for bad in ["", "   ", "c0 de", "c0\u{7}de"] {
        let e = redirect(bad).unwrap_err().to_string();
        assert!(e.contains("`authCode`"), "{bad:?}: {e}");
    }
    assert!(redirect(&"c".repeat(2049)).is_err());
    assert_eq!(redirect(" c0de\n").unwrap().auth_code.secret(), "c0de");
    let grant = |token: &str| {
        from_value::<TokenGrant>(json!({
            "accessToken": token, "advertiserIds": [], "scope": [], "requestId": null, "warnings": [],
        }))
    };
    let e = grant("t0k en-SECRETISH").unwrap_err().to_string();
    assert!(e.contains("`accessToken`") && !e.contains("SECRETISH"), "{e}");
    assert!(grant("").is_err());
    assert!(from_value::<Redirect>(json!({"authCode": "c", "state": null, "codeParam": "other"})).is_err());
}
