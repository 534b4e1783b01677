//! The "what it takes" tab (达标路径): goal-seek (the least change of one
//! lever that meets a target, centrally or with a probability), sensitivity
//! (a tornado of every lever at its low and high end) and attribution (a
//! waterfall of each changed lever's share of the change from the
//! baseline). Each runs in a worker of its own ([`super::ask_job`]) with
//! progress and a cancel button; a goal-seek answer applies to its lever in
//! one click and undoes in another.

use std::rc::Rc;

use web_sys::HtmlInputElement;
use yew::prelude::*;

use super::ask_job::{Answer, Ask, Edit, ExplainShown, Job, JobEvent, Request, SeekShown, SensitivityShown};
use super::canvas::{ChartCanvas, Drawing};
use super::levers_panel::display;
use super::state::{use_workspace, Action, Workspace};
use crate::chart::{bar_chart_height, is_share_series, TornadoBar, TornadoChart, WaterfallChart, WaterfallStep};
use crate::format;
use crate::i18n::Lang;
use crate::levers::{self, Group, LEVERS, YEARLY_LEVERS};

/// Which tool a job or an answer belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tool {
    Seek,
    Sensitivity,
    Explain,
}

/// Runs a value when sensitivity and attribution are asked with the
/// probability: a fifth of the workspace's 1,000, so sensitivity over every
/// lever stays within a minute or two; the same runs (streams) for every
/// value, so the differences are the lever's and not noise.
const DEFAULT_PROBABILITY_RUNS: u32 = 200;

/// The panel's own state: the questions being set up, the job running and
/// the last answer of each tool (with the scenario generation it was asked
/// of, so an answer about an older scenario says so).
#[derive(Clone, PartialEq, Default)]
struct Panel {
    target: Option<String>,
    lever: Option<String>,
    /// Seek with a probability (else centrally), and the probability.
    probabilistic: Option<bool>,
    probability: Option<f64>,
    share: Option<f64>,
    /// Sensitivity and attribution with the target's probability too, and
    /// over how many runs a value.
    with_probability: Option<bool>,
    probability_runs: Option<u32>,
    running: Option<(Tool, u64, u64)>,
    seek: Option<(u32, String, SeekShown)>,
    sensitivity: Option<(u32, String, SensitivityShown)>,
    explain: Option<(u32, String, ExplainShown)>,
    error: Option<String>,
    /// The edits of the last applied answer, to undo.
    applied: Option<Vec<Edit>>,
}

enum Msg {
    Target(String),
    Lever(String),
    Probabilistic(bool),
    Probability(f64),
    Share(f64),
    WithProbability(bool),
    ProbabilityRuns(u32),
    Started(Tool),
    Progress(u64, u64),
    Done(u32, String, Answer),
    Failed(String),
    Cancelled,
    Applied(Option<Vec<Edit>>),
}

impl Reducible for Panel {
    type Action = Msg;
    fn reduce(self: Rc<Self>, msg: Msg) -> Rc<Self> {
        let mut p = (*self).clone();
        match msg {
            Msg::Target(t) => p.target = Some(t),
            Msg::Lever(l) => p.lever = Some(l),
            Msg::Probabilistic(b) => p.probabilistic = Some(b),
            Msg::Probability(v) => p.probability = Some(v),
            Msg::Share(v) => p.share = Some(v),
            Msg::WithProbability(b) => p.with_probability = Some(b),
            Msg::ProbabilityRuns(n) => p.probability_runs = Some(n),
            Msg::Started(tool) => {
                p.running = Some((tool, 0, 0));
                p.error = None;
            }
            Msg::Progress(done, total) => {
                if let Some(r) = &mut p.running {
                    (r.1, r.2) = (done, total);
                }
            }
            Msg::Done(generation, target, answer) => {
                p.running = None;
                match answer {
                    Answer::Seek(a) => p.seek = Some((generation, target, a)),
                    Answer::Sensitivity(a) => p.sensitivity = Some((generation, target, a)),
                    Answer::Explain(a) => p.explain = Some((generation, target, a)),
                    Answer::Paths { .. } => {}
                }
            }
            Msg::Failed(e) => {
                p.running = None;
                p.error = Some(e);
            }
            Msg::Cancelled => p.running = None,
            Msg::Applied(edits) => p.applied = edits,
        }
        Rc::new(p)
    }
}

