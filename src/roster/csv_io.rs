//! Roster import (CSV, and XLSX through [`super::xlsx`]) and CSV export.
//!
//! Planners keep their rosters in spreadsheets, so the loader accepts either
//! the English keys or the Chinese headers of [`template_columns`] (mixing is
//! allowed) and reports every problem in the file at once, with the row
//! number a spreadsheet shows (the header is row 1). Both formats become a
//! grid of text cells first, and one reader checks it, so a rule holds
//! for CSV and XLSX alike. [`ParseMode`] says whether a file with problems
//! imports nothing (the default) or its good rows. The loader never panics
//! and never touches the file system, so it runs in the browser too.
//!
//! Spreadsheet safety: [`write_csv`], the one CSV writer of the project,
//! puts an apostrophe before a text cell that starts with `=`, `+`, `-`,
//! `@`, a tab or a carriage return ([`guard_formula`]), so a spreadsheet
//! never evaluates a school name; the CSV reader takes exactly that one
//! apostrophe off again ([`unguard_formula`]), so an exported roster
//! re-imports to the same names, a name that really starts with `'=`
//! included.

use std::collections::{BTreeMap, BTreeSet};

use super::layout::{self, How, Mapping, MappedColumn, Note, SkippedRow};
use super::{Area, Level, Location, LocationKind, NewQuality, ProjectStatus, Roster, School, GRADES};
use crate::message::{Error, ErrorKind, Place, Problem, Text};

pub use crate::i18n::Lang;

/// A problem at a spreadsheet row (the header is row 1, the first data row
/// is row 2) and column (its header as written in the file, or its key when
/// the column is missing); either may be unknown.
pub(super) fn at(row: Option<usize>, column: Option<String>, message: Text) -> Problem {
    Problem::new(Place::Cell { row, column }, message)
}

/// The error for a roster file with `problems` ([`ErrorKind::RosterRows`]),
/// for callers that stop at the first bad file.
pub fn roster_error(problems: Vec<Problem>) -> Error {
    let n = problems.len();
    Error::with_problems(
        ErrorKind::RosterRows,
        Text::new(format!("花名册有 {n} 处问题，请修改后重试"), format!("the roster has {n} problem(s) to fix")),
        problems,
    )
}

/// The single source of truth for the columns: (English key, Chinese header,
/// description). Parsing, export and the template all read this table.
const COLUMNS: &[(&str, &str, &str)] = &[
    ("school_id", "学校代码", "必填。九年一贯制学校的小学部与初中部各占一行，学校代码相同。"),
    ("name", "学校名称", "留空时用学校代码。"),
    ("level", "学段", "必填。小学 (primary，1–5 年级) 或 初中 (junior，6–9 年级)。"),
    ("area", "城乡", "城区/城镇 (urban) 或 农村/乡村 (rural)；留空为城区。"),
    ("district_group", "学区/集团", "所属学区或集团；可留空。"),
    ("students", "在校生数", "本学段在校生总数，按年级平均分配；也可改填各年级学生数（二者都填时须一致）。"),
    ("students_g1", "一年级学生数", "小学各年级学生数，不小于 0 的整数。"),
    ("students_g2", "二年级学生数", "同上。"),
    ("students_g3", "三年级学生数", "同上。"),
    ("students_g4", "四年级学生数", "同上。"),
    ("students_g5", "五年级学生数", "同上。"),
    ("students_g6", "六年级学生数", "初中各年级学生数（上海五四学制：6–9 年级为初中）。"),
    ("students_g7", "七年级学生数", "同上。"),
    ("students_g8", "八年级学生数", "同上。"),
    ("students_g9", "九年级学生数", "同上。"),
    ("classes", "班级数", "教学班数；留空或 0 表示按班额上限推算。"),
    ("teachers", "专任教师数", "留空或 0 表示未知；填写时下列各类教师数不得超过它。"),
    ("qualified_teachers", "高于规定学历教师数", "必填。"),
    ("backbone_teachers", "县级以上骨干教师数", "必填。"),
    ("pe_art_teachers", "体育艺术专任教师数", "必填。体育、音乐、美术专任教师。"),
    ("senior_teachers", "高级职称教师数", "可留空。"),
    ("science_teachers", "科学教师数", "可留空。专(兼)职科学教师数；全表为 0 时导出省略此列。"),
    ("teaching_space_m2", "教学及辅助用房面积(平方米)", "必填，不小于 0 的数。"),
    ("sports_space_m2", "体育运动场馆面积(平方米)", "必填，不小于 0 的数。"),
    ("equipment_yuan", "教学仪器设备值(元)", "必填，不小于 0 的数。"),
    ("multimedia_rooms", "网络多媒体教室数", "必填。"),
    ("capacity", "学位数", "留空或 0 表示未知。"),
    ("new_quality", "新优质学校", "无 (none)、区级 (district) 或 市级 (municipal)；留空为无。"),
    ("new_quality_since", "新优质认定年份", "1949–2100 的年份；可留空。"),
    ("strong_school", "强校工程实验校", "是/否 (true/false，1/0)；留空为否。"),
    ("paired_with", "结对学校", "结对学校的学校代码，须在本表中；可留空。"),
    ("project_status", "创新项目状态", "无 (none)、在研 (active) 或 已结题 (completed)；留空为无。"),
    ("project_start", "创新项目立项年份", "1949–2100 的年份；可留空。"),
    ("feeds", "对口初中", "小学填写：对口初中的学校代码，多个用分号 ; 分隔，须为本表中的初中行。"),
    ("longitude", "经度", "可留空。地图用：东经度数（-180 至 180），与纬度同填或同空。"),
    ("latitude", "纬度", "可留空。地图用：北纬度数（-90 至 90），与经度同填或同空。"),
    ("x", "X坐标", "可留空。地图用：本区坐标系的东向坐标，与 Y坐标同填或同空；不与经纬度同用。"),
    ("y", "Y坐标", "可留空。地图用：本区坐标系的北向坐标，与 X坐标同填或同空。"),
];

const NCOL: usize = COLUMNS.len();

/// Columns every file must have (students are checked separately: a total
/// or grade columns).
const REQUIRED: [&str; 9] = [
    "school_id",
    "level",
    "qualified_teachers",
    "backbone_teachers",
    "pe_art_teachers",
    "teaching_space_m2",
    "sports_space_m2",
    "equipment_yuan",
    "multimedia_rooms",
];

/// Teacher sub-counts that cannot exceed `teachers`.
const TEACHER_SUBCOUNTS: [&str; 5] =
    ["qualified_teachers", "backbone_teachers", "pe_art_teachers", "senior_teachers", "science_teachers"];

/// (key, Chinese header, description) of every column, for documentation.
pub fn template_columns() -> &'static [(&'static str, &'static str, &'static str)] {
    COLUMNS
}

fn idx(key: &str) -> usize {
    // Keys are compile-time constants of this module; a miss is a bug here.
    COLUMNS.iter().position(|c| c.0 == key).unwrap_or_else(|| unreachable!("unknown column key {key}"))
}

fn grade_key(g: usize) -> &'static str {
    COLUMNS[idx("students_g1") + g].0
}

/// Header comparison ignores case, surrounding and inner white space, and
/// full-width parentheses (Chinese spreadsheets often type （平方米）).
fn normalize_header(s: &str) -> String {
    super::layout::normalize(s)
}

/// Each column's Chinese name normalised, with and without its unit;
/// made once (header matching runs for every candidate header row).
fn normalized_names() -> &'static [(String, String)] {
    static NAMES: std::sync::OnceLock<Vec<(String, String)>> = std::sync::OnceLock::new();
    NAMES.get_or_init(|| {
        COLUMNS
            .iter()
            .map(|(_, zh, _)| {
                let n = normalize_header(zh);
                let base = super::layout::without_unit(&n).0;
                (n, base)
            })
            .collect()
    })
}

/// The column a header names exactly (the Chinese name or the key).
fn lookup_header(h: &str) -> Option<usize> {
    let n = normalize_header(h);
    let names = normalized_names();
    COLUMNS.iter().zip(names).position(|((key, _, _), (zh, _))| n == *key || n == *zh)
}

/// The column a header cell names, and how (see [`super::layout`]): the
/// Chinese name or key; the name before a bracketed unit; a name
/// statistics forms use; a grade under a pupils' group heading, or the name
/// completed by its group heading.
fn match_column(name: &str, group: Option<&str>) -> Option<(usize, How)> {
    use super::layout::{bare_grade, pupils_heading, without_unit, ALIASES};
    if name.trim().is_empty() {
        return None;
    }
    if let Some(k) = lookup_header(name) {
        return Some((k, How::Exact));
    }
    let n = normalize_header(name);
    let (base, unit) = without_unit(&n);
    let by_base = |b: &str| -> Option<(usize, bool)> {
        if let Some(k) = COLUMNS.iter().zip(normalized_names()).position(|((key, _, _), (_, zh))| b == *key || b == *zh) {
            return Some((k, false));
        }
        ALIASES.iter().find(|(_, names)| names.contains(&b)).map(|(key, _)| (idx(key), true))
    };
    if let Some((k, alias)) = by_base(&base) {
        return Some((k, if alias { How::Alias } else { unit.map_or(How::Exact, How::Unit) }));
    }
    let group_n = group.map(|g| without_unit(&normalize_header(g)).0);
    if let Some(g) = bare_grade(&base) {
        if group_n.as_deref().is_none_or(pupils_heading) {
            return Some((idx(grade_key(g)), group.map_or(How::Alias, |g| How::Group(g.trim().to_owned()))));
        }
    }
    let g = group_n?;
    [format!("{g}{base}"), format!("{base}{g}")]
        .iter()
        .find_map(|joined| by_base(joined))
        .map(|(k, _)| (k, How::Group(group.unwrap_or_default().trim().to_owned())))
}

/// Spreadsheet column letter (0 → A, 26 → AA).
fn column_letter(mut i: usize) -> String {
    let mut s = Vec::new();
    loop {
        s.push(b'A' + (i % 26) as u8);
        if i < 26 {
            break;
        }
        i = i / 26 - 1;
    }
    s.reverse();
    String::from_utf8_lossy(&s).into_owned()
}

/// Quoted values are cut short so one runaway cell cannot flood the report.
fn shown(v: &str) -> String {
    const MAX: usize = 40;
    if v.chars().count() <= MAX {
        v.to_owned()
    } else {
        let mut s: String = v.chars().take(MAX).collect();
        s.push('…');
        s
    }
}

pub(super) fn fmt_num(x: f64) -> String {
    format!("{x}")
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) enum Kind {
    /// Head counts: whole numbers ≥ 0.
    Count,
    /// Areas and money: finite numbers ≥ 0.
    Amount,
    Year,
    /// Degrees east, −180 to 180.
    Longitude,
    /// Degrees north, −90 to 90.
    Latitude,
    /// A grid coordinate: any finite number up to 10⁸ either way.
    Grid,
}

/// What a numeric column holds; None for text and choice columns. The one
/// table the reader checks cells against and the XLSX writer writes numbers by.
pub(super) fn column_kind(key: &str) -> Option<Kind> {
    match key {
        "teaching_space_m2" | "sports_space_m2" | "equipment_yuan" => Some(Kind::Amount),
        "new_quality_since" | "project_start" => Some(Kind::Year),
        "students" | "classes" | "teachers" | "qualified_teachers" | "backbone_teachers" | "pe_art_teachers"
        | "senior_teachers" | "science_teachers" | "multimedia_rooms" | "capacity" => Some(Kind::Count),
        k if k.starts_with("students_g") => Some(Kind::Count),
        "longitude" => Some(Kind::Longitude),
        "latitude" => Some(Kind::Latitude),
        "x" | "y" => Some(Kind::Grid),
        _ => None,
    }
}

/// Error values a spreadsheet shows for a failed formula. XLSX error cells
/// arrive as this text, and a CSV saved from Excel holds it literally.
const EXCEL_ERRORS: &[&str] = &[
    "#N/A", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#NULL!", "#DATA!", "#GETTING_DATA", "#SPILL!", "#CALC!",
    "#FIELD!", "#BLOCKED!", "#CONNECT!", "#BUSY!", "#UNKNOWN!",
];

fn is_excel_error(v: &str) -> bool {
    EXCEL_ERRORS.iter().any(|e| e.eq_ignore_ascii_case(v))
}

/// A sheet as text cells, whatever the file format: each row with the number
/// a spreadsheet shows for it (the first row, the header, is normally row 1).
/// The CSV and the XLSX readers both produce one, so every rule about headers
/// and cells below exists once.
#[derive(Debug, Default)]
pub(super) struct Grid {
    pub(super) rows: Vec<(usize, Vec<String>)>,
    /// Problems reading the file itself (not a workbook, no sheet chosen, …).
    pub(super) problems: Vec<Problem>,
    /// What the format's reader decided (encoding, sheet); the header and
    /// rows are added by the one reader.
    pub(super) mapping: Mapping,
}

impl Grid {
    /// A CSV file's bytes in any encoding [`layout::decode`] detects,
    /// comma- or tab-separated ([`layout::delimiter`]).
    pub(super) fn from_csv_bytes(bytes: &[u8]) -> Grid {
        match layout::decode(bytes) {
            Ok((text, encoding)) => {
                let mut grid = Grid::from_csv(&text);
                let m = &mut grid.mapping;
                m.encoding = Some(encoding);
                let name = encoding.label();
                m.decide(
                    encoding.is_plain_utf8(),
                    if encoding.is_plain_utf8() {
                        Note { zh: format!("文件编码：{name}"), en: format!("Encoding: {name}") }
                    } else {
                        Note {
                            zh: format!("文件编码：{name}（自动识别，不是 UTF-8）"),
                            en: format!("Encoding: {name} (detected; not UTF-8)"),
                        }
                    },
                );
                // The encoding leads the decisions, the delimiter follows it.
                m.decisions.rotate_right(1);
                grid
            }
            Err(p) => Grid { problems: vec![*p], ..Grid::default() },
        }
    }

    /// CSV text; a leading byte-order mark is dropped. The row number is the
    /// record's position (a quoted line break stays inside its cell).
    pub(super) fn from_csv(text: &str) -> Grid {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let mut grid = Grid::default();
        let delimiter = layout::delimiter(text);
        if delimiter == b'\t' {
            grid.mapping.tab_separated = true;
            grid.mapping.decide(false, Note { zh: "以制表符分隔（Excel「Unicode 文本」）".into(), en: "Tab-separated (Excel's \"Unicode text\")".into() });
        }
        // Flexible: ragged rows are checked by the reader, not refused here.
        let mut reader =
            csv::ReaderBuilder::new().has_headers(false).flexible(true).delimiter(delimiter).from_reader(text.as_bytes());
        for (i, rec) in reader.records().enumerate() {
            match rec {
                // A text guarded against formulas (by this project's writer,
                // or by a person) reads back as it was before the guard.
                Ok(r) => grid.rows.push((i + 1, r.iter().map(read_cell).collect())),
                // Unreachable for a &str (the reader fails only on I/O and bad
                // UTF-8), but reported rather than trusted.
                Err(e) => grid.problems.push(at(Some(i + 1), None, Text::new("无法读取", "cannot read")).found(e.to_string())),
            }
        }
        // The csv crate reads an unterminated quote to the end of the file
        // without an error: the last record is that cell and the rest of the
        // file. It is no row at all, so it is dropped and the quote reported.
        if let Some(line) = unterminated_quote(text, delimiter) {
            if let Some((row, cells)) = grid.rows.pop() {
                let column = grid.rows.first().and_then(|(_, h)| h.get(cells.len().saturating_sub(1))).map(|h| h.trim().to_owned());
                let column = column.filter(|h| !h.is_empty()).or_else(|| Some(column_letter(cells.len().saturating_sub(1))));
                grid.problems.push(at(
                    Some(row),
                    column,
                    Text::new(
                        format!("第 {row} 行（文件第 {line} 行）起的引号 (\") 没有闭合：其后全部内容都被读进了这一格；请补上右引号，或去掉多余的引号"),
                        format!("unterminated quote starting in row {row} (line {line} of the file): everything after it was read into this cell; close the quote (\") or remove the stray one"),
                    ),
                ));
            }
        }
        grid
    }
}

