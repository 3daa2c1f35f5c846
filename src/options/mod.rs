//! Every option the package takes, checked here field by field so a mistake
//! is named precisely; messages never quote a key's value. Function options
//! and signals are taken out at the wasm door (`wasm::options`).

pub mod bulk;
pub mod client;
pub(crate) mod fields;
pub mod lists;
pub mod proxy;
pub mod read;
pub mod send;

pub use client::*;
pub(crate) use fields::entries;
pub use send::check_send_options;
