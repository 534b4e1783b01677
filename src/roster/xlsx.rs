//! Roster import and export as Excel workbooks (.xlsx).
//!
//! Reading turns one worksheet into the same grid of text cells a CSV file
//! becomes, so [`super::csv_io`] applies every header and cell rule to both.
//! The worksheet is the one the planner names; else the only visible one
//! whose first rows hold a roster-shaped table (a header naming the school
//! id and at least three roster columns), else the first visible one; when
//! several hold a roster, none is read until the planner chooses (the
//! import dialog lists them, the CLI takes `--sheet NAME`). Everything happens in memory: the browser hands over
//! the bytes of the chosen file.
//!
//! ## How cell values become text
//!
//! - Text cells are read as written (the reader trims spaces, as for CSV).
//! - Numbers are read as Excel shows them in the General format: rounded to
//!   15 significant digits, Excel's own precision. So a whole number stored
//!   as 12.0 reads as `12`, and formula noise such as 7.000000000000001 (from
//!   `=100*0.07`) reads as `7` and passes a whole-number column, while 10.5
//!   is still refused there. A number typed into Excel never has more than
//!   15 digits, so typed values are read exactly; the same file saved as
//!   "CSV UTF-8" imports to the same roster.
//! - Dates are read as Excel's serial number (a year typed into a cell
//!   formatted as a date is still that year's number).
//! - TRUE/FALSE read as `true`/`false`; error values (#N/A, #REF!, …) are
//!   reported as such.
//!
//! Rows keep the numbers the spreadsheet shows: the header is found among
//! the first rows (row 1 in a normal sheet; below a title, or two rows with
//! merged group headings, in an official form: see [`super::layout`]), and
//! empty rows, before or after the data, are ignored.

use std::collections::BTreeMap;
use std::io::Cursor;

use calamine::{DataRef, Reader, SheetType, SheetVisible, Xlsx, XlsxError};
use rust_xlsxwriter::{DataValidation, DocProperties, ExcelDateTime, Format, Workbook, Worksheet};

use super::csv_io::{
    column_kind, export_columns, extra_columns, fmt_num, Extra, read_grid, roster_shaped, school_cells, template_columns,
    template_roster, Grid, Lang, ParseMode,
};
use super::layout::{Mapping, Note, SheetInfo, HEADER_SCAN};
use super::Roster;
use crate::message::{Error, ErrorKind, Problem, Text};

/// Reads the first visible worksheet of an .xlsx file. `_lang` as in
/// [`super::csv_io::parse_roster_csv`].
///
/// # Errors
///
/// Every problem found, as [`super::csv_io::parse_roster_csv`] does; a file
/// that is not a readable workbook gives one problem saying so.
pub fn parse_roster_xlsx(bytes: &[u8], _lang: Lang) -> Result<Roster, Vec<Problem>> {
    read_grid(grid_from_xlsx(bytes, None), ParseMode::Strict).into_result()
}

/// The roster as a workbook with English keys, one sheet, numbers as
/// numbers: what [`super::csv_io::roster_to_csv`] writes, for Excel.
/// `parse_roster_xlsx` reads it back unchanged when every number has at most
/// 15 significant digits (see the module notes). Fails only on text longer
/// than a cell holds (32,767 characters).
///
/// # Errors
///
/// [`ErrorKind::Export`] when a text is too long for a cell (the writer's reason as found).
pub fn roster_to_xlsx(roster: &Roster) -> Result<Vec<u8>, Error> {
    let failed = |e: rust_xlsxwriter::XlsxError| {
        Error::new(ErrorKind::Export, Problem::whole(Text::new("无法生成 Excel 花名册", "cannot write the roster workbook")).found(e.to_string()))
    };
    let mut wb = workbook();
    let ws = wb.add_worksheet();
    write_roster_sheet(ws, roster, false).map_err(failed)?;
    wb.save_to_buffer().map_err(failed)
}

/// The downloadable template as a workbook: the rows of
/// [`super::csv_io::template_csv`] (Chinese headers and values) on the first
/// sheet 花名册, with column widths, a frozen header, drop-down lists for
/// the choice columns, and a second sheet 填写说明 explaining every column
/// in Chinese and English.
pub fn template_xlsx() -> Vec<u8> {
    build_template().unwrap_or_else(|e| unreachable!("the template is fixed and fits Excel's limits: {e}"))
}

fn build_template() -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    let mut wb = workbook();
    let ws = wb.add_worksheet();
    ws.set_name("花名册")?;
    let ncols = write_roster_sheet(ws, &template_roster(), true)?;
    // Drop-downs accept what the reader accepts, in Chinese; blank is allowed.
    let lists: &[(&str, &[&str])] = &[
        ("level", &["小学", "初中"]),
        ("area", &["城区", "农村"]),
        ("new_quality", &["无", "区级", "市级"]),
        ("strong_school", &["是", "否"]),
        ("project_status", &["无", "在研", "已结题"]),
    ];
    let keys: Vec<&str> = export_columns(Extra::NONE).map(|c| c.0).collect();
    for (key, values) in lists {
        if let Some(c) = keys.iter().position(|k| k == key) {
            let dv = DataValidation::new().allow_list_strings(values)?.ignore_blank(true);
            ws.add_data_validation(1, c as u16, 5000, c as u16, &dv)?;
        }
    }
    debug_assert_eq!(ncols, keys.len());

    let help = wb.add_worksheet();
    help.set_name("填写说明")?;
    let bold = Format::new().set_bold();
    let wrap = Format::new().set_text_wrap();
    for (c, h) in ["列名", "英文列名 (key)", "说明", "Description"].iter().enumerate() {
        help.write_string_with_format(0, c as u16, *h, &bold)?;
    }
    for (r, (key, zh, desc)) in template_columns().iter().enumerate() {
        let r = r as u32 + 1;
        help.write_string(r, 0, *zh)?;
        help.write_string(r, 1, *key)?;
        help.write_string_with_format(r, 2, *desc, &wrap)?;
        help.write_string_with_format(r, 3, help_en(key), &wrap)?;
    }
    let notes = [
        "每所学校每个学段一行；九年一贯制学校的小学部与初中部各占一行，学校代码相同。表头可用中文列名或英文列名。",
        "One row per school and level; a nine-year school has a primary and a junior row with the same school_id. Headers may be the Chinese names or the English keys.",
    ];
    let first_note = template_columns().len() as u32 + 2;
    for (i, n) in notes.iter().enumerate() {
        help.write_string(first_note + i as u32, 0, *n)?;
    }
    for (c, w) in [(0u16, 26.0), (1, 22.0), (2, 60.0), (3, 60.0)] {
        help.set_column_width(c, w)?;
    }
    help.set_freeze_panes(1, 0)?;
    wb.save_to_buffer()
}

/// Writes the roster's export columns (Chinese headers and values when
/// `zh`); returns the number of columns.
fn write_roster_sheet(ws: &mut Worksheet, roster: &Roster, zh: bool) -> Result<usize, rust_xlsxwriter::XlsxError> {
    let extra = extra_columns(roster);
    let bold = Format::new().set_bold();
    let columns: Vec<_> = export_columns(extra).collect();
    for (c, (key, zh_header, _)) in columns.iter().enumerate() {
        let header = if zh { *zh_header } else { *key };
        ws.write_string_with_format(0, c as u16, header, &bold)?;
        // Wide enough for the header (CJK characters count double) and typical values.
        let width = header.chars().map(|ch| if ch.is_ascii() { 1.0 } else { 2.0 }).sum::<f64>().max(10.0) + 2.0;
        ws.set_column_width(c as u16, width)?;
    }
    for (r, s) in roster.schools.iter().enumerate() {
        let r = r as u32 + 1;
        for (c, (cell, (key, _, _))) in school_cells(s, zh, extra).iter().zip(&columns).enumerate() {
            let c = c as u16;
            match column_kind(key).and_then(|_| cell.parse::<f64>().ok()) {
                Some(x) => ws.write_number(r, c, x)?,
                None if cell.is_empty() => ws,
                None => ws.write_string(r, c, cell)?,
            };
        }
    }
    ws.set_freeze_panes(1, 0)?;
    Ok(columns.len())
}

/// A workbook whose bytes depend only on what is written into it: the
/// creation date is fixed rather than read from the clock.
pub(crate) fn workbook() -> Workbook {
    let mut wb = Workbook::new();
    let date = ExcelDateTime::from_ymd(2024, 1, 1).unwrap_or_else(|e| unreachable!("a valid date: {e}"));
    wb.set_properties(&DocProperties::new().set_creation_datetime(&date));
    wb
}

