//! Bounds on every number a client sends: quantities, weights, dimensions, money and counts.
//!
//! Both dialects check their input against these at the edge (naming the field and row), and the
//! core checks them again where orders, SKUs and parcels are planned, so that no sum or product
//! the core computes from client input can come near `i64` overflow. The maxima are generous for
//! a parcel warehouse (a tonne, ten metres, a million units a line) and far below the values at
//! which fees or volumes would wrap: 1,000 lines × 1,000,000 units × 1,000,000 g is 10^15 g.

use crate::{CoreError, CoreResult};

/// Units of one SKU on one order or inbound line.
pub const MAX_QUANTITY: i64 = 1_000_000;
/// Lines (products, SKUs, packages) of one order or inbound order.
pub const MAX_LINES: usize = 1_000;
/// Weight of one item or package, in grams (a tonne).
pub const MAX_WEIGHT_G: i64 = 1_000_000;
/// One side of an item or package, in millimetres (ten metres).
pub const MAX_DIMENSION_MM: i64 = 10_000;
/// A price, declared value, fee or top-up, in minor units (a billion major units).
pub const MAX_AMOUNT_MINOR: i64 = 100_000_000_000;
/// Free text a client writes for people to read (remarks, a cancel reason), in characters.
pub const MAX_FREE_TEXT_CHARS: usize = 500;

/// A line quantity: 1 to [`MAX_QUANTITY`].
pub fn quantity(field: &str, v: i64) -> CoreResult<i64> {
    within(field, v, 1, MAX_QUANTITY)
}

/// A weight in grams: 0 to [`MAX_WEIGHT_G`].
pub fn weight_g(field: &str, v: i64) -> CoreResult<i64> {
    within(field, v, 0, MAX_WEIGHT_G)
}

/// A length in millimetres: 0 to [`MAX_DIMENSION_MM`].
pub fn dimension_mm(field: &str, v: i64) -> CoreResult<i64> {
    within(field, v, 0, MAX_DIMENSION_MM)
}

/// An amount of money in minor units: 0 to [`MAX_AMOUNT_MINOR`].
pub fn amount_minor(field: &str, v: i64) -> CoreResult<i64> {
    within(field, v, 0, MAX_AMOUNT_MINOR)
}

/// A number of lines: at most [`MAX_LINES`].
pub fn lines(field: &str, n: usize) -> CoreResult<usize> {
    if n > MAX_LINES {
        return Err(CoreError::invalid(field, format!("must have at most {MAX_LINES} entries, got {n}")));
    }
    Ok(n)
}

/// Free text of at most [`MAX_FREE_TEXT_CHARS`] characters.
pub fn free_text<'a>(field: &str, v: &'a str) -> CoreResult<&'a str> {
    let n = v.chars().count();
    if n > MAX_FREE_TEXT_CHARS {
        return Err(CoreError::invalid(field, format!("must be at most {MAX_FREE_TEXT_CHARS} characters, got {n}")));
    }
    Ok(v)
}

/// `v` within `min..=max`, or a validation error naming `field` and the range.
pub fn within(field: &str, v: i64, min: i64, max: i64) -> CoreResult<i64> {
    if v < min || v > max {
        return Err(CoreError::invalid(field, format!("must be between {min} and {max}, got {v}")));
    }
    Ok(v)
}

/// The error for a sum or product of client input that does not fit: the caller names what.
pub fn too_large(field: &str) -> CoreError {
    CoreError::invalid(field, "is too large")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bounds_name_the_field_and_the_range() {
        assert_eq!(quantity("q", 1).unwrap(), 1);
        assert_eq!(quantity("q", MAX_QUANTITY).unwrap(), MAX_QUANTITY);
        let e = quantity("products[3].quantity", 6_148_914_691_236_483_869).unwrap_err();
        assert_eq!(e.to_string(), "products[3].quantity: must be between 1 and 1000000, got 6148914691236483869");
        assert!(quantity("q", 0).is_err());
        assert!(weight_g("w", -1).is_err());
        assert!(dimension_mm("l", MAX_DIMENSION_MM + 1).is_err());
        assert!(amount_minor("p", i64::MAX).is_err());
        assert!(free_text("cancelReason", &"é".repeat(MAX_FREE_TEXT_CHARS)).is_ok());
        assert!(free_text("cancelReason", &"x".repeat(MAX_FREE_TEXT_CHARS + 1)).is_err());
        assert!(lines("products", MAX_LINES + 1).unwrap_err().to_string().contains("at most 1000"));
    }

    #[test]
    fn the_largest_order_fits_with_room() {
        let weight = (MAX_LINES as i64) * MAX_QUANTITY * MAX_WEIGHT_G;
        assert!(weight < i64::MAX / 1000);
    }
}
