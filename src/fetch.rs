//! The only place that touches `fetch`, `AbortSignal` and `crypto.getRandomValues`.
//!
//! One call sends exactly one request: the auth code is single-use, so nothing here retries.
//! Everything that can run foreign JS (a `fetch` polyfill, a Proxy) goes through a `catch`
//! binding or `Reflect`: a JS exception unwinding through wasm frames corrupts the module.

use crate::accounts::{Advertiser, TokenCall};
use crate::endpoint::HttpRequest;
use crate::error::{Error, Result};
use crate::token::{TokenGrant, TokenRequest};
use js_sys::{Function, Object, Promise, Reflect};
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::AbortSignal;

#[wasm_bindgen]
extern "C" {
    // The global `fetch` (browsers, workers, Node >= 18).
    #[wasm_bindgen(catch, js_name = fetch)]
    fn global_fetch(request: &web_sys::Request) -> std::result::Result<Promise, JsValue>;

    // The global `crypto`: a missing one, or a missing or throwing method, is a caught exception.
    #[wasm_bindgen(catch, js_namespace = crypto, js_name = getRandomValues)]
    fn get_random_values(bytes: &mut [u8]) -> std::result::Result<(), JsValue>;
}

/// A request on its way: the signal that bounds it, and what to say if no answer comes.
pub(crate) struct InFlight {
    signal: AbortSignal,
    host: String,
    timeout_ms: u32,
}

impl InFlight {
    /// Why there is no answer: the timeout fired, or the request never got through.
    pub(crate) fn no_answer(&self) -> Error {
        if self.signal.aborted() {
            Error::Timeout {
                timeout_ms: self.timeout_ms,
            }
        } else {
            Error::Network {
                host: self.host.clone(),
                detail: None,
            }
        }
    }
}

/// Sends the request once; the promise resolves to the `Response`.
pub(crate) fn start(request: &HttpRequest, timeout_ms: u32) -> Result<(Promise, InFlight)> {
    // AbortSignal.timeout works in browsers, workers and Node, and also bounds the body read.
    let signal = AbortSignal::timeout_with_u32(timeout_ms);
    let in_flight = InFlight {
        signal,
        host: request.host.clone(),
        timeout_ms,
    };
    // A plain init object: one `Reflect.set` import instead of a setter per field.
    let init = Object::new();
    let headers = Object::new();
    for (name, value) in &request.headers {
        set(&headers, name, &JsValue::from_str(value));
    }
    // No cookies, no cache, and no referrer: the page's address is nobody's business.
    set(&init, "method", &request.method.as_str().into());
    set(&init, "headers", &headers);
    set(&init, "credentials", &"omit".into());
    set(&init, "cache", &"no-store".into());
    set(&init, "referrerPolicy", &"no-referrer".into());
    set(&init, "signal", &in_flight.signal);
    if let Some(body) = &request.body {
        set(&init, "body", &JsValue::from_str(body));
    }
    let prepared = web_sys::Request::new_with_str_and_init(&request.url, init.unchecked_ref())
        .map_err(|_| Error::invalid("apiBase", "is not a URL this platform can fetch"))?;
    let pending = global_fetch(&prepared).map_err(|_| in_flight.no_answer())?;
    Ok((pending, in_flight))
}

/// The status of a `Response`, and the promise of its body text.
pub(crate) fn read_response(response: &JsValue, in_flight: &InFlight) -> Result<(u16, Promise)> {
    // Through Reflect, not `instanceof`: a polyfill's answer may be anything, even a Proxy.
    let status = Reflect::get(response, &"status".into())
        .ok()
        .and_then(|s| s.as_f64())
        .filter(|s| (0.0..=999.0).contains(s))
        .ok_or_else(|| in_flight.no_answer())?;
    let text = Reflect::get(response, &"text".into())
        .ok()
        .and_then(|f| f.dyn_into::<Function>().ok())
        .and_then(|f| f.call0(response).ok())
        .and_then(|p| p.dyn_into::<Promise>().ok())
        .ok_or_else(|| in_flight.no_answer())?;
    Ok((status as u16, text))
}

fn set(target: &Object, key: &str, value: &JsValue) {
    // Setting a field of a fresh plain object cannot fail.
    let _ = Reflect::set(target, &JsValue::from_str(key), value);
}

/// Sends the request once and returns the HTTP status and body text.
async fn send(request: &HttpRequest, timeout_ms: u32) -> Result<(u16, String)> {
    use wasm_bindgen_futures::JsFuture;
    let (pending, in_flight) = start(request, timeout_ms)?;
    let response = JsFuture::from(pending).await.map_err(|_| in_flight.no_answer())?;
    let (status, text) = read_response(&response, &in_flight)?;
    let body = JsFuture::from(text)
        .await
        .ok()
        .and_then(|b| b.as_string())
        .ok_or_else(|| in_flight.no_answer())?;
    Ok((status, body))
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
    let mut bytes = [0u8; 32];
    get_random_values(&mut bytes).map_err(|_| no_csprng())?;
    // A stand-in that fills nothing would make every state the same, guessable one.
    if bytes.iter().all(|&b| b == 0) {
        return Err(no_csprng());
    }
    Ok(crate::authorize::state_from_random_bytes(&bytes))
}
