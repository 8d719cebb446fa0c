//! A minimal PDF 1.4 writer: just enough to put text, rules and barcodes on
//! label-sized pages.
//!
//! Label printers and browsers all accept plain PDF, and the documents we
//! produce only need the standard Helvetica fonts and filled rectangles. A
//! few hundred lines of our own keep the output byte-for-byte deterministic
//! (no timestamps, no IDs, uncompressed content) so tests and caches can
//! compare documents directly, without a PDF dependency.

use crate::code128::Barcode;
use crate::fonts::{encode_win_ansi, Font};
use std::fmt::Write as _;

/// A document being built; pages keep the order they were added in.
#[derive(Debug, Clone, Default)]
pub struct PdfDocument {
    pages: Vec<Page>,
}

/// One page's drawing commands. Coordinates are PDF points (1/72 inch) with
/// the origin at the bottom-left corner, as in PDF itself, so nothing is
/// silently flipped.
#[derive(Debug, Clone)]
pub struct Page {
    width: f32,
    height: f32,
    content: String,
}

impl PdfDocument {
    /// Starts an empty document.
    pub fn new() -> Self {
        Self::default()
    }

    /// Appends a page of the given size and returns it for drawing, so each
    /// document type can choose its own label stock size.
    pub fn add_page(&mut self, width_pt: f32, height_pt: f32) -> &mut Page {
        self.pages.push(Page { width: width_pt, height: height_pt, content: String::new() });
        let last = self.pages.len() - 1;
        &mut self.pages[last]
    }

    /// Number of pages added so far, e.g. to check copies before finishing.
    pub fn page_count(&self) -> usize {
        self.pages.len()
    }

    /// Serialises the document; the byte offsets in the cross-reference
    /// table are computed from the actual output, so strict readers
    /// (printers included) never have to repair the file.
    pub fn finish(self) -> Vec<u8> {
        let mut w = ObjectWriter::new();
        let page_count = self.pages.len();
        let first_page_obj = 5;
        let kids: Vec<String> = (0..page_count).map(|i| format!("{} 0 R", first_page_obj + 2 * i)).collect();
        w.object(b"<< /Type /Catalog /Pages 2 0 R >>");
        w.object(format!("<< /Type /Pages /Kids [{}] /Count {page_count} >>", kids.join(" ")).as_bytes());
        for font in [Font::Helvetica, Font::HelveticaBold] {
            w.object(
                format!("<< /Type /Font /Subtype /Type1 /BaseFont /{} /Encoding /WinAnsiEncoding >>", font.base_font())
                    .as_bytes(),
            );
        }
        for (i, page) in self.pages.iter().enumerate() {
            let content_obj = first_page_obj + 2 * i + 1;
            w.object(
                format!(
                    "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {} {}] \
                     /Resources << /Font << /F1 3 0 R /F2 4 0 R >> >> /Contents {content_obj} 0 R >>",
                    num(page.width),
                    num(page.height)
                )
                .as_bytes(),
            );
            w.stream(page.content.as_bytes());
        }
        w.finish()
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

    /// Writes regular Helvetica text with its baseline starting at `(x, y)`.
    pub fn text(&mut self, x: f32, y: f32, size: f32, text: &str) {
        self.text_in(Font::Helvetica, x, y, size, text);
    }

    /// Writes Helvetica-Bold text, for headings and must-read values.
    pub fn text_bold(&mut self, x: f32, y: f32, size: f32, text: &str) {
        self.text_in(Font::HelveticaBold, x, y, size, text);
    }

    /// Writes text in an explicit font, for layout code that picks the font
    /// at run time. Characters outside WinAnsi print as `?`.
    pub fn text_in(&mut self, font: Font, x: f32, y: f32, size: f32, text: &str) {
        let _ = writeln!(
            self.content,
            "BT /{} {} Tf {} {} Td ({}) Tj ET",
            font.resource(),
            num(size),
            num(x),
            num(y),
            escape_string(&encode_win_ansi(text))
        );
    }

    /// Fills a black rectangle whose lower-left corner is `(x, y)`.
    pub fn rect(&mut self, x: f32, y: f32, w: f32, h: f32) {
        let _ = writeln!(self.content, "{} {} {} {} re f", num(x), num(y), num(w), num(h));
    }

    /// Strokes a black line `width` points thick, for rules and borders.
    pub fn line(&mut self, x1: f32, y1: f32, x2: f32, y2: f32, width: f32) {
        let _ = writeln!(self.content, "q {} w {} {} m {} {} l S Q", num(width), num(x1), num(y1), num(x2), num(y2));
    }

    /// Draws `barcode` with its lower-left corner at `(x, y)`, one filled
    /// rectangle per bar, so it stays sharp at any printer resolution.
    /// The caller leaves room for the quiet zone.
    pub fn barcode(&mut self, x: f32, y: f32, module_width: f32, height: f32, barcode: &Barcode) {
        // A bar per few characters of the code, four numbers each: most of a label's numbers,
        // so pushed straight in, and the two every bar shares formatted once.
        let mut buf = [0u8; NUM_MAX];
        let (y, height) = (format!(" {} ", num(y)), format!(" {} re\n", num(height)));
        self.content.push_str("q\n");
        for (start, modules) in barcode.bars() {
            self.content.push_str(num_str(x + start as f32 * module_width, &mut buf));
            self.content.push_str(&y);
            self.content.push_str(num_str(modules as f32 * module_width, &mut buf));
            self.content.push_str(&height);
        }
        self.content.push_str("f\nQ\n");
    }
}

/// Formats a coordinate with at most three decimals and no exponent, which
/// is what the PDF number syntax allows. Integer thousandths, not float
/// printing, written straight into the content stream: a label has hundreds
/// of numbers, and formatting them (shortest floats, then a `String` each)
/// was a visible part of the booking loop's time.
fn num(v: f32) -> Num {
    Num(v)
}

/// See [`num`].
struct Num(f32);

impl std::fmt::Display for Num {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(num_str(self.0, &mut [0u8; NUM_MAX]))
    }
}

