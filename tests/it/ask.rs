//! Asking the model back (issue 15): goal-seek, sensitivity and attribution
//! through the library, and the `seek`, `sensitivity`, `explain` and
//! `run --set` commands.

use serde_json::Value;

use youjun::ask::{self, Confidence, LeverMove, Progress, TargetChoice};
use youjun::engine::{run_monte_carlo, Model};
use youjun::i18n::Lang;
use youjun::levers;
use youjun::roster::Roster;
use youjun::scenario::Scenario;

use crate::support::{check_golden, stderr, stdout, youjun};

mod portable;

/// The answers the browser test recomputes in Chromium.
#[test]
fn the_answers_are_the_golden_file() {
    check_golden(portable::GOLDEN, portable::pudong_answers_json());
}

const PUDONG: &str = "scenarios/pudong-2024.toml";

fn pudong() -> (Scenario, Roster) {
    let s = youjun::scenario::builtin::builtin("pudong-2024").unwrap().scenario().unwrap();
    let roster = s.resolve_roster(|_| Err("no CSV".into())).unwrap();
    (s, roster)
}

/// The central outcome of target `id` with `lever` set to `value`, run
/// here without the ask module.
fn central_with(s: &Scenario, roster: &Roster, lever: &str, value: f64, id: &str) -> (f64, bool) {
    let mut s = s.clone();
    levers::lever(lever).unwrap().set(&mut s, value).unwrap();
    let t = Model::new(s.clone(), roster.clone()).unwrap().run_central();
    let j = s.targets.iter().position(|t| t.id == id).unwrap();
    (t.targets[j].value, t.targets[j].met)
}

#[test]
fn central_seek_meets_the_target_and_one_step_less_does_not() {
    let (s, roster) = pudong();
    let lever = "new_quality.cases_per_project_year";
    let mv = LeverMove::parse(lever).unwrap();
    let (from, from_met) = central_with(&s, &roster, lever, 0.15, "cases-2026");
    assert!(!from_met, "the fixture: cases-2026 is missed now ({from})");
    let mut reports = Vec::new();
    let a = ask::seek(&s, &roster, &TargetChoice::One("cases-2026".into()), mv, Confidence::Central, |p| reports.push(p)).unwrap();
    assert!(a.reachable && a.change > 0.0, "{a:?}");
    assert_eq!((a.from, a.probability, a.from_probability), (0.15, None, None));
    let step = levers::lever(lever).unwrap().step;
    // The answer meets the target; one step less does not (run independently).
    let (at, met) = central_with(&s, &roster, lever, a.value, "cases-2026");
    assert!(met, "{} at {}", at, a.value);
    assert_eq!((a.central[0].value, a.central[0].met), (at, true));
    let below = ((a.value - step) * 100.0).round() / 100.0;
    assert!(below >= a.from);
    let (at_below, met_below) = central_with(&s, &roster, lever, below, "cases-2026");
    assert!(!met_below, "{at_below} at {below}: the answer is not the smallest");
    // Counted honestly: one central run a trial, progress after each.
    assert_eq!(a.runs, u64::from(a.trials));
    assert_eq!(reports.last(), Some(&Progress { trials: a.trials, total: None, runs: a.runs }));
    assert!(reports.windows(2).all(|w| w[0].runs <= w[1].runs));
}

#[test]
fn a_target_already_met_needs_no_change() {
    let (s, roster) = pudong();
    let mv = LeverMove::parse("new_quality.review_pass_probability").unwrap();
    let a = ask::seek(&s, &roster, &TargetChoice::One("nq-2026".into()), mv, Confidence::Central, |_| {}).unwrap();
    assert!(a.reachable);
    assert_eq!((a.value, a.change, a.trials), (0.85, 0.0, 1));
}

