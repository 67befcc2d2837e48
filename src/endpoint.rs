//! What both network steps share: the API base, a prepared HTTP request, reading TikTok's
//! `{code, message, request_id, data}` envelope and its fields, and the curl equivalent of a
//! request.

use crate::error::{Error, Result};
use crate::json::{parse, Json, ParseFailure};
use crate::secret::{redact, redact_credentials, AccessToken, AppSecret};
use crate::text::{cat, decimal_u64, excerpt, find_bytes, split_once_byte, trim_end_byte};
use crate::url::{parse_http_url, require_https_unless_loopback};
use core::fmt;

// The page and the relay copy both bases (www/, npm/bin/relay.mjs): tests/facts.rs holds the copies.
/// TikTok Marketing API v1.3, production.
pub const PRODUCTION_API_BASE: &str = "https://business-api.tiktok.com/open_api/v1.3";
/// TikTok Marketing API v1.3, sandbox.
pub const SANDBOX_API_BASE: &str = "https://sandbox-ads.tiktok.com/open_api/v1.3";

/// The host of [`SANDBOX_API_BASE`].
const SANDBOX_HOST: &str = "sandbox-ads.tiktok.com";

/// What is wrong with an `apiBase` on the sandbox host, for an `oauth2/*` call; its
/// [`Error::hint`] says where sandbox tokens come from.
pub(crate) const SANDBOX_OAUTH2: &str =
    "is TikTok's sandbox, which does not run this authorization flow (oauth2/*: the exchange, the advertiser lookup, revoke); nothing was sent";

/// Default request timeout.
pub const DEFAULT_TIMEOUT_MS: u32 = 30_000;
/// Longest accepted request timeout (10 minutes).
pub const MAX_TIMEOUT_MS: u32 = 600_000;

const MAX_SECRET_BYTES: usize = 1024;

/// The largest answer read, or pasted answer accepted: TikTok's are a few KB (200 advertisers
/// make about 15 KB). A larger one is refused before it is parsed or scanned for echoes of the
/// secret, which would otherwise take seconds, and memory the wasm never gives back.
pub(crate) const MAX_ANSWER_BYTES: usize = 1 << 20;

/// The error for an answer over [`MAX_ANSWER_BYTES`].
pub(crate) fn answer_too_large() -> Error {
    Error::invalid_response("the body is over 1 MiB, far more than any TikTok answer", None)
}
const MAX_TOKEN_BYTES: usize = 4096;

/// A validated API base such as [`PRODUCTION_API_BASE`], kept without a trailing slash.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiBase(String);

impl ApiBase {
    /// Checks and normalises a base URL given with or without a trailing slash.
    ///
    /// ```
    /// let base = tiktok_ads_auth::ApiBase::parse("http://127.0.0.1:8081/open_api/v1.3/")?;
    /// assert_eq!(base.as_str(), "http://127.0.0.1:8081/open_api/v1.3");
    /// # Ok::<(), tiktok_ads_auth::Error>(())
    /// ```
    pub fn parse(base: &str) -> Result<Self> {
        let url = parse_http_url("apiBase", base)?;
        require_https_unless_loopback("apiBase", &url)?;
        if url.query.is_some() || url.fragment.is_some() {
            return Err(Error::invalid(
                "apiBase",
                "must not contain a query (?…) or fragment (#…)",
            ));
        }
        Ok(ApiBase(trim_end_byte(base, b'/').to_owned()))
    }

    /// The production base, or the given one checked.
    pub fn or_production(base: Option<&str>) -> Result<Self> {
        match base {
            Some(b) => Self::parse(b),
            None => Ok(ApiBase(PRODUCTION_API_BASE.to_owned())),
        }
    }

