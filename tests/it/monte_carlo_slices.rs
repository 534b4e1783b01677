//! The browser's Monte Carlo pool (src/ui/monte_carlo.rs) runs each request
//! in slices on several workers: the summary must not depend on how many, and
//! must equal the CLI's. The whole summary of one scenario is pinned in
//! `tests/golden/minhang-hongqiao-district-monte-carlo.json`; the browser test
//! (`tests/browser/monte_carlo_slices.rs`) checks the same file in Chromium.

pub mod portable;

use portable::*;

use crate::support::{builtin_model, check_golden};

#[test]
fn the_cli_summary_is_the_golden_file() {
    let m = builtin_model(SCENARIO);
    check_golden(GOLDEN, summary_json(&cli_summary(&m)));
}

#[test]
fn one_two_and_three_workers_give_the_golden_summary_byte_for_byte() {
    let m = builtin_model(SCENARIO);
    let golden = std::fs::read_to_string(crate::support::repo_path("tests").join(GOLDEN)).expect("golden file");
    for workers in 1..=3 {
        let pooled = summary_json(&pooled_summary(&m, workers));
        let line = pooled.lines().zip(golden.lines()).position(|(a, b)| a != b);
        assert!(pooled == golden, "{workers} worker(s): differs from {GOLDEN} at line {line:?}");
    }
}

#[test]
fn the_workers_shares_cut_the_runs_differently_and_cover_them_once() {
    let cuts = |w| shares(RUNS, w).concat().iter().map(|r| r.start).collect::<Vec<_>>();
    assert_ne!(cuts(1), cuts(2));
    assert_ne!(cuts(2), cuts(3));
    for w in 1..=3 {
        let all = shares(RUNS, w).concat();
        assert_eq!(all.first().map(|r| r.start), Some(0));
        assert!(all.windows(2).all(|p| p[0].end == p[1].start), "{w}: {all:?}");
        assert_eq!(all.last().map(|r| r.end), Some(RUNS));
        assert!(all.len() as u32 >= 2 * w, "{w} worker(s) get more than one slice each");
    }
}
