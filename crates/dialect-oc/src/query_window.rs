//! The time slot of OC's queries (spec §4.5): `startTime`/`endTime` at most 7 days apart and
//! starting within the last 12 months, refused in OC's own words otherwise.
//!
//! OC's documents say "< 7 days" for inbound queries and "≤ 7 days" for stock movements, and its
//! refusal reads "longer than 7 days"; Entrepot accepts exactly 7 days everywhere, so a client that
//! slices a range into weeks (`2024-01-01+0800` to `2024-01-07+0800`, the end date inclusive) is
//! never refused.

use crate::{envelope::OcError, fields::Field, time::DayEnd};
use jiff::{tz::TimeZone, ToSpan};

const DAY_MS: i64 = 86_400_000;
/// The longest time slot.
pub const MAX_WINDOW_MS: i64 = 7 * DAY_MS;
/// OC's own refusal of a slot reaching further back than a year.
pub const LOOKBACK_MESSAGE: &str = "Query timeslot is only valid for the last 12 months.";

/// The earliest start allowed: the same instant 12 calendar months ago.
pub fn earliest_start(now_ms: i64) -> i64 {
    jiff::Timestamp::from_millisecond(now_ms)
        .ok()
        .and_then(|t| t.to_zoned(TimeZone::UTC).checked_sub(12.months()).ok())
        .map_or(now_ms - 365 * DAY_MS, |z| z.timestamp().as_millisecond())
}

/// A creation-time slot, `[from_ms, to_ms]` in UTC milliseconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Window {
    pub from_ms: i64,
    pub to_ms: i64,
}

/// Reads `startTime` and `endTime`: both or neither (`None`).
pub fn read(start: &Field, end: &Field, now_ms: i64) -> Result<Option<Window>, OcError> {
    let start = start.time("startTime", DayEnd::Start)?;
    let end = end.time("endTime", DayEnd::End)?;
    match (start, end) {
        (None, None) => Ok(None),
        (Some(_), None) => Err(OcError::invalid("endTime is required with startTime.")),
        (None, Some(_)) => Err(OcError::invalid("startTime is required with endTime.")),
        (Some(s), Some(e)) => check(s, e, now_ms).map(Some),
    }
}

/// Reads a slot whose `startTime` is required and whose `endTime` defaults to now (stock
/// movements).
pub fn up_to_now(start: &Field, end: &Field, now_ms: i64) -> Result<Window, OcError> {
    let start = start.time("startTime", DayEnd::Start)?.ok_or_else(|| OcError::invalid("startTime is required."))?;
    let end = end.time("endTime", DayEnd::End)?.unwrap_or(now_ms);
    check(start, end, now_ms)
}

fn check(from_ms: i64, to_ms: i64, now_ms: i64) -> Result<Window, OcError> {
    if to_ms <= from_ms {
        return Err(OcError::invalid("endTime must be later than startTime."));
    }
    if to_ms.saturating_sub(from_ms) > MAX_WINDOW_MS {
        // Times are within jiff's calendar (see `time::parse`), so this cannot overflow.
        let tenths = (to_ms.saturating_sub(from_ms).saturating_mul(10) + DAY_MS / 2) / DAY_MS;
        return Err(OcError::invalid(format!(
            "Query timeslot must not be longer than 7 days; startTime {} to endTime {} spans {}.{} days.",
            crate::time::format_datetime(from_ms),
            crate::time::format_datetime(to_ms),
            tenths / 10,
            tenths % 10
        )));
    }
    if from_ms < earliest_start(now_ms) {
        return Err(OcError::invalid(LOOKBACK_MESSAGE));
    }
    Ok(Window { from_ms, to_ms })
}

/// Reads a required time slot.
pub fn required(start: &Field, end: &Field, now_ms: i64) -> Result<Window, OcError> {
    read(start, end, now_ms)?.ok_or_else(|| OcError::invalid("startTime and endTime are required."))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{json, Value};

    const NOW: i64 = 1_720_000_000_000;

    #[derive(serde::Deserialize)]
    #[serde(rename_all = "camelCase")]
    struct Slot {
        #[serde(default)]
        start_time: Field,
        #[serde(default)]
        end_time: Field,
    }

    fn slot(v: Value) -> Slot {
        crate::fields::data(&v).unwrap()
    }

    fn w(v: Value) -> Result<Option<Window>, OcError> {
        let s = slot(v);
        read(&s.start_time, &s.end_time, NOW)
    }

    #[test]
    fn slots() {
        assert_eq!(w(json!({})).ok(), Some(None));
        let week = w(json!({"startTime": NOW - MAX_WINDOW_MS, "endTime": NOW})).ok().flatten();
        assert_eq!(week, Some(Window { from_ms: NOW - MAX_WINDOW_MS, to_ms: NOW }));
        // Date forms: the end date counts in full, so seven calendar days are 7 days.
        assert!(w(json!({"startTime": "2024-07-01+0800", "endTime": "2024-07-07+0800"})).is_ok());
        let long = w(json!({"startTime": NOW - MAX_WINDOW_MS - 1, "endTime": NOW})).unwrap_err();
        assert!(long.message().contains("longer than 7 days"), "{}", long.message());
        let year = NOW - earliest_start(NOW);
        assert!((365 * DAY_MS..=366 * DAY_MS).contains(&year));
        let old = w(json!({"startTime": NOW - year - DAY_MS, "endTime": NOW - year})).unwrap_err();
        assert_eq!(old.message(), "Query timeslot is only valid for the last 12 months.");
        assert!(w(json!({"startTime": NOW})).unwrap_err().message().contains("endTime is required"));
        assert!(w(json!({"startTime": NOW, "endTime": NOW - 1})).unwrap_err().message().contains("later"));
        assert!(w(json!({"startTime": "soon", "endTime": NOW})).unwrap_err().message().contains("not a time"));
        let o = slot(json!({"STARTTIME": NOW - DAY_MS}));
        assert_eq!(up_to_now(&o.start_time, &o.end_time, NOW).unwrap(), Window { from_ms: NOW - DAY_MS, to_ms: NOW });
        let o = slot(json!({}));
        assert!(up_to_now(&o.start_time, &o.end_time, NOW).unwrap_err().message().contains("startTime is required"));
    }
}
