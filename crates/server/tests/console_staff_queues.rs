//! The console's staff queues and the seller's dashboard pictures, over a real socket against the
//! real server on both backends: the dock's appointments calendar shows the week's booked inbounds
//! of the staff member's warehouse (not to a seller, not to staff of another warehouse) and leads
//! to their receiving screens; the unidentified queue lists dock freight and returned parcels of
//! one warehouse oldest first, with a count in the navigation, and resolving an item (freight
//! matched or closed, a parcel disposed of once old enough) takes it off; the dashboard draws
//! on-time % per due day and units on hand per day from what happened.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod api_common;
mod common;

use api_common::{acme_inbound, call, login, seed_people, Console, PW};
use common::{admin_ok, assert_check, Server};
use entrepot_testkit::{each_backend, Backend, TestDb};
use serde_json::json;

async fn sql(url: &str, q: &str) {
    use sqlx::Connection;
    sqlx::any::install_default_drivers();
    let mut conn = sqlx::AnyConnection::connect(url).await.unwrap();
    sqlx::raw_sql(q).execute(&mut conn).await.unwrap();
}

/// Acme's client id.
async fn acme_id(db: &str) -> String {
    let store = entrepot_store::Store::open(db).await.unwrap();
    let id = store.find_client("Acme").await.unwrap().id.0;
    store.close().await;
    id
}

/// The section of `html` from the element with this id to the end of the page.
fn from_id<'a>(html: &'a str, id: &str) -> &'a str {
    let at = html.find(&format!("id=\"{id}\"")).unwrap_or_else(|| panic!("no #{id}: {html}"));
    &html[at..]
}

#[each_backend]
async fn the_dock_calendar_shows_the_week_of_booked_inbounds(backend: Backend) {
    let db = TestDb::new(backend).await;
    let url = db.url.as_str();
    seed_people(url);
    let number = acme_inbound(url, "CAL-SEA-1").await;
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(dir.path(), url, false);
    let base = server.base.as_str();
    let (uk, de, acme) =
        (login(base, "uk", PW).await, login(base, "de", PW).await, login(base, "acme-owner", PW).await);
    let (staff, other, seller) = (Console { base, who: &uk }, Console { base, who: &de }, Console { base, who: &acme });

    // Two slots of 2 on 2 January 2030 at UK1 (London: UTC in winter); Acme books the earliest.
    let plan = json!({"from": "2030-01-02", "first_hour": 8, "last_hour": 10, "capacity": 2});
    let slots = call(base, uk.bearer(), "POST /api/v1/warehouses/{code}/slots", &["UK1"], "", Some(plan)).await;
    assert_eq!(slots.status, 201, "{}", slots.body);
    let booked =
        call(base, acme.bearer(), "POST /api/v1/inbounds/{inbound}/appointment", &[&number], "", Some(json!({}))).await;
    assert_eq!(booked.status, 200, "{}", booked.body);

    // The week from 1 January: the booking in its day and slot, with what is expected.
    let (status, page) = staff.get("/console/appointments?warehouse=UK1&from=2030-01-01").await;
    assert_eq!(status, 200, "{page}");
    let day = from_id(&page, "day-2030-01-02");
    let booking = from_id(day, &format!("booking-{number}"));
    assert!(day.contains("08:00 – 09:00") && day.contains("1 of 2 booked"), "{day}");
    assert!(booking.contains("CAL-SEA-1") && booking.contains(&acme_id(url).await), "{booking}");
    assert!(booking.contains("1 carton, 15 units expected") && booking.contains("Booked"), "{booking}");
    assert!(booking.contains(&format!("href=\"/console/receiving/{number}\"")), "{booking}");
    assert!(page.contains("id=\"day-2030-01-07\"") && !page.contains("id=\"day-2030-01-08\""), "7 days: {page}");
    assert!(from_id(&page, "day-2030-01-01").contains("Nothing booked."), "{page}");
    assert!(page.contains("from=2029-12-25") && page.contains("from=2030-01-08"), "prev/next week: {page}");
    assert!(page.contains("name=\"from\" type=\"date\" value=\"2030-01-01\""), "a week chosen by date: {page}");
    assert!(page.contains("href=\"/console/appointments\" aria-current=\"page\""), "in the navigation: {page}");
    // The week after: nothing of it.
    let (_, later) = staff.get("/console/appointments?warehouse=UK1&from=2030-01-08").await;
    assert!(!later.contains(&number), "{later}");
    // In Chinese.
    let zh = reqwest::Client::new()
        .get(format!("{base}/console/appointments?warehouse=UK1&from=2030-01-01"))
        .header("cookie", format!("entrepot_session={}; entrepot_lang=zh-CN", uk.session))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(zh.contains("预计 1 箱，15 件") && zh.contains("星期三"), "{zh}");
    // Clicking the inbound opens its receipt on the dock's screen.
    let (status, receipt) = staff.get(&format!("/console/receiving/{number}")).await;
    assert_eq!(status, 200, "{receipt}");
    assert!(receipt.contains("CAL-SEA-1"), "{receipt}");
    // Today's week by default; a date that is none is refused.
    assert_eq!(staff.get("/console/appointments").await.0, 200);
    assert_eq!(staff.get("/console/appointments?from=2030-13-40").await.0, 422);

    // A seller may not open it; staff of DE see their own dock, not UK1's.
    assert_eq!(seller.get("/console/appointments?warehouse=UK1&from=2030-01-01").await.0, 403);
    assert_eq!(other.get("/console/appointments?warehouse=UK1&from=2030-01-01").await.0, 404);
    let (status, theirs) = other.get("/console/appointments?from=2030-01-01").await;
    assert_eq!(status, 200, "{theirs}");
    assert!(!theirs.contains(&number) && !theirs.contains("CAL-SEA-1"), "{theirs}");
    assert_check(url);
}

