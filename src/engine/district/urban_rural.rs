//! Seed 002 (Baoshan, 宝府〔2018〕150号): the unified urban–rural standards.
//! Three optional features, each off unless `[urban_rural]` configures it:
//!
//! - **Staffing basis** (§四(二)4): a school's teacher need is students ÷
//!   students per teacher (`ratio`, the default), classes × staff per class
//!   (`per_class`; classes are the engine's classes, each grade split at the
//!   class-size cap), or the larger of the two (`greater_of`).
//! - **Senior-title minimum as a policy** (§四(二)4, 统筹安排到未达标学校任教,
//!   聘期3年): after the teachers step, each level's pool of directed senior
//!   titles (`<level>_directed_share` × promotion rate × non-senior teachers) moves
//!   from donor schools (those above `donor_headroom` × their own minimum, pro
//!   rata to that excess) to schools below the minimum, smallest deficit
//!   first, so the pool clears as many schools as it can. A directed teacher
//!   is swapped for a non-senior one (head counts unchanged) and, when
//!   `term_years` > 0, returns to the donor after the term, less attrition.
//!   The minimum is the one `schools_below_senior_standard` counts: ≥ 1 senior
//!   teacher per primary row, ≥ 5% of a junior row's teachers.
//! - **Costing** (§四(二)4–5, §四(七)): each year, what closing every row's
//!   remaining gap would cost: (a) teachers short of the staffing need ×
//!   yearly teacher cost; (b) per-student funding below the standard ×
//!   students; (c) one-off capital to lift each facility indicator (teaching
//!   and auxiliary m², with classrooms for every class under the cap; sports
//!   m²; equipment; multimedia rooms) to its threshold, at the funding unit
//!   costs, net of building already paid for and not yet delivered.
//!
//! The staffing basis is a core rule (`teachers::Staffing`) that this module
//! sets when the model is bound; the other two are its own step and series.

use super::District;
use crate::engine::funding::{funded_students_at, per_student};
use crate::engine::record::{senior_ok, RowFacts, Sheet};
use crate::engine::teachers::Staffing;
use crate::engine::{CoreRules, Draws, Model, State};
use crate::metrics::{Indicator, Standards};
use crate::roster::{Level, School};
use crate::scenario::{Scenario, StaffingBasis};

/// One directed senior teacher flow, to be returned when its term ends.
#[derive(Debug, Clone, PartialEq)]
struct Loan {
    due: i32,
    from: usize,
    to: usize,
    amount: f64,
}

/// The module's state in a run: senior teachers on loan, and this year's flows.
#[derive(Debug, Clone, Default, PartialEq)]
pub(super) struct UrbanRural {
    loans: Vec<Loan>,
    directed: f64,
    returned: f64,
}

impl District for UrbanRural {
    fn start(_model: &Model) -> UrbanRural {
        UrbanRural::default()
    }

    /// The staffing basis of `[urban_rural.staffing]`, if configured.
    fn adjust_rules(scenario: &Scenario, rules: &mut CoreRules) {
        let Some(st) = scenario.urban_rural.as_ref().and_then(|u| u.staffing.as_ref()) else { return };
        let per_class = Level::ALL.map(|l| st.staff_per_class(l));
        rules.staffing = match st.basis {
            StaffingBasis::Ratio => Staffing::Ratio,
            StaffingBasis::PerClass => Staffing::PerClass(per_class),
            StaffingBasis::GreaterOf => Staffing::GreaterOf(per_class),
        };
    }

    fn after_teachers(&mut self, model: &Model, state: &mut State, year: i32, _draws: &mut Draws) {
        step(self, model, state, year);
    }

    fn record(&self, model: &Model, state: &State, year: i32, sheet: &mut Sheet) {
        for (at, x) in series(self, model, state, year, sheet.rows) {
            sheet.put(at, x);
        }
    }
}

/// Senior-title teachers the minimum asks of a row.
fn senior_required(st: &Standards, s: &School) -> f64 {
    match s.level {
        Level::Primary => st.primary_min_senior_teachers.value,
        Level::Junior => st.junior_min_senior_share.value * s.teachers,
    }
}

