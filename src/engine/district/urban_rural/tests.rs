//! Hand-computed cases for the seed-002 features, and feature-off identity.

use super::*;
use crate::engine::district::merging::Merging;
use crate::engine::district::Districts;
use crate::engine::funding::classes_needed;
use crate::engine::teachers::need;
use crate::engine::record::{at, Recorder};
use crate::engine::series_keys;
use crate::engine::tests::tiny_scenario;
use crate::params::Sourced;
use crate::scenario::{CostingParams, Scenario, SeniorTitleParams, StaffingBasisParams, UrbanRuralParams};

/// The costing series: zero without a costing table.
const COSTS: [&str; 4] = ["cost_to_standard_yuan", "cost_teachers_gap_yuan", "cost_funding_gap_yuan", "cost_capital_gap_yuan"];

const PUDONG: &str = include_str!("../../../../scenarios/pudong-2024.toml");

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-9 * (1.0 + a.abs().max(b.abs()))
}

fn staffing(basis: StaffingBasis) -> StaffingBasisParams {
    StaffingBasisParams {
        basis,
        primary_staff_per_class: Sourced::cited([3.0, 3.1], "t"),
        junior_staff_per_class: Sourced::cited([4.1, 4.3], "t"),
        range_position: Sourced::assumed(0.5, "t"),
    }
}

fn senior(term: f64) -> SeniorTitleParams {
    SeniorTitleParams {
        primary_directed_share: Sourced::cited(0.5, "t"),
        junior_directed_share: Sourced::cited(0.5, "t"),
        donor_headroom: Sourced::cited(1.5, "t"),
        term_years: Sourced::cited(term, "t"),
    }
}

fn costing() -> CostingParams {
    CostingParams { teacher_cost_yuan_per_year: Sourced::assumed(250_000.0, "t") }
}

fn tiny(f: impl FnOnce(&mut Scenario, &mut crate::roster::Roster)) -> Model {
    let (mut s, mut r) = tiny_scenario();
    f(&mut s, &mut r);
    Model::new(s, r).expect("valid test model")
}

fn with(u: UrbanRuralParams) -> impl FnOnce(&mut Scenario, &mut crate::roster::Roster) {
    move |s, _| s.urban_rural = Some(u)
}

#[test]
fn per_class_need_is_classes_times_staff_per_class() {
    // A primary row of 100, 90, 46, 45, 0 pupils: at the cap of 45 that is
    // 3 + 2 + 2 + 1 + 0 = 8 classes; 8 × 3.05 = 24.4 staff. By ratio: 281 / 13.7.
    let mut s = School::blank("X", "测试", Level::Primary);
    s.students[..5].copy_from_slice(&[100.0, 90.0, 46.0, 45.0, 0.0]);
    let ratio = 281.0 / 13.7;
    let need_with = |basis| {
        let m = tiny(with(UrbanRuralParams { staffing: Some(staffing(basis)), ..Default::default() }));
        need(&m, &s)
    };
    assert!(close(need_with(StaffingBasis::PerClass), 24.4));
    assert!(close(need_with(StaffingBasis::GreaterOf), 24.4));
    assert_eq!(need_with(StaffingBasis::Ratio), ratio);
    assert_eq!(need(&tiny(|_, _| {}), &s), ratio);
    // A junior row of 4 × 120 pupils: 3 classes a grade at 50; 12 × 4.2 = 50.4.
    let mut j = School::blank("Y", "测试", Level::Junior);
    j.students[5..].copy_from_slice(&[120.0; 4]);
    let m = tiny(with(UrbanRuralParams { staffing: Some(staffing(StaffingBasis::PerClass)), ..Default::default() }));
    assert!(close(need(&m, &j), 50.4));
    // Larger classes than staff can cover: the ratio need wins under greater_of.
    let mut big = School::blank("Z", "测试", Level::Junior);
    big.students[5] = 50.0; // 1 class: 4.2 staff by class, 50 / 9.1 = 5.49 by ratio
    let m = tiny(with(UrbanRuralParams { staffing: Some(staffing(StaffingBasis::GreaterOf)), ..Default::default() }));
    assert!(close(need(&m, &big), 50.0 / 9.1));
}

