//! GetStockMovement, StockSnapshot v2 and GetStockAge (spec §5.3, §5.4) over real signed calls,
//! on both backends: a real inbound's ledger in OC's movement shape, the window rules with OC's
//! texts, snapshots and stock age per SKU and region, and tenant isolation.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{assert_refused, ok, App};
use entrepot_core::{
    inbound::ShippingMode,
    inventory::{Bucket, Reason, Transfer},
};
use entrepot_dialect_oc::time::format_datetime;
use entrepot_store::NewInbound;
use entrepot_testkit::{each_backend, Backend};
use serde_json::{json, Value};

const MOVEMENT: &str = "/openapi/3pp/inventory/v1/movement";
const SNAPSHOT: &str = "/openapi/3pp/inventory/v2/snapshot";
const STOCK_AGE: &str = "/openapi/3pp/inventory/v1/snapshotAge";
const HOUR: i64 = 3_600_000;
const DAY: i64 = 24 * HOUR;

fn now() -> i64 {
    jiff::Timestamp::now().as_millisecond()
}

/// `(quantity, actualCount, reason, orderNumber)` of each movement of one bucket in one region.
fn entries(sku: &Value, region: &str, status: &str) -> Vec<(i64, i64, String, String)> {
    let r = sku["serviceRegionList"].as_array().unwrap().iter().find(|r| r["serviceRegion"] == region);
    let Some(b) =
        r.and_then(|r| r["inventoryList"].as_array().unwrap().iter().find(|b| b["inventoryStatus"] == status))
    else {
        return vec![];
    };
    b["movementList"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| {
            (
                m["quantity"].as_i64().unwrap(),
                m["actualCount"].as_i64().unwrap(),
                m["reason"].as_str().unwrap().to_owned(),
                m["orderNumber"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

fn e(q: i64, after: i64, reason: &str, order: &str) -> (i64, i64, String, String) {
    (q, after, reason.to_owned(), order.to_owned())
}

#[each_backend]
async fn movements_show_each_transfer_in_both_buckets_with_running_counts(b: Backend) {
    let app = App::start(b).await;
    let c = &app.seller.client;
    let (mf, sku) = app.approved_sku(&app.seller, "MOV-1").await;
    let uk = app.store.warehouse_by_code("UK1").await.unwrap();
    let de = app.store.warehouse_by_code("DE").await.unwrap();
    let ib = app
        .store
        .create_inbound(
            c,
            NewInbound {
                warehouse_id: uk.id.clone(),
                reference: "IB-1".into(),
                mode: ShippingMode::Express,
                lines: vec![(sku, 10)],
                need_clearance_doc: false,
                details: json!({}),
            },
        )
        .await
        .unwrap();
    let number = ib.inbound.number.clone();
    app.store.receive_inbound(c, &number, sku, 10).await.unwrap();
    app.store.put_away_inbound(c, &number, sku, 10).await.unwrap();
    app.store.move_stock(c, sku, &uk.id, Transfer::adjustment(Bucket::Available, -3).unwrap(), None).await.unwrap();
    let freeze = Transfer::new(Bucket::Available, Bucket::Suspend, 2, Reason::Frozen).unwrap();
    app.store.move_stock(c, sku, &uk.id, freeze, None).await.unwrap();
    app.store.move_stock(c, sku, &de.id, Transfer::adjustment(Bucket::Available, 5).unwrap(), None).await.unwrap();
    // The window is [startTime, endTime), endTime now: a move made in the millisecond the query
    // comes in belongs to the next slice (it once failed here so on CI).
    tokio::time::sleep(std::time::Duration::from_millis(2)).await;

    let start = format_datetime(now() - HOUR);
    let v = ok(app.call(MOVEMENT, json!({"startTime": start, "mfSkuList": [{"mfSkuId": mf}]})).await);
    assert_eq!(v.as_array().unwrap().len(), 1, "{v}");
    let s = &v[0];
    assert_eq!((s["MFSKUID"].clone(), s["sellerSkuId"].clone()), (json!(mf), json!("MOV-1")));
    assert_eq!(
        entries(s, "UK", "INTRAN"),
        vec![e(10, 10, "IOS=Inbound Order Submitted", &number), e(-10, 0, "GRN=Goods Received", &number)]
    );
    assert_eq!(
        entries(s, "UK", "RCVD"),
        vec![e(10, 10, "GRN=Goods Received", &number), e(-10, 0, "PAC=Put Away Completed", &number)]
    );
    assert_eq!(
        entries(s, "UK", "AVL"),
        vec![
            e(10, 10, "PAC=Put Away Completed", &number),
            e(-3, 7, "IAA=Inventory Adjustement Applied", ""),
            e(-2, 5, "OEH=OCFrozen", "")
        ]
    );
    assert_eq!(entries(s, "UK", "SUSPEND"), vec![e(2, 2, "OEH=OCFrozen", "")]);
    assert_eq!(entries(s, "DE", "AVL"), vec![e(5, 5, "IAA=Inventory Adjustement Applied", "")]);
    // Every entry has its own id and OC's time format.
    let mut ids = vec![];
    for r in s["serviceRegionList"].as_array().unwrap() {
        for b in r["inventoryList"].as_array().unwrap() {
            for m in b["movementList"].as_array().unwrap() {
                ids.push(m["moventmentID"].as_str().unwrap().to_owned());
                assert!(m["updateTime"].as_str().unwrap().ends_with("+0000"), "{m}");
            }
        }
    }
    let n = ids.len();
    ids.sort();
    ids.dedup();
    assert_eq!((n, ids.len()), (9, 9));

    // No list: every SKU that moved; an explicit endTime before the moves: nothing.
    let all = ok(app.call(MOVEMENT, json!({"startTime": start, "endTime": format_datetime(now() + HOUR)})).await);
    assert_eq!(all.as_array().unwrap().len(), 1);
    assert_eq!(all[0]["MFSKUID"], mf.as_str());
    let before =
        json!({"startTime": format_datetime(now() - 3 * HOUR), "endTime": start, "mfSkuList": [{"mfSkuId": mf}]});
    let quiet = ok(app.call(MOVEMENT, before).await);
    assert_eq!(quiet[0]["serviceRegionList"], json!([]));

    // Another client sees none of it, and cannot name the SKU.
    let theirs = ok(app.call_as(&app.other, MOVEMENT, json!({"startTime": start})).await);
    assert_eq!(theirs, json!([]));
    let v = app.call_as(&app.other, MOVEMENT, json!({"startTime": start, "mfSkuList": [{"mfSkuId": mf}]})).await;
    assert_refused(&v, &format!("Query fail. Because MFSKUID [{mf}] doesnt exists"));
}

#[each_backend]
async fn movement_refusals_say_what_is_wrong_and_change_nothing(b: Backend) {
    let app = App::start(b).await;
    let c = &app.seller.client;
    let (mf, sku) = app.approved_sku(&app.seller, "REF-1").await;
    let uk = app.store.warehouse_by_code("UK1").await.unwrap();
    app.store.move_stock(c, sku, &uk.id, Transfer::adjustment(Bucket::Available, 4).unwrap(), None).await.unwrap();
    let stock_before = format!("{:?}", app.store.stock(c, &[], None).await.unwrap());
    let moves_before = app.store.movements(c, &[], 0, now() + DAY).await.unwrap().len();

    let t = |ms: i64| format_datetime(ms);
    let list = json!([{"mfSkuId": mf}]);
    let v = app.call(MOVEMENT, json!({"startTime": t(now() - 8 * DAY), "mfSkuList": list})).await;
    assert_refused(&v, "Query timeslot must not be longer than 7 days;");
    assert!(v["errors"][0]["message"].as_str().unwrap().ends_with("spans 8.0 days."), "{v}");
    assert_eq!(v["code"], 3);
    let v = app
        .call(MOVEMENT, json!({"startTime": t(now() - 400 * DAY), "endTime": t(now() - 399 * DAY), "mfSkuList": list}))
        .await;
    assert_eq!(v["errors"][0]["message"], "Query timeslot is only valid for the last 12 months.", "{v}");
    assert_eq!((v["success"].clone(), v["code"].clone()), (json!(false), json!(3)));
    let v = app
        .call(
            MOVEMENT,
            json!({"startTime": t(now() - DAY), "mfSkuList": [{"mfSkuId": mf}, {"MFSKUID": "OC0000000009999"}]}),
        )
        .await;
    assert_eq!(
        v["errors"][0]["message"],
        "Query fail. Because MFSKUID [OC0000000009999] doesnt exists. Please check your MFSKUID and try again.",
    );
    assert_eq!(
        (v["errors"][0]["code"].clone(), v["errors"][0]["id"].clone()),
        (json!("3A0529"), json!("OC0000000009999"))
    );
    for (data, needle) in [
        (json!({"mfSkuList": list}), "startTime is required"),
        (json!({"startTime": t(now()), "endTime": t(now() - DAY)}), "endTime must be later than startTime"),
        (json!({"startTime": "yesterday"}), "startTime 'yesterday' is not a time"),
        (json!({"startTime": t(now() - DAY), "mfSkuList": "OC1"}), "mfSkuList must be a list"),
    ] {
        assert_refused(&app.call(MOVEMENT, data).await, needle);
    }
    // Exactly 7 days, in OC's +0800 form and as epoch milliseconds, is fine.
    let end = now();
    let start = end - 7 * DAY;
    ok(app.call(MOVEMENT, json!({"startTime": start, "endTime": end.to_string(), "mfSkuList": list})).await);
    ok(app
        .call(MOVEMENT, json!({"startTime": "2099-01-01T08:00:00+0800", "endTime": "2099-01-02T08:00:00+0800"}))
        .await);

    assert_eq!(format!("{:?}", app.store.stock(c, &[], None).await.unwrap()), stock_before);
    assert_eq!(app.store.movements(c, &[], 0, now() + DAY).await.unwrap().len(), moves_before);
}

fn row<'a>(data: &'a Value, mf: &str, region: &str) -> &'a Value {
    data["SKUList"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["MFSKUID"] == mf && r["serviceRegion"] == region)
        .unwrap_or_else(|| panic!("no {mf}/{region} in {data}"))
}

#[each_backend]
async fn the_snapshot_has_a_row_per_sku_and_region_with_every_bucket(b: Backend) {
    let app = App::start(b).await;
    let c = &app.seller.client;
    let (a, sku_a) = app.approved_sku(&app.seller, "SNAP-A").await;
    let (bb, sku_b) = app.approved_sku(&app.seller, "SNAP-B").await;
    let uk = app.store.warehouse_by_code("UK1").await.unwrap();
    let de = app.store.warehouse_by_code("DE").await.unwrap();
    let adjust = |bucket, n| Transfer::adjustment(bucket, n).unwrap();
    app.store.move_stock(c, sku_a, &uk.id, adjust(Bucket::Available, 10), None).await.unwrap();
    let freeze = Transfer::new(Bucket::Available, Bucket::Suspend, 2, Reason::Frozen).unwrap();
    app.store.move_stock(c, sku_a, &uk.id, freeze, None).await.unwrap();
    app.store.move_stock(c, sku_a, &uk.id, adjust(Bucket::Unfulfillable, 1), None).await.unwrap();
    app.store.move_stock(c, sku_a, &de.id, adjust(Bucket::Available, 5), None).await.unwrap();
    let inbound = NewInbound {
        warehouse_id: uk.id.clone(),
        reference: "IB-S".into(),
        mode: ShippingMode::Truck,
        lines: vec![(sku_b, 4)],
        need_clearance_doc: false,
        details: json!({}),
    };
    app.store.create_inbound(c, inbound).await.unwrap();

    let d =
        ok(app.call(SNAPSHOT, json!({"pageNumber": 1, "pageSize": 200, "serviceRegionList": [], "skuList": []})).await);
    assert_eq!((d["total"].clone(), d["pageNumber"].clone(), d["pageSize"].clone()), (json!(3), json!(1), json!(200)));
    let r = row(&d, &a, "UK");
    assert_eq!(r["sellerSKUID"], "SNAP-A");
    let buckets = |r: &Value| {
        [
            "available",
            "inTransit",
            "received",
            "reservedAllocated",
            "reservedHold",
            "reservedVAS",
            "suspend",
            "unfulfillable",
        ]
        .map(|k| r[k].as_i64().unwrap_or_else(|| panic!("{k} in {r}")))
    };
    assert_eq!(buckets(r), [8, 0, 0, 0, 0, 0, 2, 1]);
    assert_eq!(buckets(row(&d, &a, "DE")), [5, 0, 0, 0, 0, 0, 0, 0]);
    assert_eq!(buckets(row(&d, &bb, "UK")), [0, 4, 0, 0, 0, 0, 0, 0]);

    let d = ok(app.call(SNAPSHOT, json!({"serviceRegionList": [{"serviceRegion": "de"}]})).await);
    assert_eq!(d["total"], 1);
    row(&d, &a, "DE");
    let d = ok(app.call(SNAPSHOT, json!({"skuList": [{"mfSkuId": bb}]})).await);
    assert_eq!(d["total"], 1);
    row(&d, &bb, "UK");
    let d = ok(app.call(SNAPSHOT, json!({"PAGENUMBER": "2", "pagesize": "2"})).await);
    assert_eq!((d["total"].clone(), d["SKUList"].as_array().unwrap().len()), (json!(3), 1));
    assert_eq!(d["SKUList"][0]["MFSKUID"], bb.as_str(), "rows are in SKU order");
    let d = ok(app.call(SNAPSHOT, json!({"serviceRegionList": [{"serviceRegion": "US-East"}]})).await);
    assert_eq!((d["total"].clone(), d["SKUList"].clone()), (json!(0), json!([])));

    // A region emptied stays listed at 0, so an ERP syncing stock sees it drop.
    app.store.move_stock(c, sku_a, &de.id, adjust(Bucket::Available, -5), None).await.unwrap();
    let d = ok(app.call(SNAPSHOT, json!({})).await);
    assert_eq!(buckets(row(&d, &a, "DE")), [0; 8]);

    let v = app.call(SNAPSHOT, json!({"skuList": [{"mfSkuId": "OC0000000009999"}]})).await;
    assert_refused(&v, "Query fail. Because MFSKUID [OC0000000009999] doesnt exists.");
    assert_refused(
        &app.call(SNAPSHOT, json!({"pageSize": 1001})).await,
        "pageSize must be between 1 and 1000, not 1001",
    );
    assert_refused(&app.call(SNAPSHOT, json!({"pageNumber": 0})).await, "pageNumber must be 1 or more");

    // Another client: none of these rows, and the SKUs do not exist for it.
    let d = ok(app.call_as(&app.other, SNAPSHOT, json!({})).await);
    assert_eq!((d["total"].clone(), d["SKUList"].clone()), (json!(0), json!([])));
    let v = app.call_as(&app.other, SNAPSHOT, json!({"skuList": [{"mfSkuId": a}]})).await;
    assert_refused(&v, &format!("Query fail. Because MFSKUID [{a}] doesnt exists."));
}

/// Receives and puts away `qty` of `sku` through a real inbound into `warehouse`, and dates the
/// put-away `days_ago` days back.
async fn put_away(app: &App, sku: entrepot_core::ids::SkuId, code: &str, reference: &str, qty: i64, days_ago: i64) {
    let c = &app.seller.client;
    let w = app.store.warehouse_by_code(code).await.unwrap();
    let n = NewInbound {
        warehouse_id: w.id.clone(),
        reference: reference.into(),
        mode: ShippingMode::Express,
        lines: vec![(sku, qty)],
        need_clearance_doc: false,
        details: json!({}),
    };
    let number = app.store.create_inbound(c, n).await.unwrap().inbound.number;
    app.store.receive_inbound(c, &number, sku, qty).await.unwrap();
    app.store.put_away_inbound(c, &number, sku, qty).await.unwrap();
    let at = now() - days_ago * DAY;
    let sql =
        format!("UPDATE stock_transfers SET created_at = {at} WHERE doc_id = '{number}' AND to_bucket = 'available'");
    assert_eq!(app.store.execute_raw(&sql).await.unwrap(), 1);
}

/// `[totalQuantity, stockAge0To30, …, stockAgeOver365]` of a stock-age row.
fn ages(r: &Value) -> [i64; 7] {
    [
        "totalQuantity",
        "stockAge0To30",
        "stockAge31To60",
        "stockAge61To90",
        "stockAge91To180",
        "stockAge181To365",
        "stockAgeOver365",
    ]
    .map(|k| r[k].as_i64().unwrap_or_else(|| panic!("{k} in {r}")))
}

#[each_backend]
async fn stock_age_bands_units_on_hand_first_in_first_out(b: Backend) {
    let app = App::start(b).await;
    let c = &app.seller.client;
    let (a, sku_a) = app.approved_sku(&app.seller, "AGE-A").await;
    let (bb, sku_b) = app.approved_sku(&app.seller, "AGE-B").await;
    let uk = app.store.warehouse_by_code("UK1").await.unwrap();
    put_away(&app, sku_a, "UK1", "IB-OLD", 10, 200).await;
    put_away(&app, sku_a, "UK1", "IB-NEW", 5, 40).await;
    put_away(&app, sku_b, "UK1", "IB-B", 2, 400).await;
    app.store
        .move_stock(
            c,
            sku_a,
            &app.store.warehouse_by_code("DE").await.unwrap().id,
            Transfer::adjustment(Bucket::Available, 3).unwrap(),
            None,
        )
        .await
        .unwrap();
    // An order of 6 is reserved and 4 of it shipped: the 4 leave the 200-day lot, the 2 still
    // reserved stay on hand and keep their age.
    let reserve = Transfer::new(Bucket::Available, Bucket::ReservedAllocated, 6, Reason::OutboundSubmitted).unwrap();
    app.store.move_stock(c, sku_a, &uk.id, reserve, None).await.unwrap();
    let ship = Transfer::new(Bucket::ReservedAllocated, Bucket::Outside, 4, Reason::OutboundFulfilled).unwrap();
    app.store.move_stock(c, sku_a, &uk.id, ship, None).await.unwrap();
    // Units on their way in are not on hand.
    let coming = NewInbound {
        warehouse_id: uk.id.clone(),
        reference: "IB-COMING".into(),
        mode: ShippingMode::Truck,
        lines: vec![(sku_a, 7)],
        need_clearance_doc: false,
        details: json!({}),
    };
    app.store.create_inbound(c, coming).await.unwrap();
    // Another client's stock is its own.
    let (theirs, _) = app.stocked_sku(&app.other, "AGE-THEIRS", 9).await;

    let d = ok(app
        .call(STOCK_AGE, json!({"pageNumber": 1, "pageSize": 200, "serviceRegionList": [], "skuList": []}))
        .await);
    assert_eq!((d["total"].clone(), d["pageNumber"].clone(), d["pageSize"].clone()), (json!(3), json!(1), json!(200)));
    let r = row(&d, &a, "UK");
    assert_eq!(r["sellerSKUID"], "AGE-A");
    assert_eq!(ages(r), [11, 0, 5, 0, 0, 6, 0], "{r}");
    assert_eq!(ages(row(&d, &a, "DE")), [3, 3, 0, 0, 0, 0, 0]);
    assert_eq!(ages(row(&d, &bb, "UK")), [2, 0, 0, 0, 0, 0, 2]);
    assert!(!d.to_string().contains(&theirs), "{d}");
    // The snapshot agrees on what is on hand.
    let s = ok(app
        .call(SNAPSHOT, json!({"skuList": [{"mfSkuId": a}], "serviceRegionList": [{"serviceRegion": "UK"}]}))
        .await);
    let on_hand =
        ["available", "reservedAllocated", "suspend", "unfulfillable"].map(|k| s["SKUList"][0][k].as_i64().unwrap());
    assert_eq!(on_hand.iter().sum::<i64>(), 11, "{s}");

    // Filters and paging as the snapshot's.
    let d = ok(app.call(STOCK_AGE, json!({"serviceRegionList": [{"serviceRegion": "de"}]})).await);
    assert_eq!(d["total"], 1);
    assert_eq!(ages(row(&d, &a, "DE"))[0], 3);
    let d = ok(app.call(STOCK_AGE, json!({"skuList": [{"mfSkuId": bb}]})).await);
    assert_eq!((d["total"].clone(), d["SKUList"].as_array().unwrap().len()), (json!(1), 1));
    let mut paged = vec![];
    for page in 1..=3 {
        let d = ok(app.call(STOCK_AGE, json!({"pageNumber": page, "pageSize": 1})).await);
        assert_eq!((d["total"].clone(), d["SKUList"].as_array().unwrap().len()), (json!(3), 1), "{d}");
        paged.push((d["SKUList"][0]["MFSKUID"].clone(), d["SKUList"][0]["serviceRegion"].clone()));
    }
    paged.dedup();
    assert_eq!(paged.len(), 3, "no row twice: {paged:?}");
    let d = ok(app.call(STOCK_AGE, json!({"pageNumber": 4, "pageSize": 1})).await);
    assert_eq!((d["total"].clone(), d["SKUList"].clone()), (json!(3), json!([])));
    let d = ok(app.call(STOCK_AGE, json!({"serviceRegionList": [{"serviceRegion": "US-East"}]})).await);
    assert_eq!((d["total"].clone(), d["SKUList"].clone()), (json!(0), json!([])));
    assert_refused(&app.call(STOCK_AGE, json!({"pageSize": 1001})).await, "pageSize must be between 1 and 1000");
    assert_refused(&app.call(STOCK_AGE, json!({"pageNumber": 0})).await, "pageNumber must be 1 or more");

    // Another client sees only its own row, and cannot name this client's SKU.
    let d = ok(app.call_as(&app.other, STOCK_AGE, json!({})).await);
    assert_eq!(d["total"], 1, "{d}");
    assert_eq!(ages(row(&d, &theirs, "UK")), [9, 9, 0, 0, 0, 0, 0]);
    let v = app.call_as(&app.other, STOCK_AGE, json!({"skuList": [{"mfSkuId": a}]})).await;
    assert_refused(&v, &format!("Query fail. Because MFSKUID [{a}] doesnt exists."));
}
