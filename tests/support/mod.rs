//! Helpers shared by the native integration tests.
#![allow(dead_code)]

use std::path::PathBuf;

/// Compares `actual` with `tests/golden/NAME`; `UPDATE_GOLDEN=1` rewrites it.
pub fn check_golden(name: &str, actual: &str) {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/golden").join(name);
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(&path, actual).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{}: {e}; run with UPDATE_GOLDEN=1 to create it", path.display()));
    assert!(expected == actual, "{} differs from the output; run with UPDATE_GOLDEN=1 if the change is intended", path.display());
}
