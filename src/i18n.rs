//! The two languages of the interface and of every message: Chinese first
//! (zh-CN, the default), English on request.

use serde::{Deserialize, Serialize};

/// An interface language, written in lowercase (`"zh"`, `"en"`) when serialised.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    /// Simplified Chinese (zh-CN), the default.
    #[default]
    Zh,
    /// English.
    En,
}

impl Lang {
    /// The text for this language.
    pub fn pick<T>(self, zh: T, en: T) -> T {
        match self {
            Lang::Zh => zh,
            Lang::En => en,
        }
    }

    /// The BCP 47 tag, for `<html lang>`.
    pub fn tag(self) -> &'static str {
        self.pick("zh-CN", "en")
    }
}

/// Whether `c` is a Han character (CJK unified ideographs and their
/// extension A, compatibility ideographs): what the English interface must
/// not show outside proper names.
pub fn is_han(c: char) -> bool {
    matches!(c, '\u{3400}'..='\u{4dbf}' | '\u{4e00}'..='\u{9fff}' | '\u{f900}'..='\u{faff}')
}

/// The English of the sources the program itself writes for values a
/// scenario file may leave out (the national standards' defaults and the
/// defaults of optional fields), so the English interface shows no Chinese
/// citation for them. Keyed by the exact Chinese text; a test checks every
/// default has its entry.
pub fn known_source_en(zh: &str) -> Option<&'static str> {
    KNOWN_SOURCES.iter().find(|(k, _)| *k == zh).map(|(_, en)| *en)
}

const KNOWN_SOURCES: &[(&str, &str)] = &[
    ("教督〔2017〕6号 附件 资源配置指标", "MoE assessment measures (Jiaodu [2017] No. 6), annex: resource indicators"),
    (
        "教督〔2017〕6号 (secondary sources; STANDARDS.md status S)",
        "MoE assessment measures (Jiaodu [2017] No. 6) (secondary sources; STANDARDS.md status S)",
    ),
    ("教督〔2017〕6号 第七条", "MoE assessment measures (Jiaodu [2017] No. 6), article 7"),
    (
        "教督〔2017〕6号, the 85% clause (secondary sources; STANDARDS.md status S)",
        "MoE assessment measures (Jiaodu [2017] No. 6), the 85% clause (secondary sources; STANDARDS.md status S)",
    ),
    (
        "教督〔2017〕6号 政府保障程度 (STANDARDS.md status S)",
        "MoE assessment measures (Jiaodu [2017] No. 6), government support (STANDARDS.md status S)",
    ),
    ("002_50a5a1e38847ebfa.txt §四(七) 班级学生数不超过45人", "002_50a5a1e38847ebfa.txt §4(7): at most 45 pupils a class"),
    ("002_50a5a1e38847ebfa.txt §四(七) 初中班级学生数不超过50人", "002_50a5a1e38847ebfa.txt §4(7): at most 50 pupils a junior class"),
    (
        "002_50a5a1e38847ebfa.txt §四(二)5 小学每年生均不低于23500元",
        "002_50a5a1e38847ebfa.txt §4(2)5: at least 23,500 yuan per primary pupil a year",
    ),
    (
        "002_50a5a1e38847ebfa.txt §四(二)5 初中每年生均不低于29000元",
        "002_50a5a1e38847ebfa.txt §4(2)5: at least 29,000 yuan per junior pupil a year",
    ),
    ("002_50a5a1e38847ebfa.txt §四(七) 规模不超过2000人", "002_50a5a1e38847ebfa.txt §4(7): at most 2,000 pupils a school"),
    ("002_50a5a1e38847ebfa.txt §四(七) 一贯制学校不超过2500人", "002_50a5a1e38847ebfa.txt §4(7): at most 2,500 pupils a nine-year school"),
    (
        "002_50a5a1e38847ebfa.txt §四(二)4 每所小学至少有1名高级职务教师",
        "002_50a5a1e38847ebfa.txt §4(2)4: at least one senior-title teacher in every primary school",
    ),
    (
        "002_50a5a1e38847ebfa.txt §四(二)4 每所初中至少有5%的高级职务教师",
        "002_50a5a1e38847ebfa.txt §4(2)4: at least 5% senior-title teachers in every junior school",
    ),
    (
        "000_9ddd49f59424de77.txt §二(二) 原则上2-3年内需申报完成1项 (the later end; default for files without it)",
        "000_9ddd49f59424de77.txt §2(2): in principle one project applied for and completed within 2–3 years (the later end; default for files without it)",
    ),
    (
        "估计: 公用经费约占生均经费的四分之一 (estimate; no Shanghai split found)",
        "Estimate: running costs about a quarter of per-pupil funding (no Shanghai split found)",
    ),
];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::metrics::Standards;
    use crate::params::Sourced;
    use crate::roster::Level;

    /// Every source the standards' defaults write has its English; a default
    /// reworded in Chinese without its English fails here.
    #[test]
    fn every_default_standard_source_has_english() {
        let s = Standards::default();
        let mut all: Vec<&Sourced<f64>> = vec![
            &s.pass_min_met,
            &s.pass_floor_share,
            &s.school_size_cap,
            &s.nine_year_school_size_cap,
            &s.rotation_min_share,
            &s.rotation_backbone_min_share,
            &s.primary_min_senior_teachers,
            &s.junior_min_senior_share,
        ];
        for level in [Level::Primary, Level::Junior] {
            let l = s.level(level);
            all.extend([&l.cv_ceiling, &l.class_size_cap, &l.per_student_funding_yuan, &l.qualified_teachers_per_100]);
            all.extend([&l.pe_art_teachers_per_100, &l.teaching_space_m2_per_student, &l.sports_space_m2_per_student]);
            all.extend([&l.equipment_yuan_per_student, &l.multimedia_rooms_per_100, &l.backbone_teachers_per_100]);
        }
        for v in all {
            let en = v.source_in(Lang::En);
            assert!(!en.chars().any(is_han), "no English for {:?}", v.source);
        }
        for (zh, en) in KNOWN_SOURCES {
            assert!(zh.chars().any(is_han) && !en.chars().any(is_han), "{en}");
        }
    }
}
