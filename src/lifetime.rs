//! How long TikTok's authorization code lives.

/// How long an `auth_code` stays valid once TikTok has redirected with it, in seconds: one hour
/// (docs/tiktok.md, "auth_code"). It also works only once.
///
/// The page counts the code down from the redirect and writes the expiry into its hand-back link:
/// JavaScript reads this value from `npm/facts.js`, generated from it by `tests/js_facts.rs` (the
/// page's scripts get it written in by its build). `tests/facts.rs` holds every text that says
/// "one hour" to it.
pub const AUTH_CODE_LIFETIME_SECS: u32 = 60 * 60;
