//! What the leadership briefing says about the targets: a plain-language
//! summary (what is met, what is at risk, with the probabilities) and, for
//! each target missed or below the required probability, the smallest
//! single-lever change that reaches it ([`path`]), worded by rules
//! ([`summary`], [`path_sentence`]): deterministic, in Chinese, the
//! language of the briefing, or in English for its English variant.

use std::ops::ControlFlow;

use super::{seek, Confidence, LeverMove, Progress, TargetChoice};
use crate::engine::montecarlo::run_targets;
use crate::engine::{Model, TargetOutcome};
use crate::format;
use crate::i18n::Lang;
use crate::levers::{self, Unit, LEVERS};
use crate::message::Error;
use crate::roster::Roster;
use crate::scenario::{Scenario, TargetOp};
use crate::series;

/// Levers tried per target: the ones with the largest favourable central
/// effect at the ends of their ranges.
pub const CANDIDATES: usize = 3;

/// Runs per lever setting when ranking the levers by their gain in
/// probability (the same streams for every setting, so few are enough to
/// rank; the goal-seeks then use the runs asked for).
pub const RANK_RUNS: u32 = 40;

/// The change [`path`] found for a target.
#[derive(Debug, Clone, PartialEq)]
pub struct PathStep {
    /// The lever's id.
    pub lever: &'static str,
    /// Its value now.
    pub from: f64,
    /// The value that reaches the probability.
    pub to: f64,
    /// The target's probability at `to`.
    pub probability: f64,
}

/// What [`path`] found for one target.
#[derive(Debug, Clone, PartialEq)]
pub struct Path {
    /// The target's id.
    pub target: String,
    /// Its probability now.
    pub probability: f64,
    /// The smallest single-lever change that reaches the probability asked
    /// for, as a share of the lever's range; `None` when no lever tried does.
    pub step: Option<PathStep>,
    /// The levers tried, most promising first.
    pub tried: Vec<&'static str>,
    /// Model runs made.
    pub runs: u64,
}

/// The smallest single-lever change that gives `target_id` a probability of
/// at least `confidence`'s share: [`paths`] for one target.
///
/// # Errors
///
/// As [`paths`].
pub fn path(scenario: &Scenario, roster: &Roster, target_id: &str, confidence: Confidence, progress: impl FnMut(Progress)) -> Result<Path, Error> {
    let mut found = paths(scenario, roster, &[target_id.to_owned()], confidence, progress)?;
    Ok(found.remove(0))
}

/// One lever setting's verdicts: every target's central value, and how
/// many of the ranking runs met each target.
struct Setting {
    central: Vec<f64>,
    met: Vec<u32>,
}

/// Runs `scenario` centrally and over runs `0..n` (stream `i` of its seed),
/// counting each target's met runs.
fn setting(scenario: Scenario, roster: &Roster, n: u32) -> Result<Setting, Error> {
    let model = Model::new(scenario, roster.clone())?;
    let central = model.run_central().targets.iter().map(|o| o.value).collect();
    let mut met = vec![0u32; model.scenario.targets.len()];
    run_targets(&model, model.scenario.scenario.seed, 0..n, |t| {
        for (m, o) in met.iter_mut().zip(t) {
            *m += u32::from(o.met);
        }
        ControlFlow::Continue(())
    });
    Ok(Setting { central, met })
}

