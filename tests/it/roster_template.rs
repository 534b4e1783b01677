//! The roster template offered for download (CSV and XLSX) is a roster the
//! app runs (issue 18, defect 4): it imports, binds to every built-in
//! scenario's settings, runs, and the CLI checks and runs a scenario whose
//! roster is the template.

use youjun::engine::Model;
use youjun::roster::csv_io::{template_csv, Lang};
use youjun::roster::{parse_roster_xlsx, template_xlsx, ParseMode, Roster, RosterFile};
use youjun::scenario::builtin::BUILTIN;

use crate::support::{scratch, stderr, stdout, youjun};

fn template_rosters() -> [(&'static str, Roster); 2] {
    let csv = RosterFile::CsvBytes(template_csv().into_bytes()).parse(Lang::Zh, ParseMode::Strict);
    assert!(csv.problems.is_empty(), "CSV template: {:?}", csv.problems);
    let xlsx = parse_roster_xlsx(&template_xlsx(), Lang::Zh).unwrap_or_else(|p| panic!("XLSX template: {p:?}"));
    [("csv", csv.roster), ("xlsx", xlsx)]
}

#[test]
fn the_template_binds_to_every_builtin_scenario_and_runs() {
    for (format, roster) in template_rosters() {
        for b in BUILTIN {
            let scenario = b.scenario().expect("built-in scenario parses");
            // The scenario's new schools (Chongming's CM-N01) follow the roster's rows.
            let new: Vec<String> = scenario.new_schools.iter().map(|n| n.id.clone()).collect();
            let model = Model::new(scenario, roster.clone()).unwrap_or_else(|e| panic!("{format} template in {}: {e}", b.id));
            let t = model.run_central();
            let mut ids: Vec<&str> = t.schools.iter().map(|s| s.school_id.as_str()).collect();
            ids.dedup();
            let mut expected = vec!["S001", "S002", "S003"];
            expected.extend(new.iter().map(String::as_str));
            assert_eq!(ids, expected, "{format} template in {}", b.id);
            assert!(t.series.iter().flatten().all(|x| x.is_finite()), "{format} template in {}: a series is not finite", b.id);
        }
    }
}

/// `scenarios/<id>.toml` with its synthetic roster replaced by `template.csv`.
fn scenario_on_template(id: &str) -> std::path::PathBuf {
    let text = std::fs::read_to_string(crate::support::repo_path(format!("scenarios/{id}.toml"))).unwrap();
    let start = text.find("[roster.synthetic]").expect("a synthetic roster");
    let end = start + 1 + text[start + 1..].find("\n[").expect("a section after the roster");
    let edited = format!("{}[roster]\ncsv = \"template.csv\"\n{}", &text[..start], &text[end..]);
    let dir = scratch(&format!("template-{id}"));
    std::fs::write(dir.join("template.csv"), template_csv()).unwrap();
    let path = dir.join("scenario.toml");
    std::fs::write(&path, edited).unwrap();
    path
}

#[test]
fn the_cli_checks_and_runs_a_scenario_whose_roster_is_the_template() {
    for id in ["pudong-2024", "putuo-strong-junior"] {
        let path = scenario_on_template(id);
        let path = path.to_str().unwrap();
        let o = youjun(&["check", path]);
        assert!(o.status.success(), "check {id}: {}", stderr(&o));
        assert!(stdout(&o).contains("3 所学校 4 行"), "{}", stdout(&o));
        let o = youjun(&["run", path, "--runs", "20", "--json"]);
        assert!(o.status.success(), "run {id}: {}", stderr(&o));
        let v: serde_json::Value = serde_json::from_str(&stdout(&o)).expect("run --json prints JSON");
        assert_eq!(v["schema"], "youjun.run/1");
        let out = scratch(&format!("template-export-{id}"));
        let o = youjun(&["export", path, "--runs", "20", "--out", out.to_str().unwrap()]);
        assert!(o.status.success(), "export {id}: {}", stderr(&o));
        let schools = std::fs::read_to_string(out.join("schools.csv")).unwrap();
        for s in ["S001", "S002", "S003"] {
            assert!(schools.contains(s), "export {id}: no {s} in schools.csv");
        }
    }
}