/// Where a CSV ends inside a quoted field: the line (1-based, as a text
/// editor counts) on which that field's opening quote stands, or None when
/// every quote is closed. Reads quotes as the csv crate does: a quote opens a
/// field only at its start, `""` inside is one quote, and a quote elsewhere is
/// text.
fn unterminated_quote(text: &str, delimiter: u8) -> Option<usize> {
    #[derive(Clone, Copy, PartialEq)]
    enum State {
        FieldStart,
        Unquoted,
        Quoted,
        QuoteInQuoted,
    }
    let mut state = State::FieldStart;
    let (mut line, mut opened) = (1usize, 0usize);
    for b in text.bytes() {
        state = match (state, b) {
            (State::FieldStart, b'"') => {
                opened = line;
                State::Quoted
            }
            (State::Quoted, b'"') => State::QuoteInQuoted,
            (State::Quoted, _) => State::Quoted,
            (State::QuoteInQuoted, b'"') => State::Quoted,
            (_, b'\n' | b'\r') => State::FieldStart,
            (_, b) if b == delimiter => State::FieldStart,
            _ => State::Unquoted,
        };
        if b == b'\n' {
            line += 1;
        }
    }
    (state == State::Quoted).then_some(opened)
}

/// A CSV cell as the reader sees it: a guarded text (see
/// [`unguard_formula`]; surrounding spaces do not count) loses its one
/// apostrophe, any other cell is kept as written.
fn read_cell(v: &str) -> String {
    let t = v.trim();
    let u = unguard_formula(t);
    if u.len() == t.len() {
        v.to_owned()
    } else {
        u.to_owned()
    }
}

/// `1,200,000` or `1,200.5` (groups of three digits after the first): the
/// number; anything else, None.
fn grouped_number(v: &str) -> Option<f64> {
    let (whole, frac) = v.split_once('.').unwrap_or((v, ""));
    let mut groups = whole.split(',');
    let first = groups.next()?;
    let ok = (1..=3).contains(&first.len())
        && first.bytes().all(|b| b.is_ascii_digit())
        && whole.contains(',')
        && groups.all(|g| g.len() == 3 && g.bytes().all(|b| b.is_ascii_digit()))
        && frac.bytes().all(|b| b.is_ascii_digit());
    ok.then(|| v.replace(',', "").parse().ok()).flatten()
}

/// One data row being read; problems go to the shared list.
struct RowCtx<'a> {
    row: usize,
    cells: &'a [String],
    pos: &'a [Option<usize>; NCOL],
    written: &'a [String],
    /// What a column's values are multiplied by (a header in 万元: 10,000).
    scale: &'a [f64; NCOL],
    problems: &'a mut Vec<Problem>,
}

impl RowCtx<'_> {
    /// The trimmed cell as written, or None when the file has no such column.
    fn cell(&self, key: &str) -> Option<&str> {
        self.pos[idx(key)].map(|p| self.cells.get(p).map_or("", |v| v.trim()))
    }

    /// The trimmed cell, with an Excel error value (reported once by
    /// `excel_errors`) read as empty so it is not reported again.
    fn raw(&self, key: &str) -> Option<&str> {
        self.cell(key).map(|v| if is_excel_error(v) { "" } else { v })
    }

    /// The non-empty trimmed cell.
    fn text(&self, key: &str) -> Option<String> {
        self.raw(key).filter(|v| !v.is_empty()).map(str::to_owned)
    }

    fn header(&self, key: &str) -> Option<String> {
        self.pos[idx(key)].and_then(|p| self.written.get(p).cloned())
    }

    /// A problem in this row, in the column of `key` (or the row as a whole).
    fn problem(&self, key: Option<&str>, message: Text) -> Problem {
        at(Some(self.row), key.and_then(|k| self.header(k)), message)
    }

    fn push(&mut self, key: Option<&str>, message: Text) {
        let p = self.problem(key, message);
        self.problems.push(p);
    }

    /// Cells of known columns holding a formula's error value.
    fn excel_errors(&mut self) {
        for (key, _, _) in COLUMNS {
            if let Some(v) = self.cell(key).filter(|v| is_excel_error(v)).map(str::to_owned) {
                let p = self.problem(
                    Some(key),
                    Text::new(
                        "单元格是 Excel 错误值（公式出错或引用失效），请改正公式或直接填写数值",
                        "holds an Excel error value (a formula failed); fix the formula or type the value",
                    ),
                );
                self.problems.push(p.found(v));
            }
        }
    }

    /// A required cell of a column that exists but was left empty.
    fn require(&mut self, key: &str) {
        if self.cell(key) == Some("") {
            self.push(Some(key), Text::new("必填，不能为空", "is required but empty"));
        }
    }

    /// The cell as a number of its column's kind; None when empty, absent or
    /// invalid (invalid cells are reported).
    fn num(&mut self, key: &str) -> Option<f64> {
        let kind = column_kind(key).unwrap_or_else(|| unreachable!("{key} is not a numeric column"));
        let v = self.text(key)?;
        // Digits grouped by commas, as a CSV saved from a formatted sheet
        // writes them (1,200,000), read as the number they show.
        let x = v.parse::<f64>().ok().or_else(|| grouped_number(&v)).filter(|x| x.is_finite());
        // "-0" passes `>= 0.0` as −0.0; adding 0.0 makes it +0.0, which the
        // engine's zero tests and the written-out roster both expect.
        let ok = match kind {
            Kind::Count => x.filter(|x| *x >= 0.0 && x.fract() == 0.0).map(|x| x + 0.0),
            Kind::Amount => x.filter(|x| *x >= 0.0).map(|x| x + 0.0),
            Kind::Year => x.filter(|x| (1949.0..=2100.0).contains(x) && x.fract() == 0.0),
            Kind::Longitude => x.filter(|x| (-180.0..=180.0).contains(x)),
            Kind::Latitude => x.filter(|x| (-90.0..=90.0).contains(x)),
            Kind::Grid => x.filter(|x| x.abs() <= 1e8),
        };
        if ok.is_none() {
            let message = match kind {
                Kind::Count => Text::new("应为不小于 0 的整数", "must be a whole number ≥ 0"),
                Kind::Amount => Text::new("应为不小于 0 的数", "must be a number ≥ 0"),
                Kind::Year => Text::new("应为 1949 至 2100 之间的年份", "must be a year from 1949 to 2100"),
                Kind::Longitude => Text::new("经度应为 -180 至 180 之间的度数", "a longitude must be degrees from -180 to 180"),
                Kind::Latitude => Text::new("纬度应为 -90 至 90 之间的度数", "a latitude must be degrees from -90 to 90"),
                Kind::Grid => Text::new("坐标应为绝对值不超过 1 亿的数", "a grid coordinate must be a number within ±100,000,000"),
            };
            let p = self.problem(Some(key), message).found(shown(&v));
            self.problems.push(p);
        }
        // A unit in the header (万元) scales the value; the product is
        // rounded to 1e-6, so 95.3 万元 is 953,000 yuan, not 952,999.99….
        let scale = self.scale[idx(key)];
        let ok = if scale == 1.0 { ok } else { ok.map(|x| ((x * scale) * 1e6).round() / 1e6) };
        // + 0.0 turns a "-0" into 0.
        ok.map(|x| x + 0.0)
    }

    /// The cell as one of `choices` (each: accepted spellings, value);
    /// None when empty, absent or unknown (unknown values are reported).
    fn choice<T: Copy>(&mut self, key: &str, choices: &[(&[&str], T)], allowed_zh: &str, allowed_en: &str) -> Option<T> {
        let v = self.text(key)?;
        let lower = v.to_lowercase();
        let found = choices.iter().find(|(names, _)| names.iter().any(|n| *n == lower)).map(|c| c.1);
        if found.is_none() {
            // The value leads ("unknown value "x""), so it stays in the message.
            let s = shown(&v);
            let message = Text::new(format!("取值「{s}」无效"), format!("unknown value \"{s}\""));
            let p = self.problem(Some(key), message).allowed(Text::new(allowed_zh, allowed_en));
            self.problems.push(p);
        }
        found
    }
}

const LEVELS: &[(&[&str], Level)] = &[(&["primary", "小学"], Level::Primary), (&["junior", "初中"], Level::Junior)];
const AREAS: &[(&[&str], Area)] = &[(&["urban", "城区", "城镇"], Area::Urban), (&["rural", "农村", "乡村"], Area::Rural)];
const NEW_QUALITY: &[(&[&str], NewQuality)] = &[
    (&["none", "无", "否"], NewQuality::None),
    (&["district", "区级"], NewQuality::District),
    (&["municipal", "市级"], NewQuality::Municipal),
];
const PROJECT: &[(&[&str], ProjectStatus)] = &[
    (&["none", "无"], ProjectStatus::None),
    (&["active", "在研", "进行中"], ProjectStatus::Active),
    (&["completed", "已结题", "已完成"], ProjectStatus::Completed),
];
const BOOLS: &[(&[&str], bool)] = &[(&["true", "是", "1", "yes"], true), (&["false", "否", "0", "no"], false)];

/// Whether to import anything from a file with problems.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ParseMode {
    /// All or nothing: any problem and `roster` is empty.
    #[default]
    Strict,
    /// Import the rows that are fine and leave out the rest; see
    /// [`RosterImport`] for which rows a cross-row problem drops.
    DropBadRows,
}

/// The outcome of reading a roster file.
///
/// In [`ParseMode::DropBadRows`] a row is left out when:
/// - it has a problem of its own (a bad or missing cell, too many cells);
/// - it repeats a school and level already in the file: every row of that
///   school and level is left out, since either may be the right one (the
///   first row gets a problem saying so);
/// - another row of the same school is left out (the two rows of a
///   nine-year school are one school, imported together or not at all);
/// - it feeds a junior school, or is paired with a school, that is not in the
///   file or whose rows were left out.
///
/// The last two rules repeat until nothing changes, so the rows kept always
/// form a roster that reads back without problems. A problem with the file
/// as a whole (header, unknown or duplicated columns, data under a column
/// without header, not a CSV or XLSX file) leaves out every row in both modes.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct RosterImport {
    /// The schools imported: every row when there is no problem; none in
    /// `Strict` mode when there is one; the good rows in `DropBadRows` mode.
    pub roster: Roster,
    /// Every problem found, in file order (header first, cross-row last;
    /// in `DropBadRows` mode the rows dropped with others come after), each
    /// at its [`Place::Cell`] (a problem with the file as a whole at [`Place::Whole`]).
    pub problems: Vec<Problem>,
    /// Spreadsheet row numbers of the data rows not in `roster`, ascending.
    pub dropped_rows: Vec<usize>,
    /// How the file was read (encoding, sheet, header, columns, rows left
    /// aside), every decision worded, to show before applying.
    pub mapping: Mapping,
}

impl RosterImport {
    /// The roster when the file had no problem at all, else every problem.
    ///
    /// # Errors
    ///
    /// Every problem found, when there is one ([`roster_error`] makes it an [`Error`]).
    pub fn into_result(self) -> Result<Roster, Vec<Problem>> {
        if self.problems.is_empty() {
            Ok(self.roster)
        } else {
            Err(self.problems)
        }
    }
}

/// One non-blank data row as read.
struct DataRow {
    row: usize,
    /// The trimmed school id, when the cell holds one.
    id: Option<String>,
    /// The school, when the row has no problem of its own.
    school: Option<School>,
}

/// Everything read from a grid, before a mode decides what to import.
struct Reading {
    problems: Vec<Problem>,
    /// A problem with the file as a whole: no row can be imported.
    whole_file: bool,
    rows: Vec<DataRow>,
    /// Data rows with a problem of their own.
    bad: BTreeSet<usize>,
    /// (first row, repeating row) for each school and level given twice.
    duplicates: Vec<(usize, usize)>,
    mapping: Mapping,
}

/// Reads a roster.
///
/// Problems carry both languages; `_lang` is no longer read and goes when
/// the integration tests that pass it are updated.
///
/// # Errors
///
/// Every problem found, in file order (header problems first, cross-row
/// references last).
pub fn parse_roster_csv(text: &str, _lang: Lang) -> Result<Roster, Vec<Problem>> {
    read_grid(Grid::from_csv(text), ParseMode::Strict).into_result()
}

/// Reads a roster CSV from the file's bytes: UTF-8 (with or without a
/// byte-order mark), UTF-16 with a byte-order mark, or GB18030/GBK, comma-
/// or tab-separated (see [`super::layout`]). `_lang` as in [`parse_roster_csv`].
///
/// # Errors
///
/// As [`parse_roster_csv`]; bytes in none of those encodings are one
/// problem saying how to re-save.
pub fn parse_roster_csv_bytes(bytes: &[u8], _lang: Lang) -> Result<Roster, Vec<Problem>> {
    RosterFile::CsvBytes(bytes.to_vec()).parse(Lang::Zh, ParseMode::Strict).into_result()
}

/// Reads a roster in [`ParseMode::DropBadRows`]: the good rows, and every
/// problem (including why each left-out row was left out). `_lang` as in
/// [`parse_roster_csv`].
pub fn parse_roster_lenient(file: &RosterFile, _lang: Lang) -> (Roster, Vec<Problem>) {
    let r = file.parse(Lang::Zh, ParseMode::DropBadRows);
    (r.roster, r.problems)
}

/// A roster file as the user chose it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RosterFile {
    /// CSV already decoded as text.
    Csv(String),
    /// CSV as the file's bytes, in any encoding [`parse_roster_csv_bytes`] reads.
    CsvBytes(Vec<u8>),
    /// An Excel workbook (.xlsx): the sheet chosen, else the only visible
    /// worksheet holding a roster (see [`RosterFile::parse_sheet`]).
    Xlsx(Vec<u8>),
}

impl RosterFile {
    /// A file from a file picker or disk: a name ending .xlsx, .xlsm or .xls,
    /// or content that starts like a workbook (a zip, or an old OLE file), is
    /// read as a workbook; anything else as CSV bytes.
    pub fn from_upload(file_name: &str, bytes: Vec<u8>) -> RosterFile {
        let name = file_name.to_ascii_lowercase();
        let by_name = [".xlsx", ".xlsm", ".xls"].iter().any(|e| name.ends_with(e));
        if by_name || super::xlsx::looks_like_workbook(&bytes) {
            RosterFile::Xlsx(bytes)
        } else {
            RosterFile::CsvBytes(bytes)
        }
    }

