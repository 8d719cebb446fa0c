//! Text handling for the two standard PDF fonts we use (Helvetica and
//! Helvetica-Bold): WinAnsi encoding and glyph widths.
//!
//! Using the built-in base-14 fonts means no font files are embedded, keeping
//! labels tiny and deterministic; the price is that only WinAnsi characters
//! print, and that layout needs the fonts' metrics, which live here.

/// Which of the two label fonts a piece of text uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Font {
    /// Body text.
    Helvetica,
    /// Headings and the values a picker must read at a glance.
    HelveticaBold,
}

impl Font {
    /// PDF resource name under which the page resources expose this font.
    pub(crate) fn resource(self) -> &'static str {
        match self {
            Font::Helvetica => "F1",
            Font::HelveticaBold => "F2",
        }
    }

    /// PostScript name of the standard font.
    pub(crate) fn base_font(self) -> &'static str {
        match self {
            Font::Helvetica => "Helvetica",
            Font::HelveticaBold => "Helvetica-Bold",
        }
    }
}

/// Advance widths (1/1000 em) for ASCII 32..=126, from the Adobe AFM files.
const HELVETICA: [u16; 95] = [
    278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278, // ' '../
    556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556, // 0..?
    1015, 667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722, 778, // @..O
    667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469, 556, // P.._
    333, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556, // `..o
    556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584, // p..~
];

const HELVETICA_BOLD: [u16; 95] = [
    278, 333, 474, 556, 556, 889, 722, 238, 333, 333, 389, 584, 278, 333, 278, 278, // ' '../
    556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 333, 333, 584, 584, 584, 611, // 0..?
    975, 722, 722, 722, 722, 667, 611, 778, 722, 278, 556, 722, 611, 833, 722, 778, // @..O
    667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 333, 278, 333, 584, 556, // P.._
    333, 556, 611, 556, 611, 556, 333, 611, 611, 278, 278, 556, 278, 889, 611, 611, // `..o
    611, 611, 389, 556, 333, 611, 556, 778, 556, 556, 500, 389, 280, 389, 584, // p..~
];

/// WinAnsi code points 0x80..=0x9F that differ from Latin-1 (which has
/// control characters there). Unlisted slots are undefined in WinAnsi.
const WIN_ANSI_HIGH: [(char, u8); 27] = [
    ('€', 0x80),
    ('‚', 0x82),
    ('ƒ', 0x83),
    ('„', 0x84),
    ('…', 0x85),
    ('†', 0x86),
    ('‡', 0x87),
    ('ˆ', 0x88),
    ('‰', 0x89),
    ('Š', 0x8A),
    ('‹', 0x8B),
    ('Œ', 0x8C),
    ('Ž', 0x8E),
    ('\u{2018}', 0x91),
    ('\u{2019}', 0x92),
    ('\u{201C}', 0x93),
    ('\u{201D}', 0x94),
    ('•', 0x95),
    ('–', 0x96),
    ('—', 0x97),
    ('˜', 0x98),
    ('™', 0x99),
    ('š', 0x9A),
    ('›', 0x9B),
    ('œ', 0x9C),
    ('ž', 0x9E),
    ('Ÿ', 0x9F),
];

/// Maps one character to its WinAnsi byte: Latin-1 passes through, the
/// typographic extras WinAnsi adds are mapped, whitespace controls become a
/// space and anything else becomes `?`, so foreign scripts degrade visibly
/// instead of producing broken PDF text.
pub(crate) fn win_ansi(ch: char) -> u8 {
    match ch {
        '\t' | '\n' | '\r' => b' ',
        ' '..='~' | '\u{A0}'..='\u{FF}' => u8::try_from(u32::from(ch)).unwrap_or(b'?'),
        _ => WIN_ANSI_HIGH.iter().find(|(c, _)| *c == ch).map_or(b'?', |&(_, b)| b),
    }
}

/// Encodes text as WinAnsi bytes (see [`win_ansi`]).
pub(crate) fn encode_win_ansi(text: &str) -> Vec<u8> {
    text.chars().map(win_ansi).collect()
}

fn glyph_width(font: Font, byte: u8) -> u16 {
    let table = match font {
        Font::Helvetica => &HELVETICA,
        Font::HelveticaBold => &HELVETICA_BOLD,
    };
    match byte {
        32..=126 => table[usize::from(byte - 32)],
        // Accented capitals and ligatures: as wide as the widest capitals.
        0xC0..=0xDE | 0x8C | 0x8A | 0x8E | 0x9F => 778,
        0x80..=0x9F => 1000,
        // Other Latin-1: a generous lower-case width, so estimates never run short.
        _ => 611,
    }
}

/// Width in points of `text` set in `font` at `size`, so documents can
/// centre, right-align and truncate text before writing it.
pub fn text_width(text: &str, font: Font, size: f32) -> f32 {
    let units: u32 = text.chars().map(|ch| u32::from(glyph_width(font, win_ansi(ch)))).sum();
    units as f32 * size / 1000.0
}

/// Shortens `text` with a trailing "..." so it fits `max_width`; long titles
/// and addresses must never run off a label or over a barcode.
pub fn fit_text(text: &str, font: Font, size: f32, max_width: f32) -> String {
    if text_width(text, font, size) <= max_width {
        return text.to_owned();
    }
    let ellipsis = "...";
    let budget = max_width - text_width(ellipsis, font, size);
    let mut out = String::new();
    let mut used = 0.0;
    for ch in text.chars() {
        let w = f32::from(glyph_width(font, win_ansi(ch))) * size / 1000.0;
        if used + w > budget {
            break;
        }
        used += w;
        out.push(ch);
    }
    let trimmed = out.trim_end().len();
    out.truncate(trimmed);
    out.push_str(ellipsis);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn win_ansi_mapping() {
        assert_eq!(encode_win_ansi("Abc"), b"Abc");
        assert_eq!(encode_win_ansi("Müller"), b"M\xFCller");
        assert_eq!(encode_win_ansi("€5 – ok"), b"\x805 \x96 ok");
        assert_eq!(encode_win_ansi("東京"), b"??");
        assert_eq!(encode_win_ansi("a\tb\u{7}\u{85}"), b"a b??");
    }

    #[test]
    fn widths_match_afm() {
        assert_eq!(text_width("0", Font::Helvetica, 1000.0), 556.0);
        assert_eq!(text_width("W", Font::Helvetica, 1000.0), 944.0);
        assert_eq!(text_width("i", Font::Helvetica, 1000.0), 222.0);
        assert_eq!(text_width("i", Font::HelveticaBold, 1000.0), 278.0);
        assert_eq!(text_width("@", Font::HelveticaBold, 1000.0), 975.0);
        assert!((text_width("Hello", Font::Helvetica, 10.0) - 22.78).abs() < 0.001);
    }

    #[test]
    fn fit_text_truncates_with_ellipsis() {
        assert_eq!(fit_text("short", Font::Helvetica, 10.0, 100.0), "short");
        let long = "A very long product title that cannot fit on a small label";
        let fitted = fit_text(long, Font::Helvetica, 8.0, 80.0);
        assert!(fitted.ends_with("..."), "{fitted}");
        assert!(text_width(&fitted, Font::Helvetica, 8.0) <= 80.0);
        assert!(long.starts_with(fitted.trim_end_matches("...")));
        assert_eq!(fit_text("WWW", Font::Helvetica, 10.0, 1.0), "...");
    }
}
