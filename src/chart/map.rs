//! The schools on a map: each school a point at its roster coordinates
//! (longitude and latitude, or the district's own grid), coloured by a
//! status the planner picks, for one year. No tiles and no network: the
//! points, a frame, a scale and the legend are all there is, drawn with
//! Plotters like every other chart.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::heat_map::MISSING;
use super::{ChartError, Palette, FONT_FAMILY};
use crate::engine::{Model, Trajectory};
use crate::i18n::Lang;
use crate::roster::{LocationKind, NewQuality};

/// What colours the points.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum MapStatus {
    /// The national school test (6 of 7 indicators, the other at 85% or more).
    #[default]
    Passes,
    /// New-quality status: none, district-level, municipal.
    NewQuality,
    /// Teachers against the school's need: short, about right, surplus.
    SurplusTeachers,
    /// Pupils against the roster's seat capacity (学位数), where given.
    SeatGap,
}

impl MapStatus {
    /// Every status, in the picker's order.
    pub const ALL: [MapStatus; 4] = [MapStatus::Passes, MapStatus::NewQuality, MapStatus::SurplusTeachers, MapStatus::SeatGap];

    /// The key in the page and the CLI (`--status`).
    pub fn key(self) -> &'static str {
        match self {
            MapStatus::Passes => "passes",
            MapStatus::NewQuality => "new_quality",
            MapStatus::SurplusTeachers => "surplus_teachers",
            MapStatus::SeatGap => "seat_gap",
        }
    }

    /// The status named `key`.
    pub fn from_key(key: &str) -> Option<MapStatus> {
        MapStatus::ALL.into_iter().find(|s| s.key() == key)
    }

    /// The status's name in `lang`.
    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            MapStatus::Passes => lang.pick("校际达标（7项中6项）", "Passes the school test (6 of 7)"),
            MapStatus::NewQuality => lang.pick("新优质学校", "New-quality status"),
            MapStatus::SurplusTeachers => lang.pick("教师富余或缺口", "Teachers short or surplus"),
            MapStatus::SeatGap => lang.pick("学位余缺", "Seats spare or short"),
        }
    }

    /// The categories' names and colours, in legend order.
    pub fn categories(self, lang: Lang) -> Vec<(&'static str, RGBColor)> {
        match self {
            MapStatus::Passes => vec![(lang.pick("达标", "passes"), Palette::GREEN), (lang.pick("未达标", "fails"), Palette::VERMILLION)],
            MapStatus::NewQuality => vec![
                (lang.pick("无", "none"), Palette::GREY),
                (lang.pick("区级", "district"), Palette::BLUE),
                (lang.pick("市级", "municipal"), Palette::ORANGE),
            ],
            MapStatus::SurplusTeachers => vec![
                (lang.pick("缺编（少于需求的95%）", "short (under 95% of need)"), Palette::VERMILLION),
                (lang.pick("基本持平", "about right"), Palette::GREEN),
                (lang.pick("富余（超过需求的105%）", "surplus (over 105% of need)"), Palette::BLUE),
            ],
            MapStatus::SeatGap => vec![
                (lang.pick("学位不足", "more pupils than seats"), Palette::VERMILLION),
                (lang.pick("学位有余", "seats to spare"), Palette::BLUE),
                (lang.pick("学位数未知", "capacity unknown"), MISSING),
            ],
        }
    }
}

/// One school on the map (both rows of a nine-year school together).
#[derive(Debug, Clone, PartialEq)]
pub struct MapPoint {
    /// The school's code.
    pub school_id: String,
    /// The school's name.
    pub name: String,
    /// Longitude or grid x.
    pub x: f64,
    /// Latitude or grid y.
    pub y: f64,
    /// Its category: an index into [`MapStatus::categories`].
    pub category: usize,
}

/// The map of one year, ready to draw with [`draw_school_map`].
#[derive(Debug, Clone, PartialEq)]
pub struct SchoolMap {
    /// The picture's title, in `lang`.
    pub title: String,
    /// The year shown.
    pub year: i32,
    /// What colours the points.
    pub status: MapStatus,
    /// Degrees or the district's grid.
    pub kind: LocationKind,
    /// The open schools with coordinates, in roster order.
    pub points: Vec<MapPoint>,
    /// Open schools without coordinates (left off the map, and said so).
    pub unplaced: usize,
    /// The language of the title and legend.
    pub lang: Lang,
}

