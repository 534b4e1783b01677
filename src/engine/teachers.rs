//! Sub-model 2: teachers, in this order: attrition (schools and reserve);
//! surplus beyond `surplus_tolerance` of a school's need withdrawn to the
//! level's reserve pool (统筹调配, Chongming's 教师储备); shortages filled from
//! the reserve, then by hiring within the district's cap; promotions to
//! senior title and new backbone designations; rotation (交流轮岗).
//!
//! Rotation is modelled as an exchange, as Shanghai practises it: a donor
//! school sends teachers (aiming at the minimum backbone share, within the
//! caps below) and receives the same number back from the schools it helps.
//! The net backbone flow is capped at the recipients' deficit, the donors'
//! surplus and, under the town–country rule, the gap between the two sides,
//! and no donor gets back more backbone teachers than it can send; so an
//! exchange may carry fewer backbone teachers than the minimum share, which
//! the `rotation_ok` series then reports. Every school keeps
//! its head count, so the district total is conserved, and so is the total of
//! each kind of teacher; only where the backbone and qualified teachers work
//! changes. Rotated teachers stay where they were sent. The rules other
//! than the core's three (toward lagging, within a group, pairings) are
//! built by a district module's `rotation_exchanges` hook (the town–country
//! rule, seed 004: `district/town_country.rs`).

use serde::Serialize;

use super::district::Districts;
use super::funding::classes_needed;
use super::{Model, State};
use crate::metrics::Indicator;
use crate::roster::School;
use crate::scenario::RotationRule;

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub(crate) struct RotationOutcome {
    /// Teachers who changed school this year (both directions of the exchange).
    pub rotated: f64,
    pub rotated_backbone: f64,
    pub eligible: f64,
}

/// Teachers held in a level's district reserve, by kind.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub(crate) struct Reserve {
    pub teachers: f64,
    kinds: Mix,
}