/// Room for the longest [`num_str`]: `-1000000.001`.
const NUM_MAX: usize = 16;

/// `v` as [`num`] formats it, written backwards into `buf` digit by digit.
fn num_str(v: f32, buf: &mut [u8; NUM_MAX]) -> &str {
    let milli = if v.is_finite() { (f64::from(v.clamp(-1.0e6, 1.0e6)) * 1000.0).round() as i64 } else { 0 };
    let abs = milli.unsigned_abs();
    let (mut whole, mut frac, mut digits) = (abs / 1000, abs % 1000, 3);
    let mut at = NUM_MAX;
    let mut put = |b: u8| {
        at -= 1;
        buf[at] = b;
    };
    if frac > 0 {
        while frac % 10 == 0 {
            frac /= 10;
            digits -= 1;
        }
        for _ in 0..digits {
            put(b'0' + (frac % 10) as u8);
            frac /= 10;
        }
        put(b'.');
    }
    loop {
        put(b'0' + (whole % 10) as u8);
        whole /= 10;
        if whole == 0 {
            break;
        }
    }
    if milli < 0 {
        put(b'-');
    }
    // Only ASCII digits, '.' and '-' were written.
    std::str::from_utf8(&buf[at..]).unwrap_or("0")
}

/// PDF literal-string escaping; non-printable bytes become octal escapes so
/// content streams stay plain ASCII.
fn escape_string(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len());
    for &b in bytes {
        match b {
            b'(' | b')' | b'\\' => {
                out.push('\\');
                out.push(char::from(b));
            }
            0x20..=0x7E => out.push(char::from(b)),
            _ => {
                let _ = write!(out, "\\{b:03o}");
            }
        }
    }
    out
}

/// Accumulates numbered objects and remembers where each one starts.
struct ObjectWriter {
    out: Vec<u8>,
    offsets: Vec<usize>,
}

impl ObjectWriter {
    fn new() -> Self {
        // The binary comment tells transfer tools the file is not text.
        let mut out = b"%PDF-1.4\n%".to_vec();
        out.extend_from_slice(&[0xE2, 0xE3, 0xCF, 0xD3]);
        out.push(b'\n');
        Self { out, offsets: Vec::new() }
    }

    fn begin(&mut self) {
        self.offsets.push(self.out.len());
        let number = self.offsets.len();
        self.out.extend_from_slice(format!("{number} 0 obj\n").as_bytes());
    }

    fn object(&mut self, body: &[u8]) {
        self.begin();
        self.out.extend_from_slice(body);
        self.out.extend_from_slice(b"\nendobj\n");
    }

    fn stream(&mut self, data: &[u8]) {
        self.begin();
        self.out.extend_from_slice(format!("<< /Length {} >>\nstream\n", data.len()).as_bytes());
        self.out.extend_from_slice(data);
        self.out.extend_from_slice(b"\nendstream\nendobj\n");
    }