    /// [`Self::or_production`] for an `oauth2/*` call (the exchange, the advertiser lookup, revoke):
    /// TikTok's sandbox host does not run them, so it is refused before anything is sent.
    ///
    /// Sandbox tokens are generated on the app's sandbox page in the developer portal instead
    /// (docs/tiktok.md, "Sandbox": TikTok's sandbox document as compiled; Airbyte asks sandbox
    /// users for a token). Only that host is refused: a stand-in or relay keeps working.
    pub(crate) fn for_oauth2(base: Option<&str>) -> Result<Self> {
        let base = Self::or_production(base)?;
        let authority = base.host();
        let host = match authority.strip_prefix('[') {
            Some(_) => authority,
            None => split_once_byte(authority, b':').map_or(authority, |(host, _)| host),
        };
        // A fully qualified name (trailing dot) is the same host.
        if trim_end_byte(host, b'.').eq_ignore_ascii_case(SANDBOX_HOST) {
            return Err(Error::invalid("apiBase", SANDBOX_OAUTH2));
        }
        Ok(base)
    }

    /// The base as a string, without a trailing slash.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// `{base}/{path}`; TikTok's paths end in `/` (its gateway answers 404 without it).
    pub(crate) fn endpoint(&self, path: &str) -> String {
        cat(&[&self.0, "/", path])
    }

    /// The host part, for messages that must not show a query.
    pub(crate) fn host(&self) -> &str {
        let after_scheme = find_bytes(&self.0, "://").map_or(0, |n| n + 3);
        let rest = &self.0[after_scheme..];
        split_once_byte(rest, b'/').map_or(rest, |(host, _)| host)
    }
}

/// Checks a timeout: 1 to [`MAX_TIMEOUT_MS`] milliseconds.
///
/// ```
/// assert_eq!(tiktok_ads_auth::validate_timeout_ms(5000.0), Ok(5000));
/// assert!(tiktok_ads_auth::validate_timeout_ms(0.5).is_err());
/// ```
pub fn validate_timeout_ms(timeout_ms: f64) -> Result<u32> {
    if timeout_ms.fract() == 0.0 && (1.0..=f64::from(MAX_TIMEOUT_MS)).contains(&timeout_ms) {
        Ok(timeout_ms as u32)
    } else {
        Err(Error::invalid(
            "timeoutMs",
            "must be a whole number of milliseconds from 1 to 600000",
        ))
    }
}

pub(crate) fn validate_secret(secret: &AppSecret) -> Result<&str> {
    let value = secret.secret().trim_ascii();
    if value.is_empty() {
        return Err(Error::invalid(
            "secret",
            "is required (the app's Secret from the TikTok developer portal)",
        ));
    }
    if value.len() > MAX_SECRET_BYTES {
        return Err(Error::invalid("secret", "is too long to be a TikTok app secret"));
    }
    if value.chars().any(char::is_control) {
        return Err(Error::invalid("secret", "must not contain control characters"));
    }
    Ok(value)
}

pub(crate) fn validate_access_token(token: &AccessToken) -> Result<&str> {
    let value = token.secret().trim_ascii();
    if value.is_empty() {
        return Err(Error::invalid("accessToken", "is required"));
    }
    if value.len() > MAX_TOKEN_BYTES {
        return Err(Error::invalid(
            "accessToken",
            "is too long to be a TikTok access token",
        ));
    }
    // It travels in an HTTP header, which only carries visible ASCII safely.
    if !value.bytes().all(|b| b.is_ascii_graphic()) {
        return Err(Error::invalid(
            "accessToken",
            "must contain only visible ASCII characters",
        ));
    }
    Ok(value)
}

/// The HTTP method of a prepared request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    /// `GET`
    Get,
    /// `POST`
    Post,
}

impl Method {
    /// `GET` or `POST`.
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
        }
    }
}

