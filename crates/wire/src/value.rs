//! Tolerant accessors over parsed JSON.
//!
//! Neither original API is strict about types: Bird's wiki sends every number as a string
//! (`"quantity": "1"`), PHP clients send booleans as `"1"`/`"0"`, ERPs capitalise keys at will, and
//! both servers coerce silently. Reading a field through these helpers gives the same answer
//! whichever shape the client chose, so the dialects do not each grow their own coercion rules.

use serde_json::{Map, Number, Value};

/// Looks up `key` ignoring case, because clients send `Quantity`, `quantity` and `QUANTITY`
/// interchangeably. An exact match wins; otherwise the first case-insensitive match in map order.
pub fn get_ci<'a>(map: &'a Map<String, Value>, key: &str) -> Option<&'a Value> {
    map.get(key).or_else(|| map.iter().find(|(k, _)| eq_ignore_case(k, key)).map(|(_, v)| v))
}

/// Most lookups miss (optional fields), so the ASCII case, where lengths must agree, is decided
/// without walking characters; only non-ASCII keys pay for Unicode lowercasing.
pub(crate) fn eq_ignore_case(a: &str, b: &str) -> bool {
    if a.is_ascii() && b.is_ascii() {
        return a.eq_ignore_ascii_case(b);
    }
    a.chars().flat_map(char::to_lowercase).eq(b.chars().flat_map(char::to_lowercase))
}

/// Reads an integer from a JSON number or a numeric string (`7`, `"7"`, `" 7 "`, `"7.0"`, `7.0`).
/// A fractional value is not silently truncated: `"7.5"` gives `None`.
pub fn as_i64_lenient(v: &Value) -> Option<i64> {
    match v {
        Value::Number(n) => number_as_i64(n),
        Value::String(s) => int_text(s.trim()),
        _ => None,
    }
}

fn number_as_i64(n: &Number) -> Option<i64> {
    n.as_i64().or_else(|| {
        let f = n.as_f64()?;
        // i64::MIN is exactly representable; i64::MAX + 1 is the first value out of range.
        let in_range = (-9_223_372_036_854_775_808.0..9_223_372_036_854_775_808.0).contains(&f);
        (f.fract() == 0.0 && in_range).then_some(f as i64)
    })
}

fn int_text(t: &str) -> Option<i64> {
    if let Ok(n) = t.parse() {
        return Some(n);
    }
    let (int, frac) = t.split_once('.')?;
    let digits = int.trim_start_matches(['-', '+']);
    if digits.is_empty() || !frac.bytes().all(|b| b == b'0') {
        return None;
    }
    int.parse().ok()
}

/// Reads a value as text, the way PHP would interpolate it: strings as they are, integers without
/// a trailing `.0`, booleans as `"1"`/`"0"`. `null`, arrays and objects give `None`.
pub fn as_string_lenient(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(number_text(n)),
        Value::Bool(b) => Some(if *b { "1" } else { "0" }.to_string()),
        Value::Null | Value::Array(_) | Value::Object(_) => None,
    }
}

/// Renders a number in plain decimal notation (Rust's float `Display` never uses an exponent and
/// drops the `.0` of whole numbers).
fn number_text(n: &Number) -> String {
    match (n.as_i64(), n.as_u64(), n.as_f64()) {
        (Some(i), _, _) => i.to_string(),
        (None, Some(u), _) => u.to_string(),
        (None, None, Some(f)) => format!("{f}"),
        (None, None, None) => n.to_string(),
    }
}

/// Reads a flag sent as a bool, a number (non-zero is true) or one of the strings PHP forms and
/// ERPs use: `1/0`, `true/false`, `yes/no`, `y/n`, `on/off` (any case). Anything else is `None`,
/// so the caller can tell "absent or unreadable" from "false".
pub fn as_bool_lenient(v: &Value) -> Option<bool> {
    match v {
        Value::Bool(b) => Some(*b),
        Value::Number(n) => n.as_f64().map(|f| f != 0.0),
        Value::String(s) => match s.trim().to_ascii_lowercase().as_str() {
            "1" | "true" | "yes" | "y" | "on" => Some(true),
            "0" | "false" | "no" | "n" | "off" => Some(false),
            _ => None,
        },
        _ => None,
    }
}

