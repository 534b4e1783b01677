//! Parameters as data, OpenFisca-style: every value names its source, and
//! values that change over time are given by effective year.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

fn is_false(b: &bool) -> bool {
    !*b
}

/// A value with its source: a seed file and article (e.g.
/// `000_9ddd49f59424de77.txt 附件2`), a public standard (e.g. `教督〔2017〕6号`),
/// or, when `assumption` is set, the reasoning behind an estimate.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Sourced<T> {
    /// The value, in the unit named by the field that holds it.
    pub value: T,
    /// The seed file and article or the standard it comes from; for an
    /// assumption, the reasoning behind the estimate.
    pub source: String,
    /// The source in English, shown in the English interface; without it the
    /// interface shows `source` (or a known default's English, see
    /// [`known_source_en`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source_en: Option<String>,
    /// True for estimates and modelling assumptions, which the UI labels as such.
    #[serde(default, skip_serializing_if = "is_false")]
    pub assumption: bool,
}

impl<T> Sourced<T> {
    /// A value read from a document; `source` names the seed file and article
    /// or the standard.
    pub fn cited(value: T, source: &str) -> Self {
        Sourced { value, source: source.to_owned(), source_en: None, assumption: false }
    }

    /// An estimate or modelling assumption; `why` gives the reasoning, and the
    /// value is flagged so the UI labels it as such.
    pub fn assumed(value: T, why: &str) -> Self {
        Sourced { value, source: why.to_owned(), source_en: None, assumption: true }
    }

    /// The source in English: the file's `source_en`, else the English of
    /// a default the program writes itself ([`known_source_en`]); `None`
    /// when there is neither (a user's file without English).
    pub fn english_source(&self) -> Option<&str> {
        self.source_en.as_deref().or_else(|| known_source_en(&self.source))
    }
}

/// The English of the sources the program itself writes for values a
/// scenario file may leave out (the national standards' defaults and the
/// defaults of optional fields), so the English interface shows no Chinese
/// citation for them. Keyed by the exact Chinese text; a test checks every
/// default has its entry.
pub fn known_source_en(zh: &str) -> Option<&'static str> {
    KNOWN_SOURCES.iter().find(|(k, _)| *k == zh).map(|(_, en)| *en)
}

const KNOWN_SOURCES: &[(&str, &str)] = &[
    ("教督〔2017〕6号 附件 资源配置指标", "MoE assessment measures (Jiaodu [2017] No. 6), annex: resource indicators"),
    (
        "教督〔2017〕6号 (secondary sources; STANDARDS.md status S)",
        "MoE assessment measures (Jiaodu [2017] No. 6) (secondary sources; STANDARDS.md status S)",
    ),
    ("教督〔2017〕6号 第七条", "MoE assessment measures (Jiaodu [2017] No. 6), article 7"),
    (
        "教督〔2017〕6号, the 85% clause (secondary sources; STANDARDS.md status S)",
        "MoE assessment measures (Jiaodu [2017] No. 6), the 85% clause (secondary sources; STANDARDS.md status S)",
    ),
    (
        "教督〔2017〕6号 政府保障程度 (STANDARDS.md status S)",
        "MoE assessment measures (Jiaodu [2017] No. 6), government support (STANDARDS.md status S)",
    ),
    ("002_50a5a1e38847ebfa.txt §四(七) 班级学生数不超过45人", "002_50a5a1e38847ebfa.txt §4(7): at most 45 pupils a class"),
    ("002_50a5a1e38847ebfa.txt §四(七) 初中班级学生数不超过50人", "002_50a5a1e38847ebfa.txt §4(7): at most 50 pupils a junior class"),
    (
        "002_50a5a1e38847ebfa.txt §四(二)5 小学每年生均不低于23500元",
        "002_50a5a1e38847ebfa.txt §4(2)5: at least 23,500 yuan per primary pupil a year",
    ),
    (
        "002_50a5a1e38847ebfa.txt §四(二)5 初中每年生均不低于29000元",
        "002_50a5a1e38847ebfa.txt §4(2)5: at least 29,000 yuan per junior pupil a year",
    ),
    ("002_50a5a1e38847ebfa.txt §四(七) 规模不超过2000人", "002_50a5a1e38847ebfa.txt §4(7): at most 2,000 pupils a school"),
    ("002_50a5a1e38847ebfa.txt §四(七) 一贯制学校不超过2500人", "002_50a5a1e38847ebfa.txt §4(7): at most 2,500 pupils a nine-year school"),
    (
        "002_50a5a1e38847ebfa.txt §四(二)4 每所小学至少有1名高级职务教师",
        "002_50a5a1e38847ebfa.txt §4(2)4: at least one senior-title teacher in every primary school",
    ),
    (
        "002_50a5a1e38847ebfa.txt §四(二)4 每所初中至少有5%的高级职务教师",
        "002_50a5a1e38847ebfa.txt §4(2)4: at least 5% senior-title teachers in every junior school",
    ),
    (
        "000_9ddd49f59424de77.txt §二(二) 原则上2-3年内需申报完成1项 (the later end; default for files without it)",
        "000_9ddd49f59424de77.txt §2(2): in principle one project applied for and completed within 2–3 years (the later end; default for files without it)",
    ),
    (
        "估计: 公用经费约占生均经费的四分之一 (estimate; no Shanghai split found)",
        "Estimate: running costs about a quarter of per-pupil funding (no Shanghai split found)",
    ),
];

