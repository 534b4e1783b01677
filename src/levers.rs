//! The planner's levers: every single-number and yearly value of the core
//! scenario sections (`[enrollment]`, `[teachers]`, `[funding]`,
//! `[new_quality]`, `[standards]`), with what only the workspace needs: its
//! panel, labels in both languages, unit as display text and slider step.
//! The allowed ranges are the scenario's own ([`crate::scenario::ranges`]);
//! a lever names its field by path and reads its minimum and maximum from
//! there, so each range is written once. The district sections
//! (`[strong_schools]`, `[urban_rural]`, `[shared_courses]`, `[merging]`, …)
//! are not levers yet. Share links name a lever by its `id`, the value's path
//! in the scenario file.
//!
//! Pure data over [`Scenario`]: no browser, no I/O.

use crate::params::{Sourced, Yearly};
use crate::scenario::ranges::{self, Field, OutOfBounds, YearlyField};
use crate::scenario::Scenario;

/// The lever panels of the workspace, in display order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Group {
    /// 招生预测: births, intake, migration and progression.
    Enrollment,
    /// 教师配置与交流: staffing ratios, hiring, attrition, promotion and rotation.
    Teachers,
    /// 经费: per-pupil funding, grants, building costs and yearly budgets.
    Funding,
    /// 新优质学校倍增: the new-quality schools programme (seed 000).
    NewQuality,
    /// 假设与标准: the pass rule, size caps, rotation and senior-teacher standards.
    Assumptions,
}

impl Group {
    /// Every panel, in display order.
    pub const ALL: [Group; 5] = [Group::Enrollment, Group::Teachers, Group::Funding, Group::NewQuality, Group::Assumptions];

    /// The panel's Chinese title.
    pub fn zh(self) -> &'static str {
        match self {
            Group::Enrollment => "招生预测",
            Group::Teachers => "教师配置与交流",
            Group::Funding => "经费",
            Group::NewQuality => "新优质学校倍增",
            Group::Assumptions => "假设与标准",
        }
    }

    /// A stable key for the page and tests: the variant's name.
    pub fn key(self) -> &'static str {
        match self {
            Group::Enrollment => "Enrollment",
            Group::Teachers => "Teachers",
            Group::Funding => "Funding",
            Group::NewQuality => "NewQuality",
            Group::Assumptions => "Assumptions",
        }
    }

    /// The panel's English title.
    pub fn en(self) -> &'static str {
        match self {
            Group::Enrollment => "Enrollment forecast",
            Group::Teachers => "Teachers and rotation",
            Group::Funding => "Funding",
            Group::NewQuality => "New-quality schools",
            Group::Assumptions => "Assumptions and standards",
        }
    }
}

/// How a value is shown: shares as percentages, the rest as they are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    /// A share stored as 0–1, shown as a percentage.
    Share,
    /// A factor applied to a forecast (1 = unchanged).
    Multiplier,
    /// Pupils per full-time teacher.
    StudentsPerTeacher,
    /// A number of teachers.
    Teachers,
    /// A number of pupils.
    Students,
    /// An amount in yuan.
    Yuan,
    /// A cost in yuan per m² of floor area.
    YuanPerM2,
    /// A floor area in m².
    M2,
    /// A number of years.
    Years,
    /// A plain count (schools, indicators, projects, cases).
    Count,
    /// A number per 100 pupils.
    PerHundred,
    /// Floor area in m² per pupil.
    M2PerStudent,
    /// An amount in yuan per pupil.
    YuanPerStudent,
    /// A number in units of 10,000 people (万), as births are published.
    TenThousand,
}

impl Unit {
    /// Factor from the stored value to the displayed one.
    pub fn display_scale(self) -> f64 {
        match self {
            Unit::Share => 100.0,
            _ => 1.0,
        }
    }

