//! People and access: creating and listing users within the actor's scope, logging in (through
//! the login throttle), and turning a session cookie or a bearer token into the [`Actor`] every
//! floor use case takes. Scope is decided here and in `entrepot_core::actor`, never in a door.

use std::net::IpAddr;

use entrepot_core::{
    actor::{Actor, Role},
    ids::{ClientId, UserId, WarehouseId},
    login_throttle::{self, Verdict},
    CoreError, CoreResult,
};

use crate::{
    types::{
        auth::{address_subject, user_subject},
        people::*,
    },
    App,
};

/// How long a browser session lasts from login (then the user logs in again).
pub const SESSION_TTL_MS: i64 = 12 * 3_600_000;
/// How long an Idempotency-Key is remembered.
pub const IDEMPOTENCY_TTL_MS: i64 = 24 * 3_600_000;
/// Longest user name and password accepted (longer ones are refused before any hashing).
pub const MAX_USERNAME: usize = 128;
pub const MAX_PASSWORD: usize = 256;
/// Longest token label (a device name).
pub const MAX_LABEL: usize = 64;

/// The role names a token may be scoped to by a user of `role`: its own, or a lower one.
pub fn token_scopes(role: &Role) -> &'static [&'static str] {
    match role {
        Role::Operator => &["operator"],
        Role::Staff { supervisor: true, .. } => &["supervisor", "staff"],
        Role::Staff { .. } => &["staff"],
        Role::Seller { owner: true, .. } => &["seller_owner", "seller"],
        Role::Seller { .. } => &["seller"],
        Role::System => &[],
    }
}

/// `role` narrowed to a token's scope: a supervisor's `staff` token does not approve, an owner's
/// `seller` token does not manage users. A scope higher than the user's role now (the user was
/// demoted since) gives the user's role.
pub fn narrow(role: Role, scope: &str) -> Role {
    match role {
        Role::Staff { warehouses, supervisor } => {
            Role::Staff { warehouses, supervisor: supervisor && scope == "supervisor" }
        }
        Role::Seller { client, owner } => Role::Seller { client, owner: owner && scope == "seller_owner" },
        other => other,
    }
}

fn actor_of(user: &UserRecord, role: Role, device: Option<String>) -> Actor {
    Actor { user: Some(user.id.clone()), name: user.username.clone(), role, device }
}

/// Whether `actor` may manage users of `client` (`None`: operator-side users).
fn may_manage(actor: &Actor, client: Option<&ClientId>) -> bool {
    match (&actor.role, client) {
        (Role::Operator | Role::System, _) => true,
        (Role::Seller { client: own, owner: true }, Some(c)) => own == c,
        _ => false,
    }
}

/// The wall clock, UTC milliseconds.
pub(crate) fn now_ms() -> i64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_millis() as i64).unwrap_or(0)
}

fn check_username(name: &str) -> CoreResult<()> {
    let n = name.trim().chars().count();
    if n == 0 || n > MAX_USERNAME || name.chars().any(char::is_control) {
        return Err(CoreError::invalid("username", format!("must be 1 to {MAX_USERNAME} visible characters")));
    }
    Ok(())
}

impl App {
    /// Creates a user within `actor`'s scope: operators any user, a seller owner its own client's
    /// sellers. Staff must be attached to existing warehouses, sellers to an existing client.
    pub async fn create_person(&self, actor: &Actor, new: NewUser) -> CoreResult<UserRecord> {
        let client = match &new.role {
            Role::Seller { client, .. } => Some(client),
            _ => None,
        };
        if !may_manage(actor, client) {
            return Err(CoreError::Forbidden(format!("{} may not create this user", actor.name)));
        }
        check_username(&new.username)?;
        let pw = new.password.chars().count();
        if !(8..=MAX_PASSWORD).contains(&pw) {
            return Err(CoreError::invalid("password", format!("must be 8 to {MAX_PASSWORD} characters")));
        }
        match &new.role {
            Role::Staff { warehouses, .. } => {
                if warehouses.is_empty() {
                    return Err(CoreError::invalid("warehouses", "staff need at least one warehouse"));
                }
                for w in warehouses {
                    self.storage
                        .warehouse(w)
                        .await
                        .map_err(|_| CoreError::invalid("warehouses", "no such warehouse"))?;
                }
            }
            Role::Seller { client, .. } => {
                self.storage.client(client).await.map_err(|_| CoreError::invalid("client_id", "no such client"))?;
            }
            Role::Operator => {}
            Role::System => return Err(CoreError::invalid("role", "the system is not a user")),
        }
        self.storage.create_person(actor, &new.username, &new.password, &new.role).await
    }

    /// The users `actor` may see: every user for operators, its client's for a seller owner.
    pub async fn people(&self, actor: &Actor) -> CoreResult<Vec<UserRecord>> {
        match &actor.role {
            Role::Operator | Role::System => self.storage.people(None).await,
            Role::Seller { client, owner: true } => self.storage.people(Some(client)).await,
            _ => Err(CoreError::Forbidden(format!("{} may not list users", actor.name))),
        }
    }

