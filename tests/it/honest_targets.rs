//! Honest targets (issue 16): a target whose series a lever or input sets
//! directly is marked `kind = "set_by_plan"` (由方案设定) in its scenario;
//! `run --json` carries the mark with no probability, and the briefing's
//! counts leave it out.

use serde_json::Value;

use crate::support::{builtin_model, stderr, stdout, youjun};

/// The targets each built-in scenario marks as set by the plan, and why.
const SET_BY_PLAN: &[(&str, &[&str])] = &[
    // Designations equal to the targets.
    ("pudong-2024", &["demo-2026", "demo-projects-2026"]),
    // Seed share topped up to 5%, 1–2 key teachers designated per school, one cadre a year per pair.
    ("putuo-strong-junior", &["strong-seed-2026", "strong-key-2026", "strong-cadres-2026"]),
    // Funding base equal to the standard, growth never negative.
    ("baoshan-urban-rural", &["funding-2026"]),
    // The rotation shares set as inputs.
    ("minhang-hongqiao-district", &["rotation-2025", "rotation-backbone-2025"]),
    ("chongming-rural-island", &[]),
];

fn run_json(id: &str, runs: &str) -> Value {
    let path = format!("scenarios/{id}.toml");
    let o = youjun(&["run", &path, "--runs", runs, "--json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    serde_json::from_str(&stdout(&o)).unwrap()
}

#[test]
fn run_json_marks_the_targets_set_by_the_plan_and_gives_them_no_probability() {
    for (id, expected) in SET_BY_PLAN {
        let j = run_json(id, "20");
        let mut marked = Vec::new();
        for t in j["targets"].as_array().unwrap() {
            let tid = t["id"].as_str().unwrap();
            match t["kind"].as_str() {
                Some("set_by_plan") => {
                    marked.push(tid.to_owned());
                    assert!(t["probability"].is_null(), "{id} {tid}: {t}");
                }
                Some("outcome") => assert!(t["probability"].as_f64().is_some(), "{id} {tid}: {t}"),
                other => panic!("{id} {tid}: kind {other:?}"),
            }
        }
        assert_eq!(marked, expected.to_vec(), "{id}");
    }
}

#[test]
fn a_target_set_by_the_plan_follows_its_input() {
    // Each mark is earned: the series equals or exceeds the target because
    // the plan's input says so, in the central run.
    for (id, expected) in SET_BY_PLAN {
        let m = builtin_model(id);
        let t = m.run_central();
        for tid in *expected {
            let j = m.scenario.targets.iter().position(|x| x.id == *tid).unwrap();
            assert!(t.targets[j].met, "{id} {tid} is set by the plan, so met centrally");
        }
    }
    // The demonstration schools are the designations: moving the input
    // moves the series with it.
    let mut m = builtin_model("pudong-2024");
    let t = m.run_central();
    assert_eq!(t.value("demonstration_schools", 2026), Some(20.0));
    m.scenario.new_quality.demonstration_designations = youjun::params::Yearly::new(&[(2024, 6.0), (2025, 12.0), (2026, 15.0)], "test", true);
    let m = youjun::engine::Model::new(m.scenario, m.roster).unwrap();
    assert_eq!(m.run_central().value("demonstration_schools", 2026), Some(15.0));
}

#[test]
fn the_cli_summary_shows_the_mark_instead_of_a_probability() {
    let o = youjun(&["run", "scenarios/pudong-2024.toml", "--runs", "20"]);
    let out = stdout(&o);
    let line = out.lines().find(|l| l.trim_start().starts_with("demo-2026")).unwrap();
    assert!(line.contains("由方案设定") && !line.contains("P="), "{line}");
    let o = youjun(&["run", "scenarios/pudong-2024.toml", "--runs", "20", "--lang", "en"]);
    let out = stdout(&o);
    let line = out.lines().find(|l| l.trim_start().starts_with("demo-2026")).unwrap();
    assert!(line.contains("set by the plan") && !line.contains("P="), "{line}");
    let line = out.lines().find(|l| l.trim_start().starts_with("nq-2026")).unwrap();
    assert!(line.contains("P="), "{line}");
}
