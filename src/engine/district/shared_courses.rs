//! Sub-model 4b: sharing inside a school district (学区), seed
//! `003_e24e42817bc4924a.txt` (闵行区虹桥镇示范性学区建设三年行动计划). Runs
//! only when the scenario has a `[shared_courses]` section; it then applies
//! to every named 学区 of the roster (schools in no 学区 share nothing).
//!
//! ## Rules
//!
//! - **Courses at the base year** (§三(三)10 现有学区8门共享课程): each 学区's
//!   `base_courses` go to its schools by readiness (backbone teachers per 100
//!   ÷ threshold, highest first; the 盟主校 leads), at most
//!   `base_max_per_school` each.
//! - **New courses** (逐年增加 … 至2025年至少10门): each year the gap between
//!   `planned_courses` and the courses shared is tried; each planned course is
//!   ready with `development_probability` (成熟一门、共享一门), and one that is
//!   not is tried again the next year. Central rule: expected successes
//!   accumulate and a course opens each time the running sum passes a whole
//!   number. A new course goes to the school hosting the fewest courses
//!   (so schools hosting none come first, 每校至少有1门), ties by readiness,
//!   then roster order.
//! - **Host row**: within a school, the row (level) hosting fewest courses,
//!   then the more ready one, then primary first. A course is open to the
//!   pupils of its level in its 学区.
//! - **Uptake** (三分之一的学生): the N courses of a level in a 学区 fill
//!   `N × places_per_course × uptake` places, at most the level's pupils
//!   there, each by a pupil in no other shared course; every course of the
//!   level has the same share of its places filled, so the courses never hold
//!   more pupils than there are. The shared-course share is those pupils over
//!   the 学区s' pupils.
//! - **Sharing and the gaps** (an assumption, E): a course uses
//!   `teachers_per_course` of its host's teachers, with the course's backbone
//!   and PE/art shares (qualified at the host's mix), never more per course
//!   than the host has divided by its courses. The share of that teaching
//!   that pupils use (filled places ÷ places) is split over the level's member
//!   schools by enrollment: what other schools' pupils use counts toward their
//!   indicators and is taken off the host's, so nothing is counted twice. The
//!   official indicators (pass status, `cv.*`, rotation) are left untouched:
//!   the national assessment counts teachers where they are employed. The
//!   effect shows only in `shared_group_teacher_cv_max_*`, the within-学区
//!   gap with shared teaching counted where the pupils learn; compare it with
//!   `group_teacher_cv_max_*` (teachers where employed).
//! - **Premium courses and coverage** (§三(三)9, §三(一)4): counts per 学区
//!   growing toward their plans by the same rule, with their own
//!   probabilities; coverage counts member schools, the plan's share rounded
//!   up, and goes to the most ready schools first (at the base year too).
//! - **Merging** (with `[merging]`, seed 004): only open schools count. A
//!   closed row never gets a new course (a school all of whose rows are
//!   closed is skipped); a course whose host closes moves, still shared, to
//!   the row its pupils went to. Pupils, offering and coverage shares count
//!   open schools only, in numerator and denominator.

use std::collections::BTreeMap;

use super::District;
use crate::engine::record::{RowFacts, Sheet};
use crate::engine::rows::OpenRows;
use crate::engine::{Draws, Model, State};
use crate::metrics::{weighted_cvs_positive, Indicator};
use crate::roster::{Level, School};
use crate::scenario::SharedCoursesParams;

/// The three teacher indicators sharing can move, in this order.
const TEACHER: [Indicator; 3] =
    [Indicator::QualifiedTeachersPer100, Indicator::BackboneTeachersPer100, Indicator::PeArtTeachersPer100];

/// The sharing module's state in a run: each named 学区 and what it shares.
#[derive(Debug, Clone, Default)]
pub(super) struct SharedCourses {
    groups: Vec<Group>,
}

impl District for SharedCourses {
    fn start(model: &Model) -> SharedCourses {
        SharedCourses::new(model)
    }

    fn after_programme(&mut self, model: &Model, state: &mut State, year: i32, draws: &mut Draws) {
        step(self, model, state, year, draws);
    }

    fn record(&self, model: &Model, state: &State, _year: i32, sheet: &mut Sheet) {
        record(self, model, state, sheet);
    }
}

#[derive(Debug, Clone, Default)]
struct Group {
    /// Rows of each member school (a nine-year school has two), in roster order.
    units: Vec<Vec<usize>>,
    /// Host row of each shared course (always an open row after each year's step).
    courses: Vec<usize>,
    premium: f64,
    /// Whether each member school has a parent school / an AED, by unit.
    parent: Vec<bool>,
    aed: Vec<bool>,
    /// Expected successes not yet whole, per item (central rule only).
    carry: [f64; 4],
}

impl Group {
    fn courses_at(&self, row: usize) -> usize {
        self.courses.iter().filter(|&&h| h == row).count()
    }

    fn courses_of(&self, unit: &[usize]) -> usize {
        unit.iter().map(|&r| self.courses_at(r)).sum()
    }

