//! The simulation engine: a district's schools year by year, deterministic
//! (central) and Monte Carlo. Pure computation: no I/O, no clock, no browser.
//!
//! ## Order of the sub-models within a year
//!
//! The roster describes the schools at the start of the base school year
//! (September of `base_year`). For each year `y` from the base year to the
//! end, the core sub-models run in this order, and the district modules
//! (`district/`) hook in at the points marked ▸:
//!
//! 1. **Enrollment** (`enrollment`, from `base_year + 1`): cohorts move up a
//!    grade; grade 5 moves to grade 6 of the junior school(s) it feeds; grade 1
//!    is births six years earlier × enrollment ratio × catchment share, plus
//!    migration and dated new housing. Then `seats`: the year's new schools
//!    open and take their share of their 学区's entry grade, and
//!    `[[housing]]` adds its pupils (see `seats.rs`).
//!    ▸ `after_enrollment` (merging: small rows close into a receiving
//!    school; a closed row counts in no later step or metric, though floor
//!    area already in its build pipeline is still delivered to the campus).
//! 2. **Teachers** (`teachers`, from `base_year + 1`): attrition; surplus
//!    beyond the tolerance withdrawn to the district reserve; shortages filled
//!    from the reserve, then by hiring within the cap; promotions and new
//!    backbone designations; rotation (交流轮岗) as an exchange that keeps
//!    every school's head count (▸ `rotation_exchanges`: the town–country
//!    rule). ▸ `after_teachers` (science-teacher minimum, then directed
//!    senior titles).
//! 3. **Funding** (`funding`): operating funds per student, special grants,
//!    the capital budget bought as floor area, sports area, equipment and
//!    multimedia rooms (floor and sports area arrive after the build delay,
//!    and new floor area adds classrooms), equipment depreciation; spending
//!    against the envelope (▸ `capital_claim`: facility upgrades come first
//!    out of the capital budget). ▸ `after_funding` (the strong-school
//!    programme).
//! 4. **New-quality programme** (`programme`, seed 000): exits, project
//!    starts and completions, admissions, demonstration designations,
//!    certifications and cases for year `y`. ▸ `after_programme` (学区
//!    sharing).
//! 5. **Balance metrics** ([`crate::metrics`], `record`): each school's seven
//!    indicators and pass status (worked out once a row, `record::RowFacts`,
//!    and read again by the district blocks), each level's weighted CVs, and
//!    the other standards; the year's district series are recorded (▸
//!    `record`: each district module's block) and targets evaluated.
//!
//! Steps 1–2 and their hooks are skipped in the base year: the roster
//! already is that year. At each ▸ the district modules run in the order of
//! the registration list; that order, like the core's, fixes the order of
//! operations and of random draws ([`draws`]), so changing it changes results.
//!
//! ## Whole numbers in the central run
//!
//! Pupils, teachers and money are expected values in the central run and
//! stay fractional. Counts of events (innovation cases, seed teachers
//! completing training, key teachers designated) are whole numbers in every
//! run: a random run draws each event; the central run carries the exact
//! expectation (p·n, the mean of a range) in its state, so no rounding error
//! builds up from year to year, and records it rounded to the nearest whole
//! number, halves up (`record::whole_count`). Counts of schools, classes and
//! courses are whole by construction. The series catalogue marks every
//! whole-number series (`SeriesDef::whole_number`) and a test checks that
//! every built-in scenario's values of those series are whole.
//!
//! ## District modules
//!
//! A district sub-model (强校工程, 城乡一体, 学区共享, 撤并, 科学教师, 设施改造,
//! 城乡交流) is one file in `district/` implementing the `District` trait:
//! it owns its state for a run and overrides only the hooks it needs. It
//! talks to the core through the run's `State` (the schools, the spending,
//! which rows are open, the intake links in force) and, once when the model
//! is bound, through `CoreRules` (how teacher need is counted, the funding
//! step's strong-school grant). Adding one: the file, plus one line in the
//! registration list `REGISTERED` in `district/mod.rs` (which also tables
//! every module's hooks). Hooks run once a year per module, never per school.
//!
//! **Architecture Invariant:** the engine core (`Model::run`, `State`, the
//! core sub-models and the recorder's core) names no district: no district
//! module, scenario section or district-only rule appears in its code; it
//! calls the modules only through `district::Districts`. A test
//! (`district/tests.rs`) checks the source.