/// For each target of `target_ids`, the smallest single-lever change that
/// gives it a probability of at least `confidence`'s share. The levers are
/// ranked once for every target: each at the low and the high end of its
/// allowed range, run centrally and over [`RANK_RUNS`] runs (the same
/// streams for every setting, so few runs rank them: a target met centrally
/// but at risk, its central value pinned by a plan, moves only in its
/// probability). For each target the [`CANDIDATES`] levers that raise its
/// probability most (then its central value) are goal-sought with
/// `confidence` (common random numbers, as [`seek`]), and the one needing
/// the smallest change as a share of its allowed range wins (ties:
/// lever-table order).
///
/// # Errors
///
/// An unknown target id; whatever a setting's binding to the roster reports.
pub fn paths(scenario: &Scenario, roster: &Roster, target_ids: &[String], confidence: Confidence, mut progress: impl FnMut(Progress)) -> Result<Vec<Path>, Error> {
    let js = target_ids.iter().map(|id| super::one_target(scenario, id)).collect::<Result<Vec<usize>, Error>>()?;
    let n = confidence.runs().min(RANK_RUNS);
    let levers: Vec<&'static levers::Lever> = LEVERS.iter().filter(|l| l.get(scenario).is_some()).collect();
    let total = 1 + 2 * levers.len() as u32;
    let mut trials = 0;
    let mut runs = 0u64;
    let mut tick = |runs: u64, progress: &mut dyn FnMut(Progress)| {
        trials += 1;
        progress(Progress { trials, total: Some(total), runs });
    };
    let base = setting(scenario.clone(), roster, n)?;
    runs += 1 + u64::from(n);
    tick(runs, &mut progress);
    // (low end, high end) of each lever.
    let mut ends: Vec<(Setting, Setting)> = Vec::with_capacity(levers.len());
    for l in &levers {
        let at = |v: f64| -> Result<Setting, Error> {
            let mut s = scenario.clone();
            l.set(&mut s, v).map_err(|e| Error::new(crate::message::ErrorKind::Usage, crate::message::Problem::field(l.id, crate::message::Text::same(e))))?;
            setting(s, roster, n)
        };
        let low = at(l.min)?;
        runs += 1 + u64::from(n);
        tick(runs, &mut progress);
        let high = at(l.max)?;
        runs += 1 + u64::from(n);
        tick(runs, &mut progress);
        ends.push((low, high));
    }
    let mut out = Vec::with_capacity(js.len());
    for (id, &j) in target_ids.iter().zip(&js) {
        let favour = |e: f64| match scenario.targets[j].op {
            TargetOp::AtLeast => e,
            TargetOp::AtMost => -e,
        };
        let share = |met: u32| f64::from(met) / f64::from(n.max(1));
        let gain = |(low, high): &(Setting, Setting)| {
            let central = favour(low.central[j] - base.central[j]).max(favour(high.central[j] - base.central[j]));
            let p = share(low.met[j]).max(share(high.met[j])) - share(base.met[j]);
            (p, central)
        };
        let mut ranked: Vec<((f64, f64), usize)> = ends.iter().map(gain).enumerate().map(|(k, g)| (g, k)).filter(|((p, c), _)| *p > 0.0 || *c > 0.0).collect();
        // Largest gain in probability first, then in the central value;
        // equal gains keep the lever table's order.
        crate::sort::sort_by(&mut ranked, |a, b| b.0 .0.total_cmp(&a.0 .0).then(b.0 .1.total_cmp(&a.0 .1)).then(a.1.cmp(&b.1)));
        let tried: Vec<&'static str> = ranked.iter().take(CANDIDATES).map(|&(_, k)| levers[k].id).collect();
        let choice = TargetChoice::One(id.clone());
        let mut best: Option<(f64, PathStep)> = None;
        let mut now = None;
        let mut target_runs = 0u64;
        for lever_id in &tried {
            let Some(lever) = levers::lever(lever_id) else { continue };
            let a = seek(scenario, roster, &choice, LeverMove::Single(lever), confidence, &mut progress)?;
            target_runs += a.runs;
            now = now.or(a.from_probability);
            if !a.reachable {
                continue;
            }
            let share = (a.value - a.from).abs() / (lever.max - lever.min).max(f64::MIN_POSITIVE);
            if best.as_ref().is_none_or(|(b, _)| share < *b) {
                let step = PathStep { lever: lever.id, from: a.from, to: a.value, probability: a.probability.unwrap_or(1.0) };
                best = Some((share, step));
            }
        }
        // No goal-seek ran (no lever helps): the probability now, over the
        // runs asked for.
        let probability = match (now, confidence) {
            (Some(p), _) => p,
            (None, Confidence::Probability { runs: all, .. }) => {
                let s = setting(scenario.clone(), roster, all)?;
                target_runs += 1 + u64::from(all);
                f64::from(s.met[j]) / f64::from(all.max(1))
            }
            (None, Confidence::Central) => f64::from(u8::from(scenario.targets[j].op.holds(base.central[j], scenario.targets[j].value))),
        };
        out.push(Path { target: id.clone(), probability, step: best.map(|(_, s)| s), tried, runs: target_runs });
    }
    if let Some(first) = out.first_mut() {
        // The shared ranking is counted once, with the first target.
        first.runs += runs;
    }
    Ok(out)
}

