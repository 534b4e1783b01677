//! Rosters as bureaus keep them (issue 17): the text encoding of a CSV
//! file, the header among title and note rows (one row, or two with group
//! headings over several columns), units in header names, and what the
//! reader made of it all as data, a [`Mapping`], worded in both languages,
//! so the import dialog can show every decision before anything is applied
//! and the CLI can say the unusual ones on stderr.
//!
//! ## Encodings
//!
//! Detection is deterministic and never guesses between two readings: a
//! byte-order mark first (UTF-8, UTF-16 LE, UTF-16 BE: Excel's "Unicode
//! text" is UTF-16 LE with one); else text that is valid UTF-8 is UTF-8;
//! else GB18030, the superset of GBK that Excel on Chinese Windows writes
//! for "CSV". A file that is none of these is refused, saying so. A file
//! whose header holds tabs and no commas is tab-separated (Excel's
//! "Unicode text").
//!
//! ## The header
//!
//! The first [`HEADER_SCAN`] rows are scanned for the row, or the pair of
//! rows, whose names match the most roster columns; title and note rows above
//! it are left aside. A header name matches a column by its Chinese name or
//! English key, or by the name before a bracket (`专任教师数(人)`,
//! `教学及辅助用房面积（平方米）`), or by a few names statistics forms use
//! (学校标识码, 在校学生数, 班数, …). In a two-row header a cell in the upper
//! row with names under it is a group heading (`教师（人）` over five
//! columns); a grade under a pupils' heading (`一年级` under `各年级学生数`)
//! is that grade's pupils. Money in 万元 or 千元 and areas in 万平方米 are
//! converted; another unit on an area or money column is refused.

use std::borrow::Cow;

use serde::{Deserialize, Serialize};

use crate::i18n::Lang;
use crate::message::{Problem, Text};

/// Rows from the top of a sheet searched for the header.
pub const HEADER_SCAN: usize = 20;

/// Fewest roster columns a header must name to be taken for one (below it
/// the first row is the header, and its unknown names are reported).
pub const MIN_FIELDS: usize = 3;

/// A sentence in both languages: a [`Text`] that serialises (the Excel
/// worker sends a [`Mapping`] to the page as JSON).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Note {
    /// Simplified Chinese.
    pub zh: String,
    /// English.
    pub en: String,
}

impl Note {
    /// The sentence in `lang`.
    pub fn get(&self, lang: Lang) -> &str {
        lang.pick(&self.zh, &self.en)
    }

    /// As a [`Text`].
    pub fn text(&self) -> Text {
        Text::new(self.zh.clone(), self.en.clone())
    }
}

impl From<Text> for Note {
    fn from(t: Text) -> Note {
        Note { zh: t.zh, en: t.en }
    }
}

/// The text encoding a CSV file was read in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Encoding {
    /// UTF-8 without a byte-order mark.
    Utf8,
    /// UTF-8 with a byte-order mark (Excel's "CSV UTF-8", the template).
    Utf8Bom,
    /// UTF-16 little-endian with a byte-order mark (Excel's "Unicode text").
    Utf16Le,
    /// UTF-16 big-endian with a byte-order mark.
    Utf16Be,
    /// GB18030, which includes GBK and GB2312 (Excel's "CSV" on Chinese Windows).
    Gb18030,
}

impl Encoding {
    /// The encoding's name as a planner knows it.
    pub fn label(self) -> &'static str {
        match self {
            Encoding::Utf8 => "UTF-8",
            Encoding::Utf8Bom => "UTF-8 (BOM)",
            Encoding::Utf16Le => "UTF-16 LE",
            Encoding::Utf16Be => "UTF-16 BE",
            Encoding::Gb18030 => "GB18030/GBK",
        }
    }

    /// Whether this is UTF-8, with or without a byte-order mark: what the
    /// app writes, needing no mention.
    pub fn is_plain_utf8(self) -> bool {
        matches!(self, Encoding::Utf8 | Encoding::Utf8Bom)
    }
}

