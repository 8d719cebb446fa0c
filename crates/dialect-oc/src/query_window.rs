//! The time slot of OC's queries (spec §4.5): `startTime`/`endTime` at most 7 days apart and
//! starting within the last 12 months, refused in OC's own words otherwise.
//!
//! OC's documents say "< 7 days" for inbound queries and "≤ 7 days" for stock movements, and its
//! refusal reads "longer than 7 days"; Entrepot accepts exactly 7 days everywhere, so a client that
//! slices a range into weeks (`2024-01-01+0800` to `2024-01-07+0800`, the end date inclusive) is
//! never refused.

use serde_json::Value;

use crate::{envelope::OcError, fields::Obj, time::DayEnd};

const DAY_MS: i64 = 86_400_000;
/// The longest time slot.
pub const MAX_WINDOW_MS: i64 = 7 * DAY_MS;
/// How far back a time slot may start: 12 months (366 days, so a leap year is no surprise).
pub const LOOKBACK_MS: i64 = 366 * DAY_MS;

/// A creation-time slot, `[from_ms, to_ms]` in UTC milliseconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Window {
    pub from_ms: i64,
    pub to_ms: i64,
}

/// Reads `startTime` and `endTime`: both or neither (`None`).
pub fn read(data: &Obj<'_>, now_ms: i64) -> Result<Option<Window>, OcError> {
    let start = data.time(&["startTime"], DayEnd::Start)?;
    let end = data.time(&["endTime"], DayEnd::End)?;
    let (from_ms, to_ms) = match (start, end) {
        (None, None) => return Ok(None),
        (Some(_), None) => return Err(OcError::invalid("endTime is required with startTime.")),
        (None, Some(_)) => return Err(OcError::invalid("startTime is required with endTime.")),
        (Some(s), Some(e)) => (s, e),
    };
    if to_ms <= from_ms {
        return Err(OcError::invalid("endTime must be later than startTime."));
    }
    if to_ms - from_ms > MAX_WINDOW_MS {
        let days = (to_ms - from_ms + DAY_MS - 1) / DAY_MS;
        return Err(OcError::invalid(format!(
            "Query timeslot must not be longer than 7 days; startTime to endTime spans {days} days."
        )));
    }
    if from_ms < now_ms - LOOKBACK_MS {
        return Err(OcError::invalid("Query timeslot is only valid for the last 12 months."));
    }
    Ok(Some(Window { from_ms, to_ms }))
}

/// Reads a required time slot.
pub fn required(data: &Obj<'_>, now_ms: i64) -> Result<Window, OcError> {
    read(data, now_ms)?.ok_or_else(|| OcError::invalid("startTime and endTime are required."))
}

/// `data` as an object; anything else is refused naming what was expected.
pub fn object(data: &Value) -> Result<Obj<'_>, OcError> {
    match data {
        Value::Object(_) | Value::Null => Ok(Obj::of(data, "data")?),
        _ => Err(OcError::invalid("data must be a JSON object.")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const NOW: i64 = 1_720_000_000_000;

    fn w(v: Value) -> Result<Option<Window>, OcError> {
        read(&Obj::of(&v, "data").unwrap(), NOW)
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
        let old = w(json!({"startTime": NOW - LOOKBACK_MS - DAY_MS, "endTime": NOW - LOOKBACK_MS})).unwrap_err();
        assert_eq!(old.message(), "Query timeslot is only valid for the last 12 months.");
        assert!(w(json!({"startTime": NOW})).unwrap_err().message().contains("endTime is required"));
        assert!(w(json!({"startTime": NOW, "endTime": NOW - 1})).unwrap_err().message().contains("later"));
        assert!(w(json!({"startTime": "soon", "endTime": NOW})).unwrap_err().message().contains("not a time"));
    }
}
