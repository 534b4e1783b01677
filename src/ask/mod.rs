//! Asking the model back (issue 15): the least change of one lever that
//! meets a target ([`seek`]), which levers move a target ([`sensitivity`]),
//! and how much each edited lever contributed to a change ([`attribution`]).
//!
//! Every answer is computed by running the engine, nothing else: each trial
//! binds the scenario with a lever moved to its roster ([`Model::new`]),
//! runs it centrally and, when a [`Confidence::Probability`] is asked for,
//! runs the Monte Carlo with the scenario's seed, run `i` on stream `i`
//! (`engine::montecarlo`), so every trial value sees the same random
//! numbers (common random numbers): a probability responds to the lever,
//! not to noise, and equals the probability `youjun run` gives for the
//! scenario with the lever set to that value.
//!
//! Browser-free and single-threaded: no threads, no clock, no files. Long
//! work reports through a `progress` callback ([`Progress`]), so a web
//! worker can post it to the page; cancelling is ending the worker.
//!
//! Values are in stored units (a share as 0–1), like the scenario file and
//! [`crate::levers`]. A move's value is the lever's value for
//! [`LeverMove::Single`], the amount added to every year for
//! [`LeverMove::Shift`] and the factor for [`LeverMove::Scale`].

pub mod attribution;
pub mod path;
pub mod seek;
pub mod sensitivity;

pub use attribution::{attribution, attribution_sampled, Attribution, Contribution, EXACT_MAX_PLAYERS, SAMPLED_PERMUTATIONS};
pub use seek::{seek, seek_with, SeekAnswer, SeekOptions};
pub use sensitivity::{sensitivity, Sensitivity, SensitivityRow, DEFAULT_SHARE};

use std::ops::ControlFlow;

use crate::engine::montecarlo::run_targets;
use crate::engine::{Model, TargetOutcome};
use crate::levers::{self, Lever, YearlyLever, LEVERS, YEARLY_LEVERS};
use crate::message::{quoted, Error, ErrorKind, Place, Problem, Text};
use crate::roster::Roster;
use crate::scenario::{Scenario, TargetOp};

/// Which target(s) a goal-seek must meet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TargetChoice {
    /// One target of the scenario, by its id (`nq-2026`).
    One(String),
    /// Every target of the scenario dated `year` (written `all-2026`): a run
    /// meets it when it meets all of them, and its probability is the share
    /// of runs meeting all of them.
    AllIn(i32),
}

impl TargetChoice {
    /// Reads a target as the command line writes it: a target id of
    /// `scenario`, or `all-YEAR` for every target of that year (a target
    /// whose id is literally `all-…` wins).
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Usage`] at `target` when `text` is neither, listing the
    /// scenario's target ids and `all-YEAR` forms.
    pub fn parse(scenario: &Scenario, text: &str) -> Result<TargetChoice, Error> {
        if scenario.targets.iter().any(|t| t.id == text) {
            return Ok(TargetChoice::One(text.to_owned()));
        }
        if let Some(year) = text.strip_prefix("all-").and_then(|y| y.parse::<i32>().ok()) {
            let choice = TargetChoice::AllIn(year);
            choice.resolve(scenario)?;
            return Ok(choice);
        }
        Err(unknown_target(scenario, text))
    }

    /// The choice as the command line writes it: the id, or `all-YEAR`.
    pub fn id(&self) -> String {
        match self {
            TargetChoice::One(id) => id.clone(),
            TargetChoice::AllIn(year) => format!("all-{year}"),
        }
    }

    /// The positions in `scenario.targets` of the targets chosen.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Usage`] at `target` for an unknown id or a year without
    /// targets, listing what the scenario has.
    pub fn resolve(&self, scenario: &Scenario) -> Result<Vec<usize>, Error> {
        let found: Vec<usize> = match self {
            TargetChoice::One(id) => scenario.targets.iter().position(|t| &t.id == id).into_iter().collect(),
            TargetChoice::AllIn(year) => (0..scenario.targets.len()).filter(|&j| scenario.targets[j].year == *year).collect(),
        };
        if found.is_empty() {
            Err(unknown_target(scenario, &self.id()))
        } else {
            Ok(found)
        }
    }
}

