//! Sub-model 5 and the record of a run: each year's balance assessment and
//! the district series. The core writes its own series (including the
//! per-indicator failing counts `failing.<level>.<indicator>`: open rows with
//! students below that indicator's threshold); then each district module
//! writes its block through a [`Sheet`].

use crate::scenario::ranges::same;
use crate::series::FIXED;

use super::district::Districts;
use super::funding::{funded_students_at, per_student};
use super::teachers::need_at;
use super::{Model, SchoolTrajectory, SchoolYear, State, TargetOutcome, Trajectory};
use crate::metrics::{assess, weighted_cvs_positive, Indicator, PerIndicator, Standards};
use crate::roster::{Level, NewQuality, School};

/// Every district series key, in recorded order: [`crate::series::keys`],
/// kept here for the engine's callers.
pub fn series_keys() -> &'static [String] {
    crate::series::keys()
}

/// Position of a declared (not generated) series key in the catalogue, and
/// so in the recorder's yearly array of [`FIXED`] values. A `const fn`:
/// written through `key!` (`engine/mod.rs`) every position is worked
/// out when the program is compiled (a key not in the catalogue fails the
/// build), so the record, which writes about fifty series a year, looks
/// no key up while it runs.
pub(super) const fn fixed(key: &str) -> usize {
    let mut k = 0;
    while k < FIXED.len() {
        if let std::borrow::Cow::Borrowed(declared) = &FIXED[k].key {
            if same(declared, key) {
                return k;
            }
        }
        k += 1;
    }
    panic!("series key is not declared in the catalogue")
}

/// [`fixed`] for a key known only while running (tests).
#[cfg(test)]
pub(super) fn at(key: &str) -> usize {
    FIXED.iter().position(|d| d.key == key).expect("series key is declared in the catalogue")
}

/// One row's figures in a year, worked out once by the recorder and read by
/// the district modules' blocks, so that no module sums a row's enrollment,
/// its indicators or its teacher need again.
#[derive(Debug, Clone, Copy)]
pub(super) struct RowFacts {
    /// Pupils ([`School::enrollment`]).
    pub p: f64,
    /// The seven indicator values of a row with pupils
    /// ([`Indicator::rates_at`]; meaningless where `p` is 0, see
    /// [`RowFacts::values`]): read where `p > 0` without testing each.
    pub rates: PerIndicator<f64>,
    /// Teachers the staffing rule asks for (`teachers::need`).
    pub need: f64,
    /// Which indicators an open row meets; `None` for a closed row.
    pub met: Option<PerIndicator<bool>>,
    /// Whether an open row passes the school rule (false for a closed row).
    pub passes: bool,
    /// An open row's whole classrooms (only whole classrooms hold a
    /// class); 0 for a closed row.
    pub classrooms: f64,
    /// An open row needs more classes than it has whole classrooms (some
    /// classes exceed the cap); false for a closed row.
    pub over_cap: bool,
    /// An open row meets the senior-title minimum ([`senior_ok`]); false
    /// for a closed row.
    pub senior_ok: bool,
    /// An open row with pupils is funded below the standard per pupil;
    /// false otherwise.
    pub below_funding: bool,
}

impl RowFacts {
    /// The seven indicator values ([`Indicator::values`]): `None` without pupils.
    pub fn values(&self) -> PerIndicator<Option<f64>> {
        values_of(self.p, self.rates)
    }
}

/// The values of a row with `p` pupils and `rates` ([`Indicator::values_at`]).
fn values_of(p: f64, rates: PerIndicator<f64>) -> PerIndicator<Option<f64>> {
    if p <= 0.0 {
        [None; 7]
    } else {
        rates.map(Some)
    }
}

