//! Cycle counts (issue 18 §7): staff of a warehouse create count tasks (bins by code or range,
//! or every location holding a SKU) and record them by scanning the bin, then the SKU labels
//! with quantities; the variance is applied at once within the warehouse's threshold
//! (`count_approval_units`, default 10 units per SKU line), and waits for a supervisor above it.
//! The rules are `entrepot_core::count`'s; here the actor's scope is checked first, the input
//! bounded, and the count kept blind: until a task is counted, only supervisors see what its
//! location is expected to hold.

use entrepot_core::{
    actor::Actor,
    count::{check_threshold, shows_expected, MAX_SCANS},
    ids::WarehouseId,
    location::{code::normalize, range},
    CoreError, CoreResult,
};

use crate::{
    types::{counts::*, receiving::MAX_KEY, receiving::MAX_NOTE},
    App,
};

/// Tasks one list returns unless asked otherwise.
pub const DEFAULT_COUNT_PAGE: i64 = 50;

/// The task as `actor` may see it: the lines of an open task only for supervisors.
fn blind(actor: &Actor, mut t: CountTask) -> CountTask {
    if !shows_expected(t.state, actor) {
        t.lines.clear();
    }
    t
}

fn bounded(field: &str, v: Option<&str>, max: usize) -> CoreResult<Option<String>> {
    match v.map(str::trim) {
        None | Some("") => Ok(None),
        Some(t) if t.chars().count() > max => {
            Err(CoreError::invalid(field, format!("expected at most {max} characters, got {}", t.chars().count())))
        }
        Some(t) => Ok(Some(t.to_owned())),
    }
}

impl App {
    /// Creates count tasks in `warehouse`: one per bin listed or in a range, or one per location
    /// holding a SKU (counting that SKU only). All or nothing.
    pub async fn create_counts(
        &self,
        actor: &Actor,
        warehouse: &WarehouseId,
        target: CountTarget,
    ) -> CoreResult<Vec<CountTask>> {
        actor.require_staff()?;
        actor.require_warehouse(warehouse)?;
        let target = match target {
            CountTarget::Bins(codes) => {
                let mut out: Vec<String> = vec![];
                for (k, c) in codes.iter().enumerate() {
                    let c = normalize(c).map_err(|e| e.at_line(k + 1))?;
                    if !out.contains(&c) {
                        out.push(c);
                    }
                }
                CountTarget::Bins(out)
            }
            CountTarget::Range(r) => CountTarget::Bins(range::expand(&r)?),
            CountTarget::Sku { client, sku } => {
                actor.require_client(&client)?;
                CountTarget::Sku { client, sku }
            }
        };
        if let CountTarget::Bins(codes) = &target {
            if codes.is_empty() {
                return Err(CoreError::invalid("bins", "expected at least one bin to count"));
            }
            if codes.len() > MAX_NEW_COUNTS {
                return Err(CoreError::invalid(
                    "bins",
                    format!("at most {MAX_NEW_COUNTS} bins at once, got {}", codes.len()),
                ));
            }
        }
        let n = NewCounts { warehouse: warehouse.clone(), target };
        self.storage.create_counts(actor, &n).await
    }

    /// Count tasks of a warehouse, oldest first; page with `f.after` = the last id seen.
    pub async fn count_tasks(&self, actor: &Actor, f: CountFilter) -> CoreResult<Vec<CountTask>> {
        actor.require_staff()?;
        actor.require_warehouse(&f.warehouse)?;
        let f = CountFilter {
            limit: if f.limit <= 0 { DEFAULT_COUNT_PAGE } else { f.limit.min(MAX_COUNT_PAGE) },
            after: bounded("cursor", f.after.as_deref(), MAX_KEY)?,
            ..f
        };
        let tasks = self.storage.count_tasks(&f).await?;
        Ok(tasks.into_iter().map(|t| blind(actor, t)).collect())
    }

