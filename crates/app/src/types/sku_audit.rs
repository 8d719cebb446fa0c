//! The SKU audit on the floor: the queue staff work through, and their verdicts.

use entrepot_core::{
    ids::{ClientId, SkuId},
    sku::Sku,
};
use serde::{Deserialize, Serialize};

/// The most queue entries one page returns.
pub const MAX_AUDIT_QUEUE_PAGE: i64 = 200;

/// Which submitted SKUs to list: oldest submission first, optionally one client's, a page at a
/// time after a cursor (keyset paging, so new submissions never shift a page).
#[derive(Debug, Clone, Default)]
pub struct SkuAuditQuery {
    pub client: Option<ClientId>,
    /// The [`SkuAuditItem::cursor`] of the last entry of the previous page.
    pub after: Option<SkuAuditCursor>,
    /// 1 to [`MAX_AUDIT_QUEUE_PAGE`]; 0 means the largest page.
    pub limit: i64,
}

/// A position in the queue: its order is `(submitted_at_ms, id)`, unique since SKU ids are.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct SkuAuditCursor {
    pub submitted_at_ms: i64,
    pub id: SkuId,
}

/// A SKU waiting for audit, and since when.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SkuAuditItem {
    pub sku: Sku,
    pub submitted_at_ms: i64,
}

impl SkuAuditItem {
    /// Where the next page starts.
    pub fn cursor(&self) -> SkuAuditCursor {
        SkuAuditCursor { submitted_at_ms: self.submitted_at_ms, id: self.sku.id }
    }
}

/// Staff's decision on a submitted SKU.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SkuVerdict {
    Approve,
    /// The reason is shown to the seller (OC's `rejectReason`); at most
    /// [`MAX_FREE_TEXT_CHARS`](entrepot_core::limits::MAX_FREE_TEXT_CHARS) characters.
    Reject {
        reason: String,
    },
}
