//! Every file the CLI reads has a size limit, and a workbook is checked while
//! it inflates (issue 18, item 1): a roster path of `/dev/zero`, a file past
//! the limit and a few-hundred-KB workbook that inflates to 70 MB are each
//! refused with a message naming the file and the limit, within a stated
//! amount of memory.

use std::path::Path;

use crate::support::{repo_path, scratch, stderr, youjun};

const PUDONG: &str = "scenarios/pudong-2024.toml";

/// The Pudong scenario with its synthetic roster replaced by `csv = "<path>"`.
fn scenario_with_roster(dir: &Path, path: &str) -> String {
    let toml = std::fs::read_to_string(repo_path(PUDONG)).unwrap();
    let start = toml.find("[roster.synthetic]").unwrap();
    let end = toml.find("\n[enrollment]").unwrap();
    let text = format!("{}[roster]\ncsv = \"{path}\"\n{}", &toml[..start], &toml[end..]);
    let file = dir.join("scenario.toml");
    std::fs::write(&file, text).unwrap();
    file.to_string_lossy().into_owned()
}

/// Runs `youjun args` under `/usr/bin/time`, returning its output and its
/// peak resident memory in KB (None where the tool is missing).
fn youjun_measured(args: &[&str]) -> (std::process::Output, Option<u64>) {
    let time = Path::new("/usr/bin/time");
    if !time.exists() {
        return (youjun(args), None);
    }
    let o = std::process::Command::new(time)
        .args(["-f", "max-rss-kb=%M", env!("CARGO_BIN_EXE_youjun")])
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap();
    let err = stderr(&o);
    let kb = err.lines().find_map(|l| l.strip_prefix("max-rss-kb=")).and_then(|v| v.trim().parse().ok());
    (o, kb)
}

/// At most this much memory (KB) for a refused file: the file itself up to
/// its 64 MiB limit, plus the program (the debug build is some 10 MB).
const BOUND_KB: u64 = 100 * 1024;

#[test]
fn a_roster_path_of_dev_zero_is_refused_at_the_limit() {
    let dir = scratch("bounded-dev-zero");
    let scenario = scenario_with_roster(&dir, "/dev/zero");
    let (o, kb) = youjun_measured(&["run", &scenario, "--runs", "0", "--lang", "en"]);
    assert!(!o.status.success());
    let err = stderr(&o);
    assert!(err.contains("/dev/zero: cannot read the roster: the file is larger than the limit of 64 MB and was not read"), "{err}");
    if let Some(kb) = kb {
        assert!(kb < BOUND_KB, "{kb} KB");
    }
    // In both languages without --lang.
    let err = stderr(&youjun(&["check", &scenario]));
    assert!(err.contains("64 MB 的上限") && err.contains("limit of 64 MB"), "{err}");
}

#[test]
fn files_past_the_limit_are_refused_without_reading_them() {
    let dir = scratch("bounded-large");
    // Sparse: 65 MB on paper, nothing on disk.
    let big = dir.join("big.csv");
    std::fs::File::create(&big).unwrap().set_len(65 << 20).unwrap();
    let big = big.to_string_lossy().into_owned();
    let scenario = scenario_with_roster(&dir, &big);
    let err = stderr(&youjun(&["run", &scenario, "--lang", "en"]));
    assert!(err.contains(&format!("{big}: cannot read the roster: the file is larger than the limit of 64 MB")), "{err}");
    let err = stderr(&youjun(&["balance", &big, "--lang", "en"]));
    assert!(err.contains(&format!("{big}: cannot read: the file is larger than the limit of 64 MB")), "{err}");
    let err = stderr(&youjun(&["run", "/dev/zero", "--lang", "en"]));
    assert!(err.contains("/dev/zero: cannot read the scenario file: the file is larger than the limit of 16 MB"), "{err}");
}

#[test]
fn a_workbook_bomb_is_refused_while_inflating_within_the_bound() {
    let dir = scratch("bounded-bomb");
    let bomb = dir.join("bomb.xlsx");
    // Honest headers (refused on the declared size) and a header that
    // declares 10 bytes (refused while inflating, at 64 MB).
    for declared in [None, Some(10)] {
        std::fs::write(&bomb, workbook_bomb(70 << 20, declared)).unwrap();
        let size = std::fs::metadata(&bomb).unwrap().len();
        assert!(size < 600 << 10, "{size} bytes");
        let (o, kb) = youjun_measured(&["balance", bomb.to_str().unwrap(), "--lang", "en"]);
        assert!(!o.status.success());
        let err = stderr(&o);
        assert!(
            err.contains("bomb.xlsx") && err.contains("its part \"xl/worksheets/sheet1.xml\" inflates to more than the limit of 64 MB"),
            "{declared:?}: {err}"
        );
        if let Some(kb) = kb {
            assert!(kb < BOUND_KB, "{declared:?}: {kb} KB");
        }
    }
}

