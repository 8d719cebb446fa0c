//! Admin commands for bins: create locations (one or a range), list, disable, what each holds,
//! bin-to-bin moves and the putaway tasks, so operators without the console can run the floor.
//! They act as the system user `admin-cli`, which the audit trail records.

use clap::{Args, Subcommand};
use entrepot_app::{App, BinMove, LocationFilter, LocationStockFilter, NewLocation, NewLocationRange};
use entrepot_core::{actor::Actor, location::LocationKind};

use super::{find_client, print};

/// The actor every admin command acts as.
pub(crate) fn admin_actor() -> Actor {
    Actor::system("admin-cli")
}

#[derive(Debug, Subcommand)]
pub enum LocationCmd {
    /// Create one location.
    Create {
        #[command(flatten)]
        at: At,
        /// Location code, e.g. A-01-02-3 (zone, aisle, bay, level).
        #[arg(long)]
        code: String,
        #[command(flatten)]
        kind: KindArgs,
    },
    /// Create a range of locations, e.g. --range A-01..03-01..10-1..4 (at most 5000).
    Range {
        #[command(flatten)]
        at: At,
        #[arg(long)]
        range: String,
        #[command(flatten)]
        kind: KindArgs,
    },
    /// List locations in code order (page with --after <last code>).
    List {
        #[command(flatten)]
        at: At,
        #[arg(long)]
        zone: Option<String>,
        #[arg(long = "type")]
        kind: Option<String>,
        /// Codes starting with this.
        #[arg(long)]
        prefix: Option<String>,
        #[arg(long)]
        after: Option<String>,
        #[arg(long, default_value_t = 100)]
        limit: i64,
        #[arg(long)]
        include_disabled: bool,
    },
    /// Disable a location (it takes no new units), or enable it again with --enable.
    Disable {
        #[command(flatten)]
        at: At,
        #[arg(long)]
        code: String,
        #[arg(long)]
        enable: bool,
    },
    /// Units per location (all, or one location's).
    Stock {
        #[command(flatten)]
        at: At,
        #[arg(long)]
        code: Option<String>,
    },
    /// Move units of a SKU from one bin to another.
    Move {
        #[command(flatten)]
        at: At,
        #[arg(long)]
        client: String,
        /// Seller SKU, MFSKUID or product id.
        #[arg(long)]
        sku: String,
        #[arg(long)]
        from: String,
        #[arg(long)]
        to: String,
        #[arg(long)]
        qty: i64,
    },
    /// What waits at the dock to be put away, with the suggested bin.
    Tasks {
        #[command(flatten)]
        at: At,
    },
    /// Write bin labels (PDF, 100 x 50 mm, Code128) of the listed locations to --out.
    Labels {
        #[command(flatten)]
        at: At,
        /// Codes starting with this (default: every location).
        #[arg(long)]
        prefix: Option<String>,
        #[arg(long)]
        out: std::path::PathBuf,
    },
}

#[derive(Debug, Args)]
pub struct At {
    /// Warehouse code.
    #[arg(long)]
    warehouse: String,
}

#[derive(Debug, Args)]
pub struct KindArgs {
    /// pick_face, reserve, dock, returns, quarantine or damaged.
    #[arg(long = "type", default_value = "pick_face")]
    kind: String,
    /// Zone (default: the code's first part).
    #[arg(long)]
    zone: Option<String>,
    /// Walking order (default: after the warehouse's last bin).
    #[arg(long)]
    pick_seq: Option<i64>,
    /// Units the location holds at most.
    #[arg(long)]
    capacity: Option<i64>,
}

