//! The Minhang Hongqiao scenario (seed 003, 示范性学区建设三年行动计划):
//! its seed numbers appear as levers and targets with citations, its roster
//! is one synthetic 学区 at the estimated scale, and sharing inside the 学区
//! (rotation plus shared courses) narrows the within-学区 teacher gap.

use std::collections::BTreeSet;

use youjun::engine::run_monte_carlo;
use youjun::roster::Level;
use youjun::scenario::{RotationRule, Scenario};

use crate::support::model_of;

const MINHANG: &str = include_str!("../../scenarios/minhang-hongqiao-district.toml");
const SEED_003: &str = "003_e24e42817bc4924a.txt";

fn scenario() -> Scenario {
    Scenario::from_toml(MINHANG).expect("parses and validates")
}

fn cites(source: &str, article: &str) -> bool {
    source.contains(SEED_003) && source.contains(article)
}

#[test]
fn seed_003_numbers_are_levers_and_targets_with_citations() {
    let s = scenario();
    let sc = s.shared_courses.as_ref().expect("[shared_courses]");
    // §三(三)10: 8 shared courses today, at least 10 by 2025.
    assert_eq!(sc.base_courses.value, 8.0);
    assert!(cites(&sc.base_courses.source, "§三(三)10") && !sc.base_courses.assumption);
    assert_eq!(sc.planned_courses.exactly(2025), Some(10.0));
    assert!(cites(&sc.planned_courses.source, "§三(三)10"));
    // §三(三)9: 20 school-based premium courses by 2025.
    let premium = sc.premium_courses.as_ref().expect("premium courses");
    assert_eq!(premium.planned.exactly(2025), Some(20.0));
    assert!(cites(&premium.planned.source, "§三(三)9"));
    // §三(一)4: parent schools and AEDs in every member school by 2025.
    for plan in [sc.parent_schools.as_ref().unwrap(), sc.aed.as_ref().unwrap()] {
        assert_eq!(plan.planned_share.exactly(2025), Some(1.0));
        assert!(cites(&plan.planned_share.source, "§三(一)4"));
    }

    let target = |id: &str| s.targets.iter().find(|t| t.id == id).unwrap_or_else(|| panic!("target {id}"));
    for (id, series, value, article) in [
        ("shared-courses-2025", "shared_courses", 10.0, "§三(三)10"),
        ("every-school-2025", "schools_offering_shared_course_share", 1.0, "§三(三)10"),
        ("premium-courses-2025", "school_premium_courses", 20.0, "§三(三)9"),
        ("parent-schools-2025", "parent_school_share", 1.0, "§三(一)4"),
        ("aed-2025", "aed_school_share", 1.0, "§三(一)4"),
    ] {
        let t = target(id);
        assert_eq!((t.series.as_str(), t.year, t.value), (series, 2025, value), "{id}");
        assert!(cites(&t.source, article), "{id}: {}", t.source);
    }
    let third = target("third-of-students-2025");
    assert_eq!((third.series.as_str(), third.year), ("students_in_shared_courses_share", 2025));
    assert!((third.value - 1.0 / 3.0).abs() < 1e-4 && cites(&third.source, "三分之一"));

    // §三(二)5: rotation inside the 学区; the shares are Shanghai's demonstration-district figures.
    let t = &s.teachers;
    assert!(matches!(t.rotation_rule, RotationRule::WithinGroup { .. }));
    assert!(cites(&t.rotation_share.source, "§三(二)5") && t.rotation_share.source.contains("STANDARDS.md"));
    assert_eq!((t.rotation_share.value, t.rotation_backbone_share.value), (0.20, 0.30));
    assert!(t.rotation_share.assumption && t.rotation_backbone_share.assumption);
    // One 学区, from the plan's subject (§二).
    let spec = s.roster.synthetic.as_ref().unwrap();
    assert_eq!(spec.groups.value, 1.0);
    assert!(cites(&spec.groups.source, "§二"));
    // The plan's years: 2023 to 2025 inside the horizon, with 2026 and 2028 reported.
    assert_eq!((s.scenario.base_year, s.scenario.end_year), (2023, 2030));
}

