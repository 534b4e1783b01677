//! `youjun balance` end to end, through the built binary.

use serde_json::Value;

use crate::support::{repo_path, scratch, stderr, stdout, youjun};

const SMALL: &str = "tests/data/balance_small.csv";

/// tests/data/balance_small.csv, by hand. P = students; X = indicator value.
///
/// Primary (ceiling 0.50): P001 P=100, P002 P=300 (grade columns 60×5), and
/// J9's primary part P=100. P = 500, weights 0.2 / 0.6 / 0.2.
/// - qualified /100: 5, 15, 5 teachers → X = 5, 5, 5 → CV 0.
/// - backbone /100: 1, 9, 1 → X = 1, 3, 1. X̄ = (100 + 900 + 100)/500 = 2.2;
///   S² = 0.2·1.2² + 0.6·0.8² + 0.2·1.2² = 0.576 + 0.384 = 0.96 → CV = √0.96 / 2.2 ≈ 0.4454 ✓.
/// - PE/art /100: 1, 3, 1 → X = 1, 1, 1 → 0.   teaching m²: 500, 1500, 500 → 5, 5, 5 → 0.
/// - sports m²: 800, 2400, 200 → X = 8, 8, 2. X̄ = 3400/500 = 6.8;
///   S² = 0.8·1.2² + 0.2·4.8² = 1.152 + 4.608 = 5.76 → S = 2.4, CV = 2.4/6.8 ≈ 0.3529 ✓.
/// - equipment yuan: 100000, 900000, 700000 → X = 1000, 3000, 7000. X̄ = 1700000/500 = 3400;
///   S² = 0.2·2400² + 0.6·400² + 0.2·3600² = 1152000 + 96000 + 2592000 = 3840000
///   → CV = √3840000 / 3400 ≈ 0.5764 ✗ (over 0.50).
/// - multimedia /100: 3, 9, 3 → 3, 3, 3 → 0.
///
/// Schools (primary thresholds 4.2, 1.0, 0.9, 4.5, 7.5, 2000, 2.3): P001 misses
/// equipment at 1000 (50% < 85%) → fails; P002 meets all → passes; J9 misses
/// sports at 2 (27%) → fails. 1 of 3 pass.
///
/// Junior (ceiling 0.45): J001 P=200 and J9's junior part P=200 (grade
/// columns 50×4). With equal weights CV = |x₁ − x₂| / (x₁ + x₂).
/// - backbone /100: 2, 3 → X = 1, 1.5 → CV = 0.5/2.5 = 0.2.
/// - teaching m²: 1200, 1400 → X = 6, 7 → CV = 1/13.
/// - the rest are equal → 0. Both schools meet every junior threshold
///   (5.3, 1.0, 0.9, 5.8, 10.2, 2500, 2.4) → 2 of 2 pass; all CVs ✓.
#[test]
fn json_matches_hand_computed_cvs() {
    let o = youjun(&["balance", SMALL, "--json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let v: Value = serde_json::from_str(&stdout(&o)).expect("JSON output");
    let cv = |level: &str, key: &str| v["levels"][level]["cv"][key].as_f64().unwrap_or_else(|| panic!("{level}.{key}"));
    let close = |a: f64, b: f64| assert!((a - b).abs() < 1e-9, "{a} vs {b}");

    close(cv("primary", "qualified_teachers_per_100"), 0.0);
    close(cv("primary", "backbone_teachers_per_100"), 0.96f64.sqrt() / 2.2);
    close(cv("primary", "pe_art_teachers_per_100"), 0.0);
    close(cv("primary", "teaching_space_m2_per_student"), 0.0);
    close(cv("primary", "sports_space_m2_per_student"), 2.4 / 6.8);
    close(cv("primary", "equipment_yuan_per_student"), 3_840_000f64.sqrt() / 3400.0);
    close(cv("primary", "multimedia_rooms_per_100"), 0.0);
    close(cv("junior", "backbone_teachers_per_100"), 0.2);
    close(cv("junior", "teaching_space_m2_per_student"), 1.0 / 13.0);
    for key in ["qualified_teachers_per_100", "pe_art_teachers_per_100", "sports_space_m2_per_student", "equipment_yuan_per_student", "multimedia_rooms_per_100"] {
        close(cv("junior", key), 0.0);
    }
    for level in ["primary", "junior"] {
        assert_eq!(v["levels"][level]["cv"].as_object().map(|m| m.len()), Some(7));
    }

    let p = &v["levels"]["primary"];
    assert_eq!((p["ceiling"].as_f64(), p["schools"].as_u64(), p["passing"].as_u64(), p["cv_ok"].as_bool()), (Some(0.5), Some(3), Some(1), Some(false)));
    let j = &v["levels"]["junior"];
    assert_eq!((j["ceiling"].as_f64(), j["schools"].as_u64(), j["passing"].as_u64(), j["cv_ok"].as_bool()), (Some(0.45), Some(2), Some(2), Some(true)));

    // Schools in file order, the nine-year school once per level.
    let schools = v["schools"].as_array().expect("schools");
    let rows: Vec<_> = schools
        .iter()
        .map(|s| (s["school_id"].as_str().unwrap_or(""), s["level"].as_str().unwrap_or(""), s["passes"].as_bool().unwrap_or(true)))
        .collect();
    assert_eq!(
        rows,
        [("P001", "primary", false), ("P002", "primary", true), ("J9", "primary", false), ("J001", "junior", true), ("J9", "junior", true)]
    );
    assert_eq!(schools[0]["name"], "示例小学 001");
    close(schools[0]["indicators"]["equipment_yuan_per_student"].as_f64().unwrap_or(f64::NAN), 1000.0);
    close(schools[2]["indicators"]["sports_space_m2_per_student"].as_f64().unwrap_or(f64::NAN), 2.0);
}

#[test]
fn text_reports_failing_schools_in_chinese() {
    let o = youjun(&["balance", SMALL]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(out.contains("小学：3 所学校，达标 1 所"), "{out}");
    assert!(out.contains("初中：2 所学校，达标 2 所"), "{out}");
    assert!(out.contains("未达标学校"), "{out}");
    assert!(out.contains("P001 示例小学 001：仪器设备 1000 < 2000 (50%)"), "{out}");
    assert!(out.contains("J9 示例九年一贯制学校 003：体育场馆 2.00 < 7.50 (27%)"), "{out}");
    assert!(!out.contains("P002 示例小学 002："), "P002 passes: {out}");
    // The equipment CV line is marked as over the ceiling.
    let line = out.lines().find(|l| l.contains("生均教学仪器设备值") && l.contains("0.50")).unwrap_or("");
    assert!(line.contains("0.576") && line.ends_with('✗'), "{line}");
}

#[test]
fn text_in_english() {
    let o = youjun(&["balance", SMALL, "--lang", "en"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(out.contains("Primary: 3 schools, 1 passing"), "{out}");
    assert!(out.contains("Schools not passing:"), "{out}");
    assert!(out.contains("P001 示例小学 001: equipment 1000 < 2000 (50%)"), "{out}");
    assert!(!out.contains("未达标"), "{out}");
}

fn fails_with(args: &[&str], needles: &[&str]) {
    let o = youjun(args);
    assert!(!o.status.success(), "{args:?} should fail");
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    for n in needles {
        assert!(err.contains(n), "{args:?}: expected {n:?} in {err}");
    }
    assert!(!err.contains("panicked"), "{err}");
}

#[test]
fn bad_input_exits_non_zero_naming_row_and_column() {
    fails_with(&["balance", "tests/data/does-not-exist.csv"], &["找不到文件", "does-not-exist.csv"]);
    fails_with(&["balance", "tests/data/does-not-exist.csv", "--lang", "en"], &["file not found"]);
    fails_with(&["balance", "tests/data/bad_negative.csv"], &["第 3 行，列「在校生数」", "-3"]);
    fails_with(&["balance", "tests/data/bad_level.csv"], &["第 3 行，列「level」", "senior"]);
    fails_with(&["balance", "tests/data/bad_level.csv", "--lang", "en"], &["row 3, column \"level\"", "unknown value \"senior\""]);
    fails_with(&["balance", "tests/data/bad_column.csv"], &["第 1 行，列「校长姓名」", "模板"]);
    fails_with(&["balance", "tests/data/bad_column.csv", "--lang=en"], &["row 1, column \"校长姓名\"", "see the template"]);
    // A directory cannot be read as a file.
    fails_with(&["balance", "tests/data"], &["tests/data"]);
}

#[test]
fn bad_arguments_exit_non_zero() {
    fails_with(&["balance"], &["ROSTER.csv"]);
    fails_with(&["balance", SMALL, "--verbose"], &["--verbose"]);
    fails_with(&["balance", SMALL, "--lang", "fr"], &["fr"]);
    fails_with(&["balance", SMALL, SMALL], &["only one"]);
}

#[test]
fn non_utf8_file_gets_a_hint() {
    // "学校代码" in GBK, as Excel on Chinese Windows saves a plain CSV.
    let path = scratch("gbk").join("roster.csv");
    std::fs::write(&path, [0xd1, 0xa7, 0xd0, 0xa3, 0xb4, 0xfa, 0xc2, 0xeb, b'\n']).expect("write temp file");
    let p = path.to_string_lossy().into_owned();
    fails_with(&["balance", &p], &["UTF-8"]);
}

#[test]
fn reads_an_xlsx_roster_like_its_csv() {
    let roster = youjun::roster::csv_io::parse_roster_csv(
        &std::fs::read_to_string(repo_path(SMALL)).unwrap(),
        youjun::roster::Lang::Zh,
    )
    .unwrap();
    let path = scratch("balance-xlsx").join("roster.xlsx");
    std::fs::write(&path, youjun::roster::roster_to_xlsx(&roster).unwrap()).unwrap();
    let from_xlsx = youjun(&["balance", path.to_str().unwrap(), "--json"]);
    assert!(from_xlsx.status.success(), "{}", stderr(&from_xlsx));
    assert_eq!(from_xlsx.stdout, youjun(&["balance", SMALL, "--json"]).stdout);
    // A damaged workbook is one problem, not a crash.
    std::fs::write(&path, b"PK\x03\x04 not really").unwrap();
    fails_with(&["balance", path.to_str().unwrap(), "--lang", "en"], &["cannot read this Excel workbook"]);
}
