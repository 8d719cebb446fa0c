//! Bird's `product_company_ref` mini-language: a whole order's lines packed into one string.
//!
//! Bulk orders (`Temp-Consignment-Json`, `Temp-Consignment-Info`) carry their products in a single
//! field instead of a list, in one of two forms (spec §2.3):
//!
//! - **Simple**: `SKU1*2+SKU2+5#123#D*3`, items joined by `+`, each a reference with optional `*n`
//!   quantity factors. Whitespace and `.` are stripped from references, the quantities are
//!   multiplied by the row's `quantity`, and repeated references are summed in first-seen order,
//!   as BirdSystem's `TempConsignmentInfoProductInfo::parseProductIdString` does.
//! - **Extended** (AGENT_DIRECT, products created on the fly): `Name##NameCN##SKU*2||price||weight||
//!   props||img||salesPrice||hsCode||origin||ebayTxn||ebayItem`, items joined by `+`. The field order
//!   drifted across the vendor's documentation revisions, so it is read positionally and leniently:
//!   the `*qty` may follow the SKU or close the item, the SKU and trailing fields may be missing,
//!   and `0` stands for an empty field anywhere.
//!
//! This module only parses; resolving a reference to a product (by id, `client_ref`,
//! `company_ref`, secondary SKU, shared product) needs the client's settings and the app, so it
//! belongs to the caller. Like the original, empty items (`A++B`, a trailing `+`) are skipped; unlike
//! it, a malformed or non-positive quantity is refused instead of silently becoming 0, and `2.0`
//! reads as 2 rather than 20. `*` is reserved for quantities and `+` for separating items.

use std::fmt;

use entrepot_core::CoreError;

/// One product line of a simple-form reference, after duplicates were merged.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SimpleItem {
    /// The reference as written, minus whitespace and `.`: the key duplicates are merged by, and
    /// the text to echo back when the reference cannot be resolved.
    pub raw: String,
    /// What `raw` may refer to; which reading applies depends on the client's settings.
    pub reference: ProductRef,
    /// Total quantity: factors × row quantity, summed over repeats. Always positive.
    pub quantity: i64,
}

/// The shapes a simple-form reference can take. Each non-plain variant is only a *possible*
/// reading (`2-97` may also be a real SKU), so the raw text stays in [`SimpleItem::raw`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProductRef {
    /// A product id, `client_ref`, `company_ref` or secondary SKU, per the client's
    /// `bulk_order_reference_field`.
    Plain(String),
    /// `ClientId-Ref` (`2-97`): BirdSystem strips the client prefix when the client has no
    /// `bulk_order_reference_field` setting.
    ClientPrefixed { client_id: u64, reference: String },
    /// `ClientId#ProductId`: another client's product shared with the caller. The owner is
    /// written as Bird's numeric id or as Entrepot's client id (`cli_...`, what product rows show).
    Shared { client_id: String, product_id: u64 },
    /// `ClientId#ProductId#D`: a directionally shared product (resolves to `"D" + product_id`).
    DirectionalShared { client_id: String, product_id: u64 },
}

/// One product of an extended (AGENT_DIRECT) reference. Every optional field is `None` when it
/// was missing, blank or the `0` placeholder.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ExtendedItem {
    /// English product (customs) name.
    pub name: Option<String>,
    pub name_cn: Option<String>,
    /// The client's SKU; an item needs at least this or a name.
    pub client_ref: Option<String>,
    /// Always positive; 1 when the item gives none.
    pub quantity: i64,
    /// Export customs price (USD), as validated decimal text so no precision is lost.
    pub price: Option<String>,
    /// Unit weight in grams, as validated decimal text (Bird stores `"10.00"`).
    pub weight_g: Option<String>,
    /// Product (customs) property names, split on `,`, `，` or `、`.
    pub properties: Vec<String>,
    pub image_url: Option<String>,
    /// Platform sales unit price (USD), validated decimal text.
    pub platform_sales_price: Option<String>,
    pub hs_code: Option<String>,
    /// Country of origin as sent (usually an ISO-2 code such as `cn`).
    pub origin: Option<String>,
    pub ebay_transaction_id: Option<String>,
    pub ebay_item_no: Option<String>,
}

