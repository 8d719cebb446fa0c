//! Order imports through the use case (`App::import_orders`) on both backends: every kind of bad
//! row found in a dry run, live stock across rows, placing by reference (twice creates nothing
//! twice), remembered mappings, and XLSX cells typed as numbers.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::Arc;

use entrepot_app::{
    import::{annotated_xlsx, read_sheet},
    App, ImportField, ImportMapping, ImportReport, MappingSource, OrderFilter,
};
use entrepot_core::{
    actor::{Actor, Role},
    ids::ClientId,
    inventory::{Bucket, Transfer},
    sku::SkuStatus,
    CoreError,
};
use entrepot_store::{fixtures, NewSku, Store};
use entrepot_testkit::{each_backend, Backend, TestDb};

const HEADER: &str =
    "Order reference,Warehouse,Service,Recipient name,Address line 1,City,Postcode,Country,Phone,SKU,Quantity";

struct Fx {
    store: Store,
    app: App,
    client: ClientId,
    seller: Actor,
    _db: TestDb,
}

fn seller_of(client: &ClientId) -> Actor {
    Actor { user: None, name: "ann".into(), role: Role::Seller { client: client.clone(), owner: false }, device: None }
}

/// The usual seller (UK1, GBDomesticStandard to GB, 1,000 of A-1), with B-2 (5 available),
/// C-3 (submitted, not approved) and H-9 (25 kg: too heavy for the service, 100 available).
async fn fixture(backend: Backend) -> Fx {
    let db = TestDb::new(backend).await;
    let store = Store::open(&db.url).await.unwrap();
    let s = fixtures::seller(&store, "Acme").await.unwrap();
    let more = vec![
        fixtures::sku("B-2"),
        NewSku { status: SkuStatus::Submitted, ..fixtures::sku("C-3") },
        NewSku { weight_g: 25_000, ..fixtures::sku("H-9") },
    ];
    let created = store.create_skus(&s.client, more).await.unwrap();
    for (sku, qty) in [(created[0].id, 5), (created[2].id, 100)] {
        let t = Transfer::adjustment(Bucket::Available, qty).unwrap();
        store.move_stock(&s.client, sku, &s.warehouse.id, t, None).await.unwrap();
    }
    let app = App::new(Arc::new(store.clone()));
    Fx { seller: seller_of(&s.client), store, app, client: s.client, _db: db }
}

fn csv(rows: &[&str]) -> Vec<u8> {
    let mut s = String::from(HEADER);
    for r in rows {
        s.push('\n');
        s.push_str(r);
    }
    s.push('\n');
    s.into_bytes()
}

impl Fx {
    async fn import(&self, bytes: &[u8], dry_run: bool) -> ImportReport {
        self.app.import_orders(&self.seller, "orders.csv", bytes, None, dry_run).await.unwrap()
    }

    async fn orders(&self) -> Vec<entrepot_app::OrderView> {
        self.store.list_orders(&self.client, &OrderFilter::default()).await.unwrap().0
    }

    async fn available(&self, seller_sku: &str) -> i64 {
        let sku = self.store.skus_by_seller_skus(&self.client, &[seller_sku.to_owned()]).await.unwrap().remove(0);
        self.store.stock(&self.client, &[sku.id], None).await.unwrap()[0].position.get(Bucket::Available)
    }
}

/// (row, column) of each error, in order.
fn faults(r: &ImportReport) -> Vec<(usize, Option<&str>)> {
    r.errors.iter().map(|e| (e.row, e.column.as_deref())).collect()
}

fn references(v: &[entrepot_app::ImportedOrder]) -> Vec<&str> {
    v.iter().map(|o| o.reference.as_str()).collect()
}

