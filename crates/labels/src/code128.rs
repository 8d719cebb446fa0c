//! Code128 encoding: turns text into the bar/space modules every other format
//! in this crate draws.
//!
//! Code128 is what carriers, marketplaces and warehouse scanners all read, and
//! it covers the whole of ASCII. The encoder picks code sets to keep symbols
//! short (labels are small, and a shorter symbol means wider, more readable
//! bars): set B for ordinary text, set C for long digit runs, set A only where
//! control characters force it.

use crate::code128_table::{CODE_A, CODE_B, CODE_C, PATTERNS, SHIFT, START_A, START_B, START_C, STOP};
use crate::error::LabelError;

/// Longest input accepted, in characters. A label barcode beyond this would
/// need sub-printable bar widths, so longer input is treated as a mistake.
pub const MAX_DATA_CHARS: usize = 128;

/// Digits in a row needed before switching to code set C pays off.
const MIN_C_RUN: usize = 4;

/// An encoded Code128 symbol, ready to be drawn at any scale.
///
/// Keeping the modules (rather than drawing directly) lets the PDF and PNG
/// writers, and tests, share one encoding and agree on every bar.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Barcode {
    text: String,
    symbols: Vec<u8>,
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

    /// Symbol values from start code through checksum and stop (106), so a
    /// barcode can be compared with a reference encoder or a scanner log.
    pub fn symbols(&self) -> &[u8] {
        &self.symbols
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
    let mut bytes = Vec::with_capacity(data.len());
    for (position, ch) in data.chars().enumerate() {
        if !ch.is_ascii() {
            return Err(LabelError::UnsupportedChar { ch, position });
        }
        if position >= MAX_DATA_CHARS {
            return Err(LabelError::TooLong);
        }
        bytes.push(ch as u8);
    }
    let mut symbols = symbol_values(&bytes);
    symbols.push(checksum(&symbols));
    let mut modules = Vec::with_capacity(symbols.len() * 11 + STOP.len() * 2);
    for &value in &symbols {
        push_widths(&mut modules, &PATTERNS[usize::from(value)]);
    }
    push_widths(&mut modules, &STOP);
    symbols.push(106);
    Ok(Barcode { text: data.to_owned(), symbols, modules })
}

/// Mod-103 weighted checksum over the start code and data symbols.
pub(crate) fn checksum(symbols: &[u8]) -> u8 {
    let sum = symbols.iter().enumerate().fold(0u32, |acc, (i, &v)| {
        // The start code has weight 1, the first data symbol weight 1 too.
        let weight = u32::try_from(i.max(1)).unwrap_or(u32::MAX) % 103;
        (acc + weight * u32::from(v)) % 103
    });
    // `sum` is < 103 so it always fits.
    u8::try_from(sum).unwrap_or(0)
}

