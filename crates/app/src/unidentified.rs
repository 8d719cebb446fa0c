//! The unidentified queue of staff's warehouses: dock freight and returned parcels that matched
//! nothing, read together oldest first, and the one resolution only returns lacked — disposing
//! of a parcel nobody claimed within [`DISPOSE_AFTER_DAYS`]. Matching reuses
//! [`App::resolve_unidentified`] and [`App::match_unidentified_return`].

use entrepot_core::{actor::Actor, ids::*, CoreResult};

use crate::{
    people::now_ms,
    types::{returns::UnidentifiedReturn, unidentified::UnidentifiedItem},
    App,
};

/// Days an unidentified returned parcel is kept for its owner to turn up before staff may
/// dispose of it.
pub const DISPOSE_AFTER_DAYS: i64 = 30;

impl App {
    /// Open unidentified freight and unmatched returned parcels of `warehouse`, oldest first (each
    /// kind read bounded).
    pub async fn unidentified_queue(
        &self,
        actor: &Actor,
        warehouse: &WarehouseId,
    ) -> CoreResult<Vec<UnidentifiedItem>> {
        let freight = self.unidentified(actor, Some(warehouse), true).await?;
        let returns = self.unidentified_returns(actor, Some(warehouse)).await?;
        let mut items: Vec<UnidentifiedItem> = freight
            .into_iter()
            .map(UnidentifiedItem::Freight)
            .chain(returns.into_iter().map(UnidentifiedItem::Return))
            .collect();
        items.sort_by_key(UnidentifiedItem::arrived_at_ms);
        Ok(items)
    }

    /// Disposes of an unidentified returned parcel that arrived [`DISPOSE_AFTER_DAYS`] or more
    /// ago; refused sooner. Again: nothing changes.
    pub async fn dispose_unidentified_return(
        &self,
        actor: &Actor,
        id: &UnidentifiedReturnId,
    ) -> CoreResult<UnidentifiedReturn> {
        actor.require_staff()?;
        let by = now_ms().saturating_sub(DISPOSE_AFTER_DAYS.saturating_mul(86_400_000));
        self.storage.dispose_unidentified_return(actor, id, by).await
    }
}
