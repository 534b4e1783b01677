//! `[shared_courses]`: sharing inside a school district (学区), modelled on
//! seed `003_e24e42817bc4924a.txt` (闵行区虹桥镇示范性学区建设三年行动计划):
//! shared courses (§三(三)10), school-based premium courses (§三(三)9), and
//! the plan's two coverage items (parent schools and AEDs, §三(一)4).
//!
//! Every count and plan is per 学区 (the seed speaks of one 学区); the engine
//! applies it to each named 学区 of the roster. The section is optional: when
//! absent nothing is simulated and the shared-course series stay at zero.

use serde::{Deserialize, Serialize};

use super::validate::Checker;
use crate::params::{Sourced, Yearly};

/// `[shared_courses]`: shared courses per 学区 growing toward the plan, the
/// places they offer and the teachers they use, with optional plans for
/// premium courses, parent schools and AEDs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SharedCoursesParams {
    /// Shared courses each 学区 has at the base year.
    pub base_courses: Sourced<f64>,
    /// Shared courses each 学区 plans to have, by year (cumulative).
    pub planned_courses: Yearly,
    /// Yearly probability that a planned course not yet shared becomes ready
    /// (成熟一门、共享一门); one that is not is tried again the next year.
    pub development_probability: Sourced<f64>,
    /// At the base year the courses sit with the strongest schools, at most
    /// this many each.
    pub base_max_per_school: Sourced<f64>,
    /// Places a course offers in a school year.
    pub places_per_course: Sourced<f64>,
    /// Share of those places taken, each by a pupil in no other shared course.
    pub uptake: Sourced<f64>,
    /// Teacher full-time equivalents one course uses at its host school.
    pub teachers_per_course: Sourced<f64>,
    /// Shares of those teachers who are backbone (骨干) and PE/art (体艺) teachers.
    pub course_backbone_share: Sourced<f64>,
    /// Share of those teachers who are PE or art teachers, 0–1.
    pub course_pe_art_share: Sourced<f64>,
    /// 校本精品课程: a count with its own plan (§三(三)9).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub premium_courses: Option<CountPlan>,
    /// Member schools with a parent school (家长学校), as a share (§三(一)4).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent_schools: Option<CoveragePlan>,
    /// Member schools with an AED and first-aid training, as a share (§三(一)4).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub aed: Option<CoveragePlan>,
}

/// A count per 学区 growing toward a plan, each missing unit arriving with a
/// yearly probability.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CountPlan {
    /// The count each 学区 has at the base year.
    pub base: Sourced<f64>,
    /// The planned count by year (cumulative).
    pub planned: Yearly,
    /// Yearly probability that each missing unit arrives.
    pub development_probability: Sourced<f64>,
}

/// A share of a 学区's member schools growing toward a planned share, each
/// missing school completing with a yearly probability.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CoveragePlan {
    /// Share of member schools covered at the base year, 0–1.
    pub base_share: Sourced<f64>,
    /// The planned share by year, 0–1.
    pub planned_share: Yearly,
    /// Yearly probability that each school not yet covered completes.
    pub completion_probability: Sourced<f64>,
}

/// Range checks, named by field path.
pub(super) fn validate(p: &SharedCoursesParams, c: &mut Checker) {
    const P: &str = "shared_courses";
    c.sourced(&format!("{P}.base_courses"), &p.base_courses, 0.0, 1000.0);
    c.whole(&format!("{P}.base_courses.value"), p.base_courses.value);
    c.yearly(&format!("{P}.planned_courses"), &p.planned_courses, 0.0, 1000.0);
    for (k, v) in &p.planned_courses.values {
        c.whole(&format!("{P}.planned_courses.values.{k}"), *v);
    }
    c.sourced(&format!("{P}.development_probability"), &p.development_probability, 0.01, 1.0);
    c.sourced(&format!("{P}.base_max_per_school"), &p.base_max_per_school, 1.0, 100.0);
    c.whole(&format!("{P}.base_max_per_school.value"), p.base_max_per_school.value);
    c.sourced(&format!("{P}.places_per_course"), &p.places_per_course, 0.0, 100_000.0);
    c.sourced(&format!("{P}.uptake"), &p.uptake, 0.0, 1.0);
    c.sourced(&format!("{P}.teachers_per_course"), &p.teachers_per_course, 0.0, 10.0);
    c.sourced(&format!("{P}.course_backbone_share"), &p.course_backbone_share, 0.0, 1.0);
    c.sourced(&format!("{P}.course_pe_art_share"), &p.course_pe_art_share, 0.0, 1.0);
    if let Some(q) = &p.premium_courses {
        let path = format!("{P}.premium_courses");
        c.sourced(&format!("{path}.base"), &q.base, 0.0, 10_000.0);
        c.whole(&format!("{path}.base.value"), q.base.value);
        c.yearly(&format!("{path}.planned"), &q.planned, 0.0, 10_000.0);
        for (k, v) in &q.planned.values {
            c.whole(&format!("{path}.planned.values.{k}"), *v);
        }
        c.sourced(&format!("{path}.development_probability"), &q.development_probability, 0.01, 1.0);
    }
    for (name, q) in [("parent_schools", &p.parent_schools), ("aed", &p.aed)] {
        if let Some(q) = q {
            let path = format!("{P}.{name}");
            c.sourced(&format!("{path}.base_share"), &q.base_share, 0.0, 1.0);
            c.yearly(&format!("{path}.planned_share"), &q.planned_share, 0.0, 1.0);
            c.sourced(&format!("{path}.completion_probability"), &q.completion_probability, 0.01, 1.0);
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::scenario::Scenario;

    const MINHANG: &str = include_str!("../../scenarios/minhang-hongqiao-district.toml");

    #[test]
    fn every_bad_value_is_reported_with_its_path() {
        let mut s = Scenario::from_toml(MINHANG).expect("valid");
        let p = s.shared_courses.as_mut().unwrap();
        p.base_courses.value = 8.5;
        p.uptake.value = 1.5;
        p.development_probability.value = 0.0;
        p.premium_courses.as_mut().unwrap().planned.values.insert("2025".into(), 20.5);
        p.aed.as_mut().unwrap().planned_share.values.insert("2025".into(), 1.2);
        let paths: Vec<String> = s.validate().iter().filter_map(|p| p.place.path().map(str::to_owned)).collect();
        for want in [
            "shared_courses.base_courses.value",
            "shared_courses.uptake.value",
            "shared_courses.development_probability.value",
            "shared_courses.premium_courses.planned.values.2025",
            "shared_courses.aed.planned_share.values.2025",
        ] {
            assert!(paths.iter().any(|p| p == want), "missing {want} in {paths:?}");
        }
        assert_eq!(paths.len(), 5, "{paths:?}");
    }

    #[test]
    fn the_section_is_optional_and_round_trips_through_json() {
        let s = Scenario::from_toml(MINHANG).expect("valid");
        assert_eq!(Scenario::from_json(&s.to_json()).expect("round trip"), s);
        let without = Scenario { shared_courses: None, ..s };
        let json: serde_json::Value = serde_json::from_str(&without.to_json()).unwrap();
        assert!(json.get("shared_courses").is_none());
    }
}