/// Why a reference string was refused, naming the 1-based item (0 means the row-level quantity)
/// so a client can find the mistake in a long string.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RefError {
    pub item: usize,
    pub kind: RefErrorKind,
}

/// What is wrong with an item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RefErrorKind {
    /// The string holds no item at all.
    Empty,
    /// A `*qty` with nothing before it.
    EmptyReference,
    /// An extended item with neither a product name nor a client SKU.
    MissingProduct,
    /// A quantity factor that is not an integer.
    BadQuantity(String),
    NonPositiveQuantity(i64),
    QuantityOverflow,
    /// An extended item has quantities in two places.
    QuantityTwice,
    /// More `##` or `||` fields than any documented layout has.
    TooManyFields {
        separator: &'static str,
        found: usize,
        max: usize,
    },
    /// A price or weight that is not a non-negative decimal number.
    BadNumber {
        field: &'static str,
        value: String,
    },
}

impl fmt::Display for RefError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.item == 0 {
            write!(f, "row quantity: ")?;
        } else {
            write!(f, "item {}: ", self.item)?;
        }
        match &self.kind {
            RefErrorKind::Empty => write!(f, "empty item"),
            RefErrorKind::EmptyReference => write!(f, "missing product reference before '*'"),
            RefErrorKind::MissingProduct => write!(f, "neither a product name nor a client SKU"),
            RefErrorKind::BadQuantity(q) => write!(f, "bad quantity '{q}'"),
            RefErrorKind::NonPositiveQuantity(q) => write!(f, "quantity must be positive, got {q}"),
            RefErrorKind::QuantityOverflow => write!(f, "quantity too large"),
            RefErrorKind::QuantityTwice => write!(f, "quantity given more than once"),
            RefErrorKind::TooManyFields { separator, found, max } => {
                write!(f, "too many '{separator}' fields ({found}, at most {max})")
            }
            RefErrorKind::BadNumber { field, value } => write!(f, "{field} '{value}' is not a decimal number"),
        }
    }
}

impl std::error::Error for RefError {}

impl From<RefError> for CoreError {
    fn from(e: RefError) -> Self {
        CoreError::invalid("product_company_ref", e.to_string())
    }
}

/// Tells the two forms apart: only the extended form uses `##` or `||`.
pub fn is_extended(input: &str) -> bool {
    input.contains("##") || input.contains("||")
}

/// Parses the simple form, multiplying every quantity by the row's `row_quantity`.
pub fn parse_simple(input: &str, row_quantity: i64) -> Result<Vec<SimpleItem>, RefError> {
    if row_quantity < 1 {
        return Err(RefError { item: 0, kind: RefErrorKind::NonPositiveQuantity(row_quantity) });
    }
    let mut items: Vec<SimpleItem> = Vec::new();
    for (index, text) in input.split('+').enumerate() {
        let item = index + 1;
        if text.chars().all(|c| c.is_whitespace() || c == '.') {
            continue;
        }
        let err = |kind| RefError { item, kind };
        let (reference, factor) = split_quantity(text, item)?;
        let raw: String = reference.chars().filter(|c| !c.is_whitespace() && *c != '.').collect();
        if raw.is_empty() {
            return Err(err(RefErrorKind::EmptyReference));
        }
        let quantity =
            factor.unwrap_or(1).checked_mul(row_quantity).ok_or_else(|| err(RefErrorKind::QuantityOverflow))?;
        match items.iter_mut().find(|existing| existing.raw == raw) {
            Some(existing) => {
                existing.quantity =
                    existing.quantity.checked_add(quantity).ok_or_else(|| err(RefErrorKind::QuantityOverflow))?;
            }
            None => items.push(SimpleItem { reference: classify(&raw), raw, quantity }),
        }
    }
    if items.is_empty() {
        return Err(RefError { item: 1, kind: RefErrorKind::Empty });
    }
    Ok(items)
}

