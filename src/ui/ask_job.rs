//! The "what it takes" tools off the main thread: the page's side (a
//! [`Job`] in a module worker of its own, `web/worker.js`, ended at once by
//! [`Job::cancel`]) and the worker's entry point ([`worker_ask`]). A
//! question and its answer cross as JSON ([`Request`], [`Answer`]); the
//! answer carries raw numbers and ids, and the panel words them in the
//! page's language.

use std::cell::RefCell;
use std::rc::Rc;

#[cfg(feature = "workers")]
use js_sys::Function;
use js_sys::{Object, Reflect};
use serde::{Deserialize, Serialize};
use wasm_bindgen::prelude::*;
use web_sys::{MessageEvent, Worker, WorkerOptions, WorkerType};

use super::monte_carlo::WorkerRoster;
// The worker's side, which the page's module leaves out (the `workers` feature).
#[cfg(feature = "workers")]
use {
    super::monte_carlo::model_of,
    crate::ask::{self, Confidence, LeverMove, TargetChoice},
    crate::i18n::Lang,
    crate::levers,
    crate::scenario::Scenario,
};

/// A question for the worker: the scenario it is asked of (and the
/// baseline, for attribution), as scenario JSON.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Request {
    pub scenario: String,
    pub base: String,
    pub ask: Ask,
}

/// Which tool, with its settings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "tool", rename_all = "snake_case")]
pub enum Ask {
    /// Goal-seek: the target (an id or `all-YEAR`), the lever (an id, or a
    /// yearly lever's id with `:shift` or `:scale`), and the probability to
    /// reach over `runs` runs (`None`: the central run).
    Seek { target: String, lever: String, probability: Option<f64>, runs: u32 },
    /// Each single-number lever to its low and high end (± `share`); with
    /// `runs`, the target's probability over that many runs too.
    Sensitivity {
        target: String,
        share: f64,
        #[serde(default)]
        runs: Option<u32>,
    },
    /// Each changed lever's share of the change from the baseline; with
    /// `runs`, its share of the probability's change too.
    Explain {
        target: String,
        #[serde(default)]
        runs: Option<u32>,
    },
    /// The briefing's paths: for each target, the smallest single-lever
    /// change that reaches `probability` over `runs` runs.
    Paths { targets: Vec<String>, probability: f64, runs: u32 },
}

/// One edit the answer asks for: a lever (a year of a yearly lever) from
/// its current value to a new one. Applying an answer makes these edits;
/// undoing it makes them backwards.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Edit {
    pub lever: String,
    pub year: Option<i32>,
    pub from: f64,
    pub to: f64,
}

/// A goal-seek's answer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SeekShown {
    /// The move: a lever id, or a yearly lever's id with `:shift`/`:scale`.
    pub lever: String,
    /// The move's value now and the answer (a shift's or scale's amount for
    /// a yearly lever: 0 and 1 now).
    pub from: f64,
    pub value: f64,
    pub reachable: bool,
    /// The probability at the answer (the best reachable when unreachable);
    /// `None` when sought centrally.
    pub probability: Option<f64>,
    pub trials: u32,
    pub runs: u64,
    /// The edits that apply the answer (empty when the target is met already
    /// or cannot be reached).
    pub edits: Vec<Edit>,
}

/// One lever's row of a sensitivity answer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SensitivityRow {
    pub lever: String,
    pub low: f64,
    pub high: f64,
    pub low_effect: f64,
    pub high_effect: f64,
    /// The target's probability with the lever at `low` and at `high`
    /// (when asked with runs).
    pub low_probability: Option<f64>,
    pub high_probability: Option<f64>,
}

/// A sensitivity answer: the target's central value now, and the rows by
/// size of effect.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SensitivityShown {
    pub value: f64,
    pub share: f64,
    /// The target's probability now, over `runs` runs (when asked with runs).
    pub probability: Option<f64>,
    pub runs: u32,
    pub rows: Vec<SensitivityRow>,
}

/// An attribution answer: the target's value in the baseline and now, and
/// each changed lever's contribution (they add up to the difference).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ExplainShown {
    pub start: f64,
    pub end: f64,
    /// Each changed lever with its contribution to the value and (when asked
    /// with runs) to the probability.
    pub contributions: Vec<(String, f64, Option<f64>)>,
    /// The target's probability in the baseline and now, over `runs` runs
    /// (when asked with runs).
    pub start_probability: Option<f64>,
    pub end_probability: Option<f64>,
    pub runs: u32,
    pub exact: bool,
    pub samples: u32,
}

/// The worker's answer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "tool", rename_all = "snake_case")]
pub enum Answer {
    Seek(SeekShown),
    Sensitivity(SensitivityShown),
    Explain(ExplainShown),
    /// One sentence per target asked.
    Paths { sentences: Vec<PathSentence> },
}

/// A target's path in both of the briefing's languages.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PathSentence {
    pub target: String,
    pub zh: String,
    pub en: String,
}

