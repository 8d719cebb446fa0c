//! Outbound orders on disk: the order as both dialects show it, draft editing, status changes
//! with their ledger effects, and the queries. Placing orders lives in [`place`] (deciding a
//! batch) and [`write`] (writing it in multi-row statements).

pub(crate) mod direct;
mod intercept;
mod place;
mod ship_days;
pub(crate) mod staged;
mod summary;
mod tracking;
mod write;

use std::collections::{BTreeMap, HashMap};

use entrepot_core::{
    balance::MoneyTransfer,
    compliance::OrderOptions,
    ids::{ClientId, OrderId, ServiceId, SkuId, WarehouseId},
    inventory::Transfer,
    money::{Currency, Money},
    outbound::{
        ledger_moves, plan_order, validate_draft, Customs, Effect, NewOutbound, OrderPlan, OutboundStatus,
        IDENTITY_REF_WINDOW_MS,
    },
    sale::LineSale,
    service::Service,
    sku::Sku,
    CoreError,
};
pub(crate) use place::Decided;
use serde_json::json;
use sqlx::{any::AnyRow, Any, Transaction};
pub(crate) use write::write_batch;

use crate::{
    booking::queue,
    engine::{
        bulk::{self, bind_all, placeholders, Val},
        clock::now_ms,
        exec::Tx,
        lookup::first_by_any_key,
        rows::{i, json, oi, os, parse, s, to_json},
        seq,
    },
    money,
    stock::{self, StockMove},
    webhook::outbox,
    Store, StoreError, StoreResult,
};
pub use entrepot_app::types::orders::{OrderFilter, OrderLine, OrderView};

const COLS: &str =
    "id, client_id, warehouse_id, service_id, reference, kind, identity_ref, sales_reference, attributes, \
     bird_id, oc_number, status, platform, platform_order_id, recipient, sender, customs, weight_g, volume_mm3, \
     chargeable_weight_g, currency, handling_fee, delivery_fee, tracking_number, carrier, cancel_reason, created_at, updated_at, \
     sales_price, sales_currency, due_date";

/// The `customs` column: an order's customs fields and its options, in one JSON document (the
/// options came later; a row without them has none).
#[derive(serde::Deserialize)]
struct CustomsColumn {
    #[serde(flatten)]
    customs: Customs,
    #[serde(default)]
    options: OrderOptions,
}

/// [`CustomsColumn`] as written, borrowing the order's fields.
#[derive(serde::Serialize)]
struct CustomsColumnRef<'a> {
    #[serde(flatten)]
    customs: &'a Customs,
    #[serde(skip_serializing_if = "is_none")]
    options: OrderOptions,
}

fn is_none(o: &OrderOptions) -> bool {
    *o == OrderOptions::default()
}

/// An order row's options, from its `customs` column.
pub(crate) fn order_options(row: &impl crate::engine::rows::Columns) -> StoreResult<OrderOptions> {
    Ok(json::<CustomsColumn>(row, "customs")?.options)
}

pub(crate) fn customs_column(customs: &Customs, options: OrderOptions) -> String {
    to_json(&CustomsColumnRef { customs, options })
}

/// An order line's columns, as [`line_row`] reads them.
const LINE_COLS: &str =
    "order_id, sku_id, qty, sales_price, sales_currency, ebay_transaction_id, ebay_item_no, owner_id";

/// A stored line: its SKU, quantity, platform sale and, for a shared SKU, its owner.
type Line = (SkuId, i64, LineSale, Option<ClientId>);

/// An amount and its currency from two columns; `None` when the amount is empty.
fn money_of(row: &AnyRow, amount: &str, currency: &str) -> StoreResult<Option<Money>> {
    let Some(minor) = oi(row, amount)? else { return Ok(None) };
    let currency = os(row, currency)?.unwrap_or_default();
    let currency = Currency::parse(&currency).map_err(|e| StoreError::Corrupt(format!("{currency}: {e}")))?;
    Ok(Some(Money::new(minor, currency)))
}

/// One row of [`LINE_COLS`].
fn line_row(r: &AnyRow) -> StoreResult<Line> {
    let sale = LineSale {
        sales_price: money_of(r, "sales_price", "sales_currency")?,
        ebay_transaction_id: os(r, "ebay_transaction_id")?,
        ebay_item_no: os(r, "ebay_item_no")?,
    };
    Ok((SkuId(i(r, "sku_id")?), i(r, "qty")?, sale, os(r, "owner_id")?.map(ClientId)))
}

