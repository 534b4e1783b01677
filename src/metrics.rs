//! The national balance assessment (县域义务教育优质均衡发展督导评估办法,
//! 教督〔2017〕6号): the seven resource indicators per school, the school pass
//! rule, and the enrollment-weighted coefficient of variation (差异系数)
//! across the schools of a level.
//!
//! Thresholds are data ([`Standards`]), never constants in the code paths.

use serde::{Deserialize, Serialize};

use crate::params::Sourced;
use crate::roster::{Level, School};

/// The national assessment's document number, the source of its thresholds.
pub const NATIONAL: &str = "教督〔2017〕6号";
/// Baoshan's urban–rural plan (宝府〔2018〕150号), the source of the class-size,
/// school-size, funding and senior-teacher standards.
pub const BAOSHAN_SEED: &str = "002_50a5a1e38847ebfa.txt";

/// The seven resource indicators, in the order of the official table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Indicator {
    // Explicit names: these are the keys of STANDARDS.md and the JSON output.
    /// Teachers with a degree above the required one (高于规定学历), per 100 pupils.
    #[serde(rename = "qualified_teachers_per_100")]
    QualifiedTeachersPer100,
    /// Backbone teachers at district level or above (县级以上骨干), per 100 pupils.
    #[serde(rename = "backbone_teachers_per_100")]
    BackboneTeachersPer100,
    /// Full-time PE, music and art teachers (体育、艺术专任教师), per 100 pupils.
    #[serde(rename = "pe_art_teachers_per_100")]
    PeArtTeachersPer100,
    /// Teaching and auxiliary floor area (教学及辅助用房), m² per pupil.
    #[serde(rename = "teaching_space_m2_per_student")]
    TeachingSpaceM2PerStudent,
    /// Sports grounds and halls (体育运动场馆), m² per pupil.
    #[serde(rename = "sports_space_m2_per_student")]
    SportsSpaceM2PerStudent,
    /// Teaching equipment value (教学仪器设备值), yuan per pupil.
    #[serde(rename = "equipment_yuan_per_student")]
    EquipmentYuanPerStudent,
    /// Networked multimedia classrooms (网络多媒体教室), per 100 pupils.
    #[serde(rename = "multimedia_rooms_per_100")]
    MultimediaRoomsPer100,
}

impl Indicator {
    /// The seven indicators in the official table's order, which is the index
    /// order of every [`PerIndicator`].
    pub const ALL: [Indicator; 7] = [
        Indicator::QualifiedTeachersPer100,
        Indicator::BackboneTeachersPer100,
        Indicator::PeArtTeachersPer100,
        Indicator::TeachingSpaceM2PerStudent,
        Indicator::SportsSpaceM2PerStudent,
        Indicator::EquipmentYuanPerStudent,
        Indicator::MultimediaRoomsPer100,
    ];

