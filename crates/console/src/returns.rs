//! Returns by scans: a returned parcel (its tracking number, RMA or consignment id) opens its
//! return; its SKU labels count units good or damaged (the damaged switch), or receiving at once
//! takes every listed unit in one condition; once received, the return's actions are buttons.
//! A parcel matching no return is kept as unidentified; the list of those has a button to match
//! one by scanning the return it belongs to.

use std::collections::HashMap;

use askama::Template;
use axum::{
    extract::{Query, State},
    http::HeaderMap,
    response::Response,
    Form,
};
use entrepot_app::{
    types::returns::{ReturnArrival, ReturnCommand, ReturnView, ScannedUnit},
    ReturnScan,
};
use entrepot_core::{
    company::Warehouse,
    ids::{SkuId, UnidentifiedReturnId},
    returns::{Condition, ReturnAction, ReturnStatus},
    CoreError,
};
use serde::Deserialize;

use crate::{
    failure::{Failure, OrPage},
    floor::{self, Picker},
    i18n::Tr,
    page::{html, Chrome},
    scan::{self, Outcome, ScanForm, Tally},
    state::ConsoleState,
    viewer::Viewer,
};

/// A return as the screen shows it.
struct Return {
    /// Its consignment id: what the screen carries and the use cases find it by.
    id: String,
    tracking: String,
    status: String,
    requested: String,
    outcome: String,
    /// (SKU, expected, good, damaged).
    lines: Vec<(String, i64, i64, i64)>,
}

/// One counted line not yet received: (SKU, damaged, units).
type Counted = (String, bool, i64);

#[derive(Template)]
#[template(path = "returns_screen.html")]
struct Screen {
    t: Tr,
    outcome: Outcome,
    warehouse: String,
    step: &'static str,
    ret: Option<Return>,
    tally: String,
    counted: Vec<Counted>,
    /// (value, label, the seller's choice).
    actions: Vec<(&'static str, String, bool)>,
    /// The unidentified parcel being matched.
    matching: String,
    /// (id, scanned, note) of the parcels waiting to be matched.
    unidentified: Vec<(String, String, String)>,
}

#[derive(Template)]
#[template(path = "returns.html")]
struct ReturnsPage {
    c: Chrome,
    t: Tr,
    picker: Picker,
    form: ScanForm,
    screen: Screen,
}

/// The labels (seller SKU, MFSKUID) of a return's SKUs.
async fn labels(st: &ConsoleState, v: &ReturnView) -> HashMap<SkuId, (String, String)> {
    let ids: Vec<SkuId> = v.lines.iter().map(|l| l.sku).collect();
    let skus = st.app.skus_by_ids(&v.client_id, &ids).await.unwrap_or_default();
    skus.into_iter().map(|s| (s.id, (s.seller_sku, s.mfskuid))).collect()
}

/// What a return lists, for a refusal: `3 × ACME-2, 1 × ACME-1`.
async fn listing(st: &ConsoleState, r: &ReturnView) -> String {
    let names = labels(st, r).await;
    let name = |s: &SkuId| names.get(s).map(|(seller, _)| seller.clone()).unwrap_or_else(|| s.to_string());
    r.lines.iter().map(|l| format!("{} × {}", l.expected, name(&l.sku))).collect::<Vec<_>>().join(", ")
}

/// What may be run on a return now (forwarding needs the onward parcel's reference: not here).
fn actions(t: Tr, v: &ReturnView) -> Vec<(&'static str, String, bool)> {
    let offered: &[ReturnAction] = match v.status {
        Some(ReturnStatus::Received) => {
            &[ReturnAction::Restock, ReturnAction::Hold, ReturnAction::Dispose, ReturnAction::Inspect]
        }
        Some(ReturnStatus::Inspecting) => &[ReturnAction::Restock, ReturnAction::Hold, ReturnAction::Dispose],
        _ => &[],
    };
    offered.iter().map(|a| (a.as_str(), t.state("return-action", a.as_str()), v.requested == Some(*a))).collect()
}

struct Ctx<'a> {
    st: &'a ConsoleState,
    v: &'a Viewer,
    headers: &'a HeaderMap,
    mine: &'a [Warehouse],
    wh: &'a Warehouse,
}

