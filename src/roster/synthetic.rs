//! Seeded synthetic rosters at a real district's scale.
//!
//! Real rosters come in by CSV import; this generator exists so that every
//! scenario can run on a plausible district before (or without) real data.
//! Every aggregate in [`SyntheticSpec`] is a [`Sourced`] value, so a scenario
//! file says where each number came from and which ones are estimates.
//!
//! # Guarantees
//!
//! - **Exact totals.** After rounding every head count to a whole number, the
//!   students of each level, the school counts, the new-quality counts and the
//!   strong-school count equal the spec's values exactly.
//! - **Determinism.** The same spec (including `seed`) gives the same
//!   [`Roster`] on every platform, native and wasm32: the only randomness is
//!   `ChaCha8Rng::seed_from_u64`, every draw is a `u32` or an `f64` (never a
//!   `usize`, whose width differs on wasm32), shuffles are written out here
//!   with `u32` draws, nothing iterates a `HashMap`, and the noise uses only
//!   `+ − × ÷` (an Irwin–Hall normal and a series `exp`), not the platform's
//!   `libm`, whose last bits may differ between targets.
//!
//! # Generation rules
//!
//! 1. **Schools.** `primary_schools` primary-only schools (`{id}-P001`…),
//!    `nine_year_schools` nine-year schools (`{id}-N001`…, two rows sharing
//!    the `school_id`: one primary, one junior) and `junior_schools`
//!    junior-only schools (`{id}-J001`…). Names are plainly synthetic:
//!    `浦东示例小学 017`, `浦东示例学校 012`, `浦东示例初级中学 005`. Rows come
//!    in that order (all P, then N pairs, then all J).
//! 2. **Rural schools.** `round(rural_share × schools)` schools, chosen at
//!    random, are rural: smaller, more teachers per student, more sports
//!    ground, fewer backbone and highly qualified teachers (all E).
//! 3. **Sizes.** Each row draws a lognormal weight (σ = 0.45; nine-year parts
//!    ×0.65, rural ×0.7). The weights are scaled to the level's total with
//!    per-row bounds: 150 up to the school-size cap (2,000) for single-level
//!    schools, 150 up to half the nine-year cap (1,250) for each part of a
//!    nine-year school, then rounded to whole pupils by largest remainder so
//!    the level total is exact.
//!    - 3a. **Small schools** (optional `small_schools`): the `count`
//!      primary-only schools with the smallest weights, rural ones first
//!      (village schools), get fixed sizes spread
//!      evenly over `min_students`–`max_students` (the j-th smallest gets
//!      min + (max − min)·(j + ½)/count, rounded); the other rows share the rest
//!      as in rule 3. No extra draws, so the rest of the roster is unchanged.
//! 4. **Grades.** Shanghai's births fell sharply after 2017, so in the base
//!    year the lower primary grades are smaller than the upper ones. Grade g
//!    (1-based) entered grade 1 in `base_year − (g − 1)` and was born about six
//!    years earlier, so its weight is the births of `base_year − (g − 1) − 6`
//!    (linear interpolation between the table's years, the nearest end
//!    outside it; both E), times a small per-grade noise. Each row's total is
//!    split across its grades by largest remainder.
//! 5. **Classes and capacity.** Per grade, `ceil(pupils / typical class
//!    size)`; the typical size varies ±7% by school (rural ×0.85) and never
//!    exceeds the level's class-size cap (45 / 50). Capacity is classes × cap
//!    plus 0–10% spare seats (E), and never below enrollment.
//! 6. **Teachers.** Pupils ÷ (students per teacher × lognormal noise σ = 0.12,
//!    rural ×0.88), kept within 5–30 pupils per teacher.
//! 7. **Indicators.** For each of the seven indicators of 教督〔2017〕6号 a row's
//!    ratio to the threshold is `resource_level × exp(a + e − σ²/2)`: `a` is a
//!    school effect shared by all indicators (σ = 0.7 × `resource_spread`), `e`
//!    is per indicator (σ = 0.7 × `resource_spread`), so well-resourced schools
//!    pass everything and a minority lag on one to three indicators. The
//!    resource is ratio × threshold × pupils (÷ 100 for per-100 indicators),
//!    rounded to whole units; teacher counts never exceed the teachers.
//!    Senior-title teachers are a share of teachers (primary median 4.5%,
//!    junior median 10%), so a few small primary schools have none and a
//!    few junior schools fall under 5%.
//!    - 7a. **Science teachers** (optional `science_teachers`): teachers × the
//!      level's share × lognormal noise (σ = 0.5), rounded, at most the
//!      teachers. The noise comes from a second ChaCha stream seeded from
//!      `seed`, so turning this on changes nothing else in the roster.
//! 8. **New-quality schools.** `district_new_quality` + `municipal_new_quality`
//!    schools (a nine-year school counts once; both rows share the status),
//!    chosen at random outside the strong-school experimental schools, with
//!    `new_quality_since` in the eight years before the base year
//!    (2016–2023). Of each list, `active_project_share` have an `Active`
//!    innovation project started in the last three years,
//!    `completed_project_share` a `Completed` one, and the rest none: under the
//!    plan's exit rule (000 §二(一)) those are at risk of leaving the list.
//! 9. **Strong-school experimental schools.** `strong_schools` junior-only
//!    schools with a weaker school effect (−0.25 in log ratio, E), each paired
//!    one-to-one with a distinct support school: the non-experimental schools
//!    with a junior section and the strongest school effects.
//! 10. **Groups and feeds.** Schools with a junior section are dealt round-robin
//!     into `groups` 学区/集团 (`浦东示例学区 07`), so every group has one. Feeds
//!     follow sizes: the largest primary-only schools each feed a distinct
//!     junior-only school (largest first), so every junior row has a feeder;
//!     every other primary feeds the junior section with the most room left,
//!     room being its grade-6 cohort less what it already receives. A primary
//!     joins the group of the school it feeds. A nine-year primary row feeds
//!     its own school. When there are more junior-only than primary-only
//!     schools (at most twice as many), each junior-only school left without
//!     a feeder gets one as a second feed: the largest single-feed
//!     primary-only school (not a small one of rule 3a) of its group, else
//!     of the district.
//!    - 10a. **Junior sizes follow feeds** (optional `junior_sizes_follow_feeds`):
//!      the small schools of rule 3a take no junior-only school of their own
//!      but, once every junior has a feeder, feed the junior section with the
//!      most room left among those already fed; then each junior row's size is
//!      re-apportioned from the level total in proportion to the primary pupils
//!      that feed it (a primary feeding two splits evenly), within the bounds
//!      of rule 3. No extra draws. Where junior-only schools are about as many
//!      as primary-only ones (Chongming), drawn sizes would leave juniors with
//!      feeders a fraction of their size, emptying within four years.
//!
//! Validation reports every invalid field at once, by path
//! (`roster.synthetic.primary_students: must be > 0`).

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};

use crate::message::{Problem, Text};
use crate::metrics::{Indicator, Standards};
use crate::params::{Sourced, Yearly};
use crate::plan::PUDONG_SEED;
use crate::roster::{Area, Level, Location, LocationKind, NewQuality, ProjectStatus, Roster, School, GRADES};

/// Field paths in validation messages start here (the scenario file's table).
pub const PATH: &str = "roster.synthetic";

/// Smallest school (or nine-year part) the generator makes (E).
const MIN_ROW_STUDENTS: f64 = 150.0;

/// Everything [`generate`] needs. Counts are `f64` so that every aggregate can
/// be a [`Sourced`] value; they must be whole numbers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SyntheticSpec {
    /// District name used in school names, e.g. `浦东` → `浦东示例小学 017`.
    pub name_prefix: String,
    /// School-id prefix, e.g. `PD` → `PD-P017`.
    pub id_prefix: String,
    /// Random seed: the same spec and seed always give the same roster.
    pub seed: u64,
    /// The year the roster describes.
    pub base_year: i32,
    /// Primary-only schools (nine-year schools are counted separately).
    pub primary_schools: Sourced<f64>,
    /// Junior-only schools (nine-year schools are counted separately).
    pub junior_schools: Sourced<f64>,
    /// Nine-year schools; each is two rows (primary and junior part).
    pub nine_year_schools: Sourced<f64>,
    /// All primary rows together, nine-year primary parts included.
    pub primary_students: Sourced<f64>,
    /// All junior rows together, nine-year junior parts included.
    pub junior_students: Sourced<f64>,
    /// Pupils per teacher at primary level (5–30), which sets each row's teachers.
    pub primary_students_per_teacher: Sourced<f64>,
    /// Pupils per teacher at junior level (5–30).
    pub junior_students_per_teacher: Sourced<f64>,
    /// Typical class size the schools aim for (never above the level's cap).
    pub primary_class_size: Sourced<f64>,
    /// Typical junior class size (never above the level's cap).
    pub junior_class_size: Sourced<f64>,
    /// Share of schools in rural areas, 0–1.
    pub rural_share: Sourced<f64>,
    /// Number of 学区/集团 groups.
    pub groups: Sourced<f64>,
    /// District-level new-quality schools at the base year.
    pub district_new_quality: Sourced<f64>,
    /// Municipal new-quality schools at the base year.
    pub municipal_new_quality: Sourced<f64>,
    /// Share of new-quality schools with an active innovation project.
    pub active_project_share: Sourced<f64>,
    /// Share of new-quality schools with a completed innovation project.
    pub completed_project_share: Sourced<f64>,
    /// Strong-school experimental junior schools (强校工程实验校).
    pub strong_schools: Sourced<f64>,
    /// Mean ratio of each resource to its threshold (1.0 = exactly at threshold).
    pub resource_level: Sourced<f64>,
    /// School-to-school coefficient of variation of those ratios.
    pub resource_spread: Sourced<f64>,
    /// Resident births by year (万), which shape the grades.
    pub births: Yearly,
    /// Optional: some rural primary-only schools made small (rule 3a). Absent:
    /// every row is at least 150 pupils, as before.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub small_schools: Option<SmallSchools>,
    /// Optional: science teachers as a share of teachers (rule 7a). Absent:
    /// rows have no science teachers, as before.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub science_teachers: Option<ScienceShares>,
    /// Optional: size junior rows by the pupils their feeders send (rule 10a).
    /// Absent or false: junior sizes are drawn like primary ones, as before.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub junior_sizes_follow_feeds: Option<Sourced<bool>>,
    /// Optional: the district's bounding box, in which each school gets a
    /// plausible longitude and latitude for the map (rule 11). Absent: no
    /// coordinates, as before.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub map_box: Option<MapBox>,
}

