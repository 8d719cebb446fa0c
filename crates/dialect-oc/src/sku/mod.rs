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

use std::collections::BTreeMap;

use axum::{extract::State, response::Response, routing::post, Router};
use entrepot_app::{NewSku, SkuCreation, SkuExtras, SkuFilter};
use entrepot_core::{
    country,
    ids::SkuId,
    limits,
    money::{format_minor, Currency},
    sku::{CustomsProperty, Sku, SkuStatus},
    CoreError,
};
use entrepot_wire::{as_bool_lenient, as_decimal_minor, as_string_lenient, get_ci};
use serde_json::{json, Map, Value};

use crate::{
    envelope::{code, ErrorItem, OcError},
    fields::Obj,
    request::OcCall,
    time::{self, DayEnd},
    OcState,
};

/// Items per creation request and SKUs per query page.
pub const MAX_BATCH: usize = 200;
/// Entries per id list of a query.
pub const MAX_LIST: usize = 200;
/// What one SKU's kept extras may weigh, serialized.
const MAX_DETAILS: usize = 64 * 1024;

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
        let reference = Obj::of(item, "data").ok().and_then(|o| o.text(REFERENCE));
        let fail = |e: CoreError| ErrorItem::from_core(&e.at_line(line), reference.clone());
        let (new, details) = match read_item(item, &currency) {
            Ok(x) => x,
            Err(e) => {
                errors.push(fail(e));
                continue;
            }
        };
        match st.app.create_sku_once(&call.client, new, Some(&details)).await {
            Ok(SkuCreation::Created(s)) => done.push(json!({
                "referenceSKUID": s.reference_sku,
                "MFSKUID": s.mfskuid,
                "sellerSKUID": s.seller_sku,
                "status": status_text(s.status),
            })),
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
    call.respond_partial(Value::Array(done), errors, code)
}

const REFERENCE: &[&str] = &["referenceSKUID", "referenceSkuId"];

/// The items of a creation request: `data` is an array (a single object is taken as one item).
fn batch(data: &Value) -> Result<Vec<&Value>, OcError> {
    crate::fields::batch(data, "SKUs", MAX_BATCH)
}

/// One creation item as a draft SKU, and what is kept of it verbatim.
fn read_item(item: &Value, currency: &Currency) -> Result<(NewSku, Value), CoreError> {
    let o = Obj::of(item, "data[]")?;
    let reference = o.required(REFERENCE, 64)?;
    let names = names(&o)?;
    let name_en = names
        .iter()
        .find(|(l, _)| l.eq_ignore_ascii_case("en-US"))
        .or_else(|| names.iter().find(|(l, _)| l.to_ascii_lowercase().starts_with("en")))
        .or(names.first())
        .map(|(_, n)| n.clone())
        .ok_or_else(|| CoreError::invalid("SKUNameList", "needs at least one SKUName (en-US preferred)"))?;
    let name_cn = names.iter().find(|(l, _)| l.to_ascii_lowercase().starts_with("zh")).map(|(_, n)| n.clone());
    let image_url = o.texts(&["SKUPictureURLList"], &["SKUPictureURL", "url"])?.into_iter().next();
    if image_url.as_ref().is_some_and(|u| u.chars().count() > 1000) {
        return Err(CoreError::invalid("SKUPictureURL", "is longer than 1000 characters"));
    }
    let origin_country =
        match o.text(&["countryOfOrigin", "originCountry"]) {
            Some(c) => Some(country::by_code(&c).map(|k| k.iso2.to_owned()).ok_or_else(|| {
                CoreError::invalid("countryOfOrigin", format!("'{c}' is not an ISO-3166 alpha-2 code"))
            })?),
            None => None,
        };
    let weight_g = limits::weight_g("weight", measure(&o, &["weight", "grossWeight"], &["weightUnit"], WEIGHT_UNITS)?)?;
    let mut dims = [0i64; 3];
    for (k, key) in ["length", "width", "height"].into_iter().enumerate() {
        dims[k] = limits::dimension_mm(key, measure(&o, &[key], &["dimensionUnit", "lengthUnit"], LENGTH_UNITS)?)?;
    }
    let (declared_value, declared_currency) = declared(&o, currency)?;
    limits::amount_minor("declaredValue", declared_value)?;
    let hs_code = match o.optional(&["hscode", "hsCode"], 32)? {
        Some(h) => Some(h),
        None => o.texts(&["hscodeList"], &["hscode", "hsCode", "code"])?.into_iter().next(),
    };
    let details = Value::Object(item.as_object().cloned().unwrap_or_default());
    if details.to_string().len() > MAX_DETAILS {
        return Err(CoreError::invalid("data[]", format!("is larger than {MAX_DETAILS} bytes")));
    }
    let new = NewSku {
        seller_sku: reference.clone(),
        reference_sku: Some(reference),
        name_en,
        name_cn,
        weight_g,
        length_mm: dims[0],
        width_mm: dims[1],
        height_mm: dims[2],
        declared_value,
        declared_currency,
        hs_code,
        origin_country,
        properties: battery(&o)?,
        image_url,
        status: SkuStatus::Draft,
    };
    Ok((new, details))
}

