//! One prepared HTTP request: everything the transport needs and nothing it decides, and how
//! long it may take.

use crate::api_base::ApiBase;
use crate::envelope::{open_answer, DataRule, Envelope};
use crate::error::{Error, Result};
use crate::text::cat;
use core::fmt;

/// Default request timeout.
pub const DEFAULT_TIMEOUT_MS: u32 = 30_000;
/// Longest accepted request timeout (10 minutes).
pub const MAX_TIMEOUT_MS: u32 = 600_000;

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
        open_answer(status, body, &self.secrets(), rule)
    }

    /// Every credential of the request, to keep out of messages and warnings.
    pub(crate) fn secrets(&self) -> Vec<&str> {
        self.secrets.iter().map(String::as_str).collect()
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    #[test]
    fn timeouts_are_bounded() {
        assert_eq!(validate_timeout_ms(1.0), Ok(1));
        assert_eq!(validate_timeout_ms(600_000.0), Ok(600_000));
        for bad in [0.0, -1.0, 1.5, 600_001.0, f64::NAN, f64::INFINITY] {
            assert!(validate_timeout_ms(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn answers_over_1_mib_are_refused_before_parsing() {
        let body = |n: usize| {
            format!(
                "{{\"code\":0,\"data\":{{\"access_token\":\"{}\"}}}}",
                "x".repeat(n)
            )
        };
        assert!(crate::envelope::open_envelope(&body(crate::envelope::MAX_ANSWER_BYTES - 40), &[]).is_ok());
        let request = HttpRequest::post_json(
            &ApiBase::parse("https://h/").unwrap(),
            "p/",
            String::new(),
            vec![],
        );
        for e in [
            crate::envelope::open_envelope(&body(crate::envelope::MAX_ANSWER_BYTES), &[]).unwrap_err(),
            request
                .read_answer(200, &body(crate::envelope::MAX_ANSWER_BYTES))
                .unwrap_err(),
            request
                .read_answer(502, &"<html>".repeat(crate::envelope::MAX_ANSWER_BYTES))
                .unwrap_err(),
        ] {
            assert_eq!(e.kind(), crate::error::ErrorKind::InvalidResponse, "{e:?}");
            assert!(e.message().contains("over 1 MiB"), "{}", e.message());
        }
    }
}
