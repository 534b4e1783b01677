//! `youjun check`, `youjun run` and `youjun export`.

use std::path::{Path, PathBuf};

use serde_json::{json, Map, Value};

use youjun::chart::{district, draw_series_chart, to_svg_string, SeriesChart};
use youjun::engine::{run_monte_carlo, Model, MonteCarlo, Trajectory};
use youjun::export;
use youjun::i18n::Lang;
use youjun::message::{Error, ErrorKind, Place, Problem, Text};
use youjun::metrics::Indicator;
use youjun::roster::Level;
use youjun::scenario::Scenario;
use youjun::series::{catalogue, Unit};

use super::numbers::{fixed, json_reason, Reason};
use super::read::{read_text_limited, ROSTER_LIMIT, SCENARIO_LIMIT};
use super::{file_error, json_text, missing_value, usage};

/// Reads a scenario (TOML, or JSON by extension) and binds it to its roster.
pub(super) fn load(path: &str) -> Result<Model, Error> {
    load_sheet(path, None, None)
}

/// As [`load`]; a roster file (`[roster] csv = …`) may be CSV in any
/// encoding or a workbook, read from its sheet `sheet` (else the only one
/// holding a roster), and what the reader decided that a plain file would
/// not get is said on stderr (in `lang`, or both languages).
pub(super) fn load_sheet(path: &str, sheet: Option<&str>, lang: Option<Lang>) -> Result<Model, Error> {
    let text = read_text_limited(path, SCENARIO_LIMIT, &Text::new("无法读取场景文件", "cannot read the scenario file"))?;
    let scenario = if path.ends_with(".json") { Scenario::from_json(&text) } else { Scenario::from_toml(&text) }
        .map_err(|e| e.context(path))?;
    let dir = Path::new(path).parent().map(Path::to_path_buf).unwrap_or_default();
    let r = &scenario.roster;
    if let (Some(csv), None, None) = (&r.csv, &r.synthetic, &r.schools) {
        let p = dir.join(csv).to_string_lossy().into_owned();
        let what = Text::new("无法读取花名册", "cannot read the roster");
        let roster = super::read::read_roster(&p, sheet, lang, &what, &format!("roster.csv ({csv})")).map_err(|e| e.context(path))?;
        return Model::new(scenario, roster).map_err(|e| e.context(path));
    }
    if sheet.is_some() {
        let message = Text::new("场景的花名册不是文件（[roster] csv = …），--sheet 无从选择", "the scenario's roster is not a file ([roster] csv = …), so --sheet has nothing to choose");
        return Err(usage(Problem::new(Place::Arg("--sheet".into()), message)));
    }
    // The reader's own error (with the limit, in both languages) replaces
    // the one-line reason `resolve_roster` would wrap it in.
    let mut read_error = None;
    let roster = scenario
        .resolve_roster(|csv| {
            let p: PathBuf = dir.join(csv);
            let p = p.to_string_lossy();
            read_text_limited(&p, ROSTER_LIMIT, &Text::new("无法读取花名册", "cannot read the roster")).map_err(|e| {
                let why = e.message(Lang::En);
                read_error = Some(e);
                why
            })
        })
        .map_err(|e| read_error.take().unwrap_or(e).context(path))?;
    Model::new(scenario, roster).map_err(|e| e.context(path))
}

pub fn check(args: &[String]) -> Result<(), Error> {
    let (path, sheet) = match args {
        [path] => (path, None),
        [path, flag, name] | [flag, name, path] if flag == "--sheet" => (path, Some(name.as_str())),
        _ => return Err(usage(Problem::whole(Text::new("check 需要一个场景文件 SCENARIO（可加 --sheet 名称）", "check takes one SCENARIO (and --sheet NAME)")))),
    };
    let model = load_sheet(path, sheet, None)?;
    let s = &model.scenario;
    super::stdout::emit_line(&format!(
        "✓ {} ({}): {} 所学校 {} 行, {}–{}, {} 个目标, 随机种子 {}",
        s.scenario.id,
        s.scenario.name,
        model.roster.schools.iter().map(|r| r.school_id.as_str()).collect::<std::collections::BTreeSet<_>>().len(),
        model.roster.schools.len(),
        s.scenario.base_year,
        s.scenario.end_year,
        s.targets.len(),
        s.scenario.seed
    ))?;
    Ok(())
}

