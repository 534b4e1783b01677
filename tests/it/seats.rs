//! Seats (issue 16): a dated new school opens in its year and takes its
//! group's intake by seats, housing raises its group's intake, the seat gap
//! is counted per 学区/集团, and bad entries are refused at their field.

use youjun::engine::{seat_gaps_by_group, Model, Trajectory};
use youjun::message::ErrorKind;
use youjun::roster::Level;
use youjun::scenario::{GroupHousing, NewSchool, Scenario};

use crate::support::model_of;

const PUTUO: &str = include_str!("../../scenarios/putuo-strong-junior.toml");

fn scenario() -> Scenario {
    Scenario::from_toml(PUTUO).expect("parses and validates")
}

/// The roster's first primary school's 学区 (Putuo's synthetic roster).
fn a_group(m: &Model) -> String {
    m.roster.schools.iter().find(|s| s.level == Level::Primary).unwrap().district_group.clone()
}

fn new_school(group: &str, level: Level, opening_year: i32, seats: f64) -> NewSchool {
    NewSchool { id: "PT-N01".into(), name: "普陀示例新建学校".into(), level, group: group.into(), opening_year, seats, source: "test".into() }
}

fn housing(group: &str, year: i32, households: f64) -> GroupHousing {
    GroupHousing { group: group.into(), year, households, primary_per_100: 12.0, junior_per_100: 8.0, source: "test".into() }
}

fn with(f: impl FnOnce(&mut Scenario, &str)) -> Model {
    let base = scenario();
    let group = a_group(&model_of(base.clone()));
    let mut s = base;
    f(&mut s, &group);
    model_of(s)
}

fn value(t: &Trajectory, key: &str, year: i32) -> f64 {
    t.value(key, year).unwrap()
}

/// The group's open rows of `level` other than `except`: (pupils, classes).
fn neighbours(m: &Model, t: &Trajectory, group: &str, level: Level, year: i32, except: &str) -> (f64, f64) {
    let y = t.years.iter().position(|&x| x == year).unwrap();
    let mut out = (0.0, 0.0);
    for (s, tr) in m.roster.schools.iter().zip(&t.schools) {
        if s.level == level && s.district_group == group && s.school_id != except && tr.years[y].open {
            out.0 += tr.years[y].students;
            out.1 += tr.years[y].classes;
        }
    }
    out
}

fn group_grade1(m: &Model, t: &Trajectory, group: &str, year: i32) -> f64 {
    let y = t.years.iter().position(|&x| x == year).unwrap();
    m.roster.schools.iter().zip(&t.schools).filter(|(s, _)| s.district_group == group).map(|(_, tr)| tr.years[y].grade1).sum()
}

#[test]
fn a_school_opening_in_2027_has_pupils_from_2027_only_and_adds_its_seats() {
    let plain = model_of(scenario());
    let group = a_group(&plain);
    let built = with(|s, g| s.new_schools.push(new_school(g, Level::Primary, 2027, 1200.0)));
    let (a, b) = (plain.run_central(), built.run_central());
    let row = built.roster.schools.iter().position(|s| s.school_id == "PT-N01").expect("the new school is a row");
    assert_eq!(row, plain.roster.schools.len(), "appended after the roster's rows");
    for (k, sy) in b.schools[row].years.iter().enumerate() {
        let year = b.years[k];
        let added = value(&b, "capacity_primary", year) - value(&a, "capacity_primary", year);
        if year < 2027 {
            assert!(!sy.open && sy.students == 0.0 && sy.merged_into.is_none(), "{year}: {sy:?}");
            assert_eq!(added, 0.0, "{year}");
        } else {
            assert!(sy.open && sy.students > 0.0 && sy.grade1 > 0.0, "{year}: {sy:?}");
            assert!((added - 1200.0).abs() < 1e-6, "{year}: capacity rose by {added}");
            // Staffed to its need: from the reserve first, then by hiring.
            assert!(sy.teachers > 0.0 && (sy.teachers - sy.teacher_need).abs() < 1e-6 * sy.teacher_need.max(1.0), "{year}: {sy:?}");
        }
    }
    // Only grade 1 moves in the opening year; it takes its share by seats.
    let y27 = b.years.iter().position(|&y| y == 2027).unwrap();
    let first = &b.schools[row].years[y27];
    assert_eq!(first.students, first.grade1);
    let (pupils_before, _) = neighbours(&plain, &a, &group, Level::Primary, 2027, "");
    let seats: f64 = plain.roster.schools.iter().filter(|s| s.level == Level::Primary && s.district_group == group).map(|s| s.capacity).sum();
    let group_grade1_2027 = group_grade1(&plain, &a, &group, 2027);
    let share = 1200.0 / (1200.0 + seats);
    assert!((first.grade1 - group_grade1_2027 * share).abs() < 1e-6, "{} vs {} × {share}", first.grade1, group_grade1_2027);
    assert!(pupils_before > 0.0);
    // The district's pupils do not change: the new school takes them from its neighbours.
    for &year in &b.years {
        let (x, y) = (value(&a, "students_total", year), value(&b, "students_total", year));
        assert!((x - y).abs() < 1e-6 * x, "{year}: {x} vs {y}");
    }
}

