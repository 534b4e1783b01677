//! Roster import off the main thread, where a failure cannot take the page
//! down. Each import starts a fresh module worker (`web/worker.js`, the same
//! wasm as the page) that reads and checks the file with
//! [`worker_parse_roster`] and posts the result back as JSON. If the worker
//! dies (a panic, which the release build turns into an abort, or running
//! out of memory), the page is told so and keeps its state; the next import
//! gets a new worker. The page never parses a file itself.

use std::cell::RefCell;
use std::rc::Rc;

use js_sys::{Array, Object, Reflect, Uint8Array};
use serde::{Deserialize, Serialize};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Event, MessageEvent, Worker, WorkerOptions, WorkerType};

use crate::i18n::Lang;
use crate::message::Text;
use crate::roster::csv_io::{ParseMode, RosterFile};
use crate::roster::Roster;

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
}

/// Schools per message from the worker: each message is a task of its
/// own on the page, and deserialising 250 schools takes some tens of ms,
/// so no task on the page grows with the roster.
const CHUNK: usize = 250;

/// The worker's entry point: reads the roster file `name` (CSV or XLSX, by
/// name and content) in both modes. The schools go to `post(which, json)`
/// in chunks of [`CHUNK`] (`which` is `"strict"`, every row of a file
/// without problems, or `"lenient"`, the good rows of one with problems);
/// returned is the rest of the [`ParsedRoster`] as JSON, with empty rosters.
#[wasm_bindgen]
pub fn worker_parse_roster(name: &str, bytes: Vec<u8>, post: &js_sys::Function) -> String {
    let file = RosterFile::from_upload(name, bytes);
    let strict = file.parse(Lang::Zh, ParseMode::Strict);
    let problems: Vec<ShownProblem> = strict
        .problems
        .iter()
        .map(|p| ShownProblem {
            row: p.place.row(),
            column: p.place.column().map(str::to_owned),
            zh: p.describe(Lang::Zh),
            en: p.describe(Lang::En),
        })
        .collect();
    let send = |which: &str, roster: &Roster| -> Result<(), String> {
        for chunk in roster.schools.chunks(CHUNK) {
            let json = serde_json::to_string(chunk).map_err(|e| e.to_string())?;
            post.call2(&JsValue::NULL, &JsValue::from_str(which), &JsValue::from_str(&json)).map_err(|e| format!("{e:?}"))?;
        }
        Ok(())
    };
    let mut sent = send("strict", &strict.roster);
    let lenient = if problems.is_empty() {
        None
    } else {
        let l = file.parse(Lang::Zh, ParseMode::DropBadRows);
        if sent.is_ok() {
            sent = send("lenient", &l.roster);
        }
        (!l.roster.schools.is_empty()).then(|| (Roster::default(), l.dropped_rows.len()))
    };
    let parsed = match sent {
        Ok(()) => ParsedRoster { roster: Roster::default(), problems, lenient },
        Err(e) => ParsedRoster {
            problems: vec![ShownProblem { row: None, column: None, zh: format!("无法传回结果：{e}"), en: format!("cannot return the result: {e}") }],
            ..ParsedRoster::default()
        },
    };
    serde_json::to_string(&parsed).unwrap_or_default()
}

/// The one import in progress: its worker and the handlers attached to it.
struct Job {
    worker: Worker,
    _on_message: Closure<dyn FnMut(MessageEvent)>,
    _on_error: Closure<dyn FnMut(Event)>,
}

/// The page's side. Starting an import ends the one in progress, if any.
#[derive(Default)]
pub struct ImportClient {
    job: Option<Job>,
}