/// `SKUNameList:[{SKUName, languageCode}]` as (language, name); plain strings have no language.
fn names(o: &Obj) -> Result<Vec<(String, String)>, CoreError> {
    let mut out = vec![];
    for v in o.list(&["SKUNameList"])? {
        let (lang, name) = match v {
            Value::Object(m) => {
                let e = Obj(m);
                (e.text(&["languageCode", "language"]).unwrap_or_default(), e.text(&["SKUName", "name"]))
            }
            other => (String::new(), as_string_lenient(other).map(|s| s.trim().to_owned())),
        };
        if let Some(name) = name.filter(|n| !n.is_empty()) {
            if name.chars().count() > 500 {
                return Err(CoreError::invalid("SKUName", "is longer than 500 characters"));
            }
            out.push((lang, name));
        }
    }
    if out.is_empty() {
        if let Some(n) = o.optional(&["SKUName"], 500)? {
            out.push(("en-US".into(), n));
        }
    }
    Ok(out)
}

/// Units and their size in the base unit (g or mm) as a fraction, so conversion stays exact.
type Units = &'static [(&'static [&'static str], i128, i128)];
const WEIGHT_UNITS: Units = &[
    (&["g", "gram", "grams"], 1, 1),
    (&["kg", "kgs"], 1000, 1),
    (&["lb", "lbs"], 45_359_237, 100_000),
    (&["oz"], 28_349_523_125, 1_000_000_000),
];
const LENGTH_UNITS: Units =
    &[(&["mm"], 1, 1), (&["cm"], 10, 1), (&["m"], 1000, 1), (&["in", "inch", "inches"], 254, 10), (&["ft"], 3048, 10)];

/// A weight or length in its unit, converted to whole grams or millimetres (rounded half up);
/// 0 when absent.
fn measure(o: &Obj, keys: &[&str], unit_keys: &[&str], units: Units) -> Result<i64, CoreError> {
    let Some(v) = o.get(keys) else { return Ok(0) };
    let field = keys[0];
    // Millionths of the unit, without floating point.
    let Some(micro) = as_decimal_minor(v, 6).map_err(|e| CoreError::invalid(field, e))? else { return Ok(0) };
    if micro < 0 {
        return Err(CoreError::invalid(field, "must not be negative"));
    }
    let names = || units.iter().map(|u| u.0[0]).collect::<Vec<_>>().join(", ");
    let unit = o
        .text(unit_keys)
        .ok_or_else(|| CoreError::invalid(unit_keys[0], format!("is required with {field} ({})", names())))?;
    let (_, num, den) = units
        .iter()
        .find(|u| u.0.iter().any(|n| n.eq_ignore_ascii_case(&unit)))
        .ok_or_else(|| CoreError::invalid(unit_keys[0], format!("'{unit}' is not one of {}", names())))?;
    let d = den * 1_000_000;
    let base = (i128::from(micro) * num + d / 2) / d;
    i64::try_from(base).map_err(|_| CoreError::invalid(field, "is too large"))
}

/// `declaredValue` in minor units of `currency` (the client's currency when neither is sent).
fn declared(o: &Obj, client_currency: &Currency) -> Result<(i64, String), CoreError> {
    let cur = match o.text(&["currency", "declaredCurrency", "declaredValueCurrency"]) {
        Some(c) => Some(Currency::parse(&c)?),
        None => None,
    };
    let Some(v) = o.get(&["declaredValue", "declareValue"]) else {
        return Ok((0, cur.unwrap_or_else(|| client_currency.clone()).as_str().to_owned()));
    };
    let cur = cur.ok_or_else(|| CoreError::invalid("currency", "is required with declaredValue"))?;
    let minor = as_decimal_minor(v, cur.exponent()).map_err(|e| CoreError::invalid("declaredValue", e))?.unwrap_or(0);
    if minor < 0 {
        return Err(CoreError::invalid("declaredValue", "must not be negative"));
    }
    Ok((minor, cur.as_str().to_owned()))
}

const BATTERY_FORMS: [&str; 3] = ["PB", "BCE", "BPE"];
const BATTERY_TYPES: [&str; 3] = ["BC", "OLB", "OT"];
const BATTERY_TYPES_NEW: [&str; 7] = ["PLB", "ALB", "OPB", "OAB", "BB", "BLB", "OBB"];

/// `withBattery`/`batteryForm` as the customs properties carriers restrict: a pure battery (`PB`)
/// ships as battery only, a battery in or packed with equipment (`BCE`, `BPE`, or `withBattery`
/// alone) as built-in.
fn battery(o: &Obj) -> Result<Vec<CustomsProperty>, CoreError> {
    let enumerated = |key: &str, allowed: &[&str]| -> Result<Option<String>, CoreError> {
        match o.text(&[key]) {
            Some(v) => allowed
                .iter()
                .find(|a| a.eq_ignore_ascii_case(&v))
                .map(|a| Some((*a).to_owned()))
                .ok_or_else(|| CoreError::invalid(key, format!("'{v}' is not one of {}", allowed.join(", ")))),
            None => Ok(None),
        }
    };
    let form = enumerated("batteryForm", &BATTERY_FORMS)?;
    enumerated("batteryType", &BATTERY_TYPES)?;
    enumerated("batteryTypeNew", &BATTERY_TYPES_NEW)?;
    let with = match o.get(&["withBattery"]) {
        None => None,
        Some(v) => Some(as_bool_lenient(v).ok_or_else(|| CoreError::invalid("withBattery", "must be true or false"))?),
    };
    match (with, form.as_deref()) {
        (Some(false), Some(f)) => {
            Err(CoreError::invalid("batteryForm", format!("is {f} but withBattery is false; send one or the other")))
        }
        (_, Some("PB")) => Ok(vec![CustomsProperty::BatteryOnly]),
        (_, Some(_)) | (Some(true), None) => Ok(vec![CustomsProperty::BuiltInBattery]),
        _ => Ok(vec![]),
    }
}

/// OC's portal names for the audit status.
pub fn status_text(s: SkuStatus) -> &'static str {
    match s {
        SkuStatus::Draft => "Draft",
        SkuStatus::Submitted => "Under Review",
        SkuStatus::Approved => "Approved",
        SkuStatus::Rejected => "Review Failed",
    }
}

