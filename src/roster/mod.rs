//! The district roster: one row per school and level, at the base year.
//!
//! A nine-year school (九年一贯制) appears as two rows sharing a `school_id`,
//! one `primary` (grades 1–5) and one `junior` (grades 6–9), because the
//! national assessment counts its parts with different levels (Shanghai's
//! 5+4 system).

pub mod csv_io;
pub use csv_io::{parse_roster_lenient, roster_error, Lang, ParseMode, RosterFile, RosterImport};
pub mod layout;
pub use layout::{Encoding, Mapping};
pub mod synthetic;
#[cfg(feature = "xlsx")]
pub mod xlsx;
#[cfg(feature = "xlsx")]
pub use xlsx::{parse_roster_xlsx, roster_to_xlsx, template_xlsx};

/// Stands in for [the workbook reader](xlsx) in a build without the `xlsx`
/// feature (the page's own wasm module, which leaves calamine,
/// rust_xlsxwriter and zip to the on-demand Excel module): a workbook is
/// still recognised, and refused with the reason instead of being read.
#[cfg(not(feature = "xlsx"))]
mod xlsx {
    use super::csv_io::Grid;
    use crate::message::{Problem, Text};

    /// Whether `bytes` start like a workbook: a zip (.xlsx) or an OLE
    /// compound file (.xls), the signatures the reader checks.
    pub(super) fn looks_like_workbook(bytes: &[u8]) -> bool {
        bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1])
    }

    /// One problem: this build has no workbook reader.
    pub(super) fn grid_from_xlsx(_bytes: &[u8], _sheet: Option<&str>) -> Grid {
        let why = Text::new(
            "此程序版本不含 Excel 读取组件，无法读取工作簿；请另存为 CSV UTF-8 后导入",
            "this build has no Excel reader and cannot read the workbook; save it as CSV UTF-8 and import that",
        );
        Grid { problems: vec![Problem::whole(why)], ..Grid::default() }
    }
}

use serde::{Deserialize, Serialize};

/// Number of grades in compulsory education.
pub const GRADES: usize = 9;

/// A school level under Shanghai's 5+4 system; the national assessment
/// counts each level separately. Written `primary` / `junior` in files.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    /// Primary school (小学), grades 1–5.
    Primary,
    /// Junior secondary school (初中), grades 6–9.
    Junior,
}

impl Level {
    /// Both levels, primary first.
    pub const ALL: [Level; 2] = [Level::Primary, Level::Junior];

    /// Grade indices (0-based: grade 1 is index 0) that belong to this level
    /// under Shanghai's 5+4 system.
    pub fn grades(self) -> std::ops::Range<usize> {
        match self {
            Level::Primary => 0..5,
            Level::Junior => 5..9,
        }
    }

    /// The key used in files and series names (`primary`, `junior`).
    pub fn key(self) -> &'static str {
        match self {
            Level::Primary => "primary",
            Level::Junior => "junior",
        }
    }

    /// The Chinese name (小学, 初中).
    pub fn zh(self) -> &'static str {
        match self {
            Level::Primary => "小学",
            Level::Junior => "初中",
        }
    }
}

/// Whether a school is urban or rural (城乡), for the urban–rural standards
/// of seed 002. Written `urban` / `rural` in files.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Area {
    /// In a city or town (城区/城镇); the default.
    #[default]
    Urban,
    /// In the countryside (农村/乡村).
    Rural,
}

/// New-quality status (新优质学校): none, the district list, or the municipal list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NewQuality {
    /// Not on a new-quality list; the default.
    #[default]
    None,
    /// On the district's list (区级新优质学校).
    District,
    /// On the municipal list (市级新优质学校).
    Municipal,
}

/// A school's innovation project (创新项目) under the new-quality programme.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ProjectStatus {
    /// No project; the default.
    #[default]
    None,
    /// A project under way (在研).
    Active,
    /// A project completed (已结题).
    Completed,
}

