//! A scenario: a district roster at the base year, policy levers,
//! assumptions, standards, targets, a seed and a horizon.
//!
//! People write scenarios as TOML (`scenarios/*.toml`, with comments); JSON is
//! the export and sharing format. Both go through the same serde types with
//! `deny_unknown_fields`, and [`Scenario::validate`] lists every problem at
//! once, each naming its field path and the allowed range.

mod merging;
pub mod ranges;
mod seats;
mod shared_courses;
mod strong_schools;
pub mod builtin;
pub mod json_path;
mod urban_rural;
mod validate;

use serde::{Deserialize, Serialize};

use crate::i18n::Lang;
use crate::message::{Error, ErrorKind, Place, Problem, Text};
use crate::metrics::{Indicator, Standards};
use crate::params::{Sourced, Yearly};
use crate::roster::synthetic::SyntheticSpec;
use crate::roster::{Level, Roster, School};

pub use merging::*;
pub use seats::{GroupHousing, NewSchool};
pub use shared_courses::*;
pub use strong_schools::*;
pub use urban_rural::*;

/// A whole scenario file. Read one with [`Scenario::from_toml`] or
/// [`Scenario::from_json`], which validate it; the optional district sections
/// switch their sub-models on, and change nothing when absent.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    /// `[scenario]`: id, name, question, seed and horizon.
    pub scenario: Meta,
    /// `[roster]`: where the base-year schools come from.
    pub roster: RosterSource,
    /// `[enrollment]`: births, intake, migration, progression and new housing.
    pub enrollment: EnrollmentParams,
    /// `[teachers]`: staffing, hiring, attrition, promotion and rotation.
    pub teachers: TeacherParams,
    /// `[funding]`: per-pupil funding, grants, the capital budget and unit costs.
    pub funding: FundingParams,
    /// `[new_quality]`: the new-quality schools programme (seed 000).
    pub new_quality: NewQualityParams,
    /// Seed 004 (Chongming): merging small schools, science teachers, facility upgrades.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub merging: Option<MergingParams>,
    /// `[science_teachers]` (seed 004 §7): a minimum of science teachers per
    /// school; `None`: off.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub science_teachers: Option<ScienceParams>,
    /// `[facility_upgrades]` (seed 004 §27): upgrades paid first out of the
    /// capital budget; `None`: none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub facility_upgrades: Option<FacilityUpgrades>,
    /// `[shared_courses]` (seed 003): shared and premium courses per 学区;
    /// `None`: off, and the shared-course series stay at zero.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shared_courses: Option<SharedCoursesParams>,
    /// `[strong_schools]` (seed 001): the strong public junior school programme;
    /// `None`: off.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub strong_schools: Option<StrongSchoolParams>,
    /// `[urban_rural]` (seed 002): the urban–rural staffing, senior-title and
    /// costing features; `None`: off.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub urban_rural: Option<UrbanRuralParams>,
    /// `[[new_schools]]`: dated new schools and expansions by 学区/集团; none
    /// when absent (not written then, so older files and links read the same).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub new_schools: Vec<NewSchool>,
    /// `[[housing]]`: dated new housing by 学区/集团; none when absent.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub housing: Vec<GroupHousing>,
    /// `[uncertainty]`: the spread of the Monte Carlo draws; the defaults of
    /// [`Uncertainty`] when absent.
    #[serde(default)]
    pub uncertainty: Uncertainty,
    /// `[standards]`: the assessment's thresholds and the other standards; the
    /// national defaults ([`Standards::default`]) when absent.
    #[serde(default)]
    pub standards: Standards,
    /// `[[targets]]`: the dated targets the run checks and gives probabilities for.
    #[serde(default)]
    pub targets: Vec<Target>,
}

/// `[scenario]`: what the scenario is, the question it answers, its random
/// seed and its horizon.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Meta {
    /// Short identifier used in links and file names, e.g. `pudong-2024`.
    pub id: String,
    /// The name shown to the planner, e.g. `浦东新区 · 新优质学校倍增计划`.
    pub name: String,
    /// The question the scenario answers, shown to the planner.
    pub question: String,
    /// The name in English, for the English interface; the Chinese one when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name_en: Option<String>,
    /// The question in English, for the English interface; the Chinese one when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub question_en: Option<String>,
    /// Seed file(s) the scenario is modelled on.
    #[serde(default)]
    pub seed_document: String,
    /// Seed of the random number generator for Monte Carlo runs and synthetic rosters.
    pub seed: u64,
    /// The roster describes the schools at the start of this school year.
    #[serde(default = "default_base_year")]
    pub base_year: i32,
    /// The last year simulated, 1–20 years after `base_year` (2030 when absent).
    #[serde(default = "default_end_year")]
    pub end_year: i32,
    /// Default number of Monte Carlo runs.
    #[serde(default = "default_runs")]
    pub runs: u32,
}

impl Meta {
    /// The name in `lang`, falling back to the Chinese name.
    pub fn name_in(&self, lang: Lang) -> &str {
        in_lang(&self.name, self.name_en.as_deref(), lang)
    }

    /// The question in `lang`, falling back to the Chinese question.
    pub fn question_in(&self, lang: Lang) -> &str {
        in_lang(&self.question, self.question_en.as_deref(), lang)
    }
}

