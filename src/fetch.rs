//! The only place that touches `fetch`, `AbortSignal`, timers and `crypto.getRandomValues`.
//!
//! One call sends exactly one request: the auth code is single-use, so nothing here retries.
//! Everything that can run foreign JS (a `fetch` polyfill, a Proxy, a polluted prototype) goes
//! through a `catch` binding or `Reflect`: a JS exception unwinding through wasm frames leaks
//! the wasm's shadow stack, and a few thousand of them leave the module unusable.

use crate::accounts::{Advertiser, TokenCall};
use crate::error::{Error, Result};
use crate::http::HttpRequest;
use crate::token::{TokenGrant, TokenRequest};
use js_sys::{Function, Object, Promise, Reflect};
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::{JsCast, JsValue};

#[wasm_bindgen]
extern "C" {
    // The global `fetch` (browsers, workers, Node >= 18).
    #[wasm_bindgen(catch, js_name = fetch)]
    fn global_fetch(request: &web_sys::Request, init: &JsValue) -> std::result::Result<JsValue, JsValue>;

    // The global `crypto`: a missing one, or a missing or throwing method, is a caught exception.
    #[wasm_bindgen(catch, js_namespace = crypto, js_name = getRandomValues)]
    fn get_random_values(bytes: &mut [u8]) -> std::result::Result<(), JsValue>;

    // Safari before 16 and Chrome before 103 have no `AbortSignal.timeout` (a caught TypeError).
    #[wasm_bindgen(catch, js_namespace = AbortSignal, js_name = timeout)]
    fn abort_signal_timeout(ms: u32) -> std::result::Result<JsValue, JsValue>;
    type AbortController;
    #[wasm_bindgen(catch, constructor)]
    fn new() -> std::result::Result<AbortController, JsValue>;
    // `setTimeout(Reflect.apply, ms, abort, controller, [])`: the timer calls
    // `controller.abort()` with no closure and no `bind` (which a host page may have broken).
    #[wasm_bindgen(catch, js_name = setTimeout)]
    fn set_timeout(
        handler: &JsValue,
        ms: u32,
        target: &JsValue,
        this: &JsValue,
        args: &JsValue,
    ) -> std::result::Result<JsValue, JsValue>;
    #[wasm_bindgen(catch, js_name = clearTimeout)]
    fn clear_timeout(id: &JsValue) -> std::result::Result<(), JsValue>;
    #[wasm_bindgen(thread_local_v2, js_namespace = Reflect, js_name = apply)]
    static REFLECT_APPLY: JsValue;
}

/// A request on its way: the signal that bounds it, and what to say if no answer comes.
pub(crate) struct InFlight {
    signal: JsValue,
    /// The fallback timer (no `AbortSignal.timeout`): cleared when the call ends, so that it
    /// neither keeps Node running nor holds the call's objects until it fires.
    timer: Option<JsValue>,
    host: String,
    timeout_ms: u32,
}

impl Drop for InFlight {
    fn drop(&mut self) {
        if let Some(timer) = &self.timer {
            let _ = clear_timeout(timer);
        }
    }
}

impl InFlight {
    /// The answer when the platform broke the chain of callbacks (a hostile `then` or `bind`).
    pub(crate) fn broken_chain(&self) -> Error {
        Error::Network {
            host: self.host.clone(),
            detail: Some(
                "the answer could not be handed over: this page's fetch, then or bind misbehaved".to_owned(),
            ),
        }
    }

