//! A seller's receiving appointment for one of its (non-express) inbounds: the dock slots of the
//! inbound's warehouse over the next days with the room each has left, a slot picked to book the
//! appointment or move it there, and the appointment cancelled. The use cases decide (a full
//! slot, an inbound that takes none); their refusal is shown on the page.

use askama::Template;
use axum::{
    extract::{Path, Query, State},
    http::StatusCode,
    response::{IntoResponse, Redirect, Response},
    Form,
};
use entrepot_app::types::receiving::AppointmentView;
use entrepot_core::{
    appointment::{self, AppointmentStatus},
    company::Warehouse,
    ids::ClientId,
    inbound::ShippingMode,
    CoreError,
};
use serde::Deserialize;

use crate::{
    failure::{Failure, OrPage},
    format::{local_hm, local_time, now_ms},
    i18n::Tr,
    page::{html, Chrome},
    scan::Outcome,
    state::ConsoleState,
    viewer::Viewer,
};

/// Days of slots one page shows.
const DAYS: i64 = 7;
const DAY_MS: i64 = 86_400_000;

pub(crate) struct SlotRow {
    id: String,
    day: String,
    start: String,
    end: String,
    capacity: i64,
    free: i64,
    mine: bool,
}

/// The appointment as the pages show it.
pub(crate) struct Booked {
    pub slot: String,
    pub status: String,
    pub booked: bool,
}

impl Booked {
    pub fn new(t: Tr, wh: Option<&Warehouse>, a: &AppointmentView) -> Self {
        let end = wh.map(|w| local_hm(w, a.slot.end_ms)).unwrap_or_default();
        Booked {
            slot: format!("{} – {end}", local_time(wh, a.slot.start_ms)),
            status: t.state("appointment-status", a.status.as_str()),
            booked: a.status == AppointmentStatus::Booked,
        }
    }
}

#[derive(Template)]
#[template(path = "appointment.html")]
struct AppointmentPage {
    c: Chrome,
    t: Tr,
    number: String,
    express: bool,
    current: Option<Booked>,
    slots: Vec<SlotRow>,
    from: String,
    earlier: String,
    later: String,
    error: String,
}

impl AppointmentPage {
    /// A slot picked moves a booked appointment (else books one).
    fn moving(&self) -> bool {
        self.current.as_ref().is_some_and(|a| a.booked)
    }
}

#[derive(Deserialize, Default)]
pub(crate) struct SlotQuery {
    from: Option<String>,
}

fn seller(v: &Viewer) -> Result<ClientId, Failure> {
    v.actor.client().cloned().ok_or_else(|| Failure::forbidden(v.tr))
}

/// `GET /console/inbounds/{key}/appointment?from=YYYY-MM-DD`.
pub(crate) async fn page(
    State(st): State<ConsoleState>,
    v: Viewer,
    Path(key): Path<String>,
    Query(q): Query<SlotQuery>,
) -> Result<Response, Failure> {
    render(&st, &v, &key, q.from.as_deref(), String::new()).await
}

