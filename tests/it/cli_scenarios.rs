//! `youjun check`, `run` and `export` as an analyst uses them, and the
//! messages they give for bad input.

use std::path::PathBuf;
use std::process::Output;

use crate::support::{repo_path, scratch, stderr, stdout, youjun};

const PUDONG: &str = "scenarios/pudong-2024.toml";

fn text(o: &Output) -> (String, String) {
    (stdout(o), stderr(o))
}

/// The Pudong scenario with `edits` applied (each `(from, to)` must match).
fn edited_pudong(name: &str, edits: &[(&str, &str)]) -> PathBuf {
    let mut s = std::fs::read_to_string(repo_path(PUDONG)).unwrap();
    for (from, to) in edits {
        assert!(s.contains(from), "fixture edit `{from}` does not match");
        s = s.replacen(from, to, 1);
    }
    let path = scratch(name).join("scenario.toml");
    std::fs::write(&path, s).unwrap();
    path
}

#[test]
fn check_accepts_the_pudong_scenario() {
    let o = youjun(&["check", PUDONG]);
    let (out, err) = text(&o);
    assert!(o.status.success(), "{err}");
    assert!(out.contains("pudong-2024") && out.contains("325 行"), "{out}");
}

#[test]
fn an_unknown_key_is_named_with_its_path() {
    let p = edited_pudong("unknown-key", &[("intake_adjustment = {", "intake_adjustmnet = {")]);
    let o = youjun(&["check", p.to_str().unwrap()]);
    let (_, err) = text(&o);
    assert_eq!(o.status.code(), Some(1));
    assert!(err.contains("enrollment") && err.contains("intake_adjustmnet"), "{err}");
}

#[test]
fn every_out_of_range_value_is_listed_with_its_field_and_range() {
    let p = edited_pudong(
        "ranges",
        &[
            ("attrition_rate = { value = 0.04", "attrition_rate = { value = 0.9"),
            ("review_pass_probability = { value = 0.85", "review_pass_probability = { value = 1.5"),
            ("series = \"new_quality_schools\"\nyear = 2024", "series = \"new_quality_school\"\nyear = 2024"),
            ("end_year = 2030", "end_year = 2020"),
        ],
    );
    let o = youjun(&["check", p.to_str().unwrap()]);
    let (_, err) = text(&o);
    assert_eq!(o.status.code(), Some(1));
    for expected in [
        "`teachers.attrition_rate.value`",
        "0 到 0.5",
        "`new_quality.review_pass_probability.value`",
        "`targets[0].series`",
        "new_quality_school",
        "`scenario.end_year`",
    ] {
        assert!(err.contains(expected), "missing `{expected}` in:\n{err}");
    }
}

#[test]
fn a_wrong_type_is_named_with_its_path() {
    let p = edited_pudong("type", &[("seed = 20240729\nbase_year", "seed = \"abc\"\nbase_year")]);
    let o = youjun(&["check", p.to_str().unwrap()]);
    let (_, err) = text(&o);
    assert_eq!(o.status.code(), Some(1));
    assert!(err.contains("scenario.seed"), "{err}");
}

#[test]
fn a_roster_problem_names_the_field() {
    let p = edited_pudong("roster", &[("primary_students = { value = 212000", "primary_students = { value = -5")]);
    let o = youjun(&["check", p.to_str().unwrap()]);
    let (_, err) = text(&o);
    assert_eq!(o.status.code(), Some(1));
    assert!(err.contains("roster.synthetic") && err.contains("primary_students"), "{err}");
}