/// `zh`, or in English `en` when the file gives it (a user's scenario may not).
fn in_lang<'a>(zh: &'a str, en: Option<&'a str>, lang: Lang) -> &'a str {
    match (lang, en) {
        (Lang::En, Some(en)) if !en.trim().is_empty() => en,
        _ => zh,
    }
}

fn default_base_year() -> i32 {
    2024
}
fn default_end_year() -> i32 {
    2030
}
fn default_runs() -> u32 {
    1000
}

/// Where the base-year roster comes from: exactly one of these.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RosterSource {
    /// A seeded synthetic roster at the district's scale.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub synthetic: Option<SyntheticSpec>,
    /// A CSV file, relative to the scenario file (native CLI only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub csv: Option<String>,
    /// Rows written out in full (JSON export, imported rosters).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub schools: Option<Vec<School>>,
}

/// A dated number of extra grade-1 pupils at one school (new housing).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HousingAddition {
    /// The school receiving the pupils (its `school_id` in the roster).
    pub school_id: String,
    /// The school year the pupils enter grade 1 (2000–2100).
    pub year: i32,
    /// Extra grade-1 pupils that year (0–5,000).
    pub grade1_students: f64,
    /// Where the figure comes from (a housing plan, or the reasoning behind an estimate).
    pub source: String,
}

/// `[enrollment]`: what drives pupil numbers: Shanghai births six years
/// earlier, the intake ratio, migration, progression and new housing.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EnrollmentParams {
    /// Shanghai resident births by year, in 万 (10,000).
    pub births_wan: Yearly,
    /// District grade-1 intake per Shanghai birth six years earlier. When
    /// absent it is calibrated so the base year reproduces the roster's grade 1.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enrollment_ratio: Option<Sourced<f64>>,
    /// Multiplier on the intake forecast (a planner's lever; 1 = as forecast).
    pub intake_adjustment: Sourced<f64>,
    /// Net in-migration per year as a share of pupils in grades 2–9.
    pub net_migration_rate: Sourced<f64>,
    /// Share of pupils moving on from one grade to the next in the same system.
    pub progression_rate: Sourced<f64>,
    /// Dated extra grade-1 pupils from new housing; none when absent.
    #[serde(default)]
    pub housing: Vec<HousingAddition>,
    /// Share of grade-5 primary leavers (5+4 system) who enter the
    /// district's public junior schools; the rest go to private schools or
    /// leave the district. Absent: 1, every leaver enters (as before).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub junior_entry_share: Option<Sourced<f64>>,
    /// `[enrollment.public_entry]`: the share of each grade-1 age cohort
    /// that enters the district's public schools. Absent: the share stays
    /// as it was in the base year.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub public_entry: Option<PublicEntry>,
    /// `[enrollment.migrant]`: migrant children (随迁子女) as a part of
    /// grade-1 intake with its own size and uncertainty. Absent: they are
    /// not told apart from the rest of the intake.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub migrant: Option<MigrantChildren>,
}

/// `[enrollment.public_entry]`. The intake ratio is calibrated on the base
/// year's roster, which holds public schools only, so it already carries
/// `base_share`; a forecast year's intake is scaled by `share / base_share`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PublicEntry {
    /// The share in the base year (the roster's year), 0.01–1.
    pub base_share: Sourced<f64>,
    /// The share in every forecast year (a planner's lever), 0–1.
    pub share: Sourced<f64>,
}

/// `[enrollment.migrant]`: 随迁子女 in grade-1 public intake. A forecast
/// year's intake is `(1 − share) + share × change × draw` times what it
/// would be otherwise, where the draw is the migrant part's own persistent
/// path (`[uncertainty] migrant_sigma`; 1 in the central run).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MigrantChildren {
    /// Their share of the base year's grade-1 public intake, 0–1.
    pub share: Sourced<f64>,
    /// Their intake in forecast years relative to the base year's pattern
    /// (a planner's lever for admission policy; 1 = unchanged), 0–3.
    pub change: Sourced<f64>,
}

/// How rotated teachers are directed between schools.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum RotationRule {
    /// From schools above the level's weighted mean of `indicator` to those below.
    TowardLagging {
        /// The indicator whose enrollment-weighted mean over the level's schools
        /// divides sending schools from receiving ones.
        indicator: Indicator,
    },
    /// Toward lagging schools, but only inside the same 学区/集团.
    WithinGroup {
        /// The indicator whose enrollment-weighted mean over the group's schools
        /// of a level divides sending schools from receiving ones.
        indicator: Indicator,
    },
    /// From each support school to the strong-school experimental school it is paired with.
    Pairings,
    /// 城乡交流 (seed 004 §2): an exchange between the urban and the rural
    /// schools of each level, backbone teachers flowing toward the side whose
    /// enrollment-weighted mean of `indicator` is lower.
    TownCountry {
        /// The indicator whose enrollment-weighted mean decides which side lags.
        indicator: Indicator,
    },
}