/// Reads a decimal amount as an integer count of minor units (`"10.5"` with exponent 2 is 1050),
/// without going through floating point. Both APIs send money and weights as numbers or strings
/// (`"10.00"`, `14.000`). `null` and blank strings are `Ok(None)`: Bird treats empty as "use the
/// default". More decimals than `exponent` are refused unless they are zeros, so no amount is
/// silently rounded.
pub fn as_decimal_minor(v: &Value, exponent: u32) -> Result<Option<i64>, String> {
    match v {
        Value::Null => Ok(None),
        Value::String(s) if s.trim().is_empty() => Ok(None),
        Value::String(s) => decimal_to_minor(s.trim(), exponent).map(Some),
        Value::Number(n) => decimal_to_minor(&number_text(n), exponent).map(Some),
        Value::Bool(_) => Err("expected a decimal number, found a boolean".to_string()),
        Value::Array(_) => Err("expected a decimal number, found an array".to_string()),
        Value::Object(_) => Err("expected a decimal number, found an object".to_string()),
    }
}

/// The largest exponent for which a non-zero amount can still fit in an i64.
const MAX_EXPONENT: u32 = 18;

fn decimal_to_minor(text: &str, exponent: u32) -> Result<i64, String> {
    if exponent > MAX_EXPONENT {
        return Err(format!("exponent {exponent} is larger than {MAX_EXPONENT}"));
    }
    let (negative, body) = match text.as_bytes().first() {
        Some(b'-') => (true, &text[1..]),
        Some(b'+') => (false, &text[1..]),
        _ => (false, text),
    };
    let (int, frac) = body.split_once('.').unwrap_or((body, ""));
    let all_digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if (int.is_empty() && frac.is_empty()) || !all_digits(int) || !all_digits(frac) {
        return Err(format!("`{text}` is not a decimal number"));
    }
    let frac = frac.trim_end_matches('0');
    let places = frac.len();
    if places > exponent as usize {
        return Err(format!("`{text}` has more than {exponent} decimal places"));
    }
    let padding = std::iter::repeat_n(b'0', exponent as usize - places);
    let mut value: i64 = 0;
    for digit in int.bytes().chain(frac.bytes()).chain(padding) {
        value = value
            .checked_mul(10)
            .and_then(|v| v.checked_add(i64::from(digit - b'0')))
            .ok_or_else(|| format!("`{text}` is out of range"))?;
    }
    Ok(if negative { -value } else { value })
}

