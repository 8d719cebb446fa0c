//! The console's staff scan screens for putaway, returns and cycle counts, driven over a real
//! socket against the real server on both backends, as the handheld's scan field posts them
//! (form fields as the templates name them, `HX-Request` for the `#screen` fragment): putaway
//! moves units from the dock to the suggested bin after refusing another naming it; a return is
//! received and restocked, another counted damaged and disposed of, an unknown parcel kept as
//! unidentified; a count with a large variance waits and the supervisor's approval adjusts the
//! bin. A seller may open none of these screens.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod api_common;
mod common;

use api_common::{call, login, seed_people, Console, Login, PW};
use common::{admin_ok, assert_check, Server};
use entrepot_testkit::{each_backend, Backend, TestDb};
use serde_json::{json, Value};

/// A scan posted from a handheld's screen.
trait Scan {
    /// A scan (or a button of the screen) posted with the screen's context; the `#screen` back.
    async fn scan(&self, path: &str, fields: &[(&str, &str)]) -> String;
}

impl Scan for Console<'_> {
    async fn scan(&self, path: &str, fields: &[(&str, &str)]) -> String {
        let (status, html) = self.post(path, fields, true).await;
        assert_eq!(status, 200, "{path} {fields:?}: {html}");
        assert!(html.starts_with("<div id=\"screen\""), "{html}");
        html
    }
}

/// The value of the hidden field `name` in a screen.
fn field(html: &str, name: &str) -> String {
    let at = html.find(&format!("name=\"{name}\" value=\"")).unwrap_or_else(|| panic!("no field {name}: {html}"));
    let rest = &html[at + name.len() + 15..];
    unescape(&rest[..rest.find('"').unwrap()])
}

/// The text of the element with this id.
fn text_of(html: &str, id: &str) -> String {
    let at = html.find(&format!("id=\"{id}\"")).unwrap_or_else(|| panic!("no #{id}: {html}"));
    let rest = &html[at..];
    let rest = &rest[rest.find('>').unwrap() + 1..];
    unescape(&rest[..rest.find('<').unwrap()])
}

fn unescape(s: &str) -> String {
    s.replace("&#38;", "&").replace("&amp;", "&").replace("&#61;", "=").replace("&#34;", "\"").replace("&#39;", "'")
}

fn result(html: &str) -> &str {
    if html.contains("data-scan-result=\"accepted\"") {
        "accepted"
    } else if html.contains("data-scan-result=\"refused\"") {
        "refused"
    } else {
        ""
    }
}

/// Units of `sku` (id) in bin `code` by the native API's location stock.
async fn units(base: &str, who: &Login, code: &str, sku: i64) -> i64 {
    let stock =
        call(base, who.bearer(), "GET /api/v1/warehouses/{code}/location-stock", &["UK1"], "limit=500", None).await;
    assert_eq!(stock.status, 200, "{}", stock.body);
    stock.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["code"] == code && r["sku_id"] == sku)
        .map(|r| r["qty"].as_i64().unwrap())
        .sum()
}

/// A RETURN of `qty` ACME-2 authorised over Bird, expected at UK1 with `tracking`; its id.
async fn bird_return(base: &str, key: &str, product: &str, tracking: &str, qty: &str) -> String {
    let http = reqwest::Client::new();
    let post = |path: &str, form: Vec<(&str, &str)>| {
        http.post(format!("{base}{path}")).header("api_key", key).header("company_id", "1").form(&form).send()
    };
    let form = vec![
        ("type", "RETURN"),
        ("return_consignment_action_type", "CONTAINER"),
        ("contact", "Norman Drury"),
        ("address_line1", "3, Northam Close"),
        ("city", "Southport"),
        ("country_iso", "GB"),
        ("delivery_reference", tracking),
    ];
    let r: Value = post("/client/Consignment", form).await.unwrap().json().await.unwrap();
    assert_eq!(r["success"], true, "{r}");
    let id = r["data"]["id"].as_str().unwrap().to_owned();
    let line = vec![("consignment_id", id.as_str()), ("product_id", product), ("quantity", qty)];
    let r: Value = post("/client/Consignment-Product", line).await.unwrap().json().await.unwrap();
    assert_eq!(r["success"], true, "{r}");
    let submit = vec![("ids", id.as_str()), ("status", "PENDING")];
    let r: Value = post("/client/Consignment/Batch-Update-Status", submit).await.unwrap().json().await.unwrap();
    assert_eq!(r["success"], true, "{r}");
    id
}

