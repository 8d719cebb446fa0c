//! The columns of a sheet: each field's template header, the names sellers' own sheets give it
//! (English and Simplified Chinese, from marketplace and ERP exports), and the mapping of one
//! header row onto the fields. Generic over what a row holds ([`SheetField`]): an order line or
//! a SKU, so both imports read headers the same way.

use std::collections::BTreeMap;

use entrepot_core::{CoreError, CoreResult};
use sha2::{Digest, Sha256};

use crate::types::import::{ImportField, MappingSource};

/// What one kind of sheet's columns hold: the fields, their names, and what the template says of
/// them. One implementation per import (orders, SKUs).
pub trait SheetField: Copy + Ord + Eq + std::fmt::Debug + Send + Sync + 'static {
    /// Every field, in the template's order.
    const ALL: &'static [Self];
    /// Salts the key a mapping is remembered under, so an order sheet's mapping never applies to
    /// a SKU sheet with the same headers (empty for orders: their keys predate SKU imports).
    const KIND: &'static str;
    /// The template's sheet name.
    const SHEET: &'static str;
    /// The key a mapping names the field by (as serialized).
    fn key(self) -> &'static str;
    /// The template's header (English).
    fn header(self) -> &'static str;
    /// Other names of the field, normalised as [`normalise`] does.
    fn aliases(self) -> &'static [&'static str];
    /// Whether a sheet must have its column.
    fn required(self) -> bool;
    /// The template's example value.
    fn example(self) -> &'static str;
    /// What the column holds: English, then Chinese.
    fn explain(self) -> (&'static str, &'static str);

    /// The field named by `key` (see [`Self::key`]).
    fn parse(key: &str) -> CoreResult<Self> {
        let k = key.trim();
        Self::ALL.iter().copied().find(|f| f.key().eq_ignore_ascii_case(k)).ok_or_else(|| {
            let known: Vec<&str> = Self::ALL.iter().map(|f| f.key()).collect();
            CoreError::invalid("mapping", format!("unknown field '{k}' (one of {})", known.join(", ")))
        })
    }
}

impl SheetField for ImportField {
    const ALL: &'static [Self] = &ImportField::ALL;
    const KIND: &'static str = "";
    const SHEET: &'static str = "Orders";
    fn key(self) -> &'static str {
        ImportField::key(self)
    }
    fn header(self) -> &'static str {
        header(self)
    }
    fn aliases(self) -> &'static [&'static str] {
        aliases(self)
    }
    fn required(self) -> bool {
        ImportField::required(self)
    }
    fn example(self) -> &'static str {
        super::template::example(self)
    }
    fn explain(self) -> (&'static str, &'static str) {
        super::template::explain(self)
    }
}

/// The template's header of an order field (English). Matching ignores case, spaces, `_`, `-`,
/// `*`, `.` and full-width brackets' contents' marks.
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

/// Other names of an order field, normalised as [`normalise`] does.
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
pub fn builtin<F: SheetField>(h: &str) -> Option<F> {
    let n = normalise(h);
    if n.is_empty() {
        return None;
    }
    F::ALL
        .iter()
        .copied()
        .find(|f| normalise(f.header()) == n || normalise(f.key()) == n || f.aliases().contains(&n.as_str()))
}

/// The key a header row's mapping is remembered under: its normalised headers (after the
/// sheet's kind, if any), hashed.
pub fn header_key<F: SheetField>(headers: &[String]) -> String {
    let mut joined: Vec<String> = headers.iter().map(|h| normalise(h)).collect();
    if !F::KIND.is_empty() {
        joined.insert(0, format!("\u{1e}{}", F::KIND));
    }
    let digest = Sha256::digest(joined.join("\u{1f}").as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// The columns of each field in one sheet.
#[derive(Debug, Clone)]
pub struct Columns<F: SheetField = ImportField> {
    by_field: BTreeMap<F, usize>,
    headers: Vec<String>,
}

impl<F: SheetField> Columns<F> {
    /// The column of `f`, if the sheet has one.
    pub fn of(&self, f: F) -> Option<usize> {
        self.by_field.get(&f).copied()
    }

    /// The header of `f`'s column (what an error names), else the template's.
    pub fn name(&self, f: F) -> String {
        self.of(f).and_then(|k| self.headers.get(k)).cloned().unwrap_or_else(|| f.header().to_owned())
    }

    /// The mapping as a report shows it: header → field.
    pub fn mapping(&self) -> BTreeMap<String, F> {
        self.by_field.iter().filter_map(|(f, k)| Some((self.headers.get(*k)?.clone(), *f))).collect()
    }
}

/// Maps `headers` onto the fields: `given` (header → field) first, then the built-in names.
/// Refuses a field claimed by two columns, and a sheet without a required field's column.
pub fn map_headers<F: SheetField>(
    headers: &[String],
    given: Option<&BTreeMap<String, F>>,
    source: MappingSource,
) -> CoreResult<Columns<F>> {
    let given: BTreeMap<String, F> =
        given.map(|m| m.iter().map(|(h, f)| (normalise(h), *f)).collect()).unwrap_or_default();
    if let Some(h) = given.keys().find(|h| !headers.iter().any(|x| normalise(x) == **h)) {
        return Err(CoreError::invalid("mapping", format!("the mapping names a header '{h}' the file does not have")));
    }
    let mut by_field: BTreeMap<F, usize> = BTreeMap::new();
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
        F::ALL.iter().filter(|f| f.required() && !by_field.contains_key(f)).map(|f| f.header()).collect();
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
    use crate::types::import::ImportMapping;

    fn hs(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| (*s).to_owned()).collect()
    }

    const CN: &[&str] = &["订单号", "仓库", "渠道", "收件人", "地址", "城市", "邮编", "国家", "SKU", "数量"];

    #[test]
    fn chinese_and_english_headers_map_without_a_mapping() {
        let c: Columns = map_headers(&hs(CN), None, MappingSource::BuiltIn).unwrap();
        assert_eq!(c.of(ImportField::Reference), Some(0));
        assert_eq!(c.of(ImportField::Postcode), Some(6));
        assert_eq!(c.of(ImportField::Phone), None);
        let en: Vec<String> = ImportField::ALL.iter().map(|f| header(*f).to_uppercase()).collect();
        let c: Columns = map_headers(&en, None, MappingSource::BuiltIn).unwrap();
        assert_eq!(c.of(ImportField::PlatformOrderId), Some(16));
        assert_eq!(c.mapping().len(), ImportField::ALL.len());
    }

    #[test]
    fn a_mapping_names_unknown_headers_and_missing_columns_are_named() {
        let mut h = hs(CN);
        h[0] = "Auftragsnummer".into();
        let e = map_headers::<ImportField>(&h, None, MappingSource::BuiltIn).unwrap_err().to_string();
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
        let key = |h: &[&str]| header_key::<ImportField>(&hs(h));
        assert_eq!(key(&["Order No", "SKU"]), key(&["order_no", " sku "]));
        assert_ne!(key(&["Order No", "SKU"]), key(&["SKU", "Order No"]));
        let sku = header_key::<crate::types::sku_import::SkuField>(&hs(&["Order No", "SKU"]));
        assert_ne!(key(&["Order No", "SKU"]), sku, "a SKU sheet's mapping is kept apart");
    }
}
