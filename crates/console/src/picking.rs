//! Picking a list on a handheld, one scan at a time: the list (its barcode on the paper list,
//! or chosen from the open ones), then for each pick the bin, the SKU label and the tote. Each
//! scan is checked against the pick the list expects next and refused saying what was
//! expected; the tote scan applies the pick. A bin holding fewer units than the list expects
//! is reported short with the units found (the list moves the rest to another bin, or stops
//! the order).

use askama::Template;
use axum::{
    extract::{Path, Query, State},
    http::HeaderMap,
    response::Response,
    Form,
};
use entrepot_app::types::waves::{PickListView, PickScan, PickView};
use entrepot_core::CoreError;
use serde::Deserialize;

use crate::{
    failure::{Failure, OrPage},
    i18n::Tr,
    page::{html, Chrome},
    scan::{self, Outcome, ScanForm},
    state::ConsoleState,
    viewer::Viewer,
};

/// Where the picker is in the current pick.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Step {
    List,
    Bin,
    Sku,
    Tote,
    Done,
}

#[derive(Template)]
#[template(path = "picking_screen.html")]
struct Screen {
    t: Tr,
    outcome: Outcome,
    list: String,
    title: String,
    step: &'static str,
    bin: String,
    sku: String,
    next: Option<PickView>,
    left_picks: usize,
    open_lists: Vec<(String, String)>,
    /// Which order rides in which tote (what the packer reads off the cart).
    totes: Vec<(i64, String, String)>,
}

impl Screen {
    fn prompt(&self) -> String {
        let Some(n) = &self.next else {
            return if self.list.is_empty() { self.t.t("pick-prompt-list") } else { self.t.t("pick-list-done") };
        };
        match self.step {
            "bin" => self.t.t1("pick-prompt-bin", "bin", n.bin.clone()),
            "sku" => self.t.t2("pick-prompt-sku", ("qty", n.left), ("sku", n.seller_sku.clone())),
            _ => self.t.t1("pick-prompt-tote", "tote", n.tote),
        }
    }
}

#[derive(Template)]
#[template(path = "picking.html")]
struct PickingPage {
    c: Chrome,
    t: Tr,
    form: ScanForm,
    screen: Screen,
}

fn form() -> ScanForm {
    ScanForm { action: "/console/picking/scan".into(), quantity: true, damaged: false }
}

fn step_name(s: Step) -> &'static str {
    match s {
        Step::List => "list",
        Step::Bin => "bin",
        Step::Sku => "sku",
        Step::Tote => "tote",
        Step::Done => "done",
    }
}

fn screen(t: Tr, outcome: Outcome, l: Option<&PickListView>, step: Step, bin: &str, sku: &str) -> Screen {
    let next = l.and_then(|l| l.next.clone());
    let step = if l.is_some() && next.is_none() { Step::Done } else { step };
    Screen {
        t,
        outcome,
        list: l.map(|l| l.list.id.0.clone()).unwrap_or_default(),
        title: l.map(|l| t.t2("pick-list-title", ("list", l.list.number), ("totes", l.list.totes))).unwrap_or_default(),
        step: step_name(step),
        bin: bin.to_owned(),
        sku: sku.to_owned(),
        left_picks: l.map(|l| l.picks.iter().filter(|p| p.left > 0).count()).unwrap_or(0),
        next,
        open_lists: vec![],
        totes: l
            .map(|l| l.totes.iter().map(|t| (t.tote, t.oc_number.clone(), t.status.clone())).collect())
            .unwrap_or_default(),
    }
}

