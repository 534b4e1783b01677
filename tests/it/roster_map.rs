//! School coordinates for the map (issue 17): the optional longitude and
//! latitude columns (经度, 纬度), or x and y on the district's grid
//! (X坐标, Y坐标), read from CSV and XLSX, validated by row and column,
//! written back by the exports; the synthetic rosters' coordinates inside
//! their district's box, drawn from a stream of their own.

use youjun::i18n::Lang;
use youjun::message::Problem;
use youjun::roster::csv_io::{parse_roster_csv, roster_to_csv, template_csv};
use youjun::roster::synthetic::generate;
use youjun::roster::{Location, LocationKind, Roster};
use youjun::scenario::builtin::BUILTIN;

const HEADER: &str = "school_id,name,level,area,district_group,students,classes,teachers,qualified_teachers,backbone_teachers,pe_art_teachers,teaching_space_m2,sports_space_m2,equipment_yuan,multimedia_rooms,capacity";
const P: &str = "P1,Primary One,primary,urban,G1,600,16,40,30,6,6,3000,5000,1500000,16,640";
const NP: &str = "N1,Nine One,primary,rural,G1,400,12,30,20,4,4,2000,3500,900000,10,450";
const NJ: &str = "N1,Nine One,junior,rural,G1,480,12,44,30,5,5,2900,4800,1300000,12,500";

/// The rows with extra columns `extra` (header) and their cells per row.
fn csv(extra: &str, rows: &[(&str, &str)]) -> String {
    let mut out = format!("{HEADER},{extra}");
    for (row, cells) in rows {
        out += &format!("\n{row},{cells}");
    }
    out
}

fn parsed(text: &str) -> Roster {
    parse_roster_csv(text, Lang::Zh).unwrap_or_else(|p| panic!("{p:#?}"))
}

fn problems(text: &str) -> Vec<Problem> {
    parse_roster_csv(text, Lang::Zh).expect_err("problems")
}

#[test]
fn longitude_and_latitude_are_read_by_english_or_chinese_header_and_written_back() {
    for header in ["longitude,latitude", "经度,纬度", "经度（度）,纬度（度）"] {
        let r = parsed(&csv(header, &[(P, "121.5012,31.2401"), (NP, "121.45,31.3"), (NJ, "121.45,31.3")]));
        assert_eq!(r.schools[0].location, Some(Location { x: 121.5012, y: 31.2401, kind: LocationKind::LonLat }), "{header}");
        assert_eq!(r.schools[2].location, r.schools[1].location);
        // The export writes the columns back, and they read as the same roster.
        let out = roster_to_csv(&r);
        assert!(out.lines().next().unwrap().ends_with(",longitude,latitude"), "{}", out.lines().next().unwrap());
        assert_eq!(parsed(&out), r);
    }
}

#[test]
fn grid_coordinates_are_their_own_kind_and_may_be_negative() {
    let r = parsed(&csv("x,y", &[(P, "-1200.5,3400"), (NP, "0,0"), (NJ, "0,0")]));
    assert_eq!(r.schools[0].location, Some(Location { x: -1200.5, y: 3400.0, kind: LocationKind::Grid }));
    let out = roster_to_csv(&r);
    assert!(out.lines().next().unwrap().ends_with(",x,y"));
    assert_eq!(parsed(&out), r);
    // Chinese headers too.
    let zh = parsed(&csv("X坐标,Y坐标", &[(P, "-1200.5,3400"), (NP, "0,0"), (NJ, "0,0")]));
    assert_eq!(zh, r);
}

#[test]
fn without_coordinates_a_roster_and_its_export_are_as_before() {
    let r = parsed(&csv("longitude,latitude", &[(P, ","), (NP, ","), (NJ, ",")]));
    assert!(r.schools.iter().all(|s| s.location.is_none()));
    assert!(!roster_to_csv(&r).contains("longitude"));
    assert!(!template_csv().contains("经度"), "the template keeps its columns");
}

/// The one problem of `text`, at `row` and `column`, with the fragments given.
fn one(text: &str, row: usize, column: &str, en: &str, zh: &str) {
    let p = problems(text);
    assert_eq!(p.len(), 1, "{p:#?}");
    assert_eq!((p[0].place.row(), p[0].place.column()), (Some(row), Some(column)), "{}", p[0]);
    assert!(p[0].describe(Lang::En).contains(en), "{}", p[0].describe(Lang::En));
    assert!(p[0].describe(Lang::Zh).contains(zh), "{}", p[0].describe(Lang::Zh));
}

#[test]
fn bad_coordinates_are_refused_by_row_and_column() {
    // Out of range, by the column as the file names it.
    one(&csv("longitude,latitude", &[(P, "221.5,31.2")]), 2, "longitude", "from -180 to 180", "-180 至 180");
    one(&csv("经度,纬度", &[(P, "121.5,95")]), 2, "纬度", "from -90 to 90", "-90 至 90");
    one(&csv("longitude,latitude", &[(P, "east,31.2")]), 2, "longitude", "degrees", "度数");
    // Both or neither.
    one(&csv("longitude,latitude", &[(P, "121.5,")]), 2, "latitude", "both or neither", "同填或同空");
    one(&csv("x,y", &[(P, ",200")]), 2, "x", "both or neither", "同填或同空");
    // Not both kinds on one row.
    one(&csv("longitude,latitude,x,y", &[(P, "121.5,31.2,10,20")]), 2, "x", "not both", "只能填一种");
    // A nine-year school's two rows stand in one place.
    let p = problems(&csv("longitude,latitude", &[(NP, "121.45,31.3"), (NJ, "121.46,31.3")]));
    assert_eq!(p.len(), 1, "{p:#?}");
    assert_eq!((p[0].place.row(), p[0].place.column()), (Some(3), Some("longitude")), "{}", p[0]);
}

