//! A roster's rows must be consistent and plausible (issue 18, defects 5–6
//! and "plausible values"): the two rows of a nine-year school agree on
//! name, area, group and programme status, and values beyond plausible
//! bounds are refused by row and column with the range and its reason, in
//! both languages. Every built-in synthetic roster passes (they are
//! realistic), and so does the template.

use youjun::i18n::Lang;
use youjun::message::Problem;
use youjun::roster::csv_io::{parse_roster_csv, roster_to_csv};
use youjun::roster::{implausible, parse_roster_lenient, Level, RosterFile};
use youjun::scenario::builtin::BUILTIN;

const HEADER: &str = "school_id,name,level,area,district_group,students,classes,teachers,qualified_teachers,backbone_teachers,pe_art_teachers,teaching_space_m2,sports_space_m2,equipment_yuan,multimedia_rooms,capacity,new_quality,project_status,project_start,feeds";

/// A plausible primary school of 600 pupils in 16 classes.
const P: &str = "P1,Primary One,primary,urban,G1,600,16,40,30,6,6,3000,5000,1500000,16,640,none,none,,";
/// A nine-year school: its primary and junior rows, which agree.
const NP: &str = "N1,Nine One,primary,rural,G1,400,12,30,20,4,4,2000,3500,900000,10,450,district,active,2023,N1";
const NJ: &str = "N1,Nine One,junior,rural,G1,480,12,44,30,5,5,2900,4800,1300000,12,500,district,active,2023,";

fn csv(rows: &[&str]) -> String {
    std::iter::once(HEADER).chain(rows.iter().copied()).collect::<Vec<_>>().join("\n")
}

fn problems(rows: &[&str]) -> Vec<Problem> {
    match parse_roster_csv(&csv(rows), Lang::Zh) {
        Ok(_) => panic!("expected problems in {rows:?}"),
        Err(p) => p,
    }
}

/// The one problem of `rows`, at `row` and `column`, whose English and
/// Chinese texts contain every fragment given.
fn one(rows: &[&str], row: usize, column: &str, en: &[&str], zh: &[&str]) -> Problem {
    let p = problems(rows);
    assert_eq!(p.len(), 1, "{p:#?}");
    let p = p.into_iter().next().unwrap();
    assert_eq!((p.place.row(), p.place.column()), (Some(row), Some(column)), "{p}");
    let (e, z) = (p.describe(Lang::En), p.describe(Lang::Zh));
    for f in en {
        assert!(e.contains(f), "no {f:?} in {e}");
    }
    for f in zh {
        assert!(z.contains(f), "no {f:?} in {z}");
    }
    p
}

#[test]
fn the_fixture_rows_are_a_valid_roster() {
    let r = parse_roster_csv(&csv(&[P, NP, NJ]), Lang::Zh).unwrap();
    assert_eq!(r.schools.len(), 3);
}

#[test]
fn nine_year_rows_must_agree_on_name_area_group_and_programme_status() {
    let cases = [
        ("name", NJ.replace("Nine One,junior", "Nine 1,junior"), "\"Nine 1\" vs \"Nine One\""),
        ("area", NJ.replace("junior,rural", "junior,urban"), "\"urban\" vs \"rural\""),
        ("district_group", NJ.replace("rural,G1", "rural,G2"), "\"G2\" vs \"G1\""),
        ("new_quality", NJ.replace("district,active", "municipal,active"), "\"municipal\" vs \"district\""),
        ("project_status", NJ.replace("district,active", "district,completed"), "\"completed\" vs \"active\""),
        ("project_start", NJ.replace("active,2023", "active,2024"), "\"2024\" vs \"2023\""),
    ];
    for (column, junior, found) in cases {
        let p = one(
            &[P, NP, &junior],
            4,
            column,
            &["the junior row (row 4) of nine-year school \"N1\" differs from its primary row (row 3)", found, "agree on name, area, group"],
            &["九年一贯制学校「N1」的初中行（第 4 行）与小学行（第 3 行）不一致", "须一致"],
        );
        assert!(p.describe(Lang::En).contains("row 3") && p.describe(Lang::En).contains("row 4"), "{p}");
    }
    // Lenient import leaves out the whole school and keeps the rest.
    let bad = NJ.replace("junior,rural", "junior,urban");
    let (roster, problems) = parse_roster_lenient(&RosterFile::Csv(csv(&[P, NP, &bad])), Lang::Zh);
    assert_eq!(roster.schools.iter().map(|s| s.school_id.as_str()).collect::<Vec<_>>(), ["P1"]);
    assert_eq!(problems.len(), 2, "{problems:#?}");
}

