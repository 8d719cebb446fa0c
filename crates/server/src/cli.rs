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
    /// Reverse proxies (IPs or CIDR blocks, comma-separated) whose `X-Forwarded-For` names the
    /// client; anyone else's is ignored. The login page throttles guesses per client address.
    #[arg(long = "trusted-proxy", env = "ENTREPOT_TRUSTED_PROXIES", value_delimiter = ',', value_parser = ip_net)]
    pub trusted_proxies: Vec<ipnet::IpNet>,
    #[command(flatten)]
    pub db: DbArgs,
}

/// An IP network, or one address (a /32 or /128).
fn ip_net(s: &str) -> Result<ipnet::IpNet, String> {
    let s = s.trim();
    s.parse::<ipnet::IpNet>()
        .or_else(|_| s.parse::<std::net::IpAddr>().map(ipnet::IpNet::from))
        .map_err(|_| format!("'{s}' is not an IP address or CIDR block"))
}
