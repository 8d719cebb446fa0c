//! Clients: the list (currency, sites, balance per currency) with a form for a new client, and
//! one client's page to attach or detach sites and record a top-up.

use askama::Template;
use axum::{
    extract::{Path, Query, State},
    response::Response,
    Form,
};
use entrepot_app::ClientSummary;
use entrepot_core::{balance::MoneyBucket, company::Warehouse, ids::ClientId};

use super::{admin, done, or_refused, Done, Fields, Flash};
use crate::{
    failure::{Failure, OrPage},
    format,
    i18n::Tr,
    page::{html, Chrome},
    state::ConsoleState,
    viewer::Viewer,
};

const LIST: &str = "/console/admin/clients";

/// A currency's balance: (currency, available, held).
type Balance = (String, String, String);

fn balances(s: &ClientSummary) -> Vec<Balance> {
    s.balances
        .iter()
        .map(|(cur, a)| {
            (
                cur.clone(),
                format::money(a.get(MoneyBucket::Available), cur),
                format::money(a.get(MoneyBucket::Held), cur),
            )
        })
        .collect()
}

fn codes(sites: &[Warehouse]) -> String {
    sites.iter().map(|w| w.code.as_str()).collect::<Vec<_>>().join(", ")
}

pub(crate) struct Row {
    id: String,
    name: String,
    currency: String,
    sites: String,
    balances: Vec<Balance>,
}

#[derive(Template)]
#[template(path = "admin_clients.html")]
struct ListPage {
    c: Chrome,
    t: Tr,
    flash: Flash,
    rows: Vec<Row>,
    /// (code, name) of every warehouse, for the new client's sites.
    sites: Vec<(String, String)>,
}

async fn list_page(st: &ConsoleState, v: &Viewer, flash: Flash) -> Result<Response, Failure> {
    let t = v.tr;
    let a = admin(st, v)?;
    let all = a.clients().await.or_page(t)?;
    let rows = all
        .iter()
        .map(|s| Row {
            id: s.client.id.0.clone(),
            name: s.client.name.clone(),
            currency: s.client.currency.as_str().to_owned(),
            sites: codes(&s.sites),
            balances: balances(s),
        })
        .collect();
    let sites = a.warehouses().await.or_page(t)?;
    let sites = sites.into_iter().map(|w| (w.code, w.name)).collect();
    let c = Chrome::new(v, LIST, "nav-admin-clients", LIST);
    html(t, &ListPage { c, t, flash, rows, sites })
}

pub(crate) async fn list(
    State(st): State<ConsoleState>,
    v: Viewer,
    Query(q): Query<Done>,
) -> Result<Response, Failure> {
    list_page(&st, &v, q.flash(v.tr)).await
}

pub(crate) async fn create(
    State(st): State<ConsoleState>,
    v: Viewer,
    Form(f): Form<Fields>,
) -> Result<Response, Failure> {
    let a = f.admin(&st, &v)?;
    let made = a.create_client(f.get("name"), f.get("currency"), &f.all("site")).await;
    let made = made.map(|c| done(&format!("{LIST}/{}", c.id.0), "client-created", &c.name));
    or_refused(v.tr, made, |flash| list_page(&st, &v, flash)).await
}

#[derive(Template)]
#[template(path = "admin_client.html")]
struct ClientPage {
    c: Chrome,
    t: Tr,
    flash: Flash,
    id: String,
    /// (code, name) of the sites it uses, and of those of its company it could.
    sites: Vec<(String, String)>,
    others: Vec<(String, String)>,
    balances: Vec<Balance>,
    /// Its own currency first, then the others it holds.
    currencies: Vec<String>,
}

async fn client_page(st: &ConsoleState, v: &Viewer, id: &str, flash: Flash) -> Result<Response, Failure> {
    let t = v.tr;
    let a = admin(st, v)?;
    let s = a.client(&ClientId::from(id)).await.or_page(t)?;
    let all = a.warehouses().await.or_page(t)?;
    let others = all
        .into_iter()
        .filter(|w| w.company_id == s.client.company_id && !s.sites.iter().any(|x| x.id == w.id))
        .map(|w| (w.code, w.name))
        .collect();
    let own = s.client.currency.as_str().to_owned();
    let mut currencies = vec![own.clone()];
    currencies.extend(s.balances.iter().map(|(c, _)| c.clone()).filter(|c| *c != own));
    let here = format!("{LIST}/{id}");
    let mut c = Chrome::new(v, LIST, "nav-admin-clients", &here);
    c.title = s.client.name.clone();
    let page = ClientPage {
        c,
        t,
        flash,
        id: s.client.id.0.clone(),
        sites: s.sites.iter().map(|w| (w.code.clone(), w.name.clone())).collect(),
        others,
        balances: balances(&s),
        currencies,
    };
    html(t, &page)
}

pub(crate) async fn show(
    State(st): State<ConsoleState>,
    v: Viewer,
    Path(id): Path<String>,
    Query(q): Query<Done>,
) -> Result<Response, Failure> {
    client_page(&st, &v, &id, q.flash(v.tr)).await
}

/// Attaches (`attach`) or detaches (`detach`) the sites ticked or chosen.
pub(crate) async fn sites(
    State(st): State<ConsoleState>,
    v: Viewer,
    Path((id, how)): Path<(String, String)>,
    Form(f): Form<Fields>,
) -> Result<Response, Failure> {
    let a = f.admin(&st, &v)?;
    let (client, sites) = (ClientId::from(id.as_str()), f.all("site"));
    let changed = match how.as_str() {
        "attach" => a.attach_sites(&client, &sites).await,
        "detach" => a.detach_sites(&client, &sites).await,
        _ => return Err(Failure::not_found(v.tr)),
    };
    let changed = changed.map(|()| done(&format!("{LIST}/{id}"), "sites-changed", &sites.join(", ")));
    or_refused(v.tr, changed, |flash| client_page(&st, &v, &id, flash)).await
}

pub(crate) async fn top_up(
    State(st): State<ConsoleState>,
    v: Viewer,
    Path(id): Path<String>,
    Form(f): Form<Fields>,
) -> Result<Response, Failure> {
    let a = f.admin(&st, &v)?;
    let client = ClientId::from(id.as_str());
    let credited = a.top_up(&client, Some(f.get("currency")), f.get("amount"), f.get("note")).await;
    let credited = credited.map(|(cur, account)| {
        let now = format::money(account.get(MoneyBucket::Available), cur.as_str());
        done(&format!("{LIST}/{id}"), "topped-up", &now)
    });
    or_refused(v.tr, credited, |flash| client_page(&st, &v, &id, flash)).await
}
