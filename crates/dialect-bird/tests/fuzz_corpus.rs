//! The `product_ref` fuzz target's corpus (`fuzz/corpus/product_ref`) as a regression test that
//! runs in the ordinary `cargo test`. The property is the fuzz target's: neither parser panics on
//! any string, and what they accept has positive quantities.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use entrepot_dialect_bird::product_ref::{is_extended, parse_extended, parse_simple};

#[test]
fn every_corpus_input_is_parsed_or_refused_without_panicking() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/corpus/product_ref");
    let mut n = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let data = std::fs::read(entry.unwrap().path()).unwrap();
        n += 1;
        let Ok(input) = std::str::from_utf8(&data) else { continue };
        let _ = is_extended(input);
        for row_quantity in [1, 3, i64::MAX] {
            if let Ok(items) = parse_simple(input, row_quantity) {
                assert!(items.iter().all(|item| item.quantity > 0 && !item.raw.is_empty()), "{input}");
            }
        }
        if let Ok(items) = parse_extended(input) {
            assert!(items.iter().all(|item| item.quantity > 0), "{input}");
        }
    }
    assert!(n >= 10, "the corpus is in {}", dir.display());
}
