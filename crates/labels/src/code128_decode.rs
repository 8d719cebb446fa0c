//! A test-only Code128 decoder, so encoder tests can check what a scanner
//! would read instead of trusting the encoder's own bookkeeping.

use crate::code128_table::{PATTERNS, STOP};

/// Reads modules back to text, verifying start, checksum and stop.
pub(crate) fn decode(modules: &[bool]) -> Result<String, String> {
    let symbols = modules.len().saturating_sub(13) / 11;
    if symbols < 2 || symbols * 11 + 13 != modules.len() {
        return Err(format!("bad module count {}", modules.len()));
    }
    let (body, stop) = modules.split_at(modules.len() - 13);
    if widths(stop)? != STOP {
        return Err("missing stop pattern".into());
    }
    let mut values = Vec::new();
    for chunk in body.chunks(11) {
        let w = widths(chunk)?;
        let value = PATTERNS
            .iter()
            .position(|p| p.as_slice() == w.as_slice())
            .ok_or_else(|| format!("unknown pattern {w:?}"))?;
        values.push(value as u32);
    }
    let (&check, data) = values.split_last().ok_or("no symbols")?;
    let sum: u32 = data.iter().enumerate().map(|(i, &v)| v * (i.max(1) as u32)).sum();
    if sum % 103 != check {
        return Err(format!("checksum {check} != {}", sum % 103));
    }
    interpret(data)
}

fn widths(chunk: &[bool]) -> Result<Vec<u8>, String> {
    if !chunk.first().copied().unwrap_or(false) {
        return Err("symbol must start with a bar".into());
    }
    let mut out: Vec<u8> = Vec::new();
    let mut prev = None;
    for &m in chunk {
        if prev == Some(m) {
            *out.last_mut().ok_or("empty")? += 1;
        } else {
            out.push(1);
        }
        prev = Some(m);
    }
    Ok(out)
}

#[derive(Clone, Copy, PartialEq)]
enum Set {
    A,
    B,
    C,
}

fn interpret(values: &[u32]) -> Result<String, String> {
    let mut set = match values.first() {
        Some(103) => Set::A,
        Some(104) => Set::B,
        Some(105) => Set::C,
        other => return Err(format!("bad start {other:?}")),
    };
    let mut out = String::new();
    let mut shifted = false;
    for &v in &values[1..] {
        let active = if shifted {
            if set == Set::A {
                Set::B
            } else {
                Set::A
            }
        } else {
            set
        };
        shifted = false;
        match (active, v) {
            (Set::C, 0..=99) => out.push_str(&format!("{v:02}")),
            (Set::C, 100) | (Set::A, 100) => set = Set::B,
            (Set::C, 101) | (Set::B, 101) => set = Set::A,
            (Set::A | Set::B, 99) => set = Set::C,
            (Set::A | Set::B, 98) => shifted = true,
            (Set::A, 0..=63) | (Set::B, 0..=95) => out.push(char::from((v + 32) as u8)),
            (Set::A, 64..=95) => out.push(char::from((v - 64) as u8)),
            _ => return Err(format!("unsupported value {v} (FNC codes are not used)")),
        }
    }
    Ok(out)
}
