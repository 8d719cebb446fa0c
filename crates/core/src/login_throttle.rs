//! Throttling of password guesses on the OAuth login page, per user and per address: the first
//! few failures are free, then each attempt must wait twice as long as the one before, and past a
//! limit the subject is locked for a while, refusing even the right password.
//!
//! Every attempt counts as a failure *before* the password is checked (a success then clears it),
//! so a burst of concurrent guesses cannot all slip through before the first failure is recorded.
//! An attempt made too early is refused without checking the password and still counts: a client
//! that keeps hammering reaches the lock sooner. Pure: the store keeps one [`Record`] per subject
//! and applies [`attempt`] under a row lock, so the rule holds across processes.

/// The rule for one kind of subject.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Failures before any delay.
    pub free: u32,
    /// The attempt after this many failures locks the subject.
    pub lock_after: u32,
    /// The first delay; each further failure doubles it, up to `max_delay_ms`.
    pub base_delay_ms: i64,
    pub max_delay_ms: i64,
    /// How long a lock lasts.
    pub lock_ms: i64,
    /// Failures older than this (since the last attempt) are forgotten.
    pub window_ms: i64,
}

/// One user name (known or not: unknown names are throttled alike, so the limits tell nothing).
pub const PER_USER: Limits = Limits {
    free: 3,
    lock_after: 10,
    base_delay_ms: 250,
    max_delay_ms: 8_000,
    lock_ms: 15 * 60_000,
    window_ms: 15 * 60_000,
};

/// One client address: looser, since many sellers may share an office NAT or a proxy.
pub const PER_ADDRESS: Limits = Limits {
    free: 10,
    lock_after: 40,
    base_delay_ms: 100,
    max_delay_ms: 4_000,
    lock_ms: 15 * 60_000,
    window_ms: 15 * 60_000,
};

/// What the store keeps per subject.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Record {
    pub failures: u32,
    /// When the last admitted attempt was made (ms); 0 for never.
    pub last_ms: i64,
    pub locked_until_ms: Option<i64>,
}

/// Whether an attempt may check the password.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    Admit,
    /// Too soon after the last failure: try again in this many ms.
    SlowDown {
        retry_after_ms: i64,
    },
    /// Locked until then; `now` is true for the attempt that set the lock (to be logged once).
    Locked {
        until_ms: i64,
        now: bool,
    },
}

impl Verdict {
    /// The more severe of two verdicts (user and address are checked together).
    pub fn worst(self, other: Verdict) -> Verdict {
        let rank = |v: &Verdict| match v {
            Verdict::Admit => (0, 0),
            Verdict::SlowDown { retry_after_ms } => (1, *retry_after_ms),
            Verdict::Locked { until_ms, .. } => (2, *until_ms),
        };
        if rank(&other) > rank(&self) {
            other
        } else {
            self
        }
    }
}

/// The delay owed after `failures` failures.
pub fn delay_ms(limits: &Limits, failures: u32) -> i64 {
    if failures < limits.free {
        return 0;
    }
    let doublings = (failures - limits.free).min(30);
    limits.base_delay_ms.saturating_mul(1_i64 << doublings).min(limits.max_delay_ms)
}

/// Judges an attempt at `now_ms` and returns the record to store.
pub fn attempt(limits: &Limits, rec: &Record, now_ms: i64) -> (Verdict, Record) {
    if let Some(until) = rec.locked_until_ms.filter(|u| *u > now_ms) {
        return (Verdict::Locked { until_ms: until, now: false }, *rec);
    }
    let stale = rec.locked_until_ms.is_some() || now_ms.saturating_sub(rec.last_ms) > limits.window_ms;
    let base = if stale { Record::default() } else { *rec };
    let failures = base.failures.saturating_add(1);
    if failures > limits.lock_after {
        let until = now_ms.saturating_add(limits.lock_ms);
        let locked = Record { failures, last_ms: now_ms, locked_until_ms: Some(until) };
        return (Verdict::Locked { until_ms: until, now: true }, locked);
    }
    let ready_at = base.last_ms.saturating_add(delay_ms(limits, base.failures));
    if base.failures >= limits.free && now_ms < ready_at {
        let counted = Record { failures, ..base };
        return (Verdict::SlowDown { retry_after_ms: ready_at - now_ms }, counted);
    }
    (Verdict::Admit, Record { failures, last_ms: now_ms, locked_until_ms: None })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_failures_are_free_then_each_waits_twice_as_long() {
        let mut rec = Record::default();
        let mut now = 1_000_000;
        for _ in 0..PER_USER.free {
            let (v, r) = attempt(&PER_USER, &rec, now);
            assert_eq!(v, Verdict::Admit);
            rec = r;
        }
        assert_eq!(delay_ms(&PER_USER, 3), 250);
        assert_eq!(delay_ms(&PER_USER, 4), 500);
        assert_eq!(delay_ms(&PER_USER, 9), 8_000);
        assert_eq!(delay_ms(&PER_USER, u32::MAX), 8_000);
        let (v, _) = attempt(&PER_USER, &rec, now + 100);
        assert_eq!(v, Verdict::SlowDown { retry_after_ms: 150 });
        now += 250;
        let (v, r) = attempt(&PER_USER, &rec, now);
        assert_eq!(v, Verdict::Admit);
        assert_eq!(r.failures, 4);
    }

    #[test]
    fn a_burst_locks_and_the_lock_refuses_until_it_ends() {
        let mut rec = Record::default();
        let now = 5_000_000;
        let mut verdicts = Vec::new();
        for i in 0..60 {
            let (v, r) = attempt(&PER_USER, &rec, now + i);
            verdicts.push(v);
            rec = r;
        }
        assert_eq!(verdicts.iter().filter(|v| **v == Verdict::Admit).count(), 3);
        let until = now + 10 + PER_USER.lock_ms;
        assert_eq!(verdicts[10], Verdict::Locked { until_ms: until, now: true });
        assert!(verdicts[11..].iter().all(|v| *v == Verdict::Locked { until_ms: until, now: false }));
        assert!(matches!(attempt(&PER_USER, &rec, until - 1).0, Verdict::Locked { .. }));
        // After the lock: a fresh start.
        let (v, r) = attempt(&PER_USER, &rec, until);
        assert_eq!((v, r.failures), (Verdict::Admit, 1));
    }

    #[test]
    fn old_failures_are_forgotten() {
        let rec = Record { failures: 9, last_ms: 1_000, locked_until_ms: None };
        assert!(matches!(attempt(&PER_USER, &rec, 2_000).0, Verdict::SlowDown { .. }));
        let (v, r) = attempt(&PER_USER, &rec, 1_000 + PER_USER.window_ms + 1);
        assert_eq!((v, r.failures), (Verdict::Admit, 1));
    }

    #[test]
    fn the_worse_verdict_wins() {
        let slow = Verdict::SlowDown { retry_after_ms: 5 };
        let lock = Verdict::Locked { until_ms: 9, now: false };
        assert_eq!(Verdict::Admit.worst(slow), slow);
        assert_eq!(slow.worst(Verdict::Admit), slow);
        assert_eq!(slow.worst(lock), lock);
        assert_eq!(lock.worst(Verdict::SlowDown { retry_after_ms: 99 }), lock);
    }
}
