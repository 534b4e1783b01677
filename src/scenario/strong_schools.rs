//! The optional `[strong_schools]` section: the strong public junior school
//! programme (公办初中强校工程) as Putuo runs it, seed
//! `001_2ad818ed9c21d03b.txt` (普教基〔2019〕1号). Absent, the programme is off
//! and runs are unchanged.

use serde::{Deserialize, Serialize};

use super::validate::Checker;
use super::Scenario;
use crate::message::Text;
use crate::params::Sourced;

/// Levers of the programme. The experimental schools (实验校) and their
/// one-to-one support schools (支援校) come from the roster
/// (`strong_school`, `paired_with`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StrongSchoolParams {
    /// First year of the first cycle (a whole year, from `scenario.base_year`
    /// on; a cycle starting in the base year must last at least 2 years, since
    /// key teachers are designated in a cycle's last year, after the base year).
    pub start_year: Sourced<f64>,
    /// Years per cycle (三年为一周期).
    pub cycle_years: Sourced<f64>,
    /// Cycles run back to back from `start_year`.
    pub cycles: Sourced<f64>,
    /// Share of an experimental school's teachers kept in the seed-teacher
    /// programme (种子计划) during the cycles; the count is rounded up.
    pub seed_teacher_share: Sourced<f64>,
    /// Years from joining the seed programme to completing it (at least 1).
    pub seed_training_years: Sourced<f64>,
    /// Probability that a seed teacher who completes becomes a backbone teacher.
    pub seed_completion_probability: Sourced<f64>,
    /// Key (backbone) teachers grown at each experimental school per cycle:
    /// a whole number in `min..=max`, designated in the cycle's last year.
    pub key_teachers_min: Sourced<f64>,
    /// The most key teachers grown per school per cycle.
    pub key_teachers_max: Sourced<f64>,
    /// Backbone teachers moving each year from a support school to its
    /// experimental school (an exchange: as many teachers go back).
    pub backbone_flow_per_pair: Sourced<f64>,
    /// Cadres (干部) moving each year along each pairing, counted as backbone
    /// teachers with a leadership role.
    pub cadre_flow_per_pair: Sourced<f64>,
    /// Ring-fenced funding (专项经费) per experimental school per cycle year,
    /// yuan, spent on the school's lagging facility indicators. With this
    /// section configured it replaces `funding.grant_per_strong_school_yuan`,
    /// which is then not paid (no double counting).
    pub grant_per_school_yuan: Sourced<f64>,
}

impl StrongSchoolParams {
    /// The cycle containing `year`, as (first year, last year), or `None`
    /// outside the configured cycles.
    pub fn cycle_of(&self, year: i32) -> Option<(i32, i32)> {
        let start = self.start_year.value.round() as i32;
        let len = (self.cycle_years.value.round() as i32).max(1);
        let cycles = self.cycles.value.round() as i32;
        if year < start {
            return None;
        }
        let k = (year - start) / len;
        (k < cycles).then(|| (start + k * len, start + (k + 1) * len - 1))
    }
}

/// Every problem in the `[strong_schools]` section, each with its path and range.
pub(super) fn validate(s: &Scenario, c: &mut Checker) {
    let Some(p) = &s.strong_schools else { return };
    // Steps before the base year never run, and key teachers are only
    // designated after it: the first cycle starts in the base year at the earliest.
    let base = f64::from(s.scenario.base_year);
    let start = p.start_year.value;
    if start < base {
        c.push_found(
            "strong_schools.start_year.value",
            Text::new(format!("取值须在 scenario.base_year ({base}) 到 2100 之间"), format!("must be between scenario.base_year ({base}) and 2100")),
            start,
        );
        c.source("strong_schools.start_year", &p.start_year.source);
    } else {
        c.sourced_whole("strong_schools.start_year", start, &p.start_year.source, 2000.0, 2100.0);
    }
    for (field, v, lo, hi) in [
        ("cycle_years", &p.cycle_years, 1.0, 10.0),
        ("cycles", &p.cycles, 1.0, 10.0),
        ("seed_training_years", &p.seed_training_years, 1.0, 10.0),
        ("key_teachers_min", &p.key_teachers_min, 0.0, 50.0),
        ("key_teachers_max", &p.key_teachers_max, 0.0, 50.0),
    ] {
        c.sourced_whole(&format!("strong_schools.{field}"), v.value, &v.source, lo, hi);
    }
    for (field, v, lo, hi) in [
        ("seed_teacher_share", &p.seed_teacher_share, 0.0, 1.0),
        ("seed_completion_probability", &p.seed_completion_probability, 0.0, 1.0),
        ("backbone_flow_per_pair", &p.backbone_flow_per_pair, 0.0, 100.0),
        ("cadre_flow_per_pair", &p.cadre_flow_per_pair, 0.0, 100.0),
        ("grant_per_school_yuan", &p.grant_per_school_yuan, 0.0, 1e9),
    ] {
        c.sourced(&format!("strong_schools.{field}"), v, lo, hi);
    }
    if p.key_teachers_min.value > p.key_teachers_max.value {
        c.push("strong_schools.key_teachers_min.value", Text::new("不得大于 key_teachers_max", "must not exceed key_teachers_max"));
    }
    // A one-year cycle starting in the base year would end in it, where key
    // teachers are not designated.
    if start == base && p.cycle_years.value == 1.0 {
        c.push_found(
            "strong_schools.cycle_years.value",
            Text::new(
                format!("周期从 scenario.base_year ({base}) 开始时须在 2 到 10 之间"),
                "must be between 2 and 10 when the first cycle starts in scenario.base_year",
            ),
            p.cycle_years.value,
        );
    }
}