/// `[teachers.staffing]`: pupils per teacher the district staffs to, by level
/// and area, which sets each school's teacher need.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Staffing {
    /// Students per teacher the district staffs to.
    pub primary_urban: Sourced<f64>,
    /// Pupils per teacher at rural primary schools.
    pub primary_rural: Sourced<f64>,
    /// Pupils per teacher at junior schools, urban and rural alike.
    pub junior: Sourced<f64>,
}

/// `[teachers]`: staffing, hiring, attrition, promotion and rotation (交流轮岗).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TeacherParams {
    /// Pupils per teacher by level and area.
    pub staffing: Staffing,
    /// Share of teachers leaving each year (retirement and attrition).
    pub attrition_rate: Sourced<f64>,
    /// Teachers a school may keep above its need, as a share of the need;
    /// beyond that, surplus teachers go to the district's reserve pool, which
    /// fills shortages before anyone new is hired.
    pub surplus_tolerance: Sourced<f64>,
    /// New teachers the district may hire in a year.
    pub max_hires_per_year: Sourced<f64>,
    /// Shares of new hires who hold an above-standard degree, and who teach PE or art.
    pub new_hire_qualified_share: Sourced<f64>,
    /// Share of new hires who teach PE, music or art, 0–1.
    pub new_hire_pe_art_share: Sourced<f64>,
    /// Yearly share of non-senior teachers promoted to a senior title.
    pub senior_promotion_rate: Sourced<f64>,
    /// Yearly share of non-backbone teachers newly designated backbone.
    pub backbone_designation_rate: Sourced<f64>,
    /// 交流轮岗: share of eligible teachers rotated each year.
    pub rotation_share: Sourced<f64>,
    /// Minimum share of backbone teachers among those rotated.
    pub rotation_backbone_share: Sourced<f64>,
    /// Share of a school's teachers eligible to rotate (e.g. six years in post).
    pub eligible_share: Sourced<f64>,
    /// Where rotated teachers go.
    pub rotation_rule: RotationRule,
}

/// How the capital budget is spread over schools.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CapitalAllocation {
    /// In proportion to each school's pupils.
    EqualPerStudent,
    /// Schools furthest below the thresholds first.
    Targeted,
}

/// `[funding]`: per-pupil funding, grants, the capital budget with its unit
/// costs, and the spending envelope.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FundingParams {
    /// Per-student public funding at the base year, yuan.
    pub per_student_primary_yuan: Sourced<f64>,
    /// Per-pupil public funding for junior schools at the base year, yuan a year.
    pub per_student_junior_yuan: Sourced<f64>,
    /// Yearly growth of per-pupil funding, as a share (0.03 = 3% a year).
    pub per_student_growth: Sourced<f64>,
    /// Schools smaller than this have their 公用经费 (the non-salary part of
    /// per-pupil funding, [`FundingParams::public_funds_share`]) counted as if
    /// they had this many students (国发〔2015〕67号: 不足100人的学校按100人核定
    /// 公用经费); the rest of per-pupil funding follows the actual pupils.
    pub min_funded_students: Sourced<f64>,
    /// The share of per-pupil funding that is 公用经费 (public funds for
    /// running costs, not salaries), the part the 100-pupil floor applies to.
    /// Absent from older scenario files: an estimate of 0.25.
    #[serde(default = "default_public_funds_share")]
    pub public_funds_share: Sourced<f64>,
    /// Yearly grant to each school with an innovation project under way, yuan;
    /// it also raises the project's completion probability.
    pub grant_per_project_school_yuan: Sourced<f64>,
    /// Yearly grant to each strong-school experimental school, yuan; not paid
    /// when `[strong_schools]` is configured, whose own grant replaces it.
    pub grant_per_strong_school_yuan: Sourced<f64>,
    /// Yearly allowance per rotated teacher, yuan.
    pub grant_per_rotated_teacher_yuan: Sourced<f64>,
    /// Capital budget by year, yuan.
    pub capital_budget_yuan: Yearly,
    /// How the capital budget is spread over schools.
    pub capital_allocation: CapitalAllocation,
    /// Building cost of teaching and auxiliary floor area, yuan per m².
    pub cost_per_m2_teaching_yuan: Sourced<f64>,
    /// Building cost of sports grounds and halls, yuan per m².
    pub cost_per_m2_sports_yuan: Sourced<f64>,
    /// Cost of one networked multimedia classroom, yuan.
    pub cost_per_multimedia_room_yuan: Sourced<f64>,
    /// Teaching and auxiliary floor area that makes one more classroom, m².
    pub teaching_m2_per_classroom: Sourced<f64>,
    /// Years from funding to use for floor area and sports area.
    pub build_delay_years: Sourced<f64>,
    /// Yearly loss of equipment value.
    pub equipment_depreciation_rate: Sourced<f64>,
    /// Total spending envelope by year, yuan.
    pub budget_envelope_yuan: Yearly,
}

