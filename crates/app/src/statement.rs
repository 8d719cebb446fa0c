//! A seller's monthly statement: the money ledger of one calendar month (UTC), with totals.

use entrepot_core::{actor::Actor, balance::MoneyReason, CoreError, CoreResult};

use crate::{
    types::money::{Statement, StatementTotal, MAX_STATEMENT_ENTRIES},
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
    /// The statement of `month` (`YYYY-MM`, UTC) for the client the seller `actor` acts for.
    pub async fn statement(&self, actor: &Actor, month: &str) -> CoreResult<Statement> {
        let client = actor.client().ok_or_else(|| CoreError::Forbidden("a statement is a seller's".into()))?;
        let (from, to) = month_bounds(month)?;
        let mut entries = self.storage.money_entries(client, from, to, MAX_STATEMENT_ENTRIES + 1).await?;
        let truncated = entries.len() as i64 > MAX_STATEMENT_ENTRIES;
        entries.truncate(MAX_STATEMENT_ENTRIES as usize);
        let mut totals: Vec<StatementTotal> = vec![];
        for e in &entries {
            let i = match totals.iter().position(|t| t.currency == e.currency) {
                Some(i) => i,
                None => {
                    totals.push(StatementTotal { currency: e.currency.clone(), ..Default::default() });
                    totals.len() - 1
                }
            };
            let t = &mut totals[i];
            let slot = match e.reason {
                MoneyReason::TopUp => &mut t.topped_up,
                MoneyReason::Charge => &mut t.charged,
                MoneyReason::Refund => &mut t.refunded,
                MoneyReason::Hold | MoneyReason::Release => continue,
            };
            *slot = slot.checked_add(e.amount).ok_or(CoreError::Internal)?;
        }
        Ok(Statement { month: month.to_owned(), entries, truncated, totals })
    }
}

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
