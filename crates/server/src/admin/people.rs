//! Admin commands for people: operator admins, warehouse staff (per warehouse, some
//! supervisors) and seller users (per client, some owners). The CLI acts as the system
//! (`admin-cli` in the audit trail).

use clap::Subcommand;
use entrepot_app::{App, NewUser, UserRecord};
use entrepot_core::{
    actor::{Actor, Role},
    ids::UserId,
};
use serde_json::{json, Value};

use super::{find_client, print};

#[derive(Debug, Subcommand)]
pub enum UserCmd {
    /// A user. `--role operator`; `--role staff --warehouse UK1 [--warehouse DE] [--supervisor]`;
    /// `--role seller --client X [--owner]`. Without --role: a seller of --client, or (without
    /// --client) a staff user attached to no warehouse yet, as before roles existed.
    Create {
        #[arg(long)]
        client: Option<String>,
        #[arg(long)]
        username: String,
        /// Read from ENTREPOT_PASSWORD if not given.
        #[arg(long, env = "ENTREPOT_PASSWORD", hide_env_values = true)]
        password: String,
        /// operator, staff or seller.
        #[arg(long)]
        role: Option<String>,
        /// Staff: a warehouse code; repeat for several.
        #[arg(long)]
        warehouse: Vec<String>,
        /// Staff: may approve.
        #[arg(long)]
        supervisor: bool,
        /// Sellers: manages the client's users.
        #[arg(long)]
        owner: bool,
    },
    /// Every user, or one client's.
    List {
        #[arg(long)]
        client: Option<String>,
    },
    /// Disables a user (by id or name): its sessions end and its tokens are revoked.
    Disable {
        #[arg(long)]
        user: String,
    },
    /// Attaches a warehouse to a staff user (by id or name); `--supervisor` also lets it approve.
    Grant {
        #[arg(long)]
        user: String,
        /// Warehouse code.
        #[arg(long)]
        warehouse: String,
        #[arg(long)]
        supervisor: bool,
    },
    /// Detaches a warehouse from a staff user (by id or name).
    Revoke {
        #[arg(long)]
        user: String,
        /// Warehouse code.
        #[arg(long)]
        warehouse: String,
    },
}

fn cli() -> Actor {
    Actor::system("admin-cli")
}

async fn view(app: &App, u: &UserRecord) -> Value {
    let mut codes = vec![];
    for w in &u.warehouses {
        codes.push(app.cached_warehouse(w).await.map(|w| w.code).unwrap_or_else(|_| w.0.clone()));
    }
    json!({
        "id": u.id,
        "username": u.username,
        "role": u.role().map(|r| r.name().to_owned()).unwrap_or_else(|| u.role_name.clone()),
        "client_id": u.client_id,
        "warehouses": codes,
        "supervisor": u.supervisor,
        "disabled": u.disabled,
    })
}

pub async fn user(app: &App, c: UserCmd) -> anyhow::Result<()> {
    match c {
        UserCmd::Create { client, username, password, role: None, .. } => {
            let client = match client {
                Some(k) => Some(find_client(app, &k).await?.id),
                None => None,
            };
            print(&app.create_user(client.as_ref(), &username, &password).await?)
        }
        UserCmd::Create { client, username, password, role: Some(role), warehouse, supervisor, owner } => {
            let role = match role.as_str() {
                "operator" => Role::Operator,
                "staff" => {
                    let mut warehouses = vec![];
                    for code in &warehouse {
                        warehouses.push(app.warehouse_by_code(code).await?.id);
                    }
                    Role::Staff { warehouses, supervisor }
                }
                "seller" => {
                    let Some(client) = client else { anyhow::bail!("--role seller needs --client") };
                    Role::Seller { client: find_client(app, &client).await?.id, owner }
                }
                other => anyhow::bail!("--role must be operator, staff or seller, not {other}"),
            };
            let u = app.create_person(&cli(), NewUser { username, password, role }).await?;
            print(&view(app, &u).await)
        }
        UserCmd::List { client } => {
            let mut users = app.people(&cli()).await?;
            if let Some(k) = client {
                let id = find_client(app, &k).await?.id;
                users.retain(|u| u.client_id.as_ref() == Some(&id));
            }
            let mut out = vec![];
            for u in &users {
                out.push(view(app, u).await);
            }
            print(&out)
        }
        UserCmd::Disable { user } => {
            let u = app.find_person(&user).await?;
            let u = app.disable_person(&cli(), &UserId(u.id.0)).await?;
            print(&view(app, &u).await)
        }
        UserCmd::Grant { user, warehouse, supervisor } => {
            let u = app.find_person(&user).await?;
            let wh = app.warehouse_by_code(&warehouse).await?;
            let u = app.grant_warehouse(&cli(), &u.id, &wh.id, supervisor).await?;
            print(&view(app, &u).await)
        }
        UserCmd::Revoke { user, warehouse } => {
            let u = app.find_person(&user).await?;
            let wh = app.warehouse_by_code(&warehouse).await?;
            let u = app.revoke_warehouse(&cli(), &u.id, &wh.id).await?;
            print(&view(app, &u).await)
        }
    }
}
