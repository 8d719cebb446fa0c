//! Consignments (Bird) = outbound orders (core): reading Bird's consignment fields into a core
//! order, rendering an order as Bird's consignment row, and method A of the seed (create in
//! PREPARING, add products, Batch-Update-Status to PENDING or CANCELLED).

use std::collections::BTreeMap;

use axum::{extract::State, response::Response};
use entrepot_app::{App, OrderBatch, OrderFilter, OrderView, PlacedOrders, Placement, Snapshot, Tenant};
use entrepot_core::{
    company::{Address, Warehouse},
    country,
    ids::ClientId,
    outbound::{Customs, NewOutbound, OrderKind, OutboundStatus},
    service::Service,
};
use entrepot_wire::{as_string_lenient, get_ci};
use serde_json::{Map, Value};

use crate::{
    consignment_row::ConsignmentRow,
    envelope::{data, done, list, BirdError},
    listing::ListQuery,
    request::BirdRequest,
    BirdState,
};

/// Bird's name of a core status.
pub fn bird_status(s: OutboundStatus) -> &'static str {
    match s {
        OutboundStatus::Draft => "PREPARING",
        OutboundStatus::Submitted => "PENDING",
        OutboundStatus::WaitPicking => "WAIT_PICKING",
        OutboundStatus::Picking => "PICKING",
        OutboundStatus::Packed => "PROCESSING",
        OutboundStatus::Shipped | OutboundStatus::Delivered => "FINISHED",
        OutboundStatus::Cancelled => "CANCELLED",
        OutboundStatus::Exception => "PROBLEM",
    }
}

/// The core statuses a Bird status name covers.
pub fn core_statuses(bird: &str) -> Result<Vec<OutboundStatus>, BirdError> {
    let wanted = bird.trim().to_ascii_uppercase();
    let found: Vec<OutboundStatus> = OutboundStatus::ALL.into_iter().filter(|s| bird_status(*s) == wanted).collect();
    if found.is_empty() {
        return Err(BirdError::bad(format!("Unknown consignment status '{bird}'")));
    }
    Ok(found)
}

/// Fields a consignment keeps verbatim for the ERP (the core does not interpret them).
const ATTRIBUTE_FIELDS: &[&str] = &[
    "payment_reference",
    "special_instruction",
    "neighbour_instruction",
    "is_urgent",
    "sales_price",
    "omp_vat_number",
    "receiver_eori",
    "receiver_pid_number",
    "is_compensation_for_delay",
    "return_consignment_action-id",
    "thirty_system_id",
];

fn text(m: &Map<String, Value>, key: &str) -> Option<String> {
    get_ci(m, key).and_then(as_string_lenient).map(|s| s.trim().to_owned()).filter(|s| !s.is_empty())
}