    /// Why there is no answer: the timeout fired, or the request never got through.
    pub(crate) fn no_answer(&self) -> Error {
        // Through Reflect: a host page may have replaced the `aborted` getter.
        let aborted = Reflect::get(&self.signal, &"aborted".into()).is_ok_and(|a| a.is_truthy());
        if aborted {
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

/// An `AbortSignal` that fires after `ms`, and the timer to clear when the call ends (only for
/// platforms without `AbortSignal.timeout`, where an `AbortController` and `setTimeout` stand in).
fn time_limit(ms: u32) -> Result<(JsValue, Option<JsValue>)> {
    // AbortSignal.timeout works in browsers, workers and Node, and also bounds the body read.
    if let Ok(signal) = abort_signal_timeout(ms) {
        return Ok((signal, None));
    }
    let unbounded = || {
        Error::invalid(
            "timeoutMs",
            "cannot be enforced: this platform has no AbortController",
        )
    };
    let controller = AbortController::new().map_err(|_| unbounded())?;
    let member = |name: &str| Reflect::get(&controller, &name.into()).map_err(|_| unbounded());
    let (signal, abort) = (member("signal")?, member("abort")?);
    let timer = REFLECT_APPLY
        .with(|apply| set_timeout(apply, ms, &abort, &controller, &js_sys::Array::new()))
        .map_err(|_| unbounded())?;
    Ok((signal, Some(timer)))
}

/// Sends the request once; the returned thenable (a Promise, or what a `fetch` wrapper gives)
/// resolves to the `Response`.
pub(crate) fn start(request: &HttpRequest, timeout_ms: u32) -> Result<(JsValue, InFlight)> {
    let (signal, timer) = time_limit(timeout_ms)?;
    let in_flight = InFlight {
        signal,
        timer,
        host: request.host.clone(),
        timeout_ms,
    };
    // Plain init objects (one `Reflect.set` import instead of a setter per field) without a
    // prototype: nothing a host page adds to `Object.prototype` (`mode`, `integrity`, a header
    // list…) is read by `fetch` as part of the request.
    let init = crate::js::bare_object();
    let headers = crate::js::bare_object();
    for (name, value) in &request.headers {
        set(&headers, name, &JsValue::from_str(value));
    }
    // No cookies, no cache, and no referrer: the page's address is nobody's business. No
    // redirects either: a 307/308 would re-send the secret and the code to its `Location`, and
    // the answer from there would be taken for TikTok's (the call fails as `network`).
    set(&init, "redirect", &"error".into());
    set(&init, "method", &request.method.as_str().into());
    set(&init, "headers", &headers);
    set(&init, "credentials", &"omit".into());
    set(&init, "cache", &"no-store".into());
    set(&init, "referrerPolicy", &"no-referrer".into());
    set(&init, "signal", &in_flight.signal);
    set(
        &init,
        "body",
        &request.body.as_deref().map_or(JsValue::NULL, JsValue::from_str),
    );
    // Node's `Request` (undici) copies the init into a plain object and reads every field it
    // lacks from there, so from a polluted `Object.prototype` (`integrity` failing the call,
    // `referrer` sent as a `Referer`, `keepalive`, `mode`): each field is given, with the
    // defaults (`referrer: ""` meaning none). `fetch` gets the same init: without one it builds
    // an empty init of its own and reads them all again. (A polluted `dispatcher`, undici's own,
    // can only break the call: an `undefined` field is read from the prototype all the same.)
    set(&init, "mode", &"cors".into());
    set(&init, "integrity", &"".into());
    set(&init, "keepalive", &JsValue::FALSE);
    set(&init, "referrer", &"".into());
    set(&init, "priority", &"auto".into());
    set(&init, "duplex", &"half".into());
    set(&init, "window", &JsValue::NULL);
    let prepared = web_sys::Request::new_with_str_and_init(&request.url, init.unchecked_ref())
        .map_err(|_| Error::invalid("apiBase", "is not a URL this platform can fetch"))?;
    let pending = global_fetch(&prepared, &init).map_err(|_| in_flight.no_answer())?;
    Ok((pending, in_flight))
}

/// The status of a `Response`, and the promise of its body text.
pub(crate) fn read_response(response: &JsValue, in_flight: &InFlight) -> Result<(u16, JsValue)> {
    // Through Reflect, not `instanceof`: a polyfill's answer may be anything, even a Proxy.
    let status = Reflect::get(response, &"status".into())
        .ok()
        .and_then(|s| s.as_f64())
        .filter(|s| (0.0..=999.0).contains(s))
        .ok_or_else(|| in_flight.no_answer())?;
    // Any thenable will do: it is only ever used through a `catch` binding of `then`.
    let text = Reflect::get(response, &"text".into())
        .ok()
        .and_then(|f| f.dyn_into::<Function>().ok())
        .and_then(|f| Reflect::apply(&f, response, &js_sys::Array::new()).ok())
        .filter(JsValue::is_object)
        .ok_or_else(|| in_flight.no_answer())?;
    Ok((status as u16, text))
}

fn set(target: &Object, key: &str, value: &JsValue) {
    // Setting a field of a fresh object without a prototype cannot fail or run any code.
    let _ = Reflect::set(target, &JsValue::from_str(key), value);
}

/// Sends the request once and returns the HTTP status and body text.
async fn send(request: &HttpRequest, timeout_ms: u32) -> Result<(u16, String)> {
    use wasm_bindgen_futures::JsFuture;
    let (pending, in_flight) = start(request, timeout_ms)?;
    let response = JsFuture::from(Promise::resolve(&pending))
        .await
        .map_err(|_| in_flight.no_answer())?;
    let (status, text) = read_response(&response, &in_flight)?;
    let body = JsFuture::from(Promise::resolve(&text))
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
