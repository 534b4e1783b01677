//! Snapshot tests of the charts as SVG. The new-quality chart's golden file is
//! also checked inside Chromium (`tests/browser/`), so the browser build must
//! draw exactly what the native build draws.
//!
//! To accept a deliberate change: `UPDATE_GOLDEN=1 cargo test --test it golden_charts::`.

use youjun::chart::{district, draw_heat_map, draw_series_chart, heat_map, to_svg_string, OverlaySource, Palette};
use youjun::engine::{run_monte_carlo, Model};
use youjun::i18n::Lang;

use crate::support::{builtin_model, check_golden, new_quality_svg};

#[test]
fn new_quality_chart_at_the_required_gain() {
    check_golden("golden/new_quality_gain22.svg", new_quality_svg(22.0));
}

/// The Minhang 学区 (8 school rows): small enough that a snapshot is readable.
fn minhang() -> Model {
    builtin_model("minhang-hongqiao-district")
}

#[test]
fn heat_map_of_the_minhang_schools_in_2025() {
    let m = minhang();
    let t = m.run_central();
    let map = heat_map(&m, &t, 2025, Lang::Zh);
    assert_eq!(map.rows.len(), t.schools.len());
    let svg = to_svg_string((900, 420), |a| draw_heat_map(a, &map)).unwrap();
    check_golden("golden/heat_map_minhang_2025.svg", &svg);
}

#[test]
fn target_chart_with_probabilities_against_a_baseline_without_sharing() {
    let m = minhang();
    let t = m.run_central();
    let mc = run_monte_carlo(&m, 50, m.scenario.scenario.seed, |_| {});
    let mut without = m.scenario.clone();
    without.shared_courses = None;
    let base = Model::new(without, m.roster.clone()).unwrap().run_central();
    let sources = [OverlaySource { label: "不开展课程共享", colour: Palette::GREY, trajectory: &base }];
    let chart = district::target_chart(&m, &t, Some(&mc), "students_in_shared_courses_share", &sources, Lang::Zh);
    let svg = to_svg_string((900, 520), |a| draw_series_chart(a, &chart)).unwrap();
    assert!(svg.contains("≥33.3% · P="));
    assert_eq!(svg.matches("不开展课程共享").count(), 1);
    check_golden("golden/target_shared_course_share_minhang.svg", &svg);
}

/// The Minhang schools on the map in 2026, coloured by the school test: the
/// synthetic roster's coordinates (inside Hongqiao Town's box) and the
/// central run's verdicts.
#[test]
fn map_of_the_minhang_schools_in_2026() {
    use youjun::chart::{draw_school_map, school_map, MapStatus};
    let m = minhang();
    let t = m.run_central();
    let map = school_map(&m, &t, 2026, MapStatus::Passes, Lang::Zh);
    assert_eq!(map.unplaced, 0);
    let svg = to_svg_string((900, 560), |a| draw_school_map(a, &map)).unwrap();
    check_golden("golden/map_minhang_2026.svg", &svg);
}