/// The targets a question may name: each target of the scenario, then "all
/// targets of YEAR" for 2026 and 2028 when the scenario has targets then.
fn target_choices(w: &Workspace, lang: Lang, with_all: bool) -> Vec<(String, String)> {
    let targets = &w.current.scenario.targets;
    let mut out: Vec<(String, String)> = targets.iter().map(|t| (t.id.clone(), lang.pick(format!("{}（{}）", t.label, t.year), format!("{} ({})", t.label_in(lang), t.year)))).collect();
    if with_all {
        for year in [2026, 2028] {
            if targets.iter().any(|t| t.year == year) {
                out.push((format!("all-{year}"), lang.pick(format!("{year} 年全部目标"), format!("Every {year} target"))));
            }
        }
    }
    out
}

/// The default target: the first one missed centrally, else the first.
fn default_target(w: &Workspace) -> String {
    let targets = &w.current.scenario.targets;
    w.run
        .targets
        .iter()
        .position(|o| !o.met)
        .or((!targets.is_empty()).then_some(0))
        .and_then(|j| targets.get(j))
        .map(|t| t.id.clone())
        .unwrap_or_default()
}

/// A target's name in a sentence.
fn target_name(w: &Workspace, id: &str, lang: Lang) -> String {
    if let Some(year) = id.strip_prefix("all-") {
        return lang.pick(format!("{year} 年全部目标"), format!("every {year} target"));
    }
    w.current.scenario.targets.iter().find(|t| t.id == id).map_or_else(|| id.to_owned(), |t| t.label_in(lang).to_owned())
}

/// A lever move's name: the lever's, with "every year, shifted/scaled" for
/// a yearly lever.
fn lever_name(id: &str, lang: Lang) -> String {
    if let Some(l) = levers::lever(id) {
        return lang.pick(l.zh, l.en).to_owned();
    }
    let (base, how) = id.split_once(':').unwrap_or((id, ""));
    let Some(l) = levers::yearly_lever(base) else { return id.to_owned() };
    let name = lang.pick(l.zh, l.en);
    match how {
        "shift" => lang.pick(format!("{name}（各年同加）"), format!("{name} (every year, added)")),
        "scale" => lang.pick(format!("{name}（各年同比例）"), format!("{name} (every year, scaled)")),
        _ => name.to_owned(),
    }
}

/// A lever move's value as the planner reads it: in the lever's display
/// unit; a yearly shift in the series' unit, a scale as ×1.15.
fn lever_value(id: &str, v: f64, lang: Lang) -> String {
    if let Some(l) = levers::lever(id) {
        let (scale, unit) = display(l.unit, false, lang);
        return format!("{} {unit}", format::stepped(v * scale, l.step * scale));
    }
    let (base, how) = id.split_once(':').unwrap_or((id, ""));
    match (levers::yearly_lever(base), how) {
        (Some(_), "scale") => format!("×{}", format::stepped(v, 0.01)),
        (Some(l), _) => {
            let (scale, unit) = display(l.unit, true, lang);
            let sign = if v > 0.0 { "+" } else { "" };
            format!("{sign}{} {unit}", format::plain(v * scale))
        }
        (None, _) => format::plain(v),
    }
}

/// The target's value in a sentence or a table: a share as a percentage.
fn target_value(w: &Workspace, id: &str, v: f64, lang: Lang) -> String {
    let percent = w.current.scenario.targets.iter().find(|t| t.id == id).is_some_and(|t| is_share_series(&t.series));
    format::value(v, percent, lang)
}

