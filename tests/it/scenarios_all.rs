//! Every built-in district scenario (`scenarios/*.toml`), checked the same
//! way: the CLI accepts and runs it, its key 2026 and 2028 outputs are pinned
//! in `tests/golden/<id>-key-outputs.json`, and every school row is plausible
//! in every year of the central run.

use std::path::PathBuf;

use youjun::engine::{series_keys, Model};
use youjun::scenario::Scenario;

use crate::support::{check_golden, key_outputs_json, repo_path, stderr, youjun};

/// The five seeds each have one scenario; a new file here is picked up.
const EXPECTED_SCENARIOS: usize = 5;

fn scenario_files() -> Vec<PathBuf> {
    let dir = repo_path("scenarios");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    files.sort();
    files
}

fn model(path: &PathBuf) -> Model {
    let text = std::fs::read_to_string(path).unwrap();
    let s = Scenario::from_toml(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let roster = s.resolve_roster(|_| Err("built-in scenarios use synthetic rosters".into())).expect("synthetic roster");
    Model::new(s, roster).unwrap_or_else(|ps| panic!("{}: {ps:?}", path.display()))
}

#[test]
fn there_is_one_scenario_per_seed_document() {
    let files = scenario_files();
    let seeds: std::collections::BTreeSet<String> =
        files.iter().map(|p| model(p).scenario.scenario.seed_document.clone()).collect();
    let wanted = ["000_9ddd49f59424de77.txt", "001_2ad818ed9c21d03b.txt", "002_50a5a1e38847ebfa.txt", "003_e24e42817bc4924a.txt", "004_816103a023935f01.txt"];
    let have: Vec<&str> = wanted.iter().copied().filter(|w| seeds.iter().any(|s| s.contains(w))).collect();
    assert_eq!(have, wanted, "scenarios name these seeds: {seeds:?}");
    assert_eq!(files.len(), EXPECTED_SCENARIOS, "{files:?}");
}

#[test]
fn the_cli_checks_and_runs_every_scenario() {
    for path in scenario_files() {
        for args in [vec!["check"], vec!["run", "--runs", "20"]] {
            let o = youjun(&[&args[..], &[path.to_str().unwrap()]].concat());
            assert!(o.status.success(), "youjun {args:?} {}: {}", path.display(), stderr(&o));
            assert!(!o.stdout.is_empty(), "youjun {args:?} {} printed nothing", path.display());
        }
    }
}

#[test]
fn key_outputs_2026_and_2028_are_pinned() {
    for path in scenario_files() {
        let m = model(&path);
        let years = m.scenario.years();
        assert!(years.contains(&2026) && years.contains(&2028), "{} must reach 2028", path.display());
        // The browser test recomputes every scenario's with the same function.
        check_golden(&format!("golden/{}-key-outputs.json", m.scenario.scenario.id), key_outputs_json(&m));
    }
}

#[test]
fn every_school_and_year_is_plausible() {
    for path in scenario_files() {
        let m = model(&path);
        let id = &m.scenario.scenario.id;
        let t = m.run_central();
        assert_eq!(t.schools.len(), m.roster.schools.len());
        for s in &t.schools {
            for y in &s.years {
                let who = format!("{id}: {} {:?} {}", s.school_id, s.level, y.year);
                let counts = [y.students, y.grade1, y.classes, y.teachers, y.teacher_need];
                assert!(counts.iter().all(|c| c.is_finite() && *c >= 0.0), "{who}: negative or non-finite count in {counts:?}");
                if y.students > 0.0 {
                    let per_teacher = y.students / y.teachers;
                    assert!((5.0..=30.0).contains(&per_teacher), "{who}: {per_teacher:.1} students per teacher");
                    assert!((10.0..=60.0).contains(&y.class_size), "{who}: class size {:.1}", y.class_size);
                }
            }
        }
        for (key, series) in series_keys().iter().zip(&t.series) {
            if key.starts_with("cv") {
                assert!(series.iter().all(|v| v.is_finite()), "{id}: {key} not finite: {series:?}");
            }
            if key != "budget_gap_yuan" && !key.starts_with("cv") {
                // Counts, money, shares and indices are never negative; spending may be under the envelope.
                assert!(series.iter().all(|v| *v >= 0.0), "{id}: {key} negative: {series:?}");
            }
        }
    }
}

/// Every `source` in a scenario (levers, yearly series, targets, the
/// synthetic roster's aggregates), with its JSON path and whether it is
/// marked as an assumption.
fn sources(v: &serde_json::Value, path: String, out: &mut Vec<(String, String, bool)>) {
    match v {
        serde_json::Value::Object(m) => {
            if let Some(src) = m.get("source").and_then(|s| s.as_str()) {
                let assumed = m.get("assumption").and_then(|a| a.as_bool()).unwrap_or(false);
                out.push((path.clone(), src.to_owned(), assumed));
            }
            for (k, x) in m {
                sources(x, format!("{path}.{k}"), out);
            }
        }
        serde_json::Value::Array(xs) => {
            for (i, x) in xs.iter().enumerate() {
                sources(x, format!("{path}[{i}]"), out);
            }
        }
        _ => {}
    }
}

#[test]
fn every_number_names_its_source_and_seed_citations_name_an_article() {
    let seeds = ["000_9ddd49f59424de77.txt", "001_2ad818ed9c21d03b.txt", "002_50a5a1e38847ebfa.txt", "003_e24e42817bc4924a.txt", "004_816103a023935f01.txt"];
    for path in scenario_files() {
        let m = model(&path);
        let id = m.scenario.scenario.id.clone();
        let v: serde_json::Value = serde_json::from_str(&m.scenario.to_json()).unwrap();
        let mut found = Vec::new();
        sources(&v, id.clone(), &mut found);
        assert!(found.len() >= 30, "{id}: only {} sourced values", found.len());
        for (at, src, assumed) in &found {
            assert!(src.trim().chars().count() >= 4, "{at}: source `{src}` says nothing");
            for seed in seeds.iter().filter(|s| src.contains(*s)) {
                // A seed citation names the article: 第…条 / §… / 附件….
                let after = &src[src.find(seed).unwrap() + seed.len()..];
                assert!(after.contains('§') || after.contains("附件") || src.contains('§'), "{at}: cites {seed} without an article: `{src}`");
            }
            if !assumed {
                // A value not marked as an assumption must come from a seed or an official standard.
                let official = seeds.iter().any(|s| src.contains(s)) || ["教督", "国办发", "STANDARDS.md"].iter().any(|o| src.contains(o));
                assert!(official, "{at}: not marked `assumption = true` but cites no seed or standard: `{src}`");
            }
        }
    }
}

#[test]
fn synthetic_rosters_match_their_published_aggregates_and_are_plainly_synthetic() {
    use youjun::roster::Level;
    for path in scenario_files() {
        let m = model(&path);
        let id = &m.scenario.scenario.id;
        let Some(spec) = &m.scenario.roster.synthetic else { continue };
        // The generator's rows: a model's roster also holds the scenario's new schools.
        let new = |r: &youjun::roster::School| m.scenario.new_schools.iter().any(|n| n.id == r.school_id && n.level == r.level);
        let rows: Vec<&youjun::roster::School> = m.roster.schools.iter().filter(|r| !new(r)).collect();
        let total = |l: Level| rows.iter().filter(|r| r.level == l).map(|r| r.enrollment()).sum::<f64>();
        assert_eq!(total(Level::Primary), spec.primary_students.value, "{id}: primary students");
        assert_eq!(total(Level::Junior), spec.junior_students.value, "{id}: junior students");
        let ids: std::collections::BTreeSet<&str> = rows.iter().map(|r| r.school_id.as_str()).collect();
        let schools = spec.primary_schools.value + spec.junior_schools.value + spec.nine_year_schools.value;
        assert_eq!(ids.len() as f64, schools, "{id}: schools");
        assert_eq!(rows.len() as f64, schools + spec.nine_year_schools.value, "{id}: rows (nine-year schools have two)");
        for r in &m.roster.schools {
            assert!(r.name.contains("示例"), "{id}: `{}` is not plainly synthetic", r.name);
            assert!(r.name.starts_with(&spec.name_prefix), "{id}: `{}`", r.name);
        }
    }
}

#[test]
fn the_app_builds_in_every_scenario_file_under_its_own_id() {
    use youjun::scenario::builtin::BUILTIN;
    let mut built: Vec<&str> = BUILTIN.iter().map(|b| b.id).collect();
    let mut files = Vec::new();
    for path in scenario_files() {
        let text = std::fs::read_to_string(&path).unwrap();
        let id = model(&path).scenario.scenario.id;
        let b = youjun::scenario::builtin::builtin(&id).unwrap_or_else(|| panic!("{id} is not built in"));
        assert_eq!(b.toml, text, "{id}: built-in text differs from {}", path.display());
        assert_eq!(b.scenario().unwrap().scenario.id, id);
        files.push(id);
    }
    built.sort();
    files.sort();
    assert_eq!(built, files);
}
