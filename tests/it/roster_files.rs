//! Roster files as planners hand them over: CSV and XLSX fixtures, the
//! templates, and school names that are markup or formulas.

use std::io::{Cursor, Read};

use youjun::roster::csv_io::{parse_roster_csv, parse_roster_csv_bytes, roster_to_csv, template_csv};
use youjun::roster::{
    parse_roster_lenient, parse_roster_xlsx, roster_to_xlsx, template_xlsx, Lang, Level, ParseMode, Roster, RosterFile,
};

use crate::support::{check_golden, test_data};

fn html_roster() -> Roster {
    parse_roster_csv(&std::fs::read_to_string(test_data("roster_html_names.csv")).unwrap(), Lang::Zh).unwrap()
}

#[test]
fn markup_and_formula_names_parse_and_keep_their_text() {
    let r = html_roster();
    let names: Vec<&str> = r.schools.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "<img src=x onerror=alert(1)>",
            "<script>alert(1)</script>",
            "示例初中 \"引号\", 逗号",
            "=1+1",
            "&lt;b&gt;实体&lt;/b&gt; &amp; </td>",
        ]
    );
    assert_eq!(r.schools[0].district_group, "<b>学区</b>");
    assert_eq!(r.schools[4].district_group, "javascript:alert(\"x\")");
    assert_eq!((r.schools[2].school_id.as_str(), r.schools[2].level), ("<u>J5</u>", Level::Junior));
    assert_eq!(r.schools[0].feeds, ["<u>J5</u>"]);
    // Written back and read again, as CSV and as XLSX, nothing changes.
    assert_eq!(parse_roster_csv(&roster_to_csv(&r), Lang::En), Ok(r.clone()));
    assert_eq!(parse_roster_xlsx(&roster_to_xlsx(&r).unwrap(), Lang::En), Ok(r));
}

#[test]
fn the_xlsx_fixture_is_the_csv_fixture_and_is_regenerated_exactly() {
    let r = html_roster();
    let generated = roster_to_xlsx(&r).unwrap();
    check_golden("data/roster_html_names.xlsx", &generated);
    let committed = std::fs::read(test_data("roster_html_names.xlsx")).unwrap();
    assert_eq!(parse_roster_xlsx(&committed, Lang::Zh), Ok(r));
    // Markup is escaped in the workbook's XML, never written raw.
    let mut z = zip::ZipArchive::new(Cursor::new(committed)).unwrap();
    let mut xml = String::new();
    z.by_name("xl/sharedStrings.xml").unwrap().read_to_string(&mut xml).unwrap();
    assert!(xml.contains("&lt;script&gt;alert(1)&lt;/script&gt;") && !xml.contains("<script>"), "{xml}");
    assert!(xml.contains("&amp;lt;b&amp;gt;"), "{xml}");
}

#[test]
fn balance_small_reads_the_same_from_csv_bytes_and_from_xlsx() {
    let bytes = std::fs::read(test_data("balance_small.csv")).unwrap();
    let from_csv = parse_roster_csv_bytes(&bytes, Lang::Zh).unwrap();
    assert_eq!(from_csv.schools.len(), 5);
    let as_xlsx = roster_to_xlsx(&from_csv).unwrap();
    for file in [RosterFile::from_upload("balance_small.csv", bytes), RosterFile::from_upload("balance_small.xlsx", as_xlsx)] {
        assert_eq!(file.parse(Lang::Zh, ParseMode::Strict).into_result(), Ok(from_csv.clone()));
    }
}

/// The template offered for download is the committed example the README points to.
#[test]
fn template_file_matches_template_csv() {
    check_golden("golden/roster-template.csv", template_csv());
}

#[test]
fn both_templates_parse_back_to_the_same_roster() {
    let csv = parse_roster_csv(&template_csv(), Lang::Zh).unwrap();
    let xlsx = parse_roster_xlsx(&template_xlsx(), Lang::Zh).unwrap();
    assert_eq!(csv, xlsx);
    assert!(csv.is_nine_year("S002"));
}

#[test]
fn the_bad_fixtures_fail_strictly_and_lenient_mode_keeps_nothing_bad() {
    for name in ["bad_column.csv", "bad_level.csv", "bad_negative.csv"] {
        let text = std::fs::read_to_string(test_data(name)).unwrap();
        let strict = parse_roster_csv(&text, Lang::En).unwrap_err();
        let (kept, problems) = parse_roster_lenient(&RosterFile::Csv(text.clone()), Lang::En);
        assert!(problems.starts_with(&strict), "{name}");
        if !kept.schools.is_empty() {
            assert_eq!(parse_roster_csv(&roster_to_csv(&kept), Lang::En), Ok(kept.clone()), "{name}");
        }
        // The same file as a workbook reports the same.
        let rows: Vec<Vec<String>> = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(text.as_bytes())
            .records()
            .map(|r| r.unwrap().iter().map(str::to_owned).collect())
            .collect();
        let mut wb = rust_xlsxwriter::Workbook::new();
        let ws = wb.add_worksheet();
        for (r, row) in rows.iter().enumerate() {
            for (c, v) in row.iter().enumerate().filter(|(_, v)| !v.is_empty()) {
                ws.write_string(r as u32, c as u16, v).unwrap();
            }
        }
        let xlsx = wb.save_to_buffer().unwrap();
        assert_eq!(parse_roster_xlsx(&xlsx, Lang::En), Err(strict), "{name}");
    }
}