/// English help for each template column (the Chinese is in the columns table).
fn help_en(key: &str) -> &'static str {
    match key {
        "school_id" => "Required. A nine-year school has a primary row and a junior row with the same code.",
        "name" => "Defaults to the school code.",
        "level" => "Required. 小学 (primary, grades 1–5) or 初中 (junior, grades 6–9).",
        "area" => "城区/城镇 (urban) or 农村/乡村 (rural); blank means urban.",
        "district_group" => "学区 or 集团; may be blank.",
        "students" => "Students at this level, spread evenly over its grades; or fill in the grade columns instead (if both, they must agree).",
        "students_g1" => "Primary students by grade: whole numbers ≥ 0.",
        "students_g6" => "Junior students by grade (Shanghai's 5+4 system: grades 6–9 are junior).",
        k if k.starts_with("students_g") => "As above.",
        "classes" => "Teaching classes; blank or 0 means derived from the class-size cap.",
        "teachers" => "Full-time teachers; blank or 0 means unknown. When filled in, no teacher count below may exceed it.",
        "qualified_teachers" => "Required. Teachers with a degree above the required one.",
        "backbone_teachers" => "Required. Backbone teachers at district level or above.",
        "pe_art_teachers" => "Required. Full-time PE, music and art teachers.",
        "senior_teachers" => "Optional. Teachers with a senior title.",
        "science_teachers" => "Optional. Full- or part-time science teachers.",
        "teaching_space_m2" => "Required. Teaching and auxiliary floor area, m², a number ≥ 0.",
        "sports_space_m2" => "Required. Sports grounds and halls, m², a number ≥ 0.",
        "equipment_yuan" => "Required. Teaching equipment value, yuan, a number ≥ 0.",
        "multimedia_rooms" => "Required. Networked multimedia classrooms.",
        "capacity" => "Seats; blank or 0 means unknown.",
        "new_quality" => "New-quality status: 无 (none), 区级 (district) or 市级 (municipal); blank means none.",
        "new_quality_since" => "Year of new-quality recognition, 1949–2100; may be blank.",
        "strong_school" => "Strong-school experimental school: 是/否 (true/false, 1/0); blank means no.",
        "paired_with" => "School code of the paired school, which must be in this roster; may be blank.",
        "project_status" => "Innovation project: 无 (none), 在研 (active) or 已结题 (completed); blank means none.",
        "project_start" => "Year the innovation project started, 1949–2100; may be blank.",
        "feeds" => "For a primary row: the school code(s) of the junior school(s) it feeds, separated by ; and each a junior row in this roster.",
        "longitude" => "Optional, for the map: degrees east (-180 to 180), given together with latitude or not at all.",
        "latitude" => "Optional, for the map: degrees north (-90 to 90), given together with longitude or not at all.",
        "x" => "Optional, for the map: eastward coordinate on the district's own grid, given with y or not at all; not with longitude and latitude.",
        "y" => "Optional, for the map: northward coordinate on the district's own grid, given with x or not at all.",
        _ => "",
    }
}

/// Whether `bytes` start like a workbook: a zip (.xlsx) or an OLE compound
/// file (.xls, or an encrypted .xlsx).
pub(super) fn looks_like_workbook(bytes: &[u8]) -> bool {
    bytes.starts_with(ZIP_MAGIC) || bytes.starts_with(OLE_MAGIC)
}

const ZIP_MAGIC: &[u8] = b"PK\x03\x04";
const OLE_MAGIC: &[u8] = &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

/// Filled cells beyond which a sheet is refused rather than read: a roster
/// has a few thousand rows of some 35 columns, and the limits keep a hostile
/// file from exhausting the browser's memory. `MAX_GRID` bounds the cells
/// once each row is laid out up to its last filled cell.
const MAX_CELLS: usize = 500_000;
const MAX_GRID: usize = 2_000_000;

/// The worksheet named `sheet`, else the only visible one holding a roster
/// (else the first visible one), as a grid of text cells, with the sheets
/// and the choice in its mapping; or a grid holding the one problem that
/// stopped it being read (several sheets hold a roster and none was named,
/// no sheet has the name, the file is not a workbook, …).
pub(super) fn grid_from_xlsx(bytes: &[u8], sheet: Option<&str>) -> Grid {
    let mut mapping = Mapping::default();
    match read_sheet(bytes, sheet, &mut mapping) {
        Ok(rows) => Grid { rows, problems: Vec::new(), mapping },
        Err(p) => Grid { rows: Vec::new(), problems: vec![p], mapping },
    }
}

/// Sheet names as a list to quote: 「A」「B」 and "A", "B".
fn sheet_list(names: &[&str]) -> (String, String) {
    (names.iter().map(|n| format!("「{n}」")).collect(), names.iter().map(|n| format!("\"{n}\"")).collect::<Vec<_>>().join(", "))
}

fn read_sheet(bytes: &[u8], sheet: Option<&str>, mapping: &mut Mapping) -> Result<Vec<(usize, Vec<String>)>, Problem> {
    let fail = |zh: String, en: String| Problem::whole(Text::new(zh, en));
    if bytes.is_empty() {
        return Err(fail("文件为空".into(), "the file is empty".into()));
    }
    if bytes.starts_with(OLE_MAGIC) {
        return Err(fail(
            "无法读取：这是旧版 Excel 97–2003 (.xls) 文件，或是设了密码的工作簿。请在 Excel 中取消密码后另存为「Excel 工作簿 (.xlsx)」或「CSV UTF-8（逗号分隔）」。".into(),
            "cannot read: this is an old Excel 97–2003 (.xls) file or a password-protected workbook. In Excel, remove any password and save as \"Excel Workbook (.xlsx)\" or \"CSV UTF-8 (Comma delimited)\".".into(),
        ));
    }
    if !bytes.starts_with(ZIP_MAGIC) {
        let text = std::str::from_utf8(bytes).is_ok_and(|t| !t.contains('\0'));
        return Err(if text {
            fail(
                "不是 Excel 工作簿 (.xlsx)：文件内容是文本，可能是改了扩展名的 CSV 文件。请按 CSV 文件导入，或在 Excel 中另存为 .xlsx。".into(),
                "not an Excel workbook (.xlsx): the file holds text, perhaps a CSV file renamed. Import it as CSV, or save it from Excel as .xlsx.".into(),
            )
        } else {
            fail(
                "不是有效的 Excel 工作簿 (.xlsx) 文件。请选择 .xlsx 或 CSV UTF-8 文件。".into(),
                "not a valid Excel workbook (.xlsx). Choose an .xlsx or a CSV UTF-8 file.".into(),
            )
        });
    }
    let unreadable = |e: XlsxError| match e {
        XlsxError::Password => fail(
            "工作簿设了密码，无法读取。请在 Excel 中取消密码后再导入。".into(),
            "the workbook is password-protected. Remove the password in Excel and import it again.".into(),
        ),
        e => fail(
            format!("无法读取该 Excel 工作簿（文件可能已损坏，或不是 .xlsx 格式）：{e}"),
            format!("cannot read this Excel workbook (it may be damaged, or not in .xlsx format): {e}"),
        ),
    };
    check_parts(bytes)?;
    let mut book: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).map_err(unreadable)?;
    let worksheets: Vec<(String, bool)> = book
        .sheets_metadata()
        .iter()
        .filter(|s| s.typ == SheetType::WorkSheet)
        .map(|s| (s.name.clone(), s.visible == SheetVisible::Visible))
        .collect();
    if worksheets.is_empty() {
        return Err(fail("工作簿中没有工作表".into(), "the workbook has no worksheet".into()));
    }
    // The sheets a planner sees (the first worksheet when all are hidden),
    // each checked for a roster in its first rows.
    let mut seen: Vec<String> = worksheets.iter().filter(|s| s.1).map(|s| s.0.clone()).collect();
    if seen.is_empty() {
        seen.push(worksheets[0].0.clone());
    }
    for name in &seen {
        let top = cells_of(&mut book, name, Some(HEADER_SCAN)).map_err(|p| *p)?;
        mapping.sheets.push(SheetInfo { name: name.clone(), roster: roster_shaped(&top) });
    }
    let rosters = mapping.roster_sheets();
    let name = match sheet {
        Some(want) => {
            let want = want.trim();
            let Some((name, _)) = worksheets.iter().find(|s| s.0 == want).or_else(|| worksheets.iter().find(|s| s.0.trim() == want)) else {
                let names: Vec<&str> = seen.iter().map(String::as_str).collect();
                let (zh, en) = sheet_list(&names);
                let q = crate::message::quoted(want);
                return Err(fail(format!("工作簿中没有名为「{q}」的工作表；工作表有：{zh}"), format!("the workbook has no sheet named \"{q}\"; its sheets are {en}")));
            };
            mapping.decide(false, Note { zh: format!("工作表：「{name}」（指定）"), en: format!("Sheet: \"{name}\" (as chosen)") });
            name.clone()
        }
        None => match rosters.as_slice() {
            [only] => {
                let only = (*only).to_owned();
                if seen.len() == 1 {
                    mapping.decide(true, Note { zh: format!("工作表：「{only}」"), en: format!("Sheet: \"{only}\"") });
                } else {
                    let n = seen.len();
                    mapping.decide(
                        false,
                        Note {
                            zh: format!("工作表：「{only}」，{n} 张工作表中唯一含花名册的一张"),
                            en: format!("Sheet: \"{only}\", the only one of the {n} sheets holding a roster"),
                        },
                    );
                }
                only
            }
            [] => {
                let first = seen[0].clone();
                mapping.decide(
                    seen.len() == 1,
                    Note {
                        zh: format!("工作表：「{first}」（没有工作表像花名册，读取第一张）"),
                        en: format!("Sheet: \"{first}\" (no sheet looks like a roster; the first is read)"),
                    },
                );
                first
            }
            several => {
                let (zh, en) = sheet_list(several);
                return Err(fail(
                    format!("工作簿中有 {} 张工作表含花名册：{zh}；请选择要导入的工作表（命令行用 --sheet 名称）", several.len()),
                    format!("{} sheets of the workbook hold a roster: {en}; choose the sheet to import (on the command line, --sheet NAME)", several.len()),
                ));
            }
        },
    };
    mapping.sheet = Some(name.clone());
    cells_of(&mut book, &name, None).map_err(|p| *p)
}

