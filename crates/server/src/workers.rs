//! The background loops of a server process: the task worker (Bird's bulk conversions and other
//! long jobs), asynchronous carrier booking of submitted orders, and webhook fan-out and delivery
//! from the outbox. Each loop stops when the shutdown signal flips, finishing the items in hand
//! first; anything interrupted harder is resumed by another process once its lease runs out.

use std::sync::Arc;

use entrepot_app::App;
use entrepot_ops::{Booker, SandboxCarrier, TaskHandler, WebhookConfig, WebhookWorker, Worker};
use tokio::{sync::watch, task::JoinSet};

use crate::config::WorkerConfig;

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
    let booker = Booker::new(app.clone(), Arc::new(SandboxCarrier::new()), owner(cfg), cfg.booking.clone());
    set.spawn(Arc::new(booker).run(shutdown.clone()));
    let webhooks =
        WebhookWorker::new(app, owner(cfg), webhook_cfg).with_renderer(entrepot_dialect_bird::webhook_renderer());
    set.spawn(webhooks.run(shutdown));
    set
}