/// Returns loans whose term has ended, then directs this year's pool of
/// senior titles to rows below the minimum. Runs after the teachers step.
fn step(ur: &mut UrbanRural, model: &Model, state: &mut State, year: i32) {
    let Some(p) = model.scenario.urban_rural.as_ref().and_then(|u| u.senior_title.as_ref()) else { return };
    let st = &model.scenario.standards;
    let t = &model.scenario.teachers;
    let rows = &mut state.schools;
    let open_rows = &state.open_rows;
    ur.directed = 0.0;
    ur.returned = 0.0;

    // Directed teachers leave like everyone else (the teachers step applied
    // attrition to the rows); those whose term has ended go back.
    let keep = 1.0 - t.attrition_rate.value;
    let mut kept = Vec::with_capacity(ur.loans.len());
    for mut l in std::mem::take(&mut ur.loans) {
        l.amount *= keep;
        // A school that merged away (seed 004) passed its teachers, and its
        // loans, to the school that received it.
        for end in [&mut l.from, &mut l.to] {
            if !open_rows.is_open(*end) {
                *end = open_rows.final_receiver(*end);
            }
        }
        if l.due > year {
            kept.push(l);
            continue;
        }
        let back = l.amount.min(rows[l.to].senior_teachers).min(rows[l.from].teachers - rows[l.from].senior_teachers).max(0.0);
        rows[l.to].senior_teachers -= back;
        rows[l.from].senior_teachers += back;
        ur.returned += back;
    }
    ur.loans = kept;

    let term = p.term_years.value.round() as i32;
    for (level, members) in Level::ALL.into_iter().zip(&model.links.by_level) {
        let pool: f64 = p.directed_share(level)
            * t.senior_promotion_rate.value
            * members.iter().map(|&i| (rows[i].teachers - rows[i].senior_teachers).max(0.0)).sum::<f64>();
        let mut recipients: Vec<(usize, f64)> = members
            .iter()
            .filter(|&&i| !senior_ok(st, &rows[i]))
            .map(|&i| {
                let s = &rows[i];
                (i, (senior_required(st, s) - s.senior_teachers).min(s.teachers - s.senior_teachers))
            })
            .filter(|r| r.1 > 0.0)
            .collect();
        crate::sort::sort_by(&mut recipients, |a, b| a.1.total_cmp(&b.1).then(a.0.cmp(&b.0)));
        let donors: Vec<(usize, f64)> = members
            .iter()
            .map(|&i| (i, rows[i].senior_teachers - p.donor_headroom.value * senior_required(st, &rows[i])))
            .filter(|d| d.1 > 0.0)
            .collect();
        let capacity: f64 = donors.iter().map(|d| d.1).sum();
        let mut left = pool.min(capacity);
        let mut moved = 0.0;
        for &(r, deficit) in &recipients {
            let take = deficit.min(left);
            if take <= 0.0 {
                break;
            }
            left -= take;
            moved += take;
            rows[r].senior_teachers += take;
            for &(d, cap) in &donors {
                let share = take * cap / capacity;
                if term > 0 {
                    ur.loans.push(Loan { due: year + term, from: d, to: r, amount: share });
                }
            }
        }
        for &(d, cap) in &donors {
            rows[d].senior_teachers -= moved * cap / capacity;
        }
        ur.directed += moved;
    }
}

