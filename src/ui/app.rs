use plotters::prelude::IntoDrawingArea;
use plotters_canvas::CanvasBackend;
use web_sys::{HtmlCanvasElement, HtmlInputElement};
use yew::prelude::*;

use crate::chart::{draw_new_quality_trajectory, NewQualityChart};
use crate::plan::{pudong_new_quality_schools, GrowthPlan};

/// Allowed range of the yearly-gain lever, in schools per year.
const GAIN_MIN: f64 = 0.0;
const GAIN_MAX: f64 = 40.0;

#[function_component(App)]
pub fn app() -> Html {
    let plan = use_memo((), |_| pudong_new_quality_schools());
    let gain = use_state(|| plan.required_yearly_gain());
    let canvas = use_node_ref();

    {
        let canvas = canvas.clone();
        let plan = plan.clone();
        use_effect_with(*gain, move |&gain| {
            if let Some(canvas) = canvas.cast::<HtmlCanvasElement>() {
                redraw(&canvas, &plan, gain);
            }
        });
    }

    let on_input = {
        let gain = gain.clone();
        Callback::from(move |e: InputEvent| {
            let input: HtmlInputElement = e.target_unchecked_into();
            // An empty or out-of-range number leaves the chart as it is; the
            // input itself shows the allowed range.
            if let Ok(v) = input.value().parse::<f64>() {
                if (GAIN_MIN..=GAIN_MAX).contains(&v) {
                    gain.set(v);
                }
            }
        })
    };

    let required = plan.required_yearly_gain();
    let verdict: Vec<Html> = plan
        .milestones
        .iter()
        .map(|m| {
            let (projected, met) = plan.verdict(*gain, m);
            html! {
                <li class={if met { "met" } else { "missed" }} title={m.source.to_string()}>
                    { format!("{} 年：目标 {:.0} 所，推算 {:.0} 所 — {}", m.year, m.value, projected, if met { "达成" } else { "未达成" }) }
                </li>
            }
        })
        .collect();

    html! {
        <main class="workspace">
            <header>
                <h1>{ "优均 · 义务教育资源规划模拟器" }</h1>
                <p class="subtitle">{ "浦东新区新优质学校倍增计划：区级新优质项目校 58 → 80 → 100 → 120 所" }</p>
            </header>
            <section class="lever" aria-labelledby="gain-label">
                <label id="gain-label" for="gain-slider">{ "每年新增区级新优质项目校（所/年）" }</label>
                <div class="lever-row">
                    <input id="gain-slider" type="range" min={GAIN_MIN.to_string()} max={GAIN_MAX.to_string()} step="1"
                        value={gain.to_string()} oninput={on_input.clone()} aria-describedby="gain-help" />
                    <input id="gain-number" type="number" min={GAIN_MIN.to_string()} max={GAIN_MAX.to_string()} step="1"
                        value={gain.to_string()} oninput={on_input} aria-label="每年新增学校数" />
                    <span class="unit">{ "所/年" }</span>
                </div>
                <p id="gain-help" class="help">
                    { format!("按期实现全部目标至少需每年新增 {:.0} 所。目标来源：{}。", required, plan.start_source.document) }
                </p>
            </section>
            <figure class="chart">
                <canvas id="new-quality-chart" ref={canvas} width="900" height="520"
                    role="img" aria-label="浦东新区区级新优质项目校数量：规划目标与推算" />
                <figcaption><ul class="verdicts">{ for verdict }</ul></figcaption>
            </figure>
        </main>
    }
}

fn redraw(canvas: &HtmlCanvasElement, plan: &GrowthPlan, gain: f64) {
    let Some(backend) = CanvasBackend::with_canvas_object(canvas.clone()) else {
        gloo::console::error!("canvas 2d context unavailable");
        return;
    };
    let area = backend.into_drawing_area();
    let chart = NewQualityChart { plan, yearly_gain: gain, last_year: 2028 };
    if let Err(e) = draw_new_quality_trajectory(&area, &chart) {
        gloo::console::error!(e.to_string());
    }
}
