//! `youjun::export`: every table parses back (CSV with the csv crate, the
//! workbook with calamine) and holds exactly the run's numbers.

use std::io::Cursor;

use calamine::{Data, Range, Reader, Xlsx};
use youjun::engine::{run_monte_carlo, series_keys, Model, MonteCarlo, Trajectory};
use youjun::export::{district_csv, results_xlsx, schools_csv, targets_csv};
use youjun::i18n::Lang;
use youjun::metrics::Indicator;
use youjun::roster::csv_io::{parse_roster_csv, unguard_formula};
use youjun::scenario::builtin::builtin;

use crate::support::{builtin_model, test_data};

/// Chongming: merges close schools, so `open` and `merged_into` vary.
fn run() -> (Model, Trajectory, MonteCarlo) {
    let m = builtin_model("chongming-rural-island");
    let t = m.run_central();
    let mc = run_monte_carlo(&m, 12, 5, |_| {});
    (m, t, mc)
}

fn records(text: &str) -> (Vec<String>, Vec<csv::StringRecord>) {
    let mut r = csv::Reader::from_reader(text.as_bytes());
    let header = r.headers().unwrap().iter().map(str::to_owned).collect();
    (header, r.records().map(Result::unwrap).collect())
}

/// A CSV cell as a number: empty is undefined (NaN), compared bit for bit.
fn same(cell: &str, v: f64) -> bool {
    if cell.is_empty() {
        !v.is_finite()
    } else {
        cell.parse::<f64>().unwrap().to_bits() == v.to_bits()
    }
}

fn sheet(bytes: &[u8], name: &str) -> Range<Data> {
    let mut book: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).unwrap();
    book.worksheet_range(name).unwrap()
}

fn cell_num(r: &Range<Data>, row: usize, col: usize) -> f64 {
    match r.get((row, col)) {
        Some(Data::Float(x)) => *x,
        Some(Data::Int(i)) => *i as f64,
        Some(Data::Empty) | None => f64::NAN,
        other => panic!("({row}, {col}) is not a number: {other:?}"),
    }
}

fn cell_text(r: &Range<Data>, row: usize, col: usize) -> String {
    r.get((row, col)).map(|d| d.to_string()).unwrap_or_default()
}

fn same_num(a: f64, b: f64) -> bool {
    a.to_bits() == b.to_bits() || (!a.is_finite() && !b.is_finite())
}

#[test]
fn district_csv_holds_every_series_in_every_year() {
    let (m, t, _) = run();
    let (header, rows) = records(&district_csv(&m, &t));
    assert_eq!(header[0], "year");
    assert_eq!(&header[1..], series_keys());
    assert_eq!(rows.len(), t.years.len());
    for (k, row) in rows.iter().enumerate() {
        assert_eq!(row[0].parse::<i32>().unwrap(), t.years[k]);
        for (j, series) in t.series.iter().enumerate() {
            assert!(same(&row[j + 1], series[k]), "{} {}: {} vs {}", header[j + 1], t.years[k], &row[j + 1], series[k]);
        }
    }
}

#[test]
fn schools_csv_holds_every_school_in_every_year() {
    let (m, t, _) = run();
    let (header, rows) = records(&schools_csv(&m, &t));
    assert_eq!(&header[..4], ["school_id", "name", "level", "year"]);
    assert_eq!(header[10..17].to_vec(), Indicator::ALL.iter().map(|i| i.key()).collect::<Vec<_>>());
    assert_eq!(header[17..], ["passes", "new_quality", "open", "merged_into"]);
    let all: Vec<_> = t.schools.iter().flat_map(|s| s.years.iter().map(move |y| (s, y))).collect();
    assert_eq!(rows.len(), all.len());
    assert!(all.iter().any(|(_, y)| !y.open), "the fixture should have a merged school");
    for (row, (s, y)) in rows.iter().zip(&all) {
        assert_eq!((&row[0], &row[1], &row[2]), (s.school_id.as_str(), s.name.as_str(), s.level.key()));
        assert_eq!(row[3].parse::<i32>().unwrap(), y.year);
        for (c, v) in [y.students, y.grade1, y.classes, y.class_size, y.teachers, y.teacher_need].iter().enumerate() {
            assert!(same(&row[4 + c], *v), "{}", header[4 + c]);
        }
        for (i, v) in y.indicators.iter().enumerate() {
            assert!(same(&row[10 + i], v.unwrap_or(f64::NAN)), "{}", header[10 + i]);
        }
        assert_eq!(row[17].parse::<bool>().unwrap(), y.passes);
        assert_eq!(row[19].parse::<bool>().unwrap(), y.open);
        assert_eq!(&row[20], y.merged_into.as_deref().unwrap_or(""));
    }
}

#[test]
fn targets_csv_has_probabilities_only_with_monte_carlo() {
    let (m, t, mc) = run();
    for with_mc in [false, true] {
        let (header, rows) = records(&targets_csv(&m, &t, with_mc.then_some(&mc)));
        assert_eq!(header, ["id", "label", "series", "year", "op", "target", "value", "met", "probability", "source"]);
        assert_eq!(rows.len(), m.scenario.targets.len());
        for (j, row) in rows.iter().enumerate() {
            let (target, outcome) = (&m.scenario.targets[j], &t.targets[j]);
            assert_eq!((&row[0], &row[2]), (target.id.as_str(), target.series.as_str()));
            assert!(matches!(&row[4], ">=" | "<="));
            assert!(same(&row[5], target.value) && same(&row[6], outcome.value));
            assert_eq!(row[7].parse::<bool>().unwrap(), outcome.met);
            if with_mc {
                assert!(same(&row[8], mc.target_probability[j]));
            } else {
                assert_eq!(&row[8], "");
            }
        }
    }
}

