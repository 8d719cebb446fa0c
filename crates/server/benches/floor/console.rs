//! Every console page a seller and a warehouse's staff read, as a browser asks for them, on the
//! database the other parts leave (10⁶ orders by default): each page `BENCH_PAGE_ROUNDS` times
//! (default 200), one request at a time, p50/p99 per page. The pages that take a key (an order,
//! an inbound, a SKU) are read with a different one each round where the bench has several.

use std::time::Instant;

use entrepot_app::{App, NewUser};
use entrepot_core::actor::{Actor, Role};
use serde_json::{json, Map, Value};

use super::{
    seed::{self, Floor},
    seller::Seller,
    server::env_num,
    stats::summary,
};

const SELLER_USER: &str = "bench-seller";
const SELLER_PASSWORD: &str = "bench-seller-password";

/// The seller's console user, made in-process before the server starts.
pub async fn seed_user(store: &entrepot_store::Store, seller: &Seller) {
    let app = App::new(std::sync::Arc::new(store.clone()));
    let role = Role::Seller { client: seller.client.clone(), owner: true };
    let user = NewUser { username: SELLER_USER.into(), password: SELLER_PASSWORD.into(), role };
    app.create_person(&Actor::system("bench"), user).await.unwrap();
}

/// A session cookie for `user`, as the console's login sets it.
async fn log_in(http: &reqwest::Client, base: &str, user: &str, password: &str) -> String {
    let r = http
        .post(format!("{base}/api/v1/sessions"))
        .json(&json!({"username": user, "password": password}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201, "log in {user}");
    r.headers()["set-cookie"].to_str().unwrap().split(';').next().unwrap().to_owned()
}

/// The order keys the first page of the seller's order list links to.
async fn order_keys(http: &reqwest::Client, base: &str, cookie: &str) -> Vec<String> {
    let page = http.get(format!("{base}/console/orders")).header("cookie", cookie).send().await.unwrap();
    let text = page.text().await.unwrap();
    // The list also links the "order by hand" form (`new`), which is no order.
    let keys: Vec<String> = text
        .split("href=\"/console/orders/")
        .skip(1)
        .filter_map(|s| s.split('"').next())
        .filter(|k| *k != "new")
        .map(str::to_owned)
        .collect();
    assert!(!keys.is_empty(), "no order on the list");
    keys
}

pub async fn run(http: &reqwest::Client, base: &str, seller: &Seller, floor: &Floor) -> Value {
    let rounds = env_num::<usize>("BENCH_PAGE_ROUNDS", 200);
    let sell = log_in(http, base, SELLER_USER, SELLER_PASSWORD).await;
    let staff = log_in(http, base, seed::USER, seed::PASSWORD).await;
    let orders = order_keys(http, base, &sell).await;
    let sku = |k: usize| seller.skus[(k * 7919) % 1_000.min(seller.skus.len())].0 .0;
    let inbound = |k: usize| &floor.inbounds[k % floor.inbounds.len()].number;
    type PagePath<'a> = Box<dyn Fn(usize) -> String + 'a>;
    let pages: Vec<(&str, &String, PagePath)> = vec![
        ("seller_dashboard", &sell, Box::new(|_| "/console/dashboard".into())),
        ("orders", &sell, Box::new(|_| "/console/orders".into())),
        ("orders_page_20", &sell, Box::new(|_| "/console/orders?page=20".into())),
        ("orders_delivered", &sell, Box::new(|_| "/console/orders?status=DELIVERED".into())),
        ("orders_submitted", &sell, Box::new(|_| "/console/orders?status=SUBMITTED".into())),
        ("orders_search", &sell, Box::new(|k| format!("/console/orders?q={}", orders[k % orders.len()]))),
        // A search nobody's order matches: it falls through to tracking numbers.
        ("orders_search_miss", &sell, Box::new(|k| format!("/console/orders?q=NOBODY-{k}"))),
        ("order", &sell, Box::new(|k| format!("/console/orders/{}", orders[k % orders.len()]))),
        ("skus", &sell, Box::new(|_| "/console/skus".into())),
        ("stock", &sell, Box::new(|_| "/console/stock".into())),
        ("stock_movements", &sell, Box::new(move |k| format!("/console/stock/{}", sku(k)))),
        ("inbounds", &sell, Box::new(|_| "/console/inbounds".into())),
        ("inbound", &sell, Box::new(|k| format!("/console/inbounds/{}", inbound(k)))),
        ("inbound_new", &sell, Box::new(|_| "/console/inbounds/new".into())),
        ("balance", &sell, Box::new(|_| "/console/balance".into())),
        ("import", &sell, Box::new(|_| "/console/import".into())),
        ("integrations", &sell, Box::new(|_| "/console/integrations".into())),
        ("board", &staff, Box::new(|_| "/console/board".into())),
        ("queue", &staff, Box::new(|_| "/console/queue".into())),
        ("sku_audit", &staff, Box::new(|_| "/console/sku-audit".into())),
        ("waves", &staff, Box::new(|_| "/console/waves".into())),
        ("receiving", &staff, Box::new(|_| "/console/receiving".into())),
        ("receiving_an_inbound", &staff, Box::new(|k| format!("/console/receiving/{}", inbound(k)))),
        ("putaway", &staff, Box::new(|_| "/console/putaway".into())),
        ("picking", &staff, Box::new(|_| "/console/picking".into())),
        ("packing", &staff, Box::new(|_| "/console/packing".into())),
        ("manifests", &staff, Box::new(|_| "/console/manifests".into())),
        ("returns", &staff, Box::new(|_| "/console/returns".into())),
        ("counts", &staff, Box::new(|_| "/console/counts".into())),
        ("appointments", &staff, Box::new(|_| "/console/appointments".into())),
        ("unidentified", &staff, Box::new(|_| "/console/unidentified".into())),
        ("unidentified_count", &staff, Box::new(|_| "/console/unidentified/count".into())),
    ];
    let mut out = Map::new();
    for (name, cookie, path) in pages {
        let mut times = Vec::with_capacity(rounds);
        let mut bytes = 0usize;
        for k in 0..rounds {
            let p = path(k);
            let t = Instant::now();
            let r = http.get(format!("{base}{p}")).header("cookie", cookie.as_str()).send().await.unwrap();
            let status = r.status();
            let body = r.bytes().await.unwrap();
            times.push(t.elapsed());
            assert!(status.is_success(), "{name} {p}: {status} {}", String::from_utf8_lossy(&body));
            bytes = body.len();
        }
        let mut s = summary(times);
        s["bytes"] = json!(bytes);
        out.insert(name.to_owned(), s);
    }
    Value::Object(out)
}
