//! Logistics services and the suitability rule: can this service carry this parcel?
//!
//! Suitability answers *which* rule failed, because both dialects must tell the ERP why an order
//! was refused (Bird: "unsuitable delivery service"; OC: per-order errors).

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::{
    compliance::Requirement,
    fees::RateCard,
    ids::{ServiceId, WarehouseId},
    limits,
    outbound::OrderKind,
    sku::{CustomsProperty, Sku},
    CoreResult,
};

/// A carrier service a warehouse offers, e.g. `GBDomesticStandard` / Bird 105 "Royal Mail 2nd
/// Class".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Service {
    pub id: ServiceId,
    pub warehouse_id: WarehouseId,
    /// OC `shippingServiceCode`; unique per warehouse.
    pub code: String,
    /// Bird `delivery_service_id`.
    pub bird_id: Option<i64>,
    pub name: String,
    pub name_cn: Option<String>,
    /// Carrier code the sandbox (or a real connector) books with, e.g. `ROYALMAIL`.
    pub carrier: String,
    pub active: bool,
    pub tracking: bool,
    pub signature: bool,
    pub express: bool,
    pub constraints: Constraints,
    pub rates: RateCard,
}

/// What a service accepts. Fields added later default when reading older stored services.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Constraints {
    /// Destination countries served; empty means every country.
    pub destinations: Vec<String>,
    pub max_weight_g: Option<i64>,
    /// Longest side of the parcel.
    pub max_length_mm: Option<i64>,
    /// Length + 2 × (width + height).
    pub max_girth_mm: Option<i64>,
    pub forbidden: Vec<CustomsProperty>,
    /// Orders to the EU need a valid IOSS number (seed: "EU destinations need IOSS").
    pub requires_ioss_for_eu: bool,
    /// Orders leaving the UK for the EU need the shipper's EORI.
    pub requires_shipper_eori: bool,
    /// The carrier prints the sender on the label (seed: "sender fields for the services that
    /// require them"): name, first address line, city, postcode and country.
    pub requires_sender: bool,
    /// The compliance fields the carrier needs, and when (see [`crate::compliance`]).
    pub requires: Vec<Requirement>,
    /// The service does not take urgent consignments (Bird's `is_allow_urgent_consignment` = 0).
    pub refuses_urgent: bool,
    /// The carrier compensates late deliveries when the order asks ("晚必赔").
    pub compensation_for_delay: bool,
    /// Postcode areas or district ranges (`HS`, `PA20-PA49`) the carrier counts as remote: no
    /// compensation for delay there.
    pub remote_postcodes: Vec<String>,
    /// The one consignment type the service carries (Bird's `consignment_type`: "FBA UK" takes FBA
    /// orders, a direct line DIRECT ones); none: every type, shown as LOCAL.
    pub consignment_type: Option<OrderKind>,
}

/// The physical facts of an order that suitability and fees depend on.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Parcel {
    /// Destination, ISO-2.
    pub country: String,
    pub weight_g: i64,
    /// Sides of the largest item, sorted longest first.
    pub largest_item_mm: [i64; 3],
    pub volume_mm3: i64,
    pub items: i64,
    pub properties: Vec<CustomsProperty>,
}

impl Parcel {
    /// Aggregates order lines: weights and volumes add up; the largest item bounds the size. A
    /// total that does not fit in `i64` is refused, never wrapped.
    pub fn from_lines<'a>(country: &str, lines: impl IntoIterator<Item = (&'a Sku, i64)>) -> CoreResult<Self> {
        let mut p = Parcel { country: country.to_ascii_uppercase(), ..Default::default() };
        for (sku, qty) in lines {
            let weight = sku.weight_g.checked_mul(qty).and_then(|w| w.checked_add(p.weight_g));
            p.weight_g = weight.ok_or_else(|| limits::too_large("weight"))?;
            let volume = sku
                .length_mm
                .checked_mul(sku.width_mm)
                .and_then(|v| v.checked_mul(sku.height_mm))
                .and_then(|v| v.checked_mul(qty))
                .and_then(|v| v.checked_add(p.volume_mm3));
            p.volume_mm3 = volume.ok_or_else(|| limits::too_large("volume"))?;
            p.items = p.items.checked_add(qty).ok_or_else(|| limits::too_large("quantity"))?;
            let mut sides = [sku.length_mm, sku.width_mm, sku.height_mm];
            sides.sort_unstable_by(|a, b| b.cmp(a));
            if sides > p.largest_item_mm {
                p.largest_item_mm = sides;
            }
            for prop in &sku.properties {
                if !p.properties.contains(prop) {
                    p.properties.push(*prop);
                }
            }
        }
        Ok(p)
    }

    /// Length + 2 × (width + height), saturating: it is only compared with a maximum, which a
    /// saturated girth exceeds as the true one would.
    pub fn girth_mm(&self) -> i64 {
        let [l, w, h] = self.largest_item_mm;
        l.saturating_add(w.saturating_add(h).saturating_mul(2))
    }
}

/// Why a service cannot carry a parcel.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Unsuitable {
    Inactive,
    DestinationNotServed { country: String },
    Overweight { weight_g: i64, max_g: i64 },
    TooLong { length_mm: i64, max_mm: i64 },
    GirthTooLarge { girth_mm: i64, max_mm: i64 },
    ForbiddenProperty { property: CustomsProperty },
}

