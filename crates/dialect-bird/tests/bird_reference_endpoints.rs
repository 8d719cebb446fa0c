//! Bird's reference endpoints the spec documents, over a real socket on both backends: customs
//! categories (§6.5, list and one by id in the path, the list envelope either way), the caller's
//! own client and users (`Client`, `Client-User`: never another client's rows, never a password
//! hash or key) and delivery package sizes (§6.4).

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{urlencode, App};
use entrepot_testkit::{each_backend, Backend};
use reqwest::Method;
use serde_json::{json, Value};

/// A GET as the client holding `key`, at site 1.
async fn get_as(app: &App, key: &str, path: &str) -> (u16, Value) {
    App::send(
        app.http.request(Method::GET, format!("{}{path}", app.base)).header("api_key", key).header("company_id", "1"),
    )
    .await
}

/// `column` of each row, after checking the envelope and that `total` agrees.
fn column(body: &Value, column: &str) -> Vec<String> {
    assert_eq!(body["success"], true, "{body}");
    assert_eq!(body["moduleName"], "client", "{body}");
    let rows = body["data"].as_array().unwrap();
    assert_eq!(body["total"], json!(rows.len()), "{body}");
    let mut out: Vec<String> = rows.iter().map(|r| r[column].as_str().unwrap().to_owned()).collect();
    out.sort();
    out
}

#[each_backend]
async fn customs_categories_are_listed_and_read_by_id_in_the_list_envelope(b: Backend) {
    let app = App::start(b).await;
    // The spec's sample row, value for value (strings, the id zero-padded, `type` null).
    let sample = json!({"id":"0000000007","parent_id":"0","name":"Consumer Electronics","name_chinese":"消费性电子产品","code":"G","customs_category_full_name":"Consumer Electronics","customs_category_full_name_chinese":"消费性电子产品","customs_category_full_code":"G","level":"1","max_customs_value":"0.00","min_customs_value":"0.00","lft":"1001","rgt":"1248","tax":"0.00","type":null,"primary_keys":["id"]});
    let (s, body) = app.get("/client/customs-category").await;
    assert_eq!(s, 200, "{b:?} {body}");
    assert_eq!(column(&body, "id"), ["0000000007"]);
    assert_eq!(body["data"][0], sample);
    // One by id in the path, padded or not, in any case of the path: still the list envelope.
    for path in ["/client/customs-category/7", "/client/Customs-Category/0000000007", "/client/customs-category/7/"] {
        let (s, body) = app.get(path).await;
        assert_eq!(s, 200, "{path}: {body}");
        assert_eq!(
            body,
            json!({"total":1,"data":[sample.clone()],"success":true,"refresh":false,"moduleName":"client"})
        );
    }
    // An unknown or malformed id: an empty list.
    for path in ["/client/customs-category/8", "/client/customs-category/seven"] {
        let (s, body) = app.get(path).await;
        assert_eq!((s, body["total"].clone(), body["data"].clone()), (200, json!(0), json!([])), "{path}: {body}");
    }
    // The list language, the columns read as their types: `id` as an integer, `tax` as a decimal.
    let by = |filter: Value| {
        let app = &app;
        async move {
            let (s, body) =
                app.get(&format!("/client/customs-category?filter={}", urlencode(&filter.to_string()))).await;
            assert_eq!(s, 200, "{filter}: {body}");
            column(&body, "id")
        }
    };
    assert_eq!(by(json!([{"property": "id", "value": "7"}])).await, ["0000000007"]);
    assert_eq!(by(json!([{"property": "id", "value": 7}])).await, ["0000000007"]);
    assert_eq!(by(json!([{"property": "tax", "value": "0"}])).await, ["0000000007"]);
    assert_eq!(by(json!([{"property": "code", "value": "g"}])).await, ["0000000007"]);
    // Bird's `gt` is inclusive.
    assert!(by(json!([{"property": "level", "type": "numeric", "comparison": "gt", "value": "2"}])).await.is_empty());
    let high = json!([{"property": "lft", "type": "numeric", "comparison": "gt", "value": "1001"}]);
    assert_eq!(by(high).await, ["0000000007"]);
    assert!(by(json!([{"property": "id", "value": "seven"}])).await.is_empty());
    let (_, body) = app.get("/client/customs-category?field=name&query=electronics").await;
    assert_eq!(column(&body, "id"), ["0000000007"]);
    let (_, body) = app.get("/client/customs-category?selectFields=id,code").await;
    assert_eq!(body["data"][0]["code"], "G", "{body}");
    // Login required, as everywhere.
    let (s, body) = App::send(app.http.get(format!("{}/client/customs-category", app.base))).await;
    assert_eq!((s, body["message"].clone()), (403, json!("Login Required!")), "{body}");
}