/// The year's teachers step; `districts` may add rotation exchanges.
pub(super) fn step(model: &Model, state: &mut State, districts: &Districts) {
    let t = &model.scenario.teachers;
    let rows = &mut state.schools;

    let keep = 1.0 - t.attrition_rate.value;
    for r in state.reserve.iter_mut() {
        r.teachers *= keep;
        r.kinds = r.kinds.scaled(keep);
    }

    // One pass a row for attrition, its pupils and need (enrollment does not
    // move during this step; the lists are kept in the state between years),
    // and what is short at its level; then the surplus beyond the tolerance
    // leaves the rows that have one for the reserve, at the school's mix.
    let Scratch { pupils, needs, gaps, eligible, over, rotation } = &mut state.teachers_scratch;
    // Sized once and written in place: pushing, the loop checked every list's room every row.
    for list in [&mut *pupils, &mut *needs, &mut *gaps, &mut *eligible] {
        list.resize(rows.len(), 0.0);
    }
    over.resize(rows.len(), 0);
    let surplus_of = |s: &School, need: f64| s.teachers - need * (1.0 + t.surplus_tolerance.value);
    // Each level's total gap, in row order (rows of the other level add
    // nothing: a gap is never negative). A row over the tolerance adds +0.0
    // here, the gap it has once its surplus has left (checked below).
    let mut level_gaps = [0.0; 2];
    // The rows over the tolerance, listed without a branch: about half the
    // rows, at random, so a branch on it mispredicted often.
    let mut n_over = 0;
    for (k, (((s, p), need), gap)) in rows.iter_mut().zip(pupils.iter_mut()).zip(needs.iter_mut()).zip(gaps.iter_mut()).enumerate() {
        s.teachers *= keep;
        s.qualified_teachers *= keep;
        s.backbone_teachers *= keep;
        s.pe_art_teachers *= keep;
        s.senior_teachers *= keep;
        s.science_teachers *= keep;
        *p = s.enrollment();
        *need = need_at(model, s, *p);
        let is_over = surplus_of(s, *need) > 0.0;
        over[n_over] = k;
        n_over += usize::from(is_over);
        *gap = (*need - s.teachers).max(0.0);
        level_gaps[s.level as usize] += if is_over { 0.0 } else { *gap };
    }
    // In row order, so each reserve sums its intake as before.
    let mut over_without_gap = true;
    for &k in &over[..n_over] {
        let s = &mut rows[k];
        let excess = surplus_of(s, needs[k]);
        let kinds = Mix::of(s).scaled(excess);
        shift(s, kinds, -1.0);
        s.teachers -= excess;
        let r = &mut state.reserve[s.level as usize];
        r.teachers += excess;
        r.kinds.add(kinds);
        gaps[k] = (needs[k] - s.teachers).max(0.0);
        over_without_gap &= gaps[k] == 0.0;
    }
    // A row that kept a gap after giving up its surplus (a tolerance near
    // zero, rounding) makes the sums be taken again in row order.
    if !over_without_gap {
        level_gaps = [0.0; 2];
        for (s, gap) in rows.iter().zip(gaps.iter()) {
            level_gaps[s.level as usize] += *gap;
        }
    }

    // The reserve fills shortages at its level, pro rata to the gaps; then
    // hiring fills what is still short, pro rata when the district's cap is
    // smaller than the total gap.
    let sending = [0, 1].map(|level| state.reserve[level].send(level_gaps[level]));
    // Summed from -0.0, as `Iterator::sum` does.
    let mut total_gap = -0.0;
    for ((s, gap), need) in rows.iter_mut().zip(gaps.iter_mut()).zip(needs.iter()) {
        if let Some(from) = &sending[s.level as usize] {
            from.fill(s, *gap);
        }
        *gap = (need - s.teachers).max(0.0);
        total_gap += *gap;
    }
    let hires = total_gap.min(t.max_hires_per_year.value);
    let scale = if total_gap > 0.0 { hires / total_gap } else { 0.0 };
    state.hires = hires;

    // Hiring, then promotions to senior title and new backbone designations.
    let mut total_eligible = -0.0;
    for ((s, gap), e) in rows.iter_mut().zip(gaps.iter()).zip(eligible.iter_mut()) {
        let h = gap * scale;
        s.teachers += h;
        s.qualified_teachers += h * t.new_hire_qualified_share.value;
        s.pe_art_teachers += h * t.new_hire_pe_art_share.value;
        s.senior_teachers += t.senior_promotion_rate.value * (s.teachers - s.senior_teachers).max(0.0);
        s.backbone_teachers += t.backbone_designation_rate.value * (s.teachers - s.backbone_teachers).max(0.0);
        *e = s.teachers * t.eligible_share.value;
        total_eligible += *e;
    }

    state.rotation = rotate(model, rows, pupils, eligible, total_eligible, districts, rotation);
}

/// The teachers step's lists, kept in the run's state so that a run
/// allocates them once, not every year.
#[derive(Debug, Clone, Default)]
pub(super) struct Scratch {
    pupils: Vec<f64>,
    needs: Vec<f64>,
    gaps: Vec<f64>,
    eligible: Vec<f64>,
    /// The rows with teachers over the surplus tolerance.
    over: Vec<usize>,
    rotation: RotationLists,
}

/// Rotation's lists: the year's exchanges, a pool's indicator values, an
/// exchange's head counts each way, and last year's donor and recipient
/// lists for this year's exchanges to reuse.
#[derive(Debug, Clone, Default)]
struct RotationLists {
    exchanges: Vec<(Exchange, f64)>,
    values: Vec<(usize, f64)>,
    back: Vec<f64>,
    sent: Vec<f64>,
    spare: Vec<Vec<(usize, f64)>>,
}

impl Reserve {
    /// Takes out the teachers the reserve sends to gaps totalling `total`:
    /// all of them, up to the total; `None` when it sends none.
    fn send(&mut self, total: f64) -> Option<Sending> {
        let sent = total.min(self.teachers);
        if sent <= 0.0 {
            return None;
        }
        let mix = self.kinds.scaled(1.0 / self.teachers);
        self.kinds = self.kinds.scaled((self.teachers - sent) / self.teachers);
        self.teachers -= sent;
        Some(Sending { sent, total, mix })
    }
}

