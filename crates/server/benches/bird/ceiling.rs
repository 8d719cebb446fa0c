//! The storage ceiling of batch intake on SQLite: what a plain rusqlite loop, with nothing of the
//! server around it (no HTTP, no JSON, no planning, no group commit), achieves writing the rows a
//! submitted Bird order writes today (`store/src/outbound/write.rs`), 1,000 orders a transaction,
//! into a fresh file with the store's schema and pragmas. Per order: its `outbound_orders` row,
//! one `outbound_lines` row, the stock reservation (`stock` update and a `stock_transfers` row),
//! the fee hold (`balances` update and a `money_transfers` row), its `booking_queue` row and its
//! `order.created` outbox event; per transaction, the three sequences (`counters`).
//!
//! Intake divided by this is the share of the storage engine's speed the server delivers.

use std::time::Instant;

use entrepot_core::{
    balance::{MoneyBucket, MoneyReason},
    company::Address,
    ids::{EventId, OrderId, TransferId},
    inventory::{Bucket, Reason},
    outbound::Customs,
};
use entrepot_store::Store;
use entrepot_testkit::{Backend, TestDb};
use rusqlite::{params, Connection};
use serde_json::{json, Value};

/// The store's SQLite pragmas (`SQLITE_PRAGMAS` in `entrepot-store`): WAL, `synchronous = FULL`.
const PRAGMAS: &str = "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA busy_timeout = 10000; \
                       PRAGMA foreign_keys = ON; PRAGMA wal_autocheckpoint = 20000;";

/// Orders per transaction.
const PER_TX: usize = 1_000;

/// The fee an order of the bench's service holds (handling 1.20 + delivery 3.25).
const FEE: i64 = 445;

fn now_ms() -> i64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_millis() as i64).unwrap_or(0)
}

/// Writes `orders` orders; orders/s.
pub async fn run(orders: usize) -> Value {
    let db = TestDb::new(Backend::Sqlite).await;
    // The store's migrations and the bench's own seed (client, balance, 1,000 SKUs with stock).
    let store = Store::open(&db.url).await.unwrap();
    super::seed(&store, 1_000).await;
    store.close().await;
    let file = db.sqlite_file().unwrap();
    let rate = tokio::task::spawn_blocking(move || write(&file, orders)).await.unwrap();
    json!({"orders": orders, "orders_per_transaction": PER_TX, "orders_per_second": rate.round()})
}

