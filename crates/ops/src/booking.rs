//! Asynchronous carrier booking: after an order is submitted, a background loop books it with
//! the carrier of its service and records the tracking number and the label together (which also
//! writes the `order.tracking` outbox event that webhooks announce).
//!
//! The loop works in batches: it claims up to [`BookingConfig::batch`] orders in one statement,
//! books them with up to [`BookingConfig::parallel`] carrier calls in flight, and records every
//! success in one transaction. On SQLite, whose one writer order intake needs too, that is two
//! commits per batch instead of two per order.
//!
//! Claims are leases on the order row (see `entrepot_store`'s booking claims), so several
//! processes on one database never book the same order twice, and an order whose process died
//! mid-batch is booked again once the lease runs out; connectors are idempotent on the order
//! id, so that second booking returns the same shipment. A temporary carrier failure is retried
//! with back-off; a refusal puts the order in EXCEPTION (Bird PROBLEM) with the carrier's reason.
//! [`book_now`] does the same for one order inside a request (Bird's `returnLabel=1`).

use std::{collections::VecDeque, sync::Arc, time::Duration};

use async_trait::async_trait;
use entrepot_app::{App, BookingClaim, CoreError, FinishedBooking, OrderView};
use entrepot_core::{
    ids::{ClientId, OrderId},
    outbound::{OrderKind, OutboundStatus},
};
use tokio::{sync::watch, task::JoinSet, time::Instant};

use crate::carrier::{Booking, CarrierConnector, CarrierError, ShipmentRequest};

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
    /// Orders claimed, and their bookings recorded, at once. A batch is booked within half the
    /// lease or what is left of it is given back, so a larger batch is no risk to the lease.
    pub batch: usize,
}

impl Default for BookingConfig {
    fn default() -> Self {
        let s = Duration::from_secs;
        BookingConfig {
            lease: s(60),
            retry: vec![s(5), s(30), s(120), s(600), s(3600)],
            idle: Duration::from_millis(500),
            parallel: 16,
            batch: 64,
        }
    }
}

/// `d` ± 20%, so that retries of many items spread out instead of arriving together.
pub fn jitter(d: Duration) -> Duration {
    d.mul_f64(0.8 + 0.4 * rand::random::<f64>())
}

