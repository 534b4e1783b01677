//! Merging schools that are too small (撤并规模过小的学校(校区), seed 004
//! `004_816103a023935f01.txt` §28), run right after enrollment each year when
//! the scenario has a `[merging]` section:
//!
//! 1. Pupils who arrived at a closed row (new housing) go on to its receiver.
//! 2. Each open row's count of consecutive years below its level's minimum
//!    is updated (the base year counts as the first); a new school
//!    (`[[new_schools]]`) counts only once it has every grade of its level.
//! 3. From `from_year`, rows at or past `consecutive_years` close, smallest
//!    first, at most `max_per_year` a year. The receiver is a school of the
//!    same level not itself below the minimum and with room (seats, when the
//!    capacity is known, and classrooms for every grade at the class-size
//!    cap): the largest such school of the same 学区/town group, else the one
//!    nearest in size to the closing row (ties: roster order). Without a
//!    receiver the row stays open and is tried again next year.
//! 4. A merge moves the closing row's pupils (every grade), teachers (every
//!    kind) and its equipment and multimedia rooms to the receiver; floor
//!    area, sports grounds and seats stay with the closed campus. The closed
//!    row's future grade-1 intake (catchment share) goes to the receiver;
//!    a closed primary's feeds join the receiver's, weighted by enrollment;
//!    feeds into a closed junior row go to its receiver. A nine-year school
//!    merges per level (each row on its own). A school whose rows are all
//!    closed leaves the new-quality list.
//!
//! A closed row stays in the trajectory with zero pupils and teachers
//! (`SchoolYear::open == false`) and is left out of every district metric:
//! the module closes it in the run's `OpenRows`, which every step respects,
//! and keeps the changed intake links in the run's `Intake`.

use super::District;
use crate::engine::record::Sheet;
use crate::engine::rows::{add_feeds, Intake};
use crate::engine::{funding, Draws, Model, State};
use crate::roster::{Level, GRADES};

/// The merging module's state in a run.
#[derive(Debug, Clone, Default)]
pub(super) struct Merging {
    /// Consecutive years each open row has been below its level's minimum
    /// (empty without `[merging]`).
    low_years: Vec<u32>,
    /// (year, closed row, receiving row), in order.
    pub merges: Vec<(i32, usize, usize)>,
}

impl District for Merging {
    fn start(model: &Model) -> Merging {
        let Some(p) = &model.scenario.merging else { return Merging::default() };
        let rows = &model.roster.schools;
        // A new school (closed until it opens) starts its count when it has every grade.
        let low = |i: usize, s: &crate::roster::School| u32::from(s.enrollment() < p.min_students(s.level) && !model.links.is_new_school(i));
        Merging { low_years: rows.iter().enumerate().map(|(i, s)| low(i, s)).collect(), merges: Vec::new() }
    }

    fn after_enrollment(&mut self, model: &Model, state: &mut State, year: i32, _draws: &mut Draws) {
        self.step(model, state, year);
    }

    /// Open schools by level and merges so far.
    fn record(&self, model: &Model, state: &State, _year: i32, sheet: &mut Sheet) {
        // Counted over each level's rows (`Links::by_level`), no row's level read.
        let open = |level: Level| model.links.by_level[level as usize].iter().filter(|&&i| state.open_rows.is_open(i)).count() as f64;
        sheet.put(key!("schools_open_primary"), open(Level::Primary));
        sheet.put(key!("schools_open_junior"), open(Level::Junior));
        sheet.put(key!("merges"), self.merges.len() as f64);
    }
}

