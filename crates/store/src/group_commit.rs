//! Group commit for placing orders. Concurrent requests each decide their orders on their own
//! (in parallel), then queue them here; whoever gets the writer's turn writes everything queued
//! so far in one transaction, with the orders of one client merged into one batch, so 32 clients
//! each sending one order cost a dozen multi-row statements and one durable commit, not 32 of each.
//!
//! Each request stays all-or-nothing on its own: if the merged write refuses anything (or fails),
//! it is rolled back and the requests are written again one by one, each under a savepoint of its
//! own, so a refused request rolls back only its own part and gets its own error, with its own line
//! numbers. Clients' merged batches are written in client order, so two processes' groups
//! take balance rows in the same order.
//!
//! On SQLite a group is written from a thread of its own. Each statement is a hop to sqlx's
//! connection thread and back; on the request runtime, the way back waited behind whatever
//! requests were parsing and deciding while the one write connection stayed held (a group of 15
//! single orders took 10 ms, of which its statements 3.5, with the cores a third idle). From its
//! own thread, intake of 30,000 orders went from 8.6k to 9.7k-10.3k orders/s.

use std::{
    collections::HashMap,
    sync::{Mutex, PoisonError},
};

use entrepot_core::{ids::ClientId, sku::Sku};
use sqlx::{Any, Transaction};
use tokio::sync::{oneshot, Mutex as TurnLock};

use crate::{
    outbound::{write_orders, Decided, OrderView},
    Store, StoreError, StoreResult,
};

/// Most orders one group writes; later requests wait for the next turn.
const MAX_GROUP_ORDERS: usize = 2_000;

/// Decided orders waiting to be written, and where their outcome goes.
struct Job {
    decided: Decided,
    skus: Vec<Sku>,
    submit: bool,
    done: oneshot::Sender<StoreResult<Vec<OrderView>>>,
}

impl Job {
    fn tenant(&self) -> Option<&ClientId> {
        self.decided.orders.first().map(|o| &o.client_id)
    }
}

/// The queue and the writer's turn, shared by the clones of a [`Store`].
pub(crate) struct GroupWriter {
    queue: Mutex<Vec<Job>>,
    turn: TurnLock<()>,
    /// Where groups are written: a runtime on a thread of its own, or (`None`) the caller's.
    thread: Option<WriterThread>,
}

/// A one-thread runtime that lives as long as the [`GroupWriter`] owning it.
struct WriterThread {
    runtime: tokio::runtime::Handle,
    /// Dropped with the writer, which ends the thread.
    _stop: oneshot::Sender<()>,
}

impl WriterThread {
    fn start() -> std::io::Result<Self> {
        let rt = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
        let runtime = rt.handle().clone();
        let (stop, stopped) = oneshot::channel::<()>();
        std::thread::Builder::new().name("entrepot-writer".into()).spawn(move || {
            rt.block_on(async {
                let _ = stopped.await;
            })
        })?;
        Ok(WriterThread { runtime, _stop: stop })
    }
}

impl GroupWriter {
    /// A writer that writes groups from the caller's runtime.
    pub(crate) fn inline() -> Self {
        GroupWriter { queue: Mutex::default(), turn: TurnLock::new(()), thread: None }
    }

    /// A writer that writes groups from a thread of its own.
    pub(crate) fn threaded() -> StoreResult<Self> {
        let thread = WriterThread::start()
            .map_err(|e| StoreError::Unavailable(format!("cannot start the order writer thread: {e}")))?;
        Ok(GroupWriter { thread: Some(thread), ..GroupWriter::inline() })
    }

    /// The oldest queued jobs, up to [`MAX_GROUP_ORDERS`] orders (at least one job).
    fn take_group(&self) -> Vec<Job> {
        let mut queue = self.queue.lock().unwrap_or_else(PoisonError::into_inner);
        let mut orders = 0;
        let n = queue
            .iter()
            .take_while(|j| {
                orders += j.decided.orders.len();
                orders <= MAX_GROUP_ORDERS
            })
            .count()
            .max(1)
            .min(queue.len());
        queue.drain(..n).collect()
    }
}

impl Store {
    /// Writes decided orders with whatever else is queued, and returns them numbered.
    pub(crate) async fn write_grouped(
        &self,
        decided: Decided,
        skus: Vec<Sku>,
        submit: bool,
    ) -> StoreResult<Vec<OrderView>> {
        let (done, mut outcome) = oneshot::channel();
        self.writer.queue.lock().unwrap_or_else(PoisonError::into_inner).push(Job { decided, skus, submit, done });
        loop {
            let _turn = self.writer.turn.lock().await;
            // Groups are written while the turn is held: ours is done, or still queued.
            match outcome.try_recv() {
                Ok(result) => return result,
                Err(oneshot::error::TryRecvError::Closed) => {
                    return Err(StoreError::Unavailable("the order writer stopped".into()))
                }
                Err(oneshot::error::TryRecvError::Empty) => {}
            }
            let jobs = self.writer.take_group();
            if jobs.is_empty() {
                continue;
            }
            // A task of its own, so that a caller that goes away does not abandon the others.
            let store = self.clone();
            let _ = self.on_writer(async move { store.write_group(jobs).await }).await;
        }
    }

