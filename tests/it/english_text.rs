//! English content in scenario files (issue 17): the built-in scenarios give
//! English for their name, question, targets and every lever's source, and
//! a file without it falls back to the Chinese text.

use youjun::i18n::{is_han, Lang};
use youjun::levers::{LEVERS, YEARLY_LEVERS};
use youjun::metrics::Standards;
use youjun::params::Sourced;
use youjun::roster::Level;
use youjun::scenario::builtin::BUILTIN;
use youjun::scenario::Scenario;

fn han(text: &str) -> bool {
    text.chars().any(is_han)
}

#[test]
fn every_builtin_scenario_reads_in_english_without_chinese() {
    for b in BUILTIN {
        let s = b.scenario().unwrap();
        let mut chinese = Vec::new();
        let m = &s.scenario;
        for (what, en) in [("name", m.name_in(Lang::En)), ("question", m.question_in(Lang::En))] {
            if han(en) {
                chinese.push(format!("{what}: {en}"));
            }
        }
        for t in &s.targets {
            if han(t.label_in(Lang::En)) {
                chinese.push(format!("target {}: {}", t.id, t.label_in(Lang::En)));
            }
            if han(t.source_in(Lang::En)) {
                chinese.push(format!("source of target {}: {}", t.id, t.source_in(Lang::En)));
            }
        }
        for l in LEVERS {
            if let Some(v) = l.get(&s) {
                let en = v.english_source().unwrap_or(&v.source);
                if han(en) {
                    chinese.push(format!("source of {}: {en}", l.id));
                }
            }
        }
        for l in YEARLY_LEVERS {
            let y = l.get(&s);
            let en = y.english_source().unwrap_or(&y.source);
            if han(en) {
                chinese.push(format!("source of {}: {en}", l.id));
            }
        }
        assert!(chinese.is_empty(), "{}: Chinese in English mode:\n{}", b.id, chinese.join("\n"));
        // Chinese mode is unchanged: the Chinese text.
        assert_eq!(m.name_in(Lang::Zh), m.name);
        assert!(han(m.name_in(Lang::Zh)) && han(&s.targets[0].label));
    }
}

#[test]
fn a_file_without_english_falls_back_to_the_chinese_text() {
    let text = BUILTIN[0].toml;
    let bare: String = text
        .lines()
        .filter(|l| !l.starts_with("name_en = ") && !l.starts_with("question_en = ") && !l.starts_with("label_en = "))
        .map(|l| format!("{l}\n"))
        .collect();
    let s = Scenario::from_toml(&bare).unwrap();
    assert!(s.scenario.name_en.is_none() && s.targets.iter().all(|t| t.label_en.is_none()));
    assert_eq!(s.scenario.name_in(Lang::En), "浦东新区 · 新优质学校倍增计划");
    assert_eq!(s.scenario.question_in(Lang::En), s.scenario.question);
    assert_eq!(s.targets[2].label_in(Lang::En), "2026年区级新优质项目校120所");
    // With it, the English; and the source of a lever in each language.
    let full = BUILTIN[0].scenario().unwrap();
    assert_eq!(full.targets[2].label_in(Lang::En), "2026: 120 district-level new-quality project schools");
    let migration = &full.enrollment.net_migration_rate;
    assert_eq!(migration.english_source(), Some("Estimate: no net migration"));
    assert_eq!(migration.source, "估计: 净迁入为零 (estimate: no net migration)");
    // A blank English name counts as none.
    let blank = text.replacen("name_en = \"Pudong New Area · Doubling the new-quality schools\"", "name_en = \" \"", 1);
    assert_ne!(blank, text);
    assert_eq!(Scenario::from_toml(&blank).unwrap().scenario.name_in(Lang::En), "浦东新区 · 新优质学校倍增计划");
}

#[test]
fn the_english_text_survives_json_export_and_reading_back() {
    let s = BUILTIN[4].scenario().unwrap();
    let back = Scenario::from_json(&s.to_json()).unwrap();
    assert_eq!(back, s);
    assert!(back.scenario.question_en.as_deref().unwrap().starts_with("As births fall"));
}

/// Every source the standards' defaults write has its English (they are
/// not in the scenario files); a default reworded in Chinese without its
/// English fails here.
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
        let en = v.english_source().unwrap_or_else(|| panic!("no English for {:?}", v.source));
        assert!(han(&v.source) && !han(en), "{en}");
    }
}
