//! The floor's unidentified queue: freight at the dock with no inbound order and returned parcels
//! with no return authorisation, of one warehouse, oldest first, each with its age, what was
//! scanned, and how to resolve it (freight: match it to a client's inbound, or close it with a
//! reason; a parcel: match it to a return by its scan, or dispose of it once
//! [`DISPOSE_AFTER_DAYS`] have passed). The staff navigation shows how many wait.

use askama::Template;
use axum::{
    extract::{Query, State},
    http::StatusCode,
    response::{IntoResponse, Redirect, Response},
    Form,
};
use entrepot_app::{
    types::{receiving::Resolution, unidentified::UnidentifiedItem},
    DISPOSE_AFTER_DAYS,
};
use entrepot_core::{
    company::Warehouse,
    ids::{ClientId, UnidentifiedReturnId},
    CoreError,
};
use serde::Deserialize;

use crate::{
    failure::{Failure, OrPage},
    floor::{Picker, WarehouseQuery},
    format::{local_time, now_ms},
    i18n::Tr,
    page::{html, Chrome},
    scan::Outcome,
    state::ConsoleState,
    viewer::Viewer,
};

const DAY_MS: i64 = 86_400_000;

pub(crate) struct Item {
    /// `freight` or `return`.
    kind: &'static str,
    id: String,
    arrived: String,
    age_days: i64,
    /// What was scanned or written down: tracking, carrier, cartons; the parcel's code.
    scanned: String,
    note: String,
    /// A parcel may be disposed of now (else `dispose_from` says from when).
    disposable: bool,
    dispose_from: String,
}

#[derive(Template)]
#[template(path = "unidentified.html")]
struct QueuePage {
    c: Chrome,
    t: Tr,
    picker: Picker,
    warehouse: String,
    items: Vec<Item>,
    error: String,
}

fn item(t: Tr, wh: &Warehouse, now: i64, i: &UnidentifiedItem) -> Item {
    let at = i.arrived_at_ms();
    let age_days = now.saturating_sub(at).max(0) / DAY_MS;
    match i {
        UnidentifiedItem::Freight(f) => {
            let scanned = [f.tracking.clone(), f.carrier.clone()]
                .into_iter()
                .flatten()
                .chain([t.t1("unidentified-cartons", "n", f.cartons)])
                .collect::<Vec<_>>()
                .join(" · ");
            Item {
                kind: "freight",
                id: f.id.clone(),
                arrived: local_time(Some(wh), at),
                age_days,
                scanned,
                note: f.note.clone().unwrap_or_default(),
                disposable: false,
                dispose_from: String::new(),
            }
        }
        UnidentifiedItem::Return(r) => {
            let from = at.saturating_add(DISPOSE_AFTER_DAYS.saturating_mul(DAY_MS));
            Item {
                kind: "return",
                id: r.id.0.clone(),
                arrived: local_time(Some(wh), at),
                age_days,
                scanned: r.scanned.clone(),
                note: r.note.clone().unwrap_or_default(),
                disposable: from <= now,
                dispose_from: t.t2(
                    "unidentified-dispose-from",
                    ("days", DISPOSE_AFTER_DAYS),
                    ("time", local_time(Some(wh), from)),
                ),
            }
        }
    }
}

/// `GET /console/unidentified?warehouse=UK1`.
pub(crate) async fn page(
    State(st): State<ConsoleState>,
    v: Viewer,
    Query(q): Query<WarehouseQuery>,
) -> Result<Response, Failure> {
    render(&st, &v, q.warehouse.as_deref(), String::new()).await
}

async fn render(st: &ConsoleState, v: &Viewer, code: Option<&str>, error: String) -> Result<Response, Failure> {
    let t = v.tr;
    let (mine, wh) = crate::floor::warehouse(st, v, code).await?;
    let now = now_ms();
    let items =
        st.app.unidentified_queue(&v.actor, &wh.id).await.or_page(t)?.iter().map(|i| item(t, &wh, now, i)).collect();
    let here = format!("/console/unidentified?warehouse={}", wh.code);
    let c = Chrome::new(v, "/console/unidentified", "nav-unidentified", &here);
    let bad = !error.is_empty();
    let page = QueuePage {
        c,
        t,
        picker: Picker::new("/console/unidentified", &mine, &wh),
        warehouse: wh.code.clone(),
        items,
        error,
    };
    let mut r = html(t, &page)?;
    if bad {
        *r.status_mut() = StatusCode::CONFLICT;
    }
    Ok(r)
}