/// Rows of the tiny district with round staffing: P1 (40 teachers, 10
/// senior), P2 (25, 0), J1 (50, 1), N1 primary (30, 0.6), N1 junior (20, 4).
fn senior_model(term: f64) -> (Model, State, UrbanRural) {
    let m = tiny(|s, r| {
        s.urban_rural = Some(UrbanRuralParams { senior_title: Some(senior(term)), ..Default::default() });
        s.teachers.senior_promotion_rate.value = 0.02;
        s.teachers.attrition_rate.value = 0.04;
        for (row, (t, sen)) in r.schools.iter_mut().zip([(40.0, 10.0), (25.0, 0.0), (50.0, 1.0), (30.0, 0.6), (20.0, 4.0)]) {
            row.teachers = t;
            row.senior_teachers = sen;
        }
    });
    let state = State::new(&m);
    let ur = UrbanRural::start(&m);
    (m, state, ur)
}

#[test]
fn directed_senior_titles_go_to_the_smallest_deficits_first() {
    let (m, mut state, mut ur) = senior_model(0.0);
    let st = &m.scenario.standards;
    assert_eq!(state.schools.iter().filter(|s| !senior_ok(st, s)).count(), 3); // P2, J1, N1 primary
    step(&mut ur, &m, &mut state, 2025);
    let sen = |i: usize| state.schools[i].senior_teachers;
    // Primary pool: 0.5 × 0.02 × (30 + 25 + 29.4) = 0.844. N1 primary's deficit
    // (0.4) is the smallest and is filled; P2 gets the remaining 0.444. P1 is
    // the only donor (10 > 1.5 × 1).
    assert!(close(sen(3), 1.0));
    assert!(close(sen(1), 0.444));
    assert!(close(sen(0), 10.0 - 0.844));
    // Junior pool: 0.5 × 0.02 × (49 + 16) = 0.65, from N1 junior (4 > 1.5 × 1)
    // to J1 (needs 2.5, has 1).
    assert!(close(sen(2), 1.65));
    assert!(close(sen(4), 4.0 - 0.65));
    assert!(close(ur.directed, 0.844 + 0.65));
    // Senior titles are conserved and head counts unchanged.
    let total: f64 = state.schools.iter().map(|s| s.senior_teachers).sum();
    assert!(close(total, 10.0 + 0.6 + 1.0 + 4.0));
    assert_eq!(state.schools.iter().map(|s| s.teachers).collect::<Vec<_>>(), vec![40.0, 25.0, 50.0, 30.0, 20.0]);
    // N1 primary now meets the minimum; P2 and J1 still do not.
    assert!(senior_ok(st, &state.schools[3]));
    assert_eq!(state.schools.iter().filter(|s| !senior_ok(st, s)).count(), 2);
    assert!(ur.loans.is_empty(), "term 0: directed teachers stay");
}

#[test]
fn directed_teachers_return_after_their_term_less_attrition() {
    let (m, mut state, mut ur) = senior_model(3.0);
    step(&mut ur, &m, &mut state, 2025);
    // Nobody is below the minimum any more, so later years direct nothing.
    state.schools[1].senior_teachers = 1.0;
    state.schools[2].senior_teachers = 3.0;
    let before: Vec<f64> = state.schools.iter().map(|s| s.senior_teachers).collect();
    step(&mut ur, &m, &mut state, 2026);
    step(&mut ur, &m, &mut state, 2027);
    assert_eq!(ur.directed, 0.0);
    assert_eq!(state.schools.iter().map(|s| s.senior_teachers).collect::<Vec<_>>(), before);
    // Stop directing, so that the returns in 2028 are not re-directed at once.
    let mut m = m.clone();
    let sr = m.scenario.urban_rural.as_mut().unwrap().senior_title.as_mut().unwrap();
    sr.primary_directed_share.value = 0.0;
    sr.junior_directed_share.value = 0.0;
    step(&mut ur, &m, &mut state, 2028);
    // Each loan aged three times at 4% attrition.
    let k = 0.96f64.powi(3);
    let sen = |i: usize| state.schools[i].senior_teachers;
    assert!(close(sen(3), before[3] - 0.4 * k));
    assert!(close(sen(1), before[1] - 0.444 * k));
    assert!(close(sen(0), before[0] + 0.844 * k));
    assert!(close(sen(2), before[2] - 0.65 * k));
    assert!(close(sen(4), before[4] + 0.65 * k));
    assert!(close(ur.returned, (0.844 + 0.65) * k));
    assert!(ur.loans.is_empty());
}

