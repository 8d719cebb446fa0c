//! The tracking loop: every so often, asks the carrier about the shipped orders nobody asked
//! about since, and records what it says (each stage once; a delivery delivers the order, with
//! its webhook). Orders are claimed by the time they were last asked, so several processes share
//! them and an order a dead process claimed is asked again next round.

use std::{sync::Arc, time::Duration};

use entrepot_app::App;
use tokio::sync::watch;

use crate::{carrier::CarrierConnector, SandboxCarrier};

/// Orders asked about per round.
const BATCH: i64 = 200;

/// Runs the tracking loop until `shutdown`.
pub struct Tracker {
    app: App,
    carrier: Arc<dyn CarrierConnector>,
    every: Duration,
    /// What sandbox twins' parcels are tracked with: the sandbox, at its own quick pace.
    sandbox: SandboxCarrier,
}

/// How long a sandbox twin's parcel takes per stage, unless told quicker.
pub const SANDBOX_TRACKING_STEP: Duration = Duration::from_secs(20);

impl Tracker {
    pub fn new(app: App, carrier: Arc<dyn CarrierConnector>, every: Duration) -> Self {
        Self { app, carrier, every, sandbox: SandboxCarrier::with_tracking_step(SANDBOX_TRACKING_STEP) }
    }

    /// Sandbox twins' parcels move a stage every `step` (so an ERP under test sees one
    /// delivered within minutes).
    pub fn with_sandbox_step(mut self, step: Duration) -> Self {
        self.sandbox = SandboxCarrier::with_tracking_step(step);
        self
    }

    /// One round: how many new events were recorded.
    pub async fn run_once(&self, now_ms: i64) -> Result<usize, entrepot_app::CoreError> {
        let recheck = i64::try_from(self.every.as_millis()).unwrap_or(i64::MAX);
        let mut new = 0;
        for parcel in self.app.claim_in_transit(now_ms, recheck, BATCH).await? {
            let twin = self.app.sandbox_of(&parcel.client).await?.is_some();
            let carrier: &dyn CarrierConnector = if twin { &self.sandbox } else { self.carrier.as_ref() };
            match carrier.track(&parcel, now_ms).await {
                Ok(events) if !events.is_empty() => {
                    new += self.app.record_tracking(&parcel.client, &parcel.order, &events).await?;
                }
                Ok(_) => {}
                Err(e) => tracing::warn!(order = %parcel.order, error = %e, "tracking not read this time"),
            }
        }
        Ok(new)
    }

    pub async fn run(self, mut shutdown: watch::Receiver<bool>) {
        while !*shutdown.borrow() {
            let now = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
                .unwrap_or(0);
            match self.run_once(now).await {
                Ok(n) if n > 0 => tracing::info!(events = n, "tracking events recorded"),
                Ok(_) => {}
                Err(e) => tracing::warn!(error = %e, "tracking round failed"),
            }
            tokio::select! {
                _ = tokio::time::sleep(self.every) => {}
                _ = shutdown.changed() => {}
            }
        }
    }
}