/// A worksheet of a workbook.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SheetInfo {
    /// The sheet's name (its tab).
    pub name: String,
    /// Whether its first rows hold a roster-shaped table: a header naming
    /// the school id and at least [`MIN_FIELDS`] roster columns.
    pub roster: bool,
}

/// One column of the header, and the roster field it became.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MappedColumn {
    /// The spreadsheet column letter (A, B, …).
    pub column: String,
    /// The header as written (`group / name` under a group heading).
    pub header: String,
    /// The field's key (as in the English header), or `None` when the
    /// column is left aside or unknown.
    pub field: Option<String>,
    /// How the name was matched, or why the column is left aside.
    pub how: Note,
}

/// A row the reader left aside, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SkippedRow {
    /// The spreadsheet row number.
    pub row: usize,
    /// Why (a title above the header, a totals row, …).
    pub why: Note,
}

/// One decision the reader took, worded; `usual` when a plain file (UTF-8,
/// one sheet, the header in row 1 with the template's names) gets it too.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Decision {
    /// The decision in both languages.
    pub note: Note,
    /// Whether it is what every plain file gets (the CLI says only the others).
    pub usual: bool,
}

/// How a roster file was read: every decision, as data, before anything is
/// applied.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Mapping {
    /// The encoding of a CSV file (`None` for a workbook).
    pub encoding: Option<Encoding>,
    /// Whether a CSV file is tab-separated (Excel's "Unicode text").
    pub tab_separated: bool,
    /// The worksheet read (`None` for CSV, or when none could be chosen).
    pub sheet: Option<String>,
    /// Every visible worksheet of a workbook, in order (empty for CSV).
    pub sheets: Vec<SheetInfo>,
    /// The header row, or the two header rows (group headings above the names).
    pub header_rows: Vec<usize>,
    /// Each named column of the header, in order.
    pub columns: Vec<MappedColumn>,
    /// Rows left aside: above the header, totals, notes, column numbers, blank.
    pub skipped_rows: Vec<SkippedRow>,
    /// Every decision, worded, in order: encoding, sheet, header, columns, rows.
    pub decisions: Vec<Decision>,
}

impl Mapping {
    /// The decisions a plain file would not get (a non-UTF-8 encoding, a
    /// sheet chosen among several, a header below row 1, …): what the CLI
    /// says on stderr.
    pub fn unusual(&self) -> impl Iterator<Item = &Note> {
        self.decisions.iter().filter(|d| !d.usual).map(|d| &d.note)
    }

    pub(super) fn decide(&mut self, usual: bool, note: Note) {
        self.decisions.push(Decision { note, usual });
    }

    /// Names of the sheets holding a roster.
    pub fn roster_sheets(&self) -> Vec<&str> {
        self.sheets.iter().filter(|s| s.roster).map(|s| s.name.as_str()).collect()
    }
}

/// The text of a CSV file and the encoding it was read in.
///
/// # Errors
///
/// A problem naming the encoding when the bytes are not valid in the one a
/// byte-order mark declares, or are neither UTF-8 nor GB18030.
pub(super) fn decode(bytes: &[u8]) -> Result<(Cow<'_, str>, Encoding), Box<Problem>> {
    if let Some((enc, bom)) = encoding_rs::Encoding::for_bom(bytes) {
        let which = if enc == encoding_rs::UTF_8 {
            Encoding::Utf8Bom
        } else if enc == encoding_rs::UTF_16LE {
            Encoding::Utf16Le
        } else {
            Encoding::Utf16Be
        };
        return enc.decode_without_bom_handling_and_without_replacement(&bytes[bom..]).map(|t| (t, which)).ok_or_else(|| {
            let name = which.label();
            Box::new(Problem::whole(Text::new(
                format!("文件以 {name} 的字节顺序标记开头，内容却不是有效的 {name} 文本（文件可能已损坏）。请在 Excel 中另存为「CSV UTF-8（逗号分隔）」。"),
                format!("the file starts with a {name} byte-order mark but is not valid {name} text (it may be damaged). In Excel, save it as \"CSV UTF-8 (Comma delimited)\"."),
            )))
        });
    }
    if let Ok(text) = std::str::from_utf8(bytes) {
        return Ok((Cow::Borrowed(text), Encoding::Utf8));
    }
    encoding_rs::GB18030.decode_without_bom_handling_and_without_replacement(bytes).map(|t| (t, Encoding::Gb18030)).ok_or_else(|| {
        Box::new(Problem::whole(Text::new(
            "无法识别文件的编码：既不是 UTF-8 / UTF-16，也不是 GBK/GB18030 文本。请在 Excel 中另存为「CSV UTF-8（逗号分隔）」或「Excel 工作簿 (.xlsx)」。",
            "cannot tell the file's encoding: it is neither UTF-8/UTF-16 nor GBK/GB18030 text. In Excel, save it as \"CSV UTF-8 (Comma delimited)\" or as an Excel workbook (.xlsx).",
        )))
    })
}

