//! The browser application (wasm32 only). This is the one module that knows
//! the browser: it owns the page, the canvases, the event handlers, the Monte
//! Carlo worker and the panic banner, and it calls the browser-free modules
//! for everything else.

mod app;
mod ask_job;
mod ask_panel;
mod briefing;
mod builtins;
mod canvas;
mod compare;
#[cfg(feature = "xlsx")]
mod excel_worker;
mod files;
mod import_dialog;
mod import_worker;
mod levers_panel;
mod map_panel;
mod measured_canvas;
mod monte_carlo;
mod panic_report;
mod persist;
mod roster_store;
mod schools;
// Public only for the browser tests (tests/browser), which drive its reducer.
#[doc(hidden)]
pub mod state;
mod storage;
mod toolbar;

use wasm_bindgen::prelude::*;

#[cfg(feature = "workers")]
pub use ask_job::worker_ask;
#[cfg(feature = "workers")]
pub use monte_carlo::worker_monte_carlo;

/// Mounts the application into `root`. Called once by `web/boot.js` after the
/// module is initialised; not a `start` function, so the wasm tests and the
/// Monte Carlo worker can load the library without a page being mounted.
#[wasm_bindgen]
pub fn mount_app(root: web_sys::Element) {
    panic_report::install();
    if builtins::all_here() || !persist::may_need_other_builtins() {
        yew::Renderer::<app::App>::with_root(root).render();
        return;
    }
    // A link or the autosave may be on a built-in whose JSON is fetched
    // (`builtins`): fetch first, so that neither is opened, or judged
    // broken, without it. If that fails, each opens as one that does not
    // apply (the default scenario, the autosave kept aside), with the reason.
    wasm_bindgen_futures::spawn_local(async move {
        if let Err(m) = builtins::fetch_missing().await {
            persist::note_at_start(m);
        }
        yew::Renderer::<app::App>::with_root(root).render();
    });
}

pub use app::App;
