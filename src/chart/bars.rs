//! Horizontal bar charts of what moves a target: the tornado (each lever
//! moved to the low and the high end of its range, one at a time) and the
//! waterfall (each changed lever's share of the change from the baseline).
//! Both take plain rows, so the chart floor does not depend on the code that
//! computes them; a row's label sits at the left, where a lever's full name
//! has room to be read.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::{ChartError, Palette, FONT_FAMILY};
use crate::i18n::Lang;

/// One lever's row of a tornado chart.
#[derive(Debug, Clone, PartialEq)]
pub struct TornadoBar {
    /// The lever's name.
    pub label: String,
    /// The change in the target's value with the lever at the low end.
    pub low: f64,
    /// The change in the target's value with the lever at the high end.
    pub high: f64,
    /// The lever's low setting, as the planner reads it (e.g. `0.40`).
    pub low_text: String,
    /// The lever's high setting.
    pub high_text: String,
}

/// A tornado chart: the rows in the order given (largest effect first).
#[derive(Debug, Clone, PartialEq)]
pub struct TornadoChart {
    /// The caption.
    pub title: String,
    /// The x axis's name: the target whose value changes, and its unit.
    pub x_label: String,
    /// One row per lever.
    pub bars: Vec<TornadoBar>,
    /// The target's values are shares: the axis shows percentage points.
    pub percent: bool,
    /// The language of the legend and the axis numbers.
    pub lang: Lang,
}

/// One step of a waterfall: a lever's contribution.
#[derive(Debug, Clone, PartialEq)]
pub struct WaterfallStep {
    /// The lever's name.
    pub label: String,
    /// Its contribution to the change (negative lowers the value).
    pub delta: f64,
}

/// A waterfall from the baseline's value, through each changed lever's
/// contribution, to the current scenario's value.
#[derive(Debug, Clone, PartialEq)]
pub struct WaterfallChart {
    /// The caption.
    pub title: String,
    /// The x axis's name: the target and its unit.
    pub x_label: String,
    /// The first row's name (the baseline scenario).
    pub start_label: String,
    /// The target's value in the baseline.
    pub start: f64,
    /// The contributions, drawn in this order.
    pub steps: Vec<WaterfallStep>,
    /// The last row's name (the current scenario).
    pub end_label: String,
    /// Values are shares: the axis shows percentages.
    pub percent: bool,
    /// The language of the axis numbers.
    pub lang: Lang,
}

impl WaterfallChart {
    /// The value the steps end at: the start plus every contribution.
    pub fn end(&self) -> f64 {
        self.start + self.steps.iter().map(|s| s.delta).sum::<f64>()
    }
}

/// Pixel height of one bar row at most and at least.
const ROW_MAX: u32 = 34;
const ROW_MIN: u32 = 14;

/// The height in pixels that draws `rows` bar rows at full height, with the
/// caption, legend and axis: what a page gives a tornado's or waterfall's
/// canvas so the chart has no empty band under it.
pub fn bar_chart_height(rows: usize) -> u32 {
    56 + 44 + 16 + ROW_MAX * rows.max(1) as u32
}

pub(super) fn font(size: u32) -> TextStyle<'static> {
    TextStyle::from((FONT_FAMILY, size).into_font())
}

/// The widest of `labels` in 13 px type, for the label column.
fn label_width<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, labels: &[&str]) -> u32 {
    let style = font(13);
    labels.iter().filter_map(|l| area.estimate_text_size(l, &style).ok()).map(|(w, _)| w).max().unwrap_or(0)
}

/// An x range covering `lo..hi` and zero, padded by a tenth each side for
/// the value texts at the bars' ends; a unit range when everything is zero.
pub(super) fn padded(lo: f64, hi: f64) -> (f64, f64) {
    let (lo, hi) = (lo.min(0.0), hi.max(0.0));
    if hi - lo <= f64::EPSILON * hi.abs().max(1.0) {
        return (-1.0, 1.0);
    }
    let pad = (hi - lo) * 0.12;
    (lo - pad, hi + pad)
}

