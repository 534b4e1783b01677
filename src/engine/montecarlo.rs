//! Monte Carlo: N runs, each on its own ChaCha stream of the scenario's seed;
//! P10/P50/P90 of every district series and the probability of each target.

use std::ops::{ControlFlow, Range};

use serde::{Deserialize, Serialize};

use super::{series_keys, Draws, Model, TargetOutcome};

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
///
/// The same as running the one slice `0..runs` ([`run_slice`]) and
/// summarising it ([`SliceSet`]); the browser runs the same runs in several
/// slices on several workers and gets the same summary, bit for bit.
pub fn run_monte_carlo(model: &Model, runs: u32, seed: u64, progress: impl FnMut(u32)) -> MonteCarlo {
    let slice = run_slice(model, seed, 0..runs, progress);
    let done = slice.runs();
    let slices = if done == 0 { Vec::new() } else { vec![slice] };
    SliceSet { seed, total: runs, slices, done }.summary()
}

/// The runs `start..end` of one Monte Carlo, kept as only what its summary
/// needs: each run's district series (`series_keys().len()` × years values)
/// and each target's met flag. Made by [`run_slice`] (or read back from
/// [`Slice::to_wire`]) and summarised with others in a [`SliceSet`].
#[derive(Debug, Clone)]
pub struct Slice {
    start: u32,
    end: u32,
    years: Vec<i32>,
    n_targets: u32,
    /// Run-major: run `start + r`, series `k`, year `t` at
    /// `(r · n_keys + k) · years.len() + t`.
    values: Vec<f64>,
    /// Run-major: run `start + r`, target `j` at `r · n_targets + j`.
    met: Vec<bool>,
}

/// Runs `runs` (a range of run numbers; run `i` uses stream `i` of `seed`)
/// of `model` and keeps what the summary needs. `progress` is called after
/// each run with the number of this slice's runs done.
pub fn run_slice(model: &Model, seed: u64, runs: Range<u32>, mut progress: impl FnMut(u32)) -> Slice {
    let u = &model.scenario.uncertainty;
    let n = runs.end.saturating_sub(runs.start);
    let mut slice = Slice { start: runs.start, end: runs.start + n, years: Vec::new(), n_targets: 0, values: Vec::new(), met: Vec::new() };
    for (done, run) in (1..).zip(runs) {
        let mut draws = Draws::for_run(seed, u64::from(run), u);
        let t = model.run(&mut draws, false);
        if done == 1 {
            let per_run = t.series.len() * t.years.len();
            slice.values.reserve_exact(per_run * n as usize);
            slice.met.reserve_exact(t.targets.len() * n as usize);
            slice.n_targets = t.targets.len() as u32;
            slice.years = t.years;
        }
        debug_assert_eq!(t.series.len(), series_keys().len(), "a run records every series");
        for row in &t.series {
            debug_assert_eq!(row.len(), slice.years.len(), "a series has one value a year");
            slice.values.extend_from_slice(row);
        }
        slice.met.extend(t.targets.iter().map(|o| o.met));
        progress(done);
    }
    slice
}

/// Runs `runs` one at a time (run `i` on stream `i` of `seed`, as
/// [`run_slice`] does, so the verdicts are those of the same runs of
/// [`run_monte_carlo`]) and hands each run's target outcomes, in the
/// scenario's target order, to `each`, which may stop the runs early by
/// returning [`ControlFlow::Break`]. Keeps nothing else; returns the number
/// of runs done. What goal-seek counts its verdicts with (`crate::ask`).
pub fn run_targets(model: &Model, seed: u64, runs: Range<u32>, mut each: impl FnMut(&[TargetOutcome]) -> ControlFlow<()>) -> u32 {
    let u = &model.scenario.uncertainty;
    let mut done = 0;
    for run in runs {
        let mut draws = Draws::for_run(seed, u64::from(run), u);
        let t = model.run(&mut draws, false);
        done += 1;
        if each(&t.targets).is_break() {
            break;
        }
    }
    done
}

/// Number of leading numbers in [`Slice::to_wire`] before the years.
const WIRE_HEADER: usize = 6;
/// First number of the wire form: its layout's version.
const WIRE_VERSION: f64 = 1.0;

impl Slice {
    /// The first run of the slice.
    pub fn start(&self) -> u32 {
        self.start
    }

    /// One past the last run of the slice.
    pub fn end(&self) -> u32 {
        self.end
    }