impl SchoolMap {
    /// Schools in each category, in legend order.
    pub fn counts(&self) -> Vec<usize> {
        let n = self.status.categories(self.lang).len();
        (0..n).map(|c| self.points.iter().filter(|p| p.category == c).count()).collect()
    }
}

/// Whether any school of the roster has coordinates (the map tab needs them).
pub fn has_locations(model: &Model) -> bool {
    model.roster.schools.iter().any(|s| s.location.is_some())
}

/// The map of `year` from the run `t`: one point per open school with
/// coordinates, its rows combined (a nine-year school passes when both its
/// parts pass; its teachers and seats are summed).
pub fn school_map(model: &Model, t: &Trajectory, year: i32, status: MapStatus, lang: Lang) -> SchoolMap {
    let mut ids: Vec<&str> = Vec::new();
    for s in &t.schools {
        if !ids.contains(&s.school_id.as_str()) {
            ids.push(&s.school_id);
        }
    }
    let mut points = Vec::new();
    let mut unplaced = 0;
    let mut kind = LocationKind::LonLat;
    for id in ids {
        let rows: Vec<_> = t
            .schools
            .iter()
            .filter_map(|s| s.years.iter().find(|y| y.year == year && y.open).map(|y| (s, y)))
            .filter(|(s, _)| s.school_id == id)
            .collect();
        let Some((first, _)) = rows.first() else { continue };
        let roster_rows: Vec<_> = model.roster.schools.iter().filter(|r| r.school_id == id).collect();
        let Some(place) = roster_rows.iter().find_map(|r| r.location) else {
            unplaced += 1;
            continue;
        };
        kind = place.kind;
        let category = match status {
            MapStatus::Passes => usize::from(!rows.iter().all(|(_, y)| y.passes)),
            MapStatus::NewQuality => {
                match rows.iter().map(|(_, y)| y.new_quality).max_by_key(|q| nq_rank(*q)).unwrap_or(NewQuality::None) {
                    NewQuality::None => 0,
                    NewQuality::District => 1,
                    NewQuality::Municipal => 2,
                }
            }
            MapStatus::SurplusTeachers => {
                let have: f64 = rows.iter().map(|(_, y)| y.teachers).sum();
                let need: f64 = rows.iter().map(|(_, y)| y.teacher_need).sum();
                if have < 0.95 * need {
                    0
                } else if have > 1.05 * need {
                    2
                } else {
                    1
                }
            }
            MapStatus::SeatGap => {
                let seats: f64 = roster_rows.iter().map(|r| r.capacity).sum();
                let pupils: f64 = rows.iter().map(|(_, y)| y.students).sum();
                if seats <= 0.0 {
                    2
                } else {
                    usize::from(pupils <= seats)
                }
            }
        };
        points.push(MapPoint { school_id: id.to_owned(), name: first.name.clone(), x: place.x, y: place.y, category });
    }
    SchoolMap {
        title: lang.pick(format!("{year}年学校分布：{}", status.label(lang)), format!("Schools, {year}: {}", status.label(lang))),
        year,
        status,
        kind,
        points,
        unplaced,
        lang,
    }
}

fn nq_rank(q: NewQuality) -> u8 {
    match q {
        NewQuality::None => 0,
        NewQuality::District => 1,
        NewQuality::Municipal => 2,
    }
}

/// A round length for the scale bar: 1, 2 or 5 × 10ⁿ, at most `max`.
fn nice(max: f64) -> f64 {
    let p = 10f64.powf(max.log10().floor());
    [5.0, 2.0, 1.0].into_iter().map(|m| m * p).find(|v| *v <= max).unwrap_or(p)
}

