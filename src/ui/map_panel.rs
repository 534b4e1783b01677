//! The map tab: every school with coordinates as a point coloured by a
//! status the planner picks (the school test, new-quality status, teachers
//! short or surplus, seats), for the year picked, in the current scenario
//! or the baseline. Without coordinates in the roster it says what to add.

use std::rc::Rc;

use web_sys::HtmlSelectElement;
use yew::prelude::*;

use super::canvas::{ChartCanvas, Drawing};
use super::state::{use_workspace, Action};
use crate::chart::{has_locations, school_map, MapStatus};
use crate::engine::{Model, Trajectory};
use crate::i18n::Lang;

/// A model and its run, compared by identity (both are replaced, never
/// changed in place), so the memo below costs nothing to check.
#[derive(Clone)]
struct Shown(Rc<Model>, Rc<Trajectory>);

impl PartialEq for Shown {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0) && Rc::ptr_eq(&self.1, &other.1)
    }
}

#[function_component(MapPanel)]
pub fn map_panel() -> Html {
    let state = use_workspace();
    let w = &*state;
    let lang = w.lang;
    let status = use_state(|| MapStatus::Passes);
    let baseline = use_state(|| false);

    let shown = if *baseline { Shown(w.base.clone(), w.base_run.clone()) } else { Shown(w.current.clone(), w.run.clone()) };
    let map =
        use_memo((shown.clone(), w.year, *status, lang), |(s, year, status, lang)| Rc::new(school_map(&s.0, &s.1, *year, *status, *lang)));

    if !has_locations(&shown.0) {
        return html! {
            <div class="tab-map" id="map-missing">
                <p class="note">{ match lang {
                    Lang::Zh => html! { "当前花名册没有学校坐标，无法画地图。请在花名册中加上两列：经度、纬度（英文表头 longitude、latitude，度数，如 121.5、31.2），或本区坐标系的 X坐标、Y坐标（x、y）；九年一贯制学校两行填同一位置。然后通过“导入 → 花名册”重新导入。" },
                    // The Chinese headers a bureau's file may use are marked as Chinese.
                    Lang::En => html! { <>
                        { "The roster has no school coordinates, so there is no map. Add two columns to the roster: longitude and latitude (Chinese headers " }
                        <span lang="zh-CN">{ "经度, 纬度" }</span>
                        { "; degrees, e.g. 121.5 and 31.2), or x and y on the district's own grid (" }
                        <span lang="zh-CN">{ "X坐标, Y坐标" }</span>
                        { "); give both rows of a nine-year school the same place. Then import it again (Import → roster)." }
                    </> },
                } }</p>
            </div>
        };
    }

    let has_capacity = shown.0.roster.schools.iter().any(|s| s.capacity > 0.0);
    let statuses = MapStatus::ALL.into_iter().filter(|s| *s != MapStatus::SeatGap || has_capacity).map(|s| {
        html! { <option value={s.key()} selected={s == *status}>{ s.label(lang) }</option> }
    });
    let on_status = {
        let status = status.clone();
        Callback::from(move |e: Event| {
            if let Some(s) = MapStatus::from_key(&e.target_unchecked_into::<HtmlSelectElement>().value()) {
                status.set(s);
            }
        })
    };
    let on_run = {
        let baseline = baseline.clone();
        Callback::from(move |e: Event| baseline.set(e.target_unchecked_into::<HtmlSelectElement>().value() == "baseline"))
    };
    let years = w.run.years.iter().map(|&y| html! { <option value={y.to_string()} selected={y == w.year}>{ y }</option> });
    let on_year = {
        let state = state.clone();
        Callback::from(move |e: Event| {
            if let Ok(y) = e.target_unchecked_into::<HtmlSelectElement>().value().parse() {
                state.dispatch(Action::SelectYear(y));
            }
        })
    };
    let counts = map.counts();
    let rows = map.status.categories(lang).into_iter().zip(counts).enumerate().map(|(k, ((name, colour), n))| {
        let swatch = format!("background: rgb({}, {}, {})", colour.0, colour.1, colour.2);
        html! {
            <tr data-category={k.to_string()} data-count={n.to_string()}>
                <th scope="row"><span class="swatch" style={swatch}></span>{ name }</th>
                <td class="num">{ n }</td>
            </tr>
        }
    });

    html! {
        <div class="tab-map">
            <div class="controls">
                <label>{ lang.pick("年份", "Year") }<select id="map-year" onchange={on_year}>{ for years }</select></label>
                <label>{ lang.pick("着色", "Colour by") }<select id="map-status" onchange={on_status}>{ for statuses }</select></label>
                <label>{ lang.pick("方案", "Scenario") }
                    <select id="map-run" onchange={on_run}>
                        <option value="current" selected={!*baseline}>{ lang.pick("当前方案", "Current") }</option>
                        <option value="baseline" selected={*baseline}>{ lang.pick("基线", "Baseline") }</option>
                    </select>
                </label>
            </div>
            <ChartCanvas id="chart-map" drawing={Drawing::Map((*map).clone())} height={520} />
            <table class="map-counts" id="map-counts" data-status={map.status.key()} data-year={map.year.to_string()}>
                <caption>{ lang.pick("各类学校数", "Schools in each category") }</caption>
                <tbody>{ for rows }</tbody>
            </table>
            if map.unplaced > 0 {
                <p class="note" id="map-unplaced">{ lang.pick(
                    format!("另有 {} 所学校没有坐标，未画出。", map.unplaced),
                    format!("{} more schools have no coordinates and are not drawn.", map.unplaced),
                ) }</p>
            }
        </div>
    }
}
