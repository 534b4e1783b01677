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

use rust_xlsxwriter::{Format, Workbook, Worksheet, XlsxError};

use crate::engine::{Model, MonteCarlo, SchoolYear, Trajectory};
use crate::i18n::Lang;
use crate::metrics::Indicator;
use crate::roster::csv_io::{write_csv, CsvCell};
use crate::roster::{Level, NewQuality};
use crate::scenario::TargetOp;
use crate::series::catalogue;

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

fn indicator_en(i: Indicator) -> &'static str {
    match i {
        Indicator::QualifiedTeachersPer100 => "Teachers above the required degree per 100 students",
        Indicator::BackboneTeachersPer100 => "Backbone teachers (district level or above) per 100 students",
        Indicator::PeArtTeachersPer100 => "PE and art teachers per 100 students",
        Indicator::TeachingSpaceM2PerStudent => "Teaching and auxiliary space per student (m²)",
        Indicator::SportsSpaceM2PerStudent => "Sports grounds and halls per student (m²)",
        Indicator::EquipmentYuanPerStudent => "Teaching equipment value per student (yuan)",
        Indicator::MultimediaRoomsPer100 => "Networked multimedia classrooms per 100 students",
    }
}

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

/// Everything as one workbook, headers in `lang`:
/// 1. district series by year (one row per series, one column per year;
///    the key beside the readable name);
/// 2. every school in every year (the columns of [`schools_csv`]);
/// 3. the targets, with the probability of meeting each;
/// 4. with a Monte Carlo run, the P10/P50/P90 of every series by year;
/// 5. what was run: scenario, years, seed, number of runs.
///
/// Text goes in as text, never as a formula. The bytes depend only on the
/// arguments. Fails only if a name is longer than a cell holds.
///
/// # Errors
///
/// The XLSX writer's message when a text (a school name, a label, a source)
/// is longer than a cell holds (32,767 characters).
pub fn results_xlsx(model: &Model, t: &Trajectory, mc: Option<&MonteCarlo>, lang: Lang) -> Result<Vec<u8>, String> {
    build_results(model, t, mc, lang).map_err(|e| e.to_string())
}

