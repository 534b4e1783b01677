//! Autosave and named saved scenarios, over a small key-value store trait
//! (the pattern ruffle uses for its storage backends): the browser's
//! `localStorage` implements [`KeyValueStore`] in `ui`; tests use
//! [`MemoryStore`]. No clock here: the caller passes `saved_at`.
//!
//! # Keys (all under `youjun.`)
//!
//! - `youjun.autosave`: the workspace as last autosaved.
//! - `youjun.saved.<id>`: one saved scenario.
//! - `youjun.trash.<id>`: the last deleted one, for [`Saved::undo_delete`]
//!   (one level of undo: a new delete empties the trash first).
//! - `youjun.quarantine.<original key>` (then `….2`, `….3`, … when taken):
//!   an entry that could not be read, or that reads but no longer applies
//!   (a lever this version does not have, a value now out of range, an
//!   unknown base scenario, a pin in that state), moved aside byte for byte
//!   and never dropped. [`Saved::kept_aside`] lists them with the reason,
//!   worked out again from the text each time, so nothing but the original
//!   text is stored. Nothing is overwritten before its text is safe there:
//!   when there is no room to move it, it stays where it was
//!   ([`Restored::held`]).
//!
//! # Entry JSON
//!
//! Schema 1 ([`SCHEMA_VERSION`]): `{"schema": 1, "id", "name", "base",
//! "saved_at", "roster_hash"?, "payload": {"link": SharedState} | {"scenario":
//! Scenario}, "pins"?: [{"number", "edits": SharedState}]}`. A built-in roster
//! keeps only the link state (small, and it follows fixes to the built-in); an
//! imported roster keeps the whole scenario with its rows inline, since the
//! roster exists nowhere else. `pins` (the scenarios pinned for comparison)
//! came later and is optional, so entries written before it read unchanged.
//!
//! Schema 0 (the first prototype): no `schema` key, `{"name", "saved_at",
//! "scenario": Scenario}`, the id taken from the key. It is migrated to
//! schema 1 (a `scenario` payload, nothing lost) when read, and rewritten.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::message::{Error, ErrorKind, Place, Problem, Text};
use crate::roster::Roster;
use crate::scenario::builtin::{builtin, BUILTIN};
use crate::scenario::{json_path, RosterSource, Scenario};
use crate::share::{self, Notice, SharedState};

/// The entry format written now; older ones are migrated when read.
pub const SCHEMA_VERSION: u32 = 1;

/// The storage key of the autosave: the workspace as the planner last left it.
pub const AUTOSAVE_KEY: &str = "youjun.autosave";
const SAVED: &str = "youjun.saved.";
// As long as `SAVED`, so moving an entry to the trash needs no extra room.
const TRASH: &str = "youjun.trash.";
const QUARANTINE: &str = "youjun.quarantine.";

/// The platform's string storage.
pub trait KeyValueStore {
    /// The value under `key`, if any.
    fn get(&self, key: &str) -> Option<String>;
    /// Stores `value`. On an error the previous value under `key` is unchanged.
    ///
    /// # Errors
    ///
    /// [`storage_full`] when there is no room, [`storage_unavailable`] when
    /// the platform refuses the write.
    fn set(&mut self, key: &str, value: &str) -> Result<(), Error>;
    /// Removes `key` and its value, if any.
    fn remove(&mut self, key: &str);
    /// Every key, in any order.
    fn keys(&self) -> Vec<String>;
}

/// A store with no room left (localStorage holds about 5 MB per site):
/// [`ErrorKind::StorageFull`].
pub fn storage_full() -> Error {
    Error::whole(
        ErrorKind::StorageFull,
        Text::new(
            "浏览器存储空间已满，本次未保存，之前保存的内容不变。请删除一些已保存的方案后重试。",
            "The browser's storage is full, so this was not saved; what was saved before is unchanged. Delete some saved scenarios and try again.",
        ),
    )
}

/// Storage switched off or refused (private browsing, site settings), with
/// the platform's reason `why`: [`ErrorKind::StorageUnavailable`].
pub fn storage_unavailable(why: &str) -> Error {
    Error::whole(
        ErrorKind::StorageUnavailable,
        Text::new(
            format!("浏览器存储不可用（{why}），例如处于隐私浏览模式：方案无法保存。"),
            format!("Browser storage is unavailable ({why}), e.g. in private browsing: scenarios cannot be saved."),
        ),
    )
}

/// No saved entry (or trash entry, for undo) with this id: [`ErrorKind::SavedNotFound`].
fn not_found(id: &str) -> Error {
    Error::whole(
        ErrorKind::SavedNotFound,
        Text::new(
            format!("找不到已保存的方案 `{id}`（可能已在其他标签页中删除）。"),
            format!("There is no saved scenario `{id}` (it may have been deleted in another tab)."),
        ),
    )
}

/// An in-memory store for tests, with an optional quota counted in bytes of
/// keys and values (localStorage counts UTF-16 units, close enough for tests).
#[derive(Debug, Clone, Default)]
pub struct MemoryStore {
    map: BTreeMap<String, String>,
    quota: Option<usize>,
}

impl MemoryStore {
    /// An empty store without a quota.
    pub fn new() -> Self {
        Self::default()
    }

    /// An empty store that refuses writes past `bytes` (keys and values).
    pub fn with_quota(bytes: usize) -> Self {
        MemoryStore { map: BTreeMap::new(), quota: Some(bytes) }
    }

    /// Bytes held, keys included.
    pub fn used(&self) -> usize {
        self.map.iter().map(|(k, v)| k.len() + v.len()).sum()
    }
}

impl KeyValueStore for MemoryStore {
    fn get(&self, key: &str) -> Option<String> {
        self.map.get(key).cloned()
    }

    fn set(&mut self, key: &str, value: &str) -> Result<(), Error> {
        let freed = self.map.get(key).map_or(0, |v| key.len() + v.len());
        if self.quota.is_some_and(|q| self.used() - freed + key.len() + value.len() > q) {
            return Err(storage_full());
        }
        self.map.insert(key.to_owned(), value.to_owned());
        Ok(())
    }

    fn remove(&mut self, key: &str) {
        self.map.remove(key);
    }

    fn keys(&self) -> Vec<String> {
        self.map.keys().cloned().collect()
    }
}

/// A saved scenario.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Entry {
    /// Unique among saved entries; empty until [`Saved::save_as`] gives one.
    pub id: String,
    /// The name the planner gave it (shown in the saved list).
    pub name: String,
    /// The built-in scenario it starts from.
    pub base: String,
    /// When it was saved, as the caller counts (the UI: milliseconds since 1970).
    pub saved_at: u64,
    /// [`share::roster_hash`] of the imported roster, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub roster_hash: Option<String>,
    /// What reproduces the scenario: lever edits or the whole scenario.
    pub payload: Payload,
    /// Scenarios pinned for comparison with this one, so a reload or a
    /// reopened save brings the comparison back too.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub pins: Vec<SavedPin>,
}

/// A pinned scenario: its number ("方案 2") and its lever edits to the
/// entry's built-in. It runs on the entry's roster, as it did when pinned
/// (pins are cleared when the planner changes the base scenario).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SavedPin {
    /// The pin's number in the comparison ("方案 2").
    pub number: u32,
    /// Its lever edits to the entry's built-in, in share-link form.
    pub edits: SharedState,
}

impl SavedPin {
    /// The pin numbered `number` for `pinned`, recorded as its lever edits to `base`.
    pub fn capture(number: u32, base: &Scenario, pinned: &Scenario) -> SavedPin {
        SavedPin {
            number,
            edits: share::capture(base, pinned, None),
        }
    }

    /// The pinned scenario, checked like a link (an unknown lever or a value
    /// out of range is an error, not a silent change).
    ///
    /// # Errors
    ///
    /// As [`share::apply`].
    pub fn scenario(&self) -> Result<Scenario, Error> {
        share::apply(&self.edits).map(|(s, _)| s)
    }
}

