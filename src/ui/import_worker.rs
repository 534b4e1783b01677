//! The page's side of the Excel worker. Every roster import (CSV as well as
//! Excel: one path) and every workbook the page offers (the results, the
//! roster, the template) is made in `web/excel_worker.js`, a module worker
//! that loads the second wasm module, `youjun_excel`: this crate with its
//! `xlsx` feature (calamine, rust_xlsxwriter, zip), entry points in
//! `super::excel_worker`. The page's own module is built without that
//! feature, so the Excel code is downloaded only when a planner first
//! imports or exports a file, never before the first chart.
//!
//! Each job gets a fresh worker, ended when the job is done: a hostile file
//! can stop that worker (a panic, which the release build turns into an
//! abort, or running out of memory), never the page, and the next job
//! starts clean. A job reports its [`Stage`], so the page can say that the
//! Excel component is loading; a worker or module that fails to load, or
//! dies, is reported in both languages, and the page keeps its state. The
//! page never parses a roster file or builds a workbook itself.

use std::cell::RefCell;
use std::rc::Rc;

use gloo::timers::callback::Timeout;
use js_sys::{Array, Object, Reflect, Uint8Array};
use serde::{Deserialize, Serialize};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Event, MessageEvent, Worker, WorkerOptions, WorkerType};

use crate::i18n::Lang;
use crate::message::Text;
use crate::roster::{Mapping, Roster, School};
use crate::scenario::Scenario;

/// A problem as the import dialog shows it: where, and the reason in both
/// languages (so a language toggle needs no new parse).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ShownProblem {
    /// Spreadsheet row, if the problem is in one.
    pub row: Option<usize>,
    /// Column header, if the problem is in one.
    pub column: Option<String>,
    /// The reason, in Chinese.
    pub zh: String,
    /// The reason, in English.
    pub en: String,
}

impl ShownProblem {
    /// The reason in `lang`.
    pub fn describe(&self, lang: Lang) -> &str {
        lang.pick(&self.zh, &self.en)
    }
}

/// What the worker found in a roster file.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct ParsedRoster {
    /// Every row, when there is no problem; empty otherwise.
    pub roster: Roster,
    /// Every problem, in file order.
    pub problems: Vec<ShownProblem>,
    /// When there are problems: the rows without any, and how many rows
    /// were left out (`None` when no row is good).
    pub lenient: Option<(Roster, usize)>,
    /// How the file was read (encoding, sheet, header, columns, rows left
    /// aside), shown before anything is applied (issue 17).
    #[serde(default)]
    pub mapping: Mapping,
}

/// A workbook the page asks the Excel worker for. The texts are JSON, made
/// by the page when the planner clicks.
pub enum Workbook {
    /// All results (`crate::export::results_xlsx_from_json`): the scenario,
    /// the roster it runs on, the Monte Carlo summary if there is one, and
    /// the language of the headers.
    Results { scenario: String, roster: String, mc: Option<String>, lang: Lang },
    /// The roster, English keys (`crate::roster::roster_to_xlsx`).
    Roster { roster: String },
    /// The roster template, Chinese headers.
    Template,
}

/// Where a job is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    /// The worker is loading the Excel module (downloaded on the first job).
    Loading,
    /// The module is loaded; the job is running.
    Working,
}

impl Stage {
    /// The stage as a progress line's `data-stage` (for tests).
    pub fn key(self) -> &'static str {
        match self {
            Stage::Loading => "loading",
            Stage::Working => "working",
        }
    }
}

/// How a job went wrong, before the page words it.
enum Failure {
    /// The worker or the Excel module could not be loaded.
    Loading(String),
    /// The job stopped: the worker died or threw.
    Stopped(String),
    /// The module refused the job and said why, in both languages.
    Refused(Text),
}

