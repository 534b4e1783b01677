//! When each row clears each indicator: the years a row was below a
//! threshold and the year from which it meets it (the Baoshan question,
//! seed 002, asked of any run that kept its schools).

use serde::Serialize;

use super::{Model, SchoolYear, Trajectory};
use crate::metrics::Indicator;
use crate::roster::Level;

/// One row's record on one indicator: the years it was below the threshold
/// and the year from which it meets it to the end of the horizon.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IndicatorClearance {
    /// The roster's school code.
    pub school_id: String,
    /// The school's name.
    pub name: String,
    /// The row's level.
    pub level: Level,
    /// The indicator this record is about.
    pub indicator: Indicator,
    /// Every year the row was below the indicator's threshold, in order.
    pub failing_years: Vec<i32>,
    /// `None` when the row still fails in the last year, or closed (merged
    /// away, seed 004) before it met the threshold.
    pub passes_from: Option<i32>,
    /// The year the row closed by merging, if it did.
    pub closed_from: Option<i32>,
}

/// Which rows fail which indicator, and when they pass: every (row,
/// indicator) below the threshold in some year of `t` (a run that kept its
/// schools), in roster order, then indicator order.
pub fn indicator_clearance(model: &Model, t: &Trajectory) -> Vec<IndicatorClearance> {
    let st = &model.scenario.standards;
    let mut out = Vec::new();
    for s in &t.schools {
        let l = st.level(s.level);
        for (k, i) in Indicator::ALL.into_iter().enumerate() {
            let fails = |y: &SchoolYear| y.students > 0.0 && y.indicators[k].is_some_and(|v| v < l.threshold(i));
            let failing_years: Vec<i32> = s.years.iter().filter(|y| fails(y)).map(|y| y.year).collect();
            let Some(&last) = failing_years.last() else { continue };
            let closed_from = s.years.iter().find(|y| !y.open).map(|y| y.year);
            // Passing means meeting the threshold while open, not closing.
            let passes_from = s.years.iter().filter(|y| y.open).map(|y| y.year).find(|y| *y > last);
            out.push(IndicatorClearance {
                school_id: s.school_id.clone(),
                name: s.name.clone(),
                level: s.level,
                indicator: i,
                failing_years,
                passes_from,
                closed_from,
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::tests::tiny_scenario;

    #[test]
    fn indicator_clearance_lists_failing_years_and_the_year_the_row_passes() {
        let (mut s, mut r) = tiny_scenario();
        r.schools[1].sports_space_m2 = 7.0 * 300.0; // P2 below 7.5 m² a pupil
        s.funding.capital_allocation = crate::scenario::CapitalAllocation::Targeted;
        let m = Model::new(s, r).expect("valid test model");
        let t = m.run_central();
        let c = indicator_clearance(&m, &t);
        let p2 = c.iter().find(|c| c.school_id == "P2" && c.indicator == Indicator::SportsSpaceM2PerStudent).expect("P2 sports listed");
        assert_eq!(p2.failing_years[0], 2024);
        let from = p2.passes_from.expect("P2 reaches the sports threshold");
        assert!(from > *p2.failing_years.last().unwrap());
        let row = t.schools.iter().find(|s| s.school_id == "P2").unwrap();
        assert!(row.years.iter().filter(|y| y.year >= from).all(|y| y.indicators[4].unwrap() >= 7.5));
        // Rows that never fail an indicator are not listed for it.
        assert!(!c.iter().any(|c| c.school_id == "P1" && c.indicator == Indicator::SportsSpaceM2PerStudent));
        assert_eq!(p2.closed_from, None);

        // Had P2 merged away in its first passing year, it would not be reported
        // as passing: closing is not meeting the threshold.
        let mut closed = t.clone();
        let row = closed.schools.iter_mut().find(|s| s.school_id == "P2").unwrap();
        for y in row.years.iter_mut().filter(|y| y.year >= from) {
            (y.open, y.students, y.indicators, y.merged_into) = (false, 0.0, [None; 7], Some("P1".into()));
        }
        let c = indicator_clearance(&m, &closed);
        let p2 = c.iter().find(|c| c.school_id == "P2" && c.indicator == Indicator::SportsSpaceM2PerStudent).unwrap();
        assert_eq!((p2.passes_from, p2.closed_from), (None, Some(from)));
    }
}