    /// The open row of `unit` to host the next course, if it has one.
    fn host_row(&self, model: &Model, rows: &[School], unit: &[usize], open: impl Fn(usize) -> bool) -> Option<usize> {
        unit.iter().copied().filter(|&r| open(r)).min_by(|&a, &b| {
            self.courses_at(a).cmp(&self.courses_at(b)).then(readiness(model, &rows[b]).total_cmp(&readiness(model, &rows[a])))
        })
    }

    fn unit_readiness(model: &Model, rows: &[School], unit: &[usize]) -> f64 {
        unit.iter().map(|&r| readiness(model, &rows[r])).fold(0.0, f64::max)
    }

    /// Indices of the member schools with at least one open row.
    fn open_units(&self, open: impl Fn(usize) -> bool) -> Vec<usize> {
        (0..self.units.len()).filter(|&u| self.units[u].iter().any(|&r| open(r))).collect()
    }

    /// Base year (every row open): the most ready schools first, up to `cap` courses each.
    fn allocate_base(&mut self, model: &Model, rows: &[School], n: usize, cap: usize) {
        let mut left = n;
        for u in most_ready(model, rows, &self.units, (0..self.units.len()).collect()) {
            for _ in 0..cap.min(left) {
                let h = self.host_row(model, rows, &self.units[u], |_| true).expect("a unit has a row");
                self.courses.push(h);
            }
            left -= cap.min(left);
        }
    }

    /// New courses: the open school hosting fewest first, ties by readiness;
    /// a closed row never hosts.
    fn allocate_new(&mut self, model: &Model, rows: &[School], open: impl Fn(usize) -> bool + Copy, n: u32) {
        let candidates = self.open_units(open);
        for _ in 0..n {
            let Some(u) = candidates.iter().copied().min_by(|&a, &b| {
                self.courses_of(&self.units[a]).cmp(&self.courses_of(&self.units[b])).then(
                    Self::unit_readiness(model, rows, &self.units[b]).total_cmp(&Self::unit_readiness(model, rows, &self.units[a])),
                )
            }) else {
                return;
            };
            let h = self.host_row(model, rows, &self.units[u], open).expect("an open unit has an open row");
            self.courses.push(h);
        }
    }

    /// Courses whose host row has closed move, still shared, to the row its
    /// pupils went to (the end of the chain of merges).
    fn rehost(&mut self, open_rows: &OpenRows) {
        for h in self.courses.iter_mut() {
            if !open_rows.is_open(*h) {
                *h = open_rows.final_receiver(*h);
            }
        }
    }

    /// The open member rows of `level`.
    fn rows_at(&self, level: Level, rows: &[School], open: impl Fn(usize) -> bool) -> Vec<usize> {
        self.units.iter().flatten().copied().filter(|&r| open(r) && rows[r].level == level).collect()
    }

    /// Shared courses hosted at rows of `level`.
    fn courses_at_level(&self, level: Level, rows: &[School]) -> usize {
        self.courses.iter().filter(|&&h| rows[h].level == level).count()
    }
}

/// Backbone teachers per 100 pupils ÷ the threshold; 0 for an empty school.
fn readiness(model: &Model, s: &School) -> f64 {
    let t = model.scenario.standards.level(s.level).threshold(Indicator::BackboneTeachersPer100);
    Indicator::BackboneTeachersPer100.value(s).map_or(0.0, |v| v / t)
}

/// `candidates` (unit indices) from the most ready school down, ties in roster order.
fn most_ready(model: &Model, rows: &[School], units: &[Vec<usize>], mut candidates: Vec<usize>) -> Vec<usize> {
    crate::sort::sort_by(&mut candidates, |&a, &b| {
        Group::unit_readiness(model, rows, &units[b]).total_cmp(&Group::unit_readiness(model, rows, &units[a])).then(a.cmp(&b))
    });
    candidates
}

/// Marks `k` more of `candidates` (open units) as done, the most ready first.
fn complete(model: &Model, rows: &[School], units: &[Vec<usize>], candidates: Vec<usize>, done: &mut [bool], k: usize) {
    let left: Vec<usize> = candidates.into_iter().filter(|&u| !done[u]).collect();
    for u in most_ready(model, rows, units, left).into_iter().take(k) {
        done[u] = true;
    }
}

/// Share of each course's places filled in a level pool of `pupils` with `n`
/// courses: min(n · places · uptake, pupils) ÷ (n · places), the same for
/// every course of the pool, so the courses together never hold more pupils
/// than the pool has. (Written as min(places · uptake, pupils ÷ n) ÷ places.)
fn used_share(p: &SharedCoursesParams, n: f64, pupils: f64) -> f64 {
    let places = p.places_per_course.value;
    if n <= 0.0 || places <= 0.0 {
        return 0.0;
    }
    (places * p.uptake.value).min(pupils / n) / places
}

/// Units newly ready out of `gap` tried with probability `p`: a binomial draw,
/// or centrally the expected successes accumulated in `carry`.
fn develop(draws: &mut Draws, gap: u32, p: f64, carry: &mut f64) -> u32 {
    if gap == 0 {
        *carry = 0.0;
        return 0;
    }
    let total = *carry + draws.binomial(gap, p);
    let k = ((total + 1e-9).floor() as u32).min(gap);
    *carry = (total - f64::from(k)).max(0.0);
    k
}

