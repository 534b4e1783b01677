//! The Baoshan scenario (seed 002, 宝府〔2018〕150号): its seed numbers appear
//! as levers and targets with citations, the roster is at the estimated
//! scale, and the seed-002 features (per-class staffing, directed senior
//! titles, costing the unified standard) show their effect on the real
//! scenario.

use youjun::engine::{indicator_clearance, series_keys, Model, Trajectory};
use youjun::metrics::Indicator;
use youjun::params::Yearly;
use youjun::roster::Level;
use youjun::scenario::{CapitalAllocation, Scenario, StaffingBasis};

use crate::support::model_of;

const BAOSHAN: &str = include_str!("../../scenarios/baoshan-urban-rural.toml");
const SEED_002: &str = "002_50a5a1e38847ebfa.txt";

fn baoshan_with(f: impl FnOnce(&mut Scenario)) -> Model {
    let mut s = Scenario::from_toml(BAOSHAN).expect("parses and validates");
    f(&mut s);
    model_of(s)
}

fn baoshan() -> Model {
    baoshan_with(|_| {})
}

fn cites(source: &str, article: &str) -> bool {
    source.contains(SEED_002) && source.contains(article)
}

const FACILITIES: [Indicator; 4] = [
    Indicator::TeachingSpaceM2PerStudent,
    Indicator::SportsSpaceM2PerStudent,
    Indicator::EquipmentYuanPerStudent,
    Indicator::MultimediaRoomsPer100,
];

fn failing(t: &Trajectory, level: Level, i: Indicator) -> &[f64] {
    t.series(&format!("failing.{}.{}", level.key(), i.key())).expect("failing series")
}

/// Rows below a facility threshold, both levels and all four indicators.
fn facility_failing(t: &Trajectory, year: usize) -> f64 {
    Level::ALL.iter().flat_map(|&l| FACILITIES.map(|i| failing(t, l, i)[year])).sum()
}

