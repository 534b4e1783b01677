//! The district scenarios built into the app, one per seed document. The
//! browser has no file system, so they are compiled in: as JSON, converted
//! from `scenarios/*.toml` at build time (src/build.rs), so the page needs no
//! TOML parser to start; the CLI and the tests read the same TOML files.
//!
//! With the `builtins` feature (on by default: the CLI, the tests, the Excel
//! module) every scenario's JSON is compiled in. The page's module is built
//! without it: it holds the default scenario's JSON (the first one, which
//! the first chart shows) and every scenario's `[scenario]` table, and is
//! given the others' JSON ([`provide`]) once the page has fetched them from
//! `builtins/<id>.json` (web/build.sh copies them there; `src/ui/builtins.rs`
//! fetches them after the first chart, or before it when a link or the
//! autosave needs one). Each is checked against the hash of the JSON this
//! build made.

use std::sync::OnceLock;

use super::{Meta, Scenario};
use crate::message::{Error, ErrorKind, Problem, Text};

/// A built-in scenario: its id (as in its `[scenario]` table), its scenario
/// as JSON, and its data version.
#[derive(Debug)]
pub struct Builtin {
    /// The scenario's id, as in its `[scenario]` table, e.g. `pudong-2024`.
    pub id: &'static str,
    /// The scenario file as the JSON value [`Scenario::from_toml`] reads it
    /// to, made by src/build.rs, when compiled in (see the module notes).
    compiled: Option<&'static str>,
    /// The same JSON once [`provide`]d, when not compiled in.
    provided: OnceLock<&'static str>,
    /// FNV-1a 64 of the JSON text, 16 hex digits, made by src/build.rs: a
    /// provided text must be this build's.
    json_hash: &'static str,
    /// The file's `[scenario]` table alone, as JSON (`{"scenario":{…}}`).
    meta: &'static str,
    /// FNV-1a 64 of the scenario file's text (carriage returns skipped), 16
    /// hex digits, made by src/build.rs: the data version of share links.
    pub version: &'static str,
    /// The scenario file's text, compiled in from `scenarios/`.
    #[cfg(feature = "toml")]
    pub toml: &'static str,
}

/// The entry for `scenarios/<id>.toml` (src/build.rs lists the same ids);
/// `always` compiles its JSON in whatever the features.
macro_rules! builtin {
    ($id:literal $(, $always:ident)?) => {
        Builtin {
            id: $id,
            compiled: if cfg!(feature = "builtins") $(|| $always)? {
                Some(include_str!(concat!(env!("OUT_DIR"), "/", $id, ".json")))
            } else {
                None
            },
            provided: OnceLock::new(),
            json_hash: include_str!(concat!(env!("OUT_DIR"), "/", $id, ".json-hash")),
            meta: include_str!(concat!(env!("OUT_DIR"), "/", $id, ".meta.json")),
            version: include_str!(concat!(env!("OUT_DIR"), "/", $id, ".version")),
            #[cfg(feature = "toml")]
            toml: include_str!(concat!("../../scenarios/", $id, ".toml")),
        }
    };
}

/// In seed order (000 … 004). The first is the default scenario, always
/// compiled in.
pub static BUILTIN: &[Builtin] = &BUILTINS;

/// The entries [`BUILTIN`] lists (a static: a provided JSON is kept in them).
static BUILTINS: [Builtin; 5] = [
    builtin!("pudong-2024", true),
    builtin!("putuo-strong-junior"),
    builtin!("baoshan-urban-rural"),
    builtin!("minhang-hongqiao-district"),
    builtin!("chongming-rural-island"),
];

