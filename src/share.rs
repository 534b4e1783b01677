//! Share links: a planner's edits to a built-in scenario, packed into the URL
//! fragment (`#…`, which browsers never send to a server), so that opening
//! the link reproduces the exact results.
//!
//! # Format (link version 2, written by [`encode`])
//!
//! ```text
//! https://…/#s=v2.<checksum>.<payload>
//! ```
//!
//! - `s=` names the share key, so the fragment can carry other keys later
//!   (`#s=…&tab=compare`); [`decode`] takes the `s=` part of an `&`-separated
//!   fragment, and also accepts the bare `v2.…` text, with or without `#`.
//! - `v2` is [`LINK_VERSION`]. [`decode`] matches on this number and keeps one
//!   reader per version it has ever written (`1 => decode_v1`, `2 =>
//!   decode_v2`), so v1 links still open, with the same results. Any change to
//!   the payload's fields (even an added optional one) needs a new version,
//!   because a reader rejects unknown fields rather than silently ignoring
//!   something that affects results.
//! - `<checksum>` is 8 hex digits: the low 32 bits of FNV-1a 64 over
//!   `v2.<payload>`, so the version digit is covered too. Any single changed
//!   character changes it (FNV-1a's steps are bijections), so a damaged or
//!   cut-off link is reported as such ([`ErrorKind::LinkTampered`]) before
//!   anything is unpacked. It detects accidents, not forgery: the link carries
//!   no secret.
//! - `<payload>` is base64url without padding of the raw deflate (RFC 1951,
//!   `miniz_oxide`) of the compact JSON of a short-keyed form of
//!   [`SharedState`] (`b` base, `m` model version, `d` data version, `s` seed,
//!   `l` levers, `y` yearly rows, `r` roster hash). Numbers are written in
//!   their shortest round-trip form and read back with `float_roundtrip`, so
//!   values come back bit for bit. Unpacking stops at [`MAX_UNPACKED`] bytes
//!   (a few kilobytes of link could otherwise unpack to gigabytes), and a
//!   stream with bytes after its end is refused.
//!
//! # Link version 1 (read, no longer written)
//!
//! `#s=v1.<checksum>.<payload>`: the checksum is over the payload text only,
//! and the payload is base64url of the uncompressed JSON of [`SharedState`]
//! with its field names as in the struct (1.6 times as long as v2 for a
//! typical edit, 2.9 times with every single-number lever changed).
//!
//! The alphabet (`A–Z a–z 0–9 - _ . =`) needs no percent-encoding in a URL.
//!
//! Browser-free: no clock, no I/O. The UI builds the URL from [`encode`] and
//! opens it with [`decode`] then [`apply`].

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use miniz_oxide::inflate::core::{decompress, inflate_flags, DecompressorOxide};
use miniz_oxide::inflate::TINFLStatus;
use serde::{Deserialize, Serialize};

use crate::levers;
use crate::message::{Error, ErrorKind, LinkPart, Place, Problem, Text};
use crate::roster::Roster;
use crate::scenario::builtin::{builtin, fnv1a64, Builtin, BUILTIN};
use crate::scenario::Scenario;

/// The link format written by [`encode`]; [`decode`] reads this and every earlier one.
pub const LINK_VERSION: u32 = 2;

/// The most a v2 payload may unpack to, in bytes. The largest link [`capture`]
/// makes (every lever and every yearly row changed, each value needing 17
/// digits) unpacks to under 8 KB (a test checks).
pub const MAX_UNPACKED: usize = 64 * 1024;

/// The engine's version. Bump it when an engine change alters results for the
/// same scenario (the golden key outputs change), so that opening an older
/// link warns that its results may differ.
pub const MODEL_VERSION: &str = "2026.12";

/// Everything a link carries. Its serde form is the v1 link payload and the
/// payload of a saved entry, so changing a field means a new
/// `saved::SCHEMA_VERSION` and a new link version (tests pin a literal v1
/// and a literal v2 link). A v2 link carries the same fields under short keys.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SharedState {
    /// The built-in scenario the edits apply to (its `[scenario] id`).
    pub base: String,
    /// [`MODEL_VERSION`] when the link was made.
    pub model_version: String,
    /// [`data_version`] of the built-in when the link was made.
    pub data_version: String,
    /// The Monte Carlo seed (`[scenario] seed`).
    pub seed: u64,
    /// Single-number levers that differ from the built-in: id → value, in
    /// [`levers::LEVERS`] order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub levers: Vec<(String, f64)>,
    /// Yearly levers with the rows that differ: id → (year, value), in
    /// [`levers::YEARLY_LEVERS`] order and year order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub yearly: Vec<(String, Vec<(i32, f64)>)>,
    /// [`roster_hash`] of the imported roster, when the scenario ran on one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub roster_hash: Option<String>,
}

/// The v2 payload: [`SharedState`]'s fields under one-letter keys. Deflate
/// already packs the long names well (one-letter keys save about 30
/// characters of an every-lever link); the point is that the link format has
/// a type of its own, apart from [`SharedState`]'s serde form, which saved
/// entries store.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct PayloadV2 {
    b: String,
    m: String,
    d: String,
    s: u64,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    l: Vec<(String, f64)>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    y: Vec<(String, Vec<(i32, f64)>)>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    r: Option<String>,
}

impl From<&SharedState> for PayloadV2 {
    fn from(s: &SharedState) -> Self {
        PayloadV2 {
            b: s.base.clone(),
            m: s.model_version.clone(),
            d: s.data_version.clone(),
            s: s.seed,
            l: s.levers.clone(),
            y: s.yearly.clone(),
            r: s.roster_hash.clone(),
        }
    }
}

impl From<PayloadV2> for SharedState {
    fn from(p: PayloadV2) -> Self {
        SharedState { base: p.b, model_version: p.m, data_version: p.d, seed: p.s, levers: p.l, yearly: p.y, roster_hash: p.r }
    }
}

/// At most [`SHOWN_CHARS`] characters of a text from the link, then `…`:
/// an error quotes what the link holds, but a link can hold 100 KB in one
/// id, which would flood the message (and widen the page it is shown on).
pub(crate) fn shown(text: &str) -> String {
    match text.char_indices().nth(SHOWN_CHARS) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text.to_owned(),
    }
}

/// How many characters of a text from a link an error quotes.
const SHOWN_CHARS: usize = 40;

/// Not a share link (no `s=`/`v<n>` prefix), or, behind a valid checksum,
/// bad base64 or JSON that does not fit [`SharedState`] (`detail` says
/// where; it may quote the link, so it is cut to a few lines' length).
fn malformed(detail: &str) -> Error {
    let detail = match detail.char_indices().nth(3 * SHOWN_CHARS) {
        Some((cut, _)) => format!("{}…", &detail[..cut]),
        None => detail.to_owned(),
    };
    Error::whole(
        ErrorKind::LinkMalformed,
        Text::new(format!("这不是有效的优均分享链接（{detail}）"), format!("This is not a valid 优均 share link ({detail}).")),
    )
}

/// The checksum does not match, or a part is missing: the link is
/// incomplete (cut off when copied) or was altered.
fn tampered() -> Error {
    Error::whole(
        ErrorKind::LinkTampered,
        Text::new(
            "链接不完整或已被改动：请向发送者重新索取完整的链接。",
            "The link is incomplete or was altered: ask the sender for the whole link again.",
        ),
    )
}