/// The edits that take `from` to `to`: every single-number lever and every
/// year of a yearly lever that differs.
#[cfg(feature = "workers")]
fn edits(from: &Scenario, to: &Scenario) -> Vec<Edit> {
    let mut out: Vec<Edit> = levers::changed(from, to)
        .into_iter()
        .filter_map(|(id, v)| {
            let l = levers::lever(id)?;
            Some(Edit { lever: id.to_owned(), year: None, from: l.get(from)?.value, to: v })
        })
        .collect();
    for (id, rows) in levers::yearly_changed(from, to) {
        let Some(l) = levers::yearly_lever(id) else { continue };
        for (year, v) in rows {
            let before = l.value(from, year);
            if before.to_bits() != v.to_bits() {
                out.push(Edit { lever: id.to_owned(), year: Some(year), from: before, to: v });
            }
        }
    }
    out
}

/// The worker's entry point: answers `request` (a [`Request`] as JSON),
/// on `roster` (an imported roster's JSON; none: the scenario's own), and
/// returns the [`Answer`] as JSON; `progress(done, total)` is called as the
/// work goes on.
///
/// # Errors
///
/// A request that does not parse, a scenario that does not load, or the
/// tool's own refusal (an unknown target or lever), as text in both
/// languages.
#[cfg(feature = "workers")]
#[wasm_bindgen]
pub fn worker_ask(request: &str, roster: Option<Vec<u8>>, progress: &Function) -> Result<String, JsValue> {
    let request: Request = serde_json::from_str(request).map_err(|e| JsValue::from_str(&e.to_string()))?;
    let roster = match roster {
        Some(json) => Some(serde_json::from_slice::<crate::roster::Roster>(&json).map_err(|e| {
            JsValue::from_str(&format!("后台计算收到的花名册无法读取 (the worker could not read the roster it was sent): {e}"))
        })?),
        None => None,
    };
    let answer = answer(&request, roster.as_ref(), &mut |done: u64, total: u64| {
        let _ = progress.call2(&JsValue::NULL, &JsValue::from(done as f64), &JsValue::from(total as f64));
    })
    .map_err(|e| JsValue::from_str(&e))?;
    serde_json::to_string(&answer).map_err(|e| JsValue::from_str(&e.to_string()))
}

#[cfg(feature = "workers")]
fn answer(request: &Request, roster: Option<&crate::roster::Roster>, progress: &mut dyn FnMut(u64, u64)) -> Result<Answer, String> {
    let model = model_of(&request.scenario, roster)?;
    let (scenario, roster) = (&model.scenario, &model.roster);
    let text = |e: crate::message::Error| e.to_string();
    // A goal-seek's trial count is not known ahead: its progress counts runs.
    let mut report = |p: ask::Progress| match p.total {
        Some(total) => progress(u64::from(p.trials), u64::from(total)),
        None => progress(p.runs, 0),
    };
    match &request.ask {
        Ask::Seek { target, lever, probability, runs } => {
            let target = TargetChoice::parse(scenario, target).map_err(text)?;
            let lever_move = LeverMove::parse(lever).map_err(text)?;
            let confidence = match probability {
                Some(p) => Confidence::probability(scenario, Some(*p), Some(*runs)).map_err(text)?,
                None => Confidence::Central,
            };
            let a = ask::seek(scenario, roster, &target, lever_move, confidence, &mut report).map_err(text)?;
            let edits = if a.reachable && a.value.to_bits() != a.from.to_bits() {
                edits(scenario, &lever_move.apply(scenario, a.value).map_err(text)?)
            } else {
                Vec::new()
            };
            Ok(Answer::Seek(SeekShown {
                lever: lever.clone(),
                from: a.from,
                value: a.value,
                reachable: a.reachable,
                probability: a.probability,
                trials: a.trials,
                runs: a.runs,
                edits,
            }))
        }
        Ask::Sensitivity { target, share, runs } => {
            let confidence = over_runs(scenario, *runs).map_err(text)?;
            let s = ask::sensitivity(scenario, roster, target, *share, confidence, &mut report).map_err(text)?;
            Ok(Answer::Sensitivity(SensitivityShown {
                value: s.value,
                share: s.share,
                probability: s.probability,
                runs: s.runs,
                rows: s
                    .rows
                    .iter()
                    .map(|r| SensitivityRow {
                        lever: r.lever.to_owned(),
                        low: r.low,
                        high: r.high,
                        low_effect: r.effect_low,
                        high_effect: r.effect_high,
                        low_probability: r.probability_low,
                        high_probability: r.probability_high,
                    })
                    .collect(),
            }))
        }
        Ask::Explain { target, runs } => {
            let base = Scenario::from_json(&request.base).map_err(text)?;
            let confidence = over_runs(scenario, *runs).map_err(text)?;
            let a = ask::attribution(&base, scenario, roster, target, confidence, &mut report).map_err(text)?;
            Ok(Answer::Explain(ExplainShown {
                start: a.base_value,
                end: a.edited_value,
                contributions: a.contributions.iter().map(|c| (c.lever.to_owned(), c.value, c.probability)).collect(),
                start_probability: a.base_probability,
                end_probability: a.edited_probability,
                runs: runs.unwrap_or(0),
                exact: a.exact,
                samples: a.samples,
            }))
        }
        Ask::Paths { targets, probability, runs } => {
            let confidence = Confidence::probability(scenario, Some(*probability), Some(*runs)).map_err(text)?;
            let found = ask::path::paths(scenario, roster, targets, confidence, &mut report).map_err(text)?;
            let sentences = found
                .iter()
                .map(|p| PathSentence {
                    target: p.target.clone(),
                    zh: ask::path::path_sentence(scenario, p, *probability, Lang::Zh),
                    en: ask::path::path_sentence(scenario, p, *probability, Lang::En),
                })
                .collect();
            Ok(Answer::Paths { sentences })
        }
    }
}

