//! The standard district charts, built from a run's results. Each returns a
//! [`SeriesChart`] that any backend can draw, in the language asked for, with
//! the baseline and any pinned scenarios overlaid.

use plotters::style::RGBColor;

use super::labels::{indicator_label, is_share_series, level_label, series_label, value_text};
use super::{Line, Marker, Overlay, Palette, Reference, SeriesChart};
use crate::engine::{MonteCarlo, Model, Trajectory};
use crate::i18n::Lang;
use crate::metrics::Indicator;
use crate::roster::Level;

/// Okabe–Ito colours for the seven indicators, in [`Indicator::ALL`] order.
pub(crate) const INDICATOR_COLOURS: [RGBColor; 7] =
    [Palette::BLUE, Palette::ORANGE, Palette::SKY, Palette::GREEN, Palette::VERMILLION, Palette::PURPLE, Palette::INK];

/// Another run to draw for comparison: the baseline (in [`Palette::GREY`]) or
/// a pinned scenario (in one of [`super::OVERLAY_COLOURS`]).
#[derive(Debug, Clone, Copy)]
pub struct OverlaySource<'a> {
    /// The legend name of the compared run (the baseline, a pinned scenario's name).
    pub label: &'a str,
    /// Its colour.
    pub colour: RGBColor,
    /// The compared run's results.
    pub trajectory: &'a Trajectory,
}

/// The overlays of `keys` (the chart's solid lines), each source's values
/// matched to `years` by year, so a run over other years still lines up.
fn overlays(sources: &[OverlaySource], years: &[i32], keys: &[&str], suffix: &str) -> Vec<Overlay> {
    sources
        .iter()
        .map(|s| Overlay {
            label: format!("{}{suffix}", s.label),
            colour: s.colour,
            lines: keys
                .iter()
                .map(|k| years.iter().map(|y| s.trajectory.value(k, *y).unwrap_or(f64::NAN)).collect())
                .collect(),
        })
        .collect()
}

fn line(label: &str, key: &str, t: &Trajectory, mc: Option<&MonteCarlo>, colour: RGBColor) -> Line {
    Line {
        label: label.to_owned(),
        values: t.series(key).map(<[f64]>::to_vec).unwrap_or_default(),
        colour,
        band: mc.and_then(|m| m.band(key)).map(|(lo, _, hi)| (lo.to_vec(), hi.to_vec())),
        dashed: false,
    }
}

/// A reference line (capacity, need, envelope), drawn dashed.
fn dashed(label: &str, key: &str, t: &Trajectory, mc: Option<&MonteCarlo>, colour: RGBColor) -> Line {
    Line { dashed: true, ..line(label, key, t, mc, colour) }
}

/// A chart of `lines` with no markers or references, overlaying `solid` keys.
fn chart(
    title: &str,
    y_label: &str,
    t: &Trajectory,
    lines: Vec<Line>,
    solid: &[&str],
    sources: &[OverlaySource],
    lang: Lang,
) -> SeriesChart {
    SeriesChart {
        title: title.into(),
        y_label: y_label.into(),
        years: t.years.clone(),
        lines,
        markers: vec![],
        references: vec![],
        percent: false,
        overlays: overlays(sources, &t.years, solid, ""),
        lang,
    }
}

/// Markers for the scenario's targets on `series`, coloured by the central
/// run and labelled with `name`, so two series' targets at one point stay apart.
fn target_markers(model: &Model, t: &Trajectory, series: &str, name: &str, label_below: bool) -> Vec<Marker> {
    model
        .scenario
        .targets
        .iter()
        .zip(&t.targets)
        .filter(|(target, _)| target.series == series)
        .map(|(target, outcome)| Marker {
            year: target.year,
            value: target.value,
            label: format!("{name} {:.0}", target.value),
            met: outcome.met,
            label_below,
        })
        .collect()
}

