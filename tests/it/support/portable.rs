//! The helpers that also compile for wasm32: models of the built-in
//! scenarios, and how each golden file's content is computed.
//!
//! The browser tests include this file by path (`tests/browser/main.rs`), so
//! the document a native test writes to `tests/golden/` and the one Chromium
//! compares with it come from the same code: the same years, the same number
//! of Monte Carlo runs, the same chart size. Only reading and writing the
//! files differs (the browser embeds them with `include_str!`).

use youjun::chart::{draw_new_quality_trajectory, to_svg_string, NewQualityChart};
use youjun::engine::{key_outputs, Model};
use youjun::plan::pudong_new_quality_schools;
use youjun::scenario::builtin::builtin;
use youjun::scenario::Scenario;

/// `s` bound to its roster. Every built-in scenario uses a synthetic roster,
/// so there is no CSV file to read.
pub fn model_of(s: Scenario) -> Model {
    let roster = s.resolve_roster(|_| Err("no CSV".into())).expect("synthetic roster");
    Model::new(s, roster).expect("binds")
}

/// The built-in scenario `id` (compiled in from `scenarios/<id>.toml`), bound to its roster.
pub fn builtin_model(id: &str) -> Model {
    let b = builtin(id).unwrap_or_else(|| panic!("{id} is not a built-in scenario"));
    model_of(b.scenario().expect("parses and validates"))
}

/// A scenario's key outputs as pinned in `tests/golden/<id>-key-outputs.json`:
/// central values, target probabilities and P10/P90 bands in 2026 and 2028,
/// from a 200-run Monte Carlo (enough to pin the numbers, few enough to stay
/// quick).
pub fn key_outputs_json(m: &Model) -> String {
    serde_json::to_string_pretty(&key_outputs(m, &[2026, 2028], 200)).expect("JSON")
}

/// The size, in pixels, of the pinned new-quality chart (and of the browser's canvas).
pub const NEW_QUALITY_SIZE: (u32, u32) = (900, 520);

/// The Pudong new-quality chart to 2028 at `yearly_gain` schools a year, as
/// SVG (pinned at 22 in `tests/golden/new_quality_gain22.svg`).
pub fn new_quality_svg(yearly_gain: f64) -> String {
    let plan = pudong_new_quality_schools();
    let chart = NewQualityChart { plan: &plan, yearly_gain, last_year: 2028 };
    to_svg_string(NEW_QUALITY_SIZE, |a| draw_new_quality_trajectory(a, &chart)).expect("draws")
}
