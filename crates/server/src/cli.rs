//! The command line. Every option of `serve` and the database options of `admin` can also be set
//! with an `ENTREPOT_*` environment variable (flags win).

use std::{net::SocketAddr, path::PathBuf};

use clap::{Args, Parser, Subcommand};

use crate::admin::AdminCommand;

#[derive(Debug, Parser)]
#[command(
    name = "entrepot",
    version,
    about = "Overseas-warehouse fulfilment server speaking the BirdSystem and OrangeConnex APIs"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the HTTP server.
    Serve(ServeArgs),
    /// Administer companies, warehouses, services, clients, SKUs, stock and balances.
    Admin {
        #[command(flatten)]
        db: DbArgs,
        #[command(subcommand)]
        command: AdminCommand,
    },
}

/// Where the data lives; shared by `serve` and `admin` so both open the same database.
#[derive(Debug, Clone, Args)]
pub struct DbArgs {
    /// Directory for the SQLite database, generated files and demo credentials.
    #[arg(long, env = "ENTREPOT_DATA_DIR", default_value = "./data", global = true)]
    pub data_dir: PathBuf,
    /// Database URL; defaults to SQLite in the data directory. A postgres:// URL selects PostgreSQL.
    #[arg(long, env = "ENTREPOT_DATABASE_URL", global = true)]
    pub database_url: Option<String>,
}

impl DbArgs {
    /// The database URL, creating the data directory when SQLite is used there.
    pub fn resolve(&self) -> anyhow::Result<String> {
        std::fs::create_dir_all(&self.data_dir)
            .map_err(|e| anyhow::anyhow!("cannot create data directory {}: {e}", self.data_dir.display()))?;
        Ok(match &self.database_url {
            Some(url) if !url.trim().is_empty() => url.trim().to_owned(),
            _ => format!("sqlite://{}?mode=rwc", self.data_dir.join("entrepot.db").display()),
        })
    }
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Address to listen on.
    #[arg(long, env = "ENTREPOT_LISTEN", default_value = "127.0.0.1:8080")]
    pub listen: SocketAddr,
    /// Seed demo data (idempotent) and print its credentials.
    #[arg(long, env = "ENTREPOT_DEMO")]
    pub demo: bool,
    /// Requests per second each client may make, sustained, across both dialects (0: no limit).
    #[arg(long, env = "ENTREPOT_CLIENT_RATE_PER_SEC", default_value_t = 1000)]
    pub client_rate_per_sec: u32,
    /// Requests a client may make at once above its sustained rate (the bucket's size).
    #[arg(long, env = "ENTREPOT_CLIENT_BURST", default_value_t = 2000, value_parser = clap::value_parser!(u32).range(1..))]
    pub client_burst: u32,
    #[command(flatten)]
    pub db: DbArgs,
}
