//! The crate is the one source of the TikTok facts the page and the bin also need: the API bases,
//! the portal base and the code's lifetime (docs/tiktok.md, "Authorization URL", "auth_code",
//! "Sandbox"). JavaScript reads them from npm/facts.js, generated from the constants
//! (tests/js_facts.rs); the page's first scripts get them written in by its build. What is left
//! here: www/config.js, the one file a host edits, which names the bases itself, and the texts that say the facts in words (TypeScript
//! docs, READMEs, error messages). This test fails when one drifts from the crate's constants.
#![cfg(not(target_arch = "wasm32"))]

use tiktok_ads_auth::{AUTH_CODE_LIFETIME_SECS, PRODUCTION_API_BASE, PRODUCTION_AUTH_BASE, SANDBOX_API_BASE};

const CONFIG_JS: Source = ("www/config.js", include_str!("../www/config.js"));
const INDEX_HTML: Source = ("www/index.html", include_str!("../www/index.html"));
const JS_RS: Source = ("src/js.rs", include_str!("../src/js.rs"));
const ERROR_RS: Source = ("src/error.rs", include_str!("../src/error.rs"));
const README_MD: Source = ("README.md", include_str!("../README.md"));
const NPM_README_MD: Source = ("npm/README.md", include_str!("../npm/README.md"));
const TIKTOK_MD: Source = ("docs/tiktok.md", include_str!("../docs/tiktok.md"));

/// `scheme://host` of a base such as `https://host/open_api/v1.3`.
fn origin(base: &str) -> &str {
    let after_scheme = base.find("://").map_or(0, |i| i + 3);
    base[after_scheme..]
        .find('/')
        .map_or(base, |i| &base[..after_scheme + i])
}

/// A file that repeats a fact: its path and its text.
type Source = (&'static str, &'static str);

#[track_caller]
fn holds((file, text): Source, needle: &str) {
    assert!(
        text.contains(needle),
        "{file} no longer says {needle:?}: keep it equal to the crate's"
    );
}

#[test]
fn the_origins_are_read_right() {
    assert_eq!(origin("https://a.example/open_api/v1.3"), "https://a.example");
    assert_eq!(origin("http://127.0.0.1:8081"), "http://127.0.0.1:8081");
}

#[test]
fn the_page_calls_the_crates_api_bases() {
    // config.js: the environments a deployment starts from.
    holds(CONFIG_JS, &format!("production: '{PRODUCTION_API_BASE}'"));
    holds(CONFIG_JS, &format!("sandbox: '{SANDBOX_API_BASE}'"));
}

#[test]
fn the_portal_and_the_typescript_docs_name_the_crates_defaults() {
    // The portal is the production API's origin: config.js's "null means TikTok's own" says it.
    assert_eq!(origin(PRODUCTION_API_BASE), PRODUCTION_AUTH_BASE);
    holds(
        CONFIG_JS,
        &format!("null means TikTok's own ({PRODUCTION_AUTH_BASE})"),
    );
    holds(JS_RS, &format!("Portal base, default `{PRODUCTION_AUTH_BASE}`"));
    holds(JS_RS, &format!("Default `{PRODUCTION_API_BASE}`"));
    holds(
        NPM_README_MD,
        &format!("`apiBase` defaults to production, `{PRODUCTION_API_BASE}`"),
    );
    holds(NPM_README_MD, &format!("`{SANDBOX_API_BASE}`"));
}

#[test]
fn the_texts_say_the_crates_lifetime_in_words() {
    let words = match AUTH_CODE_LIFETIME_SECS {
        3600 => "one hour",
        other => panic!("say {other} s in words here, then in every text below"),
    };
    holds(INDEX_HTML, &format!("valid for {words}"));
    holds(ERROR_RS, &format!("stays valid for {words}"));
    holds(ERROR_RS, &format!("it lives {words}"));
    holds(README_MD, &format!("The code lives {words}"));
    holds(NPM_README_MD, &format!("The code lives {words}"));
    holds(TIKTOK_MD, &format!("valid for **{words}**"));
}
