//! placeOutboundOrder (spec §5.12): up to 50 orders per call, each placed on its own so one bad
//! order does not hold back the others. The reply lists the created orders in `data` and the
//! refused ones in `errors[]` (`id` = the order's `referenceNumber`, message prefixed with its
//! 1-based position as "Item n:"); `code` is non-zero as soon as one order was refused.
//!
//! Choices where OC's documents are silent:
//! - `referenceNumber` is required (≤ 50 characters): it is the idempotency key. Using one again
//!   (in an earlier call, or twice in one call) refuses that order naming the OC order that already
//!   has it; a second order is never created.
//! - `serviceRegion` and `shippingServiceCode` are required and must name an active service of
//!   getServiceList. `consigneeCity` is required too (every carrier needs it), though OC marks it
//!   optional. `houseNumber` is appended to address line 1, as a label prints it.
//! - `ebayId`, `houseNumber`, `remarks` and `fileGroupID` are kept with the order.
//!
//! The other outbound calls live in [`query`] and [`cancel`].

pub mod cancel;
pub mod query;
pub mod transformers;
pub mod types;

use std::collections::{HashMap, HashSet};

use axum::{extract::State, response::Response, routing::post, Router};
use entrepot_app::{OrderBatch, OrderFilter, PlacedOrders, Placement, SkuFilter, Tenant};
use entrepot_core::{
    company::Warehouse,
    ids::{ClientId, ServiceId, SkuId},
    CoreError,
};
use serde_json::Value;

use crate::{
    envelope::{not_found_as, ErrorItem, OcError},
    fields::decode,
    request::OcCall,
    OcState,
};
use transformers::new_outbound;
use types::{OrderCreated, OrderIn, ProductIn};

/// Orders per call (spec §4.5).
pub const MAX_ORDERS: usize = 50;

pub fn routes() -> Router<OcState> {
    Router::new()
        .route("/openapi/3pp/outbound/v1/creation", post(create))
        .route("/openapi/3pp/outbound/v2/query", post(query::query))
        .route("/openapi/3pp/outbound/v1/cancel", post(cancel::cancel))
}

async fn create(State(st): State<OcState>, call: OcCall) -> Response {
    match place(&st, &call.client, &call.data).await {
        Ok(Batch { created, errors, code }) => call.respond_partial(created, errors, code),
        Err(e) => call.refuse(e),
    }
}

/// What a call did: the created orders, the refused ones, and the envelope code.
struct Batch {
    created: Vec<OrderCreated>,
    errors: Vec<ErrorItem>,
    code: i32,
}

impl Batch {
    fn refuse(&mut self, item: ErrorItem, code: i32) {
        if self.errors.is_empty() {
            self.code = code;
        }
        self.errors.push(item);
    }

    fn refuse_core(&mut self, e: CoreError, line: usize, reference: Option<String>) {
        let e = e.at_line(line);
        let item = ErrorItem::from_core(&e, reference);
        self.refuse(item, OcError::from(e).code);
    }
}

/// The orders of `data`: a list, or one order given alone.
fn orders(data: &Value) -> Result<Vec<OrderIn>, OcError> {
    let items = crate::fields::batch(data, "orders", MAX_ORDERS)?;
    items
        .into_iter()
        .enumerate()
        .map(|(k, v)| match v {
            Value::Object(_) => Ok(decode(v, "data")?),
            _ => Err(OcError::invalid(format!("Item {}: an order must be a JSON object.", k + 1))),
        })
        .collect()
}