/// The delimiter of CSV `text`: a tab when the first rows' widest line has
/// more tabs than any of them has commas (Excel's "Unicode text"), else a
/// comma. Deterministic: counts only.
pub(super) fn delimiter(text: &str) -> u8 {
    let lines = text.lines().take(HEADER_SCAN);
    let (mut tabs, mut commas) = (0usize, 0usize);
    for l in lines {
        tabs = tabs.max(l.bytes().filter(|b| *b == b'\t').count());
        commas = commas.max(l.bytes().filter(|b| *b == b',').count());
    }
    if tabs > commas {
        b'\t'
    } else {
        b','
    }
}

/// How a header name matched its field.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum How {
    /// The template's Chinese name or the English key.
    Exact,
    /// The name before a bracketed unit (the unit as written).
    Unit(String),
    /// Another name statistics forms use for the column.
    Alias,
    /// A grade under a pupils' group heading, or a name completed by its
    /// group heading.
    Group(String),
}

/// Columns every roster form may carry that hold nothing for the roster
/// (a row number, remarks): left aside, and said so.
const IGNORABLE: &[&str] = &["序号", "序", "编号序号", "备注", "说明", "no", "no.", "#", "remark", "remarks", "note", "notes"];

/// Whether a (normalised) header names a column left aside.
pub(super) fn ignorable(normalized: &str) -> bool {
    IGNORABLE.contains(&normalized)
}

/// Names statistics forms use, by field key (compared normalised, without
/// units).
pub(super) const ALIASES: &[(&str, &[&str])] = &[
    ("school_id", &["学校标识码", "学校编码", "学校编号", "学校代码号"]),
    ("name", &["校名", "学校全称"]),
    ("level", &["学校学段"]),
    ("district_group", &["学区", "集团", "所属学区", "所属集团", "学区集团"]),
    ("students", &["在校学生数", "学生数", "在校生"]),
    ("classes", &["班数", "教学班数", "班级"]),
    ("teachers", &["专任教师"]),
    ("multimedia_rooms", &["网络多媒体教室"]),
    ("capacity", &["学位", "核定学位数"]),
];

/// The grade (0-based) a bare grade name stands for: 一年级 … 九年级, 1年级 … 9年级.
pub(super) fn bare_grade(normalized: &str) -> Option<usize> {
    const ZH: [&str; 9] = ["一", "二", "三", "四", "五", "六", "七", "八", "九"];
    let head = normalized.strip_suffix("年级").or_else(|| normalized.strip_suffix("年级人数")).or_else(|| normalized.strip_suffix("年级学生"))?;
    ZH.iter().position(|z| *z == head).or_else(|| head.parse::<usize>().ok().filter(|g| (1..=9).contains(g)).map(|g| g - 1))
}

/// Whether a group heading is about pupils (so a bare grade under it is that
/// grade's pupils).
pub(super) fn pupils_heading(normalized: &str) -> bool {
    ["学生", "在校生", "人数", "student", "pupil"].iter().any(|w| normalized.contains(w))
}

/// A header cell's text for comparison: no white space, full-width brackets
/// as ASCII ones, lower case.
pub(super) fn normalize(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| match c {
            '（' => '(',
            '）' => ')',
            '【' | '〔' | '［' => '[',
            '】' | '〕' | '］' => ']',
            c => c.to_ascii_lowercase(),
        })
        .collect()
}

