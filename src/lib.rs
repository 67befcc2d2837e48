//! Get a [TikTok Marketing API] access token in one click, with no backend.
//!
//! The flow has four steps, one module each:
//!
//! 1. **authorize** — [`authorization_url`] sends the advertiser to TikTok's portal with a
//!    random `state` (`generate_state` in wasm, [`state_from_random_bytes`] anywhere).
//! 2. **redirect** — TikTok sends the browser back to the registered redirect URL with
//!    `auth_code` and `state`; [`parse_redirect`] reads them and [`verify_state`] checks the state.
//! 3. **exchange** — [`TokenRequest`] posts the code with the app id and secret to
//!    `oauth2/access_token/` and reads a [`TokenGrant`]: the long-term token and advertiser ids.
//!    The code lives one hour and works once, so the exchange is never retried.
//! 4. **use** — [`TokenCall`] lists the advertisers' names or revokes the token.
//!
//! What the network steps share has one module for each job: `api_base` (where the requests go),
//! `http` (a prepared request and its timeout), `envelope` (reading TikTok's
//! `{code, message, request_id, data}` answer), `ids` (exact ids out of it), `curl` (the request
//! as a shell command) and `redact` (keeping the credentials out of anything quoted from a
//! server). The credentials are types that carry their validation (`credentials`): [`AppId`],
//! and [`AppSecret`], [`AuthCode`] and [`AccessToken`], each with a `parse` that checks it the
//! way a request needs it. Under them all: `error`, `json`, `url` and `text`.
//!
//! Everything is pure Rust that never panics, runs natively and does no IO: a request is prepared
//! as an [`HttpRequest`] for the caller's transport, and its answer (status and text) is read
//! back. In WebAssembly, `platform` is the one module that declares what the wasm asks of
//! JavaScript (`crypto.getRandomValues`, `Reflect`); the JavaScript API (`authorizationUrl`,
//! `parseRedirect`, …) wraps it all, and the npm package's JavaScript sends the requests of
//! `exchangeAuthCode`, `getAdvertisers` and `revokeToken` with `fetch`. Rust code compiled to
//! wasm32 sends them with the `fetch` feature (below), on gloo-net.
//!
//! ```
//! use tiktok_ads_auth::*;
//!
//! // 1. Where to send the advertiser (state from a CSPRNG in real use).
//! let state = state_from_random_bytes(&[7; 32]);
//! let url = authorization_url("7123456789012345678", "https://me.example/tiktok/", &state, None)?;
//! assert!(url.starts_with("https://business-api.tiktok.com/portal/auth?app_id=7123456789012345678"));
//!
//! // 2. TikTok comes back to the redirect URL.
//! let back = format!("https://me.example/tiktok/?auth_code=c0de&code=c0de&state={state}");
//! let redirect = parse_redirect(&back)?;
//! assert_eq!(verify_state(Some(&state), redirect.state.as_deref())?, StateVerdict::Verified);
//!
//! // 3. The exchange request, and reading TikTok's answer.
//! let request = TokenRequest::new("7123456789012345678", &AppSecret::new("s3cret"), &redirect.auth_code, None)?;
//! assert_eq!(request.url(), "https://business-api.tiktok.com/open_api/v1.3/oauth2/access_token/");
//! let grant = request.read_answer(200, r#"{"code":0,"message":"OK","request_id":"1",
//!     "data":{"access_token":"t0ken","advertiser_ids":["7000000000000000001"],"scope":[4]}}"#)?;
//! assert_eq!(grant.advertiser_ids, ["7000000000000000001"]);
//! assert_eq!(format!("{:?}", grant.access_token), "AccessToken([redacted])");
//! # Ok::<(), tiktok_ads_auth::Error>(())
//! ```
//!
//! ## Features
//!
//! - **`fetch`** (wasm32 only): `exchange_auth_code`, `get_advertisers` and `revoke_token`,
//!   async, on [gloo-net](https://docs.rs/gloo-net). One request per call, never retried, with
//!   `redirect: error`, `credentials: omit`, `cache: no-store` and no referrer; `timeout_ms`
//!   aborts it as `ErrorKind::Timeout`, no HTTP answer (offline, refused, CORS) is
//!   `ErrorKind::Network`, and an answer over 1 MiB is refused before it is read whole
//!   (`ErrorKind::InvalidResponse`). The npm package's wasm does not contain it.
//!
//!   ```ignore
//!   // Cargo.toml: tiktok-ads-auth = { version = "0.2", features = ["fetch"] }
//!   use tiktok_ads_auth::{exchange_auth_code, get_advertisers, parse_redirect, AccessToken, AppSecret, TokenCall, TokenRequest};
//!
//!   let secret = AppSecret::new("s3cret");
//!   let redirect = parse_redirect(&current_url)?;
//!   let request = TokenRequest::new("7123456789012345678", &secret, &redirect.auth_code, None)?;
//!   let grant = exchange_auth_code(&request, 30_000).await?;
//!   let call = TokenCall::new(&grant.access_token, "7123456789012345678", &secret, None)?;
//!   for advertiser in get_advertisers(&call, 30_000).await? {
//!       println!("{} {}", advertiser.advertiser_id, advertiser.advertiser_name);
//!   }
//!   ```
//!
//! - **`serde`**: `Serialize` and `Deserialize` for [`TokenGrant`], [`Advertiser`] and
//!   [`Redirect`] in the JS API's shape: camelCase names, ids as exact decimal strings,
//!   `codeParam` as `"auth_code"` or `"code"`. The access token and the auth code serialize as
//!   their value (what the JS API hands out too), so keep the output like the token it holds;
//!   `Debug` stays redacted. Deserializing checks them as [`AccessToken::parse`] and
//!   [`AuthCode::parse`] do. With serde-wasm-bindgen, `Serializer::json_compatible()` gives
//!   `null` where the JS API does (no `requestId`, no `state`); `to_value` leaves those
//!   `undefined`.
//!
//! ```
//! # #[cfg(feature = "serde")] {
//! let grant = tiktok_ads_auth::parse_token_response(r#"{"code":0,"message":"OK","request_id":"1",
//!     "data":{"access_token":"t0ken","advertiser_ids":[7000000000000000001],"scope":[4]}}"#)?;
//! let json = serde_json::to_string(&grant).unwrap();
//! assert!(json.starts_with(r#"{"accessToken":"t0ken","advertiserIds":["7000000000000000001"],"scope":["4"],"requestId":"1""#));
//! let back: tiktok_ads_auth::TokenGrant = serde_json::from_str(&json).unwrap();
//! assert_eq!(back.advertiser_ids, grant.advertiser_ids);
//! # }
//! # Ok::<(), tiktok_ads_auth::Error>(())
//! ```
//!
//! [TikTok Marketing API]: https://business-api.tiktok.com/portal/docs

