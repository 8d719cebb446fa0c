//! How Bird prints values: times as `YYYY-MM-DD HH:MM:SS`, decimals as strings (`"10.00"`),
//! ids as strings. Bird's servers are inconsistent here; strings are what its own samples show
//! most and what lenient ERP parsers accept.

use serde_json::{json, Value};

/// Milliseconds since the epoch as Bird's timestamp, in UTC.
pub fn time(ms: i64) -> Value {
    match jiff::Timestamp::from_millisecond(ms) {
        Ok(t) => json!(t.strftime("%Y-%m-%d %H:%M:%S").to_string()),
        Err(_) => Value::Null,
    }
}

/// Minor units as a decimal string with two places.
pub fn money(minor: i64) -> Value {
    json!(entrepot_core::money::format_minor(minor, 2))
}

/// Grams (or any integer quantity) as Bird's decimal string.
pub fn decimal(v: i64) -> Value {
    json!(format!("{v}.00"))
}

pub fn opt(v: &Option<String>) -> Value {
    v.as_ref().map(|s| json!(s)).unwrap_or(Value::Null)
}

#[cfg(test)]
mod tests {
    #[test]
    fn formats() {
        assert_eq!(super::time(0), "1970-01-01 00:00:00");
        assert_eq!(super::money(1050), "10.50");
        assert_eq!(super::decimal(900), "900.00");
    }
}
