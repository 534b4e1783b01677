//! Numbers as the CLI prints them: a bounded number of digits, whatever the
//! roster holds, and a value that cannot be computed named as such with its
//! reason, never printed as `inf`, `NaN` or a 150-digit number, and never a
//! bare `null` in JSON.

use serde_json::{json, Value};
use youjun::message::Text;

/// Beyond this magnitude a number is printed in exponent notation.
const LARGE: f64 = 1e9;

/// `v` with `decimals` decimals, or in exponent notation with four
/// significant digits when its magnitude is 1e9 or more; `—` when it is not
/// a finite number (callers that can say why use [`not_computable`]).
pub(crate) fn fixed(v: f64, decimals: usize) -> String {
    if !v.is_finite() {
        "—".to_owned()
    } else if v.abs() >= LARGE {
        format!("{v:.3e}")
    } else {
        format!("{v:.decimals$}")
    }
}

/// Why a value (a CV, an indicator) is not a number, or None when it is:
/// `None` from the metrics means no pupils (or a zero mean); a non-finite
/// value means the roster's numbers are too large to compute with.
pub(crate) fn not_computable(v: Option<f64>) -> Option<Reason> {
    match v {
        None => Some(Reason::NoPupils),
        Some(x) if !x.is_finite() => Some(Reason::Overflow),
        Some(_) => None,
    }
}

/// Why a value cannot be computed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Reason {
    /// No pupils at the level (or in the school), or a zero mean.
    NoPupils,
    /// The roster's values are so large that the computation overflows.
    Overflow,
}

impl Reason {
    /// The stable key the JSON output carries.
    pub(crate) fn key(self) -> &'static str {
        match self {
            Reason::NoPupils => "no_pupils",
            Reason::Overflow => "overflow",
        }
    }

    /// The reason in both languages.
    pub(crate) fn text(self) -> Text {
        match self {
            Reason::NoPupils => Text::new("无在校生或均值为 0", "no pupils, or a zero mean"),
            Reason::Overflow => {
                Text::new("花名册数值过大，计算溢出：请检查花名册中的异常值", "the roster's values are too large to compute with: check it for absurd values")
            }
        }
    }
}

/// A value for JSON: the number, or null when it is not computable.
pub(crate) fn json_number(v: Option<f64>) -> Value {
    match v {
        Some(x) if x.is_finite() => json!(x),
        _ => Value::Null,
    }
}

/// The JSON entry that says why a null is there: `{ "reason": key, "zh", "en" }`.
pub(crate) fn json_reason(r: Reason) -> Value {
    let t = r.text();
    json!({ "reason": r.key(), "zh": t.zh, "en": t.en })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digits_are_bounded() {
        assert_eq!(fixed(0.1234, 3), "0.123");
        assert_eq!(fixed(1e152, 3), "1.000e152");
        assert_eq!(fixed(-2.5e300, 2), "-2.500e300");
        assert_eq!(fixed(f64::INFINITY, 3), "—");
        assert_eq!(not_computable(Some(f64::NAN)), Some(Reason::Overflow));
        assert_eq!(not_computable(None), Some(Reason::NoPupils));
        assert_eq!(not_computable(Some(0.2)), None);
        assert_eq!(json_number(Some(f64::INFINITY)), Value::Null);
    }
}
