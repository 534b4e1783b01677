//! The built-in scenarios whose JSON the page's module does not hold (see
//! [`crate::scenario::builtin`]): fetched from `builtins/<id>.json` on this
//! origin (the service worker keeps them for offline use) after the first
//! chart, or before whatever needs one of them runs: a link or an autosave
//! on another built-in at page load, the picker, a saved scenario, a
//! scenario file.

use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

use super::state::{Message, MessageKind};
use crate::scenario::builtin::{builtin, missing, provide, Builtin};

/// Whether every built-in's JSON is here.
pub fn all_here() -> bool {
    missing().next().is_none()
}

/// Fetches every built-in still missing, all requests at once.
///
/// # Errors
///
/// A message naming the first file that could not be fetched or is not this
/// build's, in both languages.
pub async fn fetch_missing() -> Result<(), Message> {
    fetch(missing().collect()).await
}

/// Fetches `wanted`, all requests at once.
async fn fetch(wanted: Vec<&'static Builtin>) -> Result<(), Message> {
    let Some(window) = web_sys::window() else { return Ok(()) };
    let requests: Vec<_> = wanted.iter().map(|b| (b.id, JsFuture::from(window.fetch_with_str(&path(b.id))))).collect();
    for (id, request) in requests {
        let text = text_of(request).await.map_err(|_| cannot_fetch(id))?;
        provide(id, text).map_err(|e| Message::error(&e))?;
    }
    Ok(())
}

/// Runs `then` once every built-in is here: at once when they are, else
/// after fetching them; `failed` gets the message when they cannot be.
pub fn then(then: impl FnOnce() + 'static, failed: impl FnOnce(Message) + 'static) {
    when(missing().collect(), then, failed);
}

/// As [`then`], for the built-in `id` alone (the picker's choice), so that
/// a failure names that one.
pub fn then_for(id: &str, then: impl FnOnce() + 'static, failed: impl FnOnce(Message) + 'static) {
    when(builtin(id).filter(|b| b.json().is_none()).into_iter().collect(), then, failed);
}

fn when(wanted: Vec<&'static Builtin>, then: impl FnOnce() + 'static, failed: impl FnOnce(Message) + 'static) {
    if wanted.is_empty() {
        return then();
    }
    wasm_bindgen_futures::spawn_local(async move {
        match fetch(wanted).await {
            Ok(()) => then(),
            Err(m) => failed(m),
        }
    });
}

/// Where web/build.sh puts a built-in's JSON, relative to the page.
fn path(id: &str) -> String {
    format!("builtins/{id}.json")
}

/// The body of a successful response.
async fn text_of(request: JsFuture) -> Result<String, JsValue> {
    let response: web_sys::Response = request.await?.dyn_into()?;
    if !response.ok() {
        return Err(JsValue::from(response.status()));
    }
    JsFuture::from(response.text()?).await?.as_string().ok_or(JsValue::NULL)
}

fn cannot_fetch(id: &str) -> Message {
    let file = path(id);
    Message::new(
        MessageKind::Error,
        format!("无法载入内置情景 `{id}` 的数据（{file}）：请检查网络连接后重试。当前方案未改变。"),
        format!("Could not load the data of the built-in scenario `{id}` ({file}): check the connection and try again. The current scenario is unchanged."),
    )
}
