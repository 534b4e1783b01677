//! Roster and results workbooks inside the browser: they are built and read
//! there, and a workbook is byte-for-byte the one the native build writes.

use wasm_bindgen_test::*;
use youjun::roster::csv_io::parse_roster_csv;
use youjun::roster::{parse_roster_xlsx, roster_to_xlsx, template_xlsx, Lang, ParseMode, RosterFile};

use crate::support::builtin_model;

const HTML_CSV: &str = include_str!("../data/roster_html_names.csv");
const HTML_XLSX: &[u8] = include_bytes!("../data/roster_html_names.xlsx");

#[wasm_bindgen_test]
fn workbooks_are_written_and_read_in_the_browser() {
    let roster = parse_roster_csv(HTML_CSV, Lang::Zh).unwrap();
    // The same bytes as the native build's fixture: no clock, no platform in the file.
    assert!(roster_to_xlsx(&roster).unwrap() == HTML_XLSX, "the wasm workbook differs from the native fixture");
    assert_eq!(parse_roster_xlsx(HTML_XLSX, Lang::Zh), Ok(roster));
    let template = parse_roster_xlsx(&template_xlsx(), Lang::Zh).unwrap();
    assert_eq!(template.schools.len(), 4, "the template: three schools, one of them nine-year (two rows)");
    // Damaged input is a problem, not a panic (a panic aborts the app).
    let p = RosterFile::from_upload("x.xlsx", b"PK\x03\x04junk".to_vec()).parse(Lang::En, ParseMode::DropBadRows);
    assert_eq!(p.problems.len(), 1);
}

#[wasm_bindgen_test]
fn results_workbook_is_built_in_the_browser() {
    let model = builtin_model("minhang-hongqiao-district");
    let t = model.run_central();
    let bytes = youjun::export::results_xlsx(&model, &t, None, Lang::Zh).unwrap();
    assert!(bytes.starts_with(b"PK\x03\x04"));
    assert!(youjun::export::district_csv(&model, &t).starts_with("year,"));
}
