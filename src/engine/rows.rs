//! The parts of a run's state that say which rows take part: the rows still
//! open, and the intake links in force. A district module may close rows or
//! move intake (merging does both); every core step and the record respect
//! what they say without knowing which module changed them.

use super::Links;

/// Which rows are open, and where each closed row's pupils went.
#[derive(Debug, Clone)]
pub(super) struct OpenRows {
    closed: Vec<bool>,
    /// The row that received each closed row.
    receiver: Vec<Option<usize>>,
}

impl OpenRows {
    /// `rows` rows, all open.
    pub(super) fn new(rows: usize) -> OpenRows {
        OpenRows { closed: vec![false; rows], receiver: vec![None; rows] }
    }

    pub(super) fn is_open(&self, row: usize) -> bool {
        !self.closed[row]
    }

    /// Closes `row`, whose pupils go to `receiver`.
    pub(super) fn close(&mut self, row: usize, receiver: usize) {
        self.closed[row] = true;
        self.receiver[row] = Some(receiver);
    }

    /// Marks `row` not yet open (a new school before its opening year): closed,
    /// with no receiver.
    pub(super) fn not_yet_open(&mut self, row: usize) {
        self.closed[row] = true;
        self.receiver[row] = None;
    }

    /// Opens a row marked with [`OpenRows::not_yet_open`].
    pub(super) fn open(&mut self, row: usize) {
        self.closed[row] = false;
    }

    /// The row that received a closed row's pupils; `None` for an open row
    /// and for one not yet open.
    pub(super) fn receiver(&self, row: usize) -> Option<usize> {
        self.receiver[row]
    }

    /// The open row a closed row's pupils now go to (after any chain of
    /// closures); an open row is its own.
    pub(super) fn final_receiver(&self, mut row: usize) -> usize {
        while let Some(r) = self.receiver[row] {
            row = r;
        }
        row
    }
}

/// Intake links a district module has changed: each primary row's share of
/// the grade-1 intake, and the junior rows receiving its grade 5, with shares
/// (as in `Links`, which apply until a module makes its own copy).
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Intake {
    pub catchment_share: Vec<f64>,
    pub feeds: Feeds,
}

impl Intake {
    /// A copy of the model's own links, for a module to change.
    pub(super) fn of(links: &Links) -> Intake {
        Intake { catchment_share: links.catchment_share.clone(), feeds: links.feeds.clone() }
    }
}

/// Where each primary row's grade 5 goes. A primary with feeds (or a junior
/// part) has its own list of (junior row, share) in `rows`; a primary with
/// neither sends its grade 5 to every junior row in proportion to the
/// juniors' base-year grade 6, and those rows share the one list `spread`
/// instead of each holding a copy: a roster of such rows (a CSV without the
/// 对口初中 column) would otherwise hold primaries × juniors shares (25,000 ×
/// 25,000 at 50,000 rows), quadratic to bind and to run.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Feeds {
    /// Per row: its own (junior row, share) list; empty for a junior row and
    /// for a row that spreads.
    pub rows: Vec<Vec<(usize, f64)>>,
    /// Per row: true when its grade 5 goes by `spread`.
    pub spreads: Vec<bool>,
    /// Every junior row with its share, for the rows that spread.
    pub spread: Vec<(usize, f64)>,
}

impl Feeds {
    /// Row `i`'s (junior row, share) list as a list of its own: a spreading
    /// row's is a copy of `spread` (for a module that changes one row's
    /// feeds, such as a merge).
    pub(super) fn of_row(&self, i: usize) -> Vec<(usize, f64)> {
        if self.spreads[i] {
            self.spread.clone()
        } else {
            self.rows[i].clone()
        }
    }

    /// Gives row `i` the list `feeds` of its own (it no longer spreads).
    pub(super) fn set_row(&mut self, i: usize, feeds: Vec<(usize, f64)>) {
        self.spreads[i] = false;
        self.rows[i] = feeds;
    }

    /// Every (junior row, share) list in force: each row's own, and the
    /// shared spread.
    pub(super) fn lists_mut(&mut self) -> impl Iterator<Item = &mut Vec<(usize, f64)>> {
        self.rows.iter_mut().chain(std::iter::once(&mut self.spread))
    }
}

/// Adds feed shares to `into`, summing those to the same junior row (a new
/// row goes last, in the order of `more`); linear in both lists.
pub(super) fn add_feeds(into: &mut Vec<(usize, f64)>, more: impl IntoIterator<Item = (usize, f64)>) {
    // Positions by junior row: only looked up, never iterated.
    // The first entry of a row, as a scan from the top would find.
    let mut at: std::collections::HashMap<usize, usize> = std::collections::HashMap::with_capacity(into.len());
    for (k, f) in into.iter().enumerate() {
        at.entry(f.0).or_insert(k);
    }
    for (j, w) in more {
        match at.get(&j) {
            Some(&k) => into[k].1 += w,
            None => {
                at.insert(j, into.len());
                into.push((j, w));
            }
        }
    }
}
