//! Warehouses: the list (code, zone, cut-off, closed days) with the cut-off to set, and one
//! warehouse's bins, a page at a time by code (a warehouse has thousands), with bins created by
//! range and their labels printed by the native API.

use askama::Template;
use axum::{
    extract::{Path, Query, State},
    response::Response,
    Form,
};
use entrepot_app::{LocationFilter, NewLocationRange, DEFAULT_LOCATION_PAGE};
use entrepot_core::{location::LocationKind, CoreResult};
use serde::Deserialize;

use super::{admin, done, or_refused, Done, Fields, Flash};
use crate::{
    failure::{Failure, OrPage},
    format,
    i18n::Tr,
    page::{html, Chrome},
    state::ConsoleState,
    viewer::Viewer,
};

const LIST: &str = "/console/admin/warehouses";

pub(crate) struct Row {
    code: String,
    name: String,
    zone: String,
    cutoff: String,
    closed: String,
}

#[derive(Template)]
#[template(path = "admin_warehouses.html")]
struct ListPage {
    c: Chrome,
    t: Tr,
    flash: Flash,
    rows: Vec<Row>,
}

async fn list_page(st: &ConsoleState, v: &Viewer, flash: Flash) -> Result<Response, Failure> {
    let t = v.tr;
    let all = admin(st, v)?.warehouses().await.or_page(t)?;
    let rows = all
        .into_iter()
        .map(|w| Row {
            cutoff: format::time_of_day(w.cutoff_minutes),
            closed: format::closed_days(t, &w.calendar),
            code: w.code,
            name: w.name,
            zone: w.timezone,
        })
        .collect();
    let c = Chrome::new(v, LIST, "nav-admin-warehouses", LIST);
    html(t, &ListPage { c, t, flash, rows })
}

pub(crate) async fn list(
    State(st): State<ConsoleState>,
    v: Viewer,
    Query(q): Query<Done>,
) -> Result<Response, Failure> {
    list_page(&st, &v, q.flash(v.tr)).await
}

pub(crate) async fn cutoff(
    State(st): State<ConsoleState>,
    v: Viewer,
    Path(code): Path<String>,
    Form(f): Form<Fields>,
) -> Result<Response, Failure> {
    let a = f.admin(&st, &v)?;
    let set = a.set_cutoff(&code, f.get("cutoff")).await;
    let set = set.map(|w| done(LIST, "cutoff-set", &format!("{} {}", w.code, f.get("cutoff"))));
    or_refused(v.tr, set, |flash| list_page(&st, &v, flash)).await
}

pub(crate) struct Bin {
    code: String,
    zone: String,
    kind: String,
    pick_seq: i64,
    capacity: String,
    disabled: bool,
}

#[derive(Template)]
#[template(path = "admin_bins.html")]
struct BinsPage {
    c: Chrome,
    t: Tr,
    flash: Flash,
    code: String,
    prefix: String,
    after: String,
    bins: Vec<Bin>,
    /// The `after` of the next page, when there is one.
    next: Option<String>,
    /// The range just created, to print its labels.
    created: String,
    kinds: Vec<(&'static str, String)>,
}

impl BinsPage {
    fn link(&self, after: &str) -> String {
        let q = serde_urlencoded::to_string([("prefix", self.prefix.as_str()), ("after", after)]).unwrap_or_default();
        format!("{LIST}/{}/bins?{q}", self.code)
    }

    /// Bin labels as the native API renders them, for `codes` or a `range`.
    fn labels(&self, what: &str, value: &str) -> String {
        let q = serde_urlencoded::to_string([(what, value)]).unwrap_or_default();
        format!("/api/v1/warehouses/{}/locations/labels.pdf?{q}", self.code)
    }

    /// The labels of the bins listed.
    fn page_labels(&self) -> String {
        self.labels("codes", &self.bins.iter().map(|b| b.code.as_str()).collect::<Vec<_>>().join(","))
    }