/// The position of target `id` in `scenario.targets`.
fn one_target(scenario: &Scenario, id: &str) -> Result<usize, Error> {
    scenario.targets.iter().position(|t| t.id == id).ok_or_else(|| unknown_target(scenario, id))
}

fn unknown_target(scenario: &Scenario, got: &str) -> Error {
    let mut allowed: Vec<String> = scenario.targets.iter().map(|t| t.id.clone()).collect();
    let mut years: Vec<i32> = scenario.targets.iter().map(|t| t.year).collect();
    crate::sort::sort_unstable_by(&mut years, Ord::cmp);
    years.dedup();
    allowed.extend(years.iter().map(|y| format!("all-{y}")));
    let message = Text::new("不是本场景的目标", "is not a target of this scenario");
    Error::new(ErrorKind::Usage, Problem::new(Place::Arg("target".into()), message).found(quoted(got)).allowed(Text::same(allowed.join(", "))))
}

/// How a goal-seek moves a lever.
#[derive(Debug, Clone, Copy)]
pub enum LeverMove {
    /// A single-number lever, to a value in its range on its step grid
    /// (counted from its current value). Written as the lever's id.
    Single(&'static Lever),
    /// A yearly lever, the same amount added to every row year's value
    /// (steps of the lever's step), as long as every year stays in the
    /// lever's bounds. Written `ID:shift`.
    Shift(&'static YearlyLever),
    /// A yearly lever, every row year's value multiplied by one factor
    /// (steps of 0.01), as long as every year stays in the lever's bounds.
    /// Written `ID:scale`.
    Scale(&'static YearlyLever),
}

/// The step of a [`LeverMove::Scale`] factor.
pub const SCALE_STEP: f64 = 0.01;

impl LeverMove {
    /// Reads a move as the command line writes it: a single lever's id, or a
    /// yearly lever's id followed by `:shift` or `:scale`.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Usage`] at `lever` for any other text, listing the
    /// allowed forms.
    pub fn parse(text: &str) -> Result<LeverMove, Error> {
        if let Some(l) = levers::lever(text) {
            return Ok(LeverMove::Single(l));
        }
        let (id, how) = text.rsplit_once(':').unwrap_or((text, ""));
        match (levers::yearly_lever(id), how) {
            (Some(l), "shift") => return Ok(LeverMove::Shift(l)),
            (Some(l), "scale") => return Ok(LeverMove::Scale(l)),
            _ => {}
        }
        let mut allowed: Vec<String> = LEVERS.iter().map(|l| l.id.to_owned()).collect();
        allowed.extend(YEARLY_LEVERS.iter().map(|l| format!("{0}:shift, {0}:scale", l.id)));
        let message = if levers::yearly_lever(text).is_some() {
            Text::new(
                "年度调节项须加 `:shift`（各年加同一数）或 `:scale`（各年乘同一倍数）",
                "a yearly lever needs `:shift` (the same amount added to every year) or `:scale` (every year multiplied by one factor)",
            )
        } else {
            Text::new("不是调节项", "is not a lever")
        };
        Err(Error::new(ErrorKind::Usage, Problem::new(Place::Arg("lever".into()), message).found(quoted(text)).allowed(Text::same(allowed.join(", ")))))
    }

    /// The move as the command line writes it.
    pub fn id(&self) -> String {
        match self {
            LeverMove::Single(l) => l.id.to_owned(),
            LeverMove::Shift(l) => format!("{}:shift", l.id),
            LeverMove::Scale(l) => format!("{}:scale", l.id),
        }
    }

    /// The lever's name in Chinese and English.
    pub fn label(&self) -> Text {
        match self {
            LeverMove::Single(l) => Text::new(l.zh, l.en),
            LeverMove::Shift(l) => Text::new(format!("{}（各年同加）", l.zh), format!("{} (same amount every year)", l.en)),
            LeverMove::Scale(l) => Text::new(format!("{}（各年同比例）", l.zh), format!("{} (scaled every year)", l.en)),
        }
    }

    /// The step of the move's grid.
    pub fn step(&self) -> f64 {
        match self {
            LeverMove::Single(l) => l.step,
            LeverMove::Shift(l) => l.step,
            LeverMove::Scale(_) => SCALE_STEP,
        }
    }

    /// The move's value that leaves `scenario` as it is: the lever's value,
    /// 0 for a shift, 1 for a scale.
    pub fn current(&self, scenario: &Scenario) -> f64 {
        match self {
            LeverMove::Single(l) => l.get(scenario).map_or(f64::NAN, |v| v.value),
            LeverMove::Shift(_) => 0.0,
            LeverMove::Scale(_) => 1.0,
        }
    }

    /// The values the move may take on `scenario`, on its grid: the
    /// smallest and largest.
    ///
    /// # Errors
    ///
    /// As [`LeverMove::apply`] when the scenario lacks the lever.
    pub fn range(&self, scenario: &Scenario) -> Result<(f64, f64), Error> {
        let g = Grid::new(self, scenario)?;
        Ok((g.value(g.lo), g.value(g.hi)))
    }

    /// `scenario` with the move's value `x` applied to its current values:
    /// the lever set to `x`, `x` added to every row year, or every row year
    /// multiplied by `x`, each year's value rounded to the digits of its
    /// value and the step (so 0.15 + 0.04 is 0.19, not 0.19000000000000003).
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Usage`] at the lever when a value would leave the lever's
    /// range (or is not a number), or the scenario lacks the lever; the
    /// message gives the range.
    pub fn apply(&self, scenario: &Scenario, x: f64) -> Result<Scenario, Error> {
        let mut s = scenario.clone();
        match self {
            LeverMove::Single(l) => set_single(&mut s, l, x)?,
            LeverMove::Shift(l) | LeverMove::Scale(l) => {
                for (year, v) in self.rows_after(scenario, x) {
                    set_yearly(&mut s, l, year, v)?;
                }
            }
        }
        Ok(s)
    }

    /// The row years' values after applying `x` to a yearly lever's current
    /// rows (empty for a single lever).
    fn rows_after(&self, scenario: &Scenario, x: f64) -> Vec<(i32, f64)> {
        match self {
            LeverMove::Single(_) => Vec::new(),
            LeverMove::Shift(l) => {
                let d = decimals(l.step);
                l.row_values(scenario).into_iter().map(|(y, v)| (y, round_to(v + x, decimals(v).max(d)))).collect()
            }
            LeverMove::Scale(l) => l.row_values(scenario).into_iter().map(|(y, v)| (y, round_to(v * x, (decimals(v) + 2).min(12)))).collect(),
        }
    }

    /// The `--set` arguments (`LEVER=VALUE`, `LEVER@YEAR=VALUE`) that apply
    /// the move's value `x` to `scenario`: one for a single lever, one a row
    /// year for a yearly lever.
    pub fn settings(&self, scenario: &Scenario, x: f64) -> Vec<String> {
        match self {
            LeverMove::Single(l) => vec![format!("{}={}", l.id, x)],
            LeverMove::Shift(l) | LeverMove::Scale(l) => self.rows_after(scenario, x).into_iter().map(|(y, v)| format!("{}@{y}={v}", l.id)).collect(),
        }
    }
}

/// A problem with the value of `lever` (its id), saying what is allowed.
fn lever_problem(id: &str, message: Text, got: impl Into<String>) -> Error {
    Error::new(ErrorKind::Usage, Problem::new(Place::Arg(id.to_owned()), message).found(got))
}

fn set_single(s: &mut Scenario, l: &Lever, x: f64) -> Result<(), Error> {
    l.field().bounds.check(x).map_err(|e| lever_problem(l.id, e.message(), e.got().to_string()))?;
    l.set(s, x).map_err(|e| lever_problem(l.id, Text::same(e), x.to_string()))
}

fn set_yearly(s: &mut Scenario, l: &YearlyLever, year: i32, x: f64) -> Result<(), Error> {
    let id = format!("{}@{year}", l.id);
    l.field().bounds.check(x).map_err(|e| lever_problem(&id, e.message(), e.got().to_string()))?;
    if !l.years(s).contains(&year) {
        let years = l.years(s);
        let message =
            Text::new(format!("年份须在 {} 到 {} 之间", years.start(), years.end()), format!("the year must be from {} to {}", years.start(), years.end()));
        return Err(lever_problem(&id, message, year.to_string()));
    }
    l.set(s, year, x).map_err(|e| lever_problem(&id, Text::same(e), x.to_string()))
}

/// Applies one setting as the command line writes it, `LEVER=VALUE` or, for
/// a yearly lever, `LEVER@YEAR=VALUE`, in stored units (a share as 0–1).
///
/// # Errors
///
/// [`ErrorKind::Usage`] naming the argument: no `=`, an unknown lever
/// (listing the lever ids), a yearly lever without a year or with a year
/// outside its table, a value that is not a number or is out of the
/// lever's range (with the range); the scenario is then unchanged.
pub fn apply_setting(scenario: &mut Scenario, text: &str) -> Result<(), Error> {
    let Some((name, value)) = text.split_once('=') else {
        return Err(lever_problem("--set", Text::new("须为 LEVER=VALUE 或 LEVER@YEAR=VALUE", "must be LEVER=VALUE or LEVER@YEAR=VALUE"), quoted(text)));
    };
    let (id, year) = match name.split_once('@') {
        Some((id, y)) => (id.trim(), Some(y.trim())),
        None => (name.trim(), None),
    };
    let number = |at: &str| -> Result<f64, Error> {
        value.trim().parse::<f64>().map_err(|_| lever_problem(at, Text::new("取值须为数字", "the value must be a number"), quoted(value)))
    };
    if let (Some(l), None) = (levers::lever(id), year) {
        let x = number(id)?;
        return set_single(scenario, l, x);
    }
    if let Some(l) = levers::yearly_lever(id) {
        let years = l.years(scenario);
        let Some(year) = year else {
            let message = Text::new(format!("年度调节项须写 {id}@YEAR=VALUE"), format!("a yearly lever is set as {id}@YEAR=VALUE"));
            return Err(Error::new(
                ErrorKind::Usage,
                Problem::new(Place::Arg(id.to_owned()), message).allowed(Text::same(format!("YEAR {}–{}", years.start(), years.end()))),
            ));
        };
        let Ok(year) = year.parse::<i32>() else {
            return Err(lever_problem(id, Text::new("年份须为整数", "the year must be a whole number"), quoted(year)));
        };
        let x = number(&format!("{id}@{year}"))?;
        return set_yearly(scenario, l, year, x);
    }
    let mut allowed: Vec<String> = LEVERS.iter().map(|l| l.id.to_owned()).collect();
    allowed.extend(YEARLY_LEVERS.iter().map(|l| format!("{}@YEAR", l.id)));
    let message = if year.is_some() && levers::lever(id).is_some() {
        Text::new("单值调节项不带年份", "a single-number lever takes no year")
    } else {
        Text::new("不是调节项", "is not a lever")
    };
    Err(Error::new(ErrorKind::Usage, Problem::new(Place::Arg("--set".into()), message).found(quoted(name)).allowed(Text::same(allowed.join(", ")))))
}

/// Whether a trial is judged on the central run or on the Monte Carlo.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Confidence {
    /// The deterministic central run meets the target(s).
    Central,
    /// At least a share `p` of `runs` Monte Carlo runs meets the target(s).
    Probability {
        /// The share of runs required, in (0, 1].
        p: f64,
        /// Runs per trial (run `i` on stream `i` of the scenario's seed).
        runs: u32,
    },
}

impl Confidence {
    /// The share of runs asked for when the planner does not say: 80%.
    pub const DEFAULT_P: f64 = 0.8;

    /// A probability requirement: `p` (default [`Confidence::DEFAULT_P`])
    /// over `runs` runs (default: the scenario's Monte Carlo setting).
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Usage`] at `probability` when `p` is not in (0, 1], at
    /// `runs` when the runs are not 1 to 100,000.
    pub fn probability(scenario: &Scenario, p: Option<f64>, runs: Option<u32>) -> Result<Confidence, Error> {
        let p = p.unwrap_or(Confidence::DEFAULT_P);
        if !(p > 0.0 && p <= 1.0) {
            return Err(lever_problem("probability", Text::new("须大于 0 且不超过 1", "must be above 0 and at most 1"), p.to_string()));
        }
        let runs = runs.unwrap_or(scenario.scenario.runs);
        if !(1..=100_000).contains(&runs) {
            return Err(lever_problem("runs", Text::new("须为 1 到 100000 的整数", "must be a whole number from 1 to 100000"), runs.to_string()));
        }
        Ok(Confidence::Probability { p, runs })
    }

    /// The runs per trial (0 centrally).
    pub fn runs(&self) -> u32 {
        match self {
            Confidence::Central => 0,
            Confidence::Probability { runs, .. } => *runs,
        }
    }

    /// The share asked for, when it is a probability.
    pub fn p(&self) -> Option<f64> {
        match self {
            Confidence::Central => None,
            Confidence::Probability { p, .. } => Some(*p),
        }
    }
}

/// How far a computation is, for a progress bar: after every trial and
/// every [`PROGRESS_EVERY`] Monte Carlo runs within one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Progress {
    /// Trials (lever settings, coalitions) started so far.
    pub trials: u32,
    /// Trials the computation will make, when known in advance (sensitivity
    /// and attribution; a goal-seek's count depends on what it finds).
    pub total: Option<u32>,
    /// Model runs so far (central runs and Monte Carlo runs).
    pub runs: u64,
}

/// Monte Carlo runs between two progress reports within a trial.
pub const PROGRESS_EVERY: u32 = 50;

/// One lever setting evaluated: its model, its central outcome and its
/// Monte Carlo tally so far (runs `0..done`, of which `met` met).
pub(crate) struct Trial {
    model: Model,
    /// Every target's central outcome, in the scenario's order.
    pub(crate) central: Vec<TargetOutcome>,
    pub(crate) met: u32,
    pub(crate) done: u32,
}

/// Runs trials for one computation, counting them and reporting progress.
pub(crate) struct Evaluator<'a> {
    roster: &'a Roster,
    seed: u64,
    pub(crate) confidence: Confidence,
    /// The targets a run must all meet.
    targets: Vec<usize>,
    pub(crate) trials: u32,
    pub(crate) runs: u64,
    total: Option<u32>,
    progress: &'a mut dyn FnMut(Progress),
}

