//! The schools tab: a heat map of schools × indicators for one year, a
//! sortable, filterable table of every school's indicators and pass status,
//! and the trajectory of the school the planner picks.
//!
//! The table is virtualised: it scrolls in a box of its own, every body row
//! is [`ROW_PX`] tall, and only the rows in view and [`OVERSCAN`] rows
//! either side are in the DOM, between two spacer rows that keep the
//! scrollbar the size of the whole list. It stays a table for screen
//! readers (`aria-rowcount` is the whole list, each row's `aria-rowindex`
//! its place in it). The keyboard reaches every row: Tab and Shift+Tab walk
//! the school buttons (the browser scrolls each into view, which brings the
//! next rows in), and ↑ ↓ Page Up/Down Home End move between rows.
//!
//! What a slider step redraws here is computed once per change of its
//! inputs (`use_memo`): the heat map per run, year and language; the row
//! order per run, year, filters and sort.

use std::cell::RefCell;
use std::rc::Rc;

use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlElement, HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use super::canvas::{ChartCanvas, Drawing};
use super::state::{use_workspace, Action};
use crate::chart::heat_map::{heat_map, HeatMap, LevelCounts};
use crate::chart::{indicator_label, level_label, school_chart};
use crate::engine::{Model, SchoolYear, Trajectory};
use crate::format;
use crate::i18n::Lang;
use crate::metrics::Indicator;
use crate::roster::{Level, NewQuality};

/// Height of every body row of the school table in CSS pixels; `web/style.css`
/// (`table.schools.virtual tbody tr`) gives the rows exactly this height, and
/// the end-to-end tests check it.
const ROW_PX: i32 = 24;
/// Rows kept in the DOM above and below the ones in view, so a Tab or a
/// short scroll never lands on a row that is not there yet.
const OVERSCAN: usize = 8;
/// Rows taken to be in view until the scroll box has been measured.
const UNMEASURED_VIEW_ROWS: usize = 30;
/// The table's columns: school, level, pupils, teachers, the seven
/// indicators, pass, new-quality.
const COLUMNS: usize = 4 + Indicator::ALL.len() + 2;

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

/// Which rows the table lists, and in what order.
#[derive(Debug, Clone, PartialEq)]
struct Query {
    /// The search text as typed.
    text: String,
    level: Option<Level>,
    pass: PassFilter,
    /// The column and whether ascending.
    sort: (SortKey, bool),
}

/// An `Rc` compared by identity. A run or a model is replaced, never changed
/// in place (the workspace's own `PartialEq` relies on the same), so the
/// same pointer means the same data, and comparing costs nothing.
struct Same<T>(Rc<T>);

impl<T> Clone for Same<T> {
    fn clone(&self) -> Self {
        Same(self.0.clone())
    }
}

impl<T> PartialEq for Same<T> {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

/// The rows listed for `q` in year index `t`: positions in `run.schools` of
/// the schools open that year that match the filters, sorted. Ties keep
/// roster order, so the table never reshuffles by itself.
fn listed(run: &Trajectory, t: Option<usize>, q: &Query) -> Vec<usize> {
    let Some(t) = t else { return Vec::new() };
    let needle = q.text.trim().to_lowercase();
    let mut rows: Vec<(usize, &SchoolYear)> = run
        .schools
        .iter()
        .enumerate()
        .filter_map(|(k, s)| s.years.get(t).map(|y| (k, s, y)))
        .filter(|(_, s, y)| y.open && q.level.is_none_or(|l| l == s.level))
        .filter(|(_, _, y)| match q.pass {
            PassFilter::All => true,
            PassFilter::Passing => y.passes,
            PassFilter::Failing => !y.passes,
        })
        .filter(|(_, s, _)| needle.is_empty() || s.name.to_lowercase().contains(&needle) || s.school_id.to_lowercase().contains(&needle))
        .map(|(k, _, y)| (k, y))
        .collect();
    let (key, ascending) = q.sort;
    let schools = &run.schools;
    crate::sort::sort_by(&mut rows, |a, b| {
        let ord = match key {
            SortKey::Name => {
                let (x, y) = (&schools[a.0], &schools[b.0]);
                x.name.cmp(&y.name).then(x.level.cmp(&y.level))
            }
            SortKey::Students => a.1.students.total_cmp(&b.1.students),
            SortKey::Teachers => a.1.teachers.total_cmp(&b.1.teachers),
            SortKey::Indicator(i) => {
                let v = |y: &SchoolYear| y.indicators[i].unwrap_or(f64::NEG_INFINITY);
                v(a.1).total_cmp(&v(b.1))
            }
            SortKey::Pass => a.1.passes.cmp(&b.1.passes),
        };
        let ord = ord.then(a.0.cmp(&b.0));
        if ascending {
            ord
        } else {
            ord.reverse()
        }
    });
    rows.into_iter().map(|(k, _)| k).collect()
}

/// The heat map of a year and, per level, how many schools fall below each
/// threshold: built once per run, year and language.
struct Heat {
    map: Rc<HeatMap>,
    counts: Vec<LevelCounts>,
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
    let run = Same(w.run.clone());
    let model = Same(w.current.clone());
    let heat = use_memo((model.clone(), run.clone(), w.year, lang), |(model, run, year, lang)| {
        let map = heat_map(&model.0, &run.0, *year, *lang);
        let counts = map.below_counts();
        Heat { map: Rc::new(map), counts }
    });
    let query = Query { text: (*filter).clone(), level: *level, pass: *pass, sort: *sort };
    let order = use_memo((run.clone(), t, query.clone()), |(run, t, q)| listed(&run.0, *t, q));
    let trajectory_chart = use_memo((model.clone(), run.clone(), w.school, lang), |(model, run, school, lang)| {
        school.and_then(|k| run.0.schools.get(k)).map(|s| Rc::new(school_chart(&model.0, s, *lang)))
    });

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
    // Stable callbacks, so the table re-renders only when what it shows changed.
    let on_sort = {
        let setter = sort.setter();
        use_callback(*sort, move |k: SortKey, &(cur, asc)| setter.set((k, if cur == k { !asc } else { true })))
    };
    let on_select = use_callback(state.dispatcher(), |k: usize, dispatcher| dispatcher.dispatch(Action::SelectSchool(Some(k))));

