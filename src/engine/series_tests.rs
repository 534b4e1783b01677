//! The series catalogue against what a run really records. These tests run
//! the engine, so they live here: `series` stands below the engine and may not
//! import it.

use crate::engine::{Model, Trajectory};
use crate::series::{catalogue, find, keys, position, unit, Unit::*};

/// The central run of every built-in scenario.
fn built_in_runs() -> Vec<(&'static str, Trajectory)> {
    crate::scenario::builtin::BUILTIN
        .iter()
        .map(|b| {
            let s = b.scenario().unwrap();
            let roster = s.resolve_roster(|_| Err("no CSV".into())).unwrap();
            (b.id, Model::new(s, roster).unwrap().run_central())
        })
        .collect()
}

/// Every recorded value of series `k` in any built-in central run.
fn values<'a>(runs: &'a [(&'static str, Trajectory)], k: usize) -> impl Iterator<Item = (&'static str, f64)> + 'a {
    runs.iter().flat_map(move |(id, t)| t.series[k].iter().map(move |v| (*id, *v)))
}

#[test]
fn the_catalogue_lists_every_recorded_series_once_in_recorded_order() {
    let runs = built_in_runs();
    for (id, t) in &runs {
        assert_eq!(t.series.len(), catalogue().len(), "{id}");
        assert_eq!(t.series.len(), keys().len(), "{id}");
    }
    let mut seen = std::collections::BTreeSet::new();
    for (k, d) in catalogue().iter().enumerate() {
        assert!(seen.insert(&*d.key), "{} listed twice", d.key);
        assert_eq!(keys()[k], d.key);
        assert_eq!(position(&d.key), Some(k));
        assert_eq!(find(&d.key), Some(d));
    }
    for key in ["no_such_series", "cv.middle.backbone_teachers_per_100", "cv.primary", ""] {
        assert_eq!(position(key), None, "{key}");
        assert!(find(key).is_none() && unit(key).is_none(), "{key}");
    }
}

#[test]
fn recorded_values_fit_their_unit_in_every_built_in_scenario() {
    let runs = built_in_runs();
    for (k, d) in catalogue().iter().enumerate() {
        for (id, v) in values(&runs, k) {
            let at = || format!("{id}: {} = {v}", d.key);
            // A CV with no pupils is undefined; every other value is a number.
            if d.unit == Cv && v.is_nan() {
                continue;
            }
            assert!(v.is_finite(), "{}", at());
            match d.unit {
                YesNo => assert!(v == 0.0 || v == 1.0, "{}", at()),
                Share | Ratio => assert!((0.0..=1.0).contains(&v), "{}", at()),
                // Only a budget gap is signed (under budget is negative).
                Yuan if d.key == "budget_gap_yuan" => {}
                _ => assert!(v >= 0.0, "{}", at()),
            }
            if d.whole_number {
                assert_eq!(v.fract(), 0.0, "{} is marked whole", at());
            }
        }
    }
}