/// Whole units still missing to reach `planned`.
fn gap(planned: f64, have: f64) -> u32 {
    (planned - have).max(0.0).round() as u32
}

/// Member schools a coverage share asks for (rounded up).
fn schools_for(share: f64, units: usize) -> f64 {
    (share * units as f64 - 1e-9).ceil().max(0.0)
}

impl SharedCourses {
    /// Member schools of each named 学区 (a school goes with its first row's
    /// 学区) and the base-year courses and coverage.
    fn new(model: &Model) -> SharedCourses {
        let Some(p) = &model.scenario.shared_courses else { return SharedCourses::default() };
        let rows = &model.roster.schools;
        let mut by_name: BTreeMap<&str, Group> = BTreeMap::new();
        for unit in &model.links.units {
            let name = rows[unit[0]].district_group.as_str();
            if !name.is_empty() {
                by_name.entry(name).or_default().units.push(unit.clone());
            }
        }
        let mut groups: Vec<Group> = by_name.into_values().collect();
        for g in groups.iter_mut() {
            g.allocate_base(model, rows, p.base_courses.value as usize, p.base_max_per_school.value as usize);
            g.premium = p.premium_courses.as_ref().map_or(0.0, |q| q.base.value);
            let n = g.units.len();
            g.parent = vec![false; n];
            g.aed = vec![false; n];
            for (plan, done) in [(&p.parent_schools, &mut g.parent), (&p.aed, &mut g.aed)] {
                if let Some(q) = plan {
                    let k = (q.base_share.value * n as f64).round() as usize;
                    complete(model, rows, &g.units, (0..n).collect(), done, k);
                }
            }
        }
        SharedCourses { groups }
    }
}

/// Each year after the base year: courses of closed hosts re-hosted, new
/// shared and premium courses, and coverage, for every 学区. Draws nothing
/// when the section is absent.
fn step(shared: &mut SharedCourses, model: &Model, state: &State, year: i32, draws: &mut Draws) {
    let Some(p) = &model.scenario.shared_courses else { return };
    if year <= model.scenario.scenario.base_year {
        return;
    }
    let (schools, open_rows) = (&state.schools, &state.open_rows);
    let open = |r: usize| open_rows.is_open(r);
    for g in shared.groups.iter_mut() {
        g.rehost(open_rows);
        let planned = p.planned_courses.at(year).unwrap_or(0.0);
        let new = develop(draws, gap(planned, g.courses.len() as f64), p.development_probability.value, &mut g.carry[0]);
        g.allocate_new(model, schools, open, new);
        if let Some(q) = &p.premium_courses {
            let planned = q.planned.at(year).unwrap_or(0.0);
            g.premium += f64::from(develop(draws, gap(planned, g.premium), q.development_probability.value, &mut g.carry[1]));
        }
        let units = g.open_units(open);
        for (k, plan) in [(2, &p.parent_schools), (3, &p.aed)] {
            let Some(q) = plan else { continue };
            let want = schools_for(q.planned_share.at(year).unwrap_or(0.0), units.len());
            let done = if k == 2 { &mut g.parent } else { &mut g.aed };
            let have = units.iter().filter(|&&u| done[u]).count();
            let more = develop(draws, gap(want, have as f64), q.completion_probability.value, &mut g.carry[k]);
            complete(model, schools, &g.units, units.clone(), done, more as usize);
        }
    }
}

/// Teachers of each teacher-indicator kind one course uses at `host`, which hosts `n` courses.
fn course_teachers(p: &SharedCoursesParams, host: &School, n: f64) -> [f64; 3] {
    if host.teachers <= 0.0 || n <= 0.0 {
        return [0.0; 3];
    }
    let t = p.teachers_per_course.value;
    [
        (t * host.qualified_teachers / host.teachers).min(host.qualified_teachers / n),
        (t * p.course_backbone_share.value).min(host.backbone_teachers / n),
        (t * p.course_pe_art_share.value).min(host.pe_art_teachers / n),
    ]
}

/// Per row: teachers of each kind (qualified, backbone, PE/art) gained (+) or
/// lent out (−) through shared courses. Empty when no course is shared.
fn credits(shared: &SharedCourses, model: &Model, state: &State) -> Vec<[f64; 3]> {
    let Some(p) = &model.scenario.shared_courses else { return Vec::new() };
    let rows = &state.schools;
    let open = |r: usize| state.open_rows.is_open(r);
    let mut d = vec![[0.0; 3]; rows.len()];
    if p.places_per_course.value <= 0.0 {
        return d;
    }
    for g in &shared.groups {
        for level in Level::ALL {
            let pool = g.rows_at(level, rows, open);
            let pupils: f64 = pool.iter().map(|&r| rows[r].enrollment()).sum();
            if pupils <= 0.0 {
                continue;
            }
            let used = used_share(p, g.courses_at_level(level, rows) as f64, pupils);
            for (c, &h) in g.courses.iter().enumerate() {
                // One pass per host row: its courses are alike.
                if rows[h].level != level || g.courses[..c].contains(&h) {
                    continue;
                }
                let n = g.courses_at(h) as f64;
                let kinds = course_teachers(p, &rows[h], n);
                for &r in pool.iter().filter(|&&r| r != h) {
                    let w = n * used * rows[r].enrollment() / pupils;
                    for k in 0..3 {
                        d[r][k] += kinds[k] * w;
                        d[h][k] -= kinds[k] * w;
                    }
                }
            }
        }
    }
    d
}

