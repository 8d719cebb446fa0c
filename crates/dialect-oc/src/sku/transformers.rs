//! SKU bodies to and from core types: a creation item to a draft [`NewSku`], a query to its
//! [`Criteria`], a [`Sku`] to what creation and query answer.

use entrepot_app::{NewSku, SkuExtras};
use entrepot_core::{
    country, limits,
    money::{format_minor, Currency},
    sku::{CustomsProperty, Sku, SkuStatus},
    CoreError,
};
use entrepot_wire::{as_bool_lenient, as_decimal_minor, as_string_lenient, get_ci};
use serde_json::{Map, Number, Value};

use super::{
    types::{
        status_text, Echoed, HsCodeIn, MfskuIn, PictureIn, PictureOut, ReferenceIn, SellerIn, SkuCreated, SkuItem,
        SkuNameIn, SkuNameOut, SkuQuery, SkuView,
    },
    MAX_BATCH, MAX_DETAILS, MAX_LIST,
};
use crate::{
    fields::{decode, trimmed, Field},
    time::{self, DayEnd},
};

/// One creation item (`item` as sent, `o` as read) as a draft SKU, and what is kept of it
/// verbatim; `currency` is the client's, for a declared value sent without one.
pub fn new_sku(o: &SkuItem, item: &Value, currency: &Currency) -> Result<(NewSku, Value), CoreError> {
    let reference = o.reference_sku_id.required("referenceSKUID", 64)?;
    let names = names(o)?;
    let name_en = names
        .iter()
        .find(|(l, _)| l.eq_ignore_ascii_case("en-US"))
        .or_else(|| names.iter().find(|(l, _)| l.to_ascii_lowercase().starts_with("en")))
        .or(names.first())
        .map(|(_, n)| n.clone())
        .ok_or_else(|| CoreError::invalid("SKUNameList", "needs at least one SKUName (en-US preferred)"))?;
    let name_cn = names.iter().find(|(l, _)| l.to_ascii_lowercase().starts_with("zh")).map(|(_, n)| n.clone());
    let image_url = o
        .sku_picture_url_list
        .texts("SKUPictureURLList", |p: &PictureIn| p.sku_picture_url.or(&p.url))?
        .into_iter()
        .next();
    if image_url.as_ref().is_some_and(|u| u.chars().count() > 1000) {
        return Err(CoreError::invalid("SKUPictureURL", "is longer than 1000 characters"));
    }
    let origin_country =
        match o.country_of_origin.or(&o.origin_country).text() {
            Some(c) => Some(country::by_code(&c).map(|k| k.iso2.to_owned()).ok_or_else(|| {
                CoreError::invalid("countryOfOrigin", format!("'{c}' is not an ISO-3166 alpha-2 code"))
            })?),
            None => None,
        };
    let weight_g = limits::weight_g(
        "weight",
        measure(o.weight.or(&o.gross_weight), "weight", &o.weight_unit, "weightUnit", WEIGHT_UNITS)?,
    )?;
    let mut dims = [0i64; 3];
    for (k, (key, v)) in [("length", &o.length), ("width", &o.width), ("height", &o.height)].into_iter().enumerate() {
        dims[k] = limits::dimension_mm(
            key,
            measure(v, key, o.dimension_unit.or(&o.length_unit), "dimensionUnit", LENGTH_UNITS)?,
        )?;
    }
    let (declared_value, declared_currency) = declared(o, currency)?;
    limits::amount_minor("declaredValue", declared_value)?;
    let hs_code = match o.hscode.optional("hscode", 32)? {
        Some(h) => Some(h),
        None => o.hscode_list.texts("hscodeList", |h: &HsCodeIn| h.hscode.or(&h.code))?.into_iter().next(),
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
        properties: battery(o)?,
        image_url,
        status: SkuStatus::Draft,
    };
    Ok((new, details))
}

