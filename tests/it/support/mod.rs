//! Helpers shared by the native integration tests: the one golden-file
//! check, the `youjun` binary, and paths into the repository.

mod portable;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub use portable::*;

/// `relative` (a path from the repository root) as an absolute path.
pub fn repo_path(relative: impl AsRef<Path>) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(relative)
}

/// The fixture `tests/data/NAME`.
pub fn test_data(name: &str) -> PathBuf {
    repo_path("tests/data").join(name)
}

/// Compares `actual` byte for byte with the committed file `tests/PATH`
/// (a golden output under `golden/` or a generated fixture under `data/`),
/// and panics naming the first line that differs.
///
/// With `UPDATE_GOLDEN` set in the environment it writes `actual` there
/// instead, to accept a deliberate change: `UPDATE_GOLDEN=1 cargo test --test
/// it`, then review the diff.
pub fn check_golden(path: &str, actual: impl AsRef<[u8]>) {
    let actual = actual.as_ref();
    let file = repo_path("tests").join(path);
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(&file, actual).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        return;
    }
    let expected = std::fs::read(&file)
        .unwrap_or_else(|e| panic!("{}: {e}; run with UPDATE_GOLDEN=1 to create it", file.display()));
    if let Some(difference) = first_difference(&expected, actual) {
        panic!("{} differs from the output (run with UPDATE_GOLDEN=1 if the change is intended), first at {difference}", file.display());
    }
}

/// Where `actual` first departs from `expected`: the line number and both
/// versions of that line, or `None` when the bytes are equal.
fn first_difference(expected: &[u8], actual: &[u8]) -> Option<String> {
    if expected == actual {
        return None;
    }
    let at = expected.iter().zip(actual).take_while(|(e, a)| e == a).count();
    let line_start = expected[..at].iter().rposition(|b| *b == b'\n').map_or(0, |i| i + 1);
    let line = |bytes: &[u8]| {
        let rest = &bytes[line_start.min(bytes.len())..];
        let end = rest.iter().position(|b| *b == b'\n').unwrap_or(rest.len());
        let text = String::from_utf8_lossy(&rest[..end]);
        // SVG lines can be long; the start of the difference is enough to find it.
        text.chars().take(200).collect::<String>()
    };
    let number = expected[..at].iter().filter(|b| **b == b'\n').count() + 1;
    Some(format!(
        "line {number} ({} bytes expected, {} written)\n  expected: {}\n  actual:   {}",
        expected.len(),
        actual.len(),
        line(expected),
        line(actual)
    ))
}

/// Runs the `youjun` binary from the repository root.
pub fn youjun(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_youjun")).args(args).current_dir(env!("CARGO_MANIFEST_DIR")).output().expect("run youjun")
}

/// What a run of `youjun` printed on stdout, as text.
pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// What a run of `youjun` printed on stderr, as text.
pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// An empty scratch directory for the test called `name` (unique within
/// the test binary, which runs every test in one process).
pub fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("youjun-test-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn first_difference_names_the_line_and_both_versions() {
    assert_eq!(first_difference(b"a\nb\n", b"a\nb\n"), None);
    let d = first_difference(b"one\ntwo\nthree\n", b"one\ntwo!\nthree\n").unwrap();
    assert!(d.starts_with("line 2 (14 bytes expected, 15 written)"), "{d}");
    assert!(d.contains("expected: two\n") && d.ends_with("actual:   two!"), "{d}");
    // One is a prefix of the other: the difference is where the shorter ends.
    let d = first_difference(b"one\n", b"one\ntwo").unwrap();
    assert!(d.starts_with("line 2 ") && d.contains("expected: \n") && d.ends_with("actual:   two"), "{d}");
}
