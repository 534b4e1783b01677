//! Reading a type from JSON text with plain serde, and naming the field
//! where it stopped: a scenario file, a saved entry. serde_json's error says
//! where in the text it stopped (line and column); [`path_at`] walks the
//! text up to there and names the value it stood in, as
//! `teachers.attrition_rate` or `targets[0].label`. The page's module then
//! holds one copy of the scenario types' reading code (serde_json's own), not
//! a second, path-tracking one (`serde_path_to_error`'s, 260 KB of the page);
//! a test checks the paths against `serde_path_to_error`'s.

use serde::de::{DeserializeOwned, Unexpected};
use std::fmt;

/// One step of a [`Path`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Segment {
    /// A key of a JSON object (a struct field, a map key, an enum variant).
    Map {
        /// The key.
        key: String,
    },
    /// An element of a JSON array.
    Seq {
        /// Its index, from 0.
        index: usize,
    },
}

/// Where in a JSON document a value sits, shown as `teachers.attrition_rate`
/// or `targets[0].label`, and `.` for the whole document.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Path(pub Vec<Segment>);

impl fmt::Display for Path {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        if self.0.is_empty() {
            return f.write_str(".");
        }
        for (i, segment) in self.0.iter().enumerate() {
            match segment {
                Segment::Map { key } if i == 0 => f.write_str(key)?,
                Segment::Map { key } => write!(f, ".{key}")?,
                Segment::Seq { index } => write!(f, "[{index}]")?,
            }
        }
        Ok(())
    }
}

/// A `T` read from `text`, or the path of the value where reading stopped
/// and serde's reason (without serde_json's "at line … column …").
///
/// # Errors
///
/// When `text` does not fit `T` (or is not JSON: callers that word that
/// apart parse it to a [`serde_json::Value`] first).
pub fn from_str<T: DeserializeOwned>(text: &str) -> Result<T, (Path, String)> {
    serde_json::from_str(text).map_err(|e| {
        let reason = e.to_string();
        let at = format!(" at line {} column {}", e.line(), e.column());
        let reason = reason.strip_suffix(&at).map_or(reason.clone(), str::to_owned);
        let end = offset(text, e.line(), e.column());
        if reason == "expected value" {
            return enum_error(text, end);
        }
        (path_at(text, end), reason)
    })
}

/// The one error serde_json's reader words as its own ("expected value")
/// in JSON that parses: an enum given something other than a string or an
/// object of one key. Worded and placed as the reader of a JSON value words
/// it.
fn enum_error(text: &str, end: usize) -> (Path, String) {
    let bytes = text.as_bytes();
    // Either `end` is just past the first character of a value that is not
    // an enum's (a scalar or an array, after a key or in an array)...
    let start = end.saturating_sub(1);
    let first = bytes.get(start).copied().unwrap_or(b' ');
    let after = text[..start].trim_end().bytes().last();
    if !(matches!(first, b'-' | b'0'..=b'9' | b't' | b'f' | b'n' | b'[') && matches!(after, Some(b':' | b'[' | b','))) {
        // ... or the object has a second key after the variant's value
        // (`end` at the comma), or none (`end` past its `}`).
        let mut path = path_at(text, end);
        let read = text[..end].trim_end();
        let empty = read.ends_with('}') && read[..read.len() - 1].trim_end().ends_with('{');
        if !empty {
            path.0.pop();
        }
        return (path, "invalid value: map, expected map with a single key".into());
    }
    let mut de = serde_json::Deserializer::from_str(&text[start..]);
    let found = match <serde_json::Value as serde::Deserialize>::deserialize(&mut de) {
        Ok(serde_json::Value::Bool(b)) => Unexpected::Bool(b).to_string(),
        Ok(serde_json::Value::Number(n)) => match (n.as_u64(), n.as_i64(), n.as_f64()) {
            (Some(u), _, _) => Unexpected::Unsigned(u).to_string(),
            (_, Some(i), _) => Unexpected::Signed(i).to_string(),
            (_, _, f) => Unexpected::Float(f.unwrap_or(f64::NAN)).to_string(),
        },
        Ok(serde_json::Value::String(s)) => Unexpected::Str(&s).to_string(),
        Ok(serde_json::Value::Array(_)) => Unexpected::Seq.to_string(),
        Ok(serde_json::Value::Object(_)) => Unexpected::Map.to_string(),
        Ok(serde_json::Value::Null) | Err(_) => Unexpected::Unit.to_string(),
    };
    (path_at(text, start), format!("invalid type: {found}, expected string or map"))
}