/// Teachers a reserve sends (at its mix of kinds), shared pro rata to the
/// gaps, which total `total`.
struct Sending {
    sent: f64,
    total: f64,
    mix: Mix,
}

impl Sending {
    /// Sends row `s` its share for its gap. A row without a gap gets none:
    /// its counts are kept as they are. Selected, not branched on: whether a
    /// row has a gap is data (a branch on it mispredicted often).
    #[inline]
    fn fill(&self, s: &mut School, gap: f64) {
        let has_gap = gap > 0.0;
        let n = gap * self.sent / self.total;
        let filled = shifted(s, self.mix.scaled(n), 1.0);
        Mix::pick(has_gap, filled, Mix::counts(s)).put(s);
        let teachers = s.teachers + n;
        s.teachers = if has_gap { teachers } else { s.teachers };
    }
}

/// Sends reserve teachers (at the reserve's mix of kinds) to the rows, each
/// up to its gap, pro rata when the reserve is short. Gaps of rows at other
/// levels must be zero.
pub(super) fn fill_from_reserve(r: &mut Reserve, rows: &mut [School], gaps: &[f64]) {
    let total: f64 = gaps.iter().sum();
    let Some(from) = r.send(total) else { return };
    for (s, &gap) in rows.iter_mut().zip(gaps) {
        from.fill(s, gap);
    }
}

/// How a school's teacher need is counted. The core rule is the ratio; a
/// district module may choose another when the model is bound.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum Staffing {
    /// Students ÷ students per teacher (`teachers.staffing`).
    Ratio,
    /// Classes × staff per class, by level (primary, junior); classes are
    /// each grade split at the class-size cap.
    PerClass([f64; 2]),
    /// The larger of the two.
    GreaterOf([f64; 2]),
}

/// Teachers a school needs under the staffing standard (the model's [`Staffing`] rule).
#[cfg(test)]
pub(super) fn need(model: &Model, s: &School) -> f64 {
    need_at(model, s, s.enrollment())
}

/// [`need`] for a row whose enrollment `p` the caller already has.
/// Inlined: the teachers step and the record take it for every row every year.
#[inline]
pub(super) fn need_at(model: &Model, s: &School, p: f64) -> f64 {
    let by_ratio = p / model.scenario.staffing_ratio(s.level, s.area);
    let by_class = |staff_per_class: [f64; 2]| classes_needed(&model.scenario.standards, s) * staff_per_class[s.level as usize];
    match model.rules.staffing {
        Staffing::Ratio => by_ratio,
        Staffing::PerClass(k) => by_class(k),
        Staffing::GreaterOf(k) => by_ratio.max(by_class(k)),
    }
}

/// The composition of one teacher, on average, at a school (or, scaled, the
/// kinds among a number of teachers).
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub(super) struct Mix {
    pub qualified: f64,
    pub backbone: f64,
    pub pe_art: f64,
    pub senior: f64,
    /// Science teachers (seed 004 §7); zero unless the roster has them.
    pub science: f64,
}

impl Mix {
    pub(super) fn of(s: &School) -> Mix {
        if s.teachers <= 0.0 {
            return Mix::default();
        }
        Mix {
            qualified: s.qualified_teachers / s.teachers,
            backbone: s.backbone_teachers / s.teachers,
            pe_art: s.pe_art_teachers / s.teachers,
            senior: s.senior_teachers / s.teachers,
            science: s.science_teachers / s.teachers,
        }
    }

    /// The kinds among `n` teachers school `s` sends away: each kind at the
    /// school's mix, except the backbone teachers, whose number the sender
    /// chooses (see [`backbone_out`]).
    pub(super) fn sent(s: &School, n: f64, backbone: f64) -> Mix {
        Mix { backbone, ..Mix::of(s).scaled(n) }
    }

    /// A school's teachers of each kind (numbers, not shares).
    fn counts(s: &School) -> Mix {
        Mix {
            qualified: s.qualified_teachers,
            backbone: s.backbone_teachers,
            pe_art: s.pe_art_teachers,
            senior: s.senior_teachers,
            science: s.science_teachers,
        }
    }

