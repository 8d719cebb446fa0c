//! The operator's administration as a signed-in person does it (the web console), not the
//! trusted CLI: every use case here is reached through [`App::admin`], which refuses anyone but
//! an operator administrator before anything is read or changed. The door never decides this.

use entrepot_core::{
    actor::Actor,
    balance::Account,
    company::{Client, Warehouse},
    ids::*,
    location::Location,
    money::{parse_minor, Currency},
    service::Service,
    CoreError, CoreResult,
};

use crate::{
    types::{locations::*, operator::ClientSummary, people::*},
    App,
};

/// Longest note a top-up keeps.
pub const MAX_TOP_UP_NOTE: usize = 200;

/// The operator's administration, for one acting administrator (see [`App::admin`]).
#[derive(Clone, Copy)]
pub struct Admin<'a> {
    app: &'a App,
    actor: &'a Actor,
}

impl App {
    /// The administration use cases for `actor`, refused (`Forbidden`) unless `actor` is an
    /// operator administrator: staff, supervisors and sellers may do none of them.
    pub fn admin<'a>(&'a self, actor: &'a Actor) -> CoreResult<Admin<'a>> {
        actor.require_operator()?;
        Ok(Admin { app: self, actor })
    }
}

/// A top-up typed as a decimal in the currency's major unit (`250.00`), with the note it keeps.
pub fn top_up_amount(currency: &Currency, amount: &str, note: &str) -> CoreResult<(i64, String)> {
    let minor = parse_minor(amount, currency.exponent())?;
    if minor <= 0 {
        return Err(CoreError::invalid("amount", "must be more than zero"));
    }
    let note = note.trim();
    if note.is_empty() || note.chars().count() > MAX_TOP_UP_NOTE || note.chars().any(char::is_control) {
        return Err(CoreError::invalid("note", format!("must be 1 to {MAX_TOP_UP_NOTE} visible characters")));
    }
    Ok((minor, note.to_owned()))
}

/// The company a new client belongs to: that of its sites (all of one company, which
/// [`App::create_client`] checks), else the only company there is.
fn company_of(companies: &[CompanyId], first_site: Option<&Warehouse>) -> CoreResult<CompanyId> {
    match (first_site, companies) {
        (Some(w), _) => Ok(w.company_id.clone()),
        (None, [one]) => Ok(one.clone()),
        (None, _) => Err(CoreError::invalid("sites", "choose at least one site")),
    }
}

impl Admin<'_> {
    /// Every client by name, with the sites it uses and its balance in each currency.
    pub async fn clients(&self) -> CoreResult<Vec<ClientSummary>> {
        let mut out = Vec::new();
        for client in self.app.clients().await? {
            out.push(self.summary(client).await?);
        }
        Ok(out)
    }

    /// One client, with its sites and balances.
    pub async fn client(&self, id: &ClientId) -> CoreResult<ClientSummary> {
        let client = self.app.client(id).await?;
        self.summary(client).await
    }

    async fn summary(&self, client: Client) -> CoreResult<ClientSummary> {
        let sites = self.app.client_warehouses(&client.id).await?;
        let balances = self.app.balances(&client.id).await?;
        Ok(ClientSummary { client, sites, balances })
    }

    /// A new client in `currency` (ISO code) using the sites coded `sites`, all of one company.
    pub async fn create_client(&self, name: &str, currency: &str, sites: &[String]) -> CoreResult<Client> {
        let name = name.trim();
        if name.is_empty() || name.chars().count() > 128 || name.chars().any(char::is_control) {
            return Err(CoreError::invalid("name", "must be 1 to 128 visible characters"));
        }
        let currency = Currency::parse(currency.trim())?;
        let first = match sites.first() {
            Some(code) => Some(self.app.warehouse_by_code(code).await?),
            None => None,
        };
        let companies: Vec<CompanyId> = self.app.companies().await?.into_iter().map(|c| c.id).collect();
        let company = company_of(&companies, first.as_ref())?;
        self.app.create_client(&company, name, &currency, sites).await
    }

    /// Lets `client` use the sites coded `sites` (the store refuses another company's).
    pub async fn attach_sites(&self, client: &ClientId, sites: &[String]) -> CoreResult<()> {
        self.app.attach_client_sites(client, sites).await
    }

    pub async fn detach_sites(&self, client: &ClientId, sites: &[String]) -> CoreResult<()> {
        self.app.detach_client_sites(client, sites).await
    }

    /// Credits `client` with `amount` (a decimal in the major unit of `currency`, default the
    /// client's own) and keeps `note`; the account after the credit.
    pub async fn top_up(
        &self,
        client: &ClientId,
        currency: Option<&str>,
        amount: &str,
        note: &str,
    ) -> CoreResult<(Currency, Account)> {
        let c = self.app.client(client).await?;
        let currency = match currency.map(str::trim).filter(|c| !c.is_empty()) {
            Some(code) => Currency::parse(code)?,
            None => c.currency.clone(),
        };
        let (minor, note) = top_up_amount(&currency, amount, note)?;
        let account = self.app.top_up(&c.id, Some(&currency), minor, &note).await?;
        Ok((currency, account))
    }

    /// Every user.
    pub async fn people(&self) -> CoreResult<Vec<UserRecord>> {
        self.app.people(self.actor).await
    }

    pub async fn create_person(&self, new: NewUser) -> CoreResult<UserRecord> {
        self.app.create_person(self.actor, new).await
    }

    pub async fn disable_person(&self, id: &UserId) -> CoreResult<UserRecord> {
        self.app.disable_person(self.actor, id).await
    }

    pub async fn grant_warehouse(
        &self,
        user: &UserId,
        warehouse: &WarehouseId,
        supervisor: bool,
    ) -> CoreResult<UserRecord> {
        self.app.grant_warehouse(self.actor, user, warehouse, supervisor).await
    }

    pub async fn revoke_warehouse(&self, user: &UserId, warehouse: &WarehouseId) -> CoreResult<UserRecord> {
        self.app.revoke_warehouse(self.actor, user, warehouse).await
    }

    /// Every warehouse, by code.
    pub async fn warehouses(&self) -> CoreResult<Vec<Warehouse>> {
        let mut all = self.app.warehouses().await?;
        all.sort_by(|a, b| a.code.cmp(&b.code));
        Ok(all)
    }

    pub async fn warehouse(&self, code: &str) -> CoreResult<Warehouse> {
        self.app.warehouse_by_code(code.trim()).await
    }

    /// Moves a warehouse's daily cut-off (`HH:MM`, local time).
    pub async fn set_cutoff(&self, code: &str, cutoff: &str) -> CoreResult<Warehouse> {
        self.app.set_warehouse_cutoff(code, cutoff.trim()).await
    }

    /// A page of a warehouse's bins in code order (see [`App::list_locations`]).
    pub async fn locations(&self, f: LocationFilter) -> CoreResult<Vec<Location>> {
        self.app.list_locations(self.actor, f).await
    }

    /// Creates the bins of a range, all or nothing (see [`App::create_location_range`]).
    pub async fn create_location_range(
        &self,
        warehouse: &WarehouseId,
        r: NewLocationRange,
    ) -> CoreResult<Vec<Location>> {
        self.app.create_location_range(self.actor, warehouse, r).await
    }

    /// Every service (of one warehouse, when given), with its rate card.
    pub async fn services(&self, warehouse: Option<&WarehouseId>) -> CoreResult<Vec<Service>> {
        self.app.services(warehouse).await
    }

    /// Stops (or resumes) taking orders on a service; the warehouse and the service as found.
    pub async fn set_service_active(
        &self,
        warehouse_code: &str,
        code: &str,
        active: bool,
    ) -> CoreResult<(Warehouse, Service)> {
        self.app.set_service_active(warehouse_code, code, active).await
    }
}