/// `SKUNameList:[{SKUName, languageCode}]` as (language, name); plain strings have no language.
fn names(o: &SkuItem) -> Result<Vec<(String, String)>, CoreError> {
    let mut out = vec![];
    for (k, v) in o.sku_name_list.list("SKUNameList")?.into_iter().enumerate() {
        let (lang, name) = match v {
            Value::Object(_) => {
                let e: SkuNameIn = decode(v, &format!("SKUNameList[{k}]"))?;
                (e.language_code.or(&e.language).text().unwrap_or_default(), e.sku_name.or(&e.name).text())
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
        if let Some(n) = o.sku_name.optional("SKUName", 500)? {
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
fn measure(v: &Field, field: &str, unit: &Field, unit_field: &str, units: Units) -> Result<i64, CoreError> {
    let Some(v) = v.get() else { return Ok(0) };
    // Millionths of the unit, without floating point.
    let Some(micro) = as_decimal_minor(v, 6).map_err(|e| CoreError::invalid(field, e))? else { return Ok(0) };
    if micro < 0 {
        return Err(CoreError::invalid(field, "must not be negative"));
    }
    let names = || units.iter().map(|u| u.0[0]).collect::<Vec<_>>().join(", ");
    let unit =
        unit.text().ok_or_else(|| CoreError::invalid(unit_field, format!("is required with {field} ({})", names())))?;
    let (_, num, den) = units
        .iter()
        .find(|u| u.0.iter().any(|n| n.eq_ignore_ascii_case(&unit)))
        .ok_or_else(|| CoreError::invalid(unit_field, format!("'{unit}' is not one of {}", names())))?;
    let d = den * 1_000_000;
    let base = (i128::from(micro) * num + d / 2) / d;
    i64::try_from(base).map_err(|_| CoreError::invalid(field, "is too large"))
}

/// `declaredValue` in minor units of `currency` (the client's currency when neither is sent).
fn declared(o: &SkuItem, client_currency: &Currency) -> Result<(i64, String), CoreError> {
    let cur = match o.currency.or(&o.declared_currency).or(&o.declared_value_currency).text() {
        Some(c) => Some(Currency::parse(&c)?),
        None => None,
    };
    let Some(v) = o.declared_value.or(&o.declare_value).get() else {
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
fn battery(o: &SkuItem) -> Result<Vec<CustomsProperty>, CoreError> {
    let enumerated = |v: &Field, key: &str, allowed: &[&str]| -> Result<Option<String>, CoreError> {
        match v.text() {
            Some(v) => allowed
                .iter()
                .find(|a| a.eq_ignore_ascii_case(&v))
                .map(|a| Some((*a).to_owned()))
                .ok_or_else(|| CoreError::invalid(key, format!("'{v}' is not one of {}", allowed.join(", ")))),
            None => Ok(None),
        }
    };
    let form = enumerated(&o.battery_form, "batteryForm", &BATTERY_FORMS)?;
    enumerated(&o.battery_type, "batteryType", &BATTERY_TYPES)?;
    enumerated(&o.battery_type_new, "batteryTypeNew", &BATTERY_TYPES_NEW)?;
    let with = match o.with_battery.get() {
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

impl From<&Sku> for SkuCreated {
    fn from(s: &Sku) -> Self {
        Self {
            reference_sku_id: s.reference_sku.clone(),
            mfskuid: s.mfskuid.clone(),
            seller_sku_id: s.seller_sku.clone(),
            status: status_text(s.status),
        }
    }
}

/// The criteria of a SKU query.
pub struct Criteria {
    pub from_ms: Option<i64>,
    /// Exclusive.
    pub to_ms: Option<i64>,
    pub mfskuids: Vec<String>,
    pub references: Vec<String>,
    pub sellers: Vec<String>,
    pub page: i64,
    pub limit: i64,
}

impl TryFrom<SkuQuery> for Criteria {
    type Error = CoreError;

    fn try_from(o: SkuQuery) -> Result<Self, CoreError> {
        let from_ms = o.start_time.time("startTime", DayEnd::Start)?;
        let to_ms = o.end_time.time("endTime", DayEnd::End)?;
        if let (Some(f), Some(t)) = (from_ms, to_ms) {
            if f >= t {
                return Err(CoreError::invalid("startTime", "must be before endTime"));
            }
        }
        let mfskuids: Vec<String> = o
            .mfsku_list
            .or(&o.mfskuid_list)
            .texts("mfskulist", |m: &MfskuIn| &m.mfskuid)?
            .iter()
            .map(|s| s.to_uppercase())
            .collect();
        let mut references = vec![];
        let mut sellers = o.seller_list.texts("sellerSKUIDList", |s: &SellerIn| &s.seller_sku_id)?;
        for (k, v) in o.reference_list.list("referenceSKUIDList")?.into_iter().enumerate() {
            match v {
                Value::Object(_) => {
                    let r: ReferenceIn = decode(v, &format!("referenceSKUIDList[{k}]"))?;
                    references.extend(r.reference_sku_id.text());
                    sellers.extend(r.ebay_custom_label.text());
                }
                other => references.extend(trimmed(other)),
            }
        }
        for (name, list) in
            [("mfskulist", &mfskuids), ("referenceSKUIDList", &references), ("sellerSKUIDList", &sellers)]
        {
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
        let page = o.page.or(&o.page_number).or(&o.page_no).int("page")?.unwrap_or(1);
        if page < 1 {
            return Err(CoreError::invalid("page", format!("must be 1 or more, not {page}")));
        }
        let limit = o.limit.or(&o.page_size).int("limit")?.unwrap_or(MAX_BATCH as i64);
        if !(1..=MAX_BATCH as i64).contains(&limit) {
            return Err(CoreError::invalid("limit", format!("must be between 1 and {MAX_BATCH}, not {limit}")));
        }
        Ok(Criteria { from_ms, to_ms, mfskuids, references, sellers, page, limit })
    }
}

/// A length in mm as centimetres: whole, or with the one decimal millimetres give.
fn cm(mm: i64) -> Option<Number> {
    if mm % 10 == 0 {
        Some(Number::from(mm / 10))
    } else {
        format!("{}.{}", mm / 10, (mm % 10).abs()).parse().ok()
    }
}

/// A SKU as SKUQuery shows it: our fields, then whatever else the ERP sent at creation (a free-form
/// part: those keys are the ERP's, kept verbatim, so they are merged as JSON).
pub fn sku_view(s: &Sku, extras: Option<&SkuExtras>) -> Value {
    let empty = Map::new();
    let details = extras.and_then(|e| e.oc_details.as_ref()).and_then(Value::as_object).unwrap_or(&empty);
    let mut names = vec![Echoed::Ours(SkuNameOut { name: s.name_en.clone(), language: "en-US" })];
    if let Some(cn) = &s.name_cn {
        names.push(Echoed::Ours(SkuNameOut { name: cn.clone(), language: "zh-CN" }));
    }
    if let Some(Value::Array(sent)) = get_ci(details, "SKUNameList") {
        let other_language = |v: &&Value| {
            let lang = v.as_object().and_then(|m| get_ci(m, "languageCode")).and_then(Value::as_str).unwrap_or("");
            let l = lang.to_ascii_lowercase();
            !l.is_empty() && !l.starts_with("en") && !l.starts_with("zh")
        };
        names.extend(sent.iter().filter(other_language).cloned().map(Echoed::Sent));
    }
    let mut pictures: Vec<Echoed<PictureOut>> =
        s.image_url.iter().map(|u| Echoed::Ours(PictureOut { url: u.clone() })).collect();
    if let Some(Value::Array(sent)) = get_ci(details, "SKUPictureURLList") {
        pictures.extend(sent.iter().skip(1).cloned().map(Echoed::Sent));
    }
    let battery_only = s.properties.contains(&CustomsProperty::BatteryOnly);
    let with_battery = battery_only || s.properties.contains(&CustomsProperty::BuiltInBattery);
    let sent_form = get_ci(details, "batteryForm").and_then(as_string_lenient).filter(|f| !f.trim().is_empty());
    let battery_form = match (with_battery, sent_form) {
        (false, _) => None,
        (true, Some(f)) => Some(f),
        (true, None) => Some(if battery_only { "PB" } else { "BCE" }.to_owned()),
    };
    let region = get_ci(details, "serviceRegionList")
        .and_then(Value::as_array)
        .and_then(|l| l.first())
        .and_then(Value::as_object)
        .and_then(|m| get_ci(m, "serviceRegion"))
        .cloned();
    let view = SkuView {
        mfskuid: s.mfskuid.clone(),
        reference_sku_id: s.reference_sku.clone().unwrap_or_else(|| s.seller_sku.clone()),
        seller_sku_id: s.seller_sku.clone(),
        sku_name_list: names,
        sku_description: get_ci(details, "SKUDescription").cloned(),
        sku_picture_url_list: pictures,
        weight: s.weight_g,
        weight_unit: "g",
        length: cm(s.length_mm),
        width: cm(s.width_mm),
        height: cm(s.height_mm),
        dimension_unit: "cm",
        declared_value: format_minor(
            s.declared_value,
            Currency::parse(&s.declared_currency).map_or(2, |c| c.exponent()),
        ),
        currency: s.declared_currency.clone(),
        hscode: s.hs_code.clone(),
        country_of_origin: s.origin_country.clone(),
        with_battery,
        battery_form,
        sioc: get_ci(details, "SIOC").and_then(as_bool_lenient).unwrap_or(false),
        service_region: region,
        status: status_text(s.status),
        reject_reason: s.reject_reason.clone(),
        create_time: extras.map(|e| time::format_datetime(e.created_at_ms)),
        update_time: extras.map(|e| time::format_datetime(e.updated_at_ms)),
    };
    let mut out = serde_json::to_value(view).unwrap_or(Value::Null);
    if let Value::Object(m) = &mut out {
        for (k, v) in details {
            if get_ci(m, k).is_none() && !v.is_null() {
                m.insert(k.clone(), v.clone());
            }
        }
    }
    out
}
