//! Outbound orders on disk. Placing an order is one transaction: the order row (whose unique
//! `(client_id, reference)` makes a retried request unable to create it twice), its lines, the
//! stock reservations and the fee hold, and the outbox event. Any refusal rolls all of it back.

use entrepot_core::{
    balance::MoneyTransfer,
    company::Address,
    ids::{bird_consignment_id, oc_outbound_number, ClientId, OrderId, ServiceId, SkuId, WarehouseId},
    outbound::{ledger_moves, plan_order, Customs, Effect, NewOutbound, OutboundStatus},
    CoreError,
};
use serde::Serialize;
use serde_json::json;
use sqlx::{any::AnyRow, Any, Transaction};

use crate::{
    clock::{new_id, now_ms},
    error::on_unique,
    events, money,
    rows::{i, json, os, parse, s, to_json},
    seq,
    skus::{bind_all, placeholders, Bind},
    stock::{self, StockMove},
    Store, StoreResult,
};

/// An order as stored, with everything both dialects show.
#[derive(Debug, Clone, Serialize)]
pub struct OrderView {
    pub id: OrderId,
    pub client_id: ClientId,
    pub warehouse_id: WarehouseId,
    pub service_id: ServiceId,
    pub reference: String,
    pub bird_id: i64,
    pub oc_number: String,
    pub status: OutboundStatus,
    pub platform: Option<String>,
    pub platform_order_id: Option<String>,
    pub recipient: Address,
    pub sender: Option<Address>,
    pub customs: Customs,
    pub lines: Vec<(SkuId, i64)>,
    pub weight_g: i64,
    pub volume_mm3: i64,
    pub chargeable_weight_g: i64,
    pub currency: String,
    pub handling_fee: i64,
    pub delivery_fee: i64,
    pub tracking_number: Option<String>,
    pub carrier: Option<String>,
    pub label_path: Option<String>,
    pub created_at_ms: i64,
    pub updated_at_ms: i64,
}

impl OrderView {
    pub fn total_fee(&self) -> i64 {
        self.handling_fee + self.delivery_fee
    }
}

/// The result of placing an order.
#[derive(Debug, Clone, Serialize)]
pub struct Placed {
    pub order: OrderView,
}

const COLS: &str =
    "id, client_id, warehouse_id, service_id, reference, bird_id, oc_number, status, platform, platform_order_id, \
     recipient, sender, customs, weight_g, volume_mm3, chargeable_weight_g, currency, handling_fee, delivery_fee, \
     tracking_number, carrier, label_path, created_at, updated_at";

fn order(row: &AnyRow, lines: Vec<(SkuId, i64)>) -> StoreResult<OrderView> {
    let sender: Option<String> = os(row, "sender")?;
    Ok(OrderView {
        id: OrderId(s(row, "id")?),
        client_id: ClientId(s(row, "client_id")?),
        warehouse_id: WarehouseId(s(row, "warehouse_id")?),
        service_id: ServiceId(s(row, "service_id")?),
        reference: s(row, "reference")?,
        bird_id: i(row, "bird_id")?,
        oc_number: s(row, "oc_number")?,
        status: parse(row, "status")?,
        platform: os(row, "platform")?,
        platform_order_id: os(row, "platform_order_id")?,
        recipient: json(row, "recipient")?,
        sender: sender
            .map(|t| serde_json::from_str(&t))
            .transpose()
            .map_err(|e| crate::StoreError::Corrupt(format!("sender: {e}")))?,
        customs: json(row, "customs")?,
        lines,
        weight_g: i(row, "weight_g")?,
        volume_mm3: i(row, "volume_mm3")?,
        chargeable_weight_g: i(row, "chargeable_weight_g")?,
        currency: s(row, "currency")?,
        handling_fee: i(row, "handling_fee")?,
        delivery_fee: i(row, "delivery_fee")?,
        tracking_number: os(row, "tracking_number")?,
        carrier: os(row, "carrier")?,
        label_path: os(row, "label_path")?,
        created_at_ms: i(row, "created_at")?,
        updated_at_ms: i(row, "updated_at")?,
    })
}