    /// The unit's Chinese text, shown after the number.
    pub fn zh(self) -> &'static str {
        match self {
            Unit::Share => "%",
            Unit::Multiplier => "倍",
            Unit::StudentsPerTeacher => "生/师",
            Unit::Teachers => "人",
            Unit::Students => "名学生",
            Unit::Yuan => "元",
            Unit::YuanPerM2 => "元/m²",
            Unit::M2 => "m²",
            Unit::Years => "年",
            Unit::Count => "个",
            Unit::PerHundred => "/百生",
            Unit::M2PerStudent => "m²/生",
            Unit::YuanPerStudent => "元/生",
            Unit::TenThousand => "万人",
        }
    }

    /// The unit's English text, shown after the number (empty for plain counts).
    pub fn en(self) -> &'static str {
        match self {
            Unit::Share => "%",
            Unit::Multiplier => "×",
            Unit::StudentsPerTeacher => "pupils/teacher",
            Unit::Teachers => "teachers",
            Unit::Students => "pupils",
            Unit::Yuan => "yuan",
            Unit::YuanPerM2 => "yuan/m²",
            Unit::M2 => "m²",
            Unit::Years => "years",
            Unit::Count => "",
            Unit::PerHundred => "per 100 pupils",
            Unit::M2PerStudent => "m²/pupil",
            Unit::YuanPerStudent => "yuan/pupil",
            Unit::TenThousand => "×10,000",
        }
    }
}

/// One lever. `min`, `max` and `step` are in stored units; `min` and `max`
/// are the scenario field's bounds, copied when the table is built.
#[derive(Clone, Copy)]
pub struct Lever {
    /// The value's path in the scenario file, e.g. `teachers.rotation_share`.
    pub id: &'static str,
    /// The panel it is shown in.
    pub group: Group,
    /// Its label in Chinese (also the name in error messages).
    pub zh: &'static str,
    /// Its label in English.
    pub en: &'static str,
    /// How its value is shown.
    pub unit: Unit,
    /// The smallest allowed value: the scenario field's bound.
    pub min: f64,
    /// The largest allowed value: the scenario field's bound.
    pub max: f64,
    /// The slider's step.
    pub step: f64,
    field: &'static Field,
}

impl std::fmt::Debug for Lever {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Lever({})", self.id)
    }
}

impl Lever {
    /// The scenario field this lever edits, with its bounds.
    pub fn field(&self) -> &'static Field {
        self.field
    }

    /// The lever's value with its source. `None` is for the optional pupil
    /// flows (issue 16) that a scenario does not state: the workspace then
    /// shows no such lever.
    pub fn get<'a>(&self, s: &'a Scenario) -> Option<&'a Sourced<f64>> {
        self.field.get(s)
    }

    /// Sets the value after checking it against the field's bounds.
    ///
    /// # Errors
    ///
    /// A message in both languages naming the lever and the allowed range
    /// when the value is outside it (or not a number), or saying the
    /// scenario lacks the value; the scenario is then unchanged.
    pub fn set(&self, s: &mut Scenario, value: f64) -> Result<(), String> {
        self.field.bounds.check(value).map_err(|e| out_of_bounds_message(self.zh, self.unit, e))?;
        match self.field.get_mut(s) {
            Some(p) => {
                p.value = value;
                Ok(())
            }
            None => Err(format!("场景中没有此项 (this scenario has no `{}`)", self.id)),
        }
    }

    /// The message [`Lever::set`] gives for `got` outside the range: the
    /// lever's name and the range in display units, in both languages.
    pub fn range_message(&self, got: f64) -> String {
        range_message(self.zh, self.unit, self.min, self.max, got)
    }
}

macro_rules! lever {
    ($id:literal, $group:ident, $zh:literal, $en:literal, $unit:ident, $step:expr) => {
        Lever {
            id: ranges::field($id).path,
            group: Group::$group,
            zh: $zh,
            en: $en,
            unit: Unit::$unit,
            min: ranges::field($id).bounds.min,
            max: ranges::field($id).bounds.max,
            step: $step,
            field: ranges::field($id),
        }
    };
}

