//! What the scenario's numbers may be: one table of the single-number and
//! yearly fields of the core sections (`[enrollment]`, `[teachers]`,
//! `[funding]`, `[new_quality]`, `[standards]`), each with its path in the
//! scenario file, its allowed range and the way to reach it, plus the
//! per-level standards; and [`Bounds::check`], the one range and
//! whole-number check that validation and the planner's levers share.
//!
//! Each range is written here once. Validation reads this table, and
//! [`crate::levers`] adds what only the page needs (panel, labels, unit,
//! slider step) on top of it, taking its minimum and maximum from here.

use crate::message::{Problem, Text};
use crate::metrics::Indicator;
use crate::params::{Sourced, Yearly};
use crate::roster::Level;

use super::Scenario;

/// Inclusive bounds on a number, and whether it must be a whole number.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Bounds {
    /// The smallest allowed value.
    pub min: f64,
    /// The largest allowed value.
    pub max: f64,
    /// Whether a fractional part is refused (years, counts).
    pub whole: bool,
}

/// Why a value falls outside its [`Bounds`]. Its `Display` is the message
/// validation shows, in both languages.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum OutOfBounds {
    /// Not a finite number, or below `min` or above `max`.
    Outside {
        /// The smallest allowed value.
        min: f64,
        /// The largest allowed value.
        max: f64,
        /// The value that was refused.
        got: f64,
    },
    /// Inside the bounds but not a whole number.
    NotWhole {
        /// The value that was refused.
        got: f64,
    },
}

impl OutOfBounds {
    /// What the value must be, in both languages.
    pub fn message(&self) -> Text {
        match *self {
            OutOfBounds::Outside { min, max, .. } => Text::new(format!("取值须在 {min} 到 {max} 之间"), format!("must be between {min} and {max}")),
            OutOfBounds::NotWhole { .. } => Text::new("须为整数", "must be a whole number"),
        }
    }

    /// The value that was refused.
    pub fn got(&self) -> f64 {
        match *self {
            OutOfBounds::Outside { got, .. } | OutOfBounds::NotWhole { got } => got,
        }
    }

    /// The problem at the scenario field `path`: the message and the value found.
    pub fn at(&self, path: &str) -> Problem {
        Problem::field(path, self.message()).found(self.got().to_string())
    }
}

impl std::fmt::Display for OutOfBounds {
    /// The message and the value found, in both languages.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}, 实际为 (got) {}", self.message().bilingual(), self.got())
    }
}

impl Bounds {
    /// Any number from `min` to `max`, both included.
    pub const fn new(min: f64, max: f64) -> Bounds {
        Bounds { min, max, whole: false }
    }

    /// A whole number from `min` to `max`, both included.
    pub const fn whole(min: f64, max: f64) -> Bounds {
        Bounds { min, max, whole: true }
    }

    /// Whether `value` is allowed: finite and within the bounds first, then
    /// whole if the bounds ask for it (a value outside the bounds reports
    /// only that).
    ///
    /// # Errors
    ///
    /// [`OutOfBounds::Outside`] for a value that is not finite or lies
    /// outside `min..=max`; [`OutOfBounds::NotWhole`] for a fractional value
    /// where a whole number is required.
    pub fn check(&self, value: f64) -> Result<(), OutOfBounds> {
        if !(value.is_finite() && value >= self.min && value <= self.max) {
            return Err(OutOfBounds::Outside { min: self.min, max: self.max, got: value });
        }
        if self.whole {
            check_whole(value)?;
        }
        Ok(())
    }
}

/// Whether `value` has no fractional part, whatever its range.
///
/// # Errors
///
/// [`OutOfBounds::NotWhole`] when it has one.
pub fn check_whole(value: f64) -> Result<(), OutOfBounds> {
    if value.fract() == 0.0 {
        Ok(())
    } else {
        Err(OutOfBounds::NotWhole { got: value })
    }
}

type Get = fn(&Scenario) -> Option<&Sourced<f64>>;
type GetMut = fn(&mut Scenario) -> Option<&mut Sourced<f64>>;

/// A single-number value of the scenario, with its source.
#[derive(Clone, Copy)]
pub struct Field {
    /// The value's path in the scenario file, e.g. `teachers.rotation_share`.
    pub path: &'static str,
    /// The values validation accepts.
    pub bounds: Bounds,
    get: Get,
    get_mut: GetMut,
}

