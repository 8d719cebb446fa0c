//! The dock lead's appointments calendar: a week of one warehouse's dock slots (7 days from a
//! chosen day, in the warehouse's zone) with the inbounds booked into each, so they see what
//! arrives when; each inbound opens its receiving screen. Stacked days on a phone, a grid of
//! days on a desk (console.css `.week`).

use askama::Template;
use axum::{
    extract::{Query, State},
    response::Response,
};
use entrepot_app::types::receiving::DockBooking;
use entrepot_core::{
    appointment::{self, AppointmentStatus},
    company::Warehouse,
};
use serde::Deserialize;

use crate::{
    failure::{Failure, OrPage},
    floor::Picker,
    format::{local_hm, now_ms},
    i18n::Tr,
    page::{html, Chrome},
    state::ConsoleState,
    viewer::Viewer,
};

/// Days one page shows.
const DAYS: i64 = 7;

pub(crate) struct Booking {
    number: String,
    reference: String,
    client: String,
    /// Cartons and units expected.
    expected: String,
    status: String,
    class: &'static str,
}

pub(crate) struct Slot {
    start: String,
    end: String,
    /// Booked of capacity.
    usage: String,
    bookings: Vec<Booking>,
}

pub(crate) struct Day {
    date: String,
    weekday: String,
    today: bool,
    /// The day's slots with something booked (an empty slot is only counted).
    slots: Vec<Slot>,
    open_slots: usize,
}

#[derive(Template)]
#[template(path = "dock_calendar.html")]
struct CalendarPage {
    c: Chrome,
    t: Tr,
    picker: Picker,
    warehouse: String,
    from: String,
    earlier: String,
    later: String,
    days: Vec<Day>,
    booked: usize,
}

#[derive(Deserialize, Default)]
pub(crate) struct CalendarQuery {
    warehouse: Option<String>,
    /// The first day shown, `YYYY-MM-DD` in the warehouse's zone (today when absent).
    from: Option<String>,
}

fn booking(t: Tr, b: &DockBooking) -> Booking {
    let v = &b.inbound;
    Booking {
        number: v.inbound.number.clone(),
        reference: v.reference.clone(),
        client: v.client_id.0.clone(),
        expected: t.tn(
            "calendar-expected",
            &[
                (
                    "cartons",
                    i64::try_from(entrepot_ops::inbound_files::cartons(v, |_| String::new()).len()).unwrap_or(0),
                ),
                ("units", v.inbound.lines.iter().fold(0i64, |n, l| n.saturating_add(l.expected))),
            ],
        ),
        status: t.state("appointment-status", b.status.as_str()),
        class: match b.status {
            AppointmentStatus::Arrived => "good",
            AppointmentStatus::NoShow => "bad",
            _ => "busy",
        },
    }
}

/// `GET /console/appointments?warehouse=UK1&from=YYYY-MM-DD`.
pub(crate) async fn page(
    State(st): State<ConsoleState>,
    v: Viewer,
    Query(q): Query<CalendarQuery>,
) -> Result<Response, Failure> {
    let t = v.tr;
    let (mine, wh) = crate::floor::warehouse(&st, &v, q.warehouse.as_deref()).await?;
    let today = wh.local_date(now_ms()).or_page(t)?;
    let first = match q.from.as_deref().map(str::trim).filter(|d| !d.is_empty()) {
        Some(d) => appointment::parse_date("from", d).or_page(t)?,
        None => today,
    };
    let shift = |days: i64| first.checked_add(jiff::Span::new().days(days)).ok();
    let after =
        shift(DAYS).ok_or_else(|| Failure::core(t, entrepot_core::CoreError::invalid("from", "out of range")))?;
    let start = appointment::day_start_ms(first, &wh.timezone).or_page(t)?;
    let end = appointment::day_start_ms(after, &wh.timezone).or_page(t)?;
    let cal = st.app.dock_calendar(&v.actor, &wh.id, start, end).await.or_page(t)?;
    let days = week(t, &wh, first, today, &cal)?;
    let text = |d: Option<jiff::civil::Date>| d.map(|d| d.to_string()).unwrap_or_default();
    let here = format!("/console/appointments?warehouse={}&from={first}", wh.code);
    let c = Chrome::new(&v, "/console/appointments", "nav-appointments", &here);
    html(
        t,
        &CalendarPage {
            c,
            t,
            picker: Picker::new("/console/appointments", &mine, &wh),
            warehouse: wh.code.clone(),
            from: first.to_string(),
            earlier: text(shift(-DAYS)),
            later: after.to_string(),
            booked: cal.bookings.len(),
            days,
        },
    )
}

/// The 7 days from `first`, each with its slots and their bookings, in time order.
fn week(
    t: Tr,
    wh: &Warehouse,
    first: jiff::civil::Date,
    today: jiff::civil::Date,
    cal: &entrepot_app::types::receiving::DockCalendar,
) -> Result<Vec<Day>, Failure> {
    let mut days = vec![];
    let mut day = first;
    for _ in 0..DAYS {
        let date = day.to_string();
        let all: Vec<Slot> = cal
            .slots
            .iter()
            .filter(|s| wh.local_date(s.start_ms).is_ok_and(|d| d == day))
            .map(|s| {
                let bookings: Vec<Booking> =
                    cal.bookings.iter().filter(|b| b.slot_id == s.id).map(|b| booking(t, b)).collect();
                let n = i64::try_from(bookings.len()).unwrap_or(0);
                Slot {
                    start: local_hm(wh, s.start_ms),
                    end: local_hm(wh, s.end_ms),
                    usage: t.tn("calendar-slot-use", &[("n", n), ("capacity", s.capacity)]),
                    bookings,
                }
            })
            .collect();
        let open_slots = all.iter().filter(|s| s.bookings.is_empty()).count();
        let slots = all.into_iter().filter(|s| !s.bookings.is_empty()).collect();
        days.push(Day {
            weekday: t.t(&format!("calendar-weekday-{}", day.weekday().to_monday_one_offset())),
            today: day == today,
            date,
            slots,
            open_slots,
        });
        day = day.tomorrow().map_err(|_| Failure::not_found(t))?;
    }
    Ok(days)
}
