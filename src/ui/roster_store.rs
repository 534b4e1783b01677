//! An imported roster too big for localStorage (its JSON over
//! `persist::INLINE_ROSTER_BYTES`), kept in this browser's IndexedDB by its
//! hash, so a reload brings it back without the planner choosing the file
//! again. The autosave in localStorage names it by hash; only the latest
//! such roster is kept (one district's roster at a time). Nothing leaves the
//! browser. Where IndexedDB is switched off or full, the page says so and
//! asks for the file after a reload, as before.

use js_sys::{Function, Promise};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{IdbDatabase, IdbOpenDbRequest, IdbRequest, IdbTransactionMode};

use super::storage::js_text;

const DB: &str = "youjun";
const STORE: &str = "rosters";

/// Bytes of JSON per record: a record's copy into the store happens on the
/// page's thread, so a roster of tens of megabytes goes in slices, one
/// transaction each, with a pause between.
const SLICE_BYTES: usize = 1 << 20;

/// Keeps `json`, the roster whose hash is `hash`, in place of any roster
/// kept before: under `HASH` the number of slices, under `HASH:k` slice `k`.
///
/// # Errors
///
/// IndexedDB is missing, switched off or full: the reason as text.
pub async fn keep(hash: &str, json: &str) -> Result<(), String> {
    let db = open().await?;
    let result = keep_in(&db, hash, json).await;
    // Closed once done, so a deleteDatabase is not blocked.
    db.close();
    result
}

async fn keep_in(db: &IdbDatabase, hash: &str, json: &str) -> Result<(), String> {
    let slices = slices(json);
    let clear = store(db, IdbTransactionMode::Readwrite)?.clear().map_err(|e| js_text(&e))?;
    done(&clear).await?;
    for (k, slice) in slices.iter().enumerate() {
        let put = store(db, IdbTransactionMode::Readwrite)?
            .put_with_key(&JsValue::from_str(slice), &JsValue::from_str(&format!("{hash}:{k}")))
            .map_err(|e| js_text(&e))?;
        done(&put).await?;
    }
    // The count last: a roster is there only once every slice is.
    let count = store(db, IdbTransactionMode::Readwrite)?
        .put_with_key(&JsValue::from(slices.len() as u32), &JsValue::from_str(hash))
        .map_err(|e| js_text(&e))?;
    done(&count).await.map(|_| ())
}

/// `json` cut into slices of about [`SLICE_BYTES`], at character boundaries.
fn slices(json: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = json;
    while !rest.is_empty() {
        let mut end = rest.len().min(SLICE_BYTES);
        while !rest.is_char_boundary(end) {
            end += 1;
        }
        let (slice, tail) = rest.split_at(end);
        out.push(slice);
        rest = tail;
    }
    out
}

/// The roster kept under `hash`, if this browser has all of it.
///
/// # Errors
///
/// IndexedDB is missing or switched off: the reason as text.
pub async fn fetch(hash: &str) -> Result<Option<String>, String> {
    let db = open().await?;
    let result = fetch_in(&db, hash).await;
    db.close();
    result
}

async fn fetch_in(db: &IdbDatabase, hash: &str) -> Result<Option<String>, String> {
    let get = |key: String| -> Result<IdbRequest, String> { store(db, IdbTransactionMode::Readonly)?.get(&JsValue::from_str(&key)).map_err(|e| js_text(&e)) };
    let Some(count) = done(&get(hash.to_owned())?).await?.as_f64() else { return Ok(None) };
    let mut json = String::new();
    for k in 0..count as u32 {
        match done(&get(format!("{hash}:{k}"))?).await?.as_string() {
            Some(slice) => json.push_str(&slice),
            None => return Ok(None),
        }
    }
    Ok(Some(json))
}

/// The roster store, in a transaction of its own.
fn store(db: &IdbDatabase, mode: IdbTransactionMode) -> Result<web_sys::IdbObjectStore, String> {
    db.transaction_with_str_and_mode(STORE, mode).and_then(|tx| tx.object_store(STORE)).map_err(|e| js_text(&e))
}

async fn open() -> Result<IdbDatabase, String> {
    let factory = web_sys::window()
        .ok_or("no window")?
        .indexed_db()
        .map_err(|e| js_text(&e))?
        .ok_or("IndexedDB is switched off")?;
    let request: IdbOpenDbRequest = factory.open_with_u32(DB, 1).map_err(|e| js_text(&e))?;
    // A first open (version 0 → 1) creates the store.
    let upgrading = request.clone();
    let on_upgrade = Closure::once_into_js(move || {
        if let Ok(db) = upgrading.result().and_then(|r| r.dyn_into::<IdbDatabase>()) {
            if !db.object_store_names().contains(STORE) {
                let _ = db.create_object_store(STORE);
            }
        }
    });
    request.set_onupgradeneeded(Some(on_upgrade.unchecked_ref()));
    done(&request).await?.dyn_into::<IdbDatabase>().map_err(|_| "IndexedDB gave no database".to_owned())
}

/// The request's result once it succeeds, or why it failed.
async fn done(request: &IdbRequest) -> Result<JsValue, String> {
    let promise = Promise::new(&mut |resolve: Function, reject: Function| {
        let (ok, failed) = (request.clone(), request.clone());
        let on_success = Closure::once_into_js(move || {
            let _ = resolve.call1(&JsValue::NULL, &ok.result().unwrap_or(JsValue::UNDEFINED));
        });
        let on_error = Closure::once_into_js(move || {
            let why = failed.error().ok().flatten().map(|e| js_text(&e)).unwrap_or_else(|| "IndexedDB request failed".into());
            let _ = reject.call1(&JsValue::NULL, &JsValue::from_str(&why));
        });
        request.set_onsuccess(Some(on_success.unchecked_ref()));
        request.set_onerror(Some(on_error.unchecked_ref()));
    });
    JsFuture::from(promise).await.map_err(|e| js_text(&e))
}