/// The filled cells of the worksheet `name` as rows (numbered as the sheet
/// shows them, each laid out up to its last filled cell); with `first`,
/// only the first that many filled rows.
fn cells_of(book: &mut Xlsx<Cursor<&[u8]>>, name: &str, first: Option<usize>) -> Result<Vec<(usize, Vec<String>)>, Box<Problem>> {
    let fail = |zh: String, en: String| Box::new(Problem::whole(Text::new(zh, en)));
    let unreadable = |e: XlsxError| {
        fail(
            format!("无法读取该 Excel 工作簿（文件可能已损坏，或不是 .xlsx 格式）：{e}"),
            format!("cannot read this Excel workbook (it may be damaged, or not in .xlsx format): {e}"),
        )
    };
    let mut reader = book.worksheet_cells_reader(name).map_err(unreadable)?;

    // Sparse first: only filled cells, by (row, column).
    let mut cells: BTreeMap<u32, BTreeMap<u32, String>> = BTreeMap::new();
    let mut filled = 0usize;
    let too_large = || {
        fail(
            format!("工作表「{name}」太大（超过 {MAX_CELLS} 个有内容的单元格）；花名册每所学校每个学段一行"),
            format!("the worksheet \"{name}\" is too large (over {MAX_CELLS} filled cells); a roster has one row per school and level"),
        )
    };
    while let Some(cell) = reader.next_cell().map_err(unreadable)? {
        let text = cell_text(cell.get_value());
        if text.trim().is_empty() {
            continue;
        }
        if first.is_some_and(|n| cells.len() >= n && !cells.contains_key(&cell.get_position().0)) {
            break;
        }
        filled += 1;
        if filled > MAX_CELLS {
            return Err(too_large());
        }
        let (r, c) = cell.get_position();
        cells.entry(r).or_default().insert(c, text);
    }
    let padded: usize = cells.values().map(|row| row.keys().next_back().map_or(0, |c| *c as usize + 1)).sum();
    if padded > MAX_GRID {
        return Err(too_large());
    }
    Ok(cells
        .into_iter()
        .map(|(r, row)| {
            let width = row.keys().next_back().map_or(0, |c| *c as usize + 1);
            let mut out = vec![String::new(); width];
            for (c, v) in row {
                out[c as usize] = v;
            }
            (r as usize + 1, out)
        })
        .collect())
}

/// The most shared strings (distinct texts) a workbook may declare.
const MAX_SHARED_STRINGS: u64 = 2_000_000;

/// The most bytes one part (file) of a workbook may inflate to: 64 MiB of
/// XML. A 50,000-row roster's sheet is some 25 MB.
pub const MAX_PART_BYTES: u64 = 64 << 20;
/// The most bytes all parts of a workbook together may inflate to (128 MiB).
pub const MAX_TOTAL_BYTES: u64 = 128 << 20;
/// The most parts (files) a workbook may hold; Excel writes about a dozen.
pub const MAX_PARTS: usize = 10_000;
/// The most cell elements (`<c>`, filled or only formatted) all sheets
/// together may hold. Filled cells are limited further, to [`MAX_CELLS`].
pub const MAX_CELL_ELEMENTS: u64 = 4_000_000;
/// Excel's own limits: rows and columns of a worksheet.
pub const EXCEL_ROWS: u64 = 1_048_576;
/// See [`EXCEL_ROWS`].
pub const EXCEL_COLUMNS: u64 = 16_384;

/// Checks the workbook's container before calamine sees it, so that no
/// file, however crafted, makes the reader use more than a stated amount of
/// memory or panic:
///
/// - at most [`MAX_PARTS`] parts, each declaring at most [`MAX_PART_BYTES`]
///   uncompressed and [`MAX_TOTAL_BYTES`] together (refused before inflating
///   anything);
/// - the same limits on the bytes each part actually inflates to, counted
///   while inflating, 16 KiB at a time, and stopped at the limit (a header
///   may lie);
/// - at most [`MAX_CELL_ELEMENTS`] cells, and no row or cell reference
///   beyond Excel's 1,048,576 rows and 16,384 columns (calamine counts rows
///   in a `u32` that overflows near `u32::MAX`), nor a `<dimension>` that
///   ends before it starts;
/// - a shared-string table declaring at most [`MAX_SHARED_STRINGS`] texts
///   (calamine reserves memory for as many as the file claims).
///
/// Every part is scanned, whatever calamine will read: a superset, so
/// nothing slips past. A file that is not a readable zip passes here and
/// fails in calamine, which reads the same bytes through the same `zip`.
fn check_parts(bytes: &[u8]) -> Result<(), Problem> {
    check_parts_within(bytes, Limits { part: MAX_PART_BYTES, total: MAX_TOTAL_BYTES, cells: MAX_CELL_ELEMENTS })
}

/// The limits [`check_parts`] applies (smaller ones in tests).
#[derive(Clone, Copy)]
struct Limits {
    part: u64,
    total: u64,
    cells: u64,
}

fn check_parts_within(bytes: &[u8], limits: Limits) -> Result<(), Problem> {
    use std::io::Read;
    let Limits { part: part_max, total: total_max, cells: cells_max } = limits;
    let fail = |zh: String, en: String| Err(Problem::whole(Text::new(zh, en)));
    let Ok(mut zip) = zip::ZipArchive::new(Cursor::new(bytes)) else { return Ok(()) };
    if zip.len() > MAX_PARTS {
        return fail(
            format!("无法读取该 Excel 工作簿：其中有 {} 个部件，超过上限 {MAX_PARTS} 个（文件已损坏或不是花名册）", zip.len()),
            format!("cannot read this Excel workbook: it holds {} parts, more than the limit of {MAX_PARTS} (the file is damaged, or not a roster)", zip.len()),
        );
    }
    let mib = |b: u64| b >> 20;
    let part_too_large = |name: &str| {
        fail(
            format!("无法读取该 Excel 工作簿：部件「{name}」解压后超过 {} MB 的上限（文件已损坏、被特意构造，或不是花名册）", mib(part_max)),
            format!("cannot read this Excel workbook: its part \"{name}\" inflates to more than the limit of {} MB (the file is damaged, crafted, or not a roster)", mib(part_max)),
        )
    };
    let total_too_large = || {
        fail(
            format!("无法读取该 Excel 工作簿：解压后总计超过 {} MB 的上限（文件已损坏、被特意构造，或不是花名册）", mib(total_max)),
            format!("cannot read this Excel workbook: its parts inflate to more than the limit of {} MB together (the file is damaged, crafted, or not a roster)", mib(total_max)),
        )
    };
    // What the headers declare: refused before inflating a byte.
    let mut declared = 0u64;
    for i in 0..zip.len() {
        let Ok(entry) = zip.by_index_raw(i) else { continue };
        if entry.size() > part_max {
            return part_too_large(entry.name());
        }
        declared = declared.saturating_add(entry.size());
        if declared > total_max {
            return total_too_large();
        }
    }
    // What the parts actually inflate to, counted as they inflate.
    let mut total = 0u64;
    let mut cells = 0u64;
    let mut buf = vec![0u8; 16 * 1024];
    for i in 0..zip.len() {
        let Ok(mut entry) = zip.by_index(i) else { continue };
        let name = entry.name().to_owned();
        // calamine finds the part by this name, ignoring case and slashes.
        let shared = name.replace('\\', "/").eq_ignore_ascii_case("xl/sharedStrings.xml");
        let mut count = CountScan::default();
        let mut tags = TagScan::default();
        let mut inflated = 0u64;
        loop {
            let n = match entry.read(&mut buf) {
                Ok(0) | Err(_) => break,
                Ok(n) => n,
            };
            inflated += n as u64;
            total += n as u64;
            if inflated > part_max {
                return part_too_large(&name);
            }
            if total > total_max {
                return total_too_large();
            }
            if shared && !buf[..n].iter().all(|b| count.push(*b)) {
                return shared_strings_too_many();
            }
            for b in &buf[..n] {
                if let Some(refused) = tags.push(*b) {
                    return Err(refused.problem(&name));
                }
            }
            cells += std::mem::take(&mut tags.cells);
            if cells > cells_max {
                return fail(
                    format!("无法读取该 Excel 工作簿：单元格超过 {cells_max} 个的上限；花名册每所学校每个学段一行"),
                    format!("cannot read this Excel workbook: it holds more than the limit of {cells_max} cells; a roster has one row per school and level"),
                );
            }
        }
        if shared && !count.finish() {
            return shared_strings_too_many();
        }
    }
    Ok(())
}

