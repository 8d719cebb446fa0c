//! Admin commands for the warehouse floor: receive, put away, adjust and freeze stock, and the
//! inbound steps staff perform (appointment, arrival, closing).

use clap::{Args, Subcommand};
use entrepot_core::inventory::{Bucket, Reason, Transfer};
use entrepot_store::Store;
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
    /// Put received goods away: they become available.
    PutAway {
        #[command(flatten)]
        at: StockRef,
        #[arg(long)]
        qty: i64,
        #[arg(long)]
        inbound: Option<String>,
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
    store: &Store,
    at: &StockRef,
) -> anyhow::Result<(entrepot_core::ids::ClientId, entrepot_core::sku::Sku, entrepot_core::company::Warehouse)> {
    let client = find_client(store, &at.client).await?;
    let sku = store.resolve_sku(&client.id, &at.sku).await?;
    let wh = store.warehouse_by_code(&at.warehouse).await?;
    Ok((client.id, sku, wh))
}

pub async fn stock(store: &Store, c: StockCmd) -> anyhow::Result<()> {
    match c {
        StockCmd::Receive { at, qty, inbound } => {
            let (client, sku, wh) = resolve(store, &at).await?;
            match inbound {
                Some(ib) => {
                    store.receive_inbound(&client, &ib, sku.id, qty).await?;
                }
                None => {
                    store
                        .move_stock(
                            &client,
                            sku.id,
                            &wh.id,
                            Transfer::new(Bucket::Outside, Bucket::Received, qty, Reason::Received)?,
                            Some("unannounced receipt"),
                        )
                        .await?
                }
            }
            show_one(store, &client, &sku, &wh).await
        }
        StockCmd::PutAway { at, qty, inbound } => {
            let (client, sku, wh) = resolve(store, &at).await?;
            match inbound {
                Some(ib) => {
                    store.put_away_inbound(&client, &ib, sku.id, qty).await?;
                }
                None => {
                    store
                        .move_stock(
                            &client,
                            sku.id,
                            &wh.id,
                            Transfer::new(Bucket::Received, Bucket::Available, qty, Reason::PutAway)?,
                            None,
                        )
                        .await?
                }
            }
            show_one(store, &client, &sku, &wh).await
        }
        StockCmd::Adjust { at, delta, bucket, note } => {
            let (client, sku, wh) = resolve(store, &at).await?;
            let bucket: Bucket = bucket.parse()?;
            store.move_stock(&client, sku.id, &wh.id, Transfer::adjustment(bucket, delta)?, note.as_deref()).await?;
            show_one(store, &client, &sku, &wh).await
        }
        StockCmd::Freeze { at, qty } => {
            let (client, sku, wh) = resolve(store, &at).await?;
            let t = if qty >= 0 {
                Transfer::new(Bucket::Available, Bucket::Suspend, qty, Reason::Frozen)?
            } else {
                Transfer::new(Bucket::Suspend, Bucket::Available, -qty, Reason::Unfrozen)?
            };
            store.move_stock(&client, sku.id, &wh.id, t, None).await?;
            show_one(store, &client, &sku, &wh).await
        }
        StockCmd::Show { client } => {
            let client = find_client(store, &client).await?;
            let warehouses = store.warehouses().await?;
            let rows: Vec<_> = store
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
    store: &Store,
    client: &entrepot_core::ids::ClientId,
    sku: &entrepot_core::sku::Sku,
    wh: &entrepot_core::company::Warehouse,
) -> anyhow::Result<()> {
    let rows = store.stock(client, &[sku.id], Some(&wh.id)).await?;
    let p = rows.first().map(|r| r.position).unwrap_or_default();
    let mut v = row_json(sku.id.0, &wh.code, &p);
    v["seller_sku"] = json!(sku.seller_sku);
    print(&v)
}

pub async fn inbound(store: &Store, c: InboundCmd) -> anyhow::Result<()> {
    let (r, action) = match c {
        InboundCmd::Appointment(r) => (r, "appointment"),
        InboundCmd::Arrive(r) => (r, "arrive"),
        InboundCmd::Close(r) => (r, "close"),
        InboundCmd::Show(r) => (r, "show"),
    };
    let client = find_client(store, &r.client).await?;
    let v = match action {
        "appointment" => store.book_inbound_appointment(&client.id, &r.inbound).await?,
        "arrive" => store.arrive_inbound(&client.id, &r.inbound).await?,
        "close" => store.close_inbound(&client.id, &r.inbound).await?,
        _ => store.find_inbound(&client.id, &r.inbound).await?,
    };
    print(&v)
}