#[test]
fn results_xlsx_holds_the_run_in_either_language() {
    let (m, t, mc) = run();
    for (lang, names) in [
        (Lang::Zh, ["全区逐年", "逐校逐年", "目标", "蒙特卡洛区间", "说明"]),
        (Lang::En, ["District by year", "Schools by year", "Targets", "Monte Carlo bands", "About"]),
    ] {
        let bytes = results_xlsx(&m, &t, Some(&mc), lang).unwrap();
        assert_eq!(bytes, results_xlsx(&m, &t, Some(&mc), lang).unwrap(), "same bytes every time");
        let book: Xlsx<_> = Xlsx::new(Cursor::new(bytes.as_slice())).unwrap();
        assert_eq!(book.sheet_names(), names.map(str::to_owned).to_vec());

        // District: one row per series, years across.
        let d = sheet(&bytes, names[0]);
        assert_eq!(cell_text(&d, 0, 0), lang.pick("指标代码", "Series key"));
        for (c, y) in t.years.iter().enumerate() {
            assert_eq!(cell_text(&d, 0, c + 2), y.to_string());
        }
        for (k, key) in series_keys().iter().enumerate() {
            assert_eq!(&cell_text(&d, k + 1, 0), key);
            for (c, v) in t.series[k].iter().enumerate() {
                assert!(same_num(cell_num(&d, k + 1, c + 2), *v), "{key} {}", t.years[c]);
            }
        }
        assert_eq!(cell_text(&d, 1 + series_keys().iter().position(|k| k == "students_total").unwrap(), 1), lang.pick("在校生总数", "Students, total"));

        // Schools: one row per school and year.
        let s = sheet(&bytes, names[1]);
        assert_eq!(cell_text(&s, 0, 0), lang.pick("学校代码", "School code"));
        let mut r = 1;
        for school in &t.schools {
            for y in &school.years {
                assert_eq!(cell_text(&s, r, 0), school.school_id);
                assert_eq!(cell_text(&s, r, 1), school.name);
                assert_eq!(cell_num(&s, r, 3), f64::from(y.year));
                for (c, v) in [y.students, y.grade1, y.classes, y.class_size, y.teachers, y.teacher_need].iter().enumerate() {
                    assert!(same_num(cell_num(&s, r, 4 + c), *v));
                }
                for (i, v) in y.indicators.iter().enumerate() {
                    assert!(same_num(cell_num(&s, r, 10 + i), v.unwrap_or(f64::NAN)));
                }
                assert_eq!(cell_text(&s, r, 19), if y.open { lang.pick("是", "yes") } else { lang.pick("否", "no") });
                assert_eq!(cell_text(&s, r, 20), y.merged_into.clone().unwrap_or_default());
                r += 1;
            }
        }
        assert_eq!(s.height(), r);

        // Targets, with the probability of each.
        let g = sheet(&bytes, names[2]);
        for (j, (target, outcome)) in m.scenario.targets.iter().zip(&t.targets).enumerate() {
            assert_eq!(cell_text(&g, j + 1, 0), target.id);
            assert_eq!(cell_num(&g, j + 1, 5), target.value);
            assert!(same_num(cell_num(&g, j + 1, 6), outcome.value));
            assert_eq!(cell_num(&g, j + 1, 8), mc.target_probability[j]);
        }

        // Bands: P10/P50/P90 by series and year.
        let b = sheet(&bytes, names[3]);
        let ny = mc.years.len();
        for (k, _) in series_keys().iter().enumerate() {
            for i in 0..ny {
                let row = 1 + k * ny + i;
                assert_eq!(cell_num(&b, row, 2), f64::from(mc.years[i]));
                for (c, band) in [&mc.p10, &mc.p50, &mc.p90].iter().enumerate() {
                    assert!(same_num(cell_num(&b, row, 3 + c), band[k][i]));
                }
            }
        }

        let about = sheet(&bytes, names[4]);
        assert_eq!(cell_text(&about, 0, 1), m.scenario.scenario.id);
        assert_eq!(cell_text(&about, 5, 1), "12");
    }
    // Without Monte Carlo: no bands sheet, and empty probabilities.
    let bytes = results_xlsx(&m, &t, None, Lang::En).unwrap();
    let book: Xlsx<_> = Xlsx::new(Cursor::new(bytes.as_slice())).unwrap();
    assert_eq!(book.sheet_names(), ["District by year", "Schools by year", "Targets", "About"]);
    assert!(cell_num(&sheet(&bytes, "Targets"), 1, 8).is_nan());
}

#[test]
fn hostile_school_names_are_exported_as_plain_text() {
    let roster = parse_roster_csv(&std::fs::read_to_string(test_data("roster_html_names.csv")).unwrap(), Lang::Zh).unwrap();
    let s = builtin("pudong-2024").unwrap().scenario().unwrap();
    let m = Model::new(s, roster.clone()).unwrap();
    let t = m.run_central();
    let (_, rows) = records(&schools_csv(&m, &t));
    let bytes = results_xlsx(&m, &t, None, Lang::Zh).unwrap();
    let sheet = sheet(&bytes, "逐校逐年");
    for school in &roster.schools {
        // A name that looks like a formula is guarded with an apostrophe.
        assert!(rows.iter().any(|r| unguard_formula(&r[1]) == school.name), "{} in schools.csv", school.name);
        assert!((1..sheet.height()).any(|r| cell_text(&sheet, r, 1) == school.name), "{} in results.xlsx", school.name);
    }
    // A name that looks like a formula stays text in the workbook.
    assert!((1..sheet.height()).any(|r| sheet.get((r, 1)) == Some(&Data::String("=1+1".into()))));
}
