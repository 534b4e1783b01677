//! Where a workspace comes from and goes to: share links in the URL
//! fragment, the autosave and saved scenarios in localStorage, scenario
//! files. The formats and their checks live in the browser-free
//! [`crate::share`] and [`crate::saved`]; this module reads the URL and the
//! clock and turns every outcome into a workspace plus messages.

use wasm_bindgen::JsValue;

use super::state::{HeldLink, Imported, Message, MessageKind, Workspace};
use super::storage::saved;
use crate::i18n::Lang;
use crate::message::{Error, ErrorKind, Text};
use crate::saved::{Entry, Payload, SavedPin};
use crate::scenario::builtin::builtin;
use crate::scenario::Scenario;
use crate::share::{self, Notice};

/// The scenario a fresh page opens when there is no link and no autosave.
pub const DEFAULT_SCENARIO: &str = "pudong-2024";

/// The workspace a page load opens: the autosave (an autosave this version
/// cannot apply is kept aside intact, and the default opens), else the
/// default scenario; then the link in the URL if there is one (the fragment
/// is cleared, so a reload shows the autosave, which by then holds the
/// link's scenario and any edits since). The autosave's edits are kept as a
/// saved scenario before a link replaces them; when they cannot be (storage
/// full), the link waits for the planner's consent ([`Workspace::held_link`]).
/// Every problem becomes a message; only a broken built-in (a build defect)
/// is an error.
pub fn initial_workspace() -> Result<Workspace, Error> {
    let lang = remembered_lang();
    let fragment = current_fragment();
    let mut messages: Vec<Message> = AT_START.with(|m| m.take()).into_iter().collect();
    let mut restored_entry = None;
    let restored = match saved() {
        Err(e) => {
            // Storage switched off: a warning (MessageKind::for_error).
            if fragment.is_empty() {
                messages.push(Message::error(&e));
            }
            None
        }
        Ok(mut store) => {
            let r = store.restore_autosave();
            HELD.with(|h| h.set(r.held));
            if let Some(p) = r.problem {
                messages.push(Message::error(&Error::new(ErrorKind::SavedUnreadable, p)));
            }
            match r.entry {
                None => None,
                Some(entry) => match from_entry(&entry, lang) {
                    Ok(w) => {
                        restored_entry = Some(entry);
                        Some(w)
                    }
                    Err(m) => {
                        // Applies natively but not to this page (its roster):
                        // kept aside like any other, never overwritten.
                        let kept = store.keep_autosave_aside(m.text.clone());
                        HELD.with(|h| h.set(kept.held));
                        messages.extend(kept.problem.map(|p| Message::error(&Error::new(ErrorKind::SavedUnreadable, p))));
                        None
                    }
                },
            }
        }
    };
    let mut w = match restored {
        Some(w) => w,
        None => Workspace::new(DEFAULT_SCENARIO)?,
    };
    w.lang = lang;
    w.messages.extend(messages);
    if fragment.is_empty() {
        return Ok(w);
    }
    clear_fragment();
    let mut link = from_link(&fragment)?;
    link.lang = lang;
    let kept = match restored_entry {
        None => Ok(None),
        Some(entry) => saved().and_then(|mut s| s.keep_before_replacing(&kept_name(), entry)),
    };
    match kept {
        Ok(kept) => {
            // Problems with the autosave still concern the planner.
            let mut messages = std::mem::take(&mut w.messages);
            messages.extend(kept.map(|e| kept_message(&e.name)));
            messages.append(&mut link.messages);
            link.messages = messages;
            Ok(link)
        }
        Err(e) => {
            w.held_link = Some(HeldLink::new(link, &e));
            Ok(w)
        }
    }
}

/// Whether the page opens a link or an autosave, either of which may be on a
/// built-in whose JSON is fetched (`super::builtins`).
pub fn may_need_other_builtins() -> bool {
    let autosave = web_sys::window()
        .and_then(|w| w.local_storage().ok().flatten())
        .and_then(|s| s.get_item(crate::saved::AUTOSAVE_KEY).ok().flatten());
    !current_fragment().is_empty() || autosave.is_some()
}

/// A message for the workspace the page opens ([`initial_workspace`]).
pub fn note_at_start(m: Message) {
    AT_START.with(|a| a.set(Some(m)));
}

