//! The workspace's one state, changed only through [`Action`]s (Yew's
//! reducer pattern, as in its `function_todomvc` example). Every lever edit
//! re-runs the deterministic simulation here, synchronously: a run takes a few
//! milliseconds, so the charts answer within the frame (importing a roster
//! of over [`STEPWISE_ROWS`] rows is the exception: it is built a step at a
//! time between pauses, [`with_roster_then`]). Monte Carlo runs in a
//! worker and arrives later as [`Action::McDone`], tagged with the generation
//! of the scenario it was computed for, so a late answer for an older edit is
//! never shown against a newer one.

use std::rc::Rc;

use yew::prelude::*;

use super::monte_carlo::{Partial, WorkerRoster};
use super::persist;
use crate::engine::{Model, MonteCarlo, Trajectory};
use crate::i18n::Lang;
use crate::levers::{self, Group};
use crate::message::{Error, ErrorKind, Problem, Text};
use crate::roster::Roster;
use crate::scenario::builtin::{Builtin, BUILTIN};
use crate::scenario::Scenario;

/// The generation the baseline's background Monte Carlo is tagged with;
/// edits count up from 1 and restored pins down from `u32::MAX`, so neither
/// reaches it.
const BASE_MC_GENERATION: u32 = u32::MAX - 64;

/// At most this many scenarios can be pinned for comparison.
pub const MAX_PINNED: usize = 4;

/// The workspace's tabs, each a set of charts or tables.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tab {
    Targets,
    Balance,
    Resources,
    Schools,
    Compare,
    /// What it takes (达标路径): goal-seek, sensitivity, attribution.
    Ask,
    /// The schools on a map (地图), when the roster has coordinates.
    Map,
}

impl Tab {
    pub const ALL: [Tab; 7] = [
        Tab::Targets,
        Tab::Balance,
        Tab::Resources,
        Tab::Schools,
        Tab::Map,
        Tab::Compare,
        Tab::Ask,
    ];

    pub fn key(self) -> &'static str {
        match self {
            Tab::Targets => "targets",
            Tab::Balance => "balance",
            Tab::Resources => "resources",
            Tab::Schools => "schools",
            Tab::Compare => "compare",
            Tab::Ask => "ask",
            Tab::Map => "map",
        }
    }

    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            Tab::Targets => lang.pick("目标达成", "Targets"),
            Tab::Balance => lang.pick("优质均衡", "Balance"),
            Tab::Resources => lang.pick("学位·师资·经费", "Places, teachers, money"),
            Tab::Schools => lang.pick("学校", "Schools"),
            Tab::Compare => lang.pick("方案对比", "Compare"),
            Tab::Ask => lang.pick("达标路径", "What it takes"),
            Tab::Map => lang.pick("地图", "Map"),
        }
    }
}

/// Where the Monte Carlo for the current scenario stands.
#[derive(Debug, Clone, PartialEq)]
pub enum McStatus {
    /// Waiting for the planner to stop moving the control.
    Pending,
    /// `done` of `total` runs are in; `partial` holds the target
    /// probabilities of some of them (the page marks them as partial), kept
    /// only while the targets tab, which shows them, is open.
    Running {
        done: u32,
        total: u32,
        partial: Option<Rc<Partial>>,
    },
    Done(Rc<MonteCarlo>),
    Failed(String),
}

/// A scenario held for comparison: its edits and its results.
#[derive(Debug, Clone)]
pub struct Pinned {
    /// "方案 2" / "Option 2": renamed when the language changes.
    pub name: String,
    pub number: u32,
    /// Shared, so copying the workspace (every action does) copies no
    /// scenario.
    pub scenario: Rc<Scenario>,
    pub run: Rc<Trajectory>,
    pub mc: Option<Rc<MonteCarlo>>,
    /// The generation its Monte Carlo belongs to, so a result that arrives
    /// after pinning still reaches it. Pins restored from storage get their
    /// own (counting down from `u32::MAX`, which edits never reach).
    pub generation: u32,
    /// Its Monte Carlo failed: not tried again.
    pub mc_failed: bool,
}

/// What the page shows: the workspace, or the one-page briefing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum View {
    Workspace,
    Briefing,
}

/// A roster the planner imported: it replaces the built-in's synthetic one
/// for the baseline and for every edit, until another scenario is picked.
#[derive(Debug, Clone, PartialEq)]
pub struct Imported {
    pub roster: Rc<Roster>,
    /// The file it came from, or how it arrived (a saved scenario).
    pub source: String,
    /// [`crate::share::roster_hash`]: what a share link carries.
    pub hash: String,
    /// The roster as JSON, made once (the hash needs it anyway): the
    /// workers that run the Monte Carlo and the "what it takes" questions
    /// get it, so they run on this roster and not the built-in's.
    pub json: Rc<str>,
}

