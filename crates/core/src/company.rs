//! Who is who: the operator company, its warehouses (each both a Bird `company_id` site and an OC
//! `serviceRegion`), and its clients (sellers), which are the tenant boundary.

use jiff::{
    civil::{self, Date},
    tz::TimeZone,
    Timestamp,
};
use serde::{Deserialize, Serialize};

use crate::{
    ids::{ClientId, CompanyId, WarehouseId},
    money::Currency,
    CoreError, CoreResult,
};

/// The company operating warehouses.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Company {
    pub id: CompanyId,
    pub name: String,
}

/// A postal address, shared by warehouses, senders and recipients.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Address {
    pub name: String,
    pub company: Option<String>,
    pub lines: Vec<String>,
    pub city: String,
    pub county: Option<String>,
    pub postcode: String,
    /// ISO 3166-1 alpha-2.
    pub country: String,
    pub phone: Option<String>,
    pub email: Option<String>,
}

/// A warehouse site.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Warehouse {
    pub id: WarehouseId,
    pub company_id: CompanyId,
    /// Short operator code, e.g. `UK1`.
    pub code: String,
    pub name: String,
    /// The site id Bird ERPs send as `company_id`.
    pub bird_company_id: Option<i64>,
    /// The region OC ERPs send as `serviceRegion`.
    pub oc_region: Option<String>,
    /// ISO 3166-1 alpha-2 country the warehouse is in.
    pub country: String,
    /// IANA time zone, for the daily cut-off.
    pub timezone: String,
    /// Local time of day after which new orders ship the next day, in minutes after midnight.
    pub cutoff_minutes: i32,
    pub address: Address,
    /// The days it does not ship (due dates skip them).
    #[serde(default)]
    pub calendar: crate::calendar::Calendar,
}

impl Warehouse {
    /// Checks the fields an operator types in, so a bad time zone is refused at creation rather
    /// than at the first order.
    pub fn validate(&self) -> CoreResult<()> {
        if self.code.trim().is_empty() {
            return Err(CoreError::invalid("code", "must not be empty"));
        }
        validate_country("country", &self.country)?;
        self.tz()?;
        if !(0..24 * 60).contains(&self.cutoff_minutes) {
            return Err(CoreError::invalid("cutoff", "must be a time of day between 00:00 and 23:59"));
        }
        Ok(())
    }

    /// The local date on which an order placed at `now` leaves the warehouse: today before the
    /// cut-off, tomorrow after it.
    pub fn ship_date(&self, now: Timestamp) -> CoreResult<civil::Date> {
        let local = now.to_zoned(self.tz()?).datetime();
        let minutes = i32::from(local.hour()) * 60 + i32::from(local.minute());
        let date = local.date();
        if minutes < self.cutoff_minutes {
            Ok(date)
        } else {
            date.tomorrow().map_err(|_| CoreError::invalid("date", "out of range"))
        }
    }
}

/// The warehouse's clock and calendar: local dates, due dates.
impl Warehouse {
    /// Its time zone (validated when the warehouse was created; a name the zone database no
    /// longer knows is an error, not UTC).
    fn tz(&self) -> CoreResult<TimeZone> {
        TimeZone::get(&self.timezone)
            .map_err(|_| CoreError::invalid("timezone", format!("unknown time zone '{}'", self.timezone)))
    }

    /// The warehouse's local date at `at_ms` (UTC milliseconds).
    pub fn local_date(&self, at_ms: i64) -> CoreResult<Date> {
        let at = Timestamp::from_millisecond(at_ms).map_err(|_| CoreError::invalid("time", "out of range"))?;
        Ok(at.to_zoned(self.tz()?).date())
    }

    /// When the local day `day` begins at the warehouse, UTC ms.
    pub fn local_day_start_ms(&self, day: Date) -> CoreResult<i64> {
        let start = day.to_zoned(self.tz()?).map_err(|_| CoreError::invalid("date", "out of range"))?;
        Ok(start.timestamp().as_millisecond())
    }

