//! Intake backtest: the enrollment model run against published Shanghai
//! first-grade registrations, to show planners how far its intake forecast
//! can be trusted.
//!
//! The model is the engine's own (sub-model 1): calibrated on one year's
//! observed grade 1, it forecasts a later year's grade 1 from births six
//! years earlier. Each published year is used once as the calibration year
//! and every later published year is forecast from it, so no forecast sees
//! the number it is judged against.

use serde::Serialize;

use super::Model;
use crate::message::Error;
use crate::roster::{Level, Roster, School};
use crate::scenario::{Scenario, Uncertainty};

/// A published first-grade registration count.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Observed {
    /// The school year the pupils entered grade 1.
    pub year: i32,
    /// First-grade registrations, Shanghai-wide.
    pub grade1: f64,
    /// Where the figure comes from, with its status mark.
    pub source: &'static str,
}

/// Shanghai's published first-grade registrations (STANDARDS.md, Demography).
pub const SHANGHAI_FIRST_GRADE: [Observed; 2] = [
    Observed {
        year: 2024,
        grade1: 201_000.0,
        source: "STANDARDS.md Demography: 2025 about 171,000, about 30,000 (15%) fewer than in 2024 (C), so 2024 ≈ 201,000",
    },
    Observed { year: 2025, grade1: 171_000.0, source: "STANDARDS.md Demography: first-grade registrations about 171,000 in 2025 (C)" },
];

/// One forecast judged against a published figure.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BacktestRow {
    /// The year whose published figure set the intake ratio.
    pub calibrated_on: i32,
    /// The year forecast.
    pub year: i32,
    /// Shanghai resident births six years before `year` (the cohort entering grade 1).
    pub births_six_years_earlier: f64,
    /// The engine's first-grade intake for `year`.
    pub forecast: f64,
    /// The published first-grade figure for `year`.
    pub observed: f64,
    /// (forecast − observed) / observed.
    pub error_share: f64,
}

/// Forecasts each later observed year from each earlier one with the
/// scenario's births series and intake adjustment (migration and housing are
/// left out: the published figures are citywide totals).
///
/// # Errors
///
/// The scenario cannot be run as one citywide school from an observed year
/// (for example a years range that [`Model::new`] refuses); the error lists
/// every problem.
pub fn intake_backtest(scenario: &Scenario, observed: &[Observed]) -> Result<Vec<BacktestRow>, Error> {
    let mut rows = Vec::new();
    for cal in observed {
        for target in observed.iter().filter(|o| o.year > cal.year) {
            let model = citywide_model(scenario, cal, target.year)?;
            let run = model.run_central();
            // Cannot fail: `grade1_intake` is a catalogue series and `target.year` the run's last year.
            let forecast = run.value("grade1_intake", target.year).expect("grade1_intake is recorded in every year");
            let births = scenario.enrollment.births_wan.interpolated(target.year - 6).unwrap_or(0.0) * 10_000.0;
            rows.push(BacktestRow {
                calibrated_on: cal.year,
                year: target.year,
                births_six_years_earlier: births,
                forecast,
                observed: target.grade1,
                error_share: (forecast - target.grade1) / target.grade1,
            });
        }
    }
    Ok(rows)
}

/// The city as one primary school whose grade 1 is the calibration year's
/// registrations; everything but the intake model is switched off.
fn citywide_model(scenario: &Scenario, cal: &Observed, to_year: i32) -> Result<Model, Error> {
    let mut s = scenario.clone();
    s.scenario.base_year = cal.year;
    s.scenario.end_year = to_year;
    s.enrollment.enrollment_ratio = None;
    s.enrollment.housing.clear();
    s.uncertainty = Uncertainty::none();
    s.targets.clear();
    let mut city = School::blank("SH", "上海市 (citywide)", Level::Primary);
    city.students[0] = cal.grade1;
    // Staff and space at the standards' scale keep the other sub-models quiet.
    city.teachers = cal.grade1 / 14.0;
    city.classes = cal.grade1 / 38.0;
    let roster = Roster { schools: vec![city] };
    Model::new(s, roster)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pudong() -> Scenario {
        Scenario::from_toml(include_str!("../../scenarios/pudong-2024.toml")).unwrap()
    }

    #[test]
    fn forecast_2025_from_2024_by_hand() {
        let rows = intake_backtest(&pudong(), &SHANGHAI_FIRST_GRADE).unwrap();
        assert_eq!(rows.len(), 1);
        let r = &rows[0];
        // Births 2019 = 16.9万; 2018 is interpolated between 2017 (21.84) and
        // 2019 (16.9) = 19.37万. Ratio = 201,000 / 193,700.
        let want = 169_000.0 * 201_000.0 / 193_700.0;
        assert!((r.forecast - want).abs() < 1e-6, "{} vs {want}", r.forecast);
        assert_eq!((r.calibrated_on, r.year, r.observed, r.births_six_years_earlier), (2024, 2025, 171_000.0, 169_000.0));
        assert!((r.error_share - (want - 171_000.0) / 171_000.0).abs() < 1e-12);
        // About +2.6%: the model overshoots slightly.
        assert!((0.02..0.03).contains(&r.error_share), "{}", r.error_share);
    }

    #[test]
    fn intake_adjustment_scales_the_forecast() {
        let mut s = pudong();
        s.enrollment.intake_adjustment.value = 171_000.0 / (169_000.0 * 201_000.0 / 193_700.0);
        let r = &intake_backtest(&s, &SHANGHAI_FIRST_GRADE).unwrap()[0];
        assert!(r.error_share.abs() < 1e-9, "{}", r.error_share);
    }

    #[test]
    fn every_later_year_is_forecast_from_every_earlier_one() {
        let obs = [
            Observed { year: 2023, grade1: 190_000.0, source: "test" },
            Observed { year: 2024, grade1: 201_000.0, source: "test" },
            Observed { year: 2025, grade1: 171_000.0, source: "test" },
        ];
        let rows = intake_backtest(&pudong(), &obs).unwrap();
        let pairs: Vec<(i32, i32)> = rows.iter().map(|r| (r.calibrated_on, r.year)).collect();
        assert_eq!(pairs, vec![(2023, 2024), (2023, 2025), (2024, 2025)]);
    }
}
