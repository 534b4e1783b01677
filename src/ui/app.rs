//! The workspace page: scenario picker, lever panels, tabs of charts and
//! tables, comparison of pinned scenarios.

use std::cell::RefCell;
use std::rc::Rc;

use gloo::events::EventListener;
use gloo::timers::callback::Timeout;
use web_sys::HtmlSelectElement;
use yew::prelude::*;

use super::ask_panel::AskPanel;
use super::briefing::BriefingPage;
use super::builtins;
use super::map_panel::MapPanel;
use super::canvas::{ChartCanvas, Drawing};
use super::compare::ComparePanel;
use super::levers_panel::LeverPanels;
use super::monte_carlo::{pool_size, McClient, McEvent};
use super::persist;
use super::schools::SchoolsPanel;
use super::roster_store;
use super::state::{with_roster_then, Action, Control, McStatus, Message, MessageKind, Tab, View, Workspace, WorkspaceContext, MAX_PINNED};
use super::toolbar::{kind_class, Toolbar};
use crate::chart::district::{
    cv_chart, enrollment_chart, pass_share_chart, spending_chart, target_chart, teachers_chart,
    OverlaySource,
};
use crate::chart::{series_label, Palette, OVERLAY_COLOURS};
use crate::format;
use crate::i18n::Lang;
use crate::roster::Level;
use crate::scenario::builtin::BUILTIN;

/// While a slider is dragged, the Monte Carlo starts this long after its
/// last step, so a drag does not start (and throw away) a run per step.
/// Letting the slider go, a typed number or any other edit is final: its
/// Monte Carlo starts at once.
const MC_DEBOUNCE_MS: u32 = 350;

/// The whole page: opens the workspace (from a share link, the autosave or
/// the default scenario) and provides it to every view through the context.
#[function_component(App)]
pub fn app() -> Html {
    // The built-ins are checked by the native tests, so this cannot fail in a
    // released build; if it did, the page says so instead of panicking.
    let initial = use_memo((), |_| persist::initial_workspace());
    match &*initial {
        Ok(w) => html! { <WorkspacePage initial={Rc::new(w.clone())} /> },
        Err(e) => {
            html! { <p class="fatal" role="alert">{ format!("无法载入情景 (cannot load the scenario): {e}") }</p> }
        }
    }
}

#[derive(Properties)]
struct PageProps {
    initial: Rc<Workspace>,
}

impl PartialEq for PageProps {
    fn eq(&self, _: &Self) -> bool {
        // Only the first value is used: the reducer owns the state from then on.
        true
    }
}

