//! Ledger movements, stock positions and stock age as OC's movement, snapshot and stock-age
//! bodies.

use std::collections::{BTreeMap, HashMap};

use entrepot_app::Movement;
use entrepot_core::{
    ids::WarehouseId,
    inventory::{Bucket, Position},
    sku::Sku,
    stock_age::AgeBands,
    CoreError,
};

use super::types::{
    inventory_status, BucketMovements, MfSkuIn, MovementOut, RegionMovements, SkuMovements, StockAgeRowOut, StockRowOut,
};
use crate::{fields::Field, sku::MAX_LIST, time};

/// The MFSKUIDs of a `[{mfSkuId}]` list, upper-cased, each once, at most [`MAX_LIST`].
pub fn mfskuids(list: &Field, field: &str) -> Result<Vec<String>, CoreError> {
    let mut out: Vec<String> = vec![];
    for m in list.texts(field, |m: &MfSkuIn| &m.mf_sku_id)? {
        let m = m.to_uppercase();
        if !out.contains(&m) {
            out.push(m);
        }
    }
    if out.len() > MAX_LIST {
        return Err(CoreError::invalid(field, format!("has {} entries; at most {MAX_LIST} are allowed", out.len())));
    }
    Ok(out)
}

/// One SKU's movements, by region and bucket, oldest first: each transfer is an entry out of its
/// source bucket and one into its destination.
pub fn sku_movements(s: &Sku, moves: &[Movement], regions: &HashMap<WarehouseId, String>) -> SkuMovements {
    let mut by_region: BTreeMap<&str, BTreeMap<Bucket, Vec<MovementOut>>> = BTreeMap::new();
    for m in moves.iter().filter(|m| m.sku_id == s.id) {
        let region = regions.get(&m.warehouse_id).map_or(m.warehouse_id.as_str(), String::as_str);
        let buckets = by_region.entry(region).or_default();
        for (bucket, quantity, after) in [(m.from, -m.qty, m.from_after), (m.to, m.qty, m.to_after)] {
            if bucket == Bucket::Outside {
                continue;
            }
            buckets.entry(bucket).or_default().push(MovementOut {
                movement_id: format!("{}-{}", m.id, inventory_status(bucket)),
                quantity,
                actual_count: after.unwrap_or(0),
                reason: m.reason.oc_wire(),
                order_number: if m.doc_kind == "adjustment" { String::new() } else { m.doc_id.clone() },
                update_time: time::format_datetime(m.created_at_ms),
            });
        }
    }
    let service_region_list = by_region
        .into_iter()
        .map(|(region, buckets)| RegionMovements {
            service_region: region.to_owned(),
            inventory_list: buckets
                .into_iter()
                .map(|(b, movement_list)| BucketMovements { inventory_status: inventory_status(b), movement_list })
                .collect(),
        })
        .collect();
    SkuMovements { mfskuid: s.mfskuid.clone(), seller_sku_id: s.seller_sku.clone(), service_region_list }
}

impl StockRowOut {
    /// The stock of `s` in `region`.
    pub fn new(s: &Sku, region: String, p: &Position) -> Self {
        Self {
            mfskuid: s.mfskuid.clone(),
            seller_sku_id: s.seller_sku.clone(),
            service_region: region,
            available: p.get(Bucket::Available),
            in_transit: p.get(Bucket::InTransit),
            received: p.get(Bucket::Received),
            reserved_allocated: p.get(Bucket::ReservedAllocated),
            reserved_hold: p.get(Bucket::ReservedHold),
            reserved_vas: 0,
            suspend: p.get(Bucket::Suspend),
            unfulfillable: p.get(Bucket::Unfulfillable),
        }
    }
}

impl StockAgeRowOut {
    /// The age bands of `s` in `region`.
    pub fn new(s: &Sku, region: String, b: &AgeBands) -> Self {
        let [age_0_to_30, age_31_to_60, age_61_to_90, age_91_to_180, age_181_to_365, age_over_365] = b.units;
        Self {
            mfskuid: s.mfskuid.clone(),
            seller_sku_id: s.seller_sku.clone(),
            service_region: region,
            total_quantity: b.total(),
            age_0_to_30,
            age_31_to_60,
            age_61_to_90,
            age_91_to_180,
            age_181_to_365,
            age_over_365,
        }
    }
}
