//! The schools tab: a heat map of schools × indicators for one year, a
//! sortable, filterable table of every school's indicators and pass status,
//! and the trajectory of the school the planner picks.

use std::rc::Rc;

use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use super::canvas::{ChartCanvas, Drawing};
use super::state::{use_workspace, Action};
use crate::chart::heat_map::heat_map;
use crate::chart::{indicator_label, level_label, school_chart};
use crate::engine::{SchoolTrajectory, SchoolYear};
use crate::format;
use crate::metrics::Indicator;
use crate::roster::{Level, NewQuality};

/// A column the table can be sorted by.
#[derive(Debug, Clone, Copy, PartialEq)]
enum SortKey {
    Name,
    Students,
    Teachers,
    Indicator(usize),
    Pass,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum PassFilter {
    All,
    Passing,
    Failing,
}

/// The schools tab of the workspace in context: heat map, one school's
/// trajectory and the school table.
#[function_component(SchoolsPanel)]
pub fn schools_panel() -> Html {
    let state = use_workspace();
    let w = &*state;
    let lang = w.lang;
    let filter = use_state(String::new);
    let level = use_state(|| None::<Level>);
    let pass = use_state(|| PassFilter::All);
    let sort = use_state(|| (SortKey::Name, true));

    let t = w.years_index();
    let map = heat_map(&w.current, &w.run, w.year, lang);
    let counts = map.below_counts();

    let years = w.run.years.iter().map(|&y| html! { <option value={y.to_string()} selected={y == w.year}>{ y }</option> });
    let on_year = {
        let state = state.clone();
        Callback::from(move |e: Event| {
            if let Ok(y) = e.target_unchecked_into::<HtmlSelectElement>().value().parse() {
                state.dispatch(Action::SelectYear(y));
            }
        })
    };
    let on_filter = {
        let filter = filter.clone();
        Callback::from(move |e: InputEvent| filter.set(e.target_unchecked_into::<HtmlInputElement>().value()))
    };
    let on_level = {
        let level = level.clone();
        Callback::from(move |e: Event| {
            level.set(match e.target_unchecked_into::<HtmlSelectElement>().value().as_str() {
                "primary" => Some(Level::Primary),
                "junior" => Some(Level::Junior),
                _ => None,
            })
        })
    };
    let on_pass = {
        let pass = pass.clone();
        Callback::from(move |e: Event| {
            pass.set(match e.target_unchecked_into::<HtmlSelectElement>().value().as_str() {
                "passing" => PassFilter::Passing,
                "failing" => PassFilter::Failing,
                _ => PassFilter::All,
            })
        })
    };

    // The rows shown: open in the chosen year, matching the filters, sorted.
    let standards = &w.current.scenario.standards;
    let needle = filter.trim().to_lowercase();
    let mut rows: Vec<(usize, &SchoolTrajectory, &SchoolYear)> = match t {
        Some(t) => w
            .run
            .schools
            .iter()
            .enumerate()
            .filter_map(|(k, s)| s.years.get(t).map(|y| (k, s, y)))
            .filter(|(_, s, y)| y.open && level.is_none_or(|l| l == s.level))
            .filter(|(_, _, y)| match *pass {
                PassFilter::All => true,
                PassFilter::Passing => y.passes,
                PassFilter::Failing => !y.passes,
            })
            .filter(|(_, s, _)| needle.is_empty() || s.name.to_lowercase().contains(&needle) || s.school_id.to_lowercase().contains(&needle))
            .collect(),
        None => Vec::new(),
    };
    let (key, ascending) = *sort;
    rows.sort_by(|a, b| {
        let ord = match key {
            SortKey::Name => a.1.name.cmp(&b.1.name).then(a.1.level.cmp(&b.1.level)),
            SortKey::Students => a.2.students.total_cmp(&b.2.students),
            SortKey::Teachers => a.2.teachers.total_cmp(&b.2.teachers),
            SortKey::Indicator(i) => {
                let v = |y: &SchoolYear| y.indicators[i].unwrap_or(f64::NEG_INFINITY);
                v(a.2).total_cmp(&v(b.2))
            }
            SortKey::Pass => a.2.passes.cmp(&b.2.passes),
        };
        // Ties keep roster order, so the table never reshuffles by itself.
        let ord = ord.then(a.0.cmp(&b.0));
        if ascending {
            ord
        } else {
            ord.reverse()
        }
    });

    let header = |k: SortKey, label: String| {
        let active = sort.0 == k;
        let up = sort.1;
        let aria = if active { if up { "ascending" } else { "descending" } } else { "none" };
        let sort = sort.clone();
        let onclick = Callback::from(move |_| {
            let (cur, asc) = *sort;
            sort.set((k, if cur == k { !asc } else { true }));
        });
        html! {
            <th scope="col" aria-sort={aria}>
                <button type="button" class="sort" {onclick}>{ label }{ if active { if up { " ▲" } else { " ▼" } } else { "" } }</button>
            </th>
        }
    };
    let shown = rows.len();
    let body = rows.iter().map(|(k, s, y)| {
        let state = state.clone();
        let k = *k;
        let select = Callback::from(move |_| state.dispatch(Action::SelectSchool(Some(k))));
        let th = standards.level(s.level);
        let cells = Indicator::ALL.iter().enumerate().map(|(i, &ind)| {
            let v = y.indicators[i];
            let below = v.is_some_and(|v| v < th.threshold(ind));
            html! { <td class={classes!("num", below.then_some("below"))} data-value={v.map(|v| v.to_string()).unwrap_or_default()}>
                { v.map(|v| format::value(v, false, lang)).unwrap_or_else(|| "—".into()) }</td> }
        });
        let nq = match y.new_quality {
            NewQuality::None => "",
            NewQuality::District => lang.pick("区级", "district"),
            NewQuality::Municipal => lang.pick("市级", "municipal"),
        };
        html! {
            <tr class={classes!(if y.passes { "pass" } else { "fail" }, (w.school == Some(k)).then_some("selected"))} data-school={s.school_id.clone()}>
                // Names come from rosters: Yew sets them as text, never as markup.
                <th scope="row"><button type="button" class="link" onclick={select}>{ &s.name }</button></th>
                <td>{ level_label(s.level, lang) }</td>
                <td class="num">{ format::whole(y.students) }</td>
                <td class="num">{ format::whole(y.teachers) }</td>
                { for cells }
                <td class="verdict">{ if y.passes { lang.pick("✔ 达标", "✔ pass") } else { lang.pick("✘ 未达标", "✘ fail") } }</td>
                <td>{ nq }</td>
            </tr>
        }
    });

    let summary = counts.iter().map(|c| {
        let worst: Vec<String> = Indicator::ALL
            .iter()
            .enumerate()
            .filter(|(k, _)| c.below[*k] > 0)
            .map(|(k, &i)| format!("{} {}", indicator_label(i, lang), c.below[k]))
            .collect();
        let text = if worst.is_empty() { lang.pick("各项指标均无学校低于标准", "no school below any threshold").to_owned() } else { worst.join("，") };
        html! { <li>{ format!("{}（{} {}）{}：{text}", level_label(c.level, lang), c.schools, lang.pick("所", "schools"), lang.pick("低于标准的学校数", " below threshold")) }</li> }
    });

    let trajectory = w.school.and_then(|k| w.run.schools.get(k)).map(|s| {
        let chart = school_chart(&w.current, s, lang);
        let state = state.clone();
        let close = Callback::from(move |_| state.dispatch(Action::SelectSchool(None)));
        html! {
            <div class="school-trajectory" id="school-trajectory">
                <button type="button" class="close" onclick={close} aria-label={lang.pick("关闭学校轨迹", "Close the school's trajectory")}>{ "×" }</button>
                <ChartCanvas id="chart-school" drawing={Drawing::Series(Rc::new(chart))} height={300} />
            </div>
        }
    });

    html! {
        <div class="tab-schools">
            <div class="controls">
                <label>{ lang.pick("年份", "Year") }<select id="school-year" onchange={on_year}>{ for years }</select></label>
            </div>
            <ChartCanvas id="chart-heat-map" drawing={Drawing::Heat(Rc::new(map))} height={360} />
            <ul class="heat-summary">{ for summary }</ul>
            { for trajectory }
            <div class="controls">
                <label>{ lang.pick("查找学校", "Find a school") }
                    <input type="search" id="school-filter" value={(*filter).clone()} oninput={on_filter} /></label>
                <label>{ lang.pick("学段", "Level") }
                    <select id="school-level" onchange={on_level}>
                        <option value="all" selected={level.is_none()}>{ lang.pick("全部", "All") }</option>
                        <option value="primary" selected={*level == Some(Level::Primary)}>{ level_label(Level::Primary, lang) }</option>
                        <option value="junior" selected={*level == Some(Level::Junior)}>{ level_label(Level::Junior, lang) }</option>
                    </select></label>
                <label>{ lang.pick("达标情况", "Status") }
                    <select id="school-pass" onchange={on_pass}>
                        <option value="all" selected={*pass == PassFilter::All}>{ lang.pick("全部", "All") }</option>
                        <option value="passing" selected={*pass == PassFilter::Passing}>{ lang.pick("达标", "Passing") }</option>
                        <option value="failing" selected={*pass == PassFilter::Failing}>{ lang.pick("未达标", "Failing") }</option>
                    </select></label>
                <span class="count" id="school-count">{ format!("{shown} {}", lang.pick("所学校（学段）", "school rows")) }</span>
            </div>
            <div class="table-scroll">
                <table class="schools" id="school-table">
                    <thead><tr>
                        { header(SortKey::Name, lang.pick("学校", "School").into()) }
                        <th scope="col">{ lang.pick("学段", "Level") }</th>
                        { header(SortKey::Students, lang.pick("学生", "Pupils").into()) }
                        { header(SortKey::Teachers, lang.pick("教师", "Teachers").into()) }
                        { for Indicator::ALL.iter().enumerate().map(|(k, &i)| header(SortKey::Indicator(k), indicator_label(i, lang).into())) }
                        { header(SortKey::Pass, lang.pick("达标", "Pass").into()) }
                        <th scope="col">{ lang.pick("新优质", "New-quality") }</th>
                    </tr></thead>
                    <tbody>{ for body }</tbody>
                </table>
            </div>
        </div>
    }
}
