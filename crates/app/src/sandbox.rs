//! The sandbox an ERP integrates against (OC's own process, seed §3): sandbox credentials (OC
//! apps registered as SANDBOX, Bird test keys) act on the client's sandbox twin, a client of its
//! own with copies of the live client's SKUs, play stock and a play balance, never on live rows.
//! Each successful call is counted per app; the report held against the dialect's checklist is
//! what the operator promotes an app to production on.
//!
//! Which route is which operation is each dialect's to say ([`OC_CHECKLIST`] and
//! [`BIRD_CHECKLIST`] name the operations they record).

use entrepot_core::{
    actor::Actor,
    ids::{ClientId, OrderId},
    outbound::OutboundStatus,
    CoreError, CoreResult,
};

use crate::{
    types::{
        auth::ErpApp,
        operator::{ApiKeyCreated, ErpAppCreated, NewErpApp},
        sandbox::{ReportLine, SandboxReport},
    },
    App,
};

/// What an OC integration is expected to have called successfully in sandbox before it is
/// promoted: the token flow, SKUs, stock, services, outbound and inbound orders.
pub const OC_CHECKLIST: &[(&str, &str)] = &[
    ("oauth.token", "get an access token with an authorization code"),
    ("oauth.refresh", "refresh the access token"),
    ("sku.create", "create a SKU"),
    ("sku.query", "query SKUs"),
    ("inventory.query", "query stock"),
    ("service.list", "list the services"),
    ("outbound.create", "place an outbound order"),
    ("outbound.query", "query outbound orders"),
    ("outbound.cancel", "cancel an outbound order"),
    ("inbound.create", "create an inbound order"),
    ("inbound.tracking", "upload an inbound's tracking numbers"),
    ("inbound.files", "upload an inbound's customs clearance files"),
    ("inbound.query", "query inbound orders"),
];

/// What a Bird integration is expected to have called successfully with its test key: the three
/// ways of creating consignments, reading them back, and webhooks.
pub const BIRD_CHECKLIST: &[(&str, &str)] = &[
    ("consignment.create", "create a consignment (method A)"),
    ("consignment.product", "add a product to a consignment (method A)"),
    ("consignment.status", "submit or cancel consignments"),
    ("temp.upload", "upload temporary consignments (method B)"),
    ("temp.convert", "convert temporary consignments (method B)"),
    ("pending.create", "create pending consignments with products (method C)"),
    ("consignment.query", "read consignments back"),
    ("webhook.create", "register a webhook"),
];

/// How long a sandbox order waits before the sandbox floor ships it.
pub const SANDBOX_SHIP_AFTER_MS: i64 = 3_000;

/// The verification-report app name of a client's Bird test key.
pub fn bird_app(live: &ClientId) -> String {
    format!("bird:{}", live.0)
}

impl App {
    /// The live client `client` stands in for, when it is a sandbox twin.
    pub async fn sandbox_of(&self, client: &ClientId) -> CoreResult<Option<ClientId>> {
        self.storage.sandbox_of(client).await
    }

    /// The client's sandbox twin, made on first use.
    pub async fn sandbox_twin(&self, live: &ClientId) -> CoreResult<ClientId> {
        self.storage.sandbox_twin(live).await
    }

    /// Starts the client's sandbox again: a fresh twin (SKUs copied again, play stock and
    /// balance), its test keys and webhooks moved to it.
    pub async fn reset_sandbox(&self, live: &ClientId) -> CoreResult<ClientId> {
        self.storage.reset_sandbox(live).await
    }

    /// A Bird test key for the client: it acts on the client's sandbox twin.
    pub async fn create_test_api_key(&self, live: &ClientId, label: &str) -> CoreResult<ApiKeyCreated> {
        let twin = self.storage.sandbox_twin(live).await?;
        self.storage.create_api_key(&twin, label).await
    }

    /// Counts a successful sandbox call of `operation` by `app`.
    pub async fn record_sandbox_call(&self, app: &str, operation: &str) -> CoreResult<()> {
        self.storage.record_sandbox_call(app, operation).await
    }