/// The temp form's per-line sale, written after an item's `sku*qty`: `||ebayTransactionId||
/// ebayItemNo||salesPrice` (the seed: `1-1996129*1||ebayid||ebatproduct||18`). Fields are kept as
/// text; the caller reads the price.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SimpleSale {
    /// The 1-based item, for refusals.
    pub item: usize,
    /// The item's reference, cleaned as [`SimpleItem::raw`] is: the line it belongs to.
    pub raw: String,
    pub ebay_transaction_id: Option<String>,
    pub ebay_item_no: Option<String>,
    pub sales_price: Option<String>,
}

/// eBay transaction, eBay item, sales price.
const MAX_SALE_FIELDS: usize = 3;

/// The `||` tails of a simple-form reference, for the items that have one, in item order.
pub fn simple_sales(input: &str) -> Result<Vec<SimpleSale>, RefError> {
    let mut out = vec![];
    for (index, text) in input.split('+').enumerate() {
        let item = index + 1;
        let mut fields = text.split("||");
        let head = fields.next().unwrap_or_default();
        let tail: Vec<&str> = fields.collect();
        if tail.is_empty() {
            continue;
        }
        if tail.len() > MAX_SALE_FIELDS {
            return Err(RefError {
                item,
                kind: RefErrorKind::TooManyFields { separator: "||", found: tail.len(), max: MAX_SALE_FIELDS },
            });
        }
        let reference = head.split_once('*').map(|(r, _)| r).unwrap_or(head);
        let raw: String = reference.chars().filter(|c| !c.is_whitespace() && *c != '.').collect();
        let field = |i: usize| tail.get(i).map(|t| t.trim()).filter(|t| !t.is_empty()).map(str::to_owned);
        out.push(SimpleSale {
            item,
            raw,
            ebay_transaction_id: field(0),
            ebay_item_no: field(1),
            sales_price: field(2),
        });
    }
    Ok(out)
}

/// Reads the special shapes out of a cleaned reference, falling back to [`ProductRef::Plain`].
fn classify(raw: &str) -> ProductRef {
    let parts: Vec<&str> = raw.splitn(3, '#').collect();
    match parts.as_slice() {
        [client, product] => {
            if let (Some(client_id), Some(product_id)) = (owner(client), id(product)) {
                return ProductRef::Shared { client_id, product_id };
            }
        }
        [client, product, "D" | "d"] => {
            if let (Some(client_id), Some(product_id)) = (owner(client), id(product)) {
                return ProductRef::DirectionalShared { client_id, product_id };
            }
        }
        _ => {}
    }
    if let Some((client, reference)) = raw.split_once('-') {
        if let (Some(client_id), false) = (id(client), reference.is_empty()) {
            return ProductRef::ClientPrefixed { client_id, reference: reference.to_string() };
        }
    }
    ProductRef::Plain(raw.to_string())
}

/// A shared product's owner as written: letters, digits, `_` and `-`.
fn owner(text: &str) -> Option<String> {
    let ok = !text.is_empty() && text.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-');
    ok.then(|| text.to_owned())
}

/// An all-digit id, or `None`.
fn id(text: &str) -> Option<u64> {
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse().ok()
}

/// Splits `text*a*b` into `text` and the product `a×b`; `None` when there is no `*`.
fn split_quantity(text: &str, item: usize) -> Result<(&str, Option<i64>), RefError> {
    let Some((before, factors)) = text.split_once('*') else {
        return Ok((text, None));
    };
    let mut quantity: i64 = 1;
    for factor in factors.split('*') {
        let n = parse_factor(factor).map_err(|kind| RefError { item, kind })?;
        quantity = quantity.checked_mul(n).ok_or(RefError { item, kind: RefErrorKind::QuantityOverflow })?;
    }
    Ok((before, Some(quantity)))
}

