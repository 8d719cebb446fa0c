//! Returns (RMAs): a seller's ERP authorises a return (a RETURN consignment, no delivery service
//! needed), staff receive it by scanning its consignment id or the buyer's tracking number, then
//! run its action. Each method takes the acting user first, so a door (native API, admin CLI,
//! handheld) is a thin call.

use entrepot_core::{
    actor::Actor,
    ids::{ClientId, UnidentifiedReturnId, WarehouseId},
    returns::{Counted, ReturnRates},
    service::Service,
    CoreError, CoreResult,
};
use serde::Serialize;

use crate::{
    types::returns::{ReturnArrival, ReturnCommand, ReturnReceipt, ReturnView, UnidentifiedReturn},
    App,
};

/// What a receiving scan led to: the return it matched, received; or, matching none, an entry in
/// the unidentified returns queue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "result", rename_all = "snake_case")]
pub enum ReturnScan {
    Received(Box<ReturnView>),
    Unidentified(UnidentifiedReturn),
}

impl App {
    /// The service a return authorisation created without a delivery service is carried by: the
    /// internal one of `site`, or of the client's only site when none is named.
    pub async fn return_intake_service(&self, client: &ClientId, site: Option<&WarehouseId>) -> CoreResult<Service> {
        let warehouse = match site {
            Some(w) => w.clone(),
            None => {
                let sites = self.storage.client_warehouses(client).await?;
                match sites.as_slice() {
                    [one] => one.id.clone(),
                    [] => return Err(CoreError::Forbidden("the client is attached to no warehouse".into())),
                    _ => {
                        let codes: Vec<&str> = sites.iter().map(|w| w.code.as_str()).collect();
                        return Err(CoreError::invalid(
                            "company_id",
                            format!(
                                "a return without a delivery service needs its site (company_id): one of {}",
                                codes.join(", ")
                            ),
                        ));
                    }
                }
            }
        };
        self.storage.return_service(&warehouse).await
    }

    /// The returns rate card of `warehouse`: the operator's, else the standard card.
    pub async fn return_rates(&self, warehouse: &WarehouseId) -> CoreResult<ReturnRates> {
        Ok(self.storage.return_rates(warehouse).await?.unwrap_or_else(ReturnRates::standard))
    }

    /// Sets the returns rate card of `warehouse` (an operator's or a supervisor's decision).
    pub async fn set_return_rates(&self, actor: &Actor, warehouse: &WarehouseId, rates: ReturnRates) -> CoreResult<()> {
        actor.require_supervisor()?;
        actor.require_warehouse(warehouse)?;
        self.storage.set_return_rates(actor, warehouse, &rates).await
    }

    /// Staff scan a return at `warehouse` and count it in: `scan` is its consignment id or the
    /// buyer's tracking number. A scan that matches no return authorisation is queued as an
    /// unidentified return instead (the counted units stay off the books until it is matched).
    pub async fn receive_return(
        &self,
        actor: &Actor,
        warehouse: &WarehouseId,
        scan: &str,
        arrival: ReturnArrival,
    ) -> CoreResult<ReturnScan> {
        actor.require_staff()?;
        actor.require_warehouse(warehouse)?;
        let scan = scan.trim();
        if scan.is_empty() || scan.chars().count() > 100 {
            return Err(CoreError::invalid(
                "scan",
                "scan a return's consignment id or tracking number (1-100 characters)",
            ));
        }
        let Some((client, order)) = self.storage.find_return(scan).await? else {
            let u = self.storage.record_unidentified_return(actor, warehouse, scan, arrival.note.as_deref()).await?;
            return Ok(ReturnScan::Unidentified(u));
        };
        actor.require_client(&client)?;
        let v = self.storage.return_view(&client, &order).await?;
        if v.warehouse_id != *warehouse {
            let at = self.storage.cached_warehouse(&v.warehouse_id).await?;
            return Err(CoreError::Conflict(format!("return {} is expected at warehouse {}", v.bird_id, at.code)));
        }
        if arrival.lines.len() > entrepot_core::limits::MAX_LINES {
            return Err(CoreError::invalid("lines", format!("at most {} lines", entrepot_core::limits::MAX_LINES)));
        }
        let mut counted = Vec::with_capacity(arrival.lines.len());
        for (k, l) in arrival.lines.iter().enumerate() {
            let sku = self.storage.resolve_sku(&client, l.sku.trim()).await.map_err(|_| {
                CoreError::invalid(
                    format!("lines[{k}].sku"),
                    format!("'{}' is no SKU of this return's seller; expected {}", l.sku.trim(), expected(&v)),
                )
            })?;
            counted.push(Counted { sku: sku.id, condition: l.condition, qty: l.qty });
        }
        let receipt = ReturnReceipt { counted, note: arrival.note };
        let v = self.storage.receive_return(actor, &client, &order, receipt).await?;
        Ok(ReturnScan::Received(Box::new(v)))
    }

