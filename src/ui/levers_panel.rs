//! The lever panels: one collapsible panel per [`Group`], each lever a slider
//! paired with a number box, its unit, range and source, and a reset to the
//! baseline; yearly trajectories as small tables.

use web_sys::HtmlInputElement;
use yew::prelude::*;

use super::state::{use_workspace, Action, Control, Workspace};
use crate::format;
use crate::i18n::Lang;
use crate::levers::{Group, Lever, Unit, YearlyLever, LEVERS, YEARLY_LEVERS};
use crate::message::{Error, ErrorKind, Problem, Text};
use crate::params::Sourced;
use crate::scenario::Scenario;

/// How a unit is shown: the factor from the stored value and the label.
/// Shares show as percentages; money series in 万元 so the numbers stay short.
pub fn display(unit: Unit, yearly: bool, lang: Lang) -> (f64, &'static str) {
    match unit {
        Unit::Yuan if yearly => (1e-4, lang.pick("万元", "×10,000 yuan")),
        _ => (unit.display_scale(), lang.pick(unit.zh(), unit.en())),
    }
}

/// A DOM id for a lever: its path with dots replaced, so CSS selectors work.
pub fn dom_id(id: &str) -> String {
    format!("lever-{}", id.replace('.', "-"))
}

fn source_text(p_source: &str, assumption: bool, lang: Lang) -> String {
    let tag = if assumption { lang.pick("（估计）", " (estimate)") } else { "" };
    format!("{}{p_source}{tag}", lang.pick("来源：", "Source: "))
}

/// Every lever panel of the workspace in context.
#[function_component(LeverPanels)]
pub fn lever_panels() -> Html {
    let state = use_workspace();
    let w = &*state;
    let lang = w.lang;
    let groups = Group::ALL.iter().enumerate().map(|(k, &g)| {
        let levers = LEVERS.iter().filter(|l| l.group == g && l.get(&w.current.scenario).is_some());
        let yearly = YEARLY_LEVERS.iter().filter(|l| l.group == g);
        let changed = LEVERS.iter().filter(|l| l.group == g).any(|l| lever_changed(l, &w.base.scenario, &w.current.scenario))
            || YEARLY_LEVERS.iter().filter(|l| l.group == g).any(|l| l.row_values(&w.base.scenario) != l.row_values(&w.current.scenario));
        let reset = {
            let state = state.clone();
            Callback::from(move |_| state.dispatch(Action::ResetGroup(g)))
        };
        let group_key = format!("group-{}", k);
        html! {
            <details class="group" open={k == 0} data-group={g.key()}>
                <summary>
                    <span class="group-name">{ lang.pick(g.zh(), g.en()) }</span>
                    if changed { <span class="changed-dot" title={lang.pick("已修改", "changed")}>{ "●" }</span> }
                </summary>
                <button type="button" class="reset-group" id={group_key} disabled={!changed} onclick={reset}>
                    { lang.pick("本组恢复基线", "Reset this group") }
                </button>
                { for levers.map(|l| lever_control_of(l, w, state.dispatcher())) }
                { for yearly.map(|l| yearly_table_of(l, w, state.dispatcher())) }
            </details>
        }
    });
    html! { <div class="lever-panels">{ for groups }</div> }
}

fn lever_changed(l: &Lever, base: &Scenario, cur: &Scenario) -> bool {
    match (l.get(base), l.get(cur)) {
        (Some(a), Some(b)) => a.value.to_bits() != b.value.to_bits(),
        _ => false,
    }
}

/// What one lever control shows, taken from the workspace by the panels
/// (the one context reader): a control is not a context consumer, so a
/// slider step re-renders only the controls whose props changed, not all
/// sixty (they were 5–16% of a step).
#[derive(Properties, PartialEq)]
pub struct LeverProps {
    /// The lever's id (its path in the scenario, e.g. `teachers.rotation_share`).
    pub lever: &'static str,
    /// The edited scenario's value and the baseline's, in stored units
    /// (the baseline's NaN when it has none).
    pub value: f64,
    pub base: f64,
    /// The source line, in `lang`.
    pub source: AttrValue,
    pub lang: Lang,
    /// Why the lever refused the last edit, if it did.
    pub error: Option<AttrValue>,
    pub dispatch: UseReducerDispatcher<Workspace>,
}

