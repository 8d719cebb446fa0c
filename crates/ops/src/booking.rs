//! Asynchronous carrier booking: after an order is submitted, a background loop books it with
//! the carrier of its service, keeps the label in the blob store and records the tracking number
//! (which writes the `order.tracking` outbox event that webhooks announce).
//!
//! Claims are leases on the order row (see `entrepot_store`'s booking claims), so several
//! processes on one database never book the same order twice, and an order whose process died
//! mid-booking is booked again once the lease runs out; connectors are idempotent on the order
//! id, so that second booking returns the same shipment. A temporary carrier failure is retried
//! with back-off; a refusal puts the order in EXCEPTION (Bird PROBLEM) with the carrier's reason.
//! [`book_now`] does the same for one order inside a request (Bird's `returnLabel=1`).

use std::{sync::Arc, time::Duration};

use async_trait::async_trait;
use entrepot_core::{
    ids::{ClientId, OrderId},
    outbound::{OrderKind, OutboundStatus},
};
use entrepot_store::{BookingClaim, OrderView, Store, StoreError};
use tokio::{sync::watch, task::JoinSet};

use crate::{
    blob::{BlobError, BlobStore},
    carrier::{Booking, CarrierConnector, CarrierError, ShipmentRequest},
};

/// How the booking loop behaves.
#[derive(Debug, Clone)]
pub struct BookingConfig {
    /// How long a claimed order stays ours while the carrier answers.
    pub lease: Duration,
    /// Waits before retrying after a temporary failure: the n-th retry waits the n-th entry (the
    /// last one repeats; a temporary failure never gives up), ±20% jitter.
    pub retry: Vec<Duration>,
    /// Pause when there is nothing to book.
    pub idle: Duration,
    /// Bookings in flight at once per process.
    pub parallel: usize,
}

impl Default for BookingConfig {
    fn default() -> Self {
        let s = Duration::from_secs;
        BookingConfig {
            lease: s(60),
            retry: vec![s(5), s(30), s(120), s(600), s(3600)],
            idle: Duration::from_millis(500),
            parallel: 4,
        }
    }
}

impl BookingConfig {
    /// The defaults, with `ENTREPOT_BOOKING_RETRY_MS` (comma-separated milliseconds) overriding
    /// the retry schedule.
    pub fn from_env() -> Self {
        let mut c = Self::default();
        if let Some(r) = std::env::var("ENTREPOT_BOOKING_RETRY_MS").ok().and_then(|v| parse_ms_list(&v)) {
            c.retry = r;
        }
        c
    }
}

/// `"50,100,200"` → durations; `None` if empty or not all numbers.
pub fn parse_ms_list(v: &str) -> Option<Vec<Duration>> {
    let list: Option<Vec<Duration>> =
        v.split(',').map(|p| p.trim().parse::<u64>().ok().map(Duration::from_millis)).collect();
    list.filter(|l| !l.is_empty())
}

/// `d` ± 20%, so that retries of many items spread out instead of arriving together.
pub fn jitter(d: Duration) -> Duration {
    d.mul_f64(0.8 + 0.4 * rand::random::<f64>())
}

/// Where an order's label is kept in the blob store.
pub fn label_key(order: &OrderId) -> String {
    format!("labels/{}.pdf", order.0)
}

