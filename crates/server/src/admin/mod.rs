//! `entrepot admin ...`: the operator's tool, working directly on the same database as the
//! server. Output is JSON on stdout so that scripts can use it; secrets appear only in the output
//! of the command that created them.
//!
//! Every operator command goes through the use-case layer ([`App`], its `operator` use cases),
//! as the dialects do; this module only parses arguments and prints. The store itself
//! ([`entrepot_store::Store`]) is opened here, and reached directly only for what concerns the
//! database engine rather than any entity: opening it (with its migrations), closing it, and
//! backing up or restoring the SQLite file.

mod backup;
mod catalog;
mod counts;
mod locations;
mod orders;
mod people;
mod receiving;
mod returns;
mod sandbox;
mod setup;
mod stock;

use std::process::ExitCode;

use clap::Subcommand;
use entrepot_app::App;
use entrepot_core::company::Client;
use serde::Serialize;

use crate::cli::DbArgs;

#[derive(Debug, Subcommand)]
pub enum AdminCommand {
    #[command(subcommand)]
    Company(setup::CompanyCmd),
    #[command(subcommand)]
    Warehouse(setup::WarehouseCmd),
    #[command(subcommand)]
    Service(setup::ServiceCmd),
    #[command(subcommand)]
    Client(setup::ClientCmd),
    /// Console users (sellers' staff and operator staff).
    #[command(subcommand)]
    User(people::UserCmd),
    /// Bird API keys.
    #[command(subcommand)]
    ApiKey(setup::ApiKeyCmd),
    /// OC ERP apps (ClientKey/SecretKey).
    #[command(subcommand)]
    ErpApp(setup::ErpAppCmd),
    #[command(subcommand)]
    Balance(setup::BalanceCmd),
    #[command(subcommand)]
    Sku(catalog::SkuCmd),
    #[command(subcommand)]
    Stock(stock::StockCmd),
    #[command(subcommand)]
    Inbound(stock::InboundCmd),
    #[command(subcommand)]
    Order(orders::OrderCmd),
    /// Bins: locations, what each holds, bin-to-bin moves, putaway tasks.
    #[command(subcommand)]
    Location(locations::LocationCmd),
    /// Returns (RMAs): receive, run actions, the unidentified queue.
    #[command(subcommand)]
    Return(returns::ReturnCmd),
    /// Verify every ledger invariant; exits non-zero naming each violation.
    Check,
    /// Write a consistent copy of the SQLite database while the server runs.
    Backup(backup::BackupArgs),
    /// Replace the SQLite database with a backup (the server must be stopped).
    Restore(backup::RestoreArgs),
    /// Dock slots and inbound appointments.
    #[command(subcommand)]
    Appointment(receiving::AppointmentCmd),
    /// Receiving by scans at the dock.
    #[command(subcommand)]
    Receive(receiving::ReceiveCmd),
    /// Freight that came with no inbound order.
    #[command(subcommand)]
    Unidentified(receiving::UnidentifiedCmd),
    /// Cycle counts: tasks per bin or SKU, counts, approvals of variances.
    #[command(subcommand)]
    Count(counts::CountCmd),
    /// The sandbox ERPs integrate against: verification reports, reset.
    #[command(subcommand)]
    Sandbox(sandbox::SandboxCmd),
}

pub async fn run(db: DbArgs, cmd: AdminCommand) -> anyhow::Result<ExitCode> {
    let cmd = match cmd {
        // Before anything opens the database it replaces.
        AdminCommand::Restore(args) => return backup::restore(&db, args).await.map(|_| ExitCode::SUCCESS),
        cmd => cmd,
    };
    let store = db.open().await?;
    let app = App::new(std::sync::Arc::new(store.clone()));
    let done = |r: anyhow::Result<()>| r.map(|()| ExitCode::SUCCESS);
    let result = match cmd {
        AdminCommand::Company(c) => done(setup::company(&app, c).await),
        AdminCommand::Warehouse(c) => done(setup::warehouse(&app, c).await),
        AdminCommand::Service(c) => done(setup::service(&app, c).await),
        AdminCommand::Client(c) => done(setup::client(&app, c).await),
        AdminCommand::User(c) => done(people::user(&app, c).await),
        AdminCommand::ApiKey(c) => done(setup::api_key(&app, c).await),
        AdminCommand::ErpApp(c) => done(setup::erp_app(&app, c).await),
        AdminCommand::Balance(c) => done(setup::balance(&app, c).await),
        AdminCommand::Sku(c) => done(catalog::sku(&app, c).await),
        AdminCommand::Stock(c) => done(stock::stock(&app, c).await),
        AdminCommand::Inbound(c) => done(stock::inbound(&app, c).await),
        AdminCommand::Order(c) => done(orders::order(&app, c).await),
        AdminCommand::Location(c) => done(locations::location(&app, c).await),
        AdminCommand::Return(c) => done(returns::run(&app, c).await),
        AdminCommand::Backup(a) => done(backup::backup(&store, a).await),
        AdminCommand::Restore(_) => Ok(ExitCode::SUCCESS),
        AdminCommand::Check => check(&app).await,
        AdminCommand::Appointment(c) => done(receiving::appointment(&app, c).await),
        AdminCommand::Receive(c) => done(receiving::receive(&app, c).await),
        AdminCommand::Unidentified(c) => done(receiving::unidentified(&app, c).await),
        AdminCommand::Count(c) => done(counts::run(&app, c).await),
        AdminCommand::Sandbox(c) => done(sandbox::run(&app, c).await),
    };
    store.close().await;
    result
}

async fn check(app: &App) -> anyhow::Result<ExitCode> {
    let violations = app.check_ledger().await?;
    if violations.is_empty() {
        println!("ok: every ledger invariant holds");
        return Ok(ExitCode::SUCCESS);
    }
    for v in &violations {
        eprintln!("violation: {v}");
    }
    eprintln!("error: {} ledger invariant violation(s)", violations.len());
    Ok(ExitCode::FAILURE)
}

/// Prints a value as pretty JSON.
pub(crate) fn print(v: &impl Serialize) -> anyhow::Result<()> {
    println!("{}", serde_json::to_string_pretty(v)?);
    Ok(())
}

/// A client by id or name.
pub(crate) async fn find_client(app: &App, key: &str) -> anyhow::Result<Client> {
    Ok(app.find_client(key).await?)
}

/// Parses a decimal money amount such as `100.00` into minor units.
pub(crate) fn parse_amount(s: &str) -> anyhow::Result<i64> {
    Ok(entrepot_core::money::parse_minor(s, 2)?)
}
