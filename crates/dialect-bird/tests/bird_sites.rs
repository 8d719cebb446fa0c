//! Operator companies and sites are isolated (issue 16 §5), over a real socket on both backends: a
//! client names only the sites it is attached to. Another operator's site (Bird `company_id`), its
//! service (`delivery_service_id`) or warehouse (`warehouse_id_destination`), and a site of its own
//! operator it was detached from, are refused exactly as unknown ones (same status, same message
//! but for the id), and the lists (`company-list`, `Delivery-Service`, `Warehouse`) show only its
//! sites.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{pending_row, App};
use entrepot_store::fixtures;
use entrepot_testkit::{each_backend, Backend};
use reqwest::Method;
use serde_json::{json, Value};

const PENDING: &str = "/client/Consignment/Post-Pending-Consignment-With-Products-Json";
const DISPATCH_UPLOAD: &str = "/client/Client-Dispatch-Upload/Client-Dispatch-Json";

/// A rival operator company with site FR (Bird company 18) and its service 1801.
async fn rival(app: &App) {
    let rival = app.store.create_company("Rival").await.unwrap();
    app.store.create_warehouse(fixtures::warehouse(&rival.id, "FR", 18, "FR", "FR", "Europe/Paris")).await.unwrap();
    app.store.create_service(fixtures::service("FR", "GBDomesticStandard", 1801, "Rival Post")).await.unwrap();
}

/// A request as the client with `company_id` (none if empty).
fn at(app: &App, m: Method, path: &str, company: &str) -> reqwest::RequestBuilder {
    let rb = app.http.request(m, format!("{}{path}", app.base)).header("api_key", &app.key);
    if company.is_empty() {
        rb
    } else {
        rb.header("company_id", company)
    }
}

/// A refusal with the id it names replaced, so that two refusals can be compared.
fn shape(status: u16, body: &Value, id: &str) -> (u16, String) {
    (status, body.to_string().replace(id, "<id>"))
}

/// `(status, body)` for `named` and for `unknown`, sent by `send`, must be the same refusal.
async fn refused_like_unknown<F, Fut>(what: &str, named: &str, unknown: &str, send: F)
where
    F: Fn(String) -> Fut,
    Fut: std::future::Future<Output = (u16, Value)>,
{
    let (s1, b1) = send(named.to_owned()).await;
    let (s2, b2) = send(unknown.to_owned()).await;
    assert_eq!(s2, 500, "{what}: the unknown one is refused: {b2}");
    assert_eq!(b2["success"], false, "{what}: {b2}");
    assert!(b2["message"].as_str().unwrap().contains(unknown), "{what}: refused for the unknown id: {b2}");
    assert_eq!(shape(s1, &b1, named), shape(s2, &b2, unknown), "{what}: {named} refused like unknown {unknown}");
}

fn ids(body: &Value, key: &str) -> Vec<String> {
    let mut v: Vec<String> =
        body["data"].as_array().unwrap().iter().map(|r| r[key].as_str().unwrap_or_default().to_owned()).collect();
    v.sort();
    v.dedup();
    v
}

fn dispatch(destination: &str, product: i64) -> Value {
    json!([{
        "type": "NORMAL", "warehouse_id_destination": destination, "final_freight_method": "SEA",
        "reference": format!("CD-{destination}"),
        "client_dispatch_container_product_list": [{"client_dispatch_container_reference": "C1", "product_id": product.to_string(), "quantity": 1}],
    }])
}

fn consignment_form(service: &str) -> Vec<(&'static str, String)> {
    vec![
        ("delivery_service_id", service.to_owned()),
        ("contact", "Ann".into()),
        ("address_line1", "1 High St".into()),
        ("city", "Leeds".into()),
        ("post_code", "LS1 1AA".into()),
        ("country_iso", "GB".into()),
    ]
}

