//! A seller's monthly statement on both backends: its totals are the month's running sums and
//! agree with its entries (top-ups written one at a time, holds written by a batch), its pages
//! run newest first, its export holds every entry, and another client's money never shows.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::Arc;

use entrepot_app::{statement::export, App};
use entrepot_core::{
    actor::{Actor, Role},
    balance::MoneyReason,
    CoreError,
};
use entrepot_store::{fixtures, Store};
use entrepot_testkit::{each_backend, Backend, TestDb};

fn seller_of(client: &entrepot_core::ids::ClientId) -> Actor {
    Actor { user: None, name: "ann".into(), role: Role::Seller { client: client.clone(), owner: false }, device: None }
}

fn this_month() -> String {
    jiff::Timestamp::now().strftime("%Y-%m").to_string()
}

/// `n` one-line orders of A-1 as an import file, each a hold on the balance.
fn orders(n: usize) -> Vec<u8> {
    let mut s = String::from(
        "Order reference,Warehouse,Service,Recipient name,Address line 1,City,Postcode,Country,SKU,Quantity\n",
    );
    for k in 0..n {
        s.push_str(&format!("ST-{k},UK1,GBDomesticStandard,Ann,1 High St,Leeds,LS1 1AA,GB,A-1,1\n"));
    }
    s.into_bytes()
}

#[each_backend]
async fn statement_adds_up(backend: Backend) {
    let db = TestDb::new(backend).await;
    let store = Store::open(&db.url).await.unwrap();
    let s = fixtures::seller(&store, "Acme").await.unwrap();
    let company = store.client(&s.client).await.unwrap().company_id;
    let gbp = entrepot_core::money::Currency::parse("GBP").unwrap();
    let other = store.create_client(&company, "Other", &gbp).await.unwrap().id;
    store.top_up(&other, None, 700, "t").await.unwrap();
    store.top_up(&s.client, None, 2_500, "bank transfer").await.unwrap();
    let app = App::new(Arc::new(store.clone()));
    let seller = seller_of(&s.client);
    let r = app.import_orders(&seller, "orders.csv", &orders(130), None, false).await.unwrap();
    assert_eq!(r.placed.len(), 130, "{r:?}");
    let month = this_month();

    let (all, cut) = app.statement_entries(&seller, &month).await.unwrap();
    assert!(!cut);
    let holds: Vec<_> = all.iter().filter(|e| e.reason == MoneyReason::Hold).collect();
    assert_eq!(holds.len(), 130);
    assert!(all.windows(2).all(|w| w[0].at_ms <= w[1].at_ms), "the export runs oldest first");
    assert_eq!(all[0].reason, MoneyReason::TopUp);

    let first = app.statement(&seller, &month, 1).await.unwrap();
    assert_eq!(first.movements, all.len() as i64);
    assert_eq!((first.page, first.pages, first.entries.len()), (1, 2, 100));
    let topped: i64 = all.iter().filter(|e| e.reason == MoneyReason::TopUp).map(|e| e.amount).sum();
    assert_eq!(topped, 1_002_500);
    assert_eq!(first.totals.len(), 1);
    assert_eq!((first.totals[0].currency.as_str(), first.totals[0].topped_up), ("GBP", topped));
    // Newest first, and the second page goes on where the first stopped, down to the top-ups.
    assert!(first.entries.windows(2).all(|w| w[0].at_ms >= w[1].at_ms));
    let second = app.statement(&seller, &month, 2).await.unwrap();
    assert_eq!(second.entries.len(), all.len() - 100);
    assert_eq!(second.entries.last().unwrap().reason, MoneyReason::TopUp);
    assert_eq!(app.statement(&seller, &month, 99).await.unwrap().page, 2, "a page past the end reads the last");

    let csv = String::from_utf8(export::csv(&all).unwrap()).unwrap();
    assert_eq!(csv.lines().count(), all.len() + 1);
    assert!(csv.lines().nth(1).unwrap().contains(",TOP_UP,10000.00,GBP,"), "{csv}");

    // The other client's month holds only its own top-up; staff have no statement.
    let theirs = app.statement(&seller_of(&other), &month, 1).await.unwrap();
    assert_eq!((theirs.movements, theirs.entries.len()), (1, 1));
    let staff = Actor {
        user: None,
        name: "sam".into(),
        role: Role::Staff { warehouses: vec![s.warehouse.id.clone()], supervisor: false },
        device: None,
    };
    assert!(matches!(app.statement(&staff, &month, 1).await, Err(CoreError::Forbidden(_))));
    assert!(matches!(app.statement(&seller, "2026-13", 1).await, Err(CoreError::Validation { .. })));
    // A month with nothing in it is one empty page.
    let quiet = app.statement(&seller, "2001-01", 1).await.unwrap();
    assert_eq!((quiet.movements, quiet.pages, quiet.entries.len()), (0, 1, 0));
}
