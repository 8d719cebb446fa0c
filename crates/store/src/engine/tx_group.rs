//! Group commit for the writer's small transactions ([`Store::writer_transaction`]: floor scans,
//! booking's claims), on SQLite. Each is a few statements and a durable commit, and the commit's
//! sync was most of its time: at 500 scans a second the writer thread waited on the disk for
//! each in turn, and a burst queued behind the syncs. So the transactions queued while one
//! commits are run next in one transaction, each under a savepoint of its own, and committed
//! with one sync. A transaction that fails rolls back to its savepoint and gets its own error;
//! nobody hears "done" before the group's commit, and if that fails, all hear it failed.
//!
//! On PostgreSQL each stays an ordinary transaction of its own: the server runs them side by
//! side.

use tokio::sync::{mpsc, oneshot};

use super::group_commit::{Erased, TxJob, Work, Writing};
use crate::{StoreError, StoreResult};

/// Most transactions one group runs; later ones wait for the next group.
const MAX_GROUP: usize = 64;

impl Writing {
    /// Runs the queued transactions, as many as are waiting (up to [`MAX_GROUP`]) a group,
    /// until the queue closes.
    pub(crate) async fn run_transactions(self: std::sync::Arc<Self>, mut queue: mpsc::UnboundedReceiver<TxJob>) {
        while let Some(first) = queue.recv().await {
            let mut jobs = vec![first];
            while jobs.len() < MAX_GROUP {
                match queue.try_recv() {
                    Ok(job) => jobs.push(job),
                    Err(_) => break,
                }
            }
            // A task of its own, so that a panic fails its group (the senders are dropped, the
            // transaction rolled back), not every write after it.
            let this = self.clone();
            let _ = tokio::spawn(async move { this.write_transactions(jobs).await }).await;
        }
    }

    async fn write_transactions(&self, jobs: Vec<TxJob>) {
        let started = std::time::Instant::now();
        let count = jobs.len();
        let (dones, outcomes) = match self.run_group(jobs).await {
            Ok(done) => done,
            Err((dones, e)) => {
                fail_all(dones, e);
                return;
            }
        };
        tracing::debug!(transactions = count, took_us = started.elapsed().as_micros() as u64, "transactions written");
        for (done, outcome) in dones.into_iter().zip(outcomes) {
            let _ = done.send(outcome);
        }
    }

    /// The group in one transaction: each job's outcome, or (with every sender) why none holds.
    #[allow(clippy::type_complexity)]
    async fn run_group(
        &self,
        jobs: Vec<TxJob>,
    ) -> Result<
        (Vec<oneshot::Sender<StoreResult<Erased>>>, Vec<StoreResult<Erased>>),
        (Vec<oneshot::Sender<StoreResult<Erased>>>, StoreError),
    > {
        let alone = jobs.len() == 1;
        let (works, dones): (Vec<Work>, Vec<_>) = jobs.into_iter().map(|j| (j.work, j.done)).unzip();
        let mut tx = match self.begin().await {
            Ok(tx) => tx,
            Err(e) => return Err((dones, e)),
        };
        let mut outcomes = Vec::with_capacity(works.len());
        for work in works {
            // One alone needs no savepoint: failing, the whole transaction is rolled back.
            if !alone {
                if let Err(e) = tx.savepoint("SAVEPOINT one").await {
                    return Err((dones, e));
                }
            }
            let out = work(&mut tx.tx()).await;
            if !alone {
                let undo = if out.is_ok() { "RELEASE SAVEPOINT one" } else { "ROLLBACK TO SAVEPOINT one" };
                let mut ended = tx.savepoint(undo).await;
                if ended.is_ok() && out.is_err() {
                    ended = tx.savepoint("RELEASE SAVEPOINT one").await;
                }
                if let Err(e) = ended {
                    // The transaction is in no known state: none of it holds.
                    return Err((dones, e));
                }
            }
            outcomes.push(out);
        }
        let end = if outcomes.iter().any(Result::is_ok) { tx.commit().await } else { tx.rollback().await };
        match end {
            Ok(()) => Ok((dones, outcomes)),
            Err(e) => Err((dones, e)),
        }
    }
}

/// Tells every waiting caller that its transaction did not happen.
fn fail_all(dones: Vec<oneshot::Sender<StoreResult<Erased>>>, e: StoreError) {
    let message = e.to_string();
    let mut first = Some(e);
    for done in dones {
        let e = first.take().unwrap_or_else(|| StoreError::Unavailable(message.clone()));
        let _ = done.send(Err(e));
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use entrepot_testkit::{each_backend, Backend, TestDb};

    use crate::{engine::bulk::Val, Store, StoreError};

    /// Forty transactions at once, every fifth failing on its second statement (a duplicate
    /// key): the others all hold, the failing ones leave nothing, each hears its own outcome.
    #[each_backend]
    async fn a_failing_transaction_among_many_rolls_back_alone(backend: Backend) {
        let db = TestDb::new(backend).await;
        let store = Store::open(&db.url).await.unwrap();
        store.execute_raw("CREATE TABLE scratch (k TEXT PRIMARY KEY)").await.unwrap();
        let mut tasks = vec![];
        for k in 0..40 {
            let store = store.clone();
            tasks.push(tokio::spawn(async move {
                store
                    .writer_transaction(move |tx| {
                        Box::pin(async move {
                            let key = Val::S(format!("k{k:02}"));
                            tx.execute("INSERT INTO scratch (k) VALUES ($1)", [key.clone()]).await?;
                            if k % 5 == 0 {
                                tx.execute("INSERT INTO scratch (k) VALUES ($1)", [key]).await?;
                            }
                            Ok(k)
                        })
                    })
                    .await
            }));
        }
        for (k, t) in tasks.into_iter().enumerate() {
            match t.await.unwrap() {
                Ok(v) => assert!(v == k && k % 5 != 0, "{backend:?}: {k} answered {v}"),
                Err(e) => assert!(k % 5 == 0 && StoreError::is_unique_violation(&e), "{backend:?}: {k}: {e}"),
            }
        }
        let n = store.count_raw("SELECT COUNT(*) AS n FROM scratch").await.unwrap();
        let failed =
            store.count_raw("SELECT COUNT(*) AS n FROM scratch WHERE k IN ('k00', 'k05', 'k35')").await.unwrap();
        assert_eq!((n, failed), (32, 0), "{backend:?}");
        store.close().await;
    }
}