    /// Reads the file: every problem, and the schools `mode` imports.
    /// `_lang` as in [`parse_roster_csv`]. A workbook's sheet is chosen as
    /// [`RosterFile::parse_sheet`] chooses it without a name.
    pub fn parse(&self, _lang: Lang, mode: ParseMode) -> RosterImport {
        self.parse_sheet(None, mode)
    }

    /// Reads the file, from the worksheet named `sheet` for a workbook.
    /// Without a name, a workbook's only visible worksheet holding a roster
    /// is read (and the mapping says so); with several, nothing is read and
    /// one problem lists them (the mapping's `sheets` too), for the planner
    /// to choose; with none, the first visible worksheet. CSV files have no
    /// sheets and ignore `sheet`.
    pub fn parse_sheet(&self, sheet: Option<&str>, mode: ParseMode) -> RosterImport {
        let grid = match self {
            RosterFile::Csv(text) => Grid::from_csv(text),
            RosterFile::CsvBytes(bytes) => Grid::from_csv_bytes(bytes),
            RosterFile::Xlsx(bytes) => super::xlsx::grid_from_xlsx(bytes, sheet),
        };
        read_grid(grid, mode)
    }
}

/// The one reader behind every format and mode.
pub(super) fn read_grid(grid: Grid, mode: ParseMode) -> RosterImport {
    let reading = read_rows(&grid);
    match mode {
        ParseMode::Strict => strict(reading),
        ParseMode::DropBadRows => drop_bad_rows(reading),
    }
}

fn strict(r: Reading) -> RosterImport {
    let all_rows = || r.rows.iter().map(|d| d.row).collect();
    if !r.problems.is_empty() {
        return RosterImport { roster: Roster::default(), dropped_rows: all_rows(), problems: r.problems, mapping: r.mapping };
    }
    let schools: Vec<School> = r.rows.iter().filter_map(|d| d.school.clone()).collect();
    if schools.is_empty() {
        let p = Problem::whole(Text::new("表中没有学校（只有表头）", "the file has no schools (header only)"));
        return RosterImport { roster: Roster::default(), problems: vec![p], dropped_rows: Vec::new(), mapping: r.mapping };
    }
    RosterImport { roster: Roster { schools }, problems: Vec::new(), dropped_rows: Vec::new(), mapping: r.mapping }
}

fn drop_bad_rows(r: Reading) -> RosterImport {
    if r.whole_file || r.problems.is_empty() {
        return strict(r);
    }
    let Reading { mut problems, rows, bad, duplicates, mapping, .. } = r;
    let mut dropped: BTreeSet<usize> = bad;
    for &(first, again) in &duplicates {
        if dropped.insert(first) {
            let d = rows.iter().find(|d| d.row == first);
            let id = shown(d.and_then(|d| d.id.as_deref()).unwrap_or(""));
            problems.push(at(
                Some(first),
                None,
                Text::new(
                    format!("学校代码「{id}」的同一学段在第 {again} 行再次出现，无法判断哪一行正确，两行都略去"),
                    format!("school \"{id}\" appears again at the same level in row {again}; both rows are dropped, as either may be the right one"),
                ),
            ));
        }
    }
    // Rows left out because of another row, until nothing changes. Rows by
    // school id, so each round is a lookup per reference, not a scan.
    let mut by_id: BTreeMap<&str, Vec<&DataRow>> = BTreeMap::new();
    for d in &rows {
        if let Some(id) = &d.id {
            by_id.entry(id.as_str()).or_default().push(d);
        }
    }
    loop {
        let kept = |d: &DataRow| !dropped.contains(&d.row);
        let same_id = |id: &str| by_id.get(id).map_or(&[][..], Vec::as_slice);
        let has_kept = |id: &str, level: Option<Level>| {
            same_id(id).iter().any(|o| kept(o) && o.school.as_ref().is_some_and(|x| level.is_none_or(|l| x.level == l)))
        };
        let mut newly: Vec<(usize, Text)> = Vec::new();
        for d in rows.iter().filter(|d| kept(d)) {
            let Some(s) = &d.school else { continue };
            let id = shown(&s.school_id);
            if let Some(other) = same_id(&s.school_id).iter().find(|o| !kept(o)) {
                newly.push((
                    d.row,
                    Text::new(
                        format!("与第 {} 行同属学校「{id}」，该行已略去，本行一并略去（同一学校的各行一起导入）", other.row),
                        format!("dropped with row {}: both rows are school \"{id}\", and a school's rows are imported together", other.row),
                    ),
                ));
            } else if let Some(f) = s.feeds.iter().find(|f| !has_kept(f, Some(Level::Junior))) {
                let f = shown(f);
                newly.push((
                    d.row,
                    Text::new(format!("对口初中「{f}」的行已略去，本行一并略去"), format!("feeds \"{f}\", whose junior row was dropped; dropped too")),
                ));
            } else if let Some(p) = s.paired_with.as_deref().filter(|p| !has_kept(p, None)) {
                let p = shown(p);
                newly.push((
                    d.row,
                    Text::new(format!("结对学校「{p}」已略去，本行一并略去"), format!("paired with \"{p}\", which was dropped; dropped too")),
                ));
            }
        }
        if newly.is_empty() {
            break;
        }
        for (row, message) in newly {
            dropped.insert(row);
            problems.push(at(Some(row), None, message));
        }
    }
    let schools = rows.iter().filter(|d| !dropped.contains(&d.row)).filter_map(|d| d.school.clone()).collect();
    let dropped_rows = rows.iter().map(|d| d.row).filter(|r| dropped.contains(r)).collect();
    RosterImport { roster: Roster { schools }, problems, dropped_rows, mapping }
}

/// Reads the header and every data row of `grid`, collecting problems.
fn read_rows(grid: &Grid) -> Reading {
    let problem = |row: Option<usize>, column: Option<String>, zh: String, en: String| at(row, column, Text::new(zh, en));
    let mut problems = grid.problems.clone();
    let mut r = Reading {
        problems: Vec::new(),
        whole_file: !problems.is_empty(),
        rows: Vec::new(),
        bad: BTreeSet::new(),
        duplicates: Vec::new(),
        mapping: grid.mapping.clone(),
    };

    if grid.rows.is_empty() {
        if problems.is_empty() {
            problems.push(Problem::whole(Text::new("文件为空：缺少表头行", "the file is empty: no header row")));
        }
        r.problems = problems;
        r.whole_file = true;
        return r;
    }
    // The header: the row (or two) naming the most columns among the first
    // rows, below any title; else the first row (see `layout`).
    let found = layout::find_header(&grid.rows, |h| header_fields(h).len());
    let header_row = *found.rows.last().unwrap_or(&grid.rows[0].0);
    let data = &grid.rows[found.at + 1..];
    header_decisions(&mut r.mapping, &found, &grid.rows);

    // Header: map each known column to its position. Empty cells after the
    // last header are no columns at all (an XLSX row ends at its last filled
    // cell; a CSV header may end in commas), so both formats agree.
    let mut written: Vec<String> = found.names.clone();
    while written.last().is_some_and(String::is_empty) {
        written.pop();
    }
    let mut pos: [Option<usize>; NCOL] = [None; NCOL];
    let mut scale = [1.0; NCOL];
    // Columns named with the help of their group heading: (heading, letter, name, key).
    let mut under_groups: Vec<(String, String, String, &str)> = Vec::new();
    for (p, h) in written.iter().enumerate() {
        if h.is_empty() {
            continue;
        }
        let group = found.groups.get(p).and_then(Option::as_deref);
        let letter = column_letter(p);
        let header = group.map_or_else(|| h.clone(), |g| format!("{g} / {h}"));
        let column = |field: Option<&str>, how: Note| MappedColumn { column: letter.clone(), header: header.clone(), field: field.map(str::to_owned), how };
        if layout::ignorable(&normalize_header(h)) {
            let how = Note { zh: "不是花名册字段（序号、备注等），略过".into(), en: "not a roster field (a row number, remarks), left aside".into() };
            r.mapping.decide(false, Note { zh: format!("{letter} 列「{h}」{}", how.zh), en: format!("column {letter} \"{h}\" is {}", how.en) });
            r.mapping.columns.push(column(None, how));
            continue;
        }
        match match_column(h, group) {
            Some((k, how)) => {
                let (key, zh) = (COLUMNS[k].0, COLUMNS[k].1);
                if let How::Unit(unit) = &how {
                    match layout::unit_scale(key, unit) {
                        Some(f) => scale[k] = f,
                        None => problems.push(
                            problem(
                                Some(header_row),
                                Some(h.clone()),
                                format!("单位「{unit}」不是本列（{zh}）可用的单位"),
                                format!("the unit \"{unit}\" is not one this column ({key}) takes"),
                            )
                            .allowed(if key == "equipment_yuan" {
                                Text::new("元、千元、万元", "元 (yuan), 千元, 万元")
                            } else {
                                Text::new("平方米 (m²)、万平方米", "平方米 (m²), 万平方米")
                            }),
                        ),
                    }
                }
                let how_note = match &how {
                    How::Exact => Note { zh: "模板列名".into(), en: "the template's name".into() },
                    How::Unit(u) if scale[k] != 1.0 => Note {
                        zh: format!("去掉单位「{u}」后匹配；数值乘以 {} 折算", fmt_num(scale[k])),
                        en: format!("matched without the unit \"{u}\"; values multiplied by {}", fmt_num(scale[k])),
                    },
                    How::Unit(u) => Note { zh: format!("去掉单位「{u}」后匹配"), en: format!("matched without the unit \"{u}\"") },
                    How::Alias => Note { zh: "统计报表常用列名".into(), en: "a name statistics forms use".into() },
                    How::Group(g) => Note { zh: format!("在分组标题「{g}」之下"), en: format!("under the group heading \"{g}\"") },
                };
                if let How::Group(g) = &how {
                    // Said once per group heading, after the columns.
                    under_groups.push((g.clone(), letter.clone(), h.clone(), key));
                } else if how != How::Exact {
                    r.mapping.decide(
                        false,
                        Note {
                            zh: format!("{letter} 列「{header}」→ {zh}（{key}）：{}", how_note.zh),
                            en: format!("column {letter} \"{header}\" → {key} ({zh}): {}", how_note.en),
                        },
                    );
                }
                r.mapping.columns.push(column(Some(key), how_note));
                match pos[k] {
                    Some(first) => problems.push(problem(
                        Some(header_row),
                        Some(h.clone()),
                        format!("与第 {} 列「{}」重复（同为 {}）", column_letter(first), written[first], COLUMNS[k].0),
                        format!("duplicates column {} \"{}\" (both are {})", column_letter(first), written[first], COLUMNS[k].0),
                    )),
                    None => pos[k] = Some(p),
                }
            }
            None => {
                r.mapping.columns.push(column(None, Note { zh: "未知列".into(), en: "unknown column".into() }));
                problems.push(problem(
                    Some(header_row),
                    Some(h.clone()),
                    "未知列；可用列见模板（如 学校代码/school_id、学段/level、在校生数/students）".into(),
                    "unknown column; see the template for the allowed columns (e.g. school_id, level, students)".into(),
                ))
            }
        }
    }
    // A units row just under the header (or under its column numbers): its
    // units apply to the columns above it, as units in the header would.
    let units_at = data.iter().take(2).position(|(_, c)| layout::units_row(c));
    if let Some(j) = units_at {
        let (row, cells) = &data[j];
        for (p, cell) in cells.iter().enumerate() {
            let (Some(unit), Some(k)) = (layout::unit_cell(cell), pos.iter().position(|q| *q == Some(p))) else { continue };
            let (key, zh) = (COLUMNS[k].0, COLUMNS[k].1);
            match layout::unit_scale(key, &unit) {
                Some(f) if f != 1.0 && scale[k] == 1.0 => {
                    scale[k] = f;
                    let letter = column_letter(p);
                    r.mapping.decide(
                        false,
                        Note {
                            zh: format!("{letter} 列（{zh}）的单位为「{unit}」（第 {row} 行）：数值乘以 {} 折算", fmt_num(f)),
                            en: format!("column {letter} ({key}) is in {unit} (row {row}): values multiplied by {}", fmt_num(f)),
                        },
                    );
                }
                Some(_) => {}
                None => problems.push(
                    at(
                        Some(*row),
                        written.get(p).cloned(),
                        Text::new(format!("单位「{unit}」不是本列（{zh}）可用的单位"), format!("the unit \"{unit}\" is not one this column ({key}) takes")),
                    )
                    .allowed(if key == "equipment_yuan" {
                        Text::new("元、千元、万元", "元 (yuan), 千元, 万元")
                    } else {
                        Text::new("平方米 (m²)、万平方米", "平方米 (m²), 万平方米")
                    }),
                ),
            }
        }
    }
    let mut k = 0;
    while k < under_groups.len() {
        let g = &under_groups[k].0;
        let n = under_groups[k..].iter().take_while(|x| &x.0 == g).count();
        let these = &under_groups[k..k + n];
        let (first, last) = (&these[0], &these[n - 1]);
        let cols = layout::span(&first.1, &last.1);
        let names = if n == 1 { first.2.clone() } else { format!("{}…{}", first.2, last.2) };
        let keys = if n == 1 { first.3.to_owned() } else { format!("{} … {}", first.3, last.3) };
        r.mapping.decide(
            false,
            Note {
                zh: format!("{cols} 列「{names}」在分组标题「{g}」之下 → {keys}"),
                en: format!("columns {cols} \"{names}\" under the group heading \"{g}\" → {keys}"),
            },
        );
        k += n;
    }
    for key in REQUIRED {
        if pos[idx(key)].is_none() {
            let zh = COLUMNS[idx(key)].1;
            problems.push(problem(None, Some(key.into()), format!("缺少必填列 {key}（{zh}）"), format!("missing required column {key} ({zh})")));
        }
    }
    let has_grade_column = (0..GRADES).any(|g| pos[idx(grade_key(g))].is_some());
    if pos[idx("students")].is_none() && !has_grade_column {
        problems.push(problem(
            None,
            Some("students".into()),
            "缺少学生数列：students（在校生数）或各年级列 students_g1…students_g9（一年级学生数…九年级学生数）".into(),
            "missing students: add students (在校生数) or the grade columns students_g1 … students_g9".into(),
        ));
    }
    // Columns without a header are ignored when empty (spreadsheets leave
    // them behind) and reported once when they hold data.
    // One pass over the cells, not one per column: a sheet may be wide.
    let mut first_data: BTreeMap<usize, usize> = BTreeMap::new();
    for (row, cells) in data {
        for (p, v) in cells.iter().enumerate().take(written.len()) {
            if written[p].is_empty() && !v.trim().is_empty() {
                first_data.entry(p).or_insert(*row);
            }
        }
    }
    for (p, row) in first_data {
        let c = column_letter(p);
        problems.push(problem(
            Some(row),
            None,
            format!("第 {c} 列没有表头却有数据"),
            format!("column {c} has no header but holds data"),
        ));
    }
    r.whole_file |= !problems.is_empty();

    let mut seen: BTreeMap<(String, Level), usize> = BTreeMap::new();
    let mut ids = BTreeSet::new();
    let mut juniors = BTreeSet::new();
    let mut blank = 0usize;
    for (k, (row, cells)) in data.iter().enumerate() {
        let row = *row;
        if cells.iter().all(|v| v.trim().is_empty()) {
            blank += 1;
            continue; // blank rows, e.g. trailing ",,,," lines or formatted but empty sheet rows
        }
        let why = if units_at == Some(k) {
            Some(Note { zh: "为计量单位行".into(), en: "gives the columns' units".into() })
        } else {
            left_aside(k, cells, &pos)
        };
        if let Some(why) = why {
            r.mapping.decide(false, Note { zh: format!("第 {row} 行{}，略过", why.zh), en: format!("row {row}: {}, left aside", why.en) });
            r.mapping.skipped_rows.push(SkippedRow { row, why });
            continue;
        }
        let before = problems.len();
        let width = written.len();
        if let Some(extra) = cells.iter().skip(width).position(|v| !v.trim().is_empty()) {
            let c = column_letter(width + extra);
            problems.push(problem(
                Some(row),
                None,
                format!("本行第 {c} 列有数据，多于表头的 {width} 列"),
                format!("the row has data in column {c}, more than the {width} header columns"),
            ));
        }
        let mut cx = RowCtx { row, cells, pos: &pos, written: &written, scale: &scale, problems: &mut problems };
        let id = cx.text("school_id");
        let school = read_row(&mut cx, &mut seen, &mut r.duplicates);
        if let Some(id) = &id {
            // Still a known school for the reference checks, so one bad cell
            // does not also produce "unknown school" errors elsewhere.
            ids.insert(id.clone());
        }
        if let Some(s) = school.as_ref().filter(|s| s.level == Level::Junior) {
            juniors.insert(s.school_id.clone());
        }
        let ok = problems.len() == before;
        if !ok {
            r.bad.insert(row);
        }
        r.rows.push(DataRow { row, id, school: school.filter(|_| ok) });
    }

    if blank > 0 {
        r.mapping.decide(true, Note { zh: format!("略过空行 {blank} 行"), en: format!("{blank} blank row(s) left aside") });
    }
    nine_year_rows_agree(&mut r, &mut problems, &pos, &written);

    for d in &r.rows {
        let Some(s) = &d.school else { continue };
        let header = |key: &str| pos[idx(key)].and_then(|p| written.get(p).cloned());
        for f in &s.feeds {
            if !juniors.contains(f) {
                r.bad.insert(d.row);
                problems.push(problem(
                    Some(d.row),
                    header("feeds"),
                    format!("对口初中「{}」不是本表中的初中行", shown(f)),
                    format!("\"{}\" is not a junior row in this roster", shown(f)),
                ));
            }
        }
        if let Some(p) = &s.paired_with {
            if !ids.contains(p) {
                r.bad.insert(d.row);
                problems.push(problem(
                    Some(d.row),
                    header("paired_with"),
                    format!("结对学校「{}」不在本表中", shown(p)),
                    format!("school \"{}\" is not in this roster", shown(p)),
                ));
            }
        }
    }
    for d in &mut r.rows {
        if r.bad.contains(&d.row) {
            d.school = None;
        }
    }
    r.problems = problems;
    r
}

