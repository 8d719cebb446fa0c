//! Reads printed documents back the way a person or a scanner would: poppler
//! rasterises each page (`pdftoppm`) and extracts its text (`pdftotext`), and
//! rxing decodes the barcodes from the raster. Tests of this crate and of the
//! servers that hand its documents out use it (feature `inspect`), so what is
//! checked is the printed page, not our own drawing instructions.
//!
//! Needs Debian's `poppler-utils` on the machine (`scripts/test` installs it).

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicU64, Ordering};

use rxing::{BarcodeFormat, DecodeHints};

/// Rasterising resolution: a 0.5 pt module is still two pixels wide.
const DPI: u32 = 300;

/// What one printed page shows.
#[derive(Debug, Clone, PartialEq)]
pub struct PrintedPage {
    /// Page size in points.
    pub width: f32,
    /// See `width`.
    pub height: f32,
    /// The page's text as poppler extracts it, in drawing order (`pdftotext -raw`).
    pub text: String,
    /// Each word with its box, in points from the top-left corner.
    pub words: Vec<Word>,
    /// The Code128 barcodes a decoder reads off the page's raster, top to bottom.
    pub barcodes: Vec<String>,
    /// For each barcode, the row (points from the top) where it was read.
    pub barcode_rows: Vec<f32>,
}

/// A word on a page and its bounding box, in points from the top-left.
#[derive(Debug, Clone, PartialEq)]
pub struct Word {
    /// The word as extracted.
    pub text: String,
    /// Left edge.
    pub x_min: f32,
    /// Top edge.
    pub y_min: f32,
    /// Right edge.
    pub x_max: f32,
    /// Bottom edge.
    pub y_max: f32,
}

impl PrintedPage {
    /// Whether some line of the extracted text is exactly `expected`, or
    /// contains it between word boundaries (items printed on one baseline
    /// come out as one line).
    pub fn shows(&self, expected: &str) -> bool {
        self.text.lines().any(|line| {
            line.match_indices(expected).any(|(at, _)| {
                let before = line[..at].chars().next_back();
                let after = line[at + expected.len()..].chars().next();
                before.is_none_or(|c| c == ' ') && after.is_none_or(|c| c == ' ')
            })
        })
    }
}

/// Renders `pdf` with poppler and reads every page back.
///
/// Fails (with poppler's message) if the tools are missing or refuse the file.
pub fn read_pdf(pdf: &[u8]) -> Result<Vec<PrintedPage>, String> {
    let dir = Scratch::new()?;
    let file = dir.0.join("doc.pdf");
    std::fs::write(&file, pdf).map_err(|e| format!("writing {}: {e}", file.display()))?;

    let bbox = run(Command::new("pdftotext").arg("-bbox").arg(&file).arg("-"))?;
    let raw = run(Command::new("pdftotext").args(["-raw", "-enc", "UTF-8"]).arg(&file).arg("-"))?;
    let mut pages = parse_bbox(&bbox);
    for (page, text) in pages.iter_mut().zip(raw.split('\u{c}')) {
        page.text = text.to_owned();
    }

    let root = dir.0.join("p");
    run(Command::new("pdftoppm").args(["-r", &DPI.to_string(), "-gray"]).arg(&file).arg(&root))?;
    let mut rasters: Vec<(u32, PathBuf)> = std::fs::read_dir(&dir.0)
        .map_err(|e| e.to_string())?
        .filter_map(|e| {
            let path = e.ok()?.path();
            let number = path.file_stem()?.to_str()?.strip_prefix("p-")?.parse().ok()?;
            Some((number, path))
        })
        .collect();
    rasters.sort();
    if rasters.len() != pages.len() {
        return Err(format!("{} rasters for {} pages", rasters.len(), pages.len()));
    }
    for (page, (_, path)) in pages.iter_mut().zip(rasters) {
        let (luma, w, h) = read_pgm(&path)?;
        let scale = 72.0 / DPI as f32;
        for (text, row) in decode_bands(&luma, w, h) {
            page.barcodes.push(text);
            page.barcode_rows.push(row * scale);
        }
    }
    Ok(pages)
}

/// Height and step of the horizontal bands a page is decoded in, in points.
const BAND_PT: f32 = 12.0;
const BAND_STEP_PT: f32 = 6.0;

/// Every Code128 symbol of a page raster, top to bottom, with the pixel row it
/// was read at (the middle of the rows it was seen on).
///
/// A decoder reports one symbol per image, and a manifest carries dozens, so
/// the page is read in overlapping bands: a band lying inside a symbol sees
/// only that symbol, hence every symbol at least `BAND_PT + BAND_STEP_PT` tall
/// is found (symbols side by side on the same rows are not all found). Bands
/// one or two apart reading the same text are the same symbol.
fn decode_bands(luma: &[u8], width: usize, height: usize) -> Vec<(String, f32)> {
    let px = |pt: f32| ((pt * DPI as f32 / 72.0) as usize).max(1);
    let (band, step) = (px(BAND_PT), px(BAND_STEP_PT));
    // (text, first row, last row, last band it was read in)
    let mut found: Vec<(String, f32, f32, usize)> = Vec::new();
    let mut top = 0;
    for index in 0.. {
        let bottom = (top + band).min(height);
        let mut hints = DecodeHints { TryHarder: Some(false), ..DecodeHints::default() };
        let read = rxing::helpers::detect_in_luma_slice_with_hints(
            &luma[top * width..bottom * width],
            dimension(width),
            dimension(bottom - top),
            Some(BarcodeFormat::CODE_128),
            &mut hints,
        );
        if let Ok(symbol) = read {
            let points = symbol.getPoints();
            let row = top as f32 + points.iter().map(|p| p.y).sum::<f32>() / points.len().max(1) as f32;
            let text = symbol.getText();
            match found.iter_mut().rev().find(|f| f.0 == text && index - f.3 <= 2) {
                Some(seen) => (seen.2, seen.3) = (row, index),
                None => found.push((text.to_owned(), row, row, index)),
            }
        }
        if bottom >= height {
            break;
        }
        top += step;
    }
    found.into_iter().map(|(text, first, last, _)| (text, (first + last) / 2.0)).collect()
}

