//! Where the requests go: TikTok's API bases, and [`ApiBase`], the checked base every network
//! step sends to.

use crate::error::{Error, Result};
use crate::text::{cat, find_bytes, split_once_byte, trim_end_byte};
use crate::url::{parse_http_url, require_https_unless_loopback};

// The page and the relay copy both bases (www/, npm/bin/relay.mjs): tests/facts.rs holds the copies.
/// TikTok Marketing API v1.3, production.
pub const PRODUCTION_API_BASE: &str = "https://business-api.tiktok.com/open_api/v1.3";
/// TikTok Marketing API v1.3, sandbox.
pub const SANDBOX_API_BASE: &str = "https://sandbox-ads.tiktok.com/open_api/v1.3";

/// The host of [`SANDBOX_API_BASE`].
const SANDBOX_HOST: &str = "sandbox-ads.tiktok.com";

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
            return Err(Error::invalid("apiBase", crate::error::SANDBOX_OAUTH2));
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

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

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
