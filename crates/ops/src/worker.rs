//! The background worker: claims tasks from the store under a lease, runs the handler registered
//! for the task's kind, and keeps the lease alive while it works. If the process dies, the lease
//! runs out and another process (or this one, restarted) claims the task again; handlers make
//! every step idempotent, so the re-run finishes without doing anything twice.

use std::{collections::BTreeMap, sync::Arc, time::Duration};

use async_trait::async_trait;
use entrepot_app::{App, CoreError, Task};
use tokio::sync::watch;

/// One kind of background task.
#[async_trait]
pub trait TaskHandler: Send + Sync {
    /// The task kind this handler runs (e.g. `bird.convert_temp`).
    fn kind(&self) -> &'static str;

    /// Runs or resumes `task`. `Err` ends the task as ERROR with that reason; per-item problems
    /// belong in the task's error map instead (recorded through [`TaskContext::progress`]).
    async fn run(&self, ctx: &TaskContext, task: &Task) -> Result<(), String>;
}

/// What a handler may do with its task.
pub struct TaskContext {
    pub app: App,
    owner: String,
    lease_ms: i64,
}

impl TaskContext {
    /// Records progress (and renews the lease); `false` means the task was taken over by another
    /// process and the handler should stop.
    pub async fn progress(
        &self,
        task: i64,
        data: &BTreeMap<String, String>,
        errors: &BTreeMap<String, String>,
    ) -> Result<bool, CoreError> {
        let ok = self.app.record_task_progress(task, &self.owner, data, errors).await?;
        Ok(ok && self.app.renew_task(task, &self.owner, self.lease_ms).await?)
    }
}

/// Runs tasks until told to stop.
pub struct Worker {
    app: App,
    handlers: Vec<Arc<dyn TaskHandler>>,
    owner: String,
    lease_ms: i64,
    idle: Duration,
}

impl Worker {
    /// A worker identified as `owner` (unique per process) holding leases of `lease`.
    pub fn new(app: App, owner: impl Into<String>, lease: Duration) -> Self {
        Self {
            app,
            handlers: vec![],
            owner: owner.into(),
            lease_ms: lease.as_millis() as i64,
            idle: Duration::from_millis(200),
        }
    }

    pub fn with_handler(mut self, h: Arc<dyn TaskHandler>) -> Self {
        self.handlers.push(h);
        self
    }

    /// Claims and runs one task; `false` when there was none.
    pub async fn run_once(&self) -> Result<bool, CoreError> {
        let kinds: Vec<&str> = self.handlers.iter().map(|h| h.kind()).collect();
        let Some(task) = self.app.claim_task(&kinds, &self.owner, self.lease_ms).await? else { return Ok(false) };
        let Some(handler) = self.handlers.iter().find(|h| h.kind() == task.kind).cloned() else { return Ok(true) };
        tracing::info!(task = task.id, kind = %task.kind, attempt = task.attempts, "task started");
        let ctx = TaskContext { app: self.app.clone(), owner: self.owner.clone(), lease_ms: self.lease_ms };
        // Keep the lease alive while the handler works, even between its progress reports.
        let (stop_tx, mut stop_rx) = watch::channel(false);
        let renewer = {
            let (app, owner, lease, id) = (self.app.clone(), self.owner.clone(), self.lease_ms, task.id);
            tokio::spawn(async move {
                let every = Duration::from_millis((lease / 3).max(50) as u64);
                loop {
                    tokio::select! {
                        _ = tokio::time::sleep(every) => {
                            if !matches!(app.renew_task(id, &owner, lease).await, Ok(true)) {
                                break;
                            }
                        }
                        _ = stop_rx.changed() => break,
                    }
                }
            })
        };
        let outcome = handler.run(&ctx, &task).await;
        let _ = stop_tx.send(true);
        let _ = renewer.await;
        match &outcome {
            Ok(()) => tracing::info!(task = task.id, "task finished"),
            Err(e) => tracing::warn!(task = task.id, error = %e, "task failed"),
        }
        self.app.finish_task(task.id, &self.owner, outcome.err().as_deref()).await?;
        Ok(true)
    }