#[cfg(test)]
mod tests {
    use entrepot_core::actor::Role;

    use super::*;

    fn actor(role: Role) -> Actor {
        Actor { user: Some(UserId::from("usr_1")), name: "someone".into(), role, device: None }
    }

    #[test]
    fn only_operators_administer() {
        // `App::admin` checks exactly this before handing out any use case.
        let wh = vec![WarehouseId::from("wh_1")];
        for role in [
            Role::Staff { warehouses: wh.clone(), supervisor: false },
            Role::Staff { warehouses: wh, supervisor: true },
            Role::Seller { client: ClientId::from("cli_a"), owner: true },
            Role::Seller { client: ClientId::from("cli_a"), owner: false },
        ] {
            let refused = actor(role.clone()).require_operator();
            assert!(matches!(refused, Err(CoreError::Forbidden(_))), "{role:?}");
        }
        assert!(actor(Role::Operator).require_operator().is_ok());
    }

    #[test]
    fn a_top_up_is_a_positive_decimal_in_the_major_unit_with_a_note() {
        let gbp = Currency::parse("GBP").unwrap();
        assert_eq!(top_up_amount(&gbp, " 250.00 ", " bank ref 7 ").unwrap(), (25_000, "bank ref 7".to_owned()));
        assert_eq!(top_up_amount(&gbp, "12.5", "x").unwrap().0, 1_250);
        assert!(top_up_amount(&gbp, "1.005", "x").is_err(), "no rounding of money");
        assert!(top_up_amount(&gbp, "0", "x").is_err());
        assert!(top_up_amount(&gbp, "-5", "x").is_err());
        assert!(top_up_amount(&gbp, "ten", "x").is_err());
        assert!(top_up_amount(&gbp, "10", "  ").is_err(), "a top-up says why");
    }

    #[test]
    fn a_client_belongs_to_its_sites_company_else_the_only_one() {
        let one = vec![CompanyId::from("cmp_1")];
        assert_eq!(company_of(&one, None).unwrap(), CompanyId::from("cmp_1"));
        let two = vec![CompanyId::from("cmp_1"), CompanyId::from("cmp_2")];
        assert!(company_of(&two, None).is_err());
        let mut w = entrepot_core::company::Warehouse {
            id: "wh_1".into(),
            company_id: "cmp_2".into(),
            code: "UK1".into(),
            name: "UK".into(),
            bird_company_id: None,
            oc_region: None,
            country: "GB".into(),
            timezone: "Europe/London".into(),
            cutoff_minutes: 840,
            address: Default::default(),
            calendar: Default::default(),
        };
        assert_eq!(company_of(&two, Some(&w)).unwrap(), CompanyId::from("cmp_2"));
        w.company_id = "cmp_1".into();
        assert_eq!(company_of(&one, Some(&w)).unwrap(), CompanyId::from("cmp_1"));
    }
}