/// Centrally without `runs`; else the probability of meeting the target
/// over `runs` runs (the required share plays no part in sensitivity or
/// attribution).
#[cfg(feature = "workers")]
fn over_runs(scenario: &Scenario, runs: Option<u32>) -> Result<Confidence, crate::message::Error> {
    match runs {
        None => Ok(Confidence::Central),
        Some(n) => Confidence::probability(scenario, None, Some(n)),
    }
}

/// What a job reports to the page.
pub enum JobEvent {
    Progress(u64, u64),
    Done(Answer),
    Failed(String),
}

struct Running {
    worker: Worker,
    _on_message: Closure<dyn FnMut(MessageEvent)>,
    _on_error: Closure<dyn FnMut(web_sys::ErrorEvent)>,
}

/// A question being answered in a worker of its own.
#[derive(Clone, Default)]
pub struct Job(Rc<RefCell<Option<Running>>>);

impl Job {
    /// Starts `request` in a new worker, on `roster` (the workspace's
    /// imported roster; none: the scenario's own); `on_event` gets its
    /// progress and then its answer or failure.
    pub fn start(request: &Request, roster: Option<WorkerRoster>, on_event: impl Fn(JobEvent) + 'static) -> Job {
        let job = Job::default();
        let on_event = Rc::new(on_event);
        let opts = WorkerOptions::new();
        opts.set_type(WorkerType::Module);
        let worker = match Worker::new_with_options("./worker.js", &opts) {
            Ok(w) => w,
            Err(e) => {
                on_event(JobEvent::Failed(format!("无法启动后台计算 (could not start the worker): {e:?}")));
                return job;
            }
        };
        let on_message = {
            let (job, on_event) = (job.clone(), on_event.clone());
            Closure::<dyn FnMut(MessageEvent)>::new(move |e: MessageEvent| {
                let data = e.data();
                let get = |k: &str| Reflect::get(&data, &k.into()).unwrap_or(JsValue::UNDEFINED);
                if let Some(p) = get("progress").dyn_ref::<js_sys::Array>() {
                    let n = |i: u32| p.get(i).as_f64().unwrap_or(0.0) as u64;
                    on_event(JobEvent::Progress(n(0), n(1)));
                    return;
                }
                let event = match (get("answer").as_string(), get("error").as_string()) {
                    (Some(a), _) => match serde_json::from_str::<Answer>(&a) {
                        Ok(a) => JobEvent::Done(a),
                        Err(e) => JobEvent::Failed(format!("后台计算返回了无法识别的结果 (the worker sent an unknown reply): {e}")),
                    },
                    (None, Some(e)) => JobEvent::Failed(e),
                    (None, None) => return,
                };
                job.cancel();
                on_event(event);
            })
        };
        let on_error = {
            let (job, on_event) = (job.clone(), on_event.clone());
            Closure::<dyn FnMut(web_sys::ErrorEvent)>::new(move |e: web_sys::ErrorEvent| {
                job.cancel();
                on_event(JobEvent::Failed(format!("后台计算出错 (the worker failed): {}", e.message())));
            })
        };
        worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        let msg = Object::new();
        let json = serde_json::to_string(request).unwrap_or_default();
        let _ = Reflect::set(&msg, &"ask".into(), &JsValue::from_str(&json));
        let sent = match &roster {
            // Moved, not copied (see `WorkerRoster::bytes`).
            Some(r) => {
                let bytes = r.bytes();
                let _ = Reflect::set(&msg, &"roster".into(), &bytes);
                worker.post_message_with_transfer(&msg, &js_sys::Array::of1(&bytes.buffer()))
            }
            None => worker.post_message(&msg),
        };
        if let Err(e) = sent {
            worker.terminate();
            on_event(JobEvent::Failed(format!("{e:?}")));
            return job;
        }
        *job.0.borrow_mut() = Some(Running { worker, _on_message: on_message, _on_error: on_error });
        job
    }

    /// Ends the job at once; nothing more is reported.
    pub fn cancel(&self) {
        if let Some(r) = self.0.borrow_mut().take() {
            r.worker.set_onmessage(None);
            r.worker.terminate();
            // The handlers go a moment later, outside the one running now.
            gloo::timers::callback::Timeout::new(0, move || drop(r)).forget();
        }
    }
}