#[test]
fn roster_is_one_synthetic_school_district_at_the_estimated_scale() {
    let m = model_of(scenario());
    let rows = &m.roster.schools;
    let ids: BTreeSet<&str> = rows.iter().map(|r| r.school_id.as_str()).collect();
    assert_eq!((ids.len(), rows.len()), (7, 8), "4 primary, 2 junior, 1 nine-year school");
    let groups: BTreeSet<&str> = rows.iter().map(|r| r.district_group.as_str()).collect();
    assert_eq!(groups.len(), 1);
    let at = |l: Level| rows.iter().filter(|r| r.level == l).map(|r| r.enrollment()).sum::<f64>();
    assert_eq!((at(Level::Primary), at(Level::Junior)), (5800.0, 4600.0));
    let primary_rows = rows.iter().filter(|r| r.level == Level::Primary).count() as f64;
    assert!((1000.0..=1600.0).contains(&(at(Level::Primary) / primary_rows)));
    // Plainly synthetic names only.
    assert!(rows.iter().all(|r| r.name.starts_with("闵行虹桥示例") && r.school_id.starts_with("MH-")));
    assert!(rows.iter().all(|r| r.district_group.starts_with("闵行虹桥示例学区")));
}

/// The scenario without sharing: no rotation and no `[shared_courses]`.
fn without_sharing() -> Scenario {
    let mut s = scenario();
    s.teachers.rotation_share.value = 0.0;
    s.shared_courses = None;
    s
}

#[test]
fn sharing_narrows_the_within_district_teacher_gap() {
    let with = model_of(scenario()).run_central();
    let without = model_of(without_sharing()).run_central();
    for level in ["primary", "junior"] {
        let key = format!("shared_group_teacher_cv_max_{level}");
        for year in [2025, 2026] {
            let (a, b) = (with.value(&key, year).unwrap(), without.value(&key, year).unwrap());
            assert!(a < b, "{key} {year}: with sharing {a:.4}, without {b:.4}");
        }
        // Without sharing there is no shared teaching to count.
        assert_eq!(without.series(&key), without.series(&format!("group_teacher_cv_max_{level}")));
    }
}

#[test]
fn shared_courses_grow_to_the_plan_and_reach_more_schools() {
    let t = model_of(scenario()).run_central();
    assert_eq!(t.value("shared_courses", 2023), Some(8.0));
    // Central rule: 0.8 of a course in 2024 (not yet), 0.8 + 2 × 0.8 in 2025: two.
    assert_eq!(t.value("shared_courses", 2024), Some(8.0));
    assert_eq!(t.value("shared_courses", 2025), Some(10.0));
    let offering = t.series("schools_offering_shared_course_share").unwrap();
    // 8 courses at most 2 a school: 4 of 7 schools; the two new ones go to schools with none.
    assert_eq!(offering[0], 4.0 / 7.0);
    assert_eq!(t.value("schools_offering_shared_course_share", 2025), Some(6.0 / 7.0));
    let uptake = t.series("students_in_shared_courses_share").unwrap();
    assert!(uptake[2] > uptake[0], "more courses, more pupils in them: {uptake:?}");
    // Courses never change the official indicators.
    let off = model_of(Scenario { shared_courses: None, ..scenario() }).run_central();
    assert_eq!(t.schools, off.schools);
}

#[test]
fn monte_carlo_probability_of_ten_courses_matches_the_hand_computation() {
    // 8 → 9 (2024) → 10 (2025), each course ready with 0.8 a year, retried if
    // not: 0.8 × 0.8 + 0.2 × 0.8 × 0.8 = 0.768.
    let m = model_of(scenario());
    let mc = run_monte_carlo(&m, 400, m.scenario.scenario.seed, |_| {});
    let k = m.scenario.targets.iter().position(|t| t.id == "shared-courses-2025").unwrap();
    let p = mc.target_probability[k];
    assert!((p - 0.768).abs() < 0.07, "P(10 courses in 2025) = {p}");
}
