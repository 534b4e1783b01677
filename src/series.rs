//! The series catalogue: every output series a run records, one value per
//! year, declared as data. Each entry gives its key, what it measures
//! ([`Unit`]), its school level where it has one, whether its values are
//! whole numbers, its labels in both languages, and the part of the model
//! that records it ([`Section`]).
//!
//! The catalogue's order is the column order of `Trajectory.series` and of
//! the CSV and XLSX exports: `FIXED` as declared, then
//! `cv.<level>.<indicator>`, then `failing.<level>.<indicator>`, generated
//! from [`Level::ALL`] × [`Indicator::ALL`].
//!
//! Everything that needs a series' meaning reads it here (the recorder's
//! positions, chart labels and axes, exports, target validation, the UI),
//! never from the spelling of its key. This module sits below the scenario
//! and the engine, so both read it without importing each other.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::sync::OnceLock;

use crate::i18n::Lang;
use crate::metrics::Indicator;
use crate::roster::Level;
use Level::{Junior, Primary};
use Section::{Core, Merging, ScienceTeachers, Seats, SharedCourses, StrongSchools, UrbanRural};
use Unit::{Count, Cv, Per100Students, Ratio, Share, YesNo, Yuan};

/// What a series' values measure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    /// A number of pupils, teachers, schools, places, courses…
    Count,
    /// A fraction in [0, 1], shown as a percentage.
    Share,
    /// Money, in yuan.
    Yuan,
    /// A coefficient of variation (standard deviation ÷ mean).
    Cv,
    /// A dimensionless ratio of two groups' values (1 is parity).
    Ratio,
    /// Teachers per 100 pupils, the unit of the national teacher indicators.
    Per100Students,
    /// A rule met (1) or not (0). Across Monte Carlo runs its mean is the
    /// share of runs where the rule holds, so it is drawn as a percentage.
    YesNo,
}

impl Unit {
    /// Whether values are drawn and printed as percentages: shares, and
    /// yes/no flags (0% or 100%).
    pub fn is_percent(self) -> bool {
        matches!(self, Unit::Share | Unit::YesNo)
    }

    /// The name of a chart's value axis for this unit.
    pub fn axis_label(self, lang: Lang) -> &'static str {
        match self {
            Unit::Count => lang.pick("数量", "Count"),
            Unit::Share => lang.pick("比例", "Share"),
            Unit::Yuan => lang.pick("元", "Yuan"),
            Unit::Cv => lang.pick("差异系数", "CV"),
            // Its one series, the strong-school gap index, reads as an index.
            Unit::Ratio => lang.pick("指数", "Index"),
            Unit::Per100Students => lang.pick("每百名学生", "Per 100 students"),
            Unit::YesNo => lang.pick("是否达到（100% 为是）", "Met (100% = yes)"),
        }
    }
}

/// The part of the model that records a series: the core yearly steps, or
/// the district sub-model named by its scenario section. Every series is
/// recorded in every run; without its section a district series holds what
/// the rest of the model implies (often zero). `facility_upgrades` and the
/// town–country rotation rule record no series of their own (they show in
/// `spend_capital_yuan` and the rotation series).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Section {
    /// Enrollment, teachers, funding, the new-quality programme and the
    /// balance record (which also counts the rows failing each indicator).
    Core,
    /// `[merging]` (seed 004): open schools and merges.
    Merging,
    /// `[science_teachers]` (seed 004).
    ScienceTeachers,
    /// `[[new_schools]]` and `[[housing]]` (issue 16): the seat gap.
    Seats,
    /// `[shared_courses]` (seed 003), with the within-学区 teacher CVs.
    SharedCourses,
    /// `[strong_schools]` (seed 001).
    StrongSchools,
    /// `[urban_rural]` (seed 002).
    UrbanRural,
}

