//! The audit trail on disk: one row per action, written inside the action's own transaction
//! ([`record`]) so that the trail and the change can never disagree; read back per subject for a
//! seller's timeline or an operator's investigation.

use entrepot_app::types::audit::{AuditEntry, AuditRecord};
use entrepot_core::{
    actor::Actor,
    ids::{AuditId, ClientId},
};

use crate::{
    engine::{
        bulk::Val,
        exec::Tx,
        rows::{i, os, s},
    },
    Store, StoreResult,
};

/// Records that `actor` did `rec.action` to `rec.subject_*`, in `tx`.
#[allow(dead_code)] // the floor actions record through it as they land
pub(crate) async fn record(tx: &mut Tx<'_>, actor: &Actor, rec: AuditRecord<'_>) -> StoreResult<()> {
    // Ordered within a millisecond: a trail reads in the order its steps happened.
    let (at, bits) = crate::engine::clock::monotonic();
    let vals = [
        Val::S(AuditId::generate(at as u64, bits).0),
        Val::I(at),
        Val::OS(actor.user.as_ref().map(|u| u.0.clone())),
        Val::S(actor.name.clone()),
        Val::from(actor.role.name()),
        Val::OS(actor.device.clone()),
        Val::OS(rec.warehouse.map(|w| w.0.clone())),
        Val::OS(rec.client.map(|c| c.0.clone())),
        Val::from(rec.action),
        Val::from(rec.subject_kind),
        Val::from(rec.subject_id),
        Val::OS(rec.detail.map(str::to_owned)),
    ];
    tx.execute(
        "INSERT INTO audit_log (id, at, user_id, actor_name, role, device, warehouse_id, client_id, action, \
         subject_kind, subject_id, detail) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
        vals,
    )
    .await?;
    Ok(())
}

impl Store {
    /// The trail of one subject (an inbound, an order, a location...), oldest first, at most
    /// `limit` entries; `client` narrows it to what that client may see.
    pub async fn audit_trail(
        &self,
        subject_kind: &str,
        subject_id: &str,
        client: Option<&ClientId>,
        limit: i64,
    ) -> StoreResult<Vec<AuditEntry>> {
        let rows = sqlx::query(
            "SELECT at, user_id, actor_name, role, device, warehouse_id, client_id, action, detail FROM audit_log \
             WHERE subject_kind = $1 AND subject_id = $2 AND ($3 IS NULL OR client_id = $3) ORDER BY at, id LIMIT $4",
        )
        .bind(subject_kind)
        .bind(subject_id)
        .bind(client.map(|c| c.0.clone()))
        .bind(limit)
        .fetch_all(&self.read)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(AuditEntry {
                    at_ms: i(r, "at")?,
                    user_id: os(r, "user_id")?,
                    actor_name: s(r, "actor_name")?,
                    role: s(r, "role")?,
                    device: os(r, "device")?,
                    warehouse_id: os(r, "warehouse_id")?,
                    client_id: os(r, "client_id")?,
                    action: s(r, "action")?,
                    detail: os(r, "detail")?,
                })
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use entrepot_core::{
        actor::{Actor, Role},
        ids::{ClientId, UserId, WarehouseId},
    };
    use entrepot_testkit::{each_backend, Backend, TestDb};

    use super::*;

    #[each_backend]
    async fn a_recorded_action_reads_back_for_its_client_only(b: Backend) {
        let db = TestDb::new(b).await;
        let store = Store::open(&db.url).await.unwrap();
        let actor = Actor {
            user: Some(UserId::from("usr_1")),
            name: "alice".into(),
            role: Role::Staff { warehouses: vec![WarehouseId::from("wh_1")], supervisor: false },
            device: Some("TC52-7".into()),
        };
        let client = ClientId::from("cli_a");
        let wh = WarehouseId::from("wh_1");
        let mut tx = store.begin().await.unwrap();
        let rec = AuditRecord {
            action: "inbound.received",
            subject_kind: "inbound",
            subject_id: "ib_1",
            warehouse: Some(&wh),
            client: Some(&client),
            detail: Some("3 × SKU-1"),
        };
        record(&mut Tx::from(&mut tx), &actor, rec).await.unwrap();
        tx.commit().await.unwrap();
        let all = store.audit_trail("inbound", "ib_1", None, 10).await.unwrap();
        assert_eq!(all.len(), 1);
        assert_eq!((all[0].actor_name.as_str(), all[0].role.as_str()), ("alice", "staff"));
        assert_eq!(all[0].device.as_deref(), Some("TC52-7"));
        assert_eq!(all[0].detail.as_deref(), Some("3 × SKU-1"));
        assert_eq!(store.audit_trail("inbound", "ib_1", Some(&client), 10).await.unwrap().len(), 1);
        assert!(store.audit_trail("inbound", "ib_1", Some(&ClientId::from("cli_b")), 10).await.unwrap().is_empty());
    }
}