/// Draws the tornado chart: a legend under the caption (low end, high end),
/// then one row per lever with its name on the left, the effect of its low
/// and high settings as bars from zero, and each setting written at its
/// bar's end. A lever with no effect says so instead of drawing nothing.
///
/// # Errors
///
/// Fails with a [`ChartError`] holding the backend's message when the backend
/// fails to draw or to measure text (for example, a font it cannot load).
pub fn draw_tornado<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, chart: &TornadoChart) -> Result<(), ChartError>
where
    DB::ErrorType: 'static,
{
    let lang = chart.lang;
    let empty = chart.bars.is_empty().then(|| lang.pick("没有可比较的杠杆", "No levers to compare"));
    let (low_name, high_name) = (lang.pick("调至下限", "Lever at its low end"), lang.pick("调至上限", "Lever at its high end"));
    if !head(area, &chart.title, empty, &[(Palette::ORANGE, low_name), (Palette::BLUE, high_name)])? {
        return Ok(());
    }

    let n = chart.bars.len();
    let lo = chart.bars.iter().flat_map(|b| [b.low, b.high]).filter(|v| v.is_finite()).fold(0.0, f64::min);
    let hi = chart.bars.iter().flat_map(|b| [b.low, b.high]).filter(|v| v.is_finite()).fold(0.0, f64::max);
    let (x0, x1) = padded(lo, hi);
    let labels: Vec<&str> = chart.bars.iter().map(|b| b.label.as_str()).collect();
    let top = 56;
    let (ctx, row_h) = build(area, top, &labels, n, (x0, x1), &chart.x_label, chart.percent, lang)?;
    let mut ctx = ctx;
    let half = 0.34;
    for (i, b) in chart.bars.iter().enumerate() {
        let y = row_y(n, i);
        // The low end's bar in the row's upper half, the high end's in the lower.
        for (v, colour, text, dy) in [(b.low, Palette::ORANGE, &b.low_text, half / 2.0), (b.high, Palette::BLUE, &b.high_text, -half / 2.0)] {
            if !v.is_finite() {
                continue;
            }
            let yc = y + dy;
            ctx.draw_series(std::iter::once(Rectangle::new([(0.0, yc - half / 2.0), (v, yc + half / 2.0)], colour.filled())))?;
            if v != 0.0 && row_h >= 20 {
                let hpos = if v > 0.0 { HPos::Left } else { HPos::Right };
                let gap = (x1 - x0) * 0.008 * v.signum();
                ctx.draw_series(std::iter::once(Text::new(text.clone(), (v + gap, yc), font(11).color(&Palette::INK).pos(Pos::new(hpos, VPos::Center)))))?;
            }
        }
        if b.low == 0.0 && b.high == 0.0 {
            let none = lang.pick("无影响", "no effect");
            let gap = (x1 - x0) * 0.01;
            ctx.draw_series(std::iter::once(Text::new(none, (gap, y), font(12).color(&Palette::GREY).pos(Pos::new(HPos::Left, VPos::Center)))))?;
        }
    }
    zero_line(&mut ctx, n)?;
    draw_row_labels(area, &ctx, &labels)?;
    Ok(())
}