/// One positive integer factor; whitespace is ignored and `2.0` reads as 2.
fn parse_factor(text: &str) -> Result<i64, RefErrorKind> {
    let compact: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    let digits = match compact.split_once('.') {
        Some((int, frac)) if !int.is_empty() && frac.bytes().all(|b| b == b'0') => int,
        _ => compact.as_str(),
    };
    let n: i64 = digits.parse().map_err(|e: std::num::ParseIntError| match e.kind() {
        std::num::IntErrorKind::PosOverflow | std::num::IntErrorKind::NegOverflow => RefErrorKind::QuantityOverflow,
        _ => RefErrorKind::BadQuantity(text.trim().to_string()),
    })?;
    if n < 1 {
        return Err(RefErrorKind::NonPositiveQuantity(n));
    }
    Ok(n)
}

/// At most `Name##NameCN##SKU`.
const MAX_HEAD_FIELDS: usize = 3;
/// price, weight, properties, image, platform price, HS code, origin, eBay transaction, eBay item.
const MAX_TAIL_FIELDS: usize = 9;

/// Parses the extended (AGENT_DIRECT) form. Quantities are not multiplied by anything: AGENT_DIRECT
/// rows carry no row-level quantity.
pub fn parse_extended(input: &str) -> Result<Vec<ExtendedItem>, RefError> {
    let mut items = Vec::new();
    for (index, text) in input.split('+').enumerate() {
        if !text.trim().is_empty() {
            items.push(parse_extended_item(text, index + 1)?);
        }
    }
    if items.is_empty() {
        return Err(RefError { item: 1, kind: RefErrorKind::Empty });
    }
    Ok(items)
}

fn parse_extended_item(text: &str, item: usize) -> Result<ExtendedItem, RefError> {
    let err = |kind| RefError { item, kind };
    let mut segments = text.split("||");
    let head = segments.next().unwrap_or_default();
    let mut head: Vec<&str> = head.split("##").collect();
    let mut tail: Vec<&str> = segments.collect();
    if head.len() > MAX_HEAD_FIELDS {
        return Err(err(RefErrorKind::TooManyFields { separator: "##", found: head.len(), max: MAX_HEAD_FIELDS }));
    }

    // The quantity may follow the last `##` field (the SKU) or any `||` field, usually the last.
    let mut quantity = None;
    let last_head = head.len() - 1;
    let candidates = std::iter::once(&mut head[last_head]).chain(tail.iter_mut());
    for field in candidates {
        let (rest, q) = split_quantity(field, item)?;
        if let Some(q) = q {
            if quantity.replace(q).is_some() {
                return Err(err(RefErrorKind::QuantityTwice));
            }
            *field = rest;
        }
    }

    // An old layout put the Chinese name after the first `||`: `name||name_cn||price||...`.
    // Only recognisable when that field is not a number and the next one is.
    if head.len() == 1 && tail.len() >= 2 && present(tail[0]).is_some() && !is_decimal(tail[0]) && is_decimal(tail[1]) {
        head.push(tail.remove(0));
    }
    if tail.len() > MAX_TAIL_FIELDS {
        return Err(err(RefErrorKind::TooManyFields { separator: "||", found: tail.len(), max: MAX_TAIL_FIELDS }));
    }

    let head_field = |i: usize| head.get(i).copied().and_then(present);
    let tail_field = |i: usize| tail.get(i).copied().and_then(present);
    let decimal = |i: usize, field: &'static str| match tail_field(i) {
        Some(v) if !is_decimal(&v) => Err(err(RefErrorKind::BadNumber { field, value: v })),
        other => Ok(other),
    };
    let parsed = ExtendedItem {
        name: head_field(0),
        name_cn: head_field(1),
        client_ref: head_field(2),
        quantity: quantity.unwrap_or(1),
        price: decimal(0, "price")?,
        weight_g: decimal(1, "weight")?,
        properties: tail_field(2).map(|p| split_properties(&p)).unwrap_or_default(),
        image_url: tail_field(3),
        platform_sales_price: decimal(4, "platform sales price")?,
        hs_code: tail_field(5),
        origin: tail_field(6),
        ebay_transaction_id: tail_field(7),
        ebay_item_no: tail_field(8),
    };
    if parsed.name.is_none() && parsed.client_ref.is_none() {
        return Err(err(RefErrorKind::MissingProduct));
    }
    Ok(parsed)
}

