//! The top bar's file actions: share link, saved scenarios, import, export
//! and the briefing. Each opens a drawer under the bar; one at a time.

use std::rc::Rc;

use web_sys::HtmlInputElement;
use yew::prelude::*;

use super::builtins;
use super::files::{self, download, download_csv};
use super::import_dialog::ImportPanel;
use super::import_worker::{make_workbook, Stage, Workbook};
use super::persist::{self, from_entry, share_url, time_text};
use super::state::{use_workspace, Action, Message, MessageKind, View, Workspace};
use super::storage::saved;
use crate::export;
use crate::i18n::Lang;
use crate::message::{Problem, Text};
use crate::roster::csv_io::{roster_to_csv, template_csv};
use crate::saved::{Entry, KeptAside, UndoToken, AUTOSAVE_KEY};
use crate::scenario::RosterSource;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Drawer {
    Share,
    Saved,
    Import,
    Export,
}

impl Drawer {
    const ALL: [Drawer; 4] = [Drawer::Share, Drawer::Saved, Drawer::Import, Drawer::Export];

    fn key(self) -> &'static str {
        match self {
            Drawer::Share => "share",
            Drawer::Saved => "saved",
            Drawer::Import => "import",
            Drawer::Export => "export",
        }
    }

    fn label(self, lang: Lang) -> &'static str {
        match self {
            Drawer::Share => lang.pick("分享链接", "Share link"),
            Drawer::Saved => lang.pick("已保存方案", "Saved"),
            Drawer::Import => lang.pick("导入", "Import"),
            Drawer::Export => lang.pick("导出", "Export"),
        }
    }
}

/// The buttons (in the top bar) and the open drawer (below it).
#[function_component(Toolbar)]
pub fn toolbar() -> Html {
    let open = use_state(|| None::<Drawer>);
    let state = use_workspace();
    let w = &*state;
    let lang = w.lang;
    let buttons = Drawer::ALL.iter().map(|&d| {
        let active = *open == Some(d);
        let open = open.clone();
        let onclick = Callback::from(move |_| open.set(if *open == Some(d) { None } else { Some(d) }));
        html! {
            <button type="button" id={format!("open-{}", d.key())} aria-expanded={active.to_string()}
                aria-controls="drawer" class={classes!("tool", active.then_some("active"))} {onclick}>
                { d.label(lang) }
            </button>
        }
    });
    let briefing = {
        let state = state.clone();
        Callback::from(move |_| state.dispatch(Action::ShowView(View::Briefing)))
    };
    let close = {
        let open = open.clone();
        Callback::from(move |_| open.set(None))
    };
    let drawer = open.map(|d| {
        let body = match d {
            Drawer::Share => html! { <SharePanel /> },
            Drawer::Saved => html! { <SavedPanel close={close.clone()} /> },
            Drawer::Import => html! { <ImportPanel close={close.clone()} /> },
            Drawer::Export => html! { <ExportPanel /> },
        };
        html! {
            <section id="drawer" class="drawer" data-drawer={d.key()} aria-label={d.label(lang)}>
                <button type="button" class="close" onclick={close.reform(|_| ())} aria-label={lang.pick("关闭", "Close")}>{ "×" }</button>
                { body }
            </section>
        }
    });
    html! {
        <>
            <HeldLinkPrompt />
            <div class="toolbar" role="toolbar" aria-label={lang.pick("文件", "Files")}>
                { for buttons }
                <button type="button" id="open-briefing" class="tool" onclick={briefing}>{ lang.pick("领导简报", "Briefing") }</button>
            </div>
            { for drawer }
        </>
    }
}