    /// The number of runs in the slice.
    pub fn runs(&self) -> u32 {
        self.end - self.start
    }

    fn n_keys(&self) -> usize {
        series_keys().len()
    }

    /// The slice as one flat array of numbers, to send from a worker to the
    /// page as a transferable `Float64Array`: `[version, start, end,
    /// series count, year count, target count, years…, values…, met flags
    /// (0 or 1)…]`, the values in the slice's run-major order. Every number
    /// keeps its bits, so [`Slice::from_wire`] gives back the same slice.
    pub fn to_wire(&self) -> Vec<f64> {
        let mut w = Vec::with_capacity(WIRE_HEADER + self.years.len() + self.values.len() + self.met.len());
        w.extend([
            WIRE_VERSION,
            f64::from(self.start),
            f64::from(self.end),
            self.n_keys() as f64,
            self.years.len() as f64,
            f64::from(self.n_targets),
        ]);
        w.extend(self.years.iter().map(|y| f64::from(*y)));
        w.extend_from_slice(&self.values);
        w.extend(self.met.iter().map(|m| if *m { 1.0 } else { 0.0 }));
        w
    }

    /// Reads a slice written by [`Slice::to_wire`].
    ///
    /// # Errors
    ///
    /// The array is not a slice of this build: another layout version or
    /// series count, a header field that is not a whole number in range, a
    /// length that does not match the header, or a met flag other than 0 or
    /// 1. The error names the field.
    pub fn from_wire(w: &[f64]) -> Result<Slice, SliceError> {
        let header = w.get(..WIRE_HEADER).ok_or(SliceError::Wire { field: "header", found: format!("{} numbers", w.len()) })?;
        let whole = |field: &'static str, v: f64| -> Result<u32, SliceError> {
            if v.fract() == 0.0 && (0.0..=f64::from(u32::MAX)).contains(&v) {
                Ok(v as u32)
            } else {
                Err(SliceError::Wire { field, found: v.to_string() })
            }
        };
        if header[0] != WIRE_VERSION {
            return Err(SliceError::Wire { field: "version", found: header[0].to_string() });
        }
        let start = whole("start", header[1])?;
        let end = whole("end", header[2])?;
        if end < start {
            return Err(SliceError::Wire { field: "end", found: format!("{end} < start {start}") });
        }
        let n_keys = whole("series", header[3])?;
        if n_keys as usize != series_keys().len() {
            return Err(SliceError::Wire { field: "series", found: format!("{n_keys}, not {}", series_keys().len()) });
        }
        let n_years = whole("years", header[4])? as usize;
        let n_targets = whole("targets", header[5])?;
        let runs = (end - start) as usize;
        let lengths = n_keys
            .checked_mul(n_years as u32)
            .and_then(|per_run| (per_run as usize).checked_mul(runs))
            .zip((n_targets as usize).checked_mul(runs))
            .and_then(|(v, m)| Some((v, m, v.checked_add(m)?.checked_add(WIRE_HEADER + n_years)?)));
        let Some((n_values, n_met, total)) = lengths.filter(|(.., total)| *total == w.len()) else {
            return Err(SliceError::Wire { field: "length", found: format!("{} numbers", w.len()) });
        };
        let body = &w[WIRE_HEADER..];
        let years = body[..n_years]
            .iter()
            .map(|y| if y.fract() == 0.0 && (f64::from(i32::MIN)..=f64::from(i32::MAX)).contains(y) { Ok(*y as i32) } else { Err(SliceError::Wire { field: "years", found: y.to_string() }) })
            .collect::<Result<Vec<i32>, _>>()?;
        let values = body[n_years..n_years + n_values].to_vec();
        let met = body[n_years + n_values..]
            .iter()
            .map(|m| match *m {
                0.0 => Ok(false),
                1.0 => Ok(true),
                other => Err(SliceError::Wire { field: "met", found: other.to_string() }),
            })
            .collect::<Result<Vec<bool>, _>>()?;
        debug_assert_eq!(met.len(), n_met);
        debug_assert_eq!(WIRE_HEADER + n_years + values.len() + met.len(), total);
        Ok(Slice { start, end, years, n_targets, values, met })
    }
}

