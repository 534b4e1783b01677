//! The standard district charts, built from a run's results. Each returns a
//! [`SeriesChart`] that any backend can draw.

use super::{Line, Marker, Palette, Reference, SeriesChart};
use crate::engine::{MonteCarlo, Model, Trajectory};
use crate::metrics::Indicator;
use crate::roster::Level;

/// Okabe–Ito colours for the seven indicators, in [`Indicator::ALL`] order.
const INDICATOR_COLOURS: [plotters::style::RGBColor; 7] =
    [Palette::BLUE, Palette::ORANGE, Palette::SKY, Palette::GREEN, Palette::VERMILLION, Palette::PURPLE, Palette::INK];

fn line(label: &str, key: &str, t: &Trajectory, mc: Option<&MonteCarlo>, colour: plotters::style::RGBColor) -> Line {
    Line {
        label: label.to_owned(),
        values: t.series(key).map(<[f64]>::to_vec).unwrap_or_default(),
        colour,
        band: mc.and_then(|m| m.band(key)).map(|(lo, _, hi)| (lo.to_vec(), hi.to_vec())),
        dashed: false,
    }
}

/// A reference line (capacity, need, envelope), drawn dashed.
fn dashed(label: &str, key: &str, t: &Trajectory, mc: Option<&MonteCarlo>, colour: plotters::style::RGBColor) -> Line {
    Line { dashed: true, ..line(label, key, t, mc, colour) }
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

pub fn new_quality_chart(model: &Model, t: &Trajectory, mc: Option<&MonteCarlo>) -> SeriesChart {
    SeriesChart {
        title: "区级新优质项目校数量".into(),
        y_label: "学校数（所）".into(),
        years: t.years.clone(),
        lines: vec![
            line("区级新优质项目校", "new_quality_schools", t, mc, Palette::BLUE),
            line("创新项目（累计）", "innovation_projects", t, mc, Palette::ORANGE),
            line("示范校", "demonstration_schools", t, mc, Palette::GREEN),
        ],
        markers: [
            target_markers(model, t, "new_quality_schools", "学校", false),
            target_markers(model, t, "innovation_projects", "项目", true),
            target_markers(model, t, "demonstration_schools", "示范校", false),
        ]
        .concat(),
        references: vec![],
        percent: false,
    }
}

pub fn cv_chart(model: &Model, t: &Trajectory, level: Level) -> SeriesChart {
    let ceiling = model.scenario.standards.level(level).cv_ceiling.value;
    SeriesChart {
        title: format!("{}各项指标差异系数", level.zh()),
        y_label: "差异系数".into(),
        years: t.years.clone(),
        lines: Indicator::ALL
            .iter()
            .zip(INDICATOR_COLOURS)
            .map(|(i, c)| line(i.short_zh(), &format!("cv.{}.{}", level.key(), i.key()), t, None, c))
            .collect(),
        markers: vec![],
        references: vec![Reference { value: ceiling, label: format!("上限 {ceiling:.2}") }],
        percent: false,
    }
}

pub fn enrollment_chart(t: &Trajectory, mc: Option<&MonteCarlo>) -> SeriesChart {
    SeriesChart {
        title: "在校生与学位".into(),
        y_label: "学生数".into(),
        years: t.years.clone(),
        lines: vec![
            line("小学在校生", "students_primary", t, mc, Palette::BLUE),
            line("初中在校生", "students_junior", t, mc, Palette::ORANGE),
            dashed("小学学位", "capacity_primary", t, None, Palette::BLUE),
            dashed("初中学位", "capacity_junior", t, None, Palette::ORANGE),
        ],
        markers: vec![],
        references: vec![],
        percent: false,
    }
}

pub fn teachers_chart(t: &Trajectory, mc: Option<&MonteCarlo>) -> SeriesChart {
    SeriesChart {
        title: "教师需求与在编教师".into(),
        y_label: "教师数".into(),
        years: t.years.clone(),
        lines: vec![
            line("小学教师", "teachers_primary", t, mc, Palette::BLUE),
            dashed("小学按编制需求", "teacher_need_primary", t, mc, Palette::BLUE),
            line("初中教师", "teachers_junior", t, mc, Palette::ORANGE),
            dashed("初中按编制需求", "teacher_need_junior", t, mc, Palette::ORANGE),
        ],
        markers: vec![],
        references: vec![],
        percent: false,
    }
}

pub fn spending_chart(t: &Trajectory, mc: Option<&MonteCarlo>) -> SeriesChart {
    SeriesChart {
        title: "经费支出与预算".into(),
        y_label: "元".into(),
        years: t.years.clone(),
        lines: vec![
            line("总支出", "spend_total_yuan", t, mc, Palette::BLUE),
            dashed("预算总额", "budget_envelope_yuan", t, None, Palette::VERMILLION),
        ],
        markers: vec![],
        references: vec![],
        percent: false,
    }
}

pub fn pass_share_chart(t: &Trajectory, mc: Option<&MonteCarlo>) -> SeriesChart {
    SeriesChart {
        title: "七项指标达标（6项达标且第7项≥85%）的学校比例".into(),
        y_label: "学校比例".into(),
        years: t.years.clone(),
        lines: vec![
            line("小学", "pass_share_primary", t, mc, Palette::BLUE),
            line("初中", "pass_share_junior", t, mc, Palette::ORANGE),
        ],
        markers: vec![],
        references: vec![],
        percent: true,
    }
}
