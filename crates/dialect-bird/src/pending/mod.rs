//! Method C of the seed: `Post-Pending-Consignment-With-Products-Json`, a JSON array of
//! consignments with their products, created directly in PENDING, all or nothing. An error names
//! the row at fault (a one-row upload gets the bare message ERPs match on) and leaves nothing
//! behind: no order and, for AGENT_DIRECT, no product.
//!
//! The product forms of spec §1.6, told apart per row:
//! 1. LOCAL / DIRECT / RETURN / FBA: `products` name existing products by `id` or `client_sku`.
//! 2. AGENT_DIRECT: `products` describe the goods; products are created, or updated by
//!    `client_ref`, on the fly, in the same transaction as the orders.
//! 3. AGENT_DIRECT string form: the same in `product_company_ref`'s extended mini-language
//!    ([`crate::product_ref::parse_extended`]), with `country_name` and `delivery_service_name`.
//! 4. CLIENT_DIRECT (`?type=client_direct`): `packages` the client packed itself, in cm and kg.
//!    Their weight and size price the order; they are kept verbatim in the order's attributes.
//!
//! A batch may mix forms 1 to 3; a CLIENT_DIRECT batch holds only CLIENT_DIRECT rows.

//!
//! The shapes are in [`types`], the conversions of the product forms in [`transformers`].

pub mod transformers;
pub mod types;

use std::collections::{BTreeSet, HashMap};

use axum::{extract::State, response::Response};
use entrepot_app::{AgentDirectOrder, AgentProduct, OrderBatch, OrderView, PlacedOrders, Placement, SkuFilter, Tenant};
use entrepot_core::{
    ids::SkuId,
    limits,
    outbound::{NewOutbound, OrderKind},
    service::Service,
    sku::Sku,
    CoreError,
};
use serde_json::Value;

pub(crate) use self::transformers::extended_product;
use self::{
    transformers::{described_product, packaged_quantity, packages_parcel, stock_products, ProductRef},
    types::{PendingQuery, PendingRow},
};
use crate::{
    consignment::{resolve_service, row_with, ConsignmentFields, ConsignmentRow},
    envelope::{data, BirdError},
    fields::{read, Text},
    product_ref::parse_extended,
    request::BirdRequest,
    BirdState,
};

/// How errors name their row: not at all in a one-row upload.
#[derive(Clone, Copy)]
struct Rows {
    single: bool,
}

impl Rows {
    fn err(self, line: usize, msg: impl std::fmt::Display) -> BirdError {
        if self.single {
            BirdError::bad(msg.to_string())
        } else {
            BirdError::bad(format!("Row {line}: {msg}"))
        }
    }

    fn wrap(self, line: usize, e: BirdError) -> BirdError {
        self.err(line, e.message)
    }

    /// A refusal of the app, whose batch errors already name their row.
    fn store(self, e: CoreError) -> BirdError {
        match e {
            c if self.single && c != CoreError::Internal => BirdError::from(match c.innermost().clone() {
                CoreError::Validation { field, message, .. } => CoreError::Validation { field, message, line: None },
                other => other,
            }),
            other => other.into(),
        }
    }
}

/// One row, read but not yet resolved.
struct Row {
    line: usize,
    products: PendingRow,
    service: Service,
    order: NewOutbound,
}

/// `POST /client/consignment/batch-create-client-direct-consignment`: the older CLIENT_DIRECT bulk
/// create (spec §1.7), the same `packages[]` body as form 4: [`post_pending`] with
/// `type=client_direct` whatever `type` was sent.
pub async fn batch_create_client_direct(
    State(state): State<BirdState>,
    mut req: BirdRequest,
) -> Result<Response, BirdError> {
    req.params.retain(|k, _| !k.eq_ignore_ascii_case("type"));
    req.params.insert("type".into(), Value::String("client_direct".into()));
    post_pending(State(state), req).await
}

