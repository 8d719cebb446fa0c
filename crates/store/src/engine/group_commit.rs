//! Group commit for placing orders. Concurrent requests each decide their orders on their own
//! (in parallel), then queue them here; one task writes everything queued so far in one
//! transaction, with the orders of one client merged into one batch, so 32 clients
//! each sending one order cost a dozen multi-row statements and one durable commit, not 32 of each.
//!
//! Each request stays all-or-nothing on its own: if the merged write refuses anything (or fails),
//! it is rolled back and the requests are written again one by one, each under a savepoint of its
//! own, so a refused request rolls back only its own part and gets its own error, with its own line
//! numbers. Clients' merged batches are written in client order, so two processes' groups
//! take balance rows in the same order.
//!
//! On SQLite a group is written from a thread of its own, on a connection of its own (see
//! `engine::exec`): its statements run on that thread, not each a hop to sqlx's worker thread and back.
//! Booking's claims and records are written there too (`Store::writer_transaction`).

use std::collections::HashMap;

use entrepot_core::{ids::ClientId, sku::Sku};
use sqlx::{pool::PoolConnection, Any, AnyPool, Transaction};
use tokio::sync::{mpsc, oneshot};

use crate::{
    begin_on,
    engine::{
        bulk::Val,
        exec::{LiteConn, Tx},
    },
    outbound::{write_batch, Decided, OrderView},
    Backend, Store, StoreError, StoreResult,
};

/// The statements of a [`Store::writer_transaction`], as a future borrowing it.
pub(crate) type BoxFuture<'t, T> = std::pin::Pin<Box<dyn std::future::Future<Output = T> + Send + 't>>;

/// A transaction's result, its type erased to travel the queue.
pub(crate) type Erased = Box<dyn std::any::Any + Send>;

/// A transaction's statements, run on the group's open transaction.
pub(crate) type Work = Box<dyn for<'t, 'c> FnOnce(&'t mut Tx<'c>) -> BoxFuture<'t, StoreResult<Erased>> + Send>;

/// A queued transaction and where its outcome goes.
pub(crate) struct TxJob {
    pub(crate) work: Work,
    pub(crate) done: oneshot::Sender<StoreResult<Erased>>,
}

/// Most orders one group writes; later requests wait for the next group.
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

/// The queue of a [`Store`]'s clones to the one task that writes groups.
///
/// One writing task, not a turn passed between the requesting tasks: with a turn, every request
/// of a written group had to take it in line just to learn that it was done, each hand-over
/// waiting for its task to be polled among the others, while the writer idled (32 clients of
/// single orders waited 19 ms on average for writes taking 3).
pub(crate) struct GroupWriter {
    jobs: mpsc::UnboundedSender<Job>,
    /// Where the writing task runs: a runtime on a thread of its own, or (`None`) the opener's.
    thread: Option<WriterThread>,
    /// What it writes with, for [`Store::writer_transaction`].
    writing: std::sync::Arc<Writing>,
    /// With a thread (SQLite): the queue of [`Store::writer_transaction`]s, committed in groups
    /// (`engine::tx_group`).
    transactions: Option<mpsc::UnboundedSender<TxJob>>,
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
    /// Starts the writing task over `write`: with `lite`, on a thread of its own and writing on
    /// that connection; else on the caller's runtime, on `write`. It ends when the last clone
    /// of the store is dropped.
    pub(crate) fn start(write: AnyPool, backend: Backend, lite: Option<LiteConn>) -> StoreResult<Self> {
        let (jobs, queue) = mpsc::unbounded_channel();
        let threaded = lite.is_some();
        let writing = std::sync::Arc::new(Writing { write, backend, lite });
        let (thread, transactions) = if threaded {
            let thread = WriterThread::start()
                .map_err(|e| StoreError::Unavailable(format!("cannot start the order writer thread: {e}")))?;
            thread.runtime.spawn(writing.clone().run(queue));
            let (transactions, queue) = mpsc::unbounded_channel();
            thread.runtime.spawn(writing.clone().run_transactions(queue));
            (Some(thread), Some(transactions))
        } else {
            tokio::spawn(writing.clone().run(queue));
            (None, None)
        };
        Ok(GroupWriter { jobs, thread, writing, transactions })
    }
}

/// What the writing task holds: the write pool, not the store (whose last clone ends the task).
pub(crate) struct Writing {
    write: AnyPool,
    backend: Backend,
    /// SQLite: the connection groups are written on.
    lite: Option<LiteConn>,
}