/// The link to the current scenario, selected for copying, and a copy
/// button (the clipboard may be refused; the link can still be copied by hand).
#[function_component(SharePanel)]
fn share_panel() -> Html {
    let state = use_workspace();
    let w = &*state;
    let lang = w.lang;
    let url = share_url(w);
    let copied = use_state(|| None::<bool>);
    let input = use_node_ref();
    let copy = {
        let (url, copied, input) = (url.clone(), copied.clone(), input.clone());
        Callback::from(move |_| {
            if let Some(i) = input.cast::<HtmlInputElement>() {
                i.select();
            }
            let Some(clipboard) = web_sys::window().map(|w| w.navigator().clipboard()) else {
                return;
            };
            let promise = clipboard.write_text(&url);
            let copied = copied.clone();
            wasm_bindgen_futures::spawn_local(async move {
                copied.set(Some(
                    wasm_bindgen_futures::JsFuture::from(promise).await.is_ok(),
                ));
            });
        })
    };
    let select =
        Callback::from(|e: FocusEvent| e.target_unchecked_into::<HtmlInputElement>().select());
    let changed = crate::levers::changed(&w.base.scenario, &w.current.scenario).len()
        + crate::levers::yearly_changed(&w.base.scenario, &w.current.scenario).len();
    html! {
        <div class="share">
            <h2>{ lang.pick("分享当前方案", "Share this scenario") }</h2>
            <p>{ lang.pick(
                "链接包含基础情景、模型与数据版本、已调整的参数和随机种子；打开它即可得到相同的结果。数据只在链接里，不经过任何服务器。",
                "The link holds the base scenario, the model and data versions, the changed levers and the seed; opening it gives the same results. The data travels only in the link, through no server.") }</p>
            <div class="share-row">
                <input id="share-link" type="text" readonly=true value={url.clone()} ref={input} onfocus={select}
                    aria-label={lang.pick("分享链接", "Share link")} />
                <button type="button" id="copy-link" onclick={copy}>{ lang.pick("复制链接", "Copy link") }</button>
            </div>
            <p class="note" id="share-meta">
                { format!("{} {} · {} {}", lang.pick("链接长度", "Length"), url.chars().count(), lang.pick("已调整参数", "levers changed:"), changed) }
                { match *copied {
                    Some(true) => lang.pick(" · 已复制到剪贴板", " · copied to the clipboard"),
                    Some(false) => lang.pick(" · 浏览器未允许写入剪贴板，请手动复制上面的链接", " · the browser refused the clipboard: copy the link above by hand"),
                    None => "",
                } }
            </p>
            if let Some(i) = &w.imported {
                <p class="warning" id="share-roster-note">
                    { format!("{} {}", lang.pick(
                        "此方案使用导入的花名册，花名册不放进链接（链接只带其摘要）。请同时发送方案文件（导出 → 方案 JSON）或花名册文件；对方导入后，页面会核对摘要：",
                        "This scenario runs on an imported roster, which a link cannot hold (it carries only the roster's hash). Send the scenario file (Export → scenario JSON) or the roster file too; the recipient's page checks the hash on import:"), i.hash) }
                </p>
            }
        </div>
    }
}

#[derive(Properties, PartialEq)]
struct SavedProps {
    close: Callback<()>,
}

/// What the saved list shows: read again after every change.
#[derive(Default, Clone, PartialEq)]
struct Listing {
    entries: Vec<Entry>,
    problems: Vec<Problem>,
    /// Texts kept aside (unreadable, or no longer applicable), with why.
    kept: Vec<KeptAside>,
}

fn list() -> Result<Listing, Message> {
    let mut store = saved().map_err(|e| Message::error(&e))?;
    let (mut entries, problems) = store.list();
    crate::sort::sort_by(&mut entries, |a, b| {
        b.saved_at
            .cmp(&a.saved_at)
            .then_with(|| a.name.cmp(&b.name))
    });
    let kept = store.kept_aside();
    Ok(Listing {
        entries,
        problems,
        kept,
    })
}

