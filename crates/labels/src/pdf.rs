//! Label-sized PDF pages: text, rules and barcodes, written by krilla.
//!
//! Layout code draws in PDF points with the origin at the bottom-left corner
//! (as PDF itself measures); the page records what it is asked to draw and
//! [`PdfDocument::finish`] hands it to krilla, which embeds the fonts (subset
//! to the glyphs used), writes ToUnicode maps so the text can be searched and
//! copied, and compresses the content. The output is deterministic: no dates
//! or random ids, so the same input yields the same bytes.

use krilla::geom::{PathBuilder, Point, Rect};
use krilla::page::PageSettings;
use krilla::paint::{Fill, Stroke};
use krilla::text::{GlyphId, KrillaGlyph};
use krilla::{Document, SerializeSettings};

use crate::code128::Barcode;
use crate::error::LabelError;
use crate::fonts::{place, Font};

/// A document being built; pages keep the order they were added in.
#[derive(Debug, Clone, Default)]
pub struct PdfDocument {
    pages: Vec<Page>,
}

/// One page's drawing, in PDF points from the bottom-left corner.
#[derive(Debug, Clone)]
pub struct Page {
    width: f32,
    height: f32,
    ops: Vec<Op>,
}

#[derive(Debug, Clone)]
enum Op {
    Text {
        font: Font,
        x: f32,
        y: f32,
        size: f32,
        text: String,
    },
    /// Filled rectangles `[x, y, w, h]`, drawn as one path (a barcode's bars).
    Fill(Vec<[f32; 4]>),
    Line {
        from: (f32, f32),
        to: (f32, f32),
        width: f32,
    },
}

impl PdfDocument {
    /// Starts an empty document.
    pub fn new() -> Self {
        Self::default()
    }

    /// Appends a page of the given size and returns it for drawing, so each
    /// document type can choose its own label stock size.
    pub fn add_page(&mut self, width_pt: f32, height_pt: f32) -> &mut Page {
        self.pages.push(Page { width: width_pt, height: height_pt, ops: Vec::new() });
        let last = self.pages.len() - 1;
        &mut self.pages[last]
    }

    /// Number of pages added so far, e.g. to check copies before finishing.
    pub fn page_count(&self) -> usize {
        self.pages.len()
    }

    /// Writes the PDF. Fails only if krilla refuses a page size or a font,
    /// which the documents of this crate never ask for.
    pub fn finish(self) -> Result<Vec<u8>, LabelError> {
        let settings = SerializeSettings { xmp_metadata: false, enable_tagging: false, ..SerializeSettings::default() };
        let mut doc = Document::new_with(settings);
        for page in &self.pages {
            let size = PageSettings::from_wh(page.width, page.height)
                .ok_or_else(|| LabelError::Render(format!("page size {} x {}", page.width, page.height)))?;
            let mut pdf_page = doc.start_page_with(size);
            let mut surface = pdf_page.surface();
            for op in &page.ops {
                page.draw(&mut surface, op);
            }
            surface.finish();
            pdf_page.finish();
        }
        doc.finish().map_err(|e| LabelError::Render(format!("{e:?}")))
    }
}

impl Page {
    /// Page width in points, so layout code can right-align and centre.
    pub fn width(&self) -> f32 {
        self.width
    }

    /// Page height in points; layout usually measures down from the top.
    pub fn height(&self) -> f32 {
        self.height
    }

    /// Writes regular text with its baseline starting at `(x, y)`.
    pub fn text(&mut self, x: f32, y: f32, size: f32, text: &str) {
        self.text_in(Font::Regular, x, y, size, text);
    }

    /// Writes bold text, for headings and must-read values.
    pub fn text_bold(&mut self, x: f32, y: f32, size: f32, text: &str) {
        self.text_in(Font::Bold, x, y, size, text);
    }

    /// Writes text in an explicit weight, for layout code that picks it at
    /// run time. Any script the vendored fonts cover prints (see `fonts`).
    pub fn text_in(&mut self, font: Font, x: f32, y: f32, size: f32, text: &str) {
        if !text.is_empty() {
            self.ops.push(Op::Text { font, x, y, size, text: text.to_owned() });
        }
    }

    /// Fills a black rectangle whose lower-left corner is `(x, y)`.
    pub fn rect(&mut self, x: f32, y: f32, w: f32, h: f32) {
        self.ops.push(Op::Fill(vec![[x, y, w, h]]));
    }

    /// Strokes a black line `width` points thick, for rules and borders.
    pub fn line(&mut self, x1: f32, y1: f32, x2: f32, y2: f32, width: f32) {
        self.ops.push(Op::Line { from: (x1, y1), to: (x2, y2), width });
    }

    /// Draws `barcode` with its lower-left corner at `(x, y)`, one filled
    /// rectangle per bar, so it stays sharp at any printer resolution.
    /// The caller leaves room for the quiet zone.
    pub fn barcode(&mut self, x: f32, y: f32, module_width: f32, height: f32, barcode: &Barcode) {
        let bars = barcode
            .bars()
            .into_iter()
            .map(|(start, modules)| [x + start as f32 * module_width, y, modules as f32 * module_width, height])
            .collect();
        self.ops.push(Op::Fill(bars));
    }

