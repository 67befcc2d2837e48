//! The curl equivalent of a prepared request, for where a browser may not call TikTok's API (CORS).

use crate::http::HttpRequest;
use crate::text::cat;

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
    fn shell_quoting_survives_quotes() {
        assert_eq!(shell_quote("a'b"), r"'a'\''b'");
        assert_eq!(shell_quote(""), "''");
    }
}
