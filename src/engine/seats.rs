//! Seats (学位): dated new schools and new housing by 学区/集团, and the seat
//! gap (issue 16; seeds 002 §四(一)1–2, 004 §28).
//!
//! - **A new school** (`[[new_schools]]`) is a row added to the roster when
//!   the model is bound, closed until its opening year. It is built to the
//!   standard for its seats (floor and sports area, equipment and multimedia
//!   rooms at the level's thresholds × seats, classrooms for its seats at the
//!   class-size cap: seed 002 §四(一)2 高标准高起点建设), and a new primary
//!   school feeds the junior rows of its group. In its opening year, after
//!   enrollment, it takes the share `seats ÷ (seats + the group's seats)` of
//!   its group's entry grade (grade 1 or grade 6) from the other open rows of
//!   its level and group, and the same share of the group's intake links from
//!   then on (grade-1 catchment shares; for a junior school, the feeds into
//!   the group's junior rows); when the roster has no other school of its
//!   level in that group (an imported roster names its own 学区), from the
//!   level's whole district. It starts with no teachers: the teachers step
//!   right after staffs it to its need from the district reserve first, then
//!   by hiring within the year's cap, as for any shortage. Pupils already in
//!   higher grades stay where they are.
//! - **Housing** (`[[housing]]`): `households × primary_per_100 ÷ 100`
//!   primary pupils arrive in the group in `year`, a fifth in each of grades
//!   1–5, shared among its open primary rows by their grade-1 catchment
//!   shares; the junior pupils likewise, a quarter in each of grades 6–9,
//!   shared by enrollment. A level the group lacks, or has no school open
//!   yet, sends its pupils to the level's open schools in the whole district.
//!   In every later year the homes send a fifth of
//!   their primary pupils to grade 1 again (the steady state of a settled
//!   estate), so the primary stock holds; those pupils move on to junior
//!   school with everyone else.
//! - **Seat gap**: per (level, 学区/集团), the group's open rows' pupils
//!   beyond their places, summed over groups, so a surplus in one group hides
//!   no gap in another. A row's places are its roster capacity, or (when the
//!   roster gives none) its whole classrooms × the class-size cap. A school
//!   in no group is a group of its own.

use serde::Serialize;

use super::rows::{add_feeds, Intake, OpenRows};
use super::{Model, State, Trajectory};
use crate::message::{Problem, Text};
use crate::metrics::Indicator;
use crate::roster::{Level, Roster, School};
use crate::scenario::Scenario;

/// `[[housing]]` bound to the roster: the group's rows of each level.
#[derive(Debug, Clone)]
pub(super) struct HousingRows {
    year: i32,
    primary_rows: Vec<usize>,
    junior_rows: Vec<usize>,
    primary_pupils: f64,
    junior_pupils: f64,
}

/// The roster with a row for each new school, closed until it opens (see
/// [`open_rows`]); a problem for a new school whose group has no row of
/// its level, or whose id is already a school of its level with pupils or
/// teachers. An empty row of the same id and level (the new school's own,
/// when a model's roster is bound again) is rebuilt in place.
pub(super) fn with_new_schools(scenario: &Scenario, mut roster: Roster, problems: &mut Vec<Problem>) -> Roster {
    let st = &scenario.standards;
    for (k, n) in scenario.new_schools.iter().enumerate() {
        // A group the roster lacks (an imported roster names its own 学区):
        // the school's catchment is then its level's whole district.
        let in_group = roster.schools.iter().find(|s| s.level == n.level && s.district_group == n.group);
        let Some(area) = in_group.or_else(|| roster.schools.iter().find(|s| s.level == n.level)).map(|s| s.area) else {
            problems.push(Problem::field(
                format!("new_schools[{k}].level"),
                Text::new(format!("花名册中没有{}学校", n.level.zh()), format!("the roster has no {} school", n.level.key())),
            ));
            continue;
        };
        // A model's roster already holds its new schools' empty rows: binding
        // a changed scenario to it (a lever moved) rebuilds them in place.
        let existing = roster.schools.iter().position(|s| s.school_id == n.id && s.level == n.level);
        if let Some(i) = existing.filter(|&i| roster.schools[i].enrollment() > 0.0 || roster.schools[i].teachers > 0.0) {
            problems.push(Problem::field(
                format!("new_schools[{k}].id"),
                Text::new(format!("`{}` 已是花名册中的学校（第 {} 行）", n.id, i + 1), format!("`{}` is already a school in the roster (row {})", n.id, i + 1)),
            ));
            continue;
        }
        let l = st.level(n.level);
        let mut s = School::blank(&n.id, &n.name, n.level);
        s.area = area;
        s.district_group = n.group.clone();
        s.capacity = n.seats;
        s.classes = (n.seats / l.class_size_cap.value).ceil();
        s.teaching_space_m2 = n.seats * l.threshold(Indicator::TeachingSpaceM2PerStudent);
        s.sports_space_m2 = n.seats * l.threshold(Indicator::SportsSpaceM2PerStudent);
        s.equipment_yuan = n.seats * l.threshold(Indicator::EquipmentYuanPerStudent);
        s.multimedia_rooms = (n.seats * l.threshold(Indicator::MultimediaRoomsPer100) / 100.0).ceil();
        if n.level == Level::Primary {
            s.feeds = roster.schools.iter().filter(|j| j.level == Level::Junior && j.district_group == n.group).map(|j| j.school_id.clone()).collect();
        }
        match existing {
            Some(i) => roster.schools[i] = s,
            None => roster.schools.push(s),
        }
    }
    roster
}

