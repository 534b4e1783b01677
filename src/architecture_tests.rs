//! Checks the floors stated in the architecture notes (`src/lib.rs`): every
//! module names only modules on lower floors. The floor table is read from
//! the notes' `- Floor N:` lines, so the notes and this test cannot drift.
//!
//! The check reads the source text, not the compiler's view: comments and
//! string literals are blanked first, then every `crate::`, `youjun::` and
//! `super::` path (use trees with their braces included) is resolved to the
//! module it names, taking inline `mod name { … }` blocks into account. A
//! path inside a macro call is seen too. The binary (`src/main.rs`,
//! `src/cli/`) is one unit, `cli`; its `crate::` paths are its own, so only
//! its `youjun::` paths are checked.

use std::collections::BTreeMap;
use std::path::Path;

/// One row of the floor table: a module path (`roster`, `roster::synthetic`)
/// and its floor. A module belongs to the longest path that prefixes it.
#[derive(Debug)]
struct Floors {
    by_path: BTreeMap<Vec<String>, usize>,
}

impl Floors {
    /// The unit a module path belongs to: its longest prefix in the table.
    fn unit<'a>(&'a self, path: &[String]) -> Option<(&'a [String], usize)> {
        (1..=path.len()).rev().find_map(|n| self.by_path.get_key_value(&path[..n]).map(|(k, f)| (k.as_slice(), *f)))
    }
}

/// Reads the `- Floor N: \`a\`, \`b\` — why` lines of the notes; the names are
/// the backticked words before the dash.
fn parse_floors(notes: &str) -> Result<Floors, String> {
    let mut by_path = BTreeMap::new();
    let mut next = 0;
    for line in notes.lines() {
        let Some(rest) = line.trim_start_matches("//!").trim().strip_prefix("- Floor ") else { continue };
        let (number, rest) = rest.split_once(':').ok_or_else(|| format!("no `:` after the floor number in {line:?}"))?;
        let floor: usize = number.trim().parse().map_err(|_| format!("bad floor number in {line:?}"))?;
        if floor != next {
            return Err(format!("floors must be numbered 0, 1, 2, … in order; found {floor} where {next} was due"));
        }
        next += 1;
        let names = rest.split(" — ").next().unwrap_or_default();
        let modules = backticked(names);
        if modules.is_empty() {
            return Err(format!("floor {floor} names no module"));
        }
        for m in modules {
            let path: Vec<String> = m.split("::").map(str::to_owned).collect();
            if by_path.insert(path, floor).is_some() {
                return Err(format!("`{m}` is on two floors"));
            }
        }
    }
    if by_path.is_empty() {
        return Err("no `- Floor N:` lines in the notes".into());
    }
    Ok(Floors { by_path })
}

/// The words between backticks, in order.
fn backticked(text: &str) -> Vec<&str> {
    text.split('`').skip(1).step_by(2).collect()
}

