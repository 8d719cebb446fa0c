//! People: every user with their role and what it is attached to; a new user (an operator,
//! warehouse staff with warehouses and perhaps supervising, or a client's seller user, perhaps
//! its owner); disabling one; granting or revoking a warehouse for staff.

use std::collections::HashMap;

use askama::Template;
use axum::{
    extract::{Path, Query, State},
    response::Response,
    Form,
};
use entrepot_app::{Admin, NewUser};
use entrepot_core::{
    actor::Role,
    company::Warehouse,
    ids::{ClientId, UserId, WarehouseId},
    CoreError, CoreResult,
};

use super::{admin, done, or_refused, Done, Fields, Flash};
use crate::{
    failure::{Failure, OrPage},
    i18n::Tr,
    page::{html, role_name, Chrome},
    state::ConsoleState,
    viewer::Viewer,
};

const LIST: &str = "/console/admin/people";

pub(crate) struct Row {
    id: String,
    username: String,
    role: String,
    owner: bool,
    /// The client's name, or the warehouses' codes.
    scope: String,
    disabled: bool,
    /// Staff: the codes of their warehouses, and of the others they could be granted.
    warehouses: Vec<String>,
    others: Vec<String>,
}

#[derive(Template)]
#[template(path = "admin_people.html")]
struct PeoplePage {
    c: Chrome,
    t: Tr,
    flash: Flash,
    rows: Vec<Row>,
    /// (code, name) of every warehouse; (id, name) of every client.
    warehouses: Vec<(String, String)>,
    clients: Vec<(String, String)>,
}

async fn page(st: &ConsoleState, v: &Viewer, flash: Flash) -> Result<Response, Failure> {
    let t = v.tr;
    let a = admin(st, v)?;
    let whs = a.warehouses().await.or_page(t)?;
    let clients = a.clients().await.or_page(t)?;
    let code: HashMap<&WarehouseId, &str> = whs.iter().map(|w| (&w.id, w.code.as_str())).collect();
    let client: HashMap<&ClientId, &str> = clients.iter().map(|c| (&c.client.id, c.client.name.as_str())).collect();
    let people = a.people().await.or_page(t)?;
    let rows = people
        .iter()
        .map(|u| {
            let role = u.role();
            let staff = matches!(role, Some(Role::Staff { .. }));
            let warehouses: Vec<String> =
                u.warehouses.iter().map(|w| code.get(w).copied().unwrap_or(w.0.as_str()).to_owned()).collect();
            let scope = match &u.client_id {
                Some(c) => client.get(c).copied().unwrap_or(c.0.as_str()).to_owned(),
                None => warehouses.join(", "),
            };
            Row {
                id: u.id.0.clone(),
                username: u.username.clone(),
                role: role.as_ref().map(|r| role_name(t, r)).unwrap_or_else(|| u.role_name.clone()),
                owner: u.owner && u.client_id.is_some(),
                scope,
                disabled: u.disabled,
                others: if staff {
                    whs.iter().map(|w| w.code.clone()).filter(|c| !warehouses.contains(c)).collect()
                } else {
                    vec![]
                },
                warehouses: if staff { warehouses } else { vec![] },
            }
        })
        .collect();
    let c = Chrome::new(v, LIST, "nav-admin-people", LIST);
    let warehouses = whs.iter().map(|w| (w.code.clone(), w.name.clone())).collect();
    let clients = clients.into_iter().map(|s| (s.client.id.0, s.client.name)).collect();
    html(t, &PeoplePage { c, t, flash, rows, warehouses, clients })
}

pub(crate) async fn list(
    State(st): State<ConsoleState>,
    v: Viewer,
    Query(q): Query<Done>,
) -> Result<Response, Failure> {
    page(&st, &v, q.flash(v.tr)).await
}

/// The warehouse coded `code` among `all`.
fn by_code<'w>(all: &'w [Warehouse], code: &str) -> CoreResult<&'w Warehouse> {
    all.iter()
        .find(|w| w.code.eq_ignore_ascii_case(code))
        .ok_or_else(|| CoreError::invalid("warehouse", format!("no warehouse {code}")))
}

/// The user the form describes: its role from `role`, with the fields that role takes.
async fn new_user(a: &Admin<'_>, f: &Fields) -> CoreResult<NewUser> {
    let role = match f.get("role") {
        "operator" => Role::Operator,
        "staff" => {
            let all = a.warehouses().await?;
            let warehouses =
                f.all("warehouse").iter().map(|c| by_code(&all, c).map(|w| w.id.clone())).collect::<CoreResult<_>>()?;
            Role::Staff { warehouses, supervisor: f.ticked("supervisor") }
        }
        "seller" => {
            let client = f.get("client");
            if client.is_empty() {
                return Err(CoreError::invalid("client", "a seller user belongs to a client"));
            }
            Role::Seller { client: ClientId::from(client), owner: f.ticked("owner") }
        }
        _ => return Err(CoreError::invalid("role", "operator, staff or seller")),
    };
    Ok(NewUser { username: f.get("username").to_owned(), password: f.get("password").to_owned(), role })
}

pub(crate) async fn create(
    State(st): State<ConsoleState>,
    v: Viewer,
    Form(f): Form<Fields>,
) -> Result<Response, Failure> {
    let a = f.admin(&st, &v)?;
    let made = match new_user(&a, &f).await {
        Ok(n) => a.create_person(n).await,
        Err(e) => Err(e),
    };
    let made = made.map(|u| done(LIST, "person-created", &u.username));
    or_refused(v.tr, made, |flash| page(&st, &v, flash)).await
}

/// Disables a user (`disable`), or grants (`grant`) or revokes (`revoke`) a staff user's
/// warehouse (`warehouse`, by code; `supervisor` with a grant).
pub(crate) async fn change(
    State(st): State<ConsoleState>,
    v: Viewer,
    Path((id, how)): Path<(String, String)>,
    Form(f): Form<Fields>,
) -> Result<Response, Failure> {
    let a = f.admin(&st, &v)?;
    let user = UserId::from(id.as_str());
    let changed = match how.as_str() {
        "disable" => a.disable_person(&user).await.map(|u| done(LIST, "person-disabled", &u.username)),
        "grant" | "revoke" => async {
            let all = a.warehouses().await?;
            let w = by_code(&all, f.get("warehouse"))?.id.clone();
            if how == "grant" {
                a.grant_warehouse(&user, &w, f.ticked("supervisor")).await
            } else {
                a.revoke_warehouse(&user, &w).await
            }
        }
        .await
        .map(|u| done(LIST, "warehouses-changed", &u.username)),
        _ => return Err(Failure::not_found(v.tr)),
    };
    or_refused(v.tr, changed, |flash| page(&st, &v, flash)).await
}
