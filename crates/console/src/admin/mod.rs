//! The operator's administration under `/console/admin`: clients (sites, balances, top-ups),
//! people, warehouses with their bins, and services with their rate cards.
//!
//! Every handler first asks the app for the administration use cases ([`App::admin`]), which
//! refuse anyone but an operator administrator: the console decides nothing about who may. A
//! form that worked lands back on its page saying so (`?done=`); one the use case refused shows
//! the page again with the reason, answered 422.
//!
//! [`App::admin`]: entrepot_app::App::admin

pub(crate) mod clients;
pub(crate) mod people;
pub(crate) mod services;
pub(crate) mod warehouses;

use std::future::Future;

use axum::{
    http::StatusCode,
    response::{IntoResponse, Redirect, Response},
};
use entrepot_app::Admin;
use entrepot_core::CoreError;
use serde::Deserialize;

use crate::{
    failure::{Failure, OrPage},
    i18n::Tr,
    state::ConsoleState,
    viewer::Viewer,
};

/// The administration use cases for the viewer, or the 403 page.
pub(crate) fn admin<'a>(st: &'a ConsoleState, v: &'a Viewer) -> Result<Admin<'a>, Failure> {
    st.app.admin(&v.actor).or_page(v.tr)
}

/// The fields of a posted form, repeated ones (a list of checkboxes) kept in order.
#[derive(Deserialize)]
#[serde(transparent)]
pub(crate) struct Fields(Vec<(String, String)>);

impl Fields {
    /// The first value of `name`, trimmed ("" when absent).
    pub fn get(&self, name: &str) -> &str {
        self.0.iter().find(|(k, _)| k == name).map(|(_, v)| v.trim()).unwrap_or_default()
    }

    /// Every non-empty value of `name`.
    pub fn all(&self, name: &str) -> Vec<String> {
        self.0.iter().filter(|(k, v)| k == name && !v.trim().is_empty()).map(|(_, v)| v.trim().to_owned()).collect()
    }

    /// Whether the checkbox `name` was ticked.
    pub fn ticked(&self, name: &str) -> bool {
        !self.get(name).is_empty()
    }

    /// Checks the form's CSRF token, then that the viewer administers; the use cases.
    pub fn admin<'a>(&self, st: &'a ConsoleState, v: &'a Viewer) -> Result<Admin<'a>, Failure> {
        v.check_csrf(self.get("csrf"))?;
        admin(st, v)
    }
}

/// What a form just did, said on the page it lands on; each names a message `admin-done-*`.
const DONE: &[&str] = &[
    "client-created",
    "sites-changed",
    "topped-up",
    "person-created",
    "person-disabled",
    "warehouses-changed",
    "cutoff-set",
    "bins-created",
    "service-changed",
];

/// The line above a page: what was done (`good`) or why a form was refused (`bad`).
#[derive(Default)]
pub(crate) struct Flash {
    pub class: &'static str,
    pub text: String,
}

/// The `?done=...&what=...` a form lands with.
#[derive(Deserialize, Default)]
pub(crate) struct Done {
    done: Option<String>,
    what: Option<String>,
}

impl Done {
    /// What the form said it did, if it did `key`; "" otherwise.
    pub fn what_of(&self, key: &str) -> &str {
        if self.done.as_deref() == Some(key) {
            self.what.as_deref().unwrap_or_default()
        } else {
            ""
        }
    }

    pub fn flash(&self, t: Tr) -> Flash {
        match self.done.as_deref().and_then(|d| DONE.iter().find(|k| **k == d)) {
            Some(key) => {
                let what = self.what.as_deref().unwrap_or_default().chars().take(200).collect::<String>();
                Flash { class: "good", text: t.t1(&format!("admin-done-{key}"), "what", what) }
            }
            None => Flash::default(),
        }
    }
}

/// Back to `path`, saying `done` about `what`.
pub(crate) fn done(path: &str, done: &'static str, what: &str) -> Response {
    debug_assert!(DONE.contains(&done));
    let q = serde_urlencoded::to_string([("done", done), ("what", what)]).unwrap_or_default();
    let join = if path.contains('?') { '&' } else { '?' };
    Redirect::to(&format!("{path}{join}{q}")).into_response()
}

/// A form's answer: `result` when the use case did it; else the page again (`render`) with the
/// reason, 422. Refusals of the person (403) and failures inside stay error pages.
pub(crate) async fn or_refused<F, Fut>(
    t: Tr,
    result: Result<Response, CoreError>,
    render: F,
) -> Result<Response, Failure>
where
    F: FnOnce(Flash) -> Fut,
    Fut: Future<Output = Result<Response, Failure>>,
{
    match result {
        Ok(r) => Ok(r),
        Err(e @ (CoreError::Internal | CoreError::Forbidden(_))) => Err(Failure::core(t, e)),
        Err(e) => {
            let flash = Flash { class: "bad", text: crate::scan::Outcome::refused(t, &e).message().to_owned() };
            let mut r = render(flash).await?;
            *r.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
            Ok(r)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Lang;

    #[test]
    fn a_landing_says_only_what_a_form_did() {
        for lang in Lang::ALL {
            for key in DONE {
                let d = Done { done: Some((*key).to_owned()), what: Some("Gamma".into()) };
                let f = d.flash(Tr(lang));
                assert!(f.class == "good" && f.text.contains("Gamma") && !f.text.contains("admin-done"), "{key}");
            }
            let made_up = Done { done: Some("../../error-internal".into()), what: Some("x".into()) };
            assert!(made_up.flash(Tr(lang)).text.is_empty(), "no message a link names");
        }
        let d = Done { done: Some("bins-created".into()), what: Some("A-01..02-1".into()) };
        assert_eq!((d.what_of("bins-created"), d.what_of("cutoff-set")), ("A-01..02-1", ""));
    }
}
