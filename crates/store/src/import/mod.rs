//! Imports' remembered column mappings (orders and SKUs alike: header → field key): one row per (client, header row), replaced when
//! the client gives another mapping for the same headers.

use entrepot_app::types::import::StoredMapping;
use entrepot_core::ids::ClientId;

use crate::{
    engine::{bulk::Val, clock::now_ms, rows::json},
    Store, StoreError, StoreResult,
};

impl Store {
    /// The mapping `client` last gave for the header row `header_key`.
    pub async fn import_mapping(&self, client: &ClientId, header_key: &str) -> StoreResult<Option<StoredMapping>> {
        let row = sqlx::query("SELECT mapping FROM import_mappings WHERE client_id = $1 AND header_key = $2")
            .bind(&client.0)
            .bind(header_key)
            .fetch_optional(&self.read)
            .await?;
        row.map(|r| json(&r, "mapping")).transpose()
    }

    /// Remembers `mapping` for `client`'s header row `header_key`.
    pub async fn save_import_mapping(
        &self,
        client: &ClientId,
        header_key: &str,
        mapping: &StoredMapping,
    ) -> StoreResult<()> {
        let text = serde_json::to_string(mapping).map_err(|e| StoreError::Corrupt(format!("mapping: {e}")))?;
        let sql = "INSERT INTO import_mappings (client_id, header_key, mapping, updated_at) VALUES ($1, $2, $3, $4) \
                   ON CONFLICT (client_id, header_key) DO UPDATE SET mapping = excluded.mapping, \
                   updated_at = excluded.updated_at";
        let vals =
            vec![Val::from(client.0.as_str()), Val::from(header_key), Val::from(text.as_str()), Val::I(now_ms())];
        self.write_statement(sql, vals).await?;
        Ok(())
    }
}