#[each_backend]
async fn another_operators_sites_and_services_are_unknown_to_a_client(b: Backend) {
    let app = App::start(b).await;
    rival(&app).await;
    let orders_before = app.store.list_orders(&app.client, &Default::default()).await.unwrap().1;

    // company_id of the rival's site: not found, like an unknown one.
    refused_like_unknown("company_id", "18", "99", |c| App::send(at(&app, Method::GET, "/client/Product", &c))).await;
    let (_, body) = App::send(at(&app, Method::GET, "/client/Product", "18")).await;
    assert_eq!(body["message"], "Company 18 does not exist or does not belong to you.", "{b:?}");

    // delivery_service_id of the rival's service, with and without a company_id.
    for company in ["", "1"] {
        refused_like_unknown("delivery_service_id (method A)", "1801", "9999", |svc| {
            App::send(at(&app, Method::POST, "/client/Consignment", company).form(&consignment_form(&svc)))
        })
        .await;
        refused_like_unknown("delivery_service_id (method C)", "1801", "9999", |svc| {
            let mut row = pending_row(&format!("ID-{svc}"), "IP-XX3355", 1);
            row["delivery_service_id"] = json!(svc);
            App::send(at(&app, Method::POST, PENDING, company).json(&json!([row])))
        })
        .await;
    }
    let (_, body) = App::send(at(&app, Method::POST, "/client/Consignment", "").form(&consignment_form("1801"))).await;
    assert_eq!(body["message"], "Cannot find delivery service 1801, please check.", "{b:?}");

    // An inbound to the rival's warehouse, by Bird id or by code.
    for (named, unknown) in [("18", "99"), ("FR", "XX")] {
        refused_like_unknown("warehouse_id_destination", named, unknown, |w| {
            App::send(at(&app, Method::POST, DISPATCH_UPLOAD, "1").json(&dispatch(&w, app.mug.0)))
        })
        .await;
    }
    assert_eq!(app.store.list_orders(&app.client, &Default::default()).await.unwrap().1, orders_before);
    assert_eq!(app.store.list_inbounds(&app.client, &[], 0, 0).await.unwrap().1, 0, "{b:?}: nothing created");

    // The lists show the client's sites only.
    let (s, body) = App::send(at(&app, Method::GET, "/client/public/company-list", "")).await;
    assert_eq!((s, ids(&body, "id")), (200, vec!["1".to_owned(), "12".to_owned()]), "{b:?}: {body}");
    let (_, body) = App::send(at(&app, Method::GET, "/client/Delivery-Service", "")).await;
    assert_eq!(ids(&body, "company_id"), vec!["1".to_owned(), "12".to_owned()], "{b:?}: {body}");
    assert!(!ids(&body, "id").contains(&"1801".to_owned()), "{b:?}: {body}");
    let (_, body) = App::send(at(&app, Method::GET, "/client/Warehouse", "")).await;
    assert_eq!(ids(&body, "company_id"), vec!["1".to_owned(), "12".to_owned()], "{b:?}: {body}");
    // Without a key, an installation of several operators lists no one's sites.
    let (s, body) = App::send(app.http.get(format!("{}/client/public/company-list", app.base))).await;
    assert_eq!((s, body["data"].clone()), (200, json!([])), "{b:?}");
    app.assert_books_balance().await;
}

#[each_backend]
async fn a_detached_site_of_the_clients_own_operator_is_unknown_to_it(b: Backend) {
    let app = App::start(b).await;
    let de = app.store.warehouse_by_code("DE").await.unwrap();
    // Seen once, so the detachment must get past the cache.
    let (s, _) = App::send(at(&app, Method::GET, "/client/Delivery-Service", "12")).await;
    assert_eq!(s, 200);
    app.store.detach_client_site(&app.client, &de.id).await.unwrap();

    refused_like_unknown("company_id", "12", "99", |c| {
        App::send(at(&app, Method::GET, "/client/Delivery-Service", &c))
    })
    .await;
    refused_like_unknown("delivery_service_id", "1201", "9999", |svc| {
        App::send(at(&app, Method::POST, "/client/Consignment", "").form(&consignment_form(&svc)))
    })
    .await;
    let (_, body) = App::send(at(&app, Method::GET, "/client/public/company-list", "")).await;
    assert_eq!(ids(&body, "id"), vec!["1".to_owned()], "{b:?}: {body}");
    let (_, body) = App::send(at(&app, Method::GET, "/client/Delivery-Service", "")).await;
    assert_eq!(ids(&body, "company_id"), vec!["1".to_owned()], "{b:?}: {body}");

    // The other client, still attached, uses DE as before; attached again, so does this one.
    let other = app
        .http
        .get(format!("{}/client/Delivery-Service", app.base))
        .header("api_key", &app.other_key)
        .header("company_id", "12");
    let (s, body) = App::send(other).await;
    assert_eq!((s, ids(&body, "id")), (200, vec!["1201".to_owned()]), "{b:?}: {body}");
    app.store.attach_client_site(&app.client, &de.id).await.unwrap();
    let (s, body) = App::send(at(&app, Method::GET, "/client/Delivery-Service", "12")).await;
    assert_eq!((s, ids(&body, "id")), (200, vec!["1201".to_owned()]), "{b:?}: {body}");
}
