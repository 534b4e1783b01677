//! Where a workspace comes from and goes to: share links in the URL
//! fragment, the autosave and saved scenarios in localStorage, scenario
//! files. The formats and their checks live in the browser-free
//! [`crate::share`] and [`crate::saved`]; this module reads the URL and the
//! clock and turns every outcome into a workspace plus messages.

use wasm_bindgen::JsValue;

use super::state::{Imported, Message, MessageKind, Workspace};
use super::storage::saved;
use crate::i18n::Lang;
use crate::message::{Error, Text};
use crate::saved::{Entry, Payload, SavedPin};
use crate::scenario::builtin::builtin;
use crate::scenario::Scenario;
use crate::share::{self, Notice};

/// The scenario a fresh page opens when there is no link and no autosave.
pub const DEFAULT_SCENARIO: &str = "pudong-2024";

/// The workspace a page load opens: the link in the URL if there is one
/// (then the fragment is cleared, so a reload shows the autosave, which by
/// then holds the link's scenario and any edits since), else the autosave,
/// else the default scenario. Every problem becomes a message; only a
/// broken built-in (a build defect) is an error.
pub fn initial_workspace() -> Result<Workspace, Error> {
    let lang = remembered_lang();
    let fragment = current_fragment();
    if !fragment.is_empty() {
        clear_fragment();
        keep_autosave_aside();
        return from_link(&fragment).map(|mut w| {
            w.lang = lang;
            w
        });
    }
    let mut messages = Vec::new();
    let restored = match saved() {
        Err(e) => {
            // Storage switched off: a warning (MessageKind::for_error).
            messages.push(Message::error(&e));
            None
        }
        Ok(mut store) => match store.load_autosave() {
            Ok(None) => None,
            Ok(Some(entry)) => match from_entry(&entry, lang) {
                Ok(w) => Some(w),
                Err(m) => {
                    messages.push(m);
                    None
                }
            },
            Err(unreadable) => {
                messages.push(Message::error(&unreadable));
                None
            }
        },
    };
    let mut w = match restored {
        Some(w) => w,
        None => Workspace::new(DEFAULT_SCENARIO)?,
    };
    w.lang = lang;
    w.messages.extend(messages);
    Ok(w)
}

/// Where the interface language is remembered (not part of any scenario).
const LANG_KEY: &str = "youjun.lang";

/// The language the planner last chose in this browser; Chinese by default.
pub fn remembered_lang() -> Lang {
    let stored = web_sys::window()
        .and_then(|w| w.local_storage().ok().flatten())
        .and_then(|s| s.get_item(LANG_KEY).ok().flatten());
    match stored.as_deref() {
        Some("en") => Lang::En,
        _ => Lang::Zh,
    }
}

/// Remembers the language; a storage that refuses only loses the preference.
pub fn remember_lang(lang: Lang) {
    if let Some(s) = web_sys::window().and_then(|w| w.local_storage().ok().flatten()) {
        let _ = s.set_item(LANG_KEY, lang.pick("zh", "en"));
    }
}

/// A link opened in a page already showing a scenario (the fragment
/// changed): the current work is kept aside first, as on a page load.
///
/// # Errors
///
/// As [`from_link`].
pub fn open_link_in_page(fragment: &str) -> Result<Workspace, Error> {
    clear_fragment();
    keep_autosave_aside();
    from_link(fragment)
}

/// The page URL's fragment without `#`, percent-decoded is not needed: the
/// link alphabet needs no escaping.
pub fn current_fragment() -> String {
    let hash = web_sys::window()
        .and_then(|w| w.location().hash().ok())
        .unwrap_or_default();
    hash.trim_start_matches('#').trim().to_owned()
}

fn clear_fragment() {
    let Some(window) = web_sys::window() else {
        return;
    };
    let location = window.location();
    let url = format!(
        "{}{}",
        location.pathname().unwrap_or_default(),
        location.search().unwrap_or_default()
    );
    if let Ok(history) = window.history() {
        let _ = history.replace_state_with_url(&JsValue::NULL, "", Some(&url));
    }
}

