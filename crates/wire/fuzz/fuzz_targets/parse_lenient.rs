//! `parse_lenient` reads raw request bodies from the network, so no input may make it panic (or
//! overflow the stack), and whatever it accepts must be ordinary JSON: serialising the result with
//! serde_json and reading that back gives the same value.

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(value) = entrepot_wire::parse_lenient(data) {
        let text = serde_json::to_string(&value).expect("a parsed value serialises");
        let again = entrepot_wire::parse_lenient(text.as_bytes()).expect("serde_json output re-parses");
        assert_eq!(again, value, "round trip through {text}");
    }
});
