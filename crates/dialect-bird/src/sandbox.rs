//! Bird test keys: a test key is issued to the client's sandbox twin (see
//! `entrepot_app::sandbox`), so its calls act on the twin's rows like any key's on its client's.
//! Each call answered with success (Bird's errors are HTTP 500 or 403) is counted for the
//! client's Bird verification report, under the operation its route is ([`operation`]).

use std::sync::{Arc, Mutex};

use axum::{
    extract::{Request, State},
    http::Method,
    middleware::Next,
    response::Response,
};

use crate::BirdState;

/// Where a call names the report it counts for, for [`count`] to read once the handler answered.
#[derive(Debug, Clone, Default)]
pub struct Slot(Arc<Mutex<Option<(String, &'static str)>>>);

impl Slot {
    /// Notes a call of `method` `path` to be counted for `app`, when it is a checklist operation.
    pub fn note(&self, app: String, method: &Method, path: &str) {
        if let (Ok(mut s), Some(op)) = (self.0.lock(), operation(method, path)) {
            *s = Some((app, op));
        }
    }

    fn take(&self) -> Option<(String, &'static str)> {
        self.0.lock().ok().and_then(|mut s| s.take())
    }
}

/// The checklist operation (`entrepot_app::sandbox::BIRD_CHECKLIST`) a request is; paths as
/// routed (lower case, see [`crate::normalize_path`]).
pub fn operation(method: &Method, path: &str) -> Option<&'static str> {
    let p = path.trim_end_matches('/').to_ascii_lowercase();
    let post = method == Method::POST;
    let op = match p.as_str() {
        "/client/consignment" if post => "consignment.create",
        "/client/consignment" => "consignment.query",
        "/client/consignment-product" | "/client/agent-direct-consignment-product" if post => "consignment.product",
        "/client/consignment/batch-update-status" => "consignment.status",
        "/client/consignment-upload/temp-consignment-json" => "temp.upload",
        "/client/temp-consignment-info" if post => "temp.upload",
        "/client/temp-consignment-info/convert-into-consignment" => "temp.convert",
        "/client/consignment/post-pending-consignment-with-products-json" => "pending.create",
        "/client/webhook" if post => "webhook.create",
        _ => return None,
    };
    Some(op)
}

/// Counts the test-key calls that succeeded (a middleware over the Bird routes).
pub async fn count(State(st): State<BirdState>, mut req: Request, next: Next) -> Response {
    let slot = Slot::default();
    req.extensions_mut().insert(slot.clone());
    let resp = next.run(req).await;
    if let Some((app, op)) = slot.take() {
        if resp.status().is_success() {
            if let Err(e) = st.app.record_sandbox_call(&app, op).await {
                tracing::warn!(error = %e, app, op, "a sandbox call could not be counted");
            }
        }
    }
    resp
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_checklist_operation_is_some_route() {
        let routes = [
            (Method::POST, "/client/consignment"),
            (Method::GET, "/client/consignment/"),
            (Method::POST, "/client/Consignment-Product"),
            (Method::POST, "/client/consignment/batch-update-status"),
            (Method::POST, "/client/consignment-upload/temp-consignment-json"),
            (Method::GET, "/client/temp-consignment-info/convert-into-consignment"),
            (Method::POST, "/client/consignment/post-pending-consignment-with-products-json"),
            (Method::POST, "/client/webhook"),
        ];
        let found: Vec<&str> = routes.iter().filter_map(|(m, p)| operation(m, p)).collect();
        for (op, _) in entrepot_app::sandbox::BIRD_CHECKLIST {
            assert!(found.contains(op), "{op} is recorded by no route");
        }
        assert_eq!(operation(&Method::GET, "/client/product"), None);
        assert_eq!(operation(&Method::GET, "/client/webhook"), None);
    }
}
