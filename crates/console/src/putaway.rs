//! Putaway from the dock, by scans: a SKU label (or a task chosen from the list of what waits)
//! opens the task and shows the bin the units should go to; scanning that bin puts them away
//! (all that waits, or the quantity typed). Another bin is refused naming the suggested one,
//! and may then be confirmed with a button.

use std::collections::HashMap;

use askama::Template;
use axum::{
    extract::{Query, State},
    http::HeaderMap,
    response::Response,
    Form,
};
use entrepot_app::{PutawayScan, PutawayTask};
use entrepot_core::{
    company::Warehouse,
    ids::{ClientId, SkuId},
    CoreError,
};
use serde::Deserialize;

use crate::{
    failure::{Failure, OrPage},
    floor::{self, Picker},
    i18n::Tr,
    page::{html, Chrome},
    scan::{self, Outcome, ScanForm},
    state::ConsoleState,
    viewer::Viewer,
};

/// Most tasks the screen lists.
const TASKS: i64 = 100;

/// One putaway task as the screen shows it.
#[derive(Clone)]
struct Task {
    /// `client|sku|inbound`: how a button or the screen names it.
    key: String,
    client: ClientId,
    sku_id: SkuId,
    sku: String,
    code: String,
    inbound: String,
    qty: i64,
    suggested: Option<String>,
}

#[derive(Template)]
#[template(path = "putaway_screen.html")]
struct Screen {
    t: Tr,
    outcome: Outcome,
    warehouse: String,
    step: &'static str,
    open: Option<Task>,
    suggested: Option<String>,
    /// A bin scanned instead of the suggested one, which a button may confirm.
    other: String,
    tasks: Vec<Task>,
}

#[derive(Template)]
#[template(path = "putaway.html")]
struct PutawayPage {
    c: Chrome,
    t: Tr,
    picker: Picker,
    form: ScanForm,
    screen: Screen,
}

/// What waits at the dock of `wh`, with each SKU's label.
async fn tasks(st: &ConsoleState, v: &Viewer, wh: &Warehouse) -> Result<Vec<Task>, Failure> {
    let page = st.app.putaway_tasks(&v.actor, &wh.id, None, TASKS).await.or_page(v.tr)?;
    let mut per_client: HashMap<ClientId, Vec<SkuId>> = HashMap::new();
    for p in &page.items {
        per_client.entry(p.client_id.clone()).or_default().push(p.sku_id);
    }
    let mut labels = HashMap::new();
    for (client, ids) in per_client {
        for s in st.app.skus_by_ids(&client, &ids).await.or_page(v.tr)? {
            labels.insert((client.clone(), s.id), (s.seller_sku, s.mfskuid));
        }
    }
    Ok(page.items.into_iter().map(|p| task(p, &labels)).collect())
}

fn task(p: PutawayTask, labels: &HashMap<(ClientId, SkuId), (String, String)>) -> Task {
    let (sku, code) = labels.get(&(p.client_id.clone(), p.sku_id)).cloned().unwrap_or_default();
    let inbound = p.inbound.unwrap_or_default();
    Task {
        key: format!("{}|{}|{}", p.client_id.0, p.sku_id.0, inbound),
        client: p.client_id,
        sku_id: p.sku_id,
        sku,
        code,
        inbound,
        qty: p.qty,
        suggested: p.suggested_bin,
    }
}

fn by_key(tasks: &[Task], key: &str) -> Option<Task> {
    let key = key.trim();
    (!key.is_empty()).then(|| tasks.iter().find(|r| r.key == key).cloned()).flatten()
}

/// The task a scanned SKU label (MFSKUID or seller SKU) opens.
fn by_label(tasks: &[Task], code: &str) -> Option<Task> {
    tasks.iter().find(|r| r.code.eq_ignore_ascii_case(code) || r.sku.eq_ignore_ascii_case(code)).cloned()
}

async fn screen(
    st: &ConsoleState,
    v: &Viewer,
    wh: &Warehouse,
    outcome: Outcome,
    open: Option<Task>,
    other: String,
    tasks: Vec<Task>,
) -> Result<Screen, Failure> {
    let suggested = match &open {
        Some(o) => st.app.suggest_bin(&v.actor, &wh.id, o.sku_id, o.qty).await.or_page(v.tr)?.map(|l| l.code),
        None => None,
    };
    let step = if open.is_some() { "bin" } else { "sku" };
    Ok(Screen { t: v.tr, outcome, warehouse: wh.code.clone(), step, open, suggested, other, tasks })
}

fn answer(
    v: &Viewer,
    headers: &HeaderMap,
    mine: &[Warehouse],
    wh: &Warehouse,
    screen: Screen,
) -> Result<Response, Failure> {
    if scan::wants_screen(headers) {
        return html(v.tr, &screen);
    }
    let here = format!("/console/putaway?warehouse={}", wh.code);
    let c = Chrome::new(v, "/console/putaway", "nav-putaway", &here);
    let picker = Picker::new("/console/putaway", mine, wh);
    html(v.tr, &PutawayPage { c, t: v.tr, picker, form: form(), screen })
}