/// The position of a declared series key among the recorder's yearly
/// values (`record::fixed`), worked out when the program is compiled: what
/// `record::Sheet::put` takes. A key not in the catalogue fails the build.
macro_rules! key {
    ($key:literal) => {
        const { $crate::engine::record::fixed($key) }
    };
}

pub mod backtest;
mod clearance;
mod district;
pub mod draws;
mod enrollment;
mod funding;
mod key_outputs;
pub mod montecarlo;
mod programme;
mod record;
mod rows;
mod rounding;
mod seats;
mod teachers;

use serde::Serialize;

use crate::metrics::PerIndicator;
use crate::roster::{Level, NewQuality, Roster};
use crate::message::{Error, ErrorKind, Problem, Text};
use crate::scenario::Scenario;

pub use clearance::{indicator_clearance, IndicatorClearance};
use district::Districts;
pub use draws::Draws;
pub use key_outputs::key_outputs;
pub use montecarlo::{run_monte_carlo, MonteCarlo};
pub use record::series_keys;
pub use seats::{seat_gaps_by_group, GroupSeats};
use rows::{Feeds, Intake, OpenRows};

/// One school row's values in one year.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SchoolYear {
    /// The school year (September of `year`).
    pub year: i32,
    /// Pupils in the row's grades (expected value in the central run, so not always whole).
    pub students: f64,
    /// Pupils in the first grade of the row's level (grade 1 or grade 6).
    pub grade1: f64,
    /// Classes the row teaches this year.
    pub classes: f64,
    /// Pupils per class (`students / classes`).
    pub class_size: f64,
    /// Teachers in post after attrition, withdrawals, hiring and rotation.
    pub teachers: f64,
    /// Teachers the staffing standard asks for at this enrollment.
    pub teacher_need: f64,
    /// The seven national indicators (教督〔2017〕6号); `None` where one is
    /// undefined (a row with no pupils).
    pub indicators: PerIndicator<Option<f64>>,
    /// Whether the row passes the assessment's school rule (6 of 7 indicators
    /// at the threshold, the seventh at 85% of it).
    pub passes: bool,
    /// The row's new-quality programme status in this year.
    pub new_quality: NewQuality,
    /// False once the row has merged into another school (seed 004 §28).
    pub open: bool,
    /// For a closed row: the school now teaching its pupils (after any chain
    /// of merges); `None` for a new school before its opening year.
    pub merged_into: Option<String>,
    /// The row's places (学位) as the seat gap counts them (see `seats`); 0
    /// while closed.
    pub seats: f64,
}

/// One school row (a school's primary or junior part) through every year of a run.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SchoolTrajectory {
    /// The roster's school code (shared by both rows of a nine-year school).
    pub school_id: String,
    /// The school's name as in the roster.
    pub name: String,
    /// Primary (grades 1–5) or junior (grades 6–9).
    pub level: Level,
    /// One entry per simulated year, base year first.
    pub years: Vec<SchoolYear>,
}

/// A target's value in one run.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TargetOutcome {
    /// The target's id in the scenario file.
    pub id: String,
    /// The target series' value in the target's year.
    pub value: f64,
    /// Whether the value satisfies the target's comparison (≥ or ≤).
    pub met: bool,
}

/// The result of one run.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Trajectory {
    /// The simulated years, base year first.
    pub years: Vec<i32>,
    /// `series[k][t]`: district series `series_keys()[k]` in year `years[t]`.
    pub series: Vec<Vec<f64>>,
    /// Per school row; empty when the run was asked not to keep them.
    pub schools: Vec<SchoolTrajectory>,
    /// Every target of the scenario, in the scenario's order.
    pub targets: Vec<TargetOutcome>,
}

impl Trajectory {
    /// The series named `key` (see [`series_keys`]).
    pub fn series(&self, key: &str) -> Option<&[f64]> {
        series_keys().iter().position(|k| k == key).map(|k| self.series[k].as_slice())
    }

