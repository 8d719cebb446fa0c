//! Admin commands for SKUs: creation on a seller's behalf and the audit that OC-created SKUs
//! wait for (submit → measure → approve | reject), through the floor's use cases as the system
//! actor `admin-cli` (so each step is in the audit trail).

use clap::{Args, Subcommand};
use entrepot_app::{App, NewSku, SkuAuditCursor, SkuAuditQuery, SkuFilter, SkuVerdict};
use entrepot_core::{
    actor::Actor,
    ids::SkuId,
    share::ShareWith,
    sku::{CustomsProperty, MeasuredValues, SkuStatus},
};

use super::{find_client, parse_amount, print};

#[derive(Debug, Subcommand)]
pub enum SkuCmd {
    /// Create a SKU (approved at once with --approved, as Bird products are).
    Create(SkuArgs),
    /// The seller submits a draft for audit.
    Submit(SkuRef),
    /// The SKUs waiting for audit, oldest first.
    Queue {
        /// Only this client's (id or name).
        #[arg(long)]
        client: Option<String>,
        /// The page after this entry (`<submitted_at_ms>:<sku id>`, the `cursor` of the last one).
        #[arg(long)]
        after: Option<String>,
        #[arg(long, default_value_t = 50)]
        limit: i64,
    },
    /// Staff record what a SKU under review (or approved) measured and weighed; these values
    /// override the seller's declared ones, which are kept.
    Measure {
        #[command(flatten)]
        sku: SkuRef,
        #[command(flatten)]
        measured: Measured,
    },
    /// Staff approve a submitted SKU (measuring it first if values are given).
    Approve {
        #[command(flatten)]
        sku: SkuRef,
        #[command(flatten)]
        measured: Measured,
    },
    /// Staff reject a submitted SKU, saying why (shown to the seller).
    Reject {
        #[command(flatten)]
        sku: SkuRef,
        #[arg(long)]
        reason: String,
        #[command(flatten)]
        measured: Measured,
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
    /// Let other clients order this SKU from its owner's stock (a shared product): one client
    /// (id or name) with `--with`, or every client with `--with '*'`.
    Share {
        #[command(flatten)]
        sku: SkuRef,
        #[arg(long)]
        with: String,
    },
    /// End a share (orders placed under it keep their lines).
    Unshare {
        #[command(flatten)]
        sku: SkuRef,
        #[arg(long)]
        with: String,
    },
    /// Whom a SKU is shared with.
    Shares(SkuRef),
}

#[derive(Debug, Args)]
pub struct SkuRef {
    #[arg(long)]
    client: String,
    /// Seller SKU, MFSKUID or product id.
    #[arg(long)]
    sku: String,
}

/// Measured values; those not given keep their current value.
#[derive(Debug, Args)]
pub struct Measured {
    #[arg(long = "weight-g")]
    weight_g: Option<i64>,
    #[arg(long = "length-mm")]
    length_mm: Option<i64>,
    #[arg(long = "width-mm")]
    width_mm: Option<i64>,
    #[arg(long = "height-mm")]
    height_mm: Option<i64>,
}

impl Measured {
    fn values(&self) -> MeasuredValues {
        MeasuredValues {
            weight_g: self.weight_g,
            length_mm: self.length_mm,
            width_mm: self.width_mm,
            height_mm: self.height_mm,
        }
    }
}

/// The actor of every audit command.
fn cli() -> Actor {
    Actor::system("admin-cli")
}

/// Measures the SKU when values are given.
async fn measure_if_given(app: &App, r: &SkuRef, m: &Measured) -> anyhow::Result<()> {
    if !m.values().is_empty() {
        let (client, id) = resolve(app, r).await?;
        app.measure_sku(&cli(), &client, id, m.values()).await?;
    }
    Ok(())
}

/// `<submitted_at_ms>:<sku id>`.
fn parse_cursor(s: &str) -> anyhow::Result<SkuAuditCursor> {
    let bad = || anyhow::anyhow!("--after '{s}' is not a queue cursor (<submitted_at_ms>:<sku id>)");
    let (at, id) = s.trim().split_once(':').ok_or_else(bad)?;
    Ok(SkuAuditCursor { submitted_at_ms: at.parse().map_err(|_| bad())?, id: SkuId(id.parse().map_err(|_| bad())?) })
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
            print(&app.submit_sku_for_audit(&cli(), &client, sku).await?)
        }
        SkuCmd::Queue { client, after, limit } => {
            let client = match client {
                Some(c) => Some(find_client(app, &c).await?.id),
                None => None,
            };
            let after = after.as_deref().map(parse_cursor).transpose()?;
            let items = app.sku_audit_queue(&cli(), &SkuAuditQuery { client, after, limit }).await?;
            let rows: Vec<_> = items
                .iter()
                .map(|i| {
                    let c = i.cursor();
                    serde_json::json!({"submitted_at_ms": i.submitted_at_ms, "cursor": format!("{}:{}", c.submitted_at_ms, c.id.0), "sku": i.sku})
                })
                .collect();
            print(&rows)
        }
        SkuCmd::Measure { sku, measured } => {
            let (client, id) = resolve(app, &sku).await?;
            print(&app.measure_sku(&cli(), &client, id, measured.values()).await?)
        }
        SkuCmd::Approve { sku, measured } => {
            measure_if_given(app, &sku, &measured).await?;
            let (client, id) = resolve(app, &sku).await?;
            print(&app.decide_sku(&cli(), &client, id, SkuVerdict::Approve).await?)
        }
        SkuCmd::Reject { sku, reason, measured } => {
            measure_if_given(app, &sku, &measured).await?;
            let (client, id) = resolve(app, &sku).await?;
            print(&app.decide_sku(&cli(), &client, id, SkuVerdict::Reject { reason }).await?)
        }
        SkuCmd::SetActive { sku, active } => {
            let (client, id) = resolve(app, &sku).await?;
            print(&app.set_sku_active(&client, id, active).await?)
        }
        SkuCmd::List { client } => {
            let client = find_client(app, &client).await?;
            print(&app.list_skus(&client.id, &SkuFilter::default()).await?.0)
        }
        SkuCmd::Share { sku, with } => {
            let (client, id) = resolve(app, &sku).await?;
            app.share_sku(&client, id, &share_with(app, &with).await?).await?;
            print(&shares_of(app, &client, id).await?)
        }
        SkuCmd::Unshare { sku, with } => {
            let (client, id) = resolve(app, &sku).await?;
            if !app.unshare_sku(&client, id, &share_with(app, &with).await?).await? {
                anyhow::bail!("SKU {} was not shared with {with}", sku.sku);
            }
            print(&shares_of(app, &client, id).await?)
        }
        SkuCmd::Shares(r) => {
            let (client, id) = resolve(app, &r).await?;
            print(&shares_of(app, &client, id).await?)
        }
    }
}

/// `*` (every client), or a client by id or name.
async fn share_with(app: &App, with: &str) -> anyhow::Result<ShareWith> {
    Ok(match with.parse::<ShareWith>()? {
        ShareWith::Everyone => ShareWith::Everyone,
        ShareWith::Client(_) => ShareWith::Client(find_client(app, with).await?.id),
    })
}

/// A SKU's shares as the CLI prints them: `["*"]`, `["cli_..."]`.
async fn shares_of(app: &App, client: &entrepot_core::ids::ClientId, id: SkuId) -> anyhow::Result<Vec<String>> {
    let shares = app.sku_shares(client, &[id]).await?;
    Ok(shares.get(&id).into_iter().flatten().map(ToString::to_string).collect())
}

pub(crate) async fn resolve(
    app: &App,
    r: &SkuRef,
) -> anyhow::Result<(entrepot_core::ids::ClientId, entrepot_core::ids::SkuId)> {
    let client = find_client(app, &r.client).await?;
    let sku = app.resolve_sku(&client.id, &r.sku).await?;
    Ok((client.id, sku.id))
}
