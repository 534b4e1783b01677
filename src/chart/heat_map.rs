//! Schools × indicators in one year: each cell is a school's value as a share
//! of its level's threshold, so a planner sees at once which schools fall
//! short on what. Laid out in pixels rather than on a Cartesian chart, since
//! the cells are categories, and it must work from 8 schools to 300 and more.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::labels::{indicator_label, level_label};
use super::{ChartError, Palette, FONT_FAMILY};
use crate::engine::{Model, Trajectory};
use crate::i18n::Lang;
use crate::metrics::{Indicator, PerIndicator};
use crate::roster::Level;

/// The colour scale's ends: at or below half the threshold, at or above 1.5×.
pub const RATIO_MIN: f64 = 0.5;
/// The scale's upper end: a ratio at or above 1.5 is full blue.
pub const RATIO_MAX: f64 = 1.5;
/// At the threshold: near-white, the midpoint of the diverging scale.
pub const NEUTRAL: RGBColor = RGBColor(247, 247, 247);
/// A value that does not exist (a school without pupils).
pub const MISSING: RGBColor = RGBColor(175, 175, 175);

/// One school row (one level of a school) in the year shown.
#[derive(Debug, Clone, PartialEq)]
pub struct HeatRow {
    /// The school's code (学校代码).
    pub school_id: String,
    /// The school's name, shown under its column when it fits.
    pub name: String,
    /// The level of this row (a nine-year school has a row at each level).
    pub level: Level,
    /// Each indicator's value ÷ the level's threshold, not clamped; `None`
    /// where the school has no pupils.
    pub ratios: PerIndicator<Option<f64>>,
}

/// The heat map of one year, ready to draw with [`draw_heat_map`].
#[derive(Debug, Clone, PartialEq)]
pub struct HeatMap {
    /// The picture's title, in `lang`.
    pub title: String,
    /// The year shown.
    pub year: i32,
    /// The open school rows: primary first, then junior, each level sorted
    /// weakest first (see [`heat_map`]).
    pub rows: Vec<HeatRow>,
    /// The language of the title, headings and scale.
    pub lang: Lang,
}

/// Per level, what the picture shows as text: how many schools fall below
/// each indicator's threshold, and how many have no value.
#[derive(Debug, Clone, PartialEq)]
pub struct LevelCounts {
    /// The level counted.
    pub level: Level,
    /// Open schools at this level.
    pub schools: u32,
    /// Per indicator, schools whose value is under its threshold.
    pub below: PerIndicator<u32>,
    /// Per indicator, schools without a value (no pupils).
    pub missing: PerIndicator<u32>,
}

/// The colour of a ratio: Okabe–Ito vermillion at ≤ 0.5, near-white at 1.0,
/// Okabe–Ito blue at ≥ 1.5, linear in between; grey when there is no value.
/// Vermillion and blue stay apart under the common colour-vision deficiencies.
pub fn heat_colour(ratio: Option<f64>) -> RGBColor {
    let Some(r) = ratio.filter(|r| !r.is_nan()) else { return MISSING };
    let t = (r.clamp(RATIO_MIN, RATIO_MAX) - 1.0) / (RATIO_MAX - 1.0);
    let end = if t < 0.0 { Palette::VERMILLION } else { Palette::BLUE };
    let mix = |a: u8, b: u8| (f64::from(a) + (f64::from(b) - f64::from(a)) * t.abs()).round() as u8;
    RGBColor(mix(NEUTRAL.0, end.0), mix(NEUTRAL.1, end.1), mix(NEUTRAL.2, end.2))
}

/// The order within a level: the mean of the clamped ratios, so one surplus
/// far above the standard cannot hide a shortfall elsewhere, as on the
/// picture. Schools without any value sort last.
fn score(r: &HeatRow) -> f64 {
    let v: Vec<f64> = r.ratios.iter().flatten().map(|x| x.clamp(RATIO_MIN, RATIO_MAX)).collect();
    if v.is_empty() {
        f64::INFINITY
    } else {
        v.iter().sum::<f64>() / v.len() as f64
    }
}

/// The heat map of `year` from the per-school trajectories of `t` (a run that
/// kept them). Closed schools are left out; ties keep roster order.
pub fn heat_map(model: &Model, t: &Trajectory, year: i32, lang: Lang) -> HeatMap {
    let mut rows: Vec<HeatRow> = t
        .schools
        .iter()
        .filter_map(|s| {
            let y = s.years.iter().find(|y| y.year == year && y.open)?;
            let st = model.scenario.standards.level(s.level);
            // Thresholds are positive: validation keeps them ≥ 1e-9.
            let ratios = std::array::from_fn(|k| y.indicators[k].map(|v| v / st.threshold(Indicator::ALL[k])));
            Some(HeatRow { school_id: s.school_id.clone(), name: s.name.clone(), level: s.level, ratios })
        })
        .collect();
    crate::sort::sort_by(&mut rows, |a, b| a.level.cmp(&b.level).then(score(a).total_cmp(&score(b))));
    HeatMap {
        title: lang.pick(format!("{year}年各校七项指标（占标准的比例）"), format!("Seven indicators by school, {year} (share of the standard)")),
        year,
        rows,
        lang,
    }
}

