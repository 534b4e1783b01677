//! The architecture notes' invariant "the engine core names no district",
//! checked on the source, and the registration list against the files.

use std::path::{Path, PathBuf};

fn engine_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src/engine")
}

/// The `.rs` files directly in `dir`, sorted.
fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("the engine's source is readable")
        .map(|e| e.expect("a directory entry").path())
        .filter(|p| p.is_file() && p.extension().is_some_and(|x| x == "rs"))
        .collect();
    files.sort();
    files
}

/// The district modules: every file in `district/` but this module's own.
fn district_modules() -> Vec<String> {
    rust_files(&engine_dir().join("district"))
        .iter()
        .map(|p| p.file_stem().unwrap().to_string_lossy().into_owned())
        .filter(|m| m != "mod" && m != "tests")
        .collect()
}

/// A file's code: the text before its tests, each line without its comment.
fn code(text: &str) -> String {
    let before_tests = text.split("#[cfg(test)]").next().unwrap_or("");
    before_tests.lines().map(|l| l.split("//").next().unwrap_or("")).collect::<Vec<_>>().join("\n")
}

/// What naming a district in code looks like: its module path, its
/// scenario section, and the rules only a district module implements.
fn district_names() -> Vec<String> {
    let mut names: Vec<String> = district_modules().iter().flat_map(|m| [format!("{m}::"), format!("scenario.{m}")]).collect();
    // Sections and rules named otherwise than their module.
    names.extend(["scenario.science_teachers", "RotationRule::TownCountry", "StaffingBasis"].map(String::from));
    names
}

/// The names of `district_names` that `text`'s code contains.
fn named_in(text: &str) -> Vec<String> {
    let code = code(text);
    district_names().into_iter().filter(|n| code.contains(n.as_str())).collect()
}

#[test]
fn the_engine_core_names_no_district() {
    let modules = district_modules();
    assert!(modules.len() >= 7, "district modules found: {modules:?}");
    // The core: every file directly in src/engine but the core's tests.
    let core: Vec<PathBuf> = rust_files(&engine_dir()).into_iter().filter(|p| !p.ends_with("tests.rs")).collect();
    assert!(core.iter().any(|p| p.ends_with("mod.rs")) && core.iter().any(|p| p.ends_with("record.rs")));
    for file in &core {
        let text = std::fs::read_to_string(file).expect("readable");
        let named = named_in(&text);
        assert!(named.is_empty(), "{} names district modules: {named:?}", file.display());
    }
}

#[test]
fn the_check_sees_a_district_named_in_code_but_not_in_comments_or_tests() {
    assert_eq!(named_in("let x = state.y; // seed 004 merging::step\n"), Vec::<String>::new());
    assert_eq!(named_in("merging::step(model, state);"), ["merging::"]);
    assert_eq!(named_in("if model.scenario.strong_schools.is_some() {}"), ["scenario.strong_schools"]);
    assert_eq!(named_in("fn f() {}\n#[cfg(test)]\nmod tests { use super::urban_rural::x; }"), Vec::<String>::new());
}

#[test]
fn every_district_module_is_registered_once() {
    let list = std::fs::read_to_string(engine_dir().join("district/mod.rs")).expect("readable");
    let list = code(&list);
    for m in district_modules() {
        let lines = list.matches(&format!("Registration::of::<{m}::")).count();
        assert_eq!(lines, 1, "`{m}` should have one line in REGISTERED");
    }
    assert_eq!(super::REGISTERED.len(), district_modules().len());
}
