//! The entry points of the on-demand Excel module, `youjun_excel`: this
//! crate built with its `xlsx` feature (calamine, rust_xlsxwriter, zip) by
//! `web/build.sh`, and loaded only by `web/excel_worker.js`, in a worker the
//! page starts for one job ([`super::import_worker`], the page's side). The
//! page's own module is built without the feature and has none of this
//! code, so a visit that never imports or exports a file never downloads
//! it.
//!
//! Each function answers one job. A refusal comes back as the JSON text
//! `{"zh": …, "en": …}`, so the page can show it in either language; a
//! panic (an abort in the release build) ends the worker, which the page
//! reports, and the page is unchanged.

use js_sys::Function;
use wasm_bindgen::prelude::*;

use super::import_worker::{ParsedRoster, ShownProblem};
use crate::export::results_xlsx_from_json;
use crate::i18n::Lang;
use crate::message::Text;
use crate::roster::csv_io::{ParseMode, RosterFile};
use crate::roster::{roster_to_xlsx, template_xlsx, Roster};

/// Schools per message from the worker: each message is a task of its
/// own on the page, and deserialising 250 schools takes some tens of ms,
/// so no task on the page grows with the roster.
const CHUNK: usize = 250;

/// Reads the roster file `name` (CSV or XLSX, by name and content; a
/// workbook from its sheet `sheet` when one is named) in both modes. The schools go to `post(which, json)` in chunks of [`CHUNK`]
/// (`which` is `"strict"`, every row of a file without problems, or
/// `"lenient"`, the good rows of one with problems); returned is the rest of
/// the [`ParsedRoster`] as JSON, with empty rosters.
#[wasm_bindgen]
pub fn excel_parse_roster(name: &str, bytes: Vec<u8>, sheet: Option<String>, post: &Function) -> String {
    let file = RosterFile::from_upload(name, bytes);
    let strict = file.parse_sheet(sheet.as_deref(), ParseMode::Strict);
    let problems: Vec<ShownProblem> = strict
        .problems
        .iter()
        .map(|p| ShownProblem {
            row: p.place.row(),
            column: p.place.column().map(str::to_owned),
            zh: p.describe(Lang::Zh),
            en: p.describe(Lang::En),
        })
        .collect();
    let send = |which: &str, roster: &Roster| -> Result<(), String> {
        for chunk in roster.schools.chunks(CHUNK) {
            let json = serde_json::to_string(chunk).map_err(|e| e.to_string())?;
            post.call2(&JsValue::NULL, &JsValue::from_str(which), &JsValue::from_str(&json)).map_err(|e| format!("{e:?}"))?;
        }
        Ok(())
    };
    let mut sent = send("strict", &strict.roster);
    let lenient = if problems.is_empty() {
        None
    } else {
        let l = file.parse_sheet(sheet.as_deref(), ParseMode::DropBadRows);
        if sent.is_ok() {
            sent = send("lenient", &l.roster);
        }
        (!l.roster.schools.is_empty()).then(|| (Roster::default(), l.dropped_rows.len()))
    };
    let parsed = match sent {
        Ok(()) => ParsedRoster { roster: Roster::default(), problems, lenient, mapping: strict.mapping },
        Err(e) => ParsedRoster {
            problems: vec![ShownProblem { row: None, column: None, zh: format!("无法传回结果：{e}"), en: format!("cannot return the result: {e}") }],
            ..ParsedRoster::default()
        },
    };
    serde_json::to_string(&parsed).unwrap_or_default()
}

/// The results workbook of [`results_xlsx_from_json`]: the scenario and the
/// roster it runs on as JSON, the Monte Carlo summary as JSON if any, and
/// the language of the headers (`"zh"` or `"en"`).
///
/// # Errors
///
/// The reason, as `{"zh": …, "en": …}`, when the workbook cannot be made.
#[wasm_bindgen]
pub fn excel_results_xlsx(scenario_json: &str, roster_json: &str, mc_json: Option<String>, lang: &str) -> Result<Vec<u8>, JsValue> {
    let lang = if lang == "en" { Lang::En } else { Lang::Zh };
    results_xlsx_from_json(scenario_json, roster_json, mc_json.as_deref(), lang).map_err(|e| refusal(&e.text()))
}

/// The roster (as JSON) as a workbook ([`roster_to_xlsx`]).
///
/// # Errors
///
/// The reason, as `{"zh": …, "en": …}`, when the roster does not parse or a
/// text is too long for a cell.
#[wasm_bindgen]
pub fn excel_roster_xlsx(roster_json: &str) -> Result<Vec<u8>, JsValue> {
    let roster: Roster = serde_json::from_str(roster_json)
        .map_err(|e| refusal(&Text::new(format!("无法读取花名册数据：{e}"), format!("cannot read the roster data: {e}"))))?;
    roster_to_xlsx(&roster).map_err(|e| refusal(&e.text()))
}

/// The roster template as a workbook ([`template_xlsx`]).
#[wasm_bindgen]
pub fn excel_template_xlsx() -> Vec<u8> {
    template_xlsx()
}

/// The TOML scenario file `text` as scenario JSON ([`Scenario::to_json`]),
/// read and validated by [`Scenario::from_toml`]; the page's module has no
/// TOML parser (`super::import_worker::read_toml_scenario`).
///
/// # Errors
///
/// Why the file is not a valid scenario (with its line, where the parser
/// knows it), as `{"zh": …, "en": …}`.
#[cfg(feature = "toml")]
#[wasm_bindgen]
pub fn excel_scenario_toml(text: &str) -> Result<String, JsValue> {
    crate::scenario::Scenario::from_toml(text).map(|s| s.to_json()).map_err(|e| refusal(&e.text()))
}

/// A refusal as the page reads it.
fn refusal(why: &Text) -> JsValue {
    JsValue::from_str(&serde_json::json!({ "zh": why.zh, "en": why.en }).to_string())
}