/// A field's trimmed text, or `None` for blank and the `0` placeholder.
fn present(field: &str) -> Option<String> {
    let t = field.trim();
    (!t.is_empty() && t != "0").then(|| t.to_string())
}

fn split_properties(text: &str) -> Vec<String> {
    text.split([',', '，', '、']).filter_map(present).collect()
}

/// Non-negative decimal text: digits with at most one `.`, at least one digit.
fn is_decimal(text: &str) -> bool {
    let t = text.trim();
    let (int, frac) = t.split_once('.').unwrap_or((t, ""));
    !(int.is_empty() && frac.is_empty()) && int.bytes().chain(frac.bytes()).all(|b| b.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn simple(input: &str) -> Vec<(String, i64)> {
        parse_simple(input, 1).expect("valid simple ref").into_iter().map(|i| (i.raw, i.quantity)).collect()
    }

    fn pairs(expected: &[(&str, i64)]) -> Vec<(String, i64)> {
        expected.iter().map(|(r, q)| (r.to_string(), *q)).collect()
    }

    fn kind(result: Result<impl fmt::Debug, RefError>) -> (usize, RefErrorKind) {
        let e = result.expect_err("should be refused");
        (e.item, e.kind)
    }

    #[test]
    fn simple_quantities_default_multiply_and_merge() {
        assert_eq!(simple("SKU1*2+SKU2+SKU1*3"), pairs(&[("SKU1", 5), ("SKU2", 1)]));
        assert_eq!(simple("A*2*3"), pairs(&[("A", 6)]));
        assert_eq!(simple(" A B.1 * 2 + AB1 "), pairs(&[("AB1", 3)]));
        assert_eq!(simple("A*2.0"), pairs(&[("A", 2)]));
        assert_eq!(simple("A++B+ . +"), pairs(&[("A", 1), ("B", 1)]));
        let rows = parse_simple("A*2+B", 3).unwrap();
        assert_eq!((rows[0].quantity, rows[1].quantity), (6, 3));
    }

    #[test]
    fn simple_reference_shapes() {
        let refs: Vec<ProductRef> =
            parse_simple("2-97*2+5#123+5#123#D*2+ABC-1+X#Y+12-", 1).unwrap().into_iter().map(|i| i.reference).collect();
        assert_eq!(
            refs,
            vec![
                ProductRef::ClientPrefixed { client_id: 2, reference: "97".into() },
                ProductRef::Shared { client_id: "5".into(), product_id: 123 },
                ProductRef::DirectionalShared { client_id: "5".into(), product_id: 123 },
                ProductRef::Plain("ABC-1".into()),
                ProductRef::Plain("X#Y".into()),
                ProductRef::Plain("12-".into()),
            ]
        );
        let named = &parse_simple("cli_0Ab-9#77#D*3", 1).unwrap()[0];
        assert_eq!(named.reference, ProductRef::DirectionalShared { client_id: "cli_0Ab-9".into(), product_id: 77 });
        let directional = &parse_simple("5#123#D*2", 2).unwrap()[0];
        assert_eq!((directional.raw.as_str(), directional.quantity), ("5#123#D", 4));
    }

    #[test]
    fn simple_refusals_name_the_item() {
        assert_eq!(kind(parse_simple("", 1)), (1, RefErrorKind::Empty));
        assert_eq!(kind(parse_simple(" + ", 1)), (1, RefErrorKind::Empty));
        assert_eq!(kind(parse_simple("A+*2", 1)), (2, RefErrorKind::EmptyReference));
        assert_eq!(kind(parse_simple("A+B*x", 1)), (2, RefErrorKind::BadQuantity("x".into())));
        assert_eq!(kind(parse_simple("A*", 1)), (1, RefErrorKind::BadQuantity(String::new())));
        assert_eq!(kind(parse_simple("A*1.5", 1)), (1, RefErrorKind::BadQuantity("1.5".into())));
        assert_eq!(kind(parse_simple("A+B+C*0", 1)), (3, RefErrorKind::NonPositiveQuantity(0)));
        assert_eq!(kind(parse_simple("A*-2", 1)), (1, RefErrorKind::NonPositiveQuantity(-2)));
        assert_eq!(kind(parse_simple("A", 0)), (0, RefErrorKind::NonPositiveQuantity(0)));
        assert_eq!(kind(parse_simple("A*99999999999999999999", 1)), (1, RefErrorKind::QuantityOverflow));
        assert_eq!(kind(parse_simple("A*4294967296*4294967296", 1)), (1, RefErrorKind::QuantityOverflow));
        assert_eq!(kind(parse_simple("A*4611686018427387904", 2)), (1, RefErrorKind::QuantityOverflow));
        let sum = format!("A*{m}+A*{m}", m = i64::MAX / 2 + 1);
        assert_eq!(kind(parse_simple(&sum, 1)), (2, RefErrorKind::QuantityOverflow));
        let e = parse_simple("A+B*x", 1).unwrap_err();
        assert_eq!(e.to_string(), "item 2: bad quantity 'x'");
        let core: CoreError = e.into();
        assert_eq!(core.to_string(), "product_company_ref: item 2: bad quantity 'x'");
    }

    #[test]
    fn simple_sales_follow_their_items() {
        let sales =
            simple_sales("1-1996129*1||ebayid||ebatproduct||18+1996125*1||ebayid2||ebatproduct2||20+X").unwrap();
        assert_eq!(sales.len(), 2);
        assert_eq!(
            sales[1],
            SimpleSale {
                item: 2,
                raw: "1996125".into(),
                ebay_transaction_id: Some("ebayid2".into()),
                ebay_item_no: Some("ebatproduct2".into()),
                sales_price: Some("20".into()),
            }
        );
        assert_eq!(simple_sales("A||||||5").unwrap()[0].sales_price.as_deref(), Some("5"));
        assert_eq!(kind(simple_sales("A||1||2||3||4")).0, 1);
    }

    #[test]
    fn detects_the_extended_form() {
        assert!(is_extended("test1##测试1##47||5||10||电池,其他*2"));
        assert!(is_extended("产品1||5||10||电池,其他*2"));
        assert!(!is_extended("SKU1*2+5#123#D"));
    }

    #[test]
    fn extended_seed_layout_with_quantity_at_the_end() {
        let items = parse_extended("test1##测试1##47||5||10||电池,其他*2").unwrap();
        assert_eq!(
            items,
            vec![ExtendedItem {
                name: Some("test1".into()),
                name_cn: Some("测试1".into()),
                client_ref: Some("47".into()),
                quantity: 2,
                price: Some("5".into()),
                weight_g: Some("10".into()),
                properties: vec!["电池".into(), "其他".into()],
                ..ExtendedItem::default()
            }]
        );
    }

    #[test]
    fn extended_seed_example_with_two_items() {
        let input = "Product1##产品##062589||2||10||其他||www.baidu.com||5||4202929190||cn*1+\
                     Product2##产品2##78954623||2||30||电池,其他||www.baidu.com||5||4202929190||cn*1";
        let items = parse_extended(input).unwrap();
        assert_eq!(items.len(), 2);
        let second = &items[1];
        assert_eq!(second.name.as_deref(), Some("Product2"));
        assert_eq!(second.client_ref.as_deref(), Some("78954623"));
        assert_eq!(second.weight_g.as_deref(), Some("30"));
        assert_eq!(second.properties, ["电池", "其他"]);
        assert_eq!(second.image_url.as_deref(), Some("www.baidu.com"));
        assert_eq!(second.platform_sales_price.as_deref(), Some("5"));
        assert_eq!(second.hs_code.as_deref(), Some("4202929190"));
        assert_eq!(second.origin.as_deref(), Some("cn"));
        assert_eq!(second.quantity, 1);
        assert_eq!(items[0].client_ref.as_deref(), Some("062589"), "leading zeros are kept");
    }

    #[test]
    fn extended_canonical_layout_with_quantity_after_the_sku() {
        let input = "Cola##可乐##47-1*3||14||10.5||其它，电池||http://img/x.jpg||19.99||2202||CN||tx-1||item-9";
        let item = parse_extended(input).unwrap().remove(0);
        assert_eq!(item.client_ref.as_deref(), Some("47-1"));
        assert_eq!(item.quantity, 3);
        assert_eq!(item.price.as_deref(), Some("14"));
        assert_eq!(item.weight_g.as_deref(), Some("10.5"));
        assert_eq!(item.properties, ["其它", "电池"]);
        assert_eq!(item.platform_sales_price.as_deref(), Some("19.99"));
        assert_eq!(item.ebay_transaction_id.as_deref(), Some("tx-1"));
        assert_eq!(item.ebay_item_no.as_deref(), Some("item-9"));
    }

    #[test]
    fn extended_placeholders_and_short_layouts() {
        let item = parse_extended("name##0##ref||0||0||0||0||5*2").unwrap().remove(0);
        assert_eq!((item.name.as_deref(), item.name_cn, item.client_ref.as_deref()), (Some("name"), None, Some("ref")));
        assert_eq!((item.price, item.weight_g, item.properties.len(), item.image_url), (None, None, 0, None));
        assert_eq!((item.platform_sales_price.as_deref(), item.quantity), (Some("5"), 2));

        let no_ref = parse_extended("name##名字||1.5||2||其它*4").unwrap().remove(0);
        assert_eq!((no_ref.name_cn.as_deref(), no_ref.client_ref, no_ref.quantity), (Some("名字"), None, 4));

        let old = parse_extended("产品1||5||10||电池,其他*2").unwrap().remove(0);
        assert_eq!((old.name.as_deref(), old.name_cn, old.price.as_deref()), (Some("产品1"), None, Some("5")));
        let old_cn = parse_extended("Product||产品||5||10||电池*2").unwrap().remove(0);
        assert_eq!((old_cn.name_cn.as_deref(), old_cn.price.as_deref()), (Some("产品"), Some("5")));

        let blank_price = parse_extended("name||  ||5").unwrap().remove(0);
        assert_eq!((blank_price.name_cn, blank_price.price, blank_price.weight_g.as_deref()), (None, None, Some("5")));

        let bare = parse_extended("0##0##SKU-9").unwrap().remove(0);
        assert_eq!((bare.name, bare.client_ref.as_deref(), bare.quantity), (None, Some("SKU-9"), 1));
    }

    #[test]
    fn extended_refusals() {
        let five_heads = "light1##灯1##47yuhao_product##yuhao_product_cn##122*1||1.5||2";
        assert_eq!(
            kind(parse_extended(five_heads)),
            (1, RefErrorKind::TooManyFields { separator: "##", found: 5, max: 3 })
        );
        let eleven = format!("a##b##c{}", "||1".repeat(10));
        assert_eq!(
            kind(parse_extended(&eleven)),
            (1, RefErrorKind::TooManyFields { separator: "||", found: 10, max: 9 })
        );
        assert_eq!(kind(parse_extended("a##b##c*1||1||2||p*1")), (1, RefErrorKind::QuantityTwice));
        assert_eq!(kind(parse_extended("a##b||x*0")), (1, RefErrorKind::NonPositiveQuantity(0)));
        assert_eq!(kind(parse_extended("a##b*two")), (1, RefErrorKind::BadQuantity("two".into())));
        assert_eq!(kind(parse_extended("a##b##c+0##中文||1*1")), (2, RefErrorKind::MissingProduct));
        assert_eq!(
            kind(parse_extended("a##b##c||1,5")),
            (1, RefErrorKind::BadNumber { field: "price", value: "1,5".into() })
        );
        assert_eq!(kind(parse_extended(" + ")), (1, RefErrorKind::Empty));
    }

    #[derive(Debug, Clone)]
    enum Gen {
        Plain(String),
        Prefixed(u32, String),
        Shared(u32, u32),
        Directional(u32, u32),
    }

    impl Gen {
        fn render(&self) -> String {
            match self {
                Gen::Plain(s) => s.clone(),
                Gen::Prefixed(c, r) => format!("{c}-{r}"),
                Gen::Shared(c, p) => format!("{c}#{p}"),
                Gen::Directional(c, p) => format!("{c}#{p}#D"),
            }
        }

        fn expected(&self) -> ProductRef {
            match self {
                Gen::Plain(s) => ProductRef::Plain(s.clone()),
                Gen::Prefixed(c, r) => ProductRef::ClientPrefixed { client_id: u64::from(*c), reference: r.clone() },
                Gen::Shared(c, p) => ProductRef::Shared { client_id: c.to_string(), product_id: u64::from(*p) },
                Gen::Directional(c, p) => {
                    ProductRef::DirectionalShared { client_id: c.to_string(), product_id: u64::from(*p) }
                }
            }
        }
    }

    fn arb_ref() -> impl Strategy<Value = Gen> {
        let sku = "[A-Za-z_][A-Za-z0-9_]{0,11}";
        prop_oneof![
            sku.prop_map(Gen::Plain),
            (any::<u32>(), "[A-Za-z0-9_-]{1,8}").prop_map(|(c, r)| Gen::Prefixed(c, r)),
            (any::<u32>(), any::<u32>()).prop_map(|(c, p)| Gen::Shared(c, p)),
            (any::<u32>(), any::<u32>()).prop_map(|(c, p)| Gen::Directional(c, p)),
        ]
    }

    proptest! {
        #[test]
        fn rendered_simple_refs_parse_back(
            items in prop::collection::vec((arb_ref(), 1..1000i64, any::<bool>()), 1..8),
            row in 1..5i64,
        ) {
            let rendered: Vec<String> = items
                .iter()
                .map(|(r, q, spaced)| match (*q, *spaced) {
                    (1, false) => r.render(),
                    (q, false) => format!("{}*{q}", r.render()),
                    (q, true) => format!(" {} * {q} ", r.render()),
                })
                .collect();
            let mut expected: Vec<(String, ProductRef, i64)> = Vec::new();
            for (r, q, _) in &items {
                match expected.iter_mut().find(|(raw, _, _)| *raw == r.render()) {
                    Some(e) => e.2 += q * row,
                    None => expected.push((r.render(), r.expected(), q * row)),
                }
            }
            let parsed = parse_simple(&rendered.join("+"), row).unwrap();
            let got: Vec<(String, ProductRef, i64)> =
                parsed.into_iter().map(|i| (i.raw, i.reference, i.quantity)).collect();
            prop_assert_eq!(got, expected);
        }

        #[test]
        fn never_panics_on_any_string(s in any::<String>(), row in any::<i64>()) {
            check_total(&s, row);
        }

        #[test]
        fn never_panics_on_ref_alphabet(s in "[a-z0-9#*+|. ,]{0,48}", row in 1..3i64) {
            check_total(&s, row);
        }
    }

    /// Both parsers return (never panic), and what they accept has positive quantities.
    fn check_total(s: &str, row: i64) {
        if let Ok(items) = parse_simple(s, row) {
            assert!(items.iter().all(|i| i.quantity > 0 && !i.raw.is_empty()));
        }
        if let Ok(items) = parse_extended(s) {
            assert!(items.iter().all(|i| i.quantity > 0));
        }
        let _ = is_extended(s);
    }
}