/// Blanks comments, string, byte-string, raw-string and char literals with
/// spaces (keeping newlines), so that only code is left to scan.
fn code_only(src: &str) -> String {
    let c: Vec<char> = src.chars().collect();
    let mut out = String::with_capacity(src.len());
    let blank = |out: &mut String, s: &[char]| out.extend(s.iter().map(|&ch| if ch == '\n' { '\n' } else { ' ' }));
    let ident = |ch: char| ch.is_alphanumeric() || ch == '_';
    let mut i = 0;
    while i < c.len() {
        let rest = &c[i..];
        let starts = |p: &str| p.chars().enumerate().all(|(k, ch)| rest.get(k) == Some(&ch));
        let end = if starts("//") {
            i + rest.iter().position(|&ch| ch == '\n').unwrap_or(rest.len())
        } else if starts("/*") {
            let (mut j, mut depth) = (i + 2, 1);
            while j < c.len() && depth > 0 {
                if c[j] == '/' && c.get(j + 1) == Some(&'*') {
                    depth += 1;
                    j += 2;
                } else if c[j] == '*' && c.get(j + 1) == Some(&'/') {
                    depth -= 1;
                    j += 2;
                } else {
                    j += 1;
                }
            }
            j
        } else if (c[i] == 'r' || c[i] == 'b') && (i == 0 || !ident(c[i - 1])) && raw_string_end(&c, i).is_some() {
            raw_string_end(&c, i).unwrap()
        } else if c[i] == '"' || (c[i] == 'b' && rest.get(1) == Some(&'"') && (i == 0 || !ident(c[i - 1]))) {
            let mut j = if c[i] == 'b' { i + 2 } else { i + 1 };
            while j < c.len() && c[j] != '"' {
                j += if c[j] == '\\' { 2 } else { 1 };
            }
            j + 1
        } else if c[i] == '\'' && rest.get(1) == Some(&'\\') {
            let mut j = i + 3;
            while j < c.len() && c[j] != '\'' {
                j += 1;
            }
            j + 1
        } else if c[i] == '\'' && rest.get(2) == Some(&'\'') {
            i + 3
        } else {
            out.push(c[i]);
            i += 1;
            continue;
        };
        let end = end.min(c.len());
        blank(&mut out, &c[i..end]);
        i = end;
    }
    out
}

/// Where a raw string (`r"…"`, `r#"…"#`, `br"…"`) that starts at `i` ends.
fn raw_string_end(c: &[char], i: usize) -> Option<usize> {
    let mut j = i;
    if c[j] == 'b' {
        j += 1;
    }
    if c.get(j) != Some(&'r') {
        return None;
    }
    j += 1;
    let hashes = c[j..].iter().take_while(|&&ch| ch == '#').count();
    j += hashes;
    if c.get(j) != Some(&'"') {
        return None;
    }
    j += 1;
    while j < c.len() {
        if c[j] == '"' && c[j + 1..].iter().take(hashes).filter(|&&ch| ch == '#').count() == hashes {
            return Some(j + 1 + hashes);
        }
        j += 1;
    }
    Some(c.len())
}

/// A token of blanked source and the line it is on.
#[derive(Debug, Clone, PartialEq)]
struct Token {
    text: String,
    line: usize,
}

fn tokens(code: &str) -> Vec<Token> {
    let c: Vec<char> = code.chars().collect();
    let (mut out, mut line, mut i) = (Vec::new(), 1, 0);
    while i < c.len() {
        let ch = c[i];
        if ch == '\n' {
            line += 1;
            i += 1;
        } else if ch.is_whitespace() {
            i += 1;
        } else if ch.is_alphanumeric() || ch == '_' {
            let j = i + c[i..].iter().take_while(|&&ch| ch.is_alphanumeric() || ch == '_').count();
            out.push(Token { text: c[i..j].iter().collect(), line });
            i = j;
        } else if ch == ':' && c.get(i + 1) == Some(&':') {
            out.push(Token { text: "::".into(), line });
            i += 2;
        } else {
            out.push(Token { text: ch.to_string(), line });
            i += 1;
        }
    }
    out
}

fn is_ident(t: &str) -> bool {
    t.chars().next().is_some_and(|ch| ch.is_alphabetic() || ch == '_')
}

/// Reads a path or use tree starting at `toks[*at]` (just after `crate::`
/// and the like) and returns every path it names, without the prefix.
fn use_tree(toks: &[Token], at: &mut usize) -> Vec<Vec<String>> {
    let mut head = Vec::new();
    loop {
        match toks.get(*at).map(|t| t.text.as_str()) {
            Some("{") => {
                *at += 1;
                let mut out = Vec::new();
                loop {
                    match toks.get(*at).map(|t| t.text.as_str()) {
                        Some("}") | None => {
                            *at += 1;
                            break;
                        }
                        Some(",") => *at += 1,
                        _ => {
                            let before = *at;
                            for tail in use_tree(toks, at) {
                                out.push(head.iter().cloned().chain(tail).collect());
                            }
                            if *at == before {
                                *at += 1;
                            }
                        }
                    }
                }
                return out;
            }
            Some(t) if is_ident(t) => {
                if t != "self" {
                    head.push(t.to_owned());
                }
                *at += 1;
                if toks.get(*at).map(|t| t.text.as_str()) == Some("::") {
                    *at += 1;
                } else {
                    return vec![head];
                }
            }
            _ => return vec![head],
        }
    }
}

