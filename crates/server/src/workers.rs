//! The background loops of a server process: the task worker (Bird's bulk conversions and other
//! long jobs), asynchronous carrier booking of submitted orders, and webhook fan-out and delivery
//! from the outbox. Each loop stops when the shutdown signal flips, finishing the items in hand
//! first; anything interrupted harder is resumed by another process once its lease runs out.

use std::{sync::Arc, time::Duration};

use entrepot_app::App;
use entrepot_ops::{Booker, BookingConfig, SandboxCarrier, TaskHandler, WebhookConfig, WebhookWorker, Worker};
use tokio::{sync::watch, task::JoinSet};

/// How long a claimed task stays ours without a renewal (`ENTREPOT_TASK_LEASE_MS` overrides, for
/// tests that kill processes on purpose).
fn lease() -> Duration {
    let ms = std::env::var("ENTREPOT_TASK_LEASE_MS").ok().and_then(|v| v.parse().ok()).unwrap_or(30_000u64);
    Duration::from_millis(ms.max(100))
}

/// A name unique to this process, for leases.
fn owner() -> String {
    let host = std::env::var("HOSTNAME").unwrap_or_else(|_| "entrepot".into());
    format!("{host}-{}-{:08x}", std::process::id(), rand::random::<u32>())
}

/// Starts every background loop; they end when `shutdown` becomes true.
pub fn spawn(app: App, webhook_cfg: WebhookConfig, shutdown: watch::Receiver<bool>) -> JoinSet<()> {
    let handlers: Vec<Arc<dyn TaskHandler>> = entrepot_dialect_bird::task_handlers();
    let mut set = JoinSet::new();
    let mut worker = Worker::new(app.clone(), owner(), lease());
    for h in handlers {
        worker = worker.with_handler(h);
    }
    set.spawn(worker.run(shutdown.clone()));
    let booker = Booker::new(app.clone(), Arc::new(SandboxCarrier::new()), owner(), BookingConfig::from_env());
    set.spawn(Arc::new(booker).run(shutdown.clone()));
    let webhooks =
        WebhookWorker::new(app, owner(), webhook_cfg).with_renderer(entrepot_dialect_bird::webhook_renderer());
    set.spawn(webhooks.run(shutdown));
    set
}