/// How a brief citation names an estimate.
pub const ESTIMATE: &str = "估计";

/// [`ESTIMATE`] in English.
pub const ESTIMATE_EN: &str = "Estimate";

/// The citation part of a source text: the seed file and article or the
/// standard it names, without the explanation after it. Estimates share one
/// citation, whatever reasoning produced them, so a one-page list can group
/// values by what they rest on.
pub fn citation(source: &str, assumption: bool) -> String {
    brief_citation(source, assumption, &CITATION_ZH)
}

/// [`citation`] of an English source text, in English.
pub fn citation_en(source: &str, assumption: bool) -> String {
    brief_citation(source, assumption, &CITATION_EN)
}

/// The words of a brief citation in one language.
struct CitationWords {
    unsourced: &'static str,
    estimate: &'static str,
    /// After a cited document whose figure is an estimate.
    estimated: &'static str,
    /// How a source text that is an estimate begins.
    estimate_marks: &'static [&'static str],
}

const CITATION_ZH: CitationWords =
    CitationWords { unsourced: "未注明来源", estimate: ESTIMATE, estimated: "（估计）", estimate_marks: &[ESTIMATE, "E:", "E："] };
const CITATION_EN: CitationWords = CitationWords {
    unsourced: "No source given",
    estimate: ESTIMATE_EN,
    estimated: " (estimate)",
    estimate_marks: &[ESTIMATE_EN, ESTIMATE, "E:", "E："],
};

fn brief_citation(source: &str, assumption: bool, words: &CitationWords) -> String {
    let text = source.trim();
    if text.is_empty() {
        return words.unsourced.to_owned();
    }
    if words.estimate_marks.iter().any(|p| text.starts_with(p)) {
        return words.estimate.to_owned();
    }
    let cut = [": ", "：", " (", "（", "; ", "；"]
        .iter()
        .filter_map(|p| text.find(p))
        .min()
        .unwrap_or(text.len());
    let cite = text[..cut].trim();
    if assumption {
        format!("{cite}{}", words.estimated)
    } else {
        cite.to_owned()
    }
}

/// Values by effective year. A year without its own entry takes the value of
/// the latest earlier entry; years before the first entry take the first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Yearly {
    /// Year (as written in TOML, a string key such as `"2024"`) → value.
    pub values: BTreeMap<String, f64>,
    /// The seed file and article or the standard the values come from, or the
    /// reasoning behind them when `assumption` is set.
    pub source: String,
    /// The source in English, for the English interface (optional).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source_en: Option<String>,
    /// True for estimates and projections, which the UI labels as such.
    #[serde(default, skip_serializing_if = "is_false")]
    pub assumption: bool,
}

