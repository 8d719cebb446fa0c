//! The last net under every handler: a panic is caught, logged with the request's path, and
//! answered in the error shape of the door the request came through, instead of unwinding into
//! the connection (which hyper would drop, and a client would see as a reset).
//!
//! Handlers must not panic on input (they are tested with hostile values); this layer is what
//! keeps a bug that slips through from becoming a denial of service or a silent reset.

use std::{any::Any, panic::AssertUnwindSafe};

use axum::{
    extract::Request,
    http::StatusCode,
    middleware::Next,
    response::{IntoResponse, Response},
    Json,
};
use futures_util::FutureExt;
use serde_json::json;

/// Runs the rest of the stack, turning a panic into the door's internal-error answer.
pub async fn catch_panic(req: Request, next: Next) -> Response {
    let path = req.uri().path().to_owned();
    match AssertUnwindSafe(next.run(req)).catch_unwind().await {
        Ok(resp) => resp,
        Err(payload) => {
            tracing::error!(path = %path, panic = %panic_message(payload.as_ref()), "handler panicked; answered as an internal error");
            internal_error(&path)
        }
    }
}

/// Bird's 500 envelope under `/client`, OC's code-5 envelope (HTTP 200) under `/openapi`, an RFC
/// 6749 `server_error` at the token endpoint, and a generic JSON 500 elsewhere.
pub fn internal_error(path: &str) -> Response {
    let under = |prefix: &str| {
        path.get(..prefix.len()).is_some_and(|p| p.eq_ignore_ascii_case(prefix))
            && path.as_bytes().get(prefix.len()).is_none_or(|b| *b == b'/')
    };
    if under("/client") {
        entrepot_dialect_bird::envelope::BirdError::internal().into_response()
    } else if under("/openapi") {
        let message_id = entrepot_dialect_oc::time::now_ms().to_string();
        entrepot_dialect_oc::envelope::reply(
            &message_id,
            None,
            Some(entrepot_dialect_oc::envelope::OcError::internal()),
        )
    } else if under("/oauth/token") {
        entrepot_dialect_oc::envelope::token_server_error()
    } else {
        let body = json!({"success": false, "message": "Internal error, please try again later."});
        (StatusCode::INTERNAL_SERVER_ERROR, Json(body)).into_response()
    }
}

fn panic_message(payload: &(dyn Any + Send)) -> &str {
    payload
        .downcast_ref::<&str>()
        .copied()
        .or_else(|| payload.downcast_ref::<String>().map(String::as_str))
        .unwrap_or("(non-string panic payload)")
}

#[cfg(test)]
mod tests {
    use axum::{routing::any, Router};
    use serde_json::Value;

    use super::*;

    async fn boom() -> Response {
        panic!("boom")
    }

    /// Over a real socket: each door answers a panicking handler in its own error shape, and the
    /// connection survives to serve the next request.
    #[tokio::test]
    async fn each_door_answers_a_panic_in_its_own_shape() {
        let app = Router::new()
            .route("/client/{*rest}", any(boom))
            .route("/openapi/{*rest}", any(boom))
            .route("/oauth/token", any(boom))
            .route("/elsewhere", any(boom))
            .route("/ok", any(|| async { "ok" }))
            .layer(axum::middleware::from_fn(catch_panic));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        tokio::spawn(async move { axum::serve(listener, app).await });
        let http = reqwest::Client::new();
        let get = |path: &str| {
            let req = http.post(format!("{base}{path}")).body("{}");
            async move {
                let r = req.send().await.expect("an answer, not a reset");
                let status = r.status().as_u16();
                (status, r.json::<Value>().await.expect("a JSON body"))
            }
        };
        let (status, body) = get("/client/product").await;
        assert_eq!(status, 500);
        assert_eq!(body, json!({"success": false, "message": "Internal error, please try again later."}));
        let (status, body) = get("/openapi/3pp/sku/v1/query").await;
        assert_eq!(status, 200);
        assert_eq!((body["code"].as_i64(), body["success"].as_bool()), (Some(5), Some(false)));
        assert_eq!(body["errors"][0]["code"], "5A0001");
        let (status, body) = get("/oauth/token").await;
        assert_eq!(status, 500);
        assert_eq!(body["error"], "server_error");
        let (status, body) = get("/elsewhere").await;
        assert_eq!((status, body["success"].as_bool()), (500, Some(false)));
        assert_eq!(http.get(format!("{base}/ok")).send().await.unwrap().text().await.unwrap(), "ok");
    }

    #[test]
    fn prefixes_are_whole_segments() {
        assert_eq!(internal_error("/CLIENT/Product").status(), StatusCode::INTERNAL_SERVER_ERROR);
        assert_eq!(internal_error("/openapi").status(), StatusCode::OK);
        assert_eq!(internal_error("/openapix").status(), StatusCode::INTERNAL_SERVER_ERROR);
        assert_eq!(internal_error("/é").status(), StatusCode::INTERNAL_SERVER_ERROR);
    }
}
