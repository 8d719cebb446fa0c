//! Inbound bodies to and from core types: a creation request to a [`NewInbound`], an
//! [`InboundView`] to the rows and replies of the queries.

use std::collections::{HashMap, HashSet};

use axum::http::HeaderMap;
use entrepot_app::{DiscrepancyView, InboundView, NewInbound};
use entrepot_core::{
    company::{validate_country, Warehouse},
    ids::{SkuId, WarehouseId},
    inbound::ShippingMode,
    limits,
    sku::Sku,
    CoreError,
};
use serde_json::Value;

use super::{
    types::{
        oc_status, AsnOut, CartonIn, CartonMarkOut, CartonOut, CartonProductIn, CartonProductOut, DiscrepancyOut,
        FileOut, InboundDetailRow, InboundIn, InboundLabels, InboundListRow, InboundSkuOut, InboundSummary,
        StoredCarton, StoredDetails, StoredProduct, StoredRequest,
    },
    MAX_CARTONS,
};
use crate::{
    files,
    time::{format_date, format_datetime, DayEnd},
};

/// The fields of a creation that name the inbound and how it travels.
pub struct InboundHeader {
    pub reference: String,
    pub region: String,
    pub from: String,
    pub method: String,
    pub transport: Option<String>,
    pub mode: ShippingMode,
    pub eta: i64,
    pub need_clearance_doc: bool,
}

impl TryFrom<&InboundIn> for InboundHeader {
    type Error = CoreError;

    fn try_from(d: &InboundIn) -> Result<Self, CoreError> {
        let reference = d.seller_inbound_number.required("sellerInboundNumber", 50)?;
        let region = d.service_region.required("serviceRegion", 20)?;
        let from = validate_country("shippingFrom", &d.shipping_from.required("shippingFrom", 2)?)?;
        let method = d.shipping_method.required("shippingMethod", 10)?.to_ascii_uppercase();
        let transport = d.transport_method.optional("transportMethod", 10)?.map(|t| t.to_ascii_uppercase());
        let mode = match (method.as_str(), transport.as_deref()) {
            ("EX", _) => ShippingMode::Express,
            ("TK", None) => ShippingMode::Truck,
            ("TK", Some(t @ ("OF" | "AF" | "RF" | "TK"))) => t.parse()?,
            ("TK", Some(t)) => {
                return Err(CoreError::invalid("transportMethod", format!("'{t}' is not one of OF, AF, RF, TK")))
            }
            (m, _) => return Err(CoreError::invalid("shippingMethod", format!("'{m}' is not one of TK, EX"))),
        };
        let eta = d.eta.time("eta", DayEnd::Start)?.ok_or_else(|| CoreError::invalid("eta", "is required"))?;
        let need_clearance_doc = d.need_clearance_doc.flag("needClearanceDoc")?.unwrap_or(false);
        Ok(Self { reference, region, from, method, transport, mode, eta, need_clearance_doc })
    }
}

/// The cartons of a creation: 1 to [`MAX_CARTONS`].
pub fn carton_list(d: &InboundIn) -> Result<Vec<CartonIn>, CoreError> {
    let cartons: Vec<CartonIn> = d.carton_list.objects("cartonList")?;
    if cartons.is_empty() {
        return Err(CoreError::invalid("cartonList", "needs at least one carton"));
    }
    if cartons.len() > MAX_CARTONS {
        return Err(CoreError::invalid("cartonList", format!("may hold at most {MAX_CARTONS} cartons")));
    }
    Ok(cartons)
}

/// The MFSKUIDs the cartons name, upper-cased, each once.
pub fn named_mfskuids(cartons: &[CartonIn]) -> Vec<String> {
    let mut ids: Vec<String> = cartons
        .iter()
        .flat_map(|c| c.product_list.objects::<CartonProductIn>("productList").unwrap_or_default())
        .filter_map(|p| p.mfskuid.text().map(|s| s.to_ascii_uppercase()))
        .collect();
    ids.sort();
    ids.dedup();
    ids
}

