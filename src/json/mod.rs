//! A small JSON layer written for this crate instead of serde_json: the wasm
//! build measured 197 KB with serde_json (its deserializer, float parsing and
//! formatting, io error strings) and this is what the size budget is about.
//!
//! - objects keep their keys sorted byte-wise (what the signature needs) and
//!   refuse duplicate keys (which would make "what was checked" ambiguous);
//! - numbers keep their source text, so no float parsing or printing code is
//!   needed, and nothing about a number is lost.

mod parse;
mod value;
mod write;

pub use parse::{parse, ParseError, MAX_DEPTH};
pub use value::{Map, Number, SortedMap, StringMap, Value};
pub use write::{escape_into, to_string, ObjectWriter, Raw, ToJson};
