//! plotters-canvas measures text by adding a `<span>` to the page and reading
//! its size, which forces the browser to lay out the whole page for every
//! label; a chart with a legend paid that a few dozen times per redraw. This
//! wrapper draws through [`CanvasBackend`] and measures text with the
//! canvas's own `measureText`, which needs no layout. It also fills
//! rectangles itself, with each colour's CSS string made once.
//!
//! [`PageBackend`] is the one backend type the page draws charts through,
//! the canvas or an SVG document (a download, the briefing's pictures), so
//! the page's module holds one copy of each chart's drawing code rather
//! than one per backend.

use std::cell::RefCell;
use std::collections::HashMap;

use plotters_backend::{BackendColor, BackendCoord, BackendStyle, BackendTextStyle, DrawingBackend, DrawingErrorKind};
use plotters::backend::SVGBackend;
use plotters_canvas::CanvasBackend;
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement};
use wasm_bindgen::{JsCast, JsValue};

pub struct MeasuredCanvas {
    inner: CanvasBackend,
    context: CanvasRenderingContext2d,
}

impl MeasuredCanvas {
    pub fn new(canvas: HtmlCanvasElement) -> Option<MeasuredCanvas> {
        let context = canvas.get_context("2d").ok()??.dyn_into::<CanvasRenderingContext2d>().ok()?;
        Some(MeasuredCanvas { inner: CanvasBackend::with_canvas_object(canvas)?, context })
    }
}

type Error = <CanvasBackend as DrawingBackend>::ErrorType;

impl DrawingBackend for MeasuredCanvas {
    type ErrorType = Error;

    fn get_size(&self) -> (u32, u32) {
        self.inner.get_size()
    }
    fn ensure_prepared(&mut self) -> Result<(), DrawingErrorKind<Error>> {
        self.inner.ensure_prepared()
    }
    fn present(&mut self) -> Result<(), DrawingErrorKind<Error>> {
        self.inner.present()
    }
    fn draw_pixel(&mut self, point: BackendCoord, color: BackendColor) -> Result<(), DrawingErrorKind<Error>> {
        self.inner.draw_pixel(point, color)
    }
    fn draw_line<S: BackendStyle>(&mut self, from: BackendCoord, to: BackendCoord, style: &S) -> Result<(), DrawingErrorKind<Error>> {
        self.inner.draw_line(from, to, style)
    }
    /// A filled rectangle as plotters-canvas draws it, but with the colour's
    /// CSS string made once per colour and kept as a JS string: the schools
    /// tab's heat map fills some two thousand cells per redraw, and making,
    /// passing and decoding a new `rgba(…)` string for each was its largest
    /// cost. Outlines go through plotters-canvas unchanged.
    fn draw_rect<S: BackendStyle>(&mut self, ul: BackendCoord, br: BackendCoord, style: &S, fill: bool) -> Result<(), DrawingErrorKind<Error>> {
        let colour = style.color();
        if !fill || colour.alpha == 0.0 {
            return self.inner.draw_rect(ul, br, style, fill);
        }
        let (r, g, b) = colour.rgb;
        let key = (r, g, b, colour.alpha.to_bits());
        COLOURS.with_borrow_mut(|colours| {
            if colours.len() >= MAX_COLOURS && !colours.contains_key(&key) {
                colours.clear();
            }
            let css = colours.entry(key).or_insert_with(|| JsValue::from(format!("rgba({r},{g},{b},{})", colour.alpha)));
            // The typed setter would take a `&str` and decode it again each time.
            #[allow(deprecated)]
            self.context.set_fill_style(css);
        });
        let (w, h) = (br.0 - ul.0, br.1 - ul.1);
        self.context.fill_rect(f64::from(ul.0), f64::from(ul.1), f64::from(w), f64::from(h));
        Ok(())
    }
    fn draw_path<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(&mut self, path: I, style: &S) -> Result<(), DrawingErrorKind<Error>> {
        self.inner.draw_path(path, style)
    }
    fn draw_circle<S: BackendStyle>(&mut self, center: BackendCoord, radius: u32, style: &S, fill: bool) -> Result<(), DrawingErrorKind<Error>> {
        self.inner.draw_circle(center, radius, style, fill)
    }
    fn fill_polygon<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(&mut self, vert: I, style: &S) -> Result<(), DrawingErrorKind<Error>> {
        self.inner.fill_polygon(vert, style)
    }
    fn draw_text<S: BackendTextStyle>(&mut self, text: &str, style: &S, pos: BackendCoord) -> Result<(), DrawingErrorKind<Error>> {
        self.inner.draw_text(text, style, pos)
    }
    fn blit_bitmap(&mut self, pos: BackendCoord, size: (u32, u32), src: &[u8]) -> Result<(), DrawingErrorKind<Error>> {
        self.inner.blit_bitmap(pos, size, src)
    }