    /// The value of series `key` in `year`.
    pub fn value(&self, key: &str, year: i32) -> Option<f64> {
        let t = self.years.iter().position(|y| *y == year)?;
        self.series(key).map(|s| s[t])
    }
}

/// A scenario bound to its roster, with everything derived once from the
/// base year (catchment shares, feeder links, pairings, groups).
#[derive(Debug, Clone)]
pub struct Model {
    /// The validated scenario the model runs.
    pub scenario: Scenario,
    /// The base-year roster the scenario runs on.
    pub roster: Roster,
    links: Links,
    rules: CoreRules,
}

/// Rules of the core sub-models that a district module may replace,
/// settled once when the model is bound (`District::adjust_rules`).
#[derive(Debug, Clone, PartialEq)]
struct CoreRules {
    /// How a school's teacher need is counted.
    staffing: teachers::Staffing,
    /// Yuan the funding step grants each strong school a year.
    strong_school_grant_yuan: f64,
}

impl CoreRules {
    /// The core's own rules: need by the staffing ratio, and
    /// `funding.grant_per_strong_school_yuan`.
    fn core(scenario: &Scenario) -> CoreRules {
        CoreRules {
            staffing: teachers::Staffing::Ratio,
            strong_school_grant_yuan: scenario.funding.grant_per_strong_school_yuan.value,
        }
    }
}

/// Index structures derived from the roster; row indices into `roster.schools`.
#[derive(Debug, Clone)]
struct Links {
    /// Each primary row's share of the district's grade-1 intake.
    catchment_share: Vec<f64>,
    /// For each primary row: the junior rows receiving its grade 5, with shares.
    feeds: rows::Feeds,
    /// Grade-1 intake per Shanghai birth six years earlier.
    enrollment_ratio: f64,
    /// The last year `births_wan` gives: births up to it are known, later
    /// ones carry the births error (see `draws`).
    births_known_until: Option<i32>,
    /// The other row of a nine-year school.
    partner: Vec<Option<usize>>,
    /// Rows of each level, and rows of each (level, 学区/集团): the pools that
    /// rotation toward lagging schools exchanges within.
    by_level: Vec<Vec<usize>>,
    by_level_group: Vec<Vec<usize>>,
    /// (experimental row, support row) for each strong-school pairing.
    pairs: Vec<(usize, usize)>,
    /// Rows of each school (unit), in roster order; a nine-year school has two.
    units: Vec<Vec<usize>>,
    /// Base-year classes per row: the classrooms the school starts with.
    classrooms: Vec<f64>,
    /// Extra grade-1 pupils by (row, year) from new housing.
    housing: Vec<(usize, i32, f64)>,
    /// Rows added for `[[new_schools]]`, with their opening years.
    new_schools: Vec<(usize, i32)>,
    /// `[[housing]]` by 学区/集团, with the rows of each level it reaches.
    group_housing: Vec<seats::HousingRows>,
}

impl Model {
    /// Binds `scenario` to `roster`, checking the links between them (feeds,
    /// pairings, housing rows).
    ///
    /// # Errors
    ///
    /// [`ErrorKind::RosterMismatch`] listing every problem, each at its field
    /// path: an empty roster, a feed or pairing to a school not in it, a
    /// housing row naming a school that is not a primary school in it.
    pub fn new(scenario: Scenario, roster: Roster) -> Result<Model, Error> {
        let mut problems = Vec::new();
        if roster.schools.is_empty() {
            problems.push(Problem::field("roster", Text::new("花名册为空", "the roster has no schools")));
        }
        // New schools are rows of the roster, closed until they open.
        let roster = seats::with_new_schools(&scenario, roster, &mut problems);
        let links = Links::derive(&scenario, &roster, &mut problems);
        if problems.is_empty() {
            let rules = Districts::rules(&scenario);
            Ok(Model { scenario, roster, links, rules })
        } else {
            let n = problems.len();
            let summary = Text::new(format!("场景与花名册不符，有 {n} 处问题"), format!("the scenario does not fit the roster: {n} problem(s)"));
            Err(Error::with_problems(ErrorKind::RosterMismatch, summary, problems))
        }
    }

