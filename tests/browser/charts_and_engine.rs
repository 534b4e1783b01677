//! The chart draws onto a real canvas, the wasm build draws the same SVG
//! elements and text as the native build, and the engine's key outputs equal
//! the native golden files byte for byte.
//!
//! Coordinates are not compared: on wasm32 Plotters measures text with the
//! browser's fonts, natively with a fixed estimate, so the plot area shifts by
//! a few pixels. What is drawn, and every label, must match exactly.

use plotters::prelude::IntoDrawingArea;
use plotters_canvas::CanvasBackend;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement};
use youjun::chart::{draw_new_quality_trajectory, NewQualityChart};
use youjun::plan::pudong_new_quality_schools;

use crate::support::{builtin_model, key_outputs_json, new_quality_svg, NEW_QUALITY_SIZE};

fn canvas(width: u32, height: u32) -> HtmlCanvasElement {
    let document = web_sys::window().unwrap().document().unwrap();
    let canvas: HtmlCanvasElement = document.create_element("canvas").unwrap().dyn_into().unwrap();
    canvas.set_width(width);
    canvas.set_height(height);
    document.body().unwrap().append_child(&canvas).unwrap();
    canvas
}

fn pixels(canvas: &HtmlCanvasElement) -> Vec<u8> {
    let ctx: CanvasRenderingContext2d = canvas.get_context("2d").unwrap().unwrap().dyn_into().unwrap();
    ctx.get_image_data(0.0, 0.0, canvas.width() as f64, canvas.height() as f64).unwrap().data().0
}

fn draw(canvas: &HtmlCanvasElement, gain: f64) {
    let plan = pudong_new_quality_schools();
    let chart = NewQualityChart { plan: &plan, yearly_gain: gain, last_year: 2028 };
    let area = CanvasBackend::with_canvas_object(canvas.clone()).unwrap().into_drawing_area();
    draw_new_quality_trajectory(&area, &chart).unwrap();
}

#[wasm_bindgen_test]
fn chart_draws_on_a_canvas_and_follows_the_gain() {
    let c = canvas(NEW_QUALITY_SIZE.0, NEW_QUALITY_SIZE.1);
    let blank = pixels(&c);
    draw(&c, 22.0);
    let at_22 = pixels(&c);
    assert_ne!(blank, at_22, "drawing left the canvas blank");
    draw(&c, 10.0);
    assert_ne!(at_22, pixels(&c), "a different gain drew the same picture");
}

/// Each SVG element's tag, with the text of `<text>` elements, in drawing order.
fn drawn_elements(svg: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = svg;
    while let Some(start) = rest.find('<') {
        rest = &rest[start + 1..];
        let tag: String = rest.chars().take_while(|c| c.is_ascii_alphabetic()).collect();
        if tag.is_empty() {
            continue;
        }
        if tag == "text" {
            let body_start = rest.find('>').unwrap() + 1;
            let body_end = rest.find("</text>").unwrap();
            out.push(format!("text:{}", rest[body_start..body_end].trim()));
        } else {
            out.push(tag);
        }
    }
    out
}

#[wasm_bindgen_test]
fn wasm_svg_draws_what_the_native_golden_draws() {
    let golden = drawn_elements(include_str!("../golden/new_quality_gain22.svg"));
    assert!(golden.len() > 100, "golden SVG parsed to too few elements");
    assert_eq!(drawn_elements(&new_quality_svg(22.0)), golden);
}

/// The synthetic Pudong roster is the same on wasm32 as natively: the same
/// FNV-1a digest of its JSON as `roster::synthetic::tests::pudong_roster_is_pinned`.
#[wasm_bindgen_test]
fn synthetic_roster_matches_the_native_build() {
    let roster = youjun::roster::synthetic::generate(&youjun::roster::synthetic::pudong_spec()).unwrap();
    let json = serde_json::to_string(&roster).unwrap();
    let digest = json.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3));
    assert_eq!(digest, 1_431_662_840_915_345_019);
}

/// Every built-in scenario's key outputs, central and from a 200-run Monte
/// Carlo, computed in Chromium, equal the native golden files byte for byte:
/// the engine is bit-identical on wasm32 and x86_64.
#[wasm_bindgen_test]
fn every_scenarios_key_outputs_equal_the_native_golden() {
    use youjun::scenario::builtin::BUILTIN;
    // `(id, the golden file of its key outputs)`: the file name is built from the id.
    macro_rules! golden {
        ($id:literal) => {
            ($id, include_str!(concat!("../golden/", $id, "-key-outputs.json")))
        };
    }
    let goldens = [
        golden!("pudong-2024"),
        golden!("putuo-strong-junior"),
        golden!("baoshan-urban-rural"),
        golden!("minhang-hongqiao-district"),
        golden!("chongming-rural-island"),
    ];
    assert_eq!(goldens.len(), BUILTIN.len(), "a golden file for every built-in scenario");
    for (id, golden) in goldens {
        assert_eq!(key_outputs_json(&builtin_model(id)), golden, "{id}");
    }
}