/// A normalised name without its bracketed parts, and the first bracket's
/// content (a unit, usually): `教师数(人)` → (`教师数`, `人`).
pub(super) fn without_unit(n: &str) -> (String, Option<String>) {
    let (mut base, mut unit, mut depth, mut inside) = (String::new(), None::<String>, 0usize, String::new());
    for c in n.chars() {
        match c {
            '(' | '[' => {
                depth += 1;
                if depth == 1 {
                    inside.clear();
                }
            }
            ')' | ']' if depth > 0 => {
                depth -= 1;
                if depth == 0 && unit.is_none() && !inside.is_empty() {
                    unit = Some(inside.clone());
                }
            }
            c if depth > 0 => inside.push(c),
            c => base.push(c),
        }
    }
    if base.is_empty() {
        (n.to_owned(), None)
    } else {
        (base, unit)
    }
}

/// The factor a unit written in an area or money column's header scales
/// its values by, or `None` when the unit is not one of that column's.
pub(super) fn unit_scale(key: &str, unit: &str) -> Option<f64> {
    let area = ["平方米", "平米", "m2", "m²", "㎡", "平方", "sqm", "sq.m."];
    match key {
        "teaching_space_m2" | "sports_space_m2" => {
            if area.contains(&unit) {
                Some(1.0)
            } else if unit == "万平方米" || unit == "万㎡" || unit == "万m2" {
                Some(1e4)
            } else {
                None
            }
        }
        "equipment_yuan" => match unit {
            "元" | "yuan" | "rmb" | "cny" | "人民币元" => Some(1.0),
            "千元" => Some(1e3),
            "万元" => Some(1e4),
            _ => None,
        },
        _ => Some(1.0),
    }
}

/// One header row, or two, as the reader takes them.
#[derive(Debug, Clone, Default)]
pub(super) struct HeaderRows {
    /// Index into the grid's rows of the header's last (lower) row.
    pub(super) at: usize,
    /// Spreadsheet rows of the header, upper first.
    pub(super) rows: Vec<usize>,
    /// Each column's name as matched (the lower cell, or the upper one
    /// above an empty lower cell), trimmed.
    pub(super) names: Vec<String>,
    /// Each column's group heading, in a two-row header.
    pub(super) groups: Vec<Option<String>>,
}

/// The header of `rows` (each a spreadsheet row number and its cells): the
/// row, or pair of rows, among the first [`HEADER_SCAN`] whose names match
/// the most roster columns (`count` counts them), at least [`MIN_FIELDS`];
/// else the first row. Ties go to one row over two, then to the earlier.
pub(super) fn find_header(rows: &[(usize, Vec<String>)], count: impl Fn(&HeaderRows) -> usize) -> HeaderRows {
    let scan = rows.len().min(HEADER_SCAN);
    let mut best: Option<(usize, HeaderRows)> = None;
    for i in 0..scan {
        let one = single(rows, i);
        let two = (i + 1 < scan).then(|| double(rows, i));
        for h in std::iter::once(one).chain(two) {
            let n = count(&h);
            if n >= MIN_FIELDS && best.as_ref().is_none_or(|(b, bh)| n > *b || (n == *b && h.rows.len() < bh.rows.len() && h.at <= bh.at)) {
                best = Some((n, h));
            }
        }
    }
    best.map(|(_, h)| h).unwrap_or_else(|| if rows.is_empty() { HeaderRows::default() } else { single(rows, 0) })
}

fn single(rows: &[(usize, Vec<String>)], i: usize) -> HeaderRows {
    let (row, cells) = &rows[i];
    HeaderRows { at: i, rows: vec![*row], names: cells.iter().map(|c| c.trim().to_owned()).collect(), groups: vec![None; cells.len()] }
}

