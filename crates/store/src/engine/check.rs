//! `entrepot admin check`: recomputes every ledger invariant from the transfers and compares it
//! with what is materialised. Each violation names the row and the numbers that disagree.

use std::collections::HashMap;

use entrepot_core::{
    balance::MoneyBucket,
    inventory::Bucket,
    location::is_physical,
    outbound::{OrderKind, OutboundStatus},
};

use crate::{
    booking::queue::WAITING,
    engine::rows::{i, s},
    Store, StoreResult,
};

pub use entrepot_app::types::operator::Violation;

impl Store {
    /// Checks all ledger invariants; an empty list means the books balance.
    pub async fn check(&self) -> StoreResult<Vec<Violation>> {
        let mut out = vec![];
        self.check_stock(&mut out).await?;
        self.check_locations(&mut out).await?;
        self.check_money(&mut out).await?;
        self.check_reservations(&mut out).await?;
        self.check_booking_queue(&mut out).await?;
        self.check_references(&mut out).await?;
        self.check_secrets(&mut out).await?;
        self.check_sites(&mut out).await?;
        for detail in self.board_differences().await? {
            out.push(Violation { invariant: "board = count of orders", detail });
        }
        Ok(out)
    }

    async fn check_stock(&self, out: &mut Vec<Violation>) -> StoreResult<()> {
        // Sum of transfers into minus out of each bucket, per (SKU, warehouse).
        let mut sums: HashMap<(i64, String, String), i64> = HashMap::new();
        for (col, sign) in [("to_bucket", 1i64), ("from_bucket", -1)] {
            let rows = sqlx::query(&format!(
                "SELECT sku_id, warehouse_id, {col} AS bucket, CAST(SUM(qty) AS BIGINT) AS q FROM stock_transfers GROUP BY sku_id, warehouse_id, {col}"
            ))
            .fetch_all(&self.read)
            .await?;
            for r in rows {
                *sums.entry((i(&r, "sku_id")?, s(&r, "warehouse_id")?, s(&r, "bucket")?)).or_default() +=
                    sign * i(&r, "q")?;
            }
        }
        let rows = sqlx::query(
            "SELECT st.sku_id, st.warehouse_id, st.client_id, sk.client_id AS owner, in_transit, received, available, reserved_allocated, reserved_hold, suspend, unfulfillable \
             FROM stock st LEFT JOIN skus sk ON sk.id = st.sku_id",
        )
        .fetch_all(&self.read)
        .await?;
        for r in &rows {
            let key = (i(r, "sku_id")?, s(r, "warehouse_id")?);
            if crate::engine::rows::os(r, "owner")?.as_deref() != Some(s(r, "client_id")?.as_str()) {
                out.push(Violation {
                    invariant: "tenant",
                    detail: format!("stock row SKU {} in {} is not owned by its client", key.0, key.1),
                });
            }
            for b in Bucket::HELD {
                let have = i(r, b.as_str())?;
                let want = sums.remove(&(key.0, key.1.clone(), b.as_str().to_owned())).unwrap_or(0);
                if have < 0 {
                    out.push(Violation {
                        invariant: "no negative stock",
                        detail: format!("SKU {} in {}: {} = {have}", key.0, key.1, b),
                    });
                }
                if have != want {
                    out.push(Violation {
                        invariant: "stock = sum of transfers",
                        detail: format!("SKU {} in {}: {} is {have} but transfers add up to {want}", key.0, key.1, b),
                    });
                }
            }
        }
        for ((sku, wh, bucket), q) in sums {
            if bucket != Bucket::Outside.as_str() && q != 0 {
                out.push(Violation {
                    invariant: "stock = sum of transfers",
                    detail: format!("SKU {sku} in {wh}: {bucket} has transfers adding up to {q} but no balance row"),
                });
            }
        }
        Ok(())
    }