    /// Loops until `shutdown` turns true; a task in progress is finished first.
    pub async fn run(self, mut shutdown: watch::Receiver<bool>) {
        loop {
            if *shutdown.borrow() {
                return;
            }
            let busy = match self.run_once().await {
                Ok(b) => b,
                Err(e) => {
                    tracing::error!(error = %e, "worker could not claim a task");
                    false
                }
            };
            if !busy {
                tokio::select! {
                    _ = tokio::time::sleep(self.idle) => {}
                    _ = shutdown.changed() => {}
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};

    use entrepot_testkit::{each_backend, Backend, TestDb};

    use entrepot_store::Store;

    use super::*;

    struct Counting(Arc<AtomicUsize>);

    #[async_trait]
    impl TaskHandler for Counting {
        fn kind(&self) -> &'static str {
            "test.count"
        }
        async fn run(&self, ctx: &TaskContext, task: &Task) -> Result<(), String> {
            self.0.fetch_add(1, Ordering::SeqCst);
            let data = BTreeMap::from([("1".to_owned(), "done".to_owned())]);
            ctx.progress(task.id, &data, &BTreeMap::new()).await.map_err(|e| e.to_string())?;
            if task.params["fail"] == true {
                return Err("asked to fail".into());
            }
            Ok(())
        }
    }

    #[each_backend]
    async fn claims_once_and_reclaims_after_the_lease_expires(b: Backend) {
        let db = TestDb::new(b).await;
        let store = Store::open(&db.url).await.expect("store");
        let runs = Arc::new(AtomicUsize::new(0));
        let w = Worker::new(App::new(Arc::new(store.clone())), "w1", Duration::from_secs(30))
            .with_handler(Arc::new(Counting(runs.clone())));
        assert!(!w.run_once().await.expect("idle"), "{b:?}: nothing queued");
        let t = store.enqueue_task(None, "test.count", serde_json::json!({}), 1).await.expect("enqueue");
        assert!(w.run_once().await.expect("run"));
        let done = store.task(None, t.id).await.expect("task");
        assert_eq!((done.status.as_str(), done.processed, done.data["1"].as_str()), ("FINISH", 1, "done"), "{b:?}");
        let f = store.enqueue_task(None, "test.count", serde_json::json!({"fail": true}), 1).await.expect("enqueue");
        w.run_once().await.expect("run");
        assert_eq!(store.task(None, f.id).await.expect("task").status.as_str(), "ERROR");
        // A task claimed by a process that then died is claimed again once its lease is over.
        let t = store.enqueue_task(None, "test.count", serde_json::json!({}), 1).await.expect("enqueue");
        let claimed = store.claim_task(&["test.count"], "dead", 50).await.expect("claim").expect("a task");
        assert_eq!(claimed.id, t.id);
        assert!(store.claim_task(&["test.count"], "other", 50).await.expect("claim").is_none(), "{b:?}: leased");
        tokio::time::sleep(Duration::from_millis(80)).await;
        assert!(w.run_once().await.expect("run"));
        let t = store.task(None, t.id).await.expect("task");
        assert_eq!((t.status.as_str(), t.attempts), ("FINISH", 2), "{b:?}");
        assert!(!store.renew_task(t.id, "dead", 1000).await.expect("renew"), "the dead owner lost it");
        assert_eq!(runs.load(Ordering::SeqCst), 3);
    }

    /// Many workers racing for the same queue run each task exactly once.
    #[each_backend(flavor = "multi_thread", worker_threads = 4)]
    async fn concurrent_workers_run_each_task_once(b: Backend) {
        let db = TestDb::new(b).await;
        let store = Store::open(&db.url).await.expect("store");
        for _ in 0..20 {
            store.enqueue_task(None, "test.count", serde_json::json!({}), 1).await.expect("enqueue");
        }
        let runs = Arc::new(AtomicUsize::new(0));
        let mut handles = vec![];
        for k in 0..8 {
            let w = Worker::new(App::new(Arc::new(store.clone())), format!("w{k}"), Duration::from_secs(30))
                .with_handler(Arc::new(Counting(runs.clone())));
            handles.push(tokio::spawn(async move { while w.run_once().await.expect("run") {} }));
        }
        for h in handles {
            h.await.expect("join");
        }
        assert_eq!(runs.load(Ordering::SeqCst), 20, "{b:?}");
    }
}
