//! The store as the use-case layer's storage: each port of `entrepot_app::ports` by delegation
//! to the inherent methods, with errors mapped once (see `error`).

use std::{
    collections::{BTreeMap, HashMap},
    sync::Arc,
};

use async_trait::async_trait;
use entrepot_app::ports::*;
use entrepot_core::{
    company::{Client, Warehouse},
    ids::*,
    login_throttle::Limits,
    oauth::{AccessRecord, OauthRefusal},
    outbound::{NewOutbound, OrderKind, OutboundStatus},
    service::Service,
    share::ShareWith,
    sku::Sku,
    CoreResult,
};
use serde_json::Value;

use entrepot_app::types::{
    auth::*, booking::*, inbound::*, orders::*, receiving::*, reference::*, skus::*, stock::*, tasks::*, temp::*,
    webhooks::*,
};

use crate::Store;

impl Storage for Store {}

#[async_trait]
impl SkuPort for Store {
    async fn create_skus(&self, tenant: &ClientId, new: Vec<NewSku>) -> CoreResult<Vec<Sku>> {
        Ok(Store::create_skus(self, tenant, new).await?)
    }
    async fn create_sku_once(
        &self,
        tenant: &ClientId,
        n: NewSku,
        oc_details: Option<&Value>,
    ) -> CoreResult<SkuCreation> {
        Ok(Store::create_sku_once(self, tenant, n, oc_details).await?)
    }
    async fn list_skus(&self, tenant: &ClientId, f: &SkuFilter) -> CoreResult<(Vec<Sku>, i64)> {
        Ok(Store::list_skus(self, tenant, f).await?)
    }
    async fn resolve_sku(&self, tenant: &ClientId, key: &str) -> CoreResult<Sku> {
        Ok(Store::resolve_sku(self, tenant, key).await?)
    }
    async fn set_sku_active(&self, tenant: &ClientId, id: SkuId, active: bool) -> CoreResult<Sku> {
        Ok(Store::set_sku_active(self, tenant, id, active).await?)
    }
    async fn sku(&self, tenant: &ClientId, id: SkuId) -> CoreResult<Sku> {
        Ok(Store::sku(self, tenant, id).await?)
    }
    async fn sku_extras(&self, tenant: &ClientId, ids: &[SkuId]) -> CoreResult<HashMap<SkuId, SkuExtras>> {
        Ok(Store::sku_extras(self, tenant, ids).await?)
    }
    async fn skus_by_ids(&self, tenant: &ClientId, ids: &[SkuId]) -> CoreResult<Vec<Sku>> {
        Ok(Store::skus_by_ids(self, tenant, ids).await?)
    }
    async fn skus_by_seller_skus(&self, tenant: &ClientId, seller_skus: &[String]) -> CoreResult<Vec<Sku>> {
        Ok(Store::skus_by_seller_skus(self, tenant, seller_skus).await?)
    }
    async fn update_sku(&self, tenant: &ClientId, id: SkuId, n: NewSku) -> CoreResult<Sku> {
        Ok(Store::update_sku(self, tenant, id, n).await?)
    }
    async fn share_sku(&self, owner: &ClientId, id: SkuId, with: &ShareWith) -> CoreResult<()> {
        Ok(Store::share_sku(self, owner, id, with).await?)
    }
    async fn unshare_sku(&self, owner: &ClientId, id: SkuId, with: &ShareWith) -> CoreResult<bool> {
        Ok(Store::unshare_sku(self, owner, id, with).await?)
    }
    async fn sku_shares(
        &self,
        owner: &ClientId,
        ids: &[SkuId],
    ) -> CoreResult<std::collections::BTreeMap<SkuId, Vec<ShareWith>>> {
        Ok(Store::sku_shares(self, owner, ids).await?)
    }
    async fn skus_shared_with(&self, tenant: &ClientId, ids: &[SkuId]) -> CoreResult<Vec<Sku>> {
        Ok(Store::skus_shared_with(self, tenant, ids).await?)
    }
}

#[async_trait]
impl OrderPort for Store {
    async fn add_order_line(
        &self,
        tenant: &ClientId,
        id: &OrderId,
        sku: SkuId,
        qty: i64,
        sale: entrepot_core::sale::LineSale,
    ) -> CoreResult<OrderLine> {
        Ok(Store::add_order_line(self, tenant, id, sku, qty, sale).await?)
    }
    async fn find_order(&self, tenant: &ClientId, key: &str) -> CoreResult<OrderView> {
        Ok(Store::find_order(self, tenant, key).await?)
    }
    async fn list_orders(&self, tenant: &ClientId, f: &OrderFilter) -> CoreResult<(Vec<OrderView>, i64)> {
        Ok(Store::list_orders(self, tenant, f).await?)
    }
    async fn due_counts(
        &self,
        tenant: &ClientId,
        from: &str,
        to: &str,
    ) -> CoreResult<Vec<entrepot_app::types::dashboard::DueCount>> {
        Ok(Store::due_counts(self, tenant, from, to).await?)
    }
    async fn ship_days(
        &self,
        tenant: &ClientId,
        from: &str,
        to: &str,
    ) -> CoreResult<Vec<entrepot_app::types::dashboard::ShipDay>> {
        Ok(Store::ship_days(self, tenant, from, to).await?)
    }
    async fn staff_queue(&self, warehouse: &WarehouseId, limit: i64) -> CoreResult<Vec<StaffQueueItem>> {
        Ok(Store::staff_queue(self, warehouse, limit).await?)
    }
    async fn order_lines(&self, tenant: &ClientId, id: &OrderId) -> CoreResult<Vec<OrderLine>> {
        Ok(Store::order_lines(self, tenant, id).await?)
    }
    async fn write_orders(&self, tenant: &ClientId, batch: OrderWrite, submit: bool) -> CoreResult<Vec<OrderView>> {
        Ok(Store::write_orders(self, tenant, batch, submit).await?)
    }
    async fn remove_order_line(&self, tenant: &ClientId, line_id: i64) -> CoreResult<()> {
        Ok(Store::remove_order_line(self, tenant, line_id).await?)
    }
    async fn transition_order(&self, tenant: &ClientId, id: &OrderId, to: OutboundStatus) -> CoreResult<OrderView> {
        Ok(Store::transition_order(self, tenant, id, to).await?)
    }
    async fn transition_orders(
        &self,
        tenant: &ClientId,
        ids: &[OrderId],
        to: OutboundStatus,
    ) -> CoreResult<Vec<OrderView>> {
        Ok(Store::transition_orders(self, tenant, ids, to).await?)
    }
    async fn cancel_order(&self, tenant: &ClientId, id: &OrderId, reason: Option<&str>) -> CoreResult<OrderView> {
        Ok(Store::cancel_order(self, tenant, id, reason).await?)
    }
    async fn request_intercept(&self, tenant: &ClientId, id: &OrderId, reason: Option<&str>) -> CoreResult<OrderView> {
        Ok(Store::request_intercept(self, tenant, id, reason).await?)
    }
    async fn intercept_of(&self, id: &OrderId) -> CoreResult<Option<String>> {
        Ok(Store::intercept_of(self, id).await?)
    }
    async fn resolve_intercept(
        &self,
        actor: &entrepot_core::actor::Actor,
        tenant: &ClientId,
        id: &OrderId,
        accept: bool,
    ) -> CoreResult<OrderView> {
        Ok(Store::resolve_intercept(self, actor, tenant, id, accept).await?)
    }
    async fn requeue_exception(
        &self,
        actor: &entrepot_core::actor::Actor,
        tenant: &ClientId,
        id: &OrderId,
    ) -> CoreResult<OrderView> {
        Ok(Store::requeue_exception(self, actor, tenant, id).await?)
    }
    async fn update_draft(
        &self,
        tenant: &ClientId,
        id: &OrderId,
        new: NewOutbound,
        service: &ServiceId,
    ) -> CoreResult<OrderView> {
        Ok(Store::update_draft(self, tenant, id, new, service).await?)
    }
    async fn booking_error(&self, tenant: &ClientId, id: &OrderId) -> CoreResult<Option<String>> {
        Ok(Store::booking_error(self, tenant, id).await?)
    }
    async fn order_label(&self, tenant: &ClientId, id: &OrderId) -> CoreResult<Option<Vec<u8>>> {
        Ok(Store::order_label(self, tenant, id).await?)
    }
}