#[function_component(WorkspacePage)]
fn workspace_page(props: &PageProps) -> Html {
    let initial = props.initial.clone();
    let state = use_reducer(move || (*initial).clone());
    let client: Rc<RefCell<Option<McClient>>> = use_mut_ref(|| None);

    // Monte Carlo for each new generation, once the planner pauses.
    {
        let dispatcher = state.dispatcher();
        let client = client.clone();
        let needed = matches!(state.mc, McStatus::Pending);
        let delay = if state.sliding { MC_DEBOUNCE_MS } else { 0 };
        let scenario = state.current.scenario.clone();
        let roster = state.workers_roster();
        // The generation whose Monte Carlo has started: letting a slider go
        // runs this effect again for the same generation, which should only
        // cut a debounce still waiting short, not restart a run.
        let started = use_mut_ref(|| None::<u32>);
        use_effect_with((state.generation, state.sliding), move |&(generation, _)| {
            let running = *started.borrow() == Some(generation);
            // The request for the edit before is stale now: drop it at once.
            if needed && !running {
                if let Some(c) = client.borrow_mut().as_mut() {
                    c.cancel();
                }
            }
            let timeout = (needed && !running).then(|| {
                Timeout::new(delay, move || {
                    *started.borrow_mut() = Some(generation);
                    mc_client(&mut client.borrow_mut(), dispatcher).start(
                        generation,
                        &scenario,
                        roster,
                        scenario.scenario.runs,
                    );
                })
            });
            move || drop(timeout)
        });
    }

    // Then, one at a time, the baseline's if an edit came before it finished
    // and the pins' still without one (see `Workspace::background_mc`): the
    // worker runs one job, and an edit takes it over (the background run is
    // picked up again afterwards).
    {
        let dispatcher = state.dispatcher();
        let client = client.clone();
        let idle = matches!(state.mc, McStatus::Done(_) | McStatus::Failed(_));
        let key = (idle, state.background_mc().map(|(g, _)| g), state.generation);
        // The handle, not a copy of the scenario: renders on the slider path
        // only compare the key.
        let w = state.clone();
        use_effect_with(key, move |_| {
            match (idle, w.background_mc()) {
                (true, Some((generation, scenario))) => {
                    mc_client(&mut client.borrow_mut(), dispatcher).start(
                        generation,
                        scenario,
                        w.workers_roster(),
                        scenario.scenario.runs,
                    );
                }
                // Back on a scenario whose results are known (an edit
                // undone): nothing still running is wanted.
                (true, None) => {
                    if let Some(c) = client.borrow_mut().as_mut() {
                        c.cancel();
                    }
                }
                _ => {}
            }
        });
    }

    // Autosave every change to the scenario (or its roster) and to the pins.
    {
        let dispatcher = state.dispatcher();
        let w = state.clone();
        let pins: Vec<u32> = state.pinned.iter().map(|p| p.number).collect();
        use_effect_with((state.generation, pins), move |_| {
            if let Some(m) = persist::autosave(&w) {
                dispatcher.dispatch(Action::Notify(m));
            }
        });
    }

    // A roster too big for the autosave goes to IndexedDB, once per roster.
    {
        let dispatcher = state.dispatcher();
        let big = state.imported.as_ref().filter(|i| i.json.len() > persist::INLINE_ROSTER_BYTES).map(|i| (i.hash.clone(), i.json.clone()));
        use_effect_with(big.as_ref().map(|(h, _)| h.clone()), move |_| {
            if let Some((hash, json)) = big {
                wasm_bindgen_futures::spawn_local(async move {
                    if let Err(why) = roster_store::keep(&hash, &json).await {
                        dispatcher.dispatch(Action::Notify(Message::new(
                            MessageKind::Warning,
                            format!("无法在本浏览器中保存导入的花名册（{why}）：重新加载页面后，需要再次导入该文件。"),
                            format!("The imported roster could not be kept in this browser ({why}): after a reload, it must be imported again."),
                        )));
                    }
                });
            }
        });
    }

    // An autosave that names its roster by hash: bring the roster back from
    // IndexedDB, if this browser kept it, and apply it as an import does.
    {
        let dispatcher = state.dispatcher();
        let w = state.clone();
        use_effect_with((), move |_| {
            if let Some(hash) = w.awaiting_roster.clone() {
                wasm_bindgen_futures::spawn_local(async move {
                    let Ok(Some(json)) = roster_store::fetch(&hash).await else { return };
                    let Ok(roster) = serde_json::from_str::<crate::roster::Roster>(&json) else { return };
                    let (rows, generation) = (roster.schools.len(), w.generation);
                    let source = w.lang.pick("本浏览器保存的花名册", "roster kept in this browser").to_owned();
                    with_roster_then(&w, Rc::new(roster), source, |_, _| {}, move |fresh| {
                        if let Ok(mut fresh) = fresh {
                            fresh.messages.push(Message::new(
                                MessageKind::Info,
                                format!("已从本浏览器恢复导入的花名册：{rows} 行（摘要 {hash}）。"),
                                format!("The imported roster was restored from this browser: {rows} rows (hash {hash})."),
                            ));
                            dispatcher.dispatch(Action::RosterRestored(generation, Box::new(fresh)));
                        }
                    });
                });
            }
        });
    }

    // The other built-ins' JSON, once the first chart is drawn (the effect
    // runs after it; the timeout lets the page paint first), so that the
    // picker, saved scenarios and links rarely wait for it. A failure is
    // reported by whatever needs them, which fetches again.
    use_effect_with((), |_| {
        let fetch = (!builtins::all_here()).then(|| {
            Timeout::new(0, || wasm_bindgen_futures::spawn_local(async { drop(builtins::fetch_missing().await) }))
        });
        move || drop(fetch)
    });

    // The language is a preference of this browser, not of a scenario.
    use_effect_with(state.lang, |&lang| persist::remember_lang(lang));

    // A link pasted into this tab's address bar changes only the fragment,
    // which does not reload the page: open it here.
    {
        let dispatcher = state.dispatcher();
        use_effect_with((), move |_| {
            let listener = web_sys::window().map(|w| {
                EventListener::new(&w, "hashchange", move |_| {
                    let fragment = persist::current_fragment();
                    if fragment.is_empty() {
                        return;
                    }
                    let failed = dispatcher.clone();
                    let dispatcher = dispatcher.clone();
                    builtins::then(
                        move || match persist::open_link_in_page(&fragment) {
                            Ok(fresh) => dispatcher.dispatch(Action::Replace(Box::new(fresh))),
                            Err(e) => gloo::console::error!(e.to_string()),
                        },
                        move |m| failed.dispatch(Action::Notify(m)),
                    );
                })
            });
            move || drop(listener)
        });
    }

    // Redraw at the new width when the window changes size.
    {
        let dispatcher = state.dispatcher();
        use_effect_with((), move |_| {
            let listener = web_sys::window().map(|w| {
                EventListener::new(&w, "resize", move |_| {
                    if let Some(width) = window_width() {
                        dispatcher.dispatch(Action::Resized(width));
                    }
                })
            });
            move || drop(listener)
        });
    }

    // <html lang> follows the language toggle, for screen readers and fonts.
    use_effect_with(state.lang, |lang| {
        if let Some(root) = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.document_element())
        {
            let _ = root.set_attribute("lang", lang.tag());
        }
    });

    // Every component below reads the workspace from this context and
    // dispatches its actions on it.
    let page = if state.view == View::Briefing {
        html! { <BriefingPage /> }
    } else {
        workspace(&state)
    };
    html! {
        <ContextProvider<WorkspaceContext> context={state}>{ page }</ContextProvider<WorkspaceContext>>
    }
}

