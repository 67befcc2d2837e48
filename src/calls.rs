//! The network calls of the Rust API in WebAssembly: the JS API's transport, awaited.
//!
//! Each call goes through [`crate::transport::send`] like the JS API's, so it has the same
//! limits (an answer over 1 MiB is refused before it is copied in), the same `catch` bindings
//! and the same safety against callbacks called twice or late. The future is woken by the
//! transport's last step: no JS Promise is awaited here (awaiting one calls its `then` from
//! wasm without a `catch` binding).

use crate::accounts::{Advertiser, TokenCall};
use crate::error::Result;
use crate::http::HttpRequest;
use crate::token::{TokenGrant, TokenRequest};
use std::cell::RefCell;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll, Waker};
use wasm_bindgen::JsValue;

/// Where the transport's last step leaves the outcome, and who to wake then.
#[derive(Default)]
struct Slot {
    outcome: Option<Result<(u16, String)>>,
    waker: Option<Waker>,
}

/// The outcome of one request, once the transport hands it over.
struct Outcome(Rc<RefCell<Slot>>);

impl Future for Outcome {
    type Output = Result<(u16, String)>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let Ok(mut slot) = self.0.try_borrow_mut() else {
            // Never: the slot is only borrowed for a moment, by this and by the last step.
            cx.waker().wake_by_ref();
            return Poll::Pending;
        };
        match slot.outcome.take() {
            Some(outcome) => Poll::Ready(outcome),
            None => {
                slot.waker = Some(cx.waker().clone());
                Poll::Pending
            }
        }
    }
}

/// Sends the request once and returns the HTTP status and body text.
fn send(request: &HttpRequest, timeout_ms: u32) -> Outcome {
    let slot = Rc::new(RefCell::new(Slot::default()));
    let shared = Rc::clone(&slot);
    // What the chain settles with is of no use here: the outcome comes through the slot. Its
    // Promise is left alone (it never rejects: the last step returns `Ok`).
    let _ = crate::transport::send(
        request,
        timeout_ms,
        Box::new(move |outcome| {
            let waker = shared.try_borrow_mut().ok().and_then(|mut slot| {
                slot.outcome = Some(outcome);
                slot.waker.take()
            });
            if let Some(waker) = waker {
                waker.wake();
            }
            Ok(JsValue::UNDEFINED)
        }),
    );
    Outcome(slot)
}

/// Exchanges the auth code for a token: one `POST oauth2/access_token/`, never retried.
pub async fn exchange_auth_code(request: &TokenRequest, timeout_ms: u32) -> Result<TokenGrant> {
    // The request (which holds the secret) is dropped before the wait, not kept across it.
    let outcome = send(&request.http_request(), timeout_ms);
    let (status, body) = outcome.await?;
    request.read_answer(status, &body)
}

/// Lists the advertisers the token can act for, with their names.
pub async fn get_advertisers(call: &TokenCall, timeout_ms: u32) -> Result<Vec<Advertiser>> {
    let outcome = send(&call.advertisers_request(), timeout_ms);
    let (status, body) = outcome.await?;
    call.read_advertisers(status, &body)
}

/// Revokes the token; returns the advertiser ids it was valid for.
pub async fn revoke_token(call: &TokenCall, timeout_ms: u32) -> Result<Vec<String>> {
    let outcome = send(&call.revoke_request(), timeout_ms);
    let (status, body) = outcome.await?;
    call.read_revoke(status, &body)
}
