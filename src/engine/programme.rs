//! Sub-model 4: the new-quality school programme (新优质学校), seed
//! `000_9ddd49f59424de77.txt`. It works on schools (a nine-year school's two
//! rows share one status), in this order each year:
//!
//! 1. **Exit rule** (§二(一), switchable): a district-list school with no
//!    innovation project `exit_after_years` after joining, counted from the
//!    plan's start for schools already listed, leaves the list.
//! 2. **Projects**: listed schools without a project start one with
//!    probability `project_start_rate` (central rule: the first round(rate·n)
//!    in roster order start, so a school that misses out one year tends to miss
//!    again, as in the random runs; ordering by waiting time instead would
//!    rescue exactly the schools about to exit and bias the central run up); projects at least `project_min_years` old complete
//!    with probability `project_completion_rate` raised by the project grant.
//!    Demonstration projects (§二(三) 每年评选) are designated among projects
//!    under way or done, oldest first, up to the year's cumulative target.
//! 3. **Admissions**: schools not on the list that meet at least
//!    `min_indicators_met` of the seven indicators are ranked by readiness
//!    (indicators met, then strong-school experimental schools first, as
//!    §二(一) encourages, then mean value ÷ threshold); ceil(planned ÷ p) apply,
//!    each passing review with probability p (central rule: the top
//!    round(p·applicants)); at most `planned_admissions` join.
//! 4. **Demonstration schools**: listed schools with a completed project, by
//!    readiness, up to the year's cumulative designation target.
//! 5. **Certifications** (§二(二) 每年组织4-6所): a whole number in the range
//!    (central: the midpoint) of listed schools with a completed project.
//! 6. **Cases**: each active or completed project yields a case with
//!    probability `cases_per_project_year` a year.
//!
//! §二(二)'s "2–3 years" (原则上2-3年内需申报完成1项) is a deadline, not a
//! duration: `project_deadline_years` after its clock starts, a listed school
//! without a completed project counts in `projects_overdue`;
//! `project_min_years` is only how soon a project can report (Pudong: one
//! year, an estimate).

use super::{Draws, Model, State};
use crate::metrics::{Indicator, PerIndicator};
use crate::roster::{Level, NewQuality, ProjectStatus};

#[derive(Debug, Clone)]
pub(crate) struct Unit {
    status: NewQuality,
    /// Year the exit clock starts: joining year, or the plan's base year for
    /// schools listed before it.
    clock: i32,
    project: ProjectStatus,
    project_start: i32,
    demonstration: bool,
    demo_project: bool,
    certified: bool,
    closed: bool,
}

#[derive(Debug, Clone, Default)]
pub(crate) struct ProgrammeState {
    units: Vec<Unit>,
    pub projects_started: f64,
    pub cases: f64,
    pub certified: f64,
    pub exits: f64,
    /// The step's lists of units and of ranking keys, kept between years
    /// rather than allocated every year (see [`kept`]).
    scratch_units: Vec<usize>,
    scratch_keys: Vec<u128>,
}

impl ProgrammeState {
    pub fn new(model: &Model) -> ProgrammeState {
        let base = model.scenario.scenario.base_year;
        let rows = &model.roster.schools;
        let units: Vec<Unit> = model
            .links
            .units
            .iter()
            .map(|rs| {
                // A nine-year school's rows should agree; the higher status wins.
                let status = rs.iter().map(|&i| rows[i].new_quality).max().unwrap_or_default();
                let first = &rows[rs[0]];
                let project = rs.iter().map(|&i| rows[i].project_status).find(|p| *p != ProjectStatus::None).unwrap_or_default();
                Unit {
                    status,
                    clock: first.new_quality_since.unwrap_or(base).max(base),
                    project,
                    project_start: first.project_start.unwrap_or(base),
                    demonstration: false,
                    demo_project: false,
                    certified: false,
                    closed: false,
                }
            })
            .collect();
        let projects_started = units.iter().filter(|u| u.project != ProjectStatus::None).count() as f64;
        ProgrammeState { units, projects_started, ..Default::default() }
    }

    pub fn listed(&self, level: NewQuality) -> usize {
        count(&self.units, |u| u.status == level)
    }

    pub fn active_projects(&self) -> usize {
        count(&self.units, |u| (u.status != NewQuality::None) & (u.project == ProjectStatus::Active))
    }

