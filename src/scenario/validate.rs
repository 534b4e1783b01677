//! Range checks on a parsed scenario. Every problem is collected; none stops
//! the others from being found. Each is a [`Problem`] at the field's path
//! as written in the scenario file.

use crate::message::{Problem, Text};
use crate::params::{Sourced, Yearly};

use super::ranges::{self, check_whole, Bounds};
use super::Scenario;

#[derive(Default)]
pub(super) struct Checker {
    problems: Vec<Problem>,
}

impl Checker {
    /// A problem at the field `path`.
    pub(super) fn push(&mut self, path: &str, message: Text) {
        self.add(Problem::field(path, message));
    }

    /// A problem at the field `path`, with the value found.
    pub(super) fn push_found(&mut self, path: &str, message: Text, found: impl std::fmt::Display) {
        self.add(Problem::field(path, message).found(found.to_string()));
    }

    pub(super) fn add(&mut self, problem: Problem) {
        self.problems.push(problem);
    }

    /// A value from `lo` to `hi`.
    pub(super) fn range(&mut self, path: &str, v: f64, lo: f64, hi: f64) {
        self.bounded(path, v, Bounds::new(lo, hi));
    }

    /// A value within `bounds` (whole if they say so); one problem at most.
    pub(super) fn bounded(&mut self, path: &str, v: f64, bounds: Bounds) {
        if let Err(e) = bounds.check(v) {
            self.add(e.at(path));
        }
    }

    pub(super) fn sourced(&mut self, path: &str, p: &Sourced<f64>, lo: f64, hi: f64) {
        self.sourced_in(path, p.value, &p.source, Bounds::new(lo, hi));
    }

    /// A whole-number value (a year, a count) between `lo` and `hi`, with its source.
    pub(super) fn sourced_whole(&mut self, path: &str, v: f64, source: &str, lo: f64, hi: f64) {
        self.sourced_in(path, v, source, Bounds::whole(lo, hi));
    }

    /// A value within `bounds` at `{path}.value`, with its source at `{path}.source`.
    pub(super) fn sourced_in(&mut self, path: &str, v: f64, source: &str, bounds: Bounds) {
        self.bounded(&format!("{path}.value"), v, bounds);
        self.source(path, source);
    }

    /// A whole number, whatever its range (checked apart from the range, so
    /// a fractional value out of range reports both).
    pub(super) fn whole(&mut self, path: &str, v: f64) {
        if let Err(e) = check_whole(v) {
            self.add(e.at(path));
        }
    }

    pub(super) fn source(&mut self, path: &str, source: &str) {
        if source.trim().is_empty() {
            self.push(
                &format!("{path}.source"),
                Text::new("须注明来源（种子文件与条款，或标准）", "a source is required: seed file and article, or the standard"),
            );
        }
    }

    pub(super) fn yearly(&mut self, path: &str, y: &Yearly, lo: f64, hi: f64) {
        self.yearly_in(path, y, Bounds::new(lo, hi));
    }

    /// Every year's value within `bounds`, keys that are years, and a source.
    pub(super) fn yearly_in(&mut self, path: &str, y: &Yearly, bounds: Bounds) {
        if y.values.is_empty() {
            self.push(&format!("{path}.values"), Text::new("至少需要一个年份的取值", "needs at least one year"));
        }
        for (k, v) in &y.values {
            match k.trim().parse::<i32>() {
                Ok(year) if (1949..=2100).contains(&year) => self.bounded(&format!("{path}.values.{k}"), *v, bounds),
                _ => self.push(&format!("{path}.values.{k}"), Text::new("键须为 1949–2100 之间的年份", "keys must be years 1949–2100")),
            }
        }
        self.source(path, &y.source);
    }

}