    /// Bins: for every (SKU, warehouse) the units over its locations equal its physical buckets
    /// as the transfers add them up (so a tampered balance row is reported once, above); no
    /// location holds a negative quantity or names a location of another warehouse; and each
    /// location's units equal the transfers and moves that named it.
    async fn check_locations(&self, out: &mut Vec<Violation>) -> StoreResult<()> {
        let physical: Vec<String> =
            Bucket::HELD.iter().filter(|b| is_physical(**b)).map(|b| format!("'{}'", b.as_str())).collect();
        let physical = physical.join(", ");
        let rows = sqlx::query(&format!(
            "SELECT sku_id, warehouse_id, CAST(SUM(CASE WHEN to_bucket IN ({physical}) THEN qty ELSE 0 END) \
             - SUM(CASE WHEN from_bucket IN ({physical}) THEN qty ELSE 0 END) AS BIGINT) AS q \
             FROM stock_transfers GROUP BY sku_id, warehouse_id"
        ))
        .fetch_all(&self.read)
        .await?;
        let mut want: HashMap<(i64, String), i64> = HashMap::new();
        for r in rows {
            want.insert((i(&r, "sku_id")?, s(&r, "warehouse_id")?), i(&r, "q")?);
        }
        let rows = sqlx::query(
            "SELECT sku_id, warehouse_id, CAST(SUM(qty) AS BIGINT) AS q FROM location_stock GROUP BY sku_id, warehouse_id",
        )
        .fetch_all(&self.read)
        .await?;
        let mut have: HashMap<(i64, String), i64> = HashMap::new();
        for r in rows {
            have.insert((i(&r, "sku_id")?, s(&r, "warehouse_id")?), i(&r, "q")?);
        }
        let mut keys: Vec<&(i64, String)> = want.keys().chain(have.keys()).collect();
        keys.sort();
        keys.dedup();
        for k in keys {
            let (h, w) = (have.get(k).copied().unwrap_or(0), want.get(k).copied().unwrap_or(0));
            if h != w {
                out.push(Violation {
                    invariant: "locations = physical stock",
                    detail: format!(
                        "SKU {} in {}: its locations hold {h} but its physical buckets (received to unfulfillable) add up to {w}",
                        k.0, k.1
                    ),
                });
            }
        }
        for r in sqlx::query("SELECT location_id, sku_id, qty FROM location_stock WHERE qty < 0")
            .fetch_all(&self.read)
            .await?
        {
            out.push(Violation {
                invariant: "no negative location",
                detail: format!(
                    "location {} holds {} of SKU {}",
                    s(&r, "location_id")?,
                    i(&r, "qty")?,
                    i(&r, "sku_id")?
                ),
            });
        }
        let units = "SELECT l.code, l.units, CAST(COALESCE((SELECT SUM(ls.qty) FROM location_stock ls WHERE ls.location_id = l.id), 0) AS BIGINT) AS held \
             FROM locations l WHERE l.pick_seq < $1 \
             AND l.units <> COALESCE((SELECT SUM(ls.qty) FROM location_stock ls WHERE ls.location_id = l.id), 0)";
        // Bins only: the default locations keep no count (see `location::placement`).
        for r in sqlx::query(units).bind(entrepot_core::location::DEFAULT_PICK_SEQ).fetch_all(&self.read).await? {
            out.push(Violation {
                invariant: "location units = its stock",
                detail: format!(
                    "location {} counts {} units but holds {}",
                    s(&r, "code")?,
                    i(&r, "units")?,
                    i(&r, "held")?
                ),
            });
        }
        // What a bin promised to picks is what its open picks still want, never below zero.
        let promised = "SELECT ls.location_id, ls.sku_id, ls.allocated, \
             CAST(COALESCE((SELECT SUM(p.qty - p.picked - p.short - p.cancelled) FROM picks p \
             WHERE p.location_id = ls.location_id AND p.sku_id = ls.sku_id), 0) AS BIGINT) AS open \
             FROM location_stock ls WHERE ls.allocated <> COALESCE((SELECT SUM(p.qty - p.picked - p.short - p.cancelled) \
             FROM picks p WHERE p.location_id = ls.location_id AND p.sku_id = ls.sku_id), 0) OR ls.allocated < 0";
        for r in sqlx::query(promised).fetch_all(&self.read).await? {
            out.push(Violation {
                invariant: "location allocated = its open picks",
                detail: format!(
                    "location {} promised {} of SKU {} but its open picks want {}",
                    s(&r, "location_id")?,
                    i(&r, "allocated")?,
                    i(&r, "sku_id")?,
                    i(&r, "open")?
                ),
            });
        }
        let stray =
            "SELECT ls.location_id, ls.sku_id FROM location_stock ls LEFT JOIN locations l ON l.id = ls.location_id \
                     WHERE l.id IS NULL OR l.warehouse_id <> ls.warehouse_id";
        for r in sqlx::query(stray).fetch_all(&self.read).await? {
            out.push(Violation {
                invariant: "location stock names a location of its warehouse",
                detail: format!(
                    "SKU {} is held in location {}, which is not a location of that warehouse",
                    i(&r, "sku_id")?,
                    s(&r, "location_id")?
                ),
            });
        }
        let ledger = "SELECT loc, sku_id, CAST(SUM(q) AS BIGINT) AS q FROM ( \
             SELECT to_location AS loc, sku_id, qty AS q FROM stock_transfers WHERE to_location IS NOT NULL \
             UNION ALL SELECT from_location AS loc, sku_id, -qty AS q FROM stock_transfers WHERE from_location IS NOT NULL \
             UNION ALL SELECT to_location AS loc, sku_id, qty AS q FROM location_moves WHERE to_location IS NOT NULL \
             UNION ALL SELECT from_location AS loc, sku_id, -qty AS q FROM location_moves WHERE from_location IS NOT NULL \
             ) t GROUP BY loc, sku_id";
        let mut sums: HashMap<(String, i64), i64> = HashMap::new();
        for r in sqlx::query(ledger).fetch_all(&self.read).await? {
            sums.insert((s(&r, "loc")?, i(&r, "sku_id")?), i(&r, "q")?);
        }
        for r in sqlx::query("SELECT location_id, sku_id, qty FROM location_stock").fetch_all(&self.read).await? {
            let key = (s(&r, "location_id")?, i(&r, "sku_id")?);
            let have = i(&r, "qty")?;
            let want = sums.remove(&key).unwrap_or(0);
            if have != want {
                out.push(Violation {
                    invariant: "location = sum of its moves",
                    detail: format!("location {} holds {have} of SKU {} but its moves add up to {want}", key.0, key.1),
                });
            }
        }
        for ((loc, sku), q) in sums {
            if q != 0 {
                out.push(Violation {
                    invariant: "location = sum of its moves",
                    detail: format!("location {loc}: moves of SKU {sku} add up to {q} but it holds none"),
                });
            }
        }
        Ok(())
    }

