//! 城乡教师交流 (town–country rotation, seed 004 `004_816103a023935f01.txt`
//! §2 促进教师城乡跨校交流, and §12 城乡携手共进计划): one exchange per level
//! between its urban and its rural schools. The side whose enrollment-weighted
//! mean of the rule's indicator is lower (usually the rural one) receives;
//! the other side sends. Every school with students and eligible teachers
//! takes part, weighted by its eligible teachers, so the rotated share is
//! the rule's share of all eligible teachers. The net backbone flow is capped
//! at what brings the two sides' backbone teachers per pupil level, so the
//! lagging side never overtakes the other (without that cap the per-school
//! caps let it overshoot and the flow swing back the next year). The exchange is the
//! machinery of `teachers::rotate`: equal head counts both ways, at least the
//! minimum backbone share, the net backbone flow toward the receiving side
//! capped at the pooled level, so every kind of teacher is conserved.

use super::District;
use crate::engine::teachers::Exchange;
use crate::engine::Model;
use crate::metrics::Indicator;
use crate::roster::{Area, School};
use crate::scenario::RotationRule;

/// The town–country rotation rule (no state of its own): active when
/// `teachers.rotation_rule` is `town_country`.
#[derive(Debug, Clone, Copy)]
pub(super) struct TownCountry;

impl District for TownCountry {
    fn start(_model: &Model) -> TownCountry {
        TownCountry
    }

    /// One exchange per level (see [`exchange`]).
    fn rotation_exchanges(&self, model: &Model, rows: &[School], eligible: &[f64], out: &mut Vec<(Exchange, f64)>) {
        let RotationRule::TownCountry { indicator } = model.scenario.teachers.rotation_rule else { return };
        for members in &model.links.by_level {
            if let Some(x) = exchange(rows, members, indicator, eligible) {
                out.push(x);
            }
        }
    }
}

