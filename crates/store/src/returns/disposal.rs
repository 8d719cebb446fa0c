//! Unidentified returned parcels nobody claimed: disposed of once old enough, they leave the
//! queue (the row stays, with who disposed of it and when).

use entrepot_app::types::{audit::AuditRecord, returns::UnidentifiedReturn};
use entrepot_core::{actor::Actor, ids::UnidentifiedReturnId, CoreError};

use super::{unidentified, UNIDENTIFIED_COLS};
use crate::{
    audit,
    engine::{bulk::Val, clock::now_ms, exec::Tx, rows::oi},
    Store, StoreResult,
};

impl Store {
    /// Disposes of the unmatched parcel `id` if it arrived at or before `arrived_by_ms`, in one of
    /// the actor's warehouses (others' are not found). Disposing of it again changes nothing.
    pub async fn dispose_unidentified_return(
        &self,
        actor: &Actor,
        id: &UnidentifiedReturnId,
        arrived_by_ms: i64,
    ) -> StoreResult<UnidentifiedReturn> {
        let mut tx = self.begin().await?;
        let sql = format!("SELECT {UNIDENTIFIED_COLS}, disposed_at FROM unidentified_returns WHERE id = $1");
        let row = Tx::from(&mut tx).fetch_optional(&sql, [Val::from(id.0.as_str())]).await?;
        let not_found = || CoreError::not_found("unidentified return", &id.0);
        let row = row.ok_or_else(not_found)?;
        let u = unidentified(&row)?;
        if !actor.sees_warehouse(&u.warehouse_id) {
            return Err(not_found().into());
        }
        if oi(&row, "disposed_at")?.is_some() {
            return Ok(u);
        }
        if u.matched_order_id.is_some() {
            return Err(CoreError::Conflict(format!("unidentified return {id} was matched to a return already")).into());
        }
        if u.created_at_ms > arrived_by_ms {
            return Err(CoreError::Conflict(format!(
                "unidentified return {id} is kept a while in case its owner turns up; it cannot be disposed of yet"
            ))
            .into());
        }
        Tx::from(&mut tx)
            .execute(
                "UPDATE unidentified_returns SET disposed_at = $1, disposed_by = $2 \
                 WHERE id = $3 AND matched_order_id IS NULL AND disposed_at IS NULL",
                [Val::I(now_ms()), Val::from(actor.name.as_str()), Val::from(id.0.as_str())],
            )
            .await?;
        let rec = AuditRecord {
            action: "return.disposed",
            subject_kind: "unidentified_return",
            subject_id: &id.0,
            warehouse: Some(&u.warehouse_id),
            client: None,
            detail: Some(&u.scanned),
        };
        audit::record(&mut Tx::from(&mut tx), actor, rec).await?;
        tx.commit().await?;
        Ok(u)
    }
}