    let summary = heat.counts.iter().map(|c| {
        let worst: Vec<String> = Indicator::ALL
            .iter()
            .enumerate()
            .filter(|(k, _)| c.below[*k] > 0)
            .map(|(k, &i)| format!("{} {}", indicator_label(i, lang), c.below[k]))
            .collect();
        let text = if worst.is_empty() { lang.pick("各项指标均无学校低于标准", "no school below any threshold").to_owned() } else { worst.join(lang.pick("，", ", ")) };
        // English with English punctuation (the Chinese uses full-width marks).
        let level = level_label(c.level, lang);
        let line = lang.pick(
            format!("{level}（{} 所）低于标准的学校数：{text}", c.schools),
            format!("{level} ({} schools), below the threshold: {text}", c.schools),
        );
        html! { <li>{ line }</li> }
    });

    let trajectory = (*trajectory_chart).clone().map(|chart| {
        let state = state.clone();
        let close = Callback::from(move |_| state.dispatch(Action::SelectSchool(None)));
        html! {
            <div class="school-trajectory" id="school-trajectory">
                <button type="button" class="close" onclick={close} aria-label={lang.pick("关闭学校轨迹", "Close the school's trajectory")}>{ "×" }</button>
                <ChartCanvas id="chart-school" drawing={Drawing::Series(chart)} height={300} />
            </div>
        }
    });

