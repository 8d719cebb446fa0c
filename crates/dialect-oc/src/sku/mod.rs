//! SKUCreation and SKUQuery (spec §5.1, §5.2), v1, v2 and v3 on one handler each: OC's versions
//! differ in fields we read leniently anyway.
//!
//! Choices where OC's material is silent (an ERP developer's expectations):
//! - Creation is per item: good items are created, bad ones come back in `errors[]` with
//!   `id` = referenceSKUID and a message starting `Item n:`. At most [`MAX_BATCH`] items (OC's
//!   doc says both 200 and 2000; the lower one is refused clearly rather than half-done).
//! - `sellerSKUID` equals `referenceSKUID` for API-created SKUs (OC's guide); a referenceSKUID the
//!   client already used (as reference or seller SKU) is refused naming the existing MFSKUID,
//!   never a second SKU. SKUs start as drafts; the seller submits and staff audit them through
//!   `entrepot admin`.
//! - Weight, dimensions, declared value and HS code are optional (OC's own example has none).
//!   Their key names are not public, so these are read: `weight`/`grossWeight` + `weightUnit`
//!   (g, kg, lb, oz), `length`/`width`/`height` + `dimensionUnit` (mm, cm, m, in, ft; OC makes
//!   the unit mandatory with a length, and so do we for weight), `declaredValue` + `currency`
//!   (default: the client's currency), `hscode` or `hscodeList:[{hscode}]`.
//! - Everything else the item carries (barcodes, battery details, salesURL, serviceRegionList,
//!   WEEE number, files, names in other languages, unknown v3 keys) is kept verbatim and echoed
//!   by the query.
//! - The query's status field is `status`, after OC's portal tabs: `Draft`, `Under Review`,
//!   `Approved`, `Review Failed` (with `rejectReason`). Weights are answered in grams
//!   (`weightUnit: "g"`), dimensions in centimetres (`dimensionUnit: "cm"`), the declared value as
//!   a decimal string.
//! - Query lists are a union (a SKU named by any list is returned) and the time window, on the
//!   SKU's last change, narrows them. An unknown MFSKUID is an error (it is an id Entrepot gave);
//!   a referenceSKUID or sellerSKUID that matches nothing is simply absent (asking is how an ERP
//!   finds out). `ebayCustomLabel` matches the seller SKU. `page` is 1-based; `limit` defaults to
//!   and may not exceed 200 (`pageNumber`/`pageSize` are accepted too).

pub mod transformers;
pub mod types;

use std::collections::BTreeMap;

use axum::{extract::State, response::Response, routing::post, Router};
use entrepot_app::{SkuCreation, SkuFilter};
use entrepot_core::{ids::SkuId, sku::Sku, CoreError};
use serde_json::Value;

use crate::{
    envelope::{code, ErrorItem, OcError},
    fields::decode,
    request::OcCall,
    OcState,
};
use transformers::Criteria;
use types::{SkuCreated, SkuItem, SkuQuery};

/// Items per creation request and SKUs per query page.
pub const MAX_BATCH: usize = 200;
/// Entries per id list of a query.
pub const MAX_LIST: usize = 200;
/// What one SKU's kept extras may weigh, serialized.
pub const MAX_DETAILS: usize = 64 * 1024;

pub fn routes() -> Router<OcState> {
    let mut r = Router::new();
    for v in ["v1", "v2", "v3"] {
        r = r
            .route(&format!("/openapi/3pp/sku/{v}/creation"), post(create))
            .route(&format!("/openapi/3pp/sku/{v}/query"), post(query));
    }
    r
}