/// Opening a link replaces the autosave; edits made before are first kept
/// as a saved scenario, so a link never overwrites unsaved work.
fn keep_autosave_aside() {
    let Ok(mut store) = saved() else { return };
    let Ok(Some(entry)) = store.load_autosave() else {
        return;
    };
    let pristine =
        matches!(&entry.payload, Payload::Link(s) if s.levers.is_empty() && s.yearly.is_empty());
    if !pristine {
        let name = format!("打开链接前的方案 {}", now_text());
        let _ = store.save_as(&name, entry);
    }
}

/// The workspace a share link describes, or the default scenario with a
/// message saying why the link could not be opened (whatever the
/// [`crate::message::ErrorKind`]: every failed link opens the default).
///
/// # Errors
///
/// Only when the default scenario itself does not load: a build defect.
pub fn from_link(fragment: &str) -> Result<Workspace, Error> {
    let opened = share::decode(fragment).and_then(|state| {
        let (scenario, notices) = share::apply(&state)?;
        Ok((state, scenario, notices))
    });
    match opened {
        Ok((state, scenario, notices)) => match Workspace::open(&state.base, scenario, None) {
            Ok(mut w) => {
                let changed = state.levers.len() + state.yearly.len();
                w.messages.push(Message::new(
                    MessageKind::Info,
                    format!(
                        "已打开分享链接：基于「{}」，{changed} 项调整。",
                        w.base.scenario.scenario.name
                    ),
                    format!(
                        "Opened a share link: {} with {changed} lever(s) changed.",
                        w.base.scenario.scenario.id
                    ),
                ));
                for n in &notices {
                    if let Notice::RosterNeeded { hash } = n {
                        w.awaiting_roster = Some(hash.clone());
                    }
                    w.messages.push(Message::of(MessageKind::Warning, n.text()));
                }
                Ok(w)
            }
            Err(e) => fallback(
                &e,
                Text::new("无法打开链接：", "The link could not be opened: "),
            ),
        },
        Err(e) => fallback(&e, Text::default()),
    }
}

/// The default scenario, with why the link was not opened (`e` after
/// `lead`) and a line saying the default was opened instead.
fn fallback(e: &Error, lead: Text) -> Result<Workspace, Error> {
    let mut w = Workspace::new(DEFAULT_SCENARIO)?;
    let name = w.base.scenario.scenario.name.clone();
    let why = Message::error(e);
    let text = why.text.map(|lang, why| match lang {
        Lang::Zh => format!("{}{why} 已改为打开默认情景「{name}」。", lead.zh),
        Lang::En => format!(
            "{}{why} The default scenario ({DEFAULT_SCENARIO}) was opened instead.",
            lead.en
        ),
    });
    w.messages.push(Message::of(why.kind, text));
    Ok(w)
}

/// The workspace a saved entry describes; a message when it cannot be opened.
pub fn from_entry(entry: &Entry, lang: Lang) -> Result<Workspace, Message> {
    let (scenario, notices) = entry.scenario().map_err(|e| Message::error(&e))?;
    let imported = match &entry.payload {
        Payload::Scenario(s) if s.roster.schools.is_some() => {
            let roster = s
                .resolve_roster(|_| Err(String::new()))
                .map_err(|e| Message::error(&e))?;
            Some(Imported::new(
                roster,
                lang.pick("已保存的花名册", "saved roster").to_owned(),
            ))
        }
        _ => None,
    };
    let mut w = Workspace::open(&entry.base, scenario, imported).map_err(|e| Message::error(&e))?;
    w.lang = lang;
    w.restore_pins(&entry.pins);
    for n in notices
        .iter()
        .filter(|n| !matches!(n, Notice::RosterNeeded { .. }))
    {
        w.messages.push(Message::of(MessageKind::Warning, n.text()));
    }
    Ok(w)
}

