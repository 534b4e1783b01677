//! The results workbook (behind the `xlsx` feature): the tables of the
//! parent module as one Excel file.

use rust_xlsxwriter::{Format, Workbook, Worksheet, XlsxError};

use super::{school_numbers, SCHOOL_COLUMNS, SCHOOL_TAIL, TARGET_COLUMNS};
use crate::engine::{Model, MonteCarlo, Trajectory};
use crate::i18n::Lang;
use crate::message::{Error, ErrorKind, Problem, Text};
use crate::metrics::Indicator;
use crate::roster::{Level, NewQuality, Roster};
use crate::scenario::Scenario;
use crate::series::catalogue;

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

/// Everything as one workbook, headers in `lang`:
/// 1. district series by year (one row per series, one column per year;
///    the key beside the readable name);
/// 2. every school in every year (the columns of [`super::schools_csv`]);
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

/// [`results_xlsx`] for a run sent as text, as the page sends it to the
/// on-demand Excel module (`web/excel_worker.js`): the scenario as JSON
/// ([`Scenario::to_json`]), the roster it runs on as JSON (the scenario's
/// own roster source is not read: the page may run it on an imported
/// roster), the Monte Carlo summary as JSON if there is one, and the
/// language. The central run is made again here; it depends only on the
/// scenario and the roster, so the workbook is byte for byte the one
/// [`results_xlsx`] makes from the page's own run.
///
/// # Errors
///
/// A scenario that does not parse or validate, a roster or summary that
/// does not parse, a roster the scenario cannot run on, or the error of
/// [`results_xlsx`] ([`ErrorKind::Export`]).
pub fn results_xlsx_from_json(scenario_json: &str, roster_json: &str, mc_json: Option<&str>, lang: Lang) -> Result<Vec<u8>, Error> {
    let unreadable = |what: Text, e: serde_json::Error| Error::new(ErrorKind::Export, Problem::whole(what).found(e.to_string()));
    let scenario = Scenario::from_json(scenario_json)?;
    let roster: Roster =
        serde_json::from_str(roster_json).map_err(|e| unreadable(Text::new("无法读取花名册数据", "cannot read the roster data"), e))?;
    let mc: Option<MonteCarlo> = mc_json
        .map(serde_json::from_str)
        .transpose()
        .map_err(|e| unreadable(Text::new("无法读取蒙特卡洛结果", "cannot read the Monte Carlo summary"), e))?;
    let model = Model::new(scenario, roster)?;
    let t = model.run_central();
    results_xlsx(&model, &t, mc.as_ref(), lang).map_err(|e| {
        Error::new(ErrorKind::Export, Problem::whole(Text::new("无法生成 Excel 文件", "cannot make the Excel file")).found(e))
    })
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::run_monte_carlo;
    use crate::scenario::builtin::builtin;

    fn model(id: &str) -> Model {
        let s = builtin(id).unwrap().scenario().unwrap();
        let roster = s.resolve_roster(|_| Err("no files".into())).unwrap();
        Model::new(s, roster).unwrap()
    }

    /// What the page sends the Excel module makes the workbook the page's
    /// own run makes, byte for byte: with and without a Monte Carlo
    /// summary, in both languages, and on a roster that is not the
    /// scenario's own (an import: a school renamed, numbers changed).
    #[test]
    fn the_workbook_from_json_is_the_pages_own() {
        let m = model("minhang-hongqiao-district");
        let mc = run_monte_carlo(&m, 12, m.scenario.scenario.seed, |_| {});
        let mut imported = m.roster.clone();
        imported.schools[0].name = "=导入的学校 <b>".into();
        imported.schools[1].teaching_space_m2 *= 1.0 / 3.0;
        let other = Model::new(m.scenario.clone(), imported).unwrap();
        for (m, mc, lang) in [(&m, Some(&mc), Lang::Zh), (&m, None, Lang::En), (&other, Some(&mc), Lang::En)] {
            let t = m.run_central();
            let direct = results_xlsx(m, &t, mc, lang).unwrap();
            let mc_json = mc.map(|mc| serde_json::to_string(mc).unwrap());
            let roster_json = serde_json::to_string(&m.roster).unwrap();
            let sent = results_xlsx_from_json(&m.scenario.to_json(), &roster_json, mc_json.as_deref(), lang).unwrap();
            assert!(sent == direct, "the workbook made from the JSON differs ({lang:?}, Monte Carlo: {})", mc.is_some());
        }
        assert_ne!(
            results_xlsx(&m, &m.run_central(), None, Lang::En).unwrap(),
            results_xlsx(&other, &other.run_central(), None, Lang::En).unwrap(),
            "the imported roster shows in the workbook"
        );
    }

    #[test]
    fn bad_json_is_an_error_naming_what_could_not_be_read() {
        let m = model("minhang-hongqiao-district");
        let (scenario, roster) = (m.scenario.to_json(), serde_json::to_string(&m.roster).unwrap());
        let e = results_xlsx_from_json(&scenario, "{\"schools\": 3}", None, Lang::Zh).unwrap_err();
        assert!(e.message(Lang::En).contains("cannot read the roster data"), "{}", e.message(Lang::En));
        let e = results_xlsx_from_json(&scenario, &roster, Some("[1, 2]"), Lang::Zh).unwrap_err();
        assert!(e.message(Lang::Zh).contains("无法读取蒙特卡洛结果"), "{}", e.message(Lang::Zh));
        let e = results_xlsx_from_json("{}", &roster, None, Lang::Zh).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::ScenarioSyntax);
        let e = results_xlsx_from_json(&scenario, "{\"schools\": []}", None, Lang::Zh).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::RosterMismatch);
    }
}