#[async_trait]
impl BookingPort for Store {
    async fn claim_booking_of(
        &self,
        tenant: &ClientId,
        id: &OrderId,
        owner: &str,
        lease_ms: i64,
    ) -> CoreResult<Option<BookingClaim>> {
        Ok(Store::claim_booking_of(self, tenant, id, owner, lease_ms).await?)
    }
    async fn claim_bookings(&self, owner: &str, lease_ms: i64, max: usize) -> CoreResult<Vec<BookingClaim>> {
        Ok(Store::claim_bookings(self, owner, lease_ms, max).await?)
    }
    async fn defer_booking(&self, id: &OrderId, owner: &str, retry_at_ms: i64, error: &str) -> CoreResult<bool> {
        Ok(Store::defer_booking(self, id, owner, retry_at_ms, error).await?)
    }
    async fn finish_bookings(&self, owner: &str, done: Vec<FinishedBooking>) -> CoreResult<Vec<bool>> {
        Ok(Store::finish_bookings(self, owner, done).await?)
    }
    async fn refuse_booking(&self, id: &OrderId, owner: &str, reason: &str) -> CoreResult<bool> {
        Ok(Store::refuse_booking(self, id, owner, reason).await?)
    }
    async fn release_bookings(&self, owner: &str, ids: &[OrderId]) -> CoreResult<u64> {
        Ok(Store::release_bookings(self, owner, ids).await?)
    }
}

#[async_trait]
impl StockPort for Store {
    async fn stock_days(&self, tenant: &ClientId, from: &str) -> CoreResult<Vec<(String, i64)>> {
        Ok(Store::stock_days(self, tenant, from).await?)
    }
    async fn movements(
        &self,
        tenant: &ClientId,
        skus: &[SkuId],
        from_ms: i64,
        to_ms: i64,
    ) -> CoreResult<Vec<Movement>> {
        Ok(Store::movements(self, tenant, skus, from_ms, to_ms).await?)
    }
    async fn latest_movements(&self, tenant: &ClientId, sku: SkuId, limit: i64) -> CoreResult<Vec<Movement>> {
        Ok(Store::latest_movements(self, tenant, sku, limit).await?)
    }
    async fn stock(
        &self,
        tenant: &ClientId,
        skus: &[SkuId],
        warehouse: Option<&WarehouseId>,
    ) -> CoreResult<Vec<StockRow>> {
        Ok(Store::stock(self, tenant, skus, warehouse).await?)
    }
    async fn stock_page(
        &self,
        tenant: &ClientId,
        skus: &[SkuId],
        warehouses: &[WarehouseId],
        offset: i64,
        limit: i64,
    ) -> CoreResult<(Vec<StockRow>, i64)> {
        Ok(Store::stock_page(self, tenant, skus, warehouses, offset, limit).await?)
    }
    async fn age_ledger(
        &self,
        tenant: &ClientId,
        skus: &[SkuId],
        warehouses: &[WarehouseId],
    ) -> CoreResult<Vec<AgeLedgerRow>> {
        Ok(Store::age_ledger(self, tenant, skus, warehouses).await?)
    }
}

#[async_trait]
impl InboundPort for Store {
    async fn add_inbound_tracking(&self, tenant: &ClientId, key: &str, numbers: &[String]) -> CoreResult<InboundView> {
        Ok(Store::add_inbound_tracking(self, tenant, key, numbers).await?)
    }
    async fn add_inbound_clearance_docs(
        &self,
        tenant: &ClientId,
        key: &str,
        types: &[String],
    ) -> CoreResult<InboundView> {
        Ok(Store::add_inbound_clearance_docs(self, tenant, key, types).await?)
    }
    async fn create_inbound(&self, tenant: &ClientId, n: NewInbound) -> CoreResult<InboundView> {
        Ok(Store::create_inbound(self, tenant, n).await?)
    }
    async fn create_inbounds(&self, tenant: &ClientId, batch: Vec<NewInbound>) -> CoreResult<Vec<InboundView>> {
        Ok(Store::create_inbounds(self, tenant, batch).await?)
    }
    async fn find_inbound(&self, tenant: &ClientId, key: &str) -> CoreResult<InboundView> {
        Ok(Store::find_inbound(self, tenant, key).await?)
    }
    async fn generated_inbound_reference(&self, prefix: &str) -> CoreResult<String> {
        Ok(Store::generated_inbound_reference(self, prefix).await?)
    }
    async fn inbound_references_taken(&self, tenant: &ClientId, references: &[String]) -> CoreResult<Vec<String>> {
        Ok(Store::inbound_references_taken(self, tenant, references).await?)
    }
    async fn list_inbounds(
        &self,
        tenant: &ClientId,
        numbers: &[String],
        offset: i64,
        limit: i64,
    ) -> CoreResult<(Vec<InboundView>, i64)> {
        Ok(Store::list_inbounds(self, tenant, numbers, offset, limit).await?)
    }
    async fn search_inbounds(&self, tenant: &ClientId, f: &InboundSearch) -> CoreResult<(Vec<InboundView>, i64)> {
        Ok(Store::search_inbounds(self, tenant, f).await?)
    }
    async fn update_inbound_details(
        &self,
        tenant: &ClientId,
        key: &str,
        f: &(dyn for<'v> Fn(&'v mut Value) -> CoreResult<()> + Send + Sync),
    ) -> CoreResult<Value> {
        Ok(Store::update_inbound_details(self, tenant, key, f).await?)
    }
}

