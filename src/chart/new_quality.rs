use plotters::coord::Shift;
use plotters::prelude::*;

use super::{ChartError, Palette, FONT_FAMILY};
use crate::plan::GrowthPlan;

/// What the new-quality trajectory chart shows: a plan's milestones, and a
/// straight-line projection at a yearly gain the planner chooses.
#[derive(Debug, Clone)]
pub struct NewQualityChart<'a> {
    /// The plan: its starting value and its dated milestones.
    pub plan: &'a GrowthPlan,
    /// New district-level schools added per year in the projection.
    pub yearly_gain: f64,
    /// Last year on the horizontal axis.
    pub last_year: i32,
}

/// Draws the plan's milestones against the projection, marking each milestone
/// met or missed.
///
/// # Errors
///
/// Fails with a [`ChartError`] holding the backend's message when the backend
/// fails to draw or to measure text (for example, a font it cannot load).
pub fn draw_new_quality_trajectory<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    chart: &NewQualityChart<'_>,
) -> Result<(), ChartError>
where
    DB::ErrorType: 'static,
{
    let projection = chart.plan.linear_projection(chart.yearly_gain, chart.last_year);
    let top = projection
        .iter()
        .map(|&(_, v)| v)
        .chain(chart.plan.milestones.iter().map(|m| m.value))
        .fold(chart.plan.start_value, f64::max);
    let y_max = (top * 1.15 / 20.0).ceil() * 20.0;

    area.fill(&WHITE)?;
    let mut ctx = ChartBuilder::on(area)
        .caption("浦东新区区级新优质项目校数量：规划目标与推算", (FONT_FAMILY, 22).into_font())
        .margin(16)
        .x_label_area_size(48)
        .y_label_area_size(64)
        .build_cartesian_2d(
            (chart.plan.start_year as f64 - 0.4)..(chart.last_year as f64 + 0.4),
            0.0..y_max,
        )?;

    ctx.configure_mesh()
        .x_desc("年份")
        .y_desc("学校数（所）")
        .x_labels((chart.last_year - chart.plan.start_year + 1) as usize)
        .x_label_formatter(&|x| format!("{:.0}", x))
        .y_label_formatter(&|y| format!("{:.0}", y))
        .axis_desc_style((FONT_FAMILY, 16))
        .label_style((FONT_FAMILY, 14))
        .light_line_style(RGBColor(235, 235, 235))
        .draw()?;

    let as_xy = |(year, v): &(i32, f64)| (f64::from(*year), *v);
    ctx.draw_series(LineSeries::new(projection.iter().map(as_xy), Palette::BLUE.stroke_width(3)))?
        .label(format!("推算：每年新增 {:.0} 所", chart.yearly_gain))
        .legend(|(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], Palette::BLUE.stroke_width(3)));
    ctx.draw_series(projection.iter().map(|p| Circle::new(as_xy(p), 4, Palette::BLUE.filled())))?;

    let mut targets = vec![(chart.plan.start_year, chart.plan.start_value)];
    targets.extend(chart.plan.milestones.iter().map(|m| (m.year, m.value)));
    ctx.draw_series(LineSeries::new(
        targets.iter().map(as_xy),
        Palette::ORANGE.stroke_width(2),
    ))?
    .label("规划目标（附件2）")
    .legend(|(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], Palette::ORANGE.stroke_width(2)));

    for m in &chart.plan.milestones {
        let (_, met) = chart.plan.verdict(chart.yearly_gain, m);
        let (colour, verdict) = if met { (Palette::GREEN, "达成") } else { (Palette::VERMILLION, "未达成") };
        let at = (f64::from(m.year), m.value);
        ctx.draw_series(std::iter::once(TriangleMarker::new(at, 9, colour.filled())))?;
        ctx.draw_series(std::iter::once(Text::new(
            format!("{} 年目标 {:.0} 所 · {}", m.year, m.value, verdict),
            (f64::from(m.year) - 0.45, m.value + y_max * 0.05),
            (FONT_FAMILY, 14).into_font().color(&colour),
        )))?;
    }

    ctx.configure_series_labels()
        .position(SeriesLabelPosition::UpperLeft)
        .background_style(WHITE.mix(0.9))
        .border_style(Palette::GREY)
        .label_font((FONT_FAMILY, 14))
        .draw()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chart::to_svg_string;
    use crate::plan::pudong_new_quality_schools;

    fn svg_for(gain: f64) -> String {
        let plan = pudong_new_quality_schools();
        let chart = NewQualityChart { plan: &plan, yearly_gain: gain, last_year: 2028 };
        to_svg_string((800, 480), |area| draw_new_quality_trajectory(area, &chart)).unwrap()
    }

    #[test]
    fn svg_has_chinese_title_axes_and_verdicts() {
        let svg = svg_for(22.0);
        for text in ["浦东新区区级新优质项目校数量", "年份", "学校数（所）", "2026 年目标 120 所 · 达成"] {
            assert!(svg.contains(text), "SVG lacks {text}");
        }
    }

    #[test]
    fn too_slow_a_gain_misses_the_milestones() {
        let svg = svg_for(15.0);
        // 58 + 15 = 73 < 80, 58 + 30 = 88 < 100, 58 + 45 = 103 < 120.
        assert_eq!(svg.matches("未达成").count(), 3);
        // 58 + 21·1 = 79 misses 2024 only; 2025 (100) and 2026 (121) are met.
        let svg = svg_for(21.0);
        assert_eq!(svg.matches("未达成").count(), 1);
        assert!(svg.contains("2024 年目标 80 所 · 未达成"));
    }

    #[test]
    fn same_input_same_svg() {
        assert_eq!(svg_for(20.0), svg_for(20.0));
        assert_ne!(svg_for(20.0), svg_for(25.0));
    }
}