impl Failure {
    /// The reason in both languages: `stopped` words a job that stopped.
    fn text(self, stopped: impl Fn(&str) -> Text) -> Text {
        match self {
            Failure::Loading(why) => Text::new(
                format!("无法加载 Excel 组件（{why}），未作任何更改；请检查网络后重试"),
                format!("could not load the Excel component ({why}); nothing was changed; check the connection and try again"),
            ),
            Failure::Stopped(why) => stopped(&why),
            Failure::Refused(t) => t,
        }
    }
}

/// A refusal from the Excel module (`super::excel_worker`): the reason in
/// both languages.
#[derive(Deserialize)]
struct Refusal {
    zh: String,
    en: String,
}

/// What the worker posted, if it is the end of the job: `Some(Ok(..))` for
/// the answer, `Some(Err(why))` for an answer that cannot be read, `None`
/// for a message on the way (a chunk of schools).
type Reader<T> = Box<dyn FnMut(&JsValue) -> Option<Result<T, String>>>;

/// Where a job's outcome goes, taken when it is delivered (once).
type Once<T> = Rc<RefCell<Option<Box<dyn FnOnce(Result<T, Failure>)>>>>;

/// A running job: its worker and the handlers attached to it.
struct Running {
    worker: Worker,
    _on_message: Closure<dyn FnMut(MessageEvent)>,
    _on_error: Closure<dyn FnMut(Event)>,
}

/// A job in a worker of its own. It runs to its end even when the handle is
/// dropped (the running job holds itself until then); [`Task::stop`] ends
/// it early, and its answer is never delivered.
#[derive(Clone, Default)]
pub struct Task(Rc<RefCell<Option<Running>>>);

impl Task {
    /// Ends the job, if it is still running.
    pub fn stop(&self) {
        if let Some(r) = self.0.borrow_mut().take() {
            end(&r.worker);
        }
    }

    /// Starts a worker on the message `msg` (with `transfer` moved, not
    /// copied). `read` reads the job's answer out of the worker's messages;
    /// `done` gets the answer or the failure, once.
    fn start<T: 'static>(
        msg: &Object,
        transfer: &Array,
        on_stage: impl Fn(Stage) + 'static,
        mut read: Reader<T>,
        done: impl FnOnce(Result<T, Failure>) + 'static,
    ) -> Task {
        let task = Task::default();
        let done: Once<T> = Rc::new(RefCell::new(Some(Box::new(done))));
        // Ends the worker and delivers the outcome. The handlers are dropped
        // a moment later, outside the handler that is running now.
        let finish = {
            let (task, done) = (task.clone(), done.clone());
            move |r: Result<T, Failure>| {
                if let Some(running) = task.0.borrow().as_ref() {
                    end(&running.worker);
                }
                let task = task.clone();
                Timeout::new(0, move || drop(task.0.borrow_mut().take())).forget();
                if let Some(f) = done.borrow_mut().take() {
                    f(r);
                }
            }
        };
        on_stage(Stage::Loading);
        let opts = WorkerOptions::new();
        opts.set_type(WorkerType::Module);
        let worker = match Worker::new_with_options("./excel_worker.js", &opts) {
            Ok(w) => w,
            Err(e) => {
                finish(Err(Failure::Loading(format!("{e:?}"))));
                return task;
            }
        };
        let loaded = Rc::new(RefCell::new(false));
        let on_message = {
            let (finish, loaded) = (finish.clone(), loaded.clone());
            Closure::<dyn FnMut(MessageEvent)>::new(move |e: MessageEvent| {
                let data = e.data();
                let get = |k: &str| Reflect::get(&data, &k.into()).unwrap_or(JsValue::UNDEFINED);
                if get("ready").is_truthy() {
                    *loaded.borrow_mut() = true;
                    on_stage(Stage::Working);
                    return;
                }
                if let Some(why) = get("error").as_string() {
                    let failure = if get("loading").is_truthy() {
                        Failure::Loading(why)
                    } else {
                        match serde_json::from_str::<Refusal>(&why) {
                            Ok(r) => Failure::Refused(Text::new(r.zh, r.en)),
                            Err(_) => Failure::Stopped(why),
                        }
                    };
                    return finish(Err(failure));
                }
                if let Some(answer) = read(&data) {
                    finish(answer.map_err(Failure::Stopped));
                }
            })
        };
        let on_error = {
            let finish = finish.clone();
            Closure::<dyn FnMut(Event)>::new(move |e: Event| {
                // A worker whose script cannot load, or that died (out of
                // memory, a script error), reports here.
                e.prevent_default();
                let why = Reflect::get(&e, &"message".into()).ok().and_then(|m| m.as_string()).unwrap_or_else(|| e.type_());
                finish(Err(if *loaded.borrow() { Failure::Stopped(why) } else { Failure::Loading(why) }));
            })
        };
        worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        worker.set_onmessageerror(Some(on_error.as_ref().unchecked_ref()));
        let posted = worker.post_message_with_transfer(msg, transfer);
        *task.0.borrow_mut() = Some(Running { worker, _on_message: on_message, _on_error: on_error });
        if let Err(e) = posted {
            finish(Err(Failure::Stopped(format!("{e:?}"))));
        }
        task
    }
}