#[each_backend]
async fn the_unidentified_queue_lists_and_resolves_what_matched_nothing(backend: Backend) {
    let db = TestDb::new(backend).await;
    let url = db.url.as_str();
    seed_people(url);
    let number = acme_inbound(url, "UF-SEA-1").await;
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(dir.path(), url, false);
    let base = server.base.as_str();
    let (uk, de, acme) =
        (login(base, "uk", PW).await, login(base, "de", PW).await, login(base, "acme-owner", PW).await);
    let (staff, other, seller) = (Console { base, who: &uk }, Console { base, who: &de }, Console { base, who: &acme });

    // Cartons at UK1's dock with no inbound, then a parcel with no return; cartons at DE's.
    let uf = json!({"carrier": "DHL", "tracking": "JD-UK-1", "cartons": 2, "note": "blue tape"});
    let rec = call(base, uk.bearer(), "POST /api/v1/warehouses/{code}/unidentified", &["UK1"], "", Some(uf)).await;
    assert_eq!(rec.status, 201, "{}", rec.body);
    let freight = rec.body["id"].as_str().unwrap().to_owned();
    let de_uf = json!({"carrier": "DPD", "tracking": "JD-DE-9", "cartons": 1});
    let de_rec = call(base, de.bearer(), "POST /api/v1/warehouses/{code}/unidentified", &["DE"], "", Some(de_uf)).await;
    assert_eq!(de_rec.status, 201, "{}", de_rec.body);
    let (status, scanned) =
        staff.post("/console/returns/scan", &[("warehouse", "UK1"), ("code", "NO-RMA-7")], true).await;
    assert_eq!(status, 200, "{scanned}");

    // The queue: both UK1 items, oldest first, with what was scanned and their age.
    let (status, page) = staff.get("/console/unidentified?warehouse=UK1").await;
    assert_eq!(status, 200, "{page}");
    let (at_freight, at_parcel) = (page.find("JD-UK-1").unwrap(), page.find("NO-RMA-7").unwrap());
    assert!(at_freight < at_parcel, "oldest first: {page}");
    assert!(page.contains("2 items waiting") && page.contains("DHL") && page.contains("blue tape"), "{page}");
    assert!(page.contains("0 days old") && !page.contains("JD-DE-9"), "{page}");
    assert!(page.contains("may be disposed of from"), "a new parcel is kept: {page}");
    let parcel = page[..at_parcel].rsplit("id=\"unidentified-").next().unwrap().split('"').next().unwrap().to_owned();
    assert!(parcel.starts_with("urt"), "{parcel}");
    // The navigation links it, with its count loaded after the page.
    assert!(page.contains("hx-get=\"/console/unidentified/count\""), "{page}");
    let (status, badge) = staff.get("/console/unidentified/count").await;
    assert_eq!(status, 200);
    assert!(badge.contains("id=\"unidentified-count\">2<"), "{badge}");

    // A seller is refused, page and posts; DE's staff see only DE's, and cannot resolve UK1's.
    assert_eq!(seller.get("/console/unidentified").await.0, 403);
    let close = [("warehouse", "UK1"), ("kind", "freight"), ("id", freight.as_str()), ("action", "close")];
    let close_with = |reason: &'static str| {
        let mut f = close.to_vec();
        f.push(("reason", reason));
        f
    };
    assert_eq!(seller.post("/console/unidentified", &close_with("mine now"), false).await.0, 403);
    assert_eq!(seller.get("/console/unidentified/count").await.1, "");
    assert_eq!(other.get("/console/unidentified?warehouse=UK1").await.0, 404);
    let (_, theirs) = other.get("/console/unidentified").await;
    assert!(theirs.contains("JD-DE-9") && !theirs.contains("JD-UK-1") && !theirs.contains("NO-RMA-7"), "{theirs}");
    let refused = other.submit("/console/unidentified", &close_with("not ours"), false).await;
    assert_ne!(refused.status, 303, "{}", refused.body);
    let dispose = [("warehouse", "UK1"), ("kind", "return"), ("id", parcel.as_str()), ("action", "dispose")];
    assert_ne!(other.submit("/console/unidentified", &dispose, false).await.status, 303);
    let (_, still) = staff.get("/console/unidentified?warehouse=UK1").await;
    assert!(still.contains("JD-UK-1") && still.contains("NO-RMA-7"), "nothing changed: {still}");

    // The parcel is not disposed of before its time: said on the page, in the reader's words.
    let early = staff.submit("/console/unidentified", &dispose, false).await;
    assert_eq!(early.status, 409, "{}", early.body);
    assert!(from_id(&early.body, "unidentified-error").contains("cannot be disposed of yet"), "{}", early.body);
    // 31 days later it may be: it leaves the queue, and a second click changes nothing.
    sql(url, &format!("UPDATE unidentified_returns SET created_at = created_at - 2678400000 WHERE id = '{parcel}'"))
        .await;
    let (_, old) = staff.get("/console/unidentified?warehouse=UK1").await;
    assert!(old.contains("31 days old") && old.contains("value=\"dispose\""), "{old}");
    for _ in 0..2 {
        let done = staff.submit("/console/unidentified", &dispose, false).await;
        assert_eq!(
            (done.status, done.location.as_str()),
            (303, "/console/unidentified?warehouse=UK1"),
            "{}",
            done.body
        );
    }
    let (_, after) = staff.get("/console/unidentified?warehouse=UK1").await;
    assert!(!after.contains("NO-RMA-7") && after.contains("1 item waiting"), "{after}");

    // The freight: closing needs a reason; matched to Acme's inbound, it leaves the queue.
    let no_reason = staff.submit("/console/unidentified", &close_with(""), false).await;
    assert_eq!(no_reason.status, 409, "{}", no_reason.body);
    let acme_client = acme_id(url).await;
    let matched = staff
        .submit(
            "/console/unidentified",
            &[
                ("warehouse", "UK1"),
                ("kind", "freight"),
                ("id", freight.as_str()),
                ("action", "match"),
                ("client", acme_client.as_str()),
                ("inbound", number.as_str()),
            ],
            false,
        )
        .await;
    assert_eq!(matched.status, 303, "{}", matched.body);
    let all = call(base, uk.bearer(), "GET /api/v1/warehouses/{code}/unidentified", &["UK1"], "all=true", None).await;
    let item = all.body["items"].as_array().unwrap().iter().find(|i| i["id"] == freight.as_str()).unwrap().clone();
    assert_eq!((item["status"].clone(), item["client_id"].clone()), (json!("MATCHED"), json!(acme_client)), "{item}");
    let (_, empty) = staff.get("/console/unidentified?warehouse=UK1").await;
    assert!(empty.contains("id=\"unidentified-empty\""), "{empty}");
    assert_eq!(staff.get("/console/unidentified/count").await.1, "");
    // DE's stays with DE.
    let (_, theirs) = other.get("/console/unidentified").await;
    assert!(theirs.contains("JD-DE-9"), "{theirs}");
    assert_check(url);
}