impl Ctx<'_> {
    /// The screen at `step` with `view` open (if any), and the unidentified parcels.
    async fn show(
        &self,
        outcome: Outcome,
        step: &'static str,
        view: Option<&ReturnView>,
        tally: &Tally,
        matching: &str,
    ) -> Result<Response, Failure> {
        let t = self.v.tr;
        let names = match view {
            Some(r) => labels(self.st, r).await,
            None => HashMap::new(),
        };
        let name = |s: &SkuId| names.get(s).map(|(seller, _)| seller.clone()).unwrap_or_else(|| s.to_string());
        let ret = view.map(|r| Return {
            id: r.bird_id.to_string(),
            tracking: r.tracking_number.clone().unwrap_or_default(),
            status: t.state("return-status", r.status.map_or("EXPECTED", ReturnStatus::as_str)),
            requested: r.requested.map(|a| t.state("return-action", a.as_str())).unwrap_or_default(),
            outcome: r.outcome.map(|a| t.state("return-action", a.as_str())).unwrap_or_default(),
            lines: r.lines.iter().map(|l| (name(&l.sku), l.expected, l.good, l.damaged)).collect(),
        });
        let unidentified = self
            .st
            .app
            .unidentified_returns(&self.v.actor, Some(&self.wh.id))
            .await
            .or_page(t)?
            .into_iter()
            .filter(|u| u.matched_order_id.is_none())
            .map(|u| (u.id.0, u.scanned, u.note.unwrap_or_default()))
            .collect();
        let screen = Screen {
            t,
            outcome,
            warehouse: self.wh.code.clone(),
            step,
            actions: view.map(|r| actions(t, r)).unwrap_or_default(),
            ret,
            tally: tally.encode(),
            counted: tally.lines().iter().map(|l| (l.code.clone(), l.damaged, l.qty)).collect(),
            matching: matching.to_owned(),
            unidentified,
        };
        if scan::wants_screen(self.headers) {
            return html(t, &screen);
        }
        let here = format!("/console/returns?warehouse={}", self.wh.code);
        let c = Chrome::new(self.v, "/console/returns", "nav-returns", &here);
        let picker = Picker::new("/console/returns", self.mine, self.wh);
        html(t, &ReturnsPage { c, t, picker, form: form(), screen })
    }

    /// A return opened by a scan: to count while expected, to act on once received.
    async fn opened(&self, outcome: Outcome, view: &ReturnView) -> Result<Response, Failure> {
        let step = if view.status.is_none() { "count" } else { "action" };
        self.show(outcome, step, Some(view), &Tally::default(), "").await
    }
}

fn form() -> ScanForm {
    ScanForm { action: "/console/returns/scan".into(), quantity: true, damaged: true }
}

/// The returns bench of the chosen warehouse, waiting for a parcel.
pub(crate) async fn page(
    State(st): State<ConsoleState>,
    v: Viewer,
    headers: HeaderMap,
    Query(q): Query<crate::floor::WarehouseQuery>,
) -> Result<Response, Failure> {
    let (mine, wh) = floor::warehouse(&st, &v, q.warehouse.as_deref()).await?;
    let cx = Ctx { st: &st, v: &v, headers: &headers, mine: &mine, wh: &wh };
    cx.show(Outcome::Waiting, "parcel", None, &Tally::default(), "").await
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
    step: String,
    /// The return open on the screen (its consignment id).
    #[serde(default)]
    ret: String,
    #[serde(default)]
    tally: String,
    /// The unidentified parcel being matched.
    #[serde(default)]
    matching: String,
    quantity: Option<String>,
    damaged: Option<String>,
    /// Buttons: receive the return, run an action, match an unidentified parcel.
    receive: Option<String>,
    #[serde(default)]
    action: String,
    #[serde(default, rename = "match")]
    match_id: String,
}