/// `POST|GET /client/Consignment/Post-Pending-Consignment-With-Products-Json`.
pub async fn post_pending(State(state): State<BirdState>, mut req: BirdRequest) -> Result<Response, BirdError> {
    let rows_in = req.rows.take().ok_or_else(|| BirdError::bad("The body must be a JSON array of consignments"))?;
    if rows_in.is_empty() {
        return Err(BirdError::bad("The body must be a JSON array of consignments"));
    }
    let r = Rows { single: rows_in.len() == 1 };
    let query: PendingQuery = req.fields()?;
    let return_label = query.return_label.get() == Some("1");
    if return_label && !r.single {
        return Err(BirdError::bad("returnLabel=1 is only valid for a single order"));
    }
    let client_direct = query.kind.get().is_some_and(|t| t.eq_ignore_ascii_case("client_direct"));
    let mut parsed = Vec::with_capacity(rows_in.len());
    let mut services: HashMap<(Option<String>, Option<String>), Service> = HashMap::new();
    for (k, row) in rows_in.iter().enumerate() {
        let line = k + 1;
        if !row.is_object() {
            return Err(r.err(line, "must be a JSON object"));
        }
        let mut fields: ConsignmentFields = read(row).map_err(|e| r.wrap(line, e))?;
        if client_direct {
            fields.kind = Text(Some(OrderKind::ClientDirect.as_str().to_owned()));
        }
        let key = (fields.delivery_service_id.take(), fields.delivery_service_name.take());
        let service = match services.get(&key) {
            Some(s) => s.clone(),
            None => {
                let s = resolve_service(&state.app, &req.client, &fields, req.site.as_ref())
                    .await
                    .map_err(|e| r.wrap(line, e))?;
                services.insert(key, s.clone());
                s
            }
        };
        let order = fields.to_outbound(&req.client).map_err(|e| r.wrap(line, e))?;
        let products: PendingRow = read(row).map_err(|e| r.wrap(line, e))?;
        parsed.push(Row { line, products, service, order });
    }
    drop(rows_in);
    let placed = if parsed.iter().any(|p| p.order.kind == OrderKind::ClientDirect) {
        client_direct_orders(&state, r, parsed).await?
    } else if parsed.iter().any(|p| p.order.kind == OrderKind::AgentDirect) {
        agent_direct_orders(&state, &req, r, parsed).await?
    } else {
        let known = stock_lines(&state, &req, r, &mut parsed).await?;
        let batch = parsed.into_iter().map(|p| (p.order, p.service.id)).collect();
        let batch = OrderBatch::Stock { orders: batch, known_skus: known };
        state
            .app
            .place_orders(&Tenant::of(&req.client), batch, Placement::Atomic, true)
            .await
            .and_then(PlacedOrders::all)
            .map_err(|e| r.store(e))?
    };
    let label = match placed.first() {
        Some(o) if return_label => Some(label_now(&state, &req, o).await?),
        _ => None,
    };
    let refs = state.app.reference_data().await?;
    let mut out: Vec<ConsignmentRow> = placed.iter().map(|o| decorated(row_with(&refs, o), o)).collect();
    if let (Some((tracking, pdf)), Some(row)) = (label, out.first_mut()) {
        row.delivery_reference = Some(tracking);
        row.label_format = Some("PDF");
        row.label = Some(base64::Engine::encode(&base64::engine::general_purpose::STANDARD, pdf));
    }
    Ok(data(out))
}

/// Books the order now (`returnLabel=1`): the tracking number and the label PDF. The label
/// payload's shape is not documented by BirdSystem; it is sent as base64 PDF in `label`.
async fn label_now(state: &BirdState, req: &BirdRequest, o: &OrderView) -> Result<(String, Vec<u8>), BirdError> {
    let booking = entrepot_ops::book_now(&state.app, state.carrier.clone(), &state.booking, &req.client, &o.id)
        .await
        .map_err(|e| {
        BirdError::bad(format!("The consignment {} was created but its label could not be produced: {e}", o.bird_id))
    })?;
    Ok((booking.tracking_number, booking.label_pdf))
}