    /// Sets a school's teachers of each kind to these numbers.
    fn put(self, s: &mut School) {
        s.qualified_teachers = self.qualified;
        s.backbone_teachers = self.backbone;
        s.pe_art_teachers = self.pe_art;
        s.senior_teachers = self.senior;
        s.science_teachers = self.science;
    }

    /// `a` if `c`, else `b`, kind by kind: selects on numbers both already
    /// worked out, not a branch.
    fn pick(c: bool, a: Mix, b: Mix) -> Mix {
        Mix {
            qualified: if c { a.qualified } else { b.qualified },
            backbone: if c { a.backbone } else { b.backbone },
            pe_art: if c { a.pe_art } else { b.pe_art },
            senior: if c { a.senior } else { b.senior },
            science: if c { a.science } else { b.science },
        }
    }

    fn add(&mut self, o: Mix) {
        self.qualified += o.qualified;
        self.backbone += o.backbone;
        self.pe_art += o.pe_art;
        self.senior += o.senior;
        self.science += o.science;
    }

    fn scaled(self, f: f64) -> Mix {
        Mix {
            qualified: self.qualified * f,
            backbone: self.backbone * f,
            pe_art: self.pe_art * f,
            senior: self.senior * f,
            science: self.science * f,
        }
    }
}

/// Moves teachers of each kind out of (`sign = -1`) or into (`+1`) a school.
/// Head counts are unchanged by an exchange; only the kinds move.
pub(super) fn shift(s: &mut School, k: Mix, sign: f64) {
    shifted(s, k, sign).put(s);
}

/// The numbers of each kind [`shift`] leaves at `s`.
fn shifted(s: &School, k: Mix, sign: f64) -> Mix {
    // The clamp only absorbs rounding: outflows never exceed what a school has.
    Mix {
        qualified: (s.qualified_teachers + sign * k.qualified).max(0.0),
        backbone: (s.backbone_teachers + sign * k.backbone).max(0.0),
        pe_art: (s.pe_art_teachers + sign * k.pe_art).max(0.0),
        senior: (s.senior_teachers + sign * k.senior).max(0.0),
        science: (s.science_teachers + sign * k.science).max(0.0),
    }
}