/// Every lever, in panel order, one for each of the scenario's
/// [`ranges::FIELDS`]. The enrollment ratio is optional (calibrated when
/// absent), so it is not a lever; yearly series are edited as tables.
pub static LEVERS: &[Lever] = &[
    lever!("enrollment.intake_adjustment", Enrollment, "招生预测调节系数", "Intake adjustment", Multiplier, 0.01),
    lever!("enrollment.net_migration_rate", Enrollment, "年净迁入率", "Net migration a year", Share, 0.001),
    lever!("enrollment.progression_rate", Enrollment, "升级率", "Progression rate", Share, 0.001),
    lever!("enrollment.junior_entry_share", Enrollment, "小学毕业生升入区内公办初中比例", "Primary leavers entering the district's public junior schools", Share, 0.01),
    lever!("enrollment.public_entry.share", Enrollment, "适龄儿童入读区内公办小学比例", "Grade-1 age cohort entering the district's public schools", Share, 0.01),
    lever!("enrollment.migrant.change", Enrollment, "随迁子女入学规模调节系数", "Migrant children's intake (1 = as in the base year)", Multiplier, 0.01),
    lever!("teachers.staffing.primary_urban", Teachers, "小学生师比 (城区)", "Primary pupils per teacher (urban)", StudentsPerTeacher, 0.1),
    lever!("teachers.staffing.primary_rural", Teachers, "小学生师比 (农村)", "Primary pupils per teacher (rural)", StudentsPerTeacher, 0.1),
    lever!("teachers.staffing.junior", Teachers, "初中生师比", "Junior pupils per teacher", StudentsPerTeacher, 0.1),
    lever!("teachers.attrition_rate", Teachers, "教师年流失率", "Teacher attrition a year", Share, 0.005),
    lever!("teachers.surplus_tolerance", Teachers, "学校可保留超编比例", "Surplus a school may keep", Share, 0.01),
    lever!("teachers.max_hires_per_year", Teachers, "年度新进教师上限", "New teachers a year at most", Teachers, 10.0),
    lever!("teachers.new_hire_qualified_share", Teachers, "新教师高于规定学历比例", "New hires above the required degree", Share, 0.01),
    lever!("teachers.new_hire_pe_art_share", Teachers, "新教师中体育艺术教师比例", "New hires teaching PE or art", Share, 0.01),
    lever!("teachers.senior_promotion_rate", Teachers, "年晋升高级职称比例", "Promotions to senior title a year", Share, 0.001),
    lever!("teachers.backbone_designation_rate", Teachers, "年新评骨干教师比例", "New backbone designations a year", Share, 0.001),
    lever!("teachers.rotation_share", Teachers, "交流轮岗比例", "Rotation share", Share, 0.01),
    lever!("teachers.rotation_backbone_share", Teachers, "交流教师中骨干比例", "Backbone share of rotated teachers", Share, 0.01),
    lever!("teachers.eligible_share", Teachers, "符合交流条件教师比例", "Teachers eligible to rotate", Share, 0.01),
    lever!("funding.per_student_primary_yuan", Funding, "小学生均经费", "Primary funding per pupil", YuanPerStudent, 100.0),
    lever!("funding.per_student_junior_yuan", Funding, "初中生均经费", "Junior funding per pupil", YuanPerStudent, 100.0),
    lever!("funding.per_student_growth", Funding, "生均经费年增幅", "Yearly growth of per-pupil funding", Share, 0.005),
    lever!("funding.min_funded_students", Funding, "公用经费按最低学生数核定", "Minimum pupils funded for running costs", Students, 10.0),
    lever!("funding.public_funds_share", Funding, "公用经费占生均经费比例", "Share of per-pupil funding for running costs", Share, 0.01),
    lever!("funding.grant_per_project_school_yuan", Funding, "项目校专项经费", "Grant per project school", Yuan, 10_000.0),
    lever!("funding.grant_per_strong_school_yuan", Funding, "强校工程实验校专项经费", "Grant per strong-school experimental school", Yuan, 10_000.0),
    lever!("funding.grant_per_rotated_teacher_yuan", Funding, "交流教师补贴", "Allowance per rotated teacher", Yuan, 1000.0),
    lever!("funding.cost_per_m2_teaching_yuan", Funding, "校舍单价", "Teaching floor cost", YuanPerM2, 100.0),
    lever!("funding.cost_per_m2_sports_yuan", Funding, "运动场馆单价", "Sports area cost", YuanPerM2, 100.0),
    lever!("funding.cost_per_multimedia_room_yuan", Funding, "每间网络多媒体教室造价", "Cost per multimedia room", Yuan, 1000.0),
    lever!("funding.teaching_m2_per_classroom", Funding, "每间教室所需教学用房", "Teaching floor per classroom", M2, 10.0),
    lever!("funding.build_delay_years", Funding, "建设周期", "Build delay", Years, 1.0),
    lever!("funding.equipment_depreciation_rate", Funding, "仪器设备年折旧率", "Equipment depreciation a year", Share, 0.005),
    lever!("new_quality.review_pass_probability", NewQuality, "评审通过率", "Review pass probability", Share, 0.01),
    lever!("new_quality.min_indicators_met", NewQuality, "申报所需达标指标数", "Indicators met to apply", Count, 1.0),
    lever!("new_quality.exit_after_years", NewQuality, "未立项移出年限", "Years to exit without a project", Years, 1.0),
    lever!("new_quality.project_start_rate", NewQuality, "年立项概率", "Yearly project start probability", Share, 0.01),
    lever!("new_quality.project_completion_rate", NewQuality, "年结项概率", "Yearly project completion probability", Share, 0.01),
    lever!("new_quality.project_min_years", NewQuality, "项目最短周期", "Shortest project", Years, 1.0),
    lever!("new_quality.project_deadline_years", NewQuality, "项目完成时限（入选后）", "Project deadline after joining the list", Years, 1.0),
    lever!("new_quality.completion_gain_per_100k_yuan", NewQuality, "每10万元经费提高结项概率", "Completion gain per 100,000 yuan", Share, 0.005),
    lever!("new_quality.cases_per_project_year", NewQuality, "每项目年均案例数", "Cases per project a year", Count, 0.01),
    lever!("new_quality.certifications_min", NewQuality, "年认证学校数 (下限)", "Certifications a year (low)", Count, 1.0),
    lever!("new_quality.certifications_max", NewQuality, "年认证学校数 (上限)", "Certifications a year (high)", Count, 1.0),
    lever!("standards.pass_min_met", Assumptions, "学校达标所需指标数", "Indicators a passing school meets", Count, 1.0),
    lever!("standards.pass_floor_share", Assumptions, "未达标指标最低比例", "Floor for the one missed indicator", Share, 0.01),
    lever!("standards.school_size_cap", Assumptions, "学校规模上限", "School size cap", Students, 50.0),
    lever!("standards.nine_year_school_size_cap", Assumptions, "九年一贯制学校规模上限", "Nine-year school size cap", Students, 50.0),
    lever!("standards.rotation_min_share", Assumptions, "交流轮岗最低比例", "Minimum rotation share", Share, 0.01),
    lever!("standards.rotation_backbone_min_share", Assumptions, "交流骨干最低比例", "Minimum backbone share of rotation", Share, 0.01),
    lever!("standards.primary_min_senior_teachers", Assumptions, "小学高级职称教师最少人数", "Senior-title teachers per primary school", Teachers, 1.0),
    lever!("standards.junior_min_senior_share", Assumptions, "初中高级职称教师最低比例", "Senior-title share per junior school", Share, 0.01),
];