#[each_backend]
async fn every_bad_row_is_found_and_the_good_orders_are_placed_once(backend: Backend) {
    let fx = fixture(backend).await;
    let file = csv(&[
        "A,UK1,GBDomesticStandard,Ann,1 High St,Leeds,LS1 1AA,GB,0113,A-1,2", // 2: good
        "B,UK1,GBDomesticStandard,Bob,2 High St,Leeds,LS1 1AA,GB,,A-1,1",     // 3: good, two lines
        "B,,,,,,,,,A-1,3",                                                    // 4: same SKU adds up
        "C,UK1,GBDomesticStandard,Cat,3 High St,,LS1 1AA,GB,,A-1,1",          // 5: no city
        "D,UK1,GBDomesticStandard,Dan,4 High St,Leeds,LS1,GB,,A-1,abc",       // 6: quantity not a number
        "E,UK1,GBDomesticStandard,Eve,5 High St,Leeds,LS1,GB,,A-1,0",         // 7: quantity 0
        "F,UK1,GBDomesticStandard,Fay,6 High St,Leeds,LS1,GB,,NOPE,1",        // 8: unknown SKU
        "G,UK1,GBDomesticStandard,Gus,7 High St,Leeds,LS1,GB,,C-3,1",         // 9: SKU not approved
        "H,XX9,GBDomesticStandard,Hal,8 High St,Leeds,LS1,GB,,A-1,1",         // 10: unknown warehouse
        "I,UK1,Teleport,Ivy,9 High St,Leeds,LS1,GB,,A-1,1",                   // 11: unknown service
        "J,UK1,GBDomesticStandard,Jo,10 High St,Leeds,LS1,United Kingdom,,A-1,1", // 12: not ISO-2
        "K,UK1,GBDomesticStandard,Kim,Hauptstr. 1,Berlin,10115,DE,,A-1,1",    // 13: service is GB only
        "L,UK1,GBDomesticStandard,Lea,12 High St,Leeds,LS1,GB,,A-1,1",        // 14: good row of a bad order
        "L,,,,,,,,,NOPE,1",                                                   // 15: its bad row
        ",UK1,GBDomesticStandard,Max,13 High St,Leeds,LS1,GB,,A-1,1",         // 16: no reference
        "M,UK1,GBDomesticStandard,Ned,14 High St,Leeds,LS1,GB,,H-9,1",        // 17: too heavy
        "N,UK1,GBDomesticStandard,Ola,15 High St,York,LS1,GB,,A-1,1",         // 18: good row of a bad order
        "N,UK1,GBDomesticStandard,Ola,15 High St,Leeds,LS1,GB,,A-1,1",        // 19: contradicts row 18
    ]);
    let dry = fx.import(&file, true).await;
    assert_eq!((dry.rows, dry.orders), (18, 14));
    assert_eq!(
        faults(&dry),
        vec![
            (5, Some("City")),
            (6, Some("Quantity")),
            (7, Some("Quantity")),
            (8, Some("SKU")),
            (9, Some("SKU")),
            (10, Some("Warehouse")),
            (11, Some("Service")),
            (12, Some("Country")),
            (13, Some("Service")),
            (15, Some("SKU")),
            (16, Some("Order reference")),
            (17, Some("Service")),
            (19, Some("City")),
        ]
    );
    assert!(dry.errors[7].message.contains("write its code, GB"), "{:?}", dry.errors[7]);
    assert!(dry.errors[4].message.contains("APPROVED") || dry.errors[4].message.contains("approved"));
    assert_eq!(references(&dry.placed), ["A", "B"]);
    assert!(dry.placed.iter().all(|o| o.id.is_none()));
    let refused: Vec<(&str, &[usize])> = dry.refused.iter().map(|o| (o.reference.as_str(), &o.rows[..])).collect();
    assert!(refused.contains(&("L", &[14, 15][..])), "{refused:?}");
    assert_eq!(dry.mapping_source, MappingSource::BuiltIn);
    assert_eq!(dry.mapping.get("SKU"), Some(&ImportField::Sku));
    assert!(fx.orders().await.is_empty(), "a dry run writes no order");
    assert_eq!(fx.available("A-1").await, 1000);

    let done = fx.import(&file, false).await;
    assert_eq!(faults(&done), faults(&dry));
    assert_eq!(references(&done.placed), ["A", "B"]);
    assert!(done.placed.iter().all(|o| o.id.is_some() && o.number.as_deref().is_some_and(|n| !n.is_empty())));
    let orders = fx.orders().await;
    assert_eq!(orders.len(), 2);
    let b = orders.iter().find(|o| o.reference == "B").unwrap();
    assert_eq!(b.lines.iter().map(|l| l.1).collect::<Vec<_>>(), [4], "lines of one SKU add up");
    assert_eq!(b.status, entrepot_core::outbound::OutboundStatus::Submitted);
    assert_eq!(fx.available("A-1").await, 1000 - 2 - 4);

    let again = fx.import(&file, false).await;
    assert!(again.placed.is_empty(), "{:?}", again.placed);
    assert_eq!(references(&again.already_imported), ["A", "B"]);
    assert_eq!(again.already_imported[0].id, done.placed[0].id);
    assert_eq!(fx.orders().await.len(), 2);
    assert_eq!(fx.available("A-1").await, 994);

    // The annotated copy says why beside each bad row, and points a refused order's good row
    // at its bad one.
    let sheet = read_sheet("orders.csv", &file).unwrap();
    let annotated = read_sheet("annotated.xlsx", &annotated_xlsx(&sheet, &dry).unwrap()).unwrap();
    let err_col = annotated.headers.iter().position(|h| h == "Error").unwrap();
    assert_eq!(err_col, 11);
    let note = |n: usize| annotated.rows.iter().find(|r| r.number == n).unwrap().cell(err_col).to_owned();
    assert_eq!(note(2), "");
    assert!(note(5).starts_with("City: is required"), "{}", note(5));
    assert!(note(14).contains("row 15"), "{}", note(14));
    assert_eq!(annotated.rows.iter().find(|r| r.number == 2).unwrap().cell(6), "LS1 1AA");
}

