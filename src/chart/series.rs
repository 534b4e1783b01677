use plotters::coord::Shift;
use plotters::prelude::*;

use super::{ChartError, FONT_FAMILY};
use crate::i18n::Lang;

/// One line on a time-series chart, with an optional P10–P90 band.
#[derive(Debug, Clone)]
pub struct Line {
    /// Legend text; an empty label leaves the line out of the legend.
    pub label: String,
    /// One value per year of [`SeriesChart::years`]; a non-finite value is a gap.
    pub values: Vec<f64>,
    /// Its colour, usually from [`super::Palette`].
    pub colour: RGBColor,
    /// The P10 and P90 values by year, drawn as a shaded band; `None` without
    /// one (no Monte Carlo run, or a reference line).
    pub band: Option<(Vec<f64>, Vec<f64>)>,
    /// Drawn dashed and thinner: a reference such as capacity, staffing need or
    /// the budget envelope.
    pub dashed: bool,
}

/// A dated target drawn as a marker, coloured by whether it is met.
#[derive(Debug, Clone)]
pub struct Marker {
    /// The target's year.
    pub year: i32,
    /// The target value, in the chart's unit.
    pub value: f64,
    /// Text beside the marker, e.g. `学校 120`.
    pub label: String,
    /// Whether the central run meets the target: green when met, vermillion when not.
    pub met: bool,
    /// Put the label under the marker, where another series' label sits above.
    pub label_below: bool,
}

/// A horizontal reference, such as a CV ceiling.
#[derive(Debug, Clone)]
pub struct Reference {
    /// Where the line is drawn, in the chart's unit.
    pub value: f64,
    /// Text at its left end, e.g. `上限 0.50`.
    pub label: String,
}

/// Another scenario (the baseline, a pinned one) drawn for comparison: thin,
/// dashed, unmarked and under the current scenario's lines, so it reads as
/// background. `lines` holds its values for the chart's comparable lines (one
/// value per year of the chart, NaN where it has none); the legend lists it
/// once, whatever the number of lines.
#[derive(Debug, Clone)]
pub struct Overlay {
    /// Legend text: the compared scenario's name.
    pub label: String,
    /// Its colour: [`super::Palette::GREY`] for the baseline, one of
    /// [`super::OVERLAY_COLOURS`] for a pinned scenario.
    pub colour: RGBColor,
    /// One line per comparable line of the chart, each one value per year.
    pub lines: Vec<Vec<f64>>,
}

/// A chart of district values by year.
#[derive(Debug, Clone)]
pub struct SeriesChart {
    /// The chart's caption.
    pub title: String,
    /// The y axis's name (its unit).
    pub y_label: String,
    /// The x axis: the years, one per value of every line.
    pub years: Vec<i32>,
    /// The lines, drawn in order over the overlays.
    pub lines: Vec<Line>,
    /// Dated targets on the lines.
    pub markers: Vec<Marker>,
    /// Horizontal references such as a CV ceiling or the standard.
    pub references: Vec<Reference>,
    /// Values are shares; the axis shows percentages.
    pub percent: bool,
    /// Other runs drawn under the lines for comparison.
    pub overlays: Vec<Overlay>,
    /// The language of the axis numbers: 1.2万 or 12k.
    pub lang: Lang,
}

fn finite(v: &[f64]) -> impl Iterator<Item = f64> + '_ {
    v.iter().copied().filter(|x| x.is_finite())
}

/// The runs of consecutive finite points, so a line breaks at a missing value
/// (an undefined CV, a closed school) instead of bridging it. Never empty: an
/// all-missing line still gets its legend entry.
fn runs(xs: &[f64], values: &[f64]) -> Vec<Vec<(f64, f64)>> {
    let mut out: Vec<Vec<(f64, f64)>> = vec![Vec::new()];
    for (x, v) in xs.iter().zip(values) {
        let run = out.last_mut().expect("never empty");
        if v.is_finite() {
            run.push((*x, *v));
        } else if !run.is_empty() {
            out.push(Vec::new());
        }
    }
    if out.len() > 1 && out.last().is_some_and(Vec::is_empty) {
        out.pop();
    }
    out
}

