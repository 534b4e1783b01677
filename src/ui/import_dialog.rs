//! Importing a roster (CSV or Excel) or a scenario file. A roster file is
//! checked in full first: every bad row and cell is listed with its row,
//! column and reason in the interface language, and nothing changes until
//! the planner applies a valid file, or explicitly chooses to leave the bad
//! rows out. The current scenario is replaced only once the new one has
//! been built, so a failed import loses nothing. The file is read and
//! checked in the Excel worker ([`super::import_worker`]), never on the
//! page: a crafted or huge file can stop the worker, not the page. The
//! worker's module is downloaded on the first import or export; until it
//! has loaded the dialog says so.
//!
//! Before anything is applied the dialog shows how the file was read
//! (issue 17): its encoding, the sheet (with a choice when a workbook has
//! several), the header row(s), which column became which field, and the
//! rows left aside (titles, totals, notes), in the interface language; the
//! planner confirms with the import button.

use std::cell::RefCell;
use std::rc::Rc;

use gloo::file::callbacks::FileReader;
use web_sys::HtmlInputElement;
use yew::prelude::*;

use super::files;
use super::import_worker::{read_toml_scenario, ImportClient, ParsedRoster, ShownProblem, Stage};
use super::persist::{from_scenario_file, is_toml, opened_scenario, scenario_text};
use super::builtins;
use super::state::{use_workspace, with_roster_then, Action, Message, MessageKind, WorkspaceContext};
use super::toolbar::{kind_class, TemplateButtons};
use crate::i18n::Lang;
use crate::message::Text;
use crate::roster::{Mapping, Roster};

/// The import drawer's one prop; the workspace comes from the context.
#[derive(Properties, PartialEq)]
pub struct ImportProps {
    /// Closes the drawer (after a successful import).
    pub close: Callback<()>,
}

/// A chosen roster file as the worker read it: its problems in both
/// languages, and the rows to import (all, or the good ones).
#[derive(Clone)]
struct Chosen {
    name: String,
    roster: Rc<Roster>,
    problems: Rc<Vec<ShownProblem>>,
    /// With problems: the good rows and how many were left out.
    lenient: Option<(Rc<Roster>, usize)>,
    /// How the file was read, shown before applying.
    mapping: Rc<Mapping>,
    /// The file's bytes, to read it again from another sheet.
    bytes: Rc<Vec<u8>>,
    /// Distinct school codes, counted once: on 50,000 rows a count per
    /// render was a main-thread task of its own.
    schools: usize,
}

impl Chosen {
    fn new(name: String, bytes: Rc<Vec<u8>>, parsed: ParsedRoster) -> Chosen {
        Chosen {
            name,
            schools: school_count(&parsed.roster),
            roster: Rc::new(parsed.roster),
            problems: Rc::new(parsed.problems),
            lenient: parsed.lenient.map(|(r, n)| (Rc::new(r), n)),
            mapping: Rc::new(parsed.mapping),
            bytes,
        }
    }
}

/// A file to read in the worker: its name, bytes and the sheet chosen.
type ReadJob = (String, Rc<Vec<u8>>, Option<String>);