/// Applies the ledger effect of a status change to stock and money, inside `tx`.
async fn apply_effect(
    tx: &mut Transaction<'static, Any>,
    o: &OrderView,
    effect: Effect,
    wh_code: &str,
) -> StoreResult<()> {
    for (sku, transfer) in ledger_moves(&o.lines, effect)? {
        let m = StockMove {
            client: &o.client_id,
            sku,
            warehouse: &o.warehouse_id,
            transfer,
            doc_kind: "outbound",
            doc_id: &o.oc_number,
            note: None,
        };
        stock::apply(tx, m, &sku.to_string(), wh_code).await?;
    }
    let fee = o.total_fee();
    if fee > 0 {
        let t = match effect {
            Effect::None => return Ok(()),
            Effect::Reserve => MoneyTransfer::hold(fee)?,
            Effect::Release => MoneyTransfer::release(fee)?,
            Effect::Consume => MoneyTransfer::charge(fee)?,
        };
        money::apply(tx, &o.client_id, &o.currency, &t, "outbound", &o.oc_number).await?;
    }
    Ok(())
}

impl Store {
    /// Places an order for `tenant` through `service`. With `submit`, stock is reserved and the fee
    /// held at once (OC, Bird's all-in-one upload); without, it waits as a draft (Bird PREPARING).
    pub async fn place_order(&self, new: NewOutbound, service: &ServiceId, submit: bool) -> StoreResult<Placed> {
        let tenant = new.client_id.clone();
        let svc = self.service(service).await?;
        let wh = self.warehouse(&svc.warehouse_id).await?;
        let ids: Vec<SkuId> = new.lines.iter().map(|(s, _)| *s).collect();
        let skus = self.skus_by_ids(&tenant, &ids).await?;
        let plan = plan_order(&new, &wh, &svc, &skus)?;
        let now = now_ms();
        let today = jiff::Timestamp::from_millisecond(now)
            .map(|t| t.to_zoned(jiff::tz::TimeZone::UTC).date())
            .unwrap_or_default();
        let mut tx = self.begin().await?;
        let bird_company = wh.bird_company_id.unwrap_or(0);
        let bird_seq = seq::next(&mut tx, &format!("consignment:{bird_company}:{today}"), 1).await?;
        let oc_seq = seq::next(&mut tx, "oc_outbound", 1).await?;
        let mut o = OrderView {
            id: new_id!(OrderId),
            client_id: tenant.clone(),
            warehouse_id: wh.id.clone(),
            service_id: svc.id.clone(),
            reference: new.reference.trim().to_owned(),
            bird_id: bird_consignment_id(today, bird_company, bird_seq),
            oc_number: oc_outbound_number(oc_seq, &plan.parcel.country),
            status: OutboundStatus::Draft,
            platform: new.platform.clone(),
            platform_order_id: new.platform_order_id.clone(),
            recipient: new.recipient.clone(),
            sender: new.sender.clone(),
            customs: new.customs.clone(),
            lines: plan.lines.clone(),
            weight_g: plan.parcel.weight_g,
            volume_mm3: plan.parcel.volume_mm3,
            chargeable_weight_g: plan.quote.chargeable_weight_g,
            currency: if plan.quote.currency.is_empty() { "GBP".into() } else { plan.quote.currency.clone() },
            handling_fee: plan.quote.handling,
            delivery_fee: plan.quote.delivery,
            tracking_number: None,
            carrier: None,
            label_path: None,
            created_at_ms: now,
            updated_at_ms: now,
        };
        if submit {
            o.status = OutboundStatus::Submitted;
        }
        let r = sqlx::query(&format!("INSERT INTO outbound_orders ({COLS}) VALUES ({})", placeholders(1, 24)))
            .bind(&o.id.0)
            .bind(&tenant.0)
            .bind(&o.warehouse_id.0)
            .bind(&o.service_id.0)
            .bind(&o.reference)
            .bind(o.bird_id)
            .bind(&o.oc_number)
            .bind(o.status.as_str())
            .bind(o.platform.clone())
            .bind(o.platform_order_id.clone())
            .bind(to_json(&o.recipient))
            .bind(o.sender.as_ref().map(to_json))
            .bind(to_json(&o.customs))
            .bind(o.weight_g)
            .bind(o.volume_mm3)
            .bind(o.chargeable_weight_g)
            .bind(&o.currency)
            .bind(o.handling_fee)
            .bind(o.delivery_fee)
            .bind(None::<String>)
            .bind(None::<String>)
            .bind(None::<String>)
            .bind(now)
            .bind(now)
            .execute(&mut *tx)
            .await;
        on_unique(r, "order reference", &o.reference)?;
        for (sku, qty) in &o.lines {
            sqlx::query("INSERT INTO outbound_lines (order_id, sku_id, qty) VALUES ($1, $2, $3)")
                .bind(&o.id.0)
                .bind(sku.0)
                .bind(*qty)
                .execute(&mut *tx)
                .await?;
        }
        if submit {
            apply_effect(&mut tx, &o, Effect::Reserve, &wh.code).await.map_err(|e| label_skus(e, &skus))?;
        }
        events::record(
            &mut tx,
            Some(&tenant),
            "order.created",
            &o.id.0,
            &json!({"id": o.id, "status": o.status.as_str()}),
        )
        .await?;
        tx.commit().await?;
        Ok(Placed { order: o })
    }