async fn page_of(st: &ConsoleState, v: &Viewer, warehouse: Option<&str>, screen: Screen) -> Result<Response, Failure> {
    let t = v.tr;
    let mut screen = screen;
    if screen.list.is_empty() {
        let (_, wh) = crate::floor::warehouse(st, v, warehouse).await?;
        screen.open_lists = st
            .app
            .open_pick_lists(&v.actor, &wh.id, None, 50)
            .await
            .or_page(t)?
            .into_iter()
            .map(|l| (l.id.0.clone(), t.t2("pick-list-title", ("list", l.number), ("totes", l.totes))))
            .collect();
    }
    let here = if screen.list.is_empty() {
        "/console/picking".to_owned()
    } else {
        format!("/console/picking/{}", screen.list)
    };
    let c = Chrome::new(v, "/console/picking", "nav-picking", &here);
    html(t, &PickingPage { c, t, form: form(), screen })
}

pub(crate) async fn start(
    State(st): State<ConsoleState>,
    v: Viewer,
    Query(q): Query<crate::floor::WarehouseQuery>,
) -> Result<Response, Failure> {
    let s = screen(v.tr, Outcome::Waiting, None, Step::List, "", "");
    page_of(&st, &v, q.warehouse.as_deref(), s).await
}

pub(crate) async fn open(
    State(st): State<ConsoleState>,
    v: Viewer,
    Path(list): Path<String>,
) -> Result<Response, Failure> {
    let l = st.app.pick_list(&v.actor, &list).await.or_page(v.tr)?;
    let s = screen(v.tr, Outcome::Waiting, Some(&l), Step::Bin, "", "");
    page_of(&st, &v, None, s).await
}

#[derive(Deserialize)]
pub(crate) struct ScanBody {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    code: String,
    #[serde(default)]
    list: String,
    #[serde(default)]
    step: String,
    #[serde(default)]
    bin: String,
    #[serde(default)]
    sku: String,
    quantity: Option<String>,
    /// The "bin is short" button.
    short: Option<String>,
}

/// The units of a tote code: `3`, `T3`, `TOTE-3`.
fn tote_number(code: &str) -> Option<i64> {
    let digits: String =
        code.chars().rev().take_while(|c| c.is_ascii_digit()).collect::<Vec<_>>().into_iter().rev().collect();
    digits.parse().ok()
}

