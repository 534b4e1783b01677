//! Engine benchmarks: `cargo bench --bench engine`. Pudong, 2024–2030, is the
//! largest district (targets, issue 3: one deterministic run under 1 ms; a
//! 1,000-run Monte Carlo under 1 s on one core); the other built-in
//! scenarios' deterministic runs are measured too.

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
    let mut g = c.benchmark_group("deterministic run");
    for b in youjun::scenario::builtin::BUILTIN.iter().filter(|b| b.id != "pudong-2024") {
        let scenario = b.scenario().expect("built-in scenario parses");
        let roster = scenario.resolve_roster(|_| Err("no CSV".into())).expect("synthetic roster");
        let model = Model::new(scenario, roster).expect("valid model");
        g.bench_function(b.id, |bench| bench.iter(|| model.run_central()));
    }
    g.finish();
}

criterion_group!(benches, engine);
criterion_main!(benches);
