//! The science-teacher minimum (seed 004 `004_816103a023935f01.txt` §7
//! 每所学校至少落实2名专(兼)职科学教师(小规模学校1名)), run after the teachers
//! step each year when the scenario has a `[science_teachers]` section:
//! every open school needs `min_per_school` science teachers, a school under
//! `small_school_students` pupils `min_small_school`. Shortages are filled
//! first from the level's district reserve (surplus teachers assigned as
//! science teachers, as 专(兼)职 allows), then by hiring science teachers
//! within what is left of the year's hiring cap.

use super::District;
use crate::engine::record::Sheet;
use crate::engine::{teachers, Draws, Model, State};
use crate::roster::Level;

/// The science-teacher minimum (no state of its own).
#[derive(Debug, Clone, Copy)]
pub(super) struct ScienceTeachers;

impl District for ScienceTeachers {
    fn start(_model: &Model) -> ScienceTeachers {
        ScienceTeachers
    }

    fn after_teachers(&mut self, model: &Model, state: &mut State, _year: i32, _draws: &mut Draws) {
        step(model, state);
    }

    fn record(&self, model: &Model, state: &State, _year: i32, sheet: &mut Sheet) {
        sheet.put(key!("schools_below_science_minimum"), below_minimum(model, state));
    }
}

/// Fills the year's shortages; nothing without `[science_teachers]`.
fn step(model: &Model, state: &mut State) {
    let Some(p) = &model.scenario.science_teachers else { return };
    let t = &model.scenario.teachers;
    let gaps_of = |state: &State, level: Level| -> Vec<f64> {
        state
            .schools
            .iter()
            .enumerate()
            .map(|(i, s)| {
                let open = state.open_rows.is_open(i) && s.enrollment() > 0.0;
                if open && s.level == level {
                    (p.minimum(s.enrollment()) - s.science_teachers).max(0.0)
                } else {
                    0.0
                }
            })
            .collect()
    };

    for level in Level::ALL {
        let gaps = gaps_of(state, level);
        if gaps.iter().sum::<f64>() <= 0.0 {
            continue;
        }
        let before: Vec<(f64, f64)> = state.schools.iter().map(|s| (s.teachers, s.science_teachers)).collect();
        teachers::fill_from_reserve(&mut state.reserve[level as usize], &mut state.schools, &gaps);
        // Everyone sent is a science teacher now, whatever they taught before.
        for (s, (heads, science)) in state.schools.iter_mut().zip(before) {
            let sent = s.teachers - heads;
            if sent > 0.0 {
                s.science_teachers = (science + sent).min(s.teachers);
            }
        }
    }

    // Hiring for what the reserves could not fill, within the year's cap.
    let gaps: Vec<f64> = {
        let (p, j) = (gaps_of(state, Level::Primary), gaps_of(state, Level::Junior));
        p.iter().zip(&j).map(|(a, b)| a + b).collect()
    };
    let total: f64 = gaps.iter().sum();
    let hires = total.min((t.max_hires_per_year.value - state.hires).max(0.0));
    if hires <= 0.0 {
        return;
    }
    for (s, gap) in state.schools.iter_mut().zip(&gaps) {
        let h = gap * hires / total;
        s.teachers += h;
        s.science_teachers += h;
        s.qualified_teachers += h * t.new_hire_qualified_share.value;
    }
    state.hires += hires;
}

/// Open schools with fewer science teachers than their minimum; zero
/// without a `[science_teachers]` section.
fn below_minimum(model: &Model, state: &State) -> f64 {
    let Some(p) = &model.scenario.science_teachers else { return 0.0 };
    state
        .schools
        .iter()
        .enumerate()
        .filter(|&(i, s)| state.open_rows.is_open(i) && s.enrollment() > 0.0 && s.science_teachers + 1e-9 < p.minimum(s.enrollment()))
        .count() as f64
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::tests::tiny_scenario;
    use crate::params::Sourced;
    use crate::scenario::ScienceParams;

    /// The tiny district with the seed-004 minimum (2, or 1 under 100 pupils);
    /// P2 is made a 50-pupil school. Nobody has a science teacher yet.
    fn model(max_hires: f64) -> Model {
        let (mut s, mut r) = tiny_scenario();
        s.science_teachers = Some(ScienceParams {
            min_per_school: Sourced::cited(2.0, "004 §7"),
            min_small_school: Sourced::cited(1.0, "004 §7"),
            small_school_students: Sourced::assumed(100.0, "test"),
        });
        s.teachers.max_hires_per_year.value = max_hires;
        r.schools[1].students = [10.0, 10.0, 10.0, 10.0, 10.0, 0.0, 0.0, 0.0, 0.0];
        s.roster.schools = Some(r.schools.clone());
        Model::new(s, r).expect("valid")
    }

    #[test]
    fn the_minimum_is_two_and_one_in_small_schools() {
        let p = model(0.0).scenario.science_teachers.clone().unwrap();
        assert_eq!((p.minimum(500.0), p.minimum(100.0), p.minimum(99.0), p.minimum(50.0)), (2.0, 2.0, 1.0, 1.0));
    }

    #[test]
    fn shortages_are_filled_from_the_reserve_then_by_hiring() {
        let m = model(3.75);
        let mut state = State::new(&m);
        assert_eq!(below_minimum(&m, &state), 5.0);
        // 1.5 primary teachers in reserve; no junior reserve.
        state.reserve[Level::Primary as usize].teachers = 1.5;
        let heads: Vec<f64> = state.schools.iter().map(|s| s.teachers).collect();
        step(&m, &mut state);
        // Primary gaps P1 2, P2 1 (small), N1 2: the reserve's 1.5 go pro rata
        // (0.6, 0.3, 0.6). Left: 1.4 + 0.7 + 1.4 primary, 2 + 2 junior = 7.5,
        // half of which (3.75) the cap allows.
        let want = [0.6 + 0.7, 0.3 + 0.35, 1.0, 0.6 + 0.7, 1.0];
        for (k, s) in state.schools.iter().enumerate() {
            assert!((s.science_teachers - want[k]).abs() < 1e-12, "row {k}: {}", s.science_teachers);
            assert!((s.teachers - heads[k] - want[k]).abs() < 1e-12, "every science teacher is an extra head");
        }
        assert_eq!(state.reserve[Level::Primary as usize].teachers, 0.0);
        assert_eq!(state.hires, 3.75);
        assert_eq!(below_minimum(&m, &state), 5.0);
    }

    #[test]
    fn without_a_cap_every_school_reaches_its_minimum() {
        let m = model(1000.0);
        let mut state = State::new(&m);
        step(&m, &mut state);
        let science: Vec<f64> = state.schools.iter().map(|s| s.science_teachers).collect();
        assert_eq!(science, vec![2.0, 1.0, 2.0, 2.0, 2.0], "P2 (50 pupils) needs only one");
        assert_eq!(below_minimum(&m, &state), 0.0);
        assert_eq!(state.hires, 9.0);
        // Schools already at the minimum get nobody.
        let before = state.schools.clone();
        step(&m, &mut state);
        assert_eq!(state.schools, before);
    }

    #[test]
    fn off_without_the_section() {
        let (s, r) = tiny_scenario();
        let m = Model::new(s, r).unwrap();
        let mut state = State::new(&m);
        let before = state.schools.clone();
        step(&m, &mut state);
        assert_eq!(state.schools, before);
        assert_eq!(below_minimum(&m, &state), 0.0);
    }
}
