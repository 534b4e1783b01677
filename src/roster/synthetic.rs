//! Placeholder until the synthetic-roster branch lands (replaced on merge).
use serde::{Deserialize, Serialize};
use super::Roster;
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SyntheticSpec {}
pub fn generate(_spec: &SyntheticSpec) -> Result<Roster, Vec<String>> { Err(vec!["synthetic rosters not yet available".into()]) }
