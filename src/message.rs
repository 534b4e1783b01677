//! What a planner is told when something is wrong, in one shape everywhere:
//! a [`Text`] in both languages, a [`Problem`] that says where it is, what is
//! allowed and what was found, and an [`Error`] whose [`ErrorKind`] the page
//! and the command line route on (never its wording).
//!
//! The scenario, roster, share-link and storage code build problems; the CLI
//! prints them (Chinese then English, or one language with `--lang`) and the
//! page shows them in its language, so a problem is worded once.
//!
//! Ground floor: this module imports only [`crate::i18n`].
//!
//! # Rendering
//!
//! One language ([`Problem::text`]): `<place>：<message>，实际为「<found>」；可选：<allowed>`
//! in Chinese and `<place>: <message>, got "<found>"; allowed: <allowed>` in
//! English, each part only when present. Both languages on one line
//! ([`Problem::bilingual`], the CLI's default): `<place>: <中文> (<English>), 实际为 (got) <found>`.
//! A message is therefore a phrase that reads after its place, and leaves the
//! value found and the values allowed to their own fields.

use std::fmt;

use crate::i18n::Lang;

/// The same words in Chinese and English.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct Text {
    /// Simplified Chinese, the interface's first language.
    pub zh: String,
    /// English.
    pub en: String,
}

impl Text {
    /// Text in both languages.
    pub fn new(zh: impl Into<String>, en: impl Into<String>) -> Text {
        Text {
            zh: zh.into(),
            en: en.into(),
        }
    }

    /// Text that reads the same in both languages: a platform's own reason, a
    /// list of ids, a message that is already bilingual.
    pub fn same(text: impl Into<String>) -> Text {
        let text = text.into();
        Text {
            zh: text.clone(),
            en: text,
        }
    }

    /// The text in `lang`.
    pub fn get(&self, lang: Lang) -> &str {
        lang.pick(&self.zh, &self.en)
    }

    /// Chinese then English in brackets, `中文 (English)`; once when both are the same.
    pub fn bilingual(&self) -> String {
        if self.zh == self.en {
            self.zh.clone()
        } else {
            format!("{} ({})", self.zh, self.en)
        }
    }

    /// Both languages changed by the same rule, e.g. a prefix added to each.
    pub fn map(&self, f: impl Fn(Lang, &str) -> String) -> Text {
        Text {
            zh: f(Lang::Zh, &self.zh),
            en: f(Lang::En, &self.en),
        }
    }
}

impl fmt::Display for Text {
    /// [`Text::bilingual`].
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.bilingual())
    }
}

/// Where a problem is, in the terms of what the planner wrote or opened.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Place {
    /// The input as a whole (a file that cannot be read, a damaged link,
    /// full storage): the message says it all.
    Whole,
    /// A file, by the path the planner gave.
    File(String),
    /// A scenario field, by its path as written in the file
    /// (`teachers.attrition_rate.value`, `targets[0].series`).
    Field(String),
    /// A roster cell: the row a spreadsheet shows (the header is row 1) and
    /// the column's header as written in the file. Either may be unknown.
    Cell {
        /// The row number, header = 1.
        row: Option<usize>,
        /// The column's header (or its key when the column is missing).
        column: Option<String>,
    },
    /// A part of a share link.
    Link(LinkPart),
    /// An entry in the browser's storage, by its key.
    Key(String),
    /// A command-line argument or option (`--runs`).
    Arg(String),
}

/// The parts of a share link a problem can be in.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum LinkPart {
    /// The link format's version (`v1`).
    Version,
    /// The built-in scenario the link's edits apply to.
    Base,
    /// A lever the link sets, by its id.
    Lever(String),
}

