//! CSV exports are safe for spreadsheets (issue 18, defect 2): a school or
//! group name that looks like a formula (`=HYPERLINK(…)`, `+cmd|…`, `-2+3`,
//! `@SUM(…)`) is written with a leading apostrophe in every CSV the project
//! writes (roster, template, and the result tables of the browser and the
//! CLI, which share `youjun::export`), numbers stay numbers, the roster CSV
//! re-imports to the same names, and the workbooks hold text as text.

use std::io::Cursor;
use std::path::Path;
use std::process::Command;

use calamine::{open_workbook_auto, Data, Reader, Xlsx};
use youjun::engine::{run_monte_carlo, Model};
use youjun::export::{district_csv, results_xlsx, schools_csv, targets_csv};
use youjun::i18n::Lang;
use youjun::roster::csv_io::{guard_formula, parse_roster_csv, roster_to_csv, template_csv, unguard_formula};
use youjun::roster::{roster_to_xlsx, Roster};
use youjun::scenario::builtin::builtin;

use crate::support::{repo_path, scratch, stderr, test_data, youjun};

/// The names in `tests/data/roster_formula_names.csv`, as the roster holds
/// them (a doubled apostrophe in the file is one real apostrophe).
const NAMES: &[&str] = &[
    "=HYPERLINK(\"http://example.com/x\",\"点我\")",
    "+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(A1:A9)*cmd|' /C calc'!A0",
    "'=真的以引号开头",
    "'普通引号",
    "-初中",
];

fn formula_roster() -> Roster {
    parse_roster_csv(&std::fs::read_to_string(test_data("roster_formula_names.csv")).unwrap(), Lang::Zh).unwrap()
}

fn cells(text: &str) -> Vec<Vec<String>> {
    csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes())
        .records()
        .map(|r| r.unwrap().iter().map(str::to_owned).collect())
        .collect()
}

/// What Excel, WPS and LibreOffice read as the start of a formula in a CSV
/// cell (OWASP); a plain number such as `-3` is a number, not a formula.
fn would_evaluate(cell: &str) -> bool {
    cell.starts_with(['=', '+', '-', '@', '\t', '\r']) && cell.parse::<f64>().is_err()
}

/// Fails with every cell of `text` a spreadsheet would evaluate.
fn assert_inert(what: &str, text: &str) {
    let bad: Vec<(usize, usize, String)> = cells(text)
        .into_iter()
        .enumerate()
        .flat_map(|(r, row)| row.into_iter().enumerate().map(move |(c, v)| (r + 1, c + 1, v)))
        .filter(|(_, _, v)| would_evaluate(v))
        .collect();
    assert!(bad.is_empty(), "{what}: cells a spreadsheet would evaluate (row, column, text): {bad:?}");
}

fn model(roster: &Roster) -> Model {
    let s = builtin("pudong-2024").unwrap().scenario().unwrap();
    Model::new(s, roster.clone()).unwrap()
}

#[test]
fn the_fixture_holds_the_hostile_names() {
    let roster = formula_roster();
    for name in NAMES {
        assert!(roster.schools.iter().any(|s| s.name == *name), "{name} in the roster");
    }
    let groups: Vec<&str> = roster.schools.iter().map(|s| s.district_group.as_str()).collect();
    assert!(groups.contains(&"=1+1") && groups.contains(&"-集团") && groups.contains(&"@SUM(1+1)"), "{groups:?}");
    // An apostrophe a person typed before a formula character is the guard;
    // before anything else it is part of the name.
    assert!(groups.contains(&"+2") && groups.contains(&"'学区"), "{groups:?}");
}

#[test]
fn guard_and_unguard_are_inverse() {
    for s in [
        "=1+1", "+1", "-x", "@SUM(1)", "\t=1", "\r=1", "'=1", "''=1", "'", "''", "'a", "a", "", "学校", "-3", "'\t",
    ] {
        let g = guard_formula(s);
        assert!(!would_evaluate(&g), "{s:?} guarded as {g:?}");
        assert_eq!(unguard_formula(&g), s, "{s:?} guarded as {g:?}");
    }
    assert_eq!(guard_formula("=1+1"), "'=1+1");
    assert_eq!(guard_formula("'=1+1"), "''=1+1");
    assert_eq!(guard_formula("'abc"), "'abc");
    assert_eq!(guard_formula("abc=1"), "abc=1");
}

#[test]
fn roster_csv_is_inert_and_reimports_to_the_same_names() {
    let roster = formula_roster();
    let text = roster_to_csv(&roster);
    assert_inert("roster CSV", &text);
    assert!(text.contains("'=HYPERLINK"), "{text}");
    let back = parse_roster_csv(&text, Lang::En).unwrap();
    assert_eq!(back, roster);
    // Twice round: a guarded name is not guarded again on the way back.
    assert_eq!(roster_to_csv(&back), text);
    assert_inert("template CSV", &template_csv());
}