/// Moves Acme's order `reference` through the floor to SHIPPED, as the admin CLI does.
fn ship(db: &str, reference: &str) {
    for st in ["WAIT_PICKING", "PICKING", "PACKED", "SHIPPED"] {
        admin_ok(db, &["order", "status", "--client", "Acme", "--order", reference, "--to", st]);
    }
}

fn place(db: &str, reference: &str) {
    admin_ok(
        db,
        &[
            "order",
            "place",
            "--client",
            "Acme",
            "--warehouse",
            "UK1",
            "--service",
            "GBDomesticStandard",
            "--reference",
            reference,
            "--line",
            "ACME-1:1",
            "--to-name",
            "Ann",
            "--to-line",
            "1 High St",
            "--to-city",
            "Leeds",
            "--to-postcode",
            "LS1 1AA",
            "--to-country",
            "GB",
        ],
    );
}

/// The text of the cells of the row for `day` in the table with this id.
fn row(html: &str, table: &str, day: &str) -> String {
    let t = from_id(html, table);
    let t = &t[..t.find("</table>").unwrap()];
    let r = &t[t.find(&format!("data-day=\"{day}\"")).unwrap_or_else(|| panic!("no {day} in {t}"))..];
    let r = &r[..r.find("</tr>").unwrap()];
    let mut out = vec![];
    for cell in r.split("<td>").skip(1) {
        out.push(cell[..cell.find("</td>").unwrap()].to_owned());
    }
    out.join(" | ")
}