    /// Runs an action on a received return named by `scan` (consignment id or tracking number):
    /// the seller's requested one when `cmd.action` is `None`, an inspection, or staff's decision
    /// after one. Final actions charge the client from its warehouse's [`Self::return_rates`].
    pub async fn run_return_action(&self, actor: &Actor, scan: &str, cmd: ReturnCommand) -> CoreResult<ReturnView> {
        actor.require_staff()?;
        let (client, order) =
            self.storage.find_return(scan).await?.ok_or_else(|| CoreError::not_found("return", scan.trim()))?;
        actor.require_client(&client)?;
        let v = self.storage.return_view(&client, &order).await?;
        actor.require_warehouse(&v.warehouse_id)?;
        let rates = self.return_rates(&v.warehouse_id).await?;
        self.storage.run_return_action(actor, &client, &order, cmd, &rates).await
    }

    /// A return as `actor` may see it (a seller user its own client's only), by consignment id,
    /// order id or tracking number.
    pub async fn return_status(&self, actor: &Actor, key: &str) -> CoreResult<ReturnView> {
        let (client, order) =
            self.storage.find_return(key).await?.ok_or_else(|| CoreError::not_found("return", key.trim()))?;
        if !actor.sees_client(&client) {
            // Another client's return does not exist for this one.
            return Err(CoreError::not_found("return", key.trim()));
        }
        let v = self.storage.return_view(&client, &order).await?;
        if actor.client().is_none() {
            actor.require_warehouse(&v.warehouse_id)?;
        }
        Ok(v)
    }

    /// The unidentified returns queue of `warehouse` (every warehouse the actor sees when `None`).
    pub async fn unidentified_returns(
        &self,
        actor: &Actor,
        warehouse: Option<&WarehouseId>,
    ) -> CoreResult<Vec<UnidentifiedReturn>> {
        actor.require_staff()?;
        if let Some(w) = warehouse {
            actor.require_warehouse(w)?;
        }
        let all = self.storage.unidentified_returns(warehouse).await?;
        Ok(all.into_iter().filter(|u| actor.sees_warehouse(&u.warehouse_id)).collect())
    }

    /// Matches a queued unidentified return to the authorisation a scan names (consignment id or
    /// tracking number), once staff have found it; they then receive it against that return.
    pub async fn match_unidentified_return(
        &self,
        actor: &Actor,
        id: &UnidentifiedReturnId,
        scan: &str,
    ) -> CoreResult<UnidentifiedReturn> {
        actor.require_staff()?;
        let (client, order) =
            self.storage.find_return(scan).await?.ok_or_else(|| CoreError::not_found("return", scan.trim()))?;
        actor.require_client(&client)?;
        let v = self.storage.return_view(&client, &order).await?;
        actor.require_warehouse(&v.warehouse_id)?;
        self.storage.match_unidentified_return(actor, id, &client, &order).await
    }
}

/// The lines a return lists, for a message about a wrong scan.
fn expected(v: &ReturnView) -> String {
    v.lines.iter().map(|l| format!("{} × SKU {}", l.expected, l.sku)).collect::<Vec<_>>().join(", ")
}