impl Imported {
    pub fn new(roster: Roster, source: String) -> Imported {
        let json = serde_json::to_string(&roster).expect("rosters serialize infallibly");
        let hash = crate::share::roster_json_hash(&json);
        Imported {
            roster: Rc::new(roster),
            source,
            hash,
            json: json.into(),
        }
    }

    /// As [`Imported::new`], with the roster's JSON made already (in slices,
    /// by [`with_roster_then`]).
    fn with_json(roster: Rc<Roster>, source: String, json: String) -> Imported {
        let hash = crate::share::roster_json_hash(&json);
        Imported { roster, source, hash, json: json.into() }
    }

    /// The roster as the workers get it.
    pub fn for_workers(&self) -> WorkerRoster {
        WorkerRoster { hash: self.hash.clone(), json: self.json.clone() }
    }
}

/// A message for the planner above the workspace, in both languages so the
/// language toggle applies to it too.
#[derive(Debug, Clone, PartialEq)]
pub struct Message {
    /// How it is shown.
    pub kind: MessageKind,
    /// What it says, in both languages.
    pub text: Text,
}

/// How a message is shown: as news, a warning or a failure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MessageKind {
    /// Something done as asked.
    Info,
    /// Done, but not quite as asked, or something to check.
    Warning,
    /// Not done.
    Error,
}

impl MessageKind {
    /// How serious a failure of `kind` is for the planner: storage that is
    /// switched off (private browsing) and a saved scenario already deleted
    /// elsewhere lose nothing the planner has here, so they warn; every
    /// other failure is an error.
    pub fn for_error(kind: ErrorKind) -> MessageKind {
        match kind {
            ErrorKind::StorageUnavailable | ErrorKind::SavedNotFound => MessageKind::Warning,
            _ => MessageKind::Error,
        }
    }
}

impl Message {
    /// A message of `kind` in both languages.
    pub fn new(kind: MessageKind, zh: impl Into<String>, en: impl Into<String>) -> Message {
        Message::of(kind, Text::new(zh, en))
    }

    /// A message of `kind` saying `text`.
    pub fn of(kind: MessageKind, text: Text) -> Message {
        Message { kind, text }
    }

    /// The planner's message for `e`: its whole text, as serious as its kind
    /// ([`MessageKind::for_error`]).
    pub fn error(e: &Error) -> Message {
        Message::of(MessageKind::for_error(e.kind()), e.text())
    }

    /// The text in `lang`.
    pub fn text(&self, lang: Lang) -> &str {
        self.text.get(lang)
    }
}

/// The control whose edit was refused: where the page shows why.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Control {
    /// A lever (single-number or yearly), by id.
    Lever(&'static str),
    /// A panel's reset.
    Group(Group),
    /// The scenario as a whole (picking another one).
    Scenario,
}

/// An edit the workspace refused, and why; nothing changed.
#[derive(Debug, Clone, PartialEq)]
pub struct Refusal {
    /// The control that made the edit: where the page shows why.
    pub control: Control,
    /// Why it was refused.
    pub error: Error,
}

#[derive(Clone)]
pub struct Workspace {
    pub lang: Lang,
    pub builtin: &'static Builtin,
    /// The built-in scenario as published: the baseline drawn on every chart.
    pub base: Rc<Model>,
    pub base_run: Rc<Trajectory>,
    pub base_mc: Option<Rc<MonteCarlo>>,
    /// The baseline's background Monte Carlo failed: not tried again.
    base_mc_failed: bool,
    /// The planner's edited scenario and its central run.
    pub current: Rc<Model>,
    pub run: Rc<Trajectory>,
    pub mc: McStatus,
    /// Bumped on every change to the current scenario: it tags the Monte
    /// Carlo asked for it, so a late answer for an older edit is dropped.
    pub generation: u32,
    /// The last change came from a slider being dragged (`Action::Slide`):
    /// its Monte Carlo waits until the planner pauses (the page's debounce)
    /// or lets the slider go (`Action::SlideEnd`). Every other change (a
    /// typed number, a reset, an undo, a scenario) is final, and its Monte
    /// Carlo starts at once.
    pub sliding: bool,
    /// How many actions changed what the workspace shows, as its
    /// `PartialEq` judges: counted in one place, at the end of `reduce`. The
    /// page shows it as `data-version` and each canvas copies it to
    /// `data-drawn` once its picture is current, for tests and the benchmark
    /// to wait on; nothing decides a redraw by it.
    pub changes: u64,
    /// The window's inner width in CSS pixels (0 until the first resize):
    /// canvases measure their own width again when it changes.
    pub window_width: u32,
    pub pinned: Vec<Pinned>,
    /// Pinned scenarios named so far, so names stay unique after an unpin.
    pins_made: u32,
    /// The last refused edit: which control, and why.
    pub error: Option<Refusal>,
    pub tab: Tab,
    /// The district series charted on the targets tab.
    pub target_series: String,
    /// The year shown by the heat map and the school table.
    pub year: i32,
    /// Row index of the school whose trajectory is shown.
    pub school: Option<usize>,
    /// The imported roster the baseline and the edits run on, if any.
    pub imported: Option<Imported>,
    /// The roster hash a share link was made with, until the planner imports
    /// a roster (then they are told whether it is the same file).
    pub awaiting_roster: Option<String>,
    /// Messages shown above the workspace until dismissed.
    pub messages: Vec<Message>,
    pub view: View,
    /// A share link waiting for the planner's consent to replace this
    /// workspace, whose edits could not be kept first (storage full).
    pub held_link: Option<HeldLink>,
    /// This workspace came from a share link opened in the page: it replaces
    /// the current one only once the current edits are kept
    /// (`persist::keep_before_link`), else it is held for consent.
    pub opened_from_link: bool,
}

