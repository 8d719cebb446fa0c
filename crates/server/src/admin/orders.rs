//! Admin commands for outbound orders: manual orders placed on a client's behalf (B2B, phone
//! orders) and the warehouse status steps (wait picking → picking → packed → shipped).

use clap::{Args, Subcommand};
use entrepot_app::{App, OrderBatch, PlacedOrders, Placement, Tenant};
use entrepot_core::{
    company::Address,
    outbound::{Customs, NewOutbound, OutboundStatus},
};

use super::{find_client, print};

#[derive(Debug, Subcommand)]
pub enum OrderCmd {
    /// Place (and submit) an order for a client.
    Place(PlaceArgs),
    /// Move an order to another status (SUBMITTED, WAIT_PICKING, PICKING, PACKED, SHIPPED, DELIVERED, CANCELLED, EXCEPTION).
    Status {
        #[arg(long)]
        client: String,
        /// Order id, OC number, Bird id or reference.
        #[arg(long)]
        order: String,
        #[arg(long)]
        to: String,
    },
    Show {
        #[arg(long)]
        client: String,
        #[arg(long)]
        order: String,
    },
    List {
        #[arg(long)]
        client: String,
    },
}

#[derive(Debug, Args)]
pub struct PlaceArgs {
    #[arg(long)]
    client: String,
    #[arg(long)]
    warehouse: String,
    /// Service code, e.g. GBDomesticStandard.
    #[arg(long)]
    service: String,
    /// The client's unique reference for the order.
    #[arg(long)]
    reference: String,
    /// SKU:QTY (repeatable); SKU is the seller SKU, MFSKUID or product id.
    #[arg(long = "line", required = true)]
    lines: Vec<String>,
    #[arg(long)]
    to_name: String,
    #[arg(long)]
    to_line: Vec<String>,
    #[arg(long)]
    to_city: String,
    #[arg(long, default_value = "")]
    to_postcode: String,
    #[arg(long)]
    to_country: String,
    #[arg(long)]
    ioss: Option<String>,
    #[arg(long)]
    eori: Option<String>,
    /// Leave the order as a draft (no reservation).
    #[arg(long)]
    draft: bool,
}

pub async fn order(app: &App, c: OrderCmd) -> anyhow::Result<()> {
    match c {
        OrderCmd::Place(a) => {
            let client = find_client(app, &a.client).await?;
            let wh = app.warehouse_by_code(&a.warehouse).await?;
            let svc = app.service_by_code(&wh.id, &a.service).await?;
            let mut lines = vec![];
            for l in &a.lines {
                let (sku, qty) = l.rsplit_once(':').ok_or_else(|| anyhow::anyhow!("line '{l}' must be SKU:QTY"))?;
                let qty: i64 =
                    qty.trim().parse().map_err(|_| anyhow::anyhow!("line '{l}': '{qty}' is not a quantity"))?;
                lines.push((app.resolve_sku(&client.id, sku).await?.id, qty));
            }
            let new = NewOutbound {
                client_id: client.id,
                reference: a.reference,
                platform: None,
                platform_order_id: None,
                recipient: Address {
                    name: a.to_name,
                    lines: a.to_line,
                    city: a.to_city,
                    postcode: a.to_postcode,
                    country: a.to_country,
                    ..Default::default()
                },
                sender: None,
                lines,
                customs: Customs { ioss: a.ioss, shipper_eori: a.eori, ..Default::default() },
                ..Default::default()
            };
            let tenant = Tenant::of(&new.client_id);
            let batch = OrderBatch::Stock { orders: vec![(new, svc.id)], known_skus: vec![] };
            let placed = app.place_orders(&tenant, batch, Placement::EachOnItsOwn, !a.draft).await;
            print(&placed.and_then(PlacedOrders::one)?)
        }
        OrderCmd::Status { client, order, to } => {
            let client = find_client(app, &client).await?;
            let o = app.find_order(&client.id, &order).await?;
            let to: OutboundStatus = to.parse()?;
            print(&app.transition_order(&client.id, &o.id, to).await?)
        }
        OrderCmd::Show { client, order } => {
            let client = find_client(app, &client).await?;
            print(&app.find_order(&client.id, &order).await?)
        }
        OrderCmd::List { client } => {
            let client = find_client(app, &client).await?;
            print(&app.list_orders(&client.id, &Default::default()).await?.0)
        }
    }
}
