use youjun::chart::{draw_new_quality_trajectory, to_svg_string, NewQualityChart};
use youjun::message::{Error, Place, Problem, Text};
use youjun::plan::pudong_new_quality_schools;

use super::{file_error, missing_value, usage};

pub fn run(args: &[String]) -> Result<(), Error> {
    let plan = pudong_new_quality_schools();
    let mut gain = plan.required_yearly_gain();
    let mut out: Option<String> = None;
    let mut it = args.iter();
    while let Some(flag) = it.next() {
        let value = it.next().ok_or_else(|| missing_value(flag))?;
        let arg = |message: Text| Problem::new(Place::Arg(flag.clone()), message);
        match flag.as_str() {
            "--gain" => {
                gain = value.parse::<f64>().ok().filter(|g| (0.0..=100.0).contains(g)).ok_or_else(|| {
                    usage(arg(Text::new("须为 0 到 100 之间的数", "must be a number from 0 to 100")).found(value))
                })?;
            }
            "--out" => out = Some(value.clone()),
            _ => return Err(usage(arg(Text::new("未知选项", "unknown option")))),
        }
    }
    let chart = NewQualityChart { plan: &plan, yearly_gain: gain, last_year: 2028 };
    let svg = to_svg_string((900, 520), |area| draw_new_quality_trajectory(area, &chart))?;
    match out {
        Some(path) => std::fs::write(&path, svg).map_err(|e| file_error(&path, Text::new("无法写入", "cannot write"), e)),
        None => super::stdout::emit(&svg),
    }
}

/// `youjun chart-map SCENARIO [--year Y] [--status S] [--lang zh|en]
/// [--sheet NAME] [--out FILE.svg]`: the schools on a map as SVG, coloured
/// by the status, for the year (the scenario's last year when not given).
pub fn map(args: &[String]) -> Result<(), Error> {
    use youjun::chart::{draw_school_map, has_locations, school_map, MapStatus};
    use youjun::i18n::Lang;

    let Some(path) = args.first().filter(|a| !a.starts_with("--")) else {
        return Err(usage(Problem::whole(Text::new("chart-map 需要一个场景文件 SCENARIO", "chart-map takes one SCENARIO"))));
    };
    let (mut year, mut status, mut lang, mut sheet, mut out) = (None, MapStatus::Passes, Lang::Zh, None, None);
    let mut it = args[1..].iter();
    while let Some(flag) = it.next() {
        let value = it.next().ok_or_else(|| missing_value(flag))?;
        let arg = |message: Text| Problem::new(Place::Arg(flag.clone()), message);
        match flag.as_str() {
            "--year" => {
                year = Some(value.parse::<i32>().map_err(|_| usage(arg(Text::new("须为年份", "must be a year")).found(value)))?);
            }
            "--status" => {
                let keys: Vec<&str> = MapStatus::ALL.iter().map(|s| s.key()).collect();
                status = MapStatus::from_key(value).ok_or_else(|| {
                    let allowed = keys.join(", ");
                    usage(arg(Text::new("未知状态", "unknown status")).allowed(Text::new(allowed.clone(), allowed)).found(value))
                })?;
            }
            "--lang" => {
                lang = match value.as_str() {
                    "zh" => Lang::Zh,
                    "en" => Lang::En,
                    _ => return Err(usage(arg(Text::new("须为 zh 或 en", "must be zh or en")).found(value))),
                }
            }
            "--sheet" => sheet = Some(value.clone()),
            "--out" => out = Some(value.clone()),
            _ => return Err(usage(arg(Text::new("未知选项", "unknown option")))),
        }
    }
    let model = super::scenario_cmd::load_sheet(path, sheet.as_deref(), None)?;
    if !has_locations(&model) {
        let message = Text::new(
            "花名册没有坐标：请加上经度、纬度两列（longitude、latitude），或本区坐标系的 X坐标、Y坐标 两列（x、y）",
            "the roster has no coordinates: add the columns longitude and latitude (经度, 纬度), or x and y on the district's grid (X坐标, Y坐标)",
        );
        return Err(usage(Problem::new(Place::Arg(path.clone()), message)));
    }
    let t = model.run_central();
    let year = year.unwrap_or(model.scenario.scenario.end_year);
    if !t.years.contains(&year) {
        let (first, last) = (t.years[0], t.years[t.years.len() - 1]);
        let allowed = format!("{first}–{last}");
        let p = Problem::new(Place::Arg("--year".into()), Text::new("不在模拟年份内", "is outside the simulated years"));
        return Err(usage(p.allowed(Text::new(allowed.clone(), allowed)).found(year.to_string())));
    }
    let map = school_map(&model, &t, year, status, lang);
    let svg = to_svg_string((900, 560), |area| draw_school_map(area, &map))?;
    match out {
        Some(path) => std::fs::write(&path, svg).map_err(|e| file_error(&path, Text::new("无法写入", "cannot write"), e)),
        None => super::stdout::emit(&svg),
    }
}