/// A lever that is a yearly trajectory (births, admissions, budgets), edited
/// as a small table with one row per year it acts on. `min`, `max` and `step`
/// are in stored units and hold for every year's value; `min` and `max` are
/// the scenario field's bounds, copied when the table is built.
#[derive(Clone, Copy)]
pub struct YearlyLever {
    /// The series' path in the scenario file, e.g. `funding.capital_budget_yuan`.
    pub id: &'static str,
    /// The panel it is shown in.
    pub group: Group,
    /// Its label in Chinese (also the name in error messages).
    pub zh: &'static str,
    /// Its label in English.
    pub en: &'static str,
    /// How its value is shown.
    pub unit: Unit,
    /// The smallest allowed value: the scenario field's bound.
    pub min: f64,
    /// The largest allowed value: the scenario field's bound.
    pub max: f64,
    /// The slider's step.
    pub step: f64,
    /// Years the series acts on, relative to the base and end years: births
    /// six years before each intake year, the rest the horizon itself.
    pub offset: i32,
    field: &'static YearlyField,
}

impl std::fmt::Debug for YearlyLever {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "YearlyLever({})", self.id)
    }
}

impl YearlyLever {
    /// The scenario field this lever edits, with its bounds.
    pub fn field(&self) -> &'static YearlyField {
        self.field
    }

    /// The series with its source.
    pub fn get<'a>(&self, s: &'a Scenario) -> &'a Yearly {
        self.field.get(s)
    }

    /// The years shown as table rows.
    pub fn years(&self, s: &Scenario) -> std::ops::RangeInclusive<i32> {
        s.scenario.base_year + self.offset..=s.scenario.end_year + self.offset
    }

    /// The value in effect in `year`, as the engine reads it (births are
    /// interpolated between published years, the rest step from the latest
    /// earlier entry).
    pub fn value(&self, s: &Scenario, year: i32) -> f64 {
        let y = self.get(s);
        let v = if self.interpolated() { y.interpolated(year) } else { y.at(year) };
        v.unwrap_or(0.0)
    }

    fn interpolated(&self) -> bool {
        self.id == "enrollment.births_wan"
    }

    /// The effective value in every row year.
    pub fn row_values(&self, s: &Scenario) -> Vec<(i32, f64)> {
        self.years(s).map(|y| (y, self.value(s, y))).collect()
    }

    /// Sets one year's value, after checking it against the field's bounds.
    /// Every row year is first written out with its effective value, so an
    /// edit changes that year alone and not the years that inherited from it.
    ///
    /// # Errors
    ///
    /// A message in both languages naming the lever and the allowed range
    /// when the value is outside it (or not a number), or the table's years
    /// when `year` is not one of them; the scenario is then unchanged.
    pub fn set(&self, s: &mut Scenario, year: i32, value: f64) -> Result<(), String> {
        self.field.bounds.check(value).map_err(|e| out_of_bounds_message(self.zh, self.unit, e))?;
        if !self.years(s).contains(&year) {
            return Err(format!("{}: 年份须在 {:?} 之内 (year must be inside the table), 实际为 (got) {year}", self.zh, self.years(s)));
        }
        let rows = self.row_values(s);
        let y = self.field.get_mut(s);
        for (yr, v) in rows {
            y.values.insert(yr.to_string(), v);
        }
        y.values.insert(year.to_string(), value);
        Ok(())
    }

    /// Puts the series back as it is in `base`.
    pub fn reset(&self, s: &mut Scenario, base: &Scenario) {
        *self.field.get_mut(s) = self.get(base).clone();
    }
}

