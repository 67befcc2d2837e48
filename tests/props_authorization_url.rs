//! Properties of the authorization URL: valid inputs decode back exactly (read by
//! `form_urlencoded`, not the crate's decoder), any other input is refused with `invalid_input`.
#![cfg(not(target_arch = "wasm32"))]

mod props_common;

use props_common::*;
use proptest::prelude::*;
use proptest::test_runner::{TestCaseError, TestRunner};
use std::cell::Cell;
use tiktok_ads_auth::*;

/// A runner whose failures persist beside this file (see `props_common::runner_for`).
fn runner(default_cases: u32) -> TestRunner {
    runner_for(file!(), default_cases)
}

// ---- authorization URL ----

fn expected_portal(base: Option<&str>) -> String {
    match base {
        None => "https://business-api.tiktok.com/portal/auth".to_owned(),
        Some(b) => {
            let t = b.trim_end_matches('/');
            if t.ends_with("/portal/auth") {
                t.to_owned()
            } else {
                format!("{t}/portal/auth")
            }
        }
    }
}

fn auth_bases() -> impl Strategy<Value = Option<String>> {
    prop_oneof![
        3 => Just(None),
        2 => prop::sample::select(vec![
            "http://127.0.0.1:8081",
            "http://127.0.0.1:8081/",
            "https://h.example/s/t1/ok",
            "https://h.example/portal/auth/",
            "HTTPS://Portal.Example:443/x'y$(z)/",
        ])
        .prop_map(|s| Some(s.to_owned())),
        1 => valid_base_url().prop_map(Some),
    ]
}

/// The query of an authorization URL, decoded by `form_urlencoded` (not the crate's decoder).
fn check_authorization_url(
    url: &str,
    app_id: &str,
    redirect: &str,
    state: &str,
    base: Option<&str>,
) -> Result<(), TestCaseError> {
    let (head, query) = url
        .split_once('?')
        .ok_or_else(|| TestCaseError::fail(format!("no query in {url:?}")))?;
    prop_assert_eq!(head, expected_portal(base));
    prop_assert!(
        query
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-._~%&=".contains(&b)),
        "the query carries a character that is not percent-encoded: {}",
        query
    );
    let pairs: Vec<(String, String)> = form_urlencoded::parse(query.as_bytes()).into_owned().collect();
    let expected = vec![
        ("app_id".to_owned(), trim(app_id).to_owned()),
        ("state".to_owned(), state.to_owned()),
        ("redirect_uri".to_owned(), redirect.to_owned()),
    ];
    prop_assert_eq!(pairs, expected);
    Ok(())
}

#[test]
fn valid_authorization_inputs_are_accepted_and_decode_back_exactly() {
    let accepted = Cell::new(0);
    runner(512)
        .run(
            &(valid_app_id(), valid_http_url(true), valid_state(), auth_bases()),
            |(app_id, redirect, state, base)| {
                let url = authorization_url(&app_id, &redirect, &state, base.as_deref())
                    .map_err(|e| TestCaseError::fail(format!("refused valid input: {e}")))?;
                accepted.set(accepted.get() + 1);
                check_authorization_url(&url, &app_id, &redirect, &state, base.as_deref())
            },
        )
        .unwrap();
    report("authorization_url (valid)", accepted.get(), 0, 1);
}

#[test]
fn any_authorization_input_round_trips_or_is_invalid_input() {
    let (accepted, refused) = (Cell::new(0), Cell::new(0));
    let redirect = prop_oneof![
        3 => valid_http_url(true),
        2 => mutated_url(),
        1 => any_string(40),
        1 => valid_http_url(true).prop_map(|u| format!("{u}#frag")),
    ];
    let state = prop_oneof![2 => valid_state(), 1 => any_string(24)];
    let base =
        prop_oneof![3 => auth_bases(), 1 => mutated_url().prop_map(Some), 1 => any_string(20).prop_map(Some)];
    runner(1024)
        .run(
            &(any_app_id(), redirect, state, base),
            |(app_id, redirect, state, base)| {
                match authorization_url(&app_id, &redirect, &state, base.as_deref()) {
                    Ok(url) => {
                        accepted.set(accepted.get() + 1);
                        check_authorization_url(&url, &app_id, &redirect, &state, base.as_deref())?;
                    }
                    Err(e) => {
                        refused.set(refused.get() + 1);
                        prop_assert_eq!(e.kind(), ErrorKind::InvalidInput, "{}", e);
                        let m = e.message();
                        prop_assert!(
                            ["`appId`", "`redirectUri`", "`state`", "`authBase`"]
                                .iter()
                                .any(|a| m.starts_with(a)),
                            "the message names no argument: {}",
                            m
                        );
                    }
                }
                Ok(())
            },
        )
        .unwrap();
    report("authorization_url (any)", accepted.get(), refused.get(), 100);
}
