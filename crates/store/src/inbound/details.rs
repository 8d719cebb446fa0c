//! Changing what a dialect keeps in an inbound order's `details` (OC's tracking list, uploaded
//! customs files) without touching its status or ledgers.
//!
//! The change is a compare-and-set on the stored text, retried a few times, so two uploads to
//! the same inbound at once both land instead of one silently overwriting the other, on either
//! backend and without row-lock syntax SQLite lacks.

use entrepot_core::{ids::ClientId, CoreError, CoreResult};
use serde_json::Value;

use crate::{
    engine::{clock::now_ms, lookup::first_by_any_key, rows::s},
    Store, StoreError, StoreResult,
};

/// Attempts before a contended change gives up.
const ATTEMPTS: usize = 5;

impl Store {
    /// Applies `f` to the details of the tenant's inbound `key` (id, number or reference) and
    /// stores the result; returns the new details. `f` may refuse, and then nothing changes. It may
    /// run more than once when another change lands in between, so it must only edit the value.
    pub async fn update_inbound_details(
        &self,
        tenant: &ClientId,
        key: &str,
        f: impl Fn(&mut Value) -> CoreResult<()>,
    ) -> StoreResult<Value> {
        for _ in 0..ATTEMPTS {
            let q = first_by_any_key(
                "SELECT id, number, details FROM inbound_orders",
                "client_id = $1 AND ",
                &["id = $2", "number = $2", "reference = $2"],
            );
            let row = sqlx::query(&q)
                .bind(&tenant.0)
                .bind(key.trim())
                .fetch_optional(&self.write)
                .await?
                .ok_or_else(|| CoreError::not_found("inbound order", key))?;
            let old = s(&row, "details")?;
            let mut details: Value = serde_json::from_str(&old).unwrap_or(Value::Null);
            if !details.is_object() {
                details = Value::Object(Default::default());
            }
            f(&mut details)?;
            let r = sqlx::query(
                "UPDATE inbound_orders SET details = $1, updated_at = $2 WHERE id = $3 AND client_id = $4 AND details = $5",
            )
            .bind(details.to_string())
            .bind(now_ms())
            .bind(s(&row, "id")?)
            .bind(&tenant.0)
            .bind(&old)
            .execute(&self.write)
            .await?;
            if r.rows_affected() == 1 {
                return Ok(details);
            }
        }
        Err(StoreError::Core(CoreError::Conflict(format!(
            "inbound {key} is being changed by another request; try again"
        ))))
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use entrepot_core::inbound::ShippingMode;
    use entrepot_testkit::{each_backend, Backend};
    use serde_json::json;

    use crate::{outbound::direct::tests::fixture, NewInbound};

    #[each_backend]
    async fn details_change_for_the_tenant_only_and_refusals_change_nothing(b: Backend) {
        let fx = fixture(b).await;
        let n = NewInbound {
            warehouse_id: fx.warehouse.clone(),
            reference: "R-1".into(),
            mode: ShippingMode::Express,
            lines: vec![(fx.sku, 5)],
            need_clearance_doc: false,
            details: json!({"eta": 1}),
        };
        let v = fx.store.create_inbound(&fx.client, n).await.unwrap();
        let add = |d: &mut serde_json::Value| {
            d["files"] = json!(["a.pdf"]);
            Ok(())
        };
        let out = fx.store.update_inbound_details(&fx.client, &v.inbound.number, add).await.unwrap();
        assert_eq!(out, json!({"eta": 1, "files": ["a.pdf"]}), "{b:?}");
        let refuse = |_: &mut serde_json::Value| Err(entrepot_core::CoreError::Conflict("no".into()));
        assert!(fx.store.update_inbound_details(&fx.client, "R-1", refuse).await.is_err());
        let err = fx.store.update_inbound_details(&fx.other, &v.inbound.number, add).await.unwrap_err();
        assert!(err.to_string().contains("not found"), "{b:?}: {err}");
        let stored = fx.store.find_inbound(&fx.client, "R-1").await.unwrap();
        assert_eq!(stored.details, json!({"eta": 1, "files": ["a.pdf"]}), "{b:?}");
    }
}
