//! # 优均 (youjun): architecture
//!
//! 优均 simulates a Shanghai district's compulsory-education schools year by
//! year, toward the dated targets in the district's plan and the national
//! balance assessment (优质均衡, 教督〔2017〕6号). It runs entirely in the
//! planner's browser as WebAssembly; the same library also builds natively for
//! the `youjun` command-line tool and for tests.
//!
//! ## Bird's-eye view
//!
//! ```text
//!   scenario file / share link / UI levers
//!                 │
//!                 ▼
//!   plan (dated targets + citations) ──► chart (Plotters, any backend)
//!                                          │            │
//!                                          ▼            ▼
//!                                   ui: <canvas>   CLI / tests: SVG string
//! ```
//!
//! ## Code map
//!
//! - [`plan`]: dated targets published in the seed documents, each value with
//!   its [`plan::Citation`] (seed file and article). Data only.
//! - [`chart`]: every chart, as a function generic over Plotters'
//!   `DrawingBackend`, plus the colour-blind-safe [`chart::Palette`].
//! - `ui` (wasm32 only): the Yew application. It owns the page, the canvas and
//!   the event handlers, and nothing else.
//! - `src/main.rs`: the native `youjun` command-line tool.
//!
//! ## Architecture invariants
//!
//! - **Only `ui` knows the browser.** Every other module compiles and is tested
//!   natively with plain `cargo test`; yew, gloo, web-sys, wasm-bindgen and
//!   plotters-canvas are wasm32-only dependencies.
//! - **Chart functions never create their backend.** The caller passes a
//!   drawing area, so the canvas in the page and the exported SVG come from the
//!   same drawing code.
//! - **Every number from a document carries its source.** Values taken from the
//!   seed documents are stored with a [`plan::Citation`].
//! - **No network.** Nothing in the crate makes a request; data stays in the
//!   browser.

pub mod chart;
pub mod engine;
pub mod metrics;
pub mod params;
pub mod plan;
pub mod roster;
pub mod scenario;

#[cfg(target_arch = "wasm32")]
pub mod ui;
