//! `entrepot admin return ...`: receiving returns and running their actions, as staff do on the
//! floor (the admin CLI acts as the system, `admin-cli`, in the audit trail).

use anyhow::Context;
use clap::Subcommand;
use entrepot_app::{App, ReturnArrival, ReturnCommand, ScannedUnit};
use entrepot_core::{
    actor::Actor,
    ids::UnidentifiedReturnId,
    returns::{ActionRate, Condition, ReturnAction},
};

use super::{parse_amount, print};

#[derive(Debug, Subcommand)]
pub enum ReturnCmd {
    /// Receive a return by its consignment id or tracking number; a scan that matches no return
    /// goes to the unidentified returns queue.
    Receive {
        /// Warehouse code where the parcel arrived.
        #[arg(long)]
        warehouse: String,
        /// The consignment id or the buyer's tracking number.
        #[arg(long)]
        scan: String,
        /// `SKU:QTY` or `SKU:QTY:damaged` (SKU = product id, seller SKU or MFSKUID); repeatable.
        #[arg(long = "line")]
        lines: Vec<String>,
        #[arg(long)]
        note: Option<String>,
    },
    /// Run an action on a received return: the seller's requested one unless --action names one
    /// (restock, hold, dispose, inspect, forward).
    Action {
        #[arg(long)]
        scan: String,
        #[arg(long)]
        action: Option<String>,
        /// Inspection notes.
        #[arg(long)]
        notes: Option<String>,
        /// Blob key of a photo already stored; repeatable.
        #[arg(long = "photo")]
        photos: Vec<String>,
        /// The onward parcel's reference (required to forward).
        #[arg(long)]
        forward_reference: Option<String>,
        #[arg(long)]
        forward_address: Option<String>,
    },
    /// A return's status and outcome.
    Show {
        #[arg(long)]
        scan: String,
    },
    /// The unidentified returns queue.
    Unidentified {
        #[arg(long)]
        warehouse: Option<String>,
    },
    /// Match an unidentified return to the authorisation staff found for it.
    Match {
        /// The unidentified return's id (`urt_...`).
        #[arg(long)]
        id: String,
        /// The authorisation's consignment id or tracking number.
        #[arg(long)]
        scan: String,
    },
    /// A warehouse's returns rate card (the standard card until one is set).
    Rates {
        #[arg(long)]
        warehouse: String,
    },
    /// Sets a warehouse's returns rate card; what is not given keeps its current price.
    SetRates {
        #[arg(long)]
        warehouse: String,
        /// Receiving, per unit (e.g. `0.20`).
        #[arg(long)]
        receive_per_unit: Option<String>,
        /// `ACTION:PER_RETURN:PER_UNIT`, e.g. `restock:1.50:0.10`; repeatable.
        #[arg(long = "rate")]
        rates: Vec<String>,
    },
}

/// One `--line`: `SKU:QTY[:good|damaged]`.
fn line(s: &str) -> anyhow::Result<ScannedUnit> {
    let parts: Vec<&str> = s.split(':').collect();
    let (sku, qty, condition) = match parts.as_slice() {
        [sku, qty] => (*sku, *qty, Condition::Good),
        [sku, qty, c] => (*sku, *qty, c.parse::<Condition>()?),
        _ => anyhow::bail!("--line '{s}': expected SKU:QTY or SKU:QTY:damaged"),
    };
    let qty = qty.trim().parse().with_context(|| format!("--line '{s}': '{qty}' is not a quantity"))?;
    Ok(ScannedUnit { sku: sku.to_owned(), condition, qty })
}

pub async fn run(app: &App, cmd: ReturnCmd) -> anyhow::Result<()> {
    let actor = Actor::system("admin-cli");
    match cmd {
        ReturnCmd::Receive { warehouse, scan, lines, note } => {
            let wh = app.warehouse_by_code(&warehouse).await?;
            let lines = lines.iter().map(|l| line(l)).collect::<anyhow::Result<Vec<_>>>()?;
            print(&app.receive_return(&actor, &wh.id, &scan, ReturnArrival { lines, note }).await?)
        }
        ReturnCmd::Action { scan, action, notes, photos, forward_reference, forward_address } => {
            let action = action.map(|a| a.parse::<ReturnAction>()).transpose()?;
            let cmd = ReturnCommand { action, notes, photos, forward_reference, forward_address };
            print(&app.run_return_action(&actor, &scan, cmd).await?)
        }
        ReturnCmd::Show { scan } => print(&app.return_status(&actor, &scan).await?),
        ReturnCmd::Match { id, scan } => {
            print(&app.match_unidentified_return(&actor, &UnidentifiedReturnId::from(id.as_str()), &scan).await?)
        }
        ReturnCmd::Rates { warehouse } => {
            let wh = app.warehouse_by_code(&warehouse).await?;
            print(&app.return_rates(&wh.id).await?)
        }
        ReturnCmd::SetRates { warehouse, receive_per_unit, rates } => {
            let wh = app.warehouse_by_code(&warehouse).await?;
            let mut card = app.return_rates(&wh.id).await?;
            if let Some(r) = receive_per_unit {
                card.receive_per_unit = parse_amount(&r)?;
            }
            for r in &rates {
                let [action, per_return, per_unit] = r.split(':').collect::<Vec<_>>()[..] else {
                    anyhow::bail!("--rate '{r}': expected ACTION:PER_RETURN:PER_UNIT, e.g. restock:1.50:0.10");
                };
                let rate = ActionRate { per_return: parse_amount(per_return)?, per_unit: parse_amount(per_unit)? };
                card.actions.insert(action.parse::<ReturnAction>()?, rate);
            }
            app.set_return_rates(&actor, &wh.id, card.clone()).await?;
            print(&card)
        }
        ReturnCmd::Unidentified { warehouse } => {
            let wh = match warehouse {
                Some(code) => Some(app.warehouse_by_code(&code).await?.id),
                None => None,
            };
            print(&app.unidentified_returns(&actor, wh.as_ref()).await?)
        }
    }
}