/// One fully prepared HTTP request: everything the transport needs, nothing it decides.
///
/// It carries credentials, so `Debug` shows only the method and the host.
#[derive(Clone)]
pub struct HttpRequest {
    /// The method.
    pub method: Method,
    /// The full URL (may carry the secret in its query: TikTok's advertiser endpoint wants it there).
    pub url: String,
    /// Headers to send.
    pub headers: Vec<(&'static str, String)>,
    /// The JSON body, for `POST`.
    pub body: Option<String>,
    /// The host, for messages.
    pub host: String,
    /// Every credential in the request, to scrub from anything the server echoes back.
    pub(crate) secrets: Vec<String>,
}

impl fmt::Debug for HttpRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&cat(&[
            "HttpRequest(",
            self.method.as_str(),
            " ",
            &self.host,
            ", [redacted])",
        ]))
    }
}

impl HttpRequest {
    pub(crate) fn post_json(base: &ApiBase, path: &str, body: String, secrets: Vec<String>) -> Self {
        HttpRequest {
            method: Method::Post,
            url: base.endpoint(path),
            headers: vec![("Content-Type", "application/json".to_owned())],
            body: Some(body),
            host: base.host().to_owned(),
            secrets,
        }
    }

    /// Turns what came back (status and body) into the envelope's `data` object, or the right
    /// error.
    pub(crate) fn read_answer(&self, status: u16, body: &str) -> Result<Envelope> {
        self.read_answer_with(status, body, DataRule::Object)
    }

    /// [`Self::read_answer`] for a step whose `code: 0` says it all: a missing or odd `data` is
    /// read as an empty object.
    pub(crate) fn read_outcome(&self, status: u16, body: &str) -> Result<Envelope> {
        self.read_answer_with(status, body, DataRule::Optional)
    }

    fn read_answer_with(&self, status: u16, body: &str, rule: DataRule) -> Result<Envelope> {
        if body.len() > MAX_ANSWER_BYTES {
            return Err(answer_too_large());
        }
        let secrets = self.secrets();
        if !(200..=299).contains(&status) {
            return Err(Error::HttpStatus {
                status,
                excerpt: status_excerpt(body, &secrets),
            });
        }
        open_envelope_with(body, &secrets, rule)
    }

    /// Every credential of the request, to keep out of messages and warnings.
    pub(crate) fn secrets(&self) -> Vec<&str> {
        self.secrets.iter().map(String::as_str).collect()
    }
}

/// What a successful envelope's `data` must be.
#[derive(Clone, Copy, PartialEq, Eq)]
enum DataRule {
    Object,
    Optional,
}

/// Whether a body starts like a JSON object or array (after leading whitespace).
fn looks_like_json(body: &str) -> bool {
    matches!(body.trim_ascii_start().as_bytes().first(), Some(b'{' | b'['))
}

/// What an error status's body may show: a JSON body only by its `message` (it could be a
/// passed-through success carrying a fresh token), anything else as a short, redacted excerpt.
fn status_excerpt(body: &str, secrets: &[&str]) -> String {
    if looks_like_json(body) {
        return match parse(body).ok().and_then(|root| match root.get("message") {
            Some(Json::Str(m)) => Some(m.clone()),
            _ => None,
        }) {
            Some(message) => excerpt(&redact(&message, secrets), 160),
            None => String::new(),
        };
    }
    excerpt(&redact(body, secrets), 160)
}

/// A successful envelope: its `data` object and `request_id`.
pub(crate) struct Envelope {
    pub data: Json,
    pub request_id: Option<String>,
}

/// `data` holds the access token: `Debug` never shows it.
impl std::fmt::Debug for Envelope {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Envelope")
            .field("data", &format_args!("[redacted]"))
            .field("request_id", &self.request_id)
            .finish()
    }
}

/// Reads `{code, message, request_id, data}`: `code != 0` is [`Error::Api`] (TikTok reports
/// errors with HTTP 200), anything malformed is [`Error::InvalidResponse`].
pub(crate) fn open_envelope(body: &str, secrets: &[&str]) -> Result<Envelope> {
    open_envelope_with(body, secrets, DataRule::Object)
}

