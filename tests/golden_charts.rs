//! Snapshot tests of the charts as SVG. The same golden files are checked by
//! `tests/browser.rs` inside Chromium, so the browser build must draw exactly
//! what the native build draws.
//!
//! To accept a deliberate change: `UPDATE_GOLDEN=1 cargo test --test golden_charts`.
#![cfg(not(target_arch = "wasm32"))]

use youjun::chart::{draw_new_quality_trajectory, to_svg_string, NewQualityChart};
use youjun::plan::pudong_new_quality_schools;

fn check_golden(name: &str, actual: &str) {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden").join(name);
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(&path, actual).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{}: {e}; run with UPDATE_GOLDEN=1 to create it", path.display()));
    assert!(expected == actual, "{} differs from the drawn chart; run with UPDATE_GOLDEN=1 if the change is intended", path.display());
}

#[test]
fn new_quality_chart_at_the_required_gain() {
    let plan = pudong_new_quality_schools();
    let chart = NewQualityChart { plan: &plan, yearly_gain: 22.0, last_year: 2028 };
    let svg = to_svg_string((900, 520), |a| draw_new_quality_trajectory(a, &chart)).unwrap();
    check_golden("new_quality_gain22.svg", &svg);
}