/// Why a slice does not fit a [`SliceSet`] or could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SliceError {
    /// The wire form's `field` is wrong; `found` is what was there.
    Wire {
        /// The header field, or `length`, `years`, `met`.
        field: &'static str,
        /// What the field held.
        found: String,
    },
    /// The slice's runs reach past the Monte Carlo's run count.
    OutOfRange {
        /// The slice's runs.
        runs: Range<u32>,
        /// The Monte Carlo's run count.
        total: u32,
    },
    /// The slice repeats runs another slice already holds.
    Overlap {
        /// The slice's runs.
        runs: Range<u32>,
    },
    /// The slice's years or target count differ from the other slices':
    /// it is from another scenario.
    Shape {
        /// `years` or `targets`.
        field: &'static str,
    },
}

impl std::fmt::Display for SliceError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SliceError::Wire { field, found } => {
                write!(f, "蒙特卡洛结果片段无法读取：字段 `{field}` 为 {found} (Monte Carlo slice unreadable: field `{field}` is {found})")
            }
            SliceError::OutOfRange { runs, total } => write!(
                f,
                "蒙特卡洛结果片段 `runs` {}..{} 超出 {total} 次模拟 (Monte Carlo slice `runs` {}..{} is past the {total} runs)",
                runs.start, runs.end, runs.start, runs.end
            ),
            SliceError::Overlap { runs } => write!(
                f,
                "蒙特卡洛结果片段 `runs` {}..{} 与已有片段重复 (Monte Carlo slice `runs` {}..{} overlaps one already merged)",
                runs.start, runs.end, runs.start, runs.end
            ),
            SliceError::Shape { field } => write!(
                f,
                "蒙特卡洛结果片段的 `{field}` 与其他片段不同 (Monte Carlo slice `{field}` differs from the other slices')"
            ),
        }
    }
}

impl std::error::Error for SliceError {}

/// The slices of one Monte Carlo of `total` runs gathered so far, in any
/// order and from any number of workers, and their summary.
///
/// The summary depends only on which runs are in the set, never on how they
/// were sliced or in what order the slices came: the percentiles are ranks
/// in the sorted values of all the runs (a total order, so the value at a
/// rank is unique to the bit) and the probabilities are counts.
#[derive(Debug, Clone)]
pub struct SliceSet {
    seed: u64,
    total: u32,
    /// Sorted by `start`, never overlapping.
    slices: Vec<Slice>,
    done: u32,
}

impl SliceSet {
    /// An empty set for a Monte Carlo of `total` runs with `seed`.
    pub fn new(seed: u64, total: u32) -> SliceSet {
        SliceSet { seed, total, slices: Vec::new(), done: 0 }
    }

    /// Adds `slice` to the set.
    ///
    /// # Errors
    ///
    /// The slice reaches past `total` runs, repeats runs already in the set,
    /// or has other years or another number of targets than the slices
    /// already in it; the set is unchanged.
    pub fn add(&mut self, slice: Slice) -> Result<(), SliceError> {
        if slice.end > self.total {
            return Err(SliceError::OutOfRange { runs: slice.start..slice.end, total: self.total });
        }
        if slice.runs() == 0 {
            return Ok(());
        }
        if let Some(other) = self.slices.first() {
            if other.years != slice.years {
                return Err(SliceError::Shape { field: "years" });
            }
            if other.n_targets != slice.n_targets {
                return Err(SliceError::Shape { field: "targets" });
            }
        }
        let at = self.slices.partition_point(|s| s.start < slice.start);
        let after_previous = at == 0 || self.slices[at - 1].end <= slice.start;
        let before_next = self.slices.get(at).is_none_or(|next| slice.end <= next.start);
        if !(after_previous && before_next) {
            return Err(SliceError::Overlap { runs: slice.start..slice.end });
        }
        self.done += slice.runs();
        self.slices.insert(at, slice);
        Ok(())
    }

    /// The number of runs in the set.
    pub fn done(&self) -> u32 {
        self.done
    }

    /// The number of runs the Monte Carlo has.
    pub fn total(&self) -> u32 {
        self.total
    }

    /// True when every run `0..total` is in the set.
    pub fn is_complete(&self) -> bool {
        self.done == self.total
    }

