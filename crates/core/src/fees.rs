//! Fees: handling per order and per item, delivery by chargeable weight. Chargeable weight is the
//! larger of the actual and the volumetric weight, as every parcel carrier bills.

use serde::{Deserialize, Serialize};

use crate::{compliance::OrderOptions, limits, service::Parcel, CoreError, CoreResult};

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
    /// Added to the handling of an urgent order (Bird `handling_fee_urgent_consignment`).
    #[serde(default)]
    pub urgent_surcharge: i64,
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
    /// Handling plus delivery; [`RateCard::quote`] only returns quotes whose total fits.
    pub fn total(&self) -> CoreResult<i64> {
        self.handling.checked_add(self.delivery).ok_or_else(|| limits::too_large("fee"))
    }
}

impl RateCard {
    /// Checks an operator's price list: every amount within [`limits::MAX_AMOUNT_MINOR`], every
    /// band and the divisor non-negative, bands ascending, so no quote can go negative.
    pub fn validate(&self) -> CoreResult<()> {
        limits::amount_minor("handling_per_order", self.handling_per_order)?;
        limits::amount_minor("handling_per_additional_item", self.handling_per_additional_item)?;
        limits::amount_minor("per_kg_over", self.per_kg_over)?;
        limits::amount_minor("urgent_surcharge", self.urgent_surcharge)?;
        limits::within("volumetric_divisor", self.volumetric_divisor, 0, 1_000_000)?;
        let mut last = 0;
        for b in &self.bands {
            limits::amount_minor("band fee", b.fee)?;
            limits::within("band up_to_g", b.up_to_g, last, i64::MAX)?;
            last = b.up_to_g;
        }
        Ok(())
    }

    /// Volumetric weight in grams: cm³ / divisor = kg, so mm³ / divisor = g (rounded up).
    pub fn volumetric_weight_g(&self, volume_mm3: i64) -> i64 {
        if self.volumetric_divisor <= 0 || volume_mm3 <= 0 {
            return 0;
        }
        // Divide first: `volume + divisor - 1` could overflow.
        volume_mm3 / self.volumetric_divisor + i64::from(volume_mm3 % self.volumetric_divisor != 0)
    }

    /// Prices a parcel with the order's options: an urgent order's handling carries the
    /// surcharge.
    pub fn quote_for(&self, parcel: &Parcel, options: OrderOptions) -> CoreResult<FeeQuote> {
        let mut quote = self.quote(parcel)?;
        if options.urgent {
            quote.handling =
                quote.handling.checked_add(self.urgent_surcharge).ok_or_else(|| limits::too_large("handling fee"))?;
            quote.total()?;
        }
        Ok(quote)
    }

    /// Prices a parcel. Every step is checked: a parcel or price list whose fee does not fit is
    /// refused, never wrapped into a negative (free) fee.
    pub fn quote(&self, parcel: &Parcel) -> CoreResult<FeeQuote> {
        if parcel.weight_g < 0 || parcel.volume_mm3 < 0 || parcel.items < 0 {
            return Err(CoreError::invalid("parcel", "weight, volume and items must not be negative"));
        }
        let volumetric = self.volumetric_weight_g(parcel.volume_mm3);
        let chargeable = parcel.weight_g.max(volumetric);
        let handling = if parcel.items > 0 {
            self.handling_per_additional_item
                .checked_mul(parcel.items - 1)
                .and_then(|extra| extra.checked_add(self.handling_per_order))
                .ok_or_else(|| limits::too_large("handling fee"))?
        } else {
            0
        };
        let quote = FeeQuote {
            currency: self.currency.clone(),
            handling,
            delivery: self.delivery_fee(chargeable)?,
            actual_weight_g: parcel.weight_g,
            volumetric_weight_g: volumetric,
            chargeable_weight_g: chargeable,
        };
        let total = quote.total()?;
        if quote.handling < 0 || quote.delivery < 0 {
            return Err(CoreError::Conflict(format!("the service's price list gives a negative fee ({total})")));
        }
        Ok(quote)
    }