/// The window's inner width in CSS pixels.
fn window_width() -> Option<u32> {
    let width = web_sys::window()?.inner_width().ok()?.as_f64()?;
    Some(width.max(0.0) as u32)
}

/// The workspace view: top bar, messages, lever panels and the tabs.
fn workspace(state: &WorkspaceContext) -> Html {
    let w = &**state;
    let lang = w.lang;
    let on_pick = {
        let state = state.clone();
        let current = w.builtin.id;
        Callback::from(move |e: Event| {
            let select = e.target_unchecked_into::<HtmlSelectElement>();
            let (state, failed) = (state.clone(), state.clone());
            let id = select.value();
            builtins::then_for(
                &select.value(),
                move || state.dispatch(Action::SelectScenario(id)),
                move |m| {
                    // The picker shows what is open again.
                    select.set_value(current);
                    failed.dispatch(Action::Notify(m));
                },
            );
        })
    };
    let toggle_lang = {
        let state = state.clone();
        let next = lang.pick(Lang::En, Lang::Zh);
        Callback::from(move |_| state.dispatch(Action::SetLang(next)))
    };
    let pin = {
        let state = state.clone();
        Callback::from(move |_| state.dispatch(Action::Pin))
    };
    let options = builtin_names().iter().map(|(id, zh, en)| {
        html! { <option value={*id} selected={*id == w.builtin.id}>{ lang.pick(zh, en) }</option> }
    });
    let meta = &w.base.scenario.scenario;
    let tabs = Tab::ALL.iter().map(|&t| {
        let state = state.clone();
        let onclick = Callback::from(move |_| state.dispatch(Action::SelectTab(t)));
        html! {
            <button type="button" role="tab" id={format!("tab-{}", t.key())} aria-selected={(t == w.tab).to_string()}
                aria-controls="tab-panel" class={classes!("tab", (t == w.tab).then_some("active"))} {onclick}>
                { t.label(lang) }
                if t == Tab::Compare && !w.pinned.is_empty() { { format!(" ({})", w.pinned.len()) } }
            </button>
        }
    });
    let panel = match w.tab {
        Tab::Targets => targets_tab(state),
        Tab::Balance => balance_tab(w),
        Tab::Resources => resources_tab(w),
        Tab::Schools => html! { <SchoolsPanel /> },
        Tab::Compare => html! { <ComparePanel /> },
        Tab::Ask => html! { <AskPanel /> },
        Tab::Map => html! { <MapPanel /> },
    };
    // A lever's refusal is shown by the lever; the others here.
    let error = w
        .error
        .as_ref()
        .filter(|r| matches!(r.control, Control::Scenario | Control::Group(_)));

    html! {
        <div class="app" data-generation={w.generation.to_string()} data-version={w.changes.to_string()}
             data-scenario={w.builtin.id} data-mc={mc_state_key(&w.mc)}>
            <header class="topbar">
                <h1>{ lang.pick("优均", "Youjun") }<small>{ lang.pick(" · 义务教育资源规划模拟器", " · compulsory-education planning simulator") }</small></h1>
                <label class="picker">
                    <span>{ lang.pick("情景", "Scenario") }</span>
                    <select id="scenario-picker" onchange={on_pick}>{ for options }</select>
                </label>
                { mc_indicator(&w.mc, lang) }
                <button type="button" id="pin-button" onclick={pin} disabled={w.pinned.len() >= MAX_PINNED}>
                    { format!("{} ({}/{MAX_PINNED})", lang.pick("固定当前方案", "Pin this scenario"), w.pinned.len()) }
                </button>
                <button type="button" id="lang-toggle" onclick={toggle_lang} lang={lang.pick("en", "zh-CN")}>
                    { lang.pick("English", "中文") }
                </button>
                <Toolbar />
            </header>
            { messages(state) }
            <p class="question" id="scenario-question">
                <strong>{ lang.pick("本情景回答：", "Question: ") }</strong>{ meta.question_in(lang) }
                <span class="seed">{ format!(" · {} {}", lang.pick("依据", "Source"), meta.seed_document) }</span>
            </p>
            if let Some(r) = error { <p class="error-banner" role="alert">{ r.error.message(lang) }</p> }
            <div class="body">
                <aside class="levers" aria-label={lang.pick("政策杠杆", "Levers")}>
                    <LeverPanels />
                </aside>
                <main class="results">
                    <div role="tablist" class="tabs" aria-label={lang.pick("结果视图", "Result views")}>{ for tabs }</div>
                    <section id="tab-panel" role="tabpanel" aria-labelledby={format!("tab-{}", w.tab.key())}>{ panel }</section>
                </main>
            </div>
        </div>
    }
}

