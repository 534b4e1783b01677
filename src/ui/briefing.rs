//! The one-page A4 briefing for the bureau's leadership, in Chinese by
//! design, with an English variant one click away (for visitors and
//! reviewers; it does not follow the page's language toggle): the headline (targets for 2026 and 2028, met or missed, with their
//! probabilities), three charts, the main risks, the levers changed from the
//! baseline and every assumption with its source. The print style sheet
//! hides everything else, so the browser's "print → save as PDF" gives one
//! page.

use std::rc::Rc;

use yew::prelude::*;

use super::app::overlay_sources;
use super::ask_job::{Answer, Ask, Job, JobEvent, PathSentence, Request};
use super::canvas::{svg_of, Drawing};
use super::levers_panel::display;
use super::persist::now_text;
use super::state::{use_workspace, Action, McStatus, View, Workspace};
use crate::chart::district::{cv_chart, target_chart, teachers_chart};
use crate::chart::is_share_series;
use crate::format;
use crate::i18n::Lang;
use crate::levers::{self, LEVERS, YEARLY_LEVERS};
use crate::roster::Level;
use crate::share::MODEL_VERSION;

/// The years the headline reports: the plan's 2026 milestone and 2028.
const HEADLINE_YEARS: [i32; 2] = [2026, 2028];

/// The briefing of the workspace in context, with its back and print
/// buttons.
#[function_component(BriefingPage)]
pub fn briefing_page() -> Html {
    let state = use_workspace();
    let w = &*state;
    let back = {
        let state = state.clone();
        Callback::from(move |_| state.dispatch(Action::ShowView(View::Workspace)))
    };
    let print = Callback::from(|_| {
        if let Some(w) = web_sys::window() {
            let _ = w.print();
        }
    });
    let ready = matches!(w.mc, McStatus::Done(_));
    // The briefing's own language: Chinese unless the English variant is asked for.
    let lang = use_state(|| Lang::Zh);
    let switch_lang = {
        let lang = lang.clone();
        Callback::from(move |_| lang.set(lang.pick(Lang::En, Lang::Zh)))
    };
    // The paths to the targets at risk, asked of a worker once the Monte
    // Carlo is in: (generation, sentences), or a failure's text.
    let paths = use_state(|| None::<(u32, Result<Vec<PathSentence>, String>)>);
    let job = use_mut_ref(Job::default);
    {
        let (paths, job, state) = (paths.clone(), job.clone(), state.clone());
        use_effect_with((w.generation, ready), move |&(generation, ready)| {
            let w = &*state;
            let risky = w.mc().map(|mc| {
                crate::ask::path::at_risk(&w.current.scenario, &w.run.targets, Some(&mc.target_probability), &HEADLINE_YEARS, REQUIRED)
            });
            match risky {
                Some(risky) if ready && paths.as_ref().is_none_or(|(g, _)| *g != generation) => {
                    let targets: Vec<String> = risky.iter().map(|&j| w.current.scenario.targets[j].id.clone()).collect();
                    if targets.is_empty() {
                        paths.set(Some((generation, Ok(Vec::new()))));
                    } else {
                        let request = Request {
                            scenario: w.current.scenario.to_json(),
                            base: String::new(),
                            ask: Ask::Paths { targets, probability: REQUIRED, runs: w.current.scenario.scenario.runs },
                        };
                        let set = paths.clone();
                        job.borrow().cancel();
                        *job.borrow_mut() = Job::start(&request, w.workers_roster(), move |e| match e {
                            JobEvent::Progress(..) => {}
                            JobEvent::Done(Answer::Paths { sentences }) => set.set(Some((generation, Ok(sentences)))),
                            JobEvent::Done(_) => {}
                            JobEvent::Failed(why) => set.set(Some((generation, Err(why)))),
                        });
                    }
                }
                _ => {}
            }
            let job = job.clone();
            move || job.borrow().cancel()
        });
    }
    let shown_paths = Paths(paths.as_ref().filter(|(g, _)| *g == w.generation).map(|(_, p)| p.clone()));
    // A plan with many changed levers or long source lists can outgrow the
    // sheet: after each render the page measures itself and, while it
    // overflows, steps to a denser style (smaller type, shorter charts), up
    // to DENSEST. Any change to what is shown starts again from the roomiest
    // style. `data-fits` is `measuring` until a step settles, then whether
    // it fits (tests and the print warning read it).
    //
    // The sheet (three SVG charts among it) is built once per change to what
    // the workspace shows (its `PartialEq`), not on every Monte Carlo
    // progress tick or fit step.
    let sheet = Sheet(use_memo((state.clone(), shown_paths, *lang), |(w, paths, lang)| page(w, paths, *lang)));
    let fit = use_state(|| Fit {
        sheet: sheet.clone(),
        density: 0,
        fits: None,
    });
    {
        let fit = fit.clone();
        use_effect_with((sheet.clone(), fit.density, fit.fits), move |(sheet, _, _)| {
            let over = web_sys::window()
                .and_then(|w| w.document())
                .and_then(|d| d.get_element_by_id("briefing"))
                .map(|a| a.scroll_height() > a.client_height() + 1)
                .unwrap_or(false);
            if fit.sheet != *sheet {
                fit.set(Fit {
                    sheet: sheet.clone(),
                    density: 0,
                    fits: None,
                });
            } else if over && fit.density < DENSEST {
                fit.set(Fit {
                    density: fit.density + 1,
                    fits: None,
                    ..(*fit).clone()
                });
            } else if fit.fits != Some(!over) {
                fit.set(Fit {
                    fits: Some(!over),
                    ..(*fit).clone()
                });
            }
        });
    }
    let density = format!("density-{}", fit.density);
    html! {
        <div class="briefing-view" data-ready={ready.to_string()}>
            <div class="briefing-tools no-print">
                <button type="button" id="briefing-back" onclick={back}>{ w.lang.pick("← 返回工作区", "← Back to the workspace") }</button>
                <button type="button" id="briefing-print" onclick={print}>{ w.lang.pick("打印 / 存为 PDF", "Print / save as PDF") }</button>
                <button type="button" id="briefing-lang" data-lang={lang.tag()} onclick={switch_lang}>
                    { match (*lang, w.lang) {
                        (Lang::Zh, ui) => ui.pick("英文版简报", "English version"),
                        (Lang::En, ui) => ui.pick("中文版简报", "Chinese version"),
                    } }
                </button>
                if !ready { <span class="note">{ w.lang.pick("不确定性分析完成后，概率会填入简报。", "Probabilities fill in when the uncertainty run finishes.") }</span> }
                if fit.fits == Some(false) { <span class="note warning">{ w.lang.pick("内容超过一页：末尾的依据会被截去，请减少调整项或打印为多页。", "The content is longer than a page: the end of the sources list is cut off.") }</span> }
            </div>
            <article class={classes!("briefing", density)} id="briefing" lang={lang.tag()} data-fits={fit.fits.map_or("measuring".to_owned(), |f| f.to_string())}>{ (*sheet.0).clone() }</article>
        </div>
    }
}

