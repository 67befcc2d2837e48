//! Properties of reading TikTok's answers: never a panic, failures with answer kinds, successful
//! answers back exactly, ids never rounded.
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

// ---- TikTok's answers ----

fn arb_json() -> impl Strategy<Value = serde_json::Value> {
    use serde_json::Value;
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        any::<f64>()
            .prop_filter("finite", |f| f.is_finite())
            .prop_map(Value::from),
        any_string(12).prop_map(Value::String),
        prop::sample::select(vec![
            "code",
            "data",
            "access_token",
            "advertiser_ids",
            "list",
            "0"
        ])
        .prop_map(|s| Value::String(s.to_owned())),
    ];
    leaf.prop_recursive(4, 48, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(serde_json::Value::Array),
            prop::collection::vec(
                (
                    prop_oneof![
                        3 => prop::sample::select(vec!["code", "message", "request_id", "data", "access_token", "advertiser_ids", "scope", "list", "advertiser_id", "advertiser_name"]).prop_map(str::to_owned),
                        1 => any_string(6),
                    ],
                    inner
                ),
                0..6
            )
            .prop_map(|m| serde_json::Value::Object(m.into_iter().collect())),
        ]
    })
}

/// Envelopes that are nearly right: mostly the real shape, with any value anywhere.
fn envelope_like() -> impl Strategy<Value = String> {
    let id = prop_oneof![
        any_string(8).prop_map(serde_json::Value::from),
        any::<u64>().prop_map(serde_json::Value::from),
        any::<i64>().prop_map(serde_json::Value::from),
        arb_json(),
    ];
    (
        prop_oneof![3 => Just(serde_json::json!(0)), 1 => arb_json()],
        prop_oneof![any_string(10).prop_map(serde_json::Value::from), arb_json()],
        prop::collection::vec(id.clone(), 0..4),
        prop::collection::vec(
            (
                id,
                prop_oneof![any_string(8).prop_map(serde_json::Value::from), arb_json()],
            ),
            0..3,
        ),
        arb_json(),
    )
        .prop_map(|(code, token, ids, list, extra)| {
            let list: Vec<_> = list
                .into_iter()
                .map(|(i, n)| serde_json::json!({"advertiser_id": i, "advertiser_name": n}))
                .collect();
            serde_json::json!({
                "code": code, "message": "m", "request_id": extra,
                "data": {"access_token": token, "advertiser_ids": ids, "scope": [4, 5], "list": list},
            })
            .to_string()
        })
}

#[test]
fn answer_readers_never_panic_and_fail_with_answer_kinds() {
    let request = TokenRequest::new("1", &AppSecret::new("s"), &AuthCode::new("c"), None).unwrap();
    let call = TokenCall::new(&AccessToken::new("t"), "1", &AppSecret::new("s"), None).unwrap();
    let counts = (Cell::new(0), Cell::new(0));
    let body = prop_oneof![
        3 => envelope_like(),
        2 => arb_json().prop_map(|v| v.to_string()),
        1 => any_string(60),
        1 => envelope_like().prop_flat_map(|s| {
            let n = s.len();
            (Just(s), 0..=n).prop_map(|(s, cut)| s.get(..cut).unwrap_or("").to_owned())
        }),
    ];
    let status = prop_oneof![4 => Just(200u16), 1 => any::<u16>(), 1 => prop::sample::select(vec![0u16, 199, 204, 299, 300, 404, 500, 599])];
    runner(2048)
        .run(&(body, status), |(body, status)| {
            let outcomes = [
                parse_token_response(&body).map(|_| ()),
                request.read_answer(status, &body).map(|_| ()),
                call.read_advertisers(status, &body).map(|_| ()),
                call.read_revoke(status, &body).map(|_| ()),
            ];
            for outcome in outcomes {
                match outcome {
                    Ok(()) => counts.0.set(counts.0.get() + 1),
                    Err(e) => {
                        counts.1.set(counts.1.get() + 1);
                        prop_assert!(
                            matches!(
                                e.kind(),
                                ErrorKind::ApiError | ErrorKind::InvalidResponse | ErrorKind::HttpStatus
                            ),
                            "{:?}: {}",
                            e.kind(),
                            e
                        );
                        prop_assert_eq!(e.status().is_some(), e.kind() == ErrorKind::HttpStatus);
                        prop_assert_eq!(e.code().is_some(), e.kind() == ErrorKind::ApiError);
                    }
                }
            }
            Ok(())
        })
        .unwrap();
    report("answer readers (hostile)", counts.0.get(), counts.1.get(), 100);
}

