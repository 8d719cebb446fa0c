//! A range of location codes, to create a rack at once: each dash-separated part is a literal or
//! `from..to`, numbers keeping the width of `from` (`01..10` is `01`, `02` … `10`) and letters
//! one at a time (`A..C`). `A-01..03-01..10-1..4` is zone A, aisles 01–03, bays 01–10, levels
//! 1–4: 120 codes, the last part changing fastest, which is also their pick sequence.

use super::code::{normalize, MAX_CODE_LEN};
use crate::{CoreError, CoreResult};

/// Most codes one range may create.
pub const MAX_RANGE: usize = 5_000;

enum Part {
    Literal(String),
    Numbers { from: u32, to: u32, width: usize },
    Letters { from: u8, to: u8 },
}

impl Part {
    fn len(&self) -> usize {
        match self {
            Part::Literal(_) => 1,
            Part::Numbers { from, to, .. } => (to - from) as usize + 1,
            Part::Letters { from, to } => usize::from(to - from) + 1,
        }
    }

    fn nth(&self, k: usize) -> String {
        match self {
            Part::Literal(s) => s.clone(),
            Part::Numbers { from, width, .. } => format!("{:0width$}", *from as usize + k, width = *width),
            Part::Letters { from, .. } => char::from(from + k as u8).to_string(),
        }
    }
}

fn bad(spec: &str, why: impl std::fmt::Display) -> CoreError {
    CoreError::invalid("range", format!("'{spec}': {why}"))
}

fn part(spec: &str, p: &str) -> CoreResult<Part> {
    let Some((a, b)) = p.split_once("..") else { return Ok(Part::Literal(p.to_owned())) };
    if a.is_empty() || b.is_empty() || a.len() > 6 || b.len() > 6 {
        return Err(bad(spec, format!("'{p}' needs a start and an end (like 01..10 or A..D)")));
    }
    if a.bytes().all(|c| c.is_ascii_digit()) && b.bytes().all(|c| c.is_ascii_digit()) {
        let (from, to) = (a.parse::<u32>().map_err(|e| bad(spec, e))?, b.parse::<u32>().map_err(|e| bad(spec, e))?);
        if from > to {
            return Err(bad(spec, format!("'{p}' runs backwards")));
        }
        return Ok(Part::Numbers { from, to, width: a.len() });
    }
    match (a.as_bytes(), b.as_bytes()) {
        ([x], [y]) if x.is_ascii_uppercase() && y.is_ascii_uppercase() => {
            if x > y {
                return Err(bad(spec, format!("'{p}' runs backwards")));
            }
            Ok(Part::Letters { from: *x, to: *y })
        }
        _ => Err(bad(spec, format!("'{p}': a range is numbers (01..10) or single letters (A..D)"))),
    }
}

/// The codes of `spec`, in order, each checked as a code; refused past [`MAX_RANGE`].
pub fn expand(spec: &str) -> CoreResult<Vec<String>> {
    let spec = spec.trim().to_ascii_uppercase();
    if spec.is_empty() || spec.len() > 4 * MAX_CODE_LEN {
        return Err(bad(&spec, "empty or too long"));
    }
    let parts = spec.split('-').map(|p| part(&spec, p)).collect::<CoreResult<Vec<_>>>()?;
    let count = parts.iter().try_fold(1usize, |n, p| n.checked_mul(p.len()).filter(|n| *n <= MAX_RANGE));
    let Some(count) = count else {
        return Err(bad(&spec, format!("more than {MAX_RANGE} locations; create them in several ranges")));
    };
    let mut out = Vec::with_capacity(count);
    for mut k in 0..count {
        let mut code = vec![String::new(); parts.len()];
        for (j, p) in parts.iter().enumerate().rev() {
            code[j] = p.nth(k % p.len());
            k /= p.len();
        }
        out.push(normalize(&code.join("-"))?);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    #[test]
    fn a_range_expands_last_part_fastest_keeping_widths() {
        let codes = expand("A-01..03-01..10-1..4").unwrap();
        assert_eq!(codes.len(), 120);
        assert_eq!(&codes[..3], ["A-01-01-1", "A-01-01-2", "A-01-01-3"]);
        assert_eq!(codes[4], "A-01-02-1");
        assert_eq!(codes.last().unwrap(), "A-03-10-4");
        assert_eq!(expand("r-a..c").unwrap(), ["R-A", "R-B", "R-C"]);
        assert_eq!(expand("DOCK").unwrap(), ["DOCK"]);
        assert_eq!(expand("B-8..11").unwrap(), ["B-8", "B-9", "B-10", "B-11"]);
    }

    #[test]
    fn a_range_is_bounded_and_well_formed() {
        assert!(expand("A-1..100-1..100").unwrap_err().to_string().contains("more than 5000"));
        assert!(expand("A-1..99999-1..99999-1..99999").is_err(), "no overflow");
        assert_eq!(expand("A-1..50-1..100").unwrap().len(), 5_000);
        for bad in ["A-3..1", "A-1..", "A-..2", "A-A..3", "A-AA..AB", "A-1..2_", "", "A--1..2"] {
            assert!(expand(bad).is_err(), "{bad:?}");
        }
    }
}