fn form() -> ScanForm {
    ScanForm { action: "/console/putaway/scan".into(), quantity: true, damaged: false }
}

/// The dock of the chosen warehouse: what waits, waiting for a SKU label.
pub(crate) async fn page(
    State(st): State<ConsoleState>,
    v: Viewer,
    headers: HeaderMap,
    Query(q): Query<crate::floor::WarehouseQuery>,
) -> Result<Response, Failure> {
    let (mine, wh) = floor::warehouse(&st, &v, q.warehouse.as_deref()).await?;
    let tasks = tasks(&st, &v, &wh).await?;
    let s = screen(&st, &v, &wh, Outcome::Waiting, None, String::new(), tasks).await?;
    answer(&v, &headers, &mine, &wh, s)
}

#[derive(Deserialize)]
pub(crate) struct ScanBody {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    code: String,
    #[serde(default)]
    warehouse: String,
    /// The task open on the screen.
    #[serde(default)]
    task: String,
    /// A task chosen from the list.
    #[serde(default)]
    pick: String,
    /// Another bin than the suggested one, confirmed.
    #[serde(default)]
    other: String,
    quantity: Option<String>,
}

/// One scan: a SKU label opens its task; with a task open, a bin puts its units away.
pub(crate) async fn scan(
    State(st): State<ConsoleState>,
    v: Viewer,
    headers: HeaderMap,
    Form(f): Form<ScanBody>,
) -> Result<Response, Failure> {
    v.check_csrf(&f.csrf)?;
    let t = v.tr;
    let (mine, wh) = floor::warehouse(&st, &v, Some(&f.warehouse)).await?;
    let all = tasks(&st, &v, &wh).await?;
    let (stref, vref, href, mref, wref) = (&st, &v, &headers, &mine, &wh);
    let show = move |outcome: Outcome, open: Option<Task>, other: String, all: Vec<Task>| async move {
        let s = screen(stref, vref, wref, outcome, open, other, all).await?;
        answer(vref, href, mref, wref, s)
    };
    if let Some(r) = by_key(&all, &f.pick) {
        let msg = t.t2("putaway-opened", ("qty", r.qty), ("sku", r.sku.clone()));
        return show(Outcome::Accepted(msg), Some(r), String::new(), all).await;
    }
    let open = by_key(&all, &f.task);
    let Ok(qty) = scan::quantity(f.quantity.as_deref(), 1) else {
        return show(Outcome::Refused(t.t("scan-bad-quantity")), open, String::new(), all).await;
    };
    let other = f.other.trim();
    let (code, confirm) = match scan::code(&f.code) {
        Some(code) => (code, false),
        None if !other.is_empty() && open.is_some() => (other.to_owned(), true),
        None => return show(Outcome::Refused(t.t("scan-empty")), open, String::new(), all).await,
    };
    let Some(o) = open else {
        return match by_label(&all, &code) {
            Some(r) => {
                let msg = t.t2("putaway-opened", ("qty", r.qty), ("sku", r.sku.clone()));
                show(Outcome::Accepted(msg), Some(r), String::new(), all).await
            }
            None => show(Outcome::Refused(t.t1("putaway-no-task", "code", code)), None, String::new(), all).await,
        };
    };
    let qty = qty.unwrap_or(o.qty);
    let s = PutawayScan {
        client: o.client.clone(),
        sku: o.sku_id,
        warehouse: wh.id.clone(),
        qty,
        inbound: (!o.inbound.is_empty()).then(|| o.inbound.clone()),
        bin: code.clone(),
        confirm_other_bin: confirm,
    };
    match st.app.confirm_putaway(&v.actor, s).await {
        Ok(done) => {
            let msg = t.t2("putaway-done", ("qty", done.qty), ("sku", o.sku.clone())) + " → " + &done.bin;
            let all = tasks(&st, &v, &wh).await?;
            // Units of the task still waiting (a part was put away) keep it open.
            let still = by_key(&all, &o.key);
            show(Outcome::Accepted(msg), still, String::new(), all).await
        }
        Err(e) => {
            // Not a bin: perhaps the label of another task.
            if let (CoreError::NotFound { .. } | CoreError::Validation { .. }, Some(r)) = (&e, by_label(&all, &code)) {
                let msg = t.t2("putaway-opened", ("qty", r.qty), ("sku", r.sku.clone()));
                return show(Outcome::Accepted(msg), Some(r), String::new(), all).await;
            }
            let other = if matches!(e, CoreError::Conflict(_)) && !confirm { code } else { String::new() };
            show(scan::refusal(t, e)?, Some(o), other, all).await
        }
    }
}
