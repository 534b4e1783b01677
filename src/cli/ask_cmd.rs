//! `youjun seek`, `youjun sensitivity` and `youjun explain`: the model asked
//! back (issue 15), over `youjun::ask`.

use serde_json::{json, Value};

use youjun::ask::{self, Attribution, Confidence, LeverMove, SeekAnswer, Sensitivity, TargetChoice};
use youjun::engine::{Model, TargetOutcome};
use youjun::i18n::Lang;
use youjun::levers;
use youjun::message::{Error, Place, Problem, Text};

use super::scenario_cmd::load;
use super::{json_text, missing_value, usage};

/// The options of the three commands; each takes the ones it lists.
#[derive(Default)]
struct AskArgs {
    path: String,
    target: Option<String>,
    lever: Option<String>,
    probability: Option<f64>,
    runs: Option<u32>,
    share: Option<f64>,
    sets: Vec<String>,
    json: bool,
    lang: Lang,
}

fn parse(args: &[String], command: &str, allowed: &[&str]) -> Result<AskArgs, Error> {
    let mut r = AskArgs::default();
    let bad = |option: &str, message: Text, got: &str| {
        usage(Problem::new(Place::Arg(option.to_owned()), message).found(youjun::message::quoted(got)))
    };
    let mut it = args.iter();
    while let Some(a) = it.next() {
        let option = a.as_str();
        if option.starts_with("--") && !allowed.contains(&option) && !["--json", "--lang"].contains(&option) {
            let message = Text::new(format!("{command} 没有此选项"), format!("{command} has no such option"));
            return Err(usage(Problem::new(Place::Arg(option.to_owned()), message)));
        }
        let mut value = |name: &str| it.next().cloned().ok_or_else(|| missing_value(name));
        match option {
            "--target" => r.target = Some(value(option)?),
            "--lever" => r.lever = Some(value(option)?),
            "--set" => r.sets.push(value(option)?),
            "--probability" => {
                let v = value(option)?;
                let message = Text::new("须为大于 0 且不超过 1 的数（如 0.8）", "must be a number above 0 and at most 1 (e.g. 0.8)");
                r.probability = Some(v.parse().ok().filter(|p: &f64| *p > 0.0 && *p <= 1.0).ok_or_else(|| bad(option, message, &v))?);
            }
            "--runs" => {
                let v = value(option)?;
                let message = Text::new("须为 1 到 100000 的整数", "must be a whole number from 1 to 100000");
                r.runs = Some(v.parse().ok().filter(|n| (1..=100_000).contains(n)).ok_or_else(|| bad(option, message, &v))?);
            }
            "--share" => {
                let v = value(option)?;
                let message = Text::new("须为大于 0 且不超过 10 的数（如 0.2 即 ±20%）", "must be a number above 0 and at most 10 (0.2 is ±20%)");
                r.share = Some(v.parse().ok().filter(|s: &f64| *s > 0.0 && *s <= 10.0).ok_or_else(|| bad(option, message, &v))?);
            }
            "--json" => r.json = true,
            "--lang" => {
                r.lang = match value(option)?.as_str() {
                    "zh" => Lang::Zh,
                    "en" => Lang::En,
                    other => return Err(bad(option, Text::new("须为 zh 或 en", "must be zh or en"), other)),
                }
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

fn required(v: Option<String>, option: &str) -> Result<String, Error> {
    v.ok_or_else(|| usage(Problem::new(Place::Arg(option.to_owned()), Text::new("缺少此选项", "this option is required"))))
}

/// Central, or a probability when `--probability` or `--runs` is given.
fn confidence(model: &Model, a: &AskArgs) -> Result<Confidence, Error> {
    if a.probability.is_none() && a.runs.is_none() {
        Ok(Confidence::Central)
    } else {
        Confidence::probability(&model.scenario, a.probability, a.runs)
    }
}

fn label(model: &Model, id: &str) -> String {
    model.scenario.targets.iter().find(|t| t.id == id).map(|t| t.label.clone()).unwrap_or_default()
}

fn pct(p: Option<f64>) -> String {
    p.map_or_else(|| "—".into(), |p| format!("{:.1}%", p * 100.0))
}

fn num(v: f64) -> String {
    if !v.is_finite() {
        "—".into()
    } else if v.abs() >= 1e15 {
        format!("{v:.3e}")
    } else if v.fract() == 0.0 {
        format!("{v:.0}")
    } else {
        let t = format!("{v:.4}");
        t.trim_end_matches('0').trim_end_matches('.').to_owned()
    }
}

fn outcomes_json(o: &[TargetOutcome]) -> Value {
    Value::Array(o.iter().map(|o| json!({ "id": o.id, "value": o.value, "met": o.met })).collect())
}

pub fn seek(args: &[String]) -> Result<(), Error> {
    let a = parse(args, "seek", &["--target", "--lever", "--probability", "--runs"])?;
    let target = required(a.target.clone(), "--target")?;
    let lever = required(a.lever.clone(), "--lever")?;
    let model = load(&a.path)?;
    let choice = TargetChoice::parse(&model.scenario, &target)?;
    let mv = LeverMove::parse(&lever)?;
    let conf = confidence(&model, &a)?;
    let answer = ask::seek(&model.scenario, &model.roster, &choice, mv, conf, |_| {})?;
    if a.json {
        super::stdout::emit_line(&json_text(&seek_json(&model, &mv, &answer))?)?;
    } else {
        super::stdout::emit(&seek_text(&model, &mv, &answer, a.lang))?;
    }
    Ok(())
}

/// The `youjun.seek/1` document (README).
fn seek_json(model: &Model, mv: &LeverMove, r: &SeekAnswer) -> Value {
    json!({
        "schema": "youjun.seek/1",
        "scenario": model.scenario.scenario.id,
        "seed": model.scenario.scenario.seed,
        "target": r.target,
        "targets": r.targets,
        "lever": r.lever,
        "confidence": r.confidence.p().map_or("central", |_| "probability"),
        "p": r.confidence.p(),
        "runs_per_trial": r.confidence.runs(),
        "from": r.from,
        "value": r.value,
        "change": r.change,
        "reachable": r.reachable,
        "probability": r.probability,
        "from_probability": r.from_probability,
        "central": outcomes_json(&r.central),
        "from_central": outcomes_json(&r.from_central),
        "range": [r.range.0, r.range.1],
        "step": r.step,
        "set": mv.settings(&model.scenario, r.value),
        "trials": r.trials,
        "runs": r.runs,
    })
}

fn seek_text(model: &Model, mv: &LeverMove, r: &SeekAnswer, lang: Lang) -> String {
    let zh = lang == Lang::Zh;
    let mut o = String::new();
    let what = if r.targets.len() == 1 { label(model, &r.targets[0]) } else { r.targets.join(", ") };
    o += &if zh { format!("达标测算 · {}（{what}）\n", r.target) } else { format!("Goal-seek · {} ({what})\n", r.target) };
    o += &format!("{}{} · {}\n", if zh { "调节项：" } else { "Lever: " }, r.lever, mv.label().get(lang));
    o += &match r.confidence {
        Confidence::Central => (if zh { "要求：中心值达标\n" } else { "Required: met by the central run\n" }).to_owned(),
        Confidence::Probability { p, runs } => {
            let seed = model.scenario.scenario.seed;
            if zh {
                format!("要求：达标概率 ≥ {:.0}%（每次试算 {runs} 次模拟，随机种子 {seed}）\n", p * 100.0)
            } else {
                format!("Required: probability ≥ {:.0}% ({runs} runs a trial, seed {seed})\n", p * 100.0)
            }
        }
    };
    let central = |c: &[TargetOutcome]| c.iter().map(|c| num(c.value)).collect::<Vec<_>>().join(", ");
    let prob = if r.probability.is_some() {
        format!("{}{} → {}; ", if zh { "概率 " } else { "probability " }, pct(r.from_probability), pct(r.probability))
    } else {
        String::new()
    };
    let change = format!("{}{}", if r.change > 0.0 { "+" } else { "" }, num(r.change));
    o += &match (r.reachable, r.change == 0.0, zh) {
        (true, true, true) => format!("结果：当前取值 {} 已达标（{prob}中心值 {}）\n", num(r.from), central(&r.central)),
        (true, true, false) => format!("Answer: the current value {} already meets it ({prob}central {})\n", num(r.from), central(&r.central)),
        (true, false, true) => {
            format!("结果：由 {} 调至 {}（{change}）：{prob}中心值 {} → {}\n", num(r.from), num(r.value), central(&r.from_central), central(&r.central))
        }
        (true, false, false) => {
            format!("Answer: {} → {} ({change}): {prob}central {} → {}\n", num(r.from), num(r.value), central(&r.from_central), central(&r.central))
        }
        (false, _, true) => {
            format!("结果：在范围 {}–{} 内无法达标；最好的取值 {}：{prob}中心值 {}\n", num(r.range.0), num(r.range.1), num(r.value), central(&r.central))
        }
        (false, _, false) => format!(
            "Answer: not reachable within {}–{}; the best value {}: {prob}central {}\n",
            num(r.range.0),
            num(r.range.1),
            num(r.value),
            central(&r.central)
        ),
    };
    if r.reachable && r.change != 0.0 {
        o += &format!("{}{}\n", if zh { "设置：--set " } else { "Set: --set " }, mv.settings(&model.scenario, r.value).join(" --set "));
    }
    o += &if zh { format!("试算 {} 次，运行模型 {} 次\n", r.trials, r.runs) } else { format!("{} trials, {} model runs\n", r.trials, r.runs) };
    o
}

pub fn sensitivity(args: &[String]) -> Result<(), Error> {
    let a = parse(args, "sensitivity", &["--target", "--share", "--probability", "--runs"])?;
    let target = required(a.target.clone(), "--target")?;
    let model = load(&a.path)?;
    let conf = confidence(&model, &a)?;
    let share = a.share.unwrap_or(ask::DEFAULT_SHARE);
    let r = ask::sensitivity(&model.scenario, &model.roster, &target, share, conf, |_| {})?;
    if a.json {
        super::stdout::emit_line(&json_text(&sensitivity_json(&model, &r))?)?;
    } else {
        super::stdout::emit(&sensitivity_text(&model, &r, a.lang))?;
    }
    Ok(())
}

/// The `youjun.sensitivity/1` document (README).
fn sensitivity_json(model: &Model, r: &Sensitivity) -> Value {
    let rows: Vec<Value> = r
        .rows
        .iter()
        .map(|w| {
            json!({
                "lever": w.lever,
                "from": w.from,
                "low": w.low,
                "high": w.high,
                "effect_low": w.effect_low,
                "effect_high": w.effect_high,
                "probability_low": w.probability_low,
                "probability_high": w.probability_high,
            })
        })
        .collect();
    json!({
        "schema": "youjun.sensitivity/1",
        "scenario": model.scenario.scenario.id,
        "seed": model.scenario.scenario.seed,
        "target": r.target,
        "share": r.share,
        "runs_per_trial": r.runs,
        "value": r.value,
        "probability": r.probability,
        "rows": rows,
        "trials": r.trials,
        "runs": r.model_runs,
    })
}

fn sensitivity_text(model: &Model, r: &Sensitivity, lang: Lang) -> String {
    let zh = lang == Lang::Zh;
    let mut o = String::new();
    o += &if zh {
        format!("敏感性 · {}（{}）：当前中心值 {}", r.target, label(model, &r.target), num(r.value))
    } else {
        format!("Sensitivity · {} ({}): central value now {}", r.target, label(model, &r.target), num(r.value))
    };
    if r.probability.is_some() {
        o += &format!("{}{}", if zh { "，概率 " } else { ", probability " }, pct(r.probability));
    }
    o += &if zh {
        format!("；各调节项 ±{:.0}%（以允许范围为限）\n", r.share * 100.0)
    } else {
        format!("; each lever ±{:.0}% (inside its range)\n", r.share * 100.0)
    };
    let p = r.probability.is_some();
    o += &format!(
        "  {:<44} {:>14} {:>14} {:>12} {:>12}{}\n",
        if zh { "调节项" } else { "lever" },
        if zh { "低值" } else { "low" },
        if zh { "高值" } else { "high" },
        if zh { "低值影响" } else { "effect low" },
        if zh { "高值影响" } else { "effect high" },
        if p {
            if zh {
                "      概率(低)     概率(高)"
            } else {
                "        P(low)      P(high)"
            }
        } else {
            ""
        }
    );
    for w in &r.rows {
        let signed = |v: f64| if v > 0.0 { format!("+{}", num(v)) } else { num(v) };
        o += &format!("  {:<44} {:>14} {:>14} {:>12} {:>12}", w.lever, num(w.low), num(w.high), signed(w.effect_low), signed(w.effect_high));
        if p {
            o += &format!(" {:>12} {:>12}", pct(w.probability_low), pct(w.probability_high));
        }
        o += "\n";
    }
    o += &if zh {
        format!("试算 {} 次，运行模型 {} 次\n", r.trials, r.model_runs)
    } else {
        format!("{} trials, {} model runs\n", r.trials, r.model_runs)
    };
    o
}

pub fn explain(args: &[String]) -> Result<(), Error> {
    let a = parse(args, "explain", &["--target", "--set", "--runs"])?;
    let target = required(a.target.clone(), "--target")?;
    let model = load(&a.path)?;
    let conf = confidence(&model, &a)?;
    let mut edited = model.scenario.clone();
    for s in &a.sets {
        ask::apply_setting(&mut edited, s)?;
    }
    let r = ask::attribution(&model.scenario, &edited, &model.roster, &target, conf, |_| {})?;
    if a.json {
        super::stdout::emit_line(&json_text(&explain_json(&model, &a.sets, conf, &r))?)?;
    } else {
        super::stdout::emit(&explain_text(&model, &r, a.lang))?;
    }
    Ok(())
}

/// The `youjun.explain/1` document (README).
fn explain_json(model: &Model, sets: &[String], conf: Confidence, r: &Attribution) -> Value {
    let contributions: Vec<Value> =
        r.contributions.iter().map(|c| json!({ "lever": c.lever, "yearly": c.yearly, "value": c.value, "probability": c.probability })).collect();
    json!({
        "schema": "youjun.explain/1",
        "scenario": model.scenario.scenario.id,
        "seed": model.scenario.scenario.seed,
        "target": r.target,
        "set": sets,
        "runs_per_trial": conf.runs(),
        "base_value": r.base_value,
        "edited_value": r.edited_value,
        "total": r.total,
        "base_probability": r.base_probability,
        "edited_probability": r.edited_probability,
        "contributions": contributions,
        "exact": r.exact,
        "samples": r.samples,
        "coalitions": r.coalitions,
        "runs": r.runs,
    })
}

fn explain_text(model: &Model, r: &Attribution, lang: Lang) -> String {
    let zh = lang == Lang::Zh;
    let mut o = String::new();
    o += &if zh {
        format!("变化归因 · {}（{}）\n", r.target, label(model, &r.target))
    } else {
        format!("Attribution · {} ({})\n", r.target, label(model, &r.target))
    };
    let p = r.base_probability.is_some();
    let signed = |v: f64| if v > 0.0 { format!("+{}", num(v)) } else { num(v) };
    let signed_pct = |v: Option<f64>| v.map_or_else(String::new, |v| format!("{}{:.1} pp", if v > 0.0 { "+" } else { "" }, v * 100.0));
    o += &format!(
        "  {:<44} {:>12}{}\n",
        if zh { "基准" } else { "base" },
        num(r.base_value),
        if p { format!(" {:>12}", pct(r.base_probability)) } else { String::new() }
    );
    if r.contributions.is_empty() {
        o += if zh { "  （没有改动的调节项：请用 --set 给出改动）\n" } else { "  (no lever changed: give the edits with --set)\n" };
    }
    for c in &r.contributions {
        let name = levers::lever(c.lever).map(|l| lang.pick(l.zh, l.en)).or_else(|| levers::yearly_lever(c.lever).map(|l| lang.pick(l.zh, l.en))).unwrap_or("");
        o += &format!("  {:<44} {:>12}{}  {name}\n", c.lever, signed(c.value), if p { format!(" {:>12}", signed_pct(c.probability)) } else { String::new() });
    }
    o += &format!(
        "  {:<44} {:>12}{}\n",
        if zh { "调整后" } else { "edited" },
        num(r.edited_value),
        if p { format!(" {:>12}", pct(r.edited_probability)) } else { String::new() }
    );
    o += &if zh { format!("  合计变化 {}", signed(r.total)) } else { format!("  total change {}", signed(r.total)) };
    if p {
        o += &format!(", {}", signed_pct(r.edited_probability.zip(r.base_probability).map(|(a, b)| a - b)));
    }
    o += "\n";
    o += &match (r.exact, zh) {
        (true, true) => format!("精确沙普利值：{} 个组合，运行模型 {} 次\n", r.coalitions, r.runs),
        (true, false) => format!("Exact Shapley values: {} coalitions, {} model runs\n", r.coalitions, r.runs),
        (false, true) => format!("抽样沙普利值：{} 个随机顺序（{} 个组合），运行模型 {} 次\n", r.samples, r.coalitions, r.runs),
        (false, false) => format!("Sampled Shapley values: {} random orders ({} coalitions), {} model runs\n", r.samples, r.coalitions, r.runs),
    };
    o
}