impl Place {
    /// The place as the planner reads it, in `lang`; `None` for [`Place::Whole`]
    /// (and a cell with neither row nor column).
    pub fn label(&self, lang: Lang) -> Option<String> {
        let zh = lang == Lang::Zh;
        Some(match self {
            Place::Whole
            | Place::Cell {
                row: None,
                column: None,
            } => return None,
            Place::File(path) => path.clone(),
            Place::Field(path) | Place::Arg(path) => format!("`{path}`"),
            Place::Cell {
                row: Some(r),
                column: Some(c),
            } if zh => format!("第 {r} 行，列「{c}」"),
            Place::Cell {
                row: Some(r),
                column: Some(c),
            } => format!("row {r}, column \"{c}\""),
            Place::Cell {
                row: Some(r),
                column: None,
            } if zh => format!("第 {r} 行"),
            Place::Cell {
                row: Some(r),
                column: None,
            } => format!("row {r}"),
            Place::Cell {
                row: None,
                column: Some(c),
            } if zh => format!("列「{c}」"),
            Place::Cell {
                row: None,
                column: Some(c),
            } => format!("column \"{c}\""),
            Place::Link(LinkPart::Version) => lang.pick("链接版本", "link version").to_owned(),
            Place::Link(LinkPart::Base) => lang
                .pick("链接的基础场景", "the link's base scenario")
                .to_owned(),
            Place::Link(LinkPart::Lever(id)) if zh => format!("链接中的调节项 `{id}`"),
            Place::Link(LinkPart::Lever(id)) => format!("the link's lever `{id}`"),
            Place::Key(key) if zh => format!("存储项 `{key}`"),
            Place::Key(key) => format!("storage entry `{key}`"),
        })
    }

    /// The scenario field path, when the place is a field.
    pub fn path(&self) -> Option<&str> {
        match self {
            Place::Field(path) => Some(path),
            _ => None,
        }
    }

    /// The spreadsheet row, when the place is a roster cell with one.
    pub fn row(&self) -> Option<usize> {
        match self {
            Place::Cell { row, .. } => *row,
            _ => None,
        }
    }

    /// The column's header as written, when the place is a roster cell with one.
    pub fn column(&self) -> Option<&str> {
        match self {
            Place::Cell { column, .. } => column.as_deref(),
            _ => None,
        }
    }

    /// The place in both languages (`中文 (English)` when they differ).
    fn bilingual(&self) -> Option<String> {
        let (zh, en) = (self.label(Lang::Zh)?, self.label(Lang::En)?);
        Some(if zh == en { zh } else { format!("{zh} ({en})") })
    }
}

/// One thing a planner must fix or know: where, what is wrong (or required),
/// what is allowed and what was found.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Problem {
    /// Where the problem is.
    pub place: Place,
    /// What is wrong or what is required, as a phrase that reads after the place.
    pub message: Text,
    /// The values allowed, when they are a short list worth showing.
    pub allowed: Option<Text>,
    /// The value found, as written (cut short by whoever reports it).
    pub found: Option<String>,
}

/// A value as the user gave it, cut to 40 characters (with "…"), for
/// [`Problem::found`]: a long or hostile argument is named, not echoed whole.
pub fn quoted(text: &str) -> String {
    match text.char_indices().nth(40) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text.to_owned(),
    }
}

impl Problem {
    /// A problem at `place`.
    pub fn new(place: Place, message: Text) -> Problem {
        Problem {
            place,
            message,
            allowed: None,
            found: None,
        }
    }

    /// A problem with the input as a whole.
    pub fn whole(message: Text) -> Problem {
        Problem::new(Place::Whole, message)
    }

    /// A problem in the scenario field at `path`.
    pub fn field(path: impl Into<String>, message: Text) -> Problem {
        Problem::new(Place::Field(path.into()), message)
    }

    /// The same problem, saying what value was found.
    pub fn found(mut self, found: impl Into<String>) -> Problem {
        self.found = Some(found.into());
        self
    }

    /// The same problem, listing the values allowed.
    pub fn allowed(mut self, allowed: Text) -> Problem {
        self.allowed = Some(allowed);
        self
    }