/// A link's workspace held back (see [`Workspace::held_link`]) and why the
/// current edits could not be kept first.
#[derive(Clone)]
pub struct HeldLink {
    pub link: Rc<Workspace>,
    /// Why the current workspace could not be kept (the store's error).
    pub why: Message,
}

impl HeldLink {
    /// `link`, held because keeping the current workspace failed with `e`.
    pub fn new(mut link: Workspace, e: &Error) -> HeldLink {
        link.opened_from_link = false;
        HeldLink { link: Rc::new(link), why: Message::error(e) }
    }
}

impl PartialEq for HeldLink {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.link, &other.link) && self.why == other.why
    }
}

pub enum Action {
    SelectScenario(String),
    SetLever(&'static str, f64),
    /// As `SetLever`, from a slider being dragged: more are likely to follow
    /// within milliseconds ([`Workspace::sliding`]).
    Slide(&'static str, f64),
    /// The slider was let go (its `change` event, which a drag fires once at
    /// the end and a key press with each step) at this value: the drag is
    /// over, so a Monte Carlo still waiting for the pause starts at once.
    SlideEnd(&'static str, f64),
    SetYearly(&'static str, i32, f64),
    ResetLever(&'static str),
    ResetGroup(Group),
    Refused(Control, Error),
    SetLang(Lang),
    SelectTab(Tab),
    SelectTargetSeries(String),
    SelectYear(i32),
    SelectSchool(Option<usize>),
    Pin,
    Unpin(usize),
    McProgress {
        generation: u32,
        done: u32,
        total: u32,
        partial: Option<Rc<Partial>>,
    },
    McDone {
        generation: u32,
        mc: Rc<MonteCarlo>,
    },
    McFailed {
        generation: u32,
        message: String,
    },
    /// The window changed size; its new inner width in CSS pixels.
    Resized(u32),
    /// Replaces the workspace (a link, a saved scenario, an imported roster
    /// or scenario file), keeping the language, tab, view and window width.
    /// A workspace [`Workspace::opened_from_link`] replaces it only once the
    /// current edits are kept as a saved scenario; when they cannot be, it is
    /// held ([`Workspace::held_link`]) until the planner answers.
    Replace(Box<Workspace>),
    /// The roster an autosave named by hash, found in this browser's
    /// IndexedDB and applied (`roster_store`): replaces the workspace
    /// opened without it, unless the planner has edited since generation
    /// `.0` (then the edits stand, and the message to import the file).
    RosterRestored(u32, Box<Workspace>),
    /// The planner agreed to open the held link, replacing the workspace.
    OpenHeldLink,
    /// The planner declined the held link: the workspace stays as it is.
    CancelHeldLink,
    Notify(Message),
    Dismiss(usize),
    ShowView(View),
}

/// Loads a built-in scenario and runs it. The built-ins are compiled in and
/// tested natively, so a failure here is a build defect; it is still reported
/// rather than a panic.
fn load(builtin: &Builtin) -> Result<Rc<Model>, Error> {
    let s = builtin.scenario()?;
    let roster = s.resolve_roster(|_| Err("浏览器中没有文件 (no files in the browser)".into()))?;
    Model::new(s, roster).map(Rc::new)
}

impl Workspace {
    /// The built-in `builtin_id` (or the first one) as published.
    ///
    /// # Errors
    ///
    /// A built-in that does not load: a build defect.
    pub fn new(builtin_id: &str) -> Result<Workspace, Error> {
        let builtin = crate::scenario::builtin::builtin(builtin_id).unwrap_or(&BUILTIN[0]);
        Ok(Workspace::with_base(builtin, load(builtin)?))
    }

    /// The built-in `builtin_id` with `scenario` as the edited scenario, both
    /// run on `imported` when given.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::ScenarioInvalid`] when `builtin_id` is not a built-in;
    /// [`ErrorKind::RosterMismatch`] when the scenario does not fit the
    /// roster (a school it names is missing).
    pub fn open(
        builtin_id: &str,
        scenario: Scenario,
        imported: Option<Imported>,
    ) -> Result<Workspace, Error> {
        let builtin = crate::scenario::builtin::builtin(builtin_id).ok_or_else(|| {
            let known = BUILTIN.iter().map(|b| b.id).collect::<Vec<_>>().join(", ");
            let p = Problem::field(
                "scenario.id",
                Text::new("不是内置情景", "is not a built-in scenario"),
            )
            .found(builtin_id)
            .allowed(Text::same(known));
            Error::new(ErrorKind::ScenarioInvalid, p)
        })?;
        let base = match &imported {
            None => load(builtin)?,
            Some(i) => Rc::new(Model::new(builtin.scenario()?, (*i.roster).clone())?),
        };
        let mut w = Workspace::with_base(builtin, base);
        w.imported = imported;
        if scenario != w.base.scenario {
            let m = Model::new(scenario, w.base.roster.clone())?;
            w.run = Rc::new(m.run_central());
            w.current = Rc::new(m);
            w.mc = McStatus::Pending;
        }
        Ok(w)
    }

    /// Pins saved with an entry, run again on this workspace's roster. Their
    /// Monte Carlo was not saved: the page runs it after the current one's.
    /// A pin that no longer applies is left out with a message.
    pub fn restore_pins(&mut self, pins: &[crate::saved::SavedPin]) {
        for (k, pin) in (0u32..).zip(pins.iter().take(MAX_PINNED)) {
            let restored = pin
                .scenario()
                .map_err(|e| Message::of(MessageKind::Warning, e.text()))
                .and_then(|s| {
                    if s.scenario.id != self.base.scenario.scenario.id {
                        return Err(Message::new(
                            MessageKind::Warning,
                            format!("固定的方案 {} 基于另一个情景，未恢复。", pin.number),
                            format!(
                                "Pinned option {} is on another scenario and was not restored.",
                                pin.number
                            ),
                        ));
                    }
                    Model::new(s, self.base.roster.clone())
                        .map_err(|e| Message::of(MessageKind::Warning, e.text()))
                });
            match restored {
                Ok(m) => {
                    self.pinned.push(Pinned {
                        name: format!("{} {}", self.lang.pick("方案", "Option"), pin.number),
                        number: pin.number,
                        run: Rc::new(m.run_central()),
                        scenario: Rc::new(m.scenario),
                        mc: None,
                        generation: u32::MAX - k,
                        mc_failed: false,
                    });
                    self.pins_made = self.pins_made.max(pin.number);
                }
                Err(m) => self.messages.push(Message::of(
                    MessageKind::Warning,
                    m.text.map(|lang, why| match lang {
                        Lang::Zh => format!("固定的方案 {} 无法恢复：{why}", pin.number),
                        Lang::En => {
                            format!("Pinned option {} could not be restored: {why}", pin.number)
                        }
                    }),
                )),
            }
        }
    }

    /// The next Monte Carlo to run in the background once the current
    /// scenario's is done, as (generation, scenario): the baseline's, when
    /// the planner edited before it finished (the comparison shows its
    /// probabilities), then each pin still without one (pinned before its
    /// run finished, or restored from storage).
    pub fn background_mc(&self) -> Option<(u32, &Scenario)> {
        if self.base_mc.is_none() && !self.base_mc_failed {
            return Some((BASE_MC_GENERATION, &self.base.scenario));
        }
        self.pinned
            .iter()
            .find(|p| p.mc.is_none() && !p.mc_failed)
            .map(|p| (p.generation, &*p.scenario))
    }

    /// This workspace's edits on another roster: what importing a roster does.
    ///
    /// # Errors
    ///
    /// As [`Workspace::open`]: [`ErrorKind::RosterMismatch`] when the
    /// scenario does not run on the roster.
    pub fn with_roster(&self, imported: Imported) -> Result<Workspace, Error> {
        let mut w = Workspace::open(
            self.builtin.id,
            self.current.scenario.clone(),
            Some(imported),
        )?;
        w.awaiting_roster = self.awaiting_roster.clone();
        Ok(w)
    }

    fn with_base(builtin: &'static Builtin, base: Rc<Model>) -> Workspace {
        let base_run = Rc::new(base.run_central());
        Workspace::with_base_run(builtin, base, base_run)
    }

    fn with_base_run(builtin: &'static Builtin, base: Rc<Model>, base_run: Rc<Trajectory>) -> Workspace {
        let target_series = base
            .scenario
            .targets
            .first()
            .map(|t| t.series.clone())
            .unwrap_or_else(|| "new_quality_schools".into());
        let year = default_year(&base.scenario);
        Workspace {
            lang: Lang::Zh,
            builtin,
            current: base.clone(),
            run: base_run.clone(),
            base,
            base_run,
            base_mc: None,
            base_mc_failed: false,
            mc: McStatus::Pending,
            generation: 1,
            sliding: false,
            changes: 1,
            window_width: 0,
            pinned: Vec::new(),
            pins_made: 0,
            error: None,
            tab: Tab::Targets,
            target_series,
            year,
            school: None,
            imported: None,
            awaiting_roster: None,
            messages: Vec::new(),
            view: View::Workspace,
            held_link: None,
            opened_from_link: false,
        }
    }

    /// The roster the workers must run on: the imported one, if any (the
    /// scenario JSON they get names only the built-in's).
    pub fn workers_roster(&self) -> Option<WorkerRoster> {
        self.imported.as_ref().map(Imported::for_workers)
    }

    pub fn mc(&self) -> Option<&Rc<MonteCarlo>> {
        match &self.mc {
            McStatus::Done(mc) => Some(mc),
            _ => None,
        }
    }

    /// Position of the selected year in the run's years.
    pub fn years_index(&self) -> Option<usize> {
        self.run.years.iter().position(|y| *y == self.year)
    }

    /// Position of `year` in the run's years.
    pub fn years_at(&self, year: i32) -> Option<usize> {
        self.run.years.iter().position(|y| *y == year)
    }

    /// True when the current scenario is the baseline unchanged.
    pub fn is_baseline(&self) -> bool {
        Rc::ptr_eq(&self.current, &self.base)
    }

    /// Replaces the current scenario with `edit` applied to a copy, after
    /// validating the whole scenario; a refused edit changes nothing.
    /// `edit` fails with the lever's own message (already in both languages).
    fn edit(
        mut self,
        control: Control,
        edit: impl FnOnce(&mut Scenario) -> Result<(), String>,
    ) -> Self {
        let mut s = self.current.scenario.clone();
        let checked = edit(&mut s)
            .map_err(|why| Error::new(ErrorKind::ScenarioInvalid, Problem::whole(Text::same(why))))
            .and_then(|()| {
                let problems = s.validate();
                if problems.is_empty() {
                    Ok(())
                } else {
                    Err(crate::scenario::invalid(problems))
                }
            });
        match checked {
            Err(error) => self.error = Some(Refusal { control, error }),
            Ok(()) => {
                self.error = None;
                self.set_current(s);
            }
        }
        self
    }

    fn set_current(&mut self, s: Scenario) {
        if s == self.base.scenario {
            self.current = self.base.clone();
            self.run = self.base_run.clone();
        } else {
            match Model::new(s, self.base.roster.clone()) {
                Ok(m) => {
                    self.run = Rc::new(m.run_central());
                    self.current = Rc::new(m);
                }
                Err(error) => {
                    self.error = Some(Refusal {
                        control: Control::Scenario,
                        error,
                    });
                    return;
                }
            }
        }
        self.generation += 1;
        self.sliding = false;
        self.mc = if self.is_baseline() {
            self.base_mc
                .clone()
                .map_or(McStatus::Pending, McStatus::Done)
        } else {
            McStatus::Pending
        };
    }
}

/// Rosters of more rows than this are applied a step at a time
/// ([`with_roster_then`]). A district's roster (Pudong's is 325 rows) is far
/// below; at 5,000 rows one central run in the page takes about 100 ms.
pub const STEPWISE_ROWS: usize = 5_000;

/// Rows serialised between two pauses when a big roster is applied.
const JSON_SLICE: usize = 1_000;

/// What importing `roster` does ([`Workspace::with_roster`]: `w`'s edits on
/// the roster), handed to `done`. A roster of up to [`STEPWISE_ROWS`] rows
/// is applied at once. A bigger one a step at a time, pausing for the page
/// between steps so no task holds it up for long: its JSON in slices, the
/// baseline's model, its central run a year at a time, then the same for
/// the edited scenario; `progress(done, total)` after each step. The
/// results are the same either way (`CentralSteps` is the central run).
pub fn with_roster_then(
    w: &Workspace,
    roster: Rc<Roster>,
    source: String,
    progress: impl Fn(usize, usize) + 'static,
    done: impl FnOnce(Result<Workspace, Error>) + 'static,
) {
    if roster.schools.len() <= STEPWISE_ROWS {
        done(w.with_roster(Imported::new((*roster).clone(), source)));
        return;
    }
    let w = w.clone();
    wasm_bindgen_futures::spawn_local(async move {
        done(stepwise(&w, roster, source, &progress).await);
    });
}

/// Lets the page paint and handle input before the next step.
async fn pause() {
    let timeout = js_sys::Promise::new(&mut |resolve, _| {
        if let Some(w) = web_sys::window() {
            let _ = w.set_timeout_with_callback(&resolve);
        }
    });
    let _ = wasm_bindgen_futures::JsFuture::from(timeout).await;
}

async fn stepwise(w: &Workspace, roster: Rc<Roster>, source: String, progress: &dyn Fn(usize, usize)) -> Result<Workspace, Error> {
    let slices = roster.schools.len().div_ceil(JSON_SLICE);
    let edited = w.current.scenario != w.base.scenario;
    let years = w.base.scenario.years().count();
    // Slices of JSON, then per scenario its model and its years.
    let total = slices + (1 + years) * if edited { 2 } else { 1 };
    let mut step = 0;
    let mut tick = || {
        step += 1;
        progress(step, total);
    };
    let mut json = crate::share::RosterJson::default();
    for slice in roster.schools.chunks(JSON_SLICE) {
        json.push(slice);
        tick();
        pause().await;
    }
    let imported = Imported::with_json(roster, source, json.finish());
    let mut runs = Vec::new();
    for scenario in [Some(w.builtin.scenario()?), edited.then(|| w.current.scenario.clone())].into_iter().flatten() {
        // The copy and the binding, each a task of its own.
        let rows = (*imported.roster).clone();
        pause().await;
        let model = Model::new(scenario, rows)?;
        tick();
        pause().await;
        let mut steps = model.into_central_steps();
        while steps.step() {
            tick();
            pause().await;
        }
        tick();
        runs.push(steps.finish());
    }
    let mut runs = runs.into_iter();
    let (base, base_run) = runs.next().expect("the baseline ran");
    let mut fresh = Workspace::with_base_run(w.builtin, Rc::new(base), Rc::new(base_run));
    if let Some((current, run)) = runs.next() {
        fresh.current = Rc::new(current);
        fresh.run = Rc::new(run);
        fresh.mc = McStatus::Pending;
    }
    fresh.imported = Some(imported);
    fresh.awaiting_roster = w.awaiting_roster.clone();
    Ok(fresh)
}

fn roster_check(wanted: &str, got: &str) -> Message {
    if wanted == got {
        Message::new(
            MessageKind::Info,
            format!("导入的花名册与链接所用的相同（摘要 {got}）：结果与发送者一致。"),
            format!("The imported roster is the one the link was made with (hash {got}): the results match the sender's."),
        )
    } else {
        Message::new(
            MessageKind::Warning,
            format!("导入的花名册与链接所用的不同（链接 {wanted}，此文件 {got}）：结果会与发送者看到的不同。"),
            format!("The imported roster differs from the one the link was made with (link {wanted}, this file {got}): results will differ from the sender's."),
        )
    }
}

fn default_year(s: &Scenario) -> i32 {
    if s.years().contains(&2026) {
        2026
    } else {
        s.scenario.end_year
    }
}

impl Reducible for Workspace {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        // A copy, kept apart from the previous state so the two can be
        // compared below (the components' handles hold the previous one
        // anyway, so unwrapping would rarely have saved it). It is shallow:
        // models, runs, results, pinned scenarios and rosters are shared
        // `Rc`s; what is copied is a few numbers, names and messages.
        let mut w = (*self).clone();
        match action {
            Action::SelectScenario(id) => {
                if id != w.builtin.id {
                    match Workspace::new(&id) {
                        Ok(mut fresh) => {
                            fresh.lang = w.lang;
                            fresh.tab = w.tab;
                            fresh.generation = w.generation + 1;
                            fresh.window_width = w.window_width;
                            fresh.pins_made = 0;
                            w = fresh;
                        }
                        Err(error) => {
                            w.error = Some(Refusal {
                                control: Control::Scenario,
                                error,
                            })
                        }
                    }
                }
            }
            Action::SetLever(id, v) => {
                w = match levers::lever(id) {
                    Some(l) => w.edit(Control::Lever(l.id), |s| l.set(s, v)),
                    None => w,
                }
            }
            Action::Slide(id, v) => {
                let generation = w.generation;
                w = match levers::lever(id) {
                    Some(l) => w.edit(Control::Lever(l.id), |s| l.set(s, v)),
                    None => w,
                };
                w.sliding = w.generation != generation;
            }
            Action::SlideEnd(id, v) => {
                if let Some(l) = levers::lever(id) {
                    // At the value of the last step there is nothing to run again.
                    if l.get(&w.current.scenario).map(|p| p.value.to_bits()) != Some(v.to_bits()) {
                        w = w.edit(Control::Lever(l.id), |s| l.set(s, v));
                    }
                    w.sliding = false;
                }
            }
            Action::SetYearly(id, year, v) => {
                w = match levers::yearly_lever(id) {
                    Some(l) => w.edit(Control::Lever(l.id), |s| l.set(s, year, v)),
                    None => w,
                }
            }
            Action::ResetLever(id) => {
                let base = w.base.scenario.clone();
                w = w.edit(Control::Lever(id), |s| {
                    if let Some(l) = levers::lever(id) {
                        if let Some(b) = l.get(&base) {
                            l.set(s, b.value)?;
                        }
                    }
                    if let Some(l) = levers::yearly_lever(id) {
                        l.reset(s, &base);
                    }
                    Ok(())
                });
            }
            Action::ResetGroup(g) => {
                let base = w.base.scenario.clone();
                w = w.edit(Control::Group(g), |s| {
                    for l in levers::LEVERS.iter().filter(|l| l.group == g) {
                        if let Some(b) = l.get(&base) {
                            l.set(s, b.value)?;
                        }
                    }
                    for l in levers::YEARLY_LEVERS.iter().filter(|l| l.group == g) {
                        l.reset(s, &base);
                    }
                    Ok(())
                });
            }
            Action::Refused(control, error) => w.error = Some(Refusal { control, error }),
            Action::SetLang(lang) => {
                w.lang = lang;
                for p in &mut w.pinned {
                    p.name = format!("{} {}", lang.pick("方案", "Option"), p.number);
                }
            }
            Action::SelectTab(tab) => w.tab = tab,
            Action::SelectTargetSeries(s) => w.target_series = s,
            Action::SelectYear(y) => w.year = y,
            Action::SelectSchool(i) => w.school = i,
            Action::Pin => {
                if w.pinned.len() < MAX_PINNED {
                    w.pins_made += 1;
                    let name = format!("{} {}", w.lang.pick("方案", "Option"), w.pins_made);
                    w.pinned.push(Pinned {
                        name,
                        number: w.pins_made,
                        scenario: Rc::new(w.current.scenario.clone()),
                        run: w.run.clone(),
                        mc: w.mc().cloned(),
                        generation: w.generation,
                        mc_failed: false,
                    });
                }
            }
            Action::Unpin(k) => {
                if k < w.pinned.len() {
                    w.pinned.remove(k);
                }
            }
            Action::McProgress {
                generation,
                done,
                total,
                partial,
            } => {
                if generation == w.generation && !matches!(w.mc, McStatus::Done(_)) {
                    // A new partial summary, else the one shown so far.
                    let shown = match &w.mc {
                        McStatus::Running { partial, .. } => partial.clone(),
                        _ => None,
                    };
                    let partial = partial.or(shown).filter(|_| w.tab == Tab::Targets);
                    w.mc = McStatus::Running { done, total, partial };
                }
            }
            Action::McDone { generation, mc } => {
                if generation == BASE_MC_GENERATION {
                    w.base_mc = Some(mc.clone());
                }
                for p in w.pinned.iter_mut().filter(|p| p.generation == generation) {
                    p.mc = Some(mc.clone());
                }
                if generation == w.generation {
                    if w.is_baseline() {
                        w.base_mc = Some(mc.clone());
                    }
                    w.mc = McStatus::Done(mc);
                }
            }
            Action::McFailed {
                generation,
                message,
            } => {
                for p in w.pinned.iter_mut().filter(|p| p.generation == generation) {
                    p.mc_failed = true;
                }
                w.base_mc_failed |= generation == BASE_MC_GENERATION;
                if generation == w.generation {
                    w.mc = McStatus::Failed(message);
                }
            }
            Action::Resized(width) => w.window_width = width,
            Action::Replace(mut fresh) if fresh.opened_from_link => {
                fresh.opened_from_link = false;
                // Impure on purpose: only the reducer holds the current work.
                match super::persist::keep_before_link(&w) {
                    Ok(kept) => {
                        fresh.messages.extend(kept);
                        return Rc::new(w).reduce(Action::Replace(fresh));
                    }
                    Err(e) => w.held_link = Some(HeldLink::new(*fresh, &e)),
                }
            }
            Action::OpenHeldLink => {
                if let Some(held) = w.held_link.take() {
                    let fresh = Box::new((*held.link).clone());
                    return Rc::new(w).reduce(Action::Replace(fresh));
                }
            }
            Action::CancelHeldLink => {
                if w.held_link.take().is_some() {
                    w.messages.push(Message::new(
                        MessageKind::Info,
                        "未打开链接，当前方案保持不变。",
                        "The link was not opened; the workspace is unchanged.",
                    ));
                }
            }
            Action::RosterRestored(generation, fresh) => {
                if generation == w.generation {
                    // The messages of the page load stay, but the request to
                    // import the file again is answered.
                    let mut fresh = *fresh;
                    let asked = persist::ROSTER_TOO_BIG_ZH;
                    let mut kept: Vec<Message> = w.messages.iter().filter(|m| !m.text.zh.contains(asked)).cloned().collect();
                    kept.append(&mut fresh.messages);
                    fresh.messages = kept;
                    w.awaiting_roster = None;
                    return Rc::new(w).reduce(Action::Replace(Box::new(fresh)));
                }
            }
            Action::Replace(fresh) => {
                let mut fresh = *fresh;
                fresh.lang = w.lang;
                fresh.tab = w.tab;
                fresh.generation = w.generation + 1;
                fresh.window_width = w.window_width;
                fresh.view = w.view;
                // A roster import that answers a link says whether the file
                // is the one the link was made with.
                if let (Some(wanted), Some(got)) = (&w.awaiting_roster, &fresh.imported) {
                    fresh.messages.push(roster_check(wanted, &got.hash));
                    fresh.awaiting_roster = None;
                }
                w = fresh;
            }
            Action::Notify(m) => {
                w.messages.retain(|old| *old != m);
                w.messages.push(m);
            }
            Action::Dismiss(k) => {
                if k < w.messages.len() {
                    w.messages.remove(k);
                }
            }
            Action::ShowView(v) => {
                w.view = v;
            }
        }
        w.changes = self.changes + u64::from(w != *self);
        Rc::new(w)
    }
}

/// Two workspaces are equal when they show the same thing: the same runs
/// and Monte Carlo results (compared by identity, since a result is replaced,
/// never changed in place), edits, selections, pins, language, window width,
/// refusal and messages. The context's components re-render exactly when
/// this says the workspace changed; Monte Carlo progress ticks alone are not a
/// change (only the page's progress bar follows them).
impl PartialEq for Workspace {
    fn eq(&self, other: &Self) -> bool {
        self.generation == other.generation
            && std::ptr::eq(self.builtin, other.builtin)
            && Rc::ptr_eq(&self.base, &other.base)
            && Rc::ptr_eq(&self.base_run, &other.base_run)
            && same_rc(&self.base_mc, &other.base_mc)
            && self.base_mc_failed == other.base_mc_failed
            && Rc::ptr_eq(&self.current, &other.current)
            && Rc::ptr_eq(&self.run, &other.run)
            && self.mc.shows_same(&other.mc)
            && self.window_width == other.window_width
            && self.pinned.len() == other.pinned.len()
            && self.pinned.iter().zip(&other.pinned).all(|(a, b)| a.shows_same(b))
            && self.pins_made == other.pins_made
            && self.error == other.error
            && self.lang == other.lang
            && self.tab == other.tab
            && self.target_series == other.target_series
            && self.year == other.year
            && self.school == other.school
            && same_roster(&self.imported, &other.imported)
            && self.awaiting_roster == other.awaiting_roster
            && self.messages == other.messages
            && self.view == other.view
            && self.held_link == other.held_link
            && self.opened_from_link == other.opened_from_link
    }
}

fn same_rc<T>(a: &Option<Rc<T>>, b: &Option<Rc<T>>) -> bool {
    match (a, b) {
        (Some(a), Some(b)) => Rc::ptr_eq(a, b),
        (None, None) => true,
        _ => false,
    }
}

/// Same roster by identity and origin: comparing the rows would cost a
/// district's worth of schools per render.
fn same_roster(a: &Option<Imported>, b: &Option<Imported>) -> bool {
    match (a, b) {
        (Some(a), Some(b)) => Rc::ptr_eq(&a.roster, &b.roster) && a.source == b.source,
        (None, None) => true,
        _ => false,
    }
}

impl McStatus {
    /// The same state for everything but the progress bar: two `Running`
    /// are the same whatever their counts (if they show the same partial
    /// summary), two `Done` only with the same result.
    fn shows_same(&self, other: &McStatus) -> bool {
        match (self, other) {
            (McStatus::Pending, McStatus::Pending) => true,
            (McStatus::Running { partial: a, .. }, McStatus::Running { partial: b, .. }) => same_rc(a, b),
            (McStatus::Done(a), McStatus::Done(b)) => Rc::ptr_eq(a, b),
            (McStatus::Failed(a), McStatus::Failed(b)) => a == b,
            _ => false,
        }
    }
}

impl Pinned {
    /// The same pin with the same results, by identity.
    fn shows_same(&self, other: &Pinned) -> bool {
        self.name == other.name
            && self.number == other.number
            && self.generation == other.generation
            && Rc::ptr_eq(&self.run, &other.run)
            && same_rc(&self.mc, &other.mc)
            && self.mc_failed == other.mc_failed
    }
}

/// The workspace as every component sees it, shared through one
/// `ContextProvider` (as in Yew's `contexts` and `function_todomvc`
/// examples): read it, and change it by dispatching [`Action`]s.
pub type WorkspaceContext = UseReducerHandle<Workspace>;

/// The workspace of the page this component is rendered in.
///
/// # Panics
///
/// Outside the page's `ContextProvider<WorkspaceContext>`; every component
/// that calls it is rendered by the workspace page, inside the provider.
#[hook]
pub fn use_workspace() -> WorkspaceContext {
    use_context::<WorkspaceContext>()
        .expect("a workspace component is rendered inside the workspace's ContextProvider")
}
