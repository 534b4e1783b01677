//! Goal-seek (达标测算): the smallest change of one lever, in its favourable
//! direction, that meets a target centrally or with a probability.
//!
//! The search, on the move's grid (steps from the current value, inside
//! the range):
//!
//! 1. The current value: if it meets the target, that is the answer (no
//!    change).
//! 2. The direction: the central run's score ([`Evaluator::score`]: the
//!    target's margin) one step up and one step down, then 2, 4, … steps
//!    until they differ; the better side is the favourable direction. A
//!    lever with room on one side only has that direction. If the scores
//!    tie everywhere (the lever does not move the central run), both sides
//!    are searched and the smaller change wins (up on a tie).
//! 3. Galloping from the current value, 1, 2, 4, … steps (the last probe at
//!    the range's end), to the first value that meets the target; then
//!    bisection between it and the last probe that did not, down to one
//!    step. So the answer meets the target and the value one step less (an
//!    evaluated trial) does not. On a response that is not monotone the
//!    answer is still such a pair, not necessarily the smallest.
//! 4. No probe meets it up to the range's end: unreachable; the answer is
//!    the best trial evaluated (the range's end on a monotone response):
//!    the highest probability, or the best central margin.
//!
//! A probability trial stops as soon as its verdict is certain (met ≥
//! ceil(p·runs), or more misses than runs − ceil(p·runs)): the same verdict
//! with fewer runs. The answer's, the current value's and (when
//! unreachable) the ends' trials are then run in full, so the probabilities
//! reported are exact shares of all the runs.

use std::collections::BTreeMap;

use super::{Confidence, Evaluator, Grid, LeverMove, Progress, TargetChoice, Trial};
use crate::engine::TargetOutcome;
use crate::message::Error;
use crate::roster::Roster;
use crate::scenario::Scenario;

/// What a goal-seek found.
#[derive(Debug, Clone, PartialEq)]
pub struct SeekAnswer {
    /// The target choice, as the command line writes it (`nq-2026`, `all-2026`).
    pub target: String,
    /// The ids of the targets it covers.
    pub targets: Vec<String>,
    /// The move, as the command line writes it (`ID`, `ID:shift`, `ID:scale`).
    pub lever: String,
    /// The confidence asked for.
    pub confidence: Confidence,
    /// The move's current value (the lever's value; 0 for a shift, 1 for a scale).
    pub from: f64,
    /// The answer: the smallest change that meets the target; when
    /// unreachable, the best value found.
    pub value: f64,
    /// `value − from`.
    pub change: f64,
    /// Whether `value` meets the target.
    pub reachable: bool,
    /// The share of runs meeting the target(s) at `value`, over all the
    /// runs (`None` when seeking centrally).
    pub probability: Option<f64>,
    /// The same at the current value.
    pub from_probability: Option<f64>,
    /// The chosen targets' central outcomes at `value`.
    pub central: Vec<TargetOutcome>,
    /// The same at the current value.
    pub from_central: Vec<TargetOutcome>,
    /// The range searched: the smallest and largest value of the move.
    pub range: (f64, f64),
    /// The grid's step.
    pub step: f64,
    /// Lever values evaluated.
    pub trials: u32,
    /// Model runs made (one central run a trial plus the Monte Carlo runs).
    pub runs: u64,
}

/// What a goal-seek computes beyond the answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SeekOptions {
    /// Run the current value's trial in full, so that
    /// [`SeekAnswer::from_probability`] is exact (on by default). A caller
    /// that has the current probability already (the page's own Monte Carlo
    /// of the same seed and runs gives the same number) saves those runs;
    /// `from_probability` is then `None` unless the search ran them anyway.
    pub exact_from: bool,
}

impl Default for SeekOptions {
    fn default() -> SeekOptions {
        SeekOptions { exact_from: true }
    }
}

/// Finds the smallest change of `lever` that meets `target` on `scenario`
/// (bound to `roster`), with `confidence`; see the module notes for the
/// search. The Monte Carlo uses the scenario's seed, run `i` on stream `i`.
///
/// # Errors
///
/// [`crate::message::ErrorKind::Usage`] when the target is not in the
/// scenario or the scenario lacks the lever; whatever binding a trial's
/// scenario to the roster reports ([`crate::engine::Model::new`]).
pub fn seek(
    scenario: &Scenario,
    roster: &Roster,
    target: &TargetChoice,
    lever: LeverMove,
    confidence: Confidence,
    progress: impl FnMut(Progress),
) -> Result<SeekAnswer, Error> {
    seek_with(scenario, roster, target, lever, confidence, SeekOptions::default(), progress)
}

