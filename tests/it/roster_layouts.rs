//! Issue 17: workbooks laid out as statistics forms are (a title above the
//! header, a two-row header with merged group headings, totals and note
//! rows, several sheets), each written by LibreOffice from the template
//! (`tests/data/real-files/README.md`), import to the template's roster, and
//! every decision the reader took is returned as data before anything is
//! applied. The CLI's `balance`, `check` and `run` read them, with
//! `--sheet NAME`.

use std::io::Read;

use youjun::roster::csv_io::{template_csv, Lang};
use youjun::roster::{ParseMode, Roster, RosterFile, RosterImport};

use crate::support::{repo_path, scratch, stderr, stdout, test_data, youjun};

fn template() -> Roster {
    RosterFile::Csv(template_csv()).parse(Lang::Zh, ParseMode::Strict).into_result().unwrap()
}

fn bytes(name: &str) -> Vec<u8> {
    std::fs::read(test_data(&format!("real-files/{name}"))).unwrap()
}

fn read(name: &str, sheet: Option<&str>) -> RosterImport {
    RosterFile::from_upload(name, bytes(name)).parse_sheet(sheet, ParseMode::Strict)
}

fn unusual(r: &RosterImport) -> Vec<String> {
    r.mapping.unusual().map(|n| n.en.clone()).collect()
}

#[test]
fn the_workbooks_were_written_by_libreoffice() {
    for name in ["title-row.xlsx", "two-row-header.xlsx", "totals-row.xlsx", "two-sheets.xlsx", "official.xlsx"] {
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes(name))).unwrap();
        let mut app = String::new();
        zip.by_name("docProps/app.xml").unwrap().read_to_string(&mut app).unwrap();
        assert!(app.contains("<Application>LibreOffice"), "{name}: {app}");
    }
}

#[test]
fn each_official_layout_imports_to_the_template() {
    let template = template();
    for (name, header_rows, skipped) in [
        ("title-row.xlsx", vec![3], vec![1]),
        ("two-row-header.xlsx", vec![1, 2], vec![]),
        ("totals-row.xlsx", vec![1], vec![6, 8]),
        ("official.xlsx", vec![3, 4], vec![1, 2, 5, 10, 11]),
        ("official-gb18030.csv", vec![3, 4], vec![1, 2, 5, 10, 11]),
    ] {
        let r = read(name, None);
        assert!(r.problems.is_empty(), "{name}: {:?}", r.problems);
        assert_eq!(r.roster, template, "{name}");
        assert_eq!(r.mapping.header_rows, header_rows, "{name}");
        assert_eq!(r.mapping.skipped_rows.iter().map(|s| s.row).collect::<Vec<_>>(), skipped, "{name}");
    }
}

#[test]
fn the_mapping_says_every_decision() {
    let r = read("official.xlsx", None);
    let m = &r.mapping;
    assert_eq!(m.sheet.as_deref(), Some("基本情况"));
    assert_eq!(m.sheets.iter().map(|s| (s.name.as_str(), s.roster)).collect::<Vec<_>>(), [("基本情况", true), ("填表说明", false)]);
    // Each column and the field it became; 序号 left aside.
    let col = |c: &str| m.columns.iter().find(|x| x.column == c).unwrap_or_else(|| panic!("column {c}"));
    assert_eq!((col("A").header.as_str(), col("A").field.as_deref()), ("序号", None));
    assert_eq!((col("B").header.as_str(), col("B").field.as_deref()), ("学校标识码", Some("school_id")));
    assert_eq!((col("X").header.as_str(), col("X").field.as_deref()), ("办学条件 / 教学仪器设备值（万元）", Some("equipment_yuan")));
    assert_eq!(m.columns.iter().filter(|c| c.field.is_some()).count(), 32);
    let said = unusual(&r);
    for expected in [
        "Sheet: \"基本情况\", the only one of the 2 sheets holding a roster",
        "Two-row header: rows 3–4 (group headings in row 3, names in row 4; a name merged over both rows is read from row 3)",
        "row 3: \"教师（人）\" is the group heading of columns Q–U, not a field",
        "columns G–O \"一年级…九年级\" under the group heading \"各年级在校学生数（人）\" → students_g1 … students_g9",
        "column X \"办学条件 / 教学仪器设备值（万元）\" → equipment_yuan (教学仪器设备值(元)): matched without the unit \"万元\"; values multiplied by 10000",
        "row 10: is a totals row (\"合计\"), left aside",
    ] {
        assert!(said.iter().any(|s| s == expected), "{expected}\nnot in {said:#?}");
    }
    // The same decisions in Chinese.
    assert!(m.decisions.iter().any(|d| d.note.zh == "第 10 行为合计行（「合计」），略过"));
    // The template's own workbook: its help sheet is no roster, and says so.
    let t = RosterFile::Xlsx(youjun::roster::template_xlsx()).parse(Lang::Zh, ParseMode::Strict);
    assert_eq!(unusual(&t), ["Sheet: \"花名册\", the only one of the 2 sheets holding a roster"]);
}

