//! OC's request signature (spec §3): `vAuthorization` = lowercase hex MD5 of
//! `path|rawBody|clientKey|secretKey`, computed over the bytes exactly as sent.
//!
//! OC's stage environment signs every call with an empty body part; its production environment
//! signs the body. An app registered as sandbox therefore accepts either form, a production app
//! only the body-signed one, so the body of a production call is authenticated.

pub use entrepot_wire::oc_signature::sign;

/// Checks `given` against the forms the app may use; the error says which form was expected.
pub fn verify(
    path: &str,
    body: &[u8],
    client_key: &str,
    secret_key: &str,
    given: &str,
    sandbox: bool,
) -> Result<(), String> {
    let given = given.trim().to_ascii_lowercase();
    if given == sign(path, body, client_key, secret_key) {
        return Ok(());
    }
    if sandbox && given == sign(path, b"", client_key, secret_key) {
        return Ok(());
    }
    let expected = if sandbox {
        "MD5(path|rawBody|clientKey|secretKey), or MD5(path||clientKey|secretKey) for a sandbox app"
    } else {
        "MD5(path|rawBody|clientKey|secretKey) over the exact request body"
    };
    Err(format!("Signature verification failed: vAuthorization does not match {expected}, with path {path}."))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn production_apps_require_the_body_in_the_signature() {
        let (p, b) = ("/openapi/3pp/sku/v3/query", br#"{"data":{}}"#.as_slice());
        let body_signed = sign(p, b, "K", "S");
        let path_only = sign(p, b"", "K", "S");
        assert!(verify(p, b, "K", "S", &body_signed, false).is_ok());
        assert!(verify(p, b, "K", "S", &body_signed.to_uppercase(), false).is_ok());
        let err = verify(p, b, "K", "S", &path_only, false).unwrap_err();
        assert!(err.contains("exact request body"), "{err}");
        assert!(verify(p, b, "K", "S", &path_only, true).is_ok());
        assert!(verify(p, b"{\"data\":{ }}", "K", "S", &body_signed, true).is_err());
        assert!(verify(p, b, "K", "wrong", &body_signed, true).is_err());
    }
}