/// The largest CV of the three teacher indicators inside any single 学区
/// pool, by level, with `delta` (may be empty) added to each row's teachers.
fn group_teacher_cv_max(model: &Model, facts: &[RowFacts], delta: &[[f64; 3]]) -> [f64; 2] {
    // Where each of `TEACHER` sits in a row's seven values.
    let at = TEACHER.map(|ind| Indicator::ALL.iter().position(|&i| i == ind).expect("listed"));
    // Only rows with pupils are read, so every value is present.
    let official = |r: usize| at.map(|k| facts[r].rates[k]);
    if delta.is_empty() {
        // Without shared teaching nothing is added (adding zero would
        // change only a -0.0, to the same CV).
        pools_cv_max(model, facts, official)
    } else {
        pools_cv_max(model, facts, |r| {
            let (v, d, p) = (official(r), &delta[r], facts[r].p);
            std::array::from_fn(|k| v[k] + d[k] * 100.0 / p)
        })
    }
}

/// [`group_teacher_cv_max`] with each row's three values from `values`.
fn pools_cv_max(model: &Model, facts: &[RowFacts], values: impl Fn(usize) -> [f64; 3] + Copy) -> [f64; 2] {
    let mut max = [f64::NAN; 2];
    for pool in &model.links.by_level_group {
        let level = model.roster.schools[pool[0]].level as usize;
        // Each row's enrollment and three values, in row order; the pool's
        // CVs are worked out from them in two passes, no pairs gathered.
        // A row without pupils counts in no CV (`weighted_cv`).
        let pool_rows = pool.iter().filter(|&&r| facts[r].p > 0.0).map(|&r| (facts[r].p, values(r)));
        let max = &mut max[level];
        // A loop over the three CVs' slice (the compiler unrolls it), not a
        // flattened array iterator.
        for cv in &weighted_cvs_positive(pool_rows) {
            let Some(cv) = *cv else { continue };
            *max = if max.is_nan() { cv } else { max.max(cv) };
        }
    }
    max
}