/// Saved scenarios: save the current one under a name, open, rename,
/// duplicate, delete with undo. Everything is in this browser's storage.
#[function_component(SavedPanel)]
fn saved_panel(props: &SavedProps) -> Html {
    let state = use_workspace();
    let w = &*state;
    let lang = w.lang;
    let listing = use_state(list);
    let status = use_state(|| None::<Message>);
    let undo = use_state(|| None::<(UndoToken, String)>);
    let renaming = use_state(|| None::<(String, String)>);
    let name_input = use_node_ref();
    let default_name = format!("{} {}", w.base.scenario.scenario.name_in(lang), persist::now_text());

    let refresh = {
        let listing = listing.clone();
        move || listing.set(list())
    };
    let report = {
        let status = status.clone();
        move |m: Message| status.set(Some(m))
    };
    let save = {
        let (state, name_input, refresh, report) = (
            state.clone(),
            name_input.clone(),
            refresh.clone(),
            report.clone(),
        );
        let default_name = default_name.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let typed = name_input
                .cast::<HtmlInputElement>()
                .map(|i| i.value())
                .unwrap_or_default();
            let name = if typed.trim().is_empty() {
                default_name.clone()
            } else {
                typed.trim().to_owned()
            };
            match saved().and_then(|mut s| s.save_as(&name, persist::entry(&state))) {
                Ok(_) => {
                    report(Message::new(
                        MessageKind::Info,
                        format!("已保存「{name}」。"),
                        format!("Saved “{name}”."),
                    ));
                    if let Some(i) = name_input.cast::<HtmlInputElement>() {
                        i.set_value("");
                    }
                }
                Err(e) => report(Message::error(&e)),
            }
            refresh();
        })
    };
    let rows = match &*listing {
        Err(m) => html! { <p class="error" role="alert">{ m.text(lang) }</p> },
        Ok(l) if l.entries.is_empty() => {
            html! { <p class="note" id="saved-empty">{ lang.pick("还没有保存的方案。", "No saved scenarios yet.") }</p> }
        }
        Ok(l) => {
            let items = l.entries.iter().map(|e| {
                let id = e.id.clone();
                let open = {
                    let (state, close, report, e) = (state.clone(), props.close.clone(), report.clone(), e.clone());
                    Callback::from(move |_| {
                        let (state, close, report, e) = (state.clone(), close.clone(), report.clone(), e.clone());
                        let failed = report.clone();
                        // Its built-in may still be fetched (`builtins`).
                        builtins::then(
                            move || match from_entry(&e, state.lang) {
                                Ok(mut fresh) => {
                                    fresh.messages.push(Message::new(MessageKind::Info, format!("已打开「{}」。", e.name), format!("Opened “{}”.", e.name)));
                                    state.dispatch(Action::Replace(Box::new(fresh)));
                                    close.emit(());
                                }
                                Err(m) => report(m),
                            },
                            failed,
                        );
                    })
                };
                let duplicate = {
                    let (id, refresh, report) = (id.clone(), refresh.clone(), report.clone());
                    Callback::from(move |_| {
                        match saved().and_then(|mut s| s.duplicate(&id)) {
                            Ok(copy) => report(Message::new(MessageKind::Info, format!("已复制为「{}」。", copy.name), format!("Duplicated as “{}”.", copy.name))),
                            Err(e) => report(Message::error(&e)),
                        }
                        refresh();
                    })
                };
                let delete = {
                    let (id, name, refresh, report, undo) = (id.clone(), e.name.clone(), refresh.clone(), report.clone(), undo.clone());
                    Callback::from(move |_| {
                        match saved().and_then(|mut s| s.delete(&id)) {
                            Ok(token) => undo.set(Some((token, name.clone()))),
                            Err(e) => report(Message::error(&e)),
                        }
                        refresh();
                    })
                };
                let start_rename = {
                    let (renaming, id, name) = (renaming.clone(), id.clone(), e.name.clone());
                    Callback::from(move |_| renaming.set(Some((id.clone(), name.clone()))))
                };
                let name_cell = match &*renaming {
                    Some((rid, text)) if *rid == id => {
                        let submit = {
                            let (renaming, id, refresh, report) = (renaming.clone(), id.clone(), refresh.clone(), report.clone());
                            Callback::from(move |ev: SubmitEvent| {
                                ev.prevent_default();
                                let text = renaming.as_ref().map(|(_, t)| t.trim().to_owned()).unwrap_or_default();
                                if text.is_empty() {
                                    report(Message::new(MessageKind::Error, "名称不能为空。", "The name cannot be empty."));
                                    return;
                                }
                                match saved().and_then(|mut s| s.rename(&id, &text)) {
                                    Ok(_) => report(Message::new(MessageKind::Info, format!("已重命名为「{text}」。"), format!("Renamed to “{text}”."))),
                                    Err(e) => report(Message::error(&e)),
                                }
                                renaming.set(None);
                                refresh();
                            })
                        };
                        let oninput = {
                            let (renaming, id) = (renaming.clone(), id.clone());
                            Callback::from(move |ev: InputEvent| renaming.set(Some((id.clone(), ev.target_unchecked_into::<HtmlInputElement>().value()))))
                        };
                        html! {
                            <form class="rename" onsubmit={submit}>
                                <input type="text" class="rename-input" value={text.clone()} {oninput} aria-label={lang.pick("新名称", "New name")} />
                                <button type="submit" class="rename-ok">{ lang.pick("确定", "OK") }</button>
                            </form>
                        }
                    }
                    _ => html! { <span class="saved-name">{ &e.name }</span> },
                };
                html! {
                    <li data-saved-id={id.clone()}>
                        { name_cell }
                        <span class="meta">{ format!("{} · {}{}", e.base, time_text(e.saved_at), if e.roster_hash.is_some() { lang.pick(" · 导入的花名册", " · imported roster") } else { "" }) }</span>
                        <span class="actions">
                            <button type="button" class="saved-open" onclick={open}>{ lang.pick("打开", "Open") }</button>
                            <button type="button" class="saved-rename" onclick={start_rename}>{ lang.pick("重命名", "Rename") }</button>
                            <button type="button" class="saved-duplicate" onclick={duplicate}>{ lang.pick("复制", "Duplicate") }</button>
                            <button type="button" class="saved-delete" onclick={delete}>{ lang.pick("删除", "Delete") }</button>
                        </span>
                    </li>
                }
            });
            html! { <ul class="saved-list" id="saved-list">{ for items }</ul> }
        }
    };
    let trouble = listing.as_ref().ok().map(|l| {
        let now = l.problems.iter().map(|p| html! { <li>{ p.text(lang) }</li> });
        let kept = l.kept.iter().map(|k| kept_item(k, lang, &refresh, &report));
        html! {
            if !l.problems.is_empty() || !l.kept.is_empty() {
              <div class="saved-problems" id="saved-problems" role="alert">
                if !l.problems.is_empty() {
                    <ul class="saved-problems-now warning">{ for now }</ul>
                }
                if !l.kept.is_empty() {
                    <h3>{ lang.pick("已移到一旁的记录", "Kept aside") }</h3>
                    <p class="note">{ lang.pick(
                        "以下记录本版本无法打开，已原样保留在本浏览器中，不会被覆盖。可导出保存后再删除。",
                        "This version cannot open these records. They are kept unchanged in this browser and are never overwritten; export them, then delete them if you wish.") }</p>
                    <ul class="kept-list" id="kept-list">{ for kept }</ul>
                }
              </div>
            }
        }
    });
    let undo_bar = undo.as_ref().map(|(token, name)| {
        let (token, undo_state, refresh, report) = (token.clone(), undo.clone(), refresh.clone(), report.clone());
        let onclick = Callback::from(move |_| {
            if let Err(e) = saved().and_then(|mut s| s.undo_delete(&token)) {
                report(Message::error(&e));
            }
            undo_state.set(None);
            refresh();
        });
        html! {
            <p class="undo" id="saved-undo" role="status">
                { lang.pick(format!("已删除「{name}」。"), format!("Deleted “{name}”.")) }
                <button type="button" id="undo-delete" {onclick}>{ lang.pick("撤销", "Undo") }</button>
            </p>
        }
    });
    html! {
        <div class="saved">
            <h2>{ lang.pick("已保存的方案", "Saved scenarios") }</h2>
            <p class="note">{ lang.pick("每次修改都会自动保存在本浏览器中，刷新后恢复。需要保留多个版本时，在此另存。", "Every change is autosaved in this browser and comes back after a reload. Save a copy here to keep several versions.") }</p>
            <form class="save-as" onsubmit={save}>
                <input id="save-name" type="text" ref={name_input} placeholder={default_name} aria-label={lang.pick("方案名称", "Scenario name")} />
                <button type="submit" id="save-as">{ lang.pick("保存当前方案", "Save this scenario") }</button>
            </form>
            if let Some(m) = &*status { <p class={classes!("status", kind_class(m.kind))} id="saved-status" role="status">{ m.text(lang) }</p> }
            { for undo_bar }
            { rows }
            { for trouble }
        </div>
    }
}

