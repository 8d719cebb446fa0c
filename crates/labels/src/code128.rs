//! Code128 encoding: turns text into the bar/space modules every other format
//! in this crate draws.
//!
//! Code128 is what carriers, marketplaces and warehouse scanners all read, and
//! it covers the whole of ASCII. The symbol itself comes from rxing (the Rust
//! port of ZXing) with its compact mode, which picks code sets A/B/C for the
//! shortest symbol (a shorter symbol means wider, more readable bars on a small
//! label). This module only bounds the input and keeps the modules so the PDF
//! and PNG writers draw the same bars.

use rxing::oned::{Code128Writer, OneDimensionalCodeWriter};
use rxing::EncodeHints;

use crate::error::LabelError;

/// Longest input accepted, in characters: ZXing's (and so rxing's) bound for
/// Code128. Already at 80 characters a symbol on a 4-inch label needs bars
/// thinner than a thermal printer's dot, so longer input is a mistake.
pub const MAX_DATA_CHARS: usize = 80;

/// An encoded Code128 symbol, ready to be drawn at any scale.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Barcode {
    text: String,
    modules: Vec<bool>,
}

impl Barcode {
    /// The symbol as unit-width modules, `true` for black, so renderers only
    /// need to scale; includes the stop's termination bar but no quiet zone,
    /// because the margin depends on the medium.
    pub fn modules(&self) -> &[bool] {
        &self.modules
    }

    /// Width in modules, for computing how large a module can be in the
    /// space available.
    pub fn width(&self) -> usize {
        self.modules.len()
    }

    /// The text that was encoded, for printing the human-readable line.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// The black bars as `(first module, width in modules)`, so renderers draw
    /// one rectangle per bar instead of one per module.
    pub fn bars(&self) -> Vec<(usize, usize)> {
        let mut bars = Vec::new();
        let mut start = None;
        for (i, &black) in self.modules.iter().enumerate() {
            match (black, start) {
                (true, None) => start = Some(i),
                (false, Some(s)) => {
                    bars.push((s, i - s));
                    start = None;
                }
                _ => {}
            }
        }
        if let Some(s) = start {
            bars.push((s, self.modules.len() - s));
        }
        bars
    }
}

/// Encodes `data` as Code128 so it can be printed and scanned back verbatim.
///
/// Fails on empty input, on any non-ASCII character (reported with its
/// character position) and on input longer than [`MAX_DATA_CHARS`].
pub fn encode(data: &str) -> Result<Barcode, LabelError> {
    if data.is_empty() {
        return Err(LabelError::EmptyData);
    }
    for (position, ch) in data.chars().enumerate() {
        if !ch.is_ascii() {
            return Err(LabelError::UnsupportedChar { ch, position });
        }
        if position >= MAX_DATA_CHARS {
            return Err(LabelError::TooLong);
        }
    }
    let hints = EncodeHints { Code128Compact: Some(true), ..EncodeHints::default() };
    let modules = Code128Writer
        .encode_oned_with_hints(data, &hints)
        .map_err(|e| LabelError::Render(format!("Code128 of {data:?}: {e}")))?;
    Ok(Barcode { text: data.to_owned(), modules })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::inspect::decode_modules;

    fn lcg(state: &mut u64) -> u64 {
        *state = state.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        *state >> 33
    }

    #[test]
    fn modules_start_with_a_start_code_and_end_with_the_termination_bar() {
        let code = encode("PJJ123C").expect("ascii");
        let m = code.modules();
        let pattern = |widths: [usize; 6]| -> Vec<bool> {
            widths.iter().enumerate().flat_map(|(i, &w)| std::iter::repeat_n(i % 2 == 0, w)).collect()
        };
        // Start A (211412), B (211214) or C (211232); 7 data symbols, checksum and the 13-module stop.
        let starts = [pattern([2, 1, 1, 4, 1, 2]), pattern([2, 1, 1, 2, 1, 4]), pattern([2, 1, 1, 2, 3, 2])];
        assert!(starts.iter().any(|s| &m[..11] == s.as_slice()), "{:?}", &m[..11]);
        assert_eq!(code.width(), 11 * 9 + 13);
        assert!(m[m.len() - 1] && m[m.len() - 2] && !m[m.len() - 3]);
        assert_eq!(decode_modules(m).as_deref(), Some("PJJ123C"));
    }

    #[test]
    fn digit_runs_are_compacted() {
        // Start C, three digit pairs, checksum, stop: half the width of set B.
        assert_eq!(encode("123456").expect("ok").width(), 11 * 5 + 13);
        assert!(encode("SBX00012345678FR").expect("ok").width() < 11 * 19 + 13);
    }

    #[test]
    fn errors() {
        assert_eq!(encode(""), Err(LabelError::EmptyData));
        assert_eq!(encode("AB€D"), Err(LabelError::UnsupportedChar { ch: '€', position: 2 }));
        assert_eq!(encode(&"9".repeat(MAX_DATA_CHARS + 1)), Err(LabelError::TooLong));
        assert!(encode(&"Z".repeat(MAX_DATA_CHARS)).is_ok());
    }

    #[test]
    fn bars_cover_exactly_the_black_modules() {
        let code = encode("SKU-000123-xyz").expect("ok");
        let mut rebuilt = vec![false; code.width()];
        for (start, w) in code.bars() {
            assert!((1..=4).contains(&w));
            rebuilt[start..start + w].iter_mut().for_each(|m| *m = true);
        }
        assert_eq!(rebuilt, code.modules());
    }

    /// Generated strings (digit runs, punctuation, lower case, all of printable ASCII) scan back
    /// verbatim through a real decoder.
    #[test]
    fn round_trips_generated_strings_through_a_decoder() {
        let mut state = 0x5eed_u64;
        let pools: [&[u8]; 3] = [b"0123456789", b"ABCXYZ-./ 0123", b"abcxyz{}~"];
        for case in 0..300 {
            let len = 1 + (lcg(&mut state) as usize % 30);
            let s: String = (0..len)
                .map(|_| {
                    if case % 7 == 0 {
                        char::from(32 + (lcg(&mut state) % 95) as u8)
                    } else {
                        let pool = pools[lcg(&mut state) as usize % pools.len()];
                        char::from(pool[lcg(&mut state) as usize % pool.len()])
                    }
                })
                .collect();
            let code = encode(&s).expect("ascii input encodes");
            assert_eq!(decode_modules(code.modules()).as_deref(), Some(s.as_str()), "case {case}");
        }
    }
}
