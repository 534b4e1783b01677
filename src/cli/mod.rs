//! Command dispatch. Each command lives in its own file and returns a
//! [`youjun::message::Error`] for anything the user must fix; `main` prints
//! it in the language of `--lang`, or in Chinese then English.

mod ask_cmd;
mod backtest_cmd;
mod balance;
mod chart_cmd;
mod numbers;
mod read;
mod scenario_cmd;
mod stdout;

use youjun::i18n::Lang;
use youjun::message::{Error, ErrorKind, Place, Problem, Text};

pub const USAGE: &str = "用法 (usage):
  youjun check SCENARIO [--sheet NAME]
      校验场景文件，列出全部错误。
  youjun run SCENARIO [--sheet NAME] [--runs N] [--seed S] [--set LEVER=VALUE]… [--json] [--lang en]
      逐年模拟至规划期末：目标达成情况（含蒙特卡洛概率）与优质均衡指标。
      --set 改一个调节项（可重复；年度调节项写 LEVER@YEAR=VALUE；取值按存储单位，比例为 0–1）。
  youjun seek SCENARIO --target TARGET --lever LEVER [--probability P] [--runs N] [--json] [--lang en]
      达标测算：调节项最小改变多少能达成目标（中心值，或概率 ≥ P，默认 0.8）。
      TARGET 为目标 id，或 all-2026（该年全部目标）；LEVER 为单值调节项 id，
      或年度调节项 id 加 :shift（各年加同一数）/ :scale（各年乘同一倍数）。
  youjun sensitivity SCENARIO --target TARGET [--share 0.2] [--probability P] [--runs N] [--json] [--lang en]
      敏感性：各单值调节项分别调到 ±share（以允许范围为限）时目标中心值（及概率）的变化，按影响排序。
  youjun explain SCENARIO --set LEVER=VALUE… --target TARGET [--runs N] [--json] [--lang en]
      变化归因：各改动调节项对目标变化的贡献（沙普利值，≤8 项精确，多于 8 项抽样）与合计。
  youjun export SCENARIO --out DIR [--runs N] [--seed S] [--set LEVER=VALUE]… [--lang en]
      导出逐校逐年、全区逐年与目标 CSV，results.xlsx（表头语言随 --lang），图表 SVG 与 run.json。
  youjun balance ROSTER.csv|ROSTER.xlsx [--sheet NAME] [--json] [--lang en]
      按现有花名册核算七项指标、学校达标情况与各学段差异系数。
      花名册：CSV（UTF-8、UTF-16、GBK/GB18030，逗号或制表符分隔）或 Excel 工作簿；
      --sheet 指定工作表（不指定时用唯一含花名册的工作表，有多张时须指定）。
  youjun backtest SCENARIO [--json]
      用场景的出生数序列回测一年级招生模型（对照上海市公布的一年级报名数）。
  youjun chart-new-quality [--gain N] [--out FILE.svg]
      浦东新区区级新优质项目校：规划目标与按每年新增 N 所的推算 (SVG)。
  youjun chart-map SCENARIO [--year Y] [--status passes|new_quality|surplus_teachers|seat_gap] [--lang en] [--sheet NAME] [--out FILE.svg]
      学校地图：按所选状态着色的各校位置（花名册须有经纬度或 X/Y 坐标列；年份缺省为最后一年）(SVG)。
  youjun --help";

/// Runs the command `args` names.
///
/// # Errors
///
/// [`ErrorKind::Usage`] for a command line it does not understand, and
/// whatever the command reports (a bad scenario or roster, a file that
/// cannot be read or written).
pub fn run(args: &[String]) -> Result<(), Error> {
    match args.first().map(String::as_str) {
        Some("balance") => balance::run(&args[1..]),
        Some("check") => scenario_cmd::check(&args[1..]),
        Some("run") => scenario_cmd::run(&args[1..]),
        Some("export") => scenario_cmd::export(&args[1..]),
        Some("seek") => ask_cmd::seek(&args[1..]),
        Some("sensitivity") => ask_cmd::sensitivity(&args[1..]),
        Some("explain") => ask_cmd::explain(&args[1..]),
        Some("backtest") => backtest_cmd::run(&args[1..]),
        Some("chart-new-quality") => chart_cmd::run(&args[1..]),
        Some("chart-map") => chart_cmd::map(&args[1..]),
        Some("--help") | Some("-h") | None => stdout::emit_line(USAGE),
        Some(other) => Err(usage(Problem::new(Place::Arg(other.to_owned()), Text::new("未知命令", "unknown command")))),
    }
}

/// The language errors are printed in: the one `--lang zh|en` (or
/// `--lang=…`) asks for, else `None` for Chinese then English.
pub fn error_lang(args: &[String]) -> Option<Lang> {
    let value = args.iter().enumerate().find_map(|(k, a)| match a.strip_prefix("--lang=") {
        Some(v) => Some(v),
        None if a == "--lang" => args.get(k + 1).map(String::as_str),
        None => None,
    });
    match value {
        Some("zh") => Some(Lang::Zh),
        Some("en") => Some(Lang::En),
        _ => None,
    }
}

/// The error as printed on stderr, in `lang` or (without one) in both languages.
pub fn report(e: &Error, lang: Option<Lang>) -> String {
    match lang {
        Some(lang) => format!("{}{}", lang.pick("错误：", "error: "), e.message(lang)),
        None => format!("错误 (error): {}", e.bilingual()),
    }
}

/// A command line the CLI does not understand ([`ErrorKind::Usage`]); `main`
/// prints the usage after it.
pub(crate) fn usage(problem: Problem) -> Error {
    Error::new(ErrorKind::Usage, problem)
}

/// An option given without its value.
pub(crate) fn missing_value(option: &str) -> Error {
    usage(Problem::new(Place::Arg(option.to_owned()), Text::new("缺少取值", "missing value")))
}

/// A file that could not be read or written ([`ErrorKind::File`]): `what`
/// happened to `path`, and the system's reason as found.
pub(crate) fn file_error(path: &str, what: Text, why: impl std::fmt::Display) -> Error {
    Error::new(ErrorKind::File, Problem::new(Place::File(path.to_owned()), what).found(why.to_string()))
}

/// `value` as pretty JSON text.
pub(crate) fn json_text(value: &serde_json::Value) -> Result<String, Error> {
    serde_json::to_string_pretty(value)
        .map_err(|e| Error::new(ErrorKind::File, Problem::whole(Text::new("无法写出 JSON", "cannot write the JSON")).found(e.to_string())))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(a: &[&str]) -> Vec<String> {
        a.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn errors_follow_the_lang_option() {
        assert_eq!(error_lang(&args(&["run", "x.toml", "--lang", "en"])), Some(Lang::En));
        assert_eq!(error_lang(&args(&["balance", "--lang=zh", "r.csv"])), Some(Lang::Zh));
        assert_eq!(error_lang(&args(&["check", "x.toml"])), None);
        assert_eq!(error_lang(&args(&["run", "--lang"])), None);
        let e = run(&args(&["frobnicate"])).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Usage);
        assert_eq!(report(&e, None), "错误 (error): `frobnicate`: 未知命令 (unknown command)");
        assert_eq!(report(&e, Some(Lang::En)), "error: `frobnicate`: unknown command");
        assert_eq!(report(&e, Some(Lang::Zh)), "错误：`frobnicate`：未知命令");
    }
}
