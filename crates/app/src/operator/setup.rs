//! Companies, warehouses, services, clients and the sites each client may use.

use entrepot_core::{
    calendar::Calendar,
    company::{Client, Company, Warehouse},
    ids::*,
    money::Currency,
    service::Service,
    CoreError, CoreResult,
};

use crate::{types::operator::NewService, App};

impl App {
    /// Every operator company, oldest first.
    pub async fn companies(&self) -> CoreResult<Vec<Company>> {
        self.storage.companies().await
    }

    pub async fn create_company(&self, name: &str) -> CoreResult<Company> {
        self.storage.create_company(name).await
    }

    /// A company by id or name.
    pub async fn find_company(&self, id_or_name: &str) -> CoreResult<Company> {
        self.storage
            .companies()
            .await?
            .into_iter()
            .find(|c| c.id.0 == id_or_name || c.name == id_or_name)
            .ok_or_else(|| CoreError::not_found("company", id_or_name))
    }

    /// Creates a warehouse after the core validated it; `w.id` is replaced by a new id.
    pub async fn create_warehouse(&self, w: Warehouse) -> CoreResult<Warehouse> {
        self.storage.create_warehouse(w).await
    }

    /// Replaces the days warehouse `code` does not ship (closed weekdays and dates); orders
    /// submitted from now on are due on its working days, those submitted before keep their date.
    pub async fn set_warehouse_calendar(&self, code: &str, calendar: &Calendar) -> CoreResult<Warehouse> {
        calendar.validate()?;
        self.storage.set_warehouse_calendar(code, calendar).await
    }

    /// Moves warehouse `code`'s daily cut-off (`HH:MM`, local time); orders submitted before keep
    /// their due dates.
    pub async fn set_warehouse_cutoff(&self, code: &str, cutoff: &str) -> CoreResult<Warehouse> {
        let minutes = entrepot_core::company::parse_cutoff(cutoff)?;
        self.storage.set_warehouse_cutoff(code, minutes).await
    }

    /// A service at the warehouse coded `n.warehouse_code`. Weight bands may be given in any
    /// order (the rate card keeps them ascending) and the carrier in any case.
    pub async fn create_service(&self, mut n: NewService) -> CoreResult<Service> {
        n.rates.bands.sort_by_key(|b| b.up_to_g);
        n.carrier = n.carrier.to_ascii_uppercase();
        self.storage.create_service(n).await
    }

    /// Every service (of one warehouse, when given), by warehouse and code.
    pub async fn services(&self, warehouse: Option<&WarehouseId>) -> CoreResult<Vec<Service>> {
        self.storage.services(warehouse).await
    }

    /// Stops (or resumes) taking orders on the service `code` of the warehouse `warehouse_code`;
    /// returns the two as they were found.
    pub async fn set_service_active(
        &self,
        warehouse_code: &str,
        code: &str,
        active: bool,
    ) -> CoreResult<(Warehouse, Service)> {
        let wh = self.storage.warehouse_by_code(warehouse_code).await?;
        let svc = self.storage.service_by_code(&wh.id, code).await?;
        self.storage.set_service_active(&svc.id, active).await?;
        Ok((wh, svc))
    }

    /// Every client, by name.
    pub async fn clients(&self) -> CoreResult<Vec<Client>> {
        self.storage.clients().await
    }

    /// A client by id or name.
    pub async fn find_client(&self, id_or_name: &str) -> CoreResult<Client> {
        self.storage.find_client(id_or_name).await
    }

    /// A new client of `company`, attached to the sites coded `sites` and to no other. Every
    /// site is checked before the client exists, so an unknown code or another company's site
    /// creates nothing.
    pub async fn create_client(
        &self,
        company: &CompanyId,
        name: &str,
        currency: &Currency,
        sites: &[String],
    ) -> CoreResult<Client> {
        let mut found = Vec::with_capacity(sites.len());
        for code in sites {
            let wh = self.storage.warehouse_by_code(code).await?;
            if wh.company_id != *company {
                return Err(CoreError::Conflict(format!("warehouse {code} belongs to another operator company")));
            }
            found.push(wh);
        }
        let client = self.storage.create_client(company, name, currency).await?;
        for wh in &found {
            self.storage.attach_client_site(&client.id, &wh.id).await?;
        }
        Ok(client)
    }

    /// Lets `client` use the sites coded `sites` (of its own operator company), one by one: an
    /// unknown or refused site stops there.
    pub async fn attach_client_sites(&self, client: &ClientId, sites: &[String]) -> CoreResult<()> {
        for code in sites {
            let wh = self.storage.warehouse_by_code(code).await?;
            self.storage.attach_client_site(client, &wh.id).await?;
        }
        Ok(())
    }

    /// Stops `client` from naming the sites coded `sites`; its orders and stock there stay.
    pub async fn detach_client_sites(&self, client: &ClientId, sites: &[String]) -> CoreResult<()> {
        for code in sites {
            let wh = self.storage.warehouse_by_code(code).await?;
            self.storage.detach_client_site(client, &wh.id).await?;
        }
        Ok(())
    }
}