#![deny(missing_docs)]
// A panic in wasm kills the module: library code has no unwrap, expect or panic.
#![warn(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
#![cfg_attr(test, allow(clippy::unwrap_used, clippy::expect_used, clippy::panic))]

mod accounts;
mod api_base;
mod authorize;
mod credentials;
mod curl;
mod envelope;
mod error;
mod http;
mod ids;
mod json;
mod lifetime;
mod redact;
mod redirect;
mod text;
mod token;
mod url;

/// The allocator of the npm package's wasm (feature `small-alloc`), public so that tests can
/// drive it directly.
#[cfg(target_arch = "wasm32")]
#[doc(hidden)]
pub mod alloc;
#[cfg(all(target_arch = "wasm32", feature = "fetch"))]
mod calls;
#[cfg(target_arch = "wasm32")]
mod platform;

// Only in the package's own build: a library must not impose its allocator on Rust users.
#[cfg(all(target_arch = "wasm32", feature = "small-alloc"))]
#[global_allocator]
static ALLOCATOR: alloc::SizeClassAlloc = alloc::SizeClassAlloc::new();
/// The wasm-bindgen surface exported to JavaScript (`authorizationUrl`, `exchangeAuthCode`, …).
#[cfg(target_arch = "wasm32")]
pub mod js;

pub use accounts::{Advertiser, TokenCall, ADVERTISER_GET_PATH, REVOKE_TOKEN_PATH};
pub use api_base::{ApiBase, PRODUCTION_API_BASE, SANDBOX_API_BASE};
pub use authorize::{
    authorization_url, state_from_random_bytes, validate_state, verify_state, StateVerdict,
    PRODUCTION_AUTH_BASE,
};
pub use credentials::{
    constant_time_eq, validate_app_id, validate_auth_code, AccessToken, AppId, AppSecret, AuthCode,
};
pub use envelope::MAX_ANSWER_BYTES;
pub use error::{hint_for_code, Error, ErrorKind, Result};
pub use http::{validate_timeout_ms, HttpRequest, Method, DEFAULT_TIMEOUT_MS, MAX_TIMEOUT_MS};
pub use lifetime::AUTH_CODE_LIFETIME_SECS;
pub use redirect::{parse_redirect, strip_redirect_params, CodeParam, Redirect, REDIRECT_PARAMS};
pub use token::{parse_token_response, TokenGrant, TokenRequest, ACCESS_TOKEN_PATH};

#[cfg(all(target_arch = "wasm32", feature = "fetch"))]
pub use calls::{exchange_auth_code, get_advertisers, revoke_token};
#[cfg(target_arch = "wasm32")]
pub use platform::generate_state;
