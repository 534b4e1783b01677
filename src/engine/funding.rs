//! Sub-model 3: funding. Operating funds per student (a small school's
//! 公用经费 share counted as if it had the minimum), special grants, and the capital budget, which
//! buys floor area, sports area, equipment and multimedia rooms at unit costs.
//! Floor and sports area arrive after the build delay; equipment and rooms in
//! the year they are bought. Spending is compared with the envelope.
//!
//! Capital allocation:
//! - `equal_per_student`: each school gets the budget in proportion to its
//!   students and spends it on its own shortfalls, the rest on equipment;
//! - `targeted`: schools are funded in order of their worst capital indicator
//!   (value ÷ threshold, lowest first) until the budget runs out; what is left
//!   is then spread equally per student.
//!
//! A shortfall is measured against 110% of the threshold, so a funded school
//! keeps some headroom as its enrollment moves. A school that needs more
//! classes than it has classrooms also lacks teaching floor area: one
//! classroom per `teaching_m2_per_classroom`. New teaching floor area adds
//! classrooms when it is built.

use std::ops::ControlFlow;

use serde::Serialize;

use super::district::Districts;
use super::rounding;
use super::{Model, State};
use crate::metrics::{Indicator, Standards};
use crate::roster::{Level, School};
use crate::scenario::CapitalAllocation;

const HEADROOM: f64 = 1.10;

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub(crate) struct Spend {
    pub operating: f64,
    pub grants: f64,
    pub capital: f64,
    pub envelope: f64,
}

impl Spend {
    pub fn total(&self) -> f64 {
        self.operating + self.grants + self.capital
    }
}

/// Per-student funding of `level` in `year`, grown from the base year.
pub(super) fn per_student(model: &Model, level: Level, year: i32) -> f64 {
    let f = &model.scenario.funding;
    let base = match level {
        Level::Primary => f.per_student_primary_yuan.value,
        Level::Junior => f.per_student_junior_yuan.value,
    };
    let mut v = base;
    for _ in model.scenario.scenario.base_year..year {
        v *= 1.0 + f.per_student_growth.value;
    }
    v
}

/// Funded pupils: the actual pupils, plus, for a school below the minimum,
/// the missing pupils up to it for the 公用经费 share of per-pupil funding
/// only (国发〔2015〕67号: 不足100人的学校按100人核定公用经费). A school of 40
/// with the floor at 100 and a share of 0.25 is funded for 40 + 0.25 × 60 = 55.
/// `p` is the row's enrollment ([`School::enrollment`]).
pub(super) fn funded_students_at(model: &Model, p: f64) -> f64 {
    let f = &model.scenario.funding;
    p + f.public_funds_share.value * (f.min_funded_students.value - p).max(0.0)
}

/// Yuan needed to bring each capital asset up to the headroom target:
/// (teaching m², sports m², equipment yuan, multimedia rooms), in yuan.
/// Classes a school needs this year: each grade split at the class-size cap.
/// Inlined: the funding step takes it for every row every year.
#[inline]
pub(super) fn classes_needed(standards: &Standards, s: &School) -> f64 {
    let cap = standards.level(s.level).class_size_cap.value;
    s.students[s.level.grades()].iter().map(|&x| rounding::ceil(x / cap)).sum()
}

/// `p` is the row's enrollment.
fn shortfalls(model: &Model, s: &School, p: f64, classrooms: f64, classes_needed: f64, pending: (f64, f64)) -> [f64; 4] {
    let f = &model.scenario.funding;
    let l = model.scenario.standards.level(s.level);
    let gap = |need: f64, have: f64| (need * HEADROOM - have).max(0.0);
    let per_room = f.teaching_m2_per_classroom.value;
    let classroom_gap = ((classes_needed - classrooms) * per_room - pending.0).max(0.0);
    let teaching_gap = gap(l.threshold(Indicator::TeachingSpaceM2PerStudent) * p, s.teaching_space_m2 + pending.0);
    [
        teaching_gap.max(classroom_gap) * f.cost_per_m2_teaching_yuan.value,
        gap(l.threshold(Indicator::SportsSpaceM2PerStudent) * p, s.sports_space_m2 + pending.1) * f.cost_per_m2_sports_yuan.value,
        gap(l.threshold(Indicator::EquipmentYuanPerStudent) * p, s.equipment_yuan),
        gap(l.threshold(Indicator::MultimediaRoomsPer100) * p / 100.0, s.multimedia_rooms) * f.cost_per_multimedia_room_yuan.value,
    ]
}