async fn query(State(st): State<OcState>, call: OcCall) -> Response {
    call.respond(run_query(&st, &call).await)
}

/// The criteria of a SKU query.
struct Criteria {
    from_ms: Option<i64>,
    /// Exclusive.
    to_ms: Option<i64>,
    mfskuids: Vec<String>,
    references: Vec<String>,
    sellers: Vec<String>,
    page: i64,
    limit: i64,
}

fn criteria(data: &Value) -> Result<Criteria, CoreError> {
    let o = Obj::of(data, "data")?;
    let from_ms = o.time(&["startTime"], DayEnd::Start)?;
    let to_ms = o.time(&["endTime"], DayEnd::End)?;
    if let (Some(f), Some(t)) = (from_ms, to_ms) {
        if f >= t {
            return Err(CoreError::invalid("startTime", "must be before endTime"));
        }
    }
    let mfskuids: Vec<String> =
        o.texts(&["mfskulist", "mfSkuList", "MFSKUIDList"], &["mfskuid"])?.iter().map(|s| s.to_uppercase()).collect();
    let mut references = vec![];
    let mut sellers = o.texts(&["sellerSKUIDList"], &["sellerSKUID"])?;
    for v in o.list(&["referenceSKUIDList"])? {
        match v {
            Value::Object(m) => {
                references.extend(Obj(m).text(REFERENCE));
                sellers.extend(Obj(m).text(&["ebayCustomLabel"]));
            }
            other => references.extend(as_string_lenient(other).map(|s| s.trim().to_owned()).filter(|s| !s.is_empty())),
        }
    }
    for (name, list) in [("mfskulist", &mfskuids), ("referenceSKUIDList", &references), ("sellerSKUIDList", &sellers)] {
        if list.len() > MAX_LIST {
            return Err(CoreError::invalid(
                name,
                format!("has {} entries; at most {MAX_LIST} are allowed", list.len()),
            ));
        }
    }
    if mfskuids.is_empty() && references.is_empty() && sellers.is_empty() && from_ms.is_none() && to_ms.is_none() {
        return Err(CoreError::invalid(
            "data",
            "needs at least one entry in mfskulist, referenceSKUIDList or sellerSKUIDList, or a startTime/endTime",
        ));
    }
    let page = o.int(&["page", "pageNumber", "pageNo"])?.unwrap_or(1);
    if page < 1 {
        return Err(CoreError::invalid("page", format!("must be 1 or more, not {page}")));
    }
    let limit = o.int(&["limit", "pageSize"])?.unwrap_or(MAX_BATCH as i64);
    if !(1..=MAX_BATCH as i64).contains(&limit) {
        return Err(CoreError::invalid("limit", format!("must be between 1 and {MAX_BATCH}, not {limit}")));
    }
    Ok(Criteria { from_ms, to_ms, mfskuids, references, sellers, page, limit })
}

