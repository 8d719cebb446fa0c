//! People: users with their roles and warehouses (`users`, `user_warehouses`), their browser
//! sessions and bearer tokens (`sessions`), and the native API's Idempotency-Key records
//! (`idempotency`). Every change a person makes to people is written with its audit entry in
//! one transaction.

pub(crate) mod idempotency;
pub(crate) mod sessions;

use std::collections::HashMap;

use entrepot_app::types::{audit::AuditRecord, people::UserRecord};
use entrepot_core::{
    actor::{Actor, Role},
    ids::{ClientId, UserId, WarehouseId},
};
use sha2::{Digest, Sha256};
use sqlx::any::AnyRow;

use crate::{
    audit,
    auth::clients::hash_password,
    engine::{
        clock::{new_id, now_ms, random},
        exec::Tx,
        rows::{i, oi, os, s},
    },
    error::on_unique,
    Store, StoreResult,
};

const USER_COLUMNS: &str = "id, username, role, client_id, supervisor, owner, disabled_at, created_at, language";

/// SHA-256 hex: how session secrets and tokens (256 random bits each) are kept.
pub(crate) fn sha256_hex(v: &str) -> String {
    Sha256::digest(v.as_bytes()).iter().map(|b| format!("{b:02x}")).collect()
}

/// 256 random bits, hex.
pub(crate) fn secret256() -> String {
    format!("{:032x}{:032x}", random(), random())
}

fn user(row: &AnyRow, warehouses: Vec<WarehouseId>) -> StoreResult<UserRecord> {
    Ok(UserRecord {
        id: UserId(s(row, "id")?),
        username: s(row, "username")?,
        role_name: s(row, "role")?,
        client_id: os(row, "client_id")?.map(ClientId),
        warehouses,
        supervisor: i(row, "supervisor")? != 0,
        owner: i(row, "owner")? != 0,
        disabled: oi(row, "disabled_at")?.is_some(),
        created_at_ms: i(row, "created_at")?,
        language: os(row, "language")?,
    })
}

/// The column `warehouses`: the warehouse ids of the user `u` in one comma-separated text (ids
/// hold no commas), so that a request's user is one read with its warehouses.
fn warehouses_column(backend: crate::Backend) -> &'static str {
    match backend {
        crate::Backend::Postgres => {
            "(SELECT string_agg(w.warehouse_id, ',') FROM user_warehouses w WHERE w.user_id = u.id) AS warehouses"
        }
        crate::Backend::Sqlite => {
            "(SELECT group_concat(w.warehouse_id, ',') FROM user_warehouses w WHERE w.user_id = u.id) AS warehouses"
        }
    }
}

/// The user of a row read with [`Store::user_columns`].
fn user_with_warehouses(row: &AnyRow) -> StoreResult<UserRecord> {
    let mut whs: Vec<WarehouseId> = os(row, "warehouses")?
        .unwrap_or_default()
        .split(',')
        .filter(|w| !w.is_empty())
        .map(|w| WarehouseId(w.to_owned()))
        .collect();
    whs.sort();
    whs.dedup();
    user(row, whs)
}

impl Store {
    /// The columns of the user `u` (prefixed) with its warehouses, for [`user_with_warehouses`].
    fn user_columns(&self) -> String {
        let cols = USER_COLUMNS.split(", ").map(|c| format!("u.{c}")).collect::<Vec<_>>().join(", ");
        format!("{cols}, {}", warehouses_column(self.backend))
    }

    /// The warehouses of each of `users`.
    async fn warehouses_of(&self, users: &[String]) -> StoreResult<HashMap<String, Vec<WarehouseId>>> {
        let mut out: HashMap<String, Vec<WarehouseId>> = HashMap::new();
        for id in users {
            let rows = sqlx::query("SELECT warehouse_id FROM user_warehouses WHERE user_id = $1 ORDER BY warehouse_id")
                .bind(id)
                .fetch_all(&self.read)
                .await?;
            let whs = rows.iter().map(|r| s(r, "warehouse_id").map(WarehouseId)).collect::<StoreResult<_>>()?;
            out.insert(id.clone(), whs);
        }
        Ok(out)
    }