fn shared_strings_too_many() -> Result<(), Problem> {
    Err(Problem::whole(Text::new(
        format!("无法读取该 Excel 工作簿：共享字符串表声称有超过 {MAX_SHARED_STRINGS} 条文本（文件已损坏或不是花名册）"),
        format!("cannot read this Excel workbook: its shared-string table claims more than {MAX_SHARED_STRINGS} texts (the file is damaged, or not a roster)"),
    )))
}

/// Why [`TagScan`] refused a part.
#[derive(Debug, PartialEq)]
enum Refused {
    /// A row or cell reference beyond Excel's limits, as found.
    Beyond(String),
    /// A `<dimension>` whose end comes before its start, as found.
    Backwards(String),
    /// A `<c>`, `<row>` or `<dimension>` tag longer than [`TagScan::CAP`].
    LongTag,
}

impl Refused {
    fn problem(&self, part: &str) -> Problem {
        let text = match self {
            Refused::Beyond(r) => Text::new(
                format!("无法读取该 Excel 工作簿：部件「{part}」中的单元格位置「{r}」超出 Excel 的范围（最多 {EXCEL_ROWS} 行、{EXCEL_COLUMNS} 列）"),
                format!("cannot read this Excel workbook: the cell reference \"{r}\" in its part \"{part}\" is beyond Excel's limits ({EXCEL_ROWS} rows, {EXCEL_COLUMNS} columns)"),
            ),
            Refused::Backwards(r) => Text::new(
                format!("无法读取该 Excel 工作簿：部件「{part}」的区域「{r}」终点在起点之前（文件已损坏）"),
                format!("cannot read this Excel workbook: the range \"{r}\" in its part \"{part}\" ends before it starts (the file is damaged)"),
            ),
            Refused::LongTag => Text::new(
                format!("无法读取该 Excel 工作簿：部件「{part}」中有长度超过 {} 字节的单元格或行标记（文件已损坏）", TagScan::CAP),
                format!("cannot read this Excel workbook: a cell or row tag in its part \"{part}\" is longer than {} bytes (the file is damaged)", TagScan::CAP),
            ),
        };
        Problem::whole(text)
    }
}

/// Byte-at-a-time scan of XML for the tags calamine takes positions from:
/// `<row r="…">`, `<c r="…">` (any namespace prefix) and `<dimension
/// ref="…">`. Quoted attribute values may hold `>`, as in XML.
#[derive(Default)]
struct TagScan {
    /// Inside a tag: its bytes after `<`, up to [`Self::CAP`].
    tag: Option<Vec<u8>>,
    /// The quote that opened the attribute value being read, if any.
    quote: Option<u8>,
    /// The tag being read is longer than the cap.
    long: bool,
    /// `<c>` tags seen since the caller last took the count.
    cells: u64,
}

impl TagScan {
    /// Bytes of a tag kept; a `<c>` or `<row>` tag is a few dozen.
    const CAP: usize = 4096;

    fn push(&mut self, b: u8) -> Option<Refused> {
        let Some(tag) = &mut self.tag else {
            if b == b'<' {
                self.tag = Some(Vec::new());
                self.long = false;
            }
            return None;
        };
        match (self.quote, b) {
            (Some(q), _) if b == q => self.quote = None,
            (Some(_), _) => {}
            (None, b'"' | b'\'') => self.quote = Some(b),
            (None, b'>') => {
                let tag = self.tag.take().unwrap_or_default();
                return self.end_tag(&tag);
            }
            _ => {}
        }
        if tag.len() < Self::CAP {
            tag.push(b);
        } else {
            self.long = true;
        }
        None
    }

    fn end_tag(&mut self, tag: &[u8]) -> Option<Refused> {
        let end = tag.iter().position(|b| b.is_ascii_whitespace() || *b == b'/').unwrap_or(tag.len());
        let local = |name: &[u8]| -> Vec<u8> { name.rsplit(|b| *b == b':').next().unwrap_or(name).to_vec() };
        let name = local(&tag[..end]);
        let key: &[u8] = match name.as_slice() {
            b"c" => {
                self.cells += 1;
                b"r"
            }
            b"row" => b"r",
            b"dimension" => b"ref",
            _ => return None,
        };
        if self.long {
            return Some(Refused::LongTag);
        }
        for (k, v) in attributes(&tag[end..]) {
            if local(k) != key {
                continue;
            }
            let text = String::from_utf8_lossy(v).into_owned();
            let parts: Vec<_> = v.split(|b| *b == b':').map(position).collect();
            if parts.iter().any(|(r, c, _)| *r > EXCEL_ROWS || *c > EXCEL_COLUMNS) {
                return Some(Refused::Beyond(text));
            }
            if let [a @ (_, _, true), b @ (_, _, true)] = parts.as_slice() {
                if b.0 < a.0 || b.1 < a.1 {
                    return Some(Refused::Backwards(text));
                }
            }
        }
        None
    }
}

/// The `name="value"` pairs of a tag's attribute text, as far as they parse.
fn attributes(mut s: &[u8]) -> Vec<(&[u8], &[u8])> {
    let mut out = Vec::new();
    loop {
        s = s.trim_ascii_start();
        let Some(eq) = s.iter().position(|b| *b == b'=') else { return out };
        let name = s[..eq].trim_ascii();
        let rest = s[eq + 1..].trim_ascii_start();
        let Some((&q, rest)) = rest.split_first().filter(|(q, _)| **q == b'"' || **q == b'\'') else { return out };
        let Some(close) = rest.iter().position(|b| *b == q) else { return out };
        // A name is the last word before `=` (skips a stray `/`).
        let name = name.rsplit(|b| b.is_ascii_whitespace() || *b == b'/').next().unwrap_or(name);
        out.push((name, &rest[..close]));
        s = &rest[close + 1..];
    }
}

/// A reference such as `XFD1048576` (or a bare row number) as 1-based
/// (row, column), 0 for a part that is absent, and whether the whole text
/// is letters then digits. Saturating, so a huge value stays huge: calamine
/// multiplies the leading letters and then the digits in a `u32` before it
/// looks at what follows.
fn position(r: &[u8]) -> (u64, u64, bool) {
    let letters = r.iter().take_while(|b| b.is_ascii_alphabetic()).count();
    let digits = r[letters..].iter().take_while(|b| b.is_ascii_digit()).count();
    let num = |acc: u64, d: u64, base: u64| acc.saturating_mul(base).saturating_add(d);
    let col = r[..letters].iter().fold(0, |a, b| num(a, u64::from(b.to_ascii_uppercase() - b'A') + 1, 26));
    let row = r[letters..letters + digits].iter().fold(0, |a, b| num(a, u64::from(b - b'0'), 10));
    (row, col, digits > 0 && letters + digits == r.len())
}

/// Byte-at-a-time search for `uniqueCount` `=` quote digits.
#[derive(Default)]
struct CountScan {
    /// The last bytes seen, as long as the name.
    window: [u8; 11],
    state: ScanState,
}

#[derive(Default, PartialEq)]
enum ScanState {
    #[default]
    Name,
    /// After the name, before `=`.
    Equals,
    /// After `=`, before the quote.
    Quote,
    /// Inside the value: digits seen and their value (saturating).
    Digits(u32, u64),
}

impl CountScan {
    const NAME: [u8; 11] = *b"uniqueCount";