/// A module path named in a file, absolute from the crate root, with the
/// line it is on and the module the naming code sits in.
#[derive(Debug)]
struct Reference {
    from: Vec<String>,
    to: Vec<String>,
    line: usize,
}

/// Every module path the file at `module` (its path from the crate root)
/// names. `binary` files name the library as `youjun::` and their own
/// modules as `crate::`.
fn references(module: &[String], text: &str, binary: bool) -> Vec<Reference> {
    let toks = tokens(&code_only(text));
    let mut out = Vec::new();
    let mut inline: Vec<String> = Vec::new();
    // For each open brace: whether it opened an inline module.
    let mut braces: Vec<bool> = Vec::new();
    let mut k = 0;
    while k < toks.len() {
        let t = toks[k].text.as_str();
        let here = || module.iter().chain(&inline).cloned().collect::<Vec<_>>();
        let after_path_sep = k > 0 && toks[k - 1].text == "::";
        let followed_by_sep = toks.get(k + 1).is_some_and(|n| n.text == "::");
        match t {
            "mod" if toks.get(k + 1).is_some_and(|n| is_ident(&n.text)) && toks.get(k + 2).is_some_and(|n| n.text == "{") => {
                inline.push(toks[k + 1].text.clone());
                braces.push(true);
                k += 3;
                continue;
            }
            "{" => braces.push(false),
            "}" => {
                if braces.pop() == Some(true) {
                    inline.pop();
                }
            }
            "crate" | "youjun" | "super" if followed_by_sep && !after_path_sep => {
                let line = toks[k].line;
                let from = here();
                let base: Option<Vec<String>> = match t {
                    "youjun" => Some(Vec::new()),
                    "crate" if !binary => Some(Vec::new()),
                    "super" if !binary => {
                        let mut base = from.clone();
                        let mut j = k;
                        while toks.get(j).is_some_and(|t| t.text == "super") && toks.get(j + 1).is_some_and(|t| t.text == "::") {
                            base.pop();
                            j += 2;
                        }
                        k = j - 2;
                        Some(base)
                    }
                    _ => None,
                };
                k += 2;
                let trees = use_tree(&toks, &mut k);
                if let Some(base) = base {
                    for tail in trees {
                        out.push(Reference { from: from.clone(), to: base.iter().cloned().chain(tail).collect(), line });
                    }
                }
                continue;
            }
            _ => {}
        }
        k += 1;
    }
    out
}

/// Every `.rs` file under `src/`, as (path from `src/`, text), in path order.
fn source_files(src: &Path) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut dirs = vec![src.to_path_buf()];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).expect("src/ is readable") {
            let path = entry.expect("directory entry").path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let rel = path.strip_prefix(src).unwrap().to_string_lossy().replace('\\', "/");
                out.push((rel, std::fs::read_to_string(&path).expect("source file is readable")));
            }
        }
    }
    out.sort();
    out
}

/// The module a file under `src/` defines, and whether it is in the binary.
/// `None` for the crate roots that only declare modules (`lib.rs`), for
/// this checker and for the build script (`build.rs`, not in the crate).
fn module_of(rel: &str) -> Option<(Vec<String>, bool)> {
    let rel = rel.strip_suffix(".rs")?;
    if rel == "lib" || rel == "architecture_tests" || rel == "build" {
        return None;
    }
    if rel == "main" {
        return Some((vec!["cli".into()], true));
    }
    let mut path: Vec<String> = rel.split('/').map(str::to_owned).collect();
    if path.last().is_some_and(|p| p == "mod") {
        path.pop();
    }
    let binary = path[0] == "cli";
    Some((path, binary))
}

