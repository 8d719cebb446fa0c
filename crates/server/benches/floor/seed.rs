//! The floor the scans run on, seeded in-process through the use cases: a UK1 supervisor, a
//! pick zone of `BENCH_BINS` bins holding the ordered SKUs' stock, and one arrived inbound per device of `BENCH_LINES` SKUs each;
//! then, over HTTP as a handheld gets them, a bearer token per device.

use std::sync::Arc;

use entrepot_app::{App, BinMove, NewInbound, NewLocationRange, NewUser};
use entrepot_core::{
    actor::{Actor, Role},
    ids::SkuId,
    inbound::ShippingMode,
    location::LocationKind,
};
use serde_json::{json, Value};

use super::{seller::Seller, server::env_num};

pub const USER: &str = "bench-staff";
pub const PASSWORD: &str = "bench-staff-password";

/// An inbound the scans count into.
pub struct Inbound {
    pub id: String,
    pub number: String,
    /// Its lines: SKU and label code.
    pub lines: Vec<(SkuId, String)>,
}

pub struct Floor {
    pub bins: Vec<String>,
    pub inbounds: Vec<Inbound>,
    pub devices: usize,
}

/// Bins as `A-aa-bb-l` codes: 10 bays a aisle, 5 levels; at least `n`.
fn bin_range(n: usize) -> String {
    let aisles = n.div_ceil(50).clamp(1, 99);
    format!("A-01..{aisles:02}-01..10-1..5")
}

pub async fn floor(store: &entrepot_store::Store, seller: &Seller) -> Floor {
    let app = App::new(Arc::new(store.clone()));
    let system = Actor::system("bench");
    let devices = env_num::<usize>("BENCH_DEVICES", 50).max(1);
    let inbounds = env_num::<usize>("BENCH_INBOUNDS", devices).max(1);
    let lines = env_num::<usize>("BENCH_LINES", 20).clamp(1, seller.skus.len() / inbounds.max(1));
    let uk = app.warehouse_by_code("UK1").await.unwrap();
    let role = Role::Staff { warehouses: vec![uk.id.clone()], supervisor: true };
    app.create_person(&system, NewUser { username: USER.into(), password: PASSWORD.into(), role }).await.unwrap();

    let range = NewLocationRange {
        range: bin_range(env_num::<usize>("BENCH_BINS", 2_000)),
        zone: None,
        kind: LocationKind::PickFace,
        pick_seq: None,
        capacity: None,
    };
    let bins: Vec<String> =
        app.create_location_range(&system, &uk.id, range).await.unwrap().into_iter().map(|l| l.code).collect();
    // The orders' SKUs (the first 1,000) from the dock into bins, one each, so that waves find them.
    for (k, (sku, _)) in seller.skus.iter().take(1_000).enumerate() {
        let m = BinMove {
            client: seller.client.clone(),
            sku: *sku,
            warehouse: uk.id.clone(),
            from: "DOCK".into(),
            to: bins[k % bins.len()].clone(),
            qty: 1_000_000,
        };
        app.move_between_bins(&system, m).await.unwrap();
    }

    // SKUs from the far end of the catalogue: the first 1,000 carry the orders' stock.
    let mut out = vec![];
    for k in 0..inbounds {
        let picked: Vec<(SkuId, String)> =
            (0..lines).map(|j| seller.skus[seller.skus.len() - 1 - (k * lines + j)].clone()).collect();
        let new = NewInbound {
            warehouse_id: uk.id.clone(),
            reference: format!("BENCH-IN-{k}"),
            mode: ShippingMode::Express,
            lines: picked.iter().map(|(s, _)| (*s, 1_000_000)).collect(),
            need_clearance_doc: false,
            details: json!({}),
        };
        let v = app.create_inbound(&seller.client, new).await.unwrap();
        app.check_in(&system, &v.inbound.number).await.unwrap();
        out.push(Inbound { id: v.id.0, number: v.inbound.number, lines: picked });
    }
    Floor { bins, inbounds: out, devices }
}

/// Logs the staff user in and makes one bearer token per device.
pub async fn tokens(http: &reqwest::Client, base: &str, floor: &Floor) -> Vec<String> {
    let r = http
        .post(format!("{base}/api/v1/sessions"))
        .json(&json!({"username": USER, "password": PASSWORD}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    let cookie = r.headers()["set-cookie"].to_str().unwrap().split(';').next().unwrap().to_owned();
    let csrf = r.json::<Value>().await.unwrap()["csrf_token"].as_str().unwrap().to_owned();
    let mut out = vec![];
    for d in 0..floor.devices {
        let t: Value = http
            .post(format!("{base}/api/v1/tokens"))
            .header("cookie", &cookie)
            .header("x-csrf-token", &csrf)
            .json(&json!({"label": format!("handheld-{d:02}")}))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        out.push(t["token"].as_str().expect("a token").to_owned());
    }
    out
}

/// Makes the database look like months of work: all but the newest `due` orders become history
/// (delivered a month ago, due on a past day), and the newest are due today, so that the board
/// and the waves face a day's orders among 10⁶, not 10⁶ due at once. Run with the server
/// stopped: on SQLite it is one long write.
pub async fn history(db: &str, orders: usize, due: usize) {
    let store = entrepot_store::Store::open(db).await.unwrap();
    let today = jiff::Timestamp::now().to_zoned(jiff::tz::TimeZone::get("Europe/London").unwrap()).date();
    let past = orders.saturating_sub(due);
    store
        .execute_raw(&format!(
            "UPDATE outbound_orders SET status = 'DELIVERED', due_date = '{}', shipped_at = created_at - 2592000000 \
             WHERE id IN (SELECT id FROM outbound_orders ORDER BY created_at, id LIMIT {past})",
            today.checked_sub(jiff::Span::new().days(30)).unwrap()
        ))
        .await
        .unwrap();
    store
        .execute_raw(&format!("UPDATE outbound_orders SET due_date = '{today}' WHERE status = 'SUBMITTED'"))
        .await
        .unwrap();
    // The board's tallies take in the rewrite's changes, as the server's fold would.
    store.fold_board().await.unwrap();
    // Settle what that rewrite left behind before anything is measured: on SQLite gigabytes of
    // log to copy back into the database file, on PostgreSQL a million dead rows for autovacuum
    // (both were measured as the scans' tail in the first full run) and tables just filled that
    // autovacuum would otherwise analyse in the middle of the measuring.
    // On PostgreSQL the seed's last checkpoint is flushed too: spread over minutes, it wrote out
    // the seed's pages in the middle of the scans (the full run's one slow window).
    let settle: &[&str] =
        if db.starts_with("sqlite") { &["PRAGMA wal_checkpoint(TRUNCATE)"] } else { &["VACUUM ANALYZE", "CHECKPOINT"] };
    for sql in settle {
        store.execute_raw(sql).await.unwrap();
    }
    store.close().await;
}
