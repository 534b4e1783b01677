//! A panic in the page must never go unnoticed: the hook logs it to the
//! console and shows it in a banner, and marks `<body data-panic>` so the
//! end-to-end tests fail on it.
//!
//! The release build aborts on a panic (`panic = "abort"`): the module is
//! unusable afterwards, and edits would silently stop updating the page. So
//! the banner says what to do: the failing action never finished, so the
//! autosave still holds the scenario as it was just before it, and a reload
//! (the banner's button) continues from there. A trap that reaches the page
//! without a panic (an allocation failure aborts without calling the hook)
//! shows the same banner, from a listener for uncaught `WebAssembly.RuntimeError`s.
//! File imports run in a worker (`import_worker`), so a crafted file cannot
//! get here.

use std::panic;

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

pub fn install() {
    panic::set_hook(Box::new(|info| {
        console_error_panic_hook::hook(info);
        show(&info.to_string());
    }));
    let Some(window) = web_sys::window() else { return };
    let on_error = Closure::<dyn FnMut(web_sys::Event)>::new(|e: web_sys::Event| {
        let error = js_sys::Reflect::get(&e, &"error".into()).unwrap_or(JsValue::UNDEFINED);
        if let Some(trap) = error.dyn_ref::<js_sys::WebAssembly::RuntimeError>() {
            show(&String::from(trap.to_string()));
        }
    });
    let _ = window.add_event_listener_with_callback("error", on_error.as_ref().unchecked_ref());
    // For the page's lifetime.
    on_error.forget();
}

/// Shows the banner once (the first failure is the one to report).
fn show(message: &str) {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else { return };
    let Some(body) = document.body() else { return };
    if body.has_attribute("data-panic") {
        return;
    }
    let _ = body.set_attribute("data-panic", message);
    let Ok(banner) = document.create_element("div") else { return };
    banner.set_class_name("panic-banner");
    let _ = banner.set_attribute("role", "alert");
    banner.set_text_content(Some(&format!(
        "程序出错，页面已停止响应。出错前的方案已自动保存：请刷新页面，从该处继续。(The page hit an internal error and has stopped. The scenario as it was before is saved: reload the page to continue from it.) {message}"
    )));
    // A plain link, not a handler: the module may be unusable, and the
    // page's policy allows no inline script. An empty href is this page
    // without its fragment, so it always loads afresh.
    if let Ok(link) = document.create_element("a") {
        let _ = link.set_attribute("href", "");
        link.set_class_name("panic-reload");
        link.set_text_content(Some(" 刷新页面 (Reload)"));
        let _ = banner.append_child(&link);
    }
    let _ = body.prepend_with_node_1(&banner);
}