    /// The central deterministic run, keeping every school's trajectory.
    pub fn run_central(&self) -> Trajectory {
        self.run(&mut Draws::Central, true)
    }

    /// One run with the given draws.
    pub fn run(&self, draws: &mut Draws, keep_schools: bool) -> Trajectory {
        let mut state = State::new(self);
        let mut districts = Districts::start(self);
        let years: Vec<i32> = self.scenario.years().collect();
        let mut rec = record::Recorder::new(self, years.len(), keep_schools);
        for &year in &years {
            self.year(&mut state, &mut districts, &mut rec, year, draws);
        }
        rec.finish(self, years)
    }

    /// One simulated year of a run: every sub-model in order, then the record.
    fn year(&self, state: &mut State, districts: &mut Districts, rec: &mut record::Recorder, year: i32, draws: &mut Draws) {
        if year > self.scenario.scenario.base_year {
            enrollment::step(self, state, year, draws);
            seats::after_enrollment(self, state, year);
            districts.after_enrollment(self, state, year, draws);
            teachers::step(self, state, districts);
            districts.after_teachers(self, state, year, draws);
        } else {
            state.rotation = teachers::RotationOutcome::default();
        }
        funding::step(self, state, year, districts);
        districts.after_funding(self, state, year, draws);
        programme::step(self, state, year, draws);
        districts.after_programme(self, state, year, draws);
        rec.record(self, state, districts, year);
    }

    /// The central run taken a year at a time ([`CentralSteps`]): the same
    /// run as [`Model::run_central`], for a caller that must pause between
    /// years (the page, on a roster of tens of thousands of rows).
    pub fn into_central_steps(self) -> CentralSteps {
        let state = State::new(&self);
        let districts = Districts::start(&self);
        let years: Vec<i32> = self.scenario.years().collect();
        let rec = record::Recorder::new(&self, years.len(), true);
        CentralSteps { model: self, state, districts, years, rec, next: 0 }
    }
}

/// A central run in progress, a year at a time; it owns its model, and
/// gives it back with the trajectory when done. Stepping it to the end gives
/// exactly [`Model::run_central`]'s trajectory (the same year body runs).
pub struct CentralSteps {
    model: Model,
    state: State,
    districts: Districts,
    years: Vec<i32>,
    rec: record::Recorder,
    next: usize,
}

impl CentralSteps {
    /// Simulates the next year; false once every year is done.
    pub fn step(&mut self) -> bool {
        let Some(&year) = self.years.get(self.next) else { return false };
        self.model.year(&mut self.state, &mut self.districts, &mut self.rec, year, &mut Draws::Central);
        self.next += 1;
        self.next < self.years.len()
    }

    /// Years done and years in all.
    pub fn progress(&self) -> (usize, usize) {
        (self.next, self.years.len())
    }

    /// Runs any years left and returns the model and its central trajectory.
    pub fn finish(mut self) -> (Model, Trajectory) {
        while self.step() {}
        let trajectory = self.rec.finish(&self.model, self.years);
        (self.model, trajectory)
    }
}

/// The changing state of a run.
#[derive(Debug, Clone)]
struct State {
    /// Each row's numbers this year; its names and ids are `model.roster`'s
    /// (empty here, see `numbers_of`).
    schools: Vec<crate::roster::School>,
    /// Floor and sports area bought but not yet built: (arrival year, row, m², m²).
    pipeline: Vec<(i32, usize, f64, f64)>,
    /// Classrooms per row: the base year's classes, plus those new floor area adds.
    classrooms: Vec<f64>,
    /// Classes each row needs this year (set by the funding step, read by the record).
    classes_needed: Vec<f64>,
    /// Grade 5 leaving each row (the enrollment step's list, kept between years).
    leaving_g5: Vec<f64>,
    /// The funding and teachers steps' lists, kept between years.
    funding_scratch: funding::Scratch,
    teachers_scratch: teachers::Scratch,
    rotation: teachers::RotationOutcome,
    /// Surplus teachers held by the district, by level.
    reserve: [teachers::Reserve; 2],
    hires: f64,
    spend: funding::Spend,
    programme: programme::ProgrammeState,
    /// Which rows are open; a closed row counts in no later step or metric.
    open_rows: OpenRows,
    /// The intake links in force once a district module has changed the
    /// model's own; `None` while those apply.
    intake: Option<Intake>,
}

