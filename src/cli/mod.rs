//! Command dispatch. Each command lives in its own file and returns
//! `Err(message)` for anything the user must fix.

mod backtest_cmd;
mod balance;
mod chart_cmd;
mod scenario_cmd;

pub const USAGE: &str = "用法 (usage):
  youjun check SCENARIO
      校验场景文件，列出全部错误。
  youjun run SCENARIO [--runs N] [--seed S] [--json] [--lang en]
      逐年模拟至规划期末：目标达成情况（含蒙特卡洛概率）与优质均衡指标。
  youjun export SCENARIO --out DIR [--runs N] [--seed S] [--lang en]
      导出逐校逐年、全区逐年与目标 CSV，results.xlsx（表头语言随 --lang），图表 SVG 与 run.json。
  youjun balance ROSTER.csv|ROSTER.xlsx [--json] [--lang en]
      按现有花名册核算七项指标、学校达标情况与各学段差异系数。
  youjun backtest SCENARIO [--json]
      用场景的出生数序列回测一年级招生模型（对照上海市公布的一年级报名数）。
  youjun chart-new-quality [--gain N] [--out FILE.svg]
      浦东新区区级新优质项目校：规划目标与按每年新增 N 所的推算 (SVG)。
  youjun --help";

pub fn run(args: &[String]) -> Result<(), String> {
    match args.first().map(String::as_str) {
        Some("balance") => balance::run(&args[1..]),
        Some("check") => scenario_cmd::check(&args[1..]),
        Some("run") => scenario_cmd::run(&args[1..]),
        Some("export") => scenario_cmd::export(&args[1..]),
        Some("backtest") => backtest_cmd::run(&args[1..]),
        Some("chart-new-quality") => chart_cmd::run(&args[1..]),
        Some("--help") | Some("-h") | None => {
            println!("{USAGE}");
            Ok(())
        }
        Some(other) => Err(format!("未知命令 `{other}` (unknown command)\n{USAGE}")),
    }
}
