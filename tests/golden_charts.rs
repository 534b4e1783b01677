//! Snapshot tests of the charts as SVG. The same golden files are checked by
//! `tests/browser.rs` inside Chromium, so the browser build must draw exactly
//! what the native build draws.
//!
//! To accept a deliberate change: `UPDATE_GOLDEN=1 cargo test --test golden_charts`.
#![cfg(not(target_arch = "wasm32"))]

mod support;

use support::check_golden;

use youjun::chart::{draw_new_quality_trajectory, to_svg_string, NewQualityChart};
use youjun::plan::pudong_new_quality_schools;

#[test]
fn new_quality_chart_at_the_required_gain() {
    let plan = pudong_new_quality_schools();
    let chart = NewQualityChart { plan: &plan, yearly_gain: 22.0, last_year: 2028 };
    let svg = to_svg_string((900, 520), |a| draw_new_quality_trajectory(a, &chart)).unwrap();
    check_golden("new_quality_gain22.svg", &svg);
}
