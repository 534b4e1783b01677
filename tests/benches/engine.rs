//! Engine benchmarks: `cargo bench --bench engine`. Pudong, 2024–2030, is the
//! largest built-in district (issue 14's targets: one deterministic run
//! ≤ 0.5 ms; a 1,000-run Monte Carlo ≤ 0.35 s on one core). A Shanghai-wide
//! synthetic district (about 1,600 school rows) checks that the cost grows
//! linearly with the number of schools (issue 14: its 1,000-run Monte Carlo
//! ≤ 2 s); `deterministic run per row` reports Putuo, Pudong and Shanghai-wide
//! as rows per second, which should be about equal.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use youjun::engine::{run_monte_carlo, Model};
use youjun::scenario::Scenario;

fn pudong_scenario() -> Scenario {
    Scenario::from_toml(include_str!("../../scenarios/pudong-2024.toml")).expect("Pudong scenario parses")
}

fn model_of(scenario: Scenario) -> Model {
    let roster = scenario.resolve_roster(|_| Err("no CSV".into())).expect("synthetic roster");
    Model::new(scenario, roster).expect("valid model")
}

/// Pudong's scenario on a synthetic roster at Shanghai's whole scale: five
/// times Pudong's schools (800 primary, 425 junior, 200 nine-year: 1,625
/// rows) and the city's pupils (785,000 primary and 412,000 junior in 2017,
/// STANDARDS.md Demography). Only the size matters here, not the figures.
fn shanghai() -> Model {
    let mut scenario = pudong_scenario();
    let spec = scenario.roster.synthetic.as_mut().expect("Pudong's roster is synthetic");
    spec.name_prefix = "上海".into();
    spec.id_prefix = "SH".into();
    for n in [&mut spec.primary_schools, &mut spec.junior_schools, &mut spec.nine_year_schools] {
        n.value *= 5.0;
    }
    spec.primary_students.value = 785_000.0;
    spec.junior_students.value = 412_000.0;
    model_of(scenario)
}

fn engine(c: &mut Criterion) {
    let model = model_of(pudong_scenario());
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
        let model = model_of(b.scenario().expect("built-in scenario parses"));
        g.bench_function(b.id, |bench| bench.iter(|| model.run_central()));
    }
    g.finish();

    // How the cost grows with the number of school rows: criterion prints
    // each case's rows per second, which stay about the same when the growth
    // is linear.
    let shanghai = shanghai();
    let putuo = model_of(youjun::scenario::builtin::builtin("putuo-strong-junior").expect("Putuo is built in").scenario().unwrap());
    let mut g = c.benchmark_group("deterministic run per row");
    for (name, m) in [("putuo", &putuo), ("pudong", &model), ("shanghai-wide", &shanghai)] {
        g.throughput(Throughput::Elements(m.roster.schools.len() as u64));
        g.bench_function(name, |b| b.iter(|| m.run_central()));
    }
    g.finish();
    let mut g = c.benchmark_group("monte carlo shanghai-wide");
    g.sample_size(10);
    g.throughput(Throughput::Elements(shanghai.roster.schools.len() as u64 * 1000));
    g.bench_function("1000 runs 2024-2030", |b| b.iter(|| run_monte_carlo(&shanghai, 1000, 20240729, |_| {})));
    g.finish();
}

criterion_group!(benches, engine);
criterion_main!(benches);