/// What the consignment row does not show but this upload's answer should: the caller's own id
/// (`thirty_system_id`) and a CLIENT_DIRECT order's packages (a free-form echo of the upload).
fn decorated<'a>(mut row: ConsignmentRow<'a>, o: &'a OrderView) -> ConsignmentRow<'a> {
    row.thirty_system_id = o.attributes.get("thirty_system_id").map(String::as_str);
    row.delivery_package_size_id = o.attributes.get("delivery_package_size_id").map(String::as_str);
    if let Some(packages) = o.attributes.get("packages") {
        let packages: Value = serde_json::from_str(packages).unwrap_or(Value::Null);
        row.consignment_product_quantity = packaged_quantity(&packages).to_string();
        row.packages = Some(packages);
    }
    row
}

// ---- form 1: existing products -------------------------------------------------------------

/// Resolves the products of every non-direct row into order lines (client SKUs in one query);
/// returns the SKUs read, which placing the orders needs again.
async fn stock_lines(state: &BirdState, req: &BirdRequest, r: Rows, rows: &mut [Row]) -> Result<Vec<Sku>, BirdError> {
    let mut refs = Vec::with_capacity(rows.len());
    let mut client_skus = vec![];
    for row in rows.iter().filter(|row| row.order.kind != OrderKind::AgentDirect) {
        let prods = stock_products(&row.products.products).map_err(|e| r.err(row.line, e))?;
        client_skus.extend(prods.iter().filter_map(|(p, _, _)| match p {
            ProductRef::ClientSku(s) => Some(s.clone()),
            ProductRef::Id(_) => None,
        }));
        refs.push((row.line, prods));
    }
    client_skus.sort();
    client_skus.dedup();
    let found =
        if client_skus.is_empty() { vec![] } else { state.app.skus_by_seller_skus(&req.client, &client_skus).await? };
    let by_sku: HashMap<&str, SkuId> = found.iter().map(|s| (s.seller_sku.as_str(), s.id)).collect();
    for (line, prods) in refs {
        // Rows are numbered from 1 in order, so a row's line usually finds it directly.
        let at = match rows.get(line - 1) {
            Some(row) if row.line == line => line - 1,
            _ => match rows.iter().position(|row| row.line == line) {
                Some(at) => at,
                None => continue,
            },
        };
        let row = &mut rows[at];
        for (p, qty, sale) in prods {
            let id = match p {
                ProductRef::Id(id) => SkuId(id),
                ProductRef::ClientSku(s) => *by_sku.get(s.as_str()).ok_or_else(|| {
                    r.err(line, format!("Product with client SKU {s} does not exist or does not belong to you."))
                })?,
            };
            row.order.lines.push((id, qty));
            if !sale.is_empty() {
                row.order.line_sales.entry(id).or_default().merge(sale, id).map_err(|e| r.err(line, e))?;
            }
        }
    }
    Ok(found)
}

// ---- forms 2 and 3: AGENT_DIRECT, products created on the fly --------------------------------