/// Messages about links, saves and imports, each with a dismiss button.
fn messages(state: &WorkspaceContext) -> Html {
    let lang = state.lang;
    let items = state.messages.iter().enumerate().map(|(k, m)| {
        let state = state.clone();
        let dismiss = Callback::from(move |_| state.dispatch(Action::Dismiss(k)));
        let role = if m.kind == super::state::MessageKind::Info { "status" } else { "alert" };
        html! {
            <li class={classes!("message", kind_class(m.kind))} {role} data-kind={kind_class(m.kind)}>
                <span class="text">{ m.text(lang) }</span>
                <button type="button" class="dismiss" onclick={dismiss} aria-label={lang.pick("关闭消息", "Dismiss")}>{ "×" }</button>
            </li>
        }
    });
    html! {
        if !state.messages.is_empty() { <ul class="messages" id="messages">{ for items }</ul> }
    }
}

/// Each built-in scenario's id and display name, parsed once: parsing the
/// TOML on every render cost a quarter of a slider step.
fn builtin_names() -> &'static [(&'static str, String, String)] {
    static NAMES: std::sync::OnceLock<Vec<(&'static str, String, String)>> = std::sync::OnceLock::new();
    NAMES.get_or_init(|| {
        BUILTIN
            .iter()
            .map(|b| {
                // The `[scenario]` table only: the whole scenario, read and
                // checked four more times, delayed the first chart.
                let (zh, en) = b.meta().map_or_else(
                    || (b.id.to_owned(), b.id.to_owned()),
                    |m| (m.name.clone(), m.name_in(Lang::En).to_owned()),
                );
                (b.id, zh, en)
            })
            .collect()
    })
}

fn mc_state_key(mc: &McStatus) -> &'static str {
    match mc {
        McStatus::Pending => "pending",
        McStatus::Running { .. } => "running",
        McStatus::Done(_) => "done",
        McStatus::Failed(_) => "failed",
    }
}

