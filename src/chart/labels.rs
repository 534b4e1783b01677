//! Readable names for district series, indicators and levels, in either
//! language, as the charts use them. The names themselves are data in the
//! series catalogue ([`crate::series`]); this module only looks them up.

use crate::i18n::Lang;
pub use crate::series::{indicator_label, level_label};

/// The name of district series `key` in `lang` (see [`crate::series`]),
/// or the key itself for a key no run records.
pub fn series_label(key: &str, lang: Lang) -> String {
    crate::series::find(key).map_or(key, |d| d.label(lang)).to_owned()
}

/// Whether series `key` is drawn on a percentage axis: a share (0–1), or a
/// yes/no flag recorded as 0 or 1, which reads as 0%/100% and, across Monte
/// Carlo runs, as the share of runs where it holds. The catalogue's unit
/// says which ([`crate::series::Unit::is_percent`]).
pub fn is_share_series(key: &str) -> bool {
    crate::series::unit(key).is_some_and(crate::series::Unit::is_percent)
}

/// A value as a target label shows it: 120, 0.45, 33.3%.
pub(crate) fn value_text(v: f64, percent: bool) -> String {
    let (v, unit) = if percent { (v * 100.0, "%") } else { (v, "") };
    // At most two decimals, trailing zeros dropped: 0.3333 → 33.3%, 120 → 120.
    let mut s = format!("{:.2}", if percent { (v * 10.0).round() / 10.0 } else { v });
    while s.contains('.') && (s.ends_with('0') || s.ends_with('.')) {
        s.pop();
    }
    s + unit
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::series::{catalogue, Unit};

    #[test]
    fn every_target_series_of_the_built_in_scenarios_has_a_name() {
        for b in crate::scenario::builtin::BUILTIN {
            for t in b.scenario().unwrap().targets {
                for lang in [Lang::Zh, Lang::En] {
                    assert_ne!(series_label(&t.series, lang), t.series, "{}: {}", b.id, t.series);
                }
            }
        }
    }

    #[test]
    fn names_come_from_the_catalogue_and_unknown_keys_name_themselves() {
        for d in catalogue() {
            assert_eq!(series_label(&d.key, Lang::Zh), d.zh);
            assert_eq!(series_label(&d.key, Lang::En), d.en);
        }
        for key in ["no_such_series", "widgets_primary", "cv.middle.backbone_teachers_per_100", "cv.primary"] {
            assert_eq!(series_label(key, Lang::Zh), key);
            assert_eq!(series_label(key, Lang::En), key);
        }
    }

    #[test]
    fn shares_and_yes_no_flags_are_percentages_by_their_unit() {
        for d in catalogue() {
            assert_eq!(is_share_series(&d.key), matches!(d.unit, Unit::Share | Unit::YesNo), "{}", d.key);
        }
        assert!(!is_share_series("no_such_share"));
    }

    #[test]
    fn target_values_print_short() {
        assert_eq!(value_text(120.0, false), "120");
        assert_eq!(value_text(0.45, false), "0.45");
        assert_eq!(value_text(0.5, false), "0.5");
        assert_eq!(value_text(0.3333, true), "33.3%");
        assert_eq!(value_text(1.0, true), "100%");
        assert_eq!(value_text(0.0, false), "0");
    }
}
