//! Warehouses as pages need them: the one a staff screen works in (the one the URL names, else
//! the person's first; staff see only their own, operators every one), and those a list of rows
//! names, read once per page.

use std::collections::{hash_map::Entry, HashMap};

use entrepot_core::{company::Warehouse, ids::WarehouseId};

use crate::{
    failure::{Failure, OrPage},
    state::ConsoleState,
    viewer::Viewer,
};

/// Refuses anyone but warehouse staff (and operators).
pub fn staff_only(v: &Viewer) -> Result<(), Failure> {
    if v.is_staff() {
        Ok(())
    } else {
        Err(Failure::forbidden(v.tr))
    }
}

/// The warehouse switch of a floor screen (`warehouse_picker.html`): shown to those who work in
/// more than one.
pub struct Picker {
    /// The page the choice reloads.
    pub action: &'static str,
    /// (code, name) of each warehouse.
    pub warehouses: Vec<(String, String)>,
    pub code: String,
}

impl Picker {
    pub fn new(action: &'static str, mine: &[Warehouse], chosen: &Warehouse) -> Self {
        Picker {
            action,
            warehouses: mine.iter().map(|w| (w.code.clone(), w.name.clone())).collect(),
            code: chosen.code.clone(),
        }
    }
}

/// The query of a floor screen: the warehouse it works in (`?warehouse=UK1`), else the person's
/// first.
#[derive(serde::Deserialize, Default)]
pub struct WarehouseQuery {
    pub warehouse: Option<String>,
}

/// The viewer's warehouses and the chosen one; sellers are refused.
pub async fn warehouse(
    st: &ConsoleState,
    v: &Viewer,
    code: Option<&str>,
) -> Result<(Vec<Warehouse>, Warehouse), Failure> {
    staff_only(v)?;
    let mine: Vec<Warehouse> =
        st.app.warehouses().await.or_page(v.tr)?.into_iter().filter(|w| v.actor.sees_warehouse(&w.id)).collect();
    let chosen = match code.map(str::trim).filter(|c| !c.is_empty()) {
        Some(code) => {
            mine.iter().find(|w| w.code.eq_ignore_ascii_case(code)).cloned().ok_or_else(|| Failure::not_found(v.tr))?
        }
        None => mine.first().cloned().ok_or_else(|| Failure::forbidden(v.tr))?,
    };
    Ok((mine, chosen))
}

/// The warehouses `ids` name, each read once (from the app's cache); an unknown one is left out.
pub async fn by_id(st: &ConsoleState, ids: impl Iterator<Item = WarehouseId>) -> HashMap<WarehouseId, Warehouse> {
    let mut out = HashMap::new();
    for id in ids {
        if let Entry::Vacant(e) = out.entry(id) {
            if let Ok(w) = st.app.cached_warehouse(e.key()).await {
                e.insert(w);
            }
        }
    }
    out
}
