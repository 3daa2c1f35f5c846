//! Protocol core of `uspeedo-sms`: everything about uSpeedo's
//! `SendBatchUSMSMessage` that can be decided without doing I/O.
//!
//! The modules below are plain Rust (no wasm, no JS) so that `cargo test`
//! and the fuzzers reach all of them natively. The only wasm-specific code is
//! `facade`, a thin `#[wasm_bindgen]` layer that converts JSON strings and
//! delegates here; the npm package's JavaScript does the fetch and the timers
//! and asks this crate for every decision.

pub mod api;
pub mod api_bulk;
#[cfg(feature = "signing")]
pub mod api_proxy;
pub mod bulk;
mod bulk_report;
pub mod calling_codes;
pub mod error_info;
pub mod issues;
pub mod json;
pub mod model;
pub mod options;
pub mod order;
pub mod outcome;
pub mod phone;
pub mod plan;
pub mod prepare;
pub mod preview;
pub mod proxy;
pub mod resend;
pub mod response;
pub mod retry;
pub mod sign;
pub mod template;
pub mod text;
pub mod validate;

#[cfg(target_arch = "wasm32")]
mod facade;