/// The "what it takes" tab.
#[function_component(AskPanel)]
pub fn ask_panel() -> Html {
    let state = use_workspace();
    let w = &*state;
    let lang = w.lang;
    let panel = use_reducer(Panel::default);
    let job = use_mut_ref(Job::default);
    {
        // Leaving the tab ends a job still running.
        let job = job.clone();
        use_effect_with((), move |_| move || job.borrow().cancel());
    }

    let target = panel.target.clone().filter(|t| target_choices(w, lang, true).iter().any(|(id, _)| id == t)).unwrap_or_else(|| default_target(w));
    let lever = panel.lever.clone().unwrap_or_else(|| "new_quality.review_pass_probability".to_owned());
    let probabilistic = panel.probabilistic.unwrap_or(true);
    let probability = panel.probability.unwrap_or(0.8);
    let share = panel.share.unwrap_or(0.2);
    let with_probability = panel.with_probability.unwrap_or(false);
    let probability_runs = panel.probability_runs.unwrap_or(DEFAULT_PROBABILITY_RUNS);
    let checked_runs = with_probability.then_some(probability_runs);
    let single_target = !target.starts_with("all-");

    let start = {
        let (panel, job, state) = (panel.clone(), job.clone(), state.clone());
        let target = target.clone();
        move |tool: Tool, ask: Ask| {
            let w = &*state;
            let request = Request { scenario: w.current.scenario.to_json(), base: w.base.scenario.to_json(), ask };
            let generation = w.generation;
            job.borrow().cancel();
            panel.dispatch(Msg::Started(tool));
            let dispatcher = panel.dispatcher();
            let target = target.clone();
            *job.borrow_mut() = Job::start(&request, w.workers_roster(), move |e| match e {
                JobEvent::Progress(done, total) => dispatcher.dispatch(Msg::Progress(done, total)),
                JobEvent::Done(a) => dispatcher.dispatch(Msg::Done(generation, target.clone(), a)),
                JobEvent::Failed(why) => dispatcher.dispatch(Msg::Failed(why)),
            });
        }
    };
    let runs = w.current.scenario.scenario.runs;
    let seek = {
        let (start, target, lever) = (start.clone(), target.clone(), lever.clone());
        Callback::from(move |_: MouseEvent| {
            let probability = probabilistic.then_some(probability);
            start(Tool::Seek, Ask::Seek { target: target.clone(), lever: lever.clone(), probability, runs });
        })
    };
    let sensitivity = {
        let (start, target) = (start.clone(), target.clone());
        Callback::from(move |_: MouseEvent| start(Tool::Sensitivity, Ask::Sensitivity { target: target.clone(), share, runs: checked_runs }))
    };
    let explain = {
        let (start, target) = (start.clone(), target.clone());
        Callback::from(move |_: MouseEvent| start(Tool::Explain, Ask::Explain { target: target.clone(), runs: checked_runs }))
    };
    let cancel = {
        let (panel, job) = (panel.clone(), job.clone());
        Callback::from(move |_: MouseEvent| {
            job.borrow().cancel();
            panel.dispatch(Msg::Cancelled);
        })
    };

    let on_target = {
        let panel = panel.clone();
        Callback::from(move |e: Event| panel.dispatch(Msg::Target(e.target_unchecked_into::<web_sys::HtmlSelectElement>().value())))
    };
    let on_lever = {
        let panel = panel.clone();
        Callback::from(move |e: Event| panel.dispatch(Msg::Lever(e.target_unchecked_into::<web_sys::HtmlSelectElement>().value())))
    };
    let on_mode = {
        let panel = panel.clone();
        Callback::from(move |e: Event| panel.dispatch(Msg::Probabilistic(e.target_unchecked_into::<HtmlInputElement>().checked())))
    };
    let on_probability = {
        let panel = panel.clone();
        Callback::from(move |e: Event| {
            let v = e.target_unchecked_into::<HtmlInputElement>().value_as_number();
            if v.is_finite() && (1.0..=99.0).contains(&v) {
                panel.dispatch(Msg::Probability(v / 100.0));
            }
        })
    };
    let on_with_probability = {
        let panel = panel.clone();
        Callback::from(move |e: Event| panel.dispatch(Msg::WithProbability(e.target_unchecked_into::<HtmlInputElement>().checked())))
    };
    let on_probability_runs = {
        let panel = panel.clone();
        Callback::from(move |e: Event| {
            let v = e.target_unchecked_into::<HtmlInputElement>().value_as_number();
            if v.is_finite() && (10.0..=1000.0).contains(&v) {
                panel.dispatch(Msg::ProbabilityRuns(v.round() as u32));
            }
        })
    };
    let on_share = {
        let panel = panel.clone();
        Callback::from(move |e: Event| {
            let v = e.target_unchecked_into::<HtmlInputElement>().value_as_number();
            if v.is_finite() && (1.0..=100.0).contains(&v) {
                panel.dispatch(Msg::Share(v / 100.0));
            }
        })
    };

    let targets = target_choices(w, lang, true).into_iter().map(|(id, label)| {
        let selected = id == target;
        html! { <option value={id} {selected}>{ label }</option> }
    });
    let lever_options = Group::ALL.iter().map(|&g| {
        let singles = LEVERS.iter().filter(|l| l.group == g && l.get(&w.current.scenario).is_some()).map(|l| {
            html! { <option value={l.id} selected={l.id == lever}>{ lang.pick(l.zh, l.en) }</option> }
        });
        let yearly = YEARLY_LEVERS.iter().filter(|l| l.group == g).flat_map(|l| {
            ["shift", "scale"].map(|how| {
                let id = format!("{}:{how}", l.id);
                html! { <option value={id.clone()} selected={id == lever}>{ lever_name(&id, lang) }</option> }
            })
        });
        html! { <optgroup label={lang.pick(g.zh(), g.en())}>{ for singles }{ for yearly }</optgroup> }
    });
    let busy = panel.running.is_some();
    let changed = !levers::changed(&w.base.scenario, &w.current.scenario).is_empty()
        || !levers::yearly_changed(&w.base.scenario, &w.current.scenario).is_empty();

    html! {
        <div class="tab-ask" id="ask-panel" data-running={panel.running.map(|r| tool_key(r.0)).unwrap_or("")}>
            <p class="note">{ lang.pick(
                "反过来问模型：达到目标最少需要怎样调整，哪些参数影响最大，当前结果相对基线的变化来自哪些调整。计算在后台进行，页面可继续使用；离开本页会取消计算。",
                "Ask the model back: the least change that meets a target, which levers matter most, and what moved the result from the baseline. The work runs in the background; leaving this tab cancels it.") }</p>
            <div class="ask-form">
                <label>{ lang.pick("目标", "Target") }
                    <select id="ask-target" onchange={on_target}>{ for targets }</select>
                </label>
                { now_line(w, &target, lang) }
            </div>
            <div class="ask-form">
                <label class="check">
                    <input type="checkbox" id="ask-with-probability" checked={with_probability} onchange={on_with_probability} />
                    { lang.pick("敏感性与归因同时计算达成概率，每个取值模拟", "Sensitivity and attribution with the probability too, over") }
                </label>
                <label>
                    <input type="number" id="ask-probability-runs" min="10" max="1000" step="10" disabled={!with_probability}
                        value={probability_runs.to_string()} onchange={on_probability_runs} />
                    { lang.pick(" 次（次数越多越准，也越慢）", " runs a value (more is steadier, and slower)") }
                </label>
            </div>
            <section class="ask-tool" id="ask-seek">
                <h3>{ lang.pick("达标测算：最少需要的调整", "Goal-seek: the least change that meets the target") }</h3>
                <div class="ask-form">
                    <label>{ lang.pick("调整参数", "Lever") }
                        <select id="ask-lever" onchange={on_lever}>{ for lever_options }</select>
                    </label>
                    <label class="check">
                        <input type="checkbox" id="ask-probabilistic" checked={probabilistic} onchange={on_mode} />
                        { lang.pick("按达成概率不低于", "With a probability of at least") }
                    </label>
                    <label>
                        <input type="number" id="ask-probability" min="1" max="99" step="1" disabled={!probabilistic}
                            value={format!("{:.0}", probability * 100.0)} onchange={on_probability} />{ "%" }
                        <span class="note">{ format!("（{runs} {}）", lang.pick("次模拟/每次试算", "runs a trial")) }</span>
                    </label>
                    <button type="button" id="ask-seek-run" onclick={seek} disabled={busy}>{ lang.pick("测算", "Find") }</button>
                </div>
                { seek_answer(w, &panel, &state, lang) }
            </section>
            <section class="ask-tool" id="ask-sensitivity">
                <h3>{ lang.pick("敏感性：哪些参数影响最大", "Sensitivity: which levers matter") }</h3>
                <div class="ask-form">
                    <label>{ lang.pick("每个参数上下调整", "Move each lever by") }
                        <input type="number" id="ask-share" min="1" max="100" step="1" value={format!("{:.0}", share * 100.0)} onchange={on_share} />
                        { lang.pick("%（不超出允许范围）", "% (inside its allowed range)") }
                    </label>
                    <button type="button" id="ask-sensitivity-run" onclick={sensitivity} disabled={busy || !single_target}>{ lang.pick("分析", "Analyse") }</button>
                    if !single_target { <span class="note">{ lang.pick("请选择单个目标", "Pick a single target") }</span> }
                </div>
                { sensitivity_answer(w, &panel, lang) }
            </section>
            <section class="ask-tool" id="ask-explain">
                <h3>{ lang.pick("变化归因：相对基线的变化从何而来", "Attribution: what moved the result from the baseline") }</h3>
                <div class="ask-form">
                    <button type="button" id="ask-explain-run" onclick={explain} disabled={busy || !single_target || !changed}>{ lang.pick("归因", "Explain") }</button>
                    if !changed { <span class="note">{ lang.pick("当前方案与基线相同，没有可归因的调整。", "The scenario is the baseline: nothing to attribute.") }</span> }
                </div>
                { explain_answer(w, &panel, lang) }
            </section>
            if let Some((tool, done, total)) = panel.running {
                <div class="ask-progress" id="ask-progress" role="status">
                    <progress max={total.max(1).to_string()} value={done.to_string()} />
                    { format!(" {} {done}/{total} ", match tool {
                        Tool::Seek => lang.pick("测算中：模拟", "Seeking: runs"),
                        Tool::Sensitivity => lang.pick("分析中：参数", "Analysing: levers"),
                        Tool::Explain => lang.pick("归因中：组合", "Explaining: combinations"),
                    }) }
                    <button type="button" id="ask-cancel" onclick={cancel}>{ lang.pick("取消", "Cancel") }</button>
                </div>
            }
            if let Some(e) = &panel.error {
                <p class="error" id="ask-error" role="alert">{ e }</p>
            }
        </div>
    }
}