/// `[new_quality]`: the new-quality schools programme of seed 000
/// (浦教义〔2024〕6号): admissions, the exit rule, innovation projects,
/// demonstration schools, certifications and cases.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewQualityParams {
    /// District-level schools admitted to the list each year (the doubling trajectory).
    pub planned_admissions: Yearly,
    /// Probability an applicant passes review.
    pub review_pass_probability: Sourced<f64>,
    /// Indicators (of 7) a school must meet to be considered ready to apply.
    pub min_indicators_met: Sourced<f64>,
    /// The exit rule: a school without an innovation project this many years
    /// after joining leaves the list.
    pub exit_rule: bool,
    /// Years after joining (after the base year, for schools already listed)
    /// within which a school must start a project (seed 000 §二(一): 3).
    pub exit_after_years: Sourced<f64>,
    /// Yearly probability that a listed school without a project starts one.
    pub project_start_rate: Sourced<f64>,
    /// Yearly completion probability of a project at least `project_min_years` old,
    /// before the funding effect.
    pub project_completion_rate: Sourced<f64>,
    /// The shortest project, years: a younger one does not complete.
    pub project_min_years: Sourced<f64>,
    /// The deadline, years after a school joins the list (after the base
    /// year, for schools already listed), by which it should have completed
    /// a project (seed 000 §二(二) 原则上2-3年内需申报完成1项: 3). A deadline,
    /// not a duration: it sets no minimum; schools past it without a
    /// completed project are counted in `projects_overdue`.
    #[serde(default = "default_project_deadline_years")]
    pub project_deadline_years: Sourced<f64>,
    /// Added completion probability per 100,000 yuan of project grant.
    pub completion_gain_per_100k_yuan: Sourced<f64>,
    /// Demonstration projects designated so far (cumulative), by year.
    pub demo_project_designations: Yearly,
    /// Demonstration schools designated so far (cumulative), by year: the
    /// programme designates up to this total (seed 000 附件2: 6, 12, 20).
    pub demonstration_designations: Yearly,
    /// Innovation cases collected per active or completed project per year.
    pub cases_per_project_year: Sourced<f64>,
    /// District certifications a year: the range the plan gives (4–6).
    pub certifications_min: Sourced<f64>,
    /// The most certifications a year (the plan's 6).
    pub certifications_max: Sourced<f64>,
}

/// Spread of the uncertain inputs in Monte Carlo runs. All zeros and
/// `discrete_events = false` make every run equal the deterministic one.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Uncertainty {
    /// Log-scale spread of district births per year past the last year
    /// `births_wan` gives (a random walk within a run). Births a year with
    /// its own entry carry none: they are published.
    pub births_sigma: f64,
    /// Log-scale spread of the district's grade-1 intake ratio (pupils per
    /// birth six years earlier) one year past the base year, where it is
    /// calibrated; later years follow an AR(1) path with `persistence`.
    pub intake_ratio_sigma: f64,
    /// Year-to-year correlation (AR(1)) of the intake-ratio and migration
    /// draws within a run: a run whose intake is high one year tends to be
    /// high the next.
    pub persistence: f64,
    /// Log-scale spread of one school's intake at 100 pupils (grows for smaller schools).
    pub school_intake_sigma: f64,
    /// Spread of the net migration rate (absolute), the same every year.
    pub migration_sigma: f64,
    /// Log-scale spread of the migrant children's (随迁子女) grade-1 intake
    /// one year past the base year, an AR(1) path with `persistence` of its
    /// own; drawn only for scenarios with `[enrollment.migrant]`.
    #[serde(default = "default_migrant_sigma")]
    pub migrant_sigma: f64,
    /// Draw review, project and certification outcomes instead of using the central rule.
    pub discrete_events: bool,
}

impl Default for Uncertainty {
    fn default() -> Self {
        Uncertainty {
            births_sigma: 0.03,
            // E: the intake backtest's one-year error, +2.6% (README, Intake backtest).
            intake_ratio_sigma: 0.03,
            // E: deviations from the calibrated ratio (housing, migration
            // policy, private-school share) last several years.
            persistence: 0.7,
            school_intake_sigma: 0.05,
            migration_sigma: 0.005,
            migrant_sigma: default_migrant_sigma(),
            discrete_events: true,
        }
    }
}

impl Uncertainty {
    /// No spread and no discrete draws: every Monte Carlo run equals the
    /// central run.
    pub fn none() -> Self {
        Uncertainty {
            births_sigma: 0.0,
            intake_ratio_sigma: 0.0,
            persistence: 0.0,
            school_intake_sigma: 0.0,
            migration_sigma: 0.0,
            migrant_sigma: 0.0,
            discrete_events: false,
        }
    }
}

/// `s` with the optional pupil flows (issue 16) stated at values that
/// change nothing, for tests that need every field and lever present.
#[cfg(test)]
pub(crate) fn with_pupil_flows(mut s: Scenario) -> Scenario {
    s.enrollment.junior_entry_share = Some(Sourced::assumed(1.0, "test"));
    s.enrollment.public_entry = Some(PublicEntry { base_share: Sourced::assumed(0.9, "test"), share: Sourced::assumed(0.9, "test") });
    s.enrollment.migrant = Some(MigrantChildren { share: Sourced::assumed(0.4, "test"), change: Sourced::assumed(1.0, "test") });
    s
}

/// [`Uncertainty::migrant_sigma`] for a scenario file without it. E: the
/// migrant part of intake follows admission policy (积分 thresholds, housing
/// and social-insurance conditions), so it swings more than the intake ratio
/// as a whole (3%); no published series of district migrant intake was found.
fn default_migrant_sigma() -> f64 {
    0.08
}