    /// The key used in JSON output and STANDARDS.md.
    pub fn key(self) -> &'static str {
        match self {
            Indicator::QualifiedTeachersPer100 => "qualified_teachers_per_100",
            Indicator::BackboneTeachersPer100 => "backbone_teachers_per_100",
            Indicator::PeArtTeachersPer100 => "pe_art_teachers_per_100",
            Indicator::TeachingSpaceM2PerStudent => "teaching_space_m2_per_student",
            Indicator::SportsSpaceM2PerStudent => "sports_space_m2_per_student",
            Indicator::EquipmentYuanPerStudent => "equipment_yuan_per_student",
            Indicator::MultimediaRoomsPer100 => "multimedia_rooms_per_100",
        }
    }

    /// The indicator's full Chinese name, as in the official table.
    pub fn zh(self) -> &'static str {
        match self {
            Indicator::QualifiedTeachersPer100 => "每百名学生高于规定学历教师数",
            Indicator::BackboneTeachersPer100 => "每百名学生县级以上骨干教师数",
            Indicator::PeArtTeachersPer100 => "每百名学生体育、艺术专任教师数",
            Indicator::TeachingSpaceM2PerStudent => "生均教学及辅助用房面积",
            Indicator::SportsSpaceM2PerStudent => "生均体育运动场馆面积",
            Indicator::EquipmentYuanPerStudent => "生均教学仪器设备值",
            Indicator::MultimediaRoomsPer100 => "每百名学生网络多媒体教室数",
        }
    }

    /// A short Chinese name (e.g. 仪器设备), for series labels and charts.
    pub fn short_zh(self) -> &'static str {
        match self {
            Indicator::QualifiedTeachersPer100 => "高学历教师",
            Indicator::BackboneTeachersPer100 => "骨干教师",
            Indicator::PeArtTeachersPer100 => "体艺教师",
            Indicator::TeachingSpaceM2PerStudent => "教学用房",
            Indicator::SportsSpaceM2PerStudent => "体育场馆",
            Indicator::EquipmentYuanPerStudent => "仪器设备",
            Indicator::MultimediaRoomsPer100 => "多媒体教室",
        }
    }

    /// The resource this indicator divides by enrollment, and its scale
    /// (per 100 students, or per student).
    fn resource_and_scale(self, s: &School) -> (f64, f64) {
        match self {
            Indicator::QualifiedTeachersPer100 => (s.qualified_teachers, 100.0),
            Indicator::BackboneTeachersPer100 => (s.backbone_teachers, 100.0),
            Indicator::PeArtTeachersPer100 => (s.pe_art_teachers, 100.0),
            Indicator::TeachingSpaceM2PerStudent => (s.teaching_space_m2, 1.0),
            Indicator::SportsSpaceM2PerStudent => (s.sports_space_m2, 1.0),
            Indicator::EquipmentYuanPerStudent => (s.equipment_yuan, 1.0),
            Indicator::MultimediaRoomsPer100 => (s.multimedia_rooms, 100.0),
        }
    }

    /// The school's value, or `None` for a school without students.
    pub fn value(self, s: &School) -> Option<f64> {
        self.value_at(s, s.enrollment())
    }

    /// The value for a school whose enrollment `p` the caller already has.
    pub(crate) fn value_at(self, s: &School, p: f64) -> Option<f64> {
        if p <= 0.0 {
            return None;
        }
        Some(self.rate_at(s, p))
    }

    /// [`Indicator::value_at`] without the test for pupils: meaningful only
    /// where `p > 0`, where it is that value.
    fn rate_at(self, s: &School, p: f64) -> f64 {
        let (resource, scale) = self.resource_and_scale(s);
        resource * scale / p
    }

    /// All seven values of a school, summing its enrollment once.
    pub fn values(s: &School) -> PerIndicator<Option<f64>> {
        Indicator::values_at(s, s.enrollment())
    }

    /// All seven values of a school whose enrollment `p` the caller already has.
    pub(crate) fn values_at(s: &School, p: f64) -> PerIndicator<Option<f64>> {
        Indicator::ALL.map(|i| i.value_at(s, p))
    }

    /// All seven [`Indicator::rate_at`]: the values of a school with pupils
    /// (`p > 0`), none of them an `Option` to test.
    pub(crate) fn rates_at(s: &School, p: f64) -> PerIndicator<f64> {
        Indicator::ALL.map(|i| i.rate_at(s, p))
    }
}

/// One number per indicator, in [`Indicator::ALL`] order.
pub type PerIndicator<T> = [T; 7];

/// Thresholds and ceilings for one level.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LevelStandards {
    /// Minimum teachers with a degree above the required one per 100 pupils
    /// (national: 4.2 primary, 5.3 junior).
    pub qualified_teachers_per_100: Sourced<f64>,
    /// Minimum district-level backbone teachers per 100 pupils (national: 1.0).
    pub backbone_teachers_per_100: Sourced<f64>,
    /// Minimum PE, music and art teachers per 100 pupils (0.9; STANDARDS.md status S).
    pub pe_art_teachers_per_100: Sourced<f64>,
    /// Minimum teaching and auxiliary floor area, m² per pupil (4.5 primary, 5.8
    /// junior; status S).
    pub teaching_space_m2_per_student: Sourced<f64>,
    /// Minimum sports grounds and halls, m² per pupil (national: 7.5 primary, 10.2
    /// junior).
    pub sports_space_m2_per_student: Sourced<f64>,
    /// Minimum teaching equipment value, yuan per pupil (2,000 primary, 2,500
    /// junior; status S).
    pub equipment_yuan_per_student: Sourced<f64>,
    /// Minimum networked multimedia classrooms per 100 pupils (2.3 primary, 2.4
    /// junior; status S).
    pub multimedia_rooms_per_100: Sourced<f64>,
    /// Ceiling on each indicator's weighted CV across the level's schools.
    pub cv_ceiling: Sourced<f64>,
    /// Largest allowed class.
    pub class_size_cap: Sourced<f64>,
    /// Per-student public funding standard, yuan a year.
    pub per_student_funding_yuan: Sourced<f64>,
}

