//! A chart on a `<canvas>`: the same chart functions that write the exported
//! SVG draw here through plotters-canvas. Each chart carries its numbers as a
//! table too, for screen readers and for anyone who wants the figures.

use std::rc::Rc;

use plotters::prelude::IntoDrawingArea;
use web_sys::HtmlCanvasElement;
use yew::prelude::*;

use super::measured_canvas::{MeasuredCanvas, PageBackend};
use super::state::use_workspace;
use crate::chart::heat_map::{draw_heat_map, heat_colour, HeatMap, HeatRow};
use crate::chart::{Line, Marker, Overlay, Reference};
use crate::chart::{draw_series_chart, SeriesChart};
use crate::chart::{draw_school_map, SchoolMap};
use crate::chart::{draw_seat_chart, SeatChart};
use crate::chart::{draw_tornado, draw_waterfall, TornadoChart, WaterfallChart};
use crate::format;
use crate::i18n::Lang;

/// What a canvas draws. Two drawings are equal when they would draw the same
/// picture: the canvas redraws exactly when its drawing changes.
#[derive(Clone)]
pub enum Drawing {
    Series(Rc<SeriesChart>),
    Heat(Rc<HeatMap>),
    Tornado(Rc<TornadoChart>),
    Waterfall(Rc<WaterfallChart>),
    Map(Rc<SchoolMap>),
    Seats(Rc<SeatChart>),
}

impl PartialEq for Drawing {
    fn eq(&self, other: &Self) -> bool {
        match (self, other) {
            (Drawing::Series(a), Drawing::Series(b)) => Rc::ptr_eq(a, b) || same_series_chart(a, b),
            (Drawing::Heat(a), Drawing::Heat(b)) => Rc::ptr_eq(a, b) || same_heat_map(a, b),
            (Drawing::Tornado(a), Drawing::Tornado(b)) => a == b,
            (Drawing::Waterfall(a), Drawing::Waterfall(b)) => a == b,
            (Drawing::Map(a), Drawing::Map(b)) => Rc::ptr_eq(a, b) || a == b,
            (Drawing::Seats(a), Drawing::Seats(b)) => a == b,
            _ => false,
        }
    }
}

/// Floats compared by their bits, so a missing value (NaN, as overlays have
/// for years they lack) equals itself and does not redraw every render.
fn same_values(a: &[f64], b: &[f64]) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x.to_bits() == y.to_bits())
}

/// Field by field, each struct destructured in full so a field added to the
/// chart types cannot be forgotten here.
fn same_series_chart(a: &SeriesChart, b: &SeriesChart) -> bool {
    let SeriesChart { title, y_label, years, lines, markers, references, percent, overlays, lang } = a;
    *title == b.title
        && *y_label == b.y_label
        && *years == b.years
        && *percent == b.percent
        && *lang == b.lang
        && lines.len() == b.lines.len()
        && lines.iter().zip(&b.lines).all(|(x, y)| same_line(x, y))
        && markers.len() == b.markers.len()
        && markers.iter().zip(&b.markers).all(|(x, y)| same_marker(x, y))
        && references.len() == b.references.len()
        && references.iter().zip(&b.references).all(|(x, y)| {
            let Reference { value, label } = x;
            value.to_bits() == y.value.to_bits() && *label == y.label
        })
        && overlays.len() == b.overlays.len()
        && overlays.iter().zip(&b.overlays).all(|(x, y)| {
            let Overlay { label, colour, lines } = x;
            *label == y.label
                && *colour == y.colour
                && lines.len() == y.lines.len()
                && lines.iter().zip(&y.lines).all(|(p, q)| same_values(p, q))
        })
}

/// The same picture: title, year, language, and the same rows in the same
/// order with the same names, levels and cell colours. A ratio that moved
/// too little to change its cell's colour (a slider step often moves only a
/// few schools' values, by a little) does not redraw the 2,000-odd cells of
/// a district's map. The school code is not drawn, so it is not compared.
fn same_heat_map(a: &HeatMap, b: &HeatMap) -> bool {
    let HeatMap { title, year, rows, lang } = a;
    *title == b.title
        && *year == b.year
        && *lang == b.lang
        && rows.len() == b.rows.len()
        && rows.iter().zip(&b.rows).all(|(x, y)| {
            let HeatRow { school_id: _, name, level, ratios } = x;
            *level == y.level
                && *name == y.name
                && ratios.iter().zip(&y.ratios).all(|(p, q)| heat_colour(*p) == heat_colour(*q))
        })
}