impl Builtin {
    /// The scenario's JSON: compiled in or [`provide`]d; `None` until then.
    pub fn json(&self) -> Option<&'static str> {
        self.compiled.or_else(|| self.provided.get().copied())
    }

    /// Reads and validates the scenario (from its JSON).
    ///
    /// # Errors
    ///
    /// [`ErrorKind::ScenarioInvalid`] when its JSON is not here yet (the
    /// page has not fetched it: see the module notes); otherwise only if
    /// the built-in file is broken: an [`Error`] as from
    /// [`Scenario::from_json`]. A test loads every built-in scenario.
    pub fn scenario(&self) -> Result<Scenario, Error> {
        let json = self.json().ok_or_else(|| {
            let p = Problem::field(
                "scenario.id",
                Text::new("内置情景的数据尚未载入，请稍后再试", "the built-in scenario's data has not loaded yet; try again in a moment"),
            )
            .found(self.id);
            Error::new(ErrorKind::ScenarioInvalid, p)
        })?;
        Scenario::from_json(json)
    }

    /// The scenario's `[scenario]` table alone (id, names, question), read
    /// without building or checking the rest: the page's picker names every
    /// built-in as it starts. `None` only if the built-in is broken.
    pub fn meta(&self) -> Option<Meta> {
        /// The file's `[scenario]` table.
        #[derive(serde::Deserialize)]
        struct Head {
            scenario: Meta,
        }
        // The scenario types' one deserializer (see `Scenario::from_json`).
        serde_json::from_str::<Head>(self.meta).ok().map(|h| h.scenario)
    }
}

/// The built-in scenario named `id`.
pub fn builtin(id: &str) -> Option<&'static Builtin> {
    BUILTIN.iter().find(|b| b.id == id)
}

/// The built-ins whose JSON is not here yet (none with the `builtins`
/// feature), in seed order.
pub fn missing() -> impl Iterator<Item = &'static Builtin> {
    BUILTIN.iter().filter(|b| b.json().is_none())
}

/// Gives the built-in `id` its JSON, `text` as fetched from
/// `builtins/<id>.json`; a built-in that has its JSON already keeps it
/// (the text is checked all the same).
///
/// # Errors
///
/// [`ErrorKind::ScenarioInvalid`] when `id` is no built-in, or `text` is not
/// the JSON this build made for it (another version of the app, or a
/// damaged download), at the field `scenario.id`.
pub fn provide(id: &str, text: String) -> Result<(), Error> {
    let b = builtin(id).ok_or_else(|| {
        Error::new(ErrorKind::ScenarioInvalid, Problem::field("scenario.id", Text::new("不是内置情景", "is not a built-in scenario")).found(id))
    })?;
    if json_hash(&text) != b.json_hash {
        let p = Problem::field(
            "scenario.id",
            Text::new("下载的情景数据与本版本不符（请刷新页面）", "the downloaded scenario data is not this version's (reload the page)"),
        )
        .found(id);
        return Err(Error::new(ErrorKind::ScenarioInvalid, p));
    }
    if b.json().is_none() {
        // Kept for the page's lifetime, as the compiled-in ones are.
        let _ = b.provided.set(Box::leak(text.into_boxed_str()));
    }
    Ok(())
}

/// FNV-1a 64 of `text`, 16 hex digits, as src/build.rs writes `.json-hash`.
fn json_hash(text: &str) -> String {
    format!("{:016x}", fnv1a64(text.bytes()))
}

/// FNV-1a, 64 bits: a small, dependency-free digest, identical on every
/// target (src/build.rs folds the same): the built-ins' data versions and
/// JSON hashes, and share links' checksums.
pub(crate) fn fnv1a64(bytes: impl IntoIterator<Item = u8>) -> u64 {
    bytes.into_iter().fold(0xcbf2_9ce4_8422_2325, |h, b| (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3))
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

    #[test]
    fn a_provided_text_must_be_the_json_this_build_made() {
        for b in BUILTIN {
            let json = b.json().unwrap();
            assert_eq!(json_hash(json), b.json_hash, "{}", b.id);
            // Compiled in here, so providing keeps it; another text is refused
            // before that (a damaged download or another version of the app).
            assert!(provide(b.id, json.to_owned()).is_ok());
            let damaged = json.replacen("\"value\":", "\"value\": ", 1);
            let e = provide(b.id, damaged).unwrap_err();
            assert_eq!(e.problems()[0].place, crate::message::Place::Field("scenario.id".into()), "{}", b.id);
        }
        assert!(provide("no-such-scenario", "{}".into()).is_err());
        assert_eq!(missing().count(), 0, "every built-in is compiled in with the `builtins` feature");
    }
}