fn tool_key(t: Tool) -> &'static str {
    match t {
        Tool::Seek => "seek",
        Tool::Sensitivity => "sensitivity",
        Tool::Explain => "explain",
    }
}

/// The selected target now: its central value and the page's own Monte
/// Carlo probability (what an applied answer is checked against).
fn now_line(w: &Workspace, target: &str, lang: Lang) -> Html {
    let Some(j) = w.current.scenario.targets.iter().position(|t| t.id == target) else { return html! {} };
    let value = w.run.targets.get(j).map(|o| target_value(w, target, o.value, lang)).unwrap_or_default();
    let p = w.mc().and_then(|m| m.target_probability.get(j).copied());
    html! {
        <span class="note" id="ask-now" data-probability={p.map(|p| p.to_string()).unwrap_or_default()}>
            { lang.pick("当前方案：推算值 ", "Now: central ") }{ value }
            { lang.pick("，达成概率 ", ", probability ") }{ p.map(format::probability).unwrap_or_else(|| lang.pick("计算中…", "running…").to_owned()) }
        </span>
    }
}

fn stale_note(w: &Workspace, generation: u32, lang: Lang) -> Html {
    if generation == w.generation {
        html! {}
    } else {
        html! { <p class="note stale">{ lang.pick("方案已修改：以下结果基于修改前的方案，请重新计算。", "The scenario has changed since: these results are for the one before.") }</p> }
    }
}