/// This year's values of the module's series, each at its catalogue key's
/// position (`key!`; section `urban_rural` in `src/series.rs`). `facts` holds each row's
/// figures this year, and for each open row which indicators it meets (from
/// the recorder's assessment of the same year).
fn series(ur: &UrbanRural, model: &Model, state: &State, year: i32, facts: &[RowFacts]) -> [(usize, f64); 8] {
    // The counts, read off the recorder's tests of each open row with pupils.
    let (mut below_staffing, mut below_unified) = (0.0, 0.0);
    for (s, f) in state.schools.iter().zip(facts) {
        if f.p <= 0.0 {
            continue;
        }
        let Some(met) = &f.met else { continue };
        let short_staffed = s.teachers + 1e-6 < f.need;
        // Counted by a test, not by adding 0 or 1 as a float (a conversion per row).
        if short_staffed {
            below_staffing += 1.0;
        }
        let below = !met.iter().all(|m| *m) || short_staffed || !f.senior_ok || f.below_funding || f.over_cap;
        if below {
            below_unified += 1.0;
        }
    }
    let costing = model.scenario.urban_rural.as_ref().and_then(|u| u.costing.as_ref());
    let (teachers, funding, capital) = match costing {
        Some(c) => costs(model, state, year, facts, c.teacher_cost_yuan_per_year.value),
        None => (0.0, 0.0, 0.0),
    };
    [
        (key!("cost_to_standard_yuan"), teachers + funding + capital),
        (key!("cost_teachers_gap_yuan"), teachers),
        (key!("cost_funding_gap_yuan"), funding),
        (key!("cost_capital_gap_yuan"), capital),
        (key!("schools_below_staffing_standard"), below_staffing),
        (key!("schools_below_unified_standard"), below_unified),
        (key!("senior_teachers_directed"), ur.directed),
        (key!("senior_teachers_returned"), ur.returned),
    ]
}

/// The costing's three gaps in `year` (yuan): teachers short of the
/// staffing need at `teacher_cost` a year, per-student funding below the
/// standard, and the capital to lift each open row with pupils to the
/// facility thresholds. Only with a costing table: off, every run skips it.
fn costs(model: &Model, state: &State, year: i32, facts: &[RowFacts], teacher_cost: f64) -> (f64, f64, f64) {
    let st = &model.scenario.standards;
    let per_student_yuan = Level::ALL.map(|l| per_student(model, l, year));
    // Floor and sports area paid for but not built.
    let mut pending = vec![(0.0, 0.0); state.schools.len()];
    for &(_, i, t, s) in &state.pipeline {
        pending[i].0 += t;
        pending[i].1 += s;
    }
    let (mut teacher_gap, mut funding_gap, mut capital_gap) = (0.0, 0.0, 0.0);
    for (i, (s, f)) in state.schools.iter().zip(facts).enumerate() {
        let p = f.p;
        teacher_gap += (f.need - s.teachers).max(0.0);
        if p <= 0.0 || f.met.is_none() {
            continue;
        }
        let funded = per_student_yuan[s.level as usize] * funded_students_at(model, p) / p.max(1.0);
        funding_gap += (st.level(s.level).per_student_funding_yuan.value - funded).max(0.0) * p;
        capital_gap += capital_to_threshold(model, s, state.classrooms[i], state.classes_needed[i], pending[i]);
    }
    (teacher_gap * teacher_cost, funding_gap, capital_gap)
}

/// One-off yuan to lift a row's four facility indicators to their
/// thresholds (and to give every class under the cap a classroom), net of
/// floor and sports area `pending` (paid for, not yet built).
fn capital_to_threshold(model: &Model, s: &School, classrooms: f64, classes: f64, pending: (f64, f64)) -> f64 {
    let f = &model.scenario.funding;
    let l = model.scenario.standards.level(s.level);
    let p = s.enrollment();
    let gap = |need: f64, have: f64| (need - have).max(0.0);
    let rooms_m2 = (classes - classrooms).max(0.0) * f.teaching_m2_per_classroom.value;
    let teaching_m2 = gap(l.threshold(Indicator::TeachingSpaceM2PerStudent) * p, s.teaching_space_m2 + pending.0)
        .max(gap(rooms_m2, pending.0));
    teaching_m2 * f.cost_per_m2_teaching_yuan.value
        + gap(l.threshold(Indicator::SportsSpaceM2PerStudent) * p, s.sports_space_m2 + pending.1) * f.cost_per_m2_sports_yuan.value
        + gap(l.threshold(Indicator::EquipmentYuanPerStudent) * p, s.equipment_yuan)
        + gap(l.threshold(Indicator::MultimediaRoomsPer100) * p / 100.0, s.multimedia_rooms) * f.cost_per_multimedia_room_yuan.value
}

#[cfg(test)]
mod tests;