/// A lever's value in a sentence, in its display unit: 0.6 of a share as
/// 60%, a count as 20所.
fn lever_text(unit: Unit, step: f64, v: f64, lang: Lang) -> String {
    let scale = unit.display_scale();
    let number = format::stepped(v * scale, step * scale);
    match (unit, lang) {
        (Unit::Share, _) => format!("{number}%"),
        (_, Lang::Zh) => format!("{number}{}", unit.zh()),
        (_, Lang::En) if unit.en().is_empty() => number,
        (_, Lang::En) => format!("{number} {}", unit.en()),
    }
}

/// The sentence for one target's path, e.g. "评审通过率由60%增至74%，
/// 2026年区级新优质项目校120所的达成概率由34%升至82%。", or that no single
/// lever in range reaches it; in English for the briefing's English variant.
pub fn path_sentence(scenario: &Scenario, p: &Path, required: f64, lang: Lang) -> String {
    let label = scenario.targets.iter().find(|t| t.id == p.target).map_or(p.target.as_str(), |t| t.label_in(lang));
    let need = format::probability(required);
    let now = format::probability(p.probability);
    match &p.step {
        Some(step) => {
            let Some(l) = levers::lever(step.lever) else { return String::new() };
            let (from, to) = (lever_text(l.unit, l.step, step.from, lang), lever_text(l.unit, l.step, step.to, lang));
            let reached = format::probability(step.probability);
            match lang {
                Lang::Zh => {
                    let verb = if step.to >= step.from { "增至" } else { "降至" };
                    format!("{}由{from}{verb}{to}，“{label}”的达成概率由{now}升至{reached}。", l.zh)
                }
                Lang::En => {
                    let verb = if step.to >= step.from { "raised" } else { "lowered" };
                    format!("{} {verb} from {from} to {to}: the probability of \"{label}\" rises from {now} to {reached}.", l.en)
                }
            }
        }
        None if p.tried.is_empty() => lang.pick(
            format!("“{label}”（达成概率{now}）：没有单项参数能在允许范围内改善该目标。"),
            format!("\"{label}\" (probability {now}): no single lever in its allowed range improves this target."),
        ),
        None => {
            let tried = p.tried.iter().filter_map(|id| levers::lever(id));
            let n = p.tried.len();
            match lang {
                Lang::Zh => format!(
                    "“{label}”（达成概率{now}）：单独调整影响最大的{n}项参数（{}），在允许范围内都不能使达成概率达到{need}。",
                    tried.map(|l| l.zh).collect::<Vec<_>>().join("、")
                ),
                Lang::En => format!(
                    "\"{label}\" (probability {now}): none of the {n} most influential levers ({}), each moved alone within its allowed range, reaches {need}.",
                    tried.map(|l| l.en).collect::<Vec<_>>().join(", ")
                ),
            }
        }
    }
}