/// Rows `i` (group headings and vertically merged names) and `i + 1` (names).
fn double(rows: &[(usize, Vec<String>)], i: usize) -> HeaderRows {
    let (upper_row, upper) = &rows[i];
    let (lower_row, lower) = &rows[i + 1];
    let width = upper.len().max(lower.len());
    let cell = |r: &Vec<String>, c: usize| r.get(c).map_or("", |v| v.trim()).to_owned();
    let (mut names, mut groups) = (Vec::with_capacity(width), Vec::with_capacity(width));
    let mut current: Option<String> = None;
    for c in 0..width {
        let (u, l) = (cell(upper, c), cell(lower, c));
        match (u.is_empty(), l.is_empty()) {
            // A name over both rows (merged vertically).
            (false, true) => {
                current = None;
                names.push(u);
                groups.push(None);
            }
            // A group heading starting over this column.
            (false, false) => {
                current = Some(u);
                names.push(l);
                groups.push(current.clone());
            }
            (true, false) => {
                names.push(l);
                groups.push(current.clone());
            }
            (true, true) => {
                names.push(String::new());
                groups.push(None);
            }
        }
    }
    HeaderRows { at: i + 1, rows: vec![*upper_row, *lower_row], names, groups }
}

/// Whether a row is a totals row: its school id, its name or its first
/// filled cell says 合计, 总计 or 小计 (or total).
pub(super) fn totals_label(cells: &[&str]) -> Option<String> {
    cells.iter().map(|c| c.trim()).filter(|c| !c.is_empty()).find_map(|c| {
        let n = normalize(c);
        let total = ["合计", "总计", "小计", "共计", "总数"].iter().any(|w| n.contains(w)) && n.chars().count() <= 12
            || ["total", "subtotal", "grandtotal", "sum"].contains(&n.trim_end_matches(':'));
        total.then(|| c.to_owned())
    })
}

/// Whether a row with one filled cell is a note under the table (注：…,
/// 填表人：…, 审核人, 数据来源, …).
pub(super) fn note_row(cells: &[String]) -> Option<String> {
    let mut filled = cells.iter().map(|c| c.trim()).filter(|c| !c.is_empty());
    let only = filled.next()?;
    if filled.next().is_some() {
        return None;
    }
    let n = normalize(only);
    let starts = ["注", "说明", "备注", "填表", "制表", "审核", "负责人", "单位负责人", "统计负责人", "数据来源", "报送", "联系电话", "note", "source"];
    starts.iter().any(|s| n.starts_with(s)).then(|| only.to_owned())
}

/// Units a statistics form writes in a row of its own under the header.
const UNITS: &[&str] = &[
    "人", "名", "个", "间", "所", "班", "台", "套", "元", "千元", "万元", "平方米", "平米", "m2", "m²", "㎡", "万平方米", "亩", "公顷",
    "年", "计量单位", "单位",
];

/// A cell of a units row as its unit (brackets off, normalised), if it is one.
pub(super) fn unit_cell(c: &str) -> Option<String> {
    let n = normalize(c);
    let n = n.strip_prefix('(').and_then(|x| x.strip_suffix(')')).unwrap_or(&n).to_owned();
    UNITS.contains(&n.as_str()).then_some(n)
}

/// Whether a row just under the header gives the columns' units
/// (计量单位: 人, 平方米, 万元 …): at least two filled cells, each a unit.
pub(super) fn units_row(cells: &[String]) -> bool {
    let filled: Vec<&str> = cells.iter().map(|c| c.trim()).filter(|c| !c.is_empty()).collect();
    filled.len() >= 2 && filled.iter().all(|c| unit_cell(c).is_some())
}

/// Whether a row just under the header numbers its columns (甲, 乙, 1, 2, 3 …),
/// as statistics forms do.
pub(super) fn column_numbers_row(cells: &[String]) -> bool {
    let filled: Vec<&str> = cells.iter().map(|c| c.trim()).filter(|c| !c.is_empty()).collect();
    if filled.len() < MIN_FIELDS {
        return false;
    }
    let mut next = None::<u32>;
    for c in filled {
        if ["甲", "乙", "丙", "丁", "戊", "己"].contains(&c) {
            continue;
        }
        let Ok(k) = c.parse::<u32>() else { return false };
        if next.is_some_and(|n| n != k) {
            return false;
        }
        next = Some(k + 1);
    }
    true
}

