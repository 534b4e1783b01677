//! The Pudong scenario: its seed numbers appear as levers and targets with
//! citations, and its roster is at Pudong's scale. Golden outputs and
//! plausibility are checked for every scenario in `scenarios_all.rs`.

use youjun::engine::Model;
use youjun::scenario::Scenario;

use crate::support::model_of;

const PUDONG: &str = include_str!("../../scenarios/pudong-2024.toml");
const SEED_000: &str = "000_9ddd49f59424de77.txt";

fn pudong() -> Model {
    model_of(Scenario::from_toml(PUDONG).expect("parses and validates"))
}

#[test]
fn seed_000_numbers_are_levers_and_targets_with_citations() {
    let m = pudong();
    let s = &m.scenario;
    let target = |id: &str| s.targets.iter().find(|t| t.id == id).unwrap_or_else(|| panic!("target {id}"));
    for (id, year, value) in [("nq-2024", 2024, 80.0), ("nq-2025", 2025, 100.0), ("nq-2026", 2026, 120.0)] {
        let t = target(id);
        assert_eq!((t.year, t.value, t.series.as_str()), (year, value, "new_quality_schools"));
        assert!(t.source.contains(SEED_000) && t.source.contains("附件2"), "{id}: {}", t.source);
    }
    for (id, value) in [("demo-2026", 20.0), ("projects-2026", 120.0), ("demo-projects-2026", 30.0), ("cases-2026", 40.0)] {
        let t = target(id);
        assert_eq!(t.value, value, "{id}");
        assert!(t.source.contains(SEED_000), "{id}");
    }
    let nq = &s.new_quality;
    assert_eq!(nq.planned_admissions.entries()[..3], [(2024, 22.0), (2025, 20.0), (2026, 20.0)]);
    assert!(nq.planned_admissions.source.contains(SEED_000));
    assert_eq!(nq.demonstration_designations.entries(), vec![(2024, 6.0), (2025, 12.0), (2026, 20.0)]);
    assert_eq!(nq.demo_project_designations.entries(), vec![(2024, 12.0), (2025, 20.0), (2026, 30.0)]);
    assert!(nq.exit_rule);
    assert_eq!(nq.exit_after_years.value, 3.0);
    assert!(nq.exit_after_years.source.contains("§二(一)") && !nq.exit_after_years.assumption);
    assert_eq!((nq.certifications_min.value, nq.certifications_max.value), (4.0, 6.0));
    assert!(nq.certifications_min.source.contains("§二(二)"));
    // The 58 schools at the plan's start are in the roster.
    let spec = s.roster.synthetic.as_ref().expect("synthetic roster");
    assert_eq!(spec.district_new_quality.value, 58.0);
    assert!(spec.district_new_quality.source.contains(SEED_000));
    let listed: std::collections::BTreeSet<&str> = m
        .roster
        .schools
        .iter()
        .filter(|r| r.new_quality == youjun::roster::NewQuality::District)
        .map(|r| r.school_id.as_str())
        .collect();
    assert_eq!(listed.len(), 58);
}

#[test]
fn roster_is_at_pudongs_scale() {
    let m = pudong();
    let rows = &m.roster.schools;
    let primary = rows.iter().filter(|r| r.level == youjun::roster::Level::Primary).count();
    let ids: std::collections::BTreeSet<&str> = rows.iter().map(|r| r.school_id.as_str()).collect();
    assert!((190..=210).contains(&primary), "about 200 schools with primary sections, got {primary}");
    assert!(ids.len() < rows.len(), "nine-year schools appear as two rows");
    let students: f64 = rows.iter().map(|r| r.enrollment()).sum();
    assert_eq!(students, 212_000.0 + 175_000.0);
}

#[test]
fn the_2028_target_cites_a_phrase_that_is_in_the_seed() {
    // Seed 000 §一(二) (工作目标), verbatim; the earlier citation "2028年深化推广"
    // is not in the seed (issue 16).
    let m = pudong();
    let t = m.scenario.targets.iter().find(|t| t.id == "nq-2028").unwrap();
    assert!(t.source.contains(SEED_000) && t.source.contains("§一(二) 到2028年,形成一批有影响力、本土特色的新优质项目校"), "{}", t.source);
    assert!(!t.source.contains("深化推广"), "{}", t.source);
}

#[test]
fn the_2_to_3_years_to_file_a_project_is_a_deadline_not_a_duration() {
    let m = pudong();
    let nq = &m.scenario.new_quality;
    // §二(二) 原则上2-3年内需申报完成1项: the deadline, cited; the shortest
    // project is an estimate of its own.
    assert_eq!(nq.project_deadline_years.value, 3.0);
    assert!(nq.project_deadline_years.source.contains("§二(二)") && nq.project_deadline_years.source.contains("2-3年内") && !nq.project_deadline_years.assumption);
    assert_eq!(nq.project_min_years.value, 1.0);
    assert!(nq.project_min_years.assumption && !nq.project_min_years.source.contains(SEED_000));

    let with = |f: &dyn Fn(&mut Scenario)| {
        let mut s = m.scenario.clone();
        f(&mut s);
        Model::new(s, m.roster.clone()).unwrap().run_central()
    };
    let base = m.run_central();
    // The deadline changes nothing but the count of schools past it.
    let later = with(&|s| s.new_quality.project_deadline_years.value = 5.0);
    let overdue = youjun::series::position("projects_overdue").unwrap();
    for (k, (a, b)) in base.series.iter().zip(&later.series).enumerate() {
        if k != overdue {
            assert_eq!(a, b, "{}", youjun::series::keys()[k]);
        }
    }
    for year in [2026, 2027, 2028] {
        let (now, five) = (base.value("projects_overdue", year).unwrap(), later.value("projects_overdue", year).unwrap());
        assert!(now >= five, "{year}: {now} < {five}");
    }
    assert!(base.value("projects_overdue", 2027).unwrap() > later.value("projects_overdue", 2027).unwrap());
    // Nothing is overdue before anyone's deadline: the 58 listed schools' clocks start in 2024.
    assert_eq!(base.value("projects_overdue", 2026), Some(0.0));
    // Projects may report a year after they start: under the old two-year
    // minimum more schools are still without a completed project in 2028.
    let old = with(&|s| s.new_quality.project_min_years.value = 2.0);
    assert!(base.value("projects_overdue", 2028).unwrap() < old.value("projects_overdue", 2028).unwrap());
}
