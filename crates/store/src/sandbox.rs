//! Sandbox twins (migration 0057): what an ERP under test acts on instead of the live client.
//!
//! A twin is a client row of its own pointing at the client it stands in for (`sandbox_of`), so
//! its SKUs, stock, balance, orders and webhooks are kept apart from the live client's by the
//! tenancy every query already has. It is made on first use with copies of the client's
//! approved SKUs (new ids and MFSKUIDs), play stock of each in every warehouse the client uses
//! (in a `SANDBOX` location of quarantine type, which waves and putaway never draw on) and a
//! play balance. A reset makes a fresh twin and moves the test keys and webhooks to it; the old
//! twin keeps its rows, out of every list.

use std::{collections::HashMap, sync::RwLock};

use entrepot_app::types::sandbox::SandboxCall;
use entrepot_core::{
    balance::MoneyTransfer,
    ids::{oc_mfskuid, ClientId, OrderId, SkuId, WarehouseId},
    inventory::{Bucket, Transfer},
    location::{default_id, LocationKind},
    CoreError,
};

use crate::{
    engine::{
        clock::{new_id, now_ms},
        exec::Tx,
        rows::{i, os, s},
        seq,
    },
    money,
    sku::{insert_sku, sku, READ_COLS},
    stock::{self, At, StockMove},
    Store, StoreResult,
};

/// The code of the location a twin's play stock sits in, in each warehouse.
pub const SANDBOX_LOCATION: &str = "SANDBOX";
/// Units of each SKU a twin starts with, per warehouse.
pub const PLAY_UNITS: i64 = 100;
/// The play balance a twin starts with, in minor units of the client's currency.
pub const PLAY_BALANCE: i64 = 100_000;
/// The most SKUs copied into a twin (the most recently changed first).
pub const MAX_TWIN_SKUS: i64 = 500;

/// Client → the live client it stands in for (`None`: a live client). Never changes once read:
/// a client is made a twin or not.
#[derive(Default)]
pub(crate) struct TwinCache(RwLock<HashMap<ClientId, Option<ClientId>>>);

impl Store {
    /// The live client `client` stands in for, when it is a sandbox twin.
    pub async fn sandbox_of(&self, client: &ClientId) -> StoreResult<Option<ClientId>> {
        if let Some(known) = self.twins.0.read().ok().and_then(|m| m.get(client).cloned()) {
            return Ok(known);
        }
        let row = sqlx::query("SELECT sandbox_of FROM clients WHERE id = $1")
            .bind(&client.0)
            .fetch_optional(&self.read)
            .await?
            .ok_or_else(|| CoreError::not_found("client", client))?;
        let of = os(&row, "sandbox_of")?.map(ClientId);
        if let Ok(mut m) = self.twins.0.write() {
            m.insert(client.clone(), of.clone());
        }
        Ok(of)
    }

    /// The client's current sandbox twin, made on first use.
    pub async fn sandbox_twin(&self, live: &ClientId) -> StoreResult<ClientId> {
        if let Some(t) = self.current_twin(live).await? {
            return Ok(t);
        }
        match self.make_twin(live, false).await {
            Ok(t) => Ok(t),
            // Made meanwhile by a concurrent first call.
            Err(e) => self.current_twin(live).await?.ok_or(e),
        }
    }

    /// A fresh twin for the client: its test keys and webhooks move to it; the old twin's
    /// orders, stock and balance stay behind, out of reach.
    pub async fn reset_sandbox(&self, live: &ClientId) -> StoreResult<ClientId> {
        self.make_twin(live, true).await
    }

    async fn current_twin(&self, live: &ClientId) -> StoreResult<Option<ClientId>> {
        let row = sqlx::query("SELECT twin_id FROM sandbox_twins WHERE client_id = $1")
            .bind(&live.0)
            .fetch_optional(&self.read)
            .await?;
        row.map(|r| s(&r, "twin_id").map(ClientId)).transpose()
    }