fn seek_answer(w: &Workspace, panel: &UseReducerHandle<Panel>, state: &super::state::WorkspaceContext, lang: Lang) -> Html {
    let Some((generation, target, a)) = &panel.seek else { return html! {} };
    let name = lever_name(&a.lever, lang);
    let goal = target_name(w, target, lang);
    let p_text = a.probability.map(format::probability);
    let sentence = if !a.reachable {
        let best = lever_value(&a.lever, a.value, lang);
        match &p_text {
            Some(p) => lang.pick(
                format!("在允许范围内调整「{name}」不能使「{goal}」的达成概率达到要求；最高 {p}（{name} = {best}）。"),
                format!("No value of “{name}” in its range reaches the required probability for “{goal}”; the best is {p} (at {best})."),
            ),
            None => lang.pick(
                format!("在允许范围内调整「{name}」不能在中心情景下达成「{goal}」（最接近时 {name} = {best}）。"),
                format!("No value of “{name}” in its range meets “{goal}” in the central run (closest at {best})."),
            ),
        }
    } else if a.edits.is_empty() {
        lang.pick(format!("「{goal}」已经达到要求，无需调整「{name}」。"), format!("“{goal}” is met already: “{name}” need not change."))
    } else {
        let (from, to) = (lever_value(&a.lever, a.from, lang), lever_value(&a.lever, a.value, lang));
        match &p_text {
            Some(p) => lang.pick(format!("「{name}」由 {from} 调至 {to}，「{goal}」的达成概率为 {p}。"), format!("“{name}” from {from} to {to}: “{goal}” is met with probability {p}.")),
            None => lang.pick(format!("「{name}」由 {from} 调至 {to}，中心情景下达成「{goal}」。"), format!("“{name}” from {from} to {to} meets “{goal}” in the central run.")),
        }
    };
    let apply = {
        let (state, panel, edits) = (state.clone(), panel.clone(), a.edits.clone());
        Callback::from(move |_: MouseEvent| {
            make(&state, &edits, false);
            panel.dispatch(Msg::Applied(Some(edits.clone())));
        })
    };
    let undo = {
        let (state, panel, applied) = (state.clone(), panel.clone(), panel.applied.clone());
        Callback::from(move |_: MouseEvent| {
            if let Some(edits) = &applied {
                make(&state, edits, true);
            }
            panel.dispatch(Msg::Applied(None));
        })
    };
    let current = *generation == w.generation;
    html! {
        <div class="ask-answer" id="ask-seek-answer" data-reachable={a.reachable.to_string()} data-value={a.value.to_string()}
             data-probability={a.probability.map(|p| p.to_string()).unwrap_or_default()}>
            { stale_note(w, *generation, lang) }
            <p class="sentence">{ sentence }</p>
            <p class="note">{ lang.pick(format!("试算 {} 次，共 {} 次模拟（各次试算使用相同的随机数序列）。", a.trials, a.runs), format!("{} trials, {} runs in all (the same random streams for every trial).", a.trials, a.runs)) }</p>
            if a.reachable && !a.edits.is_empty() && current && panel.applied.is_none() {
                <button type="button" id="ask-apply" onclick={apply}>{ lang.pick("应用到方案", "Apply to the scenario") }</button>
            }
            if panel.applied.is_some() {
                <button type="button" id="ask-undo" onclick={undo}>{ lang.pick("撤销应用", "Undo") }</button>
            }
        </div>
    }
}

