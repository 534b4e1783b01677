use plotters::style::RGBColor;

/// The Okabe–Ito palette: distinguishable under the common colour-vision
/// deficiencies, and still distinct when printed in greyscale by luminance.
pub struct Palette;

impl Palette {
    /// Okabe–Ito blue: a chart's first line, and above the standard on the heat map.
    pub const BLUE: RGBColor = RGBColor(0, 114, 178);
    /// Okabe–Ito orange: a chart's second line (junior where blue is primary).
    pub const ORANGE: RGBColor = RGBColor(230, 159, 0);
    /// Okabe–Ito sky blue: the third indicator's line, and a pinned overlay.
    pub const SKY: RGBColor = RGBColor(86, 180, 233);
    /// Okabe–Ito bluish green: a target met (and the fourth indicator's line).
    pub const GREEN: RGBColor = RGBColor(0, 158, 115);
    /// Okabe–Ito vermillion: a target missed, a ceiling, and below the standard on
    /// the heat map.
    pub const VERMILLION: RGBColor = RGBColor(213, 94, 0);
    /// Okabe–Ito reddish purple: the sixth indicator's line, and the first pinned overlay.
    pub const PURPLE: RGBColor = RGBColor(204, 121, 167);
    /// Okabe–Ito yellow (1.3:1 on white: too faint for thin lines; see
    /// [`Palette::DARK_YELLOW`]).
    pub const YELLOW: RGBColor = RGBColor(240, 228, 66);
    /// Neutral grey: the baseline overlay, frames and borders.
    pub const GREY: RGBColor = RGBColor(110, 110, 110);
    /// Near-black: the seventh indicator's line, a pinned overlay, and the heat
    /// map's midpoint tick.
    pub const INK: RGBColor = RGBColor(30, 30, 30);
    /// Okabe–Ito yellow darkened to 3.2:1 contrast on white (the original has
    /// 1.3:1), so a thin dashed line in it stays visible.
    pub const DARK_YELLOW: RGBColor = RGBColor(160, 145, 0);
}

/// Colours for pinned scenarios drawn as overlays, in pinning order. The
/// baseline overlay is [`Palette::GREY`]. BLUE and ORANGE are left out because
/// the current scenario's own lines use them, GREEN and VERMILLION because
/// they mean "met" and "missed" on target markers and ceilings. Contrast on
/// white: PURPLE 3.1:1, SKY 2.3:1 (the weakest; kept for its hue), INK 16.7:1,
/// DARK_YELLOW 3.2:1.
pub const OVERLAY_COLOURS: [RGBColor; 4] = [Palette::PURPLE, Palette::SKY, Palette::INK, Palette::DARK_YELLOW];
