//! Consignments (Bird) = outbound orders (core): method A of the seed (create in PREPARING, add
//! products, Batch-Update-Status to PENDING or CANCELLED) and the consignment list. The shapes
//! are in [`types`], the status names in [`status`], the translation to and from core orders in
//! [`transformers`].

pub mod returns;
pub mod status;
pub mod transformers;
pub mod types;

use self::types::{ConsignmentSearch, Selection, StatusChange};
pub use self::{
    status::bird_status,
    transformers::new_outbound,
    types::{client_settable, core_statuses, ConsignmentFields, ConsignmentRow},
};

use axum::{extract::State, response::Response};
use entrepot_app::{App, OrderBatch, OrderFilter, OrderView, PlacedOrders, Placement, Snapshot, Tenant};
use entrepot_core::{company::Warehouse, ids::ClientId, outbound::OutboundStatus, service::Service};
use serde_json::Value;

use crate::{
    envelope::{data, done, list, BirdError},
    listing::ListQuery,
    request::BirdRequest,
    BirdState,
};

/// A consignment's service: by `delivery_service_id`, or by name for bulk uploads; only the
/// services of the client's sites exist for it.
pub async fn resolve_service(
    app: &App,
    client: &ClientId,
    f: &ConsignmentFields,
    site: Option<&Warehouse>,
) -> Result<Service, BirdError> {
    let svc = if let Some(id) = f.delivery_service_id.get() {
        let id: i64 = id.parse().map_err(|_| BirdError::bad(format!("delivery_service_id '{id}' is not a number")))?;
        app.service_for_client_by_numeric_id(client, id).await.map_err(|e| {
            crate::envelope::refused_as(e, || {
                BirdError::bad(format!("Cannot find delivery service {id}, please check."))
            })
        })?
    } else if let Some(name) = f.delivery_service_name.get() {
        app.client_services(client, site.map(|w| &w.id))
            .await?
            .into_iter()
            .find(|s| {
                s.name.eq_ignore_ascii_case(name)
                    || s.code.eq_ignore_ascii_case(name)
                    || s.name_cn.as_deref() == Some(name)
            })
            .ok_or_else(|| BirdError::bad(format!("Cannot find delivery service '{name}', please check.")))?
    } else if f.kind()? == entrepot_core::outbound::OrderKind::Return {
        // A return comes back from the buyer: it needs no delivery service of ours.
        app.return_intake_service(client, site.map(|w| &w.id)).await?
    } else {
        return Err(BirdError::bad("delivery_service_id is required"));
    };
    if let Some(w) = site {
        if svc.warehouse_id != w.id {
            return Err(BirdError::bad(format!(
                "Delivery service {} is not available at company {}; the service must match the site and the destination.",
                svc.bird_id.unwrap_or_default(),
                w.bird_company_id.unwrap_or_default()
            )));
        }
    }
    Ok(svc)
}

/// Bird's consignment row, as a JSON object.
pub fn consignment_row(o: &OrderView, warehouse: Option<&Warehouse>, service: Option<&Service>) -> Value {
    ConsignmentRow::new(o, warehouse, service).to_value()
}

/// Renders orders with their sites and services (from the store's reference-data snapshot).
pub async fn rows(app: &App, orders: &[OrderView]) -> Result<Vec<Value>, BirdError> {
    let refs = app.reference_data().await?;
    Ok(orders.iter().map(|o| row_with(&refs, o).to_value()).collect())
}

/// `o`'s row with its site and service from a reference-data snapshot.
pub fn row_with<'a>(refs: &'a Snapshot, o: &'a OrderView) -> ConsignmentRow<'a> {
    ConsignmentRow::new(
        o,
        refs.warehouses.iter().find(|w| w.id == o.warehouse_id),
        refs.services.iter().find(|s| s.id == o.service_id),
    )
}

/// A consignment id as Bird sends it.
pub fn bird_id(v: &str) -> Result<i64, BirdError> {
    v.trim().parse().map_err(|_| BirdError::bad(format!("Invalid consignment id '{v}'")))
}

/// The tenant's consignment by Bird id.
pub async fn find(app: &App, client: &ClientId, id: i64) -> Result<OrderView, BirdError> {
    let f = OrderFilter { bird_ids: vec![id], ..Default::default() };
    app.list_orders(client, &f)
        .await?
        .0
        .pop()
        .ok_or_else(|| BirdError::bad(format!("Consignment {id} does not exist or does not belong to you.")))
}

/// `POST /client/Consignment`: create in PREPARING, or update a PREPARING one when `id` is given.
pub async fn save(State(state): State<BirdState>, req: BirdRequest) -> Result<Response, BirdError> {
    let f: ConsignmentFields = req.fields()?;
    let svc = resolve_service(&state.app, &req.client, &f, req.site.as_ref()).await?;
    let new = f.to_outbound(&req.client)?;
    let order = match f.id.get("id")? {
        Some(id) => {
            let existing = find(&state.app, &req.client, id).await?;
            state.app.update_draft(&req.client, &existing.id, new, &svc.id).await?
        }
        None => {
            let batch = OrderBatch::Stock { orders: vec![(new, svc.id)], known_skus: vec![] };
            state
                .app
                .place_orders(&Tenant::of(&req.client), batch, Placement::EachOnItsOwn, false)
                .await
                .and_then(PlacedOrders::one)?
        }
    };
    let row = rows(&state.app, std::slice::from_ref(&order)).await?.remove(0);
    Ok(data(row))
}

