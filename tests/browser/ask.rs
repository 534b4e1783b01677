//! Goal-seek, sensitivity and attribution in Chromium (the page runs them
//! in a web worker): the same answers as the native golden file, byte for
//! byte (`tests/it/ask.rs` checks it natively).

use wasm_bindgen_test::*;

#[path = "../it/ask/portable.rs"]
mod portable;

const GOLDEN_TEXT: &str = include_str!("../golden/pudong-ask.json");

#[wasm_bindgen_test]
fn the_answers_are_the_native_golden_files() {
    assert!(portable::GOLDEN.ends_with("pudong-ask.json"), "the embedded file is {}", portable::GOLDEN);
    assert_eq!(portable::pudong_answers_json(), GOLDEN_TEXT);
}