    /// What is wrong, without the place, in `lang`: the message, the value
    /// found and the values allowed (the page's "problem" column).
    pub fn describe(&self, lang: Lang) -> String {
        let mut out = self.message.get(lang).to_owned();
        if let Some(found) = &self.found {
            out += &lang.pick(format!("，实际为「{found}」"), format!(", got \"{found}\""));
        }
        if let Some(allowed) = &self.allowed {
            out += &lang.pick(
                format!("；可选：{}", allowed.zh),
                format!("; allowed: {}", allowed.en),
            );
        }
        out
    }

    /// The whole problem in `lang`, place first.
    pub fn text(&self, lang: Lang) -> String {
        match self.place.label(lang) {
            Some(place) => format!("{place}{}{}", lang.pick("：", ": "), self.describe(lang)),
            None => self.describe(lang),
        }
    }

    /// The whole problem in both languages on one line, place first:
    /// `` `path`: 中文 (English), 实际为 (got) 0.9 ``.
    pub fn bilingual(&self) -> String {
        let mut out = self
            .place
            .bilingual()
            .map(|p| format!("{p}: "))
            .unwrap_or_default();
        out += &self.message.bilingual();
        if let Some(found) = &self.found {
            out += &format!(", 实际为 (got) {found}");
        }
        if let Some(allowed) = &self.allowed {
            out += &format!("; 可选 (allowed): {}", allowed.bilingual());
        }
        out
    }

    /// Both languages of [`Problem::text`].
    pub fn texts(&self) -> Text {
        Text::new(self.text(Lang::Zh), self.text(Lang::En))
    }
}

impl fmt::Display for Problem {
    /// [`Problem::bilingual`].
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.bilingual())
    }
}

/// What kind of failure an [`Error`] is: what the page and the CLI decide on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ErrorKind {
    /// A scenario file that is not valid TOML or JSON, or does not fit the
    /// schema (an unknown key, a wrong type).
    ScenarioSyntax,
    /// A scenario that parses but has values out of range or inconsistent,
    /// including a synthetic-roster spec and targets on unknown series.
    ScenarioInvalid,
    /// A roster with bad rows or cells, or a file that is no roster at all.
    RosterRows,
    /// A roster that reads but the scenario cannot run on it (a school the
    /// scenario names is missing).
    RosterMismatch,
    /// Not a share link, or its payload does not parse.
    LinkMalformed,
    /// A share link whose checksum fails or a part is missing: cut off or altered.
    LinkTampered,
    /// A share link version this build cannot read.
    LinkVersion,
    /// A share link whose base scenario is not built in.
    LinkUnknownScenario,
    /// A share link that sets a lever this version does not have.
    LinkUnknownLever,
    /// A share link with a value outside its lever's range or table.
    LinkOutOfRange,
    /// The browser's storage is full; nothing was written.
    StorageFull,
    /// The browser's storage is switched off or refused.
    StorageUnavailable,
    /// No saved scenario (or deleted one, for undo) with the id asked for.
    SavedNotFound,
    /// A saved entry that cannot be read (it is moved aside).
    SavedUnreadable,
    /// A chart could not be drawn.
    Chart,
    /// A file or stream could not be read or written.
    File,
    /// An export could not be built (a text longer than a workbook cell holds).
    Export,
    /// A command line the CLI does not understand.
    Usage,
}

/// A failure a planner sees: its kind, an optional summary line, and every
/// problem found.
///
/// Rendered as `[<context>: ]<summary>：` over one problem a line
/// (`  - <problem>`), or, without a summary, the problems alone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    kind: ErrorKind,
    /// Where the problems were found, in the user's own words (a file path).
    context: Option<String>,
    /// A line over the list (`场景有 2 处错误`), without the closing colon.
    summary: Option<Text>,
    problems: Vec<Problem>,
}

impl Error {
    /// An error of one problem.
    pub fn new(kind: ErrorKind, problem: Problem) -> Error {
        Error {
            kind,
            context: None,
            summary: None,
            problems: vec![problem],
        }
    }