/// A v2 payload that unpacks to more than [`MAX_UNPACKED`] bytes: no link
/// this app writes does, so it was made to exhaust the page's memory.
fn too_large() -> Error {
    let kb = MAX_UNPACKED / 1024;
    Error::whole(
        ErrorKind::LinkMalformed,
        Text::new(
            format!("这不是有效的优均分享链接：链接内容解压后超过 {kb} KB，优均生成的链接远小于此。"),
            format!("This is not a valid 优均 share link: its content unpacks to more than {kb} KB, far more than any link 优均 makes."),
        ),
    )
}

/// A link version this build cannot read (usually made by a newer one).
fn unsupported_version(n: u32) -> Error {
    let message = if n > LINK_VERSION {
        Text::new(
            format!("此链接由较新版本的优均生成（链接版本 {n}，本版本最高支持 {LINK_VERSION}）：请刷新页面以更新，再打开链接。"),
            format!("This link was made by a newer version of 优均 (link version {n}; this one reads up to {LINK_VERSION}): reload the page to update, then open the link again."),
        )
    } else {
        Text::new(format!("未知的链接版本 {n}。"), format!("Unknown link version {n}."))
    };
    Error::new(ErrorKind::LinkVersion, Problem::new(Place::Link(LinkPart::Version), message))
}

/// The error for a scenario that does not validate, under `summary`.
pub(crate) fn invalid_scenario(summary: Text, problems: Vec<Problem>) -> Error {
    Error::with_problems(ErrorKind::ScenarioInvalid, summary, problems)
}

/// Something the planner should know about an applied link; the link is
/// still applied.
#[derive(Debug, Clone, PartialEq)]
pub enum Notice {
    /// The built-in scenario's text changed since the link was made.
    DataVersionDiffers {
        /// The built-in scenario's id.
        base: String,
        /// Its data version when the link was made.
        link: String,
        /// Its data version in this build.
        current: String,
    },
    /// The engine changed since the link was made.
    ModelVersionDiffers {
        /// The model version the link was made with.
        link: String,
        /// This build's model version.
        current: String,
    },
    /// The link was made on an imported roster with this [`roster_hash`]: the
    /// UI should use the imported roster with the same hash, or say it is missing.
    RosterNeeded {
        /// [`roster_hash`] of the roster the link was made on.
        hash: String,
    },
}

impl Notice {
    /// What the planner is told, in both languages.
    /// Versions and hashes come from the link, so each is quoted at most
    /// [`SHOWN_CHARS`] characters long.
    pub fn text(&self) -> Text {
        match self {
            Notice::DataVersionDiffers { base, link, current } => {
                let link = shown(link);
                Text::new(
                    format!("内置场景 `{base}` 的数据在链接生成后已更新（链接 {link}，当前 {current}）：结果可能与发送者看到的不同。"),
                    format!("The data version differs: the built-in scenario `{base}` changed since the link was made (link {link}, now {current}); results may differ."),
                )
            }
            Notice::ModelVersionDiffers { link, current } => {
                let link = shown(link);
                Text::new(
                    format!("模型版本不同（链接 {link}，当前 {current}）：结果可能与发送者看到的不同。"),
                    format!("The model version differs (link {link}, now {current}): results may differ."),
                )
            }
            Notice::RosterNeeded { hash } => {
                let hash = shown(hash);
                Text::new(
                    format!("此链接基于导入的花名册（摘要 {hash}）：请导入同一份花名册，否则结果会不同。"),
                    format!("This link was made with an imported roster (hash {hash}): import the same roster, or the results will differ."),
                )
            }
        }
    }
}


/// Digest of a built-in scenario's TOML text, 16 hex digits ([`fnv1a64`],
/// worked out by src/build.rs). Carriage returns are skipped so a Windows
/// checkout builds the same version.
pub fn data_version(b: &Builtin) -> String {
    b.version.to_owned()
}

/// Content hash of an imported roster, 16 hex digits: FNV-1a 64 of its
/// compact serde_json form, so it covers every field of every row, in row
/// order (names included), and nothing of the file it came from (CSV header
/// language, spacing). Identical rosters give identical hashes. A change to
/// the `School` type's serialized fields changes the hash of the same file.
/// An identity check, not a security measure.
pub fn roster_hash(r: &Roster) -> String {
    roster_json_hash(&serde_json::to_string(r).expect("rosters serialize infallibly"))
}

/// A roster's JSON, exactly as `serde_json::to_string(&roster)` writes it,
/// built a slice of schools at a time: the page serialises a roster of tens
/// of thousands of rows between pauses, so no single task holds it up.
#[derive(Debug)]
pub struct RosterJson {
    out: String,
    empty: bool,
}

impl Default for RosterJson {
    fn default() -> RosterJson {
        RosterJson { out: String::from("{\"schools\":["), empty: true }
    }
}

impl RosterJson {
    /// Appends `schools`, the next rows in roster order.
    pub fn push(&mut self, schools: &[crate::roster::School]) {
        for school in schools {
            if !self.empty {
                self.out.push(',');
            }
            self.empty = false;
            self.out.push_str(&serde_json::to_string(school).expect("schools serialize infallibly"));
        }
    }

    /// The whole roster's JSON.
    pub fn finish(mut self) -> String {
        self.out.push_str("]}");
        self.out
    }
}

/// [`roster_hash`] of a roster already serialised (`serde_json::to_string`
/// of the [`Roster`]), for a caller that keeps the JSON too.
pub fn roster_json_hash(json: &str) -> String {
    format!("{:016x}", fnv1a64(json.bytes()))
}

/// The link state for `edited`, a copy of the built-in `base` changed through
/// the levers. Only lever values, yearly rows and the seed are carried; the
/// roster only by `roster_hash`. If `base` is not a built-in, `data_version`
/// is empty and [`apply`] will refuse the link.
pub fn capture(base: &Scenario, edited: &Scenario, roster_hash: Option<String>) -> SharedState {
    let yearly = levers::yearly_changed(base, edited)
        .into_iter()
        .map(|(id, rows)| {
            let lever = levers::yearly_lever(id).expect("yearly_changed returns known ids");
            let before = lever.row_values(base);
            let changed = rows.into_iter().zip(before).filter(|(a, b)| a.1.to_bits() != b.1.to_bits()).map(|(a, _)| a);
            (id.to_owned(), changed.collect())
        })
        .collect();
    SharedState {
        base: base.scenario.id.clone(),
        model_version: MODEL_VERSION.to_owned(),
        data_version: builtin(&base.scenario.id).map(data_version).unwrap_or_default(),
        seed: edited.scenario.seed,
        levers: levers::changed(base, edited).into_iter().map(|(id, v)| (id.to_owned(), v)).collect(),
        yearly,
        roster_hash,
    }
}

/// The fragment text, without `#`: `s=v2.<checksum>.<payload>`.
///
/// A state whose JSON is over [`MAX_UNPACKED`] bytes gives a link that
/// [`decode`] refuses; [`capture`] never makes one (its ids and versions are
/// the built-in's and the lever tables').
pub fn encode(s: &SharedState) -> String {
    let json = serde_json::to_vec(&PayloadV2::from(s)).expect("SharedState serializes infallibly");
    let level = miniz_oxide::deflate::CompressionLevel::UberCompression as u8;
    let payload = b64_encode(&miniz_oxide::deflate::compress_to_vec(&json, level));
    format!("s=v{LINK_VERSION}.{}.{payload}", checksum_v2(&payload))
}