/// One text kept aside: where it came from, why, and its export and delete
/// buttons (delete asks once more).
fn kept_item(k: &KeptAside, lang: Lang, refresh: &(impl Fn() + Clone + 'static), report: &(impl Fn(Message) + Clone + 'static)) -> Html {
    html! { <KeptItem kept={k.clone()} {lang} refresh={Callback::from({ let r = refresh.clone(); move |_: ()| r() })}
        report={Callback::from({ let r = report.clone(); move |m: Message| r(m) })} /> }
}

#[derive(Properties, PartialEq)]
struct KeptProps {
    kept: KeptAside,
    lang: Lang,
    refresh: Callback<()>,
    report: Callback<Message>,
}

#[function_component(KeptItem)]
fn kept_item_view(props: &KeptProps) -> Html {
    let (k, lang) = (&props.kept, props.lang);
    let confirming = use_state(|| false);
    let what = match (&k.entry, k.from.as_str()) {
        (Some(e), AUTOSAVE_KEY) => lang.pick(format!("自动保存（{}）", time_text(e.saved_at)), format!("Autosave ({})", time_text(e.saved_at))),
        (Some(e), _) => format!("「{}」 · {} · {}", e.name, e.base, time_text(e.saved_at)),
        (None, AUTOSAVE_KEY) => lang.pick("自动保存", "Autosave").to_owned(),
        (None, from) => from.to_owned(),
    };
    let stem = k.key.trim_start_matches("youjun.").replace(|c: char| !c.is_ascii_alphanumeric() && c != '-', "-");
    let export_text = {
        let (text, name) = (k.text.clone(), format!("youjun-{stem}.json"));
        Callback::from(move |_: MouseEvent| download(text.as_bytes(), &name, files::JSON))
    };
    let scenario = k.entry.as_ref().and_then(|e| e.best_effort_scenario());
    let export_scenario = scenario.map(|s| {
        let name = format!("youjun-{stem}-scenario.json");
        let json = s.to_json();
        Callback::from(move |_: MouseEvent| download(json.as_bytes(), &name, files::JSON))
    });
    let delete = {
        let (key, confirming, refresh, report) = (k.key.clone(), confirming.clone(), props.refresh.clone(), props.report.clone());
        Callback::from(move |_: MouseEvent| {
            if !*confirming {
                confirming.set(true);
                return;
            }
            if let Err(e) = saved().and_then(|mut s| s.delete_kept(&key)) {
                report.emit(Message::error(&e));
            }
            confirming.set(false);
            refresh.emit(());
        })
    };
    html! {
        <li class="kept" data-kept-key={k.key.clone()}>
            <span class="saved-name">{ what }</span>
            <span class="kept-reason">{ k.reason.get(lang) }</span>
            <span class="meta kept-key">{ lang.pick(format!("保存在 `{}`", k.key), format!("stored under `{}`", k.key)) }</span>
            <span class="actions">
                <button type="button" class="kept-export" onclick={export_text}>{ lang.pick("导出原文（JSON）", "Export as stored (JSON)") }</button>
                if let Some(onclick) = export_scenario {
                    <button type="button" class="kept-scenario" {onclick}>{ lang.pick("导出为方案文件", "Export as scenario file") }</button>
                }
                <button type="button" class="kept-delete" onclick={delete}>{
                    if *confirming { lang.pick("确认删除", "Confirm delete") } else { lang.pick("删除", "Delete") }
                }</button>
            </span>
        </li>
    }
}

