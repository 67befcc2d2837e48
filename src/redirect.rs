//! Step 2: reading `auth_code` and `state` (or TikTok's `error`) from the redirect.

use crate::credentials::AuthCode;
use crate::error::{Error, Result};
use crate::text::{excerpt, find_bytes, has_byte, split_byte, split_once_byte};
use crate::url::parse_query;

/// Parameters TikTok (or an OAuth error) may put on the redirect URL; all are removed from the
/// address bar once read, so the single-use code does not linger in history or bookmarks.
pub const REDIRECT_PARAMS: [&str; 8] = [
    "auth_code",
    "code",
    "state",
    "error",
    "error_description",
    "error_code",
    "error_reason",
    "error_uri",
];

const MAX_REDIRECT_BYTES: usize = 65_536;

/// What the redirect carried.
#[derive(Debug, Clone)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "camelCase"))]
pub struct Redirect {
    /// The single-use code to exchange within the hour.
    pub auth_code: AuthCode,
    /// The returned `state`, when present and non-empty.
    pub state: Option<String>,
    /// Which parameter carried the code: TikTok's advertiser flow sends `auth_code` (and `code`
    /// with the same value); `code` alone comes from another TikTok flow, whose code will not
    /// exchange here.
    pub code_param: CodeParam,
}

/// The redirect parameter the code came in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum CodeParam {
    /// `auth_code`, as TikTok's advertiser authorization sends it (with `code` beside it).
    AuthCode,
    /// Only `code`, without `auth_code`: another TikTok flow (Login Kit, account holder), whose
    /// code does not belong to the Marketing API exchange (docs/tiktok.md, "Redirect").
    Code,
}

impl CodeParam {
    /// `auth_code` or `code`, as the JS `codeParam` gives it.
    pub fn as_str(self) -> &'static str {
        match self {
            CodeParam::AuthCode => "auth_code",
            CodeParam::Code => "code",
        }
    }
}

/// Reads the redirect: a full URL, or a query string with or without `?`. When the query has
/// no code, the fragment is read too (some integrations move the parameters there).
///
/// `auth_code` wins over `code`; `error` (the user denied access) wins over both.
///
/// ```
/// let r = tiktok_ads_auth::parse_redirect("https://me.example/cb?auth_code=abc123&state=xyz")?;
/// assert_eq!(r.auth_code.secret(), "abc123");
/// assert_eq!(r.state.as_deref(), Some("xyz"));
/// assert_eq!(r.code_param, tiktok_ads_auth::CodeParam::AuthCode);
/// # Ok::<(), tiktok_ads_auth::Error>(())
/// ```
pub fn parse_redirect(input: &str) -> Result<Redirect> {
    let input = input.trim_ascii();
    if input.len() > MAX_REDIRECT_BYTES {
        return Err(Error::invalid(
            "input",
            "is too long to be a redirect address (over 64 KiB)",
        ));
    }
    let (query, fragment) = split_query_and_fragment(input);
    let from_query = parse_query(query);
    let params = if carries_outcome(&from_query) {
        from_query
    } else {
        let from_fragment = parse_query(fragment.unwrap_or(""));
        if carries_outcome(&from_fragment) {
            from_fragment
        } else {
            from_query
        }
    };

    if let Some(error) = single(&params, "error")? {
        return Err(Error::AuthorizationDenied {
            error: excerpt(if error.is_empty() { "unknown_error" } else { error }, 100),
            description: single(&params, "error_description")?
                .filter(|d| !d.trim_ascii().is_empty())
                .map(|d| excerpt(d, 300)),
        });
    }
    let auth_code = single(&params, "auth_code")?.filter(|c| !c.trim_ascii().is_empty());
    let code = single(&params, "code")?.filter(|c| !c.trim_ascii().is_empty());
    let (auth_code, code_param) = match (auth_code, code) {
        (Some(a), Some(c)) if a.trim_ascii() != c.trim_ascii() => {
            return Err(Error::invalid(
                "auth_code",
                "differs from `code` in the same redirect",
            ))
        }
        (Some(a), _) => (a, CodeParam::AuthCode),
        (None, Some(c)) => (c, CodeParam::Code),
        (None, None) => return Err(Error::MissingAuthCode),
    };
    let auth_code = AuthCode::parse(auth_code)?;
    let state = single(&params, "state")?
        .filter(|s| !s.is_empty())
        .map(str::to_owned);
    Ok(Redirect {
        auth_code,
        state,
        code_param,
    })
}