/// Reads a fragment written by [`encode`] of this or an earlier version:
/// `#s=v2.…`, `s=v2.…` or `v2.…` (and the same with `v1`), surrounding
/// whitespace ignored. Never panics.
///
/// # Errors
///
/// [`ErrorKind::LinkMalformed`] when the text is not a share link, its
/// payload does not unpack (or unpacks to more than [`MAX_UNPACKED`] bytes)
/// or parse, or it gives a lever (or a year of a yearly
/// lever) twice; [`ErrorKind::LinkTampered`] when the checksum
/// fails or a part is missing, [`ErrorKind::LinkVersion`] for other versions.
pub fn decode(fragment: &str) -> Result<SharedState, Error> {
    let text = fragment.trim();
    let text = text.strip_prefix('#').unwrap_or(text);
    let keyed = text.split('&').find_map(|part| part.strip_prefix("s="));
    let link = match keyed {
        Some(link) => link,
        None if text.starts_with('v') => text,
        None => return Err(malformed("no `s=` share key")),
    };
    // From here the text claims to be ours, so damage is reported as such.
    let rest = link.strip_prefix('v').ok_or_else(tampered)?;
    let (version, body) = rest.split_once('.').ok_or_else(tampered)?;
    if version.is_empty() || !version.bytes().all(|b| b.is_ascii_digit()) {
        return Err(tampered());
    }
    match version.parse::<u32>() {
        Ok(1) => decode_v1(body),
        Ok(2) => decode_v2(body),
        Ok(n) => Err(unsupported_version(n)),
        Err(_) => Err(tampered()),
    }
}

fn decode_v1(body: &str) -> Result<SharedState, Error> {
    let (sum, payload) = body.split_once('.').ok_or_else(tampered)?;
    if sum != checksum(payload) {
        return Err(tampered());
    }
    let bytes = b64_decode(payload).ok_or_else(|| malformed("bad base64"))?;
    let state: SharedState = serde_json::from_slice(&bytes).map_err(|e| malformed(&format!("JSON: {e}")))?;
    refuse_duplicates(&state)?;
    Ok(state)
}

fn decode_v2(body: &str) -> Result<SharedState, Error> {
    let (sum, payload) = body.split_once('.').ok_or_else(tampered)?;
    if sum != checksum_v2(payload) {
        return Err(tampered());
    }
    let packed = b64_decode(payload).ok_or_else(|| malformed("bad base64"))?;
    let json = inflate(&packed)?;
    let state: PayloadV2 = serde_json::from_slice(&json).map_err(|e| malformed(&format!("JSON: {e}")))?;
    let state = SharedState::from(state);
    refuse_duplicates(&state)?;
    Ok(state)
}

/// Raw deflate → bytes, into at most [`MAX_UNPACKED`] bytes, in one call
/// over the whole input: a stream that ends early, is not deflate, has bytes
/// after its end or unpacks to more is refused.
fn inflate(packed: &[u8]) -> Result<Vec<u8>, Error> {
    let mut out = vec![0; MAX_UNPACKED];
    let mut state = Box::<DecompressorOxide>::default();
    // The whole stream is here (no "more input" flag) and `out` holds all
    // of it, so one call either finishes or says why not.
    let flags = inflate_flags::TINFL_FLAG_USING_NON_WRAPPING_OUTPUT_BUF;
    let (status, read, written) = decompress(&mut state, packed, &mut out, 0, flags);
    match status {
        TINFLStatus::Done if read == packed.len() => {
            out.truncate(written);
            Ok(out)
        }
        TINFLStatus::Done => Err(malformed("bytes after the end of the deflate stream")),
        TINFLStatus::HasMoreOutput => Err(too_large()),
        _ => Err(malformed("not a complete deflate stream")),
    }
}

/// A lever given twice (or a yearly lever's year given twice) is refused:
/// [`encode`] never writes one, the two values may disagree, and counting
/// entries would report more changes than there are levers. So the number
/// of entries of a decoded link is the number of distinct levers it changes.
fn refuse_duplicates(s: &SharedState) -> Result<(), Error> {
    let twice = |id: &str, what: Text| {
        let p = Problem::new(Place::Link(LinkPart::Lever(shown(id))), what);
        Err(Error::new(ErrorKind::LinkMalformed, p))
    };
    let mut seen = std::collections::BTreeSet::new();
    for id in s.levers.iter().map(|l| l.0.as_str()).chain(s.yearly.iter().map(|y| y.0.as_str())) {
        if !seen.insert(id) {
            return twice(id, Text::new("在链接中出现了不止一次", "is given more than once in the link"));
        }
    }
    for (id, rows) in &s.yearly {
        let mut years = std::collections::BTreeSet::new();
        if let Some((year, _)) = rows.iter().find(|(y, _)| !years.insert(*y)) {
            return twice(id, Text::new(format!("{year} 年在链接中出现了不止一次"), format!("the year {year} is given more than once in the link")));
        }
    }
    Ok(())
}

/// The scenario a link describes: the built-in with every lever set through
/// its range check, the seed set, and the whole scenario validated.
///
/// Warnings ([`Notice`], the link is still applied): a different data or
/// model version, and an imported roster the UI has to supply (the returned
/// scenario keeps the built-in's roster).
///
/// # Errors
///
/// Nothing is applied on [`ErrorKind::LinkUnknownScenario`] (an unknown base
/// scenario), [`ErrorKind::LinkUnknownLever`], [`ErrorKind::LinkOutOfRange`]
/// (a value out of range or a year outside its table, at the lever's
/// [`LinkPart::Lever`]), [`ErrorKind::LinkMalformed`] (a lever or a year given
/// twice, which [`decode`] refuses too) and [`ErrorKind::ScenarioInvalid`]
/// (the scenario as a whole does not validate). Text from the link is quoted
/// at most 40 characters long.
pub fn apply(s: &SharedState) -> Result<(Scenario, Vec<Notice>), Error> {
    let b = builtin(&s.base).ok_or_else(|| unknown_scenario(&s.base))?;
    refuse_duplicates(s)?;
    // The built-ins are tested natively, so this fails only on a build defect.
    let mut scenario = b.scenario().map_err(|e| e.context(&s.base))?;
    let mut notices = Vec::new();
    let current = data_version(b);
    if s.data_version != current {
        notices.push(Notice::DataVersionDiffers { base: s.base.clone(), link: s.data_version.clone(), current });
    }
    if s.model_version != MODEL_VERSION {
        notices.push(Notice::ModelVersionDiffers { link: s.model_version.clone(), current: MODEL_VERSION.to_owned() });
    }
    for (id, value) in &s.levers {
        let lever = levers::lever(id).ok_or_else(|| unknown_lever(id))?;
        lever.set(&mut scenario, *value).map_err(|m| out_of_range(id, m))?;
    }
    for (id, rows) in &s.yearly {
        let lever = levers::yearly_lever(id).ok_or_else(|| unknown_lever(id))?;
        for (year, value) in rows {
            lever.set(&mut scenario, *year, *value).map_err(|m| out_of_range(id, m))?;
        }
    }
    scenario.scenario.seed = s.seed;
    let problems = scenario.validate();
    if !problems.is_empty() {
        return Err(invalid_scenario(Text::new("按链接设置后场景无效", "The scenario from the link is not valid"), problems));
    }
    if let Some(hash) = &s.roster_hash {
        notices.push(Notice::RosterNeeded { hash: hash.clone() });
    }
    Ok((scenario, notices))
}

/// The base scenario is not built into this version.
fn unknown_scenario(id: &str) -> Error {
    let known = BUILTIN.iter().map(|b| b.id).collect::<Vec<_>>().join(", ");
    let p = Problem::new(Place::Link(LinkPart::Base), Text::new("不是本版本的内置场景", "is not built into this version"))
        .found(shown(id))
        .allowed(Text::same(known));
    Error::new(ErrorKind::LinkUnknownScenario, p)
}

