//! The native integration tests, built as one binary (jiff's layout): each
//! file in `tests/` used to be a binary of its own, linking the whole crate
//! again. One module per area; run one area with
//! `cargo test --test it scenarios_all::`.
//!
//! Golden files (`tests/golden/`, and the generated workbook in `tests/data/`)
//! are checked by [`support::check_golden`]; to accept a deliberate change run
//! `UPDATE_GOLDEN=1 cargo test --test it` and review the diff. The browser
//! tests (`tests/browser/`) check the same golden files inside Chromium.
#![cfg(not(target_arch = "wasm32"))]

mod support;

mod ask;
mod ask_path;
mod bounded_reading;
mod certification;
mod cli_balance;
mod cli_scenarios;
mod csv_injection;
mod english_text;
mod exports;
mod golden_charts;
mod honest_targets;
mod intake_uncertainty;
mod monte_carlo_slices;
mod pupil_flows;
mod roster_files;
mod roster_checks;
mod roster_encodings;
mod roster_layouts;
mod roster_map;
mod roster_template;
mod scenario_baoshan;
mod scenario_chongming;
mod scenario_minhang;
mod scenario_pudong;
mod scenario_putuo;
mod scenarios_all;
mod seats;

/// `tests/` keeps one native test binary: a new `tests/*.rs` file or
/// `tests/*/main.rs` folder would be another binary linking the whole crate
/// again. New tests go in a module here (or the browser target).
#[test]
fn tests_holds_one_native_binary_and_the_browser_binary() {
    let mut binaries: Vec<String> = std::fs::read_dir(support::repo_path("tests"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "rs") || p.join("main.rs").is_file())
        .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    binaries.sort();
    assert_eq!(binaries, ["browser", "it"]);
}