/// Draws the map: the title, the points in a frame (longitude scaled by the
/// cosine of the mean latitude, so distances look right; a grid drawn one to
/// one), a scale bar, and the legend with each category's count.
///
/// # Errors
///
/// Fails with a [`ChartError`] holding the backend's message when the backend
/// fails to draw or to measure text.
pub fn draw_school_map<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, map: &SchoolMap) -> Result<(), ChartError>
where
    DB::ErrorType: 'static,
{
    let lang = map.lang;
    area.fill(&WHITE)?;
    let (w, h) = area.dim_in_pixel();
    let (w, h) = (w as i32, h as i32);
    let at = |h: HPos, v: VPos| Pos::new(h, v);
    let font = |size: u32| TextStyle::from((FONT_FAMILY, size).into_font());
    area.draw(&Text::new(map.title.clone(), (w / 2, 8), font(18).pos(at(HPos::Center, VPos::Top))))?;
    if map.points.is_empty() {
        let none = lang.pick("该年没有带坐标的开办学校", "No open school with coordinates in this year");
        area.draw(&Text::new(none, (w / 2, h / 2), font(14).pos(at(HPos::Center, VPos::Center))))?;
        return Ok(());
    }

    let (margin, top, legend_h) = (16, 40, 30);
    let frame = [(margin, top), (w - margin, h - legend_h - 8)];
    let (fw, fh) = (f64::from(frame[1].0 - frame[0].0 - 40), f64::from(frame[1].1 - frame[0].1 - 40));
    let (min_x, max_x) = map.points.iter().fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), p| (a.min(p.x), b.max(p.x)));
    let (min_y, max_y) = map.points.iter().fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), p| (a.min(p.y), b.max(p.y)));
    // East–west degrees shrink with the cosine of the latitude.
    let stretch = match map.kind {
        LocationKind::LonLat => ((min_y + max_y) / 2.0).to_radians().cos().max(0.05),
        LocationKind::Grid => 1.0,
    };
    let (span_x, span_y) = (((max_x - min_x) * stretch).max(1e-9), (max_y - min_y).max(1e-9));
    let scale = (fw / span_x).min(fh / span_y);
    let (cx, cy) = (f64::from(frame[0].0 + frame[1].0) / 2.0, f64::from(frame[0].1 + frame[1].1) / 2.0);
    let (mx, my) = ((min_x + max_x) / 2.0, (min_y + max_y) / 2.0);
    let to_px = |x: f64, y: f64| ((cx + (x - mx) * stretch * scale).round() as i32, (cy - (y - my) * scale).round() as i32);

    area.draw(&Rectangle::new(frame, Palette::GREY.mix(0.6).stroke_width(1)))?;
    let colours = map.status.categories(lang);
    for p in &map.points {
        let colour = colours[p.category].1;
        let c = to_px(p.x, p.y);
        area.draw(&Circle::new(c, 5, colour.filled()))?;
        area.draw(&Circle::new(c, 5, Palette::INK.mix(0.7).stroke_width(1)))?;
    }

    // Scale bar, bottom left inside the frame: kilometres for degrees
    // (111.32 km a degree of latitude), grid units otherwise.
    let unit_px = scale
        / match map.kind {
            LocationKind::LonLat => 111.32,
            LocationKind::Grid => 1.0,
        };
    let length = nice(f64::from(w) / 5.0 / unit_px);
    let bar = (length * unit_px).round() as i32;
    let (bx, by) = (frame[0].0 + 10, frame[1].1 - 12);
    area.draw(&PathElement::new(vec![(bx, by - 4), (bx, by), (bx + bar, by), (bx + bar, by - 4)], Palette::INK.stroke_width(2)))?;
    let shown = crate::format::stepped(length, length);
    let label = match map.kind {
        LocationKind::LonLat => format!("{shown} km"),
        LocationKind::Grid => lang.pick(format!("{shown}（坐标单位）"), format!("{shown} (grid units)")),
    };
    area.draw(&Text::new(label, (bx + bar + 6, by), font(12).pos(at(HPos::Left, VPos::Center))))?;
    area.draw(&Text::new("N ↑", (frame[1].0 - 10, frame[0].1 + 8), font(13).pos(at(HPos::Right, VPos::Top))))?;

    // The legend: a swatch, the category and its count; then the schools
    // left off for want of coordinates.
    let counts = map.counts();
    let mut x = margin;
    let y = h - legend_h / 2 - 2;
    for ((name, colour), n) in colours.iter().zip(&counts) {
        area.draw(&Circle::new((x + 6, y), 5, colour.filled()))?;
        let text = lang.pick(format!("{name}（{n} 所）"), format!("{name} ({n})"));
        area.draw(&Text::new(text.clone(), (x + 16, y), font(12).pos(at(HPos::Left, VPos::Center))))?;
        x += 16 + area.estimate_text_size(&text, &font(12)).map_or(80, |(tw, _)| tw as i32) + 18;
    }
    if map.unplaced > 0 {
        let text =
            lang.pick(format!("另有 {} 所无坐标，未画出", map.unplaced), format!("{} more without coordinates, not drawn", map.unplaced));
        area.draw(&Text::new(text, (x, y), font(12).pos(at(HPos::Left, VPos::Center))))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chart::to_svg_string;

    fn model(id: &str) -> Model {
        let s = crate::scenario::builtin::builtin(id).unwrap().scenario().unwrap();
        let roster = s.resolve_roster(|_| Err("no CSV".into())).unwrap();
        Model::new(s, roster).unwrap()
    }

    /// `rgb(r,g,b)` fills of the SVG's circles, counted.
    fn fills(svg: &str, c: RGBColor) -> usize {
        svg.split("<circle").filter(|e| e.contains(&format!("fill=\"#{:02X}{:02X}{:02X}\"", c.0, c.1, c.2))).count()
    }

    #[test]
    fn every_status_colours_each_school_by_its_own_numbers() {
        let m = model("putuo-strong-junior");
        let t = m.run_central();
        let year = t.years[2];
        for status in MapStatus::ALL {
            let map = school_map(&m, &t, year, status, Lang::En);
            // One point per open school id, all placed (the synthetic roster has coordinates).
            let mut ids: Vec<&str> = t.schools.iter().filter(|s| s.years[2].open).map(|s| s.school_id.as_str()).collect();
            ids.dedup();
            assert_eq!((map.points.len(), map.unplaced), (ids.len(), 0), "{status:?}");
            // Each point's category from the run, recomputed here by hand.
            for p in &map.points {
                let rows: Vec<_> = t.schools.iter().filter(|s| s.school_id == p.school_id).map(|s| &s.years[2]).collect();
                let want = match status {
                    MapStatus::Passes => usize::from(rows.iter().any(|y| !y.passes)),
                    MapStatus::NewQuality => rows.iter().map(|y| nq_rank(y.new_quality) as usize).max().unwrap(),
                    MapStatus::SurplusTeachers => {
                        let r = rows.iter().map(|y| y.teachers).sum::<f64>() / rows.iter().map(|y| y.teacher_need).sum::<f64>();
                        if r < 0.95 {
                            0
                        } else if r > 1.05 {
                            2
                        } else {
                            1
                        }
                    }
                    MapStatus::SeatGap => {
                        let seats: f64 = m.roster.schools.iter().filter(|r| r.school_id == p.school_id).map(|r| r.capacity).sum();
                        if seats <= 0.0 {
                            2
                        } else {
                            usize::from(rows.iter().map(|y| y.students).sum::<f64>() <= seats)
                        }
                    }
                };
                assert_eq!(p.category, want, "{status:?} {}", p.school_id);
            }
            // The drawing paints each category's count of points in its colour
            // (plus one swatch in the legend).
            let svg = to_svg_string((900, 520), |a| draw_school_map(a, &map)).unwrap();
            for ((_, colour), n) in status.categories(Lang::En).iter().zip(map.counts()) {
                assert_eq!(fills(&svg, *colour), n + 1, "{status:?} {colour:?}");
            }
        }
        // The school test: some pass and some fail in Putuo, so the colours differ between statuses.
        let passes = school_map(&m, &t, year, MapStatus::Passes, Lang::En);
        assert!(passes.counts().iter().all(|n| *n > 0), "{:?}", passes.counts());
    }

    #[test]
    fn a_roster_without_coordinates_leaves_every_school_unplaced() {
        let mut m = model("minhang-hongqiao-district");
        for s in &mut m.roster.schools {
            s.location = None;
        }
        assert!(!has_locations(&m));
        let t = m.run_central();
        let map = school_map(&m, &t, t.years[0], MapStatus::Passes, Lang::Zh);
        assert!(map.points.is_empty() && map.unplaced > 0);
        let svg = to_svg_string((600, 400), |a| draw_school_map(a, &map)).unwrap();
        assert!(svg.contains("该年没有带坐标的开办学校"));
    }

    #[test]
    fn scale_bar_lengths_are_round() {
        assert_eq!(nice(7.3), 5.0);
        assert_eq!(nice(19.0), 10.0);
        assert_eq!(nice(0.31), 0.2);
        assert_eq!(nice(1.0), 1.0);
    }
}