struct RunArgs {
    path: String,
    runs: Option<u32>,
    seed: Option<u64>,
    json: bool,
    lang: Lang,
    out: Option<String>,
    /// `--set LEVER=VALUE` / `LEVER@YEAR=VALUE`, in the order given.
    sets: Vec<String>,
    /// `--sheet NAME`: the sheet of a workbook roster.
    sheet: Option<String>,
    /// Whether `--lang` was given (notes on stderr then use it alone).
    lang_given: bool,
}

fn parse_args(args: &[String], allow_out: bool) -> Result<RunArgs, Error> {
    let mut r = RunArgs {
        path: String::new(),
        runs: None,
        seed: None,
        json: false,
        lang: Lang::Zh,
        out: None,
        sets: Vec::new(),
        sheet: None,
        lang_given: false,
    };
    // A value that does not fit its option.
    // The value is quoted at most 40 characters long.
    let bad = |option: &str, message: Text, got: &str| {
        usage(Problem::new(Place::Arg(option.to_owned()), message).found(youjun::message::quoted(got)))
    };
    let mut it = args.iter();
    while let Some(a) = it.next() {
        let mut value = |name: &str| it.next().cloned().ok_or_else(|| missing_value(name));
        match a.as_str() {
            "--runs" => {
                let v = value("--runs")?;
                let message = Text::new("须为 0 到 100000 的整数", "must be a whole number from 0 to 100000");
                r.runs = Some(v.parse().ok().filter(|n| *n <= 100_000).ok_or_else(|| bad("--runs", message, &v))?);
            }
            "--seed" => {
                let v = value("--seed")?;
                r.seed = Some(v.parse().map_err(|_| bad("--seed", Text::new("须为非负整数", "must be a non-negative integer"), &v))?);
            }
            "--json" => r.json = true,
            "--set" => r.sets.push(value("--set")?),
            "--sheet" => r.sheet = Some(value("--sheet")?),
            "--lang" => {
                r.lang_given = true;
                r.lang = match value("--lang")?.as_str() {
                    "zh" => Lang::Zh,
                    "en" => Lang::En,
                    other => return Err(bad("--lang", Text::new("须为 zh 或 en", "must be zh or en"), other)),
                }
            }
            "--out" if allow_out => {
                let v = value("--out")?;
                // An empty DIR would write into the current directory.
                if v.trim().is_empty() {
                    let message = Text::new("不能为空：请给出导出目录", "must not be empty: give the directory to export to");
                    return Err(bad("--out", message, &format!("{v:?}")));
                }
                r.out = Some(v);
            }
            flag if flag.starts_with("--") => {
                return Err(usage(Problem::new(Place::Arg(flag.to_owned()), Text::new("未知选项", "unknown option"))))
            }
            path if r.path.is_empty() => r.path = path.to_owned(),
            extra => return Err(usage(Problem::new(Place::Arg(extra.to_owned()), Text::new("多余的参数", "unexpected argument")))),
        }
    }
    if r.path.is_empty() {
        return Err(usage(Problem::whole(Text::new("缺少场景文件 SCENARIO", "missing SCENARIO"))));
    }
    Ok(r)
}

fn simulate(model: &Model, a: &RunArgs) -> (Trajectory, Option<MonteCarlo>) {
    let central = model.run_central();
    let runs = a.runs.unwrap_or(model.scenario.scenario.runs);
    let seed = a.seed.unwrap_or(model.scenario.scenario.seed);
    let mc = (runs > 0).then(|| run_monte_carlo(model, runs, seed, |_| {}));
    (central, mc)
}

/// The scenario of `a.path` with `a.sets` applied, bound to its roster.
fn load_set(a: &RunArgs) -> Result<Model, Error> {
    let model = load_sheet(&a.path, a.sheet.as_deref(), a.lang_given.then_some(a.lang))?;
    if a.sets.is_empty() {
        return Ok(model);
    }
    let mut s = model.scenario.clone();
    for setting in &a.sets {
        youjun::ask::apply_setting(&mut s, setting)?;
    }
    Model::new(s, model.roster.clone()).map_err(|e| e.context(&a.path))
}

