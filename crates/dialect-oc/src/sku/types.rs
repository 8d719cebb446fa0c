//! SKUCreation and SKUQuery bodies (spec §5.1, §5.2), and OC's names of the audit status.

use entrepot_core::sku::SkuStatus;
use serde::{Deserialize, Serialize};
use serde_json::{Number, Value};

use crate::fields::Field;

/// OC's portal names for the audit status.
pub fn status_text(s: SkuStatus) -> &'static str {
    match s {
        SkuStatus::Draft => "Draft",
        SkuStatus::Submitted => "Under Review",
        SkuStatus::Approved => "Approved",
        SkuStatus::Rejected => "Review Failed",
    }
}

/// `POST /openapi/3pp/sku/v{1,2,3}/creation`: one item of `data` (a list; one object alone is
/// one item). The whole item is also kept verbatim and echoed by the query.
#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct SkuItem {
    #[serde(rename = "referenceSKUID")]
    pub reference_sku_id: Field,
    /// `[{SKUName, languageCode}]` or plain names.
    #[serde(rename = "SKUNameList")]
    pub sku_name_list: Field,
    /// A single English name, read when `SKUNameList` has none.
    #[serde(rename = "SKUName")]
    pub sku_name: Field,
    /// `[{SKUPictureURL}]` or plain URLs; the first is the SKU's image.
    #[serde(rename = "SKUPictureURLList")]
    pub sku_picture_url_list: Field,
    pub country_of_origin: Field,
    /// Read when `countryOfOrigin` is absent.
    pub origin_country: Field,
    pub weight: Field,
    /// Read when `weight` is absent.
    pub gross_weight: Field,
    pub weight_unit: Field,
    pub length: Field,
    pub width: Field,
    pub height: Field,
    pub dimension_unit: Field,
    /// Read when `dimensionUnit` is absent.
    pub length_unit: Field,
    pub declared_value: Field,
    /// Read when `declaredValue` is absent.
    pub declare_value: Field,
    pub currency: Field,
    /// Read when `currency` is absent, then `declaredValueCurrency`.
    pub declared_currency: Field,
    pub declared_value_currency: Field,
    pub hscode: Field,
    /// `[{hscode}]`, read when `hscode` is absent.
    pub hscode_list: Field,
    pub with_battery: Field,
    pub battery_form: Field,
    pub battery_type: Field,
    pub battery_type_new: Field,
}

/// An entry of `SKUNameList`.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct SkuNameIn {
    #[serde(rename = "SKUName")]
    pub sku_name: Field,
    /// Read when `SKUName` is absent.
    pub name: Field,
    #[serde(rename = "languageCode")]
    pub language_code: Field,
    /// Read when `languageCode` is absent.
    pub language: Field,
}

/// An entry of `SKUPictureURLList`.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct PictureIn {
    #[serde(rename = "SKUPictureURL")]
    pub sku_picture_url: Field,
    /// Read when `SKUPictureURL` is absent.
    pub url: Field,
}

/// An entry of `hscodeList`.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct HsCodeIn {
    pub hscode: Field,
    /// Read when `hscode` is absent.
    pub code: Field,
}

/// `POST /openapi/3pp/sku/v{1,2,3}/query`.
#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct SkuQuery {
    pub start_time: Field,
    pub end_time: Field,
    /// `[{mfskuid}]` or plain MFSKUIDs.
    #[serde(rename = "mfskulist")]
    pub mfsku_list: Field,
    /// Read when `mfskulist` is absent.
    #[serde(rename = "MFSKUIDList")]
    pub mfskuid_list: Field,
    /// `[{referenceSKUID, ebayCustomLabel}]` or plain references.
    #[serde(rename = "referenceSKUIDList")]
    pub reference_list: Field,
    /// `[{sellerSKUID}]` or plain seller SKUs.
    #[serde(rename = "sellerSKUIDList")]
    pub seller_list: Field,
    /// 1-based.
    pub page: Field,
    /// Read when `page` is absent, then `pageNo`.
    pub page_number: Field,
    pub page_no: Field,
    pub limit: Field,
    /// Read when `limit` is absent.
    pub page_size: Field,
}

/// An entry of a list of MFSKUIDs (`mfskulist`, and the inventory calls' `mfSkuList`/`skuList`).
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct MfskuIn {
    pub mfskuid: Field,
}

/// An entry of `referenceSKUIDList`.
#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct ReferenceIn {
    #[serde(rename = "referenceSKUID")]
    pub reference_sku_id: Field,
    /// eBay's name of the seller SKU.
    pub ebay_custom_label: Field,
}

/// An entry of `sellerSKUIDList`.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct SellerIn {
    #[serde(rename = "sellerSKUID")]
    pub seller_sku_id: Field,
}