/// Header cells scored when looking for the header: a roster has some 35
/// columns, and a hostile sheet's 16,384 need not be matched 39 times.
const MAX_HEADER_COLUMNS: usize = 256;
/// Longer cells are no column names (and are not normalised while scoring).
const MAX_HEADER_CHARS: usize = 64;

/// The roster columns a candidate header names (scoring the first
/// [`MAX_HEADER_COLUMNS`] cells, each at most [`MAX_HEADER_CHARS`] long).
fn header_fields(h: &layout::HeaderRows) -> BTreeSet<usize> {
    let mut fields = BTreeSet::new();
    for (p, name) in h.names.iter().enumerate().take(MAX_HEADER_COLUMNS) {
        if name.chars().count() <= MAX_HEADER_CHARS {
            if let Some((k, _)) = match_column(name, h.groups.get(p).and_then(Option::as_deref)) {
                fields.insert(k);
            }
        }
    }
    fields
}

/// Whether the first rows of a sheet hold a roster-shaped table: a header
/// (found as the reader finds it) naming the school id and at least
/// [`layout::MIN_FIELDS`] roster columns. Used by the workbook reader.
#[cfg(feature = "xlsx")]
pub(super) fn roster_shaped(rows: &[(usize, Vec<String>)]) -> bool {
    let fields = header_fields(&layout::find_header(rows, |h| header_fields(h).len()));
    fields.len() >= layout::MIN_FIELDS && fields.contains(&idx("school_id"))
}

/// Why a data row is not a school (a totals row, a note under the table,
/// a row numbering the columns just under the header), or None.
fn left_aside(k: usize, cells: &[String], pos: &[Option<usize>; NCOL]) -> Option<Note> {
    let cell = |key: &str| pos[idx(key)].and_then(|p| cells.get(p)).map_or("", |v| v.as_str());
    let first = cells.iter().map(|c| c.as_str()).find(|c| !c.trim().is_empty()).unwrap_or("");
    if let Some(label) = layout::totals_label(&[cell("school_id"), cell("name"), first]) {
        let label = shown(&label);
        return Some(Note { zh: format!("为合计行（「{label}」）"), en: format!("is a totals row (\"{label}\")") });
    }
    if let Some(text) = layout::note_row(cells) {
        let text = shown(&text);
        return Some(Note { zh: format!("为表下注释（「{text}」）"), en: format!("is a note under the table (\"{text}\")") });
    }
    (k <= 1 && layout::column_numbers_row(cells))
        .then(|| Note { zh: "为栏目序号行（甲、乙、1、2、3…）".into(), en: "numbers the columns (甲, 乙, 1, 2, 3 …)".into() })
}

/// The mapping's decisions about the header: its row(s), the rows above it,
/// the group headings of a two-row header.
fn header_decisions(m: &mut Mapping, found: &layout::HeaderRows, rows: &[(usize, Vec<String>)]) {
    m.header_rows = found.rows.clone();
    let first_row = found.rows[0];
    let above: Vec<usize> = rows.iter().take_while(|(r, _)| *r < first_row).filter(|(_, c)| c.iter().any(|v| !v.trim().is_empty())).map(|(r, _)| *r).collect();
    match found.rows.as_slice() {
        [1] => m.decide(true, Note { zh: "表头：第 1 行".into(), en: "Header: row 1".into() }),
        [r] => m.decide(false, Note { zh: format!("表头：第 {r} 行"), en: format!("Header: row {r}") }),
        [a, b] => m.decide(
            false,
            Note {
                zh: format!("两行表头：第 {a}–{b} 行（第 {a} 行有分组标题，列名在第 {b} 行；跨两行合并的列名取第 {a} 行）"),
                en: format!("Two-row header: rows {a}–{b} (group headings in row {a}, names in row {b}; a name merged over both rows is read from row {a})"),
            },
        ),
        _ => {}
    }
    for r in above {
        let text = rows.iter().find(|(x, _)| *x == r).and_then(|(_, c)| c.iter().find(|v| !v.trim().is_empty())).map_or(String::new(), |v| shown(v.trim()));
        let why = Note { zh: format!("在表头之上（标题或说明：「{text}」）"), en: format!("above the header (a title or note: \"{text}\")") };
        m.decide(false, Note { zh: format!("第 {r} 行{}，略过", why.zh), en: format!("row {r}: {}, left aside", why.en) });
        m.skipped_rows.push(SkippedRow { row: r, why });
    }
    // Group headings, each with the columns under it.
    let mut spans: Vec<(String, usize, usize)> = Vec::new();
    for (p, g) in found.groups.iter().enumerate() {
        let Some(g) = g else { continue };
        match spans.last_mut() {
            Some((last, _, end)) if last == g && *end + 1 == p => *end = p,
            _ => spans.push((g.clone(), p, p)),
        }
    }
    for (g, a, b) in spans {
        let cols = layout::span(&column_letter(a), &column_letter(b));
        let r = found.rows[0];
        m.decide(
            false,
            Note { zh: format!("第 {r} 行「{g}」是 {cols} 列的分组标题，不是字段"), en: format!("row {r}: \"{g}\" is the group heading of columns {cols}, not a field") },
        );
    }
}

/// The two rows of a nine-year school describe one school: they must agree
/// on its name, area, group and programme status (issue 18, defect 6). A
/// difference is reported on the later row, naming both rows and the
/// column, and makes that row bad (so lenient mode leaves out the school).
/// Rows are found by id through a map used only for lookup: linear in rows.
fn nine_year_rows_agree(r: &mut Reading, problems: &mut Vec<Problem>, pos: &[Option<usize>; NCOL], written: &[String]) {
    let header = |key: &str| pos[idx(key)].and_then(|p| written.get(p).cloned()).or_else(|| Some(key.to_owned()));
    let mut first: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    let mut bad = Vec::new();
    for (k, d) in r.rows.iter().enumerate() {
        let Some(s) = &d.school else { continue };
        let Some(&j) = first.get(s.school_id.as_str()) else {
            first.insert(s.school_id.as_str(), k);
            continue;
        };
        let (o, orow) = (r.rows[j].school.as_ref().unwrap_or_else(|| unreachable!("only rows with a school are indexed")), r.rows[j].row);
        if o.level == s.level {
            continue; // a duplicate row, reported already
        }
        // Exported rows leave a default cell empty; compare as written back.
        let cells = |x: &School| school_cells(x, false, Extra::ALL);
        let (a, b) = (cells(o), cells(s));
        let keys: Vec<&str> = export_columns(Extra::ALL).map(|c| c.0).collect();
        let place = ["longitude", "latitude", "x", "y"];
        for key in ["name", "area", "district_group", "new_quality", "new_quality_since", "project_status", "project_start"].into_iter().chain(place) {
            let i = keys.iter().position(|k| *k == key).unwrap_or_else(|| unreachable!("{key} is an export column"));
            let (x, y) = (&a[i], &b[i]);
            if x == y {
                continue;
            }
            let (x, y) = (shown(x), shown(y));
            let id = shown(&s.school_id);
            let (lo, ls) = (o.level, s.level);
            bad.push(d.row);
            problems.push(
                at(
                    Some(d.row),
                    header(key),
                    Text::new(
                        format!("九年一贯制学校「{id}」的{}行（第 {} 行）与{}行（第 {orow} 行）不一致：「{y}」≠「{x}」", ls.zh(), d.row, lo.zh()),
                        format!("the {} row (row {}) of nine-year school \"{id}\" differs from its {} row (row {orow}): \"{y}\" vs \"{x}\"", ls.key(), d.row, lo.key()),
                    ),
                )
                .allowed(Text::new(
                    "同一学校的两行须一致：学校名称、城乡、学区/集团、新优质学校及认定年份、创新项目状态及立项年份",
                    "the two rows of one school agree on name, area, group, new-quality status and year, project status and start",
                )),
            );
        }
    }
    r.bad.extend(bad);
}

/// Reads one data row: the school (valid only if no problem was added), or
/// None when its id or level is unreadable. A school and level already seen
/// is reported on this row and noted in `duplicates`.
fn read_row(cx: &mut RowCtx<'_>, seen: &mut BTreeMap<(String, Level), usize>, duplicates: &mut Vec<(usize, usize)>) -> Option<School> {
    let before = cx.problems.len();
    cx.excel_errors();
    for key in REQUIRED {
        cx.require(key);
    }
    let school_id = cx.text("school_id");
    let level = cx.choice("level", LEVELS, "小学 (primary)、初中 (junior)", "primary (小学), junior (初中)");
    let area = cx.choice("area", AREAS, "城区/城镇 (urban)、农村/乡村 (rural)", "urban (城区/城镇), rural (农村/乡村)");
    let new_quality =
        cx.choice("new_quality", NEW_QUALITY, "无 (none)、区级 (district)、市级 (municipal)", "none (无), district (区级), municipal (市级)");
    let project_status =
        cx.choice("project_status", PROJECT, "无 (none)、在研 (active)、已结题 (completed)", "none (无), active (在研), completed (已结题)");
    let strong_school = cx.choice("strong_school", BOOLS, "是/否、true/false、1/0", "true/false, 是/否, 1/0");
    let new_quality_since = cx.num("new_quality_since").map(|y| y as i32);
    let project_start = cx.num("project_start").map(|y| y as i32);

    let mut count = |key: &str| cx.num(key);
    let classes = count("classes");
    let teachers = count("teachers");
    let qualified_teachers = count("qualified_teachers");
    let backbone_teachers = count("backbone_teachers");
    let pe_art_teachers = count("pe_art_teachers");
    let senior_teachers = count("senior_teachers");
    let science_teachers = count("science_teachers");
    let multimedia_rooms = count("multimedia_rooms");
    let capacity = count("capacity");
    let location = read_location(cx);
    let teaching_space_m2 = cx.num("teaching_space_m2");
    let sports_space_m2 = cx.num("sports_space_m2");
    let equipment_yuan = cx.num("equipment_yuan");

    if let Some(t) = teachers.filter(|t| *t > 0.0) {
        for key in TEACHER_SUBCOUNTS {
            if let Some(v) = cx.raw(key).and_then(|v| v.parse::<f64>().ok()).filter(|v| v.is_finite() && *v > t) {
                let (v, t) = (fmt_num(v), fmt_num(t));
                cx.push(Some(key), Text::new(format!("{v} 超过专任教师数 {t}"), format!("{v} exceeds teachers ({t})")));
            }
        }
    }

    let students = level.map(|l| read_students(cx, l)).unwrap_or([0.0; GRADES]);

    let school_id = school_id?;
    let level = level?;
    if let Some(first) = seen.get(&(school_id.clone(), level)) {
        let (id, first) = (shown(&school_id), *first);
        duplicates.push((first, cx.row));
        cx.push(
            Some("school_id"),
            Text::new(
                format!("学校代码「{id}」的{}行与第 {first} 行重复（同一学校同一学段只能有一行）", level.zh()),
                format!("school \"{id}\" at level {} duplicates row {first} (one row per school and level)", level.key()),
            ),
        );
    } else {
        seen.insert((school_id.clone(), level), cx.row);
    }

    let feeds: Vec<String> = cx
        .text("feeds")
        .map(|f| f.split([';', '；']).map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned).collect())
        .unwrap_or_default();
    let school = School {
        name: cx.text("name").unwrap_or_else(|| school_id.clone()),
        school_id,
        level,
        area: area.unwrap_or_default(),
        district_group: cx.text("district_group").unwrap_or_default(),
        students,
        classes: classes.unwrap_or(0.0),
        teachers: teachers.unwrap_or(0.0),
        qualified_teachers: qualified_teachers.unwrap_or(0.0),
        backbone_teachers: backbone_teachers.unwrap_or(0.0),
        pe_art_teachers: pe_art_teachers.unwrap_or(0.0),
        senior_teachers: senior_teachers.unwrap_or(0.0),
        science_teachers: science_teachers.unwrap_or(0.0),
        teaching_space_m2: teaching_space_m2.unwrap_or(0.0),
        sports_space_m2: sports_space_m2.unwrap_or(0.0),
        equipment_yuan: equipment_yuan.unwrap_or(0.0),
        multimedia_rooms: multimedia_rooms.unwrap_or(0.0),
        capacity: capacity.unwrap_or(0.0),
        new_quality: new_quality.unwrap_or_default(),
        new_quality_since,
        strong_school: strong_school.unwrap_or(false),
        paired_with: cx.text("paired_with"),
        project_status: project_status.unwrap_or_default(),
        project_start,
        feeds,
        location,
    };
    // Plausible values, once every cell reads (an unreadable cell counts
    // as 0 here and would be reported twice).
    if cx.problems.len() == before {
        for b in super::implausible(&school) {
            let column = if b.column == "students" && cx.header("students").is_none() {
                // Grade columns only: the level's first grade column.
                cx.header(grade_key(level.grades().start))
            } else {
                cx.header(b.column)
            };
            cx.problems.push(at(Some(cx.row), column, b.message).allowed(b.allowed).found(b.found));
        }
    }
    Some(school)
}