/// A district's bounding box in degrees (WGS-84), with its source.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MapBox {
    /// Westernmost longitude.
    pub west: f64,
    /// Southernmost latitude.
    pub south: f64,
    /// Easternmost longitude.
    pub east: f64,
    /// Northernmost latitude.
    pub north: f64,
    /// Where the box comes from (an estimate says so and why).
    pub source: String,
    /// True when the box is an estimate, as the UI and the checks label it.
    #[serde(default)]
    pub assumption: bool,
}

/// `count` rural primary-only schools sized evenly between `min_students` and
/// `max_students` (a rural island's village schools, 村小/教学点).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SmallSchools {
    /// How many primary-only schools are made small (at most `primary_schools`).
    pub count: Sourced<f64>,
    /// The smallest small school's pupils (a whole number, at least 1).
    pub min_students: Sourced<f64>,
    /// The largest small school's pupils (at most the school-size cap).
    pub max_students: Sourced<f64>,
}

/// Median share of a row's teachers who teach science (专(兼)职科学教师), by level.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScienceShares {
    /// Median share of a primary row's teachers who teach science, 0–1.
    pub primary_share: Sourced<f64>,
    /// Median share of a junior row's teachers who teach science, 0–1.
    pub junior_share: Sourced<f64>,
}

fn e(v: f64, why: &str) -> Sourced<f64> {
    Sourced::assumed(v, why)
}

/// Shanghai resident births (万), STANDARDS.md demography table.
pub fn shanghai_births() -> Yearly {
    Yearly::new(
        &[(2012, 22.61), (2016, 18.2), (2017, 21.84), (2019, 16.9), (2020, 12.76), (2021, 11.6), (2022, 10.9), (2023, 9.8), (2024, 11.9)],
        "STANDARDS.md Demography (Shanghai resident births, 万): 2012, 2017, 2019–2021, 2023 C; 2016, 2022, 2024 E; \
         missing years interpolated linearly and years before 2012 held at 2012 (E)",
        true,
    )
}

/// The Pudong defaults. Estimates are marked as assumptions and say how they
/// were derived.
pub fn pudong_spec() -> SyntheticSpec {
    SyntheticSpec {
        name_prefix: "浦东".into(),
        id_prefix: "PD".into(),
        // The plan's date (浦教义〔2024〕6号, 2024-07-29); any fixed value would do.
        seed: 20_240_729,
        base_year: 2024,
        primary_schools: e(160.0, "E: with 40 nine-year schools gives ≈200 schools with primary sections, matching ≈199 primary schools (STANDARDS.md Districts, Pudong, C/S)"),
        junior_schools: e(85.0, "E: Putuo/Chongming junior-to-primary ratios applied to Pudong's ≈200 primary sections (STANDARDS.md Districts)"),
        nine_year_schools: e(40.0, "E: ≈20% of Pudong's primary sections in nine-year schools, between Putuo's and Chongming's shares (STANDARDS.md Districts)"),
        primary_students: e(212_000.0, "E: Shanghai 2017 had 785,000 primary students in 741 schools (STANDARDS.md Demography, C) → ≈1,060 per school × 200 primary sections"),
        junior_students: e(175_000.0, "E: grades 6–9 in 2024 were born 2009–2012, cohorts about as large as the primary ones (STANDARDS.md Demography), so ≈ 4/5 of the primary total × 1.03; Shanghai's 2017 ratio (412,000 : 785,000) reflected the small 2004–07 cohorts"),
        primary_students_per_teacher: e(13.7, "E: Fengxian 2021 observed primary ratio (STANDARDS.md Staffing)"),
        junior_students_per_teacher: e(9.1, "E: Fengxian 2021 observed junior ratio (STANDARDS.md Staffing)"),
        primary_class_size: e(38.0, "E: Fengxian 2021 observed 38.1 students per primary class (STANDARDS.md Staffing)"),
        junior_class_size: e(40.0, "E: between Fengxian's 33.4 (2021) and the cap of 50; junior cohorts are the large pre-2017 ones"),
        rural_share: e(0.15, "E: Pudong's outer towns (former Nanhui) hold a minority of its schools"),
        groups: e(30.0, "E: about 10 schools per 学区/集团"),
        district_new_quality: Sourced::cited(58.0, &format!("{PUDONG_SEED} §二(一) 在原有58所区级新优质项目校的基础上")),
        municipal_new_quality: e(10.0, "E: the municipal count was not found (STANDARDS.md Programmes)"),
        active_project_share: e(0.5, "E: about half of the schools run an innovation project (000 §二(二) asks one within 2–3 years)"),
        completed_project_share: e(0.2, "E: some finished a project in an earlier round"),
        strong_schools: e(12.0, "E: Pudong's share of the 116 citywide experimental schools from 2018 (STANDARDS.md Programmes), ≈10%"),
        resource_level: e(1.4, "E: chosen so that most schools pass the national assessment and a minority lag on 1–3 indicators"),
        resource_spread: e(0.22, "E: chosen so that each level's weighted CV per indicator lies mostly in 0.15–0.45, under the ceilings 0.50 / 0.45"),
        births: shanghai_births(),
        small_schools: None,
        science_teachers: None,
        junior_sizes_follow_feeds: None,
        map_box: None,
    }
}

/// Generates the roster with the national thresholds of [`Standards::default`].
///
/// # Errors
///
/// As [`generate_with`]: every invalid field of `spec`, by path.
pub fn generate(spec: &SyntheticSpec) -> Result<Roster, Vec<Problem>> {
    generate_with(spec, &Standards::default())
}

/// Generates the roster against `standards` (thresholds, class-size and
/// school-size caps).
///
/// # Errors
///
/// Fails when the spec is invalid, listing every problem at once, each at
/// its field path under [`PATH`] (`roster.synthetic.primary_students`) with
/// the value found: a count that is not a whole number, pupil totals that
/// cannot be spread over the schools within the size caps, a class size
/// above the level's cap, a share outside 0–1, births without a year, or
/// too many strong schools to pair each with a distinct support school.
pub fn generate_with(spec: &SyntheticSpec, standards: &Standards) -> Result<Roster, Vec<Problem>> {
    let errors = validate(spec, standards);
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(Generator::new(spec, standards).run())
}

// ---------------------------------------------------------------------------
// Validation

/// The words of every check below, in both languages.
fn says(zh: impl Into<String>, en: impl Into<String>) -> Text {
    Text::new(zh, en)
}