/// The Monte Carlo pool's size for this browser's core count.
fn mc_workers() -> usize {
    pool_size(web_sys::window().map_or(1.0, |w| w.navigator().hardware_concurrency()))
}

fn mc_indicator(mc: &McStatus, lang: Lang) -> Html {
    let (text, value) = match mc {
        McStatus::Pending => (
            lang.pick("不确定性分析：等待中…", "Uncertainty: waiting…")
                .to_owned(),
            Some(0.0),
        ),
        McStatus::Running { done, total, .. } => (
            format!(
                "{} {done}/{total}",
                lang.pick("不确定性分析：计算中", "Uncertainty: running")
            ),
            Some(f64::from(*done) / f64::from((*total).max(1))),
        ),
        McStatus::Done(mc) => (
            format!(
                "{} {} {}",
                lang.pick("不确定性分析：已完成", "Uncertainty: done,"),
                mc.runs,
                lang.pick("次模拟", "runs")
            ),
            None,
        ),
        McStatus::Failed(m) => (
            format!(
                "{} {m}",
                lang.pick("不确定性分析失败：", "Uncertainty failed:")
            ),
            None,
        ),
    };
    html! {
        // How many workers the Monte Carlo uses on this machine (read by the
        // benchmark, tests/benches/monte_carlo.mjs).
        <div class="mc-status" role="status" aria-live="polite" id="mc-status" data-workers={mc_workers().to_string()}>
            if let Some(v) = value { <progress max="1" value={v.to_string()} aria-hidden="true" /> }
            <span>{ text }</span>
        </div>
    }
}

/// The baseline and every pinned scenario, as chart overlays.
pub fn overlay_sources(w: &Workspace) -> Vec<OverlaySource<'_>> {
    let mut v = vec![OverlaySource {
        label: w.lang.pick("基线", "Baseline"),
        colour: Palette::GREY,
        trajectory: &w.base_run,
    }];
    for (p, colour) in w.pinned.iter().zip(OVERLAY_COLOURS) {
        v.push(OverlaySource {
            label: &p.name,
            colour,
            trajectory: &p.run,
        });
    }
    v
}

fn canvas(id: &str, d: Drawing, height: u32) -> Html {
    html! { <ChartCanvas id={id.to_owned()} drawing={d} {height} /> }
}

