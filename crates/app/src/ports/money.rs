//! Clients' money: the balances fees are held from and charged to.

use async_trait::async_trait;
use entrepot_core::{balance::Account, ids::*, money::Currency, CoreResult};

#[async_trait]
pub trait MoneyPort: Send + Sync {
    /// Every currency the client holds money in, by currency code.
    async fn balances(&self, tenant: &ClientId) -> CoreResult<Vec<(String, Account)>>;
    /// The client's money movements in `[from_ms, to_ms)`, oldest first, at most `limit`.
    async fn money_entries(
        &self,
        tenant: &ClientId,
        from_ms: i64,
        to_ms: i64,
        limit: i64,
    ) -> CoreResult<Vec<crate::types::money::MoneyEntry>>;
    /// Credits a client's balance, in its own currency unless another is given; the account
    /// after the credit.
    async fn top_up(
        &self,
        tenant: &ClientId,
        currency: Option<&Currency>,
        amount_minor: i64,
        note: &str,
    ) -> CoreResult<Account>;
}
