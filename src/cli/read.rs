//! Every file the CLI reads goes through [`read_limited`]: it stops at a
//! stated size, so a scenario whose roster path is `/dev/zero`, a FIFO or a
//! multi-gigabyte file costs at most that size in memory. The size the
//! system reports is not trusted (`/dev/zero` and FIFOs report 0): the
//! reader takes at most one byte more than the limit and refuses the file
//! when it got it.

use std::io::Read;

use youjun::i18n::Lang;
use youjun::message::{Error, ErrorKind, Place, Problem, Text};
use youjun::roster::{roster_error, ParseMode, Roster, RosterFile};

use super::file_error;

/// The largest scenario file (TOML or JSON) read: 16 MiB. Scenarios with
/// inline rosters of a few thousand schools are some hundreds of KB.
pub const SCENARIO_LIMIT: u64 = 16 << 20;
/// The largest roster file (CSV or XLSX) read: 64 MiB. A 50,000-row CSV
/// roster is about 10 MB. (A workbook's inflated parts have limits of their
/// own, in `youjun::roster::xlsx`.)
pub const ROSTER_LIMIT: u64 = 64 << 20;

/// The bytes of the file at `path`, at most `limit` of them.
///
/// # Errors
///
/// [`ErrorKind::File`] naming `path`: not found, unreadable (`what` and the
/// system's reason), or larger than `limit` (naming the limit).
pub fn read_limited(path: &str, limit: u64, what: &Text) -> Result<Vec<u8>, Error> {
    let file = std::fs::File::open(path).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => {
            Error::new(ErrorKind::File, Problem::new(Place::File(path.to_owned()), Text::new("找不到文件", "file not found")))
        }
        _ => file_error(path, what.clone(), e),
    })?;
    // Reserved, not touched: the pages the file does not fill cost nothing,
    // and the buffer never grows (no copy at twice the size).
    let mut bytes = Vec::with_capacity(limit as usize + 1);
    file.take(limit + 1).read_to_end(&mut bytes).map_err(|e| file_error(path, what.clone(), e))?;
    if bytes.len() as u64 > limit {
        let mib = limit >> 20;
        return Err(Error::new(
            ErrorKind::File,
            Problem::new(
                Place::File(path.to_owned()),
                what.map(|lang, what| match lang {
                    youjun::i18n::Lang::Zh => format!("{what}：文件超过 {mib} MB 的上限，未读取"),
                    youjun::i18n::Lang::En => format!("{what}: the file is larger than the limit of {mib} MB and was not read"),
                }),
            ),
        ));
    }
    bytes.shrink_to_fit();
    Ok(bytes)
}

/// The text of the file at `path`, at most `limit` bytes of UTF-8.
///
/// # Errors
///
/// As [`read_limited`], and [`ErrorKind::File`] when the text is not UTF-8.
pub fn read_text_limited(path: &str, limit: u64, what: &Text) -> Result<String, Error> {
    let bytes = read_limited(path, limit, what)?;
    String::from_utf8(bytes).map_err(|e| file_error(path, what.clone(), format!("not UTF-8 text: {}", e.utf8_error())))
}

/// The roster at `path`: a workbook (by name or content; the sheet named
/// `sheet`, else the only one holding a roster) or CSV in any encoding the
/// reader detects. What the reader decided that a plain UTF-8 file with its
/// header in row 1 would not get (the encoding, the sheet chosen among
/// several, a header below a title, totals rows left aside, …) is said on
/// stderr, one line each, in `lang` or in both languages; `context` names
/// the roster in an error (the path, or the scenario's `roster.csv`);
/// `what` is the error's words when the file cannot be read.
///
/// # Errors
///
/// As [`read_limited`]; [`ErrorKind::RosterRows`] with every problem of the
/// file (several sheets holding a roster and no `sheet` is one, listing them).
pub fn read_roster(path: &str, sheet: Option<&str>, lang: Option<Lang>, what: &Text, context: &str) -> Result<Roster, Error> {
    let bytes = read_limited(path, ROSTER_LIMIT, what)?;
    let read = RosterFile::from_upload(path, bytes).parse_sheet(sheet, ParseMode::Strict);
    let said: Vec<String> = read
        .mapping
        .unusual()
        .map(|n| match lang {
            Some(lang) => format!("{}{path}{}{}", lang.pick("注：", "note: "), lang.pick("：", ": "), n.get(lang)),
            None => format!("注 (note): {path}: {} ({})", n.zh, n.en),
        })
        .collect();
    if !said.is_empty() {
        eprintln!("{}", said.join("\n"));
    }
    read.into_result().map_err(|problems| roster_error(problems).context(context))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stops_at_the_limit_on_dev_zero_and_names_it() {
        let what = Text::new("无法读取", "cannot read");
        let e = read_limited("/dev/zero", 1 << 20, &what).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::File);
        assert_eq!(e.message(youjun::i18n::Lang::En), "/dev/zero: cannot read: the file is larger than the limit of 1 MB and was not read");
        assert!(e.message(youjun::i18n::Lang::Zh).contains("1 MB 的上限"));
        assert_eq!(read_limited("/dev/null", 1 << 20, &what).unwrap(), Vec::<u8>::new());
        let e = read_text_limited("/no/such/file", 10, &what).unwrap_err();
        assert!(e.message(youjun::i18n::Lang::En).contains("file not found"));
    }
}