impl Yearly {
    /// Values from `(year, value)` pairs with their source; `assumption` flags
    /// estimates and projections.
    pub fn new(values: &[(i32, f64)], source: &str, assumption: bool) -> Self {
        Yearly {
            values: values.iter().map(|(y, v)| (y.to_string(), *v)).collect(),
            source: source.to_owned(),
            source_en: None,
            assumption,
        }
    }

    /// The source in English: the file's `source_en`, else the English of
    /// a default the program writes itself ([`known_source_en`]); `None`
    /// when there is neither (a user's file without English).
    pub fn english_source(&self) -> Option<&str> {
        self.source_en.as_deref().or_else(|| known_source_en(&self.source))
    }

    /// The entries as `(year, value)`, in year order, skipping keys that are not
    /// years (validation reports those).
    pub fn entries(&self) -> Vec<(i32, f64)> {
        let mut v: Vec<(i32, f64)> =
            self.values.iter().filter_map(|(k, v)| k.trim().parse::<i32>().ok().map(|y| (y, *v))).collect();
        // By year, stably: an insertion sort of a few dozen rows (std's sort
        // would add its own copy of sorting code to the page's module, and
        // `crate::sort` is on this module's floor).
        for i in 1..v.len() {
            let mut j = i;
            while j > 0 && v[j - 1].0 > v[j].0 {
                v.swap(j - 1, j);
                j -= 1;
            }
        }
        v
    }

    /// The value in effect in `year`, or `None` when there are no entries.
    pub fn at(&self, year: i32) -> Option<f64> {
        let entries = self.entries();
        entries.iter().rev().find(|(y, _)| *y <= year).or(entries.first()).map(|e| e.1)
    }

    /// The value in `year`, linear between the nearest given years and flat
    /// beyond the first and last. Used for series such as births, where a
    /// missing year lies between two published ones.
    pub fn interpolated(&self, year: i32) -> Option<f64> {
        let entries = self.entries();
        let after = entries.iter().position(|(y, _)| *y >= year);
        match after {
            None => entries.last().map(|e| e.1),
            Some(0) => entries.first().map(|e| e.1),
            Some(k) => {
                let (y0, v0) = entries[k - 1];
                let (y1, v1) = entries[k];
                Some(v0 + (v1 - v0) * f64::from(year - y0) / f64::from(y1 - y0))
            }
        }
    }

    /// The value given for exactly `year`, if any.
    pub fn exactly(&self, year: i32) -> Option<f64> {
        self.entries().into_iter().find(|(y, _)| *y == year).map(|e| e.1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yearly_values_hold_until_the_next_entry() {
        let y = Yearly::new(&[(2024, 80.0), (2026, 120.0)], "t", false);
        assert_eq!(y.at(2023), Some(80.0));
        assert_eq!(y.at(2024), Some(80.0));
        assert_eq!(y.at(2025), Some(80.0));
        assert_eq!(y.at(2030), Some(120.0));
        assert_eq!(y.exactly(2025), None);
        assert_eq!(y.interpolated(2025), Some(100.0));
        assert_eq!(y.interpolated(2020), Some(80.0));
        assert_eq!(y.interpolated(2031), Some(120.0));
    }
}

#[cfg(test)]
mod citation_tests {
    use super::citation;

    #[test]
    fn citations_keep_the_reference_and_drop_the_explanation() {
        assert_eq!(
            citation("000_9ddd49f59424de77.txt §一(二)、附件2", false),
            "000_9ddd49f59424de77.txt §一(二)、附件2"
        );
        assert_eq!(
            citation("教督〔2017〕6号 政府保障程度: 交流轮岗不低于符合条件教师的10% (STANDARDS.md status S)", false),
            "教督〔2017〕6号 政府保障程度"
        );
        assert_eq!(
            citation(
                "STANDARDS.md Staffing: 奉贤区2021年小学生师比 13.7 (E)",
                true
            ),
            "STANDARDS.md Staffing（估计）"
        );
        assert_eq!(citation("估计: 校舍建安单价 (estimate)", true), "估计");
        assert_eq!(citation("E: about 10 schools per 学区/集团", true), "估计");
        assert_eq!(citation("  ", false), "未注明来源");
    }
}
