//! Attribution (变化归因): how much each edited lever contributed to the
//! change of a target's projected value (and probability) between a base
//! scenario and an edited one: Shapley values, the data of a waterfall.
//!
//! The players are the levers that differ ([`crate::levers::changed`] and
//! [`crate::levers::yearly_changed`], each lever one player, a yearly
//! lever with all its rows), in lever-table order (single-number levers,
//! then yearly ones). A coalition `S` is the base scenario with the levers
//! in `S` at their edited values, applied in that order; `v(S)` is the
//! target's central value there (and its probability). So the result does
//! not depend on the order the edits were made, only on the two scenarios;
//! anything else that differs between them (district sections, roster,
//! targets) is not attributed and keeps the base's.
//!
//! Up to [`EXACT_MAX_PLAYERS`] players the Shapley values are exact: every
//! one of the 2ⁿ coalitions is run once. Above, they are the mean over
//! [`SAMPLED_PERMUTATIONS`] random orders of the players (ChaCha8 with the
//! fixed seed [`PERMUTATION_SEED`], `u32` draws): each order's marginal
//! contributions add up to `v(all) − v(none)`, so the means do too.

use std::collections::BTreeMap;

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use super::{one_target, Confidence, Evaluator, Progress};
use crate::levers::{self, LEVERS, YEARLY_LEVERS};
use crate::message::Error;
use crate::roster::Roster;
use crate::scenario::Scenario;

/// The most players computed exactly (2⁸ = 256 coalitions).
pub const EXACT_MAX_PLAYERS: usize = 8;
/// Random orders sampled above [`EXACT_MAX_PLAYERS`] players.
pub const SAMPLED_PERMUTATIONS: u32 = 100;
/// The seed of the sampled orders.
pub const PERMUTATION_SEED: u64 = 15;

/// One lever's share of the change.
#[derive(Debug, Clone, PartialEq)]
pub struct Contribution {
    /// The lever's id (its path in the scenario file).
    pub lever: &'static str,
    /// Whether it is a yearly lever (all its rows together).
    pub yearly: bool,
    /// Its Shapley value for the target's central value.
    pub value: f64,
    /// Its Shapley value for the target's probability (with a probability confidence).
    pub probability: Option<f64>,
}

/// A waterfall's data for one target.
#[derive(Debug, Clone, PartialEq)]
pub struct Attribution {
    /// The target's id.
    pub target: String,
    /// The target's central value in the base scenario, `v(none)`.
    pub base_value: f64,
    /// The target's central value with every changed lever edited, `v(all)`.
    pub edited_value: f64,
    /// `edited_value − base_value`: what the contributions add up to.
    pub total: f64,
    /// The probability in the base scenario.
    pub base_probability: Option<f64>,
    /// The probability with every changed lever edited.
    pub edited_probability: Option<f64>,
    /// One entry per changed lever, in lever-table order.
    pub contributions: Vec<Contribution>,
    /// True when every coalition was run (at most [`EXACT_MAX_PLAYERS`] players).
    pub exact: bool,
    /// Random orders sampled (0 when exact).
    pub samples: u32,
    /// Coalitions run.
    pub coalitions: u32,
    /// Model runs made.
    pub runs: u64,
}

/// Shapley attribution of the change of `target_id` between `base` and
/// `edited` (both bound to `roster`), exact up to [`EXACT_MAX_PLAYERS`]
/// changed levers and over [`SAMPLED_PERMUTATIONS`] orders above.
///
/// # Errors
///
/// As [`attribution_sampled`].
pub fn attribution(
    base: &Scenario,
    edited: &Scenario,
    roster: &Roster,
    target_id: &str,
    confidence: Confidence,
    progress: impl FnMut(Progress),
) -> Result<Attribution, Error> {
    attribution_sampled(base, edited, roster, target_id, confidence, SAMPLED_PERMUTATIONS, progress)
}

/// A player: a single lever (index into `LEVERS`) or a yearly one.
#[derive(Clone, Copy)]
enum Player {
    Single(usize),
    Yearly(usize),
}