/// The lowest value ÷ threshold over the four capital indicators, and
/// classrooms ÷ classes needed; `p` is the row's enrollment.
fn worst_capital_ratio(model: &Model, s: &School, p: f64, classrooms: f64, needed: f64) -> f64 {
    let l = model.scenario.standards.level(s.level);
    let rooms = if needed > 0.0 { classrooms / needed } else { f64::INFINITY };
    [
        Indicator::TeachingSpaceM2PerStudent,
        Indicator::SportsSpaceM2PerStudent,
        Indicator::EquipmentYuanPerStudent,
        Indicator::MultimediaRoomsPer100,
    ]
    .iter()
    .filter_map(|&i| i.value_at(s, p).map(|v| v / l.threshold(i)))
    .fold(rooms, f64::min)
}

/// The year's funding step; `districts` may claim part of the capital budget first.
pub(super) fn step(model: &Model, state: &mut State, year: i32, districts: &Districts) {
    let f = &model.scenario.funding;
    let base = model.scenario.scenario.base_year;

    if year > base {
        for s in state.schools.iter_mut() {
            s.equipment_yuan *= 1.0 - f.equipment_depreciation_rate.value;
        }
    }
    // Building finished this year.
    let per_room = f.teaching_m2_per_classroom.value;
    state.pipeline.retain(|&(arrival, i, teaching, sports)| {
        if arrival <= year {
            state.schools[i].teaching_space_m2 += teaching;
            state.schools[i].sports_space_m2 += sports;
            state.classrooms[i] += teaching / per_room;
            false
        } else {
            true
        }
    });

    for (c, s) in state.classes_needed.iter_mut().zip(&state.schools) {
        *c = classes_needed(&model.scenario.standards, s);
    }
    let per_student_yuan = Level::ALL.map(|l| per_student(model, l, year));
    // Closed rows are funded no more.
    let open = |&(i, _): &(usize, &School)| state.open_rows.is_open(i);
    // Each row's enrollment, summed once: spending changes no pupils. The
    // step's lists are kept in the state between years (`Scratch`).
    let mut scratch = std::mem::take(&mut state.funding_scratch);
    let pupils = &mut scratch.pupils;
    pupils.clear();
    pupils.extend(state.schools.iter().map(School::enrollment));
    let operating: f64 = state
        .schools
        .iter()
        .enumerate()
        .filter(open)
        .map(|(i, s)| per_student_yuan[s.level as usize] * funded_students_at(model, pupils[i]))
        .sum();
    let project_schools = state.programme.active_projects() as f64;
    let strong_schools = state.schools.iter().enumerate().filter(open).filter(|(_, s)| s.strong_school).count() as f64;
    // A district module paying its own grant may have set this one to zero
    // (`CoreRules`), so a strong school is not granted twice.
    let grants = project_schools * f.grant_per_project_school_yuan.value
        + strong_schools * model.rules.strong_school_grant_yuan
        + state.rotation.rotated * f.grant_per_rotated_teacher_yuan.value;

    let budget = f.capital_budget_yuan.at(year).unwrap_or(0.0);
    // District modules' claims come first out of the capital budget.
    let claimed = districts.capital_claim(model, year).map_or(0.0, |c| c.min(budget));
    let capital = allocate_capital(model, state, year, budget - claimed, &mut scratch) + claimed;
    state.funding_scratch = scratch;

    state.spend = Spend { operating, grants, capital, envelope: f.budget_envelope_yuan.at(year).unwrap_or(0.0) };
}

/// The funding step's lists, kept in the run's state so that a run
/// allocates them once, not every year.
#[derive(Debug, Clone, Default)]
pub(super) struct Scratch {
    /// Each row's enrollment this year.
    pupils: Vec<f64>,
    pending: Vec<(f64, f64)>,
    needs: Vec<[f64; 4]>,
    grant: Vec<f64>,
    /// The targeted capital order: each row's key, then the row, in one integer.
    order: Vec<u128>,
}