/// Every row's [`RowFacts`] for `state` in `year`, into `out` (cleared first).
pub(super) fn row_facts(model: &Model, state: &State, year: i32, out: &mut Vec<RowFacts>) {
    let st = &model.scenario.standards;
    let per_student_yuan = Level::ALL.map(|l| per_student(model, l, year));
    out.clear();
    out.extend(state.schools.iter().enumerate().map(|(i, s)| {
        let p = s.enrollment();
        let rates = Indicator::rates_at(s, p);
        let need = need_at(model, s, p);
        if state.open_rows.is_open(i) {
            // `values_of`'s two cases, assessed without building the Options.
            let (met, passes) = if p <= 0.0 { assess(s.level, [None::<f64>; 7], st) } else { assess(s.level, rates, st) };
            // Only whole classrooms hold a class.
            let classrooms = super::rounding::floor(state.classrooms[i]);
            let over_cap = state.classes_needed[i] > classrooms;
            let funded = per_student_yuan[s.level as usize] * funded_students_at(model, p) / p.max(1.0);
            let below_funding = p > 0.0 && funded + 1e-6 < st.level(s.level).per_student_funding_yuan.value;
            let senior_ok = senior_ok(st, s);
            RowFacts { p, rates, need, met: Some(met), passes, classrooms, over_cap, senior_ok, below_funding }
        } else {
            RowFacts { p, rates, need, met: None, passes: false, classrooms: 0.0, over_cap: false, senior_ok: false, below_funding: false }
        }
    }));
}

/// The recorder's sums over the year's open rows (by level where the
/// series has one), kept in locals while the rows are read and written
/// into the year's values once: each is the same sum, from zero in row
/// order, as adding into the values would make.
#[derive(Default)]
struct RowSums {
    students: [f64; 2],
    classes: [f64; 2],
    capacity: [f64; 2],
    teachers: [f64; 2],
    need: [f64; 2],
    surplus: [f64; 2],
    total: f64,
    grade1: f64,
    surplus_all: f64,
    shortage: f64,
    failing: f64,
    over_cap: f64,
    below_senior: f64,
    below_funding: f64,
    over_size: f64,
}

impl RowSums {
    /// Writes the sums into `v`, the year's values, none written before.
    fn write(&self, v: &mut [f64]) {
        let by_level = [
            ([key!("students_primary"), key!("students_junior")], self.students),
            ([key!("classes_primary"), key!("classes_junior")], self.classes),
            ([key!("capacity_primary"), key!("capacity_junior")], self.capacity),
            ([key!("teachers_primary"), key!("teachers_junior")], self.teachers),
            ([key!("teacher_need_primary"), key!("teacher_need_junior")], self.need),
            ([key!("surplus_teachers_primary"), key!("surplus_teachers_junior")], self.surplus),
        ];
        for (at, x) in by_level {
            v[at[0]] = x[0];
            v[at[1]] = x[1];
        }
        for (at, x) in [
            (key!("students_total"), self.total),
            (key!("grade1_intake"), self.grade1),
            (key!("surplus_teachers"), self.surplus_all),
            (key!("shortage_teachers"), self.shortage),
            (key!("schools_failing"), self.failing),
            (key!("classes_over_cap"), self.over_cap),
            (key!("schools_below_senior_standard"), self.below_senior),
            (key!("schools_below_funding_standard"), self.below_funding),
            (key!("schools_over_size"), self.over_size),
        ] {
            v[at] = x;
        }
    }
}

/// One year's fixed series while the recorder writes them. A district module
/// adds its block with [`Sheet::put`], by the key's position (`key!`).
pub(super) struct Sheet<'a> {
    values: &'a mut [f64],
    /// Each row's figures this year (enrollment, indicators, need, and for
    /// an open row the recorder's assessment), so no module works them out
    /// or assesses a row twice.
    pub rows: &'a [RowFacts],
}

impl<'a> Sheet<'a> {
    /// A sheet over `values` (one per fixed key, in order).
    pub(super) fn new(values: &'a mut [f64], rows: &'a [RowFacts]) -> Sheet<'a> {
        Sheet { values, rows }
    }

    /// Adds `x` to the year's value (which starts at zero) of the fixed
    /// series at position `at`, written `key!("…")` with the series' key.
    /// A district module writes only its own keys.
    pub(super) fn put(&mut self, at: usize, x: f64) {
        self.values[at] += x;
    }

    /// The year's value of the fixed series `key` so far.
    #[cfg(test)]
    pub(super) fn get(&self, key: &str) -> f64 {
        self.values[at(key)]
    }
}

