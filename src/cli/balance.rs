//! `youjun balance ROSTER.csv|ROSTER.xlsx [--sheet NAME] [--json] [--lang en]`: the after-the-fact
//! compliance check of a district roster against the national assessment
//! (教督〔2017〕6号): each school's seven indicators and pass, and each
//! level's enrollment-weighted CVs against their ceilings.

use serde_json::{json, Map, Value};
use youjun::message::{Error, Place, Problem, Text};
use youjun::metrics::{assess_school, level_cvs, Indicator, PerIndicator, SchoolAssessment, Standards, NATIONAL};
use youjun::roster::{Lang, Level, Roster, School};

use super::numbers::{fixed, json_number, json_reason, not_computable};
use super::{json_text, missing_value, usage};

#[derive(Debug)]
struct Options {
    path: String,
    json: bool,
    lang: Lang,
    /// `--sheet NAME`: the workbook's sheet to read.
    sheet: Option<String>,
}

fn parse_args(args: &[String]) -> Result<Options, Error> {
    let (mut path, mut json, mut lang, mut sheet) = (None, false, Lang::Zh, None);
    let mut it = args.iter();
    while let Some(a) = it.next() {
        let lang_value = match a.as_str() {
            "--json" => {
                json = true;
                continue;
            }
            "--sheet" => {
                sheet = Some(it.next().ok_or_else(|| missing_value("--sheet"))?.clone());
                continue;
            }
            "--lang" => Some(it.next().ok_or_else(|| missing_value("--lang"))?.as_str()),
            s => s.strip_prefix("--lang="),
        };
        let arg = |message: Text| usage(Problem::new(Place::Arg(a.clone()), message));
        match lang_value {
            Some("zh") => lang = Lang::Zh,
            Some("en") => lang = Lang::En,
            Some(other) => {
                let message = Text::new("只接受 zh 或 en", "must be zh or en");
                return Err(usage(Problem::new(Place::Arg("--lang".into()), message).found(other)));
            }
            None if a.starts_with('-') && a != "-" => return Err(arg(Text::new("未知选项", "unknown option"))),
            None if path.is_some() => return Err(arg(Text::new("多余的参数（只能有一个花名册文件）", "unexpected argument (only one roster file)"))),
            None => path = Some(a.clone()),
        }
    }
    let path = path.ok_or_else(|| usage(Problem::whole(Text::new("缺少花名册文件 ROSTER.csv", "missing ROSTER.csv"))))?;
    Ok(Options { path, json, lang, sheet })
}

pub fn run(args: &[String]) -> Result<(), Error> {
    let opts = parse_args(args)?;
    // A workbook by name or content, else CSV in any encoding; what the
    // reader decided is said on stderr when it is unusual.
    let lang = super::error_lang(args);
    let what = Text::new("无法读取", "cannot read");
    let roster = super::read::read_roster(&opts.path, opts.sheet.as_deref(), lang, &what, &opts.path)?;
    let standards = Standards::default();
    let report = Report::new(&roster, &standards);
    let text = if opts.json {
        let mut s = json_text(&report.to_json())?;
        s.push('\n');
        s
    } else {
        report.to_text(opts.lang, &opts.path)
    };
    super::stdout::emit(&text)
}

struct LevelReport {
    level: Level,
    cvs: PerIndicator<Option<f64>>,
    ceiling: f64,
    schools: usize,
    passing: usize,
    /// Every CV is defined and within the ceiling. An undefined CV (no
    /// students, or a zero mean) cannot show balance, so it does not pass;
    /// a level without schools has nothing to check.
    cv_ok: bool,
}

struct Report<'a> {
    standards: &'a Standards,
    levels: Vec<LevelReport>,
    schools: Vec<(&'a School, SchoolAssessment)>,
}

