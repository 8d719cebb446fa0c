//! Barcode images as PNG, for screens and for printers that take images
//! rather than PDF (the Bird barcode endpoint serves these).
//!
//! The image is 1-bit grayscale: barcodes are pure black and white, and with
//! uncompressed (stored) deflate a bit per pixel keeps files small.

use crate::bitmap_font::{self, GLYPH_HEIGHT, GLYPH_WIDTH};
use crate::code128::Barcode;
use crate::zlib::{crc32, zlib_stored};

/// Upper bounds for the size parameters, so a request parameter can never
/// make us allocate an absurd image; larger values are clamped.
pub const MAX_MODULE_PX: u32 = 16;
/// See [`MAX_MODULE_PX`].
pub const MAX_HEIGHT_PX: u32 = 1024;
/// See [`MAX_MODULE_PX`].
pub const MAX_QUIET_MODULES: u32 = 50;

const SIGNATURE: [u8; 8] = [0x89, b'P', b'N', b'G', b'\r', b'\n', 0x1A, b'\n'];

/// Renders `barcode` as a PNG with `module_px` pixels per module, bars
/// `height_px` tall and `quiet_modules` of white on each side (scanners need
/// ten). With a caption, the text is drawn under the bars in a built-in 5x7
/// font (digits, capitals and `-./:_+#`; anything else prints as `?`).
/// Zero or oversized parameters are clamped to `1..=MAX_*`.
pub fn barcode_png(
    barcode: &Barcode,
    module_px: u32,
    height_px: u32,
    quiet_modules: u32,
    caption: Option<&str>,
) -> Vec<u8> {
    let module_px = module_px.clamp(1, MAX_MODULE_PX) as usize;
    let bar_height = height_px.clamp(1, MAX_HEIGHT_PX) as usize;
    let quiet = quiet_modules.min(MAX_QUIET_MODULES) as usize;
    let width = (barcode.width() + 2 * quiet) * module_px;

    let mut bar_row = vec![false; width];
    for (start, modules) in barcode.bars() {
        let from = (quiet + start) * module_px;
        bar_row[from..from + modules * module_px].fill(true);
    }
    let caption = caption.map(str::trim).filter(|c| !c.is_empty()).map(|text| Caption::layout(text, width, module_px));
    let height = bar_height + caption.as_ref().map_or(0, Caption::band_height);

    let row_bytes = width.div_ceil(8);
    let mut raw = Vec::with_capacity((row_bytes + 1) * height);
    let packed_bars = pack(&bar_row);
    for _ in 0..bar_height {
        raw.push(0); // filter type: None
        raw.extend_from_slice(&packed_bars);
    }
    if let Some(caption) = &caption {
        for y in 0..caption.band_height() {
            let row: Vec<bool> = (0..width).map(|x| caption.ink(x, y)).collect();
            raw.push(0);
            raw.extend_from_slice(&pack(&row));
        }
    }

    let mut ihdr = Vec::with_capacity(13);
    ihdr.extend_from_slice(&dimension(width).to_be_bytes());
    ihdr.extend_from_slice(&dimension(height).to_be_bytes());
    // Bit depth 1, colour type 0 (grayscale), deflate, adaptive filters, no interlace.
    ihdr.extend_from_slice(&[1, 0, 0, 0, 0]);

    let idat = zlib_stored(&raw);
    let mut png = Vec::with_capacity(idat.len() + 64);
    png.extend_from_slice(&SIGNATURE);
    chunk(&mut png, b"IHDR", &ihdr);
    chunk(&mut png, b"IDAT", &idat);
    chunk(&mut png, b"IEND", &[]);
    png
}

/// Image sizes are bounded by the clamps above, far below `u32::MAX`.
fn dimension(v: usize) -> u32 {
    u32::try_from(v).unwrap_or(u32::MAX)
}

/// Packs black/white pixels MSB-first; in 1-bit grayscale 0 is black.
fn pack(row: &[bool]) -> Vec<u8> {
    row.chunks(8)
        .map(|px| {
            let mut byte = 0xFF_u8;
            for (i, &black) in px.iter().enumerate() {
                if black {
                    byte &= !(0x80 >> i);
                }
            }
            byte
        })
        .collect()
}

fn chunk(out: &mut Vec<u8>, kind: &[u8; 4], data: &[u8]) {
    out.extend_from_slice(&dimension(data.len()).to_be_bytes());
    out.extend_from_slice(kind);
    out.extend_from_slice(data);
    out.extend_from_slice(&crc32(&[kind, data]).to_be_bytes());
}

/// Where the caption goes: as large as fits (up to the module size, at
/// most 4x), centred, truncated only if even the smallest size overflows.
struct Caption {
    chars: Vec<char>,
    scale: usize,
    left: usize,
}

impl Caption {
    fn layout(text: &str, width: usize, module_px: usize) -> Self {
        let advance = GLYPH_WIDTH as usize + 1;
        let mut chars: Vec<char> = text.chars().collect();
        let text_width = |n: usize, s: usize| (n * advance * s).saturating_sub(s);
        let mut scale = module_px.clamp(1, 4);
        while scale > 1 && text_width(chars.len(), scale) > width {
            scale -= 1;
        }
        if text_width(chars.len(), 1) > width {
            chars.truncate((width + 1) / advance);
        }
        let left = (width - text_width(chars.len(), scale)) / 2;
        Self { chars, scale, left }
    }

    /// A blank margin of two glyph pixels above and below the text.
    fn band_height(&self) -> usize {
        (GLYPH_HEIGHT as usize + 4) * self.scale
    }