/// The town–country exchange among `members` (rows of one level) and the cap
/// on its net backbone flow, or `None` when one side has no schools with
/// students, the two sides are level, or no school qualifies on a side.
fn exchange(rows: &[School], members: &[usize], indicator: Indicator, eligible: &[f64]) -> Option<(Exchange, f64)> {
    let side = |i: usize| usize::from(rows[i].area == Area::Rural);
    let (mut p, mut px, mut backbone) = ([0.0; 2], [0.0; 2], [0.0; 2]);
    for &i in members {
        if let Some(v) = indicator.value(&rows[i]) {
            let e = rows[i].enrollment();
            p[side(i)] += e;
            px[side(i)] += e * v;
            backbone[side(i)] += rows[i].backbone_teachers;
        }
    }
    if p[0] <= 0.0 || p[1] <= 0.0 {
        return None;
    }
    let (urban, rural) = (px[0] / p[0], px[1] / p[1]);
    if urban == rural {
        return None;
    }
    let lagging = usize::from(rural < urban);
    let pick = |k: usize| -> Vec<(usize, f64)> {
        members
            .iter()
            .filter(|&&i| side(i) == k && eligible[i] > 0.0 && indicator.value(&rows[i]).is_some())
            .map(|&i| (i, eligible[i]))
            .collect()
    };
    let (donors, recipients) = (pick(1 - lagging), pick(lagging));
    if donors.is_empty() || recipients.is_empty() {
        return None;
    }
    // Moving x from the leading side levels the sides' backbone per pupil:
    // (B_lag + x) / P_lag = (B_lead − x) / P_lead.
    let (lag, lead) = (lagging, 1 - lagging);
    let cap = ((backbone[lead] * p[lag] - backbone[lag] * p[lead]) / (p[lag] + p[lead])).max(0.0);
    Some(((donors, recipients), cap))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::teachers;
    use crate::engine::tests::{school, tiny_scenario};
    use crate::roster::Level;

    fn kinds(rows: &[School], pred: impl Fn(&School) -> bool) -> [f64; 6] {
        crate::engine::tests::totals(rows.iter().filter(|s| pred(s)))
    }

    /// Two urban primary schools well supplied with backbone teachers, one
    /// rural primary school short of them, and a junior school (urban only).
    fn model() -> Model {
        let (mut s, _) = tiny_scenario();
        let mut u1 = school("U1", Level::Primary, 100.0);
        u1.backbone_teachers = 10.0;
        u1.science_teachers = 3.0;
        let mut u2 = school("U2", Level::Primary, 80.0);
        u2.backbone_teachers = 5.0;
        let mut r1 = school("R1", Level::Primary, 40.0);
        r1.area = Area::Rural;
        r1.backbone_teachers = 0.5;
        let j1 = school("J1", Level::Junior, 150.0);
        for p in [&mut u1, &mut u2, &mut r1] {
            p.feeds = vec!["J1".into()];
        }
        let roster = crate::roster::Roster { schools: vec![u1, u2, r1, j1] };
        s.roster.schools = Some(roster.schools.clone());
        s.teachers.rotation_rule = RotationRule::TownCountry { indicator: Indicator::BackboneTeachersPer100 };
        Model::new(s, roster).expect("valid")
    }

    #[test]
    fn the_lagging_rural_side_receives_from_the_urban_side() {
        let m = model();
        let rows = &m.roster.schools;
        let eligible: Vec<f64> = rows.iter().map(|s| s.teachers * 0.6).collect();
        let ((donors, recipients), cap) = exchange(rows, &[0, 1, 2], Indicator::BackboneTeachersPer100, &eligible).expect("exchange");
        // Urban 15 backbone per 900 pupils, rural 0.5 per 200: x = (15·200 − 0.5·900) / 1100.
        assert!((cap - (15.0 * 200.0 - 0.5 * 900.0) / 1100.0).abs() < 1e-12);
        assert_eq!(donors, vec![(0, eligible[0]), (1, eligible[1])]);
        assert_eq!(recipients, vec![(2, eligible[2])]);
        // The junior level has no rural school: no exchange.
        assert!(exchange(rows, &[3], Indicator::BackboneTeachersPer100, &eligible).is_none());
    }

    #[test]
    fn rotation_conserves_every_kind_and_moves_backbone_to_rural() {
        let m = model();
        let mut rows = m.roster.schools.clone();
        let heads: Vec<f64> = rows.iter().map(|s| s.teachers).collect();
        let before = kinds(&rows, |_| true);
        let rural_before = kinds(&rows, |s| s.area == Area::Rural);
        let out = teachers::rotate_for_test(&m, &mut rows);
        let after = kinds(&rows, |_| true);
        for k in 0..6 {
            assert!((before[k] - after[k]).abs() < 1e-9, "kind {k}: {} → {}", before[k], after[k]);
        }
        for (s, h) in rows.iter().zip(&heads) {
            assert_eq!(s.teachers, *h, "head counts are kept");
        }
        let rural_after = kinds(&rows, |s| s.area == Area::Rural);
        assert!(rural_after[2] > rural_before[2] + 0.1, "backbone to rural: {} → {}", rural_before[2], rural_after[2]);
        // ...but never past the urban side's backbone teachers per pupil.
        let urban_after = kinds(&rows, |s| s.area == Area::Urban);
        assert!(rural_after[2] / 200.0 <= urban_after[2] / 900.0 + 1e-12);
        // Science teachers travel with the exchange too.
        assert!(rural_after[5] > 0.0);
        assert!(out.rotated > 0.0 && out.rotated_backbone / out.rotated >= 0.2 - 1e-9);
    }

    #[test]
    fn a_level_side_or_a_missing_side_makes_no_exchange() {
        let m = model();
        let mut rows = m.roster.schools.clone();
        for s in rows.iter_mut() {
            s.area = Area::Urban;
        }
        let eligible: Vec<f64> = rows.iter().map(|s| s.teachers).collect();
        assert!(exchange(&rows, &[0, 1, 2], Indicator::BackboneTeachersPer100, &eligible).is_none());
        rows[2].area = Area::Rural;
        rows[2].backbone_teachers = rows[0].backbone_teachers * rows[2].enrollment() / rows[0].enrollment();
        rows[1].backbone_teachers = rows[0].backbone_teachers * rows[1].enrollment() / rows[0].enrollment();
        assert!(exchange(&rows, &[0, 1, 2], Indicator::BackboneTeachersPer100, &eligible).is_none());
    }
}
