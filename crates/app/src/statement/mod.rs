//! A seller's monthly statement: the money ledger of one calendar month (UTC), with totals, a
//! page at a time or whole as a file.

pub mod export;

use entrepot_core::{actor::Actor, balance::MoneyReason, CoreError, CoreResult};

use crate::{
    types::money::{EntryQuery, MoneyEntry, Statement, StatementTotal, MAX_STATEMENT_PAGES, STATEMENT_PAGE},
    App,
};

/// The first millisecond of `YYYY-MM` and of the month after it.
fn month_bounds(month: &str) -> CoreResult<(i64, i64)> {
    let bad = || CoreError::invalid("month", format!("'{month}' is not a month (YYYY-MM)"));
    let date = jiff::civil::Date::strptime("%Y-%m-%d", format!("{month}-01")).map_err(|_| bad())?;
    let next = date.checked_add(jiff::Span::new().months(1)).map_err(|_| bad())?;
    let ms = |d: jiff::civil::Date| -> CoreResult<i64> {
        Ok(d.to_zoned(jiff::tz::TimeZone::UTC).map_err(|_| bad())?.timestamp().as_millisecond())
    };
    Ok((ms(date)?, ms(next)?))
}

impl App {
    /// Page `page` (1-based, newest first) of the statement of `month` (`YYYY-MM`, UTC) for the
    /// client the seller `actor` acts for. The totals come from the month's running sums, so a
    /// busy month costs what a quiet one does.
    pub async fn statement(&self, actor: &Actor, month: &str, page: i64) -> CoreResult<Statement> {
        let client = actor.client().ok_or_else(|| CoreError::Forbidden("a statement is a seller's".into()))?;
        let (from_ms, to_ms) = month_bounds(month)?;
        let mut totals: Vec<StatementTotal> = vec![];
        let mut movements: i64 = 0;
        for m in self.storage.money_month(client, month).await? {
            movements = movements.checked_add(m.entries).ok_or(CoreError::Internal)?;
            let i = match totals.iter().position(|t| t.currency == m.currency) {
                Some(i) => i,
                None => {
                    totals.push(StatementTotal { currency: m.currency.clone(), ..Default::default() });
                    totals.len() - 1
                }
            };
            let t = &mut totals[i];
            let slot = match m.reason {
                MoneyReason::TopUp => &mut t.topped_up,
                MoneyReason::Charge => &mut t.charged,
                MoneyReason::Refund => &mut t.refunded,
                MoneyReason::Hold | MoneyReason::Release => continue,
            };
            *slot = slot.checked_add(m.amount).ok_or(CoreError::Internal)?;
        }
        let pages = ((movements + STATEMENT_PAGE - 1) / STATEMENT_PAGE).clamp(1, MAX_STATEMENT_PAGES);
        let page = page.clamp(1, pages);
        let q = EntryQuery {
            from_ms,
            to_ms,
            newest_first: true,
            offset: (page - 1) * STATEMENT_PAGE,
            limit: STATEMENT_PAGE,
        };
        let entries = self.storage.money_entries(client, &q).await?;
        Ok(Statement { month: month.to_owned(), entries, page, pages, movements, totals })
    }

    /// Every movement of `month`, oldest first, for the statement's export; `true` with them
    /// when the month held more than [`MAX_EXPORT_ENTRIES`] and the rest were left out.
    pub async fn statement_entries(&self, actor: &Actor, month: &str) -> CoreResult<(Vec<MoneyEntry>, bool)> {
        let client = actor.client().ok_or_else(|| CoreError::Forbidden("a statement is a seller's".into()))?;
        let (from_ms, to_ms) = month_bounds(month)?;
        let mut out: Vec<MoneyEntry> = vec![];
        loop {
            let offset = out.len() as i64;
            let limit = EXPORT_CHUNK.min(MAX_EXPORT_ENTRIES + 1 - offset);
            let q = EntryQuery { from_ms, to_ms, newest_first: false, offset, limit };
            let chunk = self.storage.money_entries(client, &q).await?;
            let last = (chunk.len() as i64) < limit;
            out.extend(chunk);
            if last || out.len() as i64 > MAX_EXPORT_ENTRIES {
                break;
            }
        }
        let cut = out.len() as i64 > MAX_EXPORT_ENTRIES;
        out.truncate(MAX_EXPORT_ENTRIES as usize);
        Ok((out, cut))
    }
}

/// Most movements one export holds (a month of a quarter of a million orders).
pub const MAX_EXPORT_ENTRIES: i64 = 500_000;
/// Movements read at a time while exporting.
const EXPORT_CHUNK: i64 = 50_000;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_month_runs_from_its_first_day_to_the_next_months() {
        let (from, to) = month_bounds("2026-02").unwrap_or_default();
        assert_eq!(to - from, 28 * 86_400_000);
        assert!(month_bounds("2026-13").is_err());
        assert!(month_bounds("x").is_err());
    }
}