    fn ink(&self, x: usize, y: usize) -> bool {
        let s = self.scale;
        let advance = (GLYPH_WIDTH as usize + 1) * s;
        let (Some(dx), Some(dy)) = (x.checked_sub(self.left), y.checked_sub(2 * s)) else {
            return false;
        };
        let Some(&ch) = self.chars.get(dx / advance) else {
            return false;
        };
        let gx = u32::try_from((dx % advance) / s).unwrap_or(u32::MAX);
        let gy = u32::try_from(dy / s).unwrap_or(u32::MAX);
        bitmap_font::ink(ch, gx, gy)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::code128::encode;
    use crate::zlib::inflate_stored;

    struct Decoded {
        width: usize,
        height: usize,
        rows: Vec<Vec<bool>>, // true = black
    }

    /// Strict reader for exactly what we write: checks every chunk CRC.
    fn decode_png(png: &[u8]) -> Decoded {
        assert_eq!(&png[..8], &SIGNATURE, "signature");
        let mut at = 8;
        let mut chunks = Vec::new();
        while at < png.len() {
            let len = u32::from_be_bytes(png[at..at + 4].try_into().expect("len")) as usize;
            let kind = &png[at + 4..at + 8];
            let data = &png[at + 8..at + 8 + len];
            let crc = u32::from_be_bytes(png[at + 8 + len..at + 12 + len].try_into().expect("crc"));
            assert_eq!(crc, crc32(&[kind, data]), "CRC of {:?}", String::from_utf8_lossy(kind));
            chunks.push((kind.to_vec(), data.to_vec()));
            at += 12 + len;
        }
        assert_eq!(at, png.len());
        assert_eq!(chunks.first().map(|c| c.0.as_slice()), Some(&b"IHDR"[..]));
        assert_eq!(chunks.last().map(|c| c.0.as_slice()), Some(&b"IEND"[..]));
        let ihdr = &chunks[0].1;
        assert_eq!(ihdr.len(), 13);
        let width = u32::from_be_bytes(ihdr[0..4].try_into().expect("w")) as usize;
        let height = u32::from_be_bytes(ihdr[4..8].try_into().expect("h")) as usize;
        assert_eq!(&ihdr[8..], &[1, 0, 0, 0, 0], "1-bit grayscale");
        let idat: Vec<u8> = chunks.iter().filter(|c| c.0 == b"IDAT").flat_map(|c| c.1.clone()).collect();
        let raw = inflate_stored(&idat);
        let stride = width.div_ceil(8) + 1;
        assert_eq!(raw.len(), stride * height);
        let rows = raw
            .chunks(stride)
            .map(|r| {
                assert_eq!(r[0], 0, "filter None");
                (0..width).map(|x| r[1 + x / 8] & (0x80 >> (x % 8)) == 0).collect()
            })
            .collect();
        Decoded { width, height, rows }
    }

    #[test]
    fn first_row_matches_modules_with_quiet_zone() {
        let code = encode("1Z999AA10123456784").expect("ascii");
        let img = decode_png(&barcode_png(&code, 3, 50, 10, None));
        assert_eq!(img.width, (code.width() + 20) * 3);
        assert_eq!(img.height, 50);
        let expected: Vec<bool> = std::iter::repeat_n(false, 10)
            .chain(code.modules().iter().copied())
            .chain(std::iter::repeat_n(false, 10))
            .flat_map(|m| std::iter::repeat_n(m, 3))
            .collect();
        assert_eq!(img.rows[0], expected);
        assert!(img.rows.iter().all(|r| *r == expected), "every bar row is identical");
    }

    #[test]
    fn caption_adds_a_band_with_ink_below_the_bars() {
        let code = encode("TRK-42").expect("ascii");
        let img = decode_png(&barcode_png(&code, 2, 40, 10, Some("TRK-42")));
        assert!(img.height > 40);
        assert_eq!(img.height, 40 + (7 + 4) * 2);
        let band = &img.rows[40..];
        assert!(band.iter().any(|r| r.iter().any(|&b| b)), "caption is drawn");
        assert!(band[0].iter().all(|&b| !b), "margin above the text");
        // A blank caption is the same as none.
        let plain = barcode_png(&code, 2, 40, 10, None);
        assert_eq!(barcode_png(&code, 2, 40, 10, Some("  ")), plain);
    }

    #[test]
    fn long_caption_shrinks_then_truncates_to_fit() {
        let code = encode("A").expect("ascii");
        let long = "X".repeat(200);
        let img = decode_png(&barcode_png(&code, 1, 10, 0, Some(&long)));
        assert_eq!(img.width, code.width());
        assert_eq!(img.height, 10 + 11);
    }

    #[test]
    fn parameters_are_clamped() {
        let code = encode("A").expect("ascii");
        let img = decode_png(&barcode_png(&code, 0, 0, 1000, None));
        assert_eq!(img.width, code.width() + 2 * MAX_QUIET_MODULES as usize);
        assert_eq!(img.height, 1);
        let img = decode_png(&barcode_png(&code, 1000, 100_000, 0, None));
        assert_eq!(img.width, code.width() * MAX_MODULE_PX as usize);
        assert_eq!(img.height, MAX_HEIGHT_PX as usize);
    }

    #[test]
    fn large_images_span_several_stored_blocks() {
        let code = encode(&"W".repeat(60)).expect("ascii");
        let png = barcode_png(&code, 16, 1024, 10, Some("W"));
        assert!(png.len() > 2 * 65_535);
        let img = decode_png(&png);
        assert_eq!(img.rows.len(), img.height);
    }
}