/// The new-quality programme (seed 000 附件2): district new-quality schools,
/// innovation projects and demonstration schools by year, with P10–P90 bands
/// when `mc` is given and a marker on each of the scenario's targets on them.
pub fn new_quality_chart(
    model: &Model,
    t: &Trajectory,
    mc: Option<&MonteCarlo>,
    sources: &[OverlaySource],
    lang: Lang,
) -> SeriesChart {
    let keys = ["new_quality_schools", "innovation_projects", "demonstration_schools"];
    let lines = vec![
        line(&series_label(keys[0], lang), keys[0], t, mc, Palette::BLUE),
        line(&series_label(keys[1], lang), keys[1], t, mc, Palette::ORANGE),
        line(&series_label(keys[2], lang), keys[2], t, mc, Palette::GREEN),
    ];
    let title = lang.pick("区级新优质项目校数量", "District new-quality schools");
    SeriesChart {
        markers: [
            target_markers(model, t, keys[0], lang.pick("学校", "Schools"), false),
            target_markers(model, t, keys[1], lang.pick("项目", "Projects"), true),
            target_markers(model, t, keys[2], lang.pick("示范校", "Demonstration"), false),
        ]
        .concat(),
        ..chart(title, lang.pick("学校数（所）", "Schools"), t, lines, &keys, sources, lang)
    }
}

/// The CVs of the seven indicators at `level`, under the level's ceiling.
/// Overlays show each compared run's largest CV only: seven dashed lines per
/// run would bury the current scenario's.
pub fn cv_chart(model: &Model, t: &Trajectory, level: Level, sources: &[OverlaySource], lang: Lang) -> SeriesChart {
    let ceiling = model.scenario.standards.level(level).cv_ceiling.value;
    let lines = Indicator::ALL
        .iter()
        .zip(INDICATOR_COLOURS)
        .map(|(i, c)| line(indicator_label(*i, lang), &format!("cv.{}.{}", level.key(), i.key()), t, None, c))
        .collect();
    let l = level_label(level, lang);
    let title = lang.pick(format!("{l}各项指标差异系数"), format!("{l} schools: CV of each indicator"));
    let max_key = format!("cv_max_{}", level.key());
    SeriesChart {
        references: vec![Reference { value: ceiling, label: format!("{} {ceiling:.2}", lang.pick("上限", "Ceiling")) }],
        overlays: overlays(sources, &t.years, &[&max_key], lang.pick("（最大值）", " (max)")),
        ..chart(&title, lang.pick("差异系数", "CV"), t, lines, &[], &[], lang)
    }
}

/// Pupils by level against school places (dashed), with P10–P90 bands when
/// `mc` is given.
pub fn enrollment_chart(t: &Trajectory, mc: Option<&MonteCarlo>, sources: &[OverlaySource], lang: Lang) -> SeriesChart {
    let lines = vec![
        line(lang.pick("小学在校生", "Primary students"), "students_primary", t, mc, Palette::BLUE),
        line(lang.pick("初中在校生", "Junior students"), "students_junior", t, mc, Palette::ORANGE),
        dashed(lang.pick("小学学位", "Primary places"), "capacity_primary", t, None, Palette::BLUE),
        dashed(lang.pick("初中学位", "Junior places"), "capacity_junior", t, None, Palette::ORANGE),
    ];
    let title = lang.pick("在校生与学位", "Students and school places");
    chart(title, lang.pick("学生数", "Students"), t, lines, &["students_primary", "students_junior"], sources, lang)
}

/// Teachers employed by level against the staffing norm's need (dashed).
pub fn teachers_chart(t: &Trajectory, mc: Option<&MonteCarlo>, sources: &[OverlaySource], lang: Lang) -> SeriesChart {
    let lines = vec![
        line(lang.pick("小学教师", "Primary teachers"), "teachers_primary", t, mc, Palette::BLUE),
        dashed(lang.pick("小学按编制需求", "Primary need (staffing norm)"), "teacher_need_primary", t, mc, Palette::BLUE),
        line(lang.pick("初中教师", "Junior teachers"), "teachers_junior", t, mc, Palette::ORANGE),
        dashed(lang.pick("初中按编制需求", "Junior need (staffing norm)"), "teacher_need_junior", t, mc, Palette::ORANGE),
    ];
    let title = lang.pick("教师需求与在编教师", "Teachers employed and needed");
    chart(title, lang.pick("教师数", "Teachers"), t, lines, &["teachers_primary", "teachers_junior"], sources, lang)
}

