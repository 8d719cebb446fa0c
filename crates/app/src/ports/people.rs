//! Users, their browser sessions and their bearer tokens.

use async_trait::async_trait;
use entrepot_core::{
    actor::{Actor, Role},
    ids::{ClientId, UserId, WarehouseId},
    CoreResult,
};

use crate::types::people::*;

#[async_trait]
pub trait PeoplePort: Send + Sync {
    /// Creates a user (password hashed with argon2) and records `user.created` by `actor`.
    async fn create_person(&self, actor: &Actor, username: &str, password: &str, role: &Role)
        -> CoreResult<UserRecord>;
    /// Users by name: all of them, or one client's.
    async fn people(&self, client: Option<&ClientId>) -> CoreResult<Vec<UserRecord>>;
    async fn person(&self, id: &UserId) -> CoreResult<UserRecord>;
    /// Disables a user, ends its sessions and revokes its tokens; records `user.disabled`.
    async fn disable_person(&self, actor: &Actor, id: &UserId) -> CoreResult<UserRecord>;
    /// Checks a password (an unknown name costs one argon2 verification too); `None` if wrong.
    async fn verify_person(&self, username: &str, password: &str) -> CoreResult<Option<UserRecord>>;
    /// Opens a session for `user` lasting `ttl_ms`; records `session.opened`.
    async fn open_session(&self, actor: &Actor, user: &UserRecord, ttl_ms: i64) -> CoreResult<SessionOpened>;
    /// The live session whose cookie secret is `secret`, with its user.
    async fn session(&self, secret: &str) -> CoreResult<Option<SessionRecord>>;
    async fn close_session(&self, secret: &str) -> CoreResult<()>;
    /// Creates a bearer token for `actor`'s user; records `token.created`.
    async fn create_token(&self, actor: &Actor, user: &UserId, label: &str, scope: &str) -> CoreResult<TokenCreated>;
    /// The tokens of one user, newest first.
    async fn tokens(&self, user: &UserId) -> CoreResult<Vec<TokenRecord>>;
    async fn token(&self, id: &str) -> CoreResult<Option<TokenRecord>>;
    /// Revokes a token; records `token.revoked`.
    async fn revoke_token(&self, actor: &Actor, id: &str) -> CoreResult<()>;
    /// The live token `token` and its user.
    async fn token_owner(&self, token: &str) -> CoreResult<Option<TokenOwner>>;
    /// Keeps the console language `user` chose (`None` forgets it).
    async fn set_user_language(&self, user: &UserId, language: Option<&str>) -> CoreResult<()>;
    /// Attaches (`grant`) or detaches a staff user's warehouse, setting its supervisor flag when
    /// `supervisor` says; records `user.warehouse_granted` or `user.warehouse_revoked`.
    async fn set_staff_warehouse(
        &self,
        actor: &Actor,
        user: &UserId,
        warehouse: &WarehouseId,
        grant: bool,
        supervisor: Option<bool>,
    ) -> CoreResult<UserRecord>;
}
