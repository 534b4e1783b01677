//! The worker pool's Monte Carlo in Chromium: the runs cut as one, two and
//! three workers would cut them, each slice through its wire form and a real
//! transfer (`structuredClone` with the buffer transferred, as `postMessage`
//! does between a worker and the page), merged, equal the native golden file
//! byte for byte (`tests/it/monte_carlo_slices.rs` checks it natively).

use js_sys::{Array, Float64Array, Function, Object, Reflect};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::*;
use youjun::engine::montecarlo::{run_slice, Slice};

use crate::support::builtin_model;

#[path = "../it/monte_carlo_slices/portable.rs"]
mod portable;

use portable::*;

const GOLDEN_TEXT: &str = include_str!("../golden/minhang-hongqiao-district-monte-carlo.json");

#[wasm_bindgen_test]
fn one_two_and_three_workers_give_the_native_golden_summary() {
    assert!(GOLDEN.ends_with("minhang-hongqiao-district-monte-carlo.json"), "the embedded file is {GOLDEN}");
    let m = builtin_model(SCENARIO);
    assert_eq!(summary_json(&cli_summary(&m)), GOLDEN_TEXT, "one run after another");
    for workers in 1..=3 {
        assert_eq!(summary_json(&pooled_summary(&m, workers)), GOLDEN_TEXT, "{workers} worker(s)");
    }
}

/// `array` after the trip a worker's answer takes: structured-cloned with
/// its buffer transferred (the sender's copy is left empty).
fn transferred(array: &Float64Array) -> Float64Array {
    let global = js_sys::global();
    let clone: Function = Reflect::get(&global, &"structuredClone".into()).unwrap().dyn_into().unwrap();
    let options = Object::new();
    Reflect::set(&options, &"transfer".into(), &Array::of1(&array.buffer())).unwrap();
    let back: Float64Array = clone.call2(&JsValue::NULL, array, &options).unwrap().dyn_into().unwrap();
    assert_eq!(array.length(), 0, "the buffer was moved, not copied");
    back
}

#[wasm_bindgen_test]
fn a_slice_crosses_a_transfer_bit_for_bit() {
    let m = builtin_model(SCENARIO);
    let mut wire = run_slice(&m, m.scenario.scenario.seed, 3..9, |_| {}).to_wire();
    // An undefined value (a CV with no pupils) is a NaN; it must arrive as one.
    let last_value = wire.len() - 1 - 6 * m.scenario.targets.len();
    wire[last_value] = f64::NAN;
    let back = transferred(&Float64Array::from(wire.as_slice())).to_vec();
    let bits = |w: &[f64]| w.iter().map(|v| v.to_bits()).collect::<Vec<_>>();
    assert_eq!(bits(&back), bits(&wire));
    let slice = Slice::from_wire(&back).unwrap();
    assert_eq!((slice.start(), slice.end()), (3, 9));
}