#[async_trait]
impl AuthPort for Store {
    async fn access_token(&self, token: &str) -> CoreResult<Option<AccessRecord>> {
        Ok(Store::access_token(self, token).await?)
    }
    async fn client(&self, id: &ClientId) -> CoreResult<Client> {
        Ok(Store::client(self, id).await?)
    }
    async fn client_users(&self, client: &ClientId) -> CoreResult<Vec<User>> {
        Ok(Store::client_users(self, client).await?)
    }
    async fn client_by_api_key(&self, key: &str) -> CoreResult<Option<ClientId>> {
        Ok(Store::client_by_api_key(self, key).await?)
    }
    async fn erp_app_by_key(&self, client_key: &str) -> CoreResult<Option<ErpApp>> {
        Ok(Store::erp_app_by_key(self, client_key).await?)
    }
    async fn exchange_authorization_code(
        &self,
        client_key: &str,
        code: &str,
        redirect_uri: Option<&str>,
    ) -> CoreResult<Result<TokenPair, OauthRefusal>> {
        Ok(Store::exchange_authorization_code(self, client_key, code, redirect_uri).await?)
    }
    async fn issue_authorization_code(
        &self,
        app: &ErpApp,
        client: &ClientId,
        user: &UserId,
        redirect_uri: &str,
    ) -> CoreResult<String> {
        Ok(Store::issue_authorization_code(self, app, client, user, redirect_uri).await?)
    }
    async fn login_attempt(&self, subjects: &[(String, Limits)]) -> CoreResult<LoginVerdicts> {
        Ok(Store::login_attempt(self, subjects).await?)
    }
    async fn login_form_secret(&self) -> CoreResult<[u8; 32]> {
        Ok(Store::login_form_secret(self).await?)
    }
    async fn login_succeeded(&self, user: &str, address: Option<&str>) -> CoreResult<()> {
        Ok(Store::login_succeeded(self, user, address).await?)
    }
    async fn refresh_access_token(
        &self,
        client_key: &str,
        refresh_token: &str,
    ) -> CoreResult<Result<TokenPair, OauthRefusal>> {
        Ok(Store::refresh_access_token(self, client_key, refresh_token).await?)
    }
    async fn verify_user(&self, username: &str, password: &str) -> CoreResult<Option<User>> {
        Ok(Store::verify_user(self, username, password).await?)
    }
}

#[async_trait]
impl WebhookPort for Store {
    async fn active_webhooks(&self, client: &ClientId) -> CoreResult<Vec<Webhook>> {
        Ok(Store::active_webhooks(self, client).await?)
    }
    async fn claim_delivery_except(
        &self,
        owner: &str,
        lease_ms: i64,
        busy: &[i64],
    ) -> CoreResult<Option<(Delivery, Webhook)>> {
        Ok(Store::claim_delivery_except(self, owner, lease_ms, busy).await?)
    }
    async fn create_webhook(&self, tenant: &ClientId, n: NewWebhook) -> CoreResult<Webhook> {
        Ok(Store::create_webhook(self, tenant, n).await?)
    }
    async fn delete_webhooks(&self, tenant: &ClientId, ids: &[i64]) -> CoreResult<()> {
        Ok(Store::delete_webhooks(self, tenant, ids).await?)
    }
    async fn disable_if_failing(&self, webhook_id: i64, after_ms: i64) -> CoreResult<bool> {
        Ok(Store::disable_if_failing(self, webhook_id, after_ms).await?)
    }
    async fn events_to_fan_out(&self, limit: i64) -> CoreResult<Vec<OutboxEvent>> {
        Ok(Store::events_to_fan_out(self, limit).await?)
    }
    async fn fan_out_event(&self, event: &OutboxEvent, deliveries: &[NewDelivery]) -> CoreResult<bool> {
        Ok(Store::fan_out_event(self, event, deliveries).await?)
    }
    async fn finish_attempt(&self, id: i64, owner: &str, o: &AttemptOutcome) -> CoreResult<bool> {
        Ok(Store::finish_attempt(self, id, owner, o).await?)
    }
    async fn prune_webhook_deliveries(&self, before_ms: i64) -> CoreResult<u64> {
        Ok(Store::prune_webhook_deliveries(self, before_ms).await?)
    }
    async fn skip_events(&self, ids: &[String]) -> CoreResult<u64> {
        Ok(Store::skip_events(self, ids).await?)
    }
    async fn update_webhook(&self, tenant: &ClientId, id: i64, c: WebhookChange) -> CoreResult<Webhook> {
        Ok(Store::update_webhook(self, tenant, id, c).await?)
    }
    async fn webhook(&self, tenant: &ClientId, id: i64) -> CoreResult<Webhook> {
        Ok(Store::webhook(self, tenant, id).await?)
    }
    async fn webhook_deliveries(&self, tenant: &ClientId, f: &DeliveryFilter) -> CoreResult<(Vec<Delivery>, i64)> {
        Ok(Store::webhook_deliveries(self, tenant, f).await?)
    }
    async fn webhooks(&self, tenant: &ClientId, dialect: &str, ids: &[i64]) -> CoreResult<Vec<Webhook>> {
        Ok(Store::webhooks(self, tenant, dialect, ids).await?)
    }
    async fn webhook_summaries(&self, tenant: &ClientId, limit: i64) -> CoreResult<Vec<WebhookSummary>> {
        Ok(Store::webhook_summaries(self, tenant, limit).await?)
    }
    async fn queue_delivery(&self, tenant: &ClientId, event_id: &str, d: &NewDelivery) -> CoreResult<Option<Delivery>> {
        Ok(Store::queue_delivery(self, tenant, event_id, d).await?)
    }
    async fn replay_delivery(&self, tenant: &ClientId, webhook_id: i64, id: i64) -> CoreResult<bool> {
        Ok(Store::replay_delivery(self, tenant, webhook_id, id).await?)
    }
}

#[async_trait]
impl TaskPort for Store {
    async fn claim_task(&self, kinds: &[&str], owner: &str, lease_ms: i64) -> CoreResult<Option<Task>> {
        Ok(Store::claim_task(self, kinds, owner, lease_ms).await?)
    }
    async fn enqueue_task(
        &self,
        client: Option<&ClientId>,
        kind: &str,
        params: serde_json::Value,
        total: i64,
    ) -> CoreResult<Task> {
        Ok(Store::enqueue_task(self, client, kind, params, total).await?)
    }
    async fn finish_task(&self, id: i64, owner: &str, error: Option<&str>) -> CoreResult<()> {
        Ok(Store::finish_task(self, id, owner, error).await?)
    }
    async fn record_task_progress(
        &self,
        id: i64,
        owner: &str,
        data: &BTreeMap<String, String>,
        errors: &BTreeMap<String, String>,
    ) -> CoreResult<bool> {
        Ok(Store::record_task_progress(self, id, owner, data, errors).await?)
    }
    async fn renew_task(&self, id: i64, owner: &str, lease_ms: i64) -> CoreResult<bool> {
        Ok(Store::renew_task(self, id, owner, lease_ms).await?)
    }
    async fn task(&self, client: Option<&ClientId>, id: i64) -> CoreResult<Task> {
        Ok(Store::task(self, client, id).await?)
    }
}

#[async_trait]
impl TempPort for Store {
    async fn create_temp_consignments(
        &self,
        tenant: &ClientId,
        warehouse: &WarehouseId,
        rows: Vec<(OrderKind, Option<String>, serde_json::Value)>,
    ) -> CoreResult<Vec<i64>> {
        Ok(Store::create_temp_consignments(self, tenant, warehouse, rows).await?)
    }
    async fn mark_temp_converted(&self, tenant: &ClientId, id: i64, order: &OrderId, bird_id: i64) -> CoreResult<()> {
        Ok(Store::mark_temp_converted(self, tenant, id, order, bird_id).await?)
    }
    async fn mark_temp_problem(&self, tenant: &ClientId, id: i64, problem: &str) -> CoreResult<()> {
        Ok(Store::mark_temp_problem(self, tenant, id, problem).await?)
    }
    async fn temp_consignments(
        &self,
        tenant: &ClientId,
        ids: &[i64],
        kind: Option<OrderKind>,
        warehouse: Option<&WarehouseId>,
        include_problems: bool,
    ) -> CoreResult<Vec<TempConsignment>> {
        Ok(Store::temp_consignments(self, tenant, ids, kind, warehouse, include_problems).await?)
    }
}