/// The row's place on the map: longitude and latitude, or x and y, each
/// pair both given or both empty, and not both pairs on one row.
fn read_location(cx: &mut RowCtx<'_>) -> Option<Location> {
    let mut pair = |a: &str, b: &str, kind: LocationKind| -> Option<Location> {
        let (given_a, given_b) = (cx.raw(a).is_some_and(|v| !v.trim().is_empty()), cx.raw(b).is_some_and(|v| !v.trim().is_empty()));
        let (x, y) = (cx.num(a), cx.num(b));
        if given_a != given_b {
            let (missing, other) = if given_a { (b, a) } else { (a, b) };
            let (mz, oz) = (COLUMNS[idx(missing)].1, COLUMNS[idx(other)].1);
            cx.push(
                Some(missing),
                Text::new(format!("填了{oz}须同时填{mz}（二者同填或同空）"), format!("{other} is given, so {missing} is needed too (both or neither)")),
            );
            return None;
        }
        Some(Location { x: x?, y: y?, kind })
    };
    let lonlat = pair("longitude", "latitude", LocationKind::LonLat);
    let grid = pair("x", "y", LocationKind::Grid);
    match (lonlat, grid) {
        (Some(_), Some(_)) => {
            cx.push(Some("x"), Text::new("经纬度与 X/Y 坐标只能填一种", "give longitude and latitude or x and y, not both"));
            None
        }
        (l, g) => l.or(g),
    }
}

/// Students by grade from the total and/or the grade columns of `level`.
fn read_students(cx: &mut RowCtx<'_>, level: Level) -> [f64; GRADES] {
    let total = cx.num("students");
    let mut grades = [0.0; GRADES];
    let mut any_grade = false;
    for (g, slot) in grades.iter_mut().enumerate() {
        let key = grade_key(g);
        let Some(v) = cx.num(key) else { continue };
        if level.grades().contains(&g) {
            *slot = v;
            any_grade = true;
        } else if v != 0.0 {
            let message = Text::new(format!("{}不含该年级，应为空或 0", level.zh()), format!("a {} row has no such grade: must be empty or 0", level.key()));
            let p = cx.problem(Some(key), message).found(fmt_num(v));
            cx.problems.push(p);
        }
    }
    // A cell that failed to parse (or holds an Excel error) was already
    // reported; do not pile on.
    let bad_cell = |cx: &RowCtx<'_>, key: &str| cx.cell(key).is_some_and(|v| !v.is_empty());
    let total_unreadable = total.is_none() && bad_cell(cx, "students");
    let grade_unreadable = level.grades().any(|g| bad_cell(cx, grade_key(g))) && !any_grade;
    match (total, any_grade) {
        (Some(t), true) => {
            let sum: f64 = grades.iter().sum();
            if sum != t {
                let (t, sum) = (fmt_num(t), fmt_num(sum));
                cx.push(
                    Some("students"),
                    Text::new(format!("在校生数 {t} 与各年级学生数合计 {sum} 不一致"), format!("total {t} does not match the sum of the grade columns ({sum})")),
                );
            }
        }
        (Some(t), false) => {
            // Whole students per grade; the remainder goes to the lowest grades.
            let range = level.grades();
            let n = range.len() as f64;
            let base = (t / n).floor();
            let mut rest = t - base * n;
            for g in range {
                grades[g] = base + if rest >= 1.0 { 1.0 } else { 0.0 };
                rest = (rest - 1.0).max(0.0);
            }
        }
        (None, true) => {}
        (None, false) => {
            // A file without any students column was reported once already.
            let has_column = cx.raw("students").is_some() || (0..GRADES).any(|g| cx.raw(grade_key(g)).is_some());
            if has_column && !total_unreadable && !grade_unreadable {
                let key = if cx.raw("students").is_some() { Some("students") } else { None };
                let g = level.grades();
                let (first, last) = (g.start + 1, g.end);
                cx.push(
                    key,
                    Text::new(
                        format!("缺少学生数：请填写在校生数或{}各年级（{first}–{last} 年级）学生数", level.zh()),
                        format!("no students: fill in students or the {} grade columns (grades {first}–{last})", level.key()),
                    ),
                );
            }
        }
    }
    grades
}

/// A cell of a CSV file the project writes. Text is guarded against being
/// read as a formula ([`guard_formula`]); a number is written as it is, so a
/// negative number stays a number. The cell's type decides, never its
/// spelling.
#[derive(Clone, Debug, PartialEq)]
pub enum CsvCell {
    /// Text: a name, an id, a label, a choice.
    Text(String),
    /// A number as written (for example by `format!("{v}")`), or empty.
    Number(String),
}

/// The characters a spreadsheet (Excel, WPS, LibreOffice) treats as the
/// start of a formula, or strips before one, in a CSV cell (OWASP's CSV
/// injection list).
const FORMULA_STARTS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// Whether `text` would be guarded: it starts with a formula character,
/// possibly after apostrophes (so that a text that really starts with `'=`
/// is guarded too, and the reader's one-apostrophe rule stays symmetrical).
fn needs_guard(text: &str) -> bool {
    text.trim_start_matches('\'').starts_with(FORMULA_STARTS)
}

/// A text cell made safe for a spreadsheet: when it starts with `=`, `+`,
/// `-`, `@`, a tab or a carriage return (or with apostrophes followed by
/// one of those), one apostrophe is put in front, the usual convention
/// (OWASP, "CSV injection"), so a spreadsheet shows it as text and never
/// evaluates it. Every CSV the project writes (the roster, the template, the
/// result tables of the browser and the CLI) passes its text cells through
/// this one function; [`unguard_formula`] undoes it on import.
pub fn guard_formula(text: &str) -> std::borrow::Cow<'_, str> {
    if needs_guard(text) {
        std::borrow::Cow::Owned(format!("'{text}"))
    } else {
        std::borrow::Cow::Borrowed(text)
    }
}

/// The inverse of [`guard_formula`], applied by the roster CSV reader to
/// every cell: exactly one leading apostrophe is removed when what follows
/// it would itself be guarded (starts with `=`, `+`, `-`, `@`, a tab, a
/// carriage return, or apostrophes and then one of those). Any other text
/// is kept as written, so `'abc` stays `'abc` and `''=x` reads as `'=x`.
pub fn unguard_formula(text: &str) -> &str {
    match text.strip_prefix('\'') {
        Some(rest) if needs_guard(rest) => rest,
        _ => text,
    }
}

/// A CSV document from a header and rows: every text cell (the header's
/// too) through [`guard_formula`], numbers as they are. The one CSV writer
/// of the project: the roster CSV, the template and the result tables of
/// [`crate::export`] all come from here.
pub fn write_csv(header: Vec<String>, rows: impl IntoIterator<Item = Vec<CsvCell>>) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    let header = header.into_iter().map(CsvCell::Text).collect();
    for r in std::iter::once(header).chain(rows) {
        let record = r.iter().map(|c| match c {
            CsvCell::Text(t) => guard_formula(t).into_owned(),
            CsvCell::Number(n) => n.clone(),
        });
        // Writing to memory cannot fail.
        w.write_record(record).unwrap_or_else(|e| unreachable!("CSV to memory: {e}"));
    }
    let bytes = w.into_inner().unwrap_or_else(|e| unreachable!("CSV to memory: {e}"));
    String::from_utf8(bytes).unwrap_or_else(|e| unreachable!("CSV from strings is UTF-8: {e}"))
}

/// A roster's rows as typed cells: a column with a numeric
/// [`column_kind`] holds numbers, every other column text.
fn typed_rows(rows: Vec<Vec<String>>, extra: Extra) -> Vec<Vec<CsvCell>> {
    let kinds: Vec<bool> = export_columns(extra).map(|c| column_kind(c.0).is_some()).collect();
    rows.into_iter()
        .map(|r| {
            r.into_iter()
                .zip(&kinds)
                .map(|(v, numeric)| if *numeric { CsvCell::Number(v) } else { CsvCell::Text(v) })
                .collect()
        })
        .collect()
}

/// Export columns: every column but the `students` total (grades are written
/// one by one so nothing is lost). The optional science-teacher column is
/// written only when some school has science teachers, so rosters without
/// them (and the template) keep their columns.
pub(super) fn export_columns(extra: Extra) -> impl Iterator<Item = &'static (&'static str, &'static str, &'static str)> {
    COLUMNS.iter().filter(move |c| {
        c.0 != "students"
            && (extra.science || c.0 != "science_teachers")
            && (extra.lonlat || !matches!(c.0, "longitude" | "latitude"))
            && (extra.grid || !matches!(c.0, "x" | "y"))
    })
}

/// The optional columns an export writes: science teachers, and the
/// coordinates of the kind the roster uses, only when some school has them,
/// so rosters without them (and the template) keep their columns.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Extra {
    pub science: bool,
    pub lonlat: bool,
    pub grid: bool,
}

impl Extra {
    /// Every optional column.
    pub const ALL: Extra = Extra { science: true, lonlat: true, grid: true };
    /// None of them (the workbook's drop-down lists use the plain columns).
    #[cfg_attr(not(feature = "xlsx"), allow(dead_code))]
    pub const NONE: Extra = Extra { science: false, lonlat: false, grid: false };
}

pub(super) fn extra_columns(roster: &Roster) -> Extra {
    let kind = |k: LocationKind| roster.schools.iter().any(|s| s.location.is_some_and(|l| l.kind == k));
    Extra {
        science: roster.schools.iter().any(|s| s.science_teachers != 0.0),
        lonlat: kind(LocationKind::LonLat),
        grid: kind(LocationKind::Grid),
    }
}

pub(super) fn school_cells(s: &School, zh_values: bool, extra: Extra) -> Vec<String> {
    let opt_year = |y: Option<i32>| y.map(|y| y.to_string()).unwrap_or_default();
    let coordinate = |kind: LocationKind, x: bool| {
        s.location.filter(|l| l.kind == kind).map(|l| fmt_num(if x { l.x } else { l.y })).unwrap_or_default()
    };
    export_columns(extra)
        .map(|(key, _, _)| match *key {
            "school_id" => s.school_id.clone(),
            "name" => s.name.clone(),
            "level" => (if zh_values { s.level.zh() } else { s.level.key() }).into(),
            "area" => match (s.area, zh_values) {
                (Area::Urban, false) => "urban",
                (Area::Rural, false) => "rural",
                (Area::Urban, true) => "城区",
                (Area::Rural, true) => "农村",
            }
            .into(),
            "district_group" => s.district_group.clone(),
            "classes" => fmt_num(s.classes),
            "teachers" => fmt_num(s.teachers),
            "qualified_teachers" => fmt_num(s.qualified_teachers),
            "backbone_teachers" => fmt_num(s.backbone_teachers),
            "pe_art_teachers" => fmt_num(s.pe_art_teachers),
            "senior_teachers" => fmt_num(s.senior_teachers),
            "science_teachers" => fmt_num(s.science_teachers),
            "teaching_space_m2" => fmt_num(s.teaching_space_m2),
            "sports_space_m2" => fmt_num(s.sports_space_m2),
            "equipment_yuan" => fmt_num(s.equipment_yuan),
            "multimedia_rooms" => fmt_num(s.multimedia_rooms),
            "capacity" => fmt_num(s.capacity),
            "new_quality" => match (s.new_quality, zh_values) {
                (NewQuality::None, false) => "none",
                (NewQuality::District, false) => "district",
                (NewQuality::Municipal, false) => "municipal",
                (NewQuality::None, true) => "无",
                (NewQuality::District, true) => "区级",
                (NewQuality::Municipal, true) => "市级",
            }
            .into(),
            "new_quality_since" => opt_year(s.new_quality_since),
            "strong_school" => (if zh_values { if s.strong_school { "是" } else { "否" } } else { if s.strong_school { "true" } else { "false" } }).into(),
            "paired_with" => s.paired_with.clone().unwrap_or_default(),
            "project_status" => match (s.project_status, zh_values) {
                (ProjectStatus::None, false) => "none",
                (ProjectStatus::Active, false) => "active",
                (ProjectStatus::Completed, false) => "completed",
                (ProjectStatus::None, true) => "无",
                (ProjectStatus::Active, true) => "在研",
                (ProjectStatus::Completed, true) => "已结题",
            }
            .into(),
            "project_start" => opt_year(s.project_start),
            "feeds" => s.feeds.join(";"),
            "longitude" => coordinate(LocationKind::LonLat, true),
            "latitude" => coordinate(LocationKind::LonLat, false),
            "x" => coordinate(LocationKind::Grid, true),
            "y" => coordinate(LocationKind::Grid, false),
            grade => {
                let g = (0..GRADES).find(|g| grade_key(*g) == grade).unwrap_or(0);
                // Other levels' grades stay empty unless (invalidly) non-zero.
                if s.level.grades().contains(&g) || s.students[g] != 0.0 {
                    fmt_num(s.students[g])
                } else {
                    String::new()
                }
            }
        })
        .collect()
}

/// The roster as CSV with English keys and per-grade student columns.
/// `parse_roster_csv` reads it back unchanged for any roster it could have
/// produced (trimmed, non-empty ids and names; ids without `;`).
pub fn roster_to_csv(roster: &Roster) -> String {
    let extra = extra_columns(roster);
    let header = export_columns(extra).map(|c| c.0.to_owned()).collect();
    write_csv(header, typed_rows(roster.schools.iter().map(|s| school_cells(s, false, extra)).collect(), extra))
}

fn example_school(id: &str, name: &str, level: Level) -> School {
    School { district_group: "示例学区".into(), ..School::blank(id, name, level) }
}

