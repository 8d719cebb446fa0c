//! The money ledger on disk: a client's balance moves only by transfers, with the same
//! conditional-update trick as stock so a balance can never be overdrawn by concurrent orders.
//! A batch's holds are added up per currency and taken in one such update ([`apply_batch`]).

use std::collections::BTreeMap;

use entrepot_core::{
    balance::{Account, MoneyBucket, MoneyReason, MoneyTransfer},
    ids::{ClientId, TransferId},
    money::Currency,
    CoreError,
};
use sqlx::{Any, Transaction};

use crate::{
    engine::{
        bulk::{self, Val},
        clock::{new_id, now_ms},
        exec::Tx,
        rows::{i, s},
    },
    Store, StoreResult,
};

impl Store {
    /// See [`entrepot_app::ports::MoneyPort::money_entries`].
    pub async fn money_entries(
        &self,
        tenant: &ClientId,
        q: &entrepot_app::types::money::EntryQuery,
    ) -> StoreResult<Vec<entrepot_app::types::money::MoneyEntry>> {
        let order = if q.newest_first { "created_at DESC, id DESC" } else { "created_at, id" };
        let rows = sqlx::query(&format!(
            "SELECT currency, from_bucket, to_bucket, amount, reason, doc_kind, doc_id, created_at FROM money_transfers \
             WHERE client_id = $1 AND created_at >= $2 AND created_at < $3 ORDER BY {order} LIMIT {} OFFSET {}",
            q.limit.clamp(1, 1_000_000),
            q.offset.max(0)
        ))
        .bind(&tenant.0)
        .bind(q.from_ms)
        .bind(q.to_ms)
        .fetch_all(&self.read)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(entrepot_app::types::money::MoneyEntry {
                    at_ms: i(r, "created_at")?,
                    currency: s(r, "currency")?,
                    from: s(r, "from_bucket")?.parse()?,
                    to: s(r, "to_bucket")?.parse()?,
                    amount: i(r, "amount")?,
                    reason: MoneyReason::parse(&s(r, "reason")?)?,
                    doc_kind: s(r, "doc_kind")?,
                    doc_id: s(r, "doc_id")?,
                })
            })
            .collect()
    }

    /// See [`entrepot_app::ports::MoneyPort::money_month`].
    pub async fn money_month(
        &self,
        tenant: &ClientId,
        month: &str,
    ) -> StoreResult<Vec<entrepot_app::types::money::MonthTotal>> {
        let rows = sqlx::query(
            "SELECT currency, reason, amount, entries FROM money_months WHERE client_id = $1 AND month = $2 \
             ORDER BY currency, reason",
        )
        .bind(&tenant.0)
        .bind(month)
        .fetch_all(&self.read)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(entrepot_app::types::money::MonthTotal {
                    currency: s(r, "currency")?,
                    reason: MoneyReason::parse(&s(r, "reason")?)?,
                    amount: i(r, "amount")?,
                    entries: i(r, "entries")?,
                })
            })
            .collect()
    }
}

/// The calendar month (UTC, `YYYY-MM`) a ledger row written at `ms` counts in.
fn month_of(ms: i64) -> String {
    jiff::Timestamp::from_millisecond(ms).map(|t| t.strftime("%Y-%m").to_string()).unwrap_or_default()
}

/// Adds `amount` over `entries` ledger rows to the client's month, in the ledger rows' transaction.
async fn add_to_month(
    tx: &mut Tx<'_>,
    client: &ClientId,
    at_ms: i64,
    (currency, reason): (&str, &str),
    amount: i64,
    entries: i64,
) -> StoreResult<()> {
    let sql = "INSERT INTO money_months (client_id, month, currency, reason, amount, entries) \
               VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (client_id, month, currency, reason) DO UPDATE \
               SET amount = money_months.amount + excluded.amount, entries = money_months.entries + excluded.entries";
    let vals = [
        Val::from(client.0.as_str()),
        Val::S(month_of(at_ms)),
        Val::from(currency),
        Val::from(reason),
        Val::I(amount),
        Val::I(entries),
    ];
    tx.execute(sql, vals).await?;
    Ok(())
}