/// A lever id this version does not have.
fn unknown_lever(id: &str) -> Error {
    let p = Problem::new(Place::Link(LinkPart::Lever(shown(id))), Text::new("本版本没有此项", "this version does not have it"));
    Error::new(ErrorKind::LinkUnknownLever, p)
}

/// A value outside its lever's range (or a year outside its table);
/// `message` is the lever's own, naming it and the allowed range.
fn out_of_range(lever: &str, message: String) -> Error {
    let p = Problem::new(
        Place::Link(LinkPart::Lever(lever.to_owned())),
        Text::new(format!("取值超出范围：{message}"), format!("value out of range: {message}")),
    );
    Error::new(ErrorKind::LinkOutOfRange, p)
}

/// The v1 checksum: over the payload text alone.
fn checksum(payload: &str) -> String {
    format!("{:08x}", fnv1a64(payload.bytes()) as u32)
}

/// The v2 checksum: over `v2.<payload>`, so a changed version digit is caught too.
fn checksum_v2(payload: &str) -> String {
    format!("{:08x}", fnv1a64(b"v2.".iter().copied().chain(payload.bytes())) as u32)
}

/// base64url without padding (RFC 4648 §5): the link alphabet needs no
/// percent-escaping in a URL fragment or a chat message.
fn b64_encode(bytes: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(bytes)
}

