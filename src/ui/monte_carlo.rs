//! Monte Carlo off the main thread, on every core. The page keeps a pool of
//! module workers (`web/worker.js`, each loading `youjun_engine`, this
//! library built for speed, and calling [`worker_monte_carlo`]), sized from `navigator.hardwareConcurrency`
//! (see [`pool_size`]). A Monte Carlo of N runs is cut into slices of at
//! most [`SLICE_RUNS`] runs, handed out in order to whichever worker is free; each
//! worker sends its slice back as a transferred `Float64Array`
//! ([`Slice::to_wire`]), and the page merges them ([`SliceSet`]). Run `i`
//! always uses stream `i` of the scenario's seed, so the summary is the same,
//! bit for bit, whatever the number of workers and the order the slices come
//! back in, and the same as the CLI's.
//!
//! While slices are still out, the page gets progress and, every
//! [`PARTIAL_EVERY_MS`], the target probabilities of the runs so far
//! (marked partial by the page). A new request drops the one before at once: its slices not yet
//! handed out are never sent, and a slice still computing (at most
//! [`SLICE_RUNS`] runs) is dropped when it comes back, by its job number.
//! The workers stay warm: starting a worker means loading and instantiating
//! the wasm module again, which costs more than letting one short slice
//! finish (`tests/benches/monte_carlo.mjs` measures both).

use std::cell::RefCell;
use std::rc::{Rc, Weak};

