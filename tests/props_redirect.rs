//! Properties of `parse_redirect`: it returns the values a URL was built from, and on anything
//! else refuses with a known kind, never a panic.
#![cfg(not(target_arch = "wasm32"))]

mod props_common;

use props_common::*;
use proptest::prelude::*;
use proptest::test_runner::TestRunner;
use std::cell::Cell;
use tiktok_ads_auth::*;

/// A runner whose failures persist beside this file (see `props_common::runner_for`).
fn runner(default_cases: u32) -> TestRunner {
    runner_for(file!(), default_cases)
}

// ---- the redirect ----

const OAUTH_PARAMS: [&str; 8] = [
    "auth_code",
    "code",
    "state",
    "error",
    "error_description",
    "error_code",
    "error_reason",
    "error_uri",
];

fn encode(pairs: &[(String, String)]) -> String {
    let mut s = form_urlencoded::Serializer::new(String::new());
    for (k, v) in pairs {
        s.append_pair(k, v);
    }
    s.finish()
}

/// How the code comes back: where it sits and under which name.
#[derive(Debug, Clone)]
struct RedirectCase {
    code: String,
    state: String,
    extras: Vec<(String, String)>,
    /// 0: `https://…?q`, 1: `?q`, 2: bare `q`, 3: `https://…#q`, 4: `https://…?extras#q`
    shape: u8,
    /// 0: auth_code, 1: code, 2: both (equal)
    names: u8,
    base: String,
    order: prop::sample::Index,
    padding: (String, String),
}

fn redirect_case() -> impl Strategy<Value = RedirectCase> {
    let code = prop_oneof![
        4 => string_of(visible_char().prop_filter("no space", |c| *c != ' '), 1..=40),
        1 => "[0-9a-f]{40}",
        1 => (2000usize..=2048).prop_map(|n| "c".repeat(n)),
    ];
    let extra_name = any_string(10).prop_filter("not an OAuth parameter", |n| {
        let decoded: String = form_urlencoded::parse(encode(&[(n.clone(), String::new())]).as_bytes())
            .next()
            .map(|(k, _)| k.into_owned())
            .unwrap_or_default();
        !OAUTH_PARAMS.contains(&decoded.as_str()) && !n.is_empty()
    });
    (
        code,
        any_string(40),
        prop::collection::vec((extra_name, any_string(16)), 0..4),
        0u8..5,
        0u8..3,
        valid_http_url(false),
        any::<prop::sample::Index>(),
        (ascii_ws(), ascii_ws()),
    )
        .prop_map(
            |(code, state, extras, shape, names, base, order, padding)| RedirectCase {
                code,
                state,
                extras,
                shape,
                names,
                base,
                order,
                padding,
            },
        )
}

impl RedirectCase {
    fn url(&self) -> String {
        let mut oauth = Vec::new();
        if self.names != 1 {
            oauth.push(("auth_code".to_owned(), self.code.clone()));
        }
        if self.names != 0 {
            oauth.push(("code".to_owned(), self.code.clone()));
        }
        oauth.push(("state".to_owned(), self.state.clone()));
        let mut all = self.extras.clone();
        let at = self.order.index(all.len() + 1);
        for (i, p) in oauth.into_iter().enumerate() {
            all.insert(at + i, p);
        }
        let q = encode(&all);
        let inner = match self.shape {
            0 => format!("{}?{q}", self.base),
            1 => format!("?{q}"),
            2 => q,
            3 => format!("{}#{q}", self.base),
            _ => format!("{}?{}#{}", self.base, encode(&self.extras), encode(&all)),
        };
        format!("{}{inner}{}", self.padding.0, self.padding.1)
    }
}

#[test]
fn parse_redirect_returns_the_values_a_url_was_built_from() {
    let (accepted, refused) = (Cell::new(0), Cell::new(0));
    runner(1024)
        .run(&redirect_case(), |case| {
            let url = case.url();
            match parse_redirect(&url) {
                Ok(r) => {
                    accepted.set(accepted.get() + 1);
                    prop_assert_eq!(r.auth_code.secret(), case.code.as_str(), "{}", url);
                    let state = Some(case.state.clone()).filter(|s| !s.is_empty());
                    prop_assert_eq!(r.state, state, "{}", url);
                }
                Err(e) => {
                    // Only a code over 2048 bytes may be refused, and only as invalid_input.
                    refused.set(refused.get() + 1);
                    prop_assert_eq!(e.kind(), ErrorKind::InvalidInput, "{}: {}", url, e);
                    prop_assert!(case.code.len() > 2048, "refused {}: {}", url, e);
                }
            }
            // Stripping removes exactly the OAuth parameters, keeping the others byte for byte.
            if matches!(case.shape, 0 | 3 | 4) {
                let kept = encode(&case.extras);
                let mut want = case.base.clone();
                if !kept.is_empty() && case.shape != 3 {
                    want.push('?');
                    want.push_str(&kept);
                }
                if !kept.is_empty() && case.shape != 0 {
                    want.push('#');
                    want.push_str(&kept);
                }
                prop_assert_eq!(strip_redirect_params(trim(&url)), want, "{}", url);
            }
            Ok(())
        })
        .unwrap();
    report("parse_redirect (built URLs)", accepted.get(), refused.get(), 500);
}

#[test]
fn parse_redirect_never_panics_and_refuses_with_known_kinds() {
    let counts = Cell::new(0);
    let input = prop_oneof![
        2 => any_string(80),
        2 => redirect_case().prop_map(|c| c.url()),
        2 => (redirect_case(), any::<prop::sample::Index>(), any_string(4)).prop_map(|(c, at, s)| {
            let url: Vec<char> = c.url().chars().collect();
            let at = at.index(url.len() + 1);
            url[..at].iter().collect::<String>() + &s + &url[at..].iter().collect::<String>()
        }),
        1 => prop::collection::vec(prop::sample::select(vec!["auth_code=", "code=", "state=", "error=", "&", "?", "#", "=", "%", "%2", "+", "a", "%00", "%E2%80%A8"]), 0..24)
            .prop_map(|v| v.concat()),
    ];
    runner(2048)
        .run(&input, |s| {
            counts.set(counts.get() + 1);
            let _ = strip_redirect_params(&s);
            if let Err(e) = parse_redirect(&s) {
                prop_assert!(
                    matches!(
                        e.kind(),
                        ErrorKind::InvalidInput | ErrorKind::MissingAuthCode | ErrorKind::AuthorizationDenied
                    ),
                    "{:?} for {:?}",
                    e.kind(),
                    s
                );
            }
            Ok(())
        })
        .unwrap();
    report("parse_redirect (hostile)", counts.get(), 0, 1);
}
