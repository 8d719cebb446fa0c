//! Waves at the cut-off and picking (issue 19 §1–2). Staff of a warehouse release a wave of its
//! orders due by a day (today in the warehouse's time zone unless told), optionally one
//! service's; storage allocates each order to bins first in, first out and groups them into pick
//! lists (`entrepot_core::wave`). Pickers walk a list scanning bin, SKU label and tote; a scan is
//! checked in storage's transaction against the list as it is, and a wrong one is refused saying
//! what was expected.

use entrepot_core::{
    actor::Actor,
    calendar::parse_date,
    ids::{PickListId, WarehouseId, WaveId},
    limits,
    wave::{projected_misses, ListRules, DEFAULT_SINGLE_OVER_UNITS, DEFAULT_TOTES, MAX_WAVE_ORDERS},
    CoreError, CoreResult,
};

use crate::{people::now_ms, types::waves::*, App};

/// What staff ask a wave to take; empty fields take the defaults.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WaveRequest {
    /// Orders due on or before this local day (`YYYY-MM-DD`); default: today at the warehouse.
    pub due_by: Option<String>,
    /// Only the orders of this service (its code).
    pub service: Option<String>,
    /// Most orders (default and at most [`MAX_WAVE_ORDERS`]).
    pub max_orders: Option<i64>,
    /// Totes on a cart.
    pub totes: Option<i64>,
    /// Orders of more units than this get a list of their own.
    pub single_over_units: Option<i64>,
}

/// Most characters of a scanned code or scan id.
const MAX_SCAN_TEXT: usize = 100;

fn scanned(field: &str, v: &str) -> CoreResult<String> {
    let t = v.trim();
    if t.is_empty() {
        return Err(CoreError::invalid(field, "expected a scan"));
    }
    if t.chars().count() > MAX_SCAN_TEXT {
        return Err(CoreError::invalid(field, format!("expected at most {MAX_SCAN_TEXT} characters")));
    }
    Ok(t.to_owned())
}