/// One school at one level. Counts are `f64` because the engine moves
/// fractional expected flows (intake shares, attrition rates); the roster
/// loader accepts only whole, non-negative numbers for head counts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct School {
    /// The school's code (学校代码); a nine-year school's two rows share it.
    pub school_id: String,
    /// The school's name as shown in tables and charts.
    pub name: String,
    /// The level this row describes.
    pub level: Level,
    /// Urban or rural; urban when not given.
    #[serde(default)]
    pub area: Area,
    /// 学区 or 集团; empty when the school belongs to none.
    #[serde(default)]
    pub district_group: String,
    /// Students by grade, grade 1 at index 0. Only this level's grades are non-zero.
    pub students: [f64; GRADES],
    /// Classes (教学班). Zero means "derive from the class-size cap".
    #[serde(default)]
    pub classes: f64,
    /// Full-time teachers (专任教师) at this level; zero when unknown.
    pub teachers: f64,
    /// Teachers with a degree above the required one (高于规定学历).
    pub qualified_teachers: f64,
    /// Backbone teachers at district level or above (县级以上骨干).
    pub backbone_teachers: f64,
    /// Full-time PE, music and art teachers (体育、艺术专任教师).
    pub pe_art_teachers: f64,
    /// Senior-title teachers (高级职称).
    #[serde(default)]
    pub senior_teachers: f64,
    /// Full- or part-time science teachers (专(兼)职科学教师), seed 004 §7.
    /// Skipped in JSON when zero, so rosters without it serialize as before.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub science_teachers: f64,
    /// Teaching and auxiliary floor area (教学及辅助用房), m².
    pub teaching_space_m2: f64,
    /// Sports grounds and halls (体育运动场馆), m².
    pub sports_space_m2: f64,
    /// Teaching equipment value (教学仪器设备值), yuan.
    pub equipment_yuan: f64,
    /// Networked multimedia classrooms (网络多媒体教室).
    pub multimedia_rooms: f64,
    /// Seat capacity; zero when unknown.
    #[serde(default)]
    pub capacity: f64,
    /// The school's new-quality status at the base year.
    #[serde(default)]
    pub new_quality: NewQuality,
    /// The year the school joined its new-quality list; `None` when unknown or
    /// not on a list (the exit-rule clock then starts at the base year).
    #[serde(default)]
    pub new_quality_since: Option<i32>,
    /// Strong-school experimental school (强校工程实验校).
    #[serde(default)]
    pub strong_school: bool,
    /// The support school paired one-to-one with this experimental school.
    #[serde(default)]
    pub paired_with: Option<String>,
    /// The state of the school's innovation project at the base year.
    #[serde(default)]
    pub project_status: ProjectStatus,
    /// The year its innovation project started; `None` when unknown or without a
    /// project (taken as the base year).
    #[serde(default)]
    pub project_start: Option<i32>,
    /// For a primary school: the junior school(s) its grade-5 pupils move on to.
    #[serde(default)]
    pub feeds: Vec<String>,
    /// Where the school stands, for the map; `None` when the roster gives
    /// no coordinates (skipped in JSON then, so such rosters serialize as before).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<Location>,
}

/// A school's place on the map: longitude and latitude in degrees (WGS-84,
/// as a phone or an online map gives them), or x and y on the district's own
/// grid (any unit, x eastward and y northward). One roster uses one kind.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Location {
    /// Longitude (east, degrees) or grid x.
    pub x: f64,
    /// Latitude (north, degrees) or grid y.
    pub y: f64,
    /// Which of the two the numbers are.
    #[serde(default)]
    pub kind: LocationKind,
}

/// What a [`Location`]'s numbers are.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LocationKind {
    /// Longitude and latitude in degrees.
    #[default]
    LonLat,
    /// x and y on the district's own grid.
    Grid,
}

