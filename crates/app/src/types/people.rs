//! People and their access: users as stored, new users, browser sessions, bearer tokens, and the
//! native API's Idempotency-Key records.

use entrepot_core::{
    actor::{Actor, Role},
    ids::{ClientId, UserId, WarehouseId},
};
use serde::Serialize;

/// A user as stored: the role as its name plus what it is attached to. [`UserRecord::role`]
/// turns it into the core's [`Role`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UserRecord {
    pub id: UserId,
    pub username: String,
    /// `operator`, `staff` or `seller` (`client`, an older name, reads as `seller`).
    pub role_name: String,
    pub client_id: Option<ClientId>,
    pub warehouses: Vec<WarehouseId>,
    pub supervisor: bool,
    pub owner: bool,
    pub disabled: bool,
    pub created_at_ms: i64,
    /// The console language the user chose (a BCP 47 tag), if any.
    pub language: Option<String>,
}

impl UserRecord {
    /// The role this user acts in; `None` for a row that makes no sense (a seller without a
    /// client, an unknown role name), which may then do nothing.
    pub fn role(&self) -> Option<Role> {
        match self.role_name.as_str() {
            "operator" => Some(Role::Operator),
            "staff" => Some(Role::Staff { warehouses: self.warehouses.clone(), supervisor: self.supervisor }),
            "seller" | "client" => self.client_id.clone().map(|client| Role::Seller { client, owner: self.owner }),
            _ => None,
        }
    }
}

/// A user to create: the role carries what it is attached to.
#[derive(Debug, Clone)]
pub struct NewUser {
    pub username: String,
    pub password: String,
    pub role: Role,
}

/// A session just opened: the cookie's secret and the CSRF token exist in plain only here.
#[derive(Debug, Clone)]
pub struct SessionOpened {
    pub secret: String,
    pub csrf_token: String,
    pub expires_at_ms: i64,
    pub user: UserRecord,
}

/// A session as its cookie finds it.
#[derive(Debug, Clone)]
pub struct SessionRecord {
    pub user: UserRecord,
    pub csrf_token: String,
    pub expires_at_ms: i64,
}

/// Who is behind a live browser session: the actor, the session's CSRF token, and the console
/// language the user chose, if any.
#[derive(Debug, Clone)]
pub struct SignedIn {
    pub actor: Actor,
    pub csrf: String,
    pub language: Option<String>,
}

/// Longest language tag kept for a user (BCP 47 tags in use are far shorter).
pub const MAX_LANGUAGE_TAG: usize = 35;

/// Why a login was refused (the caller must not tell a wrong name from a wrong password).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LoginRefusal {
    WrongCredentials,
    /// Too many recent failures: try again after this many seconds.
    SlowDown {
        retry_after_s: u64,
    },
    Locked {
        retry_after_s: u64,
    },
}

/// A bearer token as listed (never the token itself).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TokenRecord {
    pub id: String,
    pub user_id: UserId,
    pub label: String,
    /// The role name it acts in, no higher than its creator's.
    pub scope: String,
    pub created_at_ms: i64,
    pub revoked: bool,
}

/// A token just created: the only time its secret exists in plain.
#[derive(Debug, Clone)]
pub struct TokenCreated {
    pub token: String,
    pub record: TokenRecord,
}

/// A token as a request presents it: the user behind it and the token's own record.
#[derive(Debug, Clone)]
pub struct TokenOwner {
    pub user: UserRecord,
    pub token: TokenRecord,
}

/// What claiming an Idempotency-Key found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IdempotencyClaim {
    /// Ours now: run the command, then [`crate::App::idempotency_finish`].
    Claimed,
    /// The same command ran already: answer what it answered.
    Replay { status: u16, content_type: String, body: String },
    /// The key was used for another request (another method, path or body).
    Mismatch,
    /// The first request with this key is still running.
    InFlight,
}
