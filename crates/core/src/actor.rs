//! Who performs an action, and where: every floor action carries an [`Actor`], so the audit
//! trail can answer a seller's dispute or an operator's investigation (who, when, which
//! warehouse, which device), and every use case can refuse what the actor may not touch.
//!
//! Scope is decided here once: staff see their warehouses only, seller users their client only,
//! operator admins everything. Doors build the actor from a session or a token; they never
//! decide scope themselves.

use serde::{Deserialize, Serialize};

use crate::{
    ids::{ClientId, UserId, WarehouseId},
    CoreError, CoreResult,
};

/// What a user is, with what it is attached to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Role {
    /// The operator company's administrators: every warehouse and client.
    Operator,
    /// Warehouse staff, attached to one or more warehouses; supervisors approve (variances,
    /// weight holds, overrides).
    Staff { warehouses: Vec<WarehouseId>, supervisor: bool },
    /// A seller's user, attached to one client; owners manage the client's users and keys.
    Seller { client: ClientId, owner: bool },
    /// The system itself (workers, the admin CLI, a dialect acting for a client's ERP).
    System,
}

impl Role {
    /// The stable name stored with a user and shown in the audit trail.
    pub fn name(&self) -> &'static str {
        match self {
            Role::Operator => "operator",
            Role::Staff { supervisor: true, .. } => "supervisor",
            Role::Staff { .. } => "staff",
            Role::Seller { owner: true, .. } => "seller_owner",
            Role::Seller { .. } => "seller",
            Role::System => "system",
        }
    }
}

/// The acting user of one request: who, in what role, from which device.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Actor {
    /// `None` for the system.
    pub user: Option<UserId>,
    /// The username (or the system part's name, e.g. `admin-cli`), kept in the audit trail so
    /// it still reads after the user is deleted.
    pub name: String,
    pub role: Role,
    /// The handheld or browser the action came from (a token's label, a device id header).
    pub device: Option<String>,
}

impl Actor {
    /// The system acting as `name` (the admin CLI, a worker, a dialect).
    pub fn system(name: &str) -> Self {
        Self { user: None, name: name.to_owned(), role: Role::System, device: None }
    }

    /// Whether this actor may act in `warehouse`.
    pub fn sees_warehouse(&self, warehouse: &WarehouseId) -> bool {
        match &self.role {
            Role::Operator | Role::System => true,
            Role::Staff { warehouses, .. } => warehouses.contains(warehouse),
            Role::Seller { .. } => false,
        }
    }

    /// Whether this actor may read or act on `client`'s data. Staff act on every client's goods
    /// in their warehouses (they receive and pick for all of them).
    pub fn sees_client(&self, client: &ClientId) -> bool {
        match &self.role {
            Role::Operator | Role::System | Role::Staff { .. } => true,
            Role::Seller { client: c, .. } => c == client,
        }
    }

    /// Refuses unless this actor may act in `warehouse`. The message names no other warehouse.
    pub fn require_warehouse(&self, warehouse: &WarehouseId) -> CoreResult<()> {
        if self.sees_warehouse(warehouse) {
            Ok(())
        } else {
            Err(CoreError::Forbidden(format!("{} may not act in this warehouse", self.name)))
        }
    }

    /// Refuses unless this actor may act on `client`'s data.
    pub fn require_client(&self, client: &ClientId) -> CoreResult<()> {
        if self.sees_client(client) {
            Ok(())
        } else {
            Err(CoreError::Forbidden(format!("{} may not act for this client", self.name)))
        }
    }

    /// Refuses unless this actor is warehouse staff (or above).
    pub fn require_staff(&self) -> CoreResult<()> {
        match self.role {
            Role::Operator | Role::System | Role::Staff { .. } => Ok(()),
            Role::Seller { .. } => Err(CoreError::Forbidden("this needs warehouse staff".into())),
        }
    }

    /// Refuses unless this actor is one of the operator's administrators (or the system, as the
    /// admin CLI acts): setting up clients, people, warehouses and services.
    pub fn require_operator(&self) -> CoreResult<()> {
        match self.role {
            Role::Operator | Role::System => Ok(()),
            _ => Err(CoreError::Forbidden("this needs an operator administrator".into())),
        }
    }

    /// Refuses unless this actor may approve (a supervisor, an operator admin or the system).
    pub fn require_supervisor(&self) -> CoreResult<()> {
        match self.role {
            Role::Operator | Role::System | Role::Staff { supervisor: true, .. } => Ok(()),
            _ => Err(CoreError::Forbidden("this needs a supervisor's approval".into())),
        }
    }

    /// The client a seller user is bound to; `None` for staff, operators and the system.
    pub fn client(&self) -> Option<&ClientId> {
        match &self.role {
            Role::Seller { client, .. } => Some(client),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn staff(whs: &[&str], supervisor: bool) -> Actor {
        Actor {
            user: Some(UserId::from("usr_1")),
            name: "picker".into(),
            role: Role::Staff { warehouses: whs.iter().map(|w| WarehouseId::from(*w)).collect(), supervisor },
            device: None,
        }
    }

    #[test]
    fn staff_see_their_warehouses_only() {
        let a = staff(&["wh_uk"], false);
        assert!(a.require_warehouse(&WarehouseId::from("wh_uk")).is_ok());
        assert!(a.require_warehouse(&WarehouseId::from("wh_de")).is_err());
        assert!(a.require_supervisor().is_err());
        assert!(staff(&[], true).require_supervisor().is_ok());
        assert!(staff(&["wh_uk"], true).require_operator().is_err(), "a supervisor is no operator");
    }

    #[test]
    fn sellers_see_their_client_only() {
        let a = Actor {
            user: None,
            name: "seller".into(),
            role: Role::Seller { client: ClientId::from("cli_a"), owner: false },
            device: None,
        };
        assert!(a.require_client(&ClientId::from("cli_a")).is_ok());
        assert!(a.require_client(&ClientId::from("cli_b")).is_err());
        assert!(a.require_staff().is_err());
        assert!(a.require_operator().is_err());
        assert!(a.require_warehouse(&WarehouseId::from("wh_uk")).is_err());
    }
}
