//! The seller's sandbox on the Integrations page: what its sandbox OC apps and Bird test key
//! have called successfully (the verification report the operator promotes an app on), a Bird
//! test key made on the spot, and a reset (owners only). See `entrepot_app::sandbox`.

use axum::{
    extract::State,
    http::HeaderMap,
    response::{IntoResponse, Redirect, Response},
    Form,
};
use serde::Deserialize;

use crate::{
    failure::{Failure, OrPage},
    format,
    i18n::Tr,
    integrations::{key_made, NewKey},
    state::ConsoleState,
    viewer::Viewer,
};

/// One line of a report: the operation in the page's language, its calls, when last.
pub(crate) struct LineRow {
    pub label: String,
    pub calls: i64,
    pub last: String,
}

/// One sandbox credential's report.
pub(crate) struct ReportRow {
    pub name: String,
    pub complete: bool,
    pub lines: Vec<LineRow>,
}

/// The reports of the viewer's client, in the page's language.
pub(crate) async fn reports(st: &ConsoleState, v: &Viewer) -> Result<Vec<ReportRow>, Failure> {
    let t = v.tr;
    Ok(st
        .app
        .seller_sandbox_reports(&v.actor)
        .await
        .or_page(t)?
        .into_iter()
        .map(|(app, r)| ReportRow {
            name: app.map(|a| a.name).unwrap_or_else(|| t.t("sandbox-bird-key")),
            complete: r.complete,
            lines: r
                .lines
                .iter()
                .map(|l| LineRow {
                    label: label(t, l.operation),
                    calls: l.calls,
                    last: l.last_at_ms.map(|ms| format::local_time(None, ms)).unwrap_or_default(),
                })
                .collect(),
        })
        .collect())
}

/// An operation's name in the page's language (`sandbox-op-sku-create` for `sku.create`).
fn label(t: Tr, operation: &str) -> String {
    t.t(&format!("sandbox-op-{}", operation.replace('.', "-")))
}

/// `POST /console/integrations/sandbox/keys`: a Bird test key, shown once.
pub(crate) async fn create_test_key(
    State(st): State<ConsoleState>,
    v: Viewer,
    headers: HeaderMap,
    Form(f): Form<NewKey>,
) -> Result<Response, Failure> {
    v.check_csrf(&f.csrf)?;
    let made = st.app.create_seller_test_key(&v.actor, &f.label).await;
    key_made(&st, &v, &headers, made).await
}

#[derive(Deserialize)]
pub(crate) struct Reset {
    csrf: String,
}

/// `POST /console/integrations/sandbox/reset`: the sandbox started again.
pub(crate) async fn reset(
    State(st): State<ConsoleState>,
    v: Viewer,
    Form(f): Form<Reset>,
) -> Result<Response, Failure> {
    v.check_csrf(&f.csrf)?;
    st.app.reset_seller_sandbox(&v.actor).await.or_page(v.tr)?;
    Ok(Redirect::to("/console/integrations?done=sandbox-reset#sandbox").into_response())
}

#[cfg(test)]
mod tests {
    use crate::i18n::{Lang, Tr};

    #[test]
    fn every_checklist_operation_is_named_in_both_languages() {
        let ops = entrepot_app::sandbox::OC_CHECKLIST.iter().chain(entrepot_app::sandbox::BIRD_CHECKLIST);
        for lang in Lang::COMPLETE {
            let t = Tr(lang);
            for (op, _) in ops.clone() {
                let key = format!("sandbox-op-{}", op.replace('.', "-"));
                assert_ne!(super::label(t, op), key, "{lang:?} has no {key}");
            }
        }
    }
}
