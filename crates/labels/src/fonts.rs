//! The fonts labels print with, and the text measuring that layout needs.
//!
//! Addresses come from anywhere in Europe and product names often from China,
//! so labels embed Noto Sans (Latin, Greek, Cyrillic; regular and bold) and
//! Noto Sans CJK SC (GB2312's characters), vendored under `fonts/` with their
//! licence (OFL) and reduced by `fonts/make-subset.sh`; each PDF then embeds
//! only the glyphs it uses (krilla subsets them). A character Noto Sans lacks
//! is taken from the CJK font (which has no bold: bold Chinese prints regular);
//! one neither has prints as `?`, visibly, rather than as an empty box.
//!
//! Text is set glyph by glyph from the fonts' own advance widths, without
//! kerning or shaping: label text is short, and what is measured here for
//! truncation and alignment is then exactly what is drawn.

use std::sync::LazyLock;

use skrifa::instance::{LocationRef, Size};
use skrifa::{FontRef, GlyphId, MetadataProvider};

static NOTO_SANS_REGULAR: &[u8] = include_bytes!("../fonts/NotoSans-Regular.ttf");
static NOTO_SANS_BOLD: &[u8] = include_bytes!("../fonts/NotoSans-Bold.ttf");
static NOTO_SANS_SC: &[u8] = include_bytes!("../fonts/NotoSansSC-Regular.otf");

/// The vendored Chinese face (GB2312's characters), for the console to serve as a web font to
/// screens without a Chinese font of their own: one copy in the binary for both uses.
pub fn chinese_web_font() -> (&'static str, &'static [u8]) {
    ("NotoSansSC-Regular.otf", NOTO_SANS_SC)
}

/// Which of the two label weights a piece of text uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Font {
    /// Body text.
    Regular,
    /// Headings and the values a picker must read at a glance.
    Bold,
}

/// One of the vendored font files.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Face {
    SansRegular,
    SansBold,
    Cjk,
}

impl Face {
    const ALL: [Face; 3] = [Face::SansRegular, Face::SansBold, Face::Cjk];

    fn bytes(self) -> &'static [u8] {
        match self {
            Face::SansRegular => NOTO_SANS_REGULAR,
            Face::SansBold => NOTO_SANS_BOLD,
            Face::Cjk => NOTO_SANS_SC,
        }
    }

    fn index(self) -> usize {
        match self {
            Face::SansRegular => 0,
            Face::SansBold => 1,
            Face::Cjk => 2,
        }
    }

    /// The face as krilla embeds it; parsed once per process.
    pub(crate) fn pdf_font(self) -> Option<krilla::text::Font> {
        static PDF: LazyLock<Vec<Option<krilla::text::Font>>> = LazyLock::new(|| {
            Face::ALL.iter().map(|f| krilla::text::Font::new(krilla::Data::from(f.bytes()), 0)).collect()
        });
        PDF.get(self.index()).cloned().flatten()
    }

    pub(crate) fn font_ref(self) -> Option<FontRef<'static>> {
        FontRef::new(self.bytes()).ok()
    }
}

/// What layout needs of a face: its character map and advance widths.
struct Metrics {
    font: FontRef<'static>,
    units_per_em: f32,
}

static METRICS: LazyLock<Vec<Option<Metrics>>> = LazyLock::new(|| {
    Face::ALL
        .iter()
        .map(|f| {
            let font = f.font_ref()?;
            let units_per_em = f32::from(font.metrics(Size::unscaled(), LocationRef::default()).units_per_em);
            if units_per_em <= 0.0 {
                return None;
            }
            Some(Metrics { font, units_per_em })
        })
        .collect()
});

/// One character as it will be drawn: the face and glyph chosen for it, its
/// advance in em, and the character the glyph stands for (`?` if none had it).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Placed {
    pub face: Face,
    pub glyph: GlyphId,
    pub advance: f32,
    pub ch: char,
}