async fn create(State(st): State<OcState>, call: OcCall) -> Response {
    let items = match batch(&call.data) {
        Ok(items) => items,
        Err(e) => return call.refuse(e),
    };
    let currency = match st.app.client(&call.client).await {
        Ok(c) => c.currency,
        Err(e) => return call.refuse(e.into()),
    };
    let mut done = vec![];
    let mut errors = vec![];
    for (k, item) in items.iter().enumerate() {
        let line = k + 1;
        let parsed = decode::<SkuItem>(item, "data[]");
        let reference = parsed.as_ref().ok().and_then(|o| o.reference_sku_id.text());
        let fail = |e: CoreError| ErrorItem::from_core(&e.at_line(line), reference.clone());
        let (new, details) = match parsed.and_then(|o| transformers::new_sku(&o, item, &currency)) {
            Ok(x) => x,
            Err(e) => {
                errors.push(fail(e));
                continue;
            }
        };
        match st.app.create_sku_once(&call.client, new, Some(&details)).await {
            Ok(SkuCreation::Created(s)) => done.push(SkuCreated::from(&s)),
            Ok(SkuCreation::Exists(s)) => errors.push(ErrorItem {
                code: "3A0409".into(),
                id: reference.clone(),
                message: format!(
                    "Item {line}: referenceSKUID [{}] already exists as MFSKUID [{}]; a SKU is created once per \
                     referenceSKUID.",
                    reference.clone().unwrap_or_default(),
                    s.mfskuid
                ),
            }),
            Err(e) if e != CoreError::Internal => errors.push(fail(e)),
            Err(e) => {
                let internal = OcError::from(e);
                errors.extend(internal.items.into_iter().map(|i| ErrorItem { id: reference.clone(), ..i }));
            }
        }
    }
    let code =
        errors.iter().map(|e| if e.code.starts_with('5') { code::INTERNAL } else { code::REQUEST }).max().unwrap_or(0);
    call.respond_partial(done, errors, code)
}

/// The items of a creation request: `data` is an array (a single object is taken as one item).
fn batch(data: &Value) -> Result<Vec<&Value>, OcError> {
    crate::fields::batch(data, "SKUs", MAX_BATCH)
}

async fn query(State(st): State<OcState>, call: OcCall) -> Response {
    call.respond(run_query(&st, &call).await)
}

async fn run_query(st: &OcState, call: &OcCall) -> Result<Vec<Value>, OcError> {
    let c = Criteria::try_from(decode::<SkuQuery>(&call.data, "data")?)?;
    let offset = (c.page - 1).saturating_mul(c.limit);
    let app = &st.app;
    let (page, extras) = if c.mfskuids.is_empty() && c.references.is_empty() && c.sellers.is_empty() {
        let f = SkuFilter {
            updated_from_ms: c.from_ms,
            updated_to_ms: c.to_ms.map(|t| t - 1),
            offset,
            limit: c.limit,
            ..SkuFilter::default()
        };
        let (page, _) = app.list_skus(&call.client, &f).await?;
        let ids: Vec<SkuId> = page.iter().map(|s| s.id).collect();
        let extras = app.sku_extras(&call.client, &ids).await?;
        (page, extras)
    } else {
        let mut found: BTreeMap<SkuId, Sku> = BTreeMap::new();
        if !c.mfskuids.is_empty() {
            let f = SkuFilter { mfskuids: c.mfskuids.clone(), ..SkuFilter::default() };
            let (skus, _) = app.list_skus(&call.client, &f).await?;
            unknown_mfskuids(&c.mfskuids, &skus)?;
            found.extend(skus.into_iter().map(|s| (s.id, s)));
        }
        for f in [
            SkuFilter { reference_skus: c.references.clone(), ..SkuFilter::default() },
            SkuFilter { seller_skus: c.sellers.clone(), ..SkuFilter::default() },
        ] {
            if f.reference_skus.is_empty() && f.seller_skus.is_empty() {
                continue;
            }
            found.extend(app.list_skus(&call.client, &f).await?.0.into_iter().map(|s| (s.id, s)));
        }
        let ids: Vec<SkuId> = found.keys().copied().collect();
        let extras = app.sku_extras(&call.client, &ids).await?;
        let in_window = |s: &Sku| {
            let t = extras.get(&s.id).map(|e| e.updated_at_ms).unwrap_or(0);
            c.from_ms.is_none_or(|f| t >= f) && c.to_ms.is_none_or(|to| t < to)
        };
        let page = found
            .into_values()
            .filter(in_window)
            .skip(usize::try_from(offset).unwrap_or(usize::MAX))
            .take(c.limit as usize)
            .collect();
        (page, extras)
    };
    Ok(page.iter().map(|s| transformers::sku_view(s, extras.get(&s.id))).collect())
}

/// Refuses MFSKUIDs the client does not have (another client's read the same), one error each.
pub fn unknown_mfskuids(asked: &[String], found: &[Sku]) -> Result<(), OcError> {
    let items: Vec<ErrorItem> = asked
        .iter()
        .filter(|m| !found.iter().any(|s| s.mfskuid.eq_ignore_ascii_case(m)))
        .map(|m| ErrorItem::from_core(&CoreError::not_found("MFSKUID", m), Some(m.clone())))
        .collect();
    if items.is_empty() {
        Ok(())
    } else {
        Err(OcError { code: code::REQUEST, items })
    }
}