fn open_envelope_with(body: &str, secrets: &[&str], rule: DataRule) -> Result<Envelope> {
    if body.len() > MAX_ANSWER_BYTES {
        return Err(answer_too_large());
    }
    let mut root = parse(body).map_err(|failure| {
        let problem = match failure {
            ParseFailure::TooDeep => "the JSON is nested too deeply".to_owned(),
            // Never quote a body that looks like JSON: a cut-off success still holds the token.
            ParseFailure::NotJson if looks_like_json(body) || body.trim_ascii().is_empty() => {
                if body.trim_ascii().is_empty() {
                    "the body is empty".to_owned()
                } else {
                    "the body is not valid JSON (cut off?)".to_owned()
                }
            }
            ParseFailure::NotJson => cat(&[
                "the body is not JSON (it starts with \"",
                &excerpt(&redact(body, secrets), 60),
                "\")",
            ]),
        };
        Error::invalid_response(problem, None)
    })?;
    if !matches!(root, Json::Obj(_)) {
        return Err(Error::invalid_response(
            cat(&["the body is ", root.type_name(), ", not an object"]),
            None,
        ));
    }
    let request_id = match root.get("request_id") {
        Some(Json::Str(s)) if !s.is_empty() => Some(quoted_request_id(s, secrets)),
        Some(Json::Int(n)) => Some(redact_credentials(n, secrets)),
        _ => None,
    };
    let code = match root.get("code") {
        Some(Json::Int(n)) => n.parse::<i64>().ok(),
        _ => None,
    };
    let Some(code) = code else {
        return Err(Error::invalid_response(
            "`code` is missing or not an integer",
            request_id.as_deref(),
        ));
    };
    if code != 0 {
        let message = match root.get("message") {
            Some(Json::Str(m)) => excerpt(&redact(m, secrets), 500),
            _ => String::new(),
        };
        return Err(Error::Api {
            code,
            message,
            request_id,
        });
    }
    let data = match root.take("data") {
        Some(data @ Json::Obj(_)) => data,
        _ if rule == DataRule::Optional => Json::Obj(Vec::new()),
        Some(other) => {
            return Err(Error::invalid_response(
                cat(&["`data` is ", other.type_name(), ", not an object"]),
                request_id.as_deref(),
            ))
        }
        None => {
            return Err(Error::invalid_response(
                "`data` is missing",
                request_id.as_deref(),
            ))
        }
    };
    Ok(Envelope { data, request_id })
}

/// A `request_id` as shown: TikTok's are about 34 letters and digits (a UTC timestamp, then
/// hex), kept whole minus any credential or piece of one ([`redact_credentials`]). An encoded
/// echo of a 40-character credential is longer than 48 or not alphanumeric (hex 80, base64 54+,
/// percent-encoding has `%`), and then goes through [`redact`] like any other server text.
fn quoted_request_id(id: &str, secrets: &[&str]) -> String {
    if id.len() <= 48 && id.bytes().all(|b| b.is_ascii_alphanumeric()) {
        redact_credentials(id, secrets)
    } else {
        excerpt(&redact(id, secrets), 128)
    }
}

/// A required non-empty string member of `data`.
pub(crate) fn required_string(env: &Envelope, name: &'static str) -> Result<String> {
    match env.data.get(name) {
        Some(Json::Str(s)) if !s.is_empty() => Ok(s.clone()),
        Some(Json::Str(_)) => Err(field_problem(env, name, " is empty")),
        Some(other) => Err(field_problem_typed(env, name, other)),
        None => Err(field_problem(env, name, " is missing")),
    }
}

