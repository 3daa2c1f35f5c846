//! Everything that knows JavaScript: conversions (serde-wasm-bindgen, and
//! JSON text through serde_json and the engine's JSON), the
//! I/O (fetch, timers, streams) and the `#[wasm_bindgen]` surface. Nothing
//! here decides anything: each step asks the core ([`crate::ops`],
//! [`crate::transport`], the bulk job) and does what it says.

mod bulk;
#[cfg(feature = "campaign")]
mod campaign;
mod client;
pub(crate) mod convert;
mod entries;
mod functions;
mod json_out;
mod net;
mod options;
#[cfg(feature = "signing")]
mod proxy;
mod reads;
mod templates;
#[cfg(feature = "signing")]
mod utf8;

/// The allocator every wasm build uses (see Cargo.toml for why not dlmalloc).
/// The wasm is single-threaded (no `atomics`), which talc's cell requires.
#[cfg(not(target_feature = "atomics"))]
#[global_allocator]
static ALLOCATOR: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();
