//! `[[new_schools]]` and `[[housing]]` (issue 16; seeds 002 §四(一)1–2 and
//! 004 §28): dated new schools or expansions, and new housing by 学区/集团.
//! Both are optional; without them the engine behaves exactly as before.

use serde::{Deserialize, Serialize};

use super::validate::Checker;
use super::Scenario;
use crate::message::{Problem, Text};
use crate::roster::Level;

/// A school that opens (or a new campus of one) in `opening_year` with
/// `seats` places, in an existing 学区/集团. It takes its share of the group's
/// entry grade by seats and is staffed from the reserve first, then by hiring.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewSchool {
    /// Its school code, not already a row of the same level in the roster.
    pub id: String,
    /// Its name as shown in tables and charts.
    pub name: String,
    /// `primary` or `junior`.
    pub level: Level,
    /// The 学区/集团 it opens in (a `district_group` of the roster).
    pub group: String,
    /// The school year it first takes pupils (after the base year, inside the horizon).
    pub opening_year: i32,
    /// Places (学位), 30–5,000.
    pub seats: f64,
    /// Where the school and its figures come from.
    pub source: String,
}

/// New housing delivered to a 学区/集团 in `year`: `households` homes with
/// `primary_per_100` primary and `junior_per_100` junior pupils per 100 homes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GroupHousing {
    /// The 学区/集团 receiving the pupils (a `district_group` of the roster).
    pub group: String,
    /// The school year the homes are occupied (after the base year, inside the horizon).
    pub year: i32,
    /// Homes delivered, 0–100,000.
    pub households: f64,
    /// Primary pupils per 100 homes, 0–100.
    pub primary_per_100: f64,
    /// Junior pupils per 100 homes, 0–100.
    pub junior_per_100: f64,
    /// Where the figures come from (a housing plan, or an estimate's reasoning).
    pub source: String,
}

impl GroupHousing {
    /// Primary pupils the homes hold once occupied.
    pub fn primary_pupils(&self) -> f64 {
        self.households * self.primary_per_100 / 100.0
    }

    /// Junior pupils the homes hold once occupied.
    pub fn junior_pupils(&self) -> f64 {
        self.households * self.junior_per_100 / 100.0
    }
}

/// Ranges and required text of both lists; that each group and id fits the
/// roster is checked when the scenario is bound to it (`Model::new`).
pub(super) fn validate(s: &Scenario, c: &mut Checker) {
    let (first, last) = (s.scenario.base_year + 1, s.scenario.end_year);
    let year_in = |c: &mut Checker, path: String, y: i32| {
        if y < first || y > last {
            let allowed = Text::new(format!("{first}–{last}（基年之后、规划期内）"), format!("{first}–{last} (after the base year, inside the horizon)"));
            c.add(Problem::field(path, Text::new("年份不在规划期内", "year outside the horizon")).allowed(allowed).found(y.to_string()));
        }
    };
    let text_in = |c: &mut Checker, path: String, v: &str| {
        if v.trim().is_empty() {
            c.push(&path, Text::new("不得为空", "must not be empty"));
        }
    };
    let mut ids = std::collections::BTreeSet::new();
    for (k, n) in s.new_schools.iter().enumerate() {
        let at = |f: &str| format!("new_schools[{k}].{f}");
        text_in(c, at("id"), &n.id);
        text_in(c, at("name"), &n.name);
        text_in(c, at("group"), &n.group);
        if !ids.insert((n.id.as_str(), n.level)) {
            c.push_found(&at("id"), Text::new("新建学校编号重复（同一学段）", "duplicate new school id at the same level"), &n.id);
        }
        year_in(c, at("opening_year"), n.opening_year);
        c.bounded(&at("seats"), n.seats, super::ranges::Bounds::whole(30.0, 5000.0));
        c.source(&format!("new_schools[{k}]"), &n.source);
    }
    for (k, h) in s.housing.iter().enumerate() {
        let at = |f: &str| format!("housing[{k}].{f}");
        text_in(c, at("group"), &h.group);
        year_in(c, at("year"), h.year);
        c.bounded(&at("households"), h.households, super::ranges::Bounds::whole(0.0, 100_000.0));
        c.range(&at("primary_per_100"), h.primary_per_100, 0.0, 100.0);
        c.range(&at("junior_per_100"), h.junior_per_100, 0.0, 100.0);
        c.source(&format!("housing[{k}]"), &h.source);
    }
}
