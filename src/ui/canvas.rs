//! A chart on a `<canvas>`: the same chart functions that write the exported
//! SVG draw here through plotters-canvas. Each chart carries its numbers as a
//! table too, for screen readers and for anyone who wants the figures.

use std::rc::Rc;

use plotters::prelude::IntoDrawingArea;
use web_sys::HtmlCanvasElement;
use yew::prelude::*;

use super::measured_canvas::MeasuredCanvas;
use crate::chart::heat_map::{draw_heat_map, HeatMap};
use crate::chart::{draw_series_chart, SeriesChart};
use crate::i18n::Lang;

/// What a canvas draws.
#[derive(Clone)]
pub enum Drawing {
    Series(Rc<SeriesChart>),
    Heat(Rc<HeatMap>),
}

#[derive(Properties, Clone)]
pub struct ChartProps {
    /// DOM id of the canvas.
    pub id: AttrValue,
    pub drawing: Drawing,
    /// The workspace's chart version: the canvas redraws when it moves.
    pub version: u64,
    /// Height in CSS pixels; the width follows the layout.
    #[prop_or(300)]
    pub height: u32,
    pub lang: Lang,
    /// The workspace's layout epoch (bumped on window resize): the canvas
    /// measures its width again only when it moves.
    pub layout: u32,
}

impl PartialEq for ChartProps {
    fn eq(&self, other: &Self) -> bool {
        self.id == other.id
            && self.version == other.version
            && self.height == other.height
            && self.lang == other.lang
            && self.layout == other.layout
    }
}

fn title(d: &Drawing) -> String {
    match d {
        Drawing::Series(c) => c.title.clone(),
        Drawing::Heat(h) => h.title.clone(),
    }
}

/// Draws onto the canvas at its laid-out width, one canvas pixel per CSS
/// pixel so the chart's font sizes are the sizes a reader sees. The width is
/// measured only when `measure` is set: reading it forces a layout of the
/// whole page, which a slider step should not pay for.
fn draw(canvas: &HtmlCanvasElement, drawing: &Drawing, height: u32, version: u64, measure: bool) {
    if measure {
        let width = canvas.client_width().max(320) as u32;
        if canvas.width() != width {
            canvas.set_width(width);
        }
    }
    if canvas.height() != height {
        canvas.set_height(height);
    }
    let Some(backend) = MeasuredCanvas::new(canvas.clone()) else {
        gloo::console::error!("canvas 2d context unavailable");
        return;
    };
    let area = backend.into_drawing_area();
    let result = match drawing {
        Drawing::Series(c) => draw_series_chart(&area, c),
        Drawing::Heat(h) => draw_heat_map(&area, h),
    };
    if let Err(e) = result {
        gloo::console::error!(e.to_string());
    }
    // Tests and the benchmark wait for this to know the picture is current.
    let _ = canvas.set_attribute("data-drawn", &version.to_string());
}

/// The drawing as an SVG document of the given size: the same chart
/// function as on screen, so the file matches the picture.
pub fn svg_of(drawing: &Drawing, size: (u32, u32)) -> Result<String, String> {
    crate::chart::to_svg_string(size, |area| match drawing {
        Drawing::Series(c) => draw_series_chart(area, c),
        Drawing::Heat(h) => draw_heat_map(area, h),
    })
    .map_err(|e| e.to_string())
}

/// SVG and PNG downloads of a chart, at the size it is shown.
fn export_buttons(id: &AttrValue, drawing: &Drawing, canvas: &NodeRef, lang: Lang) -> Html {
    let svg = {
        let (id, drawing, canvas) = (id.clone(), drawing.clone(), canvas.clone());
        Callback::from(move |_: MouseEvent| {
            let size = canvas
                .cast::<HtmlCanvasElement>()
                .map_or((900, 320), |c| (c.width(), c.height()));
            match svg_of(&drawing, size) {
                Ok(text) => super::files::download(
                    text.as_bytes(),
                    &format!("youjun-{id}.svg"),
                    super::files::SVG,
                ),
                Err(e) => gloo::console::error!(format!("svg: {e}")),
            }
        })
    };
    let png = {
        let (id, canvas) = (id.clone(), canvas.clone());
        Callback::from(move |_: MouseEvent| {
            if let Some(url) = canvas
                .cast::<HtmlCanvasElement>()
                .and_then(|c| c.to_data_url_with_type("image/png").ok())
            {
                super::files::download_url(&url, &format!("youjun-{id}.png"));
            }
        })
    };
    html! {
        <span class="chart-export">
            <button type="button" class="export-svg" onclick={svg} title={lang.pick("下载 SVG 矢量图", "Download as SVG")}>{ "SVG" }</button>
            <button type="button" class="export-png" onclick={png} title={lang.pick("下载 PNG 图片", "Download as PNG")}>{ "PNG" }</button>
        </span>
    }
}

