//! The columns of an order sheet: each field's template header, the names sellers' own sheets
//! give it (English and Simplified Chinese, from marketplace and ERP exports), and the mapping of
//! one header row onto the fields.

use std::collections::BTreeMap;

use entrepot_core::{CoreError, CoreResult};
use sha2::{Digest, Sha256};

use crate::types::import::{ImportField, ImportMapping, MappingSource};

/// The template's header of a field (English), and the other names it is known by. Matching
/// ignores case, spaces, `_`, `-`, `*`, `.` and full-width brackets' contents' marks.
pub fn header(f: ImportField) -> &'static str {
    match f {
        ImportField::Reference => "Order reference",
        ImportField::Warehouse => "Warehouse",
        ImportField::Service => "Service",
        ImportField::RecipientName => "Recipient name",
        ImportField::Company => "Company",
        ImportField::Address1 => "Address line 1",
        ImportField::Address2 => "Address line 2",
        ImportField::City => "City",
        ImportField::State => "State",
        ImportField::Postcode => "Postcode",
        ImportField::Country => "Country",
        ImportField::Phone => "Phone",
        ImportField::Email => "Email",
        ImportField::Sku => "SKU",
        ImportField::Quantity => "Quantity",
        ImportField::Platform => "Platform",
        ImportField::PlatformOrderId => "Platform order id",
    }
}

/// Other names of a field, normalised as [`normalise`] does.
fn aliases(f: ImportField) -> &'static [&'static str] {
    match f {
        ImportField::Reference => &[
            "reference",
            "orderreference",
            "referenceno",
            "referencenumber",
            "orderno",
            "ordernumber",
            "订单号",
            "参考号",
            "客户订单号",
            "订单编号",
        ],
        ImportField::Warehouse => &["warehousecode", "仓库", "仓库代码", "发货仓库"],
        ImportField::Service => &[
            "servicecode",
            "shippingservice",
            "deliveryservice",
            "物流渠道",
            "渠道",
            "渠道代码",
            "派送方式",
            "物流方式",
        ],
        ImportField::RecipientName => {
            &["name", "recipient", "consignee", "consigneename", "收件人", "收件人姓名", "收货人"]
        }
        ImportField::Company => &["companyname", "公司", "收件人公司"],
        ImportField::Address1 => {
            &["address", "address1", "addressline1", "street", "地址", "地址1", "收件人地址", "地址一"]
        }
        ImportField::Address2 => &["address2", "addressline2", "地址2", "地址二"],
        ImportField::City => &["town", "城市"],
        ImportField::State => &["county", "province", "region", "stateprovince", "州", "省", "省州", "州省"],
        ImportField::Postcode => &["postalcode", "zip", "zipcode", "邮编", "邮政编码"],
        ImportField::Country => &["countrycode", "countryiso", "国家", "国家代码", "国家二字码"],
        ImportField::Phone => &["telephone", "tel", "phonenumber", "mobile", "电话", "联系电话", "收件人电话"],
        ImportField::Email => &["emailaddress", "mail", "邮箱", "电子邮箱"],
        ImportField::Sku => &["sellersku", "skucode", "productsku", "产品sku", "产品编码", "商品编码", "商品sku"],
        ImportField::Quantity => &["qty", "quantities", "数量", "产品数量", "商品数量"],
        ImportField::Platform => &["salesplatform", "marketplace", "平台", "销售平台"],
        ImportField::PlatformOrderId => {
            &["platformorderno", "platformorderid", "marketplaceorderid", "平台订单号", "交易号"]
        }
    }
}

/// A header as matched: lower case, without spaces and punctuation sellers vary in.
pub fn normalise(h: &str) -> String {
    h.chars()
        .filter(|c| !c.is_whitespace() && !matches!(c, '_' | '-' | '*' | '.' | '(' | ')' | '（' | '）' | ':' | '：'))
        .flat_map(char::to_lowercase)
        .collect()
}

/// The built-in field a header names, if any.
pub fn builtin(h: &str) -> Option<ImportField> {
    let n = normalise(h);
    if n.is_empty() {
        return None;
    }
    ImportField::ALL
        .into_iter()
        .find(|f| normalise(header(*f)) == n || normalise(f.key()) == n || aliases(*f).contains(&n.as_str()))
}