/// Ends `worker` and detaches the page's handlers first: an event the
/// worker queued before it ended (a message, or the error of a worker dying
/// just after its answer) is then never delivered to a handler about to be
/// dropped (wasm-bindgen's "closure invoked … after being dropped").
fn end(worker: &Worker) {
    worker.set_onmessage(None);
    worker.set_onerror(None);
    worker.set_onmessageerror(None);
    worker.terminate();
}

/// Makes `what` in a new Excel worker; `done` gets the workbook's bytes (in
/// the page's memory, not the module's), or why there are none, in both
/// languages. `on_stage` hears when the module is loaded.
pub fn make_workbook(
    what: Workbook,
    on_stage: impl Fn(Stage) + 'static,
    done: impl FnOnce(Result<Uint8Array, Text>) + 'static,
) -> Task {
    let msg = Object::new();
    let set = |k: &str, v: &JsValue| {
        let _ = Reflect::set(&msg, &k.into(), v);
    };
    match what {
        Workbook::Results { scenario, roster, mc, lang } => {
            set("kind", &"results".into());
            set("scenario", &scenario.into());
            set("roster", &roster.into());
            set("mc", &mc.map_or(JsValue::NULL, JsValue::from));
            set("lang", &lang.pick("zh", "en").into());
        }
        Workbook::Roster { roster } => {
            set("kind", &"roster-xlsx".into());
            set("roster", &roster.into());
        }
        Workbook::Template => set("kind", &"template".into()),
    }
    let read: Reader<Uint8Array> = Box::new(|data| {
        let bytes = Reflect::get(data, &"bytes".into()).ok()?;
        Some(bytes.dyn_into::<Uint8Array>().map_err(|_| "no workbook in the answer".to_owned()))
    });
    let stopped = |why: &str| {
        Text::new(format!("无法生成 Excel 文件（后台进程出错：{why}），未作任何更改"), format!("could not make the Excel file (the background worker failed: {why}); nothing was changed"))
    };
    Task::start(&msg, &Array::new(), on_stage, read, move |r| done(r.map_err(|f| f.text(stopped))))
}