pub fn run(args: &[String]) -> Result<(), Error> {
    let a = parse_args(args, false)?;
    let model = load_set(&a)?;
    let (central, mc) = simulate(&model, &a);
    if a.json {
        let v = to_json(&model, &central, mc.as_ref());
        super::stdout::emit_line(&json_text(&v)?)?;
    } else {
        super::stdout::emit(&summary(&model, &central, mc.as_ref(), a.lang))?;
    }
    Ok(())
}

/// The `--json` document; its schema is described in the README.
fn to_json(model: &Model, t: &Trajectory, mc: Option<&MonteCarlo>) -> Value {
    let s = &model.scenario;
    let mut series = Map::new();
    // The indicator CVs go under `cv`, with their ceilings, instead.
    for (k, d) in catalogue().iter().enumerate() {
        if !(d.indicator.is_some() && d.unit == Unit::Cv) {
            series.insert(d.key.to_string(), json!(t.series[k]));
        }
    }
    let mut cv = Map::new();
    for level in Level::ALL {
        let mut per = Map::new();
        // Every null CV, by indicator, with its year and reason.
        let mut missing = Map::new();
        for i in Indicator::ALL {
            let values = t.series(&format!("cv.{}.{}", level.key(), i.key())).unwrap_or_default();
            per.insert(i.key().into(), json!(values));
            let why: Vec<Value> = cv_reasons(t, level, values)
                .map(|(year, r)| {
                    let mut v = json_reason(r);
                    v["year"] = json!(year);
                    v
                })
                .collect();
            if !why.is_empty() {
                missing.insert(i.key().into(), Value::Array(why));
            }
        }
        cv.insert(
            level.key().into(),
            json!({ "ceiling": s.standards.level(level).cv_ceiling.value, "indicators": per, "not_computable": missing }),
        );
    }
    let percentiles = mc.map(|m| {
        let mut p = Map::new();
        for (k, d) in catalogue().iter().enumerate() {
            p.insert(d.key.to_string(), json!({ "p10": m.p10[k], "p50": m.p50[k], "p90": m.p90[k] }));
        }
        Value::Object(p)
    });
    let targets: Vec<Value> = s
        .targets
        .iter()
        .zip(&t.targets)
        .enumerate()
        .map(|(j, (target, outcome))| {
            json!({
                "id": target.id,
                "label": target.label,
                "series": target.series,
                "year": target.year,
                "op": target.op,
                "target": target.value,
                "value": outcome.value,
                "met": outcome.met,
                // A target set by the plan is met by construction: it carries
                // its mark and no probability.
                "kind": target.kind,
                "probability": if target.set_by_plan() { None } else { mc.map(|m| m.target_probability[j]) },
                "source": target.source,
            })
        })
        .collect();
    json!({
        "schema": "youjun.run/1",
        "scenario": s.scenario.id,
        "seed": mc.map_or(s.scenario.seed, |m| m.seed),
        "runs": mc.map_or(0, |m| m.runs),
        "years": t.years,
        "series": series,
        "cv": cv,
        "assessment": assessment_json(model),
        "schools": schools_json(t),
        "percentiles": percentiles,
        "targets": targets,
    })
}

/// The assessment's school rule and thresholds (教督〔2017〕6号), so a
/// reader can check each school's verdict and the certification series from
/// `schools` and `cv` alone.
fn assessment_json(model: &Model) -> Value {
    let st = &model.scenario.standards;
    let mut levels = Map::new();
    for level in Level::ALL {
        let l = st.level(level);
        let thresholds: Map<String, Value> = Indicator::ALL.iter().map(|&i| (i.key().to_owned(), json!(l.threshold(i)))).collect();
        levels.insert(level.key().into(), json!({ "thresholds": thresholds, "cv_ceiling": l.cv_ceiling.value }));
    }
    json!({
        "pass_min_met": st.pass_min_met.value,
        "pass_floor_share": st.pass_floor_share.value,
        "levels": levels,
        "outside_model": youjun::metrics::DIMENSIONS_OUTSIDE_MODEL.iter().map(|(zh, en)| format!("{zh} ({en})")).collect::<Vec<_>>(),
    })
}

