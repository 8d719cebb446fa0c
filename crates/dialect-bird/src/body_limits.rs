//! How much of a Bird request body is read, and when.
//!
//! Before the caller is known: [`PREFIX_BEFORE_KEY`], enough for any form or JSON object that
//! carries `api_key` itself (a caller that sends a larger body names its key in a header or the
//! query string, as every bulk upload must anyway: a JSON array has no room for it).
//!
//! After: what the route needs ([`BODY_LIMITS`]). The bulk uploads take a JSON array of
//! rows; a 1,000-order upload is about 0.3 MB, so 8 MB leaves room for batches of well over
//! 10,000 orders or orders with long product lists. Every other route takes one record, a list
//! of ids or a filter: 1 MB is far more than any of them needs.

use entrepot_ops::RouteLimits;

/// The body read, at most (plus one network chunk), before the caller's key is known.
pub const PREFIX_BEFORE_KEY: usize = 64 * 1024;

const BULK: usize = 8 * 1024 * 1024;

/// The body limit of each route, by its (lower-case) route template.
pub const BODY_LIMITS: RouteLimits = RouteLimits {
    default: 1024 * 1024,
    routes: &[
        ("/client/consignment/post-pending-consignment-with-products-json", BULK),
        ("/client/consignment/batch-create-client-direct-consignment", BULK),
        ("/client/consignment-upload/temp-consignment-json", BULK),
        ("/client/client-dispatch-upload/client-dispatch-json", BULK),
    ],
};