impl HeatMap {
    /// The rows of `level`, in drawing order.
    pub fn level_rows(&self, level: Level) -> impl Iterator<Item = &HeatRow> {
        self.rows.iter().filter(move |r| r.level == level)
    }

    /// For each level with open schools: schools below each threshold (ratio
    /// under 1, as the pass rule counts them) and schools without a value.
    pub fn below_counts(&self) -> Vec<LevelCounts> {
        Level::ALL
            .into_iter()
            .filter_map(|level| {
                let mut c = LevelCounts { level, schools: 0, below: [0; 7], missing: [0; 7] };
                for r in self.level_rows(level) {
                    c.schools += 1;
                    for (k, ratio) in r.ratios.iter().enumerate() {
                        match ratio {
                            Some(x) if *x < 1.0 => c.below[k] += 1,
                            Some(_) => {}
                            None => c.missing[k] += 1,
                        }
                    }
                }
                (c.schools > 0).then_some(c)
            })
            .collect()
    }
}

/// Shortens `text` with "…" until it fits `width` pixels.
fn fit<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, text: &str, style: &TextStyle, width: u32) -> Option<String> {
    let mut s = text.to_owned();
    let mut cut = false;
    loop {
        let shown = if cut { format!("{s}…") } else { s.clone() };
        if area.estimate_text_size(&shown, style).is_ok_and(|(w, _)| w <= width) {
            return Some(shown);
        }
        s.pop()?;
        cut = true;
    }
}

