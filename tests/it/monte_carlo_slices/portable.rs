//! The Monte Carlo of the browser's worker pool, computed the way the pool
//! computes it: the runs cut into slices ([`run_slice`]), each slice through
//! its wire form (the `Float64Array` a worker transfers to the page), merged
//! in the order they come back ([`SliceSet`]). Compiles for wasm32 too: the
//! browser test includes this file by path and checks the same golden file.

use youjun::engine::montecarlo::{run_slice, Slice, SliceSet};
use youjun::engine::{run_monte_carlo, Model, MonteCarlo};

/// The scenario whose whole Monte Carlo summary is pinned.
pub const SCENARIO: &str = "minhang-hongqiao-district";

/// Its runs: enough for the target probabilities to lie between 0 and 1,
/// few enough for an unoptimised build (a small district: 7 schools).
pub const RUNS: u32 = 200;

/// Runs per slice: the pool's own slice length is 50; shorter here, so
/// that 200 runs cut into several slices a worker.
pub const SLICE: u32 = 27;

/// The golden file that holds the summary.
pub const GOLDEN: &str = "golden/minhang-hongqiao-district-monte-carlo.json";

/// A summary as the golden file holds it: pretty JSON (an undefined value is
/// `null`).
pub fn summary_json(mc: &MonteCarlo) -> String {
    serde_json::to_string_pretty(mc).expect("JSON")
}

/// The summary as the CLI computes it: one run after another.
pub fn cli_summary(m: &Model) -> MonteCarlo {
    run_monte_carlo(m, RUNS, m.scenario.scenario.seed, |_| {})
}

/// The slices `workers` workers would compute: each takes a contiguous
/// share of the runs (as even as whole runs allow) and cuts it into slices
/// of [`SLICE`] runs, the last one shorter; so one, two and three workers
/// cut the runs at different places.
pub fn shares(total: u32, workers: u32) -> Vec<Vec<std::ops::Range<u32>>> {
    (0..workers)
        .map(|w| {
            let (from, to) = (total * w / workers, total * (w + 1) / workers);
            (from..to).step_by(SLICE as usize).map(|s| s..(s + SLICE).min(to)).collect()
        })
        .collect()
}

/// The summary as the page gets it from `workers` workers: every worker's
/// slices, each through its wire form, merged in the order they would come
/// back if the workers ran in step, the last worker's first (any order
/// gives the same summary; this one is not run order).
pub fn pooled_summary(m: &Model, workers: u32) -> MonteCarlo {
    let seed = m.scenario.scenario.seed;
    let per_worker: Vec<Vec<Vec<f64>>> = shares(RUNS, workers)
        .into_iter()
        .map(|share| share.into_iter().map(|runs| run_slice(m, seed, runs, |_| {}).to_wire()).collect())
        .collect();
    let mut set = SliceSet::new(seed, RUNS);
    let rounds = per_worker.iter().map(Vec::len).max().unwrap_or(0);
    for round in 0..rounds {
        for share in per_worker.iter().rev() {
            if let Some(wire) = share.get(round) {
                set.add(Slice::from_wire(wire).expect("a slice reads back")).expect("slices do not overlap");
            }
        }
    }
    assert!(set.is_complete(), "{workers} workers left runs out");
    set.summary()
}
