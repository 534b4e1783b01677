//! Readable names for district series, indicators and levels, in either
//! language. Kept in the chart module: these are display strings, and the
//! engine and metrics modules stay free of English wording.

use crate::i18n::Lang;
use crate::metrics::Indicator;
use crate::roster::Level;

/// Series named in full: (key, Chinese, English). Covers every series a
/// built-in scenario sets a target on and those the standard charts draw.
const NAMED: &[(&str, &str, &str)] = &[
    ("students_total", "在校生总数", "Students, total"),
    ("grade1_intake", "一年级招生", "Grade-1 intake"),
    ("shortage_teachers", "教师缺口", "Teacher shortage"),
    ("surplus_teachers", "超编教师", "Surplus teachers"),
    ("hires", "新聘教师", "New teachers hired"),
    ("rotated_teachers", "交流轮岗教师", "Teachers rotated"),
    ("rotation_share", "交流轮岗教师比例", "Share of eligible teachers rotated"),
    ("rotation_backbone_share", "交流教师中骨干比例", "Backbone share of rotated teachers"),
    ("rotation_ok", "交流轮岗达到要求", "Rotation meets the standard"),
    ("spend_total_yuan", "总支出", "Total spending"),
    ("budget_envelope_yuan", "预算总额", "Budget envelope"),
    ("budget_gap_yuan", "超出预算", "Over budget"),
    ("new_quality_schools", "区级新优质项目校", "District new-quality schools"),
    ("municipal_new_quality_schools", "市级新优质学校", "Municipal new-quality schools"),
    ("demonstration_schools", "示范校", "Demonstration schools"),
    ("innovation_projects", "创新项目（累计）", "Innovation projects (cumulative)"),
    ("demo_projects", "示范项目", "Demonstration projects"),
    ("innovation_cases", "创新案例", "Innovation cases"),
    ("schools_failing", "未达标学校数", "Schools not passing"),
    ("classes_over_cap", "有超额班级的学校数", "Schools with classes over the size cap"),
    ("schools_over_size", "规模超标学校数", "Schools over the size cap"),
    ("schools_below_senior_standard", "高级职称教师未达标学校数", "Schools below the senior-title standard"),
    ("schools_below_funding_standard", "生均经费未达标学校数", "Schools below the funding standard"),
    ("schools_below_science_minimum", "科学教师未达标学校数", "Schools below the science-teacher minimum"),
    ("schools_below_staffing_standard", "教职工配置未达标学校数", "Schools below the staffing standard"),
    ("schools_below_unified_standard", "未达城乡统一标准学校数", "Schools below the unified urban–rural standard"),
    ("cost_capital_gap_yuan", "设施设备达标缺口", "Facilities gap to the standard"),
    ("merges", "撤并学校数", "Schools merged"),
    ("shared_courses", "共享课程", "Shared courses"),
    ("schools_offering_shared_course_share", "开设共享课程的学校比例", "Share of schools offering a shared course"),
    ("students_in_shared_courses_share", "参加共享课程的学生比例", "Share of pupils in shared courses"),
    ("school_premium_courses", "校本精品课程", "School-based premium courses"),
    ("parent_school_share", "建立家长学校的学校比例", "Share of schools with a parent school"),
    ("aed_school_share", "完成AED布设的学校比例", "Share of schools with an AED"),
    ("strong_gap_index", "实验校差距指数", "Experimental-school gap index"),
    ("strong_pass_share", "实验校达标比例", "Share of experimental schools passing"),
    ("strong_seed_share_min", "实验校种子计划教师最低占比", "Lowest seed-teacher share of an experimental school"),
    ("strong_key_teachers_grown", "实验校培养骨干教师", "Key teachers developed at experimental schools"),
    ("strong_cadres_moved", "流动干部", "Cadres moved"),
];

