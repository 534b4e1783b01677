//! The seat chart (学位缺口, issue 16): for one level and year, each
//! 学区/集团's pupils beyond its places (a gap, to the right) or places left
//! (to the left), largest gap first; and the briefing's 学位预警 line.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::bars::{build, draw_row_labels, font, head, padded, row_y, zero_line};
use super::{ChartError, Palette};
use crate::engine::{seat_gaps_by_group, Model, Trajectory};
use crate::i18n::Lang;
use crate::roster::Level;

/// One group's row: its pupils and places.
#[derive(Debug, Clone, PartialEq)]
pub struct SeatRow {
    /// The 学区/集团's name.
    pub label: String,
    /// Pupils in its open schools of the level.
    pub pupils: f64,
    /// Their places.
    pub seats: f64,
}

/// A seat chart: rows in the order given (largest gap first).
#[derive(Debug, Clone, PartialEq)]
pub struct SeatChart {
    /// The caption, naming the level and year.
    pub title: String,
    /// The x axis's name.
    pub x_label: String,
    /// The year shown.
    pub year: i32,
    /// One row per group.
    pub rows: Vec<SeatRow>,
    /// The language of the legend and numbers.
    pub lang: Lang,
}

/// The year a level's seat chart shows: the first year of the largest
/// `seat_gap_<level>`, or the last year when no group lacks places.
pub fn seat_chart_year(t: &Trajectory, level: Level) -> Option<i32> {
    let gaps = t.series(&format!("seat_gap_{}", level.key()))?;
    let mut best: Option<(usize, f64)> = None;
    for (k, &g) in gaps.iter().enumerate() {
        if g > 0.0 && best.is_none_or(|(_, b)| g > b) {
            best = Some((k, g));
        }
    }
    best.map(|(k, _)| t.years[k]).or_else(|| t.years.last().copied())
}

/// The seat chart of `level` in the year [`seat_chart_year`] picks, from a
/// run that kept its schools.
pub fn seat_chart(model: &Model, t: &Trajectory, level: Level, lang: Lang) -> SeatChart {
    let year = seat_chart_year(t, level).unwrap_or(model.scenario.scenario.base_year);
    let mut rows: Vec<SeatRow> =
        seat_gaps_by_group(model, t, level, year).into_iter().map(|g| SeatRow { label: g.group, pupils: g.pupils, seats: g.seats }).collect();
    // Largest gap first; the group's name breaks ties, so the order is stable.
    crate::sort::sort_by(&mut rows, |a, b| (b.pupils - b.seats).total_cmp(&(a.pupils - a.seats)).then_with(|| a.label.cmp(&b.label)));
    let level_name = crate::series::level_label(level, lang);
    SeatChart {
        title: lang.pick(format!("{year} 年各学区{level_name}学位：缺口与富余"), format!("{level_name} places by school zone, {year}: gap and room")),
        x_label: lang.pick("在校生减学位数（正为缺口）".to_owned(), "Pupils minus places (above zero: a gap)".to_owned()),
        year,
        rows,
        lang,
    }
}

/// Draws the seat chart: each group's pupils minus places as a bar from
/// zero, vermillion for a gap and blue for places left, its number at the
/// bar's end and its name on the left.
///
/// # Errors
///
/// Fails with a [`ChartError`] holding the backend's message when the backend
/// fails to draw or to measure text.
pub fn draw_seat_chart<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, chart: &SeatChart) -> Result<(), ChartError>
where
    DB::ErrorType: 'static,
{
    let lang = chart.lang;
    let empty = chart.rows.is_empty().then(|| lang.pick("没有学校", "No schools"));
    let (gap_name, room_name) = (lang.pick("学位缺口", "Seat gap"), lang.pick("富余学位", "Places left"));
    if !head(area, &chart.title, empty, &[(Palette::VERMILLION, gap_name), (Palette::BLUE, room_name)])? {
        return Ok(());
    }

    let n = chart.rows.len();
    let d: Vec<f64> = chart.rows.iter().map(|r| r.pupils - r.seats).collect();
    let (x0, x1) = padded(d.iter().copied().fold(0.0, f64::min), d.iter().copied().fold(0.0, f64::max));
    let labels: Vec<&str> = chart.rows.iter().map(|r| r.label.as_str()).collect();
    let (mut ctx, row_h) = build(area, 56, &labels, n, (x0, x1), &chart.x_label, false, lang)?;
    let half = 0.3;
    for (i, &v) in d.iter().enumerate() {
        let y = row_y(n, i);
        let colour = if v > 0.0 { Palette::VERMILLION } else { Palette::BLUE };
        ctx.draw_series(std::iter::once(Rectangle::new([(0.0, y - half), (v, y + half)], colour.filled())))?;
        if row_h >= 16 {
            // `0.0 - v`, not `-v`: no "-0" for a 学区 exactly full.
            let text = if v > 0.0 {
                lang.pick(format!("缺 {}", crate::format::value(v, false, lang)), format!("{} short", crate::format::value(v, false, lang)))
            } else {
                lang.pick(format!("余 {}", crate::format::value(0.0 - v, false, lang)), format!("{} left", crate::format::value(0.0 - v, false, lang)))
            };
            let gap = (x1 - x0) * 0.008;
            // A gap's number right of its bar; places left inside their bar
            // (white) when it is long enough, so it never meets the labels.
            let (x, hpos, colour) = if v > 0.0 {
                (v + gap, HPos::Left, Palette::INK)
            } else if -v > (x1 - x0) * 0.2 {
                (v + gap, HPos::Left, WHITE)
            } else {
                (gap, HPos::Left, Palette::INK)
            };
            ctx.draw_series(std::iter::once(Text::new(text, (x, y), font(11).color(&colour).pos(Pos::new(hpos, VPos::Center)))))?;
        }
    }
    zero_line(&mut ctx, n)?;
    draw_row_labels(area, &ctx, &labels)?;
    Ok(())
}

/// The 学位预警 line: for each of `years` and each level, the groups short
/// of places and the pupils beyond them, or that every group has room.
pub fn seat_warning(model: &Model, t: &Trajectory, years: &[i32], lang: Lang) -> String {
    let mut parts = Vec::new();
    for &year in years {
        for level in Level::ALL {
            let groups = seat_gaps_by_group(model, t, level, year);
            let short: Vec<_> = groups.iter().filter(|g| g.gap() > 0.0).collect();
            if short.is_empty() {
                continue;
            }
            let total: f64 = short.iter().map(|g| g.gap()).sum();
            let worst = short.iter().max_by(|a, b| a.gap().total_cmp(&b.gap()).then_with(|| b.group.cmp(&a.group))).map(|g| g.group.as_str()).unwrap_or("");
            let level_name = crate::series::level_label(level, lang);
            let n = short.len();
            let total = crate::format::value(total, false, lang);
            parts.push(lang.pick(
                format!("{year} 年{level_name} {n} 个学区学位不足，共缺 {total} 个（最多：{worst}）"),
                format!("{year}: {n} school zone(s) short of {} places, {total} in all (most: {worst})", level_name.to_lowercase()),
            ));
        }
    }
    let years_text = years.iter().map(|y| y.to_string()).collect::<Vec<_>>().join(lang.pick("、", ", "));
    if parts.is_empty() {
        lang.pick(
            format!("学位预警：{years_text} 年各学区小学、初中学位均充足。"),
            format!("Seat warning: every school zone has room at both levels in {years_text}."),
        )
    } else {
        let sep = lang.pick("；", "; ");
        lang.pick(format!("学位预警：{}。", parts.join(sep)), format!("Seat warning: {}.", parts.join(sep)))
    }
}