/// Each school row's years in the central run: open or not, pupils, the
/// seven indicator values (null where not computable) and whether it passes.
fn schools_json(t: &Trajectory) -> Value {
    let rows: Vec<Value> = t
        .schools
        .iter()
        .map(|s| {
            let years: Vec<Value> = s
                .years
                .iter()
                .map(|y| {
                    let indicators: Map<String, Value> =
                        Indicator::ALL.iter().zip(&y.indicators).map(|(i, v)| (i.key().to_owned(), super::numbers::json_number(*v))).collect();
                    json!({ "year": y.year, "open": y.open, "students": y.students, "passes": y.passes, "indicators": indicators })
                })
                .collect();
            json!({ "id": s.school_id, "name": s.name, "level": s.level.key(), "years": years })
        })
        .collect();
    Value::Array(rows)
}

/// The years in which a CV of `level` is not a number, and why: no pupils
/// at the level that year, or else values too large to compute with.
fn cv_reasons<'a>(t: &'a Trajectory, level: Level, values: &'a [f64]) -> impl Iterator<Item = (i32, Reason)> + 'a {
    let students = t.series(&format!("students_{}", level.key())).unwrap_or_default();
    values.iter().zip(&t.years).enumerate().filter(|(_, (v, _))| !v.is_finite()).map(move |(k, (_, year))| {
        let pupils = students.get(k).copied().unwrap_or(0.0);
        (*year, if pupils.is_finite() && pupils > 0.0 { Reason::Overflow } else { Reason::NoPupils })
    })
}

fn summary(model: &Model, t: &Trajectory, mc: Option<&MonteCarlo>, lang: Lang) -> String {
    let zh = lang == Lang::Zh;
    let s = &model.scenario;
    let mut o = String::new();
    o += &format!("{} — {}\n{}\n\n", s.scenario.id, s.scenario.name, s.scenario.question);
    o += if zh { "目标\n" } else { "Targets\n" };
    for (j, (target, outcome)) in s.targets.iter().zip(&t.targets).enumerate() {
        let verdict = match (outcome.met, zh) {
            _ if target.set_by_plan() => target.kind.mark(lang),
            (true, true) => "达成",
            (false, true) => "未达成",
            (true, false) => "met",
            (false, false) => "missed",
        };
        let prob = mc.filter(|_| !target.set_by_plan()).map(|m| format!("  P={:>5.1}%", m.target_probability[j] * 100.0)).unwrap_or_default();
        o += &format!(
            "  {:<18} {} {} {:<10} {}: {:>10}  {:<6}{}\n",
            target.id,
            target.year,
            target.op.symbol(),
            trim(target.value),
            if zh { "中心值" } else { "central" },
            fixed(outcome.value, 2),
            verdict,
            prob
        );
    }
    let rows: &[(&str, &str, &str)] = &[
        ("new_quality_schools", "区级新优质项目校", "district new-quality schools"),
        ("innovation_projects", "创新项目(累计)", "innovation projects"),
        ("students_primary", "小学在校生", "primary students"),
        ("students_junior", "初中在校生", "junior students"),
        ("surplus_teachers_primary", "小学超编教师", "primary teacher surplus"),
        ("shortage_teachers", "教师缺口", "teacher shortage"),
        ("pass_share_primary", "小学达标校比例", "primary schools passing"),
        ("pass_share_junior", "初中达标校比例", "junior schools passing"),
        ("cv_max_primary", "小学最大差异系数", "primary max CV"),
        ("cv_max_junior", "初中最大差异系数", "junior max CV"),
        ("certification_ok", "资源配置通过评估", "passes resource test"),
        ("budget_gap_yuan", "超出预算(元)", "over budget (yuan)"),
    ];
    o += if zh { "\n年度指标 (中心值" } else { "\nBy year (central" };
    o += if mc.is_some() { if zh { "; 括号内为 P10–P90)\n" } else { "; P10–P90 in brackets)\n" } } else { ")\n" };
    o += &format!("  {:<22}", "");
    for y in &t.years {
        o += &format!("{:>24}", y);
    }
    o += "\n";
    for (key, zh_label, en_label) in rows {
        let Some(values) = t.series(key) else { continue };
        let label = if zh { *zh_label } else { *en_label };
        o += &format!("  {label:<22}");
        for (k, v) in values.iter().enumerate() {
            let cell = match mc.and_then(|m| m.band(key)) {
                Some((lo, _, hi)) => format!("{} [{}–{}]", fmt(*v), fmt(lo[k]), fmt(hi[k])),
                None => fmt(*v),
            };
            o += &format!("{cell:>24}");
        }
        o += "\n";
    }
    for level in Level::ALL {
        let ceiling = s.standards.level(level).cv_ceiling.value;
        o += &format!(
            "\n{} (≤ {ceiling:.2})\n",
            if zh { format!("{}差异系数", level.zh()) } else { format!("{} CV", level.key()) }
        );
        let mut reasons = Vec::new();
        for i in Indicator::ALL {
            let values = t.series(&format!("cv.{}.{}", level.key(), i.key())).unwrap_or_default();
            o += &format!("  {:<30}", if zh { i.zh().to_owned() } else { i.key().to_owned() });
            for v in values {
                let flag = if v.is_finite() && *v <= ceiling { ' ' } else { '!' };
                let cell = if v.is_finite() { fixed(*v, 3) } else { (if zh { "无法计算" } else { "n/a" }).to_owned() };
                o += &format!("{cell:>9}{flag}");
            }
            o += "\n";
            let mut why: Vec<(i32, Reason)> = cv_reasons(t, level, values).collect();
            why.dedup_by_key(|w| w.1);
            reasons.extend(why.into_iter().map(|(year, r)| (i, year, r)));
        }
        for (i, year, r) in reasons {
            let name = if zh { i.zh() } else { i.key() };
            o += &if zh {
                format!("  无法计算（{name}，{year} 年起）：{}\n", r.text().zh)
            } else {
                format!("  not computable ({name}, from {year}): {}\n", r.text().en)
            };
        }
    }
    o
}