    async fn check_money(&self, out: &mut Vec<Violation>) -> StoreResult<()> {
        let mut sums: HashMap<(String, String, String), i64> = HashMap::new();
        for (col, sign) in [("to_bucket", 1i64), ("from_bucket", -1)] {
            let rows = sqlx::query(&format!(
                "SELECT client_id, currency, {col} AS bucket, CAST(SUM(amount) AS BIGINT) AS a FROM money_transfers GROUP BY client_id, currency, {col}"
            ))
            .fetch_all(&self.read)
            .await?;
            for r in rows {
                *sums.entry((s(&r, "client_id")?, s(&r, "currency")?, s(&r, "bucket")?)).or_default() +=
                    sign * i(&r, "a")?;
            }
        }
        let rows = sqlx::query("SELECT client_id, currency, available, held, charged FROM balances")
            .fetch_all(&self.read)
            .await?;
        for r in &rows {
            let (c, cur) = (s(r, "client_id")?, s(r, "currency")?);
            for b in MoneyBucket::HELD {
                let have = i(r, b.as_str())?;
                let want = sums.remove(&(c.clone(), cur.clone(), b.as_str().to_owned())).unwrap_or(0);
                if have < 0 {
                    out.push(Violation {
                        invariant: "no negative balance",
                        detail: format!("client {c} {cur}: {b} = {have}"),
                    });
                }
                if have != want {
                    out.push(Violation {
                        invariant: "balance = sum of transfers",
                        detail: format!("client {c} {cur}: {b} is {have} but transfers add up to {want}"),
                    });
                }
            }
        }
        for ((c, cur, bucket), a) in sums {
            if bucket != MoneyBucket::Outside.as_str() && a != 0 {
                out.push(Violation {
                    invariant: "balance = sum of transfers",
                    detail: format!("client {c} {cur}: {bucket} has transfers adding up to {a} but no balance row"),
                });
            }
        }
        Ok(())
    }