fn order(row: &AnyRow, stored: Vec<Line>) -> StoreResult<OrderView> {
    let sender: Option<String> = os(row, "sender")?;
    let mut lines = Vec::with_capacity(stored.len());
    let mut line_sales = BTreeMap::new();
    let mut owners = BTreeMap::new();
    for (sku, qty, sale, owner) in stored {
        lines.push((sku, qty));
        if !sale.is_empty() {
            line_sales.insert(sku, sale);
        }
        if let Some(owner) = owner {
            owners.insert(sku, owner);
        }
    }
    let CustomsColumn { customs, options } = json(row, "customs")?;
    Ok(OrderView {
        id: OrderId(s(row, "id")?),
        client_id: ClientId(s(row, "client_id")?),
        warehouse_id: WarehouseId(s(row, "warehouse_id")?),
        service_id: ServiceId(s(row, "service_id")?),
        reference: s(row, "reference")?,
        kind: parse(row, "kind")?,
        identity_ref: os(row, "identity_ref")?,
        sales_reference: os(row, "sales_reference")?,
        attributes: json(row, "attributes")?,
        bird_id: i(row, "bird_id")?,
        oc_number: s(row, "oc_number")?,
        status: parse(row, "status")?,
        platform: os(row, "platform")?,
        platform_order_id: os(row, "platform_order_id")?,
        recipient: json(row, "recipient")?,
        sender: sender
            .map(|t| serde_json::from_str(&t))
            .transpose()
            .map_err(|e| StoreError::Corrupt(format!("sender: {e}")))?,
        customs,
        options,
        lines,
        weight_g: i(row, "weight_g")?,
        volume_mm3: i(row, "volume_mm3")?,
        chargeable_weight_g: i(row, "chargeable_weight_g")?,
        currency: s(row, "currency")?,
        handling_fee: i(row, "handling_fee")?,
        delivery_fee: i(row, "delivery_fee")?,
        tracking_number: os(row, "tracking_number")?,
        carrier: os(row, "carrier")?,
        cancel_reason: os(row, "cancel_reason")?,
        sales_price: money_of(row, "sales_price", "sales_currency")?,
        line_sales,
        owners,
        due_date: os(row, "due_date")?,
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
    skus: &[Sku],
) -> StoreResult<()> {
    let stock_moves = if o.kind.uses_stock() { ledger_moves(&o.lines, effect)? } else { vec![] };
    if !stock_moves.is_empty() {
        announce_shared_stock(&mut Tx::from(&mut *tx), o, wh_code).await?;
    }
    let pack = entrepot_core::location::default_id(&o.warehouse_id, entrepot_core::location::PACK);
    for (sku, transfer) in stock_moves {
        let label = skus.iter().find(|s| s.id == sku).map(|s| s.seller_sku.clone()).unwrap_or_else(|| sku.to_string());
        let owner = o.owner_of(sku);
        let m = |transfer| StockMove {
            client: owner,
            sku,
            warehouse: &o.warehouse_id,
            transfer,
            doc_kind: "outbound",
            doc_id: &o.oc_number,
            note: None,
            for_client: (owner != &o.client_id).then_some(&o.client_id),
        };
        // Units picked for the order wait in PACK: shipping takes them from there.
        let picked = if effect == Effect::Consume { picked_units(tx, o, sku).await?.min(transfer.qty) } else { 0 };
        if picked > 0 {
            let from_pack = Transfer { qty: picked, ..transfer };
            let at = stock::At { from: Some(&pack), to: None };
            stock::apply_at(&mut Tx::from(&mut *tx), m(from_pack), at, &label, wh_code).await?;
        }
        if transfer.qty > picked {
            let rest = Transfer { qty: transfer.qty - picked, ..transfer };
            stock::apply(&mut Tx::from(&mut *tx), m(rest), &label, wh_code).await?;
        }
    }
    let fee = o.checked_total_fee()?;
    // What was held at submission, when packing re-rated the order since.
    let held = match effect {
        Effect::Release | Effect::Consume => fee_held(tx, o).await?.unwrap_or(fee),
        _ => fee,
    };
    type Make = fn(i64) -> entrepot_core::CoreResult<MoneyTransfer>;
    let mut moves: Vec<(Make, i64)> = vec![];
    match effect {
        Effect::None => {}
        Effect::Reserve => moves.push((MoneyTransfer::hold, fee)),
        Effect::Release => moves.push((MoneyTransfer::release, held)),
        Effect::Consume => {
            // The difference between the fee re-rated at packing and the one held is settled
            // now: held more, released; held less, held first. Then the fee is charged.
            moves.push((MoneyTransfer::release, held - fee));
            moves.push((MoneyTransfer::hold, fee - held));
            moves.push((MoneyTransfer::charge, fee));
        }
    }
    for (make, amount) in moves {
        if amount > 0 {
            money::apply(tx, &o.client_id, &o.currency, &make(amount)?, "outbound", &o.oc_number).await?;
        }
    }
    Ok(())
}

/// Tells the owners of shared SKUs on `o`, another client's order, that their stock changed
/// (a `stock.changed` of theirs per SKU, so their webhooks hear of it): the order's own events
/// go to the order's client only.
pub(crate) async fn announce_shared_stock(tx: &mut Tx<'_>, o: &OrderView, wh_code: &str) -> StoreResult<()> {
    let mut by_owner: BTreeMap<&ClientId, Vec<(String, serde_json::Value)>> = BTreeMap::new();
    for (sku, owner) in o.owners.iter().filter(|(_, owner)| **owner != o.client_id) {
        let payload = json!({"sku_id": sku, "warehouse": wh_code, "for_client": o.client_id, "order_id": o.id});
        by_owner.entry(owner).or_default().push((sku.to_string(), payload));
    }
    for (owner, items) in by_owner {
        outbox::record_many(tx, Some(owner), "stock.changed", items).await?;
    }
    Ok(())
}

/// Units of `sku` picked for `o` (waiting in PACK).
async fn picked_units(tx: &mut Transaction<'static, Any>, o: &OrderView, sku: SkuId) -> StoreResult<i64> {
    let row = sqlx::query(
        "SELECT CAST(COALESCE(SUM(picked), 0) AS BIGINT) AS n FROM picks WHERE order_id = $1 AND sku_id = $2",
    )
    .bind(&o.id.0)
    .bind(sku.0)
    .fetch_one(&mut **tx)
    .await?;
    i(&row, "n")
}

/// The fee held at submission, when packing changed the order's fee since.
async fn fee_held(tx: &mut Transaction<'static, Any>, o: &OrderView) -> StoreResult<Option<i64>> {
    let row =
        sqlx::query("SELECT fee_held FROM outbound_orders WHERE id = $1").bind(&o.id.0).fetch_one(&mut **tx).await?;
    oi(&row, "fee_held")
}

/// Claims an identity reference for 6 months; refuses one claimed more recently.
async fn claim_identity(tx: &mut Transaction<'static, Any>, o: &OrderView, now: i64) -> StoreResult<()> {
    let Some(r) = o.identity_ref.as_deref().map(str::trim).filter(|r| !r.is_empty()) else { return Ok(()) };
    let row = sqlx::query(
        "INSERT INTO identity_refs (client_id, kind, warehouse_id, ref, order_id, created_at) VALUES ($1, $2, $3, $4, $5, $6) \
         ON CONFLICT (client_id, kind, warehouse_id, ref) DO UPDATE SET order_id = excluded.order_id, created_at = excluded.created_at \
         WHERE identity_refs.created_at < $7 RETURNING order_id",
    )
    .bind(&o.client_id.0)
    .bind(o.kind.as_str())
    .bind(&o.warehouse_id.0)
    .bind(r)
    .bind(&o.id.0)
    .bind(now)
    .bind(now - IDENTITY_REF_WINDOW_MS)
    .fetch_optional(&mut **tx)
    .await?;
    if row.is_none() {
        return Err(CoreError::Duplicate { what: "consignment identity reference", key: r.to_owned() }.into());
    }
    Ok(())
}

/// Writes the plan's physical facts and fees onto the order.
fn apply_plan(o: &mut OrderView, plan: &OrderPlan, service: &Service) {
    o.lines = plan.lines.clone();
    o.weight_g = plan.parcel.weight_g;
    o.volume_mm3 = plan.parcel.volume_mm3;
    o.chargeable_weight_g = plan.quote.chargeable_weight_g;
    o.currency =
        if plan.quote.currency.is_empty() { service.rates.currency.clone() } else { plan.quote.currency.clone() };
    o.handling_fee = plan.quote.handling;
    o.delivery_fee = plan.quote.delivery;
}

fn merge_lines(lines: &[(SkuId, i64)]) -> Vec<(SkuId, i64)> {
    let mut merged: BTreeMap<SkuId, i64> = BTreeMap::new();
    for (sku, qty) in lines {
        // Saturating: the order's lines are validated (each within the quantity bound) next.
        let total = merged.entry(*sku).or_default();
        *total = total.saturating_add(*qty);
    }
    merged.into_iter().collect()
}

impl Store {
    /// Orders by id, of any tenant, with their lines: two queries through primary keys. Not
    /// `list_orders` by Bird id: SQLite's planner, whose statistics may date from an empty table,
    /// can answer that by reading every order of the tenant.
    pub(crate) async fn orders_by_id(&self, ids: &[OrderId]) -> StoreResult<HashMap<OrderId, OrderView>> {
        let mut out = HashMap::with_capacity(ids.len());
        for chunk in ids.chunks(bulk::MAX_ROWS) {
            // A claim reads up to 500 orders: one array on PostgreSQL, anonymous placeholders on
            // SQLite (see `engine::bulk`).
            let ids: Vec<&str> = chunk.iter().map(|id| id.0.as_str()).collect();
            let (list, vals) = bulk::any_of(&mut bulk::Ph::on(self.backend), &ids);
            let mut lines: HashMap<String, Vec<Line>> = HashMap::new();
            let q = format!("SELECT {LINE_COLS} FROM outbound_lines WHERE order_id {list} ORDER BY order_id, sku_id");
            for r in bulk::bind(sqlx::query(&q), vals.clone()).fetch_all(&self.read).await? {
                lines.entry(s(&r, "order_id")?).or_default().push(line_row(&r)?);
            }
            let q = format!("SELECT {COLS} FROM outbound_orders WHERE id {list}");
            for r in bulk::bind(sqlx::query(&q), vals).fetch_all(&self.read).await? {
                let o = order(&r, lines.remove(&s(&r, "id")?).unwrap_or_default())?;
                out.insert(o.id.clone(), o);
            }
        }
        Ok(out)
    }

    /// The SKUs of an order's lines: its client's, and those of the owners of shared lines (the
    /// order's line is the proof of access, checked when it was written).
    pub(crate) async fn order_skus(&self, o: &OrderView) -> StoreResult<Vec<Sku>> {
        let mut out = vec![];
        for (owner, ids) in OrderView::skus_by_owner([o]) {
            out.extend(self.skus_by_ids(owner, &ids).await?);
        }
        out.sort_by_key(|s| s.id);
        Ok(out)
    }

    /// Changes a draft's recipient, service and references.
    pub async fn update_draft(
        &self,
        tenant: &ClientId,
        id: &OrderId,
        new: NewOutbound,
        service: &ServiceId,
    ) -> StoreResult<OrderView> {
        let svc = self.cached_service(service).await?;
        let wh = self.cached_warehouse(&svc.warehouse_id).await?;
        validate_draft(&new, &wh, &svc)?;
        let mut tx = self.begin().await?;
        let mut o = load(&mut tx, tenant, id).await?.ok_or_else(|| CoreError::not_found("order", id))?;
        if o.status != OutboundStatus::Draft {
            return Err(CoreError::Conflict(format!(
                "order {} is {} and can no longer be edited",
                o.bird_id, o.status
            ))
            .into());
        }
        let now = now_ms();
        let new_ref = new.identity_ref.as_deref().map(str::trim).filter(|r| !r.is_empty()).map(str::to_owned);
        let ref_changed = new_ref != o.identity_ref || new.kind != o.kind || wh.id != o.warehouse_id;
        o.service_id = svc.id.clone();
        o.warehouse_id = wh.id.clone();
        o.kind = new.kind;
        o.identity_ref = new_ref;
        o.sales_reference = new.sales_reference;
        o.attributes = new.attributes;
        o.platform = new.platform;
        o.platform_order_id = new.platform_order_id;
        o.recipient = new.recipient;
        o.sender = new.sender;
        o.customs = new.customs;
        o.options = new.options;
        o.sales_price = new.sales_price;
        o.currency = svc.rates.currency.clone();
        o.updated_at_ms = now;
        if ref_changed {
            claim_identity(&mut tx, &o, now).await?;
        }
        sqlx::query(
            "UPDATE outbound_orders SET service_id = $1, warehouse_id = $2, kind = $3, identity_ref = $4, sales_reference = $5, \
             attributes = $6, platform = $7, platform_order_id = $8, recipient = $9, sender = $10, customs = $11, currency = $12, \
             updated_at = $13, sales_price = $16, sales_currency = $17 WHERE id = $14 AND client_id = $15 AND status = 'DRAFT'",
        )
        .bind(&o.service_id.0)
        .bind(&o.warehouse_id.0)
        .bind(o.kind.as_str())
        .bind(o.identity_ref.clone())
        .bind(o.sales_reference.clone())
        .bind(to_json(&o.attributes))
        .bind(o.platform.clone())
        .bind(o.platform_order_id.clone())
        .bind(to_json(&o.recipient))
        .bind(o.sender.as_ref().map(to_json))
        .bind(customs_column(&o.customs, o.options))
        .bind(&o.currency)
        .bind(now)
        .bind(&o.id.0)
        .bind(&tenant.0)
        .bind(o.sales_price.as_ref().map(|m| m.minor))
        .bind(o.sales_price.as_ref().map(|m| m.currency.as_str().to_owned()))
        .execute(&mut *tx)
        .await?;
        outbox::record(&mut Tx::from(&mut tx), Some(tenant), "order.updated", &o.id.0, &json!({"id": o.id})).await?;
        tx.commit().await?;
        Ok(o)
    }

    /// Adds a product to a draft (quantities of the same SKU add up).
    pub async fn add_order_line(
        &self,
        tenant: &ClientId,
        id: &OrderId,
        sku: SkuId,
        qty: i64,
        sale: LineSale,
    ) -> StoreResult<OrderLine> {
        if qty <= 0 {
            return Err(CoreError::invalid("quantity", "must be positive").into());
        }
        sale.validate()?;
        // The tenant's own SKU, or another client's shared with it (whose stock the line takes).
        let owner = match self.sku(tenant, sku).await {
            Ok(_) => None,
            Err(StoreError::Core(CoreError::NotFound { .. })) => {
                let shared = self.skus_shared_with(tenant, &[sku]).await?;
                Some(shared.into_iter().next().ok_or_else(|| CoreError::not_found("SKU", sku))?.client_id)
            }
            Err(e) => return Err(e),
        };
        let mut tx = self.begin().await?;
        let o = load(&mut tx, tenant, id).await?.ok_or_else(|| CoreError::not_found("order", id))?;
        if o.status != OutboundStatus::Draft {
            return Err(CoreError::Conflict(format!(
                "order {} is {}; products can only be added before submission",
                o.bird_id, o.status
            ))
            .into());
        }
        if owner.is_some() && !o.kind.uses_stock() {
            return Err(CoreError::invalid(
                "product_id",
                format!("SKU {sku} is another client's shared product: only orders shipped from stock may use it"),
            )
            .into());
        }
        // A second mention of the SKU adds to its line; its sale must agree with the first's.
        let mut merged = o.line_sales.get(&sku).cloned().unwrap_or_default();
        merged.merge(sale, sku)?;
        let line_id = seq::next(&mut Tx::from(&mut tx), "order_line", 1).await?;
        let row = sqlx::query(
            "INSERT INTO outbound_lines (order_id, sku_id, qty, line_id, sales_price, sales_currency, ebay_transaction_id, ebay_item_no, owner_id) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) \
             ON CONFLICT (order_id, sku_id) DO UPDATE SET qty = outbound_lines.qty + excluded.qty, \
             sales_price = excluded.sales_price, sales_currency = excluded.sales_currency, \
             ebay_transaction_id = excluded.ebay_transaction_id, ebay_item_no = excluded.ebay_item_no RETURNING line_id, qty",
        )
        .bind(&id.0)
        .bind(sku.0)
        .bind(qty)
        .bind(line_id)
        .bind(merged.sales_price.as_ref().map(|m| m.minor))
        .bind(merged.sales_price.as_ref().map(|m| m.currency.as_str().to_owned()))
        .bind(merged.ebay_transaction_id.clone())
        .bind(merged.ebay_item_no.clone())
        .bind(owner.as_ref().map(|c| c.0.clone()))
        .fetch_one(&mut *tx)
        .await?;
        let line = OrderLine {
            line_id: i(&row, "line_id")?,
            order_id: id.clone(),
            sku_id: sku,
            qty: i(&row, "qty")?,
            sale: merged,
            owner,
        };
        sqlx::query("UPDATE outbound_orders SET updated_at = $1, units = units + $2 WHERE id = $3")
            .bind(now_ms())
            .bind(qty)
            .bind(&id.0)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(line)
    }

    /// Removes a product line from a draft.
    pub async fn remove_order_line(&self, tenant: &ClientId, line_id: i64) -> StoreResult<()> {
        let mut tx = self.begin().await?;
        let row = sqlx::query(
            "SELECT l.order_id, l.qty, o.status FROM outbound_lines l JOIN outbound_orders o ON o.id = l.order_id \
             WHERE l.line_id = $1 AND o.client_id = $2",
        )
        .bind(line_id)
        .bind(&tenant.0)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or_else(|| CoreError::not_found("consignment product", line_id))?;
        let status: OutboundStatus = parse(&row, "status")?;
        if status != OutboundStatus::Draft {
            return Err(CoreError::Conflict(format!(
                "the order is {status}; products can only be removed before submission"
            ))
            .into());
        }
        sqlx::query("DELETE FROM outbound_lines WHERE line_id = $1").bind(line_id).execute(&mut *tx).await?;
        sqlx::query("UPDATE outbound_orders SET units = units - $1 WHERE id = $2")
            .bind(i(&row, "qty")?)
            .bind(s(&row, "order_id")?)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The lines of one of the tenant's orders.
    pub async fn order_lines(&self, tenant: &ClientId, id: &OrderId) -> StoreResult<Vec<OrderLine>> {
        let rows = sqlx::query(
            "SELECT l.line_id, l.order_id, l.sku_id, l.qty, l.sales_price, l.sales_currency, l.ebay_transaction_id, l.ebay_item_no, l.owner_id \
             FROM outbound_lines l JOIN outbound_orders o ON o.id = l.order_id \
             WHERE o.client_id = $1 AND l.order_id = $2 ORDER BY l.line_id",
        )
        .bind(&tenant.0)
        .bind(&id.0)
        .fetch_all(&self.read)
        .await?;
        rows.iter()
            .map(|r| {
                let (sku_id, qty, sale, owner) = line_row(r)?;
                Ok(OrderLine {
                    line_id: oi(r, "line_id")?.unwrap_or(0),
                    order_id: OrderId(s(r, "order_id")?),
                    sku_id,
                    qty,
                    sale,
                    owner,
                })
            })
            .collect()
    }

    /// Moves an order to `to`, applying its ledger effect. Submitting a draft re-plans it (its
    /// products may have changed); clients may cancel only before picking starts.
    pub async fn transition_order(
        &self,
        tenant: &ClientId,
        id: &OrderId,
        to: OutboundStatus,
    ) -> StoreResult<OrderView> {
        let mut done = self.transition_orders(tenant, std::slice::from_ref(id), to).await?;
        done.pop().ok_or_else(|| StoreError::Corrupt("no order moved".into()))
    }

    /// Cancels an order as [`Self::transition_order`] does and keeps the client's `reason` with
    /// it, in the same transaction.
    pub async fn cancel_order(&self, tenant: &ClientId, id: &OrderId, reason: Option<&str>) -> StoreResult<OrderView> {
        let mut tx = self.begin().await?;
        let mut o = self.transition_in(&mut tx, tenant, id, OutboundStatus::Cancelled).await?;
        if let Some(r) = reason {
            sqlx::query("UPDATE outbound_orders SET cancel_reason = $1 WHERE id = $2 AND client_id = $3")
                .bind(r)
                .bind(&o.id.0)
                .bind(&tenant.0)
                .execute(&mut *tx)
                .await?;
            o.cancel_reason = Some(r.to_owned());
        }
        tx.commit().await?;
        Ok(o)
    }

    /// Moves several orders in one transaction: all of them, or none.
    pub async fn transition_orders(
        &self,
        tenant: &ClientId,
        ids: &[OrderId],
        to: OutboundStatus,
    ) -> StoreResult<Vec<OrderView>> {
        let mut tx = self.begin().await?;
        let mut out = Vec::with_capacity(ids.len());
        for id in ids {
            out.push(self.transition_in(&mut tx, tenant, id, to).await?);
        }
        tx.commit().await?;
        Ok(out)
    }

    pub(crate) async fn transition_in(
        &self,
        tx: &mut Transaction<'static, Any>,
        tenant: &ClientId,
        id: &OrderId,
        to: OutboundStatus,
    ) -> StoreResult<OrderView> {
        self.transition_as(tx, tenant, id, to, false).await
    }

    /// [`Self::transition_in`]; `staff` may also make the moves only staff may
    /// ([`OutboundStatus::staff_only`]).
    pub(crate) async fn transition_as(
        &self,
        tx: &mut Transaction<'static, Any>,
        tenant: &ClientId,
        id: &OrderId,
        to: OutboundStatus,
        staff: bool,
    ) -> StoreResult<OrderView> {
        let mut o = load(tx, tenant, id).await?.ok_or_else(|| CoreError::not_found("order", id))?;
        if o.kind == entrepot_core::outbound::OrderKind::Return
            && crate::returns::was_received(&mut Tx::from(&mut *tx), &o.id).await?
        {
            return Err(CoreError::Conflict(format!(
                "return {} was received by the warehouse; its status follows the return's processing",
                o.bird_id
            ))
            .into());
        }
        let from = o.status;
        if from.staff_only(to) && !staff {
            let why = if to == OutboundStatus::Cancelled {
                format!("order {} cannot be cancelled: it is {} and picking has started", o.oc_number, from)
            } else {
                format!("order {} is {}: only the warehouse puts it back onto the floor", o.oc_number, from)
            };
            return Err(CoreError::Conflict(why).into());
        }
        let effect = from.transition(to, &o.bird_id.to_string())?;
        let svc = self.cached_service(&o.service_id).await?;
        let wh = self.cached_warehouse(&o.warehouse_id).await?;
        let skus = self.order_skus(&o).await?;
        if from == OutboundStatus::Draft && to == OutboundStatus::Submitted {
            if o.lines.is_empty() {
                return Err(CoreError::EmptyOrder { order: o.bird_id.to_string() }.into());
            }
            let plan = plan_order(&o.as_new(), &wh, &svc, &skus)?;
            apply_plan(&mut o, &plan, &svc);
            sqlx::query(
                "UPDATE outbound_orders SET weight_g = $1, volume_mm3 = $2, chargeable_weight_g = $3, currency = $4, \
                 handling_fee = $5, delivery_fee = $6 WHERE id = $7",
            )
            .bind(o.weight_g)
            .bind(o.volume_mm3)
            .bind(o.chargeable_weight_g)
            .bind(&o.currency)
            .bind(o.handling_fee)
            .bind(o.delivery_fee)
            .bind(&o.id.0)
            .execute(&mut **tx)
            .await?;
            o.due_date = Some(due_date(&wh, now_ms())?);
            sqlx::query("UPDATE outbound_orders SET due_date = $1 WHERE id = $2")
                .bind(&o.due_date)
                .bind(&o.id.0)
                .execute(&mut **tx)
                .await?;
        }
        apply_effect(tx, &o, effect, &wh.code, &skus).await?;
        let now = now_ms();
        let r = sqlx::query(
            "UPDATE outbound_orders SET status = $1, updated_at = $2 WHERE id = $3 AND client_id = $4 AND status = $5",
        )
        .bind(to.as_str())
        .bind(now)
        .bind(&o.id.0)
        .bind(&tenant.0)
        .bind(from.as_str())
        .execute(&mut **tx)
        .await?;
        if r.rows_affected() != 1 {
            return Err(CoreError::Conflict(format!("order {} changed concurrently; try again", o.oc_number)).into());
        }
        if to == OutboundStatus::Shipped {
            sqlx::query("UPDATE outbound_orders SET shipped_at = $1 WHERE id = $2")
                .bind(now)
                .bind(&o.id.0)
                .execute(&mut **tx)
                .await?;
            if let (Some(day), Some(on_time)) = (&o.due_date, ship_days::on_time(&wh, o.due_date.as_deref(), now)) {
                ship_days::add(&mut Tx::from(&mut *tx), tenant, day, on_time).await?;
            }
        }
        o.status = to;
        o.updated_at_ms = now;
        queue::follow(&mut Tx::from(&mut *tx), &o, now).await?;
        outbox::record(
            &mut Tx::from(&mut *tx),
            Some(tenant),
            "order.status",
            &o.id.0,
            &json!({"id": o.id, "from": from.as_str(), "to": to.as_str()}),
        )
        .await?;
        Ok(o)
    }

    /// One of the tenant's orders by internal id, Bird id, OC number or reference.
    pub async fn find_order(&self, tenant: &ClientId, key: &str) -> StoreResult<OrderView> {
        let bird: i64 = key.trim().parse().unwrap_or(-1);
        let row = sqlx::query(&first_by_any_key(
            &format!("SELECT {COLS} FROM outbound_orders"),
            "client_id = $1 AND ",
            &["id = $2", "oc_number = $2", "reference = $2", "bird_id = $3"],
        ))
        .bind(&tenant.0)
        .bind(key.trim())
        .bind(bird)
        .fetch_optional(&self.read)
        .await?;
        let Some(row) = row else { return Err(CoreError::not_found("order", key).into()) };
        let mut lines = self.lines_of(&[OrderId(s(&row, "id")?)]).await?;
        order(&row, lines.pop().map(|(_, l)| l).unwrap_or_default())
    }

    /// The tenant's orders matching `f`, newest first, with the total count.
    pub async fn list_orders(&self, tenant: &ClientId, f: &OrderFilter) -> StoreResult<(Vec<OrderView>, i64)> {
        let mut cond = vec!["client_id = $1".to_owned()];
        let mut binds = vec![Val::S(tenant.0.clone())];
        let mut add = |template: &str, vals: Vec<Val>| {
            cond.push(template.replace("{}", &placeholders(binds.len() + 1, vals.len())));
            binds.extend(vals);
        };
        if !f.bird_ids.is_empty() {
            add("bird_id IN ({})", f.bird_ids.iter().map(|v| Val::I(*v)).collect());
        }
        if !f.oc_numbers.is_empty() {
            add("oc_number IN ({})", f.oc_numbers.iter().map(|v| Val::S(v.clone())).collect());
        }
        if !f.references.is_empty() {
            add("reference IN ({})", f.references.iter().map(|v| Val::S(v.clone())).collect());
        }
        if !f.statuses.is_empty() {
            add("status IN ({})", f.statuses.iter().map(|v| Val::S(v.as_str().to_owned())).collect());
        }
        if !f.platform_order_ids.is_empty() {
            add("platform_order_id IN ({})", f.platform_order_ids.iter().map(|v| Val::S(v.clone())).collect());
        }
        if let Some(k) = f.kind {
            add("kind = {}", vec![Val::S(k.as_str().to_owned())]);
        }
        if let Some(w) = &f.warehouse {
            add("warehouse_id = {}", vec![Val::S(w.0.clone())]);
        }
        // Bird's references are searched as its MySQL compares them, without regard to case.
        if let Some(v) = &f.sales_reference {
            add(&bulk::any_case_eq("sales_reference"), vec![Val::S(v.clone())]);
        }
        if let Some(v) = &f.identity_ref {
            add(&bulk::any_case_eq("identity_ref"), vec![Val::S(v.clone())]);
        }
        if let Some(v) = &f.tracking_number {
            add(&bulk::any_case_eq("tracking_number"), vec![Val::S(v.clone())]);
        }
        if let Some(v) = f.created_from_ms {
            add("created_at >= {}", vec![Val::I(v)]);
        }
        if let Some(v) = f.created_to_ms {
            add("created_at <= {}", vec![Val::I(v)]);
        }
        let cond = cond.join(" AND ");
        let count_q = if f.count_cap > 0 {
            format!(
                "SELECT COUNT(*) AS n FROM (SELECT 1 FROM outbound_orders WHERE {cond} LIMIT {}) AS capped",
                f.count_cap
            )
        } else {
            format!("SELECT COUNT(*) AS n FROM outbound_orders WHERE {cond}")
        };
        let total = i(&bind_all(sqlx::query(&count_q), &binds).fetch_one(&self.read).await?, "n")?;
        if total == 0 {
            return Ok((vec![], 0));
        }
        let limit = if f.limit <= 0 { i64::MAX } else { f.limit };
        // When the count says the page holds every match, no LIMIT: with one, a planner that
        // thinks a rare filter (a tracking number nobody has) common walks the client's orders
        // newest first looking for matches, a million rows for a search that finds one.
        let exact = f.count_cap <= 0 || total < f.count_cap;
        let bound = if f.offset <= 0 && exact && total <= limit {
            String::new()
        } else {
            format!(" LIMIT {limit} OFFSET {}", f.offset.max(0))
        };
        let page_q =
            format!("SELECT {COLS} FROM outbound_orders WHERE {cond} ORDER BY created_at DESC, id DESC{bound}");
        let rows = bind_all(sqlx::query(&page_q), &binds).fetch_all(&self.read).await?;
        let ids: Vec<OrderId> = rows.iter().map(|r| s(r, "id").map(OrderId)).collect::<StoreResult<_>>()?;
        let mut lines: HashMap<OrderId, Vec<Line>> = self.lines_of(&ids).await?.into_iter().collect();
        let out = rows
            .iter()
            .map(|r| {
                let id = OrderId(s(r, "id")?);
                order(r, lines.remove(&id).unwrap_or_default())
            })
            .collect::<StoreResult<_>>()?;
        Ok((out, total))
    }

    /// See [`entrepot_app::ports::OrderPort::staff_queue`].
    pub async fn staff_queue(
        &self,
        warehouse: &WarehouseId,
        limit: i64,
    ) -> StoreResult<Vec<entrepot_app::types::orders::StaffQueueItem>> {
        let q = format!(
            // Two index lookups (by state, by intercept) rather than an OR that reads every order
            // of the warehouse.
            "SELECT {COLS}, intercept AS queue_intercept FROM outbound_orders WHERE id IN ( \
             SELECT id FROM outbound_orders WHERE warehouse_id = $1 AND status = 'EXCEPTION' UNION \
             SELECT id FROM outbound_orders WHERE warehouse_id = $1 AND intercept = 'REQUESTED') \
             ORDER BY updated_at, id LIMIT {}",
            limit.clamp(1, 500)
        );
        let rows = sqlx::query(&q).bind(&warehouse.0).fetch_all(&self.read).await?;
        let ids: Vec<OrderId> = rows.iter().map(|r| s(r, "id").map(OrderId)).collect::<StoreResult<_>>()?;
        let mut lines: HashMap<OrderId, Vec<Line>> = self.lines_of(&ids).await?.into_iter().collect();
        rows.iter()
            .map(|r| {
                let id = OrderId(s(r, "id")?);
                Ok(entrepot_app::types::orders::StaffQueueItem {
                    order: order(r, lines.remove(&id).unwrap_or_default())?,
                    intercept_requested: os(r, "queue_intercept")?.as_deref() == Some("REQUESTED"),
                })
            })
            .collect()
    }

    async fn lines_of(&self, ids: &[OrderId]) -> StoreResult<Vec<(OrderId, Vec<Line>)>> {
        let mut out: Vec<(OrderId, Vec<Line>)> = ids.iter().map(|i| (i.clone(), vec![])).collect();
        // Where each order's lines go: a page of `limit=-1` can hold every order of a client.
        let at: HashMap<&str, usize> = ids.iter().enumerate().map(|(k, id)| (id.0.as_str(), k)).collect();
        for chunk in ids.chunks(500) {
            let q = format!(
                "SELECT {LINE_COLS} FROM outbound_lines WHERE order_id IN ({}) ORDER BY order_id, sku_id",
                placeholders(1, chunk.len())
            );
            let binds: Vec<Val> = chunk.iter().map(|i| Val::S(i.0.clone())).collect();
            for r in bind_all(sqlx::query(&q), &binds).fetch_all(&self.read).await? {
                let oid = s(&r, "order_id")?;
                if let Some(&k) = at.get(oid.as_str()) {
                    out[k].1.push(line_row(&r)?);
                }
            }
        }
        Ok(out)
    }
}

/// Attributes a domain error to a batch line; other errors pass through.
/// The day an order submitted at `at_ms` is due to leave warehouse `wh`, as stored.
pub(crate) fn due_date(wh: &entrepot_core::company::Warehouse, at_ms: i64) -> StoreResult<String> {
    let at = jiff::Timestamp::from_millisecond(at_ms).map_err(|e| StoreError::Corrupt(format!("clock: {e}")))?;
    Ok(wh.due_date(at)?.to_string())
}

fn at_line(e: StoreError, line: usize) -> StoreError {
    match e {
        StoreError::Core(c) => StoreError::Core(c.at_line(line)),
        other => other,
    }
}

pub(crate) async fn load(
    tx: &mut Transaction<'static, Any>,
    tenant: &ClientId,
    id: &OrderId,
) -> StoreResult<Option<OrderView>> {
    let row = sqlx::query(&format!("SELECT {COLS} FROM outbound_orders WHERE client_id = $1 AND id = $2"))
        .bind(&tenant.0)
        .bind(&id.0)
        .fetch_optional(&mut **tx)
        .await?;
    let Some(row) = row else { return Ok(None) };
    let lines = sqlx::query(&format!("SELECT {LINE_COLS} FROM outbound_lines WHERE order_id = $1 ORDER BY sku_id"))
        .bind(&id.0)
        .fetch_all(&mut **tx)
        .await?
        .iter()
        .map(line_row)
        .collect::<StoreResult<Vec<_>>>()?;
    order(&row, lines).map(Some)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use sqlx::Row as _;

    use crate::engine::bulk;

    /// The case-blind reference search stays an index lookup (migration 20).
    #[tokio::test]
    async fn references_are_searched_without_case_through_their_index() {
        let db = entrepot_testkit::TestDb::new(entrepot_testkit::Backend::Sqlite).await;
        let store = crate::Store::open(&db.url).await.unwrap();
        for (column, index) in
            [("sales_reference", "outbound_sales_reference"), ("identity_ref", "outbound_identity_ref")]
        {
            let cond = bulk::any_case_eq(column).replace("{}", "$2");
            let sql = format!("EXPLAIN QUERY PLAN SELECT id FROM outbound_orders WHERE client_id = $1 AND {cond}");
            let plan = sqlx::query(&sql).bind("c").bind("Ref").fetch_all(&store.read).await.unwrap();
            let plan: Vec<String> = plan.iter().map(|r| r.try_get::<String, _>("detail").unwrap()).collect();
            assert!(
                plan.iter().any(|d| d.starts_with("SEARCH") && d.contains(index) && d.contains("<expr>=?")),
                "{column}: {plan:?}"
            );
        }
    }
}