impl fmt::Display for Unsuitable {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Inactive => write!(f, "the service is not active"),
            Self::DestinationNotServed { country } => {
                write!(f, "destination country {country} is not served")
            }
            Self::Overweight { weight_g, max_g } => {
                write!(f, "weight {weight_g} g is over the limit of {max_g} g")
            }
            Self::TooLong { length_mm, max_mm } => {
                write!(f, "length {length_mm} mm is over the limit of {max_mm} mm")
            }
            Self::GirthTooLarge { girth_mm, max_mm } => {
                write!(f, "length + girth {girth_mm} mm is over the limit of {max_mm} mm")
            }
            Self::ForbiddenProperty { property } => {
                write!(f, "customs property {} is not allowed", property.as_str())
            }
        }
    }
}

impl Service {
    /// Whether the service takes orders of `kind`: a typed service its type only, an untyped one
    /// every type.
    pub fn carries(&self, kind: OrderKind) -> bool {
        self.constraints.consignment_type.is_none_or(|k| k == kind)
    }

    /// Checks every constraint, reporting the first that fails (destination, weight, size, then
    /// customs properties: the order a warehouse clerk would check them in).
    pub fn check(&self, parcel: &Parcel) -> Result<(), Unsuitable> {
        if !self.active {
            return Err(Unsuitable::Inactive);
        }
        let c = &self.constraints;
        if !c.destinations.is_empty() && !c.destinations.iter().any(|d| d.eq_ignore_ascii_case(&parcel.country)) {
            return Err(Unsuitable::DestinationNotServed { country: parcel.country.clone() });
        }
        if let Some(max_g) = c.max_weight_g {
            if parcel.weight_g > max_g {
                return Err(Unsuitable::Overweight { weight_g: parcel.weight_g, max_g });
            }
        }
        if let Some(max_mm) = c.max_length_mm {
            let length_mm = parcel.largest_item_mm[0];
            if length_mm > max_mm {
                return Err(Unsuitable::TooLong { length_mm, max_mm });
            }
        }
        if let Some(max_mm) = c.max_girth_mm {
            let girth_mm = parcel.girth_mm();
            if girth_mm > max_mm {
                return Err(Unsuitable::GirthTooLarge { girth_mm, max_mm });
            }
        }
        if let Some(property) = parcel.properties.iter().find(|p| c.forbidden.contains(p)) {
            return Err(Unsuitable::ForbiddenProperty { property: *property });
        }
        Ok(())
    }
}

/// EU member states (ISO-2), for the IOSS and EORI rules.
pub const EU_COUNTRIES: [&str; 27] = [
    "AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IE", "IT", "LV", "LT", "LU", "MT",
    "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE",
];

pub fn is_eu(country: &str) -> bool {
    EU_COUNTRIES.iter().any(|c| c.eq_ignore_ascii_case(country))
}

/// IOSS numbers are `IM` + 10 digits in practice; the seed's rule is 2 letters + 10 digits.
pub fn is_valid_ioss(s: &str) -> bool {
    let b = s.trim().as_bytes();
    b.len() == 12 && b[..2].iter().all(u8::is_ascii_alphabetic) && b[2..].iter().all(u8::is_ascii_digit)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::sku::tests::sample;

    pub fn service() -> Service {
        Service {
            id: "svc_1".into(),
            warehouse_id: "wh_1".into(),
            code: "GBDomesticStandard".into(),
            bird_id: Some(105),
            name: "Royal Mail 2nd Class".into(),
            name_cn: None,
            carrier: "ROYALMAIL".into(),
            active: true,
            tracking: false,
            signature: false,
            express: false,
            constraints: Constraints {
                destinations: vec!["GB".into()],
                max_weight_g: Some(2000),
                max_length_mm: Some(610),
                max_girth_mm: None,
                forbidden: vec![CustomsProperty::Liquid],
                ..Default::default()
            },
            rates: RateCard::default(),
        }
    }

    #[test]
    fn says_which_rule_failed() {
        let s = service();
        let sku = sample(1);
        assert_eq!(s.check(&Parcel::from_lines("gb", [(&sku, 2)]).unwrap()), Ok(()));
        assert_eq!(
            s.check(&Parcel::from_lines("DE", [(&sku, 1)]).unwrap()),
            Err(Unsuitable::DestinationNotServed { country: "DE".into() })
        );
        assert_eq!(
            s.check(&Parcel::from_lines("GB", [(&sku, 5)]).unwrap()),
            Err(Unsuitable::Overweight { weight_g: 2500, max_g: 2000 })
        );
        let mut long = sample(2);
        long.length_mm = 700;
        assert_eq!(
            s.check(&Parcel::from_lines("GB", [(&long, 1)]).unwrap()),
            Err(Unsuitable::TooLong { length_mm: 700, max_mm: 610 })
        );
        let mut wet = sample(3);
        wet.properties = vec![CustomsProperty::Liquid];
        assert_eq!(
            s.check(&Parcel::from_lines("GB", [(&sku, 1), (&wet, 1)]).unwrap()),
            Err(Unsuitable::ForbiddenProperty { property: CustomsProperty::Liquid })
        );
        let mut off = service();
        off.active = false;
        assert_eq!(off.check(&Parcel::from_lines("GB", [(&sku, 1)]).unwrap()), Err(Unsuitable::Inactive));
    }

    #[test]
    fn ioss_format() {
        assert!(is_valid_ioss("IM1234567890"));
        assert!(!is_valid_ioss("IM123456789"));
        assert!(!is_valid_ioss("123456789012"));
        assert!(is_eu("de") && !is_eu("GB"));
    }
}