    async fn make_twin(&self, live: &ClientId, replace: bool) -> StoreResult<ClientId> {
        let client = self.client(live).await?;
        if self.sandbox_of(live).await?.is_some() {
            return Err(CoreError::invalid("client", "a sandbox twin has no twin of its own".to_owned()).into());
        }
        let now = now_ms();
        let mut tx = self.begin().await?;
        let made = sqlx::query("SELECT COUNT(*) AS n FROM clients WHERE sandbox_of = $1")
            .bind(&live.0)
            .fetch_one(&mut *tx)
            .await?;
        let twin = new_id!(ClientId);
        sqlx::query(
            "INSERT INTO clients (id, company_id, name, currency, created_at, sandbox_of) VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(&twin.0)
        .bind(&client.company_id.0)
        .bind(format!("{} · sandbox {}", client.name, i(&made, "n")? + 1))
        .bind(client.currency.as_str())
        .bind(now)
        .bind(&live.0)
        .execute(&mut *tx)
        .await?;
        sqlx::query(
            "INSERT INTO client_sites (client_id, warehouse_id, created_at) \
             SELECT $1, warehouse_id, $2 FROM client_sites WHERE client_id = $3",
        )
        .bind(&twin.0)
        .bind(now)
        .bind(&live.0)
        .execute(&mut *tx)
        .await?;
        let old = sqlx::query("SELECT twin_id FROM sandbox_twins WHERE client_id = $1")
            .bind(&live.0)
            .fetch_optional(&mut *tx)
            .await?
            .map(|r| s(&r, "twin_id"))
            .transpose()?;
        let on_conflict = if replace {
            "DO UPDATE SET twin_id = excluded.twin_id, created_at = excluded.created_at"
        } else {
            "DO NOTHING"
        };
        let claimed = sqlx::query(&format!(
            "INSERT INTO sandbox_twins (client_id, twin_id, created_at) VALUES ($1, $2, $3) ON CONFLICT (client_id) {on_conflict}"
        ))
        .bind(&live.0)
        .bind(&twin.0)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        if claimed.rows_affected() == 0 {
            return Err(CoreError::Conflict("the client's sandbox was made meanwhile".into()).into());
        }
        if let (Some(old), true) = (old, replace) {
            for table in ["api_keys", "webhooks"] {
                sqlx::query(&format!("UPDATE {table} SET client_id = $1 WHERE client_id = $2"))
                    .bind(&twin.0)
                    .bind(&old)
                    .execute(&mut *tx)
                    .await?;
            }
        }
        self.seed_twin(&mut tx, live, &twin, now).await?;
        money::apply(
            &mut tx,
            &twin,
            client.currency.as_str(),
            &MoneyTransfer::top_up(PLAY_BALANCE)?,
            "top_up",
            "sandbox",
        )
        .await?;
        tx.commit().await?;
        self.key_cache.forget();
        Ok(twin)
    }

    /// Copies the client's approved, active SKUs into the twin with play stock of each in every
    /// warehouse the client uses.
    async fn seed_twin(
        &self,
        tx: &mut sqlx::Transaction<'static, sqlx::Any>,
        live: &ClientId,
        twin: &ClientId,
        now: i64,
    ) -> StoreResult<()> {
        let rows = sqlx::query(&format!(
            "SELECT {READ_COLS} FROM skus WHERE client_id = $1 AND status = 'APPROVED' AND active = 1 \
             ORDER BY updated_at DESC, id LIMIT {MAX_TWIN_SKUS}"
        ))
        .bind(&live.0)
        .fetch_all(&mut **tx)
        .await?;
        let originals = rows.iter().map(sku).collect::<StoreResult<Vec<_>>>()?;
        if originals.is_empty() {
            return Ok(());
        }
        let first = seq::next(&mut Tx::from(&mut *tx), "sku", originals.len() as i64).await?;
        let mut copies = Vec::with_capacity(originals.len());
        for (k, original) in originals.into_iter().enumerate() {
            let id = SkuId(first + k as i64);
            let copy = entrepot_core::sku::Sku {
                id,
                client_id: twin.clone(),
                mfskuid: oc_mfskuid(id.0),
                measurement: None,
                ..original
            };
            insert_sku(tx, twin, &copy, now, k + 1).await?;
            copies.push(copy);
        }
        let sites = sqlx::query("SELECT warehouse_id FROM client_sites WHERE client_id = $1 ORDER BY warehouse_id")
            .bind(&live.0)
            .fetch_all(&mut **tx)
            .await?;
        for site in sites {
            let wh = WarehouseId(s(&site, "warehouse_id")?);
            let at = default_id(&wh, SANDBOX_LOCATION);
            sqlx::query(
                "INSERT INTO locations (id, warehouse_id, code, zone, kind, pick_seq, capacity, disabled, created_at) \
                 VALUES ($1, $2, $3, $3, $4, $5, NULL, 0, $6) ON CONFLICT (warehouse_id, code) DO NOTHING",
            )
            .bind(&at.0)
            .bind(&wh.0)
            .bind(SANDBOX_LOCATION)
            .bind(LocationKind::Quarantine.as_str())
            .bind(entrepot_core::location::DEFAULT_PICK_SEQ + 10)
            .bind(now)
            .execute(&mut **tx)
            .await?;
            for copy in &copies {
                let m = StockMove {
                    client: twin,
                    sku: copy.id,
                    warehouse: &wh,
                    transfer: Transfer::adjustment(Bucket::Available, PLAY_UNITS)?,
                    doc_kind: "adjustment",
                    doc_id: "sandbox",
                    note: Some("sandbox play stock"),
                    for_client: None,
                };
                let to = At { from: None, to: Some(&at) };
                stock::apply_at(&mut Tx::from(&mut *tx), m, to, &copy.seller_sku, &wh.0).await?;
            }
        }
        Ok(())
    }

    /// Counts a successful sandbox call of `operation` by `app`.
    pub async fn record_sandbox_call(&self, app: &str, operation: &str) -> StoreResult<()> {
        let now = now_ms();
        sqlx::query(
            "INSERT INTO sandbox_calls (app, operation, calls, first_at, last_at) VALUES ($1, $2, 1, $3, $3) \
             ON CONFLICT (app, operation) DO UPDATE SET calls = sandbox_calls.calls + 1, last_at = excluded.last_at",
        )
        .bind(app)
        .bind(operation)
        .bind(now)
        .execute(&self.write)
        .await?;
        Ok(())
    }

    /// What `app` has called successfully in sandbox, by operation.
    pub async fn sandbox_calls(&self, app: &str) -> StoreResult<Vec<SandboxCall>> {
        let rows = sqlx::query(
            "SELECT operation, calls, first_at, last_at FROM sandbox_calls WHERE app = $1 ORDER BY operation",
        )
        .bind(app)
        .fetch_all(&self.read)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(SandboxCall {
                    operation: s(r, "operation")?,
                    calls: i(r, "calls")?,
                    first_at_ms: i(r, "first_at")?,
                    last_at_ms: i(r, "last_at")?,
                })
            })
            .collect()
    }

    /// Submitted orders of sandbox twins placed before `before_ms`, oldest first.
    pub async fn sandbox_orders_due(&self, before_ms: i64, limit: i64) -> StoreResult<Vec<(ClientId, OrderId)>> {
        let rows = sqlx::query(&format!(
            "SELECT o.client_id, o.id FROM outbound_orders o \
             WHERE o.client_id IN (SELECT id FROM clients WHERE sandbox_of IS NOT NULL) \
             AND o.status = 'SUBMITTED' AND o.created_at < $1 ORDER BY o.created_at, o.id LIMIT {}",
            limit.clamp(1, 1_000)
        ))
        .bind(before_ms)
        .fetch_all(&self.read)
        .await?;
        rows.iter().map(|r| Ok((ClientId(s(r, "client_id")?), OrderId(s(r, "id")?)))).collect()
    }
}