/// Total spending against the budget envelope (dashed), in yuan.
pub fn spending_chart(t: &Trajectory, mc: Option<&MonteCarlo>, sources: &[OverlaySource], lang: Lang) -> SeriesChart {
    let lines = vec![
        line(lang.pick("总支出", "Total spending"), "spend_total_yuan", t, mc, Palette::BLUE),
        dashed(lang.pick("预算总额", "Budget envelope"), "budget_envelope_yuan", t, None, Palette::VERMILLION),
    ];
    let title = lang.pick("经费支出与预算", "Spending and budget");
    chart(title, lang.pick("元", "Yuan"), t, lines, &["spend_total_yuan"], sources, lang)
}

/// The share of schools passing the assessment (6 of 7 indicators met, the 7th
/// at least 85% of its threshold), by level, on a percentage axis.
pub fn pass_share_chart(t: &Trajectory, mc: Option<&MonteCarlo>, sources: &[OverlaySource], lang: Lang) -> SeriesChart {
    let lines = vec![
        line(level_label(Level::Primary, lang), "pass_share_primary", t, mc, Palette::BLUE),
        line(level_label(Level::Junior, lang), "pass_share_junior", t, mc, Palette::ORANGE),
    ];
    let title = lang.pick(
        "七项指标达标（6项达标且第7项≥85%）的学校比例",
        "Schools passing (6 of 7 met, 7th ≥85%)",
    );
    SeriesChart {
        percent: true,
        ..chart(title, lang.pick("学校比例", "Share of schools"), t, lines, &["pass_share_primary", "pass_share_junior"], sources, lang)
    }
}

/// The y-axis name for a target chart: the catalogue's unit of `series`
/// (a count for a key no run records).
fn unit_label(series: &str, lang: Lang) -> &'static str {
    crate::series::unit(series).unwrap_or(crate::series::Unit::Count).axis_label(lang)
}

