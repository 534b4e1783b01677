//! Converts the built-in scenarios (`scenarios/*.toml`) to JSON, so the
//! page reads them without a TOML parser (src/scenario/builtin.rs). The JSON
//! is the value `Scenario::from_toml` reads a file to (TOML → table →
//! `serde_json::Value`), so both give the same scenario (a test checks it).
//! Also writes each file's data version: FNV-1a 64 of the TOML text with
//! carriage returns skipped (src/share.rs); its `[scenario]` table alone;
//! and FNV-1a 64 of the JSON, which a copy the page fetches must match.

use std::path::Path;

/// The built-in scenarios, as listed in src/scenario/builtin.rs.
const BUILTIN: &[&str] = &[
    "pudong-2024",
    "putuo-strong-junior",
    "baoshan-urban-rural",
    "minhang-hongqiao-district",
    "chongming-rural-island",
];

fn main() {
    let out = std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR");
    for id in BUILTIN {
        let path = format!("scenarios/{id}.toml");
        println!("cargo::rerun-if-changed={path}");
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
        let table: toml::Table = toml::from_str(&text).unwrap_or_else(|e| panic!("{path}: {e}"));
        let value = serde_json::to_value(table).unwrap_or_else(|e| panic!("{path}: {e}"));
        let json = value.to_string();
        // What the page's picker reads of every built-in, and the hash a
        // fetched JSON must have (src/scenario/builtin.rs).
        let meta = serde_json::json!({ "scenario": value["scenario"] }).to_string();
        let hash = json.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
            (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
        });
        for (name, text) in [
            (format!("{id}.json"), json),
            (format!("{id}.meta.json"), meta),
            (format!("{id}.json-hash"), format!("{hash:016x}")),
        ] {
            std::fs::write(Path::new(&out).join(name), text).expect("OUT_DIR is writable");
        }
        let version = text
            .bytes()
            .filter(|&c| c != b'\r')
            .fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
                (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
            });
        std::fs::write(
            Path::new(&out).join(format!("{id}.version")),
            format!("{version:016x}"),
        )
        .expect("OUT_DIR is writable");
    }
}