/// A scenario file (the JSON this app exports, or any scenario JSON/TOML the
/// CLI runs) as a workspace: its built-in, when its id names one, is the
/// baseline; rows written inline become the imported roster.
pub fn from_scenario_file(file_name: &str, bytes: &[u8], lang: Lang) -> Result<Workspace, Message> {
    let text = std::str::from_utf8(bytes).map_err(|_| {
        Message::new(
            MessageKind::Error,
            format!("「{file_name}」不是 UTF-8 文本。"),
            format!("“{file_name}” is not UTF-8 text."),
        )
    })?;
    let toml = file_name.to_ascii_lowercase().ends_with(".toml");
    let parsed = if toml {
        Scenario::from_toml(text)
    } else {
        Scenario::from_json(text)
    };
    let scenario = parsed.map_err(|e| {
        let why = e.text();
        let text = why.map(|lang, why| match lang {
            Lang::Zh => format!("「{file_name}」不是有效的方案文件：{why}"),
            Lang::En => format!("“{file_name}” is not a valid scenario file: {why}"),
        });
        Message::of(MessageKind::Error, text)
    })?;
    let id = scenario.scenario.id.clone();
    if builtin(&id).is_none() {
        let known = crate::scenario::builtin::BUILTIN
            .iter()
            .map(|b| b.id)
            .collect::<Vec<_>>()
            .join(", ");
        return Err(Message::new(
            MessageKind::Error,
            format!("方案文件的情景 id `{id}` 不是内置情景（可用：{known}）。"),
            format!(
                "The file's scenario id `{id}` is not a built-in scenario (available: {known})."
            ),
        ));
    }
    let imported = match &scenario.roster.schools {
        Some(_) => {
            let roster = scenario
                .resolve_roster(|_| Err(String::new()))
                .map_err(|e| Message::error(&e))?;
            Some(Imported::new(roster, file_name.to_owned()))
        }
        None => None,
    };
    let mut scenario = scenario;
    if imported.is_some() {
        // The built-in's roster spec: the rows are held as the imported roster.
        scenario.roster = builtin(&id)
            .and_then(|b| b.scenario().ok())
            .map(|b| b.roster)
            .unwrap_or_default();
    }
    let mut w = Workspace::open(&id, scenario, imported).map_err(|e| Message::error(&e))?;
    w.messages.push(Message::new(
        MessageKind::Info,
        format!("已打开方案文件「{file_name}」。"),
        format!("Opened the scenario file “{file_name}”."),
    ));
    let _ = lang;
    Ok(w)
}

/// The saved entry for the workspace as it is now.
pub fn entry(w: &Workspace) -> Entry {
    let mut e = Entry::capture(
        &w.base.scenario,
        &w.current.scenario,
        w.imported.as_ref().map(|i| &*i.roster),
        now_ms(),
    );
    e.pins = w
        .pinned
        .iter()
        .map(|p| SavedPin::capture(p.number, &w.base.scenario, &p.scenario))
        .collect();
    e
}

/// Writes the autosave; the message to show when it failed, as serious as
/// the failure's kind (full storage is an error, storage switched off a warning).
pub fn autosave(w: &Workspace) -> Option<Message> {
    let result = saved().and_then(|mut s| s.autosave(&entry(w)));
    result.err().map(|e| {
        let why = Message::error(&e);
        let text = why
            .text
            .map(|lang, why| format!("{} {why}", lang.pick("自动保存失败：", "Autosave failed:")));
        Message::of(why.kind, text)
    })
}

/// The share link for the workspace: this page's address with the link in
/// its fragment.
pub fn share_url(w: &Workspace) -> String {
    let state = share::capture(
        &w.base.scenario,
        &w.current.scenario,
        w.imported.as_ref().map(|i| i.hash.clone()),
    );
    let base = web_sys::window()
        .and_then(|w| {
            let l = w.location();
            Some(format!(
                "{}{}{}",
                l.origin().ok()?,
                l.pathname().ok()?,
                l.search().ok()?
            ))
        })
        .unwrap_or_default();
    format!("{base}#{}", share::encode(&state))
}

pub fn now_ms() -> u64 {
    js_sys::Date::now().max(0.0) as u64
}

/// The local date and time, `2026-12-03 10:15`.
pub fn now_text() -> String {
    time_text(now_ms())
}

pub fn time_text(ms: u64) -> String {
    let d = js_sys::Date::new(&JsValue::from_f64(ms as f64));
    format!(
        "{:04}-{:02}-{:02} {:02}:{:02}",
        d.get_full_year(),
        d.get_month() + 1,
        d.get_date(),
        d.get_hours(),
        d.get_minutes()
    )
}