/// The import drawer: a roster (CSV or XLSX) or a scenario file, applied to
/// the workspace in context.
#[function_component(ImportPanel)]
pub fn import_panel(props: &ImportProps) -> Html {
    let state = use_workspace();
    let w = &*state;
    let lang = w.lang;
    let chosen = use_state(|| None::<Chosen>);
    let status = use_state(|| None::<Message>);
    // A reader must outlive its callback; one file at a time.
    let reader: Rc<RefCell<Option<FileReader>>> = use_mut_ref(|| None);

    // The file being read in the worker, if any, and how far it is.
    let reading = use_state(|| None::<(String, Stage)>);
    let client: Rc<RefCell<ImportClient>> = use_mut_ref(ImportClient::default);

    // Reads a file (again, from another sheet) in the worker.
    let start_read: Callback<ReadJob> = {
        let (chosen, status, reading, client) = (chosen.clone(), status.clone(), reading.clone(), client.clone());
        Callback::from(move |(name, bytes, sheet): ReadJob| {
            status.set(None);
            chosen.set(None);
            let on_stage = {
                let (reading, name) = (reading.clone(), name.clone());
                move |stage| reading.set(Some((name.clone(), stage)))
            };
            let (chosen, status, reading, done_name, kept) = (chosen.clone(), status.clone(), reading.clone(), name.clone(), bytes.clone());
            client.borrow_mut().parse(&name, bytes.to_vec(), sheet.as_deref(), on_stage, move |parsed| {
                reading.set(None);
                match parsed {
                    Ok(parsed) => chosen.set(Some(Chosen::new(done_name, kept, parsed))),
                    Err(why) => status.set(Some(unreadable(&done_name, &why))),
                }
            });
        })
    };
    let pick_roster = {
        let (chosen, status, reader, start_read) = (chosen.clone(), status.clone(), reader.clone(), start_read.clone());
        Callback::from(move |e: Event| {
            let input: HtmlInputElement = e.target_unchecked_into();
            let Some(file) = input.files().and_then(|f| f.get(0)) else {
                return;
            };
            input.set_value("");
            status.set(None);
            chosen.set(None);
            let (status, start_read) = (status.clone(), start_read.clone());
            *reader.borrow_mut() = files::read(file, files::ROSTER_LIMIT, move |name, bytes| match bytes {
                Ok(bytes) => start_read.emit((name, Rc::new(bytes), None)),
                Err(why) => status.set(Some(unreadable(&name, &why))),
            });
        })
    };
    let pick_sheet = {
        let (chosen, start_read) = (chosen.clone(), start_read.clone());
        Callback::from(move |e: Event| {
            let select: web_sys::HtmlSelectElement = e.target_unchecked_into();
            let Some(c) = &*chosen else { return };
            start_read.emit((c.name.clone(), c.bytes.clone(), Some(select.value())));
        })
    };
    let pick_scenario = {
        let (state, status, reader, close) = (
            state.clone(),
            status.clone(),
            reader.clone(),
            props.close.clone(),
        );
        Callback::from(move |e: Event| {
            let input: HtmlInputElement = e.target_unchecked_into();
            let Some(file) = input.files().and_then(|f| f.get(0)) else {
                return;
            };
            input.set_value("");
            let (state, status, close) = (state.clone(), status.clone(), close.clone());
            *reader.borrow_mut() = files::read(file, files::SCENARIO_LIMIT, move |name, bytes| {
                // The file's built-in may still be fetched (`builtins`).
                let failed = status.clone();
                builtins::then(move || open_scenario_file(name, bytes, state, status, close), move |m| failed.set(Some(m)));
            });
        })
    };

    let apply = |roster: &Rc<Roster>, dropped_rows: Option<usize>| {
        let (state, status, chosen, close) = (
            state.clone(),
            status.clone(),
            chosen.clone(),
            props.close.clone(),
        );
        let roster = roster.clone();
        let dropped = dropped_rows.is_some();
        let dropped_rows = dropped_rows.unwrap_or(0);
        Callback::from(move |_| {
            let Some(c) = (*chosen).clone() else { return };
            let schools = roster.schools.len();
            // A big roster is applied a step at a time (`with_roster_then`):
            // the dialog says how far it is.
            let progress = {
                let (status, name) = (status.clone(), c.name.clone());
                move |done: usize, total: usize| {
                    status.set(Some(Message::new(
                        MessageKind::Info,
                        format!("正在应用花名册「{name}」：{done}/{total} 步…"),
                        format!("Applying the roster “{name}”: step {done} of {total}…"),
                    )))
                }
            };
            let (now, state, status, chosen, close) = (state.clone(), state.clone(), status.clone(), chosen.clone(), close.clone());
            with_roster_then(&now, roster.clone(), c.name.clone(), progress, move |result| match result {
                Ok(mut fresh) => {
                    fresh.messages.push(if dropped {
                        Message::new(
                            MessageKind::Warning,
                            format!("已导入「{}」的 {schools} 行，舍弃了有问题的 {dropped_rows} 行。", c.name),
                            format!("Imported {schools} rows of “{}”; {dropped_rows} rows with problems were left out.", c.name),
                        )
                    } else {
                        Message::new(
                            MessageKind::Info,
                            format!("已导入花名册「{}」：{schools} 行。", c.name),
                            format!("Imported the roster “{}”: {schools} rows.", c.name),
                        )
                    });
                    state.dispatch(Action::Replace(Box::new(fresh)));
                    status.set(None);
                    chosen.set(None);
                    close.emit(());
                }
                // The roster reads but the scenario does not run on it (a
                // school the scenario names is missing): nothing changes.
                Err(e) => status.set(Some(Message::of(
                    MessageKind::Error,
                    e.text().map(|lang, why| match lang {
                        Lang::Zh => format!("花名册可以读取，但当前情景无法在其上运行，未作任何更改：{why}"),
                        Lang::En => format!("The roster reads, but the current scenario cannot run on it; nothing was changed: {why}"),
                    }),
                ))),
            });
        })
    };
    let mapping = chosen.as_ref().map(|c| mapping_view(&c.mapping, lang, &pick_sheet));
    let report = match &*chosen {
        Some(c) if c.problems.is_empty() => html! {
            <div class="import-ok" id="import-ready">
                <p>{ lang.pick(
                    format!("「{}」无误：{} 行（{} 所学校）。导入后，基线和当前方案都改在此花名册上计算。", c.name, c.roster.schools.len(), c.schools),
                    format!("“{}” is valid: {} rows ({} schools). Once imported, the baseline and the current scenario both run on this roster.", c.name, c.roster.schools.len(), c.schools)) }</p>
                <button type="button" id="import-apply" onclick={apply(&c.roster, None)}>{ lang.pick("导入此花名册", "Import this roster") }</button>
            </div>
        },
        Some(c) => {
            let s = c;
            let rows = s.problems.iter().map(|p| {
                html! {
                    <tr data-row={p.row.map(|r| r.to_string()).unwrap_or_default()}>
                        <td class="num">{ p.row.map(|r| r.to_string()).unwrap_or_else(|| "—".into()) }</td>
                        <td>{ p.column.clone().unwrap_or_else(|| "—".into()) }</td>
                        <td>{ p.describe(lang).to_owned() }</td>
                    </tr>
                }
            });
            let drop = c.lenient.as_ref().map(|(good, dropped)| {
                html! {
                    <button type="button" id="import-drop-bad" onclick={apply(good, Some(*dropped))}>
                        { lang.pick(
                            format!("舍弃有问题的 {} 行，只导入其余 {} 行", dropped, good.schools.len()),
                            format!("Leave out the {} rows with problems and import the other {}", dropped, good.schools.len())) }
                    </button>
                }
            });
            html! {
                <div class="import-problems" id="import-problems" role="alert">
                    <p class="error">{ lang.pick(
                        format!("「{}」有 {} 处问题，未导入，当前方案保持不变。请修改文件后重新选择。", c.name, s.problems.len()),
                        format!("“{}” has {} problem(s) and was not imported; the current scenario is unchanged. Fix the file and choose it again.", c.name, s.problems.len())) }</p>
                    <div class="problems-scroll">
                        <table class="problems">
                            <thead><tr>
                                <th scope="col">{ lang.pick("行", "Row") }</th>
                                <th scope="col">{ lang.pick("列", "Column") }</th>
                                <th scope="col">{ lang.pick("问题", "Problem") }</th>
                            </tr></thead>
                            <tbody>{ for rows }</tbody>
                        </table>
                    </div>
                    { for drop }
                </div>
            }
        }
        _ => Html::default(),
    };
    html! {
        <div class="import">
            <h2>{ lang.pick("导入", "Import") }</h2>
            <p class="note">{ lang.pick("文件只在本浏览器中读取，不会上传。", "Files are read in this browser only; nothing is uploaded.") }</p>
            <label class="file">
                <span>{ lang.pick("学校花名册（CSV 或 Excel）", "School roster (CSV or Excel)") }</span>
                <input type="file" id="import-roster" accept=".csv,.xlsx,.xlsm,text/csv" onchange={pick_roster} />
            </label>
            <TemplateButtons />
            if let Some(i) = &w.imported {
                <p class="note" id="import-current">{ lang.pick(
                    format!("当前使用导入的花名册「{}」（{} 行，摘要 {}）。", i.source, i.roster.schools.len(), i.hash),
                    format!("Now running on the imported roster “{}” ({} rows, hash {}).", i.source, i.roster.schools.len(), i.hash)) }</p>
            }
            if let Some((name, stage)) = &*reading {
                <p class="note" id="import-reading" role="status" data-stage={stage.key()}>{ match stage {
                    Stage::Loading => lang.pick(
                        format!("正在加载 Excel 组件…（读取「{name}」需要它，首次导入或导出时加载）"),
                        format!("Loading the Excel component… (needed to read “{name}”; it loads on the first import or export)")),
                    Stage::Working => lang.pick(
                        format!("正在后台读取「{name}」……"),
                        format!("Reading “{name}” in the background…")),
                } }</p>
            }
            { for mapping }
            { report }
            <label class="file">
                <span>{ lang.pick("方案文件（从“导出 → 方案 JSON”得到）", "Scenario file (from Export → scenario JSON)") }</span>
                <input type="file" id="import-scenario" accept=".json,.toml,application/json" onchange={pick_scenario} />
            </label>
            if let Some(m) = &*status { <p class={classes!("status", kind_class(m.kind))} id="import-status" role="alert">{ m.text(lang) }</p> }
        </div>
    }
}