impl ImportClient {
    /// Reads `bytes` of the file `name` in a new worker; `done` gets the
    /// result, or why the worker could not give one (both languages).
    pub fn parse(&mut self, name: &str, bytes: Vec<u8>, done: impl FnOnce(Result<ParsedRoster, Text>) + 'static) {
        self.stop();
        let done: Rc<RefCell<Option<Box<dyn FnOnce(Result<ParsedRoster, Text>)>>>> = Rc::new(RefCell::new(Some(Box::new(done))));
        let finish = {
            let done = done.clone();
            move |r: Result<ParsedRoster, Text>| {
                if let Some(f) = done.borrow_mut().take() {
                    f(r);
                }
            }
        };
        let failed = |why: String| {
            Text::new(
                format!("读取中断（后台读取进程出错：{why}），未作任何更改"),
                format!("reading stopped (the background reader failed: {why}); nothing was changed"),
            )
        };
        let opts = WorkerOptions::new();
        opts.set_type(WorkerType::Module);
        let worker = match Worker::new_with_options("./worker.js", &opts) {
            Ok(w) => w,
            Err(e) => return finish(Err(failed(format!("{e:?}")))),
        };
        let on_message = {
            let (finish, worker) = (finish.clone(), worker.clone());
            // The schools received so far: every row, and the good rows.
            let mut strict = Vec::new();
            let mut lenient = Vec::new();
            let mut broken = None;
            Closure::<dyn FnMut(MessageEvent)>::new(move |e: MessageEvent| {
                let data = e.data();
                let get = |k: &str| Reflect::get(&data, &k.into()).unwrap_or(JsValue::UNDEFINED);
                if let Some(chunk) = get("chunk").as_string() {
                    let into = if get("which").as_string().as_deref() == Some("lenient") { &mut lenient } else { &mut strict };
                    match serde_json::from_str::<Vec<crate::roster::School>>(&chunk) {
                        Ok(schools) => into.extend(schools),
                        Err(e) => broken = Some(e.to_string()),
                    }
                    return;
                }
                // The worker is done either way; a new one serves the next import.
                worker.terminate();
                let result = match (get("result").as_string(), broken.take()) {
                    (Some(_), Some(e)) => Err(failed(e)),
                    (Some(json), None) => serde_json::from_str::<ParsedRoster>(&json).map_err(|e| failed(e.to_string())).map(|mut p| {
                        p.roster.schools = std::mem::take(&mut strict);
                        if let Some((good, _)) = &mut p.lenient {
                            good.schools = std::mem::take(&mut lenient);
                        }
                        p
                    }),
                    (None, _) => Err(failed(get("error").as_string().unwrap_or_else(|| "?".into()))),
                };
                finish(result);
            })
        };
        let on_error = {
            let worker = worker.clone();
            Closure::<dyn FnMut(Event)>::new(move |e: Event| {
                // A worker that died (out of memory, a script error) reports here.
                e.prevent_default();
                worker.terminate();
                let why = Reflect::get(&e, &"message".into()).ok().and_then(|m| m.as_string()).unwrap_or_else(|| e.type_());
                finish(Err(failed(why)));
            })
        };
        worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        worker.set_onmessageerror(Some(on_error.as_ref().unchecked_ref()));
        let msg = Object::new();
        let array = Uint8Array::from(bytes.as_slice());
        let _ = Reflect::set(&msg, &"kind".into(), &"roster".into());
        let _ = Reflect::set(&msg, &"name".into(), &name.into());
        let _ = Reflect::set(&msg, &"bytes".into(), &array);
        // The bytes move to the worker rather than being copied.
        let transfer = Array::of1(&array.buffer());
        if let Err(e) = worker.post_message_with_transfer(&msg, &transfer) {
            worker.terminate();
            if let Some(f) = done.borrow_mut().take() {
                f(Err(failed(format!("{e:?}"))));
            }
            return;
        }
        self.job = Some(Job { worker, _on_message: on_message, _on_error: on_error });
    }

    /// Ends the import in progress; its result is never delivered.
    pub fn stop(&mut self) {
        if let Some(job) = self.job.take() {
            job.worker.terminate();
        }
    }
}

impl Drop for ImportClient {
    fn drop(&mut self) {
        self.stop();
    }
}