fn build_results(model: &Model, t: &Trajectory, mc: Option<&MonteCarlo>, lang: Lang) -> Result<Vec<u8>, XlsxError> {
    let mut wb = crate::roster::xlsx::workbook();
    let bold = Format::new().set_bold();
    let pick = |c: &(&str, &'static str, &'static str)| lang.pick(c.1, c.2);

    // 1. District series.
    let ws = sheet(&mut wb, lang.pick("全区逐年", "District by year"))?;
    let head: Vec<String> = [lang.pick("指标代码", "Series key"), lang.pick("指标", "Series")]
        .iter()
        .map(|s| s.to_string())
        .chain(t.years.iter().map(|y| y.to_string()))
        .collect();
    header(ws, &head, &bold)?;
    for (k, series) in catalogue().iter().enumerate() {
        let r = k as u32 + 1;
        ws.write_string(r, 0, series.key.as_ref())?;
        ws.write_string(r, 1, series.label(lang))?;
        for (c, v) in t.series[k].iter().enumerate() {
            number(ws, r, c as u16 + 2, *v)?;
        }
    }
    ws.set_column_width(0, 34)?;
    ws.set_column_width(1, 40)?;
    ws.set_freeze_panes(1, 2)?;

    // 2. Schools by year.
    let ws = sheet(&mut wb, lang.pick("逐校逐年", "Schools by year"))?;
    let head: Vec<String> = SCHOOL_COLUMNS
        .iter()
        .map(|c| pick(c).to_owned())
        .chain(Indicator::ALL.iter().map(|i| lang.pick(i.zh(), indicator_en(*i)).to_owned()))
        .chain(SCHOOL_TAIL.iter().map(|c| pick(c).to_owned()))
        .collect();
    header(ws, &head, &bold)?;
    let yes_no = |b: bool| if b { lang.pick("是", "yes") } else { lang.pick("否", "no") };
    let mut r = 0u32;
    for s in &t.schools {
        let level = match s.level {
            Level::Primary => lang.pick("小学", "primary"),
            Level::Junior => lang.pick("初中", "junior"),
        };
        for y in &s.years {
            r += 1;
            ws.write_string(r, 0, &s.school_id)?;
            ws.write_string(r, 1, &s.name)?;
            ws.write_string(r, 2, level)?;
            ws.write_number(r, 3, y.year)?;
            let mut c = 4u16;
            for v in school_numbers(y).into_iter().chain(y.indicators.iter().map(|v| v.unwrap_or(f64::NAN))) {
                number(ws, r, c, v)?;
                c += 1;
            }
            let nq = match y.new_quality {
                NewQuality::None => lang.pick("无", "none"),
                NewQuality::District => lang.pick("区级", "district"),
                NewQuality::Municipal => lang.pick("市级", "municipal"),
            };
            for text in [yes_no(y.passes), nq, yes_no(y.open), y.merged_into.as_deref().unwrap_or("")] {
                if !text.is_empty() {
                    ws.write_string(r, c, text)?;
                }
                c += 1;
            }
        }
    }
    ws.set_column_width(1, 28)?;
    ws.set_freeze_panes(1, 2)?;

    // 3. Targets.
    let ws = sheet(&mut wb, lang.pick("目标", "Targets"))?;
    let head: Vec<String> = TARGET_COLUMNS.iter().map(|c| pick(c).to_owned()).collect();
    header(ws, &head, &bold)?;
    let percent = Format::new().set_num_format("0.0%");
    for (j, (target, outcome)) in model.scenario.targets.iter().zip(&t.targets).enumerate() {
        let r = j as u32 + 1;
        ws.write_string(r, 0, &target.id)?;
        ws.write_string(r, 1, &target.label)?;
        ws.write_string(r, 2, &target.series)?;
        ws.write_number(r, 3, target.year)?;
        ws.write_string(r, 4, target.op.symbol())?;
        number(ws, r, 5, target.value)?;
        number(ws, r, 6, outcome.value)?;
        ws.write_string(r, 7, yes_no(outcome.met))?;
        if let Some(p) = mc.and_then(|m| m.target_probability.get(j)) {
            ws.write_number_with_format(r, 8, *p, &percent)?;
        }
        ws.write_string(r, 9, &target.source)?;
    }
    ws.set_column_width(1, 40)?;
    ws.set_column_width(2, 30)?;
    ws.set_column_width(9, 60)?;
    ws.set_freeze_panes(1, 0)?;

    // 4. Monte Carlo bands.
    if let Some(m) = mc {
        let ws = sheet(&mut wb, lang.pick("蒙特卡洛区间", "Monte Carlo bands"))?;
        let head: Vec<String> =
            [lang.pick("指标代码", "Series key"), lang.pick("指标", "Series"), lang.pick("年份", "Year"), "P10", "P50", "P90"]
                .iter()
                .map(|s| s.to_string())
                .collect();
        header(ws, &head, &bold)?;
        let mut r = 0u32;
        for (k, series) in catalogue().iter().enumerate() {
            for (i, year) in m.years.iter().enumerate() {
                r += 1;
                ws.write_string(r, 0, series.key.as_ref())?;
                ws.write_string(r, 1, series.label(lang))?;
                ws.write_number(r, 2, *year)?;
                for (c, band) in [&m.p10, &m.p50, &m.p90].iter().enumerate() {
                    number(ws, r, c as u16 + 3, band[k][i])?;
                }
            }
        }
        ws.set_column_width(0, 34)?;
        ws.set_column_width(1, 40)?;
        ws.set_freeze_panes(1, 0)?;
    }

    // 5. What was run.
    let ws = sheet(&mut wb, lang.pick("说明", "About"))?;
    let s = &model.scenario.scenario;
    let runs = mc.map_or(0, |m| m.runs);
    let seed = mc.map_or(s.seed, |m| m.seed);
    let about: [(&str, &str, String); 7] = [
        ("场景代码", "Scenario", s.id.clone()),
        ("场景名称", "Name", s.name.clone()),
        ("起始年", "Base year", s.base_year.to_string()),
        ("终止年", "End year", s.end_year.to_string()),
        ("随机种子", "Seed", seed.to_string()),
        ("蒙特卡洛次数", "Monte Carlo runs", runs.to_string()),
        (
            "说明",
            "Note",
            lang.pick(
                "各表数值为中心（确定性）运行结果；达成概率与区间来自蒙特卡洛运行。空单元格表示无定义（如无学生时的差异系数）。",
                "Values are from the central (deterministic) run; probabilities and bands from the Monte Carlo runs. An empty cell is undefined (e.g. a CV with no pupils).",
            )
            .to_owned(),
        ),
    ];
    for (r, (zh, en, value)) in about.iter().enumerate() {
        ws.write_string_with_format(r as u32, 0, lang.pick(*zh, *en), &bold)?;
        ws.write_string(r as u32, 1, value)?;
    }
    ws.set_column_width(0, 18)?;
    ws.set_column_width(1, 60)?;

    wb.save_to_buffer()
}

fn sheet<'a>(wb: &'a mut Workbook, name: &str) -> Result<&'a mut Worksheet, XlsxError> {
    let ws = wb.add_worksheet();
    ws.set_name(name)?;
    Ok(ws)
}

fn header(ws: &mut Worksheet, head: &[String], bold: &Format) -> Result<(), XlsxError> {
    for (c, h) in head.iter().enumerate() {
        ws.write_string_with_format(0, c as u16, h, bold)?;
    }
    Ok(())
}

/// A number, or nothing when it is undefined (Excel has no NaN).
fn number(ws: &mut Worksheet, r: u32, c: u16, v: f64) -> Result<(), XlsxError> {
    if v.is_finite() {
        ws.write_number(r, c, v)?;
    }
    Ok(())
}

