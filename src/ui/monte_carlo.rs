//! Monte Carlo off the main thread. The page keeps one module worker
//! (`web/worker.js`) that loads this same wasm module and calls
//! [`worker_monte_carlo`]; the page sends it the scenario as JSON and gets
//! progress messages and the summary back. A new request while one is running
//! terminates the worker and starts a fresh one: a run cannot be interrupted
//! from outside, and an answer for an older edit is not wanted.

use std::cell::RefCell;
use std::rc::Rc;

use js_sys::{Object, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{MessageEvent, Worker, WorkerOptions, WorkerType};

use crate::engine::{run_monte_carlo, MonteCarlo, Model};
use crate::scenario::Scenario;

/// Progress is reported after this many runs.
const PROGRESS_EVERY: u32 = 25;

/// The worker's entry point: runs the scenario's Monte Carlo with its own
/// seed and returns the summary as JSON. `progress(done, total)` is called
/// every few runs.
///
/// # Errors
///
/// The scenario JSON does not parse or validate, or its roster cannot be
/// built in the browser (a scenario naming a CSV file); the reason comes back
/// as text in both languages.
#[wasm_bindgen]
pub fn worker_monte_carlo(scenario_json: &str, runs: u32, progress: &js_sys::Function) -> Result<String, JsValue> {
    let s = Scenario::from_json(scenario_json).map_err(|e| JsValue::from_str(&e.to_string()))?;
    let roster = s
        .resolve_roster(|_| Err("浏览器中没有文件 (no files in the browser)".into()))
        .map_err(|e| JsValue::from_str(&e.to_string()))?;
    let seed = s.scenario.seed;
    let model = Model::new(s, roster).map_err(|e| JsValue::from_str(&e.to_string()))?;
    let mc = run_monte_carlo(&model, runs, seed, |done| {
        if done % PROGRESS_EVERY == 0 || done == runs {
            let _ = progress.call2(&JsValue::NULL, &JsValue::from(done), &JsValue::from(runs));
        }
    });
    serde_json::to_string(&mc).map_err(|e| JsValue::from_str(&e.to_string()))
}

/// What the worker reports back to the page.
pub enum McEvent {
    Progress { generation: u32, done: u32, total: u32 },
    Done { generation: u32, mc: MonteCarlo },
    Failed { generation: u32, message: String },
}

/// The page's side: one worker at a time.
pub struct McClient {
    worker: Option<Worker>,
    on_event: Rc<dyn Fn(McEvent)>,
    // Kept alive as long as the worker it is attached to.
    _handler: Option<Closure<dyn FnMut(MessageEvent)>>,
    /// True while the worker is computing a request.
    running: Rc<RefCell<bool>>,
}

impl McClient {
    pub fn new(on_event: impl Fn(McEvent) + 'static) -> McClient {
        McClient { worker: None, on_event: Rc::new(on_event), _handler: None, running: Rc::new(RefCell::new(false)) }
    }

    /// Starts the Monte Carlo for `scenario`, dropping any run in progress.
    pub fn start(&mut self, generation: u32, scenario: &Scenario, runs: u32) {
        if *self.running.borrow() {
            self.stop();
        }
        if self.worker.is_none() {
            if let Err(message) = self.spawn() {
                (self.on_event)(McEvent::Failed { generation, message });
                return;
            }
        }
        let Some(worker) = &self.worker else { return };
        let msg = Object::new();
        let _ = Reflect::set(&msg, &"generation".into(), &JsValue::from(generation));
        let _ = Reflect::set(&msg, &"scenario".into(), &JsValue::from_str(&scenario.to_json()));
        let _ = Reflect::set(&msg, &"runs".into(), &JsValue::from(runs));
        match worker.post_message(&msg) {
            Ok(()) => *self.running.borrow_mut() = true,
            Err(e) => (self.on_event)(McEvent::Failed { generation, message: format!("{e:?}") }),
        }
    }

    fn stop(&mut self) {
        if let Some(w) = self.worker.take() {
            w.terminate();
        }
        self._handler = None;
        *self.running.borrow_mut() = false;
    }

    fn spawn(&mut self) -> Result<(), String> {
        let opts = WorkerOptions::new();
        opts.set_type(WorkerType::Module);
        let worker = Worker::new_with_options("./worker.js", &opts)
            .map_err(|e| format!("无法启动后台计算 (could not start the worker): {e:?}"))?;
        let on_event = self.on_event.clone();
        let running = self.running.clone();
        let handler = Closure::<dyn FnMut(MessageEvent)>::new(move |e: MessageEvent| {
            let data = e.data();
            let get = |k: &str| Reflect::get(&data, &k.into()).unwrap_or(JsValue::UNDEFINED);
            let generation = get("generation").as_f64().unwrap_or(0.0) as u32;
            if let Some(done) = get("done").as_f64() {
                let total = get("total").as_f64().unwrap_or(0.0) as u32;
                on_event(McEvent::Progress { generation, done: done as u32, total });
            } else if let Some(json) = get("result").as_string() {
                *running.borrow_mut() = false;
                match serde_json::from_str::<MonteCarlo>(&json) {
                    Ok(mc) => on_event(McEvent::Done { generation, mc }),
                    Err(err) => on_event(McEvent::Failed { generation, message: err.to_string() }),
                }
            } else {
                *running.borrow_mut() = false;
                let message = get("error").as_string().unwrap_or_else(|| "unknown worker error".into());
                on_event(McEvent::Failed { generation, message });
            }
        });
        worker.set_onmessage(Some(handler.as_ref().unchecked_ref()));
        self.worker = Some(worker);
        self._handler = Some(handler);
        Ok(())
    }
}

impl Drop for McClient {
    fn drop(&mut self) {
        self.stop();
    }
}