/// An id as TikTok may send it, and the exact string it must come out as.
fn id_in_and_out() -> impl Strategy<Value = (serde_json::Value, String)> {
    prop_oneof![
        "[0-9]{1,19}".prop_map(|s| (serde_json::Value::from(s.clone()), s)),
        (ascii_ws(), string_of(visible_char(), 1..=20), ascii_ws())
            .prop_filter("not blank", |(_, s, _)| !trim(s).is_empty())
            .prop_map(|(a, s, b)| {
                let raw = format!("{a}{s}{b}");
                (serde_json::Value::from(raw.clone()), trim(&raw).to_owned())
            }),
        any::<u64>().prop_map(|n| (serde_json::Value::from(n), n.to_string())),
        (7_000_000_000_000_000_000u64..=u64::MAX).prop_map(|n| (serde_json::Value::from(n), n.to_string())),
    ]
}

#[test]
fn successful_answers_come_back_exactly_and_ids_are_never_rounded() {
    let request = TokenRequest::new(
        "1",
        &AppSecret::new("SECRET-VALUE"),
        &AuthCode::new("CODE-VALUE"),
        None,
    )
    .unwrap();
    let call = TokenCall::new(
        &AccessToken::new("TOKEN-VALUE"),
        "1",
        &AppSecret::new("SECRET-VALUE"),
        None,
    )
    .unwrap();
    let accepted = Cell::new(0);
    let token = string_of(visible_char(), 1..=64);
    let names = any_string(16);
    runner(512)
        .run(
            &(
                token,
                prop::collection::vec((id_in_and_out(), names), 0..6),
                prop::collection::vec(
                    prop_oneof![
                        any::<u64>().prop_map(|n| (serde_json::Value::from(n), n.to_string())),
                        "[1-9][0-9]{15,25}".prop_map(|s| (serde_json::Value::from(s.clone()), s)),
                        // 19-digit ids as TikTok sends them: bare JSON numbers (spliced in
                        // below, since serde_json's Value would round those beyond u64).
                        "[1-9][0-9]{15,25}"
                            .prop_map(|s| (serde_json::Value::from(format!("#BARE#{s}#END#")), s)),
                    ],
                    0..5,
                ),
                "[0-9A-Za-z]{1,40}",
            ),
            |(token, ids, scope, request_id)| {
                let (raw_ids, want_ids): (Vec<_>, Vec<_>) = ids
                    .iter()
                    .map(|((raw, want), _)| (raw.clone(), want.clone()))
                    .unzip();
                let (raw_scope, want_scope): (Vec<_>, Vec<_>) = scope.into_iter().unzip();
                let body = serde_json::json!({
                    "code": 0, "message": "OK", "request_id": request_id,
                    "data": {"access_token": token, "advertiser_ids": raw_ids, "scope": raw_scope},
                })
                .to_string()
                .replace("\"#BARE#", "")
                .replace("#END#\"", "");
                for grant in [parse_token_response(&body), request.read_answer(200, &body)] {
                    let grant = grant.map_err(|e| TestCaseError::fail(format!("{e}: {body}")))?;
                    prop_assert_eq!(grant.access_token.secret(), token.as_str());
                    prop_assert_eq!(&grant.advertiser_ids, &want_ids);
                    prop_assert_eq!(&grant.scope, &want_scope);
                    prop_assert_eq!(grant.request_id.as_deref(), Some(request_id.as_str()));
                    // Only what TikTok would not send is flagged: a token not of its shape (40
                    // lowercase hex), an advertiser id that is not all digits; both are kept.
                    let odd_token = !(token.len() == 40
                        && token
                            .bytes()
                            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)));
                    let odd_ids = want_ids
                        .iter()
                        .filter(|id| !id.bytes().all(|b| b.is_ascii_digit()))
                        .count();
                    prop_assert_eq!(
                        grant.warnings.len(),
                        usize::from(odd_token) + odd_ids,
                        "{:?}",
                        grant.warnings
                    );
                    for w in &grant.warnings {
                        prop_assert!(token.len() < 8 || !w.contains(token.as_str()), "{}", w);
                    }
                }
                let revoke = serde_json::json!({"code": 0, "data": {"advertiser_ids": raw_ids}}).to_string();
                prop_assert_eq!(
                    call.read_revoke(200, &revoke)
                        .map_err(|e| TestCaseError::fail(e.to_string()))?,
                    want_ids.clone()
                );
                let list: Vec<_> = ids
                    .iter()
                    .map(
                        |((raw, _), name)| serde_json::json!({"advertiser_id": raw, "advertiser_name": name}),
                    )
                    .collect();
                let advertisers = serde_json::json!({"code": 0, "data": {"list": list}}).to_string();
                let got = call
                    .read_advertisers(200, &advertisers)
                    .map_err(|e| TestCaseError::fail(e.to_string()))?;
                let want: Vec<Advertiser> = ids
                    .iter()
                    .map(|((_, id), name)| Advertiser {
                        advertiser_id: id.clone(),
                        advertiser_name: name.clone(),
                    })
                    .collect();
                prop_assert_eq!(got, want);
                accepted.set(accepted.get() + 1);
                Ok(())
            },
        )
        .unwrap();
    report("answers read back exactly", accepted.get(), 0, 1);
}