impl Section {
    /// The scenario section's name (`strong_schools`, …), or `core`.
    pub fn key(self) -> &'static str {
        match self {
            Section::Core => "core",
            Section::Merging => "merging",
            Section::ScienceTeachers => "science_teachers",
            Section::Seats => "new_schools",
            Section::SharedCourses => "shared_courses",
            Section::StrongSchools => "strong_schools",
            Section::UrbanRural => "urban_rural",
        }
    }
}

/// One output series: what it is called and what its values mean.
#[derive(Debug, Clone, PartialEq)]
pub struct SeriesDef {
    /// The stable key that targets, exports and share links use.
    pub key: Cow<'static, str>,
    /// What the values measure.
    pub unit: Unit,
    /// The school level the series counts, where it counts one.
    pub level: Option<Level>,
    /// The national indicator, for the generated `cv.*` and `failing.*` series.
    pub indicator: Option<Indicator>,
    /// Whether every value is a whole number by construction (schools,
    /// classes, courses). Expected values (pupils, teachers, and counts
    /// whose central rule is an expectation such as p·n) are not.
    pub whole_number: bool,
    /// The name in Chinese.
    pub zh: Cow<'static, str>,
    /// The name in English.
    pub en: Cow<'static, str>,
    /// The part of the model that records it.
    pub section: Section,
}

impl SeriesDef {
    /// The name in `lang`.
    pub fn label(&self, lang: Lang) -> &str {
        lang.pick(&self.zh, &self.en)
    }

    /// A series of `unit` recorded by `section`, for no particular level,
    /// with fractional values.
    const fn new(key: &'static str, unit: Unit, section: Section, zh: &'static str, en: &'static str) -> SeriesDef {
        SeriesDef {
            key: Cow::Borrowed(key),
            unit,
            level: None,
            indicator: None,
            whole_number: false,
            zh: Cow::Borrowed(zh),
            en: Cow::Borrowed(en),
            section,
        }
    }

    /// The same series, counted at `level`.
    const fn at(mut self, level: Level) -> SeriesDef {
        self.level = Some(level);
        self
    }

    /// The same series, with whole-number values.
    const fn whole(mut self) -> SeriesDef {
        self.whole_number = true;
        self
    }
}

const fn series(key: &'static str, unit: Unit, section: Section, zh: &'static str, en: &'static str) -> SeriesDef {
    SeriesDef::new(key, unit, section, zh, en)
}