    /// Width from `measureText` in the same font the text is drawn in; height
    /// as a line box (1.2 × the size), which is what the span measured.
    /// Widths are remembered by font and text: a redraw measures mostly the
    /// labels the last one did (titles, legends, ticks), and setting the
    /// font and measuring were a tenth of a chart's drawing. The page's
    /// fonts are the system's, so a width does not change once measured.
    fn estimate_text_size<S: BackendTextStyle>(&self, text: &str, style: &S) -> Result<(u32, u32), DrawingErrorKind<Error>> {
        let font = format!("{} {}px {}", style.style().as_str(), style.size(), style.family().as_str());
        let width = WIDTHS.with_borrow_mut(|(count, fonts)| {
            // Looked up by the borrowed text: a hit allocates nothing more.
            if let Some(&w) = fonts.get(&font).and_then(|texts| texts.get(text)) {
                return w;
            }
            self.context.set_font(&font);
            let w = self.context.measure_text(text).map(|m| m.width()).unwrap_or(style.size() * text.chars().count() as f64);
            // Bounded: tick labels of many scales would otherwise pile up.
            if *count >= MAX_WIDTHS {
                fonts.clear();
                *count = 0;
            }
            fonts.entry(font).or_default().insert(text.to_owned(), w);
            *count += 1;
            w
        });
        Ok((width.ceil() as u32, (style.size() * 1.2).round() as u32))
    }
}

const MAX_WIDTHS: usize = 4096;
const MAX_COLOURS: usize = 4096;

type WidthsByFont = HashMap<String, HashMap<String, f64>>;

thread_local! {
    /// Measured text widths by CSS font, then text; with how many there are.
    static WIDTHS: RefCell<(usize, WidthsByFont)> = RefCell::new((0, HashMap::new()));
    /// CSS colour strings as JS strings, by (red, green, blue, alpha's bits).
    static COLOURS: RefCell<HashMap<(u8, u8, u8, u64), JsValue>> = RefCell::new(HashMap::new());
}

/// A chart backend of the page: the canvas on screen, or an SVG document.
pub enum PageBackend<'a> {
    Canvas(MeasuredCanvas),
    Svg(SVGBackend<'a>),
}

/// Either backend's error, as its text.
#[derive(Debug)]
pub struct BackendError(String);

impl std::fmt::Display for BackendError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for BackendError {}

/// The error of either backend as [`BackendError`].
fn lift<T, E: std::error::Error + Send + Sync>(r: Result<T, DrawingErrorKind<E>>) -> Result<T, DrawingErrorKind<BackendError>> {
    r.map_err(|e| match e {
        DrawingErrorKind::DrawingError(e) => DrawingErrorKind::DrawingError(BackendError(e.to_string())),
        DrawingErrorKind::FontError(f) => DrawingErrorKind::FontError(f),
    })
}

/// `$call` on whichever backend `$self` is, its error lifted.
macro_rules! each {
    ($self:expr, $b:ident => $call:expr) => {
        match $self {
            PageBackend::Canvas($b) => lift($call),
            PageBackend::Svg($b) => lift($call),
        }
    };
}

impl DrawingBackend for PageBackend<'_> {
    type ErrorType = BackendError;

    fn get_size(&self) -> (u32, u32) {
        match self {
            PageBackend::Canvas(b) => b.get_size(),
            PageBackend::Svg(b) => b.get_size(),
        }
    }
    fn ensure_prepared(&mut self) -> Result<(), DrawingErrorKind<BackendError>> {
        each!(self, b => b.ensure_prepared())
    }
    fn present(&mut self) -> Result<(), DrawingErrorKind<BackendError>> {
        each!(self, b => b.present())
    }
    fn draw_pixel(&mut self, point: BackendCoord, color: BackendColor) -> Result<(), DrawingErrorKind<BackendError>> {
        each!(self, b => b.draw_pixel(point, color))
    }
    fn draw_line<S: BackendStyle>(&mut self, from: BackendCoord, to: BackendCoord, style: &S) -> Result<(), DrawingErrorKind<BackendError>> {
        each!(self, b => b.draw_line(from, to, style))
    }
    fn draw_rect<S: BackendStyle>(&mut self, ul: BackendCoord, br: BackendCoord, style: &S, fill: bool) -> Result<(), DrawingErrorKind<BackendError>> {
        each!(self, b => b.draw_rect(ul, br, style, fill))
    }
    fn draw_path<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(&mut self, path: I, style: &S) -> Result<(), DrawingErrorKind<BackendError>> {
        each!(self, b => b.draw_path(path, style))
    }
    fn draw_circle<S: BackendStyle>(&mut self, center: BackendCoord, radius: u32, style: &S, fill: bool) -> Result<(), DrawingErrorKind<BackendError>> {
        each!(self, b => b.draw_circle(center, radius, style, fill))
    }
    fn fill_polygon<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(&mut self, vert: I, style: &S) -> Result<(), DrawingErrorKind<BackendError>> {
        each!(self, b => b.fill_polygon(vert, style))
    }
    fn draw_text<S: BackendTextStyle>(&mut self, text: &str, style: &S, pos: BackendCoord) -> Result<(), DrawingErrorKind<BackendError>> {
        each!(self, b => b.draw_text(text, style, pos))
    }
    fn blit_bitmap(&mut self, pos: BackendCoord, size: (u32, u32), src: &[u8]) -> Result<(), DrawingErrorKind<BackendError>> {
        each!(self, b => b.blit_bitmap(pos, size, src))
    }
    fn estimate_text_size<S: BackendTextStyle>(&self, text: &str, style: &S) -> Result<(u32, u32), DrawingErrorKind<BackendError>> {
        each!(self, b => b.estimate_text_size(text, style))
    }
}