/// Draws the waterfall: the baseline's value as a grey bar, each changed
/// lever's contribution as a bar floating from the running total (blue
/// raises the value, orange lowers it) with its signed amount, and the
/// current scenario's value as a grey bar. The axis starts near the values,
/// not at zero, so small contributions stay visible; the start and end bars
/// run from the axis's left edge.
///
/// # Errors
///
/// Fails with a [`ChartError`] holding the backend's message when the backend
/// fails to draw or to measure text (for example, a font it cannot load).
pub fn draw_waterfall<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, chart: &WaterfallChart) -> Result<(), ChartError>
where
    DB::ErrorType: 'static,
{
    let lang = chart.lang;
    let (up, down) = (lang.pick("提高", "Raises the value"), lang.pick("降低", "Lowers the value"));
    head(area, &chart.title, None, &[(Palette::BLUE, up), (Palette::ORANGE, down)])?;

    // Running totals: the value before and after each step.
    let mut totals = vec![chart.start];
    for s in &chart.steps {
        totals.push(totals.last().copied().unwrap_or(chart.start) + s.delta);
    }
    let end = chart.end();
    let finite = totals.iter().copied().filter(|v| v.is_finite());
    let (lo, hi) = finite.fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), v| (a.min(v), b.max(v)));
    let (lo, hi) = if lo.is_finite() { (lo, hi) } else { (0.0, 1.0) };
    // Zero when the values are near it; else a margin below the lowest.
    let span = (hi - lo).max(hi.abs().max(lo.abs()) * 0.02).max(f64::EPSILON);
    let x0 = if lo >= 0.0 && lo <= span { 0.0 } else { lo - span * 0.25 };
    let x1 = hi + span * 0.25;

    let mut labels: Vec<&str> = vec![chart.start_label.as_str()];
    labels.extend(chart.steps.iter().map(|s| s.label.as_str()));
    labels.push(chart.end_label.as_str());
    let n = labels.len();
    let (mut ctx, row_h) = build(area, 56, &labels, n, (x0, x1), &chart.x_label, chart.percent, lang)?;
    let half = 0.3;
    let (percent, gap) = (chart.percent, (x1 - x0) * 0.008);
    let value_text = |v: f64| crate::format::value(v, percent, lang);
    let signed = |d: f64| {
        let s = if percent { crate::format::axis(d.abs() * 100.0, false, lang) + lang.pick("个百分点", " pt") } else { crate::format::value(d.abs(), false, lang) };
        format!("{}{s}", if d < 0.0 { "−" } else { "+" })
    };
    for (i, v) in [(0, chart.start), (n - 1, end)] {
        let y = row_y(n, i);
        ctx.draw_series(std::iter::once(Rectangle::new([(x0, y - half), (v, y + half)], Palette::GREY.mix(0.55).filled())))?;
        ctx.draw_series(std::iter::once(Text::new(value_text(v), (v + gap, y), font(12).color(&Palette::INK).pos(Pos::new(HPos::Left, VPos::Center)))))?;
    }
    for (k, s) in chart.steps.iter().enumerate() {
        let (from, to) = (totals[k], totals[k + 1]);
        let y = row_y(n, k + 1);
        let colour = if s.delta < 0.0 { Palette::ORANGE } else { Palette::BLUE };
        if s.delta != 0.0 {
            ctx.draw_series(std::iter::once(Rectangle::new([(from, y - half), (to, y + half)], colour.filled())))?;
        }
        // A thin connector from this bar's end to the next row's start.
        let next = row_y(n, k + 2);
        ctx.draw_series(std::iter::once(PathElement::new(vec![(to, y - half), (to, next + half)], Palette::GREY.stroke_width(1))))?;
        if row_h >= 16 {
            let (x, hpos) = if s.delta < 0.0 { (from.max(to) + gap, HPos::Left) } else { (to + gap, HPos::Left) };
            ctx.draw_series(std::iter::once(Text::new(signed(s.delta), (x, y), font(12).color(&Palette::INK).pos(Pos::new(hpos, VPos::Center)))))?;
        }
    }
    // The start row's connector to the first step.
    ctx.draw_series(std::iter::once(PathElement::new(
        vec![(chart.start, row_y(n, 0) - half), (chart.start, row_y(n, 1) + half)],
        Palette::GREY.stroke_width(1),
    )))?;
    draw_row_labels(area, &ctx, &labels)?;
    Ok(())
}

pub(super) type RowChart<'a, DB> = ChartContext<'a, DB, Cartesian2d<plotters::coord::types::RangedCoordf64, plotters::coord::types::RangedCoordf64>>;

/// The y centre of row `i` of `n`, the first row at the top.
pub(super) fn row_y(n: usize, i: usize) -> f64 {
    (n - i) as f64 - 0.5
}