/// The declared series, in recorded order; the generated `cv.*` and
/// `failing.*` series follow them (see [`catalogue`]).
#[rustfmt::skip]
pub(crate) const FIXED: &[SeriesDef] = &[
    series("students_primary", Count, Core, "小学在校生", "Primary students").at(Primary),
    series("students_junior", Count, Core, "初中在校生", "Junior students").at(Junior),
    series("students_total", Count, Core, "在校生总数", "Students, total"),
    series("grade1_intake", Count, Core, "一年级招生", "Grade-1 intake").at(Primary),
    series("classes_primary", Count, Core, "小学教学班", "Primary classes").at(Primary).whole(),
    series("classes_junior", Count, Core, "初中教学班", "Junior classes").at(Junior).whole(),
    // Whole places, but summed as the roster gives them, without rounding.
    series("capacity_primary", Count, Core, "小学学位", "Primary school places").at(Primary),
    series("capacity_junior", Count, Core, "初中学位", "Junior school places").at(Junior),
    series("teachers_primary", Count, Core, "小学教师", "Primary teachers").at(Primary),
    series("teachers_junior", Count, Core, "初中教师", "Junior teachers").at(Junior),
    series("teacher_need_primary", Count, Core, "小学按编制需求教师", "Primary teachers needed (staffing norm)").at(Primary),
    series("teacher_need_junior", Count, Core, "初中按编制需求教师", "Junior teachers needed (staffing norm)").at(Junior),
    series("surplus_teachers_primary", Count, Core, "小学超编教师", "Primary surplus teachers").at(Primary),
    series("surplus_teachers_junior", Count, Core, "初中超编教师", "Junior surplus teachers").at(Junior),
    series("surplus_teachers", Count, Core, "超编教师", "Surplus teachers"),
    series("teacher_reserve_primary", Count, Core, "小学区储备教师", "Primary teachers in the district reserve").at(Primary),
    series("teacher_reserve_junior", Count, Core, "初中区储备教师", "Junior teachers in the district reserve").at(Junior),
    series("shortage_teachers", Count, Core, "教师缺口", "Teacher shortage"),
    series("hires", Count, Core, "新聘教师", "New teachers hired"),
    series("rotated_teachers", Count, Core, "交流轮岗教师", "Teachers rotated"),
    series("rotation_share", Share, Core, "交流轮岗教师比例", "Share of eligible teachers rotated"),
    series("rotation_backbone_share", Share, Core, "交流教师中骨干比例", "Backbone share of rotated teachers"),
    series("rotation_ok", YesNo, Core, "交流轮岗达到要求", "Rotation meets the standard").whole(),
    series("spend_operating_yuan", Yuan, Core, "生均经费支出", "Operating spending (per-student funding)"),
    series("spend_grants_yuan", Yuan, Core, "专项补助支出", "Grant spending"),
    series("spend_capital_yuan", Yuan, Core, "基建与设施设备支出", "Capital spending"),
    series("spend_total_yuan", Yuan, Core, "总支出", "Total spending"),
    series("budget_envelope_yuan", Yuan, Core, "预算总额", "Budget envelope"),
    series("budget_gap_yuan", Yuan, Core, "超出预算", "Over budget"),
    series("new_quality_schools", Count, Core, "区级新优质项目校", "District new-quality schools").whole(),
    series("municipal_new_quality_schools", Count, Core, "市级新优质学校", "Municipal new-quality schools").whole(),
    series("demonstration_schools", Count, Core, "示范校", "Demonstration schools").whole(),
    series("innovation_projects", Count, Core, "创新项目（累计）", "Innovation projects (cumulative)").whole(),
    series("demo_projects", Count, Core, "示范项目", "Demonstration projects").whole(),
    series("innovation_cases", Count, Core, "创新案例", "Innovation cases").whole(),
    series("certified_schools", Count, Core, "新优质学校认定（累计）", "New-quality schools certified (cumulative)").whole(),
    series("new_quality_exits", Count, Core, "退出区级名单的学校（累计）", "Schools leaving the district list (cumulative)").whole(),
    series("projects_overdue", Count, Core, "逾期未完成创新项目的项目校", "Listed schools past the project deadline").whole(),
    series("pass_share_primary", Share, Core, "小学达标学校比例", "Primary share of schools passing").at(Primary),
    series("pass_share_junior", Share, Core, "初中达标学校比例", "Junior share of schools passing").at(Junior),
    series("schools_failing", Count, Core, "未达标学校数", "Schools not passing").whole(),
    series("cv_max_primary", Cv, Core, "小学最大差异系数", "Primary maximum CV").at(Primary),
    series("cv_max_junior", Cv, Core, "初中最大差异系数", "Junior maximum CV").at(Junior),
    series("cv_ok_primary", YesNo, Core, "小学差异系数全部达标", "Primary all CVs within the ceiling").at(Primary).whole(),
    series("cv_ok_junior", YesNo, Core, "初中差异系数全部达标", "Junior all CVs within the ceiling").at(Junior).whole(),
    // The assessment's resource verdict (教督〔2017〕6号): every open school
    // of the level passes 6 of 7 (the seventh at ≥ 85%) and every CV of the
    // level is within its ceiling; overall, both levels. The assessment's
    // other three dimensions are outside the model.
    series("certification_ok_primary", YesNo, Core, "小学资源配置通过优质均衡评估", "Primary passes the assessment's resource test").at(Primary).whole(),
    series("certification_ok_junior", YesNo, Core, "初中资源配置通过优质均衡评估", "Junior passes the assessment's resource test").at(Junior).whole(),
    series("certification_ok", YesNo, Core, "资源配置通过优质均衡评估（小学与初中）", "Passes the assessment's resource test (primary and junior)").whole(),
    // Seats (issue 16): pupils beyond places per 学区/集团, summed over groups.
    series("seat_gap_primary", Count, Seats, "小学学位缺口", "Primary seat gap (pupils beyond places)").at(Primary),
    series("seat_gap_junior", Count, Seats, "初中学位缺口", "Junior seat gap (pupils beyond places)").at(Junior),
    series("classes_over_cap", Count, Core, "有超额班级的学校数", "Schools with classes over the size cap").whole(),
    series("schools_over_size", Count, Core, "规模超标学校数", "Schools over the size cap").whole(),
    series("schools_below_senior_standard", Count, Core, "高级职称教师未达标学校数", "Schools below the senior-title standard").whole(),
    series("schools_below_funding_standard", Count, Core, "生均经费未达标学校数", "Schools below the funding standard").whole(),
    // Chongming (seed 004)
    series("schools_open_primary", Count, Merging, "小学开办学校数", "Primary schools open").at(Primary).whole(),
    series("schools_open_junior", Count, Merging, "初中开办学校数", "Junior schools open").at(Junior).whole(),
    series("merges", Count, Merging, "撤并学校数", "Schools merged").whole(),
    series("schools_below_science_minimum", Count, ScienceTeachers, "科学教师未达标学校数", "Schools below the science-teacher minimum").whole(),
    // Minhang Hongqiao (seed 003)
    series("shared_courses", Count, SharedCourses, "共享课程", "Shared courses").whole(),
    series("schools_offering_shared_course_share", Share, SharedCourses, "开设共享课程的学校比例", "Share of schools offering a shared course"),
    series("students_in_shared_courses_share", Share, SharedCourses, "参加共享课程的学生比例", "Share of pupils in shared courses"),
    series("school_premium_courses", Count, SharedCourses, "校本精品课程", "School-based premium courses").whole(),
    series("parent_school_share", Share, SharedCourses, "建立家长学校的学校比例", "Share of schools with a parent school"),
    series("aed_school_share", Share, SharedCourses, "完成AED布设的学校比例", "Share of schools with an AED"),
    series("group_teacher_cv_max_primary", Cv, SharedCourses, "小学学区内教师差异系数最大值", "Primary largest within-district teacher CV").at(Primary),
    series("group_teacher_cv_max_junior", Cv, SharedCourses, "初中学区内教师差异系数最大值", "Junior largest within-district teacher CV").at(Junior),
    series("shared_group_teacher_cv_max_primary", Cv, SharedCourses, "小学学区内教师差异系数最大值（计共享）", "Primary largest within-district teacher CV (sharing counted)").at(Primary),
    series("shared_group_teacher_cv_max_junior", Cv, SharedCourses, "初中学区内教师差异系数最大值（计共享）", "Junior largest within-district teacher CV (sharing counted)").at(Junior),
    // Putuo (seed 001)
    series("strong_gap_index", Ratio, StrongSchools, "实验校差距指数", "Experimental-school gap index").at(Junior),
    series("strong_pass_share", Share, StrongSchools, "实验校达标比例", "Share of experimental schools passing").at(Junior),
    series("strong_backbone_per_100", Per100Students, StrongSchools, "实验校每百名学生骨干教师数", "Backbone teachers per 100 pupils, experimental schools").at(Junior),
    series("junior_backbone_per_100", Per100Students, StrongSchools, "其他初中每百名学生骨干教师数", "Backbone teachers per 100 pupils, other junior schools").at(Junior),
    series("strong_seed_teachers", Count, StrongSchools, "实验校种子计划在培教师", "Seed teachers in training at experimental schools").at(Junior).whole(),
    series("strong_seed_share_min", Share, StrongSchools, "实验校种子计划教师最低占比", "Lowest seed-teacher share of an experimental school").at(Junior),
    series("strong_seed_graduates", Count, StrongSchools, "种子计划结业成为骨干教师（累计）", "Seed teachers become backbone teachers (cumulative)").at(Junior).whole(),
    series("strong_key_teachers_grown", Count, StrongSchools, "实验校培养骨干教师", "Key teachers developed at experimental schools").at(Junior).whole(),
    series("strong_backbone_moved", Count, StrongSchools, "流入实验校的骨干教师（累计，净）", "Backbone teachers moved to experimental schools (cumulative, net)").at(Junior),
    series("strong_cadres_moved", Count, StrongSchools, "流动干部", "Cadres moved").at(Junior),
    series("strong_grants_yuan", Yuan, StrongSchools, "实验校专项经费", "Ring-fenced grants to experimental schools").at(Junior),
    // Baoshan (seed 002)
    series("cost_to_standard_yuan", Yuan, UrbanRural, "达到统一标准所需经费", "Cost of reaching the unified standard"),
    series("cost_teachers_gap_yuan", Yuan, UrbanRural, "教师缺口所需经费", "Cost of the teacher shortfall"),
    series("cost_funding_gap_yuan", Yuan, UrbanRural, "生均经费缺口", "Per-student funding gap"),
    series("cost_capital_gap_yuan", Yuan, UrbanRural, "设施设备达标缺口", "Facilities gap to the standard"),
    series("schools_below_staffing_standard", Count, UrbanRural, "教职工配置未达标学校数", "Schools below the staffing standard").whole(),
    series("schools_below_unified_standard", Count, UrbanRural, "未达城乡统一标准学校数", "Schools below the unified urban–rural standard").whole(),
    series("senior_teachers_directed", Count, UrbanRural, "统筹调配的高级职称教师", "Senior-title teachers directed"),
    series("senior_teachers_returned", Count, UrbanRural, "期满返回的高级职称教师", "Senior-title teachers returned"),
];