#[test]
fn result_csvs_are_inert_and_numbers_stay_numbers() {
    let roster = formula_roster();
    let m = model(&roster);
    let t = m.run_central();
    let mc = run_monte_carlo(&m, 4, 1, |_| {});
    for (what, text) in
        [("district.csv", district_csv(&m, &t)), ("schools.csv", schools_csv(&m, &t)), ("targets.csv", targets_csv(&m, &t, Some(&mc)))]
    {
        assert_inert(what, &text);
    }
    let rows = cells(&schools_csv(&m, &t));
    for school in &roster.schools {
        assert!(rows.iter().any(|r| unguard_formula(&r[1]) == school.name), "{} in schools.csv", school.name);
        assert!(rows.iter().any(|r| unguard_formula(&r[0]) == school.school_id), "{} in schools.csv", school.school_id);
    }
    // Number columns are never guarded, whatever their sign.
    assert!(rows[1..].iter().all(|r| r[3].parse::<i32>().is_ok() && r[4].parse::<f64>().is_ok()));
}

#[test]
fn workbooks_hold_formula_names_as_text() {
    let roster = formula_roster();
    let m = model(&roster);
    let t = m.run_central();
    for bytes in [results_xlsx(&m, &t, None, Lang::Zh).unwrap(), roster_to_xlsx(&roster).unwrap()] {
        let mut book: Xlsx<_> = Xlsx::new(Cursor::new(bytes.as_slice())).unwrap();
        for name in book.sheet_names() {
            let formulas = book.worksheet_formula(&name).unwrap();
            assert!(formulas.used_cells().all(|(_, _, f)| f.is_empty()), "{name}: a formula cell");
        }
        let first = book.sheet_names()[0].clone();
        let sheet = if first == "全区逐年" { book.worksheet_range("逐校逐年").unwrap() } else { book.worksheet_range(&first).unwrap() };
        for name in NAMES {
            assert!(sheet.used_cells().any(|(_, _, d)| d == &Data::String((*name).into())), "{name} as a text cell");
        }
    }
}

/// `youjun export` of a scenario whose roster has formula names.
fn cli_export(dir: &Path) -> std::path::PathBuf {
    std::fs::copy(test_data("roster_formula_names.csv"), dir.join("roster.csv")).unwrap();
    let toml = std::fs::read_to_string(repo_path("scenarios/pudong-2024.toml")).unwrap();
    let start = toml.find("[roster.synthetic]").unwrap();
    let end = toml.find("\n[enrollment]").unwrap();
    std::fs::write(dir.join("scenario.toml"), format!("{}[roster]\ncsv = \"roster.csv\"\n{}", &toml[..start], &toml[end..])).unwrap();
    let out = dir.join("out");
    let o = youjun(&["export", dir.join("scenario.toml").to_str().unwrap(), "--out", out.to_str().unwrap(), "--runs", "3"]);
    assert!(o.status.success(), "{}", stderr(&o));
    out
}

#[test]
fn cli_exports_are_inert() {
    let out = cli_export(&scratch("csv-injection-cli"));
    for name in ["district.csv", "schools.csv", "targets.csv"] {
        assert_inert(name, &std::fs::read_to_string(out.join(name)).unwrap());
    }
    let schools = std::fs::read_to_string(out.join("schools.csv")).unwrap();
    assert!(schools.contains("'=HYPERLINK") && schools.contains("'+cmd") && schools.contains("'@SUM"), "{schools}");
}

/// Opens `csv` in LibreOffice Calc (headless, converted to XLSX) and reads
/// the sheet back; None, with a notice, when LibreOffice is not installed.
fn through_libreoffice(csv: &Path, work: &Path) -> Option<std::path::PathBuf> {
    if Command::new("soffice").arg("--version").output().is_err() {
        eprintln!("NOTICE: soffice not found; skipping the LibreOffice check (apt-get install libreoffice-calc, or web/setup.sh)");
        return None;
    }
    // A profile of its own, so parallel tests or a running office do not clash.
    let profile = format!("-env:UserInstallation=file://{}", work.join("lo-profile").display());
    let o = Command::new("soffice")
        // Comma-separated, double quotes, UTF-8 (76), from the first line.
        .args([profile.as_str(), "--headless", "--infilter=CSV:44,34,76,1", "--convert-to", "xlsx", "--outdir"])
        .arg(work)
        .arg(csv)
        .output()
        .unwrap();
    let xlsx = work.join(csv.file_stem().unwrap()).with_extension("xlsx");
    assert!(xlsx.is_file(), "soffice did not convert {}: {}", csv.display(), String::from_utf8_lossy(&o.stderr));
    Some(xlsx)
}

#[test]
fn libreoffice_evaluates_no_cell_of_the_exports() {
    let dir = scratch("csv-injection-libreoffice");
    let out = cli_export(&dir);
    let roster_csv = dir.join("roster-export.csv");
    std::fs::write(&roster_csv, roster_to_csv(&formula_roster())).unwrap();
    for csv in [out.join("schools.csv"), roster_csv] {
        let Some(xlsx) = through_libreoffice(&csv, &dir) else { return };
        let mut book = open_workbook_auto(&xlsx).unwrap();
        let sheet = book.sheet_names()[0].clone();
        let formulas = book.worksheet_formula(&sheet).unwrap();
        let evaluated: Vec<_> = formulas.used_cells().filter(|(_, _, f)| !f.is_empty()).collect();
        assert!(evaluated.is_empty(), "{}: LibreOffice made formulas of {evaluated:?}", csv.display());
        let range = book.worksheet_range(&sheet).unwrap();
        for name in NAMES {
            let guarded = guard_formula(name);
            assert!(
                range.used_cells().any(|(_, _, d)| d == &Data::String(guarded.to_string())),
                "{}: {name} is not the text {guarded}",
                csv.display()
            );
        }
    }
}