    /// Moves an order to `to`, applying its ledger effect; `client_cancel` enforces the
    /// client's "only before picking" rule.
    pub async fn transition_order(
        &self,
        tenant: &ClientId,
        id: &OrderId,
        to: OutboundStatus,
    ) -> StoreResult<OrderView> {
        let mut tx = self.begin().await?;
        let mut o = load(&mut tx, tenant, id).await?.ok_or_else(|| CoreError::not_found("order", id))?;
        let from = o.status;
        if to == OutboundStatus::Cancelled && !from.client_can_cancel() && from != OutboundStatus::Exception {
            return Err(CoreError::Conflict(format!(
                "order {} cannot be cancelled: it is {} and picking has started",
                o.oc_number, from
            ))
            .into());
        }
        let effect = from.transition(to, &o.oc_number)?;
        let wh = self.warehouse(&o.warehouse_id).await?;
        apply_effect(&mut tx, &o, effect, &wh.code).await?;
        let now = now_ms();
        let r = sqlx::query(
            "UPDATE outbound_orders SET status = $1, updated_at = $2 WHERE id = $3 AND client_id = $4 AND status = $5",
        )
        .bind(to.as_str())
        .bind(now)
        .bind(&o.id.0)
        .bind(&tenant.0)
        .bind(from.as_str())
        .execute(&mut *tx)
        .await?;
        if r.rows_affected() != 1 {
            return Err(CoreError::Conflict(format!("order {} changed concurrently; try again", o.oc_number)).into());
        }
        o.status = to;
        o.updated_at_ms = now;
        events::record(
            &mut tx,
            Some(tenant),
            "order.status",
            &o.id.0,
            &json!({"id": o.id, "from": from.as_str(), "to": to.as_str()}),
        )
        .await?;
        tx.commit().await?;
        Ok(o)
    }

    /// One of the tenant's orders by internal id, Bird id, OC number or reference.
    pub async fn find_order(&self, tenant: &ClientId, key: &str) -> StoreResult<OrderView> {
        let bird: i64 = key.trim().parse().unwrap_or(-1);
        let row = sqlx::query(&format!(
            "SELECT {COLS} FROM outbound_orders WHERE client_id = $1 AND (id = $2 OR oc_number = $2 OR reference = $2 OR bird_id = $3) LIMIT 1"
        ))
        .bind(&tenant.0)
        .bind(key.trim())
        .bind(bird)
        .fetch_optional(&self.read)
        .await?;
        let Some(row) = row else {
            return Err(CoreError::not_found("order", key).into());
        };
        let lines = self.order_lines(&[OrderId(s(&row, "id")?)]).await?.pop().map(|(_, l)| l).unwrap_or_default();
        order(&row, lines)
    }

