//! A panic in the page must never go unnoticed: the hook logs it to the
//! console and shows it in a banner, and marks `<body data-panic>` so the
//! end-to-end tests fail on it.

use std::panic;

pub fn install() {
    panic::set_hook(Box::new(|info| {
        console_error_panic_hook::hook(info);
        let message = info.to_string();
        let Some(document) = web_sys::window().and_then(|w| w.document()) else { return };
        if let Some(body) = document.body() {
            let _ = body.set_attribute("data-panic", &message);
            if let Ok(banner) = document.create_element("div") {
                banner.set_class_name("panic-banner");
                let _ = banner.set_attribute("role", "alert");
                banner.set_text_content(Some(&format!("程序出错，请刷新页面。(The page hit an internal error.) {message}")));
                let _ = body.prepend_with_node_1(&banner);
            }
        }
    }));
}
