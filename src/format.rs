//! Numbers as the planner reads them, one place for the page, the charts and
//! the briefing. Browser-free and below everything but [`crate::i18n`], so
//! the chart functions (and through them the exported SVGs) and the UI share
//! the same rules.
//!
//! Four styles, each for one job:
//!
//! | style      | for                       | 212 000 (zh / en) | 1 234.5 (zh / en) | 0.4567 |
//! |------------|---------------------------|-------------------|-------------------|--------|
//! | [`axis`]   | chart tick labels         | 21.2万 / 212.0k   | 1234 / 1.2k       | 0.46   |
//! | [`value`]  | table cells, the briefing | 21.2万 / 212k     | 1234 / 1234       | 0.457  |
//! | [`money`]  | yuan in the briefing      | 21.2万元 / 212k yuan | 1234元 / 1234 yuan | 0.457元 |
//! | [`plain`]  | lever settings in text    | 212000            | 1234.5            | 0.4567 |
//!
//! [`stepped`] writes a lever's setting at its slider step's precision (the
//! number box and the range ends).
//! plus [`probability`] (a whole percentage) and [`whole`] (a rounded count).
//! Axis labels are shorter than table values because a tick only has to tell
//! its neighbours apart; a table cell is read on its own. Changing [`axis`]
//! changes every golden chart in `tests/golden/`.

use crate::i18n::Lang;

/// A chart's y-axis tick label. Shares (`percent`) as whole percentages
/// ("45%"). Otherwise large numbers in the language's units, one decimal:
/// Chinese 亿 from 10⁸ and 万 from 10⁴; English bn from 10⁹, M from 10⁶ and
/// k from 10³. Below that, whole numbers from 10 (and zero), two decimals
/// under 10 ("0.45").
pub fn axis(v: f64, percent: bool, lang: Lang) -> String {
    if percent {
        return format!("{:.0}%", v * 100.0);
    }
    let a = v.abs();
    let units = lang.pick::<&[(f64, &str)]>(
        &[(1e8, "亿"), (1e4, "万")],
        &[(1e9, "bn"), (1e6, "M"), (1e3, "k")],
    );
    if let Some((scale, unit)) = units.iter().find(|(scale, _)| a >= *scale) {
        format!("{:.1}{unit}", v / scale)
    } else if a >= 10.0 || v == 0.0 {
        format!("{v:.0}")
    } else {
        format!("{v:.2}")
    }
}

/// A value in a table or a sentence: shares (`percent`) with one decimal
/// ("45.6%"); large numbers in the language's units: Chinese 亿 from 10⁸ (two
/// decimals) and 万 from 10⁵ (one decimal), English bn from 10⁹ and M from
/// 10⁶ (two decimals) and k from 10⁵ (none), so four-digit counts stay whole
/// in both languages. Below that: whole from 100 and for whole numbers, two
/// decimals from 1, three under 1. Not a number: "—".
pub fn value(v: f64, percent: bool, lang: Lang) -> String {
    if !v.is_finite() {
        return "—".into();
    }
    if percent {
        return format!("{:.1}%", v * 100.0);
    }
    let a = v.abs();
    // (from this size, divide by, unit, decimals)
    let big = lang.pick::<&[(f64, f64, &str, usize)]>(
        &[(1e8, 1e8, "亿", 2), (1e5, 1e4, "万", 1)],
        &[(1e9, 1e9, "bn", 2), (1e6, 1e6, "M", 2), (1e5, 1e3, "k", 0)],
    );
    if let Some((_, div, unit, decimals)) = big.iter().find(|(from, _, _, _)| a >= *from) {
        format!("{:.*}{unit}", decimals, v / div)
    } else if a >= 100.0 || v.fract() == 0.0 {
        format!("{v:.0}")
    } else if a >= 1.0 {
        format!("{v:.2}")
    } else {
        format!("{v:.3}")
    }
}

/// An amount of yuan: [`value`] followed by 元 (Chinese) or " yuan"
/// (English); not a number: "—", without a unit.
pub fn money(v: f64, lang: Lang) -> String {
    let text = value(v, false, lang);
    if v.is_finite() {
        format!("{text}{}", lang.pick("元", " yuan"))
    } else {
        text
    }
}

/// A lever's setting as the planner typed it: at most four decimals, without
/// trailing zeros ("0.15", "1200"), the same in both languages.
pub fn plain(v: f64) -> String {
    let s = format!("{v:.4}");
    s.trim_end_matches('0').trim_end_matches('.').to_owned()
}

/// A lever's value at the precision of its slider step, for the number box
/// and the range ends, so 0.1 × 100 shows as 10, not 10.000000000000002: as
/// many decimals as the step has ("0.05" → two), then without trailing
/// zeros; whole numbers for steps of 1 and more.
pub fn stepped(v: f64, step: f64) -> String {
    let decimals = if step >= 1.0 {
        0
    } else {
        (-step.log10()).ceil() as usize
    };
    let s = format!("{v:.decimals$}");
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_owned()
    } else {
        s
    }
}

