//! Step 4: using the token — advertiser names, and revoking the token.

use crate::api_base::ApiBase;
use crate::credentials::{AccessToken, AppId, AppSecret};
use crate::curl::curl_command;
use crate::envelope::field_problem;
use crate::error::Result;
use crate::http::{HttpRequest, Method};
use crate::ids::{holds_credential, id_value, indexed_problem, not_an_id, read_ids, HOLDS_CREDENTIAL};
use crate::json::{object_of_strings, try_map, Json};
use crate::redact::redact_pieces;
use crate::text::cat;
use crate::url::encode_component;

/// The advertiser lookup's path below the API base, `GET` (docs/tiktok.md, "Advertiser lookup").
pub const ADVERTISER_GET_PATH: &str = "oauth2/advertiser/get/";
/// The revocation's path below the API base, `POST` (docs/tiktok.md, "Revoke").
pub const REVOKE_TOKEN_PATH: &str = "oauth2/revoke_token/";

/// An advertiser account the token can act for.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "camelCase"))]
pub struct Advertiser {
    /// The advertiser id, as an exact decimal string.
    pub advertiser_id: String,
    /// The account's display name (empty when TikTok sends none).
    pub advertiser_name: String,
}

/// The app credentials plus a token: what both advertiser calls need.
#[derive(Debug, Clone)]
pub struct TokenCall {
    access_token: AccessToken,
    app_id: AppId,
    secret: AppSecret,
    api_base: ApiBase,
}

impl TokenCall {
    /// Checks every argument as [`AccessToken::parse`], [`AppId::parse`] and [`AppSecret::parse`]
    /// do (surrounding whitespace removed); `api_base` defaults to production.
    ///
    /// ```
    /// use tiktok_ads_auth::{AccessToken, AppSecret, Method, TokenCall};
    /// let call = TokenCall::new(&AccessToken::new("t0ken"), "42", &AppSecret::new("s3cret"), None)?;
    /// let list = call.advertisers_request();
    /// assert_eq!(list.method, Method::Get);
    /// assert!(list.url.ends_with("/oauth2/advertiser/get/?app_id=42&secret=s3cret"));
    /// assert_eq!(list.headers, [("Access-Token", "t0ken".to_owned())]);
    /// let revoke = call.revoke_request();
    /// assert_eq!(revoke.body.as_deref(), Some(r#"{"app_id":"42","secret":"s3cret","access_token":"t0ken"}"#));
    /// # Ok::<(), tiktok_ads_auth::Error>(())
    /// ```
    pub fn new(
        access_token: &AccessToken,
        app_id: &str,
        secret: &AppSecret,
        api_base: Option<&str>,
    ) -> Result<Self> {
        Ok(TokenCall {
            access_token: AccessToken::parse(access_token.secret())?,
            app_id: AppId::parse(app_id)?,
            secret: AppSecret::parse(secret.secret())?,
            api_base: ApiBase::for_oauth2(api_base)?,
        })
    }

    fn secrets(&self) -> Vec<String> {
        vec![
            self.secret.secret().to_owned(),
            self.access_token.secret().to_owned(),
        ]
    }

    /// `GET oauth2/advertiser/get/?app_id=…&secret=…` with the `Access-Token` header.
    ///
    /// TikTok wants the secret in this query string; it goes only to the API, never to the page's
    /// address bar, and is kept out of every message.
    pub fn advertisers_request(&self) -> HttpRequest {
        HttpRequest {
            method: Method::Get,
            url: cat(&[
                &self.api_base.endpoint(ADVERTISER_GET_PATH),
                "?app_id=",
                self.app_id.as_str(),
                "&secret=",
                &encode_component(self.secret.secret()),
            ]),
            headers: vec![("Access-Token", self.access_token.secret().to_owned())],
            body: None,
            host: self.api_base.host().to_owned(),
            secrets: self.secrets(),
        }
    }

    /// A POSIX-shell command that sends exactly [`Self::advertisers_request`] with curl: the
    /// lookup where a browser may not call TikTok's API (CORS). It contains the secret and the token.
    ///
    /// ```
    /// # use tiktok_ads_auth::{AccessToken, AppSecret, TokenCall};
    /// let call = TokenCall::new(&AccessToken::new("t0ken"), "42", &AppSecret::new(" s3cret "), None)?;
    /// assert_eq!(
    ///     call.advertisers_curl(),
    ///     "curl -sS -g -X GET 'https://business-api.tiktok.com/open_api/v1.3/oauth2/advertiser/get/?app_id=42&secret=s3cret' \\\n  \
    ///      -H 'Access-Token: t0ken'"
    /// );
    /// # Ok::<(), tiktok_ads_auth::Error>(())
    /// ```
    pub fn advertisers_curl(&self) -> String {
        curl_command(&self.advertisers_request())
    }