/// Series with one key per level, `<stem>_primary` and `<stem>_junior`:
/// (stem, Chinese after the level, English after the level).
const PER_LEVEL: &[(&str, &str, &str)] = &[
    ("students", "在校生", "students"),
    ("capacity", "学位", "school places"),
    ("classes", "教学班", "classes"),
    ("teachers", "教师", "teachers"),
    ("teacher_need", "按编制需求教师", "teachers needed (staffing norm)"),
    ("surplus_teachers", "超编教师", "surplus teachers"),
    ("teacher_reserve", "区储备教师", "teachers in the district reserve"),
    ("pass_share", "达标学校比例", "share of schools passing"),
    ("cv_max", "最大差异系数", "maximum CV"),
    ("cv_ok", "差异系数全部达标", "all CVs within the ceiling"),
    ("schools_open", "开办学校数", "schools open"),
    ("group_teacher_cv_max", "学区内教师差异系数最大值", "largest within-学区 teacher CV"),
    ("shared_group_teacher_cv_max", "学区内教师差异系数最大值（计共享）", "largest within-学区 teacher CV (sharing counted)"),
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

/// A readable name for the district series `key` (see
/// [`crate::engine::series_keys`]), falling back to the key itself.
pub fn series_label(key: &str, lang: Lang) -> String {
    if let Some((_, zh, en)) = NAMED.iter().find(|(k, _, _)| *k == key) {
        return lang.pick(zh, en).to_string();
    }
    for level in Level::ALL {
        let stem = key.strip_suffix(level.key()).and_then(|s| s.strip_suffix('_'));
        if let Some((_, zh, en)) = stem.and_then(|s| PER_LEVEL.iter().find(|(k, _, _)| *k == s)) {
            return lang.pick(format!("{}{zh}", level.zh()), format!("{} {en}", level_label(level, lang)));
        }
    }
    // cv.<level>.<indicator> and failing.<level>.<indicator>.
    let parts: Vec<&str> = key.split('.').collect();
    if let [kind @ ("cv" | "failing"), level, indicator] = parts[..] {
        let level = Level::ALL.into_iter().find(|l| l.key() == level);
        let indicator = Indicator::ALL.into_iter().find(|i| i.key() == indicator);
        if let (Some(l), Some(i)) = (level, indicator) {
            let what = match kind {
                "cv" => lang.pick("差异系数", "CV"),
                _ => lang.pick("未达标学校数", "schools below the threshold"),
            };
            let (l, i) = (level_label(l, lang), indicator_label(i, lang));
            return lang.pick(format!("{l}{what}：{i}"), format!("{l} {what}: {i}"));
        }
    }
    key.to_owned()
}

/// Whether series `key` is a share (0–1) to draw on a percentage axis. The
/// rule reads the key's `_`-separated words: `share` marks a share
/// (`pass_share_primary`, `strong_seed_share_min`, `aed_school_share`; not
/// `shared_courses`), and `ok` a yes/no flag recorded as 0 or 1 (`cv_ok_*`,
/// `rotation_ok`), which reads as 0%/100% and, across Monte Carlo runs, as
/// the share of runs where it holds.
pub fn is_share_series(key: &str) -> bool {
    key.split('_').any(|w| w == "share" || w == "ok")
}

/// A value as a target label shows it: 120, 0.45, 33.3%.
pub(crate) fn value_text(v: f64, percent: bool) -> String {
    let (v, unit) = if percent { (v * 100.0, "%") } else { (v, "") };
    // At most two decimals, trailing zeros dropped: 0.3333 → 33.3%, 120 → 120.
    let mut s = format!("{:.2}", if percent { (v * 10.0).round() / 10.0 } else { v });
    while s.contains('.') && (s.ends_with('0') || s.ends_with('.')) {
        s.pop();
    }
    s + unit
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::series_keys;

    #[test]
    fn every_target_series_of_the_built_in_scenarios_has_a_name() {
        for b in crate::scenario::builtin::BUILTIN {
            for t in b.scenario().unwrap().targets {
                for lang in [Lang::Zh, Lang::En] {
                    assert_ne!(series_label(&t.series, lang), t.series, "{}: {}", b.id, t.series);
                }
            }
        }
    }

    #[test]
    fn names_by_table_by_level_and_by_pattern_and_the_key_as_fallback() {
        assert_eq!(series_label("new_quality_schools", Lang::Zh), "区级新优质项目校");
        assert_eq!(series_label("new_quality_schools", Lang::En), "District new-quality schools");
        assert_eq!(series_label("students_primary", Lang::Zh), "小学在校生");
        assert_eq!(series_label("cv_max_junior", Lang::En), "Junior maximum CV");
        // `shared_group_teacher_cv_max_*` is its own stem, not `group_teacher_cv_max_*` with a prefix.
        assert_eq!(series_label("shared_group_teacher_cv_max_primary", Lang::Zh), "小学学区内教师差异系数最大值（计共享）");
        assert_eq!(series_label("cv.primary.backbone_teachers_per_100", Lang::Zh), "小学差异系数：骨干教师");
        assert_eq!(series_label("failing.junior.equipment_yuan_per_student", Lang::En), "Junior schools below the threshold: Equipment");
        // Unknown keys, a real key without a name, unknown stems, malformed patterns: the key itself.
        assert!(series_keys().iter().any(|k| k == "strong_grants_yuan"));
        for key in ["no_such_series", "strong_grants_yuan", "widgets_primary", "cv.middle.backbone_teachers_per_100", "cv.primary"] {
            assert_eq!(series_label(key, Lang::Zh), key);
            assert_eq!(series_label(key, Lang::En), key);
        }
    }

    #[test]
    fn shares_are_words_not_substrings() {
        for key in ["pass_share_primary", "strong_pass_share", "strong_seed_share_min", "aed_school_share", "cv_ok_junior", "rotation_ok"] {
            assert!(is_share_series(key), "{key}");
        }
        for key in ["shared_courses", "shared_group_teacher_cv_max_primary", "new_quality_schools", "strong_gap_index", "cv_max_primary"] {
            assert!(!is_share_series(key), "{key}");
        }
    }

    #[test]
    fn target_values_print_short() {
        assert_eq!(value_text(120.0, false), "120");
        assert_eq!(value_text(0.45, false), "0.45");
        assert_eq!(value_text(0.5, false), "0.5");
        assert_eq!(value_text(0.3333, true), "33.3%");
        assert_eq!(value_text(1.0, true), "100%");
        assert_eq!(value_text(0.0, false), "0");
    }
}