/// Removes every OAuth redirect parameter ([`REDIRECT_PARAMS`]) from the query and the
/// fragment of `url`, keeping everything else byte for byte.
///
/// ```
/// let clean = tiktok_ads_auth::strip_redirect_params(
///     "https://me.example/cb/?lang=en&auth_code=abc&code=abc&state=xyz#top",
/// );
/// assert_eq!(clean, "https://me.example/cb/?lang=en#top");
/// ```
pub fn strip_redirect_params(url: &str) -> String {
    let (before_fragment, fragment) = match split_once_byte(url, b'#') {
        Some((b, f)) => (b, Some(f)),
        None => (url, None),
    };
    let (base, query) = match split_once_byte(before_fragment, b'?') {
        Some((b, q)) => (b, Some(q)),
        None => (before_fragment, None),
    };
    let mut out = base.to_owned();
    if let Some(kept) = query.map(keep_non_oauth).filter(|k| !k.is_empty()) {
        out.push('?');
        out.push_str(&kept);
    }
    if let Some(fragment) = fragment {
        let kept = if has_byte(fragment, b'=') {
            keep_non_oauth(fragment)
        } else {
            fragment.to_owned()
        };
        if !kept.is_empty() {
            out.push('#');
            out.push_str(&kept);
        }
    }
    out
}

fn keep_non_oauth(query: &str) -> String {
    let kept: Vec<&str> = split_byte(query, b'&')
        .filter(|pair| {
            let name = crate::url::decode_component(split_once_byte(pair, b'=').map_or(*pair, |(n, _)| n));
            !pair.is_empty() && !REDIRECT_PARAMS.contains(&name.as_str())
        })
        .collect();
    kept.join("&")
}

fn split_query_and_fragment(input: &str) -> (&str, Option<&str>) {
    let (before_fragment, fragment) = match split_once_byte(input, b'#') {
        Some((b, f)) => (b, Some(f)),
        None => (input, None),
    };
    let query = match split_once_byte(before_fragment, b'?') {
        Some((_, q)) => q,
        // A bare `a=b&c=d` is a query; an address without `?` has none.
        None if find_bytes(before_fragment, "://").is_some() || !has_byte(before_fragment, b'=') => "",
        None => before_fragment,
    };
    (query, fragment)
}

fn carries_outcome(params: &[(String, String)]) -> bool {
    params
        .iter()
        .any(|(k, _)| k == "auth_code" || k == "code" || k == "error")
}

