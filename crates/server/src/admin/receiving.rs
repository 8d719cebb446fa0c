//! Admin commands for receiving at the dock: dock slots and appointments, receiving by scans
//! (as a handheld would send them), and the unidentified-freight queue. Each acts as
//! `Actor::system("admin-cli")` through the same use cases the native API calls.

use clap::{Args, Subcommand};
use entrepot_app::{App, NewSlots, NewUnexpected, NewUnidentified, ReceiveScan, Resolution};
use entrepot_core::{
    actor::Actor,
    appointment::{self, SlotPlan},
    inbound::Condition,
};
use serde_json::json;

use super::{find_client, print};

fn cli() -> Actor {
    Actor::system("admin-cli")
}

#[derive(Debug, Subcommand)]
pub enum AppointmentCmd {
    /// Creates dock slots for a range of days and hours (the warehouse's local time).
    Slots(SlotArgs),
    /// Lists a warehouse's slots from a day on (UTC times, booked / capacity).
    List {
        #[arg(long)]
        warehouse: String,
        /// First day (YYYY-MM-DD, the warehouse's date); today when absent.
        #[arg(long)]
        from: Option<String>,
        #[arg(long, default_value_t = 7)]
        days: i64,
    },
    /// Books (or moves) an inbound's appointment: into `--slot`, or the earliest free slot.
    Book {
        #[arg(long)]
        client: String,
        #[arg(long)]
        inbound: String,
        #[arg(long)]
        slot: Option<String>,
    },
    /// Cancels an inbound's appointment.
    Cancel {
        #[arg(long)]
        client: String,
        #[arg(long)]
        inbound: String,
    },
    /// Check-in at the dock: the inbound (its number) arrives.
    Arrive {
        #[arg(long)]
        inbound: String,
    },
    /// Records booked appointments whose slot has passed with no arrival as no-shows.
    NoShows,
}

#[derive(Debug, Args)]
pub struct SlotArgs {
    #[arg(long)]
    warehouse: String,
    /// First day, YYYY-MM-DD.
    #[arg(long)]
    from: String,
    /// Last day, YYYY-MM-DD (the first day when absent).
    #[arg(long)]
    to: Option<String>,
    /// Local hours, e.g. `08-16`.
    #[arg(long, default_value = "08-16")]
    hours: String,
    /// Minutes per slot.
    #[arg(long, default_value_t = 60)]
    minutes: i64,
    /// Inbounds per slot.
    #[arg(long, default_value_t = 2)]
    capacity: i64,
}