/// The key of the first field whose key or text holds a NUL character, searching nested values
/// too: form and query fields, which do not go through [`crate::parse_lenient`] (that refuses
/// `\u0000` itself), are checked with this. No database column of ours can hold NUL.
pub fn field_with_nul(map: &Map<String, Value>) -> Option<String> {
    fn has_nul(v: &Value) -> bool {
        match v {
            Value::String(s) => s.contains('\0'),
            Value::Array(a) => a.iter().any(has_nul),
            Value::Object(m) => m.iter().any(|(k, v)| k.contains('\0') || has_nul(v)),
            _ => false,
        }
    }
    map.iter().find(|(k, v)| k.contains('\0') || has_nul(v)).map(|(k, _)| k.replace('\0', "\\0"))
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn fields_with_nul_are_found() {
        let m = |v: Value| v.as_object().cloned().unwrap_or_default();
        assert_eq!(field_with_nul(&m(json!({"a": "x", "b": ["y", "z\u{0}"]}))), Some("b".into()));
        assert_eq!(field_with_nul(&m(json!({"a\u{0}": 1}))), Some("a\\0".into()));
        assert_eq!(field_with_nul(&m(json!({"a": "x", "b": {"c": 1}}))), None);
    }

    #[test]
    fn get_ci_prefers_exact_then_any_case() {
        let v = json!({"Quantity": 1, "quantity": 2, "SKU": "A"});
        let map = v.as_object().unwrap();
        assert_eq!(get_ci(map, "quantity"), Some(&json!(2)));
        assert_eq!(get_ci(map, "Quantity"), Some(&json!(1)));
        assert_eq!(get_ci(map, "sku"), Some(&json!("A")));
        assert_eq!(get_ci(map, "QUANTITY").and_then(as_i64_lenient), Some(1));
        assert_eq!(get_ci(map, "missing"), None);
        assert_eq!(get_ci(map, "skus"), None);
        let v = json!({"Größe": "L", "ÉTAT": "neuf"});
        let map = v.as_object().unwrap();
        assert_eq!(get_ci(map, "GRÖßE"), Some(&json!("L")));
        assert_eq!(get_ci(map, "état"), Some(&json!("neuf")));
        assert_eq!(get_ci(map, "etat"), None);
    }

    #[test]
    fn i64_from_numbers_and_strings() {
        for (v, want) in [
            (json!(12), Some(12)),
            (json!(-3), Some(-3)),
            (json!(12.0), Some(12)),
            (json!("12"), Some(12)),
            (json!("  12 "), Some(12)),
            (json!("+12"), Some(12)),
            (json!("-12"), Some(-12)),
            (json!("12.0"), Some(12)),
            (json!("12.000"), Some(12)),
            (json!("12."), Some(12)),
            (json!("12.5"), None),
            (json!(12.5), None),
            (json!(".0"), None),
            (json!("1e3"), None),
            (json!("abc"), None),
            (json!(""), None),
            (json!(u64::MAX), None),
            (json!(1e19), None),
            (json!(true), None),
            (json!(null), None),
        ] {
            assert_eq!(as_i64_lenient(&v), want, "{v}");
        }
    }

    #[test]
    fn string_from_scalars() {
        for (v, want) in [
            (json!("abc"), Some("abc")),
            (json!(" a "), Some(" a ")),
            (json!(7), Some("7")),
            (json!(-7), Some("-7")),
            (json!(u64::MAX), Some("18446744073709551615")),
            (json!(7.0), Some("7")),
            (json!(7.25), Some("7.25")),
            (json!(1e20), Some("100000000000000000000")),
            (json!(true), Some("1")),
            (json!(false), Some("0")),
            (json!(null), None),
            (json!([1]), None),
            (json!({}), None),
        ] {
            assert_eq!(as_string_lenient(&v).as_deref(), want, "{v}");
        }
    }

    #[test]
    fn bool_from_php_style_values() {
        for (v, want) in [
            (json!(true), Some(true)),
            (json!(false), Some(false)),
            (json!(1), Some(true)),
            (json!(0), Some(false)),
            (json!(2.5), Some(true)),
            (json!("1"), Some(true)),
            (json!("0"), Some(false)),
            (json!(" TRUE "), Some(true)),
            (json!("False"), Some(false)),
            (json!("yes"), Some(true)),
            (json!("No"), Some(false)),
            (json!("on"), Some(true)),
            (json!(""), None),
            (json!("maybe"), None),
            (json!(null), None),
            (json!([]), None),
        ] {
            assert_eq!(as_bool_lenient(&v), want, "{v}");
        }
    }

    #[test]
    fn decimal_minor_units() {
        for (v, exp, want) in [
            (json!("10.5"), 2, Some(1050)),
            (json!("10.50"), 2, Some(1050)),
            (json!("10.500"), 2, Some(1050)),
            (json!(" 10 "), 2, Some(1000)),
            (json!("10."), 2, Some(1000)),
            (json!(".5"), 2, Some(50)),
            (json!("-1.25"), 2, Some(-125)),
            (json!("+3"), 0, Some(3)),
            (json!("14.000"), 3, Some(14000)),
            (json!(10.5), 2, Some(1050)),
            (json!(7), 2, Some(700)),
            (json!(0.1), 2, Some(10)),
            (json!("0"), 18, Some(0)),
            (json!(null), 2, None),
            (json!(""), 2, None),
            (json!("   "), 2, None),
        ] {
            assert_eq!(as_decimal_minor(&v, exp), Ok(want), "{v} exp {exp}");
        }
    }

    #[test]
    fn decimal_minor_refusals() {
        assert!(as_decimal_minor(&json!("10.555"), 2).unwrap_err().contains("more than 2 decimal places"));
        assert!(as_decimal_minor(&json!(10.555), 2).is_err());
        assert!(as_decimal_minor(&json!("1.5"), 0).is_err());
        for bad in ["abc", "1,5", "1.2.3", "1e3", ".", "-", "--1", "1 000", "١٢"] {
            assert!(as_decimal_minor(&json!(bad), 2).unwrap_err().contains("not a decimal"), "{bad}");
        }
        assert!(as_decimal_minor(&json!("92233720368547758.08"), 2).unwrap_err().contains("out of range"));
        assert!(as_decimal_minor(&json!(1e300), 2).unwrap_err().contains("out of range"));
        assert!(as_decimal_minor(&json!(true), 2).is_err());
        assert!(as_decimal_minor(&json!([]), 2).is_err());
        assert!(as_decimal_minor(&json!("1"), 19).is_err());
        assert_eq!(as_decimal_minor(&json!("92233720368547758.07"), 2), Ok(Some(i64::MAX)));
    }
}
