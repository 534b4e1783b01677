//! The browser application (wasm32 only). This is the one module that knows
//! the browser: it owns the page, the canvases and the event handlers, and it
//! calls the browser-free modules for everything else.

mod app;
mod panic_report;

use wasm_bindgen::prelude::*;

/// Mounts the application into `root`. Called once by `web/boot.js` after the
/// module is initialised; not a `start` function, so the wasm tests can load
/// the library without a page being mounted.
#[wasm_bindgen]
pub fn mount_app(root: web_sys::Element) {
    panic_report::install();
    yew::Renderer::<app::App>::with_root(root).render();
}

pub use app::App;
