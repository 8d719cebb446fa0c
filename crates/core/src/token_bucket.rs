//! A request budget as a token bucket: a client may make `burst` requests at once and `per_sec`
//! a second sustained, so one tenant cannot take all of the server while a normal ERP (bursts of
//! calls, then quiet) never notices it. Pure: the caller passes the time.

/// How many requests a client may make: a bucket of `burst` tokens refilled at `per_sec`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Budget {
    pub per_sec: f64,
    pub burst: f64,
}

/// One client's bucket. Times are microseconds on any monotonic clock.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TokenBucket {
    tokens: f64,
    at_us: u64,
}

impl TokenBucket {
    /// A bucket that has not been drawn on: a client's first burst is allowed.
    pub fn full(budget: &Budget, now_us: u64) -> Self {
        Self { tokens: budget.burst, at_us: now_us }
    }

    fn refill(&mut self, budget: &Budget, now_us: u64) {
        let elapsed_s = now_us.saturating_sub(self.at_us) as f64 / 1e6;
        self.tokens = (self.tokens + elapsed_s * budget.per_sec).min(budget.burst);
        self.at_us = self.at_us.max(now_us);
    }

    /// Takes one token for a request, or says how many microseconds until one is there.
    pub fn take(&mut self, budget: &Budget, now_us: u64) -> Result<(), u64> {
        self.refill(budget, now_us);
        if self.tokens >= 1.0 {
            self.tokens -= 1.0;
            return Ok(());
        }
        if budget.per_sec <= 0.0 {
            return Err(u64::MAX);
        }
        let wait_s = (1.0 - self.tokens) / budget.per_sec;
        Err((wait_s * 1e6).ceil() as u64)
    }

    /// Whether the bucket is back to full, i.e. no different from a bucket never drawn on (such
    /// buckets can be forgotten).
    pub fn is_full(&self, budget: &Budget, now_us: u64) -> bool {
        let mut b = *self;
        b.refill(budget, now_us);
        b.tokens >= budget.burst
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const B: Budget = Budget { per_sec: 10.0, burst: 3.0 };

    #[test]
    fn a_burst_then_the_rate() {
        let mut b = TokenBucket::full(&B, 0);
        for _ in 0..3 {
            assert_eq!(b.take(&B, 0), Ok(()));
        }
        // Empty: the next token comes in 1/10 s.
        assert_eq!(b.take(&B, 0), Err(100_000));
        assert_eq!(b.take(&B, 50_000), Err(50_000));
        assert_eq!(b.take(&B, 100_000), Ok(()));
        assert!(b.take(&B, 100_000).is_err());
    }

    #[test]
    fn refills_to_the_burst_and_no_further() {
        let mut b = TokenBucket::full(&B, 0);
        assert!(b.take(&B, 0).is_ok());
        assert!(!b.is_full(&B, 0));
        assert!(b.is_full(&B, 100_000));
        // An hour idle still gives only `burst` requests at once.
        let hour = 3_600_000_000;
        for _ in 0..3 {
            assert!(b.take(&B, hour).is_ok());
        }
        assert!(b.take(&B, hour).is_err());
    }

    #[test]
    fn a_clock_going_backwards_takes_nothing_back() {
        let mut b = TokenBucket::full(&B, 1_000_000);
        for _ in 0..3 {
            assert!(b.take(&B, 1_000_000).is_ok());
        }
        assert!(b.take(&B, 0).is_err());
        assert!(b.take(&B, 1_100_000).is_ok());
    }
}
