//! Bird's list language over a real socket on both backends, compared as the original's MySQL
//! compares: filter values read as their column's type, text without regard to case.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{urlencode, App};
use entrepot_testkit::{each_backend, Backend};
use serde_json::{json, Value};

/// `column` of each row a list answers, sorted, after checking `total` agrees.
async fn listed(app: &App, path: &str, filter: Value, column: &str) -> Vec<String> {
    let sep = if path.contains('?') { '&' } else { '?' };
    let (s, body) = app.get(&format!("{path}{sep}filter={}", urlencode(&filter.to_string()))).await;
    assert_eq!(s, 200, "{path} {filter}: {body}");
    let rows = body["data"].as_array().unwrap();
    assert_eq!(body["total"], json!(rows.len()), "{body}");
    let mut out: Vec<String> = rows.iter().map(|r| r[column].as_str().unwrap_or_default().to_owned()).collect();
    out.sort();
    out
}

#[each_backend]
async fn consignment_filters_read_values_as_the_column_type_and_ignore_case(b: Backend) {
    let app = App::start(b).await;
    let form = |reference: &'static str, urgent: &'static str| {
        vec![
            ("delivery_service_id", "139"),
            ("contact", "Ann Smith"),
            ("address_line1", "1 High St"),
            ("city", "Leeds"),
            ("post_code", "LS1 1AA"),
            ("country_iso", "GB"),
            ("sales_reference", reference),
            ("custom_identity_reference", reference),
            ("is_urgent", urgent),
        ]
    };
    let (s, body) = app.post_form("/client/Consignment", &form("S-URGENT", "1")).await;
    assert_eq!(s, 200, "{b:?}: {body}");
    let urgent = body["data"]["id"].as_str().unwrap().to_owned();
    let mut calm = form("S-CALM", "0");
    calm[1] = ("contact", "Bob Jones");
    let (s, _) = app.post_form("/client/Consignment", &calm).await;
    assert_eq!(s, 200);
    let mug = app.mug.0.to_string();
    let (s, body) = app
        .post_form(
            "/client/Consignment-Product",
            &[("consignment_id", &urgent), ("product_id", &mug), ("quantity", "12")],
        )
        .await;
    assert_eq!(s, 200, "{body}");
    let both = vec!["S-CALM".to_owned(), "S-URGENT".to_owned()];
    let path = "/client/Consignment";
    let by = |filter: Value| listed(&app, path, filter, "sales_reference");
    // Text without regard to case: `Local` finds LOCAL, `preparing` finds PREPARING.
    assert_eq!(by(json!([{"property": "type", "value": "Local"}])).await, both, "{b:?}");
    assert_eq!(by(json!([{"property": "type", "value": "LOCAL"}])).await, both);
    assert_eq!(by(json!([{"property": "status", "type": "list", "value": ["preparing"]}])).await, both);
    assert_eq!(by(json!([{"property": "contact", "value": "ann smith"}])).await, ["S-URGENT"]);
    // `like` in another case, as a `string` filter and as `field` + `query`.
    assert_eq!(by(json!([{"type": "string", "property": "contact", "value": "BOB"}])).await, ["S-CALM"]);
    let (_, body) = app.get("/client/Consignment?field=contact&query=aNN").await;
    assert_eq!((body["total"].clone(), body["data"][0]["sales_reference"].clone()), (json!(1), json!("S-URGENT")));
    // Plain search columns in another case, the references searched in the store too.
    let (_, body) = app.get("/client/Consignment?post_code=ls1%201aa").await;
    assert_eq!(body["total"], 2, "{body}");
    for param in ["sales_reference", "custom_identity_reference"] {
        let (_, body) = app.get(&format!("/client/Consignment?{param}=s-urgent")).await;
        assert_eq!((body["total"].clone(), body["data"][0]["id"].clone()), (json!(1), json!(urgent)), "{param}");
        let (_, body) = app.get(&format!("/client/Consignment?{param}=s-urgent&limit=1&start=0")).await;
        assert_eq!(body["total"], 1, "{param}, paged in SQL");
    }
    // A number as a string or as a number.
    let quantity = |v: Value| json!([{"property": "consignment_product_quantity", "value": v}]);
    assert_eq!(by(quantity(json!("12"))).await, ["S-URGENT"]);
    assert_eq!(by(quantity(json!(12))).await, ["S-URGENT"]);
    assert_eq!(by(quantity(json!("12.0"))).await, ["S-URGENT"]);
    let at_least =
        json!([{"property": "consignment_product_quantity", "type": "numeric", "comparison": "gt", "value": 2}]);
    assert_eq!(by(at_least).await, ["S-URGENT"]);
    let id = urgent.parse::<i64>().unwrap();
    assert_eq!(by(json!([{"property": "id", "value": id}])).await, ["S-URGENT"]);
    // A flag in the spellings PHP clients send.
    for yes in [json!("true"), json!("1"), json!(1), json!(true)] {
        assert_eq!(by(json!([{"property": "is_urgent", "value": yes}])).await, ["S-URGENT"], "{yes}");
    }
    assert_eq!(by(json!([{"property": "is_urgent", "value": "false"}])).await, ["S-CALM"]);
    assert_eq!(by(json!([{"property": "is_urgent", "value": 0}])).await, ["S-CALM"]);
    // A value of the wrong type matches nothing.
    assert!(by(quantity(json!("twelve"))).await.is_empty());
    assert!(by(json!([{"property": "is_urgent", "value": "maybe"}])).await.is_empty());
    let ne = json!([{"property": "consignment_product_quantity", "type": "numeric", "comparison": "ne", "value": "x"}]);
    assert!(by(ne).await.is_empty());
}