/// An event count as recorded: a whole number. A random run's counts are
/// whole already (each event happens or not); the central run carries the
/// exact expectation (p·n, the mean of a range) in its state, so no rounding
/// error builds up year on year, and records it rounded to the nearest whole
/// (halves up). Used for innovation cases and the strong-school programme's
/// seed graduates and key teachers.
pub(super) fn whole_count(x: f64) -> f64 {
    x.round()
}

/// Whether a row meets the senior-title minimum (≥ 1 senior teacher per
/// primary row, ≥ 5% of a junior row's teachers): the test the
/// `schools_below_senior_standard` series counts.
pub(super) fn senior_ok(st: &Standards, s: &School) -> bool {
    match s.level {
        Level::Primary => s.senior_teachers + 1e-9 >= st.primary_min_senior_teachers.value,
        Level::Junior => s.teachers <= 0.0 || s.senior_teachers / s.teachers + 1e-9 >= st.junior_min_senior_share.value,
    }
}

/// The year of a closed row in its trajectory: no pupils, teachers or
/// indicators; `merged_into` is `None` for a new school not yet open.
fn closed_year(year: i32, s: &School, merged_into: Option<&School>) -> SchoolYear {
    SchoolYear {
        year,
        students: 0.0,
        grade1: 0.0,
        classes: 0.0,
        class_size: 0.0,
        teachers: 0.0,
        teacher_need: 0.0,
        indicators: [None; 7],
        passes: false,
        new_quality: s.new_quality,
        open: false,
        merged_into: merged_into.map(|m| m.school_id.clone()),
        seats: 0.0,
    }
}

pub(super) struct Recorder {
    series: Vec<Vec<f64>>,
    schools: Vec<SchoolTrajectory>,
    keep_schools: bool,
    /// The year's row figures and each level's open rows, kept between
    /// years so a run allocates them once.
    facts: Vec<RowFacts>,
    by_level: [Vec<usize>; 2],
}

/// Each indicator's weighted CV over `rows` (their `facts`), as
/// [`crate::metrics::cvs_of`] works it out from (enrollment, values) rows,
/// leaving out those without pupils as the CV does: all seven at once, in
/// two passes over the rows (`weighted_cvs_positive`), no list of pairs
/// gathered.
fn cvs_of_rows(facts: &[RowFacts], rows: &[usize]) -> PerIndicator<Option<f64>> {
    weighted_cvs_positive(rows.iter().map(|&i| &facts[i]).filter(|f| f.p > 0.0).map(|f| (f.p, f.rates)))
}

impl Recorder {
    pub fn new(model: &Model, years: usize, keep_schools: bool) -> Recorder {
        let schools = if keep_schools {
            model
                .roster
                .schools
                .iter()
                .map(|s| SchoolTrajectory {
                    school_id: s.school_id.clone(),
                    name: s.name.clone(),
                    level: s.level,
                    years: Vec::with_capacity(years),
                })
                .collect()
        } else {
            Vec::new()
        };
        let rows = model.roster.schools.len();
        Recorder {
            // One by one: `vec![v; n]` clones, and a clone drops the capacity.
            series: (0..series_keys().len()).map(|_| Vec::with_capacity(years)).collect(),
            schools,
            keep_schools,
            facts: Vec::with_capacity(rows),
            by_level: [Vec::with_capacity(rows), Vec::with_capacity(rows)],
        }
    }

