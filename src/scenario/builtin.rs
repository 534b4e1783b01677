//! The district scenarios built into the app, one per seed document. The
//! browser has no file system, so they are compiled in: as JSON, converted
//! from `scenarios/*.toml` at build time (src/build.rs), so the page needs no
//! TOML parser to start; the CLI and the tests read the same TOML files.

use super::{Meta, Scenario};
use crate::message::Error;

/// A built-in scenario: its id (as in its `[scenario]` table), its scenario
/// as JSON, and its data version.
#[derive(Debug, Clone, Copy)]
pub struct Builtin {
    /// The scenario's id, as in its `[scenario]` table, e.g. `pudong-2024`.
    pub id: &'static str,
    /// The scenario file as the JSON value [`Scenario::from_toml`] reads it
    /// to, made by src/build.rs.
    pub json: &'static str,
    /// FNV-1a 64 of the scenario file's text (carriage returns skipped), 16
    /// hex digits, made by src/build.rs: the data version of share links.
    pub version: &'static str,
    /// The scenario file's text, compiled in from `scenarios/`.
    #[cfg(feature = "toml")]
    pub toml: &'static str,
}

/// The entry for `scenarios/<id>.toml` (src/build.rs lists the same ids).
macro_rules! builtin {
    ($id:literal) => {
        Builtin {
            id: $id,
            json: include_str!(concat!(env!("OUT_DIR"), "/", $id, ".json")),
            version: include_str!(concat!(env!("OUT_DIR"), "/", $id, ".version")),
            #[cfg(feature = "toml")]
            toml: include_str!(concat!("../../scenarios/", $id, ".toml")),
        }
    };
}

/// In seed order (000 … 004).
pub const BUILTIN: &[Builtin] = &[
    builtin!("pudong-2024"),
    builtin!("putuo-strong-junior"),
    builtin!("baoshan-urban-rural"),
    builtin!("minhang-hongqiao-district"),
    builtin!("chongming-rural-island"),
];

impl Builtin {
    /// Reads and validates the scenario (from its JSON).
    ///
    /// # Errors
    ///
    /// Only if the built-in file is broken: an [`Error`] as from
    /// [`Scenario::from_json`]. A test loads every built-in scenario.
    pub fn scenario(&self) -> Result<Scenario, Error> {
        Scenario::from_json(self.json)
    }

    /// The scenario's `[scenario]` table alone (id, names, question), read
    /// without building or checking the rest: the page's picker names every
    /// built-in as it starts. `None` only if the built-in is broken.
    pub fn meta(&self) -> Option<Meta> {
        /// The file's `[scenario]` table; the other tables are skipped unread.
        #[derive(serde::Deserialize)]
        struct Head {
            scenario: Meta,
        }
        // The scenario types' one deserializer (see `Scenario::from_json`).
        serde_json::from_str::<Head>(self.json).ok().map(|h| h.scenario)
    }
}

/// The built-in scenario named `id`.
pub fn builtin(id: &str) -> Option<&'static Builtin> {
    BUILTIN.iter().find(|b| b.id == id)
}

#[cfg(all(test, feature = "toml"))]
mod tests {
    use super::*;

    #[test]
    fn the_json_made_at_build_time_reads_to_the_same_scenario_as_the_toml() {
        for b in BUILTIN {
            let s = b.scenario().unwrap();
            assert_eq!(s, Scenario::from_toml(b.toml).unwrap(), "{}", b.id);
            assert_eq!(b.meta().as_ref(), Some(&s.scenario), "{}", b.id);
        }
    }
}
