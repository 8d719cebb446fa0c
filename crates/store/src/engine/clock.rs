//! The clock and the entropy the pure core is not allowed to have.

use std::time::{SystemTime, UNIX_EPOCH};

/// Milliseconds since the Unix epoch, UTC.
pub fn now_ms() -> i64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_millis() as i64).unwrap_or(0)
}

pub fn random() -> u128 {
    rand::random()
}

/// Generates a typed id: `ids!(OrderId)`.
macro_rules! new_id {
    ($t:ty) => {
        <$t>::generate($crate::engine::clock::now_ms() as u64, $crate::engine::clock::random())
    };
}
pub(crate) use new_id;