/// `pupils` holds each row's enrollment (which rotation does not change),
/// `eligible` its teachers eligible to rotate, which total `total_eligible`.
/// `lists` are rotation's own, kept between years.
fn rotate(model: &Model, rows: &mut [School], pupils: &[f64], eligible: &[f64], total_eligible: f64, districts: &Districts, lists: &mut RotationLists) -> RotationOutcome {
    let t = &model.scenario.teachers;
    let share = t.rotation_share.value;
    let min_backbone = t.rotation_backbone_share.value;
    let mut out = RotationOutcome { eligible: total_eligible, ..Default::default() };
    if share <= 0.0 {
        return out;
    }

    // Exchanges: each is a set of donors and recipients with weights, with
    // a cap on its net backbone flow (infinite for the core rules).
    let RotationLists { exchanges, values, back, sent, spare } = lists;
    exchanges.clear();
    match &t.rotation_rule {
        RotationRule::TowardLagging { indicator } | RotationRule::WithinGroup { indicator } => {
            let pools = if matches!(t.rotation_rule, RotationRule::WithinGroup { .. }) {
                &model.links.by_level_group
            } else {
                &model.links.by_level
            };
            for members in pools {
                if let Some(x) = lagging_exchange(rows, pupils, members, *indicator, eligible, values, spare) {
                    exchanges.push((x, f64::INFINITY));
                }
            }
        }
        RotationRule::Pairings => {
            for &(experimental, support) in &model.links.pairs {
                exchanges.push(((vec![(support, eligible[support])], vec![(experimental, eligible[experimental])]), f64::INFINITY));
            }
        }
        // Other rules are a district module's: it adds their exchanges below.
        _ => {}
    }
    districts.rotation_exchanges(model, rows, eligible, exchanges);

    // The head counts' lists sized once for the longest side, and the
    // exchanges freed after the loop: with no call in it (to grow a list or
    // free an exchange's), its sums stay in registers, not on the stack.
    let longest = exchanges.iter().map(|((d, r), _)| d.len().max(r.len())).max().unwrap_or(0);
    back.resize(longest, 0.0);
    sent.resize(longest, 0.0);

    // Every sum below runs over its rows in the order the lists give (donors
    // before recipients), from -0.0 as `Iterator::sum` does; sums over the
    // same rows share a pass.
    for ((donors, recipients), cap) in exchanges.iter() {
        let cap = *cap;
        let back = &mut back[..recipients.len()];
        let sent = &mut sent[..donors.len()];
        let (mut dw, mut rw, mut pool_eligible, mut pool_backbone, mut pool_pupils) = (-0.0, -0.0, -0.0, -0.0, -0.0);
        for &(i, w) in donors {
            dw += w;
            pool_eligible += eligible[i];
            pool_backbone += rows[i].backbone_teachers;
            pool_pupils += pupils[i];
        }
        for &(i, w) in recipients {
            rw += w;
            pool_eligible += eligible[i];
            pool_backbone += rows[i].backbone_teachers;
            pool_pupils += pupils[i];
        }
        if dw <= 0.0 || rw <= 0.0 {
            continue;
        }
        // Half the rotated teachers go each way. Size the two directions so
        // they carry exactly the same head count, no school sending more than
        // it has eligible.
        let x = share * pool_eligible / 2.0;
        let mut wanted = -0.0;
        for (n, &(i, w)) in back.iter_mut().zip(recipients) {
            *n = (x * w / rw).min(eligible[i]);
            wanted += *n;
        }
        let mut moved = -0.0;
        for (n, &(i, w)) in sent.iter_mut().zip(donors) {
            *n = (wanted * w / dw).min(eligible[i]);
            moved += *n;
        }
        if moved <= 0.0 {
            continue;
        }
        if moved < wanted {
            back.iter_mut().for_each(|n| *n *= moved / wanted);
        }

        // Backbone teachers: the exchange as a whole carries at least the
        // minimum share (both directions count as rotated), and the net flow
        // toward the recipients is capped at what brings them up to the
        // exchange's pooled level, so rotation never overshoots.
        let pooled = pool_backbone / pool_pupils.max(1.0);
        let (mut surplus, mut natural) = (-0.0, -0.0);
        // Each donor sends its share of the flow (n/moved) back at most its
        // backbone teachers.
        let mut donor_can = f64::INFINITY;
        for (&(i, _), &n) in donors.iter().zip(sent.iter()) {
            surplus += (rows[i].backbone_teachers - pooled * pupils[i]).max(0.0);
            natural += n * Mix::of(&rows[i]).backbone;
            if n > 0.0 {
                donor_can = donor_can.min(rows[i].backbone_teachers * moved / n);
            }
        }
        let mut deficit = -0.0;
        for (&(i, _), &n) in recipients.iter().zip(back.iter()) {
            deficit += (pooled * pupils[i] - rows[i].backbone_teachers).max(0.0);
            natural += n * Mix::of(&rows[i]).backbone;
        }
        let total_backbone = (2.0 * moved * min_backbone).max(natural);
        let net = total_backbone.min(deficit.min(surplus)).min(cap);
        // What comes back is capped so that every donor can send at least as
        // many as it receives (else a donor short of backbone teachers would
        // gain them).
        let recipient_backbone = ((total_backbone - net) / 2.0).min((donor_can - net).max(0.0));

        let mut to_donors = Mix::default();
        for (&(i, _), &n) in recipients.iter().zip(back.iter()) {
            let k = Mix::sent(&rows[i], n, backbone_out(&rows[i], n, recipient_backbone * n / moved));
            shift(&mut rows[i], k, -1.0);
            to_donors.add(k);
        }
        // Recipients may have had fewer backbone teachers to send than asked;
        // the donors' flow is sized on what actually came back, so the net
        // transfer stays within the cap.
        let donor_backbone = to_donors.backbone + net;
        let mut to_recipients = Mix::default();
        for (&(i, _), &n) in donors.iter().zip(sent.iter()) {
            let k = Mix::sent(&rows[i], n, backbone_out(&rows[i], n, donor_backbone * n / moved));
            shift(&mut rows[i], k, -1.0);
            to_recipients.add(k);
        }
        for (&(i, _), &n) in recipients.iter().zip(back.iter()) {
            shift(&mut rows[i], to_recipients.scaled(n / moved), 1.0);
        }
        for (&(i, _), &n) in donors.iter().zip(sent.iter()) {
            shift(&mut rows[i], to_donors.scaled(n / moved), 1.0);
        }
        out.rotated += 2.0 * moved;
        out.rotated_backbone += to_recipients.backbone + to_donors.backbone;
    }
    // Kept for next year's exchanges (at most two a year's exchange, so the
    // spares never pile up).
    spare.truncate(2 * exchanges.len());
    spare.extend(exchanges.drain(..).flat_map(|((d, r), _)| [d, r]));
    out
}

