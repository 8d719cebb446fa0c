//! Writing a decided batch of orders in a handful of multi-row statements: numbers, identity
//! claims, order rows, stock reservations and fee holds (one conditional update per SKU and
//! warehouse, and per currency, for the whole batch), lines and outbox events.
//!
//! All-or-nothing and naming the line stay as they were when every order was written on its own:
//! no step that can refuse raises an SQL error (claims and order rows use `ON CONFLICT`, the
//! balances conditional updates), so every step runs, each reports the first line it refuses,
//! and the earliest (line, step) wins, which is the refusal writing the orders one by one would
//! have met first. The caller's transaction is then dropped, rolling everything back.

use std::collections::{BTreeMap, HashSet};

use entrepot_core::{
    balance::MoneyTransfer,
    ids::{bird_consignment_id, oc_outbound_number},
    outbound::{ledger_moves, Effect, IDENTITY_REF_WINDOW_MS},
    sku::Sku,
    CoreError,
};
use serde_json::json;

use super::{place::Decided, OrderView};
use crate::{
    booking::queue,
    engine::{
        bulk::{self, Val},
        exec::Tx,
        rows::to_json,
        seq,
    },
    money,
    stock::{self, BatchMove},
    webhook::outbox,
    StoreError, StoreResult,
};

/// The steps of writing an order, in the order a one-by-one write met their refusals.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Step {
    Identity,
    Order,
    Stock,
    Money,
}

/// The earliest refusal met so far, by 0-based row and step.
#[derive(Default)]
struct Refusal(Option<(usize, Step, CoreError)>);

impl Refusal {
    fn note(&mut self, row: usize, step: Step, e: CoreError) {
        if self.0.as_ref().is_none_or(|(r, s, _)| (row, step) < (*r, *s)) {
            self.0 = Some((row, step, e));
        }
    }
}

/// Writes decided orders inside `tx`: numbers, identity-reference claims, rows, lines, and (to
/// submit) reservations, fee holds and places in the booking queue; an error names its 1-based
/// line.
pub(crate) async fn write_batch(tx: &mut Tx<'_>, d: &mut Decided, skus: &[Sku], submit: bool) -> StoreResult<()> {
    if d.orders.is_empty() {
        return Ok(());
    }
    number(tx, d).await?;
    let now = d.now;
    let mut refusal = Refusal::default();
    if let Some((k, e)) = claim_identities(tx, &d.orders, now).await? {
        refusal.note(k, Step::Identity, e);
    }
    if let Some((k, e)) = insert_orders(tx, &d.orders).await? {
        refusal.note(k, Step::Order, e);
    }
    if submit {
        if let Some((k, e)) = reserve_stock(tx, d, skus).await? {
            refusal.note(k, Step::Stock, e);
        }
        if let Some((k, e)) = hold_fees(tx, &d.orders).await? {
            refusal.note(k, Step::Money, e);
        }
    }
    if let Some((k, _, e)) = refusal.0 {
        return Err(StoreError::Core(e.at_line(k + 1)));
    }
    insert_lines(tx, &d.orders).await?;
    if submit {
        queue::enqueue(tx, &d.orders, now).await?;
    }
    let created = d.orders.iter().map(|o| (o.id.0.clone(), json!({"id": o.id, "status": o.status.as_str()}))).collect();
    let client = d.orders[0].client_id.clone();
    outbox::record_many(tx, Some(&client), "order.created", created).await?;
    if submit {
        for o in d.orders.iter().filter(|o| !o.owners.is_empty() && o.kind.uses_stock()) {
            let wh = d.services.get(&o.service_id).map(|(_, wh)| wh.code.as_str()).unwrap_or_default();
            super::announce_shared_stock(tx, o, wh).await?;
        }
    }
    Ok(())
}

/// Gives every order its Bird id (a daily sequence per site) and OC number, one range each.
async fn number(tx: &mut Tx<'_>, d: &mut Decided) -> StoreResult<()> {
    let today = jiff::Timestamp::from_millisecond(d.now)
        .map(|t| t.to_zoned(jiff::tz::TimeZone::UTC).date())
        .unwrap_or_default();
    let site_of = |o: &OrderView| d.services.get(&o.service_id).and_then(|(_, wh)| wh.bird_company_id).unwrap_or(0);
    let mut per_site: BTreeMap<i64, i64> = BTreeMap::new();
    for o in &d.orders {
        *per_site.entry(site_of(o)).or_default() += 1;
    }
    let mut next_bird: BTreeMap<i64, i64> = BTreeMap::new();
    for (site, n) in per_site {
        next_bird.insert(site, seq::next(tx, &format!("consignment:{site}:{today}"), n).await?);
    }
    let mut next_oc = seq::next(tx, "oc_outbound", d.orders.len() as i64).await?;
    let sites: Vec<i64> = d.orders.iter().map(site_of).collect();
    for (o, site) in d.orders.iter_mut().zip(sites) {
        let slot = next_bird.get_mut(&site).ok_or_else(|| StoreError::Corrupt("sequence".into()))?;
        o.bird_id = bird_consignment_id(today, site, *slot);
        *slot += 1;
        o.oc_number = oc_outbound_number(next_oc, &o.recipient.country.trim().to_ascii_uppercase());
        next_oc += 1;
    }
    Ok(())
}

