//! Files in and out of the page, all in memory: downloads are made from
//! object URLs of in-page blobs and uploads are read with a `FileReader`, so
//! nothing is sent anywhere.

use gloo::file::callbacks::FileReader;
use gloo::file::{Blob, ObjectUrl};
use gloo::timers::callback::Timeout;
use wasm_bindgen::JsCast;
use web_sys::HtmlAnchorElement;

use crate::message::Text;

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

/// Saves bytes held by JavaScript (a workbook from the Excel worker) as a
/// download, without copying them into the module's memory; or why the
/// browser would not make a file of them.
pub fn download_array(bytes: &js_sys::Uint8Array, file_name: &str, mime: &str) -> Result<(), Text> {
    let bag = web_sys::BlobPropertyBag::new();
    bag.set_type(mime);
    let blob = web_sys::Blob::new_with_u8_array_sequence_and_options(&js_sys::Array::of1(bytes), &bag).map_err(|e| {
        Text::new(format!("浏览器无法生成文件「{file_name}」：{e:?}"), format!("the browser could not make the file “{file_name}”: {e:?}"))
    })?;
    download_blob(Blob::from(blob), file_name);
    Ok(())
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

/// The largest roster file (CSV or XLSX) the page reads: 64 MiB, as the
/// CLI. A 50,000-row CSV roster is about 10 MB; a workbook's inflated parts
/// have limits of their own (`crate::roster::xlsx`).
pub const ROSTER_LIMIT: u64 = 64 << 20;
/// The largest scenario file the page reads: 16 MiB, as the CLI.
pub const SCENARIO_LIMIT: u64 = 16 << 20;

/// Reads the file the planner chose, if it is at most `limit` bytes; `done`
/// gets its name and bytes, or the reason (the browser's, or the limit).
/// A file over the limit is refused at once from the size the browser
/// reports, without reading it. Keep the returned reader alive until `done`
/// runs.
pub fn read(
    file: web_sys::File,
    limit: u64,
    done: impl FnOnce(String, Result<Vec<u8>, Text>) + 'static,
) -> Option<FileReader> {
    let file = gloo::file::File::from(file);
    let name = file.name();
    if file.size() > limit {
        let mib = limit >> 20;
        done(
            name,
            Err(Text::new(
                format!("文件大于 {mib} MB 的上限，未读取"),
                format!("the file is larger than the limit of {mib} MB and was not read"),
            )),
        );
        return None;
    }
    Some(gloo::file::callbacks::read_as_bytes(&file, move |r| {
        done(name, r.map_err(|e| Text::same(e.to_string())))
    }))
}

/// A file name for a download: the scenario id and what it holds.
pub fn file_name(scenario_id: &str, what: &str, ext: &str) -> String {
    format!("youjun-{scenario_id}-{what}.{ext}")
}
