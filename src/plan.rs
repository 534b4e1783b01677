//! Dated targets published in the seed documents, each with its citation.
//!
//! These are data, not code paths: the engine and the charts read them, and
//! a scenario file can replace them.

use serde::{Deserialize, Serialize};

/// Where a number came from: a seed document and its article, or a public standard.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Citation {
    /// Seed file name (e.g. `000_9ddd49f59424de77.txt`) or the standard's document number.
    pub document: String,
    /// Article or table inside the document, e.g. `附件2`.
    pub article: String,
}

impl Citation {
    /// The citation of `article` in `document`.
    pub fn new(document: &str, article: &str) -> Self {
        Citation { document: document.to_owned(), article: article.to_owned() }
    }
}

impl std::fmt::Display for Citation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {}", self.document, self.article)
    }
}

/// One dated target value.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Milestone {
    /// The year the target is set for.
    pub year: i32,
    /// The target, in the plan's unit (for [`pudong_new_quality_schools`], a
    /// number of schools).
    pub value: f64,
    /// The document and article that set the target.
    pub source: Citation,
}

/// A count that a plan grows from a starting value through dated milestones.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GrowthPlan {
    /// The year the starting value describes (the plan's base).
    pub start_year: i32,
    /// The value in `start_year`, in the milestones' unit.
    pub start_value: f64,
    /// Where the starting value is stated.
    pub start_source: Citation,
    /// The dated targets, each with the article that sets it.
    pub milestones: Vec<Milestone>,
}

/// The seed file of Pudong's new-quality schools plan (浦教义〔2024〕6号,
/// 2024-07-29), the source of [`pudong_new_quality_schools`].
pub const PUDONG_SEED: &str = "000_9ddd49f59424de77.txt";

/// Pudong's district-level new-quality schools (区级新优质项目校):
/// 58 at the start of the plan, then 80 / 100 / 120 in 2024 / 2025 / 2026.
pub fn pudong_new_quality_schools() -> GrowthPlan {
    let table = Citation::new(PUDONG_SEED, "附件2 工作目标达成年度分解表");
    GrowthPlan {
        // The plan (dated 2024-07-29) counts 58 existing schools before its first
        // yearly target, so the base is the end of 2023.
        start_year: 2023,
        start_value: 58.0,
        start_source: Citation::new(PUDONG_SEED, "§二(一) 在原有58所区级新优质项目校的基础上"),
        milestones: vec![
            Milestone { year: 2024, value: 80.0, source: table.clone() },
            Milestone { year: 2025, value: 100.0, source: table.clone() },
            Milestone { year: 2026, value: 120.0, source: table },
        ],
    }
}

impl GrowthPlan {
    /// A straight-line projection: the start value plus `per_year` schools for
    /// every year after the start, for each year through `last_year`.
    pub fn linear_projection(&self, per_year: f64, last_year: i32) -> Vec<(i32, f64)> {
        (self.start_year..=last_year).map(|year| (year, self.projected(per_year, year))).collect()
    }

    /// The straight-line value in `year` at `per_year` schools a year.
    pub fn projected(&self, per_year: f64, year: i32) -> f64 {
        self.start_value + per_year * f64::from(year - self.start_year)
    }

    /// The projected value in the milestone's year, and whether it meets the
    /// milestone (with a tolerance for values built from fractions).
    pub fn verdict(&self, per_year: f64, m: &Milestone) -> (f64, bool) {
        let projected = self.projected(per_year, m.year);
        (projected, projected + 1e-9 >= m.value)
    }

    /// The smallest constant yearly gain that meets every milestone.
    pub fn required_yearly_gain(&self) -> f64 {
        self.milestones
            .iter()
            .map(|m| (m.value - self.start_value) / f64::from(m.year - self.start_year))
            .fold(0.0, f64::max)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pudong_plan_doubles_from_58_to_120_by_2026() {
        let plan = pudong_new_quality_schools();
        assert_eq!(plan.start_value, 58.0);
        let by_year: Vec<(i32, f64)> = plan.milestones.iter().map(|m| (m.year, m.value)).collect();
        assert_eq!(by_year, vec![(2024, 80.0), (2025, 100.0), (2026, 120.0)]);
        assert!(plan.milestones.iter().all(|m| m.source.document == PUDONG_SEED));
    }

    #[test]
    fn projection_grows_linearly_from_the_start() {
        let plan = pudong_new_quality_schools();
        let p = plan.linear_projection(10.0, 2026);
        assert_eq!(p, vec![(2023, 58.0), (2024, 68.0), (2025, 78.0), (2026, 88.0)]);
    }

    #[test]
    fn required_gain_is_set_by_the_steepest_milestone() {
        // 2024 needs +22 in one year; 2025 needs +42 in two (21/yr); 2026 needs +62 in three.
        let plan = pudong_new_quality_schools();
        assert_eq!(plan.required_yearly_gain(), 22.0);
    }
}
