//! What a client sold an order for on its sales platform: a unit sales price and the eBay
//! transaction and item ids per line, and the order's own sales price (Bird's `sales_price`,
//! `ebay_transaction_id`, `ebay_item_no`). The warehouse does not charge by them; they are kept so
//! that an ERP reads back what it sent, and so that customs and platform paperwork can use them.
//!
//! Amounts are [`Money`]: integer minor units with their currency, parsed from decimal text
//! exactly, never rounded.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::{
    ids::SkuId,
    money::{format_minor, parse_minor, Currency, Money},
    CoreError, CoreResult,
};

/// The largest sales price, in minor units: 9,999,999.99, what Bird's `DECIMAL(10,3)` column holds
/// at a currency's two decimals.
pub const MAX_SALES_PRICE_MINOR: i64 = 999_999_999;
/// The longest eBay transaction id or item number (Bird's `VARCHAR(50)`).
pub const MAX_EBAY_ID_CHARS: usize = 50;

/// The platform facts of one order line. Empty (all `None`) when the client sent none.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LineSale {
    /// The unit price the buyer paid on the platform.
    pub sales_price: Option<Money>,
    pub ebay_transaction_id: Option<String>,
    pub ebay_item_no: Option<String>,
}

impl LineSale {
    pub fn is_empty(&self) -> bool {
        self.sales_price.is_none() && self.ebay_transaction_id.is_none() && self.ebay_item_no.is_none()
    }

    /// Folds a second mention of the same SKU in: each field may be given once, or repeated
    /// with the same value. Lines of one SKU are one line, so two different prices or eBay ids
    /// for it cannot both be kept, and are refused rather than one silently dropped.
    pub fn merge(&mut self, other: LineSale, sku: SkuId) -> CoreResult<()> {
        fn one<T: PartialEq + Clone>(
            mine: &mut Option<T>,
            theirs: Option<T>,
            field: &str,
            sku: SkuId,
        ) -> CoreResult<()> {
            match (mine.as_ref(), theirs) {
                (_, None) => Ok(()),
                (None, t) => {
                    *mine = t;
                    Ok(())
                }
                (Some(m), Some(t)) if *m == t => Ok(()),
                (Some(_), Some(_)) => Err(CoreError::invalid(
                    field,
                    format!("product {sku} is listed twice with different values; list it once"),
                )),
            }
        }
        one(&mut self.sales_price, other.sales_price, "sales_price", sku)?;
        one(&mut self.ebay_transaction_id, other.ebay_transaction_id, "ebay_transaction_id", sku)?;
        one(&mut self.ebay_item_no, other.ebay_item_no, "ebay_item_no", sku)
    }

    /// Checks the bounds of what a dialect built by hand (parsed values are checked already).
    pub fn validate(&self) -> CoreResult<()> {
        if let Some(p) = &self.sales_price {
            check_price("sales_price", p)?;
        }
        ebay_id("ebay_transaction_id", self.ebay_transaction_id.as_deref())?;
        ebay_id("ebay_item_no", self.ebay_item_no.as_deref())?;
        Ok(())
    }
}

/// A sales price from decimal text (`"10"`, `"10.5"`, `"10.500"`): non-negative, at most the
/// currency's decimals (trailing zeros aside) and [`MAX_SALES_PRICE_MINOR`]; every refusal names
/// `field`.
pub fn parse_sales_price(field: &str, text: &str, currency: &Currency) -> CoreResult<Money> {
    let t = text.trim();
    let minor = parse_minor(t, currency.exponent()).map_err(|e| match e {
        CoreError::Validation { message, .. } => CoreError::invalid(field, message),
        other => other,
    })?;
    let money = Money::new(minor, currency.clone());
    check_price(field, &money)?;
    Ok(money)
}

fn check_price(field: &str, p: &Money) -> CoreResult<()> {
    let exp = p.currency.exponent();
    if p.minor < 0 {
        return Err(CoreError::invalid(field, format!("must not be negative, got {}", format_minor(p.minor, exp))));
    }
    if p.minor > MAX_SALES_PRICE_MINOR {
        return Err(CoreError::invalid(
            field,
            format!("must be at most {}, got {}", format_minor(MAX_SALES_PRICE_MINOR, exp), format_minor(p.minor, exp)),
        ));
    }
    Ok(())
}