#[test]
fn senior_ok_is_the_test_the_senior_series_counts() {
    let s = Scenario::from_toml(PUDONG).unwrap();
    let roster = s.resolve_roster(|_| Err("no CSV".into())).unwrap();
    let m = Model::new(s, roster).unwrap();
    let below = m.roster.schools.iter().filter(|s| !senior_ok(&m.scenario.standards, s)).count() as f64;
    assert!(below > 0.0);
    assert_eq!(m.run_central().value("schools_below_senior_standard", 2024), Some(below));
}

/// The tiny district in its base year with every row at the standards
/// except P2 (300 pupils), which is short on four facility indicators.
fn costing_model() -> Model {
    tiny(|s, r| {
        s.urban_rural = Some(UrbanRuralParams { costing: Some(costing()), ..Default::default() });
        s.funding.per_student_primary_yuan.value = 20_000.0;
        for row in r.schools.iter_mut() {
            let p = row.enrollment();
            row.teachers = p / s.staffing_ratio(row.level, row.area) + 1.0;
            row.qualified_teachers = p * 0.06;
        }
        let p2 = &mut r.schools[1];
        p2.teachers -= 4.0; // 3 short of the need
        p2.teaching_space_m2 = 4.0 * 300.0;
        p2.sports_space_m2 = 7.0 * 300.0;
        p2.equipment_yuan = 1800.0 * 300.0;
        p2.multimedia_rooms = 6.0;
        s.roster.schools = Some(r.schools.clone());
    })
}

fn base_state(m: &Model) -> State {
    let mut state = State::new(m);
    state.classes_needed = state.schools.iter().map(|s| classes_needed(&m.scenario.standards, s)).collect();
    state
}

#[test]
fn each_costing_component_by_hand() {
    let m = costing_model();
    let mut state = base_state(&m);
    let v = series_of(&m, &state, 2024);
    let get = |v: &[(usize, f64); 8], key: &str| v.iter().find(|(k, _)| *k == at(key)).unwrap().1;
    // (a) 3 teachers × 250,000.
    assert!(close(get(&v, "cost_teachers_gap_yuan"), 750_000.0));
    // (b) 3,500 yuan below 23,500 for the 500 + 300 + 400 primary pupils.
    assert!(close(get(&v, "cost_funding_gap_yuan"), 3_500.0 * 1200.0));
    // (c) P2: 150 m² teaching × 6,000 + 150 m² sports × 3,000 + 60,000 yuan
    // equipment + 0.9 rooms × 150,000.
    let capital = 150.0 * 6000.0 + 150.0 * 3000.0 + 60_000.0 + 0.9 * 150_000.0;
    assert!(close(get(&v, "cost_capital_gap_yuan"), capital));
    assert!(close(get(&v, "cost_to_standard_yuan"), 750_000.0 + 4_200_000.0 + capital));
    // Failing counts (recorded by the core): P2 on four facility indicators
    // and backbone teachers (the tiny district's lagging school), nothing else.
    let mut want = [0.0; 14];
    want[1] = 1.0;
    want[3..7].fill(1.0);
    assert_eq!(failing_counts(&m, &state, 2024), want);
    // P2 is short-staffed; every primary row is under-funded; J1 has 2 senior
    // teachers of 600 / 9.1 + 1 = 66.9 (3% < 5%).
    assert_eq!(get(&v, "schools_below_staffing_standard"), 1.0);
    assert_eq!(get(&v, "schools_below_unified_standard"), 4.0);

    // 100 m² of teaching space already paid for and on its way: only 50 m² remain.
    state.pipeline.push((2026, 1, 100.0, 0.0));
    let v = series_of(&m, &state, 2024);
    assert!(close(get(&v, "cost_capital_gap_yuan"), capital - 100.0 * 6000.0));
    // Too few classrooms: 3 missing at 200 m² each outweigh the 50 m² area gap.
    state.classrooms[1] = state.classes_needed[1] - 3.0;
    let v = series_of(&m, &state, 2024);
    assert!(close(get(&v, "cost_capital_gap_yuan"), capital - 150.0 * 6000.0 + (600.0 - 100.0) * 6000.0));
}

#[test]
fn without_a_costing_table_costs_are_zero_but_failing_counts_are_kept() {
    let mut m = costing_model();
    m.scenario.urban_rural = None;
    let v = series_of(&m, &base_state(&m), 2024);
    for key in COSTS {
        assert_eq!(v.iter().find(|(k, _)| *k == at(key)).unwrap().1, 0.0, "{key}");
    }
    assert_eq!(failing_counts(&m, &base_state(&m), 2024).iter().sum::<f64>(), 5.0);
}