/// Reads a list of ids without ever failing: what cannot be an exact id is left out with a
/// warning in plain words, never rounded (an answer TikTok gave after spending the single-use
/// code must reach the user). `path` names the field in `data`; `digits_only` leaves out strings
/// that are not decimal digits; `missing` is the warning for an absent field (none when `None`);
/// `hide` lists credentials a quoted value must never show.
pub(crate) fn read_ids(
    value: Option<&Json>,
    path: &str,
    digits_only: bool,
    missing: Option<&str>,
    hide: &[&str],
    warnings: &mut Vec<String>,
) -> Vec<String> {
    let mut ids = Vec::new();
    let field = cat(&["`data.", path, "`"]);
    match value {
        None | Some(Json::Null) => warnings.extend(missing.map(str::to_owned)),
        Some(Json::Arr(items)) => {
            for (i, item) in items.iter().enumerate() {
                let name = cat(&["`data.", path, "[", &decimal_u64(i as u64), "]`"]);
                read_id(item, &name, digits_only, hide, &mut ids, warnings);
            }
        }
        Some(Json::Str(s)) if s.trim_ascii().eq_ignore_ascii_case("all") => warnings.push(cat(&[
            &field,
            " is \"all\" instead of a list of ids, so the answer does not say which ones it covers.",
        ])),
        // One value where a list belongs: read as one id (a text like "4,10" is then shown in
        // its warning rather than split on a guess about a shape nobody has seen).
        Some(single @ (Json::Str(_) | Json::Int(_) | Json::Float(_))) => {
            warnings.push(cat(&[
                &field,
                " is a single value, not a list; it was read as a list of that one value.",
            ]));
            read_id(single, &field, digits_only, hide, &mut ids, warnings);
        }
        Some(other) => warnings.push(cat(&[
            &field,
            " is ",
            other.type_name(),
            ", not a list of ids; it was left out.",
        ])),
    }
    ids
}

/// One id of [`read_ids`]: added to `ids`, or left out with a warning naming it (`name`).
fn read_id(
    item: &Json,
    name: &str,
    digits_only: bool,
    hide: &[&str],
    ids: &mut Vec<String>,
    warnings: &mut Vec<String>,
) {
    let shown = |text: &str, quote: &str| -> String {
        if text.is_empty() {
            String::new()
        } else {
            cat(&[" (", quote, &excerpt(&redact(text, hide), 40), quote, ")"])
        }
    };
    let (value, why) = match item {
        Json::Int(n) if !n.starts_with("-") => return ids.push(n.clone()),
        Json::Int(n) => (shown(n, ""), " is negative, so it is not an id"),
        Json::Float(text) => (
            shown(text, ""),
            " has a fraction or an exponent, so it is not an exact id (it was not rounded)",
        ),
        Json::Str(s) => {
            let id = s.trim_ascii();
            if id.is_empty() {
                (String::new(), " is an empty text")
            } else if !digits_only || id.bytes().all(|b| b.is_ascii_digit()) {
                return ids.push(id.to_owned());
            } else {
                (shown(id, "\""), " is not a number")
            }
        }
        Json::Null => (String::new(), " is null, not an id"),
        Json::Bool(_) => (String::new(), " is a boolean, not an id"),
        Json::Arr(_) | Json::Obj(_) => (String::new(), " is a list or an object, not an id"),
    };
    warnings.push(cat(&[name, &value, why, "; it was left out."]));
}

/// An id as its exact decimal string: a non-empty string, or an integer held exactly.
pub(crate) fn id_value(value: &Json) -> Option<String> {
    match value {
        Json::Str(s) if !s.trim_ascii().is_empty() => Some(s.trim_ascii().to_owned()),
        Json::Int(n) if !n.starts_with("-") => Some(n.clone()),
        _ => None,
    }
}

pub(crate) fn field_problem(env: &Envelope, name: &str, problem: &str) -> Error {
    Error::invalid_response(cat(&["`data.", name, "`", problem]), env.request_id.as_deref())
}

pub(crate) fn field_problem_typed(env: &Envelope, name: &str, value: &Json) -> Error {
    field_problem(
        env,
        name,
        &cat(&[" is ", value.type_name(), ", not the expected type"]),
    )
}