#[test]
fn an_unreachable_target_says_so_with_the_best_probability() {
    let (s, roster) = pudong();
    // Projects reach 89 of 120 by 2026; even every listed school starting
    // one each year does not reach 120 (110 centrally).
    let lever = "new_quality.project_start_rate";
    let conf = Confidence::Probability { p: 0.8, runs: 40 };
    let a = ask::seek(&s, &roster, &TargetChoice::One("projects-2026".into()), LeverMove::parse(lever).unwrap(), conf, |_| {}).unwrap();
    assert!(!a.reachable, "{a:?}");
    assert_eq!(a.range, (0.0, 1.0));
    let best = a.probability.expect("the best probability is reported");
    assert!(best < 0.8, "{best}");
    // The probability reported is the exact share of all 40 runs at that value.
    let mut at = s.clone();
    levers::lever(lever).unwrap().set(&mut at, a.value).unwrap();
    let j = s.targets.iter().position(|t| t.id == "projects-2026").unwrap();
    let mc = run_monte_carlo(&Model::new(at, roster.clone()).unwrap(), 40, s.scenario.seed, |_| {});
    assert_eq!(mc.target_probability[j], best);
    // Centrally too, with the best central value at the range's end.
    let c = ask::seek(&s, &roster, &TargetChoice::One("projects-2026".into()), LeverMove::parse(lever).unwrap(), Confidence::Central, |_| {}).unwrap();
    assert!(!c.reachable && c.probability.is_none());
    assert_eq!(c.value, 1.0);
    assert!(c.central[0].value < 120.0 && c.central[0].value > c.from_central[0].value, "{c:?}");
}

fn json(o: &std::process::Output) -> Value {
    assert!(o.status.success(), "{}", stderr(o));
    serde_json::from_str(&stdout(o)).unwrap()
}

#[test]
fn the_probability_answer_fed_back_through_run_set_meets_the_probability() {
    let runs = "200";
    let seek = json(&youjun(&["seek", PUDONG, "--target", "nq-2026", "--lever", "new_quality.planned_admissions:shift", "--runs", runs, "--json"]));
    assert_eq!(seek["schema"], "youjun.seek/1");
    assert_eq!((seek["reachable"].as_bool(), seek["p"].as_f64(), seek["runs_per_trial"].as_u64()), (Some(true), Some(0.8), Some(200)));
    let p = seek["probability"].as_f64().unwrap();
    assert!(p >= 0.8 && seek["from_probability"].as_f64().unwrap() < 0.8, "{seek}");
    assert!(seek["change"].as_f64().unwrap() > 0.0 && seek["trials"].as_u64().unwrap() >= 2);
    let mut args = vec!["run", PUDONG, "--runs", runs, "--json"];
    let sets: Vec<&str> = seek["set"].as_array().unwrap().iter().map(|v| v.as_str().unwrap()).collect();
    assert_eq!(sets.len(), 7, "one --set a row year: {sets:?}");
    for s in &sets {
        args.extend(["--set", s]);
    }
    let run = json(&youjun(&args));
    let target = run["targets"].as_array().unwrap().iter().find(|t| t["id"] == "nq-2026").unwrap().clone();
    let again = target["probability"].as_f64().unwrap();
    assert!(again >= 0.8, "{target}");
    assert_eq!(again, p, "the same seed and runs give the same probability");
    assert_eq!(target["value"], seek["central"][0]["value"]);
}

#[test]
fn a_single_lever_probability_answer_is_the_smallest_on_its_grid() {
    let (s, roster) = pudong();
    let lever = "new_quality.review_pass_probability";
    let conf = Confidence::Probability { p: 0.8, runs: 60 };
    let a = ask::seek(&s, &roster, &TargetChoice::One("nq-2026".into()), LeverMove::parse(lever).unwrap(), conf, |_| {}).unwrap();
    assert!(a.reachable && a.change > 0.0, "{a:?}");
    let j = s.targets.iter().position(|t| t.id == "nq-2026").unwrap();
    let p_at = |v: f64| {
        let mut at = s.clone();
        levers::lever(lever).unwrap().set(&mut at, v).unwrap();
        run_monte_carlo(&Model::new(at, roster.clone()).unwrap(), 60, s.scenario.seed, |_| {}).target_probability[j]
    };
    assert_eq!(p_at(a.value), a.probability.unwrap());
    assert!(a.probability.unwrap() >= 0.8);
    assert!(p_at(((a.value - 0.01) * 100.0).round() / 100.0) < 0.8);
    // Early stopping: far fewer runs than a full Monte Carlo a trial.
    assert!(a.runs < u64::from(a.trials) * 61, "{} runs for {} trials", a.runs, a.trials);
}