/// [`seek`] with [`SeekOptions`].
///
/// # Errors
///
/// As [`seek`].
pub fn seek_with(
    scenario: &Scenario,
    roster: &Roster,
    target: &TargetChoice,
    lever: LeverMove,
    confidence: Confidence,
    options: SeekOptions,
    mut progress: impl FnMut(Progress),
) -> Result<SeekAnswer, Error> {
    let targets = target.resolve(scenario)?;
    let grid = Grid::new(&lever, scenario)?;
    let mut search =
        Search { scenario, grid, eval: Evaluator::new(scenario, roster, confidence, targets.clone(), None, &mut progress), trials: BTreeMap::new() };

    let (k, reachable) = if search.met(0)? {
        (0, true)
    } else {
        let sides = search.directions()?;
        let mut best: Option<i64> = None;
        for side in sides {
            let limit = best.map(i64::abs);
            if let Some(k) = search.along(side, limit)? {
                if best.is_none_or(|b| k.abs() < b.abs()) {
                    best = Some(k);
                }
            }
        }
        match best {
            Some(k) => (k, true),
            None => (search.best()?, false),
        }
    };
    search.complete(k);
    if options.exact_from {
        search.complete(0);
    }
    let at = |k: i64| &search.trials[&k];
    let pick = |t: &Trial| targets.iter().map(|&j| t.central[j].clone()).collect::<Vec<_>>();
    let (from, value) = (search.grid.value(0), search.grid.value(k));
    Ok(SeekAnswer {
        target: target.id(),
        targets: targets.iter().map(|&j| scenario.targets[j].id.clone()).collect(),
        lever: lever.id(),
        confidence,
        from,
        value,
        change: super::round_to(value - from, super::decimals(search.grid.step).max(super::decimals(from))),
        reachable,
        probability: search.eval.probability(at(k)),
        from_probability: search.eval.probability_if_complete(at(0)),
        central: pick(at(k)),
        from_central: pick(at(0)),
        range: (search.grid.value(search.grid.lo), search.grid.value(search.grid.hi)),
        step: search.grid.step,
        trials: search.eval.trials,
        runs: search.eval.runs,
    })
}

struct Search<'a, 's> {
    scenario: &'s Scenario,
    grid: Grid,
    eval: Evaluator<'a>,
    /// Trials by grid index.
    trials: BTreeMap<i64, Trial>,
}

impl Search<'_, '_> {
    /// The trial `k` steps away, made (central run) if new.
    fn trial(&mut self, k: i64) -> Result<&mut Trial, Error> {
        if !self.trials.contains_key(&k) {
            let s = self.grid.scenario(self.scenario, k)?;
            let t = self.eval.trial(s)?;
            self.trials.insert(k, t);
        }
        Ok(self.trials.get_mut(&k).expect("inserted above"))
    }

    /// The verdict `k` steps away (counting runs only until it is certain).
    fn met(&mut self, k: i64) -> Result<bool, Error> {
        self.trial(k)?;
        let mut t = self.trials.remove(&k).expect("made above");
        self.eval.count(&mut t, true);
        let met = self.eval.met(&t);
        self.trials.insert(k, t);
        Ok(met)
    }

    fn score(&mut self, k: i64) -> Result<f64, Error> {
        self.trial(k)?;
        Ok(self.eval.score(self.scenario, &self.trials[&k]))
    }

    /// The sides to search, favourable first.
    fn directions(&mut self) -> Result<Vec<i64>, Error> {
        let (up, down) = (self.grid.hi, -self.grid.lo);
        match (up > 0, down > 0) {
            (false, false) => return Ok(Vec::new()),
            (true, false) => return Ok(vec![1]),
            (false, true) => return Ok(vec![-1]),
            (true, true) => {}
        }
        let mut d = 1;
        loop {
            let (a, b) = (self.score(d.min(up))?, self.score(-d.min(down))?);
            if a > b {
                return Ok(vec![1]);
            }
            if b > a {
                return Ok(vec![-1]);
            }
            if d >= up.max(down) {
                return Ok(vec![1, -1]);
            }
            d *= 2;
        }
    }

    /// The smallest met grid index on `side` (gallop, then bisect), below
    /// `limit` steps when given; `None` when none is met.
    fn along(&mut self, side: i64, limit: Option<i64>) -> Result<Option<i64>, Error> {
        let end = if side > 0 { self.grid.hi } else { -self.grid.lo };
        let end = limit.map_or(end, |l| end.min(l - 1));
        let (mut unmet, mut d) = (0, 1);
        let met = loop {
            if unmet >= end {
                return Ok(None);
            }
            let k = d.min(end);
            if self.met(side * k)? {
                break k;
            }
            unmet = k;
            d *= 2;
        };
        let (mut lo, mut hi) = (unmet, met);
        while hi - lo > 1 {
            let mid = lo + (hi - lo) / 2;
            if self.met(side * mid)? {
                hi = mid;
            } else {
                lo = mid;
            }
        }
        Ok(Some(side * hi))
    }

    /// Runs trial `k` in full.
    fn complete(&mut self, k: i64) {
        if let Some(mut t) = self.trials.remove(&k) {
            self.eval.count(&mut t, false);
            self.trials.insert(k, t);
        }
    }

    /// When nothing meets the target: the best trial, by its probability
    /// over all the runs (the range's ends and the current value are run in
    /// full) or by its central score; ties go to the smaller change, then up.
    fn best(&mut self) -> Result<i64, Error> {
        let probability = matches!(self.eval.confidence, Confidence::Probability { .. });
        let ends: Vec<i64> = [self.grid.hi, self.grid.lo, 0].into_iter().filter(|k| self.trials.contains_key(k)).collect();
        let candidates: Vec<i64> = if probability {
            for &k in &ends {
                self.complete(k);
            }
            ends
        } else {
            self.trials.keys().copied().collect()
        };
        let mut best: Option<(i64, f64)> = None;
        for k in candidates {
            let t = &self.trials[&k];
            let how_good = match self.eval.probability(t) {
                Some(p) => p,
                None => self.eval.score(self.scenario, t),
            };
            let better = match best {
                None => true,
                Some((b, v)) => how_good > v || (how_good == v && (k.abs() < b.abs() || (k.abs() == b.abs() && k > b))),
            };
            if better {
                best = Some((k, how_good));
            }
        }
        Ok(best.map_or(0, |b| b.0))
    }
}