/// The year's `// Minhang Hongqiao (seed 003)` series. Only open schools
/// count: a closed school neither offers nor asks for a course or coverage.
fn record(shared: &SharedCourses, model: &Model, state: &State, sheet: &mut Sheet) {
    let rows = &state.schools;
    let official = group_teacher_cv_max(model, sheet.rows, &[]);
    let any_course = shared.groups.iter().any(|g| !g.courses.is_empty());
    let with_sharing = if any_course { group_teacher_cv_max(model, sheet.rows, &credits(shared, model, state)) } else { official };
    let mut put = |at: usize, x: f64| sheet.put(at, x);
    for level in Level::ALL {
        put([key!("group_teacher_cv_max_primary"), key!("group_teacher_cv_max_junior")][level as usize], official[level as usize]);
        put([key!("shared_group_teacher_cv_max_primary"), key!("shared_group_teacher_cv_max_junior")][level as usize], with_sharing[level as usize]);
    }
    let Some(p) = &model.scenario.shared_courses else { return };
    let open = |r: usize| state.open_rows.is_open(r);
    let (mut courses, mut units, mut offering, mut premium, mut parent, mut aed) = (0.0, 0.0, 0.0, 0.0, 0.0, 0.0);
    let (mut pupils, mut in_courses) = (0.0, 0.0);
    for g in &shared.groups {
        let open_units = g.open_units(open);
        courses += g.courses.len() as f64;
        units += open_units.len() as f64;
        let hosts = |u: usize| g.units[u].iter().any(|&r| open(r) && g.courses_at(r) > 0);
        offering += open_units.iter().filter(|&&u| hosts(u)).count() as f64;
        premium += g.premium;
        parent += open_units.iter().filter(|&&u| g.parent[u]).count() as f64;
        aed += open_units.iter().filter(|&&u| g.aed[u]).count() as f64;
        for level in Level::ALL {
            let at_level: f64 = g.rows_at(level, rows, open).iter().map(|&r| rows[r].enrollment()).sum();
            let n = g.courses_at_level(level, rows) as f64;
            pupils += at_level;
            in_courses += (n * p.places_per_course.value * p.uptake.value).min(at_level);
        }
    }
    let share = |x: f64, of: f64| if of > 0.0 { x / of } else { 0.0 };
    put(key!("shared_courses"), courses);
    put(key!("schools_offering_shared_course_share"), share(offering, units));
    put(key!("students_in_shared_courses_share"), share(in_courses, pupils));
    put(key!("school_premium_courses"), premium);
    put(key!("parent_school_share"), share(parent, units));
    put(key!("aed_school_share"), share(aed, units));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::district::merging::Merging;
    use crate::engine::tests::tiny_scenario;
    use crate::params::{Sourced, Yearly};
    use crate::scenario::{CountPlan, CoveragePlan, Scenario, Uncertainty};

    fn e(v: f64) -> Sourced<f64> {
        Sourced::assumed(v, "test")
    }

    /// 3 courses at the base year (at most 2 a school), 5 planned for 2025,
    /// every course ready at once; 100 places, half taken; 0.5 FTE a course,
    /// 40% backbone and 20% PE/art.
    fn params() -> SharedCoursesParams {
        SharedCoursesParams {
            base_courses: e(3.0),
            planned_courses: Yearly::new(&[(2024, 3.0), (2025, 5.0)], "test", true),
            development_probability: e(1.0),
            base_max_per_school: e(2.0),
            places_per_course: e(100.0),
            uptake: e(0.5),
            teachers_per_course: e(0.5),
            course_backbone_share: e(0.4),
            course_pe_art_share: e(0.2),
            premium_courses: None,
            parent_schools: None,
            aed: None,
        }
    }

    /// The tiny roster (P1, P2, J1, N1 nine-year; all in 学区 G1; base year
    /// 2024) with `p`. Backbone teachers per 100 pupils: P1 1.6, J1 1.4,
    /// N1 1.0 (primary) and 0.71 (junior), P2 0.17.
    fn model(p: Option<SharedCoursesParams>, f: impl FnOnce(&mut Scenario)) -> Model {
        let (mut s, mut r) = tiny_scenario();
        for (row, backbone) in r.schools.iter_mut().zip([8.0, 0.5, 8.4, 4.0, 2.0]) {
            row.backbone_teachers = backbone;
        }
        s.shared_courses = p;
        f(&mut s);
        assert!(s.validate().is_empty(), "{:?}", s.validate());
        Model::new(s, r).unwrap()
    }

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-9
    }

    fn ids(m: &Model, hosts: &[usize]) -> Vec<String> {
        hosts.iter().map(|&h| format!("{}-{}", m.roster.schools[h].school_id, m.roster.schools[h].level.key())).collect()
    }

    /// The tiny roster with `p` and `[merging]` (primary minimum 350 pupils,
    /// 2 years below it, one merge a year from 2025; seats unknown, room for
    /// 30 classes at P1), as in the merging tests. Rows: P1 0, P2 1, J1 2,
    /// N1 primary 3, N1 junior 4.
    fn merging_model(p: Option<SharedCoursesParams>) -> Model {
        let (mut s, mut r) = tiny_scenario();
        for (row, backbone) in r.schools.iter_mut().zip([8.0, 0.5, 8.4, 4.0, 2.0]) {
            row.backbone_teachers = backbone;
            row.capacity = 0.0;
        }
        r.schools[0].classes = 30.0;
        s.merging = Some(crate::scenario::test_merging(350.0, 0.0, 2.0, 1.0));
        s.shared_courses = p;
        s.roster.schools = Some(r.schools.clone());
        assert!(s.validate().is_empty(), "{:?}", s.validate());
        Model::new(s, r).unwrap()
    }

    /// The block's series for `state`, by key.
    fn recorded(m: &Model, st: &State, shared: &SharedCourses) -> BTreeMap<&'static str, f64> {
        let mut values = vec![0.0; crate::engine::series_keys().len()];
        let mut facts = Vec::new();
        crate::engine::record::row_facts(m, st, m.scenario.scenario.base_year, &mut facts);
        let mut sheet = Sheet::new(&mut values, &facts);
        record(shared, m, st, &mut sheet);
        let keys = [
            "shared_courses",
            "schools_offering_shared_course_share",
            "students_in_shared_courses_share",
            "school_premium_courses",
            "parent_school_share",
            "aed_school_share",
        ];
        keys.into_iter().map(|k| (k, sheet.get(k))).collect()
    }

    #[test]
    fn base_courses_go_to_the_most_ready_schools_up_to_the_cap() {
        let m = model(Some(params()), |_| {});
        let st = SharedCourses::start(&m);
        assert_eq!(st.groups.len(), 1);
        // P1 (most ready) takes 2, J1 the third.
        assert_eq!(ids(&m, &st.groups[0].courses), ["P1-primary", "P1-primary", "J1-junior"]);
    }

    #[test]
    fn new_courses_go_first_to_schools_offering_none() {
        let m = model(Some(params()), |_| {});
        let (st, mut sh) = (State::new(&m), SharedCourses::start(&m));
        step(&mut sh, &m, &st, 2025, &mut Draws::Central);
        // Two new courses: N1 (more ready than P2; its primary row), then P2.
        let g = &sh.groups[0];
        assert_eq!(ids(&m, &g.courses[3..]), ["N1-primary", "P2-primary"]);
        // A sixth goes to a school with fewest (J1, N1, P2 have one each): J1 is most ready.
        let mut g = g.clone();
        g.allocate_new(&m, &m.roster.schools, |_| true, 1);
        assert_eq!(ids(&m, &g.courses[5..]), ["J1-junior"]);

        let t = m.run_central();
        assert_eq!(t.series("shared_courses").unwrap()[..3], [3.0, 5.0, 5.0]);
        assert_eq!(t.series("schools_offering_shared_course_share").unwrap()[..2], [0.5, 1.0]);
    }

    #[test]
    fn uptake_is_filled_places_over_pupils() {
        let m = model(Some(params()), |_| {});
        let t = m.run_central();
        // 2024: primary pupils 500 + 300 + 400 = 1200; junior 600 + 280 = 880.
        // P1's 2 primary courses and J1's junior one fill 50 places each.
        let base = t.value("students_in_shared_courses_share", 2024).unwrap();
        assert!(close(base, 150.0 / 2080.0), "{base}");
        // Places beyond a level's pupils do not count.
        let m = model(Some(SharedCoursesParams { places_per_course: e(2000.0), uptake: e(1.0), ..params() }), |_| {});
        let t = m.run_central();
        assert!(close(t.value("students_in_shared_courses_share", 2024).unwrap(), 1.0));
    }

    #[test]
    fn shared_teaching_counts_where_the_pupils_learn_and_is_conserved() {
        let m = model(Some(SharedCoursesParams { base_courses: e(1.0), ..params() }), |_| {});
        let st = State::new(&m);
        let d = credits(&SharedCourses::start(&m), &m, &st);
        // One course at P1: 0.5 FTE × 40% = 0.2 backbone; half its places used;
        // P2 holds 300 and N1's primary row 400 of the 1200 primary pupils.
        let row = |id: &str, l: Level| m.roster.position(id, l).unwrap();
        assert!(close(d[row("P2", Level::Primary)][1], 0.2 * 0.5 * 300.0 / 1200.0));
        assert!(close(d[row("N1", Level::Primary)][1], 0.2 * 0.5 * 400.0 / 1200.0));
        assert!(close(d[row("P1", Level::Primary)][1], -0.2 * 0.5 * 700.0 / 1200.0));
        // PE/art: 0.5 × 20% = 0.1; qualified at P1's mix (5 per 100 pupils ÷ 1 per 12 pupils = 0.6).
        assert!(close(d[row("P2", Level::Primary)][2], 0.1 * 0.5 * 0.25));
        assert!(close(d[row("P2", Level::Primary)][0], 0.5 * 0.6 * 0.5 * 0.25));
        for k in 0..3 {
            assert!(close(d.iter().map(|x| x[k]).sum::<f64>(), 0.0));
        }
        // Junior rows are untouched: no junior course.
        assert_eq!(d[row("J1", Level::Junior)], [0.0; 3]);
    }

    #[test]
    fn a_host_never_lends_more_teachers_than_it_has() {
        let m = model(Some(SharedCoursesParams { base_courses: e(1.0), teachers_per_course: e(10.0), course_backbone_share: e(1.0), ..params() }), |_| {});
        let st = State::new(&m);
        let d = credits(&SharedCourses::start(&m), &m, &st);
        let p1 = m.roster.position("P1", Level::Primary).unwrap();
        assert!(-d[p1][1] <= m.roster.schools[p1].backbone_teachers + 1e-12);
    }

    #[test]
    fn central_development_accumulates_expected_successes() {
        let mut carry = 0.0;
        let mut d = Draws::Central;
        // 8 → 9 in 2024 and → 10 in 2025 at 80%: 0.8 (none yet), then 0.8 + 2 × 0.8 = 2.4 → 2.
        assert_eq!(develop(&mut d, 1, 0.8, &mut carry), 0);
        assert!(close(carry, 0.8));
        assert_eq!(develop(&mut d, 2, 0.8, &mut carry), 2);
        assert!(close(carry, 0.4));
        assert_eq!(develop(&mut d, 0, 0.8, &mut carry), 0);
        assert_eq!(carry, 0.0);
    }

    #[test]
    fn monte_carlo_reaches_the_plan_with_the_hand_computed_probability() {
        // 3 → 4 (2025) → 5 (2026) at 80%: reached when both tries succeed in
        // their first year (0.64), or the 2025 one fails and both succeed in
        // 2026 (0.2 × 0.64): 0.768.
        let mut p = params();
        p.planned_courses = Yearly::new(&[(2024, 3.0), (2025, 4.0), (2026, 5.0)], "test", true);
        p.development_probability = e(0.8);
        let m = model(Some(p), |s| {
            s.targets = vec![crate::scenario::Target {
                id: "c".into(),
                label: "c".into(),
                label_en: None,
                series: "shared_courses".into(),
                year: 2026,
                op: crate::scenario::TargetOp::AtLeast,
                value: 5.0,
                source: "test".into(),
                source_en: None,
                kind: Default::default(),
            }];
        });
        let mc = crate::engine::run_monte_carlo(&m, 4000, 11, |_| {});
        let prob = mc.target_probability[0];
        assert!((prob - 0.768).abs() < 0.025, "{prob}");
        // Centrally: 0.8 in 2025 (not yet), 2.4 in 2026 → both: met.
        assert!(m.run_central().targets[0].met);
    }

    #[test]
    fn coverage_and_premium_courses_follow_their_plans() {
        let p = SharedCoursesParams {
            premium_courses: Some(CountPlan {
                base: e(10.0),
                planned: Yearly::new(&[(2024, 15.0), (2025, 20.0)], "test", true),
                development_probability: e(0.5),
            }),
            parent_schools: Some(CoveragePlan {
                base_share: e(0.5),
                planned_share: Yearly::new(&[(2025, 1.0)], "test", true),
                completion_probability: e(1.0),
            }),
            aed: None,
            ..params()
        };
        let t = model(Some(p), |_| {}).run_central();
        // Premium (base year 2024): 10; 2025: +0.5 × 10 = 5 → 15; 2026: gap 5 → +2.5 → 17 (carry 0.5); 2027: gap 3 → 1.5 + 0.5 = 2 → 19.
        let v = t.series("school_premium_courses").unwrap();
        assert_eq!(&v[..4], &[10.0, 15.0, 17.0, 19.0]);
        // Coverage: 2 of 4 schools at the base; all from 2025.
        let c = t.series("parent_school_share").unwrap();
        assert_eq!(&c[..2], &[0.5, 1.0]);
        assert_eq!(t.series("aed_school_share").unwrap()[3], 0.0);
    }

    #[test]
    fn without_the_section_nothing_is_shared_and_every_other_series_is_unchanged() {
        let off = model(None, |_| {}).run_central();
        let on = model(Some(params()), |_| {}).run_central();
        assert_only_the_sections_series_differ(&off, &on);
        assert_eq!(on.schools, off.schools);
        assert!(off.series("shared_courses").unwrap().iter().all(|v| *v == 0.0));
        assert_eq!(off.series("shared_group_teacher_cv_max_primary"), off.series("group_teacher_cv_max_primary"));
        // With courses, the shared-teaching gap differs from the official one.
        assert_ne!(on.series("shared_group_teacher_cv_max_primary"), on.series("group_teacher_cv_max_primary"));
        // And a zero-uncertainty Monte Carlo run equals the central run.
        let m = model(Some(SharedCoursesParams { development_probability: e(0.3), ..params() }), |s| s.uncertainty = Uncertainty::none());
        let mc = crate::engine::run_monte_carlo(&m, 2, 1, |_| {});
        let c = m.run_central();
        let k = crate::engine::series_keys().iter().position(|k| k == "shared_courses").unwrap();
        assert_eq!(mc.p50[k], c.series[k]);
    }

    #[test]
    fn a_closed_school_gets_no_new_course() {
        let m = merging_model(Some(params()));
        let (mut st, mut sh, mut mg) = (State::new(&m), SharedCourses::start(&m), Merging::start(&m));
        // P2 (the only school hosting none but N1) closes into P1 before the year's courses.
        mg.merge(&m, &mut st, 1, 0, 2025);
        step(&mut sh, &m, &st, 2025, &mut Draws::Central);
        // Two new courses: N1 first (as without merging), then not P2 but J1
        // (J1 and N1 host one each; J1 is more ready).
        let g = &sh.groups[0];
        assert_eq!(ids(&m, &g.courses[3..]), ["N1-primary", "J1-junior"]);
        assert!(g.courses.iter().all(|&h| st.open_rows.is_open(h)));
        // N1's primary row closes too: its junior row still takes a course, and
        // a school with every row closed is never picked, even hosting none.
        mg.merge(&m, &mut st, 3, 0, 2025);
        let mut g = sh.groups[0].clone();
        g.rehost(&st.open_rows);
        g.allocate_new(&m, &st.schools, |r| st.open_rows.is_open(r), 3);
        assert_eq!(ids(&m, &g.courses[5..]), ["N1-junior", "N1-junior", "J1-junior"]);
        // With no open school left, nothing is allocated.
        g.allocate_new(&m, &st.schools, |_| false, 2);
        assert_eq!(g.courses.len(), 8);
        // The same in a whole run: P2 closes in 2025 and never hosts.
        let t = m.run_central();
        assert_eq!(t.value("merges", 2025), Some(1.0));
        assert_eq!(t.series("shared_courses").unwrap()[..3], [3.0, 5.0, 5.0]);
        assert_eq!(t.value("schools_offering_shared_course_share", 2025), Some(1.0));
    }

    #[test]
    fn a_closed_hosts_courses_move_to_its_receiver_and_only_open_schools_count() {
        let p = SharedCoursesParams {
            parent_schools: Some(CoveragePlan {
                base_share: e(0.5),
                planned_share: Yearly::new(&[(2024, 0.5)], "test", true),
                completion_probability: e(1.0),
            }),
            ..params()
        };
        let m = merging_model(Some(p));
        let (mut st, mut sh, mut mg) = (State::new(&m), SharedCourses::start(&m), Merging::start(&m));
        step(&mut sh, &m, &st, 2025, &mut Draws::Central);
        assert_eq!(ids(&m, &sh.groups[0].courses), ["P1-primary", "P1-primary", "J1-junior", "N1-primary", "P2-primary"]);
        // Parent schools at the base: the two most ready, P1 and J1.
        assert_eq!(sh.groups[0].parent, [true, false, true, false]);
        // P2 merges into N1's primary row, which then merges into P1.
        mg.merge(&m, &mut st, 1, 3, 2026);
        mg.merge(&m, &mut st, 3, 0, 2026);
        step(&mut sh, &m, &st, 2026, &mut Draws::Central);
        // Both courses end at P1, the end of the chain; none is lost.
        let g = &sh.groups[0];
        assert_eq!(ids(&m, &g.courses), ["P1-primary", "P1-primary", "J1-junior", "P1-primary", "P1-primary"]);
        let r = recorded(&m, &st, &sh);
        assert_eq!(r["shared_courses"], 5.0);
        // Open schools: P1, J1 and N1 (its junior row). P2 is out of the
        // denominator; N1 hosts nothing now: 2 of 3, not 2 of 4.
        assert!(close(r["schools_offering_shared_course_share"], 2.0 / 3.0));
        // Parent schools: 2 of the 3 open schools (the plan's half asks for 2).
        assert!(close(r["parent_school_share"], 2.0 / 3.0));
        // Pupils: only open rows; every course counts at P1, the primary pool is P1 alone.
        let primary = st.schools[0].enrollment();
        let junior = st.schools[2].enrollment() + st.schools[4].enrollment();
        let filled = (4.0 * 50.0f64).min(primary) + 50.0;
        assert!(close(r["students_in_shared_courses_share"], filled / (primary + junior)));
        // Shared teaching: the primary pool is P1 alone, so it lends nothing.
        let d = credits(&sh, &m, &st);
        assert_eq!(d[0], [0.0; 3]);
        assert_eq!((d[1], d[3]), ([0.0; 3], [0.0; 3]));
        // If P1 (a parent school) closes, coverage is over the schools left.
        mg.merge(&m, &mut st, 0, 3, 2027);
        let r = recorded(&m, &st, &sh);
        assert!(close(r["parent_school_share"], 1.0 / 2.0));
    }

    #[test]
    fn teaching_credits_imply_no_more_pupils_than_the_uptake_series() {
        // Three primary courses at P1 with 1000 places, half taken: 1500 places
        // for 1200 primary pupils. Each course is 1200 ÷ 3000 = 40% used.
        let p = SharedCoursesParams { places_per_course: e(1000.0), base_max_per_school: e(3.0), ..params() };
        let m = model(Some(p), |_| {});
        let (st, sh) = (State::new(&m), SharedCourses::start(&m));
        assert_eq!(ids(&m, &sh.groups[0].courses), ["P1-primary"; 3]);
        let d = credits(&sh, &m, &st);
        let rows = &m.roster.schools;
        let row = |id: &str, l: Level| m.roster.position(id, l).unwrap();
        // Each course lends 0.5 FTE × 40% = 0.2 backbone; a row's credit ÷ 0.2
        // × places is the pupils it sends to the courses.
        let pupils_sent = |r: usize| d[r][1] / 0.2 * 1000.0;
        assert!(close(d[row("P2", Level::Primary)][1], 3.0 * 0.2 * 0.4 * 300.0 / 1200.0));
        let mut sent = 0.0;
        for r in [row("P2", Level::Primary), row("N1", Level::Primary)] {
            assert!(pupils_sent(r) <= rows[r].enrollment() + 1e-9, "{} > {}", pupils_sent(r), rows[r].enrollment());
            sent += pupils_sent(r);
        }
        // With P1's own 500 pupils, the courses hold 1200 pupils: all of them,
        // as the uptake series says.
        let in_courses = sent * 1200.0 / 700.0;
        assert!(in_courses <= 1200.0 + 1e-9);
        let share = recorded(&m, &st, &sh)["students_in_shared_courses_share"];
        assert!(close(in_courses, share * 2080.0), "{in_courses} vs {}", share * 2080.0);
        // Below saturation the rule is unchanged: each course half used.
        let m = model(Some(SharedCoursesParams { base_max_per_school: e(3.0), ..params() }), |_| {});
        let d = credits(&SharedCourses::start(&m), &m, &State::new(&m));
        assert!(close(d[row("P2", Level::Primary)][1], 3.0 * 0.2 * 0.5 * 300.0 / 1200.0));
    }

    #[test]
    fn with_merging_the_section_off_leaves_every_other_series_unchanged() {
        let off = merging_model(None).run_central();
        let on = merging_model(Some(params())).run_central();
        assert!(on.value("merges", 2030).unwrap() >= 2.0);
        assert_only_the_sections_series_differ(&off, &on);
        assert!(on.schools == off.schools && on.targets == off.targets);
    }

    /// Every series but the section's own (`shared_courses` … `aed_school_share`,
    /// and the shared-teaching gaps) is identical with and without the section.
    fn assert_only_the_sections_series_differ(off: &crate::engine::Trajectory, on: &crate::engine::Trajectory) {
        let keys = crate::engine::series_keys();
        let block = |key: &str| keys.iter().position(|k| k == key).unwrap();
        let only_with_section = block("shared_courses")..=block("aed_school_share");
        for (k, key) in keys.iter().enumerate() {
            let shared_gap = ["shared_group_teacher_cv_max_primary", "shared_group_teacher_cv_max_junior"].contains(&key.as_str());
            if shared_gap || only_with_section.contains(&k) {
                continue;
            }
            let same = off.series[k].iter().zip(&on.series[k]).all(|(a, b)| a == b || (a.is_nan() && b.is_nan()));
            assert!(same, "{key}: {:?} vs {:?}", off.series[k], on.series[k]);
        }
    }
}