/// Applies one money transfer inside `tx`.
pub(crate) async fn apply(
    tx: &mut Transaction<'static, Any>,
    client: &ClientId,
    currency: &str,
    t: &MoneyTransfer,
    doc_kind: &str,
    doc_id: &str,
) -> StoreResult<()> {
    let now = now_ms();
    if t.from == MoneyBucket::Outside {
        let to = t.to.as_str();
        sqlx::query(&format!(
            "INSERT INTO balances (client_id, currency, {to}, updated_at) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (client_id, currency) DO UPDATE SET {to} = balances.{to} + excluded.{to}, updated_at = excluded.updated_at"
        ))
        .bind(&client.0)
        .bind(currency)
        .bind(t.amount)
        .bind(now)
        .execute(&mut **tx)
        .await?;
    } else {
        let from = t.from.as_str();
        let set_to =
            if t.to == MoneyBucket::Outside { String::new() } else { format!(", {0} = {0} + $1", t.to.as_str()) };
        let r = sqlx::query(&format!(
            "UPDATE balances SET {from} = {from} - $1{set_to}, updated_at = $2 WHERE client_id = $3 AND currency = $4 AND {from} >= $1"
        ))
        .bind(t.amount)
        .bind(now)
        .bind(&client.0)
        .bind(currency)
        .execute(&mut **tx)
        .await?;
        if r.rows_affected() == 0 {
            let have = column_amount(&mut Tx::from(&mut *tx), client, currency, from).await?;
            return Err(CoreError::InsufficientBalance {
                currency: currency.to_owned(),
                required: t.amount,
                available: have,
            }
            .into());
        }
    }
    sqlx::query(
        "INSERT INTO money_transfers (id, client_id, currency, from_bucket, to_bucket, amount, reason, doc_kind, doc_id, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(new_id!(TransferId).0)
    .bind(&client.0)
    .bind(currency)
    .bind(t.from.as_str())
    .bind(t.to.as_str())
    .bind(t.amount)
    .bind(t.reason.as_str())
    .bind(doc_kind)
    .bind(doc_id)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    add_to_month(&mut Tx::from(&mut *tx), client, now, (currency, t.reason.as_str()), t.amount, 1).await
}

/// One money transfer of a batch between held buckets, in batch order.
pub(crate) struct BatchMoney<'a> {
    pub currency: &'a str,
    pub transfer: MoneyTransfer,
    pub doc_id: &'a str,
}

/// The first transfer of a batch the balance cannot cover, and what the balance held for it once
/// the batch's earlier transfers were taken.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Overdraw {
    pub index: usize,
    pub available: i64,
}

