//! Funding clients' balances and reading them.

use entrepot_core::{balance::Account, ids::*, money::Currency, CoreResult};

use crate::App;

impl App {
    /// Credits a client's balance, in its own currency unless another is given; the account
    /// after the credit. The amount's bounds are the core's (`MoneyTransfer::top_up`).
    pub async fn top_up(
        &self,
        tenant: &ClientId,
        currency: Option<&Currency>,
        amount_minor: i64,
        note: &str,
    ) -> CoreResult<Account> {
        self.storage.top_up(tenant, currency, amount_minor, note).await
    }

    /// Every currency the client holds money in, by currency code.
    pub async fn balances(&self, tenant: &ClientId) -> CoreResult<Vec<(String, Account)>> {
        self.storage.balances(tenant).await
    }
}