#[test]
fn seed_002_numbers_are_levers_and_targets_with_citations() {
    let m = baoshan();
    let s = &m.scenario;
    assert_eq!(s.scenario.seed_document, SEED_002);

    // §四(二)4: the staffing standard in both its forms.
    let st = &s.teachers.staffing;
    for (p, v, words) in [(&st.primary_urban, 20.7, "1∶20.7"), (&st.primary_rural, 18.4, "1∶18.4"), (&st.junior, 17.6, "1∶17.6")] {
        assert_eq!(p.value, v);
        assert!(cites(&p.source, "§四(二)4") && p.source.contains(words) && !p.assumption, "{}", p.source);
    }
    let ur = s.urban_rural.as_ref().expect("[urban_rural]");
    let basis = ur.staffing.as_ref().expect("[urban_rural.staffing]");
    assert_eq!(basis.basis, StaffingBasis::PerClass);
    assert_eq!(basis.primary_staff_per_class.value, [3.0, 3.1]);
    assert_eq!(basis.junior_staff_per_class.value, [4.1, 4.3]);
    for p in [&basis.primary_staff_per_class, &basis.junior_staff_per_class] {
        assert!(cites(&p.source, "§四(二)4") && p.source.contains("每班配备") && !p.assumption, "{}", p.source);
    }

    // §四(二)4: senior-title minimums (engine standards), the 2019 deadline, the 3-year term.
    let std = &s.standards;
    assert_eq!(std.primary_min_senior_teachers.value, 1.0);
    assert_eq!(std.junior_min_senior_share.value, 0.05);
    assert!(cites(&std.primary_min_senior_teachers.source, "§四(二)4"));
    assert!(cites(&std.junior_min_senior_share.source, "§四(二)4"));
    let senior = ur.senior_title.as_ref().expect("[urban_rural.senior_title]");
    assert_eq!(senior.term_years.value, 3.0);
    assert!(cites(&senior.term_years.source, "§四(二)4") && senior.term_years.source.contains("聘期3年"));
    assert_eq!(senior.primary_directed_share.value, 1.0);
    assert!(cites(&senior.primary_directed_share.source, "§四(二)4") && senior.primary_directed_share.source.contains("未达标学校"));

    // §四(二)5: per-student funding standard (engine standards) and the base-year levers.
    assert_eq!(std.primary.per_student_funding_yuan.value, 23_500.0);
    assert_eq!(std.junior.per_student_funding_yuan.value, 29_000.0);
    assert!(cites(&std.primary.per_student_funding_yuan.source, "§四(二)5"));
    assert!(cites(&std.junior.per_student_funding_yuan.source, "§四(二)5"));
    assert_eq!(s.funding.per_student_primary_yuan.value, 23_500.0);
    assert_eq!(s.funding.per_student_junior_yuan.value, 29_000.0);
    assert!(cites(&s.funding.per_student_primary_yuan.source, "§四(二)5") && s.funding.per_student_primary_yuan.source.contains("23500"));
    assert!(cites(&s.funding.per_student_junior_yuan.source, "§四(二)5") && s.funding.per_student_junior_yuan.source.contains("29000"));

    // §四(七): school and class size.
    assert_eq!((std.school_size_cap.value, std.nine_year_school_size_cap.value), (2000.0, 2500.0));
    assert_eq!((std.primary.class_size_cap.value, std.junior.class_size_cap.value), (45.0, 50.0));
    for p in [&std.school_size_cap, &std.nine_year_school_size_cap, &std.primary.class_size_cap, &std.junior.class_size_cap] {
        assert!(cites(&p.source, "§四(七)"), "{}", p.source);
    }

    // §三: the ten strong-school experimental schools.
    let spec = s.roster.synthetic.as_ref().expect("synthetic roster");
    assert_eq!(spec.strong_schools.value, 10.0);
    assert!(cites(&spec.strong_schools.source, "§三") && !spec.strong_schools.assumption);
    assert_eq!(m.roster.schools.iter().filter(|r| r.strong_school).count(), 10);

    // Targets: each dated or standing seed target, with its article.
    let target = |id: &str| s.targets.iter().find(|t| t.id == id).unwrap_or_else(|| panic!("target {id}"));
    for (id, series, year, value, article, words) in [
        ("senior-2025", "schools_below_senior_standard", 2025, 0.0, "§四(二)4", "至2019年"),
        ("senior-2028", "schools_below_senior_standard", 2028, 0.0, "§四(二)4", "聘期3年"),
        ("staffing-2026", "schools_below_staffing_standard", 2026, 0.0, "§四(二)4", "不低于规定的标准"),
        ("funding-2026", "schools_below_funding_standard", 2026, 0.0, "§四(二)5", "23500"),
        ("class-cap-2028", "classes_over_cap", 2028, 0.0, "§四(七)", "45人和50人"),
        ("size-2028", "schools_over_size", 2028, 0.0, "§四(七)", "2500人"),
        ("capital-gap-2028", "cost_capital_gap_yuan", 2028, 0.0, "§四(七)", "国家配置水平"),
        ("unified-2028", "schools_below_unified_standard", 2028, 0.0, "§三", "标准基本统一"),
        ("cv-primary-2028", "cv_ok_primary", 2028, 1.0, "§四(七)", "督导评估办法"),
        ("cv-junior-2028", "cv_ok_junior", 2028, 1.0, "§四(七)", "督导评估办法"),
    ] {
        let t = target(id);
        assert_eq!((t.series.as_str(), t.year, t.value), (series, year, value), "{id}");
        assert!(cites(&t.source, article) && t.source.contains(words), "{id}: {}", t.source);
        assert!(series_keys().iter().any(|k| k == series), "{id}");
    }
}

#[test]
fn roster_is_at_the_estimated_baoshan_scale() {
    let m = baoshan();
    let rows = &m.roster.schools;
    let count = |l: Level| rows.iter().filter(|r| r.level == l).count();
    assert_eq!(count(Level::Primary), 60 + 25);
    assert_eq!(count(Level::Junior), 35 + 25);
    let students = |l: Level| rows.iter().filter(|r| r.level == l).map(|r| r.enrollment()).sum::<f64>();
    assert_eq!(students(Level::Primary), 79_000.0);
    assert_eq!(students(Level::Junior), 60_000.0);
    // A substantial rural part: 30% of the 120 schools.
    let rural: std::collections::BTreeSet<&str> =
        rows.iter().filter(|r| r.area == youjun::roster::Area::Rural).map(|r| r.school_id.as_str()).collect();
    assert_eq!(rural.len(), 36);
    assert!(rows.iter().all(|r| r.name.starts_with("宝山示例") && r.school_id.starts_with("BS-")));
    // Every scale estimate is marked as one.
    let spec = m.scenario.roster.synthetic.as_ref().unwrap();
    for p in [&spec.primary_schools, &spec.junior_schools, &spec.nine_year_schools, &spec.primary_students, &spec.junior_students, &spec.rural_share] {
        assert!(p.assumption && p.source.starts_with("E:"), "{}", p.source);
    }
}