macro_rules! yearly_lever {
    ($id:literal, $group:ident, $zh:literal, $en:literal, $unit:ident, $step:expr, $offset:expr) => {
        YearlyLever {
            id: ranges::yearly_field($id).path,
            group: Group::$group,
            zh: $zh,
            en: $en,
            unit: Unit::$unit,
            min: ranges::yearly_field($id).bounds.min,
            max: ranges::yearly_field($id).bounds.max,
            step: $step,
            offset: $offset,
            field: ranges::yearly_field($id),
        }
    };
}

/// Every yearly-trajectory lever, in panel order; their ranges are the
/// scenario's [`ranges::YEARLY_FIELDS`].
pub static YEARLY_LEVERS: &[YearlyLever] = &[
    yearly_lever!("enrollment.births_wan", Enrollment, "上海常住人口出生数 (6年前)", "Shanghai resident births (six years earlier)", TenThousand, 0.01, -6),
    yearly_lever!("funding.capital_budget_yuan", Funding, "年度设施设备投入", "Capital budget a year", Yuan, 1e6, 0),
    yearly_lever!("funding.budget_envelope_yuan", Funding, "年度预算总额", "Spending envelope a year", Yuan, 1e6, 0),
    yearly_lever!("new_quality.planned_admissions", NewQuality, "年度计划新增区级新优质项目校", "Planned new-quality admissions a year", Count, 1.0, 0),
    yearly_lever!("new_quality.demonstration_designations", NewQuality, "示范校累计认定数", "Demonstration schools designated (cumulative)", Count, 1.0, 0),
    yearly_lever!("new_quality.demo_project_designations", NewQuality, "示范创新项目 (累计)", "Demonstration projects (cumulative)", Count, 1.0, 0),
];

/// The yearly lever named `id`.
pub fn yearly_lever(id: &str) -> Option<&'static YearlyLever> {
    YEARLY_LEVERS.iter().find(|l| l.id == id)
}

