//! Dock appointments: the slots a warehouse offers for deliveries of non-express inbounds (OC's
//! guide: such an inbound needs a receiving appointment), each with a capacity in inbounds.
//!
//! Staff create slots for a range of days and hours at once, in the warehouse's own time zone;
//! they are kept as UTC instants, so a slot is the same hour of the warehouse's day across a
//! change to or from summer time.

use std::{fmt, str::FromStr};

use jiff::{civil, tz::TimeZone, Timestamp};
use serde::{Deserialize, Serialize};

use crate::{CoreError, CoreResult};

/// The most slots one request creates (a quarter of hourly slots, round the clock).
pub const MAX_SLOTS_AT_ONCE: usize = 2_500;

/// The most inbounds one slot takes.
pub const MAX_CAPACITY: i64 = 1_000;

/// Slots to create: every day from `from` to `to` (inclusive, the warehouse's dates), from
/// `first_hour:00` to `last_hour:00` local time, each `minutes` long.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SlotPlan {
    pub from: civil::Date,
    pub to: civil::Date,
    /// Local hour the first slot of each day starts (0–23).
    pub first_hour: i8,
    /// Local hour the last slot of each day ends (1–24).
    pub last_hour: i8,
    pub minutes: i64,
    pub capacity: i64,
}

impl SlotPlan {
    /// The slots' `(start, end)` in UTC milliseconds for a warehouse in `timezone`.
    pub fn times(&self, timezone: &str) -> CoreResult<Vec<(i64, i64)>> {
        let tz = TimeZone::get(timezone)
            .map_err(|_| CoreError::invalid("timezone", format!("unknown time zone '{timezone}'")))?;
        if !(0..24).contains(&self.first_hour)
            || !(1..=24).contains(&self.last_hour)
            || self.first_hour >= self.last_hour
        {
            return Err(CoreError::invalid(
                "hours",
                format!(
                    "expected a local range like 08-16 within 00-24, got {:02}-{:02}",
                    self.first_hour, self.last_hour
                ),
            ));
        }
        if !(5..=24 * 60).contains(&self.minutes) {
            return Err(CoreError::invalid("minutes", "a slot lasts between 5 minutes and 24 hours"));
        }
        if !(1..=MAX_CAPACITY).contains(&self.capacity) {
            return Err(CoreError::invalid("capacity", format!("must be between 1 and {MAX_CAPACITY}")));
        }
        if self.to < self.from {
            return Err(CoreError::invalid("to", format!("{} is before {}", self.to, self.from)));
        }
        let bad = |_| CoreError::invalid("date", "out of range");
        let mut out = vec![];
        let mut day = self.from;
        loop {
            let mut start_min = i64::from(self.first_hour) * 60;
            let end_of_day = i64::from(self.last_hour) * 60;
            while start_min + self.minutes <= end_of_day {
                let at = |m: i64| -> CoreResult<i64> {
                    let dt = day.to_datetime(civil::Time::midnight());
                    let dt = dt.checked_add(jiff::Span::new().minutes(m)).map_err(bad)?;
                    Ok(dt.to_zoned(tz.clone()).map_err(bad)?.timestamp().as_millisecond())
                };
                out.push((at(start_min)?, at(start_min + self.minutes)?));
                if out.len() > MAX_SLOTS_AT_ONCE {
                    return Err(CoreError::invalid(
                        "slots",
                        format!("one request creates at most {MAX_SLOTS_AT_ONCE} slots"),
                    ));
                }
                start_min += self.minutes;
            }
            if day >= self.to {
                break;
            }
            day = day.tomorrow().map_err(bad)?;
        }
        Ok(out)
    }
}

pub use jiff::civil::Date;

fn zone(timezone: &str) -> CoreResult<TimeZone> {
    TimeZone::get(timezone).map_err(|_| CoreError::invalid("timezone", format!("unknown time zone '{timezone}'")))
}

/// A date as typed: `YYYY-MM-DD`.
pub fn parse_date(field: &str, s: &str) -> CoreResult<Date> {
    s.trim().parse().map_err(|_| CoreError::invalid(field, format!("expected a date YYYY-MM-DD, got '{s}'")))
}

/// Midnight of `date` in `timezone`, UTC ms.
pub fn day_start_ms(date: Date, timezone: &str) -> CoreResult<i64> {
    let z = date.to_zoned(zone(timezone)?).map_err(|_| CoreError::invalid("date", "out of range"))?;
    Ok(z.timestamp().as_millisecond())
}

/// The local date of `ms` in `timezone` (to show slots by the warehouse's day).
pub fn local_date(ms: i64, timezone: &str) -> CoreResult<civil::Date> {
    let tz = TimeZone::get(timezone)
        .map_err(|_| CoreError::invalid("timezone", format!("unknown time zone '{timezone}'")))?;
    let t = Timestamp::from_millisecond(ms).map_err(|_| CoreError::invalid("time", "out of range"))?;
    Ok(t.to_zoned(tz).date())
}

/// Where an appointment stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum AppointmentStatus {
    Booked,
    Arrived,
    NoShow,
    Cancelled,
}

impl AppointmentStatus {
    pub const ALL: [Self; 4] = [Self::Booked, Self::Arrived, Self::NoShow, Self::Cancelled];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Booked => "BOOKED",
            Self::Arrived => "ARRIVED",
            Self::NoShow => "NO_SHOW",
            Self::Cancelled => "CANCELLED",
        }
    }
}

impl fmt::Display for AppointmentStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for AppointmentStatus {
    type Err = CoreError;
    fn from_str(s: &str) -> CoreResult<Self> {
        Self::ALL
            .into_iter()
            .find(|x| x.as_str().eq_ignore_ascii_case(s))
            .ok_or_else(|| CoreError::invalid("status", format!("unknown appointment status '{s}'")))
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    fn plan(from: &str, to: &str, hours: (i8, i8), minutes: i64) -> SlotPlan {
        SlotPlan {
            from: from.parse().unwrap(),
            to: to.parse().unwrap(),
            first_hour: hours.0,
            last_hour: hours.1,
            minutes,
            capacity: 2,
        }
    }

    #[test]
    fn slots_are_local_hours_kept_in_utc() {
        // London is on summer time (UTC+1) on 2026-03-30, on GMT on 2026-03-28.
        let t = plan("2026-03-28", "2026-03-30", (8, 10), 60).times("Europe/London").unwrap();
        assert_eq!(t.len(), 6);
        let utc = |ms: i64| Timestamp::from_millisecond(ms).unwrap().to_string();
        assert_eq!(utc(t[0].0), "2026-03-28T08:00:00Z");
        assert_eq!(utc(t[1].1), "2026-03-28T10:00:00Z");
        assert_eq!(utc(t[4].0), "2026-03-30T07:00:00Z");
        assert_eq!(local_date(t[4].0, "Europe/London").unwrap().to_string(), "2026-03-30");
    }

    #[test]
    fn bad_plans_are_refused() {
        assert!(plan("2026-01-02", "2026-01-01", (8, 9), 60).times("UTC").is_err());
        assert!(plan("2026-01-01", "2026-01-01", (9, 9), 60).times("UTC").is_err());
        assert!(plan("2026-01-01", "2026-01-01", (8, 9), 60).times("Mars/Base").is_err());
        assert!(plan("2026-01-01", "2026-12-31", (0, 24), 5).times("UTC").is_err(), "too many at once");
        let mut p = plan("2026-01-01", "2026-01-01", (8, 9), 60);
        p.capacity = 0;
        assert!(p.times("UTC").is_err());
    }
}