/// A probability (0 to 1) as a whole percentage: "73%".
pub fn probability(p: f64) -> String {
    format!("{:.0}%", p * 100.0)
}

/// A count rounded to a whole number ("1235"), without units.
pub fn whole(v: f64) -> String {
    format!("{v:.0}")
}

#[cfg(test)]
mod tests {
    use super::*;

    use Lang::{En, Zh};

    #[test]
    fn axis_labels_use_each_languages_units_from_their_thresholds() {
        // Chinese: 万 from 10 000, 亿 from 100 000 000, one decimal.
        assert_eq!(axis(9_999.0, false, Zh), "9999");
        assert_eq!(axis(10_000.0, false, Zh), "1.0万");
        assert_eq!(axis(212_000.0, false, Zh), "21.2万");
        assert_eq!(axis(8.7e9, false, Zh), "87.0亿");
        // English: k from 1 000, M from 10⁶, bn from 10⁹.
        assert_eq!(axis(999.0, false, En), "999");
        assert_eq!(axis(1_000.0, false, En), "1.0k");
        assert_eq!(axis(212_000.0, false, En), "212.0k");
        assert_eq!(axis(8.7e9, false, En), "8.7bn");
        assert_eq!(axis(-3.4e8, false, En), "-340.0M");
        // Small numbers: whole from 10, two decimals below, zero plain.
        assert_eq!(axis(120.0, false, Zh), "120");
        assert_eq!(axis(10.0, false, En), "10");
        assert_eq!(axis(0.45, false, Zh), "0.45");
        assert_eq!(axis(0.0, false, En), "0");
        // Shares: whole percentages, either language.
        assert_eq!(axis(0.455, true, Zh), "46%");
        assert_eq!(axis(0.3, true, En), "30%");
    }

    #[test]
    fn table_values_keep_four_digit_counts_whole() {
        assert_eq!(value(99_999.0, false, Zh), "99999");
        assert_eq!(value(99_999.0, false, En), "99999");
        assert_eq!(value(100_000.0, false, Zh), "10.0万");
        assert_eq!(value(100_000.0, false, En), "100k");
        assert_eq!(value(212_345.0, false, En), "212k");
        assert_eq!(value(2_500_000.0, false, En), "2.50M");
        assert_eq!(value(1.5e8, false, Zh), "1.50亿");
        assert_eq!(value(1.5e8, false, En), "150.00M");
        assert_eq!(value(2.25e9, false, En), "2.25bn");
        assert_eq!(value(-3.0e8, false, Zh), "-3.00亿");
    }

    #[test]
    fn table_values_below_the_units_show_what_matters() {
        assert_eq!(value(1234.5, false, Zh), "1234");
        assert_eq!(value(42.0, false, En), "42");
        assert_eq!(value(42.25, false, En), "42.25");
        assert_eq!(value(0.4567, false, Zh), "0.457");
        assert_eq!(value(-0.5, false, Zh), "-0.500");
        assert_eq!(value(0.456, true, Zh), "45.6%");
        assert_eq!(value(1.0, true, En), "100.0%");
        assert_eq!(value(f64::NAN, false, Zh), "—");
        assert_eq!(value(f64::INFINITY, true, En), "—");
    }

    #[test]
    fn money_names_its_currency_in_each_language() {
        assert_eq!(money(8.7e8, Zh), "8.70亿元");
        assert_eq!(money(250_000.0, Zh), "25.0万元");
        assert_eq!(money(250_000.0, En), "250k yuan");
        assert_eq!(money(f64::NAN, Zh), "—");
    }

    #[test]
    fn plain_settings_drop_trailing_zeros() {
        assert_eq!(plain(0.15), "0.15");
        assert_eq!(plain(1200.0), "1200");
        assert_eq!(plain(1.0 / 3.0), "0.3333");
        assert_eq!(plain(2.5), "2.5");
        assert_eq!(plain(-0.02), "-0.02");
    }

    #[test]
    fn stepped_settings_keep_the_steps_decimals() {
        assert_eq!(stepped(0.123, 0.01), "0.12");
        assert_eq!(stepped(0.1, 0.01), "0.1");
        assert_eq!(stepped(0.126, 0.05), "0.13");
        // 0.1 × 100 from a share shown in percent: 10, not 10.000000000000002.
        assert_eq!(stepped(0.1 * 100.0, 0.5), "10");
        assert_eq!(stepped(1234.6, 1.0), "1235");
        assert_eq!(stepped(1200.0, 50.0), "1200");
        assert_eq!(stepped(3.0, 0.5), "3");
    }

    #[test]
    fn probabilities_and_counts_are_whole() {
        assert_eq!(probability(0.734), "73%");
        assert_eq!(probability(1.0), "100%");
        assert_eq!(probability(0.0), "0%");
        assert_eq!(whole(1234.5), "1234");
        assert_eq!(whole(1235.5), "1236");
        assert_eq!(whole(45.3), "45");
    }
}