    html! {
        <div class="tab-schools">
            <div class="controls">
                <label>{ lang.pick("年份", "Year") }<select id="school-year" onchange={on_year}>{ for years }</select></label>
            </div>
            <ChartCanvas id="chart-heat-map" drawing={Drawing::Heat(heat.map.clone())} height={360} />
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
                <span class="count" id="school-count">{ format!("{} {}", order.len(), lang.pick("所学校（学段）", "school rows")) }</span>
            </div>
            <SchoolTable {run} {model} {t} {order} {query} {on_sort} selected={w.school} {on_select} {lang}
                window_width={w.window_width} />
        </div>
    }
}

#[derive(Properties, PartialEq)]
struct TableProps {
    run: Same<Trajectory>,
    /// For the thresholds a value is marked below.
    model: Same<Model>,
    /// The year's position in the run's years.
    t: Option<usize>,
    /// The rows listed, in order, as positions in `run.schools`.
    order: Rc<Vec<usize>>,
    /// What was asked for: a new query scrolls back to the top.
    query: Query,
    on_sort: Callback<SortKey>,
    selected: Option<usize>,
    on_select: Callback<usize>,
    lang: Lang,
    /// The window's width: the header may wrap anew, so it is measured again.
    window_width: u32,
}

/// The rows in view as (first row in view, rows the box holds).
#[derive(Debug, Clone, Copy, PartialEq)]
struct InView {
    top: usize,
    rows: usize,
}

/// Measures the scroll box: which row is at its top, how many it shows, and
/// the sticky header's height.
fn measure(scroller: &Element) -> (InView, i32) {
    let head = scroller.query_selector("thead").ok().flatten().and_then(|h| h.dyn_into::<HtmlElement>().ok());
    let head_px = head.map_or(0, |h| h.offset_height());
    let top = (scroller.scroll_top().max(0) / ROW_PX) as usize;
    let rows = match scroller.client_height() {
        // Not laid out (yet): no height to go by.
        0 => UNMEASURED_VIEW_ROWS,
        h => ((h - head_px).max(0) / ROW_PX) as usize + 1,
    };
    (InView { top, rows }, head_px)
}

/// Measures the box as [`measure`] does, and sets its `scroll-padding-top`
/// to the sticky header's height, so a row the browser scrolls into view
/// (Tab, focus) does not hide under the header. The header's height changes
/// with the language, the width and the sort arrow.
fn remeasure(scroller: &Element) -> InView {
    let (view, head_px) = measure(scroller);
    let _ = scroller.set_attribute("style", &format!("scroll-padding-top: {head_px}px"));
    view
}

/// The virtualised school table.
#[function_component(SchoolTable)]
fn school_table(p: &TableProps) -> Html {
    let lang = p.lang;
    let scroller = use_node_ref();
    let in_view = use_state_eq(|| InView { top: 0, rows: UNMEASURED_VIEW_ROWS });
    // A row the keyboard moved to before it was rendered: focused once it is.
    let pending_focus: Rc<RefCell<Option<usize>>> = use_mut_ref(|| None);
    let n = p.order.len();

    let onscroll = {
        let (scroller, in_view) = (scroller.clone(), in_view.clone());
        Callback::from(move |_: Event| {
            if let Some(el) = scroller.cast::<Element>() {
                in_view.set(measure(&el).0);
            }
        })
    };
    // A new query starts at the top of its list (and its sort arrow may
    // wrap the header anew).
    {
        let (scroller, in_view) = (scroller.clone(), in_view.clone());
        use_effect_with(p.query.clone(), move |_| {
            if let Some(el) = scroller.cast::<Element>() {
                el.set_scroll_top(0);
                in_view.set(remeasure(&el));
            }
        });
    }
    // The header wraps anew with the language and the width.
    {
        let (scroller, in_view) = (scroller.clone(), in_view.clone());
        use_effect_with((lang, p.window_width), move |_| {
            if let Some(el) = scroller.cast::<Element>() {
                in_view.set(remeasure(&el));
            }
        });
    }
    // Focus a row the keyboard asked for, once it is in the DOM.
    {
        let (scroller, pending_focus) = (scroller.clone(), pending_focus.clone());
        use_effect(move || {
            let want = *pending_focus.borrow();
            if let (Some(pos), Some(el)) = (want, scroller.cast::<Element>()) {
                if focus_row(&el, pos) {
                    pending_focus.borrow_mut().take();
                }
            }
        });
    }

    // A row that takes the focus (Tab, Shift+Tab, a click) brings its
    // neighbours in at once, in this event's render, rather than at the
    // scroll event a frame later: Tab pressed quickly then always finds the
    // next row there.
    let onfocusin = {
        let (scroller, in_view) = (scroller.clone(), in_view.clone());
        Callback::from(move |e: FocusEvent| {
            let (Some(pos), Some(el)) = (row_position(&e), scroller.cast::<Element>()) else { return };
            let mut view = measure(&el).0;
            if pos < view.top {
                view.top = pos;
            } else if pos >= view.top + view.rows {
                view.top = pos + 1 - view.rows;
            }
            in_view.set(view);
        })
    };
    let onkeydown = {
        let (scroller, in_view, pending_focus) = (scroller.clone(), in_view.clone(), pending_focus.clone());
        Callback::from(move |e: KeyboardEvent| {
            // Browser and screen-reader shortcuts keep their modifiers.
            if e.alt_key() || e.ctrl_key() || e.meta_key() || e.shift_key() {
                return;
            }
            let Some(pos) = row_position(&e) else { return };
            let page = in_view.rows.saturating_sub(2).max(1);
            let to = match e.key().as_str() {
                "ArrowDown" => pos + 1,
                "ArrowUp" => pos.saturating_sub(1),
                "PageDown" => pos + page,
                "PageUp" => pos.saturating_sub(page),
                "Home" => 0,
                "End" => n.saturating_sub(1),
                _ => return,
            }
            .min(n.saturating_sub(1));
            e.prevent_default();
            let Some(el) = scroller.cast::<Element>() else { return };
            // Rendered: focusing it scrolls it into view. Otherwise scroll
            // to it first, and focus it once the next render has it.
            if !focus_row(&el, to) {
                el.set_scroll_top(to as i32 * ROW_PX);
                pending_focus.replace(Some(to));
                in_view.set(measure(&el).0);
            }
        })
    };

    let header = |k: SortKey, label: &str| {
        let active = p.query.sort.0 == k;
        let up = p.query.sort.1;
        let aria = if active { if up { "ascending" } else { "descending" } } else { "none" };
        let on_sort = p.on_sort.clone();
        let onclick = Callback::from(move |_| on_sort.emit(k));
        html! {
            <th scope="col" aria-sort={aria}>
                <button type="button" class="sort" {onclick}>{ label }{ if active { if up { " ▲" } else { " ▼" } } else { "" } }</button>
            </th>
        }
    };

    let InView { top, rows } = *in_view;
    let top = top.min(n.saturating_sub(1));
    let start = top.saturating_sub(OVERSCAN);
    let end = (top + rows + OVERSCAN).min(n);
    let run = &p.run.0;
    let standards = &p.model.0.scenario.standards;
    let body = p.t.map(|t| {
        (start..end)
            .filter_map(|pos| {
                let k = p.order[pos];
                let s = run.schools.get(k)?;
                let y = s.years.get(t)?;
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
                let on_select = p.on_select.clone();
                let select = Callback::from(move |_| on_select.emit(k));
                Some(html! {
                    <tr key={k} class={classes!(if y.passes { "pass" } else { "fail" }, (p.selected == Some(k)).then_some("selected"))}
                        data-school={s.school_id.clone()} data-pos={pos.to_string()} aria-rowindex={(pos + 2).to_string()}>
                        // Names come from rosters: Yew sets them as text, never as markup.
                        <th scope="row" title={s.name.clone()}><button type="button" class="link" onclick={select}>{ &s.name }</button></th>
                        <td>{ level_label(s.level, lang) }</td>
                        <td class="num">{ format::whole(y.students) }</td>
                        <td class="num">{ format::whole(y.teachers) }</td>
                        { for cells }
                        <td class="verdict">{ if y.passes { lang.pick("✔ 达标", "✔ pass") } else { lang.pick("✘ 未达标", "✘ fail") } }</td>
                        <td>{ nq }</td>
                    </tr>
                })
            })
            .collect::<Vec<Html>>()
    });
    // The rows not rendered keep their height in two spacers, so the
    // scrollbar is the size of the whole list.
    let spacer = |key: &'static str, rows: usize| {
        (rows > 0).then(|| {
            html! {
                <tr key={key} class="spacer" aria-hidden="true" style={format!("height: {}px", rows as i32 * ROW_PX)}>
                    <td colspan={COLUMNS.to_string()}></td>
                </tr>
            }
        })
    };
    // One keyed list: spacers and rows alike, so a row keeps its DOM node
    // (and its focus) while it stays rendered.
    let mut children: Vec<Html> = Vec::with_capacity(end - start + 2);
    children.extend(spacer("above", start));
    children.extend(body.into_iter().flatten());
    children.extend(spacer("below", n.saturating_sub(end)));