    /// An error listing `problems` under `summary` (a phrase without a
    /// closing colon: `场景有 2 处错误`).
    pub fn with_problems(kind: ErrorKind, summary: Text, problems: Vec<Problem>) -> Error {
        Error {
            kind,
            context: None,
            summary: Some(summary),
            problems,
        }
    }

    /// An error about the input as a whole, said in one message.
    pub fn whole(kind: ErrorKind, message: Text) -> Error {
        Error::new(kind, Problem::whole(message))
    }

    /// What kind of failure this is.
    pub fn kind(&self) -> ErrorKind {
        self.kind
    }

    /// The line over the list of problems, if any.
    pub fn summary(&self) -> Option<&Text> {
        self.summary.as_ref()
    }

    /// Every problem, in the order found.
    pub fn problems(&self) -> &[Problem] {
        &self.problems
    }

    /// The problems, to report them under another error.
    pub fn into_problems(self) -> Vec<Problem> {
        self.problems
    }

    /// The same error found in `what` (a file path): the problems are then
    /// listed under `what: `.
    pub fn context(mut self, what: &str) -> Error {
        self.context = Some(match self.context {
            Some(inner) => format!("{what}: {inner}"),
            None => what.to_owned(),
        });
        self
    }

    /// The whole error in `lang`: the summary, then one problem a line.
    pub fn message(&self, lang: Lang) -> String {
        let summary = self
            .summary
            .as_ref()
            .map(|s| format!("{}{}", s.get(lang), lang.pick("：", ":")));
        self.render(summary, |p| p.text(lang))
    }

    /// The whole error in both languages, each line `中文 (English)`: what the
    /// CLI prints without `--lang`.
    pub fn bilingual(&self) -> String {
        self.render(
            self.summary.as_ref().map(|s| format!("{}:", s.bilingual())),
            Problem::bilingual,
        )
    }

    /// [`Error::message`] in both languages, for a page that can switch language.
    pub fn text(&self) -> Text {
        Text::new(self.message(Lang::Zh), self.message(Lang::En))
    }

    /// `summary` (with its colon) over the problems, after the context.
    fn render(&self, summary: Option<String>, problem: impl Fn(&Problem) -> String) -> String {
        let head = match (&self.context, summary) {
            (Some(c), Some(s)) => Some(format!("{c}: {s}")),
            (Some(c), None) => Some(format!("{c}:")),
            (None, s) => s,
        };
        match head {
            Some(head) => self
                .problems
                .iter()
                .fold(head, |out, p| format!("{out}\n  - {}", problem(p))),
            None => self
                .problems
                .iter()
                .map(problem)
                .collect::<Vec<_>>()
                .join("\n"),
        }
    }
}

impl fmt::Display for Error {
    /// [`Error::bilingual`].
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.bilingual())
    }
}

impl std::error::Error for Error {}

#[cfg(test)]
mod tests {
    use super::*;

    fn cell(row: usize, column: &str) -> Place {
        Place::Cell {
            row: Some(row),
            column: Some(column.into()),
        }
    }

    #[test]
    fn a_cell_problem_reads_in_each_language() {
        let p = Problem::new(
            cell(2, "students"),
            Text::new("应为不小于 0 的整数", "must be a whole number ≥ 0"),
        )
        .found("-3");
        assert_eq!(
            p.text(Lang::Zh),
            "第 2 行，列「students」：应为不小于 0 的整数，实际为「-3」"
        );
        assert_eq!(
            p.text(Lang::En),
            "row 2, column \"students\": must be a whole number ≥ 0, got \"-3\""
        );
        assert_eq!(
            p.describe(Lang::En),
            "must be a whole number ≥ 0, got \"-3\""
        );
        assert_eq!(p.texts().get(Lang::Zh), p.text(Lang::Zh));
    }

