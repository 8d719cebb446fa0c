//! Cycle counts by scans: the open count tasks of the warehouse (a task opened from the list,
//! or by scanning its bin), the bin scanned (refused naming the task's if another), then each
//! SKU label counting one unit (or the quantity typed), and the count submitted at once. The
//! count is blind: the counter never sees what the bin should hold. A supervisor sees below the
//! counts whose variance waits for approval, and approves or rejects each.

use askama::Template;
use axum::{
    extract::{Path, Query, State},
    http::HeaderMap,
    response::{IntoResponse, Redirect, Response},
    Form,
};
use entrepot_app::{CountFilter, CountResults, CountScanIn, CountTask};
use entrepot_core::{company::Warehouse, count::CountState};
use serde::Deserialize;

use crate::{
    failure::{Failure, OrPage},
    floor::{self, Picker},
    i18n::Tr,
    page::{html, Chrome},
    scan::{self, Outcome, ScanForm, Tally, TallyLine},
    state::ConsoleState,
    viewer::Viewer,
};

/// Most tasks of a state the page lists.
const LISTED: i64 = 200;

#[derive(Template)]
#[template(path = "count_screen.html")]
struct Screen {
    t: Tr,
    outcome: Outcome,
    warehouse: String,
    /// The task being counted (empty: none).
    task: String,
    /// Its bin.
    bin: String,
    step: &'static str,
    tally: String,
    lines: Vec<TallyLine>,
    /// (task id, bin) of the open tasks, when none is being counted.
    open: Vec<(String, String)>,
}

/// A count waiting for a supervisor, with its lines.
struct Held {
    id: String,
    bin: String,
    counted_by: String,
    reason: String,
    /// (SKU, expected, counted, variance).
    lines: Vec<(String, i64, i64, i64)>,
}

#[derive(Template)]
#[template(path = "counts.html")]
struct CountsPage {
    c: Chrome,
    t: Tr,
    picker: Picker,
    form: ScanForm,
    screen: Screen,
    supervisor: bool,
    held: Vec<Held>,
}

fn form() -> ScanForm {
    ScanForm { action: "/console/counts/scan".into(), quantity: true, damaged: false }
}

async fn tasks(st: &ConsoleState, v: &Viewer, wh: &Warehouse, state: CountState) -> Result<Vec<CountTask>, Failure> {
    let f = CountFilter { warehouse: wh.id.clone(), state: Some(state), after: None, limit: LISTED };
    st.app.count_tasks(&v.actor, f).await.or_page(v.tr)
}

