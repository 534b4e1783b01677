use plotters::style::RGBColor;

/// The Okabe–Ito palette: distinguishable under the common colour-vision
/// deficiencies, and still distinct when printed in greyscale by luminance.
pub struct Palette;

impl Palette {
    pub const BLUE: RGBColor = RGBColor(0, 114, 178);
    pub const ORANGE: RGBColor = RGBColor(230, 159, 0);
    pub const SKY: RGBColor = RGBColor(86, 180, 233);
    pub const GREEN: RGBColor = RGBColor(0, 158, 115);
    pub const VERMILLION: RGBColor = RGBColor(213, 94, 0);
    pub const PURPLE: RGBColor = RGBColor(204, 121, 167);
    pub const YELLOW: RGBColor = RGBColor(240, 228, 66);
    pub const GREY: RGBColor = RGBColor(110, 110, 110);
    pub const INK: RGBColor = RGBColor(30, 30, 30);
}
