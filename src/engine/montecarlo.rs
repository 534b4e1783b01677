//! Monte Carlo: N runs, each on its own ChaCha stream of the scenario's seed;
//! P10/P50/P90 of every district series and the probability of each target.

use serde::Serialize;

use super::{series_keys, Draws, Model, Trajectory};

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MonteCarlo {
    pub runs: u32,
    pub seed: u64,
    pub years: Vec<i32>,
    /// `p10[k][t]` etc., for `series_keys()[k]` in `years[t]`. Nearest-rank
    /// percentiles: the value at rank round(q·(N−1)) of the sorted runs.
    pub p10: Vec<Vec<f64>>,
    pub p50: Vec<Vec<f64>>,
    pub p90: Vec<Vec<f64>>,
    /// Share of runs meeting each target, in the scenario's target order.
    pub target_probability: Vec<f64>,
}

impl MonteCarlo {
    pub fn band(&self, key: &str) -> Option<(&[f64], &[f64], &[f64])> {
        let k = series_keys().iter().position(|s| s == key)?;
        Some((&self.p10[k], &self.p50[k], &self.p90[k]))
    }
}

/// Runs `runs` draws of `model` with `seed`. `progress` is called after each
/// run with the number done, so a caller can report progress or yield.
pub fn run_monte_carlo(model: &Model, runs: u32, seed: u64, mut progress: impl FnMut(u32)) -> MonteCarlo {
    let u = &model.scenario.uncertainty;
    let mut all: Vec<Trajectory> = Vec::with_capacity(runs as usize);
    for run in 0..runs {
        let mut draws = Draws::for_run(seed, u64::from(run), u);
        all.push(model.run(&mut draws, false));
        progress(run + 1);
    }
    summarize(&all, runs, seed)
}

fn summarize(all: &[Trajectory], runs: u32, seed: u64) -> MonteCarlo {
    let years = all.first().map(|t| t.years.clone()).unwrap_or_default();
    let nk = series_keys().len();
    let (mut p10, mut p50, mut p90) = (vec![vec![]; nk], vec![vec![]; nk], vec![vec![]; nk]);
    let mut column = Vec::with_capacity(all.len());
    for k in 0..nk {
        for t in 0..years.len() {
            column.clear();
            column.extend(all.iter().map(|r| r.series[k][t]));
            // NaN (an undefined CV) orders last and so only shows when most runs
            // have it. Three selections instead of a full sort.
            let n = column.len();
            let rank = |q: f64| ((q * (n - 1) as f64).round()) as usize;
            let mut at = |q: f64| *column.select_nth_unstable_by(rank(q), f64::total_cmp).1;
            p10[k].push(at(0.10));
            p50[k].push(at(0.50));
            p90[k].push(at(0.90));
        }
    }
    let n_targets = all.first().map_or(0, |t| t.targets.len());
    let target_probability = (0..n_targets)
        .map(|j| all.iter().filter(|r| r.targets[j].met).count() as f64 / all.len().max(1) as f64)
        .collect();
    MonteCarlo { runs, seed, years, p10, p50, p90, target_probability }
}
