//! Engine benchmarks on the Pudong scenario, 2024–2030:
//! `cargo bench --bench engine`. Targets (issue 3): one deterministic run
//! under 1 ms; a 1,000-run Monte Carlo under 1 s on one core.

use criterion::{criterion_group, criterion_main, Criterion};
use youjun::engine::{run_monte_carlo, Model};
use youjun::scenario::Scenario;

fn pudong() -> Model {
    let text = include_str!("../../scenarios/pudong-2024.toml");
    let scenario = Scenario::from_toml(text).expect("Pudong scenario parses");
    let roster = scenario.resolve_roster(|_| Err("no CSV".into())).expect("synthetic roster");
    Model::new(scenario, roster).expect("valid model")
}

fn engine(c: &mut Criterion) {
    let model = pudong();
    c.bench_function("pudong deterministic run 2024-2030", |b| b.iter(|| model.run_central()));
    let mut g = c.benchmark_group("monte carlo");
    g.sample_size(10);
    g.bench_function("pudong 1000 runs 2024-2030", |b| b.iter(|| run_monte_carlo(&model, 1000, 20240729, |_| {})));
    g.finish();
    c.bench_function("pudong synthetic roster generation", |b| {
        b.iter(|| model.scenario.resolve_roster(|_| Err(String::new())).unwrap())
    });
}

criterion_group!(benches, engine);
criterion_main!(benches);