thread_local! {
    /// What went wrong before the page opened its workspace.
    static AT_START: std::cell::Cell<Option<Message>> = const { std::cell::Cell::new(None) };
    /// The autosave had to be left in place (no room to keep it aside):
    /// until it is safe elsewhere, autosaves go through
    /// `Saved::autosave_over_held`.
    static HELD: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// The name a scenario kept before a link replaced it gets.
fn kept_name() -> String {
    format!("打开链接前的方案 {}", now_text())
}

/// Says where the scenario a link replaced was kept.
fn kept_message(name: &str) -> Message {
    Message::new(
        MessageKind::Info,
        format!("打开链接前的方案已保存为「{name}」（见“已保存方案”）。"),
        format!("The scenario open before the link was saved as “{name}” (see Saved)."),
    )
}

/// Before a link replaces `current`: keeps its edits as a saved scenario,
/// and returns the message saying so (none when it had no edits).
///
/// # Errors
///
/// When they cannot be kept (storage full or switched off): the link must
/// then wait for the planner ([`HeldLink`]).
pub fn keep_before_link(current: &Workspace) -> Result<Option<Message>, Error> {
    let e = entry(current);
    if e.is_pristine() {
        // Nothing the planner made (a fresh page): nothing to keep, nothing to ask.
        return Ok(None);
    }
    let kept = saved()?.keep_before_replacing(&kept_name(), e)?;
    Ok(kept.map(|e| kept_message(&e.name)))
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
/// changed): the workspace it describes, marked to replace the current one
/// only once the current work is kept ([`Workspace::opened_from_link`]; the
/// reducer, which holds the current work, calls [`keep_before_link`]).
///
/// # Errors
///
/// As [`from_link`].
pub fn open_link_in_page(fragment: &str) -> Result<Workspace, Error> {
    clear_fragment();
    from_link(fragment).map(|mut w| {
        w.opened_from_link = true;
        w
    })
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
    // A roster kept by its hash only (too big for storage): the edits are
    // back, on the built-in's roster until the planner imports it again.
    if let (Payload::Link(_), Some(hash)) = (&entry.payload, &entry.roster_hash) {
        w.awaiting_roster = Some(hash.clone());
        w.messages.push(Message::new(
            MessageKind::Warning,
            format!("已恢复方案的调整。它所用的导入花名册（摘要 {hash}）{ROSTER_TOO_BIG_ZH}，未随方案保存：在重新导入该文件之前，结果按内置花名册计算。请通过“导入”再次选择该文件。"),
            format!("The scenario's edits are restored. Its imported roster (hash {hash}) was too big for browser storage and was not saved with it: until that file is imported again, results use the built-in roster. Choose the file again under Import."),
        ));
    }
    for n in notices
        .iter()
        .filter(|n| !matches!(n, Notice::RosterNeeded { .. }))
    {
        w.messages.push(Message::of(MessageKind::Warning, n.text()));
    }
    Ok(w)
}

/// Whether `file_name` is a TOML scenario file: the page's module has no
/// TOML parser, so the Excel module's worker reads it
/// (`import_worker::read_toml_scenario`) and [`opened_scenario`] opens it.
pub fn is_toml(file_name: &str) -> bool {
    file_name.to_ascii_lowercase().ends_with(".toml")
}

/// A scenario file's bytes as text, or the message that they are not UTF-8.
pub fn scenario_text<'a>(file_name: &str, bytes: &'a [u8]) -> Result<&'a str, Message> {
    std::str::from_utf8(bytes).map_err(|_| {
        Message::new(
            MessageKind::Error,
            format!("「{file_name}」不是 UTF-8 文本。"),
            format!("“{file_name}” is not UTF-8 text."),
        )
    })
}

/// A JSON scenario file (the JSON this app exports, or any scenario JSON
/// the CLI runs) as a workspace, as [`opened_scenario`] opens it.
pub fn from_scenario_file(file_name: &str, bytes: &[u8], lang: Lang) -> Result<Workspace, Message> {
    let text = scenario_text(file_name, bytes)?;
    opened_scenario(file_name, Scenario::from_json(text).map_err(|e| e.text()), lang)
}

/// The scenario read from the file `file_name` (or why it is not one, in
/// both languages) as a workspace: its built-in, when its id names one, is
/// the baseline; rows written inline become the imported roster.
pub fn opened_scenario(file_name: &str, parsed: Result<Scenario, Text>, lang: Lang) -> Result<Workspace, Message> {
    let scenario = parsed.map_err(|why| {
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

/// An imported roster's JSON above this many bytes is not kept inline in
/// an entry: browser storage holds about 5 million characters in all, and
/// writing tens of megabytes on every edit would stall the page (about
/// 9,000 rows).
pub const INLINE_ROSTER_BYTES: usize = 2_000_000;

/// What the page says of a roster kept by hash only (the words the page
/// drops once the roster is found in this browser after all).
pub const ROSTER_TOO_BIG_ZH: &str = "太大，浏览器存储放不下";

/// The saved entry for the workspace as it is now. An imported roster goes
/// inline when it fits ([`INLINE_ROSTER_BYTES`]), else by its hash only.
pub fn entry(w: &Workspace) -> Entry {
    let mut e = match &w.imported {
        Some(i) if i.json.len() > INLINE_ROSTER_BYTES => {
            Entry::capture_roster_by_hash(&w.base.scenario, &w.current.scenario, &i.hash, now_ms())
        }
        imported => Entry::capture(&w.base.scenario, &w.current.scenario, imported.as_ref().map(|i| &*i.roster), now_ms()),
    };
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
    let result = saved().and_then(|mut s| {
        if HELD.with(|h| h.get()) {
            s.autosave_over_held(&entry(w))?;
            HELD.with(|h| h.set(false));
            Ok(())
        } else {
            s.autosave(&entry(w))
        }
    });
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