fn targets_tab(state: &WorkspaceContext) -> Html {
    let w = &**state;
    let lang = w.lang;
    let mc = w.mc();
    // While the Monte Carlo runs, the probabilities of the runs so far,
    // marked as partial (the bands wait for the whole run).
    let partial = match &w.mc {
        McStatus::Running { partial: Some(m), total, .. } => Some((m.clone(), *total)),
        _ => None,
    };
    let partial_label = partial.as_ref().map(|(m, total)| {
        format!("{} {}/{total} {}", lang.pick("部分结果", "Partial:"), m.runs, lang.pick("次模拟", "runs"))
    });
    let sources = overlay_sources(w);
    let chart = target_chart(
        &w.current,
        &w.run,
        mc.map(|m| &**m),
        &w.target_series,
        &sources,
        lang,
    );
    let rows = w.current.scenario.targets.iter().zip(&w.run.targets).enumerate().map(|(j, (t, o))| {
        let base = w.base_run.targets.get(j);
        // A target set by the plan is met by construction: it shows its mark
        // and no probability (the cell's data-value keeps the runs' share,
        // as the exports do, for the page's tests; it is not shown).
        let fixed = t.set_by_plan();
        let p = mc.and_then(|m| m.target_probability.get(j)).copied();
        let so_far = partial.as_ref().and_then(|(m, _)| m.target_probability.get(j)).copied().filter(|_| p.is_none());
        let percent = crate::chart::is_share_series(&t.series);
        // 0/1 series (CV under the ceiling, rotation rule met) read as yes/no.
        let flag = crate::series::unit(&t.series) == Some(crate::series::Unit::YesNo);
        let show = |v: f64| if flag { lang.pick(if v >= 0.5 { "是" } else { "否" }, if v >= 0.5 { "yes" } else { "no" }).to_owned() } else { format::value(v, percent, lang) };
        let state = state.clone();
        let series = t.series.clone();
        let select = Callback::from(move |_| state.dispatch(Action::SelectTargetSeries(series.clone())));
        let selected = t.series == w.target_series;
        html! {
            <tr class={classes!(if o.met { "met" } else { "missed" }, fixed.then_some("set-by-plan"), selected.then_some("selected"))} data-target={t.id.clone()} data-kind={if fixed { "set_by_plan" } else { "outcome" }}>
                <td><button type="button" class="link" onclick={select} aria-pressed={selected.to_string()} title={t.source_in(lang).to_owned()}>{ t.label_in(lang) }</button></td>
                <td>{ t.year }</td>
                <td>{ if flag { show(t.value) } else { format!("{}{}", t.op.symbol(), show(t.value)) } }</td>
                <td class="num" data-value={o.value.to_string()}>{ show(o.value) }</td>
                <td class="verdict">{ if fixed { t.kind.mark(lang) } else if o.met { lang.pick("✔ 达成", "✔ met") } else { lang.pick("✘ 未达成", "✘ missed") } }</td>
                <td class={classes!("num", "prob", (so_far.is_some() && !fixed).then_some("partial"))} data-value={p.map(|p| p.to_string()).unwrap_or_default()}
                    data-partial={so_far.map(|p| p.to_string())} title={so_far.filter(|_| !fixed).and(partial_label.clone())}>
                    { match (p, so_far) {
                        _ if fixed => "—".to_owned(),
                        (Some(p), _) => format::probability(p),
                        (None, Some(s)) => format!("≈{}", format::probability(s)),
                        (None, None) => lang.pick("计算中…", "running…").to_owned(),
                    } }
                </td>
                <td class="num base">{ base.map(|b| show(b.value)).unwrap_or_default() }</td>
            </tr>
        }
    });
    html! {
        <div class="tab-targets">
            { canvas("chart-target", Drawing::Series(Rc::new(chart)), 340) }
            <table class="targets" id="targets-table">
                <caption>
                    { lang.pick("规划目标：中心情景与达成概率（点击目标查看其轨迹）", "Targets: central run and probability (click one to chart it)") }
                    if let Some(label) = &partial_label {
                        <span class="partial" id="mc-partial-note">{ format!(" · ≈ {label}{}", lang.pick("，概率仍在更新", "; the probabilities are still updating")) }</span>
                    }
                </caption>
                <thead><tr>
                    <th scope="col">{ lang.pick("目标", "Target") }</th>
                    <th scope="col">{ lang.pick("年份", "Year") }</th>
                    <th scope="col">{ lang.pick("目标值", "Target value") }</th>
                    <th scope="col">{ lang.pick("推算值", "Projected") }</th>
                    <th scope="col">{ lang.pick("判定", "Verdict") }</th>
                    <th scope="col">{ lang.pick("达成概率", "Probability") }</th>
                    <th scope="col">{ lang.pick("基线推算", "Baseline") }</th>
                </tr></thead>
                <tbody>{ for rows }</tbody>
            </table>
            <p class="note">{ format!("{}: {}", lang.pick("当前图表", "Charted"), series_label(&w.target_series, lang)) }</p>
        </div>
    }
}