#[test]
fn synthetic_coordinates_lie_in_the_box_and_change_nothing_else() {
    for b in BUILTIN {
        let s = b.scenario().unwrap();
        let spec = s.roster.synthetic.clone().unwrap();
        let bx = spec.map_box.clone().expect("every built-in scenario has a map box");
        let with = generate(&spec).unwrap();
        let without = generate(&youjun::roster::synthetic::SyntheticSpec { map_box: None, ..spec.clone() }).unwrap();
        // Every school placed, inside the box, in degrees; nine-year rows together.
        for sc in &with.schools {
            let l = sc.location.unwrap_or_else(|| panic!("{}: {} has no place", b.id, sc.school_id));
            assert_eq!(l.kind, LocationKind::LonLat);
            assert!((bx.west..=bx.east).contains(&l.x) && (bx.south..=bx.north).contains(&l.y), "{}: {l:?}", b.id);
            assert!(with.schools.iter().filter(|o| o.school_id == sc.school_id).all(|o| o.location == sc.location));
        }
        // The rest of the roster is the same with or without the box.
        let mut stripped = with.clone();
        for sc in &mut stripped.schools {
            sc.location = None;
        }
        assert_eq!(stripped, without, "{}", b.id);
        // Deterministic: the same spec gives the same places.
        assert_eq!(generate(&spec).unwrap(), with);
        // Not all in one spot.
        let xs: Vec<f64> = with.schools.iter().map(|s| s.location.unwrap().x).collect();
        assert!(xs.iter().any(|x| (x - xs[0]).abs() > 1e-4), "{}", b.id);
    }
}

/// The Minhang scenario with its synthetic roster replaced by `roster.csv`
/// holding `csv`, in a scratch directory; returns the scenario's path.
fn minhang_with_csv(name: &str, csv: &str) -> String {
    let toml = std::fs::read_to_string(crate::support::repo_path("scenarios/minhang-hongqiao-district.toml")).unwrap();
    let dir = crate::support::scratch(name);
    std::fs::write(dir.join("roster.csv"), csv).unwrap();
    let start = toml.find("[roster.synthetic]").unwrap();
    let end = toml.find("\n[enrollment]").unwrap();
    std::fs::write(dir.join("scenario.toml"), format!("{}[roster]\ncsv = \"roster.csv\"\n{}", &toml[..start], &toml[end..])).unwrap();
    dir.join("scenario.toml").to_string_lossy().into_owned()
}

#[test]
fn the_cli_draws_the_golden_map_from_the_synthetic_roster_and_from_its_csv() {
    use crate::support::{stderr, stdout, youjun};
    let golden = std::fs::read_to_string(crate::support::repo_path("tests/golden/map_minhang_2026.svg")).unwrap();
    let o = youjun(&["chart-map", "scenarios/minhang-hongqiao-district.toml", "--year", "2026"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(stdout(&o), golden);
    // The roster written out as CSV (with its coordinates) and read back gives the same map.
    let s = BUILTIN.iter().find(|b| b.id == "minhang-hongqiao-district").unwrap().scenario().unwrap();
    let roster = s.resolve_roster(|_| Err(String::new())).unwrap();
    let path = minhang_with_csv("map-csv", &roster_to_csv(&roster));
    let o = youjun(&["chart-map", &path, "--year", "2026"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(stdout(&o), golden);
    // Without coordinates: refused, naming the columns to add.
    let mut bare = roster.clone();
    for sc in &mut bare.schools {
        sc.location = None;
    }
    let path = minhang_with_csv("map-bare", &roster_to_csv(&bare));
    let o = youjun(&["chart-map", &path, "--lang", "en"]);
    assert!(!o.status.success());
    assert!(stderr(&o).contains("add the columns longitude and latitude"), "{}", stderr(&o));
    // A year outside the run and an unknown status are refused too.
    let o = youjun(&["chart-map", "scenarios/minhang-hongqiao-district.toml", "--year", "2040"]);
    assert!(!o.status.success() && stderr(&o).contains("--year"), "{}", stderr(&o));
    let o = youjun(&["chart-map", "scenarios/minhang-hongqiao-district.toml", "--status", "colour"]);
    assert!(!o.status.success() && stderr(&o).contains("new_quality"), "{}", stderr(&o));
}

#[test]
fn a_workbook_carries_the_coordinates_both_ways() {
    use youjun::roster::{parse_roster_xlsx, roster_to_xlsx};
    let r = parsed(&csv("longitude,latitude", &[(P, "121.5012,31.2401"), (NP, "121.45,31.3"), (NJ, "121.45,31.3")]));
    let bytes = roster_to_xlsx(&r).unwrap();
    assert_eq!(parse_roster_xlsx(&bytes, Lang::Zh), Ok(r));
}