/// Since TikTok spends the single-use code when it answers, an id that cannot be exact never
/// costs the token: it is left out with a warning naming it, and never rounded.
#[test]
fn ids_that_are_not_exact_integers_are_left_out_not_rounded() {
    let count = Cell::new(0);
    let raw = prop_oneof![
        any::<i64>()
            .prop_filter("negative", |n| *n < 0)
            .prop_map(|n| n.to_string()),
        "-[1-9][0-9]{15,30}",
        "[1-9][0-9]{0,18}\\.[0-9]{1,3}",
        "[1-9](\\.[0-9]{1,5})?[eE][+-]?[0-9]{1,3}",
        "[1-9][0-9]{15,30}",
        "0|[1-9][0-9]{0,14}",
        "[1-9][0-9]{15,18}\\.0",
        prop::sample::select(vec![
            "\"\"",
            "\" \\t\"",
            "true",
            "null",
            "{}",
            "[]",
            "1.0",
            "7e3",
            "1e400",
            "9007199254740993.0"
        ])
        .prop_map(str::to_owned),
    ];
    runner(512)
        .run(&raw, |raw| {
            count.set(count.get() + 1);
            let exact = raw.bytes().all(|b| b.is_ascii_digit());
            for field in ["advertiser_ids", "scope"] {
                let body = format!(r#"{{"code":0,"data":{{"access_token":"ec3e0a1b2c3d4e5f60718293a4b5c6d7e8f90a1b","advertiser_ids":["1"],"scope":["1"],"{field}":["1",{raw}]}}}}"#);
                let g = parse_token_response(&body).map_err(|e| TestCaseError::fail(format!("{e}: {body}")))?;
                let got = if field == "scope" { &g.scope } else { &g.advertiser_ids };
                if exact {
                    prop_assert_eq!(got, &vec!["1".to_owned(), raw.clone()]);
                    prop_assert!(g.warnings.is_empty(), "{:?}", g.warnings);
                } else {
                    prop_assert_eq!(got, &vec!["1".to_owned()], "{}", raw);
                    prop_assert_eq!(g.warnings.len(), 1, "{:?}", g.warnings);
                    let name = format!("`data.{field}[1]`");
                    prop_assert!(g.warnings[0].contains(&name), "{:?}", g.warnings);
                }
            }
            Ok(())
        })
        .unwrap();
    report("inexact ids left out with a warning", count.get(), 0, 1);
}