    /// The labels of the range just created.
    fn range_labels(&self) -> String {
        self.labels("range", &self.created)
    }
}

#[derive(Deserialize, Default)]
pub(crate) struct BinsQuery {
    prefix: Option<String>,
    after: Option<String>,
}

fn kind_name(t: Tr, k: LocationKind) -> String {
    t.state("location-kind", k.as_str())
}

/// The bins page; `done` says what a form just did (and which range to print).
async fn bins_page(
    st: &ConsoleState,
    v: &Viewer,
    code: &str,
    q: BinsQuery,
    done: &Done,
    flash: Flash,
) -> Result<Response, Failure> {
    let t = v.tr;
    let a = admin(st, v)?;
    let wh = a.warehouse(code).await.or_page(t)?;
    let prefix = q.prefix.unwrap_or_default().trim().chars().take(32).collect::<String>();
    let after = q.after.unwrap_or_default().trim().chars().take(32).collect::<String>();
    let f = LocationFilter {
        warehouse: wh.id.clone(),
        code_prefix: Some(prefix.clone()),
        after: Some(after.clone()),
        include_disabled: true,
        limit: DEFAULT_LOCATION_PAGE + 1,
        ..Default::default()
    };
    let mut found = a.locations(f).await.or_page(t)?;
    let next = (found.len() as i64 > DEFAULT_LOCATION_PAGE).then(|| {
        found.truncate(DEFAULT_LOCATION_PAGE as usize);
        found.last().map(|l| l.code.clone()).unwrap_or_default()
    });
    let bins = found
        .into_iter()
        .map(|l| Bin {
            kind: kind_name(t, l.kind),
            capacity: l.capacity.map(|c| c.to_string()).unwrap_or_default(),
            code: l.code,
            zone: l.zone,
            pick_seq: l.pick_seq,
            disabled: l.disabled,
        })
        .collect();
    let here = format!("{LIST}/{}/bins", wh.code);
    let mut c = Chrome::new(v, LIST, "admin-bins", &here);
    c.title = t.t1("admin-bins-of", "warehouse", wh.code.clone());
    let created = done.what_of("bins-created").to_owned();
    let kinds = LocationKind::ALL.iter().map(|k| (k.as_str(), kind_name(t, *k))).collect();
    let page = BinsPage { c, t, flash, code: wh.code, prefix, after, bins, next, created, kinds };
    html(t, &page)
}

pub(crate) async fn bins(
    State(st): State<ConsoleState>,
    v: Viewer,
    Path(code): Path<String>,
    Query(q): Query<BinsQuery>,
    Query(d): Query<Done>,
) -> Result<Response, Failure> {
    bins_page(&st, &v, &code, q, &d, d.flash(v.tr)).await
}

/// A whole number typed into an optional field.
fn optional_number(field: &str, text: &str) -> CoreResult<Option<i64>> {
    Some(text).filter(|s| !s.is_empty()).map(|s| format::whole(field, s)).transpose()
}

pub(crate) async fn create_bins(
    State(st): State<ConsoleState>,
    v: Viewer,
    Path(code): Path<String>,
    Form(f): Form<Fields>,
) -> Result<Response, Failure> {
    let a = f.admin(&st, &v)?;
    let made = async {
        let wh = a.warehouse(&code).await?;
        let kind = f.get("kind").parse::<LocationKind>()?;
        let r = NewLocationRange {
            range: f.get("range").to_owned(),
            zone: Some(f.get("zone").to_owned()).filter(|z| !z.is_empty()),
            kind,
            pick_seq: None,
            capacity: optional_number("capacity", f.get("capacity"))?,
        };
        a.create_location_range(&wh.id, r).await?;
        Ok(done(&format!("{LIST}/{}/bins", wh.code), "bins-created", f.get("range")))
    }
    .await;
    let none = Done::default();
    or_refused(v.tr, made, |flash| bins_page(&st, &v, &code, BinsQuery::default(), &none, flash)).await
}