impl std::fmt::Debug for Field {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Field({})", self.path)
    }
}

impl Field {
    /// The value with its source. `None` is for optional fields (the pupil
    /// flows of issue 16) that a scenario does not state.
    pub fn get<'a>(&self, s: &'a Scenario) -> Option<&'a Sourced<f64>> {
        (self.get)(s)
    }

    /// The value to edit in place; `None` as for [`Field::get`]. Writing
    /// through it does not check the bounds: check them first.
    pub fn get_mut<'a>(&self, s: &'a mut Scenario) -> Option<&'a mut Sourced<f64>> {
        (self.get_mut)(s)
    }
}

/// A value given year by year (births, budgets, admissions); the bounds hold
/// for every year's value.
#[derive(Clone, Copy)]
pub struct YearlyField {
    /// The series' path in the scenario file, e.g. `funding.capital_budget_yuan`.
    pub path: &'static str,
    /// The values validation accepts in each year.
    pub bounds: Bounds,
    get: fn(&Scenario) -> &Yearly,
    get_mut: fn(&mut Scenario) -> &mut Yearly,
}

impl std::fmt::Debug for YearlyField {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "YearlyField({})", self.path)
    }
}

impl YearlyField {
    /// The series with its source.
    pub fn get<'a>(&self, s: &'a Scenario) -> &'a Yearly {
        (self.get)(s)
    }

    /// The series to edit in place. Writing through it does not check the
    /// bounds: check them first.
    pub fn get_mut<'a>(&self, s: &'a mut Scenario) -> &'a mut Yearly {
        (self.get_mut)(s)
    }
}

macro_rules! field {
    ($path:literal, $min:expr, $max:expr, $($part:ident).+) => {
        Field {
            path: $path,
            bounds: Bounds::new($min, $max),
            get: |s| Some(&s.$($part).+),
            get_mut: |s| Some(&mut s.$($part).+),
        }
    };
}

macro_rules! yearly_field {
    ($path:literal, $min:expr, $max:expr, $($part:ident).+) => {
        YearlyField {
            path: $path,
            bounds: Bounds::new($min, $max),
            get: |s| &s.$($part).+,
            get_mut: |s| &mut s.$($part).+,
        }
    };
}

