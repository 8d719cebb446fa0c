//! Sandbox apps (registered as SANDBOX): their calls act on the client's sandbox twin (see
//! `entrepot_app::sandbox`), and each one answered with success is counted for the app's
//! verification report, under the operation its route is ([`operation`]).

use std::sync::{Arc, Mutex};

use axum::{
    extract::{Request, State},
    middleware::Next,
    response::Response,
};
use entrepot_app::ErpApp;

use crate::OcState;

/// Marks an answer with `code` 0: what the report counts.
#[derive(Debug, Clone, Copy)]
pub struct Succeeded;

/// Where a call names its sandbox app, for [`count`] to read once the handler answered.
#[derive(Debug, Clone, Default)]
pub struct Slot(Arc<Mutex<Option<(String, &'static str)>>>);

impl Slot {
    /// Notes that the call to `path` came from `app`, when it is a sandbox app calling an
    /// operation of the checklist.
    pub fn note(&self, app: &ErpApp, path: &str) {
        if app.environment != "SANDBOX" {
            return;
        }
        if let (Ok(mut s), Some(op)) = (self.0.lock(), operation(path)) {
            *s = Some((app.id.0.clone(), op));
        }
    }

    fn take(&self) -> Option<(String, &'static str)> {
        self.0.lock().ok().and_then(|mut s| s.take())
    }
}

/// The checklist operation (`entrepot_app::sandbox::OC_CHECKLIST`) a route is.
pub fn operation(path: &str) -> Option<&'static str> {
    let p = path.trim_end_matches('/').to_ascii_lowercase();
    let p = p.strip_prefix("/openapi/3pp/")?;
    let op = match p.split('/').collect::<Vec<_>>().as_slice() {
        ["sku", _, "creation"] => "sku.create",
        ["sku", _, "query"] => "sku.query",
        ["inventory", _, "snapshot" | "movement" | "snapshotage"] => "inventory.query",
        ["base", _, "service"] => "service.list",
        ["outbound", _, "creation"] => "outbound.create",
        ["outbound", _, "query"] => "outbound.query",
        ["outbound", _, "cancel"] => "outbound.cancel",
        ["inbound", _, "creation"] => "inbound.create",
        ["inbound", _, "upload", "shipment-file"] => "inbound.tracking",
        ["inbound", _, "upload", "customs-clearance-file"] => "inbound.files",
        ["inbound", _, "query" | "detail"] => "inbound.query",
        _ => return None,
    };
    Some(op)
}

/// Counts the sandbox calls that succeeded (a middleware over the OC routes).
pub async fn count(State(st): State<OcState>, mut req: Request, next: Next) -> Response {
    let slot = Slot::default();
    req.extensions_mut().insert(slot.clone());
    let resp = next.run(req).await;
    if let Some((app, op)) = slot.take() {
        if resp.extensions().get::<Succeeded>().is_some() {
            record(&st, &app, op).await;
        }
    }
    resp
}

/// Counts one successful call; a failure to count is logged, never the caller's problem.
pub async fn record(st: &OcState, app: &str, op: &str) {
    if let Err(e) = st.app.record_sandbox_call(app, op).await {
        tracing::warn!(error = %e, app, op, "a sandbox call could not be counted");
    }
}

#[cfg(test)]
mod tests {
    use super::operation;

    #[test]
    fn routes_are_the_checklist_operations() {
        assert_eq!(operation("/openapi/3pp/sku/v3/creation"), Some("sku.create"));
        assert_eq!(operation("/openapi/3pp/outbound/v2/query"), Some("outbound.query"));
        assert_eq!(operation("/openapi/3pp/inbound/v1/upload/shipment-file"), Some("inbound.tracking"));
        assert_eq!(operation("/openapi/3pp/inbound/v1/detail"), Some("inbound.query"));
        assert_eq!(operation("/openapi/3pp/inventory/v1/snapshotAge"), Some("inventory.query"));
        assert_eq!(operation("/openapi/3pp/files/t/n.pdf"), None);
        assert_eq!(operation("/oauth/token"), None);
        for (op, _) in entrepot_app::sandbox::OC_CHECKLIST {
            assert!(
                op.starts_with("oauth.")
                    || [
                        "sku.create",
                        "sku.query",
                        "inventory.query",
                        "service.list",
                        "outbound.create",
                        "outbound.query",
                        "outbound.cancel",
                        "inbound.create",
                        "inbound.tracking",
                        "inbound.files",
                        "inbound.query"
                    ]
                    .contains(op),
                "{op} is recorded by no route"
            );
        }
    }
}
