//! How long TikTok's authorization code lives.

/// How long an `auth_code` stays valid once TikTok has redirected with it, in seconds: one hour
/// (docs/tiktok.md, "auth_code"). It also works only once.
///
/// The page counts the code down from the redirect and writes the expiry into its hand-back link
/// (`CODE_LIFETIME_MS` in `www/app.js`); that copy, and every text that says "one hour", are held
/// equal to this value by `tests/facts.rs`.
pub const AUTH_CODE_LIFETIME_SECS: u32 = 60 * 60;