fn validate(spec: &SyntheticSpec, standards: &Standards) -> Vec<Problem> {
    let mut errs = Vec::new();
    // A problem at `roster.synthetic.<field>`, with the value found when it is one number.
    let mut err = |field: &str, message: Text, found: Option<f64>| {
        let p = Problem::field(format!("{PATH}.{field}"), message);
        errs.push(match found {
            Some(v) => p.found(v.to_string()),
            None => p,
        });
    };

    if spec.name_prefix.trim().is_empty() {
        err("name_prefix", says("不能为空", "must not be empty"), None);
    }
    if spec.id_prefix.trim().is_empty() {
        err("id_prefix", says("不能为空", "must not be empty"), None);
    }
    if !(1900..=2200).contains(&spec.base_year) {
        err("base_year", says("须在 1900 到 2200 之间", "must be between 1900 and 2200"), Some(f64::from(spec.base_year)));
    }

    // Whole, non-negative counts; `None` when invalid so later checks skip them.
    let count = |field: &str, v: f64, min: f64, err: &mut dyn FnMut(&str, Text, Option<f64>)| -> Option<f64> {
        if !v.is_finite() || v.fract() != 0.0 {
            err(field, says("须为整数", "must be a whole number"), Some(v));
            None
        } else if v < min {
            err(field, says(format!("须不小于 {min}"), format!("must be ≥ {min}")), Some(v));
            None
        } else if v > 100_000.0 {
            err(field, says("须不大于 100000", "must be ≤ 100000"), Some(v));
            None
        } else {
            Some(v)
        }
    };
    let p = count("primary_schools", spec.primary_schools.value, 0.0, &mut err);
    let j = count("junior_schools", spec.junior_schools.value, 0.0, &mut err);
    let n = count("nine_year_schools", spec.nine_year_schools.value, 0.0, &mut err);
    let groups = count("groups", spec.groups.value, 1.0, &mut err);
    let dnq = count("district_new_quality", spec.district_new_quality.value, 0.0, &mut err);
    let mnq = count("municipal_new_quality", spec.municipal_new_quality.value, 0.0, &mut err);
    let strong = count("strong_schools", spec.strong_schools.value, 0.0, &mut err);

    let single_cap = standards.school_size_cap.value;
    let nine_cap = standards.nine_year_school_size_cap.value / 2.0;
    // Small schools: (count, total of their fixed sizes), when valid.
    let mut small = Some((0.0, 0.0));
    if let Some(ss) = &spec.small_schools {
        let k = count("small_schools.count", ss.count.value, 0.0, &mut err);
        let (lo, hi) = (ss.min_students.value, ss.max_students.value);
        if !(lo.is_finite() && lo.fract() == 0.0 && lo >= 1.0) {
            err("small_schools.min_students", says("须为不小于 1 的整数", "must be a whole number ≥ 1"), Some(lo));
            small = None;
        } else if !(hi.is_finite() && hi.fract() == 0.0 && hi >= lo && hi <= single_cap) {
            err(
                "small_schools.max_students",
                says(format!("须为 min_students ({lo}) 到 {single_cap} 之间的整数"), format!("must be a whole number from min_students ({lo}) to {single_cap}")),
                Some(hi),
            );
            small = None;
        }
        match (k, p) {
            (Some(k), Some(p)) if k > p => {
                err("small_schools.count", says(format!("须不大于 primary_schools ({p})"), format!("must be ≤ primary_schools ({p})")), Some(k));
                small = None;
            }
            (Some(k), _) => small = small.map(|_| (k, small_sizes(ss).iter().sum())),
            (None, _) => small = None,
        }
    }
    if let Some(sc) = &spec.science_teachers {
        for (field, v) in [("science_teachers.primary_share", sc.primary_share.value), ("science_teachers.junior_share", sc.junior_share.value)] {
            if !(0.0..=1.0).contains(&v) {
                err(field, says("须在 0 到 1 之间", "must be between 0 and 1"), Some(v));
            }
        }
    }
    for (field, v, rows) in [
        ("primary_students", spec.primary_students.value, p.zip(n)),
        ("junior_students", spec.junior_students.value, j.zip(n)),
    ] {
        if !v.is_finite() || v <= 0.0 {
            err(field, says("须大于 0", "must be > 0"), Some(v));
        } else if v.fract() != 0.0 {
            err(field, says("须为整数", "must be a whole number"), Some(v));
        } else if let Some((single, nine)) = rows {
            // Small primary schools have fixed sizes; the others take 150 up to the cap.
            let (k, fixed) = if field == "primary_students" { small.unwrap_or((0.0, 0.0)) } else { (0.0, 0.0) };
            let (lo, hi) = ((single + nine - k) * MIN_ROW_STUDENTS + fixed, (single - k) * single_cap + nine * nine_cap + fixed);
            if single + nine == 0.0 {
                err(field, says("该学段没有学校可容纳这些学生", "no schools at this level to hold the students"), None);
            } else if v < lo || v > hi {
                err(
                    field,
                    says(format!("无法分配到这些学校：须在 {lo} 到 {hi} 之间"), format!("cannot be spread over these schools: must be between {lo} and {hi}")),
                    Some(v),
                );
            }
        }
    }

    for (field, v) in [
        ("primary_students_per_teacher", spec.primary_students_per_teacher.value),
        ("junior_students_per_teacher", spec.junior_students_per_teacher.value),
    ] {
        if !(5.0..=30.0).contains(&v) {
            err(field, says("须在 5 到 30 之间", "must be between 5 and 30"), Some(v));
        }
    }
    for (field, v, level) in [
        ("primary_class_size", spec.primary_class_size.value, Level::Primary),
        ("junior_class_size", spec.junior_class_size.value, Level::Junior),
    ] {
        let cap = standards.level(level).class_size_cap.value;
        if !(10.0..=cap).contains(&v) {
            err(field, says(format!("须在 10 到班额上限 {cap} 之间"), format!("must be between 10 and the class-size cap {cap}")), Some(v));
        }
    }
    for (field, v) in [
        ("rural_share", spec.rural_share.value),
        ("active_project_share", spec.active_project_share.value),
        ("completed_project_share", spec.completed_project_share.value),
    ] {
        if !(0.0..=1.0).contains(&v) {
            err(field, says("须在 0 到 1 之间", "must be between 0 and 1"), Some(v));
        }
    }
    let (a, c) = (spec.active_project_share.value, spec.completed_project_share.value);
    if (0.0..=1.0).contains(&a) && (0.0..=1.0).contains(&c) && a + c > 1.0 {
        err(
            "completed_project_share",
            says("active_project_share + completed_project_share 须不大于 1", "active_project_share + completed_project_share must be ≤ 1"),
            Some(a + c),
        );
    }
    if let Some(b) = &spec.map_box {
        let lon = |v: f64| (-180.0..=180.0).contains(&v);
        let lat = |v: f64| (-90.0..=90.0).contains(&v);
        if !(lon(b.west) && lon(b.east) && b.west < b.east) {
            err("map_box.east", says("须满足 -180 ≤ west < east ≤ 180（经度）", "must satisfy -180 ≤ west < east ≤ 180 (longitude)"), Some(b.east));
        }
        if !(lat(b.south) && lat(b.north) && b.south < b.north) {
            err("map_box.north", says("须满足 -90 ≤ south < north ≤ 90（纬度）", "must satisfy -90 ≤ south < north ≤ 90 (latitude)"), Some(b.north));
        }
    }
    if !(0.5..=3.0).contains(&spec.resource_level.value) {
        err("resource_level", says("须在 0.5 到 3 之间", "must be between 0.5 and 3"), Some(spec.resource_level.value));
    }
    if !(0.0..=0.6).contains(&spec.resource_spread.value) {
        err("resource_spread", says("须在 0 到 0.6 之间", "must be between 0 and 0.6"), Some(spec.resource_spread.value));
    }

    let entries = spec.births.entries();
    if entries.is_empty() {
        err("births", says("至少需要一个年份", "needs at least one year"), None);
    }
    if entries.len() != spec.births.values.len() {
        err("births", says("每个键都须是年份", "every key must be a year"), None);
    }
    if entries.iter().any(|(_, v)| !v.is_finite() || *v <= 0.0) {
        err("births", says("每个取值都须大于 0", "every value must be > 0"), None);
    }

    // Cross-field checks, only when the counts themselves are valid.
    if let (Some(p), Some(j), Some(n)) = (p, j, n) {
        if p + n == 0.0 || j + n == 0.0 {
            err(
                "nine_year_schools",
                says("至少需要一所有小学年级的学校和一所有初中年级的学校", "need at least one school with primary grades and one with junior grades"),
                None,
            );
        }
        if j > 2.0 * p {
            err(
                "junior_schools",
                says(
                    format!("{j} 所独立初中至少需要一半数量的独立小学（现有 {p} 所）对口"),
                    format!("{j} junior-only schools need at least half as many primary-only schools ({p}) to feed them"),
                ),
                None,
            );
        }
        if let Some(g) = groups {
            if g > j + n {
                err(
                    "groups",
                    says(
                        format!("须不大于 junior_schools + nine_year_schools ({})，使每个集团都有初中部", j + n),
                        format!("must be ≤ junior_schools + nine_year_schools ({}), so every group has a junior section", j + n),
                    ),
                    Some(g),
                );
            }
        }
        if let Some(s) = strong {
            if s > j {
                err("strong_schools", says(format!("须不大于 junior_schools ({j})"), format!("must be ≤ junior_schools ({j})")), Some(s));
            } else if 2.0 * s > j + n {
                err(
                    "strong_schools",
                    says(
                        format!("每所须有不同的支援学校：2 × strong_schools 须不大于 junior_schools + nine_year_schools ({})", j + n),
                        format!("each needs a distinct support school: 2 × strong_schools must be ≤ junior_schools + nine_year_schools ({})", j + n),
                    ),
                    Some(s),
                );
            }
        }
        if let (Some(d), Some(m), Some(s)) = (dnq, mnq, strong) {
            let free = p + j + n - s.min(j);
            if d + m > free {
                err(
                    "district_new_quality",
                    says(
                        format!("区级与市级新优质学校合计 {} 所，超过强校工程以外的 {free} 所学校", d + m),
                        format!("district + municipal new-quality schools ({}) exceed the {free} schools outside the strong-school programme", d + m),
                    ),
                    None,
                );
            }
        }
    }
    errs
}

// ---------------------------------------------------------------------------
// Platform-independent numerics

/// `exp` from `+ − × ÷` only, so native and wasm32 agree to the bit: a Taylor
/// series on x/1024, squared ten times. Accurate to ~1e-13 for |x| < 5.
fn exp_det(x: f64) -> f64 {
    let y = x / 1024.0;
    let mut term = 1.0;
    let mut sum = 1.0;
    for k in 1..=8 {
        term = term * y / k as f64;
        sum += term;
    }
    for _ in 0..10 {
        sum *= sum;
    }
    sum
}

/// Approximately standard normal (Irwin–Hall, 12 uniforms); bounded at ±6,
/// which keeps synthetic schools away from absurd extremes.
fn normal(rng: &mut ChaCha8Rng) -> f64 {
    let mut s = -6.0;
    for _ in 0..12 {
        s += rng.random::<f64>();
    }
    s
}

/// A lognormal factor with mean ≈ 1 and log-sd `sigma`.
fn lognormal(rng: &mut ChaCha8Rng, sigma: f64) -> f64 {
    exp_det(sigma * normal(rng) - sigma * sigma / 2.0)
}

fn uniform(rng: &mut ChaCha8Rng, lo: f64, hi: f64) -> f64 {
    lo + (hi - lo) * rng.random::<f64>()
}

/// An index below `n`, drawn as `u32` so wasm32 and 64-bit targets agree.
fn index(rng: &mut ChaCha8Rng, n: usize) -> usize {
    rng.random_range(0..n as u32) as usize
}

/// An integer year in `lo..=hi`.
fn year(rng: &mut ChaCha8Rng, lo: i32, hi: i32) -> i32 {
    if hi <= lo {
        return lo;
    }
    lo + rng.random_range(0..=(hi - lo) as u32) as i32
}

/// Fisher–Yates with `u32` draws (rand's `shuffle` draws `usize`).
fn shuffle<T>(rng: &mut ChaCha8Rng, v: &mut [T]) {
    for i in (1..v.len()).rev() {
        v.swap(i, index(rng, i + 1));
    }
}

/// Rounds `x` (summing to `total`) to whole numbers summing to exactly
/// `total` by largest remainder, keeping each within `[lo_i, hi_i]` (whole
/// bounds). Ties go to the lower index.
fn round_to_total(x: &[f64], total: u64, bounds: &[(f64, f64)]) -> Vec<u64> {
    let mut out: Vec<u64> = x.iter().map(|v| v.floor().max(0.0) as u64).collect();
    let mut order: Vec<usize> = (0..x.len()).collect();
    // Largest fractional part first.
    crate::sort::sort_by(&mut order, |&a, &b| (x[b] - x[b].floor()).total_cmp(&(x[a] - x[a].floor())).then(a.cmp(&b)));
    let mut sum: u64 = out.iter().sum();
    // Floating error in `x` can leave the floors more than n short, or over.
    while sum < total {
        let before = sum;
        for &i in &order {
            if sum == total {
                break;
            }
            if (out[i] as f64) < bounds[i].1 {
                out[i] += 1;
                sum += 1;
            }
        }
        assert!(sum > before, "round_to_total: bounds too tight");
    }
    while sum > total {
        let before = sum;
        for &i in order.iter().rev() {
            if sum == total {
                break;
            }
            if (out[i] as f64) > bounds[i].0 {
                out[i] -= 1;
                sum -= 1;
            }
        }
        assert!(sum < before, "round_to_total: bounds too tight");
    }
    out
}