    /// Which step of the price list a weight falls on: its band's index, or past the last band
    /// one step per started kilogram. Two weights on the same step are priced (and, for a
    /// carrier label, declared) alike.
    pub fn weight_step(&self, weight_g: i64) -> i64 {
        match self.bands.iter().position(|b| weight_g <= b.up_to_g) {
            Some(k) => k as i64,
            None => {
                let over = self.bands.last().map_or(weight_g, |last| weight_g.saturating_sub(last.up_to_g));
                (self.bands.len() as i64).saturating_add(over / 1000 + i64::from(over % 1000 != 0))
            }
        }
    }

    fn delivery_fee(&self, chargeable_g: i64) -> CoreResult<i64> {
        match self.bands.iter().find(|b| chargeable_g <= b.up_to_g) {
            Some(band) => Ok(band.fee),
            None => match self.bands.last() {
                Some(last) => {
                    let over = chargeable_g.checked_sub(last.up_to_g).ok_or_else(|| limits::too_large("weight"))?;
                    let started_kg = over / 1000 + i64::from(over % 1000 != 0);
                    started_kg
                        .checked_mul(self.per_kg_over)
                        .and_then(|f| f.checked_add(last.fee))
                        .ok_or_else(|| limits::too_large("delivery fee"))
                }
                None => Ok(0),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weights_fall_on_the_steps_of_the_price_list() {
        let card = RateCard {
            bands: vec![WeightBand { up_to_g: 1000, fee: 300 }, WeightBand { up_to_g: 2000, fee: 450 }],
            ..RateCard::default()
        };
        let steps: Vec<i64> = [0, 1000, 1001, 2000, 2001, 3000, 3001].iter().map(|w| card.weight_step(*w)).collect();
        assert_eq!(steps, [0, 0, 1, 1, 3, 3, 4]);
    }

    fn card() -> RateCard {
        RateCard {
            currency: "GBP".into(),
            handling_per_order: 120,
            handling_per_additional_item: 30,
            volumetric_divisor: 5000,
            bands: vec![WeightBand { up_to_g: 1000, fee: 300 }, WeightBand { up_to_g: 2000, fee: 450 }],
            per_kg_over: 100,
            urgent_surcharge: 0,
        }
    }

    fn parcel(weight_g: i64, volume_mm3: i64, items: i64) -> Parcel {
        Parcel { country: "GB".into(), weight_g, volume_mm3, items, ..Default::default() }
    }

    #[test]
    fn chargeable_weight_is_the_larger() {
        let c = card();
        // 300x200x100 mm = 6,000,000 mm³ → 1200 g volumetric, beats 800 g actual.
        let q = c.quote(&parcel(800, 6_000_000, 1)).unwrap();
        assert_eq!(q.volumetric_weight_g, 1200);
        assert_eq!(q.chargeable_weight_g, 1200);
        assert_eq!(q.delivery, 450);
        assert_eq!(q.handling, 120);
        let q = c.quote(&parcel(900, 1_000_000, 3)).unwrap();
        assert_eq!(q.chargeable_weight_g, 900);
        assert_eq!(q.delivery, 300);
        assert_eq!(q.handling, 180);
        assert_eq!(q.total().unwrap(), 480);
    }

    #[test]
    fn an_urgent_order_pays_the_surcharge_on_its_handling() {
        let mut c = card();
        c.urgent_surcharge = 250;
        let urgent = OrderOptions { urgent: true, ..Default::default() };
        let q = c.quote_for(&parcel(900, 0, 1), urgent).unwrap();
        assert_eq!((q.handling, q.delivery), (120 + 250, 300));
        assert_eq!(c.quote_for(&parcel(900, 0, 1), OrderOptions::default()).unwrap().handling, 120);
        c.urgent_surcharge = i64::MAX;
        assert!(c.quote_for(&parcel(900, 0, 1), urgent).is_err(), "a surcharge that does not fit is refused");
    }

    #[test]
    fn over_the_last_band_pays_per_started_kg() {
        let q = card().quote(&parcel(3001, 0, 1)).unwrap();
        assert_eq!(q.delivery, 450 + 2 * 100);
    }

    #[test]
    fn the_reported_wrap_is_refused() {
        // Issue 16: 6148914691236483869 items wrapped the handling fee to a negative.
        let mut c = card();
        c.handling_per_additional_item = 3;
        let e = c.quote(&parcel(0, 0, 6_148_914_691_236_483_869)).unwrap_err();
        assert!(e.to_string().contains("handling fee"), "{e}");
        c.per_kg_over = 10_000;
        assert!(c.quote(&parcel(i64::MAX, 0, 1)).is_err(), "per-kg over the last band overflows");
        assert_eq!(c.volumetric_weight_g(i64::MAX), i64::MAX / 5000 + 1);
    }

    mod props {
        use super::*;
        use crate::limits::{MAX_AMOUNT_MINOR, MAX_DIMENSION_MM, MAX_LINES, MAX_QUANTITY, MAX_WEIGHT_G};
        use proptest::prelude::*;

        fn any_card() -> impl Strategy<Value = RateCard> {
            (
                any::<i64>(),
                any::<i64>(),
                any::<i64>(),
                prop::collection::vec((any::<i64>(), any::<i64>()), 0..4),
                any::<i64>(),
            )
                .prop_map(|(h, a, d, bands, k)| RateCard {
                    currency: "GBP".into(),
                    handling_per_order: h,
                    handling_per_additional_item: a,
                    volumetric_divisor: d,
                    bands: bands.into_iter().map(|(up_to_g, fee)| WeightBand { up_to_g, fee }).collect(),
                    per_kg_over: k,
                    urgent_surcharge: 0,
                })
        }

        /// A validated card whose prices are at most 100,000.00 each.
        fn valid_card() -> impl Strategy<Value = RateCard> {
            let amount = 0..=10_000_000i64;
            (
                amount.clone(),
                amount.clone(),
                0..=1_000_000i64,
                prop::collection::vec((0..=i64::MAX, amount.clone()), 0..4),
                amount,
            )
                .prop_map(|(h, a, d, mut bands, k)| {
                    bands.sort();
                    RateCard {
                        currency: "GBP".into(),
                        handling_per_order: h,
                        handling_per_additional_item: a,
                        volumetric_divisor: d,
                        bands: bands.into_iter().map(|(up_to_g, fee)| WeightBand { up_to_g, fee }).collect(),
                        per_kg_over: k,
                        urgent_surcharge: 0,
                    }
                })
        }

        proptest! {
            /// Any card, any parcel: a quote is an answer or an error, never a panic, and an
            /// answer is never a negative fee or a total that does not fit.
            #[test]
            fn extreme_inputs_never_wrap(card in any_card(), w in any::<i64>(), v in any::<i64>(), n in any::<i64>()) {
                if let Ok(q) = card.quote(&parcel(w, v, n)) {
                    prop_assert!(q.handling >= 0 && q.delivery >= 0);
                    prop_assert!(q.total().is_ok());
                    prop_assert!(q.chargeable_weight_g >= q.actual_weight_g);
                }
            }

            /// A validated card with realistic prices prices every parcel of up to a million
            /// tonnes and a billion items, and the fee grows with the number of items.
            #[test]
            fn bounded_inputs_always_price(
                card in valid_card(),
                w in 0..=MAX_WEIGHT_G * MAX_QUANTITY,
                side in 0..=MAX_DIMENSION_MM,
                n in 1..=MAX_QUANTITY * MAX_LINES as i64,
            ) {
                prop_assert!(card.validate().is_ok());
                prop_assert!(card.handling_per_order <= MAX_AMOUNT_MINOR);
                let volume = side * side * side;
                let q = card.quote(&parcel(w, volume, n));
                let q = match q { Ok(q) => q, Err(e) => return Err(TestCaseError::fail(e.to_string())) };
                let more = card.quote(&parcel(w, volume, n + 1)).unwrap();
                prop_assert!(more.total().unwrap() >= q.total().unwrap());
            }
        }
    }
}
