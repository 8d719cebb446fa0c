//! `entrepot admin backup` and `admin restore`: an online, consistent copy of a SQLite database
//! and putting one back (see the store's `backup`). The key that seals the database's secrets is
//! not in the copy: keep the key file (or `ENTREPOT_SECRET_KEY`) beside every backup.

use std::path::PathBuf;

use clap::Args;
use entrepot_store::Store;
use serde_json::json;

use super::print;
use crate::cli::DbArgs;

const KEEP_THE_KEY: &str =
    "keep the secret key (the key file or ENTREPOT_SECRET_KEY) with this backup: without it the sealed OC SecretKeys and webhook secrets cannot be read";

#[derive(Debug, Args)]
pub struct BackupArgs {
    /// The file to write; it must not exist.
    #[arg(long)]
    to: PathBuf,
}

#[derive(Debug, Args)]
pub struct RestoreArgs {
    /// A file written by `admin backup`.
    #[arg(long)]
    from: PathBuf,
}

/// Writes the backup while the server keeps running. A copy of the database file is the engine's
/// business, below every entity and use case, so it takes the [`Store`] rather than the `App`.
pub async fn backup(store: &Store, args: BackupArgs) -> anyhow::Result<()> {
    let bytes = store.backup_to(&args.to).await?;
    print(&json!({"backup": args.to, "bytes": bytes, "note": KEEP_THE_KEY}))
}

/// Puts a backup in place of the database; the server must be stopped. Runs before anything
/// opens the database.
pub async fn restore(db: &DbArgs, args: RestoreArgs) -> anyhow::Result<()> {
    let url = db.resolve()?;
    let from = args.from.clone();
    let target = tokio::task::spawn_blocking(move || entrepot_store::restore_sqlite(&url, &from)).await??;
    print(&json!({"restored": target, "from": args.from, "note": KEEP_THE_KEY}))
}