#[each_backend]
async fn stock_runs_out_across_the_file(backend: Backend) {
    let fx = fixture(backend).await;
    // 5 of B-2: S1 takes 3, S2's 3 are too many, S3's 2 still fit; T's second line overdraws.
    let file = csv(&[
        "S1,UK1,GBDomesticStandard,Ann,1 High St,Leeds,LS1,GB,,B-2,3",
        "S2,UK1,GBDomesticStandard,Bob,1 High St,Leeds,LS1,GB,,B-2,3",
        "S3,UK1,GBDomesticStandard,Cat,1 High St,Leeds,LS1,GB,,B-2,2",
        "T,UK1,GBDomesticStandard,Dan,1 High St,Leeds,LS1,GB,,A-1,1",
        "T,,,,,,,,,B-2,1",
    ]);
    let dry = fx.import(&file, true).await;
    assert_eq!(faults(&dry), vec![(3, Some("Quantity")), (6, Some("Quantity"))]);
    assert!(dry.errors[0].message.contains("only 2 of SKU B-2 left at UK1"), "{}", dry.errors[0].message);
    assert!(dry.errors[1].message.contains("only 0 of SKU B-2"), "{}", dry.errors[1].message);
    assert_eq!(references(&dry.placed), ["S1", "S3"]);
    let done = fx.import(&file, false).await;
    assert_eq!(references(&done.placed), ["S1", "S3"]);
    assert_eq!(fx.available("B-2").await, 0);
    assert_eq!(fx.available("A-1").await, 1000, "the refused order T took nothing");
}

