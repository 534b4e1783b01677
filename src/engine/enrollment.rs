//! Sub-model 1: enrollment. Cohorts progress a grade a year (Shanghai's 5+4
//! system: grade 5 moves to grade 6 of the junior school(s) a primary feeds,
//! or inside a nine-year school); grade 1 comes from births six years earlier.

use super::{Draws, Model, State};
use crate::roster::Level;

pub(super) fn step(model: &Model, state: &mut State, year: i32, draws: &mut Draws) {
    let e = &model.scenario.enrollment;
    let base = model.scenario.scenario.base_year;
    let progression = e.progression_rate.value;
    let migration = draws.migration_rate(e.net_migration_rate.value);
    let stay = progression * (1.0 + migration);
    // Leavers who do not enter a public junior school of the district
    // (private schools, other districts) leave the model here.
    let entering = stay * e.junior_entry_share.as_ref().map_or(1.0, |p| p.value);
    let rows = &mut state.schools;

    // Grade 5 leaving each primary row, collected before anyone moves (into
    // a list the state keeps between years); grade 9 graduates; everyone
    // else moves up inside the school. Each level's grades written out: a
    // loop over a level's range of grades cost a bound check a grade.
    let leaving_g5 = &mut state.leaving_g5;
    leaving_g5.resize(rows.len(), 0.0);
    for (s, leaving) in rows.iter_mut().zip(leaving_g5.iter_mut()) {
        let g = &mut s.students;
        match s.level {
            Level::Primary => {
                *leaving = g[4] * entering;
                g[4] = g[3] * stay;
                g[3] = g[2] * stay;
                g[2] = g[1] * stay;
                g[1] = g[0] * stay;
                g[0] = 0.0;
            }
            Level::Junior => {
                *leaving = 0.0;
                g[8] = g[7] * stay;
                g[7] = g[6] * stay;
                g[6] = g[5] * stay;
                g[5] = 0.0;
            }
        }
    }
    // A district module (merging) may have moved feeds and intake shares.
    let (all_feeds, shares) = match &state.intake {
        Some(moved) => (&moved.feeds, &moved.catchment_share),
        None => (&model.links.feeds, &model.links.catchment_share),
    };
    // The rows that spread over every junior row pool their grade 5 first
    // (see `Feeds`): linear in rows, where a share per (primary, junior)
    // pair would be quadratic.
    let mut pooled = 0.0;
    for (i, feeds) in all_feeds.rows.iter().enumerate() {
        if all_feeds.spreads[i] {
            pooled += leaving_g5[i];
        }
        for &(j, share) in feeds {
            rows[j].students[5] += leaving_g5[i] * share;
        }
    }
    if pooled != 0.0 {
        for &(j, share) in &all_feeds.spread {
            rows[j].students[5] += pooled * share;
        }
    }

    // Grade 1: births six years earlier × enrollment ratio × catchment share.
    // Births up to the last year the scenario gives are known (published);
    // later ones are the last value carried forward, and uncertain.
    let births = e.births_wan.interpolated(year - 6).unwrap_or(0.0) * 10_000.0;
    let published = model.links.births_known_until.is_some_and(|last| year - 6 <= last);
    let mut district_intake = births * model.links.enrollment_ratio * e.intake_adjustment.value * draws.intake_factor(year - base, published);
    // The pupil flows of issue 16. The ratio is calibrated on the base year,
    // so each acts only on later years, as a change from the base year; a
    // scenario without them multiplies by nothing (its results unchanged).
    if year > base {
        if let Some(p) = &e.public_entry {
            district_intake *= p.share.value / p.base_share.value;
        }
        if let Some(m) = &e.migrant {
            // Written as 1 + share × (change × draw − 1) so that centrally,
            // at change 1, the factor is exactly 1.
            district_intake *= 1.0 + m.share.value * (m.change.value * draws.migrant_factor(year - base) - 1.0);
        }
    }
    // The primary rows by their own list (in row order, so the draws come
    // in the same order), not by a test of each row's level: levels
    // alternate along the roster, and that branch was often guessed wrong.
    for &i in &model.links.by_level[Level::Primary as usize] {
        let expected = district_intake * shares[i];
        let housing: f64 = model.links.housing.iter().filter(|h| h.0 == i && h.1 == year).map(|h| h.2).sum();
        rows[i].students[0] = (expected * draws.school_intake_factor(expected) + housing).max(0.0);
    }
    for s in rows.iter_mut() {
        for g in s.students.iter_mut() {
            // Negative migration can never take a cohort below zero.
            *g = g.max(0.0);
        }
    }
}