fn push_widths(modules: &mut Vec<bool>, widths: &[u8]) {
    for (i, &w) in widths.iter().enumerate() {
        let black = i % 2 == 0;
        modules.extend(std::iter::repeat_n(black, usize::from(w)));
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Set {
    A,
    B,
    C,
}

fn in_a(b: u8) -> bool {
    b < 96
}

fn in_b(b: u8) -> bool {
    b >= 32
}

fn encodable(set: Set, b: u8) -> bool {
    match set {
        Set::A => in_a(b),
        Set::B => in_b(b),
        Set::C => false,
    }
}

fn value_in(set: Set, b: u8) -> u8 {
    match set {
        Set::A if b < 32 => b + 64,
        _ => b - 32,
    }
}

fn digit_run(data: &[u8], from: usize) -> usize {
    data[from..].iter().take_while(|b| b.is_ascii_digit()).count()
}

/// A or B, whichever the next character that only one of them has needs;
/// B when nothing forces a choice because it holds lower case.
fn preferred_ab(data: &[u8], from: usize) -> Set {
    for &b in &data[from..] {
        if b < 32 {
            return Set::A;
        }
        if b >= 96 {
            return Set::B;
        }
    }
    Set::B
}

/// Start code followed by data symbols (no checksum yet).
fn symbol_values(data: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(data.len() + 4);
    let first_run = digit_run(data, 0);
    let mut set =
        if first_run >= MIN_C_RUN || (first_run == 2 && data.len() == 2) { Set::C } else { preferred_ab(data, 0) };
    out.push(match set {
        Set::A => START_A,
        Set::B => START_B,
        Set::C => START_C,
    });
    let mut i = 0;
    while i < data.len() {
        let run = digit_run(data, i);
        if set == Set::C {
            if run >= 2 {
                out.push((data[i] - b'0') * 10 + (data[i + 1] - b'0'));
                i += 2;
                continue;
            }
            set = preferred_ab(data, i);
            out.push(if set == Set::A { CODE_A } else { CODE_B });
            continue;
        }
        if run >= MIN_C_RUN {
            // An odd run that ends the data keeps its extra digit in front;
            // otherwise the leftover digit follows the C section for free.
            if run % 2 == 1 && i + run == data.len() {
                out.push(value_in(set, data[i]));
                i += 1;
            }
            set = Set::C;
            out.push(CODE_C);
            continue;
        }
        let b = data[i];
        if encodable(set, b) {
            out.push(value_in(set, b));
            i += 1;
            continue;
        }
        let other = if set == Set::A { Set::B } else { Set::A };
        let next_fits_current = data.get(i + 1).is_some_and(|&n| encodable(set, n));
        if next_fits_current {
            out.push(SHIFT);
            out.push(value_in(other, b));
            i += 1;
        } else {
            set = other;
            out.push(if set == Set::A { CODE_A } else { CODE_B });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::code128_decode::decode;

    fn lcg(state: &mut u64) -> u64 {
        *state = state.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        *state >> 33
    }

    #[test]
    fn known_answer_pjj123c_in_set_b() {
        let code = encode("PJJ123C").expect("ascii");
        // Start B, P J J 1 2 3 C, checksum, stop. "123" is too short for set C.
        assert_eq!(code.symbols(), &[104, 48, 42, 42, 17, 18, 19, 35, 55, 106]);
        // 104 + 48 + 2*42 + 3*42 + 4*17 + 5*18 + 6*19 + 7*35 = 879 = 8*103 + 55,
        // i.e. 'W'. The often-quoted 54 ('V') is the same data under Start A (103).
        assert_eq!(checksum(&[START_A, 48, 42, 42, 17, 18, 19, 35]), 54);
        assert_eq!(code.width(), 11 * 9 + 13);
        assert_eq!(decode(code.modules()).expect("decodes"), "PJJ123C");
    }

    #[test]
    fn modules_start_with_start_b_and_end_with_termination_bar() {
        let code = encode("A").expect("ascii");
        let m = code.modules();
        // Start B = 211214.
        let start: Vec<bool> =
            [2, 1, 1, 2, 1, 4].iter().enumerate().flat_map(|(i, &w)| std::iter::repeat_n(i % 2 == 0, w)).collect();
        assert_eq!(&m[..11], start.as_slice());
        assert!(m[m.len() - 1] && m[m.len() - 2] && !m[m.len() - 3]);
        assert!(m[0]);
    }

    #[test]
    fn long_digit_runs_use_set_c() {
        assert_eq!(encode("123456").expect("ok").symbols(), &[105, 12, 34, 56, checksum(&[105, 12, 34, 56]), 106]);
        // Odd run at the start: pairs first, leftover digit in B.
        let s = encode("12345X").expect("ok");
        assert_eq!(&s.symbols()[..6], &[105, 12, 34, CODE_B, 21, 56]);
        // Odd run at the end: the extra digit goes first, in B.
        let s = encode("X12345").expect("ok");
        assert_eq!(&s.symbols()[..6], &[104, 56, 17, CODE_C, 23, 45]);
        // Short runs stay in B.
        assert_eq!(&encode("AB123").expect("ok").symbols()[..6], &[104, 33, 34, 17, 18, 19]);
        // Exactly two digits: set C is one symbol shorter.
        assert_eq!(encode("42").expect("ok").symbols()[..2], [105, 42]);
    }

    #[test]
    fn control_characters_use_set_a_with_shift_for_singletons() {
        // Tab (9) is value 73 in A; a lone one inside text is shifted.
        let s = encode("a\tb").expect("ok");
        assert_eq!(&s.symbols()[..5], &[104, 65, SHIFT, 73, 66]);
        // Leading control character starts in A.
        let s = encode("\r\nAB").expect("ok");
        assert_eq!(&s.symbols()[..5], &[103, 77, 74, 33, 34]);
        // Lower case after control runs latches back to B.
        let s = encode("\x01\x02ab").expect("ok");
        assert_eq!(&s.symbols()[..6], &[103, 65, 66, CODE_B, 65, 66]);
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
        // Every symbol has 3 bars; the stop has 4.
        assert_eq!(code.bars().len(), (code.symbols().len() - 1) * 3 + 4);
    }

    #[test]
    fn round_trips_many_generated_strings() {
        let mut state = 0x5eed_u64;
        // Biased alphabets so digit runs, control chars and lower case all mix.
        let pools: [&[u8]; 4] = [b"0123456789", b"ABCXYZ-./ 0123", b"abcxyz{}~\x7f", b"\x00\x01\t\n\r\x1b\x1f"];
        for case in 0..5000 {
            let len = 1 + (lcg(&mut state) as usize % 40);
            let mut s = String::new();
            for _ in 0..len {
                let pool = if case % 7 == 0 {
                    // Occasionally draw from all of ASCII uniformly.
                    let b = (lcg(&mut state) % 128) as u8;
                    s.push(char::from(b));
                    continue;
                } else {
                    pools[lcg(&mut state) as usize % pools.len()]
                };
                s.push(char::from(pool[lcg(&mut state) as usize % pool.len()]));
            }
            let code = encode(&s).expect("ascii input encodes");
            assert_eq!(code.width(), (code.symbols().len() - 1) * 11 + 13);
            assert_eq!(decode(code.modules()).as_deref(), Ok(s.as_str()), "case {case}");
        }
    }

    #[test]
    fn set_c_never_makes_a_symbol_longer_than_plain_b() {
        let mut state = 42_u64;
        for _ in 0..2000 {
            let len = 1 + (lcg(&mut state) as usize % 30);
            let s: String = (0..len)
                .map(|_| if lcg(&mut state) & 3 == 0 { 'K' } else { char::from(b'0' + (lcg(&mut state) % 10) as u8) })
                .collect();
            let used = encode(&s).expect("ok").symbols().len();
            // Pure set B: start + one per char + checksum + stop.
            assert!(used <= len + 3, "{s}: {used} symbols");
        }
    }
}