#[async_trait]
impl SitePort for Store {
    async fn cached_service(&self, id: &ServiceId) -> CoreResult<Service> {
        Ok(Store::cached_service(self, id).await?)
    }
    async fn cached_warehouse(&self, id: &WarehouseId) -> CoreResult<Warehouse> {
        Ok(Store::warehouse(self, id).await?)
    }
    async fn client_services(&self, client: &ClientId, warehouse: Option<&WarehouseId>) -> CoreResult<Vec<Service>> {
        Ok(Store::client_services(self, client, warehouse).await?)
    }
    async fn client_warehouses(&self, client: &ClientId) -> CoreResult<Vec<Warehouse>> {
        Ok(Store::client_warehouses(self, client).await?)
    }
    async fn reference_data(&self) -> CoreResult<Arc<Snapshot>> {
        Ok(Store::reference_data(self).await?)
    }
    async fn service(&self, id: &ServiceId) -> CoreResult<Service> {
        Ok(Store::service(self, id).await?)
    }
    async fn service_by_code(&self, warehouse: &WarehouseId, code: &str) -> CoreResult<Service> {
        Ok(Store::service_by_code(self, warehouse, code).await?)
    }
    async fn service_for_client_by_numeric_id(&self, client: &ClientId, bird_id: i64) -> CoreResult<Service> {
        Ok(Store::service_for_client_by_numeric_id(self, client, bird_id).await?)
    }
    async fn warehouse(&self, id: &WarehouseId) -> CoreResult<Warehouse> {
        Ok(Store::warehouse(self, id).await?)
    }
    async fn warehouse_by_code(&self, code: &str) -> CoreResult<Warehouse> {
        Ok(Store::warehouse_by_code(self, code).await?)
    }
    async fn warehouse_for_client_by_numeric_id(
        &self,
        client: &ClientId,
        bird_company_id: i64,
    ) -> CoreResult<Warehouse> {
        Ok(Store::warehouse_for_client_by_numeric_id(self, client, bird_company_id).await?)
    }
    async fn warehouse_for_client_by_code(&self, client: &ClientId, code: &str) -> CoreResult<Warehouse> {
        Ok(Store::warehouse_for_client_by_code(self, client, code).await?)
    }
    async fn warehouse_for_client_by_region(&self, client: &ClientId, region: &str) -> CoreResult<Warehouse> {
        Ok(Store::warehouse_for_client_by_region(self, client, region).await?)
    }
    async fn warehouses(&self) -> CoreResult<Vec<Warehouse>> {
        Ok(Store::warehouses(self).await?)
    }
}

// The operator's ports (the admin CLI's use cases), over the app's types the store re-exports.

#[async_trait]
impl SetupPort for Store {
    async fn attach_client_site(&self, client: &ClientId, warehouse: &WarehouseId) -> CoreResult<()> {
        Ok(Store::attach_client_site(self, client, warehouse).await?)
    }
    async fn clients(&self) -> CoreResult<Vec<Client>> {
        Ok(Store::clients(self).await?)
    }
    async fn companies(&self) -> CoreResult<Vec<entrepot_core::company::Company>> {
        Ok(Store::companies(self).await?)
    }
    async fn create_client(
        &self,
        company: &CompanyId,
        name: &str,
        currency: &entrepot_core::money::Currency,
    ) -> CoreResult<Client> {
        Ok(Store::create_client(self, company, name, currency).await?)
    }
    async fn create_company(&self, name: &str) -> CoreResult<entrepot_core::company::Company> {
        Ok(Store::create_company(self, name).await?)
    }
    async fn create_service(&self, n: entrepot_app::types::operator::NewService) -> CoreResult<Service> {
        Ok(Store::create_service(self, n).await?)
    }
    async fn create_warehouse(&self, w: Warehouse) -> CoreResult<Warehouse> {
        Ok(Store::create_warehouse(self, w).await?)
    }
    async fn detach_client_site(&self, client: &ClientId, warehouse: &WarehouseId) -> CoreResult<()> {
        Ok(Store::detach_client_site(self, client, warehouse).await?)
    }
    async fn find_client(&self, id_or_name: &str) -> CoreResult<Client> {
        Ok(Store::find_client(self, id_or_name).await?)
    }
    async fn services(&self, warehouse: Option<&WarehouseId>) -> CoreResult<Vec<Service>> {
        Ok(Store::services(self, warehouse).await?)
    }
    async fn set_service_active(&self, id: &ServiceId, active: bool) -> CoreResult<()> {
        Ok(Store::set_service_active(self, id, active).await?)
    }
    async fn set_warehouse_calendar(
        &self,
        code: &str,
        calendar: &entrepot_core::calendar::Calendar,
    ) -> CoreResult<Warehouse> {
        Ok(Store::set_warehouse_calendar(self, code, calendar).await?)
    }
    async fn set_warehouse_cutoff(&self, code: &str, minutes: i32) -> CoreResult<Warehouse> {
        Ok(Store::set_warehouse_cutoff(self, code, minutes).await?)
    }
}

#[async_trait]
impl CredentialPort for Store {
    async fn api_keys(&self, client: &ClientId) -> CoreResult<Vec<entrepot_app::types::operator::ApiKeyView>> {
        Ok(Store::api_keys(self, client).await?)
    }
    async fn revoke_client_api_key(&self, client: &ClientId, id: &entrepot_core::ids::ApiKeyId) -> CoreResult<()> {
        Ok(Store::revoke_client_api_key(self, client, id).await?)
    }
    async fn create_api_key(&self, client: &ClientId, label: &str) -> CoreResult<entrepot_app::ApiKeyCreated> {
        Ok(Store::create_api_key(self, client, label).await?)
    }
    async fn create_erp_app(&self, n: entrepot_app::NewErpApp) -> CoreResult<entrepot_app::ErpAppCreated> {
        Ok(Store::create_erp_app(self, n).await?)
    }
    async fn create_user(
        &self,
        client: Option<&ClientId>,
        username: &str,
        password: &str,
        role: &str,
    ) -> CoreResult<User> {
        Ok(Store::create_user(self, client, username, password, role).await?)
    }
    async fn revoke_api_key(&self, id: &ApiKeyId) -> CoreResult<()> {
        Ok(Store::revoke_api_key(self, id).await?)
    }
    async fn revoke_erp_app(&self, client_key: &str) -> CoreResult<()> {
        Ok(Store::revoke_erp_app(self, client_key).await?)
    }
    async fn authorised_apps(&self, client: &ClientId) -> CoreResult<Vec<entrepot_app::AuthorisedApp>> {
        Ok(Store::authorised_apps(self, client).await?)
    }
    async fn revoke_app_grant(&self, client: &ClientId, app: &ErpAppId) -> CoreResult<()> {
        Ok(Store::revoke_app_grant(self, client, app).await?)
    }
}

