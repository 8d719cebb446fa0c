//! Bird's platform sales fields: a line's `sales_price`, `ebay_transaction_id` and `ebay_item_no`,
//! and the consignment's `sales_price`. Bird records them in US dollars (the seed: "DECIMAL(10,3),
//! 单位美元") and prints them with three decimals; the totals it computes from them
//! (`total_sales_price`) with two.
//!
//! Amounts are read exactly into cents: `10`, `"10.5"` and `"10.500"` are accepted, a third
//! significant decimal (`10.005`) is refused rather than rounded, as are negative, non-numeric
//! and over-large values ([`entrepot_core::sale::MAX_SALES_PRICE_MINOR`]); every refusal names
//! the field.

use entrepot_core::{
    money::{Currency, Money},
    sale::{ebay_id, line_total, parse_sales_price, LineSale},
    CoreResult,
};

/// The currency of Bird's sales prices.
pub const SALES_CURRENCY: &str = "USD";

/// A sales price as sent (text, or a number read as text); blank is none.
pub fn price(field: &str, text: Option<&str>) -> CoreResult<Option<Money>> {
    match text.map(str::trim).filter(|t| !t.is_empty()) {
        None => Ok(None),
        Some(t) => parse_sales_price(field, t, &Currency::parse(SALES_CURRENCY)?).map(Some),
    }
}

/// A line's sale from its three fields as sent; each refusal names `prefix` + the field.
pub fn line_sale(
    prefix: &str,
    sales_price: Option<&str>,
    txn: Option<&str>,
    item: Option<&str>,
) -> CoreResult<LineSale> {
    Ok(LineSale {
        sales_price: price(&format!("{prefix}sales_price"), sales_price)?,
        ebay_transaction_id: ebay_id(&format!("{prefix}ebay_transaction_id"), txn)?,
        ebay_item_no: ebay_id(&format!("{prefix}ebay_item_no"), item)?,
    })
}

/// A sales price as Bird prints it: three decimals (`"10.000"`).
pub fn price_text(m: &Money) -> String {
    entrepot_core::money::format_minor(m.minor.saturating_mul(10), 3)
}

/// A line's `total_sales_price` (unit price × quantity, two decimals), `None` without a price.
pub fn line_total_text(sale: &LineSale, qty: i64) -> Option<String> {
    match line_total(sale, qty) {
        Ok(t) => t.map(crate::format::money_text),
        Err(_) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bird_prints_prices_with_three_decimals_and_totals_with_two() {
        let p = price("sales_price", Some(" 10.5 ")).unwrap().unwrap();
        assert_eq!((p.minor, p.currency.as_str()), (1050, "USD"));
        assert_eq!(price_text(&p), "10.500");
        let sale = LineSale { sales_price: Some(p), ..Default::default() };
        assert_eq!(line_total_text(&sale, 3).as_deref(), Some("31.50"));
        assert_eq!(price("sales_price", Some("")).unwrap(), None);
        let e = line_sale("products[1].", Some("x"), None, None).unwrap_err().to_string();
        assert_eq!(e, "products[1].sales_price: 'x' is not a decimal amount");
    }
}
