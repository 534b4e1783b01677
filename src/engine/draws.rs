//! The only source of randomness in the engine.
//!
//! A run is either *central* (every uncertain input at its central value,
//! every discrete choice by its documented rule) or *random* (draws from a
//! ChaCha8 stream). Draws use only `u32`/`u64`/`f64` and `libm`, so the same
//! seed gives bit-identical numbers on x86_64 and wasm32.

use rand::{Rng, RngCore, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::scenario::Uncertainty;

/// Where a run's uncertain inputs come from: the engine's only source of
/// randomness.
pub enum Draws {
    /// Every uncertain input at its central value (the deterministic run).
    Central,
    // Boxed: the ChaCha state is large and `Central` is the common case.
    /// One Monte Carlo run's ChaCha8 stream and the spreads it draws with.
    Random {
        /// The run's own random stream (see [`Draws::for_run`]).
        rng: Box<ChaCha8Rng>,
        /// The scenario's uncertainty settings.
        u: Uncertainty,
    },
}

impl Draws {
    /// The random stream for Monte Carlo run `run` of a scenario seeded `seed`:
    /// one ChaCha stream per run, so runs are independent of how many others exist.
    pub fn for_run(seed: u64, run: u64, u: &Uncertainty) -> Draws {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        rng.set_stream(run);
        Draws::Random { rng: Box::new(rng), u: u.clone() }
    }

    /// A standard normal deviate (Box–Muller with libm).
    fn normal(rng: &mut ChaCha8Rng) -> f64 {
        // 53 random bits in (0, 1]: never zero, so the log is finite.
        let u1 = ((rng.next_u64() >> 11) as f64 + 1.0) / 9_007_199_254_740_992.0;
        let u2 = (rng.next_u64() >> 11) as f64 / 9_007_199_254_740_992.0;
        libm::sqrt(-2.0 * libm::log(u1)) * libm::cos(std::f64::consts::TAU * u2)
    }

    /// Multiplier on district births `horizon` years past the base: log-normal,
    /// spread growing with √horizon.
    pub fn births_factor(&mut self, horizon: i32) -> f64 {
        match self {
            Draws::Central => 1.0,
            Draws::Random { rng, u } => {
                let sigma = u.births_sigma * libm::sqrt(f64::from(horizon.max(0)));
                libm::exp(sigma * Self::normal(rng))
            }
        }
    }

    /// Multiplier on one school's intake: the spread grows as the intake shrinks
    /// (σ at 100 pupils, scaled by √(100 / intake), intake floored at 10).
    pub fn school_intake_factor(&mut self, expected_intake: f64) -> f64 {
        match self {
            Draws::Central => 1.0,
            Draws::Random { rng, u } => {
                let sigma = u.school_intake_sigma * libm::sqrt(100.0 / expected_intake.max(10.0));
                libm::exp(sigma * Self::normal(rng))
            }
        }
    }

    /// The net migration rate for one year.
    pub fn migration_rate(&mut self, central: f64) -> f64 {
        match self {
            Draws::Central => central,
            Draws::Random { rng, u } => central + u.migration_sigma * Self::normal(rng),
        }
    }

    fn discrete(&mut self) -> Option<&mut ChaCha8Rng> {
        match self {
            Draws::Random { rng, u } if u.discrete_events => Some(rng),
            _ => None,
        }
    }

    /// Which of `n` candidates, listed in priority order, succeed with
    /// probability `p` each. Central rule: the first round(p·n) succeed.
    pub fn select(&mut self, n: usize, p: f64) -> Vec<bool> {
        match self.discrete() {
            None => {
                let k = (p * n as f64).round() as usize;
                (0..n).map(|i| i < k).collect()
            }
            Some(rng) => (0..n).map(|_| rng.random::<f64>() < p).collect(),
        }
    }

    /// A whole number uniformly from `lo..=hi`. Central rule: the midpoint, rounded.
    pub fn uniform_count(&mut self, lo: u32, hi: u32) -> u32 {
        let hi = hi.max(lo);
        match self.discrete() {
            None => (lo + hi).div_ceil(2),
            Some(rng) => lo + rng.next_u32() % (hi - lo + 1),
        }
    }

    /// A whole number uniformly from `lo..=hi`, for a flow the engine may
    /// carry as a fraction. Central rule: the mean, (lo + hi) / 2, so the
    /// central run sits in the middle of the Monte Carlo band.
    pub fn uniform_count_or_mean(&mut self, lo: u32, hi: u32) -> f64 {
        let hi = hi.max(lo);
        match self.discrete() {
            None => f64::from(lo + hi) / 2.0,
            Some(_) => f64::from(self.uniform_count(lo, hi)),
        }
    }

    /// Expected count `p·n` centrally; a binomial draw otherwise.
    pub fn binomial(&mut self, n: u32, p: f64) -> f64 {
        match self.discrete() {
            None => p * f64::from(n),
            Some(rng) => (0..n).filter(|_| rng.random::<f64>() < p).count() as f64,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zero_uncertainty_draws_are_central() {
        let mut d = Draws::for_run(7, 0, &Uncertainty::none());
        assert_eq!(d.births_factor(5), 1.0);
        assert_eq!(d.school_intake_factor(20.0), 1.0);
        assert_eq!(d.migration_rate(0.01), 0.01);
        assert_eq!(d.select(10, 0.34), Draws::Central.select(10, 0.34));
        assert_eq!(d.uniform_count(4, 6), 5);
    }

    #[test]
    fn same_seed_same_draws_other_seed_other_draws() {
        let u = Uncertainty::default();
        let take = |seed, run| {
            let mut d = Draws::for_run(seed, run, &u);
            (0..20).map(|h| d.births_factor(h)).collect::<Vec<_>>()
        };
        assert_eq!(take(1, 0), take(1, 0));
        assert_ne!(take(1, 0), take(2, 0));
        assert_ne!(take(1, 0), take(1, 1));
    }

    #[test]
    fn normal_deviates_have_unit_spread() {
        let mut rng = ChaCha8Rng::seed_from_u64(3);
        let xs: Vec<f64> = (0..20_000).map(|_| Draws::normal(&mut rng)).collect();
        let mean = xs.iter().sum::<f64>() / xs.len() as f64;
        let var = xs.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / xs.len() as f64;
        assert!(mean.abs() < 0.03, "mean {mean}");
        assert!((var - 1.0).abs() < 0.05, "variance {var}");
    }

    #[test]
    fn small_schools_get_wider_intake_spread() {
        let u = Uncertainty { school_intake_sigma: 0.1, ..Uncertainty::none() };
        let spread = |intake: f64| {
            let mut d = Draws::for_run(9, 0, &u);
            let logs: Vec<f64> = (0..4000).map(|_| d.school_intake_factor(intake).ln()).collect();
            (logs.iter().map(|x| x * x).sum::<f64>() / logs.len() as f64).sqrt()
        };
        assert!(spread(20.0) > 1.8 * spread(100.0));
    }
}