pub(crate) async fn scan(
    State(st): State<ConsoleState>,
    v: Viewer,
    headers: HeaderMap,
    Form(f): Form<ScanBody>,
) -> Result<Response, Failure> {
    v.check_csrf(&f.csrf)?;
    let t = v.tr;
    crate::floor::staff_only(&v)?;
    let (stref, vref, href) = (&st, &v, &headers);
    let answer = move |s: Screen| async move {
        if scan::wants_screen(href) {
            html(t, &s)
        } else {
            page_of(stref, vref, None, s).await
        }
    };
    let code = scan::code(&f.code);
    // No list yet: the scan names one.
    if f.list.trim().is_empty() {
        let Some(code) = code else {
            return answer(screen(t, Outcome::Refused(t.t("scan-empty")), None, Step::List, "", "")).await;
        };
        return match st.app.pick_list(&v.actor, &code).await {
            Ok(l) => {
                let title = t.t2("pick-list-title", ("list", l.list.number), ("totes", l.list.totes));
                answer(screen(t, Outcome::Accepted(title), Some(&l), Step::Bin, "", "")).await
            }
            Err(CoreError::Internal) => Err(Failure::core(t, CoreError::Internal)),
            Err(e) => answer(screen(t, Outcome::refused(t, &e), None, Step::List, "", "")).await,
        };
    }
    let l = st.app.pick_list(&v.actor, f.list.trim()).await.or_page(t)?;
    let Some(next) = l.next.clone() else {
        return answer(screen(t, Outcome::Accepted(t.t("pick-list-done")), Some(&l), Step::Done, "", "")).await;
    };
    let Ok(quantity) = scan::quantity(f.quantity.as_deref(), 0) else {
        let s = screen(t, Outcome::Refused(t.t("scan-bad-quantity")), Some(&l), step_of(&f.step), &f.bin, &f.sku);
        return answer(s).await;
    };
    let key = scan::scan_id(&headers);
    // The bin is short: what was found (the quantity typed, else none) is picked, the rest
    // is the list's to move.
    if f.short.is_some() {
        let bin = if f.bin.is_empty() { next.bin.clone() } else { f.bin.clone() };
        let s = PickScan {
            list: l.list.id.0.clone(),
            scan_id: key,
            bin,
            sku: next.mfskuid.clone(),
            tote: next.tote,
            qty: quantity.unwrap_or(0),
            short: true,
        };
        return match st.app.pick(&v.actor, s).await {
            Ok(o) => {
                let msg = match (&o.exception, o.reallocated.is_empty()) {
                    (Some(_), _) => t.t("pick-short-exception"),
                    (None, false) => t.t("pick-short-moved"),
                    (None, true) => t.t("pick-short-recorded"),
                };
                answer(screen(t, Outcome::Accepted(msg), Some(&o.list), Step::Bin, "", "")).await
            }
            Err(CoreError::Internal) => Err(Failure::core(t, CoreError::Internal)),
            Err(e) => answer(screen(t, Outcome::refused(t, &e), Some(&l), Step::Bin, "", "")).await,
        };
    }
    let Some(code) = code else {
        return answer(screen(t, Outcome::Refused(t.t("scan-empty")), Some(&l), step_of(&f.step), &f.bin, &f.sku))
            .await;
    };
    match step_of(&f.step) {
        Step::List | Step::Bin | Step::Done => {
            if code.eq_ignore_ascii_case(&next.bin) {
                answer(screen(t, Outcome::Accepted(next.bin.clone()), Some(&l), Step::Sku, &next.bin, "")).await
            } else {
                let msg = t.t2("scan-wrong-bin", ("expected", next.bin.clone()), ("got", code));
                answer(screen(t, Outcome::Refused(msg), Some(&l), Step::Bin, "", "")).await
            }
        }
        Step::Sku => {
            if code == next.mfskuid || code.eq_ignore_ascii_case(&next.seller_sku) {
                answer(screen(t, Outcome::Accepted(next.seller_sku.clone()), Some(&l), Step::Tote, &f.bin, &code)).await
            } else {
                let msg = t.t2("pick-wrong-sku", ("expected", next.seller_sku.clone()), ("got", code));
                answer(screen(t, Outcome::Refused(msg), Some(&l), Step::Sku, &f.bin, "")).await
            }
        }
        Step::Tote => {
            if tote_number(&code) != Some(next.tote) {
                let msg = t.t2("pick-wrong-tote", ("expected", next.tote), ("got", code));
                return answer(screen(t, Outcome::Refused(msg), Some(&l), Step::Tote, &f.bin, &f.sku)).await;
            }
            let qty = quantity.filter(|q| *q > 0).unwrap_or(next.left);
            let s = PickScan {
                list: l.list.id.0.clone(),
                scan_id: key,
                bin: f.bin.clone(),
                sku: f.sku.clone(),
                tote: next.tote,
                qty,
                short: false,
            };
            match st.app.pick(&v.actor, s).await {
                Ok(o) => {
                    let msg = t.t2("pick-done", ("qty", qty), ("tote", next.tote));
                    answer(screen(t, Outcome::Accepted(msg), Some(&o.list), Step::Bin, "", "")).await
                }
                Err(CoreError::Internal) => Err(Failure::core(t, CoreError::Internal)),
                Err(e) => answer(screen(t, Outcome::refused(t, &e), Some(&l), Step::Bin, "", "")).await,
            }
        }
    }
}

fn step_of(s: &str) -> Step {
    match s {
        "sku" => Step::Sku,
        "tote" => Step::Tote,
        "done" => Step::Done,
        "list" => Step::List,
        _ => Step::Bin,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn totes_are_read_from_their_trailing_digits() {
        assert_eq!(tote_number("3"), Some(3));
        assert_eq!(tote_number("T12"), Some(12));
        assert_eq!(tote_number("TOTE-7"), Some(7));
        assert_eq!(tote_number("TOTE"), None);
    }
}