    /// Demonstration projects designated, counting those of schools since removed.
    pub fn demo_projects(&self) -> usize {
        count(&self.units, |u| u.demo_project)
    }

    /// Listed schools past the project deadline (`deadline` years after
    /// their clock started) without a completed project.
    pub fn overdue(&self, year: i32, deadline: i32) -> usize {
        count(&self.units, |u| (u.status != NewQuality::None) & (u.project != ProjectStatus::Completed) & (year - u.clock >= deadline))
    }

    pub fn demonstration_schools(&self) -> usize {
        count(&self.units, |u| u.demonstration & (u.status != NewQuality::None))
    }

    /// A school whose rows have all merged away (seed 004) leaves the list
    /// and is never admitted again.
    pub fn close(&mut self, unit: usize) {
        let u = &mut self.units[unit];
        u.status = NewQuality::None;
        u.demonstration = false;
        u.project = ProjectStatus::None;
        u.closed = true;
    }

}

/// Each level's seven thresholds, looked up once a step for [`readiness`].
pub(super) type Thresholds = [PerIndicator<f64>; 2];

pub(super) fn thresholds(model: &Model) -> Thresholds {
    Level::ALL.map(|l| Indicator::ALL.map(|i| model.scenario.standards.level(l).threshold(i)))
}

/// (indicators met, strong-school flag, mean value ÷ threshold) of a school,
/// taking the weaker of a nine-year school's two open parts (a part merged
/// away, seed 004, has no indicators and does not hold the school back).
/// `thresholds` is [`thresholds`] of the model.
pub(super) fn readiness(model: &Model, state: &State, thresholds: &Thresholds, unit: usize) -> (u32, bool, f64) {
    let mut met = u32::MAX;
    let mut ratio = f64::INFINITY;
    let mut strong = false;
    for &i in model.links.units[unit].iter().filter(|&&i| state.open_rows.is_open(i)) {
        let s = &state.schools[i];
        let t = &thresholds[s.level as usize];
        // A row without pupils has no values (`Indicator::value_at`): each counts as 0.
        let p = s.enrollment();
        let vals: [f64; 7] = if p <= 0.0 {
            [0.0; 7]
        } else {
            let rates = Indicator::rates_at(s, p);
            std::array::from_fn(|k| rates[k] / t[k])
        };
        met = met.min(vals.iter().filter(|r| **r >= 1.0).count() as u32);
        ratio = ratio.min(vals.iter().map(|r| r.min(2.0)).sum::<f64>() / 7.0);
        strong |= s.strong_school;
    }
    (met, strong, ratio)
}

/// The units for which `test` holds, counted without a branch on each: a
/// unit's state follows the run's random draws, so a branch would often be
/// guessed wrong (the tests use `&`, not `&&`, for the same reason).
fn count(units: &[Unit], test: impl Fn(&Unit) -> bool) -> usize {
    units.iter().map(|u| usize::from(test(u))).sum()
}