/// A consignment's service: by `delivery_service_id`, or by name for bulk uploads; only the
/// services of the client's sites exist for it.
pub async fn resolve_service(
    app: &App,
    client: &ClientId,
    m: &Map<String, Value>,
    site: Option<&Warehouse>,
) -> Result<Service, BirdError> {
    let svc = if let Some(id) = text(m, "delivery_service_id") {
        let id: i64 = id.parse().map_err(|_| BirdError::bad(format!("delivery_service_id '{id}' is not a number")))?;
        app.service_for_client_by_numeric_id(client, id).await.map_err(|e| {
            crate::envelope::refused_as(e, || {
                BirdError::bad(format!("Cannot find delivery service {id}, please check."))
            })
        })?
    } else if let Some(name) = text(m, "delivery_service_name") {
        app.client_services(client, site.map(|w| &w.id))
            .await?
            .into_iter()
            .find(|s| {
                s.name.eq_ignore_ascii_case(&name)
                    || s.code.eq_ignore_ascii_case(&name)
                    || s.name_cn.as_deref() == Some(name.as_str())
            })
            .ok_or_else(|| BirdError::bad(format!("Cannot find delivery service '{name}', please check.")))?
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

/// The destination: `country_iso`, or an English `country_name` (bulk uploads); `UK` means GB.
fn destination(m: &Map<String, Value>) -> Result<String, BirdError> {
    if let Some(iso) = text(m, "country_iso") {
        if iso.eq_ignore_ascii_case("UK") {
            return Ok("GB".into());
        }
        return country::by_code(&iso)
            .map(|c| c.iso2.to_owned())
            .ok_or_else(|| BirdError::bad(format!("Unknown country_iso '{iso}'")));
    }
    if let Some(name) = text(m, "country_name") {
        return country::by_name(&name)
            .map(|c| c.iso2.to_owned())
            .ok_or_else(|| BirdError::bad(format!("Unknown country_name '{name}'")));
    }
    Err(BirdError::bad("country_iso is required"))
}

/// Reads Bird's consignment fields into a core order (without its products).
pub fn new_outbound(client: &ClientId, m: &Map<String, Value>) -> Result<NewOutbound, BirdError> {
    let line = |k: &str, alt: &str| text(m, k).or_else(|| text(m, alt));
    let recipient = Address {
        name: text(m, "contact").ok_or_else(|| BirdError::bad("contact is required"))?,
        company: text(m, "business_name"),
        lines: [
            line("address_line1", "address_line_1"),
            line("address_line2", "address_line_2"),
            line("address_line3", "address_line_3"),
        ]
        .into_iter()
        .flatten()
        .collect(),
        city: text(m, "city").ok_or_else(|| BirdError::bad("city is required"))?,
        county: text(m, "county"),
        postcode: text(m, "post_code").unwrap_or_default(),
        country: destination(m)?,
        phone: text(m, "telephone"),
        email: text(m, "email"),
    };
    if recipient.lines.is_empty() {
        return Err(BirdError::bad("address_line1 is required"));
    }
    let sender = text(m, "sender_contact").map(|name| Address {
        name,
        company: text(m, "sender_business_name"),
        lines: ["sender_address_line1", "sender_address_line2", "sender_address_line3"]
            .iter()
            .filter_map(|k| text(m, k))
            .collect(),
        city: text(m, "sender_city").unwrap_or_default(),
        county: text(m, "sender_county"),
        postcode: text(m, "sender_post_code").unwrap_or_default(),
        country: text(m, "sender_country_iso").unwrap_or_default(),
        phone: text(m, "sender_telephone"),
        email: text(m, "sender_email"),
    });
    let kind = match text(m, "type") {
        Some(t) => t.parse::<OrderKind>()?,
        None => OrderKind::Local,
    };
    let attributes: BTreeMap<String, String> =
        ATTRIBUTE_FIELDS.iter().filter_map(|k| text(m, k).map(|v| ((*k).to_owned(), v))).collect();
    Ok(NewOutbound {
        client_id: client.clone(),
        reference: String::new(),
        kind,
        identity_ref: text(m, "custom_identity_reference"),
        sales_reference: text(m, "sales_reference"),
        attributes,
        platform: text(m, "omp_name"),
        platform_order_id: text(m, "sales_order_id"),
        recipient,
        sender,
        lines: vec![],
        customs: Customs {
            ioss: text(m, "ioss_vat_number"),
            shipper_eori: text(m, "shipper_eori"),
            reason_for_export: text(m, "reason_for_export"),
            content_type: text(m, "content_type"),
        },
    })
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
    let svc = resolve_service(&state.app, &req.client, &req.params, req.site.as_ref()).await?;
    let new = new_outbound(&req.client, &req.params)?;
    let order = match req.int("id")? {
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
    let mut f = OrderFilter::default();
    if let Some(id) = req.text("id") {
        f.bird_ids = id.split('_').map(bird_id).collect::<Result<_, _>>()?;
    }
    if let Some(st) = req.text("status") {
        f.statuses = core_statuses(&st)?;
    }
    if let Some(t) = req.text("type") {
        f.kind = Some(t.parse()?);
    }
    f.sales_reference = req.text("sales_reference");
    f.identity_ref = req.text("custom_identity_reference");
    f.tracking_number = req.text("delivery_reference");
    if let Some(s) = req.text("sales_order_id") {
        f.platform_order_ids.push(s);
    }
    if let Some(w) = &req.site {
        f.warehouse = Some(w.id.clone());
    }
    let q = ListQuery::parse(&req.params, &["post_code", "contact", "country_iso"])?;
    let product = req.int("consignment_product_reference")?;
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
async fn selected(app: &App, req: &BirdRequest) -> Result<Vec<OrderView>, BirdError> {
    let (f, asked): (OrderFilter, Vec<String>) = if let Some(ids) = req.text("ids") {
        let ids: Vec<i64> = ids.split('_').filter(|s| !s.trim().is_empty()).map(bird_id).collect::<Result<_, _>>()?;
        (OrderFilter { bird_ids: ids.clone(), ..Default::default() }, ids.iter().map(|i| i.to_string()).collect())
    } else if let Some(refs) = req.text("sales_references") {
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
    } else if let Some(refs) = req.text("custom_identity_references") {
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
pub async fn batch_update_status(State(state): State<BirdState>, req: BirdRequest) -> Result<Response, BirdError> {
    let to = match req.text("status").map(|s| s.to_ascii_uppercase()).as_deref() {
        Some("PENDING") => OutboundStatus::Submitted,
        Some("CANCELLED") => OutboundStatus::Cancelled,
        Some(other) => {
            return Err(BirdError::bad(format!("Status {other} can not be set by client; use PENDING or CANCELLED.")))
        }
        None => return Err(BirdError::bad("status is required")),
    };
    let orders = selected(&state.app, &req).await?;
    let ids: Vec<_> = orders.iter().map(|o| o.id.clone()).collect();
    state.app.transition_orders(&req.client, &ids, to).await?;
    Ok(done())
}