/// Every import that does not point down, as a readable line.
fn violations(floors: &Floors, files: &[(String, String)]) -> Vec<String> {
    let mut out = Vec::new();
    for (rel, text) in files {
        let Some((module, binary)) = module_of(rel) else { continue };
        let Some((own, own_floor)) = floors.unit(&module) else {
            out.push(format!("src/{rel}: module `{}` has no floor in the notes", module.join("::")));
            continue;
        };
        for r in references(&module, text, binary) {
            let from_unit = if binary { Some((own, own_floor)) } else { floors.unit(&r.from) };
            let Some((from, from_floor)) = from_unit else { continue };
            if r.to.is_empty() {
                continue;
            }
            match floors.unit(&r.to) {
                None => out.push(format!("src/{rel}:{}: `{}` names a module with no floor in the notes", r.line, r.to[0])),
                Some((to, _)) if to == from => {}
                Some((to, to_floor)) if to_floor >= from_floor => out.push(format!(
                    "src/{rel}:{}: `{}` (floor {from_floor}) imports `{}` (floor {to_floor})",
                    r.line,
                    from.join("::"),
                    to.join("::")
                )),
                Some(_) => {}
            }
        }
    }
    // `crate::{metrics::{self, Indicator}}` names one module twice on one line.
    out.dedup();
    out
}

/// The `Architecture Invariant: \`a\` never imports \`b\`, …` lines of the
/// notes, as (a, [b, …]).
fn never_imports(notes: &str) -> Vec<(String, Vec<String>)> {
    notes
        .lines()
        .filter_map(|line| {
            let (_, claim) = line.split_once("Architecture Invariant:")?;
            let (subject, forbidden) = claim.split_once(" never imports ")?;
            let subject = backticked(subject).first()?.to_string();
            Some((subject, backticked(forbidden.split(" — ").next().unwrap_or_default()).into_iter().map(str::to_owned).collect()))
        })
        .collect()
}

fn notes() -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("src/lib.rs")).expect("src/lib.rs is readable")
}

#[test]
fn every_module_imports_only_from_lower_floors() {
    let floors = parse_floors(&notes()).unwrap();
    let files = source_files(&Path::new(env!("CARGO_MANIFEST_DIR")).join("src"));
    assert!(files.len() > 50, "found only {} source files", files.len());
    let named: usize = files.iter().filter_map(|(rel, text)| Some(references(&module_of(rel)?.0, text, module_of(rel)?.1).len())).sum();
    assert!(named > 500, "found only {named} module paths: the scanner is blind");
    let found = violations(&floors, &files);
    assert!(found.is_empty(), "imports that do not point down (see the floors in src/lib.rs):\n{}", found.join("\n"));
}

#[test]
fn the_stated_invariants_follow_from_the_floors() {
    let notes = notes();
    let floors = parse_floors(&notes).unwrap();
    let claims = never_imports(&notes);
    assert!(claims.iter().any(|(s, _)| s == "scenario"), "the notes state what `scenario` never imports");
    for (subject, forbidden) in claims {
        let path = |m: &str| m.split("::").map(str::to_owned).collect::<Vec<_>>();
        let (_, own) = floors.unit(&path(&subject)).unwrap_or_else(|| panic!("`{subject}` has no floor"));
        for f in forbidden {
            let (_, theirs) = floors.unit(&path(&f)).unwrap_or_else(|| panic!("`{f}` has no floor"));
            assert!(theirs >= own, "the notes say `{subject}` never imports `{f}`, but `{f}` is on a lower floor");
        }
    }
}

mod checker {
    //! The checker itself must be able to fail.