/// Decodes the Code128 symbols of a grayscale image (one byte a pixel).
pub fn decode_luma(luma: Vec<u8>, width: usize, height: usize) -> Vec<String> {
    rxing::helpers::detect_in_luma(luma, dimension(width), dimension(height), Some(BarcodeFormat::CODE_128))
        .map(|r| vec![r.getText().to_owned()])
        .unwrap_or_default()
}

/// Decodes bare modules by drawing them as an image (2 px a module, with
/// quiet zones) and scanning that.
pub fn decode_modules(modules: &[bool]) -> Option<String> {
    let (module_px, quiet, height) = (2, 10, 30);
    let row: Vec<u8> = std::iter::repeat_n(false, quiet)
        .chain(modules.iter().copied())
        .chain(std::iter::repeat_n(false, quiet))
        .flat_map(|m| std::iter::repeat_n(if m { 0 } else { 255 }, module_px))
        .collect();
    let width = row.len();
    decode_luma(row.repeat(height), width, height).pop()
}

fn dimension(v: usize) -> u32 {
    u32::try_from(v).unwrap_or(u32::MAX)
}

fn run(cmd: &mut Command) -> Result<String, String> {
    let out = cmd.output().map_err(|e| format!("{cmd:?}: {e} (is poppler-utils installed?)"))?;
    if !out.status.success() {
        return Err(format!("{cmd:?}: {}", String::from_utf8_lossy(&out.stderr)));
    }
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

/// The pages and words of `pdftotext -bbox` (XHTML, one `<page>` per page).
fn parse_bbox(html: &str) -> Vec<PrintedPage> {
    let mut pages = Vec::new();
    for chunk in html.split("<page ").skip(1) {
        let (head, body) = chunk.split_once('>').unwrap_or((chunk, ""));
        let mut page = PrintedPage {
            width: attr(head, "width"),
            height: attr(head, "height"),
            text: String::new(),
            words: Vec::new(),
            barcodes: Vec::new(),
            barcode_rows: Vec::new(),
        };
        for word in body.split("<word ").skip(1) {
            let (head, rest) = word.split_once('>').unwrap_or((word, ""));
            let text = rest.split("</word>").next().unwrap_or("");
            page.words.push(Word {
                text: unescape(text),
                x_min: attr(head, "xMin"),
                y_min: attr(head, "yMin"),
                x_max: attr(head, "xMax"),
                y_max: attr(head, "yMax"),
            });
        }
        pages.push(page);
    }
    pages
}

fn attr(tag: &str, name: &str) -> f32 {
    tag.split(&format!("{name}=\""))
        .nth(1)
        .and_then(|v| v.split('"').next())
        .and_then(|v| v.parse().ok())
        .unwrap_or(f32::NAN)
}

fn unescape(text: &str) -> String {
    text.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&apos;", "'").replace("&amp;", "&")
}

/// A binary PGM (`P5`, 8-bit) as pdftoppm `-gray` writes it.
fn read_pgm(path: &Path) -> Result<(Vec<u8>, usize, usize), String> {
    let bytes = std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let mut fields = Vec::new();
    let mut at = 0;
    while fields.len() < 4 {
        while at < bytes.len() && bytes[at].is_ascii_whitespace() {
            at += 1;
        }
        let start = at;
        while at < bytes.len() && !bytes[at].is_ascii_whitespace() {
            at += 1;
        }
        if start == at {
            return Err(format!("{}: truncated header", path.display()));
        }
        fields.push(String::from_utf8_lossy(&bytes[start..at]).into_owned());
    }
    let number = |i: usize| fields[i].parse::<usize>().map_err(|e| format!("{}: {e}", path.display()));
    let (w, h, max) = (number(1)?, number(2)?, number(3)?);
    if fields[0] != "P5" || max != 255 {
        return Err(format!("{}: not an 8-bit P5 graymap", path.display()));
    }
    let data = bytes.get(at + 1..at + 1 + w * h).ok_or_else(|| format!("{}: short data", path.display()))?;
    Ok((data.to_vec(), w, h))
}

/// A private scratch directory, removed when dropped.
struct Scratch(PathBuf);

impl Scratch {
    fn new() -> Result<Self, String> {
        static NEXT: AtomicU64 = AtomicU64::new(0);
        let n = NEXT.fetch_add(1, Ordering::Relaxed);
        let dir = std::env::temp_dir().join(format!("entrepot-labels-{}-{n}", std::process::id()));
        std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        Ok(Self(dir))
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}
