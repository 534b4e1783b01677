//! Charts, drawn with Plotters onto any [`DrawingBackend`].
//!
//! Architecture invariant: chart functions never create their backend. The
//! browser hands them a canvas, the CLI and the snapshot tests an SVG string,
//! so the picture a planner sees and the one exported are drawn by the same code.

mod bars;
pub mod district;
pub mod heat_map;
mod map;
mod labels;
mod new_quality;
mod palette;
mod school;
mod seats;
mod series;

pub use bars::{bar_chart_height, draw_tornado, draw_waterfall, TornadoBar, TornadoChart, WaterfallChart, WaterfallStep};
pub use district::OverlaySource;
pub use heat_map::{draw_heat_map, heat_map, HeatMap, HeatRow, LevelCounts};
pub use map::{draw_school_map, has_locations, school_map, MapPoint, MapStatus, SchoolMap};
pub use labels::{indicator_label, is_share_series, level_label, series_label};
pub use new_quality::{draw_new_quality_trajectory, NewQualityChart};
pub use palette::{Palette, OVERLAY_COLOURS};
pub use school::school_chart;
pub use seats::{draw_seat_chart, seat_chart, seat_chart_year, seat_warning, SeatChart, SeatRow};
pub use series::{draw_series_chart, Line, Marker, Overlay, Reference, SeriesChart};

use plotters::prelude::*;

use crate::message::{Error, ErrorKind, Problem, Text};

/// What every chart function returns on failure: the crate's one
/// [`Error`], of kind [`ErrorKind::Chart`], with the backend's reason as
/// the value found. The name stays so the chart signatures read as before.
pub type ChartError = Error;

/// A backend's failure as a chart [`Error`], so `?` works on Plotters' results.
impl<E: std::error::Error + Send + Sync> From<DrawingAreaErrorKind<E>> for Error {
    fn from(e: DrawingAreaErrorKind<E>) -> Self {
        Error::new(ErrorKind::Chart, Problem::whole(Text::new("绘图失败", "chart drawing failed")).found(e.to_string()))
    }
}

/// The font family every chart asks for. Browsers fall back through the list to
/// a CJK font; natively the name is written into the SVG as is.
pub const FONT_FAMILY: &str = "Noto Sans CJK SC, WenQuanYi Micro Hei, Microsoft YaHei, sans-serif";

/// Draws `draw` into a fresh SVG document of the given size and returns it.
///
/// # Errors
///
/// Whatever `draw` returns, or the SVG backend's failure to finish the
/// document (kind [`ErrorKind::Chart`]).
pub fn to_svg_string(
    size: (u32, u32),
    draw: impl FnOnce(&DrawingArea<SVGBackend<'_>, plotters::coord::Shift>) -> Result<(), ChartError>,
) -> Result<String, ChartError> {
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, size).into_drawing_area();
        draw(&root)?;
        root.present()?;
    }
    Ok(svg)
}
