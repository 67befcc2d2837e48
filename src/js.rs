//! The JavaScript surface: camelCase names, option objects, Promises, and `TikTokAuthError`.
//!
//! Every function here only converts between JS values and the Rust API; no decision is made here.

use crate::accounts::{Advertiser, TokenCall};
use crate::api_base::ApiBase;
use crate::credentials::{AccessToken, AppSecret, AuthCode};
use crate::error::{Error, Result};
use crate::http::{validate_timeout_ms, DEFAULT_TIMEOUT_MS};
use crate::platform::{bare_object, define_property, own_descriptor, text_of, Text};
use crate::token::{TokenGrant, TokenRequest};
use js_sys::{Array, Object, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

#[wasm_bindgen(typescript_custom_section)]
const TYPES: &'static str = r#"
/** The `kind` of every error this package throws. */
export type TikTokAuthErrorKind =
  | "invalid_input" | "missing_auth_code" | "authorization_denied" | "state_mismatch"
  | "network" | "timeout" | "http_status" | "api_error" | "invalid_response";

/** Every failure is an `Error` with `name === "TikTokAuthError"` and these own properties. */
export interface TikTokAuthError extends Error {
  name: "TikTokAuthError";
  kind: TikTokAuthErrorKind;
  /** TikTok's numeric code (`api_error`). */
  code?: number;
  /** The HTTP status (`http_status`). */
  status?: number;
  /** TikTok's request id, to quote to TikTok support. */
  requestId?: string;
  /** What to do next, for TikTok's known codes and for network failures. */
  hint?: string;
}

export interface AuthorizationUrlOptions {
  /** The app's App ID: decimal digits as a string (it exceeds a JS number's precision). */
  appId: string;
  /** The exact redirect URL registered in the TikTok app: absolute http(s), no fragment. */
  redirectUri: string;
  /** Your own state; by default 256 random bits from `crypto.getRandomValues`. */
  state?: string;
  /**
   * Portal base, default `https://business-api.tiktok.com` (`/portal/auth` is appended). A base
   * ending in `/portal/auth` or the legacy `/marketing_api/auth` is the endpoint itself.
   */
  authBase?: string;
}
export interface AuthorizationUrl { url: string; state: string }

export interface RedirectParams {
  authCode: string;
  state: string | null;
  /**
   * The parameter the code came in. TikTok's advertiser authorization sends `auth_code` (and
   * `code` with the same value); `"code"` alone comes from another TikTok flow (Login Kit, account
   * holder), whose code will not exchange here: authorize through the "Advertiser authorization URL".
   */
  codeParam: "auth_code" | "code";
}

/**
 * A `fetch` of your own (a proxy agent's in Node, a Worker's, a test double), called once per call
 * as `fetch(url, init)` with a complete `RequestInit`; it answers with a `Response` (or a Promise
 * of one). The global `fetch` fits. (Declared without DOM types, which the package does not need.)
 */
export interface TikTokAuthFetch {
  (url: string, init: object): unknown;
}
/** An `AbortSignal` (the package reads `aborted` and listens for `abort`). */
export interface TikTokAuthSignal {
  readonly aborted: boolean;
  addEventListener(type: "abort", listener: () => void): void;
  removeEventListener(type: "abort", listener: () => void): void;
}

export interface ExchangeAuthCodeOptions {
  appId: string;
  secret: string;
  authCode: string;
  /** Default `https://business-api.tiktok.com/open_api/v1.3`. */
  apiBase?: string;
  /** 1 to 600000, default 30000. */
  timeoutMs?: number;
  /** The fetch to send the one request with; default the global `fetch`. */
  fetch?: TikTokAuthFetch;
  /**
   * Aborting it ends the call at once, rejecting with kind `"timeout"` (the request may have
   * reached TikTok and used the auth code); an already-aborted signal sends nothing.
   */
  signal?: TikTokAuthSignal;
}
export interface TokenRequestCurlOptions { appId: string; secret: string; authCode: string; apiBase?: string }
export interface AdvertisersRequestCurlOptions { accessToken: string; appId: string; secret: string; apiBase?: string }
export interface AccessTokenOptions {
  accessToken: string;
  appId: string;
  secret: string;
  apiBase?: string;
  timeoutMs?: number;
  /** As for `exchangeAuthCode`. */
  fetch?: TikTokAuthFetch;
  /** As for `exchangeAuthCode`. */
  signal?: TikTokAuthSignal;
}

export interface TokenGrant {
  /** Long-term token: no expiry, dies when the advertiser revokes it. */
  accessToken: string;
  /** Exact decimal strings. */
  advertiserIds: string[];
  /** Permission ids granted, as exact decimal strings (up to 19 digits, e.g. "7043626160646815746"). */
  scope: string[];
  requestId: string | null;
  /**
   * Everything odd in TikTok's answer, in plain words (an id that cannot be exact and was left
   * out, a scope that is not a list, ...); empty for a clean answer. Never holds a credential.
   * The grant is returned whatever these say: TikTok has already spent the single-use code.
   */
  warnings: string[];
}
export interface Advertiser { advertiserId: string; advertiserName: string }

export interface StateVerdictOptions {
  /** The state this page issued, or null when it issued none. */
  expected: string | null | undefined;
  /** The state the redirect carried. */
  returned: string | null | undefined;
}
export type StateVerdict = "verified" | "not_issued";

/** Exchanges the auth code for a long-term access token (one request, never retried). */
export function exchangeAuthCode(options: ExchangeAuthCodeOptions): Promise<TokenGrant>;
/** Lists the advertisers the token can act for, with their names. */
export function getAdvertisers(options: AccessTokenOptions): Promise<Advertiser[]>;
/** Revokes the token; resolves to the advertiser ids it was valid for. */
export function revokeToken(options: AccessTokenOptions): Promise<string[]>;
"#;

/// Builds the authorization URL and returns it with the state it carries.
#[wasm_bindgen(js_name = authorizationUrl, unchecked_return_type = "AuthorizationUrl")]
pub fn authorization_url(
    #[wasm_bindgen(unchecked_param_type = "AuthorizationUrlOptions")] options: JsValue,
) -> Result<JsValue, JsValue> {
    (|| {
        let o = object(&options)?;
        let state = match optional_string(&o, "state")? {
            Some(s) => s,
            None => crate::platform::generate_state()?,
        };
        let url = crate::authorize::authorization_url(
            &app_id(&o)?,
            &required_string(&o, "redirectUri")?,
            &state,
            optional_string(&o, "authBase")?.as_deref(),
        )?;
        Ok(record(&[("url", url.into()), ("state", state.into())]))
    })()
    .map_err(to_js_error)
}

/// Reads `auth_code` (or `code`) and `state` from a redirect URL or query string.
#[wasm_bindgen(js_name = parseRedirect, unchecked_return_type = "RedirectParams")]
pub fn parse_redirect(
    #[wasm_bindgen(unchecked_param_type = "string")] input: JsValue,
) -> Result<JsValue, JsValue> {
    (|| {
        let redirect = crate::redirect::parse_redirect(&string_argument(&input, "input")?)?;
        Ok(record(&[
            ("authCode", redirect.auth_code.secret().into()),
            ("state", redirect.state.map_or(JsValue::NULL, JsValue::from)),
            ("codeParam", redirect.code_param.as_str().into()),
        ]))
    })()
    .map_err(to_js_error)
}

/// Compares the issued and returned state in constant time; throws `state_mismatch`.
#[wasm_bindgen(js_name = stateVerdict, unchecked_return_type = "StateVerdict")]
pub fn state_verdict(
    #[wasm_bindgen(unchecked_param_type = "StateVerdictOptions")] options: JsValue,
) -> Result<JsValue, JsValue> {
    (|| {
        let o = object(&options)?;
        let verdict = crate::authorize::verify_state(
            optional_string(&o, "expected")?.as_deref(),
            optional_string(&o, "returned")?.as_deref(),
        )?;
        Ok(JsValue::from_str(verdict.as_str()))
    })()
    .map_err(to_js_error)
}

/// The URL without any OAuth redirect parameter, for `history.replaceState`.
#[wasm_bindgen(js_name = stripRedirectParams)]
pub fn strip_redirect_params(
    #[wasm_bindgen(unchecked_param_type = "string")] url: JsValue,
) -> Result<String, JsValue> {
    string_argument(&url, "url")
        .map(|u| crate::redirect::strip_redirect_params(&u))
        .map_err(to_js_error)
}

/// Checks an API base and returns it without a trailing slash.
#[wasm_bindgen(js_name = normalizeApiBase)]
pub fn normalize_api_base(
    #[wasm_bindgen(js_name = apiBase, unchecked_param_type = "string")] api_base: JsValue,
) -> Result<String, JsValue> {
    (|| {
        Ok(ApiBase::parse(&string_argument(&api_base, "apiBase")?)?
            .as_str()
            .to_owned())
    })()
    .map_err(to_js_error)
}

/// Reads TikTok's JSON answer to the token request (e.g. pasted from the curl fallback).
#[wasm_bindgen(js_name = parseTokenResponse, unchecked_return_type = "TokenGrant")]
pub fn parse_token_response(
    #[wasm_bindgen(unchecked_param_type = "string")] json: JsValue,
) -> Result<JsValue, JsValue> {
    (|| {
        let json = match text_of(&json) {
            Text::TooLong => return Err(crate::envelope::answer_too_large()),
            _ => string_argument(&json, "json")?,
        };
        let grant = crate::token::parse_token_response(&json)?;
        Ok(grant_to_js(&grant))
    })()
    .map_err(to_js_error)
}

/// A POSIX-shell curl command that sends exactly the request `exchangeAuthCode` sends.
#[wasm_bindgen(js_name = tokenRequestCurl)]
pub fn token_request_curl(
    #[wasm_bindgen(unchecked_param_type = "TokenRequestCurlOptions")] options: JsValue,
) -> Result<String, JsValue> {
    (|| Ok(token_request(&object(&options)?)?.curl()))().map_err(to_js_error)
}

/// A POSIX-shell curl command that sends exactly the request `getAdvertisers` sends.
#[wasm_bindgen(js_name = advertisersRequestCurl)]
pub fn advertisers_request_curl(
    #[wasm_bindgen(unchecked_param_type = "AdvertisersRequestCurlOptions")] options: JsValue,
) -> Result<String, JsValue> {
    (|| Ok(token_call(&object(&options)?)?.advertisers_curl()))().map_err(to_js_error)
}

/// The network calls the package's JavaScript (`npm/net.js`) carries: it asks [`prepare`] for the
/// request, sends it with `fetch`, and hands the answer to [`read`]. The wasm does no IO.
enum Call {
    Exchange(TokenRequest),
    Advertisers(TokenCall),
    Revoke(TokenCall),
}

/// `0` exchange, `1` advertisers, `2` revoke: the numbers `npm/net.js` passes.
fn call_of(call: u32, o: &Object) -> Result<Call> {
    Ok(match call {
        0 => Call::Exchange(token_request(o)?),
        1 => Call::Advertisers(token_call(o)?),
        _ => Call::Revoke(token_call(o)?),
    })
}

/// The options a call reads: the credentials' names for each call, in the order they are checked.
fn keys_of(call: u32) -> [&'static str; 4] {
    let credential = if call == 0 { "authCode" } else { "accessToken" };
    ["appId", "secret", credential, "apiBase"]
}

/// Reads a network call's options once (own properties only), validates them, and returns the
/// request to send: a plain object without a prototype holding `url`, `init` (the complete
/// `RequestInit` but its `signal`), `host`, `timeoutMs`, the caller's `fetch` and `signal` (or
/// `undefined`), and the options read (strings), which [`read`] is given back to read the answer
/// with.
#[wasm_bindgen(js_name = __prepare, skip_typescript)]
pub fn prepare(call: u32, options: JsValue) -> std::result::Result<JsValue, JsValue> {
    (|| {
        let o = object(&options)?;
        let prepared = bare_object();
        for key in keys_of(call) {
            let value = if key == "appId" {
                Some(app_id(&o)?)
            } else if key == "apiBase" {
                optional_string(&o, key)?
            } else {
                Some(required_string(&o, key)?)
            };
            set(&prepared, key, &value.map_or(JsValue::UNDEFINED, JsValue::from));
        }
        let request = match call_of(call, &prepared)? {
            Call::Exchange(request) => request.http_request(),
            Call::Advertisers(token_call) => token_call.advertisers_request(),
            Call::Revoke(token_call) => token_call.revoke_request(),
        };
        let timeout = timeout_ms(&o)?;
        let fetch = option(&o, "fetch")?;
        if !(fetch.is_undefined() || fetch.is_null() || fetch.is_function()) {
            return Err(Error::invalid(
                "fetch",
                "must be a function (a fetch of your own)",
            ));
        }
        let signal = option(&o, "signal")?;
        if !(signal.is_undefined() || signal.is_null() || signal.is_object()) {
            return Err(Error::invalid("signal", "must be an AbortSignal"));
        }
        let headers = bare_object();
        for (name, value) in &request.headers {
            set(&headers, name, &JsValue::from_str(value));
        }
        // The `RequestInit`, without a prototype and with every field given: nothing a page adds
        // to `Object.prototype` is read as part of the request (Node's `Request` reads any field
        // it lacks from there: `integrity` failing the call, `referrer` sent as a `Referer`,
        // `keepalive`, `mode`). No cookies, no cache, no referrer: the page's address is nobody's
        // business. No redirects either: a 307/308 would re-send the secret and the code to its
        // `Location`, and the answer from there would be taken for TikTok's (`network`).
        let init = bare_object();
        for (key, value) in [
            ("method", request.method.as_str()),
            ("redirect", "error"),
            ("credentials", "omit"),
            ("cache", "no-store"),
            ("referrerPolicy", "no-referrer"),
            ("mode", "cors"),
            ("integrity", ""),
            ("referrer", ""),
            ("priority", "auto"),
            ("duplex", "half"),
        ] {
            set(&init, key, &value.into());
        }
        set(&init, "keepalive", &JsValue::FALSE);
        set(&init, "window", &JsValue::NULL);
        set(&init, "headers", &headers);
        set(
            &init,
            "body",
            &request.body.as_deref().map_or(JsValue::NULL, JsValue::from_str),
        );
        set(&prepared, "url", &request.url.as_str().into());
        set(&prepared, "init", &init);
        set(&prepared, "host", &request.host.as_str().into());
        set(&prepared, "timeoutMs", &timeout.into());
        set(&prepared, "fetch", &fetch);
        set(&prepared, "signal", &signal);
        Ok(prepared.into())
    })()
    .map_err(to_js_error)
}

/// Reads the answer to a request [`prepare`] gave (`prepared`, as it gave it): the HTTP status
/// and the body's text, at most 1 MiB. Returns what the JS API resolves with, or throws the
/// `TikTokAuthError` to reject with.
#[wasm_bindgen(js_name = __read, skip_typescript)]
pub fn read(
    call: u32,
    prepared: JsValue,
    status: u16,
    body: JsValue,
) -> std::result::Result<JsValue, JsValue> {
    (|| {
        let body = match text_of(&body) {
            Text::Short(s) => s,
            _ => return Err(crate::envelope::answer_too_large()),
        };
        match call_of(call, &object(&prepared)?)? {
            Call::Exchange(request) => request.read_answer(status, &body).map(|g| grant_to_js(&g)),
            Call::Advertisers(token_call) => token_call
                .read_advertisers(status, &body)
                .map(|list| array(list.iter().map(advertiser_to_js))),
            Call::Revoke(token_call) => token_call
                .read_revoke(status, &body)
                .map(|ids| strings_to_js(&ids)),
        }
    })()
    .map_err(to_js_error)
}

/// The `TikTokAuthError` for a call that got no answer to read, `why` being what `npm/net.js`
/// saw: `0` no HTTP answer (`network`), `1` the time limit (`timeout`), `2` the caller's signal
/// (`timeout`: the request may have arrived), `3` an answer over 1 MiB (`invalid_response`),
/// `4` a signal that could not be read (`invalid_input`).
#[wasm_bindgen(js_name = __fail, skip_typescript)]
pub fn fail(why: u32, host: String, timeout_ms: u32) -> JsValue {
    to_js_error(match why {
        0 => Error::Network { host, detail: None },
        1 => Error::Timeout { timeout_ms },
        2 => Error::Aborted { host },
        3 => crate::envelope::answer_too_large(),
        _ => Error::invalid("signal", "could not be read (give an AbortSignal)"),
    })
}

fn set(target: &Object, key: &str, value: &JsValue) {
    // Setting a field of a fresh object without a prototype cannot fail or run any code.
    let _ = Reflect::set(target, &JsValue::from_str(key), value);
}

/// True when `error` is a `TikTokAuthError` thrown by this package.
#[wasm_bindgen(js_name = isTikTokAuthError, unchecked_return_type = "error is TikTokAuthError")]
pub fn is_tiktok_auth_error(#[wasm_bindgen(unchecked_param_type = "unknown")] error: JsValue) -> bool {
    // Own properties through `catch` bindings: `instanceof` could run a throwing Proxy trap, and
    // a `name` or `kind` on a polluted `Object.prototype` must not make `{}` one of ours.
    error.is_object()
        && own(&error, "name").ok().and_then(|n| n.as_string()).as_deref() == Some("TikTokAuthError")
        && own(&error, "kind").is_ok_and(|k| k.is_string())
}

fn token_request(o: &Object) -> Result<TokenRequest> {
    TokenRequest::new(
        &app_id(o)?,
        &AppSecret::new(required_string(o, "secret")?),
        &AuthCode::new(required_string(o, "authCode")?),
        optional_string(o, "apiBase")?.as_deref(),
    )
}

fn token_call(o: &Object) -> Result<TokenCall> {
    TokenCall::new(
        &AccessToken::new(required_string(o, "accessToken")?),
        &app_id(o)?,
        &AppSecret::new(required_string(o, "secret")?),
        optional_string(o, "apiBase")?.as_deref(),
    )
}

fn object(value: &JsValue) -> Result<Object> {
    // Only `typeof` here: anything that can run a Proxy trap must go through a `catch` binding
    // (Reflect), since a JS exception unwinding through wasm frames corrupts the module.
    if value.is_object() {
        Ok(value.clone().unchecked_into())
    } else {
        Err(Error::invalid("options", "must be an object of named options"))
    }
}

fn string_argument(value: &JsValue, name: &'static str) -> Result<String> {
    match text_of(value) {
        Text::Short(s) => Ok(s),
        Text::TooLong => Err(Error::invalid(name, "is too long (over 1 MiB)")),
        Text::NotString => Err(Error::invalid(name, "must be a string")),
    }
}

/// The value of `o`'s own property `key`, or `undefined` when `o` has none: an option inherited
/// from a polluted `Object.prototype` (`apiBase`, `state`, `secret`…) is never read.
fn own(o: &JsValue, key: &str) -> std::result::Result<JsValue, JsValue> {
    let key = JsValue::from_str(key);
    if own_descriptor(o, &key)?.is_undefined() {
        return Ok(JsValue::UNDEFINED);
    }
    Reflect::get(o, &key)
}

/// An option's own value; a getter or Proxy trap that throws is `invalid_input`.
fn option(o: &Object, key: &'static str) -> Result<JsValue> {
    own(o, key).map_err(|_| Error::invalid(key, "could not be read"))
}

fn optional_string(o: &Object, key: &'static str) -> Result<Option<String>> {
    let value = option(o, key)?;
    if value.is_undefined() || value.is_null() {
        Ok(None)
    } else {
        string_argument(&value, key).map(Some)
    }
}

fn required_string(o: &Object, key: &'static str) -> Result<String> {
    optional_string(o, key)?.ok_or(Error::invalid(key, "is required"))
}

fn app_id(o: &Object) -> Result<String> {
    let value = option(o, "appId")?;
    if value.as_f64().is_some() || value.is_bigint() {
        // 19-digit app ids do not survive a JS number; insist on the string the portal shows.
        return Err(Error::invalid(
            "appId",
            "must be a string of digits, not a number (it exceeds what a JS number holds exactly)",
        ));
    }
    // The value already read: a getter runs once, so what was checked is what is used.
    if value.is_undefined() || value.is_null() {
        return Err(Error::invalid("appId", "is required"));
    }
    string_argument(&value, "appId")
}

fn timeout_ms(o: &Object) -> Result<u32> {
    let value = option(o, "timeoutMs")?;
    if value.is_undefined() || value.is_null() {
        return Ok(DEFAULT_TIMEOUT_MS);
    }
    validate_timeout_ms(value.as_f64().unwrap_or(f64::NAN))
}

/// Gives objects own data properties (writable, enumerable, configurable), defined rather than
/// assigned: a setter on a polluted prototype (`Object.prototype.accessToken`,
/// `Array.prototype[0]`, `Error.prototype.name`) is neither run nor able to throw.
struct Definer(Object);

impl Definer {
    fn new() -> Self {
        // Without a prototype, nothing inherited (`get`, `set`) is read as part of the descriptor.
        let descriptor = bare_object();
        for flag in ["writable", "enumerable", "configurable"] {
            let _ = Reflect::set(&descriptor, &flag.into(), &JsValue::TRUE);
        }
        Definer(descriptor)
    }

    // Not inlined: one copy for every caller.
    #[inline(never)]
    fn define(&self, target: &JsValue, key: &JsValue, value: &JsValue) {
        let _ = Reflect::set(&self.0, &"value".into(), value);
        let _ = define_property(target, key, &self.0);
    }

    fn record_on(&self, target: &JsValue, fields: &[(&str, JsValue)]) {
        for (key, value) in fields {
            self.define(target, &JsValue::from_str(key), value);
        }
        not_thenable(target);
    }
}

/// Gives `target` an own `then` that is `undefined` (not enumerable, so not in keys, spreads or
/// JSON): awaiting a result, or resolving a Promise with it, never runs a `then` inherited from a
/// polluted `Object.prototype` with the result (the token) as `this`.
#[inline(never)]
fn not_thenable(target: &JsValue) {
    // An empty descriptor without a prototype: an own data property holding `undefined`.
    let _ = define_property(target, &"then".into(), &bare_object());
}

fn record(fields: &[(&str, JsValue)]) -> JsValue {
    let o = Object::new();
    Definer::new().record_on(&o, fields);
    o.into()
}

fn array(items: impl Iterator<Item = JsValue>) -> JsValue {
    let (a, definer) = (Array::new(), Definer::new());
    for (i, item) in items.enumerate() {
        definer.define(&a, &JsValue::from(i as u32), &item);
    }
    not_thenable(&a);
    a.into()
}

fn strings_to_js(items: &[String]) -> JsValue {
    array(items.iter().map(|s| JsValue::from_str(s)))
}

fn grant_to_js(grant: &TokenGrant) -> JsValue {
    record(&[
        ("accessToken", grant.access_token.secret().into()),
        ("advertiserIds", strings_to_js(&grant.advertiser_ids)),
        ("scope", strings_to_js(&grant.scope)),
        (
            "requestId",
            grant
                .request_id
                .as_deref()
                .map_or(JsValue::NULL, JsValue::from_str),
        ),
        ("warnings", strings_to_js(&grant.warnings)),
    ])
}

fn advertiser_to_js(a: &Advertiser) -> JsValue {
    record(&[
        ("advertiserId", a.advertiser_id.as_str().into()),
        ("advertiserName", a.advertiser_name.as_str().into()),
    ])
}

/// An `Error` named `TikTokAuthError` with `kind` and, where they apply, `code`, `status`,
/// `requestId` and `hint` as own properties.
fn to_js_error(error: Error) -> JsValue {
    let js = js_sys::Error::new(&error.message());
    // `name` is defined too: a throwing `Error.prototype.name` setter must not unwind through here.
    // Each field is defined as it is found (no list built first: less wasm).
    let definer = Definer::new();
    let field = |key: &str, value: &JsValue| definer.define(&js, &JsValue::from_str(key), value);
    field("name", &"TikTokAuthError".into());
    field("kind", &error.kind().as_str().into());
    if let Some(code) = error.code() {
        field("code", &JsValue::from_f64(code as f64));
    }
    if let Some(status) = error.status() {
        field("status", &JsValue::from(status));
    }
    if let Some(request_id) = error.request_id() {
        field("requestId", &request_id.into());
    }
    if let Some(hint) = error.hint() {
        field("hint", &hint.into());
    }
    not_thenable(&js);
    js.into()
}
