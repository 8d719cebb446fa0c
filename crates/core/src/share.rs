//! Shared products (Bird's 普通共享产品 and 定向共享产品): a client lets other clients order one
//! of its SKUs, every client of the warehouse operator or named ones. The units stay the owner's:
//! another client's order reserves and ships them from the owner's stock, and the ledger names
//! whose order it was, so the owner sees who took what.

use std::{fmt, str::FromStr};

use serde::{Deserialize, Serialize};

use crate::{ids::ClientId, CoreError};

/// Whom a SKU is shared with.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ShareWith {
    /// Every client (Bird's ordinary shared product, `is_shared_internal`).
    Everyone,
    /// One named client (Bird's directional shared product).
    Client(ClientId),
}

/// How [`ShareWith::Everyone`] is written (in the store, the CLI and the native API).
pub const EVERYONE: &str = "*";

impl ShareWith {
    /// Whether this share lets `client` order the SKU.
    pub fn admits(&self, client: &ClientId) -> bool {
        match self {
            Self::Everyone => true,
            Self::Client(c) => c == client,
        }
    }

    /// A share the owner may make: not with itself.
    pub fn check_owner(&self, owner: &ClientId) -> Result<(), CoreError> {
        match self {
            Self::Client(c) if c == owner => {
                Err(CoreError::invalid("shared_with", "a client's own SKUs need no share".to_owned()))
            }
            _ => Ok(()),
        }
    }
}

impl fmt::Display for ShareWith {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Everyone => f.write_str(EVERYONE),
            Self::Client(c) => f.write_str(&c.0),
        }
    }
}

impl FromStr for ShareWith {
    type Err = CoreError;

    /// `*` or `everyone` for every client, else a client id.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let s = s.trim();
        if s.is_empty() {
            return Err(CoreError::invalid("shared_with", "name a client, or * for every client".to_owned()));
        }
        if s == EVERYONE || s.eq_ignore_ascii_case("everyone") {
            return Ok(Self::Everyone);
        }
        crate::limits::free_text("shared_with", s)?;
        Ok(Self::Client(ClientId(s.to_owned())))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_admits() {
        let a = ClientId("cli_a".into());
        let b = ClientId("cli_b".into());
        assert_eq!("*".parse::<ShareWith>().unwrap(), ShareWith::Everyone);
        assert_eq!(" Everyone ".parse::<ShareWith>().unwrap(), ShareWith::Everyone);
        let to_b: ShareWith = "cli_b".parse().unwrap();
        assert!(to_b.admits(&b) && !to_b.admits(&a));
        assert!(ShareWith::Everyone.admits(&a));
        assert_eq!(to_b.to_string(), "cli_b");
        assert!("".parse::<ShareWith>().is_err());
        assert!(to_b.check_owner(&b).is_err() && to_b.check_owner(&a).is_ok());
        assert!(ShareWith::Everyone.check_owner(&a).is_ok());
    }
}