/// Room above the highest value for marker labels, as a share of the axis.
const LABEL_ROOM: f64 = 0.15;
/// The caption's height in pixels (20 px type and its spacing).
const CAPTION_PX: u32 = 30;

/// The lowest and highest of every line, band, overlay, marker and
/// reference; (0, 1) when there is none.
fn data_bounds(chart: &SeriesChart) -> (f64, f64) {
    let mut lo = f64::INFINITY;
    let mut hi = f64::NEG_INFINITY;
    for l in &chart.lines {
        for v in finite(&l.values).chain(l.band.iter().flat_map(|(a, b)| finite(a).chain(finite(b)))) {
            lo = lo.min(v);
            hi = hi.max(v);
        }
    }
    let overlaid = chart.overlays.iter().flat_map(|o| o.lines.iter().flat_map(|l| finite(l)));
    for v in chart.markers.iter().map(|m| m.value).chain(chart.references.iter().map(|r| r.value)).chain(overlaid) {
        lo = lo.min(v);
        hi = hi.max(v);
    }
    if !lo.is_finite() {
        (lo, hi) = (0.0, 1.0);
    }
    (lo, hi)
}

/// The y axis: from zero (or below the lowest value) to above the highest of
/// every line, band, overlay, marker and reference.
fn y_range(chart: &SeriesChart, side_legend: bool, label_room: f64) -> (f64, f64) {
    let (lo, hi) = data_bounds(chart);
    // Counts and shares read best from zero. The top is padded for labels and
    // for the legend, which sits above the data rather than over it.
    let y0 = if lo >= 0.0 { 0.0 } else { lo * 1.1 };
    let legend_rows = if side_legend { 0.0 } else { legend_entries(chart).len() as f64 };
    let y1 = if hi > y0 { hi + (hi - y0) * (label_room + 0.06 * legend_rows) } else { y0 + 1.0 };
    (y0, y1)
}

/// The lowest top of the y axis that keeps whatever is drawn under the
/// legend (the plot's upper right corner) below it: the padding of
/// [`y_range`] is a share of the axis, which on a short plot or with a tall
/// legend leaves a high value at the right-hand years behind the legend
/// (a budget line at its highest in the last years). `plot` is the plot's
/// width and height in pixels, `legend` the legend box's.
fn clear_of_legend(chart: &SeriesChart, y0: f64, (plot_width, plot_height): (f64, f64), (legend_width, legend_height): (u32, u32)) -> f64 {
    let (Some(&first), Some(&last)) = (chart.years.first(), chart.years.last()) else {
        return y0;
    };
    // The legend's left edge, 8 px in from the plot's right edge; a point's
    // dot (3 px) and line reach a few pixels further.
    let left = plot_width - 8.0 - f64::from(legend_width) - 6.0;
    let x = |year: i32| f64::from(year - first) + 0.3;
    let under = |year: i32, reach_px: f64| x(year) / (f64::from(last - first) + 0.6) * plot_width + reach_px >= left;
    // Its bottom edge is 6 px below the plot's top; 4 px more keep it clear.
    let below = 6.0 + f64::from(legend_height) + 4.0;
    let mut top = y0;
    let mut clear = |v: f64, extra_px: f64| {
        let r = ((below + extra_px) / plot_height).min(0.8);
        if v.is_finite() && v > y0 {
            top = top.max((v - r * y0) / (1.0 - r));
        }
    };
    for (t, &year) in chart.years.iter().enumerate() {
        if !under(year, 0.0) {
            continue;
        }
        let at = |v: &[f64]| v.get(t).copied().unwrap_or(f64::NAN);
        for l in &chart.lines {
            clear(at(&l.values), 0.0);
            if let Some((_, p90)) = &l.band {
                clear(at(p90), 0.0);
            }
        }
        for o in &chart.overlays {
            for l in &o.lines {
                clear(at(l), 0.0);
            }
        }
    }
    // A marker's label sits 25 px above it and reaches about 50 px to its
    // right (it starts 0.35 years to its left).
    for m in chart.markers.iter().filter(|m| !m.label_below && under(m.year, 50.0)) {
        clear(m.value, 25.0);
    }
    top
}

