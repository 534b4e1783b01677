//! Where pupils go (issue 16): the share of grade-5 leavers entering the
//! district's public junior schools, the share of each grade-1 cohort
//! entering its public schools, and migrant children (随迁子女) as a part of
//! grade-1 intake; and that each is a lever only where a scenario states it.

use youjun::engine::Trajectory;
use youjun::levers;
use youjun::params::Sourced;
use youjun::roster::Level;
use youjun::scenario::{MigrantChildren, PublicEntry, Scenario};

use crate::support::model_of;

const PUTUO: &str = include_str!("../../scenarios/putuo-strong-junior.toml");

fn putuo(share: Option<f64>) -> (youjun::engine::Model, Trajectory) {
    let mut s = Scenario::from_toml(PUTUO).expect("parses and validates");
    s.enrollment.junior_entry_share = share.map(|v| Sourced::assumed(v, "test"));
    let m = model_of(s);
    let t = m.run_central();
    (m, t)
}

#[test]
fn fewer_leavers_entering_public_junior_schools_lowers_junior_enrollment() {
    let ((m, all), (_, most)) = (putuo(None), putuo(Some(0.85)));
    assert_eq!(all, putuo(Some(1.0)).1, "absent means every leaver enters");
    let v = |t: &Trajectory, k: &str, y: i32| t.value(k, y).unwrap();
    assert_eq!(v(&all, "students_junior", 2024), v(&most, "students_junior", 2024));
    for y in 2025..=2030 {
        assert!(v(&most, "students_junior", y) < v(&all, "students_junior", y), "{y}");
        assert_eq!(v(&most, "students_primary", y), v(&all, "students_primary", y), "{y}: primary untouched");
    }
    // By hand: 2025's grade 6 is the roster's grade 5 × progression ×
    // (1 + net migration); 15% of it does not enter, and grades 7–9 are as before.
    let e = &m.scenario.enrollment;
    let grade5: f64 = m.roster.schools.iter().filter(|s| s.level == Level::Primary).map(|s| s.students[4]).sum();
    let expected = 0.15 * grade5 * e.progression_rate.value * (1.0 + e.net_migration_rate.value);
    let drop = v(&all, "students_junior", 2025) - v(&most, "students_junior", 2025);
    assert!((drop - expected).abs() < 1e-6 * expected, "{drop} vs {expected}");
    // Out-of-range shares are refused at their field.
    let mut s = Scenario::from_toml(PUTUO).unwrap();
    s.enrollment.junior_entry_share = Some(Sourced::assumed(1.2, "test"));
    let all = s.validate().iter().map(|p| p.to_string()).collect::<Vec<_>>().join("\n");
    assert!(all.contains("enrollment.junior_entry_share.value"), "{all}");
}

/// Putuo (no housing, so grade-1 intake is the district intake exactly) with
/// the grade-1 flows set.
fn putuo_entry(public: Option<(f64, f64)>, migrant: Option<(f64, f64)>) -> Trajectory {
    let mut s = Scenario::from_toml(PUTUO).expect("parses and validates");
    s.enrollment.public_entry = public.map(|(base, share)| PublicEntry { base_share: Sourced::assumed(base, "test"), share: Sourced::assumed(share, "test") });
    s.enrollment.migrant = migrant.map(|(share, change)| MigrantChildren { share: Sourced::assumed(share, "test"), change: Sourced::assumed(change, "test") });
    assert!(s.validate().is_empty(), "{:?}", s.validate());
    model_of(s).run_central()
}

#[test]
fn the_grade1_flows_scale_forecast_intake_from_the_base_year() {
    let v = |t: &Trajectory, k: &str, y: i32| t.value(k, y).unwrap();
    let plain = putuo_entry(None, None);
    // Stated at their base-year values, the flows change nothing, to the bit.
    assert_eq!(putuo_entry(Some((0.9, 0.9)), Some((0.4, 1.0))), plain);
    // 90% → 81% of the cohort in public schools: forecast intake × 0.9;
    // migrant children 40% of intake, their intake × 1.25: × 1.1. By hand.
    for (flows, factor) in [((Some((0.9, 0.81)), None), 0.9), ((None, Some((0.4, 1.25))), 1.1), ((Some((0.9, 0.81)), Some((0.4, 1.25))), 0.99)] {
        let t = putuo_entry(flows.0, flows.1);
        assert_eq!(v(&t, "grade1_intake", 2024), v(&plain, "grade1_intake", 2024), "the base year is the roster's");
        for y in 2025..=2030 {
            let (got, want) = (v(&t, "grade1_intake", y), factor * v(&plain, "grade1_intake", y));
            assert!((got - want).abs() < 1e-9 * want, "{y}: {got} vs {want}");
        }
        // The cohort moves up: fewer (or more) primary pupils every later year;
        // junior pupils only once 2025's grade 1 reaches grade 6, in 2030.
        let sign = if factor < 1.0 { -1.0 } else { 1.0 };
        for y in 2025..=2030 {
            assert!(sign * (v(&t, "students_primary", y) - v(&plain, "students_primary", y)) > 0.0, "{y}");
        }
        assert_eq!(v(&t, "students_junior", 2029), v(&plain, "students_junior", 2029));
        assert!(sign * (v(&t, "students_junior", 2030) - v(&plain, "students_junior", 2030)) > 0.0);
    }
}

#[test]
fn the_flows_are_levers_only_where_a_scenario_states_them() {
    let ids = ["enrollment.junior_entry_share", "enrollment.public_entry.share", "enrollment.migrant.change"];
    let mut bare = Scenario::from_toml(PUTUO).unwrap();
    bare.enrollment.junior_entry_share = None;
    let mut stated = bare.clone();
    stated.enrollment.junior_entry_share = Some(Sourced::assumed(1.0, "test"));
    stated.enrollment.public_entry = Some(PublicEntry { base_share: Sourced::assumed(0.9, "test"), share: Sourced::assumed(0.9, "test") });
    stated.enrollment.migrant = Some(MigrantChildren { share: Sourced::assumed(0.4, "test"), change: Sourced::assumed(1.0, "test") });
    for id in ids {
        let l = levers::lever(id).expect("a lever");
        assert!(l.get(&bare).is_none(), "{id}");
        assert!(l.set(&mut bare.clone(), 0.5).is_err_and(|e| e.contains(id)), "{id}: setting an absent flow is refused, naming it");
        let mut s = stated.clone();
        l.set(&mut s, 0.5).unwrap();
        assert_eq!(l.get(&s).unwrap().value, 0.5);
        // Out of range: refused, the scenario unchanged.
        assert!(l.set(&mut s, 3.5).is_err());
        assert_eq!(l.get(&s).unwrap().value, 0.5);
    }
    // Validation names the field of a bad base share or migrant share.
    let mut s = stated;
    s.enrollment.public_entry.as_mut().unwrap().base_share.value = 0.0;
    s.enrollment.migrant.as_mut().unwrap().share.value = 1.5;
    let all = s.validate().iter().map(|p| p.to_string()).collect::<Vec<_>>().join("\n");
    assert!(all.contains("enrollment.public_entry.base_share.value") && all.contains("enrollment.migrant.share.value"), "{all}");
}