/// The value of `name`, refusing one that appears twice with different values (a sign of a
/// tampered or concatenated URL: which one would TikTok have meant?).
fn single<'a>(params: &'a [(String, String)], name: &'static str) -> Result<Option<&'a str>> {
    let mut found: Option<&str> = None;
    for (k, v) in params {
        if k == name {
            match found {
                Some(prev) if prev != v => {
                    return Err(Error::InvalidInput {
                        argument: name,
                        problem: "appears more than once with different values",
                    })
                }
                _ => found = Some(v),
            }
        }
    }
    Ok(found)
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::error::ErrorKind;

    fn code_of(input: &str) -> String {
        parse_redirect(input).unwrap().auth_code.secret().to_owned()
    }

    #[test]
    fn every_accepted_shape_yields_the_code() {
        for input in [
            "https://me.example/cb?auth_code=C0DE&state=s",
            "?auth_code=C0DE&state=s",
            "auth_code=C0DE&state=s",
            "https://me.example/cb?code=C0DE",
            "https://me.example/cb#auth_code=C0DE&state=s",
            "https://me.example/cb?lang=en#auth_code=C0DE",
            "  https://me.example/cb?auth_code=C0DE&code=C0DE \n",
            "https://me.example/cb?auth_code=C0DE&auth_code=C0DE",
            "https://me.example/cb?auth_code=C0D%45",
        ] {
            assert_eq!(code_of(input), "C0DE", "{input:?}");
        }
    }

    #[test]
    fn code_param_names_where_the_code_came_from() {
        for (input, param) in [
            ("?auth_code=X&code=X&state=S", CodeParam::AuthCode),
            ("?auth_code=X", CodeParam::AuthCode),
            ("?code=X&auth_code=X", CodeParam::AuthCode),
            ("?auth_code=X&code=", CodeParam::AuthCode),
            ("?code=X&scopes=user.info.basic&state=S", CodeParam::Code),
            ("?auth_code=&code=X", CodeParam::Code),
            ("https://me.example/cb#code=X", CodeParam::Code),
        ] {
            let r = parse_redirect(input).unwrap();
            assert_eq!((r.auth_code.secret(), r.code_param), ("X", param), "{input}");
        }
        assert_eq!(CodeParam::AuthCode.as_str(), "auth_code");
        assert_eq!(CodeParam::Code.as_str(), "code");
    }

    #[test]
    fn state_is_returned_decoded() {
        let r = parse_redirect("?auth_code=a&state=x%20y%2Bz+w").unwrap();
        assert_eq!(r.state.as_deref(), Some("x y+z w"));
        assert_eq!(parse_redirect("?auth_code=a&state=").unwrap().state, None);
    }

    #[test]
    fn no_code_is_missing_auth_code() {
        for input in [
            "",
            "https://me.example/cb",
            "https://me.example/cb?state=s",
            "?auth_code=&code=",
            "#",
            "?",
            "a",
        ] {
            assert_eq!(
                parse_redirect(input).unwrap_err().kind(),
                ErrorKind::MissingAuthCode,
                "{input:?}"
            );
        }
    }

    #[test]
    fn error_is_authorization_denied_with_description() {
        let e =
            parse_redirect("?error=access_denied&error_description=User+said+%3Cb%3Eno%3C%2Fb%3E&state=s")
                .unwrap_err();
        assert_eq!(e.kind(), ErrorKind::AuthorizationDenied);
        assert_eq!(
            e.message(),
            "TikTok did not authorize the app (access_denied): User said <b>no</b>."
        );
    }

    #[test]
    fn conflicting_repeats_are_refused() {
        for input in [
            "?auth_code=a&auth_code=b",
            "?auth_code=a&state=1&state=2",
            "?auth_code=a&code=b",
        ] {
            assert_eq!(
                parse_redirect(input).unwrap_err().kind(),
                ErrorKind::InvalidInput,
                "{input:?}"
            );
        }
    }

    #[test]
    fn hostile_input_never_panics() {
        let long = "a".repeat(1 << 20);
        let inputs = [
            "%".to_owned(),
            "?auth_code=%E0%A4%A".to_owned(),
            "?auth_code=%FF%FE".to_owned(),
            "?auth_code=a\0b".to_owned(),
            "?auth_code=a%00b".to_owned(),
            format!("?auth_code={long}"),
            "?=&=&&&==".to_owned(),
            "#?#?#".to_owned(),
            "?auth_code=é😀".to_owned(),
        ];
        for input in &inputs {
            let _ = parse_redirect(input);
            let _ = strip_redirect_params(input);
        }
        assert_eq!(
            parse_redirect(&inputs[3]).unwrap_err().kind(),
            ErrorKind::InvalidInput
        );
        assert_eq!(
            parse_redirect(&inputs[5]).unwrap_err().kind(),
            ErrorKind::InvalidInput
        );
    }

    #[test]
    fn strip_keeps_everything_else() {
        assert_eq!(
            strip_redirect_params("https://a/b?auth_code=x&state=y"),
            "https://a/b"
        );
        assert_eq!(
            strip_redirect_params("https://a/b?x=1&code=c&y=2"),
            "https://a/b?x=1&y=2"
        );
        assert_eq!(
            strip_redirect_params("https://a/b?x=1#auth_code=c&state=s"),
            "https://a/b?x=1"
        );
        assert_eq!(
            strip_redirect_params("https://a/b#section"),
            "https://a/b#section"
        );
        assert_eq!(
            strip_redirect_params("https://a/sub/?error=access_denied&error_description=no"),
            "https://a/sub/"
        );
        assert_eq!(strip_redirect_params("https://a/b?auth%5Fcode=x"), "https://a/b");
    }
}