#[test]
fn a_new_school_lowers_its_groups_seat_gap_and_its_neighbours_class_sizes() {
    // Housing overfills the group first, so it has a gap to close.
    let crowded = with(|s, g| s.housing.push(housing(g, 2025, 40_000.0)));
    let relieved = with(|s, g| {
        s.housing.push(housing(g, 2025, 40_000.0));
        s.new_schools.push(new_school(g, Level::Primary, 2026, 2000.0));
    });
    let group = a_group(&crowded);
    let (a, b) = (crowded.run_central(), relieved.run_central());
    let gap_of = |m: &Model, t: &Trajectory, year: i32| seat_gaps_by_group(m, t, Level::Primary, year).into_iter().find(|g| g.group == group).unwrap().gap();
    for year in 2026..=2030 {
        let (before, after) = (gap_of(&crowded, &a, year), gap_of(&relieved, &b, year));
        // Putuo's primary enrollment falls: the housing's gap lasts to 2029.
        if year <= 2028 {
            assert!(before > 0.0 && after < before, "{year}: group gap {before} → {after}");
            assert!(value(&b, "seat_gap_primary", year) < value(&a, "seat_gap_primary", year), "{year}");
        }
        assert!(after <= before && value(&b, "seat_gap_primary", year) <= value(&a, "seat_gap_primary", year), "{year}");
        let (pa, ca) = neighbours(&crowded, &a, &group, Level::Primary, year, "PT-N01");
        let (pb, cb) = neighbours(&relieved, &b, &group, Level::Primary, year, "PT-N01");
        assert!(pb / cb < pa / ca - 0.1, "{year}: neighbours' class size {} → {}", pa / ca, pb / cb);
    }
}

#[test]
fn housing_raises_its_groups_intake_from_its_year() {
    let plain = model_of(scenario());
    let group = a_group(&plain);
    let housed = with(|s, g| s.housing.push(housing(g, 2026, 3000.0)));
    let (a, b) = (plain.run_central(), housed.run_central());
    // 3,000 homes × 12 primary pupils per 100 = 360 pupils, a fifth a grade.
    for &year in &a.years {
        let added = group_grade1(&housed, &b, &group, year) - group_grade1(&plain, &a, &group, year);
        let expected = if year >= 2026 { 72.0 } else { 0.0 };
        assert!((added - expected).abs() < 1e-6, "{year}: grade 1 +{added}");
        let district = value(&b, "grade1_intake", year) - value(&a, "grade1_intake", year);
        assert!((district - expected).abs() < 1e-6, "{year}: district grade 1 +{district}");
    }
    // The homes' whole stock arrives in 2026: 360 primary and 240 junior pupils.
    let d = |key: &str| value(&b, key, 2026) - value(&a, key, 2026);
    assert!((d("students_primary") - 360.0).abs() < 1e-6 && (d("students_junior") - 240.0).abs() < 1e-6);
}

#[test]
fn the_seat_gap_sums_every_groups_gap_and_no_surplus_hides_one() {
    for id in ["putuo-strong-junior", "chongming-rural-island", "minhang-hongqiao-district"] {
        let m = crate::support::builtin_model(id);
        let t = m.run_central();
        for &year in &t.years {
            for level in Level::ALL {
                let groups = seat_gaps_by_group(&m, &t, level, year);
                assert!(!groups.is_empty());
                let sum: f64 = groups.iter().map(|g| g.gap()).sum();
                let key = format!("seat_gap_{}", level.key());
                assert!((sum - value(&t, &key, year)).abs() < 1e-6, "{id} {year} {key}: {sum} vs {}", value(&t, &key, year));
                // Never less than the district-wide shortfall, which nets surpluses against gaps.
                let net: f64 = groups.iter().map(|g| g.pupils - g.seats).sum();
                assert!(sum + 1e-9 >= net.max(0.0), "{id} {year} {key}");
            }
        }
    }
}

