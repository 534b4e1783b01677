//! The only source of randomness in the engine.
//!
//! A run is either *central* (every uncertain input at its central value,
//! every discrete choice by its documented rule) or *random* (draws from a
//! ChaCha8 stream). Draws use only `u32`/`u64`/`f64` and `libm`, so the same
//! seed gives bit-identical numbers on x86_64 and wasm32.
//!
//! Within a run, the district-wide draws persist from year to year, so
//! errors do not cancel in multi-year totals (issue 16):
//! - the grade-1 intake ratio (pupils per birth six years earlier) is
//!   calibrated on the base year and then follows an AR(1) path in logs,
//!   `z(t) = persistence · z(t−1) + ε(t)`, scaled by `intake_ratio_sigma`:
//!   one year out its spread is the intake backtest's one-year error, and it
//!   levels off at `intake_ratio_sigma / √(1 − persistence²)`;
//! - births carry no error for years `births_wan` gives (they are
//!   published); past the last one, a random walk with `births_sigma` a year;
//! - the net migration rate follows a stationary AR(1) path around its
//!   central value with spread `migration_sigma` every year.
//! - migrant children's (随迁子女) part of grade-1 intake, for scenarios
//!   with `[enrollment.migrant]`, follows an AR(1) path in logs of its own
//!   like the intake ratio's, scaled by `migrant_sigma`: admission policy
//!   moves it apart from births. Other scenarios draw nothing for it, so
//!   their streams are as before.
//!
//! Each school's own intake draw stays independent year to year: it is the
//! noise of which families pick which school.

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
        /// Where the run's persistent district paths stand.
        paths: Paths,
    },
}

/// The persistent district-wide paths of one run (see the module notes).
#[derive(Debug, Clone, Copy, Default)]
pub struct Paths {
    /// The intake ratio's AR(1) state, in units of `intake_ratio_sigma`.
    intake_ratio: f64,
    /// Log births error accumulated past the last published year.
    births: f64,
    /// The migration rate's AR(1) state, in units of `migration_sigma`;
    /// `None` before the first year's draw.
    migration: Option<f64>,
    /// The migrant intake's AR(1) state, in units of `migrant_sigma`.
    migrant: f64,
}

impl Draws {
    /// The random stream for Monte Carlo run `run` of a scenario seeded `seed`:
    /// one ChaCha stream per run, so runs are independent of how many others exist.
    pub fn for_run(seed: u64, run: u64, u: &Uncertainty) -> Draws {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        rng.set_stream(run);
        Draws::Random { rng: Box::new(rng), u: u.clone(), paths: Paths::default() }
    }

    /// A standard normal deviate (Box–Muller with libm).
    fn normal(rng: &mut ChaCha8Rng) -> f64 {
        // 53 random bits in (0, 1]: never zero, so the log is finite.
        let u1 = ((rng.next_u64() >> 11) as f64 + 1.0) / 9_007_199_254_740_992.0;
        let u2 = (rng.next_u64() >> 11) as f64 / 9_007_199_254_740_992.0;
        libm::sqrt(-2.0 * libm::log(u1)) * libm::cos(std::f64::consts::TAU * u2)
    }

    /// Multiplier on the district's grade-1 intake `horizon` years past the
    /// base year, for births six years earlier that are published or not:
    /// the intake ratio's next AR(1) step times, for unpublished births, the
    /// births random walk's next step. Call once a year, in year order.
    pub fn intake_factor(&mut self, horizon: i32, births_published: bool) -> f64 {
        match self {
            Draws::Central => 1.0,
            // The base year's ratio is the calibrated one.
            Draws::Random { .. } if horizon <= 0 => 1.0,
            Draws::Random { rng, u, paths } => {
                paths.intake_ratio = u.persistence * paths.intake_ratio + Self::normal(rng);
                if !births_published {
                    paths.births += u.births_sigma * Self::normal(rng);
                }
                libm::exp(u.intake_ratio_sigma * paths.intake_ratio + paths.births)
            }
        }
    }