/// The roster the template shows: a primary school, a nine-year school and
/// a junior school. Plainly synthetic; the figures only illustrate the
/// format, but the roster is complete: it passes the import check and runs
/// as a scenario's roster (issue 18, defect 4). The nine-year school's two
/// rows agree on name, area, group and programme status, and its junior row,
/// a strong-school experimental school, is paired with a junior school (the
/// strong-school programme pairs junior schools, 强校工程).
pub(super) fn template_roster() -> Roster {
    let mut p = example_school("S001", "示例小学 001", Level::Primary);
    p.students[..5].copy_from_slice(&[90.0, 88.0, 92.0, 85.0, 87.0]);
    (p.classes, p.teachers, p.qualified_teachers, p.backbone_teachers, p.pe_art_teachers, p.senior_teachers) =
        (12.0, 34.0, 20.0, 5.0, 5.0, 3.0);
    (p.teaching_space_m2, p.sports_space_m2, p.equipment_yuan, p.multimedia_rooms, p.capacity) =
        (2100.0, 3500.0, 950000.0, 12.0, 540.0);
    p.new_quality = NewQuality::District;
    p.new_quality_since = Some(2022);
    p.feeds = vec!["S002".into()];

    let mut np = example_school("S002", "示例九年一贯制学校 002", Level::Primary);
    np.area = Area::Rural;
    np.students[..5].copy_from_slice(&[60.0, 58.0, 61.0, 57.0, 59.0]);
    (np.classes, np.teachers, np.qualified_teachers, np.backbone_teachers, np.pe_art_teachers, np.senior_teachers) =
        (10.0, 24.0, 13.0, 3.0, 3.0, 2.0);
    (np.teaching_space_m2, np.sports_space_m2, np.equipment_yuan, np.multimedia_rooms, np.capacity) =
        (1400.0, 2300.0, 620000.0, 7.0, 450.0);
    np.feeds = vec!["S002".into()];
    np.project_status = ProjectStatus::Active;
    np.project_start = Some(2024);

    let mut nj = example_school("S002", "示例九年一贯制学校 002", Level::Junior);
    nj.area = Area::Rural;
    nj.students[5..].copy_from_slice(&[120.0, 118.0, 115.0, 117.0]);
    (nj.classes, nj.teachers, nj.qualified_teachers, nj.backbone_teachers, nj.pe_art_teachers, nj.senior_teachers) =
        (12.0, 40.0, 27.0, 5.0, 5.0, 4.0);
    (nj.teaching_space_m2, nj.sports_space_m2, nj.equipment_yuan, nj.multimedia_rooms, nj.capacity) =
        (2800.0, 4900.0, 1_200_000.0, 12.0, 480.0);
    nj.strong_school = true;
    nj.paired_with = Some("S003".into());
    nj.project_status = ProjectStatus::Active;
    nj.project_start = Some(2024);

    let mut j = example_school("S003", "示例初中 003", Level::Junior);
    j.students[5..].copy_from_slice(&[160.0, 158.0, 155.0, 152.0]);
    (j.classes, j.teachers, j.qualified_teachers, j.backbone_teachers, j.pe_art_teachers, j.senior_teachers) =
        (16.0, 52.0, 36.0, 7.0, 6.0, 8.0);
    (j.teaching_space_m2, j.sports_space_m2, j.equipment_yuan, j.multimedia_rooms, j.capacity) =
        (3600.0, 6400.0, 1_600_000.0, 16.0, 720.0);
    j.new_quality = NewQuality::Municipal;
    j.new_quality_since = Some(2019);

    Roster { schools: vec![p, np, nj, j] }
}

/// The downloadable template: Chinese headers and example rows. It starts
/// with a UTF-8 byte-order mark so that Excel on Chinese Windows opens it as
/// UTF-8 rather than GBK (the parser strips the mark).
pub fn template_csv() -> String {
    let roster = template_roster();
    let extra = extra_columns(&roster);
    let header = export_columns(extra).map(|c| c.1.to_owned()).collect();
    let rows = roster.schools.iter().map(|s| school_cells(s, true, extra)).collect();
    format!("\u{feff}{}", write_csv(header, typed_rows(rows, extra)))
}

#[cfg(test)]
mod tests {
    use super::*;

    const EN_HEADER: &str = "school_id,name,level,area,students,teachers,qualified_teachers,backbone_teachers,pe_art_teachers,teaching_space_m2,sports_space_m2,equipment_yuan,multimedia_rooms,feeds";

    fn en(rows: &[&str]) -> String {
        std::iter::once(EN_HEADER).chain(rows.iter().copied()).collect::<Vec<_>>().join("\n")
    }

    fn problems(text: &str, lang: Lang) -> Vec<Problem> {
        match parse_roster_csv(text, lang) {
            Ok(r) => panic!("expected problems, parsed {} schools", r.schools.len()),
            Err(p) => p,
        }
    }

    /// The single problem of `text`, checked for its row and column.
    fn one_problem(text: &str, row: Option<usize>, column: Option<&str>) -> Problem {
        let p = problems(text, Lang::En);
        assert_eq!(p.len(), 1, "{p:#?}");
        assert_eq!(p[0].place.row(), row, "{}", p[0]);
        assert_eq!(p[0].place.column(), column, "{}", p[0]);
        p.into_iter().next().unwrap_or_else(|| unreachable!())
    }

    #[test]
    fn reads_english_keys_and_spreads_totals() {
        let r = parse_roster_csv(
            &en(&[
                "P1,Alpha,primary,urban,102,10,6,2,1,500,800,200000,3,J1",
                "J1,Beta,junior,rural,400,30,20,4,4,2400,4100,1000000,10,",
            ]),
            Lang::En,
        )
        .unwrap();
        assert_eq!(r.schools.len(), 2);
        let p = &r.schools[0];
        assert_eq!((p.school_id.as_str(), p.name.as_str(), p.level), ("P1", "Alpha", Level::Primary));
        // 102 over 5 grades: 20 each, the remainder 2 to grades 1 and 2.
        assert_eq!(p.students, [21.0, 21.0, 20.0, 20.0, 20.0, 0.0, 0.0, 0.0, 0.0]);
        assert_eq!(p.feeds, vec!["J1".to_owned()]);
        let j = &r.schools[1];
        assert_eq!(j.area, Area::Rural);
        assert_eq!(j.students, [0.0, 0.0, 0.0, 0.0, 0.0, 100.0, 100.0, 100.0, 100.0]);
        assert_eq!(j.equipment_yuan, 1_000_000.0);
        // Optional columns left out take their defaults.
        assert_eq!((j.classes, j.capacity, j.new_quality, j.strong_school), (0.0, 0.0, NewQuality::None, false));
    }

    /// A count or amount written "-0" is zero, read as +0.0 (not −0.0).
    #[test]
    fn minus_zero_reads_as_zero() {
        let r = parse_roster_csv(&en(&["P1,Alpha,primary,urban,102,10,-0,2,1,500,800,-0.0,3,"]), Lang::En).unwrap();
        let p = &r.schools[0];
        assert_eq!(p.qualified_teachers.to_bits(), 0.0f64.to_bits());
        assert_eq!(p.equipment_yuan.to_bits(), 0.0f64.to_bits());
    }

    #[test]
    fn reads_chinese_headers_and_values() {
        let text = "\u{feff}学校代码,学校名称,学段,城乡,一年级学生数,二年级学生数,三年级学生数,四年级学生数,五年级学生数,六年级学生数,七年级学生数,八年级学生数,九年级学生数,高于规定学历教师数,县级以上骨干教师数,体育艺术专任教师数,教学及辅助用房面积（平方米）,体育运动场馆面积(平方米),教学仪器设备值(元),网络多媒体教室数,新优质学校,新优质认定年份,强校工程实验校,结对学校
A01,示例小学 001,小学,乡村,10,11,12,13,14,,,,,3,1,1,300,400,50000,2,区级,2021,否,
A01,示例小学 001,初中,乡村,0,,,,,20,20,20,20,6,1,1,500,900,90000,3,区级,2021,是,A01
";
        let r = parse_roster_csv(text, Lang::Zh).unwrap();
        assert_eq!(r.schools.len(), 2);
        assert!(r.is_nine_year("A01"));
        let p = &r.schools[0];
        assert_eq!(p.area, Area::Rural);
        assert_eq!(p.enrollment(), 60.0);
        assert_eq!((p.new_quality, p.new_quality_since), (NewQuality::District, Some(2021)));
        let j = &r.schools[1];
        assert_eq!((j.level, j.area, j.strong_school), (Level::Junior, Area::Rural, true));
        assert_eq!(j.paired_with.as_deref(), Some("A01"));
        assert_eq!(j.enrollment(), 80.0);
    }

    #[test]
    fn reads_mixed_headers_with_case_and_space() {
        let text = " School_ID ,学段,在校生数,qualified_teachers,骨干教师数_wrong
";
        // The last header is unknown: exactly one problem, naming it.
        let p = problems(text, Lang::Zh);
        assert!(p.iter().any(|p| p.place.column() == Some("骨干教师数_wrong") && p.place.row() == Some(1)), "{p:#?}");

        let text = " School_ID ,学段,在校生数,QUALIFIED_TEACHERS,县级以上骨干教师数,pe_art_teachers,教学及辅助用房面积(平方米),sports_space_m2,教学仪器设备值(元),multimedia_rooms
X,初中,8,1,1,1,40,80,20000,1
";
        let r = parse_roster_csv(text, Lang::Zh).unwrap();
        assert_eq!(r.schools[0].students, [0.0, 0.0, 0.0, 0.0, 0.0, 2.0, 2.0, 2.0, 2.0]);
        assert_eq!(r.schools[0].name, "X", "name defaults to the id");
    }

    #[test]
    fn chinese_message_format() {
        let p = problems(&en(&["P1,A,primary,urban,-3,10,6,2,1,500,800,200000,3,"]), Lang::Zh);
        assert_eq!(p.len(), 1);
        assert_eq!(p[0].text(Lang::Zh), "第 2 行，列「students」：应为不小于 0 的整数，实际为「-3」");
        let p = problems(&en(&["P1,A,primary,urban,-3,10,6,2,1,500,800,200000,3,"]), Lang::En);
        assert_eq!(p[0].text(Lang::En), "row 2, column \"students\": must be a whole number ≥ 0, got \"-3\"");
    }

    #[test]
    fn each_bad_cell_names_its_row_and_column() {
        let ok = "P1,A,primary,urban,100,10,6,2,1,500,800,200000,3,";
        let cases: &[(&str, &str, &str)] = &[
            ("P2,B,primary,urban,-3,10,6,2,1,500,800,200000,3,", "students", "whole number"),
            ("P2,B,primary,urban,10.5,10,6,2,1,500,800,200000,3,", "students", "whole number"),
            ("P2,B,primary,urban,100,ten,6,2,1,500,800,200000,3,", "teachers", "whole number"),
            ("P2,B,primary,urban,100,10,6,2,1,-5,800,200000,3,", "teaching_space_m2", "number ≥ 0"),
            ("P2,B,primary,urban,100,10,6,2,1,500,NaN,200000,3,", "sports_space_m2", "number ≥ 0"),
            ("P2,B,primary,urban,100,10,6,2,1,500,800,inf,3,", "equipment_yuan", "number ≥ 0"),
            ("P2,B,primary,urban,100,10,6,2,1,500,800,200000,2.5,", "multimedia_rooms", "whole number"),
            ("P2,B,senior,urban,100,10,6,2,1,500,800,200000,3,", "level", "primary (小学), junior (初中)"),
            ("P2,B,primary,suburb,100,10,6,2,1,500,800,200000,3,", "area", "urban"),
            ("P2,B,primary,urban,100,10,11,2,1,500,800,200000,3,", "qualified_teachers", "exceeds teachers (10)"),
            ("P2,B,primary,urban,100,10,6,2,1,500,800,200000,3,J9", "feeds", "not a junior row"),
            ("P2,B,primary,urban,100,10,6,2,1,,800,200000,3,", "teaching_space_m2", "required"),
            ("P1,B,primary,urban,100,10,6,2,1,500,800,200000,3,", "school_id", "duplicates row 2"),
        ];
        for (row, column, needle) in cases {
            let p = one_problem(&en(&[ok, row]), Some(3), Some(column));
            assert!(p.describe(Lang::En).contains(needle), "{column}: {p}");
        }
    }

    #[test]
    fn optional_column_values_are_checked() {
        let head = "school_id,level,students,qualified_teachers,backbone_teachers,pe_art_teachers,teaching_space_m2,sports_space_m2,equipment_yuan,multimedia_rooms";
        let row = "P1,primary,100,6,2,1,500,800,200000,3";
        for (col, bad, needle) in [
            ("new_quality", "national", "municipal"),
            ("project_status", "paused", "completed"),
            ("strong_school", "maybe", "true/false"),
            ("new_quality_since", "1900", "1949 to 2100"),
            ("project_start", "2024.5", "1949 to 2100"),
            ("capacity", "-1", "whole number"),
            ("classes", "3.2", "whole number"),
            ("paired_with", "NOPE", "not in this roster"),
            ("students_g6", "30", "no such grade"),
        ] {
            let text = format!("{head},{col}\n{row},{bad}\n");
            let p = one_problem(&text, Some(2), Some(col));
            assert!(p.describe(Lang::En).contains(needle), "{col}: {p}");
        }
        // Other levels' grade columns may hold 0 or stay empty.
        let text = format!("{head},students_g6,students_g7\n{row},0,\n");
        assert!(parse_roster_csv(&text, Lang::En).is_ok());
    }

    #[test]
    fn total_and_grades_must_agree() {
        let head = "school_id,level,students,students_g1,students_g2,students_g3,students_g4,students_g5,qualified_teachers,backbone_teachers,pe_art_teachers,teaching_space_m2,sports_space_m2,equipment_yuan,multimedia_rooms";
        let ok = format!("{head}\nP1,primary,50,10,10,10,10,10,6,2,1,500,800,200000,3\n");
        assert_eq!(parse_roster_csv(&ok, Lang::En).unwrap().schools[0].enrollment(), 50.0);
        let bad = format!("{head}\nP1,primary,51,10,10,10,10,10,6,2,1,500,800,200000,3\n");
        let p = one_problem(&bad, Some(2), Some("students"));
        assert!(p.describe(Lang::En).contains("51") && p.describe(Lang::En).contains("50"), "{p}");
        // A junior row in a file with only primary grade columns has no students.
        let none = format!("{head}\nJ1,junior,,,,,,,6,2,1,500,800,200000,3\n");
        let p = one_problem(&none, Some(2), Some("students"));
        assert!(p.describe(Lang::En).contains("no students"), "{p}");
    }

    #[test]
    fn file_level_problems() {
        let p = one_problem("", None, None);
        assert!(p.describe(Lang::En).contains("empty"));
        let p = one_problem("\u{feff}", None, None);
        assert!(p.describe(Lang::En).contains("empty"));
        let p = one_problem(EN_HEADER, None, None);
        assert!(p.describe(Lang::En).contains("no schools"));
        // A missing required column is one problem, however many rows.
        let text = "school_id,level,students,qualified_teachers,backbone_teachers,pe_art_teachers,teaching_space_m2,sports_space_m2,equipment_yuan\nA,primary,5,1,1,1,1,1,1\nB,primary,5,1,1,1,1,1,1\n";
        let p = one_problem(text, None, Some("multimedia_rooms"));
        assert!(p.describe(Lang::En).contains("网络多媒体教室数"), "{p}");
        let text = "school_id,level,qualified_teachers,backbone_teachers,pe_art_teachers,teaching_space_m2,sports_space_m2,equipment_yuan,multimedia_rooms\nA,primary,1,1,1,1,1,1,1\n";
        let p = one_problem(text, None, Some("students"));
        assert!(p.describe(Lang::En).contains("students_g1"), "{p}");
        // Duplicate headers (English and Chinese spelling of one column).
        let text = format!("{EN_HEADER},在校生数\nP1,A,primary,urban,100,10,6,2,1,500,800,200000,3,,100\n");
        let p = one_problem(&text, Some(1), Some("在校生数"));
        assert!(p.describe(Lang::En).contains("duplicates column E"), "{p}");
        // Unknown column.
        let text = format!("{EN_HEADER},colour\nP1,A,primary,urban,100,10,6,2,1,500,800,200000,3,,red\n");
        let p = one_problem(&text, Some(1), Some("colour"));
        assert!(p.describe(Lang::En).contains("see the template"), "{p}");
        // Ragged rows: short rows read as empty cells, long rows are reported.
        let p = one_problem(&en(&["P1,A,primary,urban,100,10,6,2,1,500,800,200000,3,,extra"]), Some(2), None);
        assert!(p.describe(Lang::En).contains("more than"), "{p}");
        let p = one_problem(&en(&["P1,A,primary,urban,100,10,6,2,1,500,800,200000"]), Some(2), Some("multimedia_rooms"));
        assert!(p.describe(Lang::En).contains("required"), "{p}");
    }