/// Splits `total` in proportion to `weights`, each share within its bounds:
/// finds the scale s with Σ clamp(s·wᵢ, loᵢ, hiᵢ) = total by bisection, then
/// rounds by largest remainder. Callers check Σlo ≤ total ≤ Σhi.
fn apportion(total: u64, weights: &[f64], bounds: &[(f64, f64)]) -> Vec<u64> {
    let t = total as f64;
    let fill = |s: f64| -> Vec<f64> { weights.iter().zip(bounds).map(|(w, (lo, hi))| (s * w).clamp(*lo, *hi)).collect() };
    let (mut lo, mut hi) = (0.0, 1.0);
    while fill(hi).iter().sum::<f64>() < t {
        hi *= 2.0;
    }
    for _ in 0..200 {
        let mid = (lo + hi) / 2.0;
        if fill(mid).iter().sum::<f64>() < t {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    round_to_total(&fill(hi), total, bounds)
}

/// The fixed sizes of the small schools, smallest first (rule 3a).
fn small_sizes(ss: &SmallSchools) -> Vec<f64> {
    let k = ss.count.value.max(0.0) as usize;
    let (lo, hi) = (ss.min_students.value, ss.max_students.value);
    (0..k).map(|j| (lo + (hi - lo) * (j as f64 + 0.5) / k as f64).round()).collect()
}

/// Births in `year`: linear between table years, held at the nearest end outside.
fn births_in(entries: &[(i32, f64)], year: i32) -> f64 {
    let first = entries[0];
    let last = entries[entries.len() - 1];
    if year <= first.0 {
        return first.1;
    }
    if year >= last.0 {
        return last.1;
    }
    let k = entries.iter().position(|(y, _)| *y >= year).unwrap_or(entries.len() - 1);
    let (y0, v0) = entries[k - 1];
    let (y1, v1) = entries[k];
    v0 + (v1 - v0) * f64::from(year - y0) / f64::from(y1 - y0)
}

/// Relative size of each grade (index 0 = grade 1) in `base_year`, from births
/// six years before each cohort entered grade 1.
pub fn grade_weights(births: &Yearly, base_year: i32) -> [f64; GRADES] {
    let entries = births.entries();
    std::array::from_fn(|g| births_in(&entries, base_year - g as i32 - 6))
}

// ---------------------------------------------------------------------------
// Generation

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Primary,
    Junior,
    NineYear,
}

/// One school (a nine-year school is one unit with two rows).
#[derive(Debug, Clone)]
struct Unit {
    kind: Kind,
    id: String,
    name: String,
    rural: bool,
    group: usize,
    /// Log-ratio school effect shared by all indicators.
    effect: f64,
    experimental: bool,
    paired_with: Option<usize>,
    new_quality: NewQuality,
    since: Option<i32>,
    project: ProjectStatus,
    project_start: Option<i32>,
    feeds: Vec<usize>,
    /// A small school of rule 3a.
    small: bool,
}

impl Unit {
    fn has(&self, level: Level) -> bool {
        matches!((self.kind, level), (Kind::NineYear, _) | (Kind::Primary, Level::Primary) | (Kind::Junior, Level::Junior))
    }
}

struct Generator<'a> {
    spec: &'a SyntheticSpec,
    std: &'a Standards,
    rng: ChaCha8Rng,
    /// Draws for optional fields only (rule 7a), so they leave `rng` alone.
    extra_rng: ChaCha8Rng,
    units: Vec<Unit>,
}

impl<'a> Generator<'a> {
    fn new(spec: &'a SyntheticSpec, std: &'a Standards) -> Self {
        let mut extra_rng = ChaCha8Rng::seed_from_u64(spec.seed);
        extra_rng.set_stream(1);
        Generator { spec, std, rng: ChaCha8Rng::seed_from_u64(spec.seed), extra_rng, units: Vec::new() }
    }

    fn run(mut self) -> Roster {
        self.make_units();
        self.pick_rural();
        self.draw_effects();
        self.pick_strong_schools();
        self.pick_new_quality();
        let mut sizes = [Level::Primary, Level::Junior].map(|l| self.sizes(l));
        self.assign_groups_and_feeds(&sizes);
        if self.follow_feeds() {
            sizes[1] = self.junior_sizes_from_feeds(&sizes);
        }
        let mut schools = Vec::new();
        // Row order: P units, N units (primary row, junior row), J units.
        for u in 0..self.units.len() {
            for (li, level) in Level::ALL.into_iter().enumerate() {
                if let Some(&(_, n)) = sizes[li].iter().find(|(i, _)| *i == u) {
                    let row = self.row(u, level, n);
                    schools.push(row);
                }
            }
        }
        self.place(&mut schools);
        Roster { schools }
    }

    /// Rule 11: with a map box, each school (both rows of a nine-year
    /// school) gets a place: each 学区 a centre drawn inside the box's inner
    /// four fifths, its schools scattered around it by a tenth of the box,
    /// kept inside the box. Drawn from a third ChaCha stream, so the rest of
    /// the roster is the same with or without the box.
    fn place(&self, schools: &mut [School]) {
        let Some(b) = &self.spec.map_box else { return };
        let mut rng = ChaCha8Rng::seed_from_u64(self.spec.seed);
        rng.set_stream(2);
        let (w, h) = (b.east - b.west, b.north - b.south);
        let groups = self.units.iter().map(|u| u.group).max().map_or(0, |g| g + 1);
        let centres: Vec<(f64, f64)> =
            (0..groups).map(|_| (uniform(&mut rng, b.west + 0.1 * w, b.east - 0.1 * w), uniform(&mut rng, b.south + 0.1 * h, b.north - 0.1 * h))).collect();
        let places: Vec<Location> = self
            .units
            .iter()
            .map(|u| {
                let (cx, cy) = centres[u.group];
                let x = (cx + 0.1 * w * normal(&mut rng)).clamp(b.west, b.east);
                let y = (cy + 0.1 * h * normal(&mut rng)).clamp(b.south, b.north);
                // Six decimals (about 0.1 m), as a map service gives them.
                Location { x: (x * 1e6).round() / 1e6, y: (y * 1e6).round() / 1e6, kind: LocationKind::LonLat }
            })
            .collect();
        for s in schools.iter_mut() {
            if let Some(k) = self.units.iter().position(|u| u.id == s.school_id) {
                s.location = Some(places[k]);
            }
        }
    }

    fn make_units(&mut self) {
        let s = self.spec;
        let (name, id) = (&s.name_prefix, &s.id_prefix);
        let kinds = [
            (Kind::Primary, s.primary_schools.value, "P", "示例小学"),
            (Kind::NineYear, s.nine_year_schools.value, "N", "示例学校"),
            (Kind::Junior, s.junior_schools.value, "J", "示例初级中学"),
        ];
        for (kind, count, letter, label) in kinds {
            for k in 1..=count as usize {
                self.units.push(Unit {
                    kind,
                    id: format!("{id}-{letter}{k:03}"),
                    name: format!("{name}{label} {k:03}"),
                    rural: false,
                    group: 0,
                    effect: 0.0,
                    experimental: false,
                    paired_with: None,
                    new_quality: NewQuality::None,
                    since: None,
                    project: ProjectStatus::None,
                    project_start: None,
                    feeds: Vec::new(),
                    small: false,
                });
            }
        }
    }

    fn indices(&self, kind: Kind) -> Vec<usize> {
        (0..self.units.len()).filter(|&i| self.units[i].kind == kind).collect()
    }

    fn pick_rural(&mut self) {
        let n = (self.spec.rural_share.value * self.units.len() as f64).round() as usize;
        let mut all: Vec<usize> = (0..self.units.len()).collect();
        shuffle(&mut self.rng, &mut all);
        for &i in &all[..n] {
            self.units[i].rural = true;
        }
    }

    fn draw_effects(&mut self) {
        let sigma = 0.7 * self.spec.resource_spread.value;
        for i in 0..self.units.len() {
            self.units[i].effect = sigma * normal(&mut self.rng);
        }
    }

    fn pick_strong_schools(&mut self) {
        let k = self.spec.strong_schools.value as usize;
        let mut juniors = self.indices(Kind::Junior);
        shuffle(&mut self.rng, &mut juniors);
        let experimental = &juniors[..k];
        for &i in experimental {
            self.units[i].experimental = true;
            // Experimental schools are the weaker public junior schools (E).
            self.units[i].effect -= 0.25;
        }
        // Support schools: the strongest other schools with a junior section.
        let mut support: Vec<usize> =
            (0..self.units.len()).filter(|&i| self.units[i].has(Level::Junior) && !self.units[i].experimental).collect();
        crate::sort::sort_by(&mut support, |&a, &b| self.units[b].effect.total_cmp(&self.units[a].effect).then(a.cmp(&b)));
        for (&e, &s) in experimental.iter().zip(&support) {
            self.units[e].paired_with = Some(s);
        }
    }

    fn pick_new_quality(&mut self) {
        let s = self.spec;
        let base = s.base_year;
        let mut pool: Vec<usize> = (0..self.units.len()).filter(|&i| !self.units[i].experimental).collect();
        shuffle(&mut self.rng, &mut pool);
        let d = s.district_new_quality.value as usize;
        let m = s.municipal_new_quality.value as usize;
        for (list, status) in [(&pool[..d], NewQuality::District), (&pool[d..d + m], NewQuality::Municipal)] {
            let active = (s.active_project_share.value * list.len() as f64).round() as usize;
            let completed = (s.completed_project_share.value * list.len() as f64).round() as usize;
            for (k, &i) in list.iter().enumerate() {
                // Listed in the eight years before the base year (2016–2023 for 2024).
                let since = year(&mut self.rng, base - 8, base - 1);
                let (project, start) = if k < active || (k < active + completed && since > base - 2) {
                    // Active: started within the last three years, not before listing.
                    (ProjectStatus::Active, Some(year(&mut self.rng, since.max(base - 2), base)))
                } else if k < active + completed {
                    (ProjectStatus::Completed, Some(year(&mut self.rng, since, base - 2)))
                } else {
                    (ProjectStatus::None, None)
                };
                let u = &mut self.units[i];
                u.new_quality = status;
                u.since = Some(since);
                u.project = project;
                u.project_start = start;
            }
        }
    }