/// One district series with a marker on each of the scenario's targets on it:
/// "≥120 · P=34%", the target and, with a Monte Carlo run, the share of runs
/// that meet it; green when the central run meets it, vermillion when not.
/// Shares (see [`is_share_series`]) are drawn on a percentage axis.
pub fn target_chart(
    model: &Model,
    t: &Trajectory,
    mc: Option<&MonteCarlo>,
    series: &str,
    sources: &[OverlaySource],
    lang: Lang,
) -> SeriesChart {
    let percent = is_share_series(series);
    let mut markers: Vec<Marker> = Vec::new();
    for (j, (target, outcome)) in model.scenario.targets.iter().zip(&t.targets).enumerate() {
        if target.series != series {
            continue;
        }
        let mut label = format!("{}{}", target.op.symbol(), value_text(target.value, percent));
        if target.set_by_plan() {
            // Met by construction: the mark, no probability.
            label += &format!(" · {}", target.kind.mark(lang));
        } else if let Some(p) = mc.and_then(|m| m.target_probability.get(j)) {
            label += &format!(" · P={}", crate::format::probability(*p));
        }
        // Alternate labels above and below when several targets share a year.
        let label_below = markers.iter().filter(|m| m.year == target.year).count() % 2 == 1;
        markers.push(Marker { year: target.year, value: target.value, label, met: outcome.met, label_below });
    }
    let name = match mc {
        Some(_) => lang.pick("当前方案（阴影为 P10–P90）", "Current scenario (shaded: P10–P90)"),
        None => lang.pick("当前方案", "Current scenario"),
    };
    let lines = vec![line(name, series, t, mc, Palette::BLUE)];
    SeriesChart {
        markers,
        percent,
        ..chart(&series_label(series, lang), unit_label(series, lang), t, lines, &[series], sources, lang)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chart::{draw_series_chart, to_svg_string};
    use crate::engine::run_monte_carlo;

    fn minhang() -> Model {
        let s = crate::scenario::builtin::builtin("minhang-hongqiao-district").unwrap().scenario().unwrap();
        let roster = s.resolve_roster(|_| Err("no CSV".into())).unwrap();
        Model::new(s, roster).unwrap()
    }

    #[test]
    fn target_markers_carry_the_target_and_its_probability() {
        let m = minhang();
        let t = m.run_central();
        let mc = run_monte_carlo(&m, 8, 3, |_| {});
        let j = m.scenario.targets.iter().position(|x| x.series == "shared_courses").unwrap();
        let chart = target_chart(&m, &t, Some(&mc), "shared_courses", &[], Lang::En);
        assert_eq!(chart.title, "Shared courses");
        assert!(!chart.percent);
        let p = (mc.target_probability[j] * 100.0).round();
        assert_eq!(chart.markers.len(), 1);
        assert_eq!(chart.markers[0].label, format!("≥10 · P={p:.0}%"));
        assert_eq!(chart.markers[0].met, t.targets[j].met);
        // Without Monte Carlo: the target alone, and no band.
        let chart = target_chart(&m, &t, None, "shared_courses", &[], Lang::Zh);
        assert_eq!(chart.markers[0].label, "≥10");
        assert!(chart.lines[0].band.is_none());
        assert_eq!(chart.title, "共享课程");
        // A share: percentage axis and a percentage target (0.3333 → 33.3%).
        let chart = target_chart(&m, &t, Some(&mc), "students_in_shared_courses_share", &[], Lang::Zh);
        assert!(chart.percent);
        assert!(chart.markers[0].label.starts_with("≥33.3% · P="), "{}", chart.markers[0].label);
        let svg = to_svg_string((900, 520), |a| draw_series_chart(a, &chart)).unwrap();
        assert!(svg.contains(&chart.markers[0].label));
    }

    #[test]
    fn a_target_set_by_the_plan_is_marked_with_no_probability() {
        let m = minhang();
        let t = m.run_central();
        let mc = run_monte_carlo(&m, 8, 3, |_| {});
        let j = m.scenario.targets.iter().position(|x| x.series == "rotation_share").unwrap();
        assert!(m.scenario.targets[j].set_by_plan());
        for (lang, mark) in [(Lang::Zh, "由方案设定"), (Lang::En, "set by the plan")] {
            let chart = target_chart(&m, &t, Some(&mc), "rotation_share", &[], lang);
            assert_eq!(chart.markers[0].label, format!("≥20% · {mark}"));
        }
    }

    #[test]
    fn overlays_follow_the_years_and_the_chart_lines() {
        let m = minhang();
        let t = m.run_central();
        // A run over fewer years: matched by year, NaN where it has none.
        let mut short = t.clone();
        short.years.remove(0);
        for s in &mut short.series {
            s.remove(0);
        }
        let src = [OverlaySource { label: "基线", colour: Palette::GREY, trajectory: &short }];
        let c = enrollment_chart(&t, None, &src, Lang::Zh);
        assert_eq!(c.overlays.len(), 1);
        let o = &c.overlays[0];
        assert_eq!(o.lines.len(), 2, "students_primary and students_junior");
        assert!(o.lines[0][0].is_nan());
        assert_eq!(o.lines[0][1..], t.series("students_primary").unwrap()[1..]);
        // The CV chart overlays the level's largest CV, and says so.
        let src = [OverlaySource { label: "基线", colour: Palette::GREY, trajectory: &t }];
        let c = cv_chart(&m, &t, Level::Junior, &src, Lang::En);
        assert_eq!(c.overlays[0].label, "基线 (max)");
        assert_eq!(c.overlays[0].lines, [t.series("cv_max_junior").unwrap()]);
        let c = cv_chart(&m, &t, Level::Junior, &src, Lang::Zh);
        assert_eq!(c.overlays[0].label, "基线（最大值）");
    }

    #[test]
    fn english_charts_have_english_titles_and_legends() {
        let m = minhang();
        let t = m.run_central();
        let c = pass_share_chart(&t, None, &[], Lang::En);
        assert_eq!(c.lines.iter().map(|l| l.label.as_str()).collect::<Vec<_>>(), ["Primary", "Junior"]);
        let svg = to_svg_string((900, 520), |a| draw_series_chart(a, &cv_chart(&m, &t, Level::Primary, &[], Lang::En))).unwrap();
        for text in ["Primary schools: CV of each indicator", "Backbone teachers", "Ceiling 0.50"] {
            assert!(svg.contains(text), "missing {text}");
        }
        assert!(!svg.contains("差异系数"));
    }
}