//! Typed identifiers, so that a client id can never be passed where an order id is expected, and
//! the id formats each dialect exposes (Bird's dated consignment numbers, OC's `OC…` numbers).
//!
//! Internal ids are prefixed, time-sortable strings (`ord_01J…`): the prefix makes logs readable,
//! the sortable payload keeps B-tree inserts local. The entropy is supplied by the caller, because
//! the core does no I/O.

use std::fmt;

use serde::{Deserialize, Serialize};

macro_rules! text_id {
    ($(#[$doc:meta])* $name:ident, $prefix:literal) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub String);

        impl $name {
            pub const PREFIX: &'static str = $prefix;

            /// A new id from a millisecond timestamp and 80 random bits.
            pub fn generate(unix_ms: u64, random: u128) -> Self {
                Self(format!("{}_{}", $prefix, ulid(unix_ms, random)))
            }

            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl From<&str> for $name {
            fn from(s: &str) -> Self {
                Self(s.to_owned())
            }
        }
    };
}

text_id!(/// An operator company (runs warehouses).
    CompanyId, "cmp");
text_id!(/// A warehouse site.
    WarehouseId, "wh");
text_id!(/// A logistics service offered by a warehouse.
    ServiceId, "svc");
text_id!(/// A client (seller): the tenant boundary.
    ClientId, "cli");
text_id!(/// A console user.
    UserId, "usr");
text_id!(/// An entry of the audit trail.
    AuditId, "aud");
text_id!(/// A Bird API key record (the key itself is only stored hashed).
    ApiKeyId, "key");
text_id!(/// An OC ERP app (ClientKey/SecretKey pair).
    ErpAppId, "app");
text_id!(/// An outbound order (consignment).
    OrderId, "ord");
text_id!(/// An inbound order.
    InboundId, "inb");
text_id!(/// One ledger transfer.
    TransferId, "trf");
text_id!(/// One domain event in the outbox.
    EventId, "evt");
text_id!(/// Returned goods that arrived without an authorisation (the unidentified returns queue).
    UnidentifiedReturnId, "urt");
text_id!(/// A wave: due orders released to the floor together.
    WaveId, "wav");
text_id!(/// A pick list: one picker's walk (a cart of totes, or one large order) within a wave.
    PickListId, "pkl");
text_id!(/// One pick: units of a SKU for an order, to be taken from one bin.
    PickId, "pck");

/// A SKU's numeric id: also Bird's `product_id`, which ERPs store as an integer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct SkuId(pub i64);

impl fmt::Display for SkuId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

const CROCKFORD: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/// A ULID (48-bit millisecond time + 80 random bits) in Crockford base32: 26 characters.
pub fn ulid(unix_ms: u64, random: u128) -> String {
    let value: u128 = (u128::from(unix_ms & 0xFFFF_FFFF_FFFF) << 80) | (random & ((1u128 << 80) - 1));
    (0..26).rev().map(|i| CROCKFORD[((value >> (i * 5)) & 31) as usize] as char).collect()
}

/// Bird's consignment id: `YYMMDD` + 3-digit company id + 7-digit sequence (16 digits).
pub fn bird_consignment_id(date: jiff::civil::Date, bird_company_id: i64, seq: i64) -> i64 {
    let yymmdd = i64::from(date.year() % 100) * 10_000 + i64::from(date.month()) * 100 + i64::from(date.day());
    yymmdd * 10_000_000_000 + (bird_company_id % 1000) * 10_000_000 + seq % 10_000_000
}

/// OC's MFSKUID: `OC` + 13 digits.
pub fn oc_mfskuid(seq: i64) -> String {
    format!("OC{:013}", 6_000_000_000_000 + seq)
}

/// OC's outbound order number: `OCO` + 13 digits + destination country (e.g. `OCO2000009385032GB`).
pub fn oc_outbound_number(seq: i64, country: &str) -> String {
    format!("OCO{:013}{}", 2_000_000_000_000 + seq, country.to_ascii_uppercase())
}

/// OC's inbound order number: `OCI` + 13 digits.
pub fn oc_inbound_number(seq: i64) -> String {
    format!("OCI{:013}", 3_000_000_000_000 + seq)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ulids_sort_by_time() {
        let a = OrderId::generate(1_700_000_000_000, u128::MAX);
        let b = OrderId::generate(1_700_000_000_001, 0);
        assert!(a < b);
        assert!(a.as_str().starts_with("ord_"));
        assert_eq!(a.as_str().len(), 4 + 26);
    }

    #[test]
    fn bird_id_matches_documented_example() {
        // 2012090360000378 = 2020-12-09, company 036, sequence 378 (spec §0.3).
        let d = jiff::civil::date(2020, 12, 9);
        assert_eq!(bird_consignment_id(d, 36, 378), 2012090360000378);
    }

    #[test]
    fn oc_formats() {
        assert_eq!(oc_mfskuid(1).len(), 15);
        assert!(oc_outbound_number(7, "gb").ends_with("GB"));
        assert_eq!(oc_outbound_number(7, "GB").len(), 18);
        assert!(oc_inbound_number(3).starts_with("OCI"));
    }
}
