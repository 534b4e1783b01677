//! Monte Carlo: N runs, each on its own ChaCha stream of the scenario's seed;
//! P10/P50/P90 of every district series and the probability of each target.

use serde::{Deserialize, Serialize};

use super::{series_keys, Draws, Model, Trajectory};

/// The summary of a Monte Carlo: P10/P50/P90 of every district series in
/// every year, and each target's probability of being met.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MonteCarlo {
    /// Number of runs summarised.
    pub runs: u32,
    /// The scenario seed; run `i` used stream `i` of it.
    pub seed: u64,
    /// The simulated years, base year first.
    pub years: Vec<i32>,
    /// `p10[k][t]` etc., for `series_keys()[k]` in `years[t]`. Nearest-rank
    /// percentiles: the value at rank round(q·(N−1)) of the sorted runs.
    #[serde(with = "nan_as_null")]
    pub p10: Vec<Vec<f64>>,
    /// Medians, indexed like `p10`.
    #[serde(with = "nan_as_null")]
    pub p50: Vec<Vec<f64>>,
    /// 90th percentiles, indexed like `p10`.
    #[serde(with = "nan_as_null")]
    pub p90: Vec<Vec<f64>>,
    /// Share of runs meeting each target, in the scenario's target order.
    pub target_probability: Vec<f64>,
}

impl MonteCarlo {
    /// The P10, P50 and P90 of series `key` by year, or `None` for a key no
    /// run records.
    pub fn band(&self, key: &str) -> Option<(&[f64], &[f64], &[f64])> {
        let k = series_keys().iter().position(|s| s == key)?;
        Some((&self.p10[k], &self.p50[k], &self.p90[k]))
    }
}

/// JSON has no NaN: an undefined value (a CV with no pupils) travels as
/// `null` and comes back as NaN, so a summary survives the trip to and from
/// the browser's worker unchanged.
mod nan_as_null {
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    pub fn serialize<S: Serializer>(v: &[Vec<f64>], s: S) -> Result<S::Ok, S::Error> {
        let opt: Vec<Vec<Option<f64>>> = v.iter().map(|r| r.iter().map(|x| x.is_finite().then_some(*x)).collect()).collect();
        opt.serialize(s)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<Vec<f64>>, D::Error> {
        let opt = Vec::<Vec<Option<f64>>>::deserialize(d)?;
        Ok(opt.into_iter().map(|r| r.into_iter().map(|x| x.unwrap_or(f64::NAN)).collect()).collect())
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_summary_survives_a_json_round_trip_bit_for_bit() {
        let b = crate::scenario::builtin::builtin("minhang-hongqiao-district").unwrap();
        let s = b.scenario().unwrap();
        let roster = s.resolve_roster(|_| Err("no CSV".into())).unwrap();
        let model = Model::new(s, roster).unwrap();
        let mut mc = run_monte_carlo(&model, 20, 7, |_| {});
        // A level without pupils has an undefined CV; carry one across.
        mc.p50[0][0] = f64::NAN;
        let back: MonteCarlo = serde_json::from_str(&serde_json::to_string(&mc).unwrap()).unwrap();
        let bits = |m: &MonteCarlo| m.p10.iter().chain(&m.p50).chain(&m.p90).flatten().map(|v| if v.is_nan() { u64::MAX } else { v.to_bits() }).collect::<Vec<_>>();
        assert_eq!(bits(&back), bits(&mc));
        assert_eq!(back.target_probability, mc.target_probability);
    }
}