impl<'a> Report<'a> {
    fn new(roster: &'a Roster, standards: &'a Standards) -> Self {
        let schools: Vec<_> = roster.schools.iter().map(|s| (s, assess_school(s, standards))).collect();
        let levels = Level::ALL
            .iter()
            .map(|&level| {
                let cvs = level_cvs(&roster.schools, level);
                let ceiling = standards.level(level).cv_ceiling.value;
                let of_level = schools.iter().filter(|(s, _)| s.level == level);
                let n = of_level.clone().count();
                let passing = of_level.filter(|(_, a)| a.passes).count();
                let cv_ok = n == 0 || cvs.iter().all(|c| c.is_some_and(|v| v <= ceiling));
                LevelReport { level, cvs, ceiling, schools: n, passing, cv_ok }
            })
            .collect();
        Report { standards, levels, schools }
    }

    fn to_json(&self) -> Value {
        let per_indicator = |values: &PerIndicator<Option<f64>>| -> Value {
            Value::Object(Indicator::ALL.iter().zip(values).map(|(i, v)| (i.key().to_owned(), json_number(*v))).collect::<Map<_, _>>())
        };
        // Every null above, with its reason.
        let reasons = |values: &PerIndicator<Option<f64>>| -> Value {
            Value::Object(
                Indicator::ALL
                    .iter()
                    .zip(values)
                    .filter_map(|(i, v)| not_computable(*v).map(|r| (i.key().to_owned(), json_reason(r))))
                    .collect::<Map<_, _>>(),
            )
        };
        let levels: Map<String, Value> = self
            .levels
            .iter()
            .map(|l| {
                let v = json!({
                    "cv": per_indicator(&l.cvs),
                    "not_computable": reasons(&l.cvs),
                    "ceiling": l.ceiling,
                    "schools": l.schools,
                    "passing": l.passing,
                    "cv_ok": l.cv_ok,
                });
                (l.level.key().to_owned(), v)
            })
            .collect();
        let schools: Vec<Value> = self
            .schools
            .iter()
            .map(|(s, a)| {
                json!({
                    "school_id": s.school_id,
                    "name": s.name,
                    "level": s.level.key(),
                    "indicators": per_indicator(&a.values),
                    "not_computable": reasons(&a.values),
                    "passes": a.passes,
                })
            })
            .collect();
        json!({ "levels": levels, "schools": schools })
    }

    fn to_text(&self, lang: Lang, path: &str) -> String {
        let zh = lang == Lang::Zh;
        let mut out = String::new();
        let mut line = |s: String| {
            out.push_str(&s);
            out.push('\n');
        };
        if zh {
            line(format!("优质均衡核算（{NATIONAL}）：{path}，共 {} 行", self.schools.len()));
        } else {
            line(format!("Balance check ({NATIONAL}): {path}, {} rows", self.schools.len()));
        }
        let name_width = Indicator::ALL.iter().map(|&i| width(&indicator_name(i, lang))).max().unwrap_or(0);
        for l in &self.levels {
            line(String::new());
            let level_name = if zh { l.level.zh().to_owned() } else { capitalize(l.level.key()) };
            if l.schools == 0 {
                line(if zh { format!("{level_name}：无学校") } else { format!("{level_name}: no schools") });
                continue;
            }
            let within = l.cvs.iter().filter(|c| c.is_some_and(|v| v <= l.ceiling)).count();
            let mark = if l.cv_ok { "✓" } else { "✗" };
            line(if zh {
                format!(
                    "{level_name}：{} 所学校，达标 {} 所；差异系数 {within}/7 项不超过 {:.2} {mark}",
                    l.schools, l.passing, l.ceiling
                )
            } else {
                format!(
                    "{level_name}: {} schools, {} passing; {within} of 7 CVs within {:.2} {mark}",
                    l.schools, l.passing, l.ceiling
                )
            });
            let (h_ind, h_cv, h_max) = if zh { ("指标", "差异系数", "上限") } else { ("indicator", "CV", "ceiling") };
            line(format!("  {}  {}  {}", pad(h_ind, name_width), pad_left(h_cv, 8), pad_left(h_max, 7)));
            let mut reasons = Vec::new();
            for (&i, cv) in Indicator::ALL.iter().zip(&l.cvs) {
                let (value, mark) = match (cv, not_computable(*cv)) {
                    (Some(v), None) => (fixed(*v, 3), if *v <= l.ceiling { "✓" } else { "✗" }),
                    (_, reason) => {
                        reasons.extend(reason.map(|r| (i, r)));
                        ((if zh { "无法计算" } else { "n/a" }).to_owned(), "✗")
                    }
                };
                line(format!(
                    "  {}  {}  {}  {mark}",
                    pad(&indicator_name(i, lang), name_width),
                    pad_left(&value, 8),
                    pad_left(&format!("{:.2}", l.ceiling), 7)
                ));
            }
            for (i, r) in reasons {
                let sep = if zh { "：" } else { ": " };
                let head = if zh { "无法计算" } else { "not computable" };
                line(format!("  {head} ({}){sep}{}", indicator_name(i, lang), r.text().get(lang)));
            }
            let failing: Vec<_> = self.schools.iter().filter(|(s, a)| s.level == l.level && !a.passes).collect();
            if !failing.is_empty() {
                line(if zh { "  未达标学校：".to_owned() } else { "  Schools not passing:".to_owned() });
                for (s, a) in failing {
                    let sep = if zh { "：" } else { ": " };
                    line(format!("    {} {}{sep}{}", s.school_id, s.name, self.shortfalls(s, a, lang)));
                }
            }
        }
        out
    }

