//! Roster benchmarks: `cargo bench --bench roster`. `check` (what `youjun
//! check` does with a CSV roster: parse and validate the file, then bind it
//! to a scenario, deriving every link) at about 2,000, 20,000 and 50,000
//! rows. The cost is linear in rows (issue 18, defect 5): the time per row
//! should be about the same at every size.
//!
//! The roster is Pudong's synthetic one (325 rows: primary, junior and
//! nine-year schools with feeds) repeated with distinct ids, so every copy
//! keeps its feeds and pairings within itself.

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use youjun::engine::Model;
use youjun::roster::csv_io::{parse_roster_csv, roster_to_csv, Lang};
use youjun::roster::Roster;
use youjun::scenario::Scenario;

fn pudong() -> (Scenario, Roster) {
    let text = include_str!("../../scenarios/pudong-2024.toml");
    let scenario = Scenario::from_toml(text).expect("Pudong scenario parses");
    let roster = scenario.resolve_roster(|_| Err("no CSV".into())).expect("synthetic roster");
    (scenario, roster)
}

/// `copies` copies of `base`, the k-th with `-k` after every id it names.
fn scaled(base: &Roster, copies: usize) -> Roster {
    let mut schools = Vec::with_capacity(base.schools.len() * copies);
    for k in 0..copies {
        for s in &base.schools {
            let mut s = s.clone();
            let tag = |id: &str| format!("{id}-{k}");
            s.school_id = tag(&s.school_id);
            s.name = format!("{}-{k}", s.name);
            s.feeds = s.feeds.iter().map(|f| tag(f)).collect();
            s.paired_with = s.paired_with.as_deref().map(tag);
            schools.push(s);
        }
    }
    Roster { schools }
}

fn check(c: &mut Criterion) {
    let (scenario, base) = pudong();
    let mut g = c.benchmark_group("roster check");
    g.sample_size(10);
    for target in [2_000_usize, 20_000, 50_000] {
        let copies = target.div_ceil(base.schools.len());
        let roster = scaled(&base, copies);
        let csv = roster_to_csv(&roster);
        let rows = roster.schools.len();
        g.throughput(Throughput::Elements(rows as u64));
        g.bench_with_input(BenchmarkId::from_parameter(format!("{rows} rows")), &csv, |b, csv| {
            b.iter(|| {
                let roster = parse_roster_csv(csv, Lang::Zh).expect("valid roster");
                Model::new(scenario.clone(), roster).expect("binds")
            })
        });
    }
    g.finish();
}

criterion_group!(benches, check);
criterion_main!(benches);
