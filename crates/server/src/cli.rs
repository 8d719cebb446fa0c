//! The command line. Every option of `serve` and the database options of `admin` can also be set
//! with an `ENTREPOT_*` environment variable (flags win).

use std::{net::SocketAddr, path::PathBuf};

use clap::{Args, Parser, Subcommand};
use entrepot_store::{SecretKey, Store};

use crate::admin::AdminCommand;

#[derive(Debug, Parser)]
#[command(
    name = "entrepot",
    version,
    about = "Overseas-warehouse fulfilment server speaking the BirdSystem and OrangeConnex APIs"
)]
pub struct Cli {
    /// Log lines on stderr as text or as one JSON object per line (`RUST_LOG` filters them).
    #[arg(long, env = "ENTREPOT_LOG_FORMAT", value_enum, ignore_case = true, default_value_t, global = true)]
    pub log_format: crate::config::LogFormat,
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
    /// File holding the key that seals OC SecretKeys and webhook secrets in the database, created
    /// (0600) when missing. Default: <data-dir>/secret.key. Keep it beside every backup.
    #[arg(long, env = "ENTREPOT_SECRET_KEY_FILE", global = true)]
    pub secret_key_file: Option<PathBuf>,
    /// The sealing key itself (32 bytes as 64 hex digits or base64) instead of a file: every
    /// process on one PostgreSQL database needs the same. Prefer the environment variable (a
    /// command line is visible to other users).
    #[arg(long, env = "ENTREPOT_SECRET_KEY", global = true, hide_env_values = true)]
    pub secret_key: Option<KeyText>,
}

/// The text of `ENTREPOT_SECRET_KEY`, parsed by [`DbArgs::secret_key`] so that no error message
/// (clap's would) and no `Debug` output repeats it.
#[derive(Clone)]
pub struct KeyText(String);

impl From<String> for KeyText {
    fn from(text: String) -> Self {
        KeyText(text)
    }
}

impl std::fmt::Debug for KeyText {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("KeyText(..)")
    }
}

impl DbArgs {
    /// The database URL, creating the data directory (0700) if it does not exist.
    pub fn resolve(&self) -> anyhow::Result<String> {
        let mut dir = std::fs::DirBuilder::new();
        dir.recursive(true);
        #[cfg(unix)]
        std::os::unix::fs::DirBuilderExt::mode(&mut dir, 0o700);
        dir.create(&self.data_dir)
            .map_err(|e| anyhow::anyhow!("cannot create data directory {}: {e}", self.data_dir.display()))?;
        Ok(match &self.database_url {
            Some(url) if !url.trim().is_empty() => url.trim().to_owned(),
            _ => format!("sqlite://{}?mode=rwc", self.data_dir.join("entrepot.db").display()),
        })
    }

    /// The sealing key: `ENTREPOT_SECRET_KEY`, else the key file (created on first use).
    pub fn secret_key(&self) -> anyhow::Result<SecretKey> {
        if let Some(KeyText(text)) = &self.secret_key {
            let key: SecretKey = text.parse().map_err(|e| anyhow::anyhow!("ENTREPOT_SECRET_KEY: {e}"))?;
            return Ok(key.with_origin("ENTREPOT_SECRET_KEY"));
        }
        let path = self.secret_key_file.clone().unwrap_or_else(|| self.data_dir.join("secret.key"));
        Ok(SecretKey::from_file_or_create(&path)?)
    }

    /// Opens the store the server and the admin commands share.
    pub async fn open(&self) -> anyhow::Result<Store> {
        let url = self.resolve()?;
        let key = self.secret_key()?;
        Ok(Store::open_with(&url, &key).await?)
    }

    /// Warns when the data directory is open to other users (it holds the database, the key
    /// file and the demo credentials). An existing directory is left as the operator made it.
    pub fn warn_if_shared(&self) {
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            if let Ok(meta) = std::fs::metadata(&self.data_dir) {
                let mode = meta.permissions().mode() & 0o777;
                if mode & 0o077 != 0 {
                    tracing::warn!(
                        data_dir = %self.data_dir.display(),
                        mode = format!("{mode:o}"),
                        "the data directory is open to other users; `chmod 700` it"
                    );
                }
            }
        }
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
    /// Requests per second each client may make, sustained, across both dialects (0: no limit).
    #[arg(long, env = "ENTREPOT_CLIENT_RATE_PER_SEC", default_value_t = 1000)]
    pub client_rate_per_sec: u32,
    /// Requests a client may make at once above its sustained rate (the bucket's size).
    #[arg(long, env = "ENTREPOT_CLIENT_BURST", default_value_t = 2000, value_parser = clap::value_parser!(u32).range(1..))]
    pub client_burst: u32,
    #[command(flatten)]
    pub db: DbArgs,
    #[command(flatten)]
    pub webhooks: crate::webhook_args::WebhookArgs,
    #[command(flatten)]
    pub workers: crate::config::WorkerArgs,
    #[command(flatten)]
    pub files: crate::files::FileArgs,
}

/// An IP network, or one address (a /32 or /128).
fn ip_net(s: &str) -> Result<ipnet::IpNet, String> {
    let s = s.trim();
    s.parse::<ipnet::IpNet>()
        .or_else(|_| s.parse::<std::net::IpAddr>().map(ipnet::IpNet::from))
        .map_err(|_| format!("'{s}' is not an IP address or CIDR block"))
}
