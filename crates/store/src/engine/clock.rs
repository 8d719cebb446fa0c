//! The clock and the entropy the pure core is not allowed to have.

use std::time::{SystemTime, UNIX_EPOCH};

/// Milliseconds since the Unix epoch, UTC.
pub fn now_ms() -> i64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_millis() as i64).unwrap_or(0)
}

pub fn random() -> u128 {
    rand::random()
}

/// A time and a random part that only grow within this process: two rows written in the same
/// millisecond (an audit trail's steps) sort by id in the order they were made.
pub fn monotonic() -> (i64, u128) {
    static LAST: std::sync::Mutex<(i64, u128)> = std::sync::Mutex::new((0, 0));
    let mut last = LAST.lock().unwrap_or_else(|p| p.into_inner());
    let now = now_ms();
    // 80 random bits, as in every id; the top one left clear so that increments never carry.
    let mut next = (now, random() & ((1u128 << 79) - 1));
    if now <= last.0 {
        next = (last.0, last.1.wrapping_add(1) & ((1u128 << 80) - 1));
    }
    *last = next;
    next
}

/// Generates a typed id: `ids!(OrderId)`.
macro_rules! new_id {
    ($t:ty) => {
        <$t>::generate($crate::engine::clock::now_ms() as u64, $crate::engine::clock::random())
    };
}
pub(crate) use new_id;