impl<'a> Evaluator<'a> {
    pub(crate) fn new(
        scenario: &Scenario,
        roster: &'a Roster,
        confidence: Confidence,
        targets: Vec<usize>,
        total: Option<u32>,
        progress: &'a mut dyn FnMut(Progress),
    ) -> Evaluator<'a> {
        Evaluator { roster, seed: scenario.scenario.seed, confidence, targets, trials: 0, runs: 0, total, progress }
    }

    fn report(&mut self) {
        let p = Progress { trials: self.trials, total: self.total, runs: self.runs };
        (self.progress)(p);
    }

    /// Binds `scenario` to the roster and runs it centrally.
    pub(crate) fn trial(&mut self, scenario: Scenario) -> Result<Trial, Error> {
        let model = Model::new(scenario, self.roster.clone())?;
        let central = model.run_central().targets;
        self.trials += 1;
        self.runs += 1;
        self.report();
        Ok(Trial { model, central, met: 0, done: 0 })
    }

    /// Whether the central run meets every chosen target.
    pub(crate) fn central_met(&self, t: &Trial) -> bool {
        self.targets.iter().all(|&j| t.central[j].met)
    }

    /// The runs needed to meet a probability requirement: ceil(p·runs).
    pub(crate) fn need(&self) -> u32 {
        match self.confidence {
            Confidence::Central => 0,
            Confidence::Probability { p, runs } => ((p * f64::from(runs)) - 1e-9).ceil().max(0.0) as u32,
        }
    }

    /// Continues `t`'s Monte Carlo up to the confidence's runs; with `early`,
    /// stops as soon as the verdict (met ≥ ceil(p·runs)) is certain.
    pub(crate) fn count(&mut self, t: &mut Trial, early: bool) {
        let Confidence::Probability { runs, .. } = self.confidence else { return };
        let need = self.need();
        let certain = |met: u32, done: u32| met >= need || done - met > runs - need;
        while t.done < runs && !(early && certain(t.met, t.done)) {
            let end = (t.done + PROGRESS_EVERY).min(runs);
            let (mut met, mut done) = (t.met, t.done);
            let targets = &self.targets;
            let n = run_targets(&t.model, self.seed, t.done..end, |o| {
                done += 1;
                met += u32::from(targets.iter().all(|&j| o[j].met));
                if early && certain(met, done) {
                    ControlFlow::Break(())
                } else {
                    ControlFlow::Continue(())
                }
            });
            debug_assert_eq!(t.done + n, done);
            (t.met, t.done) = (met, done);
            self.runs += u64::from(n);
            self.report();
        }
    }

    /// The trial's verdict: central, or met ≥ ceil(p·runs) (the trial must
    /// have been counted far enough).
    pub(crate) fn met(&self, t: &Trial) -> bool {
        match self.confidence {
            Confidence::Central => self.central_met(t),
            Confidence::Probability { .. } => t.met >= self.need(),
        }
    }

    /// The trial's probability once counted in full.
    pub(crate) fn probability(&self, t: &Trial) -> Option<f64> {
        match self.confidence {
            Confidence::Central => None,
            Confidence::Probability { runs, .. } => {
                debug_assert_eq!(t.done, runs, "a probability is read off a complete trial");
                Some(f64::from(t.met) / f64::from(runs.max(1)))
            }
        }
    }

    /// The trial's probability when it has been counted in full, else `None`.
    pub(crate) fn probability_if_complete(&self, t: &Trial) -> Option<f64> {
        (t.done == self.confidence.runs()).then(|| self.probability(t)).flatten()
    }

    /// How well the central run does on the chosen targets: a target's
    /// margin (value − target for ≥, target − value for ≤) when there is one
    /// target; the sum of the shortfalls, each relative to its target,
    /// when there are several (0 when all are met). A value that is not a
    /// number counts as the worst.
    pub(crate) fn score(&self, scenario: &Scenario, t: &Trial) -> f64 {
        let margin = |j: usize| {
            let target = &scenario.targets[j];
            let m = match target.op {
                TargetOp::AtLeast => t.central[j].value - target.value,
                TargetOp::AtMost => target.value - t.central[j].value,
            };
            if m.is_nan() {
                f64::NEG_INFINITY
            } else {
                m
            }
        };
        match self.targets.as_slice() {
            [j] => margin(*j),
            many => many.iter().map(|&j| margin(j).min(0.0) / scenario.targets[j].value.abs().max(1.0)).sum(),
        }
    }
}