    /// Multiplier on the migrant children's part of the district's grade-1
    /// intake `horizon` years past the base year: its own AR(1) step in logs
    /// (see the module notes). Call once a year after [`Draws::intake_factor`],
    /// in year order, and only for a scenario with `[enrollment.migrant]`.
    pub fn migrant_factor(&mut self, horizon: i32) -> f64 {
        match self {
            Draws::Central => 1.0,
            Draws::Random { .. } if horizon <= 0 => 1.0,
            Draws::Random { rng, u, paths } => {
                paths.migrant = u.persistence * paths.migrant + Self::normal(rng);
                libm::exp(u.migrant_sigma * paths.migrant)
            }
        }
    }

    /// Multiplier on one school's intake: the spread grows as the intake shrinks
    /// (σ at 100 pupils, scaled by √(100 / intake), intake floored at 10).
    pub fn school_intake_factor(&mut self, expected_intake: f64) -> f64 {
        match self {
            Draws::Central => 1.0,
            Draws::Random { rng, u, .. } => {
                let sigma = u.school_intake_sigma * libm::sqrt(100.0 / expected_intake.max(10.0));
                libm::exp(sigma * Self::normal(rng))
            }
        }
    }

    /// The net migration rate for the next year (call once a year, in year
    /// order): stationary AR(1) around `central`, the same spread every year.
    pub fn migration_rate(&mut self, central: f64) -> f64 {
        match self {
            Draws::Central => central,
            Draws::Random { rng, u, paths } => {
                let e = Self::normal(rng);
                let z = match paths.migration {
                    None => e,
                    Some(z) => u.persistence * z + libm::sqrt(1.0 - u.persistence * u.persistence) * e,
                };
                paths.migration = Some(z);
                central + u.migration_sigma * z
            }
        }
    }

    fn discrete(&mut self) -> Option<&mut ChaCha8Rng> {
        match self {
            Draws::Random { rng, u, .. } if u.discrete_events => Some(rng),
            _ => None,
        }
    }