/// A valid workbook whose one sheet holds one text cell of `n` letters A,
/// deflated by hand (fixed Huffman codes: one literal, then matches of 258
/// bytes at distance 1, 13 bits each), so that a few hundred KB inflate to
/// `n` bytes. The headers tell the truth unless `declared` says otherwise.
fn workbook_bomb(n: usize, declared: Option<u32>) -> Vec<u8> {
    let head = br#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>"#;
    let tail = b"</t></is></c></row></sheetData></worksheet>";
    let mut bits = Bits::default();
    bits.put(1, 1); // last block
    bits.put(1, 2); // fixed Huffman codes
    let literal = |bits: &mut Bits, b: u8| match b {
        0..=143 => bits.code(0x30 + u32::from(b), 8),
        _ => bits.code(0x190 + u32::from(b) - 144, 9),
    };
    head.iter().for_each(|b| literal(&mut bits, *b));
    literal(&mut bits, b'A');
    let matches = (n - 1) / 258;
    for _ in 0..matches {
        bits.code(0xC5, 8); // length 258 (symbol 285)
        bits.code(0, 5); // distance 1
    }
    for _ in 0..(n - 1 - matches * 258) {
        literal(&mut bits, b'A');
    }
    tail.iter().for_each(|b| literal(&mut bits, *b));
    bits.code(0, 7); // end of block
    let deflated = bits.finish();
    let mut crc = Crc::default();
    crc.add(head);
    for _ in 0..n {
        crc.add(b"A");
    }
    crc.add(tail);
    let sheet = Entry { name: "xl/worksheets/sheet1.xml", method: 8, crc: crc.value(), size: declared.unwrap_or((head.len() + n + tail.len()) as u32), data: deflated };

    let stored = |name: &'static str, text: &str| {
        let mut crc = Crc::default();
        crc.add(text.as_bytes());
        Entry { name, method: 0, crc: crc.value(), size: text.len() as u32, data: text.as_bytes().to_vec() }
    };
    let entries = vec![
        stored("[Content_Types].xml", r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>"#),
        stored("_rels/.rels", r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#),
        stored("xl/workbook.xml", r#"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>"#),
        stored("xl/_rels/workbook.xml.rels", r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#),
        sheet,
    ];
    zip(&entries)
}

/// Bits, least significant first, as deflate packs them.
#[derive(Default)]
struct Bits {
    out: Vec<u8>,
    acc: u64,
    n: u32,
}

impl Bits {
    fn put(&mut self, value: u32, count: u32) {
        self.acc |= u64::from(value) << self.n;
        self.n += count;
        while self.n >= 8 {
            self.out.push(self.acc as u8);
            self.acc >>= 8;
            self.n -= 8;
        }
    }

    /// A Huffman code, which deflate stores most significant bit first.
    fn code(&mut self, code: u32, len: u32) {
        self.put(code.reverse_bits() >> (32 - len), len);
    }

    fn finish(mut self) -> Vec<u8> {
        if self.n > 0 {
            self.out.push(self.acc as u8);
        }
        self.out
    }
}

/// CRC-32 (IEEE), bit by bit, with the 256 steps of one byte tabled.
struct Crc {
    table: [u32; 256],
    value: u32,
}

impl Default for Crc {
    fn default() -> Crc {
        let mut table = [0u32; 256];
        for (i, t) in table.iter_mut().enumerate() {
            let mut c = i as u32;
            for _ in 0..8 {
                c = if c & 1 == 1 { 0xEDB8_8320 ^ (c >> 1) } else { c >> 1 };
            }
            *t = c;
        }
        Crc { table, value: 0xFFFF_FFFF }
    }
}

impl Crc {
    fn add(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.value = self.table[((self.value ^ u32::from(*b)) & 0xFF) as usize] ^ (self.value >> 8);
        }
    }

    fn value(&self) -> u32 {
        !self.value
    }
}

struct Entry {
    name: &'static str,
    method: u16,
    crc: u32,
    size: u32,
    data: Vec<u8>,
}

/// A zip file of `entries` (local headers, data, central directory).
fn zip(entries: &[Entry]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut central = Vec::new();
    for e in entries {
        let offset = out.len() as u32;
        let common = |v: &mut Vec<u8>| {
            v.extend(20u16.to_le_bytes()); // version needed
            v.extend(0u16.to_le_bytes()); // flags
            v.extend(e.method.to_le_bytes());
            v.extend(0u16.to_le_bytes()); // time
            v.extend(0x21u16.to_le_bytes()); // date: 1980-01-01
            v.extend(e.crc.to_le_bytes());
            v.extend((e.data.len() as u32).to_le_bytes());
            v.extend(e.size.to_le_bytes());
            v.extend((e.name.len() as u16).to_le_bytes());
            v.extend(0u16.to_le_bytes()); // extra field
        };
        out.extend(b"PK\x03\x04");
        common(&mut out);
        out.extend(e.name.as_bytes());
        out.extend(&e.data);
        central.extend(b"PK\x01\x02");
        central.extend(20u16.to_le_bytes()); // version made by
        common(&mut central);
        central.extend([0u8; 6]); // comment length, disk, internal attributes
        central.extend(0u32.to_le_bytes()); // external attributes
        central.extend(offset.to_le_bytes());
        central.extend(e.name.as_bytes());
    }
    let at = out.len() as u32;
    out.extend(&central);
    out.extend(b"PK\x05\x06");
    out.extend([0u8; 4]);
    out.extend((entries.len() as u16).to_le_bytes());
    out.extend((entries.len() as u16).to_le_bytes());
    out.extend((central.len() as u32).to_le_bytes());
    out.extend(at.to_le_bytes());
    out.extend(0u16.to_le_bytes());
    out
}

#[test]
fn the_hand_made_bomb_is_a_real_workbook() {
    // Small enough to read: calamine reads the one cell back.
    use calamine::Reader;
    let bytes = workbook_bomb(1000, None);
    let mut book: calamine::Xlsx<_> = calamine::Xlsx::new(std::io::Cursor::new(bytes)).unwrap();
    let range = book.worksheet_range("Sheet1").unwrap();
    assert_eq!(range.get_value((0, 0)).map(|v| v.to_string()), Some("A".repeat(1000)));
}