    /// Feeds one byte; false when a count too large has been read.
    fn push(&mut self, b: u8) -> bool {
        match self.state {
            ScanState::Name => {
                self.window.rotate_left(1);
                self.window[10] = b;
                if self.window == Self::NAME {
                    self.state = ScanState::Equals;
                }
            }
            ScanState::Equals if b.is_ascii_whitespace() => {}
            ScanState::Equals if b == b'=' => self.state = ScanState::Quote,
            ScanState::Quote if b.is_ascii_whitespace() => {}
            ScanState::Quote if b == b'"' || b == b'\'' => self.state = ScanState::Digits(0, 0),
            ScanState::Digits(n, v) if b.is_ascii_digit() => {
                self.state = ScanState::Digits(n + 1, v.saturating_mul(10).saturating_add(u64::from(b - b'0')));
            }
            ScanState::Digits(0, _) if b == b'+' => {}
            ScanState::Digits(..) => return self.finish() && self.restart(b),
            _ => return self.restart(b),
        }
        true
    }

    fn restart(&mut self, b: u8) -> bool {
        self.state = ScanState::Name;
        self.window = [0; 11];
        self.push(b)
    }

    /// False when the value just read is too large (leading zeros count:
    /// more than 7 digits is refused whatever they are).
    fn finish(&mut self) -> bool {
        match self.state {
            ScanState::Digits(n, v) => n <= 7 && v <= MAX_SHARED_STRINGS,
            _ => true,
        }
    }
}

/// A cell's value as the text the roster reader checks (module notes).
fn cell_text(v: &DataRef<'_>) -> String {
    match v {
        DataRef::Empty => String::new(),
        DataRef::String(s) | DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => s.clone(),
        DataRef::SharedString(s) => (*s).to_owned(),
        DataRef::Int(i) => i.to_string(),
        DataRef::Float(x) => fmt_num(excel_shown(*x)),
        DataRef::DateTime(d) => fmt_num(excel_shown(d.as_f64())),
        DataRef::Bool(b) => b.to_string(),
        DataRef::Error(e) => e.to_string(),
    }
}