fn same_line(a: &Line, b: &Line) -> bool {
    let Line { label, values, colour, band, dashed } = a;
    *label == b.label
        && same_values(values, &b.values)
        && *colour == b.colour
        && *dashed == b.dashed
        && match (band, &b.band) {
            (Some((lo, hi)), Some((lo2, hi2))) => same_values(lo, lo2) && same_values(hi, hi2),
            (None, None) => true,
            _ => false,
        }
}

fn same_marker(a: &Marker, b: &Marker) -> bool {
    let Marker { year, value, label, met, label_below } = a;
    *year == b.year
        && value.to_bits() == b.value.to_bits()
        && *label == b.label
        && *met == b.met
        && *label_below == b.label_below
}

/// A chart on a canvas. The language and the window width come from the
/// workspace context.
#[derive(Properties, Clone, PartialEq)]
pub struct ChartProps {
    /// DOM id of the canvas.
    pub id: AttrValue,
    /// What it draws: the canvas redraws when this changes.
    pub drawing: Drawing,
    /// Height in CSS pixels; the width follows the layout.
    #[prop_or(300)]
    pub height: u32,
}

fn title(d: &Drawing) -> String {
    match d {
        Drawing::Series(c) => c.title.clone(),
        Drawing::Heat(h) => h.title.clone(),
        Drawing::Tornado(c) => c.title.clone(),
        Drawing::Waterfall(c) => c.title.clone(),
        Drawing::Map(m) => m.title.clone(),
        Drawing::Seats(c) => c.title.clone(),
    }
}

/// Draws onto the canvas at its laid-out width, one canvas pixel per CSS
/// pixel so the chart's font sizes are the sizes a reader sees. The width is
/// measured only when `measure` is set: reading it forces a layout of the
/// whole page, which a slider step should not pay for.
fn draw(canvas: &HtmlCanvasElement, drawing: &Drawing, height: u32, measure: bool) {
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
    let area = PageBackend::Canvas(backend).into_drawing_area();
    if let Err(e) = draw_on(&area, drawing) {
        gloo::console::error!(e.to_string());
    }
}

/// `drawing` on `area`, through the one backend type the page draws with
/// (the canvas or SVG), so each chart's drawing code is in the module once.
fn draw_on(area: &plotters::drawing::DrawingArea<PageBackend<'_>, plotters::coord::Shift>, drawing: &Drawing) -> Result<(), crate::chart::ChartError> {
    match drawing {
        Drawing::Series(c) => draw_series_chart(area, c),
        Drawing::Heat(h) => draw_heat_map(area, h),
        Drawing::Tornado(c) => draw_tornado(area, c),
        Drawing::Waterfall(c) => draw_waterfall(area, c),
        Drawing::Map(m) => draw_school_map(area, m),
        Drawing::Seats(c) => draw_seat_chart(area, c),
    }
}

