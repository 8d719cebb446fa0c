//! What every page shares: the frame around it (header, navigation by role, language switch,
//! log-out), rendered and sent with the console's headers ([`crate::headers`]).

use askama::Template;
use axum::{
    http::{header, HeaderValue},
    response::{IntoResponse, Response},
};
use entrepot_core::actor::Role;

pub use crate::headers::secure;

use crate::{
    assets,
    failure::Failure,
    i18n::{Lang, Tr},
    viewer::Viewer,
};

/// Renders a template as an HTML answer.
pub fn html(tr: Tr, t: &impl Template) -> Result<Response, Failure> {
    let body = t.render().map_err(|e| Failure::render(tr, e))?;
    let mut r = body.into_response();
    r.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("text/html; charset=utf-8"));
    Ok(secure(r))
}

/// A role's name in the reader's language (the system has none).
pub fn role_name(t: Tr, role: &Role) -> String {
    match role {
        Role::Operator => t.t("role-operator"),
        Role::Staff { supervisor: true, .. } => t.t("role-supervisor"),
        Role::Staff { .. } => t.t("role-staff"),
        Role::Seller { .. } => t.t("role-seller"),
        Role::System => String::new(),
    }
}

/// One link of the navigation.
pub struct NavItem {
    pub href: &'static str,
    pub label: String,
    pub active: bool,
    /// A fragment with how many wait there (a badge), loaded after the page; empty for none.
    pub count: &'static str,
}

/// The frame of a signed-in page.
pub struct Chrome {
    pub t: Tr,
    pub title: String,
    pub user: String,
    pub role: String,
    pub csrf: String,
    pub nav: Vec<NavItem>,
    /// Where the language switch comes back to.
    pub here: String,
    pub other_langs: Vec<(&'static str, &'static str)>,
}

impl Chrome {
    /// The frame for `v`, with `active` (a nav href) marked and `title_key` as the page title.
    pub fn new(v: &Viewer, active: &str, title_key: &str, here: &str) -> Self {
        let t = v.tr;
        let links: &[(&'static str, &str)] = if v.is_seller() {
            &[
                ("/console/dashboard", "nav-dashboard"),
                ("/console/orders", "nav-orders"),
                ("/console/import", "nav-import"),
                ("/console/skus", "nav-skus"),
                ("/console/stock", "nav-stock"),
                ("/console/inbounds", "nav-inbounds"),
                ("/console/balance", "nav-balance"),
                ("/console/integrations", "nav-integrations"),
            ]
        } else if v.is_operator() {
            &[
                ("/console/admin/clients", "nav-admin-clients"),
                ("/console/admin/people", "nav-admin-people"),
                ("/console/admin/warehouses", "nav-admin-warehouses"),
                ("/console/admin/services", "nav-admin-services"),
                ("/console/board", "nav-board"),
                ("/console/sku-audit", "nav-sku-audit"),
                ("/console/counts", "nav-counts"),
            ]
        } else {
            &[
                ("/console/board", "nav-board"),
                ("/console/appointments", "nav-appointments"),
                ("/console/receiving", "nav-receiving"),
                ("/console/unidentified", "nav-unidentified"),
                ("/console/putaway", "nav-putaway"),
                ("/console/queue", "nav-queue"),
                ("/console/sku-audit", "nav-sku-audit"),
                ("/console/waves", "nav-waves"),
                ("/console/picking", "nav-picking"),
                ("/console/packing", "nav-packing"),
                ("/console/manifests", "nav-manifests"),
                ("/console/returns", "nav-returns"),
                ("/console/counts", "nav-counts"),
            ]
        };
        let count = |href: &str| if href == "/console/unidentified" { "/console/unidentified/count" } else { "" };
        let nav = links
            .iter()
            .map(|&(href, key)| NavItem { href, label: t.t(key), active: href == active, count: count(href) })
            .collect();
        let role = role_name(t, &v.actor.role);
        Chrome {
            t,
            title: t.t(title_key),
            user: v.actor.name.clone(),
            role,
            csrf: v.csrf.clone(),
            nav,
            here: here.to_owned(),
            other_langs: Lang::ALL.iter().filter(|l| **l != t.lang()).map(|l| (l.tag(), l.own_name())).collect(),
        }
    }

    pub fn lang(&self) -> &'static str {
        self.t.lang().tag()
    }

    pub fn asset(&self, name: &str) -> String {
        assets::url(name)
    }
}
