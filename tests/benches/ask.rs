//! Asking the model back (issue 15): `cargo bench --bench ask`. Issue 15's
//! targets are for Chromium on a 2-core machine (goal-seek ≤ 5 s,
//! sensitivity ≤ 2 s, attribution ≤ 1 s); the native figures here are the
//! floor for those.
//!
//! - goal-seek of Pudong's `nq-2026` (120 new-quality schools in 2026) at
//!   P ≥ 0.8 with 1,000 runs a trial: by planned admissions shifted across
//!   the years (the lever the plan names), and by the review pass
//!   probability (a single-number lever, more trials);
//! - sensitivity of `nq-2026` over every single-number lever, central;
//! - attribution of `cases-2026` over 8 changed levers, central (256
//!   coalitions).

use criterion::{criterion_group, criterion_main, Criterion};
use youjun::ask::{self, Confidence, LeverMove, SeekOptions, TargetChoice};
use youjun::roster::Roster;
use youjun::scenario::Scenario;

fn pudong() -> (Scenario, Roster) {
    let s = Scenario::from_toml(include_str!("../../scenarios/pudong-2024.toml")).expect("Pudong scenario parses");
    let roster = s.resolve_roster(|_| Err("no CSV".into())).expect("synthetic roster");
    (s, roster)
}

/// Eight levers edited from Pudong's values.
const EIGHT: [&str; 8] = [
    "new_quality.cases_per_project_year=0.2",
    "new_quality.project_start_rate=0.6",
    "new_quality.exit_after_years=4",
    "new_quality.review_pass_probability=0.9",
    "new_quality.project_completion_rate=0.4",
    "funding.grant_per_project_school_yuan=300000",
    "teachers.rotation_share=0.2",
    "new_quality.planned_admissions@2025=24",
];

fn bench(c: &mut Criterion) {
    let (s, roster) = pudong();
    let nq = TargetChoice::One("nq-2026".into());
    let conf = Confidence::Probability { p: 0.8, runs: 1000 };
    let mut g = c.benchmark_group("goal-seek nq-2026 P>=0.8 1000 runs");
    g.sample_size(10);
    for lever in ["new_quality.planned_admissions:shift", "new_quality.review_pass_probability"] {
        let mv = LeverMove::parse(lever).expect("a lever");
        let a = ask::seek(&s, &roster, &nq, mv, conf, |_| {}).expect("seek");
        eprintln!("{lever}: {} → {} (P {:?} → {:?}), {} trials, {} runs", a.from, a.value, a.from_probability, a.probability, a.trials, a.runs);
        g.bench_function(lever, |b| b.iter(|| ask::seek(&s, &roster, &nq, mv, conf, |_| {}).expect("seek")));
        // As the page would call it: the current probability is its own Monte Carlo's.
        let lean = SeekOptions { exact_from: false };
        let a = ask::seek_with(&s, &roster, &nq, mv, conf, lean, |_| {}).expect("seek");
        eprintln!("{lever} without the current value's full trial: {} trials, {} runs", a.trials, a.runs);
        g.bench_function(format!("{lever} (current probability given)"), |b| {
            b.iter(|| ask::seek_with(&s, &roster, &nq, mv, conf, lean, |_| {}).expect("seek"))
        });
    }
    g.finish();

    let mut g = c.benchmark_group("central");
    g.sample_size(10);
    g.bench_function("sensitivity nq-2026 every single-number lever", |b| {
        b.iter(|| ask::sensitivity(&s, &roster, "nq-2026", ask::DEFAULT_SHARE, Confidence::Central, |_| {}).expect("sensitivity"))
    });
    let mut edited = s.clone();
    for e in EIGHT {
        ask::apply_setting(&mut edited, e).expect("a valid edit");
    }
    let a = ask::attribution(&s, &edited, &roster, "cases-2026", Confidence::Central, |_| {}).expect("attribution");
    assert_eq!((a.contributions.len(), a.coalitions), (8, 256));
    g.bench_function("attribution cases-2026 over 8 changed levers", |b| {
        b.iter(|| ask::attribution(&s, &edited, &roster, "cases-2026", Confidence::Central, |_| {}).expect("attribution"))
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