#[function_component(ChartCanvas)]
pub fn chart_canvas(props: &ChartProps) -> Html {
    let canvas = use_node_ref();
    let measured_at = use_mut_ref(|| None::<(u32, AttrValue)>);
    {
        let canvas = canvas.clone();
        let drawing = props.drawing.clone();
        let (height, layout) = (props.height, props.layout);
        use_effect_with(
            (props.version, props.id.clone(), props.lang),
            move |(version, id, _)| {
                if let Some(c) = canvas.cast::<HtmlCanvasElement>() {
                    // Yew may hand this canvas to another chart when the tab
                    // changes, so a new id measures again too.
                    let now = Some((layout, id.clone()));
                    let measure = measured_at.replace(now.clone()) != now;
                    draw(&c, &drawing, height, *version, measure);
                }
            },
        );
    }
    let label = title(&props.drawing);
    html! {
        <figure class="chart">
            <canvas id={props.id.clone()} ref={canvas.clone()} height={props.height.to_string()} role="img" aria-label={label} />
            { export_buttons(&props.id, &props.drawing, &canvas, props.lang) }
            if let Drawing::Series(c) = &props.drawing { { data_table(c, &props.id, props.lang) } }
        </figure>
    }
}

/// Formats a chart value the way its axis does: shares as percentages,
/// large numbers in 万 / 亿, small ones with two or three decimals.
pub fn format_value(v: f64, percent: bool, lang: Lang) -> String {
    if !v.is_finite() {
        return "—".into();
    }
    if percent {
        return format!("{:.1}%", v * 100.0);
    }
    let a = v.abs();
    // (from this size, divide by, unit, decimals): 万 from 100,000 so four-digit
    // counts stay whole; k from 100,000 for the same reason in English.
    let big = lang.pick::<&[(f64, f64, &str, usize)]>(
        &[(1e8, 1e8, "亿", 2), (1e5, 1e4, "万", 1)],
        &[(1e9, 1e9, "bn", 2), (1e6, 1e6, "M", 2), (1e5, 1e3, "k", 0)],
    );
    if let Some((_, div, unit, decimals)) = big.iter().find(|(from, _, _, _)| a >= *from) {
        format!("{:.*}{unit}", decimals, v / div)
    } else if a >= 100.0 || v.fract() == 0.0 {
        format!("{:.0}", v)
    } else if a >= 1.0 {
        format!("{:.2}", v)
    } else {
        format!("{:.3}", v)
    }
}

/// The chart's numbers as a table: one row per line (with its P10–P90 band
/// when there is one), then one per overlaid scenario line.
fn data_table(c: &SeriesChart, id: &str, lang: Lang) -> Html {
    let head = c.years.iter().map(|y| html! { <th scope="col">{ y }</th> });
    let cells = |values: &[f64]| {
        values
            .iter()
            .zip(&c.years)
            .map(|(v, y)| html! { <td data-year={y.to_string()} data-value={v.to_string()}>{ format_value(*v, c.percent, lang) }</td> })
            .collect::<Html>()
    };
    let rows = c.lines.iter().map(|l| {
        let band = l.band.as_ref().map(|(lo, hi)| {
            let text: Vec<String> =
                lo.iter().zip(hi).map(|(a, b)| format!("{}–{}", format_value(*a, c.percent, lang), format_value(*b, c.percent, lang))).collect();
            html! {
                <tr class="band" data-label={format!("{} P10–P90", l.label)}>
                    <th scope="row">{ format!("{} P10–P90", l.label) }</th>
                    { for text.into_iter().map(|t| html! { <td>{ t }</td> }) }
                </tr>
            }
        });
        html! {
            <>
                <tr data-label={l.label.clone()}><th scope="row">{ &l.label }</th>{ cells(&l.values) }</tr>
                { for band }
            </>
        }
    });
    let overlays = c.overlays.iter().flat_map(|o| {
        o.lines.iter().enumerate().map(move |(k, values)| {
            let label = format!("{} #{}", o.label, k + 1);
            html! { <tr class="overlay" data-label={label.clone()}><th scope="row">{ label }</th>{ cells(values) }</tr> }
        })
    });
    html! {
        <details class="data-table">
            <summary>{ lang.pick("数据表", "Data table") }</summary>
            <table data-chart={id.to_owned()}>
                <thead><tr><th scope="col">{ lang.pick("序列", "Series") }</th>{ for head }</tr></thead>
                <tbody>{ for rows }{ for overlays }</tbody>
            </table>
        </details>
    }
}
