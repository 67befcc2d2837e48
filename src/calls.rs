//! The network calls of the Rust API in WebAssembly (feature `fetch`), on
//! [gloo-net](https://docs.rs/gloo-net): one `fetch` per call, never retried, bounded by its
//! timeout, its answer read with a 1 MiB cap, then read by the same pure functions as every
//! other caller's answer ([`TokenRequest::read_answer`], [`TokenCall::read_advertisers`],
//! [`TokenCall::read_revoke`]).
//!
//! gloo-net builds the request and reads the response; the request is sent by calling the
//! global `fetch` through js-sys (a caught call), and its answer is made a real Promise before
//! it is awaited. gloo-net's `send` panics (and a panic kills the wasm) when a `fetch`
//! rejects with something that is not an `Error` or resolves with something that is not a
//! `Response`, and `JsFuture` panics when a thenable calls back twice: a page's own `fetch`
//! wrapper may do all three. Here they are `network`, or the first answer.

use crate::accounts::{Advertiser, TokenCall};
use crate::envelope::{answer_too_large, MAX_ANSWER_BYTES};
use crate::error::{Error, Result};
use crate::http::{HttpRequest, Method};
use crate::token::{TokenGrant, TokenRequest};
use gloo_net::http::{Request, RequestBuilder, Response};
use js_sys::{Function, Promise, Reflect, Uint8Array};
use std::future::Future;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{
    AbortController, ReadableStreamDefaultReader, ReferrerPolicy, RequestCache, RequestCredentials,
    RequestRedirect,
};

/// The global function `name` (`fetch`, `setTimeout`, `clearTimeout`: browsers, workers,
/// Node >= 18), read when called: a missing one, or one that throws, is an `Err`.
fn global_function(name: &str) -> std::result::Result<Function, JsValue> {
    Reflect::get(&js_sys::global(), &name.into())?.dyn_into::<Function>()
}

/// A call's time limit: an `AbortController` that a timer aborts after `timeout_ms`, which ends
/// the `fetch` or the body read under way. Dropped when the call ends (or its future is
/// dropped): the timer is cleared, and whatever is still under way is aborted.
struct Deadline {
    controller: AbortController,
    timer: JsValue,
    /// Called by the timer; only dropped after the timer is cleared.
    _abort: Closure<dyn FnMut()>,
    host: String,
    timeout_ms: u32,
}

impl Deadline {
    fn start(timeout_ms: u32, host: &str) -> Result<Self> {
        let unbounded = || {
            Error::invalid(
                "timeoutMs",
                "cannot be enforced: this platform has no AbortController",
            )
        };
        let controller = AbortController::new().map_err(|_| unbounded())?;
        let aborted = controller.clone();
        let abort = Closure::<dyn FnMut()>::new(move || aborted.abort());
        let timer = global_function("setTimeout")
            .and_then(|f| f.call2(&JsValue::UNDEFINED, abort.as_ref(), &timeout_ms.into()))
            .map_err(|_| unbounded())?;
        Ok(Deadline {
            controller,
            timer,
            _abort: abort,
            host: host.to_owned(),
            timeout_ms,
        })
    }