    fn finish(mut self) -> Vec<u8> {
        let xref = self.out.len();
        let size = self.offsets.len() + 1;
        let mut table = format!("xref\n0 {size}\n0000000000 65535 f \n");
        for offset in &self.offsets {
            let _ = writeln!(table, "{offset:010} 00000 n ");
        }
        let _ = writeln!(table, "trailer\n<< /Size {size} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF");
        self.out.extend_from_slice(table.as_bytes());
        self.out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::code128::encode;
    use crate::pdf_check::parse;

    #[test]
    fn numbers_are_plain_decimals() {
        let num = |v: f32| num(v).to_string();
        assert_eq!(num(1.0), "1");
        assert_eq!(num(12.5), "12.5");
        assert_eq!(num(0.1234), "0.123");
        assert_eq!(num(-0.0001), "0");
        assert_eq!(num(f32::NAN), "0");
        assert_eq!(num(1.0e30), "1000000");
        assert_eq!(num(-12.05), "-12.05");
        assert_eq!(num(0.5), "0.5");
        assert_eq!(num(-3.0), "-3");
        assert_eq!(num(841.89), "841.89");
        assert_eq!(num(0.05), "0.05");
        assert_eq!(num(-0.001), "-0.001");
        assert_eq!(num(2.1), "2.1");
        assert_eq!(num(-1.0e30), "-1000000");
        assert_eq!(num(-99_999.5), "-99999.5");
        assert_eq!(num(1.0e-4), "0");
        assert_eq!(num(10.0), "10");
        assert_eq!(num(100.007), "100.007");
    }

    #[test]
    fn strings_are_escaped() {
        assert_eq!(escape_string(b"a(b)c\\d"), "a\\(b\\)c\\\\d");
        assert_eq!(escape_string(b"M\xFCller\n"), "M\\374ller\\012");
    }

    #[test]
    fn empty_document_is_still_well_formed() {
        let pdf = parse(&PdfDocument::new().finish());
        assert_eq!(pdf.pages.len(), 0);
    }

    #[test]
    fn xref_trailer_and_pages_are_consistent() {
        let mut doc = PdfDocument::new();
        let page = doc.add_page(288.0, 432.0);
        page.text(10.0, 400.0, 12.0, "Hello (world) \\ back");
        page.text_bold(10.0, 380.0, 14.0, "Müller 東京");
        page.rect(10.0, 10.0, 50.0, 2.5);
        page.line(0.0, 300.0, 288.0, 300.0, 0.75);
        doc.add_page(170.0, 85.0).text(5.0, 5.0, 6.0, "second");
        assert_eq!(doc.page_count(), 2);
        let bytes = doc.finish();
        assert!(bytes.starts_with(b"%PDF-1.4\n"));
        let pdf = parse(&bytes);
        assert_eq!(pdf.pages.len(), 2);
        assert_eq!(pdf.pages[0].media_box, [0.0, 0.0, 288.0, 432.0]);
        assert_eq!(pdf.pages[1].media_box, [0.0, 0.0, 170.0, 85.0]);
        let texts = pdf.pages[0].texts();
        assert_eq!(texts[0].text, "Hello (world) \\ back");
        assert_eq!(texts[0].font, "F1");
        assert_eq!(texts[1].text, "Müller ??");
        assert_eq!(texts[1].font, "F2");
        assert_eq!((texts[1].x, texts[1].y, texts[1].size), (10.0, 380.0, 14.0));
        assert!(pdf.pages[0].content.contains("10 10 50 2.5 re f"));
        assert!(pdf.pages[0].content.contains("0.75 w 0 300 m 288 300 l S"));
        assert_eq!(pdf.pages[1].texts()[0].text, "second");
        assert!(pdf.text().contains("second"));
    }

    #[test]
    fn barcode_draws_one_rect_per_bar_at_module_positions() {
        let code = encode("ABC-123456").expect("ascii");
        let mut doc = PdfDocument::new();
        doc.add_page(300.0, 100.0).barcode(10.0, 20.0, 1.5, 40.0, &code);
        let pdf = parse(&doc.finish());
        let bars = pdf.pages[0].bars();
        let expected = code.bars();
        assert_eq!(bars.len(), expected.len());
        for (rect, (start, width)) in bars.iter().zip(expected) {
            assert!((rect[0] - (10.0 + start as f32 * 1.5)).abs() < 0.01);
            assert!((rect[2] - width as f32 * 1.5).abs() < 0.01);
            assert_eq!((rect[1], rect[3]), (20.0, 40.0));
        }
    }

    #[test]
    fn output_is_deterministic() {
        let build = || {
            let mut doc = PdfDocument::new();
            doc.add_page(100.0, 100.0).text(1.0, 2.0, 3.0, "same");
            doc.finish()
        };
        assert_eq!(build(), build());
    }
}