#[async_trait]
impl MoneyPort for Store {
    async fn balances(&self, tenant: &ClientId) -> CoreResult<Vec<(String, entrepot_core::balance::Account)>> {
        Ok(Store::balances(self, tenant).await?)
    }
    async fn money_entries(
        &self,
        tenant: &ClientId,
        q: &entrepot_app::types::money::EntryQuery,
    ) -> CoreResult<Vec<entrepot_app::types::money::MoneyEntry>> {
        Ok(Store::money_entries(self, tenant, q).await?)
    }
    async fn money_month(
        &self,
        tenant: &ClientId,
        month: &str,
    ) -> CoreResult<Vec<entrepot_app::types::money::MonthTotal>> {
        Ok(Store::money_month(self, tenant, month).await?)
    }
    async fn top_up(
        &self,
        tenant: &ClientId,
        currency: Option<&entrepot_core::money::Currency>,
        amount_minor: i64,
        note: &str,
    ) -> CoreResult<entrepot_core::balance::Account> {
        Ok(Store::top_up(self, tenant, currency, amount_minor, note).await?)
    }
}

#[async_trait]
impl FloorPort for Store {
    async fn arrive_inbound(&self, tenant: &ClientId, key: &str) -> CoreResult<InboundView> {
        Ok(Store::arrive_inbound(self, tenant, key).await?)
    }
    async fn book_inbound_appointment(&self, tenant: &ClientId, key: &str) -> CoreResult<InboundView> {
        Ok(Store::book_inbound_appointment(self, tenant, key).await?)
    }
    async fn close_inbound(&self, tenant: &ClientId, key: &str) -> CoreResult<InboundView> {
        Ok(Store::close_inbound(self, tenant, key).await?)
    }
    async fn move_stock(
        &self,
        tenant: &ClientId,
        sku: SkuId,
        warehouse: &WarehouseId,
        transfer: entrepot_core::inventory::Transfer,
        note: Option<&str>,
    ) -> CoreResult<()> {
        Ok(Store::move_stock(self, tenant, sku, warehouse, transfer, note).await?)
    }
    async fn put_away_inbound(&self, tenant: &ClientId, key: &str, sku: SkuId, qty: i64) -> CoreResult<InboundView> {
        Ok(Store::put_away_inbound(self, tenant, key, sku, qty).await?)
    }
    async fn receive_inbound(&self, tenant: &ClientId, key: &str, sku: SkuId, qty: i64) -> CoreResult<InboundView> {
        Ok(Store::receive_inbound(self, tenant, key, sku, qty).await?)
    }
}

#[async_trait]
impl SkuAuditPort for Store {
    async fn audit_sku(&self, tenant: &ClientId, id: SkuId, approve: bool, reason: Option<String>) -> CoreResult<Sku> {
        Ok(Store::audit_sku(self, tenant, id, approve, reason).await?)
    }
    async fn submit_sku(&self, tenant: &ClientId, id: SkuId) -> CoreResult<Sku> {
        Ok(Store::submit_sku(self, tenant, id).await?)
    }
    async fn sku_audit_queue(
        &self,
        q: &entrepot_app::types::sku_audit::SkuAuditQuery,
    ) -> CoreResult<Vec<entrepot_app::types::sku_audit::SkuAuditItem>> {
        Ok(Store::sku_audit_queue(self, q).await?)
    }
    async fn submit_sku_as(
        &self,
        actor: &entrepot_core::actor::Actor,
        tenant: &ClientId,
        id: SkuId,
    ) -> CoreResult<Sku> {
        Ok(Store::submit_sku_as(self, actor, tenant, id).await?)
    }
    async fn measure_sku(
        &self,
        actor: &entrepot_core::actor::Actor,
        tenant: &ClientId,
        id: SkuId,
        v: entrepot_core::sku::MeasuredValues,
    ) -> CoreResult<Sku> {
        Ok(Store::measure_sku(self, actor, tenant, id, v).await?)
    }
    async fn decide_sku(
        &self,
        actor: &entrepot_core::actor::Actor,
        tenant: &ClientId,
        id: SkuId,
        verdict: &entrepot_app::types::sku_audit::SkuVerdict,
    ) -> CoreResult<Sku> {
        Ok(Store::decide_sku(self, actor, tenant, id, verdict).await?)
    }
}

#[async_trait]
impl HealthPort for Store {
    async fn backlog(&self) -> CoreResult<entrepot_app::Backlog> {
        Ok(Store::backlog(self).await?)
    }
    async fn ledger_violations(&self) -> CoreResult<Vec<entrepot_app::Violation>> {
        Ok(Store::check(self).await?)
    }
    async fn webhook_endpoint_backlog(&self) -> CoreResult<Vec<entrepot_app::EndpointBacklog>> {
        Ok(Store::webhook_endpoint_backlog(self).await?)
    }
}

#[async_trait]
impl AuditPort for Store {
    async fn audit_trail(
        &self,
        subject_kind: &str,
        subject_id: &str,
        client: Option<&ClientId>,
        limit: i64,
    ) -> CoreResult<Vec<entrepot_app::AuditEntry>> {
        Ok(Store::audit_trail(self, subject_kind, subject_id, client, limit).await?)
    }
}

#[async_trait]
impl PeoplePort for Store {
    async fn create_person(
        &self,
        actor: &entrepot_core::actor::Actor,
        username: &str,
        password: &str,
        role: &entrepot_core::actor::Role,
    ) -> CoreResult<entrepot_app::UserRecord> {
        Ok(Store::create_person(self, actor, username, password, role).await?)
    }
    async fn people(&self, client: Option<&ClientId>) -> CoreResult<Vec<entrepot_app::UserRecord>> {
        Ok(Store::people(self, client).await?)
    }
    async fn person(&self, id: &UserId) -> CoreResult<entrepot_app::UserRecord> {
        Ok(Store::person(self, id).await?)
    }
    async fn disable_person(
        &self,
        actor: &entrepot_core::actor::Actor,
        id: &UserId,
    ) -> CoreResult<entrepot_app::UserRecord> {
        Ok(Store::disable_person(self, actor, id).await?)
    }
    async fn verify_person(&self, username: &str, password: &str) -> CoreResult<Option<entrepot_app::UserRecord>> {
        Ok(Store::verify_person(self, username, password).await?)
    }
    async fn open_session(
        &self,
        actor: &entrepot_core::actor::Actor,
        user: &entrepot_app::UserRecord,
        ttl_ms: i64,
    ) -> CoreResult<entrepot_app::SessionOpened> {
        Ok(Store::open_session(self, actor, user, ttl_ms).await?)
    }
    async fn session(&self, secret: &str) -> CoreResult<Option<entrepot_app::SessionRecord>> {
        Ok(Store::session(self, secret).await?)
    }
    async fn close_session(&self, secret: &str) -> CoreResult<()> {
        Ok(Store::close_session(self, secret).await?)
    }
    async fn create_token(
        &self,
        actor: &entrepot_core::actor::Actor,
        user: &UserId,
        label: &str,
        scope: &str,
    ) -> CoreResult<entrepot_app::TokenCreated> {
        Ok(Store::create_token(self, actor, user, label, scope).await?)
    }
    async fn tokens(&self, user: &UserId) -> CoreResult<Vec<entrepot_app::TokenRecord>> {
        Ok(Store::tokens(self, user).await?)
    }
    async fn token(&self, id: &str) -> CoreResult<Option<entrepot_app::TokenRecord>> {
        Ok(Store::token(self, id).await?)
    }
    async fn revoke_token(&self, actor: &entrepot_core::actor::Actor, id: &str) -> CoreResult<()> {
        Ok(Store::revoke_token(self, actor, id).await?)
    }
    async fn token_owner(&self, token: &str) -> CoreResult<Option<entrepot_app::TokenOwner>> {
        Ok(Store::token_owner(self, token).await?)
    }
    async fn set_user_language(&self, user: &UserId, language: Option<&str>) -> CoreResult<()> {
        Ok(Store::set_user_language(self, user, language).await?)
    }
    async fn set_staff_warehouse(
        &self,
        actor: &entrepot_core::actor::Actor,
        user: &UserId,
        warehouse: &WarehouseId,
        grant: bool,
        supervisor: Option<bool>,
    ) -> CoreResult<entrepot_app::UserRecord> {
        Ok(Store::set_staff_warehouse(self, actor, user, warehouse, grant, supervisor).await?)
    }
}