/// Chooses the glyph for every character of `text`, with the fallbacks above.
/// Line breaks and tabs become spaces; other control characters print as `?`.
pub(crate) fn place(text: &str, font: Font) -> Vec<Placed> {
    let primary = match font {
        Font::Regular => Face::SansRegular,
        Font::Bold => Face::SansBold,
    };
    let faces = [primary, Face::Cjk];
    let loaded: Vec<(Face, skrifa::charmap::Charmap<'static>, skrifa::metrics::GlyphMetrics<'static>, f32)> = faces
        .iter()
        .filter_map(|&f| {
            let m = METRICS.get(f.index())?.as_ref()?;
            let metrics = m.font.glyph_metrics(Size::unscaled(), LocationRef::default());
            Some((f, m.font.charmap(), metrics, m.units_per_em))
        })
        .collect();
    let find = |ch: char| {
        loaded.iter().find_map(|(face, charmap, metrics, upem)| {
            let glyph = charmap.map(ch).filter(|g| g.to_u32() != 0)?;
            let advance = metrics.advance_width(glyph).unwrap_or(0.0) / upem;
            Some(Placed { face: *face, glyph, advance, ch })
        })
    };
    text.chars()
        .filter_map(|ch| {
            let ch = match ch {
                '\t' | '\n' | '\r' => ' ',
                c if c.is_control() => '?',
                c => c,
            };
            find(ch).or_else(|| find('?'))
        })
        .collect()
}

/// Width in points of `text` set in `font` at `size`, so documents can
/// centre, right-align and truncate text before writing it.
pub fn text_width(text: &str, font: Font, size: f32) -> f32 {
    place(text, font).iter().map(|p| p.advance).sum::<f32>() * size
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
    for (ch, placed) in text.chars().zip(place(text, font)) {
        let w = placed.advance * size;
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
    fn every_face_loads() {
        for face in Face::ALL {
            assert!(face.pdf_font().is_some(), "{face:?}");
            assert!(METRICS[face.index()].is_some(), "{face:?}");
        }
    }

    #[test]
    fn european_letters_come_from_noto_sans_and_chinese_from_cjk() {
        let placed = place("Łódź Říčany Æøå ΑΩ Жж 陶瓷杯", Font::Bold);
        for p in &placed {
            let cjk = ('\u{4E00}'..='\u{9FFF}').contains(&p.ch);
            assert_eq!(p.face, if cjk { Face::Cjk } else { Face::SansBold }, "{}", p.ch);
            assert!(p.advance > 0.0 && p.glyph.to_u32() != 0, "{}", p.ch);
        }
        assert_eq!(placed.iter().map(|p| p.ch).collect::<String>(), "Łódź Říčany Æøå ΑΩ Жж 陶瓷杯");
        // A character no vendored font has prints as a visible question mark.
        let odd = place("a\u{1F600}\u{7}\tb", Font::Regular);
        assert_eq!(odd.iter().map(|p| p.ch).collect::<String>(), "a?? b");
    }

    #[test]
    fn widths_come_from_the_fonts() {
        // Noto Sans: digits are tabular (572/1000 em), "i" narrower than "W", bold wider.
        assert!((text_width("0", Font::Regular, 1000.0) - 572.0).abs() < 1.0);
        assert!(text_width("i", Font::Regular, 10.0) < text_width("W", Font::Regular, 10.0));
        assert!(text_width("Hello", Font::Bold, 10.0) > text_width("Hello", Font::Regular, 10.0));
        // CJK ideographs are a full em wide.
        assert!((text_width("陶瓷杯", Font::Regular, 10.0) - 30.0).abs() < 0.01);
    }

    #[test]
    fn fit_text_truncates_with_ellipsis() {
        assert_eq!(fit_text("short", Font::Regular, 10.0, 100.0), "short");
        let long = "A very long product title that cannot fit on a small label";
        let fitted = fit_text(long, Font::Regular, 8.0, 80.0);
        assert!(fitted.ends_with("..."), "{fitted}");
        assert!(text_width(&fitted, Font::Regular, 8.0) <= 80.0);
        assert!(long.starts_with(fitted.trim_end_matches("...")));
        assert_eq!(fit_text("WWW", Font::Regular, 10.0, 1.0), "...");
        let chinese = fit_text("陶瓷杯 咖啡杯 带盖 350毫升 白色", Font::Regular, 10.0, 60.0);
        assert!(chinese.starts_with("陶瓷杯") && chinese.ends_with("..."), "{chinese}");
    }
}