/// The probability a target should reach: below it, the briefing looks for a path.
const REQUIRED: f64 = 0.8;

/// The briefing's path sentences for the current generation: `None` while
/// they are being worked out.
#[derive(Clone, PartialEq)]
struct Paths(Option<Result<Vec<PathSentence>, String>>);

/// The densest style the briefing steps down to (see `.density-N` in style.css).
const DENSEST: u8 = 4;

/// The sheet built for one state of the workspace, compared by identity: a
/// new one is built exactly when the workspace changes.
#[derive(Clone)]
struct Sheet(Rc<Html>);

impl PartialEq for Sheet {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

#[derive(Clone, PartialEq)]
struct Fit {
    /// The sheet this fit was measured for.
    sheet: Sheet,
    density: u8,
    /// `None` while stepping.
    fits: Option<bool>,
}

fn page(w: &Workspace, paths: &Paths, lang: Lang) -> Html {
    let meta = &w.current.scenario.scenario;
    let mc = w.mc().map(|m| &**m);
    // Roster file names and school names are the planner's own: marked as
    // Chinese in the English variant.
    let roster = w.imported.as_ref().map(|i| {
        let rows = i.roster.schools.len();
        html! { <>{ lang.pick(" · 花名册：", " · roster: ") }<span lang="zh-CN">{ &i.source }</span>{ lang.pick(format!("（{rows} 行）"), format!(" ({rows} rows)")) }</> }
    });
    html! {
        <>
            <header>
                <h1>{ lang.pick(format!("{} · 情景简报", meta.name_in(lang)), format!("{} · scenario briefing", meta.name_in(lang))) }</h1>
                <p class="sub">
                    { lang.pick(
                        format!("优均 义务教育资源规划模拟器 · {} · 模型 {MODEL_VERSION} · 依据 {}", now_text(), meta.seed_document),
                        format!("Youjun compulsory-education resource planner · {} · model {MODEL_VERSION} · source {}", now_text(), meta.seed_document)) }
                    { roster.unwrap_or_default() }
                </p>
                <p class="question">{ meta.question_in(lang) }</p>
            </header>
            <section class="summary" id="briefing-summary">
                <p>{ crate::ask::path::summary(&w.current.scenario, &w.run.targets, mc.map(|m| m.target_probability.as_slice()), &HEADLINE_YEARS, REQUIRED, lang) }</p>
                { path_list(w, paths, lang) }
            </section>
            <section class="headline">
                <h2>{ lang.pick("一、目标达成（2026 / 2028 年）", "1. Targets (2026 / 2028)") }</h2>
                { headline(w, lang) }
            </section>
            <section class="charts">
                <h2>{ lang.pick("二、关键图表", "2. Key charts") }</h2>
                { charts(w, lang) }
            </section>
            <div class="two-col">
                <section class="risks">
                    <h2>{ lang.pick("三、主要风险", "3. Main risks") }</h2>
                    { risks(w, mc, lang) }
                </section>
                <section class="changes">
                    <h2>{ lang.pick("四、相对基线调整的参数", "4. Levers changed from the baseline") }</h2>
                    { changes(w, lang) }
                </section>
            </div>
            <section class="assumptions">
                <h2>{ lang.pick("五、假设与依据", "5. Assumptions and sources") }</h2>
                { assumptions(w, lang) }
            </section>
        </>
    }
}

/// For each target missed or below [`REQUIRED`], the smallest single-lever
/// change that reaches it (or that none does).
fn path_list(w: &Workspace, paths: &Paths, lang: Lang) -> Html {
    if w.mc().is_none() {
        return html! {};
    }
    let need = format::probability(REQUIRED);
    match &paths.0 {
        None => html! { <p class="note" id="briefing-paths" data-state="running">{ lang.pick("正在测算各项风险目标的达标路径…", "Working out a path for each target at risk…") }</p> },
        Some(Err(why)) => html! { <p class="note" id="briefing-paths" data-state="failed">{ lang.pick(format!("达标路径未能算出：{why}"), format!("The paths could not be worked out: {why}")) }</p> },
        Some(Ok(s)) if s.is_empty() => html! {},
        Some(Ok(sentences)) => html! {
            <div class="paths" id="briefing-paths" data-state="done">
                <span class="paths-head">{ lang.pick(
                    format!("达标路径（单项参数使达成概率达到{need}的最小调整）："),
                    format!("Paths (the smallest change of one lever that reaches a probability of {need}): ")) }</span>
                <ol>{ for sentences.iter().map(|p| html! { <li data-target={p.target.clone()}>{ lang.pick(&p.zh, &p.en) }</li> }) }</ol>
            </div>
        },
    }
}

fn headline(w: &Workspace, lang: Lang) -> Html {
    let mc = w.mc();
    // A plan without 2026/2028 milestones still gets its targets listed.
    let picked = crate::ask::path::headline_targets(&w.current.scenario, &HEADLINE_YEARS);
    let met = picked
        .iter()
        .filter(|&&j| w.run.targets.get(j).is_some_and(|o| o.met))
        .count();
    // Targets set by the plan are listed after the outcomes with their mark,
    // no probability, and are not counted (ask::path::headline_targets).
    let fixed = crate::ask::path::set_by_plan_targets(&w.current.scenario, &HEADLINE_YEARS);
    let rows = picked.iter().chain(&fixed).filter_map(|&j| {
        let t = w.current.scenario.targets.get(j)?;
        let o = w.run.targets.get(j)?;
        let by_plan = t.set_by_plan();
        // data-value keeps the runs' share as the targets tab does; a
        // target set by the plan shows none.
        let p = mc.and_then(|m| m.target_probability.get(j)).copied();
        let percent = is_share_series(&t.series);
        let flag = crate::series::unit(&t.series) == Some(crate::series::Unit::YesNo);
        let show = |v: f64| if flag { (if v >= 0.5 { lang.pick("是", "yes") } else { lang.pick("否", "no") }).to_owned() } else { format::value(v, percent, lang) };
        Some(html! {
            <tr class={classes!(if o.met { "met" } else { "missed" }, by_plan.then_some("set-by-plan"))} data-target={t.id.clone()} data-kind={if by_plan { "set_by_plan" } else { "outcome" }}>
                <td>{ t.label_in(lang) }</td>
                <td class="num">{ t.year }</td>
                <td class="num">{ if flag { show(t.value) } else { format!("{}{}", t.op.symbol(), show(t.value)) } }</td>
                <td class="num">{ show(o.value) }</td>
                <td class="verdict">{ if by_plan { t.kind.mark(lang) } else if o.met { lang.pick("✔ 达成", "✔ met") } else { lang.pick("✘ 未达成", "✘ missed") } }</td>
                <td class="num prob" data-value={p.map(|p| p.to_string()).unwrap_or_default()}>
                    { if by_plan { "—".to_owned() } else { p.map(format::probability).unwrap_or_else(|| lang.pick("计算中", "running").into()) } }
                </td>
            </tr>
        })
    });
    html! {
        <>
            <p class="verdict-line" id="briefing-verdict">
                { lang.pick(
                    format!("中心情景下，{} 项目标中 {met} 项达成、{} 项未达成。", picked.len(), picked.len() - met),
                    format!("In the central run, {met} of {} targets are met and {} missed. ", picked.len(), picked.len() - met)) }
                { lang.pick("达成概率来自 ", "Probabilities from ") }{ mc.map(|m| m.runs.to_string()).unwrap_or_else(|| "—".into()) }{ lang.pick(" 次蒙特卡洛模拟。", " Monte Carlo runs.") }
            </p>
            <table class="brief-targets">
                <thead><tr>
                    <th>{ lang.pick("目标", "Target") }</th><th>{ lang.pick("年份", "Year") }</th><th>{ lang.pick("目标值", "Target value") }</th>
                    <th>{ lang.pick("推算值", "Projected") }</th><th>{ lang.pick("判定", "Verdict") }</th><th>{ lang.pick("达成概率", "Probability") }</th>
                </tr></thead>
                <tbody>{ for rows }</tbody>
            </table>
        </>
    }
}

/// The three charts as SVG images (vector in the PDF), in the briefing's language.
fn charts(w: &Workspace, lang: Lang) -> Html {
    let mut sources = overlay_sources(w);
    sources.truncate(1);
    sources[0].label = lang.pick("基线", "Baseline");
    let mc = w.mc().map(|m| &**m);
    let target = target_chart(&w.current, &w.run, mc, &w.target_series, &sources, lang);
    let cv = cv_chart(&w.current, &w.run, Level::Junior, &sources, lang);
    let teachers = teachers_chart(&w.run, mc, &sources, lang);
    let img = |id: &str, chart: crate::chart::SeriesChart, size: (u32, u32)| {
        let title = chart.title.clone();
        match svg_of(&Drawing::Series(Rc::new(chart)), size) {
            Ok(svg) => {
                let src = format!(
                    "data:image/svg+xml;charset=utf-8,{}",
                    js_sys::encode_uri_component(&svg)
                );
                html! { <img id={id.to_owned()} class="brief-chart" src={src} alt={title} width={size.0.to_string()} height={size.1.to_string()} /> }
            }
            Err(e) => html! { <p class="error">{ lang.pick(format!("图表无法绘制：{e}"), format!("The chart could not be drawn: {e}")) }</p> },
        }
    };
    html! {
        <div class="brief-charts">
            { img("brief-chart-target", target, (720, 170)) }
            // Drawn wider than shown, so the years and the side legend fit;
            // the SVG scales down with its text.
            <div class="pair">
                { img("brief-chart-cv", cv, (520, 250)) }
                { img("brief-chart-teachers", teachers, (520, 250)) }
            </div>
        </div>
    }
}

/// Schools failing the assessment, teachers short or surplus, money over
/// budget: a row each, central value and P10–P90 for 2026 and 2028.
fn risks(w: &Workspace, mc: Option<&crate::engine::MonteCarlo>, lang: Lang) -> Html {
    // A budget gap below zero is money left over: shown as 结余 with its
    // band flipped, so no cell reads "-8亿元（-9亿–-7亿）".
    let cell = |key: &str, y: i32, money: bool| -> Option<String> {
        let v = w.run.value(key, y)?;
        let left_over = money && key == "budget_gap_yuan" && v < 0.0;
        let sign = if left_over { -1.0 } else { 1.0 };
        let band = mc.and_then(|m| {
            let (lo, _, hi) = m.band(key)?;
            let t = m.years.iter().position(|&yy| yy == y)?;
            let (a, b) = if left_over {
                (-hi[t], -lo[t])
            } else {
                (lo[t], hi[t])
            };
            let (a, b) = (format::value(a, false, lang), format::value(b, false, lang));
            Some(lang.pick(format!("（{a}–{b}）"), format!(" ({a}–{b})")))
        });
        let prefix = if left_over { lang.pick("结余 ", "left over ") } else { "" };
        Some(format!(
            "{prefix}{}{}",
            if money { format::money(sign * v, lang) } else { format::value(sign * v, false, lang) },
            band.unwrap_or_default()
        ))
    };
    let row = |key: &str, what: &str, money: bool| {
        let cells: Vec<String> = HEADLINE_YEARS
            .iter()
            .map(|&y| cell(key, y, money).unwrap_or_else(|| "—".into()))
            .collect();
        html! { <tr data-risk={key.to_owned()}><th scope="row">{ what }</th>{ for cells.into_iter().map(|c| html! { <td class="num">{ c }</td> }) }</tr> }
    };
    let failing_names = w.years_at(2026).map(|t| {
        let names: Vec<&str> = w
            .run
            .schools
            .iter()
            .filter(|s| s.years.get(t).is_some_and(|y| y.open && !y.passes))
            .map(|s| s.name.as_str())
            .collect();
        let shown = names.iter().take(4).copied().collect::<Vec<_>>().join(lang.pick("、", ", "));
        let more = if names.len() > 4 { lang.pick(" 等", " and others") } else { "" };
        (names.len(), shown, more)
    });
    html! {
        <>
            <table class="risk-table">
                <thead><tr><th>{ "" }</th><th class="num">{ lang.pick("2026（P10–P90）", "2026 (P10–P90)") }</th><th class="num">{ lang.pick("2028（P10–P90）", "2028 (P10–P90)") }</th></tr></thead>
                <tbody>
                    { row("schools_failing", lang.pick("未达标学校", "Schools failing"), false) }
                    { row("shortage_teachers", lang.pick("教师缺口", "Teachers short"), false) }
                    { row("surplus_teachers", lang.pick("超编教师", "Teachers in surplus"), false) }
                    { row("budget_gap_yuan", lang.pick("预算缺口", "Budget gap"), true) }
                    { row("cost_capital_gap_yuan", lang.pick("设施设备达标缺口", "Cost to bring facilities to standard"), true) }
                </tbody>
            </table>
            // One paragraph, so the page keeps to one A4 sheet.
            <p class="names">
                if let Some((n, names, more)) = failing_names.filter(|(n, _, _)| *n > 0) {
                    <span id="briefing-failing">
                        { lang.pick(format!("2026 年未达标的 {n} 所："), format!("Failing in 2026 ({n}): ")) }
                        <span lang="zh-CN">{ names }</span>{ more }{ lang.pick("。", ". ") }
                    </span>
                }
                <span id="briefing-seats">{ crate::chart::seat_warning(&w.current, &w.run, &HEADLINE_YEARS, lang) }</span>
                { lang.pick("", " ") }
                <span id="briefing-scope">{ lang.pick(crate::metrics::ASSESSMENT_SCOPE_SHORT_ZH, crate::metrics::ASSESSMENT_SCOPE_SHORT_EN) }</span>
            </p>
        </>
    }
}

/// Each lever changed from the built-in: baseline → now.
fn changes(w: &Workspace, lang: Lang) -> Html {
    let base = &w.base.scenario;
    let now = &w.current.scenario;
    let mut items: Vec<Html> = levers::changed(base, now)
        .into_iter()
        .filter_map(|(id, v)| {
            let l = levers::lever(id)?;
            let (scale, unit) = display(l.unit, false, lang);
            let before = l.get(base)?.value;
            let (name, colon) = (lang.pick(l.zh, l.en), lang.pick("：", ": "));
            Some(html! { <li data-lever={id}>{ format!("{name}{colon}{} → {} {unit}", format::plain(before * scale), format::plain(v * scale)) }</li> })
        })
        .collect();
    for (id, rows) in levers::yearly_changed(base, now) {
        let Some(l) = levers::yearly_lever(id) else {
            continue;
        };
        let (scale, unit) = display(l.unit, true, lang);
        let before = l.row_values(base);
        let diffs: Vec<String> = rows
            .iter()
            .zip(&before)
            .filter(|(a, b)| a.1.to_bits() != b.1.to_bits())
            .map(|(a, b)| lang.pick(format!("{} 年 {} → {}", a.0, format::plain(b.1 * scale), format::plain(a.1 * scale)), format!("{}: {} → {}", a.0, format::plain(b.1 * scale), format::plain(a.1 * scale))))
            .collect();
        let text = match lang {
            Lang::Zh => format!("{}（{unit}）：{}", l.zh, diffs.join("，")),
            Lang::En => format!("{} ({unit}): {}", l.en, diffs.join("; ")),
        };
        items.push(html! { <li data-lever={id}>{ text }</li> });
    }
    if w.imported.is_some() {
        items.push(html! { <li>{ lang.pick("花名册：使用导入的花名册代替内置的合成花名册", "Roster: the imported roster instead of the built-in synthetic one") }</li> });
    }
    if items.is_empty() {
        html! { <p class="note">{ lang.pick("未调整：与内置情景（基线）相同。", "Nothing changed: the same as the built-in scenario (the baseline).") }</p> }
    } else {
        html! { <ul class="change-list">{ for items }</ul> }
    }
}

/// Every lever's value grouped by its source, so the page stays one page:
/// each source is cited once (seed file and article, standard, or 估计) with
/// the values that rest on it; the rationale behind each figure stays in the
/// workspace and in the exported scenario JSON.
fn assumptions(w: &Workspace, lang: Lang) -> Html {
    let s = &w.current.scenario;
    let mut groups: Vec<(String, Vec<String>)> = Vec::new();
    let mut add = |source: &str, source_en: Option<&str>, assumption: bool, item: String| {
        let cite = match lang {
            Lang::Zh => crate::params::citation(source, assumption),
            Lang::En => crate::params::citation_en(source_en.unwrap_or(source), assumption),
        };
        match groups.iter_mut().find(|(c, _)| *c == cite) {
            Some(g) => g.1.push(item),
            None => groups.push((cite, vec![item])),
        }
    };
    for l in LEVERS {
        if let Some(v) = l.get(s) {
            let (scale, unit) = display(l.unit, false, lang);
            add(
                &v.source,
                v.english_source(),
                v.assumption,
                format!("{} {}{}", lang.pick(l.zh, l.en), format::plain(v.value * scale), unit),
            );
        }
    }
    for l in YEARLY_LEVERS {
        let y = l.get(s);
        let (scale, unit) = display(l.unit, true, lang);
        let rows = l.row_values(s);
        let span = match (rows.first(), rows.last()) {
            (Some(a), Some(b)) if rows.len() > 1 => format!(
                "{}–{}{} {}…{}{unit}",
                a.0,
                b.0,
                lang.pick(" 年", ""),
                format::plain(a.1 * scale),
                format::plain(b.1 * scale)
            ),
            (Some(a), _) => format!("{}{} {}{unit}", a.0, lang.pick(" 年", ""), format::plain(a.1 * scale)),
            _ => continue,
        };
        add(&y.source, y.english_source(), y.assumption, format!("{} {span}", lang.pick(l.zh, l.en)));
    }
    // Documents and standards first, the planners' own estimates last.
    crate::sort::sort_by_key(&mut groups, |(cite, _)| cite == crate::params::ESTIMATE || cite == crate::params::ESTIMATE_EN);
    let items = groups.iter().map(|(cite, items)| {
        html! {
            <li data-source={cite.clone()}>
                <span class="src">{ cite }</span>
                { lang.pick("：", ": ") }{ items.join(lang.pick("；", "; ")) }
            </li>
        }
    });
    html! {
        <>
            <ul class="assumption-list" id="briefing-assumptions">{ for items }</ul>
            <p class="names">{ lang.pick("各项估计值的理由见工作区参数说明与导出的情景 JSON。", "The reasons for each estimate are in the workspace's lever notes and the exported scenario JSON.") }</p>
        </>
    }
}