#[async_trait]
impl IdempotencyPort for Store {
    async fn idempotency_claim(
        &self,
        user: &UserId,
        key: &str,
        request: &str,
        body_hash: &str,
        ttl_ms: i64,
    ) -> CoreResult<entrepot_app::IdempotencyClaim> {
        Ok(Store::idempotency_claim(self, user, key, request, body_hash, ttl_ms).await?)
    }
    async fn idempotency_finish(
        &self,
        user: &UserId,
        key: &str,
        status: u16,
        content_type: &str,
        body: &str,
    ) -> CoreResult<()> {
        Ok(Store::idempotency_finish(self, user, key, status, content_type, body).await?)
    }
    async fn idempotency_release(&self, user: &UserId, key: &str) -> CoreResult<()> {
        Ok(Store::idempotency_release(self, user, key).await?)
    }
}

#[async_trait]
impl ImportPort for Store {
    async fn import_mapping(
        &self,
        client: &ClientId,
        header_key: &str,
    ) -> CoreResult<Option<entrepot_app::types::import::StoredMapping>> {
        Ok(Store::import_mapping(self, client, header_key).await?)
    }
    async fn save_import_mapping(
        &self,
        client: &ClientId,
        header_key: &str,
        mapping: &entrepot_app::types::import::StoredMapping,
    ) -> CoreResult<()> {
        Ok(Store::save_import_mapping(self, client, header_key, mapping).await?)
    }
}

#[async_trait]
impl LocationPort for Store {
    async fn create_locations(
        &self,
        actor: &entrepot_core::actor::Actor,
        warehouse: &WarehouseId,
        new: Vec<entrepot_app::types::locations::NewLocation>,
    ) -> CoreResult<Vec<entrepot_core::location::Location>> {
        Ok(Store::create_locations(self, actor, warehouse, new).await?)
    }
    async fn list_locations(
        &self,
        f: &entrepot_app::types::locations::LocationFilter,
    ) -> CoreResult<Vec<entrepot_core::location::Location>> {
        Ok(Store::list_locations(self, f).await?)
    }
    async fn location_by_code(
        &self,
        warehouse: &WarehouseId,
        code: &str,
    ) -> CoreResult<entrepot_core::location::Location> {
        Ok(Store::location_by_code(self, warehouse, code).await?)
    }
    async fn set_location_disabled(
        &self,
        actor: &entrepot_core::actor::Actor,
        warehouse: &WarehouseId,
        code: &str,
        disabled: bool,
    ) -> CoreResult<entrepot_core::location::Location> {
        Ok(Store::set_location_disabled(self, actor, warehouse, code, disabled).await?)
    }
    async fn location_stock(
        &self,
        f: &entrepot_app::types::locations::LocationStockFilter,
    ) -> CoreResult<Vec<entrepot_app::types::locations::LocationStock>> {
        Ok(Store::location_stock(self, f).await?)
    }
    async fn putaway_pending(
        &self,
        warehouse: &WarehouseId,
        after: Option<&entrepot_app::types::locations::PutawayAfter>,
        limit: i64,
    ) -> CoreResult<entrepot_app::types::locations::PutawayPendingPage> {
        Ok(Store::putaway_pending(self, warehouse, after, limit).await?)
    }
    async fn putaway_context(
        &self,
        warehouse: &WarehouseId,
        skus: &[SkuId],
        empty_bins: bool,
    ) -> CoreResult<entrepot_app::types::locations::PutawayContext> {
        Ok(Store::putaway_context(self, warehouse, skus, empty_bins).await?)
    }
    async fn put_away_to_bin(
        &self,
        actor: &entrepot_core::actor::Actor,
        scan: &entrepot_app::types::locations::PutawayScan,
        bin: &entrepot_core::location::Location,
    ) -> CoreResult<()> {
        Ok(Store::put_away_to_bin(self, actor, scan, bin).await?)
    }
    async fn move_between_bins(
        &self,
        actor: &entrepot_core::actor::Actor,
        m: &entrepot_app::types::locations::BinMove,
        from: &entrepot_core::location::Location,
        to: &entrepot_core::location::Location,
    ) -> CoreResult<()> {
        Ok(Store::move_between_bins(self, actor, m, from, to).await?)
    }
}