    /// `app`'s verification report against `checklist`.
    pub async fn sandbox_report(
        &self,
        app: &str,
        checklist: &[(&'static str, &'static str)],
    ) -> CoreResult<SandboxReport> {
        let calls = self.storage.sandbox_calls(app).await?;
        let lines: Vec<ReportLine> = checklist
            .iter()
            .map(|(operation, label)| {
                let done = calls.iter().find(|c| c.operation == *operation);
                ReportLine {
                    operation,
                    label,
                    calls: done.map(|c| c.calls).unwrap_or(0),
                    last_at_ms: done.map(|c| c.last_at_ms),
                }
            })
            .collect();
        let complete = lines.iter().all(|l| l.calls > 0);
        Ok(SandboxReport { app: app.to_owned(), lines, complete })
    }

    /// The reports of the client's sandbox OC apps (not revoked), then of its Bird test key.
    pub async fn sandbox_reports(&self, live: &ClientId) -> CoreResult<Vec<(Option<ErpApp>, SandboxReport)>> {
        let mut out = vec![];
        for app in self.storage.erp_apps_of(live).await? {
            if app.environment == "SANDBOX" && !app.revoked {
                let report = self.sandbox_report(&app.id.0, OC_CHECKLIST).await?;
                out.push((Some(app), report));
            }
        }
        out.push((None, self.sandbox_report(&bird_app(live), BIRD_CHECKLIST).await?));
        Ok(out)
    }

    /// The seller's own sandbox reports (see [`Self::sandbox_reports`]).
    pub async fn seller_sandbox_reports(&self, actor: &Actor) -> CoreResult<Vec<(Option<ErpApp>, SandboxReport)>> {
        self.sandbox_reports(crate::integrations::seller(actor)?).await
    }

    /// A Bird test key an owner makes for the seller's ERP, shown in the answer once.
    pub async fn create_seller_test_key(&self, actor: &Actor, label: &str) -> CoreResult<ApiKeyCreated> {
        let client = crate::integrations::owner(actor)?;
        let label = crate::integrations::key_label(label)?;
        self.create_test_api_key(client, label).await
    }

    /// An owner starts the seller's sandbox again (see [`Self::reset_sandbox`]).
    pub async fn reset_seller_sandbox(&self, actor: &Actor) -> CoreResult<ClientId> {
        self.reset_sandbox(crate::integrations::owner(actor)?).await
    }

    /// Issues production credentials for a sandbox OC app whose report is complete (or, with
    /// `force`, whatever it says): a new PRODUCTION app of the same client, name, kind and
    /// redirect URI. The sandbox app stays.
    pub async fn promote_erp_app(&self, client_key: &str, force: bool) -> CoreResult<ErpAppCreated> {
        let app = self
            .storage
            .erp_app_by_key(client_key)
            .await?
            .ok_or_else(|| CoreError::not_found("ERP app", client_key))?;
        if app.environment != "SANDBOX" || app.revoked {
            return Err(CoreError::Conflict(format!("app {} is not a live sandbox app", app.name)));
        }
        let report = self.sandbox_report(&app.id.0, OC_CHECKLIST).await?;
        if !report.complete && !force {
            return Err(CoreError::Conflict(format!(
                "app {} has not yet called in sandbox: {}",
                app.name,
                report.missing().join(", ")
            )));
        }
        self.storage
            .create_erp_app(NewErpApp {
                client_id: app.client_id,
                name: app.name,
                kind: app.kind,
                environment: "PRODUCTION".into(),
                redirect_uri: app.redirect_uri,
            })
            .await
    }

    /// The sandbox floor: ships the twins' orders submitted more than
    /// [`SANDBOX_SHIP_AFTER_MS`] ago (no one picks them), so an ERP sees its orders move on and
    /// their tracking begin. How many it shipped.
    pub async fn ship_sandbox_orders(&self, now_ms: i64) -> CoreResult<usize> {
        let due = self.storage.sandbox_orders_due(now_ms - SANDBOX_SHIP_AFTER_MS, 50).await?;
        let mut shipped = 0;
        for (client, order) in due {
            // One that cannot move (cancelled meanwhile) is left; the next pass sees it again.
            if self.ship_sandbox_order(&client, &order).await.is_ok() {
                shipped += 1;
            }
        }
        Ok(shipped)
    }

    async fn ship_sandbox_order(&self, client: &ClientId, order: &OrderId) -> CoreResult<()> {
        for to in
            [OutboundStatus::WaitPicking, OutboundStatus::Picking, OutboundStatus::Packed, OutboundStatus::Shipped]
        {
            self.storage.transition_order(client, order, to).await?;
        }
        Ok(())
    }
}