impl LevelStandards {
    /// The value of indicator `i` a school of this level must reach.
    pub fn threshold(&self, i: Indicator) -> f64 {
        self.threshold_param(i).value
    }

    /// The threshold of indicator `i` with its source.
    pub fn threshold_param(&self, i: Indicator) -> &Sourced<f64> {
        match i {
            Indicator::QualifiedTeachersPer100 => &self.qualified_teachers_per_100,
            Indicator::BackboneTeachersPer100 => &self.backbone_teachers_per_100,
            Indicator::PeArtTeachersPer100 => &self.pe_art_teachers_per_100,
            Indicator::TeachingSpaceM2PerStudent => &self.teaching_space_m2_per_student,
            Indicator::SportsSpaceM2PerStudent => &self.sports_space_m2_per_student,
            Indicator::EquipmentYuanPerStudent => &self.equipment_yuan_per_student,
            Indicator::MultimediaRoomsPer100 => &self.multimedia_rooms_per_100,
        }
    }

    /// The threshold of indicator `i`, to edit in place.
    pub fn threshold_mut(&mut self, i: Indicator) -> &mut Sourced<f64> {
        match i {
            Indicator::QualifiedTeachersPer100 => &mut self.qualified_teachers_per_100,
            Indicator::BackboneTeachersPer100 => &mut self.backbone_teachers_per_100,
            Indicator::PeArtTeachersPer100 => &mut self.pe_art_teachers_per_100,
            Indicator::TeachingSpaceM2PerStudent => &mut self.teaching_space_m2_per_student,
            Indicator::SportsSpaceM2PerStudent => &mut self.sports_space_m2_per_student,
            Indicator::EquipmentYuanPerStudent => &mut self.equipment_yuan_per_student,
            Indicator::MultimediaRoomsPer100 => &mut self.multimedia_rooms_per_100,
        }
    }

    fn national(level: Level) -> Self {
        let c = |v: f64| Sourced::cited(v, "教督〔2017〕6号 附件 资源配置指标");
        // Marked S in STANDARDS.md: widely reposted, not found in the primary text.
        let s = |v: f64| Sourced::assumed(v, "教督〔2017〕6号 (secondary sources; STANDARDS.md status S)");
        let seed = |v: f64, art: &str| Sourced::cited(v, &format!("{BAOSHAN_SEED} {art}"));
        match level {
            Level::Primary => LevelStandards {
                qualified_teachers_per_100: c(4.2),
                backbone_teachers_per_100: c(1.0),
                pe_art_teachers_per_100: s(0.9),
                teaching_space_m2_per_student: s(4.5),
                sports_space_m2_per_student: c(7.5),
                equipment_yuan_per_student: s(2000.0),
                multimedia_rooms_per_100: s(2.3),
                cv_ceiling: s(0.50),
                class_size_cap: seed(45.0, "§四(七) 班级学生数不超过45人"),
                per_student_funding_yuan: seed(23_500.0, "§四(二)5 小学每年生均不低于23500元"),
            },
            Level::Junior => LevelStandards {
                qualified_teachers_per_100: c(5.3),
                backbone_teachers_per_100: c(1.0),
                pe_art_teachers_per_100: s(0.9),
                teaching_space_m2_per_student: s(5.8),
                sports_space_m2_per_student: c(10.2),
                equipment_yuan_per_student: s(2500.0),
                multimedia_rooms_per_100: s(2.4),
                cv_ceiling: s(0.45),
                class_size_cap: seed(50.0, "§四(七) 初中班级学生数不超过50人"),
                per_student_funding_yuan: seed(29_000.0, "§四(二)5 初中每年生均不低于29000元"),
            },
        }
    }
}

