//! Protocol core of `uspeedo-sms`: everything about uSpeedo's
//! `SendBatchUSMSMessage` that can be decided without doing I/O.
//!
//! Layers, from the inside out:
//! - the core (plain Rust, no wasm): `read` (lenient serde reading), `model`,
//!   `validate/`, `phone`, `preview`, `sign`, `prepare`, `response`,
//!   `outcome`, `retry`, `resend`, `bulk/` (plan, job, report, session),
//!   `proxy/`, `options/` (client, send, bulk, proxy), `transport/` (what
//!   sending decides without I/O), `endpoint`, `invisible`;
//! - `ops`, the package's operations over typed inputs and outputs;
//! - the doors: `wasm` (serde-wasm-bindgen conversions, the I/O in `net/`,
//!   the `#[wasm_bindgen]` surface) and, natively, `api` (the same
//!   operations over JSON text, for tests and fuzzers).

#[cfg(not(target_arch = "wasm32"))]
pub mod api;
pub mod bulk;
pub mod calling_codes;
// Campaigns are for servers (a Worker's queue consumer signs), and in a wasm
// of their own: not in the browser build, nor in the main server build.
#[cfg(feature = "campaign")]
pub mod campaign;
pub mod endpoint;
pub mod error_info;
pub mod hint;
pub mod invisible;
pub mod issues;
pub mod model;
pub mod ops;
pub mod options;
pub mod order;
pub mod outcome;
pub mod phone;
pub mod prepare;
pub mod preview;
pub mod proxy;
pub mod read;
pub mod reads;
pub mod resend;
pub mod response;
pub mod retry;
pub mod sign;
pub mod template;
pub mod text;
pub mod transport;
pub mod validate;

#[cfg(target_arch = "wasm32")]
mod wasm;