/// Why a booking did not happen.
#[derive(Debug, thiserror::Error)]
pub enum BookingError {
    #[error(transparent)]
    /// The storage refused or failed (see the use-case layer's ports).
    Store(#[from] CoreError),
    #[error(transparent)]
    Carrier(#[from] CarrierError),
    /// Another worker holds the order and did not finish in time.
    #[error("order {0} is being booked right now; try again shortly")]
    Busy(String),
    /// The order is not waiting for a booking (a draft, cancelled, a return, in EXCEPTION...).
    #[error("order {order} cannot be booked while it is {status}")]
    NotBookable { order: String, status: String },
}

/// What a carrier needs for `o`: its service's carrier, the warehouse as sender, the recipient.
/// Both come from the store's reference-data snapshot: a batch of orders shares a few services
/// and sites, which need not be read again per order.
pub async fn shipment_request(app: &App, o: &OrderView) -> Result<ShipmentRequest, CoreError> {
    let svc = app.cached_service(&o.service_id).await?;
    let wh = app.cached_warehouse(&o.warehouse_id).await?;
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
    app: App,
    carrier: Arc<dyn CarrierConnector>,
    /// What sandbox twins' orders are booked with, whatever `carrier` is: an ERP under test
    /// never books a real parcel.
    sandbox: Arc<dyn CarrierConnector>,
    owner: String,
    cfg: BookingConfig,
}

impl Booker {
    /// A booker identified as `owner` (unique per process) in leases.
    pub fn new(app: App, carrier: Arc<dyn CarrierConnector>, owner: impl Into<String>, cfg: BookingConfig) -> Self {
        Booker { app, carrier, sandbox: Arc::new(crate::SandboxCarrier::new()), owner: owner.into(), cfg }
    }

    /// The carrier an order of `client` is booked with: the sandbox for a sandbox twin's.
    async fn carrier_for(&self, client: &ClientId) -> Result<&Arc<dyn CarrierConnector>, CoreError> {
        Ok(if self.app.sandbox_of(client).await?.is_some() { &self.sandbox } else { &self.carrier })
    }

    fn lease_ms(&self) -> i64 {
        self.cfg.lease.as_millis() as i64
    }

    /// Claims a batch and books it; how many orders were claimed (0 when none was waiting).
    pub async fn run_once(self: &Arc<Self>) -> Result<usize, CoreError> {
        let claims = self.app.claim_bookings(&self.owner, self.lease_ms(), self.cfg.batch.max(1)).await?;
        let n = claims.len();
        if n > 0 {
            self.book_batch(claims, None).await;
        }
        Ok(n)
    }

    /// Books claimed orders with up to `parallel` carrier calls in flight, settles each failure
    /// as it comes, and records the successes together. Once `shutdown` turns true or half the
    /// lease is gone, no further booking starts and the orders not started are given back: what
    /// is recorded at the end must still be ours then.
    async fn book_batch(self: &Arc<Self>, claims: Vec<BookingClaim>, shutdown: Option<&watch::Receiver<bool>>) {
        let deadline = Instant::now() + self.cfg.lease / 2;
        let mut queue = VecDeque::from(claims);
        let mut inflight = JoinSet::new();
        let mut booked = vec![];
        loop {
            while inflight.len() < self.cfg.parallel.max(1) {
                let Some(claim) = queue.pop_front() else { break };
                if Instant::now() >= deadline || shutdown.is_some_and(|s| *s.borrow()) {
                    queue.push_front(claim);
                    self.give_back(queue.drain(..).collect()).await;
                    break;
                }
                let me = self.clone();
                inflight.spawn(async move {
                    let r = me.book_unrecorded(&claim.order).await;
                    (claim, r)
                });
            }
            match inflight.join_next().await {
                None => break,
                Some(Ok((claim, Ok(b)))) => booked.push((claim, b)),
                Some(Ok((claim, Err(e)))) => {
                    if let Err(e) = self.fail(&claim, e).await {
                        tracing::error!(order = %claim.order.id, error = %e, "could not settle a failed booking");
                    }
                }
                // The order stays leased and is booked again once the lease runs out.
                Some(Err(e)) => tracing::error!(error = %e, "a booking task died"),
            }
        }
        if let Err(e) = self.record(&mut booked).await {
            for (claim, _) in &booked {
                if let Err(e) = self.defer(claim, &e.to_string()).await {
                    tracing::error!(order = %claim.order.id, error = %e, "could not settle a failed booking");
                }
            }
        }
    }

    /// Gives back claims never sent to the carrier; failing that, their leases run out.
    async fn give_back(&self, claims: Vec<BookingClaim>) {
        let ids: Vec<OrderId> = claims.into_iter().map(|c| c.order.id).collect();
        match self.app.release_bookings(&self.owner, &ids).await {
            Ok(n) => tracing::info!(released = n, "gave back claimed orders not yet booked"),
            Err(e) => tracing::warn!(error = %e, orders = ids.len(), "could not give back claimed orders"),
        }
    }

    /// Records bookings in one transaction and logs each outcome. The labels go to the store
    /// (taken, not copied: a batch's labels are a few hundred KB).
    async fn record(&self, booked: &mut [(BookingClaim, Booking)]) -> Result<(), CoreError> {
        if booked.is_empty() {
            return Ok(());
        }
        let done: Vec<FinishedBooking> = booked
            .iter_mut()
            .map(|(c, b)| FinishedBooking {
                id: c.order.id.clone(),
                tracking: b.tracking_number.clone(),
                carrier: b.carrier_name.clone(),
                label: std::mem::take(&mut b.label_pdf),
                declared_weight_g: c.order.weight_g,
            })
            .collect();
        let recorded = self.app.finish_bookings(&self.owner, done).await?;
        for ((c, b), recorded) in booked.iter().zip(recorded) {
            let o = &c.order;
            tracing::info!(order = %o.id, tracking = %b.tracking_number, carrier = %b.carrier_name, "order booked");
            if !recorded {
                tracing::info!(order = %o.id, "booking not recorded: another worker did, or the order moved on");
            }
        }
        Ok(())
    }

    /// Books one claimed order and settles every outcome: recorded, deferred or refused.
    async fn process(&self, claim: &BookingClaim) -> Result<Booking, BookingError> {
        let booked = match self.book_unrecorded(&claim.order).await {
            Ok(b) => (claim.clone(), b),
            Err(e) => return Err(self.fail(claim, e).await?),
        };
        // Recording takes the label; the caller wants it too.
        let label = booked.1.label_pdf.clone();
        let mut one = [booked];
        match self.record(&mut one).await {
            Ok(()) => {
                let [(_, mut booking)] = one;
                booking.label_pdf = label;
                Ok(booking)
            }
            Err(e) => Err(self.fail(claim, e.into()).await?),
        }
    }

    /// Settles a failed booking: a refusal puts the order in EXCEPTION with the carrier's reason,
    /// anything else is retried later. Returns the failure.
    async fn fail(&self, claim: &BookingClaim, e: BookingError) -> Result<BookingError, CoreError> {
        match e {
            BookingError::Carrier(e) if !e.is_retryable() => {
                let (o, reason) = (&claim.order, e.to_string());
                tracing::warn!(order = %o.id, %reason, "carrier refused the booking; order set to EXCEPTION");
                if self.app.refuse_booking(&o.id, &self.owner, &reason).await? {
                    if let Err(t) = self.app.transition_order(&o.client_id, &o.id, OutboundStatus::Exception).await {
                        tracing::warn!(order = %o.id, error = %t, "could not set EXCEPTION after a refused booking");
                    }
                }
                Ok(BookingError::Carrier(e))
            }
            e => {
                self.defer(claim, &e.to_string()).await?;
                Ok(e)
            }
        }
    }

    /// Gives the order back to be retried after the back-off of its attempt.
    async fn defer(&self, claim: &BookingClaim, error: &str) -> Result<(), CoreError> {
        let step = (claim.attempts.max(1) - 1) as usize;
        let wait = self.cfg.retry.get(step).or(self.cfg.retry.last()).copied().unwrap_or(Duration::from_secs(60));
        let wait = jitter(wait);
        tracing::warn!(order = %claim.order.id, attempt = claim.attempts, %error, retry_in_ms = wait.as_millis() as u64, "booking failed; will retry");
        let at = now_ms() + wait.as_millis() as i64;
        self.app.defer_booking(&claim.order.id, &self.owner, at, error).await?;
        Ok(())
    }

    /// The carrier's booking of an order we hold; recording it, label included, is the caller's,
    /// so that a batch records all of its bookings at once.
    async fn book_unrecorded(&self, o: &OrderView) -> Result<Booking, BookingError> {
        let req = shipment_request(&self.app, o).await?;
        Ok(self.carrier_for(&o.client_id).await?.book(&req).await?)
    }

    /// The booking an order already has, with the label kept with it, or printed again if there
    /// is none (an order booked before labels were kept in the database): connectors are
    /// idempotent, so this is the same shipment.
    async fn existing(&self, o: &OrderView) -> Result<Booking, BookingError> {
        let tracking = o.tracking_number.clone().unwrap_or_default();
        let label_pdf = match self.app.order_label(&o.client_id, &o.id).await? {
            Some(pdf) => pdf,
            None => self.carrier_for(&o.client_id).await?.book(&shipment_request(&self.app, o).await?).await?.label_pdf,
        };
        Ok(Booking { tracking_number: tracking, carrier_name: o.carrier.clone().unwrap_or_default(), label_pdf })
    }

    /// Runs the loop until `shutdown` turns true; bookings in flight are finished and recorded
    /// first, and the rest of the batch is given back.
    pub async fn run(self: Arc<Self>, mut shutdown: watch::Receiver<bool>) {
        loop {
            if *shutdown.borrow() {
                break;
            }
            let claimed = match self.app.claim_bookings(&self.owner, self.lease_ms(), self.cfg.batch.max(1)).await {
                Ok(claims) => claims,
                Err(e) => {
                    tracing::error!(error = %e, what = "booking", "could not claim work");
                    vec![]
                }
            };
            // Whatever arrived while a batch was booked is the next batch: pause only when idle.
            if !claimed.is_empty() {
                self.book_batch(claimed, Some(&shutdown)).await;
                continue;
            }
            tokio::select! {
                _ = tokio::time::sleep(self.cfg.idle) => {}
                r = shutdown.changed() => {
                    if r.is_err() {
                        break;
                    }
                }
            }
        }
    }
}

fn now_ms() -> i64 {
    jiff::Timestamp::now().as_millisecond()
}

/// Books one of `tenant`'s orders now and returns its tracking number and label, for a request
/// that wants the label in its response. An order already booked returns its booking; one that
/// the background loop is booking at this moment is waited for (up to 10 s).
pub async fn book_now(
    app: &App,
    carrier: Arc<dyn CarrierConnector>,
    cfg: &BookingConfig,
    tenant: &ClientId,
    order: &OrderId,
) -> Result<Booking, BookingError> {
    let owner = format!("book-now-{:016x}", rand::random::<u64>());
    let booker = Booker::new(app.clone(), carrier, owner, cfg.clone());
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    loop {
        let o = app.find_order(tenant, &order.0).await?;
        if o.tracking_number.is_some() {
            return booker.existing(&o).await;
        }
        let waiting = matches!(
            o.status,
            OutboundStatus::Submitted | OutboundStatus::WaitPicking | OutboundStatus::Picking | OutboundStatus::Packed
        );
        if !waiting || o.kind == OrderKind::Return {
            return Err(BookingError::NotBookable { order: o.bird_id.to_string(), status: o.status.to_string() });
        }
        if let Some(claim) = app.claim_booking_of(tenant, order, &booker.owner, booker.lease_ms()).await? {
            let booking = booker.process(&claim).await?;
            // Recorded by us, or by a worker whose lease we outlived: either way the order's
            // booking is the one to report.
            let now = app.find_order(tenant, &order.0).await?;
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
    async fn claim(&self) -> Result<Option<Self::Job>, CoreError>;
    /// Works on a job to the end, recording its outcome.
    async fn work(&self, job: Self::Job);
    /// For logs.
    fn name(&self) -> &'static str;
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
    fn jitter_stays_within_twenty_percent() {
        for _ in 0..1000 {
            let j = jitter(Duration::from_secs(100));
            assert!(j >= Duration::from_secs(80) && j <= Duration::from_secs(120), "{j:?}");
        }
    }

    mod batches {
        use std::{
            collections::HashSet,
            sync::{
                atomic::{AtomicUsize, Ordering},
                Mutex,
            },
        };

        use entrepot_core::{ids::ServiceId, outbound::NewOutbound};
        use entrepot_store::{fixtures, Store};
        use entrepot_testkit::{each_backend, Backend, TestDb};

        use super::*;
        use crate::SandboxCarrier;

        /// The sandbox, remembering every shipment it handed out. It refuses references starting
        /// with `BAD`, is down for `DOWN`, and after `hang_after` calls never answers again (a
        /// process killed mid-batch).
        struct Carrier {
            calls: AtomicUsize,
            hang_after: usize,
            shipments: Arc<Mutex<HashSet<(String, String)>>>,
        }

        #[async_trait]
        impl CarrierConnector for Carrier {
            fn name(&self) -> &str {
                "test"
            }
            async fn book(&self, req: &ShipmentRequest) -> Result<Booking, CarrierError> {
                if self.calls.fetch_add(1, Ordering::SeqCst) >= self.hang_after {
                    std::future::pending::<()>().await;
                }
                if req.order_reference.starts_with("BAD") {
                    return Err(CarrierError::Rejected("recipient: no such street".into()));
                }
                if req.order_reference.starts_with("DOWN") {
                    return Err(CarrierError::Unavailable("timeout".into()));
                }
                let b = SandboxCarrier::new().book(req).await?;
                self.shipments.lock().unwrap().insert((req.order_id.clone(), b.tracking_number.clone()));
                Ok(b)
            }
            async fn track(
                &self,
                parcel: &entrepot_app::InTransit,
                now_ms: i64,
            ) -> Result<Vec<entrepot_core::tracking::TrackingEvent>, CarrierError> {
                SandboxCarrier::new().track(parcel, now_ms).await
            }
        }

        fn carrier(hang_after: usize, shipments: &Arc<Mutex<HashSet<(String, String)>>>) -> Arc<Carrier> {
            Arc::new(Carrier { calls: AtomicUsize::new(0), hang_after, shipments: shipments.clone() })
        }

        struct Fx {
            store: Store,
            client: ClientId,
            service: ServiceId,
            sku: entrepot_core::ids::SkuId,
            _db: TestDb,
        }

        async fn fixture(b: Backend) -> Fx {
            let db = TestDb::new(b).await;
            let store = Store::open(&db.url).await.expect("store");
            let seller = fixtures::seller(&store, "Seller").await.unwrap();
            fixtures::listening(&store, &seller.client).await.unwrap();
            Fx { store, client: seller.client, service: seller.service.id, sku: seller.sku, _db: db }
        }

        impl Fx {
            /// Orders with these references, in claim order.
            async fn place(&self, references: &[&str]) -> Vec<OrderView> {
                let batch = references
                    .iter()
                    .map(|r| {
                        let recipient = fixtures::leeds();
                        let new = NewOutbound {
                            client_id: self.client.clone(),
                            reference: (*r).into(),
                            recipient,
                            lines: vec![(self.sku, 1)],
                            ..Default::default()
                        };
                        (new, self.service.clone())
                    })
                    .collect();
                let mut placed = fixtures::place_orders(&self.store, batch, true).await.unwrap();
                placed.sort_by(|a, b| (a.created_at_ms, &a.id).cmp(&(b.created_at_ms, &b.id)));
                placed
            }

            fn booker(&self, owner: &str, carrier: Arc<Carrier>, cfg: BookingConfig) -> Arc<Booker> {
                Arc::new(Booker::new(App::new(Arc::new(self.store.clone())), carrier, owner, cfg))
            }

            async fn order(&self, o: &OrderView) -> OrderView {
                self.store.find_order(&self.client, &o.id.0).await.unwrap()
            }

            async fn tracking_events(&self) -> usize {
                let events = self.store.events_to_fan_out(10_000).await.unwrap();
                events.iter().filter(|e| e.kind == "order.tracking").count()
            }
        }

        fn cfg(batch: usize, lease: Duration) -> BookingConfig {
            BookingConfig { batch, parallel: 2, lease, retry: vec![Duration::from_secs(3600)], ..Default::default() }
        }

        #[each_backend]
        async fn a_batch_is_booked_recorded_and_its_failures_settled(b: Backend) {
            let fx = fixture(b).await;
            let orders = fx.place(&["OK-0", "OK-1", "BAD-2", "OK-3", "DOWN-4", "OK-5", "OK-6"]).await;
            let shipments = Arc::default();
            let booker = fx.booker("booker", carrier(usize::MAX, &shipments), cfg(4, Duration::from_secs(60)));
            let mut claimed = vec![];
            loop {
                let n = booker.run_once().await.unwrap();
                claimed.push(n);
                if n == 0 {
                    break;
                }
            }
            assert_eq!(claimed, [4, 3, 0], "{b:?}: batches of at most 4; refused and deferred are not due");
            for o in &orders {
                let now = fx.order(o).await;
                let error = fx.store.booking_error(&fx.client, &o.id).await.unwrap();
                match o.reference.as_str() {
                    "BAD-2" => {
                        assert_eq!(now.status, OutboundStatus::Exception, "{b:?}");
                        assert!(error.unwrap_or_default().contains("no such street"), "{b:?}");
                    }
                    "DOWN-4" => {
                        assert_eq!((now.status, now.tracking_number), (OutboundStatus::Submitted, None), "{b:?}");
                        assert!(error.unwrap_or_default().contains("timeout"), "{b:?}");
                    }
                    _ => {
                        let tracking = now.tracking_number.clone().expect("booked");
                        assert!(shipments.lock().unwrap().contains(&(o.id.0.clone(), tracking)), "{b:?}");
                        let label = fx.store.order_label(&fx.client, &o.id).await.unwrap();
                        assert!(label.is_some_and(|pdf| pdf.starts_with(b"%PDF-")), "{b:?}: label kept");
                        assert_eq!(error, None, "{b:?}");
                    }
                }
            }
            assert_eq!(fx.tracking_events().await, 5, "{b:?}: one order.tracking event per booking");
        }

        #[each_backend]
        async fn a_booker_killed_mid_batch_leaves_its_orders_to_the_next_without_a_second_shipment(b: Backend) {
            let fx = fixture(b).await;
            let orders = fx.place(&["A", "B", "C", "D", "E", "F"]).await;
            let shipments = Arc::default();
            // Books two, then hangs with two more in flight and two not started; then dies.
            let hanging = carrier(2, &shipments);
            let dying = fx.booker("dying", hanging.clone(), cfg(10, Duration::from_secs(1)));
            let task = tokio::spawn(async move { dying.run_once().await });
            for _ in 0..500 {
                if hanging.calls.load(Ordering::SeqCst) >= 4 {
                    break;
                }
                tokio::time::sleep(Duration::from_millis(5)).await;
            }
            assert_eq!(hanging.calls.load(Ordering::SeqCst), 4, "{b:?}");
            task.abort();
            assert!(task.await.unwrap_err().is_cancelled());
            assert_eq!(shipments.lock().unwrap().len(), 2, "{b:?}");
            let next = fx.booker("next", carrier(usize::MAX, &shipments), cfg(10, Duration::from_secs(60)));
            assert_eq!(next.run_once().await.unwrap(), 0, "{b:?}: still leased by the dead process");
            assert_eq!(fx.tracking_events().await, 0, "{b:?}");
            tokio::time::sleep(Duration::from_millis(1100)).await;
            assert_eq!(next.run_once().await.unwrap(), 6, "{b:?}: booked once the leases ran out");
            let shipments = shipments.lock().unwrap().clone();
            assert_eq!(shipments.len(), 6, "{b:?}: the same shipment again, not a second one: {shipments:?}");
            for o in &orders {
                let tracking = fx.order(o).await.tracking_number.expect("booked");
                assert!(shipments.contains(&(o.id.0.clone(), tracking)), "{b:?}");
            }
            assert_eq!(fx.tracking_events().await, 6, "{b:?}");
        }

        #[each_backend]
        async fn shutdown_gives_back_what_was_not_started(b: Backend) {
            let fx = fixture(b).await;
            let orders = fx.place(&["A", "B", "C", "D", "E"]).await;
            let shipments = Arc::default();
            let (stop, stopped) = watch::channel(true);
            let booker = fx.booker("stopping", carrier(usize::MAX, &shipments), cfg(10, Duration::from_secs(60)));
            let claims = fx.store.claim_bookings("stopping", 60_000, 10).await.unwrap();
            booker.book_batch(claims, Some(&stopped)).await;
            drop(stop);
            assert!(shipments.lock().unwrap().is_empty(), "{b:?}");
            let other = fx.booker("other", carrier(usize::MAX, &shipments), cfg(10, Duration::from_secs(60)));
            assert_eq!(other.run_once().await.unwrap(), 5, "{b:?}: free at once");
            for o in &orders {
                assert!(fx.order(o).await.tracking_number.is_some(), "{b:?}");
            }
        }
    }
}
