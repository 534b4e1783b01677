//! The comparison tab: the pinned scenarios, what each changed from the
//! baseline, and their 2026 and 2028 outcomes side by side.

use yew::prelude::*;

use super::levers_panel::display;
use super::state::{use_workspace, Action};
use crate::chart::{is_share_series, series_label};
use crate::engine::{MonteCarlo, Trajectory};
use crate::format;
use crate::i18n::Lang;
use crate::levers;
use crate::scenario::Scenario;

/// The outcomes every comparison shows, besides the scenario's own targets.
const KEY_SERIES: &[&str] = &[
    "new_quality_schools",
    "pass_share_primary",
    "pass_share_junior",
    "cv_max_primary",
    "cv_max_junior",
    "students_total",
    "surplus_teachers",
    "shortage_teachers",
    "spend_total_yuan",
    "budget_gap_yuan",
];

/// The years the difference table compares.
const YEARS: [i32; 2] = [2026, 2028];

/// One column of the table.
struct Column<'a> {
    name: String,
    run: &'a Trajectory,
    mc: Option<&'a MonteCarlo>,
}

/// The levers `edited` changes from `base`, as "name: value unit" lines.
pub fn changes_text(base: &Scenario, edited: &Scenario, lang: Lang) -> Vec<String> {
    let mut out: Vec<String> = levers::changed(base, edited)
        .into_iter()
        .filter_map(|(id, v)| {
            let l = levers::lever(id)?;
            let (k, unit) = display(l.unit, false, lang);
            let was = l.get(base).map(|p| p.value * k).unwrap_or(f64::NAN);
            Some(format!("{}: {} → {} {unit}", lang.pick(l.zh, l.en), format::plain(was), format::plain(v * k)))
        })
        .collect();
    for (id, rows) in levers::yearly_changed(base, edited) {
        let Some(l) = levers::yearly_lever(id) else { continue };
        let (k, unit) = display(l.unit, true, lang);
        let base_rows = l.row_values(base);
        let years: Vec<String> = rows
            .iter()
            .zip(&base_rows)
            .filter(|(a, b)| a.1.to_bits() != b.1.to_bits())
            .map(|(a, b)| format!("{} {}→{}", a.0, format::plain(b.1 * k), format::plain(a.1 * k)))
            .collect();
        out.push(format!("{} ({unit}): {}", lang.pick(l.zh, l.en), years.join(", ")));
    }
    out
}

/// The comparison tab of the workspace in context: the pins, their changes
/// and the difference table.
#[function_component(ComparePanel)]
pub fn compare_panel() -> Html {
    let state = use_workspace();
    let w = &*state;
    let lang = w.lang;
    let mut columns = vec![
        Column { name: lang.pick("基线", "Baseline").into(), run: &w.base_run, mc: w.base_mc.as_deref() },
        Column { name: lang.pick("当前方案", "Current").into(), run: &w.run, mc: w.mc().map(|m| &**m) },
    ];
    for p in &w.pinned {
        columns.push(Column { name: p.name.clone(), run: &p.run, mc: p.mc.as_deref() });
    }

    let pins = w.pinned.iter().enumerate().map(|(k, p)| {
        let state = state.clone();
        let unpin = Callback::from(move |_| state.dispatch(Action::Unpin(k)));
        let changes = changes_text(&w.base.scenario, &p.scenario, lang);
        html! {
            <li class="pinned" data-pin={k.to_string()}>
                <strong>{ &p.name }</strong>
                <button type="button" class="unpin" onclick={unpin} aria-label={format!("{} {}", lang.pick("取消固定", "Unpin"), p.name)}>
                    { lang.pick("取消固定", "Unpin") }</button>
                if changes.is_empty() { <p class="note">{ lang.pick("与基线相同", "Same as the baseline") }</p> }
                else { <ul class="changes">{ for changes.iter().map(|c| html! { <li>{ c }</li> }) }</ul> }
            </li>
        }
    });
    let current_changes = changes_text(&w.base.scenario, &w.current.scenario, lang);

    let head = columns.iter().map(|c| html! { <th scope="col" colspan="2">{ &c.name }</th> });
    let sub = columns.iter().flat_map(|_| YEARS.iter().map(|y| html! { <th scope="col">{ y }</th> }));
    let series_rows = KEY_SERIES.iter().map(|key| {
        let percent = is_share_series(key);
        let cells = columns.iter().flat_map(|c| {
            YEARS.iter().map(move |&y| {
                let v = c.run.value(key, y).unwrap_or(f64::NAN);
                html! { <td class="num" data-year={y.to_string()} data-value={v.to_string()}>{ format::value(v, percent, lang) }</td> }
            })
        });
        html! { <tr data-key={*key}><th scope="row">{ series_label(key, lang) }</th>{ for cells }</tr> }
    });
    // Each target once, in its own year's column; the other year is blank.
    let target_rows = w.current.scenario.targets.iter().enumerate().filter(|(_, t)| YEARS.contains(&t.year)).map(|(j, t)| {
        let percent = is_share_series(&t.series);
        let cells = columns.iter().flat_map(|c| {
            YEARS.iter().map(move |&y| {
                if y != t.year {
                    return html! { <td></td> };
                }
                let o = &c.run.targets[j];
                let p = c.mc.and_then(|m| m.target_probability.get(j)).map(|p| format!(" · P={}", format::probability(*p))).unwrap_or_default();
                html! {
                    <td class={classes!("num", if o.met { "met" } else { "missed" })} data-year={y.to_string()} data-value={o.value.to_string()}>
                        { format!("{}{}{p}", if o.met { "✔ " } else { "✘ " }, format::value(o.value, percent, lang)) }
                    </td>
                }
            })
        });
        html! { <tr data-target={t.id.clone()}><th scope="row" title={t.source_in(lang).to_owned()}>{ t.label_in(lang) }</th>{ for cells }</tr> }
    });

    html! {
        <div class="tab-compare">
            <section class="pins">
                <h2>{ lang.pick("已固定的方案", "Pinned scenarios") }</h2>
                if w.pinned.is_empty() {
                    <p class="note">{ lang.pick("尚未固定方案。调整杠杆后点击“固定当前方案”，最多可固定 4 个；切换情景会清空已固定的方案。",
                        "Nothing pinned yet. Adjust levers, then press “Pin this scenario” (up to 4); switching scenario clears the pins.") }</p>
                } else { <ol id="pinned-list">{ for pins }</ol> }
                <h3>{ lang.pick("当前方案相对基线的调整", "Current scenario's changes from the baseline") }</h3>
                if current_changes.is_empty() { <p class="note">{ lang.pick("无（即基线）", "None (this is the baseline)") }</p> }
                else { <ul class="changes" id="current-changes">{ for current_changes.iter().map(|c| html! { <li>{ c }</li> }) }</ul> }
            </section>
            <div class="table-scroll">
                <table class="difference" id="difference-table">
                    <caption>{ lang.pick("2026 年与 2028 年结果对比（✔/✘ 为中心情景是否达成目标，P 为达成概率）",
                        "2026 and 2028 outcomes (✔/✘: the central run meets the target; P: probability)") }</caption>
                    <thead>
                        <tr><th scope="col" rowspan="2">{ lang.pick("结果", "Outcome") }</th>{ for head }</tr>
                        <tr>{ for sub }</tr>
                    </thead>
                    <tbody>{ for series_rows }{ for target_rows }</tbody>
                </table>
            </div>
        </div>
    }
}
