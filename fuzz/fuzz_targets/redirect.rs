//! The redirect: `parse_redirect`, `strip_redirect_params` and the state check on any text.
//!
//! Invariants: nothing panics; an accepted code is non-empty, at most 2048 bytes, without
//! spaces or control characters; refusals are one of the redirect's kinds; after stripping an
//! http(s) URL no code is left to read; the state check is plain equality.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tiktok_ads_auth::{parse_redirect, strip_redirect_params, verify_state, ErrorKind, StateVerdict};

fuzz_target!(|data: &[u8]| {
    let input = String::from_utf8_lossy(data);
    match parse_redirect(&input) {
        Ok(r) => {
            let code = r.auth_code.secret();
            assert!(!code.is_empty() && code.len() <= 2048, "{code:?}");
            assert!(
                !code.bytes().any(|b| b <= b' ' || b == 0x7f) && !code.chars().any(char::is_control),
                "{code:?}"
            );
            assert!(r.state.as_deref() != Some(""));
            assert_eq!(format!("{:?}", r.auth_code), "AuthCode([redacted])");
            // The state check: verified against itself, refused against anything else.
            if let Some(state) = r.state.as_deref() {
                assert_eq!(verify_state(Some(state), Some(state)), Ok(StateVerdict::Verified));
                let other = format!("{state}x");
                assert_eq!(
                    verify_state(Some(state), Some(&other)).map_err(|e| e.kind()),
                    Err(ErrorKind::StateMismatch)
                );
                assert_eq!(
                    verify_state(Some(state), None).map_err(|e| e.kind()),
                    Err(ErrorKind::StateMismatch)
                );
            }
        }
        Err(e) => assert!(
            matches!(
                e.kind(),
                ErrorKind::InvalidInput | ErrorKind::MissingAuthCode | ErrorKind::AuthorizationDenied
            ),
            "{:?}",
            e.kind()
        ),
    }
    let clean = strip_redirect_params(&input);
    assert!(clean.len() <= input.len());
    let lower = input.get(..8).unwrap_or("").to_ascii_lowercase();
    if lower.starts_with("http://") || lower.starts_with("https://") {
        // What is left in the address bar carries no code any more.
        if let Ok(r) = parse_redirect(&clean) {
            panic!(
                "a code survived stripping: {:?} -> {:?} ({:?})",
                input,
                clean,
                r.auth_code.secret()
            );
        }
        // Stripping twice changes nothing.
        assert_eq!(strip_redirect_params(&clean), clean);
    }
});