    #[test]
    fn blank_rows_and_unnamed_empty_columns_are_ignored() {
        let text = format!("{EN_HEADER},,\nP1,A,primary,urban,100,10,6,2,1,500,800,200000,3,,,\n,,,,\n\n");
        assert_eq!(parse_roster_csv(&text, Lang::En).unwrap().schools.len(), 1);
        let text = format!("{EN_HEADER},\nP1,A,primary,urban,100,10,6,2,1,500,800,200000,3,,oops\n");
        let p = one_problem(&text, Some(2), None);
        assert!(p.describe(Lang::En).contains("column O"), "{p}");
    }

    #[test]
    fn nine_year_school_is_two_rows_and_duplicates_name_both_rows() {
        let text = en(&[
            "N1,Nine,primary,urban,100,0,6,2,1,500,800,200000,3,N1",
            "N1,Nine,junior,urban,100,0,6,2,1,500,800,200000,3,",
        ]);
        let r = parse_roster_csv(&text, Lang::En).unwrap();
        assert!(r.is_nine_year("N1"));
        let text = en(&[
            "N1,Nine,primary,urban,100,0,6,2,1,500,800,200000,3,",
            "X,Other,junior,urban,100,0,6,2,1,500,800,200000,3,",
            "N1,Nine again,小学,urban,100,0,6,2,1,500,800,200000,3,",
        ]);
        let p = one_problem(&text, Some(4), Some("school_id"));
        assert!(p.describe(Lang::En).contains("row 2"), "{p}");
        let p = problems(&text, Lang::Zh);
        assert!(p[0].text(Lang::Zh).contains("第 2 行"), "{}", p[0]);
    }

    #[test]
    fn reports_every_problem_at_once() {
        let text = en(&[
            "P1,A,primary,urban,-3,10,6,2,1,500,800,200000,3,",
            "P2,B,primary,urban,100,10,6,2,1,500,800,200000,3,",
            "P3,C,middle,urban,100,10,6,2,1,500,800,200000,3,",
            "P4,D,primary,urban,100,10,6,2,1,500,800,-1,3,",
        ]);
        let p = problems(&text, Lang::En);
        let got: Vec<_> = p.iter().map(|p| (p.place.row(), p.place.column())).collect();
        assert_eq!(got, vec![(Some(2), Some("students")), (Some(4), Some("level")), (Some(5), Some("equipment_yuan"))]);
    }

    #[test]
    fn roster_to_csv_round_trips_the_template() {
        let roster = template_roster();
        assert_eq!(parse_roster_csv(&roster_to_csv(&roster), Lang::En), Ok(roster.clone()));
        // The template itself (Chinese headers and values) reads back too.
        assert_eq!(parse_roster_csv(&template_csv(), Lang::Zh), Ok(roster));
        assert!(template_csv().starts_with("\u{feff}学校代码,学校名称,学段"));
    }

    #[test]
    fn reads_the_optional_science_teacher_column() {
        let text = format!("{EN_HEADER},科学教师数\nP1,Alpha,primary,urban,100,10,6,2,1,500,800,200000,3,,2\nP2,Beta,primary,rural,60,5,3,1,1,300,500,100000,2,,7");
        let p = problems(&text, Lang::En);
        assert_eq!(p.len(), 1, "{p:#?}");
        assert_eq!((p[0].place.row(), p[0].place.column()), (Some(3), Some("科学教师数")));
        let ok = text.replace(",,7", ",,1");
        let r = parse_roster_csv(&ok, Lang::En).unwrap();
        assert_eq!((r.schools[0].science_teachers, r.schools[1].science_teachers), (2.0, 1.0));
        // Written back only when some school has science teachers.
        assert!(roster_to_csv(&r).lines().next().unwrap().contains(",senior_teachers,science_teachers,"));
        assert_eq!(parse_roster_csv(&roster_to_csv(&r), Lang::En), Ok(r));
        assert!(!roster_to_csv(&template_roster()).contains("science_teachers"));
    }

    fn lenient(text: &str) -> RosterImport {
        RosterFile::Csv(text.to_owned()).parse(Lang::En, ParseMode::DropBadRows)
    }

    fn ids(r: &Roster) -> Vec<(&str, Level)> {
        r.schools.iter().map(|s| (s.school_id.as_str(), s.level)).collect()
    }

    #[test]
    fn strict_imports_nothing_and_lenient_drops_only_bad_rows() {
        let text = en(&[
            "P1,A,primary,urban,100,10,6,2,1,500,800,200000,3,J1",
            "P2,B,primary,urban,-3,10,6,2,1,500,800,200000,3,",
            "J1,C,junior,urban,100,10,6,2,1,500,800,200000,3,",
        ]);
        let strict = RosterFile::Csv(text.clone()).parse(Lang::En, ParseMode::Strict);
        assert_eq!((strict.roster.schools.len(), strict.dropped_rows.clone()), (0, vec![2, 3, 4]));
        let r = lenient(&text);
        assert_eq!(r.problems, strict.problems, "the same problems in both modes");
        assert_eq!(ids(&r.roster), vec![("P1", Level::Primary), ("J1", Level::Junior)]);
        assert_eq!(r.dropped_rows, vec![3]);
        assert_eq!(parse_roster_lenient(&RosterFile::Csv(text), Lang::En), (r.roster, r.problems));
        // A clean file is the same in both modes.
        let clean = en(&["P1,A,primary,urban,100,10,6,2,1,500,800,200000,3,"]);
        let r = lenient(&clean);
        assert_eq!((r.problems.len(), r.dropped_rows.len()), (0, 0));
        assert_eq!(Ok(r.roster), parse_roster_csv(&clean, Lang::En));
    }

    #[test]
    fn lenient_drops_both_duplicates_and_the_rest_of_their_school() {
        let text = en(&[
            "N1,Nine,primary,urban,100,10,6,2,1,500,800,200000,3,",
            "N1,Nine,junior,urban,100,10,6,2,1,500,800,200000,3,",
            "X,Other,primary,urban,100,10,6,2,1,500,800,200000,3,",
            "N1,Nine again,primary,urban,100,10,6,2,1,500,800,200000,3,",
        ]);
        let r = lenient(&text);
        assert_eq!(ids(&r.roster), vec![("X", Level::Primary)]);
        assert_eq!(r.dropped_rows, vec![2, 3, 5]);
        let got: Vec<_> = r.problems.iter().map(|p| p.place.row()).collect();
        assert_eq!(got, vec![Some(5), Some(2), Some(3)], "{:#?}", r.problems);
        assert!(r.problems[1].describe(Lang::En).contains("appears again") && r.problems[1].describe(Lang::En).contains("row 5"), "{}", r.problems[1]);
        assert!(r.problems[2].describe(Lang::En).contains("row 2") && r.problems[2].describe(Lang::En).contains("imported together"), "{}", r.problems[2]);
    }

    #[test]
    fn lenient_drops_rows_that_refer_to_dropped_rows_until_nothing_changes() {
        let text = en(&[
            "J1,Bad junior,junior,urban,100,10,6,2,1,500,800,oops,3,",
            "P1,Feeds J1,primary,urban,100,10,6,2,1,500,800,200000,3,J1",
            "N2,Nine,primary,urban,100,10,6,2,1,500,800,200000,3,J1",
            "N2,Nine,junior,urban,100,10,6,2,1,500,800,200000,3,",
            "P3,Feeds N2,primary,urban,100,10,6,2,1,500,800,200000,3,N2",
            "P4,Fine,primary,urban,100,10,6,2,1,500,800,200000,3,",
        ]);
        // Strictly: one problem only; the references to J1 are not piled on.
        let strict = problems(&text, Lang::En);
        assert_eq!(strict.len(), 1, "{strict:#?}");
        let r = lenient(&text);
        assert_eq!(ids(&r.roster), vec![("P4", Level::Primary)]);
        assert_eq!(r.dropped_rows, vec![2, 3, 4, 5, 6]);
        let why: Vec<_> = r.problems.iter().map(|p| (p.place.row(), p.describe(Lang::En))).collect();
        assert_eq!(
            why.iter().map(|(row, text)| (*row, text.as_str())).collect::<Vec<_>>(),
            vec![
                (Some(2), "must be a number ≥ 0, got \"oops\""),
                (Some(3), "feeds \"J1\", whose junior row was dropped; dropped too"),
                (Some(4), "feeds \"J1\", whose junior row was dropped; dropped too"),
                (Some(5), "dropped with row 4: both rows are school \"N2\", and a school's rows are imported together"),
                (Some(6), "feeds \"N2\", whose junior row was dropped; dropped too"),
            ]
        );
        // Pairing with a dropped school drops the row too, in Chinese as well.
        let head = "school_id,level,students,qualified_teachers,backbone_teachers,pe_art_teachers,teaching_space_m2,sports_space_m2,equipment_yuan,multimedia_rooms,strong_school,paired_with";
        let text = format!("{head}\nS1,junior,10,1,1,1,1,1,1,1,是,S2\nS2,junior,10,1,1,1,1,1,-1,1,否,\nS3,junior,10,1,1,1,1,1,1,1,否,\n");
        let r = RosterFile::Csv(text).parse(Lang::Zh, ParseMode::DropBadRows);
        assert_eq!(ids(&r.roster), vec![("S3", Level::Junior)]);
        assert_eq!(r.problems.last().map(|p| p.text(Lang::Zh)), Some("第 2 行：结对学校「S2」已略去，本行一并略去".to_owned()));
    }

    #[test]
    fn lenient_imports_nothing_when_the_header_is_wrong() {
        for text in [
            format!("{EN_HEADER},colour\nP1,A,primary,urban,100,10,6,2,1,500,800,200000,3,,red\n"),
            format!("{EN_HEADER},\nP1,A,primary,urban,100,10,6,2,1,500,800,200000,3,,oops\n"),
            "school_id,level\nP1,primary\n".to_owned(),
            String::new(),
        ] {
            let r = lenient(&text);
            assert!(r.roster.schools.is_empty() && !r.problems.is_empty(), "{text}");
            assert_eq!(r.dropped_rows, if text.contains("P1") { vec![2] } else { vec![] });
        }
    }

    #[test]
    fn an_unterminated_quote_is_reported_where_it_starts() {
        // Row 3's name opens a quote that never closes: the csv crate reads
        // the rest of the file into that cell.
        let text = en(&[
            "P1,示例,primary,urban,100,10,6,2,1,500,800,200000,3,",
            "P2,\"示例 2,primary,urban,100,10,6,2,1,500,800,200000,3,",
            "P3,示例 3,primary,urban,100,10,6,2,1,500,800,200000,3,",
        ]);
        let p = one_problem(&text, Some(3), Some("name"));
        assert!(p.describe(Lang::En).contains("unterminated quote starting in row 3 (line 3 of the file)"), "{p}");
        assert!(p.describe(Lang::Zh).contains("第 3 行（文件第 3 行）起的引号"), "{}", p.describe(Lang::Zh));
        // Quoted line breaks move the line, not the row.
        let text = en(&[
            "P1,\"示例\n一\",primary,urban,100,10,6,2,1,500,800,200000,3,",
            "P2,示例,primary,urban,100,10,6,2,1,500,800,200000,3,\"P1",
        ]);
        let p = one_problem(&text, Some(3), Some("feeds"));
        assert!(p.describe(Lang::En).contains("starting in row 3 (line 4 of the file)"), "{p}");
        // Escaped quotes and quotes inside a field are not openings.
        assert!(unterminated_quote("a,\"b \"\"c\"\"\",d\"e\n", b',').is_none());
        assert_eq!(unterminated_quote("a\n\"b\r\n", b','), Some(2));
    }

    #[test]
    fn csv_bytes_in_gbk_read_as_utf8_does_and_say_so() {
        let text = en(&["P1,示例,primary,urban,100,10,6,2,1,500,800,200000,3,"]);
        assert_eq!(parse_roster_csv_bytes(text.as_bytes(), Lang::Zh), parse_roster_csv(&text, Lang::Zh));
        // "示例" in GBK (which Excel on Chinese Windows writes for "CSV").
        let mut gbk = text.replace("示例", "").into_bytes();
        let at = text.find("\nP1,").unwrap() + 4;
        gbk.splice(at..at, [0xCA, 0xBE, 0xC0, 0xFD]);
        assert!(std::str::from_utf8(&gbk).is_err());
        assert_eq!(parse_roster_csv_bytes(&gbk, Lang::Zh), parse_roster_csv(&text, Lang::Zh));
        let m = RosterFile::CsvBytes(gbk).parse(Lang::Zh, ParseMode::Strict).mapping;
        assert_eq!(m.encoding, Some(layout::Encoding::Gb18030));
        let said: Vec<&str> = m.unusual().map(|n| n.en.as_str()).collect();
        assert_eq!(said, ["Encoding: GB18030/GBK (detected; not UTF-8)"]);
    }

    /// An official form: a title and a blank row above a two-row header
    /// (group headings over several columns, units in brackets, a 序号
    /// column), a column-number row, a totals row and a note under the table.
    #[test]
    fn official_layout_reads_as_the_plain_file() {
        let plain = en(&["P1,示例,primary,urban,100,10,6,2,1,500,800,200000,3,"]);
        let official = "\
XX区义务教育学校基本情况统计表,,,,,,,,,,,,,,
,,,,,,,,,,,,,,
序号,学校标识码,学校名称,学段,城乡,在校学生数（人）,教师（人）,,,,办学条件,,,,对口初中
,,,,,,专任教师,高于规定学历教师数,县级以上骨干教师数,体育艺术专任教师数,教学及辅助用房面积（平方米）,体育运动场馆面积,教学仪器设备值（万元）,网络多媒体教室数（间）,
甲,乙,1,2,3,4,5,6,7,8,9,10,11,12,13
1,P1,示例,primary,urban,100,10,6,2,1,500,800,20,3,
,合计,,,,100,10,6,2,1,500,800,20,3,
注：数据截至 2024 年 9 月,,,,,,,,,,,,,,
";
        let r = RosterFile::Csv(official.into()).parse(Lang::Zh, ParseMode::Strict);
        assert_eq!(r.problems, vec![], "{:?}", r.mapping.decisions);
        assert_eq!(Ok(r.roster), parse_roster_csv(&plain, Lang::Zh));
        let m = r.mapping;
        assert_eq!(m.header_rows, [3, 4]);
        assert_eq!(m.skipped_rows.iter().map(|s| s.row).collect::<Vec<_>>(), [1, 5, 7, 8]);
        let field = |c: &str| m.columns.iter().find(|x| x.column == c).and_then(|x| x.field.clone());
        assert_eq!((field("A"), field("B"), field("G"), field("M")), (None, Some("school_id".into()), Some("teachers".into()), Some("equipment_yuan".into())));
        let said: Vec<&str> = m.unusual().map(|n| n.en.as_str()).collect();
        for expected in [
            "Two-row header: rows 3–4 (group headings in row 3, names in row 4; a name merged over both rows is read from row 3)",
            "row 1: above the header (a title or note: \"XX区义务教育学校基本情况统计表\"), left aside",
            "row 3: \"教师（人）\" is the group heading of columns G–J, not a field",
            "column M \"办学条件 / 教学仪器设备值（万元）\" → equipment_yuan (教学仪器设备值(元)): matched without the unit \"万元\"; values multiplied by 10000",
            "row 7: is a totals row (\"合计\"), left aside",
            "row 8: is a note under the table (\"注：数据截至 2024 年 9 月\"), left aside",
            "row 5: numbers the columns (甲, 乙, 1, 2, 3 …), left aside",
            "column A \"序号\" is not a roster field (a row number, remarks), left aside",
        ] {
            assert!(said.contains(&expected), "{expected}\nin {said:#?}");
        }
    }

