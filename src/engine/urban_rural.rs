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
//! The per-indicator failing counts `failing.<level>.<indicator>` (rows with
//! students below that indicator's threshold) are recorded in every scenario.

use serde::Serialize;

use super::funding::{classes_needed, funded_students, per_student};
use super::teachers::need;
use super::{Model, State, Trajectory};
use crate::metrics::{Indicator, PerIndicator, Standards};
use crate::roster::{Level, School};
use crate::scenario::StaffingBasis;

/// How many series this module records.
pub(super) const SERIES_LEN: usize = 8;

/// The names of this module's series: the `// Baoshan (seed 002)` block of
/// the recorder's key list, in order.
pub(super) fn series_names() -> &'static [&'static str] {
    super::record::fixed_block("cost_to_standard_yuan", SERIES_LEN)
}

/// One directed senior teacher flow, to be returned when its term ends.
#[derive(Debug, Clone, PartialEq)]
struct Loan {
    due: i32,
    from: usize,
    to: usize,
    amount: f64,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub(super) struct UrbanRuralState {
    loans: Vec<Loan>,
    directed: f64,
    returned: f64,
}

/// Teacher need under the configured basis; `ratio_need` (students ÷
/// students per teacher) when no basis is configured.
pub(super) fn staffing_need(model: &Model, s: &School, ratio_need: f64) -> f64 {
    let Some(st) = model.scenario.urban_rural.as_ref().and_then(|u| u.staffing.as_ref()) else {
        return ratio_need;
    };
    let per_class = || classes_needed(&model.scenario.standards, s) * st.staff_per_class(s.level);
    match st.basis {
        StaffingBasis::Ratio => ratio_need,
        StaffingBasis::PerClass => per_class(),
        StaffingBasis::GreaterOf => ratio_need.max(per_class()),
    }
}

/// Whether a row meets the senior-title minimum: the same test as the
/// `schools_below_senior_standard` series.
pub(super) fn senior_ok(st: &Standards, s: &School) -> bool {
    match s.level {
        Level::Primary => s.senior_teachers + 1e-9 >= st.primary_min_senior_teachers.value,
        Level::Junior => s.teachers <= 0.0 || s.senior_teachers / s.teachers + 1e-9 >= st.junior_min_senior_share.value,
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
pub(super) fn step(model: &Model, state: &mut State, year: i32) {
    let Some(p) = model.scenario.urban_rural.as_ref().and_then(|u| u.senior_title.as_ref()) else { return };
    let st = &model.scenario.standards;
    let t = &model.scenario.teachers;
    let rows = &mut state.schools;
    let ur = &mut state.urban_rural;
    let merging = &state.merging;
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
            if !merging.is_open(*end) {
                *end = merging.final_receiver(*end);
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
        recipients.sort_by(|a, b| a.1.total_cmp(&b.1).then(a.0.cmp(&b.0)));
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

/// This year's values of [`series_names`], and the failing counts in
/// `failing.<level>.<indicator>` order (levels, then indicators).
/// `met_by_row` holds, for each open row, which indicators it meets (from
/// the recorder's assessment of the same year).
pub(super) fn series(model: &Model, state: &State, year: i32, met_by_row: &[Option<PerIndicator<bool>>]) -> ([f64; SERIES_LEN], [f64; 14]) {
    let st = &model.scenario.standards;
    let costing = model.scenario.urban_rural.as_ref().and_then(|u| u.costing.as_ref());
    let per_student_yuan = Level::ALL.map(|l| per_student(model, l, year));
    // Floor and sports area paid for but not built: only the costing needs it.
    let mut pending = vec![(0.0, 0.0); if costing.is_some() { state.schools.len() } else { 0 }];
    if costing.is_some() {
        for &(_, i, t, s) in &state.pipeline {
            pending[i].0 += t;
            pending[i].1 += s;
        }
    }

    let (mut teacher_gap, mut funding_gap, mut capital_gap) = (0.0, 0.0, 0.0);
    let (mut below_staffing, mut below_unified) = (0.0, 0.0);
    let mut failing = [0.0; 14];
    for (i, s) in state.schools.iter().enumerate() {
        let p = s.enrollment();
        let n = need(model, s);
        teacher_gap += (n - s.teachers).max(0.0);
        if p <= 0.0 {
            continue;
        }
        let l = st.level(s.level);
        let Some(met) = &met_by_row[i] else { continue };
        for (k, met) in met.iter().enumerate() {
            if !met {
                failing[s.level as usize * 7 + k] += 1.0;
            }
        }
        let short_staffed = s.teachers + 1e-6 < n;
        below_staffing += f64::from(u8::from(short_staffed));
        let funded = per_student_yuan[s.level as usize] * funded_students(model, s) / p.max(1.0);
        funding_gap += (l.per_student_funding_yuan.value - funded).max(0.0) * p;
        let over_cap = state.classes_needed[i] > state.classrooms[i].floor();
        let below = !met.iter().all(|m| *m) || short_staffed || !senior_ok(st, s) || funded + 1e-6 < l.per_student_funding_yuan.value || over_cap;
        below_unified += f64::from(u8::from(below));
        if costing.is_some() {
            capital_gap += capital_to_threshold(model, s, state.classrooms[i], state.classes_needed[i], pending[i]);
        }
    }
    let teacher_cost = costing.map_or(0.0, |c| c.teacher_cost_yuan_per_year.value);
    let (teachers, funding, capital) = match costing {
        Some(_) => (teacher_gap * teacher_cost, funding_gap, capital_gap),
        None => (0.0, 0.0, 0.0),
    };
    let ur = &state.urban_rural;
    (
        [teachers + funding + capital, teachers, funding, capital, below_staffing, below_unified, ur.directed, ur.returned],
        failing,
    )
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

/// One row's record on one indicator: the years it was below the threshold
/// and the year from which it meets it to the end of the horizon.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IndicatorClearance {
    pub school_id: String,
    pub name: String,
    pub level: Level,
    pub indicator: Indicator,
    pub failing_years: Vec<i32>,
    /// `None` when the row still fails in the last year, or closed (merged
    /// away, seed 004) before it met the threshold.
    pub passes_from: Option<i32>,
    /// The year the row closed by merging, if it did.
    pub closed_from: Option<i32>,
}

/// Which rows fail which indicator, and when they pass: every (row,
/// indicator) below the threshold in some year of `t` (a run that kept its
/// schools), in roster order, then indicator order.
pub fn indicator_clearance(model: &Model, t: &Trajectory) -> Vec<IndicatorClearance> {
    let st = &model.scenario.standards;
    let mut out = Vec::new();
    for s in &t.schools {
        let l = st.level(s.level);
        for (k, i) in Indicator::ALL.into_iter().enumerate() {
            let fails = |y: &super::SchoolYear| y.students > 0.0 && y.indicators[k].is_some_and(|v| v < l.threshold(i));
            let failing_years: Vec<i32> = s.years.iter().filter(|y| fails(y)).map(|y| y.year).collect();
            let Some(&last) = failing_years.last() else { continue };
            let closed_from = s.years.iter().find(|y| !y.open).map(|y| y.year);
            // Passing means meeting the threshold while open, not closing.
            let passes_from = s.years.iter().filter(|y| y.open).map(|y| y.year).find(|y| *y > last);
            out.push(IndicatorClearance {
                school_id: s.school_id.clone(),
                name: s.name.clone(),
                level: s.level,
                indicator: i,
                failing_years,
                passes_from,
                closed_from,
            });
        }
    }
    out
}

#[cfg(test)]
mod tests;
