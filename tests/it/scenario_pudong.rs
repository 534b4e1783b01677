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