/// Every single-number value of the core sections that validation ranges,
/// in the order of the planner's lever panels, with three optional ones
/// (absent, they are neither checked nor levers). The enrollment ratio is
/// optional (calibrated when absent) and is checked on its own.
pub static FIELDS: &[Field] = &[
    field!("enrollment.intake_adjustment", 0.0, 3.0, enrollment.intake_adjustment),
    field!("enrollment.net_migration_rate", -0.2, 0.2, enrollment.net_migration_rate),
    field!("enrollment.progression_rate", 0.5, 1.1, enrollment.progression_rate),
    // Optional values (issue 16): a scenario without them has no such lever.
    Field {
        path: "enrollment.junior_entry_share",
        bounds: Bounds::new(0.0, 1.0),
        get: |s| s.enrollment.junior_entry_share.as_ref(),
        get_mut: |s| s.enrollment.junior_entry_share.as_mut(),
    },
    Field {
        path: "enrollment.public_entry.share",
        bounds: Bounds::new(0.0, 1.0),
        get: |s| s.enrollment.public_entry.as_ref().map(|p| &p.share),
        get_mut: |s| s.enrollment.public_entry.as_mut().map(|p| &mut p.share),
    },
    Field {
        path: "enrollment.migrant.change",
        bounds: Bounds::new(0.0, 3.0),
        get: |s| s.enrollment.migrant.as_ref().map(|m| &m.change),
        get_mut: |s| s.enrollment.migrant.as_mut().map(|m| &mut m.change),
    },
    field!("teachers.staffing.primary_urban", 3.0, 40.0, teachers.staffing.primary_urban),
    field!("teachers.staffing.primary_rural", 3.0, 40.0, teachers.staffing.primary_rural),
    field!("teachers.staffing.junior", 3.0, 40.0, teachers.staffing.junior),
    field!("teachers.attrition_rate", 0.0, 0.5, teachers.attrition_rate),
    field!("teachers.surplus_tolerance", 0.0, 10.0, teachers.surplus_tolerance),
    field!("teachers.max_hires_per_year", 0.0, 100_000.0, teachers.max_hires_per_year),
    field!("teachers.new_hire_qualified_share", 0.0, 1.0, teachers.new_hire_qualified_share),
    field!("teachers.new_hire_pe_art_share", 0.0, 1.0, teachers.new_hire_pe_art_share),
    field!("teachers.senior_promotion_rate", 0.0, 0.5, teachers.senior_promotion_rate),
    field!("teachers.backbone_designation_rate", 0.0, 0.5, teachers.backbone_designation_rate),
    field!("teachers.rotation_share", 0.0, 1.0, teachers.rotation_share),
    field!("teachers.rotation_backbone_share", 0.0, 1.0, teachers.rotation_backbone_share),
    field!("teachers.eligible_share", 0.0, 1.0, teachers.eligible_share),
    field!("funding.per_student_primary_yuan", 0.0, 1e6, funding.per_student_primary_yuan),
    field!("funding.per_student_junior_yuan", 0.0, 1e6, funding.per_student_junior_yuan),
    field!("funding.per_student_growth", -0.2, 0.5, funding.per_student_growth),
    field!("funding.min_funded_students", 0.0, 1000.0, funding.min_funded_students),
    field!("funding.public_funds_share", 0.0, 1.0, funding.public_funds_share),
    field!("funding.grant_per_project_school_yuan", 0.0, 1e8, funding.grant_per_project_school_yuan),
    field!("funding.grant_per_strong_school_yuan", 0.0, 1e8, funding.grant_per_strong_school_yuan),
    field!("funding.grant_per_rotated_teacher_yuan", 0.0, 1e7, funding.grant_per_rotated_teacher_yuan),
    field!("funding.cost_per_m2_teaching_yuan", 1.0, 1e6, funding.cost_per_m2_teaching_yuan),
    field!("funding.cost_per_m2_sports_yuan", 1.0, 1e6, funding.cost_per_m2_sports_yuan),
    field!("funding.cost_per_multimedia_room_yuan", 1.0, 1e8, funding.cost_per_multimedia_room_yuan),
    field!("funding.teaching_m2_per_classroom", 20.0, 2000.0, funding.teaching_m2_per_classroom),
    field!("funding.build_delay_years", 0.0, 5.0, funding.build_delay_years),
    field!("funding.equipment_depreciation_rate", 0.0, 0.5, funding.equipment_depreciation_rate),
    field!("new_quality.review_pass_probability", 0.01, 1.0, new_quality.review_pass_probability),
    field!("new_quality.min_indicators_met", 0.0, 7.0, new_quality.min_indicators_met),
    field!("new_quality.exit_after_years", 1.0, 10.0, new_quality.exit_after_years),
    field!("new_quality.project_start_rate", 0.0, 1.0, new_quality.project_start_rate),
    field!("new_quality.project_completion_rate", 0.0, 1.0, new_quality.project_completion_rate),
    field!("new_quality.project_min_years", 0.0, 10.0, new_quality.project_min_years),
    field!("new_quality.project_deadline_years", 1.0, 10.0, new_quality.project_deadline_years),
    field!("new_quality.completion_gain_per_100k_yuan", 0.0, 1.0, new_quality.completion_gain_per_100k_yuan),
    field!("new_quality.cases_per_project_year", 0.0, 10.0, new_quality.cases_per_project_year),
    field!("new_quality.certifications_min", 0.0, 100.0, new_quality.certifications_min),
    field!("new_quality.certifications_max", 0.0, 100.0, new_quality.certifications_max),
    field!("standards.pass_min_met", 0.0, 7.0, standards.pass_min_met),
    field!("standards.pass_floor_share", 0.0, 1.0, standards.pass_floor_share),
    field!("standards.school_size_cap", 1.0, 20_000.0, standards.school_size_cap),
    field!("standards.nine_year_school_size_cap", 1.0, 20_000.0, standards.nine_year_school_size_cap),
    field!("standards.rotation_min_share", 0.0, 1.0, standards.rotation_min_share),
    field!("standards.rotation_backbone_min_share", 0.0, 1.0, standards.rotation_backbone_min_share),
    field!("standards.primary_min_senior_teachers", 0.0, 100.0, standards.primary_min_senior_teachers),
    field!("standards.junior_min_senior_share", 0.0, 1.0, standards.junior_min_senior_share),
];

