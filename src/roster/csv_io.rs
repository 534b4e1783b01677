//! Placeholder until the roster-csv branch lands (replaced on merge).
use super::Roster;
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang { Zh, En }
#[derive(Debug, Clone)]
pub struct RowProblem { pub row: Option<usize>, pub column: Option<String>, pub message: String }
impl std::fmt::Display for RowProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result { write!(f, "{}", self.message) }
}
pub fn parse_roster_csv(_text: &str, _lang: Lang) -> Result<Roster, Vec<RowProblem>> {
    Err(vec![RowProblem { row: None, column: None, message: "CSV import not yet available".into() }])
}