/// Spends `budget` and returns what was spent; `scratch.pupils` holds each row's enrollment.
fn allocate_capital(model: &Model, state: &mut State, year: i32, budget: f64, scratch: &mut Scratch) -> f64 {
    if budget <= 0.0 {
        return 0.0;
    }
    let n = state.schools.len();
    let Scratch { pupils, pending, needs, grant, order } = scratch;
    pending.clear();
    pending.resize(n, (0.0, 0.0));
    for &(_, i, t, s) in &state.pipeline {
        pending[i].0 += t;
        pending[i].1 += s;
    }
    let classes = &state.classes_needed;
    needs.clear();
    needs.extend((0..n).map(|i| shortfalls(model, &state.schools[i], pupils[i], state.classrooms[i], classes[i], pending[i])));
    grant.clear();
    grant.resize(n, 0.0);
    let mut left = budget;

    if model.scenario.funding.capital_allocation == CapitalAllocation::Targeted {
        // Worst ratio first, ties by row: sorted as integers, each the
        // ratio's key (`f64::total_cmp`'s order) above the row (so unique).
        // A row that wants nothing is granted nothing and leaves the budget
        // as it is wherever it comes in the order, so only the others are
        // ranked.
        order.clear();
        order.extend((0..n).filter(|&i| needs[i].iter().sum::<f64>() != 0.0).map(|i| {
            let ratio = worst_capital_ratio(model, &state.schools[i], pupils[i], state.classrooms[i], classes[i]);
            u128::from(crate::sort::total_order_key(ratio)) << 64 | i as u128
        }));
        crate::sort::visit_in_order(order, |key| {
            let i = key as u64 as usize;
            let want: f64 = needs[i].iter().sum();
            let g = want.min(left);
            grant[i] += g;
            left -= g;
            if left <= 0.0 {
                ControlFlow::Break(())
            } else {
                ControlFlow::Continue(())
            }
        });
    }
    // Equal per student: everything (or what targeting left over).
    let students: f64 = pupils.iter().sum();
    if left > 0.0 && students > 0.0 {
        for (i, p) in pupils.iter().enumerate() {
            grant[i] += left * p / students;
        }
    }

    let delay = build_delay(model);
    for (i, &g) in grant.iter().enumerate() {
        spend_with_delay(model, state, year, i, g, needs[i], delay);
    }
    budget
}

/// The build delay in whole years.
fn build_delay(model: &Model) -> i32 {
    model.scenario.funding.build_delay_years.value.round() as i32
}

/// Spends `g` yuan at row `i` on its shortfalls `needs` (yuan for teaching
/// floor area, sports area, equipment, multimedia rooms) pro rata, the rest on
/// equipment. Floor and sports area join the build pipeline unless the delay
/// is zero. Shared by the capital budget and ring-fenced grants.
pub(super) fn spend_at(model: &Model, state: &mut State, year: i32, i: usize, g: f64, needs: [f64; 4]) {
    spend_with_delay(model, state, year, i, g, needs, build_delay(model));
}

/// [`spend_at`] with the build delay (`build_delay`) worked out by the caller.
/// Always inlined: the capital budget spends at every row every year, and
/// as a call (which the compiler keeps) its overhead was a third of its cost.
#[inline(always)]
fn spend_with_delay(model: &Model, state: &mut State, year: i32, i: usize, g: f64, needs: [f64; 4], delay: i32) {
    if g <= 0.0 {
        return;
    }
    let f = &model.scenario.funding;
    let need: f64 = needs.iter().sum();
    let share = if need > 0.0 { (g / need).min(1.0) } else { 0.0 };
    let [t, sp, eq, mm] = needs.map(|x| x * share);
    let rest = g - (t + sp + eq + mm);
    let teaching_m2 = t / f.cost_per_m2_teaching_yuan.value;
    let sports_m2 = sp / f.cost_per_m2_sports_yuan.value;
    let s = &mut state.schools[i];
    s.equipment_yuan += eq + rest.max(0.0);
    s.multimedia_rooms += mm / f.cost_per_multimedia_room_yuan.value;
    if delay == 0 {
        s.teaching_space_m2 += teaching_m2;
        s.sports_space_m2 += sports_m2;
        state.classrooms[i] += teaching_m2 / f.teaching_m2_per_classroom.value;
    } else if teaching_m2 > 0.0 || sports_m2 > 0.0 {
        state.pipeline.push((year + delay, i, teaching_m2, sports_m2));
    }
}
