//! Files in the database (the `BlobStore` port): what two processes on one PostgreSQL share.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use entrepot_app::ports::{BlobError, BlobStore, MAX_BLOB_BYTES};
use entrepot_store::Store;
use entrepot_testkit::{each_backend, Backend, TestDb};

#[each_backend]
async fn blobs_round_trip_are_replaced_whole_and_bounded(b: Backend) {
    let db = TestDb::new(b).await;
    let store = Store::open(&db.url).await.unwrap();
    // Another handle on the same database, as another process would have.
    let other = Store::open(&db.url).await.unwrap();

    assert_eq!(store.get("oc/files/t/a.pdf").await.unwrap(), None);
    let bytes: Vec<u8> = (0..=255).cycle().take(70_000).collect(); // every byte value, NULs included
    store.put("oc/files/t/a.pdf", &bytes).await.unwrap();
    assert_eq!(other.get("oc/files/t/a.pdf").await.unwrap(), Some(bytes), "{b:?}");
    other.put("oc/files/t/a.pdf", b"second").await.unwrap();
    assert_eq!(store.get("oc/files/t/a.pdf").await.unwrap().as_deref(), Some(&b"second"[..]));
    store.put("empty", b"").await.unwrap();
    assert_eq!(store.get("empty").await.unwrap(), Some(vec![]));
    // A prefix or a path through a file is not a blob.
    assert_eq!(store.get("oc/files/t").await.unwrap(), None);

    for key in ["", "/abs", "../x", "a//b", "a\\b"] {
        assert!(matches!(store.put(key, b"x").await, Err(BlobError::InvalidKey { .. })), "{key:?}");
        assert!(matches!(store.get(key).await, Err(BlobError::InvalidKey { .. })), "{key:?}");
    }
    let big = vec![7u8; MAX_BLOB_BYTES + 1];
    assert!(matches!(store.put("big", &big).await, Err(BlobError::TooLarge { .. })));
    assert_eq!(store.get("big").await.unwrap(), None);
    // The largest allowed file goes in whole.
    let largest = vec![9u8; MAX_BLOB_BYTES];
    store.put("largest", &largest).await.unwrap();
    assert_eq!(other.get("largest").await.unwrap().map(|v| v.len()), Some(MAX_BLOB_BYTES));
    store.close().await;
    other.close().await;
}
