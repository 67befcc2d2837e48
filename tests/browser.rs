//! The JS-facing tests in a headless browser (`wasm-pack test --headless --chrome`), where
//! cross-origin rules apply. (A CORS block ends the network calls as `network`: the page's
//! tests/e2e/errors.test.mjs, through the package's JavaScript.)
#![cfg(target_arch = "wasm32")]

use wasm_bindgen_test::wasm_bindgen_test_configure;

wasm_bindgen_test_configure!(run_in_browser);

mod common;