pub(super) fn step(model: &Model, state: &mut State, year: i32, draws: &mut Draws) {
    let p = &model.scenario.new_quality;
    let grant = model.scenario.funding.grant_per_project_school_yuan.value;

    // 1. Exit rule.
    if p.exit_rule {
        let after = p.exit_after_years.value.round() as i32;
        // Selects, not a branch on each school's random state; the exits
        // counted as an integer, added once (whole numbers: the same sum).
        let mut exits = 0;
        for u in state.programme.units.iter_mut() {
            let exit = (u.status == NewQuality::District) & (u.project == ProjectStatus::None) & (year - u.clock >= after);
            u.status = if exit { NewQuality::None } else { u.status };
            u.demonstration &= !exit;
            exits += u32::from(exit);
        }
        state.programme.exits += f64::from(exits);
    }

    // 2. Projects: starts (longest-waiting first), then completions (oldest first).
    let mut picked = std::mem::take(&mut state.programme.scratch_units);
    let mut keys = std::mem::take(&mut state.programme.scratch_keys);
    let waiting = units_where(&state.programme.units, &mut picked, |u| (u.status != NewQuality::None) & (u.project == ProjectStatus::None), |k, _| k);
    // Each start is a coin toss ([`Draws::select`]); the count is whole, so
    // adding it at once is the same sum.
    let starting = draws.select(waiting, p.project_start_rate.value);
    for &k in starting.iter() {
        let u = &mut state.programme.units[k];
        u.project = ProjectStatus::Active;
        u.project_start = year;
    }
    state.programme.projects_started += starting.len() as f64;
    let min_years = p.project_min_years.value.round() as i32;
    let running = units_where(
        &state.programme.units,
        &mut picked,
        |u| (u.status != NewQuality::None) & (u.project == ProjectStatus::Active) & (year - u.project_start >= min_years),
        |k, _| k,
    );
    // Already in unit order, so a stable sort by start year alone gives the
    // (start, unit) order, and cheaply on the nearly sorted lists seen here.
    crate::sort::sort_by_key(running, |&k| state.programme.units[k].project_start);
    let completion = (p.project_completion_rate.value + p.completion_gain_per_100k_yuan.value * grant / 100_000.0).clamp(0.0, 1.0);
    for &k in draws.select(running, completion).iter() {
        state.programme.units[k].project = ProjectStatus::Completed;
    }
    let wanted = p.demo_project_designations.at(year).unwrap_or(0.0).round() as usize;
    let have = state.programme.demo_projects();
    let candidates = units_where(
        &state.programme.units,
        &mut keys,
        |u| (u.status != NewQuality::None) & (u.project != ProjectStatus::None) & !u.demo_project,
        |k, u| start_key(u.project_start, k),
    );
    for &key in crate::sort::smallest(candidates, wanted.saturating_sub(have)).iter() {
        state.programme.units[unit_of(key)].demo_project = true;
    }

    // 3. Admissions by readiness.
    let thresholds = thresholds(model);
    let planned = p.planned_admissions.exactly(year).unwrap_or(0.0).max(0.0).round() as usize;
    if planned > 0 {
        let min_met = p.min_indicators_met.value.round() as u32;
        let unlisted = units_where(&state.programme.units, &mut picked, |u| (u.status == NewQuality::None) & !u.closed, |k, _| k);
        let candidates = kept(
            &mut keys,
            unlisted.iter().map(|&k| {
                let (met, strong, ratio) = readiness(model, state, &thresholds, k);
                (met >= min_met, readiness_key(met, strong, ratio, k))
            }),
        );
        let pass = p.review_pass_probability.value;
        let applicants = ((planned as f64 / pass).ceil() as usize).min(candidates.len());
        let ranked = crate::sort::smallest(candidates, applicants);
        let passed = draws.select(ranked, pass);
        let admitted = passed.len().min(planned);
        for &key in &passed[..admitted] {
            let u = &mut state.programme.units[unit_of(key)];
            u.status = NewQuality::District;
            u.clock = year;
            u.project = ProjectStatus::None;
        }
    }

    // 4. Demonstration schools up to the cumulative target.
    let target = p.demonstration_designations.at(year).unwrap_or(0.0).round() as usize;
    let have = state.programme.demonstration_schools();
    if target > have {
        let completed = units_where(
            &state.programme.units,
            &mut picked,
            |u| (u.status != NewQuality::None) & !u.demonstration & (u.project == ProjectStatus::Completed),
            |k, _| k,
        );
        // Ranked without the strong-school flag: all count as not strong.
        let eligible = kept(
            &mut keys,
            completed.iter().map(|&k| {
                let (met, _, ratio) = readiness(model, state, &thresholds, k);
                (true, readiness_key(met, false, ratio, k))
            }),
        );
        for &key in crate::sort::smallest(eligible, target - have).iter() {
            state.programme.units[unit_of(key)].demonstration = true;
        }
    }

    // 5. Certifications.
    let lo = p.certifications_min.value.round() as u32;
    let hi = p.certifications_max.value.round() as u32;
    let quota = draws.uniform_count(lo, hi) as usize;
    let certifiable = units_where(
        &state.programme.units,
        &mut keys,
        |u| (u.status != NewQuality::None) & !u.certified & (u.project == ProjectStatus::Completed),
        |k, u| start_key(u.project_start, k),
    );
    let certified = crate::sort::smallest(certifiable, quota);
    for &key in certified.iter() {
        state.programme.units[unit_of(key)].certified = true;
    }
    // Whole numbers: the same sum as one at a time.
    state.programme.certified += certified.len() as f64;
    state.programme.scratch_units = picked;
    state.programme.scratch_keys = keys;

    // 6. Cases from projects under way or done.
    let projects = state
        .programme
        .units
        .iter()
        .filter(|u| u.status != NewQuality::None && u.project != ProjectStatus::None)
        .count() as u32;
    state.programme.cases += draws.binomial(projects, p.cases_per_project_year.value);

    // Keep the rows' status in step with their school's.
    for (k, rows) in model.links.units.iter().enumerate() {
        for &i in rows {
            state.schools[i].new_quality = state.programme.units[k].status;
            state.schools[i].project_status = state.programme.units[k].project;
        }
    }
}