/// The outcome targets the briefing reports on: those dated in `years`, or
/// all of them when none is. A target set by the plan
/// ([`crate::scenario::TargetKind::SetByPlan`]) is never one: it is met by
/// construction, so it counts neither among the outcomes met nor among the
/// targets at risk (see [`set_by_plan_targets`]).
pub fn headline_targets(scenario: &Scenario, years: &[i32]) -> Vec<usize> {
    let outcomes: Vec<usize> = (0..scenario.targets.len()).filter(|&j| !scenario.targets[j].set_by_plan()).collect();
    let dated: Vec<usize> = outcomes.iter().copied().filter(|&j| years.contains(&scenario.targets[j].year)).collect();
    if dated.is_empty() {
        outcomes
    } else {
        dated
    }
}

/// The targets set by the plan that the briefing lists with their mark
/// beside [`headline_targets`]: those dated in `years`, or all of them when
/// no outcome target is.
pub fn set_by_plan_targets(scenario: &Scenario, years: &[i32]) -> Vec<usize> {
    let any_dated = scenario.targets.iter().any(|t| !t.set_by_plan() && years.contains(&t.year));
    (0..scenario.targets.len())
        .filter(|&j| scenario.targets[j].set_by_plan() && (!any_dated || years.contains(&scenario.targets[j].year)))
        .collect()
}

/// The headline targets that need a path: missed centrally, or with a
/// probability below `required` (all missed ones when the probabilities are
/// not known yet).
pub fn at_risk(scenario: &Scenario, outcomes: &[TargetOutcome], probabilities: Option<&[f64]>, years: &[i32], required: f64) -> Vec<usize> {
    headline_targets(scenario, years)
        .into_iter()
        .filter(|&j| {
            let missed = outcomes.get(j).is_some_and(|o| !o.met);
            let low = probabilities.and_then(|p| p.get(j)).is_some_and(|&p| p < required);
            missed || low
        })
        .collect()
}