/// A carton as kept in the inbound's details, and its lines.
fn carton(
    c: &CartonIn,
    k: usize,
    skus: &HashMap<String, SkuId>,
) -> Result<(StoredCarton, Vec<(SkuId, i64)>), CoreError> {
    let field = |f: &str| format!("cartonList[{k}].{f}");
    let number = c.carton_number.optional("cartonNumber", 50)?;
    if let Some(n) = &number {
        if !n.bytes().all(|b| (0x20..0x7f).contains(&b)) {
            return Err(CoreError::invalid(
                field("cartonNumber"),
                "must be printable ASCII (it is printed as a barcode)",
            ));
        }
    }
    let origin = match c.carton_origin_country.text() {
        Some(o) => Some(validate_country(&field("cartonOriginCountry"), &o)?),
        None => None,
    };
    let products: Vec<CartonProductIn> = c.product_list.objects("productList")?;
    if products.is_empty() {
        return Err(CoreError::invalid(field("productList"), "needs at least one product"));
    }
    limits::lines(&field("productList"), products.len())?;
    let mut lines = vec![];
    let mut shown = vec![];
    for (j, p) in products.iter().enumerate() {
        let pf = |f: &str| format!("cartonList[{k}].productList[{j}].{f}");
        let id = p.mfskuid.text().ok_or_else(|| CoreError::invalid(pf("mfskuid"), "is required"))?;
        let qty = p
            .quantity
            .or(&p.sku_quantity)
            .int("quantity")
            .map_err(|_| CoreError::invalid(pf("quantity"), "must be a positive integer"))?
            .ok_or_else(|| CoreError::invalid(pf("quantity"), "is required"))?;
        if qty <= 0 {
            return Err(CoreError::invalid(pf("quantity"), format!("must be positive, not {qty}")));
        }
        limits::quantity(&pf("quantity"), qty)?;
        let sku = skus.get(&id.to_ascii_uppercase()).ok_or_else(|| CoreError::not_found("MFSKUID", &id))?;
        lines.push((*sku, qty));
        shown.push(StoredProduct { mfskuid: id.to_ascii_uppercase(), quantity: qty });
    }
    let carton = StoredCarton {
        carton_number: number,
        seller_carton_number: c.seller_carton_number.optional("sellerCartonNumber", 50)?,
        carton_origin_country: origin,
        label_size: c.label_size.optional("labelSize", 10)?,
        products: shown,
    };
    Ok((carton, lines))
}

/// The inbound to create; its `details.request` is what a replay must match.
pub fn new_inbound(
    h: InboundHeader,
    d: &InboundIn,
    cartons: &[CartonIn],
    skus: &HashMap<String, SkuId>,
    warehouse_id: WarehouseId,
) -> Result<NewInbound, CoreError> {
    let mut stored = vec![];
    let mut lines = vec![];
    let mut numbers = HashSet::new();
    for (k, c) in cartons.iter().enumerate() {
        let (carton, l) = carton(c, k, skus)?;
        if let Some(n) = &carton.carton_number {
            if !numbers.insert(n.clone()) {
                let m = format!("'{n}' is given to more than one carton");
                return Err(CoreError::invalid(format!("cartonList[{k}].cartonNumber"), m));
            }
        }
        stored.push(carton);
        lines.extend(l);
    }
    let details = StoredDetails {
        request: StoredRequest {
            service_region: h.region.to_ascii_uppercase(),
            shipping_from: h.from,
            shipping_method: h.method,
            transport_method: h.transport,
            need_clearance_doc: h.need_clearance_doc,
            cartons: stored,
        },
        eta: h.eta,
        vat: d.vat.optional("vat", 50)?,
        file_token: files::new_token(),
        tracking_list: vec![],
        file_list: vec![],
    };
    let details = serde_json::to_value(details).map_err(|e| {
        tracing::error!(error = %e, "inbound details could not be serialized");
        CoreError::Internal
    })?;
    Ok(NewInbound {
        warehouse_id,
        reference: h.reference,
        mode: h.mode,
        lines,
        need_clearance_doc: h.need_clearance_doc,
        details,
    })
}

/// The creation reply and label query item of an inbound in `wh`.
pub fn inbound_labels(headers: &HeaderMap, v: &InboundView, wh: &Warehouse) -> InboundLabels {
    let token = v.details["fileToken"].as_str().unwrap_or_default();
    let marks = files::url(headers, token, CARTON_MARKS);
    let carton_list = cartons(v, |_| String::new())
        .into_iter()
        .enumerate()
        .map(|(k, c)| CartonMarkOut {
            carton_number: c.number,
            seller_carton_number: c.seller_number,
            carton_mark_url: format!("{marks}#page={}", k + 1),
        })
        .collect();
    InboundLabels {
        inbound_order: None,
        inbound_number: v.inbound.number.clone(),
        seller_inbound_number: v.reference.clone(),
        status: oc_status(v.inbound.status),
        service_region: wh.oc_region.clone(),
        warehouse_code: wh.code.clone(),
        sku_label_url: files::url(headers, token, SKU_LABELS),
        carton_mark_url: marks,
        carton_list,
    }
}

/// What list rows and detail rows share.
fn summary(v: &InboundView, wh: Option<&Warehouse>) -> InboundSummary {
    let req = v.details.get("request").cloned().unwrap_or(Value::Null);
    InboundSummary {
        inbound_number: v.inbound.number.clone(),
        inbound_order_number: v.inbound.number.clone(),
        seller_inbound_number: v.reference.clone(),
        reference_number: v.reference.clone(),
        status: oc_status(v.inbound.status),
        service_region: wh.and_then(|w| w.oc_region.clone()),
        warehouse_code: wh.map(|w| w.code.clone()),
        shipping_method: req["shippingMethod"].as_str().map(str::to_owned).unwrap_or_else(|| mode_code(v)),
        transport_method: req["transportMethod"].clone(),
        create_time: format_datetime(v.created_at_ms),
        eta: v.details["eta"].as_i64().map(format_date),
        need_clearance_doc: v.inbound.clearance.required,
        missing_clearance_doc_list: v.inbound.clearance.missing(),
        arrived_time: v.arrived_at_ms.map(floor_time),
        put_away_time: v.available_at_ms.map(floor_time),
    }
}

