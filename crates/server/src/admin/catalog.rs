//! Admin commands for SKUs: creation on a seller's behalf and the audit that OC-created SKUs
//! wait for (submit → approve | reject).

use clap::{Args, Subcommand};
use entrepot_app::{App, NewSku, SkuFilter};
use entrepot_core::sku::{CustomsProperty, SkuStatus};

use super::{find_client, parse_amount, print};

#[derive(Debug, Subcommand)]
pub enum SkuCmd {
    /// Create a SKU (approved at once with --approved, as Bird products are).
    Create(SkuArgs),
    /// The seller submits a draft for audit.
    Submit(SkuRef),
    /// Staff approve a submitted SKU.
    Approve(SkuRef),
    /// Staff reject a submitted SKU.
    Reject {
        #[command(flatten)]
        sku: SkuRef,
        #[arg(long)]
        reason: String,
    },
    /// Bird's ACTIVE/INACTIVE switch.
    SetActive {
        #[command(flatten)]
        sku: SkuRef,
        #[arg(long, action = clap::ArgAction::Set)]
        active: bool,
    },
    List {
        #[arg(long)]
        client: String,
    },
}

#[derive(Debug, Args)]
pub struct SkuRef {
    #[arg(long)]
    client: String,
    /// Seller SKU, MFSKUID or product id.
    #[arg(long)]
    sku: String,
}

#[derive(Debug, Args)]
pub struct SkuArgs {
    #[arg(long)]
    client: String,
    /// The seller's SKU code (Bird client_ref, OC sellerSKUID).
    #[arg(long)]
    sku: String,
    #[arg(long)]
    name: String,
    #[arg(long)]
    name_cn: Option<String>,
    #[arg(long)]
    weight_g: i64,
    #[arg(long, default_value_t = 0)]
    length_mm: i64,
    #[arg(long, default_value_t = 0)]
    width_mm: i64,
    #[arg(long, default_value_t = 0)]
    height_mm: i64,
    /// Declared value, e.g. 12.50.
    #[arg(long, default_value = "0")]
    value: String,
    #[arg(long, default_value = "GBP")]
    currency: String,
    #[arg(long)]
    hs_code: Option<String>,
    #[arg(long)]
    origin: Option<String>,
    /// Customs properties, comma separated.
    #[arg(long, default_value = "")]
    properties: String,
    #[arg(long)]
    approved: bool,
}

pub async fn sku(app: &App, c: SkuCmd) -> anyhow::Result<()> {
    match c {
        SkuCmd::Create(a) => {
            let client = find_client(app, &a.client).await?;
            let properties = a
                .properties
                .split(',')
                .map(str::trim)
                .filter(|p| !p.is_empty())
                .map(CustomsProperty::parse)
                .collect::<Result<Vec<_>, _>>()?;
            let n = NewSku {
                seller_sku: a.sku,
                reference_sku: None,
                name_en: a.name,
                name_cn: a.name_cn,
                weight_g: a.weight_g,
                length_mm: a.length_mm,
                width_mm: a.width_mm,
                height_mm: a.height_mm,
                declared_value: parse_amount(&a.value)?,
                declared_currency: a.currency.to_ascii_uppercase(),
                hs_code: a.hs_code,
                origin_country: a.origin,
                properties,
                image_url: None,
                status: if a.approved { SkuStatus::Approved } else { SkuStatus::Draft },
            };
            let created = app.create_skus(&client.id, vec![n]).await?;
            print(&created.first().ok_or_else(|| anyhow::anyhow!("no SKU was created"))?)
        }
        SkuCmd::Submit(r) => {
            let (client, sku) = resolve(app, &r).await?;
            print(&app.submit_sku(&client, sku).await?)
        }
        SkuCmd::Approve(r) => {
            let (client, sku) = resolve(app, &r).await?;
            print(&app.approve_sku(&client, sku).await?)
        }
        SkuCmd::Reject { sku, reason } => {
            let (client, id) = resolve(app, &sku).await?;
            print(&app.reject_sku(&client, id, reason).await?)
        }
        SkuCmd::SetActive { sku, active } => {
            let (client, id) = resolve(app, &sku).await?;
            print(&app.set_sku_active(&client, id, active).await?)
        }
        SkuCmd::List { client } => {
            let client = find_client(app, &client).await?;
            print(&app.list_skus(&client.id, &SkuFilter::default()).await?.0)
        }
    }
}

pub(crate) async fn resolve(
    app: &App,
    r: &SkuRef,
) -> anyhow::Result<(entrepot_core::ids::ClientId, entrepot_core::ids::SkuId)> {
    let client = find_client(app, &r.client).await?;
    let sku = app.resolve_sku(&client.id, &r.sku).await?;
    Ok((client.id, sku.id))
}