/// The control of lever `l` for workspace `w`, or nothing when `w`'s
/// scenario lacks the lever.
fn lever_control_of(l: &'static Lever, w: &Workspace, dispatch: UseReducerDispatcher<Workspace>) -> Html {
    let lang = w.lang;
    let Some(p): Option<&Sourced<f64>> = l.get(&w.current.scenario) else { return html! {} };
    let base = l.get(&w.base.scenario).map_or(f64::NAN, |b| b.value);
    let source = source_text(lang.pick(&p.source, p.english_source().unwrap_or(&p.source)), p.assumption, lang);
    let error = refusal(w.error.as_ref(), l.id, lang).map(AttrValue::from);
    html! { <LeverControl key={l.id} lever={l.id} value={p.value} {base} source={AttrValue::from(source)} {lang} {error} {dispatch} /> }
}

/// One lever: slider, number box, unit, range, source and reset.
#[function_component(LeverControl)]
pub fn lever_control(props: &LeverProps) -> Html {
    let lang = props.lang;
    let Some(l) = crate::levers::lever(props.lever) else { return html! {} };
    let (k, unit) = display(l.unit, false, lang);
    let id = dom_id(l.id);
    let changed = props.value.to_bits() != props.base.to_bits() && !props.base.is_nan();
    let base_value = props.base * k;
    let step = l.step * k;
    let value = format::stepped(props.value * k, step);
    let name = lang.pick(l.zh, l.en);

    let commit = {
        let state = props.dispatch.clone();
        let lever_id = l.id;
        let name = Text::new(l.zh, l.en);
        // `edit` says where the value came from: `Action::Slide` (a step of
        // a dragged slider), `Action::SlideEnd` (the slider let go) or
        // `Action::SetLever` (a typed number).
        move |text: String, edit: fn(&'static str, f64) -> Action| {
            match text.trim().parse::<f64>() {
                Ok(v) if v.is_finite() => state.dispatch(edit(lever_id, v / k)),
                _ => state.dispatch(Action::Refused(
                    Control::Lever(lever_id),
                    not_a_number(&name, &text),
                )),
            }
        }
    };
    let on_slide = {
        let commit = commit.clone();
        Callback::from(move |e: InputEvent| commit(e.target_unchecked_into::<HtmlInputElement>().value(), Action::Slide))
    };
    let on_let_go = {
        let commit = commit.clone();
        Callback::from(move |e: Event| commit(e.target_unchecked_into::<HtmlInputElement>().value(), Action::SlideEnd))
    };
    let on_number = Callback::from(move |e: Event| commit(e.target_unchecked_into::<HtmlInputElement>().value(), Action::SetLever));
    let reset = {
        let state = props.dispatch.clone();
        let lever_id = l.id;
        Callback::from(move |_| state.dispatch(Action::ResetLever(lever_id)))
    };
    let error = props.error.clone();
    let src_id = format!("{id}-source");
    let range_text = format!("{}–{} {unit}", format::stepped(l.min * k, step), format::stepped(l.max * k, step));
    let source = props.source.clone();
    html! {
        <div class={classes!("lever", changed.then_some("changed"))} data-lever={l.id} title={source.clone()}>
            <label for={id.clone()}>{ name }</label>
            <div class="lever-row">
                <input type="range" id={format!("{id}-range")} min={format::stepped(l.min * k, step)} max={format::stepped(l.max * k, step)}
                    step={step.to_string()} value={value.clone()} oninput={on_slide} onchange={on_let_go}
                    aria-label={format!("{name} ({unit})")} aria-describedby={src_id.clone()} />
                <input type="number" id={id.clone()} min={format::stepped(l.min * k, step)} max={format::stepped(l.max * k, step)}
                    step={step.to_string()} value={value} onchange={on_number} aria-describedby={src_id.clone()}
                    aria-invalid={error.is_some().then_some("true")} />
                <span class="unit">{ unit }</span>
                <button type="button" class="reset" disabled={!changed} onclick={reset}
                    aria-label={format!("{}: {name}", lang.pick("恢复基线值", "Reset to baseline"))}
                    title={format!("{} {}", lang.pick("基线值", "Baseline"), format::stepped(base_value, step))}>{ "↺" }</button>
            </div>
            <p class="source" id={src_id}>{ format!("{} {range_text} · {source}", lang.pick("范围", "Range")) }</p>
            if let Some(m) = error { <p class="lever-error" role="alert">{ m }</p> }
        </div>
    }
}

/// What one yearly table shows (see [`LeverProps`]).
#[derive(Properties, PartialEq)]
pub struct YearlyProps {
    pub lever: &'static str,
    /// Each row's year and value, in the edited scenario and the baseline.
    pub rows: Vec<(i32, f64)>,
    pub base_rows: Vec<(i32, f64)>,
    pub source: AttrValue,
    pub lang: Lang,
    pub error: Option<AttrValue>,
    pub dispatch: UseReducerDispatcher<Workspace>,
}

