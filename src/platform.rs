//! The one place that declares what the wasm asks of the platform: `crypto.getRandomValues` (for
//! a generated `state`) and the `Reflect` calls that read options and define results. The wasm
//! does no IO: the package's JavaScript (`npm/net.js`) sends each request the JS API prepares and
//! hands the answer back to be read.
//!
//! Everything that can run foreign JS (a Proxy, a throwing getter) goes through a `catch` binding:
//! a JS exception unwinding through wasm frames leaks the wasm's shadow stack, and a few thousand
//! of them leave the module unusable.

use crate::envelope::MAX_ANSWER_BYTES;
use crate::error::{Error, Result};
use js_sys::Object;
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::{JsCast, JsValue};

#[wasm_bindgen]
extern "C" {
    // The global `crypto`: a missing one, or a missing or throwing method, is a caught exception.
    #[wasm_bindgen(catch, js_namespace = crypto, js_name = getRandomValues)]
    fn get_random_values(bytes: &mut [u8]) -> std::result::Result<(), JsValue>;

    // For the JS API's options and results.
    #[wasm_bindgen(catch, js_namespace = Reflect, js_name = getOwnPropertyDescriptor)]
    pub(crate) fn own_descriptor(target: &JsValue, key: &JsValue) -> std::result::Result<JsValue, JsValue>;
    #[wasm_bindgen(catch, js_namespace = Reflect, js_name = defineProperty)]
    pub(crate) fn define_property(
        target: &JsValue,
        key: &JsValue,
        descriptor: &JsValue,
    ) -> std::result::Result<bool, JsValue>;
}

/// An object without a prototype: nothing inherited is read from it or run when it is written.
pub(crate) fn bare_object() -> Object {
    Object::create(JsValue::NULL.unchecked_ref())
}

/// A JS string, read only when its UTF-8 fits in [`MAX_ANSWER_BYTES`]: copying a larger one into
/// the wasm's memory would grow that memory for good (it never shrinks).
pub(crate) enum Text {
    Short(String),
    TooLong,
    NotString,
}

pub(crate) fn text_of(value: &JsValue) -> Text {
    if !value.is_string() {
        return Text::NotString;
    }
    // Each UTF-16 unit is one to three UTF-8 bytes: longer than the limit in units is too long,
    // and a text that may be over it is measured a slice at a time before it is copied whole.
    let text = value.unchecked_ref::<js_sys::JsString>();
    let units = text.length() as usize;
    if units > MAX_ANSWER_BYTES {
        return Text::TooLong;
    }
    if units > MAX_ANSWER_BYTES / 3 {
        match utf8_len(text) {
            Some(bytes) if bytes > MAX_ANSWER_BYTES => return Text::TooLong,
            Some(_) => {}
            // A page's `String.prototype.slice` gave something else than a string.
            None => return Text::NotString,
        }
    }
    match value.as_string() {
        Some(s) if s.len() <= MAX_ANSWER_BYTES => Text::Short(s),
        Some(_) => Text::TooLong,
        None => Text::NotString,
    }
}

/// The length of `text` in UTF-8 (a lone surrogate as U+FFFD, as `as_string` copies it), read in
/// 16 Ki-unit slices: only one slice at a time is in the wasm's memory, which its allocator reuses.
/// `None` when a slice is not a string (a page replaced `String.prototype.slice`).
fn utf8_len(text: &js_sys::JsString) -> Option<usize> {
    const SLICE: u32 = 16 * 1024;
    let end = text.length();
    let (mut at, mut bytes) = (0, 0);
    while at < end {
        let mut to = at.saturating_add(SLICE).min(end);
        // Never between the halves of a pair: each alone would count as U+FFFD.
        if to < end && (0xD800..0xDC00).contains(&(text.char_code_at(to - 1) as u32)) {
            to -= 1;
        }
        bytes += JsValue::from(text.slice(at, to)).as_string()?.len();
        at = to;
    }
    Some(bytes)
}

/// A fresh `state` of 256 bits from the platform CSPRNG (`crypto.getRandomValues`), base64url.
pub fn generate_state() -> Result<String> {
    let no_csprng = || {
        Error::invalid(
            "state",
            "could not be generated: this platform has no crypto.getRandomValues (pass a state of your own)",
        )
    };
    let mut bytes = [0u8; 32];
    get_random_values(&mut bytes).map_err(|_| no_csprng())?;
    // A stand-in that fills nothing would make every state the same, guessable one.
    if bytes.iter().all(|&b| b == 0) {
        return Err(no_csprng());
    }
    Ok(crate::authorize::state_from_random_bytes(&bytes))
}
