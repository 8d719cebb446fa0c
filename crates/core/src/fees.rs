//! Fees: handling per order and per item, delivery by chargeable weight. Chargeable weight is the
//! larger of the actual and the volumetric weight, as every parcel carrier bills.

use serde::{Deserialize, Serialize};

use crate::service::Parcel;

/// One step of a delivery price list: parcels up to `up_to_g` cost `fee` minor units.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WeightBand {
    pub up_to_g: i64,
    pub fee: i64,
}

/// A service's price list, in minor units of `currency`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RateCard {
    pub currency: String,
    pub handling_per_order: i64,
    /// Charged for every item after the first.
    pub handling_per_additional_item: i64,
    /// cm³ per kg (5000 is the usual courier divisor); 0 disables volumetric weight.
    pub volumetric_divisor: i64,
    /// Ascending by `up_to_g`.
    pub bands: Vec<WeightBand>,
    /// Above the last band: this much per started kilogram.
    pub per_kg_over: i64,
}

/// What an order will cost.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FeeQuote {
    pub currency: String,
    pub handling: i64,
    pub delivery: i64,
    pub actual_weight_g: i64,
    pub volumetric_weight_g: i64,
    pub chargeable_weight_g: i64,
}

impl FeeQuote {
    pub fn total(&self) -> i64 {
        self.handling + self.delivery
    }
}

impl RateCard {
    /// Volumetric weight in grams: cm³ / divisor = kg, so mm³ / divisor = g (rounded up).
    pub fn volumetric_weight_g(&self, volume_mm3: i64) -> i64 {
        if self.volumetric_divisor <= 0 {
            return 0;
        }
        (volume_mm3 + self.volumetric_divisor - 1) / self.volumetric_divisor
    }

    /// Prices a parcel.
    pub fn quote(&self, parcel: &Parcel) -> FeeQuote {
        let volumetric = self.volumetric_weight_g(parcel.volume_mm3);
        let chargeable = parcel.weight_g.max(volumetric);
        let handling = if parcel.items > 0 {
            self.handling_per_order + self.handling_per_additional_item * (parcel.items - 1)
        } else {
            0
        };
        FeeQuote {
            currency: self.currency.clone(),
            handling,
            delivery: self.delivery_fee(chargeable),
            actual_weight_g: parcel.weight_g,
            volumetric_weight_g: volumetric,
            chargeable_weight_g: chargeable,
        }
    }

    fn delivery_fee(&self, chargeable_g: i64) -> i64 {
        match self.bands.iter().find(|b| chargeable_g <= b.up_to_g) {
            Some(band) => band.fee,
            None => match self.bands.last() {
                Some(last) => {
                    let over = chargeable_g - last.up_to_g;
                    last.fee + (over + 999) / 1000 * self.per_kg_over
                }
                None => 0,
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn card() -> RateCard {
        RateCard {
            currency: "GBP".into(),
            handling_per_order: 120,
            handling_per_additional_item: 30,
            volumetric_divisor: 5000,
            bands: vec![WeightBand { up_to_g: 1000, fee: 300 }, WeightBand { up_to_g: 2000, fee: 450 }],
            per_kg_over: 100,
        }
    }

    fn parcel(weight_g: i64, volume_mm3: i64, items: i64) -> Parcel {
        Parcel { country: "GB".into(), weight_g, volume_mm3, items, ..Default::default() }
    }

    #[test]
    fn chargeable_weight_is_the_larger() {
        let c = card();
        // 300x200x100 mm = 6,000,000 mm³ → 1200 g volumetric, beats 800 g actual.
        let q = c.quote(&parcel(800, 6_000_000, 1));
        assert_eq!(q.volumetric_weight_g, 1200);
        assert_eq!(q.chargeable_weight_g, 1200);
        assert_eq!(q.delivery, 450);
        assert_eq!(q.handling, 120);
        let q = c.quote(&parcel(900, 1_000_000, 3));
        assert_eq!(q.chargeable_weight_g, 900);
        assert_eq!(q.delivery, 300);
        assert_eq!(q.handling, 180);
        assert_eq!(q.total(), 480);
    }

    #[test]
    fn over_the_last_band_pays_per_started_kg() {
        let q = card().quote(&parcel(3001, 0, 1));
        assert_eq!(q.delivery, 450 + 2 * 100);
    }
}