/// `x` as Excel's General format shows it: rounded to 15 significant digits.
pub(crate) fn excel_shown(x: f64) -> f64 {
    if !x.is_finite() {
        return x;
    }
    // {:.14e} is one digit before the point and 14 after: 15 significant
    // digits, correctly rounded; + 0.0 turns -0 into 0.
    format!("{x:.14e}").parse::<f64>().map_or(x, |r| r + 0.0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::roster::csv_io::{parse_roster_csv, roster_to_csv, template_csv, RosterFile};
    use crate::roster::{Level, School};

    /// A one-sheet workbook from rows of cells (numbers where they parse,
    /// unless quoted with a leading ').
    fn book(rows: &[&[&str]]) -> Vec<u8> {
        let mut wb = workbook();
        let ws = wb.add_worksheet();
        for (r, row) in rows.iter().enumerate() {
            for (c, v) in row.iter().enumerate() {
                let (r, c) = (r as u32, c as u16);
                if let Some(text) = v.strip_prefix('\'') {
                    ws.write_string(r, c, text).unwrap();
                } else if let Ok(x) = v.parse::<f64>() {
                    ws.write_number(r, c, x).unwrap();
                } else if !v.is_empty() {
                    ws.write_string(r, c, *v).unwrap();
                }
            }
        }
        wb.save_to_buffer().unwrap()
    }

    const HEAD: &[&str] = &[
        "学校代码", "学校名称", "学段", "在校生数", "专任教师数", "高于规定学历教师数", "县级以上骨干教师数", "体育艺术专任教师数",
        "教学及辅助用房面积(平方米)", "体育运动场馆面积(平方米)", "教学仪器设备值(元)", "网络多媒体教室数", "对口初中",
    ];

    fn problems(bytes: &[u8], lang: Lang) -> Vec<Problem> {
        match parse_roster_xlsx(bytes, lang) {
            Ok(r) => panic!("expected problems, parsed {} schools", r.schools.len()),
            Err(p) => p,
        }
    }

    #[test]
    fn reads_numbers_text_and_chinese_headers() {
        let bytes = book(&[
            HEAD,
            &["'P001", "示例小学", "小学", "100", "8", "5", "1", "1", "500.5", "800", "100000", "3", "J1"],
            &["J1", "示例初中", "初中", "200", "20", "12", "2", "2", "1200", "2200", "600000", "6", ""],
        ]);
        let r = parse_roster_xlsx(&bytes, Lang::Zh).unwrap();
        assert_eq!(r.schools.len(), 2);
        let p = &r.schools[0];
        assert_eq!((p.school_id.as_str(), p.name.as_str(), p.level), ("P001", "示例小学", Level::Primary));
        assert_eq!((p.enrollment(), p.teachers, p.teaching_space_m2), (100.0, 8.0, 500.5));
        assert_eq!(p.feeds, vec!["J1".to_owned()]);
        assert_eq!(r.schools[1].students[5..], [50.0; 4]);
    }

    #[test]
    fn whole_numbers_stored_as_floats_and_formula_noise_are_whole() {
        // 12.0 and 7.000000000000001 (=100*0.07) in whole-number columns.
        let noise = 100.0 * 0.07;
        assert_ne!(noise, 7.0);
        let mut wb = workbook();
        let ws = wb.add_worksheet();
        for (c, h) in HEAD.iter().enumerate() {
            ws.write_string(0, c as u16, *h).unwrap();
        }
        let row: [f64; 9] = [100.0, 12.0, noise, 1.0, 1.0, 500.0, 800.0, 0.1 + 0.2, 3.0];
        ws.write_string(1, 0, "P1").unwrap();
        ws.write_string(1, 2, "小学").unwrap();
        for (i, x) in row.iter().enumerate() {
            ws.write_number(1, 3 + i as u16, *x).unwrap();
        }
        let r = parse_roster_xlsx(&wb.save_to_buffer().unwrap(), Lang::En).unwrap();
        let s = &r.schools[0];
        assert_eq!((s.teachers, s.qualified_teachers, s.equipment_yuan), (12.0, 7.0, 0.3));
        // A true fraction is still refused, naming the row, the header and the value.
        let bytes = book(&[HEAD, &["P1", "", "小学", "100", "12.5", "5", "1", "1", "500", "800", "1", "3", ""]]);
        let p = problems(&bytes, Lang::En);
        assert_eq!(p.len(), 1, "{p:?}");
        assert_eq!((p[0].place.row(), p[0].place.column()), (Some(2), Some("专任教师数")));
        assert_eq!(p[0].describe(Lang::En), "must be a whole number ≥ 0, got \"12.5\"");
        let p = problems(&bytes, Lang::Zh);
        assert_eq!(p[0].text(Lang::Zh), "第 2 行，列「专任教师数」：应为不小于 0 的整数，实际为「12.5」");
    }

    #[test]
    fn excel_shown_keeps_15_significant_digits() {
        assert_eq!(excel_shown(7.000000000000001), 7.0);
        assert_eq!(excel_shown(0.1 + 0.2), 0.3);
        assert_eq!(excel_shown(12.0), 12.0);
        assert_eq!(excel_shown(1234567.89), 1234567.89);
        assert_eq!(excel_shown(123456789012345.0), 123456789012345.0);
        assert_eq!(excel_shown(1234567890123456.0), 1234567890123460.0);
        assert_eq!(excel_shown(-0.0).to_bits(), 0.0f64.to_bits());
        assert_eq!(fmt_num(excel_shown(1e-7)), "0.0000001");
    }

    #[test]
    fn rows_keep_their_sheet_numbers_and_blank_rows_are_ignored() {
        // Header on row 1, a blank row 3, data on rows 2 and 4, then formatted but empty rows.
        let mut wb = workbook();
        let ws = wb.add_worksheet();
        for (c, h) in HEAD.iter().enumerate() {
            ws.write_string(0, c as u16, *h).unwrap();
        }
        let good = ["P1", "A", "小学", "100", "8", "5", "1", "1", "500", "800", "1000", "3", ""];
        let bad = ["P2", "B", "高中", "100", "8", "5", "1", "1", "500", "800", "1000", "3", ""];
        for (r, row) in [(1u32, good), (3, bad)] {
            for (c, v) in row.iter().enumerate() {
                ws.write_string(r, c as u16, *v).unwrap();
            }
        }
        let fmt = Format::new().set_bold();
        for r in 4..40 {
            ws.write_blank(r, 0, &fmt).unwrap();
            ws.write_string(r, 1, "  ").unwrap();
        }
        let p = problems(&wb.save_to_buffer().unwrap(), Lang::En);
        assert_eq!(p.len(), 1, "{p:?}");
        assert_eq!((p[0].place.row(), p[0].place.column()), (Some(4), Some("学段")));
        assert!(p[0].describe(Lang::En).contains("primary (小学), junior (初中)"), "{}", p[0]);
    }

    #[test]
    fn excel_error_values_are_named() {
        let bytes = book(&[HEAD, &["P1", "A", "小学", "#N/A", "8", "5", "1", "1", "500", "#DIV/0!", "1000", "3", ""]]);
        let p = problems(&bytes, Lang::En);
        let got: Vec<_> = p.iter().map(|p| (p.place.row(), p.place.column())).collect();
        assert_eq!(got, vec![(Some(2), Some("在校生数")), (Some(2), Some("体育运动场馆面积(平方米)"))], "{p:?}");
        assert!(p[0].describe(Lang::En).contains("#N/A") && p[0].describe(Lang::En).contains("formula"), "{}", p[0]);
        // The same text in a CSV file (as Excel saves it) gives the same problems.
        let csv = format!("{}\nP1,A,小学,#N/A,8,5,1,1,500,#DIV/0!,1000,3,\n", HEAD.join(","));
        assert_eq!(parse_roster_csv(&csv, Lang::En), Err(p));
    }

    #[test]
    fn files_that_are_not_workbooks_give_one_clear_problem() {
        let csv = template_csv().into_bytes();
        let mut zip_garbage = ZIP_MAGIC.to_vec();
        zip_garbage.extend([7u8; 100]);
        let mut ole = OLE_MAGIC.to_vec();
        ole.extend([0u8; 512]);
        let template = template_xlsx();
        let truncated = template[..template.len() / 2].to_vec();
        for (bytes, needle) in [
            (Vec::new(), "empty"),
            (csv, "CSV"),
            (vec![0u8, 159, 146, 150, 255], "not a valid Excel workbook"),
            (zip_garbage, "cannot read this Excel workbook"),
            (truncated, "cannot read this Excel workbook"),
            (ole, ".xls"),
        ] {
            let p = problems(&bytes, Lang::En);
            assert_eq!(p.len(), 1, "{p:?}");
            assert_eq!((p[0].place.row(), p[0].place.column()), (None, None));
            assert!(p[0].describe(Lang::En).contains(needle), "{needle}: {}", p[0]);
            let zh = problems(&bytes, Lang::Zh);
            assert!(zh[0].describe(Lang::Zh).chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)), "{}", zh[0]);
        }
    }

    #[test]
    fn template_xlsx_reads_back_as_the_template() {
        let bytes = template_xlsx();
        let from_xlsx = parse_roster_xlsx(&bytes, Lang::Zh).unwrap();
        assert_eq!(from_xlsx, template_roster());
        assert_eq!(Ok(from_xlsx), parse_roster_csv(&template_csv(), Lang::Zh));
        // Same bytes every time: no clock in the file.
        assert_eq!(bytes, template_xlsx());
        // The help sheet lists every column with English help.
        let mut book: Xlsx<_> = Xlsx::new(Cursor::new(bytes.as_slice())).unwrap();
        assert_eq!(book.sheet_names(), vec!["花名册".to_owned(), "填写说明".to_owned()]);
        let help = book.worksheet_range("填写说明").unwrap();
        for (i, (key, zh, _)) in template_columns().iter().enumerate() {
            let row = i as u32 + 1;
            assert_eq!(help.get_value((row, 0)).map(|v| v.to_string()), Some(zh.to_string()));
            assert_eq!(help.get_value((row, 1)).map(|v| v.to_string()), Some(key.to_string()));
            assert!(!help_en(key).is_empty(), "{key} has no English help");
        }
    }

    #[test]
    fn roster_to_xlsx_round_trips_and_from_upload_picks_the_format() {
        let roster = template_roster();
        let bytes = roster_to_xlsx(&roster).unwrap();
        assert_eq!(parse_roster_xlsx(&bytes, Lang::En), Ok(roster.clone()));
        for name in ["roster.xlsx", "ROSTER.XLSX", "roster.csv", "roster"] {
            let f = RosterFile::from_upload(name, bytes.clone());
            assert!(matches!(f, RosterFile::Xlsx(_)), "{name}");
            assert_eq!(f.parse(Lang::En, ParseMode::Strict).into_result(), Ok(roster.clone()));
        }
        let csv = roster_to_csv(&roster).into_bytes();
        assert!(matches!(RosterFile::from_upload("r.csv", csv.clone()), RosterFile::CsvBytes(_)));
        // A CSV named .xlsx is read as a workbook, and says what it is.
        let p = RosterFile::from_upload("r.xlsx", csv).parse(Lang::En, ParseMode::Strict).problems;
        assert!(p.len() == 1 && p[0].describe(Lang::En).contains("CSV"), "{p:?}");
    }

    #[test]
    fn a_name_too_long_for_a_cell_is_an_error_not_a_panic() {
        let mut s = School::blank("P1", &"长".repeat(40_000), Level::Primary);
        s.students[0] = 1.0;
        assert!(roster_to_xlsx(&Roster { schools: vec![s] }).is_err());
    }

    /// The template with its part `name` (a path inside the zip) edited by `edit`.
    fn with_part(name: &str, edit: impl Fn(&str) -> String) -> Vec<u8> {
        use std::io::{Read, Write};
        let mut z = zip::ZipArchive::new(Cursor::new(template_xlsx())).unwrap();
        let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
        for i in 0..z.len() {
            let mut f = z.by_index(i).unwrap();
            let mut body = Vec::new();
            f.read_to_end(&mut body).unwrap();
            if f.name() == name {
                body = edit(std::str::from_utf8(&body).unwrap()).into_bytes();
            }
            w.start_file(f.name(), zip::write::SimpleFileOptions::default()).unwrap();
            w.write_all(&body).unwrap();
        }
        w.finish().unwrap().into_inner()
    }

    /// The template with its shared-string part edited by `edit`.
    fn with_shared_strings(edit: impl Fn(&str) -> String) -> Vec<u8> {
        with_part("xl/sharedStrings.xml", edit)
    }

    #[test]
    fn a_forged_shared_string_count_is_refused_before_calamine_reserves_it() {
        // Without the check this few-KB file aborts the process.
        let forged = with_shared_strings(|x| x.replacen("uniqueCount=\"", "uniqueCount=\"99999999", 1));
        let p = problems(&forged, Lang::En);
        assert_eq!(p.len(), 1);
        assert!(p[0].describe(Lang::En).contains("shared-string table"), "{}", p[0]);
        // Spacing, single quotes, a plus sign and leading zeros do not hide it.
        let sneaky = with_shared_strings(|x| x.replacen("uniqueCount=\"", "uniqueCount = '+00000000", 1));
        assert!(problems(&sneaky, Lang::En)[0].describe(Lang::En).contains("shared-string table"));
        // The template itself, and an honest count, pass.
        assert!(parse_roster_xlsx(&with_shared_strings(str::to_owned), Lang::En).is_ok());
        let scan = |s: &str| {
            let mut c = CountScan::default();
            s.bytes().all(|b| c.push(b)) && c.finish()
        };
        assert!(scan(r#"<sst count="5" uniqueCount="2000000">"#));
        assert!(!scan(r#"<sst count="5" uniqueCount="2000001">"#));
        assert!(!scan(r#"<x:sst uniqueCount = '00000001'>"#));
        assert!(!scan(r#"uniquniqueCount="99999999""#));
        assert!(!scan(r#"<sst uniqueCount="99999999"#), "a value cut short by the end of the part");
        assert!(scan(r#"<si><t>uniqueCount is a word</t></si>"#));
    }

    #[test]
    fn far_away_cells_are_named_and_a_sheet_too_large_is_refused() {
        let mut wb = workbook();
        let ws = wb.add_worksheet();
        for (c, h) in HEAD.iter().enumerate() {
            ws.write_string(0, c as u16, *h).unwrap();
        }
        for (c, v) in ["P1", "A", "小学", "100", "8", "5", "1", "1", "500", "800", "1000", "3", ""].iter().enumerate() {
            ws.write_string(1, c as u16, *v).unwrap();
        }
        ws.write_string(1, 16_383, "stray").unwrap();
        let p = problems(&wb.save_to_buffer().unwrap(), Lang::En);
        assert_eq!(p.len(), 1, "{p:?}");
        assert_eq!(p[0].describe(Lang::En), "the row has data in column XFD, more than the 13 header columns");
        // 130 rows reaching the last column lay out over MAX_GRID cells.
        let ws = wb.worksheet_from_index(0).unwrap();
        for r in 2..132 {
            ws.write_string(r, 16_383, "x").unwrap();
        }
        let p = problems(&wb.save_to_buffer().unwrap(), Lang::En);
        assert!(p.len() == 1 && p[0].describe(Lang::En).contains("too large"), "{p:?}");
    }

    /// A zip of `(name, body)` parts, deflated.
    fn zip_of(parts: &[(&str, Vec<u8>)]) -> Vec<u8> {
        use std::io::Write;
        let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let options = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
        for (name, body) in parts {
            w.start_file(*name, options).unwrap();
            w.write_all(body).unwrap();
        }
        w.finish().unwrap().into_inner()
    }

    /// `zip` with the uncompressed size of every part, in the local headers
    /// and the central directory, replaced by `size`.
    fn declaring(mut zip: Vec<u8>, size: u32) -> Vec<u8> {
        let mut i = 0;
        while i + 30 <= zip.len() {
            let at = match &zip[i..i + 4] {
                b"PK\x03\x04" => Some(i + 22),
                b"PK\x01\x02" => Some(i + 24),
                _ => None,
            };
            if let Some(at) = at {
                zip[at..at + 4].copy_from_slice(&size.to_le_bytes());
            }
            i += 1;
        }
        zip
    }

    const SMALL: Limits = Limits { part: 1000, total: 1500, cells: 20 };

    #[test]
    fn a_part_that_inflates_past_the_limit_is_stopped_while_inflating() {
        // Declares 10 bytes, inflates to 100 KB: the count stops it at the limit.
        let liar = declaring(zip_of(&[("xl/worksheets/sheet1.xml", vec![b'A'; 100_000])]), 10);
        let p = check_parts_within(&liar, SMALL).unwrap_err();
        assert!(p.describe(Lang::En).contains("\"xl/worksheets/sheet1.xml\" inflates to more than the limit of"), "{p}");
        assert!(p.describe(Lang::Zh).contains("xl/worksheets/sheet1.xml"), "{p}");
        // Parts each under the limit that together pass the total.
        let many = zip_of(&[("a.xml", vec![b'A'; 900]), ("b.xml", vec![b'A'; 900])]);
        let p = check_parts_within(&declaring(many, 1), SMALL).unwrap_err();
        assert!(p.describe(Lang::En).contains("together"), "{p}");
        // With the real limits: 70 MB of one text cell, declared as 10 bytes.
        let text = format!("<sheetData><row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>{}</t></is></c></row></sheetData>", "A".repeat(70 << 20));
        let bomb = declaring(zip_of(&[("xl/worksheets/sheet1.xml", text.into_bytes())]), 10);
        assert!(bomb.len() < 1 << 20, "{} bytes", bomb.len());
        let p = problems(&bomb, Lang::En);
        assert!(p.len() == 1 && p[0].describe(Lang::En).contains("more than the limit of 64 MB"), "{p:?}");
    }

    #[test]
    fn a_declared_size_over_the_limit_is_refused_before_inflating() {
        let huge = declaring(zip_of(&[("xl/worksheets/sheet1.xml", b"<x/>".to_vec())]), u32::MAX);
        let p = problems(&huge, Lang::En);
        assert!(p.len() == 1 && p[0].describe(Lang::En).contains("inflates to more than the limit of 64 MB"), "{p:?}");
        let p = problems(&huge, Lang::Zh);
        assert!(p[0].describe(Lang::Zh).contains("64 MB 的上限"), "{p:?}");
    }

    #[test]
    fn too_many_cells_are_refused_while_inflating() {
        let sheet = format!("<sheetData><row>{}</row></sheetData>", "<c><v>1</v></c>".repeat(21));
        let p = check_parts_within(&zip_of(&[("s.xml", sheet.into_bytes())]), SMALL).unwrap_err();
        assert!(p.describe(Lang::En).contains("more than the limit of 20 cells"), "{p}");
        let sheet = format!("<sheetData><row>{}</row></sheetData>", "<c/><col/><cfRule/>".repeat(20));
        assert_eq!(check_parts_within(&zip_of(&[("s.xml", sheet.into_bytes())]), SMALL), Ok(()));
    }

    #[test]
    fn references_beyond_excels_limits_are_refused() {
        let scan = |xml: &str| {
            let mut t = TagScan::default();
            xml.bytes().find_map(|b| t.push(b))
        };
        for ok in [
            r#"<row r="1048576" spans="1:3"><c r="XFD1048576" s="1"><v>1</v></c></row>"#,
            r#"<x:c x:r="A1"/><dimension ref="A1:M20"/><dimension ref="A1"/><c r="bad"/>"#,
            r#"<c t="s" a=">" r="B2"><v>r="ZZZZ1"</v></c>"#,
        ] {
            assert_eq!(scan(ok), None, "{ok}");
        }
        for (bad, found) in [
            (r#"<row r="4294967295">"#, Refused::Beyond("4294967295".into())),
            (r#"<row r="1048577">"#, Refused::Beyond("1048577".into())),
            (r#"<x:row spans="1:2" r='99999999999999999999'>"#, Refused::Beyond("99999999999999999999".into())),
            (r#"<c r="XFE1">"#, Refused::Beyond("XFE1".into())),
            (r#"<c r="ZZZZZZZ99999999999"/>"#, Refused::Beyond("ZZZZZZZ99999999999".into())),
            (r#"<c r="ZZZZZZZZZZZZZZ"/>"#, Refused::Beyond("ZZZZZZZZZZZZZZ".into())),
            (r#"<dimension ref="A1:XFD2000000"/>"#, Refused::Beyond("A1:XFD2000000".into())),
            (r#"<dimension ref="B2:A1"/>"#, Refused::Backwards("B2:A1".into())),
        ] {
            assert_eq!(scan(bad), Some(found), "{bad}");
        }
        let long = format!("<c {}r=\"A1\">", " ".repeat(5000));
        assert_eq!(scan(&long), Some(Refused::LongTag));
        // In a workbook: the message names the part and Excel's limits.
        let bytes = with_sheet(|x| x.replacen("<row r=\"2\"", "<row r=\"4294967295\"", 1));
        let p = problems(&bytes, Lang::En);
        assert_eq!(p.len(), 1, "{p:?}");
        assert_eq!(
            p[0].describe(Lang::En),
            "cannot read this Excel workbook: the cell reference \"4294967295\" in its part \"xl/worksheets/sheet1.xml\" is beyond Excel's limits (1048576 rows, 16384 columns)"
        );
    }

    /// The template with its first sheet edited by `edit`, which must change
    /// it (so a test cannot pass on an edit that missed its target).
    fn with_sheet(edit: impl Fn(&str) -> String) -> Vec<u8> {
        with_part("xl/worksheets/sheet1.xml", |xml| {
            let edited = edit(xml);
            assert_ne!(edited, xml, "the edit left the sheet unchanged");
            edited
        })
    }

    #[test]
    fn the_first_visible_worksheet_is_read() {
        let mut wb = workbook();
        let hidden = wb.add_worksheet();
        hidden.write_string(0, 0, "lookup").unwrap();
        hidden.set_hidden(true);
        let ws = wb.add_worksheet();
        for (c, h) in HEAD.iter().enumerate() {
            ws.write_string(0, c as u16, *h).unwrap();
        }
        for (c, v) in ["P1", "A", "小学", "100", "8", "5", "1", "1", "500", "800", "1000", "3", ""].iter().enumerate() {
            ws.write_string(1, c as u16, *v).unwrap();
        }
        ws.set_active(true);
        let r = parse_roster_xlsx(&wb.save_to_buffer().unwrap(), Lang::En).unwrap();
        assert_eq!(r.schools[0].school_id, "P1");
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod props {
    use std::io::{Read, Write};
    use std::sync::OnceLock;

    use proptest::prelude::*;

    /// `cases` cases, with failures saved under `tests/data/` (the top level
    /// of the repository holds only the listed folders), so a found case is
    /// re-run by every later `cargo test`.
    fn config(cases: u32) -> ProptestConfig {
        let saved = proptest::test_runner::FileFailurePersistence::Direct("tests/data/proptest-regressions/roster-xlsx.txt");
        ProptestConfig { cases, failure_persistence: Some(Box::new(saved)), ..ProptestConfig::default() }
    }

    use super::*;
    use crate::roster::csv_io::props::{roster, CELLS};
    use crate::roster::csv_io::{parse_roster_csv, template_columns, RosterFile};
    use crate::roster::School;

    /// A header naming at least one column, and data rows with at least one
    /// filled cell (a CSV reader skips an empty line, a sheet keeps its row).
    fn grid() -> impl Strategy<Value = Vec<Vec<String>>> {
        let columns = template_columns();
        let name = prop_oneof![
            (0..columns.len()).prop_map(move |i| columns[i].0.to_owned()),
            (0..columns.len()).prop_map(move |i| columns[i].1.to_owned()),
            Just(String::new()),
            "[a-z_]{1,6}",
        ];
        let header = prop::collection::vec(name, 1..14).prop_filter("a named column", |h| h.iter().any(|c| !c.is_empty()));
        let cell = prop::sample::select(CELLS).prop_map(str::to_owned);
        let row = prop::collection::vec(cell, 1..16).prop_filter("a filled cell", |r| r.iter().any(|c| !c.is_empty()));
        (header, prop::collection::vec(row, 0..6)).prop_map(|(h, rows)| std::iter::once(h).chain(rows).collect())
    }

    fn as_csv(grid: &[Vec<String>]) -> String {
        let mut w = csv::WriterBuilder::new().flexible(true).from_writer(Vec::new());
        for r in grid {
            w.write_record(r).unwrap();
        }
        String::from_utf8(w.into_inner().unwrap()).unwrap()
    }

    /// The grid as a workbook; with `numbers`, cells that are finite numbers
    /// are written as numbers, as Excel stores typed numbers.
    fn as_xlsx(grid: &[Vec<String>], numbers: bool) -> Vec<u8> {
        let mut wb = workbook();
        let ws = wb.add_worksheet();
        for (r, row) in grid.iter().enumerate() {
            for (c, v) in row.iter().enumerate() {
                let (r, c) = (r as u32, c as u16);
                match v.parse::<f64>().ok().filter(|x| numbers && x.is_finite()) {
                    Some(x) => ws.write_number(r, c, x).map(|_| ()).unwrap(),
                    None if v.is_empty() => {}
                    None => ws.write_string(r, c, v).map(|_| ()).unwrap(),
                }
            }
        }
        wb.save_to_buffer().unwrap()
    }

    /// The template's zip entries, (name, contents), to mutate.
    fn template_entries() -> &'static [(String, Vec<u8>)] {
        static ENTRIES: OnceLock<Vec<(String, Vec<u8>)>> = OnceLock::new();
        ENTRIES.get_or_init(|| {
            let mut z = zip::ZipArchive::new(Cursor::new(template_xlsx())).unwrap();
            (0..z.len())
                .map(|i| {
                    let mut f = z.by_index(i).unwrap();
                    let mut body = Vec::new();
                    f.read_to_end(&mut body).unwrap();
                    (f.name().to_owned(), body)
                })
                .collect()
        })
    }

    /// Hostile fragments of SpreadsheetML.
    const SNIPPETS: &[&str] = &[
        r#"<c r="A1" t="s"><v>99999</v></c>"#,
        r#"<c r="XFD1048576"><v>1</v></c>"#,
        r#"<c r="ZZZZZZZ99999999999"><v>1</v></c>"#,
        r#"<row r="0">"#,
        r#"<row r="4294967295"><c><v>1</v></c></row>"#,
        r#"<c t="e"><v>#WHAT</v></c>"#,
        r#"<c t="b"><v>2</v></c>"#,
        r#"<c t="n"><v>1e999</v></c>"#,
        r#"<c t="d"><v>not a date</v></c>"#,
        r#"<c t="s"><v>-1</v></c>"#,
        r#"<c s="99999"><v>45000</v></c>"#,
        r#"<c t="inlineStr"><is><t>x</t></is></c>"#,
        r#"<sheet name="x" sheetId="9" r:id="rId99"/>"#,
        r#"<dimension ref="A1:XFD1048576"/>"#,
        r#"<sst uniqueCount="99999999999999">"#,
        r#"<numFmt numFmtId="999" formatCode="yyyy-mm-dd"/>"#,
        r#"<xf numFmtId="14"/>"#,
        "&#0;",
        "&bogus;",
        "<![CDATA[x]]>",
        "<si><t>x</t></si>",
        "</sheetData>",
        "<",
        "\"",
    ];

    #[derive(Debug, Clone)]
    enum Mutation {
        Truncate(prop::sample::Index),
        Insert(prop::sample::Index, &'static str),
        Overwrite(prop::sample::Index, Vec<u8>),
        Remove,
    }

    fn mutated_workbook() -> impl Strategy<Value = Vec<u8>> {
        let mutation = prop_oneof![
            any::<prop::sample::Index>().prop_map(Mutation::Truncate),
            (any::<prop::sample::Index>(), prop::sample::select(SNIPPETS)).prop_map(|(i, s)| Mutation::Insert(i, s)),
            (any::<prop::sample::Index>(), prop::collection::vec(any::<u8>(), 1..16)).prop_map(|(i, b)| Mutation::Overwrite(i, b)),
            Just(Mutation::Remove),
        ];
        let edits = prop::collection::vec((any::<prop::sample::Index>(), mutation), 1..4);
        // Damage to the zip container itself: headers, sizes, the directory.
        let flips = prop::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 0..3);
        (edits, any::<bool>(), flips).prop_map(|(edits, deflate, flips)| {
            let mut entries = template_entries().to_vec();
            for (which, m) in edits {
                if entries.is_empty() {
                    break;
                }
                let e = which.index(entries.len());
                let body = &mut entries[e].1;
                let at = |i: &prop::sample::Index, body: &Vec<u8>| i.index(body.len() + 1);
                match m {
                    Mutation::Truncate(i) => body.truncate(at(&i, body)),
                    Mutation::Insert(i, s) => {
                        let p = at(&i, body);
                        body.splice(p..p, s.bytes());
                    }
                    Mutation::Overwrite(i, b) => {
                        let p = at(&i, body);
                        let end = (p + b.len()).min(body.len());
                        body.splice(p..end, b);
                    }
                    Mutation::Remove => {
                        entries.remove(e);
                    }
                }
            }
            let method = if deflate { zip::CompressionMethod::Deflated } else { zip::CompressionMethod::Stored };
            let options = zip::write::SimpleFileOptions::default().compression_method(method);
            let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
            for (name, body) in entries {
                w.start_file(name, options).unwrap();
                w.write_all(&body).unwrap();
            }
            let mut bytes = w.finish().unwrap().into_inner();
            for (i, b) in flips {
                let i = i.index(bytes.len());
                bytes[i] = b;
            }
            bytes
        })
    }

    /// A valid roster as `parse_roster_xlsx` returns it: numbers as Excel shows them.
    fn as_excel_shows(mut roster: Roster) -> Roster {
        let round = |s: &mut School| {
            for x in [&mut s.teaching_space_m2, &mut s.sports_space_m2, &mut s.equipment_yuan] {
                *x = excel_shown(*x);
            }
        };
        roster.schools.iter_mut().for_each(round);
        roster
    }

    proptest! {
        #![proptest_config(config(1000))]

        /// One reader: a grid of cells gives the same roster or the same
        /// problems (rows, columns, messages) from CSV and from XLSX, in
        /// both modes, with numbers stored as text or as numbers.
        #[test]
        fn xlsx_and_csv_read_a_grid_alike(g in grid(), numbers in any::<bool>(), lenient in any::<bool>(), en in any::<bool>()) {
            let mode = if lenient { ParseMode::DropBadRows } else { ParseMode::Strict };
            let lang = if en { Lang::En } else { Lang::Zh };
            let from_csv = RosterFile::Csv(as_csv(&g)).parse(lang, mode);
            let from_xlsx = RosterFile::Xlsx(as_xlsx(&g, numbers)).parse(lang, mode);
            // The mapping alike too, but for what only one format has (an
            // encoding, a sheet).
            let (c, x) = (&from_csv.mapping, &from_xlsx.mapping);
            prop_assert_eq!((&x.header_rows, &x.columns, &x.skipped_rows), (&c.header_rows, &c.columns, &c.skipped_rows));
            prop_assert_eq!(x.sheets.len(), 1);
            prop_assert_eq!((from_xlsx.roster, from_xlsx.problems, from_xlsx.dropped_rows), (from_csv.roster, from_csv.problems, from_csv.dropped_rows));
        }

        #[test]
        fn roster_to_xlsx_round_trips(roster in roster()) {
            let bytes = roster_to_xlsx(&roster).unwrap();
            prop_assert_eq!(parse_roster_xlsx(&bytes, Lang::En), Ok(as_excel_shows(roster.clone())));
            // The same roster through CSV is exact.
            prop_assert_eq!(parse_roster_csv(&crate::roster::csv_io::roster_to_csv(&roster), Lang::En), Ok(roster));
        }

        #[test]
        fn never_panics_on_mutated_workbooks(bytes in mutated_workbook(), lenient in any::<bool>()) {
            let mode = if lenient { ParseMode::DropBadRows } else { ParseMode::Strict };
            let r = RosterFile::Xlsx(bytes).parse(Lang::Zh, mode);
            prop_assert!(!r.problems.is_empty() || !r.roster.schools.is_empty());
        }
    }

    proptest! {
        #![proptest_config(config(2000))]

        #[test]
        fn never_panics_on_arbitrary_bytes(b in prop::collection::vec(any::<u8>(), 0..600), head in 0u8..3) {
            // Random bytes, and random bytes behind a zip or OLE signature.
            let mut bytes = match head {
                0 => Vec::new(),
                1 => ZIP_MAGIC.to_vec(),
                _ => OLE_MAGIC.to_vec(),
            };
            bytes.extend(b);
            let p = parse_roster_xlsx(&bytes, Lang::En).unwrap_err();
            prop_assert_eq!(p.len(), 1);
        }
    }
}