/// The level's name: 小学 / Primary.
pub fn level_label(level: Level, lang: Lang) -> &'static str {
    lang.pick(level.zh(), if level == Level::Primary { "Primary" } else { "Junior" })
}

/// The indicator's short name: 骨干教师 / Backbone teachers.
pub fn indicator_label(i: Indicator, lang: Lang) -> &'static str {
    let en = match i {
        Indicator::QualifiedTeachersPer100 => "Qualified teachers",
        Indicator::BackboneTeachersPer100 => "Backbone teachers",
        Indicator::PeArtTeachersPer100 => "PE & art teachers",
        Indicator::TeachingSpaceM2PerStudent => "Teaching space",
        Indicator::SportsSpaceM2PerStudent => "Sports space",
        Indicator::EquipmentYuanPerStudent => "Equipment",
        Indicator::MultimediaRoomsPer100 => "Multimedia rooms",
    };
    lang.pick(i.short_zh(), en)
}

/// `<prefix>.<level>.<indicator>` for every level and indicator, in
/// [`Level::ALL`] × [`Indicator::ALL`] order.
fn per_indicator(prefix: &str, unit: Unit, section: Section, what: (&str, &str), whole_number: bool) -> Vec<SeriesDef> {
    let mut defs = Vec::with_capacity(Level::ALL.len() * Indicator::ALL.len());
    for level in Level::ALL {
        for i in Indicator::ALL {
            let (zh, en) = (Lang::Zh, Lang::En);
            defs.push(SeriesDef {
                key: Cow::Owned(format!("{prefix}.{}.{}", level.key(), i.key())),
                unit,
                level: Some(level),
                indicator: Some(i),
                whole_number,
                zh: Cow::Owned(format!("{}{}：{}", level_label(level, zh), what.0, indicator_label(i, zh))),
                en: Cow::Owned(format!("{} {}: {}", level_label(level, en), what.1, indicator_label(i, en))),
                section,
            });
        }
    }
    defs
}