#[test]
fn bad_new_schools_and_housing_are_refused_at_their_field_in_both_languages() {
    let mut s = scenario();
    s.new_schools.push(new_school("", Level::Junior, 2024, 10.5));
    s.housing.push(GroupHousing { primary_per_100: 120.0, source: " ".into(), ..housing("X", 2031, -1.0) });
    let problems = s.validate();
    let text: Vec<String> = problems.iter().map(|p| p.to_string()).collect();
    let all = text.join("\n");
    for field in [
        "new_schools[0].group",
        "new_schools[0].opening_year",
        "new_schools[0].seats",
        "housing[0].year",
        "housing[0].households",
        "housing[0].primary_per_100",
        "housing[0].source",
    ] {
        assert!(all.contains(field), "{field} missing from:\n{all}");
    }
    assert!(all.contains("年份不在规划期内") && all.contains("year outside the horizon"), "{all}");
    assert!(all.contains("2025–2030"), "{all}");

    // A level that is neither primary nor junior stops the parser at its field.
    let bad =
        format!("{PUTUO}\n[[new_schools]]\nid = \"N\"\nname = \"n\"\nlevel = \"senior\"\ngroup = \"g\"\nopening_year = 2027\nseats = 600\nsource = \"s\"\n");
    let e = Scenario::from_toml(&bad).unwrap_err();
    let msg = e.to_string();
    assert!(msg.contains("new_schools[0].level") && msg.contains("primary") && msg.contains("junior"), "{msg}");

    // A new school on the id of a school with pupils is refused when bound.
    let mut s = scenario();
    let taken = model_of(s.clone()).roster.schools.iter().find(|r| r.level == Level::Primary).unwrap().clone();
    s.new_schools.push(NewSchool { id: taken.school_id.clone(), ..new_school(&taken.district_group, Level::Primary, 2027, 600.0) });
    let roster = s.resolve_roster(|_| Err("no CSV".into())).unwrap();
    let e = Model::new(s, roster).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::RosterMismatch);
    let msg = e.to_string();
    assert!(msg.contains("new_schools[0].id") && msg.contains("已是花名册中的学校") && msg.contains("is already a school in the roster"), "{msg}");
}

#[test]
fn a_models_roster_binds_again_to_its_scenario_with_the_same_results() {
    // The page and the goal-seek bind a changed scenario to the model's
    // roster, which already holds the new school's row.
    let m = with(|s, g| s.new_schools.push(new_school(g, Level::Junior, 2027, 960.0)));
    let again = Model::new(m.scenario.clone(), m.roster.clone()).expect("binds again");
    assert_eq!(again.roster.schools.len(), m.roster.schools.len());
    assert_eq!(again.run_central(), m.run_central());
}

#[test]
fn the_seat_chart_lists_every_group_largest_gap_first() {
    let m = with(|s, g| s.housing.push(housing(g, 2025, 40_000.0)));
    let t = m.run_central();
    let chart = youjun::chart::seat_chart(&m, &t, Level::Primary, youjun::i18n::Lang::Zh);
    // The year of the largest primary gap: the housing's first year.
    assert_eq!(chart.year, 2025);
    assert_eq!(chart.rows.len(), 8);
    assert_eq!(chart.rows[0].label, a_group(&m));
    let gaps: f64 = chart.rows.iter().map(|r| (r.pupils - r.seats).max(0.0)).sum();
    assert!((gaps - value(&t, "seat_gap_primary", 2025)).abs() < 1e-6);
    assert!(chart.rows.windows(2).all(|w| w[0].pupils - w[0].seats >= w[1].pupils - w[1].seats));
    let svg = youjun::chart::to_svg_string((900, 420), |a| youjun::chart::draw_seat_chart(a, &chart)).unwrap();
    assert!(svg.contains("2025 年各学区小学学位：缺口与富余") && svg.contains("缺 "), "the title and a gap's number are drawn");
    crate::support::check_golden("golden/seat_chart_putuo_housing.svg", &svg);
    let warning = youjun::chart::seat_warning(&m, &t, &[2026, 2028], youjun::i18n::Lang::Zh);
    assert!(warning.starts_with("学位预警：2026 年小学 1 个学区学位不足"), "{warning}");
    let plain = model_of(scenario());
    let calm = youjun::chart::seat_warning(&plain, &plain.run_central(), &[2026, 2028], youjun::i18n::Lang::En);
    assert_eq!(calm, "Seat warning: every school zone has room at both levels in 2026, 2028.");
}