#[async_trait]
impl ReceivingPort for Store {
    async fn open_receipt(&self, actor: &entrepot_core::actor::Actor, code: &str) -> CoreResult<ReceiptView> {
        Ok(Store::open_receipt(self, actor, code).await?)
    }
    async fn receipt(
        &self,
        actor: &entrepot_core::actor::Actor,
        client: Option<&ClientId>,
        inbound: &str,
    ) -> CoreResult<ReceiptView> {
        Ok(Store::receipt(self, actor, client, inbound).await?)
    }
    async fn receive_scan(&self, actor: &entrepot_core::actor::Actor, scan: &ReceiveScan) -> CoreResult<ScanResult> {
        Ok(Store::receive_scan(self, actor, scan).await?)
    }
    async fn record_unexpected(
        &self,
        actor: &entrepot_core::actor::Actor,
        n: &NewUnexpected,
    ) -> CoreResult<DiscrepancyView> {
        Ok(Store::record_unexpected(self, actor, n).await?)
    }
    async fn close_receipt(&self, actor: &entrepot_core::actor::Actor, inbound: &str) -> CoreResult<ReceiptView> {
        Ok(Store::close_receipt(self, actor, inbound).await?)
    }
    async fn inbound_discrepancies(&self, client: &ClientId, inbound: &str) -> CoreResult<Vec<DiscrepancyView>> {
        Ok(Store::inbound_discrepancies(self, client, inbound).await?)
    }
    async fn create_dock_slots(&self, actor: &entrepot_core::actor::Actor, n: &NewSlots) -> CoreResult<Vec<DockSlot>> {
        Ok(Store::create_dock_slots(self, actor, n).await?)
    }
    async fn dock_slots(&self, warehouse: &WarehouseId, from_ms: i64, to_ms: i64) -> CoreResult<Vec<DockSlot>> {
        Ok(Store::dock_slots(self, warehouse, from_ms, to_ms).await?)
    }
    async fn dock_bookings(
        &self,
        warehouse: &WarehouseId,
        from_ms: i64,
        to_ms: i64,
        limit: i64,
    ) -> CoreResult<Vec<DockBooking>> {
        Ok(Store::dock_bookings(self, warehouse, from_ms, to_ms, limit).await?)
    }
    async fn book_appointment(
        &self,
        actor: &entrepot_core::actor::Actor,
        client: &ClientId,
        inbound: &str,
        slot: Option<&str>,
    ) -> CoreResult<(InboundView, Option<AppointmentView>)> {
        Ok(Store::book_appointment(self, actor, client, inbound, slot).await?)
    }
    async fn cancel_appointment(
        &self,
        actor: &entrepot_core::actor::Actor,
        client: &ClientId,
        inbound: &str,
    ) -> CoreResult<InboundView> {
        Ok(Store::cancel_appointment(self, actor, client, inbound).await?)
    }
    async fn appointment(&self, client: &ClientId, inbound: &str) -> CoreResult<Option<AppointmentView>> {
        Ok(Store::appointment(self, client, inbound).await?)
    }
    async fn check_in(&self, actor: &entrepot_core::actor::Actor, inbound: &str) -> CoreResult<InboundView> {
        Ok(Store::check_in(self, actor, inbound).await?)
    }
    async fn record_no_shows(
        &self,
        actor: &entrepot_core::actor::Actor,
        now_ms: i64,
    ) -> CoreResult<Vec<AppointmentView>> {
        Ok(Store::record_no_shows(self, actor, now_ms).await?)
    }
    async fn record_unidentified(
        &self,
        actor: &entrepot_core::actor::Actor,
        n: &NewUnidentified,
    ) -> CoreResult<Unidentified> {
        Ok(Store::record_unidentified(self, actor, n).await?)
    }
    async fn unidentified(
        &self,
        warehouses: &[WarehouseId],
        open_only: bool,
        limit: i64,
    ) -> CoreResult<Vec<Unidentified>> {
        Ok(Store::unidentified(self, warehouses, open_only, limit).await?)
    }
    async fn resolve_unidentified(
        &self,
        actor: &entrepot_core::actor::Actor,
        id: &str,
        r: &Resolution,
    ) -> CoreResult<Unidentified> {
        Ok(Store::resolve_unidentified(self, actor, id, r).await?)
    }
    async fn dock_to_stock(&self, last: i64) -> CoreResult<DockToStock> {
        Ok(Store::dock_to_stock(self, last).await?)
    }
}

#[async_trait]
impl ReturnPort for Store {
    async fn return_service(&self, warehouse: &WarehouseId) -> CoreResult<Service> {
        Ok(Store::return_service(self, warehouse).await?)
    }
    async fn find_return(&self, scan: &str) -> CoreResult<Option<(ClientId, OrderId)>> {
        Ok(Store::find_return(self, scan).await?)
    }
    async fn return_view(
        &self,
        tenant: &ClientId,
        order: &OrderId,
    ) -> CoreResult<entrepot_app::types::returns::ReturnView> {
        Ok(Store::return_view(self, tenant, order).await?)
    }
    async fn receive_return(
        &self,
        actor: &entrepot_core::actor::Actor,
        tenant: &ClientId,
        order: &OrderId,
        receipt: entrepot_app::types::returns::ReturnReceipt,
    ) -> CoreResult<entrepot_app::types::returns::ReturnView> {
        Ok(Store::receive_return(self, actor, tenant, order, receipt).await?)
    }
    async fn run_return_action(
        &self,
        actor: &entrepot_core::actor::Actor,
        tenant: &ClientId,
        order: &OrderId,
        cmd: entrepot_app::types::returns::ReturnCommand,
        rates: &entrepot_core::returns::ReturnRates,
    ) -> CoreResult<entrepot_app::types::returns::ReturnView> {
        Ok(Store::run_return_action(self, actor, tenant, order, cmd, rates).await?)
    }
    async fn record_unidentified_return(
        &self,
        actor: &entrepot_core::actor::Actor,
        warehouse: &WarehouseId,
        scanned: &str,
        note: Option<&str>,
    ) -> CoreResult<entrepot_app::types::returns::UnidentifiedReturn> {
        Ok(Store::record_unidentified_return(self, actor, warehouse, scanned, note).await?)
    }
    async fn unidentified_returns(
        &self,
        warehouse: Option<&WarehouseId>,
    ) -> CoreResult<Vec<entrepot_app::types::returns::UnidentifiedReturn>> {
        Ok(Store::unidentified_returns(self, warehouse).await?)
    }
    async fn dispose_unidentified_return(
        &self,
        actor: &entrepot_core::actor::Actor,
        id: &UnidentifiedReturnId,
        arrived_by_ms: i64,
    ) -> CoreResult<entrepot_app::types::returns::UnidentifiedReturn> {
        Ok(Store::dispose_unidentified_return(self, actor, id, arrived_by_ms).await?)
    }
    async fn return_rates(&self, warehouse: &WarehouseId) -> CoreResult<Option<entrepot_core::returns::ReturnRates>> {
        Ok(Store::return_rates(self, warehouse).await?)
    }
    async fn set_return_rates(
        &self,
        actor: &entrepot_core::actor::Actor,
        warehouse: &WarehouseId,
        rates: &entrepot_core::returns::ReturnRates,
    ) -> CoreResult<()> {
        Ok(Store::set_return_rates(self, actor, warehouse, rates).await?)
    }
    async fn match_unidentified_return(
        &self,
        actor: &entrepot_core::actor::Actor,
        id: &UnidentifiedReturnId,
        tenant: &ClientId,
        order: &OrderId,
    ) -> CoreResult<entrepot_app::types::returns::UnidentifiedReturn> {
        Ok(Store::match_unidentified_return(self, actor, id, tenant, order).await?)
    }
}

#[async_trait]
impl CountPort for Store {
    async fn create_counts(
        &self,
        actor: &entrepot_core::actor::Actor,
        n: &entrepot_app::types::counts::NewCounts,
    ) -> CoreResult<Vec<entrepot_app::types::counts::CountTask>> {
        Ok(Store::create_counts(self, actor, n).await?)
    }
    async fn count_tasks(
        &self,
        f: &entrepot_app::types::counts::CountFilter,
    ) -> CoreResult<Vec<entrepot_app::types::counts::CountTask>> {
        Ok(Store::count_tasks(self, f).await?)
    }
    async fn count_task(&self, id: &str) -> CoreResult<entrepot_app::types::counts::CountTask> {
        Ok(Store::count_task(self, id).await?)
    }
    async fn record_count(
        &self,
        actor: &entrepot_core::actor::Actor,
        r: &entrepot_app::types::counts::CountResults,
    ) -> CoreResult<entrepot_app::types::counts::CountOutcome> {
        Ok(Store::record_count(self, actor, r).await?)
    }
    async fn decide_count(
        &self,
        actor: &entrepot_core::actor::Actor,
        id: &str,
        approve: bool,
        reason: Option<&str>,
    ) -> CoreResult<entrepot_app::types::counts::CountTask> {
        Ok(Store::decide_count(self, actor, id, approve, reason).await?)
    }
    async fn count_threshold(&self, warehouse: &WarehouseId) -> CoreResult<i64> {
        Ok(Store::count_threshold(self, warehouse).await?)
    }
    async fn set_count_threshold(
        &self,
        actor: &entrepot_core::actor::Actor,
        warehouse: &WarehouseId,
        units: i64,
    ) -> CoreResult<i64> {
        Ok(Store::set_count_threshold(self, actor, warehouse, units).await?)
    }
}