    #[test]
    fn a_field_problem_reads_in_both_languages_at_once() {
        let p = Problem::field(
            "teachers.attrition_rate.value",
            Text::new("取值须在 0 到 0.5 之间", "must be between 0 and 0.5"),
        )
        .found("0.9");
        assert_eq!(
            p.to_string(),
            "`teachers.attrition_rate.value`: 取值须在 0 到 0.5 之间 (must be between 0 and 0.5), 实际为 (got) 0.9"
        );
        let choice = Problem::new(cell(3, "level"), Text::new("取值无效", "unknown value"))
            .allowed(Text::new("小学、初中", "primary, junior"));
        assert_eq!(
            choice.text(Lang::En),
            "row 3, column \"level\": unknown value; allowed: primary, junior"
        );
        assert_eq!(
            choice.bilingual(),
            "第 3 行，列「level」 (row 3, column \"level\"): 取值无效 (unknown value); 可选 (allowed): 小学、初中 (primary, junior)"
        );
    }

    #[test]
    fn places_without_a_label_leave_the_message_alone() {
        let m = Text::new("文件为空", "the file is empty");
        for place in [
            Place::Whole,
            Place::Cell {
                row: None,
                column: None,
            },
        ] {
            let p = Problem::new(place, m.clone());
            assert_eq!(
                (p.text(Lang::Zh), p.text(Lang::En), p.bilingual()),
                (
                    "文件为空".into(),
                    "the file is empty".into(),
                    "文件为空 (the file is empty)".into()
                )
            );
        }
        let same = Problem::whole(Text::same("SecurityError"));
        assert_eq!(same.bilingual(), "SecurityError");
        assert_eq!(
            Place::Cell {
                row: None,
                column: Some("level".into())
            }
            .label(Lang::En)
            .as_deref(),
            Some("column \"level\"")
        );
        assert_eq!(
            Place::Link(LinkPart::Lever("a.b".into()))
                .label(Lang::Zh)
                .as_deref(),
            Some("链接中的调节项 `a.b`")
        );
    }

    #[test]
    fn an_error_lists_its_problems_under_its_summary() {
        let ps = vec![
            Problem::field("a", Text::new("须为整数", "must be a whole number")).found("1.5"),
            Problem::field("b", Text::new("须注明来源", "a source is required")),
        ];
        let e = Error::with_problems(
            ErrorKind::ScenarioInvalid,
            Text::new("场景有 2 处错误", "the scenario has 2 problems"),
            ps,
        );
        assert_eq!(e.kind(), ErrorKind::ScenarioInvalid);
        assert_eq!(e.message(Lang::En), "the scenario has 2 problems:\n  - `a`: must be a whole number, got \"1.5\"\n  - `b`: a source is required");
        assert!(
            e.message(Lang::Zh)
                .starts_with("场景有 2 处错误：\n  - `a`：须为整数，实际为「1.5」"),
            "{}",
            e.message(Lang::Zh)
        );
        assert_eq!(
            e.clone().context("bad.toml").to_string(),
            "bad.toml: 场景有 2 处错误 (the scenario has 2 problems):\n  - `a`: 须为整数 (must be a whole number), 实际为 (got) 1.5\n  - `b`: 须注明来源 (a source is required)"
        );
        assert_eq!(e.text().en, e.message(Lang::En));
        assert_eq!(e.into_problems().len(), 2);
    }

    #[test]
    fn a_one_problem_error_is_its_problem() {
        let e = Error::whole(
            ErrorKind::LinkTampered,
            Text::new("链接不完整", "the link is incomplete"),
        );
        assert_eq!(
            (e.message(Lang::Zh), e.message(Lang::En)),
            ("链接不完整".into(), "the link is incomplete".into())
        );
        assert_eq!(e.summary(), None);
        let in_file = e.context("x.toml").context("dir");
        assert_eq!(
            in_file.message(Lang::En),
            "dir: x.toml:\n  - the link is incomplete"
        );
        let boxed: Box<dyn std::error::Error> = Box::new(in_file);
        assert!(boxed.to_string().starts_with("dir: x.toml:"));
    }
}