#[derive(Deserialize)]
pub(crate) struct Resolve {
    csrf: String,
    #[serde(default)]
    warehouse: String,
    /// `freight` or `return`.
    kind: String,
    id: String,
    /// `match`, `close` (freight) or `dispose` (a parcel).
    action: String,
    /// Freight matched: the client and its inbound (number or reference).
    #[serde(default)]
    client: String,
    #[serde(default)]
    inbound: String,
    /// A parcel matched: the return's consignment id or tracking number.
    #[serde(default)]
    scan: String,
    /// Freight closed: why.
    #[serde(default)]
    reason: String,
}

/// `POST /console/unidentified`: one item resolved, then back to the queue (a refusal is shown
/// above it).
pub(crate) async fn resolve(
    State(st): State<ConsoleState>,
    v: Viewer,
    Form(f): Form<Resolve>,
) -> Result<Response, Failure> {
    v.check_csrf(&f.csrf)?;
    crate::floor::staff_only(&v)?;
    let done = match (f.kind.as_str(), f.action.as_str()) {
        ("freight", "match") => {
            let r = Resolution::Match { client: ClientId(f.client.trim().to_owned()), inbound: f.inbound };
            st.app.resolve_unidentified(&v.actor, &f.id, r).await.map(|_| ())
        }
        ("freight", "close") => {
            st.app.resolve_unidentified(&v.actor, &f.id, Resolution::Close { reason: f.reason }).await.map(|_| ())
        }
        ("return", "match") => {
            let id = UnidentifiedReturnId(f.id.trim().to_owned());
            st.app.match_unidentified_return(&v.actor, &id, &f.scan).await.map(|_| ())
        }
        ("return", "dispose") => {
            let id = UnidentifiedReturnId(f.id.trim().to_owned());
            st.app.dispose_unidentified_return(&v.actor, &id).await.map(|_| ())
        }
        _ => Err(CoreError::invalid("action", "expected match, close or dispose")),
    };
    let code = Some(f.warehouse.trim()).filter(|c| !c.is_empty());
    match done {
        Ok(()) => {
            let q = serde_urlencoded::to_string([("warehouse", code.unwrap_or_default())]).unwrap_or_default();
            Ok(Redirect::to(&format!("/console/unidentified?{q}")).into_response())
        }
        Err(e @ (CoreError::Forbidden(_) | CoreError::Internal)) => Err(Failure::core(v.tr, e)),
        Err(e) => render(&st, &v, code, Outcome::refused(v.tr, &e).message().to_owned()).await,
    }
}

/// `GET /console/unidentified/count`: how many items wait in the viewer's warehouses, as the
/// navigation's badge (loaded after the page; nothing for someone who is not staff).
pub(crate) async fn count(State(st): State<ConsoleState>, v: Viewer) -> Response {
    let Ok((mine, _)) = crate::floor::warehouse(&st, &v, None).await else { return String::new().into_response() };
    let mut n = 0usize;
    for wh in &mine {
        if let Ok(items) = st.app.unidentified_queue(&v.actor, &wh.id).await {
            n = n.saturating_add(items.len());
        }
    }
    html(v.tr, &Count { n, t: v.tr }).unwrap_or_else(IntoResponse::into_response)
}

/// The navigation's badge: nothing when the queue is empty.
#[derive(Template)]
#[template(
    source = "{% if n > 0 %}<span class=\"count\" id=\"unidentified-count\">{{ n }}<span class=\"visually-hidden\"> {{ t.t(\"unidentified-waiting\") }}</span></span>{% endif %}",
    ext = "html"
)]
struct Count {
    n: usize,
    t: Tr,
}
