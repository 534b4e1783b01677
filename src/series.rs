//! The catalogue of district series: every output series a run records, one
//! value per year. Targets, charts, exports and the UI name series by these
//! keys. This module sits below the scenario and the engine, so both can
//! read it without importing each other.

use std::sync::OnceLock;

use crate::metrics::Indicator;
use crate::roster::Level;

/// The district series every run records, one value per year, in this order.
/// Targets name one of these.
pub(crate) const FIXED: &[&str] = &[
    "students_primary",
    "students_junior",
    "students_total",
    "grade1_intake",
    "classes_primary",
    "classes_junior",
    "capacity_primary",
    "capacity_junior",
    "teachers_primary",
    "teachers_junior",
    "teacher_need_primary",
    "teacher_need_junior",
    "surplus_teachers_primary",
    "surplus_teachers_junior",
    "surplus_teachers",
    "teacher_reserve_primary",
    "teacher_reserve_junior",
    "shortage_teachers",
    "hires",
    "rotated_teachers",
    "rotation_share",
    "rotation_backbone_share",
    "rotation_ok",
    "spend_operating_yuan",
    "spend_grants_yuan",
    "spend_capital_yuan",
    "spend_total_yuan",
    "budget_envelope_yuan",
    "budget_gap_yuan",
    "new_quality_schools",
    "municipal_new_quality_schools",
    "demonstration_schools",
    "innovation_projects",
    "demo_projects",
    "innovation_cases",
    "certified_schools",
    "new_quality_exits",
    "pass_share_primary",
    "pass_share_junior",
    "schools_failing",
    "cv_max_primary",
    "cv_max_junior",
    "cv_ok_primary",
    "cv_ok_junior",
    "classes_over_cap",
    "schools_over_size",
    "schools_below_senior_standard",
    "schools_below_funding_standard",
    // Chongming (seed 004)
    "schools_open_primary",
    "schools_open_junior",
    "merges",
    "schools_below_science_minimum",
    // Minhang Hongqiao (seed 003)
    "shared_courses",
    "schools_offering_shared_course_share",
    "students_in_shared_courses_share",
    "school_premium_courses",
    "parent_school_share",
    "aed_school_share",
    "group_teacher_cv_max_primary",
    "group_teacher_cv_max_junior",
    "shared_group_teacher_cv_max_primary",
    "shared_group_teacher_cv_max_junior",
    // Putuo (seed 001)
    "strong_gap_index",
    "strong_pass_share",
    "strong_backbone_per_100",
    "junior_backbone_per_100",
    "strong_seed_teachers",
    "strong_seed_share_min",
    "strong_seed_graduates",
    "strong_key_teachers_grown",
    "strong_backbone_moved",
    "strong_cadres_moved",
    "strong_grants_yuan",
    // Baoshan (seed 002)
    "cost_to_standard_yuan",
    "cost_teachers_gap_yuan",
    "cost_funding_gap_yuan",
    "cost_capital_gap_yuan",
    "schools_below_staffing_standard",
    "schools_below_unified_standard",
    "senior_teachers_directed",
    "senior_teachers_returned",
];

/// Every district series key: the fixed ones, then `cv.<level>.<indicator>`,
/// then `failing.<level>.<indicator>` (rows below that threshold).
pub fn keys() -> &'static [String] {
    static KEYS: OnceLock<Vec<String>> = OnceLock::new();
    KEYS.get_or_init(|| {
        let mut keys: Vec<String> = FIXED.iter().map(|k| k.to_string()).collect();
        for prefix in ["cv", "failing"] {
            for level in Level::ALL {
                for i in Indicator::ALL {
                    keys.push(format!("{prefix}.{}.{}", level.key(), i.key()));
                }
            }
        }
        keys
    })
}
