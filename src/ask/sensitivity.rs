//! Sensitivity (敏感性): every single-number lever moved alone to the low and
//! high ends of a stated range, and the target's projected (central) value
//! and probability there: the data of a tornado chart.
//!
//! The range of a lever at value `v` is `v ± share·|v|` (share 20% unless
//! the planner gives another), cut to the lever's allowed range and snapped
//! to its step grid counted from `v` (whole steps, rounded). A lever at 0,
//! or whose share is less than half a step, does not move: both ends are
//! its value and its effect is 0.

use super::{one_target, round_to, Confidence, Evaluator, Progress};
use crate::levers::LEVERS;
use crate::message::{Error, ErrorKind, Place, Problem, Text};
use crate::roster::Roster;
use crate::scenario::Scenario;

/// The share of a lever's value each side when the planner gives none.
pub const DEFAULT_SHARE: f64 = 0.2;

/// One lever's row of the tornado.
#[derive(Debug, Clone, PartialEq)]
pub struct SensitivityRow {
    /// The lever's id (its path in the scenario file).
    pub lever: &'static str,
    /// The lever's current value.
    pub from: f64,
    /// The low end of its range.
    pub low: f64,
    /// The high end of its range.
    pub high: f64,
    /// The target's central value with the lever at `low`, minus the current one.
    pub effect_low: f64,
    /// The same at `high`.
    pub effect_high: f64,
    /// The target's probability with the lever at `low` (with a probability confidence).
    pub probability_low: Option<f64>,
    /// The same at `high`.
    pub probability_high: Option<f64>,
}

impl SensitivityRow {
    /// The larger absolute effect on the projected value.
    pub fn effect(&self) -> f64 {
        self.effect_low.abs().max(self.effect_high.abs())
    }

    /// The larger absolute change of the probability from `current`.
    pub fn probability_effect(&self, current: Option<f64>) -> Option<f64> {
        let c = current?;
        Some((self.probability_low? - c).abs().max((self.probability_high? - c).abs()))
    }
}

/// A tornado's data for one target.
#[derive(Debug, Clone, PartialEq)]
pub struct Sensitivity {
    /// The target's id.
    pub target: String,
    /// The share each side used.
    pub share: f64,
    /// The target's current central value.
    pub value: f64,
    /// The target's current probability (with a probability confidence).
    pub probability: Option<f64>,
    /// The runs per trial (0 centrally).
    pub runs: u32,
    /// One row per single-number lever, by the larger absolute effect,
    /// largest first (with a probability: by the probability's larger
    /// change first, then the value's), ties in lever-table order.
    pub rows: Vec<SensitivityRow>,
    /// Distinct lever settings evaluated (the current scenario included).
    pub trials: u32,
    /// Model runs made.
    pub model_runs: u64,
}

/// The tornado of `target_id` on `scenario` over every single-number lever
/// (see the module notes for the ranges), judged centrally or with the
/// Monte Carlo's probability (every trial in full, common random numbers).
///
/// # Errors
///
/// [`ErrorKind::Usage`] at `target` for a target the scenario lacks, at
/// `share` for a share that is not above 0 and at most 10; whatever
/// binding a trial's scenario reports.
pub fn sensitivity(
    scenario: &Scenario,
    roster: &Roster,
    target_id: &str,
    share: f64,
    confidence: Confidence,
    mut progress: impl FnMut(Progress),
) -> Result<Sensitivity, Error> {
    let j = one_target(scenario, target_id)?;
    if !(share > 0.0 && share <= 10.0) {
        let message = Text::new("须大于 0 且不超过 10", "must be above 0 and at most 10");
        return Err(Error::new(ErrorKind::Usage, Problem::new(Place::Arg("share".into()), message).found(share.to_string())));
    }
    let ranges: Vec<(&'static crate::levers::Lever, f64, f64, f64)> = LEVERS
        .iter()
        .filter_map(|l| {
            let v = l.get(scenario)?.value;
            let steps = (share * v.abs() / l.step).round();
            let digits = super::decimals(l.step).max(super::decimals(v));
            let low = round_to((v - steps * l.step).max(l.min), digits);
            let high = round_to((v + steps * l.step).min(l.max), digits);
            Some((l, v, low, high))
        })
        .collect();
    let distinct = 1 + ranges.iter().map(|(_, v, lo, hi)| u32::from(lo != v) + u32::from(hi != v)).sum::<u32>();
    let mut eval = Evaluator::new(scenario, roster, confidence, vec![j], Some(distinct), &mut progress);
    let mut base = eval.trial(scenario.clone())?;
    eval.count(&mut base, false);
    let (value, probability) = (base.central[j].value, eval.probability(&base));
    let mut rows = Vec::with_capacity(ranges.len());
    for (l, v, low, high) in ranges {
        // An end that did not move is the current trial.
        let mut at = |x: f64| -> Result<(f64, Option<f64>), Error> {
            if x == v {
                return Ok((value, probability));
            }
            let mut s = scenario.clone();
            super::set_single(&mut s, l, x)?;
            let mut t = eval.trial(s)?;
            eval.count(&mut t, false);
            Ok((t.central[j].value, eval.probability(&t)))
        };
        let (lo, hi) = (at(low)?, at(high)?);
        rows.push(SensitivityRow {
            lever: l.id,
            from: v,
            low,
            high,
            effect_low: lo.0 - value,
            effect_high: hi.0 - value,
            probability_low: lo.1,
            probability_high: hi.1,
        });
    }
    // A stable sort: ties keep the lever table's order.
    crate::sort::sort_by(&mut rows, |a, b| {
        let p = b.probability_effect(probability).unwrap_or(0.0).total_cmp(&a.probability_effect(probability).unwrap_or(0.0));
        p.then(b.effect().total_cmp(&a.effect()))
    });
    Ok(Sensitivity { target: target_id.to_owned(), share, value, probability, runs: confidence.runs(), rows, trials: eval.trials, model_runs: eval.runs })
}
