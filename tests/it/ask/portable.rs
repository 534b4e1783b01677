//! The goal-seek, sensitivity and attribution answers pinned in
//! `tests/golden/pudong-ask.json`, computed by the same code natively
//! (`tests/it/ask.rs`) and in Chromium (`tests/browser/ask.rs`): the page
//! runs them in a web worker, so the wasm build must give the same answers,
//! bit for bit.

use serde_json::{json, Value};
use youjun::ask::{self, Confidence, LeverMove, SeekAnswer, TargetChoice};
use youjun::scenario::builtin::builtin;

/// The golden file, relative to `tests/`.
pub const GOLDEN: &str = "golden/pudong-ask.json";

fn seek_json(a: &SeekAnswer) -> Value {
    json!({
        "target": a.target, "lever": a.lever, "from": a.from, "value": a.value, "change": a.change,
        "reachable": a.reachable, "probability": a.probability, "from_probability": a.from_probability,
        "central": a.central.iter().map(|o| json!([o.id, o.value, o.met])).collect::<Vec<_>>(),
        "trials": a.trials, "runs": a.runs,
    })
}

/// Pudong's answers: a central seek, a 20-run probability seek of a shifted
/// yearly lever, the central tornado of `cases-2026`, and the exact Shapley
/// split of three edits, as pretty JSON.
pub fn pudong_answers_json() -> String {
    let s = builtin("pudong-2024").expect("built in").scenario().expect("valid");
    let roster = s.resolve_roster(|_| Err("no CSV".into())).expect("synthetic roster");
    let one = |id: &str| TargetChoice::One(id.into());
    let lever = |id: &str| LeverMove::parse(id).expect("a lever");
    let central = ask::seek(&s, &roster, &one("cases-2026"), lever("new_quality.cases_per_project_year"), Confidence::Central, |_| {}).expect("seek");
    let conf = Confidence::Probability { p: 0.8, runs: 20 };
    let shifted = ask::seek(&s, &roster, &one("nq-2026"), lever("new_quality.planned_admissions:shift"), conf, |_| {}).expect("seek");
    let tornado = ask::sensitivity(&s, &roster, "cases-2026", ask::DEFAULT_SHARE, Confidence::Central, |_| {}).expect("sensitivity");
    let mut edited = s.clone();
    for e in ["new_quality.cases_per_project_year=0.2", "new_quality.exit_after_years=4", "new_quality.planned_admissions@2025=24"] {
        ask::apply_setting(&mut edited, e).expect("a valid edit");
    }
    let split = ask::attribution(&s, &edited, &roster, "cases-2026", Confidence::Central, |_| {}).expect("attribution");
    let doc = json!({
        "seek_central": seek_json(&central),
        "seek_probability": seek_json(&shifted),
        "sensitivity": {
            "value": tornado.value,
            "rows": tornado.rows.iter().map(|r| json!([r.lever, r.low, r.high, r.effect_low, r.effect_high])).collect::<Vec<_>>(),
            "trials": tornado.trials,
        },
        "attribution": {
            "base_value": split.base_value, "edited_value": split.edited_value, "total": split.total,
            "contributions": split.contributions.iter().map(|c| json!([c.lever, c.value])).collect::<Vec<_>>(),
            "exact": split.exact, "coalitions": split.coalitions,
        },
    });
    serde_json::to_string_pretty(&doc).expect("JSON") + "\n"
}
