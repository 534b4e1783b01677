//! Uncertainty in the right places (issue 16): across Monte Carlo runs the
//! district's grade-1 intake ratio persists from one year to the next, births
//! the scenario gives add no spread, and births past the last given year do.
//! Runs are made one by one with the engine's own per-run streams, so each
//! run's whole path can be read.

use youjun::engine::{Draws, Model};
use youjun::params::{Sourced, Yearly};
use youjun::scenario::{MigrantChildren, Scenario, Uncertainty};

use crate::support::model_of;

const MINHANG: &str = include_str!("../../scenarios/minhang-hongqiao-district.toml");
const RUNS: u64 = 400;

/// Minhang with only the district's intake uncertain (no school, migration
/// or discrete draws), so a run's grade-1 intake over the central one is
/// exactly its intake factor.
fn minhang(u: Uncertainty, births: Option<Yearly>) -> Model {
    let mut s = Scenario::from_toml(MINHANG).expect("parses and validates");
    s.uncertainty = u;
    if let Some(b) = births {
        s.enrollment.births_wan = b;
    }
    model_of(s)
}

/// Each run's log(grade-1 intake / central grade-1 intake), by year.
fn log_ratios(m: &Model) -> (Vec<i32>, Vec<Vec<f64>>) {
    let central = m.run_central();
    let years: Vec<i32> = m.scenario.years().collect();
    let runs = (0..RUNS)
        .map(|run| {
            let t = m.run(&mut Draws::for_run(m.scenario.scenario.seed, run, &m.scenario.uncertainty), false);
            years.iter().map(|&y| (t.value("grade1_intake", y).unwrap() / central.value("grade1_intake", y).unwrap()).ln()).collect()
        })
        .collect();
    (years, runs)
}

fn column(runs: &[Vec<f64>], t: usize) -> Vec<f64> {
    runs.iter().map(|r| r[t]).collect()
}

fn sd(xs: &[f64]) -> f64 {
    let n = xs.len() as f64;
    let mean = xs.iter().sum::<f64>() / n;
    (xs.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / n).sqrt()
}

fn correlation(a: &[f64], b: &[f64]) -> f64 {
    let n = a.len() as f64;
    let (ma, mb) = (a.iter().sum::<f64>() / n, b.iter().sum::<f64>() / n);
    a.iter().zip(b).map(|(x, y)| (x - ma) * (y - mb)).sum::<f64>() / n / (sd(a) * sd(b))
}

fn district_only(births_sigma: f64, persistence: f64) -> Uncertainty {
    Uncertainty { births_sigma, intake_ratio_sigma: 0.03, persistence, ..Uncertainty::none() }
}

#[test]
fn a_runs_intake_ratio_in_one_year_is_correlated_with_the_next() {
    let (years, runs) = log_ratios(&minhang(district_only(0.03, 0.7), None));
    let t = years.iter().position(|&y| y == 2027).unwrap();
    // AR(1) from the calibrated base year (2023): 0.7 × √(var(4)/var(5)) = 0.69.
    let r = correlation(&column(&runs, t), &column(&runs, t + 1));
    assert!(r > 0.55 && r < 0.8, "2027→2028 correlation {r}");
    // The base year is the calibrated ratio in every run.
    assert!(column(&runs, 0).iter().all(|&x| x == 0.0));
    // Without persistence the years are independent.
    let (_, runs) = log_ratios(&minhang(district_only(0.03, 0.0), None));
    let r = correlation(&column(&runs, t), &column(&runs, t + 1));
    assert!(r.abs() < 0.15, "without persistence {r}");
}

