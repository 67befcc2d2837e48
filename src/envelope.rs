//! Reading TikTok's answer: the `{code, message, request_id, data}` envelope (TikTok reports
//! errors with HTTP 200 and a non-zero `code`), and the members of its `data`.

use crate::error::{Error, Result};
use crate::json::{parse, Json, ParseFailure};
use crate::redact::{redact, redact_credentials};
use crate::text::{cat, excerpt};

/// The largest answer read, or pasted answer accepted: TikTok's are a few KB (200 advertisers
/// make about 15 KB). A larger one is refused before it is parsed or scanned for echoes of the
/// secret, which would otherwise take seconds, and memory the wasm never gives back. The
/// package's JavaScript (`npm/net.js`) and the relay stop reading past it (`npm/facts.js`).
pub const MAX_ANSWER_BYTES: usize = 1 << 20;

/// The error for an answer over [`MAX_ANSWER_BYTES`].
pub(crate) fn answer_too_large() -> Error {
    Error::invalid_response("the body is over 1 MiB, far more than any TikTok answer", None)
}
/// What a successful envelope's `data` must be.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum DataRule {
    /// `data` must be an object.
    Object,
    /// A missing or odd `data` reads as an empty object (a step whose `code: 0` says it all).
    Optional,
}

/// Turns what came back (status and body) into the envelope's `data` object, or the right
/// error; `secrets` are the request's credentials, kept out of every message.
pub(crate) fn open_answer(status: u16, body: &str, secrets: &[&str], rule: DataRule) -> Result<Envelope> {
    if body.len() > MAX_ANSWER_BYTES {
        return Err(answer_too_large());
    }
    if !(200..=299).contains(&status) {
        return Err(Error::HttpStatus {
            status,
            excerpt: status_excerpt(body, secrets),
        });
    }
    open_envelope_with(body, secrets, rule)
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
            ParseFailure::TooMany => "the JSON holds more than 50000 values".to_owned(),
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
}