    /// `POST oauth2/revoke_token/` with `{app_id, secret, access_token}`.
    pub fn revoke_request(&self) -> HttpRequest {
        let body = object_of_strings(&[
            ("app_id", self.app_id.as_str()),
            ("secret", self.secret.secret()),
            ("access_token", self.access_token.secret()),
        ]);
        HttpRequest::post_json(&self.api_base, REVOKE_TOKEN_PATH, body, self.secrets())
    }

    /// Reads the advertiser list from `data.list`.
    ///
    /// ```
    /// # use tiktok_ads_auth::{AccessToken, AppSecret, TokenCall};
    /// # let call = TokenCall::new(&AccessToken::new("t"), "42", &AppSecret::new("s"), None)?;
    /// let list = call.read_advertisers(200, r#"{"code":0,"data":{"list":[
    ///     {"advertiser_id":"7000000000000000001","advertiser_name":"Shop"}]}}"#)?;
    /// assert_eq!(list[0].advertiser_name, "Shop");
    /// let e = call.read_advertisers(200, r#"{"code":40105,"message":"Access token is invalid"}"#).unwrap_err();
    /// assert_eq!(e.kind().as_str(), "api_error");
    /// # Ok::<(), tiktok_ads_auth::Error>(())
    /// ```
    pub fn read_advertisers(&self, status: u16, body: &str) -> Result<Vec<Advertiser>> {
        let request = self.advertisers_request();
        let env = request.read_answer(status, body)?;
        let secrets = request.secrets();
        let items = match env.data.get("list") {
            Some(Json::Arr(items)) => items,
            Some(_) => return Err(field_problem(&env, "list", " is not an array")),
            None => return Err(field_problem(&env, "list", " is missing")),
        };
        try_map(items, |i, item| {
            let id = item.get("advertiser_id").and_then(id_value);
            let name = match item.get("advertiser_name") {
                // A relay echoing the request could put a credential here: never shown.
                Some(Json::Str(s)) => redact_pieces(s, &secrets),
                _ => String::new(),
            };
            match id {
                Some(advertiser_id) if !holds_credential(&advertiser_id, &secrets) => Ok(Advertiser {
                    advertiser_id,
                    advertiser_name: name,
                }),
                // A relay echoing the request could put a credential in an id too: the answer is
                // refused (the lookup can be run again; nothing is spent), the id named by its
                // position only.
                Some(_) => Err(indexed_problem(&env, "list", i, HOLDS_CREDENTIAL)),
                None => Err(indexed_problem(
                    &env,
                    "list",
                    i,
                    not_an_id(item.get("advertiser_id").unwrap_or(&Json::Null)),
                )),
            }
        })
    }