impl Merging {
    /// The year's merges (steps 1–3 of the module rule); nothing without `[merging]`.
    fn step(&mut self, model: &Model, state: &mut State, year: i32) {
        let Some(p) = &model.scenario.merging else { return };
        let n = state.schools.len();

        for c in 0..n {
            if !state.open_rows.is_open(c) && state.schools[c].enrollment() > 0.0 {
                let r = state.open_rows.final_receiver(c);
                let students = std::mem::replace(&mut state.schools[c].students, [0.0; GRADES]);
                for (g, x) in students.iter().enumerate() {
                    state.schools[r].students[g] += x;
                }
            }
        }
        for i in 0..n {
            // A new school filling up grade by grade is not too small.
            if state.open_rows.is_open(i) && !crate::engine::seats::filling_up(model, i, year) {
                let s = &state.schools[i];
                let low = &mut self.low_years[i];
                *low = if s.enrollment() < p.min_students(s.level) { *low + 1 } else { 0 };
            }
        }
        if year < p.from_year.value {
            return;
        }

        let need = p.consecutive_years.value.round() as u32;
        let mut due: Vec<usize> = (0..n).filter(|&i| state.open_rows.is_open(i) && self.low_years[i] >= need).collect();
        crate::sort::sort_by(&mut due, |&a, &b| state.schools[a].enrollment().total_cmp(&state.schools[b].enrollment()).then(a.cmp(&b)));
        let max = p.max_per_year.value.round() as usize;
        let mut done = 0;
        for c in due {
            if done >= max {
                break;
            }
            if let Some(r) = receiver_for(model, state, c) {
                self.merge(model, state, c, r, year);
                done += 1;
            }
        }
    }

    /// Moves row `c` into row `r` in `year`.
    pub(super) fn merge(&mut self, model: &Model, state: &mut State, c: usize, r: usize, year: i32) {
        let level = state.schools[c].level;
        let (pr, pc) = (state.schools[r].enrollment(), state.schools[c].enrollment());
        let from = std::mem::replace(&mut state.schools[c], crate::roster::School::blank("", "", level));
        // The closed row keeps its place and buildings; nothing else (its
        // identity is the roster's).
        {
            let closed = &mut state.schools[c];
            closed.area = from.area;
            closed.teaching_space_m2 = from.teaching_space_m2;
            closed.sports_space_m2 = from.sports_space_m2;
            closed.new_quality = from.new_quality;
            closed.strong_school = from.strong_school;
        }
        let to = &mut state.schools[r];
        for g in 0..GRADES {
            to.students[g] += from.students[g];
        }
        to.teachers += from.teachers;
        to.qualified_teachers += from.qualified_teachers;
        to.backbone_teachers += from.backbone_teachers;
        to.pe_art_teachers += from.pe_art_teachers;
        to.senior_teachers += from.senior_teachers;
        to.science_teachers += from.science_teachers;
        to.equipment_yuan += from.equipment_yuan;
        to.multimedia_rooms += from.multimedia_rooms;

        state.open_rows.close(c, r);
        self.low_years[c] = 0;
        self.merges.push((year, c, r));
        // The first merge copies the model's intake links; later ones change the copy.
        let intake = state.intake.get_or_insert_with(|| Intake::of(&model.links));
        let share = &mut intake.catchment_share;
        share[r] += share[c];
        share[c] = 0.0;
        let feeds = &mut intake.feeds;
        match level {
            Level::Primary => {
                let (a, b) = if pr + pc > 0.0 { (pr / (pr + pc), pc / (pr + pc)) } else { (1.0, 0.0) };
                let theirs = feeds.of_row(c);
                feeds.set_row(c, Vec::new());
                let mut combined: Vec<(usize, f64)> = feeds.of_row(r).into_iter().map(|(j, w)| (j, w * a)).collect();
                add_feeds(&mut combined, theirs.into_iter().map(|(j, w)| (j, w * b)));
                feeds.set_row(r, combined);
            }
            Level::Junior => {
                for f in feeds.lists_mut() {
                    if f.iter().any(|&(j, _)| j == c) {
                        let old = std::mem::take(f);
                        add_feeds(f, old.into_iter().map(|(j, w)| (if j == c { r } else { j }, w)));
                    }
                }
            }
        }
        if let Some(unit) = model.links.units.iter().position(|u| u.contains(&c)) {
            if model.links.units[unit].iter().all(|&i| !state.open_rows.is_open(i)) {
                state.programme.close(unit);
            }
        }
    }
}