    /// Units in a row of their own under the header (计量单位), as some
    /// statistics forms write them: 万元 is converted, the row is no school.
    #[test]
    fn a_units_row_gives_the_units_of_the_columns_above() {
        let plain = en(&["P1,示例,primary,urban,100,10,6,2,1,500,800,200000,3,"]);
        let units = format!("{EN_HEADER}\n计量单位,,,,人,人,人,人,人,平方米,（平方米）,万元,间,\nP1,示例,primary,urban,100,10,6,2,1,500,800,20,3,");
        let r = RosterFile::Csv(units).parse(Lang::Zh, ParseMode::Strict);
        assert_eq!(Ok(r.roster), parse_roster_csv(&plain, Lang::Zh), "{:?}", r.problems);
        let said: Vec<&str> = r.mapping.unusual().map(|n| n.en.as_str()).collect();
        assert_eq!(said, ["column L (equipment_yuan) is in 万元 (row 2): values multiplied by 10000", "row 2: gives the columns' units, left aside"]);
        let wrong = format!("{EN_HEADER}\n计量单位,,,,人,人,人,人,人,亩,平方米,元,间,\nP1,示例,primary,urban,100,10,6,2,1,500,800,20,3,");
        let p = problems(&wrong, Lang::En);
        assert_eq!(p.len(), 1, "{p:?}");
        assert_eq!((p[0].place.row(), p[0].place.column()), (Some(2), Some("teaching_space_m2")));
    }

    #[test]
    fn a_unit_an_area_or_money_column_does_not_take_is_refused() {
        let text = EN_HEADER.replace("teaching_space_m2", "教学及辅助用房面积(亩)") + "\nP1,示例,primary,urban,100,10,6,2,1,500,800,200000,3,";
        let p = problems(&text, Lang::En);
        assert_eq!(p.len(), 1, "{p:?}");
        assert_eq!(p[0].place.column(), Some("教学及辅助用房面积(亩)"));
        assert!(p[0].describe(Lang::En).contains("the unit \"亩\" is not one this column (teaching_space_m2) takes"), "{}", p[0]);
    }

    #[test]
    fn grouped_digits_read_as_numbers() {
        assert_eq!(grouped_number("1,200,000"), Some(1_200_000.0));
        assert_eq!(grouped_number("12,500.5"), Some(12_500.5));
        for bad in ["1,20", "1200,000", ",100", "1,2,3", "12", "a,bcd"] {
            assert_eq!(grouped_number(bad), None, "{bad}");
        }
    }

    #[test]
    fn columns_table_is_consistent() {
        let keys: BTreeSet<_> = COLUMNS.iter().map(|c| c.0).collect();
        let zh: BTreeSet<_> = COLUMNS.iter().map(|c| normalize_header(c.1)).collect();
        assert_eq!(keys.len(), NCOL);
        assert_eq!(zh.len(), NCOL);
        for (key, h, _) in COLUMNS {
            assert_eq!(lookup_header(key), Some(idx(key)));
            assert_eq!(lookup_header(h), Some(idx(key)));
        }
        assert_eq!(column_letter(0), "A");
        assert_eq!(column_letter(25), "Z");
        assert_eq!(column_letter(26), "AA");
        assert_eq!(column_letter(27 * 26), "AAA");
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
pub(super) mod props {
    use super::*;
    use proptest::prelude::*;

    fn count() -> impl Strategy<Value = f64> {
        (0u32..5000).prop_map(f64::from)
    }

    fn amount() -> impl Strategy<Value = f64> {
        prop_oneof![(0u32..100_000).prop_map(f64::from), (0.0f64..1e9), Just(0.1), Just(1e-7)]
    }

    /// Trimmed, non-empty text that stresses CSV quoting.
    fn text() -> impl Strategy<Value = String> {
        "[a-zA-Z0-9示例学校,\"' \n;=+@-]{1,12}".prop_filter_map("non-empty after trim", |s| {
            let t = s.trim().to_owned();
            (!t.is_empty()).then_some(t)
        })
    }

    fn school() -> impl Strategy<Value = School> {
        // A small id pool, so nine-year pairs, feeds and pairings are common.
        let ids = "[AB][12]";
        let a = (ids, text(), prop::bool::ANY, prop::bool::ANY, prop::option::of(text()), prop::array::uniform9(count()));
        let b = (count(), count(), count(), count(), count(), count(), amount(), amount(), amount(), count(), count(), count());
        let c = (
            0u8..3,
            prop::option::of(1949i32..=2100),
            prop::bool::ANY,
            prop::option::of(ids),
            0u8..3,
            prop::option::of(1949i32..=2100),
            prop::collection::vec(ids, 0..3),
        );
        (a, b, c).prop_map(|(a, b, c)| {
            let (school_id, name, junior, rural, group, grades) = a;
            let (classes, teachers, q, bb, pe, senior, teach, sports, equip, mm, capacity, science) = b;
            let (nq, nq_since, strong, paired, ps, ps_start, feeds) = c;
            let level = if junior { Level::Junior } else { Level::Primary };
            let mut students = [0.0; GRADES];
            for g in level.grades() {
                students[g] = grades[g];
            }
            // teachers is 0 (unknown) or at least every sub-count.
            let teachers = if teachers < 2500.0 { 0.0 } else { teachers.max(q).max(bb).max(pe).max(senior).max(science) };
            School {
                school_id,
                name,
                level,
                area: if rural { Area::Rural } else { Area::Urban },
                district_group: group.unwrap_or_default(),
                students,
                classes,
                teachers,
                qualified_teachers: q,
                backbone_teachers: bb,
                pe_art_teachers: pe,
                senior_teachers: senior,
                // Often zero, so rosters without the optional column round-trip too.
                science_teachers: if science < 2500.0 { 0.0 } else { science },
                teaching_space_m2: teach,
                sports_space_m2: sports,
                equipment_yuan: equip,
                multimedia_rooms: mm,
                capacity,
                new_quality: [NewQuality::None, NewQuality::District, NewQuality::Municipal][nq as usize],
                new_quality_since: nq_since,
                strong_school: strong,
                paired_with: paired,
                project_status: [ProjectStatus::None, ProjectStatus::Active, ProjectStatus::Completed][ps as usize],
                project_start: ps_start,
                feeds,
                location: None,
            }
        })
    }

    /// Brings each value the bounds of [`crate::roster::implausible`] refuse
    /// back into range (to 0, which every bound allows, or to 5 m² a pupil
    /// of teaching space), so the generated rosters are valid ones.
    fn make_plausible(s: &mut School) {
        for g in &mut s.students {
            *g %= 4000.0;
        }
        for _ in 0..4 {
            let found = crate::roster::implausible(s);
            if found.is_empty() {
                return;
            }
            for b in found {
                let pupils = s.enrollment();
                let v = match b.column {
                    "classes" => &mut s.classes,
                    "teachers" => &mut s.teachers,
                    "qualified_teachers" => &mut s.qualified_teachers,
                    "backbone_teachers" => &mut s.backbone_teachers,
                    "pe_art_teachers" => &mut s.pe_art_teachers,
                    "senior_teachers" => &mut s.senior_teachers,
                    "science_teachers" => &mut s.science_teachers,
                    "teaching_space_m2" => {
                        s.teaching_space_m2 = 5.0 * pupils;
                        continue;
                    }
                    "sports_space_m2" => &mut s.sports_space_m2,
                    "equipment_yuan" => &mut s.equipment_yuan,
                    "multimedia_rooms" => &mut s.multimedia_rooms,
                    "capacity" => &mut s.capacity,
                    other => unreachable!("{other} is out of range after the grade cap"),
                };
                *v = 0.0;
            }
        }
        assert_eq!(crate::roster::implausible(s), []);
    }

    /// A valid roster: unique (id, level), references only to existing rows,
    /// plausible values, nine-year rows that agree.
    pub(in crate::roster) fn roster() -> impl Strategy<Value = Roster> {
        prop::collection::vec(school(), 1..8).prop_map(|mut schools| {
            let mut seen = BTreeSet::new();
            schools.retain(|s| seen.insert((s.school_id.clone(), s.level)));
            let ids: BTreeSet<String> = schools.iter().map(|s| s.school_id.clone()).collect();
            let juniors: BTreeSet<String> =
                schools.iter().filter(|s| s.level == Level::Junior).map(|s| s.school_id.clone()).collect();
            for s in &mut schools {
                s.feeds.retain(|f| juniors.contains(f));
                s.paired_with = s.paired_with.take().filter(|p| ids.contains(p));
                make_plausible(s);
            }
            // A nine-year school's rows agree on what describes the school.
            let mut first: BTreeMap<String, School> = BTreeMap::new();
            for s in &mut schools {
                match first.get(&s.school_id) {
                    Some(f) => {
                        (s.name, s.area, s.district_group) = (f.name.clone(), f.area, f.district_group.clone());
                        (s.new_quality, s.new_quality_since, s.project_status, s.project_start) =
                            (f.new_quality, f.new_quality_since, f.project_status, f.project_start);
                    }
                    None => {
                        first.insert(s.school_id.clone(), s.clone());
                    }
                }
            }
            Roster { schools }
        })
    }

    /// CSV-shaped input: real headers (sometimes repeated or misspelt) and
    /// cells drawn from values that exercise every check.
    fn csv_like() -> impl Strategy<Value = String> {
        let header = prop::collection::vec(
            prop_oneof![
                (0..NCOL).prop_map(|i| COLUMNS[i].0.to_owned()),
                (0..NCOL).prop_map(|i| COLUMNS[i].1.to_owned()),
                Just(String::new()),
                "[a-z_]{1,6}",
            ],
            0..14,
        );
        let cell = prop::sample::select(vec![
            "", "0", "-1", "3.5", "1e400", "NaN", "100", "primary", "junior", "初中", "urban", "是", "2020",
            "A", "B;A", "\"q,\"\"x\"", "\u{feff}", "区级",
        ]);
        let rows = prop::collection::vec(prop::collection::vec(cell, 0..16), 0..6);
        (header, rows).prop_map(|(h, rows)| {
            let mut s = h.join(",");
            for r in rows {
                s.push('\n');
                s.push_str(&r.join(","));
            }
            s
        })
    }

    /// Cell values that break a rule, or are fine, or refer to schools.
    pub(in crate::roster) const CELLS: &[&str] = &[
        "", "0", "-1", "3.5", "1e400", "NaN", "100", "primary", "junior", "初中", "urban", "是", "2020", "A1", "B2",
        "A1;B2", "q,\"x", "区级", "#N/A", "<script>alert(1)</script>",
    ];

    /// A valid roster's CSV with a few cells overwritten: files that are
    /// mostly right, as real ones are, so the lenient mode has rows to keep.
    fn corrupted_roster_csv() -> impl Strategy<Value = String> {
        let edits = prop::collection::vec((any::<prop::sample::Index>(), any::<prop::sample::Index>(), prop::sample::select(CELLS)), 0..4);
        (roster(), edits).prop_map(|(roster, edits)| {
            let csv = roster_to_csv(&roster);
            let mut rows: Vec<Vec<String>> = csv::ReaderBuilder::new()
                .has_headers(false)
                .from_reader(csv.as_bytes())
                .records()
                .map(|r| r.unwrap().iter().map(str::to_owned).collect())
                .collect();
            for (r, c, v) in edits {
                let r = 1 + r.index(rows.len() - 1);
                let c = c.index(rows[r].len());
                rows[r][c] = v.to_owned();
            }
            // The cells are already as written (guarded), so they go back raw.
            write_csv(rows[0].clone(), rows[1..].iter().map(|r| r.iter().cloned().map(CsvCell::Number).collect()))
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]

        /// The rows the lenient mode keeps always form a roster that reads
        /// back without problems, and every data row is kept or dropped.
        #[test]
        fn lenient_keeps_a_clean_roster(s in prop_oneof![corrupted_roster_csv(), csv_like()]) {
            let strict = RosterFile::Csv(s.clone()).parse(Lang::En, ParseMode::Strict);
            let r = RosterFile::Csv(s.clone()).parse(Lang::En, ParseMode::DropBadRows);
            prop_assert!(r.problems.starts_with(&strict.problems));
            prop_assert_eq!(r.problems.is_empty(), strict.problems.is_empty());
            if r.problems.is_empty() {
                prop_assert_eq!(&r.roster, &strict.roster);
            }
            if !r.roster.schools.is_empty() {
                prop_assert_eq!(parse_roster_csv(&roster_to_csv(&r.roster), Lang::En), Ok(r.roster.clone()));
            }
            // Unless nothing could be imported, every dropped row has a problem of its own.
            for row in &r.dropped_rows {
                prop_assert!(r.roster.schools.is_empty() || r.problems.iter().any(|p| p.place.row() == Some(*row)), "row {} dropped silently", row);
            }
        }

        #[test]
        fn never_panics_on_arbitrary_csv_bytes(b in prop::collection::vec(any::<u8>(), 0..400), lang in prop::bool::ANY) {
            let lang = if lang { Lang::En } else { Lang::Zh };
            let _ = parse_roster_csv_bytes(&b, lang);
            let _ = RosterFile::from_upload("roster.csv", b).parse(lang, ParseMode::DropBadRows);
        }

        #[test]
        fn roster_to_csv_round_trips(roster in roster()) {
            let csv = roster_to_csv(&roster);
            prop_assert!(roster.schools.iter().all(|s| s.feeds.iter().all(|f| roster.position(f, Level::Junior).is_some())));
            prop_assert_eq!(parse_roster_csv(&csv, Lang::En), Ok(roster));
        }

        #[test]
        fn never_panics_on_arbitrary_text(s in any::<String>(), lang in prop::bool::ANY) {
            let _ = parse_roster_csv(&s, if lang { Lang::En } else { Lang::Zh });
        }

        #[test]
        fn never_panics_on_arbitrary_bytes(b in prop::collection::vec(any::<u8>(), 0..400)) {
            let _ = parse_roster_csv(&String::from_utf8_lossy(&b), Lang::Zh);
        }

        #[test]
        fn never_panics_on_csv_like_input(s in csv_like()) {
            // Every failure names a row or a column, or is a file-level problem.
            if let Err(problems) = parse_roster_csv(&s, Lang::En) {
                prop_assert!(!problems.is_empty());
                for p in problems {
                    prop_assert!(!p.to_string().is_empty());
                }
            }
        }
    }
}