fn balance_tab(w: &Workspace) -> Html {
    let lang = w.lang;
    let sources = overlay_sources(w);
    let mc = w.mc().map(|m| &**m);
    let cv_p = cv_chart(&w.current, &w.run, Level::Primary, &sources, lang);
    let cv_j = cv_chart(&w.current, &w.run, Level::Junior, &sources, lang);
    let pass = pass_share_chart(&w.run, mc, &sources, lang);
    // The assessment's resource verdict each year, by level (central run).
    let verdicts: Vec<String> = w
        .run
        .years
        .iter()
        .map(|&y| {
            let mark = |key: &str| if w.run.value(key, y).is_some_and(|v| v >= 0.5) { "✔" } else { "✘" };
            format!("{y} {}/{}", mark("certification_ok_primary"), mark("certification_ok_junior"))
        })
        .collect();
    html! {
        <>
            <div class="chart-grid">
                { canvas("chart-cv-primary", Drawing::Series(Rc::new(cv_p)), 320) }
                { canvas("chart-cv-junior", Drawing::Series(Rc::new(cv_j)), 320) }
                { canvas("chart-pass-share", Drawing::Series(Rc::new(pass)), 320) }
            </div>
            <p class="note" id="certification-line">
                { lang.pick("资源配置通过优质均衡评估（小学/初中，中心情景）：", "Passes the assessment's resource test (primary/junior, central run): ") }
                { verdicts.join(" · ") }
            </p>
            <p class="note" id="assessment-scope">{ lang.pick(crate::metrics::ASSESSMENT_SCOPE_ZH, crate::metrics::ASSESSMENT_SCOPE_EN) }</p>
        </>
    }
}

fn resources_tab(w: &Workspace) -> Html {
    let lang = w.lang;
    let sources = overlay_sources(w);
    let mc = w.mc().map(|m| &**m);
    let enrollment = enrollment_chart(&w.run, mc, &sources, lang);
    let teachers = teachers_chart(&w.run, mc, &sources, lang);
    let spending = spending_chart(&w.run, mc, &sources, lang);
    // One row per 学区, so the canvas grows with the groups.
    let seats = |level: Level, id: &str| {
        let chart = crate::chart::seat_chart(&w.current, &w.run, level, lang);
        let height = crate::chart::bar_chart_height(chart.rows.len()).min(720);
        canvas(id, Drawing::Seats(Rc::new(chart)), height)
    };
    html! {
        <>
            <div class="chart-grid">
                { canvas("chart-enrollment", Drawing::Series(Rc::new(enrollment)), 320) }
                { canvas("chart-teachers", Drawing::Series(Rc::new(teachers)), 320) }
                { canvas("chart-spending", Drawing::Series(Rc::new(spending)), 320) }
            </div>
            <p class="note" id="seat-warning">{ crate::chart::seat_warning(&w.current, &w.run, &[2026, 2028], lang) }</p>
            <div class="chart-grid">
                { seats(Level::Primary, "chart-seats-primary") }
                { seats(Level::Junior, "chart-seats-junior") }
            </div>
        </>
    }
}

/// The page's one Monte Carlo worker client, made on first use; its events
/// go to the reducer tagged with the generation they were computed for.
fn mc_client(
    slot: &mut Option<McClient>,
    dispatcher: UseReducerDispatcher<Workspace>,
) -> &mut McClient {
    slot.get_or_insert_with(|| {
        McClient::new(move |e| match e {
            McEvent::Progress {
                generation,
                done,
                total,
                partial,
            } => dispatcher.dispatch(Action::McProgress {
                generation,
                done,
                total,
                partial: partial.map(Rc::new),
            }),
            McEvent::Done { generation, mc } => dispatcher.dispatch(Action::McDone {
                generation,
                mc: Rc::new(mc),
            }),
            McEvent::Failed {
                generation,
                message,
            } => dispatcher.dispatch(Action::McFailed {
                generation,
                message,
            }),
        })
    })
}