/// Claims the orders' identity references for six months; the first row whose reference is
/// claimed already (more recently, or by an earlier row of the batch) is refused.
async fn claim_identities(tx: &mut Tx<'_>, orders: &[OrderView], now: i64) -> StoreResult<Option<(usize, CoreError)>> {
    let dup = |r: &str| CoreError::Duplicate { what: "consignment identity reference", key: r.to_owned() };
    let mut first: Option<(usize, CoreError)> = None;
    let mut seen = HashSet::new();
    let mut claims = vec![];
    for (k, o) in orders.iter().enumerate() {
        let Some(r) = o.identity_ref.as_deref().map(str::trim).filter(|r| !r.is_empty()) else { continue };
        if !seen.insert((o.kind.as_str(), o.warehouse_id.0.as_str(), r)) {
            first.get_or_insert_with(|| (k, dup(r)));
            continue;
        }
        claims.push((k, r));
    }
    if claims.is_empty() {
        return Ok(first);
    }
    let rows = claims
        .iter()
        .map(|(k, r)| {
            let o = &orders[*k];
            vec![
                Val::from(o.client_id.0.as_str()),
                Val::from(o.kind.as_str()),
                Val::from(o.warehouse_id.0.as_str()),
                Val::from(*r),
                Val::from(o.id.0.as_str()),
                Val::I(now),
            ]
        })
        .collect();
    // A claim older than the window is taken over; a younger one makes the upsert do nothing.
    let tail = format!(
        "ON CONFLICT (client_id, kind, warehouse_id, ref) DO UPDATE SET order_id = excluded.order_id, \
         created_at = excluded.created_at WHERE identity_refs.created_at < excluded.created_at - {IDENTITY_REF_WINDOW_MS}"
    );
    let cols = ["client_id", "kind", "warehouse_id", "ref", "order_id", "created_at"];
    if bulk::insert(tx, "identity_refs", &cols, rows, &tail).await? == claims.len() as u64 {
        return Ok(first);
    }
    // Some reference is claimed already: which claims are ours?
    let ids: Vec<&str> = claims.iter().map(|(k, _)| orders[*k].id.0.as_str()).collect();
    let client = [Val::from(orders[0].client_id.0.as_str())];
    let claimed = bulk::existing(tx, "identity_refs", "order_id", "client_id = {}", &client, &ids).await?;
    if let Some((k, r)) = claims.iter().find(|(k, _)| !claimed.contains(&orders[*k].id.0)) {
        if first.as_ref().is_none_or(|(f, _)| k < f) {
            first = Some((*k, dup(r)));
        }
    }
    Ok(first)
}

const ORDER_COLS: [&str; 31] = [
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
    "sales_price",
    "sales_currency",
    "due_date",
    "units",
];

/// The units of an order: its lines' quantities added up.
fn units(o: &OrderView) -> StoreResult<i64> {
    o.lines
        .iter()
        .try_fold(0i64, |sum, (_, qty)| sum.checked_add(*qty))
        .ok_or_else(|| entrepot_core::limits::too_large("quantity").into())
}

/// Inserts the order rows; the first row whose reference the client used already (or an earlier
/// row used) is refused: `(client_id, reference)` is unique, so a retried create cannot make a
/// second order.
async fn insert_orders(tx: &mut Tx<'_>, orders: &[OrderView]) -> StoreResult<Option<(usize, CoreError)>> {
    let rows = orders
        .iter()
        .map(|o| {
            Ok(vec![
                Val::from(o.id.0.as_str()),
                Val::from(o.client_id.0.as_str()),
                Val::from(o.warehouse_id.0.as_str()),
                Val::from(o.service_id.0.as_str()),
                Val::from(o.reference.as_str()),
                Val::from(o.kind.as_str()),
                Val::OS(o.identity_ref.clone()),
                Val::OS(o.sales_reference.clone()),
                Val::S(to_json(&o.attributes)),
                Val::I(o.bird_id),
                Val::from(o.oc_number.as_str()),
                Val::from(o.status.as_str()),
                Val::OS(o.platform.clone()),
                Val::OS(o.platform_order_id.clone()),
                Val::S(to_json(&o.recipient)),
                Val::OS(o.sender.as_ref().map(to_json)),
                Val::S(super::customs_column(&o.customs, o.options)),
                Val::I(o.weight_g),
                Val::I(o.volume_mm3),
                Val::I(o.chargeable_weight_g),
                Val::from(o.currency.as_str()),
                Val::I(o.handling_fee),
                Val::I(o.delivery_fee),
                Val::OS(o.tracking_number.clone()),
                Val::OS(o.carrier.clone()),
                Val::I(o.created_at_ms),
                Val::I(o.updated_at_ms),
                Val::OI(o.sales_price.as_ref().map(|m| m.minor)),
                Val::OS(o.sales_price.as_ref().map(|m| m.currency.as_str().to_owned())),
                Val::OS(o.due_date.clone()),
                Val::I(units(o)?),
            ])
        })
        .collect::<StoreResult<_>>()?;
    let tail = "ON CONFLICT (client_id, reference) DO NOTHING";
    if bulk::insert(tx, "outbound_orders", &ORDER_COLS, rows, tail).await? == orders.len() as u64 {
        return Ok(None);
    }
    // Some reference is taken: the first order whose row is not there is refused.
    let ids: Vec<&str> = orders.iter().map(|o| o.id.0.as_str()).collect();
    let client = [Val::from(orders[0].client_id.0.as_str())];
    let inserted = bulk::existing(tx, "outbound_orders", "id", "client_id = {}", &client, &ids).await?;
    Ok(orders
        .iter()
        .position(|o| !inserted.contains(&o.id.0))
        .map(|k| (k, CoreError::Duplicate { what: "order reference", key: orders[k].reference.clone() })))
}

