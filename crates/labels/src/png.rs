//! Barcode images as PNG, for screens and for printers that take images
//! rather than PDF (the Bird barcode endpoint serves these).
//!
//! Bars are pure black on white; the optional caption under them is set in
//! Noto Sans (the labels' own font), anti-aliased. The `png` crate writes the
//! file, 8-bit grayscale and deflated: identical bar rows compress to almost
//! nothing.

use ab_glyph_rasterizer::{point, Point, Rasterizer};
use skrifa::instance::{LocationRef, Size};
use skrifa::outline::{DrawSettings, OutlinePen};
use skrifa::MetadataProvider;

use crate::code128::Barcode;
use crate::error::LabelError;
use crate::fonts::{fit_text, place, text_width, Font};

/// Upper bounds for the size parameters, so a request parameter can never
/// make us allocate an absurd image; larger values are clamped.
pub const MAX_MODULE_PX: u32 = 16;
/// See [`MAX_MODULE_PX`].
pub const MAX_HEIGHT_PX: u32 = 1024;
/// See [`MAX_MODULE_PX`].
pub const MAX_QUIET_MODULES: u32 = 50;

/// Caption size in pixels per module pixel (capped at four module pixels),
/// and the band it sits in, in ems: the band's height depends only on the
/// module size, so images of the same parameters line up whatever the text.
const CAPTION_EM_PER_MODULE_PX: f32 = 10.0;
const CAPTION_BAND_EM: f32 = 1.45;
const CAPTION_BASELINE_EM: f32 = 1.0;

/// Renders `barcode` as a PNG with `module_px` pixels per module, bars
/// `height_px` tall and `quiet_modules` of white on each side (scanners need
/// ten). With a caption, the text is written under the bars, shrunk (then
/// truncated) to fit the image's width. Zero or oversized parameters are
/// clamped to `1..=MAX_*`.
pub fn barcode_png(
    barcode: &Barcode,
    module_px: u32,
    height_px: u32,
    quiet_modules: u32,
    caption: Option<&str>,
) -> Result<Vec<u8>, LabelError> {
    let module_px = module_px.clamp(1, MAX_MODULE_PX) as usize;
    let bar_height = height_px.clamp(1, MAX_HEIGHT_PX) as usize;
    let quiet = quiet_modules.min(MAX_QUIET_MODULES) as usize;
    let width = (barcode.width() + 2 * quiet) * module_px;

    let mut bar_row = vec![WHITE; width];
    for (start, modules) in barcode.bars() {
        let from = (quiet + start) * module_px;
        bar_row[from..from + modules * module_px].fill(BLACK);
    }
    let band = caption.map(str::trim).filter(|c| !c.is_empty()).map(|text| caption_band(text, width, module_px));
    let band_rows = band.as_ref().map_or(0, |b| b.len() / width.max(1));
    let height = bar_height + band_rows;

    let mut pixels = Vec::with_capacity(width * height);
    for _ in 0..bar_height {
        pixels.extend_from_slice(&bar_row);
    }
    if let Some(band) = band {
        pixels.extend_from_slice(&band);
    }

    let mut out = Vec::new();
    let mut encoder = png::Encoder::new(&mut out, dimension(width), dimension(height));
    encoder.set_color(png::ColorType::Grayscale);
    encoder.set_depth(png::BitDepth::Eight);
    let failed = |e: png::EncodingError| LabelError::Render(format!("PNG: {e}"));
    let mut writer = encoder.write_header().map_err(failed)?;
    writer.write_image_data(&pixels).map_err(failed)?;
    writer.finish().map_err(failed)?;
    Ok(out)
}

const BLACK: u8 = 0;
const WHITE: u8 = 255;

/// Image sizes are bounded by the clamps above, far below `u32::MAX`.
fn dimension(v: usize) -> u32 {
    u32::try_from(v).unwrap_or(u32::MAX)
}

/// The caption's rows of pixels, `width` wide: the text centred, as large as
/// the module size asks for, smaller (down to 60 %) if it would not fit, then
/// truncated.
fn caption_band(text: &str, width: usize, module_px: usize) -> Vec<u8> {
    let em = CAPTION_EM_PER_MODULE_PX * module_px.min(4) as f32;
    let rows = (em * CAPTION_BAND_EM).round() as usize;
    let room = width as f32 - em / 2.0;
    let mut size = em;
    while size > em * 0.6 && text_width(text, Font::Regular, size) > room {
        size *= 0.9;
    }
    let text = fit_text(text, Font::Regular, size, room);
    let left = ((width as f32 - text_width(&text, Font::Regular, size)) / 2.0).max(0.0);
    let baseline = em * CAPTION_BASELINE_EM;

    let mut raster = Rasterizer::new(width, rows);
    let mut pen_x = left;
    for placed in place(&text, Font::Regular) {
        if let Some(glyph) = placed.face.font_ref().and_then(|f| f.outline_glyphs().get(placed.glyph)) {
            let mut pen =
                RasterPen { raster: &mut raster, dx: pen_x, baseline, start: point(0.0, 0.0), at: point(0.0, 0.0) };
            // A glyph that cannot be drawn is left blank; the rest of the caption still prints.
            let _ = glyph.draw(DrawSettings::unhinted(Size::new(size), LocationRef::default()), &mut pen);
        }
        pen_x += placed.advance * size;
    }
    let mut band = vec![WHITE; width * rows];
    raster.for_each_pixel(|i, coverage| {
        if let Some(px) = band.get_mut(i) {
            *px = (255.0 * (1.0 - coverage.clamp(0.0, 1.0))).round() as u8;
        }
    });
    band
}