    /// Reserved stock and held money must equal what open orders hold.
    async fn check_reservations(&self, out: &mut Vec<Violation>) -> StoreResult<()> {
        let holding: Vec<&str> =
            OutboundStatus::ALL.iter().filter(|s| s.holds_reservation()).map(|s| s.as_str()).collect();
        let in_list = holding.iter().map(|s| format!("'{s}'")).collect::<Vec<_>>().join(", ");
        let stock_kinds = OrderKind::ALL
            .iter()
            .filter(|k| k.uses_stock())
            .map(|k| format!("'{}'", k.as_str()))
            .collect::<Vec<_>>()
            .join(", ");
        let rows = sqlx::query(&format!(
            "SELECT l.sku_id, o.warehouse_id, CAST(SUM(l.qty) AS BIGINT) AS q FROM outbound_lines l JOIN outbound_orders o ON o.id = l.order_id \
             WHERE o.status IN ({in_list}) AND o.kind IN ({stock_kinds}) GROUP BY l.sku_id, o.warehouse_id"
        ))
        .fetch_all(&self.read)
        .await?;
        let mut want: HashMap<(i64, String), i64> = HashMap::new();
        for r in rows {
            want.insert((i(&r, "sku_id")?, s(&r, "warehouse_id")?), i(&r, "q")?);
        }
        for r in sqlx::query("SELECT sku_id, warehouse_id, reserved_allocated FROM stock").fetch_all(&self.read).await?
        {
            let key = (i(&r, "sku_id")?, s(&r, "warehouse_id")?);
            let have = i(&r, "reserved_allocated")?;
            let w = want.remove(&key).unwrap_or(0);
            if have != w {
                out.push(Violation {
                    invariant: "reserved = open orders",
                    detail: format!("SKU {} in {}: reserved {have}, open orders hold {w}", key.0, key.1),
                });
            }
        }
        for ((sku, wh), q) in want {
            out.push(Violation {
                invariant: "reserved = open orders",
                detail: format!("SKU {sku} in {wh}: open orders hold {q} but nothing is reserved"),
            });
        }
        let rows = sqlx::query(&format!(
            "SELECT client_id, currency, CAST(SUM(handling_fee + delivery_fee) AS BIGINT) AS a FROM outbound_orders WHERE status IN ({in_list}) GROUP BY client_id, currency"
        ))
        .fetch_all(&self.read)
        .await?;
        let mut held: HashMap<(String, String), i64> = HashMap::new();
        for r in rows {
            held.insert((s(&r, "client_id")?, s(&r, "currency")?), i(&r, "a")?);
        }
        for r in sqlx::query("SELECT client_id, currency, held FROM balances").fetch_all(&self.read).await? {
            let key = (s(&r, "client_id")?, s(&r, "currency")?);
            let have = i(&r, "held")?;
            let w = held.remove(&key).unwrap_or(0);
            if have != w {
                out.push(Violation {
                    invariant: "held = open order fees",
                    detail: format!("client {} {}: held {have}, open orders' fees {w}", key.0, key.1),
                });
            }
        }
        for ((c, cur), a) in held {
            if a != 0 {
                out.push(Violation {
                    invariant: "held = open order fees",
                    detail: format!("client {c} {cur}: open orders' fees {a} but nothing held"),
                });
            }
        }
        Ok(())
    }

    /// Every order waiting for a carrier booking has its place in the queue, and the queue holds
    /// no order that does not exist or belongs to another client.
    async fn check_booking_queue(&self, out: &mut Vec<Violation>) -> StoreResult<()> {
        let unqueued = format!(
            "SELECT id FROM outbound_orders WHERE {WAITING} \
             AND NOT EXISTS (SELECT 1 FROM booking_queue q WHERE q.order_id = outbound_orders.id)"
        );
        for r in sqlx::query(&unqueued).fetch_all(&self.read).await? {
            out.push(Violation {
                invariant: "waiting orders are queued for booking",
                detail: format!("order {} waits for a carrier booking but is not in the booking queue", s(&r, "id")?),
            });
        }
        let stray = "SELECT q.order_id AS id FROM booking_queue q LEFT JOIN outbound_orders o ON o.id = q.order_id \
                     WHERE o.id IS NULL OR o.client_id <> q.client_id";
        for r in sqlx::query(stray).fetch_all(&self.read).await? {
            out.push(Violation {
                invariant: "waiting orders are queued for booking",
                detail: format!("the booking queue names order {}, which is not that client's order", s(&r, "id")?),
            });
        }
        Ok(())
    }