/// `GET /client/Consignment`: list, `?id=`, and the documented search parameters.
pub async fn list_consignments(State(state): State<BirdState>, req: BirdRequest) -> Result<Response, BirdError> {
    let search: ConsignmentSearch = req.fields()?;
    let mut f = OrderFilter::default();
    if let Some(id) = search.id.get() {
        f.bird_ids = id.split('_').map(bird_id).collect::<Result<_, _>>()?;
    }
    if let Some(st) = search.status.get() {
        f.statuses = core_statuses(st)?;
    }
    if let Some(t) = search.kind.get() {
        f.kind = Some(t.parse()?);
    }
    f.sales_reference = search.sales_reference.take();
    f.identity_ref = search.custom_identity_reference.take();
    f.tracking_number = search.delivery_reference.take();
    if let Some(s) = search.sales_order_id.take() {
        f.platform_order_ids.push(s);
    }
    if let Some(w) = &req.site {
        f.warehouse = Some(w.id.clone());
    }
    let q = ListQuery::parse(&req.params, &["post_code", "contact", "country_iso"])?.typed(types::COLUMNS);
    let product = search.consignment_product_reference.get("consignment_product_reference")?;
    if q.is_plain() && product.is_none() {
        // Paging in SQL: the common "give me page N" call stays fast at any size.
        f.offset = q.start as i64;
        f.limit = q.limit.map(|l| l as i64).unwrap_or(0);
        let (orders, total) = state.app.list_orders(&req.client, &f).await?;
        let (_, page) = q.apply_without_paging(rows(&state.app, &orders).await?, &["id"]);
        return Ok(list(total as usize, page));
    }
    let (orders, _) = state.app.list_orders(&req.client, &f).await?;
    let orders: Vec<OrderView> =
        orders.into_iter().filter(|o| product.is_none_or(|p| o.lines.iter().any(|l| l.0 .0 == p))).collect();
    let (total, page) = q.apply(rows(&state.app, &orders).await?, &["id"]);
    Ok(list(total, page))
}

/// The consignments an action names: `ids` (joined with `_`), `sales_references` or
/// `custom_identity_references` (joined with `|`).
async fn selected(app: &App, req: &BirdRequest, which: &Selection) -> Result<Vec<OrderView>, BirdError> {
    let (f, asked): (OrderFilter, Vec<String>) = if let Some(ids) = which.ids.get() {
        let ids: Vec<i64> = ids.split('_').filter(|s| !s.trim().is_empty()).map(bird_id).collect::<Result<_, _>>()?;
        (OrderFilter { bird_ids: ids.clone(), ..Default::default() }, ids.iter().map(|i| i.to_string()).collect())
    } else if let Some(refs) = which.sales_references.get() {
        let refs: Vec<String> = refs.split('|').map(|s| s.trim().to_owned()).filter(|s| !s.is_empty()).collect();
        let mut all = vec![];
        for r in &refs {
            let f = OrderFilter { sales_reference: Some(r.clone()), ..Default::default() };
            let found = app.list_orders(&req.client, &f).await?.0;
            if found.is_empty() {
                return Err(BirdError::bad(format!(
                    "Consignment with sales reference {r} does not exist or does not belong to you."
                )));
            }
            all.extend(found);
        }
        return Ok(all);
    } else if let Some(refs) = which.custom_identity_references.get() {
        let mut all = vec![];
        for r in refs.split('|').map(str::trim).filter(|s| !s.is_empty()) {
            let f = OrderFilter { identity_ref: Some(r.to_owned()), ..Default::default() };
            let found = app.list_orders(&req.client, &f).await?.0;
            let newest = found.into_iter().next().ok_or_else(|| {
                BirdError::bad(format!(
                    "Consignment with custom identity reference {r} does not exist or does not belong to you."
                ))
            })?;
            all.push(newest);
        }
        return Ok(all);
    } else {
        return Err(BirdError::bad("ids, sales_references or custom_identity_references is required"));
    };
    let found = app.list_orders(&req.client, &f).await?.0;
    if let Some(missing) = asked.iter().find(|a| !found.iter().any(|o| o.bird_id.to_string() == **a)) {
        return Err(BirdError::bad(format!("Consignment {missing} does not exist or does not belong to you.")));
    }
    Ok(found)
}

/// `POST /client/Consignment/Batch-Update-Status`: PENDING (submit) or CANCELLED, all or none.
/// A consignment being picked or packed cannot be cancelled outright: its CANCELLED becomes an
/// intercept request the warehouse accepts (CANCELLED) or refuses (it ships), asked once the
/// others are cancelled.
pub async fn batch_update_status(State(state): State<BirdState>, req: BirdRequest) -> Result<Response, BirdError> {
    let change: StatusChange = req.fields()?;
    let to = client_settable(change.status.get())?;
    let orders = selected(&state.app, &req, &req.fields()?).await?;
    let intercept = |o: &&entrepot_app::OrderView| to == OutboundStatus::Cancelled && o.status.intercepts();
    let ids: Vec<_> = orders.iter().filter(|o| !intercept(o)).map(|o| o.id.clone()).collect();
    state.app.transition_orders(&req.client, &ids, to).await?;
    for o in orders.iter().filter(intercept) {
        state.app.cancel_or_intercept(&req.client, &o.id, None).await?;
    }
    Ok(done())
}