/// The yearly levers whose effective value differs between `base` and
/// `edited` in some row year, with the edited rows.
pub fn yearly_changed(base: &Scenario, edited: &Scenario) -> Vec<(&'static str, Vec<(i32, f64)>)> {
    YEARLY_LEVERS
        .iter()
        .filter_map(|l| {
            let (a, b) = (l.row_values(base), l.row_values(edited));
            (a.iter().zip(&b).any(|(x, y)| x.1.to_bits() != y.1.to_bits())).then_some((l.id, b))
        })
        .collect()
}

fn range_message(zh: &str, unit: Unit, min: f64, max: f64, got: f64) -> String {
    let k = unit.display_scale();
    format!(
        "{zh}: 取值须在 {} 到 {} {} 之间 (must be between {} and {} {}), 实际为 (got) {}",
        min * k,
        max * k,
        unit.zh(),
        min * k,
        max * k,
        unit.en(),
        given(got, k)
    )
}

/// A refused value in display units (`got` × `k`), at most 17 significant
/// digits (exponent notation beyond 1e15 or under 1e-6); when scaling
/// overflows (1e308 × 100) or the value is not finite, the value as given,
/// never "inf" for a finite input.
fn given(got: f64, k: f64) -> String {
    let bounded = |v: f64| {
        if v != 0.0 && v.is_finite() && !(1e-6..1e15).contains(&v.abs()) {
            format!("{v:e}")
        } else {
            format!("{v}")
        }
    };
    let scaled = got * k;
    if scaled.is_finite() || !got.is_finite() {
        bounded(scaled)
    } else {
        format!("{} (原值 as given)", bounded(got))
    }
}

/// A refused lever value, told in the lever's words and display units.
fn out_of_bounds_message(zh: &str, unit: Unit, e: OutOfBounds) -> String {
    match e {
        OutOfBounds::Outside { min, max, got } => range_message(zh, unit, min, max, got),
        OutOfBounds::NotWhole { got } => {
            format!("{zh}: 须为整数 (must be a whole number), 实际为 (got) {}", given(got, unit.display_scale()))
        }
    }
}

/// The lever named `id`.
pub fn lever(id: &str) -> Option<&'static Lever> {
    LEVERS.iter().find(|l| l.id == id)
}

