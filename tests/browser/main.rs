//! The tests that run inside headless Chromium, built as one wasm32 binary:
//!
//! ```sh
//! CHROMEDRIVER=/usr/bin/chromedriver cargo test --target wasm32-unknown-unknown --test browser
//! ```
//!
//! (`.cargo/config.toml` makes `wasm-bindgen-test-runner` the runner and
//! gives it 120 s instead of 20 for the whole binary.) They
//! check that the wasm build computes what the native build computes: the
//! golden files the native tests (`tests/it/`) write are embedded here with
//! `include_str!`, since a test in the browser cannot read files, and both
//! sides compute them with the same helpers (`tests/it/support/portable.rs`).
//!
//! The target is compiled for wasm32 only: this attribute empties it
//! elsewhere, and `test = false` in `Cargo.toml` keeps a plain native
//! `cargo test` from building it at all.
#![cfg(target_arch = "wasm32")]

wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

#[path = "../it/support/portable.rs"]
mod support;

mod ask;
mod charts_and_engine;
mod monte_carlo_slices;
mod slider_debounce;
mod workbooks;
