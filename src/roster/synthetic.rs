//! Placeholder until the synthetic-roster branch lands (replaced on merge).
use serde::{Deserialize, Serialize};
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SyntheticSpec {}