    /// One count task (staff of its warehouse); blind while open unless a supervisor asks.
    pub async fn count_task(&self, actor: &Actor, id: &str) -> CoreResult<CountTask> {
        actor.require_staff()?;
        let t = self.storage.count_task(&self.count_id(id)?).await?;
        actor.require_warehouse(&t.warehouse_id)?;
        Ok(blind(actor, t))
    }

    /// Records a count: the bin scanned (it must be the task's), then each SKU label with its
    /// quantity. A replayed `scan_id` records nothing again.
    pub async fn record_count(&self, actor: &Actor, r: CountResults) -> CoreResult<CountOutcome> {
        actor.require_staff()?;
        let id = self.count_id(&r.task)?;
        let t = self.storage.count_task(&id).await?;
        actor.require_warehouse(&t.warehouse_id)?;
        if r.scans.len() > MAX_SCANS {
            return Err(CoreError::invalid("scans", format!("at most {MAX_SCANS} scans, got {}", r.scans.len())));
        }
        let bin = r.bin.trim();
        if bin.is_empty() {
            return Err(CoreError::invalid("bin", format!("expected the scan of bin {} first", t.location_code)));
        }
        let mut scans = Vec::with_capacity(r.scans.len());
        for (k, s) in r.scans.into_iter().enumerate() {
            let code = bounded("code", Some(&s.code), MAX_KEY)?
                .ok_or_else(|| CoreError::invalid("code", "expected a scanned SKU label").at_line(k + 1))?;
            scans.push(CountScanIn { code, qty: s.qty });
        }
        let r = CountResults {
            task: id,
            bin: bin.to_owned(),
            scans,
            scan_id: bounded("scan_id", r.scan_id.as_deref(), MAX_KEY)?,
        };
        let mut out = self.storage.record_count(actor, &r).await?;
        out.task = blind(actor, out.task);
        Ok(out)
    }

    /// A supervisor approves a counted task: its variance goes into the ledger (reason IAA).
    pub async fn approve_count(&self, actor: &Actor, id: &str) -> CoreResult<CountTask> {
        let id = self.supervised_count(actor, id).await?;
        self.storage.decide_count(actor, &id, true, None).await
    }

    /// A supervisor rejects a counted task (or cancels an open one): nothing is applied.
    pub async fn reject_count(&self, actor: &Actor, id: &str, reason: Option<&str>) -> CoreResult<CountTask> {
        let id = self.supervised_count(actor, id).await?;
        let reason = bounded("reason", reason, MAX_NOTE)?;
        self.storage.decide_count(actor, &id, false, reason.as_deref()).await
    }

    /// The warehouse's approval threshold (staff of it).
    pub async fn count_threshold(&self, actor: &Actor, warehouse: &WarehouseId) -> CoreResult<i64> {
        actor.require_staff()?;
        actor.require_warehouse(warehouse)?;
        self.storage.count_threshold(warehouse).await
    }

    /// Sets the warehouse's approval threshold (a supervisor of it).
    pub async fn set_count_threshold(&self, actor: &Actor, warehouse: &WarehouseId, units: i64) -> CoreResult<i64> {
        actor.require_staff()?;
        actor.require_warehouse(warehouse)?;
        actor.require_supervisor()?;
        self.storage.set_count_threshold(actor, warehouse, check_threshold(units)?).await
    }

    fn count_id(&self, id: &str) -> CoreResult<String> {
        bounded("id", Some(id), MAX_KEY)?.ok_or_else(|| CoreError::invalid("id", "expected a count task id"))
    }

    /// The id of a task `actor` may decide on: staff of its warehouse who are supervisors.
    async fn supervised_count(&self, actor: &Actor, id: &str) -> CoreResult<String> {
        actor.require_staff()?;
        let id = self.count_id(id)?;
        let t = self.storage.count_task(&id).await?;
        actor.require_warehouse(&t.warehouse_id)?;
        actor.require_supervisor()?;
        Ok(id)
    }
}
