//! # 优均 (youjun): architecture
//!
//! 优均 simulates a Shanghai district's compulsory-education schools year by
//! year, toward the dated targets in the district's plan and the national
//! balance assessment (优质均衡, 教督〔2017〕6号). It runs entirely in the
//! planner's browser as WebAssembly; the same library also builds natively for
//! the `youjun` command-line tool and for tests.
//!
//! ## Bird's-eye view
//!
//! ```text
//!  scenarios/*.toml ─┐                         ┌─► Trajectory (per school, per year,
//!  JSON (share)      ├─► scenario::Scenario ──►│    district series, targets)
//!  UI levers        ─┘        │                └─► MonteCarlo (P10/P50/P90, target
//!                             ▼                      probabilities)
//!            roster (CSV import │ synthetic generator │ inline rows)
//!                             │                          │
//!                             ▼                          ▼
//!                        engine::Model ──────────► chart (Plotters, any backend)
//!                                                   │              │
//!                                              ui: <canvas>   CLI/tests: SVG
//! ```
//!
//! ## Code map
//!
//! - [`params`]: parameters as data, OpenFisca-style: [`params::Sourced`]
//!   (a value and its source, flagged when it is an assumption) and
//!   [`params::Yearly`] (values by effective year).
//! - [`plan`]: the Pudong milestones as a [`plan::GrowthPlan`] for the
//!   foundation chart; citations ([`plan::Citation`]).
//! - [`roster`]: one row per school and level (a nine-year school is two rows
//!   sharing an id); [`roster::csv_io`] reads and writes roster CSV with
//!   English keys or Chinese headers, reporting every bad cell by row and
//!   column (in UTF-8, UTF-16 or GB18030, detected); `roster::layout` finds
//!   the table in a sheet as bureaus keep it (title rows, two-row merged
//!   headers, units, totals rows, several sheets) and records every decision
//!   as a `roster::Mapping` the import dialog and the CLI show;
//!   [`roster::synthetic`] is the seeded generator of district-scale
//!   synthetic rosters whose totals match the published aggregates (it sits
//!   a floor above [`metrics`], whose thresholds it aims at; see Floors).
//! - [`metrics`]: the national balance assessment (教督〔2017〕6号): the seven
//!   indicators, the school pass rule, the enrollment-weighted CV, and every
//!   threshold as editable, sourced data ([`metrics::Standards`]).
//! - [`series`]: the series catalogue, every output series a run records as
//!   data ([`series::SeriesDef`]: key, [`series::Unit`], level, whole number
//!   or not, zh and en labels, the [`series::Section`] that records it), in
//!   the recorded order, which is the column order of `Trajectory.series`
//!   and of the CSV and XLSX exports. Read by the recorder
//!   (`engine/record.rs`: each value's position), chart labels and axes
//!   (`chart/labels.rs`, `chart/district.rs`), the exports ([`export`] and the
//!   CLI's `--json`), target validation (`scenario/validate.rs`) and the UI
//!   (yes/no targets, percentages, names). Nothing reads a series' meaning
//!   from the spelling of its key.
//! - [`scenario`]: the scenario file (TOML for people, JSON for sharing),
//!   `deny_unknown_fields`, and validation that lists every problem with its
//!   field path and allowed range (a file that does not read names its
//!   field from where the reader stopped, `scenario/json_path.rs`, so the
//!   page holds one copy of the scenario types' reading code);
//!   [`scenario::ranges`] holds the core
//!   sections' ranges and the one range check. Optional sections switch on the district
//!   sub-models (`[strong_schools]` seed 001, `[urban_rural]` seed 002,
//!   `[shared_courses]` seed 003, `[merging]`, `[science_teachers]`,
//!   `[facility_upgrades]` seed 004); absent, they change nothing.
//!   [`scenario::builtin`] compiles the five `scenarios/*.toml` into the app,
//!   as JSON that `src/build.rs` makes from them at build time (the same values
//!   `Scenario::from_toml` reads), so the page starts without a TOML parser.
//!   Without the `builtins` feature (the page's module) only the default
//!   scenario's JSON and every scenario's `[scenario]` table are compiled
//!   in; the page hands it the others' JSON ([`scenario::builtin::provide`],
//!   checked against this build's hash) after fetching them in
//!   `ui::builtins`, the only part that knows they come over the network.
//! - [`levers`]: the table of planner levers (panel, labels in both
//!   languages, unit, step) over the core sections' single-number and yearly
//!   values, taking each range from [`scenario::ranges`],
//!   and [`levers::changed`], the levers that differ from a baseline (what a
//!   share link carries and the briefing lists).
//! - [`engine`]: the simulation, one sub-model per file, run in a fixed,
//!   documented order each year (enrollment → teachers → funding → new-quality
//!   programme → balance record, at the top of `src/engine/mod.rs`). The
//!   district sub-models (`merging`, `town_country`, `science`,
//!   `urban_rural`, `facility_upgrades`, `strong_schools`, `shared_courses`)
//!   live in `src/engine/district/`, each one file implementing the
//!   `District` trait, which hooks it into those steps and the record and
//!   holds its state; adding one is that file plus one line in the
//!   registration list (`REGISTERED` in `src/engine/district/mod.rs`, which
//!   tables every module's hooks). [`engine::draws`] is its only source of
//!   randomness; [`engine::montecarlo`] runs N draws and summarises them;
//!   [`engine::backtest`] runs the intake model against published first-grade
//!   figures.
//! - [`chart`]: every chart, as a function generic over Plotters'
//!   `DrawingBackend`; [`chart::district`] builds the standard charts from a
//!   run; [`chart::draw_tornado`] and [`chart::draw_waterfall`] draw plain
//!   rows (what moves a target), so `chart` stays below `ask`;
//!   [`chart::Palette`] is colour-blind safe (Okabe–Ito).
//! - [`i18n`]: the interface languages (zh-CN first, English).
//! - [`message`]: what a planner is told when something is wrong, in one
//!   shape: [`message::Text`] (the same words in Chinese and English),
//!   [`message::Problem`] (where: a scenario field, a roster row and column,
//!   a part of a share link, a storage key, a file or a command-line
//!   argument; what is wrong or required; the values allowed; the value
//!   found) and [`message::Error`], a list of problems with a
//!   [`message::ErrorKind`] that the page and the CLI decide on. The CLI
//!   prints an error in Chinese then English, or in the language of
//!   `--lang`; the page in its own language.
//! - [`share`]: share links (versioned `#s=v2.<checksum>.<deflated payload>`, v1 still read: base
//!   scenario, model and data version, the changed levers, the seed, an
//!   imported roster's hash) and their decoder, which never panics.
//! - [`saved`]: autosave and saved scenarios over a small
//!   [`saved::KeyValueStore`] trait (schema versions, migration, corrupt
//!   entries quarantined), with an in-memory store for tests.
//! - [`export`]: results as CSV and XLSX tables (the CLI's `export` and the
//!   browser's downloads use the same code); `roster::xlsx` reads rosters
//!   from Excel through the same cell rules as CSV. The workbooks are behind
//!   the `xlsx` feature (below).
//! - [`ask`]: asking the model back (issue 15): [`ask::seek`] finds the
//!   smallest change of one lever (a single-number lever, or a yearly one
//!   shifted or scaled across its years) that meets a target centrally or
//!   with a probability, by galloping and bisection on the lever's step
//!   grid with common random numbers; [`ask::sensitivity`] moves every
//!   single-number lever to the ends of a ±share range (a tornado's data);
//!   [`ask::attribution`] splits the change between two scenarios among the
//!   changed levers by Shapley values (a waterfall's data);
//!   [`ask::path`] words the briefing's summary and finds, for each target
//!   at risk, the smallest single-lever change that reaches 80%.
//!   Browser-free, single-threaded, progress through a callback, so a web
//!   worker can run it.
//! - [`format`](mod@format): the one number formatter of the page, the charts and the
//!   briefing (axis label, table value, money, lever setting, probability),
//!   each style with its thresholds in both languages; the exported SVGs'
//!   axis labels come from it too.
//! - `ui` (wasm32 only): the Yew application. `state` is the one reducer
//!   (every lever edit re-runs the deterministic simulation synchronously;
//!   a roster of over 5,000 rows is applied a step at a time between pauses,
//!   through the engine's `CentralSteps`),
//!   shared with every component through a `ContextProvider`
//!   (`state::WorkspaceContext`, read with `state::use_workspace`) as in
//!   Yew's `contexts` example: components read it and dispatch `Action`s, no
//!   component takes the state as a prop (the lever panels read it and hand
//!   each lever control its own values, so a control re-renders only when
//!   they change). `levers_panel`, `canvas` (charts on
//!   `<canvas>` with a data table each; a canvas redraws when its drawing,
//!   compared value by value, the language or the window width changes, and
//!   on nothing else), `schools`, `compare`, `briefing` are the views; `monte_carlo` runs the Monte Carlo
//!   in module web workers (`web/worker.js` loads `youjun_engine`, this same
//!   library built for speed rather than size, after the first chart) and tags
//!   each answer with the scenario generation it was computed for (an
//!   imported roster goes to each worker once, kept there by its hash, so
//!   the workers run on it and not on the built-in's);
//!   `measured_canvas` wraps plotters-canvas to measure text without forcing
//!   page layout (widths remembered by font and text) and to fill rectangles
//!   with each colour's string made once, and its `PageBackend` is the one
//!   backend type the page's charts draw through (canvas or SVG); `import_worker` is the page's side of the Excel worker:
//!   every roster import (CSV too) and every workbook runs in
//!   `web/excel_worker.js`, a worker of its own per job that loads the
//!   second wasm module, `youjun_excel` (entry points in `excel_worker`), so
//!   a hostile file cannot take the page down and the Excel code is
//!   downloaded only when it is used; a TOML scenario file is read there
//!   too (`excel_scenario_toml`), as the page's module has no TOML parser; `ask_panel` is the "what it takes"
//!   tab (goal-seek, tornado, waterfall) and `ask_job` runs its questions
//!   and the briefing's paths in a worker of their own (`web/worker.js`,
//!   entry `worker_ask`), ended to cancel; `panic_report` is the panic banner.
//! - `src/main.rs` and `src/cli/` (native binary only): the `youjun` commands
//!   `check`, `run` (with `--set`), `export`, `balance`, `backtest`, `seek`,
//!   `sensitivity`, `explain`, `chart-new-quality`. The only code
//!   that reads or writes files.
//! - `tests/` (outside the crate): unit tests sit next to their code; the
//!   integration tests are one native binary, `tests/it/main.rs`, with a
//!   module per area and the one golden-file check in `support`; the wasm
//!   tests are one binary, `tests/browser/main.rs`, run in headless Chromium
//!   against the same golden files. The README's test section says how to run
//!   one area.
//!
//! ## Adding an output series
//!
//! One entry in the catalogue (`FIXED` in `src/series.rs`, in the block of
//! the part of the model that records it) plus the code that computes it:
//! the sub-model puts its value by key each year. Labels, chart axes,
//! percentages and yes/no display, the exports, the JSON output and target
//! validation follow from the entry. The entry's position is its column in
//! `Trajectory.series` and the CSV and XLSX exports, so an entry inserted
//! mid-list moves the columns after it.
//!
//! ## Adding a lever
//!
//! A lever is a scenario value the planner can move. Its meaning and allowed
//! range live with the scenario: one `field!` line in
//! [`scenario::ranges`] (path, bounds, where it sits in [`scenario::Scenario`]),
//! which validation, share links and `set` all check through
//! [`scenario::ranges::Bounds`]. Its registration for the page is one
//! `lever!` line in [`levers`] (panel, labels in both languages, unit, slider
//! step). Share links, the saved list, the briefing's list of changes and the
//! lever panels follow from those two lines.
//!
//! ## Adding a district module
//!
//! One file in `src/engine/district/` implementing the `District` trait (its
//! own state, the hooks it needs, the series it records) and one line in
//! `REGISTERED` in `src/engine/district/mod.rs`; its scenario section is a
//! field of [`scenario::Scenario`] with its validation, and its series are
//! catalogue entries (above). The engine core does not change.
//!
//! ## The `xlsx` feature: Excel only on demand
//!
//! The Excel reader and writer (calamine, rust_xlsxwriter, zip) were half
//! of the page's download, and most visits never import or export a file.
//! They are behind the Cargo feature `xlsx`, on by default: the CLI, the
//! native tests and the browser tests have it (`required-features` in
//! `Cargo.toml`). `web/build.sh` builds the library three times for wasm32:
//! the page's module `youjun` without default features (no Excel code) and
//! for size; `youjun_engine`, the same without Excel but for speed (this
//! crate at opt-level 3, wasm-opt -O3), which only `web/worker.js` loads,
//! for the Monte Carlo slices and the "what it takes" questions; and
//! `youjun_excel` with default features, which only `web/excel_worker.js`
//! loads, on the first import or export. Optimiser settings do not change a
//! number (wasm floating point is exact IEEE, with no fused operations), so
//! the workers' results are the page's and the CLI's, which the pool's
//! end-to-end test checks against the native golden file. Behind the
//! feature, whole modules only:
//!
//! - `roster::xlsx`: reading and writing roster workbooks. Without the
//!   feature a stand-in of the same name (in `src/roster/mod.rs`) still
//!   tells a workbook from CSV and refuses it with a reason, so
//!   [`roster::csv_io`] is the same in both builds;
//! - `export::xlsx`: the results workbook ([`export`]'s CSV stays);
//! - `ui::excel_worker`: the Excel module's entry points.
//!
//! Two more features the page's module goes without: `toml` (toml,
//! toml_edit: `Scenario::from_toml`; the built-ins come as JSON made by
//! `src/build.rs`, and a TOML file the planner opens is read in the Excel
//! module, built with default features) and `workers` (the entry points
//! `worker_monte_carlo` and `worker_ask`, which only `youjun_engine` needs:
//! `web/build.sh` builds it with `--features workers`).
//!
//! The page reaches them only through `ui::import_worker` (a message to the
//! worker), never by a call, so the page's module builds and runs without
//! them: `tests/run-all.sh` runs clippy on the wasm library without default
//! features. The floors below do not change with the feature.
//!
//! ## Architecture invariants
//!
//! - **Only `ui` knows the browser.** Every other module compiles and is tested
//!   natively with plain `cargo test`; yew, gloo, web-sys, wasm-bindgen and
//!   plotters-canvas are wasm32-only dependencies.
//! - **The engine and metrics do no I/O.** No files, no clock, no network, no
//!   browser. Rosters arrive as values or text; the CLI reads files, the UI
//!   reads imports.
//! - **The engine core names no district.** `Model::run`, the run's state,
//!   the core sub-models and the recorder's core reach the district
//!   sub-models only through the `District` trait and its registration list;
//!   no district module, scenario section or district-only rule appears in
//!   their code (a test in `src/engine/district/tests.rs` reads the source).
//! - **Determinism.** A run depends only on the scenario and the seed. Random
//!   draws come from ChaCha8 streams (one per Monte Carlo run) through
//!   `engine::draws`, using `u32`/`u64`/`f64` only (never `usize`), and
//!   transcendental functions come from `libm`, so x86_64 and wasm32 give
//!   bit-identical results (a browser test checks the native golden file). No
//!   `HashMap` iteration order reaches a result: maps that feed output are
//!   `BTreeMap`s or ordered `Vec`s. Within a run the district-wide draws
//!   (intake ratio, migration, births past the last given year) follow
//!   persistent paths held by the run's `Draws` (see `engine::draws`).
//! - **Central runs use documented rules.** Every uncertain input takes its
//!   central value and every discrete choice its stated rule; a Monte Carlo
//!   run with zero uncertainty equals the central run (a test checks it).
//! - **Chart functions never create their backend.** The caller passes a
//!   drawing area, so the canvas in the page and the exported SVG come from the
//!   same drawing code.
//! - **Every number from a document carries its source.** Scenario values are
//!   [`params::Sourced`]; estimates are flagged `assumption = true`. Thresholds
//!   are data in [`metrics::Standards`], never constants in code paths.
//! - **No network.** Nothing in the crate makes a request; data stays in the
//!   browser. The page's Content-Security-Policy allows only its own files
//!   (the worker included).
//! - **Only `share` knows the link format; only `ui` knows localStorage.**
//!   `saved` sees storage through its trait.
//! - **One number formatter.** The page, the charts and the briefing write
//!   numbers only through [`format`](mod@format) (floor 1: it imports only `i18n`). The
//!   roster CSV writer and the CLI's `balance` table keep their own exact
//!   formats, since their output must stay byte-identical.
//! - **Every problem a user can see is a [`message::Problem`].** Scenario
//!   files and validation, roster files, share links, saved entries, storage
//!   and the command line report `Problem`s, gathered in a
//!   [`message::Error`]; each is worded once, in both languages, and code
//!   decides by the error's [`message::ErrorKind`] (and the problem's
//!   place), never by its words.
//! - **The page never blocks on Monte Carlo.** It runs in the worker; the
//!   main thread only runs the deterministic central run (milliseconds).
//!
//! ## Floors
//!
//! Architecture Invariant: a module names only modules on lower floors, never
//! one on its own floor or above (by `crate::`, `youjun::` or a `super::`
//! that climbs out of it). When a lower module needs something from a higher
//! one, the thing moves down. A module belongs to the longest path listed
//! below that contains it. `src/architecture_tests.rs` reads these lines and
//! fails on any import that does not point down, or on a module with no
//! floor: a new module gets a line here.
//!
//! - Floor 0: `params`, `i18n`, `plan`, `sort` — vocabulary and published data: sourced values, the two languages, the plan's dated targets and citations; and stable sorting with one copy of its code in the page, with the head selections the engine's rankings use.
//! - Floor 1: `message`, `format` — the bilingual problem text and the number formatter (both over `i18n`).
//! - Floor 2: `roster` — school rows and their CSV and XLSX files.
//! - Floor 3: `metrics` — the national assessment over roster rows.
//! - Floor 4: `series`, `roster::synthetic` — what a run records; the seeded roster generator, which aims schools at the assessment's thresholds and so stands above `metrics` while the rest of `roster` stands below.
//! - Floor 5: `scenario` — the scenario file, its ranges and its validation.
//! - Floor 6: `engine` — the simulation.
//! - Floor 7: `levers`, `chart` — the page's lever table; charts of a run.
//! - Floor 8: `export`, `share`, `ask` — tables of a run; share links; goal-seek, sensitivity and attribution (over `levers` and `engine`).
//! - Floor 9: `saved` — autosave and saved scenarios.
//! - Floor 10: `ui`, `cli` — the page and the command line (`src/main.rs`, `src/cli/`).
//!
//! Consequences worth stating (the test checks that the floors imply them):
//!
//! - Architecture Invariant: `scenario` never imports `engine`, `levers`, `chart`, `share`, `saved`, `export` or `ui` — a range that validation needs lives in [`scenario::ranges`].
//! - Architecture Invariant: `engine` never imports `levers`, `chart`, `export`, `share`, `saved` or `ui`.
//! - Architecture Invariant: `metrics` never imports `scenario`, `engine` or `roster::synthetic`.
//! - Architecture Invariant: `roster` (its rows and files; not its generator) never imports `metrics`, `scenario` or `engine`.

// Every public item says what it is for (see the architecture notes above).
#![deny(missing_docs)]

pub mod ask;
pub mod chart;
pub mod engine;
pub mod export;
pub mod format;
pub mod i18n;
pub mod levers;
pub mod message;
pub mod metrics;
pub mod params;
pub mod plan;
pub mod roster;
pub mod saved;
pub mod scenario;
pub mod series;
pub mod share;
pub mod sort;

#[cfg(target_arch = "wasm32")]
pub mod ui;

#[cfg(test)]
mod architecture_tests;