    /// Orders, their lines and labels name rows that exist (on PostgreSQL no foreign key checks
    /// these any more, see migration 14), and a line's SKU is its order's client's, or the owner's its
    /// line names (a shared product).
    async fn check_references(&self, out: &mut Vec<Violation>) -> StoreResult<()> {
        const ORPHANS: [(&str, &str); 6] = [
            ("outbound_orders", "SELECT o.id AS id FROM outbound_orders o LEFT JOIN clients c ON c.id = o.client_id WHERE c.id IS NULL"),
            ("outbound_orders", "SELECT o.id AS id FROM outbound_orders o LEFT JOIN warehouses w ON w.id = o.warehouse_id WHERE w.id IS NULL"),
            ("outbound_orders", "SELECT o.id AS id FROM outbound_orders o LEFT JOIN services v ON v.id = o.service_id WHERE v.id IS NULL"),
            ("outbound_lines", "SELECT l.order_id AS id FROM outbound_lines l LEFT JOIN outbound_orders o ON o.id = l.order_id WHERE o.id IS NULL"),
            (
                "outbound_lines",
                "SELECT l.order_id AS id FROM outbound_lines l JOIN outbound_orders o ON o.id = l.order_id \
                 LEFT JOIN skus k ON k.id = l.sku_id AND k.client_id = COALESCE(l.owner_id, o.client_id) WHERE k.id IS NULL",
            ),
            ("order_labels", "SELECT l.order_id AS id FROM order_labels l LEFT JOIN outbound_orders o ON o.id = l.order_id WHERE o.id IS NULL"),
        ];
        // The board counts an order's units from the order itself.
        let units = "SELECT o.id AS id FROM outbound_orders o WHERE o.units <> \
                     COALESCE((SELECT SUM(l.qty) FROM outbound_lines l WHERE l.order_id = o.id), 0)";
        for r in sqlx::query(units).fetch_all(&self.read).await? {
            out.push(Violation {
                invariant: "an order's units are its lines' quantities",
                detail: format!("order {} counts other units than its lines hold", s(&r, "id")?),
            });
        }
        for (table, sql) in ORPHANS {
            for r in sqlx::query(sql).fetch_all(&self.read).await? {
                out.push(Violation {
                    invariant: "rows name rows that exist",
                    detail: format!("{table} row of order {} names a client, warehouse, service, SKU or order that is not there (or not the client's)", s(&r, "id")?),
                });
            }
        }
        Ok(())
    }

    /// Test and repair support: run raw SQL (the check's tests corrupt data on purpose).
    #[doc(hidden)]
    pub async fn execute_raw(&self, sql: &str) -> StoreResult<u64> {
        Ok(sqlx::raw_sql(sql).execute(&self.write).await?.rows_affected())
    }

    /// Test support: the `n` column (a count) of a raw query's one row.
    #[doc(hidden)]
    pub async fn count_raw(&self, sql: &str) -> StoreResult<i64> {
        let row = sqlx::query(sql).fetch_one(&self.read).await?;
        i(&row, "n")
    }

    /// Test support: every row of a raw query with one text parameter, as text (columns joined
    /// by `|`, rows by `;`), to compare data before and after.
    #[doc(hidden)]
    pub async fn dump_raw(&self, sql: &str, param: &str) -> StoreResult<String> {
        use sqlx::Row;
        let rows = sqlx::query(sql).bind(param).fetch_all(&self.read).await?;
        let cell = |r: &sqlx::any::AnyRow, k: usize| {
            r.try_get::<Option<i64>, _>(k)
                .map(|v| v.map(|v| v.to_string()))
                .or_else(|_| r.try_get::<Option<String>, _>(k))
                .ok()
                .flatten()
                .unwrap_or_else(|| "NULL".into())
        };
        Ok(rows
            .iter()
            .map(|r| (0..r.len()).map(|k| cell(r, k)).collect::<Vec<_>>().join("|"))
            .collect::<Vec<_>>()
            .join(";"))
    }
}