    pub(crate) async fn users_from(&self, rows: &[AnyRow]) -> StoreResult<Vec<UserRecord>> {
        let ids = rows.iter().map(|r| s(r, "id")).collect::<StoreResult<Vec<_>>>()?;
        let mut whs = self.warehouses_of(&ids).await?;
        rows.iter().zip(ids).map(|(r, id)| user(r, whs.remove(&id).unwrap_or_default())).collect()
    }

    /// Keeps the console language `user` chose (`None` forgets it). A preference, not audited.
    pub async fn set_user_language(&self, user: &UserId, language: Option<&str>) -> StoreResult<()> {
        sqlx::query("UPDATE users SET language = $1 WHERE id = $2")
            .bind(language.map(str::to_owned))
            .bind(&user.0)
            .execute(&self.write)
            .await?;
        Ok(())
    }

    /// Creates a user with its role, warehouses and flags; records `user.created` by `actor`.
    pub async fn create_person(
        &self,
        actor: &Actor,
        username: &str,
        password: &str,
        role: &Role,
    ) -> StoreResult<UserRecord> {
        let username = username.trim();
        let hash = hash_password(password.to_owned()).await?;
        let (name, client, warehouses, supervisor, owner) = match role {
            Role::Operator | Role::System => ("operator", None, vec![], false, false),
            Role::Staff { warehouses, supervisor } => ("staff", None, warehouses.clone(), *supervisor, false),
            Role::Seller { client, owner } => ("seller", Some(client.clone()), vec![], false, *owner),
        };
        let rec = UserRecord {
            id: new_id!(UserId),
            username: username.to_owned(),
            role_name: name.to_owned(),
            client_id: client,
            warehouses,
            supervisor,
            owner,
            disabled: false,
            created_at_ms: now_ms(),
            language: None,
        };
        let mut tx = self.begin().await?;
        let r = sqlx::query(
            "INSERT INTO users (id, client_id, username, password_hash, role, created_at, supervisor, owner) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(&rec.id.0)
        .bind(rec.client_id.as_ref().map(|c| c.0.clone()))
        .bind(&rec.username)
        .bind(hash)
        .bind(&rec.role_name)
        .bind(rec.created_at_ms)
        .bind(i64::from(supervisor))
        .bind(i64::from(owner))
        .execute(&mut *tx)
        .await;
        on_unique(r, "username", username)?;
        for w in &rec.warehouses {
            sqlx::query("INSERT INTO user_warehouses (user_id, warehouse_id) VALUES ($1, $2) ON CONFLICT DO NOTHING")
                .bind(&rec.id.0)
                .bind(&w.0)
                .execute(&mut *tx)
                .await?;
        }
        let detail = role.name();
        let audit = AuditRecord {
            action: "user.created",
            subject_kind: "user",
            subject_id: &rec.id.0,
            warehouse: rec.warehouses.first(),
            client: rec.client_id.as_ref(),
            detail: Some(detail),
        };
        audit::record(&mut Tx::from(&mut tx), actor, audit).await?;
        tx.commit().await?;
        Ok(rec)
    }

    /// Users by name: every one, or one client's.
    pub async fn people(&self, client: Option<&ClientId>) -> StoreResult<Vec<UserRecord>> {
        let rows = sqlx::query(&format!(
            "SELECT {USER_COLUMNS} FROM users WHERE ($1 IS NULL OR client_id = $1) ORDER BY username"
        ))
        .bind(client.map(|c| c.0.clone()))
        .fetch_all(&self.read)
        .await?;
        self.users_from(&rows).await
    }

    pub async fn person(&self, id: &UserId) -> StoreResult<UserRecord> {
        let rows = sqlx::query(&format!("SELECT {USER_COLUMNS} FROM users WHERE id = $1"))
            .bind(&id.0)
            .fetch_all(&self.read)
            .await?;
        self.users_from(&rows).await?.pop().ok_or_else(|| entrepot_core::CoreError::not_found("user", id).into())
    }

    /// Disables a user at once: its sessions end and its tokens are revoked, in one transaction
    /// with the audit entry.
    pub async fn disable_person(&self, actor: &Actor, id: &UserId) -> StoreResult<UserRecord> {
        let now = now_ms();
        let mut tx = self.begin().await?;
        sqlx::query("UPDATE users SET disabled_at = $2 WHERE id = $1 AND disabled_at IS NULL")
            .bind(&id.0)
            .bind(now)
            .execute(&mut *tx)
            .await?;
        sqlx::query("DELETE FROM user_sessions WHERE user_id = $1").bind(&id.0).execute(&mut *tx).await?;
        sqlx::query("UPDATE api_tokens SET revoked_at = $2 WHERE user_id = $1 AND revoked_at IS NULL")
            .bind(&id.0)
            .bind(now)
            .execute(&mut *tx)
            .await?;
        let audit = AuditRecord {
            action: "user.disabled",
            subject_kind: "user",
            subject_id: &id.0,
            warehouse: None,
            client: None,
            detail: None,
        };
        audit::record(&mut Tx::from(&mut tx), actor, audit).await?;
        tx.commit().await?;
        self.person(id).await
    }

    /// Attaches (`grant`) or detaches a warehouse of a staff user, and sets its supervisor flag
    /// when `supervisor` says, with the audit entry (`user.warehouse_granted` / `_revoked`) in
    /// one transaction. Sessions and tokens read the user anew on each request, so the change
    /// applies to them at once.
    pub async fn set_staff_warehouse(
        &self,
        actor: &Actor,
        id: &UserId,
        warehouse: &WarehouseId,
        grant: bool,
        supervisor: Option<bool>,
    ) -> StoreResult<UserRecord> {
        let mut tx = self.begin().await?;
        if grant {
            sqlx::query("INSERT INTO user_warehouses (user_id, warehouse_id) VALUES ($1, $2) ON CONFLICT DO NOTHING")
                .bind(&id.0)
                .bind(&warehouse.0)
                .execute(&mut *tx)
                .await?;
        } else {
            let r = sqlx::query("DELETE FROM user_warehouses WHERE user_id = $1 AND warehouse_id = $2")
                .bind(&id.0)
                .bind(&warehouse.0)
                .execute(&mut *tx)
                .await?;
            if r.rows_affected() == 0 {
                return Err(entrepot_core::CoreError::Conflict(format!(
                    "user {} is not attached to warehouse {}",
                    id, warehouse
                ))
                .into());
            }
        }
        if let Some(flag) = supervisor {
            sqlx::query("UPDATE users SET supervisor = $2 WHERE id = $1")
                .bind(&id.0)
                .bind(i64::from(flag))
                .execute(&mut *tx)
                .await?;
        }
        let detail = match supervisor {
            Some(true) => "supervisor",
            Some(false) => "not supervisor",
            None => "",
        };
        let audit = AuditRecord {
            action: if grant { "user.warehouse_granted" } else { "user.warehouse_revoked" },
            subject_kind: "user",
            subject_id: &id.0,
            warehouse: Some(warehouse),
            client: None,
            detail: (!detail.is_empty()).then_some(detail),
        };
        audit::record(&mut Tx::from(&mut tx), actor, audit).await?;
        tx.commit().await?;
        self.person(id).await
    }

    /// Checks a password; `None` for a wrong name or password (both cost one argon2 check).
    pub async fn verify_person(&self, username: &str, password: &str) -> StoreResult<Option<UserRecord>> {
        let row = sqlx::query(&format!("SELECT {USER_COLUMNS}, password_hash FROM users WHERE username = $1"))
            .bind(username.trim())
            .fetch_optional(&self.read)
            .await?;
        let hash = row.as_ref().map(|r| s(r, "password_hash")).transpose()?;
        if !self.verify_password(hash, password).await {
            return Ok(None);
        }
        let Some(row) = row else { return Ok(None) };
        Ok(self.users_from(&[row]).await?.pop())
    }
}