/// A row's AGENT_DIRECT products, from `products` (form 2) or `product_company_ref` (form 3); the
/// description is kept verbatim in the order's attributes.
fn agent_products(r: Rows, row: &mut Row) -> Result<Vec<AgentProduct>, BirdError> {
    let line = row.line;
    if let Value::Array(items) = &row.products.products {
        if !items.is_empty() {
            limits::lines("products", items.len()).map_err(|e| r.err(line, e))?;
            let products = items
                .iter()
                .enumerate()
                .map(|(k, p)| {
                    let p = p.as_object().ok_or_else(|| r.err(line, format!("products[{k}] must be an object")))?;
                    described_product(p).map_err(|e| r.err(line, format!("products[{k}].{e}")))
                })
                .collect::<Result<Vec<_>, _>>()?;
            row.order.attributes.insert("products".into(), row.products.products.to_string());
            return Ok(products);
        }
    }
    if let Some(s) = row.products.product_company_ref.take() {
        let items = parse_extended(&s).map_err(|e| r.err(line, format!("product_company_ref: {e}")))?;
        limits::lines("product_company_ref", items.len()).map_err(|e| r.err(line, e))?;
        let products = items
            .into_iter()
            .enumerate()
            .map(|(k, item)| {
                extended_product(item).map_err(|e| r.err(line, format!("product_company_ref: item {}: {e}", k + 1)))
            })
            .collect::<Result<Vec<_>, _>>()?;
        row.order.attributes.insert("product_company_ref".into(), s);
        return Ok(products);
    }
    Err(r.err(line, "products is required"))
}
/// Places a batch holding AGENT_DIRECT rows: their products are upserted with the orders.
async fn agent_direct_orders(
    state: &BirdState,
    req: &BirdRequest,
    r: Rows,
    mut rows: Vec<Row>,
) -> Result<Vec<OrderView>, BirdError> {
    stock_lines(state, req, r, &mut rows).await?;
    let mut described = Vec::with_capacity(rows.len());
    for row in rows.iter_mut() {
        let products = if row.order.kind == OrderKind::AgentDirect { agent_products(r, row)? } else { vec![] };
        described.push(products);
    }
    // A product new to the client needs a name and an image (wiki: attachment-url is required for
    // new products); the first row describing it is the one to fix.
    let mut refs: Vec<String> = described.iter().flatten().map(|p| p.seller_sku.clone()).collect();
    refs.sort();
    refs.dedup();
    let f = SkuFilter { seller_skus: refs, ..Default::default() };
    let mut known: BTreeSet<String> =
        state.app.list_skus(&req.client, &f).await?.0.into_iter().map(|s| s.seller_sku).collect();
    for (row, products) in rows.iter().zip(&described) {
        for (k, p) in products.iter().enumerate() {
            if known.insert(p.seller_sku.clone()) {
                let what = |field: &str| {
                    r.err(row.line, format!("products[{k}].{field} is required for new product {}", p.seller_sku))
                };
                if p.name_en.is_none() && p.name_cn.is_none() {
                    return Err(what("product_name"));
                }
                if p.image_url.is_none() {
                    return Err(what("attachment-url"));
                }
            }
        }
    }
    let batch = rows
        .into_iter()
        .zip(described)
        .map(|(row, products)| AgentDirectOrder { order: row.order, service: row.service.id, products })
        .collect();
    let batch = OrderBatch::AgentDirect(batch);
    state
        .app
        .place_orders(&Tenant::of(&req.client), batch, Placement::Atomic, true)
        .await
        .and_then(PlacedOrders::all)
        .map_err(|e| r.store(e))
}

/// Places a CLIENT_DIRECT batch: every order priced from its own packages.
async fn client_direct_orders(state: &BirdState, r: Rows, rows: Vec<Row>) -> Result<Vec<OrderView>, BirdError> {
    let mut batch = Vec::with_capacity(rows.len());
    for mut row in rows {
        if row.order.kind != OrderKind::ClientDirect {
            return Err(r.err(row.line, "CLIENT_DIRECT consignments are uploaded on their own (?type=client_direct)"));
        }
        let Value::Array(packages) = &row.products.packages else {
            return Err(r.err(row.line, "packages is required"));
        };
        let parcel = packages_parcel(packages).map_err(|e| r.err(row.line, e))?;
        row.order.attributes.insert("packages".into(), row.products.packages.to_string());
        if let Some(size) = row.products.delivery_package_size_id.take() {
            row.order.attributes.insert("delivery_package_size_id".into(), size);
        }
        batch.push((row.order, row.service.id, parcel));
    }
    let client = batch.first().map(|(n, _, _)| n.client_id.clone()).unwrap_or_default();
    state
        .app
        .place_orders(&Tenant::of(&client), OrderBatch::Parcels(batch), Placement::Atomic, true)
        .await
        .and_then(PlacedOrders::all)
        .map_err(|e| r.store(e))
}

