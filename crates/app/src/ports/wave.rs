//! Waves and picking: releasing due orders (allocation to bins included) in one transaction,
//! the lists pickers walk, and pick scans applied one at a time per list.

use async_trait::async_trait;
use entrepot_core::{
    actor::Actor,
    ids::{PickListId, WarehouseId, WaveId},
    CoreResult,
};

use crate::types::waves::*;

#[async_trait]
pub trait WavePort: Send + Sync {
    /// Releases a wave in one transaction: the warehouse's submitted orders due by `n.due_by`
    /// (the oldest due first, at most `n.max_orders`), each allocated to bins whole or left out,
    /// grouped into pick lists; the orders move to WAIT_PICKING. A wave that finds no order
    /// allocatable is refused (nothing is written).
    async fn release_wave(&self, actor: &Actor, n: &NewWave) -> CoreResult<WaveView>;
    /// Waves of a warehouse, newest first, before the cursor (a wave id); without their lists.
    async fn waves(&self, warehouse: &WarehouseId, before: Option<&WaveId>, limit: i64) -> CoreResult<Vec<WaveView>>;
    /// One wave with its lists.
    async fn wave(&self, id: &WaveId) -> CoreResult<WaveView>;
    /// Pick lists of a warehouse not yet done, oldest first, after the cursor (a list id).
    async fn open_pick_lists(
        &self,
        warehouse: &WarehouseId,
        after: Option<&PickListId>,
        limit: i64,
    ) -> CoreResult<Vec<PickListSummary>>;
    /// One pick list with its totes and walk.
    async fn pick_list(&self, id: &PickListId) -> CoreResult<PickListView>;
    /// Applies a pick scan in one transaction (re-checked there against the list): units from
    /// the bin into PACK, the order PICKING; a short bin re-allocates what it lacked from other
    /// bins, or stops the order (EXCEPTION, its units back to their bins) and opens a count of
    /// the bin. A replayed scan id changes nothing.
    async fn pick(&self, actor: &Actor, c: &PickCommand) -> CoreResult<PickOutcome>;
    /// The cut-off board's counts for `day` (a warehouse-local date) whose local start is
    /// `day_start_ms`.
    async fn board_counts(&self, warehouse: &WarehouseId, day: &str, day_start_ms: i64) -> CoreResult<BoardCounts>;
    /// Folds the changes of orders recorded since the last fold into the board's tallies, so a
    /// look at the board reads few rows; how many changes it folded. Safe from several
    /// processes at once.
    async fn fold_board(&self) -> CoreResult<u64>;
    /// Records a refused pick scan (pick accuracy counts them), in its own statement.
    async fn record_refused_pick(&self, actor: &Actor, list: &PickListSummary, reason: &str) -> CoreResult<()>;
    /// Handovers and floor scans since `since_ms`.
    async fn floor_facts(&self, since_ms: i64) -> CoreResult<FloorFacts>;
}