impl State {
    fn new(model: &Model) -> State {
        State {
            schools: model.roster.schools.iter().map(numbers_of).collect(),
            pipeline: Vec::new(),
            classrooms: model.links.classrooms.clone(),
            classes_needed: vec![0.0; model.roster.schools.len()],
            leaving_g5: Vec::new(),
            funding_scratch: Default::default(),
            teachers_scratch: Default::default(),
            rotation: Default::default(),
            reserve: Default::default(),
            hires: 0.0,
            spend: Default::default(),
            programme: programme::ProgrammeState::new(model),
            open_rows: seats::open_rows(model),
            intake: None,
        }
    }
}

/// A roster row's numbers without its names, ids and links (those never
/// change during a run and are read from `model.roster`): a run's state
/// then copies no strings, which was a tenth of a Monte Carlo run.
fn numbers_of(s: &crate::roster::School) -> crate::roster::School {
    crate::roster::School {
        school_id: String::new(),
        name: String::new(),
        district_group: String::new(),
        paired_with: None,
        feeds: Vec::new(),
        ..*s
    }
}

impl Links {
    /// Whether row `i` was added for a `[[new_schools]]` entry.
    fn is_new_school(&self, i: usize) -> bool {
        self.new_schools.iter().any(|&(row, _)| row == i)
    }