/// Applies one client's batch of transfers between held buckets inside `tx`: one conditional
/// `UPDATE` per (currency, from, to) of the total, then one ledger row per transfer. A total that
/// does not fit is refused as the first transfer that overdraws it; the caller must roll back.
pub(crate) async fn apply_batch(
    tx: &mut Tx<'_>,
    client: &ClientId,
    moves: &[BatchMoney<'_>],
    doc_kind: &str,
) -> StoreResult<Result<(), Overdraw>> {
    let now = now_ms();
    let mut totals: BTreeMap<(&str, &'static str, &'static str), i64> = BTreeMap::new();
    for m in moves {
        let t = &m.transfer;
        if t.from == MoneyBucket::Outside || t.to == MoneyBucket::Outside {
            return Err(crate::StoreError::Corrupt("a money batch moves between held buckets only".into()));
        }
        let total = totals.entry((m.currency, t.from.as_str(), t.to.as_str())).or_default();
        *total = total.checked_add(t.amount).ok_or_else(|| entrepot_core::limits::too_large("fee"))?;
    }
    let mut first: Option<Overdraw> = None;
    for ((currency, from, to), total) in totals {
        let sql = format!(
            "UPDATE balances SET {from} = {from} - $1, {to} = {to} + $1, updated_at = $2 \
             WHERE client_id = $3 AND currency = $4 AND {from} >= $1"
        );
        let vals = [Val::I(total), Val::I(now), Val::from(client.0.as_str()), Val::from(currency)];
        if tx.execute(&sql, vals).await? > 0 {
            continue;
        }
        let have = column_amount(tx, client, currency, from).await?;
        let mut taken: i64 = 0;
        for (index, m) in moves.iter().enumerate() {
            let t = &m.transfer;
            if (m.currency, t.from.as_str(), t.to.as_str()) != (currency, from, to) {
                continue;
            }
            if taken.checked_add(t.amount).is_none_or(|sum| sum > have) {
                if first.is_none_or(|f| index < f.index) {
                    first = Some(Overdraw { index, available: have - taken });
                }
                break;
            }
            taken += t.amount;
        }
        first.get_or_insert(Overdraw { index: 0, available: have });
    }
    if let Some(o) = first {
        return Ok(Err(o));
    }
    let rows = moves
        .iter()
        .map(|m| {
            let t = &m.transfer;
            vec![
                Val::S(new_id!(TransferId).0),
                Val::from(client.0.as_str()),
                Val::from(m.currency),
                Val::from(t.from.as_str()),
                Val::from(t.to.as_str()),
                Val::I(t.amount),
                Val::from(t.reason.as_str()),
                Val::from(doc_kind),
                Val::from(m.doc_id),
                Val::I(now),
            ]
        })
        .collect();
    let cols = [
        "id",
        "client_id",
        "currency",
        "from_bucket",
        "to_bucket",
        "amount",
        "reason",
        "doc_kind",
        "doc_id",
        "created_at",
    ];
    bulk::insert(tx, "money_transfers", &cols, rows, "").await?;
    let mut months: BTreeMap<(&str, &'static str), (i64, i64)> = BTreeMap::new();
    for m in moves {
        let (amount, entries) = months.entry((m.currency, m.transfer.reason.as_str())).or_default();
        *amount = amount.checked_add(m.transfer.amount).ok_or_else(|| entrepot_core::limits::too_large("fee"))?;
        *entries += 1;
    }
    for (key, (amount, entries)) in months {
        add_to_month(tx, client, now, key, amount, entries).await?;
    }
    Ok(Ok(()))
}

impl Store {
    /// Credits a client's balance, in its own currency unless another is given (fees are charged
    /// in the currency of the warehouse's rate card, so a client may hold GBP and EUR).
    pub async fn top_up(
        &self,
        tenant: &ClientId,
        currency: Option<&Currency>,
        amount_minor: i64,
        note: &str,
    ) -> StoreResult<Account> {
        let client = self.client(tenant).await?;
        let currency = currency.unwrap_or(&client.currency).as_str().to_owned();
        let t = MoneyTransfer::top_up(amount_minor)?;
        let mut tx = self.begin().await?;
        apply(&mut tx, tenant, &currency, &t, "top_up", note).await?;
        crate::webhook::outbox::record(
            &mut Tx::from(&mut tx),
            Some(tenant),
            "balance.topped_up",
            &tenant.0,
            &serde_json::json!({"amount": amount_minor, "currency": currency}),
        )
        .await?;
        tx.commit().await?;
        let balances = self.balances(tenant).await?;
        Ok(balances.into_iter().find(|(c, _)| *c == currency).map(|(_, a)| a).unwrap_or_default())
    }

    /// Every currency the client holds money in.
    pub async fn balances(&self, tenant: &ClientId) -> StoreResult<Vec<(String, Account)>> {
        let rows = sqlx::query(
            "SELECT currency, available, held, charged FROM balances WHERE client_id = $1 ORDER BY currency",
        )
        .bind(&tenant.0)
        .fetch_all(&self.read)
        .await?;
        rows.iter()
            .map(|r| {
                let a = Account::from_array([i(r, "available")?, i(r, "held")?, i(r, "charged")?]);
                Ok((crate::engine::rows::s(r, "currency")?, a))
            })
            .collect()
    }

    /// The client's balances and currency.
    pub async fn balance(&self, tenant: &ClientId) -> StoreResult<(Account, String)> {
        let client = self.client(tenant).await?;
        let row = sqlx::query("SELECT available, held, charged FROM balances WHERE client_id = $1 AND currency = $2")
            .bind(&tenant.0)
            .bind(client.currency.as_str())
            .fetch_optional(&self.read)
            .await?;
        let account = match row {
            Some(r) => Account::from_array([i(&r, "available")?, i(&r, "held")?, i(&r, "charged")?]),
            None => Account::default(),
        };
        Ok((account, client.currency.as_str().to_owned()))
    }
}

/// What the `from` column of a client's balance holds (0 without a balance row), to say how much
/// was there when a conditional update refused.
async fn column_amount(tx: &mut Tx<'_>, client: &ClientId, currency: &str, from: &str) -> StoreResult<i64> {
    let sql = format!("SELECT {from} AS a FROM balances WHERE client_id = $1 AND currency = $2");
    let row = tx.fetch_optional(&sql, [Val::from(client.0.as_str()), Val::from(currency)]).await?;
    Ok(row.map(|r| i(&r, "a")).transpose()?.unwrap_or(0))
}