/// An eBay id as sent, trimmed; blank is none. Longer than [`MAX_EBAY_ID_CHARS`] is refused.
pub fn ebay_id(field: &str, v: Option<&str>) -> CoreResult<Option<String>> {
    let Some(t) = v.map(str::trim).filter(|t| !t.is_empty()) else { return Ok(None) };
    if t.chars().count() > MAX_EBAY_ID_CHARS {
        return Err(CoreError::invalid(field, format!("must be at most {MAX_EBAY_ID_CHARS} characters")));
    }
    Ok(Some(t.to_owned()))
}

/// Checks an order's sales facts: the order's price, each line's, and that every line sale
/// belongs to a line of the order.
pub fn validate_sales(
    order_price: Option<&Money>,
    lines: &[(SkuId, i64)],
    sales: &BTreeMap<SkuId, LineSale>,
) -> CoreResult<()> {
    if let Some(p) = order_price {
        check_price("sales_price", p)?;
    }
    for (sku, sale) in sales {
        if !lines.iter().any(|(s, _)| s == sku) {
            return Err(CoreError::invalid("sales_price", format!("product {sku} is not a line of the order")));
        }
        sale.validate()?;
    }
    Ok(())
}

/// A line's sales price times its quantity, in minor units; `None` without a price.
pub fn line_total(sale: &LineSale, qty: i64) -> CoreResult<Option<i64>> {
    sale.sales_price
        .as_ref()
        .map(|p| p.minor.checked_mul(qty).ok_or_else(|| crate::limits::too_large("total_sales_price")))
        .transpose()
}

/// The sum of the lines' sales totals (Bird's `total_sales_price`), in minor units: 0 when no line
/// has a price.
pub fn order_total(lines: &[(SkuId, i64)], sales: &BTreeMap<SkuId, LineSale>) -> CoreResult<i64> {
    let mut total: i64 = 0;
    for (sku, qty) in lines {
        if let Some(t) = sales.get(sku).map(|s| line_total(s, *qty)).transpose()?.flatten() {
            total = total.checked_add(t).ok_or_else(|| crate::limits::too_large("total_sales_price"))?;
        }
    }
    Ok(total)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn usd() -> Currency {
        Currency::parse("USD").unwrap()
    }

    #[test]
    fn prices_parse_exactly_and_are_bounded() {
        let p = |s: &str| parse_sales_price("sales_price", s, &usd()).map(|m| m.minor);
        assert_eq!(p("10").unwrap(), 1000);
        assert_eq!(p("10.500").unwrap(), 1050);
        assert_eq!(p(" 0 ").unwrap(), 0);
        assert_eq!(p("9999999.99").unwrap(), MAX_SALES_PRICE_MINOR);
        let msg = |s: &str| p(s).unwrap_err().to_string();
        assert_eq!(msg("-1"), "sales_price: must not be negative, got -1.00");
        assert_eq!(msg("ten"), "sales_price: 'ten' is not a decimal amount");
        assert_eq!(msg("1.234"), "sales_price: '1.234' has more than 2 decimals");
        assert_eq!(msg("10000000"), "sales_price: must be at most 9999999.99, got 10000000.00");
        assert!(p("99999999999999999999").is_err());
    }

    #[test]
    fn totals_and_merges() {
        let sale = |minor| LineSale { sales_price: Some(Money::new(minor, usd())), ..Default::default() };
        let sales: BTreeMap<SkuId, LineSale> = [(SkuId(1), sale(1000)), (SkuId(2), sale(250))].into_iter().collect();
        assert_eq!(order_total(&[(SkuId(1), 2), (SkuId(2), 3), (SkuId(3), 9)], &sales).unwrap(), 2750);
        assert!(validate_sales(None, &[(SkuId(1), 1)], &sales).is_err());
        let mut a = sale(1000);
        a.merge(LineSale { ebay_item_no: Some("9".into()), ..sale(1000) }, SkuId(1)).unwrap();
        assert_eq!(a.ebay_item_no.as_deref(), Some("9"));
        let e = a.merge(sale(999), SkuId(1)).unwrap_err().to_string();
        assert!(e.starts_with("sales_price: product 1 is listed twice"), "{e}");
        assert!(ebay_id("ebay_item_no", Some(&"x".repeat(51))).is_err());
        assert_eq!(ebay_id("ebay_item_no", Some("  ")).unwrap(), None);
    }
}