async fn run_query(st: &OcState, call: &OcCall) -> Result<Value, OcError> {
    let c = criteria(&call.data)?;
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
    Ok(Value::Array(page.iter().map(|s| sku_json(s, extras.get(&s.id))).collect()))
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

/// A length in mm as centimetres.
fn cm(mm: i64) -> Value {
    if mm % 10 == 0 {
        json!(mm / 10)
    } else {
        serde_json::from_str(&format!("{}.{}", mm / 10, (mm % 10).abs())).unwrap_or(Value::Null)
    }
}

/// A SKU as SKUQuery shows it: our columns first, then whatever else the ERP sent at creation.
pub fn sku_json(s: &Sku, extras: Option<&SkuExtras>) -> Value {
    let empty = Map::new();
    let details = extras.and_then(|e| e.oc_details.as_ref()).and_then(Value::as_object).unwrap_or(&empty);
    let mut names = vec![json!({"SKUName": s.name_en, "languageCode": "en-US"})];
    if let Some(cn) = &s.name_cn {
        names.push(json!({"SKUName": cn, "languageCode": "zh-CN"}));
    }
    if let Some(Value::Array(sent)) = get_ci(details, "SKUNameList") {
        let other_language = |v: &&Value| {
            let lang = v.as_object().and_then(|m| get_ci(m, "languageCode")).and_then(Value::as_str).unwrap_or("");
            let l = lang.to_ascii_lowercase();
            !l.is_empty() && !l.starts_with("en") && !l.starts_with("zh")
        };
        names.extend(sent.iter().filter(other_language).cloned());
    }
    let mut pictures: Vec<Value> = s.image_url.iter().map(|u| json!({"SKUPictureURL": u})).collect();
    if let Some(Value::Array(sent)) = get_ci(details, "SKUPictureURLList") {
        pictures.extend(sent.iter().skip(1).cloned());
    }
    let battery_only = s.properties.contains(&CustomsProperty::BatteryOnly);
    let with_battery = battery_only || s.properties.contains(&CustomsProperty::BuiltInBattery);
    let sent_form = get_ci(details, "batteryForm").and_then(as_string_lenient).filter(|f| !f.trim().is_empty());
    let battery_form = match (with_battery, sent_form) {
        (false, _) => None,
        (true, Some(f)) => Some(f),
        (true, None) => Some(if battery_only { "PB" } else { "BCE" }.to_owned()),
    };
    let sioc = get_ci(details, "SIOC").and_then(as_bool_lenient).unwrap_or(false);
    let region = get_ci(details, "serviceRegionList")
        .and_then(Value::as_array)
        .and_then(|l| l.first())
        .and_then(Value::as_object)
        .and_then(|m| get_ci(m, "serviceRegion"))
        .cloned();
    let mut out = json!({
        "MFSKUID": s.mfskuid,
        "referenceSKUID": s.reference_sku.clone().unwrap_or_else(|| s.seller_sku.clone()),
        "sellerSKUID": s.seller_sku,
        "SKUNameList": names,
        "SKUDescription": get_ci(details, "SKUDescription").cloned(),
        "SKUPictureURLList": pictures,
        "weight": s.weight_g,
        "weightUnit": "g",
        "length": cm(s.length_mm),
        "width": cm(s.width_mm),
        "height": cm(s.height_mm),
        "dimensionUnit": "cm",
        "declaredValue": format_minor(s.declared_value, Currency::parse(&s.declared_currency).map_or(2, |c| c.exponent())),
        "currency": s.declared_currency,
        "hscode": s.hs_code,
        "countryOfOrigin": s.origin_country,
        "withBattery": with_battery,
        "batteryForm": battery_form,
        "SIOC": sioc,
        "serviceRegion": region,
        "status": status_text(s.status),
        "rejectReason": s.reject_reason,
        "createTime": extras.map(|e| time::format_datetime(e.created_at_ms)),
        "updateTime": extras.map(|e| time::format_datetime(e.updated_at_ms)),
    });
    if let Value::Object(m) = &mut out {
        for (k, v) in details {
            if get_ci(m, k).is_none() && !v.is_null() {
                m.insert(k.clone(), v.clone());
            }
        }
    }
    out
}
