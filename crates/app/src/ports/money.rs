//! Clients' money: the balances fees are held from and charged to.

use async_trait::async_trait;
use entrepot_core::{balance::Account, ids::*, money::Currency, CoreResult};

#[async_trait]
pub trait MoneyPort: Send + Sync {
    /// Every currency the client holds money in, by currency code.
    async fn balances(&self, tenant: &ClientId) -> CoreResult<Vec<(String, Account)>>;
    /// The client's money movements `q` asks for.
    async fn money_entries(
        &self,
        tenant: &ClientId,
        q: &crate::types::money::EntryQuery,
    ) -> CoreResult<Vec<crate::types::money::MoneyEntry>>;
    /// What each reason moved in each currency over `month` (`YYYY-MM`, UTC).
    async fn money_month(&self, tenant: &ClientId, month: &str) -> CoreResult<Vec<crate::types::money::MonthTotal>>;
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