#[test]
fn a_group_the_roster_lacks_makes_the_whole_district_the_catchment() {
    // A built-in scenario's 学区 names are the synthetic roster's; an imported
    // roster has its own, and the scenario still runs.
    let plain = model_of(scenario());
    let m = with(|s, _| {
        s.new_schools.push(new_school("没有这个学区", Level::Primary, 2027, 1200.0));
        s.housing.push(housing("另一个学区", 2026, 3000.0));
    });
    let (a, t) = (plain.run_central(), m.run_central());
    let row = m.roster.schools.iter().position(|s| s.school_id == "PT-N01").unwrap();
    let y = t.years.iter().position(|&y| y == 2027).unwrap();
    let seats: f64 = plain.roster.schools.iter().filter(|s| s.level == Level::Primary).map(|s| s.capacity).sum();
    let expected = value(&t, "grade1_intake", 2027) * 1200.0 / (1200.0 + seats);
    assert!((t.schools[row].years[y].grade1 - expected).abs() < 1e-6, "{} vs {expected}", t.schools[row].years[y].grade1);
    assert!((value(&t, "grade1_intake", 2026) - value(&a, "grade1_intake", 2026) - 72.0).abs() < 1e-6);
}

#[test]
fn housing_in_a_group_whose_only_school_is_not_open_yet_goes_to_the_district() {
    // The estate's pupils arrive in 2026; the group's one school opens in 2027.
    let plain = model_of(scenario());
    let m = with(|s, _| {
        s.new_schools.push(new_school("新学区", Level::Primary, 2027, 1200.0));
        s.housing.push(housing("新学区", 2026, 3000.0));
    });
    let (a, t) = (plain.run_central(), m.run_central());
    let d = |key: &str, year: i32| value(&t, key, year) - value(&a, key, year);
    assert!((d("students_primary", 2026) - 360.0).abs() < 1e-6 && (d("students_junior", 2026) - 240.0).abs() < 1e-6);
    // From 2027 the homes' new pupils go to the group's school, which takes
    // its share by seats of the district's grade 1 as well.
    let row = m.roster.schools.iter().position(|s| s.school_id == "PT-N01").unwrap();
    let y = t.years.iter().position(|&y| y == 2028).unwrap();
    assert!(t.schools[row].years[y].grade1 > 72.0);
    assert!((d("grade1_intake", 2028) - 72.0).abs() < 1e-6);
}

#[test]
fn the_cli_refuses_a_bad_new_school_with_its_field_and_exits_non_zero() {
    let dir = crate::support::scratch("seats-bad-new-school");
    let path = dir.join("bad.toml");
    let bad =
        format!("{PUTUO}\n[[new_schools]]\nid = \"N\"\nname = \"n\"\nlevel = \"primary\"\ngroup = \"g\"\nopening_year = 2040\nseats = 12.5\nsource = \"s\"\n");
    std::fs::write(&path, bad).unwrap();
    let o = crate::support::youjun(&["run", path.to_str().unwrap(), "--runs", "1"]);
    assert_ne!(o.status.code(), Some(0));
    let err = crate::support::stderr(&o);
    for want in ["new_schools[0].opening_year", "new_schools[0].seats", "年份不在规划期内", "year outside the horizon"] {
        assert!(err.contains(want), "{want} missing from:\n{err}");
    }
}

#[test]
fn a_new_school_is_staffed_from_the_reserve_before_anyone_is_hired() {
    // Chongming's CM-N01 (004 §28) opens in 2027 while the junior reserve holds surplus teachers.
    let with_school = crate::support::builtin_model("chongming-rural-island");
    let mut s = with_school.scenario.clone();
    s.new_schools.clear();
    let without = model_of(s);
    let (a, b) = (without.run_central(), with_school.run_central());
    let row = with_school.roster.schools.iter().position(|r| r.school_id == "CM-N01").unwrap();
    let y = b.years.iter().position(|&y| y == 2027).unwrap();
    let staffed = b.schools[row].years[y].teachers;
    assert!(staffed > 0.0);
    // Its neighbour's surplus (the pupils it lost) goes to the reserve and the
    // reserve staffs the new school in the same step: the district employs
    // the same junior teachers, school posts plus reserve, and hires no one more.
    let employed = |t: &Trajectory| value(t, "teachers_junior", 2027) + value(t, "teacher_reserve_junior", 2027);
    assert!((employed(&a) - employed(&b)).abs() < 1e-6 * employed(&a), "{} vs {}", employed(&a), employed(&b));
    assert!(value(&a, "teacher_reserve_junior", 2027) > staffed, "the reserve could cover the new school");
    assert!((value(&a, "hires", 2027) - value(&b, "hires", 2027)).abs() < 1e-9, "no one extra hired");
}