/// Every yearly series of the core sections, in the order of the planner's
/// yearly levers.
pub static YEARLY_FIELDS: &[YearlyField] = &[
    yearly_field!("enrollment.births_wan", 0.1, 100.0, enrollment.births_wan),
    yearly_field!("funding.capital_budget_yuan", 0.0, 1e12, funding.capital_budget_yuan),
    yearly_field!("funding.budget_envelope_yuan", 0.0, 1e13, funding.budget_envelope_yuan),
    yearly_field!("new_quality.planned_admissions", 0.0, 1000.0, new_quality.planned_admissions),
    yearly_field!("new_quality.demonstration_designations", 0.0, 1000.0, new_quality.demonstration_designations),
    yearly_field!("new_quality.demo_project_designations", 0.0, 1000.0, new_quality.demo_project_designations),
];

/// The entry of [`FIELDS`] at `path`. A `const fn`, so a table built on this
/// one (the levers) names its field by path and a misspelt path fails to
/// compile.
///
/// # Panics
///
/// When no field has that path (at compile time when called in a constant).
pub const fn field(path: &str) -> &'static Field {
    let mut k = 0;
    while k < FIELDS.len() {
        if same(FIELDS[k].path, path) {
            return &FIELDS[k];
        }
        k += 1;
    }
    panic!("no scenario field at this path")
}

/// The entry of [`YEARLY_FIELDS`] at `path`, as [`field`] does.
///
/// # Panics
///
/// When no yearly field has that path (at compile time when called in a constant).
pub const fn yearly_field(path: &str) -> &'static YearlyField {
    let mut k = 0;
    while k < YEARLY_FIELDS.len() {
        if same(YEARLY_FIELDS[k].path, path) {
            return &YEARLY_FIELDS[k];
        }
        k += 1;
    }
    panic!("no yearly scenario field at this path")
}

/// `a == b` for strings, usable in a `const fn` (also the recorder's
/// `key!` positions).
pub(crate) const fn same(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    let mut k = 0;
    while k < a.len() {
        if a[k] != b[k] {
            return false;
        }
        k += 1;
    }
    true
}

/// Which per-level standard a [`StandardField`] is.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum StandardKind {
    /// The threshold of one of the seven indicators.
    Threshold(Indicator),
    /// The ceiling on the enrollment-weighted CV of the indicators.
    CvCeiling,
    /// The class-size cap.
    ClassSizeCap,
    /// The per-pupil funding standard, yuan.
    Funding,
}

impl StandardKind {
    /// The values validation accepts, in stored units.
    pub fn bounds(self) -> Bounds {
        match self {
            StandardKind::Threshold(_) => Bounds::new(1e-9, 1e7),
            StandardKind::CvCeiling => Bounds::new(0.01, 2.0),
            StandardKind::ClassSizeCap => Bounds::new(10.0, 80.0),
            StandardKind::Funding => Bounds::new(0.0, 1e6),
        }
    }
}

/// A per-level standard (thresholds are keyed by level and indicator, so
/// they do not fit the static table).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct StandardField {
    /// The school level the standard applies to.
    pub level: Level,
    /// Which standard of that level.
    pub what: StandardKind,
}

impl StandardField {
    /// The value's path in the scenario file, e.g. `standards.primary.cv_ceiling`.
    pub fn path(&self) -> String {
        let key = match self.what {
            StandardKind::Threshold(i) => i.key(),
            StandardKind::CvCeiling => "cv_ceiling",
            StandardKind::ClassSizeCap => "class_size_cap",
            StandardKind::Funding => "per_student_funding_yuan",
        };
        format!("standards.{}.{key}", self.level.key())
    }

    /// The values validation accepts, in stored units.
    pub fn bounds(&self) -> Bounds {
        self.what.bounds()
    }

    /// The value with its source.
    pub fn get<'a>(&self, s: &'a Scenario) -> &'a Sourced<f64> {
        let l = s.standards.level(self.level);
        match self.what {
            StandardKind::Threshold(i) => l.threshold_param(i),
            StandardKind::CvCeiling => &l.cv_ceiling,
            StandardKind::ClassSizeCap => &l.class_size_cap,
            StandardKind::Funding => &l.per_student_funding_yuan,
        }
    }
}