#[test]
fn missing_files_and_bad_flags_exit_non_zero_with_a_message() {
    let o = youjun(&["check", "scenarios/no-such.toml"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(text(&o).1.contains("no-such.toml"));
    let o = youjun(&["run", PUDONG, "--runs", "many"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(text(&o).1.contains("--runs"));
    let o = youjun(&["run", PUDONG, "--colour"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(text(&o).1.contains("--colour"));
}

#[test]
fn run_json_follows_the_documented_schema() {
    let o = youjun(&["run", PUDONG, "--runs", "50", "--json"]);
    let (out, err) = text(&o);
    assert!(o.status.success(), "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["schema"], "youjun.run/1");
    assert_eq!(v["years"].as_array().unwrap().len(), 7);
    assert_eq!(v["runs"], 50);
    assert_eq!(v["series"]["new_quality_schools"].as_array().unwrap().len(), 7);
    for level in ["primary", "junior"] {
        let cv = &v["cv"][level];
        assert!(cv["ceiling"].as_f64().unwrap() > 0.0);
        assert_eq!(cv["indicators"].as_object().unwrap().len(), 7);
        assert_eq!(cv["indicators"]["backbone_teachers_per_100"].as_array().unwrap().len(), 7);
    }
    let nq = v["targets"].as_array().unwrap().iter().find(|t| t["id"] == "nq-2026").unwrap();
    assert_eq!(nq["target"], 120.0);
    let p = nq["probability"].as_f64().unwrap();
    assert!((0.0..=1.0).contains(&p));
    assert_eq!(v["percentiles"]["new_quality_schools"]["p10"].as_array().unwrap().len(), 7);
}

#[test]
fn the_same_seed_gives_the_same_json_and_another_seed_other_bands() {
    let a = youjun(&["run", PUDONG, "--runs", "30", "--json", "--seed", "7"]);
    let b = youjun(&["run", PUDONG, "--runs", "30", "--json", "--seed", "7"]);
    let c = youjun(&["run", PUDONG, "--runs", "30", "--json", "--seed", "8"]);
    assert_eq!(a.stdout, b.stdout);
    assert_ne!(a.stdout, c.stdout);
}

#[test]
fn summary_is_chinese_by_default_and_english_on_request() {
    let (zh, _) = text(&youjun(&["run", PUDONG, "--runs", "20"]));
    assert!(zh.contains("目标") && zh.contains("小学差异系数"), "{zh}");
    let (en, _) = text(&youjun(&["run", PUDONG, "--runs", "20", "--lang", "en"]));
    assert!(en.contains("Targets") && en.contains("primary CV"), "{en}");
}

#[test]
fn export_writes_tables_and_charts_that_parse_back() {
    let dir = scratch("export");
    let o = youjun(&["export", PUDONG, "--out", dir.to_str().unwrap(), "--runs", "20"]);
    assert!(o.status.success(), "{}", text(&o).1);
    let mut district = csv::Reader::from_path(dir.join("district.csv")).unwrap();
    assert!(district.headers().unwrap().iter().any(|h| h == "new_quality_schools"));
    assert_eq!(district.records().count(), 7);
    let schools = csv::Reader::from_path(dir.join("schools.csv")).unwrap().into_records().count();
    assert_eq!(schools, 325 * 7);
    for chart in ["new_quality.svg", "cv_primary.svg", "cv_junior.svg", "pass_share.svg", "enrollment.svg", "teachers.svg", "spending.svg"] {
        let svg = std::fs::read_to_string(dir.join(chart)).unwrap();
        assert!(svg.starts_with("<svg") && svg.contains("</svg>"), "{chart}");
    }
    assert!(std::fs::read_to_string(dir.join("cv_primary.svg")).unwrap().contains("小学各项指标差异系数"));
    let run: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(dir.join("run.json")).unwrap()).unwrap();
    assert_eq!(run["scenario"], "pudong-2024");
    // Targets with the Monte Carlo probability, as run.json has it.
    let mut targets = csv::Reader::from_path(dir.join("targets.csv")).unwrap();
    let header = targets.headers().unwrap().clone();
    let p = header.iter().position(|h| h == "probability").unwrap();
    let rows: Vec<_> = targets.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), run["targets"].as_array().unwrap().len());
    for (row, t) in rows.iter().zip(run["targets"].as_array().unwrap()) {
        // run.json gives a target set by the plan no probability; the
        // table keeps the runs' share (issue 16: the exports are unchanged).
        match t["kind"].as_str() {
            Some("set_by_plan") => assert!(t["probability"].is_null() && row[p].parse::<f64>().is_ok(), "{t}"),
            _ => assert_eq!(row[p].parse::<f64>().unwrap(), t["probability"].as_f64().unwrap()),
        }
    }
    // The workbook, with Chinese headers by default.
    use calamine::Reader;
    let mut book = calamine::open_workbook::<calamine::Xlsx<_>, _>(dir.join("results.xlsx")).unwrap();
    assert_eq!(book.sheet_names()[..3], ["全区逐年", "逐校逐年", "目标"]);
    assert_eq!(book.worksheet_range("逐校逐年").unwrap().height(), 325 * 7 + 1);
}

#[test]
fn export_tables_are_the_export_module_s_and_the_workbook_follows_lang() {
    let dir = scratch("export-en");
    let o = youjun(&["export", PUDONG, "--out", dir.to_str().unwrap(), "--runs", "0", "--lang", "en"]);
    assert!(o.status.success(), "{}", text(&o).1);
    let toml = std::fs::read_to_string(repo_path(PUDONG)).unwrap();
    let s = youjun::scenario::Scenario::from_toml(&toml).unwrap();
    let roster = s.resolve_roster(|_| Err(String::new())).unwrap();
    let model = youjun::engine::Model::new(s, roster).unwrap();
    let t = model.run_central();
    let read = |name: &str| std::fs::read_to_string(dir.join(name)).unwrap();
    assert_eq!(read("district.csv"), youjun::export::district_csv(&model, &t));
    assert_eq!(read("schools.csv"), youjun::export::schools_csv(&model, &t));
    assert_eq!(read("targets.csv"), youjun::export::targets_csv(&model, &t, None));
    let xlsx = std::fs::read(dir.join("results.xlsx")).unwrap();
    assert_eq!(xlsx, youjun::export::results_xlsx(&model, &t, None, youjun::i18n::Lang::En).unwrap());
}

#[test]
fn scenario_json_round_trips() {
    let text = std::fs::read_to_string(repo_path(PUDONG)).unwrap();
    let s = youjun::scenario::Scenario::from_toml(&text).unwrap();
    let back = youjun::scenario::Scenario::from_json(&s.to_json()).unwrap();
    assert_eq!(s, back);
}

#[test]
fn a_csv_roster_replaces_the_synthetic_one_with_identical_results() {
    let toml = std::fs::read_to_string(repo_path(PUDONG)).unwrap();
    let scenario = youjun::scenario::Scenario::from_toml(&toml).unwrap();
    let roster = scenario.resolve_roster(|_| Err(String::new())).unwrap();
    let dir = scratch("csv-roster");
    std::fs::write(dir.join("roster.csv"), youjun::roster::csv_io::roster_to_csv(&roster)).unwrap();
    let start = toml.find("[roster.synthetic]").unwrap();
    let end = toml.find("\n[enrollment]").unwrap();
    let imported = format!("{}[roster]\ncsv = \"roster.csv\"\n{}", &toml[..start], &toml[end..]);
    std::fs::write(dir.join("scenario.toml"), imported).unwrap();

    let from_csv = youjun(&["run", dir.join("scenario.toml").to_str().unwrap(), "--runs", "20", "--json"]);
    let synthetic = youjun(&["run", PUDONG, "--runs", "20", "--json"]);
    assert!(from_csv.status.success(), "{}", text(&from_csv).1);
    assert_eq!(from_csv.stdout, synthetic.stdout);

    // `youjun balance` reads the same file.
    let b = youjun(&["balance", dir.join("roster.csv").to_str().unwrap(), "--json"]);
    let v: serde_json::Value = serde_json::from_slice(&b.stdout).unwrap();
    assert_eq!(v["schools"].as_array().unwrap().len(), 325);
}

#[test]
fn backtest_reports_the_intake_error_against_published_first_grade_figures() {
    let o = youjun(&["backtest", PUDONG, "--json"]);
    let (out, err) = text(&o);
    assert!(o.status.success(), "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let f = &v["forecasts"][0];
    assert_eq!((f["calibrated_on"].as_i64(), f["year"].as_i64(), f["observed"].as_f64()), (Some(2024), Some(2025), Some(171_000.0)));
    // 169,000 births in 2019 × 201,000 / 193,700 (2018 births interpolated).
    let want = 169_000.0 * 201_000.0 / 193_700.0;
    assert!((f["forecast"].as_f64().unwrap() - want).abs() < 1e-6);
    let o = youjun(&["backtest"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(text(&o).1.contains("youjun backtest SCENARIO"));
}

#[test]
fn the_readme_documents_every_district_series_key() {
    let readme = std::fs::read_to_string(repo_path("README.md")).unwrap();
    for key in youjun::engine::series_keys().iter().filter(|k| !k.starts_with("cv.") && !k.starts_with("failing.")) {
        assert!(readme.contains(&format!("`{key}`")), "README does not list the series key `{key}`");
    }
}

/// A reader that stops early (`youjun run … | head`) closes the pipe: the
/// command ends quietly with success, not with a panic and a backtrace
/// (`print!` panics on a closed stdout). Each command that writes to stdout.
#[test]
fn a_closed_stdout_pipe_is_not_a_panic() {
    use std::process::{Command, Stdio};
    let pudong = repo_path(PUDONG);
    let pudong = pudong.to_str().unwrap();
    let cases: [&[&str]; 4] = [
        &["run", pudong, "--runs", "50", "--json"],
        &["run", pudong, "--runs", "50"],
        &["sensitivity", pudong, "--target", "nq-2026"],
        &["backtest", pudong],
    ];
    for args in cases {
        let mut child = Command::new(env!("CARGO_BIN_EXE_youjun"))
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        // The reader goes before the command has written anything.
        drop(child.stdout.take());
        let o = child.wait_with_output().unwrap();
        let err = stderr(&o);
        assert!(!err.contains("panicked"), "{args:?} panicked: {err}");
        assert!(o.status.success(), "{args:?} failed: {:?} {err}", o.status);
    }
}
