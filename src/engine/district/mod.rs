//! District modules: the sub-models a district's own plan adds to the core
//! year, each in one file behind one trait, [`District`], and listed once,
//! in [`REGISTERED`]. The engine core (`Model::run`, `State`, the core
//! sub-models and the recorder's core) calls them only through
//! [`Districts`] and names none of them.
//!
//! ## Where a module plugs in
//!
//! | hook                    | when                                               | modules |
//! |-------------------------|----------------------------------------------------|---------|
//! | [`District::adjust_rules`] | once, when a model is bound                     | `urban_rural` (staffing basis), `strong_schools` (its grant replaces the funding one) |
//! | [`District::after_enrollment`] | after enrollment (from `base_year + 1`)     | `merging` |
//! | [`District::rotation_exchanges`] | inside the teachers step, after the core rule's exchanges | `town_country` |
//! | [`District::after_teachers`] | after the teachers step (from `base_year + 1`) | `science`, then `urban_rural` |
//! | [`District::capital_claim`] | inside the funding step, before the capital budget buys the indicators' shortfalls | `facility_upgrades` |
//! | [`District::after_funding`] | after funding (every year)                     | `strong_schools` |
//! | [`District::after_programme`] | after the new-quality programme (every year) | `shared_courses` |
//! | [`District::record`]    | after the core's balance record                    | `merging`, `science`, `urban_rural`, `strong_schools`, `shared_courses` |
//!
//! At each hook the modules run in registration order, which is part of the
//! model: it fixes the order of operations and of random draws.
//!
//! A module off (its scenario section absent) changes nothing and draws
//! nothing, but still records its series (zeros, or the values its
//! comparison has without the programme), so every run has every series.
//!
//! ## Adding a district module
//!
//! 1. One file, `src/engine/district/<name>.rs`: a type holding the module's
//!    state for one run, implementing [`District`] (`start` builds it from the
//!    model; override only the hooks it needs). It reads its scenario section
//!    (`src/scenario/`) and changes the run's [`State`] like any sub-model.
//! 2. One line in [`REGISTERED`] (and its `mod` line below).
//! 3. Its series: entries in `src/series.rs`, written in [`District::record`]
//!    with [`Sheet::put`], at the key's position `key!("…")`. Each row's
//!    figures of the year (enrollment, the seven indicators, teacher need,
//!    an open row's assessment) are on the sheet (`Sheet::rows`), worked
//!    out once by the recorder: read them there rather than again.
//!
//! A hook point the module needs and the trait lacks is a new default
//! method here and one call in the core step where it runs.

pub(super) mod facility_upgrades;
pub(super) mod merging;
pub(super) mod science;
pub(super) mod shared_courses;
pub(super) mod strong_schools;
pub(super) mod town_country;
pub(super) mod urban_rural;

use super::record::Sheet;
use super::teachers::Exchange;
use super::{CoreRules, Draws, Model, State};
use crate::roster::School;
use crate::scenario::Scenario;

/// The district modules, in the order they run at each hook point.
const REGISTERED: &[Registration] = &[
    Registration::of::<merging::Merging>(),
    Registration::of::<town_country::TownCountry>(),
    Registration::of::<science::ScienceTeachers>(),
    Registration::of::<urban_rural::UrbanRural>(),
    Registration::of::<facility_upgrades::FacilityUpgrades>(),
    Registration::of::<strong_schools::StrongSchools>(),
    Registration::of::<shared_courses::SharedCourses>(),
];

/// A district sub-model: its state for one run, and the hooks through which
/// it takes part in the yearly step and the record. Every hook does nothing
/// by default. Hooks are called once a year per module (not per school), so
/// the dynamic dispatch costs nothing on the slider path.
pub(super) trait District: std::fmt::Debug {
    /// The module's state at the start of a run (the base year, before any step).
    fn start(model: &Model) -> Self
    where
        Self: Sized;

    /// Changes the core sub-models' rules, once, when a model is bound.
    fn adjust_rules(_scenario: &Scenario, _rules: &mut CoreRules)
    where
        Self: Sized,
    {
    }

    /// After enrollment has moved the cohorts and taken the new intake.
    fn after_enrollment(&mut self, _model: &Model, _state: &mut State, _year: i32, _draws: &mut Draws) {}

    /// Exchanges to add to the year's teacher rotation, after those of the
    /// core rotation rule: `(donors, recipients)` with a cap on the net
    /// backbone flow (`f64::INFINITY` for none). `eligible` is each row's
    /// teachers eligible to rotate.
    fn rotation_exchanges(&self, _model: &Model, _rows: &[School], _eligible: &[f64], _out: &mut Vec<(Exchange, f64)>) {}

