//! Everything that knows JavaScript: conversions (serde-wasm-bindgen) and
//! the `#[wasm_bindgen]` surface. Nothing here decides anything; each
//! export converts its inputs, calls [`crate::ops`] and converts back.

mod bulk;
mod client;
pub(crate) mod convert;
mod functions;
#[cfg(feature = "signing")]
mod proxy;
