//! How Bird prints values: times as `YYYY-MM-DD HH:MM:SS`, decimals as strings (`"10.00"`),
//! ids as strings. Bird's servers are inconsistent here; strings are what its own samples show
//! most and what lenient ERP parsers accept.

/// Milliseconds since the epoch as Bird's timestamp, in UTC (`None`, shown as null, out of range).
pub fn time_text(ms: i64) -> Option<String> {
    jiff::Timestamp::from_millisecond(ms).ok().map(|t| t.strftime("%Y-%m-%d %H:%M:%S").to_string())
}

/// Minor units as a decimal string with two places.
pub fn money_text(minor: i64) -> String {
    entrepot_core::money::format_minor(minor, 2)
}

/// Grams (or any integer quantity) as Bird's decimal string.
pub fn decimal_text(v: i64) -> String {
    format!("{v}.00")
}

/// Thousandths as a decimal with three places (mm³ as cm³), without floating point.
pub fn thousandths(v: i64) -> String {
    let sign = if v < 0 { "-" } else { "" };
    let v = v.unsigned_abs();
    format!("{sign}{}.{:03}", v / 1000, v % 1000)
}

#[cfg(test)]
mod tests {
    #[test]
    fn formats() {
        assert_eq!(super::time_text(0).as_deref(), Some("1970-01-01 00:00:00"));
        assert_eq!(super::time_text(i64::MAX), None);
        assert_eq!(super::money_text(1050), "10.50");
        assert_eq!(super::decimal_text(900), "900.00");
        assert_eq!(super::thousandths(1_234_567), "1234.567");
        assert_eq!(super::thousandths(5), "0.005");
        assert_eq!(super::thousandths(-1500), "-1.500");
    }
}