pub fn validate(s: &Scenario) -> Vec<Problem> {
    let mut c = Checker::default();
    let m = &s.scenario;
    if m.id.is_empty() || !m.id.chars().all(|ch| ch.is_ascii_lowercase() || ch.is_ascii_digit() || ch == '-') {
        c.push_found("scenario.id", Text::new("须为小写字母、数字和连字符", "must be lowercase letters, digits and '-'"), &m.id);
    }
    c.range("scenario.base_year", f64::from(m.base_year), 2000.0, 2100.0);
    if m.end_year <= m.base_year || m.end_year > m.base_year + 20 {
        c.push_found(
            "scenario.end_year",
            Text::new("须在 base_year+1 到 base_year+20 之间", "must be 1–20 years after base_year"),
            m.end_year,
        );
    }
    c.range("scenario.runs", f64::from(m.runs), 1.0, 100_000.0);

    let sources = [s.roster.synthetic.is_some(), s.roster.csv.is_some(), s.roster.schools.is_some()];
    if sources.iter().filter(|b| **b).count() != 1 {
        c.push("roster", Text::new("须且只能给出 synthetic、csv、schools 之一", "give exactly one of synthetic, csv, schools"));
    }

    let e = &s.enrollment;
    if let Some(r) = &e.enrollment_ratio {
        c.sourced("enrollment.enrollment_ratio", r, 0.0, 10.0);
    }
    // `junior_entry_share`, `public_entry.share` and `migrant.change` are
    // levers, so their ranges are in `ranges::FIELDS` below.
    if let Some(p) = &e.public_entry {
        c.sourced("enrollment.public_entry.base_share", &p.base_share, 0.01, 1.0);
    }
    if let Some(m) = &e.migrant {
        c.sourced("enrollment.migrant.share", &m.share, 0.0, 1.0);
    }
    for (k, h) in e.housing.iter().enumerate() {
        c.range(&format!("enrollment.housing[{k}].grade1_students"), h.grade1_students, 0.0, 5000.0);
        c.range(&format!("enrollment.housing[{k}].year"), f64::from(h.year), 2000.0, 2100.0);
    }

    // The core sections' ranges, which the planner's levers also read.
    for f in ranges::FIELDS {
        if let Some(p) = f.get(s) {
            c.sourced_in(f.path, p.value, &p.source, f.bounds);
        }
    }
    for f in ranges::YEARLY_FIELDS {
        c.yearly_in(f.path, f.get(s), f.bounds);
    }

    let n = &s.new_quality;
    if n.certifications_min.value > n.certifications_max.value {
        c.push("new_quality.certifications_min", Text::new("不得大于 certifications_max", "must not exceed certifications_max"));
    }

    if let Some(p) = &s.shared_courses {
        super::shared_courses::validate(p, &mut c);
    }

    let u = &s.uncertainty;
    c.range("uncertainty.births_sigma", u.births_sigma, 0.0, 1.0);
    c.range("uncertainty.intake_ratio_sigma", u.intake_ratio_sigma, 0.0, 1.0);
    // Below 1, so the path stays stationary.
    c.range("uncertainty.persistence", u.persistence, 0.0, 0.99);
    c.range("uncertainty.school_intake_sigma", u.school_intake_sigma, 0.0, 1.0);
    c.range("uncertainty.migration_sigma", u.migration_sigma, 0.0, 0.1);
    c.range("uncertainty.migrant_sigma", u.migrant_sigma, 0.0, 1.0);

    for sf in ranges::standard_fields() {
        let p = sf.get(s);
        c.sourced_in(&sf.path(), p.value, &p.source, sf.bounds());
    }

    super::merging::validate(s, &mut c);
    super::seats::validate(s, &mut c);
    super::strong_schools::validate(s, &mut c);

    let mut ids = std::collections::BTreeSet::new();
    for (k, t) in s.targets.iter().enumerate() {
        let path = format!("targets[{k}]");
        if !ids.insert(t.id.as_str()) {
            c.push_found(&format!("{path}.id"), Text::new("目标编号重复", "duplicate target id"), &t.id);
        }
        if crate::series::find(&t.series).is_none() {
            let unknown = Problem::field(format!("{path}.series"), Text::new("未知序列", "unknown series"));
            c.add(unknown.found(t.series.clone()).allowed(Text::same(crate::series::keys().join(", "))));
        }
        if !s.years().contains(&t.year) {
            let horizon = Text::new(format!("须在 {}–{} 之间（规划期内）", m.base_year, m.end_year), format!("must be inside the horizon {}–{}", m.base_year, m.end_year));
            c.push_found(&format!("{path}.year"), horizon, t.year);
        }
        if !t.value.is_finite() {
            c.push_found(&format!("{path}.value"), Text::new("须为有限数", "must be a finite number"), t.value);
        }
        if t.source.trim().is_empty() {
            c.push(&format!("{path}.source"), Text::new("须注明来源", "a source is required"));
        }
    }
    super::urban_rural::validate(s, &mut c);
    c.problems
}