/// The levers whose value differs between `base` and `edited`, with the
/// edited value: what a share link carries and what the briefing lists.
pub fn changed(base: &Scenario, edited: &Scenario) -> Vec<(&'static str, f64)> {
    LEVERS
        .iter()
        .filter_map(|l| match (l.get(base), l.get(edited)) {
            (Some(a), Some(b)) if a.value.to_bits() != b.value.to_bits() => Some((l.id, b.value)),
            _ => None,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Pudong, with the optional pupil flows stated so every lever is present.
    fn pudong() -> Scenario {
        crate::scenario::with_pupil_flows(Scenario::from_toml(include_str!("../scenarios/pudong-2024.toml")).unwrap())
    }

    #[test]
    fn ids_are_unique_paths_and_ranges_are_ordered() {
        let mut ids = std::collections::BTreeSet::new();
        for l in LEVERS {
            assert!(ids.insert(l.id), "duplicate {}", l.id);
            assert!(l.min < l.max && l.step > 0.0 && l.step <= l.max - l.min, "{}", l.id);
            let v = l.get(&pudong()).expect("Pudong has every core lever").value;
            assert!((l.min..=l.max).contains(&v), "{} = {v} outside its range", l.id);
        }
        assert!(Group::ALL.iter().all(|g| LEVERS.iter().any(|l| l.group == *g)), "every panel has a lever");
    }

    #[test]
    fn one_lever_per_scenario_field_with_its_bounds() {
        let paths: Vec<_> = LEVERS.iter().map(|l| l.id).collect();
        assert_eq!(paths, ranges::FIELDS.iter().map(|f| f.path).collect::<Vec<_>>());
        for l in LEVERS {
            assert_eq!((l.field().path, l.field().bounds), (l.id, ranges::field(l.id).bounds));
            assert_eq!((l.min, l.max), (l.field().bounds.min, l.field().bounds.max), "{}", l.id);
        }
        let paths: Vec<_> = YEARLY_LEVERS.iter().map(|l| l.id).collect();
        assert_eq!(paths, ranges::YEARLY_FIELDS.iter().map(|f| f.path).collect::<Vec<_>>());
        for l in YEARLY_LEVERS {
            assert_eq!((l.field().path, l.field().bounds), (l.id, ranges::yearly_field(l.id).bounds));
            assert_eq!((l.min, l.max), (l.field().bounds.min, l.field().bounds.max), "{}", l.id);
        }
    }

    #[test]
    fn a_whole_number_field_refuses_a_fraction_in_the_levers_words() {
        let e = out_of_bounds_message("评审通过率", Unit::Share, ranges::Bounds::whole(0.0, 1.0).check(0.5).unwrap_err());
        assert_eq!(e, "评审通过率: 须为整数 (must be a whole number), 实际为 (got) 50");
    }

    #[test]
    fn the_id_is_the_path_in_the_scenario_json() {
        let s = pudong();
        let json: serde_json::Value = serde_json::from_str(&s.to_json()).unwrap();
        for l in LEVERS {
            let at = l.id.split('.').fold(&json, |v, k| &v[k]);
            assert_eq!(at["value"].as_f64(), Some(l.get(&s).unwrap().value), "{}", l.id);
        }
    }

    #[test]
    fn set_checks_the_range_and_changed_lists_the_edit() {
        let base = pudong();
        let mut s = base.clone();
        let l = lever("teachers.rotation_share").unwrap();
        assert!(changed(&base, &s).is_empty());
        l.set(&mut s, 0.25).unwrap();
        assert_eq!(changed(&base, &s), vec![("teachers.rotation_share", 0.25)]);
        let err = l.set(&mut s, 1.5).unwrap_err();
        assert!(err.contains("交流轮岗比例") && err.contains("0 到 100 %") && err.contains("got) 150"), "{err}");
        assert_eq!(l.get(&s).unwrap().value, 0.25, "a rejected value changes nothing");
        assert!(l.set(&mut s, f64::NAN).is_err());
    }

    #[test]
    fn a_yearly_edit_changes_that_year_alone() {
        let base = pudong();
        let mut s = base.clone();
        let l = yearly_lever("funding.capital_budget_yuan").unwrap();
        // Pudong gives one entry (2024) that every later year inherits.
        assert_eq!(l.row_values(&base).len(), 7);
        assert!(l.row_values(&base).iter().all(|(_, v)| *v == 3e8));
        l.set(&mut s, 2026, 1e8).unwrap();
        let rows = l.row_values(&s);
        assert_eq!(rows[2], (2026, 1e8));
        assert!(rows.iter().filter(|(y, _)| *y != 2026).all(|(_, v)| *v == 3e8), "{rows:?}");
        assert_eq!(yearly_changed(&base, &s), vec![("funding.capital_budget_yuan", rows)]);
        assert!(l.set(&mut s, 2026, -1.0).unwrap_err().contains("年度设施设备投入"));
        assert!(l.set(&mut s, 2040, 1.0).is_err(), "a year outside the table is refused");
        l.reset(&mut s, &base);
        assert!(yearly_changed(&base, &s).is_empty());
    }

    #[test]
    fn the_births_lever_names_resident_births() {
        // The values are resident births (常住, STANDARDS.md: 2017 21.84万),
        // not births to registered residents (户籍, 2017 12.92万).
        let l = yearly_lever("enrollment.births_wan").unwrap();
        assert!(l.zh.contains("常住人口出生数") && !l.zh.contains("户籍"), "{}", l.zh);
        assert!(l.en.contains("resident births"), "{}", l.en);
    }

    #[test]
    fn births_rows_are_six_years_before_intake_and_interpolated() {
        let s = pudong();
        let l = yearly_lever("enrollment.births_wan").unwrap();
        assert_eq!(l.years(&s), 2018..=2024);
        // 2018 lies between the published 2017 and 2019 values.
        let y = l.get(&s);
        let (a, b) = (y.at(2017).unwrap(), y.at(2019).unwrap());
        assert!((l.value(&s, 2018) - (a + b) / 2.0).abs() < 1e-9);
    }
}
