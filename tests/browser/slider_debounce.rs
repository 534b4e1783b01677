//! Which edits make the Monte Carlo wait (the page's debounce): only a
//! slider being dragged, where more steps follow within milliseconds.
//! Letting it go, a typed number, a reset or any other edit is final, so its
//! Monte Carlo starts at once (`Workspace::sliding`, read by `src/ui/app.rs`).

use std::rc::Rc;
use wasm_bindgen_test::*;
use yew::Reducible;
use youjun::ui::state::{Action, Workspace};

const LEVER: &str = "teachers.rotation_share";

#[wasm_bindgen_test]
fn only_a_dragged_slider_waits() {
    let w = Rc::new(Workspace::new("pudong-2024").unwrap());
    assert!(!w.sliding, "a workspace just opened waits for nothing");
    let base = w.generation;

    let w = w.reduce(Action::Slide(LEVER, 0.3));
    assert_eq!(w.generation, base + 1, "a slider step is an edit");
    assert!(w.sliding);
    let w = w.reduce(Action::Slide(LEVER, 0.31));
    assert!(w.sliding);

    let w = w.reduce(Action::SetLever(LEVER, 0.32));
    assert_eq!(w.generation, base + 3);
    assert!(!w.sliding, "a typed number starts the Monte Carlo at once");

    // Letting the slider go where the last step left it ends the wait
    // without a new edit; at another value it is an edit of its own.
    let w = w.reduce(Action::Slide(LEVER, 0.35));
    let g = w.generation;
    let run = w.run.clone();
    let w = w.reduce(Action::SlideEnd(LEVER, 0.35));
    assert!(!w.sliding, "a slider let go starts the Monte Carlo at once");
    assert_eq!(w.generation, g, "the same value is not a new edit");
    assert!(Rc::ptr_eq(&w.run, &run), "nor is the central run done again");
    let w = w.reduce(Action::Slide(LEVER, 0.36)).reduce(Action::SlideEnd(LEVER, 0.37));
    assert_eq!(w.generation, g + 2);
    assert!(!w.sliding);
    assert_eq!(youjun::levers::lever(LEVER).unwrap().get(&w.current.scenario).unwrap().value, 0.37);

    let w = w.reduce(Action::Slide(LEVER, 0.33)).reduce(Action::ResetLever(LEVER));
    assert!(!w.sliding, "a reset is final too");

    // A refused step changes nothing, and leaves the last edit's kind.
    let w = w.reduce(Action::Slide(LEVER, 0.34));
    let g = w.generation;
    let w = w.reduce(Action::Slide(LEVER, 7.0));
    assert_eq!(w.generation, g);
    assert!(w.error.is_some(), "7 is outside the lever's range");
}