/// All thresholds of the assessment. Every value is editable data.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Standards {
    /// Primary-level standards (grades 1–5, including nine-year schools' primary parts).
    pub primary: LevelStandards,
    /// Junior-level standards (grades 6–9, including nine-year schools' junior parts).
    pub junior: LevelStandards,
    /// Indicators a school must meet to pass (6 of 7).
    pub pass_min_met: Sourced<f64>,
    /// The unmet indicator must reach this share of its threshold (85%).
    pub pass_floor_share: Sourced<f64>,
    /// School size caps: single-level schools and nine-year schools.
    pub school_size_cap: Sourced<f64>,
    /// The cap for a nine-year school (both parts together), pupils (seed 002 §四(七): 2,500).
    pub nine_year_school_size_cap: Sourced<f64>,
    /// Rotation (交流轮岗): minimum share of eligible teachers a year, and
    /// minimum backbone share among those rotated.
    pub rotation_min_share: Sourced<f64>,
    /// Minimum share of those rotated who are backbone teachers, 0–1 (0.20).
    pub rotation_backbone_min_share: Sourced<f64>,
    /// Senior-title teachers: at least this many per primary school, and at
    /// least this share of a junior school's teachers.
    pub primary_min_senior_teachers: Sourced<f64>,
    /// Minimum share of senior-title teachers in a junior school, 0–1 (seed 002
    /// §四(二)4: 5%).
    pub junior_min_senior_share: Sourced<f64>,
}

impl Default for Standards {
    fn default() -> Self {
        let s = |v: f64, why: &str| Sourced::assumed(v, why);
        let seed = |v: f64, art: &str| Sourced::cited(v, &format!("{BAOSHAN_SEED} {art}"));
        Standards {
            primary: LevelStandards::national(Level::Primary),
            junior: LevelStandards::national(Level::Junior),
            pass_min_met: Sourced::cited(6.0, "教督〔2017〕6号 第七条"),
            pass_floor_share: s(0.85, "教督〔2017〕6号, the 85% clause (secondary sources; STANDARDS.md status S)"),
            school_size_cap: seed(2000.0, "§四(七) 规模不超过2000人"),
            nine_year_school_size_cap: seed(2500.0, "§四(七) 一贯制学校不超过2500人"),
            rotation_min_share: s(0.10, "教督〔2017〕6号 政府保障程度 (STANDARDS.md status S)"),
            rotation_backbone_min_share: s(0.20, "教督〔2017〕6号 政府保障程度 (STANDARDS.md status S)"),
            primary_min_senior_teachers: seed(1.0, "§四(二)4 每所小学至少有1名高级职务教师"),
            junior_min_senior_share: seed(0.05, "§四(二)4 每所初中至少有5%的高级职务教师"),
        }
    }
}

impl Standards {
    /// The standards of `level`.
    pub fn level(&self, level: Level) -> &LevelStandards {
        match level {
            Level::Primary => &self.primary,
            Level::Junior => &self.junior,
        }
    }

    /// The standards of `level`, to edit in place.
    pub fn level_mut(&mut self, level: Level) -> &mut LevelStandards {
        match level {
            Level::Primary => &mut self.primary,
            Level::Junior => &mut self.junior,
        }
    }
}

/// One school's assessment.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SchoolAssessment {
    /// Indicator values; `None` for a school without students.
    pub values: PerIndicator<Option<f64>>,
    /// Whether each indicator meets its threshold.
    pub met: PerIndicator<bool>,
    /// Whether the school passes: it has pupils, meets at least `pass_min_met`
    /// indicators, and every unmet one reaches `pass_floor_share` of its threshold.
    pub passes: bool,
}

/// Applies the pass rule: at least `pass_min_met` indicators meet their
/// thresholds, and every one that does not reaches `pass_floor_share` of it.
pub fn assess_school(school: &School, standards: &Standards) -> SchoolAssessment {
    let values = Indicator::values(school);
    let (met, passes) = assess(school.level, values, standards);
    SchoolAssessment { values, met, passes }
}

/// [`assess_school`]'s `met` and `passes` for a school of `level` whose
/// seven values the caller already has: each an `Option<f64>`, or an `f64`
/// where all are present (then no value is tested).
pub(crate) fn assess<X: Into<Option<f64>> + Copy>(level: Level, values: PerIndicator<X>, standards: &Standards) -> (PerIndicator<bool>, bool) {
    let values: PerIndicator<Option<f64>> = values.map(Into::into);
    let level = standards.level(level);
    let met = std::array::from_fn(|k| values[k].is_some_and(|v| v >= level.threshold(Indicator::ALL[k])));
    let met_count = met.iter().filter(|m| **m).count() as f64;
    let floor_ok = Indicator::ALL.iter().enumerate().all(|(k, &i)| {
        met[k] || values[k].is_some_and(|v| v >= standards.pass_floor_share.value * level.threshold(i))
    });
    let passes = values.iter().all(Option::is_some) && met_count >= standards.pass_min_met.value && floor_ok;
    (met, passes)
}