/// The key a header row's mapping is remembered under: its normalised headers, hashed.
pub fn header_key(headers: &[String]) -> String {
    let joined: Vec<String> = headers.iter().map(|h| normalise(h)).collect();
    let digest = Sha256::digest(joined.join("\u{1f}").as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// The columns of each field in one sheet.
#[derive(Debug, Clone)]
pub struct Columns {
    by_field: BTreeMap<ImportField, usize>,
    headers: Vec<String>,
}

impl Columns {
    /// The column of `f`, if the sheet has one.
    pub fn of(&self, f: ImportField) -> Option<usize> {
        self.by_field.get(&f).copied()
    }

    /// The header of `f`'s column (what an error names), else the template's.
    pub fn name(&self, f: ImportField) -> String {
        self.of(f).and_then(|k| self.headers.get(k)).cloned().unwrap_or_else(|| header(f).to_owned())
    }

    /// The mapping as a report shows it: header → field.
    pub fn mapping(&self) -> ImportMapping {
        self.by_field.iter().filter_map(|(f, k)| Some((self.headers.get(*k)?.clone(), *f))).collect()
    }
}

/// Maps `headers` onto the fields: `given` (header → field) first, then the built-in names.
/// Refuses a field claimed by two columns, and a sheet without a required field's column.
pub fn map_headers(headers: &[String], given: Option<&ImportMapping>, source: MappingSource) -> CoreResult<Columns> {
    let given: BTreeMap<String, ImportField> =
        given.map(|m| m.iter().map(|(h, f)| (normalise(h), *f)).collect()).unwrap_or_default();
    if let Some(h) = given.keys().find(|h| !headers.iter().any(|x| normalise(x) == **h)) {
        return Err(CoreError::invalid("mapping", format!("the mapping names a header '{h}' the file does not have")));
    }
    let mut by_field: BTreeMap<ImportField, usize> = BTreeMap::new();
    for (k, h) in headers.iter().enumerate() {
        let Some(f) = given.get(&normalise(h)).copied().or_else(|| builtin(h)) else { continue };
        if let Some(first) = by_field.insert(f, k) {
            let first = headers.get(first).map_or("", String::as_str);
            return Err(CoreError::invalid(
                "mapping",
                format!("columns '{first}' and '{h}' both hold {}: map one of them to another field", f.key()),
            ));
        }
    }
    let missing: Vec<&str> =
        ImportField::ALL.into_iter().filter(|f| f.required() && !by_field.contains_key(f)).map(header).collect();
    if !missing.is_empty() {
        let hint = match source {
            MappingSource::BuiltIn => " (name the columns as the template does, or send a mapping)",
            _ => "",
        };
        return Err(CoreError::invalid("mapping", format!("the file has no column for: {}{hint}", missing.join(", "))));
    }
    Ok(Columns { by_field, headers: headers.to_vec() })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    fn hs(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| (*s).to_owned()).collect()
    }

    const CN: &[&str] = &["订单号", "仓库", "渠道", "收件人", "地址", "城市", "邮编", "国家", "SKU", "数量"];

    #[test]
    fn chinese_and_english_headers_map_without_a_mapping() {
        let c = map_headers(&hs(CN), None, MappingSource::BuiltIn).unwrap();
        assert_eq!(c.of(ImportField::Reference), Some(0));
        assert_eq!(c.of(ImportField::Postcode), Some(6));
        assert_eq!(c.of(ImportField::Phone), None);
        let en: Vec<String> = ImportField::ALL.iter().map(|f| header(*f).to_uppercase()).collect();
        let c = map_headers(&en, None, MappingSource::BuiltIn).unwrap();
        assert_eq!(c.of(ImportField::PlatformOrderId), Some(16));
        assert_eq!(c.mapping().len(), ImportField::ALL.len());
    }

    #[test]
    fn a_mapping_names_unknown_headers_and_missing_columns_are_named() {
        let mut h = hs(CN);
        h[0] = "Auftragsnummer".into();
        let e = map_headers(&h, None, MappingSource::BuiltIn).unwrap_err().to_string();
        assert!(e.contains("Order reference"), "{e}");
        let m: ImportMapping = [("Auftragsnummer".to_owned(), ImportField::Reference)].into();
        let c = map_headers(&h, Some(&m), MappingSource::Given).unwrap();
        assert_eq!(c.of(ImportField::Reference), Some(0));
        assert_eq!(c.name(ImportField::Reference), "Auftragsnummer");
        let wrong: ImportMapping = [("Nope".to_owned(), ImportField::Reference)].into();
        assert!(map_headers(&h, Some(&wrong), MappingSource::Given).is_err());
        let twice: ImportMapping = [("Auftragsnummer".to_owned(), ImportField::Sku)].into();
        assert!(map_headers(&h, Some(&twice), MappingSource::Given).unwrap_err().to_string().contains("both hold sku"));
    }

    #[test]
    fn header_keys_ignore_spelling_noise_only() {
        assert_eq!(header_key(&hs(&["Order No", "SKU"])), header_key(&hs(&["order_no", " sku "])));
        assert_ne!(header_key(&hs(&["Order No", "SKU"])), header_key(&hs(&["SKU", "Order No"])));
    }
}