/// How a saved entry reproduces its scenario.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Payload {
    /// Lever edits to a built-in scenario, run on the built-in's roster.
    Link(SharedState),
    /// The whole scenario, roster rows inline (an imported roster).
    Scenario(Box<Scenario>),
}

impl Entry {
    /// The entry for `edited`, a copy of the built-in `base` changed through
    /// the levers, run on `imported` when the planner imported a roster.
    /// Id and name are empty: [`Saved::save_as`] sets them.
    pub fn capture(base: &Scenario, edited: &Scenario, imported: Option<&Roster>, saved_at: u64) -> Entry {
        let (payload, roster_hash) = match imported {
            None => (Payload::Link(share::capture(base, edited, None)), None),
            Some(r) => {
                let mut s = edited.clone();
                s.roster = RosterSource { schools: Some(r.schools.clone()), ..RosterSource::default() };
                (Payload::Scenario(Box::new(s)), Some(share::roster_hash(r)))
            }
        };
        Entry {
            id: String::new(),
            name: String::new(),
            base: base.scenario.id.clone(),
            saved_at,
            roster_hash,
            payload,
            pins: Vec::new(),
        }
    }

    /// The entry for `edited` on an imported roster too big to keep inline
    /// (browser storage holds a few megabytes): its lever edits, as a share
    /// link does, and the roster by its hash only. Opening it needs that
    /// roster imported again, as a link made on an imported roster does.
    pub fn capture_roster_by_hash(base: &Scenario, edited: &Scenario, roster_hash: &str, saved_at: u64) -> Entry {
        Entry {
            id: String::new(),
            name: String::new(),
            base: base.scenario.id.clone(),
            saved_at,
            roster_hash: Some(roster_hash.to_owned()),
            payload: Payload::Link(share::capture(base, edited, Some(roster_hash.to_owned()))),
            pins: Vec::new(),
        }
    }

    /// True when the entry holds nothing a planner made: the built-in as
    /// published, no pins, no imported roster. Replacing it loses nothing.
    pub fn is_pristine(&self) -> bool {
        self.pins.is_empty()
            && self.roster_hash.is_none()
            && matches!(&self.payload, Payload::Link(s) if s.levers.is_empty() && s.yearly.is_empty())
    }

    /// Why this version cannot open the entry as it was saved, or `None`
    /// when it can: its scenario must apply ([`Entry::scenario`]) on a
    /// built-in base, and so must every pin, on the same base.
    pub fn why_not_applicable(&self) -> Option<Text> {
        if builtin(&self.base).is_none() {
            let known = BUILTIN.iter().map(|b| b.id).collect::<Vec<_>>().join(", ");
            return Some(Text::new(
                format!("基础情景 `{}` 不是本版本的内置情景（可用：{known}）", self.base),
                format!("its base scenario `{}` is not built into this version (available: {known})", self.base),
            ));
        }
        // A built-in the page has not fetched yet (`scenario::builtin`): the
        // entry cannot be judged yet, and is not moved aside for it.
        if builtin(&self.base).is_some_and(|b| b.json().is_none()) {
            return None;
        }
        if let Err(e) = self.scenario() {
            return Some(e.text().map(|lang, why| lang.pick(format!("方案本身：{why}"), format!("the scenario itself: {why}"))));
        }
        for pin in &self.pins {
            let n = pin.number;
            if pin.edits.base != self.base {
                return Some(Text::new(
                    format!("固定的方案 {n} 基于另一个情景 `{}`", pin.edits.base),
                    format!("pinned option {n} is on another scenario, `{}`", pin.edits.base),
                ));
            }
            if let Err(e) = pin.scenario() {
                return Some(e.text().map(|lang, why| lang.pick(format!("固定的方案 {n}：{why}"), format!("pinned option {n}: {why}"))));
            }
        }
        None
    }

    /// The scenario the entry describes as far as this version can tell, for
    /// the planner to export as a scenario file when the entry no longer
    /// applies: a stored scenario as it is; a link's built-in with every
    /// lever that still exists and is in range set, and the seed. `None`
    /// when its base scenario is not built in.
    pub fn best_effort_scenario(&self) -> Option<Scenario> {
        match &self.payload {
            Payload::Scenario(s) => Some((**s).clone()),
            Payload::Link(state) => {
                let mut s = builtin(&state.base)?.scenario().ok()?;
                for (id, value) in &state.levers {
                    if let Some(l) = crate::levers::lever(id) {
                        let _ = l.set(&mut s, *value);
                    }
                }
                for (id, rows) in &state.yearly {
                    if let Some(l) = crate::levers::yearly_lever(id) {
                        for (year, value) in rows {
                            let _ = l.set(&mut s, *year, *value);
                        }
                    }
                }
                s.scenario.seed = state.seed;
                Some(s)
            }
        }
    }

    /// The scenario to run, with any notices.
    ///
    /// # Errors
    ///
    /// As [`share::apply`], and [`ErrorKind::ScenarioInvalid`] for a stored
    /// scenario that no longer validates.
    pub fn scenario(&self) -> Result<(Scenario, Vec<Notice>), Error> {
        match &self.payload {
            Payload::Link(state) => share::apply(state),
            Payload::Scenario(s) => match s.validate() {
                problems if problems.is_empty() => Ok(((**s).clone(), Vec::new())),
                problems => Err(share::invalid_scenario(Text::new("保存的方案无效", "The saved scenario is not valid"), problems)),
            },
        }
    }
}

/// Why a stored entry could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Reason {
    NotJson(String),
    /// Written by a newer version of the app.
    NewerSchema(u64),
    /// `schema` is there but not a known number.
    BadSchema(String),
    /// Valid JSON of the wrong shape: a missing field, a wrong type.
    Fields(String),
}

impl Reason {
    fn text(&self) -> Text {
        match self {
            Reason::NotJson(e) => Text::new(format!("不是有效的 JSON（{e}）"), format!("not valid JSON ({e})")),
            Reason::NewerSchema(n) => Text::new(
                format!("由较新版本的优均保存（格式 {n}，本版本支持到 {SCHEMA_VERSION}）"),
                format!("saved by a newer version of 优均 (schema {n}; this one reads up to {SCHEMA_VERSION})"),
            ),
            Reason::BadSchema(s) => Text::new(format!("格式版本 {s} 无法识别"), format!("unrecognised schema {s}")),
            Reason::Fields(e) => Text::new(format!("字段缺失或有误（{e}）"), format!("missing or wrong fields ({e})")),
        }
    }
}

/// The problem for an entry under `key` that could not be read, and where
/// its text now is: `moved_to`, or `None` when there was no room to move it
/// (it is then left where it was).
fn unreadable(key: &str, reason: &Reason, moved_to: Option<&str>) -> Problem {
    kept_problem(key, &Trouble::Unreadable(reason.clone()), moved_to)
}

/// What is wrong with a stored text: it cannot be read, or it reads but
/// this version cannot apply it.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Trouble {
    Unreadable(Reason),
    /// Why, from [`Entry::why_not_applicable`].
    NotApplicable(Text),
}

impl Trouble {
    /// The reason, led by what failed ("could not be read: …").
    fn text(&self) -> Text {
        match self {
            Trouble::Unreadable(r) => r.text().map(|lang, why| lang.pick(format!("无法读取：{why}"), format!("could not be read: {why}"))),
            Trouble::NotApplicable(why) => {
                why.map(|lang, why| lang.pick(format!("本版本无法应用：{why}"), format!("cannot be applied by this version: {why}")))
            }
        }
    }
}

/// What is wrong with the stored `text`, or `None` when it reads and applies.
fn diagnose(text: &str) -> (Option<Entry>, Option<Trouble>) {
    match parse(text, None) {
        Err(r) => (None, Some(Trouble::Unreadable(r))),
        Ok((e, _)) => {
            let why = e.why_not_applicable().map(Trouble::NotApplicable);
            (Some(e), why)
        }
    }
}