/// [`attribution`] with `permutations` random orders when there are more
/// than [`EXACT_MAX_PLAYERS`] players (at least 1 is used).
///
/// # Errors
///
/// [`crate::message::ErrorKind::Usage`] at `target` for a target `base`
/// lacks; a value of `edited` out of its lever's range; whatever binding a
/// coalition's scenario reports.
pub fn attribution_sampled(
    base: &Scenario,
    edited: &Scenario,
    roster: &Roster,
    target_id: &str,
    confidence: Confidence,
    permutations: u32,
    mut progress: impl FnMut(Progress),
) -> Result<Attribution, Error> {
    let j = one_target(base, target_id)?;
    let singles = levers::changed(base, edited);
    let yearly = levers::yearly_changed(base, edited);
    let mut players: Vec<Player> = Vec::new();
    players.extend(singles.iter().filter_map(|(id, _)| LEVERS.iter().position(|l| l.id == *id)).map(Player::Single));
    players.extend(yearly.iter().filter_map(|(id, _)| YEARLY_LEVERS.iter().position(|l| l.id == *id)).map(Player::Yearly));
    let n = players.len();
    let exact = n <= EXACT_MAX_PLAYERS;
    let samples = if exact { 0 } else { permutations.max(1) };
    let total_trials = if exact { 1u32 << n } else { samples * (n as u32 - 1) + 2 };
    let mut eval = Evaluator::new(base, roster, confidence, vec![j], Some(total_trials), &mut progress);

    // v(S) by the coalition's bit mask (bit k: player k), each run once.
    let mut values: BTreeMap<u64, (f64, Option<f64>)> = BTreeMap::new();
    let mut v = |mask: u64, eval: &mut Evaluator| -> Result<(f64, Option<f64>), Error> {
        if let Some(r) = values.get(&mask) {
            return Ok(*r);
        }
        let mut s = base.clone();
        for (k, p) in players.iter().enumerate() {
            if mask & (1 << k) != 0 {
                match *p {
                    Player::Single(i) => {
                        let x = LEVERS[i].get(edited).map_or(f64::NAN, |v| v.value);
                        super::set_single(&mut s, &LEVERS[i], x)?;
                    }
                    Player::Yearly(i) => YEARLY_LEVERS[i].reset(&mut s, edited),
                }
            }
        }
        let mut t = eval.trial(s)?;
        eval.count(&mut t, false);
        let r = (t.central[j].value, eval.probability(&t));
        values.insert(mask, r);
        Ok(r)
    };

    let all = if n == 0 { 0 } else { u64::MAX >> (64 - n) };
    let none = v(0, &mut eval)?;
    let full = v(all, &mut eval)?;
    let mut phi = vec![0.0; n];
    let mut phi_p = vec![0.0; n];
    if exact {
        // w(s) = s!(n−s−1)!/n! for a coalition of s players without i.
        let fact = |m: usize| (1..=m).map(|x| x as f64).product::<f64>();
        let w: Vec<f64> = (0..n).map(|s| fact(s) * fact(n - s - 1) / fact(n)).collect();
        for mask in 0..(1u64 << n) {
            v(mask, &mut eval)?;
        }
        for (i, (f, fp)) in phi.iter_mut().zip(phi_p.iter_mut()).enumerate() {
            for mask in (0..(1u64 << n)).filter(|m| m & (1 << i) == 0) {
                let (a, b) = (v(mask, &mut eval)?, v(mask | (1 << i), &mut eval)?);
                let weight = w[mask.count_ones() as usize];
                *f += weight * (b.0 - a.0);
                *fp += weight * (b.1.unwrap_or(0.0) - a.1.unwrap_or(0.0));
            }
        }
    } else {
        let mut rng = ChaCha8Rng::seed_from_u64(PERMUTATION_SEED);
        let mut order: Vec<usize> = (0..n).collect();
        for _ in 0..samples {
            for i in (1..n).rev() {
                let pick = rng.random_range(0..=i as u32) as usize;
                order.swap(i, pick);
            }
            let (mut mask, mut before) = (0u64, none);
            for &i in &order {
                mask |= 1 << i;
                let after = v(mask, &mut eval)?;
                phi[i] += after.0 - before.0;
                phi_p[i] += after.1.unwrap_or(0.0) - before.1.unwrap_or(0.0);
                before = after;
            }
        }
        let m = f64::from(samples);
        for (f, fp) in phi.iter_mut().zip(phi_p.iter_mut()) {
            *f /= m;
            *fp /= m;
        }
    }
    let probability = none.1.is_some();
    let contributions = players
        .iter()
        .zip(phi.iter().zip(&phi_p))
        .map(|(p, (f, fp))| Contribution {
            lever: match *p {
                Player::Single(i) => LEVERS[i].id,
                Player::Yearly(i) => YEARLY_LEVERS[i].id,
            },
            yearly: matches!(p, Player::Yearly(_)),
            value: *f,
            probability: probability.then_some(*fp),
        })
        .collect();
    Ok(Attribution {
        target: target_id.to_owned(),
        base_value: none.0,
        edited_value: full.0,
        total: full.0 - none.0,
        base_probability: none.1,
        edited_probability: full.1,
        contributions,
        exact,
        samples,
        coalitions: values.len() as u32,
        runs: eval.runs,
    })
}