/// Every output series, in recorded order: the declared ones, then each level's
/// indicator CVs (`cv.<level>.<indicator>`), then each level's count of rows
/// below each indicator's threshold (`failing.<level>.<indicator>`).
pub fn catalogue() -> &'static [SeriesDef] {
    static CATALOGUE: OnceLock<Vec<SeriesDef>> = OnceLock::new();
    CATALOGUE.get_or_init(|| {
        let mut defs = FIXED.to_vec();
        defs.extend(per_indicator("cv", Cv, Core, ("差异系数", "CV"), false));
        defs.extend(per_indicator("failing", Count, Core, ("未达标学校数", "schools below the threshold"), true));
        defs
    })
}

/// Every series key, in recorded order (the keys of [`catalogue`]).
pub fn keys() -> &'static [String] {
    static KEYS: OnceLock<Vec<String>> = OnceLock::new();
    KEYS.get_or_init(|| catalogue().iter().map(|d| d.key.to_string()).collect())
}

/// The position of series `key` in [`catalogue`] (and in
/// `Trajectory.series`), or `None` for a key no run records. An index built
/// once: the recorder looks series up by key every year.
pub fn position(key: &str) -> Option<usize> {
    static INDEX: OnceLock<BTreeMap<&'static str, usize>> = OnceLock::new();
    let index = INDEX.get_or_init(|| catalogue().iter().enumerate().map(|(k, d)| (&*d.key, k)).collect());
    index.get(key).copied()
}

