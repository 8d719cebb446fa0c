//! Who is calling: clients (tenants) and their users, API keys and OC ERP apps, OAuth codes and
//! tokens, the login page's throttling, the secrets sealed at rest, and the cache of credentials
//! recognised a moment ago.

pub(crate) mod clients;
pub(crate) mod grants;
pub(crate) mod keys;
pub(crate) mod login;
pub(crate) mod oauth;
pub(crate) mod secrets;