    /// Disables a user within `actor`'s scope (another client's user is "not found").
    pub async fn disable_person(&self, actor: &Actor, id: &UserId) -> CoreResult<UserRecord> {
        let user = self.storage.person(id).await?;
        if !may_manage(actor, user.client_id.as_ref()) {
            return Err(CoreError::not_found("user", id));
        }
        self.storage.disable_person(actor, id).await
    }

    /// Attaches a warehouse to a staff user (and makes it a supervisor when `supervisor`):
    /// operators only, like creating staff.
    pub async fn grant_warehouse(
        &self,
        actor: &Actor,
        user: &UserId,
        warehouse: &WarehouseId,
        supervisor: bool,
    ) -> CoreResult<UserRecord> {
        self.staff_to_change(actor, user, warehouse).await?;
        self.storage.set_staff_warehouse(actor, user, warehouse, true, supervisor.then_some(true)).await
    }

    /// Detaches a warehouse from a staff user (operators only); refused if it was not attached.
    pub async fn revoke_warehouse(
        &self,
        actor: &Actor,
        user: &UserId,
        warehouse: &WarehouseId,
    ) -> CoreResult<UserRecord> {
        self.staff_to_change(actor, user, warehouse).await?;
        self.storage.set_staff_warehouse(actor, user, warehouse, false, None).await
    }

    /// Checks that `actor` may change `user`'s warehouses and that both exist and fit.
    async fn staff_to_change(&self, actor: &Actor, user: &UserId, warehouse: &WarehouseId) -> CoreResult<()> {
        if !may_manage(actor, None) {
            return Err(CoreError::Forbidden(format!("{} may not change staff's warehouses", actor.name)));
        }
        let u = self.storage.person(user).await?;
        if !matches!(u.role(), Some(Role::Staff { .. })) {
            return Err(CoreError::invalid("user", format!("{} is not warehouse staff", u.username)));
        }
        self.storage.warehouse(warehouse).await.map_err(|_| CoreError::invalid("warehouse", "no such warehouse"))?;
        Ok(())
    }

    /// Finds a user by id or name (what an operator types at the CLI).
    pub async fn find_person(&self, id_or_name: &str) -> CoreResult<UserRecord> {
        let all = self.storage.people(None).await?;
        all.into_iter()
            .find(|u| u.id.0 == id_or_name || u.username == id_or_name)
            .ok_or_else(|| CoreError::not_found("user", id_or_name))
    }

    /// Logs in through the login throttle (per user name and per address, as the OC login page):
    /// a session for an enabled user with the right password.
    pub async fn log_in(
        &self,
        username: &str,
        password: &str,
        address: Option<IpAddr>,
    ) -> CoreResult<Result<SessionOpened, LoginRefusal>> {
        let user_key = user_subject(username);
        let addr_key = address.map(address_subject);
        let mut subjects = vec![(user_key.clone(), login_throttle::PER_USER)];
        subjects.extend(addr_key.iter().map(|a| (a.clone(), login_throttle::PER_ADDRESS)));
        let verdicts = self.storage.login_attempt(&subjects).await?;
        let secs = |ms: i64| (ms.max(0) as u64).div_ceil(1000).max(1);
        match verdicts.overall() {
            Verdict::Admit => {}
            Verdict::SlowDown { retry_after_ms } => {
                return Ok(Err(LoginRefusal::SlowDown { retry_after_s: secs(retry_after_ms) }))
            }
            Verdict::Locked { until_ms, .. } => {
                return Ok(Err(LoginRefusal::Locked { retry_after_s: secs(until_ms.saturating_sub(now_ms())) }))
            }
        }
        if username.chars().count() > MAX_USERNAME || password.len() > MAX_PASSWORD {
            return Ok(Err(LoginRefusal::WrongCredentials));
        }
        let Some(user) = self.storage.verify_person(username, password).await? else {
            return Ok(Err(LoginRefusal::WrongCredentials));
        };
        let Some(role) = user.role().filter(|_| !user.disabled) else {
            return Ok(Err(LoginRefusal::WrongCredentials));
        };
        self.storage.login_succeeded(&user_key, addr_key.as_deref()).await?;
        let actor = actor_of(&user, role, None);
        Ok(Ok(self.storage.open_session(&actor, &user, SESSION_TTL_MS).await?))
    }

    /// The actor behind a session cookie, with the session's CSRF token and the user's language;
    /// `None` for an unknown, expired or closed session, or a disabled user.
    pub async fn actor_for_session(&self, secret: &str) -> CoreResult<Option<SignedIn>> {
        let Some(s) = self.storage.session(secret).await? else { return Ok(None) };
        if s.user.disabled || s.expires_at_ms <= now_ms() {
            return Ok(None);
        }
        Ok(s.user.role().map(|role| SignedIn {
            actor: actor_of(&s.user, role, None),
            csrf: s.csrf_token,
            language: s.user.language.clone(),
        }))
    }