#[test]
fn leaving_the_current_probability_to_the_caller_saves_runs_not_the_answer() {
    let (s, roster) = pudong();
    let (choice, conf) = (TargetChoice::One("nq-2026".into()), Confidence::Probability { p: 0.8, runs: 60 });
    let mv = LeverMove::parse("new_quality.planned_admissions:shift").unwrap();
    let full = ask::seek(&s, &roster, &choice, mv, conf, |_| {}).unwrap();
    let lean = ask::seek_with(&s, &roster, &choice, mv, conf, ask::SeekOptions { exact_from: false }, |_| {}).unwrap();
    assert_eq!((lean.value, lean.probability, lean.reachable), (full.value, full.probability, true));
    assert_eq!(lean.from_probability, None);
    assert!(lean.runs < full.runs, "{} vs {}", lean.runs, full.runs);
    // The current probability left out is the one a plain Monte Carlo gives.
    let j = s.targets.iter().position(|t| t.id == "nq-2026").unwrap();
    let mc = run_monte_carlo(&Model::new(s.clone(), roster.clone()).unwrap(), 60, s.scenario.seed, |_| {});
    assert_eq!(full.from_probability, Some(mc.target_probability[j]));
}

#[test]
fn all_targets_of_a_year_are_met_together() {
    let (s, roster) = pudong();
    let choice = TargetChoice::parse(&s, "all-2026").unwrap();
    let mv = LeverMove::parse("new_quality.cases_per_project_year").unwrap();
    let a = ask::seek(&s, &roster, &choice, mv, Confidence::Central, |_| {}).unwrap();
    // projects-2026 cannot be met by cases, so neither can all of 2026.
    assert!(!a.reachable);
    assert_eq!(a.targets.len(), s.targets.iter().filter(|t| t.year == 2026).count());
}

#[test]
fn sensitivity_ranks_a_lever_without_effect_at_zero() {
    let (s, roster) = pudong();
    let r = ask::sensitivity(&s, &roster, "cases-2026", ask::DEFAULT_SHARE, Confidence::Central, |_| {}).unwrap();
    // Every lever the scenario states (the optional pupil flows it does not).
    assert_eq!(r.rows.len(), levers::LEVERS.iter().filter(|l| l.get(&s).is_some()).count());
    let top = &r.rows[0];
    assert_eq!(top.lever, "new_quality.cases_per_project_year");
    assert_eq!((top.low, top.high), (0.12, 0.18));
    let now = central_with(&s, &roster, top.lever, 0.15, "cases-2026").0;
    assert_eq!(top.effect_low, central_with(&s, &roster, top.lever, 0.12, "cases-2026").0 - now);
    assert_eq!(top.effect_high, central_with(&s, &roster, top.lever, 0.18, "cases-2026").0 - now);
    // The sports-area cost does not reach the new-quality programme's cases.
    let idle = "funding.cost_per_m2_sports_yuan";
    let at = r.rows.iter().position(|w| w.lever == idle).unwrap();
    let row = &r.rows[at];
    assert_eq!((row.low, row.high), (2400.0, 3600.0));
    assert_eq!((row.effect_low, row.effect_high, row.effect()), (0.0, 0.0, 0.0));
    for v in [row.low, row.high] {
        assert_eq!(central_with(&s, &roster, idle, v, "cases-2026").0.to_bits(), now.to_bits());
    }
    // Sorted by effect; every lever with an effect before it, and the
    // zeros in lever-table order.
    assert!(r.rows.windows(2).all(|w| w[0].effect() >= w[1].effect()));
    assert!(r.rows[..at]
        .iter()
        .all(|w| w.effect() > 0.0 || levers::LEVERS.iter().position(|l| l.id == w.lever) < levers::LEVERS.iter().position(|l| l.id == idle)));
    let zeros: Vec<usize> = r.rows.iter().filter(|w| w.effect() == 0.0).map(|w| levers::LEVERS.iter().position(|l| l.id == w.lever).unwrap()).collect();
    assert!(zeros.windows(2).all(|w| w[0] < w[1]));
    assert!(r.rows.iter().filter(|w| w.effect() > 0.0).count() >= 2);
}

/// Pudong with the edits applied in the order given.
fn edited(s: &Scenario, edits: &[&str]) -> Scenario {
    let mut e = s.clone();
    for text in edits {
        ask::apply_setting(&mut e, text).unwrap();
    }
    e
}

const EDITS: [&str; 5] = [
    "new_quality.cases_per_project_year=0.2",
    "new_quality.project_start_rate=0.6",
    "new_quality.exit_after_years=4",
    "new_quality.planned_admissions@2025=24",
    "new_quality.planned_admissions@2026=18",
];