/// Whether row `r` can take row `c`'s pupils: seats (when known) and
/// classrooms for every grade at the class-size cap.
fn fits(model: &Model, state: &State, r: usize, c: usize) -> bool {
    let (sr, sc) = (&state.schools[r], &state.schools[c]);
    let pupils = sr.enrollment() + sc.enrollment();
    let seats_ok = sr.capacity <= 0.0 || pupils <= sr.capacity + 1e-9;
    let mut merged = sr.clone();
    for g in 0..GRADES {
        merged.students[g] += sc.students[g];
    }
    seats_ok && funding::classes_needed(&model.scenario.standards, &merged) <= state.classrooms[r].floor()
}

/// The receiving row for closing row `c` (see the module rule), if any fits.
fn receiver_for(model: &Model, state: &State, c: usize) -> Option<usize> {
    let p = model.scenario.merging.as_ref()?;
    let rows = &state.schools;
    let level = rows[c].level;
    let size = rows[c].enrollment();
    let candidates: Vec<usize> = (0..rows.len())
        .filter(|&i| i != c && state.open_rows.is_open(i) && rows[i].level == level && rows[i].enrollment() >= p.min_students(level))
        .collect();
    // The run's rows carry no names (see `numbers_of`): the 学区 is the roster's.
    let group_of = |i: usize| &model.roster.schools[i].district_group;
    let group = group_of(c);
    let mut same: Vec<usize> = candidates.iter().copied().filter(|&i| !group.is_empty() && group_of(i) == group).collect();
    crate::sort::sort_by(&mut same, |&a, &b| rows[b].enrollment().total_cmp(&rows[a].enrollment()).then(a.cmp(&b)));
    if let Some(r) = same.into_iter().find(|&r| fits(model, state, r, c)) {
        return Some(r);
    }
    let mut rest = candidates;
    crate::sort::sort_by(&mut rest, |&a, &b| (rows[a].enrollment() - size).abs().total_cmp(&(rows[b].enrollment() - size).abs()).then(a.cmp(&b)));
    rest.into_iter().find(|&r| fits(model, state, r, c))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::district::Districts;
    use crate::engine::record;
    use crate::engine::tests::tiny_scenario;
    use crate::metrics::{assess_school, level_cvs};
    use crate::params::Sourced;
    use crate::scenario::{MergingParams, Scenario};

    fn params(min_primary: f64, years: f64, max: f64) -> MergingParams {
        crate::scenario::test_merging(min_primary, 0.0, years, max)
    }

    /// The tiny district (P1 500 pupils, P2 300, J1 600, nine-year N1 400 + 280,
    /// all in group G1) with merging on, seats unknown and room for 30 classes at P1.
    fn model(p: MergingParams, f: impl FnOnce(&mut Scenario, &mut crate::roster::Roster)) -> Model {
        let (mut s, mut r) = tiny_scenario();
        s.merging = Some(p);
        for sc in r.schools.iter_mut() {
            sc.capacity = 0.0;
        }
        r.schools[0].classes = 30.0;
        f(&mut s, &mut r);
        s.roster.schools = Some(r.schools.clone());
        Model::new(s, r).expect("valid")
    }

    #[test]
    fn merges_carry_the_shared_spread_of_primaries_without_feeds() {
        // P1 and P2 feed no school: both spread over J1 (row 2) and N1's
        // junior part (row 4) by grade 6, 150 : 70.
        let m = model(params(350.0, 1.0, 1.0), |_, r| {
            r.schools[0].feeds.clear();
            r.schools[1].feeds.clear();
        });
        let mut state = State::new(&m);
        let mut merging = Merging::start(&m);
        // P2 into P1: P1 gets a list of its own, the same spread (a + b = 1).
        merging.merge(&m, &mut state, 1, 0, 2025);
        let feeds = &state.intake.as_ref().expect("a merge copies the links").feeds;
        assert!(!feeds.spreads[0] && !feeds.spreads[1] && feeds.rows[1].is_empty());
        assert_eq!(feeds.rows[0].iter().map(|f| f.0).collect::<Vec<_>>(), [2, 4]);
        assert!((feeds.rows[0][0].1 - 150.0 / 220.0).abs() < 1e-12 && (feeds.rows[0][1].1 - 70.0 / 220.0).abs() < 1e-12);
        // J1 into N1's junior part: every list naming J1, the spread too, now names N1 once.
        merging.merge(&m, &mut state, 2, 4, 2026);
        let feeds = &state.intake.as_ref().expect("links").feeds;
        assert_eq!(feeds.rows[0].len(), 1);
        assert_eq!(feeds.rows[0][0].0, 4);
        assert!((feeds.rows[0][0].1 - 1.0).abs() < 1e-12);
        assert_eq!(feeds.spread.len(), 1);
        assert_eq!(feeds.spread[0].0, 4);
    }

    #[test]
    fn a_merge_moves_pupils_teachers_and_equipment_to_the_receiver() {
        let m = model(params(350.0, 1.0, 1.0), |_, _| {});
        let mut state = State::new(&m);
        let (p1, p2) = (state.schools[0].clone(), state.schools[1].clone());
        // P2 (300) closes; P1 (500) and N1's primary part (400) are in G1: the largest, P1.
        assert_eq!(receiver_for(&m, &state, 1), Some(0));
        let mut merging = Merging::start(&m);
        merging.merge(&m, &mut state, 1, 0, 2025);
        let (to, closed) = (&state.schools[0], &state.schools[1]);
        assert_eq!(to.students[..5], [160.0; 5]);
        assert_eq!(to.teachers, p1.teachers + p2.teachers);
        assert_eq!(to.teachers, 500.0 / 12.0 + 300.0 / 12.0);
        assert_eq!(to.backbone_teachers, 6.0 + 0.5);
        assert_eq!(to.equipment_yuan, 800.0 * 3000.0);
        assert_eq!(to.multimedia_rooms, 800.0 * 0.03);
        // Buildings stay where they are.
        assert_eq!(to.teaching_space_m2, p1.teaching_space_m2);
        assert_eq!((closed.enrollment(), closed.teachers, closed.equipment_yuan), (0.0, 0.0, 0.0));
        assert_eq!(closed.teaching_space_m2, p2.teaching_space_m2);
        // P2's intake (60 of 240) and its feed to J1 are P1's now.
        let intake = state.intake.as_ref().expect("the merge changed the intake links");
        let share = &intake.catchment_share;
        assert!((share[0] - 160.0 / 240.0).abs() < 1e-12 && share[1] == 0.0);
        let feeds = &intake.feeds.rows;
        assert_eq!(feeds[0].len(), 1);
        assert_eq!(feeds[0][0].0, 2);
        assert!((feeds[0][0].1 - 1.0).abs() < 1e-12);
        assert!(feeds[1].is_empty());
        assert_eq!(merging.merges, vec![(2025, 1, 0)]);
        assert!(!state.open_rows.is_open(1) && state.open_rows.final_receiver(1) == 0);
    }

    #[test]
    fn the_receiver_is_the_largest_in_the_group_else_the_nearest_in_size_with_room() {
        // P2 alone in its group: the nearest in size is N1's primary part (400),
        // but its 10 classrooms cannot hold 140 pupils a grade (4 classes each).
        let m = model(params(350.0, 1.0, 1.0), |_, r| r.schools[1].district_group = "G2".into());
        let state = State::new(&m);
        assert_eq!(receiver_for(&m, &state, 1), Some(0), "next nearest with room: P1");
        let m = model(params(350.0, 1.0, 1.0), |_, r| {
            r.schools[1].district_group = "G2".into();
            r.schools[3].classes = 30.0;
        });
        assert_eq!(receiver_for(&m, &State::new(&m), 1), Some(3), "nearest in size: N1");
        // In its group, the largest (P1) is full of seats: the next largest, N1.
        let m = model(params(350.0, 1.0, 1.0), |_, r| {
            r.schools[0].capacity = 600.0;
            r.schools[3].classes = 30.0;
        });
        assert_eq!(receiver_for(&m, &State::new(&m), 1), Some(3));
        // A school itself below the minimum never receives; without room, no merge.
        let m = model(params(450.0, 1.0, 1.0), |_, r| r.schools[0].classes = 0.0);
        assert_eq!(receiver_for(&m, &State::new(&m), 1), None);
    }

    #[test]
    fn a_closed_row_is_left_out_of_cvs_and_counts() {
        let m = model(params(350.0, 1.0, 1.0), |_, _| {});
        let mut state = State::new(&m);
        let mut merging = Merging::start(&m);
        merging.merge(&m, &mut state, 1, 0, 2025);
        funding::step(&m, &mut state, 2025, &Districts::start(&m));
        let mut rec = record::Recorder::new(&m, 1, true);
        rec.record(&m, &state, &Districts::of(vec![Box::new(merging)]), 2025);
        let t = rec.finish(&m, vec![2025]);
        let open: Vec<_> = state.schools.iter().enumerate().filter(|(i, _)| *i != 1).map(|(_, s)| s.clone()).collect();
        let cvs = level_cvs(&open, Level::Primary);
        for (k, i) in crate::metrics::Indicator::ALL.iter().enumerate() {
            assert_eq!(t.value(&format!("cv.primary.{}", i.key()), 2025), Some(cvs[k].unwrap()));
        }
        let std = &m.scenario.standards;
        let failing = open.iter().filter(|s| !assess_school(s, std).passes).count() as f64;
        assert_eq!(t.value("schools_failing", 2025), Some(failing));
        let passing = open.iter().filter(|s| s.level == Level::Primary && assess_school(s, std).passes).count() as f64;
        assert_eq!(t.value("pass_share_primary", 2025), Some(passing / 2.0));
        assert_eq!(t.value("schools_open_primary", 2025), Some(2.0));
        assert_eq!(t.value("schools_open_junior", 2025), Some(2.0));
        assert_eq!(t.value("merges", 2025), Some(1.0));
        // J1 (4% senior) misses the junior share; the closed P2 (no senior teacher) is not counted.
        assert_eq!(t.value("schools_below_senior_standard", 2025), Some(1.0));
        let y = &t.schools[1].years[0];
        assert!(!y.open && y.students == 0.0 && y.teachers == 0.0 && y.indicators == [None; 7]);
        assert!(t.schools[0].years[0].open);
    }

    #[test]
    fn a_nine_year_schools_readiness_ignores_a_part_merged_away() {
        let m = model(params(350.0, 1.0, 1.0), |_, r| {
            // N1's primary part (row 3) meets no indicator; its junior part (row 4) all.
            let p = &mut r.schools[3];
            (p.teaching_space_m2, p.sports_space_m2, p.equipment_yuan, p.multimedia_rooms) = (0.0, 0.0, 0.0, 0.0);
            (p.qualified_teachers, p.backbone_teachers, p.pe_art_teachers) = (0.0, 0.0, 0.0);
        });
        let unit = m.links.units.iter().position(|u| u.contains(&3)).unwrap();
        let mut state = State::new(&m);
        let junior_only = crate::engine::programme::readiness(&m, &state, &crate::engine::programme::thresholds(&m), unit);
        let std = &m.scenario.standards;
        let junior_met = assess_school(&state.schools[4], std).met.iter().filter(|b| **b).count() as u32;
        assert_eq!(junior_only.0, 0, "the weaker part holds the school back while open");
        Merging::start(&m).merge(&m, &mut state, 3, 0, 2025);
        let after = crate::engine::programme::readiness(&m, &state, &crate::engine::programme::thresholds(&m), unit);
        assert_eq!(after.0, junior_met, "once the primary part has merged away, the junior part alone counts");
        assert!(junior_met >= 6, "{junior_met}");
    }

    /// The first year P2 is closed in a central run, if any.
    fn closed_from(p: MergingParams) -> Option<i32> {
        let t = model(p, |_, _| {}).run_central();
        t.schools[1].years.iter().find(|y| !y.open).map(|y| y.year)
    }

    #[test]
    fn rows_close_after_the_consecutive_years_below_the_minimum() {
        // P2: 300 (2024), 292.3 (2025), 271.8 (2026), 247.8 (2027), 221.6 (2028).
        assert_eq!(closed_from(params(350.0, 2.0, 1.0)), Some(2025));
        assert_eq!(closed_from(params(350.0, 1.0, 1.0)), Some(2025), "from_year holds back 2024");
        assert_eq!(closed_from(params(350.0, 3.0, 1.0)), Some(2026));
        assert_eq!(closed_from(params(250.0, 2.0, 1.0)), Some(2028));
        assert_eq!(closed_from(params(250.0, 1.0, 1.0)), Some(2027));
        assert_eq!(closed_from(params(350.0, 2.0, 0.0)), None, "no merges allowed");
        // Once closed, P2's pupils and intake are P1's: the district keeps every pupil.
        let on = model(params(350.0, 2.0, 1.0), |_, _| {}).run_central();
        let off = model(params(0.0, 2.0, 1.0), |_, _| {}).run_central();
        for year in 2024..=2030 {
            let (a, b) = (on.value("students_total", year).unwrap(), off.value("students_total", year).unwrap());
            assert!((a - b).abs() < 1e-9, "{year}: {a} vs {b}");
        }
        // N1's primary part (400 → 330 in 2027, 295 in 2028) follows into P1 in 2028.
        assert_eq!(on.series("merges").unwrap(), [0.0, 1.0, 1.0, 1.0, 2.0, 2.0, 2.0]);
        assert_eq!(on.value("schools_open_primary", 2030), Some(1.0));
    }

    #[test]
    fn features_off_or_inert_leave_the_trajectory_unchanged() {
        let (s, r) = tiny_scenario();
        let plain = Model::new(s.clone(), r.clone()).unwrap().run_central();
        let inert = {
            let mut s = s;
            s.merging = Some(params(0.0, 2.0, 2.0));
            s.science_teachers = Some(crate::scenario::ScienceParams {
                min_per_school: Sourced::assumed(0.0, "test"),
                min_small_school: Sourced::assumed(0.0, "test"),
                small_school_students: Sourced::assumed(100.0, "test"),
            });
            s.facility_upgrades = Some(crate::scenario::FacilityUpgrades {
                schools: Sourced::assumed(1.0, "test"),
                sites: Sourced::assumed(1.0, "test"),
                year: Sourced::assumed(2025, "test"),
                cost_per_site_yuan: Sourced::assumed(0.0, "test"),
            });
            Model::new(s, r).unwrap().run_central()
        };
        // Compared field by field so a failure names the series, not the whole run.
        for (k, key) in crate::engine::series_keys().iter().enumerate() {
            let same = plain.series[k].iter().zip(&inert.series[k]).all(|(a, b)| a == b || (a.is_nan() && b.is_nan()));
            assert!(same, "{key}: {:?} vs {:?}", plain.series[k], inert.series[k]);
        }
        assert!(plain.schools == inert.schools && plain.targets == inert.targets);
    }
}
