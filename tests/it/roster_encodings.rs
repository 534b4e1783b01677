//! Issue 17: the roster template saved in the encodings bureaus use reads
//! to the same roster without the planner doing anything, and the reader
//! says which encoding it used. The non-UTF-8 files were written by
//! LibreOffice and iconv (`tests/data/real-files/README.md` has the exact
//! commands); UTF-16 BE is made here, as no program at hand writes it.

use youjun::roster::csv_io::{template_csv, Lang};
use youjun::roster::{Encoding, ParseMode, Roster, RosterFile, RosterImport};

use crate::support::{repo_path, scratch, stderr, stdout, test_data, youjun};

fn template() -> Roster {
    let r = RosterFile::Csv(template_csv()).parse(Lang::Zh, ParseMode::Strict);
    assert!(r.problems.is_empty(), "{:?}", r.problems);
    r.roster
}

fn read(name: &str) -> RosterImport {
    let bytes = std::fs::read(test_data(&format!("real-files/{name}"))).unwrap();
    RosterFile::from_upload(name, bytes).parse(Lang::Zh, ParseMode::Strict)
}

#[test]
fn the_template_in_every_encoding_reads_to_the_same_roster() {
    let template = template();
    // The template as the import dialog offers it (UTF-8 with a BOM) is the golden file.
    let golden = std::fs::read(repo_path("tests/golden/roster-template.csv")).unwrap();
    assert_eq!(golden, template_csv().as_bytes());
    let from_golden = RosterFile::CsvBytes(golden).parse(Lang::Zh, ParseMode::Strict);
    assert_eq!((from_golden.roster, from_golden.mapping.encoding), (template.clone(), Some(Encoding::Utf8Bom)));
    for (file, encoding, tabs) in [
        ("template-utf8.csv", Encoding::Utf8, false),
        ("template-utf16le.txt", Encoding::Utf16Le, true),
        ("template-gb18030.csv", Encoding::Gb18030, false),
        ("template-gbk-iconv.csv", Encoding::Gb18030, false),
    ] {
        let r = read(file);
        assert!(r.problems.is_empty(), "{file}: {:?}", r.problems);
        assert_eq!(r.roster, template, "{file}");
        assert_eq!((r.mapping.encoding, r.mapping.tab_separated), (Some(encoding), tabs), "{file}");
    }
    // The files really are in those encodings, not UTF-8 in disguise.
    let bytes = |f: &str| std::fs::read(test_data(&format!("real-files/{f}"))).unwrap();
    assert!(std::str::from_utf8(&bytes("template-gb18030.csv")).is_err());
    assert!(bytes("template-utf16le.txt").starts_with(&[0xFF, 0xFE]));
    // UTF-16 BE with a BOM, made here.
    let text = template_csv();
    let be: Vec<u8> = [0xFE, 0xFF].into_iter().chain(text.trim_start_matches('\u{feff}').encode_utf16().flat_map(u16::to_be_bytes)).collect();
    let r = RosterFile::CsvBytes(be).parse(Lang::Zh, ParseMode::Strict);
    assert_eq!((r.roster, r.mapping.encoding), (template, Some(Encoding::Utf16Be)));
}

#[test]
fn only_a_file_not_in_plain_utf8_gets_its_encoding_said() {
    for (file, said) in [("template-gb18030.csv", Some("GB18030/GBK")), ("template-utf16le.txt", Some("UTF-16 LE")), ("template-utf8.csv", None)] {
        let r = read(file);
        let unusual: Vec<&str> = r.mapping.unusual().map(|n| n.en.as_str()).collect();
        match said {
            Some(name) => assert_eq!(unusual[0], format!("Encoding: {name} (detected; not UTF-8)"), "{file}"),
            None => assert!(unusual.is_empty(), "{file}: {unusual:?}"),
        }
        // Every file's mapping names its encoding (the import dialog shows it).
        assert!(r.mapping.decisions[0].note.zh.starts_with("文件编码："), "{file}");
    }
}

#[test]
fn the_cli_reads_every_encoding_and_says_which_it_used() {
    let plain = youjun(&["balance", "tests/data/real-files/template-utf8.csv", "--json"]);
    assert!(plain.status.success(), "{}", stderr(&plain));
    assert_eq!(stderr(&plain), "", "a plain UTF-8 file needs no note");
    for file in ["template-gb18030.csv", "template-utf16le.txt", "template-gbk-iconv.csv"] {
        let path = format!("tests/data/real-files/{file}");
        let o = youjun(&["balance", &path, "--json"]);
        assert!(o.status.success(), "{file}: {}", stderr(&o));
        assert_eq!(stdout(&o), stdout(&plain), "{file}");
        assert!(stderr(&o).contains("注 (note):") && stderr(&o).contains("(detected; not UTF-8)"), "{file}: {}", stderr(&o));
        let o = youjun(&["balance", &path, "--lang", "zh"]);
        assert!(stderr(&o).contains("（自动识别，不是 UTF-8）"), "{file}: {}", stderr(&o));
    }
}

#[test]
fn a_scenario_whose_roster_is_gb18030_checks_and_runs() {
    let text = std::fs::read_to_string(repo_path("scenarios/pudong-2024.toml")).unwrap();
    let start = text.find("[roster.synthetic]").expect("a synthetic roster");
    let end = start + 1 + text[start + 1..].find("\n[").expect("a section after the roster");
    let dir = scratch("encodings-scenario");
    std::fs::copy(test_data("real-files/template-gb18030.csv"), dir.join("roster.csv")).unwrap();
    let path = dir.join("scenario.toml");
    std::fs::write(&path, format!("{}[roster]\ncsv = \"roster.csv\"\n{}", &text[..start], &text[end..])).unwrap();
    let path = path.to_str().unwrap();
    let o = youjun(&["check", path]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("3 所学校 4 行"), "{}", stdout(&o));
    assert!(stderr(&o).contains("GB18030"), "{}", stderr(&o));
    let o = youjun(&["run", path, "--runs", "0", "--json", "--lang", "en"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stderr(&o).starts_with("note: ") && stderr(&o).contains("Encoding: GB18030/GBK"), "{}", stderr(&o));
}