/// The chart area under the legend: a label column as wide as the widest
/// label, rows of at most [`ROW_MAX`] px (the plot shrinks to fit them), and
/// an x axis with the formatter of every other chart. Returns the chart and
/// the row height in pixels.
#[allow(clippy::too_many_arguments)]
pub(super) fn build<'a, DB: DrawingBackend>(
    area: &'a DrawingArea<DB, Shift>,
    top: u32,
    labels: &[&str],
    n: usize,
    (x0, x1): (f64, f64),
    x_label: &str,
    percent: bool,
    lang: Lang,
) -> Result<(RowChart<'a, DB>, u32), ChartError>
where
    DB::ErrorType: 'static,
{
    let (_, h) = area.dim_in_pixel();
    let x_axis = 44;
    let room = h.saturating_sub(top + x_axis + 10);
    let row_h = (room / n.max(1) as u32).clamp(ROW_MIN, ROW_MAX);
    let used = row_h * n as u32;
    let bottom = h.saturating_sub(top + x_axis + used).max(10);
    let mut ctx = ChartBuilder::on(area)
        .margin_top(top)
        .margin_bottom(bottom.min(h / 2))
        .margin_left(14)
        .margin_right(24)
        .x_label_area_size(x_axis)
        .y_label_area_size(label_width(area, labels) + 14)
        .build_cartesian_2d(x0..x1, 0.0..n as f64)?;
    ctx.configure_mesh()
        .disable_y_mesh()
        .y_labels(0)
        .x_labels(6)
        .x_desc(x_label)
        .x_label_formatter(&|x| crate::format::axis(*x, percent, lang))
        .axis_desc_style((FONT_FAMILY, 14))
        .label_style((FONT_FAMILY, 12))
        .light_line_style(RGBColor(238, 238, 238))
        .draw()?;
    Ok((ctx, row_h))
}

/// The vertical line at zero effect.
pub(super) fn zero_line<DB: DrawingBackend>(ctx: &mut RowChart<'_, DB>, n: usize) -> Result<(), ChartError>
where
    DB::ErrorType: 'static,
{
    ctx.draw_series(std::iter::once(PathElement::new(vec![(0.0, 0.0), (0.0, n as f64)], Palette::INK.stroke_width(1))))?;
    Ok(())
}

/// Each row's label, right-aligned against the plot's left edge.
pub(super) fn draw_row_labels<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, ctx: &RowChart<'_, DB>, labels: &[&str]) -> Result<(), ChartError>
where
    DB::ErrorType: 'static,
{
    let (bx, by) = area.get_base_pixel();
    let n = labels.len();
    let x_left = ctx.x_range().start;
    for (i, label) in labels.iter().enumerate() {
        let (px, py) = ctx.backend_coord(&(x_left, row_y(n, i)));
        let style = font(13).pos(Pos::new(HPos::Right, VPos::Center));
        area.draw(&Text::new(label.to_string(), (px - bx - 8, py - by), style))?;
    }
    Ok(())
}

/// Coloured swatches with their names, centred on `(cx, y)`.
/// What every bar chart here starts with: a white page and the caption,
/// then either `empty` in the middle, when there is nothing to draw
/// (returns `false`), or the legend under the caption (returns `true`).
pub(super) fn head<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    title: &str,
    empty: Option<&str>,
    legend: &[(RGBColor, &str)],
) -> Result<bool, ChartError>
where
    DB::ErrorType: 'static,
{
    area.fill(&WHITE)?;
    let (w, h) = area.dim_in_pixel();
    area.draw(&Text::new(title, (w as i32 / 2, 8), font(18).pos(Pos::new(HPos::Center, VPos::Top))))?;
    if let Some(none) = empty {
        area.draw(&Text::new(none, (w as i32 / 2, h as i32 / 2), font(14).pos(Pos::new(HPos::Center, VPos::Center))))?;
        return Ok(false);
    }
    draw_legend(area, (w as i32 / 2, 36), legend)?;
    Ok(true)
}

pub(super) fn draw_legend<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, (cx, y): (i32, i32), entries: &[(RGBColor, &str)]) -> Result<(), ChartError>
where
    DB::ErrorType: 'static,
{
    let style = font(13);
    let widths: Vec<i32> = entries.iter().map(|(_, t)| area.estimate_text_size(t, &style).map_or(0, |(w, _)| w as i32)).collect();
    let total: i32 = widths.iter().map(|w| w + 14 + 6 + 20).sum::<i32>() - 20;
    let mut x = cx - total / 2;
    for ((colour, text), w) in entries.iter().zip(widths) {
        area.draw(&Rectangle::new([(x, y - 6), (x + 14, y + 6)], colour.filled()))?;
        area.draw(&Text::new(text.to_string(), (x + 20, y), style.pos(Pos::new(HPos::Left, VPos::Center))))?;
        x += w + 14 + 6 + 20;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chart::to_svg_string;

    /// Every text element's content, trimmed.
    fn texts(svg: &str) -> Vec<String> {
        svg.split("<text").skip(1).filter_map(|t| Some(t.split_once('>')?.1.split_once("</text>")?.0.trim().to_owned())).collect()
    }

    fn bar(label: &str, low: f64, high: f64) -> TornadoBar {
        TornadoBar { label: label.into(), low, high, low_text: format!("低{label}"), high_text: format!("高{label}") }
    }

    #[test]
    fn a_tornado_draws_two_bars_per_lever_and_names_a_lever_without_effect() {
        let chart = TornadoChart {
            title: "敏感性".into(),
            x_label: "2026年项目校数的变化".into(),
            bars: vec![bar("评审通过率", -12.0, 9.0), bar("年立项概率", -3.0, 2.5), bar("校舍单价", 0.0, 0.0)],
            percent: false,
            lang: Lang::Zh,
        };
        let svg = to_svg_string((900, 420), |a| draw_tornado(a, &chart)).unwrap();
        // Background, two legend swatches, then two bars per lever (a zero-width one for no effect).
        assert_eq!(svg.matches("<rect").count(), 1 + 2 + 2 * 3);
        for text in ["敏感性", "评审通过率", "年立项概率", "校舍单价", "低评审通过率", "高年立项概率", "无影响", "调至下限", "调至上限"] {
            assert!(svg.contains(text), "missing {text}");
        }
        // The zero-effect lever's settings are not written: there is no bar end.
        assert!(!svg.contains("低校舍单价"));
    }

    #[test]
    fn an_empty_tornado_says_so() {
        let chart = TornadoChart { title: "t".into(), x_label: "x".into(), bars: Vec::new(), percent: false, lang: Lang::En };
        let svg = to_svg_string((600, 300), |a| draw_tornado(a, &chart)).unwrap();
        assert!(svg.contains("No levers to compare"));
    }

    #[test]
    fn a_waterfall_ends_at_the_start_plus_every_step_and_signs_each_step() {
        let chart = WaterfallChart {
            title: "变化归因".into(),
            x_label: "项目校".into(),
            start_label: "基准方案".into(),
            start: 100.0,
            steps: vec![WaterfallStep { label: "评审通过率".into(), delta: 14.0 }, WaterfallStep { label: "项目最短周期".into(), delta: -4.0 }],
            end_label: "当前方案".into(),
            percent: false,
            lang: Lang::Zh,
        };
        assert_eq!(chart.end(), 110.0);
        let svg = to_svg_string((900, 360), |a| draw_waterfall(a, &chart)).unwrap();
        let texts = texts(&svg);
        for text in ["基准方案", "当前方案", "评审通过率", "项目最短周期", "+14", "−4", "100", "110"] {
            assert!(texts.iter().any(|t| t == text), "missing {text} in {texts:?}");
        }
        // Background, two legend swatches, start, two steps, end.
        assert_eq!(svg.matches("<rect").count(), 1 + 2 + 4);
    }
}