/// Draws the chart. Non-finite values (an undefined CV) are left out: the line
/// breaks there.
///
/// # Errors
///
/// Fails with a [`ChartError`] holding the backend's message when the backend
/// fails to draw or to measure text (for example, a font it cannot load).
pub fn draw_series_chart<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, chart: &SeriesChart) -> Result<(), ChartError>
where
    DB::ErrorType: 'static,
{
    area.fill(&WHITE)?;
    let (Some(&first), Some(&last)) = (chart.years.first(), chart.years.last()) else {
        return Ok(());
    };
    // More than three legend entries would cover the lines inside the plot,
    // and so would any legend on a wide, short chart (the briefing's): they
    // go in a column to its right instead.
    let (width, height) = area.dim_in_pixel();
    let side = legend_entries(chart).len() > 3 || width > 3 * height;
    // The marker labels need about 26 px above the highest value: 15% of a
    // usual plot, more of a short one.
    let plot_height = f64::from(height.saturating_sub(2 * 14 + 36 + CAPTION_PX).max(1));
    let label_room = LABEL_ROOM.max(26.0 / plot_height).min(0.6);
    // Measured once: the side column, the room above the data and the box.
    let legend = legend_size(area, chart)?;
    let side_width = if side { legend.0 + 12 } else { 0 };
    let (y0, mut y1) = y_range(chart, side, label_room);
    if !side && !legend_entries(chart).is_empty() {
        // The plot's width as `ChartBuilder` will lay it out (margins, the
        // 72 px y labels), for which years fall under the legend.
        let plot_width = f64::from(width.saturating_sub(2 * 14 + 72).max(1));
        y1 = y1.max(clear_of_legend(chart, y0, (plot_width, plot_height), legend));
    }

    let mut ctx = ChartBuilder::on(area)
        .caption(&chart.title, (FONT_FAMILY, 20).into_font())
        .margin(14)
        .margin_right(14 + side_width)
        .x_label_area_size(36)
        .y_label_area_size(72)
        .build_cartesian_2d(first as f64 - 0.3..last as f64 + 0.3, y0..y1)?;
    let (percent, lang) = (chart.percent, chart.lang);
    // The axis may reach above 100% to keep the lines clear of the legend;
    // a share chart whose values all fit in 100% labels no tick above it.
    let share_top = if percent && data_bounds(chart).1 <= 1.0 { 1.0 + 1e-9 } else { f64::INFINITY };
    ctx.configure_mesh()
        .y_desc(chart.y_label.as_str())
        .x_labels((last - first + 1) as usize)
        // Plotters' ten y labels crowd a short plot: one per 28 px at most.
        .y_labels(((plot_height / 28.0) as usize).clamp(4, 10))
        .x_label_formatter(&|x| format!("{:.0}", x))
        .y_label_formatter(&|y| if *y > share_top { String::new() } else { crate::format::axis(*y, percent, lang) })
        .axis_desc_style((FONT_FAMILY, 15))
        .label_style((FONT_FAMILY, 13))
        .light_line_style(RGBColor(238, 238, 238))
        .draw()?;

    let xs: Vec<f64> = chart.years.iter().map(|y| f64::from(*y)).collect();
    for l in &chart.lines {
        if let Some((p10, p90)) = &l.band {
            let mut poly: Vec<(f64, f64)> = xs.iter().zip(p90).filter(|(_, v)| v.is_finite()).map(|(x, v)| (*x, *v)).collect();
            poly.extend(xs.iter().zip(p10).rev().filter(|(_, v)| v.is_finite()).map(|(x, v)| (*x, *v)));
            ctx.draw_series(std::iter::once(Polygon::new(poly, l.colour.mix(0.18).filled())))?;
        }
    }
    // Overlays go under the current lines; their legend entries come after.
    for o in &chart.overlays {
        for seg in o.lines.iter().flat_map(|l| runs(&xs, l)) {
            ctx.draw_series(DashedLineSeries::new(seg, 4, 4, o.colour.stroke_width(2)))?;
        }
    }
    for l in &chart.lines {
        let style = l.colour.stroke_width(if l.dashed { 2 } else { 3 });
        for seg in runs(&xs, &l.values) {
            if l.dashed {
                ctx.draw_series(DashedLineSeries::new(seg.iter().copied(), 8, 5, style))?;
            } else {
                ctx.draw_series(LineSeries::new(seg.iter().copied(), style))?;
            }
            ctx.draw_series(seg.iter().map(|p| Circle::new(*p, 3, l.colour.filled())))?;
        }
    }
    for r in &chart.references {
        ctx.draw_series(DashedLineSeries::new(
            vec![(first as f64 - 0.3, r.value), (last as f64 + 0.3, r.value)],
            6,
            4,
            super::Palette::VERMILLION.stroke_width(2),
        ))?;
        ctx.draw_series(std::iter::once(Text::new(
            r.label.clone(),
            (first as f64 - 0.25, r.value),
            (FONT_FAMILY, 13).into_font().color(&super::Palette::VERMILLION).pos(plotters::style::text_anchor::Pos::new(
                plotters::style::text_anchor::HPos::Left,
                plotters::style::text_anchor::VPos::Bottom,
            )),
        )))?;
    }
    for m in &chart.markers {
        let colour = if m.met { super::Palette::GREEN } else { super::Palette::VERMILLION };
        let at = (f64::from(m.year), m.value);
        ctx.draw_series(std::iter::once(TriangleMarker::new(at, 8, colour.filled())))?;
        // In pixels, so a short chart's labels clear the 8 px triangle too:
        // the text's top 25 px above the marker (its 13 px clear of the
        // triangle), or 11 px below it.
        let per_px = (y1 - y0) / f64::from(ctx.plotting_area().dim_in_pixel().1.max(1));
        let dy = if m.label_below { -11.0 * per_px } else { 25.0 * per_px };
        ctx.draw_series(std::iter::once(Text::new(
            m.label.clone(),
            (f64::from(m.year) - 0.35, m.value + dy),
            (FONT_FAMILY, 13).into_font().color(&colour),
        )))?;
    }
    let plot = ctx.plotting_area();
    let (px, py) = plot.get_base_pixel();
    let (pw, _) = plot.dim_in_pixel();
    let right = if side { px + pw as i32 + side_width as i32 + 4 } else { px + pw as i32 - 8 };
    draw_legend(area, (right, py + 6), legend, chart)?;
    Ok(())
}