#[each_backend]
async fn product_and_service_filters_read_values_as_the_column_type_and_ignore_case(b: Backend) {
    let app = App::start(b).await;
    let path = "/client/Product";
    let by = |filter: Value| listed(&app, path, filter, "client_ref");
    let both = vec!["IP-XX3355".to_owned(), "PWR-1".to_owned()];
    // Text without regard to case.
    assert_eq!(by(json!([{"property": "status", "value": "Active"}])).await, both, "{b:?}");
    assert_eq!(by(json!([{"property": "client_ref", "value": "pwr-1"}])).await, ["PWR-1"]);
    let (_, body) = app.get("/client/Product?status=active").await;
    assert_eq!(body["total"], 2, "{body}");
    // `like` in another case.
    assert_eq!(by(json!([{"type": "string", "property": "name", "value": "ITEM ip"}])).await, ["IP-XX3355"]);
    let (_, body) = app.get("/client/Product?field=client_ref&query=Pwr").await;
    assert_eq!((body["total"].clone(), body["data"][0]["client_ref"].clone()), (json!(1), json!("PWR-1")));
    // A decimal column (`300.00`) found by `"300"` and `300`; ranges as numbers.
    assert_eq!(by(json!([{"property": "weight", "value": "300"}])).await, ["IP-XX3355"]);
    assert_eq!(by(json!([{"property": "weight", "value": 300}])).await, ["IP-XX3355"]);
    let light = json!([{"property": "weight", "type": "numeric", "comparison": "lt", "value": "250"}]);
    assert_eq!(by(light).await, ["PWR-1"]);
    let id = app.battery.0;
    assert_eq!(by(json!([{"property": "id", "value": id.to_string()}])).await, ["PWR-1"]);
    assert_eq!(by(json!([{"property": "live_stock", "value": "100"}])).await, both);
    // A value of the wrong type matches nothing.
    assert!(by(json!([{"property": "weight", "value": "heavy"}])).await.is_empty());
    assert!(by(json!([{"property": "id", "type": "list", "value": ["one", "two"]}])).await.is_empty());
    // Delivery services: flags in every spelling, and LB's filter with `false` and lower case.
    let services = |filter: Value| listed(&app, "/client/Delivery-Service", filter, "id");
    for yes in [json!("true"), json!("1"), json!(true)] {
        assert_eq!(services(json!([{"property": "is_international", "value": yes}])).await, ["2001"], "{yes}");
    }
    assert_eq!(services(json!([{"property": "is_international", "value": "false"}])).await, ["105", "139"]);
    let lb = json!([
        {"property": "consignment_type", "value": "local"},
        {"property": "status", "value": "Active"},
        {"property": "is_internal", "value": false}
    ]);
    assert_eq!(services(lb).await, ["105", "139", "2001"]);
    assert!(services(json!([{"property": "is_internal", "value": "nope"}])).await.is_empty());
}
