//! Outputs as JSON text handed to the engine in pieces, then read by its
//! `JSON.parse`. serde_json writes the text; this only carries it across.
//!
//! One `String` of the whole text would sit in wasm memory at up to twice
//! its length (a growing buffer doubles): a 100,000-number `sendBulk`
//! report is 10.7 MB of JSON, and holding it put the wasm memory at
//! 75.8 MiB. Pieces of [`PIECE`] bytes keep it to one piece; the engine
//! joins the pieces as a rope.

use std::io;
use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    /// `JSON.parse` of a string the engine already holds (js-sys's takes
    /// a Rust `&str`, which would need the whole text in wasm memory).
    #[wasm_bindgen(js_namespace = JSON, js_name = parse, catch)]
    fn parse_js_string(text: &js_sys::JsString) -> Result<JsValue, JsValue>;
}

/// How much text is gathered before it is handed over.
const PIECE: usize = 64 * 1024;

/// The text so far: what the engine holds, and the piece being gathered.
struct Pieces {
    held: js_sys::JsString,
    piece: Vec<u8>,
}

impl Pieces {
    /// Hands over the gathered bytes up to the last whole character (a
    /// write may end inside one; serde_json writes nothing but UTF-8).
    fn hand_over(&mut self) {
        // Checked once: only a piece cut inside a character is checked again,
        // up to where it was valid.
        let text = match std::str::from_utf8(&self.piece) {
            Ok(text) => text,
            Err(e) => {
                self.piece.get(..e.valid_up_to()).and_then(|b| std::str::from_utf8(b).ok()).unwrap_or("")
            }
        };
        let whole = text.len();
        self.held = self.held.concat(&JsValue::from_str(text));
        self.piece.drain(..whole);
    }
}

impl io::Write for Pieces {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        self.piece.extend_from_slice(bytes);
        if self.piece.len() >= PIECE {
            self.hand_over();
        }
        Ok(bytes.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// `value` as a plain JS object, or `None` when it cannot be written as
/// JSON (a map with keys that are not strings; none of our outputs).
pub fn to_js_via_json<T: serde::Serialize + ?Sized>(value: &T) -> Option<JsValue> {
    let mut pieces = Pieces { held: js_sys::JsString::from(""), piece: Vec::with_capacity(PIECE + 1024) };
    serde_json::to_writer(&mut pieces, value).ok()?;
    pieces.hand_over();
    parse_js_string(&pieces.held).ok()
}