fn write(file: &std::path::Path, orders: usize) -> f64 {
    let c = Connection::open(file).unwrap();
    c.execute_batch(PRAGMAS).unwrap();
    let (warehouse, service): (String, String) =
        c.query_row("SELECT warehouse_id, id FROM services LIMIT 1", [], |r| Ok((r.get(0)?, r.get(1)?))).unwrap();
    let skus: Vec<i64> = {
        let mut st = c.prepare("SELECT sku_id FROM stock WHERE available > 0 ORDER BY sku_id LIMIT 1000").unwrap();
        st.query_map([], |r| r.get(0)).unwrap().map(Result::unwrap).collect()
    };
    let client: String = c.query_row("SELECT client_id FROM stock LIMIT 1", [], |r| r.get(0)).unwrap();
    let attributes = "{}".to_owned();
    let customs = serde_json::to_string(&Customs::default()).unwrap();
    let t = Instant::now();
    let mut done = 0;
    while done < orders {
        let n = PER_TX.min(orders - done);
        let tx = c.unchecked_transaction().unwrap();
        let now = now_ms();
        let next = |name: &str, k: usize| -> i64 {
            let v: i64 = tx
                .prepare_cached(
                    "INSERT INTO counters (name, value) VALUES (?1, ?2) \
                     ON CONFLICT (name) DO UPDATE SET value = counters.value + excluded.value RETURNING value",
                )
                .unwrap()
                .query_row(params![name, k as i64], |r| r.get(0))
                .unwrap();
            v - k as i64 + 1
        };
        let bird = next("consignment:1:ceiling", n);
        let oc = next("oc_outbound", n);
        let line_id = next("order_line", n);
        for k in 0..n {
            let i = done + k;
            let id = OrderId::generate(now as u64, rand::random()).0;
            let sku = skus[i % skus.len()];
            let recipient = Address {
                name: format!("Buyer {i}"),
                lines: vec!["1 High Street".into()],
                city: "Leeds".into(),
                postcode: "LS1 1AA".into(),
                country: "GB".into(),
                ..Address::default()
            };
            let oc_number = format!("OCO{:010}GB", oc + k as i64);
            let mut orders_row = tx
                .prepare_cached(
                    "INSERT INTO outbound_orders (id, client_id, warehouse_id, service_id, reference, kind, \
                     identity_ref, sales_reference, attributes, bird_id, oc_number, status, platform, \
                     platform_order_id, recipient, sender, customs, weight_g, volume_mm3, chargeable_weight_g, \
                     currency, handling_fee, delivery_fee, tracking_number, carrier, created_at, updated_at) \
                     VALUES (?1, ?2, ?3, ?4, ?1, 'LOCAL', NULL, ?5, ?6, ?7, ?8, 'SUBMITTED', NULL, NULL, ?9, NULL, \
                     ?10, 200, 0, 200, 'GBP', 120, 325, NULL, NULL, ?11, ?11) \
                     ON CONFLICT (client_id, reference) DO NOTHING",
                )
                .unwrap();
            let sales = format!("C-{i}");
            let recipient = serde_json::to_string(&recipient).unwrap();
            orders_row
                .execute(params![
                    id,
                    client,
                    warehouse,
                    service,
                    sales,
                    attributes,
                    bird + k as i64,
                    oc_number,
                    recipient,
                    customs,
                    now
                ])
                .unwrap();
            let (from_after, to_after): (i64, i64) = tx
                .prepare_cached(
                    "UPDATE stock SET available = available - 1, reserved_allocated = reserved_allocated + 1, \
                     updated_at = ?1 WHERE sku_id = ?2 AND warehouse_id = ?3 AND client_id = ?4 AND available >= 1 \
                     RETURNING available, reserved_allocated",
                )
                .unwrap()
                .query_row(params![now, sku, warehouse, client], |r| Ok((r.get(0)?, r.get(1)?)))
                .unwrap();
            tx.prepare_cached(
                "INSERT INTO stock_transfers (id, client_id, sku_id, warehouse_id, from_bucket, to_bucket, qty, \
                 from_after, to_after, reason, doc_kind, doc_id, note, created_at) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, 1, ?7, ?8, ?9, 'outbound', ?10, NULL, ?11)",
            )
            .unwrap()
            .execute(params![
                TransferId::generate(now as u64, rand::random()).0,
                client,
                sku,
                warehouse,
                Bucket::Available.as_str(),
                Bucket::ReservedAllocated.as_str(),
                from_after,
                to_after,
                Reason::OutboundSubmitted.code(),
                oc_number,
                now
            ])
            .unwrap();
            let held = tx
                .prepare_cached(
                    "UPDATE balances SET available = available - ?1, held = held + ?1, updated_at = ?2 \
                     WHERE client_id = ?3 AND currency = 'GBP' AND available >= ?1",
                )
                .unwrap()
                .execute(params![FEE, now, client])
                .unwrap();
            assert_eq!(held, 1, "the bench client's balance covers every fee");
            tx.prepare_cached(
                "INSERT INTO money_transfers (id, client_id, currency, from_bucket, to_bucket, amount, reason, \
                 doc_kind, doc_id, created_at) VALUES (?1, ?2, 'GBP', ?3, ?4, ?5, ?6, 'outbound', ?7, ?8)",
            )
            .unwrap()
            .execute(params![
                TransferId::generate(now as u64, rand::random()).0,
                client,
                MoneyBucket::Available.as_str(),
                MoneyBucket::Held.as_str(),
                FEE,
                MoneyReason::Hold.as_str(),
                oc_number,
                now
            ])
            .unwrap();
            tx.prepare_cached("INSERT INTO outbound_lines (order_id, sku_id, qty, line_id) VALUES (?1, ?2, 1, ?3)")
                .unwrap()
                .execute(params![id, sku, line_id + k as i64])
                .unwrap();
            tx.prepare_cached("INSERT INTO booking_queue (order_id, client_id, queued_at) VALUES (?1, ?2, ?3)")
                .unwrap()
                .execute(params![id, client, now])
                .unwrap();
            let payload = json!({"id": id, "status": "SUBMITTED"}).to_string();
            tx.prepare_cached(
                "INSERT INTO events (id, client_id, kind, entity_id, payload, created_at, fanned_out_at) \
                 VALUES (?1, ?2, 'order.created', ?3, ?4, ?5, ?5)",
            )
            .unwrap()
            .execute(params![EventId::generate(now as u64, rand::random()).0, client, id, payload, now])
            .unwrap();
        }
        tx.commit().unwrap();
        done += n;
    }
    orders as f64 / t.elapsed().as_secs_f64()
}