/// Draws the heat map: a title; per level a heading, then the seven indicators
/// as rows and the schools as columns (names under the columns when they fit);
/// and at the bottom the colour scale.
///
/// # Errors
///
/// Fails with a [`ChartError`] holding the backend's message when the backend
/// fails to draw or to measure text (for example, a font it cannot load).
pub fn draw_heat_map<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, map: &HeatMap) -> Result<(), ChartError>
where
    DB::ErrorType: 'static,
{
    let lang = map.lang;
    area.fill(&WHITE)?;
    let (w, h) = area.dim_in_pixel();
    let (w, h) = (w as i32, h as i32);
    let at = |h: HPos, v: VPos| Pos::new(h, v);
    let font = |size: u32| TextStyle::from((FONT_FAMILY, size).into_font());
    area.draw(&Text::new(map.title.clone(), (w / 2, 8), font(18).pos(at(HPos::Center, VPos::Top))))?;

    let blocks: Vec<(Level, Vec<&HeatRow>)> = Level::ALL
        .into_iter()
        .map(|l| (l, map.level_rows(l).collect::<Vec<_>>()))
        .filter(|(_, rows)| !rows.is_empty())
        .collect();
    if blocks.is_empty() {
        let none = lang.pick("该年没有开办的学校", "No open schools in this year");
        area.draw(&Text::new(none, (w / 2, h / 2), font(14).pos(at(HPos::Center, VPos::Center))))?;
        return Ok(());
    }

    let (margin, top, legend_h, heading_h, names_h) = (12, 36, 44, 20, 16);
    let labels: Vec<&str> = Indicator::ALL.iter().map(|&i| indicator_label(i, lang)).collect();
    let label_font = font(12);
    let label_w = labels.iter().map(|l| area.estimate_text_size(l, &label_font).map_or(0, |(w, _)| w as i32)).max().unwrap_or(0);
    let left = margin + label_w + 8;
    let plot_w = (w - left - margin).max(1);
    // Names under the columns only where a column is wide enough to read one.
    let names = |n: usize| plot_w / n as i32 >= 40;
    let fixed: i32 = blocks.iter().map(|(_, rows)| heading_h + 6 + if names(rows.len()) { names_h } else { 0 }).sum();
    let row_h = ((h - top - legend_h - fixed) / (7 * blocks.len() as i32)).clamp(4, 28);

    let mut y = top;
    for (level, rows) in &blocks {
        let n = rows.len();
        let heading = lang.pick(
            format!("{}（{n} 所，按平均达标程度由低到高排列）", level_label(*level, lang)),
            format!("{} ({n} schools, weakest on average first)", level_label(*level, lang)),
        );
        area.draw(&Text::new(heading, (margin, y + 3), font(14)))?;
        y += heading_h;
        // Column edges by integer division, so columns tile the width exactly;
        // a white gap between cells only where cells are wide enough for one.
        let x_at = |c: usize| left + (plot_w as i64 * c as i64 / n as i64) as i32;
        let gap_x = i32::from(plot_w / n as i32 >= 12);
        let gap_y = i32::from(row_h >= 8);
        for (k, label) in labels.iter().enumerate() {
            let y0 = y + k as i32 * row_h;
            let style = label_font.pos(at(HPos::Right, VPos::Center));
            area.draw(&Text::new(*label, (left - 6, y0 + row_h / 2), style))?;
            for (c, r) in rows.iter().enumerate() {
                let cell = [(x_at(c), y0), (x_at(c + 1) - gap_x, y0 + row_h - gap_y)];
                area.draw(&Rectangle::new(cell, heat_colour(r.ratios[k]).filled()))?;
            }
        }
        y += 7 * row_h;
        if names(n) {
            let style = font(11).pos(at(HPos::Center, VPos::Top));
            for (c, r) in rows.iter().enumerate() {
                if let Some(name) = fit(area, &r.name, &style, (x_at(c + 1) - x_at(c) - 4) as u32) {
                    area.draw(&Text::new(name, ((x_at(c) + x_at(c + 1)) / 2, y + 2), style.clone()))?;
                }
            }
            y += names_h;
        }
        y += 6;
    }

    // The scale: a caption, the gradient with 50%/100%/150% under it, and the
    // swatch for a missing value.
    let bar_y = h - legend_h + 8;
    let caption = lang.pick("颜色：占标准的比例", "Colour: share of the standard");
    let caption_w = area.estimate_text_size(caption, &label_font).map_or(0, |(w, _)| w as i32);
    area.draw(&Text::new(caption, (margin, bar_y + 6), label_font.pos(at(HPos::Left, VPos::Center))))?;
    let (steps, step_w) = (40, 5);
    let bar_x = left.max(margin + caption_w + 10);
    for s in 0..steps {
        let ratio = RATIO_MIN + (RATIO_MAX - RATIO_MIN) * (f64::from(s) + 0.5) / f64::from(steps);
        let x = bar_x + s * step_w;
        area.draw(&Rectangle::new([(x, bar_y), (x + step_w, bar_y + 12)], heat_colour(Some(ratio)).filled()))?;
    }
    let bar_end = bar_x + steps * step_w;
    area.draw(&Rectangle::new([(bar_x, bar_y), (bar_end, bar_y + 12)], Palette::GREY.stroke_width(1)))?;
    let mid = (bar_x + bar_end) / 2;
    area.draw(&PathElement::new(vec![(mid, bar_y - 3), (mid, bar_y + 15)], Palette::INK.stroke_width(1)))?;
    for (text, x, hpos) in [("≤50%", bar_x, HPos::Left), ("100%", mid, HPos::Center), ("≥150%", bar_end, HPos::Right)] {
        area.draw(&Text::new(text, (x, bar_y + 17), label_font.pos(at(hpos, VPos::Top))))?;
    }
    let sx = bar_end + 24;
    area.draw(&Rectangle::new([(sx, bar_y), (sx + 12, bar_y + 12)], MISSING.filled()))?;
    let no_data = lang.pick("无数据（无在校生）", "No data (no pupils)");
    area.draw(&Text::new(no_data, (sx + 18, bar_y + 6), label_font.pos(at(HPos::Left, VPos::Center))))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chart::to_svg_string;

    fn row(id: &str, level: Level, ratios: [Option<f64>; 7]) -> HeatRow {
        HeatRow { school_id: id.into(), name: format!("学校{id}"), level, ratios }
    }

    #[test]
    fn colours_clamp_at_half_and_one_and_a_half_of_the_standard() {
        assert_eq!(heat_colour(Some(0.5)), Palette::VERMILLION);
        assert_eq!(heat_colour(Some(0.1)), Palette::VERMILLION);
        assert_eq!(heat_colour(Some(1.0)), NEUTRAL);
        assert_eq!(heat_colour(Some(1.5)), Palette::BLUE);
        assert_eq!(heat_colour(Some(9.0)), Palette::BLUE);
        assert_eq!(heat_colour(Some(f64::INFINITY)), Palette::BLUE);
        // Halfway from (247, 247, 247) to vermillion (213, 94, 0): 230, 170.5, 123.5, rounded away from zero.
        assert_eq!(heat_colour(Some(0.75)), RGBColor(230, 171, 124));
        // A fifth of the way to blue (0, 114, 178): 247 − 49.4, 247 − 26.6, 247 − 13.8.
        assert_eq!(heat_colour(Some(1.1)), RGBColor(198, 220, 233));
        assert_eq!(heat_colour(None), MISSING);
        assert_eq!(heat_colour(Some(f64::NAN)), MISSING);
    }

    #[test]
    fn schools_sort_weakest_first_by_their_clamped_mean() {
        // A: one huge surplus (clamped to 1.5) and six at 0.8: mean (1.5 + 4.8) / 7 = 0.9.
        // B: all at 0.95: mean 0.95. Unclamped, A's mean would be (9 + 4.8) / 7 ≈ 1.97 and sort last.
        // C: no values: last. D (junior, weak) still comes after every primary school.
        let a = row("A", Level::Primary, [Some(9.0), Some(0.8), Some(0.8), Some(0.8), Some(0.8), Some(0.8), Some(0.8)]);
        let b = row("B", Level::Primary, [Some(0.95); 7]);
        let c = row("C", Level::Primary, [None; 7]);
        let d = row("D", Level::Junior, [Some(0.2); 7]);
        assert!((score(&a) - 0.9).abs() < 1e-12);
        let mut rows = vec![d.clone(), c.clone(), b.clone(), a.clone()];
        crate::sort::sort_by(&mut rows, |x, y| x.level.cmp(&y.level).then(score(x).total_cmp(&score(y))));
        let ids: Vec<&str> = rows.iter().map(|r| r.school_id.as_str()).collect();
        assert_eq!(ids, ["A", "B", "C", "D"]);

        let map = HeatMap { title: "t".into(), year: 2024, rows, lang: Lang::Zh };
        let counts = map.below_counts();
        assert_eq!(counts.len(), 2);
        assert_eq!((counts[0].level, counts[0].schools), (Level::Primary, 3));
        // Indicator 0: A at 9.0 meets, B at 0.95 is below, C has none.
        assert_eq!(counts[0].below, [1, 2, 2, 2, 2, 2, 2]);
        assert_eq!(counts[0].missing, [1; 7]);
        assert_eq!(counts[1].below, [1; 7]);
    }

    fn model(id: &str) -> Model {
        let s = crate::scenario::builtin::builtin(id).unwrap().scenario().unwrap();
        let roster = s.resolve_roster(|_| Err("no CSV".into())).unwrap();
        Model::new(s, roster).unwrap()
    }

    #[test]
    fn built_from_a_run_leaving_out_closed_schools() {
        let m = model("minhang-hongqiao-district");
        let mut t = m.run_central();
        let year = t.years[1];
        let open = t.schools.len();
        let map = heat_map(&m, &t, year, Lang::Zh);
        assert_eq!(map.rows.len(), open);
        // Hand-check one ratio against the run and the standards.
        let s = &t.schools[0];
        let r = map.rows.iter().find(|r| r.school_id == s.school_id && r.level == s.level).unwrap();
        let v = s.years[1].indicators[1].unwrap();
        assert_eq!(r.ratios[1], Some(v / m.scenario.standards.level(s.level).threshold(Indicator::ALL[1])));
        // Sorted within each level.
        for level in Level::ALL {
            let scores: Vec<f64> = map.level_rows(level).map(score).collect();
            assert!(scores.windows(2).all(|p| p[0] <= p[1]), "{level:?}: {scores:?}");
        }
        // Close one school in that year: it is left out.
        t.schools[0].years[1].open = false;
        assert_eq!(heat_map(&m, &t, year, Lang::Zh).rows.len(), open - 1);
        // A year outside the run: no rows, and the drawing says so.
        let empty = heat_map(&m, &t, 1990, Lang::En);
        assert!(empty.rows.is_empty());
        let svg = to_svg_string((900, 420), |a| draw_heat_map(a, &empty)).unwrap();
        assert!(svg.contains("No open schools in this year"));
    }

    #[test]
    fn draws_every_cell_for_a_district_of_three_hundred_schools() {
        let m = model("pudong-2024");
        let t = m.run_central();
        let map = heat_map(&m, &t, t.years[0], Lang::En);
        assert!(map.rows.len() > 300, "{} rows", map.rows.len());
        let svg = to_svg_string((900, 420), |a| draw_heat_map(a, &map)).unwrap();
        // One rect per cell, plus the background, the 40 scale steps, its frame and the missing swatch.
        assert_eq!(svg.matches("<rect").count(), map.rows.len() * 7 + 1 + 40 + 1 + 1);
        for text in ["Primary (", "Junior (", "Backbone teachers", "≤50%", "100%", "≥150%", "No data"] {
            assert!(svg.contains(text), "missing {text}");
        }
        // Too narrow for names: none drawn.
        assert!(!svg.contains(&map.rows[0].name));
    }
}
