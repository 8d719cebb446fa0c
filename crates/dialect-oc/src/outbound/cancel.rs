//! orderCancellation (spec §5.14): a client cancels one of its orders until picking starts; the
//! stock reservation and the fee hold are released. The reply has no `data`.
//!
//! Choices where OC's documents are silent:
//! - `cancelTime` is checked when given but may be left out (Entrepot cancels at once either way).
//! - Cancelling an order that is already cancelled succeeds, so an ERP retrying after a timeout
//!   is not told its cancel failed.
//! - Once picking has started the cancel is an intercept request the warehouse accepts (the
//!   order becomes Cancelled) or refuses (it ships): the reply is a success, and the order's
//!   status and webhooks say what became of it. Once handed over, the refusal says so and names
//!   the order's OC status.
//! - `cancelReason` (free text, at most 500 characters) is kept with the order and answered by
//!   OrdersQuery as `cancelReason`; a retry of an already cancelled order keeps the first one.

use axum::{extract::State, response::Response};
use entrepot_app::OrderFilter;
use entrepot_core::{ids::ClientId, limits, outbound::OutboundStatus, CoreError};
use serde_json::Value;

use super::types::{oc_status, CancelIn};
use crate::{
    envelope::{reply, OcError},
    request::OcCall,
    time::DayEnd,
    OcState,
};

pub async fn cancel(State(st): State<OcState>, call: OcCall) -> Response {
    match run(&st, &call.client, &call.data).await {
        Ok(()) => reply(&call.message_id, None, None),
        Err(e) => call.refuse(e),
    }
}

async fn run(st: &OcState, client: &ClientId, data: &Value) -> Result<(), OcError> {
    let d: CancelIn = crate::fields::data(data)?;
    let number = d.order_number.required("orderNumber", 100)?;
    d.cancel_time.time("cancelTime", DayEnd::Start)?;
    let reason = d.cancel_reason.optional("cancelReason", limits::MAX_FREE_TEXT_CHARS)?;
    let f = OrderFilter { oc_numbers: vec![number.clone()], limit: 1, ..Default::default() };
    let order =
        st.app.list_orders(client, &f).await?.0.pop().ok_or_else(|| CoreError::not_found("orderNumber", &number))?;
    match order.status {
        OutboundStatus::Cancelled => return Ok(()),
        s if !s.client_can_cancel() && !s.intercepts() => {
            return Err(CoreError::Conflict(format!(
                "order {number} cannot be cancelled: it has left the warehouse (status {})",
                oc_status(s)
            ))
            .into())
        }
        _ => {}
    }
    let (_, intercept) = st.app.cancel_or_intercept(client, &order.id, reason.as_deref()).await?;
    tracing::info!(order = %order.oc_number, intercept, "order cancelled by the client");
    Ok(())
}
