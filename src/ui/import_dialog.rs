//! Importing a roster (CSV or Excel) or a scenario file. A roster file is
//! checked in full first: every bad row and cell is listed with its row,
//! column and reason in the interface language, and nothing changes until
//! the planner applies a valid file, or explicitly chooses to leave the bad
//! rows out. The current scenario is replaced only once the new one has
//! been built, so a failed import loses nothing.

use std::cell::RefCell;
use std::rc::Rc;

use gloo::file::callbacks::FileReader;
use web_sys::HtmlInputElement;
use yew::prelude::*;

use super::files;
use super::persist::from_scenario_file;
use super::state::{use_workspace, Action, Imported, Message, MessageKind};
use super::toolbar::{kind_class, template_buttons};
use crate::i18n::Lang;
use crate::roster::csv_io::{ParseMode, RosterFile, RosterImport};

/// The import drawer's one prop; the workspace comes from the context.
#[derive(Properties, PartialEq)]
pub struct ImportProps {
    /// Closes the drawer (after a successful import).
    pub close: Callback<()>,
}

/// A chosen roster file, kept so its problems can be worded again when the
/// language changes, and so "drop the bad rows" reads the same bytes.
#[derive(Clone, PartialEq)]
struct Chosen {
    name: String,
    file: Rc<RosterFile>,
}

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

    let pick_roster = {
        let (chosen, status, reader) = (chosen.clone(), status.clone(), reader.clone());
        Callback::from(move |e: Event| {
            let input: HtmlInputElement = e.target_unchecked_into();
            let Some(file) = input.files().and_then(|f| f.get(0)) else {
                return;
            };
            input.set_value("");
            let (chosen, status) = (chosen.clone(), status.clone());
            *reader.borrow_mut() = Some(files::read(file, move |name, bytes| match bytes {
                Ok(bytes) => {
                    status.set(None);
                    chosen.set(Some(Chosen {
                        file: Rc::new(RosterFile::from_upload(&name, bytes)),
                        name,
                    }));
                }
                Err(why) => status.set(Some(unreadable(&name, &why))),
            }));
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
            *reader.borrow_mut() = Some(files::read(file, move |name, bytes| match bytes {
                Ok(bytes) => match from_scenario_file(&name, &bytes, state.lang) {
                    Ok(fresh) => {
                        state.dispatch(Action::Replace(Box::new(fresh)));
                        close.emit(());
                    }
                    Err(m) => status.set(Some(m)),
                },
                Err(why) => status.set(Some(unreadable(&name, &why))),
            }));
        })
    };

    // Parsed in the interface language; cheap enough to redo on a toggle.
    let strict = chosen
        .as_ref()
        .map(|c| c.file.parse(lang, ParseMode::Strict));
    let lenient = match (&*chosen, &strict) {
        (Some(c), Some(s)) if !s.problems.is_empty() => {
            Some(c.file.parse(lang, ParseMode::DropBadRows))
        }
        _ => None,
    };
    let apply = |import: &RosterImport, dropped: bool| {
        let (state, status, chosen, close) = (
            state.clone(),
            status.clone(),
            chosen.clone(),
            props.close.clone(),
        );
        let roster = import.roster.clone();
        let dropped_rows = import.dropped_rows.len();
        Callback::from(move |_| {
            let Some(c) = &*chosen else { return };
            let schools = roster.schools.len();
            match state.with_roster(Imported::new(roster.clone(), c.name.clone())) {
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
            }
        })
    };
    let report = match (&*chosen, &strict) {
        (Some(c), Some(s)) if s.problems.is_empty() => html! {
            <div class="import-ok" id="import-ready">
                <p>{ lang.pick(
                    format!("「{}」无误：{} 行（{} 所学校）。导入后，基线和当前方案都改在此花名册上计算。", c.name, s.roster.schools.len(), school_count(s)),
                    format!("“{}” is valid: {} rows ({} schools). Once imported, the baseline and the current scenario both run on this roster.", c.name, s.roster.schools.len(), school_count(s))) }</p>
                <button type="button" id="import-apply" onclick={apply(s, false)}>{ lang.pick("导入此花名册", "Import this roster") }</button>
            </div>
        },
        (Some(c), Some(s)) => {
            let rows = s.problems.iter().map(|p| {
                html! {
                    <tr data-row={p.place.row().map(|r| r.to_string()).unwrap_or_default()}>
                        <td class="num">{ p.place.row().map(|r| r.to_string()).unwrap_or_else(|| "—".into()) }</td>
                        <td>{ p.place.column().unwrap_or("—").to_owned() }</td>
                        <td>{ p.describe(lang) }</td>
                    </tr>
                }
            });
            let drop = lenient.as_ref().filter(|l| !l.roster.schools.is_empty()).map(|l| {
                html! {
                    <button type="button" id="import-drop-bad" onclick={apply(l, true)}>
                        { lang.pick(
                            format!("舍弃有问题的 {} 行，只导入其余 {} 行", l.dropped_rows.len(), l.roster.schools.len()),
                            format!("Leave out the {} rows with problems and import the other {}", l.dropped_rows.len(), l.roster.schools.len())) }
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
            { template_buttons(lang) }
            if let Some(i) = &w.imported {
                <p class="note" id="import-current">{ lang.pick(
                    format!("当前使用导入的花名册「{}」（{} 行，摘要 {}）。", i.source, i.roster.schools.len(), i.hash),
                    format!("Now running on the imported roster “{}” ({} rows, hash {}).", i.source, i.roster.schools.len(), i.hash)) }</p>
            }
            { report }
            <label class="file">
                <span>{ lang.pick("方案文件（从“导出 → 方案 JSON”得到）", "Scenario file (from Export → scenario JSON)") }</span>
                <input type="file" id="import-scenario" accept=".json,.toml,application/json" onchange={pick_scenario} />
            </label>
            if let Some(m) = &*status { <p class={classes!("status", kind_class(m.kind))} id="import-status" role="alert">{ m.text(lang) }</p> }
        </div>
    }
}

fn school_count(i: &RosterImport) -> usize {
    let ids: std::collections::BTreeSet<&str> = i
        .roster
        .schools
        .iter()
        .map(|s| s.school_id.as_str())
        .collect();
    ids.len()
}

fn unreadable(name: &str, why: &str) -> Message {
    Message::new(
        MessageKind::Error,
        format!("无法读取文件「{name}」：{why}"),
        format!("Could not read the file “{name}”: {why}"),
    )
}