/// The three dimensions of the national assessment (教督〔2017〕6号) beside
/// resource allocation that the model does not cover, as (zh, en).
pub const DIMENSIONS_OUTSIDE_MODEL: [(&str, &str); 3] =
    [("政府保障程度", "government guarantee"), ("教育质量", "quality of education"), ("社会认可度", "social recognition")];

/// What "passing the assessment" means in the model's results, and what it
/// leaves out, in Chinese: the page shows it under the balance charts and
/// the briefing under its risks.
pub const ASSESSMENT_SCOPE_ZH: &str = "“通过评估”只指资源配置：每所学校7项指标中至少6项达标、余项不低于标准的85%，且每项指标的差异系数不超过上限（小学0.50、初中0.45）。优质均衡评估的另外三个方面——政府保障程度、教育质量、社会认可度（教督〔2017〕6号）——不在本模型内。";

/// [`ASSESSMENT_SCOPE_ZH`] in one line, for the one-page briefing.
pub const ASSESSMENT_SCOPE_SHORT_ZH: &str = "“通过评估”仅指资源配置；政府保障程度、教育质量、社会认可度不在模型内。";

/// [`ASSESSMENT_SCOPE_SHORT_ZH`] in English, for the briefing's English variant.
pub const ASSESSMENT_SCOPE_SHORT_EN: &str = "\"Passing the assessment\" covers resources only; government guarantee, quality of education and social recognition are outside the model.";

/// [`ASSESSMENT_SCOPE_ZH`] in English.
pub const ASSESSMENT_SCOPE_EN: &str = "“Passing the assessment” here means its resource test only: every school meets at least 6 of the 7 indicators, the seventh at 85% of its standard or more, and every indicator's CV is within its ceiling (0.50 primary, 0.45 junior). The assessment's other three dimensions (government guarantee, quality of education, social recognition; MoE assessment measures, Jiaodu [2017] No. 6) are outside the model.";

/// The enrollment-weighted coefficient of variation (差异系数):
/// X̄ = Σ Pᵢ·Xᵢ / P, S = √(Σ (Pᵢ/P)·(Xᵢ − X̄)²), CV = S / X̄.
/// Pairs with non-positive weight are left out. Returns `None` when no school
/// has students or the weighted mean is zero (the CV is undefined).
pub fn weighted_cv(pairs: &[(f64, f64)]) -> Option<f64> {
    let [cv] = weighted_cvs_positive(pairs.iter().filter(|(p, _)| *p > 0.0).map(|&(p, x)| (p, [x])));
    cv
}

/// [`weighted_cv`] of `N` lists of pairs at once, without gathering them
/// (`weighted_cv` is the one-list case): `rows` yields (weight, `N`
/// values), and a row is a pair of list `k` where its value `k` is some;
/// every weight is positive (the caller left the others out, as
/// `weighted_cv` does, and without testing each weight twice). Each list's
/// sums take its own pairs in row order, so each CV is bit for bit that of
/// its pairs taken alone. Read twice: the means, then the spreads. A
/// value is an `Option<f64>`, or an `f64` where every value is present
/// (then no value is tested, and the lists' one total weight is summed once).
pub(crate) fn weighted_cvs_positive<const N: usize, X: CvValue>(rows: impl Iterator<Item = (f64, [X; N])> + Clone) -> [Option<f64>; N] {
    let (mut p_total, mut px) = ([0.0; N], [0.0; N]);
    // With every value present each list's total is the same sum of the
    // same weights in the same order: added once a row, not N times.
    let mut p_every = 0.0;
    for (p, xs) in rows.clone() {
        debug_assert!(p > 0.0, "every weight is positive");
        if X::ALWAYS {
            p_every += p;
        }
        for k in 0..N {
            if let Some(x) = xs[k].get() {
                if !X::ALWAYS {
                    p_total[k] += p;
                }
                px[k] += p * x;
            }
        }
    }
    if X::ALWAYS {
        p_total = [p_every; N];
    }
    // No pupils, or a mean of zero: the CV is undefined (list by list).
    let mean: [Option<f64>; N] = std::array::from_fn(|k| {
        if p_total[k] <= 0.0 {
            return None;
        }
        let mean = px[k] / p_total[k];
        if mean <= 0.0 {
            None
        } else {
            Some(mean)
        }
    });
    if mean.iter().all(Option::is_none) {
        return mean;
    }
    // Where every list has the same total weight (every value present),
    // each row's weight p / p_total[k] is one division, the same for every
    // list (the same operands): worked out once a row.
    let one_total = X::ALWAYS || p_total.iter().all(|t| t.to_bits() == p_total[0].to_bits());
    // A list without a mean has no CV: its spread is summed all the same
    // (about 0 rather than its mean) and dropped, so no value waits on a
    // test of its mean.
    let centre: [f64; N] = std::array::from_fn(|k| mean[k].unwrap_or(0.0));
    // `Sum` of f64 starts from -0.0.
    let mut var = [-0.0; N];
    for (p, xs) in rows {
        let shared = if one_total { p / p_total[0] } else { 0.0 };
        for k in 0..N {
            if let Some(x) = xs[k].get() {
                let w = if one_total { shared } else { p / p_total[k] };
                var[k] += w * (x - centre[k]).powi(2);
            }
        }
    }
    std::array::from_fn(|k| mean[k].map(|mean| var[k].sqrt() / mean))
}

