//! Admin commands for the warehouse floor: receive, put away, adjust and freeze stock, and the
//! inbound steps staff perform (appointment, arrival, closing).

use clap::{Args, Subcommand};
use entrepot_app::{App, PutawayScan};
use entrepot_core::inventory::Bucket;
use serde_json::json;

use super::{find_client, print};

#[derive(Debug, Args)]
pub struct StockRef {
    #[arg(long)]
    client: String,
    /// Warehouse code.
    #[arg(long)]
    warehouse: String,
    /// Seller SKU, MFSKUID or product id.
    #[arg(long)]
    sku: String,
}

#[derive(Debug, Subcommand)]
pub enum StockCmd {
    /// Receive goods at the dock (against --inbound, or unannounced).
    Receive {
        #[command(flatten)]
        at: StockRef,
        #[arg(long)]
        qty: i64,
        #[arg(long)]
        inbound: Option<String>,
    },
    /// Put received goods away: they become available, in --bin or else the suggested bin (at
    /// the dock when no bin fits).
    PutAway {
        #[command(flatten)]
        at: StockRef,
        #[arg(long)]
        qty: i64,
        #[arg(long)]
        inbound: Option<String>,
        /// The bin's code (default: the putaway suggestion).
        #[arg(long)]
        bin: Option<String>,
    },
    /// Correct a bucket by a signed delta (stock count, damage, found goods).
    Adjust {
        #[command(flatten)]
        at: StockRef,
        #[arg(long, allow_hyphen_values = true)]
        delta: i64,
        #[arg(long, default_value = "available")]
        bucket: String,
        #[arg(long)]
        note: Option<String>,
    },
    /// Freeze available units (or unfreeze with a negative quantity).
    Freeze {
        #[command(flatten)]
        at: StockRef,
        #[arg(long, allow_hyphen_values = true)]
        qty: i64,
    },
    Show {
        #[arg(long)]
        client: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum InboundCmd {
    /// Book the delivery appointment of a non-express inbound.
    Appointment(InboundRef),
    /// Mark an inbound as arrived at the dock.
    Arrive(InboundRef),
    /// Close an inbound whose remaining goods will not come.
    Close(InboundRef),
    Show(InboundRef),
}

#[derive(Debug, Args)]
pub struct InboundRef {
    #[arg(long)]
    client: String,
    /// Inbound number, id or the seller's reference.
    #[arg(long)]
    inbound: String,
}

async fn resolve(
    app: &App,
    at: &StockRef,
) -> anyhow::Result<(entrepot_core::ids::ClientId, entrepot_core::sku::Sku, entrepot_core::company::Warehouse)> {
    let client = find_client(app, &at.client).await?;
    let sku = app.resolve_sku(&client.id, &at.sku).await?;
    let wh = app.warehouse_by_code(&at.warehouse).await?;
    Ok((client.id, sku, wh))
}

pub async fn stock(app: &App, c: StockCmd) -> anyhow::Result<()> {
    match c {
        StockCmd::Receive { at, qty, inbound } => {
            let (client, sku, wh) = resolve(app, &at).await?;
            app.receive_stock(&client, sku.id, &wh.id, qty, inbound.as_deref()).await?;
            show_one(app, &client, &sku, &wh).await
        }
        StockCmd::PutAway { at, qty, inbound, bin } => {
            let (client, sku, wh) = resolve(app, &at).await?;
            let actor = super::locations::admin_actor();
            let bin = match bin {
                Some(b) => Some(b),
                None => app.suggest_bin(&actor, &wh.id, sku.id, qty).await?.map(|l| l.code),
            };
            match bin {
                // The operator named the bin, or took the suggestion: no second confirmation.
                Some(bin) => {
                    let scan = PutawayScan {
                        client: client.clone(),
                        sku: sku.id,
                        warehouse: wh.id.clone(),
                        qty,
                        inbound: inbound.clone(),
                        bin,
                        confirm_other_bin: true,
                    };
                    app.confirm_putaway(&actor, scan).await?;
                }
                None => app.put_away_stock(&client, sku.id, &wh.id, qty, inbound.as_deref()).await?,
            }
            show_one(app, &client, &sku, &wh).await
        }
        StockCmd::Adjust { at, delta, bucket, note } => {
            let (client, sku, wh) = resolve(app, &at).await?;
            let bucket: Bucket = bucket.parse()?;
            app.adjust_stock(&client, sku.id, &wh.id, bucket, delta, note.as_deref()).await?;
            show_one(app, &client, &sku, &wh).await
        }
        StockCmd::Freeze { at, qty } => {
            let (client, sku, wh) = resolve(app, &at).await?;
            app.freeze_stock(&client, sku.id, &wh.id, qty).await?;
            show_one(app, &client, &sku, &wh).await
        }
        StockCmd::Show { client } => {
            let client = find_client(app, &client).await?;
            let warehouses = app.warehouses().await?;
            let rows: Vec<_> = app
                .stock(&client.id, &[], None)
                .await?
                .iter()
                .map(|r| {
                    let code =
                        warehouses.iter().find(|w| w.id == r.warehouse_id).map(|w| w.code.clone()).unwrap_or_default();
                    row_json(r.sku_id.0, &code, &r.position)
                })
                .collect();
            print(&rows)
        }
    }
}

fn row_json(sku: i64, warehouse: &str, p: &entrepot_core::inventory::Position) -> serde_json::Value {
    let mut v = json!({"sku_id": sku, "warehouse": warehouse});
    for b in Bucket::HELD {
        v[b.as_str()] = json!(p.get(b));
    }
    v
}

async fn show_one(
    app: &App,
    client: &entrepot_core::ids::ClientId,
    sku: &entrepot_core::sku::Sku,
    wh: &entrepot_core::company::Warehouse,
) -> anyhow::Result<()> {
    let rows = app.stock(client, &[sku.id], Some(&wh.id)).await?;
    let p = rows.first().map(|r| r.position).unwrap_or_default();
    let mut v = row_json(sku.id.0, &wh.code, &p);
    v["seller_sku"] = json!(sku.seller_sku);
    print(&v)
}

pub async fn inbound(app: &App, c: InboundCmd) -> anyhow::Result<()> {
    let (r, action) = match c {
        InboundCmd::Appointment(r) => (r, "appointment"),
        InboundCmd::Arrive(r) => (r, "arrive"),
        InboundCmd::Close(r) => (r, "close"),
        InboundCmd::Show(r) => (r, "show"),
    };
    let client = find_client(app, &r.client).await?;
    let v = match action {
        "appointment" => app.book_inbound_appointment(&client.id, &r.inbound).await?,
        "arrive" => app.arrive_inbound(&client.id, &r.inbound).await?,
        "close" => app.close_inbound(&client.id, &r.inbound).await?,
        _ => app.find_inbound(&client.id, &r.inbound).await?,
    };
    print(&v)
}
