//! Where pupils go (issue 16): the share of grade-5 leavers entering the
//! district's public junior schools.

use youjun::engine::Trajectory;
use youjun::params::Sourced;
use youjun::roster::Level;
use youjun::scenario::Scenario;

use crate::support::model_of;

const PUTUO: &str = include_str!("../../scenarios/putuo-strong-junior.toml");

fn putuo(share: Option<f64>) -> (youjun::engine::Model, Trajectory) {
    let mut s = Scenario::from_toml(PUTUO).expect("parses and validates");
    s.enrollment.junior_entry_share = share.map(|v| Sourced::assumed(v, "test"));
    let m = model_of(s);
    let t = m.run_central();
    (m, t)
}

#[test]
fn fewer_leavers_entering_public_junior_schools_lowers_junior_enrollment() {
    let ((m, all), (_, most)) = (putuo(None), putuo(Some(0.85)));
    assert_eq!(all, putuo(Some(1.0)).1, "absent means every leaver enters");
    let v = |t: &Trajectory, k: &str, y: i32| t.value(k, y).unwrap();
    assert_eq!(v(&all, "students_junior", 2024), v(&most, "students_junior", 2024));
    for y in 2025..=2030 {
        assert!(v(&most, "students_junior", y) < v(&all, "students_junior", y), "{y}");
        assert_eq!(v(&most, "students_primary", y), v(&all, "students_primary", y), "{y}: primary untouched");
    }
    // By hand: 2025's grade 6 is the roster's grade 5 × progression ×
    // (1 + net migration); 15% of it does not enter, and grades 7–9 are as before.
    let e = &m.scenario.enrollment;
    let grade5: f64 = m.roster.schools.iter().filter(|s| s.level == Level::Primary).map(|s| s.students[4]).sum();
    let expected = 0.15 * grade5 * e.progression_rate.value * (1.0 + e.net_migration_rate.value);
    let drop = v(&all, "students_junior", 2025) - v(&most, "students_junior", 2025);
    assert!((drop - expected).abs() < 1e-6 * expected, "{drop} vs {expected}");
    // Out-of-range shares are refused at their field.
    let mut s = Scenario::from_toml(PUTUO).unwrap();
    s.enrollment.junior_entry_share = Some(Sourced::assumed(1.2, "test"));
    let all = s.validate().iter().map(|p| p.to_string()).collect::<Vec<_>>().join("\n");
    assert!(all.contains("enrollment.junior_entry_share.value"), "{all}");
}