#[test]
fn per_class_staffing_keeps_need_near_observed_staffing_and_above_the_ratio_form() {
    let per_class = baoshan().run_central();
    let ratio = baoshan_with(|s| s.urban_rural.as_mut().unwrap().staffing.as_mut().unwrap().basis = StaffingBasis::Ratio).run_central();
    let students = per_class.value("students_primary", 2024).unwrap();
    let need = per_class.value("teacher_need_primary", 2024).unwrap();
    // 3.05 staff per class of at most 45: 11–15 pupils per staff member, near
    // the observed 13.7 (STANDARDS.md Staffing).
    assert!((11.0..15.0).contains(&(students / need)), "{} pupils per staff member", students / need);
    // The ratio form (1:20.7, rural 1:18.4) asks for far fewer: the district
    // would withdraw a third of its primary teachers to the reserve.
    let ratio_need = ratio.value("teacher_need_primary", 2024).unwrap();
    assert!(ratio_need < 0.7 * need, "ratio {ratio_need} vs per class {need}");
    assert!(ratio.value("teacher_reserve_primary", 2025).unwrap() > 1000.0);
    assert!(per_class.value("teacher_reserve_primary", 2025).unwrap() < 100.0);
    // The base-year roster is short of the per-class standard in some schools;
    // the reserve and hiring close it within a year.
    assert!(per_class.value("schools_below_staffing_standard", 2024).unwrap() > 0.0);
    assert_eq!(per_class.value("schools_below_staffing_standard", 2025), Some(0.0));
}

#[test]
fn directed_senior_titles_clear_the_senior_minimum_that_promotions_alone_do_not() {
    let on = baoshan().run_central();
    let off = baoshan_with(|s| s.urban_rural.as_mut().unwrap().senior_title = None).run_central();
    let below_on = on.series("schools_below_senior_standard").unwrap();
    let below_off = off.series("schools_below_senior_standard").unwrap();
    assert_eq!(below_on[0], below_off[0], "same base year");
    assert!(below_on[0] > 0.0);
    // With the policy every school meets the minimum from 2025, even after
    // the first directed teachers return in 2028 (their schools are re-served).
    assert!(below_on[1..].iter().all(|v| *v == 0.0), "{below_on:?}");
    assert!(on.value("senior_teachers_directed", 2025).unwrap() > 0.0);
    assert!(on.value("senior_teachers_returned", 2028).unwrap() > 0.0);
    // Without it, schools stay below in 2025.
    assert!(below_off[1] > 0.0, "{below_off:?}");
    assert!(off.series("senior_teachers_directed").unwrap().iter().all(|v| *v == 0.0));
}

#[test]
fn cost_to_standard_falls_as_capital_is_spent() {
    let t = baoshan().run_central();
    let cost = t.series("cost_to_standard_yuan").unwrap();
    let capital = t.series("cost_capital_gap_yuan").unwrap();
    // The parts add up.
    for (k, total) in cost.iter().enumerate() {
        let parts: f64 = ["cost_teachers_gap_yuan", "cost_funding_gap_yuan", "cost_capital_gap_yuan"].iter().map(|key| t.series(key).unwrap()[k]).sum();
        assert!((parts - total).abs() <= 1e-6 * total.max(1.0));
    }
    assert!(cost[0] > 1e8, "base-year cost to standard {}", cost[0]);
    for w in cost.windows(2) {
        assert!(w[1] <= w[0], "cost to standard rose: {cost:?}");
    }
    assert!(cost[6] < 0.05 * cost[0], "{cost:?}");
    // Without capital the facility gap does not close: it grows with the
    // 2017-cohort bulge reaching junior school.
    let none = baoshan_with(|s| s.funding.capital_budget_yuan = Yearly::new(&[(2024, 0.0)], "t", true)).run_central();
    let none_gap = none.series("cost_capital_gap_yuan").unwrap();
    assert!(none_gap[6] > none_gap[0] && none_gap[0] > capital[0], "{none_gap:?} vs {capital:?}");
}