/// Spreadsheet columns `a`–`b` as a planner reads them (`E–I`, or `E`).
pub(super) fn span(a: &str, b: &str) -> String {
    if a == b {
        a.to_owned()
    } else {
        format!("{a}–{b}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detection_is_bom_then_utf8_then_gb18030() {
        let text = "学校代码,学段\nS1,小学\n";
        assert_eq!(decode(text.as_bytes()).unwrap(), (Cow::Borrowed(text), Encoding::Utf8));
        let bom = [&[0xEF, 0xBB, 0xBF][..], text.as_bytes()].concat();
        assert_eq!(decode(&bom).unwrap(), (Cow::Owned(text.to_owned()), Encoding::Utf8Bom));
        let le: Vec<u8> = [0xFF, 0xFE].into_iter().chain(text.encode_utf16().flat_map(u16::to_le_bytes)).collect();
        assert_eq!(decode(&le).unwrap().1, Encoding::Utf16Le);
        assert_eq!(decode(&le).unwrap().0, text);
        let be: Vec<u8> = [0xFE, 0xFF].into_iter().chain(text.encode_utf16().flat_map(u16::to_be_bytes)).collect();
        assert_eq!(decode(&be).unwrap(), (Cow::Owned(text.to_owned()), Encoding::Utf16Be));
        let (gbk, _, bad) = encoding_rs::GBK.encode(text);
        assert!(!bad);
        assert_eq!(decode(&gbk).unwrap(), (Cow::Owned(text.to_owned()), Encoding::Gb18030));
        // A lone lead byte at the end is neither UTF-8 nor GB18030.
        let p = decode(b"school_id\n\x81").unwrap_err();
        assert!(p.describe(Lang::En).contains("neither UTF-8"), "{p}");
        // A BOM over bytes that are not its encoding is refused, not patched.
        let p = decode(&[0xEF, 0xBB, 0xBF, 0xFF]).unwrap_err();
        assert!(p.describe(Lang::En).contains("UTF-8 (BOM) byte-order mark"), "{p}");
    }

    #[test]
    fn tabs_separate_when_the_header_has_more_tabs_than_commas() {
        assert_eq!(delimiter("a\tb\tc\n1\t2,5\t3\n"), b'\t');
        assert_eq!(delimiter("a,b,c\n1,2\t3,4\n"), b',');
        assert_eq!(delimiter("title\n\na\tb\n"), b'\t');
        assert_eq!(delimiter("only\n"), b',');
    }

    #[test]
    fn units_come_off_and_scale_area_and_money() {
        assert_eq!(without_unit(&normalize("教学仪器设备值（万元）")), ("教学仪器设备值".into(), Some("万元".into())));
        assert_eq!(without_unit(&normalize("专任教师数 (人)")), ("专任教师数".into(), Some("人".into())));
        assert_eq!(without_unit("(人)"), ("(人)".into(), None));
        assert_eq!(unit_scale("equipment_yuan", "万元"), Some(1e4));
        assert_eq!(unit_scale("teaching_space_m2", "亩"), None);
        assert_eq!(unit_scale("teachers", "人"), Some(1.0));
    }

    #[test]
    fn totals_notes_and_column_numbers_are_recognised() {
        assert_eq!(totals_label(&["", "全区合计"]), Some("全区合计".into()));
        assert_eq!(totals_label(&["总 计"]), Some("总 计".into()));
        assert_eq!(totals_label(&["S001", "示例小学"]), None);
        let cells = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(note_row(&cells(&["注：数据截至 9 月", "", ""])), Some("注：数据截至 9 月".into()));
        assert_eq!(note_row(&cells(&["S001", "小学"])), None);
        assert!(column_numbers_row(&cells(&["甲", "乙", "1", "2", "3"])));
        assert!(!column_numbers_row(&cells(&["1", "3", "4"])));
        assert!(units_row(&cells(&["计量单位", "", "人", "（平方米）", "万元"])));
        assert!(!units_row(&cells(&["S001", "人", "元"])));
        assert_eq!(unit_cell("（万元）").as_deref(), Some("万元"));
        assert_eq!(bare_grade("一年级"), Some(0));
        assert_eq!(bare_grade("9年级"), Some(8));
        assert_eq!(bare_grade("十年级"), None);
    }
}