/// The drawing as an SVG document of the given size: the same chart
/// function as on screen, so the file matches the picture (as
/// `crate::chart::to_svg_string` makes it).
pub fn svg_of(drawing: &Drawing, size: (u32, u32)) -> Result<String, String> {
    let mut svg = String::new();
    {
        let root = PageBackend::Svg(plotters::backend::SVGBackend::with_string(&mut svg, size)).into_drawing_area();
        draw_on(&root, drawing).map_err(|e| e.to_string())?;
        root.present().map_err(|e| crate::chart::ChartError::from(e).to_string())?;
    }
    Ok(svg)
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

/// A chart on a `<canvas>`, redrawn when its drawing, the language or the
/// window width changes (not on other renders), with its export buttons and
/// its data table.
#[function_component(ChartCanvas)]
pub fn chart_canvas(props: &ChartProps) -> Html {
    let workspace = use_workspace();
    let lang = workspace.lang;
    let canvas = use_node_ref();
    let measured_at = use_mut_ref(|| None::<(u32, AttrValue)>);
    {
        let canvas = canvas.clone();
        let height = props.height;
        use_effect_with(
            (props.drawing.clone(), props.id.clone(), lang, workspace.window_width),
            move |(drawing, id, _, window_width)| {
                if let Some(c) = canvas.cast::<HtmlCanvasElement>() {
                    // Yew may hand this canvas to another chart when the tab
                    // changes, so a new id measures again too.
                    let now = Some((*window_width, id.clone()));
                    let measure = measured_at.replace(now.clone()) != now;
                    draw(&c, drawing, height, measure);
                }
            },
        );
    }
    {
        // After the redraw above (effects run in order): the picture is now
        // current for this state of the workspace, redrawn or not. Tests and
        // the benchmark wait for it.
        let canvas = canvas.clone();
        use_effect_with(workspace.changes, move |changes| {
            if let Some(c) = canvas.cast::<HtmlCanvasElement>() {
                let _ = c.set_attribute("data-drawn", &changes.to_string());
            }
        });
    }
    let label = title(&props.drawing);
    html! {
        <figure class="chart">
            <canvas id={props.id.clone()} ref={canvas.clone()} height={props.height.to_string()} role="img" aria-label={label} />
            <ChartExtras id={props.id.clone()} drawing={props.drawing.clone()} {canvas} {lang} />
        </figure>
    }
}

#[derive(Properties, Clone, PartialEq)]
struct ExtrasProps {
    id: AttrValue,
    drawing: Drawing,
    canvas: NodeRef,
    lang: Lang,
}

/// A chart's export buttons and data table: a component of their own so
/// that they are rebuilt only when the drawing or the language changes, not
/// on every render of the canvas (each slider step renders every canvas,
/// and most charts' numbers do not move with a given lever).
#[function_component(ChartExtras)]
fn chart_extras(props: &ExtrasProps) -> Html {
    let (id, lang) = (&props.id, props.lang);
    html! {
        <>
            { export_buttons(id, &props.drawing, &props.canvas, lang) }
            if let Drawing::Series(c) = &props.drawing { { data_table(c, id, lang) } }
            if let Drawing::Seats(c) = &props.drawing { { seat_table(c, id, lang) } }
        </>
    }
}

/// The seat chart's numbers: each group's pupils, places and gap.
fn seat_table(c: &SeatChart, id: &str, lang: Lang) -> Html {
    let n = |v: f64| format::value(v, false, lang);
    html! {
        <details class="chart-data">
            <summary>{ lang.pick("数据表", "Data table") }</summary>
            <table id={format!("{id}-table")} data-year={c.year.to_string()}>
                <thead><tr>
                    <th>{ lang.pick("学区", "School zone / group") }</th>
                    <th class="num">{ lang.pick("在校生", "Pupils") }</th>
                    <th class="num">{ lang.pick("学位", "Places") }</th>
                    <th class="num">{ lang.pick("缺口", "Gap") }</th>
                </tr></thead>
                <tbody>{ for c.rows.iter().map(|r| html! {
                    <tr data-group={r.label.clone()} data-gap={(r.pupils - r.seats).max(0.0).to_string()}>
                        // Zone names are the roster's own (Chinese) proper names.
                        <td lang="zh-CN">{ &r.label }</td><td class="num">{ n(r.pupils) }</td><td class="num">{ n(r.seats) }</td>
                        <td class="num">{ n((r.pupils - r.seats).max(0.0)) }</td>
                    </tr>
                }) }</tbody>
            </table>
        </details>
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
            .map(|(v, y)| html! { <td data-year={y.to_string()} data-value={v.to_string()}>{ format::value(*v, c.percent, lang) }</td> })
            .collect::<Html>()
    };
    let rows = c.lines.iter().map(|l| {
        let band = l.band.as_ref().map(|(lo, hi)| {
            let text: Vec<String> =
                lo.iter().zip(hi).map(|(a, b)| format!("{}–{}", format::value(*a, c.percent, lang), format::value(*b, c.percent, lang))).collect();
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