/// How a legend entry's sample is drawn.
enum Sample {
    Solid,
    Dashed,
    Overlay,
}

const ROW: i32 = 18;
const SAMPLE: i32 = 22;

fn legend_entries(chart: &SeriesChart) -> Vec<(&str, RGBColor, Sample)> {
    chart
        .lines
        .iter()
        .filter(|l| !l.label.is_empty())
        .map(|l| (l.label.as_str(), l.colour, if l.dashed { Sample::Dashed } else { Sample::Solid }))
        .chain(chart.overlays.iter().map(|o| (o.label.as_str(), o.colour, Sample::Overlay)))
        .collect()
}

fn legend_font() -> TextStyle<'static> {
    TextStyle::from((FONT_FAMILY, 13).into_font()).pos(plotters::style::text_anchor::Pos::new(
        plotters::style::text_anchor::HPos::Left,
        plotters::style::text_anchor::VPos::Center,
    ))
}

/// The legend box's width and height in pixels.
fn legend_size<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, chart: &SeriesChart) -> Result<(u32, u32), ChartError>
where
    DB::ErrorType: 'static,
{
    let entries = legend_entries(chart);
    let font = legend_font();
    let mut widest = 0;
    for (label, _, _) in &entries {
        widest = widest.max(area.estimate_text_size(label, &font)?.0);
    }
    Ok((widest + SAMPLE as u32 + 20, ROW as u32 * entries.len() as u32 + 8))
}