/// SKUCreation: a created SKU, in `data[]`.
#[derive(Debug, Serialize)]
pub struct SkuCreated {
    #[serde(rename = "referenceSKUID")]
    pub reference_sku_id: Option<String>,
    #[serde(rename = "MFSKUID")]
    pub mfskuid: String,
    #[serde(rename = "sellerSKUID")]
    pub seller_sku_id: String,
    pub status: &'static str,
}

/// What the ERP sent, echoed as it was, beside what Entrepot renders itself.
#[derive(Debug, Serialize)]
#[serde(untagged)]
pub enum Echoed<T> {
    Ours(T),
    Sent(Value),
}

/// An entry of the query's `SKUNameList`.
#[derive(Debug, Serialize)]
pub struct SkuNameOut {
    #[serde(rename = "SKUName")]
    pub name: String,
    #[serde(rename = "languageCode")]
    pub language: &'static str,
}

/// An entry of the query's `SKUPictureURLList`.
#[derive(Debug, Serialize)]
pub struct PictureOut {
    #[serde(rename = "SKUPictureURL")]
    pub url: String,
}

/// SKUQuery: one SKU in `data[]`. The keys the ERP sent at creation and this struct does not
/// have are added to it as sent (see [`super::transformers::sku_view`]).
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SkuView {
    #[serde(rename = "MFSKUID")]
    pub mfskuid: String,
    #[serde(rename = "referenceSKUID")]
    pub reference_sku_id: String,
    #[serde(rename = "sellerSKUID")]
    pub seller_sku_id: String,
    #[serde(rename = "SKUNameList")]
    pub sku_name_list: Vec<Echoed<SkuNameOut>>,
    #[serde(rename = "SKUDescription")]
    pub sku_description: Option<Value>,
    #[serde(rename = "SKUPictureURLList")]
    pub sku_picture_url_list: Vec<Echoed<PictureOut>>,
    /// Grams.
    pub weight: i64,
    pub weight_unit: &'static str,
    /// Centimetres, a whole number or one decimal.
    pub length: Option<Number>,
    pub width: Option<Number>,
    pub height: Option<Number>,
    pub dimension_unit: &'static str,
    /// A decimal string in the currency's minor unit.
    pub declared_value: String,
    pub currency: String,
    pub hscode: Option<String>,
    pub country_of_origin: Option<String>,
    pub with_battery: bool,
    pub battery_form: Option<String>,
    #[serde(rename = "SIOC")]
    pub sioc: bool,
    pub service_region: Option<Value>,
    pub status: &'static str,
    pub reject_reason: Option<String>,
    pub create_time: Option<String>,
    pub update_time: Option<String>,
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::fields::decode;

    #[test]
    fn an_item_is_read_by_any_spelling_and_a_created_sku_keeps_ocs_key_names() {
        let item = json!({"REFERENCESKUID": " R1 ", "GrossWeight": "1.5", "WEIGHTUNIT": "kg", "declareValue": 3,
                          "declaredValueCurrency": "GBP", "hsCodeList": [{"code": "6109"}], "unknown": [1]});
        let o: SkuItem = decode(&item, "data[]").unwrap();
        assert_eq!(o.reference_sku_id.text().as_deref(), Some("R1"));
        assert_eq!(o.weight_unit.text().as_deref(), Some("kg"));
        assert_eq!(o.declared_value.or(&o.declare_value).int("declaredValue").unwrap(), Some(3));
        assert_eq!(o.hscode_list.texts("hscodeList", |h: &HsCodeIn| h.hscode.or(&h.code)).unwrap(), vec!["6109"]);
        assert_eq!(o.weight.or(&o.gross_weight).get(), Some(&json!("1.5")));
        assert_eq!(o.currency.or(&o.declared_currency).or(&o.declared_value_currency).text().as_deref(), Some("GBP"));
        // Both spellings of one field: the first name wins, as it always has, and nothing is refused.
        let q: SkuQuery = decode(&json!({"pageNumber": 3, "PAGE": 2, "pageSize": 10, "limit": null}), "data").unwrap();
        assert_eq!(q.page.or(&q.page_number).int("page").unwrap(), Some(2));
        assert_eq!(q.limit.or(&q.page_size).int("limit").unwrap(), Some(10));
        let created = SkuCreated {
            reference_sku_id: None,
            mfskuid: "OC1".into(),
            seller_sku_id: "R1".into(),
            status: status_text(SkuStatus::Submitted),
        };
        assert_eq!(
            serde_json::to_value(created).unwrap(),
            json!({"referenceSKUID": null, "MFSKUID": "OC1", "sellerSKUID": "R1", "status": "Under Review"})
        );
    }
}