/// A share link held back because the current edits could not be kept
/// first (storage full): the planner is told before anything is replaced,
/// can download the current scenario, then open the link or keep working.
#[function_component(HeldLinkPrompt)]
fn held_link_prompt() -> Html {
    let state = use_workspace();
    let w = &*state;
    let lang = w.lang;
    let Some(held) = &w.held_link else { return html! {} };
    let download_current = {
        let (json, name) = (scenario_json(w), files::file_name(w.builtin.id, "scenario", "json"));
        Callback::from(move |_: MouseEvent| download(json.as_bytes(), &name, files::JSON))
    };
    let open = {
        let state = state.clone();
        Callback::from(move |_: MouseEvent| state.dispatch(Action::OpenHeldLink))
    };
    let cancel = {
        let state = state.clone();
        Callback::from(move |_: MouseEvent| state.dispatch(Action::CancelHeldLink))
    };
    html! {
        <section class="link-guard warning" id="link-guard" role="alertdialog" aria-labelledby="link-guard-title">
            <h2 id="link-guard-title">{ lang.pick("打开链接前：当前方案无法先保存", "Before the link opens: the current scenario cannot be kept") }</h2>
            <p>{ lang.pick(
                format!("打开此分享链接（基于「{}」）会替换当前方案，但当前方案无法先另存：", held.link.base.scenario.scenario.name),
                format!("Opening this share link (on {}) replaces the current scenario, which could not be saved first: ", held.link.builtin.id)) }
                { held.why.text(lang) }</p>
            <p>{ lang.pick("建议先下载当前方案（之后可用“导入 → 方案文件”重新打开），再决定是否打开链接。", "Download the current scenario first (Import → scenario file opens it again), then decide whether to open the link.") }</p>
            <p class="actions">
                <button type="button" id="link-guard-download" onclick={download_current}>{ lang.pick("下载当前方案（JSON）", "Download the current scenario (JSON)") }</button>
                <button type="button" id="link-guard-open" onclick={open}>{ lang.pick("打开链接，替换当前方案", "Open the link, replacing it") }</button>
                <button type="button" id="link-guard-cancel" onclick={cancel}>{ lang.pick("取消，保留当前方案", "Cancel and keep the current scenario") }</button>
            </p>
        </section>
    }
}