/// The number of decimal digits `x` is written with (at most 12).
pub(crate) fn decimals(x: f64) -> u32 {
    (0..12)
        .find(|&d| {
            let m = x * 10f64.powi(d as i32);
            (m - m.round()).abs() <= 1e-9 * m.abs().max(1.0)
        })
        .unwrap_or(12)
}

/// `x` rounded to `d` decimal digits (the nearest number to the decimal).
pub(crate) fn round_to(x: f64, d: u32) -> f64 {
    let m = 10f64.powi(d as i32);
    let r = (x * m).round() / m;
    if r.is_finite() {
        r
    } else {
        x
    }
}

/// A move's grid on one scenario: values `from + k·step` for `k` in
/// `lo..=hi`, the range's ends being the furthest grid values inside the
/// lever's bounds (every year's value inside them, for a yearly lever).
pub(crate) struct Grid {
    lever: LeverMove,
    from: f64,
    step: f64,
    digits: u32,
    pub(crate) lo: i64,
    pub(crate) hi: i64,
}

impl Grid {
    pub(crate) fn new(lever: &LeverMove, scenario: &Scenario) -> Result<Grid, Error> {
        let from = lever.current(scenario);
        if !from.is_finite() {
            let id = lever.id();
            return Err(lever_problem(&id, Text::new(format!("场景中没有此项 ({id})"), format!("the scenario has no `{id}`")), "—"));
        }
        let step = lever.step();
        let digits = decimals(step).max(decimals(from));
        // The move's value range, before the grid.
        let (min, max) = match lever {
            LeverMove::Single(l) => (l.min, l.max),
            LeverMove::Shift(l) => {
                let rows = l.row_values(scenario);
                let lo = rows.iter().map(|r| r.1).fold(f64::INFINITY, f64::min);
                let hi = rows.iter().map(|r| r.1).fold(f64::NEG_INFINITY, f64::max);
                (l.min - lo, l.max - hi)
            }
            LeverMove::Scale(l) => {
                let rows: Vec<f64> = l.row_values(scenario).into_iter().map(|r| r.1).filter(|v| *v > 0.0).collect();
                if rows.is_empty() {
                    (1.0, 1.0)
                } else {
                    let lo = rows.iter().map(|v| l.min / v).fold(0.0, f64::max);
                    let hi = rows.iter().map(|v| l.max / v).fold(f64::INFINITY, f64::min);
                    (lo, hi)
                }
            }
        };
        let mut g = Grid {
            lever: *lever,
            from,
            step,
            digits,
            lo: ((min - from) / step - 1e-9).ceil().min(0.0) as i64,
            hi: ((max - from) / step + 1e-9).floor().max(0.0) as i64,
        };
        // Rounding may put an end a hair outside the bounds: step back.
        while g.lo < 0 && lever.apply(scenario, g.value(g.lo)).is_err() {
            g.lo += 1;
        }
        while g.hi > 0 && lever.apply(scenario, g.value(g.hi)).is_err() {
            g.hi -= 1;
        }
        Ok(g)
    }