async fn render(
    st: &ConsoleState,
    v: &Viewer,
    key: &str,
    from: Option<&str>,
    error: String,
) -> Result<Response, Failure> {
    let t = v.tr;
    let client = seller(v)?;
    let inbound = st.app.find_inbound(&client, key).await.or_page(t)?;
    let number = inbound.inbound.number.clone();
    let wh = st.app.cached_warehouse(&inbound.warehouse_id).await.or_page(t)?;
    let current = st.app.appointment(&v.actor, &client, &number).await.or_page(t)?;
    let day = match from.map(str::trim).filter(|d| !d.is_empty()) {
        Some(d) => appointment::parse_date("from", d).or_page(t)?,
        None => wh.local_date(now_ms()).or_page(t)?,
    };
    let start = appointment::day_start_ms(day, &wh.timezone).or_page(t)?;
    let express = inbound.inbound.mode == ShippingMode::Express;
    let slots = if express {
        vec![]
    } else {
        st.app.dock_slots(&v.actor, &wh.id, start, start + DAYS * DAY_MS).await.or_page(t)?
    };
    let now = now_ms();
    let mine = current.as_ref().filter(|a| a.status == AppointmentStatus::Booked).map(|a| a.slot.id.clone());
    let slots = slots
        .into_iter()
        .filter(|s| s.end_ms > now)
        .map(|s| SlotRow {
            mine: mine.as_deref() == Some(s.id.as_str()),
            day: wh.local_date(s.start_ms).map(|d| d.to_string()).unwrap_or_default(),
            start: local_hm(&wh, s.start_ms),
            end: local_hm(&wh, s.end_ms),
            free: (s.capacity - s.booked).max(0),
            capacity: s.capacity,
            id: s.id,
        })
        .collect();
    let shift = |days: i64| day.checked_add(jiff::Span::new().days(days)).map(|d| d.to_string()).unwrap_or_default();
    let here = format!("/console/inbounds/{number}/appointment");
    let c = Chrome::new(v, "/console/inbounds", "appointment-title", &here);
    let bad = !error.is_empty();
    let mut r = html(
        t,
        &AppointmentPage {
            c,
            t,
            current: current.as_ref().map(|a| Booked::new(t, Some(&wh), a)),
            number,
            express,
            slots,
            from: day.to_string(),
            earlier: shift(-DAYS),
            later: shift(DAYS),
            error,
        },
    )?;
    if bad {
        *r.status_mut() = StatusCode::CONFLICT;
    }
    Ok(r)
}

#[derive(Deserialize)]
pub(crate) struct BookForm {
    csrf: String,
    #[serde(default)]
    slot: String,
    #[serde(default)]
    from: String,
}

/// `POST /console/inbounds/{key}/appointment`: booked into the slot, or moved there.
pub(crate) async fn book(
    State(st): State<ConsoleState>,
    v: Viewer,
    Path(key): Path<String>,
    Form(f): Form<BookForm>,
) -> Result<Response, Failure> {
    v.check_csrf(&f.csrf)?;
    let client = seller(&v)?;
    let slot = Some(f.slot.trim()).filter(|s| !s.is_empty());
    let done = st.app.book_appointment(&v.actor, &client, &key, slot).await.map(|a| a.inbound_number);
    answer(&st, &v, &key, &f.from, done).await
}

/// `POST /console/inbounds/{key}/appointment/cancel`.
pub(crate) async fn cancel(
    State(st): State<ConsoleState>,
    v: Viewer,
    Path(key): Path<String>,
    Form(f): Form<BookForm>,
) -> Result<Response, Failure> {
    v.check_csrf(&f.csrf)?;
    let client = seller(&v)?;
    let done = st.app.cancel_appointment(&v.actor, &client, &key).await.map(|i| i.inbound.number);
    answer(&st, &v, &key, &f.from, done).await
}

/// Back to the slots the seller was looking at, or the refusal shown above them.
async fn answer(
    st: &ConsoleState,
    v: &Viewer,
    key: &str,
    from: &str,
    done: Result<String, CoreError>,
) -> Result<Response, Failure> {
    let from = Some(from.trim()).filter(|f| !f.is_empty());
    match done {
        Ok(number) => {
            let q = from.map(|f| serde_urlencoded::to_string([("from", f)]).unwrap_or_default());
            let to =
                format!("/console/inbounds/{number}/appointment{}", q.map(|q| format!("?{q}")).unwrap_or_default());
            Ok(Redirect::to(&to).into_response())
        }
        Err(e @ (CoreError::NotFound { .. } | CoreError::Forbidden(_) | CoreError::Internal)) => {
            Err(Failure::core(v.tr, e))
        }
        Err(e) => render(st, v, key, from, Outcome::refused(v.tr, &e).message().to_owned()).await,
    }
}