/// The table of yearly lever `l` for workspace `w`.
fn yearly_table_of(l: &'static YearlyLever, w: &Workspace, dispatch: UseReducerDispatcher<Workspace>) -> Html {
    let lang = w.lang;
    let y = l.get(&w.current.scenario);
    let source = source_text(lang.pick(&y.source, y.english_source().unwrap_or(&y.source)), y.assumption, lang);
    let error = refusal(w.error.as_ref(), l.id, lang).map(AttrValue::from);
    html! {
        <YearlyTable key={l.id} lever={l.id} rows={l.row_values(&w.current.scenario)} base_rows={l.row_values(&w.base.scenario)}
            source={AttrValue::from(source)} {lang} {error} {dispatch} />
    }
}

/// One yearly lever as a small table of values by year, with a reset.
#[function_component(YearlyTable)]
pub fn yearly_table(props: &YearlyProps) -> Html {
    let lang = props.lang;
    let Some(l): Option<&YearlyLever> = crate::levers::yearly_lever(props.lever) else { return html! {} };
    let (k, unit) = display(l.unit, true, lang);
    let id = dom_id(l.id);
    let (rows, base_rows) = (&props.rows, &props.base_rows);
    let changed = base_rows != rows;
    let name = lang.pick(l.zh, l.en);
    let source = props.source.clone();
    let step = l.step * k;
    let error = props.error.clone();
    let reset = {
        let state = props.dispatch.clone();
        let lever_id = l.id;
        Callback::from(move |_| state.dispatch(Action::ResetLever(lever_id)))
    };
    let body = rows.iter().zip(base_rows).map(|(&(year, v), &(_, b))| {
        let state = props.dispatch.clone();
        let lever_id = l.id;
        let label = Text::new(format!("{} {year}", l.zh), format!("{} {year}", l.en));
        let on_change = Callback::from(move |e: Event| {
            let text = e.target_unchecked_into::<HtmlInputElement>().value();
            match text.trim().parse::<f64>() {
                Ok(v) if v.is_finite() => state.dispatch(Action::SetYearly(lever_id, year, v / k)),
                _ => state.dispatch(Action::Refused(
                    Control::Lever(lever_id),
                    not_a_number(&label, &text),
                )),
            }
        });
        html! {
            <tr class={classes!((v.to_bits() != b.to_bits()).then_some("changed"))}>
                <th scope="row">{ year }</th>
                <td><input type="number" id={format!("{id}-{year}")} data-year={year.to_string()} step={step.to_string()}
                    min={format::stepped(l.min * k, step)} max={format::stepped(l.max * k, step)} value={format::stepped(v * k, step)}
                    aria-label={format!("{name} {year} ({unit})")} onchange={on_change} /></td>
                <td class="base">{ format::stepped(b * k, step) }</td>
            </tr>
        }
    });
    html! {
        <div class={classes!("lever", "yearly", changed.then_some("changed"))} data-lever={l.id} title={source.clone()}>
            <div class="yearly-head">
                <span class="yearly-name" id={format!("{id}-name")}>{ format!("{name} ({unit})") }</span>
                <button type="button" class="reset" disabled={!changed} onclick={reset}
                    aria-label={format!("{}: {name}", lang.pick("恢复基线值", "Reset to baseline"))}>{ "↺" }</button>
            </div>
            <table class="yearly-table" aria-labelledby={format!("{id}-name")}>
                <thead><tr>
                    <th scope="col">{ lang.pick("年份", "Year") }</th>
                    <th scope="col">{ lang.pick("取值", "Value") }</th>
                    <th scope="col">{ lang.pick("基线", "Baseline") }</th>
                </tr></thead>
                <tbody>{ for body }</tbody>
            </table>
            <p class="source">{ source }</p>
            if let Some(m) = error { <p class="lever-error" role="alert">{ m }</p> }
        </div>
    }
}

/// Why the lever `id` refused the last edit, in `lang`, if it did.
fn refusal(error: Option<&super::state::Refusal>, id: &'static str, lang: Lang) -> Option<String> {
    error.filter(|r| r.control == Control::Lever(id)).map(|r| r.error.message(lang))
}

/// A lever's box holding something that is not a number.
fn not_a_number(name: &Text, typed: &str) -> Error {
    let message = name.map(|lang, name| format!("{name}{}", lang.pick("：请输入数字", ": enter a number")));
    Error::new(ErrorKind::ScenarioInvalid, Problem::whole(message).found(typed))
}
