//! The JS-facing tests in Node (`wasm-pack test --node`), with `crypto.getRandomValues` as a
//! server-side importer of the npm package gets it.
#![cfg(target_arch = "wasm32")]

mod common;