/// The series named `key`, or `None` for a key no run records.
pub fn find(key: &str) -> Option<&'static SeriesDef> {
    position(key).map(|k| &catalogue()[k])
}

/// The unit of series `key`, or `None` for a key no run records.
pub fn unit(key: &str) -> Option<Unit> {
    find(key).map(|d| d.unit)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_generated_series_follow_the_declared_ones_level_by_indicator() {
        let generated = &catalogue()[FIXED.len()..];
        assert_eq!(generated.len(), 2 * Level::ALL.len() * Indicator::ALL.len());
        let mut expected = Vec::new();
        for prefix in ["cv", "failing"] {
            for level in Level::ALL {
                for i in Indicator::ALL {
                    expected.push((format!("{prefix}.{}.{}", level.key(), i.key()), level, i));
                }
            }
        }
        for (d, (key, level, i)) in generated.iter().zip(expected) {
            assert_eq!((&*d.key, d.level, d.indicator), (key.as_str(), Some(level), Some(i)));
        }
        assert!(FIXED.iter().all(|d| d.indicator.is_none()));
    }

    #[test]
    fn every_series_has_both_labels_and_no_two_share_one() {
        for lang in [Lang::Zh, Lang::En] {
            let mut seen = std::collections::BTreeSet::new();
            for d in catalogue() {
                let label = d.label(lang);
                assert!(!label.trim().is_empty(), "{} has no {lang:?} label", d.key);
                assert_ne!(label, d.key, "{} is labelled by its key", d.key);
                assert!(seen.insert(label), "{lang:?} label `{label}` names two series");
            }
        }
    }

    #[test]
    fn generated_labels_name_the_level_and_the_indicator() {
        let d = find("cv.primary.backbone_teachers_per_100").unwrap();
        assert_eq!(d.label(Lang::Zh), format!("小学差异系数：{}", Indicator::BackboneTeachersPer100.short_zh()));
        let d = find("failing.junior.equipment_yuan_per_student").unwrap();
        assert_eq!(d.label(Lang::En), "Junior schools below the threshold: Equipment");
    }

    #[test]
    fn a_yes_no_series_is_whole_and_drawn_as_a_percentage() {
        for d in catalogue().iter().filter(|d| d.unit == YesNo) {
            assert!(d.whole_number && d.unit.is_percent(), "{}", d.key);
        }
        assert!(Share.is_percent() && !Count.is_percent() && !Cv.is_percent());
    }
}
