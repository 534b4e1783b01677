//! Roster benchmarks: `cargo bench --bench roster`. `check` (what `youjun
//! check` does with a CSV roster: parse and validate the file, then bind it
//! to a scenario, deriving every link) at about 2,000, 20,000 and 50,000
//! rows. The cost is linear in rows (issue 18, defect 5): the time per row
//! should be about the same at every size.
//!
//! The roster is Pudong's synthetic one (325 rows: primary, junior and
//! nine-year schools with feeds) repeated with distinct ids, so every copy
//! keeps its feeds and pairings within itself.
//!
//! `apply` is what applying an imported roster costs the page: binding
//! Pudong's scenario to it and the central run, at the same sizes, on a
//! roster shaped like the end-to-end test's file (half primary, half junior
//! schools, no 对口初中 column, so every primary spreads its grade 5 over
//! every junior school: the case that was quadratic, 25,000 × 25,000 feed
//! shares at 50,000 rows).

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

/// `rows` rows like the end-to-end test's large.csv: alternately a primary
/// and a junior school, no feeds.
fn unlinked(rows: usize) -> Roster {
    let mut csv = String::from("学校代码,学校名称,学段,在校生数,专任教师数,高于规定学历教师数,县级以上骨干教师数,体育艺术专任教师数,教学及辅助用房面积(平方米),体育运动场馆面积(平方米),教学仪器设备值(元),网络多媒体教室数,对口初中\n");
    for i in 0..rows {
        csv += &if i % 2 == 0 {
            format!("P{i},第{i}小学,小学,300,20,15,2,2,1500,2500,600000,10,\n")
        } else {
            format!("J{i},第{i}初中,初中,400,35,25,3,3,2600,4200,1300000,14,\n")
        };
    }
    parse_roster_csv(&csv, Lang::Zh).expect("valid roster")
}

fn apply(c: &mut Criterion) {
    let (scenario, _) = pudong();
    let mut g = c.benchmark_group("roster apply");
    g.sample_size(10);
    for rows in [2_000_usize, 20_000, 50_000] {
        let roster = unlinked(rows);
        g.throughput(Throughput::Elements(rows as u64));
        g.bench_with_input(BenchmarkId::from_parameter(format!("{rows} rows")), &roster, |b, roster| {
            b.iter(|| {
                let model = Model::new(scenario.clone(), roster.clone()).expect("binds");
                model.run_central()
            })
        });
    }
    g.finish();
}

criterion_group!(benches, check, apply);
criterion_main!(benches);
