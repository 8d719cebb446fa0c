//! `entrepot admin ...`: the operator's tool, working directly on the same database as the
//! server. Output is JSON on stdout so that scripts can use it; secrets appear only in the output
//! of the command that created them.

mod backup;
mod catalog;
mod orders;
mod setup;
mod stock;

use std::process::ExitCode;

use clap::Subcommand;
use entrepot_core::company::Client;
use entrepot_store::Store;
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
    User(setup::UserCmd),
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
    /// Verify every ledger invariant; exits non-zero naming each violation.
    Check,
    /// Write a consistent copy of the SQLite database while the server runs.
    Backup(backup::BackupArgs),
    /// Replace the SQLite database with a backup (the server must be stopped).
    Restore(backup::RestoreArgs),
}

pub async fn run(db: DbArgs, cmd: AdminCommand) -> anyhow::Result<ExitCode> {
    let cmd = match cmd {
        // Before anything opens the database it replaces.
        AdminCommand::Restore(args) => return backup::restore(&db, args).await.map(|_| ExitCode::SUCCESS),
        cmd => cmd,
    };
    let store = db.open().await?;
    let result = match cmd {
        AdminCommand::Company(c) => setup::company(&store, c).await,
        AdminCommand::Warehouse(c) => setup::warehouse(&store, c).await,
        AdminCommand::Service(c) => setup::service(&store, c).await,
        AdminCommand::Client(c) => setup::client(&store, c).await,
        AdminCommand::User(c) => setup::user(&store, c).await,
        AdminCommand::ApiKey(c) => setup::api_key(&store, c).await,
        AdminCommand::ErpApp(c) => setup::erp_app(&store, c).await,
        AdminCommand::Balance(c) => setup::balance(&store, c).await,
        AdminCommand::Sku(c) => catalog::sku(&store, c).await,
        AdminCommand::Stock(c) => stock::stock(&store, c).await,
        AdminCommand::Inbound(c) => stock::inbound(&store, c).await,
        AdminCommand::Order(c) => orders::order(&store, c).await,
        AdminCommand::Backup(a) => backup::backup(&store, a).await,
        AdminCommand::Restore(_) => Ok(()),
        AdminCommand::Check => return check(&store).await,
    };
    store.close().await;
    result.map(|_| ExitCode::SUCCESS)
}

async fn check(store: &Store) -> anyhow::Result<ExitCode> {
    let violations = store.check().await?;
    store.close().await;
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
pub(crate) async fn find_client(store: &Store, key: &str) -> anyhow::Result<Client> {
    Ok(store.find_client(key).await?)
}

/// Parses a decimal money amount such as `100.00` into minor units.
pub(crate) fn parse_amount(s: &str) -> anyhow::Result<i64> {
    Ok(entrepot_core::money::parse_minor(s, 2)?)
}
