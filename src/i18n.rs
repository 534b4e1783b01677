//! The two languages of the interface and of every message: Chinese first
//! (zh-CN, the default), English on request.

use serde::{Deserialize, Serialize};

/// An interface language, written in lowercase (`"zh"`, `"en"`) when serialised.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    /// Simplified Chinese (zh-CN), the default.
    #[default]
    Zh,
    /// English.
    En,
}

impl Lang {
    /// The text for this language.
    pub fn pick<T>(self, zh: T, en: T) -> T {
        match self {
            Lang::Zh => zh,
            Lang::En => en,
        }
    }

    /// The BCP 47 tag, for `<html lang>`.
    pub fn tag(self) -> &'static str {
        self.pick("zh-CN", "en")
    }
}

/// Whether `c` is a Han character (CJK unified ideographs and their
/// extension A, compatibility ideographs): what the English interface must
/// not show outside proper names.
pub fn is_han(c: char) -> bool {
    matches!(c, '\u{3400}'..='\u{4dbf}' | '\u{4e00}'..='\u{9fff}' | '\u{f900}'..='\u{faff}')
}

