//! The storage ceiling of batch intake on SQLite: what a plain rusqlite loop, with nothing of the
//! server around it (no HTTP, no JSON, no planning, no group commit), achieves writing the rows a
//! submitted Bird order writes today (`store/src/outbound/write.rs`), 1,000 orders a transaction,
//! into a fresh file with the store's schema and pragmas, in multi-row statements as the store
//! writes them. Per order: its `outbound_orders` row, one `outbound_lines` row, a `stock_transfers`
//! row, a `money_transfers` row, its `booking_queue` row and its `order.created` outbox event; per
//! SKU of the transaction one conditional `stock` update, per transaction one `balances` update
//! and the three sequences (`counters`).
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
use rusqlite::{params, params_from_iter, types::Value as SqlValue, Connection};
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

/// Binds at most this many values a statement (SQLite's default `SQLITE_MAX_VARIABLE_NUMBER`).
const MAX_VARS: usize = 32_766;

/// Inserts `rows` into `table` in as few multi-row statements as the variable limit allows, as the
/// store's bulk writer does.
fn insert(tx: &rusqlite::Transaction<'_>, table: &str, cols: &[&str], rows: &[Vec<SqlValue>]) {
    let per = (MAX_VARS / cols.len()).max(1);
    let row = format!("({})", vec!["?"; cols.len()].join(", "));
    for chunk in rows.chunks(per) {
        let sql =
            format!("INSERT INTO {table} ({}) VALUES {}", cols.join(", "), vec![row.as_str(); chunk.len()].join(", "));
        tx.prepare_cached(&sql).unwrap().execute(params_from_iter(chunk.iter().flatten())).unwrap();
    }
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
    let customs = serde_json::to_string(&Customs::default()).unwrap();
    let text = |s: &str| SqlValue::Text(s.to_owned());
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
        let (mut order_rows, mut line_rows, mut queue_rows, mut event_rows) = (vec![], vec![], vec![], vec![]);
        let (mut per_sku, mut money_rows) = (std::collections::BTreeMap::<i64, Vec<String>>::new(), vec![]);
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
            order_rows.push(vec![
                text(&id),
                text(&client),
                text(&warehouse),
                text(&service),
                text(&id),
                text("LOCAL"),
                SqlValue::Null,
                SqlValue::Text(format!("C-{i}")),
                text("{}"),
                SqlValue::Integer(bird + k as i64),
                text(&oc_number),
                text("SUBMITTED"),
                SqlValue::Null,
                SqlValue::Null,
                SqlValue::Text(serde_json::to_string(&recipient).unwrap()),
                SqlValue::Null,
                text(&customs),
                SqlValue::Integer(200),
                SqlValue::Integer(0),
                SqlValue::Integer(200),
                text("GBP"),
                SqlValue::Integer(120),
                SqlValue::Integer(325),
                SqlValue::Null,
                SqlValue::Null,
                SqlValue::Integer(now),
                SqlValue::Integer(now),
            ]);
            line_rows.push(vec![
                text(&id),
                SqlValue::Integer(sku),
                SqlValue::Integer(1),
                SqlValue::Integer(line_id + k as i64),
            ]);
            queue_rows.push(vec![text(&id), text(&client), SqlValue::Integer(now)]);
            let payload = json!({"id": id, "status": "SUBMITTED"}).to_string();
            event_rows.push(vec![
                SqlValue::Text(EventId::generate(now as u64, rand::random()).0),
                text(&client),
                text("order.created"),
                text(&id),
                SqlValue::Text(payload),
                SqlValue::Integer(now),
                SqlValue::Integer(now),
            ]);
            money_rows.push(vec![
                SqlValue::Text(TransferId::generate(now as u64, rand::random()).0),
                text(&client),
                text("GBP"),
                text(MoneyBucket::Available.as_str()),
                text(MoneyBucket::Held.as_str()),
                SqlValue::Integer(FEE),
                text(MoneyReason::Hold.as_str()),
                text("outbound"),
                text(&oc_number),
                SqlValue::Integer(now),
            ]);
            per_sku.entry(sku).or_default().push(oc_number);
        }
        insert(&tx, "outbound_orders", &ORDER_COLS, &order_rows);
        // The reservation: one conditional `UPDATE ... FROM (VALUES ...)` of every SKU's total,
        // then a ledger row per order line with the balances it left.
        let values = vec!["(?, ?)"; per_sku.len()].join(", ");
        let sql = format!(
            "UPDATE stock SET available = stock.available - v.column2, \
             reserved_allocated = stock.reserved_allocated + v.column2, updated_at = ? \
             FROM (VALUES {values}) AS v WHERE stock.sku_id = v.column1 AND stock.warehouse_id = ? \
             AND +stock.client_id = ? AND stock.available >= v.column2 \
             RETURNING stock.sku_id, stock.available, stock.reserved_allocated"
        );
        let mut args: Vec<SqlValue> = vec![];
        for (sku, docs) in &per_sku {
            args.extend([SqlValue::Integer(*sku), SqlValue::Integer(docs.len() as i64)]);
        }
        args.insert(0, SqlValue::Integer(now));
        args.extend([text(&warehouse), text(&client)]);
        let after: std::collections::BTreeMap<i64, (i64, i64)> = {
            let mut st = tx.prepare_cached(&sql).unwrap();
            let rows = st.query_map(params_from_iter(args.iter()), |r| Ok((r.get(0)?, (r.get(1)?, r.get(2)?))));
            rows.unwrap().map(Result::unwrap).collect()
        };
        assert_eq!(after.len(), per_sku.len(), "the bench's stock covers every order");
        let mut transfer_rows = vec![];
        for (sku, docs) in &per_sku {
            let (available, reserved) = after[sku];
            let qty = docs.len() as i64;
            for (j, doc) in docs.iter().enumerate() {
                let left = qty - 1 - j as i64;
                transfer_rows.push(vec![
                    SqlValue::Text(TransferId::generate(now as u64, rand::random()).0),
                    text(&client),
                    SqlValue::Integer(*sku),
                    text(&warehouse),
                    text(Bucket::Available.as_str()),
                    text(Bucket::ReservedAllocated.as_str()),
                    SqlValue::Integer(1),
                    SqlValue::Integer(available + left),
                    SqlValue::Integer(reserved - left),
                    text(Reason::OutboundSubmitted.code()),
                    text("outbound"),
                    text(doc),
                    SqlValue::Null,
                    SqlValue::Integer(now),
                ]);
            }
        }
        insert(&tx, "stock_transfers", &TRANSFER_COLS, &transfer_rows);
        let total = FEE * n as i64;
        let held = tx
            .prepare_cached(
                "UPDATE balances SET available = available - ?1, held = held + ?1, updated_at = ?2 \
                 WHERE client_id = ?3 AND currency = 'GBP' AND available >= ?1",
            )
            .unwrap()
            .execute(params![total, now, client])
            .unwrap();
        assert_eq!(held, 1, "the bench client's balance covers every fee");
        insert(&tx, "money_transfers", &MONEY_COLS, &money_rows);
        insert(&tx, "outbound_lines", &["order_id", "sku_id", "qty", "line_id"], &line_rows);
        insert(&tx, "booking_queue", &["order_id", "client_id", "queued_at"], &queue_rows);
        insert(
            &tx,
            "events",
            &["id", "client_id", "kind", "entity_id", "payload", "created_at", "fanned_out_at"],
            &event_rows,
        );
        tx.commit().unwrap();
        done += n;
    }
    orders as f64 / t.elapsed().as_secs_f64()
}

const ORDER_COLS: [&str; 27] = [
    "id",
    "client_id",
    "warehouse_id",
    "service_id",
    "reference",
    "kind",
    "identity_ref",
    "sales_reference",
    "attributes",
    "bird_id",
    "oc_number",
    "status",
    "platform",
    "platform_order_id",
    "recipient",
    "sender",
    "customs",
    "weight_g",
    "volume_mm3",
    "chargeable_weight_g",
    "currency",
    "handling_fee",
    "delivery_fee",
    "tracking_number",
    "carrier",
    "created_at",
    "updated_at",
];

const TRANSFER_COLS: [&str; 14] = [
    "id",
    "client_id",
    "sku_id",
    "warehouse_id",
    "from_bucket",
    "to_bucket",
    "qty",
    "from_after",
    "to_after",
    "reason",
    "doc_kind",
    "doc_id",
    "note",
    "created_at",
];

const MONEY_COLS: [&str; 10] =
    ["id", "client_id", "currency", "from_bucket", "to_bucket", "amount", "reason", "doc_kind", "doc_id", "created_at"];