/// The new schools' rows with their opening years, and each `[[housing]]`
/// entry with its group's rows (`pools`: the rows of each level and group).
pub(super) fn links(scenario: &Scenario, roster: &Roster, pools: &[Vec<usize>]) -> (Vec<(usize, i32)>, Vec<HousingRows>) {
    let rows = &roster.schools;
    let new_schools =
        scenario.new_schools.iter().filter_map(|n| rows.iter().rposition(|s| s.school_id == n.id && s.level == n.level).map(|i| (i, n.opening_year))).collect();
    let pool_of = |group: &str, level: Level| {
        pools.iter().find(|p| p.first().is_some_and(|&i| rows[i].level == level && rows[i].district_group == group)).cloned().unwrap_or_default()
    };
    let level_rows = |level: Level| (0..rows.len()).filter(|&i| rows[i].level == level).collect::<Vec<usize>>();
    let mut housing = Vec::new();
    for h in &scenario.housing {
        // A level the group lacks (or a group the roster lacks): the pupils
        // go to that level's whole district.
        let rows_of = |level: Level| Some(pool_of(&h.group, level)).filter(|p| !p.is_empty()).unwrap_or_else(|| level_rows(level));
        let (primary_rows, junior_rows) = (rows_of(Level::Primary), rows_of(Level::Junior));
        housing.push(HousingRows { year: h.year, primary_rows, junior_rows, primary_pupils: h.primary_pupils(), junior_pupils: h.junior_pupils() });
    }
    (new_schools, housing)
}

/// Whether row `i` is a new school still filling up: open for fewer years
/// than its level has grades, so it does not yet have every grade.
pub(super) fn filling_up(model: &Model, i: usize, year: i32) -> bool {
    let grades = model.roster.schools[i].level.grades().len() as i32;
    model.links.new_schools.iter().any(|&(row, opening)| row == i && year < opening + grades)
}

/// Every row open but the new schools, which open in their opening year.
pub(super) fn open_rows(model: &Model) -> OpenRows {
    let mut open = OpenRows::new(model.roster.schools.len());
    for &(row, _) in &model.links.new_schools {
        open.not_yet_open(row);
    }
    open
}

/// After enrollment: the year's new schools open, then housing adds its pupils.
pub(super) fn after_enrollment(model: &Model, state: &mut State, year: i32) {
    for &(row, opening) in &model.links.new_schools {
        if opening == year {
            open_school(model, state, row);
        }
    }
    for h in &model.links.group_housing {
        if year == h.year {
            let (p, j) = (h.primary_pupils, h.junior_pupils);
            let (primary, junior) = (Level::Primary.grades(), Level::Junior.grades());
            let shares = primary_shares(state, model, &h.primary_rows);
            for g in primary.clone() {
                add(state, &shares, g, p / primary.len() as f64);
            }
            let shares = junior_shares(model, state, &h.junior_rows);
            for g in junior.clone() {
                add(state, &shares, g, j / junior.len() as f64);
            }
        } else if year > h.year {
            let shares = primary_shares(state, model, &h.primary_rows);
            add(state, &shares, 0, h.primary_pupils / Level::Primary.grades().len() as f64);
        }
    }
}

/// Adds `pupils` to grade `g` of the rows, by their shares.
fn add(state: &mut State, shares: &[(usize, f64)], g: usize, pupils: f64) {
    for &(i, w) in shares {
        state.schools[i].students[g] += pupils * w;
    }
}

/// The open rows among `rows` with shares summing to 1 by `weight` (equal
/// shares when every weight is zero). When none of them is open (a group
/// whose only school has not opened yet), the open rows of their level in
/// the whole district take the pupils.
fn normalised(model: &Model, state: &State, rows: &[usize], weight: impl Fn(usize) -> f64) -> Vec<(usize, f64)> {
    let mut open: Vec<usize> = rows.iter().copied().filter(|&i| state.open_rows.is_open(i)).collect();
    if open.is_empty() {
        if let Some(&first) = rows.first() {
            let level = model.roster.schools[first].level;
            open = model.links.by_level[level as usize].iter().copied().filter(|&i| state.open_rows.is_open(i)).collect();
        }
    }
    let total: f64 = open.iter().map(|&i| weight(i)).sum();
    let n = open.len() as f64;
    open.into_iter().map(|i| (i, if total > 0.0 { weight(i) / total } else { 1.0 / n })).collect()
}

fn primary_shares(state: &State, model: &Model, rows: &[usize]) -> Vec<(usize, f64)> {
    let catchment = state.intake.as_ref().map_or(&model.links.catchment_share, |m| &m.catchment_share);
    normalised(model, state, rows, |i| catchment[i])
}