fn trim(v: f64) -> String {
    if v.abs() >= 1e9 {
        fixed(v, 0)
    } else if v.fract() == 0.0 {
        format!("{v:.0}")
    } else {
        format!("{v}")
    }
}

fn fmt(v: f64) -> String {
    if !v.is_finite() {
        "—".into()
    } else if v.abs() >= 1e15 {
        // Beyond any district's budget: bounded digits, not 亿 with 300 of them.
        format!("{v:.3e}")
    } else if v.abs() >= 1e8 {
        format!("{:.2}亿", v / 1e8)
    } else if v.abs() >= 100.0 {
        format!("{v:.0}")
    } else if v.abs() >= 1.0 {
        format!("{v:.1}")
    } else {
        format!("{v:.3}")
    }
}

pub fn export(args: &[String]) -> Result<(), Error> {
    let a = parse_args(args, true)?;
    let out = a.out.clone().ok_or_else(|| usage(Problem::new(Place::Arg("--out".into()), Text::new("缺少 --out DIR", "missing --out DIR"))))?;
    let model = load_set(&a)?;
    let (t, mc) = simulate(&model, &a);
    let dir = Path::new(&out);
    std::fs::create_dir_all(dir).map_err(|e| file_error(&out, Text::new("无法创建目录", "cannot create the directory"), e))?;
    let write = |name: &str, body: &[u8]| {
        std::fs::write(dir.join(name), body).map_err(|e| file_error(&format!("{out}/{name}"), Text::new("无法写入", "cannot write"), e))
    };

    // The tables come from the library, so the browser's downloads are the same files.
    write("district.csv", export::district_csv(&model, &t).as_bytes())?;
    write("schools.csv", export::schools_csv(&model, &t).as_bytes())?;
    write("targets.csv", export::targets_csv(&model, &t, mc.as_ref()).as_bytes())?;
    let xlsx = export::results_xlsx(&model, &t, mc.as_ref(), a.lang).map_err(|e| {
        Error::new(ErrorKind::Export, Problem::whole(Text::new("无法生成 results.xlsx", "cannot make results.xlsx")).found(e))
    })?;
    write("results.xlsx", &xlsx)?;

    // The exported charts are in Chinese, whatever --lang says (that flag is
    // for the text summary), and show the run alone, with no overlays.
    let (zh, none) = (Lang::Zh, &[]);
    let charts: Vec<(&str, SeriesChart)> = vec![
        ("new_quality.svg", district::new_quality_chart(&model, &t, mc.as_ref(), none, zh)),
        ("cv_primary.svg", district::cv_chart(&model, &t, Level::Primary, none, zh)),
        ("cv_junior.svg", district::cv_chart(&model, &t, Level::Junior, none, zh)),
        ("pass_share.svg", district::pass_share_chart(&t, mc.as_ref(), none, zh)),
        ("enrollment.svg", district::enrollment_chart(&t, mc.as_ref(), none, zh)),
        ("teachers.svg", district::teachers_chart(&t, mc.as_ref(), none, zh)),
        ("spending.svg", district::spending_chart(&t, mc.as_ref(), none, zh)),
    ];
    for (name, chart) in &charts {
        let svg = to_svg_string((900, 520), |a| draw_series_chart(a, chart))?;
        write(name, svg.as_bytes())?;
    }
    write("run.json", json_text(&to_json(&model, &t, mc.as_ref()))?.as_bytes())?;
    eprintln!("已导出 (exported) district.csv, schools.csv, targets.csv, results.xlsx, run.json 和 {} 张图 到 {out}", charts.len());
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(a: &[&str]) -> Vec<String> {
        a.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn an_empty_out_is_a_usage_error() {
        for out in ["", " "] {
            let e = parse_args(&args(&["s.toml", "--out", out]), true).err().unwrap();
            assert_eq!(e.kind(), ErrorKind::Usage);
            assert!(e.message(Lang::En).contains("`--out`: must not be empty"), "{}", e.message(Lang::En));
        }
        assert_eq!(parse_args(&args(&["s.toml", "--out", "dir"]), true).unwrap().out.as_deref(), Some("dir"));
        // A long value is quoted short.
        let e = parse_args(&args(&["s.toml", "--runs", &"9".repeat(100_000)]), false).err().unwrap();
        assert!(e.message(Lang::En).len() < 300, "{}", e.message(Lang::En));
    }

    /// The longest run of digits in `s`.
    fn longest_digits(s: &str) -> usize {
        s.split(|c: char| !c.is_ascii_digit()).map(str::len).max().unwrap_or(0)
    }

    /// A run whose primary equipment CV is absurd, overflows, or has no
    /// pupils behind it, as values the roster validation lets through
    /// would give.
    fn absurd_run() -> (Model, Trajectory) {
        let s = youjun::scenario::builtin::builtin("pudong-2024").unwrap().scenario().unwrap();
        let roster = s.resolve_roster(|_| Err("no CSV".into())).unwrap();
        let model = Model::new(s, roster).unwrap();
        let mut t = model.run_central();
        let at = |key: &str| catalogue().iter().position(|d| d.key.to_string() == key).unwrap();
        let cv = at("cv.primary.equipment_yuan_per_student");
        t.series[cv][0] = 1.234e152;
        t.series[cv][1] = f64::INFINITY;
        t.series[cv][2] = f64::NAN;
        t.series[at("students_primary")][2] = 0.0;
        t.series[at("budget_gap_yuan")][0] = 1e300;
        t.targets[0].value = 1e200;
        (model, t)
    }

    #[test]
    fn absurd_cvs_print_bounded_and_say_why_they_are_not_computable() {
        let (model, t) = absurd_run();
        for lang in [Lang::Zh, Lang::En] {
            let text = summary(&model, &t, None, lang);
            assert!(longest_digits(&text) <= 12, "{text}");
            assert!(!text.contains("inf") && !text.contains("NaN"), "{text}");
        }
        let text = summary(&model, &t, None, Lang::En);
        assert!(text.contains("1.234e152"), "{text}");
        let year = t.years[1];
        assert!(
            text.contains(&format!("not computable (equipment_yuan_per_student, from {year}): the roster's values are too large")),
            "{text}"
        );
        assert!(text.contains(&format!("not computable (equipment_yuan_per_student, from {}): no pupils", t.years[2])), "{text}");

        let json = to_json(&model, &t, None);
        let values = json["cv"]["primary"]["indicators"]["equipment_yuan_per_student"].as_array().unwrap().clone();
        let why = json["cv"]["primary"]["not_computable"]["equipment_yuan_per_student"].as_array().unwrap().clone();
        let nulls: Vec<i64> = values.iter().zip(&t.years).filter(|(v, _)| v.is_null()).map(|(_, y)| i64::from(*y)).collect();
        let explained: Vec<i64> = why.iter().map(|w| w["year"].as_i64().unwrap()).collect();
        assert_eq!(nulls, explained, "{why:?}");
        assert_eq!((why[0]["reason"].as_str(), why[1]["reason"].as_str()), (Some("overflow"), Some("no_pupils")));
    }
}
