//! Facility upgrades (seed 004 `004_816103a023935f01.txt` §27: air-conditioning
//! circuits and toilets at teaching sites), when the scenario has a
//! `[facility_upgrades]` section: in the section's year their cost comes first
//! out of the capital budget (at most the whole budget), leaving less for the
//! indicators' shortfalls. None of the seven indicators changes, and the
//! upgrades count in `spend_capital_yuan`.

use super::District;
use crate::engine::Model;

/// The facility upgrades (no state of their own).
#[derive(Debug, Clone, Copy)]
pub(super) struct FacilityUpgrades;

impl District for FacilityUpgrades {
    fn start(_model: &Model) -> FacilityUpgrades {
        FacilityUpgrades
    }

    fn capital_claim(&self, model: &Model, year: i32) -> Option<f64> {
        model.scenario.facility_upgrades.as_ref().map(|u| u.cost_in(year))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::tests::tiny_scenario;
    use crate::params::{Sourced, Yearly};

    /// The tiny district with a capital budget of 1,000,000 yuan a year.
    fn model(upgrades: Option<(f64, f64)>, budget_2025: f64) -> Model {
        let (mut s, r) = tiny_scenario();
        s.funding.capital_budget_yuan = Yearly::new(&[(2024, 1e6), (2025, budget_2025), (2026, 1e6)], "test", true);
        s.facility_upgrades = upgrades.map(|(sites, cost)| crate::scenario::FacilityUpgrades {
            schools: Sourced::assumed(1.0, "test"),
            sites: Sourced::assumed(sites, "test"),
            year: Sourced::assumed(2025, "test"),
            cost_per_site_yuan: Sourced::assumed(cost, "test"),
        });
        Model::new(s, r).expect("valid")
    }

    #[test]
    fn the_claim_is_the_upgrades_cost_in_their_year_only() {
        let m = model(Some((4.0, 150_000.0)), 1e6);
        let d = FacilityUpgrades::start(&m);
        assert_eq!(d.capital_claim(&m, 2025), Some(600_000.0));
        assert_eq!(d.capital_claim(&m, 2026), Some(0.0));
        let without = model(None, 1e6);
        assert_eq!(FacilityUpgrades::start(&without).capital_claim(&without, 2025), None);
    }

    #[test]
    fn upgrades_costing_the_whole_budget_leave_nothing_for_the_indicators() {
        // 1,200,000 yuan of upgrades against a 1,000,000 budget: the schools
        // get exactly what a year without a capital budget gives them, yet
        // the whole budget is spent.
        let upgraded = model(Some((4.0, 300_000.0)), 1e6).run_central();
        let no_budget = model(None, 0.0).run_central();
        assert_eq!(upgraded.schools, no_budget.schools);
        assert_eq!(upgraded.value("spend_capital_yuan", 2025), Some(1e6));
        assert_eq!(no_budget.value("spend_capital_yuan", 2025), Some(0.0));
        // Other years are untouched.
        assert_eq!(upgraded.value("spend_capital_yuan", 2026), Some(1e6));
    }
}