    /// `sizes[level]` holds (unit, pupils) for every row of that level.
    fn assign_groups_and_feeds(&mut self, sizes: &[Vec<(usize, u64)>; 2]) {
        let g = self.spec.groups.value as usize;
        // Schools with a junior section, dealt round-robin: every group gets one.
        let mut seniors: Vec<usize> = (0..self.units.len()).filter(|&i| self.units[i].has(Level::Junior)).collect();
        shuffle(&mut self.rng, &mut seniors);
        for (k, &i) in seniors.iter().enumerate() {
            self.units[i].group = k % g;
        }
        for i in self.indices(Kind::NineYear) {
            self.units[i].feeds = vec![i];
        }
        // Feeds follow sizes, so each junior section is fed about its present
        // grade-6 cohort and enrollment does not pile up in a few schools.
        // Per-grade cohorts: a junior row's room is its size ÷ 4, less a
        // nine-year school's own primary cohort (size ÷ 5); a primary school
        // sends its size ÷ 5.
        let size_of = |level: usize, u: usize| sizes[level].iter().find(|(i, _)| *i == u).map_or(0.0, |(_, n)| *n as f64);
        let mut room: Vec<(usize, f64)> = seniors
            .iter()
            .map(|&j| {
                let own = if self.units[j].kind == Kind::NineYear { size_of(0, j) / 5.0 } else { 0.0 };
                (j, size_of(1, j) / 4.0 - own)
            })
            .collect();
        crate::sort::sort_by(&mut room, |a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        let mut primaries: Vec<(usize, f64)> = self.indices(Kind::Primary).into_iter().map(|p| (p, size_of(0, p) / 5.0)).collect();
        crate::sort::sort_by(&mut primaries, |a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        let junior_only: Vec<usize> =
            room.iter().map(|r| r.0).filter(|&j| self.units[j].kind == Kind::Junior).collect();
        let follow = self.follow_feeds();
        let mut k = 0;
        for &(p, cohort) in &primaries {
            // The largest primaries first give every junior-only school a
            // feeder; the rest go where the most room is left.
            let best_room = || room.iter().max_by(|a, b| a.1.total_cmp(&b.1).then(b.0.cmp(&a.0))).map(|r| r.0);
            if follow && self.units[p].small {
                continue; // fed in below, once every junior has a feeder
            }
            k += 1;
            let Some(target) = junior_only.get(k - 1).copied().or_else(best_room) else {
                continue; // no school with a junior section: validation reports it
            };
            if let Some(r) = room.iter_mut().find(|r| r.0 == target) {
                r.1 -= cohort;
            }
            self.units[p].group = self.units[target].group;
            self.units[p].feeds = vec![target];
        }
        // More junior-only than (distinct-feeding) primary-only schools: the
        // unfed ones each take a single-feed primary of their group (largest
        // first), else of the district, as a second feed. None when j ≤ p.
        let unfed: Vec<usize> = junior_only.iter().copied().filter(|&j| !self.units.iter().any(|u| u.feeds.contains(&j))).collect();
        for j in unfed {
            let single = |&&(p, _): &&(usize, f64)| self.units[p].feeds.len() == 1 && !self.units[p].small;
            let in_group = primaries.iter().filter(single).find(|(p, _)| self.units[*p].group == self.units[j].group);
            if let Some(&(p, _)) = in_group.or_else(|| primaries.iter().find(single)) {
                self.units[p].feeds.push(j);
            }
        }
        // Rule 10a: small schools feed the junior section with the most room
        // among those already fed, joining its group.
        if follow {
            let small: Vec<(usize, f64)> = primaries.iter().copied().filter(|(p, _)| self.units[*p].small).collect();
            for (p, cohort) in small {
                let fed = |j: usize| self.units.iter().any(|u| u.feeds.contains(&j));
                let Some(target) = room.iter().filter(|r| fed(r.0)).max_by(|a, b| a.1.total_cmp(&b.1).then(b.0.cmp(&a.0))).map(|r| r.0)
                else {
                    continue;
                };
                if let Some(r) = room.iter_mut().find(|r| r.0 == target) {
                    r.1 -= cohort;
                }
                self.units[p].group = self.units[target].group;
                self.units[p].feeds = vec![target];
            }
        }
    }

    fn follow_feeds(&self) -> bool {
        self.spec.junior_sizes_follow_feeds.as_ref().is_some_and(|f| f.value)
    }

    /// Rule 10a: junior rows sized by the primary pupils feeding them.
    fn junior_sizes_from_feeds(&self, sizes: &[Vec<(usize, u64)>; 2]) -> Vec<(usize, u64)> {
        let single_cap = self.std.school_size_cap.value.floor();
        let nine_cap = (self.std.nine_year_school_size_cap.value / 2.0).floor();
        let (mut weights, mut bounds) = (Vec::new(), Vec::new());
        for &(j, _) in &sizes[1] {
            let fed: f64 = sizes[0]
                .iter()
                .filter(|(p, _)| self.units[*p].feeds.contains(&j))
                .map(|&(p, n)| n as f64 / self.units[p].feeds.len() as f64)
                .sum();
            weights.push(fed);
            bounds.push((MIN_ROW_STUDENTS, if self.units[j].kind == Kind::NineYear { nine_cap } else { single_cap }));
        }
        let total = self.spec.junior_students.value as u64;
        let n = apportion(total, &weights, &bounds);
        sizes[1].iter().map(|r| r.0).zip(n).collect()
    }

    /// Whole-pupil sizes of every row at `level`, as (unit index, pupils).
    fn sizes(&mut self, level: Level) -> Vec<(usize, u64)> {
        let total = match level {
            Level::Primary => self.spec.primary_students.value,
            Level::Junior => self.spec.junior_students.value,
        } as u64;
        let single_cap = self.std.school_size_cap.value;
        let nine_cap = (self.std.nine_year_school_size_cap.value / 2.0).floor();
        let rows: Vec<usize> = (0..self.units.len()).filter(|&i| self.units[i].has(level)).collect();
        let mut weights = Vec::with_capacity(rows.len());
        let mut bounds = Vec::with_capacity(rows.len());
        for &i in &rows {
            let u = &self.units[i];
            let nine = u.kind == Kind::NineYear;
            let factor = if nine { 0.65 } else { 1.0 } * if u.rural { 0.7 } else { 1.0 };
            weights.push(factor * lognormal(&mut self.rng, 0.45));
            bounds.push((MIN_ROW_STUDENTS, if nine { nine_cap } else { single_cap.floor() }));
        }
        if let (Level::Primary, Some(ss)) = (level, &self.spec.small_schools) {
            // Rule 3a: primary-only schools, rural first, smallest weight first.
            let mut cand: Vec<usize> = (0..rows.len()).filter(|&k| self.units[rows[k]].kind == Kind::Primary).collect();
            crate::sort::sort_by(&mut cand, |&a, &b| {
                let (ua, ub) = (&self.units[rows[a]], &self.units[rows[b]]);
                ub.rural.cmp(&ua.rural).then(weights[a].total_cmp(&weights[b])).then(a.cmp(&b))
            });
            for (&k, size) in cand.iter().zip(small_sizes(ss)) {
                bounds[k] = (size, size);
                self.units[rows[k]].small = true;
            }
        }
        let sizes = apportion(total, &weights, &bounds);
        rows.into_iter().zip(sizes).collect()
    }

    fn row(&mut self, u: usize, level: Level, pupils: u64) -> School {
        let spec = self.spec;
        let std = self.std.level(level);
        let unit = self.units[u].clone();
        let rng = &mut self.rng;

        // Grades shaped by births, split exactly.
        let shape = grade_weights(&spec.births, spec.base_year);
        let range = level.grades();
        let weights: Vec<f64> = range.clone().map(|g| shape[g] * lognormal(rng, 0.05)).collect();
        let bounds = vec![(0.0, pupils as f64); weights.len()];
        let split = apportion(pupils, &weights, &bounds);
        let mut students = [0.0; GRADES];
        for (g, n) in range.clone().zip(split) {
            students[g] = n as f64;
        }
        let p = pupils as f64;

        // Classes and capacity.
        let cap = std.class_size_cap.value;
        let typical_spec = match level {
            Level::Primary => spec.primary_class_size.value,
            Level::Junior => spec.junior_class_size.value,
        };
        let typical = (typical_spec * uniform(rng, 0.93, 1.07) * if unit.rural { 0.85 } else { 1.0 }).min(cap);
        let classes: f64 = range.clone().map(|g| (students[g] / typical).ceil()).sum();
        let capacity = (classes * cap * uniform(rng, 1.0, 1.1)).round().max(p);

        // Teachers.
        let spt = match level {
            Level::Primary => spec.primary_students_per_teacher.value,
            Level::Junior => spec.junior_students_per_teacher.value,
        } * lognormal(rng, 0.12)
            * if unit.rural { 0.88 } else { 1.0 };
        let teachers = (p / spt).round().clamp((p / 30.0).ceil(), (p / 5.0).floor()).max(1.0);

        // The seven indicators: ratio to threshold = level × school effect × noise.
        let sd = 0.7 * spec.resource_spread.value;
        let school_sd = 0.7 * spec.resource_spread.value;
        let bias = (sd * sd + school_sd * school_sd) / 2.0;
        let resource = |i: Indicator, rng: &mut ChaCha8Rng| -> f64 {
            let rural = match i {
                Indicator::QualifiedTeachersPer100 => 0.92,
                Indicator::BackboneTeachersPer100 => 0.85,
                Indicator::TeachingSpaceM2PerStudent => 1.05,
                Indicator::SportsSpaceM2PerStudent => 1.25,
                Indicator::EquipmentYuanPerStudent | Indicator::MultimediaRoomsPer100 => 0.95,
                Indicator::PeArtTeachersPer100 => 1.0,
            };
            let ratio = spec.resource_level.value
                * exp_det(unit.effect + sd * normal(rng) - bias)
                * if unit.rural { rural } else { 1.0 };
            let per = match i {
                Indicator::QualifiedTeachersPer100
                | Indicator::BackboneTeachersPer100
                | Indicator::PeArtTeachersPer100
                | Indicator::MultimediaRoomsPer100 => p / 100.0,
                _ => p,
            };
            (ratio * std.threshold(i) * per).round()
        };
        let qualified_teachers = resource(Indicator::QualifiedTeachersPer100, rng).min(teachers);
        let backbone_teachers = resource(Indicator::BackboneTeachersPer100, rng).min(teachers);
        let pe_art_teachers = resource(Indicator::PeArtTeachersPer100, rng).min(teachers);
        let teaching_space_m2 = resource(Indicator::TeachingSpaceM2PerStudent, rng);
        let sports_space_m2 = resource(Indicator::SportsSpaceM2PerStudent, rng);
        let equipment_yuan = resource(Indicator::EquipmentYuanPerStudent, rng);
        let multimedia_rooms = resource(Indicator::MultimediaRoomsPer100, rng).max(1.0);

        // Senior titles: a share of teachers, so some schools miss the minimum.
        let median = match level {
            Level::Primary => 0.045,
            Level::Junior => 0.10,
        };
        let weaker = if unit.rural || unit.experimental { 0.8 } else { 1.0 };
        let senior_teachers = (teachers * median * weaker * lognormal(rng, 0.4)).round().min(teachers);
        let science_teachers = match &spec.science_teachers {
            Some(sc) => {
                let share = match level {
                    Level::Primary => sc.primary_share.value,
                    Level::Junior => sc.junior_share.value,
                };
                (teachers * share * lognormal(&mut self.extra_rng, 0.5)).round().min(teachers)
            }
            None => 0.0,
        };

        let id = |k: usize| self.units[k].id.clone();
        School {
            school_id: unit.id.clone(),
            name: unit.name.clone(),
            level,
            area: if unit.rural { Area::Rural } else { Area::Urban },
            district_group: format!("{}示例学区 {:02}", spec.name_prefix, unit.group + 1),
            students,
            classes,
            teachers,
            qualified_teachers,
            backbone_teachers,
            pe_art_teachers,
            senior_teachers,
            science_teachers,
            teaching_space_m2,
            sports_space_m2,
            equipment_yuan,
            multimedia_rooms,
            capacity,
            new_quality: unit.new_quality,
            new_quality_since: unit.since,
            strong_school: unit.experimental,
            paired_with: unit.paired_with.map(id),
            project_status: unit.project,
            project_start: unit.project_start,
            feeds: if level == Level::Primary { unit.feeds.iter().map(|&k| id(k)).collect() } else { Vec::new() },
            location: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;
    use crate::metrics::{assess_school, level_cvs};

    const PUDONG_FINGERPRINT: u64 = 1_431_662_840_915_345_019;

    fn pudong() -> Roster {
        generate(&pudong_spec()).expect("the Pudong spec is valid")
    }

    fn rows(r: &Roster, level: Level) -> impl Iterator<Item = &School> {
        r.schools.iter().filter(move |s| s.level == level)
    }

    /// Distinct school ids matching `pred` (a nine-year school counts once).
    fn ids(r: &Roster, pred: impl Fn(&School) -> bool) -> BTreeSet<String> {
        r.schools.iter().filter(|s| pred(s)).map(|s| s.school_id.clone()).collect()
    }

    fn grade_total(r: &Roster, g: usize) -> f64 {
        r.schools.iter().map(|s| s.students[g]).sum()
    }

    #[test]
    fn totals_match_the_spec_exactly() {
        let spec = pudong_spec();
        let r = pudong();
        let students = |l| rows(&r, l).map(School::enrollment).sum::<f64>();
        assert_eq!(students(Level::Primary), spec.primary_students.value);
        assert_eq!(students(Level::Junior), spec.junior_students.value);

        let nine = ids(&r, |s| r.is_nine_year(&s.school_id));
        let primary_only = ids(&r, |s| s.level == Level::Primary && !r.is_nine_year(&s.school_id));
        let junior_only = ids(&r, |s| s.level == Level::Junior && !r.is_nine_year(&s.school_id));
        assert_eq!(nine.len() as f64, spec.nine_year_schools.value);
        assert_eq!(primary_only.len() as f64, spec.primary_schools.value);
        assert_eq!(junior_only.len() as f64, spec.junior_schools.value);
        assert_eq!(r.schools.len(), 160 + 85 + 2 * 40);
        // Each nine-year school is exactly one primary and one junior row.
        for id in &nine {
            assert!(r.position(id, Level::Primary).is_some() && r.position(id, Level::Junior).is_some());
            assert_eq!(r.schools.iter().filter(|s| &s.school_id == id).count(), 2);
        }

        assert_eq!(ids(&r, |s| s.new_quality == NewQuality::District).len(), 58);
        assert_eq!(ids(&r, |s| s.new_quality == NewQuality::Municipal).len(), 10);
        let rural = ids(&r, |s| s.area == Area::Rural).len();
        assert_eq!(rural, (0.15f64 * 285.0).round() as usize);
        let groups: BTreeSet<&str> = r.schools.iter().map(|s| s.district_group.as_str()).collect();
        assert_eq!(groups.len(), 30);
    }

    #[test]
    fn strong_schools_are_junior_only_and_paired_with_distinct_support_schools() {
        let r = pudong();
        let strong: Vec<&School> = r.schools.iter().filter(|s| s.strong_school).collect();
        assert_eq!(strong.len(), 12);
        let mut partners = BTreeSet::new();
        for s in &strong {
            assert_eq!(s.level, Level::Junior);
            assert!(!r.is_nine_year(&s.school_id));
            assert_eq!(s.new_quality, NewQuality::None);
            let p = s.paired_with.as_deref().expect("paired");
            assert_ne!(p, s.school_id);
            let partner = &r.schools[r.position(p, Level::Junior).expect("partner has a junior section")];
            assert!(!partner.strong_school);
            assert!(partners.insert(p.to_owned()), "partner {p} used twice");
        }
        assert!(r.schools.iter().filter(|s| !s.strong_school).all(|s| s.paired_with.is_none()));
    }

    #[test]
    fn new_quality_statuses_and_projects_are_consistent() {
        let r = pudong();
        let mut by_status = [0usize; 3];
        for s in &r.schools {
            // Both rows of a nine-year school share every status field.
            let twin = r.schools.iter().find(|t| t.school_id == s.school_id && t.level != s.level);
            if let Some(t) = twin {
                assert_eq!((s.new_quality, s.new_quality_since, s.project_status, s.project_start), (t.new_quality, t.new_quality_since, t.project_status, t.project_start));
                assert_eq!((s.area, &s.district_group), (t.area, &t.district_group));
            }
            if s.new_quality == NewQuality::None {
                assert_eq!((s.new_quality_since, s.project_status, s.project_start), (None, ProjectStatus::None, None));
                continue;
            }
            let since = s.new_quality_since.unwrap();
            assert!((2016..=2023).contains(&since));
            match s.project_status {
                ProjectStatus::None => assert_eq!(s.project_start, None),
                ProjectStatus::Active => assert!((2022..=2024).contains(&s.project_start.unwrap()) && s.project_start.unwrap() >= since),
                ProjectStatus::Completed => assert!((since..=2022).contains(&s.project_start.unwrap())),
            }
        }
        for id in ids(&r, |s| s.new_quality == NewQuality::District) {
            let s = r.schools.iter().find(|s| s.school_id == id).unwrap();
            by_status[s.project_status as usize] += 1;
        }
        // About half active, some completed, the rest at risk under the exit rule.
        assert_eq!(by_status.iter().sum::<usize>(), 58);
        assert!((25..=33).contains(&by_status[1]), "{by_status:?}");
        assert!(by_status[2] > 0 && by_status[0] > 0, "{by_status:?}");
    }

    #[test]
    fn same_seed_same_roster_and_another_seed_another() {
        let spec = pudong_spec();
        assert_eq!(generate(&spec).unwrap(), generate(&spec).unwrap());
        let other = SyntheticSpec { seed: spec.seed + 1, ..spec.clone() };
        let (a, b) = (generate(&spec).unwrap(), generate(&other).unwrap());
        assert_ne!(a, b);
        // Totals hold for any seed.
        let p = |r: &Roster| rows(r, Level::Primary).map(School::enrollment).sum::<f64>();
        assert_eq!(p(&a), p(&b));
    }

    #[test]
    fn every_count_is_whole_and_non_negative() {
        for seed in [1, 2, 3] {
            let r = generate(&SyntheticSpec { seed, ..pudong_spec() }).unwrap();
            for s in &r.schools {
                let counts = [
                    s.classes, s.teachers, s.qualified_teachers, s.backbone_teachers, s.pe_art_teachers, s.senior_teachers,
                    s.teaching_space_m2, s.sports_space_m2, s.equipment_yuan, s.multimedia_rooms, s.capacity,
                ];
                for v in counts.iter().chain(&s.students) {
                    assert!(v.is_finite() && *v >= 0.0 && v.fract() == 0.0, "{}: {v}", s.school_id);
                }
                for g in 0..GRADES {
                    assert_eq!(s.students[g] > 0.0, s.level.grades().contains(&g), "{} grade {}", s.school_id, g + 1);
                }
                for v in [s.qualified_teachers, s.backbone_teachers, s.pe_art_teachers, s.senior_teachers] {
                    assert!(v <= s.teachers);
                }
                assert!(s.capacity >= s.enrollment());
            }
        }
    }

    #[test]
    fn school_sizes_are_plausible() {
        let std = Standards::default();
        let r = pudong();
        for s in &r.schools {
            let n = s.enrollment();
            let cap = if r.is_nine_year(&s.school_id) { std.nine_year_school_size_cap.value / 2.0 } else { std.school_size_cap.value };
            assert!((150.0..=cap).contains(&n), "{} has {n}", s.school_id);
        }
        // Nine-year parts are smaller on average than single-level schools.
        let mean = |nine: bool, l| {
            let v: Vec<f64> = rows(&r, l).filter(|s| r.is_nine_year(&s.school_id) == nine).map(School::enrollment).collect();
            v.iter().sum::<f64>() / v.len() as f64
        };
        assert!(mean(true, Level::Primary) < mean(false, Level::Primary));
    }

    #[test]
    fn lower_primary_grades_are_smaller_after_the_birth_decline() {
        let r = pudong();
        assert!(grade_total(&r, 0) < grade_total(&r, 4), "grade 1 {} vs grade 5 {}", grade_total(&r, 0), grade_total(&r, 4));
        // Grade 1 in 2024 was born ≈2018, between 2017 (21.84) and 2019 (16.9).
        let w = grade_weights(&shanghai_births(), 2024);
        assert!((w[0] - (21.84 + 16.9) / 2.0).abs() < 1e-12);
        assert_eq!(w[1], 21.84);
        assert_eq!(w[8], 22.61); // born 2010: before the table, held at 2012
    }

    #[test]
    fn feeds_are_valid_and_every_junior_row_is_fed() {
        let r = pudong();
        let mut fed = BTreeSet::new();
        for s in rows(&r, Level::Primary) {
            assert!(!s.feeds.is_empty() && s.feeds.len() <= 2, "{}", s.school_id);
            let distinct: BTreeSet<&String> = s.feeds.iter().collect();
            assert_eq!(distinct.len(), s.feeds.len());
            if r.is_nine_year(&s.school_id) {
                assert_eq!(s.feeds, vec![s.school_id.clone()]);
            }
            for f in &s.feeds {
                let j = &r.schools[r.position(f, Level::Junior).unwrap_or_else(|| panic!("{f} has no junior row"))];
                assert_eq!(j.district_group, s.district_group, "{} feeds {f} outside its group", s.school_id);
                fed.insert(f.clone());
            }
        }
        for s in rows(&r, Level::Junior) {
            assert!(s.feeds.is_empty());
            assert!(fed.contains(&s.school_id), "{} is fed by no primary row", s.school_id);
        }
    }

    #[test]
    fn staffing_class_sizes_cvs_and_pass_shares_are_plausible() {
        let std = Standards::default();
        for seed in [pudong_spec().seed, 7, 99] {
            let r = generate(&SyntheticSpec { seed, ..pudong_spec() }).unwrap();
            for s in &r.schools {
                let spt = s.enrollment() / s.teachers;
                assert!((5.0..=30.0).contains(&spt), "{}: {spt} students per teacher", s.school_id);
                let class = s.enrollment() / s.classes;
                assert!((10.0..=60.0).contains(&class), "{}: class size {class}", s.school_id);
                let cap = std.level(s.level).class_size_cap.value;
                for g in s.level.grades() {
                    // ceil(n / typical) classes with typical ≤ cap: no class over the cap.
                    assert!(s.students[g] <= s.classes * cap);
                }
            }
            for level in Level::ALL {
                for (k, cv) in level_cvs(&r.schools, level).into_iter().enumerate() {
                    let cv = cv.expect("defined");
                    assert!(cv.is_finite() && (0.05..=0.6).contains(&cv), "seed {seed} {level:?} {}: cv {cv}", Indicator::ALL[k].key());
                }
                let all: Vec<&School> = rows(&r, level).collect();
                let pass = all.iter().filter(|s| assess_school(s, &std).passes).count() as f64 / all.len() as f64;
                assert!((0.55..=0.95).contains(&pass), "seed {seed} {level:?}: pass share {pass}");
            }
            // A few schools miss the senior-title minimums, most meet them.
            let junior_miss = rows(&r, Level::Junior).filter(|s| s.senior_teachers < 0.05 * s.teachers).count();
            let primary_miss = rows(&r, Level::Primary).filter(|s| s.senior_teachers < 1.0).count();
            assert!(junior_miss > 0 && junior_miss < 125 / 3, "junior senior-title misses {junior_miss}");
            assert!(primary_miss < 200 / 5, "primary schools without a senior teacher {primary_miss}");
        }
    }

    #[test]
    fn strong_experimental_schools_are_weaker_than_their_partners() {
        let std = Standards::default();
        let r = pudong();
        let mean_ratio = |s: &School| {
            let a = assess_school(s, &std);
            Indicator::ALL.iter().enumerate().map(|(k, &i)| a.values[k].unwrap() / std.level(s.level).threshold(i)).sum::<f64>() / 7.0
        };
        let (mut weaker, mut n) = (0, 0);
        for s in r.schools.iter().filter(|s| s.strong_school) {
            let p = &r.schools[r.position(s.paired_with.as_ref().unwrap(), Level::Junior).unwrap()];
            n += 1;
            weaker += usize::from(mean_ratio(s) < mean_ratio(p));
        }
        assert!(weaker * 4 >= n * 3, "only {weaker} of {n} experimental schools are weaker than their partners");
    }

    #[test]
    fn names_and_ids_are_plainly_synthetic() {
        let r = pudong();
        assert_eq!(r.schools[0].school_id, "PD-P001");
        assert_eq!(r.schools[0].name, "浦东示例小学 001");
        let n = r.position("PD-N012", Level::Junior).unwrap();
        assert_eq!(r.schools[n].name, "浦东示例学校 012");
        let j = r.position("PD-J005", Level::Junior).unwrap();
        assert_eq!(r.schools[j].name, "浦东示例初级中学 005");
        assert!(r.schools.iter().all(|s| s.district_group.starts_with("浦东示例学区 ") && s.district_group.chars().count() == 9));
        let ids: BTreeSet<(&str, Level)> = r.schools.iter().map(|s| (s.school_id.as_str(), s.level)).collect();
        assert_eq!(ids.len(), r.schools.len());
    }

    #[test]
    fn invalid_fields_are_all_reported_by_path() {
        let mut spec = pudong_spec();
        spec.primary_students.value = 0.0;
        spec.junior_students.value = 1.5;
        spec.nine_year_schools.value = -1.0;
        spec.junior_schools.value = 2.5;
        spec.rural_share.value = 1.2;
        spec.primary_students_per_teacher.value = f64::NAN;
        spec.junior_class_size.value = 55.0;
        spec.groups.value = 0.0;
        spec.resource_spread.value = -0.1;
        spec.name_prefix = " ".into();
        spec.births = Yearly::new(&[], "none", true);
        let errs: Vec<String> = generate(&spec).unwrap_err().iter().map(|p| p.text(crate::i18n::Lang::En)).collect();
        for path in [
            "primary_students: must be > 0",
            "junior_students: must be a whole number",
            "nine_year_schools: must be ≥ 0",
            "junior_schools: must be a whole number",
            "rural_share:",
            "primary_students_per_teacher:",
            "junior_class_size:",
            "groups: must be ≥ 1",
            "resource_spread:",
            "name_prefix:",
            "births:",
        ] {
            let (field, says) = path.split_once(':').unwrap();
            let want = format!("`roster.synthetic.{field}`:{says}");
            assert!(errs.iter().any(|e| e.starts_with(&want)), "missing {want} in {errs:#?}");
        }
        assert_eq!(errs.len(), 11, "{errs:#?}");
    }

    #[test]
    fn infeasible_combinations_are_reported() {
        let mut spec = pudong_spec();
        spec.junior_students.value = 1_000_000.0; // more than 125 rows can hold
        spec.strong_schools.value = 90.0; // more than the junior-only schools
        spec.groups.value = 200.0;
        spec.district_new_quality.value = 300.0;
        spec.active_project_share.value = 0.8;
        spec.completed_project_share.value = 0.5;
        let errs: Vec<String> = generate(&spec).unwrap_err().iter().map(|p| p.text(crate::i18n::Lang::En)).collect();
        for field in ["junior_students", "strong_schools", "groups", "district_new_quality", "completed_project_share"] {
            assert!(errs.iter().any(|e| e.starts_with(&format!("`roster.synthetic.{field}`:"))), "missing {field} in {errs:#?}");
        }
        // A small district without junior-only schools is fine.
        let small = SyntheticSpec {
            primary_schools: Sourced::assumed(5.0, "t"),
            junior_schools: Sourced::assumed(0.0, "t"),
            nine_year_schools: Sourced::assumed(3.0, "t"),
            primary_students: Sourced::assumed(4000.0, "t"),
            junior_students: Sourced::assumed(1500.0, "t"),
            groups: Sourced::assumed(2.0, "t"),
            district_new_quality: Sourced::assumed(2.0, "t"),
            municipal_new_quality: Sourced::assumed(1.0, "t"),
            strong_schools: Sourced::assumed(0.0, "t"),
            ..pudong_spec()
        };
        let r = generate(&small).unwrap();
        assert_eq!(r.schools.len(), 5 + 2 * 3);
        assert_eq!(rows(&r, Level::Junior).map(School::enrollment).sum::<f64>(), 1500.0);
    }

    #[test]
    fn spec_round_trips_through_toml_and_rejects_unknown_fields() {
        let spec = pudong_spec();
        let text = toml::to_string(&spec).unwrap();
        assert_eq!(toml::from_str::<SyntheticSpec>(&text).unwrap(), spec);
        assert!(text.contains("000_9ddd49f59424de77.txt §二(一)"));
        let bad = format!("extra = 1\n{text}");
        assert!(toml::from_str::<SyntheticSpec>(&bad).is_err());
        // Only the 58 is cited; every other aggregate is an estimate.
        assert!(!spec.district_new_quality.assumption);
        assert!(spec.primary_students.assumption && spec.births.assumption);
    }

    #[test]
    fn deterministic_exp_and_rounding_helpers() {
        for x in [-3.0, -1.0, -0.1, 0.0, 0.5, 2.0] {
            let want: f64 = f64::exp(x);
            assert!((exp_det(x) - want).abs() < 1e-12 * want.max(1.0), "{x}");
        }
        assert_eq!(round_to_total(&[1.5, 1.5, 1.0], 4, &[(0.0, 9.0); 3]), vec![2, 1, 1]);
        let a = apportion(10, &[1.0, 1.0, 8.0], &[(2.0, 9.0), (2.0, 9.0), (2.0, 5.0)]);
        assert_eq!(a.iter().sum::<u64>(), 10);
        assert_eq!(a[2], 5);
    }

    /// A Chongming-sized spec with every optional field (seed 004).
    fn island_spec() -> SyntheticSpec {
        let e = |v: f64| Sourced::assumed(v, "test");
        SyntheticSpec {
            primary_schools: e(27.0),
            junior_schools: e(28.0),
            nine_year_schools: e(3.0),
            primary_students: e(25_460.0),
            junior_students: e(23_240.0),
            rural_share: e(0.75),
            groups: e(18.0),
            district_new_quality: e(4.0),
            municipal_new_quality: e(2.0),
            strong_schools: e(4.0),
            small_schools: Some(SmallSchools { count: e(6.0), min_students: e(90.0), max_students: e(280.0) }),
            science_teachers: Some(ScienceShares { primary_share: e(0.06), junior_share: e(0.06) }),
            junior_sizes_follow_feeds: Some(Sourced::assumed(true, "test")),
            map_box: None,
            ..pudong_spec()
        }
    }

    #[test]
    fn small_schools_get_their_fixed_sizes_and_are_rural() {
        let spec = island_spec();
        let r = generate(&spec).unwrap();
        assert_eq!(small_sizes(spec.small_schools.as_ref().unwrap()), vec![106.0, 138.0, 169.0, 201.0, 233.0, 264.0]);
        let mut sizes: Vec<(f64, Area)> =
            rows(&r, Level::Primary).filter(|s| !r.is_nine_year(&s.school_id)).map(|s| (s.enrollment(), s.area)).collect();
        crate::sort::sort_by(&mut sizes, |a, b| a.0.total_cmp(&b.0));
        assert_eq!(sizes[..6].iter().map(|s| s.0).collect::<Vec<_>>(), vec![106.0, 138.0, 169.0, 201.0, 233.0, 264.0]);
        assert!(sizes[..6].iter().all(|s| s.1 == Area::Rural));
        assert!(sizes[6..].iter().all(|s| s.0 >= 150.0));
        assert_eq!(rows(&r, Level::Primary).map(School::enrollment).sum::<f64>(), 25_460.0);
    }

    #[test]
    fn with_more_junior_than_primary_schools_every_junior_is_fed_and_sized_by_its_feeders() {
        let spec = island_spec();
        let r = generate(&spec).unwrap();
        let fed: Vec<(f64, f64)> = rows(&r, Level::Junior)
            .map(|j| {
                let pupils: f64 = rows(&r, Level::Primary)
                    .filter(|p| p.feeds.contains(&j.school_id))
                    .map(|p| p.enrollment() / p.feeds.len() as f64)
                    .sum();
                assert!(pupils > 0.0, "{} has no feeder", j.school_id);
                (j.enrollment(), pupils)
            })
            .collect();
        // Sizes follow the feeders: junior ÷ feeders is one ratio, except where a bound holds.
        let ratio = 23_240.0 / 25_460.0;
        for (j, p) in fed.iter().filter(|(j, _)| *j > 150.0 && *j < 1250.0) {
            assert!((j / p - ratio).abs() < 0.1, "junior {j} fed by {p} primary pupils");
        }
        assert_eq!(rows(&r, Level::Junior).map(School::enrollment).sum::<f64>(), 23_240.0);
        // Small schools feed a junior school that another primary also feeds.
        for s in rows(&r, Level::Primary).filter(|s| s.enrollment() < 280.0 && !r.is_nine_year(&s.school_id)) {
            let others = rows(&r, Level::Primary).filter(|p| p.school_id != s.school_id && p.feeds.contains(&s.feeds[0])).count();
            assert!(others > 0, "{} is the only feeder of {}", s.school_id, s.feeds[0]);
        }
        // Without rule 10a the generator still validates j > p (up to 2p) and feeds every junior.
        let plain = SyntheticSpec { junior_sizes_follow_feeds: None, ..island_spec() };
        let r = generate(&plain).unwrap();
        for j in rows(&r, Level::Junior) {
            assert!(rows(&r, Level::Primary).any(|p| p.feeds.contains(&j.school_id)), "{}", j.school_id);
        }
        let too_many = SyntheticSpec { junior_schools: Sourced::assumed(55.0, "test"), ..island_spec() };
        assert!(generate(&too_many).unwrap_err().iter().any(|e| e.place == crate::message::Place::Field("roster.synthetic.junior_schools".into())));
    }

    #[test]
    fn science_teachers_change_nothing_else_in_the_roster() {
        let with = generate(&island_spec()).unwrap();
        let without = generate(&SyntheticSpec { science_teachers: None, ..island_spec() }).unwrap();
        assert!(with.schools.iter().any(|s| s.science_teachers > 0.0));
        assert!(with.schools.iter().all(|s| s.science_teachers <= s.teachers && s.science_teachers.fract() == 0.0));
        assert!(without.schools.iter().all(|s| s.science_teachers == 0.0));
        let blanked: Vec<School> = with.schools.iter().map(|s| School { science_teachers: 0.0, ..s.clone() }).collect();
        assert_eq!(blanked, without.schools);
    }

    /// FNV-1a of the roster's JSON. The wasm test in `tests/browser/charts_and_engine.rs` asserts
    /// the same value, so native and wasm32 builds generate the same roster.
    pub(crate) fn fingerprint(r: &Roster) -> u64 {
        serde_json::to_string(r).unwrap().bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3))
    }

    #[test]
    fn pudong_roster_is_pinned() {
        // Changes when the generation rules or the Pudong defaults change:
        // update it here and in tests/browser/charts_and_engine.rs together.
        assert_eq!(fingerprint(&pudong()), PUDONG_FINGERPRINT);
    }

    /// The generated Pudong aggregates. Run with
    /// `cargo test --lib pudong_aggregates -- --nocapture` to see the table.
    #[test]
    fn pudong_aggregates() {
        let std = Standards::default();
        let spec = pudong_spec();
        let r = pudong();
        let mut out = format!("Synthetic Pudong roster (seed {}, base year {})\n", spec.seed, spec.base_year);
        out += &format!(
            "schools: {} primary-only, {} junior-only, {} nine-year ({} rows); rural {}; groups {}\n",
            ids(&r, |s| s.level == Level::Primary && !r.is_nine_year(&s.school_id)).len(),
            ids(&r, |s| s.level == Level::Junior && !r.is_nine_year(&s.school_id)).len(),
            ids(&r, |s| r.is_nine_year(&s.school_id)).len(),
            r.schools.len(),
            ids(&r, |s| s.area == Area::Rural).len(),
            r.schools.iter().map(|s| &s.district_group).collect::<BTreeSet<_>>().len(),
        );
        let dnq: Vec<&School> = ids(&r, |s| s.new_quality == NewQuality::District)
            .iter()
            .map(|id| r.schools.iter().find(|s| &s.school_id == id).unwrap())
            .collect();
        let count = |st| dnq.iter().filter(|s| s.project_status == st).count();
        out += &format!(
            "new quality: {} district (projects: {} active, {} completed, {} none = at risk), {} municipal; strong-school experimental {}\n",
            dnq.len(),
            count(ProjectStatus::Active),
            count(ProjectStatus::Completed),
            count(ProjectStatus::None),
            ids(&r, |s| s.new_quality == NewQuality::Municipal).len(),
            r.schools.iter().filter(|s| s.strong_school).count(),
        );
        for level in Level::ALL {
            let all: Vec<&School> = rows(&r, level).collect();
            let sum = |f: fn(&School) -> f64| all.iter().map(|s| f(s)).sum::<f64>();
            let (p, t, c) = (sum(School::enrollment), sum(|s| s.teachers), sum(|s| s.classes));
            let sizes: Vec<f64> = all.iter().map(|s| s.enrollment()).collect();
            let grades: Vec<String> = level.grades().map(|g| format!("G{} {}", g + 1, grade_total(&r, g))).collect();
            let pass = all.iter().filter(|s| assess_school(s, &std).passes).count();
            let missed: Vec<usize> = (0..=7)
                .map(|m| all.iter().filter(|s| assess_school(s, &std).met.iter().filter(|x| !**x).count() == m).count())
                .collect();
            out += &format!(
                "\n{} ({}): {} rows, {} students, {} teachers ({:.1} per teacher), {} classes ({:.1} per class), capacity {}\n",
                level.zh(),
                level.key(),
                all.len(),
                p,
                t,
                p / t,
                c,
                p / c,
                sum(|s| s.capacity)
            );
            out += &format!(
                "  size min {} / mean {:.0} / max {}; grades: {}\n",
                sizes.iter().copied().fold(f64::INFINITY, f64::min),
                p / all.len() as f64,
                sizes.iter().copied().fold(0.0, f64::max),
                grades.join(", ")
            );
            out += &format!(
                "  pass {} of {} ({:.0}%); schools by unmet indicators 0..3: {:?}\n",
                pass,
                all.len(),
                100.0 * pass as f64 / all.len() as f64,
                &missed[..4]
            );
            let senior = match level {
                Level::Primary => all.iter().filter(|s| s.senior_teachers < 1.0).count(),
                Level::Junior => all.iter().filter(|s| s.senior_teachers < 0.05 * s.teachers).count(),
            };
            out += &format!("  below the senior-title minimum: {senior}\n");
            out += "  indicator                       threshold  district  weighted CV  schools meeting\n";
            let cvs = level_cvs(&r.schools, level);
            for (k, i) in Indicator::ALL.into_iter().enumerate() {
                let (res, scale) = match i {
                    Indicator::QualifiedTeachersPer100 => (sum(|s| s.qualified_teachers), 100.0),
                    Indicator::BackboneTeachersPer100 => (sum(|s| s.backbone_teachers), 100.0),
                    Indicator::PeArtTeachersPer100 => (sum(|s| s.pe_art_teachers), 100.0),
                    Indicator::TeachingSpaceM2PerStudent => (sum(|s| s.teaching_space_m2), 1.0),
                    Indicator::SportsSpaceM2PerStudent => (sum(|s| s.sports_space_m2), 1.0),
                    Indicator::EquipmentYuanPerStudent => (sum(|s| s.equipment_yuan), 1.0),
                    Indicator::MultimediaRoomsPer100 => (sum(|s| s.multimedia_rooms), 100.0),
                };
                let meeting = all.iter().filter(|s| assess_school(s, &std).met[k]).count();
                out += &format!(
                    "  {:<31} {:>9} {:>9.2} {:>12.3} {:>9}/{}\n",
                    i.key(),
                    std.level(level).threshold(i),
                    res * scale / p,
                    cvs[k].unwrap(),
                    meeting,
                    all.len()
                );
            }
        }
        println!("{out}");
        assert!(out.contains("58 district"));
    }
}