/// Feeds a glyph outline (font units scaled to pixels, y up) to the
/// rasterizer (pixels, y down), moved to its place on the baseline.
struct RasterPen<'a> {
    raster: &'a mut Rasterizer,
    dx: f32,
    baseline: f32,
    start: Point,
    at: Point,
}

impl RasterPen<'_> {
    fn map(&self, x: f32, y: f32) -> Point {
        point(self.dx + x, self.baseline - y)
    }
}

impl OutlinePen for RasterPen<'_> {
    fn move_to(&mut self, x: f32, y: f32) {
        self.at = self.map(x, y);
        self.start = self.at;
    }

    fn line_to(&mut self, x: f32, y: f32) {
        let to = self.map(x, y);
        self.raster.draw_line(self.at, to);
        self.at = to;
    }

    fn quad_to(&mut self, cx0: f32, cy0: f32, x: f32, y: f32) {
        let (c, to) = (self.map(cx0, cy0), self.map(x, y));
        self.raster.draw_quad(self.at, c, to);
        self.at = to;
    }

    fn curve_to(&mut self, cx0: f32, cy0: f32, cx1: f32, cy1: f32, x: f32, y: f32) {
        let (c0, c1, to) = (self.map(cx0, cy0), self.map(cx1, cy1), self.map(x, y));
        self.raster.draw_cubic(self.at, c0, c1, to);
        self.at = to;
    }

    fn close(&mut self) {
        if self.at != self.start {
            self.raster.draw_line(self.at, self.start);
        }
        self.at = self.start;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::code128::encode;
    use crate::inspect::decode_luma;

    struct Decoded {
        width: usize,
        height: usize,
        rows: Vec<Vec<u8>>,
    }

    /// Reads the file back with the `png` crate's decoder.
    fn decode_png(bytes: &[u8]) -> Decoded {
        let decoder = png::Decoder::new(std::io::Cursor::new(bytes));
        let mut reader = decoder.read_info().expect("a PNG");
        let mut buf = vec![0; reader.output_buffer_size().expect("size")];
        let info = reader.next_frame(&mut buf).expect("one frame");
        assert_eq!((info.color_type, info.bit_depth), (png::ColorType::Grayscale, png::BitDepth::Eight));
        let (width, height) = (info.width as usize, info.height as usize);
        let rows = buf[..info.buffer_size()].chunks(info.line_size).map(<[u8]>::to_vec).collect();
        Decoded { width, height, rows }
    }

    #[test]
    fn bars_match_the_modules_and_scan_back() {
        let code = encode("1Z999AA10123456784").expect("ascii");
        let png = barcode_png(&code, 3, 50, 10, None).expect("renders");
        let img = decode_png(&png);
        assert_eq!(img.width, (code.width() + 20) * 3);
        assert_eq!(img.height, 50);
        let expected: Vec<u8> = std::iter::repeat_n(false, 10)
            .chain(code.modules().iter().copied())
            .chain(std::iter::repeat_n(false, 10))
            .flat_map(|m| std::iter::repeat_n(if m { BLACK } else { WHITE }, 3))
            .collect();
        assert!(img.rows.iter().all(|r| *r == expected), "every bar row is the symbol");
        let luma: Vec<u8> = img.rows.concat();
        assert_eq!(decode_luma(luma, img.width, img.height), ["1Z999AA10123456784"]);
    }

    #[test]
    fn caption_adds_a_fixed_band_with_ink_below_the_bars() {
        let code = encode("TRK-42").expect("ascii");
        let img = decode_png(&barcode_png(&code, 2, 40, 10, Some("TRK-42")).expect("renders"));
        assert_eq!(img.height, 40 + 29, "a 20 px caption in a 1.45 em band");
        let band = &img.rows[40..];
        assert!(band.iter().any(|r| r.iter().any(|&b| b < 128)), "caption is drawn");
        assert!(band[0].iter().all(|&b| b == WHITE), "margin above the text");
        // The band does not depend on the text; a blank caption is the same as none.
        let longer = decode_png(&barcode_png(&code, 2, 40, 10, Some("TRK-42 and more")).expect("renders"));
        assert_eq!(longer.height, img.height);
        let plain = barcode_png(&code, 2, 40, 10, None).expect("renders");
        assert_eq!(barcode_png(&code, 2, 40, 10, Some("  ")).expect("renders"), plain);
    }

    #[test]
    fn long_captions_stay_inside_the_image() {
        let code = encode("A").expect("ascii");
        let img = decode_png(&barcode_png(&code, 1, 10, 0, Some(&"X".repeat(200))).expect("renders"));
        assert_eq!(img.width, code.width());
        assert_eq!(img.height, 10 + 15);
    }

    #[test]
    fn parameters_are_clamped() {
        let code = encode("A").expect("ascii");
        let img = decode_png(&barcode_png(&code, 0, 0, 1000, None).expect("renders"));
        assert_eq!(img.width, code.width() + 2 * MAX_QUIET_MODULES as usize);
        assert_eq!(img.height, 1);
        let img = decode_png(&barcode_png(&code, 1000, 100_000, 0, None).expect("renders"));
        assert_eq!(img.width, code.width() * MAX_MODULE_PX as usize);
        assert_eq!(img.height, MAX_HEIGHT_PX as usize);
    }
}
