//! The only place that touches `fetch`, `AbortSignal` and `crypto.getRandomValues`.
//!
//! One call sends exactly one request: the auth code is single-use, so nothing here retries.

use crate::accounts::{Advertiser, TokenCall};
use crate::error::{Error, Result};
use crate::token::{HttpRequest, Method, TokenGrant, TokenRequest};
use gloo_net::http::{Request, Response};
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

#[wasm_bindgen]
extern "C" {
    // The global `fetch` (browsers, workers, Node >= 18), through a `catch` binding: a missing or
    // throwing `fetch` becomes an error value instead of an exception unwinding through wasm.
    #[wasm_bindgen(catch, js_name = fetch)]
    fn global_fetch(request: &web_sys::Request) -> Result<js_sys::Promise, JsValue>;
}
use web_sys::{AbortSignal, ReferrerPolicy, RequestCache, RequestCredentials};

/// Sends the request once and returns the HTTP status and body text.
pub(crate) async fn send(request: &HttpRequest, timeout_ms: u32) -> Result<(u16, String)> {
    // AbortSignal.timeout works in browsers, workers and Node, and also bounds the body read.
    let signal = AbortSignal::timeout_with_u32(timeout_ms);
    let mut builder = match request.method {
        Method::Get => Request::get(&request.url),
        Method::Post => Request::post(&request.url),
    }
    // No cookies, no cache, and no referrer: the page's address is nobody's business.
    .credentials(RequestCredentials::Omit)
    .cache(RequestCache::NoStore)
    .referrer_policy(ReferrerPolicy::NoReferrer)
    .abort_signal(Some(&signal));
    for (name, value) in &request.headers {
        builder = builder.header(name, value);
    }
    let prepared = match &request.body {
        Some(body) => builder.body(JsValue::from_str(body)),
        None => builder.build(),
    }
    .map_err(|_| Error::invalid("apiBase", "is not a URL this platform can fetch"))?;
    let pending = global_fetch(&web_sys::Request::from(prepared))
        .map_err(|_| no_answer(&signal, request, timeout_ms))?;
    let response: Response = JsFuture::from(pending)
        .await
        .ok()
        .and_then(|r| r.dyn_into::<web_sys::Response>().ok())
        .ok_or_else(|| no_answer(&signal, request, timeout_ms))?
        .into();
    let status = response.status();
    let body = response
        .text()
        .await
        .map_err(|_| no_answer(&signal, request, timeout_ms))?;
    Ok((status, body))
}

fn no_answer(signal: &AbortSignal, request: &HttpRequest, timeout_ms: u32) -> Error {
    if signal.aborted() {
        Error::Timeout { timeout_ms }
    } else {
        Error::Network {
            host: request.host.clone(),
            detail: None,
        }
    }
}

/// Exchanges the auth code for a token: one `POST oauth2/access_token/`, never retried.
pub async fn exchange_auth_code(request: &TokenRequest, timeout_ms: u32) -> Result<TokenGrant> {
    let (status, body) = send(&request.http_request(), timeout_ms).await?;
    request.read_answer(status, &body)
}

/// Lists the advertisers the token can act for, with their names.
pub async fn get_advertisers(call: &TokenCall, timeout_ms: u32) -> Result<Vec<Advertiser>> {
    let (status, body) = send(&call.advertisers_request(), timeout_ms).await?;
    call.read_advertisers(status, &body)
}

/// Revokes the token; returns the advertiser ids it was valid for.
pub async fn revoke_token(call: &TokenCall, timeout_ms: u32) -> Result<Vec<String>> {
    let (status, body) = send(&call.revoke_request(), timeout_ms).await?;
    call.read_revoke(status, &body)
}

/// A fresh `state` of 256 bits from the platform CSPRNG (`crypto.getRandomValues`), base64url.
pub fn generate_state() -> Result<String> {
    let no_csprng = || {
        Error::invalid(
            "state",
            "could not be generated: this platform has no crypto.getRandomValues (pass a state of your own)",
        )
    };
    let crypto =
        js_sys::Reflect::get(&js_sys::global(), &JsValue::from_str("crypto")).map_err(|_| no_csprng())?;
    let fill = js_sys::Reflect::get(&crypto, &JsValue::from_str("getRandomValues"))
        .ok()
        .and_then(|f| f.dyn_into::<js_sys::Function>().ok())
        .ok_or_else(no_csprng)?;
    let bytes = js_sys::Uint8Array::new_with_length(32);
    fill.call1(&crypto, &bytes).map_err(|_| no_csprng())?;
    Ok(crate::authorize::state_from_random_bytes(&bytes.to_vec()))
}
