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
    pub feeds: Vec<Vec<(usize, f64)>>,
}

impl Intake {
    /// A copy of the model's own links, for a module to change.
    pub(super) fn of(links: &Links) -> Intake {
        Intake { catchment_share: links.catchment_share.clone(), feeds: links.feeds.clone() }
    }
}