#[async_trait]
impl entrepot_app::ports::WavePort for Store {
    async fn release_wave(
        &self,
        actor: &entrepot_core::actor::Actor,
        n: &entrepot_app::NewWave,
    ) -> CoreResult<entrepot_app::WaveView> {
        Ok(Store::release_wave(self, actor, n).await?)
    }
    async fn waves(
        &self,
        warehouse: &WarehouseId,
        before: Option<&entrepot_core::ids::WaveId>,
        limit: i64,
    ) -> CoreResult<Vec<entrepot_app::WaveView>> {
        Ok(Store::waves(self, warehouse, before, limit).await?)
    }
    async fn wave(&self, id: &entrepot_core::ids::WaveId) -> CoreResult<entrepot_app::WaveView> {
        Ok(Store::wave(self, id).await?)
    }
    async fn open_pick_lists(
        &self,
        warehouse: &WarehouseId,
        after: Option<&entrepot_core::ids::PickListId>,
        limit: i64,
    ) -> CoreResult<Vec<entrepot_app::PickListSummary>> {
        Ok(Store::open_pick_lists(self, warehouse, after, limit).await?)
    }
    async fn pick_list(&self, id: &entrepot_core::ids::PickListId) -> CoreResult<entrepot_app::PickListView> {
        Ok(Store::pick_list(self, id).await?)
    }
    async fn pick(
        &self,
        actor: &entrepot_core::actor::Actor,
        c: &entrepot_app::PickCommand,
    ) -> CoreResult<entrepot_app::PickOutcome> {
        Ok(Store::pick(self, actor, c).await?)
    }
    async fn board_counts(
        &self,
        warehouse: &WarehouseId,
        day: &str,
        day_start_ms: i64,
    ) -> CoreResult<entrepot_app::BoardCounts> {
        Ok(Store::board_counts(self, warehouse, day, day_start_ms).await?)
    }
    async fn fold_board(&self) -> CoreResult<u64> {
        Ok(Store::fold_board(self).await?)
    }
    async fn record_refused_pick(
        &self,
        actor: &entrepot_core::actor::Actor,
        list: &entrepot_app::PickListSummary,
        reason: &str,
    ) -> CoreResult<()> {
        Ok(Store::record_refused_pick(self, actor, list, reason).await?)
    }
    async fn floor_facts(&self, since_ms: i64) -> CoreResult<entrepot_app::FloorFacts> {
        Ok(Store::floor_facts(self, since_ms).await?)
    }
}

#[async_trait]
impl entrepot_app::ports::PackPort for Store {
    async fn order_at(
        &self,
        warehouse: &WarehouseId,
        key: &str,
    ) -> CoreResult<(entrepot_core::ids::OrderId, ClientId)> {
        Ok(Store::order_at(self, warehouse, key).await?)
    }
    async fn pack_view(&self, order: &entrepot_core::ids::OrderId) -> CoreResult<entrepot_app::PackView> {
        Ok(Store::pack_view(self, order).await?)
    }
    async fn pack_unit(
        &self,
        actor: &entrepot_core::actor::Actor,
        u: &entrepot_app::PackUnit,
    ) -> CoreResult<entrepot_app::PackView> {
        Ok(Store::pack_unit(self, actor, u).await?)
    }
    async fn close_pack(
        &self,
        actor: &entrepot_core::actor::Actor,
        c: &entrepot_app::PackClose,
    ) -> CoreResult<entrepot_app::PackView> {
        Ok(Store::close_pack(self, actor, c).await?)
    }
    async fn manifest_parcel(
        &self,
        actor: &entrepot_core::actor::Actor,
        warehouse: &WarehouseId,
        order: &entrepot_core::ids::OrderId,
    ) -> CoreResult<entrepot_app::ManifestView> {
        Ok(Store::manifest_parcel(self, actor, warehouse, order).await?)
    }
    async fn close_manifest(
        &self,
        actor: &entrepot_core::actor::Actor,
        id: &str,
    ) -> CoreResult<entrepot_app::ManifestView> {
        Ok(Store::close_manifest(self, actor, id).await?)
    }
    async fn manifest(&self, id: &str) -> CoreResult<entrepot_app::ManifestView> {
        Ok(Store::manifest(self, id).await?)
    }
    async fn manifests(&self, warehouse: &WarehouseId, limit: i64) -> CoreResult<Vec<entrepot_app::ManifestView>> {
        Ok(Store::manifests(self, warehouse, limit).await?)
    }
    async fn order_manifest(&self, order: &OrderId) -> CoreResult<Option<entrepot_app::types::packing::OrderManifest>> {
        Ok(Store::order_manifest(self, order).await?)
    }
}

#[async_trait]
impl entrepot_app::ports::TrackingPort for Store {
    async fn claim_in_transit(
        &self,
        now_ms: i64,
        recheck_ms: i64,
        limit: i64,
    ) -> CoreResult<Vec<entrepot_app::InTransit>> {
        Ok(Store::claim_in_transit(self, now_ms, recheck_ms, limit).await?)
    }
    async fn record_tracking(
        &self,
        client: &ClientId,
        order: &OrderId,
        events: &[entrepot_core::tracking::TrackingEvent],
    ) -> CoreResult<usize> {
        Ok(Store::record_tracking(self, client, order, events).await?)
    }
    async fn tracking_events(&self, order: &OrderId) -> CoreResult<Vec<entrepot_core::tracking::TrackingEvent>> {
        Ok(Store::tracking_events(self, order).await?)
    }
}

#[async_trait]
impl SandboxPort for Store {
    async fn sandbox_of(&self, client: &ClientId) -> CoreResult<Option<ClientId>> {
        Ok(Store::sandbox_of(self, client).await?)
    }
    async fn sandbox_twin(&self, live: &ClientId) -> CoreResult<ClientId> {
        Ok(Store::sandbox_twin(self, live).await?)
    }
    async fn reset_sandbox(&self, live: &ClientId) -> CoreResult<ClientId> {
        Ok(Store::reset_sandbox(self, live).await?)
    }
    async fn record_sandbox_call(&self, app: &str, operation: &str) -> CoreResult<()> {
        Ok(Store::record_sandbox_call(self, app, operation).await?)
    }
    async fn sandbox_calls(&self, app: &str) -> CoreResult<Vec<entrepot_app::types::sandbox::SandboxCall>> {
        Ok(Store::sandbox_calls(self, app).await?)
    }
    async fn erp_apps_of(&self, client: &ClientId) -> CoreResult<Vec<entrepot_app::types::auth::ErpApp>> {
        Ok(Store::erp_apps_of(self, client).await?)
    }
    async fn sandbox_orders_due(&self, before_ms: i64, limit: i64) -> CoreResult<Vec<(ClientId, OrderId)>> {
        Ok(Store::sandbox_orders_due(self, before_ms, limit).await?)
    }
}
