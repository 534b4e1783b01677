//! A run's results as files: the district series and every school by year
//! as CSV, the targets as CSV, and all of it as one Excel workbook.
//!
//! No I/O: each function returns the file's contents, which the CLI writes
//! to disk (`youjun export`) and the browser offers as a download, so both
//! get the same files. CSV headers are the stable English keys (for
//! scripts); the workbook's headers are in the chosen language (for
//! people), with the keys kept beside the labels. Numbers keep full
//! precision; an undefined value (a CV with no pupils) is an empty cell.
//!
//! Safe for spreadsheets: every CSV goes through
//! [`crate::roster::csv_io::write_csv`], which puts an apostrophe before a
//! text cell (a school or group name, a label, a source) that starts with
//! `=`, `+`, `-`, `@`, a tab or a carriage return, so Excel, WPS and
//! LibreOffice show it as text instead of running it as a formula; number
//! cells are written as numbers (a negative number stays a number). The
//! workbook writes text as string cells, which no spreadsheet evaluates.

use crate::engine::{Model, MonteCarlo, SchoolYear, Trajectory};
use crate::metrics::Indicator;
use crate::roster::csv_io::{write_csv, CsvCell};
use crate::roster::NewQuality;
use crate::scenario::TargetOp;
use crate::series::catalogue;

// The workbook (rust_xlsxwriter) is behind the `xlsx` feature; the CSV
// files are not.
#[cfg(feature = "xlsx")]
mod xlsx;
#[cfg(feature = "xlsx")]
pub use xlsx::{results_xlsx, results_xlsx_from_json};

/// Numbers in CSV: full precision, empty for undefined.
fn num(v: f64) -> CsvCell {
    CsvCell::Number(if v.is_finite() { format!("{v}") } else { String::new() })
}

/// A text cell; [`write_csv`] guards it against being read as a formula.
fn text(s: impl Into<String>) -> CsvCell {
    CsvCell::Text(s.into())
}

/// A whole number (a year) in CSV.
fn int(v: impl ToString) -> CsvCell {
    CsvCell::Number(v.to_string())
}

fn new_quality_key(n: NewQuality) -> &'static str {
    match n {
        NewQuality::None => "none",
        NewQuality::District => "district",
        NewQuality::Municipal => "municipal",
    }
}

fn op_key(op: TargetOp) -> &'static str {
    match op {
        TargetOp::AtLeast => ">=",
        TargetOp::AtMost => "<=",
    }
}

/// District series by year: a `year` column, then one column per series of
/// the [catalogue], one row per year.
pub fn district_csv(_model: &Model, t: &Trajectory) -> String {
    let header = std::iter::once("year".to_owned()).chain(catalogue().iter().map(|d| d.key.to_string())).collect();
    let rows = t.years.iter().enumerate().map(|(k, year)| {
        std::iter::once(int(year)).chain(t.series.iter().map(|s| num(s[k]))).collect()
    });
    write_csv(header, rows)
}

/// Columns of the per-school table: (key, Chinese, English).
const SCHOOL_COLUMNS: &[(&str, &str, &str)] = &[
    ("school_id", "学校代码", "School code"),
    ("name", "学校名称", "School"),
    ("level", "学段", "Level"),
    ("year", "年份", "Year"),
    ("students", "在校生数", "Students"),
    ("grade1", "一年级学生数", "Grade-1 students"),
    ("classes", "班级数", "Classes"),
    ("class_size", "平均班额", "Average class size"),
    ("teachers", "专任教师数", "Teachers"),
    ("teacher_need", "按编制需求教师数", "Teachers needed (staffing norm)"),
];

/// After the indicators: (key, Chinese, English).
const SCHOOL_TAIL: &[(&str, &str, &str)] = &[
    ("passes", "七项指标全部达标", "Passes all seven indicators"),
    ("new_quality", "新优质学校", "New-quality status"),
    ("open", "开办", "Open"),
    ("merged_into", "并入学校", "Merged into"),
];

/// Every school row in every year: identity, size, staffing, the seven
/// indicators (empty without pupils), pass, new-quality status, and whether
/// the row is still open (and where its pupils went if not).
pub fn schools_csv(_model: &Model, t: &Trajectory) -> String {
    let header = SCHOOL_COLUMNS
        .iter()
        .map(|c| c.0.to_owned())
        .chain(Indicator::ALL.iter().map(|i| i.key().to_owned()))
        .chain(SCHOOL_TAIL.iter().map(|c| c.0.to_owned()))
        .collect();
    let rows = t.schools.iter().flat_map(|s| {
        s.years.iter().map(move |y| {
            let mut row = vec![text(s.school_id.as_str()), text(s.name.as_str()), text(s.level.key()), int(y.year)];
            row.extend(school_numbers(y).iter().map(|v| num(*v)));
            row.extend(y.indicators.iter().map(|v| num(v.unwrap_or(f64::NAN))));
            row.push(text(y.passes.to_string()));
            row.push(text(new_quality_key(y.new_quality)));
            row.push(text(y.open.to_string()));
            row.push(text(y.merged_into.clone().unwrap_or_default()));
            row
        })
    });
    write_csv(header, rows)
}

/// The numeric columns of [`SCHOOL_COLUMNS`] after the year, in order.
fn school_numbers(y: &SchoolYear) -> [f64; 6] {
    [y.students, y.grade1, y.classes, y.class_size, y.teachers, y.teacher_need]
}

/// Columns of the targets table: (key, Chinese, English).
const TARGET_COLUMNS: &[(&str, &str, &str)] = &[
    ("id", "目标代码", "Target code"),
    ("label", "目标", "Target"),
    ("series", "指标代码", "Series key"),
    ("year", "年份", "Year"),
    ("op", "比较", "Comparison"),
    ("target", "目标值", "Target value"),
    ("value", "中心值", "Central value"),
    ("met", "中心值达成", "Met (central run)"),
    ("probability", "达成概率", "Probability of meeting it"),
    ("source", "来源", "Source"),
];

/// Each target of the scenario: what it asks, the central run's value and
/// whether it is met, and (with a Monte Carlo run) the share of runs that
/// meet it, from 0 to 1; empty without one.
pub fn targets_csv(model: &Model, t: &Trajectory, mc: Option<&MonteCarlo>) -> String {
    let header = TARGET_COLUMNS.iter().map(|c| c.0.to_owned()).collect();
    let rows = model.scenario.targets.iter().zip(&t.targets).enumerate().map(|(j, (target, outcome))| {
        vec![
            text(target.id.as_str()),
            text(target.label.as_str()),
            text(target.series.as_str()),
            int(target.year),
            text(op_key(target.op)),
            num(target.value),
            num(outcome.value),
            text(outcome.met.to_string()),
            num(mc.and_then(|m| m.target_probability.get(j)).copied().unwrap_or(f64::NAN)),
            text(target.source.as_str()),
        ]
    });
    write_csv(header, rows)
}