#[cfg(test)]
mod tests {
    use entrepot_core::sku::CustomsProperty;
    use serde_json::json;

    use super::{transformers::*, *};
    use crate::product_ref::parse_extended;

    #[test]
    fn packages_become_parcel_facts_in_mm_and_g() {
        let p = json!([
            {"reference": "A", "length": "30", "width": 20, "depth": "10.5", "weight": "1.25",
             "products": [{"name": "Cup", "quantity": "2"}]},
            {"reference": "B", "length": 40, "width": 10, "depth": 10, "weight": 0.5},
        ]);
        let parcel = packages_parcel(p.as_array().unwrap()).unwrap();
        assert_eq!(parcel.weight_g, 1750);
        assert_eq!(parcel.items, 2);
        assert_eq!(parcel.largest_item_mm, [400, 100, 100]);
        assert_eq!(parcel.volume_mm3, 300 * 200 * 105 + 400 * 100 * 100);
        let bad = |v: Value| packages_parcel(v.as_array().unwrap()).unwrap_err();
        assert_eq!(bad(json!([])), "packages is required");
        assert_eq!(bad(json!([{"length": 1, "width": 1, "depth": 1}])), "packages[0].weight is required");
        assert_eq!(
            bad(json!([{"length": 1, "width": 1, "depth": 0, "weight": 1}])),
            "packages[0].depth must be positive"
        );
        let e = bad(
            json!([{"length": 1, "width": 1, "depth": 1, "weight": 1, "products": [{"name": "x", "quantity": 0}]}]),
        );
        assert!(e.contains("products[0].quantity"), "{e}");
    }

    #[test]
    fn described_products_need_what_the_wiki_requires() {
        let p = json!({"product_name": "Cup", "product_name_cn": "杯子", "brand": "X", "client_ref": "C-1",
                       "price_customs_export": "2.5", "sales_price": 5, "weight": "10.4", "quantity": "3",
                       "product_customs_property": ["普货", "电池"], "attachment-url": "https://i/x.png", "hscode": "4202"});
        let a = described_product(p.as_object().unwrap()).unwrap();
        assert_eq!((a.seller_sku.as_str(), a.quantity, a.weight_g, a.declared_value), ("C-1", 3, Some(10), Some(250)));
        assert_eq!(a.properties, Some(vec![CustomsProperty::General, CustomsProperty::BuiltInBattery]));
        assert_eq!(a.image_url.as_deref(), Some("https://i/x.png"));
        let without = |key: &str| {
            let mut m = p.as_object().unwrap().clone();
            m.remove(key);
            described_product(&m).unwrap_err()
        };
        assert_eq!(without("sales_price"), "sales_price is required");
        assert_eq!(without("client_ref"), "client_ref is required");
        assert_eq!(without("quantity"), "quantity is required");
        let mut m = p.as_object().unwrap().clone();
        m.insert("product_customs_property".into(), json!("plutonium"));
        assert!(described_product(&m).unwrap_err().contains("plutonium"));
    }

    #[test]
    fn extended_items_become_products() {
        let items = parse_extended(
            "Product1##产品##062589||2||10||其他||www.baidu.com||5||4202929190||cn*1+Product2##产品2##78954623||2||30||电池,其他||www.baidu.com||5||4202929190||cn*1",
        )
        .unwrap();
        let p: Vec<AgentProduct> = items.into_iter().map(|i| extended_product(i).unwrap()).collect();
        assert_eq!(p[0].seller_sku, "062589");
        assert_eq!((p[0].declared_value, p[0].weight_g, p[0].quantity), (Some(200), Some(10), 1));
        assert_eq!(p[1].properties, Some(vec![CustomsProperty::BuiltInBattery, CustomsProperty::General]));
        assert_eq!(p[1].origin_country.as_deref(), Some("CN"));
        let nameless = parse_extended("Bag||1||5").unwrap().remove(0);
        assert_eq!(extended_product(nameless).unwrap().seller_sku, "Bag");
    }
}
