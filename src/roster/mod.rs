//! The district roster: one row per school and level, at the base year.
//!
//! A nine-year school (九年一贯制) appears as two rows sharing a `school_id`,
//! one `primary` (grades 1–5) and one `junior` (grades 6–9), because the
//! national assessment counts its parts with different levels (Shanghai's
//! 5+4 system).

pub mod csv_io;
pub use csv_io::{parse_roster_lenient, roster_error, Lang, ParseMode, RosterFile, RosterImport};
pub mod synthetic;
pub mod xlsx;
pub use xlsx::{parse_roster_xlsx, roster_to_xlsx, template_xlsx};

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