/// The screen counting `task` at `step`, or (none) listing the open tasks.
async fn screen(
    st: &ConsoleState,
    v: &Viewer,
    wh: &Warehouse,
    outcome: Outcome,
    task: Option<(&CountTask, &'static str)>,
    tally: &Tally,
) -> Result<Screen, Failure> {
    let open = match task {
        Some(_) => vec![],
        None => tasks(st, v, wh, CountState::Open).await?.into_iter().map(|t| (t.id, t.location_code)).collect(),
    };
    Ok(Screen {
        t: v.tr,
        outcome,
        warehouse: wh.code.clone(),
        task: task.map(|(t, _)| t.id.clone()).unwrap_or_default(),
        bin: task.map(|(t, _)| t.location_code.clone()).unwrap_or_default(),
        step: task.map_or("task", |(_, s)| s),
        tally: tally.encode(),
        lines: tally.lines().to_vec(),
        open,
    })
}

async fn answer(
    st: &ConsoleState,
    v: &Viewer,
    headers: &HeaderMap,
    mine: &[Warehouse],
    wh: &Warehouse,
    screen: Screen,
) -> Result<Response, Failure> {
    let t = v.tr;
    if scan::wants_screen(headers) {
        return html(t, &screen);
    }
    let supervisor = v.actor.require_supervisor().is_ok();
    let held =
        if supervisor { tasks(st, v, wh, CountState::Counted).await?.into_iter().map(held).collect() } else { vec![] };
    let here = if screen.task.is_empty() {
        format!("/console/counts?warehouse={}", wh.code)
    } else {
        format!("/console/counts/{}", screen.task)
    };
    let c = Chrome::new(v, "/console/counts", "nav-counts", &here);
    let picker = Picker::new("/console/counts", mine, wh);
    html(t, &CountsPage { c, t, picker, form: form(), screen, supervisor, held })
}

fn held(t: CountTask) -> Held {
    Held {
        bin: t.location_code,
        counted_by: t.counted_by.unwrap_or_default(),
        reason: t.hold_reason.unwrap_or_default(),
        lines: t
            .lines
            .into_iter()
            .map(|l| {
                let sku = format!("{} · {}", l.seller_sku, l.mfskuid);
                (sku, l.expected.unwrap_or(0), l.counted.unwrap_or(0), l.variance.unwrap_or(0))
            })
            .collect(),
        id: t.id,
    }
}

/// The open counts of the chosen warehouse (and, for a supervisor, those awaiting approval).
pub(crate) async fn page(
    State(st): State<ConsoleState>,
    v: Viewer,
    headers: HeaderMap,
    Query(q): Query<crate::floor::WarehouseQuery>,
) -> Result<Response, Failure> {
    let (mine, wh) = floor::warehouse(&st, &v, q.warehouse.as_deref()).await?;
    let s = screen(&st, &v, &wh, Outcome::Waiting, None, &Tally::default()).await?;
    answer(&st, &v, &headers, &mine, &wh, s).await
}

/// One task opened for counting: its bin is scanned first.
pub(crate) async fn open(
    State(st): State<ConsoleState>,
    v: Viewer,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<Response, Failure> {
    floor::staff_only(&v)?;
    let task = st.app.count_task(&v.actor, &id).await.or_page(v.tr)?;
    let code = st.app.cached_warehouse(&task.warehouse_id).await.or_page(v.tr)?.code;
    let (mine, wh) = floor::warehouse(&st, &v, Some(&code)).await?;
    let s = if task.state == CountState::Open {
        screen(&st, &v, &wh, Outcome::Waiting, Some((&task, "bin")), &Tally::default()).await?
    } else {
        let msg = v.tr.t1("count-not-open", "bin", task.location_code.clone());
        screen(&st, &v, &wh, Outcome::Refused(msg), None, &Tally::default()).await?
    };
    answer(&st, &v, &headers, &mine, &wh, s).await
}

#[derive(Deserialize)]
pub(crate) struct ScanBody {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    code: String,
    #[serde(default)]
    warehouse: String,
    #[serde(default)]
    task: String,
    #[serde(default)]
    step: String,
    #[serde(default)]
    tally: String,
    quantity: Option<String>,
    /// The "submit the count" button.
    submit: Option<String>,
}

/// One scan: with no task open, a bin with an open count opens it; then the bin, then SKU
/// labels; the submit button records the count.
pub(crate) async fn scan(
    State(st): State<ConsoleState>,
    v: Viewer,
    headers: HeaderMap,
    Form(f): Form<ScanBody>,
) -> Result<Response, Failure> {
    v.check_csrf(&f.csrf)?;
    let t = v.tr;
    let (mine, wh) = floor::warehouse(&st, &v, Some(&f.warehouse)).await?;
    let (stref, vref, href, mref, wref) = (&st, &v, &headers, &mine, &wh);
    let show = move |outcome: Outcome, task: Option<(&CountTask, &'static str)>, tally: &Tally| {
        let tally = tally.clone();
        let task = task.map(|(k, s)| (k.clone(), s));
        async move {
            let s = screen(stref, vref, wref, outcome, task.as_ref().map(|(k, s)| (k, *s)), &tally).await?;
            answer(stref, vref, href, mref, wref, s).await
        }
    };
    let mut tally = Tally::parse(&f.tally);
    let code = scan::code(&f.code);
    if f.task.trim().is_empty() {
        let Some(code) = code else { return show(Outcome::Refused(t.t("scan-empty")), None, &tally).await };
        let open = tasks(&st, &v, &wh, CountState::Open).await?;
        if let Some(k) = open.iter().find(|k| k.location_code.eq_ignore_ascii_case(&code)) {
            let msg = t.t1("count-opened", "bin", k.location_code.clone());
            return show(Outcome::Accepted(msg), Some((k, "sku")), &Tally::default()).await;
        }
        if let Some(k) = open.iter().find(|k| k.id == code) {
            return show(Outcome::Waiting, Some((k, "bin")), &Tally::default()).await;
        }
        return show(Outcome::Refused(t.t1("count-no-task", "code", code)), None, &tally).await;
    }
    let task = st.app.count_task(&v.actor, f.task.trim()).await.or_page(t)?;
    let step = if f.step == "sku" { "sku" } else { "bin" };
    if f.submit.is_some() && step == "sku" {
        let r = CountResults {
            task: task.id.clone(),
            bin: task.location_code.clone(),
            scans: tally.lines().iter().map(|l| CountScanIn { code: l.code.clone(), qty: l.qty }).collect(),
            scan_id: scan::scan_id(&headers),
        };
        return match st.app.record_count(&v.actor, r).await {
            Ok(out) => {
                let key = if out.task.state == CountState::Counted { "count-held" } else { "count-applied" };
                show(Outcome::Accepted(t.t1(key, "bin", task.location_code.clone())), None, &Tally::default()).await
            }
            Err(e) => show(scan::refusal(t, e)?, Some((&task, step)), &tally).await,
        };
    }
    let Some(code) = code else { return show(Outcome::Refused(t.t("scan-empty")), Some((&task, step)), &tally).await };
    if step == "bin" {
        if !code.eq_ignore_ascii_case(&task.location_code) {
            let msg = t.t2("scan-wrong-bin", ("expected", task.location_code.clone()), ("got", code));
            return show(Outcome::Refused(msg), Some((&task, "bin")), &tally).await;
        }
        return show(Outcome::Accepted(task.location_code.clone()), Some((&task, "sku")), &tally).await;
    }
    let Ok(qty) = scan::quantity(f.quantity.as_deref(), 1) else {
        return show(Outcome::Refused(t.t("scan-bad-quantity")), Some((&task, step)), &tally).await;
    };
    let qty = qty.unwrap_or(1);
    match tally.add(&code, false, qty) {
        Ok(n) => {
            let msg = t.t2("count-counted", ("n", qty), ("sku", code.clone())) + &format!(" ({n})");
            show(Outcome::Accepted(msg), Some((&task, "sku")), &tally).await
        }
        Err(()) => show(Outcome::Refused(t.t("scan-bad-quantity")), Some((&task, "sku")), &tally).await,
    }
}

#[derive(Deserialize)]
pub(crate) struct DecideBody {
    csrf: String,
    #[serde(default)]
    warehouse: String,
    #[serde(default)]
    reason: String,
}

/// A supervisor applies a held count's variance.
pub(crate) async fn approve(
    State(st): State<ConsoleState>,
    v: Viewer,
    Path(id): Path<String>,
    Form(f): Form<DecideBody>,
) -> Result<Response, Failure> {
    v.check_csrf(&f.csrf)?;
    st.app.approve_count(&v.actor, &id).await.or_page(v.tr)?;
    Ok(back(&f.warehouse))
}

/// A supervisor rejects a held count: nothing is applied.
pub(crate) async fn reject(
    State(st): State<ConsoleState>,
    v: Viewer,
    Path(id): Path<String>,
    Form(f): Form<DecideBody>,
) -> Result<Response, Failure> {
    v.check_csrf(&f.csrf)?;
    st.app.reject_count(&v.actor, &id, Some(&f.reason)).await.or_page(v.tr)?;
    Ok(back(&f.warehouse))
}

fn back(warehouse: &str) -> Response {
    let q = serde_urlencoded::to_string([("warehouse", warehouse)]).unwrap_or_default();
    Redirect::to(&format!("/console/counts?{q}")).into_response()
}