    /// Reads the revoked advertiser ids from `data.advertiser_ids`: `code: 0` means revoked, and
    /// an answer without ids (or with odd ones) gives the ids it does hold, possibly none.
    ///
    /// ```
    /// # use tiktok_ads_auth::{AccessToken, AppSecret, TokenCall};
    /// # let call = TokenCall::new(&AccessToken::new("t"), "42", &AppSecret::new("s"), None)?;
    /// assert_eq!(call.read_revoke(200, r#"{"code":0,"data":{"advertiser_ids":["1"]}}"#)?, ["1"]);
    /// # Ok::<(), tiktok_ads_auth::Error>(())
    /// ```
    pub fn read_revoke(&self, status: u16, body: &str) -> Result<Vec<String>> {
        let request = self.revoke_request();
        let env = request.read_outcome(status, body)?;
        // `code: 0` means revoked; the shape of `data` is unverified (docs/tiktok.md, "Revoke":
        // third-party clients only), so a missing or odd id list is no reason to fail.
        let mut ignored = Vec::new();
        Ok(read_ids(
            env.data.get("advertiser_ids"),
            "advertiser_ids",
            false,
            None,
            &request.secrets(),
            &mut ignored,
        ))
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::error::ErrorKind;

    fn call() -> TokenCall {
        TokenCall::new(
            &AccessToken::new("T0KEN"),
            "42",
            &AppSecret::new("s&c=t"),
            Some("https://h.example/open_api/v1.3"),
        )
        .unwrap()
    }

    #[test]
    fn advertiser_request_shape() {
        let r = call().advertisers_request();
        assert_eq!(r.method, Method::Get);
        assert_eq!(
            r.url,
            "https://h.example/open_api/v1.3/oauth2/advertiser/get/?app_id=42&secret=s%26c%3Dt"
        );
        assert_eq!(r.headers, vec![("Access-Token", "T0KEN".to_owned())]);
        assert!(!format!("{r:?} {:?}", call()).contains("T0KEN"));
    }

    #[test]
    fn revoke_request_shape() {
        let r = call().revoke_request();
        assert_eq!(r.url, "https://h.example/open_api/v1.3/oauth2/revoke_token/");
        assert_eq!(
            r.body.as_deref(),
            Some(r#"{"app_id":"42","secret":"s&c=t","access_token":"T0KEN"}"#)
        );
    }

    #[test]
    fn advertisers_are_read_with_exact_ids() {
        let list = call()
            .read_advertisers(200, r#"{"code":0,"data":{"list":[{"advertiser_id":7123456789012345678,"advertiser_name":"<b>Shop</b>"},{"advertiser_id":"2"}]}}"#)
            .unwrap();
        assert_eq!(
            list,
            vec![
                Advertiser {
                    advertiser_id: "7123456789012345678".into(),
                    advertiser_name: "<b>Shop</b>".into()
                },
                Advertiser {
                    advertiser_id: "2".into(),
                    advertiser_name: String::new()
                },
            ]
        );
        let e = call()
            .read_advertisers(200, r#"{"code":0,"data":{"list":[{"advertiser_name":"x"}]}}"#)
            .unwrap_err();
        assert_eq!(e.kind(), ErrorKind::InvalidResponse);
        assert!(e.message().contains("`data.list[0]`"), "{}", e.message());
    }

    #[test]
    fn an_advertiser_id_holding_a_credential_is_refused_by_position() {
        for id in ["\"T0KEN\"", "\"s&c=t\""] {
            let body = format!(
                r#"{{"code":0,"data":{{"list":[{{"advertiser_id":"1"}},{{"advertiser_id":{id}}}]}}}}"#
            );
            let e = call().read_advertisers(200, &body).unwrap_err();
            assert_eq!(e.kind(), ErrorKind::InvalidResponse, "{id}");
            assert!(
                e.message().contains("`data.list[1]` holds a credential"),
                "{}",
                e.message()
            );
            assert!(!e.message().contains("T0KEN") && !e.message().contains("s&c"));
        }
        // Revoke's ids leave it out.
        assert_eq!(
            call()
                .read_revoke(200, r#"{"code":0,"data":{"advertiser_ids":["1","T0KEN"]}}"#)
                .unwrap(),
            ["1"]
        );
    }

    #[test]
    fn revoke_reads_ids_and_errors() {
        assert_eq!(
            call()
                .read_revoke(200, r#"{"code":0,"data":{"advertiser_ids":["1"]}}"#)
                .unwrap(),
            ["1"]
        );
        let e = call()
            .read_revoke(200, r#"{"code":40105,"message":"Access token T0KEN is invalid"}"#)
            .unwrap_err();
        assert_eq!(e.code(), Some(40105));
        assert!(!e.message().contains("T0KEN"));
    }

    #[test]
    fn the_sandbox_is_refused_before_any_oauth2_call() {
        use crate::credentials::AuthCode;
        use crate::token::TokenRequest;
        let bases = [
            crate::api_base::SANDBOX_API_BASE,
            "https://SANDBOX-ADS.tiktok.com./open_api/v1.3/",
            "https://sandbox-ads.tiktok.com:443/open_api/v1.3",
        ];
        for base in bases {
            let token_call =
                TokenCall::new(&AccessToken::new("t"), "42", &AppSecret::new("s"), Some(base)).unwrap_err();
            let exchange =
                TokenRequest::new("42", &AppSecret::new("s"), &AuthCode::new("c"), Some(base)).unwrap_err();
            for e in [token_call, exchange] {
                assert_eq!(e.kind(), ErrorKind::InvalidInput, "{base}");
                assert!(
                    e.message().starts_with("`apiBase` is TikTok's sandbox"),
                    "{}",
                    e.message()
                );
                let hint = e.hint().expect("a hint");
                assert!(
                    hint.contains("sandbox page in the TikTok developer portal"),
                    "{hint}"
                );
            }
        }
        // Other hosts, a look-alike among them, are called as given.
        for base in [
            "https://business-api.tiktok.com/open_api/v1.3",
            "https://sandbox-ads.tiktok.com.example/open_api/v1.3",
            "http://127.0.0.1:9/open_api/v1.3",
        ] {
            assert!(TokenCall::new(&AccessToken::new("t"), "42", &AppSecret::new("s"), Some(base)).is_ok());
        }
        // Other invalid input has no such hint.
        let e = TokenCall::new(&AccessToken::new(""), "42", &AppSecret::new("s"), None).unwrap_err();
        assert_eq!(e.hint(), None);
    }

    #[test]
    fn the_advertiser_curl_is_the_request_with_the_trimmed_secret() {
        let call = TokenCall::new(
            &AccessToken::new(" T0KEN\n"),
            "42",
            &AppSecret::new("  it's & more \t"),
            Some("https://h.example/open_api/v1.3/"),
        )
        .unwrap();
        assert_eq!(
            call.advertisers_curl(),
            "curl -sS -g -X GET 'https://h.example/open_api/v1.3/oauth2/advertiser/get/?app_id=42&secret=it%27s%20%26%20more' \\\n  -H 'Access-Token: T0KEN'"
        );
    }

    #[test]
    fn bad_token_is_invalid_input() {
        for t in ["", " ", "a b", "a\nb"] {
            let e = TokenCall::new(&AccessToken::new(t), "1", &AppSecret::new("s"), None).unwrap_err();
            assert_eq!(e.kind(), ErrorKind::InvalidInput, "{t:?}");
        }
    }
}
