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

/// A multipart form as posted: its text fields and its one file.
#[derive(Default)]
pub struct Posted {
    pub fields: HashMap<String, String>,
    pub file_name: String,
    pub bytes: Vec<u8>,
}

impl Posted {
    pub fn field(&self, name: &str) -> &str {
        self.fields.get(name).map(String::as_str).unwrap_or_default()
    }
}

/// Why a multipart form could not be read.
pub enum Unread {
    /// Not a multipart form the browser sent whole.
    Bad,
    /// The file is larger than the route takes.
    TooLarge,
}

/// Reads a multipart form whose file field is `file` (its name cut to 200 characters).
pub async fn read(mut form: axum::extract::Multipart) -> Result<Posted, Unread> {
    let mut p = Posted::default();
    while let Some(field) = form.next_field().await.map_err(|_| Unread::Bad)? {
        let name = field.name().unwrap_or_default().to_owned();
        if name == "file" {
            p.file_name = field.file_name().unwrap_or_default().chars().take(200).collect();
            p.bytes = field.bytes().await.map_err(|_| Unread::TooLarge)?.to_vec();
        } else {
            p.fields.insert(name, field.text().await.unwrap_or_default());
        }
    }
    Ok(p)
}