#[test]
fn facility_failing_counts_fall_once_the_programme_runs() {
    let t = baoshan().run_central();
    for level in Level::ALL {
        let students = t.series(&format!("students_{}", level.key())).unwrap();
        for i in FACILITIES {
            let f = failing(&t, level, i);
            // Every facility indicator clears by 2030.
            assert_eq!(f[6], 0.0, "{level:?} {i:?}: {f:?}");
            // From 2026 (the first building paid in 2024 arrives after the
            // two-year delay) a count rises only in a year the level's
            // enrollment rises (junior: the large 2016–17 birth cohorts).
            for k in 2..t.years.len() {
                if f[k] > f[k - 1] {
                    assert!(students[k] > students[k - 1], "{level:?} {i:?} rose in {} without enrollment growth: {f:?}", t.years[k]);
                }
            }
        }
    }
    // Primary enrollment only falls, so primary counts never rise from 2025.
    for i in FACILITIES {
        let f = failing(&t, Level::Primary, i);
        assert!(f[1..].windows(2).all(|w| w[1] <= w[0]), "{i:?}: {f:?}");
    }
}

#[test]
fn targeted_capital_clears_failing_schools_faster_than_equal_per_student() {
    let run = |alloc| baoshan_with(|s| s.funding.capital_allocation = alloc).run_central();
    let targeted = run(CapitalAllocation::Targeted);
    let equal = run(CapitalAllocation::EqualPerStudent);
    let (ft, fe) = (targeted.series("schools_failing").unwrap(), equal.series("schools_failing").unwrap());
    // Equal shares buy equipment at once, so equal spending leads in the
    // first year; from 2026, when targeted buildings arrive, targeting leads.
    for k in 2..targeted.years.len() {
        assert!(ft[k] <= fe[k], "{}: targeted {} vs equal {}", targeted.years[k], ft[k], fe[k]);
        assert!(facility_failing(&targeted, k) <= facility_failing(&equal, k), "{}", targeted.years[k]);
    }
    assert!(ft[0] - ft[6] > 2.0 * (fe[0] - fe[6]), "targeted {ft:?} vs equal {fe:?}");
    assert_eq!(facility_failing(&targeted, 6), 0.0);
    assert!(facility_failing(&equal, 6) > 20.0);
    assert!(targeted.value("cost_capital_gap_yuan", 2030).unwrap() < equal.value("cost_capital_gap_yuan", 2030).unwrap());
}

#[test]
fn indicator_clearance_names_the_failing_schools_and_their_year() {
    let m = baoshan();
    let t = m.run_central();
    let c = indicator_clearance(&m, &t);
    // Each (row, indicator) counted in a failing series is listed for that year.
    for level in Level::ALL {
        for i in Indicator::ALL {
            for (k, y) in t.years.iter().enumerate() {
                let listed = c.iter().filter(|r| r.level == level && r.indicator == i && r.failing_years.contains(y)).count();
                assert_eq!(listed as f64, failing(&t, level, i)[k], "{level:?} {i:?} {y}");
            }
        }
    }
    // Every facility failure clears within the horizon, and stays cleared.
    let mut by_year = std::collections::BTreeMap::new();
    for r in c.iter().filter(|r| FACILITIES.contains(&r.indicator)) {
        let from = r.passes_from.unwrap_or_else(|| panic!("{} {:?} still failing in 2030", r.school_id, r.indicator));
        *by_year.entry(from).or_insert(0) += 1;
    }
    // The teacher-composition indicators are what remain at the end.
    let still: Vec<_> = c.iter().filter(|r| r.passes_from.is_none()).map(|r| r.indicator).collect();
    assert!(!still.is_empty() && still.iter().all(|i| !FACILITIES.contains(i)));
    println!("facility failures cleared, by year: {by_year:?}; still failing in 2030: {} (row, indicator) pairs", still.len());
}