/// Backbone teachers among `n` sent from `s`, as near `wanted` as the school
/// allows: no more than it has, and no fewer than `n` minus its non-backbone
/// teachers (it cannot send non-backbone teachers it does not have).
pub(super) fn backbone_out(s: &School, n: f64, wanted: f64) -> f64 {
    let floor = (n - (s.teachers - s.backbone_teachers)).max(0.0);
    wanted.min(s.backbone_teachers).min(n).max(floor)
}

/// (donor rows with weights, recipient rows with weights).
pub(super) type Exchange = (Vec<(usize, f64)>, Vec<(usize, f64)>);

/// Donors are the members above the members' enrollment-weighted mean of
/// `indicator`, weighted by their eligible teachers; recipients are those
/// below, weighted by how far below they are (in students × gap). `pupils`
/// holds each row's enrollment.
/// `values` is a list kept between calls; the two lists returned are taken
/// from `spare` when it has any (and go back to it when none is returned).
fn lagging_exchange(rows: &[School], pupils: &[f64], members: &[usize], indicator: Indicator, eligible: &[f64], values: &mut Vec<(usize, f64)>, spare: &mut Vec<Vec<(usize, f64)>>) -> Option<Exchange> {
    // Taken before the sums: no call (to allocate) after them, so they stay
    // in registers.
    let mut donors = spare.pop().unwrap_or_default();
    let mut recipients = spare.pop().unwrap_or_default();
    for list in [&mut donors, &mut recipients, &mut *values] {
        list.resize(members.len(), (0, 0.0));
    }
    // Each member with pupils written in place with its value, and summed in
    // the same pass.
    let (mut p, mut px) = (0.0, 0.0);
    let mut valued = 0;
    for &i in members {
        if let Some(v) = indicator.value_at(&rows[i], pupils[i]) {
            values[valued] = (i, v);
            valued += 1;
            let e = pupils[i];
            p += e;
            px += e * v;
        }
    }
    let mean = px / p;
    // Every member is written to both lists, and kept in each by a 0/1 step:
    // which side of the mean a school falls is data, a branch on it
    // mispredicted.
    let (mut above, mut below) = (0, 0);
    for &(i, v) in &values[..valued] {
        donors[above] = (i, eligible[i]);
        above += usize::from(v > mean);
        recipients[below] = (i, (mean - v) * pupils[i]);
        below += usize::from(v < mean);
    }
    donors.truncate(above);
    recipients.truncate(below);
    if p <= 0.0 || above == 0 || below == 0 {
        spare.extend([donors, recipients]);
        None
    } else {
        Some((donors, recipients))
    }
}

#[cfg(test)]
pub(super) fn rotate_for_test(model: &Model, rows: &mut [School]) -> RotationOutcome {
    let pupils: Vec<f64> = rows.iter().map(School::enrollment).collect();
    let eligible: Vec<f64> = rows.iter().map(|s| s.teachers * model.scenario.teachers.eligible_share.value).collect();
    rotate(model, rows, &pupils, &eligible, eligible.iter().sum(), &Districts::start(model), &mut RotationLists::default())
}