    /// Records `year`: the core's series from `state`, then each district
    /// module's block.
    pub fn record(&mut self, model: &Model, state: &State, districts: &Districts, year: i32) {
        let st = &model.scenario.standards;
        let mut v = [0.0; FIXED.len()];
        let mut sum = RowSums::default();
        let mut passing = [0.0; 2];
        let mut rows_at = [0.0; 2];
        // Each row's enrollment and indicator values, by level, for the CVs.
        let by_level = &mut self.by_level;
        by_level.iter_mut().for_each(Vec::clear);
        // Each row's figures, kept for the district modules (see `Sheet`)
        // rather than working them out, or assessing a row, twice.
        row_facts(model, state, year, &mut self.facts);
        let facts = &self.facts;
        // Open rows with students below each threshold, by level then indicator.
        let mut below_threshold = [[0.0; 7]; 2];

        for (i, s) in state.schools.iter().enumerate() {
            // A closed row (merged away) counts in no metric.
            if !state.open_rows.is_open(i) {
                if self.keep_schools {
                    let receiver = state.open_rows.receiver(i).map(|_| &model.roster.schools[state.open_rows.final_receiver(i)]);
                    self.schools[i].years.push(closed_year(year, s, receiver));
                }
                continue;
            }
            let lvl = s.level as usize;
            let f = &facts[i];
            let p = f.p;
            let needed = state.classes_needed[i];
            // Only whole classrooms hold a class.
            let classes = needed.min(f.classrooms);
            let class_size = if classes > 0.0 { p / classes } else { 0.0 };
            let teacher_need = f.need;
            let met = f.met.expect("an open row is assessed");
            by_level[lvl].push(i);
            // Most rows meet all seven: one test of the seven, then each only if not.
            if p > 0.0 && met != [true; 7] {
                for (k, met) in met.iter().enumerate() {
                    if !met {
                        below_threshold[lvl][k] += 1.0;
                    }
                }
            }

            sum.students[lvl] += p;
            sum.total += p;
            sum.classes[lvl] += classes;
            sum.capacity[lvl] += s.capacity;
            sum.teachers[lvl] += s.teachers;
            sum.need[lvl] += teacher_need;
            sum.surplus[lvl] += (s.teachers - teacher_need).max(0.0);
            sum.surplus_all += (s.teachers - teacher_need).max(0.0);
            sum.shortage += (teacher_need - s.teachers).max(0.0);
            if s.level == Level::Primary {
                sum.grade1 += s.students[0];
            }
            rows_at[lvl] += 1.0;
            if f.passes {
                passing[lvl] += 1.0;
            } else {
                sum.failing += 1.0;
            }
            // More classes needed than classrooms: some classes exceed the cap.
            if f.over_cap {
                sum.over_cap += 1.0;
            }
            if !f.senior_ok {
                sum.below_senior += 1.0;
            }
            if f.below_funding {
                sum.below_funding += 1.0;
            }
            // School size: a nine-year school counts both parts, once.
            // A nine-year school whose other part merged away is an ordinary school.
            let partner = model.links.partner[i].filter(|&j| state.open_rows.is_open(j));
            if partner.is_none_or(|j| j > i) {
                let total = p + partner.map_or(0.0, |j| facts[j].p);
                let size_cap = if partner.is_some() { st.nine_year_school_size_cap.value } else { st.school_size_cap.value };
                if total > size_cap {
                    sum.over_size += 1.0;
                }
            }
            if self.keep_schools {
                self.schools[i].years.push(SchoolYear {
                    year,
                    students: p,
                    grade1: if s.level == Level::Primary { s.students[0] } else { 0.0 },
                    classes,
                    class_size,
                    teachers: s.teachers,
                    teacher_need,
                    indicators: f.values(),
                    passes: f.passes,
                    new_quality: s.new_quality,
                    open: true,
                    merged_into: None,
                    seats: super::seats::row_seats(model, state, i),
                });
            }
        }

        sum.write(&mut v);

        // District-wide values, recorded once a year.
        let mut sheet = Sheet::new(&mut v, facts);
        let mut put = |at: usize, x: f64| sheet.put(at, x);
        put(key!("pass_share_primary"), if rows_at[0] > 0.0 { passing[0] / rows_at[0] } else { 0.0 });
        put(key!("pass_share_junior"), if rows_at[1] > 0.0 { passing[1] / rows_at[1] } else { 0.0 });

        // Reserve teachers are surplus too: employed, but not needed at a school.
        for level in Level::ALL {
            let r = state.reserve[level as usize].teachers;
            put([key!("teacher_reserve_primary"), key!("teacher_reserve_junior")][level as usize], r);
            put([key!("surplus_teachers_primary"), key!("surplus_teachers_junior")][level as usize], r);
            put(key!("surplus_teachers"), r);
        }
        let rot = &state.rotation;
        put(key!("hires"), state.hires);
        put(key!("rotated_teachers"), rot.rotated);
        let rot_share = if rot.eligible > 0.0 { rot.rotated / rot.eligible } else { 0.0 };
        let backbone_share = if rot.rotated > 0.0 { rot.rotated_backbone / rot.rotated } else { 0.0 };
        put(key!("rotation_share"), rot_share);
        put(key!("rotation_backbone_share"), backbone_share);
        let in_base_year = year == model.scenario.scenario.base_year;
        let rot_ok = in_base_year
            || (rot_share + 1e-9 >= st.rotation_min_share.value && backbone_share + 1e-9 >= st.rotation_backbone_min_share.value);
        put(key!("rotation_ok"), f64::from(u8::from(rot_ok)));

        let sp = &state.spend;
        put(key!("spend_operating_yuan"), sp.operating);
        put(key!("spend_grants_yuan"), sp.grants);
        put(key!("spend_capital_yuan"), sp.capital);
        put(key!("spend_total_yuan"), sp.total());
        put(key!("budget_envelope_yuan"), sp.envelope);
        put(key!("budget_gap_yuan"), sp.total() - sp.envelope);

        let pr = &state.programme;
        put(key!("new_quality_schools"), pr.listed(NewQuality::District) as f64);
        put(key!("municipal_new_quality_schools"), pr.listed(NewQuality::Municipal) as f64);
        put(key!("demonstration_schools"), pr.demonstration_schools() as f64);
        put(key!("innovation_projects"), pr.projects_started);
        put(key!("demo_projects"), pr.demo_projects() as f64);
        put(key!("innovation_cases"), whole_count(pr.cases));
        put(key!("certified_schools"), pr.certified);
        put(key!("new_quality_exits"), pr.exits);
        let deadline = model.scenario.new_quality.project_deadline_years.value.round() as i32;
        put(key!("projects_overdue"), pr.overdue(year, deadline) as f64);

        let mut cv_series = [0.0; 14];
        let mut certified = [false; 2];
        for level in Level::ALL {
            let cvs = cvs_of_rows(facts, &by_level[level as usize]);
            let ceiling = st.level(level).cv_ceiling.value;
            let max = cvs.iter().flatten().fold(f64::NAN, |m, &c| if m.is_nan() { c } else { m.max(c) });
            put([key!("cv_max_primary"), key!("cv_max_junior")][level as usize], max);
            let ok = cvs.iter().all(|c| c.is_some_and(|c| c <= ceiling + 1e-12));
            put([key!("cv_ok_primary"), key!("cv_ok_junior")][level as usize], f64::from(u8::from(ok)));
            // Certification as assessed: every open school of the level
            // passes (a level without schools passes no assessment) and
            // every CV is within its ceiling.
            let all_pass = rows_at[level as usize] > 0.0 && passing[level as usize] == rows_at[level as usize];
            certified[level as usize] = ok && all_pass;
            put([key!("certification_ok_primary"), key!("certification_ok_junior")][level as usize], f64::from(u8::from(certified[level as usize])));
            for (k, c) in cvs.iter().enumerate() {
                cv_series[level as usize * 7 + k] = c.unwrap_or(f64::NAN);
            }
        }

        put(key!("certification_ok"), f64::from(u8::from(certified[0] && certified[1])));
        let [gap_primary, gap_junior] = super::seats::seat_gaps(model, state, facts);
        put(key!("seat_gap_primary"), gap_primary);
        put(key!("seat_gap_junior"), gap_junior);

        districts.record(model, state, year, &mut sheet);

        for (k, x) in v.iter().chain(&cv_series).chain(below_threshold.as_flattened()).enumerate() {
            self.series[k].push(*x);
        }
    }

    pub fn finish(self, model: &Model, years: Vec<i32>) -> Trajectory {
        let keys = series_keys();
        let targets = model
            .scenario
            .targets
            .iter()
            .map(|t| {
                let k = keys.iter().position(|key| *key == t.series);
                let y = years.iter().position(|y| *y == t.year);
                let value = match (k, y) {
                    (Some(k), Some(y)) => self.series[k][y],
                    _ => f64::NAN,
                };
                TargetOutcome { id: t.id.clone(), value, met: !value.is_nan() && t.op.holds(value, t.value) }
            })
            .collect();
        Trajectory { years, series: self.series, schools: self.schools, targets }
    }
}