#[each_backend]
async fn a_client_reads_only_its_own_client_and_users(b: Backend) {
    let app = App::start(b).await;
    let seller = app.client.clone();
    let other = app.store.find_client("Other").await.unwrap().id;
    let alice = app.store.create_user(Some(&seller), "alice", "password-1", "client").await.unwrap();
    let bob = app.store.create_user(Some(&seller), "bob", "password-2", "client").await.unwrap();
    let olga = app.store.create_user(Some(&other), "olga", "password-3", "client").await.unwrap();
    app.store.create_user(None, "staff", "password-4", "operator").await.unwrap();

    // Client: the caller's own, one row, at the addressed site.
    let (s, body) = app.get("/client/Client").await;
    assert_eq!(s, 200, "{b:?} {body}");
    assert_eq!(column(&body, "id"), std::slice::from_ref(&seller.0));
    assert_eq!(
        body["data"][0],
        json!({"id": seller.0, "company_id": "1", "name": "Seller", "currency_code": "GBP", "status": "ACTIVE", "primary_keys": ["id"]})
    );
    let (_, body) = get_as(&app, &app.other_key, "/client/client").await;
    assert_eq!(column(&body, "id"), std::slice::from_ref(&other.0));
    assert_eq!(body["data"][0]["name"], "Other");
    // Naming the other client's id finds nothing: the rows come from the key alone.
    let (_, body) = app.get(&format!("/client/Client?id={}", other.0)).await;
    assert_eq!(body["total"], 0, "{body}");
    let (_, body) = app.get(&format!("/client/Client/{}", other.0)).await;
    assert_ne!(body["data"][0]["id"], json!(other.0), "{body}");

    // Client-User: the caller's users only, no staff, no secrets.
    let (s, body) = app.get("/client/Client-User").await;
    assert_eq!(s, 200, "{body}");
    assert_eq!(column(&body, "username"), ["alice", "bob"]);
    let row = body["data"].as_array().unwrap().iter().find(|r| r["username"] == "alice").unwrap().clone();
    assert_eq!(
        row,
        json!({"id": alice.id.0, "client_id": seller.0, "company_id": "1", "username": "alice", "role": "client", "status": "ACTIVE", "primary_keys": ["id"]})
    );
    let text = body.to_string();
    for secret in ["password", "hash", "argon", "api_key", &app.key] {
        assert!(!text.contains(secret), "{secret} in {text}");
    }
    let (_, body) = get_as(&app, &app.other_key, "/client/CLIENT-USER").await;
    assert_eq!(column(&body, "id"), std::slice::from_ref(&olga.id.0));
    // The list language on users; another client's user id finds nothing.
    let (_, body) = app
        .get(&format!("/client/Client-User?filter={}", urlencode(r#"[{"property":"username","value":"BOB"}]"#)))
        .await;
    assert_eq!(column(&body, "id"), std::slice::from_ref(&bob.id.0));
    let (_, body) = app.get(&format!("/client/Client-User?id={}", olga.id.0)).await;
    assert_eq!(body["total"], 0, "{body}");
    // Without company_id the rows carry no site.
    let (_, body) =
        App::send(app.http.get(format!("{}/client/Client-User", app.base)).header("api_key", &app.key)).await;
    assert_eq!(body["data"][0]["company_id"], Value::Null, "{body}");
}

#[each_backend]
async fn delivery_package_sizes_are_one_per_site(b: Backend) {
    let app = App::start(b).await;
    let (s, body) = app.get("/client/Delivery-Package-Size").await;
    assert_eq!(s, 200, "{b:?} {body}");
    assert_eq!(
        body["data"],
        json!([{"id": "1", "company_id": "1", "code": "YOUR_PACKAGING", "status": "ACTIVE", "primary_keys": ["id"]}])
    );
    // Without company_id, every site of the client's; the list language on them.
    let all = |q: &str| {
        let url = format!("{}/client/delivery-package-size{q}", app.base);
        App::send(app.http.get(url).header("api_key", &app.key))
    };
    let (_, body) = all("").await;
    assert_eq!(column(&body, "id"), ["1", "12"]);
    let (_, body) = all(&format!("?filter={}", urlencode(r#"[{"property":"company_id","value":"12.0"}]"#))).await;
    assert_eq!(column(&body, "id"), ["12"]);
    let (_, body) = all(&format!("?limit=1&sort={}", urlencode(r#"[{"property":"id","direction":"DESC"}]"#))).await;
    assert_eq!((body["total"].clone(), body["data"][0]["id"].clone()), (json!(2), json!("12")), "{body}");
}