    /// Keeps the console language the actor's user chose, so that it follows them to another
    /// browser. The door checks it is a language it speaks; here it is only bounded.
    pub async fn set_language(&self, actor: &Actor, tag: &str) -> CoreResult<()> {
        let user = actor.user.as_ref().ok_or_else(|| CoreError::Forbidden("only a person has a language".into()))?;
        if tag.is_empty() || tag.len() > MAX_LANGUAGE_TAG || !tag.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        {
            return Err(CoreError::invalid("language", format!("`{tag:.40}` is not a language tag")));
        }
        self.storage.set_user_language(user, Some(tag)).await
    }

    /// The actor behind a bearer token: its user's role now, narrowed to the token's scope, the
    /// token's label as the device.
    pub async fn actor_for_token(&self, token: &str) -> CoreResult<Option<Actor>> {
        let Some(t) = self.storage.token_owner(token).await? else { return Ok(None) };
        if t.user.disabled || t.token.revoked {
            return Ok(None);
        }
        Ok(t.user.role().map(|role| actor_of(&t.user, narrow(role, &t.token.scope), Some(t.token.label.clone()))))
    }

    pub async fn log_out(&self, secret: &str) -> CoreResult<()> {
        self.storage.close_session(secret).await
    }

    /// A bearer token for `actor`'s own user, scoped to `scope` (default: the actor's role name),
    /// which must be no higher than the actor's role.
    pub async fn create_token(&self, actor: &Actor, label: &str, scope: Option<&str>) -> CoreResult<TokenCreated> {
        let Some(user) = &actor.user else { return Err(CoreError::Forbidden("the system has no tokens".into())) };
        let label = label.trim();
        if label.is_empty() || label.chars().count() > MAX_LABEL || label.chars().any(char::is_control) {
            return Err(CoreError::invalid("label", format!("must be 1 to {MAX_LABEL} visible characters")));
        }
        let scope = scope.unwrap_or(actor.role.name());
        if !token_scopes(&actor.role).contains(&scope) {
            return Err(CoreError::invalid(
                "scope",
                format!("must be one of {}", token_scopes(&actor.role).join(", ")),
            ));
        }
        self.storage.create_token(actor, user, label, scope).await
    }

    /// The actor's own tokens, newest first.
    pub async fn tokens(&self, actor: &Actor) -> CoreResult<Vec<TokenRecord>> {
        match &actor.user {
            Some(u) => self.storage.tokens(u).await,
            None => Ok(vec![]),
        }
    }

    /// Revokes one of the actor's tokens (operators: anyone's). Another user's is "not found".
    pub async fn revoke_token(&self, actor: &Actor, id: &str) -> CoreResult<()> {
        let t = self.storage.token(id).await?.filter(|t| !t.revoked);
        let Some(t) = t else { return Err(CoreError::not_found("token", id)) };
        let own = actor.user.as_ref() == Some(&t.user_id);
        if !own && !matches!(actor.role, Role::Operator | Role::System) {
            return Err(CoreError::not_found("token", id));
        }
        self.storage.revoke_token(actor, id).await
    }

    /// Claims an Idempotency-Key for one command (see [`IdempotencyClaim`]).
    pub async fn idempotency_claim(
        &self,
        user: &UserId,
        key: &str,
        request: &str,
        body_hash: &str,
    ) -> CoreResult<IdempotencyClaim> {
        self.storage.idempotency_claim(user, key, request, body_hash, IDEMPOTENCY_TTL_MS).await
    }

    pub async fn idempotency_finish(
        &self,
        user: &UserId,
        key: &str,
        status: u16,
        content_type: &str,
        body: &str,
    ) -> CoreResult<()> {
        self.storage.idempotency_finish(user, key, status, content_type, body).await
    }

    pub async fn idempotency_release(&self, user: &UserId, key: &str) -> CoreResult<()> {
        self.storage.idempotency_release(user, key).await
    }
}

#[cfg(test)]
mod tests {
    use entrepot_core::ids::WarehouseId;

    use super::*;

    #[test]
    fn tokens_are_scoped_no_higher_than_their_creator() {
        let sup = Role::Staff { warehouses: vec![WarehouseId::from("wh_1")], supervisor: true };
        assert_eq!(token_scopes(&sup), &["supervisor", "staff"]);
        assert_eq!(
            narrow(sup.clone(), "staff"),
            Role::Staff { warehouses: vec![WarehouseId::from("wh_1")], supervisor: false }
        );
        assert_eq!(narrow(sup.clone(), "supervisor"), sup);
        let plain = Role::Staff { warehouses: vec![], supervisor: false };
        assert_eq!(narrow(plain.clone(), "supervisor"), plain, "a demoted user's old scope gives no more");
        let owner = Role::Seller { client: ClientId::from("cli_a"), owner: true };
        assert_eq!(narrow(owner, "seller"), Role::Seller { client: ClientId::from("cli_a"), owner: false });
        assert!(token_scopes(&Role::Seller { client: ClientId::from("c"), owner: false }).contains(&"seller"));
    }
}