/// `2024-05-17 09:30:00` (UTC), the format ERPs read `arrivedTime` and `putAwayTime` in.
fn floor_time(ms: i64) -> String {
    jiff::Timestamp::from_millisecond(ms).map(|t| t.strftime("%Y-%m-%d %H:%M:%S").to_string()).unwrap_or_default()
}

/// `EX` or `TK` for an inbound created without OC's fields (through the Bird API).
fn mode_code(v: &InboundView) -> String {
    match v.inbound.mode {
        ShippingMode::Express => "EX".into(),
        _ => "TK".into(),
    }
}

/// A row of the list query.
pub fn list_row(v: &InboundView, wh: Option<&Warehouse>) -> InboundListRow {
    InboundListRow {
        summary: summary(v, wh),
        sku_qty: v.inbound.lines.iter().map(|l| l.expected).sum::<i64>(),
        received_qty: v.inbound.lines.iter().map(|l| l.counted()).sum::<i64>(),
        put_away_qty: v.inbound.lines.iter().map(|l| l.put_away).sum::<i64>(),
        damaged_qty: v.inbound.lines.iter().map(|l| l.damaged).sum::<i64>(),
        shortage_qty: v.inbound.lines.iter().map(|l| l.short(v.inbound.receipt_closed)).sum::<i64>(),
        over_qty: v.inbound.lines.iter().map(|l| (l.counted() - l.expected).max(0)).sum::<i64>(),
    }
}

/// A row of the detail query; file URLs are on the host the caller reached.
pub fn detail_row(
    headers: &HeaderMap,
    v: &InboundView,
    wh: Option<&Warehouse>,
    skus: &HashMap<SkuId, Sku>,
    discrepancies: &[DiscrepancyView],
) -> InboundDetailRow {
    let sku_list = v
        .inbound
        .lines
        .iter()
        .map(|l| {
            let s = skus.get(&l.sku_id);
            InboundSkuOut {
                mfskuid: s.map(|s| s.mfskuid.clone()),
                seller_sku_id: s.map(|s| s.seller_sku.clone()),
                sku_quantity: l.expected,
                received_quantity: l.counted(),
                put_away_quantity: l.put_away,
                damaged_quantity: l.damaged,
                shortage_quantity: l.short(v.inbound.receipt_closed),
                over_quantity: (l.counted() - l.expected).max(0),
            }
        })
        .collect();
    let mfskuid = |id: i64| skus.get(&SkuId(id)).map(|s| s.mfskuid.clone()).unwrap_or_default();
    let carton_list = cartons(v, mfskuid)
        .into_iter()
        .map(|c| CartonOut {
            carton_number: c.number,
            seller_carton_number: c.seller_number,
            product_list: c
                .products
                .into_iter()
                .map(|(mfskuid, quantity)| CartonProductOut { mfskuid, quantity })
                .collect(),
        })
        .collect();
    let token = v.details["fileToken"].as_str().unwrap_or_default();
    let file_list = v.details["fileList"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|f| FileOut {
            file_name: f["fileName"].clone(),
            file_type: f["fileType"].clone(),
            file: files::url(headers, token, f["name"].as_str().unwrap_or_default()),
            verify_status: f["verifyStatus"].clone(),
            fail_reason: None,
        })
        .collect();
    InboundDetailRow {
        summary: summary(v, wh),
        seller_inbound_number_lower: v.reference.clone(),
        shipping_from: v.details.pointer("/request/shippingFrom").cloned().unwrap_or(Value::Null),
        vat: v.details["vat"].clone(),
        asn_list: vec![AsnOut { asn_number: v.inbound.number.clone() }],
        batch_list: vec![],
        booking_number: None,
        appointment_booked: v.inbound.has_appointment,
        sku_list,
        carton_list,
        tracking_list: v.details.get("trackingList").cloned().unwrap_or_else(|| Value::Array(vec![])),
        file_list,
        discrepancy_list: discrepancies
            .iter()
            .map(|d| {
                let s = d.sku_id.and_then(|id| skus.get(&id));
                DiscrepancyOut {
                    kind: d.kind.as_str().to_ascii_uppercase(),
                    mfskuid: s.map(|s| s.mfskuid.clone()).or_else(|| d.code.clone()),
                    seller_sku_id: s.map(|s| s.seller_sku.clone()),
                    expected_quantity: d.expected,
                    received_quantity: d.received,
                    quantity: d.quantity,
                    note: d.note.clone(),
                    create_time: format_datetime(d.created_at_ms),
                }
            })
            .collect(),
    }
}

pub use entrepot_ops::inbound_files::{cartons, Carton, CARTON_MARKS, SKU_LABELS};