impl School {
    /// A school at `level` with no students, staff or facilities yet, and no
    /// programme status: the starting point for building a row field by field.
    pub fn blank(school_id: &str, name: &str, level: Level) -> School {
        School {
            school_id: school_id.to_owned(),
            name: name.to_owned(),
            level,
            area: Area::Urban,
            district_group: String::new(),
            students: [0.0; GRADES],
            classes: 0.0,
            teachers: 0.0,
            qualified_teachers: 0.0,
            backbone_teachers: 0.0,
            pe_art_teachers: 0.0,
            senior_teachers: 0.0,
            science_teachers: 0.0,
            teaching_space_m2: 0.0,
            sports_space_m2: 0.0,
            equipment_yuan: 0.0,
            multimedia_rooms: 0.0,
            capacity: 0.0,
            new_quality: NewQuality::None,
            new_quality_since: None,
            strong_school: false,
            paired_with: None,
            project_status: ProjectStatus::None,
            project_start: None,
            feeds: Vec::new(),
            location: None,
        }
    }

    /// Total students at this school and level. Written out rather than
    /// `iter().sum()`: it is on the engine's hottest path, and a fixed
    /// left-to-right order keeps results bit-identical across targets.
    #[inline]
    pub fn enrollment(&self) -> f64 {
        let g = &self.students;
        g[0] + g[1] + g[2] + g[3] + g[4] + g[5] + g[6] + g[7] + g[8]
    }
}

fn is_zero(x: &f64) -> bool {
    *x == 0.0
}

/// The schools of a district at the base year.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Roster {
    /// One row per school and level; a nine-year school has two rows.
    pub schools: Vec<School>,
}

impl Roster {
    /// Whether `school_id` has rows at both levels (a nine-year school).
    pub fn is_nine_year(&self, school_id: &str) -> bool {
        let mut levels = self.schools.iter().filter(|s| s.school_id == school_id).map(|s| s.level);
        let first = levels.next();
        levels.any(|l| Some(l) != first)
    }

    /// Row index of `(school_id, level)`.
    pub fn position(&self, school_id: &str, level: Level) -> Option<usize> {
        self.schools.iter().position(|s| s.school_id == school_id && s.level == level)
    }
}

/// Most pupils a row may have: ten times the school-size cap of 2,000 pupils
/// (教督〔2017〕6号; STANDARDS.md, government-guarantee items). No school
/// comes near it; a larger figure is a typo or a district total.
pub const MAX_PUPILS: f64 = 20_000.0;

/// Most pupils per class (students ÷ classes): four times the class-size
/// cap of 45 (primary) and 50 (junior) pupils (教督〔2017〕6号; STANDARDS.md),
/// and three times the 66 of a 超大班额 that national policy has removed.
pub const MAX_CLASS_SIZE: f64 = 200.0;

/// A value in a roster row beyond plausible bounds, found by [`implausible`].
#[derive(Debug, Clone, PartialEq)]
pub struct Implausible {
    /// The column key (as in the roster CSV's English header) holding the value.
    pub column: &'static str,
    /// What is wrong, with the figures involved.
    pub message: crate::message::Text,
    /// The plausible range and why.
    pub allowed: crate::message::Text,
    /// The value as written (large values in scientific notation).
    pub found: String,
}

/// A number as a planner reads it: whole numbers plainly, very large ones
/// (which are what these checks catch) in scientific notation so a 10¹⁵⁰
/// does not print 151 digits.
fn show(x: f64) -> String {
    if x.abs() >= 1e9 {
        format!("{x:e}")
    } else if x.fract() == 0.0 {
        format!("{x}")
    } else {
        format!("{x:.1}")
    }
}

