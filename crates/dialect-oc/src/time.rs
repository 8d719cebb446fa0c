//! OC's date and time formats (spec §4.3): `2018-11-28T20:09:57+0800`, `2022-10-31+0800`,
//! epoch milliseconds or seconds, as numbers or strings. Entrepot stores UTC milliseconds and
//! answers in `+0000`.

use jiff::{civil::Date, fmt::strtime, tz::Offset, Timestamp};
use serde_json::Value;

/// Which end of a day a date-only value stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DayEnd {
    /// Midnight at the start of the day.
    Start,
    /// Midnight at the start of the next day, so an end date includes its own day.
    End,
}

/// Epoch ms below this are taken as seconds (1e11 ms is 1973; 1e11 s is the year 5138).
const SECONDS_BELOW: i64 = 100_000_000_000;

/// Parses any of OC's time forms into UTC epoch milliseconds.
pub fn parse(v: &Value, end: DayEnd) -> Result<i64, String> {
    match v {
        Value::Number(n) => n.as_i64().and_then(epoch).ok_or_else(|| format!("'{n}' is not a time")),
        Value::String(s) => parse_text(s.trim(), end),
        other => Err(format!("'{other}' is not a time")),
    }
}

/// Epoch seconds or milliseconds as milliseconds; `None` outside the years -9999 to 9999, so
/// every time read can be formatted and subtracted from another without overflow.
fn epoch(n: i64) -> Option<i64> {
    let ms = if n.unsigned_abs() < SECONDS_BELOW.unsigned_abs() { n * 1000 } else { n };
    Timestamp::from_millisecond(ms).ok().map(|_| ms)
}

fn parse_text(s: &str, end: DayEnd) -> Result<i64, String> {
    let bad = || format!("'{s}' is not a time in yyyy-MM-dd'T'HH:mm:ssZ, yyyy-MM-ddZ or epoch milliseconds");
    if !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) {
        return s.parse::<i64>().ok().and_then(epoch).ok_or_else(bad);
    }
    // The docs also print `2018-11-28 + 0800`; ignore spaces around the offset.
    let compact: String = s.chars().filter(|c| *c != ' ' || s.contains('T')).collect();
    for fmt in ["%Y-%m-%dT%H:%M:%S%z", "%Y-%m-%dT%H:%M:%S%.f%z", "%Y-%m-%dT%H:%M:%S%:z", "%Y-%m-%dT%H:%M:%S%.f%:z"] {
        if let Ok(t) = strtime::parse(fmt, &compact).and_then(|b| b.to_timestamp()) {
            return Ok(t.as_millisecond());
        }
    }
    if let Ok(t) = compact.parse::<Timestamp>() {
        return Ok(t.as_millisecond());
    }
    if let Ok(dt) = strtime::parse("%Y-%m-%dT%H:%M:%S", &compact).and_then(|b| b.to_datetime()) {
        return dt.to_zoned(jiff::tz::TimeZone::UTC).map(|z| z.timestamp().as_millisecond()).map_err(|_| bad());
    }
    let (date, offset) = split_date_offset(&compact).ok_or_else(bad)?;
    let date: Date = date.parse().map_err(|_| bad())?;
    let date = match end {
        DayEnd::Start => date,
        DayEnd::End => date.tomorrow().map_err(|_| bad())?,
    };
    let start = date.to_datetime(jiff::civil::Time::midnight());
    offset.to_timestamp(start).map(|t| t.as_millisecond()).map_err(|_| bad())
}

/// `2022-10-31+0800` → (`2022-10-31`, +08:00); a bare date is UTC.
fn split_date_offset(s: &str) -> Option<(&str, Offset)> {
    if s.len() == 10 {
        return Some((s, Offset::UTC));
    }
    if s.len() < 15 {
        return None;
    }
    // `get`, not `split_at`: byte 10 of hostile text may fall inside a multi-byte character.
    let (date, zone) = (s.get(..10)?, s.get(10..)?);
    let sign = match zone.as_bytes().first()? {
        b'+' => 1,
        b'-' => -1,
        _ => return None,
    };
    let digits: String = zone[1..].chars().filter(|c| *c != ':').collect();
    if digits.len() != 4 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let hours: i32 = digits[..2].parse().ok()?;
    let minutes: i32 = digits[2..].parse().ok()?;
    Offset::from_seconds(sign * (hours * 3600 + minutes * 60)).ok().map(|o| (date, o))
}

/// The current time in UTC epoch milliseconds, the unit every OC time is parsed into.
pub fn now_ms() -> i64 {
    Timestamp::now().as_millisecond()
}

/// `2018-11-28T12:09:57+0000`.
pub fn format_datetime(ms: i64) -> String {
    Timestamp::from_millisecond(ms).map(|t| t.strftime("%Y-%m-%dT%H:%M:%S+0000").to_string()).unwrap_or_default()
}

/// `2022-10-31+0000`.
pub fn format_date(ms: i64) -> String {
    Timestamp::from_millisecond(ms).map(|t| t.strftime("%Y-%m-%d+0000").to_string()).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn p(v: Value) -> i64 {
        parse(&v, DayEnd::Start).unwrap()
    }

    #[test]
    fn ocs_forms() {
        // 2018-11-28T12:09:57Z
        let utc = 1_543_406_997_000;
        assert_eq!(p(json!("2018-11-28T20:09:57+0800")), utc);
        assert_eq!(p(json!("2018-11-28T20:09:57+08:00")), utc);
        assert_eq!(p(json!("2018-11-28T12:09:57Z")), utc);
        assert_eq!(p(json!("2018-11-28T12:09:57")), utc);
        assert_eq!(p(json!(utc)), utc);
        assert_eq!(p(json!(utc / 1000)), utc);
        assert_eq!(p(json!(utc.to_string())), utc);
        // 2022-10-31 00:00 at +0800 is 2022-10-30T16:00Z.
        assert_eq!(p(json!("2022-10-31+0800")), 1_667_145_600_000);
        assert_eq!(p(json!("2022-10-31 + 0800")), 1_667_145_600_000);
        assert_eq!(parse(&json!("2022-10-31+0800"), DayEnd::End).unwrap(), 1_667_145_600_000 + 86_400_000);
        assert_eq!(p(json!("2022-10-31")), 1_667_174_400_000);
    }

    #[test]
    fn refusals_say_which_formats() {
        for bad in [
            json!("yesterday"),
            json!("2022-13-01+0800"),
            json!(true),
            json!("2022-10-31+08"),
            json!("😀😀😀😀"),
            json!("2022-10-3😀+0800"),
            json!("2022-10-31+😀"),
            json!("é".repeat(20)),
            json!("\u{0}".repeat(40)),
        ] {
            let e = parse(&bad, DayEnd::Start).unwrap_err();
            assert!(e.contains("is not a time"), "{e}");
        }
    }

    #[test]
    fn epochs_outside_the_calendar_are_refused() {
        for bad in [json!(i64::MAX), json!(i64::MIN), json!(i64::MIN.to_string()), json!("9223372036854775807")] {
            assert!(parse(&bad, DayEnd::Start).is_err(), "{bad}");
        }
        assert_eq!(p(json!(-1)), -1000);
    }

    #[test]
    fn answers_in_utc() {
        assert_eq!(format_datetime(1_543_406_997_000), "2018-11-28T12:09:57+0000");
        assert_eq!(format_date(1_543_406_997_000), "2018-11-28+0000");
        assert_eq!(p(json!(format_datetime(1_543_406_997_000))), 1_543_406_997_000);
    }
}