#[test]
fn intake_for_years_with_published_births_has_only_the_intake_ratios_spread() {
    // Minhang runs to 2030: every grade-1 year's births (2017–2024) are given.
    let m = minhang(district_only(0.03, 0.7), None);
    let (years, base) = log_ratios(&m);
    // A births error ten times larger changes nothing while births are published.
    let (_, wide) = log_ratios(&minhang(district_only(0.3, 0.7), None));
    assert_eq!(base, wide);
    // The spread is the intake ratio's: σ·√((1 − ρ^(2h)) / (1 − ρ²)), by
    // hand 0.0300 at h = 1 and 0.0418 at h = 7 (2030), never above
    // σ/√(1 − ρ²) = 0.0420.
    let expected = |h: i32| 0.03 * ((1.0 - 0.49f64.powi(h)) / 0.51).sqrt();
    for (t, &y) in years.iter().enumerate().skip(1) {
        let h = y - m.scenario.scenario.base_year;
        let s = sd(&column(&base, t));
        assert!((s - expected(h)).abs() < 0.15 * expected(h), "{y}: spread {s}, expected {}", expected(h));
        assert!(s < 0.042 * 1.15, "{y}: {s}");
    }
}

#[test]
fn births_past_the_last_published_year_widen_the_intake() {
    // The same scenario with births given only to 2021: grade 1 in 2028–2030
    // rests on births carried forward, which now carry their own error.
    let full = minhang(district_only(0.03, 0.7), None);
    let mut cut = full.scenario.enrollment.births_wan.clone();
    cut.values.retain(|k, _| k.parse::<i32>().unwrap() <= 2021);
    let m = minhang(district_only(0.03, 0.7), Some(cut));
    let (years, with) = log_ratios(&m);
    let (_, ratio_only) = log_ratios(&minhang(district_only(0.0, 0.7), Some(m.scenario.enrollment.births_wan.clone())));
    for (t, &y) in years.iter().enumerate() {
        let (a, b) = (sd(&column(&with, t)), sd(&column(&ratio_only, t)));
        if y <= 2027 {
            assert_eq!(a, b, "{y}: births given, no births error");
        } else {
            assert!(a > 1.15 * b, "{y}: {a} with the births error, {b} without");
        }
    }
}

/// Minhang with migrant children 40% of grade-1 intake and only their draw uncertain.
fn minhang_migrant(migrant_sigma: f64, persistence: f64) -> Model {
    let mut s = Scenario::from_toml(MINHANG).expect("parses and validates");
    s.uncertainty = Uncertainty { migrant_sigma, persistence, ..Uncertainty::none() };
    s.enrollment.migrant = Some(MigrantChildren { share: Sourced::assumed(0.4, "test"), change: Sourced::assumed(1.0, "test") });
    model_of(s)
}

#[test]
fn migrant_intake_has_a_persistent_draw_of_its_own() {
    let m = minhang_migrant(0.08, 0.7);
    let (years, runs) = log_ratios(&m);
    assert!(column(&runs, 0).iter().all(|&x| x == 0.0), "the base year is the roster's");
    let t = years.iter().position(|&y| y == 2027).unwrap();
    let r = correlation(&column(&runs, t), &column(&runs, t + 1));
    assert!(r > 0.55 && r < 0.8, "2027→2028 correlation {r}");
    // One year out the intake moves by about share × σ = 0.4 × 8% = 3.2%.
    let s = sd(&column(&runs, 1));
    assert!((s - 0.032).abs() < 0.15 * 0.032, "spread {s}");
    // Without persistence the years are independent.
    let (_, runs) = log_ratios(&minhang_migrant(0.08, 0.0));
    let r = correlation(&column(&runs, t), &column(&runs, t + 1));
    assert!(r.abs() < 0.15, "without persistence {r}");
}

#[test]
fn a_scenario_without_migrant_children_draws_nothing_for_them() {
    // Every draw of a scenario without `[enrollment.migrant]` is the same
    // whatever `migrant_sigma` says: its random streams are untouched.
    let with = |migrant_sigma| {
        let mut s = Scenario::from_toml(MINHANG).unwrap();
        s.uncertainty.migrant_sigma = migrant_sigma;
        let m = model_of(s);
        (0..20).map(|run| m.run(&mut Draws::for_run(m.scenario.scenario.seed, run, &m.scenario.uncertainty), false)).collect::<Vec<_>>()
    };
    assert_eq!(with(0.0), with(0.5));
}