    /// Runs a write on the writer's thread (where there is one), to its end even if the caller
    /// goes away. For writes that hold the one SQLite write connection over many statements.
    pub(crate) async fn on_writer<T: Send + 'static>(
        &self,
        write: impl std::future::Future<Output = T> + Send + 'static,
    ) -> StoreResult<T> {
        let task = match &self.writer.thread {
            Some(t) => t.runtime.spawn(write),
            None => tokio::spawn(write),
        };
        task.await.map_err(|e| StoreError::Unavailable(format!("a database write stopped: {e}")))
    }

    async fn write_group(&self, mut jobs: Vec<Job>) {
        let outcomes =
            if jobs.len() == 1 { self.write_alone(&mut jobs[0]).await } else { self.write_many(&mut jobs).await };
        match outcomes {
            Ok(outcomes) => {
                for (job, outcome) in jobs.into_iter().zip(outcomes) {
                    let _ = job.done.send(outcome);
                }
            }
            Err(e) => {
                let message = e.to_string();
                let mut first = Some(e);
                for job in jobs {
                    let e = first.take().unwrap_or_else(|| StoreError::Unavailable(message.clone()));
                    let _ = job.done.send(Err(e));
                }
            }
        }
    }

    /// One request: its own transaction, as without grouping.
    async fn write_alone(&self, job: &mut Job) -> StoreResult<Vec<StoreResult<Vec<OrderView>>>> {
        let mut tx = self.begin().await?;
        if let Err(e) = write_orders(&mut tx, &mut job.decided, &job.skus, job.submit).await {
            return Ok(vec![Err(e)]);
        }
        tx.commit().await?;
        Ok(vec![Ok(std::mem::take(&mut job.decided.orders))])
    }

    /// Several requests in one transaction: merged per client; if that refuses anything, rolled
    /// back and written again one by one, each under a savepoint. (No savepoint around the merged
    /// write: on SQLite a savepoint copies every page it changes to a sub-journal.)
    async fn write_many(&self, jobs: &mut [Job]) -> StoreResult<Vec<StoreResult<Vec<OrderView>>>> {
        let mut tx = self.begin().await?;
        if write_merged(&mut tx, jobs).await.is_ok() {
            tx.commit().await?;
            return Ok(jobs.iter_mut().map(|j| Ok(std::mem::take(&mut j.decided.orders))).collect());
        }
        tx.rollback().await?;
        let mut tx = self.begin().await?;
        let mut outcomes: Vec<StoreResult<Vec<OrderView>>> = Vec::with_capacity(jobs.len());
        for job in jobs.iter_mut() {
            savepoint(&mut tx, "SAVEPOINT one").await?;
            match write_orders(&mut tx, &mut job.decided, &job.skus, job.submit).await {
                Ok(()) => {
                    savepoint(&mut tx, "RELEASE SAVEPOINT one").await?;
                    outcomes.push(Ok(std::mem::take(&mut job.decided.orders)));
                }
                Err(e) => {
                    savepoint(&mut tx, "ROLLBACK TO SAVEPOINT one").await?;
                    savepoint(&mut tx, "RELEASE SAVEPOINT one").await?;
                    outcomes.push(Err(e));
                }
            }
        }
        tx.commit().await?;
        Ok(outcomes)
    }
}

async fn savepoint(tx: &mut Transaction<'static, Any>, sql: &str) -> StoreResult<()> {
    sqlx::query(sql).execute(&mut **tx).await?;
    Ok(())
}

/// Writes the jobs of each (client, submit) as one batch, in client order; the jobs get their
/// orders back, numbered, whatever the outcome.
async fn write_merged(tx: &mut Transaction<'static, Any>, jobs: &mut [Job]) -> StoreResult<()> {
    let mut keys: Vec<(ClientId, bool)> = jobs.iter().filter_map(|j| Some((j.tenant()?.clone(), j.submit))).collect();
    keys.sort();
    keys.dedup();
    for (tenant, submit) in keys {
        let members: Vec<usize> =
            (0..jobs.len()).filter(|&k| jobs[k].submit == submit && jobs[k].tenant() == Some(&tenant)).collect();
        let mut merged = Decided { orders: vec![], services: HashMap::new(), now: 0 };
        let mut skus: Vec<Sku> = vec![];
        let mut counts = Vec::with_capacity(members.len());
        for &k in &members {
            let job = &mut jobs[k];
            counts.push(job.decided.orders.len());
            merged.orders.append(&mut job.decided.orders);
            merged.services.extend(job.decided.services.iter().map(|(id, sw)| (id.clone(), sw.clone())));
            merged.now = merged.now.max(job.decided.now);
            skus.extend(job.skus.iter().cloned());
        }
        skus.sort_by_key(|s| s.id);
        skus.dedup_by_key(|s| s.id);
        let written = write_orders(tx, &mut merged, &skus, submit).await;
        let mut orders = merged.orders.into_iter();
        for (&k, n) in members.iter().zip(counts) {
            jobs[k].decided.orders = orders.by_ref().take(n).collect();
        }
        written?;
    }
    Ok(())
}