/// A value of [`weighted_cvs_positive`]'s lists: an `f64`, always present,
/// or an `Option<f64>`.
pub(crate) trait CvValue: Copy {
    /// Whether every value of the type is present (known when compiled).
    const ALWAYS: bool;
    /// The value, if present.
    fn get(self) -> Option<f64>;
}

impl CvValue for f64 {
    const ALWAYS: bool = true;
    fn get(self) -> Option<f64> {
        Some(self)
    }
}

impl CvValue for Option<f64> {
    const ALWAYS: bool = false;
    fn get(self) -> Option<f64> {
        self
    }
}

/// Each indicator's weighted CV across the schools of `level`.
pub fn level_cvs(schools: &[School], level: Level) -> PerIndicator<Option<f64>> {
    let rows: Vec<(f64, PerIndicator<Option<f64>>)> =
        schools.iter().filter(|s| s.level == level).map(|s| (s.enrollment(), Indicator::values(s))).collect();
    cvs_of(&rows)
}

/// Each indicator's weighted CV over `(enrollment, values)` rows already computed.
pub fn cvs_of(rows: &[(f64, PerIndicator<Option<f64>>)]) -> PerIndicator<Option<f64>> {
    weighted_cvs_positive(rows.iter().filter(|(p, _)| *p > 0.0).copied())
}

#[cfg(test)]
mod tests {
    use super::*;

    pub(crate) fn school(level: Level, students: f64) -> School {
        let mut s = School::blank("S", "测试学校", level);
        let n = level.grades().len() as f64;
        for g in level.grades() {
            s.students[g] = students / n;
        }
        s
    }

    #[test]
    fn indicator_keys_are_the_serde_names() {
        for i in Indicator::ALL {
            assert_eq!(serde_json::to_string(&i).unwrap(), format!("\"{}\"", i.key()));
        }
    }

    #[test]
    fn weighted_cv_matches_the_worked_example() {
        // STANDARDS.md: P = (100, 300), X = (1, 3): X̄ = 2.5, S = √0.75, CV ≈ 0.346.
        let cv = weighted_cv(&[(100.0, 1.0), (300.0, 3.0)]).unwrap();
        assert!((cv - 0.75f64.sqrt() / 2.5).abs() < 1e-12);
        assert!((cv - 0.3464).abs() < 1e-4);
        // Not the unweighted CV (0.5).
        assert!((cv - 0.5).abs() > 0.1);
    }

    /// The CVs of lists taken at once are those of each list, bit for bit.
    #[test]
    fn cvs_at_once_are_each_lists_cv_bit_for_bit() {
        let mut seed = 12345u64;
        let mut next = || {
            seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            (seed >> 11) as f64 / (1u64 << 53) as f64
        };
        for n in [0, 1, 2, 3, 7, 40] {
            let rows: Vec<(f64, [Option<f64>; 3])> = (0..n)
                .map(|k| {
                    let p = 1.0 + 900.0 * next();
                    // Some values missing, some zero, one list all negative.
                    let v = [(k % 3 != 0).then(|| 5.0 * next()), Some(if k % 4 == 0 { 0.0 } else { next() }), Some(-next())];
                    (p, v)
                })
                .collect();
            let at_once = weighted_cvs_positive(rows.iter().copied());
            for k in 0..3 {
                let pairs: Vec<(f64, f64)> = rows.iter().filter_map(|(p, v)| v[k].map(|x| (*p, x))).collect();
                assert_eq!(at_once[k].map(f64::to_bits), weighted_cv(&pairs).map(f64::to_bits), "n = {n}, list {k}");
            }
        }
    }

