//! The JS-facing tests in Node (`wasm-pack test --node`): global `fetch`, `AbortSignal.timeout`
//! and `crypto.getRandomValues` as a server-side importer of the npm package gets them.
#![cfg(target_arch = "wasm32")]

mod common;
