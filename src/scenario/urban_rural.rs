//! `[urban_rural]`: the unified urban–rural standards of seed 002 (Baoshan,
//! 宝府〔2018〕150号) as optional engine features. Each sub-table switches one
//! feature on; a scenario without the section runs exactly as before.
//!
//! - `staffing`: the staffing basis (students per teacher, or staff per class,
//!   §四(二)4);
//! - `senior_title`: promotions directed to schools below the senior-title
//!   minimum (§四(二)4 统筹安排到未达标学校任教, 聘期3年);
//! - `costing`: what it costs each year to close every school's remaining
//!   gap to the standards.

use serde::{Deserialize, Serialize};

use super::validate::Checker;
use super::Scenario;
use crate::message::Text;
use crate::params::Sourced;
use crate::roster::Level;

/// `[urban_rural]`: seed 002's features, each switched on by its sub-table.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UrbanRuralParams {
    /// `[urban_rural.staffing]`: the basis of teacher need; `None`: pupils per
    /// teacher, as without the section.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub staffing: Option<StaffingBasisParams>,
    /// `[urban_rural.senior_title]`: new senior titles directed to schools below
    /// the minimum; `None`: off.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub senior_title: Option<SeniorTitleParams>,
    /// `[urban_rural.costing]`: the yearly cost of closing every school's gap to
    /// the standards; `None`: the cost series stay at zero.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub costing: Option<CostingParams>,
}

/// How a school's teacher need is computed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StaffingBasis {
    /// Students ÷ students per teacher (`teachers.staffing`), as without this section.
    #[default]
    Ratio,
    /// Classes × staff per class.
    PerClass,
    /// The larger of the two: a school must satisfy both forms of the standard.
    GreaterOf,
}

/// `[urban_rural.staffing]`: the staffing basis and seed 002's staff-per-class
/// ranges (§四(二)4).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StaffingBasisParams {
    /// Pupils per teacher, staff per class, or the greater of the two.
    pub basis: StaffingBasis,
    /// Staff per class as the seed's range `[low, high]`.
    pub primary_staff_per_class: Sourced<[f64; 2]>,
    /// Junior staff per class as the seed's range `[low, high]`.
    pub junior_staff_per_class: Sourced<[f64; 2]>,
    /// Where in each range the engine staffs: 0 = low end, 1 = high end.
    pub range_position: Sourced<f64>,
}

impl SeniorTitleParams {
    /// The share of `level`'s new senior titles placed in schools below the minimum.
    pub fn directed_share(&self, level: Level) -> f64 {
        match level {
            Level::Primary => self.primary_directed_share.value,
            Level::Junior => self.junior_directed_share.value,
        }
    }
}

impl StaffingBasisParams {
    /// Staff per class the engine uses at `level`.
    pub fn staff_per_class(&self, level: Level) -> f64 {
        let [lo, hi] = match level {
            Level::Primary => self.primary_staff_per_class.value,
            Level::Junior => self.junior_staff_per_class.value,
        };
        lo + self.range_position.value * (hi - lo)
    }
}

/// `[urban_rural.senior_title]`: new senior titles directed to schools below
/// the senior-title minimum (seed 002 §四(二)4, 聘期3年).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeniorTitleParams {
    /// Share of each year's new senior titles at a level (promotion rate ×
    /// non-senior teachers) placed in schools below the minimum.
    pub primary_directed_share: Sourced<f64>,
    /// The same share for junior schools, 0–1.
    pub junior_directed_share: Sourced<f64>,
    /// A donor school keeps at least this multiple of its own minimum.
    pub donor_headroom: Sourced<f64>,
    /// Years a directed teacher stays before returning; 0 = stays for good.
    pub term_years: Sourced<f64>,
}

/// `[urban_rural.costing]`: what closing every school's gap to the standards
/// costs each year (teachers short, per-pupil funding below the standard,
/// facilities below the thresholds).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CostingParams {
    /// Yearly cost of one teacher (salary and on-costs), yuan.
    pub teacher_cost_yuan_per_year: Sourced<f64>,
}

/// Every problem in `[urban_rural]`, by field path.
pub(super) fn validate(s: &Scenario, c: &mut Checker) {
    let Some(u) = &s.urban_rural else { return };
    if let Some(st) = &u.staffing {
        for (path, p) in [
            ("urban_rural.staffing.primary_staff_per_class", &st.primary_staff_per_class),
            ("urban_rural.staffing.junior_staff_per_class", &st.junior_staff_per_class),
        ] {
            let [lo, hi] = p.value;
            let at = format!("{path}.value");
            c.range(&at, lo, 0.5, 10.0);
            c.range(&at, hi, 0.5, 10.0);
            c.source(path, &p.source);
            if lo > hi {
                c.push_found(&at, Text::new("下限不得大于上限", "low end must not exceed high end"), format!("[{lo}, {hi}]"));
            }
        }
        c.sourced("urban_rural.staffing.range_position", &st.range_position, 0.0, 1.0);
    }
    if let Some(sr) = &u.senior_title {
        c.sourced("urban_rural.senior_title.primary_directed_share", &sr.primary_directed_share, 0.0, 1.0);
        c.sourced("urban_rural.senior_title.junior_directed_share", &sr.junior_directed_share, 0.0, 1.0);
        c.sourced("urban_rural.senior_title.donor_headroom", &sr.donor_headroom, 1.0, 5.0);
        c.sourced("urban_rural.senior_title.term_years", &sr.term_years, 0.0, 10.0);
    }
    if let Some(costing) = &u.costing {
        c.sourced("urban_rural.costing.teacher_cost_yuan_per_year", &costing.teacher_cost_yuan_per_year, 1.0, 1e7);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECTION: &str = r#"
[staffing]
basis = "per_class"
primary_staff_per_class = { value = [3.0, 3.1], source = "s" }
junior_staff_per_class = { value = [4.1, 4.3], source = "s" }
range_position = { value = 0.5, source = "E", assumption = true }

[senior_title]
primary_directed_share = { value = 1.0, source = "s" }
junior_directed_share = { value = 0.5, source = "s" }
donor_headroom = { value = 1.5, source = "s" }
term_years = { value = 3, source = "s" }

[costing]
teacher_cost_yuan_per_year = { value = 250000, source = "s" }
"#;

    #[test]
    fn section_parses_and_staff_per_class_is_inside_the_range() {
        let u: UrbanRuralParams = toml::from_str(SECTION).unwrap();
        let st = u.staffing.as_ref().unwrap();
        assert_eq!(st.basis, StaffingBasis::PerClass);
        assert!((st.staff_per_class(Level::Primary) - 3.05).abs() < 1e-12);
        assert!((st.staff_per_class(Level::Junior) - 4.2).abs() < 1e-12);
        assert!(toml::from_str::<UrbanRuralParams>("[costing]\nteacher_cost = 1").is_err(), "unknown keys are rejected");
        assert_eq!(toml::from_str::<UrbanRuralParams>("").unwrap(), UrbanRuralParams::default());
    }
}
