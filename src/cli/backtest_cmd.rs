//! `youjun backtest`: the intake model against published first-grade figures.

use youjun::engine::backtest::{intake_backtest, SHANGHAI_FIRST_GRADE};
use youjun::message::{Error, Problem, Text};

use super::{json_text, usage};

pub fn run(args: &[String]) -> Result<(), Error> {
    let (path, json) = match args {
        [p] => (p, false),
        [p, flag] | [flag, p] if flag == "--json" => (p, true),
        _ => return Err(usage(Problem::whole(Text::new("用法：youjun backtest SCENARIO [--json]", "usage: youjun backtest SCENARIO [--json]")))),
    };
    let model = super::scenario_cmd::load(path)?;
    let rows = intake_backtest(&model.scenario, &SHANGHAI_FIRST_GRADE).map_err(|e| e.context(path))?;
    if json {
        let v = serde_json::json!({ "observed": SHANGHAI_FIRST_GRADE, "forecasts": rows });
        return super::stdout::emit_line(&json_text(&v)?);
    }
    use std::fmt::Write;
    let mut text = format!("一年级招生回测 (intake backtest): 上海市, 出生数取自 {}\n", model.scenario.scenario.id);
    text.push_str("校准年  预测年  6年前出生数   预测      实际      误差\n");
    for r in &rows {
        let _ = writeln!(
            text,
            "{:>6}  {:>6}  {:>10.0}  {:>8.0}  {:>8.0}  {:>+6.1}%",
            r.calibrated_on,
            r.year,
            r.births_six_years_earlier,
            r.forecast,
            r.observed,
            r.error_share * 100.0
        );
    }
    for o in &SHANGHAI_FIRST_GRADE {
        let _ = writeln!(text, "  {} {:.0}: {}", o.year, o.grade1, o.source);
    }
    super::stdout::emit(&text)
}
