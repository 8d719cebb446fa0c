//! The Code128 symbol table (ISO/IEC 15417), kept apart from the encoder so the
//! encoding logic stays readable and the raw data can be checked on its own.
//!
//! Each entry lists the widths, in modules, of the alternating bars and spaces
//! of one symbol value, starting with a bar.

/// Start code for code set A (control characters and upper case).
pub(crate) const START_A: u8 = 103;
/// Start code for code set B (printable ASCII including lower case).
pub(crate) const START_B: u8 = 104;
/// Start code for code set C (digit pairs).
pub(crate) const START_C: u8 = 105;
/// Latch to code set A (from B or C).
pub(crate) const CODE_A: u8 = 101;
/// Latch to code set B from A or C. In B the same value means FNC4.
pub(crate) const CODE_B: u8 = 100;
/// Latch to code set C from A or B.
pub(crate) const CODE_C: u8 = 99;
/// In A or B: the next single symbol is read in the other of A/B.
pub(crate) const SHIFT: u8 = 98;

/// Widths of the stop symbol, including the final 2-module termination bar.
pub(crate) const STOP: [u8; 7] = [2, 3, 3, 1, 1, 1, 2];

/// Bar/space widths for symbol values 0..=105.
pub(crate) const PATTERNS: [[u8; 6]; 106] = [
    [2, 1, 2, 2, 2, 2],
    [2, 2, 2, 1, 2, 2],
    [2, 2, 2, 2, 2, 1],
    [1, 2, 1, 2, 2, 3],
    [1, 2, 1, 3, 2, 2],
    [1, 3, 1, 2, 2, 2],
    [1, 2, 2, 2, 1, 3],
    [1, 2, 2, 3, 1, 2],
    [1, 3, 2, 2, 1, 2],
    [2, 2, 1, 2, 1, 3],
    [2, 2, 1, 3, 1, 2],
    [2, 3, 1, 2, 1, 2],
    [1, 1, 2, 2, 3, 2],
    [1, 2, 2, 1, 3, 2],
    [1, 2, 2, 2, 3, 1],
    [1, 1, 3, 2, 2, 2],
    [1, 2, 3, 1, 2, 2],
    [1, 2, 3, 2, 2, 1],
    [2, 2, 3, 2, 1, 1],
    [2, 2, 1, 1, 3, 2],
    [2, 2, 1, 2, 3, 1],
    [2, 1, 3, 2, 1, 2],
    [2, 2, 3, 1, 1, 2],
    [3, 1, 2, 1, 3, 1],
    [3, 1, 1, 2, 2, 2],
    [3, 2, 1, 1, 2, 2],
    [3, 2, 1, 2, 2, 1],
    [3, 1, 2, 2, 1, 2],
    [3, 2, 2, 1, 1, 2],
    [3, 2, 2, 2, 1, 1],
    [2, 1, 2, 1, 2, 3],
    [2, 1, 2, 3, 2, 1],
    [2, 3, 2, 1, 2, 1],
    [1, 1, 1, 3, 2, 3],
    [1, 3, 1, 1, 2, 3],
    [1, 3, 1, 3, 2, 1],
    [1, 1, 2, 3, 1, 3],
    [1, 3, 2, 1, 1, 3],
    [1, 3, 2, 3, 1, 1],
    [2, 1, 1, 3, 1, 3],
    [2, 3, 1, 1, 1, 3],
    [2, 3, 1, 3, 1, 1],
    [1, 1, 2, 1, 3, 3],
    [1, 1, 2, 3, 3, 1],
    [1, 3, 2, 1, 3, 1],
    [1, 1, 3, 1, 2, 3],
    [1, 1, 3, 3, 2, 1],
    [1, 3, 3, 1, 2, 1],
    [3, 1, 3, 1, 2, 1],
    [2, 1, 1, 3, 3, 1],
    [2, 3, 1, 1, 3, 1],
    [2, 1, 3, 1, 1, 3],
    [2, 1, 3, 3, 1, 1],
    [2, 1, 3, 1, 3, 1],
    [3, 1, 1, 1, 2, 3],
    [3, 1, 1, 3, 2, 1],
    [3, 3, 1, 1, 2, 1],
    [3, 1, 2, 1, 1, 3],
    [3, 1, 2, 3, 1, 1],
    [3, 3, 2, 1, 1, 1],
    [3, 1, 4, 1, 1, 1],
    [2, 2, 1, 4, 1, 1],
    [4, 3, 1, 1, 1, 1],
    [1, 1, 1, 2, 2, 4],
    [1, 1, 1, 4, 2, 2],
    [1, 2, 1, 1, 2, 4],
    [1, 2, 1, 4, 2, 1],
    [1, 4, 1, 1, 2, 2],
    [1, 4, 1, 2, 2, 1],
    [1, 1, 2, 2, 1, 4],
    [1, 1, 2, 4, 1, 2],
    [1, 2, 2, 1, 1, 4],
    [1, 2, 2, 4, 1, 1],
    [1, 4, 2, 1, 1, 2],
    [1, 4, 2, 2, 1, 1],
    [2, 4, 1, 2, 1, 1],
    [2, 2, 1, 1, 1, 4],
    [4, 1, 3, 1, 1, 1],
    [2, 4, 1, 1, 1, 2],
    [1, 3, 4, 1, 1, 1],
    [1, 1, 1, 2, 4, 2],
    [1, 2, 1, 1, 4, 2],
    [1, 2, 1, 2, 4, 1],
    [1, 1, 4, 2, 1, 2],
    [1, 2, 4, 1, 1, 2],
    [1, 2, 4, 2, 1, 1],
    [4, 1, 1, 2, 1, 2],
    [4, 2, 1, 1, 1, 2],
    [4, 2, 1, 2, 1, 1],
    [2, 1, 2, 1, 4, 1],
    [2, 1, 4, 1, 2, 1],
    [4, 1, 2, 1, 2, 1],
    [1, 1, 1, 1, 4, 3],
    [1, 1, 1, 3, 4, 1],
    [1, 3, 1, 1, 4, 1],
    [1, 1, 4, 1, 1, 3],
    [1, 1, 4, 3, 1, 1],
    [4, 1, 1, 1, 1, 3],
    [4, 1, 1, 3, 1, 1],
    [1, 1, 3, 1, 4, 1],
    [1, 1, 4, 1, 3, 1],
    [3, 1, 1, 1, 4, 1],
    [4, 1, 1, 1, 3, 1],
    [2, 1, 1, 4, 1, 2],
    [2, 1, 1, 2, 1, 4],
    [2, 1, 1, 2, 3, 2],
];

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn every_symbol_is_eleven_modules_with_even_bar_total() {
        for (value, p) in PATTERNS.iter().enumerate() {
            let total: u32 = p.iter().map(|&w| u32::from(w)).sum();
            assert_eq!(total, 11, "symbol {value}");
            // Code128's built-in parity: bars always add up to an even width.
            let bars: u32 = p.iter().step_by(2).map(|&w| u32::from(w)).sum();
            assert_eq!(bars % 2, 0, "bar parity of symbol {value}");
            assert!(p.iter().all(|&w| (1..=4).contains(&w)), "symbol {value}");
        }
        let stop: u32 = STOP.iter().map(|&w| u32::from(w)).sum();
        assert_eq!(stop, 13);
    }

    #[test]
    fn patterns_are_unique() {
        let set: HashSet<_> = PATTERNS.iter().collect();
        assert_eq!(set.len(), PATTERNS.len());
        assert!(!set.contains(&[STOP[0], STOP[1], STOP[2], STOP[3], STOP[4], STOP[5]]));
    }

    #[test]
    fn spot_check_against_the_standard() {
        assert_eq!(PATTERNS[0], [2, 1, 2, 2, 2, 2]);
        assert_eq!(PATTERNS[usize::from(START_A)], [2, 1, 1, 4, 1, 2]);
        assert_eq!(PATTERNS[usize::from(START_B)], [2, 1, 1, 2, 1, 4]);
        assert_eq!(PATTERNS[usize::from(START_C)], [2, 1, 1, 2, 3, 2]);
        assert_eq!(PATTERNS[usize::from(CODE_C)], [1, 1, 3, 1, 4, 1]);
        assert_eq!(PATTERNS[usize::from(CODE_B)], [1, 1, 4, 1, 3, 1]);
        assert_eq!(PATTERNS[usize::from(CODE_A)], [3, 1, 1, 1, 4, 1]);
        assert_eq!(PATTERNS[usize::from(SHIFT)], [4, 1, 1, 3, 1, 1]);
    }
}
