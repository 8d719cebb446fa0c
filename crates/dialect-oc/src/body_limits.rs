//! How large an OC request body may be, per route. Nothing of a body is read before its caller
//! is known (an OC call proves itself with headers alone), and then only what the route needs.
//!
//! - The customs-clearance file upload carries base64 files of at most 10 MB each
//!   ([`crate::inbound::upload::MAX_FILE_BYTES`]): one such file is 13.4 MB encoded, so the call
//!   may be 16 MB; several large files go in separate calls.
//! - Every other call carries at most a batch (200 SKUs, 50 orders, 1,000 cartons or tracking
//!   numbers) or a query: 4 MB is several times the largest realistic one.
//! - The OAuth forms (login, token) hold a few fields: [`OAUTH_FORM`].

use entrepot_ops::RouteLimits;

/// The body limit of each business call, by route template.
pub const BODY_LIMITS: RouteLimits = RouteLimits {
    default: 4 * 1024 * 1024,
    routes: &[("/openapi/3pp/inbound/v1/upload/customs-clearance-file", 16 * 1024 * 1024)],
};

/// The body of `/oauth/token` and of the login form: the client may authenticate inside it, so it
/// is small enough to read before the client is known.
pub const OAUTH_FORM: usize = 64 * 1024;
