//! A client's money, kept as the same kind of double-entry ledger as its stock: top-ups come from
//! outside, fees are held when an order is submitted, charged when it ships (to the operator's
//! revenue) and released if it is cancelled. Nothing is created or lost: the sum of all buckets,
//! outside included, is zero.

use std::{fmt, str::FromStr};

use serde::{Deserialize, Serialize};

use crate::{CoreError, CoreResult};

/// Where a client's money is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum MoneyBucket {
    /// The client's bank, card, or refunds paid out.
    Outside,
    /// Spendable.
    Available,
    /// Reserved for fees of submitted orders.
    Held,
    /// Earned by the operator.
    Charged,
}

impl MoneyBucket {
    pub const HELD: [Self; 3] = [Self::Available, Self::Held, Self::Charged];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Outside => "outside",
            Self::Available => "available",
            Self::Held => "held",
            Self::Charged => "charged",
        }
    }

    fn index(self) -> Option<usize> {
        Self::HELD.iter().position(|b| *b == self)
    }
}

impl fmt::Display for MoneyBucket {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for MoneyBucket {
    type Err = CoreError;
    fn from_str(s: &str) -> CoreResult<Self> {
        [Self::Outside, Self::Available, Self::Held, Self::Charged]
            .into_iter()
            .find(|b| b.as_str() == s)
            .ok_or_else(|| CoreError::invalid("bucket", format!("unknown money bucket '{s}'")))
    }
}

/// Why money moved.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum MoneyReason {
    TopUp,
    Hold,
    Release,
    Charge,
    Refund,
}

impl MoneyReason {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::TopUp => "TOP_UP",
            Self::Hold => "HOLD",
            Self::Release => "RELEASE",
            Self::Charge => "CHARGE",
            Self::Refund => "REFUND",
        }
    }

    pub fn parse(s: &str) -> CoreResult<Self> {
        [Self::TopUp, Self::Hold, Self::Release, Self::Charge, Self::Refund]
            .into_iter()
            .find(|r| r.as_str() == s)
            .ok_or_else(|| CoreError::invalid("reason", format!("unknown money reason '{s}'")))
    }
}

/// One money movement in minor units.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MoneyTransfer {
    pub from: MoneyBucket,
    pub to: MoneyBucket,
    pub amount: i64,
    pub reason: MoneyReason,
}

impl MoneyTransfer {
    pub fn new(from: MoneyBucket, to: MoneyBucket, amount: i64, reason: MoneyReason) -> CoreResult<Self> {
        if amount <= 0 {
            return Err(CoreError::invalid("amount", format!("must be positive, got {amount}")));
        }
        if from == to {
            return Err(CoreError::invalid("bucket", "a transfer needs two different buckets"));
        }
        Ok(Self { from, to, amount, reason })
    }

    /// Money from outside, at most [`crate::limits::MAX_AMOUNT_MINOR`] at a time.
    pub fn top_up(amount: i64) -> CoreResult<Self> {
        crate::limits::amount_minor("amount", amount)?;
        Self::new(MoneyBucket::Outside, MoneyBucket::Available, amount, MoneyReason::TopUp)
    }
    pub fn hold(amount: i64) -> CoreResult<Self> {
        Self::new(MoneyBucket::Available, MoneyBucket::Held, amount, MoneyReason::Hold)
    }
    pub fn release(amount: i64) -> CoreResult<Self> {
        Self::new(MoneyBucket::Held, MoneyBucket::Available, amount, MoneyReason::Release)
    }
    pub fn charge(amount: i64) -> CoreResult<Self> {
        Self::new(MoneyBucket::Held, MoneyBucket::Charged, amount, MoneyReason::Charge)
    }
}

/// A client's balances in one currency.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Account {
    amounts: [i64; 3],
}

impl Account {
    pub fn from_array(amounts: [i64; 3]) -> Self {
        Self { amounts }
    }

    pub fn get(&self, b: MoneyBucket) -> i64 {
        b.index().map(|i| self.amounts[i]).unwrap_or(0)
    }

    /// Applies a transfer, refusing to overdraw any bucket or to overflow one (the account is
    /// unchanged when it refuses).
    pub fn apply(&mut self, t: &MoneyTransfer, currency: &str) -> CoreResult<()> {
        let mut next = self.amounts;
        if let Some(i) = t.from.index() {
            if next[i] < t.amount {
                return Err(CoreError::InsufficientBalance {
                    currency: currency.to_owned(),
                    required: t.amount,
                    available: next[i],
                });
            }
            next[i] -= t.amount;
        }
        if let Some(i) = t.to.index() {
            next[i] = next[i].checked_add(t.amount).ok_or_else(|| crate::limits::too_large("balance"))?;
        }
        self.amounts = next;
        Ok(())
    }

    /// Replays transfers from zero; a sum that does not fit is an error, never a wrap.
    pub fn replay<'a>(transfers: impl IntoIterator<Item = &'a MoneyTransfer>) -> CoreResult<Self> {
        let mut a = Self::default();
        let too_large = || crate::limits::too_large("balance");
        for t in transfers {
            if let Some(i) = t.from.index() {
                a.amounts[i] = a.amounts[i].checked_sub(t.amount).ok_or_else(too_large)?;
            }
            if let Some(i) = t.to.index() {
                a.amounts[i] = a.amounts[i].checked_add(t.amount).ok_or_else(too_large)?;
            }
        }
        Ok(a)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hold_charge_release() {
        let mut a = Account::default();
        a.apply(&MoneyTransfer::top_up(1000).unwrap(), "GBP").unwrap();
        a.apply(&MoneyTransfer::hold(700).unwrap(), "GBP").unwrap();
        let err = a.apply(&MoneyTransfer::hold(400).unwrap(), "GBP").unwrap_err();
        assert_eq!(err, CoreError::InsufficientBalance { currency: "GBP".into(), required: 400, available: 300 });
        a.apply(&MoneyTransfer::charge(500).unwrap(), "GBP").unwrap();
        a.apply(&MoneyTransfer::release(200).unwrap(), "GBP").unwrap();
        assert_eq!(a.get(MoneyBucket::Available), 500);
        assert_eq!(a.get(MoneyBucket::Held), 0);
        assert_eq!(a.get(MoneyBucket::Charged), 500);
    }

    #[test]
    fn overflow_is_refused_not_wrapped() {
        assert!(MoneyTransfer::top_up(crate::limits::MAX_AMOUNT_MINOR + 1).is_err());
        let mut a = Account::from_array([i64::MAX - 1, 0, 0]);
        let before = a;
        assert!(a.apply(&MoneyTransfer::top_up(2).unwrap(), "GBP").is_err());
        assert_eq!(a, before);
        let t =
            MoneyTransfer::new(MoneyBucket::Outside, MoneyBucket::Available, i64::MAX, MoneyReason::Refund).unwrap();
        assert!(Account::replay([&t, &t]).is_err());
    }
}