async fn place(st: &OcState, client: &ClientId, data: &Value) -> Result<Batch, OcError> {
    let orders = orders(data)?;
    let skus = skus_named(st, client, &orders).await?;
    let references: Vec<String> = orders.iter().filter_map(|o| o.reference_number.text()).collect();
    let taken: HashMap<String, String> = if references.is_empty() {
        HashMap::new()
    } else {
        let f = OrderFilter { references: references.clone(), ..Default::default() };
        st.app.list_orders(client, &f).await?.0.into_iter().map(|o| (o.reference, o.oc_number)).collect()
    };
    let mut services = Services::default();
    let mut seen: HashSet<String> = HashSet::new();
    let mut batch = Batch { created: vec![], errors: vec![], code: 0 };
    for (k, o) in orders.iter().enumerate() {
        let line = k + 1;
        let reference = o.reference_number.text();
        let read = match new_outbound(client, o, &skus.0) {
            Ok((new, named)) => services.resolve(st, client, &named.region, &named.code).await.map(|s| (new, s)),
            Err(e) => Err(e),
        };
        let (new, service) = match read {
            Ok(r) => r,
            // The database failed: the whole call is an internal error (see `envelope`).
            Err(CoreError::Internal) => return Err(CoreError::Internal.into()),
            Err(e) => {
                batch.refuse_core(e, line, reference);
                continue;
            }
        };
        if !seen.insert(new.reference.clone()) {
            let m = format!(
                "[{}] is given to more than one order of this request; each order needs its own",
                new.reference
            );
            batch.refuse_core(CoreError::invalid("referenceNumber", m), line, reference);
            continue;
        }
        if let Some(existing) = taken.get(&new.reference) {
            batch.refuse(duplicate(line, &new.reference, existing), crate::envelope::code::REQUEST);
            continue;
        }
        let reference = new.reference.clone();
        // The SKUs read above, so that the store does not read them again.
        let known_skus = skus.1.iter().filter(|s| new.lines.iter().any(|l| l.0 == s.id)).cloned().collect();
        let one = OrderBatch::Stock { orders: vec![(new, service)], known_skus };
        let placed = st
            .app
            .place_orders(&Tenant::of(client), one, Placement::EachOnItsOwn, true)
            .await
            .and_then(PlacedOrders::one);
        match placed {
            Ok(o) => batch.created.push(OrderCreated::from(&o)),
            Err(CoreError::Duplicate { .. }) => {
                // Placed by a concurrent call between our check and our insert.
                let existing = st.app.find_order(client, &reference).await.map(|o| o.oc_number).unwrap_or_default();
                batch.refuse(duplicate(line, &reference, &existing), crate::envelope::code::REQUEST);
            }
            Err(CoreError::Internal) => return Err(CoreError::Internal.into()),
            Err(e) => batch.refuse_core(e, line, Some(reference)),
        }
    }
    Ok(batch)
}

/// The refusal of a reference already used, naming the order that has it.
fn duplicate(line: usize, reference: &str, existing: &str) -> ErrorItem {
    let e = CoreError::Duplicate { what: "referenceNumber", key: reference.to_owned() };
    let mut item = ErrorItem::from_core(&e, Some(reference.to_owned()));
    item.message = format!(
        "Item {line}: Duplicate referenceNumber [{reference}]: it is already used by order {existing}, which was not changed."
    );
    item
}

/// The tenant's SKUs named by any order, by upper-cased MFSKUID (one query for the call).
/// The SKUs themselves come back too, for placing the orders without reading them again.
async fn skus_named(
    st: &OcState,
    client: &ClientId,
    orders: &[OrderIn],
) -> Result<(HashMap<String, SkuId>, Vec<entrepot_core::sku::Sku>), OcError> {
    let mut ids: Vec<String> = vec![];
    for o in orders {
        for p in o.product_list.objects::<ProductIn>("productList").unwrap_or_default() {
            ids.extend(p.mf_sku_id.or(&p.sku_id).text().map(|s| s.to_ascii_uppercase()));
        }
    }
    ids.sort();
    ids.dedup();
    if ids.is_empty() {
        return Ok((HashMap::new(), vec![]));
    }
    let f = SkuFilter { mfskuids: ids, ..Default::default() };
    let (skus, _) = st.app.list_skus(client, &f).await?;
    Ok((skus.iter().map(|s| (s.mfskuid.to_ascii_uppercase(), s.id)).collect(), skus))
}

/// Warehouses by region and services by (region, code), looked up once per call.
#[derive(Default)]
struct Services {
    regions: HashMap<String, Warehouse>,
    services: HashMap<(String, String), ServiceId>,
}

impl Services {
    /// The service `code` in `region`, which must be one of the client's sites.
    async fn resolve(
        &mut self,
        st: &OcState,
        client: &ClientId,
        region: &str,
        code: &str,
    ) -> Result<ServiceId, CoreError> {
        let region_key = region.to_ascii_uppercase();
        if let Some(id) = self.services.get(&(region_key.clone(), code.to_owned())) {
            return Ok(id.clone());
        }
        if !self.regions.contains_key(&region_key) {
            let wh = st.app.warehouse_for_client_by_region(client, region).await.map_err(|e| {
                not_found_as(e, || {
                    CoreError::invalid(
                        "serviceRegion",
                        format!("'{region}' is not a service region of this warehouse operator (see getServiceList)"),
                    )
                })
            })?;
            self.regions.insert(region_key.clone(), wh);
        }
        let wh = &self.regions[&region_key];
        let svc = st.app.service_by_code(&wh.id, code).await.map_err(|e| {
            not_found_as(e, || {
                CoreError::invalid(
                    "shippingServiceCode",
                    format!("'{code}' is not offered in service region {region} (see getServiceList)"),
                )
            })
        })?;
        if !svc.active {
            return Err(CoreError::invalid("shippingServiceCode", format!("'{code}' is not available at the moment")));
        }
        self.services.insert((region_key, code.to_owned()), svc.id.clone());
        Ok(svc.id)
    }
}