/// Reads the TOML scenario file `text` in a new Excel worker (the page's
/// module has no TOML parser); `done` gets the scenario, or why the file is
/// not one (the reason `Scenario::from_toml` gives, line included, both
/// languages), or, as the outer error, why the worker could not read it.
pub fn read_toml_scenario(
    text: &str,
    on_stage: impl Fn(Stage) + 'static,
    done: impl FnOnce(Result<Result<Scenario, Text>, Text>) + 'static,
) -> Task {
    let msg = Object::new();
    let _ = Reflect::set(&msg, &"kind".into(), &"scenario-toml".into());
    let _ = Reflect::set(&msg, &"text".into(), &text.into());
    // The worker sends the scenario as JSON, which reads back to the same
    // scenario (a native test checks the round trip).
    let read: Reader<String> = Box::new(|data| Reflect::get(data, &"scenario".into()).ok()?.as_string().map(Ok));
    let stopped = |why: &str| {
        Text::new(
            format!("读取中断（后台读取进程出错：{why}），未作任何更改"),
            format!("reading stopped (the background reader failed: {why}); nothing was changed"),
        )
    };
    Task::start(&msg, &Array::new(), on_stage, read, move |r| {
        done(match r {
            Ok(json) => Ok(Scenario::from_json(&json).map_err(|e| e.text())),
            Err(Failure::Refused(why)) => Ok(Err(why)),
            Err(f) => Err(f.text(stopped)),
        })
    })
}

/// The import dialog's side: one roster read at a time. Starting one ends
/// the one in progress, and so does dropping the client (the dialog closed).
#[derive(Default)]
pub struct ImportClient {
    task: Option<Task>,
}

impl ImportClient {
    /// Reads `bytes` of the file `name` in a new Excel worker (a workbook
    /// from its sheet `sheet`, if named); `on_stage` hears when the module
    /// is loaded; `done` gets the result, or why the worker could not give
    /// one (both languages).
    pub fn parse(
        &mut self,
        name: &str,
        bytes: Vec<u8>,
        sheet: Option<&str>,
        on_stage: impl Fn(Stage) + 'static,
        done: impl FnOnce(Result<ParsedRoster, Text>) + 'static,
    ) {
        self.stop();
        // The schools received so far: every row, and the good rows.
        let mut strict: Vec<School> = Vec::new();
        let mut lenient: Vec<School> = Vec::new();
        let mut broken = None;
        let read: Reader<ParsedRoster> = Box::new(move |data| {
            let get = |k: &str| Reflect::get(data, &k.into()).unwrap_or(JsValue::UNDEFINED);
            if let Some(chunk) = get("chunk").as_string() {
                let into = if get("which").as_string().as_deref() == Some("lenient") { &mut lenient } else { &mut strict };
                match serde_json::from_str::<Vec<School>>(&chunk) {
                    Ok(schools) => into.extend(schools),
                    Err(e) => broken = Some(e.to_string()),
                }
                return None;
            }
            let json = get("result").as_string()?;
            if let Some(e) = broken.take() {
                return Some(Err(e));
            }
            Some(serde_json::from_str::<ParsedRoster>(&json).map_err(|e| e.to_string()).map(|mut p| {
                p.roster.schools = std::mem::take(&mut strict);
                if let Some((good, _)) = &mut p.lenient {
                    good.schools = std::mem::take(&mut lenient);
                }
                p
            }))
        });
        let stopped = |why: &str| {
            Text::new(
                format!("读取中断（后台读取进程出错：{why}），未作任何更改"),
                format!("reading stopped (the background reader failed: {why}); nothing was changed"),
            )
        };
        let msg = Object::new();
        let array = Uint8Array::from(bytes.as_slice());
        let _ = Reflect::set(&msg, &"kind".into(), &"roster".into());
        let _ = Reflect::set(&msg, &"name".into(), &name.into());
        let _ = Reflect::set(&msg, &"bytes".into(), &array);
        if let Some(sheet) = sheet {
            let _ = Reflect::set(&msg, &"sheet".into(), &sheet.into());
        }
        // The bytes move to the worker rather than being copied.
        let transfer = Array::of1(&array.buffer());
        self.task = Some(Task::start(&msg, &transfer, on_stage, read, move |r| done(r.map_err(|f| f.text(stopped)))));
    }

    /// Ends the read in progress; its result is never delivered.
    pub fn stop(&mut self) {
        if let Some(task) = self.task.take() {
            task.stop();
        }
    }
}

impl Drop for ImportClient {
    fn drop(&mut self) {
        self.stop();
    }
}
