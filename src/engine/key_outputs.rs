//! The key outputs of a scenario in a small, stable JSON document: golden
//! tests pin them, natively and in the browser, so any change to the model's
//! results is deliberate and the two targets provably agree bit for bit.

use serde_json::{json, Map, Value};

use super::{run_monte_carlo, Model};

/// Series pinned for each key year in every scenario; the series its
/// targets name are pinned too, so each district's own question is covered.
const KEYS: &[&str] = &[
    "new_quality_schools",
    "demonstration_schools",
    "innovation_projects",
    "innovation_cases",
    "new_quality_exits",
    "students_primary",
    "students_junior",
    "surplus_teachers_primary",
    "shortage_teachers",
    "pass_share_primary",
    "pass_share_junior",
    "cv_max_primary",
    "cv_max_junior",
    "certification_ok_primary",
    "certification_ok_junior",
    "seat_gap_primary",
    "seat_gap_junior",
    "classes_over_cap",
    "spend_total_yuan",
];

/// The central values in `years`, and the target probabilities and P10/P90
/// bands of a `runs`-run Monte Carlo with the scenario's seed.
pub fn key_outputs(model: &Model, years: &[i32], runs: u32) -> Value {
    let central = model.run_central();
    let mc = run_monte_carlo(model, runs, model.scenario.scenario.seed, |_| {});
    let mut keys: Vec<&str> = KEYS.to_vec();
    for t in &model.scenario.targets {
        if !keys.contains(&t.series.as_str()) {
            keys.push(&t.series);
        }
    }
    let mut by_year = Map::new();
    for &year in years {
        let mut m = Map::new();
        for key in &keys {
            let t = central.years.iter().position(|y| *y == year).expect("key year inside the horizon");
            let (lo, _, hi) = mc.band(key).expect("known series");
            m.insert((*key).to_owned(), json!({ "central": central.value(key, year), "p10": lo[t], "p90": hi[t] }));
        }
        by_year.insert(year.to_string(), Value::Object(m));
    }
    let targets: Map<String, Value> = model
        .scenario
        .targets
        .iter()
        .zip(&central.targets)
        .zip(&mc.target_probability)
        .map(|((t, o), p)| (t.id.clone(), json!({ "central": o.value, "met": o.met, "probability": p })))
        .collect();
    json!({ "scenario": model.scenario.scenario.id, "runs": runs, "years": by_year, "targets": targets })
}