    /// Why there is no answer: the timeout fired, or the request never got through.
    fn no_answer(&self) -> Error {
        if self.controller.signal().aborted() {
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

impl Drop for Deadline {
    fn drop(&mut self) {
        let _ = global_function("clearTimeout").and_then(|f| f.call1(&JsValue::UNDEFINED, &self.timer));
        // Nothing left to abort once the body was read; otherwise the download stops here.
        self.controller.abort();
    }
}

/// The request as gloo-net builds it: no cookies, no cache, no referrer (the page's address is
/// nobody's business), and no redirects (a 307/308 would re-send the secret and the code to its
/// `Location`, and the answer from there would be taken for TikTok's: the call fails as
/// `network`).
fn build(request: &HttpRequest, deadline: &Deadline) -> Result<Request> {
    let mut builder = match request.method {
        Method::Get => RequestBuilder::new(&request.url),
        Method::Post => RequestBuilder::new(&request.url).method(gloo_net::http::Method::POST),
    }
    .redirect(RequestRedirect::Error)
    .credentials(RequestCredentials::Omit)
    .cache(RequestCache::NoStore)
    .referrer_policy(ReferrerPolicy::NoReferrer)
    .abort_signal(Some(&deadline.controller.signal()));
    for (name, value) in &request.headers {
        builder = builder.header(name, value);
    }
    match &request.body {
        Some(body) => builder.body(body.as_str()),
        None => builder.build(),
    }
    .map_err(|_| Error::invalid("apiBase", "is not a URL this platform can fetch"))
}

/// Sends the request once and returns the HTTP status and body text. Everything taken from
/// `request` (which holds the credentials) is taken before this returns: the future holds only
/// the prepared JS `Request`.
fn send(request: &HttpRequest, timeout_ms: u32) -> impl Future<Output = Result<(u16, String)>> {
    let prepared = Deadline::start(timeout_ms, &request.host)
        .and_then(|deadline| Ok((build(request, &deadline)?, deadline)));
    async move {
        let (request, deadline) = prepared?;
        let request: web_sys::Request = request.into();
        // `Promise.resolve(thenable)`: a real Promise, settled once whatever the thenable does.
        let pending = global_function("fetch")
            .and_then(|fetch| fetch.call1(&JsValue::UNDEFINED, &request))
            .map(|pending| Promise::resolve(&pending))
            .map_err(|_| deadline.no_answer())?;
        let response: Response = JsFuture::from(pending)
            .await
            .ok()
            .and_then(|r| r.dyn_into::<web_sys::Response>().ok())
            .ok_or_else(|| deadline.no_answer())?
            .into();
        let body = read_capped(&response, &deadline).await?;
        Ok((response.status(), body))
        // The deadline is dropped here: its timer cleared.
    }
}

/// The body as text, refused as soon as it is known to be over [`MAX_ANSWER_BYTES`]: by its
/// `Content-Length` before any of it is read, or while it is read, a chunk at a time, so that no
/// more than the limit is ever copied into the wasm's memory (which never shrinks) whatever the
/// server sends.
async fn read_capped(response: &Response, deadline: &Deadline) -> Result<String> {
    // Of a compressed answer, the compressed size: the decoded body is capped as it is read.
    let announced = response
        .headers()
        .get("content-length")
        .and_then(|n| n.trim().parse::<u64>().ok());
    if announced.is_some_and(|n| n > MAX_ANSWER_BYTES as u64) {
        return Err(answer_too_large());
    }
    let Some(stream) = response.body() else {
        return Ok(String::new());
    };
    let reader: ReadableStreamDefaultReader = stream.get_reader().unchecked_into();
    let mut body = Vec::with_capacity(announced.map_or(0, |n| n as usize));
    loop {
        let read = JsFuture::from(reader.read())
            .await
            .map_err(|_| deadline.no_answer())?;
        let field = |name: &str| Reflect::get(&read, &name.into()).unwrap_or_default();
        if field("done").is_truthy() {
            break;
        }
        let chunk = field("value")
            .dyn_into::<Uint8Array>()
            .map_err(|_| deadline.no_answer())?;
        let (at, length) = (body.len(), chunk.length() as usize);
        if length > MAX_ANSWER_BYTES - at {
            // The stream is let go (the deadline's abort then ends the download).
            let _ = reader.cancel();
            return Err(answer_too_large());
        }
        // Capacity doubles as usual, but never past the limit.
        if body.capacity() < at + length {
            let wanted = (at + length).max(body.capacity() * 2).min(MAX_ANSWER_BYTES);
            body.reserve_exact(wanted - at);
        }
        body.resize(at + length, 0);
        chunk.copy_to(&mut body[at..]);
    }
    // As `Response.text()` decodes: UTF-8, a leading byte order mark dropped, each invalid
    // sequence a U+FFFD.
    let text = body.strip_prefix("\u{feff}".as_bytes()).unwrap_or(&body);
    Ok(String::from_utf8_lossy(text).into_owned())
}

/// Exchanges the auth code for a token: one `POST oauth2/access_token/`, never retried (the
/// code works once).
///
/// Every failure is an [`Error`] of the crate, as from the JS API's `exchangeAuthCode`: no
/// answer within `timeout_ms` is [`ErrorKind::Timeout`](crate::ErrorKind::Timeout), no HTTP
/// answer at all (offline, refused, blocked by CORS, a redirect) is
/// [`ErrorKind::Network`](crate::ErrorKind::Network), an answer over 1 MiB is
/// [`ErrorKind::InvalidResponse`](crate::ErrorKind::InvalidResponse), and TikTok's refusals
/// keep their `code` and hint.
///
/// ```no_run
/// # async fn run() -> tiktok_ads_auth::Result<()> {
/// use tiktok_ads_auth::{exchange_auth_code, parse_redirect, AppSecret, TokenRequest};
///
/// let redirect = parse_redirect("https://me.example/tiktok/?auth_code=c0de&state=s")?;
/// let request = TokenRequest::new("7123456789012345678", &AppSecret::new("s3cret"), &redirect.auth_code, None)?;
/// let grant = exchange_auth_code(&request, 30_000).await?;
/// println!("{} advertisers", grant.advertiser_ids.len());
/// # Ok(())
/// # }
/// ```
pub async fn exchange_auth_code(request: &TokenRequest, timeout_ms: u32) -> Result<TokenGrant> {
    // The request (which holds the secret) is dropped before the wait, not kept across it.
    let outcome = send(&request.http_request(), timeout_ms);
    let (status, body) = outcome.await?;
    request.read_answer(status, &body)
}

/// Lists the advertisers the token can act for, with their names: one
/// `GET oauth2/advertiser/get/`, failing as [`exchange_auth_code`] does.
pub async fn get_advertisers(call: &TokenCall, timeout_ms: u32) -> Result<Vec<Advertiser>> {
    let outcome = send(&call.advertisers_request(), timeout_ms);
    let (status, body) = outcome.await?;
    call.read_advertisers(status, &body)
}

/// Revokes the token: one `POST oauth2/revoke_token/`, failing as [`exchange_auth_code`] does;
/// returns the advertiser ids it was valid for.
pub async fn revoke_token(call: &TokenCall, timeout_ms: u32) -> Result<Vec<String>> {
    let outcome = send(&call.revoke_request(), timeout_ms);
    let (status, body) = outcome.await?;
    call.read_revoke(status, &body)
}