    /// `at_ms` as the warehouse's clock shows it, for printed documents: `2030-01-02 14:05
    /// Europe/London`.
    pub fn local_time_text(&self, at_ms: i64) -> CoreResult<String> {
        let at = Timestamp::from_millisecond(at_ms).map_err(|_| CoreError::invalid("time", "out of range"))?;
        Ok(format!("{} {}", at.to_zoned(self.tz()?).strftime("%Y-%m-%d %H:%M"), self.timezone))
    }

    /// The date an order submitted at `at` is due to ship: today before the cut-off, else the
    /// next day, moved on to the warehouse's next working day.
    pub fn due_date(&self, at: Timestamp) -> CoreResult<Date> {
        self.calendar.next_working(self.ship_date(at)?)
    }
}

/// Parses `HH:MM` into minutes after midnight.
pub fn parse_cutoff(s: &str) -> CoreResult<i32> {
    let bad = || CoreError::invalid("cutoff", format!("'{s}' is not a time of day HH:MM"));
    let (h, m) = s.trim().split_once(':').ok_or_else(bad)?;
    let h: i32 = h.parse().map_err(|_| bad())?;
    let m: i32 = m.parse().map_err(|_| bad())?;
    if !(0..24).contains(&h) || !(0..60).contains(&m) {
        return Err(bad());
    }
    Ok(h * 60 + m)
}

/// Refuses anything but two ASCII letters; returns the upper-case code.
pub fn validate_country(field: &str, s: &str) -> CoreResult<String> {
    let t = s.trim();
    if t.len() == 2 && t.bytes().all(|b| b.is_ascii_alphabetic()) {
        Ok(t.to_ascii_uppercase())
    } else {
        Err(CoreError::invalid(field, format!("'{s}' is not an ISO 3166-1 alpha-2 country code")))
    }
}

/// A client (seller) of the operator: every piece of client data is scoped by its id.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Client {
    pub id: ClientId,
    pub company_id: CompanyId,
    pub name: String,
    /// The currency its balance is kept in.
    pub currency: Currency,
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// A warehouse in the UK with a 14:00 cut-off, for tests across the core.
    pub(crate) fn uk() -> Warehouse {
        Warehouse {
            id: "wh_1".into(),
            company_id: "cmp_1".into(),
            code: "UK1".into(),
            name: "UK".into(),
            bird_company_id: Some(1),
            oc_region: Some("UK".into()),
            country: "GB".into(),
            timezone: "Europe/London".into(),
            cutoff_minutes: 14 * 60,
            address: Address::default(),
            calendar: Default::default(),
        }
    }

    #[test]
    fn cutoff_moves_ship_date_in_local_time() {
        let w = uk();
        // 13:59 BST (UTC+1) on 2026-07-01 is 12:59 UTC: ships today.
        let before: Timestamp = "2026-07-01T12:59:00Z".parse().unwrap();
        assert_eq!(w.ship_date(before).unwrap(), civil::date(2026, 7, 1));
        // 14:00 BST is 13:00 UTC: ships tomorrow.
        let after: Timestamp = "2026-07-01T13:00:00Z".parse().unwrap();
        assert_eq!(w.ship_date(after).unwrap(), civil::date(2026, 7, 2));
        // In winter London is UTC+0: 13:30 UTC is still before the cut-off.
        let winter: Timestamp = "2026-01-05T13:30:00Z".parse().unwrap();
        assert_eq!(w.ship_date(winter).unwrap(), civil::date(2026, 1, 5));
    }

    #[test]
    fn validation_catches_operator_typos() {
        let mut w = uk();
        w.timezone = "Europe/Londn".into();
        assert!(w.validate().is_err());
        assert_eq!(parse_cutoff("14:00").unwrap(), 840);
        assert!(parse_cutoff("25:00").is_err());
        assert!(validate_country("c", "GBR").is_err());
        assert_eq!(validate_country("c", "de").unwrap(), "DE");
    }
}