#[test]
fn two_sheets_holding_a_roster_wait_for_the_planner() {
    let r = read("two-sheets.xlsx", None);
    assert!(r.roster.schools.is_empty());
    assert_eq!(r.problems.len(), 1);
    assert_eq!(
        r.problems[0].describe(Lang::En),
        "2 sheets of the workbook hold a roster: \"2023学年\", \"2024学年\"; choose the sheet to import (on the command line, --sheet NAME)"
    );
    assert_eq!(r.mapping.roster_sheets(), ["2023学年", "2024学年"]);
    let chosen = read("two-sheets.xlsx", Some("2024学年"));
    assert_eq!(chosen.roster, template());
    assert_eq!(unusual(&chosen), ["Sheet: \"2024学年\" (as chosen)"]);
    assert_eq!(read("two-sheets.xlsx", Some("2023学年")).roster.schools.len(), 3);
    let wrong = read("two-sheets.xlsx", Some("2025学年"));
    assert_eq!(wrong.problems[0].describe(Lang::Zh), "工作簿中没有名为「2025学年」的工作表；工作表有：「2023学年」「2024学年」");
}

#[test]
fn balance_takes_a_sheet_and_lists_them_without_one() {
    let file = "tests/data/real-files/two-sheets.xlsx";
    let o = youjun(&["balance", file, "--lang", "en"]);
    assert!(!o.status.success());
    assert!(stderr(&o).contains("2 sheets of the workbook hold a roster: \"2023学年\", \"2024学年\""), "{}", stderr(&o));
    let o = youjun(&["balance", file, "--sheet", "2024学年", "--json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let plain = youjun(&["balance", "tests/golden/roster-template.csv", "--json"]);
    assert_eq!(stdout(&o), stdout(&plain));
    // One roster sheet among several: used, and said on stderr.
    let o = youjun(&["balance", "tests/data/real-files/official.xlsx", "--json", "--lang", "en"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(stdout(&o), stdout(&plain));
    assert!(stderr(&o).contains("note: tests/data/real-files/official.xlsx: Sheet: \"基本情况\", the only one of the 2 sheets holding a roster"), "{}", stderr(&o));
}

#[test]
fn check_and_run_take_a_sheet() {
    let text = std::fs::read_to_string(repo_path("scenarios/pudong-2024.toml")).unwrap();
    let start = text.find("[roster.synthetic]").expect("a synthetic roster");
    let end = start + 1 + text[start + 1..].find("\n[").expect("a section after the roster");
    let dir = scratch("layouts-scenario");
    std::fs::copy(test_data("real-files/two-sheets.xlsx"), dir.join("roster.xlsx")).unwrap();
    let path = dir.join("scenario.toml");
    std::fs::write(&path, format!("{}[roster]\ncsv = \"roster.xlsx\"\n{}", &text[..start], &text[end..])).unwrap();
    let path = path.to_str().unwrap();
    let o = youjun(&["check", path]);
    assert!(!o.status.success());
    assert!(stderr(&o).contains("2 张工作表含花名册"), "{}", stderr(&o));
    let o = youjun(&["check", path, "--sheet", "2024学年"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("3 所学校 4 行"), "{}", stdout(&o));
    let o = youjun(&["run", path, "--sheet", "2023学年", "--runs", "0", "--json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v["schema"], "youjun.run/1");
    // --sheet without a roster file is a usage error.
    let o = youjun(&["check", "scenarios/pudong-2024.toml", "--sheet", "x"]);
    assert!(!o.status.success());
    assert!(stderr(&o).contains("--sheet"), "{}", stderr(&o));
}