use js_sys::{Float64Array, Object, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{MessageEvent, Worker, WorkerOptions, WorkerType};

#[cfg(feature = "workers")]
use crate::engine::montecarlo::run_slice;
use crate::engine::montecarlo::{Slice, SliceSet};
use crate::engine::MonteCarlo;
#[cfg(feature = "workers")]
use crate::{engine::Model, roster::Roster};
use crate::scenario::Scenario;

/// Runs a worker computes per message, at most: under 0.1 s of Pudong
/// runs, so a stale slice delays the next edit's Monte Carlo by that at
/// most (while a slider is dragged it ends inside the page's debounce).
pub const SLICE_RUNS: u32 = 50;

/// Runs per message, at least. Towards the end of a request the slices
/// shrink (a share of what is left), so the workers finish close together
/// instead of one waiting for the other's last long slice.
pub const MIN_SLICE_RUNS: u32 = 10;

/// At most this many workers. Each holds its own instance of the wasm module
/// and builds its own model for every request; past four, 1,000 runs are
/// only five slices a worker and those fixed costs weigh more than the
/// extra core saves.
pub const MAX_WORKERS: usize = 4;

/// The probabilities of the runs so far go to the page at most this often
/// (each update re-renders the targets table).
pub const PARTIAL_EVERY_MS: f64 = 250.0;

#[cfg(feature = "workers")]
thread_local! {
    /// The worker's model for its current job: built from the scenario sent
    /// with the job's first slice, reused for the job's later slices.
    static WORKER_MODEL: RefCell<Option<(u32, Rc<Model>)>> = const { RefCell::new(None) };
}

#[cfg(feature = "workers")]
pub(super) fn model_of(scenario_json: &str, roster: Option<&Roster>) -> Result<Model, String> {
    let s = Scenario::from_json(scenario_json).map_err(|e| e.to_string())?;
    let roster = match roster {
        Some(r) => r.clone(),
        None => s.resolve_roster(|_| Err("浏览器中没有文件 (no files in the browser)".into())).map_err(|e| e.to_string())?,
    };
    Model::new(s, roster).map_err(|e| e.to_string())
}

/// An imported roster as the workers get it: named by its hash, its JSON
/// sent once to each worker, which keeps it for every later job.
#[derive(Debug, Clone, PartialEq)]
pub struct WorkerRoster {
    /// [`crate::share::roster_hash`] of the roster.
    pub hash: String,
    /// The roster, `serde_json` of [`Roster`].
    pub json: Rc<str>,
}

impl WorkerRoster {
    /// The JSON's bytes in a fresh buffer of their own, to move to a worker
    /// (a memory copy; a JavaScript string of tens of megabytes would be
    /// decoded and then copied again by `postMessage`, on the page's thread).
    pub fn bytes(&self) -> js_sys::Uint8Array {
        js_sys::Uint8Array::from(self.json.as_bytes())
    }
}

#[cfg(feature = "workers")]
thread_local! {
    /// The imported roster this worker was sent, by hash.
    static WORKER_ROSTER: RefCell<Option<(String, Rc<Roster>)>> = const { RefCell::new(None) };
}

/// The roster a worker's job runs on: none (the scenario's own, built-in
/// roster) without `hash`; else the imported roster `hash` names, read from
/// `json` when it comes with the message, or kept from an earlier one.
#[cfg(feature = "workers")]
pub(super) fn worker_roster(hash: Option<String>, json: Option<Vec<u8>>) -> Result<Option<Rc<Roster>>, String> {
    let Some(hash) = hash else { return Ok(None) };
    WORKER_ROSTER.with(|cell| {
        let mut cell = cell.borrow_mut();
        if let Some(json) = json {
            let roster: Roster = serde_json::from_slice(&json)
                .map_err(|e| format!("后台计算收到的花名册无法读取 (the worker could not read the roster it was sent): {e}"))?;
            *cell = Some((hash.clone(), Rc::new(roster)));
        }
        match &*cell {
            Some((held, roster)) if *held == hash => Ok(Some(roster.clone())),
            _ => Err(format!("后台计算没有收到花名册 {hash} (the worker has not been sent roster {hash})")),
        }
    })
}

/// The worker's entry point: runs `start..end` of job `job`'s Monte Carlo
/// (the scenario's own seed; run `i` on stream `i`) and returns the slice in
/// its wire form ([`Slice::to_wire`]), a fresh `Float64Array` the worker
/// transfers to the page. The page sends the scenario JSON with a job's
/// first slice to each worker and `undefined` after that; the worker keeps
/// the model of its latest job. A job on an imported roster names it by
/// `roster_hash`, and the roster's JSON comes along the first time a worker
/// is asked to run on it ([`worker_roster`]).
///
/// # Errors
///
/// The scenario JSON does not parse or validate, or its roster cannot be
/// built in the browser (a scenario naming a CSV file), or no scenario came
/// for `job`; the reason comes back as text in both languages.
#[cfg(feature = "workers")]
#[wasm_bindgen]
pub fn worker_monte_carlo(
    job: u32,
    scenario_json: Option<String>,
    roster_hash: Option<String>,
    roster_json: Option<Vec<u8>>,
    start: u32,
    end: u32,
) -> Result<Float64Array, JsValue> {
    let model = WORKER_MODEL.with(|cell| -> Result<Rc<Model>, String> {
        let mut cell = cell.borrow_mut();
        if let Some(json) = scenario_json {
            *cell = None;
            let roster = worker_roster(roster_hash, roster_json)?;
            let model = Rc::new(model_of(&json, roster.as_deref())?);
            *cell = Some((job, model.clone()));
            return Ok(model);
        }
        match &*cell {
            Some((held, model)) if *held == job => Ok(model.clone()),
            _ => Err(format!("后台计算没有收到第 {job} 号任务的情景 (the worker got no scenario for job {job})")),
        }
    })?;
    let seed = model.scenario.scenario.seed;
    let slice = run_slice(&model, seed, start..end, |_| {});
    Ok(Float64Array::from(slice.to_wire().as_slice()))
}

/// How many workers the pool runs with `hardware_concurrency` logical
/// cores (0 or not a number when the browser does not say): all of them on
/// one or two cores, where the page is idle while the Monte Carlo runs (it
/// waits out the debounce, then only merges slices); one fewer on more,
/// leaving a core to the page for the next slider drag; never more than
/// [`MAX_WORKERS`].
pub fn pool_size(hardware_concurrency: f64) -> usize {
    let cores = if hardware_concurrency.is_finite() && hardware_concurrency >= 1.0 {
        hardware_concurrency.min(1024.0) as usize
    } else {
        1
    };
    let workers = if cores <= 2 { cores } else { cores - 1 };
    workers.clamp(1, MAX_WORKERS)
}

/// The runs in so far of a request still running: how many, and each
/// target's share of them meeting it (the page shows these as partial; the
/// percentiles wait for the whole run).
#[derive(Debug, Clone, PartialEq)]
pub struct Partial {
    pub runs: u32,
    pub target_probability: Vec<f64>,
}

/// What the pool reports back to the page, tagged with the generation the
/// request was made for.
pub enum McEvent {
    /// `done` of `total` runs are in; `partial` is their target
    /// probabilities when an update is due (every [`PARTIAL_EVERY_MS`]).
    Progress { generation: u32, done: u32, total: u32, partial: Option<Partial> },
    Done { generation: u32, mc: MonteCarlo },
    Failed { generation: u32, message: String },
}

/// The page's side: the pool and the one request it is working on.
pub struct McClient {
    pool: Rc<RefCell<Pool>>,
    on_event: Rc<dyn Fn(McEvent)>,
}

struct Pool {
    size: usize,
    members: Vec<Option<Member>>,
    job: Option<Job>,
    next_job: u32,
    /// Terminated workers, kept until the next request: one may be retired
    /// from inside its own message handler, which must outlive the call.
    retired: Vec<Member>,
}

struct Member {
    worker: Worker,
    // Kept alive as long as the worker they are attached to.
    _on_message: Closure<dyn FnMut(MessageEvent)>,
    _on_error: Closure<dyn FnMut(JsValue)>,
    /// A slice is out with this worker (of the current job or a dropped one).
    busy: bool,
    /// The job whose scenario this worker holds.
    holds: Option<u32>,
    /// The hash of the imported roster this worker holds.
    roster: Option<String>,
}

struct Job {
    id: u32,
    generation: u32,
    scenario: Rc<str>,
    /// The imported roster it runs on; none for the built-in's.
    roster: Option<WorkerRoster>,
    set: SliceSet,
    /// The first run not yet handed out.
    next: u32,
    last_partial: f64,
}

impl McClient {
    pub fn new(on_event: impl Fn(McEvent) + 'static) -> McClient {
        let cores = web_sys::window().map_or(1.0, |w| w.navigator().hardware_concurrency());
        let size = pool_size(cores);
        let pool = Pool { size, members: (0..size).map(|_| None).collect(), job: None, next_job: 0, retired: Vec::new() };
        McClient { pool: Rc::new(RefCell::new(pool)), on_event: Rc::new(on_event) }
    }

    /// Starts the Monte Carlo for `scenario` on `roster` (the imported one;
    /// none: the scenario's own), dropping the request before.
    pub fn start(&mut self, generation: u32, scenario: &Scenario, roster: Option<WorkerRoster>, runs: u32) {
        let events = {
            let mut pool = self.pool.borrow_mut();
            pool.next_job = pool.next_job.wrapping_add(1);
            let job = Job {
                id: pool.next_job,
                generation,
                scenario: scenario.to_json().into(),
                roster,
                set: SliceSet::new(scenario.scenario.seed, runs),
                next: 0,
                last_partial: js_sys::Date::now(),
            };
            // Workers retired by the last request are gone by now.
            pool.retired.clear();
            if runs == 0 {
                pool.job = None;
                vec![McEvent::Done { generation, mc: job.set.summary() }]
            } else {
                pool.job = Some(job);
                pool.hand_out(&self.pool, &self.on_event)
            }
        };
        for e in events {
            (self.on_event)(e);
        }
    }

    /// Drops the request in progress, at once: no more of its slices are
    /// handed out, and those still computing are ignored when they return.
    pub fn cancel(&mut self) {
        self.pool.borrow_mut().job = None;
    }
}

impl Pool {
    /// Gives every free worker the next slice of the current job, starting
    /// workers as needed. Returns the failures to report.
    fn hand_out(&mut self, me: &Rc<RefCell<Pool>>, on_event: &Rc<dyn Fn(McEvent)>) -> Vec<McEvent> {
        let mut events = Vec::new();
        for i in 0..self.size {
            let Some(job) = &mut self.job else { break };
            let total = job.set.total();
            if job.next >= total {
                break;
            }
            if self.members[i].is_none() {
                match spawn(Rc::downgrade(me), on_event.clone(), i) {
                    Ok(m) => self.members[i] = Some(m),
                    Err(message) => {
                        // No worker at all: the request cannot be run.
                        if self.members.iter().all(Option::is_none) {
                            events.push(McEvent::Failed { generation: job.generation, message });
                            self.job = None;
                        }
                        continue;
                    }
                }
            }
            let Some(m) = &mut self.members[i] else { continue };
            if m.busy {
                continue;
            }
            let share = (total - job.next) / (2 * self.size as u32);
            let (start, end) = (job.next, job.next.saturating_add(share.clamp(MIN_SLICE_RUNS, SLICE_RUNS)).min(total));
            let msg = Object::new();
            let _ = Reflect::set(&msg, &"job".into(), &JsValue::from(job.id));
            if m.holds != Some(job.id) {
                let _ = Reflect::set(&msg, &"scenario".into(), &JsValue::from_str(&job.scenario));
                if let Some(r) = &job.roster {
                    let _ = Reflect::set(&msg, &"roster_hash".into(), &JsValue::from_str(&r.hash));
                    if m.roster.as_deref() != Some(r.hash.as_str()) {
                        let _ = Reflect::set(&msg, &"roster".into(), &r.bytes());
                    }
                }
            }
            let _ = Reflect::set(&msg, &"start".into(), &JsValue::from(start));
            let _ = Reflect::set(&msg, &"end".into(), &JsValue::from(end));
            // A roster's bytes are moved, not copied, to the worker.
            let moved = Reflect::get(&msg, &"roster".into()).ok().and_then(|b| b.dyn_into::<js_sys::Uint8Array>().ok());
            let sent = match moved {
                Some(bytes) => m.worker.post_message_with_transfer(&msg, &js_sys::Array::of1(&bytes.buffer())),
                None => m.worker.post_message(&msg),
            };
            match sent {
                Ok(()) => {
                    m.busy = true;
                    m.holds = Some(job.id);
                    if let Some(r) = &job.roster {
                        m.roster = Some(r.hash.clone());
                    }
                    job.next = end;
                }
                Err(e) => {
                    events.push(McEvent::Failed { generation: job.generation, message: format!("{e:?}") });
                    self.job = None;
                }
            }
        }
        events
    }

    /// A message from worker `i`: a slice or an error for job `job`.
    fn receive(&mut self, i: usize, data: &JsValue) -> Vec<McEvent> {
        let get = |k: &str| Reflect::get(data, &k.into()).unwrap_or(JsValue::UNDEFINED);
        let job_id = get("job").as_f64().map(|j| j as u32);
        let error = get("error").as_string();
        if let Some(Some(m)) = self.members.get_mut(i) {
            m.busy = false;
        }
        if error.is_some() {
            // A panic leaves the worker's module unusable: start a new one.
            self.retire(i);
        }
        let Some(job) = self.job.as_mut().filter(|j| Some(j.id) == job_id) else {
            // A slice of a dropped request.
            return Vec::new();
        };
        let generation = job.generation;
        let added = match error {
            Some(message) => Err(message),
            None => get("slice")
                .dyn_into::<Float64Array>()
                .map_err(|_| "后台计算返回了无法识别的结果 (the worker sent an unknown reply)".to_owned())
                .and_then(|a| Slice::from_wire(&a.to_vec()).map_err(|e| e.to_string()))
                .and_then(|s| job.set.add(s).map_err(|e| e.to_string())),
        };
        if let Err(message) = added {
            self.job = None;
            return vec![McEvent::Failed { generation, message }];
        }
        if job.set.is_complete() {
            let mc = job.set.summary();
            self.job = None;
            return vec![McEvent::Done { generation, mc }];
        }
        let now = js_sys::Date::now();
        let partial = (now - job.last_partial >= PARTIAL_EVERY_MS).then(|| {
            job.last_partial = now;
            Partial { runs: job.set.done(), target_probability: job.set.target_probability() }
        });
        vec![McEvent::Progress { generation, done: job.set.done(), total: job.set.total(), partial }]
    }

    /// Worker `i` failed to load or crashed: the current job cannot be
    /// completed by it (its slice is lost), so the job fails.
    fn crashed(&mut self, i: usize, message: String) -> Vec<McEvent> {
        let lost = self.members.get(i).and_then(Option::as_ref).is_some_and(|m| m.busy);
        self.retire(i);
        match &self.job {
            Some(job) if lost => {
                let generation = job.generation;
                self.job = None;
                vec![McEvent::Failed { generation, message }]
            }
            _ => Vec::new(),
        }
    }

    fn retire(&mut self, i: usize) {
        if let Some(m) = self.members.get_mut(i).and_then(Option::take) {
            m.worker.terminate();
            self.retired.push(m);
        }
    }
}

/// Starts worker `i` of the pool; its messages go to the pool (through a
/// weak handle: the pool owns the worker) and the events they make to
/// `on_event`, after the pool is released.
fn spawn(pool: Weak<RefCell<Pool>>, on_event: Rc<dyn Fn(McEvent)>, i: usize) -> Result<Member, String> {
    let opts = WorkerOptions::new();
    opts.set_type(WorkerType::Module);
    let worker = Worker::new_with_options("./worker.js", &opts)
        .map_err(|e| format!("无法启动后台计算 (could not start the worker): {e:?}"))?;
    let handle = {
        let (pool, on_event) = (pool.clone(), on_event.clone());
        move |what: &dyn Fn(&mut Pool) -> Vec<McEvent>| {
            let Some(pool) = pool.upgrade() else { return };
            let events = {
                let mut p = pool.borrow_mut();
                let mut events = what(&mut p);
                events.extend(p.hand_out(&pool, &on_event));
                events
            };
            for e in events {
                on_event(e);
            }
        }
    };
    let handle = Rc::new(handle);
    let on_message = {
        let handle = handle.clone();
        Closure::<dyn FnMut(MessageEvent)>::new(move |e: MessageEvent| {
            let data = e.data();
            handle(&|p| p.receive(i, &data));
        })
    };
    let on_error = Closure::<dyn FnMut(JsValue)>::new(move |e: JsValue| {
        let why = Reflect::get(&e, &"message".into()).ok().and_then(|m| m.as_string()).unwrap_or_default();
        let message = format!("后台计算出错 (the worker failed): {why}");
        handle(&|p| p.crashed(i, message.clone()));
    });
    worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
    Ok(Member { worker, _on_message: on_message, _on_error: on_error, busy: false, holds: None, roster: None })
}

impl Drop for McClient {
    fn drop(&mut self) {
        let mut pool = self.pool.borrow_mut();
        pool.job = None;
        for i in 0..pool.members.len() {
            pool.retire(i);
        }
    }
}