/// How the file was read, in `lang`: the sheet (a choice when the workbook
/// has several), every decision (the unusual ones marked), and each
/// column with the field it became.
fn mapping_view(m: &Mapping, lang: Lang, pick_sheet: &Callback<Event>) -> Html {
    if m.decisions.is_empty() && m.sheets.is_empty() {
        return Html::default();
    }
    let sheets = (m.sheets.len() > 1).then(|| {
        let options = m.sheets.iter().map(|s| {
            let label = if s.roster { lang.pick(format!("{}（含花名册）", s.name), format!("{} (holds a roster)", s.name)) } else { s.name.clone() };
            let selected = m.sheet.as_deref() == Some(s.name.as_str());
            html! { <option value={s.name.clone()} {selected}>{ label }</option> }
        });
        let none = m.sheet.is_none().then(|| html! { <option value="" selected=true disabled=true>{ lang.pick("请选择工作表", "Choose a sheet") }</option> });
        html! {
            <label class="file" id="import-sheet-choice">
                <span>{ lang.pick("工作表", "Sheet") }</span>
                <select id="import-sheet" onchange={pick_sheet.clone()}>{ for none }{ for options }</select>
            </label>
        }
    });
    let decisions = m.decisions.iter().map(|d| {
        html! { <li class={classes!((!d.usual).then_some("unusual"))}>{ d.note.get(lang).to_owned() }</li> }
    });
    let columns = m.columns.iter().map(|c| {
        html! {
            <tr data-field={c.field.clone().unwrap_or_default()}>
                <td>{ c.column.clone() }</td>
                <td>{ c.header.clone() }</td>
                <td>{ c.field.clone().unwrap_or_else(|| "—".into()) }</td>
                <td>{ c.how.get(lang).to_owned() }</td>
            </tr>
        }
    });
    let mapped = m.columns.iter().filter(|c| c.field.is_some()).count();
    html! {
        <div class="import-mapping" id="import-mapping">
            { for sheets }
            <p class="note">{ lang.pick("读取方式（导入前请核对）：", "How the file was read (check before importing):") }</p>
            <ul class="mapping-decisions">{ for decisions }</ul>
            if !m.columns.is_empty() {
                <details class="mapping-columns">
                    <summary>{ lang.pick(
                        format!("列对应：{} 列中 {mapped} 列对应到花名册字段", m.columns.len()),
                        format!("Columns: {mapped} of {} matched to roster fields", m.columns.len())) }</summary>
                    <div class="problems-scroll">
                        <table class="problems">
                            <thead><tr>
                                <th scope="col">{ lang.pick("列", "Column") }</th>
                                <th scope="col">{ lang.pick("表头", "Header") }</th>
                                <th scope="col">{ lang.pick("字段", "Field") }</th>
                                <th scope="col">{ lang.pick("如何对应", "How") }</th>
                            </tr></thead>
                            <tbody>{ for columns }</tbody>
                        </table>
                    </div>
                </details>
            }
        </div>
    }
}

