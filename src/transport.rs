//! The one place that talks to the platform: `fetch`, `AbortSignal`, `AbortController`,
//! timers, `crypto.getRandomValues`, the Promise steps between a request and its answer, and
//! every other foreign-function declaration of the crate.
//!
//! One call sends exactly one request: the auth code is single-use, so nothing here retries.
//! Everything that can run foreign JS (a `fetch` polyfill, a Proxy, a polluted prototype) goes
//! through a `catch` binding or `Reflect`: a JS exception unwinding through wasm frames leaks
//! the wasm's shadow stack, and a few thousand of them leave the module unusable.
//!
//! Both APIs send through [`send`]: the JS API (`js.rs`) turns the outcome into JS values,
//! the Rust API (`calls.rs`) into Rust ones. This module uses neither.

use crate::envelope::{answer_too_large, MAX_ANSWER_BYTES};
use crate::error::{Error, Result};
use crate::http::HttpRequest;
use js_sys::{Array, Function, Object, Promise, Reflect};
use std::cell::RefCell;
use std::mem::ManuallyDrop;
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

    /// A Promise, or whatever thenable a `fetch` wrapper gives, seen only for its `then`.
    type Thenable;
    /// `promise.then(onFulfilled, onRejected)` with plain functions (no Rust closures).
    #[wasm_bindgen(method, catch)]
    fn then(
        this: &Thenable,
        on_fulfilled: &Function,
        on_rejected: &Function,
    ) -> std::result::Result<JsValue, JsValue>;
    /// A function, seen only for its `bind`.
    type Bindable;
    /// `f.bind(null, handle)`: a `catch` binding, as a host page may have replaced `bind`.
    #[wasm_bindgen(method, catch, js_name = bind)]
    fn bind_first(
        this: &Bindable,
        context: &JsValue,
        first: &JsValue,
    ) -> std::result::Result<JsValue, JsValue>;
    /// `Promise.resolve(thenable)`, which reads the thenable's `constructor`.
    #[wasm_bindgen(catch, js_namespace = Promise, js_name = resolve)]
    fn promise_resolve(value: &JsValue) -> std::result::Result<Promise, JsValue>;
    #[wasm_bindgen(catch, js_namespace = Promise, js_name = reject)]
    fn promise_reject(value: &JsValue) -> std::result::Result<Promise, JsValue>;

    /// The global `Promise`, constructed with an executor of builtins (no Rust closure).
    #[wasm_bindgen(js_name = Promise)]
    type PromiseClass;
    #[wasm_bindgen(catch, constructor, js_class = "Promise")]
    fn new_promise(executor: &Function) -> std::result::Result<PromiseClass, JsValue>;

    // For the JS API's options and results.
    #[wasm_bindgen(catch, js_namespace = Reflect, js_name = getOwnPropertyDescriptor)]
    pub(crate) fn own_descriptor(target: &JsValue, key: &JsValue) -> std::result::Result<JsValue, JsValue>;
    #[wasm_bindgen(catch, js_namespace = Reflect, js_name = defineProperty)]
    pub(crate) fn define_property(
        target: &JsValue,
        key: &JsValue,
        descriptor: &JsValue,
    ) -> std::result::Result<bool, JsValue>;
}

/// How a call ends: `Ok` resolves its Promise with the value, `Err` rejects it with the error.
pub(crate) type Step = std::result::Result<JsValue, JsValue>;

/// What a call does with its outcome (the HTTP status and body text, or why there is none): it
/// runs exactly once, and what it returns settles the call's Promise.
pub(crate) type Finish = Box<dyn FnOnce(Result<(u16, String)>) -> Step>;

/// A request on its way: the signal that bounds it, and what to say if no answer comes.
struct InFlight {
    signal: JsValue,
    /// The fallback timer (no `AbortSignal.timeout`): cleared when the call ends, so that it
    /// neither keeps Node running nor holds the call's objects until it fires.
    timer: Option<JsValue>,
    /// The transport's own deadline ([`GRACE_MS`] after `timeout_ms`), for a `fetch` that
    /// ignores its signal and never answers: cleared when the call ends.
    deadline: Option<JsValue>,
    host: String,
    timeout_ms: u32,
}