pub fn kind_class(k: MessageKind) -> &'static str {
    match k {
        MessageKind::Info => "info",
        MessageKind::Warning => "warning",
        MessageKind::Error => "error",
    }
}

/// The scenario as a file: the edited scenario, with the imported roster's
/// rows inline, so the file alone reproduces the run (the CLI runs it too).
pub fn scenario_json(w: &Workspace) -> String {
    let mut s = w.current.scenario.clone();
    if let Some(i) = &w.imported {
        s.roster = RosterSource {
            schools: Some(i.roster.schools.clone()),
            ..RosterSource::default()
        };
    }
    s.to_json()
}

/// A workbook being made in the Excel worker, as the drawer shows it.
#[derive(Clone, PartialEq)]
enum Making {
    /// The file being made, and how far it is.
    Going(String, Stage),
    /// Why the last one could not be made.
    Failed(Text),
}

/// Has the Excel worker make `what` (JSON made now, when the planner
/// clicked) and downloads it as `file_name`; `shown` follows it. The job
/// finishes, and downloads, even if the drawer is closed meanwhile.
fn make_and_download(what: Result<Workbook, Text>, file_name: String, shown: &UseStateHandle<Option<Making>>) {
    let what = match what {
        Ok(w) => w,
        Err(why) => return shown.set(Some(Making::Failed(why))),
    };
    let on_stage = {
        let (shown, name) = (shown.clone(), file_name.clone());
        move |stage| shown.set(Some(Making::Going(name.clone(), stage)))
    };
    let shown = shown.clone();
    make_workbook(what, on_stage, move |made| match made {
        Ok(bytes) => shown.set(files::download_array(&bytes, &file_name, files::XLSX).err().map(Making::Failed)),
        Err(why) => shown.set(Some(Making::Failed(why))),
    });
}

/// What the page sends the Excel worker, as JSON.
fn json(value: &impl serde::Serialize) -> Result<String, Text> {
    serde_json::to_string(value).map_err(|e| Text::new(format!("无法生成 Excel 文件：{e}"), format!("could not make the Excel file: {e}")))
}

/// The progress line of a workbook being made (`#excel-status`).
fn making_line(making: &Option<Making>, lang: Lang) -> Html {
    match making {
        None => Html::default(),
        Some(Making::Going(name, stage)) => html! {
            <p class="note" id="excel-status" role="status" data-stage={stage.key()}>{ match stage {
                Stage::Loading => lang.pick(
                    format!("正在加载 Excel 组件…（首次导入或导出时加载），随后生成「{name}」"),
                    format!("Loading the Excel component… (it loads on the first import or export), then making “{name}”")),
                Stage::Working => lang.pick(format!("正在生成「{name}」……"), format!("Making “{name}”…")),
            } }</p>
        },
        Some(Making::Failed(why)) => html! {
            <p class="status error" id="excel-status" role="alert" data-stage="failed">{ why.get(lang) }</p>
        },
    }
}