/// The problem for the entry under `key` and where its text now is:
/// `moved_to`, or `None` when there was no room to move it (it is then left
/// where it was).
fn kept_problem(key: &str, trouble: &Trouble, moved_to: Option<&str>) -> Problem {
    let why = trouble.text();
    let message = match moved_to {
        Some(to) => Text::new(
            format!("{}。原内容已原样移至 `{to}` 保留，可在“已保存方案”中导出或删除。", why.zh),
            format!("{}. Its text is kept unchanged under `{to}`; export or delete it under Saved.", why.en),
        ),
        None => Text::new(
            format!("{}。存储空间不足，无法移开，原内容留在原处，不会被覆盖。", why.zh),
            format!("{}. There was no room to move it aside, so it is left in place and will not be overwritten.", why.en),
        ),
    };
    Problem::new(Place::Key(key.to_owned()), message)
}

/// What a page load opens from the autosave: [`Saved::restore_autosave`].
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Restored {
    /// The entry to open, with only the pins that apply; `None` when there
    /// is no autosave or its scenario cannot be opened (open the default).
    pub entry: Option<Entry>,
    /// What was wrong and where its text now is, at the autosave's
    /// [`Place::Key`].
    pub problem: Option<Problem>,
    /// The autosave could not be opened as saved and there was no room to
    /// keep it aside: it is still under [`AUTOSAVE_KEY`], and the next
    /// autosave must go through [`Saved::autosave_over_held`].
    pub held: bool,
}

/// A stored text kept aside: [`Saved::kept_aside`].
#[derive(Debug, Clone, PartialEq)]
pub struct KeptAside {
    /// Where it is now (`youjun.quarantine.…`).
    pub key: String,
    /// Where it was (`youjun.autosave`, `youjun.saved.<id>`).
    pub from: String,
    /// Its text, byte for byte as it was stored.
    pub text: String,
    /// The entry, when the text reads as one.
    pub entry: Option<Entry>,
    /// Why it was kept aside, in both languages.
    pub reason: Text,
}

/// Returned by [`Saved::delete`]; [`Saved::undo_delete`] takes it back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UndoToken {
    id: String,
}

impl UndoToken {
    /// The deleted entry's id.
    pub fn id(&self) -> &str {
        &self.id
    }
}

/// The saved scenarios in a store.
#[derive(Debug)]
pub struct Saved<S: KeyValueStore> {
    store: S,
}

impl<S: KeyValueStore> Saved<S> {
    /// The saved scenarios in `store`.
    pub fn new(store: S) -> Self {
        Saved { store }
    }

    /// The store underneath.
    pub fn store(&self) -> &S {
        &self.store
    }

    /// The store underneath, given back.
    pub fn into_store(self) -> S {
        self.store
    }

    /// Replaces the autosave. On an error the previous autosave is intact.
    ///
    /// # Errors
    ///
    /// The store's, when it refuses the write.
    pub fn autosave(&mut self, entry: &Entry) -> Result<(), Error> {
        self.store.set(AUTOSAVE_KEY, &to_text(entry))
    }

    /// The autosave, if any.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::SavedUnreadable`] for an autosave that cannot be read; it
    /// is quarantined first.
    pub fn load_autosave(&mut self) -> Result<Option<Entry>, Error> {
        self.read(AUTOSAVE_KEY, None).map_err(|p| Error::new(ErrorKind::SavedUnreadable, p))
    }

    /// The autosave as a page load opens it. An autosave that cannot be
    /// read, or whose scenario this version cannot apply, is moved aside
    /// byte for byte and the default opens ([`Restored::entry`] is `None`);
    /// one whose scenario applies but a pin does not opens without that pin,
    /// its whole text copied aside first. When there is no room to move it,
    /// it stays in place and [`Restored::held`] says so. Nothing is lost in
    /// any case.
    pub fn restore_autosave(&mut self) -> Restored {
        let Some(text) = self.store.get(AUTOSAVE_KEY) else { return Restored::default() };
        let (entry, trouble) = diagnose(&text);
        let Some(trouble) = trouble else {
            // Reads and applies: as `load_autosave` (an old schema is rewritten).
            return match self.read(AUTOSAVE_KEY, None) {
                Ok(entry) => Restored { entry, problem: None, held: false },
                Err(p) => Restored { entry: None, problem: Some(p), held: self.store.get(AUTOSAVE_KEY).is_some() },
            };
        };
        let scenario_applies = entry.as_ref().is_some_and(|e| e.scenario().is_ok() && builtin(&e.base).is_some());
        if let (true, Some(mut e)) = (scenario_applies, entry) {
            // Only pins fail: open the rest, with the original kept aside.
            let moved = self.copy_aside(AUTOSAVE_KEY, &text);
            let base = e.base.clone();
            e.pins.retain(|p| p.edits.base == base && p.scenario().is_ok());
            return Restored { entry: Some(e), problem: Some(kept_problem(AUTOSAVE_KEY, &trouble, moved.as_deref())), held: moved.is_none() };
        }
        let moved = self.copy_aside(AUTOSAVE_KEY, &text);
        if moved.is_some() {
            self.store.remove(AUTOSAVE_KEY);
        }
        Restored { entry: None, problem: Some(kept_problem(AUTOSAVE_KEY, &trouble, moved.as_deref())), held: moved.is_none() }
    }

    /// Moves the autosave aside, byte for byte, because the caller could not
    /// open it (`why`, e.g. its roster does not fit the page): as
    /// [`Saved::restore_autosave`] does for one this module cannot apply.
    pub fn keep_autosave_aside(&mut self, why: Text) -> Restored {
        let Some(text) = self.store.get(AUTOSAVE_KEY) else { return Restored::default() };
        let moved = self.copy_aside(AUTOSAVE_KEY, &text);
        if moved.is_some() {
            self.store.remove(AUTOSAVE_KEY);
        }
        Restored { entry: None, problem: Some(kept_problem(AUTOSAVE_KEY, &Trouble::NotApplicable(why), moved.as_deref())), held: moved.is_none() }
    }

    /// Replaces an autosave that [`Saved::restore_autosave`] had to leave in
    /// place ([`Restored::held`]): its text is first copied aside (unless an
    /// identical copy is already kept), and only then overwritten.
    ///
    /// # Errors
    ///
    /// [`storage_full`] when there is still no room for the copy: neither
    /// the old autosave nor anything else changed.
    pub fn autosave_over_held(&mut self, entry: &Entry) -> Result<(), Error> {
        if let Some(old) = self.store.get(AUTOSAVE_KEY) {
            let kept = self.kept_texts().any(|t| t == old);
            if !kept && diagnose(&old).1.is_some() && self.copy_aside(AUTOSAVE_KEY, &old).is_none() {
                return Err(storage_full());
            }
        }
        self.autosave(entry)
    }

    /// Before a link replaces the workspace: keeps `current` (the workspace
    /// as it is now) as a saved scenario named `name`, unless it holds
    /// nothing a planner made ([`Entry::is_pristine`]). Returns the entry
    /// saved, if one was.
    ///
    /// # Errors
    ///
    /// The store's when it refuses the write ([`storage_full`]): nothing was
    /// written, and the caller must not replace the workspace without
    /// asking the planner.
    pub fn keep_before_replacing(&mut self, name: &str, current: Entry) -> Result<Option<Entry>, Error> {
        if current.is_pristine() {
            return Ok(None);
        }
        self.save_as(name, current).map(Some)
    }

    /// Removes the autosave.
    pub fn clear_autosave(&mut self) {
        self.store.remove(AUTOSAVE_KEY);
    }

