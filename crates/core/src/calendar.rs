//! A warehouse's working days. An order submitted before the daily cut-off (in the warehouse's
//! own time zone) is due to ship that day, after it the next day; either way a closed day (a
//! weekday the warehouse never ships, or a closed date such as a bank holiday) moves it on to the
//! next working day.

use std::collections::BTreeSet;

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use crate::{CoreError, CoreResult};

/// Most closed dates one warehouse keeps: a bound on input, and on the walk to a working day.
pub const MAX_CLOSED_DATES: usize = 1_000;

/// The days a warehouse does not ship.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Calendar {
    /// Weekdays closed every week, Monday = 1 … Sunday = 7.
    pub closed_weekdays: BTreeSet<i8>,
    /// Single closed dates (local to the warehouse).
    pub closed_dates: BTreeSet<Date>,
}

impl Calendar {
    /// Refuses a calendar with no working weekday, a weekday outside 1..=7, or too many dates.
    pub fn validate(&self) -> CoreResult<()> {
        if self.closed_weekdays.iter().any(|d| !(1..=7).contains(d)) {
            return Err(CoreError::invalid("closed_weekdays", "weekdays are 1 (Monday) to 7 (Sunday)"));
        }
        if self.closed_weekdays.len() >= 7 {
            return Err(CoreError::invalid("closed_weekdays", "at least one weekday must be a working day"));
        }
        if self.closed_dates.len() > MAX_CLOSED_DATES {
            return Err(CoreError::invalid("closed_dates", format!("at most {MAX_CLOSED_DATES} closed dates")));
        }
        Ok(())
    }

    /// Whether the warehouse ships on `d`.
    pub fn is_working(&self, d: Date) -> bool {
        !self.closed_weekdays.contains(&d.weekday().to_monday_one_offset()) && !self.closed_dates.contains(&d)
    }

    /// The first working day on or after `d`.
    pub fn next_working(&self, d: Date) -> CoreResult<Date> {
        self.validate()?;
        let mut day = d;
        // Each closed date and each closed weekday can hold the walk up at most once per week.
        for _ in 0..MAX_CLOSED_DATES + 8 {
            if self.is_working(day) {
                return Ok(day);
            }
            day = day.tomorrow().map_err(|_| CoreError::invalid("date", "out of range"))?;
        }
        Err(CoreError::invalid("closed_dates", "no working day within the calendar's reach"))
    }
}

/// Parses closed weekdays written as names or numbers, e.g. `sat,sun`, `Saturday Sunday` or
/// `6,7`; empty means every day is a working day.
pub fn parse_weekdays(s: &str) -> CoreResult<BTreeSet<i8>> {
    let mut out = BTreeSet::new();
    for part in s.split(|c: char| c == ',' || c.is_whitespace()).filter(|p| !p.is_empty()) {
        let p = part.to_ascii_lowercase();
        let named = SHORT.iter().position(|n| *n == p).or_else(|| FULL.iter().position(|f| *f == p));
        let day = match (p.parse::<i8>(), named) {
            (Ok(n), _) if (1..=7).contains(&n) => n,
            (_, Some(k)) => i8::try_from(k + 1).unwrap_or(1),
            _ => {
                return Err(CoreError::invalid(
                    "closed_weekdays",
                    format!("'{part}' is not a weekday (mon … sun, or 1 … 7)"),
                ))
            }
        };
        out.insert(day);
    }
    Ok(out)
}

const SHORT: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
const FULL: [&str; 7] = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"];

/// The weekdays as short names, `sat,sun`.
pub fn weekday_names(days: &BTreeSet<i8>) -> String {
    days.iter()
        .filter_map(|d| usize::try_from(*d - 1).ok().and_then(|k| SHORT.get(k)))
        .copied()
        .collect::<Vec<_>>()
        .join(",")
}

/// Reads a date written `YYYY-MM-DD`.
pub fn parse_date(field: &str, s: &str) -> CoreResult<Date> {
    s.trim().parse().map_err(|_| CoreError::invalid(field, format!("'{s}' is not a date YYYY-MM-DD")))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use jiff::{civil::date, Timestamp};
    use proptest::prelude::*;

    use super::*;
    use crate::company::{tests::uk, Warehouse};

    trait With {
        fn with(&self, cal: &Calendar) -> Warehouse;
    }
    impl With for Warehouse {
        fn with(&self, cal: &Calendar) -> Warehouse {
            Warehouse { calendar: cal.clone(), ..self.clone() }
        }
    }

    fn weekends() -> Calendar {
        Calendar { closed_weekdays: parse_weekdays("sat,sun").unwrap(), closed_dates: BTreeSet::new() }
    }

    #[test]
    fn friday_after_the_cut_off_is_due_monday_and_a_bank_holiday_moves_it_on() {
        let w = uk();
        // Friday 2026-07-03, 13:59 and 14:00 BST (UTC+1).
        let before: Timestamp = "2026-07-03T12:59:00Z".parse().unwrap();
        let after: Timestamp = "2026-07-03T13:00:00Z".parse().unwrap();
        let mut cal = weekends();
        assert_eq!(w.with(&cal).due_date(before).unwrap(), date(2026, 7, 3));
        assert_eq!(w.with(&cal).due_date(after).unwrap(), date(2026, 7, 6));
        cal.closed_dates.insert(date(2026, 7, 6));
        assert_eq!(w.with(&cal).due_date(after).unwrap(), date(2026, 7, 7));
        // Sunday morning: before the cut-off, but closed.
        let sunday: Timestamp = "2026-07-05T08:00:00Z".parse().unwrap();
        assert_eq!(w.with(&weekends()).due_date(sunday).unwrap(), date(2026, 7, 6));
    }

    #[test]
    fn weekdays_parse_as_names_or_numbers_and_a_closed_week_is_refused() {
        assert_eq!(parse_weekdays("Sat, Sunday").unwrap(), BTreeSet::from([6, 7]));
        assert_eq!(parse_weekdays("6 7").unwrap(), BTreeSet::from([6, 7]));
        assert_eq!(parse_weekdays("").unwrap(), BTreeSet::new());
        assert!(parse_weekdays("caturday").is_err());
        assert!(parse_weekdays("8").is_err());
        assert!(parse_weekdays("satx").is_err());
        assert_eq!(weekday_names(&BTreeSet::from([6, 7])), "sat,sun");
        let all = Calendar { closed_weekdays: (1..=7).collect(), closed_dates: BTreeSet::new() };
        assert!(all.next_working(date(2026, 1, 1)).is_err());
    }

    proptest! {
        /// A due date is a working day, never before the local day of submission, and at most a
        /// closed stretch after the day the cut-off gives.
        #[test]
        fn a_due_date_is_a_working_day_on_or_after_the_ship_date(
            secs in 1_700_000_000i64..1_900_000_000,
            closed in proptest::collection::btree_set(1i8..=7, 0..6),
            holidays in proptest::collection::vec(0i32..60, 0..20),
        ) {
            let w = uk();
            let at = Timestamp::from_second(secs).unwrap();
            let ship = w.ship_date(at).unwrap();
            let cal = Calendar {
                closed_weekdays: closed,
                closed_dates: holidays.iter().map(|d| ship.checked_add(jiff::Span::new().days(*d)).unwrap()).collect(),
            };
            let due = w.with(&cal).due_date(at).unwrap();
            prop_assert!(cal.is_working(due));
            prop_assert!(due >= ship);
            let mut d = ship;
            while d < due {
                prop_assert!(!cal.is_working(d), "{d} is a working day before {due}");
                d = d.tomorrow().unwrap();
            }
        }
    }
}
