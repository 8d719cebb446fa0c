//! Uploads kept for a short while in memory under a random token, for their owner only: an
//! order sheet checked once is imported without choosing the file again.

use std::{
    collections::HashMap,
    sync::{Arc, Mutex},
    time::{Duration, Instant},
};

/// How long an upload waits to be imported.
const KEEP: Duration = Duration::from_secs(30 * 60);
/// Uploads kept at once, all users together (the oldest goes first).
const MAX_KEPT: usize = 32;

struct Kept {
    user: String,
    file_name: String,
    bytes: Arc<Vec<u8>>,
    at: Instant,
}

/// Uploads waiting to be imported, by token.
#[derive(Clone, Default)]
pub struct Uploads(Arc<Mutex<HashMap<String, Kept>>>);

impl Uploads {
    pub fn keep(&self, user: &str, file_name: &str, bytes: Vec<u8>) -> String {
        let token = random_token();
        let Ok(mut m) = self.0.lock() else { return token };
        m.retain(|_, k| k.at.elapsed() < KEEP);
        while m.len() >= MAX_KEPT {
            let Some(oldest) = m.iter().min_by_key(|(_, k)| k.at).map(|(t, _)| t.clone()) else { break };
            m.remove(&oldest);
        }
        m.insert(
            token.clone(),
            Kept { user: user.to_owned(), file_name: file_name.to_owned(), bytes: Arc::new(bytes), at: Instant::now() },
        );
        token
    }

    pub fn get(&self, user: &str, token: &str) -> Option<(String, Arc<Vec<u8>>)> {
        let m = self.0.lock().ok()?;
        m.get(token).filter(|k| k.user == user && k.at.elapsed() < KEEP).map(|k| (k.file_name.clone(), k.bytes.clone()))
    }
}

fn random_token() -> String {
    let b: [u8; 16] = rand::random();
    b.iter().map(|x| format!("{x:02x}")).collect()
}