    #[test]
    fn weighted_cv_edge_cases() {
        assert_eq!(weighted_cv(&[(0.0, 5.0)]), None);
        assert_eq!(weighted_cv(&[(10.0, 0.0), (5.0, 0.0)]), None);
        assert_eq!(weighted_cv(&[(10.0, 2.0), (30.0, 2.0)]), Some(0.0));
        // Zero-enrollment schools carry no weight.
        assert_eq!(weighted_cv(&[(100.0, 1.0), (300.0, 3.0), (0.0, 99.0)]), weighted_cv(&[(100.0, 1.0), (300.0, 3.0)]));
    }

    fn passing_primary(students: f64) -> School {
        let mut s = school(Level::Primary, students);
        let k = students / 100.0;
        s.qualified_teachers = 4.2 * k;
        s.backbone_teachers = 1.0 * k;
        s.pe_art_teachers = 0.9 * k;
        s.teaching_space_m2 = 4.5 * students;
        s.sports_space_m2 = 7.5 * students;
        s.equipment_yuan = 2000.0 * students;
        s.multimedia_rooms = 2.3 * k;
        s
    }

    #[test]
    fn a_school_meeting_every_threshold_passes() {
        let std = Standards::default();
        let a = assess_school(&passing_primary(400.0), &std);
        assert_eq!(a.met, [true; 7]);
        assert!(a.passes);
        assert!((a.values[0].unwrap() - 4.2).abs() < 1e-12);
    }

    #[test]
    fn six_of_seven_passes_only_when_the_seventh_reaches_85_percent() {
        let std = Standards::default();
        let mut s = passing_primary(400.0);
        s.sports_space_m2 = 0.86 * 7.5 * 400.0; // 86% of the threshold
        let a = assess_school(&s, &std);
        assert_eq!(a.met.iter().filter(|m| **m).count(), 6);
        assert!(a.passes);
        s.sports_space_m2 = 0.84 * 7.5 * 400.0; // 84%: below the floor
        assert!(!assess_school(&s, &std).passes);
        // Two unmet indicators fail even when both are above 85%.
        s.sports_space_m2 = 0.9 * 7.5 * 400.0;
        s.equipment_yuan = 0.9 * 2000.0 * 400.0;
        assert!(!assess_school(&s, &std).passes);
    }

    #[test]
    fn a_school_without_students_has_no_values_and_does_not_pass() {
        let a = assess_school(&school(Level::Junior, 0.0), &Standards::default());
        assert_eq!(a.values, [None; 7]);
        assert!(!a.passes);
    }

    #[test]
    fn nine_year_school_counts_each_part_with_its_level() {
        // A nine-year school: 500 primary pupils with 25 qualified teachers and
        // 400 junior pupils with 20; a separate primary school of 100 pupils with 3.
        let mut nine_p = school(Level::Primary, 500.0);
        nine_p.school_id = "J9".into();
        nine_p.qualified_teachers = 25.0;
        let mut nine_j = school(Level::Junior, 400.0);
        nine_j.school_id = "J9".into();
        nine_j.qualified_teachers = 20.0;
        let mut other = school(Level::Primary, 100.0);
        other.qualified_teachers = 3.0;
        let schools = [nine_p, nine_j, other];

        let primary = level_cvs(&schools, Level::Primary)[0].unwrap();
        // Primary values: 5.0 (P=500) and 3.0 (P=100): X̄ = 28/6, S² = (5/6)(1/3)² + (1/6)(5/3)².
        let mean: f64 = 28.0 / 6.0;
        let s = ((5.0 / 6.0) * (5.0 - mean).powi(2) + (1.0 / 6.0) * (3.0 - mean).powi(2)).sqrt();
        assert!((primary - s / mean).abs() < 1e-12);
        // The junior level has only the nine-year school's junior part: CV 0.
        assert_eq!(level_cvs(&schools, Level::Junior)[0], Some(0.0));
    }
}