    /// krilla measures down from the top-left corner.
    fn flip(&self, y: f32) -> f32 {
        self.height - y
    }

    fn draw(&self, surface: &mut krilla::surface::Surface<'_>, op: &Op) {
        match op {
            Op::Text { font, x, y, size, text } => {
                surface.set_stroke(None);
                surface.set_fill(Some(Fill::default()));
                let mut pen = *x;
                // One run per stretch of characters set in the same face.
                let placed = place(text, *font);
                for run in placed.chunk_by(|a, b| a.face == b.face) {
                    let Some(pdf_font) = run[0].face.pdf_font() else { continue };
                    let mut chars = String::new();
                    let glyphs: Vec<KrillaGlyph> = run
                        .iter()
                        .map(|p| {
                            let start = chars.len();
                            chars.push(p.ch);
                            let id = GlyphId::new(p.glyph.to_u32());
                            KrillaGlyph::new(id, p.advance, 0.0, 0.0, 0.0, start..chars.len(), None)
                        })
                        .collect();
                    let at = Point::from_xy(pen, self.flip(*y));
                    surface.draw_glyphs(at, &glyphs, pdf_font, &chars, *size, false);
                    pen += run.iter().map(|p| p.advance).sum::<f32>() * size;
                }
            }
            Op::Fill(rects) => {
                let mut path = PathBuilder::new();
                for &[x, y, w, h] in rects {
                    if let Some(rect) = Rect::from_xywh(x, self.flip(y + h), w, h) {
                        path.push_rect(rect);
                    }
                }
                if let Some(path) = path.finish() {
                    surface.set_stroke(None);
                    surface.set_fill(Some(Fill::default()));
                    surface.draw_path(&path);
                }
            }
            Op::Line { from, to, width } => {
                let mut path = PathBuilder::new();
                path.move_to(from.0, self.flip(from.1));
                path.line_to(to.0, self.flip(to.1));
                if let Some(path) = path.finish() {
                    surface.set_fill(None);
                    surface.set_stroke(Some(Stroke { width: *width, ..Stroke::default() }));
                    surface.draw_path(&path);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::code128::encode;
    use crate::inspect::read_pdf;

    /// A PDF needs a page: an empty document is one blank page (krilla adds it).
    #[test]
    fn empty_document_is_one_blank_page() {
        let pdf = PdfDocument::new().finish().expect("renders");
        assert!(pdf.starts_with(b"%PDF-"));
        let pages = read_pdf(&pdf).expect("poppler reads it");
        assert_eq!(pages.len(), 1);
        assert!(pages[0].words.is_empty() && pages[0].barcodes.is_empty());
    }

    #[test]
    fn pages_keep_their_size_order_and_text() {
        let mut doc = PdfDocument::new();
        doc.add_page(288.0, 432.0).text(20.0, 400.0, 12.0, "first");
        let second = doc.add_page(100.0, 50.0);
        second.text_bold(10.0, 20.0, 10.0, "Łódź 陶瓷杯");
        second.line(0.0, 10.0, 100.0, 10.0, 1.0);
        assert_eq!(doc.page_count(), 2);
        let pages = read_pdf(&doc.finish().expect("renders")).expect("poppler reads it");
        assert_eq!(pages.len(), 2);
        assert_eq!((pages[0].width, pages[0].height), (288.0, 432.0));
        assert_eq!((pages[1].width, pages[1].height), (100.0, 50.0));
        assert_eq!(pages[0].text.trim(), "first");
        assert_eq!(pages[1].text.trim(), "Łódź 陶瓷杯");
        // Drawn from the bottom-left: the baseline 20 pt up is 30 pt down on a 50 pt page.
        let word = &pages[1].words[0];
        assert!(word.y_min < 30.0 && word.y_max > 30.0 && word.y_max < 34.0, "{word:?}");
    }

    #[test]
    fn barcode_bars_scan_back() {
        let code = encode("ABC-123456").expect("ascii");
        let mut doc = PdfDocument::new();
        let module = 1.0;
        let page = doc.add_page((code.width() + 40) as f32 * module, 60.0);
        page.barcode(20.0, 10.0, module, 40.0, &code);
        let pages = read_pdf(&doc.finish().expect("renders")).expect("poppler reads it");
        assert_eq!(pages[0].barcodes, ["ABC-123456"]);
    }

    #[test]
    fn output_is_deterministic() {
        let build = || {
            let mut doc = PdfDocument::new();
            let page = doc.add_page(200.0, 100.0);
            page.text(10.0, 80.0, 9.0, "Hello, Říčany");
            page.barcode(10.0, 10.0, 1.0, 30.0, &encode("X1").expect("ascii"));
            doc.finish().expect("renders")
        };
        assert_eq!(build(), build());
    }
}