/// [`NewQualityParams::project_deadline_years`] for a scenario file without it.
fn default_project_deadline_years() -> Sourced<f64> {
    Sourced::assumed(3.0, "000_9ddd49f59424de77.txt §二(二) 原则上2-3年内需申报完成1项 (the later end; default for files without it)")
}

/// [`FundingParams::public_funds_share`] for a scenario file without it.
fn default_public_funds_share() -> Sourced<f64> {
    Sourced::assumed(0.25, "估计: 公用经费约占生均经费的四分之一 (estimate; no Shanghai split found)")
}

/// A dated target on one district series, e.g. `new_quality_schools >= 120` in 2026.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Target {
    /// Short identifier, unique within the scenario, e.g. `nq-2026`.
    pub id: String,
    /// What the target says, for the planner, e.g. `2026年区级新优质项目校120所`.
    pub label: String,
    /// The label in English, for the English interface; `label` when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label_en: Option<String>,
    /// A key of [`crate::series::keys`].
    pub series: String,
    /// The year the target is checked, inside the horizon.
    pub year: i32,
    /// Whether the series must reach the value or stay at or under it.
    pub op: TargetOp,
    /// The target, in the series' unit (a share as 0–1; a yes/no series as 1).
    pub value: f64,
    /// The document and article that set the target (required).
    pub source: String,
    /// The source in English, for the English interface; `source` when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source_en: Option<String>,
    /// Whether the target is an outcome of the model or set directly by the
    /// plan's own inputs (`kind = "set_by_plan"`); written only when it is
    /// set by the plan.
    #[serde(default, skip_serializing_if = "TargetKind::is_outcome")]
    pub kind: TargetKind,
}

impl Target {
    /// The label in `lang`, falling back to the Chinese label.
    pub fn label_in(&self, lang: Lang) -> &str {
        in_lang(&self.label, self.label_en.as_deref(), lang)
    }

    /// The source in `lang`, falling back to the Chinese source.
    pub fn source_in(&self, lang: Lang) -> &str {
        in_lang(&self.source, self.source_en.as_deref(), lang)
    }

    /// Whether the target's series is set directly by a lever or input of
    /// the plan, so the model cannot miss it and no probability means
    /// anything (see [`TargetKind::SetByPlan`]).
    pub fn set_by_plan(&self) -> bool {
        self.kind == TargetKind::SetByPlan
    }
}

/// What a target's verdict says about the plan.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TargetKind {
    /// An outcome: the model computes the series from the inputs, and the
    /// target can be missed.
    #[default]
    Outcome,
    /// 由方案设定 / set by the plan: the series is set directly by a lever
    /// or input (designations, a rotation share, a top-up to the target, a
    /// funding base equal to the standard), so it is met by construction.
    /// It is shown with this mark and no probability, and counted neither
    /// among the outcomes met nor among the targets at risk.
    SetByPlan,
}

impl TargetKind {
    /// Whether this is [`TargetKind::Outcome`] (the default, not written).
    pub fn is_outcome(&self) -> bool {
        *self == TargetKind::Outcome
    }

    /// The mark shown instead of a probability: 由方案设定 / set by the plan.
    pub fn mark(self, lang: crate::i18n::Lang) -> &'static str {
        match self {
            TargetKind::Outcome => "",
            TargetKind::SetByPlan => lang.pick("由方案设定", "set by the plan"),
        }
    }
}

/// How a target compares, written `">="` or `"<="` in the scenario file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum TargetOp {
    /// The series must reach the value.
    #[serde(rename = ">=")]
    AtLeast,
    /// The series must not exceed the value.
    #[serde(rename = "<=")]
    AtMost,
}

impl TargetOp {
    /// Whether `actual` meets `target`, with a 1e-9 tolerance for values built
    /// from sums of fractions.
    pub fn holds(self, actual: f64, target: f64) -> bool {
        // A tolerance for values built from sums of fractions.
        match self {
            TargetOp::AtLeast => actual + 1e-9 >= target,
            TargetOp::AtMost => actual <= target + 1e-9,
        }
    }

    /// The comparison as shown to the planner: `≥` or `≤`.
    pub fn symbol(self) -> &'static str {
        match self {
            TargetOp::AtLeast => "≥",
            TargetOp::AtMost => "≤",
        }
    }
}

/// The error for a scenario with `problems`: [`ErrorKind::ScenarioInvalid`],
/// listed under "场景有 N 处错误 (scenario has N problem(s))".
pub fn invalid(problems: Vec<Problem>) -> Error {
    let n = problems.len();
    Error::with_problems(ErrorKind::ScenarioInvalid, Text::new(format!("场景有 {n} 处错误"), format!("scenario has {n} problem(s)")), problems)
}

/// The 1-based line of byte offset `at` in `text`.
#[cfg(feature = "toml")]
fn line_at(text: &str, at: usize) -> usize {
    text[..at.min(text.len())].matches('\n').count() + 1
}