    use super::*;

    const NOTES: &str = "//! - Floor 0: `params` — data\n//! - Floor 1: `roster` — rows, not `metrics`\n//! - Floor 2: `metrics`\n//! - Floor 3: `roster::synthetic`\n//! - Floor 4: `scenario`, `series`\n//! - Floor 5: `levers`\n//! - Floor 6: `cli`\n";

    fn check(files: &[(&str, &str)]) -> Vec<String> {
        let files: Vec<(String, String)> = files.iter().map(|(p, t)| (p.to_string(), t.to_string())).collect();
        violations(&parse_floors(NOTES).unwrap(), &files)
    }

    #[test]
    fn a_lower_module_naming_a_higher_one_fails() {
        let found = check(&[("scenario/validate.rs", "use crate::params::Sourced;\nfn f() { crate::levers::LEVERS.len(); }")]);
        assert_eq!(found, ["src/scenario/validate.rs:2: `scenario` (floor 4) imports `levers` (floor 5)"]);
        let found = check(&[("scenario/mod.rs", "use crate::series::keys;")]);
        assert_eq!(found, ["src/scenario/mod.rs:1: `scenario` (floor 4) imports `series` (floor 4)"], "one floor may not import itself");
        let found = check(&[("roster/mod.rs", "use crate::{params::Sourced, metrics::{self, Indicator}};")]);
        assert_eq!(found, ["src/roster/mod.rs:1: `roster` (floor 1) imports `metrics` (floor 2)"]);
    }

    #[test]
    fn a_sub_module_has_its_own_floor() {
        assert!(check(&[("roster/synthetic.rs", "use crate::metrics::Standards; use crate::roster::School;")]).is_empty());
        let found = check(&[("roster/csv_io.rs", "use super::synthetic::generate;")]);
        assert_eq!(found, ["src/roster/csv_io.rs:1: `roster` (floor 1) imports `roster::synthetic` (floor 3)"]);
    }

    #[test]
    fn super_that_climbs_out_counts_and_inline_modules_are_followed() {
        let found = check(&[("params.rs", "mod tests {\n use super::*;\n}\nfn f() { super::metrics::x(); }")]);
        assert_eq!(found, ["src/params.rs:4: `params` (floor 0) imports `metrics` (floor 2)"]);
    }

    #[test]
    fn comments_strings_and_chars_are_not_code() {
        let text = "// crate::levers\n/* crate::levers /* nested */ */\nconst A: &str = \"crate::levers {\";\nconst B: &str = r#\"crate::levers \"}\"#;\nconst C: char = '{';\nmod m<'a> {}\n";
        assert!(check(&[("params.rs", text)]).is_empty());
        assert_eq!(check(&[("params.rs", &format!("{text}use crate::levers;"))]).len(), 1);
    }

    #[test]
    fn the_binary_is_checked_through_youjun_paths_only() {
        assert!(check(&[("cli/mod.rs", "use crate::cli::x; use youjun::scenario::Scenario;")]).is_empty());
        assert_eq!(check(&[("main.rs", "use youjun::nowhere;")]), ["src/main.rs:1: `nowhere` names a module with no floor in the notes"]);
    }

    #[test]
    fn an_unlisted_module_fails() {
        assert_eq!(check(&[("newcomer.rs", "")]), ["src/newcomer.rs: module `newcomer` has no floor in the notes"]);
        assert_eq!(check(&[("params.rs", "use crate::newcomer::X;")]), ["src/params.rs:1: `newcomer` names a module with no floor in the notes"]);
    }

    #[test]
    fn floors_must_be_numbered_in_order() {
        assert!(parse_floors("//! - Floor 0: `a`\n//! - Floor 2: `b`\n").is_err());
        assert!(parse_floors("//! - Floor 0: `a`\n//! - Floor 1: `a`\n").is_err());
        assert!(parse_floors("no floors here").is_err());
    }
}
