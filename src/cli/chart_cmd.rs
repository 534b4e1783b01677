use youjun::chart::{draw_new_quality_trajectory, to_svg_string, NewQualityChart};
use youjun::plan::pudong_new_quality_schools;

pub fn run(args: &[String]) -> Result<(), String> {
    let plan = pudong_new_quality_schools();
    let mut gain = plan.required_yearly_gain();
    let mut out: Option<String> = None;
    let mut it = args.iter();
    while let Some(flag) = it.next() {
        let value = it.next().ok_or_else(|| format!("选项 {flag} 缺少取值 (missing value)"))?;
        match flag.as_str() {
            "--gain" => {
                gain = value.parse::<f64>().ok().filter(|g| (0.0..=100.0).contains(g)).ok_or_else(|| {
                    format!("--gain 须为 0 到 100 之间的数 (must be a number from 0 to 100), got `{value}`")
                })?;
            }
            "--out" => out = Some(value.clone()),
            _ => return Err(format!("未知选项 `{flag}` (unknown option)")),
        }
    }
    let chart = NewQualityChart { plan: &plan, yearly_gain: gain, last_year: 2028 };
    let svg = to_svg_string((900, 520), |area| draw_new_quality_trajectory(area, &chart)).map_err(|e| e.to_string())?;
    match out {
        Some(path) => std::fs::write(&path, svg).map_err(|e| format!("无法写入 {path}: {e}")),
        None => {
            print!("{svg}");
            Ok(())
        }
    }
}
