use entrepot_core::{
    ids::{ClientId, ErpAppId, UserId},
    login_throttle::Verdict,
};
use serde::Serialize;

/// Longest user name kept as a throttle subject (longer ones are cut: still one subject each).
pub const MAX_SUBJECT: usize = 256;

/// A console user.
#[derive(Debug, Clone, Serialize)]
pub struct User {
    pub id: UserId,
    pub client_id: Option<ClientId>,
    pub username: String,
    pub role: String,
}

/// An ERP app as the OC dialect needs it to verify signatures.
#[derive(Debug, Clone, Serialize)]
pub struct ErpApp {
    pub id: ErpAppId,
    pub client_id: ClientId,
    pub name: String,
    pub client_key: String,
    #[serde(skip)]
    pub secret_key: String,
    pub kind: String,
    pub environment: String,
    pub redirect_uri: String,
    pub revoked: bool,
}

/// Tokens handed to an ERP: the only time the plain strings exist.
#[derive(Debug, Clone)]
pub struct TokenPair {
    pub access_token: String,
    pub refresh_token: String,
    pub expires_in_s: i64,
}

/// The throttle subject of a user name as typed (case and spaces do not make a new subject).
pub fn user_subject(username: &str) -> String {
    let name: String = username.trim().chars().take(MAX_SUBJECT).collect::<String>().to_lowercase();
    format!("user:{name}")
}

/// The throttle subject of a client address.
pub fn address_subject(ip: std::net::IpAddr) -> String {
    // An IPv4 client seen on an IPv6 socket is the same client.
    let ip = match ip {
        std::net::IpAddr::V6(v6) => v6.to_ipv4_mapped().map(std::net::IpAddr::V4).unwrap_or(ip),
        v4 => v4,
    };
    format!("addr:{ip}")
}

/// The verdict on one login attempt, per subject, in the order asked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoginVerdicts {
    pub each: Vec<(String, Verdict, u32)>,
}

impl LoginVerdicts {
    /// The most severe verdict.
    pub fn overall(&self) -> Verdict {
        self.each.iter().fold(Verdict::Admit, |acc, (_, v, _)| acc.worst(*v))
    }
}