#[test]
fn shapley_contributions_add_up_and_do_not_depend_on_the_edit_order() {
    let (s, roster) = pudong();
    let forward = edited(&s, &EDITS);
    let mut reversed = EDITS;
    reversed.reverse();
    let backward = edited(&s, &reversed);
    let mut reports = Vec::new();
    let a = ask::attribution(&s, &forward, &roster, "cases-2026", Confidence::Central, |p| reports.push(p)).unwrap();
    let b = ask::attribution(&s, &backward, &roster, "cases-2026", Confidence::Central, |_| {}).unwrap();
    assert_eq!(a, b);
    // Four players (the yearly lever is one), every coalition run once.
    let players: Vec<&str> = a.contributions.iter().map(|c| c.lever).collect();
    assert_eq!(
        players,
        ["new_quality.exit_after_years", "new_quality.project_start_rate", "new_quality.cases_per_project_year", "new_quality.planned_admissions"]
    );
    assert!(a.exact && a.samples == 0 && a.coalitions == 16 && a.runs == 16);
    assert_eq!(reports.last().map(|p| (p.trials, p.total)), Some((16, Some(16))));
    let sum: f64 = a.contributions.iter().map(|c| c.value).sum();
    assert!((sum - a.total).abs() < 1e-9, "{sum} vs {}", a.total);
    // The total is the change between the two scenarios' own runs.
    let value = |sc: &Scenario| Model::new(sc.clone(), roster.clone()).unwrap().run_central().targets[6].value;
    assert_eq!(s.targets[6].id, "cases-2026");
    assert_eq!((a.base_value, a.edited_value), (value(&s), value(&forward)));
    assert!(a.total > 0.0 && a.contributions[2].value > 0.0, "{a:?}");
}

#[test]
fn sampled_shapley_above_eight_levers_still_adds_up() {
    let (s, roster) = pudong();
    let mut edits = EDITS.to_vec();
    edits.extend([
        "teachers.rotation_share=0.2",
        "new_quality.review_pass_probability=0.9",
        "new_quality.project_completion_rate=0.4",
        "funding.grant_per_project_school_yuan=300000",
        "new_quality.certifications_max=8",
    ]);
    let e = edited(&s, &edits);
    let a = ask::attribution_sampled(&s, &e, &roster, "cases-2026", Confidence::Central, 6, |_| {}).unwrap();
    assert_eq!(a.contributions.len(), 9);
    assert!(!a.exact && a.samples == 6);
    let sum: f64 = a.contributions.iter().map(|c| c.value).sum();
    assert!((sum - a.total).abs() < 1e-9, "{sum} vs {}", a.total);
    edits.reverse();
    let b = ask::attribution_sampled(&s, &edited(&s, &edits), &roster, "cases-2026", Confidence::Central, 6, |_| {}).unwrap();
    assert_eq!(a, b, "the same players in the same order, whatever the edit order");
}

#[test]
fn attribution_of_probabilities_adds_up_too() {
    let (s, roster) = pudong();
    let e = edited(&s, &["new_quality.review_pass_probability=0.95", "new_quality.planned_admissions@2024=24"]);
    let a = ask::attribution(&s, &e, &roster, "nq-2026", Confidence::Probability { p: 0.8, runs: 30 }, |_| {}).unwrap();
    let (base, edited) = (a.base_probability.unwrap(), a.edited_probability.unwrap());
    let sum: f64 = a.contributions.iter().map(|c| c.probability.unwrap()).sum();
    assert!((sum - (edited - base)).abs() < 1e-9, "{sum} vs {}", edited - base);
    assert_eq!(a.runs, 4 * 31);
}