    fn derive(scenario: &Scenario, roster: &Roster, problems: &mut Vec<Problem>) -> Links {
        let rows = &roster.schools;
        let base = scenario.scenario.base_year;

        let grade1_total: f64 = rows.iter().filter(|s| s.level == Level::Primary).map(|s| s.students[0]).sum();
        let primary_rows = rows.iter().filter(|s| s.level == Level::Primary).count().max(1) as f64;
        let catchment_share = rows
            .iter()
            .map(|s| match s.level {
                Level::Junior => 0.0,
                Level::Primary if grade1_total > 0.0 => s.students[0] / grade1_total,
                Level::Primary => 1.0 / primary_rows,
            })
            .collect();

        let births_then = scenario.enrollment.births_wan.interpolated(base - 6).unwrap_or(0.0) * 10_000.0;
        let enrollment_ratio = match &scenario.enrollment.enrollment_ratio {
            Some(r) => r.value,
            None if births_then > 0.0 => grade1_total / births_then,
            None => 0.0,
        };

        // Rows by (id, level), first row wins (as a scan from the top would):
        // every link below is a lookup, so binding is linear in rows. The map
        // is only looked up, never iterated, so its order reaches no result.
        let mut row_of: std::collections::HashMap<(&str, Level), usize> = std::collections::HashMap::with_capacity(rows.len());
        for (i, s) in rows.iter().enumerate() {
            row_of.entry((s.school_id.as_str(), s.level)).or_insert(i);
        }
        let row_of = |id: &str, level: Level| row_of.get(&(id, level)).copied();

        // Junior rows by id; a primary row's grade 5 goes to the rows it feeds,
        // or to its own junior part, or (without either) to every junior row
        // in proportion to its base-year grade 6.
        let junior_of = |id: &str| row_of(id, Level::Junior);
        let grade6_total: f64 = rows.iter().filter(|s| s.level == Level::Junior).map(|s| s.students[5]).sum();
        let junior_rows: Vec<usize> = (0..rows.len()).filter(|&i| rows[i].level == Level::Junior).collect();
        let mut feeds = Vec::with_capacity(rows.len());
        let mut spreads = vec![false; rows.len()];
        for (i, s) in rows.iter().enumerate() {
            if s.level == Level::Junior {
                feeds.push(Vec::new());
                continue;
            }
            let mut targets = Vec::new();
            for id in &s.feeds {
                match junior_of(id) {
                    Some(j) => targets.push(j),
                    None => problems.push(Problem::field(
                        format!("roster.schools[{i}].feeds"),
                        Text::new(
                            format!("`{}` 对口的初中 `{id}` 不在花名册中", s.school_id),
                            format!("`{}` feeds `{id}`, a junior school that is not in the roster", s.school_id),
                        ),
                    )),
                }
            }
            if targets.is_empty() {
                if let Some(j) = junior_of(&s.school_id) {
                    targets.push(j);
                }
            }
            let shares = if targets.is_empty() {
                // Every junior row, by the one shared list below.
                spreads[i] = true;
                Vec::new()
            } else {
                let w = 1.0 / targets.len() as f64;
                targets.into_iter().map(|j| (j, w)).collect()
            };
            feeds.push(shares);
        }
        let spread = junior_rows
            .iter()
            .map(|&j| {
                let w = if grade6_total > 0.0 { rows[j].students[5] / grade6_total } else { 1.0 / junior_rows.len() as f64 };
                (j, w)
            })
            .collect();
        let feeds = Feeds { rows: feeds, spreads, spread };

        let partner = rows
            .iter()
            .map(|s| row_of(&s.school_id, if s.level == Level::Primary { Level::Junior } else { Level::Primary }))
            .collect();

        let mut group_names: std::collections::BTreeMap<&str, u32> = Default::default();
        let group: Vec<u32> = rows
            .iter()
            .enumerate()
            .map(|(i, s)| {
                if s.district_group.is_empty() {
                    // A school in no group forms its own.
                    1_000_000 + i as u32
                } else {
                    let next = group_names.len() as u32;
                    *group_names.entry(s.district_group.as_str()).or_insert(next)
                }
            })
            .collect();

        let mut pairs = Vec::new();
        for (i, s) in rows.iter().enumerate() {
            let Some(id) = s.paired_with.as_deref().filter(|_| s.strong_school) else { continue };
            match row_of(id, s.level) {
                Some(j) => pairs.push((i, j)),
                None => problems.push(Problem::field(
                    format!("roster.schools[{i}].paired_with"),
                    Text::new(
                        format!("结对学校 `{id}` 不在花名册中或学段不同"),
                        format!("the paired school `{id}` is not in the roster at the same level"),
                    ),
                )),
            }
        }

        // Units in order of their first row; the map only finds a unit.
        let mut units: Vec<Vec<usize>> = Vec::new();
        let mut unit_of: std::collections::HashMap<&str, usize> = std::collections::HashMap::with_capacity(rows.len());
        for (i, s) in rows.iter().enumerate() {
            match unit_of.get(s.school_id.as_str()) {
                Some(&u) => units[u].push(i),
                None => {
                    unit_of.insert(s.school_id.as_str(), units.len());
                    units.push(vec![i]);
                }
            }
        }

        let classrooms = rows
            .iter()
            .map(|s| if s.classes > 0.0 { s.classes } else { funding::classes_needed(&scenario.standards, s) })
            .collect();

        let mut housing = Vec::new();
        for (k, h) in scenario.enrollment.housing.iter().enumerate() {
            match row_of(&h.school_id, Level::Primary) {
                Some(i) => housing.push((i, h.year, h.grade1_students)),
                None => problems.push(Problem::field(
                    format!("enrollment.housing[{k}].school_id"),
                    Text::new(format!("`{}` 不是花名册中的小学", h.school_id), format!("`{}` is not a primary school in the roster", h.school_id)),
                )),
            }
        }

        let by_level = Level::ALL.iter().map(|&l| (0..rows.len()).filter(|&i| rows[i].level == l).collect()).collect();
        let mut pools: std::collections::BTreeMap<(Level, u32), Vec<usize>> = Default::default();
        for (i, s) in rows.iter().enumerate() {
            pools.entry((s.level, group[i])).or_default().push(i);
        }
        let by_level_group: Vec<Vec<usize>> = pools.into_values().collect();

        let (new_schools, group_housing) = seats::links(scenario, roster, &by_level_group);
        Links {
            new_schools,
            group_housing,
            catchment_share,
            feeds,
            enrollment_ratio,
            births_known_until: scenario.enrollment.births_wan.entries().last().map(|&(year, _)| year),
            partner,
            by_level,
            by_level_group,
            pairs,
            units,
            classrooms,
            housing,
        }
    }
}

#[cfg(test)]
mod tests;
#[cfg(test)]
mod series_tests;