    /// The summary of the runs in the set so far, in run order; `runs` is
    /// how many there are. Once the set is complete it equals
    /// [`run_monte_carlo`]'s, bit for bit.
    pub fn summary(&self) -> MonteCarlo {
        let years = self.slices.first().map(|s| s.years.clone()).unwrap_or_default();
        let nk = series_keys().len();
        let ny = years.len();
        let (mut p10, mut p50, mut p90) = (vec![vec![]; nk], vec![vec![]; nk], vec![vec![]; nk]);
        // The runs' values column by column (series k, year t at column
        // k·years + t), each column in run order: one pass over the runs,
        // then each column's selections in contiguous memory.
        let (per_run, n) = (nk * ny, self.done as usize);
        let mut columns = vec![0.0; per_run * n];
        if per_run > 0 {
            let runs = self.slices.iter().flat_map(|s| s.values.chunks_exact(per_run));
            for (r, run) in runs.enumerate() {
                for (c, v) in run.iter().enumerate() {
                    columns[c * n + r] = *v;
                }
            }
        }
        for k in 0..nk {
            for t in 0..ny {
                let c = k * ny + t;
                let column = &mut columns[c * n..(c + 1) * n];
                // NaN (an undefined CV) orders last and so only shows when most runs
                // have it. Three selections instead of a full sort; under
                // `total_cmp` equal values have equal bits, so the value at a
                // rank does not depend on the order the runs came in.
                let rank = |q: f64| ((q * (n - 1) as f64).round()) as usize;
                let mut at = |q: f64| *column.select_nth_unstable_by(rank(q), f64::total_cmp).1;
                p10[k].push(at(0.10));
                p50[k].push(at(0.50));
                p90[k].push(at(0.90));
            }
        }
        let target_probability = self.target_probability();
        MonteCarlo { runs: self.done, seed: self.seed, years, p10, p50, p90, target_probability }
    }

