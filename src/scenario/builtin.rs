//! The district scenarios built into the app, one per seed document. The
//! browser has no file system, so the TOML text is compiled in; the CLI and
//! the tests read the same files from `scenarios/`.

use super::Scenario;
use crate::message::Error;

/// A built-in scenario: its id (as in its `[scenario]` table) and TOML text.
#[derive(Debug, Clone, Copy)]
pub struct Builtin {
    /// The scenario's id, as in its `[scenario]` table, e.g. `pudong-2024`.
    pub id: &'static str,
    /// The scenario file's text, compiled in from `scenarios/`.
    pub toml: &'static str,
}

/// In seed order (000 … 004).
pub const BUILTIN: &[Builtin] = &[
    Builtin { id: "pudong-2024", toml: include_str!("../../scenarios/pudong-2024.toml") },
    Builtin { id: "putuo-strong-junior", toml: include_str!("../../scenarios/putuo-strong-junior.toml") },
    Builtin { id: "baoshan-urban-rural", toml: include_str!("../../scenarios/baoshan-urban-rural.toml") },
    Builtin { id: "minhang-hongqiao-district", toml: include_str!("../../scenarios/minhang-hongqiao-district.toml") },
    Builtin { id: "chongming-rural-island", toml: include_str!("../../scenarios/chongming-rural-island.toml") },
];

impl Builtin {
    /// Parses and validates the scenario.
    ///
    /// # Errors
    ///
    /// Only if the built-in file is broken: an [`Error`] as from
    /// [`Scenario::from_toml`]. A test loads every built-in scenario.
    pub fn scenario(&self) -> Result<Scenario, Error> {
        Scenario::from_toml(self.toml)
    }
}

/// The built-in scenario named `id`.
pub fn builtin(id: &str) -> Option<&'static Builtin> {
    BUILTIN.iter().find(|b| b.id == id)
}
