//! OC's request signature (spec §3), shared by the server that verifies it and the SDK that
//! makes it: lowercase hex MD5 of `path|rawBody|clientKey|secretKey` over the bytes as sent.

use md5::{Digest, Md5};

/// The `vAuthorization` of a call to `path` (no host, no query) with `body` as sent.
pub fn sign(path: &str, body: &[u8], client_key: &str, secret_key: &str) -> String {
    let mut h = Md5::new();
    h.update(path.as_bytes());
    h.update(b"|");
    h.update(body);
    h.update(b"|");
    h.update(client_key.as_bytes());
    h.update(b"|");
    h.update(secret_key.as_bytes());
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn spec_test_vectors() {
        let q = super::sign("/openapi/3pp/sku/v3/query", br#"{"data":{}}"#, "CLIENTKEY", "SECRETKEY");
        assert_eq!(q, "dbf1f5d6dd103ee7e7e373dfa6ae3756");
        let s = super::sign("/openapi/3pp/base/v1/service", b"", "CLIENTKEY", "SECRETKEY");
        assert_eq!(s, "6bbcb0be38fe1168d826c11d2389763e");
    }
}