/// The briefing's opening summary: how many headline targets are met
/// centrally and how many reach `required`, then the ones at risk with their
/// probabilities (missed ones with the value they reach).
pub fn summary(scenario: &Scenario, outcomes: &[TargetOutcome], probabilities: Option<&[f64]>, years: &[i32], required: f64, lang: Lang) -> String {
    let picked = headline_targets(scenario, years);
    let n = picked.len();
    if n == 0 {
        return lang.pick("本情景未设定规划目标。", "This scenario sets no targets.").to_owned();
    }
    let met = picked.iter().filter(|&&j| outcomes.get(j).is_some_and(|o| o.met)).count();
    let need = format::probability(required);
    let year_text = {
        // Sorted first: targets of two years may alternate (Putuo's did, and
        // the summary named "2026年、2028年、2026年、2028年").
        let mut ys: Vec<i32> = picked.iter().map(|&j| scenario.targets[j].year).collect();
        crate::sort::sort_unstable_by(&mut ys, Ord::cmp);
        ys.dedup();
        match lang {
            Lang::Zh => ys.iter().map(|y| format!("{y}年")).collect::<Vec<_>>().join("、"),
            Lang::En => ys.iter().map(|y| y.to_string()).collect::<Vec<_>>().join(" and "),
        }
    };
    let mut out = lang.pick(format!("{year_text}共{n}项目标，中心情景下达成{met}项"), format!("Of the {n} targets for {year_text}, {met} are met in the central run"));
    let fixed = set_by_plan_targets(scenario, years).len();
    let p = |j: usize| probabilities.and_then(|p| p.get(j)).copied();
    match probabilities {
        Some(_) => {
            let sure = picked.iter().filter(|&&j| p(j).is_some_and(|p| p >= required)).count();
            out.push_str(&lang.pick(format!("，其中{sure}项达成概率不低于{need}。"), format!(", and {sure} reach a probability of {need} or more. ")));
        }
        None => out.push_str(lang.pick("。", ". ")),
    }
    if fixed > 0 {
        out.push_str(&lang.pick(format!("另有{fixed}项由方案设定，不计入。"), format!("{fixed} more are set by the plan and not counted. ")));
    }
    let risky = at_risk(scenario, outcomes, probabilities, years, required);
    if risky.is_empty() {
        out.push_str(lang.pick("各项目标均无明显风险。", "No target is at clear risk."));
        return out.trim_end().to_owned();
    }
    let items: Vec<String> = risky
        .iter()
        .map(|&j| {
            let t = &scenario.targets[j];
            let o = &outcomes[j];
            let prob = p(j).map(|p| lang.pick(format!("概率{}", format::probability(p)), format!("probability {}", format::probability(p))));
            let shown = |v: f64| {
                if series::unit(&t.series) == Some(series::Unit::YesNo) {
                    (if v >= 0.5 { lang.pick("是", "yes") } else { lang.pick("否", "no") }).to_owned()
                } else {
                    format::value(v, crate::chart::is_share_series(&t.series), lang)
                }
            };
            let detail = if o.met {
                prob.unwrap_or_default()
            } else {
                let reach = lang.pick(format!("推算{}", shown(o.value)), format!("projected {}", shown(o.value)));
                match prob {
                    Some(p) => format!("{reach}{}{p}", lang.pick("，", ", ")),
                    None => reach,
                }
            };
            lang.pick(format!("{}（{detail}）", t.label), format!("{} ({detail})", t.label_in(lang)))
        })
        .collect();
    let (missed, low): (Vec<usize>, Vec<usize>) = risky.iter().partition(|&&j| !outcomes[j].met);
    let label = match (missed.is_empty(), low.is_empty(), lang) {
        (false, true, Lang::Zh) => "未达成",
        (true, false, Lang::Zh) => "存在风险",
        (_, _, Lang::Zh) => "未达成或存在风险",
        (false, true, Lang::En) => "Missed",
        (true, false, Lang::En) => "At risk",
        (_, _, Lang::En) => "Missed or at risk",
    };
    out.push_str(&lang.pick(format!("{label}的有：{}。", items.join("；")), format!("{label}: {}.", items.join("; "))));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::Model;

    fn pudong() -> Model {
        let s = crate::scenario::builtin::builtin("pudong-2024").unwrap().scenario().unwrap();
        let roster = s.resolve_roster(|_| Err("no CSV".into())).unwrap();
        Model::new(s, roster).unwrap()
    }

    #[test]
    fn the_summary_counts_the_headline_targets_and_names_those_at_risk() {
        let m = pudong();
        let t = m.run_central();
        let years = [2026, 2028];
        let picked = headline_targets(&m.scenario, &years);
        assert!(!picked.is_empty());
        // Probabilities by hand: every headline target at 0.9 except the first at 0.5.
        let mut p = vec![0.9; m.scenario.targets.len()];
        p[picked[0]] = 0.5;
        let text = summary(&m.scenario, &t.targets, Some(&p), &years, 0.8, Lang::Zh);
        let met = picked.iter().filter(|&&j| t.targets[j].met).count();
        assert!(text.contains(&format!("共{}项目标，中心情景下达成{met}项", picked.len())), "{text}");
        let first = &m.scenario.targets[picked[0]];
        assert!(text.contains(&first.label) && text.contains("概率50%"), "{text}");
        let risky = at_risk(&m.scenario, &t.targets, Some(&p), &years, 0.8);
        assert!(risky.contains(&picked[0]));
        // A target met centrally with 0.9 is not named.
        for &j in &picked {
            if t.targets[j].met && j != picked[0] {
                assert!(!risky.contains(&j));
            }
        }
        // Every target sure: no risk named.
        let sure = vec![1.0; m.scenario.targets.len()];
        let all_met: Vec<TargetOutcome> = t.targets.iter().map(|o| TargetOutcome { met: true, ..o.clone() }).collect();
        let text = summary(&m.scenario, &all_met, Some(&sure), &years, 0.8, Lang::Zh);
        assert!(text.ends_with("各项目标均无明显风险。"), "{text}");
    }

    /// Putuo's targets alternate between 2026 and 2028: each year is named
    /// once, in either language.
    #[test]
    fn the_summary_names_each_year_once() {
        let s = crate::scenario::builtin::builtin("putuo-strong-junior").unwrap().scenario().unwrap();
        let roster = s.resolve_roster(|_| Err("no CSV".into())).unwrap();
        let m = Model::new(s, roster).unwrap();
        let t = m.run_central();
        let n = headline_targets(&m.scenario, &[2026, 2028]).len();
        let zh = summary(&m.scenario, &t.targets, None, &[2026, 2028], 0.8, Lang::Zh);
        assert!(zh.starts_with(&format!("2026年、2028年共{n}项目标，")), "{zh}");
        let en = summary(&m.scenario, &t.targets, None, &[2026, 2028], 0.8, Lang::En);
        assert!(en.starts_with(&format!("Of the {n} targets for 2026 and 2028, ")), "{en}");
        assert!(!en.chars().any(crate::i18n::is_han), "{en}");
    }

    #[test]
    fn targets_set_by_the_plan_are_neither_outcomes_met_nor_at_risk() {
        let m = pudong();
        let t = m.run_central();
        let years = [2026, 2028];
        let s = &m.scenario;
        let fixed = set_by_plan_targets(s, &years);
        let ids: Vec<&str> = fixed.iter().map(|&j| s.targets[j].id.as_str()).collect();
        assert_eq!(ids, ["demo-2026", "demo-projects-2026"]);
        let picked = headline_targets(s, &years);
        assert!(fixed.iter().all(|j| !picked.contains(j)));
        // Even at probability 0 and missed, a target set by the plan is not at risk.
        let p = vec![0.0; s.targets.len()];
        let missed: Vec<TargetOutcome> = t.targets.iter().map(|o| TargetOutcome { met: false, ..o.clone() }).collect();
        let risky = at_risk(s, &missed, Some(&p), &years, 0.8);
        assert!(fixed.iter().all(|j| !risky.contains(j)), "{risky:?}");
        assert_eq!(risky, picked);
        let text = summary(s, &t.targets, Some(&p), &years, 0.8, Lang::Zh);
        assert!(text.contains(&format!("共{}项目标", picked.len())) && text.contains("另有2项由方案设定"), "{text}");
        for &j in &fixed {
            assert!(!text.contains(&s.targets[j].label), "{text}");
        }
    }

    #[test]
    fn a_path_sentence_names_the_lever_its_change_and_both_probabilities() {
        let m = pudong();
        let target = m.scenario.targets.iter().find(|t| t.id == "nq-2026").unwrap();
        let p = Path {
            target: "nq-2026".into(),
            probability: 0.34,
            step: Some(PathStep { lever: "new_quality.review_pass_probability", from: 0.6, to: 0.74, probability: 0.82 }),
            tried: vec!["new_quality.review_pass_probability"],
            runs: 0,
        };
        let text = path_sentence(&m.scenario, &p, 0.8, Lang::Zh);
        assert_eq!(text, format!("评审通过率由60%增至74%，“{}”的达成概率由34%升至82%。", target.label));
        let none = Path { step: None, ..p.clone() };
        assert!(path_sentence(&m.scenario, &none, 0.8, Lang::Zh).contains("都不能使达成概率达到80%"));
        // The English variant says the same with the English lever and target names.
        let label = target.label_en.as_deref().unwrap();
        assert_eq!(
            path_sentence(&m.scenario, &p, 0.8, Lang::En),
            format!("Review pass probability raised from 60% to 74%: the probability of \"{label}\" rises from 34% to 82%.")
        );
        assert!(path_sentence(&m.scenario, &none, 0.8, Lang::En).ends_with("each moved alone within its allowed range, reaches 80%."));
    }
}
