//! Parameters of the seed-004 (Chongming) features: merging schools that are
//! too small (撤并规模过小的学校, §28), the science-teacher minimum (§7) and the
//! facility upgrades (§27). Each section is optional; absent, the engine
//! behaves exactly as without it.

use serde::{Deserialize, Serialize};

use super::validate::Checker;
use super::Scenario;
use crate::message::Text;
use crate::params::Sourced;

/// `[merging]`: a school row whose enrollment stays below its level's
/// minimum for `consecutive_years` years merges into another school of the
/// same level, from `from_year`, at most `max_per_year` merges a year.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MergingParams {
    /// Primary rows with fewer pupils than this are too small (seed 004 §28
    /// names no size).
    pub min_students_primary: Sourced<f64>,
    /// Junior rows with fewer pupils than this are too small.
    pub min_students_junior: Sourced<f64>,
    /// Years in a row below the minimum (the base year counts) before a merge.
    pub consecutive_years: Sourced<f64>,
    /// First school year in which merges take effect.
    pub from_year: Sourced<i32>,
    /// At most this many merges a year.
    pub max_per_year: Sourced<f64>,
}

impl MergingParams {
    /// The size below which a row of `level` is too small, in pupils.
    pub fn min_students(&self, level: crate::roster::Level) -> f64 {
        match level {
            crate::roster::Level::Primary => self.min_students_primary.value,
            crate::roster::Level::Junior => self.min_students_junior.value,
        }
    }
}

/// `[science_teachers]`: every school at least `min_per_school` science
/// teachers (专(兼)职科学教师), schools under `small_school_students` at least
/// `min_small_school`; shortages are filled from the district reserve, then
/// by hiring within the year's cap.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScienceParams {
    /// Science teachers every school must have (seed 004 §7: 2).
    pub min_per_school: Sourced<f64>,
    /// Science teachers a small school must have (seed 004 §7: 1).
    pub min_small_school: Sourced<f64>,
    /// Schools with fewer pupils than this count as small.
    pub small_school_students: Sourced<f64>,
}

impl ScienceParams {
    /// The minimum for a school of `students` pupils.
    pub fn minimum(&self, students: f64) -> f64 {
        if students < self.small_school_students.value {
            self.min_small_school.value
        } else {
            self.min_per_school.value
        }
    }
}

/// `[facility_upgrades]`: `sites` teaching sites in `schools` schools
/// upgraded in `year` (air-conditioning circuits, toilets). None of the seven
/// indicators changes; the cost comes first out of that year's capital
/// budget, leaving less for the indicators.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FacilityUpgrades {
    /// Schools upgraded (seed 004 §27: 32).
    pub schools: Sourced<f64>,
    /// Teaching sites upgraded (seed 004 §27: 42); the cost is per site.
    pub sites: Sourced<f64>,
    /// The year the upgrades are paid for.
    pub year: Sourced<i32>,
    /// Cost of upgrading one site, yuan.
    pub cost_per_site_yuan: Sourced<f64>,
}

impl FacilityUpgrades {
    /// Yuan spent on the upgrades in `year`.
    pub fn cost_in(&self, year: i32) -> f64 {
        if year == self.year.value {
            self.sites.value * self.cost_per_site_yuan.value
        } else {
            0.0
        }
    }
}

/// Range checks of the three sections, each naming its field path.
pub(super) fn validate(s: &Scenario, c: &mut Checker) {
    let years = (f64::from(s.scenario.base_year), f64::from(s.scenario.end_year));
    if let Some(m) = &s.merging {
        c.sourced("merging.min_students_primary", &m.min_students_primary, 0.0, 2000.0);
        c.sourced("merging.min_students_junior", &m.min_students_junior, 0.0, 2000.0);
        c.sourced_whole("merging.consecutive_years", m.consecutive_years.value, &m.consecutive_years.source, 1.0, 10.0);
        c.sourced_whole("merging.from_year", f64::from(m.from_year.value), &m.from_year.source, years.0 + 1.0, years.1);
        c.sourced_whole("merging.max_per_year", m.max_per_year.value, &m.max_per_year.source, 0.0, 100.0);
    }
    if let Some(sc) = &s.science_teachers {
        c.sourced("science_teachers.min_per_school", &sc.min_per_school, 0.0, 20.0);
        c.sourced("science_teachers.min_small_school", &sc.min_small_school, 0.0, 20.0);
        c.sourced("science_teachers.small_school_students", &sc.small_school_students, 0.0, 2000.0);
        if sc.min_small_school.value > sc.min_per_school.value {
            c.push("science_teachers.min_small_school.value", Text::new("不得大于 min_per_school", "must not exceed min_per_school"));
        }
    }
    if let Some(f) = &s.facility_upgrades {
        c.sourced_whole("facility_upgrades.schools", f.schools.value, &f.schools.source, 0.0, 10_000.0);
        c.sourced_whole("facility_upgrades.sites", f.sites.value, &f.sites.source, 0.0, 10_000.0);
        c.sourced_whole("facility_upgrades.year", f64::from(f.year.value), &f.year.source, years.0, years.1);
        c.sourced("facility_upgrades.cost_per_site_yuan", &f.cost_per_site_yuan, 0.0, 1e9);
        if f.sites.value < f.schools.value {
            c.push("facility_upgrades.sites.value", Text::new("教学点数不得少于学校数", "sites must be at least the schools"));
        }
    }
}

/// Merging for tests: from 2025, rows below `min_primary` / `min_junior`
/// pupils for `years` years close, at most `max_per_year` a year.
#[cfg(test)]
pub(crate) fn test_merging(min_primary: f64, min_junior: f64, years: f64, max_per_year: f64) -> MergingParams {
    let e = |v: f64| Sourced::assumed(v, "test");
    MergingParams {
        min_students_primary: e(min_primary),
        min_students_junior: e(min_junior),
        consecutive_years: e(years),
        from_year: Sourced::assumed(2025, "test"),
        max_per_year: e(max_per_year),
    }
}
