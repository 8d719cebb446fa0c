//! The background loops of a server process: the task worker (Bird's bulk conversions and other
//! long jobs), asynchronous carrier booking of submitted orders, webhook fan-out and delivery
//! from the outbox, the tracking of shipped parcels, the sweep that records dock appointments nobody
//! came to as no-shows, the sandbox floor that ships sandbox twins' orders, and the fold of the
//! cut-off board's tallies. Each loop stops when the shutdown signal flips, finishing the items in
//! hand first; anything interrupted harder is resumed by another process once its lease runs out.

use std::sync::Arc;

use entrepot_app::App;
use entrepot_ops::{Booker, SandboxCarrier, TaskHandler, Tracker, WebhookConfig, WebhookWorker, Worker};
use tokio::{sync::watch, task::JoinSet};

use crate::config::WorkerConfig;

/// How often the sandbox floor looks for sandbox orders to ship.
const SANDBOX_FLOOR_EVERY: std::time::Duration = std::time::Duration::from_secs(1);

/// How often the board's recorded order changes are folded into its tallies: a look at the board
/// reads the changes not folded yet, so they are kept few.
const BOARD_FOLD_EVERY: std::time::Duration = std::time::Duration::from_secs(1);

/// A lease owner unique to this process and loop: the configured name, the process id and a
/// random suffix.
fn owner(cfg: &WorkerConfig) -> String {
    format!("{}-{}-{:08x}", cfg.name, std::process::id(), rand::random::<u32>())
}

/// Starts every background loop; they end when `shutdown` becomes true.
pub fn spawn(app: App, cfg: &WorkerConfig, webhook_cfg: WebhookConfig, shutdown: watch::Receiver<bool>) -> JoinSet<()> {
    let handlers: Vec<Arc<dyn TaskHandler>> = entrepot_dialect_bird::task_handlers();
    let mut set = JoinSet::new();
    let mut worker = Worker::new(app.clone(), owner(cfg), cfg.task_lease);
    for h in handlers {
        worker = worker.with_handler(h);
    }
    set.spawn(worker.run(shutdown.clone()));
    let carrier = Arc::new(SandboxCarrier::with_tracking_step(cfg.sandbox_tracking_step));
    let booker = Booker::new(app.clone(), carrier.clone(), owner(cfg), cfg.booking.clone());
    set.spawn(Arc::new(booker).run(shutdown.clone()));
    let sandbox_step = cfg.sandbox_tracking_step.min(entrepot_ops::SANDBOX_TRACKING_STEP);
    let tracker = Tracker::new(app.clone(), carrier, cfg.tracking_every).with_sandbox_step(sandbox_step);
    set.spawn(tracker.run(shutdown.clone()));
    let app_for_no_shows = app.clone();
    let webhooks =
        WebhookWorker::new(app, owner(cfg), webhook_cfg).with_renderer(entrepot_dialect_bird::webhook_renderer());
    set.spawn(webhooks.run(shutdown.clone()));
    set.spawn(no_shows(app_for_no_shows.clone(), cfg.no_show_every, shutdown.clone()));
    set.spawn(sandbox_floor(app_for_no_shows.clone(), SANDBOX_FLOOR_EVERY, shutdown.clone()));
    set.spawn(board_fold(app_for_no_shows, BOARD_FOLD_EVERY, shutdown));
    set
}

/// Every `every`, records booked appointments whose slot has ended with no arrival as no-shows
/// (each with its audit row and `inbound.no_show` event), as the system's `worker`. Several
/// processes may sweep at once: an appointment ends once.
async fn no_shows(app: App, every: std::time::Duration, shutdown: watch::Receiver<bool>) {
    let actor = entrepot_core::actor::Actor::system("worker");
    periodically(every, shutdown, |now| {
        let (app, actor) = (app.clone(), actor.clone());
        async move {
            match app.record_no_shows(&actor, now).await {
                Ok(shows) if !shows.is_empty() => tracing::info!(count = shows.len(), "no-shows recorded"),
                Ok(_) => {}
                Err(e) => tracing::warn!(error = %e, "no-shows not recorded this time"),
            }
        }
    })
    .await
}

/// The sandbox floor: every `every`, ships the sandbox twins' orders nobody will pick (see
/// `entrepot_app::sandbox`), so an ERP under test sees its orders go out and be tracked.
async fn sandbox_floor(app: App, every: std::time::Duration, shutdown: watch::Receiver<bool>) {
    periodically(every, shutdown, |now| {
        let app = app.clone();
        async move {
            match app.ship_sandbox_orders(now).await {
                Ok(n) if n > 0 => tracing::info!(count = n, "sandbox orders shipped"),
                Ok(_) => {}
                Err(e) => tracing::warn!(error = %e, "sandbox orders not shipped this time"),
            }
        }
    })
    .await
}

/// Every `every`, folds the cut-off board's recorded order changes into its tallies.
async fn board_fold(app: App, every: std::time::Duration, shutdown: watch::Receiver<bool>) {
    periodically(every, shutdown, |_| {
        let app = app.clone();
        async move {
            if let Err(e) = app.fold_board().await {
                tracing::warn!(error = %e, "board not folded this time");
            }
        }
    })
    .await
}

/// Runs `pass` with the time now (ms) every `every` until `shutdown` becomes true.
async fn periodically<F, Fut>(every: std::time::Duration, mut shutdown: watch::Receiver<bool>, mut pass: F)
where
    F: FnMut(i64) -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    while !*shutdown.borrow() {
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
            .unwrap_or(0);
        pass(now).await;
        tokio::select! {
            _ = tokio::time::sleep(every) => {}
            _ = shutdown.changed() => {}
        }
    }
}