/// Reserves the stock of every submitted order that uses stock; the first line that overdraws a
/// SKU's available stock is refused.
async fn reserve_stock(tx: &mut Tx<'_>, d: &Decided, skus: &[Sku]) -> StoreResult<Option<(usize, CoreError)>> {
    let mut moves = vec![];
    let mut row_of = vec![];
    for (k, o) in d.orders.iter().enumerate().filter(|(_, o)| o.kind.uses_stock()) {
        for (sku, transfer) in ledger_moves(&o.lines, Effect::Reserve)? {
            let owner = o.owner_of(sku);
            let for_client = (owner != &o.client_id).then_some(&o.client_id);
            moves.push(BatchMove {
                owner,
                for_client,
                sku,
                warehouse: &o.warehouse_id,
                transfer,
                doc_id: &o.oc_number,
            });
            row_of.push(k);
        }
    }
    if moves.is_empty() {
        return Ok(None);
    }
    let Err(short) = stock::apply_batch(tx, &moves, "outbound").await? else { return Ok(None) };
    let m = &moves[short.index];
    let sku = skus.iter().find(|s| s.id == m.sku).map(|s| s.seller_sku.clone()).unwrap_or_else(|| m.sku.to_string());
    let warehouse = d
        .services
        .values()
        .find(|(_, wh)| wh.id == *m.warehouse)
        .map(|(_, wh)| wh.code.clone())
        .unwrap_or_else(|| m.warehouse.to_string());
    let e = CoreError::InsufficientStock { sku, warehouse, requested: m.transfer.qty, available: short.available };
    Ok(Some((row_of[short.index], e)))
}

/// Holds every submitted order's fee; the first order the balance cannot cover is refused.
async fn hold_fees(tx: &mut Tx<'_>, orders: &[OrderView]) -> StoreResult<Option<(usize, CoreError)>> {
    let mut moves = vec![];
    let mut row_of = vec![];
    for (k, o) in orders.iter().enumerate() {
        let fee = o.checked_total_fee()?;
        if fee <= 0 {
            continue;
        }
        let transfer = MoneyTransfer::hold(fee)?;
        moves.push(money::BatchMoney { currency: &o.currency, transfer, doc_id: &o.oc_number });
        row_of.push(k);
    }
    if moves.is_empty() {
        return Ok(None);
    }
    let Err(over) = money::apply_batch(tx, &orders[0].client_id, &moves, "outbound").await? else { return Ok(None) };
    let m = &moves[over.index];
    let e = CoreError::InsufficientBalance {
        currency: m.currency.to_owned(),
        required: m.transfer.amount,
        available: over.available,
    };
    Ok(Some((row_of[over.index], e)))
}

/// The orders' lines, numbered from one range of line ids (Bird's consignment-product ids).
async fn insert_lines(tx: &mut Tx<'_>, orders: &[OrderView]) -> StoreResult<()> {
    let count: i64 = orders.iter().map(|o| o.lines.len() as i64).sum();
    if count == 0 {
        return Ok(());
    }
    let mut next = seq::next(tx, "order_line", count).await?;
    let mut rows = Vec::with_capacity(count as usize);
    for o in orders {
        for (sku, qty) in &o.lines {
            let sale = o.line_sales.get(sku);
            let price = sale.and_then(|s| s.sales_price.as_ref());
            rows.push(vec![
                Val::from(o.id.0.as_str()),
                Val::I(sku.0),
                Val::I(*qty),
                Val::I(next),
                Val::OI(price.map(|m| m.minor)),
                Val::OS(price.map(|m| m.currency.as_str().to_owned())),
                Val::OS(sale.and_then(|s| s.ebay_transaction_id.clone())),
                Val::OS(sale.and_then(|s| s.ebay_item_no.clone())),
                Val::OS(o.owners.get(sku).map(|c| c.0.clone())),
            ]);
            next += 1;
        }
    }
    let cols = [
        "order_id",
        "sku_id",
        "qty",
        "line_id",
        "sales_price",
        "sales_currency",
        "ebay_transaction_id",
        "ebay_item_no",
        "owner_id",
    ];
    bulk::insert(tx, "outbound_lines", &cols, rows, "").await?;
    Ok(())
}
