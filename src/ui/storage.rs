//! `localStorage` as a [`KeyValueStore`], so the browser-free
//! [`crate::saved`] module does the autosave and the saved list.

use wasm_bindgen::JsCast;
use web_sys::{DomException, Storage};

use crate::message::Error;
use crate::saved::{storage_full, storage_unavailable, KeyValueStore, Saved};

pub struct LocalStore {
    storage: Storage,
}

impl LocalStore {
    /// The page's localStorage; an error when the browser refuses it
    /// (storage switched off, or a sandboxed page).
    pub fn open() -> Result<LocalStore, Error> {
        let window = web_sys::window().ok_or_else(|| storage_unavailable("no window"))?;
        match window.local_storage() {
            Ok(Some(storage)) => Ok(LocalStore { storage }),
            Ok(None) => Err(storage_unavailable("localStorage is missing")),
            Err(e) => Err(storage_unavailable(&js_text(&e))),
        }
    }
}

/// The saved scenarios in this browser.
pub fn saved() -> Result<Saved<LocalStore>, Error> {
    LocalStore::open().map(Saved::new)
}

impl KeyValueStore for LocalStore {
    fn get(&self, key: &str) -> Option<String> {
        self.storage.get_item(key).ok().flatten()
    }

    fn set(&mut self, key: &str, value: &str) -> Result<(), Error> {
        self.storage.set_item(key, value).map_err(|e| {
            // Browsers name a full store differently (Firefox: NS_ERROR_DOM_QUOTA_REACHED).
            let quota = e
                .dyn_ref::<DomException>()
                .is_some_and(|d| d.name().contains("Quota") || d.name().contains("QUOTA"));
            if quota {
                storage_full()
            } else {
                storage_unavailable(&js_text(&e))
            }
        })
    }

    fn remove(&mut self, key: &str) {
        let _ = self.storage.remove_item(key);
    }

    fn keys(&self) -> Vec<String> {
        let n = self.storage.length().unwrap_or(0);
        (0..n)
            .filter_map(|k| self.storage.key(k).ok().flatten())
            .collect()
    }
}

/// A JavaScript error's text.
pub fn js_text(e: &wasm_bindgen::JsValue) -> String {
    if let Some(d) = e.dyn_ref::<DomException>() {
        return format!("{}: {}", d.name(), d.message());
    }
    e.dyn_ref::<js_sys::Error>()
        .map(|e| String::from(e.message()))
        .or_else(|| e.as_string())
        .unwrap_or_else(|| format!("{e:?}"))
}