/// One scan or button of the returns bench.
pub(crate) async fn scan(
    State(st): State<ConsoleState>,
    v: Viewer,
    headers: HeaderMap,
    Form(f): Form<ScanBody>,
) -> Result<Response, Failure> {
    v.check_csrf(&f.csrf)?;
    let t = v.tr;
    let (mine, wh) = floor::warehouse(&st, &v, Some(&f.warehouse)).await?;
    let cx = Ctx { st: &st, v: &v, headers: &headers, mine: &mine, wh: &wh };
    let mut tally = Tally::parse(&f.tally);
    let damaged = f.damaged.is_some();
    let ret = f.ret.trim();
    let current = match ret {
        "" => None,
        r => Some(st.app.return_status(&v.actor, r).await.or_page(t)?),
    };
    let step = match f.step.as_str() {
        "count" => "count",
        "action" => "action",
        _ => "parcel",
    };
    if !f.match_id.trim().is_empty() {
        return cx.show(Outcome::Waiting, "match", None, &Tally::default(), f.match_id.trim()).await;
    }
    if let (Some(r), false) = (&current, f.action.trim().is_empty()) {
        let Ok(action) = f.action.parse::<ReturnAction>() else {
            return cx.show(Outcome::Refused(t.t("scan-empty")), step, Some(r), &tally, "").await;
        };
        return match st.app.run_return_action(&v.actor, ret, ReturnCommand::of(Some(action))).await {
            Ok(done) => {
                let msg =
                    t.t2("returns-done", ("id", ret.to_owned()), ("action", t.state("return-action", action.as_str())));
                cx.show(Outcome::Accepted(msg), "action", Some(&done), &Tally::default(), "").await
            }
            Err(e) => cx.show(scan::refusal(t, e)?, step, Some(r), &tally, "").await,
        };
    }
    if let (Some(r), true) = (&current, f.receive.is_some()) {
        let lines = if tally.is_empty() {
            // Every listed unit, in the condition switched.
            let names = labels(&st, r).await;
            let condition = if damaged { Condition::Damaged } else { Condition::Good };
            r.lines
                .iter()
                .filter(|l| l.expected > 0)
                .map(|l| ScannedUnit {
                    sku: names.get(&l.sku).map(|(_, code)| code.clone()).unwrap_or_else(|| l.sku.to_string()),
                    condition,
                    qty: l.expected,
                })
                .collect()
        } else {
            tally
                .lines()
                .iter()
                .map(|l| ScannedUnit {
                    sku: l.code.clone(),
                    condition: if l.damaged { Condition::Damaged } else { Condition::Good },
                    qty: l.qty,
                })
                .collect()
        };
        return match st.app.receive_return(&v.actor, &wh.id, ret, ReturnArrival { lines, note: None }).await {
            Ok(ReturnScan::Received(done)) => {
                let msg = t.t1("returns-received", "id", ret.to_owned());
                cx.show(Outcome::Accepted(msg), "action", Some(&done), &Tally::default(), "").await
            }
            Ok(ReturnScan::Unidentified(_)) => Err(Failure::core(t, CoreError::Internal)),
            Err(e) => cx.show(scan::refusal(t, e)?, step, Some(r), &tally, "").await,
        };
    }
    let Some(code) = scan::code(&f.code) else {
        return cx.show(Outcome::Refused(t.t("scan-empty")), step, current.as_ref(), &tally, &f.matching).await;
    };
    let Ok(qty) = scan::quantity(f.quantity.as_deref(), 1) else {
        return cx.show(Outcome::Refused(t.t("scan-bad-quantity")), step, current.as_ref(), &tally, &f.matching).await;
    };
    // Matching an unidentified parcel: the scan names its return, which opens to receive it.
    if !f.matching.trim().is_empty() {
        let id = UnidentifiedReturnId(f.matching.trim().to_owned());
        return match st.app.match_unidentified_return(&v.actor, &id, &code).await {
            Ok(_) => {
                let r = st.app.return_status(&v.actor, &code).await.or_page(t)?;
                cx.opened(Outcome::Accepted(t.t1("returns-matched", "id", r.bird_id.to_string())), &r).await
            }
            Err(e) => cx.show(scan::refusal(t, e)?, "match", None, &Tally::default(), &f.matching).await,
        };
    }
    // A SKU label of the return being counted.
    if let (Some(r), "count") = (&current, step) {
        if let Ok(sku) = st.app.resolve_sku(&r.client_id, &code).await {
            if let Some(line) = r.lines.iter().find(|l| l.sku == sku.id) {
                let units: i64 = tally.lines().iter().filter(|l| l.code == sku.mfskuid).map(|l| l.qty).sum();
                if units + qty.unwrap_or(1) > line.expected {
                    let msg = t.t2("returns-too-many", ("sku", sku.seller_sku.clone()), ("n", line.expected));
                    return cx.show(Outcome::Refused(msg), step, Some(r), &tally, "").await;
                }
                let n = qty.unwrap_or(1);
                if tally.add(&sku.mfskuid, damaged, n).is_err() {
                    return cx.show(Outcome::Refused(t.t("scan-bad-quantity")), step, Some(r), &tally, "").await;
                }
                let key = if damaged { "receiving-counted-damaged" } else { "receiving-counted" };
                let msg = t.t2(key, ("n", n), ("sku", sku.seller_sku.clone()));
                return cx.show(Outcome::Accepted(msg), step, Some(r), &tally, "").await;
            }
        }
    }
    // A parcel: its return opens; none matching, it is kept as unidentified.
    match st.app.return_status(&v.actor, &code).await {
        Ok(r) => cx.opened(Outcome::Accepted(t.t1("returns-opened", "id", r.bird_id.to_string())), &r).await,
        Err(CoreError::NotFound { .. }) if current.is_some() && step == "count" => {
            let r = current.as_ref();
            let listed = match r {
                Some(r) => listing(&st, r).await,
                None => String::new(),
            };
            let msg = t.t2("returns-not-on-return", ("code", code), ("expected", listed));
            cx.show(Outcome::Refused(msg), step, r, &tally, "").await
        }
        Err(CoreError::NotFound { .. }) => {
            match st.app.receive_return(&v.actor, &wh.id, &code, ReturnArrival::default()).await {
                Ok(_) => {
                    let msg = t.t1("returns-unidentified", "code", code);
                    cx.show(Outcome::Accepted(msg), "parcel", None, &Tally::default(), "").await
                }
                Err(e) => cx.show(scan::refusal(t, e)?, "parcel", None, &Tally::default(), "").await,
            }
        }
        Err(e) => cx.show(scan::refusal(t, e)?, step, current.as_ref(), &tally, "").await,
    }
}
