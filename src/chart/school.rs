//! One school's seven indicators over the years, each as a share of its
//! level's threshold, so indicators in m², yuan and teachers per 100 pupils
//! share one axis and 100% is the standard.

use super::district::INDICATOR_COLOURS;
use super::labels::{indicator_label, level_label};
use super::{Line, Reference, SeriesChart};
use crate::engine::{Model, SchoolTrajectory};
use crate::i18n::Lang;
use crate::metrics::Indicator;

/// One school's seven indicators by year, each as a share of its level's
/// threshold (100% is the standard, drawn as a reference line); closed years
/// and years without pupils are gaps.
pub fn school_chart(model: &Model, s: &SchoolTrajectory, lang: Lang) -> SeriesChart {
    let standards = model.scenario.standards.level(s.level);
    let lines = Indicator::ALL
        .iter()
        .enumerate()
        .zip(INDICATOR_COLOURS)
        .map(|((k, &i), colour)| Line {
            label: indicator_label(i, lang).to_owned(),
            // Thresholds are positive (validation keeps them ≥ 1e-9). A closed
            // year or a year without pupils is NaN: a gap in the line.
            values: s
                .years
                .iter()
                .map(|y| y.indicators[k].filter(|_| y.open).map_or(f64::NAN, |v| v / standards.threshold(i)))
                .collect(),
            colour,
            band: None,
            dashed: false,
        })
        .collect();
    let level = level_label(s.level, lang);
    SeriesChart {
        title: lang.pick(format!("{}（{level}）", s.name), format!("{} ({level})", s.name)),
        y_label: lang.pick("占标准的比例", "Share of the standard").into(),
        years: s.years.iter().map(|y| y.year).collect(),
        lines,
        markers: vec![],
        references: vec![Reference { value: 1.0, label: lang.pick("标准", "Standard").into() }],
        percent: true,
        overlays: vec![],
        lang,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::SchoolYear;
    use crate::roster::{Level, NewQuality};

    fn year(year: i32, open: bool, indicators: [Option<f64>; 7]) -> SchoolYear {
        SchoolYear {
            year,
            students: 400.0,
            grade1: 80.0,
            classes: 10.0,
            class_size: 40.0,
            teachers: 30.0,
            teacher_need: 30.0,
            indicators,
            passes: true,
            new_quality: NewQuality::None,
            open,
            merged_into: None,
            seats: 0.0,
        }
    }

    #[test]
    fn ratios_to_the_junior_thresholds_with_gaps_for_closed_years() {
        let s = crate::scenario::builtin::builtin("minhang-hongqiao-district").unwrap().scenario().unwrap();
        let roster = s.resolve_roster(|_| Err("no CSV".into())).unwrap();
        let model = Model::new(s, roster).unwrap();
        // National junior thresholds: 5.3, 1.0, 0.9, 5.8, 10.2, 2500, 2.4.
        let v = [Some(5.3), Some(0.5), Some(1.35), Some(2.9), None, Some(3750.0), Some(1.2)];
        let school = SchoolTrajectory {
            school_id: "J".into(),
            name: "测试初中".into(),
            level: Level::Junior,
            years: vec![year(2024, true, v), year(2025, false, v), year(2026, true, [Some(10.6); 7])],
        };
        let c = school_chart(&model, &school, Lang::Zh);
        assert_eq!(c.title, "测试初中（初中）");
        assert!(c.percent);
        assert_eq!(c.years, [2024, 2025, 2026]);
        let first: Vec<f64> = c.lines.iter().map(|l| l.values[0]).collect();
        let expected = [1.0, 0.5, 1.5, 0.5, f64::NAN, 1.5, 0.5];
        for (k, (a, b)) in first.iter().zip(expected).enumerate() {
            assert!(a.is_nan() && b.is_nan() || (a - b).abs() < 1e-12, "indicator {k}: {a} vs {b}");
        }
        assert!(c.lines.iter().all(|l| l.values[1].is_nan()), "closed in 2025");
        assert!((c.lines[0].values[2] - 2.0).abs() < 1e-12 && (c.lines[5].values[2] - 10.6 / 2500.0).abs() < 1e-15);
        assert_eq!(c.references[0].value, 1.0);
        assert_eq!(c.references[0].label, "标准");
        assert_eq!(school_chart(&model, &school, Lang::En).title, "测试初中 (Junior)");
    }
}