/// The line of a TOML file where the value at `path` (or the deepest part
/// of it that the file has) is written, for an error the schema found.
#[cfg(feature = "toml")]
fn toml_line(text: &str, path: &json_path::Path) -> Option<usize> {
    use json_path::Segment;
    use toml_edit::{ArrayOfTables, Item, Table, Value};
    /// Where the walk stands: the kinds of TOML container a path goes through.
    #[derive(Clone, Copy)]
    enum Node<'a> {
        Table(&'a Table),
        Tables(&'a ArrayOfTables),
        Value(&'a Value),
    }
    fn item(i: &Item) -> Option<Node<'_>> {
        match i {
            Item::Table(t) => Some(Node::Table(t)),
            Item::ArrayOfTables(a) => Some(Node::Tables(a)),
            Item::Value(v) => Some(Node::Value(v)),
            Item::None => None,
        }
    }
    let doc = toml_edit::ImDocument::parse(text).ok()?;
    let mut node = Node::Table(doc.as_table());
    let mut span = None;
    for segment in &path.0 {
        let next = match (segment, node) {
            (Segment::Map { key }, Node::Table(t)) => t.get(key).and_then(item),
            (Segment::Map { key }, Node::Value(Value::InlineTable(t))) => t.get(key).map(Node::Value),
            (Segment::Seq { index }, Node::Tables(a)) => a.get(*index).map(Node::Table),
            (Segment::Seq { index }, Node::Value(Value::Array(a))) => a.get(*index).map(Node::Value),
            _ => None,
        };
        let Some(next) = next else { break };
        let here = match next {
            Node::Table(t) => t.span(),
            Node::Tables(a) => a.span(),
            Node::Value(v) => v.span(),
        };
        span = here.or(span);
        node = next;
    }
    span.map(|sp| line_at(text, sp.start))
}

/// A scenario file that does not parse or fit the schema, at the field
/// `path` where the parser stopped; the parser's own (English) reason, which
/// names what it found there, is the value found.
fn syntax_error(path: String, line: Option<usize>, reason: &str) -> Error {
    let message = match line {
        Some(n) => Text::new(format!("场景文件格式错误（第 {n} 行）"), format!("scenario file error (line {n})")),
        None => Text::new("场景文件格式错误", "scenario file error"),
    };
    Error::new(ErrorKind::ScenarioSyntax, Problem::field(path, message).found(reason))
}

/// `value` as JSON text, pretty-printed as `serde_json::to_string_pretty`
/// prints it or compact as `serde_json::to_string` writes it, through one
/// serializer type: a scenario written both ways (an export, a saved entry)
/// has one copy of its writing code in the page's module, not one per layout.
///
/// # Errors
///
/// As serde_json's, when `value` fails to serialize.
pub fn json_text<T: Serialize + ?Sized>(value: &T, pretty: bool) -> Result<String, serde_json::Error> {
    use serde_json::ser::{CompactFormatter, Formatter, PrettyFormatter};
    use std::io::{Result, Write};
    /// serde_json's pretty formatter, or its compact one when `None`.
    struct Layout(Option<PrettyFormatter<'static>>);
    /// `$call` on the pretty formatter or the compact one.
    macro_rules! either {
        ($self:ident, $f:ident => $call:expr) => {
            match &mut $self.0 {
                Some($f) => $call,
                None => {
                    let $f = &mut CompactFormatter;
                    $call
                }
            }
        };
    }
    impl Formatter for Layout {
        fn begin_array<W: ?Sized + Write>(&mut self, w: &mut W) -> Result<()> {
            either!(self, f => f.begin_array(w))
        }
        fn end_array<W: ?Sized + Write>(&mut self, w: &mut W) -> Result<()> {
            either!(self, f => f.end_array(w))
        }
        fn begin_array_value<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> Result<()> {
            either!(self, f => f.begin_array_value(w, first))
        }
        fn end_array_value<W: ?Sized + Write>(&mut self, w: &mut W) -> Result<()> {
            either!(self, f => f.end_array_value(w))
        }
        fn begin_object<W: ?Sized + Write>(&mut self, w: &mut W) -> Result<()> {
            either!(self, f => f.begin_object(w))
        }
        fn end_object<W: ?Sized + Write>(&mut self, w: &mut W) -> Result<()> {
            either!(self, f => f.end_object(w))
        }
        fn begin_object_key<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> Result<()> {
            either!(self, f => f.begin_object_key(w, first))
        }
        fn begin_object_value<W: ?Sized + Write>(&mut self, w: &mut W) -> Result<()> {
            either!(self, f => f.begin_object_value(w))
        }
        fn end_object_value<W: ?Sized + Write>(&mut self, w: &mut W) -> Result<()> {
            either!(self, f => f.end_object_value(w))
        }
    }
    let mut out = Vec::with_capacity(128);
    value.serialize(&mut serde_json::Serializer::with_formatter(&mut out, Layout(pretty.then(PrettyFormatter::new))))?;
    // serde_json writes UTF-8 only.
    Ok(String::from_utf8(out).unwrap_or_default())
}

impl Scenario {
    /// Parses TOML and validates. Unknown keys are rejected by serde and named
    /// with their path.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::ScenarioSyntax`] when the text is not valid TOML or does
    /// not fit the schema (an unknown key, a wrong type, a missing field), at
    /// the field's path with its line; [`ErrorKind::ScenarioInvalid`] listing
    /// every problem when values are out of range or inconsistent (see
    /// [`Scenario::validate`]).
    #[cfg(feature = "toml")]
    pub fn from_toml(text: &str) -> Result<Scenario, Error> {
        // Parsed to a plain table first, then read through the one
        // deserializer every scenario goes through (see `from_value`).
        let table: toml::Table = toml::from_str(text).map_err(|e| {
            let line = e.span().map(|sp| line_at(text, sp.start));
            syntax_error(".".into(), line, e.message().trim())
        })?;
        let value = serde_json::to_value(table).map_err(|e| syntax_error(".".into(), None, &e.to_string()))?;
        Scenario::from_value(value).map_err(|(path, reason)| {
            let line = toml_line(text, &path);
            syntax_error(path.to_string(), line, &reason)
        })?
        .validated()
    }

    /// Parses JSON (the export and sharing format) and validates, as
    /// `Scenario::from_toml` does.
    ///
    /// # Errors
    ///
    /// As `Scenario::from_toml`, the JSON parser's reason without a line.
    pub fn from_json(text: &str) -> Result<Scenario, Error> {
        json_path::from_str::<Scenario>(text)
            .map_err(|(path, reason)| match serde_json::from_str::<serde_json::Value>(text) {
                // Not JSON at all: the parser's reason, with its line.
                Err(e) => syntax_error(".".into(), None, &e.to_string()),
                Ok(_) => syntax_error(path.to_string(), None, &reason),
            })?
            .validated()
    }

    /// Reads a scenario from a JSON value, not validated, as
    /// [`Scenario::from_json`] reads its text: JSON text, TOML (through this)
    /// and saved entries are all read by serde_json's reader of the text
    /// ([`json_path::from_str`]), so the page's module holds one copy of the
    /// scenario types' deserializing code.
    ///
    /// # Errors
    ///
    /// The path where it stopped and serde's reason, when the value does not
    /// fit the schema.
    pub fn from_value(value: serde_json::Value) -> Result<Scenario, (json_path::Path, String)> {
        json_path::from_str(&value.to_string())
    }

    /// The scenario as pretty-printed JSON, which [`Scenario::from_json`] reads
    /// back to an equal scenario.
    pub fn to_json(&self) -> String {
        json_text(self, true).expect("scenario types serialize infallibly")
    }

    fn validated(self) -> Result<Scenario, Error> {
        let problems = self.validate();
        if problems.is_empty() {
            Ok(self)
        } else {
            Err(invalid(problems))
        }
    }

    /// Every problem in the scenario, each at its field path
    /// ([`Place::Field`]) with what is allowed and the value found.
    pub fn validate(&self) -> Vec<Problem> {
        validate::validate(self)
    }

    /// The base-year roster this scenario names. `read_csv` fetches the text
    /// of a CSV roster by its path (the CLI reads a file; the browser has the
    /// imported text), or says why it cannot.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::ScenarioInvalid`] for a synthetic spec with bad fields
    /// (each at its path), inline `[[roster.schools]]` rows with values
    /// beyond their plausible bounds (each at `roster.schools[i].<column>`),
    /// or no roster at all; [`ErrorKind::File`] when
    /// `read_csv` fails; [`ErrorKind::RosterRows`] for a CSV roster with
    /// problems, each at its row and column, under the file's path.
    pub fn resolve_roster(&self, read_csv: impl FnOnce(&str) -> Result<String, String>) -> Result<Roster, Error> {
        let r = &self.roster;
        if let Some(spec) = &r.synthetic {
            return crate::roster::synthetic::generate(spec).map_err(invalid);
        }
        if let Some(schools) = &r.schools {
            // Inline rows (a scenario file, a saved or shared scenario) get
            // the same plausibility bounds as a roster file's rows.
            let problems: Vec<Problem> = schools
                .iter()
                .enumerate()
                .flat_map(|(i, s)| {
                    crate::roster::implausible(s).into_iter().map(move |b| {
                        Problem::field(format!("roster.schools[{i}].{}", b.column), b.message).allowed(b.allowed).found(b.found)
                    })
                })
                .collect();
            if !problems.is_empty() {
                return Err(invalid(problems));
            }
            return Ok(Roster { schools: schools.clone() });
        }
        if let Some(path) = &r.csv {
            let text = read_csv(path).map_err(|why| {
                let p = Problem::new(Place::File(path.clone()), Text::new("无法读取花名册", "cannot read the roster")).found(why);
                Error::new(ErrorKind::File, p)
            })?;
            return crate::roster::csv_io::parse_roster_csv(&text, crate::roster::csv_io::Lang::Zh)
                .map_err(|ps| crate::roster::roster_error(ps).context(&format!("roster.csv ({path})")));
        }
        Err(invalid(vec![Problem::field("roster", Text::new("未给出花名册", "no roster given"))]))
    }

    /// The simulated years, `base_year` to `end_year` inclusive.
    pub fn years(&self) -> std::ops::RangeInclusive<i32> {
        self.scenario.base_year..=self.scenario.end_year
    }

    /// Pupils per teacher the district staffs a school of `level` in `area` to
    /// (`[teachers.staffing]`).
    pub fn staffing_ratio(&self, level: Level, area: crate::roster::Area) -> f64 {
        let st = &self.teachers.staffing;
        match (level, area) {
            (Level::Junior, _) => st.junior.value,
            (Level::Primary, crate::roster::Area::Urban) => st.primary_urban.value,
            (Level::Primary, crate::roster::Area::Rural) => st.primary_rural.value,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PUTUO: &str = include_str!("../../scenarios/putuo-strong-junior.toml");

    /// The message for Putuo's file with `from` replaced by `to` (first
    /// match), and the changed text.
    fn error_of(from: &str, to: &str) -> (String, String) {
        let text = PUTUO.replacen(from, to, 1);
        assert_ne!(text, PUTUO, "{from} is in the file");
        (Scenario::from_toml(&text).unwrap_err().to_string(), text)
    }

    /// "第 N 行" for the first line of `text` starting with `start`.
    fn line_of(text: &str, start: &str) -> String {
        format!("第 {} 行", text.lines().position(|l| l.starts_with(start)).expect("in the file") + 1)
    }

    #[test]
    fn a_schema_error_names_its_field_and_line_in_every_kind_of_toml_container() {
        // A value in an inline table of a [table].
        let (e, text) = error_of("progression_rate = { value = 1.0,", "progression_rate = { value = \"x\",");
        assert!(e.contains("`enrollment.progression_rate.value`") && e.contains(&line_of(&text, "progression_rate")), "{e}");
        // An unknown key of a [table] and of an [[array of tables]] entry.
        let (e, text) = error_of("\nattrition_rate = ", "\nattrition_rate_x = ");
        assert!(e.contains("`teachers.attrition_rate_x`") && e.contains(&line_of(&text, "attrition_rate_x")), "{e}");
        let (e, text) = error_of("[[targets]]\n", "[[targets]]\nbogus = 3\n");
        assert!(e.contains("`targets[0].bogus`") && e.contains(&line_of(&text, "bogus")), "{e}");
        // A missing field: the line of the table that lacks it.
        let at = PUTUO.find("\nattrition_rate = ").unwrap() + 1;
        let text = format!("{}{}", &PUTUO[..at], &PUTUO[at + PUTUO[at..].find('\n').unwrap() + 1..]);
        let e = Scenario::from_toml(&text).unwrap_err().to_string();
        assert!(e.contains("`teachers`") && e.contains("attrition_rate") && e.contains(&line_of(&text, "[teachers]")), "{e}");
        // An element of an inline array.
        let (e, text) = error_of("\nlabel = ", "\nlabel = [1, \"b\"] # ");
        assert!(e.contains("`targets[0].label`") && e.contains(&line_of(&text, "label = [1")), "{e}");
        // TOML that does not parse: its own line (the end of the file here).
        let e = Scenario::from_toml("a = 1\nb = [\n").unwrap_err().to_string();
        assert!(e.contains("第 3 行"), "{e}");
    }

    #[test]
    fn toml_json_and_saved_entries_read_to_the_same_scenario() {
        let s = Scenario::from_toml(PUTUO).unwrap();
        assert_eq!(Scenario::from_json(&s.to_json()).unwrap(), s);
        let value: serde_json::Value = serde_json::from_str(&s.to_json()).unwrap();
        assert_eq!(Scenario::from_value(value).unwrap(), s);
    }

    #[test]
    fn a_json_file_error_names_its_field_in_both_languages_pretty_or_compact() {
        let s = Scenario::from_toml(PUTUO).unwrap();
        let mut v: serde_json::Value = serde_json::from_str(&s.to_json()).unwrap();
        v["teachers"]["attrition_rate"]["value"] = "x".into();
        for text in [serde_json::to_string_pretty(&v).unwrap(), v.to_string()] {
            let e = Scenario::from_json(&text).unwrap_err();
            assert_eq!(e.kind(), ErrorKind::ScenarioSyntax);
            let (zh, en) = (e.message(Lang::Zh), e.message(Lang::En));
            assert!(zh.contains("场景文件格式错误") && zh.contains("`teachers.attrition_rate.value`") && zh.contains("expected f64"), "{zh}");
            assert!(en.contains("scenario file error") && en.contains("`teachers.attrition_rate.value`"), "{en}");
        }
        v["teachers"]["attrition_rate"]["value"] = 0.05.into();
        v["targets"][1].as_object_mut().unwrap().remove("op");
        let e = Scenario::from_json(&v.to_string()).unwrap_err().message(Lang::En);
        assert!(e.contains("`targets[1]`") && e.contains("missing field `op`"), "{e}");
        // Not JSON at all: the parser's reason, at the top.
        let e = Scenario::from_json("{\"scenario\": ").unwrap_err().message(Lang::En);
        assert!(e.contains("EOF while parsing") && e.contains("line 1"), "{e}");
    }

    #[test]
    fn json_text_is_serde_jsons_text_in_both_layouts() {
        for b in builtin::BUILTIN {
            let s = b.scenario().unwrap();
            assert_eq!(s.to_json(), serde_json::to_string_pretty(&s).unwrap(), "{}", b.id);
            assert_eq!(json_text(&s, false).unwrap(), serde_json::to_string(&s).unwrap(), "{}", b.id);
        }
        let empty: (Vec<u8>, std::collections::BTreeMap<u8, u8>) = (vec![], Default::default());
        assert_eq!(json_text(&empty, true).unwrap(), serde_json::to_string_pretty(&empty).unwrap());
    }
}