    /// The tenant's orders, newest first, optionally by status.
    pub async fn list_orders(
        &self,
        tenant: &ClientId,
        status: Option<OutboundStatus>,
        offset: i64,
        limit: i64,
    ) -> StoreResult<(Vec<OrderView>, i64)> {
        let mut cond = "client_id = $1".to_owned();
        let mut binds = vec![Bind::S(tenant.0.clone())];
        if let Some(st) = status {
            cond.push_str(" AND status = $2");
            binds.push(Bind::S(st.as_str().to_owned()));
        }
        let total = i(
            &bind_all(sqlx::query(&format!("SELECT COUNT(*) AS n FROM outbound_orders WHERE {cond}")), &binds)
                .fetch_one(&self.read)
                .await?,
            "n",
        )?;
        let limit = if limit <= 0 { i64::MAX } else { limit };
        let rows = bind_all(
            sqlx::query(&format!("SELECT {COLS} FROM outbound_orders WHERE {cond} ORDER BY created_at DESC, id DESC LIMIT {limit} OFFSET {}", offset.max(0))),
            &binds,
        )
        .fetch_all(&self.read)
        .await?;
        let ids: Vec<OrderId> = rows.iter().map(|r| s(r, "id").map(OrderId)).collect::<StoreResult<_>>()?;
        let mut lines = self.order_lines(&ids).await?;
        let out = rows
            .iter()
            .map(|r| {
                let id = s(r, "id")?;
                let l = lines.iter_mut().find(|(o, _)| o.0 == id).map(|(_, l)| std::mem::take(l)).unwrap_or_default();
                order(r, l)
            })
            .collect::<StoreResult<_>>()?;
        Ok((out, total))
    }

    async fn order_lines(&self, ids: &[OrderId]) -> StoreResult<Vec<(OrderId, Vec<(SkuId, i64)>)>> {
        if ids.is_empty() {
            return Ok(vec![]);
        }
        let q = format!(
            "SELECT order_id, sku_id, qty FROM outbound_lines WHERE order_id IN ({}) ORDER BY order_id, sku_id",
            placeholders(1, ids.len())
        );
        let binds: Vec<Bind> = ids.iter().map(|i| Bind::S(i.0.clone())).collect();
        let rows = bind_all(sqlx::query(&q), &binds).fetch_all(&self.read).await?;
        let mut out: Vec<(OrderId, Vec<(SkuId, i64)>)> = ids.iter().map(|i| (i.clone(), vec![])).collect();
        for r in rows {
            let oid = s(&r, "order_id")?;
            if let Some(entry) = out.iter_mut().find(|(o, _)| o.0 == oid) {
                entry.1.push((SkuId(i(&r, "sku_id")?), i(&r, "qty")?));
            }
        }
        Ok(out)
    }

    /// Records a carrier booking (system side: the worker that booked it is not a tenant).
    pub async fn set_order_tracking(
        &self,
        id: &OrderId,
        tracking: &str,
        carrier: &str,
        label_path: &str,
    ) -> StoreResult<()> {
        let mut tx = self.begin().await?;
        let r = sqlx::query("UPDATE outbound_orders SET tracking_number = $1, carrier = $2, label_path = $3, updated_at = $4 WHERE id = $5")
            .bind(tracking)
            .bind(carrier)
            .bind(label_path)
            .bind(now_ms())
            .bind(&id.0)
            .execute(&mut *tx)
            .await?;
        if r.rows_affected() == 0 {
            return Err(CoreError::not_found("order", id).into());
        }
        events::record(
            &mut tx,
            None,
            "order.tracking",
            &id.0,
            &json!({"id": id, "tracking_number": tracking, "carrier": carrier}),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
}

async fn load(tx: &mut Transaction<'static, Any>, tenant: &ClientId, id: &OrderId) -> StoreResult<Option<OrderView>> {
    let row = sqlx::query(&format!("SELECT {COLS} FROM outbound_orders WHERE client_id = $1 AND id = $2"))
        .bind(&tenant.0)
        .bind(&id.0)
        .fetch_optional(&mut **tx)
        .await?;
    let Some(row) = row else { return Ok(None) };
    let lines = sqlx::query("SELECT sku_id, qty FROM outbound_lines WHERE order_id = $1 ORDER BY sku_id")
        .bind(&id.0)
        .fetch_all(&mut **tx)
        .await?
        .iter()
        .map(|r| Ok((SkuId(i(r, "sku_id")?), i(r, "qty")?)))
        .collect::<StoreResult<Vec<_>>>()?;
    order(&row, lines).map(Some)
}

/// Replaces numeric SKU ids in a stock error with the seller's SKU code the client knows.
fn label_skus(e: crate::StoreError, skus: &[entrepot_core::sku::Sku]) -> crate::StoreError {
    match e {
        crate::StoreError::Core(CoreError::InsufficientStock { sku, warehouse, requested, available }) => {
            let label = skus.iter().find(|s| s.id.to_string() == sku).map(|s| s.seller_sku.clone()).unwrap_or(sku);
            CoreError::InsufficientStock { sku: label, warehouse, requested, available }.into()
        }
        other => other,
    }
}