pub(crate) fn indexed_problem(env: &Envelope, path: &str, index: usize, value: &Json) -> Error {
    let why = match value {
        Json::Float(_) => " is a number with a fraction or an exponent, so it is not an exact id",
        Json::Int(_) => " is a negative number, not an id",
        Json::Str(_) => " is an empty string",
        _ => " is not a string or integer id",
    };
    let name = cat(&[path, "[", &decimal_u64(index as u64), "]"]);
    field_problem(env, &name, why)
}

/// Quotes a word for a POSIX shell: inside single quotes nothing is special but `'` itself.
pub(crate) fn shell_quote(word: &str) -> String {
    cat(&["'", &word.replace('\'', "'\\''"), "'"])
}

/// The curl equivalent of a prepared request. `-g` turns curl's URL globbing off: without it an
/// API base with `[1-3]` or `{a,b}` in its path would send one request per expansion.
pub(crate) fn curl_command(request: &HttpRequest) -> String {
    let mut out = cat(&[
        "curl -sS -g -X ",
        request.method.as_str(),
        " ",
        &shell_quote(&request.url),
    ]);
    for (name, value) in &request.headers {
        out.push_str(" \\\n  -H ");
        out.push_str(&shell_quote(&cat(&[name, ": ", value])));
    }
    if let Some(body) = &request.body {
        out.push_str(" \\\n  --data-raw ");
        out.push_str(&shell_quote(body));
    }
    out
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    #[test]
    fn an_envelope_debug_never_shows_its_data() {
        let body = r#"{"code":0,"message":"OK","request_id":"r1","data":{"access_token":"T0KEN-xyz"}}"#;
        let shown = format!("{:?}", open_envelope(body, &[]).unwrap());
        assert!(!shown.contains("T0KEN-xyz"), "{shown}");
        assert!(shown.contains("[redacted]") && shown.contains("r1"), "{shown}");
    }

    #[test]
    fn answers_over_1_mib_are_refused_before_parsing() {
        let body = |n: usize| {
            format!(
                "{{\"code\":0,\"data\":{{\"access_token\":\"{}\"}}}}",
                "x".repeat(n)
            )
        };
        assert!(open_envelope(&body(MAX_ANSWER_BYTES - 40), &[]).is_ok());
        let request = HttpRequest::post_json(
            &ApiBase::parse("https://h/").unwrap(),
            "p/",
            String::new(),
            vec![],
        );
        for e in [
            open_envelope(&body(MAX_ANSWER_BYTES), &[]).unwrap_err(),
            request.read_answer(200, &body(MAX_ANSWER_BYTES)).unwrap_err(),
            request
                .read_answer(502, &"<html>".repeat(MAX_ANSWER_BYTES))
                .unwrap_err(),
        ] {
            assert_eq!(e.kind(), crate::error::ErrorKind::InvalidResponse, "{e:?}");
            assert!(e.message().contains("over 1 MiB"), "{}", e.message());
        }
    }

    #[test]
    fn shell_quoting_survives_quotes() {
        assert_eq!(shell_quote("a'b"), r"'a'\''b'");
        assert_eq!(shell_quote(""), "''");
    }

    #[test]
    fn timeouts_are_bounded() {
        assert_eq!(validate_timeout_ms(1.0), Ok(1));
        assert_eq!(validate_timeout_ms(600_000.0), Ok(600_000));
        for bad in [0.0, -1.0, 1.5, 600_001.0, f64::NAN, f64::INFINITY] {
            assert!(validate_timeout_ms(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn api_base_host_hides_the_path() {
        assert_eq!(
            ApiBase::parse("https://h.example:8/x/").unwrap().host(),
            "h.example:8"
        );
        assert_eq!(
            ApiBase::or_production(None).unwrap().as_str(),
            PRODUCTION_API_BASE
        );
    }
}