pub async fn location(app: &App, c: LocationCmd) -> anyhow::Result<()> {
    let actor = admin_actor();
    match c {
        LocationCmd::Create { at, code, kind } => {
            let wh = app.warehouse_by_code(&at.warehouse).await?;
            let n = NewLocation {
                code,
                zone: kind.zone,
                kind: kind.kind.parse::<LocationKind>()?,
                pick_seq: kind.pick_seq,
                capacity: kind.capacity,
            };
            print(&app.create_location(&actor, &wh.id, n).await?)
        }
        LocationCmd::Range { at, range, kind } => {
            let wh = app.warehouse_by_code(&at.warehouse).await?;
            let r = NewLocationRange {
                range,
                zone: kind.zone,
                kind: kind.kind.parse::<LocationKind>()?,
                pick_seq: kind.pick_seq,
                capacity: kind.capacity,
            };
            let made = app.create_location_range(&actor, &wh.id, r).await?;
            let first = made.first().map(|l| l.code.clone());
            let last = made.last().map(|l| l.code.clone());
            print(&serde_json::json!({"created": made.len(), "first": first, "last": last}))
        }
        LocationCmd::List { at, zone, kind, prefix, after, limit, include_disabled } => {
            let wh = app.warehouse_by_code(&at.warehouse).await?;
            let f = LocationFilter {
                warehouse: wh.id,
                zone,
                kind: kind.map(|k| k.parse::<LocationKind>()).transpose()?,
                code_prefix: prefix,
                after,
                include_disabled,
                limit,
            };
            print(&app.list_locations(&actor, f).await?)
        }
        LocationCmd::Disable { at, code, enable } => {
            let wh = app.warehouse_by_code(&at.warehouse).await?;
            print(&app.disable_location(&actor, &wh.id, &code, !enable).await?)
        }
        LocationCmd::Stock { at, code } => {
            let wh = app.warehouse_by_code(&at.warehouse).await?;
            let location = match code {
                Some(c) => Some(app.location(&actor, &wh.id, &c).await?.id),
                None => None,
            };
            let f = LocationStockFilter { warehouse: wh.id, location, ..Default::default() };
            print(&app.stock_by_location(&actor, f).await?)
        }
        LocationCmd::Move { at, client, sku, from, to, qty } => {
            let wh = app.warehouse_by_code(&at.warehouse).await?;
            let client = find_client(app, &client).await?;
            let sku = app.resolve_sku(&client.id, &sku).await?;
            let m = BinMove { client: client.id, sku: sku.id, warehouse: wh.id.clone(), from, to, qty };
            app.move_between_bins(&actor, m).await?;
            let f = LocationStockFilter { warehouse: wh.id, sku: Some(sku.id), ..Default::default() };
            print(&app.stock_by_location(&actor, f).await?)
        }
        LocationCmd::Tasks { at } => {
            let wh = app.warehouse_by_code(&at.warehouse).await?;
            print(&app.putaway_tasks(&actor, &wh.id, None, entrepot_app::MAX_PUTAWAY_TASKS).await?.items)
        }
        LocationCmd::Labels { at, prefix, out } => {
            let wh = app.warehouse_by_code(&at.warehouse).await?;
            let mut labels = vec![];
            let mut after = None;
            loop {
                let f = LocationFilter {
                    warehouse: wh.id.clone(),
                    code_prefix: prefix.clone(),
                    after: after.clone(),
                    limit: entrepot_app::MAX_LOCATION_PAGE,
                    ..Default::default()
                };
                let page = app.list_locations(&actor, f).await?;
                let Some(last) = page.last() else { break };
                after = Some(last.code.clone());
                labels.extend(page.iter().map(|l| entrepot_labels::BinLabel {
                    code: l.code.clone(),
                    caption: format!("{} - zone {} - {}", wh.code, l.zone, l.kind.as_str().replace('_', " ")),
                }));
                if labels.len() > entrepot_labels::MAX_PAGES {
                    break;
                }
            }
            let pdf = entrepot_labels::bin_labels(&labels).map_err(|e| anyhow::anyhow!("bin labels: {e}"))?;
            std::fs::write(&out, pdf)?;
            print(&serde_json::json!({"labels": labels.len(), "file": out}))
        }
    }
}
