//! The `parse_lenient` fuzz target's corpus (`fuzz/corpus/parse_lenient`) as a regression test
//! that runs in the ordinary `cargo test`, so the seeds and every crash fixed keep being checked
//! where nightly and cargo-fuzz are not installed. The property is the fuzz target's: no input
//! panics or overflows the stack, and what is accepted round-trips through serde_json.

#![allow(clippy::unwrap_used, clippy::expect_used)]

#[test]
fn every_corpus_input_parses_or_is_refused_and_round_trips() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/corpus/parse_lenient");
    let mut n = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let data = std::fs::read(&path).unwrap();
        if let Ok(value) = entrepot_wire::parse_lenient(&data) {
            let text = serde_json::to_string(&value).expect("a parsed value serialises");
            let again = entrepot_wire::parse_lenient(text.as_bytes()).expect("serde_json output re-parses");
            assert_eq!(again, value, "{}: round trip through {text}", path.display());
        }
        n += 1;
    }
    assert!(n >= 10, "the corpus is in {}", dir.display());
}