    /// After the teachers step (attrition, reserve, hiring, promotions, rotation).
    fn after_teachers(&mut self, _model: &Model, _state: &mut State, _year: i32, _draws: &mut Draws) {}

    /// Yuan the module spends first out of `year`'s capital budget, before
    /// the rest buys the indicators' shortfalls (the claim is capped at the
    /// budget); `None` when it claims nothing.
    fn capital_claim(&self, _model: &Model, _year: i32) -> Option<f64> {
        None
    }

    /// After the funding step (spending, building, equipment).
    fn after_funding(&mut self, _model: &Model, _state: &mut State, _year: i32, _draws: &mut Draws) {}

    /// After the new-quality programme's year.
    fn after_programme(&mut self, _model: &Model, _state: &mut State, _year: i32, _draws: &mut Draws) {}

    /// Writes the module's series for `year` into `sheet`, after the core's
    /// balance record of the same state.
    fn record(&self, _model: &Model, _state: &State, _year: i32, _sheet: &mut Sheet) {}
}

/// One entry of the registration list: a module's rule changes and its
/// start, as plain functions, so the list can be a constant.
struct Registration {
    adjust_rules: fn(&Scenario, &mut CoreRules),
    start: fn(&Model) -> Box<dyn District>,
}

impl Registration {
    const fn of<D: District + 'static>() -> Registration {
        Registration { adjust_rules: D::adjust_rules, start: start::<D> }
    }
}

fn start<D: District + 'static>(model: &Model) -> Box<dyn District> {
    Box::new(D::start(model))
}

/// The district modules of one run, each with its state, in registration
/// order. The core calls each hook through this list.
#[derive(Debug)]
pub(super) struct Districts {
    modules: Vec<Box<dyn District>>,
}

impl Districts {
    /// The core's own rules with every module's changes (for `Model::new`).
    pub(super) fn rules(scenario: &Scenario) -> CoreRules {
        let mut rules = CoreRules::core(scenario);
        for r in REGISTERED {
            (r.adjust_rules)(scenario, &mut rules);
        }
        rules
    }

    /// Every registered module at the start of a run of `model`.
    pub(super) fn start(model: &Model) -> Districts {
        Districts { modules: REGISTERED.iter().map(|r| (r.start)(model)).collect() }
    }

    /// A list of chosen modules (tests that set up a module's state by hand).
    #[cfg(test)]
    pub(super) fn of(modules: Vec<Box<dyn District>>) -> Districts {
        Districts { modules }
    }

    /// Every module's [`District::after_enrollment`], in registration order.
    pub(super) fn after_enrollment(&mut self, model: &Model, state: &mut State, year: i32, draws: &mut Draws) {
        for m in &mut self.modules {
            m.after_enrollment(model, state, year, draws);
        }
    }

    /// Every module's [`District::rotation_exchanges`], in registration order.
    pub(super) fn rotation_exchanges(&self, model: &Model, rows: &[School], eligible: &[f64], out: &mut Vec<(Exchange, f64)>) {
        for m in &self.modules {
            m.rotation_exchanges(model, rows, eligible, out);
        }
    }

    /// Every module's [`District::after_teachers`], in registration order.
    pub(super) fn after_teachers(&mut self, model: &Model, state: &mut State, year: i32, draws: &mut Draws) {
        for m in &mut self.modules {
            m.after_teachers(model, state, year, draws);
        }
    }

    /// The modules' claims on `year`'s capital budget, summed; `None` when
    /// none claims anything.
    pub(super) fn capital_claim(&self, model: &Model, year: i32) -> Option<f64> {
        self.modules.iter().filter_map(|m| m.capital_claim(model, year)).reduce(|a, b| a + b)
    }

    /// Every module's [`District::after_funding`], in registration order.
    pub(super) fn after_funding(&mut self, model: &Model, state: &mut State, year: i32, draws: &mut Draws) {
        for m in &mut self.modules {
            m.after_funding(model, state, year, draws);
        }
    }

    /// Every module's [`District::after_programme`], in registration order.
    pub(super) fn after_programme(&mut self, model: &Model, state: &mut State, year: i32, draws: &mut Draws) {
        for m in &mut self.modules {
            m.after_programme(model, state, year, draws);
        }
    }

    /// Every module's [`District::record`], in registration order.
    pub(super) fn record(&self, model: &Model, state: &State, year: i32, sheet: &mut Sheet) {
        for m in &self.modules {
            m.record(model, state, year, sheet);
        }
    }
}

#[cfg(test)]
mod tests;