/// The legend in the plot's upper right corner: the current lines, then one
/// entry per overlaid scenario. Drawn by hand rather than with Plotters'
/// series labels, which measure each label through the font layer (in the
/// browser: a forced page layout per label); here every width comes from the
/// backend's own text measure. `(w, h)` is its box, from [`legend_size`].
fn draw_legend<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, top_right: (i32, i32), (w, h): (u32, u32), chart: &SeriesChart) -> Result<(), ChartError>
where
    DB::ErrorType: 'static,
{
    let entries = legend_entries(chart);
    if entries.is_empty() {
        return Ok(());
    }
    let font = legend_font();
    let (w, h) = (w as i32, h as i32);
    let (x0, y0) = (top_right.0 - w, top_right.1);
    area.draw(&Rectangle::new([(x0, y0), (x0 + w, y0 + h)], WHITE.mix(0.9).filled()))?;
    area.draw(&Rectangle::new([(x0, y0), (x0 + w, y0 + h)], super::Palette::GREY.stroke_width(1)))?;
    for (k, (label, colour, sample)) in entries.iter().enumerate() {
        let (x, y) = (x0 + 6, y0 + 4 + ROW * k as i32 + ROW / 2);
        let strokes: &[(i32, i32)] = match sample {
            Sample::Solid => &[(0, SAMPLE)],
            // Two short strokes, so a dashed series reads as dashed here too.
            Sample::Dashed => &[(0, 8), (14, SAMPLE)],
            Sample::Overlay => &[(0, 5), (9, 14), (18, SAMPLE)],
        };
        let width = if matches!(sample, Sample::Solid) { 3 } else { 2 };
        for &(a, b) in strokes {
            area.draw(&PathElement::new(vec![(x + a, y), (x + b, y)], colour.stroke_width(width)))?;
        }
        area.draw(&Text::new(
            label.to_string(),
            (x + SAMPLE + 6, y),
            font.clone(),
        ))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chart::{to_svg_string, Palette};

    #[test]
    fn draws_lines_bands_markers_and_ceilings() {
        let chart = SeriesChart {
            title: "差异系数".into(),
            y_label: "CV".into(),
            years: vec![2024, 2025, 2026],
            lines: vec![Line {
                label: "骨干教师".into(),
                values: vec![0.3, f64::NAN, 0.2],
                colour: Palette::BLUE,
                band: Some((vec![0.25, 0.2, 0.15], vec![0.35, 0.3, 0.25])),
                dashed: false,
            }],
            markers: vec![Marker { year: 2026, value: 0.2, label: "目标".into(), met: true, label_below: false }],
            references: vec![Reference { value: 0.5, label: "上限 0.50".into() }],
            percent: false,
            overlays: vec![],
            lang: Lang::Zh,
        };
        let svg = to_svg_string((640, 400), |a| draw_series_chart(a, &chart)).unwrap();
        for text in ["差异系数", "骨干教师", "目标", "上限 0.50", "<polygon"] {
            assert!(svg.contains(text), "missing {text}");
        }
        assert!(!svg.contains("NaN"));
    }

    #[test]
    fn lines_break_at_missing_values() {
        let xs = [1.0, 2.0, 3.0, 4.0, 5.0];
        let nan = f64::NAN;
        assert_eq!(runs(&xs, &[1.0, nan, nan, 4.0, 5.0]), vec![vec![(1.0, 1.0)], vec![(4.0, 4.0), (5.0, 5.0)]]);
        assert_eq!(runs(&xs, &[nan, 2.0, 3.0, nan, nan]), vec![vec![(2.0, 2.0), (3.0, 3.0)]]);
        assert_eq!(runs(&xs, &[nan; 5]), vec![Vec::<(f64, f64)>::new()]);
    }

    fn with_overlays(overlays: Vec<Overlay>) -> SeriesChart {
        SeriesChart {
            title: "在校生".into(),
            y_label: "学生数".into(),
            years: vec![2024, 2025, 2026],
            lines: vec![Line { label: "当前方案".into(), values: vec![1.0, 2.0, 3.0], colour: Palette::BLUE, band: None, dashed: false }],
            markers: vec![],
            references: vec![],
            percent: false,
            overlays,
            lang: Lang::Zh,
        }
    }

    /// A share chart's axis may reach above 100% to clear the legend, but
    /// labels no tick there; one whose values go above 100% keeps its labels.
    #[test]
    fn a_share_chart_labels_no_tick_above_100_percent() {
        let share = |values: Vec<f64>| SeriesChart { percent: true, lines: vec![Line { values, ..with_overlays(vec![]).lines[0].clone() }], ..with_overlays(vec![]) };
        let labels = |chart: &SeriesChart| {
            let svg = to_svg_string((640, 400), |a| draw_series_chart(a, chart)).unwrap();
            svg.lines().map(str::trim).filter(|l| l.ends_with('%')).map(str::to_owned).collect::<Vec<_>>()
        };
        let within = labels(&share(vec![0.9, 1.0, 1.0]));
        assert!(within.iter().any(|l| l == "100%"), "{within:?}");
        assert!(!within.iter().any(|l| l == "120%"), "{within:?}");
        let above = labels(&share(vec![0.9, 1.0, 1.3]));
        assert!(above.iter().any(|l| l == "140%"), "{above:?}");
    }

    #[test]
    fn overlays_are_dashed_unmarked_under_the_lines_and_listed_once() {
        let chart = with_overlays(vec![
            Overlay { label: "基线".into(), colour: Palette::GREY, lines: vec![vec![4.0, 5.0, 6.0], vec![7.0, f64::NAN, 12.0]] },
            Overlay { label: "方案甲".into(), colour: Palette::PURPLE, lines: vec![vec![2.0, 2.0, 2.0]] },
        ]);
        // Highest value 12 from an overlay; three legend rows: 12 + 12 · (0.15 + 3 · 0.06).
        let (y0, y1) = y_range(&chart, false, LABEL_ROOM);
        assert_eq!(y0, 0.0);
        assert!((y1 - 15.96).abs() < 1e-9, "{y1}");
        // Without them: 3 + 3 · (0.15 + 0.06).
        assert!((y_range(&with_overlays(vec![]), false, LABEL_ROOM).1 - 3.63).abs() < 1e-9);
        // A legend beside the plot takes no room above the data: 12 + 12 · 0.15.
        assert!((y_range(&chart, true, LABEL_ROOM).1 - 13.8).abs() < 1e-9);

        let svg = to_svg_string((640, 400), |a| draw_series_chart(a, &chart)).unwrap();
        assert_eq!(svg.matches("基线").count(), 1);
        assert_eq!(svg.matches("方案甲").count(), 1);
        // Point markers only on the current scenario's three values.
        assert_eq!(svg.matches("<circle").count(), 3);
        // Drawn before (under) the current line; the y axis reaches past 12.
        let grey = svg.find("stroke=\"#6E6E6E\" stroke-width=\"2\"").expect("a grey overlay stroke");
        let blue = svg.find("stroke=\"#0072B2\"").expect("the blue line");
        assert!(grey < blue);
        assert!(svg.contains("\n14\n"), "a tick above 12");
        let plain = to_svg_string((640, 400), |a| draw_series_chart(a, &with_overlays(vec![]))).unwrap();
        assert!(!plain.contains("\n12\n"));
    }

    /// The numbers of attribute `name` in each `<tag` element of `svg`.
    fn attrs(svg: &str, tag: &str, names: &[&str]) -> Vec<Vec<f64>> {
        svg.split(&format!("<{tag} "))
            .skip(1)
            .map(|e| {
                let e = &e[..e.find('>').unwrap()];
                names.iter().map(|n| {
                    let v = e.split(&format!(" {n}=\"")).nth(1).or_else(|| e.strip_prefix(&format!("{n}=\""))).expect(n);
                    v[..v.find('"').unwrap()].parse().unwrap()
                }).collect()
            })
            .collect()
    }

    #[test]
    fn a_high_value_in_the_last_years_stays_clear_of_the_legend() {
        // The spending chart's shape: spending falls, the budget envelope
        // (dashed) is highest in the last two years, three legend rows, in
        // a chart the size of the page's half-width ones.
        let chart = SeriesChart {
            title: "经费支出与预算".into(),
            y_label: "元".into(),
            years: (2024..=2030).collect(),
            lines: vec![
                Line { label: "总支出".into(), values: vec![103.0, 104.0, 103.0, 101.0, 99.0, 96.0, 94.0], colour: Palette::BLUE, band: None, dashed: false },
                Line { label: "预算总额".into(), values: vec![106.0, 106.0, 112.0, 112.0, 119.0, 119.0, 119.0], colour: Palette::VERMILLION, band: None, dashed: true },
            ],
            markers: vec![],
            references: vec![],
            percent: false,
            overlays: vec![Overlay { label: "基线".into(), colour: Palette::GREY, lines: vec![vec![f64::NAN; 7], vec![f64::NAN; 7]] }],
            lang: Lang::Zh,
        };
        let (w, h) = (478, 300);
        // The axis' share-of-range padding alone leaves the legend over the
        // last years' budget (the defect this guards against)…
        let plot_height = f64::from(h - (2 * 14 + 36 + CAPTION_PX));
        let (y0, y1) = y_range(&chart, false, LABEL_ROOM);
        let legend_bottom = 6.0 + f64::from(ROW as u32 * 3 + 8) + 4.0;
        assert!((y1 - 119.0) / (y1 - y0) * plot_height < legend_bottom, "the case must need the clearance");
        // …so the axis goes higher, and every point drawn lies outside the legend box.
        let svg = to_svg_string((w, h), |a| draw_series_chart(a, &chart)).unwrap();
        let rects = attrs(&svg, "rect", &["x", "y", "width", "height"]);
        let legend = rects.iter().find(|r| (r[3] - f64::from(ROW as u32 * 3 + 8)).abs() < 0.5).expect("the legend box");
        let points = attrs(&svg, "circle", &["cx", "cy"]);
        assert_eq!(points.len(), 14);
        for p in &points {
            let inside = p[0] + 3.0 >= legend[0] && p[0] - 3.0 <= legend[0] + legend[2] && p[1] - 3.0 <= legend[1] + legend[3];
            assert!(!inside, "point {p:?} under the legend {legend:?}");
        }
        // Where nothing is drawn under the legend the axis is as before.
        let mut falling = chart.clone();
        falling.lines[1].values = vec![119.0, 115.0, 110.0, 100.0, 90.0, 80.0, 70.0];
        let (y0, y1) = y_range(&falling, false, LABEL_ROOM);
        let legend_size = (150, ROW as u32 * 3 + 8);
        assert!(clear_of_legend(&falling, y0, (f64::from(w - 2 * 14 - 72), plot_height), legend_size) <= y1);
    }

    /// The x of the SVG text element holding `label`.
    fn text_x(svg: &str, label: &str) -> f64 {
        let end = svg.find(&format!("\n{label}\n")).expect(label);
        let start = svg[..end].rfind("<text").unwrap();
        let x = svg[start..end].split("x=\"").nth(1).unwrap();
        x[..x.find('"').unwrap()].parse().unwrap()
    }

    #[test]
    fn a_wide_short_chart_puts_its_legend_beside_the_plot() {
        // One line: a legend of one row, drawn inside a usual chart's plot…
        let chart = with_overlays(vec![]);
        let usual = to_svg_string((640, 400), |a| draw_series_chart(a, &chart)).unwrap();
        // …but beside the plot of a chart over three times wider than tall,
        // where inside it would cover the lines.
        let wide = to_svg_string((720, 170), |a| draw_series_chart(a, &chart)).unwrap();
        // The last year's tick label marks the plot's right end.
        let beside = |svg: &str| text_x(svg, "当前方案") > text_x(svg, "2026");
        assert!(beside(&wide));
        assert!(!beside(&usual));
        // A short plot keeps more room above the data for the marker labels.
        assert!(26.0 / (170.0 - 94.0) > LABEL_ROOM);
    }
}