    /// Every saved entry, oldest first (by `saved_at`, then id), and the
    /// entries that could not be read (now quarantined), each at its
    /// [`Place::Key`].
    pub fn list(&mut self) -> (Vec<Entry>, Vec<Problem>) {
        let mut keys: Vec<String> = self.store.keys().into_iter().filter(|k| k.starts_with(SAVED)).collect();
        crate::sort::sort_by(&mut keys, Ord::cmp);
        let (mut entries, mut problems) = (Vec::new(), Vec::new());
        for key in keys {
            match self.read(&key, Some(&key[SAVED.len()..])) {
                Ok(Some(e)) => match e.why_not_applicable() {
                    None => entries.push(e),
                    Some(why) => {
                        // Reads, but cannot be opened: moved aside, never dropped.
                        let text = self.store.get(&key).unwrap_or_default();
                        let moved = self.copy_aside(&key, &text);
                        if moved.is_some() {
                            self.store.remove(&key);
                        }
                        problems.push(kept_problem(&key, &Trouble::NotApplicable(why), moved.as_deref()));
                    }
                },
                Ok(None) => {}
                Err(p) => problems.push(p),
            }
        }
        crate::sort::sort_by(&mut entries, |a, b| (a.saved_at, &a.id).cmp(&(b.saved_at, &b.id)));
        (entries, problems)
    }

    /// The saved entry `id`.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::SavedNotFound`], or [`ErrorKind::SavedUnreadable`] for an
    /// entry that cannot be read (it is quarantined first).
    pub fn load(&mut self, id: &str) -> Result<Entry, Error> {
        match self.read(&saved_key(id), Some(id)) {
            Ok(Some(e)) => Ok(e),
            Ok(None) => Err(not_found(id)),
            Err(p) => Err(Error::new(ErrorKind::SavedUnreadable, p)),
        }
    }

    /// Saves `entry` under `name` with a new id (from its `saved_at`), and
    /// returns it as stored.
    ///
    /// # Errors
    ///
    /// The store's, when it refuses the write.
    pub fn save_as(&mut self, name: &str, mut entry: Entry) -> Result<Entry, Error> {
        entry.id = self.fresh_id(entry.saved_at);
        entry.name = name.to_owned();
        self.store.set(&saved_key(&entry.id), &to_text(&entry))?;
        Ok(entry)
    }

    /// Renames `id`; on an error the entry keeps its old name.
    ///
    /// # Errors
    ///
    /// As [`Saved::load`], and the store's when it refuses the write.
    pub fn rename(&mut self, id: &str, name: &str) -> Result<Entry, Error> {
        let mut e = self.load(id)?;
        e.name = name.to_owned();
        self.store.set(&saved_key(id), &to_text(&e))?;
        Ok(e)
    }

    /// A copy of `id` named "`<name> (2)`" (or the next free number), with the
    /// same `saved_at`, so it lists right after the original.
    ///
    /// # Errors
    ///
    /// As [`Saved::rename`].
    pub fn duplicate(&mut self, id: &str) -> Result<Entry, Error> {
        let e = self.load(id)?;
        // Read without side effects: quarantining is for `list` to report.
        let names: Vec<String> = self
            .store
            .keys()
            .into_iter()
            .filter(|k| k.starts_with(SAVED))
            .filter_map(|k| parse(&self.store.get(&k)?, None).ok().map(|(e, _)| e.name))
            .collect();
        let name = (2..).map(|n| format!("{} ({n})", e.name)).find(|n| !names.contains(n)).expect("a free number");
        self.save_as(&name, e)
    }

    /// Moves `id` to the trash, emptying it first (one level of undo).
    ///
    /// # Errors
    ///
    /// [`ErrorKind::SavedNotFound`], and the store's when it refuses even a
    /// move that frees the room it needs.
    pub fn delete(&mut self, id: &str) -> Result<UndoToken, Error> {
        let key = saved_key(id);
        if self.store.get(&key).is_none() {
            return Err(not_found(id));
        }
        for k in self.store.keys().into_iter().filter(|k| k.starts_with(TRASH)) {
            self.store.remove(&k);
        }
        self.move_text(&key, &trash_key(id))?;
        Ok(UndoToken { id: id.to_owned() })
    }

    /// Puts a deleted entry back and returns it.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::SavedNotFound`] when the trash no longer holds it, and
    /// as [`Saved::delete`].
    pub fn undo_delete(&mut self, token: &UndoToken) -> Result<Entry, Error> {
        let trash = trash_key(&token.id);
        if self.store.get(&trash).is_none() {
            return Err(not_found(&token.id));
        }
        self.move_text(&trash, &saved_key(&token.id))?;
        self.load(&token.id)
    }

    /// The quarantined keys and their texts, for the planner to download.
    pub fn quarantined(&self) -> Vec<(String, String)> {
        let mut keys: Vec<String> = self.store.keys().into_iter().filter(|k| k.starts_with(QUARANTINE)).collect();
        crate::sort::sort_by(&mut keys, Ord::cmp);
        keys.into_iter().filter_map(|k| self.store.get(&k).map(|v| (k, v))).collect()
    }

    /// Every text kept aside, by key, with where it came from, the entry it
    /// describes when it reads as one, and why it was kept aside (worked out
    /// again from the text, in both languages).
    pub fn kept_aside(&self) -> Vec<KeptAside> {
        self.quarantined()
            .into_iter()
            .map(|(key, text)| {
                let (entry, trouble) = diagnose(&text);
                let reason = match trouble {
                    Some(t) => t.text(),
                    None => Text::new("本版本现在可以打开它（可导出后再打开）", "this version can open it now (export it, then open the file)"),
                };
                KeptAside { from: kept_from(&key), key, text, entry, reason }
            })
            .collect()
    }

    /// Deletes the kept-aside text under `key`, once the planner asks.
    /// Only keys under `youjun.quarantine.` are touched.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::SavedNotFound`] when there is no such kept-aside text.
    pub fn delete_kept(&mut self, key: &str) -> Result<(), Error> {
        if !key.starts_with(QUARANTINE) || self.store.get(key).is_none() {
            return Err(not_found(key));
        }
        self.store.remove(key);
        Ok(())
    }

    /// Texts already kept aside.
    fn kept_texts(&self) -> impl Iterator<Item = String> + '_ {
        self.store.keys().into_iter().filter(|k| k.starts_with(QUARANTINE)).filter_map(|k| self.store.get(&k))
    }

    /// Copies `text` (from `key`) to a free quarantine key; that key, or
    /// `None` when there is no room. The original is left for the caller.
    fn copy_aside(&mut self, key: &str, text: &str) -> Option<String> {
        let base = format!("{QUARANTINE}{key}");
        let mut candidates = std::iter::once(base.clone()).chain((2..).map(|n| format!("{base}.{n}")));
        let to = candidates.find(|k| self.store.get(k).is_none()).expect("a free quarantine key");
        self.store.set(&to, text).is_ok().then_some(to)
    }

    /// Reads `key`, migrating old schemas (rewritten in place) and
    /// quarantining what cannot be read. `id` is the id the key gives.
    fn read(&mut self, key: &str, id: Option<&str>) -> Result<Option<Entry>, Problem> {
        let Some(text) = self.store.get(key) else { return Ok(None) };
        match parse(&text, id) {
            Ok((entry, migrated)) => {
                if migrated {
                    // Best effort: if there is no room, it is migrated again next time.
                    let _ = self.store.set(key, &to_text(&entry));
                }
                Ok(Some(entry))
            }
            Err(reason) => Err(self.quarantine(key, &text, &reason)),
        }
    }

    /// Copies the text aside first and only then removes the original, so a
    /// full store leaves it where it was.
    fn quarantine(&mut self, key: &str, text: &str, reason: &Reason) -> Problem {
        let moved = self.copy_aside(key, text);
        if moved.is_some() {
            self.store.remove(key);
        }
        unreadable(key, reason, moved.as_deref())
    }

    /// Moves a value between keys of the same length: copy then remove, or,
    /// when the store is too full for a copy, remove then write (the freed
    /// room is enough), restoring the original if even that fails.
    fn move_text(&mut self, from: &str, to: &str) -> Result<(), Error> {
        let text = self.store.get(from).unwrap_or_default();
        if self.store.set(to, &text).is_err() {
            self.store.remove(from);
            if let Err(e) = self.store.set(to, &text) {
                let _ = self.store.set(from, &text);
                return Err(e);
            }
        }
        self.store.remove(from);
        Ok(())
    }

    /// `saved_at` as text, with `-2`, `-3`, … when taken (also by the trash,
    /// so an undo never collides).
    fn fresh_id(&self, saved_at: u64) -> String {
        let free = |id: &String| self.store.get(&saved_key(id)).is_none() && self.store.get(&trash_key(id)).is_none();
        std::iter::once(saved_at.to_string()).chain((2..).map(|n| format!("{saved_at}-{n}"))).find(free).expect("a free id")
    }
}