/// The per-level standards: for each level the seven thresholds, the CV
/// ceiling, the class-size cap and the funding standard.
pub fn standard_fields() -> Vec<StandardField> {
    let mut out = Vec::new();
    for level in Level::ALL {
        for i in Indicator::ALL {
            out.push(StandardField { level, what: StandardKind::Threshold(i) });
        }
        for what in [StandardKind::CvCeiling, StandardKind::ClassSizeCap, StandardKind::Funding] {
            out.push(StandardField { level, what });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Pudong, with the optional pupil flows stated so every field is present.
    fn pudong() -> Scenario {
        crate::scenario::with_pupil_flows(Scenario::from_toml(include_str!("../../scenarios/pudong-2024.toml")).unwrap())
    }

    #[test]
    fn check_refuses_outside_then_fractional() {
        let b = Bounds::whole(1.0, 10.0);
        assert_eq!(b.check(1.0), Ok(()));
        assert_eq!(b.check(10.0), Ok(()));
        assert_eq!(b.check(10.5), Err(OutOfBounds::Outside { min: 1.0, max: 10.0, got: 10.5 }), "outside wins over fractional");
        assert_eq!(b.check(2.5), Err(OutOfBounds::NotWhole { got: 2.5 }));
        assert!(matches!(b.check(f64::NAN), Err(OutOfBounds::Outside { .. })));
        assert!(matches!(Bounds::new(0.0, f64::INFINITY).check(f64::INFINITY), Err(OutOfBounds::Outside { .. })));
        assert_eq!(Bounds::new(1.0, 10.0).check(2.5), Ok(()));
    }

    #[test]
    fn messages_are_in_both_languages() {
        let outside = Bounds::new(0.0, 1.0).check(1.5).unwrap_err().to_string();
        assert_eq!(outside, "取值须在 0 到 1 之间 (must be between 0 and 1), 实际为 (got) 1.5");
        let fractional = check_whole(2.5).unwrap_err().to_string();
        assert_eq!(fractional, "须为整数 (must be a whole number), 实际为 (got) 2.5");
    }

    #[test]
    fn paths_are_unique_bounds_ordered_and_pudong_inside() {
        let s = pudong();
        let mut paths = std::collections::BTreeSet::new();
        for f in FIELDS {
            assert!(paths.insert(f.path.to_owned()), "duplicate {}", f.path);
            assert!(f.bounds.min < f.bounds.max, "{}", f.path);
            assert_eq!(f.bounds.check(f.get(&s).expect("Pudong has every core field").value), Ok(()), "{}", f.path);
            assert_eq!(field(f.path).bounds, f.bounds);
        }
        for f in YEARLY_FIELDS {
            assert!(paths.insert(f.path.to_owned()), "duplicate {}", f.path);
            assert!(f.get(&s).values.values().all(|v| f.bounds.check(*v).is_ok()), "{}", f.path);
            assert_eq!(yearly_field(f.path).bounds, f.bounds);
        }
        for sf in standard_fields() {
            assert!(paths.insert(sf.path()), "duplicate {}", sf.path());
            assert_eq!(sf.bounds().check(sf.get(&s).value), Ok(()), "{}", sf.path());
        }
    }

    #[test]
    fn the_path_is_where_the_value_sits_in_the_scenario_json() {
        let mut s = pudong();
        for (k, f) in FIELDS.iter().enumerate() {
            f.get_mut(&mut s).unwrap().value = k as f64 + 0.5;
        }
        for (k, f) in YEARLY_FIELDS.iter().enumerate() {
            f.get_mut(&mut s).values.insert("2024".into(), k as f64 + 0.25);
        }
        let json: serde_json::Value = serde_json::from_str(&s.to_json()).unwrap();
        let at = |path: &str| path.split('.').fold(&json, |v, k| &v[k]).clone();
        for (k, f) in FIELDS.iter().enumerate() {
            assert_eq!(at(f.path)["value"].as_f64(), Some(k as f64 + 0.5), "{}", f.path);
        }
        for (k, f) in YEARLY_FIELDS.iter().enumerate() {
            assert_eq!(at(f.path)["values"]["2024"].as_f64(), Some(k as f64 + 0.25), "{}", f.path);
        }
        for sf in standard_fields() {
            assert_eq!(at(&sf.path())["value"].as_f64(), Some(sf.get(&s).value), "{}", sf.path());
        }
    }
}