    /// The indicators a failing school misses, with value, threshold and share.
    fn shortfalls(&self, s: &School, a: &SchoolAssessment, lang: Lang) -> String {
        let zh = lang == Lang::Zh;
        if a.values.iter().any(Option::is_none) {
            return (if zh { "无在校生" } else { "no students" }).to_owned();
        }
        let standards = self.standards.level(s.level);
        let parts: Vec<String> = Indicator::ALL
            .iter()
            .zip(a.values.iter().zip(&a.met))
            .filter(|(_, (_, met))| !**met)
            .filter_map(|(&i, (v, _))| {
                let v = (*v)?;
                let t = standards.threshold(i);
                let share = if t > 0.0 { format!("{}%", fixed(100.0 * v / t, 0)) } else { "—".into() };
                let name = if zh { i.short_zh().to_owned() } else { short_en(i).to_owned() };
                Some(format!("{name} {} < {} ({share})", fmt_value(i, v), fmt_value(i, t)))
            })
            .collect();
        parts.join(if zh { "；" } else { "; " })
    }
}

fn fmt_value(i: Indicator, v: f64) -> String {
    match i {
        Indicator::EquipmentYuanPerStudent => fixed(v, 0),
        _ => fixed(v, 2),
    }
}

fn indicator_name(i: Indicator, lang: Lang) -> String {
    match lang {
        Lang::Zh => i.zh().to_owned(),
        Lang::En => match i {
            Indicator::QualifiedTeachersPer100 => "teachers above required degree /100 students",
            Indicator::BackboneTeachersPer100 => "backbone teachers /100 students",
            Indicator::PeArtTeachersPer100 => "PE and art teachers /100 students",
            Indicator::TeachingSpaceM2PerStudent => "teaching space m² /student",
            Indicator::SportsSpaceM2PerStudent => "sports space m² /student",
            Indicator::EquipmentYuanPerStudent => "equipment yuan /student",
            Indicator::MultimediaRoomsPer100 => "multimedia rooms /100 students",
        }
        .to_owned(),
    }
}

fn short_en(i: Indicator) -> &'static str {
    match i {
        Indicator::QualifiedTeachersPer100 => "qualified teachers",
        Indicator::BackboneTeachersPer100 => "backbone teachers",
        Indicator::PeArtTeachersPer100 => "PE/art teachers",
        Indicator::TeachingSpaceM2PerStudent => "teaching space",
        Indicator::SportsSpaceM2PerStudent => "sports space",
        Indicator::EquipmentYuanPerStudent => "equipment",
        Indicator::MultimediaRoomsPer100 => "multimedia rooms",
    }
}