/// The key a kept-aside text came from: its quarantine key without the
/// prefix and without a `.2`, `.3`, … added to make it unique.
fn kept_from(key: &str) -> String {
    let rest = &key[QUARANTINE.len().min(key.len())..];
    match rest.rsplit_once('.') {
        Some((head, n)) if n.parse::<u32>().is_ok_and(|n| n >= 2) && (head == AUTOSAVE_KEY || head.starts_with(SAVED)) => head.to_owned(),
        _ => rest.to_owned(),
    }
}

fn saved_key(id: &str) -> String {
    format!("{SAVED}{id}")
}

fn trash_key(id: &str) -> String {
    format!("{TRASH}{id}")
}

/// The stored form: the entry with `schema` first.
fn to_text(entry: &Entry) -> String {
    #[derive(Serialize)]
    struct Stored<'a> {
        schema: u32,
        #[serde(flatten)]
        entry: &'a Entry,
    }
    // Through the scenario's one serializer type (`json_text`).
    crate::scenario::json_text(&Stored { schema: SCHEMA_VERSION, entry }, false).expect("entries serialize infallibly")
}

/// Schema 0: a plain scenario with a name and a time.
#[derive(Deserialize)]
struct V0 {
    name: String,
    saved_at: f64,
    scenario: Box<Scenario>,
}

