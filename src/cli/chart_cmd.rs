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