    /// The candidates of `list`, in priority order, that succeed with
    /// probability `p` each, moved in that order to its head: one draw per
    /// candidate, in order. Central rule: the first round(p·n) succeed.
    /// Gathered without a branch on each outcome: a coin toss is a branch a
    /// processor guesses wrong about as often as right.
    pub fn select<'a, T: Copy>(&mut self, list: &'a mut [T], p: f64) -> &'a mut [T] {
        let n = list.len();
        let len = match self.discrete() {
            None => ((p * n as f64).round() as usize).min(n),
            Some(rng) => {
                let mut len = 0;
                for i in 0..n {
                    list[len] = list[i];
                    len += usize::from(rng.random::<f64>() < p);
                }
                len
            }
        };
        &mut list[..len]
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
        assert_eq!(d.intake_factor(5, false), 1.0);
        assert_eq!(d.school_intake_factor(20.0), 1.0);
        assert_eq!(d.migration_rate(0.01), 0.01);
        assert_eq!(d.select(&mut [0, 1, 2, 3, 4, 5, 6, 7, 8, 9], 0.34), Draws::Central.select(&mut [0, 1, 2, 3, 4, 5, 6, 7, 8, 9], 0.34));
        assert_eq!(d.uniform_count(4, 6), 5);
    }

    #[test]
    fn same_seed_same_draws_other_seed_other_draws() {
        let u = Uncertainty::default();
        let take = |seed, run| {
            let mut d = Draws::for_run(seed, run, &u);
            (0..20).map(|h| d.intake_factor(h, h < 6)).collect::<Vec<_>>()
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

    /// The log intake factors of `runs` runs, years 1..=years past the base.
    fn intake_paths(u: &Uncertainty, runs: u64, years: i32, published: impl Fn(i32) -> bool) -> Vec<Vec<f64>> {
        (0..runs)
            .map(|run| {
                let mut d = Draws::for_run(11, run, u);
                (1..=years).map(|h| d.intake_factor(h, published(h)).ln()).collect()
            })
            .collect()
    }

    fn spread(xs: impl Iterator<Item = f64> + Clone) -> f64 {
        let n = xs.clone().count() as f64;
        let mean = xs.clone().sum::<f64>() / n;
        (xs.map(|x| (x - mean).powi(2)).sum::<f64>() / n).sqrt()
    }

    fn correlation(a: &[f64], b: &[f64]) -> f64 {
        let n = a.len() as f64;
        let (ma, mb) = (a.iter().sum::<f64>() / n, b.iter().sum::<f64>() / n);
        let cov: f64 = a.iter().zip(b).map(|(x, y)| (x - ma) * (y - mb)).sum::<f64>() / n;
        cov / (spread(a.iter().copied()) * spread(b.iter().copied()))
    }

    /// With published births the intake's spread is the intake ratio's:
    /// σ one year out, levelling off at σ/√(1 − ρ²); by hand 0.03 and
    /// 0.03/√(1 − 0.49) = 0.0420 (year 8: 0.0419). A run's ratio in year 5
    /// and year 6 correlate by ρ·sd(5)/sd(6) = 0.7 × √(1.9055/1.9336) = 0.695;
    /// with persistence 0 they do not.
    #[test]
    fn the_intake_ratio_persists_and_its_spread_levels_off() {
        let u = Uncertainty { intake_ratio_sigma: 0.03, persistence: 0.7, ..Uncertainty::none() };
        let paths = intake_paths(&u, 4000, 8, |_| true);
        let at = |t: usize| paths.iter().map(move |p| p[t]);
        assert!((spread(at(0)) - 0.03).abs() < 0.002, "{}", spread(at(0)));
        assert!((spread(at(7)) - 0.0420).abs() < 0.003, "{}", spread(at(7)));
        let (a, b): (Vec<f64>, Vec<f64>) = (at(4).collect(), at(5).collect());
        let r = correlation(&a, &b);
        assert!(r > 0.6 && r < 0.8, "correlation {r}");
        let independent = Uncertainty { persistence: 0.0, ..u };
        let paths = intake_paths(&independent, 4000, 8, |_| true);
        let (a, b): (Vec<f64>, Vec<f64>) = (paths.iter().map(|p| p[4]).collect(), paths.iter().map(|p| p[5]).collect());
        assert!(correlation(&a, &b).abs() < 0.05);
    }

    /// Published births add nothing; unpublished ones add a random walk on
    /// top, so from the first unpublished year the spread is wider than the
    /// intake ratio's alone.
    #[test]
    fn births_add_spread_only_once_they_are_unpublished() {
        let u = Uncertainty { births_sigma: 0.03, intake_ratio_sigma: 0.03, persistence: 0.7, ..Uncertainty::none() };
        let ratio_only = Uncertainty { births_sigma: 0.0, ..u.clone() };
        let with = intake_paths(&u, 4000, 8, |h| h <= 5);
        let without = intake_paths(&ratio_only, 4000, 8, |h| h <= 5);
        let s = |p: &Vec<Vec<f64>>, t: usize| spread(p.iter().map(move |x| x[t]));
        // Years 1–5 published: the same draws, the same factors.
        for t in 0..5 {
            assert_eq!(s(&with, t), s(&without, t));
        }
        // Years 6–8: the walk adds 0.03, 0.042, 0.052 in quadrature.
        for t in 5..8 {
            assert!(s(&with, t) > s(&without, t) * 1.15, "year {}: {} vs {}", t + 1, s(&with, t), s(&without, t));
        }
    }

    /// Migration keeps its spread every year and persists from year to year.
    #[test]
    fn migration_persists_with_a_constant_spread() {
        let u = Uncertainty { migration_sigma: 0.005, persistence: 0.7, ..Uncertainty::none() };
        let paths: Vec<Vec<f64>> = (0..4000)
            .map(|run| {
                let mut d = Draws::for_run(5, run, &u);
                (0..6).map(|_| d.migration_rate(0.01)).collect()
            })
            .collect();
        for t in 0..6 {
            let sd = spread(paths.iter().map(|p| p[t]));
            assert!((sd - 0.005).abs() < 0.0003, "year {t}: {sd}");
        }
        let (a, b): (Vec<f64>, Vec<f64>) = (paths.iter().map(|p| p[2]).collect(), paths.iter().map(|p| p[3]).collect());
        let r = correlation(&a, &b);
        assert!((r - 0.7).abs() < 0.05, "correlation {r}");
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
