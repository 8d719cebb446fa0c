//! An order's timeline: its audit trail (the warehouse's scans), its manifest and the
//! carrier's events merged in time order, so a seller settles "was it picked? weighed? handed
//! over?" from one place.

use entrepot_core::{actor::Actor, ids::ClientId, CoreResult};

use crate::{types::timeline::*, App};

impl App {
    /// The timeline of one of `client`'s orders, as `actor` may see it (see [`App::order_for`]).
    pub async fn order_timeline(&self, actor: &Actor, client: &ClientId, key: &str) -> CoreResult<OrderTimeline> {
        let (order, events) = self.order_tracking(actor, client, key).await?;
        let trail = self.audit_trail(actor, "order", &order.id.0).await?;
        let manifest = self.storage.order_manifest(&order.id).await?;
        let mut entries = vec![TimelineEntry { at_ms: order.created_at_ms, by: String::new(), moment: Moment::Placed }];
        entries.extend(trail.into_iter().map(|a| TimelineEntry {
            at_ms: a.at_ms,
            by: a.actor_name,
            moment: Moment::Scan { action: a.action, detail: a.detail },
        }));
        if let Some(m) = manifest {
            entries.push(TimelineEntry {
                at_ms: m.scanned_at_ms,
                by: m.scanned_by,
                moment: Moment::Manifested { carrier: m.carrier.clone() },
            });
            if let Some(at_ms) = m.closed_at_ms {
                let by = m.closed_by.unwrap_or_default();
                entries.push(TimelineEntry { at_ms, by, moment: Moment::HandedOver { carrier: m.carrier } });
            }
        }
        let carrier = order.carrier.clone().unwrap_or_default();
        entries.extend(events.into_iter().map(|e| TimelineEntry {
            at_ms: e.at_ms,
            by: carrier.clone(),
            moment: Moment::Carrier {
                code: e.code.as_str().to_owned(),
                description: e.description,
                location: e.location,
            },
        }));
        // Stable: what happened in one millisecond keeps the order it was recorded in.
        entries.sort_by_key(|e| e.at_ms);
        Ok(OrderTimeline { order, entries })
    }
}
