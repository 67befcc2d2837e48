//! The JS-facing tests in a headless browser (`wasm-pack test --headless --chrome`), where
//! cross-origin rules apply: the stand-in is another origin, as TikTok is for the page.
#![cfg(target_arch = "wasm32")]

use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

mod common;

/// Without CORS headers the browser hides the answer: that must be `network`, with the curl hint.
#[wasm_bindgen_test]
async fn a_cors_block_is_a_network_error_with_the_fallback_hint() {
    common::assert_cors_block_is_network().await;
}