#[each_backend]
async fn a_given_mapping_is_remembered_for_the_same_headers(backend: Backend) {
    let fx = fixture(backend).await;
    let own = "Auftrag,Lager,Versand,Empfänger,Strasse,Ort,PLZ,Land,Artikel,Menge\n\
               W-1,UK1,GBDomesticStandard,Ann,1 High St,Leeds,LS1,GB,A-1,1\n";
    let refused = fx.app.import_orders(&fx.seller, "own.csv", own.as_bytes(), None, true).await.unwrap_err();
    assert!(matches!(&refused, CoreError::Validation { field, .. } if field == "mapping"), "{refused:?}");
    assert!(refused.to_string().contains("Order reference"), "{refused}");
    let mapping: ImportMapping = [
        ("Auftrag", ImportField::Reference),
        ("Lager", ImportField::Warehouse),
        ("Versand", ImportField::Service),
        ("Empfänger", ImportField::RecipientName),
        ("Strasse", ImportField::Address1),
        ("Ort", ImportField::City),
        ("PLZ", ImportField::Postcode),
        ("Land", ImportField::Country),
        ("Artikel", ImportField::Sku),
        ("Menge", ImportField::Quantity),
    ]
    .into_iter()
    .map(|(h, f)| (h.to_owned(), f))
    .collect();
    let given = fx.app.import_orders(&fx.seller, "own.csv", own.as_bytes(), Some(mapping.clone()), true).await.unwrap();
    assert_eq!(given.mapping_source, MappingSource::Given);
    assert!(given.errors.is_empty(), "{:?}", given.errors);
    // The next file with the same headers (spelt a little differently) needs no mapping.
    let next = own.replace("Auftrag,", "AUFTRAG ,").replace("W-1", "W-2");
    let remembered = fx.app.import_orders(&fx.seller, "next.csv", next.as_bytes(), None, false).await.unwrap();
    assert_eq!(remembered.mapping_source, MappingSource::Remembered);
    assert_eq!(references(&remembered.placed), ["W-2"]);
    assert_eq!(remembered.mapping.get("AUFTRAG"), Some(&ImportField::Reference));
    // Another client's sellers do not get it.
    let other = fx
        .store
        .create_client(
            &fx.store.client(&fx.client).await.unwrap().company_id,
            "Other",
            &entrepot_core::money::Currency::parse("GBP").unwrap(),
        )
        .await
        .unwrap()
        .id;
    let theirs = fx.app.import_orders(&seller_of(&other), "own.csv", own.as_bytes(), None, true).await;
    assert!(theirs.is_err());
}

#[each_backend]
async fn xlsx_numbers_are_read_as_the_seller_typed_them(backend: Backend) {
    let fx = fixture(backend).await;
    let mut book = rust_xlsxwriter::Workbook::new();
    let ws = book.add_worksheet();
    for (k, h) in HEADER.split(',').enumerate() {
        ws.write_string(0, k as u16, h).unwrap();
    }
    let texts = ["X-1", "UK1", "GBDomesticStandard", "Ann", "1 High St", "Leeds"];
    for (k, v) in texts.iter().enumerate() {
        ws.write_string(1, k as u16, *v).unwrap();
    }
    ws.write_number(1, 6, 12345.0).unwrap(); // Postcode typed as a number
    ws.write_string(1, 7, "gb").unwrap();
    ws.write_number(1, 8, 447700900123.0).unwrap(); // Phone
    ws.write_string(1, 9, "a-1").unwrap(); // the SKU in another case
    ws.write_number(1, 10, 3.0).unwrap(); // Quantity
    let bytes = book.save_to_buffer().unwrap();
    let done = fx.app.import_orders(&fx.seller, "orders.xlsx", &bytes, None, false).await.unwrap();
    assert!(done.errors.is_empty(), "{:?}", done.errors);
    assert_eq!(references(&done.placed), ["X-1"]);
    let o = fx.store.find_order(&fx.client, "X-1").await.unwrap();
    assert_eq!(o.recipient.postcode, "12345");
    assert_eq!(o.recipient.phone.as_deref(), Some("447700900123"));
    assert_eq!(o.recipient.country, "GB");
    assert_eq!(o.lines[0].1, 3);
}

#[each_backend]
async fn only_a_sellers_user_imports(backend: Backend) {
    let fx = fixture(backend).await;
    let file = csv(&["A,UK1,GBDomesticStandard,Ann,1 High St,Leeds,LS1,GB,,A-1,1"]);
    let e = fx.app.import_orders(&Actor::system("t"), "o.csv", &file, None, true).await.unwrap_err();
    assert!(matches!(e, CoreError::Forbidden(_)), "{e:?}");
    let e = fx.app.import_orders(&fx.seller, "o.csv", &vec![b'x'; 5 * 1024 * 1024 + 1], None, true).await.unwrap_err();
    assert!(e.to_string().contains("5 MiB"), "{e}");
}
