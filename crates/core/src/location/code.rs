//! Location codes: what is printed on a bin's label and scanned. `A-01-02-3` reads zone A,
//! aisle 01, bay 02, level 3, but any code of letters and digits in dash-separated parts is a
//! code (`DOCK`, `R-12`); the zone is the first part unless given.

use crate::{CoreError, CoreResult};

/// Longest code (a label prints it large; a scanner sends it whole).
pub const MAX_CODE_LEN: usize = 32;
/// Most dash-separated parts of a code.
pub const MAX_PARTS: usize = 6;
/// Longest zone name.
pub const MAX_ZONE_LEN: usize = 16;

/// The code in its stored form: trimmed, upper case, checked. Scanners and keyboards send
/// either case, so `a-01-02-3` is `A-01-02-3`.
pub fn normalize(raw: &str) -> CoreResult<String> {
    let code = raw.trim().to_ascii_uppercase();
    let bad = |why: String| CoreError::invalid("location code", why);
    if code.is_empty() {
        return Err(bad("must not be empty".into()));
    }
    if code.chars().count() > MAX_CODE_LEN {
        return Err(bad(format!("at most {MAX_CODE_LEN} characters, got {}", code.chars().count())));
    }
    if let Some(c) = code.chars().find(|c| !(c.is_ascii_alphanumeric() || *c == '-')) {
        return Err(bad(format!("'{code}': only letters, digits and '-' are allowed, not '{c}'")));
    }
    let parts: Vec<&str> = code.split('-').collect();
    if parts.iter().any(|p| p.is_empty()) {
        return Err(bad(format!("'{code}': parts are separated by single dashes")));
    }
    if parts.len() > MAX_PARTS {
        return Err(bad(format!("'{code}': at most {MAX_PARTS} parts, got {}", parts.len())));
    }
    Ok(code)
}

/// The zone a code is in when none is given: its first part.
pub fn zone_of(code: &str) -> &str {
    code.split('-').next().unwrap_or(code)
}

/// A zone name in its stored form (letters and digits, upper case).
pub fn normalize_zone(raw: &str) -> CoreResult<String> {
    let z = raw.trim().to_ascii_uppercase();
    if z.is_empty() || z.len() > MAX_ZONE_LEN || !z.chars().all(|c| c.is_ascii_alphanumeric()) {
        return Err(CoreError::invalid("zone", format!("1 to {MAX_ZONE_LEN} letters or digits, got '{}'", raw.trim())));
    }
    Ok(z)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    #[test]
    fn codes_are_upper_cased_and_checked() {
        assert_eq!(normalize(" a-01-02-3 ").unwrap(), "A-01-02-3");
        assert_eq!(normalize("DOCK").unwrap(), "DOCK");
        assert_eq!(zone_of("A-01-02-3"), "A");
        assert_eq!(zone_of("DOCK"), "DOCK");
        for bad in ["", "A--1", "-A", "A-", "A 1", "A_1", "Ä-1", "A-1-2-3-4-5-6", &"X".repeat(33)] {
            assert!(normalize(bad).is_err(), "{bad:?}");
        }
        assert!(normalize("A/1").unwrap_err().to_string().contains("not '/'"));
        assert_eq!(normalize_zone("r").unwrap(), "R");
        assert!(normalize_zone("R-1").is_err());
    }
}
