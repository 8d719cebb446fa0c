//! Admin commands for cycle counts: create tasks (bins, a range, or a SKU's locations), list
//! and show them, record a count, approve or reject a variance, set the warehouse's approval
//! threshold. Thin calls on the `App` count use cases, as the system user `admin-cli` (which
//! sees expected quantities and may approve).

use clap::Subcommand;
use entrepot_app::{App, CountFilter, CountResults, CountScanIn, CountTarget};
use entrepot_core::count::CountState;

use super::{find_client, locations::admin_actor, print};

#[derive(Debug, Subcommand)]
pub enum CountCmd {
    /// Create count tasks: --bin (repeatable), --range, or --client and --sku (every location
    /// holding it).
    Create {
        #[arg(long)]
        warehouse: String,
        #[arg(long = "bin")]
        bins: Vec<String>,
        #[arg(long)]
        range: Option<String>,
        #[arg(long)]
        client: Option<String>,
        /// Seller SKU, MFSKUID or product id.
        #[arg(long)]
        sku: Option<String>,
    },
    /// List a warehouse's count tasks, oldest first (page with --after <last id>).
    List {
        #[arg(long)]
        warehouse: String,
        /// open, counted, adjusted, approved or rejected.
        #[arg(long)]
        state: Option<String>,
        #[arg(long)]
        after: Option<String>,
        #[arg(long, default_value_t = 100)]
        limit: i64,
    },
    /// One task with its lines.
    Show {
        #[arg(long)]
        id: String,
    },
    /// Record a count: the bin, then --scan CODE[:QTY] per SKU label (repeatable).
    Record {
        #[arg(long)]
        id: String,
        #[arg(long)]
        bin: String,
        #[arg(long = "scan")]
        scans: Vec<String>,
        #[arg(long)]
        scan_id: Option<String>,
    },
    /// Approve a counted task: its variance goes into the ledger (reason IAA).
    Approve {
        #[arg(long)]
        id: String,
    },
    /// Reject a counted task (or cancel an open one).
    Reject {
        #[arg(long)]
        id: String,
        #[arg(long)]
        reason: Option<String>,
    },
    /// Show, or set with --units, the variance (units per SKU) applied without approval.
    Threshold {
        #[arg(long)]
        warehouse: String,
        #[arg(long)]
        units: Option<i64>,
    },
}

/// `CODE` or `CODE:QTY`.
fn scan(s: &str) -> anyhow::Result<CountScanIn> {
    match s.rsplit_once(':') {
        Some((code, qty)) => Ok(CountScanIn {
            code: code.to_owned(),
            qty: qty.trim().parse().map_err(|_| anyhow::anyhow!("--scan {s}: expected CODE or CODE:QTY"))?,
        }),
        None => Ok(CountScanIn { code: s.to_owned(), qty: 1 }),
    }
}

pub async fn run(app: &App, c: CountCmd) -> anyhow::Result<()> {
    let actor = admin_actor();
    match c {
        CountCmd::Create { warehouse, bins, range, client, sku } => {
            let wh = app.warehouse_by_code(&warehouse).await?;
            let target = match (bins.is_empty(), range, client, sku) {
                (false, None, None, None) => CountTarget::Bins(bins),
                (true, Some(r), None, None) => CountTarget::Range(r),
                (true, None, Some(c), Some(s)) => {
                    let client = find_client(app, &c).await?;
                    let sku = app.resolve_sku(&client.id, &s).await?;
                    CountTarget::Sku { client: client.id, sku: sku.id }
                }
                _ => anyhow::bail!("give --bin (repeatable), --range, or --client with --sku"),
            };
            print(&app.create_counts(&actor, &wh.id, target).await?)
        }
        CountCmd::List { warehouse, state, after, limit } => {
            let wh = app.warehouse_by_code(&warehouse).await?;
            let state = state.map(|s| s.parse::<CountState>()).transpose()?;
            print(&app.count_tasks(&actor, CountFilter { warehouse: wh.id, state, after, limit }).await?)
        }
        CountCmd::Show { id } => print(&app.count_task(&actor, &id).await?),
        CountCmd::Record { id, bin, scans, scan_id } => {
            let scans = scans.iter().map(|s| scan(s)).collect::<anyhow::Result<Vec<_>>>()?;
            print(&app.record_count(&actor, CountResults { task: id, bin, scans, scan_id }).await?)
        }
        CountCmd::Approve { id } => print(&app.approve_count(&actor, &id).await?),
        CountCmd::Reject { id, reason } => print(&app.reject_count(&actor, &id, reason.as_deref()).await?),
        CountCmd::Threshold { warehouse, units } => {
            let wh = app.warehouse_by_code(&warehouse).await?;
            let units = match units {
                Some(u) => app.set_count_threshold(&actor, &wh.id, u).await?,
                None => app.count_threshold(&actor, &wh.id).await?,
            };
            print(&serde_json::json!({"warehouse": wh.code, "count_approval_units": units}))
        }
    }
}