fn junior_shares(model: &Model, state: &State, rows: &[usize]) -> Vec<(usize, f64)> {
    normalised(model, state, rows, |i| state.schools[i].enrollment())
}

/// A row's places as the seat gap counts them (see the module notes).
pub(super) fn row_seats(model: &Model, state: &State, i: usize) -> f64 {
    let s = &state.schools[i];
    if s.capacity > 0.0 {
        s.capacity
    } else {
        super::rounding::floor(state.classrooms[i]) * model.scenario.standards.level(s.level).class_size_cap.value
    }
}

/// Opens new-school row `row`: it takes its share by seats of its group's
/// entry grade now and of the group's intake links from now on.
fn open_school(model: &Model, state: &mut State, row: usize) {
    let level = model.roster.schools[row].level;
    let group = &model.roster.schools[row].district_group;
    let of_level: Vec<usize> = (0..state.schools.len()).filter(|&i| i != row && state.open_rows.is_open(i) && model.roster.schools[i].level == level).collect();
    let in_group: Vec<usize> = of_level.iter().copied().filter(|&i| model.roster.schools[i].district_group == *group).collect();
    // A group with no other school of the level (not in the roster): the district.
    let neighbours = if in_group.is_empty() { of_level } else { in_group };
    let seats = state.schools[row].capacity;
    let group_seats: f64 = neighbours.iter().map(|&i| row_seats(model, state, i)).sum();
    let f = seats / (seats + group_seats);
    state.open_rows.open(row);

    let entry = level.grades().start;
    for &i in &neighbours {
        let moved = state.schools[i].students[entry] * f;
        state.schools[i].students[entry] -= moved;
        state.schools[row].students[entry] += moved;
    }

    let intake = state.intake.get_or_insert_with(|| Intake::of(&model.links));
    match level {
        Level::Primary => {
            let taken: f64 = neighbours.iter().map(|&i| intake.catchment_share[i] * f).sum();
            for &i in &neighbours {
                intake.catchment_share[i] *= 1.0 - f;
            }
            intake.catchment_share[row] += taken;
        }
        Level::Junior => {
            for list in intake.feeds.lists_mut() {
                let mut taken = 0.0;
                for (j, w) in list.iter_mut() {
                    if neighbours.contains(j) {
                        taken += *w * f;
                        *w *= 1.0 - f;
                    }
                }
                if taken > 0.0 {
                    add_feeds(list, [(row, taken)]);
                }
            }
        }
    }
}

/// The year's `seat_gap_<level>` values: pupils beyond places, summed over groups.
/// `facts` holds each row's figures this year (`record::row_facts`).
pub(super) fn seat_gaps(model: &Model, state: &State, facts: &[super::record::RowFacts]) -> [f64; 2] {
    let mut gaps = [0.0; 2];
    for pool in &model.links.by_level_group {
        let Some(&first) = pool.first() else { continue };
        let (mut pupils, mut seats) = (0.0, 0.0);
        for &i in pool.iter().filter(|&&i| state.open_rows.is_open(i)) {
            pupils += facts[i].p;
            seats += row_seats(model, state, i);
        }
        gaps[model.roster.schools[first].level as usize] += (pupils - seats).max(0.0);
    }
    gaps
}

/// One 学区/集团's pupils and places at one level in one year.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GroupSeats {
    /// The group's name (a school's own name when it is in no group).
    pub group: String,
    /// Pupils in the group's open rows of the level.
    pub pupils: f64,
    /// Their places.
    pub seats: f64,
}

impl GroupSeats {
    /// Pupils beyond the places (0 when there is room).
    pub fn gap(&self) -> f64 {
        (self.pupils - self.seats).max(0.0)
    }
}

/// Every 学区/集团's pupils and places at `level` in `year`, from a run that
/// kept its schools, in the order of the groups' names; their gaps sum to
/// the year's `seat_gap_<level>`. Empty when the run kept no schools or the
/// year is outside it.
pub fn seat_gaps_by_group(model: &Model, t: &Trajectory, level: Level, year: i32) -> Vec<GroupSeats> {
    let Some(y) = t.years.iter().position(|&x| x == year) else {
        return Vec::new();
    };
    if t.schools.len() != model.roster.schools.len() {
        return Vec::new();
    }
    let mut out: Vec<GroupSeats> = model
        .links
        .by_level_group
        .iter()
        .filter(|pool| pool.first().is_some_and(|&i| model.roster.schools[i].level == level))
        .map(|pool| {
            let first = &model.roster.schools[pool[0]];
            let group = if first.district_group.is_empty() { first.name.clone() } else { first.district_group.clone() };
            let (mut pupils, mut seats) = (0.0, 0.0);
            for &i in pool {
                let sy = &t.schools[i].years[y];
                if sy.open {
                    pupils += sy.students;
                    seats += sy.seats;
                }
            }
            GroupSeats { group, pupils, seats }
        })
        .collect();
    crate::sort::sort_by(&mut out, |a, b| a.group.cmp(&b.group));
    out
}