#[test]
fn features_off_leave_every_output_unchanged() {
    let s = Scenario::from_toml(PUDONG).unwrap();
    let roster = s.resolve_roster(|_| Err("no CSV".into())).unwrap();
    let off = Model::new(s.clone(), roster.clone()).unwrap().run_central();
    // An empty section, a ratio basis, and costing alone change nothing the engine does.
    for u in [
        UrbanRuralParams::default(),
        UrbanRuralParams { staffing: Some(staffing(StaffingBasis::Ratio)), ..Default::default() },
        UrbanRuralParams { costing: Some(costing()), ..Default::default() },
    ] {
        let mut s2 = s.clone();
        s2.urban_rural = Some(u.clone());
        let on = Model::new(s2, roster.clone()).unwrap().run_central();
        assert_eq!(on.schools, off.schools, "{u:?}");
        for (k, key) in series_keys().iter().enumerate() {
            if COSTS.contains(&key.as_str()) {
                continue;
            }
            let same = on.series[k].iter().zip(&off.series[k]).all(|(a, b)| a == b || (a.is_nan() && b.is_nan()));
            assert!(same, "{key} changed with {u:?}");
        }
    }
    // Without the section the Baoshan series are zero.
    for key in COSTS.iter().chain(&["senior_teachers_directed", "senior_teachers_returned"]) {
        assert!(off.series(key).unwrap().iter().all(|v| *v == 0.0), "{key}");
    }
}

/// `series` with each row assessed here, as the recorder does.
fn series_of(m: &Model, state: &State, year: i32) -> [(usize, f64); 8] {
    let mut facts = Vec::new();
    crate::engine::record::row_facts(m, state, year, &mut facts);
    series(&UrbanRural::start(m), m, state, year, &facts)
}

/// The core recorder's `failing.<level>.<indicator>` counts for `state`,
/// levels then indicators.
fn failing_counts(m: &Model, state: &State, year: i32) -> [f64; 14] {
    let mut rec = Recorder::new(m, 1, false);
    rec.record(m, state, &Districts::start(m), year);
    let t = rec.finish(m, vec![year]);
    let mut out = [0.0; 14];
    for (l, level) in Level::ALL.iter().enumerate() {
        for (k, i) in Indicator::ALL.iter().enumerate() {
            out[l * 7 + k] = t.value(&format!("failing.{}.{}", level.key(), i.key()), year).expect("a failing series");
        }
    }
    out
}

#[test]
fn loans_of_a_school_that_merged_away_return_through_its_receiver() {
    let (mut m, mut state, mut ur) = senior_model(3.0);
    m.scenario.merging = Some(crate::scenario::test_merging(0.0, 0.0, 1.0, 1.0));
    step(&mut ur, &m, &mut state, 2025);
    // N1's primary part (row 3) borrowed 0.4 senior teachers from P1 (row 0),
    // then merges into P1 before the loan is due.
    Merging::start(&m).merge(&m, &mut state, 3, 0, 2026);
    let sr = m.scenario.urban_rural.as_mut().unwrap().senior_title.as_mut().unwrap();
    sr.primary_directed_share.value = 0.0;
    sr.junior_directed_share.value = 0.0;
    let total = |s: &State| s.schools.iter().map(|r| r.senior_teachers).sum::<f64>();
    let before_p1 = state.schools[0].senior_teachers;
    let before = total(&state);
    step(&mut ur, &m, &mut state, 2026);
    step(&mut ur, &m, &mut state, 2027);
    step(&mut ur, &m, &mut state, 2028);
    let k = 0.96f64.powi(3);
    assert!(ur.loans.is_empty(), "every loan is settled, none dropped");
    assert_eq!(state.schools[3].senior_teachers, 0.0, "nothing returns to the closed campus");
    // P1 lent 0.844 in all (0.4 of it to row 3, now inside P1 itself): only
    // the 0.444 lent to P2 comes back to it, and the total is unchanged.
    assert!(close(state.schools[0].senior_teachers, before_p1 + 0.444 * k), "{}", state.schools[0].senior_teachers);
    assert!(close(total(&state), before));
    assert!(close(ur.returned, (0.844 + 0.65) * k));
}