/// A group's open transaction.
pub(crate) enum GroupTx<'a> {
    Sqlx(Transaction<'static, Any>),
    Lite(LiteTx<'a>),
}

/// A transaction on the writer's own SQLite connection, taken with the write pool's one
/// connection held, so no other write runs meanwhile; rolled back if dropped unfinished.
pub(crate) struct LiteTx<'a> {
    conn: &'a LiteConn,
    _turn: PoolConnection<Any>,
    open: bool,
}

impl Drop for LiteTx<'_> {
    fn drop(&mut self) {
        if self.open {
            let _ = self.conn.batch("ROLLBACK");
        }
    }
}

impl GroupTx<'_> {
    pub(crate) fn tx(&mut self) -> Tx<'_> {
        match self {
            GroupTx::Sqlx(tx) => Tx::Sqlx(tx),
            GroupTx::Lite(t) => Tx::Lite(t.conn),
        }
    }

    async fn end(self, commit: bool) -> StoreResult<()> {
        match self {
            GroupTx::Sqlx(tx) if commit => Ok(tx.commit().await?),
            GroupTx::Sqlx(tx) => Ok(tx.rollback().await?),
            GroupTx::Lite(mut t) => {
                t.open = false;
                let started = std::time::Instant::now();
                let ended = t.conn.batch(if commit { "COMMIT" } else { "ROLLBACK" });
                tracing::debug!(commit, took_us = started.elapsed().as_micros() as u64, "group transaction ended");
                ended
            }
        }
    }

    pub(crate) async fn commit(self) -> StoreResult<()> {
        self.end(true).await
    }

    pub(crate) async fn rollback(self) -> StoreResult<()> {
        self.end(false).await
    }

    pub(crate) async fn savepoint(&mut self, sql: &str) -> StoreResult<()> {
        self.tx().execute(sql, []).await?;
        Ok(())
    }
}

impl Writing {
    /// Writes everything queued, up to [`MAX_GROUP_ORDERS`] orders a group, until the queue closes.
    async fn run(self: std::sync::Arc<Self>, mut queue: mpsc::UnboundedReceiver<Job>) {
        let mut next: Option<Job> = None;
        loop {
            let first = match next.take() {
                Some(job) => job,
                None => match queue.recv().await {
                    Some(job) => job,
                    None => return,
                },
            };
            let mut orders = first.decided.orders.len();
            let mut jobs = vec![first];
            while let Ok(job) = queue.try_recv() {
                orders += job.decided.orders.len();
                if orders > MAX_GROUP_ORDERS {
                    next = Some(job);
                    break;
                }
                jobs.push(job);
            }
            // A task of its own, so that a panic fails its group's requests (their senders are
            // dropped), not every write after it.
            let this = self.clone();
            let _ = tokio::spawn(async move { this.write_group(jobs).await }).await;
        }
    }

    async fn write_group(&self, mut jobs: Vec<Job>) {
        let started = std::time::Instant::now();
        let orders: usize = jobs.iter().map(|j| j.decided.orders.len()).sum();
        let outcomes =
            if jobs.len() == 1 { self.write_alone(&mut jobs[0]).await } else { self.write_many(&mut jobs).await };
        // With `RUST_LOG=entrepot_store::group_commit=debug`: where a group's time goes.
        tracing::debug!(requests = jobs.len(), orders, took_us = started.elapsed().as_micros() as u64, "group written");
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

    pub(crate) async fn begin(&self) -> StoreResult<GroupTx<'_>> {
        let Some(conn) = &self.lite else {
            return Ok(GroupTx::Sqlx(begin_on(&self.write, self.backend).await?));
        };
        let asked = std::time::Instant::now();
        let turn = self.write.acquire().await?;
        tracing::debug!(waited_us = asked.elapsed().as_micros() as u64, "write turn taken");
        conn.batch("BEGIN IMMEDIATE")?;
        Ok(GroupTx::Lite(LiteTx { conn, _turn: turn, open: true }))
    }