#[test]
fn implausible_values_are_refused_by_row_and_column_with_range_and_reason() {
    // (column, the edited primary row, English fragments, Chinese fragments)
    let cases: &[(&str, String, &[&str], &[&str])] = &[
        ("classes", P.replace(",600,16,", ",600,2,"), &["300 pupils a class (600 pupils ÷ 2 classes)", "at most 200 pupils a class", "class-size cap of 45"], &["班额 300 人", "每班至多 200 人"]),
        ("classes", P.replace(",600,16,", ",600,700,"), &["more classes than pupils"], &["班级数 700 多于在校生 600 人"]),
        ("teachers", P.replace(",16,40,30,", ",16,700,30,"), &["700 teachers for 600 pupils: more teachers than pupils", "1 teacher per 19 primary"], &["多于在校生", "1:19"]),
        ("teachers", P.replace(",16,40,30,", &format!(",16,{},30,", "1".to_owned() + &"0".repeat(150))), &["1e150 teachers", "more teachers than pupils"], &["1e150 名教师"]),
        ("students", P.replace(",600,16,", ",60000,400,"), &["60000 pupils is beyond a plausible school", "0–20,000 pupils", "school-size cap of 2,000"], &["在校生 60000 人", "办学规模上限 2,000 人"]),
        ("teaching_space_m2", P.replace(",3000,5000,", ",0,5000,"), &["600 pupils but no teaching floor area", "more than 0"], &["教学及辅助用房面积却为 0"]),
        ("teaching_space_m2", P.replace(",3000,5000,", ",300000,5000,"), &["300000, 500 a pupil, is beyond plausible", "at most 100 m² a pupil"], &["生均 500", "生均至多 100 m²"]),
        ("sports_space_m2", P.replace(",3000,5000,", ",3000,600000,"), &["at most 500 m² a pupil"], &["生均至多 500 m²"]),
        ("equipment_yuan", P.replace(",1500000,", ",1e308,"), &["1e308", "at most 200,000 yuan a pupil"], &["生均至多 200,000 元"]),
        ("multimedia_rooms", P.replace(",1500000,16,", ",1500000,400,"), &["per 100 pupils", "at most 50 per 100 pupils"], &["每百名学生至多 50 间"]),
        ("capacity", P.replace(",16,640,", ",16,64000,"), &["64000 seats", "0–20,000"], &["学位数 64000"]),
    ];
    for (column, row, en, zh) in cases {
        one(&[row, NP, NJ], 2, column, en, zh);
    }
    // A negative count is refused as before (by the reader, not the bounds).
    let p = problems(&[&P.replace(",16,40,30,", ",16,-4,30,"), NP, NJ]);
    assert_eq!(p.len(), 1, "{p:#?}");
}

#[test]
fn a_roster_with_grade_columns_names_the_first_grade_column() {
    let header = "school_id,level,students_g1,students_g2,students_g3,students_g4,students_g5,classes,qualified_teachers,backbone_teachers,pe_art_teachers,teaching_space_m2,sports_space_m2,equipment_yuan,multimedia_rooms";
    let text = format!("{header}\nP1,primary,9000,9000,9000,9000,9000,500,30,6,6,300000,500000,1e8,500");
    let p = parse_roster_csv(&text, Lang::Zh).unwrap_err();
    assert_eq!(p.len(), 1, "{p:#?}");
    assert_eq!(p[0].place.column(), Some("students_g1"), "{}", p[0]);
}

#[test]
fn every_builtin_roster_and_the_template_are_plausible_and_consistent() {
    for b in BUILTIN {
        let s = b.scenario().unwrap();
        let roster = s.resolve_roster(|_| Err("no CSV".into())).unwrap();
        for (i, school) in roster.schools.iter().enumerate() {
            assert_eq!(implausible(school), [], "{} row {i} ({})", b.id, school.school_id);
        }
        // Through the file reader too, which also checks nine-year rows.
        let back = parse_roster_csv(&roster_to_csv(&roster), Lang::Zh).unwrap_or_else(|p| panic!("{}: {p:#?}", b.id));
        assert_eq!(back.schools.len(), roster.schools.len());
        assert!(back.schools.iter().any(|s| s.level == Level::Junior && back.is_nine_year(&s.school_id)), "{} has nine-year schools", b.id);
    }
}

#[test]
fn inline_roster_rows_in_a_scenario_get_the_same_bounds() {
    // Minhang's roster, written out inline (as a saved or shared scenario
    // with an imported roster carries it), with one teacher count typed as 10¹⁵⁰.
    let b = BUILTIN.iter().find(|b| b.id == "minhang-hongqiao-district").unwrap();
    let mut scenario = b.scenario().unwrap();
    let mut schools = scenario.resolve_roster(|_| Err("no CSV".into())).unwrap().schools;
    scenario.roster.synthetic = None;
    scenario.roster.schools = Some(schools.clone());
    assert!(scenario.resolve_roster(|_| Err("no CSV".into())).is_ok(), "the plausible inline roster resolves");
    schools[2].teachers = 1e150;
    scenario.roster.schools = Some(schools);
    let err = scenario.resolve_roster(|_| Err("no CSV".into())).expect_err("10^150 teachers is refused");
    let text = format!("{err}");
    assert!(text.contains("roster.schools[2].teachers"), "{text}");
    assert!(err.problems().iter().any(|p| p.describe(Lang::En).contains("1e150")), "{text}");
}
