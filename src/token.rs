//! Step 3: exchanging the auth code for a long-term access token — the request, the curl
//! fallback, and reading TikTok's `{code, message, request_id, data}` envelope.

use crate::authorize::validate_app_id;
use crate::error::{Error, Result};
use crate::json::{object_of_strings, parse, try_map, Json, ParseFailure};
use crate::redirect::validate_auth_code;
use crate::secret::{AccessToken, AppSecret, AuthCode};
use crate::text::{cat, decimal_u64, excerpt, redact};
use crate::url::parse_http_url;
use core::fmt;

/// TikTok Marketing API v1.3, production.
pub const PRODUCTION_API_BASE: &str = "https://business-api.tiktok.com/open_api/v1.3";
/// TikTok Marketing API v1.3, sandbox.
pub const SANDBOX_API_BASE: &str = "https://sandbox-ads.tiktok.com/open_api/v1.3";

/// Default request timeout.
pub const DEFAULT_TIMEOUT_MS: u32 = 30_000;
/// Longest accepted request timeout (10 minutes).
pub const MAX_TIMEOUT_MS: u32 = 600_000;

const MAX_SECRET_BYTES: usize = 1024;
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
        if url.query.is_some() || url.fragment.is_some() {
            return Err(Error::invalid(
                "apiBase",
                "must not contain a query (?…) or fragment (#…)",
            ));
        }
        Ok(ApiBase(crate::url::trim_end_byte(base, b'/').to_owned()))
    }

    /// The production base, or the given one checked.
    pub fn or_production(base: Option<&str>) -> Result<Self> {
        match base {
            Some(b) => Self::parse(b),
            None => Ok(ApiBase(PRODUCTION_API_BASE.to_owned())),
        }
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
        let after_scheme = crate::url::find_bytes(&self.0, "://").map_or(0, |n| n + 3);
        let rest = &self.0[after_scheme..];
        crate::url::split_once_byte(rest, b'/').map_or(rest, |(host, _)| host)
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

    /// Turns what came back (status and body) into the envelope's `data`, or the right error.
    pub(crate) fn read_answer(&self, status: u16, body: &str) -> Result<Envelope> {
        let secrets: Vec<&str> = self.secrets.iter().map(String::as_str).collect();
        if !(200..=299).contains(&status) {
            return Err(Error::HttpStatus {
                status,
                excerpt: status_excerpt(body, &secrets),
            });
        }
        open_envelope(body, &secrets)
    }
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
        Some(Json::Str(s)) if !s.is_empty() => Some(excerpt(&redact(s, secrets), 128)),
        Some(Json::Int(n)) => Some(n.clone()),
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

/// A required non-empty string member of `data`.
pub(crate) fn required_string(env: &Envelope, name: &'static str) -> Result<String> {
    match env.data.get(name) {
        Some(Json::Str(s)) if !s.is_empty() => Ok(s.clone()),
        Some(Json::Str(_)) => Err(field_problem(env, name, " is empty")),
        Some(other) => Err(field_problem_typed(env, name, other)),
        None => Err(field_problem(env, name, " is missing")),
    }
}

/// A list of ids, each a string or an exact integer; `path` names it in messages.
pub(crate) fn id_list(env: &Envelope, value: Option<&Json>, path: &'static str) -> Result<Vec<String>> {
    let items = match value {
        Some(Json::Arr(items)) => items,
        Some(other) => return Err(field_problem_typed(env, path, other)),
        None => return Err(field_problem(env, path, " is missing")),
    };
    try_map(items, |i, item| {
        id_value(item).ok_or_else(|| indexed_problem(env, path, i, item))
    })
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

fn field_problem_typed(env: &Envelope, name: &str, value: &Json) -> Error {
    field_problem(
        env,
        name,
        &cat(&[" is ", value.type_name(), ", not the expected type"]),
    )
}

pub(crate) fn indexed_problem(env: &Envelope, path: &str, index: usize, value: &Json) -> Error {
    let why = match value {
        Json::Float(_) => " is a number that cannot be an exact id (fraction, exponent or too large)",
        Json::Int(_) => " is a negative number, not an id",
        Json::Str(_) => " is an empty string",
        _ => " is not a string or integer id",
    };
    let name = cat(&[path, "[", &decimal_u64(index as u64), "]"]);
    field_problem(env, &name, why)
}

/// What a successful exchange gives: the long-term token and the advertisers it can read.
///
/// `Debug` redacts the token.
#[derive(Debug, Clone)]
pub struct TokenGrant {
    /// The long-term access token (no expiry; dies when the advertiser revokes it).
    pub access_token: AccessToken,
    /// The advertiser accounts the token can act for, as exact decimal strings.
    pub advertiser_ids: Vec<String>,
    /// The permission scopes granted.
    pub scope: Vec<u32>,
    /// TikTok's `request_id` of the exchange.
    pub request_id: Option<String>,
}

/// Everything needed to exchange an auth code: app id, secret, the code and the API base.
#[derive(Debug, Clone)]
pub struct TokenRequest {
    app_id: String,
    secret: AppSecret,
    auth_code: AuthCode,
    api_base: ApiBase,
}

impl TokenRequest {
    /// Checks every argument; `api_base` defaults to [`PRODUCTION_API_BASE`].
    ///
    /// ```
    /// use tiktok_ads_auth::{AppSecret, AuthCode, TokenRequest};
    /// let request = TokenRequest::new(
    ///     "7123456789012345678",
    ///     &AppSecret::new("my-secret"),
    ///     &AuthCode::new("the-code"),
    ///     None,
    /// )?;
    /// assert_eq!(request.url(), "https://business-api.tiktok.com/open_api/v1.3/oauth2/access_token/");
    /// assert!(format!("{request:?}").contains("[redacted]"));
    /// # Ok::<(), tiktok_ads_auth::Error>(())
    /// ```
    pub fn new(
        app_id: &str,
        secret: &AppSecret,
        auth_code: &AuthCode,
        api_base: Option<&str>,
    ) -> Result<Self> {
        Ok(TokenRequest {
            app_id: validate_app_id(app_id)?.to_owned(),
            secret: AppSecret::new(validate_secret(secret)?),
            auth_code: AuthCode::new(validate_auth_code(auth_code.secret())?),
            api_base: ApiBase::or_production(api_base)?,
        })
    }

    /// The exchange endpoint, with the trailing slash TikTok requires.
    pub fn url(&self) -> String {
        self.api_base.endpoint("oauth2/access_token/")
    }

    /// The JSON body `{"app_id", "secret", "auth_code"}`. It contains the secret.
    pub fn body(&self) -> String {
        object_of_strings(&[
            ("app_id", &self.app_id),
            ("secret", self.secret.secret()),
            ("auth_code", self.auth_code.secret()),
        ])
    }

    /// The prepared HTTP request.
    pub fn http_request(&self) -> HttpRequest {
        HttpRequest::post_json(
            &self.api_base,
            "oauth2/access_token/",
            self.body(),
            vec![
                self.secret.secret().to_owned(),
                self.auth_code.secret().to_owned(),
            ],
        )
    }

    /// A POSIX-shell command that sends exactly this request with curl — the fallback when a
    /// browser may not call TikTok's API directly (CORS). It contains the secret.
    ///
    /// ```
    /// use tiktok_ads_auth::{AppSecret, AuthCode, TokenRequest};
    /// let request = TokenRequest::new("1", &AppSecret::new("it's"), &AuthCode::new("c"), None)?;
    /// assert_eq!(
    ///     request.curl(),
    ///     "curl -sS -X POST 'https://business-api.tiktok.com/open_api/v1.3/oauth2/access_token/' \\\n  \
    ///      -H 'Content-Type: application/json' \\\n  \
    ///      --data-raw '{\"app_id\":\"1\",\"secret\":\"it'\\''s\",\"auth_code\":\"c\"}'"
    /// );
    /// # Ok::<(), tiktok_ads_auth::Error>(())
    /// ```
    pub fn curl(&self) -> String {
        curl_command(&self.http_request())
    }

    /// Reads the exchange's answer (status and body) into a [`TokenGrant`] or the right error.
    pub fn read_answer(&self, status: u16, body: &str) -> Result<TokenGrant> {
        let env = self.http_request().read_answer(status, body)?;
        grant_from(&env)
    }
}

/// Reads a token answer pasted by a person (e.g. from the curl fallback).
///
/// ```
/// let grant = tiktok_ads_auth::parse_token_response(
///     r#"{"code":0,"message":"OK","request_id":"2024","data":{"access_token":"tok",
///         "advertiser_ids":["7000000000000000001", 7123456789012345678],"scope":[4,5]}}"#,
/// )?;
/// assert_eq!(grant.access_token.secret(), "tok");
/// assert_eq!(grant.advertiser_ids, ["7000000000000000001", "7123456789012345678"]);
/// assert_eq!(grant.scope, [4, 5]);
/// # Ok::<(), tiktok_ads_auth::Error>(())
/// ```
pub fn parse_token_response(body: &str) -> Result<TokenGrant> {
    grant_from(&open_envelope(body, &[])?)
}

fn grant_from(env: &Envelope) -> Result<TokenGrant> {
    let token = required_string(env, "access_token")?;
    let advertiser_ids = id_list(env, env.data.get("advertiser_ids"), "advertiser_ids")?;
    let scope = match env.data.get("scope") {
        None | Some(Json::Null) => Vec::new(),
        Some(Json::Arr(items)) => try_map(items, |i, item| {
            match item {
                Json::Int(n) => n.parse::<u32>().ok(),
                _ => None,
            }
            .ok_or_else(|| {
                let name = cat(&["scope[", &decimal_u64(i as u64), "]"]);
                field_problem(env, &name, " is not a scope number")
            })
        })?,
        Some(other) => return Err(field_problem_typed(env, "scope", other)),
    };
    Ok(TokenGrant {
        access_token: AccessToken::new(token),
        advertiser_ids,
        scope,
        request_id: env.request_id.clone(),
    })
}

/// Quotes a word for a POSIX shell: inside single quotes nothing is special but `'` itself.
pub(crate) fn shell_quote(word: &str) -> String {
    cat(&["'", &word.replace('\'', "'\\''"), "'"])
}

/// The curl equivalent of a prepared request.
pub(crate) fn curl_command(request: &HttpRequest) -> String {
    let mut out = cat(&[
        "curl -sS -X ",
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
    use crate::error::ErrorKind;

    fn request() -> TokenRequest {
        TokenRequest::new(
            "123",
            &AppSecret::new("S3CRET"),
            &AuthCode::new("C0DE"),
            Some("http://127.0.0.1:9/open_api/v1.3/"),
        )
        .unwrap()
    }

    #[test]
    fn an_envelope_debug_never_shows_its_data() {
        let body = r#"{"code":0,"message":"OK","request_id":"r1","data":{"access_token":"T0KEN-xyz"}}"#;
        let shown = format!("{:?}", open_envelope(body, &[]).unwrap());
        assert!(!shown.contains("T0KEN-xyz"), "{shown}");
        assert!(shown.contains("[redacted]") && shown.contains("r1"), "{shown}");
    }

    #[test]
    fn request_has_the_trailing_slash_and_exact_body() {
        let r = request();
        assert_eq!(r.url(), "http://127.0.0.1:9/open_api/v1.3/oauth2/access_token/");
        assert_eq!(
            r.body(),
            r#"{"app_id":"123","secret":"S3CRET","auth_code":"C0DE"}"#
        );
        let http = r.http_request();
        assert_eq!(http.method, Method::Post);
        assert_eq!(
            http.headers,
            vec![("Content-Type", "application/json".to_owned())]
        );
        assert_eq!(format!("{http:?}"), "HttpRequest(POST 127.0.0.1:9, [redacted])");
        assert!(!format!("{r:?}").contains("S3CRET"));
    }

    #[test]
    fn inputs_are_checked_and_trimmed() {
        let secret = AppSecret::new(" S ");
        let code = AuthCode::new("C");
        assert!(TokenRequest::new(" 1 ", &secret, &code, None)
            .unwrap()
            .body()
            .contains(r#""secret":"S""#));
        for (app, s, c, base, arg) in [
            ("", "s", "c", None, "appId"),
            ("1", "", "c", None, "secret"),
            ("1", "  ", "c", None, "secret"),
            ("1", "a\u{7}", "c", None, "secret"),
            ("1", "s", "", None, "authCode"),
            ("1", "s", "a b", None, "authCode"),
            ("1", "s", "c", Some("ftp://x"), "apiBase"),
            ("1", "s", "c", Some("https://x/?q=1"), "apiBase"),
        ] {
            match TokenRequest::new(app, &AppSecret::new(s), &AuthCode::new(c), base) {
                Err(Error::InvalidInput { argument, .. }) => assert_eq!(argument, arg),
                other => panic!("{app} {s} {c}: {other:?}"),
            }
        }
    }

    #[test]
    fn success_is_read_exactly() {
        let grant = request()
            .read_answer(200, r#"{"code":0,"message":"OK","request_id":"r1","data":{"access_token":"T","advertiser_ids":["1",2,9007199254740993],"scope":[4]}}"#)
            .unwrap();
        assert_eq!(grant.access_token.secret(), "T");
        assert_eq!(grant.advertiser_ids, ["1", "2", "9007199254740993"]);
        assert_eq!(grant.request_id.as_deref(), Some("r1"));
        assert!(!format!("{grant:?}").contains("\"T\""));
    }

    fn err(status: u16, body: &str) -> Error {
        request().read_answer(status, body).unwrap_err()
    }

    #[test]
    fn each_failure_has_its_kind() {
        let cases: &[(u16, &str, ErrorKind)] = &[
            (502, "<html>Bad Gateway</html>", ErrorKind::HttpStatus),
            (404, "", ErrorKind::HttpStatus),
            (200, "<html>login</html>", ErrorKind::InvalidResponse),
            (200, "", ErrorKind::InvalidResponse),
            (
                200,
                r#"{"code":0,"data":{"access_token":"T","advertiser"#,
                ErrorKind::InvalidResponse,
            ),
            (200, "[]", ErrorKind::InvalidResponse),
            (200, "null", ErrorKind::InvalidResponse),
            (200, r#"{"code":"0","data":{}}"#, ErrorKind::InvalidResponse),
            (200, r#"{"code":0.5,"data":{}}"#, ErrorKind::InvalidResponse),
            (200, r#"{"code":0}"#, ErrorKind::InvalidResponse),
            (200, r#"{"code":0,"data":[]}"#, ErrorKind::InvalidResponse),
            (
                200,
                r#"{"code":0,"data":{"access_token":5,"advertiser_ids":[]}}"#,
                ErrorKind::InvalidResponse,
            ),
            (
                200,
                r#"{"code":0,"data":{"access_token":"","advertiser_ids":[]}}"#,
                ErrorKind::InvalidResponse,
            ),
            (
                200,
                r#"{"code":0,"data":{"access_token":"T","advertiser_ids":"1"}}"#,
                ErrorKind::InvalidResponse,
            ),
            (
                200,
                r#"{"code":0,"data":{"access_token":"T","advertiser_ids":[7.1e18]}}"#,
                ErrorKind::InvalidResponse,
            ),
            (
                200,
                r#"{"code":0,"data":{"access_token":"T","advertiser_ids":[1.5]}}"#,
                ErrorKind::InvalidResponse,
            ),
            (
                200,
                r#"{"code":0,"data":{"access_token":"T","advertiser_ids":[null]}}"#,
                ErrorKind::InvalidResponse,
            ),
            (
                200,
                r#"{"code":0,"data":{"access_token":"T","advertiser_ids":[],"scope":["4"]}}"#,
                ErrorKind::InvalidResponse,
            ),
            (
                200,
                r#"{"code":40110,"message":"Auth code expired","request_id":"r9","data":{}}"#,
                ErrorKind::ApiError,
            ),
            (200, r#"{"code":-1,"message":5}"#, ErrorKind::ApiError),
        ];
        for (status, body, kind) in cases {
            assert_eq!(err(*status, body).kind(), *kind, "{status} {body}");
        }
    }

    #[test]
    fn api_error_carries_code_message_request_id_and_hint() {
        let e = err(
            200,
            r#"{"code":40110,"message":"Auth code expired","request_id":"r9","data":{}}"#,
        );
        assert_eq!(e.code(), Some(40110));
        assert_eq!(e.request_id(), Some("r9"));
        assert!(e.hint().unwrap().contains("fresh code"));
        assert_eq!(
            e.message(),
            "TikTok refused the request (code 40110): Auth code expired"
        );
    }

    #[test]
    fn nothing_echoed_back_leaks_the_secret_or_code() {
        for (status, body) in [
            (500, "echo: S3CRET C0DE"),
            (200, "echo: S3CRET C0DE"),
            (
                200,
                r#"{"code":40101,"message":"bad secret S3CRET for C0DE","request_id":"S3CRET"}"#,
            ),
            (200, r#"{"code":0,"message":"OK","data":{"access_token":"S3CRET"#),
        ] {
            let e = err(status, body);
            let shown = format!("{} {:?} {:?} {:?}", e.message(), e.hint(), e.request_id(), e);
            assert!(!shown.contains("S3CRET") && !shown.contains("C0DE"), "{shown}");
        }
    }

    #[test]
    fn ids_keep_every_digit() {
        let grant = parse_token_response(
            r#"{"code":0,"data":{"access_token":"T","advertiser_ids":[7123456789012345678,18446744073709551615,99999999999999999999]}}"#,
        )
        .unwrap();
        assert_eq!(
            grant.advertiser_ids,
            [
                "7123456789012345678",
                "18446744073709551615",
                "99999999999999999999"
            ]
        );
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
