//! Login throttling is one rule for every process sharing the database: a burst of concurrent
//! attempts, on separate stores (as separate server processes would have), lets exactly the free
//! ones through and then locks; and every store signs login forms with the same key. On SQLite
//! and PostgreSQL.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use entrepot_core::login_throttle::{Verdict, PER_USER};
use entrepot_store::{user_subject, Store};
use entrepot_testkit::{each_backend, Backend, TestDb};

#[each_backend]
async fn concurrent_attempts_from_several_processes_are_counted_once_each(backend: Backend) {
    let db = TestDb::new(backend).await;
    let first = Store::open(&db.url).await.unwrap();
    let second = Store::open(&db.url).await.unwrap();
    let subject = vec![(user_subject("Ann@Example.com"), PER_USER)];
    let mut tasks = Vec::new();
    for i in 0..30 {
        let store = if i % 2 == 0 { first.clone() } else { second.clone() };
        let subject = subject.clone();
        tasks.push(tokio::spawn(async move { store.login_attempt(&subject).await.unwrap().overall() }));
    }
    let mut verdicts = Vec::new();
    for t in tasks {
        verdicts.push(t.await.unwrap());
    }
    let admitted = verdicts.iter().filter(|v| **v == Verdict::Admit).count();
    assert_eq!(admitted, PER_USER.free as usize, "{verdicts:?}");
    let locked = verdicts.iter().filter(|v| matches!(v, Verdict::Locked { .. })).count();
    assert_eq!(locked, 30 - PER_USER.lock_after as usize, "{verdicts:?}");
    // The lock holds for the other process too, and for the name in another case.
    let again = second.login_attempt(&[(user_subject(" ann@example.COM"), PER_USER)]).await.unwrap();
    assert!(matches!(again.overall(), Verdict::Locked { now: false, .. }), "{again:?}");
    // A success clears the user's record.
    second.login_succeeded(&user_subject("ann@example.com"), None).await.unwrap();
    assert_eq!(first.login_attempt(&subject).await.unwrap().overall(), Verdict::Admit);

    assert_eq!(first.login_form_secret().await.unwrap(), second.login_form_secret().await.unwrap());
}