impl App {
    /// Releases a wave in `warehouse` (staff of it): its submitted orders due by the day asked,
    /// most urgent first, allocated to bins and grouped into pick lists. Orders whose units are
    /// not in bins are left out and listed in the answer.
    pub async fn release_wave(&self, actor: &Actor, warehouse: &WarehouseId, r: WaveRequest) -> CoreResult<WaveView> {
        actor.require_staff()?;
        actor.require_warehouse(warehouse)?;
        let wh = self.storage.warehouse(warehouse).await?;
        let due_by = match r.due_by.as_deref().map(str::trim).filter(|d| !d.is_empty()) {
            Some(d) => parse_date("due_by", d)?,
            None => wh.local_date(now_ms())?,
        };
        let service = match r.service.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            Some(code) => Some(self.storage.service_by_code(warehouse, code).await?.id),
            None => None,
        };
        let max_orders = match r.max_orders {
            None => MAX_WAVE_ORDERS,
            Some(n) if n >= 1 && n as usize <= MAX_WAVE_ORDERS => n as usize,
            Some(n) => {
                return Err(CoreError::invalid("max_orders", format!("expected 1 to {MAX_WAVE_ORDERS}, got {n}")))
            }
        };
        let rules = ListRules {
            totes: usize::try_from(r.totes.unwrap_or(DEFAULT_TOTES as i64)).unwrap_or(0),
            single_over_units: r.single_over_units.unwrap_or(DEFAULT_SINGLE_OVER_UNITS),
        };
        rules.validate()?;
        let n = NewWave { warehouse: warehouse.clone(), due_by: due_by.to_string(), service, max_orders, rules };
        self.storage.release_wave(actor, &n).await
    }

    /// Waves of `warehouse`, newest first; page with `before` = the last id seen.
    pub async fn waves(
        &self,
        actor: &Actor,
        warehouse: &WarehouseId,
        before: Option<&str>,
        limit: i64,
    ) -> CoreResult<Vec<WaveView>> {
        actor.require_staff()?;
        actor.require_warehouse(warehouse)?;
        let before = before.map(|b| scanned("cursor", b)).transpose()?.map(WaveId);
        self.storage.waves(warehouse, before.as_ref(), limit.clamp(1, MAX_WAVE_PAGE)).await
    }

    /// One wave with its pick lists (staff of its warehouse).
    pub async fn wave(&self, actor: &Actor, id: &str) -> CoreResult<WaveView> {
        actor.require_staff()?;
        let w = self.storage.wave(&WaveId(scanned("wave", id)?)).await?;
        actor.require_warehouse(&w.warehouse_id)?;
        Ok(w)
    }

    /// Pick lists of `warehouse` not yet done, oldest first; page with `after` = the last id seen.
    pub async fn open_pick_lists(
        &self,
        actor: &Actor,
        warehouse: &WarehouseId,
        after: Option<&str>,
        limit: i64,
    ) -> CoreResult<Vec<PickListSummary>> {
        actor.require_staff()?;
        actor.require_warehouse(warehouse)?;
        let after = after.map(|a| scanned("cursor", a)).transpose()?.map(PickListId);
        self.storage.open_pick_lists(warehouse, after.as_ref(), limit.clamp(1, MAX_WAVE_PAGE)).await
    }

    /// One pick list with its totes and walk (staff of its warehouse).
    pub async fn pick_list(&self, actor: &Actor, id: &str) -> CoreResult<PickListView> {
        actor.require_staff()?;
        let l = self.storage.pick_list(&PickListId(scanned("list", id)?)).await?;
        actor.require_warehouse(&l.list.warehouse_id)?;
        Ok(l)
    }

    /// Keeps a refused pick scan for the pick accuracy measure; failing to keep it does not
    /// change the picker's answer.
    async fn refused(&self, actor: &Actor, list: &PickListSummary, e: &CoreError) {
        if let Err(w) = self.storage.record_refused_pick(actor, list, &e.to_string()).await {
            tracing::warn!(error = %w, "refused pick scan not recorded");
        }
    }

    /// What the warehouses measure over the last day: handovers on time against their due
    /// dates per warehouse and carrier, order cycle time, each person's picks, wrong picks and
    /// packs, and stock exceptions. For `/metrics` (the system) and staff (their warehouses).
    pub async fn floor_measures(&self, actor: &Actor) -> CoreResult<FloorMeasures> {
        actor.require_staff()?;
        const WINDOW_HOURS: i64 = 24;
        let since = now_ms() - WINDOW_HOURS * 3_600_000;
        let facts = self.storage.floor_facts(since).await?;
        let warehouses: Vec<_> =
            self.storage.warehouses().await?.into_iter().filter(|w| actor.sees_warehouse(&w.id)).collect();
        let code = |id: &WarehouseId| warehouses.iter().find(|w| w.id == *id);
        let mut on_time: std::collections::BTreeMap<(String, String), OnTime> = Default::default();
        let mut cycles: std::collections::BTreeMap<String, Vec<i64>> = Default::default();
        for (wh, carrier, due, shipped_at, created_at) in facts.shipped {
            let Some(w) = code(&wh) else { continue };
            let e = on_time.entry((w.code.clone(), carrier.clone())).or_insert_with(|| OnTime {
                warehouse: w.code.clone(),
                carrier,
                ..Default::default()
            });
            e.shipped += 1;
            let day = w.local_date(shipped_at)?.to_string();
            if due.is_none_or(|d| day <= d) {
                e.on_time += 1;
            }
            cycles.entry(w.code.clone()).or_default().push((shipped_at - created_at) / 1_000);
        }
        let mut workers: std::collections::BTreeMap<(String, String), Worker> = Default::default();
        let mut exceptions: std::collections::BTreeMap<String, i64> = Default::default();
        for (wh, user, action, n) in facts.scans {
            let Some(w) = code(&wh) else { continue };
            if action == "pick.short" {
                *exceptions.entry(w.code.clone()).or_default() += n;
                continue;
            }
            let e = workers.entry((w.code.clone(), user.clone())).or_insert_with(|| Worker {
                warehouse: w.code.clone(),
                user,
                ..Default::default()
            });
            match action.as_str() {
                "pick.scanned" => e.picks += n,
                "pick.refused" => e.wrong_picks += n,
                "pack.closed" => e.packs += n,
                _ => {}
            }
        }
        let quantile = |v: &[i64], q: usize| v.get((v.len().saturating_sub(1)) * q / 100).copied().unwrap_or(0);
        Ok(FloorMeasures {
            window_hours: WINDOW_HOURS,
            on_time: on_time.into_values().collect(),
            cycle: cycles
                .into_iter()
                .map(|(wh, mut v)| {
                    v.sort_unstable();
                    (wh, quantile(&v, 50), quantile(&v, 90), v.len() as i64)
                })
                .collect(),
            workers: workers.into_values().collect(),
            stock_exceptions: exceptions.into_iter().collect(),
        })
    }

    /// The cut-off board of `warehouse` (staff of it): per carrier, today's orders by stage, the
    /// time left to the cut-off and the misses projected at today's pick rate.
    pub async fn cutoff_board(&self, actor: &Actor, warehouse: &WarehouseId) -> CoreResult<CutoffBoard> {
        actor.require_staff()?;
        actor.require_warehouse(warehouse)?;
        let wh = self.storage.warehouse(warehouse).await?;
        let now = now_ms();
        let day = wh.local_date(now)?;
        let day_start = wh.local_day_start_ms(day)?;
        let cutoff_at = day_start.saturating_add(i64::from(wh.cutoff_minutes) * 60_000);
        let minutes_left = if wh.calendar.is_working(day) { (cutoff_at - now).div_euclid(60_000) } else { 0 };
        let counts = self.storage.board_counts(warehouse, &day.to_string(), day_start).await?;
        // A rate over less than a quarter of an hour says little: counted as a quarter.
        let elapsed_ms = counts.first_pick_ms.map(|f| (now - f).max(900_000)).unwrap_or(900_000);
        let rate = counts.picked_units.saturating_mul(3_600_000) / elapsed_ms;
        let carriers = counts
            .lines
            .into_iter()
            .map(|mut l| {
                let open = l.waiting + l.released + l.picking;
                l.projected_misses = projected_misses(open, l.open_units, rate, minutes_left);
                l
            })
            .collect();
        Ok(CutoffBoard {
            warehouse_id: warehouse.clone(),
            day: day.to_string(),
            cutoff: format!("{:02}:{:02}", wh.cutoff_minutes / 60, wh.cutoff_minutes % 60),
            minutes_left,
            pick_rate_per_hour: rate,
            carriers,
        })
    }

    /// Folds the board's recorded changes into its tallies (the workers' loop; no actor: it
    /// moves counts between two forms of the same figures, visible to nobody).
    pub async fn fold_board(&self) -> CoreResult<u64> {
        self.storage.fold_board().await
    }

    /// The paper pick list of a list (staff of its warehouse): its walk, as a PDF's data.
    pub async fn pick_list_doc(&self, actor: &Actor, id: &str) -> CoreResult<PrintedPickList> {
        let l = self.pick_list(actor, id).await?;
        let w = self.storage.wave(&l.list.wave_id).await?;
        let wh = self.storage.warehouse(&l.list.warehouse_id).await?;
        let svc = self.storage.service(&l.list.service_id).await.map(|s| s.code).unwrap_or_default();
        let zone = l.list.zone.as_deref().map(|z| format!(" · zone {z}")).unwrap_or_default();
        Ok(PrintedPickList {
            warehouse: wh.code.clone(),
            list_id: l.list.id.0.clone(),
            title: format!("Wave {} · list {} · {svc}{zone}", w.number, l.list.number),
            printed_at: wh.local_time_text(now_ms())?,
            totes: l.totes,
            picks: l.picks.into_iter().filter(|p| p.left > 0 || p.picked > 0).collect(),
        })
    }

    /// A pick scan: `qty` units of the SKU whose label was scanned, from bin `bin`, into tote
    /// `tote`; with `short`, the bin had only `qty` (maybe none) of what the list expects.
    /// Checked once, in storage's transaction against the list as it is (a read before it was
    /// a third of a scan's round trips on PostgreSQL); a refused scan is then kept for the pick
    /// accuracy measure.
    pub async fn pick(&self, actor: &Actor, s: PickScan) -> CoreResult<PickOutcome> {
        actor.require_staff()?;
        let list = PickListId(scanned("list", &s.list)?);
        let bin = scanned("bin", &s.bin)?;
        let label = scanned("sku", &s.sku)?;
        let scan_id = s.scan_id.as_deref().map(|i| scanned("scan_id", i)).transpose()?;
        if !(s.short && s.qty == 0) {
            limits::quantity("qty", s.qty)?;
        }
        let c = PickCommand { list: list.clone(), scan_id, bin, label, tote: s.tote, qty: s.qty, short: s.short };
        let out = self.storage.pick(actor, &c).await;
        if let Err(e @ CoreError::Validation { .. }) = &out {
            if let Ok(l) = self.storage.pick_list(&list).await {
                self.refused(actor, &l.list, e).await;
            }
        }
        out
    }
}