#[derive(Debug, Subcommand)]
pub enum ReceiveCmd {
    /// Scans a carton mark (or an inbound number): the expected lines.
    Open {
        #[arg(long)]
        code: String,
    },
    /// Scans a SKU label against an open inbound.
    Scan {
        #[arg(long)]
        inbound: String,
        #[arg(long)]
        code: String,
        #[arg(long, default_value_t = 1)]
        qty: i64,
        #[arg(long)]
        damaged: bool,
        /// The scan's own id: a replay with the same id counts nothing again.
        #[arg(long)]
        scan_id: Option<String>,
    },
    /// Records an unexpected SKU (not on the inbound, or not approved).
    Unexpected {
        #[arg(long)]
        inbound: String,
        #[arg(long)]
        code: String,
        #[arg(long, default_value_t = 1)]
        qty: i64,
        #[arg(long)]
        note: Option<String>,
        #[arg(long)]
        photo_key: Option<String>,
    },
    /// Closes the receipt: short lines recorded, each discrepancy an event.
    Close {
        #[arg(long)]
        inbound: String,
    },
    /// Shows the receipt: lines, counts, discrepancies, times.
    Show {
        #[arg(long)]
        inbound: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum UnidentifiedCmd {
    /// Records freight that came with no inbound order.
    Record {
        #[arg(long)]
        warehouse: String,
        #[arg(long)]
        carrier: Option<String>,
        #[arg(long)]
        tracking: Option<String>,
        #[arg(long, default_value_t = 1)]
        cartons: i64,
        #[arg(long)]
        note: Option<String>,
        #[arg(long)]
        photo_key: Option<String>,
    },
    /// The open queue (`--all` for resolved ones too).
    List {
        #[arg(long)]
        warehouse: Option<String>,
        #[arg(long)]
        all: bool,
    },
    /// Matches freight to a client's inbound (`--client --inbound`) or closes it (`--close REASON`).
    Resolve {
        id: String,
        #[arg(long, requires = "inbound")]
        client: Option<String>,
        #[arg(long, requires = "client")]
        inbound: Option<String>,
        #[arg(long, conflicts_with_all = ["client", "inbound"])]
        close: Option<String>,
    },
}

fn date(field: &str, s: &str) -> anyhow::Result<appointment::Date> {
    Ok(appointment::parse_date(field, s)?)
}

fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
        .unwrap_or(0)
}

pub async fn appointment(app: &App, c: AppointmentCmd) -> anyhow::Result<()> {
    match c {
        AppointmentCmd::Slots(a) => {
            let wh = app.warehouse_by_code(&a.warehouse).await?;
            let (first, last) = a
                .hours
                .split_once('-')
                .and_then(|(f, l)| Some((f.trim().parse::<i8>().ok()?, l.trim().parse::<i8>().ok()?)))
                .ok_or_else(|| anyhow::anyhow!("--hours: expected a local range like 08-16, got '{}'", a.hours))?;
            let from = date("from", &a.from)?;
            let to = a.to.as_deref().map(|t| date("to", t)).transpose()?.unwrap_or(from);
            let plan =
                SlotPlan { from, to, first_hour: first, last_hour: last, minutes: a.minutes, capacity: a.capacity };
            print(&app.create_dock_slots(&cli(), NewSlots { warehouse: wh.id, plan }).await?)
        }
        AppointmentCmd::List { warehouse, from, days } => {
            let wh = app.warehouse_by_code(&warehouse).await?;
            let day = match from {
                Some(d) => date("from", &d)?,
                None => appointment::local_date(now_ms(), &wh.timezone)?,
            };
            let start = appointment::day_start_ms(day, &wh.timezone)?;
            let end = start.saturating_add(days.clamp(1, 366) * 86_400_000);
            print(&app.dock_slots(&cli(), &wh.id, start, end).await?)
        }
        AppointmentCmd::Book { client, inbound, slot } => {
            let client = find_client(app, &client).await?;
            match app.book_appointment(&cli(), &client.id, &inbound, slot.as_deref()).await {
                Ok(a) => print(&a),
                // A warehouse without slots: the inbound's flag, as before slots.
                Err(entrepot_core::CoreError::Conflict(m)) if m.contains("no dock slots") && slot.is_none() => {
                    print(&app.book_inbound_appointment(&client.id, &inbound).await?)
                }
                Err(e) => Err(e.into()),
            }
        }
        AppointmentCmd::Cancel { client, inbound } => {
            let client = find_client(app, &client).await?;
            print(&app.cancel_appointment(&cli(), &client.id, &inbound).await?)
        }
        AppointmentCmd::Arrive { inbound } => print(&app.check_in(&cli(), &inbound).await?),
        AppointmentCmd::NoShows => print(&app.record_no_shows(&cli(), now_ms()).await?),
    }
}

pub async fn receive(app: &App, c: ReceiveCmd) -> anyhow::Result<()> {
    match c {
        ReceiveCmd::Open { code } => print(&app.open_receipt(&cli(), &code).await?),
        ReceiveCmd::Scan { inbound, code, qty, damaged, scan_id } => {
            let condition = if damaged { Condition::Damaged } else { Condition::Good };
            let scan = ReceiveScan { inbound, code, quantity: qty, condition, scan_id };
            let r = app.receive_scan(&cli(), scan).await?;
            print(&json!({"counted": r.counted, "replayed": r.replayed, "lines": r.receipt.lines}))
        }
        ReceiveCmd::Unexpected { inbound, code, qty, note, photo_key } => {
            let n = NewUnexpected { inbound, code, quantity: qty, note, photo_key };
            print(&app.record_unexpected(&cli(), n).await?)
        }
        ReceiveCmd::Close { inbound } => print(&app.close_receipt(&cli(), &inbound).await?),
        ReceiveCmd::Show { inbound } => print(&app.receipt(&cli(), &inbound).await?),
    }
}

pub async fn unidentified(app: &App, c: UnidentifiedCmd) -> anyhow::Result<()> {
    match c {
        UnidentifiedCmd::Record { warehouse, carrier, tracking, cartons, note, photo_key } => {
            let wh = app.warehouse_by_code(&warehouse).await?;
            let n = NewUnidentified { warehouse: wh.id, carrier, tracking, cartons, note, photo_key };
            print(&app.record_unidentified(&cli(), n).await?)
        }
        UnidentifiedCmd::List { warehouse, all } => {
            let wh = match warehouse {
                Some(code) => Some(app.warehouse_by_code(&code).await?.id),
                None => None,
            };
            print(&app.unidentified(&cli(), wh.as_ref(), !all).await?)
        }
        UnidentifiedCmd::Resolve { id, client, inbound, close } => {
            let r = match (client, inbound, close) {
                (Some(c), Some(inbound), None) => Resolution::Match { client: find_client(app, &c).await?.id, inbound },
                (None, None, Some(reason)) => Resolution::Close { reason },
                _ => anyhow::bail!("give --client and --inbound to match the freight, or --close REASON"),
            };
            print(&app.resolve_unidentified(&cli(), &id, r).await?)
        }
    }
}