/// The export drawer. The CSV and JSON files are made here on the page; the
/// workbooks in the Excel worker (its module loads on first use).
#[function_component(ExportPanel)]
fn export_panel() -> Html {
    let state = use_workspace();
    let w = &*state;
    let making = use_state(|| None::<Making>);
    let lang = w.lang;
    let id = w.builtin.id;
    let mc = w.mc().cloned();
    let current = w.current.clone();
    let run = w.run.clone();
    let roster = w
        .imported
        .as_ref()
        .map(|i| i.roster.clone())
        .unwrap_or_else(|| Rc::new(w.base.roster.clone()));
    let json_text = scenario_json(w);
    let item = |key: &'static str,
                zh: &'static str,
                en: &'static str,
                action: Callback<MouseEvent>| {
        html! { <li><button type="button" id={format!("export-{key}")} onclick={action}>{ lang.pick(zh, en) }</button></li> }
    };
    let on = |f: Rc<dyn Fn()>| Callback::from(move |_: MouseEvent| f());
    html! {
        <div class="export">
            <h2>{ lang.pick("导出", "Export") }</h2>
            <p class="note">{ lang.pick("文件在浏览器中生成并直接下载。每张图表下方另有 SVG / PNG 导出按钮。", "Files are made in the browser and downloaded directly. Each chart has its own SVG / PNG buttons.") }</p>
            <ul class="export-list">
                { item("scenario-json", "方案（JSON，可再次打开）", "Scenario (JSON, opens again)", {
                    let json = json_text.clone();
                    on(Rc::new(move || download(json.as_bytes(), &files::file_name(id, "scenario", "json"), files::JSON)))
                }) }
                { item("district-csv", "区级年度数据（CSV）", "District series by year (CSV)", {
                    let (m, r) = (current.clone(), run.clone());
                    on(Rc::new(move || download_csv(&export::district_csv(&m, &r), &files::file_name(id, "district", "csv"))))
                }) }
                { item("schools-csv", "各校年度数据（CSV）", "Schools by year (CSV)", {
                    let (m, r) = (current.clone(), run.clone());
                    on(Rc::new(move || download_csv(&export::schools_csv(&m, &r), &files::file_name(id, "schools", "csv"))))
                }) }
                { item("targets-csv", "目标与达成概率（CSV）", "Targets and probabilities (CSV)", {
                    let (m, r, mc) = (current.clone(), run.clone(), mc.clone());
                    on(Rc::new(move || download_csv(&export::targets_csv(&m, &r, mc.as_deref()), &files::file_name(id, "targets", "csv"))))
                }) }
                { item("results-xlsx", "全部结果（Excel）", "All results (Excel)", {
                    // The worker runs the scenario again on the same roster:
                    // the run is deterministic, so the workbook is the one
                    // this run makes.
                    let (m, mc, making) = (current.clone(), mc.clone(), making.clone());
                    on(Rc::new(move || {
                        let what = (|| -> Result<Workbook, Text> {
                            Ok(Workbook::Results {
                                scenario: m.scenario.to_json(),
                                roster: json(&m.roster)?,
                                mc: mc.as_deref().map(json).transpose()?,
                                lang,
                            })
                        })();
                        make_and_download(what, files::file_name(id, "results", "xlsx"), &making);
                    }))
                }) }
                { item("roster-csv", "当前花名册（CSV）", "Current roster (CSV)", {
                    let roster = roster.clone();
                    on(Rc::new(move || download_csv(&roster_to_csv(&roster), &files::file_name(id, "roster", "csv"))))
                }) }
                { item("roster-xlsx", "当前花名册（Excel）", "Current roster (Excel)", {
                    let (roster, making) = (roster.clone(), making.clone());
                    on(Rc::new(move || {
                        let what = json(&*roster).map(|roster| Workbook::Roster { roster });
                        make_and_download(what, files::file_name(id, "roster", "xlsx"), &making);
                    }))
                }) }
            </ul>
            { making_line(&making, lang) }
        </div>
    }
}

/// Downloads of the roster templates, offered in the import drawer; the
/// Excel one is made in the Excel worker.
#[function_component(TemplateButtons)]
pub fn template_buttons() -> Html {
    let lang = use_workspace().lang;
    let making = use_state(|| None::<Making>);
    let csv =
        Callback::from(|_: MouseEvent| download_csv(&template_csv(), "youjun-roster-template.csv"));
    let xlsx = {
        let making = making.clone();
        Callback::from(move |_: MouseEvent| {
            make_and_download(Ok(Workbook::Template), "youjun-roster-template.xlsx".into(), &making)
        })
    };
    html! {
        <>
            <p class="templates">
                { lang.pick("模板（中文表头，也接受英文列名）：", "Templates (Chinese headers; English keys are accepted too): ") }
                <button type="button" id="template-csv" onclick={csv}>{ "CSV" }</button>
                <button type="button" id="template-xlsx" onclick={xlsx}>{ "Excel" }</button>
            </p>
            { making_line(&making, lang) }
        </>
    }
}