    /// One request: its own transaction, as without grouping.
    async fn write_alone(&self, job: &mut Job) -> StoreResult<Vec<StoreResult<Vec<OrderView>>>> {
        let mut tx = self.begin().await?;
        if let Err(e) = write_batch(&mut tx.tx(), &mut job.decided, &job.skus, job.submit).await {
            tx.rollback().await?;
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
        if write_merged(&mut tx.tx(), jobs).await.is_ok() {
            tx.commit().await?;
            return Ok(jobs.iter_mut().map(|j| Ok(std::mem::take(&mut j.decided.orders))).collect());
        }
        tx.rollback().await?;
        let mut tx = self.begin().await?;
        let mut outcomes: Vec<StoreResult<Vec<OrderView>>> = Vec::with_capacity(jobs.len());
        for job in jobs.iter_mut() {
            tx.savepoint("SAVEPOINT one").await?;
            match write_batch(&mut tx.tx(), &mut job.decided, &job.skus, job.submit).await {
                Ok(()) => {
                    tx.savepoint("RELEASE SAVEPOINT one").await?;
                    outcomes.push(Ok(std::mem::take(&mut job.decided.orders)));
                }
                Err(e) => {
                    tx.savepoint("ROLLBACK TO SAVEPOINT one").await?;
                    tx.savepoint("RELEASE SAVEPOINT one").await?;
                    outcomes.push(Err(e));
                }
            }
        }
        tx.commit().await?;
        Ok(outcomes)
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
        let stopped = || StoreError::Unavailable("the order writer stopped".into());
        let (done, outcome) = oneshot::channel();
        self.writer.jobs.send(Job { decided, skus, submit, done }).map_err(|_| stopped())?;
        outcome.await.map_err(|_| stopped())?
    }

    /// Runs one statement where order groups are written, as [`Store::writer_transaction`]
    /// would, and says how many rows it changed; on PostgreSQL in a transaction of its own
    /// (one round trip, not three).
    pub(crate) async fn write_statement(&self, sql: &'static str, vals: Vec<Val>) -> StoreResult<u64> {
        if self.backend == Backend::Postgres {
            let done = crate::engine::bulk::bind(sqlx::query(sql), vals).execute(&self.write).await?;
            return Ok(done.rows_affected());
        }
        self.writer_transaction(move |tx| Box::pin(async move { tx.execute(sql, vals).await })).await
    }

    /// Runs `f` as one write transaction where order groups are written: on SQLite on the
    /// writer's own connection and thread, on PostgreSQL an ordinary transaction; to its end
    /// even if the caller goes away, rolled back if `f` fails. For booking's claims and records,
    /// which through sqlx held the one write connection twice as long (every statement and
    /// every returned row a hop to sqlx's worker thread and back), while order groups waited.
    ///
    /// On SQLite it is queued, and run with those queued beside it in one transaction and one
    /// commit, each under a savepoint (`engine::tx_group`).
    pub(crate) async fn writer_transaction<T, F>(&self, f: F) -> StoreResult<T>
    where
        T: Send + 'static,
        F: for<'t, 'c> FnOnce(&'t mut Tx<'c>) -> BoxFuture<'t, StoreResult<T>> + Send + 'static,
    {
        if let Some(queue) = &self.writer.transactions {
            let stopped = || StoreError::Unavailable("the writer stopped".into());
            let (done, outcome) = oneshot::channel();
            let work: Work = Box::new(move |tx| Box::pin(async move { f(tx).await.map(|v| Box::new(v) as Erased) }));
            queue.send(TxJob { work, done }).map_err(|_| stopped())?;
            let v = outcome.await.map_err(|_| stopped())??;
            return v
                .downcast::<T>()
                .map(|v| *v)
                .map_err(|_| StoreError::Corrupt("a write's result lost its type".into()));
        }
        let writing = self.writer.writing.clone();
        let write = async move {
            let mut tx = writing.begin().await?;
            let out = f(&mut tx.tx()).await;
            match out {
                Ok(v) => tx.commit().await.map(|()| v),
                Err(e) => {
                    tx.rollback().await?;
                    Err(e)
                }
            }
        };
        // A task of its own, on the writer's thread where there is one.
        let task = match &self.writer.thread {
            Some(t) => t.runtime.spawn(write),
            None => tokio::spawn(write),
        };
        task.await.map_err(|e| StoreError::Unavailable(format!("a database write stopped: {e}")))?
    }
}

/// Writes the jobs of each (client, submit) as one batch, in client order; the jobs get their
/// orders back, numbered, whatever the outcome.
async fn write_merged(tx: &mut Tx<'_>, jobs: &mut [Job]) -> StoreResult<()> {
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
        let written = write_batch(tx, &mut merged, &skus, submit).await;
        let mut orders = merged.orders.into_iter();
        for (&k, n) in members.iter().zip(counts) {
            jobs[k].decided.orders = orders.by_ref().take(n).collect();
        }
        written?;
    }
    Ok(())
}