/// The id and label (MFSKUID) of Acme's SKU.
async fn sku_of(db: &str, sku: &str) -> (i64, String) {
    let store = entrepot_store::Store::open(db).await.unwrap();
    let client = store.find_client("Acme").await.unwrap().id;
    let s = store.resolve_sku(&client, sku).await.unwrap();
    store.close().await;
    (s.id.0, s.mfskuid)
}

#[each_backend]
async fn putaway_returns_and_counts_by_scans_on_the_console(backend: Backend) {
    let db = TestDb::new(backend).await;
    let url = db.url.as_str();
    // Acme: 5 ACME-1 available and 3 ACME-2 received, at UK1's dock (seed_people).
    seed_people(url);
    let key = admin_ok(url, &["api-key", "create", "--client", "Acme"])["api_key"].as_str().unwrap().to_owned();
    for code in ["A-01-01-1", "A-01-01-2", "B-01-01-1"] {
        admin_ok(url, &["location", "create", "--warehouse", "UK1", "--code", code]);
    }
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(dir.path(), url, false);
    let base = server.base.as_str();
    let (uk, sup, acme) =
        (login(base, "uk", PW).await, login(base, "uksup", PW).await, login(base, "acme-owner", PW).await);
    let staff = Console { base, who: &uk };
    let seller = Console { base, who: &acme };
    let ((acme1, label1), (acme2, label2)) = (sku_of(url, "ACME-1").await, sku_of(url, "ACME-2").await);

    // A seller may open none of the staff screens, nor post a scan to them.
    for page in ["/console/putaway", "/console/returns", "/console/counts"] {
        assert_eq!(seller.get(page).await.0, 403, "{page}");
        assert_eq!(seller.post(&format!("{page}/scan"), &[("code", "X"), ("warehouse", "UK1")], true).await.0, 403);
    }
    let (status, page) = staff.get("/console/putaway?warehouse=UK1").await;
    assert_eq!(status, 200, "{page}");
    assert!(page.contains("href=\"/console/returns\"") && page.contains("href=\"/console/counts\""), "nav: {page}");

    // Putaway: the ACME-2 label opens its task with the suggested bin; another bin is refused
    // naming it; the suggested bin takes the 3 units off the dock.
    let scan = "/console/putaway/scan";
    let opened = staff.scan(scan, &[("warehouse", "UK1"), ("code", &label2)]).await;
    assert_eq!(result(&opened), "accepted", "{opened}");
    let suggested = text_of(&opened, "suggested-bin");
    assert!(suggested.starts_with("A-01-01-") || suggested == "B-01-01-1", "{opened}");
    let wrong = ["A-01-01-1", "A-01-01-2", "B-01-01-1"].into_iter().find(|b| *b != suggested).unwrap();
    let task = field(&opened, "task");
    let context = |code: &'static str| [("warehouse", "UK1"), ("step", "bin"), ("task", ""), ("code", code)];
    let mut refused_scan = context(wrong);
    refused_scan[2].1 = &task;
    let refused = staff.scan(scan, &refused_scan).await;
    assert_eq!(result(&refused), "refused", "{refused}");
    assert!(text_of(&refused, "scan-message").contains(&format!("the suggested bin is {suggested}")), "{refused}");
    assert_eq!(units(base, &uk, "DOCK", acme2).await, 3);
    let done = staff.scan(scan, &[("warehouse", "UK1"), ("step", "bin"), ("task", &task), ("code", &suggested)]).await;
    assert_eq!(result(&done), "accepted", "{done}");
    assert_eq!((units(base, &uk, &suggested, acme2).await, units(base, &uk, "DOCK", acme2).await), (3, 0));
    assert!(!done.contains(&label2), "the task is done: {done}");

    // Returns: one received whole and restocked; one counted by its label, damaged, disposed of.
    let products = reqwest::Client::new()
        .get(format!("{base}/client/Product?client_ref=ACME-2"))
        .header("api_key", &key)
        .header("company_id", "1")
        .send()
        .await
        .unwrap()
        .json::<Value>()
        .await
        .unwrap();
    let product =
        products["data"][0]["id"].as_str().map(str::to_owned).unwrap_or_else(|| products["data"][0]["id"].to_string());
    let first = bird_return(base, &key, &product, "RTCON0001GB", "2").await;
    let second = bird_return(base, &key, &product, "RTCON0002GB", "1").await;
    let scan = "/console/returns/scan";
    let opened = staff.scan(scan, &[("warehouse", "UK1"), ("code", "RTCON0001GB")]).await;
    assert_eq!((result(&opened), field(&opened, "step")), ("accepted", "count".to_owned()), "{opened}");
    let ret = field(&opened, "ret");
    assert_eq!(ret, first);
    let received = staff
        .scan(scan, &[("warehouse", "UK1"), ("step", "count"), ("ret", &ret), ("tally", ""), ("receive", "1")])
        .await;
    assert_eq!((result(&received), field(&received, "step")), ("accepted", "action".to_owned()), "{received}");
    assert!(received.contains("value=\"RESTOCK\""), "{received}");
    let restocked =
        staff.scan(scan, &[("warehouse", "UK1"), ("step", "action"), ("ret", &ret), ("action", "RESTOCK")]).await;
    assert_eq!(result(&restocked), "accepted", "{restocked}");
    let seen = call(base, uk.bearer(), "GET /api/v1/returns/{id}", &[&first], "", None).await;
    assert_eq!(
        (seen.body["status"].as_str(), seen.body["outcome"].as_str(), seen.body["lines"][0]["good"].as_i64()),
        (Some("COMPLETED"), Some("RESTOCK"), Some(2)),
        "{}",
        seen.body
    );

    let opened = staff.scan(scan, &[("warehouse", "UK1"), ("code", "RTCON0002GB")]).await;
    let ret = field(&opened, "ret");
    let wrong = staff.scan(scan, &[("warehouse", "UK1"), ("step", "count"), ("ret", &ret), ("code", &label1)]).await;
    assert_eq!(result(&wrong), "refused", "{wrong}");
    assert!(text_of(&wrong, "scan-message").contains("1 × ACME-2"), "names what the return lists: {wrong}");
    let counted = staff
        .scan(scan, &[("warehouse", "UK1"), ("step", "count"), ("ret", &ret), ("code", "ACME-2"), ("damaged", "1")])
        .await;
    assert_eq!(result(&counted), "accepted", "{counted}");
    let tally = field(&counted, "tally");
    let received = staff
        .scan(scan, &[("warehouse", "UK1"), ("step", "count"), ("ret", &ret), ("tally", &tally), ("receive", "1")])
        .await;
    assert_eq!(result(&received), "accepted", "{received}");
    let disposed =
        staff.scan(scan, &[("warehouse", "UK1"), ("step", "action"), ("ret", &ret), ("action", "DISPOSE")]).await;
    assert_eq!(result(&disposed), "accepted", "{disposed}");
    let seen = call(base, uk.bearer(), "GET /api/v1/returns/{id}", &[&second], "", None).await;
    assert_eq!(
        (seen.body["status"].as_str(), seen.body["outcome"].as_str(), seen.body["lines"][0]["damaged"].as_i64()),
        (Some("COMPLETED"), Some("DISPOSE"), Some(1)),
        "{}",
        seen.body
    );
    let unknown = staff.scan(scan, &[("warehouse", "UK1"), ("code", "NO-RMA-7")]).await;
    assert_eq!(result(&unknown), "accepted", "{unknown}");
    assert!(unknown.contains("NO-RMA-7") && unknown.contains("name=\"match\""), "listed to match: {unknown}");

    // Counts: 5 ACME-1 moved into B-01-01-1 and a count of it; 20 counted is over the threshold
    // (10): it waits, and the supervisor's approval puts the 15 more into the bin.
    admin_ok(
        url,
        &[
            "location",
            "move",
            "--client",
            "Acme",
            "--warehouse",
            "UK1",
            "--sku",
            "ACME-1",
            "--from",
            "DOCK",
            "--to",
            "B-01-01-1",
            "--qty",
            "5",
        ],
    );
    let made = call(
        base,
        uk.bearer(),
        "POST /api/v1/warehouses/{code}/counts",
        &["UK1"],
        "",
        Some(json!({"bins": ["B-01-01-1"]})),
    )
    .await;
    assert_eq!(made.status, 201, "{}", made.body);
    let id = made.body["items"][0]["id"].as_str().unwrap().to_owned();
    let (_, list) = staff.get("/console/counts?warehouse=UK1").await;
    assert!(list.contains(&format!("href=\"/console/counts/{id}\"")), "{list}");
    let scan = "/console/counts/scan";
    let opened = staff.scan(scan, &[("warehouse", "UK1"), ("code", "b-01-01-1")]).await;
    assert_eq!(
        (result(&opened), field(&opened, "step"), field(&opened, "task")),
        ("accepted", "sku".to_owned(), id.clone())
    );
    let (_, page) = staff.get(&format!("/console/counts/{id}")).await;
    assert!(page.contains("data-step=\"bin\""), "{page}");
    let wrong = staff.scan(scan, &[("warehouse", "UK1"), ("task", &id), ("step", "bin"), ("code", "A-01-01-1")]).await;
    assert_eq!(result(&wrong), "refused");
    assert!(text_of(&wrong, "scan-message").contains("B-01-01-1"), "{wrong}");
    let one = staff.scan(scan, &[("warehouse", "UK1"), ("task", &id), ("step", "sku"), ("code", &label1)]).await;
    let tally = field(&one, "tally");
    let more = staff
        .scan(
            scan,
            &[
                ("warehouse", "UK1"),
                ("task", &id),
                ("step", "sku"),
                ("tally", &tally),
                ("code", &label1),
                ("quantity", "19"),
            ],
        )
        .await;
    assert_eq!(result(&more), "accepted", "{more}");
    let tally = field(&more, "tally");
    let submitted = staff
        .scan(scan, &[("warehouse", "UK1"), ("task", &id), ("step", "sku"), ("tally", &tally), ("submit", "1")])
        .await;
    assert_eq!(result(&submitted), "accepted", "{submitted}");
    let task = call(base, sup.bearer(), "GET /api/v1/counts/{id}", &[&id], "", None).await;
    assert_eq!((task.body["state"].as_str(), task.body["lines"][0]["counted"].as_i64()), (Some("counted"), Some(20)));
    assert_eq!(units(base, &uk, "B-01-01-1", acme1).await, 5);
    // Plain staff may not approve; the supervisor sees the variance and approves it.
    let (status, _) = staff.post(&format!("/console/counts/{id}/approve"), &[("warehouse", "UK1")], false).await;
    assert_eq!(status, 403);
    let supervisor = Console { base, who: &sup };
    let (_, held) = supervisor.get("/console/counts?warehouse=UK1").await;
    assert!(held.contains(&format!("/console/counts/{id}/approve")) && held.contains(">15<"), "{held}");
    let (status, _) = supervisor.post(&format!("/console/counts/{id}/approve"), &[("warehouse", "UK1")], false).await;
    assert_eq!(status, 303);
    assert_eq!(units(base, &uk, "B-01-01-1", acme1).await, 20);
    let task = call(base, sup.bearer(), "GET /api/v1/counts/{id}", &[&id], "", None).await;
    assert_eq!(task.body["state"], "approved", "{}", task.body);

    assert_check(url);
    assert!(server.stop().success());
}