/// The inverse of [`b64_encode`]; `None` on a character outside the
/// alphabet, an impossible length or non-zero trailing bits.
fn b64_decode(text: &str) -> Option<Vec<u8>> {
    URL_SAFE_NO_PAD.decode(text).ok()
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::engine::Model;
    use crate::i18n::Lang;
    use proptest::prelude::*;

    const MINHANG: &str = "minhang-hongqiao-district";

    fn base() -> Scenario {
        builtin(MINHANG).unwrap().scenario().unwrap()
    }

    fn set(s: &mut Scenario, id: &str, v: f64) {
        levers::lever(id).unwrap().set(s, v).unwrap();
    }

    /// A realistic edit: five levers and one yearly table (two rows).
    fn typical(base: &Scenario) -> Scenario {
        let mut s = base.clone();
        set(&mut s, "teachers.rotation_share", 0.25);
        set(&mut s, "teachers.rotation_backbone_share", 0.35);
        set(&mut s, "funding.per_student_growth", 0.045);
        set(&mut s, "enrollment.intake_adjustment", 1.07);
        set(&mut s, "teachers.max_hires_per_year", 120.0);
        let capital = levers::yearly_lever("funding.capital_budget_yuan").unwrap();
        capital.set(&mut s, 2025, 12_000_000.0).unwrap();
        capital.set(&mut s, 2026, 15_500_000.0).unwrap();
        s.scenario.seed = 987_654_321;
        s
    }

    fn url(fragment: &str) -> String {
        format!("https://youjun.example.gov.cn/app/#{fragment}")
    }

    fn central(s: &Scenario) -> String {
        let roster = s.resolve_roster(|_| Err("no CSV".into())).unwrap();
        format!("{:?}", Model::new(s.clone(), roster).unwrap().run_central())
    }

    #[test]
    fn round_trip_reproduces_the_edits_and_the_run_bit_for_bit() {
        let base = base();
        let edited = typical(&base);
        let link = encode(&capture(&base, &edited, None));
        let (applied, notices) = apply(&decode(&format!("#{link}")).unwrap()).unwrap();
        assert!(notices.is_empty(), "{notices:?}");
        assert_eq!(levers::changed(&base, &applied), levers::changed(&base, &edited));
        let bits = |v: Vec<(&str, Vec<(i32, f64)>)>| -> Vec<(String, Vec<(i32, u64)>)> {
            v.into_iter().map(|(id, rows)| (id.to_owned(), rows.into_iter().map(|(y, x)| (y, x.to_bits())).collect())).collect()
        };
        assert_eq!(bits(levers::yearly_changed(&base, &applied)), bits(levers::yearly_changed(&base, &edited)));
        assert_eq!(applied, edited, "the whole scenario, not only the levers");
        let run = central(&edited);
        assert_ne!(run, central(&base), "the edit changes the results");
        assert_eq!(central(&applied), run);
    }

    #[test]
    fn only_changed_levers_and_rows_are_carried() {
        let base = base();
        let s = capture(&base, &typical(&base), Some("0123456789abcdef".into()));
        let ids: Vec<&str> = s.levers.iter().map(|l| l.0.as_str()).collect();
        // LEVERS order, not the order of the edits.
        assert_eq!(
            ids,
            [
                "enrollment.intake_adjustment",
                "teachers.max_hires_per_year",
                "teachers.rotation_share",
                "teachers.rotation_backbone_share",
                "funding.per_student_growth"
            ]
        );
        assert_eq!(s.yearly, vec![("funding.capital_budget_yuan".to_owned(), vec![(2025, 12e6), (2026, 15.5e6)])]);
        assert_eq!((s.base.as_str(), s.seed, s.model_version.as_str()), (MINHANG, 987_654_321, MODEL_VERSION));
        assert_eq!(s.data_version, data_version(builtin(MINHANG).unwrap()));
        assert_eq!(s.data_version.len(), 16);
        let unchanged = capture(&base, &base, None);
        assert!(unchanged.levers.is_empty() && unchanged.yearly.is_empty());
    }

    #[test]
    fn awkward_values_round_trip_bit_exactly() {
        let base = base();
        let mut s = capture(&base, &base, None);
        s.levers = vec![
            ("enrollment.net_migration_rate".into(), -0.0),
            ("enrollment.intake_adjustment".into(), 0.1 + 0.2),
            ("teachers.rotation_share".into(), f64::MIN_POSITIVE),
            ("funding.grant_per_project_school_yuan".into(), 99_999_999.999_999_99),
        ];
        s.seed = u64::MAX;
        let back = decode(&encode(&s)).unwrap();
        assert_eq!(back, s);
        assert!(back.levers.iter().zip(&s.levers).all(|(a, b)| a.1.to_bits() == b.1.to_bits()));
    }

    /// A link made by this version, pinned: later versions must still read it.
    #[test]
    fn a_literal_v1_link_still_decodes() {
        let s = SharedState {
            base: MINHANG.into(),
            model_version: "2026.12".into(),
            data_version: "0000000000000000".into(),
            seed: 7,
            levers: vec![("teachers.rotation_share".into(), 0.25)],
            yearly: vec![("funding.capital_budget_yuan".into(), vec![(2026, 1e7)])],
            roster_hash: None,
        };
        const LINK: &str = "s=v1.5773d24e.eyJiYXNlIjoibWluaGFuZy1ob25ncWlhby1kaXN0cmljdCIsIm1vZGVsX3ZlcnNpb24iOiIyMDI2LjEyIiwiZGF0YV92ZXJzaW9uIjoiMDAwMDAwMDAwMDAwMDAwMCIsInNlZWQiOjcsImxldmVycyI6W1sidGVhY2hlcnMucm90YXRpb25fc2hhcmUiLDAuMjVdXSwieWVhcmx5IjpbWyJmdW5kaW5nLmNhcGl0YWxfYnVkZ2V0X3l1YW4iLFtbMjAyNiwxMDAwMDAwMC4wXV1dXX0";
        assert_eq!(encode_v1(&s), LINK);
        assert_eq!(decode(LINK), Ok(s.clone()));
        // The other accepted forms.
        assert_eq!(decode(&format!("#{LINK}")), Ok(s.clone()));
        assert_eq!(decode(&format!("#tab=compare&{LINK}&x=1")), Ok(s.clone()));
        assert_eq!(decode(&format!("  {}\n", &LINK[2..])), Ok(s.clone()));
        // The data version is stale, so applying warns and still applies.
        let (scenario, notices) = apply(&s).unwrap();
        assert!(matches!(&notices[..], [Notice::DataVersionDiffers { .. }]));
        assert_eq!(levers::lever("teachers.rotation_share").unwrap().get(&scenario).unwrap().value, 0.25);
    }

    /// Prints the lengths the README quotes (`cargo test --lib links_stay_short -- --nocapture`).
    #[test]
    fn links_stay_short() {
        let base = base();
        let typical = capture(&base, &typical(&base), None);
        // Every lever and every yearly row changed, to values a step away.
        let every = capture(&base, &every_lever_moved(&base), Some(roster_hash(&Roster::default())));
        assert_eq!(every.levers.len(), levers::LEVERS.iter().filter(|l| l.get(&base).is_some()).count());
        let levers_only = SharedState { yearly: Vec::new(), ..every.clone() };
        // The same, with every value needing all 17 significant digits.
        let mut ugly = every.clone();
        ugly.levers.iter_mut().for_each(|l| l.1 = -0.123_456_789_012_345_67);
        ugly.yearly.iter_mut().flat_map(|y| y.1.iter_mut()).for_each(|r| r.1 = 123_456.789_012_345_67);
        let cases = [
            ("typical", &typical),
            ("every single-number lever", &levers_only),
            ("every lever and yearly row", &every),
            ("the same with 17-digit values", &ugly),
        ];
        let mut lengths = Vec::new();
        for (what, state) in cases {
            let (v1, v2) = (url(&encode_v1(state)), url(&encode(state)));
            println!("URL length, {what}: v1 {}, v2 {}", v1.len(), v2.len());
            assert_eq!(decode(&v2[v2.find('#').unwrap()..]).as_ref(), Ok(state));
            lengths.push(v2.len());
        }
        println!("typical: {}", url(&encode(&typical)));
        println!("every single-number lever: {}", url(&encode(&levers_only)));
        // The link of every single-number lever changed, roster hash and all, fits 2,000.
        let [typical, levers_only, worst, ugliest] = lengths[..] else { unreachable!() };
        assert!(typical < 500, "{typical}");
        assert!(levers_only < 2000, "{levers_only}");
        assert!(worst < 2000, "{worst}");
        assert!(ugliest < 2000, "{ugliest}");
        // Nothing capture can make comes near the unpacking limit.
        assert!(serde_json::to_vec(&PayloadV2::from(&ugly)).unwrap().len() < MAX_UNPACKED / 8);
        // Every built-in, every single-number lever changed, on an imported roster.
        for b in BUILTIN {
            let base = b.scenario().unwrap();
            let every = capture(&base, &every_lever_moved(&base), Some(roster_hash(&Roster::default())));
            let levers_only = SharedState { yearly: Vec::new(), ..every.clone() };
            let (v1, v2, all) = (url(&encode_v1(&levers_only)), url(&encode(&levers_only)), url(&encode(&every)));
            println!("{}: every single-number lever v1 {}, v2 {}; with every yearly row v2 {}", b.id, v1.len(), v2.len(), all.len());
            assert!(v2.len() < 2000 && all.len() < 2000, "{}", b.id);
        }
    }

    /// A link made by v2, pinned: later versions must still read it. (Only
    /// reading is pinned: another deflate implementation may pack the same
    /// JSON differently.)
    #[test]
    fn a_literal_v2_link_still_decodes() {
        let s = SharedState {
            base: MINHANG.into(),
            model_version: "2026.12".into(),
            data_version: "0000000000000000".into(),
            seed: 7,
            levers: vec![("teachers.rotation_share".into(), 0.25)],
            yearly: vec![("funding.capital_budget_yuan".into(), vec![(2026, 1e7)])],
            roster_hash: Some("feedfacecafebeef".into()),
        };
        const LINK: &str = "s=v2.125aa29b.XY1LCsMgFEX38sZGjNAWshWR8KLPDyTaqhmE0r3XlI5yZ_fHecMCE2wxBUx-CDn5V8Q82FhbiaYBg633Usg7H2V3tjtxUY8rTA8GK0xKQSM0gUrlJTdsMae5BiwETHB505rB8Zu5PdmYPDf4jA3XedmtpzYfOyZgSp1INv4JXGh9PkunOyLr0JBBRwuRg88X";
        assert_eq!(decode(LINK), Ok(s.clone()));
        assert_eq!(decode(&format!("#tab=compare&{LINK}&x=1")), Ok(s.clone()));
        assert_eq!(decode(&format!("  {}\n", &LINK[2..])), Ok(s.clone()));
        assert_eq!(decode(&encode(&s)), Ok(s));
    }

    /// A v1 link and a v2 link of the same edit open to the same scenario and
    /// the same run, bit for bit: the pinned v1 literal, and every built-in
    /// with every lever and yearly row changed.
    #[test]
    fn v1_and_v2_links_open_to_identical_results() {
        const V1: &str = "s=v1.5773d24e.eyJiYXNlIjoibWluaGFuZy1ob25ncWlhby1kaXN0cmljdCIsIm1vZGVsX3ZlcnNpb24iOiIyMDI2LjEyIiwiZGF0YV92ZXJzaW9uIjoiMDAwMDAwMDAwMDAwMDAwMCIsInNlZWQiOjcsImxldmVycyI6W1sidGVhY2hlcnMucm90YXRpb25fc2hhcmUiLDAuMjVdXSwieWVhcmx5IjpbWyJmdW5kaW5nLmNhcGl0YWxfYnVkZ2V0X3l1YW4iLFtbMjAyNiwxMDAwMDAwMC4wXV1dXX0";
        let from_v1 = apply(&decode(V1).unwrap()).unwrap();
        let from_v2 = apply(&decode(&encode(&decode(V1).unwrap())).unwrap()).unwrap();
        assert_eq!(from_v1, from_v2);
        assert_eq!(central(&from_v1.0), central(&from_v2.0));
        assert_ne!(central(&from_v1.0), central(&base()), "the link changes the results");
        for b in BUILTIN {
            let base = b.scenario().unwrap();
            let state = capture(&base, &every_lever_moved(&base), None);
            let (v1, v2) = (decode(&encode_v1(&state)).unwrap(), decode(&encode(&state)).unwrap());
            assert_eq!(v1, v2, "{}", b.id);
            let (a, b2) = (apply(&v1).unwrap().0, apply(&v2).unwrap().0);
            assert!(a == b2, "{}", b.id);
            assert_eq!(central(&a), central(&b2), "{}", b.id);
        }
    }

    /// Every lever and every yearly row moved one step.
    fn every_lever_moved(base: &Scenario) -> Scenario {
        let mut all = base.clone();
        // Every lever the scenario states (the optional pupil flows only where it has them).
        for l in levers::LEVERS {
            let Some(v) = l.get(base).map(|p| p.value) else { continue };
            let to = if v + l.step <= l.max { v + l.step } else { v - l.step };
            l.set(&mut all, to).unwrap();
        }
        for l in levers::YEARLY_LEVERS {
            for (y, v) in l.row_values(base) {
                let to = if v + l.step <= l.max { v + l.step } else { v - l.step };
                l.set(&mut all, y, to).unwrap();
            }
        }
        all
    }

    #[test]
    fn every_built_in_round_trips_with_every_lever_changed() {
        for b in BUILTIN {
            let base = b.scenario().unwrap();
            let mut edited = every_lever_moved(&base);
            edited.scenario.seed ^= 0x5eed;
            let (applied, notices) = apply(&decode(&encode(&capture(&base, &edited, None))).unwrap()).unwrap();
            assert!(notices.is_empty(), "{}: {notices:?}", b.id);
            assert!(applied == edited, "{}", b.id);
        }
    }

    fn valid_link() -> String {
        static LINK: std::sync::OnceLock<String> = std::sync::OnceLock::new();
        LINK.get_or_init(|| {
            let base = base();
            encode(&capture(&base, &typical(&base), None))
        })
        .clone()
    }

    /// Every single-character change and every cut is caught, never a panic.
    #[test]
    fn damage_is_reported_not_applied() {
        // The link this version writes, and the v1 link of the same edit.
        let base = base();
        let links = [valid_link(), encode_v1(&capture(&base, &typical(&base), None))];
        let mut tried = 0;
        for link in &links {
            for i in 0..link.len() {
                for c in ['A', 'z', '0', '9', '-', '_', '.', '=', '%', '~'] {
                    let mut damaged = link.clone();
                    if damaged.as_bytes()[i] == c as u8 {
                        continue;
                    }
                    damaged.replace_range(i..i + 1, &c.to_string());
                    tried += 1;
                    match decode(&damaged) {
                        // Past `s=v2.` (`s=v1.`) only the checksum can notice.
                        Err(e) if e.kind() == ErrorKind::LinkTampered => {}
                        Err(_) if i < 5 => {}
                        other => panic!("{damaged}: {other:?}"),
                    }
                }
            }
            for n in 0..link.len() {
                tried += 1;
                match decode(&link[..n]).map_err(|e| e.kind()) {
                    Err(ErrorKind::LinkTampered) => {}
                    Err(ErrorKind::LinkMalformed) if n < 2 => {}
                    other => panic!("{n}: {other:?}"),
                }
            }
        }
        println!("damaged links tried: {tried} (v2 link {} characters, v1 {})", links[0].len(), links[1].len());
        assert!(tried > 5000);
    }

    #[test]
    fn every_error_names_its_field_in_both_languages() {
        let ok = capture(&base(), &base(), None);
        let with = |f: &dyn Fn(&mut SharedState)| {
            let mut s = ok.clone();
            f(&mut s);
            apply(&s).unwrap_err()
        };
        let cases = [
            (decode("#q=1").unwrap_err(), "不是有效", "not a valid"),
            (decode(&format!("s=v1.{}.!!!!", checksum("!!!!"))).unwrap_err(), "base64", "base64"),
            (decode(&format!("s=v1.{}.e30", checksum("e30"))).unwrap_err(), "missing field `base`", "missing field `base`"),
            (decode(&valid_link()[..40]).unwrap_err(), "不完整或已被改动", "incomplete or was altered"),
            (decode("s=v3.00000000.e30").unwrap_err(), "较新版本", "newer version"),
            (decode("s=v0.00000000.e30").unwrap_err(), "未知的链接版本 0", "Unknown link version 0"),
            (with(&|s| s.base = "jingan-2030".into()), "链接的基础场景：不是本版本的内置场景，实际为「jingan-2030」", "the link's base scenario: is not built into this version, got \"jingan-2030\"; allowed: pudong-2024"),
            (with(&|s| s.levers = vec![("teachers.magic".into(), 1.0)]), "`teachers.magic`", "`teachers.magic`"),
            (with(&|s| s.levers = vec![("teachers.rotation_share".into(), 1.5)]), "交流轮岗比例: 取值须在 0 到 100 %", "lever `teachers.rotation_share`: value out of range"),
            (with(&|s| s.yearly = vec![("funding.capital_budget_yuan".into(), vec![(1999, 1.0)])]), "年份", "lever `funding.capital_budget_yuan`: value out of range"),
            (
                with(&|s| s.levers = vec![("new_quality.certifications_min".into(), 9.0), ("new_quality.certifications_max".into(), 8.0)]),
                "场景无效：\n  - `new_quality.certifications_min`",
                "not valid:\n  - `new_quality.certifications_min`",
            ),
            (decode(&v2_link_of_packed(&[0xff; 16])).unwrap_err(), "deflate", "not a complete deflate stream"),
            (decode(&v2_link_of(&"{".repeat(MAX_UNPACKED + 1))).unwrap_err(), "解压后超过 64 KB", "unpacks to more than 64 KB"),
            (decode(&v2_link_of("{}")).unwrap_err(), "missing field `b`", "missing field `b`"),
        ];
        for (e, zh, en) in &cases {
            let (z, n) = (e.message(Lang::Zh), e.message(Lang::En));
            assert!(z.contains(zh), "{e:?}: {z}");
            assert!(n.contains(en), "{e:?}: {n}");
        }
        let kinds: Vec<ErrorKind> = cases.iter().map(|c| c.0.kind()).collect();
        use ErrorKind::*;
        assert_eq!(
            kinds,
            [
                LinkMalformed, LinkMalformed, LinkMalformed, LinkTampered, LinkVersion, LinkVersion, LinkUnknownScenario,
                LinkUnknownLever, LinkOutOfRange, LinkOutOfRange, ScenarioInvalid, LinkMalformed, LinkMalformed, LinkMalformed
            ]
        );
        // Where: the version, the base and the lever are named as places.
        assert_eq!(cases[4].0.problems()[0].place, Place::Link(LinkPart::Version));
        assert_eq!(cases[6].0.problems()[0].found.as_deref(), Some("jingan-2030"));
        assert_eq!(cases[7].0.problems()[0].place, Place::Link(LinkPart::Lever("teachers.magic".into())));
        assert_eq!(cases[10].0.problems()[0].place, Place::Field("new_quality.certifications_min".into()));
    }

    #[test]
    fn version_and_roster_differences_are_warnings() {
        let mut s = capture(&base(), &base(), Some("feedfacecafebeef".into()));
        s.model_version = "2025.01".into();
        let (_, notices) = apply(&s).unwrap();
        assert_eq!(
            notices,
            vec![
                Notice::ModelVersionDiffers { link: "2025.01".into(), current: MODEL_VERSION.into() },
                Notice::RosterNeeded { hash: "feedfacecafebeef".into() }
            ]
        );
        let stale = Notice::DataVersionDiffers { base: MINHANG.into(), link: "a".into(), current: "b".into() };
        assert!(stale.text().en.contains("data version differs") && stale.text().zh.contains("数据"));
        assert!(notices.iter().all(|n| n.text().zh != n.text().en));
    }

    #[test]
    fn roster_hash_depends_on_content_only() {
        let r = base().resolve_roster(|_| Err(String::new())).unwrap();
        let h = roster_hash(&r);
        assert_eq!(h.len(), 16);
        assert_eq!(h, roster_hash(&r.clone()));
        let mut other = r.clone();
        other.schools[0].teachers += 1.0;
        assert_ne!(h, roster_hash(&other));
        other.schools[0].teachers -= 1.0;
        assert_eq!(h, roster_hash(&other));
    }

    #[test]
    fn data_version_tells_the_built_ins_apart() {
        let versions: std::collections::BTreeSet<String> = BUILTIN.iter().map(data_version).collect();
        assert_eq!(versions.len(), BUILTIN.len());
        // src/build.rs's digest is this one, with carriage returns skipped.
        for b in BUILTIN {
            let crlf = b.toml.replace('\n', "\r\n");
            assert_eq!(format!("{:016x}", fnv1a64(crlf.bytes().filter(|&c| c != b'\r'))), data_version(b), "{}", b.id);
        }
    }

    fn prefixed() -> impl Strategy<Value = String> {
        prop_oneof![
            any::<String>().prop_map(|s| format!("s=v1.{s}")),
            "[0-9a-f]{8}\\.[A-Za-z0-9_-]{0,200}".prop_map(|s| format!("#s=v1.{s}")),
            "[A-Za-z0-9_.=-]{0,200}".prop_map(|s| format!("s=v{s}")),
            // A valid checksum over arbitrary base64: exercises base64 and JSON.
            "[A-Za-z0-9_-]{0,300}".prop_map(|p| format!("v1.{}.{p}", checksum(&p))),
            // A valid checksum over arbitrary JSON-ish text.
            "[\\[\\]{}\":,0-9a-z._ -]{0,200}".prop_map(|j| {
                let p = b64_encode(j.as_bytes());
                format!("s=v1.{}.{p}", checksum(&p))
            }),
            // v2: a valid checksum over arbitrary base64, so arbitrary bytes to inflate.
            "[A-Za-z0-9_-]{0,300}".prop_map(|p| format!("v2.{}.{p}", checksum_v2(&p))),
            // v2: arbitrary JSON-ish text, deflated.
            "[\\[\\]{}\":,0-9a-z._ -]{0,200}".prop_map(|j| v2_link_of(&j)),
        ]
    }

    fn finite() -> impl Strategy<Value = f64> {
        use prop::num::f64::*;
        POSITIVE | NEGATIVE | NORMAL | SUBNORMAL | ZERO
    }

    fn state() -> impl Strategy<Value = SharedState> {
        // Any printable text, quotes, backslashes and CJK included.
        let text = || "\\PC{0,30}";
        let rows = prop::collection::vec((any::<i32>(), finite()), 0..8);
        (
            (text(), text(), text(), any::<u64>()),
            prop::collection::vec((text(), finite()), 0..12),
            prop::collection::vec((text(), rows), 0..4),
            prop::option::of(text()),
        )
            .prop_map(|((base, model_version, data_version, seed), mut levers, mut yearly, roster_hash)| {
                // A link names each lever, and each year of a table, once.
                let mut ids = std::collections::BTreeSet::new();
                levers.retain(|l| ids.insert(l.0.clone()));
                yearly.retain(|y| ids.insert(y.0.clone()));
                for (_, rows) in &mut yearly {
                    let mut years = std::collections::BTreeSet::new();
                    rows.retain(|r| years.insert(r.0));
                }
                SharedState { base, model_version, data_version, seed, levers, yearly, roster_hash }
            })
    }

    /// A v1 link for `json` (a payload [`encode`] would not write).
    fn link_of(json: &str) -> String {
        let p = b64_encode(json.as_bytes());
        format!("s=v1.{}.{p}", checksum(&p))
    }

    /// The link the v1 writer made (before v2): the v1 reader still opens them.
    fn encode_v1(s: &SharedState) -> String {
        link_of(&serde_json::to_string(s).unwrap())
    }

    /// A v2 link, checksum right, whose payload is these bytes (any bytes, not only deflate).
    fn v2_link_of_packed(packed: &[u8]) -> String {
        let p = b64_encode(packed);
        format!("s=v2.{}.{p}", checksum_v2(&p))
    }

    /// A v2 link for `json`, deflated (a payload [`encode`] would not write).
    fn v2_link_of(json: &str) -> String {
        v2_link_of_packed(&miniz_oxide::deflate::compress_to_vec(json.as_bytes(), 10))
    }

    /// Every line the planner would read, in both languages.
    fn said(e: &Error) -> String {
        format!("{}\n{}", e.message(Lang::Zh), e.message(Lang::En))
    }

    #[test]
    fn a_100_kb_id_is_quoted_40_characters_long() {
        let long = "x".repeat(100_000);
        let b = base();
        let mut s = capture(&b, &b, Some(long.clone()));
        s.base = long.clone();
        let e = apply(&decode(&encode_v1(&s)).unwrap()).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::LinkUnknownScenario);
        assert!(said(&e).len() < 1_000 && said(&e).contains(&format!("{}…", &long[..40])), "{}", said(&e));
        // As a v2 link, 200 KB of JSON packs into a few hundred characters and
        // is refused while unpacking.
        let packed = encode(&s);
        assert!(packed.len() < 1_000, "{}", packed.len());
        let e = decode(&packed).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::LinkMalformed);
        assert!(said(&e).contains("unpacks to more than 64 KB") && said(&e).len() < 1_000, "{}", said(&e));

        let mut s = capture(&b, &b, None);
        s.levers = vec![(long.clone(), 1.0)];
        let e = apply(&s).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::LinkUnknownLever);
        assert!(said(&e).len() < 1_000, "{}", said(&e));

        // An unknown field of the JSON is quoted by serde: cut short too.
        for link in [link_of(&format!("{{\"{long}\":1}}")), v2_link_of(&format!("{{\"{}\":1}}", &long[..60_000]))] {
            let e = decode(&link).unwrap_err();
            assert_eq!(e.kind(), ErrorKind::LinkMalformed);
            assert!(said(&e).contains("unknown field") && said(&e).len() < 1_000, "{}", said(&e));
        }

        // Versions and hashes a notice quotes.
        let mut s = capture(&b, &b, Some(long.clone()));
        s.data_version = long.clone();
        s.model_version = long.clone();
        let (_, notices) = apply(&s).unwrap();
        assert_eq!(notices.len(), 3);
        for n in notices {
            assert!(n.text().bilingual().len() < 1_000, "{}", n.text().bilingual());
        }
    }

    #[test]
    fn a_lever_given_twice_is_refused_so_the_count_is_of_distinct_levers() {
        let b = base();
        let mut s = capture(&b, &typical(&b), None);
        let first = s.levers[0].clone();
        s.levers.extend(std::iter::repeat(first.clone()).take(3_000));
        // 3,000 copies are 114 KB of JSON: a v1 link; v2 unpacks at most 64 KB.
        let v2 = SharedState { levers: s.levers[..1_000].to_vec(), ..s.clone() };
        for e in [decode(&encode_v1(&s)).unwrap_err(), decode(&encode(&v2)).unwrap_err(), apply(&s).unwrap_err()] {
            assert_eq!(e.kind(), ErrorKind::LinkMalformed);
            assert_eq!(e.problems().len(), 1);
            assert!(said(&e).contains(&first.0) && said(&e).contains("more than once"), "{}", said(&e));
        }
        // A year of a yearly lever given twice, too.
        let mut s = capture(&b, &typical(&b), None);
        let row = s.yearly[0].1[0];
        s.yearly[0].1.push(row);
        let e = decode(&encode(&s)).unwrap_err();
        assert!(said(&e).contains(&format!("the year {} is given more than once", row.0)), "{}", said(&e));
        // A link as `encode` writes it: one entry per changed lever.
        let s = decode(&encode(&capture(&b, &typical(&b), None))).unwrap();
        assert_eq!(s.levers.len() + s.yearly.len(), 6);
    }

    /// Deflate that `encode` never writes, behind a right checksum: a bomb,
    /// garbage, a cut stream, bytes after its end. Each is refused, never opened.
    #[test]
    fn bad_deflate_streams_are_refused() {
        let pack = |json: &[u8]| miniz_oxide::deflate::compress_to_vec(json, 10);
        let refused = |link: &str, why: &str| {
            let e = decode(link).unwrap_err();
            assert_eq!(e.kind(), ErrorKind::LinkMalformed, "{why}");
            assert!(said(&e).contains(why), "{why}: {}", said(&e));
        };
        // A bomb: 4 MB of spaces pack into a 5,600-character link (zip bombs
        // go further with nested layers; one deflate stream tops out near 1,000:1).
        let bomb = v2_link_of_packed(&pack(&vec![b' '; 4 << 20]));
        assert!(bomb.len() < 6_000, "{}", bomb.len());
        refused(&bomb, "unpacks to more than 64 KB");
        refused(&bomb, "解压后超过 64 KB");
        // The limit is exact: JSON of MAX_UNPACKED bytes unpacks, one more does not.
        let json = |len: usize| {
            let frame = r#"{"b":"","m":"","d":"","s":1}"#;
            format!(r#"{{"b":"{}","m":"","d":"","s":1}}"#, "x".repeat(len - frame.len()))
        };
        let at_limit = decode(&v2_link_of(&json(MAX_UNPACKED))).unwrap();
        assert_eq!(serde_json::to_vec(&PayloadV2::from(&at_limit)).unwrap().len(), MAX_UNPACKED);
        refused(&v2_link_of(&json(MAX_UNPACKED + 1)), "unpacks to more than 64 KB");
        // Garbage, nothing, a cut stream, a stream with a byte after its end.
        let good = pack(&serde_json::to_vec(&PayloadV2::from(&capture(&base(), &typical(&base()), None))).unwrap());
        assert!(decode(&v2_link_of_packed(&good)).is_ok());
        refused(&v2_link_of_packed(&[0xff; 16]), "not a complete deflate stream");
        refused(&v2_link_of_packed(&[]), "not a complete deflate stream");
        for cut in [1, good.len() / 2, good.len() - 1] {
            refused(&v2_link_of_packed(&good[..cut]), "not a complete deflate stream");
        }
        let mut longer = good.clone();
        longer.push(0);
        refused(&v2_link_of_packed(&longer), "bytes after the end of the deflate stream");
        // Deflate of something that is not the v2 JSON: v1's field names are refused.
        refused(&v2_link_of(&serde_json::to_string(&capture(&base(), &base(), None)).unwrap()), "unknown field `base`");
        refused(&v2_link_of("\u{0}\u{ff}"), "JSON");
    }

    #[test]
    fn a_value_that_overflows_in_the_message_is_reported_as_given() {
        let b = base();
        let mut s = capture(&b, &b, None);
        s.levers = vec![("teachers.rotation_share".into(), 1e308)];
        let e = apply(&decode(&encode(&s)).unwrap()).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::LinkOutOfRange);
        let text = said(&e);
        assert!(text.contains("1e308") && !text.contains("inf"), "{text}");
        // A large value that does not overflow is shown in display units,
        // with bounded digits.
        s.levers = vec![("teachers.rotation_share".into(), 1e300)];
        let text = said(&apply(&s).unwrap_err());
        assert!(text.contains("1e302") && text.len() < 1_000, "{text}");
    }

    // Inputs tried by the properties below: 10,000 + 4,500 + 3,000 + 1,000 +
    // 1,000 + 1,500 = 21,000, and 200 link states through `apply`.
    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2500))]

        #[test]
        fn decode_never_panics_on_bytes(b in prop::collection::vec(any::<u8>(), 0..600), c in 0u8..4) {
            // Four texts built from the bytes a case: 10,000 inputs.
            let text = String::from_utf8_lossy(&b);
            let _ = decode(&text);
            let _ = decode(&format!("s={text}"));
            let _ = decode(&format!("#v{c}.{text}"));
            let _ = decode(&format!("s=v1.{}.{text}", checksum(&text)));
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(1500))]

        #[test]
        fn decode_never_panics_on_our_prefix(a in prefixed(), b in prefixed(), c in prefixed()) {
            // 4,500 inputs; whatever decodes must encode back to a decodable link.
            for text in [a, b, c] {
                if let Ok(s) = decode(&text) {
                    prop_assert_eq!(decode(&encode(&s)), Ok(s));
                }
            }
        }

        #[test]
        fn mutated_links_fail_cleanly(edits in prop::collection::vec((any::<prop::sample::Index>(), any::<char>(), 0u8..3), 1..4), cut in any::<prop::sample::Index>()) {
            // 2 inputs a case: 3,000. A changed link never opens as a different state.
            let link = valid_link();
            let original = decode(&link).unwrap();
            let mut chars: Vec<char> = link.chars().collect();
            for (at, c, op) in edits {
                let i = at.index(chars.len());
                match op {
                    0 => chars[i] = c,
                    1 => chars.insert(i, c),
                    _ => { chars.remove(i); }
                }
            }
            let mutated: String = chars.into_iter().collect();
            let cut = &link[..cut.index(link.len())];
            for text in [mutated.as_str(), cut] {
                match decode(text) {
                    Ok(s) => prop_assert_eq!(s, original.clone()),
                    Err(e) => prop_assert!(!e.message(Lang::Zh).is_empty()),
                }
            }
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(1000))]

        #[test]
        fn base64_round_trips(b in prop::collection::vec(any::<u8>(), 0..300)) {
            prop_assert_eq!(b64_decode(&b64_encode(&b)), Some(b));
        }

        /// 1,000 inputs: any bytes behind a right v2 checksum, as the
        /// deflate stream, are refused with a message or open as some state.
        #[test]
        fn decode_never_panics_on_packed_bytes(b in prop::collection::vec(any::<u8>(), 0..600)) {
            match decode(&v2_link_of_packed(&b)) {
                Ok(s) => prop_assert_eq!(decode(&encode(&s)), Ok(s)),
                Err(e) => prop_assert!(!e.message(Lang::En).is_empty()),
            }
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(1500))]

        /// Any state, however odd its strings and numbers, comes back bit for bit.
        #[test]
        fn any_state_round_trips(s in state()) {
            let back = decode(&encode(&s));
            prop_assert_eq!(format!("{back:?}"), format!("{:?}", Ok::<_, Error>(s)));
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(200))]

        /// `apply` on any lever ids and values from the tables fails cleanly.
        #[test]
        fn apply_never_panics(picks in prop::collection::vec((any::<prop::sample::Index>(), any::<f64>()), 0..6), years in prop::collection::vec((any::<prop::sample::Index>(), 2010i32..2040, any::<f64>()), 0..3)) {
            let b = base();
            let mut s = capture(&b, &b, None);
            s.levers = picks.into_iter().map(|(i, v)| (levers::LEVERS[i.index(levers::LEVERS.len())].id.to_owned(), v)).collect();
            s.yearly = years.into_iter().map(|(i, y, v)| (levers::YEARLY_LEVERS[i.index(levers::YEARLY_LEVERS.len())].id.to_owned(), vec![(y, v)])).collect();
            if let Err(e) = apply(&s) {
                prop_assert!(!e.message(Lang::En).is_empty());
            }
        }
    }

    /// The page builds a big roster's JSON in slices: the bytes (and so the
    /// hash a link carries) are those of serialising it whole, however it
    /// is sliced, and for an empty roster too.
    #[test]
    fn a_roster_serialised_in_slices_is_the_roster_serialised_whole() {
        let b = builtin("pudong-2024").unwrap().scenario().unwrap();
        let roster = b.resolve_roster(|_| Err(String::new())).unwrap();
        let whole = serde_json::to_string(&roster).unwrap();
        for size in [1, 7, 250, roster.schools.len()] {
            let mut json = RosterJson::default();
            for slice in roster.schools.chunks(size) {
                json.push(slice);
            }
            assert_eq!(json.finish(), whole, "slices of {size}");
        }
        assert_eq!(RosterJson::default().finish(), serde_json::to_string(&Roster::default()).unwrap());
        assert_eq!(roster_json_hash(&whole), roster_hash(&roster));
    }
}
