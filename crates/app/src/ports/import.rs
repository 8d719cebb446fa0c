//! Imports (orders, SKUs): the column mapping a client gave for a header row, remembered.

use async_trait::async_trait;
use entrepot_core::{ids::ClientId, CoreResult};

use crate::types::import::StoredMapping;

#[async_trait]
pub trait ImportPort: Send + Sync {
    /// The mapping `client` last gave for the header row hashed as `header_key`.
    async fn import_mapping(&self, client: &ClientId, header_key: &str) -> CoreResult<Option<StoredMapping>>;
    /// Remembers `mapping` for `client`'s header row `header_key` (replacing an earlier one).
    async fn save_import_mapping(&self, client: &ClientId, header_key: &str, mapping: &StoredMapping)
        -> CoreResult<()>;
}