impl Drop for InFlight {
    fn drop(&mut self) {
        if let Some(timer) = &self.timer {
            let _ = clear_timeout(timer);
        }
        if let Some(timer) = &self.deadline {
            let _ = clear_timeout(timer);
        }
    }
}

impl InFlight {
    /// Why there is no answer: the timeout fired, or the request never got through.
    fn no_answer(&self) -> Error {
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
        .with(|apply| set_timeout(apply, ms, &abort, &controller, &Array::new()))
        .map_err(|_| unbounded())?;
    Ok((signal, Some(timer)))
}

/// Sends the request once; the returned thenable (a Promise, or what a `fetch` wrapper gives)
/// resolves to the `Response`.
fn start(request: &HttpRequest, timeout_ms: u32) -> Result<(JsValue, InFlight)> {
    let (signal, timer) = time_limit(timeout_ms)?;
    let in_flight = InFlight {
        signal,
        timer,
        deadline: None,
        host: request.host.clone(),
        timeout_ms,
    };
    // Plain init objects (one `Reflect.set` import instead of a setter per field) without a
    // prototype: nothing a host page adds to `Object.prototype` (`mode`, `integrity`, a header
    // list…) is read by `fetch` as part of the request.
    let init = bare_object();
    let headers = bare_object();
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
fn read_response(response: &JsValue, in_flight: &InFlight) -> Result<(u16, JsValue)> {
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
        .and_then(|f| Reflect::apply(&f, response, &Array::new()).ok())
        .filter(JsValue::is_object)
        .ok_or_else(|| in_flight.no_answer())?;
    Ok((status as u16, text))
}

fn set(target: &Object, key: &str, value: &JsValue) {
    // Setting a field of a fresh object without a prototype cannot fail or run any code.
    let _ = Reflect::set(target, &JsValue::from_str(key), value);
}

/// An object without a prototype: nothing inherited is read from it or run when it is written.
pub(crate) fn bare_object() -> Object {
    Object::create(JsValue::NULL.unchecked_ref())
}

/// Sends the request once and hands its outcome to `finish`; the returned Promise settles with
/// what `finish` returns. A request that cannot start is an outcome too; only a page whose
/// `Promise` cannot give a Promise at all gets an `Err`: the error, for the caller to throw.
///
/// The steps are chained as plain Promise callbacks, with no Rust futures or closures (their
/// executor and glue would be the largest part of the wasm), and JS is handed no object of the
/// wasm's: a wasm-bindgen class instance would bring its class, and with it a way to turn any
/// number into a pointer. A step of a call is
///
/// ```js
/// pending.then(push.bind(arrived, true), push.bind(arrived, false))  // what the Promise gives
///        .then(...)                                                   // made a real Promise
///        .then(step.bind(null, handle), step.bind(null, handle))      // wasm takes it from there
/// ```
///
/// with `arrived` a fresh array, `step` the wasm's own export [`__tiktok_ads_auth_step`] (which
/// takes one number and can be handed nothing else), and `handle` the number the call waits under.
pub(crate) fn send(
    request: &HttpRequest,
    timeout_ms: u32,
    finish: Finish,
) -> std::result::Result<Promise, JsValue> {
    // The call's Promise, settled through the resolving functions its executor pushed here.
    let resolvers = Array::new();
    let promise = bind(&push_of(&resolvers), &resolvers, &JsValue::UNDEFINED)
        .and_then(|executor| PromiseClass::new_promise(&executor).ok())
        .filter(|_| resolvers.length() == 3);
    let Some(promise) = promise else {
        // No answer could be handed over (a broken `bind`): nothing is sent.
        return match finish(Err(broken_chain(&request.host))) {
            // (Only the Rust API's `finish` gives `Ok`, and it ignores what it gets back.)
            Ok(value) => promise_resolve(&value).map_err(|_| value),
            Err(error) => rejected(&error),
        };
    };
    match start(request, timeout_ms) {
        Ok((pending, mut in_flight)) => {
            // The call's own deadline, past the signal's: `setTimeout(Reflect.apply, ms, step,
            // null, [deadline])` ends it as `timeout` should `fetch` ignore the signal and never
            // answer. (Without a timer it is bounded by the signal alone.)
            let deadline = fresh(0.0);
            in_flight.deadline = REFLECT_APPLY
                .with(|apply| {
                    set_timeout(
                        apply,
                        timeout_ms.saturating_add(GRACE_MS),
                        &step_export(),
                        &JsValue::NULL,
                        &Array::of1(&deadline.into()),
                    )
                })
                .ok();
            Call {
                finish: ManuallyDrop::new(finish),
                in_flight,
                resolvers,
                status: None,
                arrived: Array::new(),
                deadline,
            }
            .after(&pending)
        }
        Err(e) => settle(&resolvers, finish(Err(e))),
    }
    Ok(promise.unchecked_into())
}

/// `Promise.reject(error)` through a `catch` binding, or `Err(error)` when that throws (a page
/// that replaced `Promise.reject`): the caller throws the error then, rather than handing back
/// what was thrown as if it were the Promise (an `await` would take it for the answer).
pub(crate) fn rejected(error: &JsValue) -> std::result::Result<Promise, JsValue> {
    promise_reject(error).map_err(|_| error.clone())
}

/// `Array.prototype.push`, to be bound to an array of this module: what a Promise hands over is
/// kept there, in the order the callbacks ran.
fn push_of(array: &Array) -> JsValue {
    Reflect::get(array, &"push".into()).unwrap_or_default()
}

/// `f.bind(this, first)`, when that gives a function.
fn bind(f: &JsValue, this: &JsValue, first: &JsValue) -> Option<Function> {
    f.unchecked_ref::<Bindable>()
        .bind_first(this, first)
        .ok()
        .filter(JsValue::is_function)
        .map(JsCast::unchecked_into)
}

/// Resolves (`Ok`) or rejects (`Err`) the Promise whose resolving functions `resolvers` holds.
fn settle(resolvers: &Array, step: Step) {
    let (at, value) = match &step {
        Ok(value) => (1, value),
        Err(error) => (2, error),
    };
    // The array's own elements, pushed by the Promise's executor: the real resolving functions.
    if let Ok(f) = Reflect::get(resolvers, &JsValue::from(at)) {
        let _ = Reflect::apply(
            f.unchecked_ref::<Function>(),
            &JsValue::UNDEFINED,
            &Array::of1(value),
        );
    }
}

/// The answer when the platform broke the chain of callbacks (a hostile `then` or `bind`).
fn broken_chain(host: &str) -> Error {
    Error::Network {
        host: host.to_owned(),
        detail: Some(
            "the answer could not be handed over: this page's fetch, then or bind misbehaved".to_owned(),
        ),
    }
}

/// A call between two of its steps.
struct Call {
    /// Never dropped uncalled (every call ends through [`Call::end`]): dropping a boxed closure
    /// is an indirect call that would keep alive every function of its signature in the table
    /// (about 500 bytes of js-sys's unused task wakers).
    finish: ManuallyDrop<Finish>,
    in_flight: InFlight,
    /// `[_, resolve, reject]` of the call's Promise.
    resolvers: Array,
    /// The HTTP status, once the response arrived (the step after it waits for the body).
    status: Option<u16>,
    /// What the callbacks of the current step pushed: `true, value` or `false, error`, in the
    /// order they ran (a thenable may call both, or one twice: the first counts).
    arrived: Array,
    /// The number the call's deadline timer steps with: the call ends as `timeout` then.
    deadline: f64,
}

/// How long past its `timeoutMs` a call waits for a `fetch` that ignores its signal.
const GRACE_MS: u32 = 1000;

/// The wasm's own export [`__tiktok_ads_auth_step`], as JS sees it.
fn step_export() -> JsValue {
    Reflect::get(&wasm_bindgen::exports(), &"__tiktok_ads_auth_step".into()).unwrap_or_default()
}

/// The calls waiting for a step, each under a number handed to JS in its place.
///
/// A number that is stale (the call has moved on or ended), repeated (a callback called twice)
/// or made up finds nothing here and does nothing. Each step of each call gets a fresh number,
/// 53 random bits from `crypto.getRandomValues` (exact in an `f64`), drawn again if it is in the
/// table: a script of the page that learns one cannot guess another. (Without a CSPRNG they are
/// counted instead. Only a step's own builtins run while the table is borrowed: a step that
/// finds it busy does nothing.)
struct Waiting {
    last: f64,
    calls: Vec<(f64, Call)>,
}

thread_local! {
    static WAITING: RefCell<Waiting> = const {
        RefCell::new(Waiting {
            last: 0.0,
            calls: Vec::new(),
        })
    };
}

/// A number no waiting call has, as a handle or a deadline, and other than `not`: random when
/// the platform can.
fn fresh(not: f64) -> f64 {
    let mut bytes = [0u8; 8];
    let mut n = match get_random_values(&mut bytes) {
        Ok(()) => (u64::from_le_bytes(bytes) >> 11) as f64,
        Err(_) => 0.0,
    };
    WAITING.with(|w| {
        let Ok(mut w) = w.try_borrow_mut() else {
            return f64::NAN;
        };
        while n == 0.0 || n == not || w.calls.iter().any(|(h, c)| *h == n || c.deadline == n) {
            w.last += 1.0;
            n = w.last;
        }
        n
    })
}

/// Puts the call aside and returns its handle.
fn wait(call: Call) -> f64 {
    let handle = fresh(call.deadline);
    WAITING.with(|w| match w.try_borrow_mut() {
        Ok(mut w) => {
            w.calls.push((handle, call));
            handle
        }
        // Unreachable; the call is dropped and its steps find nothing.
        Err(_) => f64::NAN,
    })
}

/// Takes the call waiting under `handle` (or whose deadline it is: then `true`) out of the
/// table, if there is one.
fn resume(handle: f64) -> Option<(Call, bool)> {
    let handle = handle.to_bits();
    WAITING.with(|w| {
        let mut w = w.try_borrow_mut().ok()?;
        let at = w
            .calls
            .iter()
            .position(|(h, c)| h.to_bits() == handle || c.deadline.to_bits() == handle)?;
        let (h, call) = w.calls.swap_remove(at);
        Some((call, h.to_bits() != handle))
    })
}

/// The one way back into the wasm from a call's Promise chain, exported under this name without
/// wasm-bindgen's glue: it takes a number and nothing else (an argument after it is never even
/// converted), so a `bind` that spies on it learns a number, and calling it with any other does
/// nothing.
#[no_mangle]
pub extern "C" fn __tiktok_ads_auth_step(handle: f64) {
    match resume(handle) {
        Some((call, false)) => call.step(),
        Some((call, true)) => {
            let timeout_ms = call.in_flight.timeout_ms;
            call.end(Err(Error::Timeout { timeout_ms }));
        }
        None => {}
    }
}

impl Call {
    /// Waits for `pending` (the response, then the body text) and takes the next step then.
    fn after(mut self, pending: &JsValue) {
        let host = self.in_flight.host.clone();
        let arrived = Array::new();
        self.arrived = arrived.clone();
        let handle = JsValue::from_f64(wait(self));
        let chained = (|| {
            let push = push_of(&arrived);
            let on_value = bind(&push, &arrived, &JsValue::TRUE)?;
            let on_failure = bind(&push, &arrived, &JsValue::FALSE)?;
            let step = bind(&step_export(), &JsValue::NULL, &handle)?;
            // What a `fetch` wrapper's `then` returns is made a real Promise; a `then` that
            // returns nothing to wait for breaks the chain.
            let handed = pending
                .unchecked_ref::<Thenable>()
                .then(&on_value, &on_failure)
                .ok()
                .filter(JsValue::is_object)?;
            let handed = promise_resolve(&handed).ok()?;
            handed.unchecked_ref::<Thenable>().then(&step, &step).ok()
        })();
        if chained.is_none() {
            // Fail the call, unless a callback already took it.
            if let Some(handle) = handle.as_f64() {
                if let Some((call, _)) = resume(handle) {
                    call.end(Err(broken_chain(&host)));
                }
            }
        }
    }

    /// What the Promise handed over arrived: the response, the body, or a failure.
    fn step(mut self) {
        // Own elements of an array of this module, pushed in order: fewer than two means the
        // Promise settled without calling back.
        let first = |at: u32| Reflect::get(&self.arrived, &JsValue::from(at)).unwrap_or_default();
        let (ok, value) = if self.arrived.length() >= 2 {
            (first(0).as_bool(), first(1))
        } else {
            (None, JsValue::UNDEFINED)
        };
        match (ok, self.status) {
            (Some(true), None) => match read_response(&value, &self.in_flight) {
                Ok((status, text)) => {
                    self.status = Some(status);
                    self.after(&text);
                }
                Err(e) => self.end(Err(e)),
            },
            (Some(true), Some(status)) => {
                let outcome = match text_of(&value) {
                    Text::Short(body) => Ok((status, body)),
                    Text::TooLong => Err(answer_too_large()),
                    Text::NotString => Err(self.in_flight.no_answer()),
                };
                self.end(outcome);
            }
            // `fetch` or the body read failed: a timeout, or no answer at all.
            (Some(false), _) => {
                let error = self.in_flight.no_answer();
                self.end(Err(error));
            }
            _ => {
                let error = broken_chain(&self.in_flight.host);
                self.end(Err(error));
            }
        }
    }

    /// Hands the outcome over and settles the call's Promise with what `finish` makes of it.
    fn end(self, outcome: Result<(u16, String)>) {
        let Call {
            finish,
            in_flight,
            resolvers,
            ..
        } = self;
        settle(&resolvers, ManuallyDrop::into_inner(finish)(outcome));
        // The fallback timer, if any, is cleared now.
        drop(in_flight);
    }
}

/// A JS string, read only when its UTF-8 fits in [`MAX_ANSWER_BYTES`]: copying a larger one into
/// the wasm's memory would grow that memory for good (it never shrinks).
pub(crate) enum Text {
    Short(String),
    TooLong,
    NotString,
}

pub(crate) fn text_of(value: &JsValue) -> Text {
    if !value.is_string() {
        return Text::NotString;
    }
    // Each UTF-16 unit is one to three UTF-8 bytes: longer than the limit in units is too long,
    // and a text that may be over it is measured a slice at a time before it is copied whole.
    let text = value.unchecked_ref::<js_sys::JsString>();
    let units = text.length() as usize;
    if units > MAX_ANSWER_BYTES {
        return Text::TooLong;
    }
    if units > MAX_ANSWER_BYTES / 3 {
        match utf8_len(text) {
            Some(bytes) if bytes > MAX_ANSWER_BYTES => return Text::TooLong,
            Some(_) => {}
            // A page's `String.prototype.slice` gave something else than a string.
            None => return Text::NotString,
        }
    }
    match value.as_string() {
        Some(s) if s.len() <= MAX_ANSWER_BYTES => Text::Short(s),
        Some(_) => Text::TooLong,
        None => Text::NotString,
    }
}

/// The length of `text` in UTF-8 (a lone surrogate as U+FFFD, as `as_string` copies it), read in
/// 16 Ki-unit slices: only one slice at a time is in the wasm's memory, which its allocator reuses.
/// `None` when a slice is not a string (a page replaced `String.prototype.slice`).
fn utf8_len(text: &js_sys::JsString) -> Option<usize> {
    const SLICE: u32 = 16 * 1024;
    let end = text.length();
    let (mut at, mut bytes) = (0, 0);
    while at < end {
        let mut to = at.saturating_add(SLICE).min(end);
        // Never between the halves of a pair: each alone would count as U+FFFD.
        if to < end && (0xD800..0xDC00).contains(&(text.char_code_at(to - 1) as u32)) {
            to -= 1;
        }
        bytes += JsValue::from(text.slice(at, to)).as_string()?.len();
        at = to;
    }
    Some(bytes)
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