/// Opens a scenario file the planner chose (`bytes`, or why it could not be
/// read), once every built-in is here: TOML through the Excel module's
/// worker, JSON in the page.
fn open_scenario_file(name: String, bytes: Result<Vec<u8>, Text>, state: WorkspaceContext, status: UseStateHandle<Option<Message>>, close: Callback<()>) {
    match bytes {
        // TOML is read in the Excel module's worker (the page's
        // module has no TOML parser), then opened as JSON is.
        Ok(bytes) if is_toml(&name) => match scenario_text(&name, &bytes) {
            Ok(text) => {
                let (status, done_status) = (status.clone(), status.clone());
                let shown = name.clone();
                let on_stage = move |_: Stage| status.set(Some(Message::new(MessageKind::Info, format!("正在读取「{shown}」…"), format!("Reading “{shown}”…"))));
                // The job runs to its end without its handle.
                read_toml_scenario(text, on_stage, move |read| {
                    match read.map_err(|why| Message::of(MessageKind::Error, why)).and_then(|parsed| opened_scenario(&name, parsed, state.lang)) {
                        Ok(fresh) => {
                            done_status.set(None);
                            state.dispatch(Action::Replace(Box::new(fresh)));
                            close.emit(());
                        }
                        Err(m) => done_status.set(Some(m)),
                    }
                });
            }
            Err(m) => status.set(Some(m)),
        },
        Ok(bytes) => match from_scenario_file(&name, &bytes, state.lang) {
            Ok(fresh) => {
                state.dispatch(Action::Replace(Box::new(fresh)));
                close.emit(());
            }
            Err(m) => status.set(Some(m)),
        },
        Err(why) => status.set(Some(unreadable(&name, &why))),
    }
}

fn school_count(roster: &Roster) -> usize {
    let ids: std::collections::BTreeSet<&str> = roster
        .schools
        .iter()
        .map(|s| s.school_id.as_str())
        .collect();
    ids.len()
}

fn unreadable(name: &str, why: &Text) -> Message {
    Message::new(
        MessageKind::Error,
        format!("无法读取文件「{name}」：{}", why.get(Lang::Zh)),
        format!("Could not read the file “{name}”: {}", why.get(Lang::En)),
    )
}