/// Why a booking did not happen.
#[derive(Debug, thiserror::Error)]
pub enum BookingError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Carrier(#[from] CarrierError),
    #[error(transparent)]
    Blob(#[from] BlobError),
    /// Another worker holds the order and did not finish in time.
    #[error("order {0} is being booked right now; try again shortly")]
    Busy(String),
    /// The order is not waiting for a booking (a draft, cancelled, a return, in EXCEPTION...).
    #[error("order {order} cannot be booked while it is {status}")]
    NotBookable { order: String, status: String },
}

/// What a carrier needs for `o`: its service's carrier, the warehouse as sender, the recipient.
pub async fn shipment_request(store: &Store, o: &OrderView) -> Result<ShipmentRequest, StoreError> {
    let svc = store.service(&o.service_id).await?;
    let wh = store.warehouse(&o.warehouse_id).await?;
    let created = jiff::Timestamp::now()
        .in_tz(&wh.timezone)
        .map(|z| z.strftime("%Y-%m-%d").to_string())
        .unwrap_or_else(|_| jiff::Timestamp::now().strftime("%Y-%m-%d").to_string());
    Ok(ShipmentRequest {
        order_id: o.id.0.clone(),
        order_reference: o
            .sales_reference
            .clone()
            .or_else(|| o.platform_order_id.clone())
            .unwrap_or(o.reference.clone()),
        carrier: svc.carrier,
        service_code: svc.code,
        service_name: svc.name,
        sender: wh.address,
        recipient: o.recipient.clone(),
        weight_g: o.weight_g,
        created,
    })
}

/// Books orders: the loop's state, shared by its in-flight bookings.
pub struct Booker {
    store: Store,
    carrier: Arc<dyn CarrierConnector>,
    blobs: Arc<dyn BlobStore>,
    owner: String,
    cfg: BookingConfig,
}

impl Booker {
    /// A booker identified as `owner` (unique per process) in leases.
    pub fn new(
        store: Store,
        carrier: Arc<dyn CarrierConnector>,
        blobs: Arc<dyn BlobStore>,
        owner: impl Into<String>,
        cfg: BookingConfig,
    ) -> Self {
        Booker { store, carrier, blobs, owner: owner.into(), cfg }
    }

    fn lease_ms(&self) -> i64 {
        self.cfg.lease.as_millis() as i64
    }

    /// Claims and books one order; `false` when none was waiting.
    pub async fn run_once(&self) -> Result<bool, StoreError> {
        let Some(claim) = self.store.claim_booking(&self.owner, self.lease_ms()).await? else { return Ok(false) };
        let _ = self.process(&claim).await;
        Ok(true)
    }

    /// Books a claimed order and settles every outcome: recorded, deferred or refused.
    async fn process(&self, claim: &BookingClaim) -> Result<Booking, BookingError> {
        let o = &claim.order;
        match self.book_claimed(o).await {
            Ok(b) => {
                tracing::info!(order = %o.id, tracking = %b.tracking_number, carrier = %b.carrier_name, "order booked");
                Ok(b)
            }
            Err(BookingError::Carrier(e)) if !e.is_retryable() => {
                let reason = e.to_string();
                tracing::warn!(order = %o.id, %reason, "carrier refused the booking; order set to EXCEPTION");
                if self.store.refuse_booking(&o.id, &self.owner, &reason).await? {
                    if let Err(t) = self.store.transition_order(&o.client_id, &o.id, OutboundStatus::Exception).await {
                        tracing::warn!(order = %o.id, error = %t, "could not set EXCEPTION after a refused booking");
                    }
                }
                Err(BookingError::Carrier(e))
            }
            Err(e) => {
                let step = (claim.attempts.max(1) - 1) as usize;
                let wait =
                    self.cfg.retry.get(step).or(self.cfg.retry.last()).copied().unwrap_or(Duration::from_secs(60));
                let wait = jitter(wait);
                tracing::warn!(order = %o.id, attempt = claim.attempts, error = %e, retry_in_ms = wait.as_millis() as u64, "booking failed; will retry");
                let at = now_ms() + wait.as_millis() as i64;
                self.store.defer_booking(&o.id, &self.owner, at, &e.to_string()).await?;
                Err(e)
            }
        }
    }

    /// Carrier, label, record: the steps of one booking of an order we hold.
    async fn book_claimed(&self, o: &OrderView) -> Result<Booking, BookingError> {
        let req = shipment_request(&self.store, o).await?;
        let booking = self.carrier.book(&req).await?;
        let key = label_key(&o.id);
        self.blobs.put(&key, &booking.label_pdf).await?;
        let recorded = self
            .store
            .finish_booking(&o.id, &self.owner, &booking.tracking_number, &booking.carrier_name, &key)
            .await?;
        if !recorded {
            tracing::info!(order = %o.id, "booking not recorded: another worker did, or the order moved on");
        }
        Ok(booking)
    }

    /// The booking an order already has, with its label (printed again if the file is missing:
    /// connectors are idempotent, so this is the same shipment).
    async fn existing(&self, o: &OrderView) -> Result<Booking, BookingError> {
        let tracking = o.tracking_number.clone().unwrap_or_default();
        let stored = match &o.label_path {
            Some(k) => self.blobs.get(k).await?,
            None => None,
        };
        let label_pdf = match stored {
            Some(pdf) => pdf,
            None => self.carrier.book(&shipment_request(&self.store, o).await?).await?.label_pdf,
        };
        Ok(Booking { tracking_number: tracking, carrier_name: o.carrier.clone().unwrap_or_default(), label_pdf })
    }

    /// Runs the loop until `shutdown` turns true; bookings in flight are finished first.
    pub async fn run(self: Arc<Self>, shutdown: watch::Receiver<bool>) {
        let (parallel, idle) = (self.cfg.parallel, self.cfg.idle);
        run_claim_loop(self, parallel, idle, shutdown).await
    }
}

fn now_ms() -> i64 {
    jiff::Timestamp::now().as_millisecond()
}

/// Books one of `tenant`'s orders now and returns its tracking number and label, for a request
/// that wants the label in its response. An order already booked returns its booking; one that
/// the background loop is booking at this moment is waited for (up to 10 s).
pub async fn book_now(
    store: &Store,
    carrier: Arc<dyn CarrierConnector>,
    blobs: Arc<dyn BlobStore>,
    tenant: &ClientId,
    order: &OrderId,
) -> Result<Booking, BookingError> {
    let owner = format!("book-now-{:016x}", rand::random::<u64>());
    let booker = Booker::new(store.clone(), carrier, blobs, owner, BookingConfig::from_env());
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    loop {
        let o = store.find_order(tenant, &order.0).await?;
        if o.tracking_number.is_some() {
            return booker.existing(&o).await;
        }
        let waiting = matches!(o.status, OutboundStatus::Submitted | OutboundStatus::WaitPicking);
        if !waiting || o.kind == OrderKind::Return {
            return Err(BookingError::NotBookable { order: o.bird_id.to_string(), status: o.status.to_string() });
        }
        if let Some(claim) = store.claim_booking_of(tenant, order, &booker.owner, booker.lease_ms()).await? {
            let booking = booker.process(&claim).await?;
            // Recorded by us, or by a worker whose lease we outlived: either way the order's
            // booking is the one to report.
            let now = store.find_order(tenant, &order.0).await?;
            return match &now.tracking_number {
                Some(t) if *t != booking.tracking_number => booker.existing(&now).await,
                _ => Ok(booking),
            };
        }
        if tokio::time::Instant::now() >= deadline {
            return Err(BookingError::Busy(o.bird_id.to_string()));
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// A loop that claims jobs from the store and works on several at once.
#[async_trait]
pub(crate) trait ClaimLoop: Send + Sync + 'static {
    type Job: Send + 'static;
    /// The next job, if one is due.
    async fn claim(&self) -> Result<Option<Self::Job>, StoreError>;
    /// Works on a job to the end, recording its outcome.
    async fn work(&self, job: Self::Job);
    /// For logs.
    fn name(&self) -> &'static str;
}

#[async_trait]
impl ClaimLoop for Booker {
    type Job = BookingClaim;
    async fn claim(&self) -> Result<Option<BookingClaim>, StoreError> {
        self.store.claim_booking(&self.owner, self.lease_ms()).await
    }
    async fn work(&self, claim: BookingClaim) {
        let _ = self.process(&claim).await;
    }
    fn name(&self) -> &'static str {
        "booking"
    }
}

/// Claims jobs while fewer than `parallel` are in flight, sleeps `idle` when there is none, and on
/// shutdown stops claiming and finishes the jobs in hand.
pub(crate) async fn run_claim_loop<L: ClaimLoop>(
    l: Arc<L>,
    parallel: usize,
    idle: Duration,
    mut shutdown: watch::Receiver<bool>,
) {
    let parallel = parallel.max(1);
    let mut inflight = JoinSet::new();
    loop {
        if *shutdown.borrow() {
            break;
        }
        // Fill the free slots; stop at the first "nothing due".
        let mut exhausted = false;
        while inflight.len() < parallel {
            match l.claim().await {
                Ok(Some(job)) => {
                    let me = l.clone();
                    inflight.spawn(async move { me.work(job).await });
                }
                Ok(None) => {
                    exhausted = true;
                    break;
                }
                Err(e) => {
                    tracing::error!(error = %e, what = l.name(), "could not claim work");
                    exhausted = true;
                    break;
                }
            }
        }
        // Full: wait for a slot. Exhausted: wait for a slot or the idle pause, whichever is first.
        tokio::select! {
            Some(_) = inflight.join_next(), if !inflight.is_empty() => {}
            _ = tokio::time::sleep(idle), if exhausted => {}
            r = shutdown.changed() => {
                if r.is_err() {
                    break;
                }
            }
        }
    }
    while inflight.join_next().await.is_some() {}
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_lists_parse_or_are_refused() {
        assert_eq!(
            parse_ms_list("50, 100,200"),
            Some(vec![50, 100, 200].into_iter().map(Duration::from_millis).collect())
        );
        assert_eq!(parse_ms_list(""), None);
        assert_eq!(parse_ms_list("5,x"), None);
    }

    #[test]
    fn jitter_stays_within_twenty_percent() {
        for _ in 0..1000 {
            let j = jitter(Duration::from_secs(100));
            assert!(j >= Duration::from_secs(80) && j <= Duration::from_secs(120), "{j:?}");
        }
    }

    #[test]
    fn labels_live_under_labels() {
        assert_eq!(label_key(&OrderId("ord_1".into())), "labels/ord_1.pdf");
        assert!(crate::validate_key(&label_key(&OrderId("ord_01ABC".into()))).is_ok());
    }
}
