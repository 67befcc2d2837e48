//! Reading ids out of `data`: exact decimal strings, never rounded, and never at the cost of an
//! answer TikTok gave.

use crate::envelope::{field_problem, Envelope};
use crate::error::Error;
use crate::json::Json;
use crate::redact::{redact, redact_pieces};
use crate::text::{cat, decimal_u64, excerpt};

/// Most entries of one list of ids read: TikTok's grants carry a handful (a token's ad
/// accounts, some 20 permission ids), and the page shows and exports each one. Past this the rest
/// is left out, with a warning saying how many there were.
const MAX_IDS: usize = 10_000;

/// Warnings listed one by one about the entries of one list; the rest are counted in one more.
const SHOWN: usize = 10;

/// Keeps [`SHOWN`] of the warnings pushed since `from`, and says how many more there were about
/// `field`: a list of thousands of odd entries gives a dozen warnings, not thousands.
fn collapse(warnings: &mut Vec<String>, from: usize, field: &str) {
    let more = warnings.len().saturating_sub(from + SHOWN);
    if more > 0 {
        warnings.truncate(from + SHOWN);
        warnings.push(cat(&[
            "… and ",
            &decimal_u64(more as u64),
            " more about ",
            field,
            ".",
        ]));
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
            let from = warnings.len();
            for (i, item) in items[..items.len().min(MAX_IDS)].iter().enumerate() {
                let name = cat(&["`data.", path, "[", &decimal_u64(i as u64), "]`"]);
                read_id(item, &name, digits_only, hide, &mut ids, warnings);
            }
            collapse(warnings, from, &field);
            if items.len() > MAX_IDS {
                warnings.push(cat(&[
                    &field,
                    " has ",
                    &decimal_u64(items.len() as u64),
                    " entries; only the first 10000 were read.",
                ]));
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
    let id = match item {
        Json::Int(n) if !n.starts_with("-") => Some(n.as_str()),
        Json::Str(s)
            if !s.trim_ascii().is_empty()
                && (!digits_only || s.trim_ascii().bytes().all(|b| b.is_ascii_digit())) =>
        {
            Some(s.trim_ascii())
        }
        _ => None,
    };
    if let Some(id) = id.filter(|id| !holds_credential(id, hide)) {
        if !id.bytes().all(|b| b.is_ascii_digit()) {
            // Named by position only: the value may be anything a relay put there.
            warnings.push(cat(&[
                name,
                " is not all digits, unlike TikTok's advertiser ids; it was kept, but check it.",
            ]));
        }
        return ids.push(id.to_owned());
    }
    let (value, why) = match item {
        // An id holding a credential (a relay echoing the request) is named by its position only.
        _ if id.is_some() => (String::new(), HOLDS_CREDENTIAL),
        Json::Int(n) => (shown(n, ""), " is negative, so it is not an id"),
        Json::Float(text) => (
            shown(text, ""),
            " has a fraction or an exponent, so it is not an exact id (it was not rounded)",
        ),
        Json::Str(s) => {
            let id = s.trim_ascii();
            if id.is_empty() {
                (String::new(), " is an empty text")
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

/// Why an id that is a credential is left out (a grant) or refuses an answer (a lookup).
pub(crate) const HOLDS_CREDENTIAL: &str = " holds a credential, not an id";

/// Whether an id is a credential, or holds 10 consecutive characters of one in any form
/// [`redact_pieces`] finds (a credential shorter than that only when it is the whole id, in
/// any case: a 1-letter test token is in many ids).
pub(crate) fn holds_credential(id: &str, hide: &[&str]) -> bool {
    redact_pieces(id, hide) != id || hide.iter().any(|c| id.eq_ignore_ascii_case(c))
}

/// An id as its exact decimal string: a non-empty string, or an integer held exactly.
pub(crate) fn id_value(value: &Json) -> Option<String> {
    match value {
        Json::Str(s) if !s.trim_ascii().is_empty() => Some(s.trim_ascii().to_owned()),
        Json::Int(n) if !n.starts_with("-") => Some(n.clone()),
        _ => None,
    }
}

/// Why a list entry's id is not one (for [`indexed_problem`]).
pub(crate) fn not_an_id(value: &Json) -> &'static str {
    match value {
        Json::Float(_) => " is a number with a fraction or an exponent, so it is not an exact id",
        Json::Int(_) => " is a negative number, not an id",
        Json::Str(_) => " is an empty string",
        _ => " is not a string or integer id",
    }
}

pub(crate) fn indexed_problem(env: &Envelope, path: &str, index: usize, why: &str) -> Error {
    let name = cat(&[path, "[", &decimal_u64(index as u64), "]"]);
    field_problem(env, &name, why)
}