/// Makes `edits` on the workspace (backwards when `undo`).
fn make(state: &super::state::WorkspaceContext, edits: &[Edit], undo: bool) {
    for e in edits {
        let v = if undo { e.from } else { e.to };
        match e.year {
            Some(year) => {
                if let Some(l) = levers::yearly_lever(&e.lever) {
                    state.dispatch(Action::SetYearly(l.id, year, v));
                }
            }
            None => {
                if let Some(l) = levers::lever(&e.lever) {
                    state.dispatch(Action::SetLever(l.id, v));
                }
            }
        }
    }
}

fn sensitivity_answer(w: &Workspace, panel: &Panel, lang: Lang) -> Html {
    let Some((generation, target, a)) = &panel.sensitivity else { return html! {} };
    let goal = target_name(w, target, lang);
    let percent = w.current.scenario.targets.iter().find(|t| &t.id == target).is_some_and(|t| is_share_series(&t.series));
    let chart = TornadoChart {
        title: lang.pick(format!("敏感性：{goal}"), format!("Sensitivity: {goal}")),
        x_label: lang.pick("相对当前推算值的变化", "Change from the central value now").to_owned(),
        // Levers without effect are listed in the table, not drawn.
        bars: a
            .rows
            .iter()
            .filter(|r| r.low_effect != 0.0 || r.high_effect != 0.0)
            .map(|r| TornadoBar {
                label: lever_name(&r.lever, lang),
                low: r.low_effect,
                high: r.high_effect,
                low_text: lever_value(&r.lever, r.low, lang),
                high_text: lever_value(&r.lever, r.high, lang),
            })
            .collect(),
        percent,
        lang,
    };
    // With the probability: its change at each end, from the probability now
    // over the same runs.
    let probability_chart = a.probability.map(|now| TornadoChart {
        title: lang.pick(format!("敏感性（达成概率）：{goal}"), format!("Sensitivity (probability): {goal}")),
        x_label: lang.pick(format!("相对当前达成概率的变化（{} 次模拟）", a.runs), format!("Change from the probability now ({} runs)", a.runs)),
        bars: a
            .rows
            .iter()
            .map(|r| (r, r.low_probability.map_or(0.0, |p| p - now), r.high_probability.map_or(0.0, |p| p - now)))
            .filter(|(_, low, high)| *low != 0.0 || *high != 0.0)
            .map(|(r, low, high)| TornadoBar {
                label: lever_name(&r.lever, lang),
                low,
                high,
                low_text: lever_value(&r.lever, r.low, lang),
                high_text: lever_value(&r.lever, r.high, lang),
            })
            .collect(),
        percent: true,
        lang,
    });
    let with_p = a.probability.is_some();
    let p_cell = |p: Option<f64>| html! { <td class="num prob" data-value={p.map(|p| p.to_string()).unwrap_or_default()}>{ p.map(format::probability).unwrap_or_default() }</td> };
    let rows = a.rows.iter().map(|r| {
        html! {
            <tr data-lever={r.lever.clone()} data-low-effect={r.low_effect.to_string()} data-high-effect={r.high_effect.to_string()}>
                <th scope="row">{ lever_name(&r.lever, lang) }</th>
                <td class="num">{ lever_value(&r.lever, r.low, lang) }</td>
                <td class="num">{ signed(r.low_effect, percent, lang) }</td>
                if with_p { { p_cell(r.low_probability) } }
                <td class="num">{ lever_value(&r.lever, r.high, lang) }</td>
                <td class="num">{ signed(r.high_effect, percent, lang) }</td>
                if with_p { { p_cell(r.high_probability) } }
            </tr>
        }
    });
    let drawn = chart.bars.len();
    let idle = a.rows.len() - drawn;
    let height = bar_chart_height(drawn);
    html! {
        <div class="ask-answer" id="ask-sensitivity-answer">
            { stale_note(w, *generation, lang) }
            <p class="note">{ lang.pick(
                format!("当前推算值 {}；每个参数单独调至下限和上限（±{:.0}%，不超出允许范围），其余不变。", target_value(w, target, a.value, lang), a.share * 100.0),
                format!("Central value now {}; each lever alone at its low and high end (±{:.0}%, inside its range), the rest unchanged.", target_value(w, target, a.value, lang), a.share * 100.0)) }</p>
            <ChartCanvas id="chart-tornado" drawing={Drawing::Tornado(Rc::new(chart))} {height} />
            if let Some(pc) = probability_chart {
                <p class="note">{ lang.pick(
                    format!("达成概率：当前 {}（{} 次模拟，各取值使用相同的随机数序列；工作区的概率按 {} 次模拟计算，可能略有不同）。", a.probability.map(format::probability).unwrap_or_default(), a.runs, w.current.scenario.scenario.runs),
                    format!("Probability now {} over {} runs (the same random streams for every value; the workspace's figure uses {} runs and may differ slightly).", a.probability.map(format::probability).unwrap_or_default(), a.runs, w.current.scenario.scenario.runs)) }</p>
                <ChartCanvas id="chart-tornado-probability" height={bar_chart_height(pc.bars.len())} drawing={Drawing::Tornado(Rc::new(pc))} />
            }
            if idle > 0 {
                <p class="note" id="ask-sensitivity-idle">{ lang.pick(format!("另有 {idle} 项参数在此范围内对该目标没有影响（见数据表）。"), format!("{idle} more levers have no effect on this target in this range (see the data table).")) }</p>
            }
            <details class="data-table">
                <summary>{ lang.pick("数据表", "Data table") }</summary>
                <table id="ask-sensitivity-table">
                    <thead><tr>
                        <th scope="col">{ lang.pick("参数", "Lever") }</th>
                        <th scope="col">{ lang.pick("下限", "Low") }</th><th scope="col">{ lang.pick("影响", "Effect") }</th>
                        if with_p { <th scope="col">{ lang.pick("达成概率", "Probability") }</th> }
                        <th scope="col">{ lang.pick("上限", "High") }</th><th scope="col">{ lang.pick("影响", "Effect") }</th>
                        if with_p { <th scope="col">{ lang.pick("达成概率", "Probability") }</th> }
                    </tr></thead>
                    <tbody>{ for rows }</tbody>
                </table>
            </details>
        </div>
    }
}

