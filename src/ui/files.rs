//! Files in and out of the page, all in memory: downloads are made from
//! object URLs of in-page blobs and uploads are read with a `FileReader`, so
//! nothing is sent anywhere.

use gloo::file::callbacks::FileReader;
use gloo::file::{Blob, ObjectUrl};
use gloo::timers::callback::Timeout;
use wasm_bindgen::JsCast;
use web_sys::HtmlAnchorElement;

pub const CSV: &str = "text/csv;charset=utf-8";
pub const JSON: &str = "application/json";
pub const SVG: &str = "image/svg+xml";
pub const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// Saves `bytes` as a download named `file_name`.
pub fn download(bytes: &[u8], file_name: &str, mime: &str) {
    download_blob(Blob::new_with_options(bytes, Some(mime)), file_name);
}

/// CSV text for Excel: with a byte-order mark, or Excel on Chinese Windows
/// reads the UTF-8 as GBK and garbles every Chinese header. Texts that
/// already start with one (the roster writers) get no second.
pub fn download_csv(text: &str, file_name: &str) {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    download(format!("\u{feff}{text}").as_bytes(), file_name, CSV);
}

pub fn download_blob(blob: Blob, file_name: &str) {
    let url = ObjectUrl::from(blob);
    download_url(&url, file_name);
    // The download reads the blob after this returns; the URL is released
    // (ObjectUrl's drop) a little later.
    Timeout::new(30_000, move || drop(url)).forget();
}

/// Downloads what `url` (an object or data URL of this page) holds.
pub fn download_url(url: &str, file_name: &str) {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let Ok(a) = document
        .create_element("a")
        .map(|e| e.unchecked_into::<HtmlAnchorElement>())
    else {
        return;
    };
    a.set_href(url);
    a.set_download(file_name);
    a.click();
}

/// Reads the file the planner chose; `done` gets its name and bytes, or the
/// browser's reason. Keep the returned reader alive until `done` runs.
pub fn read(
    file: web_sys::File,
    done: impl FnOnce(String, Result<Vec<u8>, String>) + 'static,
) -> FileReader {
    let file = gloo::file::File::from(file);
    let name = file.name();
    gloo::file::callbacks::read_as_bytes(&file, move |r| done(name, r.map_err(|e| e.to_string())))
}

/// A file name for a download: the scenario id and what it holds.
pub fn file_name(scenario_id: &str, what: &str, ext: &str) -> String {
    format!("youjun-{scenario_id}-{what}.{ext}")
}