    /// Each target's share of the runs in the set meeting it, in the
    /// scenario's target order (empty while the set is): the summary's
    /// `target_probability`, without the percentiles' cost.
    pub fn target_probability(&self) -> Vec<f64> {
        let n_targets = self.slices.first().map_or(0, |s| s.n_targets as usize);
        (0..n_targets)
            .map(|j| {
                let met: usize = self.slices.iter().map(|s| s.met.iter().skip(j).step_by(n_targets).filter(|m| **m).count()).sum();
                met as f64 / self.done.max(1) as f64
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn minhang() -> Model {
        let b = crate::scenario::builtin::builtin("minhang-hongqiao-district").unwrap();
        let s = b.scenario().unwrap();
        let roster = s.resolve_roster(|_| Err("no CSV".into())).unwrap();
        Model::new(s, roster).unwrap()
    }

    /// Every number of a summary as bits (NaN as one value), and its JSON.
    fn fingerprint(m: &MonteCarlo) -> (Vec<u64>, String) {
        let bits = m.p10.iter().chain(&m.p50).chain(&m.p90).flatten().map(|v| if v.is_nan() { u64::MAX } else { v.to_bits() });
        let bits = bits.chain(m.target_probability.iter().map(|p| p.to_bits())).collect();
        (bits, serde_json::to_string(m).unwrap())
    }

    /// The runs `runs` of `whole` (a slice starting at 0) as a slice of
    /// their own, cut out of it.
    fn cut(whole: &Slice, runs: Range<u32>) -> Slice {
        let per_run = series_keys().len() * whole.years.len();
        let nt = whole.n_targets as usize;
        let (a, b) = (runs.start as usize, runs.end as usize);
        Slice {
            start: runs.start,
            end: runs.end,
            years: whole.years.clone(),
            n_targets: whole.n_targets,
            values: whole.values[a * per_run..b * per_run].to_vec(),
            met: whole.met[a * nt..b * nt].to_vec(),
        }
    }

    const RUNS: u32 = 40;
    const SEED: u64 = 11;

    thread_local! {
        static WHOLE: (Slice, MonteCarlo) = {
            let m = minhang();
            (run_slice(&m, SEED, 0..RUNS, |_| {}), run_monte_carlo(&m, RUNS, SEED, |_| {}))
        };
    }

    #[test]
    fn a_slice_of_runs_is_those_runs_of_the_whole_monte_carlo() {
        let m = minhang();
        WHOLE.with(|(whole, _)| {
            for runs in [0..7, 7..8, 13..40, 39..40] {
                let part = run_slice(&m, SEED, runs.clone(), |_| {});
                assert_eq!(part.to_wire(), cut(whole, runs.clone()).to_wire(), "runs {runs:?}");
            }
        });
    }

    #[test]
    fn run_targets_gives_the_runs_verdicts_and_stops_when_asked() {
        let m = minhang();
        WHOLE.with(|(whole, mc)| {
            let nt = whole.n_targets as usize;
            let mut met = vec![0u32; nt];
            let mut flags = Vec::new();
            let done = run_targets(&m, SEED, 0..RUNS, |t| {
                for (j, o) in t.iter().enumerate() {
                    met[j] += u32::from(o.met);
                    flags.push(o.met);
                }
                ControlFlow::Continue(())
            });
            assert_eq!(done, RUNS);
            assert_eq!(flags, whole.met, "the same runs' verdicts as a slice");
            let p: Vec<f64> = met.iter().map(|k| f64::from(*k) / f64::from(RUNS)).collect();
            assert_eq!(p, mc.target_probability);
            let mut seen = 0;
            let done = run_targets(&m, SEED, 10..RUNS, |_| {
                seen += 1;
                if seen == 3 { ControlFlow::Break(()) } else { ControlFlow::Continue(()) }
            });
            assert_eq!((done, seen), (3, 3));
        });
    }

    #[test]
    fn progress_counts_the_slices_runs() {
        let mut seen = Vec::new();
        let s = run_slice(&minhang(), SEED, 5..9, |d| seen.push(d));
        assert_eq!(seen, [1, 2, 3, 4]);
        assert_eq!((s.start(), s.end(), s.runs()), (5, 9, 4));
    }

    #[test]
    fn a_slice_survives_its_wire_form_bit_for_bit() {
        WHOLE.with(|(whole, _)| {
            let mut part = cut(whole, 3..11);
            // An undefined CV travels too.
            part.values[5] = f64::NAN;
            let back = Slice::from_wire(&part.to_wire()).unwrap();
            let bits = |s: &Slice| s.to_wire().iter().map(|v| v.to_bits()).collect::<Vec<_>>();
            assert_eq!(bits(&back), bits(&part));
            assert_eq!((back.start, back.end, &back.years, back.n_targets), (3, 11, &part.years, part.n_targets));
            assert_eq!(back.met, part.met);
        });
    }

    #[test]
    fn a_damaged_wire_form_is_refused_naming_the_field() {
        WHOLE.with(|(whole, _)| {
            let good = cut(whole, 2..4).to_wire();
            let field = |w: &[f64]| match Slice::from_wire(w) {
                Err(SliceError::Wire { field, .. }) => field,
                other => panic!("{other:?}"),
            };
            let with = |i: usize, v: f64| {
                let mut w = good.clone();
                w[i] = v;
                w
            };
            assert_eq!(field(&good[..3]), "header");
            assert_eq!(field(&with(0, 2.0)), "version");
            assert_eq!(field(&with(1, 2.5)), "start");
            assert_eq!(field(&with(1, -1.0)), "start");
            assert_eq!(field(&with(2, f64::NAN)), "end");
            assert_eq!(field(&with(2, 1.0)), "end");
            assert_eq!(field(&with(3, 3.0)), "series");
            assert_eq!(field(&with(4, 1e9)), "length");
            assert_eq!(field(&with(5, 5e9)), "targets");
            assert_eq!(field(&good[..good.len() - 1]), "length");
            assert_eq!(field(&with(WIRE_HEADER, 0.5)), "years");
            assert_eq!(field(&with(good.len() - 1, 0.5)), "met");
            // Sizes whose product overflows are a length error, not a panic.
            assert_eq!(field(&[1.0, 0.0, f64::from(u32::MAX), series_keys().len() as f64, 4e9, 4e9]), "length");
            let message = Slice::from_wire(&with(0, 2.0)).unwrap_err().to_string();
            assert!(message.contains("字段 `version`") && message.contains("field `version`"), "{message}");
        });
    }

    #[test]
    fn a_set_refuses_overlapping_out_of_range_and_foreign_slices_and_stays_unchanged() {
        WHOLE.with(|(whole, _)| {
            let mut set = SliceSet::new(SEED, RUNS);
            set.add(cut(whole, 10..20)).unwrap();
            assert_eq!(set.add(cut(whole, 15..25)).unwrap_err(), SliceError::Overlap { runs: 15..25 });
            assert_eq!(set.add(cut(whole, 5..11)).unwrap_err(), SliceError::Overlap { runs: 5..11 });
            assert_eq!(set.add(cut(whole, 10..20)).unwrap_err(), SliceError::Overlap { runs: 10..20 });
            let mut long = cut(whole, 30..40);
            long.end = 41;
            assert_eq!(set.add(long).unwrap_err(), SliceError::OutOfRange { runs: 30..41, total: RUNS });
            let mut foreign = cut(whole, 0..10);
            foreign.years[0] += 1;
            assert_eq!(set.add(foreign).unwrap_err(), SliceError::Shape { field: "years" });
            let mut foreign = cut(whole, 0..10);
            foreign.n_targets += 1;
            assert_eq!(set.add(foreign).unwrap_err(), SliceError::Shape { field: "targets" });
            assert_eq!((set.done(), set.total(), set.is_complete()), (10, RUNS, false));
            assert!(SliceError::Overlap { runs: 15..25 }.to_string().contains("`runs` 15..25"));
            // An empty slice adds nothing, wherever it is.
            set.add(cut(whole, 12..12)).unwrap();
            assert_eq!(set.done(), 10);
            for runs in [0..10, 20..40] {
                set.add(cut(whole, runs)).unwrap();
            }
            assert!(set.is_complete());
        });
    }

    #[test]
    fn a_partial_summary_is_the_summary_of_the_runs_it_holds() {
        let m = minhang();
        WHOLE.with(|(whole, _)| {
            let mut set = SliceSet::new(SEED, RUNS);
            set.add(cut(whole, 25..30)).unwrap();
            set.add(cut(whole, 0..10)).unwrap();
            let partial = set.summary();
            assert_eq!(partial.runs, 15);
            // The same 15 runs as the one slice of a 15-run Monte Carlo.
            let mut alone = SliceSet::new(SEED, 15);
            let mut runs = run_slice(&m, SEED, 0..10, |_| {});
            let later = run_slice(&m, SEED, 25..30, |_| {});
            runs.values.extend_from_slice(&later.values);
            runs.met.extend_from_slice(&later.met);
            runs.end = 15;
            alone.add(runs).unwrap();
            assert_eq!(fingerprint(&partial), fingerprint(&alone.summary()));
            assert_eq!(set.target_probability(), partial.target_probability);
            assert!(!partial.target_probability.is_empty());
        });
    }

    #[test]
    fn no_runs_summarise_as_before() {
        let mc = run_monte_carlo(&minhang(), 0, SEED, |_| {});
        assert_eq!((mc.runs, mc.years.len(), mc.target_probability.len()), (0, 0, 0));
        assert_eq!(mc.p50.len(), series_keys().len());
        assert!(mc.p50.iter().all(Vec::is_empty));
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]

        /// Cut 0..RUNS anywhere, add the pieces in any order, through the wire
        /// form: the summary is `run_monte_carlo`'s, bit for bit.
        #[test]
        fn the_summary_does_not_depend_on_the_slicing(
            cuts in proptest::collection::btree_set(1..RUNS, 0..8),
            order in any::<u64>(),
        ) {
            WHOLE.with(|(whole, reference)| {
                let mut bounds: Vec<u32> = std::iter::once(0).chain(cuts).chain([RUNS]).collect();
                bounds.dedup();
                let mut pieces: Vec<Slice> = bounds.windows(2).map(|w| cut(whole, w[0]..w[1])).collect();
                // A deterministic shuffle of the arrival order.
                let mut state = order;
                for i in (1..pieces.len()).rev() {
                    state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                    pieces.swap(i, ((state >> 33) % (i as u64 + 1)) as usize);
                }
                let mut set = SliceSet::new(SEED, RUNS);
                for p in pieces {
                    set.add(Slice::from_wire(&p.to_wire()).unwrap()).unwrap();
                }
                prop_assert!(set.is_complete());
                prop_assert_eq!(fingerprint(&set.summary()), fingerprint(reference));
                Ok(())
            })?;
        }
    }

    #[test]
    fn a_summary_survives_a_json_round_trip_bit_for_bit() {
        let mut mc = run_monte_carlo(&minhang(), 20, 7, |_| {});
        // A level without pupils has an undefined CV; carry one across.
        mc.p50[0][0] = f64::NAN;
        let back: MonteCarlo = serde_json::from_str(&serde_json::to_string(&mc).unwrap()).unwrap();
        let bits = |m: &MonteCarlo| m.p10.iter().chain(&m.p50).chain(&m.p90).flatten().map(|v| if v.is_nan() { u64::MAX } else { v.to_bits() }).collect::<Vec<_>>();
        assert_eq!(bits(&back), bits(&mc));
        assert_eq!(back.target_probability, mc.target_probability);
    }
}
