//! Money as integer minor units with an ISO-4217 currency: never floating point, so balances add up
//! to the penny and a fee computed twice is the same fee.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::{CoreError, CoreResult};

/// An ISO-4217 code (`GBP`, `EUR`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Currency(String);

impl Currency {
    /// Accepts three ASCII letters, any case.
    pub fn parse(s: &str) -> CoreResult<Self> {
        let s = s.trim();
        if s.len() == 3 && s.bytes().all(|b| b.is_ascii_alphabetic()) {
            Ok(Self(s.to_ascii_uppercase()))
        } else {
            Err(CoreError::invalid("currency", format!("'{s}' is not an ISO-4217 code")))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Digits after the decimal point. Every currency Entrepot serves today (GBP, EUR, USD, AUD,
    /// CNY) has two; a table goes here when one does not.
    pub fn exponent(&self) -> u32 {
        2
    }
}

impl fmt::Display for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// An amount in minor units (pence, cents).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Money {
    pub minor: i64,
    pub currency: Currency,
}

impl Money {
    pub fn new(minor: i64, currency: Currency) -> Self {
        Self { minor, currency }
    }

    /// The amount as a decimal string (`12.30`), as both dialects print money.
    pub fn to_decimal_string(&self) -> String {
        format_minor(self.minor, self.currency.exponent())
    }
}

impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.to_decimal_string(), self.currency)
    }
}

/// Formats minor units as a decimal string with `exponent` digits.
pub fn format_minor(minor: i64, exponent: u32) -> String {
    let scale = 10i64.pow(exponent);
    let sign = if minor < 0 { "-" } else { "" };
    let abs = minor.unsigned_abs();
    let scale_u = scale.unsigned_abs();
    format!("{sign}{}.{:0width$}", abs / scale_u, abs % scale_u, width = exponent as usize)
}

/// Parses a decimal amount (`"10"`, `"10.5"`, `"-3.25"`) into minor units, refusing more decimals
/// than the currency has rather than silently rounding money.
pub fn parse_minor(s: &str, exponent: u32) -> CoreResult<i64> {
    let bad = || CoreError::invalid("amount", format!("'{s}' is not a decimal amount"));
    let t = s.trim();
    let (neg, t) = match t.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, t.strip_prefix('+').unwrap_or(t)),
    };
    let (int, frac) = t.split_once('.').unwrap_or((t, ""));
    if int.is_empty() && frac.is_empty() {
        return Err(bad());
    }
    if !int.bytes().all(|b| b.is_ascii_digit()) || !frac.bytes().all(|b| b.is_ascii_digit()) {
        return Err(bad());
    }
    let frac = frac.trim_end_matches('0');
    if frac.len() > exponent as usize {
        return Err(CoreError::invalid("amount", format!("'{s}' has more than {exponent} decimals")));
    }
    let int_v: i64 = if int.is_empty() { 0 } else { int.parse().map_err(|_| bad())? };
    let frac_v: i64 = if frac.is_empty() {
        0
    } else {
        frac.parse::<i64>().map_err(|_| bad())? * 10i64.pow(exponent - frac.len() as u32)
    };
    let v = int_v.checked_mul(10i64.pow(exponent)).and_then(|v| v.checked_add(frac_v)).ok_or_else(bad)?;
    Ok(if neg { -v } else { v })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimal_round_trip() {
        assert_eq!(parse_minor("10", 2).unwrap(), 1000);
        assert_eq!(parse_minor("10.5", 2).unwrap(), 1050);
        assert_eq!(parse_minor("-3.25", 2).unwrap(), -325);
        assert_eq!(parse_minor(".5", 2).unwrap(), 50);
        assert_eq!(parse_minor("1.230", 2).unwrap(), 123);
        assert!(parse_minor("1.234", 2).is_err());
        assert!(parse_minor("abc", 2).is_err());
        assert!(parse_minor("", 2).is_err());
        assert_eq!(format_minor(1050, 2), "10.50");
        assert_eq!(format_minor(-5, 2), "-0.05");
    }

    #[test]
    fn currency_is_normalised() {
        assert_eq!(Currency::parse("gbp").unwrap().as_str(), "GBP");
        assert!(Currency::parse("GB").is_err());
    }
}