/// A programme for tests: two 3-year cycles from 2024 with the seed's
/// numbers and a 1 M yuan grant; tests override what they vary.
#[cfg(test)]
pub(crate) fn test_params() -> StrongSchoolParams {
    let c = |v: f64| Sourced::cited(v, "test");
    StrongSchoolParams {
        start_year: c(2024.0),
        cycle_years: c(3.0),
        cycles: c(2.0),
        seed_teacher_share: c(0.05),
        seed_training_years: c(2.0),
        seed_completion_probability: c(0.5),
        key_teachers_min: c(1.0),
        key_teachers_max: c(2.0),
        backbone_flow_per_pair: c(2.0),
        cadre_flow_per_pair: c(1.0),
        grant_per_school_yuan: c(1e6),
    }
}

#[cfg(test)]
mod tests {
    use super::*;


    #[test]
    fn cycles_run_back_to_back_from_the_start_year() {
        let p = test_params();
        assert_eq!(p.cycle_of(2023), None);
        assert_eq!(p.cycle_of(2024), Some((2024, 2026)));
        assert_eq!(p.cycle_of(2026), Some((2024, 2026)));
        assert_eq!(p.cycle_of(2027), Some((2027, 2029)));
        assert_eq!(p.cycle_of(2030), None);
    }

    #[test]
    fn every_bad_value_is_reported_by_path() {
        let mut s = Scenario::from_toml(include_str!("../../scenarios/pudong-2024.toml")).unwrap();
        assert!(s.validate().is_empty(), "off: nothing to check");
        let mut p = test_params();
        p.cycle_years.value = 2.5;
        p.seed_teacher_share.value = 1.5;
        p.key_teachers_min.value = 3.0;
        p.grant_per_school_yuan.source = " ".into();
        p.seed_completion_probability.value = f64::NAN;
        s.strong_schools = Some(p);
        let problems = s.validate();
        for path in [
            "strong_schools.cycle_years.value",
            "strong_schools.seed_teacher_share.value",
            "strong_schools.key_teachers_min.value",
            "strong_schools.grant_per_school_yuan.source",
            "strong_schools.seed_completion_probability.value",
        ] {
            assert!(problems.iter().any(|p| p.place.path() == Some(path)), "missing {path} in {problems:#?}");
        }
        assert_eq!(problems.len(), 5, "{problems:#?}");
    }

    #[test]
    fn the_first_cycle_starts_no_earlier_than_the_base_year_and_ends_after_it() {
        let mut s = Scenario::from_toml(include_str!("../../scenarios/pudong-2024.toml")).unwrap();
        let base = s.scenario.base_year;
        let with = |s: &mut Scenario, start: i32, len: f64| {
            let mut p = test_params();
            p.start_year.value = f64::from(start);
            p.cycle_years.value = len;
            s.strong_schools = Some(p);
            s.validate()
        };
        // Before the base year: rejected, naming the field and the range.
        let problems = with(&mut s, base - 1, 3.0);
        assert_eq!(problems.len(), 1, "{problems:#?}");
        assert_eq!(problems[0].place.path(), Some("strong_schools.start_year.value"));
        let m = problems[0].to_string();
        assert!(m.contains(&format!("scenario.base_year ({base})")) && m.contains("2100") && m.contains(&format!("(got) {}", base - 1)), "{m}");
        assert!(s.validate().iter().any(|p| p.place.path() == Some("strong_schools.start_year.value")));
        // In the base year or later: accepted.
        assert!(with(&mut s, base, 3.0).is_empty());
        assert!(with(&mut s, base + 2, 1.0).is_empty());
        // A one-year cycle starting in the base year would end in it: rejected.
        let problems = with(&mut s, base, 1.0);
        assert_eq!(problems.len(), 1, "{problems:#?}");
        assert_eq!(problems[0].place.path(), Some("strong_schools.cycle_years.value"));
    }

    #[test]
    fn the_section_round_trips_and_rejects_unknown_keys() {
        let p = test_params();
        let text = toml::to_string(&p).unwrap();
        assert_eq!(toml::from_str::<StrongSchoolParams>(&text).unwrap(), p);
        assert!(toml::from_str::<StrongSchoolParams>(&format!("extra = 1\n{text}")).is_err());
    }
}