/// Every value of `s` beyond its plausible bounds, in column order. The
/// bounds are wide (several times the national standards) so that any real
/// school passes: what they catch is a typo, a shifted column, a district
/// total in a school's row or a value such as 10¹⁵⁰, which would otherwise
/// reach the indicators and the CVs. Per-pupil bounds apply to a row with
/// pupils; a row without pupils is held to the same bound at
/// [`MAX_PUPILS`]. Negative and non-finite values are refused when a file is
/// read; they are refused here too, for rosters built in code or inline.
pub fn implausible(s: &School) -> Vec<Implausible> {
    use crate::message::Text;
    let mut out = Vec::new();
    let pupils = s.enrollment();
    let mut push = |column: &'static str, message: Text, allowed: Text, found: f64| {
        out.push(Implausible { column, message, allowed, found: show(found) });
    };
    let fields: [(&'static str, f64); 15] = [
        ("students", pupils),
        ("classes", s.classes),
        ("teachers", s.teachers),
        ("qualified_teachers", s.qualified_teachers),
        ("backbone_teachers", s.backbone_teachers),
        ("pe_art_teachers", s.pe_art_teachers),
        ("senior_teachers", s.senior_teachers),
        ("science_teachers", s.science_teachers),
        ("teaching_space_m2", s.teaching_space_m2),
        ("sports_space_m2", s.sports_space_m2),
        ("equipment_yuan", s.equipment_yuan),
        ("multimedia_rooms", s.multimedia_rooms),
        ("capacity", s.capacity),
        ("new_quality_since", f64::from(s.new_quality_since.unwrap_or(2000))),
        ("project_start", f64::from(s.project_start.unwrap_or(2000))),
    ];
    let bad_grade = s.students.iter().any(|g| !g.is_finite() || *g < 0.0);
    for (column, v) in fields {
        if !v.is_finite() || v < 0.0 || (column == "students" && bad_grade) {
            push(column, Text::new("应为不小于 0 的有限数", "must be a finite number ≥ 0"), Text::new("不小于 0 的数", "a number ≥ 0"), v);
            return out;
        }
    }

    if pupils > MAX_PUPILS {
        push(
            "students",
            Text::new(format!("在校生 {} 人，超出合理范围", show(pupils)), format!("{} pupils is beyond a plausible school", show(pupils))),
            Text::new(
                "0–20,000 人：办学规模上限 2,000 人（教督〔2017〕6号）的 10 倍",
                "0–20,000 pupils: ten times the school-size cap of 2,000 (教督〔2017〕6号)",
            ),
            pupils,
        );
    }
    // Per-pupil bounds use the pupils of the row, or MAX_PUPILS for a row
    // without pupils (an absolute bound on the same scale).
    let basis = if pupils > 0.0 { pupils.min(MAX_PUPILS) } else { MAX_PUPILS };
    if s.classes > 0.0 && pupils > 0.0 {
        let size = pupils / s.classes;
        if size > MAX_CLASS_SIZE {
            push(
                "classes",
                Text::new(
                    format!("班额 {} 人（在校生 {} ÷ 班级数 {}），超出合理范围", show(size), show(pupils), show(s.classes)),
                    format!("{} pupils a class ({} pupils ÷ {} classes) is beyond plausible", show(size), show(pupils), show(s.classes)),
                ),
                Text::new(
                    "每班至多 200 人：班额上限 45 人（小学）、50 人（初中）的 4 倍（教督〔2017〕6号）",
                    "at most 200 pupils a class: four times the class-size cap of 45 (primary) and 50 (junior) (教督〔2017〕6号)",
                ),
                s.classes,
            );
        } else if s.classes > pupils {
            push(
                "classes",
                Text::new(format!("班级数 {} 多于在校生 {} 人", show(s.classes), show(pupils)), format!("{} classes for {} pupils: more classes than pupils", show(s.classes), show(pupils))),
                Text::new("不超过在校生数（每班至少 1 人）", "at most the number of pupils (at least one pupil a class)"),
                s.classes,
            );
        }
    } else if s.classes > MAX_PUPILS {
        push(
            "classes",
            Text::new(format!("班级数 {} 超出合理范围", show(s.classes)), format!("{} classes is beyond plausible", show(s.classes))),
            Text::new("至多 20,000（在校生数的合理上限）", "at most 20,000 (the plausible most pupils)"),
            s.classes,
        );
    }
    for (column, v) in fields[2..8].iter().copied() {
        if v > basis {
            let (zh, en) = if pupils > 0.0 {
                (format!("{} 名教师多于在校生 {} 人", show(v), show(pupils)), format!("{} teachers for {} pupils: more teachers than pupils", show(v), show(pupils)))
            } else {
                (format!("{} 名教师超出合理范围", show(v)), format!("{} teachers is beyond plausible", show(v)))
            };
            push(
                column,
                Text::new(zh, en),
                Text::new(
                    "不超过在校生数（无学生时不超过 20,000）：国家编制标准为小学 1:19、初中 1:13.5（国办发〔2001〕74号）",
                    "at most the number of pupils (20,000 for a row without pupils): the national staffing standard is 1 teacher per 19 primary or 13.5 junior pupils (国办发〔2001〕74号)",
                ),
                v,
            );
        }
    }
    if pupils > 0.0 && s.teaching_space_m2 == 0.0 {
        push(
            "teaching_space_m2",
            Text::new(format!("有在校生 {} 人，教学及辅助用房面积却为 0", show(pupils)), format!("{} pupils but no teaching floor area", show(pupils))),
            Text::new("大于 0：学生须有教学用房（标准为生均 4.5 m²（小学）、5.8 m²（初中））", "more than 0: pupils need classrooms (the standard is 4.5 m² (primary) and 5.8 m² (junior) a pupil)"),
            0.0,
        );
    }
    // (column, value, most per pupil, the bound and its reason in zh and en)
    let per_pupil: [(&'static str, f64, f64, &str, &str); 4] = [
        ("teaching_space_m2", s.teaching_space_m2, 100.0, "生均至多 100 m²：标准 4.5 m²（小学）、5.8 m²（初中）的 17 倍以上", "at most 100 m² a pupil: more than 17 times the standard of 4.5 m² (primary) and 5.8 m² (junior)"),
        ("sports_space_m2", s.sports_space_m2, 500.0, "生均至多 500 m²：标准 7.5 m²（小学）、10.2 m²（初中）的近 50 倍（小规模农村学校操场相对大）", "at most 500 m² a pupil: about 50 times the standard of 7.5 m² (primary) and 10.2 m² (junior), as small rural schools keep large grounds"),
        ("equipment_yuan", s.equipment_yuan, 200_000.0, "生均至多 200,000 元：标准 2,000 元（小学）、2,500 元（初中）的 80 倍以上", "at most 200,000 yuan a pupil: more than 80 times the standard of 2,000 (primary) and 2,500 yuan (junior)"),
        ("multimedia_rooms", s.multimedia_rooms, 0.5, "每百名学生至多 50 间：标准 2.3 间（小学）、2.4 间（初中）的 20 倍以上", "at most 50 per 100 pupils: more than 20 times the standard of 2.3 (primary) and 2.4 (junior)"),
    ];
    for (column, v, most, zh, en) in per_pupil {
        if v > most * basis {
            let (mz, me) = if pupils > 0.0 {
                let per = if column == "multimedia_rooms" { 100.0 * v / pupils } else { v / pupils };
                let unit = if column == "multimedia_rooms" { ("每百名学生", "per 100 pupils") } else { ("生均", "a pupil") };
                (format!("{}，{} {}，超出合理范围", show(v), unit.0, show(per)), format!("{}, {} {}, is beyond plausible", show(v), show(per), unit.1))
            } else {
                (format!("{} 超出合理范围（按 20,000 名学生计）", show(v)), format!("{} is beyond plausible even for 20,000 pupils", show(v)))
            };
            push(column, Text::new(mz, me), Text::new(zh, en), v);
        }
    }
    if s.capacity > MAX_PUPILS {
        push(
            "capacity",
            Text::new(format!("学位数 {} 超出合理范围", show(s.capacity)), format!("{} seats is beyond a plausible school", show(s.capacity))),
            Text::new("0–20,000：办学规模上限 2,000 人（教督〔2017〕6号）的 10 倍", "0–20,000: ten times the school-size cap of 2,000 (教督〔2017〕6号)"),
            s.capacity,
        );
    }
    out
}