fn capitalize(s: &str) -> String {
    let mut c = s.chars();
    c.next().map(|f| f.to_uppercase().chain(c).collect()).unwrap_or_default()
}

/// Terminal width: CJK and full-width characters take two cells.
fn width(s: &str) -> usize {
    s.chars().map(|c| if ('\u{2E80}'..='\u{FFEF}').contains(&c) { 2 } else { 1 }).sum()
}

fn pad(s: &str, w: usize) -> String {
    format!("{s}{}", " ".repeat(w.saturating_sub(width(s))))
}

fn pad_left(s: &str, w: usize) -> String {
    format!("{}{s}", " ".repeat(w.saturating_sub(width(s))))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(a: &[&str]) -> Vec<String> {
        a.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn parses_flags() {
        let o = parse_args(&args(&["r.csv", "--json", "--lang", "en"])).unwrap();
        assert_eq!((o.path.as_str(), o.json, o.lang), ("r.csv", true, Lang::En));
        let o = parse_args(&args(&["--lang=zh", "r.csv"])).unwrap();
        assert_eq!((o.json, o.lang), (false, Lang::Zh));
        assert!(parse_args(&args(&["r.csv", "--verbose"])).unwrap_err().to_string().contains("`--verbose`"));
        assert!(parse_args(&args(&["r.csv", "--lang", "fr"])).unwrap_err().to_string().contains("fr"));
        assert!(parse_args(&args(&["r.csv", "--lang"])).is_err());
        assert!(parse_args(&args(&["a.csv", "b.csv"])).is_err());
        assert!(parse_args(&args(&["--json"])).is_err());
    }

    /// Values no real roster holds (plausibility bounds are the roster
    /// validation's job; the output must stay readable whatever gets through).
    fn absurd_roster() -> Roster {
        let text = include_str!("../../tests/data/balance_small.csv");
        let mut r = youjun::roster::csv_io::parse_roster_csv(text, Lang::Zh).unwrap();
        r.schools[0].equipment_yuan = 1e308;
        r.schools[1].teaching_space_m2 = 1e200;
        r.schools[1].sports_space_m2 = 1e160;
        r
    }

    /// The longest run of digits in `s`.
    fn longest_digits(s: &str) -> usize {
        s.split(|c: char| !c.is_ascii_digit()).map(str::len).max().unwrap_or(0)
    }

    #[test]
    fn absurd_values_give_bounded_digits_and_reasons_not_inf_or_null() {
        let roster = absurd_roster();
        let standards = Standards::default();
        let report = Report::new(&roster, &standards);
        for lang in [Lang::Zh, Lang::En] {
            let text = report.to_text(lang, "r.csv");
            assert!(longest_digits(&text) <= 12, "{text}");
            assert!(!text.contains("inf") && !text.contains("NaN"), "{text}");
        }
        let text = report.to_text(Lang::En, "r.csv");
        assert!(text.contains("not computable (equipment yuan /student): the roster's values are too large"), "{text}");
        // Every null in the JSON has its reason beside it.
        let json = report.to_json();
        let mut nulls = 0;
        for (key, level) in json["levels"].as_object().unwrap() {
            for (i, v) in level["cv"].as_object().unwrap() {
                if v.is_null() {
                    nulls += 1;
                    assert_eq!(level["not_computable"][i]["reason"], "overflow", "{key}.{i}");
                }
            }
        }
        for school in json["schools"].as_array().unwrap() {
            for (i, v) in school["indicators"].as_object().unwrap() {
                if v.is_null() {
                    nulls += 1;
                    assert!(school["not_computable"][i]["reason"].is_string(), "{school}");
                }
            }
        }
        assert!(nulls >= 3, "{json}");
        assert!(longest_digits(&json_text(&json).unwrap()) <= 20);
    }

    #[test]
    fn width_counts_cjk_as_two() {
        assert_eq!(width("ab"), 2);
        assert_eq!(width("小学"), 4);
        assert_eq!(width("m²"), 2);
        assert_eq!(pad("小学", 6), "小学  ");
    }
}
