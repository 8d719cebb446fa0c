//! The OpenAPI document: valid against the official OpenAPI 3.1 JSON Schema, and every
//! operation in it exercised by some test.
//!
//! "Exercised" is checked by name: the socket tests call every operation through
//! `api_common::call`, which takes the operation as the document spells it
//! (`"DELETE /api/v1/tokens/{id}"`), so each operation's string must appear in a test file of
//! the server (`crates/server/tests/api_*.rs`). A new operation without a test fails here.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use serde_json::Value;

fn document() -> Value {
    serde_json::to_value(entrepot_api::openapi_document()).unwrap()
}

#[test]
fn the_document_validates_against_the_openapi_3_1_schema() {
    let doc = document();
    assert_eq!(doc["openapi"], "3.1.0");
    let schema: Value = serde_json::from_str(include_str!("vendor/openapi-3.1-schema-2022-10-07.json")).unwrap();
    let validator = jsonschema::draft202012::new(&schema).expect("the official schema compiles");
    let errors: Vec<String> = validator.iter_errors(&doc).map(|e| format!("{} at {}", e, e.instance_path())).collect();
    assert!(errors.is_empty(), "{errors:#?}");
    // And a broken document is refused, so the validator is not vacuous.
    let mut broken = doc.clone();
    broken["paths"]["/api/v1/me"]["get"]["responses"] = Value::String("nope".into());
    assert!(!validator.is_valid(&broken));
}

#[test]
fn every_operation_is_exercised_by_a_test() {
    let doc = document();
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../server/tests");
    let mut sources = String::new();
    for e in std::fs::read_dir(&dir).unwrap() {
        let p = e.unwrap().path();
        let name = p.file_name().unwrap().to_string_lossy().into_owned();
        if name.starts_with("api_") && name.ends_with(".rs") {
            sources.push_str(&std::fs::read_to_string(&p).unwrap());
        }
    }
    let mut missing = vec![];
    let mut count = 0;
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, _) in item.as_object().unwrap() {
            if !["get", "post", "put", "patch", "delete"].contains(&method.as_str()) {
                continue;
            }
            count += 1;
            let op = format!("\"{} {path}\"", method.to_uppercase());
            if !sources.contains(&op) {
                missing.push(op);
            }
        }
    }
    assert!(count >= 10, "{count} operations");
    assert!(missing.is_empty(), "operations no test calls: {missing:?}");
}
