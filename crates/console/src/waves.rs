//! Waves: release the orders due by a day (all carriers, or one service's) into pick lists,
//! and see the day's waves and the lists still open on the floor.

use askama::Template;
use axum::{
    extract::{Query, State},
    response::{IntoResponse, Redirect, Response},
    Form,
};
use entrepot_app::WaveRequest;
use entrepot_core::company::Warehouse;
use serde::Deserialize;

use crate::{
    failure::{Failure, OrPage},
    i18n::Tr,
    page::{html, Chrome},
    state::ConsoleState,
    viewer::Viewer,
};

pub(crate) struct WaveRow {
    number: i64,
    due_by: String,
    status: String,
    orders: i64,
    units: i64,
    lists: i64,
    released: String,
}

pub(crate) struct ListRow {
    id: String,
    name: String,
    zone: String,
    totes: i64,
    status: String,
    picker: String,
    progress: String,
}

#[derive(Template)]
#[template(path = "waves.html")]
struct WavesPage {
    c: Chrome,
    t: Tr,
    warehouses: Vec<Warehouse>,
    code: String,
    today: String,
    services: Vec<(String, String)>,
    waves: Vec<WaveRow>,
    lists: Vec<ListRow>,
    notice: String,
    shorts: usize,
}

#[derive(Deserialize, Default)]
pub(crate) struct WavesQuery {
    warehouse: Option<String>,
    released: Option<i64>,
    shorts: Option<usize>,
}

pub(crate) async fn page(
    State(st): State<ConsoleState>,
    v: Viewer,
    Query(q): Query<WavesQuery>,
) -> Result<Response, Failure> {
    let t = v.tr;
    let (warehouses, wh) = crate::floor::warehouse(&st, &v, q.warehouse.as_deref()).await?;
    let waves = st.app.waves(&v.actor, &wh.id, None, 20).await.or_page(t)?;
    let open = st.app.open_pick_lists(&v.actor, &wh.id, None, 100).await.or_page(t)?;
    let number_of = |id: &entrepot_core::ids::WaveId| waves.iter().find(|w| &w.id == id).map(|w| w.number).unwrap_or(0);
    let lists = open
        .iter()
        .map(|l| ListRow {
            id: l.id.0.clone(),
            name: t.t2("wave-list-name", ("wave", number_of(&l.wave_id)), ("list", l.number)),
            zone: l.zone.clone().unwrap_or_default(),
            totes: l.totes,
            status: l.status.clone(),
            picker: l.picker.clone().unwrap_or_default(),
            progress: format!("{}/{}", l.picked, l.units),
        })
        .collect();
    let waves = waves
        .iter()
        .map(|w| WaveRow {
            number: w.number,
            due_by: w.due_by.clone(),
            status: w.status.clone(),
            orders: w.orders,
            units: w.units,
            lists: w.lists.len() as i64,
            released: crate::format::local_time(Some(&wh), w.created_at_ms),
        })
        .collect();
    let services =
        st.app.services(Some(&wh.id)).await.or_page(t)?.into_iter().map(|s| (s.code.clone(), s.name.clone())).collect();
    let notice = q.released.map(|n| t.t1("wave-released", "n", n)).unwrap_or_default();
    let today = wh.local_date(jiff::Timestamp::now().as_millisecond()).map(|d| d.to_string()).unwrap_or_default();
    let here = format!("/console/waves?warehouse={}", wh.code);
    let c = Chrome::new(&v, "/console/waves", "nav-waves", &here);
    html(
        t,
        &WavesPage {
            c,
            t,
            code: wh.code.clone(),
            warehouses,
            today,
            services,
            waves,
            lists,
            notice,
            shorts: q.shorts.unwrap_or(0),
        },
    )
}

#[derive(Deserialize)]
pub(crate) struct ReleaseForm {
    csrf: String,
    warehouse: String,
    #[serde(default)]
    due_by: String,
    #[serde(default)]
    service: String,
}

pub(crate) async fn release(
    State(st): State<ConsoleState>,
    v: Viewer,
    Form(f): Form<ReleaseForm>,
) -> Result<Response, Failure> {
    v.check_csrf(&f.csrf)?;
    let (_, wh) = crate::floor::warehouse(&st, &v, Some(&f.warehouse)).await?;
    let r = WaveRequest {
        due_by: Some(f.due_by).filter(|d| !d.trim().is_empty()),
        service: Some(f.service).filter(|s| !s.trim().is_empty()),
        max_orders: None,
        totes: None,
        single_over_units: None,
    };
    let w = st.app.release_wave(&v.actor, &wh.id, r).await.or_page(v.tr)?;
    Ok(Redirect::to(&format!("/console/waves?warehouse={}&released={}&shorts={}", wh.code, w.number, w.short.len()))
        .into_response())
}