/// `item` of each unit (by index, in order) for which `keep` holds, in
/// `out` (see [`kept`]).
fn units_where<'a, T: Copy + Default>(units: &[Unit], out: &'a mut Vec<T>, keep: impl Fn(&Unit) -> bool, item: impl Fn(usize, &Unit) -> T) -> &'a mut [T] {
    kept(out, units.iter().enumerate().map(|(k, u)| (keep(u), item(k, u))))
}

/// The items whose flag is set, in order, at the head of `out`, a list
/// kept between years so that none is allocated each year. Every item is
/// written and the list's end moved on by 0 or 1: which units pass follows
/// the run's random draws, and a branch on each would often be guessed wrong.
fn kept<T: Copy + Default>(out: &mut Vec<T>, items: impl ExactSizeIterator<Item = (bool, T)>) -> &mut [T] {
    if out.len() < items.len() {
        out.resize(items.len(), T::default());
    }
    let mut len = 0;
    for (keep, item) in items {
        out[len] = item;
        len += usize::from(keep);
    }
    &mut out[..len]
}

/// Bits of a ranking key below the unit's index ([`unit_of`]): more than
/// any list of units can count.
const UNIT_BITS: u32 = 55;

/// The unit a ranking key ([`start_key`], [`readiness_key`]) ranks.
fn unit_of(key: u128) -> usize {
    (key & ((1 << UNIT_BITS) - 1)) as usize
}

/// Unit `k`'s key in the order of the year its project started (`start`),
/// then of the unit: one integer, compared in one step while ranking.
fn start_key(start: i32, k: usize) -> u128 {
    let start = i64::from(start) - i64::from(i32::MIN);
    (start as u128) << UNIT_BITS | k as u128
}

/// A unit's key in the order of readiness ([`readiness`]): most indicators
/// met first, then strong schools, then the highest mean ratio (as
/// [`f64::total_cmp`] orders it), then by unit; one integer, compared in one
/// step while ranking. At most seven indicators are met (`u32::MAX` for a
/// school without open rows), so 255 keeps the order.
fn readiness_key(met: u32, strong: bool, ratio: f64, k: usize) -> u128 {
    let fewer_met = u128::from(!(met.min(255) as u8));
    let lower_ratio = !crate::sort::total_order_key(ratio);
    fewer_met << (UNIT_BITS + 65) | u128::from(!strong) << (UNIT_BITS + 64) | u128::from(lower_ratio) << UNIT_BITS | k as u128
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The keys order units as the rankings' comparisons did, and give the unit back.
    #[test]
    fn keys_order_as_the_rankings() {
        let ratios = [f64::NAN, -f64::NAN, f64::INFINITY, f64::NEG_INFINITY, 0.0, -0.0, 0.5, 1.0, 2.0, -1.0];
        let units = [0, 1, 7, 1 << 40];
        let mut ready = Vec::new();
        for met in [0, 3, 7, u32::MAX] {
            for strong in [false, true] {
                for ratio in ratios {
                    ready.extend(units.map(|k| (k, met, strong, ratio)));
                }
            }
        }
        for &(ka, ma, sa, ra) in &ready {
            let a = readiness_key(ma, sa, ra, ka);
            assert_eq!(unit_of(a), ka);
            for &(kb, mb, sb, rb) in &ready {
                let want = mb.cmp(&ma).then(sb.cmp(&sa)).then(rb.total_cmp(&ra)).then(ka.cmp(&kb));
                assert_eq!(a.cmp(&readiness_key(mb, sb, rb, kb)), want, "{ka} {ma} {sa} {ra} / {kb} {mb} {sb} {rb}");
            }
        }
        let starts = [i32::MIN, -1, 0, 2024, 2025, i32::MAX];
        for sa in starts {
            for ka in units {
                assert_eq!(unit_of(start_key(sa, ka)), ka);
                for sb in starts {
                    for kb in units {
                        assert_eq!(start_key(sa, ka).cmp(&start_key(sb, kb)), sa.cmp(&sb).then(ka.cmp(&kb)));
                    }
                }
            }
        }
    }
}
