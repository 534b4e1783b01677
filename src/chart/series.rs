use plotters::coord::Shift;
use plotters::prelude::*;

use super::{ChartError, FONT_FAMILY};

/// One line on a time-series chart, with an optional P10–P90 band.
#[derive(Debug, Clone)]
pub struct Line {
    pub label: String,
    pub values: Vec<f64>,
    pub colour: RGBColor,
    pub band: Option<(Vec<f64>, Vec<f64>)>,
    pub dashed: bool,
}

/// A dated target drawn as a marker, coloured by whether it is met.
#[derive(Debug, Clone)]
pub struct Marker {
    pub year: i32,
    pub value: f64,
    pub label: String,
    pub met: bool,
    /// Put the label under the marker, where another series' label sits above.
    pub label_below: bool,
}

/// A horizontal reference, such as a CV ceiling.
#[derive(Debug, Clone)]
pub struct Reference {
    pub value: f64,
    pub label: String,
}

/// A chart of district values by year.
#[derive(Debug, Clone)]
pub struct SeriesChart {
    pub title: String,
    pub y_label: String,
    pub years: Vec<i32>,
    pub lines: Vec<Line>,
    pub markers: Vec<Marker>,
    pub references: Vec<Reference>,
    /// Values are shares; the axis shows percentages.
    pub percent: bool,
}

fn finite(v: &[f64]) -> impl Iterator<Item = f64> + '_ {
    v.iter().copied().filter(|x| x.is_finite())
}

/// Draws the chart. Non-finite values (an undefined CV) are left out of the line.
pub fn draw_series_chart<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, chart: &SeriesChart) -> Result<(), ChartError>
where
    DB::ErrorType: 'static,
{
    area.fill(&WHITE)?;
    let (Some(&first), Some(&last)) = (chart.years.first(), chart.years.last()) else {
        return Ok(());
    };
    let mut lo = f64::INFINITY;
    let mut hi = f64::NEG_INFINITY;
    for l in &chart.lines {
        for v in finite(&l.values).chain(l.band.iter().flat_map(|(a, b)| finite(a).chain(finite(b)))) {
            lo = lo.min(v);
            hi = hi.max(v);
        }
    }
    for v in chart.markers.iter().map(|m| m.value).chain(chart.references.iter().map(|r| r.value)) {
        lo = lo.min(v);
        hi = hi.max(v);
    }
    if !lo.is_finite() {
        (lo, hi) = (0.0, 1.0);
    }
    // Counts and shares read best from zero. The top is padded for labels and
    // for the legend, which sits above the data rather than over it.
    let y0 = if lo >= 0.0 { 0.0 } else { lo * 1.1 };
    let legend_rows = chart.lines.iter().filter(|l| !l.label.is_empty()).count() as f64;
    let y1 = if hi > y0 { hi + (hi - y0) * (0.15 + 0.06 * legend_rows) } else { y0 + 1.0 };

    let mut ctx = ChartBuilder::on(area)
        .caption(&chart.title, (FONT_FAMILY, 20).into_font())
        .margin(14)
        .x_label_area_size(36)
        .y_label_area_size(72)
        .build_cartesian_2d(first as f64 - 0.3..last as f64 + 0.3, y0..y1)?;
    let percent = chart.percent;
    ctx.configure_mesh()
        .y_desc(chart.y_label.as_str())
        .x_labels((last - first + 1) as usize)
        .x_label_formatter(&|x| format!("{:.0}", x))
        .y_label_formatter(&|y| if percent { format!("{:.0}%", y * 100.0) } else { compact(*y) })
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
    for l in &chart.lines {
        let pts: Vec<(f64, f64)> = xs.iter().zip(&l.values).filter(|(_, v)| v.is_finite()).map(|(x, v)| (*x, *v)).collect();
        let style = l.colour.stroke_width(if l.dashed { 2 } else { 3 });
        let colour = l.colour;
        if l.dashed {
            ctx.draw_series(DashedLineSeries::new(pts.clone(), 8, 5, style))?
                .label(l.label.as_str())
                // Two short strokes, so a dashed series reads as dashed in the legend too.
                .legend(move |(x, y)| {
                    EmptyElement::at((x, y))
                        + PathElement::new(vec![(0, 0), (7, 0)], colour.stroke_width(2))
                        + PathElement::new(vec![(13, 0), (20, 0)], colour.stroke_width(2))
                });
        } else {
            ctx.draw_series(LineSeries::new(pts.clone(), style))?
                .label(l.label.as_str())
                .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], colour.stroke_width(3)));
        }
        ctx.draw_series(pts.iter().map(|p| Circle::new(*p, 3, l.colour.filled())))?;
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
        let dy = if m.label_below { -(y1 - y0) * 0.03 } else { (y1 - y0) * 0.05 };
        ctx.draw_series(std::iter::once(Text::new(
            m.label.clone(),
            (f64::from(m.year) - 0.35, m.value + dy),
            (FONT_FAMILY, 13).into_font().color(&colour),
        )))?;
    }
    if chart.lines.iter().any(|l| !l.label.is_empty()) {
        ctx.configure_series_labels()
            .position(SeriesLabelPosition::UpperRight)
            .background_style(WHITE.mix(0.9))
            .border_style(super::Palette::GREY)
            .label_font((FONT_FAMILY, 13))
            .draw()?;
    }
    Ok(())
}

/// Axis labels for counts and money: 12,000 → 1.2万, 3.4e8 → 3.4亿.
fn compact(v: f64) -> String {
    let a = v.abs();
    if a >= 1e8 {
        format!("{:.1}亿", v / 1e8)
    } else if a >= 1e4 {
        format!("{:.1}万", v / 1e4)
    } else if a >= 10.0 || v == 0.0 {
        format!("{:.0}", v)
    } else {
        format!("{:.2}", v)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chart::{to_svg_string, Palette};

    #[test]
    fn compact_labels_use_chinese_units() {
        assert_eq!(compact(120.0), "120");
        assert_eq!(compact(212_000.0), "21.2万");
        assert_eq!(compact(8.7e9), "87.0亿");
        assert_eq!(compact(0.45), "0.45");
    }

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
        };
        let svg = to_svg_string((640, 400), |a| draw_series_chart(a, &chart)).unwrap();
        for text in ["差异系数", "骨干教师", "目标", "上限 0.50", "<polygon"] {
            assert!(svg.contains(text), "missing {text}");
        }
        assert!(!svg.contains("NaN"));
    }
}