    /// The move's value `k` steps from the current one.
    pub(crate) fn value(&self, k: i64) -> f64 {
        round_to(self.from + k as f64 * self.step, self.digits)
    }

    /// The scenario with the move's value `k` steps away.
    pub(crate) fn scenario(&self, scenario: &Scenario, k: i64) -> Result<Scenario, Error> {
        self.lever.apply(scenario, self.value(k))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pudong() -> Scenario {
        Scenario::from_toml(include_str!("../../scenarios/pudong-2024.toml")).unwrap()
    }

    #[test]
    fn digits_and_rounding_keep_grid_values_clean() {
        assert_eq!((decimals(0.01), decimals(0.005), decimals(1e6), decimals(16.9)), (2, 3, 0, 1));
        assert_eq!(round_to(0.15 + 4.0 * 0.01, 2), 0.19);
        assert_eq!(round_to(0.1 + 0.2, 2), 0.3);
    }

    #[test]
    fn moves_parse_and_name_the_allowed_forms() {
        assert!(matches!(LeverMove::parse("new_quality.review_pass_probability"), Ok(LeverMove::Single(_))));
        assert!(matches!(LeverMove::parse("new_quality.planned_admissions:shift"), Ok(LeverMove::Shift(_))));
        assert!(matches!(LeverMove::parse("enrollment.births_wan:scale"), Ok(LeverMove::Scale(_))));
        let e = LeverMove::parse("new_quality.planned_admissions").unwrap_err();
        assert!(e.message(crate::i18n::Lang::En).contains(":shift"), "{}", e.bilingual());
        let e = LeverMove::parse("nope").unwrap_err();
        let en = e.message(crate::i18n::Lang::En);
        assert!(en.contains("`lever`: is not a lever") && en.contains("teachers.rotation_share"), "{en}");
        assert!(e.message(crate::i18n::Lang::Zh).contains("不是调节项"));
    }

    #[test]
    fn targets_parse_ids_and_years() {
        let s = pudong();
        assert_eq!(TargetChoice::parse(&s, "nq-2026").unwrap(), TargetChoice::One("nq-2026".into()));
        let all = TargetChoice::parse(&s, "all-2026").unwrap();
        assert_eq!(all.resolve(&s).unwrap().len(), s.targets.iter().filter(|t| t.year == 2026).count());
        for bad in ["nq-2099", "all-2099", "all-x"] {
            let en = TargetChoice::parse(&s, bad).unwrap_err().message(crate::i18n::Lang::En);
            assert!(en.contains("`target`") && en.contains("nq-2026") && en.contains("all-2028"), "{en}");
        }
    }

    #[test]
    fn ranges_keep_every_year_in_bounds() {
        let s = pudong();
        let m = LeverMove::parse("new_quality.planned_admissions:shift").unwrap();
        // Rows 22, 20, 20, 0, 0, 0, 0 in [0, 1000]: shift from 0 to 978.
        assert_eq!(m.range(&s).unwrap(), (0.0, 978.0));
        let m = LeverMove::parse("new_quality.review_pass_probability").unwrap();
        assert_eq!(m.range(&s).unwrap(), (0.01, 1.0));
        let m = LeverMove::parse("funding.capital_budget_yuan:scale").unwrap();
        let (lo, hi) = m.range(&s).unwrap();
        assert_eq!(lo, 0.0);
        assert!(hi > 3000.0, "{hi}");
        let shifted = LeverMove::parse("new_quality.planned_admissions:shift").unwrap().apply(&s, 7.0).unwrap();
        let rows = crate::levers::yearly_lever("new_quality.planned_admissions").unwrap().row_values(&shifted);
        assert_eq!(rows.iter().map(|r| r.1).collect::<Vec<_>>(), [29.0, 27.0, 27.0, 7.0, 7.0, 7.0, 7.0]);
    }

    #[test]
    fn settings_apply_and_bad_ones_name_the_lever_and_range() {
        let mut s = pudong();
        apply_setting(&mut s, "new_quality.review_pass_probability=0.9").unwrap();
        assert_eq!(s.new_quality.review_pass_probability.value, 0.9);
        apply_setting(&mut s, "new_quality.planned_admissions@2025=25").unwrap();
        assert_eq!(s.new_quality.planned_admissions.at(2025), Some(25.0));
        let en = |t: &str| apply_setting(&mut pudong(), t).unwrap_err().message(crate::i18n::Lang::En);
        let e = en("new_quality.review_pass_probability=1.5");
        assert!(e.contains("`new_quality.review_pass_probability`") && e.contains("between 0.01 and 1") && e.contains("1.5"), "{e}");
        assert!(en("nope=1").contains("teachers.rotation_share"));
        assert!(en("new_quality.planned_admissions=3").contains("2024–2030"));
        assert!(en("new_quality.planned_admissions@2040=3").contains("from 2024 to 2030"));
        assert!(en("new_quality.review_pass_probability=abc").contains("must be a number"));
        assert!(en("justtext").contains("LEVER=VALUE"));
    }
}
