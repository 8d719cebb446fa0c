//! How values read on a page: money in major units with its currency, times in the
//! warehouse's own zone, states by their translated names.

use entrepot_core::{
    company::Warehouse,
    money::{format_minor, Currency},
    outbound::OutboundStatus,
};

use crate::i18n::Tr;

/// A whole number typed into a form field.
pub fn whole(field: &str, text: &str) -> Result<i64, entrepot_core::CoreError> {
    text.trim().parse::<i64>().map_err(|_| entrepot_core::CoreError::invalid(field, "must be a whole number"))
}

/// `1234` GBP → `12.34 GBP`.
pub fn money(minor: i64, currency: &str) -> String {
    let exp = Currency::parse(currency).map(|c| c.exponent()).unwrap_or(2);
    format!("{} {currency}", format_minor(minor, exp))
}

/// A moment in the warehouse's zone (`2026-12-03 14:05 Europe/London`), or UTC when the zone is
/// unknown.
pub fn local_time(wh: Option<&Warehouse>, at_ms: i64) -> String {
    wh.and_then(|w| w.local_time_text(at_ms).ok()).unwrap_or_else(|| {
        jiff::Timestamp::from_millisecond(at_ms)
            .map(|t| t.strftime("%Y-%m-%d %H:%M UTC").to_string())
            .unwrap_or_default()
    })
}

/// A state's name in the reader's language.
pub fn status(t: Tr, s: OutboundStatus) -> String {
    t.state("status", s.as_str())
}

/// The CSS class a state is drawn with.
pub fn status_class(s: OutboundStatus) -> &'static str {
    match s {
        OutboundStatus::Exception => "bad",
        OutboundStatus::Cancelled | OutboundStatus::Draft => "muted",
        OutboundStatus::Shipped | OutboundStatus::Delivered => "good",
        _ => "busy",
    }
}

/// The hour and minute of a moment in the warehouse's zone (`14:05`), for the end of a slot
/// shown beside its start.
pub fn local_hm(wh: &Warehouse, at_ms: i64) -> String {
    let tz = jiff::tz::TimeZone::get(&wh.timezone).unwrap_or(jiff::tz::TimeZone::UTC);
    jiff::Timestamp::from_millisecond(at_ms).map(|t| t.to_zoned(tz).strftime("%H:%M").to_string()).unwrap_or_default()
}

/// Now, UTC milliseconds.
pub fn now_ms() -> i64 {
    jiff::Timestamp::now().as_millisecond()
}

/// A time of day kept as minutes after midnight (a cut-off), `HH:MM`.
pub fn time_of_day(minutes: i32) -> String {
    format!("{:02}:{:02}", minutes / 60, minutes % 60)
}

/// The days a warehouse does not ship: its closed weekdays by name, then its closed dates.
pub fn closed_days(t: Tr, c: &entrepot_core::calendar::Calendar) -> String {
    let days = c.closed_weekdays.iter().map(|d| t.t(&format!("weekday-{d}")));
    days.chain(c.closed_dates.iter().map(|d| d.to_string())).collect::<Vec<_>>().join(", ")
}
