//! Bins: staff create a warehouse's locations (one by one or as a range), list and disable
//! them, see what each holds and move units between them. Every use case takes the acting user
//! first and refuses what it may not touch before anything else.

use entrepot_core::{
    actor::Actor,
    ids::WarehouseId,
    limits,
    location::{
        code::{normalize, normalize_zone, MAX_CODE_LEN},
        is_default_code, range, Location, MAX_CAPACITY, MAX_PICK_SEQ,
    },
    CoreError, CoreResult,
};

use crate::{types::locations::*, App};

/// Locations one list returns unless asked otherwise.
pub const DEFAULT_LOCATION_PAGE: i64 = 100;

/// A location to create, checked and normalised.
fn checked(n: NewLocation) -> CoreResult<NewLocation> {
    let code = normalize(&n.code)?;
    if is_default_code(&code) {
        return Err(CoreError::Conflict(format!("{code} is the name of a default location")));
    }
    let zone = n.zone.as_deref().map(normalize_zone).transpose()?;
    if let Some(seq) = n.pick_seq {
        limits::within("pick_seq", seq, 0, MAX_PICK_SEQ)?;
    }
    if let Some(c) = n.capacity {
        limits::within("capacity", c, 1, MAX_CAPACITY)?;
    }
    Ok(NewLocation { code, zone, ..n })
}

impl App {
    /// Creates one location in `warehouse`.
    pub async fn create_location(
        &self,
        actor: &Actor,
        warehouse: &WarehouseId,
        new: NewLocation,
    ) -> CoreResult<Location> {
        actor.require_staff()?;
        actor.require_warehouse(warehouse)?;
        let n = checked(new)?;
        self.storage.create_locations(actor, warehouse, vec![n]).await?.pop().ok_or(CoreError::Internal)
    }

    /// Creates the locations of a range (at most [`range::MAX_RANGE`]), all or nothing, numbered
    /// in walking order from `r.pick_seq` (default: after the warehouse's last bin).
    pub async fn create_location_range(
        &self,
        actor: &Actor,
        warehouse: &WarehouseId,
        r: NewLocationRange,
    ) -> CoreResult<Vec<Location>> {
        actor.require_staff()?;
        actor.require_warehouse(warehouse)?;
        let codes = range::expand(&r.range)?;
        if let Some(start) = r.pick_seq {
            limits::within("pick_seq", start, 0, MAX_PICK_SEQ - codes.len() as i64)?;
        }
        let new = codes
            .into_iter()
            .enumerate()
            .map(|(k, code)| {
                checked(NewLocation {
                    code,
                    zone: r.zone.clone(),
                    kind: r.kind,
                    pick_seq: r.pick_seq.map(|s| s + k as i64),
                    capacity: r.capacity,
                })
                .map_err(|e| e.at_line(k + 1))
            })
            .collect::<CoreResult<Vec<_>>>()?;
        self.storage.create_locations(actor, warehouse, new).await
    }

    /// Locations of a warehouse in code order; page with `f.after` = the last code seen.
    pub async fn list_locations(&self, actor: &Actor, f: LocationFilter) -> CoreResult<Vec<Location>> {
        actor.require_staff()?;
        actor.require_warehouse(&f.warehouse)?;
        let prefix = f.code_prefix.as_deref().map(str::trim).filter(|p| !p.is_empty()).map(str::to_ascii_uppercase);
        if let Some(p) = &prefix {
            if p.len() > MAX_CODE_LEN || !p.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
                return Err(CoreError::invalid("code_prefix", "letters, digits and '-' only, at most 32"));
            }
        }
        let f = LocationFilter {
            zone: f.zone.as_deref().map(normalize_zone).transpose()?,
            code_prefix: prefix,
            after: f.after.map(|a| a.trim().to_ascii_uppercase()).filter(|a| !a.is_empty()),
            limit: if f.limit <= 0 { DEFAULT_LOCATION_PAGE } else { f.limit.min(MAX_LOCATION_PAGE) },
            ..f
        };
        self.storage.list_locations(&f).await
    }

    /// One location by code (any case).
    pub async fn location(&self, actor: &Actor, warehouse: &WarehouseId, code: &str) -> CoreResult<Location> {
        actor.require_staff()?;
        actor.require_warehouse(warehouse)?;
        self.storage.location_by_code(warehouse, &normalize(code)?).await
    }

    /// Disables a location (or enables it again): disabled ones take no new units.
    pub async fn disable_location(
        &self,
        actor: &Actor,
        warehouse: &WarehouseId,
        code: &str,
        disabled: bool,
    ) -> CoreResult<Location> {
        actor.require_staff()?;
        actor.require_warehouse(warehouse)?;
        self.storage.set_location_disabled(actor, warehouse, &normalize(code)?, disabled).await
    }

    /// Units per location in a warehouse; a seller user sees its own client's only.
    pub async fn stock_by_location(&self, actor: &Actor, f: LocationStockFilter) -> CoreResult<Vec<LocationStock>> {
        let mut f = f;
        match actor.client() {
            Some(own) => {
                if f.client.as_ref().is_some_and(|c| c != own) {
                    return Err(CoreError::Forbidden(format!("{} may not act for this client", actor.name)));
                }
                f.client = Some(own.clone());
            }
            None => actor.require_warehouse(&f.warehouse)?,
        }
        self.storage.location_stock(&f).await
    }

    /// Moves units from one bin to another in the same warehouse (no bucket changes); refused
    /// past the destination's capacity, saying the free space.
    pub async fn move_between_bins(&self, actor: &Actor, m: BinMove) -> CoreResult<()> {
        actor.require_staff()?;
        actor.require_warehouse(&m.warehouse)?;
        actor.require_client(&m.client)?;
        limits::quantity("qty", m.qty)?;
        let from = self.storage.location_by_code(&m.warehouse, &normalize(&m.from)?).await?;
        let to = self.storage.location_by_code(&m.warehouse, &normalize(&m.to)?).await?;
        self.storage.move_between_bins(actor, &m, &from, &to).await
    }
}