#[test]
fn cli_seek_sensitivity_and_explain_print_in_both_languages() {
    let o = youjun(&["seek", PUDONG, "--target", "cases-2026", "--lever", "new_quality.cases_per_project_year"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(out.contains("达标测算") && out.contains("由 0.15 调至 0.19") && out.contains("--set new_quality.cases_per_project_year=0.19"), "{out}");
    let o = youjun(&["seek", PUDONG, "--target", "cases-2026", "--lever", "new_quality.cases_per_project_year", "--lang", "en"]);
    assert!(stdout(&o).contains("Answer: 0.15 → 0.19 (+0.04)"), "{}", stdout(&o));

    let r = json(&youjun(&["sensitivity", PUDONG, "--target", "cases-2026", "--json"]));
    assert_eq!((r["schema"].as_str(), r["share"].as_f64()), (Some("youjun.sensitivity/1"), Some(0.2)));
    assert_eq!(r["rows"][0]["lever"], "new_quality.cases_per_project_year");
    let o = youjun(&["sensitivity", PUDONG, "--target", "cases-2026", "--share", "0.1", "--lang", "en"]);
    assert!(stdout(&o).contains("each lever ±10%"), "{}", stdout(&o));

    let mut args = vec!["explain", PUDONG, "--target", "cases-2026", "--json"];
    for e in EDITS {
        args.extend(["--set", e]);
    }
    let x = json(&youjun(&args));
    assert_eq!((x["schema"].as_str(), x["exact"].as_bool(), x["coalitions"].as_u64()), (Some("youjun.explain/1"), Some(true), Some(16)));
    let sum: f64 = x["contributions"].as_array().unwrap().iter().map(|c| c["value"].as_f64().unwrap()).sum();
    assert!((sum - x["total"].as_f64().unwrap()).abs() < 1e-9);
    args.retain(|a| *a != "--json");
    let out = stdout(&youjun(&args));
    assert!(out.contains("变化归因") && out.contains("合计变化") && out.contains("精确沙普利值"), "{out}");
}

#[test]
fn bad_ids_and_values_fail_with_the_allowed_list_or_range() {
    let fails = |args: &[&str], expected: &[&str]| {
        let o = youjun(args);
        assert_eq!(o.status.code(), Some(1), "{args:?}");
        let err = stderr(&o);
        for e in expected {
            assert!(err.contains(e), "missing `{e}` for {args:?} in:\n{err}");
        }
    };
    fails(&["run", PUDONG, "--set", "teachers.rotation_shar=0.2"], &["不是调节项", "is not a lever", "teachers.rotation_share,"]);
    fails(&["run", PUDONG, "--set", "teachers.rotation_share=1.5"], &["`teachers.rotation_share`", "0 到 1", "between 0 and 1", "1.5"]);
    fails(&["run", PUDONG, "--set", "new_quality.planned_admissions=20"], &["new_quality.planned_admissions@YEAR=VALUE", "2024–2030"]);
    fails(&["run", PUDONG, "--set", "new_quality.planned_admissions@2031=20"], &["from 2024 to 2030"]);
    fails(&["run", PUDONG, "--set", "teachers.rotation_share"], &["LEVER=VALUE"]);
    fails(&["seek", PUDONG, "--target", "nq-2099", "--lever", "teachers.rotation_share"], &["`target`", "nq-2026", "all-2026"]);
    fails(&["seek", PUDONG, "--target", "nq-2026", "--lever", "new_quality.planned_admissions"], &[":shift", ":scale"]);
    fails(&["seek", PUDONG, "--target", "nq-2026", "--lever", "teachers.rotation_share", "--probability", "1.5"], &["`--probability`", "at most 1"]);
    fails(&["seek", PUDONG, "--lever", "teachers.rotation_share"], &["`--target`", "required"]);
    fails(&["sensitivity", PUDONG, "--target", "nq-2026", "--share", "0"], &["`--share`"]);
    fails(&["explain", PUDONG, "--target", "nq-2026", "--lever", "x"], &["`--lever`", "explain"]);
    // One language with --lang.
    let o = youjun(&["run", PUDONG, "--set", "teachers.rotation_share=1.5", "--lang", "en"]);
    assert!(stderr(&o).starts_with("error: `teachers.rotation_share`: must be between 0 and 1"), "{}", stderr(&o));
}

#[test]
fn run_set_changes_the_run_like_the_lever_does() {
    let (s, roster) = pudong();
    let o = json(&youjun(&["run", PUDONG, "--runs", "0", "--json", "--set", "new_quality.cases_per_project_year=0.19"]));
    let cases = o["targets"].as_array().unwrap().iter().find(|t| t["id"] == "cases-2026").unwrap().clone();
    assert_eq!(cases["value"].as_f64().unwrap(), central_with(&s, &roster, "new_quality.cases_per_project_year", 0.19, "cases-2026").0);
    assert_eq!(cases["met"], true);
    let en = ask::apply_setting(&mut s.clone(), "x=1").unwrap_err().message(Lang::En);
    assert!(en.contains("`--set`"), "{en}");
}