#[each_backend]
async fn the_dashboard_draws_on_time_and_stock_per_day(backend: Backend) {
    let db = TestDb::new(backend).await;
    let url = db.url.as_str();
    // Acme: 5 ACME-1 and 3 ACME-2 come in today (8 units on hand).
    seed_people(url);
    let today = jiff::Timestamp::now().to_zoned(jiff::tz::TimeZone::get("Europe/London").unwrap()).date();
    let utc_today = jiff::Timestamp::now().to_zoned(jiff::tz::TimeZone::UTC).date();
    let utc_yesterday = utc_today.yesterday().unwrap();
    // Three orders due today: two handed over before the cut-off, the third after it.
    for r in ["OT-1", "OT-2", "OT-3"] {
        place(url, r);
    }
    sql(url, &format!("UPDATE outbound_orders SET due_date = '{today}' WHERE reference IN ('OT-1', 'OT-2', 'OT-3')"))
        .await;
    admin_ok(url, &["warehouse", "cutoff", "UK1", "--at", "23:59"]);
    ship(url, "OT-1");
    ship(url, "OT-2");
    admin_ok(url, &["warehouse", "cutoff", "UK1", "--at", "00:00"]);
    ship(url, "OT-3");

    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(dir.path(), url, false);
    let base = server.base.as_str();
    let acme = login(base, "acme-owner", PW).await;
    let (status, page) = Console { base, who: &acme }.get("/console/dashboard").await;
    assert_eq!(status, 200, "{page}");
    // On time: 2 of 3 today, 67 %; nothing handed over the day before.
    assert_eq!(row(&page, "on-time-numbers", &today.to_string()), "67% | 2 / 3", "{page}");
    let yesterday = today.yesterday().unwrap().to_string();
    assert_eq!(row(&page, "on-time-numbers", &yesterday), "– | ", "{page}");
    assert!(page.contains(&format!("<title>{today}: 67% on time (2 of 3)</title>")), "{page}");
    assert!(page.contains("role=\"img\" aria-labelledby=\"on-time-svg-title\""), "{page}");
    // Units on hand: 8 came in today and 3 left, so 5 now and none the evening before.
    assert_eq!(row(&page, "stock-numbers", &utc_today.to_string()), "5", "{page}");
    assert_eq!(row(&page, "stock-numbers", &utc_yesterday.to_string()), "0", "{page}");
    for table in ["on-time-numbers", "stock-numbers"] {
        let t = from_id(&page, table);
        assert_eq!(t[..t.find("</table>").unwrap()].matches("<tr data-day=").count(), 30, "30 days of {table}");
    }
    // Another client's dashboard shows none of it.
    let beta = login(base, "beta-owner", PW).await;
    let (_, theirs) = Console { base, who: &beta }.get("/console/dashboard").await;
    assert!(!theirs.contains("2 / 3") && !theirs.contains("67%"), "{theirs}");
    assert_check(url);
}