    html! {
        <div class="table-scroll virtual" id="school-table-scroll" ref={scroller} {onscroll}>
            <table class="schools virtual" id="school-table" aria-rowcount={(n + 1).to_string()}>
                <caption class="visually-hidden">
                    { format!("{}（{n} {}）", lang.pick("学校指标表", "Schools and their indicators"), lang.pick("行；滚动时只显示视野内的行，方向键、Page Up/Down、Home、End 可逐行移动", "rows; only the rows in view are shown as it scrolls; arrow keys, Page Up/Down, Home and End move between rows")) }
                </caption>
                <colgroup>
                    <col class="col-name" /><col class="col-level" /><col class="col-count" /><col class="col-count" />
                    { for Indicator::ALL.iter().map(|_| html! { <col class="col-indicator" /> }) }
                    <col class="col-pass" /><col class="col-nq" />
                </colgroup>
                <thead><tr aria-rowindex="1">
                    { header(SortKey::Name, lang.pick("学校", "School")) }
                    <th scope="col">{ lang.pick("学段", "Level") }</th>
                    { header(SortKey::Students, lang.pick("学生", "Pupils")) }
                    { header(SortKey::Teachers, lang.pick("教师", "Teachers")) }
                    { for Indicator::ALL.iter().enumerate().map(|(k, &i)| header(SortKey::Indicator(k), indicator_label(i, lang))) }
                    { header(SortKey::Pass, lang.pick("达标", "Pass")) }
                    <th scope="col">{ lang.pick("新优质", "New-quality") }</th>
                </tr></thead>
                <tbody {onkeydown} {onfocusin}>{ for children }</tbody>
            </table>
        </div>
    }
}

/// The list position of the row an event happened in.
fn row_position(e: &Event) -> Option<usize> {
    e.target_dyn_into::<Element>()?
        .closest("tr[data-pos]")
        .ok()
        .flatten()?
        .get_attribute("data-pos")?
        .parse()
        .ok()
}

/// Focuses the school button of the row at list position `pos` if it is
/// rendered; false if it is not.
fn focus_row(scroller: &Element, pos: usize) -> bool {
    scroller
        .query_selector(&format!("tr[data-pos=\"{pos}\"] button"))
        .ok()
        .flatten()
        .and_then(|b| b.dyn_into::<HtmlElement>().ok())
        .is_some_and(|b| b.focus().is_ok())
}