/// The entry in `text`, and whether it was migrated from an older schema.
fn parse(text: &str, id: Option<&str>) -> Result<(Entry, bool), Reason> {
    let value: serde_json::Value = serde_json::from_str(text).map_err(|e| Reason::NotJson(e.to_string()))?;
    // The text itself is read with plain serde, as `Scenario::from_json`
    // reads a scenario, so the page's module holds one copy of the scenario
    // types' reading code; the key `schema`, which neither form has, is
    // skipped. An error names the field it stopped at (`json_path`).
    let fields = |(path, reason): (json_path::Path, String)| {
        Reason::Fields(if path.0.is_empty() { reason } else { format!("{path}: {reason}") })
    };
    let obj = value.as_object().ok_or_else(|| Reason::Fields("not a JSON object".into()))?;
    let (mut entry, migrated) = match obj.get("schema") {
        None => {
            let v0: V0 = json_path::from_str(text).map_err(fields)?;
            let roster_hash = v0.scenario.roster.schools.as_ref().map(|s| share::roster_hash(&Roster { schools: s.clone() }));
            let entry = Entry {
                id: String::new(),
                name: v0.name,
                base: v0.scenario.scenario.id.clone(),
                // Date.now() is a whole number; `as` saturates anything odd.
                saved_at: v0.saved_at as u64,
                roster_hash,
                payload: Payload::Scenario(v0.scenario),
                pins: Vec::new(),
            };
            (entry, true)
        }
        Some(schema) => match schema.as_u64() {
            Some(1) => (json_path::from_str(text).map_err(fields)?, false),
            Some(n) if n > u64::from(SCHEMA_VERSION) => return Err(Reason::NewerSchema(n)),
            _ => return Err(Reason::BadSchema(schema.to_string())),
        },
    };
    // The key names the entry, whatever the text says.
    if let Some(id) = id {
        entry.id = id.to_owned();
    }
    Ok((entry, migrated))
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::engine::Model;
    use crate::i18n::Lang;
    use crate::levers;
    use crate::scenario::builtin::builtin;

    fn base() -> Scenario {
        builtin("minhang-hongqiao-district").unwrap().scenario().unwrap()
    }

    fn edited(share: f64) -> Scenario {
        let mut s = base();
        levers::lever("teachers.rotation_share").unwrap().set(&mut s, share).unwrap();
        s
    }

    fn entry(share: f64, at: u64) -> Entry {
        Entry::capture(&base(), &edited(share), None, at)
    }

    #[test]
    fn save_list_rename_duplicate_delete_undo() {
        let mut saved = Saved::new(MemoryStore::new());
        let b = saved.save_as("B", entry(0.2, 2000)).unwrap();
        let a = saved.save_as("A", entry(0.3, 1000)).unwrap();
        let a2 = saved.save_as("A again", entry(0.4, 1000)).unwrap();
        assert_eq!((a.id.as_str(), a2.id.as_str(), b.id.as_str()), ("1000", "1000-2", "2000"));
        let names = |s: &mut Saved<MemoryStore>| s.list().0.into_iter().map(|e| e.name).collect::<Vec<_>>();
        assert_eq!(names(&mut saved), ["A", "A again", "B"]);

        assert_eq!(saved.rename("2000", "Plan B").unwrap().name, "Plan B");
        let copy = saved.duplicate("1000").unwrap();
        assert_eq!((copy.id.as_str(), copy.name.as_str(), copy.saved_at), ("1000-3", "A (2)", 1000));
        assert_eq!(copy.payload, a.payload);
        assert_eq!(saved.duplicate("1000").unwrap().name, "A (3)");

        let token = saved.delete("1000").unwrap();
        assert_eq!(saved.load("1000"), Err(not_found("1000")));
        assert_eq!(saved.save_as("new", entry(0.5, 1000)).unwrap().id, "1000-5", "an id in the trash is not reused");
        assert_eq!(saved.undo_delete(&token).unwrap(), a);
        assert_eq!(saved.undo_delete(&token).map_err(|e| e.kind()), Err(ErrorKind::SavedNotFound));
        // One level of undo: a second delete empties the trash.
        let first = saved.delete("1000").unwrap();
        saved.delete("2000").unwrap();
        assert!(saved.undo_delete(&first).is_err());
        assert!(saved.store().keys().iter().all(|k| k.starts_with("youjun.")));
    }

    #[test]
    fn a_saved_link_reproduces_the_scenario() {
        let mut saved = Saved::new(MemoryStore::new());
        let e = saved.save_as("x", entry(0.35, 5)).unwrap();
        let (s, notices) = saved.load(&e.id).unwrap().scenario().unwrap();
        assert!(notices.is_empty());
        assert_eq!(s, edited(0.35));
        assert!(matches!(e.payload, Payload::Link(_)) && e.roster_hash.is_none());
    }

    #[test]
    fn pins_survive_the_autosave_and_older_entries_read_without_them() {
        let mut saved = Saved::new(MemoryStore::new());
        let mut e = entry(0.3, 9);
        e.pins = vec![
            SavedPin::capture(2, &base(), &edited(0.25)),
            SavedPin::capture(4, &base(), &edited(0.5)),
        ];
        saved.autosave(&e).unwrap();
        let back = saved.load_autosave().unwrap().unwrap();
        assert_eq!(back.pins, e.pins);
        let numbers: Vec<u32> = back.pins.iter().map(|p| p.number).collect();
        assert_eq!(numbers, [2, 4]);
        assert_eq!(back.pins[0].scenario().unwrap(), edited(0.25));
        assert_eq!(back.pins[1].scenario().unwrap(), edited(0.5));

        // Written before pins existed: no `pins` key at all.
        let text = to_text(&entry(0.3, 9));
        assert!(!text.contains("pins"));
        let mut store = saved.into_store();
        store.set(AUTOSAVE_KEY, &text).unwrap();
        let mut saved = Saved::new(store);
        assert_eq!(saved.load_autosave().unwrap().unwrap().pins, []);

        // A pin whose lever no longer exists is an error, not a silent change.
        let mut odd = SavedPin::capture(1, &base(), &edited(0.25));
        odd.edits.levers[0].0 = "teachers.no_such_lever".into();
        assert_eq!(odd.scenario().map_err(|e| e.kind()), Err(ErrorKind::LinkUnknownLever));
    }

    #[test]
    fn a_roster_kept_by_hash_keeps_the_edits_and_names_the_roster() {
        let (b, e) = (base(), edited(0.4));
        let entry = Entry::capture_roster_by_hash(&b, &e, "0123456789abcdef", 7);
        assert!(!entry.is_pristine(), "an imported roster is something the planner made");
        assert_eq!(entry.roster_hash.as_deref(), Some("0123456789abcdef"));
        let (scenario, notices) = entry.scenario().unwrap();
        assert_eq!(scenario, e, "the lever edits come back");
        assert!(notices.iter().any(|n| matches!(n, share::Notice::RosterNeeded { hash } if hash == "0123456789abcdef")), "{notices:?}");
        // Small in storage, however big the roster.
        assert!(serde_json::to_string(&entry).unwrap().len() < 2_000);
    }

    #[test]
    fn an_imported_roster_is_kept_inline_and_reproduces_the_run() {
        let b = base();
        let mut roster = b.resolve_roster(|_| Err(String::new())).unwrap();
        roster.schools[0].teachers += 3.0;
        let e = Entry::capture(&b, &edited(0.4), Some(&roster), 7);
        assert_eq!(e.roster_hash.as_deref(), Some(share::roster_hash(&roster).as_str()));
        let mut saved = Saved::new(MemoryStore::new());
        let id = saved.save_as("imported", e).unwrap().id;
        let (s, _) = saved.load(&id).unwrap().scenario().unwrap();
        let back = s.resolve_roster(|_| Err(String::new())).unwrap();
        assert_eq!(back, roster);
        let run = |s: Scenario, r: Roster| format!("{:?}", Model::new(s, r).unwrap().run_central());
        // As the workspace runs it: the edited scenario bound to the imported roster.
        assert_eq!(run(s, back), run(edited(0.4), roster));
    }

    #[test]
    fn autosave_replaces_and_reloads() {
        let mut saved = Saved::new(MemoryStore::new());
        assert_eq!(saved.load_autosave(), Ok(None));
        saved.autosave(&entry(0.2, 1)).unwrap();
        saved.autosave(&entry(0.3, 2)).unwrap();
        assert_eq!(saved.load_autosave(), Ok(Some(entry(0.3, 2))));
        assert!(saved.list().0.is_empty(), "the autosave is not a saved entry");
        saved.clear_autosave();
        assert_eq!(saved.load_autosave(), Ok(None));
    }

    #[test]
    fn a_full_store_reports_and_keeps_the_previous_value() {
        let small = entry(0.2, 1);
        let big = Entry::capture(&base(), &edited(0.3), Some(&base().resolve_roster(|_| Err(String::new())).unwrap()), 2);
        let room = AUTOSAVE_KEY.len() + to_text(&small).len() + 200;
        let mut saved = Saved::new(MemoryStore::with_quota(room));
        saved.autosave(&small).unwrap();
        let before = saved.store().get(AUTOSAVE_KEY);
        let err = saved.autosave(&big).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::StorageFull);
        assert!(err.message(Lang::Zh).contains("存储空间已满") && err.message(Lang::En).contains("storage is full"));
        assert_eq!(saved.store().get(AUTOSAVE_KEY), before);
        assert_eq!(saved.load_autosave(), Ok(Some(small)));

        // A rename that does not fit keeps the old name.
        let mut saved = Saved::new(MemoryStore::with_quota(2 * room));
        let id = saved.save_as("short", entry(0.2, 1)).unwrap().id;
        let long = "长".repeat(room);
        assert_eq!(saved.rename(&id, &long), Err(storage_full()));
        assert_eq!(saved.load(&id).unwrap().name, "short");
        // Deleting still works when there is no room for a copy in the trash.
        let mut exact = Saved::new(MemoryStore::new());
        exact.save_as("only", entry(0.2, 1)).unwrap();
        let mut full = Saved::new(MemoryStore::with_quota(exact.store().used()));
        full.save_as("only", entry(0.2, 1)).unwrap();
        let token = full.delete("1").unwrap();
        assert!(full.list().0.is_empty());
        assert_eq!(full.undo_delete(&token).unwrap().name, "only");
    }

    #[test]
    fn a_schema_0_entry_is_migrated_and_rewritten() {
        let old = edited(0.45);
        let v0 = format!(r#"{{"name":"旧方案","saved_at":1733000000000.0,"scenario":{}}}"#, old.to_json());
        let mut store = MemoryStore::new();
        store.set("youjun.saved.legacy1", &v0).unwrap();
        let mut saved = Saved::new(store);
        let (entries, problems) = saved.list();
        assert!(problems.is_empty(), "{problems:?}");
        let e = &entries[0];
        assert_eq!((e.id.as_str(), e.name.as_str(), e.base.as_str(), e.saved_at), ("legacy1", "旧方案", "minhang-hongqiao-district", 1_733_000_000_000));
        assert_eq!(e.payload, Payload::Scenario(Box::new(old.clone())));
        assert_eq!(e.roster_hash, None, "a synthetic roster has no hash");
        assert_eq!(e.scenario().unwrap().0, old);
        let text = saved.store().get("youjun.saved.legacy1").unwrap();
        assert!(text.starts_with(r#"{"schema":1,"#), "rewritten as schema 1");
        assert_eq!(saved.load("legacy1").unwrap(), *e);
    }

    #[test]
    fn unreadable_entries_are_quarantined_byte_for_byte() {
        let good = to_text(&entry(0.2, 9));
        let bad = [
            ("youjun.saved.a", "{not json".to_owned(), "JSON"),
            ("youjun.saved.b", good.replacen(r#""schema":1"#, r#""schema":7"#, 1), "7"),
            ("youjun.saved.c", r#"{"schema":1,"id":"c","name":"no payload","base":"x","saved_at":1}"#.to_owned(), "payload"),
            ("youjun.saved.d", r#"{"schema":"one"}"#.to_owned(), "one"),
            ("youjun.saved.e", "[1, 2]  ".to_owned(), "object"),
            ("youjun.saved.f", r#"{"name":"v0 without scenario","saved_at":1}"#.to_owned(), "scenario"),
        ];
        let mut store = MemoryStore::new();
        store.set("youjun.saved.ok", &good).unwrap();
        store.set("youjun.quarantine.youjun.saved.a", "an earlier casualty").unwrap();
        store.set("other.app", "not ours").unwrap();
        for (k, v, _) in &bad {
            store.set(k, v).unwrap();
        }
        let mut saved = Saved::new(store);
        let (entries, problems) = saved.list();
        assert_eq!(entries.iter().map(|e| e.id.as_str()).collect::<Vec<_>>(), ["ok"]);
        assert_eq!(problems.len(), bad.len());
        // Where each one went: the quarantine key that holds its text (an
        // earlier casualty of `a` keeps its key, so `a` goes to `….2`).
        let moved_to = |key: &str| if key.ends_with(".a") { format!("youjun.quarantine.{key}.2") } else { format!("youjun.quarantine.{key}") };
        for ((key, text, why), p) in bad.iter().zip(&problems) {
            assert_eq!(p.place, Place::Key((*key).to_owned()));
            let to = moved_to(key);
            assert_eq!(saved.store().get(&to).as_deref(), Some(text.as_str()), "byte-identical");
            assert_eq!(saved.store().get(key), None);
            for lang in [Lang::Zh, Lang::En] {
                let m = p.text(lang);
                assert!(m.contains(key) && m.contains(&to) && m.contains(why), "{m}");
            }
        }
        assert_eq!(saved.store().get("youjun.quarantine.youjun.saved.a").as_deref(), Some("an earlier casualty"), "an earlier quarantine is kept");
        assert_eq!(problems[1].message, unreadable("youjun.saved.b", &Reason::NewerSchema(7), Some("youjun.quarantine.youjun.saved.b")).message);
        assert!(problems[1].text(Lang::En).contains("newer version") && problems[1].text(Lang::Zh).contains("较新版本"));
        assert_eq!(saved.quarantined().len(), bad.len() + 1);
        assert_eq!(saved.store().get("other.app").as_deref(), Some("not ours"));
        assert!(saved.list().1.is_empty(), "reported once");

        // Loading one directly says the same.
        let mut store = MemoryStore::new();
        store.set("youjun.saved.z", "{").unwrap();
        store.set(AUTOSAVE_KEY, "{").unwrap();
        let mut saved = Saved::new(store);
        let z = saved.load("z").unwrap_err();
        assert_eq!(z.kind(), ErrorKind::SavedUnreadable);
        assert!(z.message(Lang::En).contains("not valid JSON"), "{z}");
        let autosave = saved.load_autosave().unwrap_err();
        assert_eq!((autosave.kind(), &autosave.problems()[0].place), (ErrorKind::SavedUnreadable, &Place::Key(AUTOSAVE_KEY.into())));
        assert!(saved.store().get(&format!("youjun.quarantine.{AUTOSAVE_KEY}")).is_some());
    }

    #[test]
    fn a_wrong_field_is_named_by_its_path_in_both_schemas() {
        let fields = |text: &str| match parse(text, None) {
            Err(Reason::Fields(e)) => e,
            other => panic!("{other:?}"),
        };
        // Schema 1, a whole scenario: the path runs through the payload.
        let mut s = base();
        s.roster = RosterSource { schools: Some(base().resolve_roster(|_| Err(String::new())).unwrap().schools), ..RosterSource::default() };
        let e = Entry::capture(&base(), &s, Some(&Roster { schools: s.roster.schools.clone().unwrap() }), 5);
        let text = to_text(&e).replacen(r#""attrition_rate":{"value":"#, r#""attrition_rate":{"value":"x","was":"#, 1);
        assert_eq!(fields(&text), "payload.scenario.teachers.attrition_rate.value: invalid type: string \"x\", expected f64");
        let text = to_text(&e).replacen(r#""classes":"#, r#""classes":"east","x":"#, 1);
        assert!(fields(&text).starts_with("payload.scenario.roster.schools[0].classes: invalid type: string \"east\""), "{}", fields(&text));
        // Lever edits, and a field of the entry itself.
        let text = to_text(&entry(0.3, 9)).replacen(r#""seed":"#, r#""seed":-"#, 1);
        assert!(fields(&text).starts_with("payload.link.seed: invalid value: integer `-"), "{}", fields(&text));
        assert_eq!(fields(r#"{"schema":1,"id":"c","name":7}"#), "name: invalid type: integer `7`, expected a string");
        // Schema 0: the scenario at the top.
        let v0 = format!(r#"{{"name":"old","saved_at":1,"scenario":{}}}"#, base().to_json().replacen("\"runs\": ", "\"runs\": -", 1));
        assert!(fields(&v0).starts_with("scenario.scenario.runs: invalid value: integer `-"), "{}", fields(&v0));
    }

    #[test]
    fn an_unreadable_entry_stays_put_when_there_is_no_room_to_move_it() {
        let mut store = MemoryStore::with_quota(40);
        store.set("youjun.saved.q", "{oops").unwrap();
        let mut saved = Saved::new(store);
        let (_, problems) = saved.list();
        assert!(saved.quarantined().is_empty());
        assert_eq!(saved.store().get("youjun.saved.q").as_deref(), Some("{oops"));
        assert!(problems[0].text(Lang::En).contains("left in place") && problems[0].text(Lang::Zh).contains("原处"));
    }

    /// The autosave text of `entry` with its first lever changed by `f`:
    /// an entry that parses but this version cannot apply.
    fn bad_autosave(f: impl FnOnce(&mut Entry)) -> String {
        let mut e = entry(0.3, 9);
        f(&mut e);
        to_text(&e)
    }

    fn first_lever(e: &mut Entry) -> &mut (String, f64) {
        match &mut e.payload {
            Payload::Link(s) => &mut s.levers[0],
            Payload::Scenario(_) => unreachable!("a built-in roster saves a link"),
        }
    }

    #[test]
    fn an_autosave_that_no_longer_applies_is_kept_aside_with_its_reason() {
        let cases: [(&str, String, &str, &str); 3] = [
            ("removed lever", bad_autosave(|e| first_lever(e).0 = "teachers.retired_lever".into()), "teachers.retired_lever", "没有此项"),
            ("out of range", bad_autosave(|e| first_lever(e).1 = 7.5), "out of range", "超出范围"),
            (
                "unknown base",
                bad_autosave(|e| {
                    e.base = "songjiang-2030".into();
                    if let Payload::Link(s) = &mut e.payload {
                        s.base = "songjiang-2030".into();
                    }
                }),
                "songjiang-2030",
                "songjiang-2030",
            ),
        ];
        for (what, text, en, zh) in cases {
            let mut store = MemoryStore::new();
            store.set(AUTOSAVE_KEY, &text).unwrap();
            store.set("youjun.saved.1", &to_text(&entry(0.2, 1))).unwrap();
            let before = store.clone();
            let mut saved = Saved::new(store);
            let r = saved.restore_autosave();
            assert_eq!(r.entry, None, "{what}: the default opens");
            assert!(!r.held, "{what}");
            let p = r.problem.expect("a problem");
            assert_eq!(p.place, Place::Key(AUTOSAVE_KEY.into()));
            let to = format!("youjun.quarantine.{AUTOSAVE_KEY}");
            assert!(p.text(Lang::En).contains(en) && p.text(Lang::En).contains(&to) && p.text(Lang::En).contains("cannot be applied"), "{what}: {}", p.text(Lang::En));
            assert!(p.text(Lang::Zh).contains(zh) && p.text(Lang::Zh).contains("无法应用"), "{what}: {}", p.text(Lang::Zh));
            // Nothing lost: the text is byte for byte under the quarantine key,
            // the saved entry untouched, and the autosave key free for the default.
            assert_eq!(saved.store().get(&to).as_deref(), Some(text.as_str()), "{what}");
            assert_eq!(saved.store().get(AUTOSAVE_KEY), None, "{what}");
            assert_eq!(saved.store().get("youjun.saved.1"), before.get("youjun.saved.1"));
            // Listed with its reason and the entry it describes, for export.
            let kept = saved.kept_aside();
            assert_eq!(kept.len(), 1);
            assert_eq!((kept[0].key.as_str(), kept[0].from.as_str(), kept[0].text.as_str()), (to.as_str(), AUTOSAVE_KEY, text.as_str()));
            assert!(kept[0].reason.get(Lang::En).contains(en), "{what}: {:?}", kept[0].reason);
            assert_eq!(kept[0].entry.as_ref().map(|e| e.saved_at), Some(9));
            // The default's autosave now writes freely; the kept text stays.
            saved.autosave(&entry(0.1, 10)).unwrap();
            assert_eq!(saved.store().get(&to).as_deref(), Some(text.as_str()));
            // Deleted only when asked, and only kept-aside keys.
            assert_eq!(saved.delete_kept(AUTOSAVE_KEY).map_err(|e| e.kind()), Err(ErrorKind::SavedNotFound));
            saved.delete_kept(&to).unwrap();
            assert!(saved.kept_aside().is_empty());
        }
    }

    #[test]
    fn a_pin_that_no_longer_applies_is_kept_aside_and_the_rest_opens() {
        let mut e = entry(0.3, 9);
        e.pins = vec![SavedPin::capture(2, &base(), &edited(0.25)), SavedPin::capture(3, &base(), &edited(0.5))];
        e.pins[1].edits.levers[0].1 = 9.0;
        let text = to_text(&e);
        let mut store = MemoryStore::new();
        store.set(AUTOSAVE_KEY, &text).unwrap();
        let mut saved = Saved::new(store);
        let r = saved.restore_autosave();
        let opened = r.entry.expect("the scenario itself applies");
        assert_eq!(opened.payload, e.payload);
        assert_eq!(opened.pins, e.pins[..1], "the pin that applies is restored");
        let p = r.problem.expect("the bad pin is reported");
        assert!(p.text(Lang::En).contains("pinned option 3") && p.text(Lang::Zh).contains("固定的方案 3"), "{}", p.text(Lang::En));
        let to = format!("youjun.quarantine.{AUTOSAVE_KEY}");
        assert_eq!(saved.store().get(&to).as_deref(), Some(text.as_str()), "the whole autosave, pin included, is kept");
        assert!(!r.held);
        // The next autosave (without the pin) is safe: the original is aside.
        saved.autosave(&opened).unwrap();
        assert_eq!(saved.store().get(&to).as_deref(), Some(text.as_str()));
        assert!(saved.kept_aside()[0].reason.get(Lang::En).contains("pinned option 3"));

        // The best-effort scenario keeps what still applies.
        let mut two = entry(0.3, 9);
        if let Payload::Link(st) = &mut two.payload {
            st.levers.push(("teachers.retired_lever".into(), 1.0));
        }
        assert!(two.why_not_applicable().is_some());
        assert_eq!(two.best_effort_scenario(), Some(edited(0.3)));

        // A pin on another base scenario is kept aside too.
        let mut other = entry(0.3, 9);
        let mut pin = SavedPin::capture(2, &base(), &edited(0.25));
        pin.edits.base = "pudong-2024".into();
        other.pins = vec![pin];
        assert!(other.why_not_applicable().unwrap().get(Lang::En).contains("another scenario"));
    }

    #[test]
    fn a_saved_entry_that_no_longer_applies_is_moved_aside_from_the_list() {
        let mut bad = entry(0.3, 5);
        first_lever(&mut bad).0 = "teachers.retired_lever".into();
        let mut store = MemoryStore::new();
        store.set("youjun.saved.5", &to_text(&bad)).unwrap();
        store.set("youjun.saved.6", &to_text(&entry(0.2, 6))).unwrap();
        let text = store.get("youjun.saved.5").unwrap();
        let mut saved = Saved::new(store);
        let (entries, problems) = saved.list();
        assert_eq!(entries.iter().map(|e| e.saved_at).collect::<Vec<_>>(), [6]);
        assert_eq!(problems.len(), 1);
        assert!(problems[0].text(Lang::En).contains("teachers.retired_lever"));
        assert_eq!(saved.store().get("youjun.quarantine.youjun.saved.5").as_deref(), Some(text.as_str()));
        let kept = saved.kept_aside();
        assert_eq!((kept[0].from.as_str(), kept[0].entry.as_ref().map(|e| e.saved_at)), ("youjun.saved.5", Some(5)));
    }

    #[test]
    fn with_the_store_full_nothing_unapplicable_is_overwritten() {
        let text = bad_autosave(|e| first_lever(e).1 = 7.5);
        let mut store = MemoryStore::with_quota(AUTOSAVE_KEY.len() + text.len() + 10);
        store.set(AUTOSAVE_KEY, &text).unwrap();
        let mut saved = Saved::new(store);
        let r = saved.restore_autosave();
        assert_eq!((r.entry.is_none(), r.held), (true, true));
        let p = r.problem.unwrap();
        assert!(p.text(Lang::En).contains("left in place") && p.text(Lang::Zh).contains("原处"), "{}", p.text(Lang::En));
        assert_eq!(saved.store().get(AUTOSAVE_KEY).as_deref(), Some(text.as_str()), "left in place");
        // The default's autosave is smaller and would fit, but it must not
        // overwrite the held one while there is no room to keep it aside.
        let small = entry(0.2, 10);
        assert!(to_text(&small).len() < text.len());
        assert_eq!(saved.autosave_over_held(&small).map_err(|e| e.kind()), Err(ErrorKind::StorageFull));
        assert_eq!(saved.store().get(AUTOSAVE_KEY).as_deref(), Some(text.as_str()), "still unchanged");
        // Once there is room, it is kept aside first, then replaced.
        let mut store = saved.into_store();
        let mut roomy = MemoryStore::new();
        for k in store.keys() {
            roomy.set(&k, &store.get(&k).unwrap()).unwrap();
            store.remove(&k);
        }
        let mut saved = Saved::new(roomy);
        saved.autosave_over_held(&small).unwrap();
        assert_eq!(saved.store().get(&format!("youjun.quarantine.{AUTOSAVE_KEY}")).as_deref(), Some(text.as_str()));
        assert_eq!(saved.load_autosave(), Ok(Some(small.clone())));
        // Again: an identical copy is not made twice.
        saved.autosave_over_held(&small).unwrap();
        assert_eq!(saved.kept_aside().len(), 1);

        // A saved entry that does not apply and cannot move stays listed as a problem, in place.
        let mut bad = entry(0.3, 5);
        first_lever(&mut bad).0 = "x.y".into();
        let bad = to_text(&bad);
        let mut store = MemoryStore::with_quota("youjun.saved.5".len() + bad.len());
        store.set("youjun.saved.5", &bad).unwrap();
        let mut saved = Saved::new(store);
        let (entries, problems) = saved.list();
        assert!(entries.is_empty() && problems[0].text(Lang::En).contains("left in place"));
        assert_eq!(saved.store().get("youjun.saved.5").as_deref(), Some(bad.as_str()));
    }

    #[test]
    fn before_a_link_replaces_the_workspace_its_edits_are_kept_or_the_caller_is_told() {
        // Nothing made: nothing to keep, even with no room.
        let pristine = Entry::capture(&base(), &base(), None, 1);
        assert!(pristine.is_pristine());
        let mut full = Saved::new(MemoryStore::with_quota(0));
        assert_eq!(full.keep_before_replacing("x", pristine), Ok(None));
        // Edits with room: saved under the name.
        let mut saved = Saved::new(MemoryStore::new());
        let kept = saved.keep_before_replacing("打开链接前", entry(0.3, 7)).unwrap().unwrap();
        assert_eq!(saved.load(&kept.id).unwrap().name, "打开链接前");
        // Edits with the store full: refused, nothing written or changed.
        let current = entry(0.35, 8);
        assert!(!current.is_pristine());
        let mut store = MemoryStore::with_quota(AUTOSAVE_KEY.len() + to_text(&pristine_at(2)).len());
        store.set(AUTOSAVE_KEY, &to_text(&pristine_at(2))).unwrap();
        let before = store.clone();
        let mut full = Saved::new(store);
        assert_eq!(full.keep_before_replacing("打开链接前", current).map_err(|e| e.kind()), Err(ErrorKind::StorageFull));
        assert_eq!(full.store().keys(), before.keys());
        assert_eq!(full.store().get(AUTOSAVE_KEY), before.get(AUTOSAVE_KEY));
    }

    fn pristine_at(at: u64) -> Entry {
        Entry::capture(&base(), &base(), None, at)
    }

    #[test]
    fn store_errors_read_in_both_languages() {
        let e = storage_unavailable("SecurityError");
        assert_eq!(e.kind(), ErrorKind::StorageUnavailable);
        assert!(e.message(Lang::Zh).contains("不可用") && e.message(Lang::Zh).contains("SecurityError"));
        assert!(e.message(Lang::En).contains("unavailable"));
        let nf = not_found("42");
        assert_eq!(nf.kind(), ErrorKind::SavedNotFound);
        assert!(nf.message(Lang::Zh).contains("`42`") && nf.message(Lang::En).contains("`42`"));
    }
}