/// A change with its sign: shares in percentage points.
fn signed(d: f64, percent: bool, lang: Lang) -> String {
    let sign = if d > 0.0 { "+" } else if d < 0.0 { "−" } else { "" };
    if percent {
        format!("{sign}{}{}", format::plain((d.abs() * 1000.0).round() / 10.0), lang.pick("个百分点", " pt"))
    } else {
        format!("{sign}{}", format::value(d.abs(), false, lang))
    }
}

fn explain_answer(w: &Workspace, panel: &Panel, lang: Lang) -> Html {
    let Some((generation, target, a)) = &panel.explain else { return html! {} };
    let goal = target_name(w, target, lang);
    let percent = w.current.scenario.targets.iter().find(|t| &t.id == target).is_some_and(|t| is_share_series(&t.series));
    let chart = WaterfallChart {
        title: lang.pick(format!("变化归因：{goal}"), format!("Attribution: {goal}")),
        x_label: goal.clone(),
        start_label: lang.pick("基线", "Baseline").to_owned(),
        start: a.start,
        steps: a.contributions.iter().map(|(id, d, _)| WaterfallStep { label: lever_name(id, lang), delta: *d }).collect(),
        end_label: lang.pick("当前方案", "Now").to_owned(),
        percent,
        lang,
    };
    let total = a.end - a.start;
    // With the probability: the same order of levers, their shares of the
    // probability's change.
    let probabilities = a.start_probability.zip(a.end_probability);
    let probability_chart = probabilities.map(|(start, _)| WaterfallChart {
        title: lang.pick(format!("变化归因（达成概率）：{goal}"), format!("Attribution (probability): {goal}")),
        x_label: lang.pick(format!("达成概率（{} 次模拟）", a.runs), format!("Probability ({} runs)", a.runs)),
        start_label: lang.pick("基线", "Baseline").to_owned(),
        start,
        steps: a.contributions.iter().map(|(id, _, p)| WaterfallStep { label: lever_name(id, lang), delta: p.unwrap_or(0.0) }).collect(),
        end_label: lang.pick("当前方案", "Now").to_owned(),
        percent: true,
        lang,
    });
    let rows = a.contributions.iter().map(|(id, d, p)| {
        html! {
            <tr data-lever={id.clone()} data-contribution={d.to_string()} data-probability-contribution={p.map(|p| p.to_string()).unwrap_or_default()}>
                <th scope="row">{ lever_name(id, lang) }</th>
                <td class="num">{ signed(*d, percent, lang) }</td>
                if probabilities.is_some() { <td class="num">{ p.map(|p| signed(p, true, lang)).unwrap_or_default() }</td> }
            </tr>
        }
    });
    let how = if a.exact {
        lang.pick("Shapley 值，精确计算（所有调整组合）".to_owned(), "Shapley values, exact (every combination of the edits)".to_owned())
    } else {
        lang.pick(format!("Shapley 值，抽样 {} 个排列估计", a.samples), format!("Shapley values, estimated from {} sampled orders", a.samples))
    };
    html! {
        <div class="ask-answer" id="ask-explain-answer" data-total={total.to_string()}>
            { stale_note(w, *generation, lang) }
            <p class="note">{ format!("{} → {}（{}）；{how}。", target_value(w, target, a.start, lang), target_value(w, target, a.end, lang), signed(total, percent, lang)) }</p>
            <ChartCanvas id="chart-waterfall" drawing={Drawing::Waterfall(Rc::new(chart))} height={bar_chart_height(a.contributions.len() + 2)} />
            if let (Some(pc), Some((start, end))) = (probability_chart, probabilities) {
                <p class="note" id="ask-explain-probability" data-start={start.to_string()} data-end={end.to_string()}>{ lang.pick(
                    format!("达成概率：基线 {} → 当前 {}（{}；{} 次模拟，各组合使用相同的随机数序列）。", format::probability(start), format::probability(end), signed(end - start, true, lang), a.runs),
                    format!("Probability: baseline {} → now {} ({}; {} runs, the same random streams for every combination).", format::probability(start), format::probability(end), signed(end - start, true, lang), a.runs)) }</p>
                <ChartCanvas id="chart-waterfall-probability" drawing={Drawing::Waterfall(Rc::new(pc))} height={bar_chart_height(a.contributions.len() + 2)} />
            }
            <details class="data-table">
                <summary>{ lang.pick("数据表", "Data table") }</summary>
                <table id="ask-explain-table">
                    <thead><tr><th scope="col">{ lang.pick("调整", "Edit") }</th><th scope="col">{ lang.pick("贡献", "Contribution") }</th>
                        if probabilities.is_some() { <th scope="col">{ lang.pick("对达成概率的贡献", "To the probability") }</th> }</tr></thead>
                    <tbody>
                        { for rows }
                        <tr class="total"><th scope="row">{ lang.pick("合计", "Total") }</th><td class="num">{ signed(total, percent, lang) }</td>
                            if let Some((start, end)) = probabilities { <td class="num">{ signed(end - start, true, lang) }</td> }</tr>
                    </tbody>
                </table>
            </details>
        </div>
    }
}