/// The byte offset of serde_json's error position: `line` from 1, and
/// `column` the bytes read on that line (0 when it stopped after a newline).
fn offset(text: &str, line: usize, column: usize) -> usize {
    let start = if line <= 1 { 0 } else { text.match_indices('\n').nth(line - 2).map_or(text.len(), |(i, _)| i + 1) };
    (start + column).min(text.len())
}

/// The path of the value the JSON reader stood in after reading
/// `text[..end]`: the keys and indexes of the objects and arrays still
/// open there, and the key read last in the innermost object. serde_json
/// reports a value that does not fit right after reading it (or on seeing
/// its first character), an unknown key right after the key, and a missing
/// field right after the object's closing brace, so each is named as
/// `serde_path_to_error` names it.
pub fn path_at(text: &str, end: usize) -> Path {
    /// An open object (its last key, `None` before the first and after each
    /// comma) or array (the index of the element being read).
    enum Open {
        Object(Option<String>),
        Array(usize),
    }
    let bytes = &text.as_bytes()[..end.min(text.len())];
    let mut open: Vec<Open> = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'"' => {
                let start = i;
                i += 1;
                while i < bytes.len() && bytes[i] != b'"' {
                    i += if bytes[i] == b'\\' { 2 } else { 1 };
                }
                if let Some(Open::Object(key @ None)) = open.last_mut() {
                    let raw = text.get(start..(i + 1).min(bytes.len())).unwrap_or_default();
                    *key = Some(serde_json::from_str::<String>(raw).unwrap_or_else(|_| raw.trim_matches('"').to_owned()));
                }
            }
            b'{' => open.push(Open::Object(None)),
            b'[' => open.push(Open::Array(0)),
            b'}' | b']' => {
                open.pop();
            }
            b',' => match open.last_mut() {
                Some(Open::Object(key)) => *key = None,
                Some(Open::Array(n)) => *n += 1,
                None => {}
            },
            _ => {}
        }
        i += 1;
    }
    Path(
        open.into_iter()
            .filter_map(|o| match o {
                Open::Object(key) => key.map(|key| Segment::Map { key }),
                Open::Array(index) => Some(Segment::Seq { index }),
            })
            .collect(),
    )
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::scenario::builtin::BUILTIN;
    use crate::scenario::Scenario;
    use serde_json::{json, Value};

    /// `value` changed in each way a file can be wrong: every scalar (within
    /// the first two elements of each array) given the wrong type, every key
    /// removed, an unknown key in every object, an array where an object
    /// belongs and the reverse.
    fn broken(value: &Value) -> Vec<Value> {
        fn walk(v: &Value, at: &mut Vec<Result<String, usize>>, out: &mut Vec<Vec<Result<String, usize>>>) {
            out.push(at.clone());
            match v {
                Value::Object(m) => {
                    for (k, x) in m {
                        at.push(Ok(k.clone()));
                        walk(x, at, out);
                        at.pop();
                    }
                }
                Value::Array(a) => {
                    for (i, x) in a.iter().enumerate().take(2) {
                        at.push(Err(i));
                        walk(x, at, out);
                        at.pop();
                    }
                }
                _ => {}
            }
        }
        fn get<'a>(v: &'a mut Value, at: &[Result<String, usize>]) -> &'a mut Value {
            at.iter().fold(v, |v, s| match s {
                Ok(k) => &mut v[k.as_str()],
                Err(i) => &mut v[*i],
            })
        }
        let mut places = Vec::new();
        walk(value, &mut Vec::new(), &mut places);
        let mut out = Vec::new();
        for at in places {
            let mut v = value.clone();
            let here = get(&mut v, &at);
            let wrong = match here {
                Value::String(_) => json!(7),
                Value::Number(_) => json!("x"),
                Value::Bool(_) => json!(1.5),
                Value::Null => json!([1]),
                Value::Array(_) => json!({"a": 1}),
                Value::Object(_) => json!([1, 2]),
            };
            if let Value::Object(m) = here {
                for k in m.keys().cloned().collect::<Vec<_>>() {
                    let mut w = v.clone();
                    get(&mut w, &at).as_object_mut().unwrap().remove(&k);
                    out.push(w);
                }
                let mut w = v.clone();
                get(&mut w, &at).as_object_mut().unwrap().insert("bogus_key".into(), json!(1));
                out.push(w);
            }
            *get(&mut v, &at) = wrong;
            out.push(v);
        }
        out
    }

    /// Where and why `serde_path_to_error` stops reading `value` as a `T`.
    fn reference<T: DeserializeOwned>(value: &Value) -> Option<(String, String)> {
        serde_path_to_error::deserialize::<_, T>(value.clone()).err().map(|e| (e.path().to_string(), e.inner().to_string()))
    }

    /// The same from the JSON text, compact and pretty-printed.
    fn ours<T: DeserializeOwned + fmt::Debug>(value: &Value) -> Vec<Option<(String, String)>> {
        [value.to_string(), serde_json::to_string_pretty(value).unwrap()]
            .iter()
            .map(|text| from_str::<T>(text).err().map(|(p, r)| (p.to_string(), r)))
            .collect()
    }

    #[test]
    fn paths_and_reasons_match_serde_path_to_error_for_every_kind_of_break_in_every_built_in() {
        let mut checked = 0;
        let mut bad = Vec::new();
        for b in BUILTIN {
            let value: Value = serde_json::from_str(b.json().unwrap()).unwrap();
            for v in broken(&value) {
                let want = reference::<Scenario>(&v);
                for got in ours::<Scenario>(&v) {
                    // A JSON value's reader takes an enum's struct
                    // variant only as an object, and an object of two keys
                    // as a wrong map; serde_json's reader of the text takes
                    // the variant's fields as an array too, and the first
                    // key as the variant: it names the field inside.
                    let inside = |(g, r): &(String, String), (w, why): &(String, String)| {
                        (why.contains("expected struct variant") || why.contains("map with a single key")) && g.starts_with(w.as_str()) && !r.is_empty()
                    };
                    if got != want && !matches!((&got, &want), (Some(g), Some(w)) if inside(g, w)) {
                        bad.push(format!("{}: {got:?} != {want:?}", b.id));
                    }
                }
                checked += usize::from(want.is_some());
            }
        }
        bad.dedup();
        assert!(bad.is_empty(), "{} differ:\n{}", bad.len(), bad.join("\n"));
        assert!(checked > 1000, "{checked}");
    }

    #[test]
    fn paths_display_as_serde_path_to_errors_do() {
        let path = Path(vec![Segment::Map { key: "targets".into() }, Segment::Seq { index: 0 }, Segment::Map { key: "label".into() }]);
        assert_eq!(path.to_string(), "targets[0].label");
        assert_eq!(Path(vec![Segment::Seq { index: 2 }, Segment::Map { key: "a".into() }]).to_string(), "[2].a");
        assert_eq!(Path::default().to_string(), ".");
        // A key with escapes, an error at the top.
        let e = from_str::<std::collections::BTreeMap<String, u32>>("{\"a\\\"b\": \"x\"}").unwrap_err();
        assert_eq!((e.0.to_string().as_str(), e.1.as_str()), ("a\"b", "invalid type: string \"x\", expected u32"));
        let e = from_str::<Vec<u32>>("{}").unwrap_err();
        assert_eq!((e.0.to_string().as_str(), e.1.as_str()), (".", "invalid type: map, expected a sequence"));
    }
}
